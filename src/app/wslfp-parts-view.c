/* wslfp-parts-view.c: the sum-and-terms widget. */
#include "config.h"

#include "wslfp-parts-view.h"

#include <glib/gi18n.h>

#include "wslfp-view-message.h"

struct _WslfpPartsView
{
  GtkWidget parent_instance;

  /* owned */
  WslfpParts parts;
  double *t_ms, *total, *ampa, *gaba;
  char *title;
  char *message;

  /* state */
  gboolean has_parts;
};

G_DEFINE_FINAL_TYPE (WslfpPartsView, wslfp_parts_view, GTK_TYPE_WIDGET)

static void
clear (WslfpPartsView *self)
{
  g_clear_pointer (&self->t_ms, g_free);
  g_clear_pointer (&self->total, g_free);
  g_clear_pointer (&self->ampa, g_free);
  g_clear_pointer (&self->gaba, g_free);
  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->message, g_free);
  self->has_parts = FALSE;
}

void
wslfp_parts_view_set (WslfpPartsView *self, const WslfpParts *parts, const char *message)
{
  double t0 = self->parts.t_min_ms, t1 = self->parts.t_max_ms;
  clear (self);
  self->message = g_strdup (message);
  if (parts != NULL)
    {
      gsize bytes = MAX (parts->n_times, 1) * sizeof (double);
      self->t_ms = g_memdup2 (parts->t_ms, bytes);
      self->total = g_memdup2 (parts->total, bytes);
      self->ampa = g_memdup2 (parts->ampa, bytes);
      self->gaba = g_memdup2 (parts->gaba, bytes);
      self->title = g_strdup (parts->title);
      self->parts = (WslfpParts) { parts->n_times, self->t_ms, self->total, self->ampa, self->gaba, t0, t1,
                                   self->title, NULL, parts->by_cell_type };
      self->has_parts = TRUE;
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
wslfp_parts_view_set_range (WslfpPartsView *self, double t0, double t1)
{
  self->parts.t_min_ms = t0;
  self->parts.t_max_ms = t1;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gboolean
wslfp_parts_view_get (WslfpPartsView *self, WslfpParts *parts)
{
  if (self->has_parts)
    *parts = self->parts;
  return self->has_parts;
}

void
wslfp_parts_view_draw (WslfpPartsView *self, cairo_t *cr, double width, double height)
{
  if (self->has_parts)
    {
      wslfp_plot_parts (cr, width, height, &self->parts);
      return;
    }
  wslfp_view_draw_message (cr, width, height, self->message ? self->message : _("Computing the terms…"));
}

static void
wslfp_parts_view_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  double w = gtk_widget_get_width (widget), h = gtk_widget_get_height (widget);
  cairo_t *cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, w, h));
  wslfp_parts_view_draw (WSLFP_PARTS_VIEW (widget), cr, w, h);
  cairo_destroy (cr);
}

static void
wslfp_parts_view_finalize (GObject *object)
{
  clear (WSLFP_PARTS_VIEW (object));
  G_OBJECT_CLASS (wslfp_parts_view_parent_class)->finalize (object);
}

static void
wslfp_parts_view_class_init (WslfpPartsViewClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = wslfp_parts_view_finalize;
  GTK_WIDGET_CLASS (klass)->snapshot = wslfp_parts_view_snapshot;
  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "partsview");
  gtk_widget_class_set_accessible_role (GTK_WIDGET_CLASS (klass), GTK_ACCESSIBLE_ROLE_IMG);
}

static void
wslfp_parts_view_init (WslfpPartsView *self)
{
  /* (what a screen reader says of the picture) */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, _("One contact’s LFP with its AMPA and GABA terms"), -1);
  gtk_widget_set_size_request (GTK_WIDGET (self), 200, 110);
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
}
