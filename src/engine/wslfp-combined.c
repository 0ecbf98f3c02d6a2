/* wslfp-combined.c: the combined current I_ampa(t − τ_ampa) − α I_gaba(t −
 * τ_gaba) kept whole (n_eval × n_sources), so that moving the electrodes
 * costs one new amplitude matrix and one product, not a pass over the
 * currents with interpolation.  A preview takes every stride-th row. */
#include "wslfp-track.h"

#include <cblas.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

struct _WslfpCombined
{
  size_t n_sources;
  size_t cols;        /* n_sources, or 1 in population mode */
  size_t n_inputs;    /* the sources a fill takes: n_sources, or grouped: */
  size_t *group;      /* n_inputs group numbers (< n_sources) summed into, or NULL */
  bool population;
  WslfpOptions options;
  double *t_ms;       /* n_times */
  size_t n_times;
  size_t n_filled;    /* rows filled so far, in order */
  double *values;     /* n_times × cols, or NULL when single */
  float *single;      /* n_times × cols in single precision, or NULL */
};

/* Rows of a single-precision fill gathered (in double) at a time. */
#define FILL_ROWS 16

static WslfpStatus
combined_new (size_t n_sources, bool population, const double *t_eval_ms, size_t n_eval, const WslfpOptions *options,
              bool single, WslfpCombined **combined, WslfpError *error)
{
  WslfpOptions defaults;
  WslfpStatus status;

  if (combined == NULL)
    return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT, "combined is NULL");
  *combined = NULL;
  if (options == NULL)
    {
      wslfp_options_init (&defaults);
      options = &defaults;
    }
  if (n_sources == 0)
    return wslfp_fail (error, WSLFP_ERROR_SHAPE, "n_sources is 0: at least one source is needed");
  if (n_eval > 0 && t_eval_ms == NULL)
    return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT, "t_eval_ms is NULL");
  size_t cols = population ? 1 : n_sources;
  if ((status = wslfp_check_options (options, error)) != WSLFP_OK
      || (status = wslfp_check_count (n_eval, (single ? sizeof (float) : sizeof (double)) * cols, "n_eval × n_sources",
                                      error)) != WSLFP_OK
      || (status = wslfp_check_finite (t_eval_ms, n_eval, 1, "t_eval_ms", error)) != WSLFP_OK)
    return status;

  WslfpCombined *c = calloc (1, sizeof *c);
  if (c != NULL)
    {
      c->t_ms = malloc ((n_eval ? n_eval : 1) * sizeof (double));
      if (single)
        c->single = malloc ((n_eval ? n_eval : 1) * cols * sizeof (float));
      else
        c->values = malloc ((n_eval ? n_eval : 1) * cols * sizeof (double));
    }
  if (c == NULL || c->t_ms == NULL || (c->values == NULL && c->single == NULL))
    {
      wslfp_combined_free (c);
      return wslfp_fail (error, WSLFP_ERROR_NO_MEMORY, "out of memory for %zu × %zu combined currents", n_eval, cols);
    }
  c->n_sources = n_sources;
  c->cols = cols;
  c->n_inputs = n_sources;
  c->population = population;
  c->options = *options;
  c->options.progress = NULL; /* the caller's callback is not kept */
  c->options.progress_data = NULL;
  c->n_times = n_eval;
  if (n_eval > 0)
    memcpy (c->t_ms, t_eval_ms, n_eval * sizeof (double));
  *combined = c;
  return wslfp_ok (error);
}

WslfpStatus
wslfp_combined_new (size_t n_sources, bool population, const double *t_eval_ms, size_t n_eval,
                    const WslfpOptions *options, WslfpCombined **combined, WslfpError *error)
{
  return combined_new (n_sources, population, t_eval_ms, n_eval, options, false, combined, error);
}

WslfpStatus
wslfp_combined_new_single (size_t n_sources, bool population, const double *t_eval_ms, size_t n_eval,
                           const WslfpOptions *options, WslfpCombined **combined, WslfpError *error)
{
  return combined_new (n_sources, population, t_eval_ms, n_eval, options, true, combined, error);
}

void
wslfp_combined_free (WslfpCombined *combined)
{
  if (combined == NULL)
    return;
  free (combined->t_ms);
  free (combined->values);
  free (combined->single);
  free (combined->group);
  free (combined);
}

