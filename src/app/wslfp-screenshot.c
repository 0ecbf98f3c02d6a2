/* wslfp-screenshot.c: the screenshot mode (see the header).  Its state is
 * kept on the window, and goes with it; the handlers go with the window
 * too (g_signal_connect_object). */
#include "config.h"
#include "wslfp-screenshot.h"

typedef struct
{
  WslfpApplication *app;
  char *path;
  gboolean scheduled;
} Shot;

static void
shot_free (gpointer data)
{
  Shot *shot = data;
  g_free (shot->path);
  g_free (shot);
}

static Shot *
shot_of (WslfpWindow *window)
{
  return g_object_get_data (G_OBJECT (window), "wslfp-screenshot");
}

static void
painted_cb (GdkFrameClock *clock, WslfpWindow *window)
{
  if (clock != NULL)
    g_signal_handlers_disconnect_by_func (clock, painted_cb, window);
  Shot *shot = shot_of (window);
  g_autoptr (GError) error = NULL;
  if (!wslfp_window_save_screenshot (window, shot->path, &error))
    g_printerr ("wslfp-explorer: %s\n", error->message);
  g_application_quit (G_APPLICATION (shot->app));
}

/* The window as the next frame paints it (on a slow machine the first
 * frame may come after the result). */
static gboolean
settled_cb (gpointer data)
{
  WslfpWindow *window = data;
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  if (clock == NULL)
    painted_cb (NULL, window);
  else
    {
      g_signal_connect_object (clock, "after-paint", G_CALLBACK (painted_cb), window, 0);
      gtk_widget_queue_draw (GTK_WIDGET (window));
    }
  return G_SOURCE_REMOVE;
}

static void
shown_cb (WslfpWindow *window)
{
  Shot *shot = shot_of (window);
  if (shot->scheduled || wslfp_window_is_restoring (window))
    return;
  shot->scheduled = TRUE;
  g_timeout_add_full (G_PRIORITY_DEFAULT, 400, settled_cb, g_object_ref (window), g_object_unref);
}

static void
opened_cb (WslfpComputeController *controller, WslfpDocument *doc, WslfpWindow *window)
{
  if (wslfp_document_get_lfp (doc) != NULL)
    shown_cb (window);
}

static void
failed_cb (WslfpComputeController *controller, const char *message, gboolean live, WslfpWindow *window)
{
  if (!live)
    wslfp_application_fail (shot_of (window)->app, message);
}

void
wslfp_screenshot_when_shown (WslfpWindow *window, WslfpApplication *app, const char *path)
{
  Shot *shot = g_new0 (Shot, 1);
  shot->app = app;
  shot->path = g_strdup (path);
  g_object_set_data_full (G_OBJECT (window), "wslfp-screenshot", shot, shot_free);
  WslfpComputeController *controller = wslfp_window_get_controller (window);
  g_signal_connect_object (controller, "computed", G_CALLBACK (shown_cb), window, G_CONNECT_SWAPPED);
  g_signal_connect_object (controller, "opened", G_CALLBACK (opened_cb), window, 0);
  g_signal_connect_object (controller, "failed", G_CALLBACK (failed_cb), window, 0);
}
