/* wslfp-job.c: computing the LFP of a dataset, from its currents (read in
 * blocks of rows) or from its spikes. */
#include "config.h"
#include "wslfp-lfp.h"

#include <math.h>
#include <string.h>

#include "wslfp-h5.h"
#include "wslfp-job-blocks.h"
#include "wslfp-job-private.h"
#include "wslfp-rows.h"
#include "wslfp-csv.h"

/* Bytes of current rows read per block, per current type. */
#define BLOCK_BYTES (32u << 20)

static gboolean
engine_error (GError **error, const char *file, const WslfpError *err)
{
  g_set_error (error, WSLFP_IO_ERROR, err->status == WSLFP_ERROR_CANCELLED ? WSLFP_IO_ERROR_ENGINE : WSLFP_IO_ERROR_INVALID,
               "%s: %s", file, err->message);
  return FALSE;
}

/* Rows of S sources per block: the settings' bytes (32 MiB by default)
 * as doubles, at least 4. */
static gsize
block_rows (const WslfpJobSettings *s, gsize S)
{
  gsize block_bytes = s->block_bytes ? s->block_bytes : BLOCK_BYTES;
  return MAX (block_bytes / (MAX (S, 1) * sizeof (double)), 4);
}

/* Reports @fraction done; FALSE (with "cancelled") if the caller stops. */
static gboolean
report_progress (WslfpJobProgress progress, gpointer user_data, double fraction, GError **error)
{
  if (progress != NULL && progress (fraction, user_data))
    {
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_ENGINE, "cancelled");
      return FALSE;
    }
  return TRUE;
}

/* Default evaluation times START:STOP:STEP, with an error that says where
 * they came from (not "--t-eval", which nobody gave: issue 20, item 14). */
static double *
default_times (const WslfpDataset *ds, double start, double stop, double step, const char *origin, gsize *n,
               GError **error)
{
  GError *local = NULL;
  double *t = wslfp_arange (start, stop, step, n, &local);
  if (t == NULL)
    {
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_INVALID,
                   "%s: the evaluation times %g:%g:%g ms that %s gives are %s; choose others with --t-eval "
                   "START:STOP:STEP", ds->path, start, stop, step, origin,
                   strstr (local->message, "no evaluation") != NULL ? "none" : "too many");
      g_error_free (local);
    }
  return t;
}

/* The evaluation times: --t-eval, else the AMPA (or GABA) sample times,
 * else (spikes only) 0.1 ms steps over the spikes. */
static double *
eval_times (const WslfpDataset *ds, const WslfpJobSettings *s, gsize *n, GError **error)
{
  return wslfp_job_eval_times (ds, s, n, error);
}

double *
wslfp_job_eval_times (const WslfpDataset *ds, const WslfpJobSettings *s, gsize *n, GError **error)
{
  if (s->t_eval_set)
    return wslfp_arange (s->t_start_ms, s->t_stop_ms, s->t_step_ms, n, error);
  if (ds->t_default_set)
    return default_times (ds, ds->t_default_ms[0], ds->t_default_ms[1], ds->t_default_ms[2],
                          "the simulation's run (tstop and dt)", n, error);
  for (int k = 0; k < WSLFP_N_CURRENTS; k++)
    {
      const WslfpDatasetCurrents *c = &ds->currents[k];
      if (c->present && c->problem == NULL && c->n_times > 0)
        {
          *n = c->n_times;
          return g_memdup2 (c->t_ms, c->n_times * sizeof (double));
        }
    }
  double t_max = 0.0;
  gboolean tk = s->proxy == WSLFP_PROXY_TKLFP;
  /* TKLFP: until the last spike's uLFP, peaking after the delay, is 5 σ past */
  double tk_tail = s->tklfp.delay_ms + 5 * fmax (s->tklfp.sigma_exc_ms, s->tklfp.sigma_inh_ms);
  for (int g = 0; g < WSLFP_N_SPIKE_GROUPS; g++)
    {
      const WslfpDatasetSpikes *sp = &ds->spikes[g];
      for (gsize k = 0; k < sp->n_spikes && sp->t_ms != NULL; k++)
        t_max = fmax (t_max, sp->t_ms[k] + (tk ? tk_tail : sp->delay_ms + 5 * sp->tau_decay_ms));
    }
  return default_times (ds, 0.0, t_max + 0.1, 0.1,
                        tk ? "the spikes (every 0.1 ms until the last one's uLFP, the delay and 5 σ after it)"
                           : "the spikes (every 0.1 ms until 5 decay times after the last)", n, error);
}

/* The model of geometry @g's sources for the settings' electrodes,
 * dendrite length and profile. */
static WslfpModel *
model_of_geometry (const WslfpDataset *ds, const WslfpJobSettings *s, const WslfpGeometry *g_in, GError **error)
{
  WslfpGeometry g = *g_in;
  WslfpProfile *profile = NULL;
  WslfpModel *model = NULL;
  WslfpError err;

  if (s->electrodes_um != NULL)
    {
      g.electrodes_um = s->electrodes_um;
      g.n_electrodes = s->n_electrodes;
    }
  else if (ds->n_electrodes == 0)
    {
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT,
                   "%s has no electrodes (/electrodes/xyz_um): give a probe (--electrodes)", ds->path);
      return NULL;
    }
  if (s->dendrite_length_um > 0)
    {
      g.dendrite_length_um = &s->dendrite_length_um;
      g.n_lengths = 1;
    }
  if (s->custom_profile == NULL && wslfp_profile_new (s->profile, &profile, &err) != WSLFP_OK)
    {
      engine_error (error, ds->path, &err);
      return NULL;
    }
  /* (on every core: a moved probe's preview waits for its amplitudes) */
  if (wslfp_model_new_threaded (&g, s->custom_profile ? s->custom_profile : profile, s->population, s->n_threads,
                                &model, &err) != WSLFP_OK)
    engine_error (error, ds->path, &err);
  wslfp_profile_free (profile);
  return model;
}

/* The model of sources [first, first + count) only (count 0: all). */
static WslfpModel *
make_model_of (const WslfpDataset *ds, const WslfpJobSettings *s, gsize first, gsize count, GError **error)
{
  WslfpGeometry g;

  wslfp_dataset_get_geometry (ds, &g);
  if (count > 0)
    {
      g.sources_um += 3 * first;
      g.n_sources = count;
      if (g.orientation != NULL && g.n_orientations > 1)
        {
          g.orientation += 3 * first;
          g.n_orientations = count;
        }
      if (g.dendrite_length_um != NULL && g.n_lengths > 1)
        {
          g.dendrite_length_um += first;
          g.n_lengths = count;
        }
    }
  return model_of_geometry (ds, s, &g, error);
}

WslfpModel *
wslfp_job_model_of (const WslfpDataset *ds, const WslfpJobSettings *s, gsize first, gsize count, GError **error)
{
  return make_model_of (ds, s, first, count, error);
}

WslfpModel *
wslfp_job_model_of_columns (const WslfpDataset *ds, const WslfpJobSettings *s, const guint32 *columns, gsize count,
                            GError **error)
{
  WslfpGeometry g;
  wslfp_dataset_get_geometry (ds, &g);
  gboolean own_axes = g.orientation != NULL && g.n_orientations > 1;
  gboolean own_lengths = g.dendrite_length_um != NULL && g.n_lengths > 1;
  g_autofree double *sources = g_try_new (double, 3 * MAX (count, 1));
  g_autofree double *axes = own_axes ? g_try_new (double, 3 * MAX (count, 1)) : NULL;
  g_autofree double *lengths = own_lengths ? g_try_new (double, MAX (count, 1)) : NULL;
  if (sources == NULL || (own_axes && axes == NULL) || (own_lengths && lengths == NULL))
    {
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_OPEN, "out of memory for the places of %zu cells", count);
      return NULL;
    }
  for (gsize j = 0; j < count; j++)
    {
      gsize c = columns[j];
      memcpy (sources + 3 * j, g.sources_um + 3 * c, 3 * sizeof (double));
      if (own_axes)
        memcpy (axes + 3 * j, g.orientation + 3 * c, 3 * sizeof (double));
      if (own_lengths)
        lengths[j] = g.dendrite_length_um[c];
    }
  g.sources_um = sources;
  g.n_sources = count;
  if (own_axes)
    {
      g.orientation = axes;
      g.n_orientations = count;
    }
  if (own_lengths)
    {
      g.dendrite_length_um = lengths;
      g.n_lengths = count;
    }
  return model_of_geometry (ds, s, &g, error);
}

/* Sorts the spill's blocks by where their cells are along the network's
 * longest side: a block's runs of neighbouring columns are then cells
 * close together, which a long probe's far contacts do not reach (their
 * amplitudes and products are skipped).  Left unsorted if out of memory. */
