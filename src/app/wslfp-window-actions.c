/* wslfp-window-actions.c: the window's actions and their shortcuts,
 * through the window's public API (src/DESIGN.md). */
#include "config.h"
#include "wslfp-window-actions.h"

#include <glib/gi18n.h>

typedef void (*OpenChosen) (WslfpWindow *self, GFile *file);

typedef struct
{
  WslfpWindow *self;
  OpenChosen chosen;
} OpenJob;

static void
open_response_cb (GtkNativeDialog *dialog, int response, OpenJob *job)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      job->chosen (job->self, file);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
  g_free (job);
}

/* A file chooser for one kind of file (@patterns, NULL-terminated) that
 * hands the chosen file to @chosen. */
static void
open_dialog (WslfpWindow *self, const char *title, const char *filter_name, const char *const *patterns,
             OpenChosen chosen)
{
  GtkFileChooserNative *dialog = gtk_file_chooser_native_new (title, GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_OPEN,
                                                              _("_Open"), _("_Cancel"));
  g_autoptr (GtkFileFilter) filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, filter_name);
  for (guint i = 0; patterns[i] != NULL; i++)
    gtk_file_filter_add_pattern (filter, patterns[i]);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  OpenJob *job = g_new0 (OpenJob, 1);
  job->self = self;
  job->chosen = chosen;
  g_signal_connect (dialog, "response", G_CALLBACK (open_response_cb), job);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
open_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  static const char *const patterns[] = { "*.h5", "*.hdf5", "*.hdf", "*.nwb", "*.json", "*" WSLFP_SESSION_SUFFIX, NULL };
  open_dialog (WSLFP_WINDOW (widget), _("Open a Dataset or a Session"), _("HDF5 datasets and sessions"), patterns,
               wslfp_window_open_file);
}

static void
load_profile_grid (WslfpWindow *self, GFile *file)
{
  g_autoptr (GError) error = NULL;
  if (!wslfp_window_load_profile_grid (self, file, &error))
    wslfp_window_show_error (self, error->message);
}

static void
open_profile_grid_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  static const char *const patterns[] = { "*.csv", "*.CSV", NULL };
  /* Translators: the file type of custom amplitude profiles. */
  open_dialog (WSLFP_WINDOW (widget), _("Open a Profile Grid"), _("Profile grids (r_um, d_um, amp_uV), CSV"), patterns,
               load_profile_grid);
}

static void
load_probe (WslfpWindow *self, GFile *file)
{
  g_autoptr (GError) error = NULL;
  if (!wslfp_window_load_probe (self, file, &error))
    wslfp_window_show_error (self, error->message);
}

static void
open_probe_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  static const char *const patterns[] = { "*.json", "*.JSON", "*.csv", "*.CSV", NULL };
  /* Translators: the file types of probes. */
  open_dialog (WSLFP_WINDOW (widget), _("Open a Probe"), _("Probes (probeinterface JSON, or CSV x_um, y_um, z_um, shank)"),
               patterns, load_probe);
}

static void
open_recent_probe_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  g_autoptr (GFile) file = g_file_new_for_path (g_variant_get_string (param, NULL));
  load_probe (WSLFP_WINDOW (widget), file);
}

static void
open_recent_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  g_autoptr (GFile) file = g_file_new_for_path (g_variant_get_string (param, NULL));
  wslfp_window_open_file (WSLFP_WINDOW (widget), file);
}

static void
open_demo_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  wslfp_window_open_demo (WSLFP_WINDOW (widget));
}

typedef enum
{
  SAVE_FIGURE,
  SAVE_LFP,
  SAVE_PROBE,
  SAVE_SESSION,
} SaveWhat;

typedef struct
{
  WslfpWindow *self;
  SaveWhat what;
  char *page;
} SaveJob;

