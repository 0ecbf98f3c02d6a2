/* wslfp-tklfp.c: the kernel LFP of Teleńczuk, Teleńczuk & Destexhe 2020
 * (TKLFP), as the tklfp package computes it: per contact × cell an
 * amplitude and a delay (once per placement), then a Gaussian uLFP per
 * spike.  Each uLFP is read only where it is above e^{−40} of its peak, so
 * the cost is spikes × contacts × the samples under a kernel, not spikes ×
 * contacts × samples. */
#include "wslfp-private.h"

#include <stdlib.h>
#include <string.h>

/* Where a Gaussian uLFP is read: (t − peak)² / (2σ²) < 40, beyond which a
 * term is below 4.3e-18 of its peak (the sum cannot see it at 1e-12). */
#define KERNEL_REACH 40.0
/* On a uniform grid a Gaussian is a product recurrence, g(t + h) = g(t) ·
 * r(t), r(t + h) = r(t) · e^{−2h²/(2σ²)}: exact exponentials only every
 * this many samples (each run's rounding stays below 1e-14 of its terms). */
#define RECURRENCE_RUN 16

struct _WslfpTklfp
{
  size_t n_electrodes, n_cells;
  double *amplitude; /* n_electrodes × n_cells, µV */
  double *delay;     /* n_electrodes × n_cells, ms */
  double *two_sigma2; /* n_cells: 2σ² of the cell's type, ms² */
};

void
wslfp_tklfp_params_init (WslfpTklfpParams *params)
{
  params->va_m_s = 0.2;
  params->lambda_mm = 0.2;
  params->sigma_inh_ms = 2.1;
  params->sigma_exc_ms = 1.5 * 2.1;
  params->delay_ms = 10.4;
}

/* The B-spline's interval l with t[l] <= x < t[l + 1] (the last one
 * closed), as SciPy's find_interval for x inside the support. */
static size_t
spline_interval (const WslfpTklfpProfile *p, double x)
{
  const size_t k = 3, n = p->n;
  size_t l = k;
  while (x < p->t[l] && l != k)
    l--;
  l++;
  while (x >= p->t[l] && l != n)
    l++;
  return l - 1;
}

/* De Boor's recursion for the cubic B-spline at x, in SciPy's order of
 * operations (its _deBoor_D and evaluate_spline). */
static double
spline_eval (const WslfpTklfpProfile *p, double x)
{
  const size_t k = 3;
  size_t m = spline_interval (p, x);
  double h[4] = { 1.0, 0, 0, 0 }, hh[4];
  for (size_t j = 1; j <= k; j++)
    {
      memcpy (hh, h, j * sizeof *h);
      h[0] = 0.0;
      for (size_t n = 1; n <= j; n++)
        {
          double xb = p->t[m + n], xa = p->t[m + n - j];
          if (xb == xa)
            {
              h[n] = 0.0;
              continue;
            }
          double w = hh[n - 1] / (xb - xa);
          h[n - 1] += w * (xb - x);
          h[n] = w * (x - xa);
        }
    }
  double sum = 0.0;
  for (size_t a = 0; a <= k; a++)
    sum += p->c[m + a - k] * h[a];
  return sum;
}

double
wslfp_tklfp_a0 (bool excitatory, double h_mm)
{
  const WslfpTklfpProfile *p = excitatory ? &wslfp_tklfp_exc_profile : &wslfp_tklfp_inh_profile;
  if (!(h_mm >= p->h_min && h_mm <= p->h_max))
    return 0.0; /* interp1d's fill value outside its points (and for NaN) */
  return spline_eval (p, h_mm);
}

void
wslfp_tklfp_a0_many (bool excitatory, size_t n, const double *h_mm, double *a0_uv)
{
  for (size_t i = 0; i < n; i++)
    a0_uv[i] = wslfp_tklfp_a0 (excitatory, h_mm[i]);
}

static WslfpTklfp *
tklfp_alloc (size_t n_electrodes, size_t n_cells)
{
  WslfpTklfp *self = calloc (1, sizeof *self);
  if (self == NULL)
    return NULL;
  self->n_electrodes = n_electrodes;
  self->n_cells = n_cells;
  self->amplitude = malloc (n_electrodes * n_cells * sizeof (double));
  self->delay = malloc (n_electrodes * n_cells * sizeof (double));
  self->two_sigma2 = malloc (n_cells * sizeof (double));
  if (self->amplitude == NULL || self->delay == NULL || self->two_sigma2 == NULL)
    {
      wslfp_tklfp_free (self);
      return NULL;
    }
  return self;
}