static void
sort_spill_by_place (const WslfpDataset *ds, WslfpSpill *spill)
{
  double lo[3] = { INFINITY, INFINITY, INFINITY }, hi[3] = { -INFINITY, -INFINITY, -INFINITY };
  for (gsize c = 0; c < ds->n_sources; c++)
    for (int k = 0; k < 3; k++)
      {
        lo[k] = fmin (lo[k], ds->sources_um[3 * c + k]);
        hi[k] = fmax (hi[k], ds->sources_um[3 * c + k]);
      }
  int axis = 0;
  for (int k = 1; k < 3; k++)
    if (hi[k] - lo[k] > hi[axis] - lo[axis])
      axis = k;
  g_autofree double *key = g_try_new (double, MAX (ds->n_sources, 1));
  if (key == NULL)
    return;
  for (gsize c = 0; c < ds->n_sources; c++)
    key[c] = ds->sources_um[3 * c + axis];
  wslfp_spill_sort_blocks (spill, key);
}

static WslfpModel *
make_model (const WslfpDataset *ds, const WslfpJobSettings *s, GError **error)
{
  return make_model_of (ds, s, 0, 0, error);
}

/* Where a block of current rows goes: into the LFP (model × currents), or
 * into combined currents kept for moving the probe. */
typedef struct
{
  const WslfpModel *model;
  double *out;              /* n_eval × E */
  WslfpCombined *combined;  /* or this */
  gsize model_first;        /* the source the model's first column is (a panel's model) */
} Sink;

static WslfpStatus
sink_block (const Sink *sink, const WslfpCurrents *ampa, const WslfpCurrents *gaba, const double *t_eval, gsize i0,
            gsize nb, const WslfpOptions *o, WslfpError *err)
{
  /* (both: the LFP and, in the same pass, the cells pooled for previews) */
  WslfpStatus status = WSLFP_OK;
  if (sink->combined != NULL)
    status = wslfp_combined_fill (sink->combined, ampa, gaba, i0, nb, err);
  if (status != WSLFP_OK || sink->model == NULL)
    return status;
  gsize E = wslfp_model_get_n_electrodes (sink->model);
  return wslfp_compute (sink->model, ampa, gaba, t_eval + i0, nb, o, sink->out + i0 * E, err);
}

/* From currents: for each block of evaluation times, read exactly the rows
 * the engine needs (hyperslabs) and compute that block. */
static gboolean
compute_from_currents (WslfpDataset *ds, const Sink *sink, const WslfpJobSettings *s, const double *t_eval,
                       gsize n_eval, WslfpJobProgress progress, gpointer user_data, GError **error)
{
  gsize S = ds->n_sources;
  gsize max_rows = block_rows (s, S);
  double *buffers[WSLFP_N_CURRENTS] = { NULL, NULL };
  double taus[WSLFP_N_CURRENTS] = { s->options.tau_ampa_ms, s->options.tau_gaba_ms };
  WslfpOptions o = s->options;
  WslfpError err;
  gboolean ok = TRUE;

  o.normalize = FALSE; /* over the whole output, at the end */
  o.progress = NULL;
  for (int k = 0; k < WSLFP_N_CURRENTS; k++)
    if (ds->currents[k].present)
      buffers[k] = g_try_malloc (max_rows * S * sizeof (double));
  if ((ds->currents[0].present && buffers[0] == NULL) || (ds->currents[1].present && buffers[1] == NULL))
    {
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_OPEN, "out of memory for a block of %zu current rows", max_rows);
      ok = FALSE;
    }

  gsize block = max_rows;
  for (gsize i0 = 0; ok && i0 < n_eval;)
    {
      gsize nb = MIN (block, n_eval - i0);
      WslfpCurrents cur[WSLFP_N_CURRENTS];
      gboolean too_big = FALSE;
      for (int k = 0; k < WSLFP_N_CURRENTS && !too_big; k++)
        {
          const WslfpDatasetCurrents *c = &ds->currents[k];
          size_t first = 0, rows = 0;
          if (!c->present)
            continue;
          if (wslfp_currents_rows_needed (c->t_ms, c->n_times, t_eval + i0, nb, taus[k], &first, &rows, &err) != WSLFP_OK)
            {
              ok = engine_error (error, ds->path, &err);
              break;
            }
          if (rows > max_rows)
            {
              too_big = TRUE; /* sparse evaluation times span many rows: take fewer */
              break;
            }
          if (!wslfp_dataset_read_rows (ds, k, first, rows, buffers[k], error))
            {
              ok = FALSE;
              break;
            }
          wslfp_currents_init (&cur[k], c->t_ms, c->n_times, buffers[k], S);
          cur[k].first_row = first;
          cur[k].n_rows = rows;
        }
      if (!ok)
        break;
      if (too_big)
        {
          block = MAX (nb / 2, 1);
          continue;
        }
      if (sink_block (sink, ds->currents[0].present ? &cur[0] : NULL, ds->currents[1].present ? &cur[1] : NULL,
                      t_eval, i0, nb, &o, &err) != WSLFP_OK)
        {
          const char *which = strstr (err.message, "gaba") ? "/currents/gaba/I" : "/currents/ampa/I";
          g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_INVALID, "%s: %s: %s", ds->path,
                       err.status == WSLFP_ERROR_NOT_FINITE ? which : "computing", err.message);
          ok = FALSE;
          break;
        }
      i0 += nb;
      ok = report_progress (progress, user_data, (double) i0 / n_eval, error);
    }
  g_free (buffers[0]);
  g_free (buffers[1]);
  return ok;
}

/* The weights onto sources [first, first + n) only, as a spike group of n
 * targets; arrays it needs are allocated into @owned (freed by the caller). */
static void
weights_part (WslfpSpikes *sp, gsize first, gsize n, GPtrArray *owned)
{
  if (sp->weights_kind == WSLFP_WEIGHTS_CSR)
    {
      gint64 *indptr = g_new (gint64, sp->n_pre + 1), *indices = g_new (gint64, MAX (sp->indptr[sp->n_pre], 1));
      double *data = g_new (double, MAX (sp->indptr[sp->n_pre], 1));
      double *delays = sp->delays_ms != NULL ? g_new (double, MAX (sp->indptr[sp->n_pre], 1)) : NULL;
      gsize nnz = 0;
      indptr[0] = 0;
      for (gsize p = 0; p < sp->n_pre; p++)
        {
          for (gint64 k = sp->indptr[p]; k < sp->indptr[p + 1]; k++)
            if ((gsize) sp->indices[k] >= first && (gsize) sp->indices[k] < first + n)
              {
                indices[nnz] = sp->indices[k] - (gint64) first;
                if (delays != NULL)
                  delays[nnz] = sp->delays_ms[k];
                data[nnz++] = sp->data[k];
              }
          indptr[p + 1] = (gint64) nnz;
        }
      sp->indptr = indptr;
      sp->indices = indices;
      sp->data = data;
      sp->delays_ms = delays;
      g_ptr_array_add (owned, indptr);
      g_ptr_array_add (owned, indices);
      g_ptr_array_add (owned, data);
      if (delays != NULL)
        g_ptr_array_add (owned, delays);
    }
  else if (sp->weights_kind == WSLFP_WEIGHTS_DENSE)
    {
      double *dense = g_new (double, MAX (sp->n_pre * n, 1));
      for (gsize p = 0; p < sp->n_pre; p++)
        memcpy (dense + p * n, sp->dense + p * sp->n_targets + first, n * sizeof (double));
      sp->dense = dense;
      g_ptr_array_add (owned, dense);
    }
  sp->n_targets = n;
}

/* A part's block: out += (Σ_group weight · currents) · A[:, part]^T, the
 * currents being exact at t − τ (no interpolation), so the sum is linear;
 * the groups are combined first (in place), so that one product does. */
static WslfpStatus
add_part_block (const Sink *sink, double *const currents[WSLFP_N_SPIKE_GROUPS], const double weights[],
                gsize first, gsize count, gsize i0, gsize nb, WslfpError *err)
{
  gsize E = wslfp_model_get_n_electrodes (sink->model);
  double *combined = NULL;
  for (int g = 0; g < WSLFP_N_SPIKE_GROUPS; g++)
    {
      if (currents[g] == NULL)
        continue;
      if (combined == NULL)
        {
          combined = currents[g];
          for (gsize k = 0; k < nb * count; k++)
            combined[k] *= weights[g];
        }
      else
        for (gsize k = 0; k < nb * count; k++)
          combined[k] += weights[g] * currents[g][k];
    }
  if (combined == NULL)
    return WSLFP_OK;
  return wslfp_model_accumulate (sink->model, combined, WSLFP_FLOAT64, nb, count, count, first - sink->model_first,
                                 WSLFP_PRECISION_DOUBLE, sink->out + i0 * E, err);
}

