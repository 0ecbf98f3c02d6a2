/* wslfp-document.h: a loaded dataset (a file, or the built-in demo),
 * immutable once loaded, and the asynchronous work on it: loading in a
 * worker thread and computing its LFP in a worker thread. */
#pragma once

#include <gio/gio.h>

#include "wslfp-dataset.h"
#include "wslfp-lfp.h"

G_BEGIN_DECLS

#define WSLFP_TYPE_DOCUMENT (wslfp_document_get_type ())
G_DECLARE_FINAL_TYPE (WslfpDocument, wslfp_document, WSLFP, DOCUMENT, GObject)

/* The dataset, read-only and safe to share with worker threads (NULL for
 * an LFP file). */
const WslfpDataset *wslfp_document_get_dataset (WslfpDocument *self);
/* A SONATA network's --sources rule, or NULL. */
const char         *wslfp_document_get_sources (WslfpDocument *self);
/* An LFP file opened to look at (not a dataset): its traces, else NULL. */
const WslfpLfp     *wslfp_document_get_lfp     (WslfpDocument *self);
const char         *wslfp_document_get_title   (WslfpDocument *self);
GFile              *wslfp_document_get_file    (WslfpDocument *self); /* NULL for the demo */
/* Whether the currents stay in the file (read at each computation). */
gboolean            wslfp_document_is_on_disk  (WslfpDocument *self);

/* Opens and validates @file in a worker thread (a dataset, or an LFP file
 * from `wslfp compute` or the app, which only has traces).  Currents that take at
 * most @memory_budget bytes as doubles are read into memory, so that
 * recomputing needs no I/O; bigger ones stay in the file and each
 * computation reads them in bounded blocks. */
/* @sources: for a SONATA network, the --sources rule (COLUMN==VALUE) that
 * chooses the sources, or NULL for ei == e. */
void           wslfp_document_load_async  (GFile *file, const char *sources, guint64 memory_budget,
                                           GCancellable *cancellable,
                                           GAsyncReadyCallback callback, gpointer user_data);
WslfpDocument *wslfp_document_load_finish (GAsyncResult *result, GError **error);

/* Simulates the demo network (800 + 200 cells, 500 ms) in a worker thread. */
void           wslfp_document_new_demo_async  (GCancellable *cancellable, GAsyncReadyCallback callback,
                                               gpointer user_data);
WslfpDocument *wslfp_document_new_demo_finish (GAsyncResult *result, GError **error);

/* What the live path keeps, shared, read-only, between the window and the
 * workers that move the probe: the combined currents (WslfpCombined) of
 * WSLFP, or TKLFP's spiking cells (WslfpTklfpCells); the last reference
 * frees them. */
typedef struct _WslfpSharedCombined WslfpSharedCombined;

WslfpSharedCombined   *wslfp_shared_combined_ref       (WslfpSharedCombined *shared);
void                   wslfp_shared_combined_unref     (WslfpSharedCombined *shared);
/* The combined currents (NULL with TKLFP, and where only the pooled cells
 * are kept), the cells (NULL with WSLFP). */
const WslfpCombined   *wslfp_shared_combined_get       (WslfpSharedCombined *shared);
const WslfpTklfpCells *wslfp_shared_combined_get_tklfp (WslfpSharedCombined *shared);
/* The number of evaluation times of either. */
gsize                  wslfp_shared_combined_get_n_times (WslfpSharedCombined *shared);
/* The number of cubes the cells are pooled in for previews (a network of
 * at least wslfp_document_set_pool_min_sources() cells), or 0. */
gsize                  wslfp_shared_combined_get_n_pooled (WslfpSharedCombined *shared);
/* The number of cells (sources, or TKLFP's spiking cells). */
gsize                  wslfp_shared_combined_get_n_sources (WslfpSharedCombined *shared);
/* Whether only the pooled cells are kept (combined currents too big for
 * the memory budget): an exact move then reads a scratch copy of the
 * combined currents, or the dataset again. */
gboolean               wslfp_shared_combined_reads_disk (WslfpSharedCombined *shared);
/* Whether its exact moves read a scratch copy of the combined currents
 * (float32, from the page cache) rather than the dataset. */
gboolean               wslfp_shared_combined_reads_scratch (WslfpSharedCombined *shared);
/* The LFP for the electrodes of @settings from what is kept
 * (wslfp_job_run_combined or wslfp_job_run_tklfp; a preview, @stride > 1,
 * from the pooled cells where there are any: wslfp_job_run_pooled; with
 * only those, the exact LFP from the dataset: wslfp_job_run). */
WslfpLfp              *wslfp_shared_combined_run       (WslfpSharedCombined *shared, const WslfpDataset *dataset,
                                                        const WslfpJobSettings *settings, gsize stride,
                                                        guint n_threads, WslfpJobProgress progress,
                                                        gpointer user_data, GError **error);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WslfpSharedCombined, wslfp_shared_combined_unref)

/* Computations kept for moving the probe (wslfp_document_compute_async())
 * also pool the cells by place for previews when there are at least
 * @n_sources of them (default 20 000; fewer are fast enough exact). */
void                   wslfp_document_set_pool_min_sources (WslfpDocument *self, gsize n_sources);

/* Called on the main thread with the fraction done. */
typedef void (*WslfpDocumentProgress) (double fraction, gpointer user_data);

/* Computes the LFP in a worker thread.  @settings (and the probe it points
 * to) are copied.  @progress is called on the main thread, at most one
 * pending call at a time; @progress_data must stay valid until @callback
 * runs.  With @combined_budget > 0, a dataset in memory whose combined
 * currents take at most that many bytes keeps them, for moving the probe
 * (wslfp_document_move_async()). */
void      wslfp_document_compute_async  (WslfpDocument *self, const WslfpJobSettings *settings,
                                         guint64 combined_budget, GCancellable *cancellable,
                                         WslfpDocumentProgress progress, gpointer progress_data,
                                         GAsyncReadyCallback callback, gpointer user_data);
/* The LFP; *@combined (if not NULL) receives the kept combined currents
 * (a new reference) or NULL: WslfpMover moves the probe with them. */
WslfpLfp *wslfp_document_compute_finish (WslfpDocument *self, GAsyncResult *result, WslfpSharedCombined **combined,
                                         GError **error);

/* The sum's two terms at contact @contact of @settings' probe, in a worker
 * thread (wslfp_job_parts()). */
void     wslfp_document_parts_async  (WslfpDocument *self, const WslfpJobSettings *settings, gsize contact,
                                      GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data);
gboolean wslfp_document_parts_finish (WslfpDocument *self, GAsyncResult *result, WslfpLfp **ampa, double **gaba,
                                      GError **error);

G_END_DECLS
