/* wslfp-job-private.h: what the job's files share (wslfp-job.c, the TKLFP
 * job in wslfp-job-tklfp.c). */
#pragma once

#include "wslfp-lfp.h"
#include "wslfp-spill.h"

G_BEGIN_DECLS

/* The evaluation times of @s for @dataset: --t-eval, the run's, the
 * currents' samples, or 0.1 ms steps over the spikes. */
double   *wslfp_job_eval_times (const WslfpDataset *dataset, const WslfpJobSettings *s, gsize *n, GError **error);
/* The LFP record around @uv (n_eval × E, taken) and @t_ms (taken) with the
 * settings that made it. */
WslfpLfp *wslfp_job_lfp_new    (const WslfpDataset *dataset, const WslfpJobSettings *s, double *t_ms, gsize n_eval,
                                double *uv, gsize E);

/* The model of sources [first, first + count) only (count 0: all), for the
 * settings' electrodes, dendrite length and profile, on s->n_threads. */
WslfpModel *wslfp_job_model_of (const WslfpDataset *dataset, const WslfpJobSettings *s, gsize first, gsize count,
                                GError **error);
/* The same of the @count sources @columns, in that order. */
WslfpModel *wslfp_job_model_of_columns (const WslfpDataset *dataset, const WslfpJobSettings *s,
                                        const guint32 *columns, gsize count, GError **error);
/* Normalises @uv (n_eval × E) as wslfp_normalize() does with a model whose
 * mean amplitudes over the sources are @mean_amp (E). */
gboolean  wslfp_job_normalize_by_mean_amplitude (const WslfpDataset *dataset, double *uv, gsize n_eval,
                                                 const double *mean_amp, gsize E, GError **error);
/* wslfp_job_run_combined()'s exact LFP (stride 1) of single-precision
 * combined currents of every source, by blocks of sources: for a large
 * amplitude matrix, never made whole. */
WslfpLfp *wslfp_job_run_combined_by_blocks (const WslfpDataset *dataset, const WslfpJobSettings *s,
                                            const WslfpCombined *combined, guint n_threads,
                                            WslfpJobProgress progress, gpointer user_data, GError **error);
/* The pool's spilled combined currents, or NULL. */
const WslfpSpill *wslfp_job_pool_get_spill (const WslfpJobPool *pool);

G_END_DECLS
