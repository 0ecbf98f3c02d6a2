/* wslfp-plot-private.h: helpers shared by the figures. */
#pragma once

#include "wslfp-plot.h"

/* Figure labels are translated in the wslfp domain (the app binds it; the
 * CLI does not, so its figures stay English). */
#include <glib/gi18n-lib.h>

/* Text aligned at (x, y): align 0 = left/top, 0.5 = centre, 1 = right/bottom. */
void   wslfp_plot_text (cairo_t *cr, double x, double y, const char *text, double align_x, double align_y);
/* White background and the default font. */
void   wslfp_plot_begin (cairo_t *cr, double width, double height);
void   wslfp_plot_title (cairo_t *cr, double width, const char *title);

/* A vertical diverging colour bar over [−limit, limit] in the box, with
 * ticks and @label (units) above it. */
void   wslfp_plot_colorbar (cairo_t *cr, double x, double y, double w, double h, double limit, const char *label);
/* The first index of the increasing @t (n values) with t ≥ @x; @n if none. */
gsize  wslfp_plot_lower_bound (const double *t, gsize n, double x);