/* Rows gathered in double, kept in single precision. */
static WslfpStatus
fill_single (WslfpCombined *c, WslfpGather *gather, size_t first_eval, size_t n_eval, WslfpError *error)
{
  size_t rows = n_eval < FILL_ROWS ? n_eval : FILL_ROWS;
  double *block = malloc (rows * c->cols * sizeof (double));
  if (block == NULL)
    return wslfp_fail (error, WSLFP_ERROR_NO_MEMORY, "out of memory for %zu × %zu combined currents", rows, c->cols);
  WslfpStatus status = WSLFP_OK;
  for (size_t i = 0; i < n_eval && status == WSLFP_OK; i += rows)
    {
      size_t n = n_eval - i < rows ? n_eval - i : rows;
      status = wslfp_gather_rows (gather, i, n, block, error);
      float *to = c->single + (first_eval + i) * c->cols;
      for (size_t k = 0; status == WSLFP_OK && k < n * c->cols; k++)
        to[k] = (float) block[k];
    }
  free (block);
  return status;
}

/* Rows gathered in double over every input, summed into their groups (in
 * double: a cube may hold thousands of cells), kept in single precision.
 * (Rows a few MB at a time: at 10^6 inputs one row is 8 MB.) */
static WslfpStatus
fill_grouped (WslfpCombined *c, WslfpGather *gather, size_t first_eval, size_t n_eval, WslfpError *error)
{
  size_t rows = (1u << 20) / c->n_inputs;
  rows = rows < 1 ? 1 : rows > FILL_ROWS ? FILL_ROWS : rows;
  rows = n_eval < rows ? n_eval : rows;
  double *block = malloc (rows * c->n_inputs * sizeof (double));
  double *sums = malloc (c->n_sources * sizeof (double));
  WslfpStatus status = WSLFP_OK;
  if (block == NULL || sums == NULL)
    status = wslfp_fail (error, WSLFP_ERROR_NO_MEMORY, "out of memory for %zu × %zu grouped currents", rows,
                         c->n_inputs);
  for (size_t i = 0; i < n_eval && status == WSLFP_OK; i += rows)
    {
      size_t n = n_eval - i < rows ? n_eval - i : rows;
      status = wslfp_gather_rows (gather, i, n, block, error);
      for (size_t r = 0; status == WSLFP_OK && r < n; r++)
        {
          const double *row = block + r * c->n_inputs;
          memset (sums, 0, c->n_sources * sizeof (double));
          for (size_t s = 0; s < c->n_inputs; s++)
            sums[c->group[s]] += row[s];
          float *to = c->single + (first_eval + i + r) * c->cols;
          for (size_t g = 0; g < c->n_sources; g++)
            to[g] = (float) sums[g];
        }
    }
  free (block);
  free (sums);
  return status;
}

WslfpStatus
wslfp_combined_fill (WslfpCombined *c, const WslfpCurrents *ampa, const WslfpCurrents *gaba, size_t first_eval,
                     size_t n_eval, WslfpError *error)
{
  WslfpGather gather;
  WslfpStatus status;

  if (c == NULL)
    return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT, "combined is NULL");
  if (first_eval != c->n_filled)
    return wslfp_fail (error, WSLFP_ERROR_INDEX, "first_eval = %zu, but rows are filled in order: expected %zu",
                       first_eval, c->n_filled);
  if (n_eval > c->n_times - c->n_filled)
    return wslfp_fail (error, WSLFP_ERROR_SHAPE, "rows [%zu, %zu) go past the %zu evaluation times", first_eval,
                       first_eval + n_eval, c->n_times);
  if (n_eval == 0)
    return wslfp_ok (error);
  if ((status = wslfp_gather_init (&gather, ampa, gaba, c->n_inputs, c->population, c->t_ms + first_eval, n_eval,
                                   &c->options, error)) != WSLFP_OK)
    return status;
  if (c->group != NULL)
    status = fill_grouped (c, &gather, first_eval, n_eval, error);
  else if (c->single != NULL)
    status = fill_single (c, &gather, first_eval, n_eval, error);
  else
    status = wslfp_gather_rows (&gather, 0, n_eval, c->values + first_eval * c->cols, error);
  wslfp_gather_clear (&gather);
  if (status != WSLFP_OK)
    return status;
  c->n_filled += n_eval;
  return wslfp_ok (error);
}

