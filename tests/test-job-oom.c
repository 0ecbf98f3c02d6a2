/* test-job-oom.c: the compute job (io) with every allocation of the engine
 * and of the io library failing in turn.  Both are linked in as objects,
 * so their calls to malloc come to the test's wrappers (GLib's and HDF5's
 * do not).  Each failure must end the run with an error that names the
 * file and says what ran out, or be got around with the same LFP: never a
 * crash, an error without a message, or other numbers. */
#include <glib.h>
#include <glib/gstdio.h>
#include <hdf5.h>
#include <math.h>
#include <string.h>

#include "wslfp-fail-alloc.h"
#include "wslfp-lfp.h"
#include "wslfp-test-data.h"

typedef struct
{
  const char *name;
  gboolean float32;    /* the currents stored as float32 (else as the fixture has them) */
  gboolean from_spikes;
  gboolean combined;   /* the Explorer's path: the currents combined once, in
                        * single precision, then products by blocks of sources */
} Case;

static char *tmp_dir;

static WslfpLfp *
run (const Case *c, WslfpDataset *ds, GError **error)
{
  WslfpJobSettings s;
  wslfp_job_settings_init (&s);
  s.n_threads = 1; /* (the same allocations in the same order each run) */
  s.from_spikes = c->from_spikes;
  if (!c->combined)
    return wslfp_job_run (ds, &s, NULL, NULL, error);
  WslfpCombined *combined = wslfp_job_combine (ds, &s, TRUE, NULL, NULL, error);
  if (combined == NULL)
    return NULL;
  s.panel_bytes = 1;
  s.block_bytes = 64 * wslfp_combined_get_n_times (combined) * sizeof (float); /* (4 blocks) */
  WslfpLfp *lfp = wslfp_job_run_combined (ds, &s, combined, 1, 1, NULL, NULL, error);
  wslfp_combined_free (combined);
  return lfp;
}

static void
run_case (gconstpointer data)
{
  const Case *c = data;
  g_autofree char *path = g_build_filename (tmp_dir, c->float32 ? "float32.h5" : "float64.h5", NULL);
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    wslfp_test_copy_with_currents ("brian_small.h5", path, c->float32 ? H5T_IEEE_F32LE : H5T_IEEE_F64LE, H5P_DEFAULT,
                                   0, G_MAXSIZE, 0);
  g_autoptr (GError) error = NULL;
  g_autoptr (WslfpDataset) ds = wslfp_dataset_open (path, &error);
  g_assert_no_error (error);
  g_autoptr (WslfpLfp) want = run (c, ds, &error);
  g_assert_no_error (error);
  gsize count = want->n_times * want->n_electrodes;
  int failures = 0, fallbacks = 0;
  for (gint n = 1;; n++)
    {
      wslfp_fail_alloc_arm (n);
      WslfpLfp *got = run (c, ds, &error);
      gboolean failed = wslfp_fail_alloc_failed ();
      wslfp_fail_alloc_arm (0);
      if (!failed)
        {
          g_assert_nonnull (got);
          wslfp_lfp_free (got);
          break;
        }
      if (got != NULL)
        {
          g_assert_no_error (error);
          g_assert_cmpuint (got->n_times * got->n_electrodes, ==, count);
          for (gsize k = 0; k < count; k++)
            if (!(fabs (got->uv[k] - want->uv[k]) <= 1e-12 * (1 + fabs (want->uv[k]))))
              g_error ("allocation %d failed and the run went on, but value %zu is %.17g, not %.17g", n, k,
                       got->uv[k], want->uv[k]);
          wslfp_lfp_free (got);
          fallbacks++;
          continue;
        }
      if (error == NULL)
        g_error ("allocation %d failed: no LFP, and no error", n);
      if (strstr (error->message, path) == NULL || strstr (error->message, "out of memory") == NULL)
        g_error ("allocation %d failed: \"%s\" (names neither %s nor what ran out)", n, error->message, path);
      g_clear_error (&error);
      failures++;
      g_assert_cmpint (n, <, 100000);
    }
  g_test_message ("%s: %d allocations failing in turn: %d errors, %d got around", c->name, failures + fallbacks,
                  failures, fallbacks);
  g_assert_cmpint (failures, >, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  tmp_dir = g_dir_make_tmp ("wslfp-job-oom-XXXXXX", NULL);
  g_assert_nonnull (tmp_dir);
  static const Case cases[] = {
    { "currents", FALSE, FALSE, FALSE },
    { "float32-currents", TRUE, FALSE, FALSE },
    { "spikes", FALSE, TRUE, FALSE },
    { "combined-by-blocks", FALSE, FALSE, TRUE },
  };
  for (guint k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      g_autofree char *name = g_strdup_printf ("/io/job-out-of-memory/%s", cases[k].name);
      g_test_add_data_func (name, &cases[k], run_case);
    }
  int status = g_test_run ();
  g_autofree char *rm = g_strdup_printf ("rm -rf '%s'", tmp_dir);
  if (system (rm) != 0)
    g_printerr ("could not remove %s\n", tmp_dir);
  return status;
}
