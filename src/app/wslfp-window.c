/* wslfp-window.c: the main window, a shell: the header, the pages, the
 * panels, toasts and the title.  What is computed and shown is the state's
 * (WslfpExplorerState); the controller keeps the results in step with it
 * and the views follow the controller (src/DESIGN.md has the map). */
#include "config.h"

#include "wslfp-window.h"

#include <cblas.h>
#include <glib/gi18n.h>

#include "wslfp-explore-page.h"
#include "wslfp-figure.h"
#include "wslfp-follow.h"
#include "wslfp-h5.h"
#include "wslfp-layout-hand.h"
#include "wslfp-probe-panel.h"
#include "wslfp-profile-view.h"
#include "wslfp-proxy-panel.h"
#include "wslfp-raster-view.h"
#include "wslfp-recent.h"
#include "wslfp-resources.h"
#include "wslfp-session-keeper.h"
#include "wslfp-settings.h"
#include "wslfp-sonata-config.h"
#include "wslfp-status-bar.h"
#include "wslfp-window-actions.h"

struct _WslfpWindow
{
  AdwApplicationWindow parent_instance;

  /* template widgets */
  AdwToastOverlay *toast_overlay;
  GtkRevealer *error_revealer;
  GtkLabel *error_label;
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
  GMenu *primary_menu;
  GMenu *export_menu;

  /* owned */
  GSettings *settings;
  WslfpExplorerState *state;       /* what is computed and shown */
  WslfpHistory *history;           /* undo and redo over the state */
  WslfpComputeController *compute; /* the document and the results */
  WslfpSessionKeeper *sessions;    /* saving and restoring sessions */
  WslfpLayoutHand *hand;           /* drags and hovers in the layout views */
  char *last_error;
  guint n_errors;
  AdwToast *toast;                 /* (weak) the last toast, while it lasts */
  gboolean error_is_a_run;         /* the banner's error: a failed load or run */
};

G_DEFINE_FINAL_TYPE (WslfpWindow, wslfp_window, ADW_TYPE_APPLICATION_WINDOW)

