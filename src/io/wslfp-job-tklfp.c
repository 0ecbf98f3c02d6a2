/* wslfp-job-tklfp.c: the kernel LFP (TKLFP) of a dataset's spiking cells.
 * The cells and their spikes are gathered once (WslfpTklfpCells); a probe
 * then costs its amplitudes and delays and the sum over spikes, split
 * between threads by contacts. */
#include "wslfp-lfp.h"

#include <math.h>
#include <string.h>

#include "wslfp-job-private.h"

/* Contacts × cells per piece's model (amplitudes and delays: 16 bytes
 * each), so that a network of 10^6 cells needs no E × N matrix. */
#define PIECE_BYTES ((guint64) 32 << 20)

struct _WslfpTklfpCells
{
  gsize n;            /* cells with a position */
  double *xyz_mm;     /* n × 3 */
  bool *excitatory;
  double *orientation; /* n × 3 */
  gsize n_spikes;
  double *t_ms;
  int64_t *cell;
  double *t_eval;
  gsize n_eval;
};

void
wslfp_tklfp_cells_free (WslfpTklfpCells *c)
{
  if (c == NULL)
    return;
  g_free (c->xyz_mm);
  g_free (c->excitatory);
  g_free (c->orientation);
  g_free (c->t_ms);
  g_free (c->cell);
  g_free (c->t_eval);
  g_free (c);
}

gsize
wslfp_tklfp_cells_get_n (const WslfpTklfpCells *c)
{
  return c->n;
}

gsize
wslfp_tklfp_cells_get_n_spikes (const WslfpTklfpCells *c)
{
  return c->n_spikes;
}

gsize
wslfp_tklfp_cells_get_n_times (const WslfpTklfpCells *c)
{
  return c->n_eval;
}

const double *
wslfp_tklfp_cells_get_times (const WslfpTklfpCells *c)
{
  return c->t_eval;
}

WslfpTklfpCells *
wslfp_job_tklfp_cells (WslfpDataset *ds, const WslfpJobSettings *s, GError **error)
{
  if (s->population)
    {
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_INVALID,
                   "population mode is a WSLFP setting; TKLFP sums every cell's spikes");
      return NULL;
    }
  if (ds->counted_only)
    {
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_INVALID, "%s was read to be described only", ds->path);
      return NULL;
    }
  if (!wslfp_dataset_check_tklfp (ds, error))
    return NULL;
  WslfpTklfpCells *c = g_new0 (WslfpTklfpCells, 1);
  if ((c->t_eval = wslfp_job_eval_times (ds, s, &c->n_eval, error)) == NULL)
    {
      wslfp_tklfp_cells_free (c);
      return NULL;
    }
  gsize n = 0, k = 0;
  for (int g = 0; g < WSLFP_N_SPIKE_GROUPS; g++)
    {
      n += wslfp_dataset_tklfp_cells (ds, g);
      k += ds->spikes[g].present && ds->spikes[g].cells_um != NULL ? ds->spikes[g].n_spikes : 0;
    }
  c->xyz_mm = g_new (double, 3 * n);
  c->orientation = g_new (double, 3 * n);
  c->excitatory = g_new (bool, n);
  c->t_ms = g_new (double, MAX (k, 1));
  c->cell = g_new (int64_t, MAX (k, 1));
  for (int g = 0; g < WSLFP_N_SPIKE_GROUPS; g++)
    {
      const WslfpDatasetSpikes *sp = &ds->spikes[g];
      if (!sp->present || sp->cells_um == NULL)
        continue;
      /* each of the group's cells' index among those with a position */
      g_autofree gint64 *index = g_new (gint64, MAX (sp->n_cells, 1));
      for (gsize i = 0; i < sp->n_cells; i++)
        {
          const double *p = sp->cells_um + 3 * i;
          if (isnan (p[0]))
            {
              index[i] = -1;
              continue;
            }
          static const double up[3] = { 0, 0, 1 };
          const double *o = sp->cells_orientation == NULL ? up
                            : sp->cells_orientation + 3 * (sp->n_cells_orientations == 1 ? 0 : i);
          for (int a = 0; a < 3; a++)
            {
              c->xyz_mm[3 * c->n + a] = p[a] / 1000.0;
              c->orientation[3 * c->n + a] = o[a];
            }
          c->excitatory[c->n] = g == WSLFP_SPIKES_EXC;
          index[i] = (gint64) c->n++;
        }
      for (gsize j = 0; j < sp->n_spikes; j++)
        if (index[sp->neuron[j]] >= 0)
          {
            c->t_ms[c->n_spikes] = sp->t_ms[j];
            c->cell[c->n_spikes++] = index[sp->neuron[j]];
          }
    }
  return c;
}

