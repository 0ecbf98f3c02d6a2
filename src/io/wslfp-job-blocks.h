/* wslfp-job-blocks.h: wslfp_job_run()'s path for currents sampled where
 * the proxy reads them: blocks of rows multiplied on worker threads. */
#pragma once

#include "wslfp-lfp.h"
#include "wslfp-spill.h"

G_BEGIN_DECLS

/* The raw LFP (n_eval × E, not normalised) into @out.  *@applicable FALSE
 * (and TRUE returned) when some evaluation time needs interpolation, or in
 * strict mode falls outside the samples, or the rows read are sparse:
 * then the caller takes the general path. */
gboolean wslfp_job_blocks_run (const WslfpDataset *dataset, const WslfpModel *model, const WslfpJobSettings *settings,
                               const double *t_eval, gsize n_eval, double *out, WslfpJobProgress progress,
                               gpointer user_data, gboolean *applicable, GError **error);

/* Where the same pass also pools the combined currents: source s into
 * column @group[s] of @out (n_eval × @n_groups), as the LFP's rows are
 * summed (AMPA minus α GABA at their delays); and, with a @spill, adds
 * the combined currents (all of them, ungrouped) into it.  A spill that
 * cannot be written (a full disk) does not stop the pass: @spill_failed is
 * set and the spill is left incomplete. */
typedef struct
{
  const gsize *group;
  gsize n_groups;
  double *out;
  WslfpSpill *spill;
  gint spill_failed;
} WslfpBlocksPool;

/* The same, added into @out, with the pooled combined currents (@pool, or
 * NULL) added into @pool->out.  @model is of every source, or of the
 * settings' part (source_first, source_count) only. */
gboolean wslfp_job_blocks_run_pooling (const WslfpDataset *dataset, const WslfpModel *model,
                                       const WslfpJobSettings *settings, const double *t_eval, gsize n_eval,
                                       double *out, WslfpBlocksPool *pool, WslfpJobProgress progress,
                                       gpointer user_data, gboolean *applicable, GError **error);

G_END_DECLS
