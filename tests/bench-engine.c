/* bench-engine.c: libwslfp speed and memory, each figure beside a bare
 * cblas_dgemm of the same shape measured in the same run (these machines
 * are noisy; the ratio is what the budgets are about).
 *   bench-engine           all cases
 *   bench-engine --quick   skip the S = 10 000, E = 384, T = 10 000 case */
#include <cblas.h>
#include <glib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "wslfp.h"

static double
now_s (void)
{
  return g_get_monotonic_time () / 1e6;
}

/* Best of @reps wall-clock runs: the least disturbed one. */
#define BEST_OF(reps, result, body) \
  do { \
    result = INFINITY; \
    for (int rep_ = 0; rep_ < (reps); rep_++) \
      { \
        double t0_ = now_s (); \
        body; \
        result = fmin (result, now_s () - t0_); \
      } \
  } while (0)

static long
peak_rss_kb (void)
{
  g_autofree char *status = NULL;
  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  const char *line = strstr (status, "VmHWM:");
  return line ? atol (line + 6) : -1;
}

static void
reset_peak_rss (void)
{
  /* Writing 5 to clear_refs resets VmHWM to the current RSS (Linux ≥ 4.0). */
  g_file_set_contents ("/proc/self/clear_refs", "5", 1, NULL);
}

static void
fill_random (double *v, gsize n, guint32 seed)
{
  GRand *r = g_rand_new_with_seed (seed);
  for (gsize i = 0; i < n; i++)
    v[i] = g_rand_double (r);
  g_rand_free (r);
}

static WslfpModel *
random_model (gsize S, gsize E, gboolean population)
{
  double *somata = g_new (double, 3 * S), *probe = g_new (double, 3 * E);
  WslfpGeometry g;
  WslfpProfile *p;
  WslfpModel *m;
  fill_random (somata, 3 * S, 1);
  for (gsize i = 0; i < 3 * S; i++)
    somata[i] = (somata[i] - 0.5) * 500;
  for (gsize e = 0; e < E; e++)
    {
      probe[3 * e] = 250.0 * (e % 3);
      probe[3 * e + 1] = 0;
      probe[3 * e + 2] = -400 + 1000.0 * (double) (e / 3) / (double) MAX (E / 3, 1);
    }
  wslfp_geometry_init (&g);
  g.electrodes_um = probe;
  g.n_electrodes = E;
  g.sources_um = somata;
  g.n_sources = S;
  wslfp_profile_new (WSLFP_PROFILE_MAZZONI15_SINGLE, &p, NULL);
  if (wslfp_model_new (&g, p, population, &m, NULL) != WSLFP_OK)
    g_error ("model");
  wslfp_profile_free (p);
  g_free (somata);
  g_free (probe);
  return m;
}

static double
bare_dgemm (const double *cur, gsize T, gsize S, const double *A, gsize E, double *out, int reps)
{
  double best;
  BEST_OF (reps, best,
           cblas_dgemm (CblasRowMajor, CblasNoTrans, CblasTrans, T, E, S, 1.0, cur, S, A, S, 0.0, out, E));
  return best;
}

