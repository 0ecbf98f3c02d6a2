/* wslfp-compute.c: the batch LFP computation, blocked so that no
 * time × electrode × source array ever exists: a block of rows of the
 * combined current I_ampa(t − τ_ampa) − α I_gaba(t − τ_gaba) is gathered
 * (or interpolated) into a bounded buffer and multiplied by A^T with dgemm. */
#include "wslfp-track.h"

#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Rows per block: enough that dgemm's repacking of A^T (once per call) is
 * cheap next to the multiply, and a bounded buffer. */
#define BLOCK_ROWS      512
#define BLOCK_MAX_BYTES (64u << 20)

size_t
wslfp_block_rows (size_t cols, size_t n_rows)
{
  size_t rows = BLOCK_ROWS;
  size_t cap = BLOCK_MAX_BYTES / (cols * sizeof (double));
  if (rows > cap)
    rows = cap;
  if (rows > n_rows)
    rows = n_rows;
  return rows > 0 ? rows : 1;
}

void
wslfp_block_times_amplitude (const double *block, size_t n, size_t cols,
                             const double *amplitude, size_t n_electrodes, double *lfp)
{
  if (n == 1)
    cblas_dgemv (CblasRowMajor, CblasNoTrans, (int) n_electrodes, (int) cols, 1.0, amplitude,
                 (int) cols, block, 1, 0.0, lfp, 1);
  else
    cblas_dgemm (CblasRowMajor, CblasNoTrans, CblasTrans, (int) n, (int) n_electrodes, (int) cols,
                 1.0, block, (int) cols, amplitude, (int) cols, 0.0, lfp, (int) n_electrodes);
}

void
wslfp_options_init (WslfpOptions *options)
{
  memset (options, 0, sizeof *options);
  options->alpha = WSLFP_DEFAULT_ALPHA;
  options->tau_ampa_ms = WSLFP_DEFAULT_TAU_AMPA_MS;
  options->tau_gaba_ms = WSLFP_DEFAULT_TAU_GABA_MS;
  options->normalize = true;
}

void
wslfp_currents_init (WslfpCurrents *currents, const double *t_ms, size_t n_times,
                     const double *values, size_t n_sources)
{
  currents->t_ms = t_ms;
  currents->n_times = n_times;
  currents->values = values;
  currents->n_sources = n_sources;
  currents->first_row = 0;
  currents->n_rows = n_times;
}

WslfpStatus
wslfp_check_options (const WslfpOptions *o, WslfpError *error)
{
  if (!isfinite (o->alpha))
    return wslfp_fail (error, WSLFP_ERROR_NOT_FINITE, "alpha is %g", o->alpha);
  if (!isfinite (o->tau_ampa_ms))
    return wslfp_fail (error, WSLFP_ERROR_NOT_FINITE, "tau_ampa_ms is %g", o->tau_ampa_ms);
  if (!isfinite (o->tau_gaba_ms))
    return wslfp_fail (error, WSLFP_ERROR_NOT_FINITE, "tau_gaba_ms is %g", o->tau_gaba_ms);
  return WSLFP_OK;
}

/* Strict mode: a time outside a current's samples is an error that names
 * the needed and the provided ranges. */
static WslfpStatus
fail_out_of_range (const WslfpTrack *track, const double *t_eval, size_t n_eval, double tau,
                   size_t i, WslfpError *error)
{
  double lo = INFINITY, hi = -INFINITY;
  for (size_t j = 0; j < n_eval; j++)
    {
      lo = fmin (lo, t_eval[j] - tau);
      hi = fmax (hi, t_eval[j] - tau);
    }
  if (track->n == 0)
    return wslfp_fail (error, WSLFP_ERROR_OUT_OF_RANGE,
                       "strict mode: %s currents have no samples, but t_eval_ms[%zu] − %g ms needs them",
                       track->name, i, tau);
  return wslfp_fail (error, WSLFP_ERROR_OUT_OF_RANGE,
                     "strict mode: t_eval_ms[%zu] = %.10g ms needs %s currents at %.10g ms; needed range "
                     "[%.10g, %.10g] ms, provided [%.10g, %.10g] ms",
                     i, t_eval[i], track->name, t_eval[i] - tau, lo, hi, track->t[0], track->t[track->n - 1]);
}

/* The rows a location reads must lie in the caller's window. */
static WslfpStatus
check_window (const WslfpTrack *track, const WslfpLoc *loc, size_t i, WslfpError *error)
{
  size_t lo, hi;
  if (!wslfp_track_rows_for (track, loc, &lo, &hi))
    return WSLFP_OK;
  if (lo < track->first_row || hi >= track->first_row + track->n_rows)
    return wslfp_fail (error, WSLFP_ERROR_SHAPE,
                       "t_eval_ms[%zu] needs %s current rows [%zu, %zu], but only rows [%zu, %zu) were given",
                       i, track->name, lo, hi, track->first_row, track->first_row + track->n_rows);
  return WSLFP_OK;
}

/* A non-finite value turned up in a combined current: name the input value
 * responsible, if it is in @track's rows for @loc. */
