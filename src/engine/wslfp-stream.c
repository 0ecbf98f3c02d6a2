/* wslfp-stream.c: step-by-step LFP for closed-loop use.  The last
 * max(k_ampa, k_gaba) input rows live in a ring buffer so that a step's
 * output can use the currents of k steps ago. */
#include "wslfp-private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct _WslfpStream
{
  size_t n_electrodes;
  size_t n_sources;
  size_t cols;
  bool population;
  double alpha;
  size_t k_ampa;      /* delays in steps */
  size_t k_gaba;
  size_t depth;       /* ring rows: max (k_ampa, k_gaba) */
  double *amplitude;  /* n_electrodes × cols, copied from the model */
  double *ring_ampa;  /* depth × cols, row m % depth holds step m */
  double *ring_gaba;
  double *block;      /* block_rows × cols */
  double *summed;     /* population: block_rows × 2 */
  size_t block_rows;
  uint64_t n_pushed;  /* steps fed so far */
  double *norm_mean;  /* NULL: raw output */
  double *norm_gain;
};

static WslfpStatus
delay_steps (double tau, double dt, const char *name, size_t *k, WslfpError *error)
{
  if (tau < 0.0)
    return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT, "%s = %g ms is negative", name, tau);
  double q = round (tau / dt);
  if (fabs (q * dt - tau) > 1e-9 * dt || q > 1e9)
    return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT,
                       "%s = %g ms is not a whole number of steps of dt_ms = %g", name, tau, dt);
  *k = (size_t) q;
  return WSLFP_OK;
}

void
wslfp_stream_free (WslfpStream *stream)
{
  if (stream == NULL)
    return;
  free (stream->amplitude);
  free (stream->ring_ampa);
  free (stream->ring_gaba);
  free (stream->block);
  free (stream->summed);
  free (stream->norm_mean);
  free (stream);
}

WslfpStatus
wslfp_stream_new (const WslfpModel *model, double dt_ms, const WslfpOptions *options,
                  WslfpStream **stream, WslfpError *error)
{
  WslfpOptions defaults;
  WslfpStatus status;

  if (stream == NULL)
    return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT, "stream (the result pointer) is NULL");
  *stream = NULL;
  if (model == NULL)
    return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT, "model is NULL");
  if (options == NULL)
    {
      wslfp_options_init (&defaults);
      options = &defaults;
    }
  if (!(isfinite (dt_ms) && dt_ms > 0.0))
    return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT, "dt_ms = %g must be finite and > 0", dt_ms);
  if (!isfinite (options->alpha))
    return wslfp_fail (error, WSLFP_ERROR_NOT_FINITE, "alpha is %g", options->alpha);

  WslfpStream *s = calloc (1, sizeof *s);
  if (s == NULL)
    return wslfp_fail (error, WSLFP_ERROR_NO_MEMORY, "out of memory for a stream");
  if ((status = delay_steps (options->tau_ampa_ms, dt_ms, "tau_ampa_ms", &s->k_ampa, error)) != WSLFP_OK
      || (status = delay_steps (options->tau_gaba_ms, dt_ms, "tau_gaba_ms", &s->k_gaba, error)) != WSLFP_OK)
    {
      free (s);
      return status;
    }
  s->n_electrodes = wslfp_model_get_n_electrodes (model);
  s->n_sources = wslfp_model_get_n_sources (model);
  s->cols = wslfp_model_get_n_columns (model);
  s->population = wslfp_model_is_population (model);
  s->alpha = options->alpha;
  s->depth = s->k_ampa > s->k_gaba ? s->k_ampa : s->k_gaba;
  s->block_rows = wslfp_block_rows (s->cols, 256);
  size_t ring = (s->depth ? s->depth : 1) * s->cols;
  s->amplitude = malloc (s->n_electrodes * s->cols * sizeof (double));
  s->ring_ampa = calloc (ring, sizeof (double));
  s->ring_gaba = calloc (ring, sizeof (double));
  s->block = malloc (s->block_rows * s->cols * sizeof (double));
  s->summed = malloc (s->block_rows * 2 * sizeof (double));
  if (s->amplitude == NULL || s->ring_ampa == NULL || s->ring_gaba == NULL || s->block == NULL
      || s->summed == NULL)
    {
      size_t n_sources = s->n_sources; /* (not read from a freed stream) */
      wslfp_stream_free (s);
      return wslfp_fail (error, WSLFP_ERROR_NO_MEMORY, "out of memory for a stream of %zu sources", n_sources);
    }
  memcpy (s->amplitude, wslfp_model_get_amplitude (model), s->n_electrodes * s->cols * sizeof (double));
  *stream = s;
  return wslfp_ok (error);
}