static void
save_response_cb (GtkNativeDialog *dialog, int response, SaveJob *job)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = g_file_get_path (file);
      g_autoptr (GError) error = NULL;
      WslfpPrintSize print;
      gboolean printed = job->what == SAVE_FIGURE && wslfp_window_get_figure_print_size (job->self, &print);
      gboolean ok = job->what == SAVE_LFP       ? wslfp_window_export_lfp (job->self, path, &error)
                    : job->what == SAVE_PROBE   ? wslfp_window_export_probe (job->self, path, &error)
                    : job->what == SAVE_SESSION ? wslfp_window_save_session (job->self, path, &error)
                                                : wslfp_window_export_figure_print (job->self, job->page, path,
                                                                                    printed ? &print : NULL, &error);
      if (ok)
        {
          g_autofree char *base = g_file_get_basename (file);
          g_autofree char *msg = g_strdup_printf (_("Saved %s"), base);
          wslfp_window_toast (job->self, msg);
        }
      else
        wslfp_window_show_error (job->self, error->message);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
  g_free (job->page);
  g_free (job);
}

static void
save_dialog (WslfpWindow *self, SaveWhat what)
{
  g_autofree char *page = NULL;
  g_object_get (wslfp_window_get_state (self), "page", &page, NULL);
  const char *title = what == SAVE_LFP       ? _("Export the LFP")
                      : what == SAVE_PROBE   ? _("Export the Placed Probe")
                      : what == SAVE_SESSION ? _("Save the Session")
                                             : _("Export the Figure");
  GtkFileChooserNative *dialog = gtk_file_chooser_native_new (title, GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SAVE,
                                                              _("_Export"), _("_Cancel"));
  g_autofree char *name = what == SAVE_LFP       ? g_strdup ("lfp.h5")
                          : what == SAVE_PROBE   ? g_strdup ("probe.json")
                          : what == SAVE_SESSION ? g_strdup ("figure" WSLFP_SESSION_SUFFIX)
                                                 : g_strdup_printf ("%s.png", page);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  if (what == SAVE_LFP)
    {
      /* The name's ending chooses the format; the filters show which there are. */
      const char *names[] = { N_("HDF5 (.h5)"), N_("NWB 2.7 (.nwb)"), N_("CSV (.csv)") };
      const char *patterns[] = { "*.h5", "*.nwb", "*.csv" };
      for (guint k = 0; k < G_N_ELEMENTS (names); k++)
        {
          g_autoptr (GtkFileFilter) filter = gtk_file_filter_new ();
          gtk_file_filter_set_name (filter, _(names[k]));
          gtk_file_filter_add_pattern (filter, patterns[k]);
          gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
        }
    }
  SaveJob *job = g_new0 (SaveJob, 1);
  job->self = self;
  job->what = what;
  job->page = g_strdup (page);
  g_signal_connect (dialog, "response", G_CALLBACK (save_response_cb), job);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
export_figure_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  save_dialog (WSLFP_WINDOW (widget), SAVE_FIGURE);
}

static void
export_lfp_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  save_dialog (WSLFP_WINDOW (widget), SAVE_LFP);
}

static void
export_probe_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  save_dialog (WSLFP_WINDOW (widget), SAVE_PROBE);
}

static void
save_session_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  save_dialog (WSLFP_WINDOW (widget), SAVE_SESSION);
}

static void
copy_command_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  g_autofree char *command = wslfp_window_get_command (WSLFP_WINDOW (widget));
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), command);
  wslfp_window_toast (WSLFP_WINDOW (widget), _("Copied the commands that make this figure"));
}

/* ---- the manual ---- */

char *
wslfp_window_help_uri (GError **error)
{
  g_autoptr (GAppInfo) yelp = g_app_info_get_default_for_uri_scheme ("help");
  if (yelp != NULL)
    return g_strdup ("help:" APP_ID);
  /* No help browser: the manual's HTML pages in the web browser. */
  const char *const dirs[] = { HELP_HTML_INSTALLED, HELP_HTML_BUILT };
  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *index = g_build_filename (dirs[i], "index.html", NULL);
      if (g_file_test (index, G_FILE_TEST_IS_REGULAR))
        return g_filename_to_uri (index, NULL, error);
    }
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
               _("The manual needs Yelp (the GNOME help browser) or its HTML pages in %s, and neither is installed"),
               HELP_HTML_INSTALLED);
  return NULL;
}