static WslfpStatus
fail_not_finite (const WslfpTrack *track, const WslfpLoc *loc, WslfpError *error)
{
  size_t lo, hi;
  if (wslfp_track_rows_for (track, loc, &lo, &hi))
    for (size_t k = lo; k <= hi; k++)
      {
        const double *row = track->input_values + (k - track->first_row) * track->input_cols;
        for (size_t s = 0; s < track->input_cols; s++)
          if (!isfinite (row[s]))
            return wslfp_fail (error, WSLFP_ERROR_NOT_FINITE,
                               "%s currents [%zu][%zu] (t = %.10g ms, source %zu) is %g",
                               track->name, k, s, track->t[k], s, row[s]);
      }
  return WSLFP_OK;
}

WslfpStatus
wslfp_gather_init (WslfpGather *job, const WslfpCurrents *ampa, const WslfpCurrents *gaba, size_t n_sources,
                   bool population, const double *t_eval_ms, size_t n_eval, const WslfpOptions *options,
                   WslfpError *error)
{
  WslfpStatus status;
  memset (job, 0, sizeof *job);
  if ((status = wslfp_track_init (&job->ampa, "ampa", ampa, n_sources, population, error)) != WSLFP_OK)
    return status;
  if ((status = wslfp_track_init (&job->gaba, "gaba", gaba, n_sources, population, error)) != WSLFP_OK)
    {
      wslfp_track_clear (&job->ampa);
      return status;
    }
  job->cols = population ? 1 : n_sources;
  job->options = options;
  job->t_eval = t_eval_ms;
  job->n_eval = n_eval;
  return WSLFP_OK;
}

void
wslfp_gather_clear (WslfpGather *job)
{
  wslfp_track_clear (&job->ampa);
  wslfp_track_clear (&job->gaba);
}

WslfpStatus
wslfp_gather_rows (WslfpGather *job, size_t i0, size_t n, double *block, WslfpError *error)
{
  const WslfpOptions *o = job->options;
  size_t cols = job->cols;
  WslfpStatus status;

  for (size_t r = 0; r < n; r++)
    {
      size_t i = i0 + r;
      double *dst = block + r * cols;
      WslfpLoc la = wslfp_track_locate (&job->ampa, job->t_eval[i] - o->tau_ampa_ms);
      WslfpLoc lg = wslfp_track_locate (&job->gaba, job->t_eval[i] - o->tau_gaba_ms);

      if (o->strict && la.outside)
        return fail_out_of_range (&job->ampa, job->t_eval, job->n_eval, o->tau_ampa_ms, i, error);
      if (o->strict && lg.outside)
        return fail_out_of_range (&job->gaba, job->t_eval, job->n_eval, o->tau_gaba_ms, i, error);
      if ((status = check_window (&job->ampa, &la, i, error)) != WSLFP_OK
          || (status = check_window (&job->gaba, &lg, i, error)) != WSLFP_OK)
        return status;

      double probe = 0.0;
      if (la.kind == WSLFP_LOC_SAMPLE && lg.kind == WSLFP_LOC_SAMPLE)
        {
          /* The on-grid fast path: one pass, no interpolation. */
          const double *restrict a = wslfp_track_row (&job->ampa, la.k);
          const double *restrict g = wslfp_track_row (&job->gaba, lg.k);
          double alpha = o->alpha;
          for (size_t s = 0; s < cols; s++)
            {
              double v = a[s] - alpha * g[s];
              dst[s] = v;
              probe += v * 0.0;
            }
        }
      else
        {
          wslfp_track_eval (&job->ampa, &la, 1.0, false, dst);
          wslfp_track_eval (&job->gaba, &lg, -o->alpha, true, dst);
          for (size_t s = 0; s < cols; s++)
            probe += dst[s] * 0.0;
        }
      if (probe != 0.0)
        {
          if ((status = fail_not_finite (&job->ampa, &la, error)) != WSLFP_OK
              || (status = fail_not_finite (&job->gaba, &lg, error)) != WSLFP_OK)
            return status;
          return wslfp_fail (error, WSLFP_ERROR_NOT_FINITE,
                             "the combined current at t_eval_ms[%zu] = %g ms overflows (inputs are finite "
                             "but too large)", i, job->t_eval[i]);
        }
    }
  return WSLFP_OK;
}

