/* wslfp-plot-traces.c: the multi-shank LFP figure: one panel per shank,
 * contacts stacked by depth, a shared time axis and a µV scale bar. */
#include "wslfp-plot-private.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MARGIN_LEFT   64.0
#define MARGIN_RIGHT  96.0
#define MARGIN_TOP    52.0
#define MARGIN_BOTTOM 46.0
#define MARGIN_TOP_UNTITLED 34.0
#define PANEL_GAP     18.0
/* Panels narrower than this get a time scale bar instead of labelled
 * ticks, which would run into each other. */
#define MIN_LABELLED_PANEL_PX 60.0
/* The grey of a compared (pinned) result's traces. */
#define COMPARE_GREY 0.72
/* The height of each line under the title. */
#define SUBTITLE_LINE 15.0
/* A compared result within this factor of the traces' peak shares their
 * scale; beyond it (another profile can be 1000 times smaller) it is drawn
 * at its own, and the legend says by how much. */
#define COMPARE_SAME_SCALE 3.0

/* Contact @e's row within its shank, superficial (high z) first, then by
 * x, then by index: defined for contacts that share a depth. */
static gsize
rank_in_shank (const WslfpTraces *tr, gsize e)
{
  const double *p = tr->electrodes_um + 3 * e;
  gsize r = 0;
  for (gsize j = 0; j < tr->n_electrodes; j++)
    {
      if (j == e || tr->shank[j] != tr->shank[e])
        continue;
      const double *q = tr->electrodes_um + 3 * j;
      if (q[2] > p[2] || (q[2] == p[2] && (q[0] < p[0] || (q[0] == p[0] && j < e))))
        r++;
    }
  return r;
}

/* rank_in_shank () of every contact at once, by one sort (rank_in_shank
 * per contact is quadratic: a shank of 40 000 contacts took 5 s). */
static int
compare_rank (gconstpointer a, gconstpointer b, gpointer data)
{
  const WslfpTraces *ranking = data;
  gsize i = *(const gsize *) a, j = *(const gsize *) b;
  const double *p = ranking->electrodes_um + 3 * i, *q = ranking->electrodes_um + 3 * j;
  int si = ranking->shank[i], sj = ranking->shank[j];
  if (si != sj)
    return (si > sj) - (si < sj);
  if (p[2] != q[2])
    return p[2] > q[2] ? -1 : 1; /* superficial first */
  if (p[0] != q[0])
    return p[0] < q[0] ? -1 : 1;
  return (i > j) - (i < j);
}

static gsize *
ranks_in_shanks (const WslfpTraces *tr)
{
  gsize n = tr->n_electrodes;
  g_autofree gsize *order = g_new (gsize, MAX (n, 1));
  gsize *rank = g_new (gsize, MAX (n, 1));
  for (gsize e = 0; e < n; e++)
    order[e] = e;
  g_qsort_with_data (order, (gint) n, sizeof (gsize), compare_rank, (gpointer) tr);
  for (gsize k = 0, r = 0; k < n; k++, r++)
    {
      if (k > 0 && tr->shank[order[k]] != tr->shank[order[k - 1]])
        r = 0;
      rank[order[k]] = r;
    }
  return rank;
}

static int
compare_shank_z (gconstpointer a, gconstpointer b)
{
  const double *x = a, *y = b;
  return x[0] != y[0] ? (x[0] > y[0]) - (x[0] < y[0]) : (x[1] > y[1]) - (x[1] < y[1]);
}

/* Whether two contacts of one shank share a depth (to 1 nm). */
static gboolean
depths_repeat (const WslfpTraces *tr)
{
  g_autofree double *pairs = g_new (double, 2 * MAX (tr->n_electrodes, 1));
  for (gsize e = 0; e < tr->n_electrodes; e++)
    {
      pairs[2 * e] = tr->shank[e];
      pairs[2 * e + 1] = tr->electrodes_um[3 * e + 2];
    }
  qsort (pairs, tr->n_electrodes, 2 * sizeof (double), compare_shank_z);
  for (gsize e = 1; e < tr->n_electrodes; e++)
    if (pairs[2 * e] == pairs[2 * e - 2] && fabs (pairs[2 * e + 1] - pairs[2 * e - 1]) < 1e-3)
      return TRUE;
  return FALSE;
}

/* The texts under the title: a comparison's legend (now, pinned), then a
 * caption or note; NULL where there is none.  Newly allocated. */
static void
subtitle_texts (const WslfpTraceStyle *style, gboolean image, double compare_scale, char *texts[3])
{
  texts[0] = texts[1] = texts[2] = NULL;
  if (style == NULL)
    return;
  if (style->compare != NULL)
    {
      texts[0] = g_strdup_printf (_("now: %s"), style->label ? style->label : "");
      texts[1] = g_strdup_printf (_("pinned: %s"), style->compare_label ? style->compare_label : "");
      if (compare_scale != 1)
        {
          char factor[32];
          g_snprintf (factor, sizeof factor, "%.2g", compare_scale);
          /* Translators: the pinned result is drawn larger or smaller by this factor. */
          g_autofree char *scaled = g_strdup_printf (_("%s (drawn ×%s, at its own scale)"), texts[1], factor);
          g_free (texts[1]);
          texts[1] = g_steal_pointer (&scaled);
        }
    }
  const char *note = style->caption != NULL                ? style->caption
                     : style->compare != NULL && image ? _("(the pinned result is drawn with traces, not colour maps)")
                                                           : NULL;
  texts[2] = g_strdup (note);
}

