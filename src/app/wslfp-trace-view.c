/* wslfp-trace-view.c: the trace widget.  Scroll zooms time around the
 * pointer (Ctrl+scroll: amplitude), dragging pans, hovering reads out. */
#include "config.h"

#include "wslfp-trace-view.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "wslfp-analysis.h"
#include "wslfp-plot.h"
#include "wslfp-view-message.h"

struct _WslfpTraceView
{
  GtkWidget parent_instance;

  /* borrowed */
  const WslfpLfp *lfp;
  const WslfpLfp *pinned;

  /* owned */
  char *pinned_label, *current_label;
  char **contact_ids; /* the probe file's names of the contacts, or NULL */
  char *message;                /* shown in place of no traces, or NULL */
  char *preview;                /* the traces are a preview: what kind, or NULL */

  /* state */
  double t_start_ms, t_end_ms;  /* shown range; equal: all */
  double gain;
  double drag_t0, drag_t1;      /* range when a drag began */
  char *hover_text;
  WslfpTraceMode mode;
  WslfpFigureKind kind;
  gssize highlight;
  gboolean marker_on;           /* the sample under the pointer */
  gsize marker_e;
  double marker_t, marker_v;
};

G_DEFINE_FINAL_TYPE (WslfpTraceView, wslfp_trace_view, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_T_START_MS,
  PROP_T_END_MS,
  PROP_GAIN,
  PROP_HOVER_TEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  CONTACT_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
full_range (WslfpTraceView *self, double *t0, double *t1)
{
  *t0 = 0;
  *t1 = 1;
  if (self->lfp != NULL && self->lfp->n_times > 1)
    {
      *t0 = self->lfp->t_ms[0];
      *t1 = self->lfp->t_ms[self->lfp->n_times - 1];
    }
}

/* Clamps a range to the data and keeps it at least a few samples wide. */
static void
set_range (WslfpTraceView *self, double t0, double t1)
{
  double lo, hi;
  full_range (self, &lo, &hi);
  double span = MIN (t1 - t0, hi - lo);
  double min_span = self->lfp && self->lfp->n_times > 1 ? 4 * (hi - lo) / (self->lfp->n_times - 1) : 1e-3;
  span = MAX (span, min_span);
  if (t0 < lo)
    t0 = lo;
  if (t0 + span > hi)
    t0 = hi - span;
  t1 = t0 + span;
  if (t0 == self->t_start_ms && t1 == self->t_end_ms)
    return;
  self->t_start_ms = t0;
  self->t_end_ms = t1;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_T_START_MS]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_T_END_MS]);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
set_hover_text (WslfpTraceView *self, const char *text)
{
  if (g_strcmp0 (self->hover_text, text) == 0)
    return;
  g_free (self->hover_text);
  self->hover_text = g_strdup (text);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HOVER_TEXT]);
}

static WslfpTraces
traces_of (WslfpTraceView *self, const WslfpLfp *lfp)
{
  WslfpTraces tr = { lfp->n_times, lfp->n_electrodes, lfp->t_ms, lfp->uv, lfp->electrodes_um, lfp->shank,
                     lfp->n_shanks, NULL, NULL };
  /* (names for as many contacts as there are) */
  if (self->contact_ids != NULL && g_strv_length (self->contact_ids) == lfp->n_electrodes)
    tr.contact_ids = (const char *const *) self->contact_ids;
  return tr;
}

static WslfpTraceStyle
style_of (WslfpTraceView *self)
{
  WslfpTraceStyle style = { self->t_start_ms, self->t_end_ms, NULL, self->gain, self->mode, FALSE, 0 };
  if (self->highlight >= 0 && self->lfp != NULL && (gsize) self->highlight < self->lfp->n_electrodes)
    {
      style.highlight_set = TRUE;
      style.highlight = (gsize) self->highlight;
    }
  return style;
}

/* What is drawn: the LFP (with a pinned result to compare), or its CSD as
 * colour maps.  @csd holds the CSD's data while the result is used. */
