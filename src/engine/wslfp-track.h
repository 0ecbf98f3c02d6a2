/* wslfp-track.h: one current type prepared for evaluation at arbitrary
 * times: locating a time on the sample grid (with rounding tolerance) and
 * monotone PCHIP interpolation identical to SciPy's PchipInterpolator. */
#pragma once

#include "wslfp-private.h"

typedef enum
{
  WSLFP_LOC_ZERO,     /* outside the data (or no data): current is 0 */
  WSLFP_LOC_SAMPLE,   /* on sample k (within the rounding tolerance) */
  WSLFP_LOC_INTERVAL  /* strictly inside (t_k, t_k+1), x = t − t_k */
} WslfpLocKind;

typedef struct
{
  WslfpLocKind kind;
  bool outside;  /* ZERO because the time is outside the sample range */
  size_t k;
  double x;
} WslfpLoc;

typedef struct
{
  const char *name;      /* "ampa" or "gaba", for messages */
  bool present;          /* false: no current given, zero everywhere */
  const double *t;       /* n full grid */
  size_t n;
  const double *values;  /* window rows × cols */
  size_t first_row;
  size_t n_rows;
  size_t cols;
  /* What the caller passed, for error messages (population sums differ). */
  const double *input_values;
  size_t input_cols;
  double *owned;         /* population sums */
  /* For interval cached_k: PCHIP slopes at its two ends (dk, dk1), its
   * secant (mk) and the next interval's secant (mnext), cols each; four
   * quarters of one allocation that swap roles as the interval advances,
   * so stepping to the next interval costs one secant and one slope. */
  double *slopes;
  double *dk;
  double *dk1;
  double *mk;
  double *mnext;
  size_t cached_k;
  bool have_cache;
  size_t hint;
} WslfpTrack;

/* Prepares @track from @currents (NULL: no current).  With @sum_sources the
 * rows are summed over sources first (population mode).  Validates the
 * currents against @n_sources. */
WslfpStatus wslfp_track_init (WslfpTrack *track, const char *name, const WslfpCurrents *currents,
                              size_t n_sources, bool sum_sources, WslfpError *error);
void wslfp_track_clear (WslfpTrack *track);

/* Where time @t falls on the grid. */
WslfpLoc wslfp_track_locate (WslfpTrack *track, double t);

/* Rows [*lo, *hi] of the full grid that evaluating at @loc reads; false if none. */
bool wslfp_track_rows_for (const WslfpTrack *track, const WslfpLoc *loc, size_t *lo, size_t *hi);

/* The values of full-grid sample @k (which must be in the window). */
static inline const double *
wslfp_track_row (const WslfpTrack *track, size_t k)
{
  return track->values + (k - track->first_row) * track->cols;
}

/* dst = scale · I(loc) (or dst += with @accumulate), cols values. */
void wslfp_track_eval (WslfpTrack *track, const WslfpLoc *loc, double scale, bool accumulate, double *dst);

/* The combined current I_ampa(t − τ_ampa) − α I_gaba(t − τ_gaba) of both
 * tracks at given evaluation times, a block of rows at a time: what
 * wslfp_compute() multiplies by A^T and what a WslfpCombined keeps. */
typedef struct
{
  WslfpTrack ampa;
  WslfpTrack gaba;
  size_t cols;               /* n_sources, or 1 in population mode */
  const WslfpOptions *options;
  const double *t_eval;
  size_t n_eval;
} WslfpGather;

WslfpStatus wslfp_gather_init  (WslfpGather *gather, const WslfpCurrents *ampa, const WslfpCurrents *gaba,
                                size_t n_sources, bool population, const double *t_eval_ms, size_t n_eval,
                                const WslfpOptions *options, WslfpError *error);
/* Fills @block (n × cols) with the combined current at t_eval[i0 .. i0 + n);
 * checks strict ranges, the caller's row windows and finiteness. */
WslfpStatus wslfp_gather_rows  (WslfpGather *gather, size_t i0, size_t n, double *block, WslfpError *error);
void        wslfp_gather_clear (WslfpGather *gather);

/* Fails unless alpha and the delays are finite. */
WslfpStatus wslfp_check_options (const WslfpOptions *options, WslfpError *error);
