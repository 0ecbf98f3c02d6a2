/* wslfp-spikes.c: spikes → biexponential synaptic currents, exact and
 * event-driven.  Each target keeps two decaying sums, D (decay component)
 * and R (rise component), so I = c · (D − R); between samples they decay by
 * e^{−Δt/τ}, and a spike arriving at t_a adds w · e^{−(t − t_a)/τ} to each
 * at the first sample t >= t_a.  No kernel is truncated unless the caller
 * asks for a window: then a departure event at t_a + window takes the
 * spike's share back. */
#include "wslfp-private.h"

#include <stdlib.h>
#include <string.h>

void
wslfp_spikes_init (WslfpSpikes *spikes)
{
  memset (spikes, 0, sizeof *spikes);
  spikes->weights_kind = WSLFP_WEIGHTS_SCALAR;
  spikes->scalar = 1.0;
  spikes->tau_rise_ms = 0.4;
  spikes->tau_decay_ms = 2.0;
  spikes->scale = WSLFP_KERNEL_ODE;
}

static WslfpStatus
check_weights (const WslfpSpikes *sp, WslfpError *error)
{
  WslfpStatus status;

  if (sp->delays_ms != NULL && sp->weights_kind != WSLFP_WEIGHTS_CSR)
    return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT,
                       "delays_ms (per-connection delays) needs CSR weights");
  if (sp->delays_ms != NULL && sp->n_pre > UINT32_MAX)
    return wslfp_fail (error, WSLFP_ERROR_SHAPE, "n_pre = %zu: per-connection delays take at most 2^32 − 1 "
                       "presynaptic neurons", sp->n_pre);
  switch (sp->weights_kind)
    {
    case WSLFP_WEIGHTS_SCALAR:
      if (!isfinite (sp->scalar))
        return wslfp_fail (error, WSLFP_ERROR_NOT_FINITE, "scalar weight is %g", sp->scalar);
      return WSLFP_OK;
    case WSLFP_WEIGHTS_DENSE:
      if (sp->dense == NULL && sp->n_pre * sp->n_targets > 0)
        return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT, "dense weights are NULL");
      if ((status = wslfp_check_count (sp->n_pre * sp->n_targets, sizeof (double), "n_pre × n_targets", error)) != WSLFP_OK)
        return status;
      return wslfp_check_finite (sp->dense, sp->n_pre, sp->n_targets, "weights", error);
    case WSLFP_WEIGHTS_CSR:
      {
        if (sp->indptr == NULL)
          return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT, "weights indptr is NULL");
        if (sp->indptr[0] != 0)
          return wslfp_fail (error, WSLFP_ERROR_INDEX, "weights indptr[0] = %lld, expected 0",
                             (long long) sp->indptr[0]);
        for (size_t p = 0; p < sp->n_pre; p++)
          if (sp->indptr[p + 1] < sp->indptr[p])
            return wslfp_fail (error, WSLFP_ERROR_INDEX, "weights indptr[%zu] = %lld is less than indptr[%zu] = %lld",
                               p + 1, (long long) sp->indptr[p + 1], p, (long long) sp->indptr[p]);
        int64_t nnz = sp->indptr[sp->n_pre];
        if (nnz > 0 && (sp->indices == NULL || sp->data == NULL))
          return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT, "weights %s is NULL",
                             sp->indices == NULL ? "indices" : "data");
        for (int64_t j = 0; j < nnz; j++)
          if (sp->indices[j] < 0 || (uint64_t) sp->indices[j] >= sp->n_targets)
            return wslfp_fail (error, WSLFP_ERROR_INDEX,
                               "weights indices[%lld] = %lld is outside [0, %zu) (the number of targets)",
                               (long long) j, (long long) sp->indices[j], sp->n_targets);
        if ((status = wslfp_check_finite (sp->data, (size_t) nnz, 1, "weights data", error)) != WSLFP_OK)
          return status;
        if (sp->delays_ms != NULL)
          for (int64_t j = 0; j < nnz; j++)
            if (!isfinite (sp->delays_ms[j]) || sp->delays_ms[j] < 0.0)
              return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT,
                                 "weights delays_ms[%lld] = %g must be finite and >= 0",
                                 (long long) j, sp->delays_ms[j]);
        return WSLFP_OK;
      }
    }
  return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT, "weights_kind = %d is unknown", (int) sp->weights_kind);
}

