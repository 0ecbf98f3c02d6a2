/* wslfp-layout-view.c: the 3-D layout widget. */
#include "config.h"

#include "wslfp-layout-view.h"

#include <glib/gi18n.h>
#include <math.h>

#include "wslfp-plot.h"

struct _WslfpLayoutView
{
  GtkWidget parent_instance;

  /* borrowed */
  const double *somata_um;
  gsize n_cells;
  gboolean centers;
  const double *orientation;
  gsize n_orientations;
  const double *lengths_um;
  gsize n_lengths;

  /* owned */
  double *inhibitory_um;
  gsize n_inhibitory;
  double *contacts_um;
  int *shank;
  gsize n_contacts;
  double *bodies_um;
  gsize n_bodies;
  double *weights;
  gsize n_weights;
  gssize weights_contact;
  double frame_lo[3], frame_hi[3];
  gboolean framed;
  gssize hovered;
  /* The cells' layer, drawn once and kept while only the probe moves. */
  cairo_surface_t *cells_layer;
  gboolean cells_dirty;       /* changed since the last frame */
  gboolean layer_valid;       /* cells_layer shows the current cells */
  double length0;             /* the first dendrite length drawn */

  /* state */
  WslfpView view;
  WslfpView drag_start;
  gboolean dragging_probe;
  double last_dx, last_dy;
};

G_DEFINE_FINAL_TYPE (WslfpLayoutView, wslfp_layout_view, GTK_TYPE_WIDGET)

/* Cells drawn per frame while the view moves: 30 frames/s on the
 * benchmark's machine (bench-app). */
#define MOVING_CELLS 20000

enum
{
  PROBE_DRAGGED,
  PROBE_DRAG_BEGIN,
  PROBE_DRAG_END,
  CONTACT_HOVERED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static WslfpScene
scene_of (WslfpLayoutView *self)
{
  WslfpScene s = { 0 };
  s.n_sources = self->n_cells;
  s.somata_um = self->somata_um;
  s.centers = self->centers;
  s.orientation = self->orientation;
  s.n_orientations = self->n_orientations;
  s.dendrite_length_um = 250;
  s.lengths_um = self->lengths_um;
  s.n_lengths = self->n_lengths;
  s.n_inhibitory = self->n_inhibitory;
  s.inhibitory_um = self->inhibitory_um;
  s.n_electrodes = self->n_contacts;
  s.electrodes_um = self->contacts_um;
  s.shank = self->shank;
  s.fit_cells_only = self->n_cells > 0;
  s.n_bodies = self->n_bodies;
  s.bodies_um = self->bodies_um;
  s.legend = TRUE;
  s.weights_contact = -1;
  if (self->weights != NULL && self->n_weights == self->n_cells)
    {
      s.cell_weights = self->weights;
      s.weights_contact = self->weights_contact;
    }
  if (self->framed)
    {
      s.frame_lo_um = self->frame_lo;
      s.frame_hi_um = self->frame_hi;
    }
  return s;
}

void
wslfp_layout_view_draw (WslfpLayoutView *self, cairo_t *cr, double width, double height)
{
  /* A figure shows everything: the cells and the whole probe, seen from
   * the view's angles (the screen frames the cells, so that a moving probe
   * does not rescale the view, and may leave part of a long probe out). */
  WslfpScene scene = scene_of (self);
  scene.fit_cells_only = FALSE;
  scene.frame_lo_um = scene.frame_hi_um = NULL;
  WslfpView view = self->view;
  view.zoom = 1;
  view.pan_x = view.pan_y = 0;
  wslfp_plot_layout (cr, width, height, &scene, &view);
}

/* Something the cells' layer shows changed: redraw it next time. */
static void
cells_changed (WslfpLayoutView *self)
{
  self->cells_dirty = TRUE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
wslfp_layout_view_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  WslfpLayoutView *self = WSLFP_LAYOUT_VIEW (widget);
  int w = gtk_widget_get_width (widget), h = gtk_widget_get_height (widget);
  cairo_t *cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, w, h));
  WslfpScene scene = scene_of (self);
  /* Thousands of cells take many milliseconds to draw; while the probe is
   * dragged they stay as they are, so they are kept as an image (the
   * projection depends on the cells and the frame, not the probe).  The
   * image is made on the second frame after a change, so that orbiting,
   * which changes the cells at every frame, draws them only once. */
  int scale = gtk_widget_get_scale_factor (widget);
  gboolean fits = self->cells_layer != NULL && cairo_image_surface_get_width (self->cells_layer) == w * scale
                  && cairo_image_surface_get_height (self->cells_layer) == h * scale;
  if (self->n_cells > 0 && self->framed && !self->cells_dirty)
    {
      if (!fits || !self->layer_valid)
        {
          if (!fits)
            {
              g_clear_pointer (&self->cells_layer, cairo_surface_destroy);
              self->cells_layer = cairo_image_surface_create (CAIRO_FORMAT_RGB24, w * scale, h * scale);
              cairo_surface_set_device_scale (self->cells_layer, scale, scale);
            }
          cairo_t *layer = cairo_create (self->cells_layer);
          wslfp_plot_layout_cells (layer, w, h, &scene, &self->view);
          cairo_destroy (layer);
          self->layer_valid = TRUE;
        }
      cairo_set_source_surface (cr, self->cells_layer, 0, 0);
      cairo_paint (cr);
      wslfp_plot_layout_probe (cr, w, h, &scene, &self->view);
    }
  else
    {
      /* A view that changes at every frame (orbiting, zooming) draws at
       * most about MOVING_CELLS of the cells; all of them once it rests. */
      scene.cell_step = (self->n_cells + MOVING_CELLS - 1) / MOVING_CELLS;
      wslfp_plot_layout (cr, w, h, &scene, &self->view);
      self->layer_valid = FALSE;
      /* If nothing changes by the next frame, the image is built then. */
      if (self->cells_dirty && self->n_cells > 0 && self->framed)
        gtk_widget_queue_draw (widget);
      self->cells_dirty = FALSE;
    }
  cairo_destroy (cr);
}

