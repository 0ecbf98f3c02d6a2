/* wslfp-status-bar.c: the status bar (see the header). */
#include "config.h"
#include "wslfp-status-bar.h"

#include <glib/gi18n.h>

struct _WslfpStatusBar
{
  AdwBin parent_instance;

  /* template widgets */
  GtkLabel *hover_label;
  GtkLabel *status_label;
  GtkRevealer *progress_revealer;
  GtkProgressBar *progress_bar;

  /* state */
  guint progress_timeout;
};

G_DEFINE_FINAL_TYPE (WslfpStatusBar, wslfp_status_bar, ADW_TYPE_BIN)

enum
{
  PROP_0,
  PROP_HOVER_TEXT,
  N_PROPS
};
static GParamSpec *properties[N_PROPS];

void
wslfp_status_bar_show (WslfpStatusBar *self, const char *message, gboolean error)
{
  gtk_label_set_text (self->status_label, message);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->status_label), error ? message : NULL);
}

static gboolean
show_progress_cb (gpointer data)
{
  WslfpStatusBar *self = data;
  self->progress_timeout = 0;
  gtk_revealer_set_reveal_child (self->progress_revealer, TRUE);
  return G_SOURCE_REMOVE;
}

void
wslfp_status_bar_stop (WslfpStatusBar *self)
{
  g_clear_handle_id (&self->progress_timeout, g_source_remove);
  gtk_revealer_set_reveal_child (self->progress_revealer, FALSE);
}

static void
started_cb (WslfpComputeController *controller, WslfpStatusBar *self)
{
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  /* Short runs finish before the bar would appear: no flicker. */
  if (self->progress_timeout == 0 && !gtk_revealer_get_reveal_child (self->progress_revealer))
    self->progress_timeout = g_timeout_add (250, show_progress_cb, self);
  gtk_label_set_text (self->status_label, _("Computing…"));
}

/* Of a run, or of the exact traces after a move (which has no
 * "started"): the bar comes if it lasts, and goes when they are done. */
static void
progress_cb (WslfpComputeController *controller, double fraction, WslfpStatusBar *self)
{
  gtk_progress_bar_set_fraction (self->progress_bar, fraction);
  if (fraction >= 1)
    wslfp_status_bar_stop (self);
  else if (self->progress_timeout == 0 && !gtk_revealer_get_reveal_child (self->progress_revealer))
    self->progress_timeout = g_timeout_add (250, show_progress_cb, self);
}

static void
result_cb (WslfpComputeController *controller, const char *status, WslfpStatusBar *self)
{
  if (status != NULL)
    wslfp_status_bar_show (self, status, FALSE);
}

static void
failed_cb (WslfpComputeController *controller, const char *message, gboolean live, WslfpStatusBar *self)
{
  if (!live)
    wslfp_status_bar_stop (self);
}

/* An LFP file shows its traces only: what it holds, and what to do next. */
static void
opened_cb (WslfpComputeController *controller, WslfpDocument *doc, WslfpStatusBar *self)
{
  const WslfpLfp *lfp = wslfp_compute_controller_get_lfp (controller);
  if (wslfp_document_get_lfp (doc) == NULL || lfp == NULL)
    return;
  /* Translators: status line for an LFP file: its samples, contacts and how it was made. */
  g_autofree char *status = g_strdup_printf (_("An LFP file: %zu samples × %zu contacts, %s%s — open a dataset to compute"),
                                             lfp->n_times, lfp->n_electrodes, lfp->profile,
                                             lfp->population ? _(", population") : "");
  wslfp_status_bar_show (self, status, FALSE);
}

void
wslfp_status_bar_set_controller (WslfpStatusBar *self, WslfpComputeController *controller)
{
  g_signal_connect_object (controller, "started", G_CALLBACK (started_cb), self, 0);
  g_signal_connect_object (controller, "progress", G_CALLBACK (progress_cb), self, 0);
  g_signal_connect_object (controller, "result", G_CALLBACK (result_cb), self, 0);
  g_signal_connect_object (controller, "computed", G_CALLBACK (wslfp_status_bar_stop), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (controller, "failed", G_CALLBACK (failed_cb), self, 0);
  g_signal_connect_object (controller, "opened", G_CALLBACK (opened_cb), self, 0);
}

static void
wslfp_status_bar_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  WslfpStatusBar *self = WSLFP_STATUS_BAR (object);
  if (prop_id == PROP_HOVER_TEXT)
    g_value_set_string (value, gtk_label_get_text (self->hover_label));
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
wslfp_status_bar_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  WslfpStatusBar *self = WSLFP_STATUS_BAR (object);
  if (prop_id != PROP_HOVER_TEXT)
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  else if (g_strcmp0 (gtk_label_get_text (self->hover_label), g_value_get_string (value)) != 0)
    {
      gtk_label_set_text (self->hover_label, g_value_get_string (value));
      g_object_notify_by_pspec (object, pspec);
    }
}

static void
wslfp_status_bar_dispose (GObject *object)
{
  WslfpStatusBar *self = WSLFP_STATUS_BAR (object);
  g_clear_handle_id (&self->progress_timeout, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), WSLFP_TYPE_STATUS_BAR);
  G_OBJECT_CLASS (wslfp_status_bar_parent_class)->dispose (object);
}

static void
wslfp_status_bar_class_init (WslfpStatusBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  object_class->dispose = wslfp_status_bar_dispose;
  object_class->get_property = wslfp_status_bar_get_property;
  object_class->set_property = wslfp_status_bar_set_property;
  /* What the pointer is over (a trace view's hover-text). */
  properties[PROP_HOVER_TEXT] = g_param_spec_string ("hover-text", NULL, NULL, "",
                                                     G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY
                                                       | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/wslfp/Explorer/wslfp-status-bar.ui");
  gtk_widget_class_bind_template_child (widget_class, WslfpStatusBar, hover_label);
  gtk_widget_class_bind_template_child (widget_class, WslfpStatusBar, status_label);
  gtk_widget_class_bind_template_child (widget_class, WslfpStatusBar, progress_revealer);
  gtk_widget_class_bind_template_child (widget_class, WslfpStatusBar, progress_bar);
}

static void
wslfp_status_bar_init (WslfpStatusBar *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