WslfpStatus
wslfp_tklfp_new_from_amplitude (const double *amplitude_uv, const double *delay_ms, const double *sigma_ms,
                                size_t n_electrodes, size_t n_cells, WslfpTklfp **out, WslfpError *error)
{
  WslfpStatus status;
  if (out == NULL)
    return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT, "tklfp (the result pointer) is NULL");
  *out = NULL;
  if (n_cells == 0 || n_electrodes == 0)
    return wslfp_fail (error, WSLFP_ERROR_SHAPE, "TKLFP needs at least one cell and one contact (got %zu and %zu)",
                       n_cells, n_electrodes);
  if (amplitude_uv == NULL || delay_ms == NULL || sigma_ms == NULL)
    return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT, "TKLFP: %s is NULL",
                       amplitude_uv == NULL ? "amplitude_uv" : delay_ms == NULL ? "delay_ms" : "sigma_ms");
  if ((status = wslfp_check_count (n_cells, n_electrodes * 2 * sizeof (double), "n_cells × n_electrodes", error))
          != WSLFP_OK
      || (status = wslfp_check_finite (amplitude_uv, n_electrodes, n_cells, "TKLFP amplitude", error)) != WSLFP_OK
      || (status = wslfp_check_finite (delay_ms, n_electrodes, n_cells, "TKLFP delay", error)) != WSLFP_OK)
    return status;
  for (size_t n = 0; n < n_cells; n++)
    if (!(isfinite (sigma_ms[n]) && sigma_ms[n] > 0.0))
      return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT, "sigma_ms[%zu] = %g must be finite and > 0", n,
                         sigma_ms[n]);
  WslfpTklfp *self = tklfp_alloc (n_electrodes, n_cells);
  if (self == NULL)
    return wslfp_fail (error, WSLFP_ERROR_NO_MEMORY, "out of memory for a %zu × %zu TKLFP model", n_electrodes,
                       n_cells);
  memcpy (self->amplitude, amplitude_uv, n_electrodes * n_cells * sizeof (double));
  memcpy (self->delay, delay_ms, n_electrodes * n_cells * sizeof (double));
  for (size_t n = 0; n < n_cells; n++)
    self->two_sigma2[n] = 2.0 * sigma_ms[n] * sigma_ms[n];
  *out = self;
  return wslfp_ok (error);
}

static WslfpStatus
check_params (const WslfpTklfpParams *p, WslfpError *error)
{
  const struct { const char *name; double v; } fields[] = {
    { "va_m_s", p->va_m_s }, { "lambda_mm", p->lambda_mm }, { "sigma_inh_ms", p->sigma_inh_ms },
    { "sigma_exc_ms", p->sigma_exc_ms },
  };
  for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
    if (!(isfinite (fields[i].v) && fields[i].v > 0.0))
      return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT, "TKLFP parameter %s = %g must be finite and > 0",
                         fields[i].name, fields[i].v);
  if (!isfinite (p->delay_ms))
    return wslfp_fail (error, WSLFP_ERROR_NOT_FINITE, "TKLFP parameter delay_ms = %g is not finite", p->delay_ms);
  return WSLFP_OK;
}

