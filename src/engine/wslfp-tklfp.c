/* wslfp-tklfp.c: the kernel LFP of Teleńczuk, Teleńczuk & Destexhe 2020
 * (TKLFP), as the tklfp package computes it: per contact × cell an
 * amplitude and a delay (once per placement), then a Gaussian uLFP per
 * spike.  Each uLFP is read only where it is above e^{−40} of its peak, so
 * the cost is spikes × contacts × the samples under a kernel, not spikes ×
 * contacts × samples. */
#include "wslfp-private.h"

#include <float.h>
#include <stdlib.h>
#include <string.h>

#define KERNEL_REACH WSLFP_TKLFP_REACH
/* On a uniform grid a Gaussian is a product recurrence, g(t + h) = g(t) ·
 * r(t), r(t + h) = r(t) · e^{−2h²/(2σ²)}: exact exponentials only every
 * this many samples (each run's rounding stays below 1e-14 of its terms). */
#define RECURRENCE_RUN 16
/* Kernel tables are made for at most this many distinct σ (cell types). */
#define MAX_KINDS 8
/* A table's geometric factor is restarted exactly every this many samples
 * (its rounding grows by one unit in the last place per sample). */
#define TABLE_RUN 64

struct _WslfpTklfp
{
  size_t n_electrodes, n_cells;
  double *amplitude; /* n_electrodes × n_cells, µV */
  double *delay;     /* n_electrodes × n_cells, ms */
  double *two_sigma2; /* n_cells: 2σ² of the cell's type, ms² */
  /* The distinct values of two_sigma2 (at most MAX_KINDS; n_kinds 0 when
   * there are more), and each cell's: one kernel table per kind on a grid. */
  size_t n_kinds;
  double kind_ss[MAX_KINDS];
  unsigned char *kind;
};

const double *
wslfp_tklfp_two_sigma2 (const WslfpTklfp *self)
{
  return self->two_sigma2;
}

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
  self->kind = malloc (n_cells);
  if (self->amplitude == NULL || self->delay == NULL || self->two_sigma2 == NULL || self->kind == NULL)
    {
      wslfp_tklfp_free (self);
      return NULL;
    }
  return self;
}

/* Sorts the cells into kinds by their 2σ² (none when there are too many). */
static void
find_kinds (WslfpTklfp *self)
{
  self->n_kinds = 0;
  for (size_t n = 0; n < self->n_cells; n++)
    {
      size_t k = 0;
      while (k < self->n_kinds && self->kind_ss[k] != self->two_sigma2[n])
        k++;
      if (k == self->n_kinds)
        {
          if (k == MAX_KINDS)
            {
              self->n_kinds = 0;
              return;
            }
          self->kind_ss[self->n_kinds++] = self->two_sigma2[n];
        }
      self->kind[n] = (unsigned char) k;
    }
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
  find_kinds (self);
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
  find_kinds (self);
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
  free (self->kind);
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
 * changes no term by more than 1e-13 of itself, or to within the rounding
 * of the times themselves (a few ulps of the largest: t_0 + i·h computed
 * in floating point, a time step times an index, every 3rd of such times),
 * which the sum written out carries too (in t − t_spike − δ); else 0. */
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
  double largest = fmax (fabs (times[0].t), fabs (times[n - 1].t));
  allowed = fmax (allowed, 8.0 * DBL_EPSILON * largest);
  for (size_t i = 0; i < n; i++)
    if (!(fabs (times[i].t - (times[0].t + (double) i * h)) <= allowed))
      return 0.0;
  return h;
}

/* One uLFP (peak amplitude @amp at @peak, 2σ² @ss) added to @row[@first …
 * @last] (indices of the grid t_0 + i·h) by the product recurrence, with an
 * exact start at the real time every RECURRENCE_RUN samples. */
static void
add_gaussian_on_grid (const Time *times, size_t first, size_t last, double h, double amp, double t_spike,
                      double delay, double ss, double *row)
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
          row[i] += g;
          if (i == i1)
            break;
          g *= r;
          r *= q;
        }
    }
}

/* A kind's kernel on the grid: e^{−(jh)²/(2σ²)} at j = −J … J. */
typedef struct
{
  double *k; /* 2J + 1 values; k[J] is j = 0 */
  long J;
} Table;

/* The tables of @self's kinds on a grid of step @h, or FALSE when a kernel
 * spans too many samples for one (then the recurrence is used). */
static bool
tables_new (const WslfpTklfp *self, double h, Table *tables)
{
  memset (tables, 0, MAX_KINDS * sizeof *tables);
  if (self->n_kinds == 0)
    return false;
  for (size_t c = 0; c < self->n_kinds; c++)
    {
      double ss = self->kind_ss[c], span = sqrt (KERNEL_REACH * ss) / h;
      if (!(span < 1e5))
        return false;
      long J = (long) ceil (span) + 2;
      tables[c].J = J;
      tables[c].k = malloc ((size_t) (2 * J + 1) * sizeof (double));
      if (tables[c].k == NULL)
        return false;
      for (long j = -J; j <= J; j++)
        tables[c].k[j + J] = exp (-((double) j * h) * ((double) j * h) / ss);
    }
  return true;
}

