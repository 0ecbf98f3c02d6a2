/* wslfp-profile.c: amplitude profiles, the weight of one source's current
 * at one contact as a function of where the contact sits (r, d). */
#include "wslfp-private.h"

#include <stdlib.h>
#include <string.h>

/* Scale factors of the single-neuron variant of the Mazzoni profile, as in
 * the Python package. */
#define SINGLE_GAIN     1.82849
#define SINGLE_R_FACTOR 1.31724
#define SINGLE_D_FACTOR 1.22438

/* Aussel et al. 2018: 0.021 · L cos θ / (4π σ dist²). */
#define AUSSEL_GAIN     0.021
#define AUSSEL_SIGMA    0.3

struct _WslfpProfile
{
  WslfpProfileKind kind;
  /* The grid, borrowed from the built-in table or owned (custom). */
  const double *r_um;
  size_t n_r;
  const double *d_um;
  size_t n_d;
  const double *amp_uv;
  /* The built-in grid is interpolated on its Delaunay triangles, as the
   * original package does (each cell split along the diagonal given
   * here); a custom grid bilinearly (NULL). */
  const unsigned char *diagonal;
  double *owned; /* r, d and amp of a custom profile in one block */
  /* (n − 1) / span of each axis: find_interval()'s guess, a multiply. */
  double r_scale, d_scale;
};

static double
axis_scale (const double *grid, size_t n)
{
  double span = grid[n - 1] - grid[0];
  return span > 0 ? (double) (n - 1) / span : 0.0;
}

static void
set_scales (WslfpProfile *p)
{
  p->r_scale = axis_scale (p->r_um, p->n_r);
  p->d_scale = axis_scale (p->d_um, p->n_d);
}

static WslfpProfile *
profile_alloc (WslfpProfileKind kind)
{
  WslfpProfile *profile = calloc (1, sizeof *profile);
  if (profile == NULL)
    return NULL;
  profile->kind = kind;
  profile->r_um = wslfp_mazzoni15_r_um;
  profile->n_r = WSLFP_MAZZONI15_N_R;
  profile->d_um = wslfp_mazzoni15_d_um;
  profile->n_d = WSLFP_MAZZONI15_N_D;
  profile->amp_uv = wslfp_mazzoni15_amp_uv;
  profile->diagonal = wslfp_mazzoni15_diagonal;
  set_scales (profile);
  return profile;
}

WslfpStatus
wslfp_profile_new (WslfpProfileKind kind, WslfpProfile **profile, WslfpError *error)
{
  if (profile == NULL)
    return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT, "profile (the result pointer) is NULL");
  *profile = NULL;
  if (kind != WSLFP_PROFILE_MAZZONI15 && kind != WSLFP_PROFILE_MAZZONI15_SINGLE
      && kind != WSLFP_PROFILE_AUSSEL18)
    return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT,
                       "kind = %d is not a built-in profile (use wslfp_profile_new_custom for a grid)",
                       (int) kind);
  *profile = profile_alloc (kind);
  if (*profile == NULL)
    return wslfp_fail (error, WSLFP_ERROR_NO_MEMORY, "out of memory for a profile");
  return wslfp_ok (error);
}

const char *
wslfp_profile_kind_to_string (WslfpProfileKind kind)
{
  switch (kind)
    {
    case WSLFP_PROFILE_MAZZONI15: return "mazzoni15";
    case WSLFP_PROFILE_MAZZONI15_SINGLE: return "mazzoni15_single";
    case WSLFP_PROFILE_AUSSEL18: return "aussel18";
    case WSLFP_PROFILE_CUSTOM: return "custom";
    }
  return "unknown";
}

WslfpStatus
wslfp_profile_new_from_name (const char *name, WslfpProfile **profile, WslfpError *error)
{
  static const WslfpProfileKind kinds[] = {
    WSLFP_PROFILE_MAZZONI15, WSLFP_PROFILE_MAZZONI15_SINGLE, WSLFP_PROFILE_AUSSEL18,
  };
  if (profile != NULL)
    *profile = NULL;
  if (name == NULL)
    return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT, "profile name is NULL");
  for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
    if (strcmp (name, wslfp_profile_kind_to_string (kinds[i])) == 0)
      return wslfp_profile_new (kinds[i], profile, error);
  return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT,
                     "unknown profile \"%s\" (expected mazzoni15, mazzoni15_single or aussel18)",
                     name);
}

static WslfpStatus
check_axis (const double *v, size_t n, const char *what, WslfpError *error)
{
  if (v == NULL || n < 2)
    return wslfp_fail (error, WSLFP_ERROR_SHAPE, "%s needs at least 2 values, got %zu", what,
                       v == NULL ? 0 : n);
  WslfpStatus status = wslfp_check_times (v, n, what, error);
  if (status != WSLFP_OK)
    return status;
  if (v[0] < 0.0)
    return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT, "%s[0] = %g is negative", what, v[0]);
  return WSLFP_OK;
}