static void
help_shown_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (WslfpWindow) self = data;
  g_autoptr (GError) error = NULL;
  if (!gtk_show_uri_full_finish (GTK_WINDOW (source), result, &error))
    {
      g_autofree char *msg = g_strdup_printf (_("Could not open the manual: %s"), error->message);
      wslfp_window_show_error (self, msg);
    }
}

static void
help_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *uri = wslfp_window_help_uri (&error);
  if (uri == NULL)
    wslfp_window_show_error (WSLFP_WINDOW (widget), error->message);
  else
    gtk_show_uri_full (GTK_WINDOW (widget), uri, GDK_CURRENT_TIME, NULL, help_shown_cb, g_object_ref (widget));
}

static void
recompute_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  wslfp_window_recompute (WSLFP_WINDOW (widget));
}

static void
cancel_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  wslfp_window_cancel (WSLFP_WINDOW (widget));
}

static void
zoom_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  WslfpTraceView *views[WSLFP_WINDOW_N_VIEWS];
  wslfp_window_get_trace_views (WSLFP_WINDOW (widget), views);
  for (int v = 0; v < WSLFP_WINDOW_N_VIEWS; v++)
    if (g_str_equal (action_name, "win.zoom-in"))
      wslfp_trace_view_zoom (views[v], 1.5);
    else if (g_str_equal (action_name, "win.zoom-out"))
      wslfp_trace_view_zoom (views[v], 1 / 1.5);
    else
      wslfp_trace_view_reset_zoom (views[v]);
}

static void
view_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  WslfpWindow *self = WSLFP_WINDOW (widget);
  const char *preset = g_str_equal (action_name, "win.view-reset") ? NULL : action_name + strlen ("win.view-");
  WslfpLayoutView *views[WSLFP_WINDOW_N_VIEWS];
  wslfp_window_get_layout_views (self, views);
  for (int v = 0; v < WSLFP_WINDOW_N_VIEWS; v++)
    wslfp_layout_view_set_preset (views[v], preset);
  /* The 3-D view is on two pages: stay on either. */
  WslfpExplorerState *state = wslfp_window_get_state (self);
  g_autofree char *page = NULL;
  g_object_get (state, "page", &page, NULL);
  if (g_strcmp0 (page, "explore") != 0)
    g_object_set (state, "page", "layout", NULL);
}

static void
page_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  g_object_set (wslfp_window_get_state (WSLFP_WINDOW (widget)), "page", g_variant_get_string (param, NULL), NULL);
}

static void
probe_reset_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  wslfp_probe_reset (wslfp_explorer_state_get_probe (wslfp_window_get_state (WSLFP_WINDOW (widget))));
}

static void
undo_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  WslfpHistory *history = wslfp_window_get_history (WSLFP_WINDOW (widget));
  if (g_str_equal (action_name, "win.undo"))
    wslfp_history_undo (history);
  else
    wslfp_history_redo (history);
}

static void
history_changed_cb (GObject *object, GParamSpec *pspec, WslfpWindow *self)
{
  WslfpHistory *history = wslfp_window_get_history (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.undo", wslfp_history_can_undo (history));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.redo", wslfp_history_can_redo (history));
}

/* Ctrl+Z and Shift+Ctrl+Z before the focused widget sees them: a spin
 * button's text took them for its own undo (the field went blank and the
 * change stayed).  Only a text field of its own (the sources rule) keeps
 * its text undo. */
static gboolean
undo_key_cb (GtkWidget *widget, GVariant *args, gpointer data)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (widget));
  if (focus != NULL && GTK_IS_TEXT (focus) && gtk_widget_get_ancestor (focus, GTK_TYPE_SPIN_BUTTON) == NULL)
    return FALSE;
  /* (handled even with nothing to undo: never the field's text undo) */
  gtk_widget_activate_action (widget, g_variant_get_boolean (args) ? "win.redo" : "win.undo", NULL);
  return TRUE;
}