WslfpTklfpCells *
wslfp_tklfp_cells_of_type (const WslfpTklfpCells *c, gboolean excitatory)
{
  WslfpTklfpCells *o = g_new0 (WslfpTklfpCells, 1);
  g_autofree gint64 *index = g_new (gint64, MAX (c->n, 1));
  o->xyz_mm = g_new (double, 3 * MAX (c->n, 1));
  o->orientation = g_new (double, 3 * MAX (c->n, 1));
  o->excitatory = g_new (bool, MAX (c->n, 1));
  for (gsize i = 0; i < c->n; i++)
    {
      index[i] = -1;
      if (c->excitatory[i] != (bool) excitatory)
        continue;
      memcpy (o->xyz_mm + 3 * o->n, c->xyz_mm + 3 * i, 3 * sizeof (double));
      memcpy (o->orientation + 3 * o->n, c->orientation + 3 * i, 3 * sizeof (double));
      o->excitatory[o->n] = c->excitatory[i];
      index[i] = (gint64) o->n++;
    }
  o->t_ms = g_new (double, MAX (c->n_spikes, 1));
  o->cell = g_new (int64_t, MAX (c->n_spikes, 1));
  for (gsize k = 0; k < c->n_spikes; k++)
    if (index[c->cell[k]] >= 0)
      {
        o->t_ms[o->n_spikes] = c->t_ms[k];
        o->cell[o->n_spikes++] = index[c->cell[k]];
      }
  o->t_eval = g_memdup2 (c->t_eval, MAX (c->n_eval, 1) * sizeof (double));
  o->n_eval = c->n_eval;
  return o;
}

typedef struct
{
  const WslfpTklfpCells *cells;
  const WslfpTklfpParams *params;
  const double *electrodes_mm;
  gsize E;
  const double *t;
  gsize T;
  double *uv;         /* T × E */
  gsize n_pieces;
  gint next, stop;
  GMutex lock;        /* guards status and err */
  WslfpStatus status;
  WslfpError err;
} Work;

/* Takes pieces of contacts until none is left (or the run stopped);
 * returns after one piece when @one. */
static void
run_pieces (Work *w, gboolean one)
{
  for (;;)
    {
      gsize k = (gsize) g_atomic_int_add (&w->next, 1);
      if (k >= w->n_pieces || g_atomic_int_get (&w->stop))
        return;
      gsize e0 = w->E * k / w->n_pieces, e1 = w->E * (k + 1) / w->n_pieces, n = e1 - e0;
      const WslfpTklfpCells *c = w->cells;
      WslfpTklfp *model = NULL;
      WslfpError err;
      double *part = g_try_malloc (MAX (w->T * n, 1) * sizeof (double));
      WslfpStatus status = part == NULL ? WSLFP_ERROR_NO_MEMORY
                           : wslfp_tklfp_new (c->xyz_mm, c->n, c->excitatory, c->orientation, c->n,
                                              w->electrodes_mm + 3 * e0, n, w->params, &model, &err);
      if (status == WSLFP_OK)
        status = wslfp_tklfp_compute (model, c->t_ms, c->cell, c->n_spikes, w->t, w->T, part, &err);
      if (status == WSLFP_OK)
        for (gsize i = 0; i < w->T; i++)
          memcpy (w->uv + i * w->E + e0, part + i * n, n * sizeof (double));
      else
        {
          g_mutex_lock (&w->lock);
          if (w->status == WSLFP_OK)
            {
              w->status = status;
              if (part == NULL)
                g_snprintf (w->err.message, sizeof w->err.message, "out of memory for a %zu × %zu LFP", w->T, n);
              else
                w->err = err;
            }
          g_mutex_unlock (&w->lock);
          g_atomic_int_set (&w->stop, 1);
        }
      wslfp_tklfp_free (model);
      g_free (part);
      if (one)
        return;
    }
}

