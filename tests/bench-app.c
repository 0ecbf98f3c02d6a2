/* bench-app.c: WSLFP Explorer's responsiveness, under Xvfb: time from
 * start to the first traces, latency from a settings change to new traces
 * on screen, the longest main-loop stall while computing, and the frame
 * time of the 3-D view with 10 000 neurons. */
#include "config.h"

#include <cblas.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <stdio.h>

#include "wslfp-blas-core.h"
#include "wslfp-demo-network.h"
#include "wslfp-h5.h"
#include "wslfp-test-widgets.h"
#include "wslfp-explore-page.h"
#include "wslfp-settings.h"
#include "wslfp-mover.h"
#include "wslfp-window.h"


/* A control of a side panel, by its id in the panel's template. */
#define panel_child(w, id) wslfp_test_widget (GTK_WIDGET (w), id)

static gint64 last_tick_us;
static gint64 max_gap_us;

/* A 1 ms heartbeat: the largest gap between beats is the longest stall. */
static gboolean
heartbeat_cb (gpointer data)
{
  gint64 now = g_get_monotonic_time ();
  if (last_tick_us != 0)
    max_gap_us = MAX (max_gap_us, now - last_tick_us);
  last_tick_us = now;
  return G_SOURCE_CONTINUE;
}

static guint frames;

static void
after_paint_cb (GdkFrameClock *clock, gpointer data)
{
  frames++;
}

static void
spin_until (gboolean (*cond) (WslfpWindow *), WslfpWindow *w)
{
  while (!cond (w))
    g_main_context_iteration (NULL, TRUE);
}

static guint want_results;
static gboolean
has_results (WslfpWindow *w)
{
  return wslfp_window_get_n_results (w) >= want_results && !wslfp_window_is_busy (w);
}

