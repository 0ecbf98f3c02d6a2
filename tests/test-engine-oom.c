/* test-engine-oom.c: every engine entry point with its allocations failing
 * one at a time.
 *
 * The engine's objects are linked into this test (not the shared library)
 * with -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc: their calls come to
 * the wrappers in wslfp-fail-alloc.c, GLib's and OpenBLAS's do not.  Each scenario runs once
 * unarmed for its reference numbers, then with the n-th allocation failing
 * for n = 1, 2, … until one run makes fewer allocations than n.  A run must
 * then fail with WSLFP_ERROR_NO_MEMORY and "out of memory" in its message,
 * or (an allocation with a fallback) give the reference numbers: never a
 * crash, a wrong number or a leak (the sanitized build checks that). */
#include <glib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "wslfp.h"
#include "wslfp-fail-alloc.h"

enum { E = 4, S = 30, T = 60, N_EVAL = 40, N_SPIKES = 25, OUT = 4096 };

/* The inputs every scenario shares, made once. */
static double electrodes[3 * E], sources[3 * S], axes[3 * S], t_ms[T], ampa[T * S], gaba[T * S], t_eval[N_EVAL];
static double spike_t[N_SPIKES], csr_data[2 * S], csr_delays[2 * S];
static gint64 spike_cell[N_SPIKES], csr_indptr[S + 1], csr_indices[2 * S];
static bool excitatory[S];

static void
make_inputs (void)
{
  GRand *rng = g_rand_new_with_seed (3);
  for (int k = 0; k < 3 * E; k++)
    electrodes[k] = g_rand_double_range (rng, -200, 200);
  for (int k = 0; k < 3 * S; k++)
    sources[k] = g_rand_double_range (rng, -300, 300), axes[k] = g_rand_double_range (rng, -1, 1);
  for (int i = 0; i < T; i++)
    t_ms[i] = 0.5 * i;
  for (int k = 0; k < T * S; k++)
    ampa[k] = g_rand_double_range (rng, -1, 1), gaba[k] = g_rand_double_range (rng, -1, 1);
  for (int i = 0; i < N_EVAL; i++)
    t_eval[i] = 7.0 + 0.55 * i; /* between samples: interpolated */
  for (int k = 0; k < N_SPIKES; k++) /* (in order of time, as wslfp_spikes_at() wants them) */
    spike_t[k] = 1.0 * k + g_rand_double_range (rng, 0, 0.9), spike_cell[k] = g_rand_int_range (rng, 0, S);
  for (int p = 0; p <= S; p++)
    csr_indptr[p] = 2 * p;
  for (int j = 0; j < 2 * S; j++)
    {
      csr_indices[j] = g_rand_int_range (rng, 0, S);
      csr_data[j] = g_rand_double_range (rng, 0.1, 1);
      csr_delays[j] = g_rand_double_range (rng, 0, 3); /* not in order within a row */
    }
  for (int s = 0; s < S; s++)
    excitatory[s] = s % 4 != 0;
  g_rand_free (rng);
}

/* A scenario: calls entry points, writes at most OUT numbers to @out,
 * frees what it made; the first failure's status. */
typedef WslfpStatus (*Scenario) (double *out, WslfpError *err);

#define TRY(call)                                                                                                  \
  do                                                                                                               \
    {                                                                                                              \
      if ((status = (call)) != WSLFP_OK)                                                                           \
        goto done;                                                                                                 \
    }                                                                                                              \
  while (0)

static void
geometry (WslfpGeometry *g)
{
  wslfp_geometry_init (g);
  g->electrodes_um = electrodes;
  g->n_electrodes = E;
  g->sources_um = sources;
  g->n_sources = S;
  g->orientation = axes;
  g->n_orientations = S;
}

static WslfpStatus
model_and_compute (double *out, WslfpError *err)
{
  WslfpStatus status;
  WslfpProfile *profile = NULL, *copy = NULL, *custom = NULL;
  WslfpModel *model = NULL, *population = NULL, *given = NULL;
  WslfpGeometry g;
  WslfpCurrents ia, ig;
  WslfpOptions options;
  geometry (&g);
  wslfp_currents_init (&ia, t_ms, T, ampa, S);
  wslfp_currents_init (&ig, t_ms, T, gaba, S);
  wslfp_options_init (&options);
  const double r[3] = { 0, 100, 400 }, d[3] = { 0, 200, 500 }, amp[9] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
  TRY (wslfp_profile_new_from_name ("mazzoni15_single", &profile, err));
  TRY (wslfp_profile_copy (profile, &copy, err));
  TRY (wslfp_profile_new_custom (r, 3, d, 3, amp, &custom, err));
  TRY (wslfp_model_new (&g, copy, false, &model, err));
  TRY (wslfp_compute (model, &ia, &ig, t_eval, N_EVAL, &options, out, err));
  TRY (wslfp_model_new (&g, custom, true, &population, err));
  TRY (wslfp_compute (population, &ia, &ig, t_eval, N_EVAL, &options, out + N_EVAL * E, err));
  TRY (wslfp_model_new_from_amplitude (wslfp_model_get_amplitude (model), E, S, &given, err));
  options.normalize = false;
  TRY (wslfp_compute (given, &ia, &ig, t_eval, N_EVAL, &options, out + 2 * N_EVAL * E, err));
done:
  wslfp_model_free (given);
  wslfp_model_free (population);
  wslfp_model_free (model);
  wslfp_profile_free (custom);
  wslfp_profile_free (copy);
  wslfp_profile_free (profile);
  return status;
}

