/* wslfp.h: libwslfp, the weighted-sum LFP proxy (WSLFP) engine.
 *
 * The WSLFP of Mazzoni, Lindén et al. 2015 (PLoS Comput Biol 11:e1004584)
 * estimates the LFP at each electrode contact as a weighted sum, over
 * pyramidal cells, of each cell's AMPA current delayed by tau_ampa minus
 * alpha times its GABA current delayed by tau_gaba.  The weights (the
 * amplitude matrix) come from an amplitude profile evaluated at where the
 * contact sits relative to each cell.
 *
 * Conventions: lengths in µm, times in ms, amplitudes in µV, currents in
 * whatever unit the caller uses (nA in our files).  Matrices are row-major
 * C arrays; rows are time wherever there is a time axis.  d, the coordinate
 * along a cell's orientation, is positive towards the apical end.
 *
 * The library is C11, depends on libm and CBLAS only, keeps no global state
 * and is reentrant: distinct handles may be used from distinct threads, and a
 * const handle (a model, a profile) may be shared between threads.  No entry
 * point aborts or exits on bad input: each returns a WslfpStatus and, when
 * given a WslfpError, fills it with a message that names the argument and
 * the index at fault.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define WSLFP_VERSION_STRING "0.1.0"

/* ---- Errors ---------------------------------------------------------- */

typedef enum
{
  WSLFP_OK = 0,
  WSLFP_ERROR_INVALID_ARGUMENT, /* NULL pointer, bad option value */
  WSLFP_ERROR_SHAPE,            /* sizes that do not agree, empty input */
  WSLFP_ERROR_NOT_FINITE,       /* NaN or infinity in the input */
  WSLFP_ERROR_NOT_INCREASING,   /* a time grid that is not strictly increasing */
  WSLFP_ERROR_INDEX,            /* an index outside its range */
  WSLFP_ERROR_OUT_OF_RANGE,     /* strict mode: a time outside the data */
  WSLFP_ERROR_NO_MEMORY,
  WSLFP_ERROR_CANCELLED,        /* the progress callback asked to stop */
  WSLFP_N_STATUS
} WslfpStatus;

#define WSLFP_ERROR_MESSAGE_SIZE 512

typedef struct
{
  WslfpStatus status;
  char        message[WSLFP_ERROR_MESSAGE_SIZE];
} WslfpError;

/* A short, static description of @status ("invalid argument", ...). */
const char *wslfp_strerror (WslfpStatus status);

/* Called between blocks of work with the fraction done (0..1).  Return
 * non-zero to stop: the call then fails with WSLFP_ERROR_CANCELLED. */
typedef int (*WslfpProgressFunc) (double fraction, void *user_data);

/* ---- Amplitude profiles ---------------------------------------------- */

typedef enum
{
  WSLFP_PROFILE_MAZZONI15,        /* population profile, Mazzoni 2015 Fig. 2B */
  WSLFP_PROFILE_MAZZONI15_SINGLE, /* 1.82849 · mazzoni15(1.31724 r, 1.22438 d) */
  WSLFP_PROFILE_AUSSEL18,         /* 0.021 · L cos θ / (4π σ dist²), σ = 0.3 S/m */
  WSLFP_PROFILE_CUSTOM            /* a user grid over (r, |d|), odd in d */
} WslfpProfileKind;

typedef struct _WslfpProfile WslfpProfile;

/* Creates a built-in profile.  Free with wslfp_profile_free().  The Mazzoni
 * profiles interpolate the Fig. 2B grid linearly on the Delaunay triangles
 * that the original Python package (SciPy) interpolates on. */
WslfpStatus       wslfp_profile_new           (WslfpProfileKind   kind,
                                               WslfpProfile     **profile,
                                               WslfpError        *error);
/* Parses "mazzoni15", "mazzoni15_single" or "aussel18". */
WslfpStatus       wslfp_profile_new_from_name (const char        *name,
                                               WslfpProfile     **profile,
                                               WslfpError        *error);
/* A custom profile g(r, |d|) on a rectangular grid: @r_um (n_r values) and
 * @d_um (n_d values) strictly increasing and >= 0, @amp_uv n_r × n_d
 * (row r, column d).  The profile is sign(d) · g(r, |d|), interpolated
 * bilinearly, 0 outside the grid.  The arrays are copied. */
WslfpStatus       wslfp_profile_new_custom    (const double      *r_um,
                                               size_t             n_r,
                                               const double      *d_um,
                                               size_t             n_d,
                                               const double      *amp_uv,
                                               WslfpProfile     **profile,
                                               WslfpError        *error);
