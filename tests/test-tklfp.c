/* test-tklfp.c: the kernel LFP (Teleńczuk et al. 2020) against the tklfp
 * package's own numbers (tests/data/tklfp_reference.h5, written by
 * build-aux/tklfp-reference.py with the package). */
#include <glib.h>
#include <math.h>
#include <string.h>

#include "wslfp.h"
#include "wslfp-test-data.h"

static const char *reference = "tklfp_reference.h5";

static double
max_abs (const double *a, gsize n)
{
  double m = 0;
  for (gsize i = 0; i < n; i++)
    m = fmax (m, fabs (a[i]));
  return m;
}

static double
max_diff (const double *a, const double *b, gsize n)
{
  double m = 0;
  for (gsize i = 0; i < n; i++)
    m = fmax (m, fabs (a[i] - b[i]));
  return m;
}

/* A0_exc and A0_inh: the package's interpolators at 2501 depths from −1 to
 * 1.5 mm (inside and outside the profiles). */
static void
test_tklfp_profiles (void)
{
  gsize n;
  g_autofree double *h = wslfp_test_read (reference, "/profiles/h_mm", &n, NULL);
  const char *paths[2] = { "/profiles/inh_A0_uV", "/profiles/exc_A0_uV" };
  for (int exc = 0; exc < 2; exc++)
    {
      g_autofree double *want = wslfp_test_read (reference, paths[exc], NULL, NULL);
      g_autofree double *got = g_new (double, n);
      wslfp_tklfp_a0_many (exc, n, h, got);
      g_assert_cmpfloat (max_abs (want, n), >, 0.5);
      g_assert_cmpfloat (max_diff (got, want, n), <=, 1e-12 * max_abs (want, n));
      g_assert_cmpfloat (wslfp_tklfp_a0 (exc, h[n / 2]), ==, got[n / 2]);
      g_assert_cmpfloat (wslfp_tklfp_a0 (exc, 5.0), ==, 0.0); /* outside: 0 */
    }
}

typedef struct
{
  double *cells, *excitatory_d, *orientation, *electrodes, *i_d, *t_spk, *t_eval;
  double *amplitude, *delay, *lfp, *thresholds, *windows;
  gsize n_cells, n_orientations, n_electrodes, n_spikes, n_times, n_thresholds;
  bool *excitatory;
  int64_t *spike_cells;
} Network;

static Network *
network_load (int k)
{
  Network *w = g_new0 (Network, 1);
#define READ(field, name, rows, cols)                                                                                  \
  do                                                                                                                   \
    {                                                                                                                  \
      g_autofree char *path = g_strdup_printf ("/network%d/%s", k, name);                                              \
      w->field = wslfp_test_read (reference, path, rows, cols);                                                        \
    }                                                                                                                  \
  while (0)
  READ (cells, "cells_mm", &w->n_cells, NULL);
  READ (excitatory_d, "excitatory", NULL, NULL);
  READ (orientation, "orientation", &w->n_orientations, NULL);
  READ (electrodes, "electrodes_mm", &w->n_electrodes, NULL);
  READ (i_d, "spikes/i", &w->n_spikes, NULL);
  READ (t_spk, "spikes/t_ms", NULL, NULL);
  READ (t_eval, "t_eval_ms", &w->n_times, NULL);
  READ (amplitude, "expected/amplitude_uV", NULL, NULL);
  READ (delay, "expected/delay_ms", NULL, NULL);
  READ (lfp, "expected/lfp_uV", NULL, NULL);
  READ (thresholds, "expected/min_window_thresholds_uV", &w->n_thresholds, NULL);
  READ (windows, "expected/min_window_ms", NULL, NULL);
#undef READ
  w->excitatory = g_new (bool, w->n_cells);
  for (gsize n = 0; n < w->n_cells; n++)
    w->excitatory[n] = w->excitatory_d[n] != 0;
  w->spike_cells = g_new (int64_t, w->n_spikes);
  for (gsize s = 0; s < w->n_spikes; s++)
    w->spike_cells[s] = (int64_t) w->i_d[s];
  return w;
}

