/* test-plot.c: figure mappings (no display needed) and exports. */
#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "wslfp-analysis.h"
#include "wslfp-plot.h"
/* (the wrapping of titles is the plot library's own, tested here) */
#define GETTEXT_PACKAGE "wslfp"
#include "wslfp-plot-private.h"

static const double t[5] = { 0, 1, 2, 3, 4 };
static const double uv[5 * 4] = { 0, 0, 0, 0,  1, -1, 2, 0,  0, 0, 0, 0,  -1, 1, -2, 0,  0, 0, 0, 0 };
static const double xyz[4 * 3] = { 0, 0, 100, 0, 0, -100, 200, 0, 50, 200, 0, 0 };
static const int shank[4] = { 0, 0, 1, 1 };

static void
test_plot_trace_layout (void)
{
  WslfpTraces tr = { 5, 4, t, uv, xyz, shank, 2, NULL };
  WslfpTraceStyle style = { 0, 0, NULL, 1 };
  WslfpTraceLayout L;
  wslfp_trace_layout_compute (&L, &tr, &style, 800, 400);
  g_assert_cmpint (L.n_panels, ==, 2);
  g_assert_cmpfloat (L.panel_x[1], >, L.panel_x[0] + L.panel_w);
  /* deeper contacts lower down */
  g_assert_cmpfloat (wslfp_trace_layout_y0 (&L, &tr, 0), <, wslfp_trace_layout_y0 (&L, &tr, 1));
  g_assert_cmpfloat (wslfp_trace_layout_y0 (&L, &tr, 2), <, wslfp_trace_layout_y0 (&L, &tr, 3));
  /* time maps linearly across a panel */
  g_assert_cmpfloat_with_epsilon (wslfp_trace_layout_x (&L, 1, 0), L.panel_x[1], 1e-9);
  g_assert_cmpfloat_with_epsilon (wslfp_trace_layout_x (&L, 1, 4), L.panel_x[1] + L.panel_w, 1e-9);

  /* picking inverts the mapping */
  gsize e;
  double tt, v;
  double x = wslfp_trace_layout_x (&L, 1, 3.1), y = wslfp_trace_layout_y0 (&L, &tr, 2) + 2;
  g_assert_true (wslfp_trace_layout_pick (&L, &tr, x, y, &e, &tt, &v));
  g_assert_cmpuint (e, ==, 2);
  g_assert_cmpfloat (tt, ==, 3);
  g_assert_cmpfloat (v, ==, -2);
  g_assert_false (wslfp_trace_layout_pick (&L, &tr, 2, y, &e, &tt, &v)); /* left margin */

  /* the largest excursion fills half a slot at gain 1 */
  g_assert_cmpfloat_with_epsilon (2 / L.uv_per_px, L.slot_px / 2, 1e-9);
  style.t_min_ms = 0;
  style.t_max_ms = 2;
  style.gain = 2;
  wslfp_trace_layout_compute (&L, &tr, &style, 800, 400);
  g_assert_cmpfloat_with_epsilon (wslfp_trace_layout_x (&L, 0, 2), L.panel_x[0] + L.panel_w, 1e-9);
  g_assert_cmpfloat_with_epsilon (2 / L.uv_per_px, L.slot_px, 1e-9);

  /* One sample (an LFP of one time step): a time axis 1 ms wide from it,
   * the sample at the panel's left edge, not a span of zero (NaN places). */
  WslfpTraces one = { 1, 4, t + 2, uv, xyz, shank, 2, NULL };
  wslfp_trace_layout_compute (&L, &one, NULL, 800, 400);
  g_assert_cmpfloat (L.t0, ==, t[2]);
  g_assert_cmpfloat (L.t1, ==, t[2] + 1);
  g_assert_cmpfloat_with_epsilon (wslfp_trace_layout_x (&L, 1, t[2]), L.panel_x[1], 1e-9);
  g_assert_cmpfloat_with_epsilon (wslfp_trace_layout_x (&L, 1, t[2] + 1), L.panel_x[1] + L.panel_w, 1e-9);
  /* and so drawn: a figure with no error */
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 800, 400);
  cairo_t *cr = cairo_create (surface);
  wslfp_plot_traces (cr, 800, 400, &one, NULL);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

static void
project (const char *preset, const double p[3], double *x, double *y)
{
  WslfpScene scene = { 0 };
  WslfpView view;
  WslfpProjection P;
  const double pts[6] = { -100, -100, -100, 100, 100, 100 };
  scene.n_electrodes = 2;
  scene.electrodes_um = pts;
  wslfp_view_init (&view);
  wslfp_view_preset (&view, preset);
  wslfp_projection_compute (&P, &scene, &view, 400, 400);
  wslfp_projection_apply (&P, p, x, y, NULL);
}

static void
test_plot_projection (void)
{
  const double o[3] = { 0, 0, 0 }, px[3] = { 50, 0, 0 }, py[3] = { 0, 50, 0 }, pz[3] = { 0, 0, 50 };
  double x0, y0, x, y;
  project ("front", o, &x0, &y0);
  project ("front", px, &x, &y);
  g_assert_cmpfloat (x, >, x0 + 10);           /* +x right */
  g_assert_cmpfloat_with_epsilon (y, y0, 1e-9);
  project ("front", pz, &x, &y);
  g_assert_cmpfloat (y, <, y0 - 10);           /* +z up */
  g_assert_cmpfloat_with_epsilon (x, x0, 1e-9);
  project ("front", py, &x, &y);               /* y is depth, seen level */
  g_assert_cmpfloat_with_epsilon (x, x0, 1e-9);
  g_assert_cmpfloat_with_epsilon (y, y0, 1e-9);
  project ("top", py, &x, &y);
  g_assert_cmpfloat (y, <, y0 - 10);           /* from above, +y up */
  project ("top", pz, &x, &y);                 /* z is depth */
  g_assert_cmpfloat_with_epsilon (x, x0, 1e-9);
  g_assert_cmpfloat_with_epsilon (y, y0, 1e-9);
  project ("side", py, &x, &y);
  g_assert_cmpfloat (x, >, x0 + 10);           /* from +x, +y right */
  project ("side", px, &x, &y);
  g_assert_cmpfloat_with_epsilon (x, x0, 1e-9); /* x is depth */
}

static void
test_plot_diverging (void)
{
  double rgb[3];
  wslfp_plot_diverging (0, 1, rgb);
  g_assert_cmpfloat (rgb[0], ==, 1);
  g_assert_cmpfloat (rgb[1], ==, 1);
  g_assert_cmpfloat (rgb[2], ==, 1);
  wslfp_plot_diverging (5, 1, rgb); /* clipped to the red end */
  g_assert_cmpfloat (rgb[0], >, rgb[2]);
  g_assert_cmpfloat (rgb[0], <, 0.5);
  wslfp_plot_diverging (-1, 1, rgb);
  g_assert_cmpfloat (rgb[2], >, rgb[0]);
}

static void
draw_traces_cb (cairo_t *cr, double w, double h, gpointer data)
{
  WslfpTraceStyle style = { 0, 0, "test", 1 };
  wslfp_plot_traces (cr, w, h, data, &style);
}

static void
test_plot_export (void)
{
  WslfpTraces tr = { 5, 4, t, uv, xyz, shank, 2, NULL };
  g_autofree char *dir = g_dir_make_tmp ("wslfp-test-plot-XXXXXX", NULL);
  g_autofree char *png = g_build_filename (dir, "f.png", NULL);
  g_autoptr (GError) error = NULL;
  g_assert_true (wslfp_plot_export (png, png, 300, 200, draw_traces_cb, &tr, &error));
  cairo_surface_t *s = cairo_image_surface_create_from_png (png);
  g_assert_cmpint (cairo_image_surface_get_width (s), ==, 300);
  g_assert_cmpint (cairo_image_surface_get_height (s), ==, 200);
  /* some dark ink (text, traces) */
  unsigned char *d = cairo_image_surface_get_data (s);
  int stride = cairo_image_surface_get_stride (s), dark = 0;
  for (int y = 0; y < 200; y++)
    for (int x = 0; x < 300; x++)
      dark += (d[y * stride + 4 * x + 1]) < 128;
  g_assert_cmpint (dark, >, 200);
  cairo_surface_destroy (s);
  g_assert_false (wslfp_plot_export ("f.gif", png, 300, 200, draw_traces_cb, &tr, &error));
  g_assert_error (error, WSLFP_PLOT_ERROR, 0);
  g_assert_true (wslfp_plot_format_supported ("A.PDF"));
  g_unlink (png);
  g_rmdir (dir);
}

/* Contacts sharing a depth (a tetrode, a Neuropixels row) get rows of
 * their own in depth order, superficial first, then by x; picking finds
 * each. */
static void
test_plot_trace_rows_by_rank (void)
{
  static const double tt[3] = { 0, 1, 2 };
  static const double v[3 * 4] = { 0 };
  static const double pos[4 * 3] = { 10, 0, 0, -10, 0, 0, 0, 0, 20, 5, 0, 0 };
  static const int one[4] = { 0, 0, 0, 0 };
  WslfpTraces tr = { 3, 4, tt, v, pos, one, 1, NULL };
  WslfpTraceStyle style = { 0 };
  style.mode = WSLFP_TRACES_LINES;
  WslfpTraceLayout L;
  wslfp_trace_layout_compute (&L, &tr, &style, 600, 400);
  g_assert_true (L.by_rank);
  g_assert_false (L.image);
  /* z = 20 first, then the three at z = 0 by x: −10, 5, 10 */
  double y[4];
  for (gsize e = 0; e < 4; e++)
    y[e] = wslfp_trace_layout_y0 (&L, &tr, e);
  g_assert_cmpfloat (y[2], <, y[1]);
  g_assert_cmpfloat (y[1], <, y[3]);
  g_assert_cmpfloat (y[3], <, y[0]);
  g_assert_cmpfloat_with_epsilon (y[1] - y[2], L.slot_px, 1e-9);
  /* Rows sharing a depth are labelled by channel, with the depth where
   * it varies (issue 22, item 11: every row of a tetrode read "200"). */
  char label[64];
  g_assert_cmpint (wslfp_trace_layout_row_label (&L, &tr, 3, label, sizeof label), ==, WSLFP_ROWS_BY_CHANNEL_AND_DEPTH);
  g_assert_cmpstr (label, ==, "3 · 0");
  wslfp_trace_layout_row_label (&L, &tr, 2, label, sizeof label);
  g_assert_cmpstr (label, ==, "2 · 20");
  static const double flat[4 * 3] = { 0, 0, 200, 400, 0, 200, 0, 400, 200, 400, 400, 200 };
  WslfpTraces utah = { 3, 4, tt, v, flat, one, 1, NULL };
  WslfpTraceLayout U;
  wslfp_trace_layout_compute (&U, &utah, &style, 600, 400);
  for (gsize e = 0; e < 4; e++)
    {
      g_assert_cmpint (wslfp_trace_layout_row_label (&U, &utah, e, label, sizeof label), ==, WSLFP_ROWS_BY_CHANNEL);
      g_autofree char *want = g_strdup_printf ("%zu", e);
      g_assert_cmpstr (label, ==, want);
    }
  /* a probe file's names of its contacts, where it gives them (an empty
   * name falls back to the channel) */
  static const char *const ids[4] = { "e7", "A2", "", "17" };
  utah.contact_ids = ids;
  const char *named[4] = { "e7", "A2", "2", "17" };
  for (gsize e = 0; e < 4; e++)
    {
      wslfp_trace_layout_row_label (&U, &utah, e, label, sizeof label);
      g_assert_cmpstr (label, ==, named[e]);
    }
  tr.contact_ids = ids;
  wslfp_trace_layout_row_label (&L, &tr, 3, label, sizeof label);
  g_assert_cmpstr (label, ==, "17 · 0");
  static const double column[4 * 3] = { 0, 0, 0, 0, 0, 50, 0, 0, 100, 0, 0, 150 };
  WslfpTraces linear = { 3, 4, tt, v, column, one, 1, NULL };
  WslfpTraceLayout C;
  style.mode = WSLFP_TRACES_IMAGE; /* (rows in depth order) */
  wslfp_trace_layout_compute (&C, &linear, &style, 600, 400);
  g_assert_true (C.by_rank);
  g_assert_cmpint (wslfp_trace_layout_row_label (&C, &linear, 2, label, sizeof label), ==, WSLFP_ROWS_BY_DEPTH);
  g_assert_cmpstr (label, ==, "100");
  style.mode = WSLFP_TRACES_LINES;
  for (gsize e = 0; e < 4; e++)
    {
      gsize got;
      double t_ms, uv_at;
      g_assert_true (wslfp_trace_layout_pick (&L, &tr, wslfp_trace_layout_x (&L, 0, 1), y[e] + 0.3 * L.slot_px, &got,
                                              &t_ms, &uv_at));
      g_assert_cmpuint (got, ==, e);
      /* (up to half a slot away: the rows share the panel between them) */
      g_assert_true (wslfp_trace_layout_pick (&L, &tr, wslfp_trace_layout_x (&L, 0, 1), y[e] - 0.45 * L.slot_px, &got,
                                              &t_ms, &uv_at));
      g_assert_cmpuint (got, ==, e);
    }
  /* below the last row by more than half a slot is no trace's */
  gsize got;
  double t_ms, uv_at;
  g_assert_false (wslfp_trace_layout_pick (&L, &tr, wslfp_trace_layout_x (&L, 0, 1), y[0] + 0.8 * L.slot_px, &got,
                                           &t_ms, &uv_at));
  /* Distinct depths stay to scale. */
  static const double apart[4 * 3] = { 0, 0, 0, 0, 0, 10, 0, 0, 30, 0, 0, 100 };
  tr.electrodes_um = apart;
  wslfp_trace_layout_compute (&L, &tr, &style, 600, 400);
  g_assert_false (L.by_rank);
}

static void
draw_image_cb (cairo_t *cr, double w, double h, gpointer data)
{
  WslfpTraceStyle style = { 0 };
  style.gain = 1;
  wslfp_plot_traces (cr, w, h, data, &style);
}

/* 384 contacts on one shank do not fit as lines in 400 px: the automatic
 * mode draws a colour map, red where the LFP is positive and blue where it
 * is negative, with a symmetric limit from the data. */
static void
test_plot_trace_image (void)
{
  enum { E = 384, T = 50 };
  double *pos = g_new0 (double, 3 * E), *v = g_new (double, T * E), *tt = g_new (double, T);
  int *one = g_new0 (int, E);
  for (int e = 0; e < E; e++)
    pos[3 * e + 2] = 20.0 * (e / 2) + 0.0, pos[3 * e] = 32.0 * (e % 2);
  for (int i = 0; i < T; i++)
    {
      tt[i] = i;
      for (int e = 0; e < E; e++)
        v[i * E + e] = pos[3 * e + 2] > 1900 ? 3.0 : -3.0; /* upper half positive */
    }
  WslfpTraces tr = { T, E, tt, v, pos, one, 1, NULL };
  WslfpTraceStyle style = { 0 };
  style.gain = 1;
  WslfpTraceLayout L;
  wslfp_trace_layout_compute (&L, &tr, &style, 500, 400);
  g_assert_true (L.image);
  /* One row per contact fills the plot height. */
  g_assert_cmpfloat_with_epsilon (L.slot_px * E, L.plot_bottom - L.plot_top, 1e-9);
  g_assert_cmpfloat_with_epsilon (L.color_limit_uv, 3.0, 1e-12);
  style.mode = WSLFP_TRACES_LINES;
  wslfp_trace_layout_compute (&L, &tr, &style, 500, 400);
  g_assert_false (L.image);
  style.mode = WSLFP_TRACES_AUTO;
  wslfp_trace_layout_compute (&L, &tr, &style, 500, 400);

  g_autofree char *dir = g_dir_make_tmp ("wslfp-test-plot-XXXXXX", NULL);
  g_autofree char *png = g_build_filename (dir, "image.png", NULL);
  g_autoptr (GError) error = NULL;
  g_assert_true (wslfp_plot_export (png, png, 500, 400, draw_image_cb, &tr, &error));
  cairo_surface_t *s = cairo_image_surface_create_from_png (png);
  unsigned char *d = cairo_image_surface_get_data (s);
  int stride = cairo_image_surface_get_stride (s);
  int x = (int) (L.panel_x[0] + L.panel_w / 2);
  int y_top = (int) (L.plot_top + 0.1 * (L.plot_bottom - L.plot_top));
  int y_bottom = (int) (L.plot_top + 0.9 * (L.plot_bottom - L.plot_top));
  /* ARGB32 in memory: B, G, R, A on little-endian machines. */
  guint32 top = *(guint32 *) (d + y_top * stride + 4 * x), bottom = *(guint32 *) (d + y_bottom * stride + 4 * x);
  g_assert_cmpuint ((top >> 16) & 0xff, >, (top & 0xff) + 50);        /* red: superficial, positive */
  g_assert_cmpuint (bottom & 0xff, >, ((bottom >> 16) & 0xff) + 40);   /* blue: deep, negative */
  cairo_surface_destroy (s);
  if (g_getenv ("KEEP_PNG") == NULL)
    {
      g_unlink (png);
      g_rmdir (dir);
    }
  else
    g_print ("%s\n", png);
  g_free (pos);
  g_free (v);
  g_free (tt);
  g_free (one);
}

