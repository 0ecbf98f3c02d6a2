/* wslfp-model.c: geometry (dipole centres, orientations) and the amplitude
 * matrix A of a profile for given electrodes and sources. */
#include "wslfp-private.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

struct _WslfpModel
{
  size_t n_electrodes;
  size_t n_sources;  /* of the geometry: what currents must have */
  size_t n_columns;  /* of A: n_sources, or 1 in population mode */
  bool population;
  double *electrodes_um; /* n_electrodes × 3 */
  double *centers_um;    /* n_columns × 3 */
  double *orientations;  /* n_columns × 3, unit */
  double *amplitude;     /* n_electrodes × n_columns */
  /* A in single precision, made on first use by the float32 product (a
   * model is shared read-only between threads, hence the lock). */
  pthread_mutex_t amplitude_f32_lock;
  float *amplitude_f32;
};

void
wslfp_geometry_init (WslfpGeometry *geometry)
{
  memset (geometry, 0, sizeof *geometry);
  geometry->coords = WSLFP_COORDS_SOMATA;
}

static WslfpStatus
check_geometry (const WslfpGeometry *g, WslfpError *error)
{
  WslfpStatus status;

  if (g->electrodes_um == NULL || g->n_electrodes == 0)
    return wslfp_fail (error, WSLFP_ERROR_SHAPE, "electrodes_um is empty: at least one electrode is needed");
  if (g->sources_um == NULL || g->n_sources == 0)
    return wslfp_fail (error, WSLFP_ERROR_SHAPE, "sources_um is empty: at least one source is needed");
  if ((status = wslfp_check_count (g->n_electrodes, 3 * sizeof (double), "n_electrodes", error)) != WSLFP_OK
      || (status = wslfp_check_count (g->n_sources, 3 * sizeof (double), "n_sources", error)) != WSLFP_OK
      || (status = wslfp_check_count (g->n_electrodes * g->n_sources, sizeof (double),
                                      "n_electrodes * n_sources", error)) != WSLFP_OK)
    return status;
  if (g->coords != WSLFP_COORDS_SOMATA && g->coords != WSLFP_COORDS_DIPOLE_CENTERS)
    return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT, "coords = %d is neither somata nor dipole centres",
                       (int) g->coords);
  if ((status = wslfp_check_finite (g->electrodes_um, g->n_electrodes, 3, "electrodes_um", error)) != WSLFP_OK
      || (status = wslfp_check_finite (g->sources_um, g->n_sources, 3, "sources_um", error)) != WSLFP_OK)
    return status;
  if (g->orientation != NULL)
    {
      if (g->n_orientations != 1 && g->n_orientations != g->n_sources)
        return wslfp_fail (error, WSLFP_ERROR_SHAPE,
                           "orientation has %zu rows; expected 1 (shared) or n_sources = %zu",
                           g->n_orientations, g->n_sources);
      if ((status = wslfp_check_finite (g->orientation, g->n_orientations, 3, "orientation", error)) != WSLFP_OK)
        return status;
      for (size_t s = 0; s < g->n_orientations; s++)
        {
          const double *o = g->orientation + 3 * s;
          if (o[0] == 0.0 && o[1] == 0.0 && o[2] == 0.0)
            return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT,
                               "orientation[%zu] is the zero vector: source %zu has no direction", s, s);
        }
    }
  if (g->dendrite_length_um != NULL)
    {
      if (g->n_lengths != 1 && g->n_lengths != g->n_sources)
        return wslfp_fail (error, WSLFP_ERROR_SHAPE,
                           "dendrite_length_um has %zu values; expected 1 (shared) or n_sources = %zu",
                           g->n_lengths, g->n_sources);
      if ((status = wslfp_check_finite (g->dendrite_length_um, g->n_lengths, 1, "dendrite_length_um", error)) != WSLFP_OK)
        return status;
      for (size_t s = 0; s < g->n_lengths; s++)
        if (g->dendrite_length_um[s] < 0.0)
          return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT, "dendrite_length_um[%zu] = %g is negative",
                             s, g->dendrite_length_um[s]);
    }
  return WSLFP_OK;
}