/* A copy of @profile that lives on its own (for handing to another thread:
 * a profile is read-only once made, but has one owner). */
WslfpStatus       wslfp_profile_copy          (const WslfpProfile *profile,
                                               WslfpProfile     **copy,
                                               WslfpError        *error);
void              wslfp_profile_free          (WslfpProfile      *profile);
WslfpProfileKind  wslfp_profile_get_kind      (const WslfpProfile *profile);
/* "mazzoni15", "mazzoni15_single", "aussel18" or "custom". */
const char       *wslfp_profile_kind_to_string (WslfpProfileKind kind);
/* The amplitude (µV per unit current) at perpendicular distance @r_um >= 0
 * and signed axial distance @d_um from the dipole centre, for a cell with
 * apical dendrite length @length_um (used by aussel18 only). */
double            wslfp_profile_eval          (const WslfpProfile *profile,
                                               double             r_um,
                                               double             d_um,
                                               double             length_um);
/* wslfp_profile_eval() at @n points: out[i] = f(r_um[i], d_um[i],
 * length_um[i]).  Fails (naming the index) on a non-finite input or a
 * negative r. */
WslfpStatus       wslfp_profile_eval_many     (const WslfpProfile *profile,
                                               size_t             n,
                                               const double      *r_um,
                                               const double      *d_um,
                                               const double      *length_um,
                                               double            *out,
                                               WslfpError        *error);
/* The extent where the profile is defined by data (r in [0, r_max], |d| <=
 * d_max); for aussel18 a sensible plotting range. */
void              wslfp_profile_get_extent    (const WslfpProfile *profile,
                                               double            *r_max_um,
                                               double            *d_max_um);

/* ---- Geometry and the amplitude matrix -------------------------------- */

typedef enum
{
  WSLFP_COORDS_SOMATA,         /* sources_um are somata (default) */
  WSLFP_COORDS_DIPOLE_CENTERS  /* sources_um are dipole centres */
} WslfpCoords;

#define WSLFP_DEFAULT_DENDRITE_LENGTH_UM 250.0

/* Describes electrodes and sources.  Borrowed arrays; nothing is kept after
 * wslfp_model_new() returns.  Fill with wslfp_geometry_init() first. */
typedef struct
{
  const double *electrodes_um;      /* n_electrodes × 3 */
  size_t        n_electrodes;
  const double *sources_um;         /* n_sources × 3 */
  size_t        n_sources;
  WslfpCoords   coords;
  const double *orientation;        /* n_orientations × 3, soma → apex, any
                                       non-zero length; NULL: (0, 0, 1) */
  size_t        n_orientations;     /* 1 (shared) or n_sources */
  const double *dendrite_length_um; /* n_lengths values; NULL: 250 µm */
  size_t        n_lengths;          /* 1 (shared) or n_sources */
} WslfpGeometry;

void wslfp_geometry_init (WslfpGeometry *geometry);

typedef struct _WslfpModel WslfpModel;

/* Computes the amplitude matrix A (n_electrodes × n_columns) of @profile
 * for @geometry.  In population mode the sources are replaced by one source
 * at the centroid of the dipole centres, oriented along the normalised mean
 * of the unit orientations, with the mean dendrite length; n_columns is then
 * 1 and currents are summed over sources before interpolation. */
WslfpStatus   wslfp_model_new              (const WslfpGeometry *geometry,
                                            const WslfpProfile  *profile,
                                            bool                 population,
                                            WslfpModel         **model,
                                            WslfpError          *error);
/* As wslfp_model_new(), its amplitude matrix computed by @n_threads
 * threads (0: one per online processor; 1: the caller's only).  Each entry
 * is computed as by one thread: the same matrix, to the bit.  A matrix of
 * fewer than 65 536 entries, or a thread that cannot be started, is
 * computed on the caller's thread. */
WslfpStatus   wslfp_model_new_threaded     (const WslfpGeometry *geometry,
                                            const WslfpProfile  *profile,
                                            bool                 population,
                                            unsigned             n_threads,
                                            WslfpModel         **model,
                                            WslfpError          *error);
/* A model of a given amplitude matrix (n_electrodes × n_sources µV,
 * row-major, copied): for profiles computed elsewhere (a Python function, a
 * measured matrix).  It has no geometry: wslfp_model_get_centers() and
 * wslfp_model_get_orientations() return NULL and wslfp_model_get_rd() gives
 * NaN.  Fails (naming [e][s]) on a non-finite amplitude. */