void
wslfp_window_toast (WslfpWindow *self, const char *message)
{
  /* A toast's title is markup: a message may quote a file name or a line
   * with <, > or &. */
  g_autofree char *escaped = g_markup_escape_text (message, -1);
  AdwToast *toast = adw_toast_new (escaped);
  adw_toast_set_timeout (toast, 6);
  /* A newer message takes the place of the one shown: three saves in a
   * row say the last at once, not each in turn for 6 s. */
  if (self->toast != NULL)
    adw_toast_dismiss (self->toast);
  g_set_weak_pointer (&self->toast, toast);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

AdwToast *wslfp_window_get_toast (WslfpWindow *self) { return self->toast; }

void
wslfp_window_show_error (WslfpWindow *self, const char *message)
{
  g_free (self->last_error);
  self->last_error = g_strdup (message);
  self->n_errors++;
  gtk_label_set_text (self->error_label, message);
  gtk_revealer_set_reveal_child (self->error_revealer, TRUE);
  self->error_is_a_run = FALSE;
}

/* A load or a computation failed: the reason in the banner and in the
 * status line; the banner goes when a run succeeds. */
static void
report_failure (WslfpWindow *self, const char *message)
{
  wslfp_window_show_error (self, message);
  self->error_is_a_run = TRUE;
  wslfp_status_bar_show (self->status_bar, message, TRUE);
}

static void
computed_cb (WslfpComputeController *compute, WslfpWindow *self)
{
  if (self->error_is_a_run)
    gtk_revealer_set_reveal_child (self->error_revealer, FALSE);
  self->error_is_a_run = FALSE;
}

void
wslfp_window_get_layout_views (WslfpWindow *self, WslfpLayoutView *views[WSLFP_WINDOW_N_VIEWS])
{
  views[0] = self->layout_view;
  views[1] = wslfp_explore_page_get_layout_view (self->explore_page);
}

void
wslfp_window_get_trace_views (WslfpWindow *self, WslfpTraceView *views[WSLFP_WINDOW_N_VIEWS])
{
  views[0] = self->trace_view;
  views[1] = wslfp_explore_page_get_trace_view (self->explore_page);
}

/* ---- results ---- */

static void
failed_cb (WslfpComputeController *compute, const char *message, gboolean live, WslfpWindow *self)
{
  if (live)
    wslfp_window_show_error (self, message);
  else
    report_failure (self, message);
}

/* A restored session's zoom, once its recording is there to zoom into. */
static void
restored_cb (WslfpSessionKeeper *sessions, double t0, double t1, WslfpWindow *self)
{
  WslfpTraceView *views[WSLFP_WINDOW_N_VIEWS];
  wslfp_window_get_trace_views (self, views);
  for (int v = 0; v < WSLFP_WINDOW_N_VIEWS && t1 > t0; v++)
    wslfp_trace_view_set_range (views[v], t0, t1);
}

void wslfp_window_recompute (WslfpWindow *self) { wslfp_compute_controller_recompute (self->compute); }
gboolean wslfp_window_is_busy (WslfpWindow *self) { return wslfp_compute_controller_is_busy (self->compute); }
gboolean wslfp_window_is_restoring (WslfpWindow *self) { return wslfp_session_keeper_is_restoring (self->sessions); }
gboolean wslfp_window_parts_busy (WslfpWindow *self) { return wslfp_explore_page_terms_busy (self->explore_page); }

void
wslfp_window_cancel (WslfpWindow *self)
{
  if (!wslfp_compute_controller_cancel (self->compute))
    return;
  wslfp_status_bar_stop (self->status_bar);
  wslfp_status_bar_show (self->status_bar, _("Cancelled; showing the previous result"), FALSE);
}

/* ---- files ---- */

static char *
local_path (GFile *file, GError **error)
{
  char *path = g_file_get_path (file);
  if (path == NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, _("Only local files can be opened"));
  return path;
}

gboolean
wslfp_window_load_profile_grid (WslfpWindow *self, GFile *file, GError **error)
{
  g_autofree char *path = local_path (file, error);
  if (path == NULL || !wslfp_compute_controller_load_grid (self->compute, path, error))
    return FALSE;
  g_object_set (self->state, "profile", WSLFP_EXPLORER_CUSTOM_PROFILE, NULL);
  return TRUE;
}

gboolean
wslfp_window_load_probe (WslfpWindow *self, GFile *file, GError **error)
{
  g_autofree char *path = local_path (file, error);
  return path != NULL && wslfp_explorer_state_load_probe_file (self->state, path, error);
}

static void
recent_changed_cb (GSettings *settings, const char *key, WslfpWindow *self)
{
  g_autoptr (GMenuModel) files = wslfp_recent_menu (settings, "recent-files", "win.open-recent");
  gtk_menu_button_set_menu_model (self->recent_button, files);
  gtk_widget_set_sensitive (GTK_WIDGET (self->recent_button), g_menu_model_get_n_items (files) > 0);
  g_autoptr (GMenuModel) probes = wslfp_recent_menu (settings, "recent-probes", "win.open-recent-probe");
  wslfp_probe_panel_set_recent_menu (self->probe_panel, probes);
}

/* ---- documents ---- */

/* What is open, in the header (in full in its tooltip) and in the
 * window's title, which the desktop shows in its window list. */
static void
show_title (WslfpWindow *self, const char *label, const char *tooltip)
{
  adw_view_switcher_title_set_subtitle (self->switcher_title, label);
  gtk_label_set_text (self->dataset_label, label);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->dataset_label), tooltip);
  /* Translators: the window's title: the dataset's name, then the app's. */
  g_autofree char *title = g_strdup_printf (_("%s — WSLFP Explorer"), label);
  gtk_window_set_title (GTK_WINDOW (self), title);
}

/* Whatever starts an open (the demo, a file or network, a session, the
 * application at start-up), the status line says so at once. */
static void
opening_cb (WslfpComputeController *compute, WslfpWindow *self)
{
  wslfp_status_bar_show (self->status_bar, _("Loading…"), FALSE);
}

/* The controller took up what was opened: its name, the recent lists, and
 * undoing starts from here. */
static void
opened_cb (WslfpComputeController *compute, WslfpDocument *doc, WslfpWindow *self)
{
  GFile *file = wslfp_document_get_file (doc);
  g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;
  if (file != NULL)
    {
      g_autofree char *uri = g_file_get_uri (file);
      wslfp_recent_remember (self->settings, "recent-files", path);
      gtk_recent_manager_add_item (gtk_recent_manager_get_default (), uri);
    }
  if (self->history != NULL)
    wslfp_history_clear (self->history);
  const char *name = wslfp_document_get_title (doc);
  if (wslfp_document_get_lfp (doc) != NULL)
    {
      /* Translators: the header and title for an LFP file opened to look at. */
      g_autofree char *label = g_strdup_printf (_("%s (LFP file)"), name);
      show_title (self, label, path);
    }
  else
    show_title (self, name, path ? path : name);
}

