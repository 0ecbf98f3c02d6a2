/* wslfp-parts-view.h: one contact's LFP with its AMPA and GABA terms (the
 * teaching view of where the signal comes from).  Draws with the shared
 * cairo code. */
#pragma once

#include <gtk/gtk.h>

#include "wslfp-plot.h"

G_BEGIN_DECLS

#define WSLFP_TYPE_PARTS_VIEW (wslfp_parts_view_get_type ())
G_DECLARE_FINAL_TYPE (WslfpPartsView, wslfp_parts_view, WSLFP, PARTS_VIEW, GtkWidget)

/* Shows @parts (copied); NULL clears the view (with @message, if any). */
void wslfp_parts_view_set       (WslfpPartsView *self, const WslfpParts *parts, const char *message);
/* The time range shown, as the traces above it (equal: all). */
void wslfp_parts_view_set_range (WslfpPartsView *self, double t0_ms, double t1_ms);
/* What is shown (the view's own copies), or FALSE when nothing. */
gboolean wslfp_parts_view_get   (WslfpPartsView *self, WslfpParts *parts);
void wslfp_parts_view_draw      (WslfpPartsView *self, cairo_t *cr, double width, double height);

G_END_DECLS
