/* wslfp-layout-hand.h: what the hand does in the layout views.  A drag
 * moves the state's probe (press to release one step to undo; a push
 * against the limit says so once, as a toast through the "win.toast"
 * action); the contact under the pointer shows which cells it hears (its
 * weights on the cells in every layout view, its trace in bold), kept in
 * step with what is computed. */
#pragma once

#include "wslfp-compute-controller.h"
#include "wslfp-history.h"
#include "wslfp-layout-view.h"
#include "wslfp-trace-view.h"

G_BEGIN_DECLS

typedef struct _WslfpLayoutHand WslfpLayoutHand;

/* Watches @layouts and shows in them and in @traces (@n_views each; the
 * arrays are copied, the views not referenced: free the hand first). */
WslfpLayoutHand *wslfp_layout_hand_new  (WslfpComputeController *controller, WslfpHistory *history,
                                         WslfpLayoutView *const *layouts, WslfpTraceView *const *traces,
                                         guint n_views);
void             wslfp_layout_hand_free (WslfpLayoutHand *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WslfpLayoutHand, wslfp_layout_hand_free)

G_END_DECLS
