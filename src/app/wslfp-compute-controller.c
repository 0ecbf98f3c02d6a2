/* wslfp-compute-controller.c: keeps the result in step with the state
 * (see the header).  The live path: the combined currents of the current
 * proxy settings are kept (see WslfpCombined); a probe move costs the new
 * amplitude rows and one product, computed by the mover's worker
 * (WslfpMover), which always takes the latest position, so the traces
 * follow the hand as fast as products finish.  Where the exact product is
 * too slow for that, a move computes every stride-th time step (a
 * preview), and the exact traces follow as soon as the hand rests. */
#include "config.h"
#include "wslfp-compute-controller.h"

#include <glib/gi18n.h>
#include <math.h>

#include "wslfp-h5.h"
#include "wslfp-mover.h"
#include "wslfp-profile-file.h"

/* A preview aims at this many milliseconds of work: with the new
 * amplitude rows and the drawing, about 30 updates a second. */
#define PREVIEW_TARGET_MS 12.0
/* Even a preview keeps this many time steps (a trace panel is a few
 * hundred pixels wide)... */
#define PREVIEW_MIN_ROWS 200
/* ...and, where fewer time steps are not enough, computes at least this
 * many contacts (a probe of thousands shows as colour maps whose rows are
 * pixels: a neighbour's values stand in for the others). */
#define PREVIEW_MIN_CONTACTS 96

struct _WslfpComputeController
{
  GObject parent_instance;

  /* borrowed from the caller, with a reference */
  WslfpExplorerState *state;
  WslfpProbe *probe;

  /* owned */
  WslfpDocument *document;
  WslfpLfp *lfp;                 /* the result shown */
  WslfpProfile *grid;            /* the loaded custom grid, or NULL */
  char *grid_name, *grid_path;
  WslfpLfp *pinned_lfp;
  WslfpSessionResult pinned_settings;
  GCancellable *cancellable;     /* of the run in progress */
  GCancellable *load_cancellable; /* of the document being opened */
  WslfpMover *mover;
  WslfpSharedCombined *combined; /* for the current proxy settings, or NULL */

  /* state */
  guint memory_budget_mb;
  guint idle;                    /* a scheduled run */
  guint held;
  gint64 started_us;
  guint live_serial;             /* bumped when the settings change */
  double exact_ms;               /* what an exact move last took */
  double pooled_ms;              /* a pooled preview's, times its strides */
  gsize contact_stride;          /* of the last move asked for */
  gsize shown_stride;
  guint n_results, n_moves;
};

G_DEFINE_FINAL_TYPE (WslfpComputeController, wslfp_compute_controller, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_PINNED,
  PROP_MEMORY_BUDGET_MB,
  PROP_DOCUMENT,
  PROP_HELD,
  N_PROPS
};
static GParamSpec *properties[N_PROPS];

enum
{
  SIGNAL_STARTED,
  SIGNAL_PROGRESS,
  SIGNAL_RESULT,
  SIGNAL_COMPUTED,
  SIGNAL_FAILED,
  SIGNAL_OPENED,
  SIGNAL_ADOPTING,
  SIGNAL_NOTICE,
  SIGNAL_OPENING,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

/* ---- results ---- */

static void
show (WslfpComputeController *self, WslfpLfp *lfp, gsize stride, const char *status)
{
  WslfpLfp *old = self->lfp;
  self->lfp = lfp;
  self->shown_stride = stride;
  self->n_results++;
  g_signal_emit (self, signals[SIGNAL_RESULT], 0, status);
  wslfp_lfp_free (old);
}

void
wslfp_compute_controller_show_lfp (WslfpComputeController *self, WslfpLfp *lfp)
{
  show (self, lfp, 1, NULL);
}

WslfpLfp *
wslfp_compute_controller_get_lfp (WslfpComputeController *self)
{
  return self->lfp;
}

gboolean
wslfp_compute_controller_view_file (WslfpComputeController *self, WslfpDocument *document, GError **error)
{
  const WslfpLfp *lfp = wslfp_document_get_lfp (document);
  g_return_val_if_fail (lfp != NULL, FALSE);
  /* Nothing to compute from; the probe shows the file's contacts. */
  wslfp_compute_controller_hold (self);
  wslfp_compute_controller_set_document (self, NULL);
  WslfpProbeLayout *l = wslfp_probe_layout_new (_("The file’s probe"), lfp->electrodes_um, lfp->shank, lfp->n_electrodes);
  wslfp_probe_set_layout (self->probe, "dataset", l, TRUE);
  wslfp_compute_controller_release (self);
  /* A copy of its own: results are the controller's to free. */
  g_autofree char *path = g_file_get_path (wslfp_document_get_file (document));
  WslfpLfp *copy = wslfp_lfp_read (path, error);
  if (copy == NULL)
    return FALSE;
  wslfp_compute_controller_show_lfp (self, copy);
  return TRUE;
}

/* ---- runs from the document ---- */

static void
forget_combined (WslfpComputeController *self)
{
  g_clear_pointer (&self->combined, wslfp_shared_combined_unref);
  self->live_serial++;
}

static void
progress_cb (double fraction, gpointer data)
{
  g_signal_emit (data, signals[SIGNAL_PROGRESS], 0, fraction);
}

static void
compute_done_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (WslfpComputeController) self = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (WslfpSharedCombined) combined = NULL;
  WslfpLfp *lfp = wslfp_document_compute_finish (WSLFP_DOCUMENT (source), result, &combined, &error);