static void
network_free (Network *w)
{
  double *fields[] = { w->cells, w->excitatory_d, w->orientation, w->electrodes, w->i_d, w->t_spk, w->t_eval,
                       w->amplitude, w->delay, w->lfp, w->thresholds, w->windows };
  for (gsize i = 0; i < G_N_ELEMENTS (fields); i++)
    g_free (fields[i]);
  g_free (w->excitatory);
  g_free (w->spike_cells);
  g_free (w);
}

/* The LFP written out as the package's sum over every spike, contact and
 * time (no window, no grid). */
static double *
written_out_sum (const Network *w, const double *sigma, const double *t, gsize T)
{
  double *want = g_new0 (double, T * w->n_electrodes);
  for (gsize i = 0; i < T; i++)
    for (gsize e = 0; e < w->n_electrodes; e++)
      for (gsize s = 0; s < w->n_spikes; s++)
        {
          gsize c = (gsize) w->spike_cells[s];
          double ss = 2.0 * sigma[c] * sigma[c];
          double d = (t[i] - w->t_spk[s]) - w->delay[e * w->n_cells + c];
          want[i * w->n_electrodes + e] += w->amplitude[e * w->n_cells + c] * exp (-(d * d) / ss);
        }
  return want;
}

/* Three random networks (both types, tilted orientations or one shared;
 * contacts above, below, beside and on a cell): amplitudes, delays, the
 * LFP and the minimum windows equal the package's to 1e-12; evaluation
 * times in reverse order give the same rows; a model from the package's
 * amplitudes and delays gives the same LFP. */