/* @text wrapped to @width in the figures' font (the layout measures it
 * before there is a surface; the legend wraps rather than shrinks). */
static GStrv
wrap_text (const char *text, double width)
{
  cairo_t *cr = wslfp_plot_measuring_context ();
  /* (a screen's hinted glyphs are up to a few per cent wider) */
  GStrv lines = wslfp_plot_wrap (cr, text, width * 0.96);
  cairo_destroy (cr);
  return lines;
}

/* Where the legend's texts start right of its line samples. */
#define LEGEND_TEXT_DX 22.0

/* The width the subtitle's text @k may take. */
static double
subtitle_width (const WslfpTraceLayout *L, int k)
{
  return L->width - 4 - L->panel_x[0] - (k < 2 ? LEGEND_TEXT_DX : 0);
}

/* How many lines the texts under the title take, wrapped. */
static int
subtitle_lines (const WslfpTraceLayout *L, const WslfpTraceStyle *style, double compare_scale)
{
  char *texts[3];
  int lines = 0;
  subtitle_texts (style, L->image, compare_scale, texts);
  for (int k = 0; k < 3; k++)
    if (texts[k] != NULL)
      {
        g_auto (GStrv) wrapped = wrap_text (texts[k], subtitle_width (L, k));
        lines += (int) g_strv_length (wrapped);
        g_free (texts[k]);
      }
  return lines;
}

/* The largest |value| of @tr over the samples in [t0, t1]; 0 if none. */
static double
peak_in_range (const WslfpTraces *tr, double t0, double t1)
{
  double peak = 0;
  gsize i0 = wslfp_plot_lower_bound (tr->t_ms, tr->n_times, t0);
  gsize i1 = wslfp_plot_lower_bound (tr->t_ms, tr->n_times, t1 + 1e-12);
  for (gsize i = i0; i < i1 && i < tr->n_times; i++)
    for (gsize e = 0; e < tr->n_electrodes; e++)
      peak = MAX (peak, fabs (tr->uv[i * tr->n_electrodes + e]));
  return peak;
}

double
wslfp_trace_compare_scale (const WslfpTraceLayout *L, const WslfpTraces *traces, const WslfpTraces *compare)
{
  double now = peak_in_range (traces, L->t0, L->t1), other = peak_in_range (compare, L->t0, L->t1);
  if (!(now > 0) || !(other > 0) || (other / now <= COMPARE_SAME_SCALE && now / other <= COMPARE_SAME_SCALE))
    return 1;
  return now / other;
}

static void place_rows (WslfpTraceLayout *L, const WslfpTraces *tr, const WslfpTraceStyle *style, double subtitle_h);

/* The room left of the first panel: the usual margin, or more when the
 * depth labels are so wide (−10001.5) that the vertical title beside them
 * would run into them: the labels 8 px from the panel, half an em, the
 * title's height, a pixel from the page's edge. */
double
wslfp_trace_layout_left (const WslfpTraces *tr)
{
  if (tr->n_electrodes == 0)
    return MARGIN_LEFT;
  double lo = INFINITY, hi = -INFINITY;
  for (gsize e = 0; e < tr->n_electrodes; e++)
    {
      lo = MIN (lo, tr->electrodes_um[3 * e + 2]);
      hi = MAX (hi, tr->electrodes_um[3 * e + 2]);
    }
  /* (the labels to scale, at the finest step they are drawn with, or each
   * row's depth) */
  double step = hi > lo ? wslfp_plot_nice_step (hi - lo, 6) : 1;
  const double ends[2] = { lo, hi }, steps[2] = { step, 1 };
  cairo_t *cr = wslfp_plot_measuring_context ();
  double widest = 0;
  for (int k = 0; k < 4; k++)
    {
      char buf[64];
      cairo_text_extents_t ext;
      wslfp_plot_format_number (buf, sizeof buf, ends[k % 2], steps[k / 2]);
      cairo_text_extents (cr, buf, &ext);
      widest = MAX (widest, ext.x_advance);
    }
  cairo_destroy (cr);
  return MAX (MARGIN_LEFT, ceil (8 + widest + 1.5 * WSLFP_PLOT_FONT_UNITS + 1));
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

  /* Many shanks: narrower gaps, so the panels keep their width. */
  double gap = L->n_panels > 8 ? 8 : PANEL_GAP;
  double left = wslfp_trace_layout_left (tr);
  double inner = width - left - MARGIN_RIGHT - gap * (L->n_panels - 1);
  L->panel_w = MAX (inner / L->n_panels, 10);
  for (int p = 0; p < L->n_panels; p++)
    L->panel_x[p] = left + p * (L->panel_w + gap);
  L->time_bar = L->panel_w < MIN_LABELLED_PANEL_PX;
  place_rows (L, tr, style, 0);
  /* Room for the lines under the title (which start lower under a title):
   * then the rows again in what is left. */
  double compare_scale = style != NULL && style->compare != NULL && !L->image
                           ? wslfp_trace_compare_scale (L, tr, style->compare) : 1;
  int lines = subtitle_lines (L, style, compare_scale);
  gboolean titled = style != NULL && style->title != NULL && style->title[0] != '\0';
  if (lines > 0)
    place_rows (L, tr, style, SUBTITLE_LINE * lines + (titled ? 10 : 0));
}