void
wslfp_window_open_demo (WslfpWindow *self)
{
  wslfp_compute_controller_open (self->compute, NULL, NULL);
}

void
wslfp_window_open_file (WslfpWindow *self, GFile *file)
{
  wslfp_window_open_network (self, file, NULL);
}

void
wslfp_window_open_network (WslfpWindow *self, GFile *file, const char *sources)
{
  g_autofree char *name = g_file_get_basename (file);
  if (name != NULL && g_str_has_suffix (name, WSLFP_SESSION_SUFFIX))
    {
      g_autoptr (GError) error = NULL;
      if (!wslfp_window_open_session (self, file, &error))
        wslfp_window_show_error (self, error->message);
      return;
    }
  wslfp_compute_controller_open (self->compute, file, sources);
}

/* The network opened again with other sources (its file is read again:
 * the sources decide which edges matter). */
static void
sources_applied_cb (WslfpProxyPanel *panel, const char *rule, WslfpWindow *self)
{
  WslfpDocument *doc = wslfp_window_get_document (self);
  GFile *file = doc ? wslfp_document_get_file (doc) : NULL;
  if (file != NULL)
    wslfp_window_open_network (self, file, rule[0] != '\0' && strcmp (rule, "ei==e") != 0 ? rule : NULL);
}

static gboolean
drop_cb (GtkDropTarget *target, const GValue *value, double x, double y, WslfpWindow *self)
{
  GSList *files = G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST) ? g_value_get_boxed (value) : NULL;
  if (files == NULL)
    return FALSE;
  /* Probes are JSON or CSV, a SONATA network a JSON config; everything
   * else is taken for a dataset. */
  g_autofree char *name = g_file_get_basename (files->data);
  g_autofree char *lower = g_ascii_strdown (name ? name : "", -1);
  g_autofree char *path = g_file_get_path (files->data);
  gboolean network = path != NULL && wslfp_sonata_config_sniff (path);
  g_autoptr (GError) error = NULL;
  if (network || !(g_str_has_suffix (lower, ".json") || g_str_has_suffix (lower, ".csv")))
    wslfp_window_open_file (self, files->data);
  else if (!wslfp_window_load_probe (self, files->data, &error))
    wslfp_window_show_error (self, error->message);
  return TRUE;
}

/* ---- sessions ---- */

WslfpSession *wslfp_window_get_session (WslfpWindow *self) { return wslfp_session_keeper_capture (self->sessions); }
char *wslfp_window_get_command (WslfpWindow *self) { return wslfp_session_keeper_command (self->sessions); }

gboolean
wslfp_window_save_session (WslfpWindow *self, const char *path, GError **error)
{
  return wslfp_session_keeper_save (self->sessions, path, error);
}

gboolean
wslfp_window_open_session (WslfpWindow *self, GFile *file, GError **error)
{
  g_autofree char *path = local_path (file, error);
  return path != NULL && wslfp_session_keeper_restore (self->sessions, path, error);
}

/* ---- exports ---- */

gboolean
wslfp_window_export_figure (WslfpWindow *self, const char *page, const char *path, GError **error)
{
  return wslfp_window_export_figure_print (self, page, path, NULL, error);
}

gboolean
wslfp_window_export_figure_print (WslfpWindow *self, const char *page, const char *path, const WslfpPrintSize *print,
                                  GError **error)
{
  if (page == NULL)
    page = adw_view_stack_get_visible_child_name (self->stack);
  GtkWidget *figure = g_strcmp0 (page, "explore") == 0   ? GTK_WIDGET (self->explore_page)
                      : g_strcmp0 (page, "layout") == 0  ? GTK_WIDGET (self->layout_view)
                      : g_strcmp0 (page, "profile") == 0 ? GTK_WIDGET (self->profile_view)
                      : g_strcmp0 (page, "raster") == 0  ? GTK_WIDGET (self->raster_view)
                                                         : GTK_WIDGET (self->trace_view);
  return wslfp_compute_controller_check_output (self->compute, path, error)
         && wslfp_figure_export (figure, path, print, error);
}

