/* wslfp-window.c: the main window: settings and probe panels, the views,
 * loading datasets and computing in worker threads. */
#include "config.h"

#include "wslfp-window-private.h"
#include "wslfp-sonata-config.h"

#include <cblas.h>
#include <glib/gi18n.h>
#include <math.h>

#include "wslfp-h5.h"
#include "wslfp-plot.h"
#include "wslfp-profile-file.h"
#include "wslfp-resources.h"
#include "wslfp-settings.h"
#include "wslfp-application.h"
#include "wslfp-figure.h"
#include "wslfp-follow.h"

G_DEFINE_FINAL_TYPE (WslfpWindow, wslfp_window, ADW_TYPE_APPLICATION_WINDOW)

void
wslfp_window_toast (WslfpWindow *self, const char *message)
{
  /* A toast's title is markup: a message may quote a file name or a line
   * with <, > or &. */
  g_autofree char *escaped = g_markup_escape_text (message, -1);
  AdwToast *toast = adw_toast_new (escaped);
  adw_toast_set_timeout (toast, 6);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
report_error (WslfpWindow *self, const char *message)
{
  g_free (self->last_error);
  self->last_error = g_strdup (message);
  self->n_errors++;
  wslfp_window_toast (self, message);
}

/* A load or a computation failed: the reason in the status line (the
 * toast goes away), and a screenshot run ends with it. */
static void
report_failure (WslfpWindow *self, const char *message)
{
  report_error (self, message);
  wslfp_status_bar_show (self->status_bar, message, TRUE);
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  if (self->screenshot_path != NULL && WSLFP_IS_APPLICATION (app))
    wslfp_application_fail (WSLFP_APPLICATION (app), message);
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

WslfpDocument *
wslfp_window_get_document (WslfpWindow *self)
{
  return wslfp_compute_controller_get_document (self->compute);
}

/* Which cells a contact hears: the hovered contact's weights on the cells
 * in both layout views, its trace in bold. */
static void
update_contributions (WslfpWindow *self)
{
  WslfpLayoutView *views[WSLFP_WINDOW_N_VIEWS];
  WslfpTraceView *traces[WSLFP_WINDOW_N_VIEWS];
  wslfp_window_get_layout_views (self, views);
  wslfp_window_get_trace_views (self, traces);
  gssize e = self->hovered_contact;
  gsize n = 0;
  g_autofree double *weights = e >= 0 ? wslfp_compute_controller_contact_weights (self->compute, e, &n) : NULL;
  for (int v = 0; v < WSLFP_WINDOW_N_VIEWS; v++)
    {
      wslfp_layout_view_set_weights (views[v], weights, n, weights ? e : -1);
      wslfp_trace_view_set_highlight (traces[v], weights ? e : -1);
    }
}

static void
contact_hovered_cb (WslfpLayoutView *view, gint64 e, WslfpWindow *self)
{
  self->hovered_contact = (gssize) e;
  update_contributions (self);
}

/* ---- computing ---- */

/* A new result (computed, moved, or a file's): a session being restored
 * takes its next step. */
static void
result_cb (WslfpComputeController *compute, const char *status, WslfpWindow *self)
{
  if (wslfp_compute_controller_get_lfp (compute) != NULL)
    wslfp_window_session_result_shown (self);
}

static gboolean
screenshot_cb (gpointer data)
{
  WslfpWindow *self = data;
  g_autoptr (GError) error = NULL;
  if (!wslfp_window_save_screenshot (self, self->screenshot_path, &error))
    g_printerr ("wslfp-explorer: %s\n", error->message);
  GApplication *app = G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  if (app != NULL)
    g_application_quit (app);
  return G_SOURCE_REMOVE;
}

/* A screenshot run saves the window once its first figure is complete:
 * a dataset's computed result (a session's last), or an LFP file's traces. */
static void
schedule_screenshot (WslfpWindow *self)
{
  if (self->screenshot_path != NULL && !self->screenshot_scheduled && self->pending_session == NULL)
    {
      self->screenshot_scheduled = TRUE;
      g_timeout_add (400, screenshot_cb, self);
    }
}

static void
computed_cb (WslfpComputeController *compute, WslfpWindow *self)
{
  schedule_screenshot (self);
}

static void
failed_cb (WslfpComputeController *compute, const char *message, gboolean live, WslfpWindow *self)
{
  if (live)
    {
      wslfp_window_toast (self, message);
      return;
    }
  report_failure (self, message);
}

void
wslfp_window_recompute (WslfpWindow *self)
{
  wslfp_compute_controller_recompute (self->compute);
}

void
wslfp_window_cancel (WslfpWindow *self)
{
  if (!wslfp_compute_controller_cancel (self->compute))
    return;
  wslfp_status_bar_stop (self->status_bar);
  wslfp_status_bar_show (self->status_bar, _("Cancelled; showing the previous result"), FALSE);
}

gboolean
wslfp_window_is_busy (WslfpWindow *self)
{
  return wslfp_compute_controller_is_busy (self->compute);
}

char *
wslfp_window_local_path (GFile *file, GError **error)
{
  char *path = g_file_get_path (file);
  if (path == NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, _("Only local files can be opened"));
  return path;
}

gboolean
wslfp_window_is_restoring (WslfpWindow *self)
{
  return self->pending_session != NULL;
}

/* What is computed changed (a setting, the probe, the document, the end
 * of a hold): the hovered contact's weights follow. */
static void
geometry_changed_cb (GObject *object, GParamSpec *pspec, WslfpWindow *self)
{
  if (self->hovered_contact >= 0 && !wslfp_compute_controller_is_held (self->compute)
      && (object != G_OBJECT (self->state) || wslfp_explorer_state_is_computed (pspec)))
    update_contributions (self);
}

gboolean
wslfp_window_load_profile_grid (WslfpWindow *self, GFile *file, GError **error)
{
  g_autofree char *path = wslfp_window_local_path (file, error);
  if (path == NULL)
    return FALSE;
  if (!wslfp_compute_controller_load_grid (self->compute, path, error))
    return FALSE;
  g_settings_set_string (self->settings, "custom-profile-file", path);
  g_object_set (self->state, "profile", WSLFP_EXPLORER_CUSTOM_PROFILE, NULL);
  return TRUE;
}

/* A custom profile chosen last time comes back with its grid, or gives way
 * to the default profile if the file is gone or broken. */
static void
restore_profile (WslfpWindow *self)
{
  guint p;
  g_object_get (self->state, "profile", &p, NULL);
  g_autofree char *path = g_settings_get_string (self->settings, "custom-profile-file");
  if (p != WSLFP_EXPLORER_CUSTOM_PROFILE)
    return;
  g_autoptr (GError) error = NULL;
  g_autoptr (GFile) file = g_file_new_for_path (path);
  if (path[0] == '\0' || !wslfp_window_load_profile_grid (self, file, &error))
    {
      g_object_set (self->state, "profile", 1, NULL); /* mazzoni15_single, the default */
      if (error != NULL)
        wslfp_window_toast (self, error->message);
    }
}

static void
probe_dragged_cb (WslfpLayoutView *view, double dx, double dy, double dz, WslfpWindow *self)
{
  if (wslfp_probe_translate (self->probe, dx, dy, dz))
    self->told_probe_limit = FALSE;
  else if (!self->told_probe_limit)
    {
      /* Once per push against the limit, not once per pixel of it. */
      g_autofree char *msg = g_strdup_printf (_("The probe stays within ±%g µm of the origin"), WSLFP_PROBE_LIMIT_UM);
      wslfp_window_toast (self, msg);
      self->told_probe_limit = TRUE;
    }
}

/* A drag of the probe, press to release, is one step to undo. */
static void
probe_drag_begin_cb (WslfpLayoutView *view, WslfpWindow *self)
{
  if (!self->dragging_probe)
    wslfp_history_begin_group (self->history);
  self->dragging_probe = TRUE;
}

static void
probe_drag_end_cb (WslfpLayoutView *view, WslfpWindow *self)
{
  if (self->dragging_probe)
    wslfp_history_end_group (self->history);
  self->dragging_probe = FALSE;
}

/* A click on a trace of the Traces page: that contact's terms (shown on
 * the Explore page). */
static void
contact_activated_cb (WslfpTraceView *view, gint64 e, WslfpWindow *self)
{
  g_object_set (self->state, "terms-contact", (int) e, "show-terms", TRUE, NULL);
}

gboolean
wslfp_window_parts_busy (WslfpWindow *self)
{
  return wslfp_explore_page_terms_busy (self->explore_page);
}

static void
range_changed_cb (GObject *object, GParamSpec *pspec, WslfpWindow *self)
{
  double t0, t1;
  g_object_get (self->trace_view, "t-start-ms", &t0, "t-end-ms", &t1, NULL);
  wslfp_raster_view_set_range (self->raster_view, t0, t1);
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

static void
set_document (WslfpWindow *self, WslfpDocument *doc)
{
  const WslfpDataset *ds = wslfp_document_get_dataset (doc);
  /* The file's own probe, its sources and the session's settings: one
   * computation and one drawing for all of them, at the end. */
  wslfp_compute_controller_hold (self->compute);
  wslfp_compute_controller_set_document (self->compute, doc);
  wslfp_explorer_state_use_dataset_probe (self->state, ds);
  wslfp_explorer_state_adapt_to_dataset (self->state, ds);
  wslfp_window_apply_pending_session (self);

  const char *name = wslfp_document_get_title (doc);
  GFile *file = wslfp_document_get_file (doc);
  g_autofree char *path = file ? g_file_get_path (file) : NULL;
  show_title (self, name, path ? path : name);
  g_object_set (self->state, "dataset", path, "sources", wslfp_document_get_sources (doc), NULL);
  wslfp_compute_controller_release (self->compute);
  /* Another dataset: undoing starts from its first result. */
  if (self->history != NULL)
    wslfp_history_clear (self->history);
  wslfp_compute_controller_schedule (self->compute);
}

/* The dataset in the recent lists: ours, and the desktop's. */
static void
remember_recent (WslfpWindow *self, GFile *file)
{
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *uri = g_file_get_uri (file);
  wslfp_window_remember (self, "recent-files", path);
  gtk_recent_manager_add_item (gtk_recent_manager_get_default (), uri);
}

/* An LFP file: its traces only.  Nothing is computed until a dataset is
 * opened; the probe shows its contacts. */
static void
set_lfp_document (WslfpWindow *self, WslfpDocument *doc)
{
  g_clear_pointer (&self->pending_session, wslfp_session_free);
  if (self->history != NULL)
    wslfp_history_clear (self->history);
  g_autoptr (GError) error = NULL;
  if (!wslfp_compute_controller_view_file (self->compute, doc, &error))
    {
      report_failure (self, error->message);
      return;
    }
  schedule_screenshot (self);
  /* Translators: the header and title for an LFP file opened to look at. */
  g_autofree char *label = g_strdup_printf (_("%s (LFP file)"), wslfp_document_get_title (doc));
  g_autofree char *path = g_file_get_path (wslfp_document_get_file (doc));
  show_title (self, label, path);
  const WslfpLfp *copy = wslfp_compute_controller_get_lfp (self->compute);
  /* Translators: status line for an LFP file: its samples, contacts and how it was made. */
  g_autofree char *status = g_strdup_printf (_("An LFP file: %zu samples × %zu contacts, %s%s — open a dataset to compute"),
                                             copy->n_times, copy->n_electrodes, copy->profile,
                                             copy->population ? _(", population") : "");
  wslfp_status_bar_show (self->status_bar, status, FALSE);
}

static void
opened_cb (WslfpComputeController *compute, WslfpDocument *doc, WslfpWindow *self)
{
  GFile *file = wslfp_document_get_file (doc);
  if (file != NULL)
    {
      remember_recent (self, file);
      wslfp_window_update_recent_menu (self);
    }
  if (wslfp_document_get_lfp (doc) != NULL)
    set_lfp_document (self, doc);
  else
    set_document (self, doc);
}

void
wslfp_window_open_demo (WslfpWindow *self)
{
  wslfp_status_bar_show (self->status_bar, _("Loading…"), FALSE);
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
        report_error (self, error->message);
      return;
    }
  wslfp_status_bar_show (self->status_bar, _("Loading…"), FALSE);
  wslfp_compute_controller_open (self->compute, file, sources);
}

/* The network opened again with other sources (its file is read again:
 * the sources decide which edges matter). */
static void
sources_applied_cb (WslfpProxyPanel *panel, const char *rule, WslfpWindow *self)
{
  WslfpDocument *doc = wslfp_window_get_document (self);
  GFile *file = doc ? wslfp_document_get_file (doc) : NULL;
  if (file == NULL)
    return;
  wslfp_window_open_network (self, file, rule[0] != '\0' && strcmp (rule, "ei==e") != 0 ? rule : NULL);
}

static gboolean
drop_cb (GtkDropTarget *target, const GValue *value, double x, double y, WslfpWindow *self)
{
  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;
  GSList *files = g_value_get_boxed (value);
  if (files == NULL)
    return FALSE;
  /* Probes are JSON or CSV, a SONATA network a JSON config; everything
   * else is taken for a dataset. */
  g_autofree char *name = g_file_get_basename (files->data);
  g_autofree char *lower = g_ascii_strdown (name ? name : "", -1);
  g_autofree char *path = g_file_get_path (files->data);
  gboolean network = path != NULL && wslfp_sonata_config_sniff (path);
  if (!network && (g_str_has_suffix (lower, ".json") || g_str_has_suffix (lower, ".csv")))
    {
      g_autoptr (GError) error = NULL;
      if (!wslfp_window_load_probe (self, files->data, &error))
        report_error (self, error->message);
      return TRUE;
    }
  wslfp_window_open_file (self, files->data);
  return TRUE;
}

/* ---- probes ---- */

static void
update_recent_probes (WslfpWindow *self)
{
  g_autoptr (GMenuModel) menu = wslfp_window_recent_menu (self, "recent-probes", "win.open-recent-probe");
  wslfp_probe_panel_set_recent_menu (self->probe_panel, menu);
}

gboolean
wslfp_window_load_probe (WslfpWindow *self, GFile *file, GError **error)
{
  g_autofree char *path = wslfp_window_local_path (file, error);
  if (path == NULL)
    return FALSE;
  if (!wslfp_explorer_state_load_probe_file (self->state, path, error))
    return FALSE;
  wslfp_window_remember (self, "recent-probes", path);
  update_recent_probes (self);
  return TRUE;
}

gboolean
wslfp_window_export_probe (WslfpWindow *self, const char *path, GError **error)
{
  return wslfp_compute_controller_export_probe (self->compute, path, error);
}

/* ---- exports ---- */

gboolean
wslfp_window_export_figure (WslfpWindow *self, const char *page, const char *path, GError **error)
{
  return wslfp_window_export_figure_print (self, page, path, NULL, error);
}

gboolean
wslfp_window_check_output (WslfpWindow *self, const char *path, GError **error)
{
  return wslfp_compute_controller_check_output (self->compute, path, error);
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
  return wslfp_window_check_output (self, path, error) && wslfp_figure_export (figure, path, print, error);
}

gboolean
wslfp_window_export_lfp (WslfpWindow *self, const char *path, GError **error)
{
  return wslfp_compute_controller_export_lfp (self->compute, path, error);
}

gboolean
wslfp_window_save_screenshot (WslfpWindow *self, const char *path, GError **error)
{
  return wslfp_window_check_output (self, path, error) && wslfp_figure_save_screenshot (GTK_WIDGET (self), path, error);
}

void
wslfp_window_set_screenshot (WslfpWindow *self, const char *path)
{
  g_free (self->screenshot_path);
  self->screenshot_path = g_strdup (path);
}

const WslfpLfp *wslfp_window_get_lfp (WslfpWindow *self) { return wslfp_compute_controller_get_lfp (self->compute); }
guint wslfp_window_get_n_results (WslfpWindow *self) { return wslfp_compute_controller_get_n_results (self->compute); }
WslfpComputeController *wslfp_window_get_controller (WslfpWindow *self) { return self->compute; }
WslfpExplorerState *wslfp_window_get_state (WslfpWindow *self) { return self->state; }
WslfpHistory *wslfp_window_get_history (WslfpWindow *self) { return self->history; }
guint wslfp_window_get_n_errors (WslfpWindow *self) { return self->n_errors; }
const char *wslfp_window_get_last_error (WslfpWindow *self) { return self->last_error; }

enum
{
  PROP_0,
  PROP_PINNED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
wslfp_window_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  WslfpWindow *self = WSLFP_WINDOW (object);
  switch (prop_id)
    {
    case PROP_PINNED: /* (asked by the template's buttons before the controller exists) */
      g_value_set_boolean (value, self->compute != NULL && wslfp_compute_controller_get_pinned_lfp (self->compute) != NULL);
      break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wslfp_window_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  WslfpWindow *self = WSLFP_WINDOW (object);
  switch (prop_id)
    {
    case PROP_PINNED:
      /* (pinning again pins the result shown now) */
      if (g_value_get_boolean (value) || wslfp_compute_controller_get_pinned_lfp (self->compute) != NULL)
        {
          if (!wslfp_compute_controller_pin (self->compute, g_value_get_boolean (value)))
            wslfp_window_toast (self, _("There is no result to pin yet"));
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* ---- construction ---- */

/* The settings remember the state's proxy settings; the proxy panel's
 * controls show and change the state (they keep no values of their own). */
static void
bind_settings (WslfpWindow *self)
{
  /* Every proxy setting whose session key the schema has too (not the
   * source, which follows the dataset). */
  g_autoptr (GSettingsSchema) schema = NULL;
  g_object_get (self->settings, "settings-schema", &schema, NULL);
  for (guint i = 0; i < wslfp_n_settings; i++)
    if (g_settings_schema_has_key (schema, wslfp_settings[i].key))
      g_settings_bind (self->settings, wslfp_settings[i].key, self->state, wslfp_settings[i].name,
                       G_SETTINGS_BIND_DEFAULT);
  wslfp_proxy_panel_set_controller (self->proxy_panel, self->compute);
  g_settings_bind (self->settings, "memory-budget-mb", self->compute, "memory-budget-mb", G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-height", self, "default-height", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);
}

/* What is shown, in the state: the page, the figure, the Terms view and
 * the time range the trace views show. */
static void
bind_view (WslfpWindow *self)
{
  const GBindingFlags both = G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE;
  g_object_bind_property (self->state, "page", self->stack, "visible-child-name", both);
  g_object_bind_property (self->trace_view, "t-start-ms", self->state, "t-start-ms", G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->trace_view, "t-end-ms", self->state, "t-end-ms", G_BINDING_SYNC_CREATE);
}

/* The view's choices act on the state itself: win.trace-mode ("auto",
 * "lines", "image"), win.figure-kind ("lfp", "csd", "psd") and
 * win.show-parts (the Terms view). */
static void
add_state_actions (WslfpWindow *self)
{
  static const char *const actions[][2] = {
    { "trace-mode", "trace-mode" }, { "figure-kind", "figure-kind" }, { "show-parts", "show-terms" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    {
      g_autoptr (GPropertyAction) action = g_property_action_new (actions[i][0], self->state, actions[i][1]);
      g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (action));
    }
}

static void
watch_state (WslfpWindow *self)
{
  g_signal_connect (self->proxy_panel, "sources-applied", G_CALLBACK (sources_applied_cb), self);
  g_signal_connect (self->state, "notify", G_CALLBACK (geometry_changed_cb), self);
  g_signal_connect (self->probe, "notify", G_CALLBACK (geometry_changed_cb), self);
  g_signal_connect (self->compute, "notify::document", G_CALLBACK (geometry_changed_cb), self);
  g_signal_connect (self->compute, "notify::held", G_CALLBACK (geometry_changed_cb), self);
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
  g_clear_object (&self->compute);
  if (self->probe != NULL)
    g_signal_handlers_disconnect_by_data (self->probe, self);
  if (self->state != NULL)
    g_signal_handlers_disconnect_by_data (self->state, self);
  g_clear_object (&self->history);
  gtk_widget_dispose_template (GTK_WIDGET (self), WSLFP_TYPE_WINDOW);
  g_clear_object (&self->settings);
  g_clear_object (&self->probe);
  g_clear_object (&self->state);
  G_OBJECT_CLASS (wslfp_window_parent_class)->dispose (object);
}

static void
wslfp_window_finalize (GObject *object)
{
  WslfpWindow *self = WSLFP_WINDOW (object);
  g_free (self->screenshot_path);
  g_free (self->last_error);
  g_clear_pointer (&self->pending_session, wslfp_session_free);
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
  object_class->get_property = wslfp_window_get_property;
  object_class->set_property = wslfp_window_set_property;
  /* A copy of the current result kept to compare with (win.pin). */
  properties[PROP_PINNED] = g_param_spec_boolean ("pinned", NULL, NULL, FALSE,
                                                  G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
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
#undef BIND
  wslfp_window_class_install_actions (widget_class);
}

static void
wslfp_window_init (WslfpWindow *self)
{
  self->hovered_contact = -1;
  gtk_widget_init_template (GTK_WIDGET (self));
  wslfp_h5_init ();
  self->settings = wslfp_settings_new ();
  self->probe = wslfp_probe_new ();
  self->state = wslfp_explorer_state_new (self->probe);
  self->compute = wslfp_compute_controller_new (self->state);
  /* The views follow the controller (before the window's own handlers: a
   * restored session zooms into the result they show). */
  WslfpTraceView *traces[WSLFP_WINDOW_N_VIEWS];
  WslfpLayoutView *layouts[WSLFP_WINDOW_N_VIEWS];
  wslfp_window_get_trace_views (self, traces);
  wslfp_window_get_layout_views (self, layouts);
  for (int v = 0; v < WSLFP_WINDOW_N_VIEWS; v++)
    {
      wslfp_follow_traces (traces[v], self->compute);
      wslfp_follow_layout (layouts[v], self->compute);
    }
  wslfp_follow_profile (self->profile_view, self->compute);
  wslfp_follow_profile (wslfp_proxy_panel_get_profile_preview (self->proxy_panel), self->compute);
  wslfp_follow_raster (self->raster_view, self->compute);
  wslfp_status_bar_set_controller (self->status_bar, self->compute);
  g_signal_connect (self->compute, "result", G_CALLBACK (result_cb), self);
  g_signal_connect (self->compute, "computed", G_CALLBACK (computed_cb), self);
  g_signal_connect (self->compute, "failed", G_CALLBACK (failed_cb), self);
  g_signal_connect (self->compute, "opened", G_CALLBACK (opened_cb), self);
  bind_settings (self);
  restore_profile (self);
  watch_state (self);
  add_state_actions (self);
  bind_view (self);
  wslfp_probe_panel_set_controller (self->probe_panel, self->compute);
  update_recent_probes (self);
  wslfp_explore_page_set_controller (self->explore_page, self->compute);
  g_signal_connect (self->trace_view, "contact-activated", G_CALLBACK (contact_activated_cb), self);
  /* What the pointer is over, on either page with traces (issue 22,
   * item 13: the Explore page showed only a dot). */
  WslfpTraceView *hovered[WSLFP_WINDOW_N_VIEWS];
  wslfp_window_get_trace_views (self, hovered);
  for (int v = 0; v < WSLFP_WINDOW_N_VIEWS; v++)
    g_object_bind_property (hovered[v], "hover-text", self->status_bar, "hover-text", G_BINDING_DEFAULT);
  g_signal_connect (self->trace_view, "notify::t-start-ms", G_CALLBACK (range_changed_cb), self);
  g_signal_connect (self->trace_view, "notify::t-end-ms", G_CALLBACK (range_changed_cb), self);
  WslfpLayoutView *views[WSLFP_WINDOW_N_VIEWS];
  wslfp_window_get_layout_views (self, views);
  for (int v = 0; v < WSLFP_WINDOW_N_VIEWS; v++)
    {
      g_signal_connect (views[v], "probe-dragged", G_CALLBACK (probe_dragged_cb), self);
      g_signal_connect (views[v], "probe-drag-begin", G_CALLBACK (probe_drag_begin_cb), self);
      g_signal_connect (views[v], "probe-drag-end", G_CALLBACK (probe_drag_end_cb), self);
      g_signal_connect (views[v], "contact-hovered", G_CALLBACK (contact_hovered_cb), self);
    }

  GtkDropTarget *drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect (drop, "drop", G_CALLBACK (drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));
  wslfp_window_update_recent_menu (self);
  wslfp_status_bar_show (self->status_bar, _("Loading…"), FALSE);
  /* What the user changes from here on can be undone. */
  self->history = wslfp_history_new (self->state);
  wslfp_window_watch_history (self);
}

WslfpWindow *
wslfp_window_new (AdwApplication *app)
{
  return g_object_new (WSLFP_TYPE_WINDOW, "application", app, NULL);
}