static void
test_tklfp_networks (void)
{
  for (int k = 0; k < 3; k++)
    {
      Network *w = network_load (k);
      WslfpTklfp *m = NULL;
      WslfpError err;
      if (wslfp_tklfp_new (w->cells, w->n_cells, w->excitatory, w->orientation, w->n_orientations, w->electrodes,
                           w->n_electrodes, NULL, &m, &err) != WSLFP_OK)
        g_error ("network %d: %s", k, err.message);
      gsize EN = w->n_electrodes * w->n_cells, TE = w->n_times * w->n_electrodes;
      g_assert_cmpuint (wslfp_tklfp_get_n_cells (m), ==, w->n_cells);
      g_assert_cmpuint (wslfp_tklfp_get_n_electrodes (m), ==, w->n_electrodes);
      g_assert_cmpfloat (max_diff (wslfp_tklfp_get_amplitude (m), w->amplitude, EN), <=,
                         1e-12 * max_abs (w->amplitude, EN));
      g_assert_cmpfloat (max_diff (wslfp_tklfp_get_delay (m), w->delay, EN), <=, 1e-12 * max_abs (w->delay, EN));
      g_autofree double *lfp = g_new (double, TE);
      g_assert_cmpint (wslfp_tklfp_compute (m, w->t_spk, w->spike_cells, w->n_spikes, w->t_eval, w->n_times, lfp,
                                            &err), ==, WSLFP_OK);
      double peak = max_abs (w->lfp, TE);
      g_test_message ("network %d: %zu cells, %zu contacts, %zu spikes: largest difference %g of %g", k, w->n_cells,
                      w->n_electrodes, w->n_spikes, max_diff (lfp, w->lfp, TE), peak);
      g_assert_cmpfloat (peak, >, 0.1);
      g_assert_cmpfloat (max_diff (lfp, w->lfp, TE), <=, 1e-12 * peak);
      for (gsize i = 0; i < w->n_thresholds; i++)
        g_assert_cmpfloat (fabs (wslfp_tklfp_min_window_ms (m, w->thresholds[i]) - w->windows[i]), <=,
                           1e-12 * fmax (1.0, w->windows[i]));
      g_assert_cmpfloat (w->windows[w->n_thresholds - 1], ==, 0.0); /* the package's: no uLFP above 10 µV */

      /* reversed times: the same rows */
      g_autofree double *t_rev = g_new (double, w->n_times), *lfp_rev = g_new (double, TE);
      for (gsize i = 0; i < w->n_times; i++)
        t_rev[i] = w->t_eval[w->n_times - 1 - i];
      g_assert_cmpint (wslfp_tklfp_compute (m, w->t_spk, w->spike_cells, w->n_spikes, t_rev, w->n_times, lfp_rev,
                                            &err), ==, WSLFP_OK);
      for (gsize i = 0; i < w->n_times; i++)
        g_assert_cmpmem (lfp_rev + i * w->n_electrodes, w->n_electrodes * sizeof (double),
                         lfp + (w->n_times - 1 - i) * w->n_electrodes, w->n_electrodes * sizeof (double));

      /* from the package's matrices */
      g_autofree double *sigma = g_new (double, w->n_cells);
      for (gsize n = 0; n < w->n_cells; n++)
        sigma[n] = w->excitatory[n] ? 1.5 * 2.1 : 2.1;
      WslfpTklfp *m2 = NULL;
      g_assert_cmpint (wslfp_tklfp_new_from_amplitude (w->amplitude, w->delay, sigma, w->n_electrodes, w->n_cells, &m2,
                                                       &err), ==, WSLFP_OK);
      g_assert_cmpint (wslfp_tklfp_compute (m2, w->t_spk, w->spike_cells, w->n_spikes, w->t_eval, w->n_times, lfp_rev,
                                            &err), ==, WSLFP_OK);
      g_assert_cmpfloat (max_diff (lfp_rev, w->lfp, TE), <=, 1e-12 * peak);
      wslfp_tklfp_free (m2);
      /* from the model's own amplitudes, delays and σ: its LFP to the bit
       * (the same kernel tables, not another way of summing) */
      WslfpTklfpParams p;
      wslfp_tklfp_params_init (&p);
      for (gsize n = 0; n < w->n_cells; n++)
        sigma[n] = w->excitatory[n] ? p.sigma_exc_ms : p.sigma_inh_ms;
      g_assert_cmpint (wslfp_tklfp_new_from_amplitude (wslfp_tklfp_get_amplitude (m), wslfp_tklfp_get_delay (m), sigma,
                                                       w->n_electrodes, w->n_cells, &m2, &err), ==, WSLFP_OK);
      g_assert_cmpint (wslfp_tklfp_compute (m2, w->t_spk, w->spike_cells, w->n_spikes, w->t_eval, w->n_times, lfp_rev,
                                            &err), ==, WSLFP_OK);
      g_assert_cmpmem (lfp_rev, TE * sizeof (double), lfp, TE * sizeof (double));
      wslfp_tklfp_free (m2);

      /* irregular times (no grid: each term its own exponential) against
       * the sum written out from the package's amplitudes and delays */
      gsize T = MIN (w->n_times, 400);
      g_autofree double *t_irr = g_new (double, T), *got = g_new (double, T * w->n_electrodes);
      for (gsize i = 0; i < T; i++)
        t_irr[i] = w->t_eval[i * (w->n_times / T)] + 0.037 * sin ((double) i);
      g_assert_cmpint (wslfp_tklfp_compute (m, w->t_spk, w->spike_cells, w->n_spikes, t_irr, T, got,
                                            &err), ==, WSLFP_OK);
      g_autofree double *want = written_out_sum (w, sigma, t_irr, T);
      g_assert_cmpfloat (max_abs (want, T * w->n_electrodes), >, 0.1);
      g_assert_cmpfloat (max_diff (got, want, T * w->n_electrodes), <=, 1e-12 * max_abs (want, T * w->n_electrodes));
      wslfp_tklfp_free (m);
      network_free (w);
    }
}

/* Cells of many σ (no kernel tables: the recurrence) on a uniform grid,
 * against the sum written out. */
static void
test_tklfp_many_sigmas (void)
{
  Network *w = network_load (1);
  WslfpError err;
  g_autofree double *sigma = g_new (double, w->n_cells);
  for (gsize n = 0; n < w->n_cells; n++)
    sigma[n] = 1.0 + 0.03 * (double) n;
  WslfpTklfp *m = NULL;
  g_assert_cmpint (wslfp_tklfp_new_from_amplitude (w->amplitude, w->delay, sigma, w->n_electrodes, w->n_cells, &m,
                                                   &err), ==, WSLFP_OK);
  gsize T = 500;
  g_autofree double *t = g_new (double, T), *got = g_new (double, T * w->n_electrodes);
  for (gsize i = 0; i < T; i++)
    t[i] = 2.0 + 0.1 * (double) i;
  g_assert_cmpint (wslfp_tklfp_compute (m, w->t_spk, w->spike_cells, w->n_spikes, t, T, got, &err), ==, WSLFP_OK);
  g_autofree double *want = written_out_sum (w, sigma, t, T);
  double peak = max_abs (want, T * w->n_electrodes);
  g_assert_cmpfloat (peak, >, 0.1);
  g_assert_cmpfloat (max_diff (got, want, T * w->n_electrodes), <=, 1e-12 * peak);
  wslfp_tklfp_free (m);
  network_free (w);
}

