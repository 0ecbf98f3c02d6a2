/* wslfp-window-live.c: moving the probe live.  The combined currents of
 * the current proxy settings are kept (see WslfpCombined); a move costs the
 * new amplitude rows and one product, computed in a worker.  Moves that
 * arrive while one is computed are coalesced into the next (the latest
 * position wins), so the traces follow the hand as fast as products
 * finish.  Where the exact product is too slow for that, a move computes
 * every stride-th time step (a preview), and the exact traces follow as
 * soon as the hand rests. */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "wslfp-window-private.h"

/* A preview aims at this many milliseconds per product: ~30 updates/s
 * with room for drawing. */
#define PREVIEW_TARGET_MS 22.0
/* Even a preview keeps this many time steps. */
#define PREVIEW_MIN_ROWS 400

void
wslfp_window_live_reset (WslfpWindow *self)
{
  g_clear_pointer (&self->combined, wslfp_shared_combined_unref);
  self->live_serial++;
  self->move_pending = FALSE;
}

void
wslfp_window_live_set (WslfpWindow *self, WslfpSharedCombined *combined, double product_ms)
{
  g_clear_pointer (&self->combined, wslfp_shared_combined_unref);
  self->combined = wslfp_shared_combined_ref (combined);
  self->exact_product_ms = product_ms;
}

/* The stride that brings the product near the target time: 1 (exact)
 * while exact products are fast enough or not yet measured. */
static gsize
choose_stride (WslfpWindow *self)
{
  if (!(self->exact_product_ms > PREVIEW_TARGET_MS))
    return 1;
  gsize T = wslfp_combined_get_n_times (wslfp_shared_combined_get (self->combined));
  gsize stride = (gsize) ceil (self->exact_product_ms / PREVIEW_TARGET_MS);
  return MAX (MIN (stride, T / PREVIEW_MIN_ROWS), 1);
}

typedef struct
{
  WslfpWindow *self;
  guint serial;
  gsize stride;
} MoveJob;

static void start_move (WslfpWindow *self, gsize stride);

static void
move_done_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  MoveJob *job = data;
  g_autoptr (WslfpWindow) self = job->self;
  g_autoptr (GError) error = NULL;
  double product_ms = 0;
  WslfpLfp *lfp = wslfp_document_move_finish (WSLFP_DOCUMENT (source), result, &product_ms, &error);
  gboolean stale = job->serial != self->live_serial || self->combined == NULL;
  gsize stride = job->stride;
  g_free (job);
  self->moving = FALSE;
  if (stale)
    {
      /* The settings changed meanwhile: their own computation follows. */
      g_clear_pointer (&lfp, wslfp_lfp_free);
      return;
    }
  if (lfp == NULL)
    {
      g_autofree char *msg = g_strdup_printf (_("Computation failed: %s"), error->message);
      wslfp_window_toast (self, msg);
      self->move_pending = FALSE;
      return;
    }
  if (stride == 1)
    self->exact_product_ms = product_ms;
  self->shown_stride = stride;
  self->n_moves++;
  g_autofree char *status = NULL;
  if (stride > 1)
    /* Translators: while the probe moves: every n-th time step is computed. */
    status = g_strdup_printf (_("%zu × %zu, preview (every %zu time steps) in %.0f ms"), lfp->n_times,
                              lfp->n_electrodes, stride, product_ms);
  else
    status = g_strdup_printf (_("%zu × %zu, computed in %.0f ms"), lfp->n_times, lfp->n_electrodes, product_ms);
  gtk_label_set_text (self->status_label, status);
  wslfp_window_show_lfp (self, lfp);
  /* The hand moved on: follow it.  It rests: the exact traces. */
  if (self->move_pending)
    {
      self->move_pending = FALSE;
      start_move (self, choose_stride (self));
    }
  else if (stride > 1)
    start_move (self, 1);
}

static void
start_move (WslfpWindow *self, gsize stride)
{
  WslfpJobSettings s;
  g_autofree double *xyz = NULL;
  g_autofree int *shank = NULL;
  wslfp_window_current_settings (self, &s, &xyz, &shank);
  MoveJob *job = g_new0 (MoveJob, 1);
  job->self = g_object_ref (self);
  job->serial = self->live_serial;
  job->stride = stride;
  self->moving = TRUE;
  wslfp_document_move_async (self->document, self->combined, &s, stride, move_done_cb, job);
}

gboolean
wslfp_window_live_move (WslfpWindow *self)
{
  /* Only when the kept currents are those of the settings shown: not while
   * a settings change waits or computes. */
  if (self->combined == NULL || self->document == NULL || self->recompute_idle != 0
      || self->compute_cancellable != NULL)
    return FALSE;
  if (self->moving)
    self->move_pending = TRUE;
  else
    start_move (self, choose_stride (self));
  return TRUE;
}

gsize wslfp_window_get_shown_stride (WslfpWindow *self) { return self->shown_stride; }
guint wslfp_window_get_n_moves (WslfpWindow *self) { return self->n_moves; }