void
wslfp_window_watch_history (WslfpWindow *self)
{
  GtkEventController *keys = gtk_shortcut_controller_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (keys),
    gtk_shortcut_new_with_arguments (gtk_keyval_trigger_new (GDK_KEY_z, GDK_CONTROL_MASK),
                                     gtk_callback_action_new (undo_key_cb, NULL, NULL), "b", FALSE));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (keys),
    gtk_shortcut_new_with_arguments (gtk_keyval_trigger_new (GDK_KEY_z, GDK_CONTROL_MASK | GDK_SHIFT_MASK),
                                     gtk_callback_action_new (undo_key_cb, NULL, NULL), "b", TRUE));
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
  g_signal_connect_object (wslfp_window_get_history (self), "notify", G_CALLBACK (history_changed_cb), self, 0);
  history_changed_cb (NULL, NULL, self);
}

void
wslfp_window_class_install_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.help", NULL, help_action);
  gtk_widget_class_install_action (widget_class, "win.undo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "win.redo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "win.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "win.open-recent", "s", open_recent_action);
  gtk_widget_class_install_action (widget_class, "win.open-demo", NULL, open_demo_action);
  gtk_widget_class_install_action (widget_class, "win.open-profile-grid", NULL, open_profile_grid_action);
  gtk_widget_class_install_action (widget_class, "win.export-figure", NULL, export_figure_action);
  gtk_widget_class_install_action (widget_class, "win.export-lfp", NULL, export_lfp_action);
  gtk_widget_class_install_action (widget_class, "win.export-probe", NULL, export_probe_action);
  gtk_widget_class_install_action (widget_class, "win.open-probe", NULL, open_probe_action);
  gtk_widget_class_install_action (widget_class, "win.open-recent-probe", "s", open_recent_probe_action);
  gtk_widget_class_install_action (widget_class, "win.recompute", NULL, recompute_action);
  gtk_widget_class_install_action (widget_class, "win.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-in", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-out", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-reset", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "win.view-front", NULL, view_action);
  gtk_widget_class_install_action (widget_class, "win.view-side", NULL, view_action);
  gtk_widget_class_install_action (widget_class, "win.view-top", NULL, view_action);
  gtk_widget_class_install_action (widget_class, "win.view-reset", NULL, view_action);
  gtk_widget_class_install_action (widget_class, "win.page", "s", page_action);
  gtk_widget_class_install_action (widget_class, "win.probe-reset", NULL, probe_reset_action);
  gtk_widget_class_install_action (widget_class, "win.save-session", NULL, save_session_action);
  gtk_widget_class_install_action (widget_class, "win.copy-command", NULL, copy_command_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F1, 0, "win.help", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK, "win.undo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.redo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "win.open", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_d, GDK_CONTROL_MASK, "win.open-demo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_g, GDK_CONTROL_MASK, "win.open-profile-grid", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK, "win.open-probe", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "win.export-figure", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.export-lfp", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "win.save-session", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.copy-command", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_k, GDK_CONTROL_MASK, "win.pin", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "win.recompute", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.recompute", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.cancel", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK, "win.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, GDK_CONTROL_MASK, "win.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK, "win.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK, "win.zoom-reset", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_ALT_MASK, "win.page", "s", "explore");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_2, GDK_ALT_MASK, "win.page", "s", "traces");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_3, GDK_ALT_MASK, "win.page", "s", "layout");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_4, GDK_ALT_MASK, "win.page", "s", "profile");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_5, GDK_ALT_MASK, "win.page", "s", "raster");
  /* Not F1: the manual's. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_CONTROL_MASK, "win.view-front", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_2, GDK_CONTROL_MASK, "win.view-side", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_3, GDK_CONTROL_MASK, "win.view-top", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_4, GDK_CONTROL_MASK, "win.view-reset", NULL);
}