/* From spikes: for each block of evaluation times, the currents are
 * generated exactly at t_eval − τ (so the LFP needs no interpolation) into a
 * bounded buffer, continuing the event-driven state of the block before. */
static gboolean
compute_from_spikes (WslfpDataset *ds, const Sink *sink, const WslfpJobSettings *s, const double *t_eval,
                     gsize n_eval, WslfpJobProgress progress, gpointer user_data, GError **error)
{
  gsize S = ds->n_sources;
  double taus[WSLFP_N_SPIKE_GROUPS] = { s->options.tau_ampa_ms, s->options.tau_gaba_ms };
  WslfpSpikeCurrents *gens[WSLFP_N_SPIKE_GROUPS] = { NULL, NULL };
  double *times[WSLFP_N_SPIKE_GROUPS] = { NULL, NULL }, *currents[WSLFP_N_SPIKE_GROUPS] = { NULL, NULL };
  WslfpOptions o = s->options;
  WslfpError err;
  gboolean ok = TRUE;
  /* A part of the sources (MPI, or a panel): their weights only, summed
   * linearly; its blocks take as many rows as the bytes allow (each block
   * reads the part's amplitudes once). */
  gboolean part = s->source_count > 0 && sink->model != NULL;
  gsize first = part ? s->source_first : 0, count = part ? s->source_count : S;
  gsize max_rows = block_rows (s, count);
  double weights[WSLFP_N_SPIKE_GROUPS] = { 1.0, -s->options.alpha };
  g_autoptr (GPtrArray) owned = g_ptr_array_new_with_free_func (g_free);

  for (gsize i = 1; i < n_eval; i++)
    if (!(t_eval[i] > t_eval[i - 1]))
      {
        g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_INVALID, "evaluation times must increase for --from-spikes");
        return FALSE;
      }
  o.normalize = FALSE; /* over the whole output, at the end */
  o.progress = NULL;
  for (int g = 0; ok && g < WSLFP_N_SPIKE_GROUPS; g++)
    {
      WslfpSpikes sp;
      if (!ds->spikes[g].present)
        continue;
      wslfp_dataset_get_spikes (ds, g, &sp);
      if (s->kernel_set)
        sp.scale = s->kernel;
      if (s->tau_set[g])
        {
          sp.tau_rise_ms = s->tau_rise_ms[g];
          sp.tau_decay_ms = s->tau_decay_ms[g];
        }
      if (part)
        weights_part (&sp, first, count, owned);
      if (wslfp_spike_currents_new (&sp, &gens[g], &err) != WSLFP_OK)
        {
          g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_INVALID, "%s: /spikes/%s: %s", ds->path,
                       wslfp_spike_group_name (g), err.message);
          ok = FALSE;
          break;
        }
      times[g] = g_new (double, max_rows);
      currents[g] = g_try_malloc (max_rows * MAX (count, 1) * sizeof (double));
      if (currents[g] == NULL)
        {
          g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_OPEN, "out of memory for a block of %zu current rows",
                       max_rows);
          ok = FALSE;
        }
    }

  for (gsize i0 = 0; ok && i0 < n_eval;)
    {
      gsize nb = MIN (max_rows, n_eval - i0);
      WslfpCurrents cur[WSLFP_N_SPIKE_GROUPS];
      for (int g = 0; ok && g < WSLFP_N_SPIKE_GROUPS; g++)
        {
          if (gens[g] == NULL)
            continue;
          for (gsize i = 0; i < nb; i++)
            {
              times[g][i] = t_eval[i0 + i] - taus[g];
              /* Steps too small to survive the subtraction (denormal ones)
               * are the evaluation times' fault, not the spikes' (issue
               * 20, item 16). */
              gboolean after = i > 0 ? times[g][i] > times[g][i - 1] : i0 == 0 || times[g][0] > t_eval[i0 - 1] - taus[g];
              if (!after)
                {
                  g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_INVALID,
                               "the evaluation times minus the %s delay (%g ms) are not increasing: t_eval[%zu] = "
                               "%.17g ms is too close to the time before it (steps too small to subtract %g ms from)",
                               g == WSLFP_SPIKES_EXC ? "AMPA" : "GABA", taus[g], i0 + i, t_eval[i0 + i], taus[g]);
                  ok = FALSE;
                  break;
                }
            }
          if (!ok)
            break;
          if (wslfp_spike_currents_next (gens[g], times[g], nb, currents[g], &err) != WSLFP_OK)
            {
              g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_INVALID, "%s: /spikes/%s: %s", ds->path,
                           wslfp_spike_group_name (g), err.message);
              ok = FALSE;
              break;
            }
          wslfp_currents_init (&cur[g], times[g], nb, currents[g], S);
        }
      if (!ok)
        break;
      double *part_currents[WSLFP_N_SPIKE_GROUPS] = { gens[0] ? currents[0] : NULL, gens[1] ? currents[1] : NULL };
      if (part ? add_part_block (sink, part_currents, weights, first, count, i0, nb, &err) != WSLFP_OK
               : sink_block (sink, gens[0] ? &cur[0] : NULL, gens[1] ? &cur[1] : NULL, t_eval, i0, nb, &o, &err) != WSLFP_OK)
        {
          ok = engine_error (error, ds->path, &err);
          break;
        }
      i0 += nb;
      ok = report_progress (progress, user_data, (double) i0 / n_eval, error);
    }
  for (int g = 0; g < WSLFP_N_SPIKE_GROUPS; g++)
    {
      wslfp_spike_currents_free (gens[g]);
      g_free (times[g]);
      g_free (currents[g]);
    }
  return ok;
}

static const char *
kernel_name (WslfpKernelScale k)
{
  return k == WSLFP_KERNEL_PEAK ? "peak" : k == WSLFP_KERNEL_UNIT ? "unit" : "ode";
}

/* What the settings and the input were, beyond the proxy's own numbers. */
static void
record_provenance (WslfpLfp *lfp, const WslfpDataset *ds, const WslfpJobSettings *s)
{
  lfp->dendrite_length_from_dataset = !(s->dendrite_length_um > 0);
  if (s->dendrite_length_um > 0)
    lfp->dendrite_length_um = s->dendrite_length_um;
  else if (ds->dendrite_length_um == NULL || ds->n_lengths == 0)
    lfp->dendrite_length_um = WSLFP_DEFAULT_DENDRITE_LENGTH_UM;
  else
    {
      double sum = 0;
      for (gsize i = 0; i < ds->n_lengths; i++)
        sum += ds->dendrite_length_um[i];
      lfp->dendrite_length_um = sum / ds->n_lengths;
    }
  if (s->from_spikes)
    lfp->kernel = g_strdup (s->kernel_set ? kernel_name (s->kernel) : "dataset");
  if (s->t_eval_set)
    {
      double range[3] = { s->t_start_ms, s->t_stop_ms, s->t_step_ms };
      lfp->t_eval = wslfp_format_numbers (range, 3, ":");
    }
  else if (ds->t_default_set)
    lfp->t_eval = wslfp_format_numbers (ds->t_default_ms, 3, ":");
  lfp->probe = g_strdup (s->electrodes_um ? (s->probe_description ? s->probe_description : "given") : "dataset");
  /* A file: its path and its size when it was opened.  A dataset built
   * in memory (the app's demo): its name, no size. */
  gboolean on_disk = ds->identity[1] != 0;
  lfp->input_path = on_disk ? g_canonicalize_filename (ds->path, NULL) : g_strdup (ds->path);
  lfp->input_size_bytes = on_disk ? ds->identity[2] : -1;
  lfp->program = g_strdup ("wslfp " PACKAGE_VERSION);
}

/* The LFP record around @uv (n_eval × E, taken) with the settings that
 * made it. */
static WslfpLfp *
lfp_new (const WslfpDataset *ds, const WslfpJobSettings *s, double *t_ms, gsize n_eval, double *uv, gsize E)
{
  return wslfp_job_lfp_new (ds, s, t_ms, n_eval, uv, E);
}

