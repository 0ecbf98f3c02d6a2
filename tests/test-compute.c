/* test-compute.c: the batch LFP against the Python package, and its
 * properties (linearity, delays, windows, strictness, bad input). */
#include <glib.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "wslfp.h"
#include "wslfp-test-data.h"

static const char *profile_names[] = { "mazzoni15", "mazzoni15_single", "aussel18" };

typedef struct
{
  WslfpTestCase *c;
  WslfpCurrents ampa, gaba;
  WslfpOptions options;
} Fixture;

static WslfpModel *
case_model (const WslfpTestCase *c, const char *profile_name, gboolean population)
{
  WslfpGeometry g;
  WslfpProfile *p;
  WslfpModel *m;

  wslfp_geometry_init (&g);
  g.electrodes_um = c->electrodes;
  g.n_electrodes = c->n_electrodes;
  g.sources_um = c->sources;
  g.n_sources = c->n_sources;
  g.orientation = c->orientation;
  g.n_orientations = c->n_sources;
  g.dendrite_length_um = c->lengths;
  g.n_lengths = c->n_sources;
  p = wslfp_test_fixture_profile (profile_name); /* the fixtures' rule */
  g_assert_cmpint (wslfp_model_new (&g, p, population, &m, NULL), ==, WSLFP_OK);
  wslfp_profile_free (p);
  return m;
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  f->c = wslfp_test_case_load ();
  wslfp_currents_init (&f->ampa, f->c->t_ampa, f->c->n_ampa, f->c->i_ampa, f->c->n_sources);
  wslfp_currents_init (&f->gaba, f->c->t_gaba, f->c->n_gaba, f->c->i_gaba, f->c->n_sources);
  wslfp_options_init (&f->options);
  g_assert_cmpfloat (f->options.alpha, ==, wslfp_test_read_attr ("small_case.h5", "/expected", "alpha"));
  g_assert_cmpfloat (f->options.tau_ampa_ms, ==, wslfp_test_read_attr ("small_case.h5", "/expected", "tau_ampa_ms"));
  g_assert_cmpfloat (f->options.tau_gaba_ms, ==, wslfp_test_read_attr ("small_case.h5", "/expected", "tau_gaba_ms"));
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  wslfp_test_case_free (f->c);
}

static double *
compute (Fixture *f, const WslfpModel *m, const double *t_eval, gsize n_eval)
{
  WslfpError err;
  double *out = g_new (double, n_eval * wslfp_model_get_n_electrodes (m));
  if (wslfp_compute (m, &f->ampa, &f->gaba, t_eval, n_eval, &f->options, out, &err) != WSLFP_OK)
    g_error ("wslfp_compute: %s", err.message);
  return out;
}

static void
assert_matches (const double *got, const char *profile, const char *name, gsize n_expected)
{
  g_autofree char *path = g_strdup_printf ("/expected/%s/%s", profile, name);
  gsize rows, cols;
  g_autofree double *want = wslfp_test_read ("small_case.h5", path, &rows, &cols);
  g_assert_cmpuint (rows * cols, ==, n_expected);
  double rel = wslfp_test_rel_error (got, want, rows * cols);
  if (rel > 1e-9)
    g_error ("%s: relative error %g", path, rel);
}

/* raw, lfp_uV, raw_out_of_range and population_lfp_uV for every profile. */
static void
test_compute_small_case (Fixture *f, gconstpointer data)
{
  gsize E = f->c->n_electrodes;

  for (guint k = 0; k < G_N_ELEMENTS (profile_names); k++)
    {
      WslfpModel *m = case_model (f->c, profile_names[k], FALSE);
      f->options.normalize = FALSE;
      g_autofree double *raw = compute (f, m, f->c->t_eval, f->c->n_eval);
      assert_matches (raw, profile_names[k], "raw", f->c->n_eval * E);
      g_autofree double *oor = compute (f, m, f->c->t_eval_oor, f->c->n_eval_oor);
      assert_matches (oor, profile_names[k], "raw_out_of_range", f->c->n_eval_oor * E);
      f->options.normalize = TRUE;
      g_autofree double *lfp = compute (f, m, f->c->t_eval, f->c->n_eval);
      assert_matches (lfp, profile_names[k], "lfp_uV", f->c->n_eval * E);
      wslfp_model_free (m);

      m = case_model (f->c, profile_names[k], TRUE);
      g_autofree double *pop = compute (f, m, f->c->t_eval, f->c->n_eval);
      assert_matches (pop, profile_names[k], "population_lfp_uV", f->c->n_eval * E);
      wslfp_model_free (m);
    }
}

/* Giving only the rows wslfp_currents_rows_needed() names gives the same
 * result as the whole matrix; one row fewer is an error. */
static void
test_compute_window (Fixture *f, gconstpointer data)
{
  WslfpModel *m = case_model (f->c, "mazzoni15", FALSE);
  gsize E = f->c->n_electrodes, S = f->c->n_sources;
  const double *t_eval = f->c->t_eval + 40;
  gsize n_eval = 20;
  size_t a0, an, g0, gn;
  WslfpError err;

  f->options.normalize = FALSE;
  g_autofree double *whole = compute (f, m, t_eval, n_eval);
  g_assert_cmpint (wslfp_currents_rows_needed (f->c->t_ampa, f->c->n_ampa, t_eval, n_eval, 6.0, &a0, &an, &err), ==, WSLFP_OK);
  g_assert_cmpint (wslfp_currents_rows_needed (f->c->t_gaba, f->c->n_gaba, t_eval, n_eval, 0.0, &g0, &gn, &err), ==, WSLFP_OK);
  g_assert_cmpuint (an, >, 0);
  g_assert_cmpuint (an, <, f->c->n_ampa / 2);
  f->ampa.first_row = a0;
  f->ampa.n_rows = an;
  f->ampa.values = f->c->i_ampa + a0 * S;
  f->gaba.first_row = g0;
  f->gaba.n_rows = gn;
  f->gaba.values = f->c->i_gaba + g0 * S;
  g_autofree double *windowed = compute (f, m, t_eval, n_eval);
  g_assert_cmpmem (windowed, n_eval * E * sizeof (double), whole, n_eval * E * sizeof (double));

  f->ampa.n_rows = an - 1;
  double *out = g_new (double, n_eval * E);
  g_assert_cmpint (wslfp_compute (m, &f->ampa, &f->gaba, t_eval, n_eval, &f->options, out, &err), ==, WSLFP_ERROR_SHAPE);
  g_assert_nonnull (strstr (err.message, "ampa current rows"));
  g_free (out);
  wslfp_model_free (m);
}

/* On the sample grid the LFP is linear in the currents; off the grid PCHIP
 * is still homogeneous (scaling the currents scales the LFP), and the LFP
 * is affine in alpha. */
static void
test_compute_linearity (Fixture *f, gconstpointer data)
{
  WslfpModel *m = case_model (f->c, "aussel18", FALSE);
  gsize E = f->c->n_electrodes, S = f->c->n_sources, T = f->c->n_ampa;
  g_autofree double *t_eval = g_new (double, T);
  g_autofree double *i2 = g_new (double, T * S);
  g_autofree double *sum = g_new (double, T * S);

  f->options.normalize = FALSE;
  f->options.tau_ampa_ms = 0.0;
  memcpy (t_eval, f->c->t_ampa, T * sizeof (double));
  for (gsize i = 0; i < T * S; i++)
    {
      i2[i] = sin (0.37 * i) * 3.0;
      sum[i] = 2.0 * f->c->i_ampa[i] - 0.5 * i2[i];
    }

  /* On the grid, AMPA only: I ↦ LFP is linear. */
  g_autofree double *lin = g_new (double, T * E);
  WslfpError err;
  g_autofree double *a1 = g_new (double, T * E);
  g_autofree double *a2 = g_new (double, T * E);
  g_autofree double *a3 = g_new (double, T * E);
  WslfpCurrents c1 = f->ampa, c2 = f->ampa, c3 = f->ampa;
  c1.values = f->c->i_ampa;
  c2.values = i2;
  c3.values = sum;
  g_assert_cmpint (wslfp_compute (m, &c1, NULL, t_eval, T, &f->options, a1, &err), ==, WSLFP_OK);
  g_assert_cmpint (wslfp_compute (m, &c2, NULL, t_eval, T, &f->options, a2, &err), ==, WSLFP_OK);
  g_assert_cmpint (wslfp_compute (m, &c3, NULL, t_eval, T, &f->options, a3, &err), ==, WSLFP_OK);
  for (gsize i = 0; i < T * E; i++)
    lin[i] = 2.0 * a1[i] - 0.5 * a2[i];
  g_assert_cmpfloat (wslfp_test_rel_error (a3, lin, T * E), <=, 1e-12);

  /* Homogeneity off the grid, with both currents and the fixture's times. */
  wslfp_currents_init (&f->gaba, f->c->t_gaba, f->c->n_gaba, f->c->i_gaba, S);
  f->ampa.values = f->c->i_ampa;
  f->options.tau_ampa_ms = 6.0;
  g_autofree double *base = compute (f, m, f->c->t_eval, f->c->n_eval);
  g_autofree double *ia3 = g_new (double, T * S);
  g_autofree double *ig3 = g_new (double, f->c->n_gaba * S);
  g_autofree double *scaled = NULL;
  /* (tiny scales too: every slope's sign, end slopes included, must not
   * depend on the slope's size) */
  const double scales[] = { -3.0, 1e-4, -2e-6 };
  for (guint k = 0; k < G_N_ELEMENTS (scales); k++)
    {
      for (gsize i = 0; i < T * S; i++)
        ia3[i] = scales[k] * f->c->i_ampa[i];
      for (gsize i = 0; i < f->c->n_gaba * S; i++)
        ig3[i] = scales[k] * f->c->i_gaba[i];
      f->ampa.values = ia3;
      f->gaba.values = ig3;
      g_free (scaled);
      scaled = compute (f, m, f->c->t_eval, f->c->n_eval);
      for (gsize i = 0; i < f->c->n_eval * E; i++)
        scaled[i] /= scales[k];
      g_assert_cmpfloat (wslfp_test_rel_error (scaled, base, f->c->n_eval * E), <=, 1e-12);
    }

  /* Affine in alpha: raw(α) = raw(0) − α · (raw(0) − raw(1)). */
  f->ampa.values = f->c->i_ampa;
  f->gaba.values = f->c->i_gaba;
  f->options.alpha = 0.0;
  g_autofree double *r_a0 = compute (f, m, f->c->t_eval, f->c->n_eval);
  f->options.alpha = 1.0;
  g_autofree double *r_a1 = compute (f, m, f->c->t_eval, f->c->n_eval);
  for (gsize i = 0; i < f->c->n_eval * E; i++)
    scaled[i] = r_a0[i] - 1.65 * (r_a0[i] - r_a1[i]);
  g_assert_cmpfloat (wslfp_test_rel_error (scaled, base, f->c->n_eval * E), <=, 1e-12);
  wslfp_model_free (m);
}

/* A delay only shifts the output in time: LFP(t; τ + δ) = LFP(t − δ; τ). */
static void
test_compute_delay_shifts (Fixture *f, gconstpointer data)
{
  WslfpModel *m = case_model (f->c, "mazzoni15_single", FALSE);
  gsize E = f->c->n_electrodes, n = f->c->n_eval;
  g_autofree double *shifted_t = g_new (double, n);
  const double delta = 2.5;

  f->options.normalize = FALSE;
  for (gsize i = 0; i < n; i++)
    shifted_t[i] = f->c->t_eval[i] - delta;
  g_autofree double *early = compute (f, m, shifted_t, n);
  f->options.tau_ampa_ms += delta;
  f->options.tau_gaba_ms += delta;
  g_autofree double *late = compute (f, m, f->c->t_eval, n);
  g_assert_cmpfloat (wslfp_test_rel_error (late, early, n * E), <=, 1e-12);
  /* and the delay matters: the unshifted result differs */
  f->options.tau_ampa_ms -= delta;
  f->options.tau_gaba_ms -= delta;
  g_autofree double *plain = compute (f, m, f->c->t_eval, n);
  g_assert_cmpfloat (wslfp_test_rel_error (plain, late, n * E), >, 1e-3);
  wslfp_model_free (m);
}

