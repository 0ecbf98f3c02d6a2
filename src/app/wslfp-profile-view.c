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
  gboolean tklfp_shown;
  WslfpTklfpParams tklfp;     /* while tklfp_shown */
  /* The map without the marks, kept while only the marks move. */
  cairo_surface_t *map_layer;
};

G_DEFINE_FINAL_TYPE (WslfpProfileView, wslfp_profile_view, GTK_TYPE_WIDGET)

static char *
title_of (WslfpProfileView *self)
{
  if (self->tklfp_shown)
    return g_strdup_printf (_("TKLFP: one spike’s amplitude, A0(d) · e^(−distance/%g mm)"), self->tklfp.lambda_mm);
  return g_strdup_printf (_("Amplitude profile %s"), self->name);
}

void
wslfp_profile_view_draw (WslfpProfileView *self, cairo_t *cr, double width, double height)
{
  g_autofree char *title = title_of (self);
  WslfpHeatmap map = { self->profile, self->length_um, self->n_marks, self->marks_rd, title,
                       self->tklfp_shown ? &self->tklfp : NULL };
  wslfp_plot_heatmap (cr, width, height, &map);
}

static void
wslfp_profile_view_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  WslfpProfileView *self = WSLFP_PROFILE_VIEW (widget);
  int w = gtk_widget_get_width (widget), h = gtk_widget_get_height (widget), scale = gtk_widget_get_scale_factor (widget);
  cairo_t *cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, w, h));
  g_autofree char *title = title_of (self);
  WslfpHeatmap map = { self->profile, self->length_um, 0, NULL, title, self->tklfp_shown ? &self->tklfp : NULL };
  /* Evaluating the profile over the map is the expensive part; moving the
   * probe only moves the marks. */
  if (self->map_layer == NULL || cairo_image_surface_get_width (self->map_layer) != w * scale
      || cairo_image_surface_get_height (self->map_layer) != h * scale)
    {
      g_clear_pointer (&self->map_layer, cairo_surface_destroy);
      self->map_layer = cairo_image_surface_create (CAIRO_FORMAT_RGB24, w * scale, h * scale);
      cairo_surface_set_device_scale (self->map_layer, scale, scale);
      cairo_t *layer = cairo_create (self->map_layer);
      wslfp_plot_heatmap (layer, w, h, &map);
      cairo_destroy (layer);
    }
  cairo_set_source_surface (cr, self->map_layer, 0, 0);
  cairo_paint (cr);
  map.n_marks = self->n_marks;
  map.marks_rd = self->marks_rd;
  wslfp_plot_heatmap_marks (cr, w, h, &map);
  cairo_destroy (cr);
}

/* Whether @a and @b draw the same map: same extent and values at a few
 * points (custom grids of the same name may differ). */
static gboolean
same_map (const WslfpProfile *a, const WslfpProfile *b, double la, double lb)
{
  double ra, da, rb, db;
  if (wslfp_profile_get_kind (a) != wslfp_profile_get_kind (b) || la != lb)
    return FALSE;
  wslfp_profile_get_extent (a, &ra, &da);
  wslfp_profile_get_extent (b, &rb, &db);
  if (ra != rb || da != db)
    return FALSE;
  for (int i = 1; i < 8; i++)
    for (int j = -7; j < 8; j += 2)
      if (wslfp_profile_eval (a, ra * i / 8, da * j / 8, la) != wslfp_profile_eval (b, ra * i / 8, da * j / 8, lb))
        return FALSE;
  return TRUE;
}

void
wslfp_profile_view_set (WslfpProfileView *self, const WslfpProfile *profile, const char *name, double length_um,
                        const double *marks_rd, gsize n)
{
  WslfpProfile *copy = NULL;
  if (!same_map (self->profile, profile, self->length_um, length_um) || g_strcmp0 (self->name, name) != 0
      || self->tklfp_shown)
    g_clear_pointer (&self->map_layer, cairo_surface_destroy);
  self->tklfp_shown = FALSE;
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

void
wslfp_profile_view_set_tklfp (WslfpProfileView *self, const WslfpTklfpParams *params, const double *marks_rd, gsize n)
{
  if (params == NULL)
    {
      if (self->tklfp_shown)
        g_clear_pointer (&self->map_layer, cairo_surface_destroy);
      self->tklfp_shown = FALSE;
    }
  else
    {
      if (!self->tklfp_shown || self->tklfp.lambda_mm != params->lambda_mm)
        g_clear_pointer (&self->map_layer, cairo_surface_destroy);
      self->tklfp_shown = TRUE;
      self->tklfp = *params;
    }
  g_free (self->marks_rd);
  self->marks_rd = g_memdup2 (marks_rd, n * 2 * sizeof (double));
  self->n_marks = n;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
wslfp_profile_view_finalize (GObject *object)
{
  WslfpProfileView *self = WSLFP_PROFILE_VIEW (object);
  wslfp_profile_free (self->profile);
  g_free (self->name);
  g_free (self->marks_rd);
  g_clear_pointer (&self->map_layer, cairo_surface_destroy);
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
  /* (what a screen reader says of the picture) */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, _("The amplitude profile, with the contacts marked"), -1);
  wslfp_profile_new (WSLFP_PROFILE_MAZZONI15_SINGLE, &self->profile, NULL);
  self->name = g_strdup (wslfp_profile_kind_to_string (WSLFP_PROFILE_MAZZONI15_SINGLE));
  self->length_um = 250;
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_size_request (GTK_WIDGET (self), 160, 160);
}

GtkWidget *
wslfp_profile_view_new (void)
{
  return g_object_new (WSLFP_TYPE_PROFILE_VIEW, NULL);
}

double
wslfp_profile_view_get_length_um (WslfpProfileView *self)
{
  return self->length_um;
}

const double *
wslfp_profile_view_get_marks (WslfpProfileView *self, gsize *n)
{
  *n = self->n_marks;
  return self->marks_rd;
}