gboolean
wslfp_window_print_size_for (const char *size, const char *font, const char *dpi, WslfpPrintSize *print)
{
  if (size == NULL || !wslfp_plot_parse_size (size, &print->width_pt, &print->height_pt))
    return FALSE;
  print->font_pt = font ? g_ascii_strtod (font, NULL) : 7;
  print->dpi = dpi ? g_ascii_strtod (dpi, NULL) : 300;
  return TRUE;
}

gboolean
wslfp_window_get_figure_print_size (WslfpWindow *self, WslfpPrintSize *print)
{
  g_autofree char *size = g_settings_get_string (self->settings, "figure-size");
  g_autofree char *text = g_settings_get_string (self->settings, "figure-text-pt");
  g_autofree char *dpi = g_settings_get_string (self->settings, "figure-dpi");
  return wslfp_window_print_size_for (size, text, dpi, print);
}

gboolean
wslfp_window_export_lfp (WslfpWindow *self, const char *path, GError **error)
{
  return wslfp_compute_controller_export_lfp (self->compute, path, error);
}

gboolean
wslfp_window_export_probe (WslfpWindow *self, const char *path, GError **error)
{
  return wslfp_compute_controller_export_probe (self->compute, path, error);
}

gboolean
wslfp_window_save_screenshot (WslfpWindow *self, const char *path, GError **error)
{
  return wslfp_compute_controller_check_output (self->compute, path, error)
         && wslfp_figure_save_screenshot (GTK_WIDGET (self), path, error);
}

const WslfpLfp *wslfp_window_get_lfp (WslfpWindow *self) { return wslfp_compute_controller_get_lfp (self->compute); }
guint wslfp_window_get_n_results (WslfpWindow *self) { return wslfp_compute_controller_get_n_results (self->compute); }
WslfpComputeController *wslfp_window_get_controller (WslfpWindow *self) { return self->compute; }
WslfpDocument *wslfp_window_get_document (WslfpWindow *self) { return wslfp_compute_controller_get_document (self->compute); }
WslfpExplorerState *wslfp_window_get_state (WslfpWindow *self) { return self->state; }
WslfpHistory *wslfp_window_get_history (WslfpWindow *self) { return self->history; }
GSettings *wslfp_window_get_settings (WslfpWindow *self) { return self->settings; }
WslfpSessionKeeper *wslfp_window_get_session_keeper (WslfpWindow *self) { return self->sessions; }
guint wslfp_window_get_n_errors (WslfpWindow *self) { return self->n_errors; }
const char *wslfp_window_get_last_error (WslfpWindow *self) { return self->last_error; }

/* ---- construction ---- */

/* The settings remember the model (wslfp_settings_bind_model), the
 * window's size and the recent lists, shown in menus. */