static void
bench_seed (void)
{
  const gsize S = 800, E = 30, T = 5000;
  WslfpModel *m = random_model (S, E, FALSE);
  g_autofree double *t = g_new (double, T);
  g_autofree double *ia = g_new (double, T * S);
  g_autofree double *ig = g_new (double, T * S);
  g_autofree double *out = g_new (double, T * E);
  g_autofree double *t_off = g_new (double, T);
  WslfpCurrents a, g;
  WslfpOptions o;
  WslfpError err;
  double t_gemm, t_on, t_off_grid, t_amp;

  for (gsize j = 0; j < T; j++)
    {
      t[j] = j * 0.1;
      t_off[j] = j * 0.1 + 0.037; /* every time between samples: all PCHIP */
    }
  fill_random (ia, T * S, 2);
  fill_random (ig, T * S, 3);
  wslfp_currents_init (&a, t, T, ia, S);
  wslfp_currents_init (&g, t, T, ig, S);
  wslfp_options_init (&o);

  t_gemm = bare_dgemm (ia, T, S, wslfp_model_get_amplitude (m), E, out, 15);
  BEST_OF (15, t_on, if (wslfp_compute (m, &a, &g, t, T, &o, out, &err)) g_error ("%s", err.message));
  BEST_OF (7, t_off_grid, if (wslfp_compute (m, &a, &g, t_off, T, &o, out, &err)) g_error ("%s", err.message));
  printf ("seed case S=%zu E=%zu T=%zu, per-neuron, on the sample grid\n", S, E, T);
  printf ("  wslfp_compute      %8.2f ms   bare dgemm %8.2f ms   ratio %.2f (budget 2.0)\n",
          t_on * 1e3, t_gemm * 1e3, t_on / t_gemm);
  printf ("  off-grid (PCHIP)   %8.2f ms   %.2f ns per (time, source) sample, both currents (budget 10)\n",
          t_off_grid * 1e3, (t_off_grid - t_gemm) * 1e9 / (double) (T * S) / 2.0);
  printf ("                     %8s      %.2f ns per (time, source) sample, whole call\n", "",
          t_off_grid * 1e9 / (double) (T * S));

  BEST_OF (5, t_amp, wslfp_model_free (random_model (S, E, FALSE)));
  printf ("  model (A, %zu × %zu) %6.2f ms (includes making random positions)\n", E, S, t_amp * 1e3);

  /* Streaming: one step at a time. */
  WslfpStream *st;
  double t_stream;
  o.normalize = FALSE;
  if (wslfp_stream_new (m, 0.1, &o, &st, &err) != WSLFP_OK)
    g_error ("%s", err.message);
  BEST_OF (5, t_stream,
           for (gsize j = 0; j < T; j++)
             wslfp_stream_push (st, ia + j * S, ig + j * S, 1, out + j * E, NULL));
  double t_gemv;
  BEST_OF (5, t_gemv,
           for (gsize j = 0; j < T; j++)
             cblas_dgemv (CblasRowMajor, CblasNoTrans, E, S, 1.0, wslfp_model_get_amplitude (m), S,
                          ia + j * S, 1, 0.0, out + j * E, 1));
  printf ("  stream, one step   %8.2f µs   bare dgemv %6.2f µs   (budget 20 µs)\n",
          t_stream / T * 1e6, t_gemv / T * 1e6);
  wslfp_stream_free (st);
  wslfp_model_free (m);
}

static void
bench_spikes (void)
{
  const gsize S = 800, T = 5000, n_pre = 1000, fan_out = 80, K = 3000;
  g_autofree double *t = g_new (double, T);
  g_autofree double *out = g_new (double, T * S);
  g_autofree double *spike_t = g_new (double, K);
  g_autofree gint64 *spike_i = g_new (gint64, K);
  g_autofree gint64 *indptr = g_new (gint64, n_pre + 1);
  g_autofree gint64 *indices = g_new (gint64, n_pre * fan_out);
  g_autofree double *data = g_new (double, n_pre * fan_out);
  GRand *r = g_rand_new_with_seed (5);
  WslfpSpikes sp;
  WslfpError err;
  double best;

  for (gsize j = 0; j < T; j++)
    t[j] = j * 0.1;
  for (gsize k = 0; k < K; k++)
    {
      spike_t[k] = g_rand_double_range (r, 0, 500);
      spike_i[k] = g_rand_int_range (r, 0, n_pre);
    }
  for (gsize p = 0; p <= n_pre; p++)
    indptr[p] = p * fan_out;
  for (gsize j = 0; j < n_pre * fan_out; j++)
    {
      indices[j] = g_rand_int_range (r, 0, S);
      data[j] = 0.07;
    }
  g_rand_free (r);
  wslfp_spikes_init (&sp);
  sp.t_ms = spike_t;
  sp.neuron = spike_i;
  sp.n_spikes = K;
  sp.n_pre = n_pre;
  sp.n_targets = S;
  sp.weights_kind = WSLFP_WEIGHTS_CSR;
  sp.indptr = indptr;
  sp.indices = indices;
  sp.data = data;
  sp.delay_ms = 1.5;
  BEST_OF (9, best, if (wslfp_spikes_to_currents (&sp, t, T, out, &err)) g_error ("%s", err.message));
  printf ("spikes → currents, %zu spikes × %zu targets each, T=%zu, S=%zu\n", K, fan_out, T, S);
  printf ("  wslfp_spikes_to_currents %8.2f ms   (budget 20 ms)\n", best * 1e3);
}