static gboolean
figure_of (WslfpTraceView *self, WslfpTraces *tr, WslfpTraceStyle *style, WslfpTraces *pinned, WslfpCsdFigure *csd,
           GError **error)
{
  *tr = traces_of (self, self->lfp);
  *style = style_of (self);
  if (self->kind == WSLFP_FIGURE_CSD)
    {
      if (!wslfp_csd_figure_init (csd, tr, error))
        return FALSE;
      *tr = csd->traces;
      style->mode = WSLFP_TRACES_IMAGE;
      style->unit = csd->unit;
      style->highlight_set = FALSE;
      if (csd->left_out != NULL)
        {
          /* The first reason fits on the figure's line. */
          char *end = strchr (csd->left_out, '\n');
          if (end != NULL)
            *end = '\0';
          style->caption = csd->left_out;
        }
      return TRUE;
    }
  if (self->pinned != NULL)
    {
      *pinned = traces_of (self, self->pinned);
      style->compare = pinned;
      style->label = self->current_label;
      style->compare_label = self->pinned_label;
    }
  return TRUE;
}

/* (a spectrum's panels need room for two decades and their labels) */
#define PSD_MIN_HEIGHT 200.0

double
wslfp_trace_view_min_height (WslfpTraceView *self, double width)
{
  WslfpTraces tr, pinned;
  WslfpTraceStyle style;
  g_auto (WslfpCsdFigure) csd = { 0 };
  if (self->lfp == NULL || self->kind == WSLFP_FIGURE_PSD || !figure_of (self, &tr, &style, &pinned, &csd, NULL))
    return PSD_MIN_HEIGHT;
  return wslfp_trace_layout_min_height (&tr, &style, width);
}