/* Strict mode names the needed and provided ranges; lenient mode treats
 * the outside as zero current. */
static void
test_compute_strict (Fixture *f, gconstpointer data)
{
  WslfpModel *m = case_model (f->c, "mazzoni15", FALSE);
  WslfpError err;
  g_autofree double *out = g_new (double, MAX (f->c->n_eval_oor, f->c->n_eval) * f->c->n_electrodes);

  f->options.strict = TRUE;
  g_assert_cmpint (wslfp_compute (m, &f->ampa, &f->gaba, f->c->t_eval_oor, f->c->n_eval_oor, &f->options, out, &err),
                   ==, WSLFP_ERROR_OUT_OF_RANGE);
  g_assert_nonnull (strstr (err.message, "needed range"));
  g_assert_nonnull (strstr (err.message, "provided [0.2245602"));
  g_assert_nonnull (strstr (err.message, "t_eval_ms[0]"));
  /* the fixture's in-range times pass */
  g_assert_cmpint (wslfp_compute (m, &f->ampa, &f->gaba, f->c->t_eval, f->c->n_eval, &f->options, out, &err), ==, WSLFP_OK);
  wslfp_model_free (m);
}

static void
one_source_model (WslfpModel **m)
{
  const double e[] = { 0, 0, 300 };
  const double s[] = { 0, 0, 0 };
  WslfpGeometry g;
  WslfpProfile *p;
  wslfp_geometry_init (&g);
  g.electrodes_um = e;
  g.n_electrodes = 1;
  g.sources_um = s;
  g.n_sources = 1;
  wslfp_profile_new (WSLFP_PROFILE_AUSSEL18, &p, NULL);
  g_assert_cmpint (wslfp_model_new (&g, p, FALSE, m, NULL), ==, WSLFP_OK);
  wslfp_profile_free (p);
}

/* The interpolated LFP at a time does not depend on the times asked before
 * it in the same call (the engine keeps the slopes of the last interval):
 * every pair of intervals, in both orders, and every interval after its
 * predecessor, give what a call with that time alone gives. */
static void
test_compute_interpolation_order (void)
{
  WslfpModel *m;
  WslfpOptions o;
  WslfpCurrents c;
  WslfpError err;
  one_source_model (&m);
  wslfp_options_init (&o);
  o.normalize = FALSE;
  o.tau_ampa_ms = 0.0;
  enum { N = 9 };
  double t[N], y[N], mid[N - 1], alone[N - 1];
  for (int k = 0; k < N; k++)
    {
      t[k] = k * 1.0 + (k % 3) * 0.3;       /* uneven steps */
      y[k] = sin (1.7 * k) + 0.2 * k * k;   /* neither monotone nor smooth */
    }
  wslfp_currents_init (&c, t, N, y, 1);
  for (int k = 0; k < N - 1; k++)
    {
      mid[k] = t[k] + 0.37 * (t[k + 1] - t[k]);
      g_assert_cmpint (wslfp_compute (m, &c, NULL, &mid[k], 1, &o, &alone[k], &err), ==, WSLFP_OK);
    }
  for (int i = 0; i < N - 1; i++)
    for (int j = 0; j < N - 1; j++)
      {
        double q[2] = { mid[i], mid[j] }, out[2];
        g_assert_cmpint (wslfp_compute (m, &c, NULL, q, 2, &o, out, &err), ==, WSLFP_OK);
        if (out[0] != alone[i] || out[1] != alone[j])
          g_error ("intervals %d then %d: %.17g, %.17g; alone %.17g, %.17g", i, j, out[0], out[1], alone[i], alone[j]);
      }
  wslfp_model_free (m);
}

/* A time within 1e-9 of the sample spacing of a sample is that sample (its
 * value exactly); one further off is interpolated — on fine and on coarse
 * grids, on either side of the sample. */
static void
test_compute_snap_tolerance (void)
{
  WslfpModel *m;
  WslfpOptions o;
  WslfpCurrents c;
  WslfpError err;
  one_source_model (&m);
  double a = wslfp_model_get_amplitude (m)[0];
  wslfp_options_init (&o);
  o.normalize = FALSE;
  o.tau_ampa_ms = 0.0;
  const double spacings[] = { 0.025, 0.1, 1.0, 40.0 };
  for (guint k = 0; k < G_N_ELEMENTS (spacings); k++)
    {
      double h = spacings[k], t[5], y[5];
      for (int i = 0; i < 5; i++)
        t[i] = 100 + i * h, y[i] = 1.0 + i * i; /* a slope at every sample */
      wslfp_currents_init (&c, t, 5, y, 1);
      for (int side = -1; side <= 1; side += 2)
        {
          double near = t[2] + side * 0.4e-9 * h, far = t[2] + side * 5e-9 * h, out;
          g_assert_cmpint (wslfp_compute (m, &c, NULL, &near, 1, &o, &out, &err), ==, WSLFP_OK);
          if (out != a * y[2])
            g_error ("h = %g: %g off the sample gives %.17g, not the sample's %.17g", h, near - t[2], out, a * y[2]);
          g_assert_cmpint (wslfp_compute (m, &c, NULL, &far, 1, &o, &out, &err), ==, WSLFP_OK);
          if (out == a * y[2] || fabs (out - a * y[2]) > 1e-6 * fabs (a))
            g_error ("h = %g: %g off the sample gives %.17g; expected an interpolation near %.17g", h, far - t[2], out,
                     a * y[2]);
        }
    }
  wslfp_model_free (m);
}

/* Hand-checkable interpolation cases: two samples interpolate linearly;
 * one sample is a value at that time only; none is zero; a time a hair
 * past the last sample is that sample; PCHIP keeps monotone data monotone. */
static void
test_compute_small_grids (void)
{
  WslfpModel *m;
  WslfpOptions o;
  WslfpCurrents c;
  WslfpError err;
  one_source_model (&m);
  double a = wslfp_model_get_amplitude (m)[0];
  wslfp_options_init (&o);
  o.normalize = FALSE;
  o.tau_ampa_ms = 0.0;

  const double t2[] = { 1.0, 3.0 }, y2[] = { 2.0, 6.0 };
  const double q[] = { 0.5, 1.0, 1.5, 2.0, 3.0, 3.0 + 1e-12, 3.5 };
  const double want2[] = { 0, 2, 3, 4, 6, 6, 0 };
  double out[7];
  wslfp_currents_init (&c, t2, 2, y2, 1);
  g_assert_cmpint (wslfp_compute (m, &c, NULL, q, 7, &o, out, &err), ==, WSLFP_OK);
  for (int i = 0; i < 7; i++)
    g_assert_cmpfloat_with_epsilon (out[i], a * want2[i], 1e-12 * fabs (a) * 6);

  const double t1[] = { 2.0 }, y1[] = { 5.0 };
  wslfp_currents_init (&c, t1, 1, y1, 1);
  g_assert_cmpint (wslfp_compute (m, &c, NULL, q, 7, &o, out, &err), ==, WSLFP_OK);
  for (int i = 0; i < 7; i++)
    g_assert_cmpfloat (out[i], ==, i == 3 ? a * 5.0 : 0.0);

  wslfp_currents_init (&c, NULL, 0, NULL, 1);
  g_assert_cmpint (wslfp_compute (m, &c, NULL, q, 7, &o, out, &err), ==, WSLFP_OK);
  for (int i = 0; i < 7; i++)
    g_assert_cmpfloat (out[i], ==, 0.0);
  o.strict = TRUE;
  g_assert_cmpint (wslfp_compute (m, &c, NULL, q, 7, &o, out, &err), ==, WSLFP_ERROR_OUT_OF_RANGE);
  g_assert_nonnull (strstr (err.message, "no samples"));
  o.strict = FALSE;

  /* start + k·dt: 3 · 0.1 lands a hair past the sample 0.3 in floating
   * point, and must still count as that (last) sample in strict mode. */
  double grid[4], vals[4], evals[4], out4[4];
  for (int k = 0; k < 4; k++)
    {
      grid[k] = k / 10.0;
      vals[k] = k * k;
      evals[k] = 0.0 + k * 0.1;
    }
  g_assert_cmpfloat (evals[3], >, grid[3]);
  wslfp_currents_init (&c, grid, 4, vals, 1);
  o.strict = TRUE;
  g_assert_cmpint (wslfp_compute (m, &c, NULL, evals, 4, &o, out4, &err), ==, WSLFP_OK);
  g_assert_cmpfloat (out4[3], ==, a * 9.0);
  const double past = 0.3 + 1e-6;
  g_assert_cmpint (wslfp_compute (m, &c, NULL, &past, 1, &o, out4, &err), ==, WSLFP_ERROR_OUT_OF_RANGE);
  /* The same a hair before the first sample (rounding in t − τ) is the
   * first sample; a real step before it is outside. */
  const double t_first[] = { 0.7, 0.8, 0.9 }, y_first[] = { 4.0, 5.0, 6.0 };
  wslfp_currents_init (&c, t_first, 3, y_first, 1);
  o.tau_ampa_ms = 0.7;
  const double early = 1.4 - 1e-12;
  g_assert_cmpfloat (early - o.tau_ampa_ms, <, t_first[0]);
  g_assert_cmpint (wslfp_compute (m, &c, NULL, &early, 1, &o, out4, &err), ==, WSLFP_OK);
  g_assert_cmpfloat (out4[0], ==, a * 4.0);
  const double too_early = 0.7 + 0.7 - 1e-6;
  g_assert_cmpint (wslfp_compute (m, &c, NULL, &too_early, 1, &o, out4, &err), ==, WSLFP_ERROR_OUT_OF_RANGE);
  o.strict = FALSE;
  g_assert_cmpint (wslfp_compute (m, &c, NULL, &too_early, 1, &o, out4, &err), ==, WSLFP_OK);
  g_assert_cmpfloat (out4[0], ==, 0.0);
  o.strict = TRUE;
  o.tau_ampa_ms = 0.0;

  /* monotone data, monotone interpolant (a step in the middle) */
  double steps[8] = { 0, 0, 0, 1, 1, 1, 5, 5 }, ts[8] = { 0, 1, 2, 3, 4, 5, 6, 7 };
  wslfp_currents_init (&c, ts, 8, steps, 1);
  double fine_t[141], fine[141];
  for (int i = 0; i <= 140; i++)
    fine_t[i] = i * 0.05;
  g_assert_cmpint (wslfp_compute (m, &c, NULL, fine_t, 141, &o, fine, &err), ==, WSLFP_OK);
  for (int i = 1; i <= 140; i++)
    {
      double v0 = fine[i - 1] / a, v1 = fine[i] / a;
      g_assert_cmpfloat (v1, >=, v0 - 1e-12);
      g_assert_cmpfloat (v1, >=, -1e-12);
      g_assert_cmpfloat (v1, <=, 5 + 1e-12);
    }
  g_assert_cmpfloat_with_epsilon (fine[20] / a, 0.0, 1e-14); /* flat stays flat */
  wslfp_model_free (m);
}

static void
expect_compute_error (const WslfpModel *m, const WslfpCurrents *ampa, const WslfpCurrents *gaba,
                      const double *t_eval, gsize n_eval, const WslfpOptions *o, WslfpStatus status,
                      const char *fragment)
{
  WslfpError err;
  g_autofree double *out = g_new0 (double, MAX (n_eval, 1) * wslfp_model_get_n_electrodes (m));
  g_assert_cmpint (wslfp_compute (m, ampa, gaba, t_eval, n_eval, o, out, &err), ==, status);
  if (strstr (err.message, fragment) == NULL)
    g_error ("message \"%s\" does not name \"%s\"", err.message, fragment);
}

