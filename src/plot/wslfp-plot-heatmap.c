/* wslfp-plot-heatmap.c: an amplitude profile over (r, d) with a diverging
 * colour map, a colour bar and the contacts marked. */
#include "wslfp-plot-private.h"

#include <math.h>
#include <stdlib.h>

#define NR 240
#define ND 320

void
wslfp_plot_diverging (double v, double limit, double rgb[3])
{
  /* RdBu: blue (negative) – white – red (positive), piecewise linear
   * through ColorBrewer's end and middle colours. */
  static const double neg[3] = { 0.020, 0.188, 0.380 }, mid_neg[3] = { 0.573, 0.773, 0.871 };
  static const double pos[3] = { 0.404, 0.000, 0.122 }, mid_pos[3] = { 0.957, 0.647, 0.510 };
  double x = limit > 0 ? CLAMP (v / limit, -1, 1) : 0;
  const double *a = x < 0 ? mid_neg : mid_pos, *b = x < 0 ? neg : pos;
  double f = fabs (x);
  for (int k = 0; k < 3; k++)
    rgb[k] = f < 0.5 ? 1 + (a[k] - 1) * (f / 0.5) : a[k] + (b[k] - a[k]) * ((f - 0.5) / 0.5);
}

static int
compare_doubles (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

/* TKLFP's map: 600 µm sideways, ±1000 µm along the axis (its depth
 * profiles span −400 … 800 µm). */
#define TKLFP_R_MAX_UM 600.0
#define TKLFP_D_MAX_UM 1000.0

double
wslfp_heatmap_eval (const WslfpHeatmap *map, double r, double d)
{
  if (map->tklfp == NULL)
    return wslfp_profile_eval (map->profile, r, d, map->length_um);
  double dist_mm = hypot (r, d) / 1000.0;
  return wslfp_tklfp_a0 (r >= 0, d / 1000.0) * exp (-dist_mm / map->tklfp->lambda_mm);
}

void
wslfp_heatmap_extent (const WslfpHeatmap *map, double *r_min, double *r_max, double *d_max)
{
  if (map->tklfp == NULL)
    {
      wslfp_profile_get_extent (map->profile, r_max, d_max);
      *r_min = 0;
      return;
    }
  *r_min = -TKLFP_R_MAX_UM;
  *r_max = TKLFP_R_MAX_UM;
  *d_max = TKLFP_D_MAX_UM;
}

double
wslfp_heatmap_limit (const WslfpHeatmap *map, double r_max, double d_max)
{
  enum { N = 64 };
  double r_min = 0, r_hi, d_hi;
  if (map->tklfp != NULL)
    wslfp_heatmap_extent (map, &r_min, &r_hi, &d_hi);
  double *v = g_new (double, N * N);
  for (int i = 0; i < N; i++)
    for (int j = 0; j < N; j++)
      v[i * N + j] = fabs (wslfp_heatmap_eval (map, r_min + (r_max - r_min) * (i + 0.5) / N,
                                               d_max * (2.0 * (j + 0.5) / N - 1)));
  qsort (v, N * N, sizeof (double), compare_doubles);
  double limit = v[(int) (0.99 * (N * N - 1))];
  g_free (v);
  return limit > 0 ? limit : 1;
}

/* The most contact marks drawn on a map. */
#define MAX_MARKS 256

/* The map's box in a figure of @width × @height (a small map, a side
 * panel's preview, has smaller margins); FALSE if there is no room.  The
 * map and its marks share it. */
static gboolean
map_box (double width, double height, double *left, double *right, double *top, double *bottom)
{
  gboolean small = width < 480;
  *left = small ? 46 : 66;
  *right = width - (small ? 64 : 96);
  *top = small ? 22 : 40;
  *bottom = height - (small ? 34 : 46);
  return *right - *left >= 20 && *bottom - *top >= 20;
}

/* TKLFP's depth profiles themselves, A0_inh(d) and A0_exc(d) (the
 * paper's Fig. 5), as curves over each half of the map: each about a
 * dashed zero line in the middle of its half, larger values to the right,
 * both at one scale, stated below them. */
static void
draw_depth_profiles (cairo_t *cr, double left, double right, double top, double bottom, double mid, double d_max,
                     gboolean small)
{
  enum { N = 400 };
  double peak = 0;
  for (int side = 0; side < 2; side++)
    for (int j = 0; j <= N; j++)
      peak = fmax (peak, fabs (wslfp_tklfp_a0 (side == 1, d_max * (1 - 2.0 * j / N) / 1000.0)));
  if (!(peak > 0))
    return;
  double half = (mid - left) / 2;
  cairo_save (cr);
  for (int side = 0; side < 2; side++)
    {
      double x0 = side == 0 ? (left + mid) / 2 : (mid + right) / 2;
      double dash[] = { 3, 3 };
      cairo_set_source_rgba (cr, 0, 0, 0, 0.5);
      cairo_set_line_width (cr, 1);
      cairo_set_dash (cr, dash, 2, 0);
      /* (below the half's name) */
      double y_start = top + (small ? 14 : 20);
      cairo_move_to (cr, round (x0) + 0.5, y_start);
      cairo_line_to (cr, round (x0) + 0.5, bottom);
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
      cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
      cairo_set_line_width (cr, small ? 1.2 : 1.6);
      for (int j = 0; j <= N; j++)
        {
          double d = d_max * (1 - 2.0 * j / N);
          double x = x0 + wslfp_tklfp_a0 (side == 1, d / 1000.0) / peak * 0.8 * half;
          double y = top + (double) j / N * (bottom - top);
          if (y < y_start)
            continue;
          if (!cairo_has_current_point (cr))
            cairo_move_to (cr, x, y);
          else
            cairo_line_to (cr, x, y);
        }
      cairo_stroke (cr);
    }
  char value[64], label[96];
  wslfp_plot_format_number (value, sizeof value, peak, peak / 10);
  /* Translators: the scale of the depth-profile curves drawn over the map. */
  g_snprintf (label, sizeof label, _("curves: A0(d), ±%s µV across a half"), value);
  if (!small)
    wslfp_plot_text (cr, (left + right) / 2, bottom - 4, label, 0.5, 1);
  cairo_restore (cr);
}

void
wslfp_plot_heatmap (cairo_t *cr, double width, double height, const WslfpHeatmap *map)
{
  char buf[64];
  double r_max, d_max;

  wslfp_plot_begin (cr, width, height);
  /* A small map (a side-panel preview) gets smaller type and margins
   * (the same rule as in heatmap_marks). */
  gboolean small = width < 480;
  double pt_per_unit, page_w;
  /* (a printed map keeps the chosen text size) */
  if (small && !wslfp_plot_get_print (cr, &pt_per_unit, &page_w))
    cairo_set_font_size (cr, 9);
  wslfp_plot_title (cr, width, small ? NULL : map->title);
  double r_min;
  wslfp_heatmap_extent (map, &r_min, &r_max, &d_max);
  double limit = wslfp_heatmap_limit (map, r_max, d_max);

  double left, right, top, bottom;
  if (!map_box (width, height, &left, &right, &top, &bottom))
    return;

  /* The map as an image, scaled into the plot area. */
  cairo_surface_t *img = cairo_image_surface_create (CAIRO_FORMAT_RGB24, NR, ND);
  if (cairo_surface_status (img) != CAIRO_STATUS_SUCCESS)
    {
      cairo_surface_destroy (img);
      return;
    }
  unsigned char *data = cairo_image_surface_get_data (img);
  int stride = cairo_image_surface_get_stride (img);
  cairo_surface_flush (img);
  for (int j = 0; j < ND; j++)
    {
      double d = d_max * (1 - 2.0 * (j + 0.5) / ND); /* top row is +d */
      guint32 *row = (guint32 *) (data + j * stride);
      for (int i = 0; i < NR; i++)
        {
          double rgb[3];
          wslfp_plot_diverging (wslfp_heatmap_eval (map, r_min + (r_max - r_min) * (i + 0.5) / NR, d), limit, rgb);
          row[i] = ((guint32) (rgb[0] * 255) << 16) | ((guint32) (rgb[1] * 255) << 8) | (guint32) (rgb[2] * 255);
        }
    }
  cairo_surface_mark_dirty (img);
  cairo_save (cr);
  cairo_rectangle (cr, left, top, right - left, bottom - top);
  cairo_clip (cr);
  cairo_translate (cr, left, top);
  cairo_scale (cr, (right - left) / NR, (bottom - top) / ND);
  cairo_set_source_surface (cr, img, 0, 0);
  cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_BILINEAR);
  cairo_paint (cr);
  cairo_restore (cr);
  cairo_surface_destroy (img);

  /* Axes. */
  cairo_set_source_rgb (cr, 0.2, 0.2, 0.2);
  cairo_set_line_width (cr, 1);
  cairo_rectangle (cr, left + 0.5, top + 0.5, right - left - 1, bottom - top - 1);
  cairo_stroke (cr);
  double r_step = wslfp_plot_nice_step (r_max - r_min, small ? 3 : 5);
  double d_step = wslfp_plot_nice_step (2 * d_max, small ? 5 : 8);
  double fitted = wslfp_plot_fit_step (cr, r_min, r_max, right - left, r_step, FALSE, 1);
  r_step = fitted > 0 ? fitted : r_step;
  fitted = wslfp_plot_fit_step (cr, -d_max, d_max, bottom - top, d_step, TRUE, 1);
  d_step = fitted > 0 ? fitted : d_step;
  double ticks[64];
  gsize n_ticks = wslfp_plot_ticks (r_min, r_max, r_step, ticks, G_N_ELEMENTS (ticks));
  for (gsize k = 0; k < n_ticks; k++)
    {
      double r = ticks[k];
      double x = left + (r - r_min) / (r_max - r_min) * (right - left);
      /* (TKLFP's two sides are each a distance from the axis) */
      wslfp_plot_format_number (buf, sizeof buf, fabs (r), r_step);
      wslfp_plot_text (cr, x, bottom + 5, buf, 0.5, 0);
    }
  n_ticks = wslfp_plot_ticks (-d_max, d_max, d_step, ticks, G_N_ELEMENTS (ticks));
  double labels_left = left - 6;
  for (gsize k = 0; k < n_ticks; k++)
    {
      double d = ticks[k];
      double y = top + (d_max - d) / (2 * d_max) * (bottom - top);
      wslfp_plot_format_number (buf, sizeof buf, d, d_step);
      wslfp_plot_text (cr, left - 6, y, buf, 1, 0.5);
      cairo_text_extents_t ext;
      cairo_text_extents (cr, buf, &ext);
      labels_left = MIN (labels_left, left - 6 - ext.width);
    }
  wslfp_plot_text (cr, (left + right) / 2, height - 6, small ? _("r (µm)") : _("r, distance from the cell axis (µm)"), 0.5, 1);
  if (map->tklfp != NULL)
    {
      /* which side is which cell, and the axis between them */
      double mid = left + (0 - r_min) / (r_max - r_min) * (right - left);
      cairo_save (cr);
      cairo_set_source_rgba (cr, 0, 0, 0, 0.35);
      cairo_set_line_width (cr, 1);
      cairo_move_to (cr, round (mid) + 0.5, top);
      cairo_line_to (cr, round (mid) + 0.5, bottom);
      cairo_stroke (cr);
      cairo_restore (cr);
      wslfp_plot_text (cr, (left + mid) / 2, top + 4, _("inhibitory"), 0.5, 0);
      wslfp_plot_text (cr, (mid + right) / 2, top + 4, _("excitatory"), 0.5, 0);
      draw_depth_profiles (cr, left, right, top, bottom, mid, d_max, small);
    }
  /* (half an em clear of the widest tick label) */
  wslfp_plot_vertical_title (cr, MIN (labels_left - 0.5 * WSLFP_PLOT_FONT_UNITS, 18), (top + bottom) / 2, height,
                             small ? _("d (µm)") : _("d, along the axis, + towards the apex (µm)"));

  wslfp_plot_heatmap_marks (cr, width, height, map);

  /* Colour bar: tiny amplitudes (aussel18's) get ticks in units of 10^(3k). */
  double bx = right + (small ? 10 : 22), bw = small ? 8 : 14;
  wslfp_plot_colorbar (cr, bx, top, bw, bottom - top, limit, "µV");
}

