/* wslfp-status-bar.h: the line under the pages: what the pointer is over
 * (hover-text, bound from a trace view), what the last computation did (the
 * controller's status, or a message), and a progress bar with a cancel
 * button that shows only for runs longer than a quarter of a second. */
#pragma once

#include <adwaita.h>

#include "wslfp-compute-controller.h"

G_BEGIN_DECLS

#define WSLFP_TYPE_STATUS_BAR (wslfp_status_bar_get_type ())
G_DECLARE_FINAL_TYPE (WslfpStatusBar, wslfp_status_bar, WSLFP, STATUS_BAR, AdwBin)

/* Follows @controller's runs and results (once). */
void wslfp_status_bar_set_controller (WslfpStatusBar *self, WslfpComputeController *controller);
/* Shows @message; an error stays in full in the tooltip. */
void wslfp_status_bar_show           (WslfpStatusBar *self, const char *message, gboolean error);
/* Hides the progress (a run was cancelled or failed). */
void wslfp_status_bar_stop           (WslfpStatusBar *self);

G_END_DECLS