/* The rows' room and scale below a plot top lowered by @subtitle_h. */
static void
place_rows (WslfpTraceLayout *L, const WslfpTraces *tr, const WslfpTraceStyle *style, double subtitle_h)
{
  /* (without a title, only the panels' titles above the rows) */
  gboolean titled = style != NULL && style->title != NULL && style->title[0] != '\0';
  L->plot_top = (titled ? MARGIN_TOP : MARGIN_TOP_UNTITLED) + subtitle_h;
  L->plot_bottom = MAX (L->height - MARGIN_BOTTOM, L->plot_top + 10);

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
      per_shank[s]++; /* not inside MAX (), which would count twice */
      most = MAX (most, per_shank[s]);
    }
  if (tr->n_electrodes == 0)
    L->z_min = L->z_max = 0;
  L->slot_px = (L->plot_bottom - L->plot_top) / most;
  WslfpTraceMode mode = style ? style->mode : WSLFP_TRACES_AUTO;
  L->image = mode == WSLFP_TRACES_IMAGE || (mode == WSLFP_TRACES_AUTO && L->slot_px < WSLFP_TRACE_MIN_SLOT_PX);
  L->by_rank = L->image || depths_repeat (tr);

  /* One shared scale: the largest excursion in the shown range fills a
   * slot (times the user's gain). */
  gsize i0 = wslfp_plot_lower_bound (tr->t_ms, tr->n_times, L->t0), i1 = wslfp_plot_lower_bound (tr->t_ms, tr->n_times, L->t1 + 1e-12);
  double peak = peak_in_range (tr, L->t0, L->t1);
  if (!(peak > 0))
    peak = 1;
  double gain = style != NULL && style->gain > 0 ? style->gain : 1.0;
  L->uv_per_px = peak / (L->slot_px * 0.5 * gain);
  if (L->image)
    {
      gsize n = i1 > i0 ? (i1 - i0) * tr->n_electrodes : 0;
      L->color_limit_uv = n ? wslfp_plot_robust_limit (tr->uv + i0 * tr->n_electrodes, n) / gain : 1;
    }
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
  if (L->by_rank)
    return L->plot_top + half + L->slot_px * rank_in_shank (tr, e);
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
  if (!isfinite (best) || best > (L->by_rank ? L->slot_px / 2 + 0.5 : L->slot_px))
    return FALSE;
  double t = L->t0 + (x - L->panel_x[panel]) / L->panel_w * (L->t1 - L->t0);
  gsize i = wslfp_plot_lower_bound (tr->t_ms, tr->n_times, t);
  if (i == tr->n_times || (i > 0 && t - tr->t_ms[i - 1] < tr->t_ms[i] - t))
    i = i > 0 ? i - 1 : 0;
  *e_out = best_e;
  *t_out = tr->t_ms[i];
  *uv_out = tr->uv[i * tr->n_electrodes + best_e];
  return TRUE;
}

/* The samples [i0, i1) of trace @e as a stroked line: every sample, or
 * with more than VECTOR_SAMPLES_PER_COLUMN to a column of 1/1200 in, each
 * column's first, lowest, highest and last sample in time order: the
 * line keeps every peak and trough at any zoom, and a PDF of a long
 * recording stays small. */
#define VECTOR_DPI 1200.0
#define VECTOR_SAMPLES_PER_COLUMN 4.0

static void
stroke_samples (cairo_t *cr, const WslfpTraceLayout *L, const WslfpTraces *tr, int panel, gsize e, double y0,
                gsize i0, gsize i1)
{
  gsize E = tr->n_electrodes;
  double k = 1.0 / L->uv_per_px;
  double column = 72.0 / VECTOR_DPI / wslfp_plot_pt_per_unit (cr); /* in user units */
  double columns = L->panel_w / column;
  gboolean every = (double) (i1 - i0) <= VECTOR_SAMPLES_PER_COLUMN * columns;
  gboolean pen = FALSE;
#define POINT(i)                                                                                                      \
  G_STMT_START                                                                                                        \
  {                                                                                                                   \
    double x_ = wslfp_trace_layout_x (L, panel, tr->t_ms[i]), y_ = y0 - tr->uv[(i) * E + e] * k;                     \
    if (isfinite (x_) && isfinite (y_))                                                                              \
      {                                                                                                               \
        if (pen)                                                                                                      \
          cairo_line_to (cr, x_, y_);                                                                                 \
        else                                                                                                          \
          cairo_move_to (cr, x_, y_);                                                                                 \
        pen = TRUE;                                                                                                   \
      }                                                                                                               \
  }                                                                                                                   \
  G_STMT_END
  if (every)
    {
      for (gsize i = i0; i < i1; i++)
        POINT (i);
      cairo_stroke (cr);
      return;
    }
  double per_ms = L->panel_w / (L->t1 - L->t0) / column;
  for (gsize i = i0; i < i1;)
    {
      double c = floor ((tr->t_ms[i] - L->t0) * per_ms);
      if (!isfinite (c))
        {
          i++;
          continue;
        }
      gsize first = i, lo = i, hi = i, last = i;
      for (; i < i1 && floor ((tr->t_ms[i] - L->t0) * per_ms) == c; i++)
        {
          double v = tr->uv[i * E + e];
          if (v < tr->uv[lo * E + e])
            lo = i;
          if (v > tr->uv[hi * E + e])
            hi = i;
          last = i;
        }
      gsize order[4] = { first, MIN (lo, hi), MAX (lo, hi), last };
      for (int q = 0; q < 4; q++)
        if (q == 0 || order[q] != order[q - 1])
          POINT (order[q]);
    }
#undef POINT
  cairo_stroke (cr);
}

