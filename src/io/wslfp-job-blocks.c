/* wslfp-job-blocks.c: the LFP from currents sampled where the proxy reads
 * them (the usual case: evaluation times on the samples, delays whole
 * steps).  Then the LFP is linear in the rows it reads,
 *   lfp[i] = P_ampa[k_ampa(i)] − α P_gaba[k_gaba(i)],  P = I · A^T,
 * so each block of rows of each current is multiplied by A^T where it was
 * read and decoded, on as many worker threads as there are cores, and its
 * rows are added to the LFP rows that use them.  Memory: per worker one
 * block's panels and its product, whatever the file's size.  The same pass
 * can pool the combined currents by group (cells by place, for previews):
 * each block's rows summed per group, added to the pooled rows as to the
 * LFP's. */
#include "config.h"
#include "wslfp-job-blocks.h"
#include "wslfp-h5.h"

#include <math.h>
#include <string.h>
#ifdef HAVE_OPENBLAS_SET_NUM_THREADS
#include <cblas.h>
#endif

#include "wslfp-rows.h"

/* An evaluation row i that reads sample row k of a current. */
typedef struct
{
  gsize k;
  gsize i;
} Use;

/* One current: its reader, the rows that use it (sorted by k) and its
 * weight in the sum (1 for AMPA, −α for GABA). */
typedef struct
{
  WslfpCurrentKind kind;
  WslfpRowReader *reader;
  Use *uses;
  gsize n_uses;
  double weight;
} Term;

typedef struct
{
  const WslfpDataset *ds;
  const WslfpModel *model;
  gsize model_first;            /* the source the model's first column is */
  WslfpPrecision precision;
  const double *t_eval;
  Term terms[WSLFP_N_CURRENTS];
  int n_terms;
  gsize n_tasks;
  gint next_task;
  gsize E;
  double *out;
  WslfpBlocksPool *pool;        /* or NULL */
  GMutex lock;               /* out, done, error */
  GCond changed;
  gsize done;
  gsize first_done;             /* blocks of terms[0] done */
  gint running;
  gboolean stop;
  GError *error;
} Job;

/* What one worker is multiplying: a block of one current. */
typedef struct
{
  Job *job;
  const Term *term;
  gsize row0, n;
  double *product;           /* n × E */
  gboolean *used;            /* n: whether some evaluation row reads it */
  double *pooled;            /* n × n_groups, with a pool */
} Block;

static int
compare_uses (const void *a, const void *b)
{
  const Use *x = a, *y = b;
  return x->k < y->k ? -1 : x->k > y->k ? 1 : x->i < y->i ? -1 : x->i > y->i;
}

