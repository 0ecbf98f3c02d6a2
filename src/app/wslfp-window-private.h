/* wslfp-window-private.h: what the window's files share. */
#pragma once

#include "wslfp-document.h"
#include "wslfp-explore-page.h"
#include "wslfp-explorer-state.h"
#include "wslfp-history.h"
#include "wslfp-layout-view.h"
#include "wslfp-mover.h"
#include "wslfp-probe.h"
#include "wslfp-probe-panel.h"
#include "wslfp-proxy-panel.h"
#include "wslfp-profile-view.h"
#include "wslfp-raster-view.h"
#include "wslfp-session.h"
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
  GtkLabel *hover_label;
  GtkLabel *status_label;
  GtkRevealer *progress_revealer;
  GtkProgressBar *progress_bar;

  /* owned */
  GSettings *settings;
  WslfpExplorerState *state;     /* what is computed and shown */
  WslfpHistory *history;         /* undo and redo over the state */
  WslfpProbe *probe;             /* the state's */
  WslfpDocument *document;
  WslfpLfp *lfp;
  GCancellable *compute_cancellable;
  GCancellable *load_cancellable;
  char *screenshot_path;
  char *last_error;
  WslfpProfile *custom_profile; /* the grid loaded for "custom", or NULL */
  char *custom_profile_name;
  char *custom_profile_path;     /* the grid file it was read from */
  WslfpProbeLayout *probe_file;  /* the last probe file opened, or NULL */
  char *probe_file_path;         /* and where it came from */
  WslfpSession *pending_session; /* being restored (wslfp-window-session.c) */
  WslfpLfp *pinned_lfp;          /* the pinned result, or NULL */
  WslfpSessionResult pinned_settings;

  /* state */
  double length_override_um;    /* what the layout view borrows for the override */
  guint recompute_idle;
  guint progress_timeout;
  gint64 compute_started_us;
  guint n_results;
  guint n_errors;
  gboolean loading;
  gboolean screenshot_scheduled;
  guint builtin_profile;        /* the last built-in profile chosen */
  char *trace_mode;             /* "auto", "lines" or "image" */
  char *figure_kind;            /* "lfp", "csd" or "psd" */
  enum { SESSION_NONE, SESSION_WAIT_PIN, SESSION_WAIT_RESULT } session_stage;

  /* the live path (wslfp-window-live.c) */
  WslfpMover *mover;
  WslfpSharedCombined *combined; /* for the current proxy settings, or NULL */
  guint live_serial;            /* bumped when the settings change */
  double exact_product_ms;      /* what an exact move last took */
  gsize shown_stride;           /* of the traces on screen: 1 exact, more a preview */
  guint n_moves;                /* move results shown */
  guint divider_save;           /* a delayed write of the Explore divider */
  gssize hovered_contact;
  gboolean told_probe_limit;    /* a drag against the limit was refused */
  gboolean dragging_probe;      /* one undo step from press to release */

  /* the sum's terms at one contact (wslfp-window-parts.c) */
  gboolean show_parts;
  GCancellable *parts_cancellable;
  guint parts_serial;
  gboolean parts_busy;
};

/* Both layout views (the Layout page's and the Explore page's) and both
 * trace views show the same things. */
#define WSLFP_WINDOW_N_VIEWS 2
void wslfp_window_get_layout_views (WslfpWindow *self, WslfpLayoutView *views[WSLFP_WINDOW_N_VIEWS]);
void wslfp_window_get_trace_views  (WslfpWindow *self, WslfpTraceView *views[WSLFP_WINDOW_N_VIEWS]);


/* The position of "custom grid" in the profile list. */
#define WSLFP_WINDOW_CUSTOM_PROFILE 3

void wslfp_window_class_install_actions (GtkWidgetClass *widget_class);
/* Keeps win.undo and win.redo enabled as the history allows. */
void wslfp_window_watch_history (WslfpWindow *self);
/* The printed size for the export dialog's choices (size "screen", "1col",
 * "1.5col" or "2col"; text in pt; PNG dpi); FALSE for "screen". */
