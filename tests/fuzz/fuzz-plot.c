/* fuzz-plot.c: `wslfp plot` of LFP files holding any values: huge,
 * infinite, NaN, denormal; times in any steps; contacts anywhere, on any
 * shanks; every figure kind and format, with and without a time range.
 * The input is not a file but a recipe (so that the fuzzer reaches the
 * drawing, not only the HDF5 reader):
 *   byte 0: figure kind (traces, image, csd, psd) and format (png, svg, pdf)
 *   byte 1: contacts (1 … 64)      byte 2: times (1 … 256)
 *   byte 3: shank layout, raw or stepped times, --t-range, .h5 or .nwb
 * then doubles as raw bits: the time range, the times (first and step, or
 * each), each contact's x and z, and the values, row by row.  A figure
 * is written or the run fails with a message; never a crash or a hang. */
#include <glib/gstdio.h>
#include <math.h>

#include "fuzz-scratch.h"
#include "wslfp-cli.h"
#include "wslfp-h5.h"
#include "wslfp-lfp.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static char *scratch, *figure[3];
  static const char *const kinds[] = { "traces", "image", "csd", "psd" };
  static const char *const formats[] = { "png", "svg", "pdf" };
  if (scratch == NULL)
    {
      scratch = fuzz_scratch ("unused");
      for (int f = 0; f < 3; f++)
        {
          g_autofree char *name = g_strdup_printf ("figure.%s", formats[f]);
          figure[f] = g_build_filename (fuzz_scratch_dir (), name, NULL);
        }
      wslfp_h5_init ();
    }
  FuzzBytes b = { data, size, 0 };
  guint8 what = fuzz_byte (&b);
  const char *kind = kinds[what % 4];
  const char *out = figure[(what / 4) % 3];
  gsize E = 1 + fuzz_byte (&b) % 64, T = 1 + fuzz_byte (&b) % 256;
  guint8 flags = fuzz_byte (&b);
  double range[2] = { fuzz_double (&b), fuzz_double (&b) };

  g_autoptr (WslfpLfp) lfp = g_new0 (WslfpLfp, 1);
  lfp->n_times = T;
  lfp->n_electrodes = E;
  lfp->t_ms = g_new (double, T);
  lfp->uv = g_new (double, T * E);
  lfp->electrodes_um = g_new0 (double, 3 * E);
  lfp->shank = g_new (int, E);
  lfp->profile = g_strdup ("mazzoni15");
  if (flags & 1)
    for (gsize t = 0; t < T; t++)
      lfp->t_ms[t] = fuzz_double (&b);
  else
    {
      double t0 = fuzz_double (&b), dt = fuzz_double (&b);
      for (gsize t = 0; t < T; t++)
        lfp->t_ms[t] = t0 + (double) t * dt;
    }
  for (gsize e = 0; e < E; e++)
    {
      /* one shank, one per contact, or three */
      lfp->shank[e] = (flags & 6) == 0 ? 0 : (flags & 6) == 2 ? (int) e : (int) (e % 3);
      lfp->n_shanks = MAX (lfp->n_shanks, lfp->shank[e] + 1);
      lfp->electrodes_um[3 * e] = fuzz_double (&b);
      lfp->electrodes_um[3 * e + 2] = fuzz_double (&b);
    }
  for (gsize i = 0; i < T * E; i++)
    lfp->uv[i] = fuzz_double (&b);

  g_autofree char *input = g_build_filename (fuzz_scratch_dir (), flags & 16 ? "lfp.nwb" : "lfp.h5", NULL);
  g_autoptr (GError) error = NULL;
  if (!wslfp_lfp_write (lfp, input, &error))
    return 0;
  g_autofree char *t_range = g_strdup_printf ("%.17g:%.17g", range[0], range[1]);
  const char *argv[] = { "plot", input, "-o", out, "--kind", kind, "--width", "320", "--height", "200",
                         "--t-range", t_range, NULL };
  int argc = flags & 8 ? 12 : 10;
  /* (the option parser moves the pointers about, not the strings) */
  g_autofree char **args = g_memdup2 (argv, sizeof argv);
  args[argc] = NULL;
  wslfp_cli_plot (argc, args);
  g_unlink (out);
  return 0;
}