WslfpLfp *
wslfp_job_lfp_new (const WslfpDataset *ds, const WslfpJobSettings *s, double *t_ms, gsize n_eval, double *uv, gsize E)
{
  WslfpLfp *lfp = g_new0 (WslfpLfp, 1);
  lfp->n_times = n_eval;
  lfp->n_electrodes = E;
  lfp->uv = uv;
  lfp->t_ms = t_ms;
  lfp->electrodes_um = g_memdup2 (s->electrodes_um ? s->electrodes_um : ds->electrodes_um, E * 3 * sizeof (double));
  lfp->shank = g_new0 (int, MAX (E, 1));
  for (gsize e = 0; e < E; e++)
    {
      lfp->shank[e] = s->electrodes_um ? (s->shank ? s->shank[e] : 0) : ds->shank[e];
      lfp->n_shanks = MAX (lfp->n_shanks, lfp->shank[e] + 1);
    }
  lfp->profile = g_strdup (wslfp_profile_kind_to_string (s->custom_profile ? WSLFP_PROFILE_CUSTOM : s->profile));
  lfp->alpha = s->options.alpha;
  lfp->tau_ampa_ms = s->options.tau_ampa_ms;
  lfp->tau_gaba_ms = s->options.tau_gaba_ms;
  lfp->normalized = s->options.normalize;
  lfp->population = s->population;
  lfp->from_spikes = s->from_spikes;
  record_provenance (lfp, ds, s);
  if (s->proxy == WSLFP_PROXY_TKLFP)
    {
      /* none of WSLFP's settings apply */
      lfp->proxy = WSLFP_PROXY_TKLFP;
      lfp->tklfp = s->tklfp;
      g_free (lfp->profile);
      lfp->profile = g_strdup ("telenczuk2020");
      lfp->alpha = lfp->tau_ampa_ms = lfp->tau_gaba_ms = 0.0;
      lfp->normalized = lfp->population = FALSE;
      lfp->from_spikes = TRUE;
      lfp->dendrite_length_um = 0.0;
      g_clear_pointer (&lfp->kernel, g_free);
    }
  return lfp;
}

/* The evaluation times, once the dataset is known to be computable the
 * way @s asks. */
static double *
checked_eval_times (const WslfpDataset *ds, const WslfpJobSettings *s, gsize *n_eval, GError **error)
{
  if (s->from_spikes ? !wslfp_dataset_check_spikes (ds, error) : !wslfp_dataset_check_currents (ds, error))
    return NULL;
  if (ds->counted_only)
    {
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_INVALID, "%s was read to be described only", ds->path);
      return NULL;
    }
  return eval_times (ds, s, n_eval, error);
}

/* (a one-column model of the mean amplitudes gives the same scale) */
gboolean
wslfp_job_normalize_by_mean_amplitude (const WslfpDataset *ds, double *uv, gsize n_eval, const double *mean_amp,
                                       gsize E, GError **error)
{
  WslfpError err;
  WslfpModel *scale = NULL;
  gboolean ok = wslfp_model_new_from_amplitude (mean_amp, E, 1, &scale, &err) == WSLFP_OK
                && wslfp_normalize (scale, uv, n_eval, NULL, NULL, &err) == WSLFP_OK;
  wslfp_model_free (scale);
  return ok || engine_error (error, ds->path, &err);
}

/* The model of sources [first, first + count), its amplitudes' share of
 * the mean over all sources added to @mean_amp (E). */
static WslfpModel *
panel_model (const WslfpDataset *ds, const WslfpJobSettings *s, gsize first, gsize count, double *mean_amp,
             GError **error)
{
  WslfpModel *model = make_model_of (ds, s, first, count, error);
  if (model == NULL)
    return NULL;
  const double *A = wslfp_model_get_amplitude (model);
  gsize E = wslfp_model_get_n_electrodes (model);
  for (gsize e = 0; e < E; e++)
    for (gsize k = 0; k < count; k++)
      mean_amp[e] += A[e * count + k] / (double) ds->n_sources;
  return model;
}

/* Progress of one panel as a share of the whole run. */
typedef struct
{
  WslfpJobProgress progress;
  gpointer user_data;
  double done, share;
} PanelProgress;

static gboolean
panel_progress (double fraction, gpointer data)
{
  PanelProgress *p = data;
  return p->progress != NULL && p->progress (p->done + p->share * fraction, p->user_data);
}

/* From spikes with an amplitude matrix bigger than PANEL_BYTES (10^5 cells
 * of a SONATA network and a Neuropixels probe: 300 MB): the sources in
 * panels, each with its own model and the currents of its sources only,
 * summed into the LFP (the parts of an MPI run, one after another), so the
 * matrix never exists whole.  The normalisation's scale, |mean over sources
 * of A(e, ·)|, is summed over the panels. */
#define PANEL_BYTES ((guint64) 32 << 20)

static gboolean
run_spikes_in_panels (WslfpDataset *ds, const WslfpJobSettings *s, const double *t_eval, gsize n_eval, double *uv,
                      gsize E, WslfpJobProgress progress, gpointer user_data, GError **error)
{
  gsize S = ds->n_sources;
  guint64 panel_bytes = s->panel_bytes > 0 ? s->panel_bytes : PANEL_BYTES;
  gsize per = MAX ((gsize) (panel_bytes / (E * sizeof (double))), 1);
  gsize n_panels = (S + per - 1) / per;
  per = (S + n_panels - 1) / n_panels;
  g_autofree double *mean_amp = g_new0 (double, E);
  for (gsize first = 0; first < S; first += per)
    {
      gsize count = MIN (per, S - first);
      WslfpModel *model = panel_model (ds, s, first, count, mean_amp, error);
      if (model == NULL)
        return FALSE;
      WslfpJobSettings part = *s;
      part.source_first = first;
      part.source_count = count;
      Sink sink = { model, uv, NULL, first };
      PanelProgress pp = { progress, user_data, (double) first / S, (double) count / S };
      gboolean ok = compute_from_spikes (ds, &sink, &part, t_eval, n_eval, progress ? panel_progress : NULL, &pp,
                                         error);
      wslfp_model_free (model);
      if (!ok)
        return FALSE;
    }
  return !s->options.normalize || wslfp_job_normalize_by_mean_amplitude (ds, uv, n_eval, mean_amp, E, error);
}

/* From currents on the samples (the blocks path) with an amplitude matrix
 * bigger than CURRENT_PANEL_BYTES (10^6 cells and a Neuropixels probe:
 * 3 GB): the same in panels of sources as wide as whole chunks (no chunk
 * inflated twice), each with its own model, added into @uv (and @pool's
 * sums).  *@applicable FALSE (nothing added) where the blocks path does
 * not apply. */
#define CURRENT_PANEL_BYTES ((guint64) 256 << 20)

static gboolean
currents_in_panels (WslfpDataset *ds, const WslfpJobSettings *s, const double *t_eval, gsize n_eval, double *uv,
                    gsize E, WslfpBlocksPool *pool, WslfpJobProgress progress, gpointer user_data,
                    gboolean *applicable, GError **error)
{
  gsize S = ds->n_sources;
  guint64 panel_bytes = s->panel_bytes > 0 ? s->panel_bytes : CURRENT_PANEL_BYTES;
  gsize per = MAX ((gsize) (panel_bytes / (E * sizeof (double))), 1);
  gsize width = MAX (wslfp_dataset_chunk_columns (ds, WSLFP_CURRENT_AMPA), 1);
  if (per >= width)
    per -= per % width;
  g_autofree double *mean_amp = g_new0 (double, E);
  *applicable = TRUE;
  for (gsize first = 0; first < S; first += per)
    {
      gsize count = MIN (per, S - first);
      /* (a panel's model takes a while: a cancel is heard before it) */
      if (first > 0 && !report_progress (progress, user_data, (double) first / S, error))
        return FALSE;
      WslfpModel *model = panel_model (ds, s, first, count, mean_amp, error);
      if (model == NULL)
        return FALSE;
      WslfpJobSettings part = *s;
      part.source_first = first;
      part.source_count = count;
      PanelProgress pp = { progress, user_data, (double) first / S, (double) count / S };
      gboolean ok = wslfp_job_blocks_run_pooling (ds, model, &part, t_eval, n_eval, uv, pool,
                                                  progress ? panel_progress : NULL, &pp, applicable, error);
      wslfp_model_free (model);
      /* (the first panel decides: every panel reads the same rows) */
      if (!ok || !*applicable)
        return ok;
    }
  return !s->options.normalize || wslfp_job_normalize_by_mean_amplitude (ds, uv, n_eval, mean_amp, E, error);
}

