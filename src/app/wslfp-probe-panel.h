/* wslfp-probe-panel.h: the side panel's probe: its kind (the parametric
 * shanks, presets, the dataset's, a file), its placement and the shanks'
 * numbers, bound to a WslfpProbe (the Explorer state's); the controls
 * keep no values of their own.  Presets are applied here; the dataset's
 * probe and a file's need the window, which the panel asks by signal.
 *
 * Signals: "kind-requested" (const char *kind: "dataset" or "file"): the
 * user picked a kind the panel cannot make itself.  The list shows the
 * probe's kind again afterwards, whether or not the window changed it. */
#pragma once

#include <adwaita.h>

#include "wslfp-probe.h"

G_BEGIN_DECLS

#define WSLFP_TYPE_PROBE_PANEL (wslfp_probe_panel_get_type ())
G_DECLARE_FINAL_TYPE (WslfpProbePanel, wslfp_probe_panel, WSLFP, PROBE_PANEL, AdwBin)

/* The probe kinds in the order of the list. */
extern const char *const wslfp_probe_panel_kinds[];

/* Binds the controls to @probe (once). */
void wslfp_probe_panel_set_probe       (WslfpProbePanel *self, WslfpProbe *probe);
/* The list's entry for a probe read from a file, by the probe's name. */
void wslfp_probe_panel_set_file_name   (WslfpProbePanel *self, const char *name);
/* The recent probe files (NULL or empty: the button is insensitive). */
void wslfp_probe_panel_set_recent_menu (WslfpProbePanel *self, GMenuModel *menu);

G_END_DECLS
