/* wslfp-track.c: locating times on a sample grid and PCHIP evaluation. */
#include "wslfp-track.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Relative rounding tolerance when comparing a time with a sample: a time
 * computed as start + k·dt that lands a hair off a sample still counts as
 * that sample. */
#define TIME_TOLERANCE 1e-9

WslfpStatus
wslfp_track_init (WslfpTrack *track, const char *name, const WslfpCurrents *c, size_t n_sources,
                  bool sum_sources, WslfpError *error)
{
  WslfpStatus status;
  char what[64];

  memset (track, 0, sizeof *track);
  track->name = name;
  if (c == NULL)
    return WSLFP_OK; /* an absent current is zero everywhere */

  snprintf (what, sizeof what, "%s t_ms", name);
  if (c->n_times > 0 && c->t_ms == NULL)
    return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT, "%s is NULL but n_times = %zu", what, c->n_times);
  if ((status = wslfp_check_count (c->n_times, sizeof (double), what, error)) != WSLFP_OK
      || (status = wslfp_check_times (c->t_ms, c->n_times, what, error)) != WSLFP_OK)
    return status;
  if (c->n_sources != n_sources)
    return wslfp_fail (error, WSLFP_ERROR_SHAPE, "%s currents have %zu sources (columns); the geometry has %zu",
                       name, c->n_sources, n_sources);
  if (c->first_row > c->n_times || c->n_rows > c->n_times - c->first_row)
    return wslfp_fail (error, WSLFP_ERROR_SHAPE,
                       "%s currents window rows [%zu, %zu) lies outside the %zu time samples",
                       name, c->first_row, c->first_row + c->n_rows, c->n_times);
  if ((status = wslfp_check_count (c->n_rows * n_sources, sizeof (double), "rows × sources", error)) != WSLFP_OK)
    return status;
  if (c->n_rows > 0 && c->values == NULL)
    return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT, "%s values is NULL but n_rows = %zu", name, c->n_rows);

  track->present = true;
  track->t = c->t_ms;
  track->n = c->n_times;
  track->first_row = c->first_row;
  track->n_rows = c->n_rows;
  track->input_values = c->values;
  track->input_cols = n_sources;
  track->values = c->values;
  track->cols = n_sources;

  if (sum_sources)
    {
      track->owned = malloc ((c->n_rows ? c->n_rows : 1) * sizeof (double));
      if (track->owned == NULL)
        return wslfp_fail (error, WSLFP_ERROR_NO_MEMORY, "out of memory summing %s currents", name);
      for (size_t k = 0; k < c->n_rows; k++)
        {
          const double *row = c->values + k * n_sources;
          double sum = 0.0;
          for (size_t s = 0; s < n_sources; s++)
            sum += row[s];
          track->owned[k] = sum;
        }
      track->values = track->owned;
      track->cols = 1;
    }
  track->slopes = malloc (4 * track->cols * sizeof (double));
  track->dk = track->slopes;
  track->dk1 = track->dk + track->cols;
  track->mk = track->dk1 + track->cols;
  track->mnext = track->mk + track->cols;
  if (track->slopes == NULL)
    {
      wslfp_track_clear (track);
      return wslfp_fail (error, WSLFP_ERROR_NO_MEMORY, "out of memory for %s slopes", name);
    }
  return WSLFP_OK;
}

void
wslfp_track_clear (WslfpTrack *track)
{
  free (track->owned);
  free (track->slopes);
  memset (track, 0, sizeof *track);
}

static WslfpLoc
loc_sample (size_t k)
{
  return (WslfpLoc) { .kind = WSLFP_LOC_SAMPLE, .k = k };
}

static WslfpLoc
loc_outside (void)
{
  return (WslfpLoc) { .kind = WSLFP_LOC_ZERO, .outside = true };
}