/* 16 shanks fit the width: panels in order, none past the scale bar's
 * margin, gaps narrower than with few shanks. */
static void
test_plot_trace_many_shanks (void)
{
  enum { K = 16, PER = 24, E = K * PER };
  double *pos = g_new0 (double, 3 * E), *v = g_new0 (double, 2 * E);
  int *sh = g_new (int, E);
  static const double tt[2] = { 0, 1 };
  for (int e = 0; e < E; e++)
    {
      sh[e] = e / PER;
      pos[3 * e] = 40.0 * sh[e];
      pos[3 * e + 2] = 40.0 * (e % PER);
    }
  WslfpTraces tr = { 2, E, tt, v, pos, sh, K, NULL };
  WslfpTraceStyle style = { 0 };
  style.gain = 1;
  WslfpTraceLayout L;
  wslfp_trace_layout_compute (&L, &tr, &style, 1000, 640);
  g_assert_cmpint (L.n_panels, ==, K);
  g_assert_false (L.by_rank);
  for (int p = 1; p < K; p++)
    g_assert_cmpfloat (L.panel_x[p] - L.panel_x[p - 1] - L.panel_w, <=, 8.0 + 1e-9);
  g_assert_cmpfloat (L.panel_x[K - 1] + L.panel_w, <=, 1000 - 90);
  g_assert_cmpfloat (L.panel_w, >, 40);
  g_assert_true (L.time_bar); /* ticks would run into each other */
  wslfp_trace_layout_compute (&L, &tr, &style, 4000, 640);
  g_assert_false (L.time_bar);
  g_free (pos);
  g_free (v);
  g_free (sh);
}

/* ---- what the axes say ---- */

static void
assert_ticks (double lo, double hi, double step, const double *want, gsize n_want)
{
  double got[64];
  gsize n = wslfp_plot_ticks (lo, hi, step, got, G_N_ELEMENTS (got));
  g_assert_cmpuint (n, ==, n_want);
  for (gsize k = 0; k < n; k++)
    g_assert_cmpfloat_with_epsilon (got[k], want[k], 1e-9 * step);
}

/* Ticks cover the range, both ends included (rounding or not), and are
 * labelled with the decimals their step needs. */
static void
test_plot_ticks (void)
{
  const double t0[] = { 0, 100, 200, 300, 400, 500 };
  assert_ticks (0, 500, 100, t0, 6);
  const double t1[] = { 0.1, 0.2, 0.3 };
  assert_ticks (0.1, 0.1 * 3, 0.1, t1, 3); /* 0.1·3 is a hair above 0.3 */
  const double t2[] = { -20, 0, 20 };
  assert_ticks (-25, 25, 20, t2, 3);
  const double t3[] = { 2000, 2500 };
  assert_ticks (1999.9999999999, 2500, 500, t3, 2);
  double none[1];
  g_assert_cmpuint (wslfp_plot_ticks (1, 0, 1, none, 1), ==, 0);
  g_assert_cmpuint (wslfp_plot_ticks (0, 1, 0, none, 1), ==, 0);

  g_assert_cmpfloat (wslfp_plot_nice_step (1000, 5), ==, 200);
  g_assert_cmpfloat (wslfp_plot_nice_step (1, 4), ==, 0.2);
  g_assert_cmpfloat (wslfp_plot_nice_step (7, 1), ==, 5);
  /* An overflowed range gets a finite step, which a caller can shrink
   * (an infinite one stayed infinite: plot hung, issue 20, item 6); so
   * does the largest finite range. */
  g_assert_true (isfinite (wslfp_plot_nice_step (INFINITY, 5)));
  g_assert_true (isfinite (wslfp_plot_nice_step (G_MAXDOUBLE, 5)));
  g_assert_cmpfloat (wslfp_plot_nice_step (NAN, 5), ==, 1);
  char buf[32];
  struct { double v, step; const char *want; } labels[] = {
    { 0.1, 0.1, "0.1" }, { 0.3, 0.1, "0.3" }, { 0.25, 0.05, "0.25" }, { 1e-17, 0.1, "0.0" }, { -1e-17, 0.1, "0.0" },
    { 200, 100, "200" }, { -0.2, 0.2, "\u22120.2" }, { -150, 50, "\u2212150" }, { 0.002, 0.002, "0.002" }, { 2.5, 0.5, "2.5" },
  };
  for (guint k = 0; k < G_N_ELEMENTS (labels); k++)
    {
      wslfp_plot_format_number (buf, sizeof buf, labels[k].v, labels[k].step);
      g_assert_cmpstr (buf, ==, labels[k].want);
    }
  /* minus signs where a number starts, not in words or exponents */
  char text[64] = "x = -138 µm, per-neuron, 1e-5, (-.5), azimuth -35°";
  wslfp_plot_minus_signs (text, sizeof text);
  g_assert_cmpstr (text, ==, "x = \u2212138 µm, per-neuron, 1e-5, (\u2212.5), azimuth \u221235°");
  char tight[9] = "-1 -2";
  wslfp_plot_minus_signs (tight, sizeof tight); /* room for one only */
  g_assert_cmpstr (tight, ==, "\u22121 -2");
}

/* The µV scale bar is a round value no taller than 1.2 slots and at least
 * half of one, whatever the peak; its height matches the trace scale. */
static void
test_plot_scale_bar (void)
{
  /* 3.8: twice the peak is 7.6, whose 1-2-5 step (10) would be 1.3 slots */
  const double peaks[] = { 1, 3, 3.8, 7.3, 0.0042, 250, 999 };
  for (guint k = 0; k < G_N_ELEMENTS (peaks); k++)
    {
      double v[5 * 4];
      for (int i = 0; i < 20; i++)
        v[i] = uv[i] * peaks[k] / 2;
      WslfpTraces tr = { 5, 4, t, v, xyz, shank, 2, NULL };
      WslfpTraceLayout L;
      wslfp_trace_layout_compute (&L, &tr, NULL, 800, 400);
      double px, bar = wslfp_trace_layout_scale_bar (&L, &px);
      g_assert_cmpfloat_with_epsilon (px, bar / L.uv_per_px, 1e-9);
      /* the peak fills half a slot: a gain of 1, as without a style, with
       * a gain of 0 (unset) and with one of 1 */
      double peak = 0;
      for (int i = 0; i < 20; i++)
        peak = fmax (peak, fabs (v[i]));
      g_assert_cmpfloat (fabs (peak / L.uv_per_px - 0.5 * L.slot_px), <=, 1e-9 * L.slot_px);
      for (int gain = 0; gain <= 1; gain++)
        {
          WslfpTraceStyle style = { 0, 0, NULL, gain, WSLFP_TRACES_LINES };
          WslfpTraceLayout styled;
          wslfp_trace_layout_compute (&styled, &tr, &style, 800, 400);
          g_assert_cmpfloat (styled.uv_per_px, ==, L.uv_per_px);
        }
      g_assert_cmpfloat (px, <=, 1.2 * L.slot_px);
      g_assert_cmpfloat (px, >=, 0.25 * L.slot_px);
      double mantissa = bar / pow (10, floor (log10 (bar)));
      g_assert_true (fabs (mantissa - 1) < 1e-9 || fabs (mantissa - 2) < 1e-9 || fabs (mantissa - 5) < 1e-9);
    }
  /* Peaks at the ends of the doubles (1e308, and denormal 1e-310, whose
   * shrinking bar reaches 0 and jumps back to 1) give a bar, not a loop
   * for ever (issue 20, item 6). */
  const double extremes[] = { 1e308, 1e-310 };
  for (guint k = 0; k < G_N_ELEMENTS (extremes); k++)
    {
      double v[5 * 4];
      for (int i = 0; i < 20; i++)
        v[i] = (i % 2 ? 1 : -1) * extremes[k];
      WslfpTraces tr = { 5, 4, t, v, xyz, shank, 2, NULL };
      WslfpTraceLayout L;
      wslfp_trace_layout_compute (&L, &tr, NULL, 800, 400);
      double px;
      wslfp_trace_layout_scale_bar (&L, &px);
      g_assert_false (isnan (px));
    }
  /* the colour maps' limit follows the gain as the traces' scale does */
  WslfpTraces tr = { 5, 4, t, uv, xyz, shank, 2, NULL };
  WslfpTraceStyle style = { 0, 0, NULL, 1, WSLFP_TRACES_IMAGE };
  WslfpTraceLayout L1, L2;
  wslfp_trace_layout_compute (&L1, &tr, &style, 800, 400);
  style.gain = 4;
  wslfp_trace_layout_compute (&L2, &tr, &style, 800, 400);
  g_assert_true (L1.image);
  g_assert_cmpfloat_with_epsilon (L2.color_limit_uv, L1.color_limit_uv / 4, 1e-12);
}

/* Colour limits are robust: the 99th percentile of |v|, not the median
 * and not the one outlier. */
static void
test_plot_color_limits (void)
{
  enum { N = 10000 };
  g_autofree double *v = g_new (double, N);
  for (int i = 0; i < N; i++)
    v[i] = (i % 2 ? -1 : 1) * (double) (i + 1) / N;
  v[17] = 1e6;
  double limit = wslfp_plot_robust_limit (v, N);
  g_assert_cmpfloat (limit, >=, 0.97);
  g_assert_cmpfloat (limit, <=, 1.0);
  /* gaps in the data (NaN, ±inf) do not take the limit with them */
  for (int i = 0; i < N; i += 10)
    v[i] = -INFINITY;
  limit = wslfp_plot_robust_limit (v, N);
  g_assert_true (isfinite (limit));
  g_assert_cmpfloat (limit, >=, 0.97);
  g_assert_cmpfloat (limit, <=, 1.0);
  for (int i = 0; i < N; i += 10)
    v[i] = NAN;
  limit = wslfp_plot_robust_limit (v, N);
  g_assert_true (isfinite (limit));
  g_assert_cmpfloat (limit, >=, 0.97);
  g_assert_cmpfloat (limit, <=, 1.0);
  /* sparse data (a contact far from every cell, a quiet stretch): with
   * over 99 % zeros the limit is the largest |value|, not 0 or 1; all
   * zeros (or nothing) gives 1 */
  for (gsize m = 1; m <= 3; m++)
    {
      double sparse[500] = { 0 };
      for (gsize k = 0; k < m; k++)
        sparse[100 + 37 * k] = -0.25 * (k + 1);
      g_assert_cmpfloat (wslfp_plot_robust_limit (sparse, 500), ==, 0.25 * m);
    }
  double zeros[64] = { 0 };
  g_assert_cmpfloat (wslfp_plot_robust_limit (zeros, 64), ==, 1);
  g_assert_cmpfloat (wslfp_plot_robust_limit (zeros, 0), ==, 1);

  /* the profile map: near the 99th percentile of |A| over the shown box,
   * estimated here on a finer grid of its own */
  WslfpProfile *p;
  wslfp_profile_new (WSLFP_PROFILE_AUSSEL18, &p, NULL);
  WslfpHeatmap map = { p, 250, 0, NULL, NULL };
  double r_max = 600, d_max = 800;
  double lim = wslfp_heatmap_limit (&map, r_max, d_max);
  enum { M = 300 };
  g_autofree double *a = g_new (double, M * M);
  for (int i = 0; i < M; i++)
    for (int j = 0; j < M; j++)
      a[i * M + j] = fabs (wslfp_profile_eval (p, r_max * (i + 0.5) / M, d_max * (2.0 * (j + 0.5) / M - 1), 250));
  int below = 0;
  for (int k = 0; k < M * M; k++)
    below += a[k] <= lim;
  g_assert_cmpfloat ((double) below / (M * M), >=, 0.975);
  g_assert_cmpfloat ((double) below / (M * M), <=, 0.997);
  wslfp_profile_free (p);
}

/* TKLFP's map: one spike's amplitude around an inhibitory cell at the
 * left (A0_inh is large and positive at the soma: deep red there) and an
 * excitatory cell at the right (much weaker: little of it saturated),
 * its value written out from the depth profiles and λ; the depth-profile
 * curves drawn over both halves. */
static void
test_plot_tklfp_map (void)
{
  WslfpTklfpParams params;
  wslfp_tklfp_params_init (&params);
  params.lambda_mm = 0.3;
  WslfpProfile *p;
  wslfp_profile_new (WSLFP_PROFILE_MAZZONI15, &p, NULL);
  WslfpHeatmap map = { p, 250, 0, NULL, "TKLFP", &params };
  double r_min, r_max, d_max;
  wslfp_heatmap_extent (&map, &r_min, &r_max, &d_max);
  g_assert_cmpfloat (r_min, ==, -r_max);
  const double at[][2] = { { 120, -50 }, { -120, -50 }, { 40, 300 }, { -250, 600 } };
  for (guint k = 0; k < G_N_ELEMENTS (at); k++)
    {
      double r = at[k][0], d = at[k][1];
      double want = wslfp_tklfp_a0 (r >= 0, d / 1000) * exp (-sqrt (r * r + d * d) / 1000 / 0.3);
      g_assert_cmpfloat (fabs (wslfp_heatmap_eval (&map, r, d) - want), <=, 1e-15 * fmax (1, fabs (want)));
    }
  enum { W = 800, H = 640 };
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_RGB24, W, H);
  cairo_t *cr = cairo_create (s);
  wslfp_plot_heatmap (cr, W, H, &map);
  cairo_destroy (cr);
  cairo_surface_flush (s);
  const guint8 *px = cairo_image_surface_get_data (s);
  int stride = cairo_image_surface_get_stride (s);
  gsize red[2] = { 0, 0 }, black[2] = { 0, 0 };
  for (int y = 60; y < H - 60; y++)
    for (int x = 70; x < W - 100; x++)
      {
        guint32 v = *(const guint32 *) (px + y * stride + 4 * x);
        int R = (v >> 16) & 255, G = (v >> 8) & 255, B = v & 255;
        int half = x >= (70 + W - 100) / 2;
        red[half] += R > 90 && R < 130 && G < 20 && B < 50;      /* the colour bar's end: saturated */
        black[half] += R < 60 && G < 60 && B < 60;
      }
  /* The dashed zero lines (3 px on, 3 off, half black) are crisp and
   * upright: one column each changes its grey every 3 px down the whole
   * run, and the columns beside it do not (as they would, along all or
   * part of it, for a line a half pixel off or leaning). */
  int steps[W] = { 0 }, dashed_columns = 0, dashed_x[2] = { -1, -1 };
  for (int x = 70; x < W - 100; x++)
    for (int y = 100; y + 3 < H - 100; y++)
      steps[x] += abs (px[y * stride + 4 * x + 1] - px[(y + 3) * stride + 4 * x + 1]) > 30;
  for (int x = 71; x < W - 101; x++)
    if (steps[x] > (H - 200) / 2)
      {
        if (dashed_columns < 2)
          dashed_x[dashed_columns] = x;
        dashed_columns++;
        if (steps[x - 1] > (H - 200) / 8 || steps[x + 1] > (H - 200) / 8)
          g_error ("the dashed line at column %d spills over a column beside it (%d, %d of %d px change)", x,
                   steps[x - 1], steps[x + 1], steps[x]);
      }
  g_assert_cmpint (dashed_columns, ==, 2);
  cairo_surface_destroy (s);
  /* Each zero line is in the middle of its half: where the marks of a
   * contact at r = r_max / 2 (one ring on each cell's side) are drawn. */
  const double middle_rd[2] = { r_max / 2, 0 };
  WslfpHeatmap marked = map;
  marked.n_marks = 1;
  marked.marks_rd = middle_rd;
  s = cairo_image_surface_create (CAIRO_FORMAT_RGB24, W, H);
  cr = cairo_create (s);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  wslfp_plot_heatmap_marks (cr, W, H, &marked);
  cairo_destroy (cr);
  cairo_surface_flush (s);
  px = cairo_image_surface_get_data (s);
  stride = cairo_image_surface_get_stride (s);
  double sum_x[2] = { 0, 0 }, n_dark[2] = { 0, 0 };
  for (int y = 0; y < H; y++)
    for (int x = 0; x < W; x++)
      if (px[y * stride + 4 * x + 1] < 128)
        {
          int half = x >= W / 2;
          sum_x[half] += x + 0.5;
          n_dark[half]++;
        }
  g_assert_cmpfloat (n_dark[0], >, 0);
  g_assert_cmpfloat (n_dark[1], >, 0);
  for (int half = 0; half < 2; half++)
    {
      g_test_message ("zero line at column %d; the ring at r = %s r_max / 2 centred at x = %.2f", dashed_x[half],
                      half ? "+" : "-", sum_x[half] / n_dark[half]);
      g_assert_cmpfloat (fabs (dashed_x[half] + 0.5 - sum_x[half] / n_dark[half]), <=, 1.0);
    }
  cairo_surface_destroy (s);
  g_test_message ("saturated red: %zu left, %zu right; dark: %zu, %zu", red[0], red[1], black[0], black[1]);
  g_assert_cmpuint (red[0], >, 500);
  g_assert_cmpuint (red[0], >, 10 * red[1]);
  g_assert_cmpuint (black[0], >, 200);
  g_assert_cmpuint (black[1], >, 200);
  wslfp_profile_free (p);
}