WslfpStatus
wslfp_combined_new_pooled (const WslfpCombined *c, const size_t *group, size_t n_groups, WslfpCombined **pooled,
                           WslfpError *error)
{
  WslfpStatus status;

  if (pooled == NULL)
    return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT, "pooled is NULL");
  *pooled = NULL;
  if (c == NULL || group == NULL)
    return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT, "%s is NULL", c == NULL ? "combined" : "group");
  if (c->population)
    return wslfp_fail (error, WSLFP_ERROR_SHAPE, "the combined currents are a population's (one column): "
                       "there is nothing to pool");
  if (c->n_filled != c->n_times)
    return wslfp_fail (error, WSLFP_ERROR_SHAPE, "only %zu of the %zu rows of combined currents are filled",
                       c->n_filled, c->n_times);
  if (n_groups == 0 || n_groups > c->n_sources)
    return wslfp_fail (error, WSLFP_ERROR_SHAPE, "n_groups = %zu: expected 1 to n_sources = %zu", n_groups,
                       c->n_sources);
  for (size_t s = 0; s < c->n_sources; s++)
    if (group[s] >= n_groups)
      return wslfp_fail (error, WSLFP_ERROR_INDEX, "group[%zu] = %zu is not below n_groups = %zu", s, group[s],
                         n_groups);
  if ((status = combined_new (n_groups, false, c->t_ms, c->n_times, &c->options, true, pooled, error)) != WSLFP_OK)
    return status;
  WslfpCombined *p = *pooled;
  /* Each row's sums in double (a voxel may hold thousands of cells), kept
   * in single precision as the handle is. */
  double *sums = malloc (n_groups * sizeof (double));
  if (sums == NULL)
    {
      wslfp_combined_free (p);
      *pooled = NULL;
      return wslfp_fail (error, WSLFP_ERROR_NO_MEMORY, "out of memory pooling into %zu groups", n_groups);
    }
  for (size_t t = 0; t < c->n_times; t++)
    {
      memset (sums, 0, n_groups * sizeof (double));
      if (c->single != NULL)
        {
          const float *row = c->single + t * c->cols;
          for (size_t s = 0; s < c->n_sources; s++)
            sums[group[s]] += row[s];
        }
      else
        {
          const double *row = c->values + t * c->cols;
          for (size_t s = 0; s < c->n_sources; s++)
            sums[group[s]] += row[s];
        }
      for (size_t g = 0; g < n_groups; g++)
        p->single[t * n_groups + g] = (float) sums[g];
    }
  free (sums);
  p->n_filled = p->n_times;
  return wslfp_ok (error);
}

WslfpStatus
wslfp_combined_new_grouped (size_t n_inputs, const size_t *group, size_t n_groups, const double *t_eval_ms,
                            size_t n_eval, const WslfpOptions *options, WslfpCombined **combined, WslfpError *error)
{
  WslfpStatus status;

  if (combined == NULL)
    return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT, "combined is NULL");
  *combined = NULL;
  if (group == NULL)
    return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT, "group is NULL");
  if (n_groups == 0 || n_groups > n_inputs)
    return wslfp_fail (error, WSLFP_ERROR_SHAPE, "n_groups = %zu: expected 1 to n_inputs = %zu", n_groups, n_inputs);
  for (size_t s = 0; s < n_inputs; s++)
    if (group[s] >= n_groups)
      return wslfp_fail (error, WSLFP_ERROR_INDEX, "group[%zu] = %zu is not below n_groups = %zu", s, group[s],
                         n_groups);
  if ((status = combined_new (n_groups, false, t_eval_ms, n_eval, options, true, combined, error)) != WSLFP_OK)
    return status;
  WslfpCombined *c = *combined;
  c->group = malloc (n_inputs * sizeof (size_t));
  if (c->group == NULL)
    {
      wslfp_combined_free (c);
      *combined = NULL;
      return wslfp_fail (error, WSLFP_ERROR_NO_MEMORY, "out of memory for %zu group numbers", n_inputs);
    }
  memcpy (c->group, group, n_inputs * sizeof (size_t));
  c->n_inputs = n_inputs;
  return wslfp_ok (error);
}

WslfpStatus
wslfp_combined_new_from_rows (size_t n_columns, const double *t_eval_ms, size_t n_eval, const WslfpOptions *options,
                              const double *rows, WslfpCombined **combined, WslfpError *error)
{
  WslfpStatus status;

  if (combined == NULL)
    return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT, "combined is NULL");
  *combined = NULL;
  if (n_eval > 0 && rows == NULL)
    return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT, "rows is NULL");
  if ((status = combined_new (n_columns, false, t_eval_ms, n_eval, options, true, combined, error)) != WSLFP_OK)
    return status;
  WslfpCombined *c = *combined;
  for (size_t k = 0; k < n_eval * n_columns; k++)
    {
      if (!isfinite (rows[k]))
        {
          wslfp_combined_free (c);
          *combined = NULL;
          return wslfp_fail (error, WSLFP_ERROR_NOT_FINITE, "rows[%zu][%zu] is %g", k / n_columns, k % n_columns,
                             rows[k]);
        }
      c->single[k] = (float) rows[k];
    }
  c->n_filled = n_eval;
  return wslfp_ok (error);
}

