/* fuzz-dataset.c: the HDF5 dataset loader, then what info and compute do
 * next: the checks and a small computation, from currents and from
 * spikes (a few evaluation times keep each run short). */
#include "fuzz-scratch.h"
#include "wslfp-dataset.h"
#include "wslfp-h5.h"
#include "wslfp-lfp.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static char *path;
  if (path == NULL)
    {
      path = fuzz_scratch ("input.h5");
      wslfp_h5_init ();
    }
  if (!fuzz_put (data, size))
    return 0;
  g_autoptr (GError) error = NULL;
  WslfpDataset *ds = wslfp_dataset_open (path, &error);
  if (ds == NULL)
    return 0;
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
      wslfp_lfp_free (wslfp_job_run (ds, &s, NULL, NULL, &error));
    }
  wslfp_dataset_free (ds);
  return 0;
}