/* Zooming the 3-D view scales distances from the centre. */
static void
test_plot_zoom (void)
{
  WslfpScene scene = { 0 };
  const double pts[6] = { -100, -100, -100, 100, 100, 100 }, p[3] = { 100, 0, 0 };
  scene.n_electrodes = 2;
  scene.electrodes_um = pts;
  WslfpView view;
  WslfpProjection P;
  double x1, y1, x2, y2;
  wslfp_view_init (&view);
  wslfp_view_preset (&view, "front");
  wslfp_projection_compute (&P, &scene, &view, 400, 400);
  wslfp_projection_apply (&P, p, &x1, &y1, NULL);
  double scale1 = P.scale;
  view.zoom = 2.5;
  wslfp_view_preset (&view, "front"); /* a preset keeps the zoom */
  wslfp_projection_compute (&P, &scene, &view, 400, 400);
  wslfp_projection_apply (&P, p, &x2, &y2, NULL);
  g_assert_cmpfloat_with_epsilon (P.scale, 2.5 * scale1, 1e-9);
  g_assert_cmpfloat_with_epsilon (x2 - P.cx, 2.5 * (x1 - P.cx), 1e-6);
}

static void
draw_nothing_cb (cairo_t *cr, double w, double h, gpointer data)
{
}

/* Sizes outside 16 … 20000 px (in either direction, the bounds themselves
 * allowed) are refused with the size in the message. */
static void
test_plot_sizes (void)
{
  g_autofree char *dir = g_dir_make_tmp ("wslfp-test-plot-XXXXXX", NULL);
  g_autofree char *png = g_build_filename (dir, "s.png", NULL);
  g_autoptr (GError) error = NULL;
  g_assert_true (wslfp_plot_export (png, png, 16, 16, draw_nothing_cb, NULL, &error));
  g_assert_false (wslfp_plot_export (png, png, 15, 100, draw_nothing_cb, NULL, &error));
  g_assert_nonnull (strstr (error->message, "15 × 100"));
  g_clear_error (&error);
  g_assert_false (wslfp_plot_export (png, png, 100, 20001, draw_nothing_cb, NULL, &error));
  g_clear_error (&error);
  g_assert_true (wslfp_plot_export (png, png, 20000, 16, draw_nothing_cb, NULL, &error));
  g_assert_true (wslfp_plot_export (png, png, 16, 20000, draw_nothing_cb, NULL, &error));
  g_assert_false (wslfp_plot_export (png, png, 16, 15.5, draw_nothing_cb, NULL, &error));
  g_assert_nonnull (strstr (error->message, "16 × 15.5"));
  g_clear_error (&error);
  g_assert_false (wslfp_plot_export (png, png, 20000.5, 16, draw_nothing_cb, NULL, &error));
  g_clear_error (&error);
  g_unlink (png);
  g_rmdir (dir);
}

/* A shank of 40 000 contacts as a colour map: drawn (as many image rows
 * as the panel has pixels), not left out because cairo makes no image
 * that tall (issue 20, item 1: it crashed; then the map went missing). */
static void
test_plot_colour_map_of_many_contacts (void)
{
  const gsize E = 40000, T = 4;
  g_autofree double *times = g_new (double, T);
  g_autofree double *values = g_new (double, T * E);
  g_autofree double *where = g_new0 (double, 3 * E);
  g_autofree int *shanks = g_new0 (int, E);
  for (gsize i = 0; i < T; i++)
    times[i] = (double) i;
  for (gsize e = 0; e < E; e++)
    {
      where[3 * e + 2] = (double) e;
      for (gsize i = 0; i < T; i++)
        values[i * E + e] = e < E / 2 ? 50.0 : -50.0; /* two halves: red over blue */
    }
  WslfpTraces traces = { T, E, times, values, where, shanks, 1, NULL };
  WslfpTraceStyle style = { 0, 0, NULL, 1, WSLFP_TRACES_IMAGE };
  /* At 400 × 300 px, and 40 000 units wide (a vector export's size, wider
   * than cairo's images) drawn at 1 % */
  for (int wide = 0; wide < 2; wide++)
    {
      cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 400, 300);
      cairo_t *cr = cairo_create (surface);
      cairo_scale (cr, wide ? 0.01 : 1, wide ? 0.01 : 1);
      wslfp_plot_traces (cr, wide ? 40000 : 400, wide ? 30000 : 300, &traces, &style);
      g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
      cairo_destroy (cr);
      cairo_surface_flush (surface);
      const guint8 *data = cairo_image_surface_get_data (surface);
      int stride = cairo_image_surface_get_stride (surface);
      gsize strong = 0;
      for (int y = 0; y < 300; y++)
        for (int x = 0; x < 400; x++)
          {
            guint32 px = *(const guint32 *) (data + y * stride + 4 * x);
            int r = (px >> 16) & 0xff, b = px & 0xff;
            strong += abs (r - b) > 50; /* the map's deep red or blue */
          }
      cairo_surface_destroy (surface);
      /* most of the panel (about 300 × 200 px) is the map */
      g_test_message ("%s: %zu px of the map", wide ? "wide" : "400 px", strong);
      g_assert_cmpuint (strong, >, 20000);
    }
}

/* The colour bar paints within its frame: the rows below it and the
 * column past its right edge keep the page's white (but for the tick
 * marks, which start at the edge), whatever its stripes and frame do. */
static void
test_plot_colour_bar_bounds (void)
{
  enum { W = 120, H = 160, X = 20, Y = 20, BW = 12, BH = 100 };
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_RGB24, W, H);
  cairo_t *cr = cairo_create (s);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  wslfp_plot_colorbar (cr, X, Y, BW, BH, 50, "µV");
  cairo_destroy (cr);
  cairo_surface_flush (s);
  const guint8 *d = cairo_image_surface_get_data (s);
  int stride = cairo_image_surface_get_stride (s);
#define WHITE(x, y) (d[(y) * stride + 4 * (x)] == 255 && d[(y) * stride + 4 * (x) + 1] == 255 \
                     && d[(y) * stride + 4 * (x) + 2] == 255)
  /* (inside: the frame's grey at the edge, the stripes within) */
  g_assert_false (WHITE (X, Y + BH / 2));
  g_assert_false (WHITE (X + BW / 2, Y + BH - 2));
  for (int x = X - 1; x <= X + BW; x++)
    g_assert_true (WHITE (x, Y + BH + 1));
  int marked = 0;
  for (int y = Y; y < Y + BH; y++)
    marked += !WHITE (X + BW + 1, y);
  g_test_message ("%d of %d rows marked just right of the bar", marked, BH);
  g_assert_cmpint (marked, <, BH / 4);
#undef WHITE
  cairo_surface_destroy (s);
}

/* Three samples (0, 1, 2 ms) of +50, −50, +50 µV at four contacts 20 µm
 * apart on one shank: a colour map's red, blue, red. */
typedef struct
{
  double times[3], values[3 * 4], where[3 * 4];
  int shanks[4];
  WslfpTraces traces;
} RedBlueRed;

static void
red_blue_red_init (RedBlueRed *m)
{
  memset (m, 0, sizeof *m);
  for (int i = 0; i < 3; i++)
    m->times[i] = i;
  for (int e = 0; e < 4; e++)
    {
      m->where[3 * e + 2] = 20.0 * e;
      for (int i = 0; i < 3; i++)
        m->values[i * 4 + e] = i == 1 ? -50.0 : 50.0;
    }
  m->traces = (WslfpTraces) { 3, 4, m->times, m->values, m->where, m->shanks, 1, NULL };
}

/* A colour map too short for its colour bar says the bar's range in
 * words instead, at the figure's right edge and down from the plot's
 * top: clear of the title above, and of every other text. */
static void
test_plot_colour_map_short (void)
{
  RedBlueRed m;
  red_blue_red_init (&m);
  WslfpTraces traces = m.traces;
  WslfpTraceStyle style = { 0, 0, "short", 1, WSLFP_TRACES_IMAGE };
  enum { W = 500, H = 130 };
  WslfpTraceLayout L;
  wslfp_trace_layout_compute (&L, &traces, &style, W, H);
  g_assert_true (L.image);
  g_assert_cmpfloat (L.plot_bottom - L.plot_top - 30, <, 24); /* (no room for the bar) */
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, W, H);
  wslfp_plot_text_boxes_record (s);
  cairo_t *cr = cairo_create (s);
  wslfp_plot_traces (cr, W, H, &traces, &style);
  cairo_destroy (cr);
  GArray *boxes = wslfp_plot_text_boxes (s);
  const WslfpPlotTextBox *range = NULL;
  for (guint i = 0; i < boxes->len; i++)
    if (g_str_has_prefix (g_array_index (boxes, WslfpPlotTextBox, i).text, "±"))
      range = &g_array_index (boxes, WslfpPlotTextBox, i);
  g_assert_nonnull (range);
  g_test_message ("\"%s\" at (%.1f, %.1f … %.1f, %.1f); the plot from y = %.1f", range->text, range->x0, range->y0,
                  range->x1, range->y1, L.plot_top);
  g_assert_cmpstr (range->text, ==, "±50 µV");
  g_assert_cmpfloat (fabs (range->x1 - (W - 4)), <=, 1.5);
  g_assert_cmpfloat (range->y0, >=, L.plot_top - 1.5);
  g_assert_cmpfloat (range->y0, <=, L.plot_top + 1.5);
  g_autofree char *problems = wslfp_plot_text_boxes_problems (boxes, W, H, 1);
  if (problems != NULL)
    g_error ("a colour map %d px tall:\n%s", H, problems);
  cairo_surface_destroy (s);
}

/* A colour map's pixel columns each show the sample nearest their time:
 * samples at 0, 1 and 2 ms of +50, −50, +50 µV (red, blue, red) give red
 * to 0.5 ms, blue from 0.5 to 1.5 ms, red after. */
static void
test_plot_colour_map_nearest_sample (void)
{
  RedBlueRed m;
  red_blue_red_init (&m);
  WslfpTraces traces = m.traces;
  WslfpTraceStyle style = { 0, 0, NULL, 1, WSLFP_TRACES_IMAGE };
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 400, 300);
  cairo_t *cr = cairo_create (surface);
  wslfp_plot_traces (cr, 400, 300, &traces, &style);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  const guint8 *data = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);
  /* (+1 red, −1 blue, 0 neither) */
#define HUE(x, y) ({ guint32 px_ = *(const guint32 *) (data + (y) * stride + 4 * (x)); \
                     int r_ = (px_ >> 16) & 0xff, b_ = px_ & 0xff; r_ - b_ > 50 ? 1 : b_ - r_ > 50 ? -1 : 0; })
  /* the map's row with the most coloured pixels, and its extent (the
   * first run of colour: the colour bar follows) */
  int best_y = 0, best_n = 0;
  for (int y = 0; y < 300; y++)
    {
      int n = 0;
      for (int x = 0; x < 400; x++)
        n += HUE (x, y) != 0;
      if (n > best_n)
        best_n = n, best_y = y;
    }
  int x0 = 0;
  while (x0 < 400 && HUE (x0, best_y) == 0)
    x0++;
  int x1 = x0;
  while (x1 + 1 < 400 && HUE (x1 + 1, best_y) != 0)
    x1++;
  g_assert_cmpint (x1 - x0, >, 200);
  const struct { double t_ms; int hue; } want[] = { { 0.2, 1 }, { 0.4, 1 }, { 0.6, -1 }, { 1.0, -1 },
                                                    { 1.4, -1 }, { 1.6, 1 }, { 1.9, 1 } };
  for (guint k = 0; k < G_N_ELEMENTS (want); k++)
    {
      int x = x0 + (int) (want[k].t_ms / 2.0 * (x1 - x0 + 1));
      g_assert_cmpint (HUE (x, best_y), ==, want[k].hue);
    }
#undef HUE
  cairo_surface_destroy (surface);
}

/* Near-black pixels in the band of rows [y0, y1) of the panel's columns. */
static int
count_dark (cairo_surface_t *surface, int x0, int x1, int y0, int y1)
{
  const guint8 *data = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface), n = 0;
  for (int y = MAX (y0, 0); y < MIN (y1, cairo_image_surface_get_height (surface)); y++)
    for (int x = MAX (x0, 0); x < MIN (x1, cairo_image_surface_get_width (surface)); x++)
      {
        guint32 px = *(const guint32 *) (data + y * stride + 4 * x);
        n += ((px >> 16) & 0xff) < 40 && ((px >> 8) & 0xff) < 40 && (px & 0xff) < 40;
      }
  return n;
}

static cairo_surface_t *
draw_highlighted (const WslfpTraces *traces, WslfpTraceMode mode, gboolean set, gsize e, WslfpTraceLayout *L)
{
  WslfpTraceStyle style = { 0, 0, NULL, 1, mode };
  style.highlight_set = set;
  style.highlight = e;
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 400, 300);
  cairo_t *cr = cairo_create (surface);
  wslfp_plot_traces (cr, 400, 300, traces, &style);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  wslfp_trace_layout_compute (L, traces, &style, 400, 300);
  return surface;
}

/* The contact the Explorer's hand points at is drawn in black and bold
 * over the others (as lines), or marked by a black arrow left of its row
 * (as a colour map); the other rows get no black. */
static void
test_plot_highlighted_contact (void)
{
  enum { E = 4, T = 200 };
  double times[T], values[T * E], where[3 * E] = { 0 };
  int shanks[E] = { 0 };
  for (gsize e = 0; e < E; e++)
    where[3 * e + 2] = 100.0 * e;
  for (gsize i = 0; i < T; i++)
    {
      times[i] = i;
      for (gsize e = 0; e < E; e++)
        values[i * E + e] = 10.0 * sin (i / 10.0 + e);
    }
  WslfpTraces traces = { T, E, times, values, where, shanks, 1, NULL };
  const gsize chosen = 2, other = 0;
  WslfpTraceLayout L;
  for (int image = 0; image < 2; image++)
    {
      WslfpTraceMode mode = image ? WSLFP_TRACES_IMAGE : WSLFP_TRACES_LINES;
      cairo_surface_t *plain = draw_highlighted (&traces, mode, FALSE, chosen, &L);
      cairo_surface_t *marked = draw_highlighted (&traces, mode, TRUE, chosen, &L);
      g_assert_cmpint (L.image, ==, image);
      /* lines: the panel's columns; a colour map: the arrow's, left of it */
      int x0 = image ? (int) L.panel_x[0] - 8 : (int) L.panel_x[0] + 1;
      int x1 = image ? (int) L.panel_x[0] - 1 : (int) (L.panel_x[0] + L.panel_w) - 1;
      int half = (int) MAX (L.slot_px / 2 - 1, 2);
      int y_chosen = (int) wslfp_trace_layout_y0 (&L, &traces, chosen);
      int y_other = (int) wslfp_trace_layout_y0 (&L, &traces, other);
      int dark_chosen = count_dark (marked, x0, x1, y_chosen - half, y_chosen + half);
      g_test_message ("%s: %d dark pixels in the chosen row, %d without the highlight", image ? "map" : "lines",
                      dark_chosen, count_dark (plain, x0, x1, y_chosen - half, y_chosen + half));
      g_assert_cmpint (dark_chosen, >=, image ? 10 : 100);
      g_assert_cmpint (count_dark (plain, x0, x1, y_chosen - half, y_chosen + half), <, dark_chosen / 5);
      g_assert_cmpint (count_dark (marked, x0, x1, y_other - half, y_other + half), <, dark_chosen / 5);
      cairo_surface_destroy (plain);
      cairo_surface_destroy (marked);
    }
}

/* ---- one golden image per figure kind ---- */

/* (with the Explorer's hand on contact 5: the arrow beside its row) */
static void
draw_colour_map_cb (cairo_t *cr, double w, double h, gpointer data)
{
  WslfpTraceStyle style = { 0, 0, "colour map", 1, WSLFP_TRACES_IMAGE };
  style.highlight_set = TRUE;
  style.highlight = 5;
  wslfp_plot_traces (cr, w, h, data, &style);
}

static void
draw_layout_cb (cairo_t *cr, double w, double h, gpointer data)
{
  WslfpView view;
  wslfp_view_init (&view);
  view.title = "layout";
  wslfp_plot_layout (cr, w, h, data, &view);
}

