/* test-model.c: geometry and amplitude matrices. */
#include <glib.h>
#include <math.h>
#include <string.h>

#include "wslfp.h"
#include "wslfp-test-data.h"

static const char *profile_names[] = { "mazzoni15", "mazzoni15_single", "aussel18" };

static void
geometry_from_case (const WslfpTestCase *c, WslfpGeometry *g)
{
  wslfp_geometry_init (g);
  g->electrodes_um = c->electrodes;
  g->n_electrodes = c->n_electrodes;
  g->sources_um = c->sources;
  g->n_sources = c->n_sources;
  g->orientation = c->orientation;
  g->n_orientations = c->n_sources;
  g->dendrite_length_um = c->lengths;
  g->n_lengths = c->n_sources;
}

/* @E electrodes and @S cells, each with its own orientation and length. */
static void
geometry_of_cells (WslfpGeometry *g, const double *electrodes, gsize E, const double *sources,
                   const double *orientation, const double *length, gsize S)
{
  wslfp_geometry_init (g);
  g->electrodes_um = electrodes;
  g->n_electrodes = E;
  g->sources_um = sources;
  g->n_sources = S;
  g->orientation = orientation;
  g->n_orientations = S;
  g->dendrite_length_um = length;
  g->n_lengths = S;
}

static WslfpModel *
make_model (const WslfpGeometry *g, const char *profile_name, gboolean population)
{
  WslfpProfile *p;
  WslfpModel *m;
  WslfpError err;
  p = wslfp_test_fixture_profile (profile_name); /* the fixtures' rule */
  if (wslfp_model_new (g, p, population, &m, &err) != WSLFP_OK)
    g_error ("%s", err.message);
  wslfp_profile_free (p);
  return m;
}

/* A and the population A of small_case.h5, for all three profiles. */
static void
test_model_small_case (void)
{
  WslfpTestCase *c = wslfp_test_case_load ();
  WslfpGeometry g;

  geometry_from_case (c, &g);
  for (guint k = 0; k < G_N_ELEMENTS (profile_names); k++)
    {
      g_autofree char *path = g_strdup_printf ("/expected/%s/amp_uV", profile_names[k]);
      g_autofree char *pop_path = g_strdup_printf ("/expected/%s/population_amp_uV", profile_names[k]);
      gsize rows, cols;
      g_autofree double *want = wslfp_test_read ("small_case.h5", path, &rows, &cols);
      g_autofree double *want_pop = wslfp_test_read ("small_case.h5", pop_path, NULL, NULL);

      WslfpModel *m = make_model (&g, profile_names[k], FALSE);
      g_assert_cmpuint (wslfp_model_get_n_columns (m), ==, cols);
      g_assert_cmpuint (wslfp_model_get_n_electrodes (m), ==, rows);
      g_assert_cmpfloat (wslfp_test_rel_error (wslfp_model_get_amplitude (m), want, rows * cols), <=, 1e-9);
      wslfp_model_free (m);

      m = make_model (&g, profile_names[k], TRUE);
      g_assert_cmpuint (wslfp_model_get_n_columns (m), ==, 1);
      g_assert_cmpuint (wslfp_model_get_n_sources (m), ==, c->n_sources);
      g_assert_true (wslfp_model_is_population (m));
      g_assert_cmpfloat (wslfp_test_rel_error (wslfp_model_get_amplitude (m), want_pop, rows), <=, 1e-9);
      wslfp_model_free (m);
    }
  wslfp_test_case_free (c);
}

static void
rotate (const double R[9], const double *in, double *out, gsize n)
{
  for (gsize i = 0; i < n; i++)
    for (int a = 0; a < 3; a++)
      out[3 * i + a] = R[3 * a] * in[3 * i] + R[3 * a + 1] * in[3 * i + 1] + R[3 * a + 2] * in[3 * i + 2];
}

/* Rotating (and translating) electrodes, sources and orientations together
 * leaves A unchanged: it depends only on relative geometry. */
