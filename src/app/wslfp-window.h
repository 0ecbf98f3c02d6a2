/* wslfp-window.h: the main window. */
#pragma once

#include <adwaita.h>

#include "wslfp-compute-controller.h"
#include "wslfp-history.h"
#include "wslfp-layout-view.h"
#include "wslfp-lfp.h"
#include "wslfp-plot.h"
#include "wslfp-session-keeper.h"
#include "wslfp-session.h"
#include "wslfp-trace-view.h"

G_BEGIN_DECLS

#define WSLFP_TYPE_WINDOW (wslfp_window_get_type ())
G_DECLARE_FINAL_TYPE (WslfpWindow, wslfp_window, WSLFP, WINDOW, AdwApplicationWindow)

WslfpWindow    *wslfp_window_new             (AdwApplication *app);
/* Loads the demo network, then computes. */
void            wslfp_window_open_demo       (WslfpWindow *self);
/* Loads @file in a worker thread; errors show as a toast and keep the
 * current data. */
void            wslfp_window_open_file       (WslfpWindow *self, GFile *file);
/* Opens a SONATA network with the --sources rule @sources (NULL: ei == e). */
void            wslfp_window_open_network    (WslfpWindow *self, GFile *file, const char *sources);
/* Starts a computation with the current settings (cancelling a running one). */
void            wslfp_window_recompute       (WslfpWindow *self);
void            wslfp_window_cancel          (WslfpWindow *self);
gboolean        wslfp_window_is_busy         (WslfpWindow *self);
/* A session is being restored (its dataset, pinned result and result). */
gboolean        wslfp_window_is_restoring    (WslfpWindow *self);
/* The LFP shown (NULL before the first result) and how many results and
 * errors have arrived, for tests and the screenshot mode. */
const WslfpLfp *wslfp_window_get_lfp         (WslfpWindow *self);
guint           wslfp_window_get_n_results   (WslfpWindow *self);
guint           wslfp_window_get_n_errors    (WslfpWindow *self);
const char     *wslfp_window_get_last_error  (WslfpWindow *self);
/* What the window shows and computes: its state (the proxy settings, the
 * probe, the view), the undo history over it, the controller that keeps
 * the results (and the open document) in step with it. */
WslfpExplorerState     *wslfp_window_get_state      (WslfpWindow *self);
WslfpHistory           *wslfp_window_get_history    (WslfpWindow *self);
WslfpComputeController *wslfp_window_get_controller (WslfpWindow *self);
/* The settings it remembers them in, for the next window. */
GSettings              *wslfp_window_get_settings   (WslfpWindow *self);
/* What saves and restores its sessions. */
WslfpSessionKeeper     *wslfp_window_get_session_keeper (WslfpWindow *self);
/* The open dataset (NULL: none, or an LFP file). */
WslfpDocument          *wslfp_window_get_document   (WslfpWindow *self);
/* Both layout views (the Layout page's and the Explore page's) and both
 * trace views (the Traces page's and the Explore page's) show the same. */
#define WSLFP_WINDOW_N_VIEWS 2
void wslfp_window_get_layout_views (WslfpWindow *self, WslfpLayoutView *views[WSLFP_WINDOW_N_VIEWS]);
void wslfp_window_get_trace_views  (WslfpWindow *self, WslfpTraceView *views[WSLFP_WINDOW_N_VIEWS]);
/* Writes the figure of @page ("traces", "layout", "profile", "raster") to
 * @path (PNG, SVG or PDF by extension), atomically. */
gboolean        wslfp_window_export_figure   (WslfpWindow *self, const char *page, const char *path, GError **error);
/* The same at a printed size (wslfp_plot_export_print()); NULL: on-screen
 * proportions (1200 × 760, heat maps 700 × 700). */
gboolean        wslfp_window_export_figure_print (WslfpWindow *self, const char *page, const char *path,
                                                  const WslfpPrintSize *print, GError **error);
/* Writes the LFP to @path (HDF5, or CSV by extension), atomically. */
gboolean        wslfp_window_export_lfp      (WslfpWindow *self, const char *path, GError **error);
/* Sessions: everything the figure depends on, in a key file. */
WslfpSession   *wslfp_window_get_session     (WslfpWindow *self);
gboolean        wslfp_window_save_session    (WslfpWindow *self, const char *path, GError **error);
/* Reads a session and opens its dataset; the settings, probe, view and a
 * pinned result follow when it has loaded.  FALSE if the file is not a
 * valid session (nothing changes then). */
gboolean        wslfp_window_open_session    (WslfpWindow *self, GFile *file, GError **error);
/* The `wslfp compute … && wslfp plot …` lines that make the figure shown. */
char           *wslfp_window_get_command     (WslfpWindow *self);
/* Renders the window as it is now to a PNG. */
gboolean        wslfp_window_save_screenshot (WslfpWindow *self, const char *path, GError **error);
/* A message at the foot of the window for 6 s; it takes the place of the
 * one shown. */
void            wslfp_window_toast           (WslfpWindow *self, const char *message);
/* The toast shown now (or NULL). */
AdwToast       *wslfp_window_get_toast       (WslfpWindow *self);
/* An error, under the header until dismissed; a newer one takes its
 * place (toasts would queue behind the old one). */
void            wslfp_window_show_error      (WslfpWindow *self, const char *message);
/* Reads a custom profile grid (CSV, as `wslfp compute --profile GRID.csv`)
 * and selects it; on error keeps the current profile. */
gboolean        wslfp_window_load_profile_grid (WslfpWindow *self, GFile *file, GError **error);
/* Reads a probe (probeinterface JSON or CSV) and places it where the
 * current probe is; on error keeps the current probe. */
gboolean        wslfp_window_load_probe      (WslfpWindow *self, GFile *file, GError **error);
/* Writes the placed probe's contacts (JSON or CSV by extension). */
gboolean        wslfp_window_export_probe    (WslfpWindow *self, const char *path, GError **error);
/* The printed size chosen in the Export menu (remembered in the
 * settings); FALSE for "as on screen". */
gboolean        wslfp_window_get_figure_print_size (WslfpWindow *self, WslfpPrintSize *print);
/* The printed size for the Export menu's choices (size "screen", "1col",
 * "1.5col" or "2col"; text in pt; PNG dpi); FALSE for "screen". */
gboolean        wslfp_window_print_size_for  (const char *size, const char *font, const char *dpi,
                                              WslfpPrintSize *print);
/* The terms view is computing. */
gboolean        wslfp_window_parts_busy      (WslfpWindow *self);

G_END_DECLS