  /* A stale run (cancelled, or superseded by a newer one) changes nothing. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || g_task_get_cancellable (G_TASK (result)) != self->cancellable)
    {
      g_clear_pointer (&lfp, wslfp_lfp_free);
      return;
    }
  g_clear_object (&self->cancellable);
  if (lfp == NULL)
    {
      /* The result shown was of other settings, or another document: it
       * goes, so that nothing stale is shown, exported or pinned. */
      if (self->lfp != NULL)
        show (self, NULL, 1, NULL);
      g_autofree char *msg = g_strdup_printf (_("Computation failed: %s"), error->message);
      g_signal_emit (self, signals[SIGNAL_FAILED], 0, msg, FALSE);
      return;
    }
  double ms = (g_get_monotonic_time () - self->started_us) / 1000.0;
  if (combined != NULL)
    {
      g_clear_pointer (&self->combined, wslfp_shared_combined_unref);
      self->combined = g_steal_pointer (&combined);
      /* (with only the pooled cells kept, an exact move is this run again) */
      self->exact_ms = wslfp_shared_combined_reads_disk (self->combined) ? ms : NAN;
      self->pooled_ms = 0;
    }
  g_autofree char *status = NULL;
  if (wslfp_document_is_on_disk (WSLFP_DOCUMENT (source)))
    /* Translators: as below, for a dataset too big to keep in memory. */
    status = g_strdup_printf (_("%zu samples × %zu contacts, read from disk and computed in %.0f ms"), lfp->n_times,
                              lfp->n_electrodes, ms);
  else
    /* Translators: status line: samples × contacts, and how long it took. */
    status = g_strdup_printf (_("%zu samples × %zu contacts, computed in %.0f ms"), lfp->n_times, lfp->n_electrodes, ms);
  show (self, lfp, 1, status);
  g_signal_emit (self, signals[SIGNAL_COMPUTED], 0);
}

void
wslfp_compute_controller_recompute (WslfpComputeController *self)
{
  g_clear_handle_id (&self->idle, g_source_remove);
  if (self->document == NULL)
    return;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  forget_combined (self);

  WslfpJobSettings s;
  g_autofree double *xyz = NULL;
  g_autofree int *shank = NULL;
  wslfp_compute_controller_job_settings (self, &s, &xyz, &shank);
  self->started_us = g_get_monotonic_time ();
  g_signal_emit (self, signals[SIGNAL_STARTED], 0);
  /* Keep the combined currents for moving the probe, within the memory
   * budget the user set for datasets. */
  guint64 budget = (guint64) self->memory_budget_mb << 20;
  wslfp_document_compute_async (self->document, &s, budget, self->cancellable, progress_cb, self, compute_done_cb,
                                g_object_ref (self));
}

gboolean
wslfp_compute_controller_cancel (WslfpComputeController *self)
{
  g_clear_handle_id (&self->idle, g_source_remove);
  if (self->cancellable == NULL)
    return FALSE;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  return TRUE;
}

static gboolean
recompute_idle_cb (gpointer data)
{
  WslfpComputeController *self = data;
  self->idle = 0;
  wslfp_compute_controller_recompute (self);
  return G_SOURCE_REMOVE;
}

