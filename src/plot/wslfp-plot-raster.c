/* wslfp-plot-raster.c: the spike raster, on the traces' time axis. */
#include "wslfp-plot-private.h"

#include <math.h>

/* The trace figure's usual first panel edge (or the one it is given:
 * wider depth labels move the traces' right), and its margins. */
#define LEFT   64.0
#define RIGHT  96.0
#define TOP    40.0
#define BOTTOM 46.0

static void
dots (cairo_t *cr, gsize n, const double *t, const gint64 *neuron, double t0, double t1, double x0, double w,
      double y_bottom, double row_h)
{
  double size = CLAMP (row_h, 1.0, 3.0);
  for (gsize k = 0; k < n; k++)
    {
      if (t[k] < t0 || t[k] > t1)
        continue;
      double x = x0 + (t[k] - t0) / (t1 - t0) * w;
      double y = y_bottom - (neuron[k] + 0.5) * row_h;
      cairo_rectangle (cr, x - size / 2, y - size / 2, size, size);
    }
  cairo_fill (cr);
}

void
wslfp_plot_raster (cairo_t *cr, double width, double height, const WslfpRaster *r)
{
  char buf[64];
  wslfp_plot_begin (cr, width, height);
  wslfp_plot_title (cr, width, r->title);
  double x0 = r->left_px > 0 ? r->left_px : LEFT, w = width - x0 - RIGHT, top = TOP, bottom = height - BOTTOM;
  double t0 = r->t_min_ms, t1 = r->t_max_ms > r->t_min_ms ? r->t_max_ms : r->t_min_ms + 1;
  gsize rows = r->n_exc + r->n_inh;
  if (w < 10 || bottom - top < 10 || rows == 0)
    return;
  double row_h = (bottom - top) / rows;

  cairo_save (cr);
  cairo_rectangle (cr, x0, top, w, bottom - top);
  cairo_clip (cr);
  const double *warm = wslfp_plot_exc_color, *cool = wslfp_plot_inh_color;
  cairo_set_source_rgba (cr, warm[0], warm[1], warm[2], 0.9);
  dots (cr, r->n_exc_spikes, r->exc_t_ms, r->exc_neuron, t0, t1, x0, w, bottom, row_h);
  cairo_set_source_rgba (cr, cool[0], cool[1], cool[2], 0.9);
  dots (cr, r->n_inh_spikes, r->inh_t_ms, r->inh_neuron, t0, t1, x0, w, bottom - r->n_exc * row_h, row_h);
  cairo_restore (cr);

  /* Frame, time axis, population labels. */
  cairo_set_source_rgb (cr, 0.3, 0.3, 0.3);
  cairo_set_line_width (cr, 1);
  cairo_rectangle (cr, x0 + 0.5, top + 0.5, w - 1, bottom - top - 1);
  cairo_stroke (cr);
  double step = wslfp_plot_nice_step (t1 - t0, MAX ((int) (w / 80), 2));
  double fitted = wslfp_plot_fit_step (cr, t0, t1, w, step, FALSE, 1);
  step = fitted > 0 ? fitted : step;
  double ticks[64];
  gsize n_ticks = wslfp_plot_ticks (t0, t1, step, ticks, G_N_ELEMENTS (ticks));
  for (gsize k = 0; k < n_ticks; k++)
    {
      double t = ticks[k];
      double x = round (x0 + (t - t0) / (t1 - t0) * w) + 0.5;
      cairo_move_to (cr, x, bottom);
      cairo_line_to (cr, x, bottom + 4);
      cairo_stroke (cr);
      wslfp_plot_format_number (buf, sizeof buf, t, step);
      wslfp_plot_text (cr, x, bottom + 7, buf, 0.5, 0);
    }
  wslfp_plot_text (cr, x0 + w / 2, height - 6, _("time (ms)"), 0.5, 1);

  /* Each population's neuron indices, its name beside them, and a line
   * where one population ends and the other begins. */
  struct { gsize n; double base; const double *rgb; const char *format; } pops[] = {
    { r->n_exc, bottom, warm, _("excitatory (%zu)") },
    { r->n_inh, bottom - r->n_exc * row_h, cool, _("inhibitory (%zu)") },
  };
  for (guint p = 0; p < G_N_ELEMENTS (pops); p++)
    {
      if (pops[p].n == 0)
        continue;
      double band = pops[p].n * row_h;
      double n_step = wslfp_plot_nice_step (pops[p].n, MAX ((int) (band / 70), 1));
      n_ticks = wslfp_plot_ticks (0, pops[p].n - 1, MAX (n_step, 1), ticks, G_N_ELEMENTS (ticks));
      cairo_set_source_rgb (cr, 0.3, 0.3, 0.3);
      for (gsize k = 0; k < n_ticks; k++)
        {
          double y = round (pops[p].base - (ticks[k] + 0.5) * row_h) + 0.5;
          cairo_move_to (cr, x0 - 4, y);
          cairo_line_to (cr, x0, y);
          cairo_stroke (cr);
          g_snprintf (buf, sizeof buf, "%.0f", ticks[k]);
          wslfp_plot_text (cr, x0 - 6, y, buf, 1, 0.5);
        }
      cairo_save (cr);
      cairo_set_source_rgb (cr, pops[p].rgb[0], pops[p].rgb[1], pops[p].rgb[2]);
      cairo_translate (cr, 6, pops[p].base - band / 2);
      cairo_rotate (cr, -G_PI / 2);
      g_snprintf (buf, sizeof buf, pops[p].format, pops[p].n);
      cairo_text_extents_t ext;
      cairo_text_extents (cr, buf, &ext);
      if (ext.x_advance > band && band > 0)
        g_snprintf (buf, sizeof buf, "%s", p == 0 ? _("exc") : _("inh"));
      wslfp_plot_text (cr, 0, 0, buf, 0.5, 0);
      cairo_restore (cr);
    }
  if (r->n_inh > 0 && r->n_exc > 0)
    {
      double y = round (bottom - r->n_exc * row_h) + 0.5;
      cairo_set_source_rgba (cr, 0.3, 0.3, 0.3, 0.8);
      cairo_move_to (cr, x0, y);
      cairo_line_to (cr, x0 + w, y);
      cairo_stroke (cr);
    }
}