static WslfpStatus
check_spikes (const WslfpSpikes *sp, WslfpError *error)
{
  WslfpStatus status;

  if (!(isfinite (sp->tau_rise_ms) && isfinite (sp->tau_decay_ms) && sp->tau_rise_ms > 0.0
        && sp->tau_decay_ms > sp->tau_rise_ms))
    return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT,
                       "the kernel needs tau_decay_ms > tau_rise_ms > 0; got tau_rise_ms = %g, tau_decay_ms = %g",
                       sp->tau_rise_ms, sp->tau_decay_ms);
  if (!isfinite (sp->delay_ms) || sp->delay_ms < 0.0)
    return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT, "delay_ms = %g must be finite and >= 0", sp->delay_ms);
  if (!isfinite (sp->window_ms) || sp->window_ms < 0.0)
    return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT, "window_ms = %g must be finite and >= 0 (0: no window)",
                       sp->window_ms);
  if (sp->scale != WSLFP_KERNEL_PEAK && sp->scale != WSLFP_KERNEL_ODE && sp->scale != WSLFP_KERNEL_UNIT)
    return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT, "scale = %d is not a kernel scale", (int) sp->scale);
  if ((status = wslfp_check_count (sp->n_spikes, sizeof (double) + sizeof (size_t), "n_spikes", error)) != WSLFP_OK
      || (status = wslfp_check_count (sp->n_targets, 2 * sizeof (double), "n_targets", error)) != WSLFP_OK
      || (status = wslfp_check_count (sp->n_pre, sizeof (int64_t), "n_pre", error)) != WSLFP_OK)
    return status;
  if (sp->n_spikes > 0 && (sp->t_ms == NULL || sp->neuron == NULL))
    return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT, "spike %s is NULL", sp->t_ms == NULL ? "t_ms" : "neuron");
  if ((status = wslfp_check_finite (sp->t_ms, sp->n_spikes, 1, "spike t_ms", error)) != WSLFP_OK)
    return status;
  for (size_t k = 0; k < sp->n_spikes; k++)
    if (sp->neuron[k] < 0 || (uint64_t) sp->neuron[k] >= sp->n_pre)
      return wslfp_fail (error, WSLFP_ERROR_INDEX, "spike neuron[%zu] = %lld is outside [0, %zu) (n_pre)",
                         k, (long long) sp->neuron[k], sp->n_pre);
  return check_weights (sp, error);
}

/* The factor c in I = c · w · (e^{−t/τd} − e^{−t/τr}). */
static double
kernel_gain (const WslfpSpikes *sp)
{
  double tr = sp->tau_rise_ms, td = sp->tau_decay_ms;
  switch (sp->scale)
    {
    case WSLFP_KERNEL_ODE:
      return tr / (td - tr);
    case WSLFP_KERNEL_PEAK:
      {
        double t_peak = td * tr / (td - tr) * log (td / tr);
        return 1.0 / (exp (-t_peak / td) - exp (-t_peak / tr));
      }
    case WSLFP_KERNEL_UNIT:
      return 1.0;
    }
  return 1.0;
}

/* A spike's arrival, or with a window its departure: then at @t it takes
 * back what its arrival at @origin added (the same exponentials of t −
 * origin, so that both on one sample cancel exactly). */
typedef struct
{
  double t;
  double origin;
  size_t neuron;
  int sign;
} Arrival;

static int
compare_arrivals (const void *a, const void *b)
{
  const Arrival *x = a, *y = b;
  if (x->t != y->t)
    return x->t < y->t ? -1 : 1;
  if (x->sign != y->sign)
    return x->sign > y->sign ? -1 : 1; /* arrivals before departures */
  return (x->neuron > y->neuron) - (x->neuron < y->neuron);
}