WslfpLoc
wslfp_track_locate (WslfpTrack *track, double t)
{
  const double *x = track->t;
  size_t n = track->n;

  if (n == 0)
    return track->present ? loc_outside () : (WslfpLoc) { .kind = WSLFP_LOC_ZERO };
  if (n == 1)
    return fabs (t - x[0]) <= TIME_TOLERANCE * fmax (fabs (x[0]), 1.0) ? loc_sample (0) : loc_outside ();
  if (t < x[0])
    return x[0] - t <= TIME_TOLERANCE * (x[1] - x[0]) ? loc_sample (0) : loc_outside ();
  if (t >= x[n - 1])
    return t - x[n - 1] <= TIME_TOLERANCE * (x[n - 1] - x[n - 2]) ? loc_sample (n - 1) : loc_outside ();

  /* Now x[0] <= t < x[n-1]: find k with x[k] <= t < x[k+1], trying the
   * previous answer and its successor first (times usually come in order). */
  size_t k = track->hint;
  if (!(k + 1 < n && x[k] <= t && t < x[k + 1]))
    {
      if (k + 2 < n && x[k + 1] <= t && t < x[k + 2])
        k++;
      else
        {
          size_t lo = 0, hi = n - 1;
          while (hi - lo > 1)
            {
              size_t mid = lo + (hi - lo) / 2;
              if (x[mid] <= t)
                lo = mid;
              else
                hi = mid;
            }
          k = lo;
        }
    }
  track->hint = k;
  double h = x[k + 1] - x[k];
  double off = t - x[k];
  if (off <= TIME_TOLERANCE * h)
    return loc_sample (k);
  if (h - off <= TIME_TOLERANCE * h)
    return loc_sample (k + 1);
  return (WslfpLoc) { .kind = WSLFP_LOC_INTERVAL, .k = k, .x = off };
}

/* The samples the PCHIP slope at sample j reads. */
static void
slope_rows (size_t n, size_t j, size_t *lo, size_t *hi)
{
  if (n == 2)
    *lo = 0, *hi = 1;
  else if (j == 0)
    *lo = 0, *hi = 2;
  else if (j == n - 1)
    *lo = n - 3, *hi = n - 1;
  else
    *lo = j - 1, *hi = j + 1;
}

bool
wslfp_track_rows_for (const WslfpTrack *track, const WslfpLoc *loc, size_t *lo, size_t *hi)
{
  size_t lo1, hi1;

  switch (loc->kind)
    {
    case WSLFP_LOC_ZERO:
      return false;
    case WSLFP_LOC_SAMPLE:
      *lo = *hi = loc->k;
      return true;
    case WSLFP_LOC_INTERVAL:
      slope_rows (track->n, loc->k, lo, hi);
      slope_rows (track->n, loc->k + 1, &lo1, &hi1);
      *hi = hi1 > *hi ? hi1 : *hi;
      return true;
    }
  return false;
}

static inline const double *
row_at (const WslfpTrack *track, size_t k)
{
  return track->values + (k - track->first_row) * track->cols;
}

/* SciPy's _edge_case: the three-point end slope, kept shape-preserving. */
static inline double
edge_slope (double h0, double h1, double m0, double m1)
{
  double d = ((2.0 * h0 + h1) * m0 - h0 * m1) / (h0 + h1);
  double sd = (d > 0) - (d < 0), s0 = (m0 > 0) - (m0 < 0), s1 = (m1 > 0) - (m1 < 0);
  if (sd != s0)
    return 0.0;
  if (s0 != s1 && fabs (d) > 3.0 * fabs (m0))
    return 3.0 * m0;
  return d;
}

/* PCHIP slopes at an interior sample from the secants m0 (interval
 * before, width h0) and m1 (after, width h1): the weighted harmonic mean
 * where they agree in sign, else flat (Fritsch–Butland, as SciPy).
 * (w1 + w2) / (w1/m0 + w2/m1) rewritten with one division, and branch-free
 * so that it vectorises. */
static void
interior_slopes (double h0, double h1, const double *restrict m0, const double *restrict m1,
                 size_t cols, double *restrict out)
{
  double w1 = 2.0 * h1 + h0, w2 = h1 + 2.0 * h0, w = w1 + w2;
  for (size_t s = 0; s < cols; s++)
    {
      double p = m0[s] * m1[s];
      double den = w1 * m1[s] + w2 * m0[s];
      double num = p > 0.0 ? w * p : 0.0;
      out[s] = num / (p > 0.0 ? den : 1.0);
    }
}

static void
secants (const WslfpTrack *track, size_t k, double *out)
{
  const double *y0 = row_at (track, k), *y1 = row_at (track, k + 1);
  double inv_h = 1.0 / (track->t[k + 1] - track->t[k]);
  for (size_t s = 0; s < track->cols; s++)
    out[s] = (y1[s] - y0[s]) * inv_h;
}

