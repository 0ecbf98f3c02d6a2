/* wslfp-window-parts.c: the sum's terms at one contact, under the Explore
 * page's traces: which contact, computing them in a worker, showing them. */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "wslfp-window-private.h"

/* The contact whose terms are shown: the one clicked, else the one with
 * the largest swing (the most to explain). */
static gssize
parts_contact (WslfpWindow *self)
{
  const WslfpLfp *lfp = wslfp_compute_controller_get_lfp (self->compute);
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
  WslfpWindow *self;
  guint serial;
  gsize contact;
} PartsRequest;

static void
parts_done_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  PartsRequest *r = data;
  g_autoptr (WslfpWindow) self = r->self;
  WslfpLfp *ampa = NULL;
  double *gaba = NULL;
  g_autoptr (GError) error = NULL;
  gboolean ok = wslfp_document_parts_finish (WSLFP_DOCUMENT (source), result, &ampa, &gaba, &error);
  gboolean current = r->serial == self->parts_serial;
  gsize e = r->contact;
  g_free (r);
  if (!current || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      wslfp_lfp_free (ampa);
      g_free (gaba);
      return;
    }
  self->parts_busy = FALSE;
  WslfpPartsView *view = wslfp_explore_page_get_parts_view (self->explore_page);
  if (!ok)
    {
      g_autofree char *msg = g_strdup_printf (_("The terms could not be computed: %s"), error->message);
      wslfp_parts_view_set (view, NULL, msg);
      return;
    }
  g_autofree double *total = g_new (double, MAX (ampa->n_times, 1));
  for (gsize t = 0; t < ampa->n_times; t++)
    total[t] = ampa->uv[t] + gaba[t];
  double z = ampa->electrodes_um[2];
  const WslfpLfp *shown = wslfp_compute_controller_get_lfp (self->compute);
  int shank = shown != NULL && e < shown->n_electrodes ? shown->shank[e] : 0;
  char title[160];
  /* Translators: the title of the sum-and-terms view. */
  g_snprintf (title, sizeof title, _("Channel %zu (shank %d, z = %.0f µm)"), e, shank, z);
  wslfp_plot_minus_signs (title, sizeof title);
  WslfpParts parts = { ampa->n_times, ampa->t_ms, total, ampa->uv, gaba, 0, 0, title, NULL };
  wslfp_parts_view_set (view, &parts, NULL);
  double t0, t1;
  g_object_get (wslfp_explore_page_get_trace_view (self->explore_page), "t-start-ms", &t0, "t-end-ms", &t1, NULL);
  wslfp_parts_view_set_range (view, t0, t1);
  wslfp_lfp_free (ampa);
  g_free (gaba);
}

void
wslfp_window_update_parts (WslfpWindow *self)
{
  WslfpDocument *doc = wslfp_window_get_document (self);
  if (!self->show_parts || doc == NULL || wslfp_compute_controller_get_lfp (self->compute) == NULL
      || wslfp_compute_controller_get_shown_stride (self->compute) > 1)
    return;
  gssize e = parts_contact (self);
  if (e < 0)
    return;
  g_cancellable_cancel (self->parts_cancellable);
  g_clear_object (&self->parts_cancellable);
  self->parts_cancellable = g_cancellable_new ();
  self->parts_serial++;
  self->parts_busy = TRUE;
  WslfpJobSettings s;
  g_autofree double *xyz = NULL;
  g_autofree int *shank = NULL;
  wslfp_compute_controller_job_settings (self->compute, &s, &xyz, &shank);
  PartsRequest *r = g_new0 (PartsRequest, 1);
  r->self = g_object_ref (self);
  r->serial = self->parts_serial;
  r->contact = (gsize) e;
  wslfp_document_parts_async (doc, &s, (gsize) e, self->parts_cancellable, parts_done_cb, r);
}

gboolean
wslfp_window_parts_busy (WslfpWindow *self)
{
  return self->parts_busy;
}

static void
contact_activated_cb (WslfpTraceView *view, gint64 e, WslfpWindow *self)
{
  g_object_set (self->state, "terms-contact", (int) e, NULL);
  if (!self->show_parts)
    g_object_set (self, "show-parts", TRUE, NULL);
  else
    wslfp_window_update_parts (self);
}

static void
range_cb (GObject *object, GParamSpec *pspec, WslfpWindow *self)
{
  double t0, t1;
  g_object_get (object, "t-start-ms", &t0, "t-end-ms", &t1, NULL);
  wslfp_parts_view_set_range (wslfp_explore_page_get_parts_view (self->explore_page), t0, t1);
}

void
wslfp_window_set_show_parts (WslfpWindow *self, gboolean show)
{
  self->show_parts = show;
  gtk_revealer_set_reveal_child (wslfp_explore_page_get_parts_revealer (self->explore_page), show);
  if (show)
    wslfp_window_update_parts (self);
}

void
wslfp_window_parts_init (WslfpWindow *self)
{
  WslfpTraceView *views[WSLFP_WINDOW_N_VIEWS];
  wslfp_window_get_trace_views (self, views);
  for (int v = 0; v < WSLFP_WINDOW_N_VIEWS; v++)
    g_signal_connect (views[v], "contact-activated", G_CALLBACK (contact_activated_cb), self);
  WslfpTraceView *explore = wslfp_explore_page_get_trace_view (self->explore_page);
  g_signal_connect (explore, "notify::t-start-ms", G_CALLBACK (range_cb), self);
  g_signal_connect (explore, "notify::t-end-ms", G_CALLBACK (range_cb), self);
}

void
wslfp_window_parts_dispose (WslfpWindow *self)
{
  /* A result still on its way is dropped by its serial. */
  self->parts_serial++;
  g_cancellable_cancel (self->parts_cancellable);
  g_clear_object (&self->parts_cancellable);
}