/* The first use of a row >= @k. */
static gsize
first_use (const Term *t, gsize k)
{
  gsize lo = 0, hi = t->n_uses;
  while (lo < hi)
    {
      gsize mid = lo + (hi - lo) / 2;
      if (t->uses[mid].k < k)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

/* A product row is not finite: name the input value at fault in @p, if it
 * is there (the message wslfp_compute() gives for the same input). */
static gboolean
fail_not_finite (const Block *b, const WslfpPanel *p, gsize k, GError **error)
{
  const char *name = wslfp_current_kind_name (b->term->kind);
  for (gsize s = 0; s < p->n_cols; s++)
    {
      gsize at = (k - p->row0) * p->stride + s;
      double v = p->type == WSLFP_FLOAT32 ? ((const float *) p->data)[at] : ((const double *) p->data)[at];
      if (!isfinite (v))
        {
          g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_INVALID,
                       "%s: /currents/%s/I: %s currents [%zu][%zu] (t = %.10g ms, source %zu) is %g", b->job->ds->path,
                       name, name, k, p->col0 + s, b->job->ds->currents[b->term->kind].t_ms[k], p->col0 + s, v);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
row_finite (const double *row, gsize E)
{
  double probe = 0.0;
  for (gsize e = 0; e < E; e++)
    probe += row[e] * 0.0;
  return probe == 0.0;
}

/* The panel's rows, times the term's weight, added into the spill at the
 * evaluation rows that read them (the first term's adds come before any
 * other's: see worker()); a failed write abandons the spill, not the pass. */
static void
spill_panel (const Block *b, const WslfpPanel *p, WslfpBlocksPool *pool)
{
  const Term *t = b->term;
  if (p->type != WSLFP_FLOAT32)
    {
      /* (float64 currents keep their exact moves in double) */
      g_atomic_int_set (&pool->spill_failed, TRUE);
      return;
    }
  for (gsize u = first_use (t, p->row0); u < t->n_uses && t->uses[u].k < p->row0 + p->n_rows; u++)
    {
      if (g_atomic_int_get (&pool->spill_failed))
        return;
      g_autoptr (GError) error = NULL;
      const float *row = (const float *) p->data + (t->uses[u].k - p->row0) * p->stride;
      if (!wslfp_spill_add (pool->spill, t->uses[u].i, p->col0, row, p->type, p->n_cols, t->weight, &error))
        {
          g_debug ("no exact moves from scratch currents: %s", error->message);
          g_atomic_int_set (&pool->spill_failed, TRUE);
        }
    }
}

static gboolean
multiply_panel (const WslfpPanel *p, gpointer data, GError **error)
{
  Block *b = data;
  gsize E = b->job->E;
  WslfpError err;
  double *product = b->product + (p->row0 - b->row0) * E;
  if (wslfp_model_accumulate (b->job->model, p->data, p->type, p->n_rows, p->n_cols, p->stride,
                              p->col0 - b->job->model_first,
                              b->job->precision, product, &err) != WSLFP_OK)
    {
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_ENGINE, "%s: computing: %s", b->job->ds->path, err.message);
      return FALSE;
    }
  for (gsize r = 0; r < p->n_rows; r++)
    if (b->used[p->row0 - b->row0 + r] && !row_finite (product + r * E, E)
        && !fail_not_finite (b, p, p->row0 + r, error))
      return FALSE;
  WslfpBlocksPool *pool = b->job->pool;
  if (pool != NULL && pool->spill != NULL)
    spill_panel (b, p, pool);
  for (gsize r = 0; pool != NULL && r < p->n_rows; r++)
    {
      if (!b->used[p->row0 - b->row0 + r])
        continue;
      double *sums = b->pooled + (p->row0 - b->row0 + r) * pool->n_groups;
      const gsize *group = pool->group + p->col0;
      if (p->type == WSLFP_FLOAT32)
        {
          const float *v = (const float *) p->data + r * p->stride;
          for (gsize s = 0; s < p->n_cols; s++)
            sums[group[s]] += v[s];
        }
      else
        {
          const double *v = (const double *) p->data + r * p->stride;
          for (gsize s = 0; s < p->n_cols; s++)
            sums[group[s]] += v[s];
        }
    }
  return TRUE;
}

/* Adds the block's rows to the LFP rows that read them. */
static gboolean
add_block (Block *b, GError **error)
{
  Job *job = b->job;
  const Term *t = b->term;
  gsize E = job->E;
  for (gsize u = first_use (t, b->row0); u < t->n_uses && t->uses[u].k < b->row0 + b->n; u++)
    {
      const double *row = b->product + (t->uses[u].k - b->row0) * E;
      if (!row_finite (row, E))
        {
          g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_INVALID,
                       "%s: computing: the LFP at t_eval_ms[%zu] = %g ms overflows (inputs are finite but too large)",
                       job->ds->path, t->uses[u].i, job->t_eval[t->uses[u].i]);
          return FALSE;
        }
    }
  /* Each LFP row gets exactly one addition per current, to 0: the sum is
   * the same whichever worker adds first. */
  g_mutex_lock (&job->lock);
  for (gsize u = first_use (t, b->row0); u < t->n_uses && t->uses[u].k < b->row0 + b->n; u++)
    {
      const double *row = b->product + (t->uses[u].k - b->row0) * E;
      double *dst = job->out + t->uses[u].i * E;
      for (gsize e = 0; e < E; e++)
        dst[e] += t->weight * row[e];
    }
  const WslfpBlocksPool *pool = job->pool;
  for (gsize u = first_use (t, b->row0); pool != NULL && u < t->n_uses && t->uses[u].k < b->row0 + b->n; u++)
    {
      const double *row = b->pooled + (t->uses[u].k - b->row0) * pool->n_groups;
      double *dst = pool->out + t->uses[u].i * pool->n_groups;
      for (gsize g = 0; g < pool->n_groups; g++)
        dst[g] += t->weight * row[g];
    }
  g_mutex_unlock (&job->lock);
  return TRUE;
}

static gboolean
run_block (Job *job, gsize task, WslfpRowWorkspace *ws, double **product, gboolean **used, double **pooled,
           gsize *capacity, GError **error)
{
  gsize G = job->pool != NULL ? job->pool->n_groups : 0;
  int k = 0;
  gsize block = task;
  while (block >= wslfp_row_reader_n_blocks (job->terms[k].reader))
    block -= wslfp_row_reader_n_blocks (job->terms[k++].reader);
  Block b = { job, &job->terms[k], 0, 0, NULL, NULL };
  wslfp_row_reader_block (b.term->reader, block, &b.row0, &b.n);
  if (b.n > *capacity)
    {
      g_free (*product);
      g_free (*used);
      g_free (*pooled);
      *product = g_try_malloc (b.n * job->E * sizeof (double));
      *used = g_try_malloc (b.n * sizeof (gboolean));
      *pooled = G > 0 ? g_try_malloc (b.n * G * sizeof (double)) : NULL;
      *capacity = *product != NULL && *used != NULL && (G == 0 || *pooled != NULL) ? b.n : 0;
      if (*capacity == 0)
        {
          g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_OPEN, "out of memory for a block of %zu rows", b.n);
          return FALSE;
        }
    }
  b.product = *product;
  b.used = *used;
  b.pooled = *pooled;
  memset (b.product, 0, b.n * job->E * sizeof (double));
  if (G > 0)
    memset (b.pooled, 0, b.n * G * sizeof (double));
  memset (b.used, 0, b.n * sizeof (gboolean));
  for (gsize u = first_use (b.term, b.row0); u < b.term->n_uses && b.term->uses[u].k < b.row0 + b.n; u++)
    b.used[b.term->uses[u].k - b.row0] = TRUE;
  return wslfp_row_reader_read (b.term->reader, block, ws, multiply_panel, &b, error)
         && add_block (&b, error);
}

static gpointer
worker (gpointer data)
{
  wslfp_h5_init (); /* this thread's HDF5 errors are ours to report */
  Job *job = data;
  g_autoptr (WslfpRowWorkspace) ws = wslfp_row_workspace_new ();
  double *product = NULL, *pooled = NULL;
  gboolean *used = NULL;
  gsize capacity = 0;
  /* Blocks of the first term come first; with a spill, where each
   * evaluation row's AMPA and GABA rows are added into one place, the
   * other term's wait for them all, so that no two adds meet. */
  gsize n_first = job->n_terms > 0 ? wslfp_row_reader_n_blocks (job->terms[0].reader) : 0;
  gboolean ordered = job->pool != NULL && job->pool->spill != NULL;
  for (;;)
    {
      gsize task = (gsize) g_atomic_int_add (&job->next_task, 1);
      if (task >= job->n_tasks || g_atomic_int_get (&job->stop))
        break;
      if (ordered && task >= n_first)
        {
          g_mutex_lock (&job->lock);
          while (job->first_done < n_first && !job->stop)
            g_cond_wait (&job->changed, &job->lock);
          g_mutex_unlock (&job->lock);
        }
      GError *error = NULL;
      gboolean ok = run_block (job, task, ws, &product, &used, &pooled, &capacity, &error);
      g_mutex_lock (&job->lock);
      job->done++;
      if (task < n_first)
        job->first_done++;
      if (!ok)
        {
          if (job->error == NULL)
            job->error = error;
          else
            g_error_free (error);
          g_atomic_int_set (&job->stop, TRUE);
        }
      /* (the caller's thread and any worker waiting for the first term) */
      g_cond_broadcast (&job->changed);
      g_mutex_unlock (&job->lock);
    }
  g_free (product);
  g_free (used);
  g_free (pooled);
  g_mutex_lock (&job->lock);
  job->running--;
  g_cond_broadcast (&job->changed);
  g_mutex_unlock (&job->lock);
  return NULL;
}

/* The uses of @kind's rows, or FALSE if some evaluation time falls between
 * samples (or, strict, outside them: the general path says why), or the
 * rows read are so sparse that reading whole blocks would waste most. */
static gboolean
plan_term (Job *job, const WslfpJobSettings *s, WslfpCurrentKind kind, gsize n_eval, gboolean *applicable,
           GError **error)
{
  const WslfpDatasetCurrents *c = &job->ds->currents[kind];
  double tau = kind == WSLFP_CURRENT_AMPA ? s->options.tau_ampa_ms : s->options.tau_gaba_ms;
  g_autofree gint64 *rows = g_new (gint64, MAX (n_eval, 1));
  WslfpError err;
  if (wslfp_currents_sample_rows (c->t_ms, c->n_times, job->t_eval, n_eval, tau, (int64_t *) rows, &err) != WSLFP_OK)
    {
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_INVALID, "%s: %s", job->ds->path, err.message);
      return FALSE;
    }
  Term *t = &job->terms[job->n_terms];
  t->kind = kind;
  t->weight = kind == WSLFP_CURRENT_AMPA ? 1.0 : -s->options.alpha;
  t->uses = g_new (Use, MAX (n_eval, 1));
  gsize lo = G_MAXSIZE, hi = 0;
  for (gsize i = 0; i < n_eval; i++)
    {
      if (rows[i] == -2 || (rows[i] == -1 && s->options.strict))
        {
          *applicable = FALSE;
          g_free (t->uses);
          return TRUE;
        }
      if (rows[i] >= 0)
        {
          t->uses[t->n_uses++] = (Use) { (gsize) rows[i], i };
          lo = MIN (lo, (gsize) rows[i]);
          hi = MAX (hi, (gsize) rows[i]);
        }
    }
  job->n_terms++;
  if (t->n_uses > 0 && hi - lo + 1 > 2 * t->n_uses + 1024)
    {
      *applicable = FALSE;
      return TRUE;
    }
  qsort (t->uses, t->n_uses, sizeof (Use), compare_uses);
  gsize first_col = s->source_count ? s->source_first : 0;
  gsize n_cols = s->source_count ? s->source_count : c->n_sources;
  t->reader = wslfp_row_reader_new (job->ds, kind, t->n_uses ? lo : 0, t->n_uses ? hi - lo + 1 : 0, first_col, n_cols,
                                    error);
  return t->reader != NULL;
}