void
wslfp_compute_controller_schedule (WslfpComputeController *self)
{
  if (self->idle == 0)
    self->idle = g_idle_add_full (G_PRIORITY_HIGH_IDLE + 30, recompute_idle_cb, self, NULL);
}

gboolean
wslfp_compute_controller_is_busy (WslfpComputeController *self)
{
  return self->load_cancellable != NULL || self->cancellable != NULL || self->idle != 0 || (self->mover != NULL && wslfp_mover_is_busy (self->mover));
}

char *
wslfp_compute_controller_describe_busy (WslfpComputeController *self)
{
  return g_strdup_printf ("opening %s, running %s, a run scheduled %s, moving %s, %u results, %u moves",
                          self->load_cancellable != NULL ? "yes" : "no", self->cancellable != NULL ? "yes" : "no",
                          self->idle != 0 ? "yes" : "no",
                          self->mover != NULL && wslfp_mover_is_busy (self->mover) ? "yes" : "no",
                          self->n_results, self->n_moves);
}

/* ---- opening documents ---- */

static void
opened (WslfpComputeController *self, GAsyncResult *result, WslfpDocument *doc, GError *error, const char *failure)
{
  /* A stale open (cancelled, or superseded) changes nothing. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      || g_task_get_cancellable (G_TASK (result)) != self->load_cancellable)
    return;
  g_clear_object (&self->load_cancellable);
  if (doc == NULL)
    {
      /* The document open stays as it was. */
      g_autofree char *msg = failure != NULL ? g_strdup_printf (failure, error->message) : g_strdup (error->message);
      g_signal_emit (self, signals[SIGNAL_FAILED], 0, msg, FALSE);
      return;
    }
  if (wslfp_document_get_lfp (doc) != NULL)
    {
      g_autoptr (GError) view_error = NULL;
      if (!wslfp_compute_controller_view_file (self, doc, &view_error))
        {
          g_signal_emit (self, signals[SIGNAL_FAILED], 0, view_error->message, FALSE);
          return;
        }
      g_signal_emit (self, signals[SIGNAL_OPENED], 0, doc);
      return;
    }
  /* A dataset: its own probe, its sources and (by "adopting") a session's
   * settings are one change, computed once, at the end. */
  const WslfpDataset *ds = wslfp_document_get_dataset (doc);
  wslfp_compute_controller_hold (self);
  wslfp_compute_controller_set_document (self, doc);
  gboolean moved = wslfp_explorer_state_adopt_dataset_probe (self->state, ds);
  wslfp_explorer_state_adapt_to_dataset (self->state, ds);
  g_signal_emit (self, signals[SIGNAL_ADOPTING], 0, doc);
  GFile *file = wslfp_document_get_file (doc);
  g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;
  g_object_set (self->state, "dataset", path, "sources", wslfp_document_get_sources (doc), NULL);
  wslfp_compute_controller_release (self);
  g_signal_emit (self, signals[SIGNAL_OPENED], 0, doc);
  if (moved)
    g_signal_emit (self, signals[SIGNAL_NOTICE], 0, _("Your probe was outside the new cells: it moved to their centre"));
  wslfp_compute_controller_schedule (self);
}

static void
load_done_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (WslfpComputeController) self = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (WslfpDocument) doc = wslfp_document_load_finish (result, &error);
  /* Translators: %s is the reason. */
  opened (self, result, doc, error, _("Could not open the dataset: %s"));
}

static void
demo_done_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (WslfpComputeController) self = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (WslfpDocument) doc = wslfp_document_new_demo_finish (result, &error);
  opened (self, result, doc, error, NULL);
}

void
wslfp_compute_controller_open (WslfpComputeController *self, GFile *file, const char *sources)
{
  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  self->load_cancellable = g_cancellable_new ();
  g_signal_emit (self, signals[SIGNAL_OPENING], 0);
  if (file == NULL)
    wslfp_document_new_demo_async (self->load_cancellable, demo_done_cb, g_object_ref (self));
  else
    wslfp_document_load_async (file, sources, (guint64) self->memory_budget_mb << 20, self->load_cancellable,
                               load_done_cb, g_object_ref (self));
}

/* ---- the live path ---- */

/* What a move would cost at every time step on the path previews take:
 * the exact product, or with pooled cells the last preview's time times
 * its strides (before one is measured: the exact product's, scaled by the
 * cubes' share of the cells). */
