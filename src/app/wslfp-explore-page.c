/* wslfp-explore-page.c: the Explore page (see the header).  The window
 * feeds its layout and trace views, as it feeds the other pages; the terms
 * view is the page's own. */
#include "config.h"

#include "wslfp-explore-page.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdlib.h>

#include "wslfp-plot.h"
#include "wslfp-settings.h"

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

  /* owned */
  WslfpComputeController *controller;
  WslfpExplorerState *state;
  GCancellable *terms_cancellable;
  GSettings *settings;

  /* state */
  guint orient_idle;
  GtkOrientation wanted;
  /* The page's share the layout gets since the last turn, kept as the
   * page settles (the side panel folds or unfolds after a turn), until
   * the user moves the divider; 0 then. */
  double share;
  guint share_idle;
  gboolean placing;             /* the divider moves by the page, not the user */
  guint divider_save;           /* a delayed write of the divider */
  guint terms_serial;           /* of the newest request */
  gboolean terms_busy;
};

G_DEFINE_FINAL_TYPE (WslfpExplorePage, wslfp_explore_page, GTK_TYPE_WIDGET)

/* The divider is remembered once it rests, not on every pixel of a drag. */
static gboolean
save_divider_cb (gpointer data)
{
  WslfpExplorePage *self = data;
  self->divider_save = 0;
  if (gtk_orientable_get_orientation (GTK_ORIENTABLE (self->paned)) == GTK_ORIENTATION_HORIZONTAL)
    /* Within the key's range (a divider dragged to the edge is still a
     * divider to restore). */
    g_settings_set_int (self->settings, "explore-divider", CLAMP (gtk_paned_get_position (self->paned), 100, 10000));
  return G_SOURCE_REMOVE;
}

static void
divider_moved_cb (GObject *object, GParamSpec *pspec, WslfpExplorePage *self)
{
  if (!self->placing)
    self->share = 0;
  g_clear_handle_id (&self->divider_save, g_source_remove);
  self->divider_save = g_timeout_add (500, save_divider_cb, self);
}

static int
share_position (WslfpExplorePage *self)
{
  GtkWidget *paned = GTK_WIDGET (self->paned);
  int size = gtk_orientable_get_orientation (GTK_ORIENTABLE (paned)) == GTK_ORIENTATION_HORIZONTAL
               ? gtk_widget_get_width (paned)
               : gtk_widget_get_height (paned);
  return (int) lround (size * self->share);
}

/* After the allocation, not during it: GtkPaned rescales a position set
 * before an allocation of another size (by the ratio of the sizes, even
 * across a turn), and one set during it would wait for the next. */
static gboolean
share_idle_cb (gpointer data)
{
  WslfpExplorePage *self = data;
  self->share_idle = 0;
  if (self->share > 0)
    {
      self->placing = TRUE;
      gtk_paned_set_position (self->paned, share_position (self));
      self->placing = FALSE;
    }
  return G_SOURCE_REMOVE;
}

static gboolean
orient_idle_cb (gpointer data)
{
  WslfpExplorePage *self = data;
  self->orient_idle = 0;
  self->placing = TRUE;
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self->paned), self->wanted);
  self->placing = FALSE;
  /* Nearly half and half in the new direction, the layout a little less. */
  self->share = self->wanted == GTK_ORIENTATION_HORIZONTAL ? 0.42 : 0.45;
  gtk_widget_queue_allocate (GTK_WIDGET (self));
  return G_SOURCE_REMOVE;
}

static void
wslfp_explore_page_measure (GtkWidget *widget, GtkOrientation orientation, int for_size, int *minimum, int *natural,
                            int *minimum_baseline, int *natural_baseline)
{
  WslfpExplorePage *self = WSLFP_EXPLORE_PAGE (widget);
  gtk_widget_measure (GTK_WIDGET (self->paned), orientation, for_size, minimum, natural, minimum_baseline,
                      natural_baseline);
  if (orientation != GTK_ORIENTATION_HORIZONTAL)
    return;
  /* Side by side it wants this much: the window's side panel folds over
   * the pages below it.  Its smallest is that of the two stacked (which
   * it becomes when narrow): side by side's would keep the window from
   * ever getting narrow enough to stack them. */
  *natural = MAX (*natural, 560);
  int start_min, end_min;
  gtk_widget_measure (gtk_paned_get_start_child (self->paned), orientation, -1, &start_min, NULL, NULL, NULL);
  gtk_widget_measure (gtk_paned_get_end_child (self->paned), orientation, -1, &end_min, NULL, NULL, NULL);
  *minimum = MAX (start_min, end_min);
  *natural = MAX (*natural, *minimum);
}