static void
test_model_rotation_invariance (void)
{
  WslfpTestCase *c = wslfp_test_case_load ();
  WslfpGeometry g, h;
  GRand *rand = g_rand_new_with_seed (7);

  geometry_from_case (c, &g);
  for (int trial = 0; trial < 5; trial++)
    {
      /* A random rotation from a random unit quaternion. */
      double q[4], n = 0;
      for (int i = 0; i < 4; i++)
        {
          q[i] = g_rand_double_range (rand, -1, 1);
          n += q[i] * q[i];
        }
      for (int i = 0; i < 4; i++)
        q[i] /= sqrt (n);
      double w = q[0], x = q[1], y = q[2], z = q[3];
      double R[9] = { 1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w),
                      2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w),
                      2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y) };
      double shift[3] = { 137, -52, 310 };
      g_autofree double *e = g_new (double, 3 * c->n_electrodes);
      g_autofree double *s = g_new (double, 3 * c->n_sources);
      g_autofree double *o = g_new (double, 3 * c->n_sources);
      rotate (R, c->electrodes, e, c->n_electrodes);
      rotate (R, c->sources, s, c->n_sources);
      rotate (R, c->orientation, o, c->n_sources);
      for (gsize i = 0; i < c->n_electrodes; i++)
        for (int a = 0; a < 3; a++)
          e[3 * i + a] += shift[a];
      for (gsize i = 0; i < c->n_sources; i++)
        for (int a = 0; a < 3; a++)
          s[3 * i + a] += shift[a];
      h = g;
      h.electrodes_um = e;
      h.sources_um = s;
      h.orientation = o;
      for (guint k = 0; k < G_N_ELEMENTS (profile_names); k++)
        for (int pop = 0; pop < 2; pop++)
          {
            WslfpModel *m1 = make_model (&g, profile_names[k], pop);
            WslfpModel *m2 = make_model (&h, profile_names[k], pop);
            gsize n_a = wslfp_model_get_n_electrodes (m1) * wslfp_model_get_n_columns (m1);
            g_assert_cmpfloat (wslfp_test_rel_error (wslfp_model_get_amplitude (m2),
                                                     wslfp_model_get_amplitude (m1), n_a), <=, 1e-9);
            wslfp_model_free (m1);
            wslfp_model_free (m2);
          }
    }
  g_rand_free (rand);
  wslfp_test_case_free (c);
}

/* Somata plus unit orientation · L/2 are the dipole centres: giving those
 * centres directly yields the same A; defaults are (0,0,1) and 250 µm. */
static void
test_model_centers_and_defaults (void)
{
  const double electrodes[] = { 30, 0, 400, 0, 40, -100 };
  const double somata[] = { 0, 0, 0, 10, 20, 30 };
  const double centers[] = { 0, 0, 125, 10, 20, 155 };
  WslfpGeometry g;

  wslfp_geometry_init (&g);
  g.electrodes_um = electrodes;
  g.n_electrodes = 2;
  g.sources_um = somata;
  g.n_sources = 2;
  WslfpModel *a = make_model (&g, "aussel18", FALSE);
  g.sources_um = centers;
  g.coords = WSLFP_COORDS_DIPOLE_CENTERS;
  const double up[] = { 0, 0, 7 };       /* any length */
  const double length[] = { 250 };
  g.orientation = up;
  g.n_orientations = 1;
  g.dendrite_length_um = length;
  g.n_lengths = 1;
  WslfpModel *b = make_model (&g, "aussel18", FALSE);
  g_assert_cmpfloat (wslfp_test_rel_error (wslfp_model_get_amplitude (b), wslfp_model_get_amplitude (a), 4), <=, 1e-14);

  double r, d;
  wslfp_model_get_rd (a, 0, 0, &r, &d);
  g_assert_cmpfloat_with_epsilon (r, 30, 1e-12);
  g_assert_cmpfloat_with_epsilon (d, 275, 1e-12);
  g_assert_cmpfloat_with_epsilon (wslfp_model_get_centers (a)[5], 155, 1e-12);
  g_assert_cmpfloat_with_epsilon (wslfp_model_get_orientations (a)[2], 1, 1e-15);
  /* aussel18 by hand: 0.021 L cos θ / (4π σ dist²) with cos θ = −d/dist */
  double dist = hypot (30, 275);
  double want = 0.021 * 250 * (-275 / dist) / (4 * G_PI * 0.3 * dist * dist);
  g_assert_cmpfloat_with_epsilon (wslfp_model_get_amplitude (a)[0], want, 1e-15);
  wslfp_model_free (a);
  wslfp_model_free (b);
}