/* A kernel narrower than the grid's step (it reaches one sample only, on
 * a regular grid and on an irregular one) still lands on that sample:
 * the Gaussian written out. */
static void
test_tklfp_narrow_kernel (void)
{
  const double amplitude = 50, delay = 0, sigma = 0.04; /* reach √(40 · 2σ²) = 0.36 ms */
  const double t_spike = 10.1;
  const gint64 cell = 0;
  WslfpTklfp *m = NULL;
  WslfpError err;
  g_assert_cmpint (wslfp_tklfp_new_from_amplitude (&amplitude, &delay, &sigma, 1, 1, &m, &err), ==, WSLFP_OK);
  enum { T = 21 };
  double t[T], got[T];
  for (int irregular = 0; irregular < 2; irregular++)
    {
      for (int i = 0; i < T; i++)
        t[i] = i + (irregular && i == 3 ? 0.5 : 0.0);
      g_assert_cmpint (wslfp_tklfp_compute (m, &t_spike, &cell, 1, t, T, got, &err), ==, WSLFP_OK);
      for (int i = 0; i < T; i++)
        {
          double want = amplitude * exp (-(t[i] - t_spike) * (t[i] - t_spike) / (2 * sigma * sigma));
          if (fabs (got[i] - want) > 1e-12 * amplitude)
            g_error ("%s grid: at %g ms %g µV, the Gaussian gives %g", irregular ? "irregular" : "regular", t[i],
                     got[i], want);
        }
      g_assert_cmpfloat (got[10], >, 1); /* e^(−0.01/0.0032) · 50 = 2.2 µV */
    }
  wslfp_tklfp_free (m);
}

/* Times as an app or a recording has them (every 3rd of k · 0.1 ms, far
 * from 0, so off a uniform grid by a few ulps: a preview's times) against
 * the sum written out at those very times. */
static void
test_tklfp_rounded_grid (void)
{
  Network *w = network_load (1);
  WslfpError err;
  g_autofree double *sigma = g_new (double, w->n_cells), *t_spk = g_new (double, w->n_spikes);
  for (gsize n = 0; n < w->n_cells; n++)
    sigma[n] = w->excitatory[n] ? 1.5 * 2.1 : 2.1;
  for (gsize k = 0; k < w->n_spikes; k++)
    t_spk[k] = w->t_spk[k] + 4000.0;
  WslfpTklfp *m = NULL;
  g_assert_cmpint (wslfp_tklfp_new_from_amplitude (w->amplitude, w->delay, sigma, w->n_electrodes, w->n_cells, &m,
                                                   &err), ==, WSLFP_OK);
  gsize T = 900;
  g_autofree double *t = g_new (double, T), *got = g_new (double, T * w->n_electrodes);
  for (gsize i = 0; i < T; i++)
    t[i] = (double) (40000 + 3 * i) * 0.1;
  g_assert_cmpint (wslfp_tklfp_compute (m, t_spk, w->spike_cells, w->n_spikes, t, T, got, &err), ==, WSLFP_OK);
  Network shifted = *w;
  shifted.t_spk = t_spk;
  g_autofree double *want = written_out_sum (&shifted, sigma, t, T);
  double peak = max_abs (want, T * w->n_electrodes);
  g_assert_cmpfloat (peak, >, 0.1);
  g_assert_cmpfloat (max_diff (got, want, T * w->n_electrodes), <=, 1e-12 * peak);
  wslfp_tklfp_free (m);
  network_free (w);
}

/* A stream, step by step, equals compute() at each step's time with the
 * spikes given so far: spikes arrive at their own step, some late (given a
 * few steps after their time); a fine step (the recurrence) and a coarse
 * one (exact terms every step). */