/* Allocated by hand, not by a layout manager: GTK calls size_allocate only
 * for widgets without one, and the page needs to see its width. */
static void
wslfp_explore_page_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  WslfpExplorePage *self = WSLFP_EXPLORE_PAGE (widget);
  /* Side by side until the idle below stacks them: never less than the
   * paned's smallest (the page clips the rest, for a frame). */
  int paned_min;
  gtk_widget_measure (GTK_WIDGET (self->paned), GTK_ORIENTATION_HORIZONTAL, -1, &paned_min, NULL, NULL, NULL);
  int paned_min_h;
  gtk_widget_measure (GTK_WIDGET (self->paned), GTK_ORIENTATION_VERTICAL, MAX (width, paned_min), &paned_min_h, NULL,
                      NULL, NULL);
  self->placing = TRUE;
  gtk_widget_allocate (GTK_WIDGET (self->paned), MAX (width, paned_min), MAX (height, paned_min_h), baseline, NULL);
  self->placing = FALSE;
  if (self->share > 0 && abs (gtk_paned_get_position (self->paned) - share_position (self)) > 1 && self->share_idle == 0)
    self->share_idle = g_idle_add (share_idle_cb, self);
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

/* ---- the sum's terms at one contact ---- */

/* The contact whose terms are shown: the one clicked, else the one with
 * the largest swing (the most to explain). */
static gssize
terms_contact (WslfpExplorePage *self, const WslfpLfp *lfp)
{
  if (lfp == NULL || lfp->n_electrodes == 0)
    return -1;
  int chosen;
  g_object_get (self->state, "terms-contact", &chosen, NULL);
  if (chosen >= 0 && (gsize) chosen < lfp->n_electrodes)
    return chosen;
  gsize best = 0;
  double best_swing = -1;
  for (gsize e = 0; e < lfp->n_electrodes; e++)
    {
      double lo = INFINITY, hi = -INFINITY;
      for (gsize t = 0; t < lfp->n_times; t++)
        {
          lo = MIN (lo, lfp->uv[t * lfp->n_electrodes + e]);
          hi = MAX (hi, lfp->uv[t * lfp->n_electrodes + e]);
        }
      if (hi - lo > best_swing)
        {
          best_swing = hi - lo;
          best = e;
        }
    }
  return (gssize) best;
}

typedef struct
{
  WslfpExplorePage *self;
  guint serial;
  gsize contact;
  int shank;
} TermsRequest;

static void
terms_done_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  TermsRequest *r = data;
  g_autoptr (WslfpExplorePage) self = r->self;
  WslfpLfp *ampa = NULL;
  double *gaba = NULL;
  g_autoptr (GError) error = NULL;
  gboolean ok = wslfp_document_parts_finish (WSLFP_DOCUMENT (source), result, &ampa, &gaba, &error);
  gboolean current = r->serial == self->terms_serial;
  gsize e = r->contact;
  int shank = r->shank;
  g_free (r);
  if (!current || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      wslfp_lfp_free (ampa);
      g_free (gaba);
      return;
    }
  self->terms_busy = FALSE;
  if (!ok)
    {
      g_autofree char *msg = g_strdup_printf (_("The terms could not be computed: %s"), error->message);
      wslfp_parts_view_set (self->parts_view, NULL, msg);
      return;
    }
  g_autofree double *total = g_new (double, MAX (ampa->n_times, 1));
  for (gsize t = 0; t < ampa->n_times; t++)
    total[t] = ampa->uv[t] + gaba[t];
  double z = ampa->electrodes_um[2];
  char title[160];
  /* Translators: the title of the sum-and-terms view. */
  g_snprintf (title, sizeof title, _("Channel %zu (shank %d, z = %.0f µm)"), e, shank, z);
  wslfp_plot_minus_signs (title, sizeof title);
  WslfpParts parts = { ampa->n_times, ampa->t_ms, total, ampa->uv, gaba, 0, 0, title, NULL,
                       ampa->proxy == WSLFP_PROXY_TKLFP };
  wslfp_parts_view_set (self->parts_view, &parts, NULL);
  double t0, t1;
  g_object_get (self->trace_view, "t-start-ms", &t0, "t-end-ms", &t1, NULL);
  wslfp_parts_view_set_range (self->parts_view, t0, t1);
  wslfp_lfp_free (ampa);
  g_free (gaba);
}