WslfpStatus
wslfp_compute (const WslfpModel *model, const WslfpCurrents *ampa, const WslfpCurrents *gaba,
               const double *t_eval_ms, size_t n_eval, const WslfpOptions *options, double *lfp,
               WslfpError *error)
{
  WslfpOptions defaults;
  WslfpStatus status;
  WslfpGather job;

  if (model == NULL)
    return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT, "model is NULL");
  if (options == NULL)
    {
      wslfp_options_init (&defaults);
      options = &defaults;
    }
  if ((status = wslfp_check_options (options, error)) != WSLFP_OK
      || (status = wslfp_check_count (n_eval, sizeof (double) * wslfp_model_get_n_electrodes (model),
                                      "n_eval", error)) != WSLFP_OK)
    return status;
  if (n_eval > 0 && (t_eval_ms == NULL || lfp == NULL))
    return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT, "%s is NULL", t_eval_ms == NULL ? "t_eval_ms" : "lfp");
  if ((status = wslfp_check_finite (t_eval_ms, n_eval, 1, "t_eval_ms", error)) != WSLFP_OK)
    return status;

  size_t S = wslfp_model_get_n_sources (model);
  size_t cols = wslfp_model_get_n_columns (model);
  size_t E = wslfp_model_get_n_electrodes (model);
  bool population = wslfp_model_is_population (model);
  if ((status = wslfp_gather_init (&job, ampa, gaba, S, population, t_eval_ms, n_eval, options, error)) != WSLFP_OK)
    return status;

  size_t rows = wslfp_block_rows (cols, n_eval);
  double *block = malloc (rows * cols * sizeof (double));
  if (block == NULL)
    status = wslfp_fail (error, WSLFP_ERROR_NO_MEMORY, "out of memory for a %zu × %zu block", rows, cols);

  const double *amplitude = wslfp_model_get_amplitude (model);
  for (size_t i0 = 0; status == WSLFP_OK && i0 < n_eval; i0 += rows)
    {
      size_t n = n_eval - i0 < rows ? n_eval - i0 : rows;
      if ((status = wslfp_gather_rows (&job, i0, n, block, error)) != WSLFP_OK)
        break;
      wslfp_block_times_amplitude (block, n, cols, amplitude, E, lfp + i0 * E);
      if (options->progress != NULL
          && options->progress ((double) (i0 + n) / (double) n_eval, options->progress_data) != 0)
        status = wslfp_fail (error, WSLFP_ERROR_CANCELLED, "computation cancelled after %zu of %zu times",
                             i0 + n, n_eval);
    }

  free (block);
  wslfp_gather_clear (&job);
  if (status == WSLFP_OK && options->normalize && n_eval > 0)
    status = wslfp_normalize (model, lfp, n_eval, NULL, NULL, error);
  return status == WSLFP_OK ? wslfp_ok (error) : status;
}

/* A track that only locates times on the grid @t_ms (no values, no rows
 * read), after checking the delay and the evaluation times. */
static WslfpStatus
locating_track (const double *t_ms, size_t n_times, const double *t_eval_ms, size_t n_eval, double tau_ms,
                WslfpTrack *track, WslfpError *error)
{
  WslfpCurrents c;
  WslfpStatus status;

  if (!isfinite (tau_ms))
    return wslfp_fail (error, WSLFP_ERROR_NOT_FINITE, "tau_ms is %g", tau_ms);
  if (n_eval > 0 && t_eval_ms == NULL)
    return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT, "t_eval_ms is NULL");
  if ((status = wslfp_check_finite (t_eval_ms, n_eval, 1, "t_eval_ms", error)) != WSLFP_OK)
    return status;
  wslfp_currents_init (&c, t_ms, n_times, NULL, 1);
  c.n_rows = 0;
  return wslfp_track_init (track, "currents", &c, 1, false, error);
}

WslfpStatus
wslfp_currents_rows_needed (const double *t_ms, size_t n_times, const double *t_eval_ms, size_t n_eval,
                            double tau_ms, size_t *first_row, size_t *n_rows, WslfpError *error)
{
  WslfpTrack track;
  WslfpStatus status;

  if (first_row == NULL || n_rows == NULL)
    return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT, "first_row or n_rows is NULL");
  *first_row = *n_rows = 0;
  if ((status = locating_track (t_ms, n_times, t_eval_ms, n_eval, tau_ms, &track, error)) != WSLFP_OK)
    return status;
  size_t lo = SIZE_MAX, hi = 0;
  for (size_t i = 0; i < n_eval; i++)
    {
      size_t a, b;
      WslfpLoc loc = wslfp_track_locate (&track, t_eval_ms[i] - tau_ms);
      if (wslfp_track_rows_for (&track, &loc, &a, &b))
        {
          lo = a < lo ? a : lo;
          hi = b > hi ? b : hi;
        }
    }
  wslfp_track_clear (&track);
  if (lo != SIZE_MAX)
    {
      *first_row = lo;
      *n_rows = hi - lo + 1;
    }
  return wslfp_ok (error);
}

WslfpStatus
wslfp_currents_sample_rows (const double *t_ms, size_t n_times, const double *t_eval_ms, size_t n_eval,
                            double tau_ms, int64_t *rows, WslfpError *error)
{
  WslfpTrack track;
  WslfpStatus status;

  if (n_eval > 0 && rows == NULL)
    return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT, "rows is NULL");
  if ((status = locating_track (t_ms, n_times, t_eval_ms, n_eval, tau_ms, &track, error)) != WSLFP_OK)
    return status;
  for (size_t i = 0; i < n_eval; i++)
    {
      WslfpLoc loc = wslfp_track_locate (&track, t_eval_ms[i] - tau_ms);
      rows[i] = loc.kind == WSLFP_LOC_SAMPLE ? (int64_t) loc.k : loc.kind == WSLFP_LOC_ZERO ? -1 : -2;
    }
  wslfp_track_clear (&track);
  return wslfp_ok (error);
}
