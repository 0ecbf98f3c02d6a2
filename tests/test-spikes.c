/* test-spikes.c: spikes → biexponential currents, against Brian2 and the
 * closed-form kernel. */
#include <glib.h>
#include <math.h>
#include <string.h>

#include "wslfp.h"
#include "wslfp-test-data.h"

/* Brian's recorded currents from its spikes: ode kernel, delay + 2 dt. */
static void
check_brian_group (const char *group)
{
  const char *f = "brian_small.h5";
  g_autofree char *p_t = g_strdup_printf ("/spikes/%s/t_ms", group);
  g_autofree char *p_i = g_strdup_printf ("/spikes/%s/i", group);
  g_autofree char *p_ptr = g_strdup_printf ("/spikes/%s/weights/indptr", group);
  g_autofree char *p_ind = g_strdup_printf ("/spikes/%s/weights/indices", group);
  g_autofree char *p_dat = g_strdup_printf ("/spikes/%s/weights/data", group);
  g_autofree char *p_grp = g_strdup_printf ("/spikes/%s", group);
  const char *cur = strcmp (group, "exc") == 0 ? "/currents/ampa" : "/currents/gaba";
  g_autofree char *p_ct = g_strdup_printf ("%s/t_ms", cur);
  g_autofree char *p_ci = g_strdup_printf ("%s/I", cur);
  gsize n_spikes, n_i, n_ptr, n_ind, T, S;

  g_autofree double *t_spk = wslfp_test_read (f, p_t, &n_spikes, NULL);
  g_autofree gint64 *neuron = wslfp_test_read_int (f, p_i, &n_i);
  g_autofree gint64 *indptr = wslfp_test_read_int (f, p_ptr, &n_ptr);
  g_autofree gint64 *indices = wslfp_test_read_int (f, p_ind, &n_ind);
  g_autofree double *data = wslfp_test_read (f, p_dat, NULL, NULL);
  g_autofree double *t = wslfp_test_read (f, p_ct, &T, NULL);
  g_autofree double *want = wslfp_test_read (f, p_ci, NULL, &S);
  g_assert_cmpuint (n_i, ==, n_spikes);
  g_assert_cmpuint (n_spikes, >, 10);

  WslfpSpikes sp;
  wslfp_spikes_init (&sp);
  sp.t_ms = t_spk;
  sp.neuron = neuron;
  sp.n_spikes = n_spikes;
  sp.n_pre = n_ptr - 1;
  sp.n_targets = S;
  sp.weights_kind = WSLFP_WEIGHTS_CSR;
  sp.indptr = indptr;
  sp.indices = indices;
  sp.data = data;
  sp.tau_rise_ms = wslfp_test_read_attr (f, p_grp, "tau_rise_ms");
  sp.tau_decay_ms = wslfp_test_read_attr (f, p_grp, "tau_decay_ms");
  sp.delay_ms = wslfp_test_read_attr (f, p_grp, "delay_ms") + 2 * (t[1] - t[0]);
  sp.scale = WSLFP_KERNEL_ODE;

  g_autofree double *got = g_new (double, T * S);
  WslfpError err;
  g_assert_cmpint (wslfp_spikes_to_currents (&sp, t, T, got, &err), ==, WSLFP_OK);
  double rel = wslfp_test_rel_error (got, want, T * S);
  g_test_message ("%s: max error / max current = %g", group, rel);
  g_assert_cmpfloat (rel, <=, 1e-5);
}

static void
test_spikes_brian_exc (void)
{
  check_brian_group ("exc");
}

static void
test_spikes_brian_inh (void)
{
  check_brian_group ("inh");
}

/* One spike between samples on an irregular grid against the closed form,
 * for each scale; the peak scale peaks at w. */
static void
test_spikes_closed_form (void)
{
  const double tr = 0.4, td = 2.0, w = 0.7, t_spike = 1.234, delay = 0.5;
  const gsize T = 400;
  double t[400], out[400];
  const WslfpKernelScale scales[] = { WSLFP_KERNEL_UNIT, WSLFP_KERNEL_ODE, WSLFP_KERNEL_PEAK };
  const double t_peak = td * tr / (td - tr) * log (td / tr);
  const double gains[] = { 1.0, tr / (td - tr), 1.0 / (exp (-t_peak / td) - exp (-t_peak / tr)) };
  double t_s[] = { t_spike };
  gint64 who[] = { 0 };
  WslfpSpikes sp;
  WslfpError err;

  for (gsize j = 0; j < T; j++)
    t[j] = 0.013 * j + 0.0001 * j * j; /* irregular, strictly increasing */
  wslfp_spikes_init (&sp);
  sp.t_ms = t_s;
  sp.neuron = who;
  sp.n_spikes = 1;
  sp.n_pre = 1;
  sp.n_targets = 1;
  sp.scalar = w;
  sp.tau_rise_ms = tr;
  sp.tau_decay_ms = td;
  sp.delay_ms = delay;
  for (guint k = 0; k < G_N_ELEMENTS (scales); k++)
    {
      sp.scale = scales[k];
      g_assert_cmpint (wslfp_spikes_to_currents (&sp, t, T, out, &err), ==, WSLFP_OK);
      double peak = 0;
      for (gsize j = 0; j < T; j++)
        {
          double age = t[j] - t_spike - delay;
          double want = age < 0 ? 0 : gains[k] * w * (exp (-age / td) - exp (-age / tr));
          g_assert_cmpfloat_with_epsilon (out[j], want, 1e-13);
          peak = fmax (peak, out[j]);
        }
      if (scales[k] == WSLFP_KERNEL_PEAK)
        g_assert_cmpfloat_with_epsilon (peak, w, 1e-3 * w); /* sampled near the peak */
    }
  /* Weights left as wslfp_spikes_init sets them: one scalar weight of 1. */
  WslfpSpikes plain;
  wslfp_spikes_init (&plain);
  plain.t_ms = t_s;
  plain.neuron = who;
  plain.n_spikes = plain.n_pre = plain.n_targets = 1;
  plain.scale = WSLFP_KERNEL_UNIT;
  g_assert_cmpint (wslfp_spikes_to_currents (&plain, t, T, out, &err), ==, WSLFP_OK);
  for (gsize j = 0; j < T; j++)
    {
      double age = t[j] - t_spike;
      double want = age < 0 ? 0 : exp (-age / 2.0) - exp (-age / 0.4);
      g_assert_cmpfloat_with_epsilon (out[j], want, 1e-13);
    }
}

