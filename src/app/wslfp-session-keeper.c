/* wslfp-session-keeper.c: saving and restoring sessions (see the header). */
#include "config.h"
#include "wslfp-session-keeper.h"

#include <glib/gi18n.h>

struct _WslfpSessionKeeper
{
  GObject parent_instance;
  WslfpComputeController *controller;
  WslfpExplorerState *state;
  WslfpSession *pending;        /* being restored */
  enum { STAGE_NONE, STAGE_WAIT_PIN, STAGE_WAIT_RESULT } stage;
};

G_DEFINE_FINAL_TYPE (WslfpSessionKeeper, wslfp_session_keeper, G_TYPE_OBJECT)

enum
{
  SIGNAL_FAILED,
  SIGNAL_RESTORED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---- what is shown, as a session ---- */

WslfpSession *
wslfp_session_keeper_capture (WslfpSessionKeeper *self)
{
  WslfpSession *s = wslfp_explorer_state_to_session (self->state);
  const WslfpLfp *lfp = wslfp_compute_controller_get_lfp (self->controller);
  /* The zoom, when there is one (all of it is the default). */
  if (lfp != NULL && lfp->n_times > 1 && s->t_start_ms <= lfp->t_ms[0] && s->t_end_ms >= lfp->t_ms[lfp->n_times - 1])
    s->t_start_ms = s->t_end_ms = 0;
  const WslfpSessionResult *pinned = wslfp_compute_controller_get_pinned_settings (self->controller);
  if (pinned != NULL)
    {
      s->pinned = TRUE;
      wslfp_session_result_copy (&s->pin, pinned);
    }
  return s;
}

gboolean
wslfp_session_keeper_save (WslfpSessionKeeper *self, const char *path, GError **error)
{
  if (!wslfp_compute_controller_check_output (self->controller, path, error))
    return FALSE;
  g_autoptr (WslfpSession) s = wslfp_session_keeper_capture (self);
  return wslfp_session_save (s, path, error);
}

char *
wslfp_session_keeper_command (WslfpSessionKeeper *self)
{
  g_autoptr (WslfpSession) s = wslfp_session_keeper_capture (self);
  /* The command places the probe about its own contacts' centre. */
  WslfpProbe *probe = wslfp_explorer_state_get_probe (self->state);
  const char *ext = g_strcmp0 (s->figure_kind, "psd") == 0   ? "psd"
                    : g_strcmp0 (s->figure_kind, "csd") == 0 ? "csd"
                                                             : "lfp";
  g_autofree char *figure = g_strdup_printf ("%s.pdf", ext);
  return wslfp_session_command (s, wslfp_probe_get_layout (probe), "lfp.h5", figure);
}

/* ---- restoring ---- */

static void
stop_restoring (WslfpSessionKeeper *self)
{
  g_clear_pointer (&self->pending, wslfp_session_free);
  self->stage = STAGE_NONE;
}

/* Sets the state (the files it names read first, so that a missing one
 * stops here, with the reason). */
static gboolean
apply_result (WslfpSessionKeeper *self, const WslfpSessionResult *r, GError **error)
{
  if (g_strcmp0 (r->profile, "custom") == 0
      && !wslfp_compute_controller_load_grid (self->controller, r->custom_grid, error))
    return FALSE;
  WslfpProbe *probe = wslfp_explorer_state_get_probe (self->state);
  if (g_strcmp0 (r->probe_kind, "file") == 0 && !wslfp_explorer_state_load_probe_file (self->state, r->probe_file, error))
    return FALSE;
  WslfpDocument *doc = wslfp_compute_controller_get_document (self->controller);
  const WslfpDataset *ds = doc != NULL ? wslfp_document_get_dataset (doc) : NULL;
  if (g_strcmp0 (r->probe_kind, "dataset") == 0)
    {
      if (ds != NULL)
        wslfp_explorer_state_use_dataset_probe (self->state, ds);
    }
  else if (g_strcmp0 (r->probe_kind, "file") != 0 && g_strcmp0 (r->probe_kind, "shanks") != 0)
    wslfp_probe_set_preset (probe, r->probe_kind);
  /* A dataset with currents or spikes only keeps its source. */
  WslfpSessionResult applied = { 0 };
  wslfp_session_result_copy (&applied, r);
  if (ds == NULL || !wslfp_dataset_check_currents (ds, NULL) || !wslfp_dataset_check_spikes (ds, NULL))
    g_object_get (self->state, "from-spikes", &applied.from_spikes, NULL);
  /* The length of one's own only when it is one's own (else the panel
   * keeps showing the dataset's). */
  if (applied.length_from_dataset)
    g_object_get (self->state, "dendrite-length-um", &applied.dendrite_length_um, NULL);
  wslfp_explorer_state_set_result (self->state, &applied);
  wslfp_session_result_clear (&applied);
  return TRUE;
}

/* The session's dataset is being adopted: the settings of its pinned
 * result (computed and pinned first), or its own, and its view. */
static void
adopting_cb (WslfpComputeController *controller, WslfpDocument *doc, WslfpSessionKeeper *self)
{
  WslfpSession *s = self->pending;
  if (s == NULL)
    return;
  g_autoptr (GError) error = NULL;
  if (!apply_result (self, s->pinned ? &s->pin : &s->current, &error))
    {
      g_autofree char *msg = g_strdup_printf (_("The session could not be restored: %s"), error->message);
      stop_restoring (self);
      g_signal_emit (self, signals[SIGNAL_FAILED], 0, msg);
      return;
    }
  wslfp_explorer_state_apply_view (self->state, s);
  self->stage = s->pinned ? STAGE_WAIT_PIN : STAGE_WAIT_RESULT;
}

/* A result is shown: the session's next step. */
static void
result_cb (WslfpComputeController *controller, const char *status, WslfpSessionKeeper *self)
{
  WslfpSession *s = self->pending;
  if (s == NULL || self->stage == STAGE_NONE || wslfp_compute_controller_get_lfp (controller) == NULL)
    return;
  if (self->stage == STAGE_WAIT_PIN)
    {
      wslfp_compute_controller_pin (controller, TRUE);
      g_autoptr (GError) error = NULL;
      if (!apply_result (self, &s->current, &error))
        {
          stop_restoring (self);
          g_signal_emit (self, signals[SIGNAL_FAILED], 0, error->message);
          return;
        }
      self->stage = STAGE_WAIT_RESULT;
      wslfp_compute_controller_recompute (controller);
      return;
    }
  double t0 = s->t_start_ms, t1 = s->t_end_ms;
  stop_restoring (self);
  g_signal_emit (self, signals[SIGNAL_RESTORED], 0, t0, t1);
}

/* An LFP file opened instead: nothing to restore into. */
static void
opened_cb (WslfpComputeController *controller, WslfpDocument *doc, WslfpSessionKeeper *self)
{
  if (wslfp_document_get_lfp (doc) != NULL)
    stop_restoring (self);
}

gboolean
wslfp_session_keeper_restore (WslfpSessionKeeper *self, const char *path, GError **error)
{
  WslfpSession *s = wslfp_session_load (path, error);
  if (s == NULL)
    return FALSE;
  stop_restoring (self);
  self->pending = s;
  wslfp_compute_controller_pin (self->controller, FALSE);
  g_autoptr (GFile) dataset = s->dataset != NULL ? g_file_new_for_path (s->dataset) : NULL;
  wslfp_compute_controller_open (self->controller, dataset, s->sources);
  return TRUE;
}

gboolean
wslfp_session_keeper_is_restoring (WslfpSessionKeeper *self)
{
  return self->pending != NULL;
}

/* ---- the object ---- */

static void
wslfp_session_keeper_dispose (GObject *object)
{
  WslfpSessionKeeper *self = WSLFP_SESSION_KEEPER (object);
  if (self->controller != NULL)
    g_signal_handlers_disconnect_by_data (self->controller, self);
  g_clear_object (&self->controller);
  g_clear_object (&self->state);
  stop_restoring (self);
  G_OBJECT_CLASS (wslfp_session_keeper_parent_class)->dispose (object);
}

static void
wslfp_session_keeper_class_init (WslfpSessionKeeperClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  object_class->dispose = wslfp_session_keeper_dispose;
  signals[SIGNAL_FAILED] = g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 1, G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);
  signals[SIGNAL_RESTORED] = g_signal_new ("restored", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                           NULL, G_TYPE_NONE, 2, G_TYPE_DOUBLE, G_TYPE_DOUBLE);
}

static void
wslfp_session_keeper_init (WslfpSessionKeeper *self)
{
}

WslfpSessionKeeper *
wslfp_session_keeper_new (WslfpComputeController *controller)
{
  g_return_val_if_fail (WSLFP_IS_COMPUTE_CONTROLLER (controller), NULL);
  WslfpSessionKeeper *self = g_object_new (WSLFP_TYPE_SESSION_KEEPER, NULL);
  self->controller = g_object_ref (controller);
  self->state = g_object_ref (wslfp_compute_controller_get_state (controller));
  g_signal_connect (controller, "adopting", G_CALLBACK (adopting_cb), self);
  g_signal_connect (controller, "result", G_CALLBACK (result_cb), self);
  g_signal_connect (controller, "opened", G_CALLBACK (opened_cb), self);
  return self;
}