static void
projection_now (WslfpLayoutView *self, WslfpProjection *P)
{
  WslfpScene scene = scene_of (self);
  wslfp_projection_compute (P, &scene, &self->view, gtk_widget_get_width (GTK_WIDGET (self)),
                            gtk_widget_get_height (GTK_WIDGET (self)));
}

/* The contact nearest (x, y) within 8 px, or −1. */
static gssize
contact_at (WslfpLayoutView *self, double x, double y)
{
  WslfpProjection P;
  projection_now (self, &P);
  gssize best = -1;
  double best_d = 8.5;
  for (gsize e = 0; e < self->n_contacts; e++)
    {
      double cx, cy;
      wslfp_projection_apply (&P, self->contacts_um + 3 * e, &cx, &cy, NULL);
      double d = MAX (fabs (cx - x), fabs (cy - y));
      if (d < best_d)
        {
          best_d = d;
          best = (gssize) e;
        }
    }
  return best;
}

/* Distance from (x, y) to the segment a–b. */
static double
segment_distance (double x, double y, const double a[2], const double b[2])
{
  double ux = b[0] - a[0], uy = b[1] - a[1], len2 = ux * ux + uy * uy;
  double f = len2 > 0 ? CLAMP (((x - a[0]) * ux + (y - a[1]) * uy) / len2, 0, 1) : 0;
  return hypot (x - (a[0] + f * ux), y - (a[1] + f * uy));
}

/* The contact of @from's shank (from index @first on) drawn farthest from
 * it; @at holds the contacts' screen positions. */
static gsize
farthest_in_shank (WslfpLayoutView *self, const double *at, gsize first, gsize from)
{
  gsize best = from;
  double far = -1;
  for (gsize e = first; e < self->n_contacts; e++)
    if (self->shank[e] == self->shank[from])
      {
        double d = hypot (at[2 * e] - at[2 * from], at[2 * e + 1] - at[2 * from + 1]);
        if (d > far)
          far = d, best = e;
      }
  return best;
}

/* Whether (x, y) is on the probe: within 8 px of a contact, or of a
 * shank (on screen: the segment through its farthest contacts, as wide
 * as its contacts spread across it).  A press between the contacts of a
 * sparse probe used to orbit the view. */
static gboolean
on_probe (WslfpLayoutView *self, double x, double y)
{
  if (contact_at (self, x, y) >= 0)
    return TRUE;
  WslfpProjection P;
  projection_now (self, &P);
  gsize n = self->n_contacts;
  g_autofree double *at = g_new (double, 2 * MAX (n, 1));
  for (gsize e = 0; e < n; e++)
    wslfp_projection_apply (&P, self->contacts_um + 3 * e, &at[2 * e], &at[2 * e + 1], NULL);
  g_autofree gboolean *done = g_new0 (gboolean, MAX (n, 1));
  for (gsize first = 0; first < n; first++)
    {
      if (done[first])
        continue;
      int s = self->shank[first];
      /* One end: the contact farthest from the first; the other: the one
       * farthest from that end. */
      gsize a = farthest_in_shank (self, at, first, first);
      gsize b = farthest_in_shank (self, at, first, a);
      double half_width = 0;
      for (gsize e = first; e < n; e++)
        if (self->shank[e] == s)
          {
            done[e] = TRUE;
            half_width = MAX (half_width, segment_distance (at[2 * e], at[2 * e + 1], &at[2 * a], &at[2 * b]));
          }
      if (segment_distance (x, y, &at[2 * a], &at[2 * b]) <= half_width + 8.5)
        return TRUE;
    }
  return FALSE;
}