WslfpLfp *
wslfp_job_run (WslfpDataset *ds, const WslfpJobSettings *s, WslfpJobProgress progress, gpointer user_data,
               GError **error)
{
  wslfp_h5_init ();
  if (s->proxy == WSLFP_PROXY_TKLFP)
    {
      WslfpTklfpCells *cells = wslfp_job_tklfp_cells (ds, s, error);
      if (cells == NULL)
        return NULL;
      WslfpLfp *lfp = wslfp_job_run_tklfp (ds, s, cells, 1, s->n_threads ? s->n_threads : g_get_num_processors (),
                                           progress, user_data, error);
      wslfp_tklfp_cells_free (cells);
      return lfp;
    }
  WslfpError err;
  gsize n_eval = 0;
  g_autofree double *t_eval = checked_eval_times (ds, s, &n_eval, error);
  if (t_eval == NULL)
    return NULL;
  gsize n_contacts = s->electrodes_um != NULL ? s->n_electrodes : ds->n_electrodes;
  if (s->from_spikes && !s->population && s->source_count == 0 && n_contacts > 0
      && (guint64) n_contacts * ds->n_sources * sizeof (double) > (s->panel_bytes > 0 ? s->panel_bytes : PANEL_BYTES))
    {
      double *uv = g_try_malloc0 (MAX (n_eval * n_contacts, 1) * sizeof (double));
      if (uv == NULL)
        {
          g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_OPEN, "out of memory for a %zu × %zu LFP", n_eval,
                       n_contacts);
          return NULL;
        }
      if (!run_spikes_in_panels (ds, s, t_eval, n_eval, uv, n_contacts, progress, user_data, error))
        {
          g_free (uv);
          return NULL;
        }
      return lfp_new (ds, s, g_steal_pointer (&t_eval), n_eval, uv, n_contacts);
    }
  if (!s->from_spikes && !s->population && s->source_count == 0 && n_contacts > 0
      && (guint64) n_contacts * ds->n_sources * sizeof (double) > (s->panel_bytes > 0 ? s->panel_bytes
                                                                                        : CURRENT_PANEL_BYTES))
    {
      double *uv = g_try_malloc0 (MAX (n_eval * n_contacts, 1) * sizeof (double));
      gboolean applicable = FALSE;
      if (uv == NULL)
        {
          g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_OPEN, "out of memory for a %zu × %zu LFP", n_eval,
                       n_contacts);
          return NULL;
        }
      if (!currents_in_panels (ds, s, t_eval, n_eval, uv, n_contacts, NULL, progress, user_data, &applicable, error))
        {
          g_free (uv);
          return NULL;
        }
      if (applicable)
        {
          WslfpLfp *lfp = lfp_new (ds, s, g_steal_pointer (&t_eval), n_eval, uv, n_contacts);
          lfp->normalized = s->options.normalize;
          return lfp;
        }
      g_free (uv); /* (between samples: the general path, with the whole matrix) */
    }
  WslfpModel *model = make_model (ds, s, error);
  if (model == NULL)
    return NULL;

  gsize E = wslfp_model_get_n_electrodes (model);
  g_autofree double *uv = g_try_malloc0 (MAX (n_eval * E, 1) * sizeof (double));
  gboolean ok = uv != NULL, part = s->source_count > 0;
  if (!ok)
    g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_OPEN, "out of memory for a %zu × %zu LFP", n_eval, E);
  if (ok && part && (s->source_first > ds->n_sources || s->source_count > ds->n_sources - s->source_first))
    {
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_INVALID, "%s: sources [%zu, %zu) are not among its %zu",
                   ds->path, s->source_first, s->source_first + s->source_count, ds->n_sources);
      ok = FALSE;
    }
  Sink sink = { model, uv, NULL };
  gboolean blocks = FALSE;
  if (ok && !s->from_spikes)
    ok = wslfp_job_blocks_run (ds, model, s, t_eval, n_eval, uv, progress, user_data, &blocks, error);
  /* Interpolated currents cannot be split: the part with source 0 takes
   * the whole sum, the others leave 0. */
  if (ok && !blocks && !(part && !s->from_spikes && s->source_first > 0))
    ok = s->from_spikes ? compute_from_spikes (ds, &sink, s, t_eval, n_eval, progress, user_data, error)
                        : compute_from_currents (ds, &sink, s, t_eval, n_eval, progress, user_data, error);
  if (ok && s->options.normalize && !part && wslfp_normalize (model, uv, n_eval, NULL, NULL, &err) != WSLFP_OK)
    ok = engine_error (error, ds->path, &err);
  wslfp_model_free (model);
  if (!ok)
    return NULL;
  WslfpLfp *lfp = lfp_new (ds, s, g_steal_pointer (&t_eval), n_eval, g_steal_pointer (&uv), E);
  lfp->normalized = s->options.normalize && !part;
  return lfp;
}

gboolean
wslfp_job_normalize (WslfpDataset *ds, const WslfpJobSettings *s, WslfpLfp *lfp, GError **error)
{
  WslfpError err;
  WslfpModel *model = make_model (ds, s, error);
  if (model == NULL)
    return FALSE;
  WslfpStatus st = lfp->n_times > 0 ? wslfp_normalize (model, lfp->uv, lfp->n_times, NULL, NULL, &err) : WSLFP_OK;
  wslfp_model_free (model);
  if (st != WSLFP_OK)
    return engine_error (error, ds->path, &err);
  lfp->normalized = TRUE;
  return TRUE;
}

static double
population_std (const double *x, gsize n)
{
  double mean = 0, var = 0;
  for (gsize i = 0; i < n; i++)
    mean += x[i] / n;
  for (gsize i = 0; i < n; i++)
    var += (x[i] - mean) * (x[i] - mean) / n;
  return sqrt (var);
}

/* TKLFP's two parts at the one contact of @one: the excitatory cells'
 * spikes' and the inhibitory cells' (no normalising: TKLFP has none). */
static gboolean
tklfp_parts (WslfpDataset *ds, const WslfpJobSettings *one, WslfpLfp **exc_out, double **inh_out, GError **error)
{
  WslfpTklfpCells *cells = wslfp_job_tklfp_cells (ds, one, error);
  if (cells == NULL)
    return FALSE;
  WslfpLfp *parts[2] = { NULL, NULL };
  for (int p = 0; p < 2; p++)
    {
      WslfpTklfpCells *of_type = wslfp_tklfp_cells_of_type (cells, p == 0);
      if (wslfp_tklfp_cells_get_n (of_type) == 0)
        {
          /* no cells of this type: a part of zeros */
          gsize T = wslfp_tklfp_cells_get_n_times (of_type);
          parts[p] = wslfp_job_lfp_new (ds, one, g_memdup2 (wslfp_tklfp_cells_get_times (of_type),
                                                            MAX (T, 1) * sizeof (double)), T,
                                        g_new0 (double, MAX (T, 1)), 1);
        }
      else
        parts[p] = wslfp_job_run_tklfp (ds, one, of_type, 1, 1, NULL, NULL, error);
      wslfp_tklfp_cells_free (of_type);
      if (parts[p] == NULL)
        {
          wslfp_lfp_free (parts[0]);
          wslfp_tklfp_cells_free (cells);
          return FALSE;
        }
    }
  wslfp_tklfp_cells_free (cells);
  *exc_out = parts[0];
  *inh_out = g_steal_pointer (&parts[1]->uv);
  wslfp_lfp_free (parts[1]);
  return TRUE;
}

gboolean
wslfp_job_parts (WslfpDataset *ds, const WslfpJobSettings *s, gsize e, WslfpLfp **ampa_out, double **gaba_out,
                 GError **error)
{
  gsize E = s->electrodes_um ? s->n_electrodes : ds->n_electrodes;
  if (e >= E)
    {
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_INVALID, "contact %zu does not exist (%zu contacts)", e, E);
      return FALSE;
    }
  /* The one contact, raw: with α = 0 the AMPA term; with α the sum. */
  WslfpJobSettings one = *s;
  double xyz[3];
  memcpy (xyz, (s->electrodes_um ? s->electrodes_um : ds->electrodes_um) + 3 * e, sizeof xyz);
  int shank = 0;
  one.electrodes_um = xyz;
  one.shank = &shank;
  one.n_electrodes = 1;
  if (s->proxy == WSLFP_PROXY_TKLFP)
    return tklfp_parts (ds, &one, ampa_out, gaba_out, error);
  one.options.normalize = FALSE;
  g_autoptr (WslfpLfp) total = wslfp_job_run (ds, &one, NULL, NULL, error);
  if (total == NULL)
    return FALSE;
  one.options.alpha = 0;
  g_autoptr (WslfpLfp) ampa = wslfp_job_run (ds, &one, NULL, NULL, error);
  if (ampa == NULL)
    return FALSE;
  gsize n = total->n_times;
  double *gaba = g_new (double, MAX (n, 1));
  for (gsize t = 0; t < n; t++)
    gaba[t] = total->uv[t] - ampa->uv[t];
  if (s->options.normalize)
    {
      /* Normalised, the sum is k (x − mean(x)): each term gets the same k
       * and its own mean, so the terms still add up to it. */
      WslfpModel *model = make_model (ds, &one, error);
      if (model == NULL)
        {
          g_free (gaba);
          return FALSE;
        }
      g_autofree double *shown = g_memdup2 (total->uv, MAX (n, 1) * sizeof (double));
      WslfpError err;
      WslfpStatus st = wslfp_normalize (model, shown, n, NULL, NULL, &err);
      wslfp_model_free (model);
      if (st != WSLFP_OK)
        {
          g_free (gaba);
          return engine_error (error, ds->path, &err);
        }
      double raw_std = population_std (total->uv, n), k = raw_std > 0 ? population_std (shown, n) / raw_std : 0;
      double *parts[2] = { ampa->uv, gaba };
      for (int p = 0; p < 2; p++)
        {
          double mean = 0;
          for (gsize t = 0; t < n; t++)
            mean += parts[p][t] / n;
          for (gsize t = 0; t < n; t++)
            parts[p][t] = k * (parts[p][t] - mean);
        }
    }
  ampa->normalized = s->options.normalize;
  *ampa_out = g_steal_pointer (&ampa);
  *gaba_out = gaba;
  return TRUE;
}