/* Adds w·fd to D and w·fr to R for every target of presynaptic @pre. */
static void
deliver (const WslfpSpikes *sp, size_t pre, double fd, double fr, double *D, double *R)
{
  switch (sp->weights_kind)
    {
    case WSLFP_WEIGHTS_CSR:
      for (int64_t j = sp->indptr[pre]; j < sp->indptr[pre + 1]; j++)
        {
          size_t tgt = (size_t) sp->indices[j];
          D[tgt] += sp->data[j] * fd;
          R[tgt] += sp->data[j] * fr;
        }
      break;
    case WSLFP_WEIGHTS_DENSE:
      {
        const double *w = sp->dense + pre * sp->n_targets;
        for (size_t tgt = 0; tgt < sp->n_targets; tgt++)
          {
            D[tgt] += w[tgt] * fd;
            R[tgt] += w[tgt] * fr;
          }
      }
      break;
    case WSLFP_WEIGHTS_SCALAR:
      for (size_t tgt = 0; tgt < sp->n_targets; tgt++)
        {
          D[tgt] += sp->scalar * fd;
          R[tgt] += sp->scalar * fr;
        }
      break;
    }
}

/* With per-connection delays one spike arrives at its targets at different
 * times.  Each spike (and, with a window, its departure) is one pending
 * event that walks through its row's connections in order of delay: its
 * time is that of the next connection not yet delivered, and a min-heap of
 * these events gives the next one, so memory stays O(spikes), not
 * O(spikes × fan-out). */
typedef struct
{
  double t;        /* when the connection at `pos` arrives (or departs) */
  double origin;   /* spike time + delay_ms: connection j arrives at origin + delays_ms[j] */
  int64_t pos;     /* the next connection, as a position in the row's delay order */
  uint32_t neuron; /* (n_pre < 2^32: checked) */
  int32_t sign;    /* +1 arrival, −1 departure (window) */
} Pending;

static int
pending_before (const Pending *x, const Pending *y)
{
  if (x->t != y->t)
    return x->t < y->t;
  if (x->sign != y->sign)
    return x->sign > y->sign;
  return x->neuron < y->neuron;
}

static void
pending_sift_down (Pending *heap, size_t n, size_t i)
{
  Pending item = heap[i];
  for (;;)
    {
      size_t c = 2 * i + 1;
      if (c >= n)
        break;
      if (c + 1 < n && pending_before (&heap[c + 1], &heap[c]))
        c++;
      if (!pending_before (&heap[c], &item))
        break;
      heap[i] = heap[c];
      i = c;
    }
  heap[i] = item;
}

struct _WslfpSpikeCurrents
{
  WslfpSpikes spikes;  /* a shallow copy: the weights stay borrowed */
  Arrival *arrivals;   /* sorted by time (spike time + delay, and + window) */
  size_t n_events;
  size_t next;         /* the first arrival not yet delivered */
  double *D, *R;       /* per target: the decay and rise components */
  double gain;
  double last_t;       /* the last sample filled, if n_filled > 0 */
  double last_h, ed, er; /* decay factors for the last step, cached */
  size_t n_filled;
  /* per-connection delays only (spikes.delays_ms != NULL): */
  Pending *pending;    /* a min-heap of n_pending events */
  size_t n_pending;
  int64_t *order;      /* each row's connections by delay, or NULL when every row is sorted already */
};

/* The CSR index of the connection at @pos in its row's delay order. */
static inline int64_t
connection_at (const WslfpSpikeCurrents *self, int64_t pos)
{
  return self->order != NULL ? self->order[pos] : pos;
}

static inline double
pending_time (const WslfpSpikeCurrents *self, const Pending *p)
{
  return p->origin + self->spikes.delays_ms[connection_at (self, p->pos)]
         + (p->sign < 0 ? self->spikes.window_ms : 0.0);
}

typedef struct
{
  double delay;
  int64_t j;
} Connection;

static int
compare_connections (const void *a, const void *b)
{
  const Connection *x = a, *y = b;
  if (x->delay != y->delay)
    return x->delay < y->delay ? -1 : 1;
  return (x->j > y->j) - (x->j < y->j);
}