WslfpStatus
wslfp_tklfp_new (const double *cells_mm, size_t n_cells, const bool *excitatory, const double *orientation,
                 size_t n_orientations, const double *electrodes_mm, size_t n_electrodes,
                 const WslfpTklfpParams *params, WslfpTklfp **out, WslfpError *error)
{
  WslfpStatus status;
  WslfpTklfpParams defaults;

  if (out == NULL)
    return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT, "tklfp (the result pointer) is NULL");
  *out = NULL;
  if (params == NULL)
    {
      wslfp_tklfp_params_init (&defaults);
      params = &defaults;
    }
  if ((status = check_params (params, error)) != WSLFP_OK)
    return status;
  if (n_cells == 0 || n_electrodes == 0)
    return wslfp_fail (error, WSLFP_ERROR_SHAPE, "TKLFP needs at least one cell and one contact (got %zu and %zu)",
                       n_cells, n_electrodes);
  if (cells_mm == NULL || excitatory == NULL || electrodes_mm == NULL || orientation == NULL)
    return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT, "TKLFP: %s is NULL",
                       cells_mm == NULL ? "cells_mm" : excitatory == NULL ? "excitatory"
                       : electrodes_mm == NULL ? "electrodes_mm" : "orientation");
  if (n_orientations != 1 && n_orientations != n_cells)
    return wslfp_fail (error, WSLFP_ERROR_SHAPE, "%zu orientations for %zu cells: give 1 or one per cell",
                       n_orientations, n_cells);
  if ((status = wslfp_check_count (n_cells, n_electrodes * 2 * sizeof (double), "n_cells × n_electrodes", error))
          != WSLFP_OK
      || (status = wslfp_check_finite (cells_mm, n_cells, 3, "cell position (mm)", error)) != WSLFP_OK
      || (status = wslfp_check_finite (electrodes_mm, n_electrodes, 3, "contact position (mm)", error)) != WSLFP_OK
      || (status = wslfp_check_finite (orientation, n_orientations, 3, "orientation", error)) != WSLFP_OK)
    return status;
  for (size_t i = 0; i < n_orientations; i++)
    {
      const double *o = orientation + 3 * i;
      if (!(o[0] * o[0] + o[1] * o[1] + o[2] * o[2] > 0.0))
        return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT, "orientation[%zu] is (0, 0, 0): a cell needs a direction",
                           i);
    }

  WslfpTklfp *self = tklfp_alloc (n_electrodes, n_cells);
  if (self == NULL)
    return wslfp_fail (error, WSLFP_ERROR_NO_MEMORY, "out of memory for a %zu × %zu TKLFP model", n_electrodes,
                       n_cells);
  for (size_t n = 0; n < n_cells; n++)
    {
      double sigma = excitatory[n] ? params->sigma_exc_ms : params->sigma_inh_ms;
      self->two_sigma2[n] = 2.0 * sigma * sigma;
    }
  for (size_t e = 0; e < n_electrodes; e++)
    for (size_t n = 0; n < n_cells; n++)
      {
        const double *o = orientation + 3 * (n_orientations == 1 ? 0 : n);
        double norm = sqrt (o[0] * o[0] + o[1] * o[1] + o[2] * o[2]);
        double v[3], dot = 0.0;
        for (int k = 0; k < 3; k++)
          {
            v[k] = electrodes_mm[3 * e + k] - cells_mm[3 * n + k];
            dot += (o[k] / norm) * v[k];
          }
        double dist = sqrt (v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
        /* h = dist · cos θ with θ = arccos(dot / dist), as the package
         * computes it (θ = 0 where dist = 0 or the ratio rounds past 1) */
        double ratio = dot / dist;
        double theta = dist > 0.0 && ratio >= -1.0 && ratio <= 1.0 ? acos (ratio) : 0.0;
        double h = dist * cos (theta);
        self->delay[e * n_cells + n] = params->delay_ms + dist / params->va_m_s;
        self->amplitude[e * n_cells + n] = wslfp_tklfp_a0 (excitatory[n], h) * exp (-dist / params->lambda_mm);
      }
  *out = self;
  return wslfp_ok (error);
}

void
wslfp_tklfp_free (WslfpTklfp *self)
{
  if (self == NULL)
    return;
  free (self->amplitude);
  free (self->delay);
  free (self->two_sigma2);
  free (self);
}

size_t
wslfp_tklfp_get_n_electrodes (const WslfpTklfp *self)
{
  return self->n_electrodes;
}

size_t
wslfp_tklfp_get_n_cells (const WslfpTklfp *self)
{
  return self->n_cells;
}

const double *
wslfp_tklfp_get_amplitude (const WslfpTklfp *self)
{
  return self->amplitude;
}

const double *
wslfp_tklfp_get_delay (const WslfpTklfp *self)
{
  return self->delay;
}

typedef struct
{
  double t;
  size_t row;
} Time;

static int
compare_times (const void *a, const void *b)
{
  const Time *x = a, *y = b;
  return (x->t > y->t) - (x->t < y->t);
}