/* Unsorted spikes, and CSR, dense and scalar weights that say the same. */
static void
test_spikes_weights_and_order (void)
{
  const gsize T = 300, S = 3;
  double t[300];
  double spikes_t[] = { 5.0, 1.0, 3.3, 1.0, 12.25 };
  gint64 spikes_i[] = { 1, 0, 1, 1, 0 };
  double sorted_t[] = { 1.0, 1.0, 3.3, 5.0, 12.25 };
  gint64 sorted_i[] = { 0, 1, 1, 1, 0 };
  /* 2 presynaptic × 3 targets */
  double dense[] = { 0.5, 0, -1.0,
                     0, 2.0, 0.25 };
  gint64 indptr[] = { 0, 2, 4 };
  gint64 indices[] = { 2, 0, 1, 2 };
  double data[] = { -1.0, 0.5, 2.0, 0.25 };
  g_autofree double *a = g_new (double, T * S);
  g_autofree double *b = g_new (double, T * S);
  g_autofree double *c = g_new (double, T * S);
  WslfpSpikes sp;
  WslfpError err;

  for (gsize j = 0; j < T; j++)
    t[j] = j * 0.1;
  wslfp_spikes_init (&sp);
  sp.t_ms = spikes_t;
  sp.neuron = spikes_i;
  sp.n_spikes = 5;
  sp.n_pre = 2;
  sp.n_targets = S;
  sp.tau_rise_ms = 0.25;
  sp.tau_decay_ms = 5.0;
  sp.delay_ms = 1.5;
  sp.weights_kind = WSLFP_WEIGHTS_DENSE;
  sp.dense = dense;
  g_assert_cmpint (wslfp_spikes_to_currents (&sp, t, T, a, &err), ==, WSLFP_OK);
  sp.weights_kind = WSLFP_WEIGHTS_CSR;
  sp.indptr = indptr;
  sp.indices = indices;
  sp.data = data;
  g_assert_cmpint (wslfp_spikes_to_currents (&sp, t, T, b, &err), ==, WSLFP_OK);
  sp.t_ms = sorted_t;
  sp.neuron = sorted_i;
  g_assert_cmpint (wslfp_spikes_to_currents (&sp, t, T, c, &err), ==, WSLFP_OK);
  g_assert_cmpfloat (wslfp_test_rel_error (b, a, T * S), <=, 1e-14);
  g_assert_cmpfloat (wslfp_test_rel_error (c, a, T * S), <=, 1e-14);
  double peak = 0;
  for (gsize i = 0; i < T * S; i++)
    peak = fmax (peak, fabs (a[i]));
  g_assert_cmpfloat (peak, >, 0.1);

  /* scalar weight w equals dense all-w */
  double all[6] = { 0.3, 0.3, 0.3, 0.3, 0.3, 0.3 };
  sp.weights_kind = WSLFP_WEIGHTS_DENSE;
  sp.dense = all;
  g_assert_cmpint (wslfp_spikes_to_currents (&sp, t, T, a, &err), ==, WSLFP_OK);
  sp.weights_kind = WSLFP_WEIGHTS_SCALAR;
  sp.scalar = 0.3;
  g_assert_cmpint (wslfp_spikes_to_currents (&sp, t, T, b, &err), ==, WSLFP_OK);
  g_assert_cmpfloat (wslfp_test_rel_error (b, a, T * S), <=, 1e-14);

  /* no spikes: zero currents, not NaN */
  sp.n_spikes = 0;
  g_assert_cmpint (wslfp_spikes_to_currents (&sp, t, T, b, &err), ==, WSLFP_OK);
  for (gsize i = 0; i < T * S; i++)
    g_assert_cmpfloat (b[i], ==, 0.0);
}

/* Filling the grid in blocks of any size gives exactly the whole-grid
 * numbers, including spikes that arrive on and just before block edges,
 * on an irregular grid. */