guint64
wslfp_job_combined_bytes (const WslfpDataset *ds, const WslfpJobSettings *s, gboolean single)
{
  gsize n_eval = 0;
  g_autofree double *t_eval = eval_times (ds, s, &n_eval, NULL);
  return (guint64) n_eval * (s->population ? 1 : MAX (ds->n_sources, 1)) * (single ? sizeof (float) : sizeof (double));
}

WslfpCombined *
wslfp_job_combine (WslfpDataset *ds, const WslfpJobSettings *s, gboolean single, WslfpJobProgress progress,
                   gpointer user_data, GError **error)
{
  wslfp_h5_init ();
  WslfpError err;
  WslfpCombined *combined = NULL;
  gsize n_eval = 0;
  g_autofree double *t_eval = checked_eval_times (ds, s, &n_eval, error);
  if (t_eval == NULL)
    return NULL;
  if ((single ? wslfp_combined_new_single : wslfp_combined_new) (ds->n_sources, s->population, t_eval, n_eval,
                                                                  &s->options, &combined, &err) != WSLFP_OK)
    {
      engine_error (error, ds->path, &err);
      return NULL;
    }
  Sink sink = { NULL, NULL, combined };
  gboolean ok = s->from_spikes ? compute_from_spikes (ds, &sink, s, t_eval, n_eval, progress, user_data, error)
                               : compute_from_currents (ds, &sink, s, t_eval, n_eval, progress, user_data, error);
  if (!ok)
    g_clear_pointer (&combined, wslfp_combined_free);
  return combined;
}

typedef struct
{
  const WslfpCombined *combined;
  const WslfpModel *model;
  gsize stride, first, n;
  double *uv;
  WslfpError err;
  WslfpStatus status;
} ProductPart;

static gpointer
product_part (gpointer data)
{
  ProductPart *p = data;
  p->status = wslfp_combined_product (p->combined, p->model, p->stride, p->first, p->n, p->uv, &p->err);
  return NULL;
}

/* The raw product of rows [first, first + n) in @n_threads parts, each on
 * its own thread (the last on this one). */
static WslfpStatus
product_in_parts (const WslfpCombined *combined, const WslfpModel *model, gsize stride, gsize first, gsize n,
                  guint n_threads, double *uv, WslfpError *err)
{
  /* Parts smaller than this are not worth a thread. */
  n_threads = CLAMP (MIN (n_threads, n / 256), 1, 16);
  ProductPart parts[16];
  GThread *threads[16];
  for (guint k = 0; k < n_threads; k++)
    {
      parts[k] = (ProductPart) { combined, model, stride, first + n * k / n_threads,
                                 n * (k + 1) / n_threads - n * k / n_threads, uv, { 0 }, WSLFP_OK };
      threads[k] = k + 1 < n_threads ? g_thread_new ("wslfp-product", product_part, &parts[k]) : NULL;
    }
  product_part (&parts[n_threads - 1]);
  WslfpStatus status = WSLFP_OK;
  for (guint k = 0; k < n_threads; k++)
    {
      if (threads[k] != NULL)
        g_thread_join (threads[k]);
      if (status == WSLFP_OK && parts[k].status != WSLFP_OK)
        {
          status = parts[k].status;
          *err = parts[k].err;
        }
    }
  return status;
}

/* Exact products whose amplitude matrix (E × S doubles) is bigger than
 * this are made by blocks of sources, from single-precision combined
 * currents: the whole matrix, and its float copy, would cost more time in
 * page faults and memory traffic than the blocks' amplitudes (and half a
 * GB at 10^5 cells × 384 contacts). */
#define COMBINED_BLOCKS_BYTES ((guint64) 64 << 20)

WslfpLfp *
wslfp_job_run_combined (const WslfpDataset *ds, const WslfpJobSettings *s, const WslfpCombined *combined,
                        gsize stride, guint n_threads, WslfpJobProgress progress, gpointer user_data, GError **error)
{
  gsize n_contacts = s->electrodes_um != NULL ? s->n_electrodes : ds->n_electrodes;
  if (stride <= 1 && wslfp_combined_is_single (combined) && !s->population
      && wslfp_combined_get_n_columns (combined) == ds->n_sources
      && (guint64) n_contacts * ds->n_sources * sizeof (double) > (s->panel_bytes > 0 ? s->panel_bytes
                                                                                        : COMBINED_BLOCKS_BYTES))
    return wslfp_job_run_combined_by_blocks (ds, s, combined, n_threads, progress, user_data, error);
  WslfpError err;
  WslfpModel *model = make_model (ds, s, error);
  if (model == NULL)
    return NULL;
  gsize E = wslfp_model_get_n_electrodes (model), T = wslfp_combined_get_n_times (combined);
  gsize n = wslfp_combined_n_rows (T, MAX (stride, 1));
  g_autofree double *uv = g_try_malloc (MAX (n * E, 1) * sizeof (double));
  if (uv == NULL)
    {
      wslfp_model_free (model);
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_OPEN, "out of memory for a %zu × %zu LFP", n, E);
      return NULL;
    }
  /* In chunks of about 2^24 products when someone may cancel (some 10 ms
   * each), so that they need not wait for the whole product. */
  gsize chunks = progress != NULL ? CLAMP (n * wslfp_combined_get_n_columns (combined) / (1u << 24), 1, MAX (n / 64, 1))
                                  : 1;
  WslfpStatus status = WSLFP_OK;
  for (gsize c = 0; c < chunks && status == WSLFP_OK; c++)
    {
      gsize r0 = n * c / chunks, r1 = n * (c + 1) / chunks;
      status = product_in_parts (combined, model, MAX (stride, 1), r0, r1 - r0, MAX (n_threads, 1), uv, &err);
      if (status == WSLFP_OK && progress != NULL && progress ((double) r1 / n, user_data))
        {
          wslfp_model_free (model);
          g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_ENGINE, "cancelled");
          return NULL;
        }
    }
  if (status == WSLFP_OK && wslfp_combined_normalizes (combined) && n > 0)
    status = wslfp_normalize (model, uv, n, NULL, NULL, &err);
  wslfp_model_free (model);
  if (status != WSLFP_OK)
    {
      engine_error (error, ds->path, &err);
      return NULL;
    }
  double *t_ms = g_new (double, MAX (n, 1));
  const double *t_all = wslfp_combined_get_times (combined);
  for (gsize r = 0; r < n; r++)
    t_ms[r] = t_all[r * MAX (stride, 1)];
  return lfp_new (ds, s, t_ms, n, g_steal_pointer (&uv), E);
}

/* ---- pooled sources, for previews ---- */

struct _WslfpJobPool
{
  const WslfpCombined *source; /* borrowed: the cells' own, for the near ones */
  WslfpCombined *combined;     /* one column per cube */
  double *centroids_um;        /* n_groups × 3, of the sources' given positions */
  gsize n_groups;
  double voxel_um;
  gsize *first;                /* n_groups + 1: cube g's cells are */
  gsize *members;              /* members[first[g] .. first[g + 1]) */
  WslfpSpill *spill;           /* the combined currents, for exact moves, or NULL */
};

/* The row of a per-source array (n rows of @width values) that all rows
 * equal, or NULL when they differ. */
static const double *
shared_row (const double *rows, gsize n, gsize width)
{
  for (gsize i = 1; i < n; i++)
    if (memcmp (rows + i * width, rows, width * sizeof (double)) != 0)
      return NULL;
  return rows;
}