/* One trace.  On screen or in a PNG with few samples, a stroked line;
 * with more samples than pixels, one filled 1-px column per pixel from the
 * column's minimum to its maximum (joined to the previous column): no
 * peak is lost, and disjoint rectangles take cairo's fast path, where a
 * stroked zig-zag of thousands of overlapping segments costs tens of
 * milliseconds per trace.  In a PDF or SVG, a line (see stroke_samples). */
static void
draw_trace (cairo_t *cr, const WslfpTraceLayout *L, const WslfpTraces *tr, int panel, gsize e, double y0)
{
  gsize i0 = wslfp_plot_lower_bound (tr->t_ms, tr->n_times, L->t0);
  gsize i1 = wslfp_plot_lower_bound (tr->t_ms, tr->n_times, L->t1 + 1e-12);
  if (i0 > 0)
    i0--; /* continue the line to the panel edge */
  if (i1 < tr->n_times)
    i1++;
  if (i1 <= i0)
    return;
  if (wslfp_plot_is_vector (cr))
    {
      stroke_samples (cr, L, tr, panel, e, y0, i0, i1);
      return;
    }
  gsize E = tr->n_electrodes;
  double k = 1.0 / L->uv_per_px;
  /* Columns of one device pixel: a printed figure draws more pixels per
   * unit than the screen. */
  double dx = 1, dy = 0;
  cairo_user_to_device_distance (cr, &dx, &dy);
  double px = MAX (hypot (dx, dy), 1e-3), unit = 1 / px;
  if (i1 - i0 <= 2 * (gsize) (L->panel_w * px))
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
  /* Each column as tall as the line is wide where the trace is flat, and
   * half a line's width beyond its extremes (a printed PNG's lines are
   * many pixels wide). */
  double half = MAX (cairo_get_line_width (cr) - unit, 0) / 2;
  double x_scale = L->panel_w / (L->t1 - L->t0) * px, x_origin = (L->panel_x[panel] - L->t0 * L->panel_w / (L->t1 - L->t0)) * px;
  double prev = y0 - tr->uv[i0 * E + e] * k;
  for (gsize i = i0; i < i1;)
    {
      double column = floor (x_origin + tr->t_ms[i] * x_scale);
      /* A time whose column is not a number (inf − inf, with times near
       * ±1e308) has no pixel: skipped, or the loop below never moves on
       * and the path grows until memory runs out (found by fuzz-plot). */
      if (!isfinite (column))
        {
          i++;
          continue;
        }
      double top = prev, bottom = prev;
      for (; i < i1 && floor (x_origin + tr->t_ms[i] * x_scale) == column; i++)
        {
          double y = y0 - tr->uv[i * E + e] * k;
          top = MIN (top, y);
          bottom = MAX (bottom, y);
          prev = y;
        }
      /* At least a pixel tall, so a flat stretch still shows as a line. */
      if (bottom - top < unit)
        {
          double mid = (top + bottom) / 2;
          top = mid - unit / 2;
          bottom = mid + unit / 2;
        }
      cairo_rectangle (cr, column * unit, top - half, unit, bottom - top + 2 * half);
    }
  cairo_fill (cr);
}

/* One shank as a depth × time colour map: a row per contact in depth
 * order, a column per pixel (the sample nearest its centre). */
