/* wslfp-cli-mpi.h: `wslfp compute` across the processes of an MPI launch
 * (mpirun, srun), when built with -Dmpi=enabled.  Without MPI, or started
 * without a launcher, the process is rank 0 of 1. */
#pragma once

#include "wslfp-dataset.h"
#include "wslfp-lfp.h"

G_BEGIN_DECLS

/* Whether an MPI launcher started this process (then `compute` runs in it,
 * not in an isolating child, since MPI belongs to the launched process). */
gboolean  wslfp_cli_mpi_launched (void);
void      wslfp_cli_mpi_init     (int *argc, char ***argv);
void      wslfp_cli_mpi_finalize (void);
int       wslfp_cli_mpi_rank     (void);
int       wslfp_cli_mpi_size     (void);

/* Runs @settings with the sources split across the ranks (each reads only
 * its columns, or builds only its sources' currents from the spikes), adds
 * the T × E partial sums up on rank 0 (MPI_Reduce in blocks of time) and
 * normalises there.  Rank 0 gets the LFP; the other ranks NULL and *@ok.
 * Every rank learns whether all succeeded: a failing rank's error is in
 * @error, the others get "rank N failed". */
WslfpLfp *wslfp_cli_mpi_job_run  (WslfpDataset *dataset, const WslfpJobSettings *settings, WslfpJobProgress progress,
                                  gpointer user_data, gboolean *ok, GError **error);

G_END_DECLS
