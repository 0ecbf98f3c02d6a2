/* bench-app.c: WSLFP Explorer's responsiveness, under Xvfb: time from
 * start to the first traces, latency from a settings change to new traces
 * on screen, the longest main-loop stall while computing, and the frame
 * time of the 3-D view with 10 000 neurons. */
#include "config.h"

#include <math.h>
#include <stdio.h>

#include "wslfp-window-private.h"

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

int
main (int argc, char **argv)
{
  gint64 t_start = g_get_monotonic_time ();
  g_setenv ("GSK_RENDERER", "cairo", FALSE); /* as main.c does */
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
        adw_combo_row_set_selected (w->profile_row, (i / 2) % 3);
      else
        gtk_spin_button_set_value (w->alpha_spin, 1.5 + 0.01 * i);
      spin_until (has_results, w);
      f0 = frames;
      while (frames == f0)
        g_main_context_iteration (NULL, TRUE);
      latency[i] = (g_get_monotonic_time () - t0) / 1000.0;
      if (g_getenv ("BENCH_VERBOSE")) printf ("  %s; total %.0f ms\n", gtk_label_get_text (w->status_label), latency[i]);
    }
  qsort (latency, N, sizeof (double), compare_doubles);
  printf ("recompute (demo, 800 sources × 5000 steps × 30 contacts): change → traces on screen median %.0f ms, "
          "max %.0f ms (budget 100)\n", latency[N / 2], latency[N - 1]);
  printf ("longest main-loop stall while computing: %.1f ms (budget 50)\n", max_gap_us / 1000.0);

  /* 10 000 neurons in the 3-D view, orbiting: real frames. */
  const gsize n_cells = 10000;
  double *somata = g_new (double, 3 * n_cells);
  GRand *rand = g_rand_new_with_seed (3);
  for (gsize i = 0; i < 3 * n_cells; i++)
    somata[i] = g_rand_double_range (rand, -250, 250);
  g_rand_free (rand);
  adw_view_stack_set_visible_child_name (w->stack, "layout");
  wslfp_layout_view_set_cells (w->layout_view, somata, n_cells, FALSE, NULL, 0, NULL, 0);
  for (int i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  guint ticks = 0;
  guint id = gtk_widget_add_tick_callback (GTK_WIDGET (w->layout_view), orbit_tick_cb, &ticks, NULL);
  f0 = frames;
  gint64 t0 = g_get_monotonic_time ();
  while (frames - f0 < 60)
    g_main_context_iteration (NULL, TRUE);
  double per_frame = (g_get_monotonic_time () - t0) / 1000.0 / 60;
  gtk_widget_remove_tick_callback (GTK_WIDGET (w->layout_view), id);
  printf ("3-D view, 10 000 neurons, orbiting: %.1f ms per frame = %.0f frames/s (budget ≥ 30)\n", per_frame,
          1000 / per_frame);

  /* The drawing alone, into an image of the same size. */
  int width = gtk_widget_get_width (GTK_WIDGET (w->layout_view)), height = gtk_widget_get_height (GTK_WIDGET (w->layout_view));
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cairo_t *cr = cairo_create (surface);
  t0 = g_get_monotonic_time ();
  for (int i = 0; i < 30; i++)
    wslfp_layout_view_draw (w->layout_view, cr, width, height);
  printf ("  of which cairo drawing (%d × %d): %.1f ms\n", width, height, (g_get_monotonic_time () - t0) / 1000.0 / 30);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  wslfp_layout_view_set_cells (w->layout_view, NULL, 0, FALSE, NULL, 0, NULL, 0);
  gtk_window_destroy (GTK_WINDOW (w));
  g_free (somata);
  return 0;
}
