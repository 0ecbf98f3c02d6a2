/* wslfp-profile-view.c: the profile heat map widget. */
#include "config.h"

#include "wslfp-profile-view.h"

#include <glib/gi18n.h>

#include "wslfp-plot.h"

struct _WslfpProfileView
{
  GtkWidget parent_instance;

  /* owned */
  WslfpProfile *profile;
  char *name;
  double *marks_rd;
  gsize n_marks;
  double length_um;
};

G_DEFINE_FINAL_TYPE (WslfpProfileView, wslfp_profile_view, GTK_TYPE_WIDGET)

void
wslfp_profile_view_draw (WslfpProfileView *self, cairo_t *cr, double width, double height)
{
  g_autofree char *title = g_strdup_printf (_("Amplitude profile %s"), self->name);
  WslfpHeatmap map = { self->profile, self->length_um, self->n_marks, self->marks_rd, title };
  wslfp_plot_heatmap (cr, width, height, &map);
}

static void
wslfp_profile_view_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  WslfpProfileView *self = WSLFP_PROFILE_VIEW (widget);
  double w = gtk_widget_get_width (widget), h = gtk_widget_get_height (widget);
  cairo_t *cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, w, h));
  wslfp_profile_view_draw (self, cr, w, h);
  cairo_destroy (cr);
}

void
wslfp_profile_view_set (WslfpProfileView *self, const WslfpProfile *profile, const char *name, double length_um,
                        const double *marks_rd, gsize n)
{
  WslfpProfile *copy = NULL;
  if (wslfp_profile_copy (profile, &copy, NULL) == WSLFP_OK)
    {
      wslfp_profile_free (self->profile);
      self->profile = copy;
      g_free (self->name);
      self->name = g_strdup (name);
    }
  g_free (self->marks_rd);
  self->marks_rd = g_memdup2 (marks_rd, n * 2 * sizeof (double));
  self->n_marks = n;
  self->length_um = length_um;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
wslfp_profile_view_finalize (GObject *object)
{
  WslfpProfileView *self = WSLFP_PROFILE_VIEW (object);
  wslfp_profile_free (self->profile);
  g_free (self->name);
  g_free (self->marks_rd);
  G_OBJECT_CLASS (wslfp_profile_view_parent_class)->finalize (object);
}

static void
wslfp_profile_view_class_init (WslfpProfileViewClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = wslfp_profile_view_finalize;
  GTK_WIDGET_CLASS (klass)->snapshot = wslfp_profile_view_snapshot;
  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "profileview");
  gtk_widget_class_set_accessible_role (GTK_WIDGET_CLASS (klass), GTK_ACCESSIBLE_ROLE_IMG);
}

static void
wslfp_profile_view_init (WslfpProfileView *self)
{
  wslfp_profile_new (WSLFP_PROFILE_MAZZONI15_SINGLE, &self->profile, NULL);
  self->name = g_strdup (wslfp_profile_kind_to_string (WSLFP_PROFILE_MAZZONI15_SINGLE));
  self->length_um = 250;
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_size_request (GTK_WIDGET (self), 240, 240);
}

GtkWidget *
wslfp_profile_view_new (void)
{
  return g_object_new (WSLFP_TYPE_PROFILE_VIEW, NULL);
}