static void
expect_error (const WslfpGeometry *g, WslfpStatus status, const char *fragment)
{
  WslfpProfile *p;
  WslfpModel *m = (WslfpModel *) 1;
  WslfpError err;
  wslfp_profile_new (WSLFP_PROFILE_MAZZONI15, &p, NULL);
  g_assert_cmpint (wslfp_model_new (g, p, FALSE, &m, &err), ==, status);
  g_assert_cmpint (err.status, ==, status);
  if (strstr (err.message, fragment) == NULL)
    g_error ("message \"%s\" does not name \"%s\"", err.message, fragment);
  g_assert_null (m);
  wslfp_profile_free (p);
}

static void
test_model_bad_input (void)
{
  double electrodes[] = { 0, 0, 0, 1, 2, 3 };
  double sources[] = { 0, 0, 0, 5, 5, 5, 9, 9, 9 };
  double orient[] = { 0, 0, 1, 0, 0, 0, 1, 0, 0 };
  double lengths[] = { 100, -5, 100 };
  WslfpGeometry g, h;

  wslfp_geometry_init (&g);
  g.electrodes_um = electrodes;
  g.n_electrodes = 2;
  g.sources_um = sources;
  g.n_sources = 3;

  h = g; h.orientation = orient; h.n_orientations = 3;
  expect_error (&h, WSLFP_ERROR_INVALID_ARGUMENT, "orientation[1] is the zero vector");
  h = g; h.orientation = orient; h.n_orientations = 2;
  expect_error (&h, WSLFP_ERROR_SHAPE, "orientation has 2 rows");
  h = g; h.dendrite_length_um = lengths; h.n_lengths = 3;
  expect_error (&h, WSLFP_ERROR_INVALID_ARGUMENT, "dendrite_length_um[1]");
  h = g; h.dendrite_length_um = lengths; h.n_lengths = 2;
  expect_error (&h, WSLFP_ERROR_SHAPE, "dendrite_length_um has 2 values");
  h = g; h.n_electrodes = 0;
  expect_error (&h, WSLFP_ERROR_SHAPE, "electrodes_um is empty");
  h = g; h.sources_um = NULL;
  expect_error (&h, WSLFP_ERROR_SHAPE, "sources_um is empty");
  h = g; h.n_sources = (size_t) -3; /* a negative count cast to size_t */
  expect_error (&h, WSLFP_ERROR_SHAPE, "n_sources");
  sources[7] = NAN;
  expect_error (&g, WSLFP_ERROR_NOT_FINITE, "sources_um[2][1]");
  sources[7] = 9;
  electrodes[3] = INFINITY;
  expect_error (&g, WSLFP_ERROR_NOT_FINITE, "electrodes_um[1][0]");
  electrodes[3] = 1;
  h = g; h.coords = 7;
  expect_error (&h, WSLFP_ERROR_INVALID_ARGUMENT, "coords");
  expect_error (NULL, WSLFP_ERROR_INVALID_ARGUMENT, "geometry");

  /* Opposite orientations have no mean direction in population mode. */
  double opposite[] = { 0, 0, 1, 0, 0, -1 };
  WslfpProfile *p;
  WslfpModel *m;
  WslfpError err;
  h = g; h.n_sources = 2; h.orientation = opposite; h.n_orientations = 2;
  wslfp_profile_new (WSLFP_PROFILE_MAZZONI15, &p, NULL);
  g_assert_cmpint (wslfp_model_new (&h, p, TRUE, &m, &err), ==, WSLFP_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (err.message, "population"));
  wslfp_profile_free (p);
}