static void
draw_heatmap_cb (cairo_t *cr, double w, double h, gpointer data)
{
  wslfp_plot_heatmap (cr, w, h, data);
}

static void
draw_raster_cb (cairo_t *cr, double w, double h, gpointer data)
{
  wslfp_plot_raster (cr, w, h, data);
}

static void
draw_csd_cb (cairo_t *cr, double w, double h, gpointer data)
{
  WslfpCsdFigure fig;
  g_assert_true (wslfp_csd_figure_init (&fig, data, NULL));
  WslfpTraceStyle style = { 0, 0, "csd", 1, WSLFP_TRACES_IMAGE };
  style.unit = fig.unit;
  wslfp_plot_traces (cr, w, h, &fig.traces, &style);
  wslfp_csd_figure_clear (&fig);
}

static void
draw_psd_cb (cairo_t *cr, double w, double h, gpointer data)
{
  WslfpPsdFigure fig;
  g_assert_true (wslfp_psd_figure_init (&fig, data, 0, 0, NULL));
  fig.spectra.title = "psd";
  wslfp_plot_psd (cr, w, h, &fig.spectra);
  wslfp_psd_figure_clear (&fig);
}

/* The traces over a copy of themselves shifted in time, as a pinned
 * result, with the legend. */
static void
draw_compare_cb (cairo_t *cr, double w, double h, gpointer data)
{
  const WslfpTraces *tr = data;
  WslfpTraces shifted = *tr;
  g_autofree double *later = g_new (double, tr->n_times);
  for (gsize i = 0; i < tr->n_times; i++)
    later[i] = tr->t_ms[i] + 6;
  shifted.t_ms = later;
  WslfpTraceStyle style = { 0, 0, "compare", 1, WSLFP_TRACES_LINES };
  style.compare = &shifted;
  style.label = "now";
  style.compare_label = "delayed 6 ms";
  wslfp_plot_traces (cr, w, h, tr, &style);
}

static void
draw_parts_cb (cairo_t *cr, double w, double h, gpointer data)
{
  wslfp_plot_parts (cr, w, h, data);
}

/* Pixels that differ by more than 48 (of 255) in some channel. */
static double
differing_fraction (const char *a, const char *b)
{
  cairo_surface_t *sa = cairo_image_surface_create_from_png (a), *sb = cairo_image_surface_create_from_png (b);
  g_assert_cmpint (cairo_surface_status (sa), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_surface_status (sb), ==, CAIRO_STATUS_SUCCESS);
  int w = cairo_image_surface_get_width (sa), h = cairo_image_surface_get_height (sa);
  g_assert_cmpint (cairo_image_surface_get_width (sb), ==, w);
  g_assert_cmpint (cairo_image_surface_get_height (sb), ==, h);
  const unsigned char *da = cairo_image_surface_get_data (sa), *db = cairo_image_surface_get_data (sb);
  int stride = cairo_image_surface_get_stride (sa);
  gsize differ = 0;
  for (int y = 0; y < h; y++)
    for (int x = 0; x < 4 * w; x += 4)
      for (int c = 0; c < 3; c++)
        if (abs (da[y * stride + x + c] - db[y * stride + x + c]) > 48)
          {
            differ++;
            break;
          }
  cairo_surface_destroy (sa);
  cairo_surface_destroy (sb);
  return (double) differ / ((double) w * h);
}

/* Each figure kind drawn from fixed data, at 480 × 320, small (360 ×
 * 240: a heat map's side-panel form), large (960 × 600) and printed (one
 * column, 9 pt text, 150 dpi), matches its reference image in
 * tests/data/golden to within 4 pixels (a glyph edge or two; a label
 * moved by one pixel is more), and on screen exactly (within 8 of 255 a
 * channel) away from its texts.  WSLFP_UPDATE_GOLDEN=1 rewrites the
 * references — look at them before committing. */
typedef struct
{
  const char *name;
  WslfpDrawFunc draw;
  gpointer data;
} FigureKind;

#define N_FIGURE_KINDS 17

/* The lines with the Explorer's hand on contact 2, zoomed in time (10 …
 * 80 ms) and in gain (1.5), the rows named by contact ids, a caption and
 * another unit. */
static void
draw_traces_zoomed_cb (cairo_t *cr, double w, double h, gpointer data)
{
  static const char *const ids[] = { "a0", "a1", "a2", "a3", "b0", "b1", "b2", "b3" };
  WslfpTraces tr = *(const WslfpTraces *) data;
  tr.contact_ids = ids;
  WslfpTraceStyle style = { 10, 80, "zoomed", 1.5, WSLFP_TRACES_LINES };
  style.highlight_set = TRUE;
  style.highlight = 2;
  style.unit = "mV";
  style.caption = "a caption under the title";
  wslfp_plot_traces (cr, w, h, &tr, &style);
}

/* Every figure kind, drawn from fixed data (@ne contacts on two shanks,
 * @nt samples): the golden images' figures.  The data is static; the
 * profile is the caller's to free. */
static void
figure_kinds (FigureKind kinds[N_FIGURE_KINDS], WslfpProfile **profile_out)
{
  enum { NT = 200, NE = 8 };
  static double gt[NT], gv[NT * NE], gxyz[NE * 3];
  static int gshank[NE];
  for (int i = 0; i < NT; i++)
    {
      gt[i] = i * 0.5;
      for (int e = 0; e < NE; e++)
        gv[i * NE + e] = sin (i * 0.08 + e * 0.7) * (1 + e % 4) - 0.3 * cos (i * 0.31);
    }
  for (int e = 0; e < NE; e++)
    {
      gxyz[3 * e] = e < 4 ? 0 : 200;
      gxyz[3 * e + 1] = 0;
      gxyz[3 * e + 2] = 150 - 100 * (e % 4);
      gshank[e] = e / 4;
    }
  WslfpTraces tr = { NT, NE, gt, gv, gxyz, gshank, 2, NULL };
  double cells[20 * 3];
  for (int s = 0; s < 20; s++)
    {
      cells[3 * s] = 20 * (s % 5) - 40;
      cells[3 * s + 1] = 30 * (s / 5) - 45;
      cells[3 * s + 2] = 10 * (s % 3) - 10;
    }
  WslfpScene scene = { 0 };
  scene.n_sources = 20;
  scene.somata_um = cells;
  scene.dendrite_length_um = 250;
  scene.n_electrodes = NE;
  scene.electrodes_um = gxyz;
  scene.shank = gshank;
  scene.legend = TRUE;
  WslfpProfile *profile;
  static WslfpTraces tr_s;
  static WslfpScene scene_s;
  static WslfpHeatmap map_s;
  static WslfpRaster raster_s;
  static WslfpParts parts_s;
  static WslfpScene weighted_s;
  static WslfpTraces flat_s;
  static WslfpParts flat_parts_s;
  static double zeros[NT * NE];
  static double weights_s[20], inhibitory_s[4 * 3], orientation_s[20 * 3], bodies_s[2 * 4 * 3];
  wslfp_profile_new (WSLFP_PROFILE_MAZZONI15, &profile, NULL);
  const double marks[4] = { 100, 50, 300, -200 };
  WslfpHeatmap map = { profile, 250, 2, marks, "profile" };
  const double exc_t[6] = { 1, 5, 9, 20, 33, 60 }, inh_t[3] = { 2, 30, 70 };
  const gint64 exc_i[6] = { 0, 3, 1, 7, 2, 5 }, inh_i[3] = { 0, 1, 1 };
  WslfpRaster raster = { 6, exc_t, exc_i, 8, 3, inh_t, inh_i, 2, 0, 80, "raster" };
  static double ampa[NT], gaba[NT], total[NT];
  for (int i = 0; i < NT; i++)
    {
      ampa[i] = exp (-pow ((i - 80) / 12.0, 2));
      gaba[i] = -0.6 * exp (-pow ((i - 95) / 20.0, 2));
      total[i] = ampa[i] + gaba[i];
    }
  WslfpParts parts = { NT, gt, total, ampa, gaba, 0, 0, "parts", NULL };
  tr_s = tr;
  scene_s = scene;
  map_s = map;
  raster_s = raster;
  parts_s = parts;
  static double cells_s[20 * 3], marks_s[4];
  memcpy (cells_s, cells, sizeof cells);
  memcpy (marks_s, marks, sizeof marks);
  scene_s.somata_um = cells_s;
  map_s.marks_rd = marks_s;
  static const double exc_t_s[6] = { 1, 5, 9, 20, 33, 60 }, inh_t_s[3] = { 2, 30, 70 };
  static const gint64 exc_i_s[6] = { 0, 3, 1, 7, 2, 5 }, inh_i_s[3] = { 0, 1, 1 };
  raster_s.exc_t_ms = exc_t_s;
  raster_s.exc_neuron = exc_i_s;
  raster_s.inh_t_ms = inh_t_s;
  raster_s.inh_neuron = inh_i_s;
  /* the layout of a contact's weights, with inhibitory cells, tilted
   * cells and the shanks' bodies */
  weighted_s = scene_s;
  for (int c = 0; c < 20; c++)
    {
      weights_s[c] = sin (1.7 * c) * (c % 3 + 1);
      double tilt = 0.15 * (c % 5);
      orientation_s[3 * c] = sin (tilt), orientation_s[3 * c + 1] = 0, orientation_s[3 * c + 2] = cos (tilt);
    }
  for (int c = 0; c < 4; c++)
    inhibitory_s[3 * c] = 30 * c - 45, inhibitory_s[3 * c + 1] = 20, inhibitory_s[3 * c + 2] = -60 + 40 * c;
  for (int b = 0; b < 2; b++)
    {
      const double x = 200 * b, corners[4][3] = { { x - 12, 0, -200 }, { x + 12, 0, -200 }, { x + 12, 0, 250 },
                                                  { x - 12, 0, 250 } };
      memcpy (bodies_s + 12 * b, corners, sizeof corners);
    }
  weighted_s.cell_weights = weights_s;
  weighted_s.weights_contact = 3;
  weighted_s.n_inhibitory = 4;
  weighted_s.inhibitory_um = inhibitory_s;
  weighted_s.orientation = orientation_s;
  weighted_s.n_orientations = 20;
  weighted_s.n_bodies = 2;
  weighted_s.bodies_um = bodies_s;
  /* TKLFP's map: an inhibitory cell's amplitude at the left, an
   * excitatory cell's at the right, the depth profiles over them */
  static WslfpTklfpParams tklfp_s;
  static WslfpHeatmap tklfp_map_s;
  wslfp_tklfp_params_init (&tklfp_s);
  tklfp_map_s = map_s;
  tklfp_map_s.title = "TKLFP";
  tklfp_map_s.tklfp = &tklfp_s;
  /* a faint LFP (10⁻⁴ of the lines: nV), its spectra's power labels
   * two-digit decades, wide enough to push the axis title left */
  static WslfpTraces faint_s;
  static double faint_uv[NT * NE];
  for (int j = 0; j < NT * NE; j++)
    faint_uv[j] = 1e-4 * gv[j];
  faint_s = tr_s;
  faint_s.uv = faint_uv;
  /* inhibition alone: no AMPA term, the LFP the GABA term (≤ 0, its
   * range ending at 0) */
  static WslfpParts inhibition_parts_s;
  inhibition_parts_s = parts_s;
  inhibition_parts_s.ampa = zeros;
  inhibition_parts_s.total = inhibition_parts_s.gaba;
  inhibition_parts_s.title = "inhibition alone";
  /* a flat LFP (no activity): lines, terms and spectra all of zeros */
  flat_s = tr_s;
  flat_s.uv = zeros;
  flat_parts_s = parts_s;
  flat_parts_s.total = flat_parts_s.ampa = flat_parts_s.gaba = zeros;
  flat_parts_s.title = "parts of nothing";
  FigureKind all[N_FIGURE_KINDS] = {
    { "traces", draw_traces_cb, &tr_s },
    { "image", draw_colour_map_cb, &tr_s },
    { "layout", draw_layout_cb, &scene_s },
    { "profile", draw_heatmap_cb, &map_s },
    { "raster", draw_raster_cb, &raster_s },
    { "csd", draw_csd_cb, &tr_s },
    { "psd", draw_psd_cb, &tr_s },
    { "compare", draw_compare_cb, &tr_s },
    { "parts", draw_parts_cb, &parts_s },
    { "traces-zoomed", draw_traces_zoomed_cb, &tr_s },
    { "layout-weights", draw_layout_cb, &weighted_s },
    { "traces-flat", draw_traces_cb, &flat_s },
    { "parts-flat", draw_parts_cb, &flat_parts_s },
    { "psd-flat", draw_psd_cb, &flat_s },
    { "tklfp-map", draw_heatmap_cb, &tklfp_map_s },
    { "parts-inhibition", draw_parts_cb, &inhibition_parts_s },
    { "psd-faint", draw_psd_cb, &faint_s },
  };
  memcpy (kinds, all, sizeof all);
  *profile_out = profile;
}

/* @kind drawn in memory as a PNG export draws it, at @w × @h, and the
 * boxes of the texts it drew (the caller's). */
static cairo_surface_t *
draw_recording_texts (const FigureKind *kind, int w, int h, GArray **boxes)
{
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w, h);
  wslfp_plot_text_boxes_record (s);
  cairo_t *cr = cairo_create (s);
  kind->draw (cr, w, h, kind->data);
  cairo_destroy (cr);
  cairo_surface_flush (s);
  *boxes = g_array_ref (wslfp_plot_text_boxes (s));
  return s;
}

/* Pixels of @got outside every box of @boxes (each grown by 2 px for its
 * glyphs' edges) that differ from the PNG @want_png by more than 8 in a
 * channel; the first one's place in @at. */
static gsize
differing_outside_texts (cairo_surface_t *got, const char *want_png, const GArray *boxes, int at[2])
{
  cairo_surface_t *want = cairo_image_surface_create_from_png (want_png);
  g_assert_cmpint (cairo_surface_status (want), ==, CAIRO_STATUS_SUCCESS);
  int w = cairo_image_surface_get_width (got), h = cairo_image_surface_get_height (got);
  g_assert_cmpint (cairo_image_surface_get_width (want), ==, w);
  g_assert_cmpint (cairo_image_surface_get_height (want), ==, h);
  g_autofree gboolean *text = g_new0 (gboolean, (gsize) w * h);
  for (guint i = 0; i < boxes->len; i++)
    {
      const WslfpPlotTextBox *b = &g_array_index (boxes, WslfpPlotTextBox, i);
      for (int y = MAX (0, (int) floor (b->y0) - 2); y < MIN (h, (int) ceil (b->y1) + 2); y++)
        for (int x = MAX (0, (int) floor (b->x0) - 2); x < MIN (w, (int) ceil (b->x1) + 2); x++)
          text[(gsize) y * w + x] = TRUE;
    }
  const unsigned char *dg = cairo_image_surface_get_data (got), *dw = cairo_image_surface_get_data (want);
  int sg = cairo_image_surface_get_stride (got), sw = cairo_image_surface_get_stride (want);
  gsize n = 0;
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        if (text[(gsize) y * w + x])
          continue;
        for (int c = 0; c < 3; c++)
          if (abs (dg[y * sg + 4 * x + c] - dw[y * sw + 4 * x + c]) > 8)
            {
              if (n++ == 0)
                at[0] = x, at[1] = y;
              break;
            }
      }
  cairo_surface_destroy (want);
  return n;
}

/* The texts @draw writes at @w × @h, one per line. */
static char *
texts_drawn (WslfpDrawFunc draw, gpointer data, int w, int h)
{
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w, h);
  wslfp_plot_text_boxes_record (s);
  cairo_t *cr = cairo_create (s);
  draw (cr, w, h, data);
  cairo_destroy (cr);
  GArray *boxes = wslfp_plot_text_boxes (s);
  GString *all = g_string_new (NULL);
  for (guint i = 0; i < boxes->len; i++)
    g_string_append_printf (all, "%s\n", g_array_index (boxes, WslfpPlotTextBox, i).text);
  cairo_surface_destroy (s);
  return g_string_free (all, FALSE);
}

/* A probe of more shanks than the legend has rows: the first seven by
 * name, then one row for the rest ("shanks 7 … 11"). */