/* A dragged probe stays in view: the view pans by as much as its
 * contacts would leave it (centred when they no longer fit). */
static void
keep_probe_in_view (WslfpLayoutView *self)
{
  double size[2] = { gtk_widget_get_width (GTK_WIDGET (self)), gtk_widget_get_height (GTK_WIDGET (self)) };
  if (self->n_contacts == 0 || size[0] <= 0 || size[1] <= 0)
    return;
  WslfpProjection P;
  projection_now (self, &P);
  double lo[2] = { INFINITY, INFINITY }, hi[2] = { -INFINITY, -INFINITY };
  for (gsize e = 0; e < self->n_contacts; e++)
    {
      double p[2];
      wslfp_projection_apply (&P, self->contacts_um + 3 * e, &p[0], &p[1], NULL);
      for (int k = 0; k < 2; k++)
        lo[k] = MIN (lo[k], p[k]), hi[k] = MAX (hi[k], p[k]);
    }
  const double margin = 16;
  double shift[2];
  for (int k = 0; k < 2; k++)
    shift[k] = hi[k] - lo[k] > size[k] - 2 * margin ? size[k] / 2 - (lo[k] + hi[k]) / 2
               : lo[k] < margin                      ? margin - lo[k]
               : hi[k] > size[k] - margin            ? size[k] - margin - hi[k]
                                                     : 0;
  if (shift[0] == 0 && shift[1] == 0)
    return;
  self->view.pan_x += shift[0];
  self->view.pan_y += shift[1];
  cells_changed (self);
}

void
wslfp_layout_view_to_screen (WslfpLayoutView *self, const double xyz_um[3], double *x, double *y)
{
  WslfpProjection P;
  projection_now (self, &P);
  wslfp_projection_apply (&P, xyz_um, x, y, NULL);
}

static void
set_hovered (WslfpLayoutView *self, gssize e)
{
  if (self->hovered == e)
    return;
  self->hovered = e;
  g_signal_emit (self, signals[CONTACT_HOVERED], 0, (gint64) e);
}

static void
motion_cb (GtkEventControllerMotion *controller, double x, double y, WslfpLayoutView *self)
{
  if (self->dragging_probe)
    return;
  set_hovered (self, contact_at (self, x, y));
  /* The hand shows what a press would do: grab the probe, or orbit. */
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), on_probe (self, x, y) ? "grab" : NULL);
}

static void
leave_cb (GtkEventControllerMotion *controller, WslfpLayoutView *self)
{
  set_hovered (self, -1);
}

/* Arrow keys move the probe in x (left, right) and z (up, down), or in y
 * with Ctrl; 10 µm a press, 100 with Shift. */
static gboolean
key_pressed_cb (GtkEventControllerKey *controller, guint keyval, guint keycode, GdkModifierType state,
                WslfpLayoutView *self)
{
  double step = (state & GDK_SHIFT_MASK) ? 100 : 10, d[3] = { 0, 0, 0 };
  gboolean ctrl = (state & GDK_CONTROL_MASK) != 0;
  switch (keyval)
    {
    case GDK_KEY_Left: d[0] = -step; break;
    case GDK_KEY_Right: d[0] = step; break;
    case GDK_KEY_Up: d[ctrl ? 1 : 2] = step; break;
    case GDK_KEY_Down: d[ctrl ? 1 : 2] = -step; break;
    default: return FALSE;
    }
  g_signal_emit (self, signals[PROBE_DRAGGED], 0, d[0], d[1], d[2]);
  return TRUE;
}

static void
drag_begin_cb (GtkGestureDrag *gesture, double x, double y, WslfpLayoutView *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self));
  GdkModifierType mods = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (gesture));
  self->drag_start = self->view;
  self->dragging_probe = (mods & GDK_SHIFT_MASK) || on_probe (self, x, y);
  if (self->dragging_probe)
    g_signal_emit (self, signals[PROBE_DRAG_BEGIN], 0);
  /* While the probe moves, the cells keep their plain colours (and their
   * image): the contributions come back with the next hover. */
  if (self->dragging_probe)
    set_hovered (self, -1);
  self->last_dx = self->last_dy = 0;
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), self->dragging_probe ? "move" : "grabbing");
}

