/* wslfp-window-live.c: moving the probe live.  The combined currents of
 * the current proxy settings are kept (see WslfpCombined); a move costs the
 * new amplitude rows and one product, computed by the mover's worker
 * (WslfpMover), which always takes the latest position, so the traces
 * follow the hand as fast as products finish.  Where the exact product is
 * too slow for that, a move computes every stride-th time step (a
 * preview), and the exact traces follow as soon as the hand rests. */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "wslfp-window-private.h"

/* A preview aims at this many milliseconds of work: with the new
 * amplitude rows and the drawing, about 30 updates a second. */
#define PREVIEW_TARGET_MS 12.0
/* Even a preview keeps this many time steps. */
#define PREVIEW_MIN_ROWS 400

void
wslfp_window_live_reset (WslfpWindow *self)
{
  g_clear_pointer (&self->combined, wslfp_shared_combined_unref);
  self->live_serial++;
}

void
wslfp_window_live_set (WslfpWindow *self, WslfpSharedCombined *combined, double product_ms)
{
  g_clear_pointer (&self->combined, wslfp_shared_combined_unref);
  self->combined = wslfp_shared_combined_ref (combined);
  self->exact_product_ms = product_ms;
}

/* The stride that brings a move near the target time: 1 (exact) while
 * exact moves are fast enough or not yet measured. */
static gsize
choose_stride (WslfpWindow *self)
{
  if (!(self->exact_product_ms > PREVIEW_TARGET_MS))
    return 1;
  gsize T = wslfp_combined_get_n_times (wslfp_shared_combined_get (self->combined));
  gsize stride = (gsize) ceil (self->exact_product_ms / PREVIEW_TARGET_MS);
  return MAX (MIN (stride, T / PREVIEW_MIN_ROWS), 1);
}

static void
moved_cb (WslfpLfp *lfp, gsize stride, double ms, guint serial, const GError *error, gpointer data)
{
  WslfpWindow *self = data;
  if (serial != self->live_serial || self->combined == NULL)
    {
      /* The settings changed meanwhile: their own computation follows. */
      wslfp_lfp_free (lfp);
      return;
    }
  if (lfp == NULL)
    {
      g_autofree char *msg = g_strdup_printf (_("Computation failed: %s"), error->message);
      wslfp_window_toast (self, msg);
      return;
    }
  if (stride == 1)
    self->exact_product_ms = ms;
  self->shown_stride = stride;
  self->n_moves++;
  g_autofree char *status = NULL;
  if (stride > 1)
    /* Translators: while the probe moves: every n-th time step is computed. */
    status = g_strdup_printf (_("%zu samples × %zu contacts, preview (every %zu time steps) in %.0f ms"), lfp->n_times,
                              lfp->n_electrodes, stride, ms);
  else
    status = g_strdup_printf (_("%zu samples × %zu contacts, computed in %.0f ms"), lfp->n_times, lfp->n_electrodes, ms);
  gtk_label_set_text (self->status_label, status);
  wslfp_window_show_lfp (self, lfp);
}

void
wslfp_window_live_init (WslfpWindow *self)
{
  self->mover = wslfp_mover_new (moved_cb, self);
}

void
wslfp_window_live_dispose (WslfpWindow *self)
{
  g_clear_pointer (&self->mover, wslfp_mover_free);
  g_clear_pointer (&self->combined, wslfp_shared_combined_unref);
}

gboolean
wslfp_window_live_busy (WslfpWindow *self)
{
  return self->mover != NULL && wslfp_mover_is_busy (self->mover);
}

gboolean
wslfp_window_live_move (WslfpWindow *self)
{
  /* Only when the kept currents are those of the settings shown: not while
   * a settings change waits or computes. */
  if (self->combined == NULL || self->document == NULL || self->mover == NULL || self->recompute_idle != 0
      || self->compute_cancellable != NULL)
    return FALSE;
  WslfpJobSettings s;
  g_autofree double *xyz = NULL;
  g_autofree int *shank = NULL;
  wslfp_window_current_settings (self, &s, &xyz, &shank);
  wslfp_mover_request (self->mover, self->document, self->combined, &s, choose_stride (self), self->live_serial);
  return TRUE;
}

gsize wslfp_window_get_shown_stride (WslfpWindow *self) { return self->shown_stride; }
guint wslfp_window_get_n_moves (WslfpWindow *self) { return self->n_moves; }