static void
test_plot_layout_legend_many_shanks (void)
{
  enum { SHANKS = 12 };
  double contacts[SHANKS * 3], cell[3] = { 0, 0, 0 };
  int on_shank[SHANKS];
  for (int k = 0; k < SHANKS; k++)
    contacts[3 * k] = 100.0 * k, contacts[3 * k + 1] = 0, contacts[3 * k + 2] = 0, on_shank[k] = k;
  WslfpScene scene = { 0 };
  scene.n_sources = 1;
  scene.somata_um = cell;
  scene.dendrite_length_um = 250;
  scene.n_electrodes = SHANKS;
  scene.electrodes_um = contacts;
  scene.shank = on_shank;
  scene.legend = TRUE;
  g_autofree char *texts = texts_drawn (draw_layout_cb, &scene, 640, 480);
  for (int k = 0; k < 7; k++)
    {
      g_autofree char *line = g_strdup_printf ("\nshank %d\n", k);
      if (strstr (texts, line) == NULL)
        g_error ("no \"shank %d\" in the legend:\n%s", k, texts);
    }
  g_assert_nonnull (strstr (texts, "\nshanks 7 … 11\n"));
  g_assert_null (strstr (texts, "\nshank 7\n"));
  g_assert_null (strstr (texts, "\nshank 8\n"));

  /* Cells without a probe: the legend names the cells and no shank. */
  scene.n_electrodes = 0;
  scene.electrodes_um = NULL;
  scene.shank = NULL;
  g_autofree char *cells_only = texts_drawn (draw_layout_cb, &scene, 640, 480);
  g_assert_nonnull (strstr (cells_only, "pyramidal cells (1)"));
  if (strstr (cells_only, "shank") != NULL)
    g_error ("a shank in the legend of a figure without a probe:\n%s", cells_only);
  /* A probe without cells: its shanks, and no cells. */
  scene.n_sources = 0;
  scene.somata_um = NULL;
  scene.n_electrodes = 3;
  scene.electrodes_um = contacts;
  scene.shank = on_shank;
  g_autofree char *probe_only = texts_drawn (draw_layout_cb, &scene, 640, 480);
  g_assert_nonnull (strstr (probe_only, "\nshank 2\n"));
  if (strstr (probe_only, "pyramidal cells") != NULL)
    g_error ("cells in the legend of a figure without them:\n%s", probe_only);
}

/* Rows that share a depth are labelled by channel (or the probe file's
 * contact name), with the depth beside it where it varies along the
 * shank, and the axis title says which, and that the labels are shank
 * 0's when there are more shanks. */
static void
test_plot_row_labels (void)
{
  enum { NT = 50 };
  static double times[NT], v[NT * 8];
  for (int i = 0; i < NT; i++)
    {
      times[i] = i;
      for (int e = 0; e < 8; e++)
        v[i * 8 + e] = sin (0.2 * i + e);
    }
  /* 4 contacts a shank: a tetrode's (one depth) or two columns (two depths) */
  const struct { int shanks; gboolean two_depths; gboolean named; const char *title, *label; } cases[] = {
    { 1, FALSE, FALSE, "channel", "\n2\n" },
    { 2, FALSE, FALSE, "channel, shank 0", "\n3\n" },
    { 1, TRUE, FALSE, "channel · depth z (µm)", "\n2 · 20\n" },
    { 2, TRUE, FALSE, "channel · depth z (µm), shank 0", "\n1 · 0\n" },
    { 1, FALSE, TRUE, "channel", "\nt2\n" },
  };
  static const char *const names[] = { "t0", "t1", "t2", "t3", "u0", "u1", "u2", "u3" };
  for (guint k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      int n = 4 * cases[k].shanks;
      double contacts[8 * 3];
      int on_shank[8];
      for (int e = 0; e < n; e++)
        {
          contacts[3 * e] = 300.0 * (e / 4) + 20 * (e % 2);
          contacts[3 * e + 1] = 0;
          contacts[3 * e + 2] = cases[k].two_depths ? 20.0 * ((e % 4) / 2) : 0;
          on_shank[e] = e / 4;
        }
      WslfpTraces tr = { NT, (gsize) n, times, v, contacts, on_shank, cases[k].shanks, NULL, NULL };
      tr.contact_ids = cases[k].named ? names : NULL;
      /* (the values: 8 columns, the first n used) */
      g_autofree double *vals = g_new (double, NT * n);
      for (int i = 0; i < NT; i++)
        for (int e = 0; e < n; e++)
          vals[i * n + e] = v[i * 8 + e];
      tr.uv = vals;
      g_autofree char *texts = texts_drawn (draw_traces_cb, &tr, 640, 480);
      g_autofree char *title = g_strdup_printf ("\n%s\n", cases[k].title);
      if (strstr (texts, title) == NULL || strstr (texts, cases[k].label) == NULL)
        g_error ("case %u: no \"%s\" or no row \"%s\" in\n%s", k, cases[k].title, cases[k].label, texts);
    }
}

/* The terms figure labels its time axis at a round step, about one label
 * per 80 px of its panel: 0 … 99.5 ms gets 2 labels at 300 px, 5 at 600
 * and 10 at 1100 (the step chosen from the panel's pixel width, not its
 * right edge's position). */
static void
test_plot_parts_time_ticks (void)
{
  enum { NT = 200 };
  static double times[NT], ampa[NT], gaba[NT], total[NT];
  for (int i = 0; i < NT; i++)
    {
      times[i] = i * 0.5;
      ampa[i] = exp (-pow ((i - 80) / 12.0, 2));
      gaba[i] = -0.6 * exp (-pow ((i - 95) / 20.0, 2));
      total[i] = ampa[i] + gaba[i];
    }
  WslfpParts parts = { NT, times, total, ampa, gaba, 0, 0, "parts", NULL };
  const struct { int width; const char *labels; } cases[] = {
    { 300, "\n0\n50\ntime (ms)\n" },
    { 600, "\n0\n20\n40\n60\n80\ntime (ms)\n" },
    { 1100, "\n0\n10\n20\n30\n40\n50\n60\n70\n80\n90\ntime (ms)\n" },
  };
  for (guint k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      g_autofree char *texts = texts_drawn (draw_parts_cb, &parts, cases[k].width, 320);
      if (strstr (texts, cases[k].labels) == NULL)
        g_error ("%d px: the time labels are not%s in\n%s", cases[k].width, cases[k].labels, texts);
    }
}

static void
test_plot_golden (void)
{
  FigureKind kinds[N_FIGURE_KINDS];
  WslfpProfile *profile;
  figure_kinds (kinds, &profile);
  g_autofree char *dir = g_dir_make_tmp ("wslfp-test-plot-XXXXXX", NULL);
  gboolean update = g_strcmp0 (g_getenv ("WSLFP_UPDATE_GOLDEN"), "1") == 0;
  const struct { int w, h; const char *suffix; } sizes[] = { { 480, 320, "" }, { 360, 240, "-small" },
                                                             { 960, 600, "-large" }, { 0, 0, "-print" } };
  WslfpPrintSize print = { 0, 0, 9, 150 };
  g_assert_true (wslfp_plot_parse_size ("1col", &print.width_pt, &print.height_pt));
  for (guint z = 0; z < G_N_ELEMENTS (sizes); z++)
    for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
      {
        int w = sizes[z].w, h = sizes[z].h;
        g_autofree char *file = g_strdup_printf ("%s%s.png", kinds[k].name, sizes[z].suffix);
        g_autofree char *got = g_build_filename (dir, file, NULL);
        g_autofree char *want = g_test_build_filename (G_TEST_DIST, "data", "golden", file, NULL);
        g_autoptr (GError) error = NULL;
        if (w == 0)
          g_assert_true (wslfp_plot_export_print (got, update ? want : got, &print, kinds[k].draw, kinds[k].data,
                                                  &error));
        else
          g_assert_true (wslfp_plot_export (got, update ? want : got, w, h, kinds[k].draw, kinds[k].data, &error));
        if (update)
          continue;
        cairo_surface_t *png = cairo_image_surface_create_from_png (got);
        double n_pixels = cairo_image_surface_get_width (png) * (double) cairo_image_surface_get_height (png);
        cairo_surface_destroy (png);
        double differing = round (differing_fraction (got, want) * n_pixels);
        g_test_message ("%s: %.0f pixels differ", file, differing);
        if (differing > 4)
          g_error ("%s differs from %s in %.0f of its pixels", got, want, differing);
        if (w == 0)
          {
            g_unlink (got);
            continue;
          }
        /* and away from its texts, to the pixel: a line, a tick, a marker
         * or a colour moved by one pixel or one shade is a change */
        GArray *boxes;
        cairo_surface_t *drawn = draw_recording_texts (&kinds[k], w, h, &boxes);
        g_assert_cmpuint (boxes->len, >, 2);
        int at[2];
        gsize off = differing_outside_texts (drawn, want, boxes, at);
        if (off > 0)
          {
            g_autofree char *mine = g_build_filename (dir, "drawn.png", NULL);
            cairo_surface_write_to_png (drawn, mine);
            g_error ("%s: %zu pixels away from its texts differ from %s, the first at (%d, %d)", mine, off, want,
                     at[0], at[1]);
          }
        g_array_unref (boxes);
        cairo_surface_destroy (drawn);
        g_unlink (got);
      }
  g_rmdir (dir);
  wslfp_profile_free (profile);
}

/* A text that runs past the clip it is drawn in (a panel) is cut, in
 * either direction, whether the panel is tall or wide; inside it, nothing
 * is wrong. */
static void
test_plot_text_boxes_cut (void)
{
  const struct { double x, y, w, h, at_x, at_y; const char *want; } cases[] = {
    { 10, 10, 50, 250, 40, 100, "(10.0, 10.0 … 60.0, 260.0)" },  /* tall panel, past its right edge */
    { 10, 10, 250, 50, 100, 58, "(10.0, 10.0 … 260.0, 60.0)" },  /* wide panel, past its bottom */
    { 100, 10, 150, 250, 90, 100, "(100.0, 10.0 … 250.0, 260.0)" }, /* past its left edge */
    { 10, 10, 250, 250, 100, 100, NULL },                        /* inside */
  };
  for (guint k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 300, 300);
      wslfp_plot_text_boxes_record (s);
      cairo_t *cr = cairo_create (s);
      wslfp_plot_begin (cr, 300, 300);
      cairo_rectangle (cr, cases[k].x, cases[k].y, cases[k].w, cases[k].h);
      cairo_clip (cr);
      wslfp_plot_text (cr, cases[k].at_x, cases[k].at_y, "a long label", 0, 0.5);
      cairo_destroy (cr);
      g_autofree char *problems = wslfp_plot_text_boxes_problems (wslfp_plot_text_boxes (s), 300, 300, 1);
      g_test_message ("case %u: %s", k, problems ? problems : "(nothing wrong)");
      if (cases[k].want == NULL ? problems != NULL
                                : problems == NULL || strstr (problems, "is cut by its panel") == NULL
                                    || strstr (problems, cases[k].want) == NULL)
        g_error ("case %u: \"%s\"; expected %s", k, problems ? problems : "(nothing)",
                 cases[k].want ? cases[k].want : "nothing");
      cairo_surface_destroy (s);
    }
}

/* Where the layout's view caption goes: bottom left; where an axis' name
 * is in the way (a short figure brings the axes down to it), top right,
 * level with the legend (under the title); and with the weights' colour
 * bar up there, bottom right.  Never over another text. */
static void
test_plot_layout_caption (void)
{
  FigureKind kinds[N_FIGURE_KINDS];
  WslfpProfile *profile;
  figure_kinds (kinds, &profile);
  const FigureKind *layout = &kinds[2], *weights = &kinds[10];
  g_assert_cmpstr (layout->name, ==, "layout");
  g_assert_cmpstr (weights->name, ==, "layout-weights");
  /* (weights of 10⁻⁴ of those: the bar's ticks in 10⁻⁶, said on its
   * title's line) */
  WslfpScene faint_scene = *(const WslfpScene *) weights->data;
  double faint[20];
  for (int c = 0; c < 20; c++)
    faint[c] = 1e-4 * faint_scene.cell_weights[c];
  faint_scene.cell_weights = faint;
  const FigureKind faint_weights = { "faint weights", weights->draw, &faint_scene };
  const struct { const FigureKind *kind; int w, h; const char *where; } cases[] = {
    { layout, 480, 320, "bottom left" },
    { layout, 400, 180, "top right" },
    { weights, 400, 140, "bottom right" },
    { &faint_weights, 480, 320, "bottom left" },
  };
  for (guint k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      int w = cases[k].w, h = cases[k].h;
      GArray *boxes;
      cairo_surface_t *s = draw_recording_texts (cases[k].kind, w, h, &boxes);
      const WslfpPlotTextBox *caption = NULL;
      for (guint i = 0; i < boxes->len; i++)
        if (g_str_has_prefix (g_array_index (boxes, WslfpPlotTextBox, i).text, "azimuth"))
          caption = &g_array_index (boxes, WslfpPlotTextBox, i);
      g_assert_nonnull (caption);
      g_test_message ("%s at %d × %d: the caption at (%.1f, %.1f … %.1f, %.1f)", cases[k].kind->name, w, h,
                      caption->x0, caption->y0, caption->x1, caption->y1);
      gboolean placed;
      if (g_str_equal (cases[k].where, "bottom left"))
        placed = caption->x0 >= 8 && caption->x0 <= 12 && caption->y1 >= h - 12 && caption->y1 <= h - 8;
      else if (g_str_equal (cases[k].where, "top right"))
        placed = caption->x1 >= w - 12 && caption->x1 <= w - 8 && caption->y0 >= 32 && caption->y0 <= 36;
      else
        placed = caption->x1 >= w - 12 && caption->x1 <= w - 8 && caption->y1 >= h - 44 && caption->y1 <= h - 40;
      if (!placed)
        g_error ("%s at %d × %d: the caption (%.1f, %.1f … %.1f, %.1f) is not at the %s", cases[k].kind->name, w, h,
                 caption->x0, caption->y0, caption->x1, caption->y1, cases[k].where);
      g_autofree char *problems = wslfp_plot_text_boxes_problems (boxes, w, h, 1);
      if (problems != NULL)
        g_error ("%s at %d × %d:\n%s", cases[k].kind->name, w, h, problems);
      /* the weights' bar: its title, with the power of ten or the range
       * where it has them, one text */
      if (cases[k].kind != layout)
        {
          const char *want = k == 2 ? "±2.9 weight in contact 3" : "×10⁻⁶ weight in contact 3";
          gboolean found = FALSE;
          for (guint i = 0; i < boxes->len; i++)
            found |= g_str_has_prefix (g_array_index (boxes, WslfpPlotTextBox, i).text, want);
          if (!found)
            {
              for (guint i = 0; i < boxes->len; i++)
                g_test_message ("text: %s", g_array_index (boxes, WslfpPlotTextBox, i).text);
              g_error ("%s at %d × %d: no text \"%s …\"", cases[k].kind->name, w, h, want);
            }
        }
      g_array_unref (boxes);
      cairo_surface_destroy (s);
    }
  wslfp_profile_free (profile);
}

/* Cells coloured by one contact's weights: positive weights warm (red),
 * negative cool (blue), both drawn, in proportion. */
static void
test_plot_layout_weights (void)
{
  enum { N = 60 };
  double cells[N * 3], weights[N];
  for (int i = 0; i < N; i++)
    {
      cells[3 * i] = 25.0 * (i % 10) - 110;
      cells[3 * i + 1] = 30.0 * (i / 10) - 75;
      cells[3 * i + 2] = 0;
      weights[i] = i < 40 ? 0.4 + 0.015 * i : -(0.4 + 0.03 * (i - 40)); /* 40 positive, 20 negative */
    }
  const double contact[3] = { 0, 0, 300 };
  const int on_shank[1] = { 0 };
  WslfpScene scene = { 0 };
  scene.n_sources = N;
  scene.somata_um = cells;
  scene.dendrite_length_um = 250;
  scene.n_electrodes = 1;
  scene.electrodes_um = contact;
  scene.shank = on_shank;
  scene.cell_weights = weights;
  scene.weights_contact = 0;
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 600, 400);
  cairo_t *cr = cairo_create (surface);
  draw_layout_cb (cr, 600, 400, &scene);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  const guint8 *d = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);
  gsize red = 0, blue = 0;
  for (int y = 0; y < 400; y++)
    for (int x = 0; x < 600; x++)
      {
        int b = d[y * stride + 4 * x], g = d[y * stride + 4 * x + 1], r = d[y * stride + 4 * x + 2];
        red += r > g + 50 && r > b + 50;
        blue += b > r + 50 && b > g + 20;
      }
  cairo_surface_destroy (surface);
  g_test_message ("%zu warm and %zu cool pixels", red, blue);
  g_assert_cmpuint (red, >, 150);
  g_assert_cmpuint (blue, >, 75);
  g_assert_cmpuint (red, >, blue); /* twice as many positive cells */
}

/* The layout of @scene seen by @view, drawn on a white @W × @H image, and
 * the projection it was drawn with. */
static cairo_surface_t *
layout_surface (const WslfpScene *scene, const WslfpView *view, int W, int H, WslfpProjection *P)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, W, H);
  cairo_t *cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  wslfp_plot_layout (cr, W, H, scene, view);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  wslfp_projection_compute (P, scene, view, W, H);
  return surface;
}

/* Probes of many contacts (a path per shank; past a thousand, whole
 * pixels without antialiasing) draw each contact where the projection
 * puts it, in its shank's colour. */
