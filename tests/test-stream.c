/* test-stream.c: the streaming API equals the batch computation. */
#include <glib.h>
#include <math.h>
#include <string.h>

#include "wslfp.h"
#include "wslfp-test-data.h"

#define T  500
#define DT 0.1

static WslfpModel *
case_model (const WslfpTestCase *c, gboolean population)
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
  wslfp_profile_new (WSLFP_PROFILE_MAZZONI15_SINGLE, &p, NULL);
  g_assert_cmpint (wslfp_model_new (&g, p, population, &m, NULL), ==, WSLFP_OK);
  wslfp_profile_free (p);
  return m;
}

static void
random_currents (gsize n, double *v, guint32 seed)
{
  GRand *r = g_rand_new_with_seed (seed);
  for (gsize i = 0; i < n; i++)
    v[i] = g_rand_double_range (r, -1, 2);
  g_rand_free (r);
}

static void
check_stream_equals_batch (gboolean population, double tau_ampa, double tau_gaba)
{
  WslfpTestCase *c = wslfp_test_case_load ();
  WslfpModel *m = case_model (c, population);
  gsize S = c->n_sources, E = c->n_electrodes;
  g_autofree double *t = g_new (double, T);
  g_autofree double *ia = g_new (double, T * S);
  g_autofree double *ig = g_new (double, T * S);
  g_autofree double *batch = g_new (double, T * E);
  g_autofree double *streamed = g_new (double, T * E);
  WslfpOptions o;
  WslfpCurrents a, g;
  WslfpStream *s;
  WslfpError err;

  for (gsize i = 0; i < T; i++)
    t[i] = 3.0 + i * DT;
  random_currents (T * S, ia, 1);
  random_currents (T * S, ig, 2);
  wslfp_options_init (&o);
  o.normalize = FALSE;
  o.tau_ampa_ms = tau_ampa;
  o.tau_gaba_ms = tau_gaba;
  wslfp_currents_init (&a, t, T, ia, S);
  wslfp_currents_init (&g, t, T, ig, S);
  g_assert_cmpint (wslfp_compute (m, &a, &g, t, T, &o, batch, &err), ==, WSLFP_OK);

  g_assert_cmpint (wslfp_stream_new (m, DT, &o, &s, &err), ==, WSLFP_OK);
  /* Uneven chunks, including single steps and one longer than the delay. */
  const gsize chunks[] = { 1, 1, 7, 64, 1, 300, 3 };
  gsize done = 0;
  for (guint k = 0; done < T; k++)
    {
      gsize n = k < G_N_ELEMENTS (chunks) ? MIN (chunks[k], T - done) : T - done;
      g_assert_cmpint (wslfp_stream_push (s, ia + done * S, ig + done * S, n, streamed + done * E, &err), ==, WSLFP_OK);
      done += n;
    }
  g_assert_cmpfloat (wslfp_test_rel_error (streamed, batch, T * E), <=, 1e-12);
  /* the delay is real: before the longer delay, one current is missing */
  gsize k_max = (gsize) lround (MAX (tau_ampa, tau_gaba) / DT);
  g_assert_cmpfloat (fabs (streamed[(k_max + 10) * E] - streamed[(k_max / 2) * E]), >, 0);

  /* normalisation with given statistics equals wslfp_normalize_with */
  double mean[16], std[16];
  g_autofree double *norm_batch = g_memdup2 (batch, T * E * sizeof (double));
  g_assert_cmpint (wslfp_normalize (m, norm_batch, T, mean, std, &err), ==, WSLFP_OK);
  wslfp_stream_reset (s);
  g_assert_cmpint (wslfp_stream_set_normalization (s, mean, std, &err), ==, WSLFP_OK);
  for (gsize i = 0; i < T; i++)
    g_assert_cmpint (wslfp_stream_push (s, ia + i * S, ig + i * S, 1, streamed + i * E, &err), ==, WSLFP_OK);
  g_assert_cmpfloat (wslfp_test_rel_error (streamed, norm_batch, T * E), <=, 1e-12);

  wslfp_stream_free (s);
  wslfp_model_free (m);
  wslfp_test_case_free (c);
}

static void
test_stream_equals_batch (void)
{
  check_stream_equals_batch (FALSE, 6.0, 0.3);
}

static void
test_stream_population (void)
{
  check_stream_equals_batch (TRUE, 6.0, 0.3);
}

/* The GABA delay longer than the AMPA one, and no AMPA delay at all: the
 * stream must remember the longer of the two. */
static void
test_stream_longer_gaba_delay (void)
{
  check_stream_equals_batch (FALSE, 1.0, 4.0);
  check_stream_equals_batch (FALSE, 0.0, 2.5);
  check_stream_equals_batch (TRUE, 0.0, 0.0);
}

