/* wslfp-job-sources.c: the exact LFP of a moved probe on a large network
 * by blocks of sources, from its float32 combined currents: kept in memory,
 * or spilled to a scratch file by the pooling pass (wslfp-spill.c) where
 * they do not fit.  Each worker takes blocks of sources in turn: it gets
 * the block's rows (read from the page cache, where a spill stays after
 * the pass), computes that block's amplitudes and multiplies.  That is one
 * product, never more than a block's amplitudes in memory (not the whole
 * E × S matrix, in double and again in float), and nothing inflated. */
#include "config.h"
#include "wslfp-lfp.h"

#include <math.h>
#include <string.h>
#ifdef HAVE_OPENBLAS_SET_NUM_THREADS
#include <cblas.h>
#endif

#include "wslfp-job-private.h"
#include "wslfp-spill.h"

/* Blocks of sources this wide, from memory. */
#define MEMORY_BLOCK 4096

typedef struct
{
  const WslfpDataset *ds;
  WslfpJobSettings settings;  /* one thread each for the block's amplitudes */
  const WslfpSpill *spill;    /* the rows from here, */
  const float *values;        /* or from here: T × n_sources */
  gsize width;                /* sources a block */
  gsize E, T, n_blocks;
  gboolean normalize;         /* (the mean amplitude only then) */
  guint n_workers;
  double *mean_parts;         /* n_blocks × E: each block's share of the mean amplitude */
  gint done, stop;
  GMutex lock;
  GError *error;
} Run;

typedef struct
{
  Run *run;
  guint index;
  double *sum;                /* T × E: this worker's blocks */
} Worker;

static void
fail (Run *run, GError *error)
{
  g_mutex_lock (&run->lock);
  if (run->error == NULL)
    run->error = error;
  else
    g_error_free (error);
  g_mutex_unlock (&run->lock);
  g_atomic_int_set (&run->stop, TRUE);
}

/* Block @b's combined rows times its amplitudes, added to @w->sum. */
static gboolean
multiply_block (Worker *w, gsize b, float *buffer, GError **error)
{
  Run *run = w->run;
  gsize col0 = b * run->width, n = MIN (run->width, run->ds->n_sources - col0);
  const float *rows = run->values + col0;
  gsize ld = run->ds->n_sources;
  if (run->spill != NULL)
    {
      if (!wslfp_spill_read (run->spill, b, buffer, error))
        return FALSE;
      rows = buffer;
      ld = run->width;
    }
  /* (a spill's block holds its cells by place: its model, in that order) */
  const guint32 *order = run->spill != NULL ? wslfp_spill_block_order (run->spill, b) : NULL;
  WslfpModel *model = order != NULL ? wslfp_job_model_of_columns (run->ds, &run->settings, order, n, error)
                                    : wslfp_job_model_of (run->ds, &run->settings, col0, n, error);
  if (model == NULL)
    return FALSE;
  const double *A = wslfp_model_get_amplitude (model);
  /* (four sums a row: one sum's additions wait on each other, and this
   * pass over E × n amplitudes cost as much as a tenth of the product) */
  double *mean = run->mean_parts + b * run->E;
  for (gsize e = 0; run->normalize && e < run->E; e++)
    {
      const double *row = A + e * n;
      double part[4] = { 0, 0, 0, 0 };
      gsize s = 0;
      for (; s + 4 <= n; s += 4)
        for (int k = 0; k < 4; k++)
          part[k] += row[s + k];
      for (; s < n; s++)
        part[0] += row[s];
      mean[e] += (part[0] + part[1] + part[2] + part[3]) / (double) run->ds->n_sources;
    }
  WslfpError err;
  WslfpStatus status = wslfp_model_accumulate (model, rows, WSLFP_FLOAT32, run->T, n, ld, 0,
                                               run->settings.precision, w->sum, &err);
  wslfp_model_free (model);
  if (status != WSLFP_OK)
    {
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_ENGINE, "%s: computing: %s", run->ds->path, err.message);
      return FALSE;
    }
  return TRUE;
}

