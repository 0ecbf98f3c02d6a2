/* wslfp-raster-view.c: the raster widget. */
#include "config.h"

#include "wslfp-raster-view.h"

#include <glib/gi18n.h>

#include "wslfp-plot.h"
#include "wslfp-view-message.h"

struct _WslfpRasterView
{
  GtkWidget parent_instance;

  /* borrowed */
  const WslfpDataset *dataset;

  /* state */
  double t_start_ms, t_end_ms;
  double left_px; /* the traces' first panel edge (0: the usual one) */
};

G_DEFINE_FINAL_TYPE (WslfpRasterView, wslfp_raster_view, GTK_TYPE_WIDGET)

void
wslfp_raster_view_draw (WslfpRasterView *self, cairo_t *cr, double width, double height)
{
  const WslfpDataset *ds = self->dataset;
  if (ds == NULL)
    {
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_paint (cr);
      return;
    }
  const WslfpDatasetSpikes *e = &ds->spikes[WSLFP_SPIKES_EXC], *i = &ds->spikes[WSLFP_SPIKES_INH];
  gboolean e_ok = e->present && e->problem == NULL, i_ok = i->present && i->problem == NULL;
  if (!e_ok && !i_ok)
    {
      /* (as the other views say why they show nothing) */
      wslfp_view_draw_message (cr, width, height, _("This dataset has no spikes."));
      return;
    }
  WslfpRaster r = { e_ok ? e->n_spikes : 0, e->t_ms, e->neuron, e_ok ? e->n_pre : 0,
                    i_ok ? i->n_spikes : 0, i->t_ms, i->neuron, i_ok ? i->n_pre : 0,
                    self->t_start_ms, self->t_end_ms, NULL, self->left_px };
  wslfp_plot_raster (cr, width, height, &r);
}

static void
wslfp_raster_view_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  WslfpRasterView *self = WSLFP_RASTER_VIEW (widget);
  double w = gtk_widget_get_width (widget), h = gtk_widget_get_height (widget);
  cairo_t *cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, w, h));
  wslfp_raster_view_draw (self, cr, w, h);
  cairo_destroy (cr);
}

void
wslfp_raster_view_set_left (WslfpRasterView *self, double left_px)
{
  if (self->left_px == left_px)
    return;
  self->left_px = left_px;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
wslfp_raster_view_set_dataset (WslfpRasterView *self, const WslfpDataset *dataset)
{
  self->dataset = dataset;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
wslfp_raster_view_set_range (WslfpRasterView *self, double t_start_ms, double t_end_ms)
{
  self->t_start_ms = t_start_ms;
  self->t_end_ms = t_end_ms;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
wslfp_raster_view_class_init (WslfpRasterViewClass *klass)
{
  GTK_WIDGET_CLASS (klass)->snapshot = wslfp_raster_view_snapshot;
  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "rasterview");
  gtk_widget_class_set_accessible_role (GTK_WIDGET_CLASS (klass), GTK_ACCESSIBLE_ROLE_IMG);
}

static void
wslfp_raster_view_init (WslfpRasterView *self)
{
  /* (what a screen reader says of the picture) */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, _("The spikes of the cells over time"), -1);
  self->t_end_ms = 1;
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_size_request (GTK_WIDGET (self), 160, 120);
}