static void
unit_orientation (const WslfpGeometry *g, size_t s, double u[3])
{
  static const double up[3] = { 0.0, 0.0, 1.0 };
  const double *o = g->orientation == NULL ? up
                    : g->orientation + 3 * (g->n_orientations == 1 ? 0 : s);
  /* hypot-style scaling keeps tiny and huge vectors from under/overflowing. */
  double m = fmax (fabs (o[0]), fmax (fabs (o[1]), fabs (o[2])));
  double x = o[0] / m, y = o[1] / m, z = o[2] / m;
  double n = sqrt (x * x + y * y + z * z);
  u[0] = x / n;
  u[1] = y / n;
  u[2] = z / n;
}

static double
dendrite_length (const WslfpGeometry *g, size_t s)
{
  if (g->dendrite_length_um == NULL)
    return WSLFP_DEFAULT_DENDRITE_LENGTH_UM;
  return g->dendrite_length_um[g->n_lengths == 1 ? 0 : s];
}

/* (r, d) of point @p relative to centre @c along unit @u. */
static void
point_rd (const double p[3], const double c[3], const double u[3], double *r, double *d)
{
  double v[3] = { p[0] - c[0], p[1] - c[1], p[2] - c[2] };
  double dd = v[0] * u[0] + v[1] * u[1] + v[2] * u[2];
  double w[3] = { v[0] - dd * u[0], v[1] - dd * u[1], v[2] - dd * u[2] };
  *d = dd;
  *r = sqrt (w[0] * w[0] + w[1] * w[1] + w[2] * w[2]);
}

/* Below this, huge pages save too little to be worth their rounding. */
#define LARGE_BYTES ((size_t) 4 << 20)
#define HUGE_PAGE   ((size_t) 2 << 20)

void *
wslfp_alloc_large (size_t bytes)
{
#ifdef MADV_HUGEPAGE
  void *p = NULL;
  if (bytes >= LARGE_BYTES && posix_memalign (&p, HUGE_PAGE, bytes) == 0)
    {
      /* (only advice: where it is refused the pages are small ones) */
      madvise (p, bytes - bytes % HUGE_PAGE, MADV_HUGEPAGE);
      return p;
    }
#endif
  return malloc (bytes > 0 ? bytes : 1);
}

void
wslfp_model_free (WslfpModel *model)
{
  if (model == NULL)
    return;
  free (model->electrodes_um);
  free (model->centers_um);
  free (model->orientations);
  free (model->amplitude);
  free (model->amplitude_f32);
  pthread_mutex_destroy (&model->amplitude_f32_lock);
  free (model);
}

/* Sources per wslfp_profile_eval_row() call (r and d on the stack), and
 * per run whose bounds are kept: runs start at multiples of ROW_RUN. */
#define ROW_RUN 256

/* Where the centres of one run of columns lie: their box and, when the run
 * shares one orientation u, the interval of c · u (d, for every electrode,
 * is p · u minus a value in it). */
typedef struct
{
  double lo[3], hi[3];
  bool shared;
  double u[3], along_lo, along_hi;
} RunBounds;

/* Entries [first, end) of A, row-major (e = k / cols, s = k % cols). */
typedef struct
{
  WslfpModel *m;
  const WslfpProfile *profile;
  const double *lengths;
  const RunBounds *bounds;   /* per run, or NULL: every entry evaluated */
  double reach, d_max;       /* beyond these the profile is 0 (with bounds) */
  size_t first, end;
} AmplitudePart;

static void
run_bounds (const WslfpModel *m, size_t s0, size_t n, RunBounds *b)
{
  const double *u0 = m->orientations + 3 * s0;
  b->shared = true;
  for (int k = 0; k < 3; k++)
    {
      b->lo[k] = INFINITY;
      b->hi[k] = -INFINITY;
      b->u[k] = u0[k];
    }
  b->along_lo = INFINITY;
  b->along_hi = -INFINITY;
  for (size_t s = s0; s < s0 + n; s++)
    {
      const double *c = m->centers_um + 3 * s, *u = m->orientations + 3 * s;
      for (int k = 0; k < 3; k++)
        {
          b->lo[k] = fmin (b->lo[k], c[k]);
          b->hi[k] = fmax (b->hi[k], c[k]);
        }
      b->shared = b->shared && u[0] == u0[0] && u[1] == u0[1] && u[2] == u0[2];
      double along = c[0] * u0[0] + c[1] * u0[1] + c[2] * u0[2];
      b->along_lo = fmin (b->along_lo, along);
      b->along_hi = fmax (b->along_hi, along);
    }
}