WslfpStatus   wslfp_model_new_from_amplitude (const double  *amplitude_uv,
                                              size_t         n_electrodes,
                                              size_t         n_sources,
                                              WslfpModel   **model,
                                              WslfpError    *error);
void          wslfp_model_free             (WslfpModel          *model);
size_t        wslfp_model_get_n_electrodes (const WslfpModel   *model);
/* The number of sources the currents must have (the geometry's). */
size_t        wslfp_model_get_n_sources    (const WslfpModel   *model);
/* Columns of A: n_sources, or 1 in population mode. */
size_t        wslfp_model_get_n_columns    (const WslfpModel   *model);
bool          wslfp_model_is_population    (const WslfpModel   *model);
/* A, n_electrodes × n_columns, owned by the model. */
const double *wslfp_model_get_amplitude    (const WslfpModel   *model);
/* Dipole centres (n_columns × 3) and unit orientations (n_columns × 3). */
const double *wslfp_model_get_centers      (const WslfpModel   *model);
const double *wslfp_model_get_orientations (const WslfpModel   *model);
/* The (r, d) of electrode @e relative to column @column, in µm. */
void          wslfp_model_get_rd           (const WslfpModel   *model,
                                            size_t              e,
                                            size_t              column,
                                            double             *r_um,
                                            double             *d_um);

/* ---- Currents and the LFP --------------------------------------------- */

/* One synaptic current type on its own time grid.  @values holds rows
 * first_row .. first_row + n_rows - 1 of the full n_times × n_sources
 * matrix (rows are time), so a caller can pass a window of a larger file;
 * the rows a computation needs are given by wslfp_currents_rows_needed().
 * Set with wslfp_currents_init() (whole matrix) and adjust the window. */
typedef struct
{
  const double *t_ms;      /* n_times, strictly increasing */
  size_t        n_times;
  const double *values;    /* n_rows × n_sources */
  size_t        n_sources;
  size_t        first_row;
  size_t        n_rows;
} WslfpCurrents;

void wslfp_currents_init (WslfpCurrents *currents,
                          const double  *t_ms,
                          size_t         n_times,
                          const double  *values,
                          size_t         n_sources);

#define WSLFP_DEFAULT_ALPHA       1.65
#define WSLFP_DEFAULT_TAU_AMPA_MS 6.0
#define WSLFP_DEFAULT_TAU_GABA_MS 0.0

typedef struct
{
  double            alpha;       /* weight of GABA, default 1.65 */
  double            tau_ampa_ms; /* default 6 */
  double            tau_gaba_ms; /* default 0 */
  bool              normalize;   /* default true */
  bool              strict;      /* default false: outside the data is 0 */
  WslfpProgressFunc progress;    /* optional */
  void             *progress_data;
} WslfpOptions;

void wslfp_options_init (WslfpOptions *options);

/* Computes the LFP at the @n_eval times @t_eval_ms (any order) into @lfp
 * (n_eval × n_electrodes, caller-owned):
 *   raw(t, e) = Σ_s A(e,s) · [I_ampa(t − τ_ampa, s) − α · I_gaba(t − τ_gaba, s)]
 * with the currents interpolated by monotone PCHIP (SciPy's
 * PchipInterpolator).  Outside a current's time range the current is 0, or
 * in strict mode the call fails naming the needed and provided ranges.
 * Either current may be NULL (taken as 0).  With options->normalize, each
 * electrode's trace is then normalised (wslfp_normalize()).  On error @lfp
 * is left in an unspecified state. */
WslfpStatus wslfp_compute (const WslfpModel    *model,
                           const WslfpCurrents *ampa,
                           const WslfpCurrents *gaba,
                           const double        *t_eval_ms,
                           size_t               n_eval,
                           const WslfpOptions  *options,
                           double              *lfp,
                           WslfpError          *error);

/* The smallest window of rows [*first_row, *first_row + *n_rows) of a
 * current on grid @t_ms that evaluating it at t_eval_ms − @tau_ms needs
 * (PCHIP needs up to two neighbours each side).  *n_rows may be 0. */
WslfpStatus wslfp_currents_rows_needed (const double *t_ms,
                                        size_t        n_times,
                                        const double *t_eval_ms,
                                        size_t        n_eval,
                                        double        tau_ms,
                                        size_t       *first_row,
                                        size_t       *n_rows,
                                        WslfpError   *error);

