/* fuzz-csv.c: the line-based readers of untrusted files: CSV probes and
 * profile grids, SONATA type tables, NEST spike files.  Any crash, leak,
 * hang or sanitizer report is a finding (build-aux/fuzz.sh). */
#include <math.h>

#include "fuzz-scratch.h"
#include "wslfp-nest-spikes.h"
#include "wslfp-probe-file.h"
#include "wslfp-profile-file.h"
#include "wslfp-sonata-types.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static char *path;
  if (path == NULL)
    path = fuzz_scratch ("input.csv");
  if (!fuzz_put (data, size))
    return 0;
  g_autoptr (GError) error = NULL;
  wslfp_probe_layout_free (wslfp_probe_layout_read (path, &error));
  g_clear_error (&error);
  wslfp_profile_free (wslfp_profile_read_csv (path, &error));
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
  return 0;
}
