/* wslfp-layout-hand.c: drags and hovers in the layout views (see the
 * header). */
#include "config.h"
#include "wslfp-layout-hand.h"

#include <glib/gi18n.h>

#include "wslfp-probe.h"

struct _WslfpLayoutHand
{
  WslfpComputeController *controller;
  WslfpExplorerState *state;
  WslfpProbe *probe;
  WslfpHistory *history;
  GPtrArray *layouts, *traces;  /* (not references) */
  gssize hovered_contact;       /* -1: none */
  gboolean told_limit;          /* a drag against the limit was refused */
  gboolean dragging;            /* one undo step from press to release */
};

/* ---- hovering ---- */

static void
show_contributions (WslfpLayoutHand *self)
{
  gssize e = self->hovered_contact;
  gsize n = 0;
  g_autofree double *weights = e >= 0 ? wslfp_compute_controller_contact_weights (self->controller, e, &n) : NULL;
  for (guint v = 0; v < self->layouts->len; v++)
    {
      wslfp_layout_view_set_weights (self->layouts->pdata[v], weights, n, weights ? e : -1);
      wslfp_trace_view_set_highlight (self->traces->pdata[v], weights ? e : -1);
    }
}

static void
contact_hovered_cb (WslfpLayoutView *view, gint64 e, WslfpLayoutHand *self)
{
  self->hovered_contact = (gssize) e;
  show_contributions (self);
}

/* What is computed changed (a setting, the probe, the document, the end
 * of a hold): the hovered contact's weights follow. */
static void
geometry_changed_cb (GObject *object, GParamSpec *pspec, WslfpLayoutHand *self)
{
  if (self->hovered_contact >= 0 && !wslfp_compute_controller_is_held (self->controller)
      && (object != G_OBJECT (self->state) || wslfp_explorer_state_is_computed (pspec)))
    show_contributions (self);
}

/* ---- dragging ---- */

static void
probe_dragged_cb (WslfpLayoutView *view, double dx, double dy, double dz, WslfpLayoutHand *self)
{
  if (wslfp_probe_translate (self->probe, dx, dy, dz))
    self->told_limit = FALSE;
  else if (!self->told_limit)
    {
      /* Once per push against the limit, not once per pixel of it. */
      g_autofree char *msg = g_strdup_printf (_("The probe stays within ±%g µm of the origin"), WSLFP_PROBE_LIMIT_UM);
      gtk_widget_activate_action (GTK_WIDGET (view), "win.toast", "s", msg);
      self->told_limit = TRUE;
    }
}

static void
probe_drag_begin_cb (WslfpLayoutView *view, WslfpLayoutHand *self)
{
  if (!self->dragging)
    wslfp_history_begin_group (self->history);
  self->dragging = TRUE;
}

static void
probe_drag_end_cb (WslfpLayoutView *view, WslfpLayoutHand *self)
{
  if (self->dragging)
    wslfp_history_end_group (self->history);
  self->dragging = FALSE;
}

/* ---- the hand ---- */

WslfpLayoutHand *
wslfp_layout_hand_new (WslfpComputeController *controller, WslfpHistory *history, WslfpLayoutView *const *layouts,
                       WslfpTraceView *const *traces, guint n_views)
{
  WslfpLayoutHand *self = g_new0 (WslfpLayoutHand, 1);
  self->controller = g_object_ref (controller);
  self->state = g_object_ref (wslfp_compute_controller_get_state (controller));
  self->probe = g_object_ref (wslfp_explorer_state_get_probe (self->state));
  self->history = g_object_ref (history);
  self->hovered_contact = -1;
  self->layouts = g_ptr_array_new ();
  self->traces = g_ptr_array_new ();
  for (guint v = 0; v < n_views; v++)
    {
      g_ptr_array_add (self->layouts, layouts[v]);
      g_ptr_array_add (self->traces, traces[v]);
      g_signal_connect (layouts[v], "probe-dragged", G_CALLBACK (probe_dragged_cb), self);
      g_signal_connect (layouts[v], "probe-drag-begin", G_CALLBACK (probe_drag_begin_cb), self);
      g_signal_connect (layouts[v], "probe-drag-end", G_CALLBACK (probe_drag_end_cb), self);
      g_signal_connect (layouts[v], "contact-hovered", G_CALLBACK (contact_hovered_cb), self);
    }
  g_signal_connect (self->state, "notify", G_CALLBACK (geometry_changed_cb), self);
  g_signal_connect (self->probe, "notify", G_CALLBACK (geometry_changed_cb), self);
  g_signal_connect (controller, "notify::document", G_CALLBACK (geometry_changed_cb), self);
  g_signal_connect (controller, "notify::held", G_CALLBACK (geometry_changed_cb), self);
  return self;
}

void
wslfp_layout_hand_free (WslfpLayoutHand *self)
{
  if (self == NULL)
    return;
  for (guint v = 0; v < self->layouts->len; v++)
    g_signal_handlers_disconnect_by_data (self->layouts->pdata[v], self);
  g_signal_handlers_disconnect_by_data (self->state, self);
  g_signal_handlers_disconnect_by_data (self->probe, self);
  g_signal_handlers_disconnect_by_data (self->controller, self);
  g_ptr_array_unref (self->layouts);
  g_ptr_array_unref (self->traces);
  g_object_unref (self->history);
  g_object_unref (self->probe);
  g_object_unref (self->state);
  g_object_unref (self->controller);
  g_free (self);
}