/* Recomputes the terms for the result shown (exact results only: a
 * preview's would be gone before they are). */
static void
update_terms (WslfpExplorePage *self)
{
  if (self->controller == NULL)
    return;
  gboolean show;
  g_object_get (self->state, "show-terms", &show, NULL);
  WslfpDocument *doc = wslfp_compute_controller_get_document (self->controller);
  const WslfpLfp *lfp = wslfp_compute_controller_get_lfp (self->controller);
  if (!show || doc == NULL || lfp == NULL || wslfp_compute_controller_get_shown_stride (self->controller) > 1)
    return;
  gssize e = terms_contact (self, lfp);
  if (e < 0)
    return;
  g_cancellable_cancel (self->terms_cancellable);
  g_clear_object (&self->terms_cancellable);
  self->terms_cancellable = g_cancellable_new ();
  self->terms_serial++;
  self->terms_busy = TRUE;
  WslfpJobSettings s;
  g_autofree double *xyz = NULL;
  g_autofree int *shank = NULL;
  wslfp_compute_controller_job_settings (self->controller, &s, &xyz, &shank);
  TermsRequest *r = g_new0 (TermsRequest, 1);
  r->self = g_object_ref (self);
  r->serial = self->terms_serial;
  r->contact = (gsize) e;
  r->shank = lfp->shank[e];
  wslfp_document_parts_async (doc, &s, (gsize) e, self->terms_cancellable, terms_done_cb, r);
}

static void
result_cb (WslfpComputeController *controller, const char *status, WslfpExplorePage *self)
{
  update_terms (self);
}

static void
show_terms_cb (GObject *object, GParamSpec *pspec, WslfpExplorePage *self)
{
  gboolean show;
  g_object_get (self->state, "show-terms", &show, NULL);
  gtk_revealer_set_reveal_child (self->parts_revealer, show);
  update_terms (self);
}

/* A click on a trace: that contact's terms. */
static void
contact_activated_cb (WslfpTraceView *view, gint64 e, WslfpExplorePage *self)
{
  if (self->state != NULL)
    g_object_set (self->state, "terms-contact", (int) e, "show-terms", TRUE, NULL);
}

static void
range_cb (GObject *object, GParamSpec *pspec, WslfpExplorePage *self)
{
  double t0, t1;
  g_object_get (object, "t-start-ms", &t0, "t-end-ms", &t1, NULL);
  wslfp_parts_view_set_range (self->parts_view, t0, t1);
}

void
wslfp_explore_page_set_controller (WslfpExplorePage *self, WslfpComputeController *controller)
{
  g_return_if_fail (self->controller == NULL);
  self->controller = g_object_ref (controller);
  self->state = g_object_ref (wslfp_compute_controller_get_state (controller));
  g_signal_connect (controller, "result", G_CALLBACK (result_cb), self);
  g_signal_connect (self->state, "notify::show-terms", G_CALLBACK (show_terms_cb), self);
  g_signal_connect_swapped (self->state, "notify::terms-contact", G_CALLBACK (update_terms), self);
  show_terms_cb (NULL, NULL, self);
}

typedef void (*DrawPart) (gpointer view, cairo_t *cr, double width, double height);

/* One part of the figure in its box, clipped to it. */
static void
draw_part (cairo_t *cr, DrawPart draw, gpointer view, double x, double y, double w, double h)
{
  cairo_save (cr);
  cairo_rectangle (cr, x, y, w, h);
  cairo_clip (cr);
  cairo_translate (cr, x, y);
  draw (view, cr, w, h);
  cairo_restore (cr);
}

/* Below this width (in the figures' units, where the text is 11) the
 * traces need the whole width: the parts are stacked, as on a narrow
 * screen. */
