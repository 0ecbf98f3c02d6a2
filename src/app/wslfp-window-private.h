/* wslfp-window-private.h: what the window's own files share (the window,
 * its actions, its sessions); no other file includes it. */
#pragma once

#include "wslfp-compute-controller.h"
#include "wslfp-document.h"
#include "wslfp-explore-page.h"
#include "wslfp-explorer-state.h"
#include "wslfp-history.h"
#include "wslfp-layout-view.h"
#include "wslfp-probe.h"
#include "wslfp-probe-panel.h"
#include "wslfp-proxy-panel.h"
#include "wslfp-profile-view.h"
#include "wslfp-raster-view.h"
#include "wslfp-session.h"
#include "wslfp-status-bar.h"
#include "wslfp-trace-view.h"
#include "wslfp-window.h"

G_BEGIN_DECLS

struct _WslfpWindow
{
  AdwApplicationWindow parent_instance;

  /* template widgets */
  AdwToastOverlay *toast_overlay;
  AdwFlap *flap;
  AdwViewSwitcherTitle *switcher_title;
  GtkLabel *dataset_label;
  AdwViewStack *stack;
  GtkMenuButton *recent_button;
  WslfpTraceView *trace_view;
  WslfpLayoutView *layout_view;
  WslfpExplorePage *explore_page;
  WslfpProfileView *profile_view;
  WslfpRasterView *raster_view;
  WslfpProxyPanel *proxy_panel;
  WslfpProbePanel *probe_panel;
  WslfpStatusBar *status_bar;

  /* owned */
  GSettings *settings;
  WslfpExplorerState *state;     /* what is computed and shown */
  WslfpHistory *history;         /* undo and redo over the state */
  WslfpProbe *probe;             /* the state's */
  WslfpComputeController *compute; /* the document and the results */
  char *screenshot_path;
  char *last_error;
  WslfpSession *pending_session; /* being restored (wslfp-window-session.c) */

  /* state */
  guint n_errors;
  gboolean screenshot_scheduled;
  enum { SESSION_NONE, SESSION_WAIT_PIN, SESSION_WAIT_RESULT } session_stage;
  gssize hovered_contact;
  gboolean told_probe_limit;    /* a drag against the limit was refused */
  gboolean dragging_probe;      /* one undo step from press to release */
};

/* Both layout views (the Layout page's and the Explore page's) and both
 * trace views show the same things. */
#define WSLFP_WINDOW_N_VIEWS 2
void wslfp_window_get_layout_views (WslfpWindow *self, WslfpLayoutView *views[WSLFP_WINDOW_N_VIEWS]);
void wslfp_window_get_trace_views  (WslfpWindow *self, WslfpTraceView *views[WSLFP_WINDOW_N_VIEWS]);

/* wslfp-window-actions.c */
void wslfp_window_class_install_actions (GtkWidgetClass *widget_class);
/* Keeps win.undo and win.redo enabled as the history allows. */
void wslfp_window_watch_history (WslfpWindow *self);
void wslfp_window_update_recent_menu    (WslfpWindow *self);
/* Puts @path first in the settings list @key (at most 8, no repeats). */
void wslfp_window_remember             (WslfpWindow *self, const char *key, const char *path);
/* A menu of the paths in the settings list @key, each activating @action. */
GMenuModel *wslfp_window_recent_menu    (WslfpWindow *self, const char *key, const char *action);

/* @file's path, or NULL with an error for a file that is not local. */
char    *wslfp_window_local_path   (GFile *file, GError **error);
/* Fails when writing @path would replace a file the window reads from
 * (the dataset, a file it reads through, the probe file). */
gboolean wslfp_window_check_output (WslfpWindow *self, const char *path, GError **error);

/* wslfp-window-session.c: saving and restoring sessions, the command. */
/* Applies the session being restored once its dataset is open. */
void          wslfp_window_apply_pending_session (WslfpWindow *self);
/* Called after each result is shown: the restoring session's next step. */
void          wslfp_window_session_result_shown  (WslfpWindow *self);

G_END_DECLS