/* Whether every centre of the run is out of the profile's reach from @p:
 * farther than hypot (r_max, d_max) (then r > r_max or |d| > d_max), or,
 * with one shared orientation, |d| > d_max for all.  The margins (a
 * millionth of a µm, and relative 1e-9) are far above the rounding of r
 * and d, so an entry skipped here is one the profile makes exactly 0. */
static bool
run_out_of_reach (const RunBounds *b, const double p[3], double reach, double d_max)
{
  double gap2 = 0.0;
  for (int k = 0; k < 3; k++)
    {
      double gap = fmax (0.0, fmax (b->lo[k] - p[k], p[k] - b->hi[k]));
      gap2 += gap * gap;
    }
  double far = reach * (1.0 + 1e-9) + 1e-6;
  if (gap2 > far * far)
    return true;
  if (!b->shared)
    return false;
  double along = p[0] * b->u[0] + p[1] * b->u[1] + p[2] * b->u[2];
  double d_far = d_max * (1.0 + 1e-9) + 1e-6;
  return along - b->along_hi > d_far || b->along_lo - along > d_far;
}

static void *
fill_amplitude_part (void *data)
{
  AmplitudePart *p = data;
  WslfpModel *m = p->m;
  size_t cols = m->n_columns;
  double r[ROW_RUN], d[ROW_RUN];
  for (size_t k = p->first; k < p->end;)
    {
      /* a run of sources of one electrode's row, within one ROW_RUN */
      size_t e = k / cols, s0 = k % cols;
      size_t n = ROW_RUN - s0 % ROW_RUN;
      if (n > cols - s0)
        n = cols - s0;
      if (n > p->end - k)
        n = p->end - k;
      const double *electrode = m->electrodes_um + 3 * e;
      if (p->bounds != NULL && run_out_of_reach (&p->bounds[s0 / ROW_RUN], electrode, p->reach, p->d_max))
        memset (m->amplitude + k, 0, n * sizeof (double));
      else
        {
          for (size_t i = 0; i < n; i++)
            point_rd (electrode, m->centers_um + 3 * (s0 + i), m->orientations + 3 * (s0 + i), &r[i], &d[i]);
          wslfp_profile_eval_row (p->profile, n, r, d, p->lengths + s0, m->amplitude + k);
        }
      k += n;
    }
  return NULL;
}

/* Below this many entries a thread costs more than it saves (~30 ns an
 * entry: 2 ms, against ~50 µs to start and join one). */
#define THREADED_ENTRIES 65536
#define MAX_THREADS      64

/* A = the profile at every (electrode, column), in @n_threads parts; a part
 * whose thread does not start is computed here. */
static void
fill_amplitude (WslfpModel *m, const WslfpProfile *profile, const double *lengths, unsigned n_threads)
{
  size_t n = m->n_electrodes * m->n_columns;
  if (n_threads == 0)
    {
      long online = sysconf (_SC_NPROCESSORS_ONLN);
      n_threads = online > 0 ? (unsigned) online : 1;
    }
  size_t parts = n_threads < MAX_THREADS ? n_threads : MAX_THREADS;
  if (parts > n / (THREADED_ENTRIES / 2))
    parts = n / (THREADED_ENTRIES / 2); /* (each part at least half the threshold) */
  if (n < THREADED_ENTRIES || parts == 0)
    parts = 1;
  /* Runs of cells the profile cannot reach from an electrode are 0
   * without evaluating them: a big network's cells sorted by place (a
   * spilled block's are) are mostly in such runs for most contacts. */
  double r_max = 0.0, d_max = 0.0;
  size_t n_runs = (m->n_columns + ROW_RUN - 1) / ROW_RUN;
  RunBounds *bounds = NULL;
  if (wslfp_profile_support (profile, &r_max, &d_max)
      && (bounds = malloc ((n_runs ? n_runs : 1) * sizeof *bounds)) != NULL)
    for (size_t j = 0; j < n_runs; j++)
      run_bounds (m, j * ROW_RUN, m->n_columns - j * ROW_RUN < ROW_RUN ? m->n_columns - j * ROW_RUN : ROW_RUN,
                  &bounds[j]);
  AmplitudePart part[MAX_THREADS];
  pthread_t thread[MAX_THREADS];
  bool started[MAX_THREADS];
  for (size_t k = 0; k < parts; k++)
    {
      part[k] = (AmplitudePart) { m, profile, lengths, bounds, hypot (r_max, d_max), d_max,
                                  n * k / parts, n * (k + 1) / parts };
      /* (the last part on this thread, while the others run) */
      started[k] = k + 1 < parts && pthread_create (&thread[k], NULL, fill_amplitude_part, &part[k]) == 0;
    }
  for (size_t k = 0; k < parts; k++)
    if (!started[k])
      fill_amplitude_part (&part[k]);
  for (size_t k = 0; k < parts; k++)
    if (started[k])
      pthread_join (thread[k], NULL);
  free (bounds);
}