static void
test_tklfp_stream (void)
{
  Network *w = network_load (1);
  WslfpError err;
  WslfpTklfp *m = NULL;
  g_assert_cmpint (wslfp_tklfp_new (w->cells, w->n_cells, w->excitatory, w->orientation, w->n_orientations,
                                    w->electrodes, w->n_electrodes, NULL, &m, &err), ==, WSLFP_OK);
  gsize E = w->n_electrodes;
  /* the spikes in time order */
  g_autofree gsize *order = g_new (gsize, w->n_spikes);
  for (gsize s = 0; s < w->n_spikes; s++)
    order[s] = s;
  for (gsize a = 1; a < w->n_spikes; a++)
    for (gsize b = a; b > 0 && w->t_spk[order[b - 1]] > w->t_spk[order[b]]; b--)
      {
        gsize x = order[b];
        order[b] = order[b - 1];
        order[b - 1] = x;
      }
  double t_last = w->t_spk[order[w->n_spikes - 1]];
  const double steps[2] = { 0.1, 1.7 };
  for (int which = 0; which < 2; which++)
    {
      double dt = steps[which], t0 = -3.0;
      WslfpTklfpStream *st = NULL;
      g_assert_cmpint (wslfp_tklfp_stream_new (m, t0, dt, &st, &err), ==, WSLFP_OK);
      g_autofree double *given_t = g_new (double, w->n_spikes);
      g_autofree int64_t *given_c = g_new (int64_t, w->n_spikes);
      g_autofree double *lfp = g_new (double, E), *want = g_new (double, E);
      gsize n_given = 0, next = 0, checked = 0;
      double worst = 0, peak = 0;
      for (gsize k = 0; t0 + (double) k * dt < t_last + 60.0; k++)
        {
          double t = t0 + (double) k * dt;
          g_assert_cmpfloat (wslfp_tklfp_stream_get_time (st), ==, t);
          /* spikes up to t, every fifth of them three steps late */
          gsize from = n_given;
          for (gsize j = next; j < w->n_spikes && w->t_spk[order[j]] <= t; j++, next = j)
            {
              gsize s = order[j];
              if (s % 5 == 0 && w->t_spk[s] > t - 3 * dt)
                break;
              given_t[n_given] = w->t_spk[s];
              given_c[n_given++] = w->spike_cells[s];
            }
          g_assert_cmpint (wslfp_tklfp_stream_step (st, given_c + from, given_t + from, n_given - from, lfp, &err), ==,
                           WSLFP_OK);
          if (k % 7 != 0 && which == 0)
            continue;
          g_assert_cmpint (wslfp_tklfp_compute (m, given_t, given_c, n_given, &t, 1, want, &err), ==, WSLFP_OK);
          peak = fmax (peak, max_abs (want, E));
          worst = fmax (worst, max_diff (lfp, want, E));
          checked++;
        }
      g_assert_cmpuint (n_given, >, w->n_spikes / 2);
      g_test_message ("stream dt %g: %zu steps checked, largest difference %g of %g", dt, checked, worst, peak);
      g_assert_cmpfloat (peak, >, 0.1);
      g_assert_cmpfloat (worst, <=, 1e-12 * peak);
      wslfp_tklfp_stream_free (st);
    }
  /* errors */
  WslfpTklfpStream *st = NULL;
  g_assert_cmpint (wslfp_tklfp_stream_new (m, 0.0, 0.0, &st, &err), ==, WSLFP_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (err.message, "dt_ms"));
  g_assert_null (st);
  g_assert_cmpint (wslfp_tklfp_stream_new (m, 0.0, 0.1, &st, &err), ==, WSLFP_OK);
  int64_t bad = (int64_t) w->n_cells;
  double t_bad = 1.0, out[64];
  g_assert_cmpint (wslfp_tklfp_stream_step (st, &bad, &t_bad, 1, out, &err), ==, WSLFP_ERROR_INDEX);
  g_assert_nonnull (strstr (err.message, "spike 0"));
  bad = 0;
  t_bad = NAN;
  g_assert_cmpint (wslfp_tklfp_stream_step (st, &bad, &t_bad, 1, out, &err), ==, WSLFP_ERROR_NOT_FINITE);
  /* a refused step does not advance the stream */
  g_assert_cmpfloat (wslfp_tklfp_stream_get_time (st), ==, 0.0);
  wslfp_tklfp_stream_free (st);
  wslfp_tklfp_free (m);
  network_free (w);
}

