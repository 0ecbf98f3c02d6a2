/* test-plot.c: figure mappings (no display needed) and exports. */
#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>

#include "wslfp-plot.h"

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
  project ("top", py, &x, &y);
  g_assert_cmpfloat (y, <, y0 - 10);           /* from above, +y up */
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
  for (gsize e = 0; e < 4; e++)
    {
      gsize got;
      double t_ms, uv_at;
      g_assert_true (wslfp_trace_layout_pick (&L, &tr, wslfp_trace_layout_x (&L, 0, 1), y[e] + 0.3 * L.slot_px, &got,
                                              &t_ms, &uv_at));
      g_assert_cmpuint (got, ==, e);
    }
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
  g_free (pos);
  g_free (v);
  g_free (sh);
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
  return g_test_run ();
}