static double
preview_base_ms (WslfpComputeController *self)
{
  gsize cubes = wslfp_shared_combined_get_n_pooled (self->combined);
  if (cubes == 0)
    return self->exact_ms;
  if (self->pooled_ms > 0)
    return self->pooled_ms;
  return self->exact_ms * (double) cubes / (double) wslfp_shared_combined_get_n_sources (self->combined);
}

/* The stride that brings a move near the target time: 1 (exact) while
 * exact moves are fast enough or not yet measured. */
static gsize
choose_stride (WslfpComputeController *self)
{
  if (!(self->exact_ms > PREVIEW_TARGET_MS))
    return 1;
  gsize T = wslfp_shared_combined_get_n_times (self->combined);
  gsize stride = (gsize) ceil (preview_base_ms (self) / PREVIEW_TARGET_MS);
  /* (a preview is a stride above 1, even where pooled cells are fast
   * enough at every step) */
  return T / PREVIEW_MIN_ROWS >= 2 ? CLAMP (stride, 2, T / PREVIEW_MIN_ROWS) : 1;
}

/* The share of the contacts a preview at @stride computes: every one,
 * unless fewer time steps alone cannot bring it near the target time. */
static gsize
choose_contact_stride (WslfpComputeController *self, gsize stride, gsize n_electrodes)
{
  if (stride <= 1)
    return 1;
  double left = preview_base_ms (self) / PREVIEW_TARGET_MS / stride;
  if (!(left > 1))
    return 1;
  return MIN ((gsize) ceil (left), MAX (n_electrodes / PREVIEW_MIN_CONTACTS, 1));
}

/* An exact product after a move goes on: shown as a run's progress. */
static void
move_progress_cb (double fraction, guint serial, gpointer data)
{
  WslfpComputeController *self = data;
  if (serial == self->live_serial && self->combined != NULL)
    g_signal_emit (self, signals[SIGNAL_PROGRESS], 0, fraction);
}

static void
moved_cb (WslfpLfp *lfp, gsize stride, double ms, guint serial, const GError *error, gpointer data)
{
  WslfpComputeController *self = data;
  if (serial != self->live_serial || self->combined == NULL)
    {
      /* The settings changed meanwhile: their own computation follows. */
      wslfp_lfp_free (lfp);
      return;
    }
  if (lfp == NULL)
    {
      g_autofree char *msg = g_strdup_printf (_("Computation failed: %s"), error->message);
      g_signal_emit (self, signals[SIGNAL_FAILED], 0, msg, TRUE);
      return;
    }
  if (stride == 1)
    self->exact_ms = ms;
  self->n_moves++;
  g_autofree char *status = NULL;
  gsize cubes = wslfp_shared_combined_get_n_pooled (self->combined);
  if (stride > 1 && cubes > 0)
    {
      /* (the contact stride of the latest request: the mover computes the
       * latest, so nearly always this one's) */
      self->pooled_ms = ms * stride * self->contact_stride;
      /* Translators: while the probe moves on a large network: its cells
       * pooled in cubes, every n-th time step computed. */
      status = g_strdup_printf (_("%zu samples × %zu contacts, preview (cells pooled in %zu cubes, every %zu time "
                                  "steps) in %.0f ms"), lfp->n_times, lfp->n_electrodes, cubes, stride, ms);
    }
  else if (stride > 1)
    /* Translators: while the probe moves: every n-th time step is computed. */
    status = g_strdup_printf (_("%zu samples × %zu contacts, preview (every %zu time steps) in %.0f ms"), lfp->n_times,
                              lfp->n_electrodes, stride, ms);
  else if (wslfp_shared_combined_reads_scratch (self->combined))
    /* Translators: the exact traces after a move on a network too big for
     * memory, from the copy of its currents made when it was opened. */
    status = g_strdup_printf (_("%zu samples × %zu contacts, computed from the scratch copy of the currents in %.0f ms"),
                              lfp->n_times, lfp->n_electrodes, ms);
  else if (wslfp_shared_combined_reads_disk (self->combined))
    status = g_strdup_printf (_("%zu samples × %zu contacts, read from disk and computed in %.0f ms"), lfp->n_times,
                              lfp->n_electrodes, ms);
  else
    status = g_strdup_printf (_("%zu samples × %zu contacts, computed in %.0f ms"), lfp->n_times, lfp->n_electrodes, ms);
  show (self, lfp, stride, status);
  if (stride == 1)
    g_signal_emit (self, signals[SIGNAL_PROGRESS], 0, 1.0); /* (the exact traces are there) */
}

