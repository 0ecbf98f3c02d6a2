/* wslfp-explore-page.c: the Explore page.  It only arranges its two views;
 * the window feeds them, as it feeds the other pages. */
#include "config.h"

#include "wslfp-explore-page.h"

/* Narrower than this the views stack; wider than NARROW + HYSTERESIS they
 * sit side by side again (no flapping at the boundary). */
#define NARROW_PX     640
#define HYSTERESIS_PX 60

struct _WslfpExplorePage
{
  GtkWidget parent_instance;

  /* template widgets */
  GtkPaned *paned;
  WslfpLayoutView *layout_view;
  WslfpTraceView *trace_view;
  GtkRevealer *parts_revealer;
  WslfpPartsView *parts_view;

  /* state */
  guint orient_idle;
  GtkOrientation wanted;
};

G_DEFINE_FINAL_TYPE (WslfpExplorePage, wslfp_explore_page, GTK_TYPE_WIDGET)

static gboolean
orient_idle_cb (gpointer data)
{
  WslfpExplorePage *self = data;
  self->orient_idle = 0;
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self->paned), self->wanted);
  /* Half and half in the new direction. */
  int size = self->wanted == GTK_ORIENTATION_HORIZONTAL ? gtk_widget_get_width (GTK_WIDGET (self))
                                                        : gtk_widget_get_height (GTK_WIDGET (self));
  gtk_paned_set_position (self->paned, size * (self->wanted == GTK_ORIENTATION_HORIZONTAL ? 0.42 : 0.45));
  return G_SOURCE_REMOVE;
}

static void
wslfp_explore_page_measure (GtkWidget *widget, GtkOrientation orientation, int for_size, int *minimum, int *natural,
                            int *minimum_baseline, int *natural_baseline)
{
  WslfpExplorePage *self = WSLFP_EXPLORE_PAGE (widget);
  gtk_widget_measure (GTK_WIDGET (self->paned), orientation, for_size, minimum, natural, minimum_baseline,
                      natural_baseline);
}

/* Allocated by hand, not by a layout manager: GTK calls size_allocate only
 * for widgets without one, and the page needs to see its width. */
static void
wslfp_explore_page_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  WslfpExplorePage *self = WSLFP_EXPLORE_PAGE (widget);
  gtk_widget_allocate (GTK_WIDGET (self->paned), width, height, baseline, NULL);
  GtkOrientation now = gtk_orientable_get_orientation (GTK_ORIENTABLE (self->paned));
  GtkOrientation want = now;
  if (now == GTK_ORIENTATION_HORIZONTAL && width < NARROW_PX)
    want = GTK_ORIENTATION_VERTICAL;
  else if (now == GTK_ORIENTATION_VERTICAL && width > NARROW_PX + HYSTERESIS_PX)
    want = GTK_ORIENTATION_HORIZONTAL;
  /* Not during allocation: GTK would have to allocate again at once. */
  if (want != now && self->orient_idle == 0)
    {
      self->wanted = want;
      self->orient_idle = g_idle_add (orient_idle_cb, self);
    }
}

static void
wslfp_explore_page_dispose (GObject *object)
{
  WslfpExplorePage *self = WSLFP_EXPLORE_PAGE (object);
  g_clear_handle_id (&self->orient_idle, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), WSLFP_TYPE_EXPLORE_PAGE);
  G_OBJECT_CLASS (wslfp_explore_page_parent_class)->dispose (object);
}

static void
wslfp_explore_page_class_init (WslfpExplorePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wslfp_explore_page_dispose;
  widget_class->measure = wslfp_explore_page_measure;
  widget_class->size_allocate = wslfp_explore_page_size_allocate;
  g_type_ensure (WSLFP_TYPE_LAYOUT_VIEW);
  g_type_ensure (WSLFP_TYPE_TRACE_VIEW);
  g_type_ensure (WSLFP_TYPE_PARTS_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/wslfp/Explorer/wslfp-explore-page.ui");
  gtk_widget_class_bind_template_child (widget_class, WslfpExplorePage, paned);
  gtk_widget_class_bind_template_child (widget_class, WslfpExplorePage, layout_view);
  gtk_widget_class_bind_template_child (widget_class, WslfpExplorePage, trace_view);
  gtk_widget_class_bind_template_child (widget_class, WslfpExplorePage, parts_revealer);
  gtk_widget_class_bind_template_child (widget_class, WslfpExplorePage, parts_view);
  gtk_widget_class_set_css_name (widget_class, "explorepage");
}

static void
wslfp_explore_page_init (WslfpExplorePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

WslfpLayoutView *wslfp_explore_page_get_layout_view (WslfpExplorePage *self) { return self->layout_view; }
WslfpTraceView *wslfp_explore_page_get_trace_view (WslfpExplorePage *self) { return self->trace_view; }
GtkPaned *wslfp_explore_page_get_paned (WslfpExplorePage *self) { return self->paned; }
GtkRevealer *wslfp_explore_page_get_parts_revealer (WslfpExplorePage *self) { return self->parts_revealer; }
WslfpPartsView *wslfp_explore_page_get_parts_view (WslfpExplorePage *self) { return self->parts_view; }
