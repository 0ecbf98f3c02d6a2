/* wslfp-tklfp-stream.c: the kernel LFP a step at a time, for a closed
 * loop.  Each step's LFP is that of every spike given so far, at that
 * step's time: what TKLFP.compute gives with those spikes at that one time
 * (which is how Cleo reads its TKLFP signal each step).
 *
 * A spike's uLFP at a contact is a Gaussian sampled on the stream's grid,
 * so it is carried as a product recurrence, g(t + h) = g(t)·r(t),
 * r(t + h) = r(t)·e^{−2h²/(2σ²)}: two multiplications per contact and step,
 * with exact exponentials every RESTART_RUN steps (each spike on its own
 * schedule, so that the cost is even over the steps) and at the step where
 * a contact's term comes within reach.  A spike is dropped once every one
 * of its terms has passed. */
#include "wslfp-private.h"

#include <stdlib.h>
#include <string.h>

/* Steps between exact restarts of a spike's terms (the recurrence's
 * rounding grows by a few units in the last place per step). */
#define RESTART_RUN 16
/* Above this h²/(2σ²) a step is long against the kernel: every term is
 * computed exactly at every step. */
#define RECURRENCE_MAX_H2 0.05

struct _WslfpTklfpStream
{
  const WslfpTklfp *model;
  double t0_ms, dt_ms;
  uint64_t step;
  size_t n_electrodes;
  uint64_t run;
  /* The spikes whose terms have not all passed, and per spike its state:
   * g and r per contact (capacity × n_electrodes). */
  size_t n_active, capacity;
  size_t *cell;
  double *t_spike;
  double *q;
  uint64_t *restart_at, *end_step;
  double *g, *r;
};

WslfpStatus
wslfp_tklfp_stream_new (const WslfpTklfp *tklfp, double t0_ms, double dt_ms, WslfpTklfpStream **out,
                        WslfpError *error)
{
  if (out == NULL)
    return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT, "stream (the result pointer) is NULL");
  *out = NULL;
  if (tklfp == NULL)
    return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT, "TKLFP stream: the model is NULL");
  if (!isfinite (t0_ms))
    return wslfp_fail (error, WSLFP_ERROR_NOT_FINITE, "TKLFP stream: t0_ms = %g is not finite", t0_ms);
  if (!(isfinite (dt_ms) && dt_ms > 0.0))
    return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT, "TKLFP stream: dt_ms = %g must be finite and > 0",
                       dt_ms);
  WslfpTklfpStream *self = calloc (1, sizeof *self);
  if (self == NULL)
    return wslfp_fail (error, WSLFP_ERROR_NO_MEMORY, "out of memory for a TKLFP stream");
  self->model = tklfp;
  self->t0_ms = t0_ms;
  self->dt_ms = dt_ms;
  self->n_electrodes = wslfp_tklfp_get_n_electrodes (tklfp);
  double ss_min = INFINITY;
  const double *ss = wslfp_tklfp_two_sigma2 (tklfp);
  for (size_t n = 0; n < wslfp_tklfp_get_n_cells (tklfp); n++)
    ss_min = fmin (ss_min, ss[n]);
  self->run = dt_ms * dt_ms / ss_min <= RECURRENCE_MAX_H2 ? RESTART_RUN : 1;
  *out = self;
  return wslfp_ok (error);
}

void
wslfp_tklfp_stream_free (WslfpTklfpStream *self)
{
  if (self == NULL)
    return;
  free (self->cell);
  free (self->t_spike);
  free (self->q);
  free (self->restart_at);
  free (self->end_step);
  free (self->g);
  free (self->r);
  free (self);
}

double
wslfp_tklfp_stream_get_time (const WslfpTklfpStream *self)
{
  return self->t0_ms + (double) self->step * self->dt_ms;
}

/* Resizes *@p to @n items of @size bytes; FALSE (and *@p kept) if out of
 * memory. */
static bool
resize (void *p, size_t n, size_t size)
{
  void *q = realloc (*(void **) p, n * size);
  if (q == NULL)
    return false;
  *(void **) p = q;
  return true;
}

static bool
grow (WslfpTklfpStream *self, size_t need)
{
  if (need <= self->capacity)
    return true;
  size_t cap = self->capacity ? self->capacity : 64, E = self->n_electrodes;
  while (cap < need)
    cap *= 2;
  if (!resize (&self->cell, cap, sizeof (size_t)) || !resize (&self->t_spike, cap, sizeof (double))
      || !resize (&self->q, cap, sizeof (double)) || !resize (&self->restart_at, cap, sizeof (uint64_t))
      || !resize (&self->end_step, cap, sizeof (uint64_t)) || !resize (&self->g, cap * E, sizeof (double))
      || !resize (&self->r, cap * E, sizeof (double)))
    return false;
  self->capacity = cap;
  return true;
}