/* A model of a given amplitude matrix (the Python package's profiles
 * computed elsewhere): the Python reference's A of small_case.h5 gives the
 * reference raw LFP; a NaN is refused naming its place; it has no
 * geometry. */
static void
test_model_from_amplitude (void)
{
  WslfpTestCase *c = wslfp_test_case_load ();
  gsize rows, cols;
  g_autofree double *amp = wslfp_test_read ("small_case.h5", "/expected/aussel18/amp_uV", &rows, &cols);
  g_autofree double *want = wslfp_test_read ("small_case.h5", "/expected/aussel18/raw", NULL, NULL);
  WslfpModel *m = NULL;
  WslfpError err;
  g_assert_cmpint (wslfp_model_new_from_amplitude (amp, rows, cols, &m, &err), ==, WSLFP_OK);
  g_assert_cmpuint (wslfp_model_get_n_electrodes (m), ==, rows);
  g_assert_cmpuint (wslfp_model_get_n_sources (m), ==, cols);
  g_assert_false (wslfp_model_is_population (m));
  g_assert_null (wslfp_model_get_centers (m));
  double r, d;
  wslfp_model_get_rd (m, 0, 0, &r, &d);
  g_assert_true (isnan (r) && isnan (d));
  amp[0] = 1e300; /* the model keeps its own copy */
  WslfpCurrents ampa, gaba;
  wslfp_currents_init (&ampa, c->t_ampa, c->n_ampa, c->i_ampa, c->n_sources);
  wslfp_currents_init (&gaba, c->t_gaba, c->n_gaba, c->i_gaba, c->n_sources);
  WslfpOptions o;
  wslfp_options_init (&o);
  o.normalize = FALSE;
  g_autofree double *lfp = g_new (double, c->n_eval * rows);
  g_assert_cmpint (wslfp_compute (m, &ampa, &gaba, c->t_eval, c->n_eval, &o, lfp, &err), ==, WSLFP_OK);
  g_assert_cmpfloat (wslfp_test_rel_error (lfp, want, c->n_eval * rows), <=, 1e-9);
  wslfp_model_free (m);

  amp[1 * cols + 2] = NAN;
  g_assert_cmpint (wslfp_model_new_from_amplitude (amp, rows, cols, &m, &err), ==, WSLFP_ERROR_NOT_FINITE);
  g_assert_null (m);
  g_assert_nonnull (strstr (err.message, "amplitude_uv[1][2]"));
  g_assert_cmpint (wslfp_model_new_from_amplitude (amp, 0, cols, &m, &err), ==, WSLFP_ERROR_SHAPE);
  g_assert_cmpint (wslfp_model_new_from_amplitude (NULL, rows, cols, &m, &err), ==, WSLFP_ERROR_INVALID_ARGUMENT);
  wslfp_test_case_free (c);
}

/* Profiles at many points equal them one at a time; bad points are named. */
static void
test_model_profile_eval_many (void)
{
  WslfpProfile *p;
  WslfpError err;
  g_assert_cmpint (wslfp_profile_new_from_name ("aussel18", &p, NULL), ==, WSLFP_OK);
  double r[4] = { 0, 100, 250, 30 }, d[4] = { 0, -200, 400, 5 }, L[4] = { 250, 250, 300, 100 }, out[4];
  g_assert_cmpint (wslfp_profile_eval_many (p, 4, r, d, L, out, &err), ==, WSLFP_OK);
  for (int i = 0; i < 4; i++)
    g_assert_cmpfloat (out[i], ==, wslfp_profile_eval (p, r[i], d[i], L[i]));
  g_assert_cmpfloat (out[0], ==, 0); /* at the dipole: 0, not NaN */
  d[2] = INFINITY;
  g_assert_cmpint (wslfp_profile_eval_many (p, 4, r, d, L, out, &err), ==, WSLFP_ERROR_NOT_FINITE);
  g_assert_nonnull (strstr (err.message, "point 2"));
  d[2] = 0;
  r[3] = -1;
  g_assert_cmpint (wslfp_profile_eval_many (p, 4, r, d, L, out, &err), ==, WSLFP_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (err.message, "point 3"));
  wslfp_profile_free (p);
}