static void
test_spikes_blocks_equal_whole (void)
{
  const gsize T = 500, S = 7, P = 12, K = 200;
  g_autofree double *t = g_new (double, T);
  g_autofree double *whole = g_new (double, T * S);
  g_autofree double *blocks = g_new (double, T * S);
  g_autofree double *spike_t = g_new (double, K);
  g_autofree gint64 *spike_i = g_new (gint64, K);
  g_autofree double *dense = g_new (double, P * S);
  g_autoptr (GRand) rand = g_rand_new_with_seed (11);
  const gsize sizes[] = { 1, 2, 3, 17, 64, 499 };
  WslfpSpikes sp;
  WslfpError err;

  for (gsize j = 0; j < T; j++)
    t[j] = 0.1 * j + 0.02 * sin (0.37 * j); /* irregular, increasing */
  for (gsize k = 0; k < K; k++)
    {
      /* Half the spikes sit exactly on samples, half anywhere. */
      gsize j = g_rand_int_range (rand, 0, T);
      spike_t[k] = k % 2 ? t[j] - 1.0 : g_rand_double_range (rand, -2.0, 50.0);
      spike_i[k] = g_rand_int_range (rand, 0, P);
    }
  for (gsize i = 0; i < P * S; i++)
    dense[i] = g_rand_double_range (rand, -1.0, 1.0);
  wslfp_spikes_init (&sp);
  sp.t_ms = spike_t;
  sp.neuron = spike_i;
  sp.n_spikes = K;
  sp.n_pre = P;
  sp.n_targets = S;
  sp.weights_kind = WSLFP_WEIGHTS_DENSE;
  sp.dense = dense;
  sp.delay_ms = 1.0;
  g_assert_cmpint (wslfp_spikes_to_currents (&sp, t, T, whole, &err), ==, WSLFP_OK);

  for (guint k = 0; k < G_N_ELEMENTS (sizes); k++)
    {
      WslfpSpikeCurrents *gen = NULL;
      g_assert_cmpint (wslfp_spike_currents_new (&sp, &gen, &err), ==, WSLFP_OK);
      for (gsize i0 = 0; i0 < T; i0 += sizes[k])
        {
          gsize n = MIN (sizes[k], T - i0);
          g_assert_cmpint (wslfp_spike_currents_next (gen, t + i0, n, blocks + i0 * S, &err), ==, WSLFP_OK);
        }
      /* Going back in time is an error that names both times. */
      g_assert_cmpint (wslfp_spike_currents_next (gen, t + 3, 1, blocks, &err), ==, WSLFP_ERROR_NOT_INCREASING);
      g_assert_nonnull (strstr (err.message, "after the last time"));
      wslfp_spike_currents_free (gen);
      for (gsize i = 0; i < T * S; i++)
        if (blocks[i] != whole[i])
          g_error ("blocks of %zu: row %zu, target %zu: %.17g, whole grid: %.17g", sizes[k], i / S, i % S,
                   blocks[i], whole[i]);
    }
  double peak = 0;
  for (gsize i = 0; i < T * S; i++)
    peak = fmax (peak, fabs (whole[i]));
  g_assert_cmpfloat (peak, >, 0.1);
}

static void
expect_spike_error (const WslfpSpikes *sp, const double *t, gsize T, WslfpStatus status, const char *fragment)
{
  double out[64 * 3];
  WslfpError err;
  g_assert_cmpint (wslfp_spikes_to_currents (sp, t, T, out, &err), ==, status);
  if (strstr (err.message, fragment) == NULL)
    g_error ("message \"%s\" does not name \"%s\"", err.message, fragment);
}

/* Three spikes of two neurons onto three targets through a CSR of two
 * weights, and 64 evaluation times 0.1 ms apart: the arrays the error
 * tests spoil one at a time. */
typedef struct
{
  double t[64];
  double st[3];
  gint64 si[3];
  gint64 indptr[3];
  gint64 indices[2];
  double data[2];
  WslfpSpikes sp;
} SmallSpikes;

static void
small_spikes_init (SmallSpikes *x)
{
  *x = (SmallSpikes) { .st = { 1, 2, 3 }, .si = { 0, 1, 0 }, .indptr = { 0, 1, 2 }, .indices = { 0, 2 },
                       .data = { 1, 1 } };
  for (int j = 0; j < 64; j++)
    x->t[j] = j * 0.1;
  wslfp_spikes_init (&x->sp);
  x->sp.t_ms = x->st;
  x->sp.neuron = x->si;
  x->sp.n_spikes = 3;
  x->sp.n_pre = 2;
  x->sp.n_targets = 3;
  x->sp.weights_kind = WSLFP_WEIGHTS_CSR;
  x->sp.indptr = x->indptr;
  x->sp.indices = x->indices;
  x->sp.data = x->data;
}

static void
test_spikes_bad_input (void)
{
  SmallSpikes x;
  small_spikes_init (&x);
  double *t = x.t, *st = x.st, *data = x.data;
  gint64 *si = x.si, *indptr = x.indptr, *indices = x.indices;
  WslfpSpikes sp = x.sp, bad;

  bad = sp; bad.tau_rise_ms = 3.0; bad.tau_decay_ms = 2.0;
  expect_spike_error (&bad, t, 64, WSLFP_ERROR_INVALID_ARGUMENT, "tau_decay_ms > tau_rise_ms > 0");
  bad = sp; bad.tau_rise_ms = 0.0;
  expect_spike_error (&bad, t, 64, WSLFP_ERROR_INVALID_ARGUMENT, "tau_rise_ms = 0");
  bad = sp; bad.delay_ms = -1.5;
  expect_spike_error (&bad, t, 64, WSLFP_ERROR_INVALID_ARGUMENT, "delay_ms = -1.5");
  si[2] = 2;
  expect_spike_error (&sp, t, 64, WSLFP_ERROR_INDEX, "neuron[2] = 2");
  si[2] = -1;
  expect_spike_error (&sp, t, 64, WSLFP_ERROR_INDEX, "neuron[2] = -1");
  si[2] = 0;
  indices[1] = 3;
  expect_spike_error (&sp, t, 64, WSLFP_ERROR_INDEX, "indices[1] = 3");
  indices[1] = 2;
  indptr[1] = 3;
  expect_spike_error (&sp, t, 64, WSLFP_ERROR_INDEX, "indptr[2] = 2");
  indptr[1] = 1;
  data[0] = NAN;
  expect_spike_error (&sp, t, 64, WSLFP_ERROR_NOT_FINITE, "weights data[0]");
  data[0] = 1;
  st[1] = INFINITY;
  expect_spike_error (&sp, t, 64, WSLFP_ERROR_NOT_FINITE, "spike t_ms[1]");
  st[1] = 2;
  t[10] = t[9];
  expect_spike_error (&sp, t, 64, WSLFP_ERROR_NOT_INCREASING, "t_ms[10]");
  t[10] = 1.0;
  bad = sp; bad.n_spikes = (size_t) -2;
  expect_spike_error (&bad, t, 64, WSLFP_ERROR_SHAPE, "n_spikes");
  bad = sp; bad.scale = 9;
  expect_spike_error (&bad, t, 64, WSLFP_ERROR_INVALID_ARGUMENT, "scale");
  bad = sp; bad.weights_kind = WSLFP_WEIGHTS_SCALAR; bad.scalar = NAN;
  expect_spike_error (&bad, t, 64, WSLFP_ERROR_NOT_FINITE, "scalar weight is nan");
}

