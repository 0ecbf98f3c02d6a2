/* wslfp-window.h: the main window. */
#pragma once

#include <adwaita.h>

#include "wslfp-lfp.h"
#include "wslfp-plot.h"
#include "wslfp-session.h"

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
/* The LFP shown (NULL before the first result) and how many results and
 * errors have arrived, for tests and the screenshot mode. */
const WslfpLfp *wslfp_window_get_lfp         (WslfpWindow *self);
guint           wslfp_window_get_n_results   (WslfpWindow *self);
guint           wslfp_window_get_n_errors    (WslfpWindow *self);
const char     *wslfp_window_get_last_error  (WslfpWindow *self);
/* Writes the figure of @page ("traces", "layout", "profile", "raster") to
 * @path (PNG, SVG or PDF by extension), atomically. */
gboolean        wslfp_window_export_figure   (WslfpWindow *self, const char *page, const char *path, GError **error);
/* The same at a printed size (wslfp_plot_export_print()); NULL: on-screen
 * proportions (1200 × 760, heat maps 700 × 700). */
gboolean        wslfp_window_export_figure_print (WslfpWindow *self, const char *page, const char *path,
                                                  const WslfpPrintSize *print, GError **error);
/* Writes the LFP to @path (HDF5, or CSV by extension), atomically. */
gboolean        wslfp_window_export_lfp      (WslfpWindow *self, const char *path, GError **error);
/* After the first result, renders the window to @path and quits. */
void            wslfp_window_set_screenshot  (WslfpWindow *self, const char *path);
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

G_END_DECLS