gboolean wslfp_window_print_size_for (const char *size, const char *font, const char *dpi, WslfpPrintSize *print);
void wslfp_window_update_recent_menu    (WslfpWindow *self);
/* Puts @path first in the settings list @key (at most 8, no repeats). */
void wslfp_window_remember             (WslfpWindow *self, const char *key, const char *path);
/* A menu of the paths in the settings list @key, each activating @action. */
GMenuModel *wslfp_window_recent_menu    (WslfpWindow *self, const char *key, const char *action);
void wslfp_window_toast                 (WslfpWindow *self, const char *message);
/* Reads a custom profile grid (CSV, as `wslfp compute --profile GRID.csv`)
 * and selects it; on error keeps the current profile. */
gboolean wslfp_window_load_profile_grid (WslfpWindow *self, GFile *file, GError **error);

/* Shows @lfp (taken) in both trace views. */
void     wslfp_window_show_lfp (WslfpWindow *self, WslfpLfp *lfp);
void     wslfp_window_current_settings (WslfpWindow *self, WslfpJobSettings *s, double **xyz, int **shank);
/* The dendrite length the user set for every cell, or 0 to keep the
 * dataset's. */
double   wslfp_window_length_override (WslfpWindow *self);

/* wslfp-window-live.c: moving the probe through kept combined currents. */
void     wslfp_window_live_init    (WslfpWindow *self);
void     wslfp_window_live_dispose (WslfpWindow *self);
gboolean wslfp_window_live_busy    (WslfpWindow *self);
/* Forgets the combined currents (the settings changed); stale moves are dropped. */
void     wslfp_window_live_reset (WslfpWindow *self);
/* Keeps @combined (a new reference is taken) and the product's time. */
void     wslfp_window_live_set   (WslfpWindow *self, WslfpSharedCombined *combined, double product_ms);
/* Recomputes for the moved probe on the live path; FALSE when there is
 * none (the caller recomputes from the dataset). */
gboolean wslfp_window_live_move  (WslfpWindow *self);
/* The stride of the traces on screen (1: exact) and the number of move
 * results shown so far. */
gsize    wslfp_window_get_shown_stride (WslfpWindow *self);
guint    wslfp_window_get_n_moves      (WslfpWindow *self);

/* The chosen profile (a new one, which the caller frees) and its name. */
WslfpProfile *wslfp_window_current_profile (WslfpWindow *self, const char **name);

/* wslfp-window-contributions.c: the hovered contact's weights on the cells. */
void     wslfp_window_update_contributions (WslfpWindow *self);
void     wslfp_window_contact_hovered_cb   (WslfpLayoutView *view, gint64 e, WslfpWindow *self);

/* wslfp-window-probe.c: the probe panel. */
void     wslfp_window_setup_probe_panel  (WslfpWindow *self);
/* Reads a probe (probeinterface JSON or CSV) and places it where the
 * current probe is; on error keeps the current probe. */
gboolean wslfp_window_load_probe         (WslfpWindow *self, GFile *file, GError **error);
gboolean wslfp_window_export_probe       (WslfpWindow *self, const char *path, GError **error);
/* Fails when writing @path would replace a file the window reads from
 * (the dataset, a file it reads through, the probe file). */
gboolean wslfp_window_check_output       (WslfpWindow *self, const char *path, GError **error);
void     wslfp_window_update_recent_probes (WslfpWindow *self);
/* The dataset's contacts as the probe (regular grids as editable shanks). */
void     wslfp_window_use_dataset_probe  (WslfpWindow *self);

/* wslfp-window-parts.c: the sum's terms at one contact. */
void     wslfp_window_parts_init      (WslfpWindow *self);
void     wslfp_window_parts_dispose   (WslfpWindow *self);
void     wslfp_window_set_show_parts  (WslfpWindow *self, gboolean show);
/* Recomputes the terms for the result shown (exact results only). */
void     wslfp_window_update_parts    (WslfpWindow *self);
gboolean wslfp_window_parts_busy      (WslfpWindow *self);

/* wslfp-window-session.c: sessions, the command, pinning. */
void          wslfp_window_fill_result           (WslfpWindow *self, WslfpSessionResult *result);
/* Applies the session being restored once its dataset is open. */
void          wslfp_window_apply_pending_session (WslfpWindow *self);
/* Called after each result is shown: the restoring session's next step. */
void          wslfp_window_session_result_shown  (WslfpWindow *self);
void          wslfp_window_set_pinned            (WslfpWindow *self, gboolean pinned);
void          wslfp_window_update_pinned_views   (WslfpWindow *self);

G_END_DECLS