static void
bind_settings (WslfpWindow *self)
{
  g_autoptr (GError) error = NULL;
  if (!wslfp_settings_bind_model (self->settings, self->compute, &error) && error != NULL)
    wslfp_window_show_error (self, error->message);
  g_settings_bind (self->settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-height", self, "default-height", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);
  /* The figure's printed size: radio items of the Export menu. */
  static const char *const figure_keys[] = { "figure-size", "figure-text-pt", "figure-dpi" };
  for (guint i = 0; i < G_N_ELEMENTS (figure_keys); i++)
    {
      g_autoptr (GAction) action = g_settings_create_action (self->settings, figure_keys[i]);
      g_action_map_add_action (G_ACTION_MAP (self), action);
    }
  g_signal_connect (self->settings, "changed::recent-files", G_CALLBACK (recent_changed_cb), self);
  g_signal_connect (self->settings, "changed::recent-probes", G_CALLBACK (recent_changed_cb), self);
  recent_changed_cb (self->settings, NULL, self);
}

/* What is shown, in the state: the page and the time range the trace
 * views show; the view's choices act on the state itself: win.trace-mode
 * ("auto", "lines", "image"), win.figure-kind ("lfp", "csd", "psd") and
 * win.show-parts (the Terms view); win.pin on the controller. */
static void
bind_view (WslfpWindow *self)
{
  const GBindingFlags both = G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE;
  g_object_bind_property (self->state, "page", self->stack, "visible-child-name", both);
  g_object_bind_property (self->trace_view, "t-start-ms", self->state, "t-start-ms", G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->trace_view, "t-end-ms", self->state, "t-end-ms", G_BINDING_SYNC_CREATE);
  static const char *const actions[][2] = {
    { "trace-mode", "trace-mode" }, { "figure-kind", "figure-kind" }, { "show-parts", "show-terms" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    {
      g_autoptr (GPropertyAction) action = g_property_action_new (actions[i][0], self->state, actions[i][1]);
      g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (action));
    }
  /* win.pin keeps a copy of the result shown to compare with. */
  g_autoptr (GPropertyAction) pin = g_property_action_new ("pin", self->compute, "pinned");
  g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (pin));
}

/* A click on a trace of the Traces page: that contact's terms (shown on
 * the Explore page). */
static void
contact_activated_cb (WslfpTraceView *view, gint64 e, WslfpWindow *self)
{
  g_object_set (self->state, "terms-contact", (int) e, "show-terms", TRUE, NULL);
}

/* The views follow the controller; what the pointer is over shows in the
 * status line. */
static void
follow (WslfpWindow *self)
{
  WslfpTraceView *traces[WSLFP_WINDOW_N_VIEWS];
  WslfpLayoutView *layouts[WSLFP_WINDOW_N_VIEWS];
  wslfp_window_get_trace_views (self, traces);
  wslfp_window_get_layout_views (self, layouts);
  for (int v = 0; v < WSLFP_WINDOW_N_VIEWS; v++)
    {
      wslfp_follow_traces (traces[v], self->compute);
      wslfp_follow_layout (layouts[v], self->compute);
      g_object_bind_property (traces[v], "hover-text", self->status_bar, "hover-text", G_BINDING_DEFAULT);
    }
  wslfp_follow_profile (self->profile_view, self->compute);
  wslfp_follow_profile (wslfp_proxy_panel_get_profile_preview (self->proxy_panel), self->compute);
  wslfp_follow_raster (self->raster_view, self->compute);
  wslfp_status_bar_set_controller (self->status_bar, self->compute);
}

static void
toggle_panel_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  AdwFlap *flap = WSLFP_WINDOW (widget)->flap;
  adw_flap_set_reveal_flap (flap, !adw_flap_get_reveal_flap (flap));
}

static void
dismiss_error_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  gtk_revealer_set_reveal_child (WSLFP_WINDOW (widget)->error_revealer, FALSE);
}

static void
toast_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  wslfp_window_toast (WSLFP_WINDOW (widget), g_variant_get_string (param, NULL));
}

static void
wslfp_window_dispose (GObject *object)
{
  WslfpWindow *self = WSLFP_WINDOW (object);
  /* Stop work first: a worker's result must not reach a dying window or
   * its views (which hold the controller until they go). */
  if (self->compute != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->compute, self);
      wslfp_compute_controller_stop (self->compute);
    }
  g_clear_pointer (&self->hand, wslfp_layout_hand_free);
  g_clear_object (&self->sessions);
  g_clear_object (&self->compute);
  if (self->state != NULL)
    g_signal_handlers_disconnect_by_data (self->state, self);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->history);
  /* The window's actions can outlive it (a GTK tooltip window shown over
   * it does, and keeps them): those that hold the state, the controller
   * (and with it the dataset) or the settings go now. */
  static const char *const holding[] = { "trace-mode", "figure-kind", "show-parts", "pin",
                                         "figure-size", "figure-text-pt", "figure-dpi" };
  for (guint i = 0; i < G_N_ELEMENTS (holding); i++)
    g_action_map_remove_action (G_ACTION_MAP (self), holding[i]);
  gtk_widget_dispose_template (GTK_WIDGET (self), WSLFP_TYPE_WINDOW);
  g_clear_object (&self->settings);
  g_clear_object (&self->state);
  G_OBJECT_CLASS (wslfp_window_parent_class)->dispose (object);
}

static void
wslfp_window_finalize (GObject *object)
{
  WslfpWindow *self = WSLFP_WINDOW (object);
  g_clear_weak_pointer (&self->toast);
  g_free (self->last_error);
  G_OBJECT_CLASS (wslfp_window_parent_class)->finalize (object);
}