static void
draw_image (cairo_t *cr, const WslfpTraceLayout *L, const WslfpTraces *tr, int panel)
{
  /* The image has at most the pixels the output gives the panel (so at
   * most 8192 a side): a column per device pixel, and a row per contact
   * row or per device pixel, whichever is fewer.  (A shank of 32 768
   * contacts made an image taller than cairo makes, whose NULL data was
   * then written, issue 20, item 1; a 40 000 pt wide export asked for
   * 4 GB and lost its colour map.) */
  int rows = (int) lround ((L->plot_bottom - L->plot_top) / L->slot_px);
  double device_w = L->panel_w, device_h = rows * L->slot_px;
  cairo_user_to_device_distance (cr, &device_w, &device_h);
  device_w = fabs (device_w);
  device_h = fabs (device_h);
  int cols = (int) CLAMP (device_w, 1, 8192);
  if (rows < 1 || tr->n_times == 0)
    return;
  g_autofree gssize *row_of = g_new (gssize, rows);
  for (int r = 0; r < rows; r++)
    row_of[r] = -1;
  g_autofree gsize *rank = ranks_in_shanks (tr);
  for (gsize e = 0; e < tr->n_electrodes; e++)
    if (tr->shank[e] == panel)
      {
        gsize r = rank[e];
        if (r < (gsize) rows)
          row_of[r] = (gssize) e;
      }
  /* (each image row shows the contact row at its top) */
  int img_rows = MIN (rows, (int) CLAMP (ceil (device_h), 1, 8192));
  cairo_surface_t *img = cairo_image_surface_create (CAIRO_FORMAT_RGB24, cols, img_rows);
  if (cairo_surface_status (img) != CAIRO_STATUS_SUCCESS)
    {
      cairo_surface_destroy (img);
      return;
    }
  unsigned char *data = cairo_image_surface_get_data (img);
  int stride = cairo_image_surface_get_stride (img);
  g_autofree gsize *sample = g_new (gsize, cols);
  for (int c = 0; c < cols; c++)
    {
      double t = L->t0 + (c + 0.5) / cols * (L->t1 - L->t0);
      gsize i = wslfp_plot_lower_bound (tr->t_ms, tr->n_times, t);
      if (i == tr->n_times || (i > 0 && t - tr->t_ms[i - 1] < tr->t_ms[i] - t))
        i = i > 0 ? i - 1 : 0;
      sample[c] = i;
    }
  for (int k = 0; k < img_rows; k++)
    {
      int r = (int) ((gint64) k * rows / img_rows);
      guint32 *line = (guint32 *) (data + k * stride);
      for (int c = 0; c < cols; c++)
        {
          double rgb[3] = { 0.92, 0.92, 0.92 };
          if (row_of[r] >= 0)
            wslfp_plot_diverging (tr->uv[sample[c] * tr->n_electrodes + row_of[r]], L->color_limit_uv, rgb);
          line[c] = ((guint32) (rgb[0] * 255) << 16) | ((guint32) (rgb[1] * 255) << 8) | (guint32) (rgb[2] * 255);
        }
    }
  cairo_surface_mark_dirty (img);
  cairo_save (cr);
  cairo_rectangle (cr, L->panel_x[panel], L->plot_top, L->panel_w, rows * L->slot_px);
  cairo_clip (cr);
  cairo_translate (cr, L->panel_x[panel], L->plot_top);
  cairo_scale (cr, L->panel_w / cols, rows * L->slot_px / img_rows);
  cairo_set_source_surface (cr, img, 0, 0);
  cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_NEAREST);
  cairo_paint (cr);
  cairo_restore (cr);
  cairo_surface_destroy (img);
}

/* The panel's title: the shank's number and x, shorter when narrow. */
static void
draw_panel_title (cairo_t *cr, const WslfpTraceLayout *L, const WslfpTraces *tr, int p, const double rgb[3])
{
  char buf[64];
  cairo_text_extents_t ext;
  double shank_x = NAN;
  for (gsize e = 0; e < tr->n_electrodes; e++)
    if (tr->shank[e] == p)
      {
        shank_x = tr->electrodes_um[3 * e];
        break;
      }
  int id = tr->shank_ids ? tr->shank_ids[p] : p;
  if (isfinite (shank_x))
    {
      g_snprintf (buf, sizeof buf, _("shank %d (x = %g µm)"), id, round (shank_x) + 0.0); /* to the µm */
      wslfp_plot_minus_signs (buf, sizeof buf);
    }
  else
    g_snprintf (buf, sizeof buf, _("shank %d"), id);
  cairo_text_extents (cr, buf, &ext);
  if (ext.width > L->panel_w - 4)
    g_snprintf (buf, sizeof buf, _("shank %d"), id);
  cairo_text_extents (cr, buf, &ext);
  if (ext.width > L->panel_w - 4)
    g_snprintf (buf, sizeof buf, "%d", id);
  cairo_set_source_rgb (cr, rgb[0] * 0.8, rgb[1] * 0.8, rgb[2] * 0.8);
  wslfp_plot_text (cr, L->panel_x[p] + L->panel_w / 2, L->plot_top - 21, buf, 0.5, 0.5);
}


static void
draw_time_axis (cairo_t *cr, const WslfpTraceLayout *L, int p, double t_step)
{
  char buf[64];
  double x0 = L->panel_x[p], x1 = x0 + L->panel_w;
  double axis_y = L->plot_bottom + 6;
  cairo_set_source_rgb (cr, 0.3, 0.3, 0.3);
  cairo_set_line_width (cr, 1);
  if (L->time_bar)
    {
      /* Under the last panel only: a bar of a round number of ms. */
      if (p != L->n_panels - 1)
        return;
      double bar_ms = wslfp_plot_nice_step ((L->t1 - L->t0) * 0.5, 1);
      /* (at most 2000 shrinks: from 1e308 down to 1e-308) */
      for (int guard = 0; bar_ms > (L->t1 - L->t0) * 0.8 && guard < 2000; guard++)
        bar_ms = wslfp_plot_nice_step (bar_ms * 0.6, 1);
      double w = bar_ms / (L->t1 - L->t0) * L->panel_w;
      cairo_set_line_width (cr, 2);
      cairo_move_to (cr, x1 - w, axis_y + 2);
      cairo_line_to (cr, x1, axis_y + 2);
      cairo_stroke (cr);
      g_snprintf (buf, sizeof buf, "%g ms", bar_ms);
      wslfp_plot_text (cr, x1, axis_y + 7, buf, 1, 0);
      return;
    }
  cairo_move_to (cr, x0, axis_y + 0.5);
  cairo_line_to (cr, x1, axis_y + 0.5);
  cairo_stroke (cr);
  double ticks[64];
  gsize n_ticks = wslfp_plot_ticks (L->t0, L->t1, t_step, ticks, G_N_ELEMENTS (ticks));
  for (gsize k = 0; k < n_ticks; k++)
    {
      double t = ticks[k];
      double x = round (wslfp_trace_layout_x (L, p, t)) + 0.5;
      cairo_move_to (cr, x, axis_y);
      cairo_line_to (cr, x, axis_y + 4);
      cairo_stroke (cr);
      wslfp_plot_format_number (buf, sizeof buf, t, t_step);
      /* A label at a panel's edge stays inside it, clear of the next
       * panel's first label. */
      double align = x - x0 < 1.5 ? 0 : x1 - x < 1.5 ? 1 : 0.5;
      wslfp_plot_text (cr, x, axis_y + 7, buf, align, 0);
    }
}

