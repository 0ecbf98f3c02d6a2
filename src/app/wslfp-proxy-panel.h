/* wslfp-proxy-panel.h: the side panel's proxy settings (profile and its
 * grid, population mode, α, the delays, the dendrite length, normalising,
 * the source and kernel, a SONATA network's sources) and a preview of the
 * profile.  Its controls are bound to an Explorer state and keep no values
 * of their own; what depends on the dataset is shown through
 * wslfp_proxy_panel_show_dataset().
 *
 * Signals: "sources-applied" (const char *rule): the user applied another
 * --sources rule for the open SONATA network. */
#pragma once

#include <adwaita.h>

#include "wslfp-dataset.h"
#include "wslfp-explorer-state.h"
#include "wslfp-profile-view.h"

G_BEGIN_DECLS

#define WSLFP_TYPE_PROXY_PANEL (wslfp_proxy_panel_get_type ())
G_DECLARE_FINAL_TYPE (WslfpProxyPanel, wslfp_proxy_panel, WSLFP, PROXY_PANEL, AdwBin)

/* Binds the controls to @state (once). */
void              wslfp_proxy_panel_set_state       (WslfpProxyPanel *self, WslfpExplorerState *state);
/* What the open dataset allows: the source when it has currents and
 * spikes, a SONATA network's rows with its --sources @rule. */
void              wslfp_proxy_panel_show_dataset    (WslfpProxyPanel *self, const WslfpDataset *dataset,
                                                     const char *rule);
/* Whether the user can choose the source (the dataset has both). */
gboolean          wslfp_proxy_panel_source_choosable (WslfpProxyPanel *self);
/* The custom profile's grid, by name. */
void              wslfp_proxy_panel_set_grid_name   (WslfpProxyPanel *self, const char *name);
WslfpProfileView *wslfp_proxy_panel_get_profile_preview (WslfpProxyPanel *self);

G_END_DECLS