static int
compare_doubles (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

static gboolean
orbit_tick_cb (GtkWidget *widget, GdkFrameClock *clock, gpointer data)
{
  guint *n = data;
  wslfp_layout_view_set_angles (WSLFP_LAYOUT_VIEW (widget), -35 + 3.0 * *n, 20);
  (*n)++;
  return G_SOURCE_CONTINUE;
}

/* ---- dragging the probe ---- */

/* A synthetic network file: S cells in a 500 µm cube (as deep as it must
 * be to hold them at the density of 10^5 in it), T steps of 0.1 ms of AMPA
 * and GABA currents (float32, gzip): a shared slow rhythm plus independent
 * noise per cell, so the LFP has structure and the matrix has full rank.
 * Written a block of rows at a time: 10^6 cells × 1000 steps do not fit
 * in memory as doubles. */
static double
uniform (guint64 *x, double lo, double hi)
{
  return lo + (hi - lo) * (double) (wslfp_demo_splitmix64 ((uint64_t *) x) >> 11) * 0x1.0p-53;
}

static void
write_currents (hid_t f, const char *kind, gsize S, gsize T, const double *t, double period_ms, guint64 *seed)
{
  g_autofree char *tp = g_strdup_printf ("/currents/%s/t_ms", kind);
  g_autofree char *ip = g_strdup_printf ("/currents/%s/I", kind);
  hsize_t d_t[1] = { T };
  g_autoptr (GError) error = NULL;
  if (!wslfp_h5_write_doubles (f, tp, 1, d_t, t, FALSE, &error))
    g_error ("%s", error->message);
  enum { ROWS = 16 };
  hsize_t dims[2] = { T, S }, chunk[2] = { MIN (T, ROWS), MIN (S, 65536) };
  hid_t space = H5Screate_simple (2, dims, NULL), dcpl = H5Pcreate (H5P_DATASET_CREATE);
  H5Pset_chunk (dcpl, 2, chunk);
  H5Pset_deflate (dcpl, 1);
  hid_t lcpl = H5Pcreate (H5P_LINK_CREATE);
  H5Pset_create_intermediate_group (lcpl, 1);
  hid_t d = H5Dcreate2 (f, ip, H5T_IEEE_F32LE, space, lcpl, dcpl, H5P_DEFAULT);
  g_assert_cmpint (d, >=, 0);
  g_autofree double *state = g_new0 (double, S);
  g_autofree float *rows = g_new (float, ROWS * S);
  for (gsize i0 = 0; i0 < T; i0 += ROWS)
    {
      gsize n = MIN (ROWS, T - i0);
      for (gsize i = 0; i < n; i++)
        {
          double rhythm = sin (2 * G_PI * t[i0 + i] / period_ms);
          for (gsize s = 0; s < S; s++)
            {
              state[s] = 0.95 * state[s] + 0.05 * uniform (seed, -1, 1);
              rows[i * S + s] = (float) (0.05 * rhythm + state[s]);
            }
        }
      hsize_t start[2] = { i0, 0 }, count[2] = { n, S };
      hid_t file_space = H5Dget_space (d), mem_space = H5Screate_simple (2, count, NULL);
      H5Sselect_hyperslab (file_space, H5S_SELECT_SET, start, NULL, count, NULL);
      g_assert_cmpint (H5Dwrite (d, H5T_NATIVE_FLOAT, mem_space, file_space, H5P_DEFAULT, rows), >=, 0);
      H5Sclose (mem_space);
      H5Sclose (file_space);
    }
  H5Dclose (d);
  H5Pclose (lcpl);
  H5Pclose (dcpl);
  H5Sclose (space);
}

static char *
write_network (const char *dir, gsize S, gsize T)
{
  g_autofree char *name = g_strdup_printf ("bench-%zu-%zu.h5", S, T);
  char *path = g_build_filename (dir, name, NULL);
  guint64 seed = 11;
  double depth = 500.0 * MAX (1.0, S / 1e5);
  g_autofree double *xyz = g_new (double, 3 * S), *t = g_new (double, T);
  double probe[3 * 32];
  for (gsize i = 0; i < S; i++)
    {
      xyz[3 * i] = uniform (&seed, 0, 500);
      xyz[3 * i + 1] = uniform (&seed, 0, 500);
      xyz[3 * i + 2] = uniform (&seed, 0, depth);
    }
  for (gsize e = 0; e < 32; e++)
    probe[3 * e] = 250, probe[3 * e + 1] = 0, probe[3 * e + 2] = -400 + 50.0 * e;
  for (gsize i = 0; i < T; i++)
    t[i] = 0.1 * i;
  hid_t f = H5Fcreate (path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  hsize_t d_src[2] = { S, 3 }, d_el[2] = { 32, 3 };
  g_autoptr (GError) error = NULL;
  if (!wslfp_h5_write_doubles (f, "/sources/xyz_um", 2, d_src, xyz, FALSE, &error)
      || !wslfp_h5_write_doubles (f, "/electrodes/xyz_um", 2, d_el, probe, FALSE, &error))
    g_error ("%s", error->message);
  write_currents (f, "ampa", S, T, t, 53.0, &seed);
  write_currents (f, "gaba", S, T, t, 37.0, &seed);
  H5Fclose (f);
  return path;
}

/* The process's resident set now and at its peak, MB (Linux). */
static void
resident_mb (double *now, double *peak)
{
  g_autofree char *status = NULL;
  *now = *peak = 0;
  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return;
  const char *rss = strstr (status, "VmRSS:"), *hwm = strstr (status, "VmHWM:");
  if (rss != NULL)
    *now = g_ascii_strtod (rss + 6, NULL) / 1024;
  if (hwm != NULL)
    *peak = g_ascii_strtod (hwm + 6, NULL) / 1024;
}

typedef struct
{
  WslfpLayoutView *view;
  double dx;
  gint64 frames;
} Drag;

/* A hand moving at 60 frames/s: 3 µm a frame, back and forth. */
static gboolean
drag_tick_cb (GtkWidget *widget, GdkFrameClock *clock, gpointer data)
{
  Drag *d = data;
  double dx = (d->frames / 60) % 2 ? -3 : 3;
  g_signal_emit_by_name (d->view, "probe-dragged", dx, 0.0, 0.0);
  d->frames++;
  return G_SOURCE_CONTINUE;
}

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

/* Where a frame's time goes: the frame clock's phases, summed. */
static double phase_t[5], phase_sum[5];
static int phase_n;

static void
phase_cb (GdkFrameClock *clock, gpointer k)
{
  int i = GPOINTER_TO_INT (k);
  phase_t[i] = now_ms ();
  if (i > 0)
    phase_sum[i] += phase_t[i] - phase_t[i - 1];
  if (i == 4)
    phase_n++;
}

/* Drags the probe in the Explore page for @seconds; prints the trace
 * updates per second, the time from the hand stopping to the exact traces
 * on screen, and how far the last preview was from them. */
static void
bench_drag (WslfpWindow *w, const char *label)
{
  const double seconds = 4;
  WslfpLayoutView *view = wslfp_explore_page_get_layout_view (WINDOW_CHILD (w, explore_page));
  Drag drag = { view, 0, 0 };
  adw_view_stack_set_visible_child_name (WINDOW_CHILD (w, stack), "explore");
  want_results = wslfp_window_get_n_results (w);
  spin_until (has_results, w);
  /* One move first, so the exact product's time is known. */
  g_signal_emit_by_name (view, "probe-dragged", 1.0, 0.0, 0.0);
  while (wslfp_window_is_busy (w))
    g_main_context_iteration (NULL, TRUE);
  double exact_ms = wslfp_compute_controller_get_exact_ms (wslfp_window_get_controller (w));

  guint moves0 = wslfp_compute_controller_get_n_moves (wslfp_window_get_controller (w));
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (w));
  guint id = gtk_widget_add_tick_callback (GTK_WIDGET (view), drag_tick_cb, &drag, NULL);
  const char *phases[] = { "before-paint", "update", "layout", "paint", "after-paint" };
  memset (phase_sum, 0, sizeof phase_sum);
  phase_n = 0;
  for (int k = 0; k < 5; k++)
    g_signal_connect (clock, phases[k], G_CALLBACK (phase_cb), GINT_TO_POINTER (k));
  double t0 = now_ms ();
  gsize stride = 1;
  g_autofree double *last_preview = NULL;
  gsize preview_rows = 0, preview_stride = 1;
  guint seen = moves0;
  while (now_ms () - t0 < seconds * 1000)
    {
      g_main_context_iteration (NULL, TRUE);
      if (wslfp_compute_controller_get_n_moves (wslfp_window_get_controller (w)) != seen)
        {
          seen = wslfp_compute_controller_get_n_moves (wslfp_window_get_controller (w));
          stride = MAX (stride, wslfp_compute_controller_get_shown_stride (wslfp_window_get_controller (w)));
        }
    }
  gtk_widget_remove_tick_callback (GTK_WIDGET (view), id);
  double t_stop = now_ms ();
  printf ("  the last update while dragging: %s\n", gtk_label_get_text (wslfp_test_widget (GTK_WIDGET (w), "status_label")));
  double updates = (wslfp_compute_controller_get_n_moves (wslfp_window_get_controller (w)) - moves0) / ((t_stop - t0) / 1000);
  double drag_fps = drag.frames / ((t_stop - t0) / 1000);
  /* The hand rests: wait for the exact traces, drawn. */
  guint moves_at_stop = wslfp_compute_controller_get_n_moves (wslfp_window_get_controller (w));
  while (wslfp_window_is_busy (w) || wslfp_compute_controller_get_shown_stride (wslfp_window_get_controller (w)) != 1)
    {
      g_main_context_iteration (NULL, TRUE);
      if (wslfp_compute_controller_get_n_moves (wslfp_window_get_controller (w)) != moves_at_stop && wslfp_compute_controller_get_shown_stride (wslfp_window_get_controller (w)) > 1)
        {
          /* The last preview, at the final position. */
          const WslfpLfp *p = wslfp_window_get_lfp (w);
          g_free (last_preview);
          last_preview = g_memdup2 (p->uv, p->n_times * p->n_electrodes * sizeof (double));
          preview_rows = p->n_times;
          preview_stride = wslfp_compute_controller_get_shown_stride (wslfp_window_get_controller (w));
          moves_at_stop = wslfp_compute_controller_get_n_moves (wslfp_window_get_controller (w));
        }
    }
  guint f0 = frames;
  while (frames == f0)
    g_main_context_iteration (NULL, TRUE);
  double to_exact = now_ms () - t_stop;

  const WslfpLfp *exact = wslfp_window_get_lfp (w);
  gsize E = exact->n_electrodes, T = exact->n_times, S = wslfp_document_get_dataset (wslfp_window_get_document (w))->n_sources;
  double rss_now, rss_peak;
  resident_mb (&rss_now, &rss_peak);
  printf ("  %.0f frames/s while dragging\n", drag_fps);
  g_signal_handlers_disconnect_matched (clock, G_SIGNAL_MATCH_FUNC, 0, 0, NULL, phase_cb, NULL);
  printf ("  per frame: update %.1f, layout %.1f, paint %.1f, after %.1f ms\n", phase_sum[1] / MAX (phase_n, 1),
          phase_sum[2] / MAX (phase_n, 1), phase_sum[3] / MAX (phase_n, 1), phase_sum[4] / MAX (phase_n, 1));
  printf ("  %s, %zu steps × %zu contacts: exact product %.1f ms, preview stride %zu while dragging, exact traces on "
          "screen %.0f ms after the hand stops (budget 150)\n", label, T, E, exact_ms, stride, to_exact);
  double preview_error = -1;
  if (last_preview != NULL)
    {
      /* The preview's rows against the exact ones (normalisation statistics
       * from a subsample), and the drawn preview (straight lines between
       * its rows) against every exact sample. */
      double rows = 0, drawn = 0, peak = 0;
      for (gsize i = 0; i < T; i++)
        for (gsize e = 0; e < E; e++)
          {
            double v = exact->uv[i * E + e];
            peak = MAX (peak, fabs (v));
            gsize r = i / preview_stride;
            double a = last_preview[r * E + e];
            double b = r + 1 < preview_rows ? last_preview[(r + 1) * E + e] : a;
            double f = (double) (i - r * preview_stride) / preview_stride;
            drawn = MAX (drawn, fabs (a + f * (b - a) - v));
            if (i % preview_stride == 0)
              rows = MAX (rows, fabs (a - v));
          }
      printf ("  preview (every %zu steps) vs exact: rows %.2g of the peak, drawn traces %.2g of the peak\n",
              preview_stride, rows / peak, drawn / peak);
      preview_error = rows / peak;
    }
  printf ("probe-drag sources=%zu contacts=%zu updates_per_s=%.1f exact_ms=%.0f preview_error=%.3g rss_mb=%.0f (%s; "
          "peak RSS so far)\n", S, E, updates, to_exact, preview_error, rss_peak, label);
  /* The same product as a bare dgemm, in this run (WSLFP's). */
  WslfpSharedCombined *shared = wslfp_compute_controller_get_combined (wslfp_window_get_controller (w));
  const WslfpCombined *c = shared != NULL ? wslfp_shared_combined_get (shared) : NULL;
  if (c == NULL)
    {
      if (shared != NULL && wslfp_shared_combined_get_n_pooled (shared) > 0)
        printf ("  only the cells pooled in %zu cubes kept: previews from them, exact traces %s\n",
                wslfp_shared_combined_get_n_pooled (shared),
                wslfp_shared_combined_reads_scratch (shared) ? "from the scratch copy of the currents"
                                                             : "read from disk");
      else
        printf ("  nothing kept: every move recomputes from the currents\n");
      return;
    }
  /* (single-precision currents: a bare sgemm, the product's own kind) */
  gboolean single = wslfp_combined_is_single (c);
  double *A = g_new0 (double, E * S), *out = g_new (double, T * E);
  float *a = g_new0 (float, E * S), *out_single = g_new (float, T * E);
  double best = INFINITY;
  for (int r = 0; r < 5; r++)
    {
      double t1 = now_ms ();
      if (single)
        cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans, (int) T, (int) E, (int) S, 1.0f,
                     wslfp_combined_get_values_single (c), (int) S, a, (int) S, 0.0f, out_single, (int) E);
      else
        cblas_dgemm (CblasRowMajor, CblasNoTrans, CblasTrans, (int) T, (int) E, (int) S, 1.0,
                     wslfp_combined_get_values (c), (int) S, A, (int) S, 0.0, out, (int) E);
      best = MIN (best, now_ms () - t1);
    }
  printf ("  a bare %s of the same shape (%zu × %zu · %zu × %zu): %.1f ms\n", single ? "sgemm" : "dgemm", T, S, S, E,
          best);
  g_free (A);
  g_free (out);
  g_free (a);
  g_free (out_single);
  (void) clock;
}