void
wslfp_plot_heatmap_marks (cairo_t *cr, double width, double height, const WslfpHeatmap *map)
{
  double r_min, r_max, d_max;
  gboolean small = width < 480;
  wslfp_heatmap_extent (map, &r_min, &r_max, &d_max);
  double left, right, top, bottom;
  if (!map_box (width, height, &left, &right, &top, &bottom))
    return;
  cairo_save (cr);
  cairo_set_line_width (cr, 1.2);
  /* Each mark white with a black ring; many marks (a probe of thousands)
   * as one path, filled and stroked once: one by one, 5120 of them were
   * 10 240 drawing operations at every frame of a drag. */
  gboolean batch = map->n_marks > 64;
  /* (past MAX_MARKS, every few: thousands of rings on a map of a few
   * hundred pixels are one smear, and each costs time at every frame) */
  gsize every = (map->n_marks + MAX_MARKS - 1) / MAX_MARKS;
  /* (TKLFP: on both cells' sides) */
  int sides = r_min < 0 ? 2 : 1;
  for (gsize k = 0; k < map->n_marks; k += MAX (every, 1))
    for (int side = 0; side < sides; side++)
      {
        double r = map->marks_rd[2 * k] * (side ? -1 : 1), d = map->marks_rd[2 * k + 1];
        double x = left + CLAMP ((r - r_min) / (r_max - r_min), 0, 1) * (right - left);
        double y = top + CLAMP ((d_max - d) / (2 * d_max), 0, 1) * (bottom - top);
        cairo_new_sub_path (cr);
        cairo_arc (cr, x, y, small ? 2.5 : 3.5, 0, 2 * G_PI);
        if (!batch)
          {
            cairo_set_source_rgb (cr, 1, 1, 1);
            cairo_fill_preserve (cr);
            cairo_set_source_rgb (cr, 0, 0, 0);
            cairo_stroke (cr);
          }
      }
  if (batch)
    {
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_fill_preserve (cr);
      cairo_set_source_rgb (cr, 0, 0, 0);
      cairo_stroke (cr);
    }
  cairo_restore (cr);
}