/* PCHIP slopes at sample j for every column (uses mk, mnext as scratch). */
static void
slopes_at (const WslfpTrack *track, size_t j, double *out)
{
  const double *x = track->t;
  size_t n = track->n, cols = track->cols;

  if (n == 2)
    {
      const double *y0 = row_at (track, 0), *y1 = row_at (track, 1);
      double inv_h = 1.0 / (x[1] - x[0]);
      for (size_t s = 0; s < cols; s++)
        out[s] = (y1[s] - y0[s]) * inv_h;
      return;
    }
  if (j == 0 || j == n - 1)
    {
      /* h0, m0 is the end interval, h1, m1 the next one inwards. */
      size_t a = j == 0 ? 0 : n - 1, b = j == 0 ? 1 : n - 2, c = j == 0 ? 2 : n - 3;
      const double *ya = row_at (track, a), *yb = row_at (track, b), *yc = row_at (track, c);
      double h0 = fabs (x[b] - x[a]), h1 = fabs (x[c] - x[b]);
      /* m0, m1 are slopes in increasing time, whichever end we are at. */
      double inv0 = 1.0 / (x[b] - x[a]), inv1 = 1.0 / (x[c] - x[b]);
      for (size_t s = 0; s < cols; s++)
        out[s] = edge_slope (h0, h1, (yb[s] - ya[s]) * inv0, (yc[s] - yb[s]) * inv1);
      return;
    }
  const double *ym = row_at (track, j - 1), *y0 = row_at (track, j), *yp = row_at (track, j + 1);
  double inv0 = 1.0 / (x[j] - x[j - 1]), inv1 = 1.0 / (x[j + 1] - x[j]);
  double *m0 = track->mk, *m1 = track->mnext; /* scratch here */
  for (size_t s = 0; s < cols; s++)
    {
      m0[s] = (y0[s] - ym[s]) * inv0;
      m1[s] = (yp[s] - y0[s]) * inv1;
    }
  interior_slopes (x[j] - x[j - 1], x[j + 1] - x[j], m0, m1, cols, out);
}

#define SWAP(a, b) do { double *tmp_ = (a); (a) = (b); (b) = tmp_; } while (0)

static void
cache_slopes (WslfpTrack *track, size_t k)
{
  size_t n = track->n;

  if (track->have_cache && track->cached_k == k)
    return;
  if (track->have_cache && track->cached_k + 1 == k && k + 3 <= n)
    {
      /* The common step to the next interval: the old right slope and next
       * secant become the new left slope and secant; only the slope at
       * k + 1 (interior) and the secant of k + 1 are new. */
      SWAP (track->dk, track->dk1);
      SWAP (track->mk, track->mnext);
      secants (track, k + 1, track->mnext);
      interior_slopes (track->t[k + 1] - track->t[k], track->t[k + 2] - track->t[k + 1],
                       track->mk, track->mnext, track->cols, track->dk1);
    }
  else
    {
      slopes_at (track, k, track->dk);
      slopes_at (track, k + 1, track->dk1);
      secants (track, k, track->mk);
      if (k + 2 <= n - 1)
        secants (track, k + 1, track->mnext);
    }
  track->cached_k = k;
  track->have_cache = true;
}

void
wslfp_track_eval (WslfpTrack *track, const WslfpLoc *loc, double scale, bool accumulate, double *dst)
{
  size_t cols = track->cols;

  if (loc->kind == WSLFP_LOC_ZERO)
    {
      if (!accumulate)
        memset (dst, 0, cols * sizeof (double));
      return;
    }
  if (loc->kind == WSLFP_LOC_SAMPLE)
    {
      const double *y = row_at (track, loc->k);
      if (accumulate)
        for (size_t s = 0; s < cols; s++)
          dst[s] += scale * y[s];
      else
        for (size_t s = 0; s < cols; s++)
          dst[s] = scale * y[s];
      return;
    }

  size_t k = loc->k;
  cache_slopes (track, k);
  const double *restrict y0 = row_at (track, k);
  const double *restrict d0 = track->dk, *restrict d1 = track->dk1, *restrict m = track->mk;
  double inv_h = 1.0 / (track->t[k + 1] - track->t[k]), x = loc->x;
  /* Cubic Hermite in SciPy's PPoly form: ((c0 x + c1) x + c2) x + c3. */
  if (accumulate)
    for (size_t s = 0; s < cols; s++)
      {
        double c0 = (d0[s] + d1[s] - 2.0 * m[s]) * inv_h * inv_h;
        double c1 = (3.0 * m[s] - 2.0 * d0[s] - d1[s]) * inv_h;
        dst[s] += scale * (((c0 * x + c1) * x + d0[s]) * x + y0[s]);
      }
  else
    for (size_t s = 0; s < cols; s++)
      {
        double c0 = (d0[s] + d1[s] - 2.0 * m[s]) * inv_h * inv_h;
        double c1 = (3.0 * m[s] - 2.0 * d0[s] - d1[s]) * inv_h;
        dst[s] = scale * (((c0 * x + c1) * x + d0[s]) * x + y0[s]);
      }
}