static WslfpStatus
products (double *out, WslfpError *err)
{
  WslfpStatus status;
  WslfpProfile *profile = NULL;
  WslfpModel *model = NULL;
  WslfpCombined *combined = NULL, *single = NULL, *pooled = NULL, *grouped = NULL, *given = NULL;
  WslfpModel *pooled_model = NULL;
  WslfpStream *stream = NULL;
  WslfpGeometry g, pooled_g;
  size_t group[S], n_groups = 0;
  double centroids[3 * S];
  WslfpCurrents ia, ig;
  WslfpOptions options;
  geometry (&g);
  pooled_g = g;
  wslfp_currents_init (&ia, t_ms, T, ampa, S);
  wslfp_currents_init (&ig, t_ms, T, gaba, S);
  wslfp_options_init (&options);
  float block[T * S];
  for (int k = 0; k < T * S; k++)
    block[k] = (float) ampa[k];
  memset (out, 0, 2 * T * E * sizeof (double));
  TRY (wslfp_profile_new_from_name ("aussel18", &profile, err));
  TRY (wslfp_model_new (&g, profile, false, &model, err));
  /* float32 rows in single precision and as doubles */
  TRY (wslfp_model_accumulate (model, block, WSLFP_FLOAT32, T, S, S, 0, WSLFP_PRECISION_AUTO, out, err));
  TRY (wslfp_model_accumulate (model, block, WSLFP_FLOAT32, T, S, S, 0, WSLFP_PRECISION_DOUBLE, out + T * E, err));
  out += 2 * T * E;
  TRY (wslfp_combined_new (S, false, t_eval, N_EVAL, &options, &combined, err));
  TRY (wslfp_combined_fill (combined, &ia, &ig, 0, N_EVAL, err));
  TRY (wslfp_combined_compute (combined, model, 2, out, err));
  out += N_EVAL * E;
  TRY (wslfp_combined_new_single (S, false, t_eval, N_EVAL, &options, &single, err));
  TRY (wslfp_combined_fill (single, &ia, &ig, 0, N_EVAL, err));
  TRY (wslfp_combined_compute (single, model, 1, out, err));
  out += N_EVAL * E;
  /* the sources pooled in cubes of 150 µm, a model of their centroids */
  TRY (wslfp_voxel_groups (sources, S, 150, group, centroids, &n_groups, err));
  TRY (wslfp_combined_new_pooled (combined, group, n_groups, &pooled, err));
  pooled_g.sources_um = centroids;
  pooled_g.n_sources = n_groups;
  pooled_g.orientation = NULL;
  pooled_g.n_orientations = 0;
  TRY (wslfp_model_new (&pooled_g, profile, false, &pooled_model, err));
  TRY (wslfp_combined_compute (pooled, pooled_model, 1, out, err));
  out += N_EVAL * E;
  /* the same pool made while the currents are read */
  TRY (wslfp_combined_new_grouped (S, group, n_groups, t_eval, N_EVAL, &options, &grouped, err));
  TRY (wslfp_combined_fill (grouped, &ia, &ig, 0, N_EVAL, err));
  TRY (wslfp_combined_compute (grouped, pooled_model, 1, out, err));
  out += N_EVAL * E;
  /* and given as rows */
  double rows[N_EVAL * S];
  for (int k = 0; k < N_EVAL * (int) n_groups; k++)
    rows[k] = wslfp_combined_get_values_single (grouped)[k];
  TRY (wslfp_combined_new_from_rows (n_groups, t_eval, N_EVAL, &options, rows, &given, err));
  TRY (wslfp_combined_compute (given, pooled_model, 1, out, err));
  out += N_EVAL * E;
  /* the closed loop: steps of 0.5 ms, normalised with given statistics */
  const double mean[E] = { 0.1, 0.2, 0.3, 0.4 }, std[E] = { 1, 2, 3, 4 };
  TRY (wslfp_stream_new (model, 0.5, &options, &stream, err));
  TRY (wslfp_stream_set_normalization (stream, mean, std, err));
  TRY (wslfp_stream_push (stream, ampa, gaba, T, out, err));
done:
  wslfp_stream_free (stream);
  wslfp_model_free (pooled_model);
  wslfp_combined_free (given);
  wslfp_combined_free (grouped);
  wslfp_combined_free (pooled);
  wslfp_combined_free (single);
  wslfp_combined_free (combined);
  wslfp_model_free (model);
  wslfp_profile_free (profile);
  return status;
}