/* Sets up the pending events; FALSE when out of memory. */
static int
init_pending (WslfpSpikeCurrents *self)
{
  const WslfpSpikes *sp = &self->spikes;
  size_t K = sp->n_spikes, events = sp->window_ms > 0 ? 2 * K : K;
  int sorted = 1;
  for (size_t p = 0; p < sp->n_pre && sorted; p++)
    for (int64_t j = sp->indptr[p] + 1; j < sp->indptr[p + 1]; j++)
      if (sp->delays_ms[j] < sp->delays_ms[j - 1])
        {
          sorted = 0;
          break;
        }
  if (!sorted)
    {
      size_t nnz = (size_t) sp->indptr[sp->n_pre];
      self->order = malloc ((nnz ? nnz : 1) * sizeof *self->order);
      if (self->order == NULL)
        return 0;
      size_t longest = 0;
      for (size_t p = 0; p < sp->n_pre; p++)
        {
            size_t n_row = (size_t) (sp->indptr[p + 1] - sp->indptr[p]);
            if (n_row > longest)
              longest = n_row;
          }
      Connection *row = malloc ((longest ? longest : 1) * sizeof *row);
      if (row == NULL)
        return 0;
      for (size_t p = 0; p < sp->n_pre; p++)
        {
          int64_t first = sp->indptr[p], n_row = sp->indptr[p + 1] - first;
          for (int64_t i = 0; i < n_row; i++)
            row[i] = (Connection) { sp->delays_ms[first + i], first + i };
          qsort (row, (size_t) n_row, sizeof *row, compare_connections);
          for (int64_t i = 0; i < n_row; i++)
            self->order[first + i] = row[i].j;
        }
      free (row);
    }
  self->pending = malloc ((events ? events : 1) * sizeof *self->pending);
  if (self->pending == NULL)
    return 0;
  size_t n = 0;
  for (size_t k = 0; k < K; k++)
    {
      size_t pre = (size_t) sp->neuron[k];
      if (sp->indptr[pre] == sp->indptr[pre + 1])
        continue; /* a neuron without connections arrives nowhere */
      Pending p = { 0, sp->t_ms[k] + sp->delay_ms, sp->indptr[pre], (uint32_t) pre, 1 };
      p.t = pending_time (self, &p);
      self->pending[n++] = p;
      if (events > K)
        {
          p.sign = -1;
          p.t = pending_time (self, &p);
          self->pending[n++] = p;
        }
    }
  self->n_pending = n;
  for (size_t i = n / 2; i-- > 0;)
    pending_sift_down (self->pending, n, i);
  return 1;
}

/* Delivers every pending connection that arrives (or departs) by sample @t
 * (a hair past it, @tol, counts as on it). */
static void
deliver_pending (WslfpSpikeCurrents *self, double t, double tol)
{
  const WslfpSpikes *sp = &self->spikes;
  double td = sp->tau_decay_ms, tr = sp->tau_rise_ms;
  while (self->n_pending > 0 && self->pending[0].t <= t + tol)
    {
      Pending *p = &self->pending[0];
      int64_t end = sp->indptr[p->neuron + 1];
      for (; p->pos < end && pending_time (self, p) <= t + tol; p->pos++)
        {
          int64_t j = connection_at (self, p->pos);
          double age = fmax (t - (p->origin + sp->delays_ms[j]), 0.0);
          size_t tgt = (size_t) sp->indices[j];
          self->D[tgt] += p->sign * sp->data[j] * exp (-age / td);
          self->R[tgt] += p->sign * sp->data[j] * exp (-age / tr);
        }
      if (p->pos < end)
        p->t = pending_time (self, p);
      else
        self->pending[0] = self->pending[--self->n_pending];
      pending_sift_down (self->pending, self->n_pending, 0);
    }
}