double
wslfp_job_pool_voxel_um (const WslfpDataset *ds, gsize n_groups)
{
  double lo[3] = { INFINITY, INFINITY, INFINITY }, hi[3] = { -INFINITY, -INFINITY, -INFINITY };
  for (gsize i = 0; i < ds->n_sources; i++)
    for (int k = 0; k < 3; k++)
      {
        lo[k] = MIN (lo[k], ds->sources_um[3 * i + k]);
        hi[k] = MAX (hi[k], ds->sources_um[3 * i + k]);
      }
  /* (a flat network's thin side counts as one cube's side: the side s
   * with s³ = the volume, thin sides taken as s, over n_groups) */
  double volume = 1, side = 1;
  for (int iter = 0; iter < 8; iter++)
    {
      volume = 1;
      for (int k = 0; k < 3; k++)
        volume *= MAX (hi[k] - lo[k], side);
      side = cbrt (volume / MAX (n_groups, 1));
    }
  return ds->n_sources > 0 && side > 0 ? side : 1.0;
}

/* The dataset's cells grouped in cubes of @voxel_um: a pool without its
 * combined currents yet (NULL where they cannot be pooled by place). */
static WslfpJobPool *
pool_of_places (const WslfpDataset *ds, double voxel_um, gsize **group_out, GError **error)
{
  if (ds->n_orientations > 1 && shared_row (ds->orientation, ds->n_orientations, 3) == NULL)
    {
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT,
                   "%s: the sources have different orientations: they cannot be pooled by place", ds->path);
      return NULL;
    }
  gsize S = ds->n_sources;
  g_autofree gsize *group = g_try_new (gsize, MAX (S, 1)), *members = g_try_new (gsize, MAX (S, 1));
  g_autofree double *centroids = g_try_new (double, 3 * MAX (S, 1));
  if (group == NULL || centroids == NULL || members == NULL)
    {
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_OPEN, "out of memory pooling %zu sources", S);
      return NULL;
    }
  WslfpError err;
  gsize n_groups = 0;
  if (wslfp_voxel_groups (ds->sources_um, S, voxel_um, group, centroids, &n_groups, &err) != WSLFP_OK)
    {
      engine_error (error, ds->path, &err);
      return NULL;
    }
  WslfpJobPool *pool = g_new0 (WslfpJobPool, 1);
  pool->centroids_um = g_realloc (g_steal_pointer (&centroids), 3 * n_groups * sizeof (double));
  pool->n_groups = n_groups;
  pool->voxel_um = voxel_um;
  /* each cube's cells, in order (a counting sort) */
  pool->first = g_new0 (gsize, n_groups + 1);
  for (gsize i = 0; i < S; i++)
    pool->first[group[i] + 1]++;
  for (gsize g = 0; g < n_groups; g++)
    pool->first[g + 1] += pool->first[g];
  g_autofree gsize *next = g_memdup2 (pool->first, n_groups * sizeof (gsize));
  for (gsize i = 0; i < S; i++)
    members[next[group[i]]++] = i;
  pool->members = g_steal_pointer (&members);
  *group_out = g_steal_pointer (&group);
  return pool;
}

WslfpJobPool *
wslfp_job_pool (const WslfpDataset *ds, const WslfpCombined *combined, double voxel_um, GError **error)
{
  g_autofree gsize *group = NULL;
  WslfpJobPool *pool = pool_of_places (ds, voxel_um, &group, error);
  if (pool == NULL)
    return NULL;
  WslfpError err;
  if (wslfp_combined_new_pooled (combined, group, pool->n_groups, &pool->combined, &err) != WSLFP_OK)
    {
      engine_error (error, ds->path, &err);
      wslfp_job_pool_free (pool);
      return NULL;
    }
  pool->source = combined;
  return pool;
}

WslfpLfp *
wslfp_job_run_pooling (WslfpDataset *ds, const WslfpJobSettings *s, double voxel_um, WslfpJobPool **pool_out,
                       WslfpJobProgress progress, gpointer user_data, GError **error)
{
  *pool_out = NULL;
  if (s->from_spikes || s->population || s->proxy != WSLFP_PROXY_WSLFP || s->source_count > 0)
    {
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_INVALID,
                   "%s: only the WSLFP of every cell's own currents can be pooled by place", ds->path);
      return NULL;
    }
  wslfp_h5_init ();
  gsize n_eval = 0;
  g_autofree double *t_eval = checked_eval_times (ds, s, &n_eval, error);
  if (t_eval == NULL)
    return NULL;
  g_autofree gsize *group = NULL;
  WslfpJobPool *pool = pool_of_places (ds, voxel_um, &group, error);
  if (pool == NULL)
    return NULL;
  gsize E = s->electrodes_um != NULL ? s->n_electrodes : ds->n_electrodes, G = pool->n_groups;
  g_autofree double *uv = g_try_malloc0 (MAX (n_eval * E, 1) * sizeof (double));
  g_autofree double *pooled = g_try_malloc0 (MAX (n_eval * G, 1) * sizeof (double));
  WslfpError err;
  gboolean ok = uv != NULL && pooled != NULL, blocks = FALSE, normalized = FALSE;
  if (!ok)
    g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_OPEN, "out of memory for a %zu × %zu LFP and %zu pooled cells",
                 n_eval, E, G);
  /* On the samples: the raw blocks, each summed per cube as it is
   * multiplied (with a large amplitude matrix, in panels of sources);
   * else the general path fills a grouped handle. */
  /* The combined currents go to a scratch file too, for exact moves,
   * where the products are single precision anyway (float32 currents in
   * auto precision: a float64 panel abandons it). */
  WslfpBlocksPool sums = { group, G, pooled, NULL, FALSE };
  if (ok && s->precision == WSLFP_PRECISION_AUTO)
    {
      g_autoptr (GError) spill_error = NULL;
      sums.spill = wslfp_spill_new (n_eval, ds->n_sources, s->block_bytes, &spill_error);
      if (sums.spill == NULL)
        g_debug ("no exact moves from scratch currents: %s", spill_error->message);
      else
        sort_spill_by_place (ds, sums.spill);
    }
  if (ok && E > 0 && (guint64) E * ds->n_sources * sizeof (double) > (s->panel_bytes > 0 ? s->panel_bytes
                                                                                          : CURRENT_PANEL_BYTES))
    {
      ok = currents_in_panels (ds, s, t_eval, n_eval, uv, E, &sums, progress, user_data, &blocks, error);
      normalized = blocks;
    }
  WslfpModel *model = NULL;
  if (ok && !blocks)
    {
      model = make_model (ds, s, error);
      ok = model != NULL;
    }
  if (ok && !blocks && !normalized)
    ok = wslfp_job_blocks_run_pooling (ds, model, s, t_eval, n_eval, uv, &sums, progress, user_data, &blocks, error);
  if (ok && blocks && wslfp_combined_new_from_rows (G, t_eval, n_eval, &s->options, pooled, &pool->combined, &err)
                      != WSLFP_OK)
    ok = engine_error (error, ds->path, &err);
  if (ok && !blocks)
    {
      if (wslfp_combined_new_grouped (ds->n_sources, group, G, t_eval, n_eval, &s->options, &pool->combined, &err)
          != WSLFP_OK)
        ok = engine_error (error, ds->path, &err);
      Sink sink = { model, uv, pool->combined };
      ok = ok && compute_from_currents (ds, &sink, s, t_eval, n_eval, progress, user_data, error);
    }
  if (ok && !normalized && s->options.normalize && wslfp_normalize (model, uv, n_eval, NULL, NULL, &err) != WSLFP_OK)
    ok = engine_error (error, ds->path, &err);
  wslfp_model_free (model);
  if (!ok)
    {
      wslfp_spill_free (sums.spill);
      wslfp_job_pool_free (pool);
      return NULL;
    }
  if (blocks && sums.spill != NULL && !sums.spill_failed)
    pool->spill = g_steal_pointer (&sums.spill);
  wslfp_spill_free (sums.spill);
  *pool_out = pool;
  WslfpLfp *lfp = lfp_new (ds, s, g_steal_pointer (&t_eval), n_eval, g_steal_pointer (&uv), E);
  lfp->normalized = s->options.normalize;
  return lfp;
}

void
wslfp_job_pool_free (WslfpJobPool *pool)
{
  if (pool == NULL)
    return;
  wslfp_combined_free (pool->combined);
  wslfp_spill_free (pool->spill);
  g_free (pool->centroids_um);
  g_free (pool->first);
  g_free (pool->members);
  g_free (pool);
}

gsize wslfp_job_pool_get_n (const WslfpJobPool *pool) { return pool->n_groups; }
gsize wslfp_job_pool_get_n_times (const WslfpJobPool *pool) { return wslfp_combined_get_n_times (pool->combined); }
gsize wslfp_job_pool_get_n_sources (const WslfpJobPool *pool) { return pool->first[pool->n_groups]; }
double wslfp_job_pool_get_voxel_um (const WslfpJobPool *pool) { return pool->voxel_um; }
gboolean wslfp_job_pool_has_currents (const WslfpJobPool *pool) { return pool->spill != NULL; }
const WslfpSpill *wslfp_job_pool_get_spill (const WslfpJobPool *pool) { return pool->spill; }