WslfpStatus
wslfp_model_new (const WslfpGeometry *geometry, const WslfpProfile *profile, bool population,
                 WslfpModel **model, WslfpError *error)
{
  return wslfp_model_new_threaded (geometry, profile, population, 1, model, error);
}

WslfpStatus
wslfp_model_new_threaded (const WslfpGeometry *geometry, const WslfpProfile *profile, bool population,
                          unsigned n_threads, WslfpModel **model, WslfpError *error)
{
  WslfpStatus status;

  if (model == NULL)
    return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT, "model (the result pointer) is NULL");
  *model = NULL;
  if (geometry == NULL || profile == NULL)
    return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT, "%s is NULL", geometry == NULL ? "geometry" : "profile");
  if ((status = check_geometry (geometry, error)) != WSLFP_OK)
    return status;

  size_t S = geometry->n_sources, E = geometry->n_electrodes;
  size_t cols = population ? 1 : S;
  WslfpModel *m = calloc (1, sizeof *m);
  double *centers = malloc (S * 3 * sizeof (double));
  double *units = malloc (S * 3 * sizeof (double));
  double *lengths = malloc (S * sizeof (double));
  if (m == NULL || centers == NULL || units == NULL || lengths == NULL
      || (m->electrodes_um = malloc (E * 3 * sizeof (double))) == NULL
      || (m->centers_um = malloc (cols * 3 * sizeof (double))) == NULL
      || (m->orientations = malloc (cols * 3 * sizeof (double))) == NULL
      || (m->amplitude = wslfp_alloc_large (E * cols * sizeof (double))) == NULL)
    {
      free (centers);
      free (units);
      free (lengths);
      wslfp_model_free (m);
      return wslfp_fail (error, WSLFP_ERROR_NO_MEMORY, "out of memory for %zu electrodes × %zu sources", E, S);
    }
  pthread_mutex_init (&m->amplitude_f32_lock, NULL);
  m->n_electrodes = E;
  m->n_sources = S;
  m->n_columns = cols;
  m->population = population;
  memcpy (m->electrodes_um, geometry->electrodes_um, E * 3 * sizeof (double));

  for (size_t s = 0; s < S; s++)
    {
      double *u = units + 3 * s, *c = centers + 3 * s;
      const double *x = geometry->sources_um + 3 * s;
      unit_orientation (geometry, s, u);
      lengths[s] = dendrite_length (geometry, s);
      double half = geometry->coords == WSLFP_COORDS_SOMATA ? lengths[s] / 2.0 : 0.0;
      for (int k = 0; k < 3; k++)
        c[k] = x[k] + u[k] * half;
    }

  if (population)
    {
      double csum[3] = { 0 }, usum[3] = { 0 }, lsum = 0.0;
      for (size_t s = 0; s < S; s++)
        {
          for (int k = 0; k < 3; k++)
            {
              csum[k] += centers[3 * s + k];
              usum[k] += units[3 * s + k];
            }
          lsum += lengths[s];
        }
      double un = sqrt (usum[0] * usum[0] + usum[1] * usum[1] + usum[2] * usum[2]);
      if (!(un > 1e-12 * (double) S))
        {
          free (centers);
          free (units);
          free (lengths);
          wslfp_model_free (m);
          return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT,
                             "population mode: the orientations cancel out, so the population has no mean direction");
        }
      for (int k = 0; k < 3; k++)
        {
          m->centers_um[k] = csum[k] / (double) S;
          m->orientations[k] = usum[k] / un;
        }
      lengths[0] = lsum / (double) S;
    }
  else
    {
      memcpy (m->centers_um, centers, S * 3 * sizeof (double));
      memcpy (m->orientations, units, S * 3 * sizeof (double));
    }

  fill_amplitude (m, profile, lengths, n_threads);

  free (centers);
  free (units);
  free (lengths);
  *model = m;
  return wslfp_ok (error);
}