#define SIDE_BY_SIDE_MIN_WIDTH 700.0
/* The least height of a stacked 3-D view: its legend and its scale. */
#define LAYOUT_MIN_HEIGHT 110.0

void
wslfp_explore_page_draw (WslfpExplorePage *self, cairo_t *cr, double width, double height)
{
  gboolean terms; /* as on screen */
  g_object_get (self->state, "show-terms", &terms, NULL);
  DrawPart layout = (DrawPart) wslfp_layout_view_draw, traces = (DrawPart) wslfp_trace_view_draw;
  DrawPart parts = (DrawPart) wslfp_parts_view_draw;
  if (width >= SIDE_BY_SIDE_MIN_WIDTH)
    {
      /* The layout left; the traces right, the Terms under them. */
      double split = round (width * 0.42), right = width - split;
      double terms_h = terms ? round (MAX (height * 0.36, wslfp_parts_min_height (right))) : 0;
      draw_part (cr, layout, self->layout_view, 0, 0, split, height);
      draw_part (cr, traces, self->trace_view, split, 0, right, height - terms_h);
      if (terms)
        draw_part (cr, parts, self->parts_view, split, height - terms_h, right, terms_h);
      return;
    }
  /* Narrow: the layout above the traces, the Terms below them, each with
   * the height it needs; on a page too short for all three, the traces
   * and Terms alone (the Layout page exports the 3-D view by itself). */
  double terms_h = terms ? round (MAX (height * 0.3, wslfp_parts_min_height (width))) : 0;
  double traces_h = wslfp_trace_view_min_height (self->trace_view, width);
  double layout_h = MIN (round (height * 0.42), height - terms_h - traces_h);
  if (layout_h < LAYOUT_MIN_HEIGHT)
    layout_h = 0;
  if (layout_h > 0)
    draw_part (cr, layout, self->layout_view, 0, 0, width, layout_h);
  draw_part (cr, traces, self->trace_view, 0, layout_h, width, height - layout_h - terms_h);
  if (terms)
    draw_part (cr, parts, self->parts_view, 0, height - terms_h, width, terms_h);
}

gboolean
wslfp_explore_page_terms_busy (WslfpExplorePage *self)
{
  return self->terms_busy;
}

/* ---- the object ---- */

static void
wslfp_explore_page_dispose (GObject *object)
{
  WslfpExplorePage *self = WSLFP_EXPLORE_PAGE (object);
  g_clear_handle_id (&self->orient_idle, g_source_remove);
  g_clear_handle_id (&self->share_idle, g_source_remove);
  g_clear_handle_id (&self->divider_save, g_source_remove);
  g_clear_object (&self->settings);
  /* A result still on its way is dropped by its serial. */
  self->terms_serial++;
  g_cancellable_cancel (self->terms_cancellable);
  g_clear_object (&self->terms_cancellable);
  if (self->controller != NULL)
    g_signal_handlers_disconnect_by_data (self->controller, self);
  if (self->state != NULL)
    g_signal_handlers_disconnect_by_data (self->state, self);
  g_clear_object (&self->controller);
  g_clear_object (&self->state);
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
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN); /* (see size_allocate) */
  self->settings = wslfp_settings_new ();
  gtk_paned_set_position (self->paned, g_settings_get_int (self->settings, "explore-divider"));
  g_signal_connect (self->paned, "notify::position", G_CALLBACK (divider_moved_cb), self);
  g_signal_connect (self->trace_view, "contact-activated", G_CALLBACK (contact_activated_cb), self);
  g_signal_connect (self->trace_view, "notify::t-start-ms", G_CALLBACK (range_cb), self);
  g_signal_connect (self->trace_view, "notify::t-end-ms", G_CALLBACK (range_cb), self);
}

WslfpLayoutView *wslfp_explore_page_get_layout_view (WslfpExplorePage *self) { return self->layout_view; }
WslfpTraceView *wslfp_explore_page_get_trace_view (WslfpExplorePage *self) { return self->trace_view; }
GtkPaned *wslfp_explore_page_get_paned (WslfpExplorePage *self) { return self->paned; }
GtkRevealer *wslfp_explore_page_get_parts_revealer (WslfpExplorePage *self) { return self->parts_revealer; }
WslfpPartsView *wslfp_explore_page_get_parts_view (WslfpExplorePage *self) { return self->parts_view; }