static void
test_plot_layout_many_contacts (void)
{
  /* 4 shanks of 50 (outlined squares apart), 2 of 640 (filled, touching) */
  const struct { gsize n_shanks, per_shank; } probes[] = { { 4, 50 }, { 2, 640 } };
  for (guint c = 0; c < G_N_ELEMENTS (probes); c++)
    {
      gsize E = probes[c].n_shanks * probes[c].per_shank;
      g_autofree double *contacts = g_new (double, 3 * E);
      g_autofree int *on_shank = g_new (int, E);
      for (gsize e = 0; e < E; e++)
        {
          on_shank[e] = (int) (e / probes[c].per_shank);
          contacts[3 * e] = on_shank[e] * 400.0 - 600;
          contacts[3 * e + 1] = 0;
          contacts[3 * e + 2] = -2000.0 * (double) (e % probes[c].per_shank) / probes[c].per_shank;
        }
      WslfpScene scene = { 0 };
      scene.n_electrodes = E;
      scene.electrodes_um = contacts;
      scene.shank = on_shank;
      WslfpView view;
      wslfp_view_init (&view);
      WslfpProjection P;
      cairo_surface_t *surface = layout_surface (&scene, &view, 600, 400, &P);
      const guint8 *d = cairo_image_surface_get_data (surface);
      int stride = cairo_image_surface_get_stride (surface);
      for (gsize e = 0; e < E; e += 3)
        {
          double x, y, rgb[3];
          wslfp_projection_apply (&P, contacts + 3 * e, &x, &y, NULL);
          wslfp_plot_shank_color (on_shank[e], rgb);
          int px = (int) floor (x), py = (int) floor (y);
          g_assert_true (px >= 0 && px < 600 && py >= 0 && py < 400);
          const guint8 *p = d + py * stride + 4 * px;
          if (abs (p[2] - (int) (255 * rgb[0])) > 40 || abs (p[1] - (int) (255 * rgb[1])) > 40
              || abs (p[0] - (int) (255 * rgb[2])) > 40)
            g_error ("%zu contacts: contact %zu (shank %d) at %d, %d is drawn %d, %d, %d, not in its shank's colour", E,
                     e, on_shank[e], px, py, p[2], p[1], p[0]);
        }
      cairo_surface_destroy (surface);
    }
}

/* Every cell of the layout is drawn where the projection puts it: up to
 * 2000 cells as antialiased triangles, more as 2-pixel squares (dense
 * scenes draw fast); none left out at either size. */
static void
test_plot_layout_cells (void)
{
  const gsize counts[] = { 30, 2000, 2001 };
  const double up[3] = { 0, 1, 0 }; /* along the line of sight: the soma alone shows */
  for (guint c = 0; c < G_N_ELEMENTS (counts); c++)
    {
      gsize N = counts[c], columns = N <= 30 ? 6 : 50;
      g_autofree double *somata = g_new (double, 3 * N);
      for (gsize i = 0; i < N; i++)
        {
          somata[3 * i] = 20.0 * (double) (i % columns);
          somata[3 * i + 1] = 0;
          somata[3 * i + 2] = -20.0 * (double) (i / columns) - (i == 2000 ? 10 : 0);
        }
      WslfpScene scene = { 0 };
      scene.n_sources = N;
      scene.somata_um = somata;
      scene.orientation = up;
      scene.n_orientations = 1;
      scene.dendrite_length_um = 0.5;
      WslfpView view;
      wslfp_view_init (&view);
      wslfp_view_preset (&view, "front");
      const int W = 900, H = 700;
      WslfpProjection P;
      cairo_surface_t *surface = layout_surface (&scene, &view, W, H, &P);
      const guint8 *d = cairo_image_surface_get_data (surface);
      int stride = cairo_image_surface_get_stride (surface);
      gboolean dense = N > 2000;
      for (gsize i = 0; i < N; i++)
        {
          double x, y;
          wslfp_projection_apply (&P, somata + 3 * i, &x, &y, NULL);
          int px = (int) floor (x), py = (int) floor (y);
          g_assert_true (px >= 2 && px < W - 2 && py >= 2 && py < H - 2);
          /* the soma's own pixel: inked; one pixel right and below: inside
           * a triangle, outside a square */
          const guint8 *at = d + py * stride + 4 * px, *beside = d + (py + 1) * stride + 4 * (px + 1);
          if (at[1] > 200)
            g_error ("%zu cells: cell %zu at %d, %d is not drawn (%d, %d, %d)", N, i, px, py, at[2], at[1], at[0]);
          /* (the first column lies under the axes' arrow) */
          if (i % columns != 0 && (dense ? beside[1] < 250 : beside[1] > 230))
            g_error ("%zu cells: cell %zu at %d, %d is not drawn as a %s (%d beside it)", N, i, px, py,
                     dense ? "square" : "triangle", beside[1]);
        }
      cairo_surface_destroy (surface);
      /* every third cell (a moving view of very many): the others blank */
      scene.cell_step = 3;
      surface = layout_surface (&scene, &view, W, H, &P);
      d = cairo_image_surface_get_data (surface);
      for (gsize i = 0; i < N; i++)
        {
          double x, y;
          wslfp_projection_apply (&P, somata + 3 * i, &x, &y, NULL);
          const guint8 *at = d + (int) floor (y) * stride + 4 * (int) floor (x);
          /* (the first column lies under the axes' arrow, the last row
           * beside the scale bar) */
          if (i % columns != 0 && i / columns < (N - 1) / columns && (i % 3 == 0) != (at[1] < 200))
            g_error ("%zu cells, every third: cell %zu is %s", N, i, at[1] < 200 ? "drawn" : "not drawn");
        }
      cairo_surface_destroy (surface);
    }
}

/* Each spike of the raster is a dot at its time and cell's row, the
 * excitatory cells' warm below, the inhibitory cells' cool above; rows
 * without spikes stay blank.  Its time axis starts where the traces' first
 * panel does: 64 px, or further right under traces whose depth labels are
 * very wide (−10001.5 µm), when it is given their edge. */
static void
test_plot_raster_dots (void)
{
  const double exc_t[3] = { 10, 50, 90 }, inh_t[2] = { 30, 70 };
  const gint64 exc_i[3] = { 0, 4, 9 }, inh_i[2] = { 0, 4 };
  const int W = 660, H = 386;
  /* the traces' first panel edge: usual, and with wide depth labels */
  const double depths[2][2] = { { -400, 600 }, { -10001.5, 600 } };
  double lefts[2];
  for (int k = 0; k < 2; k++)
    {
      double at[6] = { 0, 0, depths[k][0], 0, 0, depths[k][1] }, times[2] = { 0, 100 }, values[4] = { 0, 1, 1, 0 };
      int on[2] = { 0, 0 };
      WslfpTraces tr = { 2, 2, times, values, at, on, 1, NULL, NULL };
      WslfpTraceLayout L;
      wslfp_trace_layout_compute (&L, &tr, NULL, W, H);
      lefts[k] = wslfp_trace_layout_left (&tr);
      g_assert_cmpfloat (lefts[k], ==, L.panel_x[0]);
    }
  g_assert_cmpfloat (lefts[0], ==, 64);
  g_assert_cmpfloat (lefts[1], >, 64);
  for (int k = 0; k < 3; k++)
    {
      /* (given nothing, the usual edge; given the traces' edge, theirs) */
      double given = k == 0 ? 0 : lefts[k - 1], x0 = k == 0 ? 64 : lefts[k - 1];
      WslfpRaster raster = { 3, exc_t, exc_i, 10, 2, inh_t, inh_i, 5, 0, 100, NULL, given };
      cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, W, H);
      cairo_t *cr = cairo_create (surface);
      wslfp_plot_raster (cr, W, H, &raster);
      cairo_destroy (cr);
      cairo_surface_flush (surface);
      const guint8 *d = cairo_image_surface_get_data (surface);
      int stride = cairo_image_surface_get_stride (surface);
      /* the documented frame: x0 left, 96 right, 40 top, 46 bottom */
      double w = W - x0 - 96, bottom = H - 46, row_h = (H - 46 - 40) / 15.0;
      for (int j = 0; j < 5; j++)
        {
          gboolean exc = j < 3;
          double when = exc ? exc_t[j] : inh_t[j - 3];
          gint64 row = exc ? exc_i[j] : 10 + inh_i[j - 3];
          int px = (int) floor (x0 + when / 100 * w), py = (int) floor (bottom - (row + 0.5) * row_h);
          const guint8 *p = d + py * stride + 4 * px;
          const double *rgb = exc ? wslfp_plot_exc_color : wslfp_plot_inh_color;
          for (int c = 0; c < 3; c++)
            {
              double want = 255 * (0.9 * rgb[c] + 0.1);
              if (fabs (p[2 - c] - want) > 3)
                g_error ("left edge %g: the %s spike at %g ms, row %" G_GINT64_FORMAT ", is drawn %d, %d, %d at %d, "
                         "%d; want %.0f in channel %d", x0, exc ? "excitatory" : "inhibitory", when, row, p[2], p[1],
                         p[0], px, py, want, c);
            }
          /* the same time one row up is blank (no spike there) */
          const guint8 *above = d + (int) floor (py - row_h) * stride + 4 * px;
          g_assert_cmpint (above[0] & above[1] & above[2], ==, 255);
        }
      cairo_surface_destroy (surface);
    }
}

/* The traces' depth title keeps clear of the depth labels however wide
 * they are (at −1001.5 µm the labels ran under the title, which was
 * pinned to the page's edge): the labels start at least an em (the
 * title's height, turned) right of where the title starts.  The labels'
 * left edge is read off the rows above the title; the title's
 * off the middle rows. */
static void
test_plot_depth_title_clear (void)
{
  const double depths[][2] = { { -300, 50 }, { -1001.5, 0.5 }, { -10001.5, 0.5 }, { 1234567, 1 } };
  enum { E = 4, NT = 3, W = 500, H = 400 };
  double times[NT] = { 0, 1, 2 }, values[NT * E], where[3 * E];
  int on_shank[E] = { 0 };
  for (int i = 0; i < NT * E; i++)
    values[i] = sin (i);
  for (guint c = 0; c < G_N_ELEMENTS (depths); c++)
    {
      for (int e = 0; e < E; e++)
        where[3 * e] = where[3 * e + 1] = 0, where[3 * e + 2] = depths[c][0] + depths[c][1] * e;
      WslfpTraces tr = { NT, E, times, values, where, on_shank, 1, NULL, NULL };
      cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_RGB24, W, H);
      cairo_t *cr = cairo_create (s);
      wslfp_plot_traces (cr, W, H, &tr, NULL);
      cairo_destroy (cr);
      cairo_surface_flush (s);
      WslfpTraceLayout L;
      wslfp_trace_layout_compute (&L, &tr, NULL, W, H);
      const guint8 *d = cairo_image_surface_get_data (s);
      int stride = cairo_image_surface_get_stride (s), mid = (int) (L.plot_top + L.plot_bottom) / 2;
      int labels_left = W, title_left = W;
      for (int y = (int) L.plot_top; y < (int) L.plot_bottom; y++)
        for (int x = 0; x < (int) L.panel_x[0] - 2; x++)
          if (d[y * stride + 4 * x + 1] < 200)
            {
              if (y < mid - 70) /* (the title, ~120 px long, is centred on the middle) */
                labels_left = MIN (labels_left, x);
              if (abs (y - mid) < 30)
                title_left = MIN (title_left, x);
            }
      g_test_message ("depths from %g: title from column %d, labels from %d", depths[c][0], title_left, labels_left);
      g_assert_cmpint (title_left, <, W);
      g_assert_cmpint (labels_left, <, W);
      if (labels_left - title_left < WSLFP_PLOT_FONT_UNITS)
        g_error ("depths from %g µm: the depth title (from column %d) runs into the depth labels (from %d)",
                 depths[c][0], title_left, labels_left);
      cairo_surface_destroy (s);
    }
}

/* The layout's scale bar is as long as the length it is labelled with,
 * at the view's scale (a third of the scene, rounded), and ends 20 px
 * from the right. */
static void
test_plot_layout_scale_bar (void)
{
  const double pts[6] = { -100, -100, -100, 140, 100, 100 }; /* 240 µm wide */
  WslfpScene scene = { 0 };
  scene.n_electrodes = 2;
  scene.electrodes_um = pts;
  WslfpView view;
  wslfp_view_init (&view);
  wslfp_view_preset (&view, "front");
  const int W = 600, H = 400;
  WslfpProjection P;
  cairo_surface_t *surface = layout_surface (&scene, &view, W, H, &P);
  double want_px = wslfp_plot_nice_step (240.0 / 3, 1) * P.scale;
  /* the bar's row: ink summed across it (antialiased ends count in part) */
  const guint8 *d = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface), row = H - 19;
  double ink = 0;
  int last = -1, darkest = 255;
  for (int x = W / 2; x < W; x++)
    darkest = MIN (darkest, d[row * stride + 4 * x + 1]);
  for (int x = W / 2; x < W; x++)
    {
      double cover = (255.0 - d[row * stride + 4 * x + 1]) / (255.0 - darkest);
      ink += cover;
      if (cover > 0.5)
        last = x;
    }
  g_test_message ("scale bar: %.2f px of ink, %.2f px wanted, last column %d", ink, want_px, last);
  g_assert_cmpfloat (want_px, >, 20);
  g_assert_cmpfloat (fabs (ink - want_px), <, 0.25);
  g_assert_cmpint (last, ==, W - 21);
  cairo_surface_destroy (surface);
}

/* Titles and captions wrap greedily at the width: every line fits (a word
 * longer than the width alone on its line), no word is lost or split, and
 * a line breaks after a one-letter word as after any other. */
static void
test_plot_wrap (void)
{
  cairo_t *cr = wslfp_plot_measuring_context ();
  cairo_select_font_face (cr, "Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size (cr, 11);
  cairo_text_extents_t a, a_word;
  cairo_text_extents (cr, "a", &a);
  cairo_text_extents (cr, "a extraordinarily", &a_word);
  const double width = (a.x_advance + a_word.x_advance) / 2; /* "a" fits, "a extraordinarily" does not */
  g_auto (GStrv) split = wslfp_plot_wrap (cr, "a extraordinarily long caption of the figure", width);
  g_assert_cmpstr (split[0], ==, "a");
  g_assert_cmpstr (split[1], ==, "extraordinarily");
  const char *text = "the LFP at each contact is a weighted sum of each cell's AMPA current, delayed by 6 ms, minus 1.65 "
                     "times its GABA current";
  for (double w = 40; w <= 400; w += 30)
    {
      g_auto (GStrv) lines = wslfp_plot_wrap (cr, text, w);
      g_autofree char *joined = g_strjoinv (" ", lines);
      g_assert_cmpstr (joined, ==, text);
      for (char **line = lines; *line != NULL; line++)
        {
          cairo_text_extents_t ext;
          cairo_text_extents (cr, *line, &ext);
          g_assert_true (ext.x_advance <= w || strchr (*line, ' ') == NULL);
          if (line[1] != NULL)
            {
              /* greedy: the next line's first word would not have fitted */
              g_autofree char *first = g_strndup (line[1], strcspn (line[1], " "));
              g_autofree char *longer = g_strconcat (*line, " ", first, NULL);
              cairo_text_extents (cr, longer, &ext);
              g_assert_cmpfloat (ext.x_advance, >, w);
            }
        }
    }
  cairo_destroy (cr);
}

/* Frames and axes sit on the pixel grid: no figure has a long horizontal
 * or vertical line smeared over two rows or columns (a half-pixel offset
 * draws a 1-px line as two of half its darkness). */
static void
test_plot_crisp_lines (void)
{
  FigureKind kinds[N_FIGURE_KINDS];
  WslfpProfile *profile;
  figure_kinds (kinds, &profile);
  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 480, 320);
      cairo_t *cr = cairo_create (s);
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_paint (cr);
      kinds[k].draw (cr, 480, 320, kinds[k].data);
      cairo_destroy (cr);
      cairo_surface_flush (s);
      const guint8 *d = cairo_image_surface_get_data (s);
      int stride = cairo_image_surface_get_stride (s);
#define GREY_AT(x, y) (d[(y) * stride + 4 * (x) + 1])
      /* a run of 120 px of one grey in row y, and the same in row y + 1 */
      for (int y = 0; y + 1 < 320; y++)
        for (int x = 0; x + 120 <= 480; x += 40)
          {
            guint8 a = GREY_AT (x, y), b = GREY_AT (x, y + 1);
            if (a > 230 || b > 230 || a < 90 || b < 90)
              continue;
            gboolean run = TRUE;
            for (int i = 1; i < 120 && run; i++)
              run = GREY_AT (x + i, y) == a && GREY_AT (x + i, y + 1) == b && d[y * stride + 4 * (x + i)] == a;
            if (run)
              g_error ("%s: a line smeared over rows %d and %d at x = %d to %d (greys %d, %d)", kinds[k].name, y, y + 1,
                       x, x + 119, a, b);
          }
      /* and vertical ones: 80 px of one grey in columns x and x + 1 */
      for (int x = 0; x + 1 < 480; x++)
        for (int y = 0; y + 80 <= 320; y += 20)
          {
            guint8 a = GREY_AT (x, y), b = GREY_AT (x + 1, y);
            if (a > 230 || b > 230 || a < 90 || b < 90)
              continue;
            gboolean run = TRUE;
            for (int i = 1; i < 80 && run; i++)
              run = GREY_AT (x, y + i) == a && GREY_AT (x + 1, y + i) == b && d[(y + i) * stride + 4 * x] == a;
            if (run)
              g_error ("%s: a line smeared over columns %d and %d at y = %d to %d (greys %d, %d)", kinds[k].name, x,
                       x + 1, y, y + 79, a, b);
          }
#undef GREY_AT
      cairo_surface_destroy (s);
    }
  wslfp_profile_free (profile);
}