static WslfpStatus
spikes (double *out, WslfpError *err)
{
  WslfpStatus status;
  WslfpSpikeCurrents *gen = NULL;
  WslfpSpikes sp;
  wslfp_spikes_init (&sp);
  sp.t_ms = spike_t;
  sp.neuron = spike_cell;
  sp.n_spikes = N_SPIKES;
  sp.n_pre = S;
  sp.n_targets = S;
  sp.weights_kind = WSLFP_WEIGHTS_CSR;
  sp.indptr = csr_indptr;
  sp.indices = csr_indices;
  sp.data = csr_data;
  sp.tau_rise_ms = 0.4;
  sp.tau_decay_ms = 2;
  sp.delay_ms = 1;
  TRY (wslfp_spikes_to_currents (&sp, t_ms, T, out, err));
  TRY (wslfp_spikes_at (&sp, WSLFP_INDEX_INT64, WSLFP_INDEX_INT64, 12.25, out + T * S, err));
  sp.delays_ms = csr_delays;
  sp.window_ms = 8;
  TRY (wslfp_spike_currents_new (&sp, &gen, err));
  TRY (wslfp_spike_currents_next (gen, t_ms, T / 2, out + T * S + S, err));
  TRY (wslfp_spike_currents_next (gen, t_ms + T / 2, T - T / 2, out + T * S + S + (T / 2) * S, err));
done:
  wslfp_spike_currents_free (gen);
  return status;
}

static WslfpStatus
tklfp (double *out, WslfpError *err)
{
  WslfpStatus status;
  WslfpTklfp *model = NULL;
  WslfpTklfpStream *stream = NULL;
  WslfpTklfpParams params;
  wslfp_tklfp_params_init (&params);
  double cells_mm[3 * S], electrodes_mm[3 * E];
  for (int k = 0; k < 3 * S; k++)
    cells_mm[k] = sources[k] / 1000;
  for (int k = 0; k < 3 * E; k++)
    electrodes_mm[k] = electrodes[k] / 1000;
  TRY (wslfp_tklfp_new (cells_mm, S, excitatory, axes, S, electrodes_mm, E, &params, &model, err));
  TRY (wslfp_tklfp_compute (model, spike_t, spike_cell, N_SPIKES, t_eval, N_EVAL, out, err));
  TRY (wslfp_tklfp_stream_new (model, 0, 0.5, &stream, err));
  for (int step = 0; step < 20; step++)
    {
      const gint64 *cell = step < N_SPIKES ? spike_cell + step : NULL;
      double when = 0.5 * step;
      TRY (wslfp_tklfp_stream_step (stream, cell, &when, cell ? 1 : 0, out + N_EVAL * E + step * E, err));
    }
done:
  wslfp_tklfp_stream_free (stream);
  wslfp_tklfp_free (model);
  return status;
}

static void
run_scenario (gconstpointer data)
{
  Scenario scenario = (Scenario) data;
  WslfpError err;
  g_autofree double *want = g_new (double, OUT), *got = g_new (double, OUT);
  for (int k = 0; k < OUT; k++)
    want[k] = got[k] = NAN;
  WslfpStatus status = scenario (want, &err);
  if (status != WSLFP_OK)
    g_error ("unarmed: %s", err.message);
  int failures = 0, fallbacks = 0;
  for (gint n = 1;; n++)
    {
      for (int k = 0; k < OUT; k++)
        got[k] = NAN;
      wslfp_fail_alloc_arm (n);
      status = scenario (got, &err);
      gboolean failed = wslfp_fail_alloc_failed ();
      wslfp_fail_alloc_arm (0);
      if (!failed)
        break;
      if (status == WSLFP_OK)
        {
          /* a fallback: the same numbers */
          for (int k = 0; k < OUT; k++)
            if (!(got[k] == want[k] || (isnan (got[k]) && isnan (want[k]))
                  || fabs (got[k] - want[k]) <= 1e-12 * (1 + fabs (want[k]))))
              g_error ("allocation %d failed and the run went on, but number %d is %.17g, not %.17g", n, k, got[k],
                       want[k]);
          fallbacks++;
          continue;
        }
      if (status != WSLFP_ERROR_NO_MEMORY || strstr (err.message, "out of memory") == NULL)
        g_error ("allocation %d failed: status %d, \"%s\"", n, (int) status, err.message);
      failures++;
      g_assert_cmpint (n, <, 100000);
    }
  g_test_message ("%d allocations failing in turn: %d errors, %d fallbacks", failures + fallbacks, failures,
                  fallbacks);
  g_assert_cmpint (failures, >, 3);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  make_inputs ();
  g_test_add_data_func ("/engine/out-of-memory/model-and-compute", model_and_compute, run_scenario);
  g_test_add_data_func ("/engine/out-of-memory/products", products, run_scenario);
  g_test_add_data_func ("/engine/out-of-memory/spikes", spikes, run_scenario);
  g_test_add_data_func ("/engine/out-of-memory/tklfp", tklfp, run_scenario);
  return g_test_run ();
}