WslfpStatus
wslfp_spike_currents_new (const WslfpSpikes *spikes, WslfpSpikeCurrents **out, WslfpError *error)
{
  WslfpStatus status;

  if (out == NULL)
    return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT, "out is NULL");
  *out = NULL;
  if (spikes == NULL)
    return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT, "spikes is NULL");
  if ((status = check_spikes (spikes, error)) != WSLFP_OK)
    return status;

  size_t S = spikes->n_targets, K = spikes->n_spikes, events = spikes->window_ms > 0 ? 2 * K : K;
  WslfpSpikeCurrents *self = calloc (1, sizeof *self);
  if (self != NULL)
    {
      /* per-connection delays keep their events in `pending` instead */
      size_t n_arrivals = spikes->delays_ms != NULL || events == 0 ? 1 : events;
      self->arrivals = malloc (n_arrivals * sizeof *self->arrivals);
      self->D = calloc (S ? 2 * S : 1, sizeof (double));
    }
  if (self == NULL || self->arrivals == NULL || self->D == NULL)
    {
      wslfp_spike_currents_free (self);
      return wslfp_fail (error, WSLFP_ERROR_NO_MEMORY, "out of memory for %zu spikes and %zu targets", K, S);
    }
  self->spikes = *spikes;
  self->R = self->D + S;
  if (spikes->delays_ms != NULL)
    {
      self->gain = kernel_gain (spikes);
      self->last_h = -1.0;
      if (!init_pending (self))
        {
          wslfp_spike_currents_free (self);
          return wslfp_fail (error, WSLFP_ERROR_NO_MEMORY, "out of memory for %zu spikes with per-connection delays", K);
        }
      *out = self;
      return wslfp_ok (error);
    }
  for (size_t k = 0; k < K; k++)
    {
      double t = spikes->t_ms[k] + spikes->delay_ms;
      self->arrivals[k] = (Arrival) { t, t, (size_t) spikes->neuron[k], 1 };
      if (events > K)
        self->arrivals[K + k] = (Arrival) { t + spikes->window_ms, t, (size_t) spikes->neuron[k], -1 };
    }
  self->n_events = events;
  qsort (self->arrivals, events, sizeof *self->arrivals, compare_arrivals);
  self->gain = kernel_gain (spikes);
  self->last_h = -1.0;
  *out = self;
  return wslfp_ok (error);
}

void
wslfp_spike_currents_free (WslfpSpikeCurrents *self)
{
  if (self == NULL)
    return;
  free (self->arrivals);
  free (self->pending);
  free (self->order);
  free (self->D);
  free (self);
}

WslfpStatus
wslfp_spike_currents_next (WslfpSpikeCurrents *self, const double *t_ms, size_t n_times, double *currents,
                           WslfpError *error)
{
  WslfpStatus status;

  if (self == NULL)
    return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT, "the spike-currents handle is NULL");
  size_t S = self->spikes.n_targets, K = self->n_events;
  if (n_times > 0 && (t_ms == NULL || currents == NULL))
    return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT, "%s is NULL", t_ms == NULL ? "t_ms" : "currents");
  if ((status = wslfp_check_count (n_times, sizeof (double) * (S ? S : 1), "n_times", error)) != WSLFP_OK
      || (status = wslfp_check_times (t_ms, n_times, "t_ms", error)) != WSLFP_OK)
    return status;
  if (n_times > 0 && self->n_filled > 0 && !(t_ms[0] > self->last_t))
    return wslfp_fail (error, WSLFP_ERROR_NOT_INCREASING,
                       "t_ms[0] = %.17g must come after the last time already filled, %.17g",
                       t_ms[0], self->last_t);

  double td = self->spikes.tau_decay_ms, tr = self->spikes.tau_rise_ms;
  double *D = self->D, *R = self->R;
  for (size_t j = 0; j < n_times; j++)
    {
      double t = t_ms[j];
      double prev = j > 0 ? t_ms[j - 1] : self->last_t;
      int has_prev = j > 0 || self->n_filled > 0;
      if (has_prev)
        {
          double h = t - prev;
          if (h != self->last_h) /* a uniform grid needs the factors once */
            {
              self->ed = exp (-h / td);
              self->er = exp (-h / tr);
              self->last_h = h;
            }
          for (size_t s = 0; s < S; s++)
            {
              D[s] *= self->ed;
              R[s] *= self->er;
            }
        }
      /* Arrivals up to this sample, where a hair past it (1e-9 of the
       * local spacing) counts as on it. */
      double spacing = has_prev ? t - prev : (j + 1 < n_times ? t_ms[j + 1] - t : 1.0);
      double tol = 1e-9 * spacing;
      if (self->spikes.delays_ms != NULL)
        deliver_pending (self, t, tol);
      for (; self->next < K && self->arrivals[self->next].t <= t + tol; self->next++)
        {
          const Arrival *a = &self->arrivals[self->next];
          double age = fmax (t - a->origin, 0.0);
          deliver (&self->spikes, a->neuron, a->sign * exp (-age / td), a->sign * exp (-age / tr), D, R);
        }
      double *out = currents + j * S;
      for (size_t s = 0; s < S; s++)
        out[s] = self->gain * (D[s] - R[s]);
    }
  if (n_times > 0)
    {
      self->last_t = t_ms[n_times - 1];
      self->n_filled += n_times;
    }
  return wslfp_ok (error);
}

