/* wslfp-cli-mpi.c: splitting `wslfp compute` across MPI ranks.
 *
 * The LFP is a sum over sources, so each rank computes the raw sum over a
 * contiguous range of sources (cut at chunk boundaries, so that no chunk
 * is inflated twice), and rank 0 adds the ranges up, normalises and
 * writes.  Every rank opens the file and builds the whole amplitude
 * matrix (cheap next to the currents); only the currents are split. */
#include "config.h"
#include "wslfp-cli-mpi.h"

#include <stdlib.h>

#include "wslfp-rows.h"

#ifdef HAVE_MPI
#include <mpi.h>

/* Doubles per MPI_Reduce: the partial sums go to rank 0 in blocks of time
 * rows, so that the receive buffer stays small. */
#define REDUCE_DOUBLES (1u << 20)

static gboolean initialised;

gboolean
wslfp_cli_mpi_launched (void)
{
  return g_getenv ("OMPI_COMM_WORLD_SIZE") != NULL || g_getenv ("PMIX_RANK") != NULL
         || g_getenv ("PMI_RANK") != NULL;
}

void
wslfp_cli_mpi_init (int *argc, char ***argv)
{
  int provided;
  /* Funneled: our worker threads never call MPI. */
  MPI_Init_thread (argc, argv, MPI_THREAD_FUNNELED, &provided);
  initialised = TRUE;
}

void
wslfp_cli_mpi_finalize (void)
{
  if (initialised)
    MPI_Finalize ();
  initialised = FALSE;
}

int
wslfp_cli_mpi_rank (void)
{
  int rank = 0;
  if (initialised)
    MPI_Comm_rank (MPI_COMM_WORLD, &rank);
  return rank;
}

int
wslfp_cli_mpi_size (void)
{
  int size = 1;
  if (initialised)
    MPI_Comm_size (MPI_COMM_WORLD, &size);
  return size;
}

/* Rank @rank's sources of @S: an even share, its ends moved to multiples
 * of @align when there are enough aligned pieces to go round. */
static void
rank_sources (gsize S, gsize align, int rank, int size, gsize *first, gsize *count)
{
  gsize pieces = (S + align - 1) / align;
  if (pieces < (gsize) size)
    align = 1, pieces = S;
  gsize lo = MIN (pieces * rank / size * align, S), hi = MIN (pieces * (rank + 1) / size * align, S);
  *first = lo;
  *count = hi - lo;
}

/* Rank 0 says once how the sources were shared out. */
static void
report_split (const WslfpJobSettings *s, int rank, int size)
{
  unsigned long mine[2] = { s->source_first, s->source_first + s->source_count };
  g_autofree unsigned long *all = rank == 0 ? g_new (unsigned long, 2 * size) : NULL;
  MPI_Gather (mine, 2, MPI_UNSIGNED_LONG, all, 2, MPI_UNSIGNED_LONG, 0, MPI_COMM_WORLD);
  if (rank != 0)
    return;
  g_autoptr (GString) line = g_string_new (NULL);
  g_string_printf (line, "wslfp compute: %d MPI ranks, sources", size);
  for (int r = 0; r < size; r++)
    g_string_append_printf (line, " [%lu, %lu)", all[2 * r], all[2 * r + 1]);
  g_printerr ("%s\n", line->str);
}

WslfpLfp *
wslfp_cli_mpi_job_run (WslfpDataset *ds, const WslfpJobSettings *settings, WslfpJobProgress progress,
                       gpointer user_data, gboolean *ok, GError **error)
{
  int rank = wslfp_cli_mpi_rank (), size = wslfp_cli_mpi_size ();
  WslfpJobSettings s = *settings;
  gsize align = s.from_spikes ? 1 : wslfp_dataset_chunk_columns (ds, WSLFP_CURRENT_AMPA);
  rank_sources (ds->n_sources, align, rank, size, &s.source_first, &s.source_count);
  report_split (&s, rank, size);
  WslfpLfp *part = NULL;
  if (s.source_count > 0)
    part = wslfp_job_run (ds, &s, progress, user_data, error);
  else
    {
      /* More ranks than sources: this one adds nothing, but still needs the
       * shape of the result; the sum over no sources is 0. */
      s.source_first = 0;
      s.source_count = 1;
      part = wslfp_job_run (ds, &s, NULL, NULL, error);
      if (part != NULL)
        memset (part->uv, 0, part->n_times * part->n_electrodes * sizeof (double));
    }

  /* Everyone learns who failed (the lowest failing rank is named). */
  int mine = part != NULL ? size : rank, first_failed = size;
  MPI_Allreduce (&mine, &first_failed, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
  if (first_failed < size)
    {
      if (part != NULL)
        {
          g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_ENGINE, "rank %d of %d failed", first_failed, size);
          wslfp_lfp_free (part);
        }
      *ok = FALSE;
      return NULL;
    }

  gsize n = part->n_times * part->n_electrodes;
  double *sum = rank == 0 ? g_new (double, MIN (MAX (n, 1), REDUCE_DOUBLES)) : NULL;
  for (gsize i0 = 0; i0 < n; i0 += REDUCE_DOUBLES)
    {
      int count = (int) MIN (REDUCE_DOUBLES, n - i0);
      MPI_Reduce (part->uv + i0, sum, count, MPI_DOUBLE, MPI_SUM, 0, MPI_COMM_WORLD);
      if (rank == 0)
        memcpy (part->uv + i0, sum, count * sizeof (double));
    }
  g_free (sum);
  *ok = TRUE;
  if (rank != 0)
    {
      wslfp_lfp_free (part);
      return NULL;
    }
  if (settings->options.normalize && !wslfp_job_normalize (ds, settings, part, error))
    {
      *ok = FALSE;
      wslfp_lfp_free (part);
      return NULL;
    }
  return part;
}

#else /* !HAVE_MPI */

gboolean wslfp_cli_mpi_launched (void) { return FALSE; }
void wslfp_cli_mpi_init (int *argc, char ***argv) { }
void wslfp_cli_mpi_finalize (void) { }
int wslfp_cli_mpi_rank (void) { return 0; }
int wslfp_cli_mpi_size (void) { return 1; }

WslfpLfp *
wslfp_cli_mpi_job_run (WslfpDataset *ds, const WslfpJobSettings *settings, WslfpJobProgress progress,
                       gpointer user_data, gboolean *ok, GError **error)
{
  WslfpLfp *lfp = wslfp_job_run (ds, settings, progress, user_data, error);
  *ok = lfp != NULL;
  return lfp;
}

#endif