/* Where each evaluation time t_eval_ms[i] − @tau_ms falls on the sample
 * grid @t_ms, as wslfp_compute() locates it (a time within rounding of a
 * sample is that sample): rows[i] = the sample's row; -1 when outside the
 * samples (the current counts as 0 there, or strict mode fails); -2 when
 * strictly between two samples (the current must be interpolated).  With
 * no -2, the LFP is linear in the rows it reads, so a caller can multiply
 * row blocks by A^T (wslfp_model_accumulate()) in any order and add the
 * products up: how `wslfp compute` streams compressed files. */
WslfpStatus wslfp_currents_sample_rows (const double *t_ms,
                                        size_t        n_times,
                                        const double *t_eval_ms,
                                        size_t        n_eval,
                                        double        tau_ms,
                                        int64_t      *rows,
                                        WslfpError   *error);

/* The element type of a block of currents. */
typedef enum
{
  WSLFP_FLOAT64,
  WSLFP_FLOAT32
} WslfpValueType;

/* How float32 data are multiplied: in single precision (sgemm, in panels
 * of at most 64 sources, each panel's product added up in double: the
 * result stays within 1e-6 of the peak of the double computation, about
 * 1e-7 on real recordings), or converted to double (the exact path).
 * Double data stay double. */
typedef enum
{
  WSLFP_PRECISION_AUTO,
  WSLFP_PRECISION_DOUBLE
} WslfpPrecision;

/* out (n_rows × n_electrodes) += block · A[:, first_source .. first_source
 * + n_cols)^T, where @block is n_rows × n_cols values of @type, row i at
 * block + i · @row_stride elements: a panel of rows of a currents matrix.
 * In population mode the panel's rows are summed over its sources first
 * (in double).  Non-finite values pass through (the caller checks out). */
WslfpStatus wslfp_model_accumulate (const WslfpModel *model,
                                    const void       *block,
                                    WslfpValueType    type,
                                    size_t            n_rows,
                                    size_t            n_cols,
                                    size_t            row_stride,
                                    size_t            first_source,
                                    WslfpPrecision    precision,
                                    double           *out,
                                    WslfpError       *error);

/* Normalises @lfp (n_times × n_electrodes) in place: per electrode, zero
 * mean and unit population standard deviation, times |mean over columns of
 * A(e, ·)|.  A trace with zero variance becomes 0; a single time point has
 * standard deviation 1.  @mean_out and @std_out (n_electrodes each, may be
 * NULL) receive the statistics used, for wslfp_normalize_with(). */
WslfpStatus wslfp_normalize      (const WslfpModel *model,
                                  double           *lfp,
                                  size_t            n_times,
                                  double           *mean_out,
                                  double           *std_out,
                                  WslfpError       *error);
/* The same with caller-given per-electrode @mean and @std (std 0 → 0). */
WslfpStatus wslfp_normalize_with (const WslfpModel *model,
                                  double           *lfp,
                                  size_t            n_times,
                                  const double     *mean,
                                  const double     *std,
                                  WslfpError       *error);

/* ---- Combined currents (moving electrodes) ---------------------------- */

/* The combined current I_ampa(t − τ_ampa) − α · I_gaba(t − τ_gaba) at each
 * evaluation time for each source (n_eval × n_sources; with @population
 * summed over sources, n_eval × 1).  It does not depend on the electrodes:
 * an application that moves a probe keeps it for the current settings and
 * pays only a new model (amplitude matrix) and one product per move.
 * Memory: n_eval × n_sources doubles (floats: wslfp_combined_new_single()). */
typedef struct _WslfpCombined WslfpCombined;

/* An empty handle for the @n_eval times @t_eval_ms (copied) and @options
 * (alpha, delays, strict, normalize; the progress callback is not kept). */
WslfpStatus   wslfp_combined_new         (size_t               n_sources,
                                          bool                 population,
                                          const double        *t_eval_ms,
                                          size_t               n_eval,
                                          const WslfpOptions  *options,
                                          WslfpCombined      **combined,
                                          WslfpError          *error);
/* Fills rows [@first_eval, @first_eval + @n_eval), in order from row 0,
 * from windows of the currents (as wslfp_compute() reads them: PCHIP,
 * zero or strict outside; either may be NULL). */
WslfpStatus   wslfp_combined_fill        (WslfpCombined       *combined,
                                          const WslfpCurrents *ampa,
                                          const WslfpCurrents *gaba,
                                          size_t               first_eval,
                                          size_t               n_eval,
                                          WslfpError          *error);