/* A contact exactly on a cell's axis, below or above it (the angle's
 * cosine exactly −1 or 1), gets the amplitude of a contact a nanometre
 * off the axis beside it, which is A0 at h = ∓ its distance (the h the
 * profile fixture covers) times exp (−distance / λ). */
static void
test_tklfp_on_the_axis (void)
{
  double cell[3] = { 0, 0, 0 }, up[3] = { 0, 0, 1 }, down[3] = { 0, 0, -1 };
  WslfpTklfpParams p;
  wslfp_tklfp_params_init (&p);
  for (int excitatory = 0; excitatory < 2; excitatory++)
    for (int flip = 0; flip < 2; flip++)
      {
        /* on the axis below and above (by the orientation), then beside each */
        double contacts[4 * 3] = { 0, 0, -0.25, 0, 0, 0.25, 1e-6, 0, -0.25, 1e-6, 0, 0.25 };
        if (flip)
          for (int k = 2; k < 12; k += 3)
            contacts[k] = -contacts[k];
        bool exc = excitatory;
        WslfpTklfp *m = NULL;
        WslfpError err;
        g_assert_cmpint (wslfp_tklfp_new (cell, 1, &exc, flip ? down : up, 1, contacts, 4, &p, &m, &err), ==,
                         WSLFP_OK);
        const double *a = wslfp_tklfp_get_amplitude (m);
        for (int k = 0; k < 2; k++)
          {
            double h = k == 0 ? -0.25 : 0.25, want = wslfp_tklfp_a0 (exc, h) * exp (-0.25 / p.lambda_mm);
            g_test_message ("%s cell, orientation %s, h = %g mm: %.9g on the axis, %.9g beside it, %.9g wanted",
                            exc ? "excitatory" : "inhibitory", flip ? "down" : "up", h, a[k], a[k + 2], want);
            g_assert_cmpfloat (fabs (want), >, 1e-3);
            g_assert_cmpfloat (fabs (a[k] - want), <=, 1e-12 * fabs (want));
            g_assert_cmpfloat (fabs (a[k + 2] - want), <=, 1e-6 * fabs (want));
          }
        wslfp_tklfp_free (m);
      }
}

