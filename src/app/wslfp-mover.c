/* wslfp-mover.c: the probe mover's worker thread. */
#include "config.h"

#include "wslfp-mover.h"

#include <string.h>

typedef struct
{
  WslfpDocument *document;
  WslfpSharedCombined *combined;
  WslfpJobSettings settings;
  double *electrodes_um;
  int *shank;
  WslfpProfile *custom_profile;
  gsize stride;
  gsize contact_stride;
  guint serial;
} Request;

static void
request_free (Request *r)
{
  if (r == NULL)
    return;
  g_clear_object (&r->document);
  wslfp_shared_combined_unref (r->combined);
  g_free (r->electrodes_um);
  g_free (r->shank);
  wslfp_profile_free (r->custom_profile);
  g_free (r);
}

/* What the worker and the idles share: freed by the last of them. */
typedef struct
{
  GMutex lock;
  GCond wake;
  Request *next;        /* the latest request not yet started */
  gboolean computing;
  guint in_flight;      /* results posted, not yet delivered */
  gboolean stopped;
  WslfpMoverResult callback;
  WslfpMoverProgress progress;
  gpointer user_data;
  guint serial;         /* of the request being computed */
} Shared;

struct _WslfpMover
{
  Shared *shared;
  GThread *thread;
};

static void
shared_clear (Shared *s)
{
  request_free (s->next);
  g_mutex_clear (&s->lock);
  g_cond_clear (&s->wake);
}

static void
shared_release (Shared *s)
{
  g_atomic_rc_box_release_full (s, (GDestroyNotify) shared_clear);
}

typedef struct
{
  Shared *shared;
  WslfpLfp *lfp;
  GError *error;
  gsize stride;
  double ms;
  guint serial;
} Result;

/* A posted message reached the main thread: one fewer in flight.  Returns
 * whether the mover stopped meanwhile (the message is then dropped). */
static gboolean
mark_arrived (Shared *s)
{
  g_mutex_lock (&s->lock);
  gboolean stopped = s->stopped;
  s->in_flight--;
  g_mutex_unlock (&s->lock);
  return stopped;
}

static gboolean
deliver_cb (gpointer data)
{
  Result *r = data;
  Shared *s = r->shared;
  gboolean stopped = mark_arrived (s);
  if (!stopped)
    s->callback (g_steal_pointer (&r->lfp), r->stride, r->ms, r->serial, r->error, s->user_data);
  g_clear_pointer (&r->lfp, wslfp_lfp_free);
  g_clear_error (&r->error);
  shared_release (s);
  g_free (r);
  return G_SOURCE_REMOVE;
}

static void
post (Shared *s, WslfpLfp *lfp, GError *error, gsize stride, double ms, guint serial)
{
  Result *r = g_new0 (Result, 1);
  r->shared = g_atomic_rc_box_acquire (s);
  r->lfp = lfp;
  r->error = error;
  r->stride = stride;
  r->ms = ms;
  r->serial = serial;
  g_mutex_lock (&s->lock);
  s->in_flight++;
  g_mutex_unlock (&s->lock);
  g_idle_add_full (G_PRIORITY_DEFAULT, deliver_cb, r, NULL);
}

typedef struct
{
  Shared *shared;
  double fraction;
  guint serial;
} Progress;

static gboolean
deliver_progress_cb (gpointer data)
{
  Progress *p = data;
  Shared *s = p->shared;
  gboolean stopped = mark_arrived (s);
  if (!stopped && s->progress != NULL)
    s->progress (p->fraction, p->serial, s->user_data);
  shared_release (s);
  g_free (p);
  return G_SOURCE_REMOVE;
}

/* Whether a newer request waits (or the mover stops). */
static gboolean
has_newer (Shared *s)
{
  g_mutex_lock (&s->lock);
  gboolean newer = s->next != NULL || s->stopped;
  g_mutex_unlock (&s->lock);
  return newer;
}

/* A hand that moves sends a position every frame (16 ms at 60 Hz): a
 * preview followed by no new one for this long means it rests. */
#define HAND_REST_MS 50

/* Whether a newer request comes within @ms (or the mover stops). */
static gboolean
newer_within (Shared *s, int ms)
{
  gint64 until = g_get_monotonic_time () + ms * G_TIME_SPAN_MILLISECOND;
  g_mutex_lock (&s->lock);
  while (s->next == NULL && !s->stopped)
    if (!g_cond_wait_until (&s->wake, &s->lock, until))
      break;
  gboolean newer = s->next != NULL || s->stopped;
  g_mutex_unlock (&s->lock);
  return newer;
}

/* The exact product stops between chunks once a newer request waits;
 * meanwhile its progress goes to the main thread. */