static void
drag_update_cb (GtkGestureDrag *gesture, double dx, double dy, WslfpLayoutView *self)
{
  if (self->dragging_probe)
    {
      /* Screen motion → world motion in the view plane (orthographic). */
      WslfpProjection P;
      projection_now (self, &P);
      double sx = (dx - self->last_dx) / P.scale, sy = -(dy - self->last_dy) / P.scale;
      self->last_dx = dx;
      self->last_dy = dy;
      double w[3];
      for (int k = 0; k < 3; k++)
        w[k] = P.rot[k] * sx + P.rot[3 + k] * sy;
      g_signal_emit (self, signals[PROBE_DRAGGED], 0, w[0], w[1], w[2]);
      return;
    }
  self->view.azimuth_deg = fmod (self->drag_start.azimuth_deg - dx * 0.4, 360);
  self->view.elevation_deg = CLAMP (self->drag_start.elevation_deg + dy * 0.4, -90, 90);
  cells_changed (self);
}

static void
drag_end_cb (GtkGestureDrag *gesture, double dx, double dy, WslfpLayoutView *self)
{
  if (self->dragging_probe)
    g_signal_emit (self, signals[PROBE_DRAG_END], 0);
  self->dragging_probe = FALSE;
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), NULL);
}

static gboolean
scroll_cb (GtkEventControllerScroll *controller, double dx, double dy, WslfpLayoutView *self)
{
  self->view.zoom = CLAMP (self->view.zoom * pow (1.12, -dy), 0.2, 20);
  cells_changed (self);
  return TRUE;
}

const WslfpView *
wslfp_layout_view_get_view (WslfpLayoutView *self)
{
  return &self->view;
}

void
wslfp_layout_view_frame_all (WslfpLayoutView *self)
{
  WslfpScene scene = scene_of (self);
  scene.fit_cells_only = FALSE;
  scene.frame_lo_um = scene.frame_hi_um = NULL;
  wslfp_scene_bounds (&scene, self->frame_lo, self->frame_hi);
  self->framed = TRUE;
  cells_changed (self);
}

