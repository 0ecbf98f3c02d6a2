/* wslfp-explore-page.h: the Explore page: the 3-D layout and the traces
 * side by side in a resizable split (one above the other when the page is
 * narrow), so that moving the probe shows its traces at once; under the
 * traces, when the state's show-terms is on, one contact's sum and its two
 * terms (the state's terms-contact, else the one with the largest swing),
 * computed in a worker for each exact result of the controller.  Clicking
 * a trace chooses its contact.  The divider's place is remembered
 * (GSettings explore-divider). */
#pragma once

#include <gtk/gtk.h>

#include "wslfp-compute-controller.h"
#include "wslfp-layout-view.h"
#include "wslfp-parts-view.h"
#include "wslfp-trace-view.h"

G_BEGIN_DECLS

#define WSLFP_TYPE_EXPLORE_PAGE (wslfp_explore_page_get_type ())
G_DECLARE_FINAL_TYPE (WslfpExplorePage, wslfp_explore_page, WSLFP, EXPLORE_PAGE, GtkWidget)

/* The controller whose results the terms view explains (once). */
void             wslfp_explore_page_set_controller  (WslfpExplorePage *self, WslfpComputeController *controller);
/* The page as a figure: the layout left, the traces right. */
void             wslfp_explore_page_draw            (WslfpExplorePage *self, cairo_t *cr, double width, double height);
/* The terms are being computed. */
gboolean         wslfp_explore_page_terms_busy      (WslfpExplorePage *self);
WslfpLayoutView *wslfp_explore_page_get_layout_view (WslfpExplorePage *self);
WslfpTraceView  *wslfp_explore_page_get_trace_view  (WslfpExplorePage *self);
GtkPaned        *wslfp_explore_page_get_paned       (WslfpExplorePage *self);
/* Under the traces: one contact's sum and its terms, when revealed. */
GtkRevealer     *wslfp_explore_page_get_parts_revealer (WslfpExplorePage *self);
WslfpPartsView  *wslfp_explore_page_get_parts_view     (WslfpExplorePage *self);

G_END_DECLS