static void
wslfp_window_class_init (WslfpWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wslfp_window_dispose;
  object_class->finalize = wslfp_window_finalize;
#ifdef HAVE_OPENBLAS_SET_NUM_THREADS
  /* The app computes in its own worker threads and shares big products
   * between them itself: BLAS's threads would spin on the core that draws. */
  openblas_set_num_threads (1);
#endif
  wslfp_register_resource ();
  g_type_ensure (WSLFP_TYPE_TRACE_VIEW);
  g_type_ensure (WSLFP_TYPE_LAYOUT_VIEW);
  g_type_ensure (WSLFP_TYPE_PROFILE_VIEW);
  g_type_ensure (WSLFP_TYPE_RASTER_VIEW);
  g_type_ensure (WSLFP_TYPE_EXPLORE_PAGE);
  g_type_ensure (WSLFP_TYPE_PROXY_PANEL);
  g_type_ensure (WSLFP_TYPE_PROBE_PANEL);
  g_type_ensure (WSLFP_TYPE_STATUS_BAR);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/wslfp/Explorer/wslfp-window.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, WslfpWindow, name)
  BIND (toast_overlay);
  BIND (error_revealer);
  BIND (error_label);
  BIND (flap);
  BIND (switcher_title);
  BIND (dataset_label);
  BIND (stack);
  BIND (recent_button);
  BIND (trace_view);
  BIND (layout_view);
  BIND (explore_page);
  BIND (proxy_panel);
  BIND (probe_panel);
  BIND (profile_view);
  BIND (raster_view);
  BIND (status_bar);
  BIND (primary_menu);
  BIND (export_menu);
#undef BIND
  gtk_widget_class_install_action (widget_class, "win.toggle-panel", NULL, toggle_panel_action);
  gtk_widget_class_install_action (widget_class, "win.toast", "s", toast_action);
  gtk_widget_class_install_action (widget_class, "win.dismiss-error", NULL, dismiss_error_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F9, 0, "win.toggle-panel", NULL);
  wslfp_window_class_install_actions (widget_class);
}

static void
wslfp_window_init (WslfpWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  wslfp_h5_init ();
  self->settings = wslfp_settings_new ();
  g_autoptr (WslfpProbe) probe = wslfp_probe_new ();
  self->state = wslfp_explorer_state_new (probe);
  self->compute = wslfp_compute_controller_new (self->state);
  /* The views first: a restored session zooms into the result they show. */
  follow (self);
  self->sessions = wslfp_session_keeper_new (self->compute);
  g_signal_connect (self->compute, "failed", G_CALLBACK (failed_cb), self);
  g_signal_connect (self->compute, "computed", G_CALLBACK (computed_cb), self);
  g_signal_connect_swapped (self->compute, "notice", G_CALLBACK (wslfp_window_toast), self);
  g_signal_connect (self->compute, "opened", G_CALLBACK (opened_cb), self);
  g_signal_connect (self->compute, "opening", G_CALLBACK (opening_cb), self);
  g_signal_connect_swapped (self->sessions, "failed", G_CALLBACK (wslfp_window_show_error), self);
  g_signal_connect (self->sessions, "restored", G_CALLBACK (restored_cb), self);
  bind_settings (self);
  /* (the panels show the settings restored) */
  wslfp_proxy_panel_set_controller (self->proxy_panel, self->compute);
  wslfp_probe_panel_set_controller (self->probe_panel, self->compute);
  wslfp_explore_page_set_controller (self->explore_page, self->compute);
  bind_view (self);
  g_signal_connect (self->proxy_panel, "sources-applied", G_CALLBACK (sources_applied_cb), self);
  g_signal_connect (self->trace_view, "contact-activated", G_CALLBACK (contact_activated_cb), self);
  GtkDropTarget *drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect (drop, "drop", G_CALLBACK (drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));
  /* The export menu in the main menu too: a narrow header has no room
   * for its button. */
  g_autoptr (GMenu) exports = g_menu_new ();
  g_menu_append_submenu (exports, _("_Export"), G_MENU_MODEL (self->export_menu));
  g_menu_insert_section (self->primary_menu, 1, NULL, G_MENU_MODEL (exports));
  /* What the user changes from here on can be undone. */
  self->history = wslfp_history_new (self->state);
  WslfpTraceView *traces[WSLFP_WINDOW_N_VIEWS];
  WslfpLayoutView *layouts[WSLFP_WINDOW_N_VIEWS];
  wslfp_window_get_trace_views (self, traces);
  wslfp_window_get_layout_views (self, layouts);
  self->hand = wslfp_layout_hand_new (self->compute, self->history, layouts, traces, WSLFP_WINDOW_N_VIEWS);
  wslfp_window_watch_history (self);
}

WslfpWindow *
wslfp_window_new (AdwApplication *app)
{
  return g_object_new (WSLFP_TYPE_WINDOW, "application", app, NULL);
}