/* wslfp_spikes_at with @sp at t = 5 ms must fail with @status, naming
 * @fragment. */
static void
expect_at_error (const WslfpSpikes *sp, WslfpStatus status, const char *fragment)
{
  double row[3];
  WslfpError err;
  g_assert_cmpint (wslfp_spikes_at (sp, WSLFP_INDEX_INT64, WSLFP_INDEX_INT64, 5.0, row, &err), ==, status);
  if (strstr (err.message, fragment) == NULL)
    g_error ("wslfp_spikes_at: message \"%s\" does not name \"%s\"", err.message, fragment);
}

/* Weights and spikes a library user can get wrong (NULL arrays, a CSR
 * that does not start at 0, a weights kind that is not one, weights that
 * are not finite), refused by both the whole-run and the one-time entry
 * points with a status and a message naming what is wrong; so are NULL
 * arguments. */
static void
test_spikes_bad_weights (void)
{
  SmallSpikes x;
  small_spikes_init (&x);
  double *t = x.t;
  gint64 shifted[] = { 1, 1, 2 };
  double nan_data[] = { 1, NAN };
  double dense[6] = { 1, 0, 0.5, 0, 2, 1 }, nan_dense[6] = { 1, 0, 0.5, 0, 2, NAN };
  WslfpSpikes sp = x.sp, bad;

  typedef struct { WslfpSpikes s; WslfpStatus status; const char *fragment; } Fault;
  Fault cases[16];
  guint n = 0;
#define CASE(change, st_, frag) \
  do { bad = sp; change; cases[n++] = (Fault) { bad, st_, frag }; } while (0)
  CASE (bad.indptr = NULL, WSLFP_ERROR_INVALID_ARGUMENT, "weights indptr is NULL");
  CASE (bad.indptr = shifted, WSLFP_ERROR_INDEX, "weights indptr[0] = 1, expected 0");
  CASE (bad.indices = NULL, WSLFP_ERROR_INVALID_ARGUMENT, "weights indices is NULL");
  CASE (bad.data = NULL, WSLFP_ERROR_INVALID_ARGUMENT, "weights data is NULL");
  CASE (bad.data = nan_data, WSLFP_ERROR_NOT_FINITE, "weights data[1] is nan");
  CASE ((bad.weights_kind = WSLFP_WEIGHTS_DENSE, bad.dense = NULL), WSLFP_ERROR_INVALID_ARGUMENT,
        "dense weights are NULL");
  CASE ((bad.weights_kind = WSLFP_WEIGHTS_DENSE, bad.dense = nan_dense), WSLFP_ERROR_NOT_FINITE,
        "weights[1][2] is nan");
  CASE (bad.weights_kind = (WslfpWeightsKind) 9, WSLFP_ERROR_INVALID_ARGUMENT, "weights_kind = 9 is unknown");
  CASE (bad.t_ms = NULL, WSLFP_ERROR_INVALID_ARGUMENT, "spike t_ms is NULL");
  CASE (bad.neuron = NULL, WSLFP_ERROR_INVALID_ARGUMENT, "spike neuron is NULL");
#undef CASE
  for (guint k = 0; k < n; k++)
    {
      expect_spike_error (&cases[k].s, t, 64, cases[k].status, cases[k].fragment);
      expect_at_error (&cases[k].s, cases[k].status, cases[k].fragment);
    }
  /* the dense weights themselves are fine */
  bad = sp;
  bad.weights_kind = WSLFP_WEIGHTS_DENSE;
  bad.dense = dense;
  double out[64 * 3], row[3];
  WslfpError err;
  g_assert_cmpint (wslfp_spikes_to_currents (&bad, t, 64, out, &err), ==, WSLFP_OK);
  g_assert_cmpint (wslfp_spikes_at (&bad, WSLFP_INDEX_INT64, WSLFP_INDEX_INT64, 5.0, row, &err), ==, WSLFP_OK);

  /* the first spike time, where the one-time path checks it */
  double inf_first[] = { INFINITY, 2, 3 };
  bad = sp;
  bad.t_ms = inf_first;
  expect_at_error (&bad, WSLFP_ERROR_NOT_FINITE, "spike t_ms[0] is inf");
  expect_spike_error (&bad, t, 64, WSLFP_ERROR_NOT_FINITE, "spike t_ms[0] is inf");

  /* NULL arguments */
  WslfpSpikeCurrents *gen = (WslfpSpikeCurrents *) &sp; /* (must be set to NULL) */
  g_assert_cmpint (wslfp_spikes_to_currents (NULL, t, 64, out, &err), ==, WSLFP_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (err.message, "spikes is NULL"));
  g_assert_cmpint (wslfp_spike_currents_new (NULL, &gen, &err), ==, WSLFP_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (err.message, "spikes is NULL"));
  g_assert_null (gen);
  g_assert_cmpint (wslfp_spike_currents_new (&sp, NULL, &err), ==, WSLFP_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (err.message, "out is NULL"));
  g_assert_cmpint (wslfp_spikes_at (NULL, WSLFP_INDEX_INT64, WSLFP_INDEX_INT64, 5.0, row, &err), ==,
                   WSLFP_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (err.message, "spikes is NULL"));
  g_assert_cmpint (wslfp_spikes_at (&sp, WSLFP_INDEX_INT64, WSLFP_INDEX_INT64, 5.0, NULL, &err), ==,
                   WSLFP_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (err.message, "currents is NULL"));
}