/* The first of the @n sorted times at or after @t. */
static size_t
first_at_or_after (const Time *times, size_t n, double t)
{
  size_t lo = 0, hi = n;
  while (lo < hi)
    {
      size_t mid = lo + (hi - lo) / 2;
      if (times[mid].t < t)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

/* The grid step h when the sorted times are t_0 + i·h to within what
 * changes no term by more than 1e-13 of itself (arange's rounding); else 0. */
static double
uniform_step (const WslfpTklfp *self, const Time *times, size_t n)
{
  if (n < 3)
    return 0.0;
  double h = (times[n - 1].t - times[0].t) / (double) (n - 1);
  if (!(h > 0.0))
    return 0.0;
  double ss_min = INFINITY, ss_max = 0.0;
  for (size_t c = 0; c < self->n_cells; c++)
    ss_min = fmin (ss_min, self->two_sigma2[c]), ss_max = fmax (ss_max, self->two_sigma2[c]);
  /* a time off its grid point by b changes a term's exponent by at most
   * 2 · reach · b / (2σ²) */
  double allowed = 1e-13 * ss_min / (2.0 * sqrt (KERNEL_REACH * ss_max));
  for (size_t i = 0; i < n; i++)
    if (!(fabs (times[i].t - (times[0].t + (double) i * h)) <= allowed))
      return 0.0;
  return h;
}

/* One uLFP (peak amplitude @amp at @peak, 2σ² @ss) added to the rows
 * [@first, @last] of the grid t_0 + i·h by the product recurrence, with an
 * exact start at the real time every RECURRENCE_RUN samples. */
static void
add_gaussian_on_grid (const Time *times, size_t first, size_t last, double h, double amp, double t_spike,
                      double delay, double ss, double *lfp, size_t stride, size_t column)
{
  double q = exp (-2.0 * h * h / ss);
  for (size_t i0 = first; i0 <= last; i0 += RECURRENCE_RUN)
    {
      double d = (times[i0].t - t_spike) - delay;
      double g = amp * exp (-(d * d) / ss);
      double r = exp (-(2.0 * d * h + h * h) / ss);
      size_t i1 = i0 + RECURRENCE_RUN - 1 < last ? i0 + RECURRENCE_RUN - 1 : last;
      for (size_t i = i0;; i++)
        {
          lfp[times[i].row * stride + column] += g;
          if (i == i1)
            break;
          g *= r;
          r *= q;
        }
    }
}

WslfpStatus
wslfp_tklfp_compute (const WslfpTklfp *self, const double *t_spikes_ms, const int64_t *cells, size_t n_spikes,
                     const double *t_ms, size_t n_times, double *lfp, WslfpError *error)
{
  WslfpStatus status;

  if (self == NULL || (lfp == NULL && n_times > 0) || (t_ms == NULL && n_times > 0)
      || ((t_spikes_ms == NULL || cells == NULL) && n_spikes > 0))
    return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT, "TKLFP compute: a NULL argument");
  if ((status = wslfp_check_finite (t_ms, n_times, 1, "evaluation time", error)) != WSLFP_OK
      || (status = wslfp_check_finite (t_spikes_ms, n_spikes, 1, "spike time", error)) != WSLFP_OK
      || (status = wslfp_check_count (n_times, (self->n_electrodes + 2) * sizeof (double), "n_times", error))
             != WSLFP_OK)
    return status;
  for (size_t k = 0; k < n_spikes; k++)
    if (cells[k] < 0 || (uint64_t) cells[k] >= self->n_cells)
      return wslfp_fail (error, WSLFP_ERROR_INDEX, "spike %zu: cell %lld is outside [0, %zu)", k,
                         (long long) cells[k], self->n_cells);
  size_t E = self->n_electrodes, N = self->n_cells;
  memset (lfp, 0, n_times * E * sizeof *lfp);
  if (n_times == 0 || n_spikes == 0)
    return wslfp_ok (error);
  Time *times = malloc (n_times * sizeof *times);
  if (times == NULL)
    return wslfp_fail (error, WSLFP_ERROR_NO_MEMORY, "out of memory for %zu evaluation times", n_times);
  for (size_t i = 0; i < n_times; i++)
    times[i] = (Time) { t_ms[i], i };
  qsort (times, n_times, sizeof *times, compare_times);
  double h = uniform_step (self, times, n_times);

  for (size_t k = 0; k < n_spikes; k++)
    {
      size_t n = (size_t) cells[k];
      double ss = self->two_sigma2[n], reach = sqrt (KERNEL_REACH * ss);
      for (size_t e = 0; e < E; e++)
        {
          double amp = self->amplitude[e * N + n];
          if (amp == 0.0)
            continue;
          double peak = t_spikes_ms[k] + self->delay[e * N + n];
          if (h > 0.0)
            {
              size_t first = first_at_or_after (times, n_times, peak - reach);
              size_t end = first_at_or_after (times, n_times, peak + reach);
              while (end < n_times && times[end].t <= peak + reach)
                end++;
              if (end > first)
                add_gaussian_on_grid (times, first, end - 1, h, amp, t_spikes_ms[k], self->delay[e * N + n], ss, lfp,
                                      E, e);
              continue;
            }
          for (size_t i = first_at_or_after (times, n_times, peak - reach); i < n_times && times[i].t <= peak + reach;
               i++)
            {
              /* (t − t_s) − δ, in the package's order */
              double d = (times[i].t - t_spikes_ms[k]) - self->delay[e * N + n];
              lfp[times[i].row * E + e] += amp * exp (-(d * d) / ss);
            }
        }
    }
  free (times);
  return wslfp_ok (error);
}

double
wslfp_tklfp_min_window_ms (const WslfpTklfp *self, double threshold_uv)
{
  double window = 0.0;
  bool any = false;
  for (size_t e = 0; e < self->n_electrodes; e++)
    for (size_t n = 0; n < self->n_cells; n++)
      {
        double amp = fabs (self->amplitude[e * self->n_cells + n]);
        if (threshold_uv > amp)
          continue;
        double delta = sqrt (-self->two_sigma2[n] * log (threshold_uv / amp));
        double w = delta + self->delay[e * self->n_cells + n];
        if (!any || w > window)
          window = w;
        any = true;
      }
  return any ? window : 0.0;
}