static void
test_stream_bad_input (void)
{
  WslfpTestCase *c = wslfp_test_case_load ();
  WslfpModel *m = case_model (c, FALSE);
  gsize S = c->n_sources, E = c->n_electrodes;
  WslfpOptions o;
  WslfpStream *s;
  WslfpError err;
  double in[2 * 6] = { 0 }, out1[2 * 5], out2[2 * 5];

  wslfp_options_init (&o);
  o.tau_ampa_ms = 0.25;
  g_assert_cmpint (wslfp_stream_new (m, DT, &o, &s, &err), ==, WSLFP_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (err.message, "tau_ampa_ms = 0.25 ms is not a whole number of steps"));
  g_assert_null (s);
  o.tau_ampa_ms = 0.2;
  o.tau_gaba_ms = -0.1; /* a delay into the future */
  g_assert_cmpint (wslfp_stream_new (m, DT, &o, &s, &err), ==, WSLFP_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (err.message, "tau_gaba_ms = -0.1 ms is negative"));
  o.tau_gaba_ms = 0;
  g_assert_cmpint (wslfp_stream_new (m, -1, &o, &s, &err), ==, WSLFP_ERROR_INVALID_ARGUMENT);
  g_assert_cmpint (wslfp_stream_new (m, DT, &o, &s, &err), ==, WSLFP_OK);

  /* A bad push is refused and forgotten: the stream goes on as before. */
  random_currents (2 * S, in, 3);
  double bad[2 * 6];
  memcpy (bad, in, sizeof bad);
  bad[S + 4] = NAN;
  g_assert_cmpint (wslfp_stream_push (s, bad, NULL, 2, out1, &err), ==, WSLFP_ERROR_NOT_FINITE);
  g_assert_nonnull (strstr (err.message, "ampa[1][4]"));
  for (int rep = 0; rep < 3; rep++)
    g_assert_cmpint (wslfp_stream_push (s, in, in, 2, out1, &err), ==, WSLFP_OK);
  wslfp_stream_reset (s);
  for (int rep = 0; rep < 3; rep++)
    g_assert_cmpint (wslfp_stream_push (s, in, in, 2, out2, &err), ==, WSLFP_OK);
  g_assert_cmpmem (out1, sizeof out1, out2, sizeof out2);
  double std[5] = { 1, 1, 1, 1, -2 }, mean[5] = { 0 };
  g_assert_cmpint (wslfp_stream_set_normalization (s, mean, std, &err), ==, WSLFP_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (err.message, "std[4]"));
  /* one statistic without the other: the missing one is named */
  g_assert_cmpint (wslfp_stream_set_normalization (s, mean, NULL, &err), ==, WSLFP_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (err.message, ==, "std is NULL");
  g_assert_cmpint (wslfp_stream_set_normalization (s, NULL, std, &err), ==, WSLFP_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (err.message, ==, "mean is NULL");
  g_assert_cmpint (wslfp_stream_push (s, in, in, 2, NULL, &err), ==, WSLFP_ERROR_INVALID_ARGUMENT);
  memcpy (bad, in, sizeof bad);
  bad[1] = INFINITY;
  g_assert_cmpint (wslfp_stream_push (s, in, bad, 2, out1, &err), ==, WSLFP_ERROR_NOT_FINITE);
  g_assert_nonnull (strstr (err.message, "gaba[0][1]"));
  (void) E;
  wslfp_stream_free (s);

  /* finite inputs whose combination is not: AMPA + 1.65 × (−GABA) overflows */
  g_assert_cmpint (wslfp_stream_new (m, DT, &o, &s, &err), ==, WSLFP_OK);
  double huge[4 * 6], minus_huge[4 * 6], out4[4 * 5];
  g_assert_cmpuint (S, <=, 6);
  for (gsize i = 0; i < 4 * S; i++)
    huge[i] = 1.5e308, minus_huge[i] = -1.5e308;
  /* (GABA alone: 1.65 × 1.5e308 overflows at step 0, before any AMPA) */
  g_assert_cmpint (wslfp_stream_push (s, huge, minus_huge, 4, out4, &err), ==, WSLFP_ERROR_NOT_FINITE);
  g_assert_cmpstr (err.message, ==, "the current at stream step 0 overflows: −1.65 × GABA of step 0 is not finite "
                                    "(the inputs are)");
  wslfp_stream_reset (s);
  for (gsize i = 0; i < 4 * S; i++)
    huge[i] = 1e308, minus_huge[i] = -0.5e308;
  g_assert_cmpint (wslfp_stream_push (s, huge, minus_huge, 4, out4, &err), ==, WSLFP_ERROR_NOT_FINITE);
  g_assert_cmpstr (err.message, ==, "the current at stream step 2 overflows: AMPA of step 0 − 1.65 × GABA of step 2 "
                                    "is not finite (the inputs are)");
  wslfp_stream_free (s);
  o.alpha = NAN;
  g_assert_cmpint (wslfp_stream_new (m, DT, &o, &s, &err), ==, WSLFP_ERROR_NOT_FINITE);
  g_assert_nonnull (strstr (err.message, "alpha is nan"));
  g_assert_null (s);
  wslfp_model_free (m);
  wslfp_test_case_free (c);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/stream/equals-batch", test_stream_equals_batch);
  g_test_add_func ("/engine/stream/population", test_stream_population);
  g_test_add_func ("/engine/stream/longer-gaba-delay", test_stream_longer_gaba_delay);
  g_test_add_func ("/engine/stream/bad-input", test_stream_bad_input);
  return g_test_run ();
}
