/* wslfp-compute-controller.h: between the Explorer's state and its views.
 * It watches the state (and its probe) and keeps the result shown in step
 * with it: a change of a proxy setting recomputes from the document in a
 * worker (the newest run wins; a stale result is dropped), a probe move
 * takes the live path through the kept combined currents (WslfpMover) when
 * it can, and a result can be pinned to compare with.  It owns the open
 * document, the loaded custom grid and the results; views listen to its
 * signals.  Plain GObject (no widgets): tested without a display.
 *
 * Signals (all on the main thread):
 *   started ()                      a run from the document began
 *   progress (double fraction)      of that run, or of the exact traces
 *                                   after a move (1: they are shown)
 *   result (const char *status)     a new result is there (get_lfp); @status
 *                                   says what it is, or NULL for a file's LFP
 *   computed ()                     after a run from the document showed
 *                                   its result (not after moves)
 *   adopting (WslfpDocument *document)
 *                                   an opened dataset is becoming the
 *                                   document (held: the state already has
 *                                   its probe (a probe file the user
 *                                   placed is kept) and sources); listeners may
 *                                   change the state for its first run
 *   opened (WslfpDocument *document)
 *                                   an open (_open) succeeded: a dataset is
 *                                   the document (its first run scheduled),
 *                                   an LFP file's traces are shown
 *   notice (const char *message)    something the user should know that
 *                                   is not a failure (their probe file,
 *                                   kept, moved to the new cells; nothing
 *                                   to pin yet)
 *   failed (const char *message, gboolean live)
 *                                   a run failed: the result shown is
 *                                   dropped first (a result with none);
 *                                   or, @live, a probe move or reading the
 *                                   grid the state names failed, and the
 *                                   result stays
 * Properties:
 *   pinned             gboolean: a copy of the result shown is kept to
 *                      compare with (as _pin; win.pin acts on it)
 *   memory-budget-mb   guint: how much a document may keep in memory
 *   document           WslfpDocument (read-only; set with _set_document)
 *   held               gboolean (read-only): between _hold and _release;
 *                      views that follow the state wait for its end */
#pragma once

#include "wslfp-document.h"
#include "wslfp-explorer-state.h"

G_BEGIN_DECLS

#define WSLFP_TYPE_COMPUTE_CONTROLLER (wslfp_compute_controller_get_type ())
G_DECLARE_FINAL_TYPE (WslfpComputeController, wslfp_compute_controller, WSLFP, COMPUTE_CONTROLLER, GObject)

WslfpComputeController *wslfp_compute_controller_new (WslfpExplorerState *state);
WslfpExplorerState     *wslfp_compute_controller_get_state (WslfpComputeController *self);

/* Opens @file (a dataset, a SONATA network with the --sources rule
 * @sources, or an LFP file to look at), or the built-in demo when @file is
 * NULL, in a worker thread (within the memory budget); cancels an open in
 * progress.  Emits "adopting" and "opened", or "failed". */
void           wslfp_compute_controller_open         (WslfpComputeController *self, GFile *file, const char *sources);
/* The document computed from (a new reference; NULL: none).  Forgets the
 * kept currents and any run in progress; computes nothing by itself
 * (wslfp_compute_controller_schedule does). */
void           wslfp_compute_controller_set_document (WslfpComputeController *self, WslfpDocument *document);
WslfpDocument *wslfp_compute_controller_get_document (WslfpComputeController *self);

/* While held (counted), changes of the state do not recompute: for
 * several changes that belong together (a new dataset and its probe). */
void wslfp_compute_controller_hold    (WslfpComputeController *self);
void wslfp_compute_controller_release (WslfpComputeController *self);
gboolean wslfp_compute_controller_is_held (WslfpComputeController *self);

/* Stops every worker (a run, an open, the mover) and computes nothing
 * from now on; what is shown stays readable: for a window that goes while
 * its views still hold the controller. */
void wslfp_compute_controller_stop (WslfpComputeController *self);

/* Recomputes from the document once the main loop is idle (several changes
 * in one go compute once), or now; cancels the run in progress. */