WslfpStatus
wslfp_spikes_to_currents (const WslfpSpikes *spikes, const double *t_ms, size_t n_times,
                          double *currents, WslfpError *error)
{
  WslfpSpikeCurrents *gen = NULL;
  WslfpStatus status = wslfp_spike_currents_new (spikes, &gen, error);
  if (status == WSLFP_OK)
    status = wslfp_spike_currents_next (gen, t_ms, n_times, currents, error);
  wslfp_spike_currents_free (gen);
  return status;
}

static inline int64_t
index_at (const int64_t *array, WslfpIndexType type, size_t k)
{
  return type == WSLFP_INDEX_INT32 ? (int64_t) ((const int32_t *) (const void *) array)[k] : array[k];
}

/* The first spike k of the sorted @t for which t[k] + delay > t_ms
 * (arrived after t_ms), or with @window the first for which
 * t_ms < t[k] + delay + window (still open at t_ms): the engine's own
 * rule, evaluated exactly as it evaluates it. */
static size_t
first_after (const double *t, size_t n, double delay, double window, double t_ms)
{
  size_t lo = 0, hi = n;
  while (lo < hi)
    {
      size_t mid = lo + (hi - lo) / 2;
      double arrival = t[mid] + delay;
      int after = window > 0.0 ? t_ms < arrival + window : arrival > t_ms;
      if (after)
        hi = mid;
      else
        lo = mid + 1;
    }
  return lo;
}