/* Whether a contact of @s lies within @r µm of point @x. */
static gboolean
near_a_contact (const WslfpJobSettings *s, const WslfpDataset *ds, const double x[3], double r)
{
  const double *xyz = s->electrodes_um != NULL ? s->electrodes_um : ds->electrodes_um;
  gsize E = s->electrodes_um != NULL ? s->n_electrodes : ds->n_electrodes;
  for (gsize e = 0; e < E; e++)
    {
      double dx = xyz[3 * e] - x[0], dy = xyz[3 * e + 1] - x[1], dz = xyz[3 * e + 2] - x[2];
      if (dx * dx + dy * dy + dz * dz < r * r)
        return TRUE;
    }
  return FALSE;
}

/* The geometry of @n sources at @xyz with the dataset's shared orientation
 * and dendrite length; FALSE (an error) where the lengths differ. */
static gboolean
pooled_geometry (const WslfpDataset *ds, const WslfpJobSettings *s, const double *xyz, gsize n, WslfpGeometry *g,
                 GError **error)
{
  wslfp_dataset_get_geometry (ds, g);
  g->sources_um = xyz;
  g->n_sources = n;
  if (g->orientation != NULL)
    g->n_orientations = 1; /* (the pool checked they are all the first) */
  if (g->dendrite_length_um != NULL && s->dendrite_length_um <= 0)
    {
      if (shared_row (g->dendrite_length_um, g->n_lengths, 1) == NULL)
        {
          g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT,
                       "%s: the sources have different dendrite lengths: they cannot be pooled by place", ds->path);
          return FALSE;
        }
      g->n_lengths = 1;
    }
  return TRUE;
}

/* lfp (n rows × E) += the near cells' own product: their currents'
 * stride-th rows gathered, times their amplitudes; @amplitude_sum (E) +=
 * the sum of those amplitudes. */
static gboolean
add_near_cells (const WslfpDataset *ds, const WslfpJobSettings *s, const WslfpJobPool *pool, const gsize *near,
                gsize n_near, gsize stride, gsize n, double *uv, double *amplitude_sum, GError **error)
{
  gsize S = ds->n_sources;
  g_autofree double *xyz = g_new (double, 3 * n_near);
  for (gsize i = 0; i < n_near; i++)
    memcpy (xyz + 3 * i, ds->sources_um + 3 * near[i], 3 * sizeof (double));
  WslfpGeometry g;
  if (!pooled_geometry (ds, s, xyz, n_near, &g, error))
    return FALSE;
  WslfpModel *model = model_of_geometry (ds, s, &g, error);
  if (model == NULL)
    return FALSE;
  gsize E = wslfp_model_get_n_electrodes (model);
  const double *A = wslfp_model_get_amplitude (model);
  for (gsize e = 0; e < E; e++)
    for (gsize i = 0; i < n_near; i++)
      amplitude_sum[e] += A[e * n_near + i];
  gboolean single = wslfp_combined_is_single (pool->source);
  const float *cf = wslfp_combined_get_values_single (pool->source);
  const double *cd = wslfp_combined_get_values (pool->source);
  g_autofree void *block = g_try_malloc (MAX (n * n_near, 1) * (single ? sizeof (float) : sizeof (double)));
  WslfpError err;
  WslfpStatus status = WSLFP_ERROR_NO_MEMORY;
  if (block != NULL)
    {
      for (gsize r = 0; r < n; r++)
        for (gsize i = 0; i < n_near; i++)
          if (single)
            ((float *) block)[r * n_near + i] = cf[r * stride * S + near[i]];
          else
            ((double *) block)[r * n_near + i] = cd[r * stride * S + near[i]];
      status = wslfp_model_accumulate (model, block, single ? WSLFP_FLOAT32 : WSLFP_FLOAT64, n, n_near, n_near, 0,
                                       WSLFP_PRECISION_AUTO, uv, &err);
    }
  wslfp_model_free (model);
  if (block == NULL)
    g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_OPEN, "out of memory for %zu × %zu near currents", n, n_near);
  else if (status != WSLFP_OK)
    engine_error (error, ds->path, &err);
  return status == WSLFP_OK;
}

WslfpLfp *
wslfp_job_run_pooled (const WslfpDataset *ds, const WslfpJobSettings *s, const WslfpJobPool *pool, gsize stride,
                      double near_um, GError **error)
{
  stride = MAX (stride, 1);
  /* The far cubes: one source each at its cells' centroid (the near ones
   * with amplitude 0: their cells follow, each at its own place). */
  WslfpGeometry g;
  if (!pooled_geometry (ds, s, pool->centroids_um, pool->n_groups, &g, error))
    return NULL;
  WslfpModel *cubes = model_of_geometry (ds, s, &g, error);
  if (cubes == NULL)
    return NULL;
  gsize E = wslfp_model_get_n_electrodes (cubes), G = pool->n_groups;
  gsize T = wslfp_combined_get_n_times (pool->combined), n = wslfp_combined_n_rows (T, stride);
  g_autofree gsize *near = g_new (gsize, MAX (ds->n_sources, 1));
  g_autofree guint8 *near_cube = NULL;
  gsize n_near = 0;
  /* (a pool made from disk has no cells' own currents: cubes only) */
  for (gsize c = 0; c < G && near_um > 0 && pool->source != NULL; c++)
    if (near_a_contact (s, ds, pool->centroids_um + 3 * c, near_um))
      {
        if (near_cube == NULL)
          near_cube = g_new0 (guint8, G);
        near_cube[c] = 1;
        for (gsize k = pool->first[c]; k < pool->first[c + 1]; k++)
          near[n_near++] = pool->members[k];
      }
  WslfpError err;
  WslfpModel *far = cubes;
  if (near_cube != NULL)
    {
      /* (a copy of the cubes' amplitudes only then: at 10^6 cells each
       * is tens of MB, whose fresh pages cost as much as the product) */
      g_autofree double *amplitude = g_memdup2 (wslfp_model_get_amplitude (cubes), E * G * sizeof (double));
      for (gsize c = 0; c < G; c++)
        for (gsize e = 0; e < E && near_cube[c]; e++)
          amplitude[e * G + c] = 0;
      wslfp_model_free (cubes);
      if (wslfp_model_new_from_amplitude (amplitude, E, G, &far, &err) != WSLFP_OK)
        {
          engine_error (error, ds->path, &err);
          return NULL;
        }
    }
  g_autofree double *uv = g_try_malloc (MAX (n * E, 1) * sizeof (double));
  if (uv == NULL || wslfp_combined_product (pool->combined, far, stride, 0, n, uv, &err) != WSLFP_OK)
    {
      wslfp_model_free (far);
      if (uv == NULL)
        g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_OPEN, "out of memory for a %zu × %zu LFP", n, E);
      else
        engine_error (error, ds->path, &err);
      return NULL;
    }
  /* Normalising scales each contact by |the mean of A(e, s)| over the
   * cells (wslfp_normalize()): for the far cubes' cells, their cube's. */
  g_autofree double *amplitude_sum = g_new0 (double, E);
  const double *amplitude = wslfp_model_get_amplitude (far);
  for (gsize e = 0; e < E; e++)
    for (gsize c = 0; c < G; c++)
      amplitude_sum[e] += (double) (pool->first[c + 1] - pool->first[c]) * amplitude[e * G + c];
  wslfp_model_free (far);
  if (n_near > 0 && !add_near_cells (ds, s, pool, near, n_near, stride, n, uv, amplitude_sum, error))
    return NULL;
  if (wslfp_combined_normalizes (pool->combined) && n > 0)
    {
      /* (with the statistics of the rows there are, as a strided preview;
       * a model of one column of those means gives wslfp_normalize() them) */
      for (gsize e = 0; e < E; e++)
        amplitude_sum[e] /= (double) ds->n_sources;
      WslfpModel *means = NULL;
      WslfpStatus status = wslfp_model_new_from_amplitude (amplitude_sum, E, 1, &means, &err);
      if (status == WSLFP_OK)
        status = wslfp_normalize (means, uv, n, NULL, NULL, &err);
      wslfp_model_free (means);
      if (status != WSLFP_OK)
        {
          engine_error (error, ds->path, &err);
          return NULL;
        }
    }
  double *t_ms = g_new (double, MAX (n, 1));
  const double *t_all = wslfp_combined_get_times (pool->combined);
  for (gsize r = 0; r < n; r++)
    t_ms[r] = t_all[r * stride];
  return lfp_new (ds, s, t_ms, n, g_steal_pointer (&uv), E);
}