/* The amplitude matrix computed by several threads: each entry the
 * profile at that (electrode, source)'s own r and d (an evaluation of its
 * own, not the model's loop), and the same matrix, to the bit, for every
 * thread count; sizes that split rows between threads, and the smallest
 * matrix that is split. */
static void
test_model_threaded (void)
{
  const gsize shapes[][2] = { { 37, 4001 }, { 1, 65536 }, { 3, 5 } };
  GRand *rand = g_rand_new_with_seed (17);
  for (guint k = 0; k < G_N_ELEMENTS (shapes); k++)
    {
      gsize E = shapes[k][0], S = shapes[k][1];
      g_autofree double *electrodes = g_new (double, 3 * E), *sources = g_new (double, 3 * S);
      g_autofree double *orientation = g_new (double, 3 * S), *length = g_new (double, S);
      for (gsize i = 0; i < 3 * E; i++)
        electrodes[i] = g_rand_double_range (rand, -300, 300);
      for (gsize i = 0; i < 3 * S; i++)
        {
          sources[i] = g_rand_double_range (rand, -400, 400);
          orientation[i] = g_rand_double_range (rand, -1, 1) + (i % 3 == 2 ? 2 : 0);
        }
      for (gsize i = 0; i < S; i++)
        length[i] = g_rand_double_range (rand, 100, 400);
      WslfpGeometry g;
      geometry_of_cells (&g, electrodes, E, sources, orientation, length, S);
      for (guint p = 0; p < G_N_ELEMENTS (profile_names); p++)
        {
          WslfpProfile *profile = wslfp_test_fixture_profile (profile_names[p]);
          WslfpModel *one = NULL;
          WslfpError err;
          g_assert_cmpint (wslfp_model_new_threaded (&g, profile, FALSE, 1, &one, &err), ==, WSLFP_OK);
          const double *A = wslfp_model_get_amplitude (one);
          g_autofree double *r = g_new (double, S), *d = g_new (double, S), *want = g_new (double, S);
          gsize nonzero = 0;
          for (gsize e = 0; e < E; e++)
            {
              for (gsize s = 0; s < S; s++)
                wslfp_model_get_rd (one, e, s, &r[s], &d[s]);
              g_assert_cmpint (wslfp_profile_eval_many (profile, S, r, d, length, want, &err), ==, WSLFP_OK);
              for (gsize s = 0; s < S; s++)
                {
                  if (A[e * S + s] != want[s])
                    g_error ("%s, %zu × %zu: A[%zu][%zu] = %.17g, the profile there %.17g", profile_names[p], E, S,
                             e, s, A[e * S + s], want[s]);
                  nonzero += want[s] != 0;
                }
            }
          g_assert_cmpuint (nonzero, >, E * S / 20);
          const unsigned counts[] = { 0, 2, 3, 7 };
          for (guint c = 0; c < G_N_ELEMENTS (counts); c++)
            {
              WslfpModel *many = NULL;
              g_assert_cmpint (wslfp_model_new_threaded (&g, profile, FALSE, counts[c], &many, &err), ==, WSLFP_OK);
              if (memcmp (wslfp_model_get_amplitude (many), A, E * S * sizeof (double)) != 0)
                g_error ("%s, %zu × %zu, %u threads: not the one thread's matrix", profile_names[p], E, S,
                         counts[c]);
              wslfp_model_free (many);
            }
          /* the population's one column, as wslfp_model_new() gives it */
          WslfpModel *pop = NULL, *pop_many = NULL;
          g_assert_cmpint (wslfp_model_new (&g, profile, TRUE, &pop, &err), ==, WSLFP_OK);
          g_assert_cmpint (wslfp_model_new_threaded (&g, profile, TRUE, 0, &pop_many, &err), ==, WSLFP_OK);
          g_assert_cmpuint (wslfp_model_get_n_columns (pop_many), ==, 1);
          g_assert_cmpmem (wslfp_model_get_amplitude (pop_many), E * sizeof (double), wslfp_model_get_amplitude (pop),
                           E * sizeof (double));
          wslfp_model_free (pop);
          wslfp_model_free (pop_many);
          wslfp_model_free (one);
          wslfp_profile_free (profile);
        }
    }
  g_rand_free (rand);
}