WslfpStatus
wslfp_profile_new_custom (const double *r_um, size_t n_r, const double *d_um, size_t n_d,
                          const double *amp_uv, WslfpProfile **profile, WslfpError *error)
{
  WslfpStatus status;

  if (profile == NULL)
    return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT, "profile (the result pointer) is NULL");
  *profile = NULL;
  if ((status = check_axis (r_um, n_r, "r_um", error)) != WSLFP_OK
      || (status = check_axis (d_um, n_d, "d_um", error)) != WSLFP_OK)
    return status;
  if ((status = wslfp_check_count (n_r * n_d, 3 * sizeof (double), "n_r * n_d", error)) != WSLFP_OK)
    return status;
  if (amp_uv == NULL)
    return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT, "amp_uv is NULL");
  if ((status = wslfp_check_finite (amp_uv, n_r, n_d, "amp_uv", error)) != WSLFP_OK)
    return status;

  WslfpProfile *p = profile_alloc (WSLFP_PROFILE_CUSTOM);
  double *block = malloc ((n_r + n_d + n_r * n_d) * sizeof (double));
  if (p == NULL || block == NULL)
    {
      free (p);
      free (block);
      return wslfp_fail (error, WSLFP_ERROR_NO_MEMORY, "out of memory for a %zu × %zu profile", n_r, n_d);
    }
  memcpy (block, r_um, n_r * sizeof (double));
  memcpy (block + n_r, d_um, n_d * sizeof (double));
  memcpy (block + n_r + n_d, amp_uv, n_r * n_d * sizeof (double));
  p->owned = block;
  p->r_um = block;
  p->n_r = n_r;
  p->d_um = block + n_r;
  p->n_d = n_d;
  p->amp_uv = block + n_r + n_d;
  p->diagonal = NULL; /* a user's grid: bilinear */
  set_scales (p);
  *profile = p;
  return wslfp_ok (error);
}

WslfpStatus
wslfp_profile_copy (const WslfpProfile *profile, WslfpProfile **copy, WslfpError *error)
{
  if (copy == NULL)
    return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT, "copy (the result pointer) is NULL");
  *copy = NULL;
  if (profile == NULL)
    return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT, "profile is NULL");
  if (profile->kind == WSLFP_PROFILE_CUSTOM)
    return wslfp_profile_new_custom (profile->r_um, profile->n_r, profile->d_um, profile->n_d, profile->amp_uv, copy,
                                     error);
  return wslfp_profile_new (profile->kind, copy, error);
}

void
wslfp_profile_free (WslfpProfile *profile)
{
  if (profile == NULL)
    return;
  free (profile->owned);
  free (profile);
}

WslfpProfileKind
wslfp_profile_get_kind (const WslfpProfile *profile)
{
  return profile->kind;
}

/* Whether i is the interval of x: the binary search's answer below. */
static inline bool
is_interval (const double *grid, size_t n, size_t i, double x)
{
  return (i == 0 || grid[i] < x) && (i == n - 2 || !(grid[i + 1] < x));
}

/* The interval i with grid[i] <= x <= grid[i + 1], as searchsorted − 1
 * clipped to [0, n − 2] (SciPy's RegularGridInterpolator rule).  The grids
 * are mostly uniform (the built-in one is): a guess from the spacing, moved
 * a step or two, costs a few comparisons where a search costs log2(n)
 * unpredictable branches, and gives the same answer. */
static inline __attribute__ ((always_inline)) size_t
find_interval (const double *grid, size_t n, double scale, double x)
{
  double guess = (x - grid[0]) * scale;
  size_t i = guess > 0 ? (size_t) guess : 0;
  if (i > n - 2)
    i = n - 2;
  for (int step = 0; step < 3; step++)
    {
      if (is_interval (grid, n, i, x))
        return i;
      if (i > 0 && !(grid[i] < x))
        i--;
      else
        i++;
    }
  if (is_interval (grid, n, i, x))
    return i;
  size_t lo = 0, hi = n - 1; /* invariant: grid[lo] <= x, answer in [lo, hi) */
  while (hi - lo > 1)
    {
      size_t mid = lo + (hi - lo) / 2;
      if (grid[mid] < x)
        lo = mid;
      else
        hi = mid;
    }
  return lo;
}

/* g(r, a) for a >= 0, 0 outside the grid: in the cell's triangle (linear,
 * as SciPy's LinearNDInterpolator) where the profile has a triangulation,
 * else bilinear. */
