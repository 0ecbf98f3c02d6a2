/* wslfp-raster-view.h: the spike raster on the traces' time axis. */
#pragma once

#include <gtk/gtk.h>

#include "wslfp-dataset.h"

G_BEGIN_DECLS

#define WSLFP_TYPE_RASTER_VIEW (wslfp_raster_view_get_type ())
G_DECLARE_FINAL_TYPE (WslfpRasterView, wslfp_raster_view, WSLFP, RASTER_VIEW, GtkWidget)

/* (made by the window's template) */
/* The spikes of @dataset (borrowed: keep alive while shown). */
void       wslfp_raster_view_set_dataset (WslfpRasterView *self, const WslfpDataset *dataset);
void       wslfp_raster_view_set_range   (WslfpRasterView *self, double t_start_ms, double t_end_ms);
/* Where the time axis starts: the first panel edge of the traces shown
 * (wslfp_trace_layout_left()), so that the two line up; 0: the usual. */
void       wslfp_raster_view_set_left    (WslfpRasterView *self, double left_px);
void       wslfp_raster_view_draw        (WslfpRasterView *self, cairo_t *cr, double width, double height);

G_END_DECLS