/* The same in single precision: half the memory (n_eval × n_sources
 * floats), for networks whose combined currents do not fit in double.  Its
 * products are wslfp_model_accumulate()'s for float32 data (panels of
 * sources in single precision, added up in double): an LFP within 1e-6 of
 * the double handle's peak.  wslfp_combined_get_values() is NULL for it. */
WslfpStatus   wslfp_combined_new_single  (size_t               n_sources,
                                          bool                 population,
                                          const double        *t_eval_ms,
                                          size_t               n_eval,
                                          const WslfpOptions  *options,
                                          WslfpCombined      **combined,
                                          WslfpError          *error);
void          wslfp_combined_free        (WslfpCombined       *combined);
size_t        wslfp_combined_get_n_times   (const WslfpCombined *combined);
size_t        wslfp_combined_get_n_columns (const WslfpCombined *combined);
const double *wslfp_combined_get_times     (const WslfpCombined *combined);
/* n_times × n_columns, owned by the handle (NULL for a single-precision
 * handle, whose values are wslfp_combined_get_values_single()'s). */
const double *wslfp_combined_get_values    (const WslfpCombined *combined);
const float  *wslfp_combined_get_values_single (const WslfpCombined *combined);
bool          wslfp_combined_is_single     (const WslfpCombined *combined);
/* The number of rows wslfp_combined_compute() writes for @stride:
 * ceil(n_times / stride). */
size_t        wslfp_combined_n_rows        (size_t n_times, size_t stride);
/* The LFP of @model at every @stride-th evaluation time (rows 0, stride,
 * 2·stride, …) into @lfp (wslfp_combined_n_rows() × n_electrodes).  With
 * stride 1 this is wslfp_compute() for the same inputs, to rounding; a
 * larger stride is a preview that costs 1/stride of it (normalised, when the
 * options ask for it, with the statistics of the rows it has).  The model
 * must have the handle's sources and population mode.  A filled handle is
 * read-only here and may be shared between threads. */
WslfpStatus   wslfp_combined_compute     (const WslfpCombined *combined,
                                          const WslfpModel    *model,
                                          size_t               stride,
                                          double              *lfp,
                                          WslfpError          *error);
/* The raw (unnormalised) product of rows [@first_row, @first_row + @n_rows)
 * of a stride-@stride computation, into the same rows of @lfp, so that
 * callers can share the rows between threads; then, if
 * wslfp_combined_normalizes(), wslfp_normalize() over all rows. */
WslfpStatus   wslfp_combined_product     (const WslfpCombined *combined,
                                          const WslfpModel    *model,
                                          size_t               stride,
                                          size_t               first_row,
                                          size_t               n_rows,
                                          double              *lfp,
                                          WslfpError          *error);
bool          wslfp_combined_normalizes  (const WslfpCombined *combined);

/* ---- Pooled sources (previews of large networks) ----------------------- */

/* Groups @n points (n × 3 µm) by the cube of side @voxel_um (a grid with a
 * corner at 0) each falls in: @group[i] (n values) is point i's group,
 * @centroids_um (room for n × 3; the first n_groups × 3 are written) each
 * group's mean point, *@n_groups their number.  Groups are numbered in the
 * order of their cubes (x, then y, then z index). */
WslfpStatus   wslfp_voxel_groups         (const double        *points_um,
                                          size_t               n,
                                          double               voxel_um,
                                          size_t              *group,
                                          double              *centroids_um,
                                          size_t              *n_groups,
                                          WslfpError          *error);
/* Combined currents of @n_groups pooled sources: column g is the sum of the
 * columns s of the filled handle @combined with @group[s] == g (in double,
 * kept in single precision), with its times and options.  A model of one
 * source per group at the group's centroid (wslfp_voxel_groups() of the
 * dipole centres) gives a preview whose cost grows with the groups, not the
 * sources: exact where the amplitude is the same across a group, close
 * where it changes little (far from the contacts). */
WslfpStatus   wslfp_combined_new_pooled  (const WslfpCombined *combined,
                                          const size_t        *group,
                                          size_t               n_groups,
                                          WslfpCombined      **pooled,
                                          WslfpError          *error);
/* The same pool made while the currents are read, for currents too big to
 * combine whole: an empty single-precision handle of @n_groups columns
 * whose wslfp_combined_fill() takes the currents of all @n_inputs sources
 * and adds each into column @group[s] (in double, as above).  Filled in
 * blocks it equals wslfp_combined_new_pooled() of the whole combined
 * currents, in n_eval × n_groups floats. */