/* A window truncates each spike's kernel: the currents equal the direct
 * sum over spikes of w · (e^{−Δ/τd} − e^{−Δ/τr}) for 0 <= Δ < window
 * (written out here), also in blocks; a spike whose window closed before
 * the first sample leaves exactly 0; a negative window is refused. */
static void
test_spikes_window (void)
{
  double t_spk[] = { -40.0, 0.05, 0.05, 2.3, 2.31, 7.0, 15.55 };
  int64_t who[] = { 0, 0, 1, 2, 0, 1, 2 };
  double dense[3 * 2] = { 1.0, 0.5, -0.7, 2.0, 0.3, 0.0 };
  WslfpSpikes sp;
  wslfp_spikes_init (&sp);
  sp.t_ms = t_spk;
  sp.neuron = who;
  sp.n_spikes = G_N_ELEMENTS (t_spk);
  sp.n_pre = 3;
  sp.n_targets = 2;
  sp.weights_kind = WSLFP_WEIGHTS_DENSE;
  sp.dense = dense;
  sp.tau_rise_ms = 2.0;
  sp.tau_decay_ms = 5.0;
  sp.delay_ms = 1.0;
  sp.scale = WSLFP_KERNEL_UNIT;
  sp.window_ms = 6.2;
  gsize T = 300;
  g_autofree double *t = g_new (double, T), *got = g_new (double, T * 2), *blocks = g_new (double, T * 2);
  for (gsize i = 0; i < T; i++)
    t[i] = 0.1 * (double) i;
  WslfpError err;
  g_assert_cmpint (wslfp_spikes_to_currents (&sp, t, T, got, &err), ==, WSLFP_OK);
  double peak = 0, worst = 0;
  for (gsize i = 0; i < T; i++)
    for (gsize s = 0; s < 2; s++)
      {
        double want = 0;
        for (gsize k = 0; k < G_N_ELEMENTS (t_spk); k++)
          {
            double age = t[i] - (t_spk[k] + 1.0);
            if (age >= -1e-12 && age < 6.2 - 1e-9)
              want += dense[who[k] * 2 + s] * (exp (-fmax (age, 0) / 5.0) - exp (-fmax (age, 0) / 2.0));
          }
        peak = fmax (peak, fabs (want));
        worst = fmax (worst, fabs (got[i * 2 + s] - want));
      }
  g_assert_cmpfloat (peak, >, 0.1);
  g_assert_cmpfloat (worst, <, 1e-12 * peak);
  /* before the first arrival inside the samples: exactly 0 (the spike at −40 ms came and went) */
  g_assert_cmpfloat (got[0], ==, 0.0);
  g_assert_cmpfloat (got[1], ==, 0.0);
  /* in blocks of 7 rows */
  WslfpSpikeCurrents *gen = NULL;
  g_assert_cmpint (wslfp_spike_currents_new (&sp, &gen, &err), ==, WSLFP_OK);
  for (gsize i0 = 0; i0 < T; i0 += 7)
    g_assert_cmpint (wslfp_spike_currents_next (gen, t + i0, MIN (7, T - i0), blocks + i0 * 2, &err), ==, WSLFP_OK);
  wslfp_spike_currents_free (gen);
  g_assert_cmpmem (blocks, T * 2 * sizeof (double), got, T * 2 * sizeof (double));
  /* without a window the kernel is not cut */
  sp.window_ms = 0;
  g_assert_cmpint (wslfp_spikes_to_currents (&sp, t, T, blocks, &err), ==, WSLFP_OK);
  g_assert_cmpfloat (fabs (blocks[299 * 2] - got[299 * 2]), >, 1e-6);
  sp.window_ms = -1;
  g_assert_cmpint (wslfp_spikes_to_currents (&sp, t, T, got, &err), ==, WSLFP_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (err.message, "window_ms"));
}

/* wslfp_spikes_at at @t (into @row) equals the event-driven path's first
 * row of the times @t and @t + 1 s. */
static void
at_equals_events (const WslfpSpikes *sp, double t, double *row)
{
  WslfpError err;
  double two[2] = { t, t + 1000.0 };
  g_autofree double *pair = g_new (double, 2 * sp->n_targets);
  g_assert_cmpint (wslfp_spikes_to_currents (sp, two, 2, pair, &err), ==, WSLFP_OK);
  g_assert_cmpint (wslfp_spikes_at (sp, WSLFP_INDEX_INT64, WSLFP_INDEX_INT64, t, row, &err), ==, WSLFP_OK);
  for (gsize s = 0; s < sp->n_targets; s++)
    g_assert_cmpfloat (fabs (row[s] - pair[s]), <=, 1e-12 * (1.0 + fabs (pair[s])));
}

