/* wslfp-figure.h: a page of the Explorer as a figure: what the page shows,
 * drawn by the same cairo code as on screen (the views' _draw), into a
 * PNG, SVG or PDF at the page's on-screen proportions or at a printed
 * size. */
#pragma once

#include <gtk/gtk.h>

#include "wslfp-plot.h"

G_BEGIN_DECLS

/* Draws @page (the Explore page, or a trace, layout, profile or raster
 * view) into @cr, @width × @height. */
void     wslfp_figure_draw   (GtkWidget *page, cairo_t *cr, double width, double height);
/* Writes @page to @path (PNG, SVG or PDF by extension; anything else is an
 * error naming it), atomically: at @print's size, or without one at the
 * proportions of a page (1200 × 760; the profile's heat map 700 × 700). */
gboolean wslfp_figure_export (GtkWidget *page, const char *path, const WslfpPrintSize *print, GError **error);

/* @widget as it is on screen now, as a PNG, atomically. */
gboolean wslfp_figure_save_screenshot (GtkWidget *widget, const char *path, GError **error);

G_END_DECLS