/* Combined currents given as @rows (n_eval × @n_columns, combined and for
 * a pool summed by group elsewhere, e.g. by a reader of raw blocks that
 * multiplies them as it goes), kept in single precision with these times
 * and options.  A value that is not finite is refused, naming its place. */
WslfpStatus   wslfp_combined_new_from_rows (size_t             n_columns,
                                            const double      *t_eval_ms,
                                            size_t             n_eval,
                                            const WslfpOptions *options,
                                            const double      *rows,
                                            WslfpCombined    **combined,
                                            WslfpError        *error);
WslfpStatus   wslfp_combined_new_grouped (size_t               n_inputs,
                                          const size_t        *group,
                                          size_t               n_groups,
                                          const double        *t_eval_ms,
                                          size_t               n_eval,
                                          const WslfpOptions  *options,
                                          WslfpCombined      **combined,
                                          WslfpError          *error);

/* ---- Streaming (closed loop) ------------------------------------------ */

typedef struct _WslfpStream WslfpStream;

/* A stream takes currents one step (or block) at a time on a uniform grid
 * of step @dt_ms, both current types on the same grid, and returns the raw
 * LFP of those steps; the delay history lives in a ring buffer inside the
 * handle, and steps before the first one count as zero current.  Both
 * delays must be whole multiples of @dt_ms.  options->normalize and
 * options->strict are ignored: see wslfp_stream_set_normalization().
 * The stream copies what it needs from @model. */
WslfpStatus wslfp_stream_new               (const WslfpModel   *model,
                                            double              dt_ms,
                                            const WslfpOptions *options,
                                            WslfpStream       **stream,
                                            WslfpError         *error);
void        wslfp_stream_free              (WslfpStream        *stream);
/* Feeds @n_steps rows of @ampa and @gaba (n_steps × n_sources each; either
 * may be NULL for zero) and writes n_steps × n_electrodes into @lfp. */
WslfpStatus wslfp_stream_push              (WslfpStream        *stream,
                                            const double       *ampa,
                                            const double       *gaba,
                                            size_t              n_steps,
                                            double             *lfp,
                                            WslfpError         *error);
/* From now on normalise outputs with @mean and @std (n_electrodes each, as
 * wslfp_normalize_with()); NULL for both turns it off. */
WslfpStatus wslfp_stream_set_normalization (WslfpStream        *stream,
                                            const double       *mean,
                                            const double       *std,
                                            WslfpError         *error);
/* Forgets the history, as if newly created. */
void        wslfp_stream_reset             (WslfpStream        *stream);

/* ---- Spikes → synaptic currents --------------------------------------- */

typedef enum
{
  WSLFP_KERNEL_PEAK, /* scaled so that a spike of weight w peaks at w */
  WSLFP_KERNEL_ODE,  /* ds/dt = −s/τ_rise, dI/dt = (s − I)/τ_decay, s += w:
                        w · τ_rise/(τ_decay − τ_rise) · (e^{−t/τ_decay} − e^{−t/τ_rise}) */
  WSLFP_KERNEL_UNIT  /* w · (e^{−t/τ_decay} − e^{−t/τ_rise}) */
} WslfpKernelScale;

typedef enum
{
  WSLFP_WEIGHTS_CSR,    /* sparse n_pre × n_targets */
  WSLFP_WEIGHTS_DENSE,  /* n_pre × n_targets row-major */
  WSLFP_WEIGHTS_SCALAR  /* every presynaptic neuron onto every target */
} WslfpWeightsKind;

typedef struct
{
  const double     *t_ms;         /* n_spikes spike times, any order */
  const int64_t    *neuron;       /* n_spikes presynaptic indices < n_pre */
  size_t            n_spikes;
  size_t            n_pre;
  size_t            n_targets;
  WslfpWeightsKind  weights_kind;
  const int64_t    *indptr;       /* CSR: n_pre + 1 */
  const int64_t    *indices;      /* CSR: nnz target indices */
  const double     *data;         /* CSR: nnz weights */
  const double     *dense;        /* DENSE: n_pre × n_targets */
  double            scalar;       /* SCALAR */
  double            tau_rise_ms;  /* 0 < τ_rise < τ_decay */
  double            tau_decay_ms;
  double            delay_ms;     /* >= 0, added to every spike time */
  WslfpKernelScale  scale;
  double            window_ms;    /* > 0: a spike counts only while
                                     0 <= t − arrival < window_ms (a
                                     truncated kernel, as the original
                                     Python package's threshold); 0: never
                                     truncated */
  const double     *delays_ms;    /* CSR only: nnz per-connection delays
                                     (>= 0, finite), each added to delay_ms
                                     for the spikes it carries, or NULL
                                     (every connection delayed by delay_ms
                                     alone).  Any order within a row. */
} WslfpSpikes;

