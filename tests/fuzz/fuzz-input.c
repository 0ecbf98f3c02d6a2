/* fuzz-input.c: libFuzzer targets for the readers of untrusted files.
 * One source, three targets (WSLFP_FUZZ_TARGET): the line-based readers
 * (CSV probes and profile grids, BMTK electrodes, SONATA type tables, NEST
 * spike files), the JSON readers (probeinterface probes, SONATA configs),
 * and the dataset loader.
 * Each writes the input to a private temporary file and reads it as the
 * tools do; any crash, leak or sanitizer report is a finding.
 *   meson setup build-fuzz -Dfuzzing=true -Db_sanitize=address,undefined
 *   build-fuzz/tests/fuzz/fuzz-csv tests/fuzz/corpus/csv */
#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdint.h>
#include <fcntl.h>
#include <unistd.h>

#include "wslfp-dataset.h"
#include "wslfp-h5.h"
#include "wslfp-lfp.h"
#include "wslfp-probe-file.h"
#include "wslfp-profile-file.h"
#include "wslfp-nest-spikes.h"
#include "wslfp-sonata-config.h"
#include "wslfp-sonata-types.h"

/* The input as a file the readers open by name, rewritten in place for
 * each run (no new file, no rename); in /dev/shm when there is one, so
 * that a run costs no disk writes.  (An anonymous memfd would do, but
 * HDF5 resolves the file's real path, which a memfd does not have.) */
static int scratch_fd = -1;

static char *
scratch (const char *suffix)
{
  g_autofree char *templ = g_strdup_printf ("%s/wslfp-fuzz-XXXXXX",
                                            g_file_test ("/dev/shm", G_FILE_TEST_IS_DIR) ? "/dev/shm" : g_get_tmp_dir ());
  char *dir = g_mkdtemp (g_steal_pointer (&templ));
  char *path = g_strdup_printf ("%s/input%s", dir, suffix);
  scratch_fd = g_open (path, O_RDWR | O_CREAT | O_TRUNC, 0600);
  g_free (dir);
  return path;
}

static gboolean
put (const char *path, const uint8_t *data, size_t size)
{
  if (ftruncate (scratch_fd, 0) != 0)
    return FALSE;
  size_t done = 0;
  while (done < size)
    {
      ssize_t n = pwrite (scratch_fd, data + done, size - done, (off_t) done);
      if (n <= 0)
        return FALSE;
      done += (size_t) n;
    }
  return TRUE;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (GError) error = NULL;
#if WSLFP_FUZZ_TARGET == 0
  static char *path;
  if (path == NULL)
    path = scratch (".csv");
  if (!put (path, data, size))
    return 0;
  WslfpProbeLayout *probe = wslfp_probe_layout_read (path, &error);
  wslfp_probe_layout_free (probe);
  g_clear_error (&error);
  WslfpProfile *grid = wslfp_profile_read_csv (path, &error);
  wslfp_profile_free (grid);
  /* The other line-based readers: SONATA type tables, NEST spike files. */
  g_clear_error (&error);
  wslfp_sonata_types_free (wslfp_sonata_types_read (path, "node_type_id", &error));
  g_clear_error (&error);
  gint64 *ids = NULL;
  double *t = NULL;
  gsize n = 0;
  if (wslfp_nest_spikes_read (path, 0.1, &ids, &t, &n, &error))
    {
      for (gsize k = 0; k < n; k++)
        g_assert (ids[k] >= 1 && isfinite (t[k]));
      g_free (ids);
      g_free (t);
    }
#elif WSLFP_FUZZ_TARGET == 1
  static char *path;
  if (path == NULL)
    path = scratch (".json");
  if (!put (path, data, size))
    return 0;
  WslfpProbeLayout *probe = wslfp_probe_layout_read_json (path, &error);
  if (probe != NULL)
    {
      WslfpPlacement p = { { 1, 2, 3 }, 10, 20, 30 };
      g_autofree double *xyz = wslfp_probe_layout_place (probe, &p);
      g_autofree double *bodies = NULL;
      gsize n_bodies = wslfp_probe_layout_place_bodies (probe, &p, &bodies);
      /* A probe the reader accepts places to finite positions. */
      for (gsize i = 0; i < 3 * probe->n_contacts; i++)
        g_assert (isfinite (xyz[i]));
      for (gsize i = 0; i < 12 * n_bodies; i++)
        g_assert (isfinite (bodies[i]));
    }
  wslfp_probe_layout_free (probe);
  /* And as a SONATA config (the files it names are not there). */
  g_clear_error (&error);
  wslfp_sonata_config_free (wslfp_sonata_config_read (path, &error));
#else
  static char *path;
  if (path == NULL)
    {
      path = scratch (".h5");
      wslfp_h5_init ();
    }
  if (!put (path, data, size))
    return 0;
  WslfpDataset *ds = wslfp_dataset_open (path, &error);
  if (ds != NULL)
    {
      /* What info and compute do next: check, then a small computation
       * (a few evaluation times keep each run short). */
      WslfpJobSettings s;
      wslfp_job_settings_init (&s);
      s.t_eval_set = TRUE;
      s.t_start_ms = 0;
      s.t_stop_ms = 5;
      s.t_step_ms = 1;
      for (int spikes = 0; spikes < 2; spikes++)
        {
          s.from_spikes = spikes;
          g_clear_error (&error);
          WslfpLfp *lfp = wslfp_job_run (ds, &s, NULL, NULL, &error);
          wslfp_lfp_free (lfp);
        }
      wslfp_dataset_free (ds);
    }
#endif
  return 0;
}