/* Recomputes for the moved probe on the live path; FALSE when there is
 * none: only when the kept currents are those of the settings shown, not
 * while a settings change waits or computes. */
static gboolean
move (WslfpComputeController *self)
{
  if (self->combined == NULL || self->document == NULL || self->idle != 0 || self->cancellable != NULL
      || self->mover == NULL)
    return FALSE;
  WslfpJobSettings s;
  g_autofree double *xyz = NULL;
  g_autofree int *shank = NULL;
  wslfp_compute_controller_job_settings (self, &s, &xyz, &shank);
  gsize stride = choose_stride (self);
  self->contact_stride = choose_contact_stride (self, stride, s.n_electrodes);
  wslfp_mover_request (self->mover, self->document, self->combined, &s, stride, self->contact_stride,
                       self->live_serial);
  return TRUE;
}

WslfpSharedCombined *wslfp_compute_controller_get_combined (WslfpComputeController *self) { return self->combined; }
double wslfp_compute_controller_get_exact_ms (WslfpComputeController *self) { return self->exact_ms; }
gsize wslfp_compute_controller_get_shown_stride (WslfpComputeController *self) { return self->shown_stride; }
guint wslfp_compute_controller_get_n_results (WslfpComputeController *self) { return self->n_results; }
guint wslfp_compute_controller_get_n_moves (WslfpComputeController *self) { return self->n_moves; }

void
wslfp_compute_controller_set_exact_ms (WslfpComputeController *self, double ms)
{
  self->exact_ms = ms;
}

/* ---- the state ---- */

/* Undoing (or a session) may name another grid than the one loaded: load
 * it, so that what is computed is what the state says. */
static void
follow_grid (WslfpComputeController *self)
{
  g_autofree char *path = NULL;
  g_object_get (self->state, "custom-grid", &path, NULL);
  if (path == NULL || g_strcmp0 (path, self->grid_path) == 0)
    return;
  g_autoptr (GError) error = NULL;
  if (!wslfp_compute_controller_load_grid (self, path, &error))
    g_signal_emit (self, signals[SIGNAL_FAILED], 0, error->message, TRUE);
}

static void
state_changed_cb (GObject *object, GParamSpec *pspec, WslfpComputeController *self)
{
  if (g_strcmp0 (pspec->name, "custom-grid") == 0)
    follow_grid (self);
  if (self->held == 0 && wslfp_explorer_state_is_computed (pspec))
    wslfp_compute_controller_schedule (self);
}

/* A probe move is cheap when the combined currents are kept. */
static void
probe_changed_cb (GObject *object, GParamSpec *pspec, WslfpComputeController *self)
{
  if (self->held == 0 && !move (self))
    wslfp_compute_controller_schedule (self);
}

void
wslfp_compute_controller_hold (WslfpComputeController *self)
{
  if (self->held++ == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HELD]);
}

void
wslfp_compute_controller_release (WslfpComputeController *self)
{
  g_return_if_fail (self->held > 0);
  if (--self->held == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HELD]);
}

gboolean
wslfp_compute_controller_is_held (WslfpComputeController *self)
{
  return self->held > 0;
}

void
wslfp_compute_controller_set_document (WslfpComputeController *self, WslfpDocument *document)
{
  g_clear_handle_id (&self->idle, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  forget_combined (self);
  if (document != NULL)
    g_object_ref (document);
  WslfpDocument *old = self->document;
  self->document = document;
  /* (views borrow from the document: they follow before the old one goes) */
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DOCUMENT]);
  g_clear_object (&old);
}

WslfpDocument *
wslfp_compute_controller_get_document (WslfpComputeController *self)
{
  return self->document;
}

WslfpExplorerState *
wslfp_compute_controller_get_state (WslfpComputeController *self)
{
  return self->state;
}

void
wslfp_compute_controller_job_settings (WslfpComputeController *self, WslfpJobSettings *s, double **xyz, int **shank)
{
  wslfp_explorer_state_job_settings (self->state, self->grid, s, xyz, shank);
}

/* ---- the custom grid ---- */

gboolean
wslfp_compute_controller_load_grid (WslfpComputeController *self, const char *path, GError **error)
{
  WslfpProfile *grid = wslfp_profile_read_csv (path, error);
  if (grid == NULL)
    return FALSE;
  wslfp_profile_free (self->grid);
  self->grid = grid;
  g_free (self->grid_name);
  self->grid_name = g_path_get_basename (path);
  g_free (self->grid_path);
  self->grid_path = g_strdup (path);
  g_object_set (self->state, "custom-grid", path, NULL); /* another grid: a change to compute */
  return TRUE;
}