/* Whether contacts of shank @s lie at more than one depth. */
static gboolean
depth_varies_in (const WslfpTraces *tr, int s)
{
  double z0 = NAN;
  for (gsize e = 0; e < tr->n_electrodes; e++)
    if (tr->shank[e] == s)
      {
        double z = tr->electrodes_um[3 * e + 2];
        if (isnan (z0))
          z0 = z;
        else if (fabs (z - z0) >= 1e-3)
          return TRUE;
      }
  return FALSE;
}

WslfpRowLabels
wslfp_trace_layout_row_label (const WslfpTraceLayout *L, const WslfpTraces *tr, gsize e, char *buf, gsize size)
{
  char z[32];
  wslfp_plot_format_number (z, sizeof z, tr->electrodes_um[3 * e + 2], 1);
  /* Rows that share a depth (a tetrode, a Utah array) are told apart by
   * their channel, as the read-out names them; the depth beside it where
   * it varies along the shank. */
  if (L->by_rank && depths_repeat (tr))
    {
      gboolean varies = depth_varies_in (tr, tr->shank[e]);
      /* the probe file's name of the contact, else its channel */
      char id[32];
      if (tr->contact_ids != NULL && tr->contact_ids[e] != NULL && tr->contact_ids[e][0] != '\0')
        g_strlcpy (id, tr->contact_ids[e], sizeof id);
      else
        g_snprintf (id, sizeof id, "%zu", e);
      if (varies)
        g_snprintf (buf, size, "%s · %s", id, z);
      else
        g_strlcpy (buf, id, size);
      return varies ? WSLFP_ROWS_BY_CHANNEL_AND_DEPTH : WSLFP_ROWS_BY_CHANNEL;
    }
  g_strlcpy (buf, z, size);
  return WSLFP_ROWS_BY_DEPTH;
}

/* Depth labels beside the first panel: to scale, or (rows in depth order)
 * the depth of every few rows, or (rows sharing depths) their channels. */
static void
draw_depth_labels (cairo_t *cr, const WslfpTraceLayout *L, const WslfpTraces *tr)
{
  char buf[64];
  WslfpRowLabels kind = WSLFP_ROWS_BY_DEPTH;
  double labels_left = L->panel_x[0] - 8;
  cairo_set_source_rgb (cr, 0.2, 0.2, 0.2);
  if (L->by_rank)
    {
      int rows = (int) lround ((L->plot_bottom - L->plot_top) / L->slot_px);
      int every = MAX ((int) ceil (16.0 / L->slot_px), 1);
      g_autofree gsize *rank = ranks_in_shanks (tr);
      /* Channel and depth where they fit left of the panel; else (a
       * Neuropixels 2014's "e4278 · 4892" ran off the page) the depth. */
      gboolean depth_only = FALSE;
      for (int pass = 0; pass < 2; pass++)
        for (gsize e = 0; e < tr->n_electrodes; e++)
          {
            if (tr->shank[e] != 0)
              continue;
            gsize r = rank[e];
            if (r % every != 0 || (int) r >= rows)
              continue;
            kind = wslfp_trace_layout_row_label (L, tr, e, buf, sizeof buf);
            if (depth_only)
              {
                wslfp_plot_format_number (buf, sizeof buf, tr->electrodes_um[3 * e + 2], 1);
                kind = WSLFP_ROWS_BY_DEPTH;
              }
            cairo_text_extents_t ext;
            cairo_text_extents (cr, buf, &ext);
            if (pass == 0)
              {
                depth_only = depth_only
                             || (kind == WSLFP_ROWS_BY_CHANNEL_AND_DEPTH && ext.width > L->panel_x[0] - 8 - 4);
                continue;
              }
            wslfp_plot_text (cr, L->panel_x[0] - 8, L->plot_top + L->slot_px / 2 + L->slot_px * r, buf, 1, 0.5);
            labels_left = MIN (labels_left, L->panel_x[0] - 8 - ext.width);
          }
    }
  else
    {
      double z_step = wslfp_plot_nice_step (L->z_max - L->z_min, 6), ticks[64];
      double fitted = wslfp_plot_fit_step (cr, L->z_min, L->z_max, L->plot_bottom - L->plot_top - L->slot_px, z_step,
                                           TRUE, 1);
      z_step = fitted > 0 ? fitted : z_step;
      gsize n_ticks = 0;
      if (L->z_max > L->z_min)
        n_ticks = wslfp_plot_ticks (L->z_min, L->z_max, z_step, ticks, G_N_ELEMENTS (ticks));
      for (gsize k = 0; k < n_ticks; k++)
        {
          double z = ticks[k];
          double y = L->plot_top + L->slot_px / 2
                     + (L->z_max - z) / (L->z_max - L->z_min) * (L->plot_bottom - L->plot_top - L->slot_px);
          wslfp_plot_format_number (buf, sizeof buf, z, z_step);
          wslfp_plot_text (cr, L->panel_x[0] - 8, y, buf, 1, 0.5);
          cairo_text_extents_t ext;
          cairo_text_extents (cr, buf, &ext);
          labels_left = MIN (labels_left, L->panel_x[0] - 8 - ext.width);
        }
    }
  /* (the labels are the first panel's rows: say so when there are more) */
  gboolean more = L->n_panels > 1;
  const char *title = kind == WSLFP_ROWS_BY_CHANNEL             ? (more ? _("channel, shank 0") : _("channel"))
                      : kind == WSLFP_ROWS_BY_CHANNEL_AND_DEPTH ? (more ? _("channel · depth z (µm), shank 0")
                                                                        : _("channel · depth z (µm)"))
                      : L->by_rank                              ? _("contacts by depth z (µm)")
                                                                : _("contact depth z (µm)");
  /* (half an em clear of the widest label) */
  wslfp_plot_vertical_title (cr, MIN (14 + 0.5 * WSLFP_PLOT_FONT_UNITS, labels_left - 0.5 * WSLFP_PLOT_FONT_UNITS),
                             (L->plot_top + L->plot_bottom) / 2, L->height, title);
}

