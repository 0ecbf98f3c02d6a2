/* wslfp-plot-traces.c: the multi-shank LFP figure: one panel per shank,
 * contacts stacked by depth, a shared time axis and a µV scale bar. */
#include "wslfp-plot-private.h"

#include <math.h>
#include <string.h>

#define MARGIN_LEFT   64.0
#define MARGIN_RIGHT  96.0
#define MARGIN_TOP    52.0
#define MARGIN_BOTTOM 46.0
#define PANEL_GAP     18.0

static gsize
lower_bound (const double *t, gsize n, double x)
{
  gsize lo = 0, hi = n;
  while (lo < hi)
    {
      gsize mid = lo + (hi - lo) / 2;
      if (t[mid] < x)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

void
wslfp_trace_layout_compute (WslfpTraceLayout *L, const WslfpTraces *tr, const WslfpTraceStyle *style, double width,
                            double height)
{
  memset (L, 0, sizeof *L);
  L->width = width;
  L->height = height;
  L->n_panels = CLAMP (tr->n_shanks, 1, 64);
  L->t0 = tr->n_times ? tr->t_ms[0] : 0;
  L->t1 = tr->n_times ? tr->t_ms[tr->n_times - 1] : 1;
  if (style != NULL && style->t_max_ms > style->t_min_ms)
    {
      L->t0 = style->t_min_ms;
      L->t1 = style->t_max_ms;
    }
  if (!(L->t1 > L->t0))
    L->t1 = L->t0 + 1;

  double inner = width - MARGIN_LEFT - MARGIN_RIGHT - PANEL_GAP * (L->n_panels - 1);
  L->panel_w = MAX (inner / L->n_panels, 10);
  for (int p = 0; p < L->n_panels; p++)
    L->panel_x[p] = MARGIN_LEFT + p * (L->panel_w + PANEL_GAP);
  L->plot_top = MARGIN_TOP;
  L->plot_bottom = MAX (height - MARGIN_BOTTOM, MARGIN_TOP + 10);

  /* Depths and the most contacts on one shank set each trace's room. */
  int per_shank[64] = { 0 }, most = 1;
  L->z_min = INFINITY;
  L->z_max = -INFINITY;
  for (gsize e = 0; e < tr->n_electrodes; e++)
    {
      double z = tr->electrodes_um[3 * e + 2];
      L->z_min = MIN (L->z_min, z);
      L->z_max = MAX (L->z_max, z);
      int s = CLAMP (tr->shank[e], 0, 63);
      most = MAX (most, ++per_shank[s]);
    }
  if (tr->n_electrodes == 0)
    L->z_min = L->z_max = 0;
  L->slot_px = (L->plot_bottom - L->plot_top) / most;

  /* One shared scale: the largest excursion in the shown range fills a
   * slot (times the user's gain). */
  double peak = 0;
  gsize i0 = lower_bound (tr->t_ms, tr->n_times, L->t0), i1 = lower_bound (tr->t_ms, tr->n_times, L->t1 + 1e-12);
  for (gsize i = i0; i < i1 && i < tr->n_times; i++)
    for (gsize e = 0; e < tr->n_electrodes; e++)
      peak = MAX (peak, fabs (tr->uv[i * tr->n_electrodes + e]));
  if (!(peak > 0))
    peak = 1;
  double gain = style != NULL && style->gain > 0 ? style->gain : 1.0;
  L->uv_per_px = peak / (L->slot_px * 0.5 * gain);
}

double
wslfp_trace_layout_x (const WslfpTraceLayout *L, int panel, double t_ms)
{
  return L->panel_x[panel] + (t_ms - L->t0) / (L->t1 - L->t0) * L->panel_w;
}

double
wslfp_trace_layout_y0 (const WslfpTraceLayout *L, const WslfpTraces *tr, gsize e)
{
  double half = L->slot_px / 2;
  if (!(L->z_max > L->z_min))
    return (L->plot_top + L->plot_bottom) / 2;
  double z = tr->electrodes_um[3 * e + 2];
  /* Superficial (high z) at the top, as on a probe drawing. */
  return L->plot_top + half + (L->z_max - z) / (L->z_max - L->z_min) * (L->plot_bottom - L->plot_top - 2 * half);
}

gboolean
wslfp_trace_layout_pick (const WslfpTraceLayout *L, const WslfpTraces *tr, double x, double y, gsize *e_out,
                         double *t_out, double *uv_out)
{
  int panel = -1;
  for (int p = 0; p < L->n_panels; p++)
    if (x >= L->panel_x[p] && x <= L->panel_x[p] + L->panel_w)
      panel = p;
  if (panel < 0 || y < L->plot_top - L->slot_px || y > L->plot_bottom + L->slot_px || tr->n_times == 0)
    return FALSE;
  double best = INFINITY;
  gsize best_e = 0;
  for (gsize e = 0; e < tr->n_electrodes; e++)
    if (tr->shank[e] == panel)
      {
        double d = fabs (wslfp_trace_layout_y0 (L, tr, e) - y);
        if (d < best)
          {
            best = d;
            best_e = e;
          }
      }
  if (!isfinite (best) || best > L->slot_px)
    return FALSE;
  double t = L->t0 + (x - L->panel_x[panel]) / L->panel_w * (L->t1 - L->t0);
  gsize i = lower_bound (tr->t_ms, tr->n_times, t);
  if (i == tr->n_times || (i > 0 && t - tr->t_ms[i - 1] < tr->t_ms[i] - t))
    i = i > 0 ? i - 1 : 0;
  *e_out = best_e;
  *t_out = tr->t_ms[i];
  *uv_out = tr->uv[i * tr->n_electrodes + best_e];
  return TRUE;
}

/* One trace.  With few samples, a stroked line.  With more samples than
 * pixels, one filled 1-px column per pixel from the column's minimum to its
 * maximum (joined to the previous column): no peak is lost, and disjoint
 * rectangles take cairo's fast path, where a stroked zig-zag of thousands
 * of overlapping segments costs tens of milliseconds per trace. */
static void
draw_trace (cairo_t *cr, const WslfpTraceLayout *L, const WslfpTraces *tr, int panel, gsize e, double y0)
{
  gsize i0 = lower_bound (tr->t_ms, tr->n_times, L->t0);
  gsize i1 = lower_bound (tr->t_ms, tr->n_times, L->t1 + 1e-12);
  if (i0 > 0)
    i0--; /* continue the line to the panel edge */
  if (i1 < tr->n_times)
    i1++;
  if (i1 <= i0)
    return;
  gsize E = tr->n_electrodes;
  double k = 1.0 / L->uv_per_px;
  if (i1 - i0 <= 2 * (gsize) L->panel_w)
    {
      for (gsize i = i0; i < i1; i++)
        {
          double x = wslfp_trace_layout_x (L, panel, tr->t_ms[i]), y = y0 - tr->uv[i * E + e] * k;
          if (i == i0)
            cairo_move_to (cr, x, y);
          else
            cairo_line_to (cr, x, y);
        }
      cairo_stroke (cr);
      return;
    }
  double x_scale = L->panel_w / (L->t1 - L->t0), x_origin = L->panel_x[panel] - L->t0 * x_scale;
  double prev = y0 - tr->uv[i0 * E + e] * k;
  for (gsize i = i0; i < i1;)
    {
      double column = floor (x_origin + tr->t_ms[i] * x_scale);
      double top = prev, bottom = prev;
      for (; i < i1 && floor (x_origin + tr->t_ms[i] * x_scale) == column; i++)
        {
          double y = y0 - tr->uv[i * E + e] * k;
          top = MIN (top, y);
          bottom = MAX (bottom, y);
          prev = y;
        }
      /* At least a pixel tall, so a flat stretch still shows as a line. */
      if (bottom - top < 1.0)
        {
          double mid = (top + bottom) / 2;
          top = mid - 0.5;
          bottom = mid + 0.5;
        }
      cairo_rectangle (cr, column, top, 1.0, bottom - top);
    }
  cairo_fill (cr);
}

void
wslfp_plot_traces (cairo_t *cr, double width, double height, const WslfpTraces *tr, const WslfpTraceStyle *style)
{
  WslfpTraceLayout L;
  char buf[64];

  wslfp_plot_begin (cr, width, height);
  wslfp_trace_layout_compute (&L, tr, style, width, height);
  wslfp_plot_title (cr, width, style ? style->title : NULL);

  double t_step = wslfp_plot_nice_step (L.t1 - L.t0, MAX ((int) (L.panel_w / 70), 2));
  for (int p = 0; p < L.n_panels; p++)
    {
      double x0 = L.panel_x[p], x1 = x0 + L.panel_w;
      double rgb[3];
      wslfp_plot_shank_color (p, rgb);

      /* Panel title: shank and its x position. */
      double shank_x = NAN;
      for (gsize e = 0; e < tr->n_electrodes; e++)
        if (tr->shank[e] == p)
          {
            shank_x = tr->electrodes_um[3 * e];
            break;
          }
      cairo_set_source_rgb (cr, rgb[0] * 0.8, rgb[1] * 0.8, rgb[2] * 0.8);
      int id = tr->shank_ids ? tr->shank_ids[p] : p;
      if (isfinite (shank_x))
        g_snprintf (buf, sizeof buf, _("shank %d (x = %g µm)"), id, shank_x);
      else
        g_snprintf (buf, sizeof buf, _("shank %d"), id);
      wslfp_plot_text (cr, (x0 + x1) / 2, L.plot_top - 24, buf, 0.5, 0.5);

      /* Time axis with ticks. */
      cairo_set_source_rgb (cr, 0.3, 0.3, 0.3);
      cairo_set_line_width (cr, 1);
      double axis_y = L.plot_bottom + 6;
      cairo_move_to (cr, x0, axis_y + 0.5);
      cairo_line_to (cr, x1, axis_y + 0.5);
      cairo_stroke (cr);
      for (double t = ceil (L.t0 / t_step) * t_step; t <= L.t1 + 1e-9 * t_step; t += t_step)
        {
          double x = round (wslfp_trace_layout_x (&L, p, t)) + 0.5;
          cairo_move_to (cr, x, axis_y);
          cairo_line_to (cr, x, axis_y + 4);
          cairo_stroke (cr);
          wslfp_plot_format_number (buf, sizeof buf, t, t_step);
          wslfp_plot_text (cr, x, axis_y + 7, buf, 0.5, 0);
        }

      /* Traces, each at its depth. */
      cairo_save (cr);
      cairo_rectangle (cr, x0, 0, L.panel_w, height);
      cairo_clip (cr);
      cairo_set_line_width (cr, 1.0);
      for (gsize e = 0; e < tr->n_electrodes; e++)
        {
          if (tr->shank[e] != p)
            continue;
          double y0 = wslfp_trace_layout_y0 (&L, tr, e);
          cairo_set_source_rgba (cr, 0.6, 0.6, 0.6, 0.5);
          cairo_move_to (cr, x0, round (y0) + 0.5);
          cairo_line_to (cr, x1, round (y0) + 0.5);
          cairo_set_line_width (cr, 0.5);
          cairo_stroke (cr);
          cairo_set_line_width (cr, 1.0);
          cairo_set_source_rgb (cr, rgb[0] * 0.75, rgb[1] * 0.75, rgb[2] * 0.75);
          draw_trace (cr, &L, tr, p, e, y0);
        }
      cairo_restore (cr);
    }
  cairo_set_source_rgb (cr, 0.2, 0.2, 0.2);
  wslfp_plot_text (cr, (L.panel_x[0] + L.panel_x[L.n_panels - 1] + L.panel_w) / 2, height - 6, _("time (ms)"), 0.5, 1);

  /* Depth labels beside the first panel. */
  double z_step = wslfp_plot_nice_step (L.z_max - L.z_min, 6);
  if (L.z_max > L.z_min)
    for (double z = ceil (L.z_min / z_step) * z_step; z <= L.z_max + 1e-9; z += z_step)
      {
        double y = L.plot_top + L.slot_px / 2
                   + (L.z_max - z) / (L.z_max - L.z_min) * (L.plot_bottom - L.plot_top - L.slot_px);
        wslfp_plot_format_number (buf, sizeof buf, z, z_step);
        wslfp_plot_text (cr, L.panel_x[0] - 8, y, buf, 1, 0.5);
      }
  cairo_save (cr);
  cairo_translate (cr, 14, (L.plot_top + L.plot_bottom) / 2);
  cairo_rotate (cr, -G_PI / 2);
  wslfp_plot_text (cr, 0, 0, _("contact depth z (µm)"), 0.5, 0.5);
  cairo_restore (cr);

  /* µV scale bar, right of the last panel. */
  double bar_uv = wslfp_plot_nice_step (L.slot_px * L.uv_per_px, 1);
  while (bar_uv / L.uv_per_px > L.slot_px * 1.2 && bar_uv > 0)
    bar_uv = wslfp_plot_nice_step (bar_uv * 0.6, 1);
  double bar_px = bar_uv / L.uv_per_px;
  double bx = L.panel_x[L.n_panels - 1] + L.panel_w + 16;
  double by = L.plot_bottom - 4;
  cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
  cairo_set_line_width (cr, 2);
  cairo_move_to (cr, bx, by);
  cairo_line_to (cr, bx, by - bar_px);
  cairo_stroke (cr);
  g_snprintf (buf, sizeof buf, "%g µV", bar_uv);
  wslfp_plot_text (cr, bx + 5, by - bar_px / 2, buf, 0, 0.5);
}