static void
test_compute_bad_input (Fixture *f, gconstpointer data)
{
  WslfpModel *m = case_model (f->c, "mazzoni15", FALSE);
  const double *te = f->c->t_eval;
  gsize ne = f->c->n_eval, S = f->c->n_sources;
  WslfpCurrents c;

  /* NaN and infinity in the currents, named by row and column */
  f->c->i_ampa[40 * S + 3] = NAN;
  expect_compute_error (m, &f->ampa, &f->gaba, te, ne, &f->options, WSLFP_ERROR_NOT_FINITE, "ampa currents [40][3]");
  f->c->i_ampa[40 * S + 3] = 0.1;
  f->c->i_gaba[50 * S + 5] = -INFINITY;
  expect_compute_error (m, &f->ampa, &f->gaba, te, ne, &f->options, WSLFP_ERROR_NOT_FINITE, "gaba currents [50][5]");
  f->c->i_gaba[50 * S + 5] = 0.1;
  /* times */
  double saved = f->c->t_ampa[17];
  f->c->t_ampa[17] = f->c->t_ampa[16];
  expect_compute_error (m, &f->ampa, &f->gaba, te, ne, &f->options, WSLFP_ERROR_NOT_INCREASING, "ampa t_ms[17]");
  f->c->t_ampa[17] = NAN;
  expect_compute_error (m, &f->ampa, &f->gaba, te, ne, &f->options, WSLFP_ERROR_NOT_FINITE, "ampa t_ms[17]");
  f->c->t_ampa[17] = saved;
  g_autofree double *bad_eval = g_memdup2 (te, ne * sizeof (double));
  bad_eval[9] = INFINITY;
  expect_compute_error (m, &f->ampa, &f->gaba, bad_eval, ne, &f->options, WSLFP_ERROR_NOT_FINITE, "t_eval_ms[9]");
  /* shapes */
  c = f->gaba;
  c.n_sources = S - 1;
  expect_compute_error (m, &f->ampa, &c, te, ne, &f->options, WSLFP_ERROR_SHAPE, "gaba currents have 5 sources");
  c = f->gaba;
  c.first_row = 10;
  expect_compute_error (m, &f->ampa, &c, te, ne, &f->options, WSLFP_ERROR_SHAPE, "window");
  c = f->gaba;
  c.n_rows = 5; /* the window ends before the rows the times need */
  expect_compute_error (m, &f->ampa, &c, te, ne, &f->options, WSLFP_ERROR_SHAPE, "only rows [0, 5) were given");
  c = f->ampa;
  c.n_times = (size_t) -1;
  expect_compute_error (m, &c, &f->gaba, te, ne, &f->options, WSLFP_ERROR_SHAPE, "too large");
  c.n_times = (size_t) PTRDIFF_MAX / 4; /* its bytes would not fit in memory */
  expect_compute_error (m, &c, &f->gaba, te, ne, &f->options, WSLFP_ERROR_SHAPE, "too large");
  c = f->ampa;
  c.values = NULL;
  expect_compute_error (m, &c, &f->gaba, te, ne, &f->options, WSLFP_ERROR_INVALID_ARGUMENT, "ampa values is NULL");
  /* options */
  f->options.alpha = NAN;
  expect_compute_error (m, &f->ampa, &f->gaba, te, ne, &f->options, WSLFP_ERROR_NOT_FINITE, "alpha");
  f->options.alpha = 1.65;
  f->options.tau_gaba_ms = INFINITY;
  expect_compute_error (m, &f->ampa, &f->gaba, te, ne, &f->options, WSLFP_ERROR_NOT_FINITE, "tau_gaba_ms");
  f->options.tau_gaba_ms = 0;
  expect_compute_error (m, &f->ampa, &f->gaba, NULL, ne, &f->options, WSLFP_ERROR_INVALID_ARGUMENT, "t_eval_ms");
  WslfpError err;
  g_assert_cmpint (wslfp_compute (NULL, &f->ampa, &f->gaba, te, ne, &f->options, NULL, &err), ==, WSLFP_ERROR_INVALID_ARGUMENT);
  /* huge but finite currents that overflow when combined */
  f->c->i_ampa[60 * S] = 1.7e308;
  f->c->i_gaba[60 * S] = -1.7e308;
  double t_hit = f->c->t_gaba[60];
  f->options.tau_ampa_ms = t_hit - f->c->t_ampa[60];
  expect_compute_error (m, &f->ampa, &f->gaba, &t_hit, 1, &f->options, WSLFP_ERROR_NOT_FINITE, "overflows");
  wslfp_model_free (m);
}

/* Normalisation: zero mean, unit std times |mean A|; flat traces and a
 * single time point give 0, never NaN; normalize_with reproduces it. */