/* One time at a time (a closed loop's step): wslfp_spikes_at equals
 * Brian2's recorded currents (an independent integration) and, at every
 * sample, the event-driven path, with the CSR and the spike indices in
 * int64 and in int32, dense weights, a window, and the kernel scales; it
 * refuses unsorted times, a bad neuron or target index (naming it) and
 * per-connection delays. */
static void
test_spikes_at_one_time (void)
{
  const char *f = "brian_small.h5";
  gsize n_spikes, n_ptr, n_ind, T, S;
  g_autofree double *t_spk = wslfp_test_read (f, "/spikes/exc/t_ms", &n_spikes, NULL);
  gsize n_i;
  g_autofree gint64 *neuron = wslfp_test_read_int (f, "/spikes/exc/i", &n_i);
  g_autofree gint64 *indptr = wslfp_test_read_int (f, "/spikes/exc/weights/indptr", &n_ptr);
  g_autofree gint64 *indices = wslfp_test_read_int (f, "/spikes/exc/weights/indices", &n_ind);
  g_autofree double *data = wslfp_test_read (f, "/spikes/exc/weights/data", NULL, NULL);
  g_autofree double *t = wslfp_test_read (f, "/currents/ampa/t_ms", &T, NULL);
  g_autofree double *want = wslfp_test_read (f, "/currents/ampa/I", NULL, &S);
  g_assert_cmpuint (n_i, ==, n_spikes);
  for (gsize k = 1; k < n_spikes; k++)
    g_assert_cmpfloat (t_spk[k], >=, t_spk[k - 1]); /* Brian records in order */

  g_autofree gint32 *neuron32 = g_new (gint32, n_spikes);
  g_autofree gint32 *indptr32 = g_new (gint32, n_ptr);
  g_autofree gint32 *indices32 = g_new (gint32, n_ind);
  for (gsize k = 0; k < n_spikes; k++)
    neuron32[k] = (gint32) neuron[k];
  for (gsize k = 0; k < n_ptr; k++)
    indptr32[k] = (gint32) indptr[k];
  for (gsize k = 0; k < n_ind; k++)
    indices32[k] = (gint32) indices[k];

  WslfpSpikes sp;
  wslfp_spikes_init (&sp);
  sp.t_ms = t_spk;
  sp.neuron = neuron;
  sp.n_spikes = n_spikes;
  sp.n_pre = n_ptr - 1;
  sp.n_targets = S;
  sp.weights_kind = WSLFP_WEIGHTS_CSR;
  sp.indptr = indptr;
  sp.indices = indices;
  sp.data = data;
  sp.tau_rise_ms = wslfp_test_read_attr (f, "/spikes/exc", "tau_rise_ms");
  sp.tau_decay_ms = wslfp_test_read_attr (f, "/spikes/exc", "tau_decay_ms");
  sp.delay_ms = wslfp_test_read_attr (f, "/spikes/exc", "delay_ms") + 2 * (t[1] - t[0]);
  sp.scale = WSLFP_KERNEL_ODE;

  g_autofree double *all = g_new (double, T * S);
  g_autofree double *row = g_new (double, S), *row32 = g_new (double, S);
  WslfpError err;
  g_assert_cmpint (wslfp_spikes_to_currents (&sp, t, T, all, &err), ==, WSLFP_OK);
  double peak = 0, off_brian = 0, off_engine = 0;
  for (gsize i = 0; i < T; i++)
    {
      sp.neuron = neuron, sp.indptr = indptr, sp.indices = indices;
      g_assert_cmpint (wslfp_spikes_at (&sp, WSLFP_INDEX_INT64, WSLFP_INDEX_INT64, t[i], row, &err), ==, WSLFP_OK);
      sp.neuron = (const int64_t *) (const void *) neuron32;
      sp.indptr = (const int64_t *) (const void *) indptr32;
      sp.indices = (const int64_t *) (const void *) indices32;
      g_assert_cmpint (wslfp_spikes_at (&sp, WSLFP_INDEX_INT32, WSLFP_INDEX_INT32, t[i], row32, &err), ==, WSLFP_OK);
      g_assert_cmpmem (row, S * sizeof (double), row32, S * sizeof (double));
      for (gsize s = 0; s < S; s++)
        {
          peak = fmax (peak, fabs (want[i * S + s]));
          off_brian = fmax (off_brian, fabs (row[s] - want[i * S + s]));
          off_engine = fmax (off_engine, fabs (row[s] - all[i * S + s]));
        }
    }
  sp.neuron = neuron, sp.indptr = indptr, sp.indices = indices;
  g_assert_cmpfloat (peak, >, 0);
  g_assert_cmpfloat (off_brian, <=, 1e-5 * peak);
  g_assert_cmpfloat (off_engine, <=, 1e-12 * peak);

  /* Dense weights, a window and the peak scale, at times on, between and
   * after the samples (after the last spike: exactly 0). */
  g_autofree double *dense = g_new0 (double, (n_ptr - 1) * S);
  for (gsize p = 0; p + 1 < n_ptr; p++)
    for (gint64 j = indptr[p]; j < indptr[p + 1]; j++)
      dense[p * S + (gsize) indices[j]] = data[j];
  sp.weights_kind = WSLFP_WEIGHTS_DENSE;
  sp.dense = dense;
  sp.window_ms = 4.5;
  sp.scale = WSLFP_KERNEL_PEAK;
  double times[] = { t[0] - 1.0, t[T / 3], t[T / 3] + 0.0371, t[T - 1], t_spk[n_spikes - 1] + sp.delay_ms + 4.5 };
  for (gsize i = 0; i < G_N_ELEMENTS (times); i++)
    {
      at_equals_events (&sp, times[i], row);
      if (i == G_N_ELEMENTS (times) - 1 || i == 0)
        for (gsize s = 0; s < S; s++)
          g_assert_cmpfloat (row[s], ==, 0.0);
    }

  /* One weight for every connection (a pooled population), the unit
   * kernel: the same at each of those times as the event-driven path. */
  sp.weights_kind = WSLFP_WEIGHTS_SCALAR;
  sp.scalar = 0.75;
  sp.scale = WSLFP_KERNEL_UNIT;
  for (gsize i = 0; i < G_N_ELEMENTS (times); i++)
    {
      at_equals_events (&sp, times[i], row);
      if (i == 2)
        g_assert_cmpfloat (fabs (row[0]), >, 0); /* (a time with spikes in the window) */
    }
  sp.weights_kind = WSLFP_WEIGHTS_DENSE;
  sp.scale = WSLFP_KERNEL_PEAK;

  /* Errors, each naming what is wrong. */
  double unsorted[] = { 1.0, 3.0, 2.0 };
  int64_t who[] = { 0, 0, 0 };
  WslfpSpikes bad = sp;
  bad.t_ms = unsorted, bad.neuron = who, bad.n_spikes = 3;
  g_assert_cmpint (wslfp_spikes_at (&bad, WSLFP_INDEX_INT64, WSLFP_INDEX_INT64, 5.0, row, &err), ==,
                   WSLFP_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (err.message, "t_ms[2]"));
  g_assert_nonnull (strstr (err.message, "sorted"));
  double sorted[] = { 1.0, 2.0, 3.0 };
  int64_t far[] = { 0, (int64_t) (n_ptr - 1), 0 };
  bad.t_ms = sorted, bad.neuron = far;
  g_assert_cmpint (wslfp_spikes_at (&bad, WSLFP_INDEX_INT64, WSLFP_INDEX_INT64, 5.0, row, &err), ==,
                   WSLFP_ERROR_INDEX);
  g_assert_nonnull (strstr (err.message, "neuron[1]"));
  /* a spike outside the window is not read, so its bad index is not seen */
  bad.window_ms = 1.0;
  g_assert_cmpint (wslfp_spikes_at (&bad, WSLFP_INDEX_INT64, WSLFP_INDEX_INT64, 3.5, row, &err), ==, WSLFP_OK);
  bad.window_ms = 0;
  bad.neuron = who;
  bad.weights_kind = WSLFP_WEIGHTS_CSR;
  g_autofree gint64 *wrong = g_memdup2 (indices, n_ind * sizeof *wrong);
  for (gint64 j = indptr[0]; j < indptr[1]; j++)
    wrong[j] = (gint64) S;
  bad.indices = wrong;
  g_assert_cmpint (indptr[1], >, indptr[0]);
  g_assert_cmpint (wslfp_spikes_at (&bad, WSLFP_INDEX_INT64, WSLFP_INDEX_INT64, 5.0, row, &err), ==,
                   WSLFP_ERROR_INDEX);
  g_assert_nonnull (strstr (err.message, "indices["));
  bad.indices = indices;
  double delays[1] = { 0 };
  bad.delays_ms = delays;
  g_assert_cmpint (wslfp_spikes_at (&bad, WSLFP_INDEX_INT64, WSLFP_INDEX_INT64, 5.0, row, &err), ==,
                   WSLFP_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (err.message, "delays_ms"));
  bad.delays_ms = NULL;
  g_assert_cmpint (wslfp_spikes_at (&bad, WSLFP_INDEX_INT64, WSLFP_INDEX_INT64, NAN, row, &err), ==,
                   WSLFP_ERROR_NOT_FINITE);
  g_assert_cmpint (wslfp_spikes_at (&bad, (WslfpIndexType) 7, WSLFP_INDEX_INT64, 5.0, row, &err), ==,
                   WSLFP_ERROR_INVALID_ARGUMENT);
}