WslfpStatus
wslfp_spikes_at (const WslfpSpikes *sp, WslfpIndexType neuron_type, WslfpIndexType csr_type, double t_ms,
                 double *currents, WslfpError *error)
{
  WslfpStatus status;

  if (sp == NULL || currents == NULL)
    return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT, "%s is NULL", sp == NULL ? "spikes" : "currents");
  if ((neuron_type != WSLFP_INDEX_INT64 && neuron_type != WSLFP_INDEX_INT32)
      || (csr_type != WSLFP_INDEX_INT64 && csr_type != WSLFP_INDEX_INT32))
    return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT, "index type %d is unknown",
                       (int) (neuron_type != WSLFP_INDEX_INT64 && neuron_type != WSLFP_INDEX_INT32 ? neuron_type
                                                                                                  : csr_type));
  if (!isfinite (t_ms))
    return wslfp_fail (error, WSLFP_ERROR_NOT_FINITE, "the time is %g", t_ms);
  if (sp->delays_ms != NULL)
    return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT,
                       "per-connection delays (delays_ms) need wslfp_spikes_to_currents()");
  /* check_spikes() without the O(n_spikes + nnz) passes: those follow, on
   * what is read. */
  WslfpSpikes shape = *sp;
  shape.n_spikes = 0;
  if (sp->weights_kind == WSLFP_WEIGHTS_CSR)
    {
      if (sp->indptr == NULL)
        return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT, "weights indptr is NULL");
      if (index_at (sp->indptr, csr_type, 0) != 0)
        return wslfp_fail (error, WSLFP_ERROR_INDEX, "weights indptr[0] = %lld, expected 0",
                           (long long) index_at (sp->indptr, csr_type, 0));
      shape.weights_kind = WSLFP_WEIGHTS_SCALAR;
      shape.scalar = 1.0;
    }
  else if (sp->weights_kind == WSLFP_WEIGHTS_DENSE)
    {
      shape.weights_kind = WSLFP_WEIGHTS_SCALAR; /* the rows read are checked below */
      shape.scalar = 1.0;
      if (sp->dense == NULL && sp->n_pre * sp->n_targets > 0)
        return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT, "dense weights are NULL");
    }
  if ((status = check_spikes (&shape, error)) != WSLFP_OK)
    return status;
  size_t K = sp->n_spikes;
  if (K > 0 && (sp->t_ms == NULL || sp->neuron == NULL))
    return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT, "spike %s is NULL", sp->t_ms == NULL ? "t_ms" : "neuron");
  if (K > 0 && !isfinite (sp->t_ms[0]))
    return wslfp_fail (error, WSLFP_ERROR_NOT_FINITE, "spike t_ms[0] is %g", sp->t_ms[0]);
  for (size_t k = 1; k < K; k++)
    if (!(sp->t_ms[k] >= sp->t_ms[k - 1]) || !isfinite (sp->t_ms[k]))
      return wslfp_fail (error, isfinite (sp->t_ms[k]) ? WSLFP_ERROR_INVALID_ARGUMENT : WSLFP_ERROR_NOT_FINITE,
                         "spike t_ms[%zu] = %g %s: the spikes of one time must be sorted by time", k, sp->t_ms[k],
                         isfinite (sp->t_ms[k]) ? "comes before the spike before it" : "is not finite");

  size_t first = sp->window_ms > 0.0 ? first_after (sp->t_ms, K, sp->delay_ms, sp->window_ms, t_ms) : 0;
  size_t last = first_after (sp->t_ms + first, K - first, sp->delay_ms, 0.0, t_ms) + first;
  memset (currents, 0, sp->n_targets * sizeof *currents);
  double td = sp->tau_decay_ms, tr = sp->tau_rise_ms;
  for (size_t k = first; k < last; k++)
    {
      int64_t pre = index_at (sp->neuron, neuron_type, k);
      if (pre < 0 || (uint64_t) pre >= sp->n_pre)
        return wslfp_fail (error, WSLFP_ERROR_INDEX, "spike neuron[%zu] = %lld is outside [0, %zu) (n_pre)", k,
                           (long long) pre, sp->n_pre);
      double since = t_ms - (sp->t_ms[k] + sp->delay_ms);
      double g = exp (-since / td) - exp (-since / tr);
      switch (sp->weights_kind)
        {
        case WSLFP_WEIGHTS_CSR:
          {
            int64_t j0 = index_at (sp->indptr, csr_type, (size_t) pre);
            int64_t j1 = index_at (sp->indptr, csr_type, (size_t) pre + 1);
            if (j1 < j0)
              return wslfp_fail (error, WSLFP_ERROR_INDEX,
                                 "weights indptr[%lld] = %lld is less than indptr[%lld] = %lld", (long long) pre + 1,
                                 (long long) j1, (long long) pre, (long long) j0);
            if (j1 > j0 && (sp->indices == NULL || sp->data == NULL))
              return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT, "weights %s is NULL",
                                 sp->indices == NULL ? "indices" : "data");
            for (int64_t j = j0; j < j1; j++)
              {
                int64_t tgt = index_at (sp->indices, csr_type, (size_t) j);
                if (tgt < 0 || (uint64_t) tgt >= sp->n_targets)
                  return wslfp_fail (error, WSLFP_ERROR_INDEX,
                                     "weights indices[%lld] = %lld is outside [0, %zu) (the number of targets)",
                                     (long long) j, (long long) tgt, sp->n_targets);
                if (!isfinite (sp->data[j]))
                  return wslfp_fail (error, WSLFP_ERROR_NOT_FINITE, "weights data[%lld] is %g", (long long) j,
                                     sp->data[j]);
                currents[tgt] += sp->data[j] * g;
              }
          }
          break;
        case WSLFP_WEIGHTS_DENSE:
          {
            const double *w = sp->dense + (size_t) pre * sp->n_targets;
            for (size_t tgt = 0; tgt < sp->n_targets; tgt++)
              {
                if (!isfinite (w[tgt]))
                  return wslfp_fail (error, WSLFP_ERROR_NOT_FINITE, "weights[%lld][%zu] is %g", (long long) pre, tgt,
                                     w[tgt]);
                currents[tgt] += w[tgt] * g;
              }
          }
          break;
        case WSLFP_WEIGHTS_SCALAR:
          for (size_t tgt = 0; tgt < sp->n_targets; tgt++)
            currents[tgt] += sp->scalar * g;
          break;
        }
    }
  double gain = kernel_gain (sp);
  for (size_t tgt = 0; tgt < sp->n_targets; tgt++)
    currents[tgt] *= gain;
  return WSLFP_OK;
}
