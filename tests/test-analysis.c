/* test-analysis.c: the CSD and the Welch spectra behind the teaching
 * figures, checked against hand computations and a direct DFT. */
#include <math.h>
#include <string.h>

#include "wslfp-analysis.h"
#include "wslfp-plot.h"
#include "wslfp-test-data.h"

/* φ = z² µV at z in µm: ∂²φ/∂z² = 2 µV/µm² = 2e6 V/m², so with σ = 0.3 S/m
 * the CSD is −0.3 · 2e6 A/m³ = −6e5 A/m³ = −600 µA/mm³ (1 µA/mm³ is
 * 1000 A/m³).  A linear part and a constant (any time course) add
 * nothing inside; the ends follow Vaknin padding. */
static void
test_csd_quadratic (void)
{
  enum { N = 6, T = 3 };
  const double h = 25, z0 = -40;
  double xyz[3 * N], uv[T * N];
  gsize contacts[N];
  for (int e = 0; e < N; e++)
    {
      /* Listed out of depth order, as a probe file may list them. */
      int d = (e * 5) % N;
      xyz[3 * e] = 3;
      xyz[3 * e + 1] = 0;
      xyz[3 * e + 2] = z0 + d * h;
      contacts[e] = e;
      for (int t = 0; t < T; t++)
        {
          double z = xyz[3 * e + 2];
          uv[t * N + e] = (t + 1) * z * z + 7 * z - 100 * t;
        }
    }
  gsize n_depths = 0;
  double *z = NULL, *csd = NULL;
  g_autoptr (GError) error = NULL;
  g_assert_true (wslfp_csd_compute (uv, T, N, xyz, contacts, N, WSLFP_CSD_SIGMA_S_PER_M, &n_depths, &z, &csd, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_depths, ==, N);
  for (int d = 0; d < N; d++)
    g_assert_cmpfloat_with_epsilon (z[d], z0 + d * h, 1e-12);
  for (int t = 0; t < T; t++)
    {
      double a = t + 1;
      for (int d = 1; d < N - 1; d++)
        g_assert_cmpfloat_with_epsilon (csd[t * N + d], -600 * a, 1e-9 * 600 * a);
      /* Bottom: φ(z0 − h) := φ(z0), so the second difference is
       * φ(z1) − φ(z0) over h²; top likewise with the last two. */
      double p0 = a * z0 * z0 + 7 * z0, p1 = a * (z0 + h) * (z0 + h) + 7 * (z0 + h);
      double zt = z0 + (N - 1) * h, zs = zt - h;
      double pt = a * zt * zt + 7 * zt, ps = a * zs * zs + 7 * zs;
      g_assert_cmpfloat_with_epsilon (csd[t * N], -0.3 * (p1 - p0) / (h * h) * 1e3, 1e-9 * 600 * a * N);
      g_assert_cmpfloat_with_epsilon (csd[t * N + N - 1], -0.3 * (ps - pt) / (h * h) * 1e3, 1e-9 * 600 * a * N);
    }
  g_free (z);
  g_free (csd);
}

/* Two columns at each depth (as on a Neuropixels shank) are averaged: a
 * potential odd in x cancels, and the rest is the quadratic's CSD. */
static void
test_csd_columns_averaged (void)
{
  enum { D = 5, N = 2 * D };
  double xyz[3 * N], uv[N];
  gsize contacts[N];
  for (int e = 0; e < N; e++)
    {
      double x = e % 2 ? 16 : -16, z = (e / 2) * 20;
      xyz[3 * e] = x;
      xyz[3 * e + 1] = 0;
      xyz[3 * e + 2] = z + (e % 2 ? 0.2 : 0); /* within 0.5 µm: one depth */
      contacts[e] = e;
      uv[e] = 2 * z * z + 5 * x;
    }
  gsize n = 0;
  double *z = NULL, *csd = NULL;
  g_assert_true (wslfp_csd_compute (uv, 1, N, xyz, contacts, N, 0.3, &n, &z, &csd, NULL));
  g_assert_cmpuint (n, ==, D);
  /* The depths are the pairs' means, 0.1 µm above the even rows: a
   * tolerance for the 0.2 µm offset, which bends the quadratic a little. */
  for (gsize d = 1; d + 1 < n; d++)
    g_assert_cmpfloat_with_epsilon (csd[d], -0.3 * 4 * 1e3, 20);
  g_free (z);
  g_free (csd);
}

static void
test_csd_refused (void)
{
  double xyz[3 * 4] = { 0, 0, 0, 0, 0, 20, 0, 0, 40, 0, 0, 70 }, uv[4] = { 0 };
  gsize contacts[4] = { 0, 1, 2, 3 }, n = 99;
  double *z = NULL, *csd = NULL;
  g_autoptr (GError) error = NULL;
  g_assert_false (wslfp_csd_compute (uv, 1, 4, xyz, contacts, 4, 0.3, &n, &z, &csd, &error));
  g_assert_nonnull (strstr (error->message, "not evenly spaced"));
  g_assert_nonnull (strstr (error->message, "z = 40 and 70"));
  g_assert_null (z);
  g_assert_null (csd);
  g_assert_cmpuint (n, ==, 99);
  g_clear_error (&error);
  /* Two depths (a tetrode's four contacts at two heights): too few. */
  double tet[3 * 4] = { 0, 0, 0, 10, 0, 0, 0, 0, 20, 10, 0, 20 };
  g_assert_false (wslfp_csd_compute (uv, 1, 4, tet, contacts, 4, 0.3, &n, &z, &csd, &error));
  g_assert_nonnull (strstr (error->message, "2 distinct contact depths"));
}

static void
csd_figure_cycle (gconstpointer lfp)
{
  WslfpCsdFigure fig = { 0 };
  g_assert_true (wslfp_csd_figure_init (&fig, lfp, NULL));
  wslfp_csd_figure_clear (&fig);
}

/* A shank the CSD cannot be computed for is left out, with the reason
 * naming it, and the other drawn; making and clearing such figures again
 * and again does not grow the heap (the reason is freed with the figure). */
static void
test_csd_left_out (void)
{
  enum { T = 16, E = 9 };
  double t[T], uv[T * E], xyz[3 * E];
  int shank[E];
  for (int e = 0; e < E; e++)
    {
      shank[e] = e < 5 ? 0 : 1;
      xyz[3 * e] = shank[e] * 200.0;
      xyz[3 * e + 1] = 0;
      xyz[3 * e + 2] = e < 5 ? 20.0 * e : 20.0 * ((e - 5) / 2); /* shank 1: a tetrode, two depths */
    }
  for (int i = 0; i < T; i++)
    {
      t[i] = i * 0.5;
      for (int e = 0; e < E; e++)
        uv[i * E + e] = sin (0.3 * i + e) * (1 + e);
    }
  WslfpTraces lfp = { T, E, t, uv, xyz, shank, 2, NULL, NULL };
  WslfpCsdFigure fig = { 0 };
  g_autoptr (GError) error = NULL;
  g_assert_true (wslfp_csd_figure_init (&fig, &lfp, &error));
  g_assert_no_error (error);
  g_assert_nonnull (fig.left_out);
  g_assert_true (g_str_has_prefix (fig.left_out, "shank 1: "));
  g_assert_cmpint (fig.traces.n_shanks, ==, 1);
  wslfp_csd_figure_clear (&fig);
  wslfp_test_assert_no_growth ("making and clearing a CSD figure", csd_figure_cycle, &lfp, 300);
}

/* Welch by the definition: a direct DFT of each windowed, mean-removed
 * segment, without FFTW. */
static void
direct_welch (const double *x, gsize n, gsize seg, double fs, double *psd)
{
  gsize nf = seg / 2 + 1, count = 0;
  double wsum = 0;
  for (gsize i = 0; i < seg; i++)
    {
      double w = pow (sin (G_PI * i / seg), 2); /* = 0.5 − 0.5 cos(2πi/N) */
      wsum += w * w;
    }
  memset (psd, 0, nf * sizeof (double));
  for (gsize s0 = 0; s0 + seg <= n; s0 += seg / 2, count++)
    {
      double mean = 0;
      for (gsize i = 0; i < seg; i++)
        mean += x[s0 + i] / seg;
      for (gsize k = 0; k < nf; k++)
        {
          double re = 0, im = 0;
          for (gsize i = 0; i < seg; i++)
            {
              double v = (x[s0 + i] - mean) * pow (sin (G_PI * i / seg), 2);
              re += v * cos (2 * G_PI * k * i / seg);
              im -= v * sin (2 * G_PI * k * i / seg);
            }
          psd[k] += (re * re + im * im) * (k == 0 || k == seg / 2 ? 1 : 2);
        }
    }
  for (gsize k = 0; k < nf; k++)
    psd[k] /= fs * wsum * count;
}

static void
test_welch_direct (void)
{
  enum { N = 300 };
  double x[2 * N];
  GRand *rand = g_rand_new_with_seed (7);
  for (gsize i = 0; i < N; i++)
    x[2 * i] = g_rand_double_range (rand, -1, 1) + 3, x[2 * i + 1] = NAN; /* strided: odd samples unused */
  g_rand_free (rand);
  gsize seg = wslfp_welch_segment_length (N);
  g_assert_cmpuint (seg, ==, 64);
  double a[N], b[N];
  for (gsize i = 0; i < N; i++)
    a[i] = x[2 * i];
  g_autoptr (WslfpWelch) w = wslfp_welch_new (seg, 2000);
  g_assert_cmpuint (wslfp_welch_n_freqs (w), ==, 33);
  g_assert_cmpfloat_with_epsilon (wslfp_welch_df_hz (w), 2000.0 / 64, 1e-12);
  wslfp_welch_run (w, x, N, 2, b);
  double ref[33];
  direct_welch (a, N, seg, 2000, ref);
  for (gsize k = 0; k < 33; k++)
    g_assert_cmpfloat_with_epsilon (b[k], ref[k], 1e-12 * (1 + ref[k]));
}

/* A sine of amplitude A on a frequency bin: the peak is at its frequency
 * and the spectrum's integral is its mean power A²/2. */
static void
test_welch_sine (void)
{
  enum { N = 5000 };
  const double fs = 10000, f0 = 40 * fs / 1024, A = 3;
  g_autofree double *x = g_new (double, N);
  for (gsize i = 0; i < N; i++)
    x[i] = 0.5 + A * sin (2 * G_PI * f0 * i / fs);
  gsize seg = wslfp_welch_segment_length (N);
  g_assert_cmpuint (seg, ==, 1024);
  g_autoptr (WslfpWelch) w = wslfp_welch_new (seg, fs);
  gsize nf = wslfp_welch_n_freqs (w), peak = 0;
  g_autofree double *psd = g_new (double, nf);
  wslfp_welch_run (w, x, N, 1, psd);
  double total = 0;
  for (gsize k = 0; k < nf; k++)
    {
      total += psd[k] * wslfp_welch_df_hz (w);
      if (psd[k] > psd[peak])
        peak = k;
    }
  g_assert_cmpuint (peak, ==, 40);
  g_assert_cmpfloat_with_epsilon (total, A * A / 2, 1e-9 * A * A);
  /* The mean (0.5) is removed: nothing at DC beyond the window's leakage. */
  g_assert_cmpfloat (psd[0], <, 1e-6 * psd[peak]);
}

/* White noise of variance s² has the flat one-sided density 2 s² / fs. */
static void
test_welch_white (void)
{
  enum { N = 1 << 16 };
  const double fs = 1000;
  g_autofree double *x = g_new (double, N);
  GRand *rand = g_rand_new_with_seed (11);
  for (gsize i = 0; i < N; i++)
    x[i] = g_rand_double_range (rand, -1, 1); /* variance 1/3 */
  g_rand_free (rand);
  g_autoptr (WslfpWelch) w = wslfp_welch_new (wslfp_welch_segment_length (N), fs);
  gsize nf = wslfp_welch_n_freqs (w);
  g_autofree double *psd = g_new (double, nf);
  wslfp_welch_run (w, x, N, 1, psd);
  double mean = 0;
  for (gsize k = 1; k + 1 < nf; k++)
    mean += psd[k] / (nf - 2);
  g_assert_cmpfloat_with_epsilon (mean, 2.0 / 3 / fs, 0.03 * 2.0 / 3 / fs);
}

static void
test_welch_segments (void)
{
  g_assert_cmpuint (wslfp_welch_segment_length (10), ==, 10);
  g_assert_cmpuint (wslfp_welch_segment_length (35), ==, 35);
  g_assert_cmpuint (wslfp_welch_segment_length (36), ==, 8);
  for (gsize n = 36; n < 20000; n += 37)
    {
      gsize seg = wslfp_welch_segment_length (n);
      g_assert_cmpuint (seg & (seg - 1), ==, 0);
      g_assert_cmpuint ((n - seg) / (seg / 2) + 1, >=, 8); /* at least 8 segments */
      g_assert_cmpuint ((n - 2 * seg) / seg + 1, <, 8);    /* twice as long gives fewer */
    }
}

/* The sampling rate of evenly spaced times; uneven, too few or not
 * increasing times are errors that say so. */
static void
test_sampling_rate (void)
{
  double t[5] = { 0, 0.1, 0.2, 0.3, 0.4 }, fs = 0;
  g_assert_true (wslfp_sampling_rate (t, 5, &fs, NULL));
  g_assert_cmpfloat_with_epsilon (fs, 10000, 1e-6);
  t[3] = 0.35;
  g_autoptr (GError) error = NULL;
  g_assert_false (wslfp_sampling_rate (t, 5, &fs, &error));
  g_assert_nonnull (strstr (error->message, "not evenly spaced"));
  g_assert_nonnull (strstr (error->message, "from 0.2 to 0.35 ms"));
  g_clear_error (&error);
  g_assert_false (wslfp_sampling_rate (t, 1, &fs, &error));
  g_assert_nonnull (strstr (error->message, "at least two sample times, increasing"));
  g_clear_error (&error);
  /* two times, the second earlier or the same: no rate (not a negative
   * or infinite one) */
  const double back[2] = { 1, 0.5 }, same[2] = { 1, 1 };
  fs = 0;
  g_assert_false (wslfp_sampling_rate (back, 2, &fs, &error));
  g_assert_nonnull (strstr (error->message, "increasing"));
  g_clear_error (&error);
  g_assert_false (wslfp_sampling_rate (same, 2, &fs, &error));
  g_assert_nonnull (strstr (error->message, "increasing"));
  g_assert_cmpfloat (fs, ==, 0);
}

/* The spectrum's axes: whole decades, the peak inside, at most 8 below. */
static void
test_spectra_range (void)
{
  double f[4] = { 0, 10, 20, 30 }, psd[8] = { 1e9, 3e-2, 1e-14, 5e-3, 0, 2e-3, 7e-4, 0 };
  int panel[2] = { 0, 0 };
  WslfpSpectra sp = { 4, f, 2, psd, panel, 1 };
  double f_lo, f_hi, p_lo, p_hi;
  wslfp_spectra_range (&sp, &f_lo, &f_hi, &p_lo, &p_hi);
  g_assert_cmpfloat (f_lo, ==, 10); /* DC (1e9 here) is not shown */
  g_assert_cmpfloat (f_hi, ==, 30);
  g_assert_cmpfloat_with_epsilon (p_hi, 0.1, 1e-15);
  g_assert_cmpfloat_with_epsilon (p_lo, 1e-9, 1e-20);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/analysis/csd-quadratic", test_csd_quadratic);
  g_test_add_func ("/analysis/csd-columns-averaged", test_csd_columns_averaged);
  g_test_add_func ("/analysis/csd-refused", test_csd_refused);
  g_test_add_func ("/analysis/csd-left-out", test_csd_left_out);
  g_test_add_func ("/analysis/welch-direct", test_welch_direct);
  g_test_add_func ("/analysis/welch-sine", test_welch_sine);
  g_test_add_func ("/analysis/welch-white", test_welch_white);
  g_test_add_func ("/analysis/welch-segments", test_welch_segments);
  g_test_add_func ("/analysis/sampling-rate", test_sampling_rate);
  g_test_add_func ("/analysis/spectra-range", test_spectra_range);
  return g_test_run ();
}