static void
bench_big (void)
{
  const gsize S = 10000, E = 384, T = 10000;
  WslfpModel *m = random_model (S, E, FALSE);
  g_autofree double *t = g_new (double, T);
  double *ia = g_new (double, T * S), *ig = g_new (double, T * S);
  double *out = g_new (double, T * E);
  WslfpCurrents a, g;
  WslfpOptions o;
  WslfpError err;
  double t_gemm, t_ours;

  for (gsize j = 0; j < T; j++)
    t[j] = j * 0.1;
  fill_random (ia, T * S, 7);
  fill_random (ig, T * S, 8);
  memset (out, 0, T * E * sizeof (double));
  wslfp_currents_init (&a, t, T, ia, S);
  wslfp_currents_init (&g, t, T, ig, S);
  wslfp_options_init (&o);

  t_gemm = bare_dgemm (ia, T, S, wslfp_model_get_amplitude (m), E, out, 2);
  reset_peak_rss ();
  long before = peak_rss_kb ();
  BEST_OF (2, t_ours, if (wslfp_compute (m, &a, &g, t, T, &o, out, &err)) g_error ("%s", err.message));
  long after = peak_rss_kb ();
  double inputs_mb = 2.0 * T * S * 8 / 1048576.0, output_mb = T * E * 8 / 1048576.0;
  printf ("large case S=%zu E=%zu T=%zu, per-neuron, on the sample grid\n", S, E, T);
  printf ("  wslfp_compute      %8.1f ms   bare dgemm %8.1f ms   ratio %.2f (budget 1.5)\n",
          t_ours * 1e3, t_gemm * 1e3, t_ours / t_gemm);
  printf ("  peak RSS %.0f MB before, %.0f MB during; inputs + output %.0f MB; "
          "peak / (inputs + output) = %.3f (budget 1.2)\n",
          before / 1024.0, after / 1024.0, inputs_mb + output_mb, after / 1024.0 / (inputs_mb + output_mb));
  g_free (ia);
  g_free (ig);
  g_free (out);
  wslfp_model_free (m);
}

/* TKLFP in a closed loop: 800 cells (640 excitatory), 8 Hz Poisson
 * spikes, 32 contacts, 5000 steps of 0.1 ms; each step gives the stream
 * the spikes of that step. */
