/* wslfp-application.c: start-up (the demo, or files from the command
 * line), app actions, the About window and the screenshot mode. */
#include "config.h"

#include "wslfp-application.h"

#include <glib/gi18n.h>

#include "wslfp-screenshot.h"
#include "wslfp-window.h"

struct _WslfpApplication
{
  AdwApplication parent_instance;

  char *screenshot_path;
  char *page;
  int exit_status;
};

G_DEFINE_FINAL_TYPE (WslfpApplication, wslfp_application, ADW_TYPE_APPLICATION)

static WslfpWindow *
new_window (WslfpApplication *self)
{
  WslfpWindow *window = wslfp_window_new (ADW_APPLICATION (self));
  if (self->screenshot_path != NULL)
    {
      /* A fixed size, so documentation screenshots look the same. */
      gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
      gtk_window_unmaximize (GTK_WINDOW (window));
      wslfp_screenshot_when_shown (window, self, self->screenshot_path);
    }
  if (self->page != NULL)
    gtk_widget_activate_action (GTK_WIDGET (window), "win.page", "s", self->page);
  return window;
}

static void
wslfp_application_activate (GApplication *app)
{
  WslfpApplication *self = WSLFP_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  if (window == NULL)
    {
      WslfpWindow *w = new_window (self);
      wslfp_window_open_demo (w);
      window = GTK_WINDOW (w);
    }
  gtk_window_present (window);
}

static void
wslfp_application_open (GApplication *app, GFile **files, int n_files, const char *hint)
{
  WslfpApplication *self = WSLFP_APPLICATION (app);
  for (int i = 0; i < n_files; i++)
    {
      WslfpWindow *w = new_window (self);
      wslfp_window_open_file (w, files[i]);
      gtk_window_present (GTK_WINDOW (w));
    }
}

static int
wslfp_application_handle_local_options (GApplication *app, GVariantDict *options)
{
  WslfpApplication *self = WSLFP_APPLICATION (app);
  const char *path = NULL;
  const char *page = NULL;
  if (g_variant_dict_lookup (options, "page", "&s", &page))
    {
      static const char *pages[] = { "explore", "traces", "layout", "profile", "raster", NULL };
      if (!g_strv_contains (pages, page))
        {
          /* Translators: do not translate the page names. */
          g_printerr (_("Unknown page “%s” for --page: use explore, traces, layout, profile or raster\n"), page);
          return 2;
        }
      self->page = g_strdup (page);
    }
  if (g_variant_dict_lookup (options, "screenshot", "^&ay", &path))
    {
      /* Resolve now: the primary instance may run elsewhere. */
      g_autoptr (GFile) file = g_file_new_for_commandline_arg (path);
      self->screenshot_path = g_file_get_path (file);
      /* A screenshot run is its own instance, never a remote call. */
      g_application_set_flags (app, g_application_get_flags (app) | G_APPLICATION_NON_UNIQUE);
    }
  return -1;
}

static void
about_action (GSimpleAction *action, GVariant *param, gpointer data)
{
  GtkApplication *app = data;
  const char *developers[] = { "The wslfp developers", NULL };
  AdwAboutWindow *about = ADW_ABOUT_WINDOW (adw_about_window_new ());
  gtk_window_set_transient_for (GTK_WINDOW (about), gtk_application_get_active_window (app));
  adw_about_window_set_application_name (about, _("WSLFP Explorer"));
  adw_about_window_set_application_icon (about, APP_ID);
  adw_about_window_set_version (about, PACKAGE_VERSION);
  adw_about_window_set_developer_name (about, _("The wslfp developers"));
  adw_about_window_set_developers (about, developers);
  adw_about_window_set_license_type (about, GTK_LICENSE_MIT_X11);
  adw_about_window_set_comments (
    about, _("Explore the weighted-sum LFP proxy (Mazzoni, Lindén et al. 2015) of point-neuron network simulations: "
             "place electrodes, choose an amplitude profile and see the signal each contact would record."));
  adw_about_window_add_link (about, _("Mazzoni et al. 2015, PLoS Comput Biol"), "https://doi.org/10.1371/journal.pcbi.1004584");
  adw_about_window_add_link (about, _("Aussel et al. 2018, J Comput Neurosci"), "https://doi.org/10.1007/s10827-018-0704-x");
  gtk_window_present (GTK_WINDOW (about));
}

static void
quit_action (GSimpleAction *action, GVariant *param, gpointer data)
{
  g_application_quit (G_APPLICATION (data));
}

static void
wslfp_application_startup (GApplication *app)
{
  static const GActionEntry entries[] = {
    { "about", about_action },
    { "quit", quit_action },
  };
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *shortcuts_accels[] = { "<Control>question", NULL };

  /* GTK looks for gtk/help-overlay.ui (the shortcuts window) when it starts
   * up; the window's class registers the resources, so it must exist by
   * then, or Ctrl+? and the menu item do nothing. */
  g_type_class_unref (g_type_class_ref (WSLFP_TYPE_WINDOW));
  G_APPLICATION_CLASS (wslfp_application_parent_class)->startup (app);
  g_action_map_add_action_entries (G_ACTION_MAP (app), entries, G_N_ELEMENTS (entries), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.show-help-overlay", shortcuts_accels);
}

static void
wslfp_application_finalize (GObject *object)
{
  g_free (WSLFP_APPLICATION (object)->screenshot_path);
  g_free (WSLFP_APPLICATION (object)->page);
  G_OBJECT_CLASS (wslfp_application_parent_class)->finalize (object);
}

static void
wslfp_application_class_init (WslfpApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);
  G_OBJECT_CLASS (klass)->finalize = wslfp_application_finalize;
  app_class->activate = wslfp_application_activate;
  app_class->open = wslfp_application_open;
  app_class->startup = wslfp_application_startup;
  app_class->handle_local_options = wslfp_application_handle_local_options;
}

static void
wslfp_application_init (WslfpApplication *self)
{
  static const GOptionEntry options[] = {
    { "screenshot", 0, 0, G_OPTION_ARG_FILENAME, NULL,
      N_("Render the window to FILE.png after the first computation, then quit"), N_("FILE.png") },
    { "page", 0, 0, G_OPTION_ARG_STRING, NULL,
      N_("Start on this page: explore (default), traces, layout, profile or raster"), N_("PAGE") },
    { NULL },
  };
  g_application_add_main_option_entries (G_APPLICATION (self), options);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), N_("[DATASET.h5…]"));
}

void
wslfp_application_fail (WslfpApplication *self, const char *message)
{
  g_printerr ("wslfp-explorer: %s\n", message);
  self->exit_status = 1;
  g_application_quit (G_APPLICATION (self));
}

int
wslfp_application_get_exit_status (WslfpApplication *self)
{
  return self->exit_status;
}

WslfpApplication *
wslfp_application_new (void)
{
  return g_object_new (WSLFP_TYPE_APPLICATION, "application-id", APP_ID, "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/io/github/wslfp/Explorer", NULL);
}
