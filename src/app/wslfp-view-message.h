/* wslfp-view-message.h: what a view draws instead of a figure it cannot
 * draw (yet): a message, centred and wrapped, on white. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void wslfp_view_draw_message (cairo_t *cr, double width, double height, const char *message);

G_END_DECLS