int
main (int argc, char **argv)
{
  wslfp_blas_use_fast_core (argv); /* as main.c does */
  gint64 t_start = g_get_monotonic_time ();
  g_setenv ("GSK_RENDERER", "cairo", FALSE); /* as main.c does */
  /* Every run from the default settings: with dconf, a run cut short left
   * its last profile behind, and choosing it again changed nothing (the
   * recompute loop then waited for ever). */
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  gtk_init ();
  adw_init ();
  WslfpWindow *w = wslfp_window_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (w), 1280, 800);
  gtk_window_present (GTK_WINDOW (w));
  wslfp_window_open_demo (w);
  want_results = 1;
  spin_until (has_results, w);
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (w));
  g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), NULL);
  guint f0 = frames;
  while (frames == f0)
    g_main_context_iteration (NULL, TRUE);
  printf ("start-up: first traces on screen %.0f ms after start (budget 2000; includes simulating the demo)\n",
          (g_get_monotonic_time () - t_start) / 1000.0);

  /* BENCH_APP_DRAG_ONLY=1: only the probe drags (for profiling them);
   * BENCH_APP_SOURCES=S: only the drag on a synthetic network of S cells. */
  if (g_getenv ("BENCH_APP_SOURCES") != NULL)
    goto network;
  if (g_getenv ("BENCH_APP_DRAG_ONLY") != NULL)
    goto drag;

  /* Settings changes: change → new traces drawn. */
  enum { N = 20 };
  double latency[N];
  g_timeout_add (1, heartbeat_cb, NULL);
  for (int i = 0; i < N; i++)
    {
      want_results = wslfp_window_get_n_results (w) + 1;
      last_tick_us = 0;
      gint64 t0 = g_get_monotonic_time ();
      if (i % 2 == 0)
        adw_combo_row_set_selected (ADW_COMBO_ROW (panel_child (w, "profile")), (i / 2) % 3);
      else
        gtk_spin_button_set_value (GTK_SPIN_BUTTON (panel_child (w, "alpha")), 1.5 + 0.01 * i);
      spin_until (has_results, w);
      f0 = frames;
      while (frames == f0)
        g_main_context_iteration (NULL, TRUE);
      latency[i] = (g_get_monotonic_time () - t0) / 1000.0;
      if (g_getenv ("BENCH_VERBOSE")) printf ("  %s; total %.0f ms\n", gtk_label_get_text (wslfp_test_widget (GTK_WIDGET (w), "status_label")), latency[i]);
    }
  qsort (latency, N, sizeof (double), compare_doubles);
  printf ("recompute (demo, 800 sources × 5000 steps × 30 contacts): change → traces on screen median %.0f ms, "
          "max %.0f ms (budget 100)\n", latency[N / 2], latency[N - 1]);
  printf ("longest main-loop stall while computing: %.1f ms (budget 50)\n", max_gap_us / 1000.0);

  /* 10 000 neurons (BENCH_APP_ORBIT_CELLS) in the 3-D view, orbiting:
   * real frames. */
  const gsize n_cells = g_getenv ("BENCH_APP_ORBIT_CELLS") ? g_ascii_strtoull (g_getenv ("BENCH_APP_ORBIT_CELLS"), NULL, 10)
                                                            : 10000;
  double *somata = g_new (double, 3 * n_cells);
  GRand *rand = g_rand_new_with_seed (3);
  for (gsize i = 0; i < 3 * n_cells; i++)
    somata[i] = g_rand_double_range (rand, -250, 250) * (i % 3 == 2 ? MAX (1.0, n_cells / 1e5) : 1.0);
  g_rand_free (rand);
  adw_view_stack_set_visible_child_name (WINDOW_CHILD (w, stack), "layout");
  wslfp_layout_view_set_cells (WINDOW_CHILD (w, layout_view), somata, n_cells, FALSE, NULL, 0, NULL, 0);
  for (int i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  guint ticks = 0;
  guint id = gtk_widget_add_tick_callback (GTK_WIDGET (WINDOW_CHILD (w, layout_view)), orbit_tick_cb, &ticks, NULL);
  f0 = frames;
  gint64 t0 = g_get_monotonic_time ();
  while (frames - f0 < 60)
    g_main_context_iteration (NULL, TRUE);
  double per_frame = (g_get_monotonic_time () - t0) / 1000.0 / 60;
  gtk_widget_remove_tick_callback (GTK_WIDGET (WINDOW_CHILD (w, layout_view)), id);
  printf ("3-D view, %zu neurons, orbiting: %.1f ms per frame = %.0f frames/s (budget ≥ 30)\n", n_cells, per_frame,
          1000 / per_frame);

  /* The drawing alone, into an image of the same size. */
  int width = gtk_widget_get_width (GTK_WIDGET (WINDOW_CHILD (w, layout_view))), height = gtk_widget_get_height (GTK_WIDGET (WINDOW_CHILD (w, layout_view)));
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cairo_t *cr = cairo_create (surface);
  t0 = g_get_monotonic_time ();
  for (int i = 0; i < 30; i++)
    wslfp_layout_view_draw (WINDOW_CHILD (w, layout_view), cr, width, height);
  printf ("  of which cairo drawing (%d × %d): %.1f ms\n", width, height, (g_get_monotonic_time () - t0) / 1000.0 / 30);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  wslfp_layout_view_set_cells (WINDOW_CHILD (w, layout_view), NULL, 0, FALSE, NULL, 0, NULL, 0);
  g_free (somata);
  /* Put the demo's cells back for the drag. */
  {
    const WslfpDataset *ds = wslfp_document_get_dataset (wslfp_window_get_document (w));
    wslfp_layout_view_set_cells (WINDOW_CHILD (w, layout_view), ds->sources_um, ds->n_sources, FALSE, NULL, 0, NULL, 0);
  }
drag:
  /* BENCH_APP_PROBE=PRESET (e.g. neuropixels-1.0): the demo's drag with it. */
  /* BENCH_APP_PROBE_FILE=FILE: with a probe file (NP2014's 5120 contacts
   * from the probe library). */
  const char *probe_file = g_getenv ("BENCH_APP_PROBE_FILE");
  if (g_getenv ("BENCH_APP_PROBE") != NULL || probe_file != NULL)
    {
      WslfpProbe *probe = wslfp_explorer_state_get_probe (wslfp_window_get_state (w));
      if (probe_file != NULL)
        {
          g_autoptr (GError) error = NULL;
          WslfpProbeLayout *layout = wslfp_probe_layout_read (probe_file, &error);
          if (layout == NULL)
            g_error ("BENCH_APP_PROBE_FILE: %s", error->message);
          wslfp_probe_set_layout (probe, "file", layout, FALSE);
        }
      else
        wslfp_probe_set_preset (probe, g_getenv ("BENCH_APP_PROBE"));
      while (wslfp_window_is_busy (w))
        g_main_context_iteration (NULL, TRUE);
    }
  gtk_widget_activate_action (GTK_WIDGET (w), "win.view-reset", NULL);
  bench_drag (w, "demo network");

  /* The same drag with TKLFP (the demo's 1000 cells' spikes). */
  want_results = wslfp_window_get_n_results (w) + 1;
  adw_combo_row_set_selected (ADW_COMBO_ROW (panel_child (w, "proxy")), 1);
  spin_until (has_results, w);
  while (wslfp_window_is_busy (w))
    g_main_context_iteration (NULL, TRUE);
  bench_drag (w, "demo network, TKLFP");
  adw_combo_row_set_selected (ADW_COMBO_ROW (panel_child (w, "proxy")), 0);
  while (wslfp_window_is_busy (w))
    g_main_context_iteration (NULL, TRUE);

network:
  /* A synthetic network: BENCH_APP_SOURCES cells (10 000), BENCH_APP_STEPS
   * steps (5000), a linear 32-contact probe or (BENCH_APP_CONTACTS=384) a
   * Neuropixels 1.0; BENCH_APP_NETWORK: a file written by an earlier run
   * with the same numbers, kept. */
  gsize n_sources = g_getenv ("BENCH_APP_SOURCES") ? g_ascii_strtoull (g_getenv ("BENCH_APP_SOURCES"), NULL, 10) : 10000;
  gsize n_steps = g_getenv ("BENCH_APP_STEPS") ? g_ascii_strtoull (g_getenv ("BENCH_APP_STEPS"), NULL, 10) : 5000;
  gboolean neuropixels = g_strcmp0 (g_getenv ("BENCH_APP_CONTACTS"), "384") == 0;
  g_autofree char *dir = g_dir_make_tmp ("wslfp-bench-XXXXXX", NULL);
  const char *kept = g_getenv ("BENCH_APP_NETWORK");
  double t_write = now_ms ();
  g_autofree char *big = kept && g_file_test (kept, G_FILE_TEST_EXISTS) ? g_strdup (kept)
                                                                        : write_network (dir, n_sources, n_steps);
  printf ("synthetic network: %zu cells × %zu steps (%s in %.0f ms)\n", n_sources, n_steps,
          kept && g_file_test (kept, G_FILE_TEST_EXISTS) ? "kept" : "written", now_ms () - t_write);
  /* BENCH_APP_MEMORY_MB: the memory budget setting (1024), e.g. lower to
   * take the path of networks whose combined currents do not fit */
  g_autoptr (GSettings) settings = wslfp_settings_new ();
  if (g_getenv ("BENCH_APP_MEMORY_MB") != NULL)
    g_settings_set_uint (settings, "memory-budget-mb", (guint) g_ascii_strtoull (g_getenv ("BENCH_APP_MEMORY_MB"), NULL, 10));
  printf ("  memory budget %u MB\n", g_settings_get_uint (settings, "memory-budget-mb"));
  g_autoptr (GFile) file = g_file_new_for_path (big);
  want_results = wslfp_window_get_n_results (w) + 1;
  double t_open = now_ms ();
  wslfp_window_open_file (w, file);
  spin_until (has_results, w);
  printf ("  opened and computed in %.0f ms: %s\n", now_ms () - t_open,
          gtk_label_get_text (wslfp_test_widget (GTK_WIDGET (w), "status_label")));
  if (neuropixels)
    wslfp_probe_set_preset (wslfp_explorer_state_get_probe (wslfp_window_get_state (w)), "neuropixels-1.0");
  else
    adw_combo_row_set_selected (ADW_COMBO_ROW (panel_child (w, "probe_kind_row")), 3); /* linear 32 × 50 µm */
  while (wslfp_window_is_busy (w))
    g_main_context_iteration (NULL, TRUE);
  bench_drag (w, "synthetic network");
  gtk_window_destroy (GTK_WINDOW (w));
  if (kept == NULL)
    g_unlink (big);
  else if (!g_file_test (kept, G_FILE_TEST_EXISTS))
    g_rename (big, kept);
  g_rmdir (dir);
  return 0;
}
