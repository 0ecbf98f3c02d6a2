/* wslfp-plot-parts.c: where one contact's signal comes from: the LFP and
 * its two terms, the AMPA currents' and the GABA currents', on one axis. */
#include "wslfp-plot-private.h"

#include <math.h>

#define MARGIN_LEFT   64.0
#define MARGIN_RIGHT  16.0
#define MARGIN_TOP    46.0
#define MARGIN_BOTTOM 40.0

void
wslfp_parts_range (const WslfpParts *parts, double *t0, double *t1, double *v0, double *v1)
{
  *t0 = parts->n_times ? parts->t_ms[0] : 0;
  *t1 = parts->n_times ? parts->t_ms[parts->n_times - 1] : 1;
  if (parts->t_max_ms > parts->t_min_ms)
    {
      *t0 = parts->t_min_ms;
      *t1 = parts->t_max_ms;
    }
  if (!(*t1 > *t0))
    *t1 = *t0 + 1;
  *v0 = INFINITY;
  *v1 = -INFINITY;
  const double *series[3] = { parts->total, parts->ampa, parts->gaba };
  gsize i0 = wslfp_plot_lower_bound (parts->t_ms, parts->n_times, *t0);
  for (gsize i = i0; i < parts->n_times && parts->t_ms[i] <= *t1; i++)
    for (int k = 0; k < 3; k++)
      {
        *v0 = MIN (*v0, series[k][i]);
        *v1 = MAX (*v1, series[k][i]);
      }
  if (!(*v1 > *v0))
    {
      double mid = isfinite (*v0) ? *v0 : 0;
      *v0 = mid - 1;
      *v1 = mid + 1;
    }
}

/* A line of the figure and its place in the legend. */
typedef struct
{
  const double *v;
  double rgb[3];
  double width;
  const char *label;
  int row;
  double x; /* where its sample line starts */
} Line;

#define LEGEND_ROW 15.0
/* The plot's least height that still shows the terms' shapes. */
#define MIN_PLOT_HEIGHT 50.0

/* Places the legend's items in rows right-aligned at @right, as many to a
 * row as fit the figure's width; the number of rows. */
static int
place_legend (cairo_t *cr, Line *lines, guint n, double right)
{
  double w[8];
  n = MIN (n, G_N_ELEMENTS (w));
  for (guint l = 0; l < n; l++)
    {
      cairo_text_extents_t ext;
      cairo_text_extents (cr, lines[l].label, &ext);
      w[l] = 22 + ext.x_advance; /* sample line, gap, label */
    }
  int row = 0;
  guint first = 0;
  double used = w[0];
  for (guint l = 1; l <= n; l++)
    {
      if (l < n && used + 14 + w[l] <= right - 4)
        {
          used += 14 + w[l];
          continue;
        }
      double x = right - used;
      for (guint k = first; k < l; k++, x += 14)
        {
          lines[k].row = row;
          lines[k].x = x;
          x += w[k];
        }
      if (l == n)
        break;
      row++;
      first = l;
      used = w[l];
    }
  return row + 1;
}

double
wslfp_parts_min_height (double width)
{
  Line lines[] = { { .label = _("AMPA term") }, { .label = _("−α · GABA term") }, { .label = _("sum: the LFP") } };
  cairo_t *cr = wslfp_plot_measuring_context ();
  int rows = place_legend (cr, lines, G_N_ELEMENTS (lines), MAX (width - MARGIN_RIGHT, MARGIN_LEFT + 10));
  cairo_destroy (cr);
  return MARGIN_TOP + LEGEND_ROW * (rows - 1) + MIN_PLOT_HEIGHT + MARGIN_BOTTOM;
}