void
wslfp_layout_view_set_bodies (WslfpLayoutView *self, const double *corners_um, gsize n)
{
  g_free (self->bodies_um);
  self->bodies_um = g_memdup2 (corners_um, MAX (n, 1) * 12 * sizeof (double));
  self->n_bodies = n;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
wslfp_layout_view_set_weights (WslfpLayoutView *self, const double *weights, gsize n, gssize contact)
{
  /* Called at every probe move: no weights before and after is no change
   * (and no redraw of the cells). */
  if (weights == NULL && self->weights == NULL)
    return;
  g_clear_pointer (&self->weights, g_free);
  self->n_weights = 0;
  self->weights_contact = -1;
  if (weights != NULL)
    {
      self->weights = g_memdup2 (weights, MAX (n, 1) * sizeof (double));
      self->n_weights = n;
      self->weights_contact = contact;
    }
  cells_changed (self);
}

const double *
wslfp_layout_view_get_weights (WslfpLayoutView *self, gsize *n, gssize *contact)
{
  *n = self->n_weights;
  *contact = self->weights_contact;
  return self->weights;
}

gssize
wslfp_layout_view_get_hovered (WslfpLayoutView *self)
{
  return self->hovered;
}

void
wslfp_layout_view_set_cells (WslfpLayoutView *self, const double *xyz_um, gsize n, gboolean centers,
                             const double *orientation, gsize n_orientations, const double *lengths_um,
                             gsize n_lengths)
{
  gboolean new_cells = xyz_um != self->somata_um || n != self->n_cells;
  /* The window passes the same arrays at every probe move: only a real
   * change (a length typed in is a value behind the same pointer) redraws
   * the cells. */
  double length0 = lengths_um != NULL && n_lengths > 0 ? lengths_um[0] : -1;
  gboolean same = !new_cells && centers == self->centers && orientation == self->orientation
                  && n_orientations == self->n_orientations && lengths_um == self->lengths_um
                  && n_lengths == self->n_lengths && length0 == self->length0;
  self->length0 = length0;
  self->somata_um = xyz_um;
  self->n_cells = n;
  self->centers = centers;
  self->orientation = orientation;
  self->n_orientations = n_orientations;
  self->lengths_um = lengths_um;
  self->n_lengths = n_lengths;
  if (new_cells)
    {
      g_clear_pointer (&self->weights, g_free);
      self->n_weights = 0;
      if (n > 0)
        wslfp_layout_view_frame_all (self);
    }
  if (!same)
    cells_changed (self);
}

void
wslfp_layout_view_set_inhibitory (WslfpLayoutView *self, const double *xyz_um, gsize n)
{
  if (n == self->n_inhibitory && (n == 0 || memcmp (xyz_um, self->inhibitory_um, 3 * n * sizeof (double)) == 0))
    return;
  g_free (self->inhibitory_um);
  self->inhibitory_um = g_memdup2 (xyz_um, 3 * n * sizeof (double));
  self->n_inhibitory = n;
  cells_changed (self);
}

void
wslfp_layout_view_set_contacts (WslfpLayoutView *self, const double *xyz_um, const int *shank, gsize n)
{
  g_free (self->contacts_um);
  g_free (self->shank);
  self->contacts_um = g_memdup2 (xyz_um, n * 3 * sizeof (double));
  self->shank = g_memdup2 (shank, n * sizeof (int));
  self->n_contacts = n;
  if (self->dragging_probe)
    keep_probe_in_view (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
wslfp_layout_view_set_preset (WslfpLayoutView *self, const char *name)
{
  if (name == NULL)
    {
      /* Reset: the default angles, framing everything there is now. */
      wslfp_view_init (&self->view);
      wslfp_layout_view_frame_all (self);
    }
  else
    wslfp_view_preset (&self->view, name);
  cells_changed (self);
}

void
wslfp_layout_view_set_angles (WslfpLayoutView *self, double azimuth_deg, double elevation_deg)
{
  self->view.azimuth_deg = fmod (azimuth_deg, 360);
  self->view.elevation_deg = CLAMP (elevation_deg, -90, 90);
  cells_changed (self);
}

static void
wslfp_layout_view_finalize (GObject *object)
{
  WslfpLayoutView *self = WSLFP_LAYOUT_VIEW (object);
  g_free (self->contacts_um);
  g_free (self->inhibitory_um);
  g_free (self->shank);
  g_free (self->bodies_um);
  g_free (self->weights);
  g_clear_pointer (&self->cells_layer, cairo_surface_destroy);
  G_OBJECT_CLASS (wslfp_layout_view_parent_class)->finalize (object);
}

static void
wslfp_layout_view_class_init (WslfpLayoutViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = wslfp_layout_view_finalize;
  widget_class->snapshot = wslfp_layout_view_snapshot;
  /* Emitted with the world-space motion (µm) when the user drags the probe. */
  signals[PROBE_DRAGGED] = g_signal_new ("probe-dragged", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                         NULL, G_TYPE_NONE, 3, G_TYPE_DOUBLE, G_TYPE_DOUBLE, G_TYPE_DOUBLE);
  /* Around a drag of the probe: its moves are one step (to undo). */
  signals[PROBE_DRAG_BEGIN] = g_signal_new ("probe-drag-begin", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                            NULL, NULL, G_TYPE_NONE, 0);
  signals[PROBE_DRAG_END] = g_signal_new ("probe-drag-end", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                          NULL, NULL, G_TYPE_NONE, 0);
  /* Emitted with the contact under the pointer (−1: none). */
  signals[CONTACT_HOVERED] = g_signal_new ("contact-hovered", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                           NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  gtk_widget_class_set_css_name (widget_class, "layoutview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
wslfp_layout_view_init (WslfpLayoutView *self)
{
  /* (what a screen reader says of the picture) */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, _("The neurons and the probe in 3-D"), -1);
  GtkGesture *drag = gtk_gesture_drag_new ();
  GtkEventController *scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
  GtkEventController *motion = gtk_event_controller_motion_new ();
  GtkEventController *keys = gtk_event_controller_key_new ();

  self->hovered = -1;
  self->weights_contact = -1;
  wslfp_view_init (&self->view);
  g_signal_connect (motion, "motion", G_CALLBACK (motion_cb), self);
  g_signal_connect (motion, "leave", G_CALLBACK (leave_cb), self);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (drag_update_cb), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (drag_end_cb), self);
  g_signal_connect (scroll, "scroll", G_CALLBACK (scroll_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));
  gtk_widget_add_controller (GTK_WIDGET (self), scroll);
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_size_request (GTK_WIDGET (self), 160, 120);
}

GtkWidget *
wslfp_layout_view_new (void)
{
  return g_object_new (WSLFP_TYPE_LAYOUT_VIEW, NULL);
}