/* Defaults: no spikes, scalar weight 1, AMPA-like τ 0.4/2 ms, no delay,
 * WSLFP_KERNEL_ODE. */
void        wslfp_spikes_init        (WslfpSpikes       *spikes);
/* Computes the biexponential synaptic currents of the targets at the
 * @n_times strictly increasing times @t_ms into @currents (n_times ×
 * n_targets), exactly and event-driven: two decaying state variables per
 * target, O(n_times · n_targets + spikes · fan-out), spike arrivals between
 * samples handled exactly, no truncation. */
WslfpStatus wslfp_spikes_to_currents (const WslfpSpikes *spikes,
                                      const double      *t_ms,
                                      size_t             n_times,
                                      double            *currents,
                                      WslfpError        *error);

/* The width of an index array: NumPy and SciPy hand over int32 as often as
 * int64, and a closed loop cannot afford to convert a whole weight matrix
 * at every step. */
typedef enum
{
  WSLFP_INDEX_INT64,
  WSLFP_INDEX_INT32 /* the int64_t pointer is read as int32_t */
} WslfpIndexType;

/* The targets' currents at the one time @t_ms (n_targets into @currents):
 * what wslfp_spikes_to_currents() gives at that single time, for a closed
 * loop's step.  Only the spikes whose kernel is open at @t_ms are read,
 * found by bisection, so @spikes->t_ms must be sorted (a loop's record of
 * every spike so far is; unsorted or non-finite times are an error), and
 * only their rows of the weights, each index checked as it is read: with a
 * window, O(n_spikes) comparisons and O(open spikes × fan-out) arithmetic.
 * @neuron_type and @csr_type give the width of spikes->neuron and of
 * indptr/indices.  Not with per-connection delays (delays_ms).  On error
 * @currents holds no result. */
WslfpStatus wslfp_spikes_at          (const WslfpSpikes *spikes,
                                      WslfpIndexType     neuron_type,
                                      WslfpIndexType     csr_type,
                                      double             t_ms,
                                      double            *currents,
                                      WslfpError        *error);

/* The same currents a block of rows at a time, for when n_times ×
 * n_targets does not fit in memory: the handle keeps the two state
 * variables per target and the sorted arrivals.  Each call continues where
 * the last one stopped; filling a grid in blocks gives the same numbers as
 * wslfp_spikes_to_currents() on the whole grid.  The handle copies the spike
 * times but borrows the weights (indptr, indices, data, dense), which must
 * outlive it.  A handle is used by one thread at a time. */
typedef struct _WslfpSpikeCurrents WslfpSpikeCurrents;

WslfpStatus wslfp_spike_currents_new  (const WslfpSpikes   *spikes,
                                       WslfpSpikeCurrents **out,
                                       WslfpError          *error);
/* Fills @currents (n_times × n_targets) at the strictly increasing @t_ms,
 * all after the last time of the previous call; on error nothing changes. */
WslfpStatus wslfp_spike_currents_next (WslfpSpikeCurrents  *gen,
                                       const double        *t_ms,
                                       size_t               n_times,
                                       double              *currents,
                                       WslfpError          *error);
void        wslfp_spike_currents_free (WslfpSpikeCurrents  *gen);

/* ---- TKLFP: the kernel LFP of Teleńczuk et al. 2020 -------------------
 *
 * From spikes alone: a spike of cell n at t_s adds, at contact e,
 * A0_type(h) · e^{−dist/λ} · e^{−(t − t_s − δ)² / (2σ_type²)}, δ = d_ms +
 * dist / v_a, dist = ‖e − p_n‖ (mm), h the projection of e − p_n on the
 * cell's unit orientation; A0_exc and A0_inh are the depth profiles of the
 * paper's Fig. 5 as the tklfp package (kjohnsen/tklfp) interpolates them.
 * The numbers equal that package's TKLFP.compute. */

typedef struct
{
  double va_m_s;       /* axonal velocity (0.2 m/s) */
  double lambda_mm;    /* space constant (0.2 mm) */
  double sigma_inh_ms; /* temporal spread of inhibitory uLFPs (2.1 ms) */
  double sigma_exc_ms; /* of excitatory ones (1.5 · 2.1 ms) */
  double delay_ms;     /* constant delay (10.4 ms) */
} WslfpTklfpParams;