double
wslfp_trace_layout_min_height (const WslfpTraces *tr, const WslfpTraceStyle *style, double width)
{
  WslfpTraceLayout L;
  WslfpTraceStyle lines = style != NULL ? *style : (WslfpTraceStyle) { 0 };
  gboolean image = lines.mode == WSLFP_TRACES_IMAGE;
  if (!image)
    lines.mode = WSLFP_TRACES_LINES; /* (the legend as traces have it) */
  wslfp_trace_layout_compute (&L, tr, &lines, width, 1e4);
  int most = (int) lround ((L.plot_bottom - L.plot_top) / L.slot_px);
  /* Lines a little apart; colour maps a band of a few pixels a row. */
  double rows = image ? MAX (60, 2.0 * most) : WSLFP_TRACE_MIN_SLOT_PX * most;
  return L.plot_top + rows + MARGIN_BOTTOM;
}

double
wslfp_trace_layout_scale_bar (const WslfpTraceLayout *L, double *bar_px)
{
  double bar_uv = wslfp_plot_nice_step (L->slot_px * L->uv_per_px, 1);
  /* (at most 2000 shrinks: values near 1e308 looped for ever) */
  for (int guard = 0; bar_uv / L->uv_per_px > L->slot_px * 1.2 && bar_uv > 0 && guard < 2000; guard++)
    bar_uv = wslfp_plot_nice_step (bar_uv * 0.6, 1);
  *bar_px = bar_uv / L->uv_per_px;
  return bar_uv;
}

/* The lines under the title: a comparison's legend, each result with a
 * sample of its line, then a caption; wrapped to the figure's width. */
static void
draw_subtitle (cairo_t *cr, const WslfpTraceLayout *L, const WslfpTraceStyle *style, double compare_scale)
{
  char *texts[3];
  subtitle_texts (style, L->image, compare_scale, texts);
  double y = style != NULL && style->title != NULL && style->title[0] != '\0' ? 30 : 8, x = L->panel_x[0];
  const double greys[3] = { 0.15, COMPARE_GREY, 0 }, widths[3] = { 1.0, 2.0, 0 };
  cairo_save (cr);
  for (int k = 0; k < 3; k++)
    {
      if (texts[k] == NULL)
        continue;
      if (k < 2)
        {
          cairo_set_source_rgb (cr, greys[k], greys[k], greys[k]);
          cairo_set_line_width (cr, wslfp_plot_line_width (cr, widths[k]));
          cairo_move_to (cr, x, y + 5);
          cairo_line_to (cr, x + 18, y + 5);
          cairo_stroke (cr);
        }
      double grey = k < 2 ? 0.2 : 0.35;
      cairo_set_source_rgb (cr, grey, grey, grey);
      g_auto (GStrv) lines = wrap_text (texts[k], subtitle_width (L, k));
      for (char **line = lines; *line != NULL; line++, y += SUBTITLE_LINE)
        wslfp_plot_text (cr, x + (k < 2 ? LEGEND_TEXT_DX : 0), y, *line, 0, 0);
      g_free (texts[k]);
    }
  cairo_restore (cr);
}

/* µV scale bar (or the colour maps' bar), right of the last panel. */
static void
draw_scale (cairo_t *cr, const WslfpTraceLayout *L, const char *unit)
{
  char buf[64];
  double bx = L->panel_x[L->n_panels - 1] + L->panel_w + 16;
  if (L->image)
    {
      double h = MIN (200, L->plot_bottom - L->plot_top - 30);
      if (h >= 24)
        wslfp_plot_colorbar (cr, bx, L->plot_top + 24, 14, h, L->color_limit_uv, unit);
      else
        {
          /* No room for a bar: its range in words, at the figure's edge. */
          char value[32];
          double v = L->color_limit_uv;
          g_snprintf (value, sizeof value, fabs (v) >= 100 && fabs (v) < 1e6 ? "%.0f" : "%.2g", v);
          g_snprintf (buf, sizeof buf, "±%s %s", value, unit);
          cairo_set_source_rgb (cr, 0.3, 0.3, 0.3);
          wslfp_plot_text (cr, L->width - 4, L->plot_top, buf, 1, 0);
        }
      return;
    }
  double bar_px, bar_uv = wslfp_trace_layout_scale_bar (L, &bar_px);
  double by = L->plot_bottom - 4;
  cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
  cairo_set_line_width (cr, 2);
  cairo_move_to (cr, bx, by);
  cairo_line_to (cr, bx, by - bar_px);
  cairo_stroke (cr);
  g_snprintf (buf, sizeof buf, "%g %s", bar_uv, unit);
  wslfp_plot_text (cr, bx + 5, by - bar_px / 2, buf, 0, 0.5);
}