/* A long probe over clusters of 256 cells (the runs whose bounds the model
 * keeps) from far below it to far above it, some sharing an orientation,
 * some not, some spread wider than the profile's reach: the entries the
 * model leaves 0 without evaluating must be exactly the profile there,
 * on one thread and on several (parts that split a run), and the
 * geometry must have runs wholly out of reach and runs on its edge. */
static void
test_model_out_of_reach (void)
{
  enum { E = 64, RUNS = 40, RUN = 256, S = RUNS * RUN };
  static const double r_grid[] = { 0, 20, 50 }, d_grid[] = { 0, 40, 100 };
  static const double amp_grid[] = { 3, 2, 1, 2, 1.5, 0.5, 1, 0.5, 0.25 };
  g_autofree double *electrodes = g_new (double, 3 * E), *sources = g_new (double, 3 * S);
  g_autofree double *orientation = g_new (double, 3 * S), *length = g_new (double, S);
  GRand *rand = g_rand_new_with_seed (29);
  for (gsize e = 0; e < E; e++)
    {
      electrodes[3 * e] = 10.0 * (e % 2);
      electrodes[3 * e + 1] = 0;
      electrodes[3 * e + 2] = -3150 + 100.0 * e;
    }
  for (gsize j = 0; j < RUNS; j++)
    for (gsize i = 0; i < RUN; i++)
      {
        gsize s = j * RUN + i;
        double spread = j % 5 == 4 ? 1500 : 40;
        sources[3 * s] = g_rand_double_range (rand, -spread, spread) + 300.0 * (j % 3);
        sources[3 * s + 1] = g_rand_double_range (rand, -spread, spread);
        /* (even runs from far below the probe to far above it, odd ones
         * along it: a run out of reach is next to one in reach) */
        sources[3 * s + 2] = (j % 2 ? -2000 + 100.0 * j : -7800 + 400.0 * j) + g_rand_double_range (rand, -60, 60);
        gboolean shared = j % 4 < 2;
        orientation[3 * s] = shared ? 0.1 * (j % 4) : g_rand_double_range (rand, -1, 1);
        orientation[3 * s + 1] = shared ? 0 : g_rand_double_range (rand, -1, 1);
        orientation[3 * s + 2] = shared ? 1 : g_rand_double_range (rand, -1, 1);
        length[s] = g_rand_double_range (rand, 100, 400);
      }
  /* The last run: every centre at r = 0.99 r_max, d = 0.99 d_max of the
   * custom grid from electrode 0, where it is not 0, one orientation off
   * by 1e-9 (so only the distance bound applies): farther than 0.99 of
   * the reach is not out of it. */
  for (gsize s = (RUNS - 1) * RUN; s < S; s++)
    {
      length[s] = 200;
      sources[3 * s] = electrodes[0] - 49.5;
      sources[3 * s + 1] = electrodes[1];
      sources[3 * s + 2] = electrodes[2] - 99 - length[s] / 2;
      orientation[3 * s] = s == (RUNS - 1) * RUN ? 1e-9 : 0;
      orientation[3 * s + 1] = 0;
      orientation[3 * s + 2] = 1;
    }
  /* Runs 37 and 38: every centre 1.05 d_max straight below the top
   * electrode (of mazzoni15, of the custom grid), the first cell upright,
   * the others tilted by 20°, which brings them in reach (d = 0.987 d_max,
   * r = 0.36 × 1.05 d_max): along the first cell's axis is no bound for
   * cells of other axes. */
  WslfpProfile *mazzoni = wslfp_test_fixture_profile ("mazzoni15");
  double d_max[2] = { 0, 100 };
  wslfp_profile_get_extent (mazzoni, NULL, &d_max[0]);
  wslfp_profile_free (mazzoni);
  for (gsize k = 0; k < 2; k++)
    for (gsize s = (37 + k) * RUN; s < (38 + k) * RUN; s++)
      {
        double tilt = s % RUN == 0 ? 0 : 20 * G_PI / 180, *u = orientation + 3 * s;
        u[0] = sin (tilt), u[1] = 0, u[2] = cos (tilt);
        length[s] = 200;
        for (int c = 0; c < 3; c++)
          sources[3 * s + c] = electrodes[3 * (E - 1) + c] - (c == 2 ? 1.05 * d_max[k] : 0) - u[c] * length[s] / 2;
      }
  g_rand_free (rand);
  WslfpGeometry g;
  geometry_of_cells (&g, electrodes, E, sources, orientation, length, S);
  WslfpError err;
  for (guint p = 0; p <= G_N_ELEMENTS (profile_names); p++)
    {
      WslfpProfile *profile = NULL;
      const char *name = p < G_N_ELEMENTS (profile_names) ? profile_names[p] : "custom (reach 112 µm)";
      if (p < G_N_ELEMENTS (profile_names))
        profile = wslfp_test_fixture_profile (name);
      else
        g_assert_cmpint (wslfp_profile_new_custom (r_grid, 3, d_grid, 3, amp_grid, &profile, &err), ==, WSLFP_OK);
      gsize wholly_zero = 0, edge = 0;
      static const guint thread_counts[] = { 1, 2, 3, 5, 7 };
      for (guint t = 0; t < G_N_ELEMENTS (thread_counts); t++)
        {
          guint threads = thread_counts[t];
          WslfpModel *m = NULL;
          g_assert_cmpint (wslfp_model_new_threaded (&g, profile, FALSE, threads, &m, &err), ==, WSLFP_OK);
          const double *A = wslfp_model_get_amplitude (m);
          double r[RUN], d[RUN], want[RUN];
          for (gsize e = 0; e < E; e++)
            for (gsize j = 0; j < RUNS; j++)
              {
                for (gsize i = 0; i < RUN; i++)
                  wslfp_model_get_rd (m, e, j * RUN + i, &r[i], &d[i]);
                g_assert_cmpint (wslfp_profile_eval_many (profile, RUN, r, d, length + j * RUN, want, &err), ==,
                                 WSLFP_OK);
                gsize zeros = 0;
                for (gsize i = 0; i < RUN; i++)
                  {
                    if (A[e * S + j * RUN + i] != want[i])
                      g_error ("%s, %u threads: A[%zu][%zu] = %.17g, the profile there %.17g (r %g, d %g µm)", name,
                               threads, e, j * RUN + i, A[e * S + j * RUN + i], want[i], r[i], d[i]);
                    zeros += want[i] == 0;
                  }
                wholly_zero += threads == 1 && zeros == RUN;
                edge += threads == 1 && zeros > 0 && zeros < RUN;
              }
          wslfp_model_free (m);
        }
      g_test_message ("%s: %zu of %d electrode × run pairs out of reach, %zu on its edge", name, wholly_zero,
                      E * RUNS, edge);
      if (p != 2) /* (aussel18 reaches everywhere) */
        {
          g_assert_cmpuint (wholly_zero, >, E * RUNS / 4);
          g_assert_cmpuint (edge, >, 20);
        }
      wslfp_profile_free (profile);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/model/small-case", test_model_small_case);
  g_test_add_func ("/engine/model/rotation-invariance", test_model_rotation_invariance);
  g_test_add_func ("/engine/model/centers-and-defaults", test_model_centers_and_defaults);
  g_test_add_func ("/engine/model/bad-input", test_model_bad_input);
  g_test_add_func ("/engine/model/from-amplitude", test_model_from_amplitude);
  g_test_add_func ("/engine/model/profile-eval-many", test_model_profile_eval_many);
  g_test_add_func ("/engine/model/threaded", test_model_threaded);
  g_test_add_func ("/engine/model/out-of-reach", test_model_out_of_reach);
  return g_test_run ();
}