size_t wslfp_combined_get_n_times (const WslfpCombined *c) { return c->n_times; }
size_t wslfp_combined_get_n_columns (const WslfpCombined *c) { return c->cols; }
const double *wslfp_combined_get_times (const WslfpCombined *c) { return c->t_ms; }
const double *wslfp_combined_get_values (const WslfpCombined *c) { return c->values; }
const float *wslfp_combined_get_values_single (const WslfpCombined *c) { return c->single; }
bool wslfp_combined_is_single (const WslfpCombined *c) { return c->single != NULL; }

size_t
wslfp_combined_n_rows (size_t n_times, size_t stride)
{
  return stride == 0 ? 0 : (n_times + stride - 1) / stride;
}

static WslfpStatus
check_compute (const WslfpCombined *c, const WslfpModel *model, size_t stride, const double *lfp, WslfpError *error)
{
  if (c == NULL || model == NULL || lfp == NULL)
    return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT, "%s is NULL",
                       c == NULL ? "combined" : model == NULL ? "model" : "lfp");
  if (stride == 0)
    return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT, "stride is 0: it must be at least 1");
  if (wslfp_model_get_n_sources (model) != c->n_sources || wslfp_model_is_population (model) != c->population)
    return wslfp_fail (error, WSLFP_ERROR_SHAPE,
                       "the model has %zu sources%s, the combined currents %zu sources%s", wslfp_model_get_n_sources (model),
                       wslfp_model_is_population (model) ? " (population)" : "", c->n_sources,
                       c->population ? " (population)" : "");
  if (c->n_filled != c->n_times)
    return wslfp_fail (error, WSLFP_ERROR_SHAPE, "only %zu of the %zu rows of combined currents are filled",
                       c->n_filled, c->n_times);
  return WSLFP_OK;
}

WslfpStatus
wslfp_combined_product (const WslfpCombined *c, const WslfpModel *model, size_t stride, size_t first_row,
                        size_t n_rows, double *lfp, WslfpError *error)
{
  WslfpStatus status = check_compute (c, model, stride, lfp, error);
  if (status != WSLFP_OK)
    return status;
  size_t total = wslfp_combined_n_rows (c->n_times, stride), E = wslfp_model_get_n_electrodes (model);
  if (first_row > total || n_rows > total - first_row)
    return wslfp_fail (error, WSLFP_ERROR_INDEX, "rows [%zu, %zu) go past the %zu rows of stride %zu", first_row,
                       first_row + n_rows, total, stride);
  if (n_rows == 0)
    return wslfp_ok (error);
  if (c->single != NULL)
    {
      /* (panels of sources in single precision, added up in double) */
      memset (lfp + first_row * E, 0, n_rows * E * sizeof (double));
      return wslfp_model_accumulate (model, c->single + first_row * stride * c->cols, WSLFP_FLOAT32, n_rows, c->cols,
                                     stride * c->cols, 0, WSLFP_PRECISION_AUTO, lfp + first_row * E, error);
    }
  /* Every stride-th row is a matrix with a leading dimension stride × cols:
   * one dgemm, no copy. */
  const double *A = wslfp_model_get_amplitude (model);
  const double *rows = c->values + first_row * stride * c->cols;
  double *out = lfp + first_row * E;
  if (n_rows == 1)
    cblas_dgemv (CblasRowMajor, CblasNoTrans, (int) E, (int) c->cols, 1.0, A, (int) c->cols, rows, 1, 0.0, out, 1);
  else
    cblas_dgemm (CblasRowMajor, CblasNoTrans, CblasTrans, (int) n_rows, (int) E, (int) c->cols, 1.0, rows,
                 (int) (stride * c->cols), A, (int) c->cols, 0.0, out, (int) E);
  return wslfp_ok (error);
}

bool
wslfp_combined_normalizes (const WslfpCombined *c)
{
  return c->options.normalize;
}

WslfpStatus
wslfp_combined_compute (const WslfpCombined *c, const WslfpModel *model, size_t stride, double *lfp,
                        WslfpError *error)
{
  WslfpStatus status = check_compute (c, model, stride, lfp, error);
  if (status != WSLFP_OK)
    return status;
  size_t n = wslfp_combined_n_rows (c->n_times, stride);
  if ((status = wslfp_combined_product (c, model, stride, 0, n, lfp, error)) != WSLFP_OK)
    return status;
  if (c->options.normalize && n > 0)
    return wslfp_normalize (model, lfp, n, NULL, NULL, error);
  return wslfp_ok (error);
}