static void
test_compute_normalize (Fixture *f, gconstpointer data)
{
  WslfpModel *m = case_model (f->c, "mazzoni15", FALSE);
  gsize E = f->c->n_electrodes, n = f->c->n_eval;
  const double *A = wslfp_model_get_amplitude (m);
  g_autofree double *mean = g_new (double, E);
  g_autofree double *std = g_new (double, E);
  WslfpError err;

  f->options.normalize = FALSE;
  g_autofree double *raw = compute (f, m, f->c->t_eval, n);
  g_autofree double *copy = g_memdup2 (raw, n * E * sizeof (double));
  g_assert_cmpint (wslfp_normalize (m, raw, n, mean, std, &err), ==, WSLFP_OK);
  for (gsize e = 0; e < E; e++)
    {
      double s1 = 0, s2 = 0, scale = 0;
      for (gsize t = 0; t < n; t++)
        s1 += raw[t * E + e];
      for (gsize t = 0; t < n; t++)
        s2 += raw[t * E + e] * raw[t * E + e];
      for (gsize s = 0; s < f->c->n_sources; s++)
        scale += A[e * f->c->n_sources + s];
      scale = fabs (scale / f->c->n_sources);
      g_assert_cmpfloat (fabs (s1 / n), <=, 1e-12 * scale);
      g_assert_cmpfloat_with_epsilon (sqrt (s2 / n), scale, 1e-12 * scale);
    }
  g_assert_cmpint (wslfp_normalize_with (m, copy, n, mean, std, &err), ==, WSLFP_OK);
  g_assert_cmpmem (copy, n * E * sizeof (double), raw, n * E * sizeof (double));

  /* flat and single-point traces */
  g_autofree double *flat = g_new (double, 4 * E);
  for (gsize i = 0; i < 4 * E; i++)
    flat[i] = 0.3 + (i % E);
  g_assert_cmpint (wslfp_normalize (m, flat, 4, NULL, std, &err), ==, WSLFP_OK);
  for (gsize i = 0; i < 4 * E; i++)
    g_assert_cmpfloat (flat[i], ==, 0.0);
  g_assert_cmpint (wslfp_normalize (m, flat, 1, NULL, std, &err), ==, WSLFP_OK);
  g_assert_cmpfloat (std[0], ==, 1.0);
  for (gsize e = 0; e < E; e++)
    g_assert_cmpfloat (flat[e], ==, 0.0);
  std[2] = -1;
  g_assert_cmpint (wslfp_normalize_with (m, copy, n, mean, std, &err), ==, WSLFP_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (err.message, "std[2]"));
  /* a missing statistic is named */
  g_assert_cmpint (wslfp_normalize_with (m, copy, n, NULL, std, &err), ==, WSLFP_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (err.message, ==, "mean is NULL");
  g_assert_cmpint (wslfp_normalize_with (m, copy, n, mean, NULL, &err), ==, WSLFP_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (err.message, ==, "std is NULL");
  wslfp_model_free (m);
}

static int
cancel_at_half (double fraction, void *user_data)
{
  int *calls = user_data;
  (*calls)++;
  return fraction >= 0.5;
}

static void
test_compute_cancel (Fixture *f, gconstpointer data)
{
  WslfpModel *m = case_model (f->c, "mazzoni15", FALSE);
  WslfpError err;
  gsize n = 2000;
  g_autofree double *t = g_new (double, n);
  g_autofree double *out = g_new (double, n * f->c->n_electrodes);
  int calls = 0;
  for (gsize i = 0; i < n; i++)
    t[i] = 5.0 + i * 0.01;
  f->options.progress = cancel_at_half;
  f->options.progress_data = &calls;
  g_assert_cmpint (wslfp_compute (m, &f->ampa, &f->gaba, t, n, &f->options, out, &err), ==, WSLFP_ERROR_CANCELLED);
  g_assert_cmpint (calls, >=, 1);
  g_assert_nonnull (strstr (err.message, "cancelled"));
  wslfp_model_free (m);
}

typedef struct
{
  int calls;
  double last;
  gboolean decreased;
} ProgressLog;

static int
log_progress (double fraction, void *user_data)
{
  ProgressLog *log = user_data;
  if (log->calls++ > 0 && fraction < log->last)
    log->decreased = TRUE;
  log->last = fraction;
  return 0;
}

/* Progress rises in several steps to exactly 1 at the end: a progress bar
 * must fill up. */
static void
test_compute_progress (Fixture *f, gconstpointer data)
{
  WslfpModel *m = case_model (f->c, "mazzoni15", FALSE);
  WslfpError err;
  gsize n = 20000;
  g_autofree double *t = g_new (double, n);
  g_autofree double *out = g_new (double, n * f->c->n_electrodes);
  ProgressLog log = { 0 };
  for (gsize i = 0; i < n; i++)
    t[i] = 5.0 + i * 0.001;
  f->options.progress = log_progress;
  f->options.progress_data = &log;
  g_assert_cmpint (wslfp_compute (m, &f->ampa, &f->gaba, t, n, &f->options, out, &err), ==, WSLFP_OK);
  g_assert_cmpint (log.calls, >=, 2);
  g_assert_false (log.decreased);
  g_assert_cmpfloat (log.last, ==, 1.0);
  wslfp_model_free (m);
}

/* Strict mode checks each current against its own samples: GABA currents
 * that stop early are an error naming GABA, even where AMPA has samples. */
static void
test_compute_strict_gaba (Fixture *f, gconstpointer data)
{
  WslfpModel *m = case_model (f->c, "mazzoni15", FALSE);
  WslfpError err;
  gsize E = f->c->n_electrodes;
  g_autofree double *out = g_new (double, E);
  f->options.strict = TRUE;
  f->options.tau_ampa_ms = 0;
  f->options.tau_gaba_ms = 0;
  WslfpCurrents short_gaba = f->gaba;
  short_gaba.n_times = short_gaba.n_rows = f->c->n_gaba / 2;
  double t_late = f->c->t_gaba[f->c->n_gaba - 1];
  g_assert_cmpfloat (t_late, <=, f->c->t_ampa[f->c->n_ampa - 1]);
  g_assert_cmpint (wslfp_compute (m, &f->ampa, &short_gaba, &t_late, 1, &f->options, out, &err), ==,
                   WSLFP_ERROR_OUT_OF_RANGE);
  g_assert_nonnull (strstr (err.message, "gaba"));
  /* AMPA's range alone is not the test: with both in range it passes. */
  g_assert_cmpint (wslfp_compute (m, &f->ampa, &f->gaba, &t_late, 1, &f->options, out, &err), ==, WSLFP_OK);
  /* and a late delay of GABA alone takes it out of range */
  f->options.tau_gaba_ms = -(f->c->t_gaba[f->c->n_gaba - 1] - f->c->t_gaba[0]) - 1;
  g_assert_cmpint (wslfp_compute (m, &f->ampa, &f->gaba, &t_late, 1, &f->options, out, &err), ==,
                   WSLFP_ERROR_OUT_OF_RANGE);
  g_assert_nonnull (strstr (err.message, "gaba"));
  wslfp_model_free (m);
}

/* A trace that is constant up to rounding (dgemm's remainder rows take
 * another kernel and differ in the last bit) has no variance to amplify:
 * it normalises to 0, not to ±1 noise. */
static void
test_compute_normalize_rounding (Fixture *f, gconstpointer data)
{
  WslfpModel *m = case_model (f->c, "mazzoni15", FALSE);
  gsize E = f->c->n_electrodes, n = 1000;
  g_autofree double *lfp = g_new (double, n * E);
  double std[16];
  WslfpError err;
  for (gsize t = 0; t < n; t++)
    for (gsize e = 0; e < E; e++)
      lfp[t * E + e] = (e + 1) * 3.7 * (1 + ((t % 7 == 3) ? 2.2e-16 : 0.0));
  g_assert_cmpint (wslfp_normalize (m, lfp, n, NULL, std, &err), ==, WSLFP_OK);
  for (gsize i = 0; i < n * E; i++)
    g_assert_cmpfloat (lfp[i], ==, 0.0);
  for (gsize e = 0; e < E; e++)
    g_assert_cmpfloat (std[e], ==, 0.0);
  /* a real, if small, variation is kept */
  for (gsize t = 0; t < n; t++)
    for (gsize e = 0; e < E; e++)
      lfp[t * E + e] = 3.7 * (1 + ((t % 2) ? 1e-9 : -1e-9));
  g_assert_cmpint (wslfp_normalize (m, lfp, n, NULL, std, &err), ==, WSLFP_OK);
  g_assert_cmpfloat (fabs (lfp[0]), >, 0.0);
  wslfp_model_free (m);
}

/* Combined currents, filled in uneven blocks, for @population. */
static WslfpCombined *
combined_of (Fixture *f, const double *t_eval, gsize n_eval, gboolean population)
{
  WslfpCombined *c;
  WslfpError err;
  g_assert_cmpint (wslfp_combined_new (f->c->n_sources, population, t_eval, n_eval, &f->options, &c, &err), ==, WSLFP_OK);
  for (gsize i0 = 0, block = 7; i0 < n_eval; i0 += block, block = block * 2 + 1)
    if (wslfp_combined_fill (c, &f->ampa, &f->gaba, i0, MIN (block, n_eval - i0), &err) != WSLFP_OK)
      g_error ("wslfp_combined_fill: %s", err.message);
  return c;
}

static double *
combined_compute (const WslfpCombined *c, const WslfpModel *m, gsize stride)
{
  WslfpError err;
  gsize n = wslfp_combined_n_rows (wslfp_combined_get_n_times (c), stride);
  double *out = g_new (double, MAX (n, 1) * wslfp_model_get_n_electrodes (m));
  if (wslfp_combined_compute (c, m, stride, out, &err) != WSLFP_OK)
    g_error ("wslfp_combined_compute: %s", err.message);
  return out;
}

/* The combined currents, kept and multiplied by each profile's A, give the
 * Python package's numbers: raw, normalised and population (single
 * precision to 1e-6 of the peak). */
static void
test_compute_combined_small_case (Fixture *f, gconstpointer data)
{
  gsize E = f->c->n_electrodes;
  for (guint k = 0; k < G_N_ELEMENTS (profile_names); k++)
    for (int normalize = 0; normalize <= 1; normalize++)
      {
        f->options.normalize = normalize;
        WslfpCombined *c = combined_of (f, f->c->t_eval, f->c->n_eval, FALSE);
        WslfpModel *m = case_model (f->c, profile_names[k], FALSE);
        g_autofree double *lfp = combined_compute (c, m, 1);
        assert_matches (lfp, profile_names[k], normalize ? "lfp_uV" : "raw", f->c->n_eval * E);
        wslfp_model_free (m);
        wslfp_combined_free (c);
      }
  f->options.normalize = TRUE;
  WslfpCombined *c = combined_of (f, f->c->t_eval, f->c->n_eval, TRUE);
  g_assert_cmpuint (wslfp_combined_get_n_columns (c), ==, 1);
  WslfpModel *m = case_model (f->c, "mazzoni15", TRUE);
  g_autofree double *pop = combined_compute (c, m, 1);
  assert_matches (pop, "mazzoni15", "population_lfp_uV", f->c->n_eval * E);
  /* in single precision: the same to its rounding */
  WslfpCombined *single;
  WslfpError err;
  g_assert_cmpint (wslfp_combined_new_single (f->c->n_sources, TRUE, f->c->t_eval, f->c->n_eval, &f->options, &single,
                                              &err), ==, WSLFP_OK);
  g_assert_cmpint (wslfp_combined_fill (single, &f->ampa, &f->gaba, 0, f->c->n_eval, &err), ==, WSLFP_OK);
  g_autofree double *pop_single = combined_compute (single, m, 1);
  g_assert_cmpfloat (wslfp_test_rel_error (pop_single, pop, f->c->n_eval * E), <, 1e-6);
  wslfp_combined_free (single);
  wslfp_model_free (m);
  wslfp_combined_free (c);
}

/* Moving the electrodes: one combined handle, many models, each the same
 * as a fresh wslfp_compute() (to 1e-12 of the peak); a stride takes exactly
 * those rows of the unnormalised result. */
static void
test_compute_combined_moves (Fixture *f, gconstpointer data)
{
  gsize E = f->c->n_electrodes, n = f->c->n_eval;
  for (int normalize = 0; normalize <= 1; normalize++)
    {
      f->options.normalize = normalize;
      WslfpCombined *c = combined_of (f, f->c->t_eval, n, FALSE);
      for (int move = 0; move < 4; move++)
        {
          for (gsize e = 0; e < E; e++)
            {
              f->c->electrodes[3 * e] += 37.0 * move;
              f->c->electrodes[3 * e + 2] -= 55.0 * move;
            }
          WslfpModel *m = case_model (f->c, "mazzoni15_single", FALSE);
          g_autofree double *fresh = compute (f, m, f->c->t_eval, n);
          g_autofree double *kept = combined_compute (c, m, 1);
          g_assert_cmpfloat (wslfp_test_rel_error (kept, fresh, n * E), <, 1e-12);
          if (!normalize)
            {
              g_autofree double *preview = combined_compute (c, m, 3);
              for (gsize r = 0; r < wslfp_combined_n_rows (n, 3); r++)
                for (gsize e = 0; e < E; e++)
                  g_assert_cmpfloat (fabs (preview[r * E + e] - fresh[3 * r * E + e]), <=,
                                     1e-12 * (fabs (fresh[3 * r * E + e]) + 1e-300) + 1e-300);
            }
          wslfp_model_free (m);
        }
      wslfp_combined_free (c);
    }
  g_assert_cmpuint (wslfp_combined_n_rows (10, 3), ==, 4);
  g_assert_cmpuint (wslfp_combined_n_rows (9, 3), ==, 3);
}

/* wslfp_combined_product() as a library user calls it: any block of rows
 * of a stride (one row, many, from a row after 0, in any order) writes
 * exactly those rows of wslfp_compute()'s unnormalised LFP and nothing
 * else; rows past the end are refused naming them; wslfp_combined_normalizes
 * says what the options asked. */
static void
test_compute_combined_product_rows (Fixture *f, gconstpointer data)
{
  gsize E = f->c->n_electrodes, n = f->c->n_eval;
  WslfpError err;
  for (int normalize = 0; normalize <= 1; normalize++)
    {
      f->options.normalize = normalize;
      WslfpCombined *c = combined_of (f, f->c->t_eval, n, FALSE);
      g_assert_cmpint (wslfp_combined_normalizes (c), ==, normalize);
      WslfpModel *m = case_model (f->c, "aussel18", FALSE);
      f->options.normalize = FALSE;
      g_autofree double *raw = compute (f, m, f->c->t_eval, n);
      double peak = 0;
      for (gsize i = 0; i < n * E; i++)
        peak = MAX (peak, fabs (raw[i]));
      for (gsize stride = 1; stride <= 4; stride += 3)
        {
          gsize rows = wslfp_combined_n_rows (n, stride);
          g_assert_cmpuint (rows, >=, 5);
          /* blocks [2, rows), [1, 2) (one row) and [0, 1), in that order */
          const gsize cuts[][2] = { { 2, rows - 2 }, { 1, 1 }, { 0, 1 } };
          double *lfp = g_new (double, rows * E);
          for (gsize i = 0; i < rows * E; i++)
            lfp[i] = NAN;
          for (guint k = 0; k < G_N_ELEMENTS (cuts); k++)
            {
              g_assert_cmpint (wslfp_combined_product (c, m, stride, cuts[k][0], cuts[k][1], lfp, &err), ==, WSLFP_OK);
              for (gsize r = 0; r < rows; r++)
                {
                  gboolean written = FALSE;
                  for (guint j = 0; j <= k; j++)
                    written = written || (r >= cuts[j][0] && r < cuts[j][0] + cuts[j][1]);
                  for (gsize e = 0; e < E; e++)
                    if (!written)
                      g_assert_true (isnan (lfp[r * E + e]));
                    else if (fabs (lfp[r * E + e] - raw[r * stride * E + e]) > 1e-12 * peak)
                      g_error ("stride %zu, block %u: row %zu contact %zu is %g; wslfp_compute gives %g", stride, k, r,
                               e, lfp[r * E + e], raw[r * stride * E + e]);
                }
            }
          /* an empty block at the end is fine; one past it is not */
          g_assert_cmpint (wslfp_combined_product (c, m, stride, rows, 0, lfp, &err), ==, WSLFP_OK);
          g_assert_cmpint (wslfp_combined_product (c, m, stride, rows - 1, 2, lfp, &err), ==, WSLFP_ERROR_INDEX);
          g_autofree char *want = g_strdup_printf ("rows [%zu, %zu)", rows - 1, rows + 1);
          g_assert_nonnull (strstr (err.message, want));
          g_assert_cmpint (wslfp_combined_product (c, m, stride, rows + 1, 0, lfp, &err), ==, WSLFP_ERROR_INDEX);
          g_free (lfp);
        }
      wslfp_model_free (m);
      wslfp_combined_free (c);
    }
}

/* Misuse is refused with a message: rows out of order, unfilled rows, a
 * model of other sources, stride 0. */
static void
test_compute_combined_errors (Fixture *f, gconstpointer data)
{
  WslfpCombined *c;
  WslfpError err;
  gsize n = f->c->n_eval;
  g_assert_cmpint (wslfp_combined_new (0, FALSE, f->c->t_eval, n, NULL, &c, &err), ==, WSLFP_ERROR_SHAPE);
  g_assert_cmpint (wslfp_combined_new (f->c->n_sources, FALSE, f->c->t_eval, n, NULL, &c, &err), ==, WSLFP_OK);
  g_assert_cmpint (wslfp_combined_fill (c, &f->ampa, &f->gaba, 5, 3, &err), ==, WSLFP_ERROR_INDEX);
  g_assert_nonnull (strstr (err.message, "expected 0"));
  g_assert_cmpint (wslfp_combined_fill (c, &f->ampa, &f->gaba, 0, n + 1, &err), ==, WSLFP_ERROR_SHAPE);
  g_assert_cmpint (wslfp_combined_fill (c, &f->ampa, &f->gaba, 0, n - 1, &err), ==, WSLFP_OK);
  WslfpModel *m = case_model (f->c, "mazzoni15", FALSE);
  double *out = g_new (double, n * f->c->n_electrodes);
  g_assert_cmpint (wslfp_combined_compute (c, m, 1, out, &err), ==, WSLFP_ERROR_SHAPE);
  g_assert_nonnull (strstr (err.message, "filled"));
  g_assert_cmpint (wslfp_combined_fill (c, &f->ampa, &f->gaba, n - 1, 1, &err), ==, WSLFP_OK);
  g_assert_cmpint (wslfp_combined_compute (c, m, 0, out, &err), ==, WSLFP_ERROR_INVALID_ARGUMENT);
  g_assert_cmpint (wslfp_combined_compute (c, m, 1, out, &err), ==, WSLFP_OK);
  WslfpModel *pop = case_model (f->c, "mazzoni15", TRUE);
  g_assert_cmpint (wslfp_combined_compute (c, pop, 1, out, &err), ==, WSLFP_ERROR_SHAPE);
  g_assert_nonnull (strstr (err.message, "population"));
  wslfp_model_free (pop);
  wslfp_model_free (m);
  g_free (out);
  wslfp_combined_free (c);
}

/* Times on the AMPA grid (exactly, or a rounding hair off) are their
 * samples; between samples -2; outside -1. */
static void
test_compute_sample_rows (Fixture *f, gconstpointer data)
{
  const double *t = f->c->t_ampa;
  gsize n = f->c->n_ampa;
  double tau = 6;
  double t_eval[] = { t[0] + tau, t[3] + tau + 1e-12, t[n - 1] + tau, (t[4] + t[5]) / 2 + tau, t[0] + tau - 1,
                      t[n - 1] + tau + 1 };
  int64_t want[] = { 0, 3, (int64_t) n - 1, -2, -1, -1 };
  int64_t rows[G_N_ELEMENTS (t_eval)];
  WslfpError err;
  g_assert_cmpint (wslfp_currents_sample_rows (t, n, t_eval, G_N_ELEMENTS (t_eval), tau, rows, &err), ==, WSLFP_OK);
  for (guint i = 0; i < G_N_ELEMENTS (want); i++)
    g_assert_cmpint (rows[i], ==, want[i]);
  g_assert_cmpint (wslfp_currents_sample_rows (t, n, t_eval, 1, NAN, rows, &err), ==, WSLFP_ERROR_NOT_FINITE);
  t_eval[2] = INFINITY;
  g_assert_cmpint (wslfp_currents_sample_rows (t, n, t_eval, 3, tau, rows, &err), ==, WSLFP_ERROR_NOT_FINITE);
  g_assert_nonnull (strstr (err.message, "t_eval_ms"));
}

/* out += block · A[:, cols]^T against the sum written out: double data
 * exactly, float32 data exactly when converted and within 1e-6 of the peak
 * in single precision (with more sources than one single-precision
 * panel), population mode summing the panel first; bad shapes refused. */
static void
test_compute_accumulate (Fixture *f, gconstpointer data)
{
  WslfpTestCase *c = f->c;
  /* Many sources: the small case's sources repeated, shifted. */
  gsize S = 300, E = c->n_electrodes, T = 40;
  g_autofree double *sources = g_new (double, 3 * S);
  for (gsize s = 0; s < S; s++)
    for (int k = 0; k < 3; k++)
      sources[3 * s + k] = c->sources[3 * (s % c->n_sources) + k] + 7.0 * (double) (s / c->n_sources) * (k == 0);
  WslfpGeometry g;
  wslfp_geometry_init (&g);
  g.electrodes_um = c->electrodes;
  g.n_electrodes = E;
  g.sources_um = sources;
  g.n_sources = S;
  WslfpProfile *p;
  WslfpModel *m, *pop;
  WslfpError err;
  g_assert_cmpint (wslfp_profile_new_from_name ("mazzoni15", &p, NULL), ==, WSLFP_OK);
  g_assert_cmpint (wslfp_model_new (&g, p, FALSE, &m, NULL), ==, WSLFP_OK);
  g_assert_cmpint (wslfp_model_new (&g, p, TRUE, &pop, NULL), ==, WSLFP_OK);
  wslfp_profile_free (p);
  const double *A = wslfp_model_get_amplitude (m), *Apop = wslfp_model_get_amplitude (pop);

  /* A block of rows of a wider matrix (stride 310), columns [first, first + n). */
  gsize stride = S + 10, first = 5, ncols = S - 7;
  g_autofree double *d = g_new (double, T * stride);
  g_autofree float *fl = g_new (float, T * stride);
  GRand *rng = g_rand_new_with_seed (7);
  for (gsize i = 0; i < T * stride; i++)
    {
      fl[i] = (float) g_rand_double_range (rng, -1, 1);
      d[i] = fl[i];
    }
  g_rand_free (rng);
  g_autofree double *want = g_new (double, T * E), *want_pop = g_new (double, T * E);
  double peak = 0;
  for (gsize t = 0; t < T; t++)
    for (gsize e = 0; e < E; e++)
      {
        double sum = 0, rowsum = 0;
        for (gsize s = 0; s < ncols; s++)
          {
            sum += d[t * stride + first + s] * A[e * S + first + s];
            rowsum += d[t * stride + first + s];
          }
        want[t * E + e] = 1.0 + sum; /* out starts at 1: it is added to */
        want_pop[t * E + e] = 1.0 + rowsum * Apop[e];
        peak = fmax (peak, fabs (sum));
      }
  struct { const void *block; WslfpValueType type; WslfpPrecision precision; WslfpModel *model; double tol; } cases[] = {
    { d, WSLFP_FLOAT64, WSLFP_PRECISION_AUTO, m, 1e-13 },
    { fl, WSLFP_FLOAT32, WSLFP_PRECISION_DOUBLE, m, 1e-13 },
    { fl, WSLFP_FLOAT32, WSLFP_PRECISION_AUTO, m, 1e-6 },
    { fl, WSLFP_FLOAT32, WSLFP_PRECISION_AUTO, pop, 1e-13 },
    { d, WSLFP_FLOAT64, WSLFP_PRECISION_DOUBLE, pop, 1e-13 },
  };
  g_autofree double *out = g_new (double, T * E);
  for (guint k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      for (gsize i = 0; i < T * E; i++)
        out[i] = 1.0;
      g_assert_cmpint (wslfp_model_accumulate (cases[k].model, (const char *) cases[k].block
                                                 + first * (cases[k].type == WSLFP_FLOAT32 ? 4 : 8),
                                               cases[k].type, T, ncols, stride, first, cases[k].precision, out, &err),
                       ==, WSLFP_OK);
      const double *w = cases[k].model == pop ? want_pop : want;
      double worst = 0;
      for (gsize i = 0; i < T * E; i++)
        worst = fmax (worst, fabs (out[i] - w[i]));
      if (worst > cases[k].tol * peak)
        g_error ("case %u: error %g of the peak", k, worst / peak);
      /* single precision must really be single: it differs from exact */
      if (k == 2)
        g_assert_cmpfloat (worst, >, 1e-12 * peak);
    }
  g_assert_cmpint (wslfp_model_accumulate (m, d, WSLFP_FLOAT64, T, 10, stride, S - 5, WSLFP_PRECISION_AUTO, out, &err),
                   ==, WSLFP_ERROR_SHAPE);
  g_assert_nonnull (strstr (err.message, "sources [295, 305)"));
  g_assert_cmpint (wslfp_model_accumulate (m, d, WSLFP_FLOAT64, T, 20, 10, 0, WSLFP_PRECISION_AUTO, out, &err), ==,
                   WSLFP_ERROR_SHAPE);
  g_assert_cmpint (wslfp_model_accumulate (m, d, (WslfpValueType) 7, T, 20, 20, 0, WSLFP_PRECISION_AUTO, out, &err),
                   ==, WSLFP_ERROR_INVALID_ARGUMENT);
  g_assert_cmpint (wslfp_model_accumulate (m, NULL, WSLFP_FLOAT64, T, 20, 20, 0, WSLFP_PRECISION_AUTO, out, &err),
                   ==, WSLFP_ERROR_INVALID_ARGUMENT);
  g_assert_cmpint (wslfp_model_accumulate (m, d, WSLFP_FLOAT64, 0, 20, 20, 0, WSLFP_PRECISION_AUTO, NULL, &err), ==,
                   WSLFP_OK);
  wslfp_model_free (m);
  wslfp_model_free (pop);
}

/* The mazzoni15 model of @E electrodes and @S upright cells. */
static WslfpModel *
mazzoni15_model_of (const double *electrodes, gsize E, const double *sources, gsize S)
{
  WslfpGeometry g;
  wslfp_geometry_init (&g);
  g.electrodes_um = electrodes;
  g.n_electrodes = E;
  g.sources_um = sources;
  g.n_sources = S;
  WslfpProfile *p;
  WslfpModel *m;
  g_assert_cmpint (wslfp_profile_new_from_name ("mazzoni15", &p, NULL), ==, WSLFP_OK);
  g_assert_cmpint (wslfp_model_new (&g, p, FALSE, &m, NULL), ==, WSLFP_OK);
  wslfp_profile_free (p);
  return m;
}

/* Single precision where float sums are worst: 4096 positive currents onto
 * one amplitude (every source at one place), whose float partial sums grow
 * large.  Panels of 64 keep it at 1.7e-8 of the peak; one sgemm over all
 * sources gives 3.3e-7 (the promise is 1e-6; 1e-7 checks the panels). */
static void
test_compute_accumulate_long_sums (Fixture *f, gconstpointer data)
{
  gsize S = 4096, T = 64, E = f->c->n_electrodes;
  g_autofree double *sources = g_new0 (double, 3 * S);
  for (gsize s = 0; s < S; s++)
    sources[3 * s + 2] = -400;
  WslfpModel *m = mazzoni15_model_of (f->c->electrodes, E, sources, S);
  WslfpError err;
  g_autofree float *block = g_new (float, T * S);
  GRand *rng = g_rand_new_with_seed (11);
  for (gsize i = 0; i < T * S; i++)
    block[i] = (float) g_rand_double_range (rng, 0.5, 1.5);
  g_rand_free (rng);
  g_autofree double *exact = g_new0 (double, T * E), *fast = g_new0 (double, T * E);
  g_assert_cmpint (wslfp_model_accumulate (m, block, WSLFP_FLOAT32, T, S, S, 0, WSLFP_PRECISION_DOUBLE, exact, &err), ==,
                   WSLFP_OK);
  g_assert_cmpint (wslfp_model_accumulate (m, block, WSLFP_FLOAT32, T, S, S, 0, WSLFP_PRECISION_AUTO, fast, &err), ==,
                   WSLFP_OK);
  double peak = 0, worst = 0;
  for (gsize i = 0; i < T * E; i++)
    {
      peak = fmax (peak, fabs (exact[i]));
      worst = fmax (worst, fabs (fast[i] - exact[i]));
    }
  g_test_message ("4096 positive terms: %g of the peak", worst / peak);
  g_assert_cmpfloat (peak, >, 0);
  g_assert_cmpfloat (worst, <, 1e-7 * peak);
  wslfp_model_free (m);
}

/* The float product over panels of 64 cells close together, from far
 * below a long probe to far above it: each panel multiplies only the
 * contacts it reaches.  Against the sum written out in double from the
 * double amplitudes: within 1e-6 of the peak, added to what @out held;
 * exactly 0 added for contacts no cell reaches; and a NaN among cells no
 * contact reaches still makes that time's LFP not finite. */
static void
test_compute_accumulate_out_of_reach (void)
{
  enum { E = 40, PANELS = 12, S = 64 * PANELS, T = 50, STRIDE = S + 3 };
  g_autofree double *electrodes = g_new0 (double, 3 * E), *sources = g_new0 (double, 3 * S);
  for (gsize e = 0; e < E; e++)
    electrodes[3 * e + 2] = -2000 + 100.0 * e;
  GRand *rng = g_rand_new_with_seed (5);
  for (gsize s = 0; s < S; s++)
    {
      sources[3 * s] = g_rand_double_range (rng, -40, 40);
      sources[3 * s + 2] = -6500 + 1000.0 * (s / 64) + g_rand_double_range (rng, -30, 30);
    }
  WslfpModel *m = mazzoni15_model_of (electrodes, E, sources, S);
  WslfpError err;
  const double *A = wslfp_model_get_amplitude (m);
  g_autofree float *block = g_new (float, T * STRIDE);
  for (gsize i = 0; i < T * STRIDE; i++)
    block[i] = (float) g_rand_double_range (rng, -1, 1);
  g_rand_free (rng);
  /* all the sources, and panels 0 to 3 less 10 cells and 5 (short first and
   * last panels) */
  const gsize firsts[] = { 0, 10 }, counts[] = { S, 241 };
  for (guint k = 0; k < G_N_ELEMENTS (firsts); k++)
    {
      gsize first = firsts[k], n = counts[k];
      g_autofree double *out = g_new (double, T * E), *want = g_new (double, T * E);
      for (gsize i = 0; i < T * E; i++)
        out[i] = want[i] = 0.5 * (double) i;
      g_assert_cmpint (wslfp_model_accumulate (m, block + first, WSLFP_FLOAT32, T, n, STRIDE, first,
                                               WSLFP_PRECISION_AUTO, out, &err), ==, WSLFP_OK);
      double peak = 0, worst = 0;
      gsize unreached = 0;
      for (gsize e = 0; e < E; e++)
        {
          gboolean reached = FALSE;
          for (gsize s = first; s < first + n; s++)
            reached = reached || A[e * S + s] != 0;
          unreached += !reached;
          for (gsize t = 0; t < T; t++)
            {
              double sum = 0;
              for (gsize s = first; s < first + n; s++)
                sum += (double) block[t * STRIDE + s] * A[e * S + s];
              double got = out[t * E + e] - want[t * E + e];
              if (!reached)
                g_assert_cmpfloat (got, ==, 0.0);
              peak = fmax (peak, fabs (sum));
              worst = fmax (worst, fabs (got - sum));
            }
        }
      g_test_message ("sources [%zu, %zu): %zu contacts reached by none, %g of the peak", first, first + n, unreached,
                      worst / peak);
      g_assert_cmpfloat (peak, >, 0);
      g_assert_cmpfloat (worst, <, 1e-6 * peak);
    }
  /* NaN at t = 3 in panel 0 (reached by no contact), and at t = 7 in
   * panel 5 (reached by some): those rows only are not finite */
  for (gsize e = 0; e < E; e++)
    for (gsize s = 0; s < 64; s++)
      g_assert_cmpfloat (A[e * S + s], ==, 0.0);
  block[3 * STRIDE + 10] = NAN;
  block[7 * STRIDE + 5 * 64 + 1] = NAN;
  g_autofree double *out = g_new0 (double, T * E);
  g_assert_cmpint (wslfp_model_accumulate (m, block, WSLFP_FLOAT32, T, S, STRIDE, 0, WSLFP_PRECISION_AUTO, out, &err),
                   ==, WSLFP_OK);
  for (gsize t = 0; t < T; t++)
    {
      gboolean finite = TRUE;
      for (gsize e = 0; e < E; e++)
        finite = finite && isfinite (out[t * E + e]);
      g_assert_cmpint (finite, ==, t != 3 && t != 7);
    }
  wslfp_model_free (m);
}

/* Single-precision combined currents of 10 000 sources (157 panels of
 * the product, the last one short) against the sum written out in long
 * double: to 1e-6 of the peak, every row, a stride's rows and a range of
 * rows alike, normalised too; the double handle to 1e-12.  The evaluation
 * times fall on samples (t − 6 ms too), so the currents are the samples. */
static void
test_compute_combined_single (void)
{
  enum { S = 10000, E = 5, T = 40, DELAY = 6 };
  g_autofree double *t = g_new (double, T), *ampa = g_new (double, T * S), *gaba = g_new (double, T * S);
  g_autofree double *A = g_new (double, E * S), *want = g_new (double, (T - DELAY) * E);
  GRand *rng = g_rand_new_with_seed (11);
  for (int i = 0; i < T; i++)
    t[i] = i;
  for (int k = 0; k < T * S; k++)
    ampa[k] = g_rand_double_range (rng, -1, 1), gaba[k] = g_rand_double_range (rng, -1, 1);
  for (int k = 0; k < E * S; k++)
    A[k] = g_rand_double_range (rng, -3, 3);
  g_rand_free (rng);
  const double *t_eval = t + DELAY;
  gsize n = T - DELAY;
  double peak = 0;
  for (gsize r = 0; r < n; r++)
    for (int e = 0; e < E; e++)
      {
        long double sum = 0;
        for (int s = 0; s < S; s++)
          sum += (long double) A[e * S + s] * (ampa[r * S + s] - 1.65L * gaba[(r + DELAY) * S + s]);
        want[r * E + e] = (double) sum;
        peak = MAX (peak, fabs ((double) sum));
      }
  WslfpCurrents ia, ig;
  wslfp_currents_init (&ia, t, T, ampa, S);
  wslfp_currents_init (&ig, t, T, gaba, S);
  WslfpOptions options;
  wslfp_options_init (&options);
  options.normalize = FALSE;
  WslfpModel *m;
  WslfpError err;
  g_assert_cmpint (wslfp_model_new_from_amplitude (A, E, S, &m, &err), ==, WSLFP_OK);
  for (int single = 0; single <= 1; single++)
    {
      WslfpCombined *c;
      g_assert_cmpint ((single ? wslfp_combined_new_single : wslfp_combined_new) (S, FALSE, t_eval, n, &options, &c, &err),
                       ==, WSLFP_OK);
      g_assert_cmpint (wslfp_combined_fill (c, &ia, &ig, 0, n, &err), ==, WSLFP_OK);
      g_assert_true (wslfp_combined_is_single (c) == single);
      g_assert_true ((wslfp_combined_get_values (c) == NULL) == single);
      g_assert_true ((wslfp_combined_get_values_single (c) == NULL) == !single);
      double tolerance = single ? 1e-6 : 1e-12;
      g_autofree double *all = combined_compute (c, m, 1);
      double worst = 0;
      for (gsize i = 0; i < n * E; i++)
        worst = MAX (worst, fabs (all[i] - want[i]));
      g_test_message ("%s: largest error %.3g of the peak", single ? "single" : "double", worst / peak);
      g_assert_cmpfloat (worst / peak, <, tolerance);
      g_assert_cmpfloat (worst, >, 0); /* (the sum in long double is not the handle's own) */
      /* every third row; then rows 3 … 6 of every second row, alone */
      g_autofree double *third = combined_compute (c, m, 3);
      for (gsize r = 0; r < wslfp_combined_n_rows (n, 3); r++)
        for (int e = 0; e < E; e++)
          g_assert_cmpfloat (fabs (third[r * E + e] - want[3 * r * E + e]), <, tolerance * peak);
      double part[20 * E];
      for (gsize i = 0; i < G_N_ELEMENTS (part); i++)
        part[i] = NAN;
      g_assert_cmpint (wslfp_combined_product (c, m, 2, 3, 4, part, &err), ==, WSLFP_OK);
      for (gsize r = 3; r < 7; r++)
        for (int e = 0; e < E; e++)
          g_assert_cmpfloat (fabs (part[r * E + e] - want[2 * r * E + e]), <, tolerance * peak);
      g_assert_true (isnan (part[2 * E + E - 1]) && isnan (part[7 * E])); /* only those rows */
      wslfp_combined_free (c);
    }
  wslfp_model_free (m);
}

/* Voxel groups against the rule itself: two points share a group exactly
 * when floor(x / h) agrees in all three coordinates, and a centroid is its
 * members' mean.  Includes points on cube faces and below 0. */
static void
test_compute_voxel_groups (void)
{
  enum { N = 500 };
  const double h = 25.0;
  double points[3 * N], centroids[3 * N];
  gsize group[N], n_groups = 0;
  GRand *rng = g_rand_new_with_seed (5);
  for (int i = 0; i < 3 * N; i++)
    /* (a quarter exactly on a face: multiples of h) */
    points[i] = i % 4 == 0 ? h * g_rand_int_range (rng, -3, 3) : g_rand_double_range (rng, -80, 80);
  g_rand_free (rng);
  WslfpError err;
  g_assert_cmpint (wslfp_voxel_groups (points, N, h, group, centroids, &n_groups, &err), ==, WSLFP_OK);
  g_assert_cmpuint (n_groups, >, 50);
  g_assert_cmpuint (n_groups, <=, 8 * 8 * 8);
  for (int i = 0; i < N; i++)
    {
      g_assert_cmpuint (group[i], <, n_groups);
      for (int j = 0; j < N; j++)
        {
          gboolean same = TRUE;
          for (int k = 0; k < 3; k++)
            same = same && floor (points[3 * i + k] / h) == floor (points[3 * j + k] / h);
          g_assert_true ((group[i] == group[j]) == same);
        }
    }
  for (gsize g = 0; g < n_groups; g++)
    {
      double sum[3] = { 0 };
      int members = 0;
      for (int i = 0; i < N; i++)
        if (group[i] == g)
          {
            members++;
            for (int k = 0; k < 3; k++)
              sum[k] += points[3 * i + k];
          }
      g_assert_cmpint (members, >, 0);
      for (int k = 0; k < 3; k++)
        g_assert_cmpfloat_with_epsilon (centroids[3 * g + k], sum[k] / members, 1e-9);
    }
  /* numbered in the cubes' order */
  for (int i = 0; i < N; i++)
    for (int j = 0; j < N; j++)
      if (group[i] < group[j])
        {
          double a[3], b[3];
          for (int k = 0; k < 3; k++)
            a[k] = floor (points[3 * i + k] / h), b[k] = floor (points[3 * j + k] / h);
          g_assert_true (a[0] < b[0] || (a[0] == b[0] && (a[1] < b[1] || (a[1] == b[1] && a[2] < b[2]))));
        }

  /* bad arguments name themselves */
  g_assert_cmpint (wslfp_voxel_groups (points, N, 0.0, group, centroids, &n_groups, &err), ==,
                   WSLFP_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (err.message, "voxel_um = 0"));
  points[3 * 7 + 2] = NAN;
  g_assert_cmpint (wslfp_voxel_groups (points, N, h, group, centroids, &n_groups, &err), ==, WSLFP_ERROR_NOT_FINITE);
  g_assert_nonnull (strstr (err.message, "points_um"));
  g_assert_nonnull (strstr (err.message, "7"));
  points[3 * 7 + 2] = 1e300;
  g_assert_cmpint (wslfp_voxel_groups (points, N, h, group, centroids, &n_groups, &err), ==,
                   WSLFP_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (err.message, "points_um[7][2]"));
  g_assert_cmpint (wslfp_voxel_groups (points, 0, h, group, centroids, &n_groups, &err), ==, WSLFP_OK);
  g_assert_cmpuint (n_groups, ==, 0);
}

/* Pooled combined currents: each column the sum of its group's columns (in
 * long double here), from double and from single handles; a model whose
 * groups' members all sit at one point gives the sources' own LFP. */
static void
test_compute_combined_pooled (void)
{
  enum { S = 3000, G = 37, E = 4, T = 30 };
  g_autofree double *t = g_new (double, T), *ampa = g_new (double, T * S), *gaba = g_new (double, T * S);
  g_autofree double *A = g_new (double, E * S), *pooled_A = g_new (double, E * G);
  gsize group[S];
  GRand *rng = g_rand_new_with_seed (17);
  for (int i = 0; i < T; i++)
    t[i] = i;
  for (int k = 0; k < T * S; k++)
    ampa[k] = g_rand_double_range (rng, -1, 1), gaba[k] = g_rand_double_range (rng, -1, 1);
  for (int s = 0; s < S; s++)
    group[s] = (gsize) g_rand_int_range (rng, 0, G);
  group[0] = G - 1; /* (the last group is used) */
  for (int e = 0; e < E; e++)
    for (int g = 0; g < G; g++)
      pooled_A[e * G + g] = g_rand_double_range (rng, -3, 3);
  g_rand_free (rng);
  /* the sources' amplitudes: their group's (members at one point) */
  for (int e = 0; e < E; e++)
    for (int s = 0; s < S; s++)
      A[e * S + s] = pooled_A[e * G + group[s]];
  WslfpCurrents ia, ig;
  wslfp_currents_init (&ia, t, T, ampa, S);
  wslfp_currents_init (&ig, t, T, gaba, S);
  WslfpOptions options;
  wslfp_options_init (&options);
  options.normalize = FALSE;
  options.tau_ampa_ms = 0; /* (the currents at the samples themselves) */
  WslfpError err;
  WslfpModel *m, *pm;
  g_assert_cmpint (wslfp_model_new_from_amplitude (A, E, S, &m, &err), ==, WSLFP_OK);
  g_assert_cmpint (wslfp_model_new_from_amplitude (pooled_A, E, G, &pm, &err), ==, WSLFP_OK);
  for (int single = 0; single <= 1; single++)
    {
      WslfpCombined *c, *p;
      g_assert_cmpint ((single ? wslfp_combined_new_single : wslfp_combined_new) (S, FALSE, t, T, &options, &c, &err),
                       ==, WSLFP_OK);
      /* not before it is filled */
      g_assert_cmpint (wslfp_combined_new_pooled (c, group, G, &p, &err), ==, WSLFP_ERROR_SHAPE);
      g_assert_null (p);
      g_assert_cmpint (wslfp_combined_fill (c, &ia, &ig, 0, T, &err), ==, WSLFP_OK);
      g_assert_cmpint (wslfp_combined_new_pooled (c, group, G, &p, &err), ==, WSLFP_OK);
      g_assert_cmpuint (wslfp_combined_get_n_columns (p), ==, G);
      g_assert_cmpuint (wslfp_combined_get_n_times (p), ==, T);
      g_assert_true (wslfp_combined_is_single (p));
      g_assert_cmpmem (wslfp_combined_get_times (p), T * sizeof (double), t, T * sizeof (double));
      const float *v = wslfp_combined_get_values_single (p);
      for (int r = 0; r < T; r++)
        for (int g = 0; g < G; g++)
          {
            long double sum = 0;
            for (int s = 0; s < S; s++)
              if (group[s] == (gsize) g)
                sum += ampa[r * S + s] - 1.65L * gaba[r * S + s];
            g_assert_cmpfloat (fabs (v[r * G + g] - (double) sum), <=, 1e-6 * (1 + fabsl (sum)));
          }
      /* the pooled model's LFP is the sources' own */
      g_autofree double *exact = combined_compute (c, m, 1), *pooled = combined_compute (p, pm, 1);
      double peak = 0, worst = 0;
      for (int i = 0; i < T * E; i++)
        peak = MAX (peak, fabs (exact[i])), worst = MAX (worst, fabs (pooled[i] - exact[i]));
      g_test_message ("pooled from %s: %.3g of the peak", single ? "single" : "double", worst / peak);
      g_assert_cmpfloat (worst / peak, <, 1e-6);
      /* the pooled handle's options: normalised when the source's are */
      g_assert_false (wslfp_combined_normalizes (p));
      wslfp_combined_free (p);

      /* bad groups name the index */
      gsize kept = group[123];
      group[123] = G;
      g_assert_cmpint (wslfp_combined_new_pooled (c, group, G, &p, &err), ==, WSLFP_ERROR_INDEX);
      g_assert_nonnull (strstr (err.message, "group[123] = 37"));
      group[123] = kept;
      g_assert_cmpint (wslfp_combined_new_pooled (c, group, 0, &p, &err), ==, WSLFP_ERROR_SHAPE);
      g_assert_cmpint (wslfp_combined_new_pooled (c, group, S + 1, &p, &err), ==, WSLFP_ERROR_SHAPE);
      g_assert_cmpint (wslfp_combined_new_pooled (c, NULL, G, &p, &err), ==, WSLFP_ERROR_INVALID_ARGUMENT);
      g_assert_nonnull (strstr (err.message, "group"));
      wslfp_combined_free (c);
    }
  /* a population's one column: nothing to pool */
  WslfpCombined *c, *p;
  g_assert_cmpint (wslfp_combined_new (S, TRUE, t, T, &options, &c, &err), ==, WSLFP_OK);
  g_assert_cmpint (wslfp_combined_fill (c, &ia, &ig, 0, T, &err), ==, WSLFP_OK);
  g_assert_cmpint (wslfp_combined_new_pooled (c, group, G, &p, &err), ==, WSLFP_ERROR_SHAPE);
  g_assert_nonnull (strstr (err.message, "population"));
  wslfp_combined_free (c);
  wslfp_model_free (m);
  wslfp_model_free (pm);
}

/* A pool made while the currents are read (wslfp_combined_new_grouped),
 * filled in blocks of a few rows, at times between the samples and with
 * the delays: the floats of wslfp_combined_new_pooled() of the whole
 * combined currents, to the bit; given as rows, the same; bad groups and
 * values are refused, naming them. */
static void
test_compute_combined_grouped (void)
{
  enum { S = 2000, G = 29, T = 40, N = 57 };
  g_autofree double *t = g_new (double, T), *ampa = g_new (double, T * S), *gaba = g_new (double, T * S);
  g_autofree double *t_eval = g_new (double, N);
  gsize group[S];
  GRand *rng = g_rand_new_with_seed (41);
  for (int i = 0; i < T; i++)
    t[i] = 0.5 * i;
  for (int k = 0; k < T * S; k++)
    ampa[k] = g_rand_double_range (rng, -1, 1), gaba[k] = g_rand_double_range (rng, -1, 1);
  for (int s = 0; s < S; s++)
    group[s] = (gsize) g_rand_int_range (rng, 0, G);
  for (int i = 0; i < N; i++)
    t_eval[i] = 6.0 + 0.23 * i;
  g_rand_free (rng);
  WslfpCurrents ia, ig;
  wslfp_currents_init (&ia, t, T, ampa, S);
  wslfp_currents_init (&ig, t, T, gaba, S);
  WslfpOptions options;
  wslfp_options_init (&options);
  WslfpError err;
  WslfpCombined *whole, *want, *got;
  g_assert_cmpint (wslfp_combined_new (S, FALSE, t_eval, N, &options, &whole, &err), ==, WSLFP_OK);
  g_assert_cmpint (wslfp_combined_fill (whole, &ia, &ig, 0, N, &err), ==, WSLFP_OK);
  g_assert_cmpint (wslfp_combined_new_pooled (whole, group, G, &want, &err), ==, WSLFP_OK);
  g_assert_cmpint (wslfp_combined_new_grouped (S, group, G, t_eval, N, &options, &got, &err), ==, WSLFP_OK);
  g_assert_cmpuint (wslfp_combined_get_n_columns (got), ==, G);
  g_assert_true (wslfp_combined_is_single (got));
  for (gsize i0 = 0; i0 < N; i0 += 7)
    g_assert_cmpint (wslfp_combined_fill (got, &ia, &ig, i0, MIN (7, N - i0), &err), ==, WSLFP_OK);
  g_assert_cmpmem (wslfp_combined_get_values_single (got), N * G * sizeof (float),
                   wslfp_combined_get_values_single (want), N * G * sizeof (float));
  g_assert_cmpmem (wslfp_combined_get_times (got), N * sizeof (double), t_eval, N * sizeof (double));
  g_assert_true (wslfp_combined_normalizes (got));
  /* (its values are not all zero: the comparison above could fail) */
  double peak = 0;
  for (gsize k = 0; k < N * G; k++)
    peak = MAX (peak, fabs (wslfp_combined_get_values_single (got)[k]));
  g_assert_cmpfloat (peak, >, 1);
  /* the same values given as rows (summed elsewhere) */
  g_autofree double *rows = g_new (double, N * G);
  for (gsize k = 0; k < N * G; k++)
    rows[k] = wslfp_combined_get_values_single (got)[k];
  WslfpCombined *given;
  g_assert_cmpint (wslfp_combined_new_from_rows (G, t_eval, N, &options, rows, &given, &err), ==, WSLFP_OK);
  g_assert_cmpmem (wslfp_combined_get_values_single (given), N * G * sizeof (float),
                   wslfp_combined_get_values_single (got), N * G * sizeof (float));
  g_assert_cmpuint (wslfp_combined_get_n_columns (given), ==, G);
  g_assert_true (wslfp_combined_normalizes (given));
  wslfp_combined_free (given);
  rows[3 * G + 4] = NAN;
  g_assert_cmpint (wslfp_combined_new_from_rows (G, t_eval, N, &options, rows, &given, &err), ==,
                   WSLFP_ERROR_NOT_FINITE);
  g_assert_null (given);
  g_assert_cmpstr (err.message, ==, "rows[3][4] is nan");
  g_assert_cmpint (wslfp_combined_new_from_rows (G, t_eval, N, &options, NULL, &given, &err), ==,
                   WSLFP_ERROR_INVALID_ARGUMENT);
  wslfp_combined_free (got);
  wslfp_combined_free (want);
  wslfp_combined_free (whole);

  gsize kept = group[77];
  group[77] = G;
  g_assert_cmpint (wslfp_combined_new_grouped (S, group, G, t_eval, N, &options, &got, &err), ==, WSLFP_ERROR_INDEX);
  g_assert_null (got);
  g_assert_cmpstr (err.message, ==, "group[77] = 29 is not below n_groups = 29");
  group[77] = kept;
  g_assert_cmpint (wslfp_combined_new_grouped (S, group, 0, t_eval, N, &options, &got, &err), ==, WSLFP_ERROR_SHAPE);
  g_assert_cmpint (wslfp_combined_new_grouped (S, group, S + 1, t_eval, N, &options, &got, &err), ==,
                   WSLFP_ERROR_SHAPE);
  g_assert_cmpint (wslfp_combined_new_grouped (S, NULL, G, t_eval, N, &options, &got, &err), ==,
                   WSLFP_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (err.message, ==, "group is NULL");
}

/* Every entry point given NULL where it needs a pointer fails with
 * WSLFP_ERROR_INVALID_ARGUMENT and a message that names the argument (a
 * library user's mistake; the tools never make it), and writes nothing. */
static void
test_engine_null_arguments (void)
{
  WslfpError err;
  const double amp[6] = { 1, 2, 3, 4, 5, 6 }, t[4] = { 0, 1, 2, 3 };
  double out[64] = { 0 };
  WslfpModel *model = NULL;
  g_assert_cmpint (wslfp_model_new_from_amplitude (amp, 2, 3, &model, NULL), ==, WSLFP_OK);
  WslfpCombined *combined = NULL;
  g_assert_cmpint (wslfp_combined_new (3, false, t, 4, NULL, &combined, NULL), ==, WSLFP_OK);
  WslfpProfile *profile = NULL;
  g_assert_cmpint (wslfp_profile_new (WSLFP_PROFILE_MAZZONI15, &profile, NULL), ==, WSLFP_OK);
  WslfpGeometry geometry;
  wslfp_geometry_init (&geometry);
  WslfpStream *stream = NULL;
  g_assert_cmpint (wslfp_stream_new (model, 1, NULL, &stream, NULL), ==, WSLFP_OK);
  const size_t group[3] = { 0, 0, 1 };
  size_t first = 0, n_rows = 0;
  int64_t rows[4];
  WslfpModel *no_model = (WslfpModel *) 0x1;
  WslfpCombined *no_combined = (WslfpCombined *) 0x1;
  WslfpProfile *no_profile = (WslfpProfile *) 0x1;
  WslfpStream *no_stream = (WslfpStream *) 0x1;
  WslfpTklfp *no_tklfp = (WslfpTklfp *) 0x1;
  const double sigma[3] = { 1, 1, 1 };
  const bool exc[3] = { true, true, false };
  WslfpSpikes spikes;
  wslfp_spikes_init (&spikes);
  WslfpSpikeCurrents *no_gen = (WslfpSpikeCurrents *) 0x1;
#define EXPECT_NULL(call, want)                                                                                   \
  G_STMT_START                                                                                                    \
  {                                                                                                               \
    memset (&err, 0, sizeof err);                                                                                 \
    WslfpStatus st_ = (call);                                                                                     \
    if (st_ != WSLFP_ERROR_INVALID_ARGUMENT || err.status != st_ || strcmp (err.message, want) != 0)              \
      g_error ("%s: status %d, \"%s\"; expected %d, \"%s\"", #call, st_, err.message, WSLFP_ERROR_INVALID_ARGUMENT, \
               want);                                                                                             \
  }                                                                                                               \
  G_STMT_END
  EXPECT_NULL (wslfp_profile_new (WSLFP_PROFILE_MAZZONI15, NULL, &err), "profile (the result pointer) is NULL");
  EXPECT_NULL (wslfp_profile_new_from_name (NULL, &no_profile, &err), "profile name is NULL");
  EXPECT_NULL (wslfp_profile_new_custom (t, 2, t, 2, amp, NULL, &err), "profile (the result pointer) is NULL");
  EXPECT_NULL (wslfp_profile_new_custom (t, 2, t, 2, NULL, &no_profile, &err), "amp_uv is NULL");
  EXPECT_NULL (wslfp_profile_copy (profile, NULL, &err), "copy (the result pointer) is NULL");
  EXPECT_NULL (wslfp_profile_copy (NULL, &no_profile, &err), "profile is NULL");
  EXPECT_NULL (wslfp_profile_eval_many (NULL, 1, t, t, NULL, out, &err), "profile is NULL");
  EXPECT_NULL (wslfp_profile_eval_many (profile, 1, t, t, NULL, NULL, &err), "an array is NULL");
  EXPECT_NULL (wslfp_model_new (&geometry, profile, false, NULL, &err), "model (the result pointer) is NULL");
  EXPECT_NULL (wslfp_model_new (NULL, profile, false, &no_model, &err), "geometry is NULL");
  EXPECT_NULL (wslfp_model_new (&geometry, NULL, false, &no_model, &err), "profile is NULL");
  EXPECT_NULL (wslfp_model_new_from_amplitude (amp, 2, 3, NULL, &err), "model (the result pointer) is NULL");
  EXPECT_NULL (wslfp_model_new_from_amplitude (NULL, 2, 3, &no_model, &err), "amplitude_uv is NULL");
  EXPECT_NULL (wslfp_compute (NULL, NULL, NULL, t, 4, NULL, out, &err), "model is NULL");
  EXPECT_NULL (wslfp_compute (model, NULL, NULL, NULL, 4, NULL, out, &err), "t_eval_ms is NULL");
  EXPECT_NULL (wslfp_compute (model, NULL, NULL, t, 4, NULL, NULL, &err), "lfp is NULL");
  EXPECT_NULL (wslfp_currents_rows_needed (t, 4, t, 4, 0, NULL, &n_rows, &err), "first_row or n_rows is NULL");
  EXPECT_NULL (wslfp_currents_rows_needed (t, 4, t, 4, 0, &first, NULL, &err), "first_row or n_rows is NULL");
  EXPECT_NULL (wslfp_currents_rows_needed (t, 4, NULL, 4, 0, &first, &n_rows, &err), "t_eval_ms is NULL");
  EXPECT_NULL (wslfp_currents_sample_rows (t, 4, t, 4, 0, NULL, &err), "rows is NULL");
  EXPECT_NULL (wslfp_currents_sample_rows (t, 4, NULL, 4, 0, rows, &err), "t_eval_ms is NULL");
  EXPECT_NULL (wslfp_model_accumulate (NULL, amp, WSLFP_FLOAT64, 1, 3, 3, 0, WSLFP_PRECISION_AUTO, out, &err),
               "model is NULL");
  EXPECT_NULL (wslfp_model_accumulate (model, NULL, WSLFP_FLOAT64, 1, 3, 3, 0, WSLFP_PRECISION_AUTO, out, &err),
               "block is NULL");
  EXPECT_NULL (wslfp_model_accumulate (model, amp, WSLFP_FLOAT64, 1, 3, 3, 0, WSLFP_PRECISION_AUTO, NULL, &err),
               "out is NULL");
  EXPECT_NULL (wslfp_normalize (NULL, out, 4, NULL, NULL, &err), "model is NULL");
  EXPECT_NULL (wslfp_normalize (model, NULL, 4, NULL, NULL, &err), "lfp is NULL");
  EXPECT_NULL (wslfp_normalize_with (NULL, out, 4, amp, amp, &err), "model is NULL");
  EXPECT_NULL (wslfp_normalize_with (model, NULL, 4, amp, amp, &err), "lfp is NULL");
  EXPECT_NULL (wslfp_combined_new (3, false, t, 4, NULL, NULL, &err), "combined is NULL");
  EXPECT_NULL (wslfp_combined_new_single (3, false, t, 4, NULL, NULL, &err), "combined is NULL");
  EXPECT_NULL (wslfp_combined_new (3, false, NULL, 4, NULL, &no_combined, &err), "t_eval_ms is NULL");
  g_assert_null (no_combined); /* (the result pointer is cleared first) */
  EXPECT_NULL (wslfp_combined_fill (NULL, NULL, NULL, 0, 4, &err), "combined is NULL");
  EXPECT_NULL (wslfp_combined_compute (NULL, model, 1, out, &err), "combined is NULL");
  EXPECT_NULL (wslfp_combined_compute (combined, NULL, 1, out, &err), "model is NULL");
  EXPECT_NULL (wslfp_combined_compute (combined, model, 1, NULL, &err), "lfp is NULL");
  EXPECT_NULL (wslfp_combined_product (combined, NULL, 1, 0, 4, out, &err), "model is NULL");
  EXPECT_NULL (wslfp_combined_new_pooled (combined, group, 2, NULL, &err), "pooled is NULL");
  EXPECT_NULL (wslfp_combined_new_pooled (NULL, group, 2, &no_combined, &err), "combined is NULL");
  EXPECT_NULL (wslfp_combined_new_pooled (combined, NULL, 2, &no_combined, &err), "group is NULL");
  EXPECT_NULL (wslfp_combined_new_from_rows (3, t, 4, NULL, amp, NULL, &err), "combined is NULL");
  EXPECT_NULL (wslfp_combined_new_grouped (3, group, 2, t, 4, NULL, NULL, &err), "combined is NULL");
  EXPECT_NULL (wslfp_stream_new (model, 1, NULL, NULL, &err), "stream (the result pointer) is NULL");
  EXPECT_NULL (wslfp_stream_new (NULL, 1, NULL, &no_stream, &err), "model is NULL");
  EXPECT_NULL (wslfp_stream_push (NULL, amp, amp, 1, out, &err), "stream is NULL");
  EXPECT_NULL (wslfp_stream_push (stream, amp, amp, 1, NULL, &err), "lfp is NULL");
  EXPECT_NULL (wslfp_stream_set_normalization (NULL, NULL, NULL, &err), "stream is NULL");
  EXPECT_NULL (wslfp_spikes_to_currents (&spikes, t, 4, NULL, &err), "currents is NULL");
  EXPECT_NULL (wslfp_spike_currents_new (&spikes, NULL, &err), "out is NULL");
  EXPECT_NULL (wslfp_spike_currents_next (NULL, t, 4, out, &err), "the spike-currents handle is NULL");
  EXPECT_NULL (wslfp_tklfp_new_from_amplitude (amp, amp, sigma, 2, 3, NULL, &err), "tklfp (the result pointer) is NULL");
  EXPECT_NULL (wslfp_tklfp_new_from_amplitude (NULL, amp, sigma, 2, 3, &no_tklfp, &err), "TKLFP: amplitude_uv is NULL");
  EXPECT_NULL (wslfp_tklfp_new_from_amplitude (amp, NULL, sigma, 2, 3, &no_tklfp, &err), "TKLFP: delay_ms is NULL");
  EXPECT_NULL (wslfp_tklfp_new_from_amplitude (amp, amp, NULL, 2, 3, &no_tklfp, &err), "TKLFP: sigma_ms is NULL");
  EXPECT_NULL (wslfp_tklfp_new (amp, 1, exc, NULL, 0, amp, 1, NULL, NULL, &err), "tklfp (the result pointer) is NULL");
  EXPECT_NULL (wslfp_tklfp_new (NULL, 1, exc, amp, 1, amp, 1, NULL, &no_tklfp, &err), "TKLFP: cells_mm is NULL");
  EXPECT_NULL (wslfp_tklfp_new (amp, 1, NULL, amp, 1, amp, 1, NULL, &no_tklfp, &err), "TKLFP: excitatory is NULL");
  EXPECT_NULL (wslfp_tklfp_new (amp, 1, exc, amp, 1, NULL, 1, NULL, &no_tklfp, &err), "TKLFP: electrodes_mm is NULL");
  EXPECT_NULL (wslfp_tklfp_new (amp, 1, exc, NULL, 1, amp, 1, NULL, &no_tklfp, &err), "TKLFP: orientation is NULL");
  EXPECT_NULL (wslfp_tklfp_stream_new (NULL, 0, 1, NULL, &err), "stream (the result pointer) is NULL");
  WslfpTklfpStream *no_tk_stream = NULL;
  EXPECT_NULL (wslfp_tklfp_stream_new (NULL, 0, 1, &no_tk_stream, &err), "TKLFP stream: the model is NULL");
  EXPECT_NULL (wslfp_tklfp_stream_step (NULL, NULL, NULL, 0, out, &err), "TKLFP stream step: a NULL argument");
  EXPECT_NULL (wslfp_tklfp_compute (NULL, NULL, NULL, 0, t, 4, out, &err), "TKLFP compute: a NULL argument");
#undef EXPECT_NULL
  (void) no_gen;
  for (gsize i = 0; i < G_N_ELEMENTS (out); i++)
    g_assert_cmpfloat (out[i], ==, 0); /* nothing written */
  wslfp_stream_free (stream);
  wslfp_profile_free (profile);
  wslfp_combined_free (combined);
  wslfp_model_free (model);
}

/* Each status has its own short description; anything else is unknown. */
static void
test_engine_status_names (void)
{
  const char *want[WSLFP_N_STATUS] = { "success", "invalid argument", "shape mismatch", "value is not finite",
                                       "times are not strictly increasing", "index out of range",
                                       "time outside the data", "out of memory", "cancelled" };
  for (int s = 0; s < WSLFP_N_STATUS; s++)
    g_assert_cmpstr (wslfp_strerror ((WslfpStatus) s), ==, want[s]);
  g_assert_cmpstr (wslfp_strerror (WSLFP_N_STATUS), ==, "unknown status");
  g_assert_cmpstr (wslfp_strerror ((WslfpStatus) -1), ==, "unknown status");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, fn) g_test_add ("/engine/compute/" path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("small-case", test_compute_small_case);
  g_test_add_func ("/engine/compute/voxel-groups", test_compute_voxel_groups);
  g_test_add_func ("/engine/compute/combined-pooled", test_compute_combined_pooled);
  g_test_add_func ("/engine/compute/combined-grouped", test_compute_combined_grouped);
  ADD ("window", test_compute_window);
  ADD ("linearity", test_compute_linearity);
  ADD ("delay-shifts", test_compute_delay_shifts);
  ADD ("strict", test_compute_strict);
  ADD ("bad-input", test_compute_bad_input);
  ADD ("normalize", test_compute_normalize);
  ADD ("cancel", test_compute_cancel);
  ADD ("combined-small-case", test_compute_combined_small_case);
  ADD ("combined-moves", test_compute_combined_moves);
  ADD ("combined-errors", test_compute_combined_errors);
  ADD ("combined-product-rows", test_compute_combined_product_rows);
  g_test_add_func ("/engine/compute/combined-single", test_compute_combined_single);
  g_test_add_func ("/engine/compute/accumulate-out-of-reach", test_compute_accumulate_out_of_reach);
  g_test_add_func ("/engine/compute/small-grids", test_compute_small_grids);
  g_test_add_func ("/engine/compute/interpolation-order", test_compute_interpolation_order);
  g_test_add_func ("/engine/compute/snap-tolerance", test_compute_snap_tolerance);
  g_test_add_func ("/engine/null-arguments", test_engine_null_arguments);
  g_test_add_func ("/engine/status-names", test_engine_status_names);
  ADD ("progress", test_compute_progress);
  ADD ("strict-gaba", test_compute_strict_gaba);
  ADD ("normalize-rounding", test_compute_normalize_rounding);
  ADD ("sample-rows", test_compute_sample_rows);
  ADD ("accumulate", test_compute_accumulate);
  ADD ("accumulate-long-sums", test_compute_accumulate_long_sums);
  return g_test_run ();
}