/* The parts figure's zero line is level and crisp: one row holds it
 * across the plot in one grey (a line leaning by a pixel spreads over two
 * rows in changing greys); every time tick is marked, for times from 0
 * and from T0 (the tick step follows the span, not where it starts). */
static void
check_parts_zero_line (double t0_ms)
{
  /* terms that keep off zero, so that nothing covers the line */
  enum { NT = 100 };
  double t_ms[NT], ampa[NT], gaba[NT], total[NT];
  for (int i = 0; i < NT; i++)
    {
      t_ms[i] = t0_ms + i;
      ampa[i] = 1 + 0.2 * sin (i / 9.0);
      gaba[i] = -0.6 - 0.1 * cos (i / 7.0);
      total[i] = ampa[i] + gaba[i];
    }
  WslfpParts parts = { NT, t_ms, total, ampa, gaba, 0, 0, "parts", NULL };
  enum { W = 480, H = 320 };
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_RGB24, W, H);
  cairo_t *cr = cairo_create (s);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  wslfp_plot_parts (cr, W, H, &parts);
  cairo_destroy (cr);
  cairo_surface_flush (s);
  const guint8 *d = cairo_image_surface_get_data (s);
  int stride = cairo_image_surface_get_stride (s), longest = 0, at = -1;
  for (int y = 0; y < H; y++)
    for (int x = 0, run = 0; x < W; x++)
      {
        const guint8 *p = d + y * stride + 4 * x;
        gboolean grey = p[0] == p[1] && p[1] == p[2] && p[1] > 150 && p[1] < 210;
        run = grey && x > 0 && memcmp (p, p - 4, 3) == 0 ? run + 1 : grey;
        if (run > longest)
          longest = run, at = y;
      }
  g_test_message ("the longest level grey run: %d px in row %d", longest, at);
  g_assert_cmpint (longest, >, W / 2);
  /* Time ticks below the plot (its bottom edge 40 px above the page's,
   * its sides 64 and 16 px in): evenly spaced, the first at t = T0 on the
   * left edge, none past the right edge. */
  int row = H - 40 + 2, n_ticks = 0, first = -1, last = -1, step = 0;
  for (int x = 0; x < W; x++)
    if (d[row * stride + 4 * x + 1] < 150)
      {
        if (n_ticks == 1)
          step = x - first;
        else if (n_ticks > 1) /* (each rounded to a pixel) */
          g_assert_cmpint (abs (x - last - step), <=, 1);
        first = n_ticks++ == 0 ? x : first;
        last = x;
      }
  g_test_message ("%d time ticks from %d px, %d px apart", n_ticks, first, step);
  g_assert_cmpint (n_ticks, >=, 4);
  g_assert_cmpint (first, ==, 64);
  g_assert_cmpint (last, <=, W - 16);
  g_assert_cmpint (last + step - 1, >, W - 16);
  /* The axes' titles in one grey: the darkest ink of the unit's (at the
   * left edge) and of "time (ms)" (the bottom rows) */
  int unit_ink = 255, time_ink = 255;
  for (int y = 0; y < H; y++)
    for (int x = 0; x < W; x++)
      {
        const guint8 *q = d + y * stride + 4 * x;
        int v = MAX (MAX (q[0], q[1]), q[2]); /* (a grey has none brighter) */
        if (x < 20 && y > 60 && y < H - 60)
          unit_ink = MIN (unit_ink, v);
        if (y > H - 16)
          time_ink = MIN (time_ink, v);
      }
  g_test_message ("darkest ink: unit %d, time %d", unit_ink, time_ink);
  g_assert_cmpint (time_ink, <, 100);
  g_assert_cmpint (abs (unit_ink - time_ink), <=, 8);
  cairo_surface_destroy (s);
}

static void
test_plot_parts_zero_line (void)
{
  check_parts_zero_line (0);
  check_parts_zero_line (1000);
}

/* A comparison with labels as long as the Explorer's. */
static void
draw_long_compare_cb (cairo_t *cr, double w, double h, gpointer data)
{
  WslfpTraceStyle style = { 0, 0, "WSLFP (mazzoni15_single, per-neuron, normalised)", 1, WSLFP_TRACES_LINES };
  style.compare = data;
  style.label = "mazzoni15_single, α = 1.65, delays 6/0 ms, probe at 0, 0, 200 µm (30°, 10°, 0°)";
  style.compare_label = "aussel18, population, from spikes (biexp), α = 1.65, L = 250 µm, not normalised, probe at "
                        "-50, 20, 150 µm";
  wslfp_plot_traces (cr, w, h, data, &style);
}

/* Every figure kind at 1, 1.5 and 2 columns and 6, 7 and 9 pt: no text
 * leaves the page, overlaps or nearly touches another on its line, or is
 * smaller than the chosen size (the pinned legend was shrunk to half of
 * 7 pt, tick labels "200" "400" nearly touched, a profile at 1 column
 * drew 5.7 pt). */
static void
test_plot_print_texts (void)
{
  FigureKind kinds[N_FIGURE_KINDS];
  WslfpProfile *profile;
  figure_kinds (kinds, &profile);
  /* and the demo's shape: 3 shanks of 10 contacts over 500 ms */
  enum { NT = 5000, NE = 30 };
  g_autofree double *dt = g_new (double, NT), *dv = g_new (double, NT * NE);
  double dxyz[NE * 3];
  int dshank[NE];
  for (int i = 0; i < NT; i++)
    {
      dt[i] = i * 0.1;
      for (int e = 0; e < NE; e++)
        dv[i * NE + e] = 0.3 * sin (i * 0.01 + e) + 0.05 * sin (i * 0.7 * (e + 1));
    }
  for (int e = 0; e < NE; e++)
    {
      dshank[e] = e / 10;
      dxyz[3 * e] = 250 * dshank[e];
      dxyz[3 * e + 1] = 0;
      dxyz[3 * e + 2] = 600 - 1000.0 / 9 * (e % 10);
    }
  WslfpTraces demo = { NT, NE, dt, dv, dxyz, dshank, 3, NULL };
  FigureKind more[] = {
    { "demo traces", draw_traces_cb, &demo },
    { "demo csd", draw_csd_cb, &demo },
    { "demo image", draw_colour_map_cb, &demo },
    { "demo psd", draw_psd_cb, &demo },
    { "long compare", draw_long_compare_cb, &demo },
  };
  const char *sizes[] = { "1col", "1.5col", "2col" };
  const double text_pt[] = { 6, 7, 9 };
  GString *all = g_string_new (NULL);
  for (guint k = 0; k < N_FIGURE_KINDS + G_N_ELEMENTS (more); k++)
    for (guint z = 0; z < G_N_ELEMENTS (sizes); z++)
      for (guint f = 0; f < G_N_ELEMENTS (text_pt); f++)
        {
          const FigureKind *kind = k < N_FIGURE_KINDS ? &kinds[k] : &more[k - N_FIGURE_KINDS];
          WslfpPrintSize size = { 0, 0, text_pt[f], 300 };
          g_assert_true (wslfp_plot_parse_size (sizes[z], &size.width_pt, &size.height_pt));
          g_autoptr (GArray) boxes = wslfp_plot_print_texts (&size, kind->draw, kind->data);
          g_assert_cmpuint (boxes->len, >, 3); /* the texts were recorded */
          g_autofree char *problems = wslfp_plot_text_boxes_problems (boxes, size.width_pt, size.height_pt,
                                                                        text_pt[f]);
          if (problems != NULL)
            g_string_append_printf (all, "%s at %s, %g pt:\n%s", kind->name, sizes[z], text_pt[f], problems);
        }
  if (all->len > 0)
    g_error ("%s", all->str);
  g_string_free (all, TRUE);
  wslfp_profile_free (profile);
}

/* The checker sees what it is for: a text off the page, two that overlap,
 * two that nearly touch on a line, one too small. */
static void
test_plot_text_checker (void)
{
  g_autoptr (GArray) boxes = g_array_new (FALSE, FALSE, sizeof (WslfpPlotTextBox));
#define PAGE { 0, 0, 100, 100 }
  WslfpPlotTextBox ok[] = { { 10, 10, 30, 17, 7, "200", PAGE }, { 40, 10, 60, 17, 7, "400", PAGE } };
  g_array_append_vals (boxes, ok, 2);
  g_assert_null (wslfp_plot_text_boxes_problems (boxes, 100, 100, 7));
  struct { WslfpPlotTextBox box; const char *says; } bad[] = {
    { { 90, 50, 105, 57, 7, "off", PAGE }, "leaves" },
    { { 25, 12, 35, 19, 7, "over", PAGE }, "overlaps" },
    { { 61, 10, 70, 17, 7, "near", PAGE }, "apart" },
    { { 10, 80, 20, 85, 5, "small", PAGE }, "under" },
    { { 10, 80, 30, 87, 7, "cut", { 0, 0, 25, 100 } }, "cut" },
  };
#undef PAGE
  for (guint k = 0; k < G_N_ELEMENTS (bad); k++)
    {
      g_array_append_val (boxes, bad[k].box);
      g_autofree char *problems = wslfp_plot_text_boxes_problems (boxes, 100, 100, 7);
      g_assert_nonnull (problems);
      g_assert_nonnull (strstr (problems, bad[k].says));
      g_array_set_size (boxes, 2);
    }
}

/* CSD values come in the SI prefix that keeps the colour scale's numbers
 * between 1 and 1000: a 1e-4 µA/mm³ CSD is drawn in pA/mm³, with no
 * "×10⁻⁶" on its bar (which ran over the next panel at one column). */
static void
test_plot_csd_units (void)
{
  enum { NT = 50, NE = 5 };
  double tt[NT], v[NT * NE], cxyz[NE * 3] = { 0 };
  int sh[NE] = { 0 };
  for (int e = 0; e < NE; e++)
    cxyz[3 * e + 2] = 100.0 * e;
  const struct { double scale; const char *unit; } cases[] = {
    { 1e-7, "pA/mm³" }, { 1e-4, "nA/mm³" }, { 1e-1, "µA/mm³" }, { 1e2, "mA/mm³" },
  };
  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      /* φ = s z² sin(t) µV: ∂²φ/∂z² = 2 s sin(t) µV/µm², CSD = −0.3 · 2e6 s sin(t) · 1e-3 µA/mm³ */
      for (int i = 0; i < NT; i++)
        {
          tt[i] = i;
          for (int e = 0; e < NE; e++)
            v[i * NE + e] = cases[c].scale * cxyz[3 * e + 2] * cxyz[3 * e + 2] * sin (0.3 * i + 0.1);
        }
      WslfpTraces tr = { NT, NE, tt, v, cxyz, sh, 1, NULL };
      g_auto (WslfpCsdFigure) fig = { 0 };
      g_assert_true (wslfp_csd_figure_init (&fig, &tr, NULL));
      g_assert_cmpstr (fig.unit, ==, cases[c].unit);
      /* an inner contact's value, in the chosen unit */
      double per = strcmp (fig.unit, "pA/mm³") == 0 ? 1e6 : strcmp (fig.unit, "nA/mm³") == 0 ? 1e3
                   : strcmp (fig.unit, "mA/mm³") == 0 ? 1e-3 : 1;
      double want = -0.3 * 2e6 * cases[c].scale * sin (0.3 * 7 + 0.1) * 1e-3 * per;
      double got = NAN; /* at z = 200 µm, an inner depth */
      for (gsize r = 0; r < fig.traces.n_electrodes; r++)
        if (fig.traces.electrodes_um[3 * r + 2] == 200)
          got = fig.traces.uv[7 * fig.traces.n_electrodes + r];
      g_assert_cmpfloat_with_epsilon (got, want, 1e-9 * fabs (want));
    }
}

/* The stroked path in @svg with the most vertices: its vertices (in
 * points, its transform applied) and its line width in points. */
static GArray *
longest_svg_path (const char *svg, double *width_pt)
{
  GArray *best = g_array_new (FALSE, FALSE, sizeof (double));
  for (const char *p = strstr (svg, "<path "); p != NULL; p = strstr (p + 1, "<path "))
    {
      const char *end = strstr (p, "/>");
      const char *d = strstr (p, " d=\"");
      const char *sw = strstr (p, "stroke-width:");
      if (end == NULL || d == NULL || d > end || sw == NULL || sw > end)
        continue;
      double m[6] = { 1, 0, 0, 1, 0, 0 };
      const char *tr = strstr (p, "transform=\"matrix(");
      if (tr != NULL && tr < end)
        g_assert_cmpint (sscanf (tr, "transform=\"matrix(%lf,%lf,%lf,%lf,%lf,%lf)", &m[0], &m[1], &m[2], &m[3], &m[4],
                                 &m[5]), ==, 6);
      GArray *pts = g_array_new (FALSE, FALSE, sizeof (double));
      const char *q = d + 4;
      while (*q != '"' && q < end)
        {
          if (*q == 'M' || *q == 'L')
            {
              char *next;
              double x = g_ascii_strtod (q + 1, &next), y = g_ascii_strtod (next, &next);
              double xy[2] = { m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5] };
              g_array_append_vals (pts, xy, 2);
              q = next;
            }
          else
            q++;
        }
      if (pts->len > best->len)
        {
          g_array_unref (best);
          best = pts;
          *width_pt = g_ascii_strtod (sw + strlen ("stroke-width:"), NULL) * hypot (m[0], m[1]);
        }
      else
        g_array_unref (pts);
    }
  return best;
}

/* A 1-column SVG draws the signal, not a thinning of it (a 500 ms trace
 * was about 30 vertices of a 1.5 pt line): every sample while they are
 * few; many samples reduced per 1/1200 in column keeping each column's
 * lowest and highest; the extremes where the data puts them; 0.5 pt
 * lines at one column, 1 pt at two. */
static void
test_plot_vector_traces (void)
{
  const gsize counts[] = { 400, 40000 };
  for (guint c = 0; c < G_N_ELEMENTS (counts); c++)
    for (guint z = 0; z < 2; z++)
      {
        gsize T = counts[c];
        g_autofree double *times = g_new (double, T), *v = g_new (double, T);
        for (gsize i = 0; i < T; i++)
          {
            times[i] = 500.0 * i / T;
            /* (a zig-zag: cairo merges collinear segments) */
            v[i] = 0.3 * sin (i * 0.37) * sin (i * 0.0011) + (i % 2 ? 0.02 : -0.02);
          }
        /* a one-sample peak and trough: a thinning loses them */
        v[T / 3] = 5;
        v[T / 3 + 1] = -4;
        static const double where[3] = { 0, 0, 0 };
        static const int one_shank[1] = { 0 };
        WslfpTraces tr = { T, 1, times, v, where, one_shank, 1, NULL };
        WslfpPrintSize size = { 0, 0, 7, 300 };
        g_assert_true (wslfp_plot_parse_size (z == 0 ? "1col" : "2col", &size.width_pt, &size.height_pt));
        g_autofree char *dir = g_dir_make_tmp ("wslfp-test-plot-XXXXXX", NULL);
        g_autofree char *svg_path = g_build_filename (dir, "v.svg", NULL);
        g_autoptr (GError) error = NULL;
        g_assert_true (wslfp_plot_export_print (svg_path, svg_path, &size, draw_traces_cb, &tr, &error));
        g_autofree char *svg = NULL;
        g_assert_true (g_file_get_contents (svg_path, &svg, NULL, NULL));
        double line_pt = 0;
        g_autoptr (GArray) pts = longest_svg_path (svg, &line_pt);
        gsize n = pts->len / 2;
        const double *xy = (const double *) pts->data;

        /* the layout the figure used, in points */
        double scale = size.font_pt / WSLFP_PLOT_FONT_UNITS;
        WslfpTraceStyle style = { 0, 0, "test", 1 };
        WslfpTraceLayout L;
        wslfp_trace_layout_compute (&L, &tr, &style, size.width_pt / scale, size.height_pt / scale);
        double columns = L.panel_w * scale / (72.0 / 1200);
        if (T <= 4 * columns)
          g_assert_cmpuint (n, ==, T); /* every sample */
        else
          {
            g_assert_cmpfloat (n, >=, columns);
            g_assert_cmpfloat (n, <=, 4 * columns + 8);
          }
        double y_min = INFINITY, y_max = -INFINITY, x_at_min = 0;
        for (gsize i = 0; i < n; i++)
          {
            if (xy[2 * i + 1] < y_min)
              y_min = xy[2 * i + 1], x_at_min = xy[2 * i];
            y_max = MAX (y_max, xy[2 * i + 1]);
          }
        double y0 = wslfp_trace_layout_y0 (&L, &tr, 0);
        g_assert_cmpfloat_with_epsilon (y_min, scale * (y0 - 5 / L.uv_per_px), 2e-3);
        g_assert_cmpfloat_with_epsilon (y_max, scale * (y0 + 4 / L.uv_per_px), 2e-3);
        g_assert_cmpfloat_with_epsilon (x_at_min, scale * wslfp_trace_layout_x (&L, 0, times[T / 3]), 2e-3);
        g_assert_cmpfloat_with_epsilon (line_pt, z == 0 ? 0.5 : 1.0, 1e-3); /* (at most 1 pt) */
        g_unlink (svg_path);
        g_rmdir (dir);
      }
}

