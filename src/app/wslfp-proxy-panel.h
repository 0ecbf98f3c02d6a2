/* wslfp-proxy-panel.h: the side panel's proxy settings (profile and its
 * grid, population mode, α, the delays, the dendrite length, normalising,
 * the source and kernel, a SONATA network's sources) and a preview of the
 * profile.  Its controls are bound to the state of a compute controller and
 * keep no values of their own; it shows what the controller's document
 * allows (its source, a SONATA network's rows) and the custom profile's
 * grid.  Choosing "custom grid" with no grid read asks for one (the
 * win.open-profile-grid action) and keeps the built-in profile meanwhile.
 *
 * Signals: "sources-applied" (const char *rule): the user applied another
 * --sources rule for the open SONATA network. */
#pragma once

#include <adwaita.h>

#include "wslfp-compute-controller.h"
#include "wslfp-profile-view.h"

G_BEGIN_DECLS

#define WSLFP_TYPE_PROXY_PANEL (wslfp_proxy_panel_get_type ())
G_DECLARE_FINAL_TYPE (WslfpProxyPanel, wslfp_proxy_panel, WSLFP, PROXY_PANEL, AdwBin)

/* Binds the controls to @controller's state and follows its document (once). */
void              wslfp_proxy_panel_set_controller  (WslfpProxyPanel *self, WslfpComputeController *controller);
WslfpProfileView *wslfp_proxy_panel_get_profile_preview (WslfpProxyPanel *self);

G_END_DECLS
