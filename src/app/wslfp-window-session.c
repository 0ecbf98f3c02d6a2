/* wslfp-window-session.c: sessions (save, open, reopen with the dataset:
 * the pinned result's settings first, pinned, then the session's own) and
 * the command lines that make the same figure. */
#include "config.h"

#include <glib/gi18n.h>

#include "wslfp-session.h"
#include "wslfp-window-private.h"

/* ---- the window's settings as a session ---- */

WslfpSession *
wslfp_window_get_session (WslfpWindow *self)
{
  WslfpSession *s = wslfp_explorer_state_to_session (self->state);
  const WslfpLfp *lfp = wslfp_compute_controller_get_lfp (self->compute);
  /* The zoom, when there is one (all of it is the default). */
  if (lfp != NULL && lfp->n_times > 1 && s->t_start_ms <= lfp->t_ms[0] && s->t_end_ms >= lfp->t_ms[lfp->n_times - 1])
    s->t_start_ms = s->t_end_ms = 0;
  const WslfpSessionResult *pinned = wslfp_compute_controller_get_pinned_settings (self->compute);
  if (pinned != NULL)
    {
      s->pinned = TRUE;
      wslfp_session_result_copy (&s->pin, pinned);
    }
  return s;
}

gboolean
wslfp_window_save_session (WslfpWindow *self, const char *path, GError **error)
{
  if (!wslfp_window_check_output (self, path, error))
    return FALSE;
  g_autoptr (WslfpSession) s = wslfp_window_get_session (self);
  return wslfp_session_save (s, path, error);
}

char *
wslfp_window_get_command (WslfpWindow *self)
{
  g_autoptr (WslfpSession) s = wslfp_window_get_session (self);
  /* The command places the probe about its own contacts' centre. */
  const WslfpProbeLayout *layout = wslfp_probe_get_layout (self->probe);
  const char *ext = g_strcmp0 (s->figure_kind, "psd") == 0 ? "psd" : g_strcmp0 (s->figure_kind, "csd") == 0 ? "csd"
                                                                                                           : "lfp";
  g_autofree char *figure = g_strdup_printf ("%s.pdf", ext);
  return wslfp_session_command (s, layout, "lfp.h5", figure);
}

/* ---- applying a session ---- */

/* Sets the state (and so the panel's controls) and the probe; FALSE
 * (with the reason) when a file it names cannot be read. */
static gboolean
apply_result (WslfpWindow *self, const WslfpSessionResult *r, GError **error)
{
  if (g_strcmp0 (r->profile, "custom") == 0)
    {
      g_autoptr (GFile) grid = g_file_new_for_path (r->custom_grid);
      if (!wslfp_window_load_profile_grid (self, grid, error))
        return FALSE;
    }
  /* The probe's layout, which only the window can read or make. */
  if (g_strcmp0 (r->probe_kind, "file") == 0)
    {
      g_autoptr (GFile) probe = g_file_new_for_path (r->probe_file);
      if (!wslfp_window_load_probe (self, probe, error))
        return FALSE;
    }
  WslfpDocument *doc = wslfp_window_get_document (self);
  const WslfpDataset *ds = doc != NULL ? wslfp_document_get_dataset (doc) : NULL;
  if (g_strcmp0 (r->probe_kind, "dataset") == 0)
    {
      if (ds != NULL)
        wslfp_explorer_state_use_dataset_probe (self->state, ds);
    }
  else if (g_strcmp0 (r->probe_kind, "file") != 0 && g_strcmp0 (r->probe_kind, "shanks") != 0)
    wslfp_probe_set_preset (self->probe, r->probe_kind);
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

/* After the session's dataset is open: its settings and view; a pinned
 * result is computed first (its settings), pinned, and then the session's
 * own settings are applied (wslfp_window_session_result_shown). */
void
wslfp_window_apply_pending_session (WslfpWindow *self)
{
  WslfpSession *s = self->pending_session;
  if (s == NULL)
    return;
  g_autoptr (GError) error = NULL;
  if (!apply_result (self, s->pinned ? &s->pin : &s->current, &error))
    {
      g_autofree char *msg = g_strdup_printf (_("The session could not be restored: %s"), error->message);
      wslfp_window_toast (self, msg);
      g_clear_pointer (&self->pending_session, wslfp_session_free);
      return;
    }
  wslfp_explorer_state_apply_view (self->state, s);
  self->session_stage = s->pinned ? SESSION_WAIT_PIN : SESSION_WAIT_RESULT;
}

/* A result has been shown: the session's next step. */
void
wslfp_window_session_result_shown (WslfpWindow *self)
{
  WslfpSession *s = self->pending_session;
  if (s == NULL || self->session_stage == SESSION_NONE)
    return;
  if (self->session_stage == SESSION_WAIT_PIN)
    {
      g_object_set (self, "pinned", TRUE, NULL);
      g_autoptr (GError) error = NULL;
      if (!apply_result (self, &s->current, &error))
        {
          wslfp_window_toast (self, error->message);
          self->session_stage = SESSION_NONE;
          g_clear_pointer (&self->pending_session, wslfp_session_free);
          return;
        }
      self->session_stage = SESSION_WAIT_RESULT;
      wslfp_window_recompute (self);
      return;
    }
  /* The zoom, once the recording is there to zoom into. */
  if (s->t_end_ms > s->t_start_ms)
    {
      WslfpTraceView *views[WSLFP_WINDOW_N_VIEWS];
      wslfp_window_get_trace_views (self, views);
      for (int v = 0; v < WSLFP_WINDOW_N_VIEWS; v++)
        wslfp_trace_view_set_range (views[v], s->t_start_ms, s->t_end_ms);
    }
  self->session_stage = SESSION_NONE;
  g_clear_pointer (&self->pending_session, wslfp_session_free);
}

gboolean
wslfp_window_open_session (WslfpWindow *self, GFile *file, GError **error)
{
  g_autofree char *path = wslfp_window_local_path (file, error);
  if (path == NULL)
    return FALSE;
  WslfpSession *s = wslfp_session_load (path, error);
  if (s == NULL)
    return FALSE;
  g_clear_pointer (&self->pending_session, wslfp_session_free);
  self->pending_session = s;
  self->session_stage = SESSION_NONE;
  g_object_set (self, "pinned", FALSE, NULL);
  if (s->dataset == NULL)
    wslfp_window_open_demo (self);
  else
    {
      g_autoptr (GFile) dataset = g_file_new_for_path (s->dataset);
      wslfp_window_open_network (self, dataset, s->sources);
    }
  return TRUE;
}