/* Blocks w, w + n, ...: which worker adds which block, and in what order,
 * does not depend on timing, so neither do the sums.  Worker 0 runs on the
 * caller's thread and reports progress (and hears a cancel) between its
 * blocks. */
static void
run_blocks (Worker *w, WslfpJobProgress progress, gpointer user_data)
{
  Run *run = w->run;
  gsize tile = run->spill != NULL ? run->T * run->width : 0;
  g_autofree float *buffer = g_try_new (float, MAX (tile, 1));
  if (buffer == NULL)
    {
      fail (run, g_error_new (WSLFP_IO_ERROR, WSLFP_IO_ERROR_OPEN, "out of memory for a block of %zu currents",
                              tile));
      return;
    }
  for (gsize b = w->index; b < run->n_blocks && !g_atomic_int_get (&run->stop); b += run->n_workers)
    {
      GError *error = NULL;
      if (!multiply_block (w, b, buffer, &error))
        {
          fail (run, error);
          return;
        }
      double fraction = (double) (g_atomic_int_add (&run->done, 1) + 1) / run->n_blocks;
      if (progress != NULL && progress (fraction, user_data))
        fail (run, g_error_new (WSLFP_IO_ERROR, WSLFP_IO_ERROR_ENGINE, "cancelled"));
    }
}

static gpointer
worker_thread (gpointer data)
{
  run_blocks (data, NULL, NULL);
  return NULL;
}

static WslfpLfp *
run_by_blocks (const WslfpDataset *ds, const WslfpJobSettings *s, const WslfpSpill *spill, const float *values,
               double *t_eval, gsize n_eval, gboolean normalize, guint n_threads, WslfpJobProgress progress,
               gpointer user_data, GError **error)
{
  Run run = { ds, *s, spill, values };
  run.settings.n_threads = 1;
  /* (from memory: the settings' block of rows, as a block of sources, if set) */
  run.width = spill != NULL        ? wslfp_spill_get_block_width (spill)
              : s->block_bytes > 0 ? CLAMP (s->block_bytes / (sizeof (float) * MAX (n_eval, 1)), 1, ds->n_sources)
                                   : MEMORY_BLOCK;
  run.E = s->electrodes_um != NULL ? s->n_electrodes : ds->n_electrodes;
  run.normalize = normalize;
  run.T = n_eval;
  run.n_blocks = (ds->n_sources + run.width - 1) / run.width;
  run.n_workers = CLAMP (MIN (n_threads ? n_threads : g_get_num_processors (), run.n_blocks), 1, 64);
  run.mean_parts = g_try_malloc0 (MAX (run.n_blocks * run.E, 1) * sizeof (double));
  g_mutex_init (&run.lock);
  Worker workers[64];
  GThread *threads[64] = { NULL };
  gboolean ok = run.mean_parts != NULL;
  if (!ok)
    run.n_workers = 0;
  for (guint k = 0; ok && k < run.n_workers; k++)
    {
      workers[k] = (Worker) { &run, k, g_try_malloc0 (MAX (run.T * run.E, 1) * sizeof (double)) };
      ok = workers[k].sum != NULL;
      if (!ok)
        run.n_workers = k;
    }
  if (!ok)
    g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_OPEN, "out of memory for %u sums of %zu × %zu", run.n_workers,
                 run.T, run.E);
#ifdef HAVE_OPENBLAS_SET_NUM_THREADS
  /* BLAS runs single-threaded inside our workers: they are the threads. */
  int blas_threads = openblas_get_num_threads ();
  openblas_set_num_threads (1);
#endif
  for (guint k = 1; ok && k < run.n_workers; k++)
    threads[k] = g_thread_new ("wslfp-sources", worker_thread, &workers[k]);
  if (ok)
    run_blocks (&workers[0], progress, user_data);
  for (guint k = 1; k < run.n_workers; k++)
    if (threads[k] != NULL)
      g_thread_join (threads[k]);