/* Bad input is refused, naming what is wrong. */
static void
test_tklfp_errors (void)
{
  double cell[3] = { 0, 0, 0 }, up[3] = { 0, 0, 1 }, zero[3] = { 0, 0, 0 }, contact[3] = { 0, 0, 0.1 };
  bool exc = true;
  WslfpTklfp *m = NULL;
  WslfpError err;
  g_assert_cmpint (wslfp_tklfp_new (cell, 1, &exc, zero, 1, contact, 1, NULL, &m, &err), ==,
                   WSLFP_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (err.message, "orientation[0]"));
  g_assert_cmpint (wslfp_tklfp_new (cell, 1, &exc, up, 2, contact, 1, NULL, &m, &err), ==, WSLFP_ERROR_SHAPE);
  WslfpTklfpParams p;
  wslfp_tklfp_params_init (&p);
  g_assert_cmpfloat (p.sigma_exc_ms, ==, 1.5 * 2.1);
  p.lambda_mm = 0;
  g_assert_cmpint (wslfp_tklfp_new (cell, 1, &exc, up, 1, contact, 1, &p, &m, &err), ==,
                   WSLFP_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (err.message, "lambda_mm"));
  cell[1] = NAN;
  g_assert_cmpint (wslfp_tklfp_new (cell, 1, &exc, up, 1, contact, 1, NULL, &m, &err), ==, WSLFP_ERROR_NOT_FINITE);
  cell[1] = 0;
  g_assert_cmpint (wslfp_tklfp_new (cell, 1, &exc, up, 1, contact, 1, NULL, &m, &err), ==, WSLFP_OK);
  double t_spk[2] = { 1.0, 2.0 }, t[1] = { 12.0 }, lfp[1];
  int64_t who[2] = { 0, 1 };
  g_assert_cmpint (wslfp_tklfp_compute (m, t_spk, who, 2, t, 1, lfp, &err), ==, WSLFP_ERROR_INDEX);
  g_assert_nonnull (strstr (err.message, "spike 1: cell 1"));
  t[0] = NAN;
  g_assert_cmpint (wslfp_tklfp_compute (m, t_spk, who, 1, t, 1, lfp, &err), ==, WSLFP_ERROR_NOT_FINITE);
  /* no spikes: 0 */
  t[0] = 12.0;
  lfp[0] = 1.0;
  g_assert_cmpint (wslfp_tklfp_compute (m, t_spk, who, 0, t, 1, lfp, &err), ==, WSLFP_OK);
  g_assert_cmpfloat (lfp[0], ==, 0.0);
  wslfp_tklfp_free (m);

  /* no cell or no contact; a delay that is not finite */
  g_assert_cmpint (wslfp_tklfp_new (cell, 0, &exc, up, 1, contact, 1, NULL, &m, &err), ==, WSLFP_ERROR_SHAPE);
  g_assert_nonnull (strstr (err.message, "at least one cell and one contact (got 0 and 1)"));
  g_assert_null (m);
  g_assert_cmpint (wslfp_tklfp_new (cell, 1, &exc, up, 1, contact, 0, NULL, &m, &err), ==, WSLFP_ERROR_SHAPE);
  g_assert_nonnull (strstr (err.message, "(got 1 and 0)"));
  wslfp_tklfp_params_init (&p);
  p.delay_ms = INFINITY;
  g_assert_cmpint (wslfp_tklfp_new (cell, 1, &exc, up, 1, contact, 1, &p, &m, &err), ==, WSLFP_ERROR_NOT_FINITE);
  g_assert_nonnull (strstr (err.message, "delay_ms = inf is not finite"));
  /* amplitudes from elsewhere: the same shape rule, and each σ finite and > 0 */
  double amp[2] = { 1.0, -2.0 }, delay[2] = { 0.5, 0.7 }, sigma[2] = { 2.0, 0.0 };
  g_assert_cmpint (wslfp_tklfp_new_from_amplitude (amp, delay, sigma, 1, 0, &m, &err), ==, WSLFP_ERROR_SHAPE);
  g_assert_nonnull (strstr (err.message, "at least one cell and one contact (got 0 and 1)"));
  g_assert_cmpint (wslfp_tklfp_new_from_amplitude (amp, delay, sigma, 1, 2, &m, &err), ==,
                   WSLFP_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (err.message, "sigma_ms[1] = 0 must be finite and > 0"));
  sigma[1] = NAN;
  g_assert_cmpint (wslfp_tklfp_new_from_amplitude (amp, delay, sigma, 1, 2, &m, &err), ==,
                   WSLFP_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (err.message, "sigma_ms[1] = nan"));
  sigma[1] = 1.0;
  delay[0] = NAN;
  g_assert_cmpint (wslfp_tklfp_new_from_amplitude (amp, delay, sigma, 1, 2, &m, &err), ==, WSLFP_ERROR_NOT_FINITE);
  g_assert_nonnull (strstr (err.message, "TKLFP delay"));
  delay[0] = 0.5;
  g_assert_cmpint (wslfp_tklfp_new_from_amplitude (amp, delay, sigma, 1, 2, &m, &err), ==, WSLFP_OK);
  g_assert_cmpmem (wslfp_tklfp_get_amplitude (m), sizeof amp, amp, sizeof amp);
  wslfp_tklfp_free (m);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/tklfp/profiles", test_tklfp_profiles);
  g_test_add_func ("/engine/tklfp/networks", test_tklfp_networks);
  g_test_add_func ("/engine/tklfp/many-sigmas", test_tklfp_many_sigmas);
  g_test_add_func ("/engine/tklfp/narrow-kernel", test_tklfp_narrow_kernel);
  g_test_add_func ("/engine/tklfp/stream", test_tklfp_stream);
  g_test_add_func ("/engine/tklfp/rounded-grid", test_tklfp_rounded_grid);
  g_test_add_func ("/engine/tklfp/on-the-axis", test_tklfp_on_the_axis);
  g_test_add_func ("/engine/tklfp/errors", test_tklfp_errors);
  return g_test_run ();
}