void
wslfp_trace_view_set_kind (WslfpTraceView *self, WslfpFigureKind kind)
{
  if (self->kind == kind)
    return;
  self->kind = kind;
  set_hover_text (self, "");
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

WslfpFigureKind
wslfp_trace_view_get_kind (WslfpTraceView *self)
{
  return self->kind;
}

void
wslfp_trace_view_set_pinned (WslfpTraceView *self, const WslfpLfp *pinned, const char *pinned_label,
                             const char *current_label)
{
  self->pinned = pinned;
  g_free (self->pinned_label);
  g_free (self->current_label);
  self->pinned_label = g_strdup (pinned_label);
  self->current_label = g_strdup (current_label);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
wslfp_trace_view_set_mode (WslfpTraceView *self, WslfpTraceMode mode)
{
  self->mode = mode;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
wslfp_trace_view_set_message (WslfpTraceView *self, const char *message)
{
  if (g_strcmp0 (self->message, message) == 0)
    return;
  g_free (self->message);
  self->message = g_strdup (message);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

const char *
wslfp_trace_view_get_message (WslfpTraceView *self)
{
  return self->message;
}

void
wslfp_trace_view_set_preview (WslfpTraceView *self, const char *note)
{
  if (g_strcmp0 (self->preview, note) == 0)
    return;
  g_free (self->preview);
  self->preview = g_strdup (note);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

const char *
wslfp_trace_view_get_preview (WslfpTraceView *self)
{
  return self->preview;
}

/* The preview's note in the top right corner, on the screen only (an
 * exported figure is always of exact traces). */
static void
draw_preview_note (cairo_t *cr, double width, const char *note)
{
  cairo_save (cr);
  cairo_select_font_face (cr, "Sans", CAIRO_FONT_SLANT_ITALIC, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size (cr, 11);
  cairo_text_extents_t ext;
  cairo_text_extents (cr, note, &ext);
  double pad = 5, w = ext.x_advance + 2 * pad, h = 11 + 2 * pad, x = MAX (width - w - 6, 0), y = 6;
  cairo_rectangle (cr, x, y, w, h);
  cairo_set_source_rgba (cr, 1, 0.96, 0.8, 0.92);
  cairo_fill_preserve (cr);
  cairo_set_source_rgb (cr, 0.75, 0.6, 0.2);
  cairo_set_line_width (cr, 1);
  cairo_stroke (cr);
  cairo_set_source_rgb (cr, 0.35, 0.28, 0.05);
  cairo_move_to (cr, x + pad, y + pad + 11 - 2);
  cairo_show_text (cr, note);
  cairo_restore (cr);
}

void
wslfp_trace_view_set_highlight (WslfpTraceView *self, gssize e)
{
  if (self->highlight == e)
    return;
  self->highlight = e;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
wslfp_trace_view_draw (WslfpTraceView *self, cairo_t *cr, double width, double height)
{
  if (self->lfp == NULL)
    {
      if (self->message != NULL)
        wslfp_view_draw_message (cr, width, height, self->message);
      else
        {
          cairo_set_source_rgb (cr, 1, 1, 1);
          cairo_paint (cr);
        }
      return;
    }
  WslfpTraces tr, pinned;
  WslfpTraceStyle style;
  g_auto (WslfpCsdFigure) csd = { 0 };
  g_autoptr (GError) error = NULL;
  if (self->kind == WSLFP_FIGURE_PSD)
    {
      g_auto (WslfpPsdFigure) psd = { 0 };
      tr = traces_of (self, self->lfp);
      if (!wslfp_psd_figure_init (&psd, &tr, self->t_start_ms, self->t_end_ms, &error))
        {
          g_autofree char *msg = g_strdup_printf (_("No spectrum: %s"), error->message);
          wslfp_view_draw_message (cr, width, height, msg);
          return;
        }
      wslfp_plot_psd (cr, width, height, &psd.spectra);
      return;
    }
  if (!figure_of (self, &tr, &style, &pinned, &csd, &error))
    {
      g_autofree char *msg = g_strdup_printf (_("No current-source density: %s"), error->message);
      wslfp_view_draw_message (cr, width, height, msg);
      return;
    }
  wslfp_plot_traces (cr, width, height, &tr, &style);
}

static void
layout_now (WslfpTraceView *self, WslfpTraceLayout *L, WslfpTraces *tr)
{
  *tr = traces_of (self, self->lfp);
  WslfpTraceStyle style = style_of (self);
  wslfp_trace_layout_compute (L, tr, &style, gtk_widget_get_width (GTK_WIDGET (self)),
                              gtk_widget_get_height (GTK_WIDGET (self)));
}

static void
wslfp_trace_view_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  WslfpTraceView *self = WSLFP_TRACE_VIEW (widget);
  double w = gtk_widget_get_width (widget), h = gtk_widget_get_height (widget);
  cairo_t *cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, w, h));
  wslfp_trace_view_draw (self, cr, w, h);
  if (self->marker_on && self->lfp != NULL && self->kind == WSLFP_FIGURE_LFP && self->marker_e < self->lfp->n_electrodes)
    {
      WslfpTraceLayout L;
      WslfpTraces tr;
      layout_now (self, &L, &tr);
      if (!L.image)
        {
          int p = CLAMP (tr.shank[self->marker_e], 0, L.n_panels - 1);
          double x = wslfp_trace_layout_x (&L, p, self->marker_t);
          double y = wslfp_trace_layout_y0 (&L, &tr, self->marker_e) - self->marker_v / L.uv_per_px;
          cairo_arc (cr, x, y, 3.5, 0, 2 * G_PI);
          cairo_set_source_rgb (cr, 0, 0, 0);
          cairo_fill_preserve (cr);
          cairo_set_source_rgb (cr, 1, 1, 1);
          cairo_set_line_width (cr, 1);
          cairo_stroke (cr);
        }
    }
  if (self->preview != NULL && self->lfp != NULL)
    draw_preview_note (cr, w, self->preview);
  cairo_destroy (cr);
}

void
wslfp_trace_view_set_range (WslfpTraceView *self, double t0, double t1)
{
  set_range (self, t0, t1);
}

/* The read-out over the CSD (depth, time, value) or the spectra (which
 * shank, which frequency). */
static void
motion_figure (WslfpTraceView *self, double x, double y)
{
  double w = gtk_widget_get_width (GTK_WIDGET (self)), h = gtk_widget_get_height (GTK_WIDGET (self));
  if (self->kind == WSLFP_FIGURE_CSD)
    {
      WslfpTraces tr, pinned;
      WslfpTraceStyle style;
      g_auto (WslfpCsdFigure) csd = { 0 };
      WslfpTraceLayout L;
      gsize e;
      double t, v;
      if (!figure_of (self, &tr, &style, &pinned, &csd, NULL))
        return;
      wslfp_trace_layout_compute (&L, &tr, &style, w, h);
      if (wslfp_trace_layout_pick (&L, &tr, x, y, &e, &t, &v))
        {
          /* (a minus sign, as the traces' read-out and the figures have) */
          char value[32];
          g_snprintf (value, sizeof value, "%.3g", v);
          wslfp_plot_minus_signs (value, sizeof value);
          /* Translators: a read-out of the CSD under the pointer; the
           * last %s is its unit, e.g. nA/mm³. */
          g_autofree char *text = g_strdup_printf (_("Shank %d, z = %.0f µm · t = %.1f ms · CSD %s %s"),
                                                   csd.ids[tr.shank[e]], tr.electrodes_um[3 * e + 2], t, value,
                                                   csd.unit);
          set_hover_text (self, text);
          return;
        }
      set_hover_text (self, "");
      return;
    }
  set_hover_text (self, "");
}

/* A dot on the sample the read-out is about. */
static void
set_marker (WslfpTraceView *self, gboolean on, gsize e, double t, double v)
{
  if (on == self->marker_on && (!on || (e == self->marker_e && t == self->marker_t)))
    return;
  self->marker_on = on;
  self->marker_e = e;
  self->marker_t = t;
  self->marker_v = v;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
motion_cb (GtkEventControllerMotion *controller, double x, double y, WslfpTraceView *self)
{
  WslfpTraceLayout L;
  WslfpTraces tr;
  gsize e;
  double t, v;
  if (self->lfp == NULL)
    return;
  if (self->kind != WSLFP_FIGURE_LFP)
    {
      motion_figure (self, x, y);
      return;
    }
  layout_now (self, &L, &tr);
  if (wslfp_trace_layout_pick (&L, &tr, x, y, &e, &t, &v))
    {
      /* As precise as the data: whole µm unless a contact sits between,
       * the time to the sampling step, the value to three digits. */
      double z = self->lfp->electrodes_um[3 * e + 2];
      int z_decimals = fabs (z - round (z)) < 0.05 ? 0 : 1;
      double dt = self->lfp->n_times > 1 ? (self->lfp->t_ms[self->lfp->n_times - 1] - self->lfp->t_ms[0])
                                             / (self->lfp->n_times - 1) : 1;
      int t_decimals = dt > 0 ? CLAMP ((int) ceil (-log10 (dt) - 1e-9), 0, 4) : 2;
      char value[32];
      g_snprintf (value, sizeof value, "%.3g", v);
      wslfp_plot_minus_signs (value, sizeof value);
      /* Translators: a read-out of the trace under the pointer. */
      g_autofree char *text = g_strdup_printf (_("Channel %zu (shank %d, z = %.*f µm) · t = %.*f ms · %s µV"), e,
                                               self->lfp->shank[e], z_decimals, z, t_decimals, t, value);
      set_hover_text (self, text);
      set_marker (self, TRUE, e, t, v);
    }
  else
    {
      set_hover_text (self, "");
      set_marker (self, FALSE, 0, 0, 0);
    }
}

/* A click (not a drag) on a trace chooses its contact. */
static void
released_cb (GtkGestureClick *gesture, int n_press, double x, double y, WslfpTraceView *self)
{
  WslfpTraceLayout L;
  WslfpTraces tr;
  gsize e;
  double t, v;
  if (self->lfp == NULL || self->kind != WSLFP_FIGURE_LFP || n_press != 1)
    return;
  layout_now (self, &L, &tr);
  if (wslfp_trace_layout_pick (&L, &tr, x, y, &e, &t, &v))
    g_signal_emit (self, signals[CONTACT_ACTIVATED], 0, (gint64) e);
}

static void
leave_cb (GtkEventControllerMotion *controller, WslfpTraceView *self)
{
  set_hover_text (self, "");
  set_marker (self, FALSE, 0, 0, 0);
}

static gboolean
scroll_cb (GtkEventControllerScroll *controller, double dx, double dy, WslfpTraceView *self)
{
  GdkModifierType mods = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));
  double factor = pow (1.15, -dy);
  if (self->lfp == NULL)
    return FALSE;
  if (mods & GDK_CONTROL_MASK)
    {
      self->gain = CLAMP (self->gain * factor, 0.05, 50);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GAIN]);
      gtk_widget_queue_draw (GTK_WIDGET (self));
      return TRUE;
    }
  wslfp_trace_view_zoom (self, factor);
  return TRUE;
}

static void
drag_begin_cb (GtkGestureDrag *gesture, double x, double y, WslfpTraceView *self)
{
  self->drag_t0 = self->t_start_ms;
  self->drag_t1 = self->t_end_ms;
}

static void
drag_update_cb (GtkGestureDrag *gesture, double dx, double dy, WslfpTraceView *self)
{
  WslfpTraceLayout L;
  WslfpTraces tr;
  if (self->lfp == NULL)
    return;
  layout_now (self, &L, &tr);
  double ms_per_px = (self->drag_t1 - self->drag_t0) / MAX (L.panel_w, 1);
  set_range (self, self->drag_t0 - dx * ms_per_px, self->drag_t1 - dx * ms_per_px);
}

void
wslfp_trace_view_zoom (WslfpTraceView *self, double factor)
{
  double mid = (self->t_start_ms + self->t_end_ms) / 2, half = (self->t_end_ms - self->t_start_ms) / 2 / factor;
  set_range (self, mid - half, mid + half);
}

void
wslfp_trace_view_reset_zoom (WslfpTraceView *self)
{
  double t0, t1;
  full_range (self, &t0, &t1);
  self->gain = 1;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GAIN]);
  set_range (self, t0, t1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
wslfp_trace_view_set_lfp (WslfpTraceView *self, const WslfpLfp *lfp)
{
  double old0, old1;
  full_range (self, &old0, &old1);
  gboolean was_zoomed = self->lfp != NULL && (self->t_start_ms > old0 || self->t_end_ms < old1);
  self->lfp = lfp;
  /* Keep the user's zoom across recomputations of the same recording. */
  if (was_zoomed)
    set_range (self, self->t_start_ms, self->t_end_ms);
  else
    {
      double t0, t1;
      full_range (self, &t0, &t1);
      set_range (self, t0, t1);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
wslfp_trace_view_set_contact_ids (WslfpTraceView *self, const char *const *ids)
{
  g_strfreev (self->contact_ids);
  self->contact_ids = g_strdupv ((char **) ids);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

const char *
wslfp_trace_view_get_hover_text (WslfpTraceView *self)
{
  return self->hover_text ? self->hover_text : "";
}

static void
wslfp_trace_view_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  WslfpTraceView *self = WSLFP_TRACE_VIEW (object);
  switch (prop_id)
    {
    case PROP_T_START_MS: g_value_set_double (value, self->t_start_ms); break;
    case PROP_T_END_MS: g_value_set_double (value, self->t_end_ms); break;
    case PROP_GAIN: g_value_set_double (value, self->gain); break;
    case PROP_HOVER_TEXT: g_value_set_string (value, wslfp_trace_view_get_hover_text (self)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wslfp_trace_view_finalize (GObject *object)
{
  WslfpTraceView *self = WSLFP_TRACE_VIEW (object);
  g_free (self->hover_text);
  g_free (self->pinned_label);
  g_free (self->current_label);
  g_free (self->message);
  g_free (self->preview);
  g_strfreev (self->contact_ids);
  G_OBJECT_CLASS (wslfp_trace_view_parent_class)->finalize (object);
}

static void
wslfp_trace_view_class_init (WslfpTraceViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->get_property = wslfp_trace_view_get_property;
  object_class->finalize = wslfp_trace_view_finalize;
  widget_class->snapshot = wslfp_trace_view_snapshot;
  properties[PROP_T_START_MS] = g_param_spec_double ("t-start-ms", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0, flags);
  properties[PROP_T_END_MS] = g_param_spec_double ("t-end-ms", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0, flags);
  properties[PROP_GAIN] = g_param_spec_double ("gain", NULL, NULL, 0, G_MAXDOUBLE, 1, flags);
  properties[PROP_HOVER_TEXT] = g_param_spec_string ("hover-text", NULL, NULL, "", flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  /* The user clicked the trace of contact @e. */
  signals[CONTACT_ACTIVATED] = g_signal_new ("contact-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                             NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  gtk_widget_class_set_css_name (widget_class, "traceview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
wslfp_trace_view_init (WslfpTraceView *self)
{
  /* (what a screen reader says of the picture) */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, _("The LFP at each contact over time"), -1);
  GtkEventController *motion = gtk_event_controller_motion_new ();
  GtkEventController *scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
  GtkGesture *drag = gtk_gesture_drag_new ();
  GtkGesture *click = gtk_gesture_click_new ();

  self->gain = 1;
  self->highlight = -1;
  g_signal_connect (motion, "motion", G_CALLBACK (motion_cb), self);
  g_signal_connect (motion, "leave", G_CALLBACK (leave_cb), self);
  g_signal_connect (scroll, "scroll", G_CALLBACK (scroll_cb), self);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (drag_update_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);
  gtk_widget_add_controller (GTK_WIDGET (self), scroll);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));
  g_signal_connect (click, "released", G_CALLBACK (released_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_size_request (GTK_WIDGET (self), 200, 120);
}

GtkWidget *
wslfp_trace_view_new (void)
{
  return g_object_new (WSLFP_TYPE_TRACE_VIEW, NULL);
}