/* The 2020 paper's parameters (tklfp's params2020). */
void        wslfp_tklfp_params_init (WslfpTklfpParams *params);
/* A0 (µV) of an excitatory or inhibitory cell at depth @h_mm (0 outside
 * the profile); _many: at @n depths into @a0_uv. */
double      wslfp_tklfp_a0          (bool excitatory, double h_mm);
void        wslfp_tklfp_a0_many     (bool excitatory, size_t n, const double *h_mm, double *a0_uv);

/* Per contact × cell amplitudes and delays, computed once per placement. */
typedef struct _WslfpTklfp WslfpTklfp;

/* @cells_mm n_cells × 3, @excitatory n_cells flags, @orientation
 * n_orientations (1 or n_cells) × 3 (any non-zero length, "up" towards the
 * cortical surface), @electrodes_mm n_electrodes × 3. */
WslfpStatus wslfp_tklfp_new         (const double           *cells_mm,
                                     size_t                  n_cells,
                                     const bool             *excitatory,
                                     const double           *orientation,
                                     size_t                  n_orientations,
                                     const double           *electrodes_mm,
                                     size_t                  n_electrodes,
                                     const WslfpTklfpParams *params,
                                     WslfpTklfp            **tklfp,
                                     WslfpError             *error);
/* From amplitudes and delays computed elsewhere (n_electrodes × n_cells,
 * row-major; a depth profile of one's own) and each cell's σ (ms). */
WslfpStatus wslfp_tklfp_new_from_amplitude (const double  *amplitude_uv,
                                            const double  *delay_ms,
                                            const double  *sigma_ms,
                                            size_t         n_electrodes,
                                            size_t         n_cells,
                                            WslfpTklfp   **tklfp,
                                            WslfpError    *error);
void        wslfp_tklfp_free        (WslfpTklfp             *tklfp);
size_t      wslfp_tklfp_get_n_electrodes (const WslfpTklfp *tklfp);
size_t      wslfp_tklfp_get_n_cells      (const WslfpTklfp *tklfp);
/* n_electrodes × n_cells, row-major: A0 · e^{−dist/λ} (µV) and δ (ms). */
const double *wslfp_tklfp_get_amplitude (const WslfpTklfp *tklfp);
const double *wslfp_tklfp_get_delay     (const WslfpTklfp *tklfp);

/* The LFP (n_times × n_electrodes, µV) at @t_ms (any order) of the spikes
 * (@t_spikes_ms, @cells: n_spikes, any order): the sum over every spike,
 * each uLFP read where it differs from 0 by more than e^{−40} of its peak
 * (no truncation that the sum could see at 1e-12 of it). */
WslfpStatus wslfp_tklfp_compute     (const WslfpTklfp       *tklfp,
                                     const double           *t_spikes_ms,
                                     const int64_t          *cells,
                                     size_t                  n_spikes,
                                     const double           *t_ms,
                                     size_t                  n_times,
                                     double                 *lfp,
                                     WslfpError             *error);
/* The shortest window (ms after a spike) that holds every uLFP while it is
 * above @threshold_uv (tklfp's compute_min_window_ms); 0 when none ever is. */
double      wslfp_tklfp_min_window_ms (const WslfpTklfp *tklfp,
                                       double            threshold_uv);

/* A closed loop's TKLFP, a step at a time on the grid t0 + k·dt: each step
 * takes the spikes since the last one (any times, also ones already past)
 * and gives the LFP (n_electrodes, µV) at that step's time of every spike
 * given so far, as wslfp_tklfp_compute() with those spikes at that one time
 * (to 1e-12 of it).  @tklfp is borrowed: it must outlive the stream.  The
 * cost per step is the live spikes (those whose uLFPs have not passed) ×
 * contacts × a few multiplications. */
typedef struct _WslfpTklfpStream WslfpTklfpStream;

WslfpStatus wslfp_tklfp_stream_new  (const WslfpTklfp  *tklfp,
                                     double             t0_ms,
                                     double             dt_ms,
                                     WslfpTklfpStream **stream,
                                     WslfpError        *error);
WslfpStatus wslfp_tklfp_stream_step (WslfpTklfpStream *stream,
                                     const int64_t    *cells,
                                     const double     *t_spikes_ms,
                                     size_t            n_spikes,
                                     double           *lfp,
                                     WslfpError       *error);
/* The time of the next step's LFP. */
double      wslfp_tklfp_stream_get_time (const WslfpTklfpStream *stream);
void        wslfp_tklfp_stream_free (WslfpTklfpStream *stream);

#ifdef __cplusplus
}
#endif
