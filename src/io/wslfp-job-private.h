/* wslfp-job-private.h: what the job's files share (wslfp-job.c, the TKLFP
 * job in wslfp-job-tklfp.c). */
#pragma once

#include "wslfp-lfp.h"

G_BEGIN_DECLS

/* The evaluation times of @s for @dataset: --t-eval, the run's, the
 * currents' samples, or 0.1 ms steps over the spikes. */
double   *wslfp_job_eval_times (const WslfpDataset *dataset, const WslfpJobSettings *s, gsize *n, GError **error);
/* The LFP record around @uv (n_eval × E, taken) and @t_ms (taken) with the
 * settings that made it. */
WslfpLfp *wslfp_job_lfp_new    (const WslfpDataset *dataset, const WslfpJobSettings *s, double *t_ms, gsize n_eval,
                                double *uv, gsize E);

G_END_DECLS
