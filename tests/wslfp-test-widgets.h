/* wslfp-test-widgets.h: finding a widget by its id in the templates it was
 * built from, for the app's tests and benchmark (panels and pages keep
 * their widgets to themselves). */
#pragma once

#include <gtk/gtk.h>

/* The widget under @root (itself included) whose template id is @id;
 * g_error () when there is none. */
gpointer wslfp_test_widget (GtkWidget *root, const char *id);
/* A part of a window, by its id in the window's template. */
#define WINDOW_CHILD(w, id) ((gpointer) gtk_widget_get_template_child (GTK_WIDGET (w), G_OBJECT_TYPE (w), #id))