typedef struct
{
  double h, limit;
} ColorbarCase;

static void
draw_colorbar_cb (cairo_t *cr, double width, double height, gpointer data)
{
  const ColorbarCase *c = data;
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  wslfp_plot_colorbar (cr, 40, 30, 14, c->h, c->limit, "µV");
}

/* What a colour bar says: ticks over [−limit, limit] on a tall bar; on a
 * bar too short for two ticks, none, and the range with the unit instead
 * ("±0.05 µV"), in the bar's powers of 10³ when the limit is tiny. */
static void
test_plot_colorbar_labels (void)
{
  ColorbarCase tall = { 200, 50 }, short_bar = { 8, 0.05 }, short_tiny = { 8, 3e-5 };
  g_autofree char *t_tall = texts_drawn (draw_colorbar_cb, &tall, 200, 300);
  if (strcmp (t_tall, "−40\n−20\n0\n20\n40\nµV\n") != 0)
    g_error ("a colour bar 200 px tall of ±50 µV says:\n%s", t_tall);
  g_autofree char *t_short = texts_drawn (draw_colorbar_cb, &short_bar, 200, 300);
  if (strcmp (t_short, "±0.05 µV\n") != 0)
    g_error ("a colour bar 8 px tall says:\n%s", t_short);
  g_autofree char *t_tiny = texts_drawn (draw_colorbar_cb, &short_tiny, 200, 300);
  if (strcmp (t_tiny, "±30 ×10⁻⁶ µV\n") != 0)
    g_error ("a colour bar 8 px tall of 3e-5 µV says:\n%s", t_tiny);
}

/* Shank colours: Okabe & Ito's seven for shanks 0 … 6, then the same
 * darker by 0.62 a round for the next sevens, black turning grey (0.3,
 * then 0.6), three rounds before they repeat; neighbours never share one. */
static void
test_plot_shank_colors (void)
{
  const double palette[7][3] = {
    { 0.000, 0.447, 0.698 }, { 0.902, 0.624, 0.000 }, { 0.000, 0.620, 0.451 }, { 0.800, 0.475, 0.655 },
    { 0.337, 0.706, 0.914 }, { 0.835, 0.369, 0.000 }, { 0.000, 0.000, 0.000 },
  };
  const double dim[3] = { 1.0, 0.62, 0.62 * 0.62 }, grey[3] = { 0.0, 0.3, 0.6 };
  for (int id = 0; id < 42; id++)
    {
      int k = id % 7, round = (id / 7) % 3;
      double rgb[3], next[3];
      wslfp_plot_shank_color (id, rgb);
      for (int i = 0; i < 3; i++)
        {
          double want = k == 6 ? grey[round] : palette[k][i] * dim[round];
          if (fabs (rgb[i] - want) > 1e-12)
            g_error ("shank %d: channel %d is %g, expected %g", id, i, rgb[i], want);
        }
      wslfp_plot_shank_color (id + 1, next);
      g_assert_false (rgb[0] == next[0] && rgb[1] == next[1] && rgb[2] == next[2]);
    }
}

/* Colour bars of tiny or huge values count in powers of 10³, so that
 * aussel18's 3e-5 µV does not read "0.00000" on every tick. */
static void
test_plot_colorbar_exponent (void)
{
  g_assert_cmpint (wslfp_plot_colorbar_exponent (0.05), ==, 0);
  g_assert_cmpint (wslfp_plot_colorbar_exponent (0.01), ==, 0);
  g_assert_cmpint (wslfp_plot_colorbar_exponent (9999), ==, 0);
  g_assert_cmpint (wslfp_plot_colorbar_exponent (0.005), ==, -3);
  g_assert_cmpint (wslfp_plot_colorbar_exponent (3e-5), ==, -6);
  g_assert_cmpint (wslfp_plot_colorbar_exponent (1e-6), ==, -6);
  g_assert_cmpint (wslfp_plot_colorbar_exponent (2e4), ==, 3);
  g_assert_cmpint (wslfp_plot_colorbar_exponent (0), ==, 0);
  /* engineering exponents over many decades: the power of 1000 at or below */
  const struct { double limit; int exponent; } far[] = {
    { 2e6, 6 }, { 5e7, 6 }, { 9.9e8, 6 }, { 1e9, 9 }, { 3e11, 9 }, { 2e-8, -9 }, { 9e-10, -12 }, { 4e-7, -9 },
  };
  for (guint k = 0; k < G_N_ELEMENTS (far); k++)
    if (wslfp_plot_colorbar_exponent (far[k].limit) != far[k].exponent)
      g_error ("colour bar of limit %g: exponent %d, expected %d", far[k].limit,
               wslfp_plot_colorbar_exponent (far[k].limit), far[k].exponent);
  char buf[32];
  wslfp_plot_format_decade (buf, sizeof buf, -6);
  g_assert_cmpstr (buf, ==, "10⁻⁶");
  wslfp_plot_format_decade (buf, sizeof buf, 12);
  g_assert_cmpstr (buf, ==, "10¹²");
  wslfp_plot_format_decade (buf, sizeof buf, 2);
  g_assert_cmpstr (buf, ==, "100");
  wslfp_plot_format_decade (buf, sizeof buf, -2);
  g_assert_cmpstr (buf, ==, "0.01");
}

/* A pinned result within 3 times the traces' size (3 included) shares their scale (so
 * a change of α shows as a change); one 1000 times smaller or larger (another
 * profile) is drawn at its own scale. */
static void
test_plot_compare_scale (void)
{
  double times[3] = { 0, 1, 2 }, where[3] = { 0, 0, 0 }, a[3] = { 0.5, -1, 0.2 }, b[3];
  int panel[1] = { 0 };
  WslfpTraces now = { 3, 1, times, a, where, panel, 1, NULL }, other = now;
  other.uv = b;
  WslfpTraceLayout L;
  wslfp_trace_layout_compute (&L, &now, NULL, 400, 300);
  const struct { double factor, want; } cases[] = { { 2, 1 }, { 0.4, 1 }, { 1000, 1e-3 }, { 1e-3, 1000 }, { 10, 0.1 },
    /* (3 times either way is still the same scale; just over, not) */
    { 3, 1 }, { 1.0 / 3, 1 }, { 3.01, 1 / 3.01 }, { 1 / 3.01, 3.01 } };
  for (guint k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      for (int i = 0; i < 3; i++)
        b[i] = a[i] * cases[k].factor;
      g_assert_cmpfloat_with_epsilon (wslfp_trace_compare_scale (&L, &now, &other), cases[k].want, 1e-12 * cases[k].want);
    }
}

/* Printed sizes: presets and units, in points. */
static void
test_plot_print_sizes (void)
{
  double w, h;
  g_assert_true (wslfp_plot_parse_size ("85x60mm", &w, &h));
  g_assert_cmpfloat_with_epsilon (w, 85 / 25.4 * 72, 1e-9);
  g_assert_cmpfloat_with_epsilon (h, 60 / 25.4 * 72, 1e-9);
  g_assert_true (wslfp_plot_parse_size ("3.5x2in", &w, &h));
  g_assert_cmpfloat_with_epsilon (w, 252, 1e-9);
  g_assert_true (wslfp_plot_parse_size ("300X200pt", &w, &h));
  g_assert_cmpfloat (h, ==, 200);
  const char *presets[] = { "1col", "1.5col", "2col" };
  const double widths_mm[] = { 85, 114, 174 };
  for (guint k = 0; k < 3; k++)
    {
      g_assert_true (wslfp_plot_parse_size (presets[k], &w, &h));
      g_assert_cmpfloat_with_epsilon (w, widths_mm[k] / 25.4 * 72, 1e-9);
    }
  const char *bad[] = { "85mm", "85x60", "85x60cm", "x60mm", "-5x60mm", "85x0mm", "3col", "", "nanx1in" };
  for (guint k = 0; k < G_N_ELEMENTS (bad); k++)
    if (wslfp_plot_parse_size (bad[k], &w, &h))
      g_error ("\"%s\" was taken as a size", bad[k]);

  /* text too large for the page is refused */
  g_autofree char *dir = g_dir_make_tmp ("wslfp-test-plot-XXXXXX", NULL);
  g_autofree char *png = g_build_filename (dir, "p.png", NULL);
  g_autoptr (GError) error = NULL;
  WslfpPrintSize tiny = { 20, 20, 30, 300 };
  g_assert_false (wslfp_plot_export_print (png, png, &tiny, draw_nothing_cb, NULL, &error));
  g_assert_nonnull (strstr (error->message, "no room"));
  g_clear_error (&error);
  /* a size, text or resolution out of range is refused, saying which ranges */
  const WslfpPrintSize refused[] = {
    { 0, 36, 7, 144 }, { 72, -1, 7, 144 }, { 72, 36, 3.9, 144 }, { 72, 36, 72.5, 144 }, { 72, 36, 7, 29 },
    { 72, 36, 7, 2401 }, { NAN, 36, 7, 144 }, { 72, 36, 7, NAN },
  };
  for (guint k = 0; k < G_N_ELEMENTS (refused); k++)
    {
      g_clear_error (&error);
      if (wslfp_plot_export_print (png, png, &refused[k], draw_nothing_cb, NULL, &error)
          || strstr (error->message, "the size must be positive, the text 4 … 72 pt, the resolution 30 … 2400 dpi") == NULL)
        g_error ("%g × %g pt, %g pt text, %g dpi: %s", refused[k].width_pt, refused[k].height_pt, refused[k].font_pt,
                 refused[k].dpi, error ? error->message : "accepted");
    }
  g_clear_error (&error);
  /* their edges are allowed */
  const WslfpPrintSize edges[] = { { 288, 144, 4, 30 }, { 720, 720, 72, 30 }, { 36, 36, 4, 2400 } };
  for (guint k = 0; k < G_N_ELEMENTS (edges); k++)
    if (!wslfp_plot_export_print (png, png, &edges[k], draw_nothing_cb, NULL, &error))
      g_error ("%g × %g pt, %g pt text, %g dpi: %s", edges[k].width_pt, edges[k].height_pt, edges[k].font_pt,
               edges[k].dpi, error->message);
  /* a file that cannot be written says so, naming it */
  g_autofree char *nowhere = g_build_filename (dir, "no-such-folder", "p.png", NULL);
  WslfpPrintSize ok = { 72, 36, 7, 144 };
  g_assert_false (wslfp_plot_export_print (nowhere, nowhere, &ok, draw_nothing_cb, NULL, &error));
  g_autofree char *cannot = g_strdup_printf ("cannot write %s: ", nowhere);
  g_assert_true (g_str_has_prefix (error->message, cannot));
  g_clear_error (&error);
  g_assert_true (wslfp_plot_export_print (png, png, &ok, draw_nothing_cb, NULL, &error));
  cairo_surface_t *s = cairo_image_surface_create_from_png (png);
  g_assert_cmpint (cairo_image_surface_get_width (s), ==, 144);
  g_assert_cmpint (cairo_image_surface_get_height (s), ==, 72);
  cairo_surface_destroy (s);
  g_unlink (png);
  g_rmdir (dir);
}

/* Times near ±1e308 put every sample at a column that is not a number
 * (inf − inf): the traces are drawn (what can be) and the call returns
 * (it looped, growing its path until memory ran out; found by fuzz-plot). */
static void
test_plot_trace_times_at_the_limit (void)
{
  const gsize T = 1000, E = 2;
  g_autofree double *times = g_new (double, T);
  g_autofree double *values = g_new (double, T * E);
  static const double where[2 * 3] = { 0, 0, 0, 0, 0, 100 };
  static const int one[2] = { 0, 0 };
  for (gsize i = 0; i < T; i++)
    {
      times[i] = ((double) i - 500) * 2e305; /* −1e308 … +1e308 */
      values[i * E] = values[i * E + 1] = sin ((double) i);
    }
  WslfpTraces traces = { T, E, times, values, where, one, 1, NULL };
  WslfpTraceStyle style = { 0 };
  style.mode = WSLFP_TRACES_LINES;
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 320, 200);
  cairo_t *cr = cairo_create (surface);
  wslfp_plot_traces (cr, 320, 200, &traces, &style);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/plot/trace-layout", test_plot_trace_layout);
  g_test_add_func ("/plot/projection", test_plot_projection);
  g_test_add_func ("/plot/diverging", test_plot_diverging);
  g_test_add_func ("/plot/export", test_plot_export);
  g_test_add_func ("/plot/trace-rows-by-rank", test_plot_trace_rows_by_rank);
  g_test_add_func ("/plot/trace-image", test_plot_trace_image);
  g_test_add_func ("/plot/trace-many-shanks", test_plot_trace_many_shanks);
  g_test_add_func ("/plot/ticks", test_plot_ticks);
  g_test_add_func ("/plot/scale-bar", test_plot_scale_bar);
  g_test_add_func ("/plot/color-limits", test_plot_color_limits);
  g_test_add_func ("/plot/tklfp-map", test_plot_tklfp_map);
  g_test_add_func ("/plot/zoom", test_plot_zoom);
  g_test_add_func ("/plot/sizes", test_plot_sizes);
  g_test_add_func ("/plot/colour-map-of-many-contacts", test_plot_colour_map_of_many_contacts);
  g_test_add_func ("/plot/highlighted-contact", test_plot_highlighted_contact);
  g_test_add_func ("/plot/colour-map-nearest-sample", test_plot_colour_map_nearest_sample);
  g_test_add_func ("/plot/colour-map-short", test_plot_colour_map_short);
  g_test_add_func ("/plot/colour-bar-bounds", test_plot_colour_bar_bounds);
  g_test_add_func ("/plot/golden", test_plot_golden);
  g_test_add_func ("/plot/text-boxes-cut", test_plot_text_boxes_cut);
  g_test_add_func ("/plot/layout-caption", test_plot_layout_caption);
  g_test_add_func ("/plot/layout-legend-many-shanks", test_plot_layout_legend_many_shanks);
  g_test_add_func ("/plot/row-labels", test_plot_row_labels);
  g_test_add_func ("/plot/parts-time-ticks", test_plot_parts_time_ticks);
  g_test_add_func ("/plot/crisp-lines", test_plot_crisp_lines);
  g_test_add_func ("/plot/parts-axes", test_plot_parts_zero_line);
  g_test_add_func ("/plot/layout-weights", test_plot_layout_weights);
  g_test_add_func ("/plot/layout-many-contacts", test_plot_layout_many_contacts);
  g_test_add_func ("/plot/layout-cells", test_plot_layout_cells);
  g_test_add_func ("/plot/raster-dots", test_plot_raster_dots);
  g_test_add_func ("/plot/depth-title-clear", test_plot_depth_title_clear);
  g_test_add_func ("/plot/layout-scale-bar", test_plot_layout_scale_bar);
  g_test_add_func ("/plot/wrap", test_plot_wrap);
  g_test_add_func ("/plot/colorbar-exponent", test_plot_colorbar_exponent);
  g_test_add_func ("/plot/colorbar-labels", test_plot_colorbar_labels);
  g_test_add_func ("/plot/shank-colors", test_plot_shank_colors);
  g_test_add_func ("/plot/compare-scale", test_plot_compare_scale);
  g_test_add_func ("/plot/print-sizes", test_plot_print_sizes);
  g_test_add_func ("/plot/trace-times-at-the-limit", test_plot_trace_times_at_the_limit);
  g_test_add_func ("/plot/print-texts", test_plot_print_texts);
  g_test_add_func ("/plot/text-checker", test_plot_text_checker);
  g_test_add_func ("/plot/csd-units", test_plot_csd_units);
  g_test_add_func ("/plot/vector-traces", test_plot_vector_traces);
  return g_test_run ();
}