const char *wslfp_compute_controller_get_grid_name (WslfpComputeController *self) { return self->grid_name; }
const char *wslfp_compute_controller_get_grid_path (WslfpComputeController *self) { return self->grid_path; }

WslfpProfile *
wslfp_compute_controller_current_profile (WslfpComputeController *self, const char **name)
{
  WslfpJobSettings s;
  WslfpProfile *profile = NULL;
  g_autofree double *xyz = NULL;
  g_autofree int *shank = NULL;
  wslfp_explorer_state_job_settings (self->state, self->grid, &s, &xyz, &shank);
  if (s.custom_profile != NULL && wslfp_profile_copy (s.custom_profile, &profile, NULL) == WSLFP_OK)
    {
      *name = self->grid_name;
      return profile;
    }
  wslfp_profile_new (s.profile, &profile, NULL);
  *name = wslfp_profile_kind_to_string (s.profile);
  return profile;
}

/* ---- writing ---- */

gboolean
wslfp_compute_controller_check_output (WslfpComputeController *self, const char *path, GError **error)
{
  /* The files read from: the dataset (read again at each computation when
   * its currents stay on disk), every file read through (SONATA parts,
   * virtual-dataset sources), and the probe file.  An export onto one
   * would destroy it (issue 20, item 10). */
  g_autoptr (GPtrArray) inputs = g_ptr_array_new_with_free_func (g_free);
  GFile *file = self->document != NULL ? wslfp_document_get_file (self->document) : NULL;
  if (file != NULL)
    g_ptr_array_add (inputs, g_file_get_path (file));
  const WslfpDataset *ds = self->document != NULL ? wslfp_document_get_dataset (self->document) : NULL;
  if (ds != NULL && ds->path != NULL)
    g_ptr_array_add (inputs, g_strdup (ds->path));
  for (guint i = 0; ds != NULL && ds->input_files != NULL && ds->input_files[i] != NULL; i++)
    g_ptr_array_add (inputs, g_strdup (ds->input_files[i]));
  char *probe_file = NULL;
  g_object_get (self->state, "probe-file", &probe_file, NULL);
  if (probe_file != NULL)
    g_ptr_array_add (inputs, probe_file);
  return wslfp_output_check_not_input (path, (const char *const *) inputs->pdata, inputs->len, error);
}

gboolean
wslfp_compute_controller_export_lfp (WslfpComputeController *self, const char *path, GError **error)
{
  if (self->lfp == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("There is no LFP to export yet"));
      return FALSE;
    }
  if (!wslfp_compute_controller_check_output (self, path, error))
    return FALSE;
  /* The computation knew only the contacts; the file says which probe. */
  if (g_strcmp0 (self->lfp->probe, "given") == 0)
    {
      g_free (self->lfp->probe);
      self->lfp->probe = wslfp_probe_describe (self->probe);
    }
  return wslfp_lfp_write (self->lfp, path, error);
}

gboolean
wslfp_compute_controller_export_probe (WslfpComputeController *self, const char *path, GError **error)
{
  g_autofree double *xyz = NULL;
  g_autofree int *shank = NULL;
  gsize n = wslfp_probe_get_contacts (self->probe, &xyz, &shank);
  g_autofree int *ids = wslfp_probe_get_shank_ids (self->probe);
  return wslfp_compute_controller_check_output (self, path, error)
         && wslfp_probe_write (path, wslfp_probe_get_name (self->probe), xyz, ids, n, error);
}

/* ---- one contact's weights ---- */