static inline __attribute__ ((always_inline)) double
grid_eval (const WslfpProfile *p, double r, double a)
{
  if (!(r >= p->r_um[0] && r <= p->r_um[p->n_r - 1] && a >= p->d_um[0] && a <= p->d_um[p->n_d - 1]))
    return 0.0;
  size_t i = find_interval (p->r_um, p->n_r, p->r_scale, r);
  size_t j = find_interval (p->d_um, p->n_d, p->d_scale, a);
  double tr = (r - p->r_um[i]) / (p->r_um[i + 1] - p->r_um[i]);
  double ta = (a - p->d_um[j]) / (p->d_um[j + 1] - p->d_um[j]);
  const double *row0 = p->amp_uv + i * p->n_d;
  const double *row1 = row0 + p->n_d;
  double f00 = row0[j], f01 = row0[j + 1], f10 = row1[j], f11 = row1[j + 1];
  if (p->diagonal == NULL)
    return (1.0 - tr) * ((1.0 - ta) * f00 + ta * f01) + tr * ((1.0 - ta) * f10 + ta * f11);
  if (p->diagonal[i * (p->n_d - 1) + j] == 0)
    /* split (0,0)-(1,1): the lower-right or the upper-left triangle */
    return tr >= ta ? f00 + tr * (f10 - f00) + ta * (f11 - f10) : f00 + ta * (f01 - f00) + tr * (f11 - f01);
  /* split (1,0)-(0,1): the triangle at (0,0) or the one at (1,1) */
  return tr + ta <= 1.0 ? f00 + tr * (f10 - f00) + ta * (f01 - f00)
                        : f11 + (1.0 - tr) * (f01 - f11) + (1.0 - ta) * (f10 - f11);
}

static inline __attribute__ ((always_inline)) double
odd_grid_eval (const WslfpProfile *p, double r, double d)
{
  double g = grid_eval (p, r, fabs (d));
  /* sign(d) · g, as a product: the sign of random cells is a branch the
   * processor mispredicts half the time */
  return g * (double) ((d > 0.0) - (d < 0.0));
}

static inline double
profile_value (const WslfpProfile *profile, double r_um, double d_um, double length_um)
{
  switch (profile->kind)
    {
    case WSLFP_PROFILE_MAZZONI15:
    case WSLFP_PROFILE_CUSTOM:
      return odd_grid_eval (profile, r_um, d_um);
    case WSLFP_PROFILE_MAZZONI15_SINGLE:
      return SINGLE_GAIN * odd_grid_eval (profile, SINGLE_R_FACTOR * r_um, SINGLE_D_FACTOR * d_um);
    case WSLFP_PROFILE_AUSSEL18:
      {
        double dist2 = r_um * r_um + d_um * d_um;
        if (dist2 == 0.0)
          return 0.0;
        double dist = sqrt (dist2);
        double cos_theta = -d_um / dist;
        return AUSSEL_GAIN * length_um * cos_theta / (4.0 * M_PI * AUSSEL_SIGMA * dist2);
      }
    }
  return 0.0;
}

double
wslfp_profile_eval (const WslfpProfile *profile, double r_um, double d_um, double length_um)
{
  return profile_value (profile, r_um, d_um, length_um);
}

void
wslfp_profile_eval_row (const WslfpProfile *profile, size_t n, const double *r_um, const double *d_um,
                        const double *length_um, double *out)
{
  for (size_t i = 0; i < n; i++)
    out[i] = profile_value (profile, r_um[i], d_um[i], length_um[i]);
}

WslfpStatus
wslfp_profile_eval_many (const WslfpProfile *profile, size_t n, const double *r_um, const double *d_um,
                         const double *length_um, double *out, WslfpError *error)
{
  if (profile == NULL)
    return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT, "profile is NULL");
  if (n > 0 && (r_um == NULL || d_um == NULL || length_um == NULL || out == NULL))
    return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT, "an array is NULL");
  for (size_t i = 0; i < n; i++)
    {
      if (!isfinite (r_um[i]) || !isfinite (d_um[i]) || !isfinite (length_um[i]))
        return wslfp_fail (error, WSLFP_ERROR_NOT_FINITE, "point %zu: r = %g, d = %g, L = %g µm", i, r_um[i], d_um[i],
                           length_um[i]);
      if (r_um[i] < 0)
        return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT, "point %zu: r = %g µm is negative", i, r_um[i]);
      out[i] = wslfp_profile_eval (profile, r_um[i], d_um[i], length_um[i]);
    }
  return wslfp_ok (error);
}

bool
wslfp_profile_support (const WslfpProfile *profile, double *r_max_um, double *d_max_um)
{
  if (profile->kind == WSLFP_PROFILE_AUSSEL18)
    return false;
  /* (grid_eval: 0 unless r <= r_um[n_r − 1] and |d| <= d_um[n_d − 1]) */
  wslfp_profile_get_extent (profile, r_max_um, d_max_um);
  return true;
}

void
wslfp_profile_get_extent (const WslfpProfile *profile, double *r_max_um, double *d_max_um)
{
  double r = profile->r_um[profile->n_r - 1];
  double d = profile->d_um[profile->n_d - 1];
  if (profile->kind == WSLFP_PROFILE_MAZZONI15_SINGLE)
    {
      r /= SINGLE_R_FACTOR;
      d /= SINGLE_D_FACTOR;
    }
  if (r_max_um != NULL)
    *r_max_um = r;
  if (d_max_um != NULL)
    *d_max_um = d;
}