static gpointer
worker (gpointer data)
{
  run_pieces (data, FALSE);
  return NULL;
}

WslfpLfp *
wslfp_job_run_tklfp (const WslfpDataset *ds, const WslfpJobSettings *s, const WslfpTklfpCells *cells, gsize stride,
                     guint n_threads, WslfpJobProgress progress, gpointer user_data, GError **error)
{
  const double *um = s->electrodes_um != NULL ? s->electrodes_um : ds->electrodes_um;
  gsize E = s->electrodes_um != NULL ? s->n_electrodes : ds->n_electrodes;
  if (E == 0 || um == NULL)
    {
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT,
                   "%s has no electrodes: give a probe (--electrodes)", ds->path);
      return NULL;
    }
  stride = MAX (stride, 1);
  gsize T = (cells->n_eval + stride - 1) / stride;
  g_autofree double *t = g_new (double, MAX (T, 1));
  for (gsize i = 0; i < T; i++)
    t[i] = cells->t_eval[i * stride];
  g_autofree double *mm = g_new (double, 3 * E);
  for (gsize i = 0; i < 3 * E; i++)
    mm[i] = um[i] / 1000.0;
  g_autofree double *uv = g_try_malloc0 (MAX (T * E, 1) * sizeof (double));
  if (uv == NULL)
    {
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_OPEN, "out of memory for a %zu × %zu LFP", T, E);
      return NULL;
    }
  n_threads = CLAMP (n_threads, 1, 64);
  /* pieces: enough for every thread (a few more when someone watches, to
   * report and cancel between them), and small enough models */
  guint64 by_memory = ((guint64) E * MAX (cells->n, 1) * 2 * sizeof (double) + PIECE_BYTES - 1) / PIECE_BYTES;
  gsize pieces = MIN (E, MAX ((gsize) by_memory, (gsize) n_threads * (progress != NULL ? 4 : 1)));
  Work w = { cells, &s->tklfp, mm, E, t, T, uv, pieces, 0, 0, { 0 }, WSLFP_OK, { 0 } };
  g_mutex_init (&w.lock);
  GThread *threads[64];
  guint n_workers = (guint) MIN ((gsize) n_threads - 1, pieces - 1);
  for (guint k = 0; k < n_workers; k++)
    threads[k] = g_thread_new ("wslfp-tklfp", worker, &w);
  gboolean cancelled = FALSE;
  /* this thread works too, and reports after each of its pieces */
  while ((gsize) g_atomic_int_get (&w.next) < pieces && !g_atomic_int_get (&w.stop))
    {
      run_pieces (&w, TRUE);
      double done = MIN (1.0, (double) g_atomic_int_get (&w.next) / (double) pieces);
      if (progress != NULL && progress (done, user_data))
        {
          cancelled = TRUE;
          g_atomic_int_set (&w.stop, 1);
        }
    }
  for (guint k = 0; k < n_workers; k++)
    g_thread_join (threads[k]);
  g_mutex_clear (&w.lock);
  if (cancelled)
    {
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_ENGINE, "cancelled");
      return NULL;
    }
  if (w.status != WSLFP_OK)
    {
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_ENGINE, "%s: %s", ds->path, w.err.message);
      return NULL;
    }
  return wslfp_job_lfp_new (ds, s, g_steal_pointer (&t), T, g_steal_pointer (&uv), E);
}