static void
bench_tklfp_stream (void)
{
  const gsize N = 800, E = 32, T = 5000;
  const double dt = 0.1, rate_per_ms = 8e-3;
  g_autofree double *cells = g_new (double, 3 * N), *elec = g_new0 (double, 3 * E), *lfp = g_new (double, E);
  g_autofree double *amp = g_new (double, E * N);
  g_autofree bool *exc = g_new (bool, N);
  double up[3] = { 0, 0, 1 };
  fill_random (cells, 3 * N, 11);
  for (gsize i = 0; i < 3 * N; i++)
    cells[i] = (cells[i] - 0.5) * 0.5; /* a 500 µm cube, mm */
  for (gsize n = 0; n < N; n++)
    exc[n] = n < N * 4 / 5;
  for (gsize e = 0; e < E; e++)
    elec[3 * e + 2] = -0.6 + 1.5 * (double) e / (double) (E - 1);
  WslfpTklfp *m = NULL;
  WslfpError err;
  if (wslfp_tklfp_new (cells, N, exc, up, 1, elec, E, NULL, &m, &err) != WSLFP_OK)
    g_error ("%s", err.message);
  /* each step's spikes */
  GRand *rand = g_rand_new_with_seed (12);
  g_autofree gsize *first = g_new (gsize, T + 1);
  GArray *who = g_array_new (FALSE, FALSE, sizeof (int64_t)), *when = g_array_new (FALSE, FALSE, sizeof (double));
  for (gsize k = 0; k < T; k++)
    {
      first[k] = who->len;
      for (gsize n = 0; n < N; n++)
        if (g_rand_double (rand) < rate_per_ms * dt)
          {
            int64_t c = (int64_t) n;
            double t = (double) k * dt;
            g_array_append_val (who, c);
            g_array_append_val (when, t);
          }
    }
  first[T] = who->len;
  const int64_t *c = (const int64_t *) who->data;
  const double *ts = (const double *) when->data;
  double t_stream;
  BEST_OF (5, t_stream, {
    WslfpTklfpStream *st = NULL;
    if (wslfp_tklfp_stream_new (m, 0.0, dt, &st, &err) != WSLFP_OK)
      g_error ("%s", err.message);
    for (gsize k = 0; k < T; k++)
      wslfp_tklfp_stream_step (st, c + first[k], ts + first[k], first[k + 1] - first[k], lfp, NULL);
    wslfp_tklfp_stream_free (st);
  });
  fill_random (amp, E * N, 13);
  g_autofree double *x = g_new (double, N);
  fill_random (x, N, 14);
  double t_gemv;
  BEST_OF (5, t_gemv,
           for (gsize k = 0; k < T; k++)
             cblas_dgemv (CblasRowMajor, CblasNoTrans, E, N, 1.0, amp, N, x, 1, 0.0, lfp, 1));
  printf ("TKLFP closed loop, %zu cells, %zu contacts, %u spikes in %g ms\n", N, E, who->len, T * dt);
  printf ("  stream, one step   %8.2f µs   bare dgemv (%zu × %zu) %6.2f µs   (budget 50 µs)\n", t_stream / T * 1e6, E,
          N, t_gemv / T * 1e6);
  g_array_free (who, TRUE);
  g_array_free (when, TRUE);
  g_rand_free (rand);
  wslfp_tklfp_free (m);
}

/* The amplitude matrix of a moved probe's preview at 10^6 cells (their
 * 33 525 pooled cubes, 96 of a Neuropixels probe's contacts): on one
 * thread and on every core. */
static void
bench_model_threads (void)
{
  const gsize S = 33525, E = 96;
  g_autofree double *cubes = g_new (double, 3 * S), *probe = g_new (double, 3 * E);
  fill_random (cubes, 3 * S, 5);
  for (gsize i = 0; i < 3 * S; i++)
    cubes[i] = (cubes[i] - 0.5) * 2000;
  for (gsize e = 0; e < E; e++)
    {
      probe[3 * e] = 16.0 * (e % 2);
      probe[3 * e + 1] = 0;
      probe[3 * e + 2] = -1000 + 80.0 * (double) e / 4;
    }
  WslfpGeometry g;
  wslfp_geometry_init (&g);
  g.electrodes_um = probe;
  g.n_electrodes = E;
  g.sources_um = cubes;
  g.n_sources = S;
  WslfpProfile *p;
  wslfp_profile_new (WSLFP_PROFILE_MAZZONI15, &p, NULL);
  double t_one, t_all;
  WslfpModel *m;
  BEST_OF (5, t_one, if (wslfp_model_new_threaded (&g, p, FALSE, 1, &m, NULL)) g_error ("model"); wslfp_model_free (m));
  BEST_OF (5, t_all, if (wslfp_model_new_threaded (&g, p, FALSE, 0, &m, NULL)) g_error ("model"); wslfp_model_free (m));
  wslfp_profile_free (p);
  printf ("amplitude matrix %zu × %zu (mazzoni15)\n", E, S);
  printf ("  one thread %8.2f ms (%.1f ns an entry)   every core (%u) %8.2f ms   speed-up %.2f\n", t_one * 1e3,
          t_one * 1e9 / (double) (E * S), g_get_num_processors (), t_all * 1e3, t_one / t_all);
}

int
main (int argc, char **argv)
{
  gboolean quick = argc > 1 && strcmp (argv[1], "--quick") == 0;
  printf ("libwslfp %s benchmark (best of several runs, wall clock)\n", WSLFP_VERSION_STRING);
  bench_seed ();
  bench_spikes ();
  bench_tklfp_stream ();
  bench_model_threads ();
  if (!quick)
    bench_big ();
  return 0;
}
