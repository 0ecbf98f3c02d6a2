/* bench-nwb.c: how long writing an LFP takes as NWB against as HDF5 (the
 * same LFP, best of 5 each, in one run): issue 19's budget, NWB within
 * 1.2x.  Usage: bench-nwb LFP.h5 OUT_DIR */
#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>

#include "wslfp-lfp.h"

static double
best_write (const WslfpLfp *lfp, const char *path)
{
  double best = G_MAXDOUBLE;
  for (int k = 0; k < 5; k++)
    {
      g_autoptr (GError) error = NULL;
      gint64 t0 = g_get_monotonic_time ();
      if (!wslfp_lfp_write (lfp, path, &error))
        g_error ("%s", error->message);
      best = MIN (best, (g_get_monotonic_time () - t0) / 1000.0);
    }
  g_unlink (path);
  return best;
}

int
main (int argc, char **argv)
{
  if (argc != 3)
    {
      fprintf (stderr, "usage: bench-nwb LFP.h5 OUT_DIR\n");
      return 2;
    }
  g_autoptr (GError) error = NULL;
  g_autoptr (WslfpLfp) lfp = wslfp_lfp_read (argv[1], &error);
  if (lfp == NULL)
    g_error ("%s", error->message);
  g_autofree char *h5 = g_build_filename (argv[2], "bench-nwb.h5", NULL);
  g_autofree char *nwb = g_build_filename (argv[2], "bench-nwb.nwb", NULL);
  double t_h5 = best_write (lfp, h5), t_nwb = best_write (lfp, nwb);
  printf ("write %zu x %zu LFP: .h5 %.1f ms, .nwb %.1f ms, ratio %.2f (budget 1.2)\n", lfp->n_times,
          lfp->n_electrodes, t_h5, t_nwb, t_nwb / t_h5);
  return 0;
}