double *
wslfp_compute_controller_contact_weights (WslfpComputeController *self, gsize contact, gsize *n_cells)
{
  *n_cells = 0;
  const WslfpDataset *ds = self->document ? wslfp_document_get_dataset (self->document) : NULL;
  g_autofree double *xyz = NULL;
  g_autofree int *shank = NULL;
  gsize n = wslfp_probe_get_contacts (self->probe, &xyz, &shank);
  if (ds == NULL || contact >= n)
    return NULL;
  WslfpJobSettings s;
  g_autofree double *job_xyz = NULL;
  g_autofree int *job_shank = NULL;
  wslfp_compute_controller_job_settings (self, &s, &job_xyz, &job_shank);
  const char *name;
  g_autoptr (WslfpProfile) profile = wslfp_compute_controller_current_profile (self, &name);
  WslfpGeometry g;
  WslfpModel *model;
  double length = s.dendrite_length_um;
  wslfp_dataset_get_geometry (ds, &g);
  g.electrodes_um = xyz + 3 * contact;
  g.n_electrodes = 1;
  if (length > 0)
    {
      g.dendrite_length_um = &length;
      g.n_lengths = 1;
    }
  if (wslfp_model_new (&g, profile, FALSE, &model, NULL) != WSLFP_OK)
    return NULL;
  double *weights = g_memdup2 (wslfp_model_get_amplitude (model), ds->n_sources * sizeof (double));
  wslfp_model_free (model);
  *n_cells = ds->n_sources;
  return weights;
}

/* ---- pinning ---- */

static WslfpLfp *
lfp_copy (const WslfpLfp *lfp)
{
  WslfpLfp *c = g_new0 (WslfpLfp, 1);
  *c = *lfp;
  c->t_ms = g_memdup2 (lfp->t_ms, MAX (lfp->n_times, 1) * sizeof (double));
  c->uv = g_memdup2 (lfp->uv, MAX (lfp->n_times * lfp->n_electrodes, 1) * sizeof (double));
  c->electrodes_um = g_memdup2 (lfp->electrodes_um, MAX (lfp->n_electrodes, 1) * 3 * sizeof (double));
  c->shank = g_memdup2 (lfp->shank, MAX (lfp->n_electrodes, 1) * sizeof (int));
  c->profile = g_strdup (lfp->profile);
  c->kernel = g_strdup (lfp->kernel);
  c->t_eval = g_strdup (lfp->t_eval);
  c->probe = g_strdup (lfp->probe);
  c->input_path = g_strdup (lfp->input_path);
  c->program = g_strdup (lfp->program);
  c->command = g_strdup (lfp->command);
  return c;
}

gboolean
wslfp_compute_controller_pin (WslfpComputeController *self, gboolean pinned)
{
  gboolean was = self->pinned_lfp != NULL;
  gboolean ok = !pinned || self->lfp != NULL;
  g_clear_pointer (&self->pinned_lfp, wslfp_lfp_free);
  wslfp_session_result_clear (&self->pinned_settings);
  if (pinned && ok)
    {
      self->pinned_lfp = lfp_copy (self->lfp);
      wslfp_explorer_state_get_result (self->state, &self->pinned_settings);
    }
  /* (pinning again is a change: another result is pinned) */
  if (was || self->pinned_lfp != NULL)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PINNED]);
  return ok;
}

const WslfpLfp *
wslfp_compute_controller_get_pinned_lfp (WslfpComputeController *self)
{
  return self->pinned_lfp;
}

const WslfpSessionResult *
wslfp_compute_controller_get_pinned_settings (WslfpComputeController *self)
{
  return self->pinned_lfp != NULL ? &self->pinned_settings : NULL;
}

/* ---- the object ---- */