void
wslfp_plot_parts (cairo_t *cr, double width, double height, const WslfpParts *parts)
{
  wslfp_plot_begin (cr, width, height);
  double t0, t1, v0, v1;
  wslfp_parts_range (parts, &t0, &t1, &v0, &v1);
  double x0 = MARGIN_LEFT, x1 = MAX (width - MARGIN_RIGHT, x0 + 10);
  Line lines[] = {
    { parts->ampa, { 0.84, 0.37, 0.0 }, 1.2, parts->by_cell_type ? _("excitatory cells’ spikes") : _("AMPA term"), 0 },
    { parts->gaba, { 0.0, 0.45, 0.70 }, 1.2, parts->by_cell_type ? _("inhibitory cells’ spikes") : _("−α · GABA term"),
      0 },
    { parts->total, { 0.1, 0.1, 0.1 }, 1.8, _("sum: the LFP"), 0 },
  };
  int legend_rows = place_legend (cr, lines, G_N_ELEMENTS (lines), x1);
  double y0 = MARGIN_TOP + LEGEND_ROW * (legend_rows - 1), y1 = MAX (height - MARGIN_BOTTOM, y0 + 10);
  double pad = (v1 - v0) * 0.05;
  v0 -= pad;
  v1 += pad;
#define X(t) (x0 + ((t) - t0) / (t1 - t0) * (x1 - x0))
#define Y(v) (y1 - ((v) - v0) / (v1 - v0) * (y1 - y0))
  char buf[64];
  double ticks[64];

  /* Axes: value ticks on the left, time below, and the zero line. */
  cairo_set_line_width (cr, 1);
  double v_step = wslfp_plot_nice_step (v1 - v0, MAX ((int) ((y1 - y0) / 30), 2));
  double v_fitted = wslfp_plot_fit_step (cr, v0, v1, y1 - y0, v_step, TRUE, 1);
  v_step = v_fitted > 0 ? v_fitted : v_step;
  gsize n = v_fitted > 0 ? wslfp_plot_ticks (v0, v1, v_step, ticks, G_N_ELEMENTS (ticks)) : 0;
  double labels_left = x0 - 6;
  for (gsize k = 0; k < n; k++)
    {
      cairo_set_source_rgb (cr, 0.2, 0.2, 0.2);
      wslfp_plot_format_number (buf, sizeof buf, ticks[k], v_step);
      wslfp_plot_text (cr, x0 - 6, Y (ticks[k]), buf, 1, 0.5);
      cairo_text_extents_t ext;
      cairo_text_extents (cr, buf, &ext);
      labels_left = MIN (labels_left, x0 - 6 - ext.width);
    }
  double t_step = wslfp_plot_nice_step (t1 - t0, MAX ((int) ((x1 - x0) / 80), 2));
  double fitted = wslfp_plot_fit_step (cr, t0, t1, x1 - x0, t_step, FALSE, 1);
  t_step = fitted > 0 ? fitted : t_step;
  n = wslfp_plot_ticks (t0, t1, t_step, ticks, G_N_ELEMENTS (ticks));
  for (gsize k = 0; k < n; k++)
    {
      cairo_set_source_rgb (cr, 0.3, 0.3, 0.3);
      cairo_move_to (cr, round (X (ticks[k])) + 0.5, y1);
      cairo_line_to (cr, round (X (ticks[k])) + 0.5, y1 + 4);
      cairo_stroke (cr);
      wslfp_plot_format_number (buf, sizeof buf, ticks[k], t_step);
      wslfp_plot_text (cr, X (ticks[k]), y1 + 6, buf, 0.5, 0);
    }
  cairo_set_source_rgb (cr, 0.2, 0.2, 0.2);
  wslfp_plot_text (cr, (x0 + x1) / 2, height - 4, _("time (ms)"), 0.5, 1);
  cairo_set_source_rgb (cr, 0.3, 0.3, 0.3);
  cairo_rectangle (cr, x0 + 0.5, y0 + 0.5, x1 - x0 - 1, y1 - y0 - 1);
  cairo_stroke (cr);
  if (v0 < 0 && v1 > 0)
    {
      cairo_set_source_rgba (cr, 0.5, 0.5, 0.5, 0.6);
      cairo_move_to (cr, x0, round (Y (0)) + 0.5);
      cairo_line_to (cr, x1, round (Y (0)) + 0.5);
      cairo_stroke (cr);
    }

  /* The terms under the sum, each a line. */
  gsize i0 = wslfp_plot_lower_bound (parts->t_ms, parts->n_times, t0);
  if (i0 > 0)
    i0--;
  cairo_save (cr);
  cairo_rectangle (cr, x0, y0, x1 - x0, y1 - y0);
  cairo_clip (cr);
  for (guint l = 0; l < G_N_ELEMENTS (lines); l++)
    {
      cairo_set_source_rgb (cr, lines[l].rgb[0], lines[l].rgb[1], lines[l].rgb[2]);
      cairo_set_line_width (cr, lines[l].width);
      for (gsize i = i0; i < parts->n_times; i++)
        {
          double x = X (parts->t_ms[i]), y = Y (lines[l].v[i]);
          if (i == i0)
            cairo_move_to (cr, x, y);
          else
            cairo_line_to (cr, x, y);
          if (parts->t_ms[i] > t1)
            break;
        }
      cairo_stroke (cr);
    }
  cairo_restore (cr);

  /* The title on the first line, the legend right-aligned below it. */
  for (guint l = 0; l < G_N_ELEMENTS (lines); l++)
    {
      double ly = MARGIN_TOP - 8 + LEGEND_ROW * lines[l].row, lx = lines[l].x;
      cairo_set_source_rgb (cr, lines[l].rgb[0], lines[l].rgb[1], lines[l].rgb[2]);
      cairo_set_line_width (cr, lines[l].width + 0.5);
      cairo_move_to (cr, lx, ly - 4);
      cairo_line_to (cr, lx + 16, ly - 4);
      cairo_stroke (cr);
      cairo_set_source_rgb (cr, 0.2, 0.2, 0.2);
      wslfp_plot_text (cr, lx + 22, ly, lines[l].label, 0, 1);
    }
  if (parts->title != NULL)
    {
      cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
      cairo_save (cr);
      cairo_select_font_face (cr, "Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
      /* Over the plot, or from the figure's left edge if it is longer. */
      cairo_text_extents_t ext;
      cairo_text_extents (cr, parts->title, &ext);
      double x = ext.x_advance <= width - 4 - x0 ? x0 : 4;
      g_autofree char *title = wslfp_plot_ellipsize (cr, parts->title, width - 4 - x);
      wslfp_plot_text (cr, x, 6, title, 0, 0);
      cairo_restore (cr);
    }
  cairo_set_source_rgb (cr, 0.2, 0.2, 0.2);
  /* (half an em clear of the widest value label) */
  wslfp_plot_vertical_title (cr, MIN (14 + WSLFP_PLOT_FONT_UNITS, labels_left - 0.5 * WSLFP_PLOT_FONT_UNITS),
                             (y0 + y1) / 2, height, parts->unit ? parts->unit : "µV");
#undef X
#undef Y
}
