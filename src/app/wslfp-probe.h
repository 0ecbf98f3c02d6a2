/* wslfp-probe.h: the probe the app computes for: a layout (today's
 * parametric shanks, a preset, a probeinterface or CSV file, or the
 * dataset's own contacts) placed by a position and three angles.
 * Properties, so the probe panel binds to it. */
#pragma once

#include <glib-object.h>

#include "wslfp-probe-file.h"

G_BEGIN_DECLS

#define WSLFP_TYPE_PROBE (wslfp_probe_get_type ())
G_DECLARE_FINAL_TYPE (WslfpProbe, wslfp_probe, WSLFP, PROBE, GObject)

/* The position is the centre of the contacts; the angles turn the probe
 * about it (WslfpPlacement: azimuth about z, tilt from vertical, roll
 * about its own axis).  The "kind" is "shanks" (the parametric probe of
 * n-shanks, spacing-um, n-contacts and pitch-um), a preset id, "file" or
 * "dataset".  It stays within ±WSLFP_PROBE_LIMIT_UM (wslfp-probe-file.h). */

WslfpProbe *wslfp_probe_new (void);
/* The demo's probe: 3 shanks, 250 µm apart, 10 contacts from z = −400 to 600. */
void        wslfp_probe_reset (WslfpProbe *probe);
/* Fits the parametric probe to existing contacts (centre, shanks, spacing,
 * pitch) when they form a regular grid in x–z; FALSE (unchanged) otherwise. */
gboolean    wslfp_probe_fit (WslfpProbe *probe, const double *xyz_um, const int *shank, gsize n);
/* Takes @layout (owned) as it is, of @kind ("file", "dataset" or a preset
 * id); the probe keeps its position and angles unless @place_as_given, in
 * which case it sits exactly where @layout's coordinates say. */
void        wslfp_probe_set_layout (WslfpProbe *probe, const char *kind, WslfpProbeLayout *layout,
                                    gboolean place_as_given);
/* "shanks" or a preset id; FALSE for an unknown id. */
gboolean    wslfp_probe_set_preset (WslfpProbe *probe, const char *kind);
const char *wslfp_probe_get_kind (WslfpProbe *probe);
const char *wslfp_probe_get_name (WslfpProbe *probe);
const WslfpProbeLayout *wslfp_probe_get_layout (WslfpProbe *probe);
/* Placed contact positions (n × 3) and shanks (0 … n_shanks − 1). */
gsize       wslfp_probe_get_contacts (WslfpProbe *probe, double **xyz_um, int **shank);
/* Each contact's shank as the probe's maker numbers it (for export). */
int        *wslfp_probe_get_shank_ids (WslfpProbe *probe);
/* The placed shank (or needle) bodies, 4 corners × 3 each. */
gsize       wslfp_probe_get_bodies (WslfpProbe *probe, double **corners_um);
void        wslfp_probe_get_placement (WslfpProbe *probe, WslfpPlacement *placement);
/* The probe and its placement in words, as LFP files record it. */
char       *wslfp_probe_describe (WslfpProbe *probe);
/* Moves the centre by (dx, dy, dz) µm; FALSE (unmoved) if that would take
 * it beyond ±WSLFP_PROBE_LIMIT_UM. */
gboolean    wslfp_probe_translate (WslfpProbe *probe, double dx, double dy, double dz);

double      wslfp_probe_get_x_um (WslfpProbe *probe);
double      wslfp_probe_get_y_um (WslfpProbe *probe);
double      wslfp_probe_get_z_um (WslfpProbe *probe);

G_END_DECLS