void
wslfp_stream_reset (WslfpStream *stream)
{
  size_t ring = (stream->depth ? stream->depth : 1) * stream->cols;
  memset (stream->ring_ampa, 0, ring * sizeof (double));
  memset (stream->ring_gaba, 0, ring * sizeof (double));
  stream->n_pushed = 0;
}

WslfpStatus
wslfp_stream_set_normalization (WslfpStream *stream, const double *mean, const double *std,
                                WslfpError *error)
{
  if (stream == NULL)
    return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT, "stream is NULL");
  free (stream->norm_mean);
  stream->norm_mean = stream->norm_gain = NULL;
  if (mean == NULL && std == NULL)
    return wslfp_ok (error);
  size_t E = stream->n_electrodes;
  WslfpStatus status = wslfp_check_normalization (mean, std, E, error);
  if (status != WSLFP_OK)
    return status;
  double *buf = malloc (2 * E * sizeof (double));
  if (buf == NULL)
    return wslfp_fail (error, WSLFP_ERROR_NO_MEMORY, "out of memory");
  stream->norm_mean = buf;
  stream->norm_gain = buf + E;
  for (size_t e = 0; e < E; e++)
    {
      double sum = 0.0;
      for (size_t c = 0; c < stream->cols; c++)
        sum += stream->amplitude[e * stream->cols + c];
      double scale = fabs (sum / (double) stream->cols);
      stream->norm_mean[e] = mean[e];
      stream->norm_gain[e] = std[e] > 0.0 ? scale / std[e] : 0.0;
    }
  return wslfp_ok (error);
}

/* Row of step @m (absolute) of one input: from this push's block when
 * m >= @first, else from the ring; NULL when before the first step. */
static const double *
input_row (const WslfpStream *s, const double *ring, const double *in, uint64_t first, uint64_t m)
{
  if (m >= first)
    return in + (size_t) (m - first) * s->cols;
  return ring + (size_t) (m % s->depth) * s->cols;
}

/* Copies (or sums, in population mode) @n input rows into cols-wide rows. */
static const double *
to_columns (WslfpStream *s, const double *in, size_t n, double *scratch)
{
  if (in == NULL || !s->population)
    return in;
  for (size_t r = 0; r < n; r++)
    {
      double sum = 0.0;
      for (size_t j = 0; j < s->n_sources; j++)
        sum += in[r * s->n_sources + j];
      scratch[r] = sum;
    }
  return scratch;
}

static void
remember (WslfpStream *s, double *ring, const double *in, size_t n, uint64_t first)
{
  if (s->depth == 0)
    return;
  size_t keep = n < s->depth ? n : s->depth;
  for (size_t r = n - keep; r < n; r++)
    {
      double *dst = ring + (size_t) ((first + r) % s->depth) * s->cols;
      if (in == NULL)
        memset (dst, 0, s->cols * sizeof (double));
      else
        memcpy (dst, in + r * s->cols, s->cols * sizeof (double));
    }
}

