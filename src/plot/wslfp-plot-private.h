/* wslfp-plot-private.h: helpers shared by the figures. */
#pragma once

#include "wslfp-plot.h"

/* Figure labels are translated in the wslfp domain (the app binds it; the
 * CLI does not, so its figures stay English). */
#include <glib/gi18n-lib.h>

/* Text aligned at (x, y): align 0 = left/top, 0.5 = centre, 1 = right/bottom. */
void   wslfp_plot_text (cairo_t *cr, double x, double y, const char *text, double align_x, double align_y);
/* @text in lines no wider than @width in @cr's font, broken at spaces (a
 * longer word keeps a line of its own).  Texts wrap rather than shrink:
 * every text is at least the size chosen for the figure. */
GStrv  wslfp_plot_wrap (cairo_t *cr, const char *text, double width);
/* @text, shortened in the middle with "…" to fit @width in @cr's font. */
char  *wslfp_plot_ellipsize (cairo_t *cr, const char *text, double width);
/* An axis title turned to read upwards, centred on @y_mid, its right edge
 * at @right (or at the page's left edge, if that is further right), kept
 * within a page @page_h tall. */
void   wslfp_plot_vertical_title (cairo_t *cr, double right, double y_mid, double page_h, const char *text);
/* A context with the figures' font, for measuring texts before drawing
 * (a layout computed without a surface). */
cairo_t *wslfp_plot_measuring_context (void);
/* White background and the default font. */
void   wslfp_plot_begin (cairo_t *cr, double width, double height);
void   wslfp_plot_title (cairo_t *cr, double width, const char *title);

/* A vertical diverging colour bar over [−limit, limit] in the box, with
 * ticks and @label (units) above it. */
void   wslfp_plot_colorbar (cairo_t *cr, double x, double y, double w, double h, double limit, const char *label);
/* The first index of the increasing @t (n values) with t ≥ @x; @n if none. */
gsize  wslfp_plot_lower_bound (const double *t, gsize n, double x);

/* A printed figure's surface: points per device unit (1 for PDF and SVG,
 * 72/dpi for PNG) and the page's width in points. */
void     wslfp_plot_set_print (cairo_surface_t *surface, double pt_per_device, double page_width_pt);
/* TRUE if @cr draws a printed figure: points per user unit and the page's
 * width. */
gboolean wslfp_plot_get_print (cairo_t *cr, double *pt_per_unit, double *page_width_pt);
/* A line @screen_px wide on screen, in user units: on a printed page
 * 0.5 pt at one column, more on wider pages. */
double   wslfp_plot_line_width (cairo_t *cr, double screen_px);
/* Whether @cr draws to PDF or SVG (or a printed figure's recording). */
gboolean wslfp_plot_is_vector (cairo_t *cr);
/* Points per user unit on a vector or printed surface (PDF and SVG
 * surfaces count in points). */
double   wslfp_plot_pt_per_unit (cairo_t *cr);
/* Records a text drawn at (x, y) if the surface records texts. */
void     wslfp_plot_note_text (cairo_t *cr, const char *text, double x, double y, const cairo_text_extents_t *ext);
/* The step of labelled ticks over [@lo, @hi], drawn along @length user
 * units (across, or @vertical), at least @step, with half an em between
 * neighbouring labels in @cr's font; 0 if fewer than @min_ticks fit. */
double   wslfp_plot_fit_step (cairo_t *cr, double lo, double hi, double length, double step, gboolean vertical,
                              int min_ticks);
