/* wslfp-probe-panel.h: the side panel's probe: its kind (the parametric
 * shanks, presets, the dataset's, a file), its placement and the shanks'
 * numbers, bound to the probe of a compute controller's state; the
 * controls keep no values of their own.  Choosing the dataset's probe
 * takes the controller's document's; choosing "file" takes the last probe
 * file read, or asks for one (win.open-probe). */
#pragma once

#include <adwaita.h>

#include "wslfp-compute-controller.h"

G_BEGIN_DECLS

#define WSLFP_TYPE_PROBE_PANEL (wslfp_probe_panel_get_type ())
G_DECLARE_FINAL_TYPE (WslfpProbePanel, wslfp_probe_panel, WSLFP, PROBE_PANEL, AdwBin)

/* The probe kinds in the order of the list. */
extern const char *const wslfp_probe_panel_kinds[];

/* Binds the controls to @controller's probe (once). */
void wslfp_probe_panel_set_controller  (WslfpProbePanel *self, WslfpComputeController *controller);
/* The recent probe files (NULL or empty: the button is insensitive). */
void wslfp_probe_panel_set_recent_menu (WslfpProbePanel *self, GMenuModel *menu);

G_END_DECLS
