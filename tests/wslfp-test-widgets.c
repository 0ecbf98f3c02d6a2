/* wslfp-test-widgets.c: see the header. */
#include "wslfp-test-widgets.h"

static gpointer
find (GtkWidget *widget, const char *id)
{
  if (GTK_IS_BUILDABLE (widget) && g_strcmp0 (gtk_buildable_get_buildable_id (GTK_BUILDABLE (widget)), id) == 0)
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      gpointer found = find (c, id);
      if (found != NULL)
        return found;
    }
  return NULL;
}

gpointer
wslfp_test_widget (GtkWidget *root, const char *id)
{
  gpointer found = find (root, id);
  if (found == NULL)
    g_error ("no widget with the id %s", id);
  return found;
}