/* The step at or after which t0 + step·h ≥ @t (0 for a time before t0). */
static uint64_t
step_at_or_after (const WslfpTklfpStream *self, double t)
{
  double k = ceil ((t - self->t0_ms) / self->dt_ms);
  return k <= 0.0 ? 0 : k >= 1.8e19 ? UINT64_MAX : (uint64_t) k;
}

/* Spike @a's terms computed exactly at the current step; its next restart. */
static void
restart (WslfpTklfpStream *self, size_t a)
{
  const WslfpTklfp *m = self->model;
  size_t E = self->n_electrodes, N = wslfp_tklfp_get_n_cells (m), n = self->cell[a];
  const double *amplitude = wslfp_tklfp_get_amplitude (m), *delay = wslfp_tklfp_get_delay (m);
  double ss = wslfp_tklfp_two_sigma2 (m)[n], reach = sqrt (WSLFP_TKLFP_REACH * ss), h = self->dt_ms;
  double t = wslfp_tklfp_stream_get_time (self);
  uint64_t next = self->step + self->run;
  double *g = self->g + a * E, *r = self->r + a * E;
  for (size_t e = 0; e < E; e++)
    {
      /* (t − t_s) − δ, in the package's order */
      double d = (t - self->t_spike[a]) - delay[e * N + n];
      if (fabs (d) <= reach && amplitude[e * N + n] != 0.0)
        {
          g[e] = amplitude[e * N + n] * exp (-(d * d) / ss);
          r[e] = exp (-(2.0 * d * h + h * h) / ss);
          continue;
        }
      g[e] = 0.0;
      r[e] = 1.0;
      if (d < -reach)
        {
          /* the step at which it comes within reach */
          uint64_t enter = step_at_or_after (self, self->t_spike[a] + delay[e * N + n] - reach);
          if (enter < next)
            next = enter > self->step ? enter : self->step + 1;
        }
    }
  self->restart_at[a] = next;
}

WslfpStatus
wslfp_tklfp_stream_step (WslfpTklfpStream *self, const int64_t *cells, const double *t_spikes_ms, size_t n_spikes,
                         double *lfp, WslfpError *error)
{
  WslfpStatus status;
  if (self == NULL || lfp == NULL || ((cells == NULL || t_spikes_ms == NULL) && n_spikes > 0))
    return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT, "TKLFP stream step: a NULL argument");
  const WslfpTklfp *m = self->model;
  size_t E = self->n_electrodes, N = wslfp_tklfp_get_n_cells (m);
  if ((status = wslfp_check_finite (t_spikes_ms, n_spikes, 1, "spike time", error)) != WSLFP_OK)
    return status;
  for (size_t k = 0; k < n_spikes; k++)
    if (cells[k] < 0 || (uint64_t) cells[k] >= N)
      return wslfp_fail (error, WSLFP_ERROR_INDEX, "spike %zu: cell %lld is outside [0, %zu)", k,
                         (long long) cells[k], N);
  if (!grow (self, self->n_active + n_spikes))
    return wslfp_fail (error, WSLFP_ERROR_NO_MEMORY, "out of memory for %zu spikes in a TKLFP stream",
                       self->n_active + n_spikes);

  const double *delay = wslfp_tklfp_get_delay (m), *ss = wslfp_tklfp_two_sigma2 (m);
  for (size_t k = 0; k < n_spikes; k++)
    {
      size_t a = self->n_active++, n = (size_t) cells[k];
      double latest = -INFINITY;
      for (size_t e = 0; e < E; e++)
        latest = fmax (latest, delay[e * N + n]);
      self->cell[a] = n;
      self->t_spike[a] = t_spikes_ms[k];
      self->q[a] = exp (-2.0 * self->dt_ms * self->dt_ms / ss[n]);
      self->end_step[a] = step_at_or_after (self, t_spikes_ms[k] + latest + sqrt (WSLFP_TKLFP_REACH * ss[n]));
      self->restart_at[a] = self->step;
    }

  memset (lfp, 0, E * sizeof *lfp);
  for (size_t a = 0; a < self->n_active;)
    {
      if (self->step > self->end_step[a])
        {
          /* every term has passed: the last spike takes its place */
          size_t z = --self->n_active;
          if (a != z)
            {
              self->cell[a] = self->cell[z];
              self->t_spike[a] = self->t_spike[z];
              self->q[a] = self->q[z];
              self->restart_at[a] = self->restart_at[z];
              self->end_step[a] = self->end_step[z];
              memcpy (self->g + a * E, self->g + z * E, E * sizeof (double));
              memcpy (self->r + a * E, self->r + z * E, E * sizeof (double));
            }
          continue;
        }
      if (self->step >= self->restart_at[a])
        restart (self, a);
      double *g = self->g + a * E, *r = self->r + a * E, q = self->q[a];
      for (size_t e = 0; e < E; e++)
        {
          lfp[e] += g[e];
          g[e] *= r[e];
          r[e] *= q;
        }
      a++;
    }
  self->step++;
  return wslfp_ok (error);
}