static gboolean
run_workers (Job *job, guint n_threads, WslfpJobProgress progress, gpointer user_data, GError **error)
{
  GThread *threads[64];
  n_threads = CLAMP (MIN (n_threads, job->n_tasks), 1, G_N_ELEMENTS (threads));
#ifdef HAVE_OPENBLAS_SET_NUM_THREADS
  /* BLAS runs single-threaded inside our workers: they are the threads. */
  int blas_threads = openblas_get_num_threads ();
  openblas_set_num_threads (1);
#endif
  job->running = (gint) n_threads;
  for (guint k = 0; k < n_threads; k++)
    threads[k] = g_thread_new ("wslfp-block", worker, job);
  g_mutex_lock (&job->lock);
  gsize reported = 0;
  for (;;)
    {
      if (progress != NULL && job->done != reported && !job->stop)
        {
          reported = job->done;
          g_mutex_unlock (&job->lock);
          gboolean cancel = progress ((double) reported / job->n_tasks, user_data);
          g_mutex_lock (&job->lock);
          if (cancel && job->error == NULL)
            {
              g_set_error (&job->error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_ENGINE, "cancelled");
              g_atomic_int_set (&job->stop, TRUE);
              g_cond_broadcast (&job->changed); /* (a worker waiting for the first term) */
            }
          continue;
        }
      if (job->running == 0)
        break;
      g_cond_wait (&job->changed, &job->lock);
    }
  g_mutex_unlock (&job->lock);
  for (guint k = 0; k < n_threads; k++)
    g_thread_join (threads[k]);
#ifdef HAVE_OPENBLAS_SET_NUM_THREADS
  openblas_set_num_threads (blas_threads);
#endif
  if (job->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&job->error));
      return FALSE;
    }
  return TRUE;
}