static gboolean
newer_request_cb (double fraction, gpointer data)
{
  Shared *s = data;
  g_mutex_lock (&s->lock);
  gboolean newer = s->next != NULL || s->stopped;
  if (!newer && s->progress != NULL)
    {
      Progress *p = g_new0 (Progress, 1);
      p->shared = g_atomic_rc_box_acquire (s);
      p->fraction = fraction;
      p->serial = s->serial;
      s->in_flight++;
      g_idle_add_full (G_PRIORITY_DEFAULT, deliver_progress_cb, p, NULL);
    }
  g_mutex_unlock (&s->lock);
  return newer;
}

/* By shank, then from the top down. */
static gint
compare_shank_depth (gconstpointer a, gconstpointer b, gpointer data)
{
  const WslfpJobSettings *s = data;
  gsize x = *(const gsize *) a, y = *(const gsize *) b;
  if (s->shank[x] != s->shank[y])
    return s->shank[x] < s->shank[y] ? -1 : 1;
  double zx = s->electrodes_um[3 * x + 2], zy = s->electrodes_um[3 * y + 2];
  return (zx < zy) - (zx > zy);
}

/* Every @k-th contact of each shank in depth order (k > 1), and for each
 * contact the kept ones on either side of it in that order (@below, @above:
 * indices into @kept, equal at a shank's end) with its depth's @weight
 * between them: a preview of a probe with hundreds of contacts computes a
 * share of them and shows each the values interpolated in depth. */
static gsize
thin_contacts (const WslfpJobSettings *s, gsize k, gsize *kept, gsize *below, gsize *above, double *weight)
{
  gsize E = s->n_electrodes, n = 0;
  g_autofree gsize *order = g_new (gsize, MAX (E, 1));
  for (gsize e = 0; e < E; e++)
    order[e] = e;
  g_qsort_with_data (order, (gint) E, sizeof (gsize), compare_shank_depth, (gpointer) s);
  gsize run_start = 0;
  for (gsize i = 0; i < E; i++)
    {
      if (i > 0 && s->shank[order[i]] != s->shank[order[i - 1]])
        run_start = i;
      gsize r = i - run_start;
      if (r % k == 0)
        kept[n++] = order[i];
      /* the kept contact at or before this one in its shank's order */
      below[order[i]] = n - 1;
    }
  for (gsize e = 0; e < E; e++)
    {
      gsize lo = below[e], hi = lo + 1 < n && s->shank[kept[lo + 1]] == s->shank[e] ? lo + 1 : lo;
      double z = s->electrodes_um[3 * e + 2], z_lo = s->electrodes_um[3 * kept[lo] + 2];
      double z_hi = s->electrodes_um[3 * kept[hi] + 2];
      above[e] = hi;
      weight[e] = z_hi != z_lo ? CLAMP ((z - z_lo) / (z_hi - z_lo), 0.0, 1.0) : 0.0;
    }
  return n;
}

static WslfpLfp *
compute (Shared *s, Request *r, gsize stride, gsize contact_stride, double *ms, GError **error)
{
  /* A preview's product on this thread alone, leaving a core to draw
   * (its amplitude matrix, a few ms, on every core: the settings'
   * n_threads); the exact product on every core (the hand rests). */
  guint n_threads = stride == 1 ? g_get_num_processors () : 1;
  gint64 t0 = g_get_monotonic_time ();
  WslfpJobSettings settings = r->settings;
  gsize E = settings.n_electrodes, n_kept = E;
  g_autofree gsize *kept = NULL, *below = NULL, *above = NULL;
  g_autofree double *weight = NULL;
  g_autofree double *kept_xyz = NULL;
  g_autofree int *kept_shank = NULL;
  if (contact_stride > 1 && stride > 1)
    {
      kept = g_new (gsize, E);
      below = g_new (gsize, E);
      above = g_new (gsize, E);
      weight = g_new (double, E);
      n_kept = thin_contacts (&settings, contact_stride, kept, below, above, weight);
      kept_xyz = g_new (double, 3 * n_kept);
      kept_shank = g_new (int, n_kept);
      for (gsize i = 0; i < n_kept; i++)
        {
          memcpy (kept_xyz + 3 * i, settings.electrodes_um + 3 * kept[i], 3 * sizeof (double));
          kept_shank[i] = settings.shank[kept[i]];
        }
      settings.electrodes_um = kept_xyz;
      settings.shank = kept_shank;
      settings.n_electrodes = n_kept;
    }
  WslfpLfp *lfp = wslfp_shared_combined_run (r->combined, wslfp_document_get_dataset (r->document), &settings, stride,
                                             n_threads, stride == 1 ? newer_request_cb : NULL, s, error);
  if (lfp != NULL && n_kept < E)
    {
      /* every contact again, between its kept neighbours in depth */
      double *uv = g_new (double, MAX (lfp->n_times * E, 1));
      for (gsize t = 0; t < lfp->n_times; t++)
        for (gsize e = 0; e < E; e++)
          uv[t * E + e] = (1 - weight[e]) * lfp->uv[t * n_kept + below[e]] + weight[e] * lfp->uv[t * n_kept + above[e]];
      g_free (lfp->uv);
      lfp->uv = uv;
      g_free (lfp->electrodes_um);
      lfp->electrodes_um = g_memdup2 (r->settings.electrodes_um, 3 * E * sizeof (double));
      g_free (lfp->shank);
      lfp->shank = g_memdup2 (r->settings.shank, E * sizeof (int));
      lfp->n_electrodes = E;
    }
  *ms = (g_get_monotonic_time () - t0) / 1000.0;
  return lfp;
}

