/* wslfp-probe.h: a multi-shank probe described by a few numbers (position,
 * rotation, shanks, spacing, contacts, pitch), and the contact positions
 * they give.  Properties so the probe panel binds to it. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define WSLFP_TYPE_PROBE (wslfp_probe_get_type ())
G_DECLARE_FINAL_TYPE (WslfpProbe, wslfp_probe, WSLFP, PROBE, GObject)

WslfpProbe *wslfp_probe_new (void);
/* The demo's probe: 3 shanks, 250 µm apart, 10 contacts from z = −400 to 600. */
void        wslfp_probe_reset (WslfpProbe *probe);
/* Fits the probe to existing contacts (centre, shanks, spacing, pitch)
 * when they form a regular grid in x–z; FALSE (unchanged) otherwise. */
gboolean    wslfp_probe_fit (WslfpProbe *probe, const double *xyz_um, const int *shank, gsize n);
/* Contact positions (n × 3) and shanks, shank by shank, deepest first. */
gsize       wslfp_probe_get_contacts (WslfpProbe *probe, double **xyz_um, int **shank);
/* Moves the centre by (dx, dy, dz) µm. */
void        wslfp_probe_translate (WslfpProbe *probe, double dx, double dy, double dz);

double      wslfp_probe_get_x_um (WslfpProbe *probe);
double      wslfp_probe_get_y_um (WslfpProbe *probe);
double      wslfp_probe_get_z_um (WslfpProbe *probe);

G_END_DECLS