/* Per-connection delays: the currents equal the direct sum over spikes and
 * connections of w · (e^{−Δ/τd} − e^{−Δ/τr}), Δ = t − (t_spike + delay_ms +
 * delays_ms[j]), written out here, with rows in any order of delay (equal
 * delays, an empty row, a spike of a neuron without connections), with and
 * without a window, and in blocks; all-zero delays give the plain path's
 * numbers; bad delays are refused naming the index. */
static void
test_spikes_connection_delays (void)
{
  /* 4 presynaptic neurons onto 3 targets; row 2 is empty */
  int64_t indptr[] = { 0, 3, 5, 5, 8 };
  int64_t indices[] = { 0, 2, 1, 2, 0, 1, 1, 0 };
  double data[] = { 1.0, -0.5, 0.8, 1.5, 0.3, -1.2, 0.4, 0.9 };
  double delays[] = { 3.0, 0.5, 3.0, 0.0, 7.25, 1.1, 1.1, 0.05 };
  double t_spk[] = { -2.0, 0.3, 0.3, 1.0, 4.44, 5.0, 9.9 };
  int64_t who[] = { 0, 1, 3, 2, 0, 3, 1 };
  double windows[] = { 0.0, 4.0 };
  gsize T = 250, S = 3;
  g_autofree double *t = g_new (double, T), *got = g_new (double, T * S), *blocks = g_new (double, T * S);
  for (gsize i = 0; i < T; i++)
    t[i] = 0.1 * (double) i;
  WslfpSpikes sp;
  wslfp_spikes_init (&sp);
  sp.t_ms = t_spk;
  sp.neuron = who;
  sp.n_spikes = G_N_ELEMENTS (t_spk);
  sp.n_pre = 4;
  sp.n_targets = S;
  sp.weights_kind = WSLFP_WEIGHTS_CSR;
  sp.indptr = indptr;
  sp.indices = indices;
  sp.data = data;
  sp.delays_ms = delays;
  sp.tau_rise_ms = 0.7;
  sp.tau_decay_ms = 3.0;
  sp.delay_ms = 0.5;
  sp.scale = WSLFP_KERNEL_UNIT;
  WslfpError err;
  /* Rows 0 and 3 list their connections out of delay order; then only
   * row 0 (the order a row lists its connections in is no matter). */
  for (int only_first = 0; only_first <= 1; only_first++)
  for (gsize w = 0; w < G_N_ELEMENTS (windows); w++)
    {
      if (only_first && w == 0)
        {
          int64_t row3_indices[] = { 0, 1, 1 };
          double row3_data[] = { 0.9, -1.2, 0.4 }, row3_delays[] = { 0.05, 1.1, 1.1 };
          memcpy (indices + 5, row3_indices, sizeof row3_indices);
          memcpy (data + 5, row3_data, sizeof row3_data);
          memcpy (delays + 5, row3_delays, sizeof row3_delays);
        }
      sp.window_ms = windows[w];
      g_assert_cmpint (wslfp_spikes_to_currents (&sp, t, T, got, &err), ==, WSLFP_OK);
      double peak = 0, worst = 0;
      for (gsize i = 0; i < T; i++)
        for (gsize s = 0; s < S; s++)
          {
            double want = 0;
            for (gsize k = 0; k < G_N_ELEMENTS (t_spk); k++)
              for (int64_t j = indptr[who[k]]; j < indptr[who[k] + 1]; j++)
                {
                  double age = t[i] - (t_spk[k] + 0.5 + delays[j]);
                  gboolean inside = age >= -1e-12 && (windows[w] == 0 || age < windows[w] - 1e-9);
                  if (indices[j] == (int64_t) s && inside)
                    want += data[j] * (exp (-fmax (age, 0) / 3.0) - exp (-fmax (age, 0) / 0.7));
                }
            peak = fmax (peak, fabs (want));
            worst = fmax (worst, fabs (got[i * S + s] - want));
          }
      g_assert_cmpfloat (peak, >, 0.1);
      g_assert_cmpfloat (worst, <, 1e-12 * peak);
      WslfpSpikeCurrents *gen = NULL;
      g_assert_cmpint (wslfp_spike_currents_new (&sp, &gen, &err), ==, WSLFP_OK);
      for (gsize i0 = 0; i0 < T; i0 += 6)
        g_assert_cmpint (wslfp_spike_currents_next (gen, t + i0, MIN (6, T - i0), blocks + i0 * S, &err), ==, WSLFP_OK);
      wslfp_spike_currents_free (gen);
      g_assert_cmpmem (blocks, T * S * sizeof (double), got, T * S * sizeof (double));
    }
  /* all-zero connection delays: the numbers of the path without them */
  double zeros[G_N_ELEMENTS (delays)] = { 0 };
  sp.window_ms = 0;
  sp.delays_ms = zeros;
  g_assert_cmpint (wslfp_spikes_to_currents (&sp, t, T, got, &err), ==, WSLFP_OK);
  sp.delays_ms = NULL;
  g_assert_cmpint (wslfp_spikes_to_currents (&sp, t, T, blocks, &err), ==, WSLFP_OK);
  for (gsize i = 0; i < T * S; i++)
    g_assert_cmpfloat (fabs (got[i] - blocks[i]), <=, 1e-15 * (1 + fabs (blocks[i])));
  /* bad delays */
  sp.delays_ms = delays;
  delays[6] = -0.1;
  expect_spike_error (&sp, t, 64, WSLFP_ERROR_INVALID_ARGUMENT, "delays_ms[6] = -0.1");
  delays[6] = NAN;
  expect_spike_error (&sp, t, 64, WSLFP_ERROR_INVALID_ARGUMENT, "delays_ms[6] = nan");
  delays[6] = 1.1;
  double dense[4 * 3] = { 0 };
  WslfpSpikes bad = sp;
  bad.weights_kind = WSLFP_WEIGHTS_DENSE;
  bad.dense = dense;
  expect_spike_error (&bad, t, 64, WSLFP_ERROR_INVALID_ARGUMENT, "needs CSR weights");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/spikes/brian-exc", test_spikes_brian_exc);
  g_test_add_func ("/engine/spikes/brian-inh", test_spikes_brian_inh);
  g_test_add_func ("/engine/spikes/closed-form", test_spikes_closed_form);
  g_test_add_func ("/engine/spikes/weights-and-order", test_spikes_weights_and_order);
  g_test_add_func ("/engine/spikes/blocks-equal-whole", test_spikes_blocks_equal_whole);
  g_test_add_func ("/engine/spikes/bad-input", test_spikes_bad_input);
  g_test_add_func ("/engine/spikes/bad-weights", test_spikes_bad_weights);
  g_test_add_func ("/engine/spikes/window", test_spikes_window);
  g_test_add_func ("/engine/spikes/at-one-time", test_spikes_at_one_time);
  g_test_add_func ("/engine/spikes/connection-delays", test_spikes_connection_delays);
  return g_test_run ();
}