static gpointer
worker (gpointer data)
{
  Shared *s = data;
  g_mutex_lock (&s->lock);
  for (;;)
    {
      while (s->next == NULL && !s->stopped)
        g_cond_wait (&s->wake, &s->lock);
      if (s->stopped)
        break;
      Request *r = g_steal_pointer (&s->next);
      s->computing = TRUE;
      s->serial = r->serial;
      g_mutex_unlock (&s->lock);

      double ms;
      GError *error = NULL;
      WslfpLfp *lfp = compute (s, r, r->stride, r->contact_stride, &ms, &error);
      gboolean cancelled = lfp == NULL && has_newer (s);
      if (!cancelled)
        post (s, lfp, error, r->stride, ms, r->serial);
      else
        g_clear_error (&error);
      /* A preview shown and the hand at rest: the exact traces follow. */
      if (lfp != NULL && r->stride > 1 && !newer_within (s, HAND_REST_MS))
        {
          lfp = compute (s, r, 1, 1, &ms, &error);
          if (lfp != NULL)
            post (s, lfp, NULL, 1, ms, r->serial);
          else if (!has_newer (s))
            post (s, NULL, error, 1, ms, r->serial);
          else
            g_clear_error (&error);
        }
      request_free (r);
      g_mutex_lock (&s->lock);
      s->computing = FALSE;
    }
  g_mutex_unlock (&s->lock);
  shared_release (s);
  return NULL;
}

WslfpMover *
wslfp_mover_new (WslfpMoverResult callback, WslfpMoverProgress progress, gpointer user_data)
{
  WslfpMover *m = g_new0 (WslfpMover, 1);
  Shared *s = g_atomic_rc_box_new0 (Shared);
  g_mutex_init (&s->lock);
  g_cond_init (&s->wake);
  s->callback = callback;
  s->progress = progress;
  s->user_data = user_data;
  m->shared = s;
  m->thread = g_thread_new ("wslfp-mover", worker, g_atomic_rc_box_acquire (s));
  return m;
}

void
wslfp_mover_free (WslfpMover *m)
{
  if (m == NULL)
    return;
  Shared *s = m->shared;
  g_mutex_lock (&s->lock);
  s->stopped = TRUE;
  g_cond_signal (&s->wake);
  g_mutex_unlock (&s->lock);
  g_thread_join (m->thread);
  shared_release (s);
  g_free (m);
}

void
wslfp_mover_request (WslfpMover *m, WslfpDocument *document, WslfpSharedCombined *combined,
                     const WslfpJobSettings *settings, gsize stride, gsize contact_stride, guint serial)
{
  Request *r = g_new0 (Request, 1);
  r->document = g_object_ref (document);
  r->combined = wslfp_shared_combined_ref (combined);
  r->settings = *settings;
  r->electrodes_um = g_memdup2 (settings->electrodes_um, settings->n_electrodes * 3 * sizeof (double));
  r->shank = g_memdup2 (settings->shank, settings->n_electrodes * sizeof (int));
  r->settings.electrodes_um = r->electrodes_um;
  r->settings.shank = r->shank;
  if (settings->custom_profile != NULL)
    {
      wslfp_profile_copy (settings->custom_profile, &r->custom_profile, NULL);
      r->settings.custom_profile = r->custom_profile;
    }
  r->stride = MAX (stride, 1);
  r->contact_stride = MAX (contact_stride, 1);
  r->serial = serial;
  Shared *s = m->shared;
  g_mutex_lock (&s->lock);
  request_free (s->next); /* superseded before it started */
  s->next = r;
  g_cond_signal (&s->wake);
  g_mutex_unlock (&s->lock);
}

gboolean
wslfp_mover_is_busy (WslfpMover *m)
{
  Shared *s = m->shared;
  g_mutex_lock (&s->lock);
  gboolean busy = s->next != NULL || s->computing || s->in_flight > 0;
  g_mutex_unlock (&s->lock);
  return busy;
}