#ifdef HAVE_OPENBLAS_SET_NUM_THREADS
  openblas_set_num_threads (blas_threads);
#endif
  if (ok && run.error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&run.error));
      ok = FALSE;
    }
  /* The workers' sums, and the mean amplitude's parts, in a fixed order. */
  double *uv = ok ? workers[0].sum : NULL;
  for (guint k = 1; ok && k < run.n_workers; k++)
    for (gsize i = 0; i < run.T * run.E; i++)
      uv[i] += workers[k].sum[i];
  g_autofree double *mean_amp = g_new0 (double, MAX (run.E, 1));
  for (gsize b = 0; ok && b < run.n_blocks; b++)
    for (gsize e = 0; e < run.E; e++)
      mean_amp[e] += run.mean_parts[b * run.E + e];
  for (gsize i = 0; ok && i < run.T * run.E; i++)
    if (!isfinite (uv[i]))
      {
        g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_INVALID,
                     "%s: computing: the LFP at t_eval_ms[%zu] = %g ms overflows (inputs are finite but too large)",
                     ds->path, i / MAX (run.E, 1), t_eval[i / MAX (run.E, 1)]);
        ok = FALSE;
      }
  if (ok && normalize)
    ok = wslfp_job_normalize_by_mean_amplitude (ds, uv, run.T, mean_amp, run.E, error);
  for (guint k = ok ? 1 : 0; k < run.n_workers; k++)
    g_free (workers[k].sum);
  g_free (run.mean_parts);
  g_clear_error (&run.error);
  g_mutex_clear (&run.lock);
  if (!ok)
    {
      g_free (t_eval);
      return NULL;
    }
  WslfpLfp *lfp = wslfp_job_lfp_new (ds, s, t_eval, n_eval, uv, run.E);
  lfp->normalized = normalize;
  return lfp;
}

WslfpLfp *
wslfp_job_run_spilled (const WslfpDataset *ds, const WslfpJobSettings *s, const WslfpJobPool *pool, guint n_threads,
                       WslfpJobProgress progress, gpointer user_data, GError **error)
{
  const WslfpSpill *spill = wslfp_job_pool_get_spill (pool);
  if (spill == NULL || s->proxy != WSLFP_PROXY_WSLFP || s->population || s->from_spikes || s->source_count > 0)
    {
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_INVALID,
                   "%s: no scratch currents for the WSLFP of every cell's own currents", ds->path);
      return NULL;
    }
  gsize n_eval = 0;
  g_autofree double *t_eval = wslfp_job_eval_times (ds, s, &n_eval, error);
  if (t_eval == NULL)
    return NULL;
  if (n_eval != wslfp_spill_get_n_rows (spill) || ds->n_sources != wslfp_spill_get_n_cols (spill))
    {
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_INVALID,
                   "%s: the scratch currents are of %zu times × %zu sources, not %zu × %zu", ds->path,
                   wslfp_spill_get_n_rows (spill), wslfp_spill_get_n_cols (spill), n_eval, ds->n_sources);
      return NULL;
    }
  return run_by_blocks (ds, s, spill, NULL, g_steal_pointer (&t_eval), n_eval, s->options.normalize, n_threads,
                        progress, user_data, error);
}

WslfpLfp *
wslfp_job_run_combined_by_blocks (const WslfpDataset *ds, const WslfpJobSettings *s, const WslfpCombined *combined,
                                  guint n_threads, WslfpJobProgress progress, gpointer user_data, GError **error)
{
  g_return_val_if_fail (wslfp_combined_is_single (combined) && !s->population
                          && wslfp_combined_get_n_columns (combined) == ds->n_sources, NULL);
  gsize T = wslfp_combined_get_n_times (combined);
  double *t_eval = g_memdup2 (wslfp_combined_get_times (combined), MAX (T, 1) * sizeof (double));
  return run_by_blocks (ds, s, NULL, wslfp_combined_get_values_single (combined), t_eval, T,
                        wslfp_combined_normalizes (combined), n_threads, progress, user_data, error);
}