void
wslfp_plot_traces (cairo_t *cr, double width, double height, const WslfpTraces *tr, const WslfpTraceStyle *style)
{
  WslfpTraceLayout L;

  wslfp_plot_begin (cr, width, height);
  wslfp_trace_layout_compute (&L, tr, style, width, height);
  wslfp_plot_title (cr, width, style ? style->title : NULL);
  gboolean highlight = style != NULL && style->highlight_set && style->highlight < tr->n_electrodes;
  /* Colour maps cannot be overlaid: the legend says so instead. */
  const WslfpTraces *compare = style != NULL && !L.image ? style->compare : NULL;
  double compare_scale = compare != NULL ? wslfp_trace_compare_scale (&L, tr, compare) : 1;
  draw_subtitle (cr, &L, style, compare_scale);

  double t_step = wslfp_plot_nice_step (L.t1 - L.t0, MAX ((int) (L.panel_w / 70), L.panel_w >= 60 ? 2 : 1));
  /* Fewer ticks than touching labels; a bar where two labels do not fit. */
  double fitted = L.time_bar ? 0 : wslfp_plot_fit_step (cr, L.t0, L.t1, L.panel_w, t_step, FALSE, 2);
  if (fitted > 0)
    t_step = fitted;
  else
    L.time_bar = TRUE;
  for (int p = 0; p < L.n_panels; p++)
    {
      double x0 = L.panel_x[p], x1 = x0 + L.panel_w;
      double rgb[3];
      wslfp_plot_shank_color (p, rgb);
      draw_panel_title (cr, &L, tr, p, rgb);
      draw_time_axis (cr, &L, p, t_step);
      if (L.image)
        {
          draw_image (cr, &L, tr, p);
          continue;
        }

      /* Traces, each at its depth, over the compared result's. */
      cairo_save (cr);
      cairo_rectangle (cr, x0, 0, L.panel_w, height);
      cairo_clip (cr);
      if (compare != NULL)
        {
          WslfpTraceLayout scaled = L;
          scaled.uv_per_px = L.uv_per_px / compare_scale;
          cairo_set_source_rgb (cr, COMPARE_GREY, COMPARE_GREY, COMPARE_GREY);
          cairo_set_line_width (cr, wslfp_plot_line_width (cr, 2.0));
          for (gsize e = 0; e < MIN (tr->n_electrodes, compare->n_electrodes); e++)
            if (tr->shank[e] == p)
              draw_trace (cr, &scaled, compare, p, e, wslfp_trace_layout_y0 (&L, tr, e));
        }
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
          cairo_set_line_width (cr, wslfp_plot_line_width (cr, 1.0));
          double dim = highlight ? 0.35 : 0.0;
          cairo_set_source_rgb (cr, rgb[0] * 0.75 * (1 - dim) + dim, rgb[1] * 0.75 * (1 - dim) + dim,
                                rgb[2] * 0.75 * (1 - dim) + dim);
          if (!(highlight && style->highlight == e))
            draw_trace (cr, &L, tr, p, e, y0);
        }
      cairo_restore (cr);
    }
  if (highlight)
    {
      /* The chosen contact on top, in black and bold. */
      gsize e = style->highlight;
      int p = CLAMP (tr->shank[e], 0, L.n_panels - 1);
      double y0 = wslfp_trace_layout_y0 (&L, tr, e);
      cairo_save (cr);
      cairo_set_source_rgb (cr, 0, 0, 0);
      if (L.image)
        {
          cairo_move_to (cr, L.panel_x[p] - 1, y0);
          cairo_line_to (cr, L.panel_x[p] - 7, y0 - 4);
          cairo_line_to (cr, L.panel_x[p] - 7, y0 + 4);
          cairo_close_path (cr);
          cairo_fill (cr);
        }
      else
        {
          cairo_rectangle (cr, L.panel_x[p], 0, L.panel_w, height);
          cairo_clip (cr);
          cairo_set_line_width (cr, wslfp_plot_line_width (cr, 2.0));
          draw_trace (cr, &L, tr, p, e, y0);
        }
      cairo_restore (cr);
    }
  cairo_set_source_rgb (cr, 0.2, 0.2, 0.2);
  /* (a time bar says its unit itself) */
  if (!L.time_bar)
    wslfp_plot_text (cr, (L.panel_x[0] + L.panel_x[L.n_panels - 1] + L.panel_w) / 2, height - 6, _("time (ms)"), 0.5,
                     1);
  draw_depth_labels (cr, &L, tr);
  draw_scale (cr, &L, style != NULL && style->unit != NULL ? style->unit : "µV");
}
