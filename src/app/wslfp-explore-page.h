/* wslfp-explore-page.h: the Explore page: the 3-D layout and the traces
 * side by side in a resizable split (one above the other when the page is
 * narrow), so that moving the probe shows its traces at once. */
#pragma once

#include <gtk/gtk.h>

#include "wslfp-layout-view.h"
#include "wslfp-parts-view.h"
#include "wslfp-trace-view.h"

G_BEGIN_DECLS

#define WSLFP_TYPE_EXPLORE_PAGE (wslfp_explore_page_get_type ())
G_DECLARE_FINAL_TYPE (WslfpExplorePage, wslfp_explore_page, WSLFP, EXPLORE_PAGE, GtkWidget)

WslfpLayoutView *wslfp_explore_page_get_layout_view (WslfpExplorePage *self);
WslfpTraceView  *wslfp_explore_page_get_trace_view  (WslfpExplorePage *self);
GtkPaned        *wslfp_explore_page_get_paned       (WslfpExplorePage *self);
/* Under the traces: one contact's sum and its terms, when revealed. */
GtkRevealer     *wslfp_explore_page_get_parts_revealer (WslfpExplorePage *self);
WslfpPartsView  *wslfp_explore_page_get_parts_view     (WslfpExplorePage *self);

G_END_DECLS