WslfpStatus
wslfp_model_new_from_amplitude (const double *amplitude_uv, size_t n_electrodes, size_t n_sources,
                                WslfpModel **model, WslfpError *error)
{
  WslfpStatus status;
  if (model == NULL)
    return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT, "model (the result pointer) is NULL");
  *model = NULL;
  if (n_electrodes == 0 || n_sources == 0)
    return wslfp_fail (error, WSLFP_ERROR_SHAPE, "the amplitude matrix is %zu × %zu: at least 1 × 1 is needed",
                       n_electrodes, n_sources);
  if (amplitude_uv == NULL)
    return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT, "amplitude_uv is NULL");
  if ((status = wslfp_check_count (n_electrodes * n_sources, sizeof (double), "n_electrodes * n_sources", error))
        != WSLFP_OK
      || (status = wslfp_check_finite (amplitude_uv, n_electrodes, n_sources, "amplitude_uv", error)) != WSLFP_OK)
    return status;
  WslfpModel *m = calloc (1, sizeof *m);
  if (m == NULL || (m->amplitude = malloc (n_electrodes * n_sources * sizeof (double))) == NULL)
    {
      wslfp_model_free (m);
      return wslfp_fail (error, WSLFP_ERROR_NO_MEMORY, "out of memory for a %zu × %zu amplitude matrix", n_electrodes,
                         n_sources);
    }
  pthread_mutex_init (&m->amplitude_f32_lock, NULL);
  m->n_electrodes = n_electrodes;
  m->n_sources = n_sources;
  m->n_columns = n_sources;
  memcpy (m->amplitude, amplitude_uv, n_electrodes * n_sources * sizeof (double));
  *model = m;
  return wslfp_ok (error);
}

size_t wslfp_model_get_n_electrodes (const WslfpModel *model) { return model->n_electrodes; }
size_t wslfp_model_get_n_sources (const WslfpModel *model) { return model->n_sources; }
size_t wslfp_model_get_n_columns (const WslfpModel *model) { return model->n_columns; }
bool wslfp_model_is_population (const WslfpModel *model) { return model->population; }
const double *wslfp_model_get_amplitude (const WslfpModel *model) { return model->amplitude; }

const float *
wslfp_model_amplitude_f32 (const WslfpModel *model)
{
  WslfpModel *m = (WslfpModel *) model; /* a cache: the model's value does not change */
  float *ready = __atomic_load_n (&m->amplitude_f32, __ATOMIC_ACQUIRE);
  if (ready != NULL)
    return ready;
  pthread_mutex_lock (&m->amplitude_f32_lock);
  float *f32 = m->amplitude_f32;
  if (f32 == NULL && (f32 = wslfp_alloc_large (m->n_electrodes * m->n_columns * sizeof (float))) != NULL)
    {
      for (size_t k = 0; k < m->n_electrodes * m->n_columns; k++)
        f32[k] = (float) m->amplitude[k];
      __atomic_store_n (&m->amplitude_f32, f32, __ATOMIC_RELEASE);
    }
  pthread_mutex_unlock (&m->amplitude_f32_lock);
  return f32;
}
const double *wslfp_model_get_centers (const WslfpModel *model) { return model->centers_um; }
const double *wslfp_model_get_orientations (const WslfpModel *model) { return model->orientations; }

void
wslfp_model_get_rd (const WslfpModel *model, size_t e, size_t column, double *r_um, double *d_um)
{
  if (model->centers_um == NULL)
    {
      *r_um = *d_um = NAN; /* a given amplitude matrix: no geometry */
      return;
    }
  point_rd (model->electrodes_um + 3 * e, model->centers_um + 3 * column,
            model->orientations + 3 * column, r_um, d_um);
}

void
wslfp_mean_abs_amplitude (const WslfpModel *model, double *scale)
{
  for (size_t e = 0; e < model->n_electrodes; e++)
    {
      double sum = 0.0;
      const double *row = model->amplitude + e * model->n_columns;
      for (size_t s = 0; s < model->n_columns; s++)
        sum += row[s];
      scale[e] = fabs (sum / (double) model->n_columns);
    }
}