static void
tables_free (Table *tables)
{
  for (size_t c = 0; c < MAX_KINDS; c++)
    free (tables[c].k);
}

/* One uLFP (amplitude @amp, centre @c = peak − t_0, 2σ² @ss) added to
 * @row[first … last] of the grid t_0 + i·h.  With i_c the grid index
 * nearest the centre and f = c − i_c·h, the exponent −(ih − c)²/(2σ²) is
 * −(jh)²/(2σ²) + 2jhf/(2σ²) − f²/(2σ²) with j = i − i_c: the table's value,
 * a geometric factor u^j (|2hf/(2σ²)| ≤ h²/(2σ²): no cancellation, restarted
 * exactly every TABLE_RUN samples) and a constant.  Four interleaved
 * products, so that the loop is not bound by one multiplication's latency. */
static void
add_gaussian_by_table (double *row, long first, long last, long ic, double h, double c, double ss, double amp,
                       const Table *table)
{
  double f = c - (double) ic * h;
  double base = amp * exp (-(f * f) / ss), a = 2.0 * h * f / ss;
  double u = exp (a), u2 = u * u, u4 = u2 * u2;
  const double *k = table->k + table->J; /* k[j], −J ≤ j ≤ J */
  for (long i0 = first; i0 <= last; i0 += TABLE_RUN)
    {
      long i1 = i0 + TABLE_RUN - 1 < last ? i0 + TABLE_RUN - 1 : last;
      double p0 = base * exp (a * (double) (i0 - ic)), p1 = p0 * u, p2 = p0 * u2, p3 = p1 * u2;
      long i = i0;
      for (; i + 3 <= i1; i += 4)
        {
          row[i] += p0 * k[i - ic];
          row[i + 1] += p1 * k[i + 1 - ic];
          row[i + 2] += p2 * k[i + 2 - ic];
          row[i + 3] += p3 * k[i + 3 - ic];
          p0 *= u4, p1 *= u4, p2 *= u4, p3 *= u4;
        }
      for (; i <= i1; i++)
        {
          row[i] += p0 * k[i - ic];
          p0 *= u;
        }
    }
}

/* The uLFPs of the spikes on a uniform grid of @n sorted times (step @h),
 * into @buf (n_electrodes × n: a contact's samples in a row). */
static void
sum_on_grid (const WslfpTklfp *self, const double *t_spikes_ms, const int64_t *cells, size_t n_spikes,
             const Time *times, size_t n, double h, double *buf)
{
  size_t E = self->n_electrodes, N = self->n_cells;
  Table tables[MAX_KINDS];
  bool tabled = tables_new (self, h, tables);
  double t0 = times[0].t, span = (double) (n - 1) * h;
  for (size_t s = 0; s < n_spikes; s++)
    {
      size_t cell = (size_t) cells[s];
      double ss = self->two_sigma2[cell], reach = sqrt (KERNEL_REACH * ss);
      for (size_t e = 0; e < E; e++)
        {
          double amp = self->amplitude[e * N + cell];
          double c = (t_spikes_ms[s] + self->delay[e * N + cell]) - t0;
          if (amp == 0.0 || c + reach < 0.0 || c - reach > span)
            continue;
          long first = (long) fmax (0.0, ceil ((c - reach) / h));
          long last = (long) fmin ((double) (n - 1), floor ((c + reach) / h));
          if (first > last)
            continue;
          if (tabled)
            add_gaussian_by_table (buf + e * n, first, last, lround (c / h), h, c, ss, amp,
                                   &tables[self->kind[cell]]);
          else
            add_gaussian_on_grid (times, (size_t) first, (size_t) last, h, amp, t_spikes_ms[s],
                                  self->delay[e * N + cell], ss, buf + e * n);
        }
    }
  tables_free (tables);
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
  double *buf = calloc (n_times * E, sizeof *buf);
  if (times == NULL || buf == NULL)
    {
      free (times);
      free (buf);
      return wslfp_fail (error, WSLFP_ERROR_NO_MEMORY, "out of memory for %zu evaluation times", n_times);
    }
  for (size_t i = 0; i < n_times; i++)
    times[i] = (Time) { t_ms[i], i };
  qsort (times, n_times, sizeof *times, compare_times);
  double h = uniform_step (self, times, n_times);

  if (h > 0.0)
    sum_on_grid (self, t_spikes_ms, cells, n_spikes, times, n_times, h, buf);
  else
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
            for (size_t i = first_at_or_after (times, n_times, peak - reach);
                 i < n_times && times[i].t <= peak + reach; i++)
              {
                /* (t − t_s) − δ, in the package's order */
                double d = (times[i].t - t_spikes_ms[k]) - self->delay[e * N + n];
                buf[e * n_times + i] += amp * exp (-(d * d) / ss);
              }
          }
      }
  for (size_t i = 0; i < n_times; i++)
    for (size_t e = 0; e < E; e++)
      lfp[times[i].row * E + e] = buf[e * n_times + i];
  free (buf);
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