gboolean
wslfp_job_blocks_run (const WslfpDataset *ds, const WslfpModel *model, const WslfpJobSettings *s,
                      const double *t_eval, gsize n_eval, double *out, WslfpJobProgress progress, gpointer user_data,
                      gboolean *applicable, GError **error)
{
  memset (out, 0, n_eval * wslfp_model_get_n_electrodes (model) * sizeof (double));
  return wslfp_job_blocks_run_pooling (ds, model, s, t_eval, n_eval, out, NULL, progress, user_data, applicable, error);
}

gboolean
wslfp_job_blocks_run_pooling (const WslfpDataset *ds, const WslfpModel *model, const WslfpJobSettings *s,
                              const double *t_eval, gsize n_eval, double *out, WslfpBlocksPool *pool,
                              WslfpJobProgress progress, gpointer user_data, gboolean *applicable, GError **error)
{
  Job job = { ds, model, 0, s->precision, t_eval };
  /* (a model of the part's sources only, or of them all) */
  if (s->source_count > 0 && wslfp_model_get_n_sources (model) == s->source_count)
    job.model_first = s->source_first;
  job.E = wslfp_model_get_n_electrodes (model);
  job.out = out;
  job.pool = pool;
  g_mutex_init (&job.lock);
  g_cond_init (&job.changed);
  *applicable = TRUE;
  gboolean ok = TRUE;
  for (int k = 0; ok && *applicable && k < WSLFP_N_CURRENTS; k++)
    if (ds->currents[k].present)
      ok = plan_term (&job, s, k, n_eval, applicable, error);
  if (ok && *applicable)
    {
      for (int k = 0; k < job.n_terms; k++)
        job.n_tasks += wslfp_row_reader_n_blocks (job.terms[k].reader);
      guint n_threads = s->n_threads ? s->n_threads : g_get_num_processors ();
      ok = job.n_tasks == 0 || run_workers (&job, n_threads, progress, user_data, error);
    }
  for (int k = 0; k < job.n_terms; k++)
    {
      g_free (job.terms[k].uses);
      wslfp_row_reader_free (job.terms[k].reader);
    }
  g_mutex_clear (&job.lock);
  g_cond_clear (&job.changed);
  return ok;
}