static void
wslfp_compute_controller_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  WslfpComputeController *self = WSLFP_COMPUTE_CONTROLLER (object);
  switch (prop_id)
    {
    case PROP_PINNED: g_value_set_boolean (value, self->pinned_lfp != NULL); break;
    case PROP_MEMORY_BUDGET_MB: g_value_set_uint (value, self->memory_budget_mb); break;
    case PROP_DOCUMENT: g_value_set_object (value, self->document); break;
    case PROP_HELD: g_value_set_boolean (value, self->held > 0); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wslfp_compute_controller_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  WslfpComputeController *self = WSLFP_COMPUTE_CONTROLLER (object);
  switch (prop_id)
    {
    case PROP_MEMORY_BUDGET_MB:
      if (self->memory_budget_mb != g_value_get_uint (value))
        {
          self->memory_budget_mb = g_value_get_uint (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_PINNED:
      /* (pinning again pins the result shown now; with none to pin, a
       * notice says so, and a toggle showing "pinned" is reset) */
      if (g_value_get_boolean (value) || self->pinned_lfp != NULL)
        if (!wslfp_compute_controller_pin (self, g_value_get_boolean (value)))
          {
            g_signal_emit (self, signals[SIGNAL_NOTICE], 0, _("There is no result to pin yet"));
            g_object_notify_by_pspec (object, pspec);
          }
      break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

void
wslfp_compute_controller_stop (WslfpComputeController *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  g_clear_handle_id (&self->idle, g_source_remove);
  g_clear_pointer (&self->mover, wslfp_mover_free);
  forget_combined (self);
  self->held++; /* (for good: nothing is scheduled again) */
}

static void
wslfp_compute_controller_dispose (GObject *object)
{
  WslfpComputeController *self = WSLFP_COMPUTE_CONTROLLER (object);
  /* Stop work first: a worker's result must not reach a dying object. */
  wslfp_compute_controller_stop (self);
  if (self->state != NULL)
    g_signal_handlers_disconnect_by_data (self->state, self);
  if (self->probe != NULL)
    g_signal_handlers_disconnect_by_data (self->probe, self);
  g_clear_object (&self->probe);
  g_clear_object (&self->state);
  g_clear_object (&self->document);
  G_OBJECT_CLASS (wslfp_compute_controller_parent_class)->dispose (object);
}

static void
wslfp_compute_controller_finalize (GObject *object)
{
  WslfpComputeController *self = WSLFP_COMPUTE_CONTROLLER (object);
  g_clear_pointer (&self->lfp, wslfp_lfp_free);
  g_clear_pointer (&self->pinned_lfp, wslfp_lfp_free);
  wslfp_session_result_clear (&self->pinned_settings);
  wslfp_profile_free (self->grid);
  g_free (self->grid_name);
  g_free (self->grid_path);
  G_OBJECT_CLASS (wslfp_compute_controller_parent_class)->finalize (object);
}

static void
wslfp_compute_controller_class_init (WslfpComputeControllerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  object_class->dispose = wslfp_compute_controller_dispose;
  object_class->finalize = wslfp_compute_controller_finalize;
  object_class->get_property = wslfp_compute_controller_get_property;
  object_class->set_property = wslfp_compute_controller_set_property;
  properties[PROP_PINNED] = g_param_spec_boolean ("pinned", NULL, NULL, FALSE,
                                                  G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MEMORY_BUDGET_MB] = g_param_spec_uint ("memory-budget-mb", NULL, NULL, 0, G_MAXUINT, 1024,
                                                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY
                                                           | G_PARAM_STATIC_STRINGS);
  properties[PROP_DOCUMENT] = g_param_spec_object ("document", NULL, NULL, WSLFP_TYPE_DOCUMENT,
                                                   G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HELD] = g_param_spec_boolean ("held", NULL, NULL, FALSE,
                                                G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  signals[SIGNAL_STARTED] = g_signal_new ("started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                          NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_PROGRESS] = g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                           NULL, G_TYPE_NONE, 1, G_TYPE_DOUBLE);
  /* An open starts (a file, a network, the demo; a session's dataset). */
  signals[SIGNAL_OPENING] = g_signal_new ("opening", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                          NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_RESULT] = g_signal_new ("result", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 1, G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);
  signals[SIGNAL_COMPUTED] = g_signal_new ("computed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                           NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_OPENED] = g_signal_new ("opened", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 1, WSLFP_TYPE_DOCUMENT);
  signals[SIGNAL_ADOPTING] = g_signal_new ("adopting", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                           NULL, G_TYPE_NONE, 1, WSLFP_TYPE_DOCUMENT);
  signals[SIGNAL_NOTICE] = g_signal_new ("notice", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 1, G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);
  signals[SIGNAL_FAILED] = g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 2, G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE, G_TYPE_BOOLEAN);
}

static void
wslfp_compute_controller_init (WslfpComputeController *self)
{
  self->memory_budget_mb = 1024;
  self->exact_ms = NAN;
  self->shown_stride = 1;
  self->mover = wslfp_mover_new (moved_cb, move_progress_cb, self);
}

WslfpComputeController *
wslfp_compute_controller_new (WslfpExplorerState *state)
{
  g_return_val_if_fail (WSLFP_IS_EXPLORER_STATE (state), NULL);
  WslfpComputeController *self = g_object_new (WSLFP_TYPE_COMPUTE_CONTROLLER, NULL);
  self->state = g_object_ref (state);
  self->probe = g_object_ref (wslfp_explorer_state_get_probe (state));
  g_signal_connect (self->state, "notify", G_CALLBACK (state_changed_cb), self);
  g_signal_connect (self->probe, "notify", G_CALLBACK (probe_changed_cb), self);
  return self;
}