void     wslfp_compute_controller_schedule  (WslfpComputeController *self);
void     wslfp_compute_controller_recompute (WslfpComputeController *self);
/* Stops the run in progress; FALSE when there was none. */
gboolean wslfp_compute_controller_cancel    (WslfpComputeController *self);
/* A document opens, a run waits or computes, or a move's result is on its way. */
gboolean wslfp_compute_controller_is_busy   (WslfpComputeController *self);
/* What keeps it busy, in words (for a test that waited too long). */
char    *wslfp_compute_controller_describe_busy (WslfpComputeController *self);

/* An LFP file's @document (wslfp_document_get_lfp) to look at: no document
 * to compute from, the probe its contacts, its traces the result; FALSE
 * (with the reason) when the file cannot be read again. */
gboolean  wslfp_compute_controller_view_file (WslfpComputeController *self, WslfpDocument *document, GError **error);

/* The result shown (NULL before the first), and @lfp (taken) shown instead
 * (an LFP file's traces: emits result with a NULL status). */
WslfpLfp *wslfp_compute_controller_get_lfp  (WslfpComputeController *self);
void      wslfp_compute_controller_show_lfp (WslfpComputeController *self, WslfpLfp *lfp);

/* The computation the state describes, with the loaded custom grid
 * (see wslfp_explorer_state_job_settings; @settings borrows the grid). */
void wslfp_compute_controller_job_settings (WslfpComputeController *self, WslfpJobSettings *settings, double **xyz,
                                            int **shank);

/* Reads a custom profile grid (CSV, as `wslfp compute --profile GRID.csv`)
 * and makes it the state's custom grid (not its profile); on error keeps
 * the grid it had. */
gboolean      wslfp_compute_controller_load_grid (WslfpComputeController *self, const char *path, GError **error);
/* The loaded grid's file name, its path, or NULL. */
const char   *wslfp_compute_controller_get_grid_name (WslfpComputeController *self);
const char   *wslfp_compute_controller_get_grid_path (WslfpComputeController *self);
/* The chosen profile (a new one, which the caller frees) and its name. */
WslfpProfile *wslfp_compute_controller_current_profile (WslfpComputeController *self, const char **name);

/* Fails when writing @path would replace a file the results are computed
 * from (the dataset, a file it reads through, the probe file), naming it. */
gboolean wslfp_compute_controller_check_output (WslfpComputeController *self, const char *path, GError **error);
/* Writes the result shown to @path (HDF5, CSV or NWB by extension),
 * atomically, with the probe it was computed for. */
gboolean wslfp_compute_controller_export_lfp   (WslfpComputeController *self, const char *path, GError **error);

/* Writes the placed probe's contacts to @path (JSON or CSV by extension),
 * atomically; as check_output, never onto a file read from. */
gboolean wslfp_compute_controller_export_probe (WslfpComputeController *self, const char *path, GError **error);

/* Which cells contact @contact of the probe hears: its row of the
 * amplitude matrix (the weight of each cell's current in its signal; a new
 * array of *@n_cells), for the chosen profile and geometry; NULL when there
 * is no dataset or no such contact. */
double *wslfp_compute_controller_contact_weights (WslfpComputeController *self, gsize contact, gsize *n_cells);

/* Pins a copy of the result shown, with the state's settings (FALSE: there
 * is none), or unpins. */
gboolean                  wslfp_compute_controller_pin                 (WslfpComputeController *self, gboolean pinned);
const WslfpLfp           *wslfp_compute_controller_get_pinned_lfp      (WslfpComputeController *self);
const WslfpSessionResult *wslfp_compute_controller_get_pinned_settings (WslfpComputeController *self);

/* The live path: the kept combined currents (NULL: a move recomputes from
 * the document), what an exact move last took (NaN: not yet measured), the
 * stride of the result shown (1: exact, more: a preview) and the number of
 * results shown, and of those that came from moves. */
WslfpSharedCombined *wslfp_compute_controller_get_combined     (WslfpComputeController *self);
double               wslfp_compute_controller_get_exact_ms     (WslfpComputeController *self);
gsize                wslfp_compute_controller_get_shown_stride (WslfpComputeController *self);
guint                wslfp_compute_controller_get_n_results    (WslfpComputeController *self);
guint                wslfp_compute_controller_get_n_moves      (WslfpComputeController *self);
/* Takes an exact move to cost @ms (tests and benchmarks force previews). */
void                 wslfp_compute_controller_set_exact_ms     (WslfpComputeController *self, double ms);

G_END_DECLS
