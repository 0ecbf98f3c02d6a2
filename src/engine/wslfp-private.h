/* wslfp-private.h: helpers shared inside libwslfp; not installed. */
#pragma once

#include "wslfp.h"

#include <math.h>
#include <stdarg.h>

#define WSLFP_MAZZONI15_N_R 9
#define WSLFP_MAZZONI15_N_D 50

extern const double wslfp_mazzoni15_r_um[WSLFP_MAZZONI15_N_R];
extern const double wslfp_mazzoni15_d_um[WSLFP_MAZZONI15_N_D];
extern const double wslfp_mazzoni15_amp_uv[WSLFP_MAZZONI15_N_R * WSLFP_MAZZONI15_N_D];
extern const unsigned char wslfp_mazzoni15_diagonal[(WSLFP_MAZZONI15_N_R - 1) * (WSLFP_MAZZONI15_N_D - 1)];

/* A TKLFP depth profile A0(h): a cubic B-spline (knots t, n coefficients
 * c), 0 outside [h_min, h_max] (wslfp-tklfp-profiles.c, generated). */
#define WSLFP_TKLFP_MAX_COEFFS 64
typedef struct
{
  double h_min, h_max;
  size_t n;
  double t[WSLFP_TKLFP_MAX_COEFFS + 4];
  double c[WSLFP_TKLFP_MAX_COEFFS];
} WslfpTklfpProfile;

extern const WslfpTklfpProfile wslfp_tklfp_exc_profile;
extern const WslfpTklfpProfile wslfp_tklfp_inh_profile;

/* Where a Gaussian uLFP is read: (t − peak)² / (2σ²) ≤ 40, beyond which a
 * term is below 4.3e-18 of its peak (the sum cannot see it at 1e-12). */
#define WSLFP_TKLFP_REACH 40.0
/* Each cell's 2σ² (ms²). */
const double *wslfp_tklfp_two_sigma2 (const WslfpTklfp *tklfp);

/* wslfp_profile_eval() of @n points into @out: the amplitude matrix's
 * inner loop (one call a run of sources, the profile's code inlined). */
void wslfp_profile_eval_row (const WslfpProfile *profile, size_t n, const double *r_um, const double *d_um,
                             const double *length_um, double *out);

/* Whether @profile is exactly 0 wherever r > *r_max_um or |d| > *d_max_um
 * (its grid's extent: the grid profiles); FALSE for a profile that reaches
 * everywhere (aussel18). */
bool wslfp_profile_support (const WslfpProfile *profile, double *r_max_um, double *d_max_um);

/* malloc() for arrays of many MB that are written once, whole (amplitude
 * matrices): on huge pages where the system gives them on request, which
 * costs one page fault per 2 MB instead of per 4 KB (in a virtual machine
 * the faults were a third of an amplitude matrix's time).  Free with free(). */
void *wslfp_alloc_large (size_t bytes);

/* Sets @error (if not NULL) and returns @status. */
WslfpStatus wslfp_fail (WslfpError *error, WslfpStatus status, const char *format, ...)
  __attribute__ ((format (printf, 3, 4)));

/* Clears @error to WSLFP_OK and returns WSLFP_OK. */
WslfpStatus wslfp_ok (WslfpError *error);

/* Fails unless the @n × @cols matrix @values (name @what) is finite; the
 * message names the row and column of the first bad value. */
WslfpStatus wslfp_check_finite (const double *values, size_t n, size_t cols,
                                const char *what, WslfpError *error);

/* Fails unless @t (name @what, @n values) is finite and strictly increasing. */
WslfpStatus wslfp_check_times (const double *t, size_t n, const char *what,
                               WslfpError *error);

/* Fails when @n elements of @size bytes cannot be allocated: catches counts
 * that came from negative numbers. */
WslfpStatus wslfp_check_count (size_t n, size_t size, const char *what,
                               WslfpError *error);

/* Rows of the temporary current block per BLAS call for @cols columns. */
size_t wslfp_block_rows (size_t cols, size_t n_rows);

/* lfp (n × E) = block (n × cols) · A^T, with A E × cols. */
void wslfp_block_times_amplitude (const double *block, size_t n, size_t cols,
                                  const double *amplitude, size_t n_electrodes,
                                  double *lfp);

/* Checks caller-given per-electrode normalisation statistics. */
WslfpStatus wslfp_check_normalization (const double *mean, const double *std, size_t n_electrodes,
                                       WslfpError *error);

/* The mean of A(e, ·) over columns, |·|, for each electrode. */
void wslfp_mean_abs_amplitude (const WslfpModel *model, double *scale);

/* A in single precision (E × n_columns), made on first use; NULL if out
 * of memory.  Safe to call from several threads. */
const float *wslfp_model_amplitude_f32 (const WslfpModel *model);
