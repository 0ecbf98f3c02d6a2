/* wslfp-analysis.h: what the teaching figures compute from an LFP: the
 * current-source density along a shank, and power spectra by Welch's
 * method (FFTW3).  Numbers only; the figures draw them. */
#pragma once

#include <glib.h>

#include "wslfp-plot.h"

G_BEGIN_DECLS

/* The extracellular conductivity the CSD assumes (S/m), as the proxy's
 * amplitude profiles do. */
#define WSLFP_CSD_SIGMA_S_PER_M 0.3

/* ---- current-source density ---- */

/* The CSD of one shank, −σ ∂²φ/∂z² by the second difference of the
 * potential between neighbouring depths.
 *
 * @uv is the LFP (n_times × n_electrodes, row-major, µV) and @contacts the
 * shank's columns in it.  Contacts at one depth (within 0.5 µm, e.g. the
 * two columns of a Neuropixels shank) are averaged into one.  The depths
 * must be at least three and evenly spaced (each step within 1 % of the
 * first): the second difference of unevenly spaced samples is a different
 * estimate, so such a shank is refused with a message saying why.  The end
 * contacts use Vaknin padding (the potential above the top contact and
 * below the bottom one taken equal to theirs), so every depth has a value.
 *
 * On success *@z_um (n_depths, ascending) and *@csd (n_times × n_depths,
 * µA/mm³; negative = sink) are newly allocated. */
gboolean wslfp_csd_compute (const double *uv, gsize n_times, gsize n_electrodes, const double *electrodes_um,
                            const gsize *contacts, gsize n_contacts, double sigma_s_per_m, gsize *n_depths,
                            double **z_um, double **csd, GError **error);

/* ---- power spectra ---- */

/* Welch's estimate with a periodic Hann window, 50 % overlap and each
 * segment's mean removed, scaled as a one-sided density (µV²/Hz for µV
 * input, so that its sum times the frequency step is the signal's mean
 * power), averaged over segments. */
typedef struct _WslfpWelch WslfpWelch;

/* The segment length for @n samples: the largest power of two giving at
 * least 8 half-overlapping segments (and at least 8 samples), or @n itself
 * below 36 samples (one segment). */
gsize wslfp_welch_segment_length (gsize n);

/* A Welch estimator for segments of @segment samples at @fs_hz.  FFTW's
 * planner is serialised here, so any thread may call this. */
WslfpWelch *wslfp_welch_new (gsize segment, double fs_hz);
void        wslfp_welch_free (WslfpWelch *welch);
/* segment / 2 + 1 frequencies, k · fs / segment. */
gsize       wslfp_welch_n_freqs (const WslfpWelch *welch);
double      wslfp_welch_df_hz (const WslfpWelch *welch);
/* The PSD of @n samples @x[0], @x[stride], … into @psd (n_freqs values).
 * @n must be at least the segment length; the samples past the last whole
 * segment are not used. */
void        wslfp_welch_run (WslfpWelch *welch, const double *x, gsize n, gsize stride, double *psd);

/* The sampling rate of @t_ms in Hz, if its steps are even (within 1e-6 of
 * a step); FALSE, with a message naming the first uneven step, if not. */
gboolean wslfp_sampling_rate (const double *t_ms, gsize n_times, double *fs_hz, GError **error);

/* ---- the figures' data ---- */

/* The CSD of each panel (shank) of @lfp, as traces at the shanks' depths
 * (to draw as colour maps), in @unit: A/mm³ with the SI prefix (f … m)
 * that puts the colour scale's limit in 1 … 1000, so that no tick needs
 * a power of ten.  Shanks it cannot be computed for
 * are left out; @left_out then says which and why ("shank 2: …", one per
 * line).  FALSE, with all the reasons, when no shank is left. */
typedef struct
{
  WslfpTraces traces;
  double *values, *xyz_um;
  int *panel;
  int ids[64];
  char *left_out;  /* NULL when none */
  char unit[16];   /* e.g. "nA/mm³" */
} WslfpCsdFigure;

gboolean wslfp_csd_figure_init  (WslfpCsdFigure *figure, const WslfpTraces *lfp, GError **error);
void     wslfp_csd_figure_clear (WslfpCsdFigure *figure);

/* The Welch spectrum of each contact of @lfp over the samples in
 * [@t0_ms, @t1_ms] (all when t1 ≤ t0), with the segment it used.  FALSE
 * when the times are uneven or too few (at least 8 samples). */
typedef struct
{
  WslfpSpectra spectra;
  double *f_hz, *psd;
  gsize segment;
  double fs_hz;
} WslfpPsdFigure;

gboolean wslfp_psd_figure_init  (WslfpPsdFigure *figure, const WslfpTraces *lfp, double t0_ms, double t1_ms,
                                 GError **error);
void     wslfp_psd_figure_clear (WslfpPsdFigure *figure);

G_END_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WslfpWelch, wslfp_welch_free)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (WslfpCsdFigure, wslfp_csd_figure_clear)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (WslfpPsdFigure, wslfp_psd_figure_clear)