static WslfpStatus
push_block (WslfpStream *s, const double *ampa_in, const double *gaba_in, size_t n, double *lfp,
            WslfpError *error)
{
  size_t cols = s->cols;
  uint64_t first = s->n_pushed;
  const double *ampa = to_columns (s, ampa_in, n, s->summed);
  const double *gaba = to_columns (s, gaba_in, n, s->summed + s->block_rows);

  for (size_t r = 0; r < n; r++)
    {
      uint64_t m = first + r;
      double *dst = s->block + r * cols;
      memset (dst, 0, cols * sizeof (double));
      if (m >= s->k_ampa && (ampa != NULL || m - s->k_ampa < first))
        {
          const double *a = input_row (s, s->ring_ampa, ampa, first, m - s->k_ampa);
          for (size_t c = 0; c < cols; c++)
            dst[c] = a[c];
        }
      if (m >= s->k_gaba && (gaba != NULL || m - s->k_gaba < first))
        {
          const double *g = input_row (s, s->ring_gaba, gaba, first, m - s->k_gaba);
          for (size_t c = 0; c < cols; c++)
            dst[c] -= s->alpha * g[c];
        }
      double probe = 0.0;
      for (size_t c = 0; c < cols; c++)
        probe += dst[c] * 0.0;
      if (probe != 0.0)
        {
          /* Each input was finite when pushed: only their sum over the
           * sources (population) or AMPA − alpha · GABA can overflow.  A
           * step before the first delay has no AMPA (or GABA) yet. */
          char terms[96] = "";
          size_t len = 0;
          if (m >= s->k_ampa)
            len += (size_t) snprintf (terms, sizeof terms, "AMPA of step %llu", (unsigned long long) (m - s->k_ampa));
          if (m >= s->k_gaba && len < sizeof terms)
            snprintf (terms + len, sizeof terms - len, "%s%g × GABA of step %llu", len > 0 ? " − " : "−", s->alpha,
                      (unsigned long long) (m - s->k_gaba));
          return wslfp_fail (error, WSLFP_ERROR_NOT_FINITE,
                             "the current at stream step %llu overflows: %s is not finite (the inputs are)",
                             (unsigned long long) m, terms);
        }
    }
  wslfp_block_times_amplitude (s->block, n, cols, s->amplitude, s->n_electrodes, lfp);
  if (s->norm_mean != NULL)
    for (size_t r = 0; r < n; r++)
      for (size_t e = 0; e < s->n_electrodes; e++)
        lfp[r * s->n_electrodes + e] = (lfp[r * s->n_electrodes + e] - s->norm_mean[e]) * s->norm_gain[e];
  remember (s, s->ring_ampa, ampa, n, first);
  remember (s, s->ring_gaba, gaba, n, first);
  s->n_pushed += n;
  return WSLFP_OK;
}

WslfpStatus
wslfp_stream_push (WslfpStream *stream, const double *ampa, const double *gaba, size_t n_steps,
                   double *lfp, WslfpError *error)
{
  WslfpStatus status;

  if (stream == NULL)
    return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT, "stream is NULL");
  if (n_steps > 0 && lfp == NULL)
    return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT, "lfp is NULL");
  if ((status = wslfp_check_count (n_steps, stream->n_sources * sizeof (double), "n_steps", error)) != WSLFP_OK)
    return status;
  /* Check the input before anything is remembered, so a bad push leaves
   * the stream as it was. */
  if (ampa != NULL && (status = wslfp_check_finite (ampa, n_steps, stream->n_sources, "ampa", error)) != WSLFP_OK)
    return status;
  if (gaba != NULL && (status = wslfp_check_finite (gaba, n_steps, stream->n_sources, "gaba", error)) != WSLFP_OK)
    return status;
  for (size_t i0 = 0; i0 < n_steps; i0 += stream->block_rows)
    {
      size_t n = n_steps - i0 < stream->block_rows ? n_steps - i0 : stream->block_rows;
      status = push_block (stream, ampa ? ampa + i0 * stream->n_sources : NULL,
                           gaba ? gaba + i0 * stream->n_sources : NULL, n, lfp + i0 * stream->n_electrodes, error);
      if (status != WSLFP_OK)
        return status;
    }
  return wslfp_ok (error);
}
