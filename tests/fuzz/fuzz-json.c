/* fuzz-json.c: the JSON readers: probeinterface probes (placed, as the
 * tools place them) and SONATA configs (whose files are not there). */
#include <math.h>

#include "fuzz-scratch.h"
#include "wslfp-probe-file.h"
#include "wslfp-sonata-config.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static char *path;
  if (path == NULL)
    path = fuzz_scratch ("input.json");
  if (!fuzz_put (data, size))
    return 0;
  g_autoptr (GError) error = NULL;
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
  g_clear_error (&error);
  wslfp_sonata_config_free (wslfp_sonata_config_read (path, &error));
  return 0;
}
