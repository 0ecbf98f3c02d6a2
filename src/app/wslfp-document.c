/* wslfp-document.c: loading datasets and computing LFPs off the main thread. */
#include "config.h"

#include "wslfp-document.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wslfp-demo-file.h"
#include "wslfp-sonata.h"
#include "wslfp-sonata-config.h"

struct _WslfpDocument
{
  GObject parent_instance;

  /* owned */
  WslfpDataset *dataset;   /* NULL for an LFP file */
  WslfpLfp *lfp;           /* an LFP file's traces, or NULL */
  char *title;
  GFile *file;
  char *sources;           /* a SONATA network's --sources rule, or NULL */
  gsize pool_min_sources;  /* previews from pooled cells from this many sources */
};

G_DEFINE_FINAL_TYPE (WslfpDocument, wslfp_document, G_TYPE_OBJECT)

/* From this many sources a kept computation also pools them by place for
 * previews (wslfp_document_set_pool_min_sources()). */
#define POOL_MIN_SOURCES 20000
/* Cells closer than this many cube sides to a contact are taken each at
 * its own place: the amplitude changes fastest there. */
#define POOL_NEAR_CUBES 1.5

/* Debian's HDF5 is the serial build, not thread-safe: one thread at a time. */
static GMutex hdf5_lock;

static void
wslfp_document_finalize (GObject *object)
{
  WslfpDocument *self = WSLFP_DOCUMENT (object);
  /* Closing a file that stayed open is an HDF5 call too. */
  g_mutex_lock (&hdf5_lock);
  g_clear_pointer (&self->dataset, wslfp_dataset_free);
  g_mutex_unlock (&hdf5_lock);
  g_clear_pointer (&self->lfp, wslfp_lfp_free);
  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->sources, g_free);
  g_clear_object (&self->file);
  G_OBJECT_CLASS (wslfp_document_parent_class)->finalize (object);
}

static void
wslfp_document_class_init (WslfpDocumentClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = wslfp_document_finalize;
}

static void
wslfp_document_init (WslfpDocument *self)
{
  self->pool_min_sources = POOL_MIN_SOURCES;
}

void
wslfp_document_set_pool_min_sources (WslfpDocument *self, gsize n_sources)
{
  self->pool_min_sources = n_sources;
}

const WslfpDataset *
wslfp_document_get_dataset (WslfpDocument *self)
{
  return self->dataset;
}

const WslfpLfp *
wslfp_document_get_lfp (WslfpDocument *self)
{
  return self->lfp;
}

const char *
wslfp_document_get_sources (WslfpDocument *self)
{
  return self->sources;
}

const char *
wslfp_document_get_title (WslfpDocument *self)
{
  return self->title;
}

GFile *
wslfp_document_get_file (WslfpDocument *self)
{
  return self->file;
}

gboolean
wslfp_document_is_on_disk (WslfpDocument *self)
{
  return self->dataset != NULL && self->dataset->file > 0;
}

/* Bytes the usable currents take as doubles in memory. */
static guint64
currents_bytes (const WslfpDataset *ds)
{
  guint64 bytes = 0;
  for (int k = 0; k < WSLFP_N_CURRENTS; k++)
    if (ds->currents[k].present && ds->currents[k].problem == NULL)
      bytes += (guint64) ds->currents[k].n_times * ds->currents[k].n_sources * sizeof (double);
  return bytes;
}

typedef struct
{
  GFile *file;
  char *sources; /* a SONATA network's --sources rule, or NULL */
  guint64 memory_budget;
} LoadData;

static void
load_data_free (LoadData *d)
{
  g_object_unref (d->file);
  g_free (d->sources);
  g_free (d);
}

/* The `wslfp` command: $WSLFP_CLI, the installed one, or the build's. */
static char *
find_cli (void)
{
  const char *env = g_getenv ("WSLFP_CLI");
  const char *candidates[] = { env, WSLFP_CLI_INSTALLED, WSLFP_CLI_BUILT };
  for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
    if (candidates[i] != NULL && g_file_test (candidates[i], G_FILE_TEST_IS_EXECUTABLE))
      return g_strdup (candidates[i]);
  return g_find_program_in_path ("wslfp");
}

/* HDF5 1.10.8 crashes or hangs on some corrupt files, which would take the
 * app with it.  `wslfp info` reads the file first, in its own process (and
 * stops a read that hangs): only a file it reads cleanly is opened here.
 * FALSE with its message otherwise. */
static gboolean
check_in_subprocess (const char *path, const char *sources, GError **error)
{
  g_autofree char *cli = find_cli ();
  if (cli == NULL)
    return TRUE; /* nothing to check with: open it as before */
  g_autoptr (GError) local = NULL;
  g_autoptr (GSubprocess) p = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                                                &local, cli, "info", path,
                                                sources != NULL ? "--sources" : NULL, sources, NULL);
  g_autofree char *err = NULL;
  if (p == NULL || !g_subprocess_communicate_utf8 (p, NULL, NULL, NULL, &err, &local))
    return TRUE;
  if (g_subprocess_get_if_exited (p) && g_subprocess_get_exit_status (p) == 0)
    return TRUE;
  /* Its last line, without the "wslfp info: " prefix. */
  g_strchomp (err);
  const char *last = strrchr (err, '\n') ? strrchr (err, '\n') + 1 : err;
  if (g_str_has_prefix (last, "wslfp info: "))
    last += strlen ("wslfp info: ");
  g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_OPEN, "%s", last[0] ? last : _("the file cannot be read"));
  return FALSE;
}

static void
load_worker (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  LoadData *d = task_data;
  GFile *file = d->file;
  g_autofree char *path = g_file_get_path (file);
  g_autoptr (GError) error = NULL;

  if (path == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, _("Only local files can be opened"));
      return;
    }
  if (!check_in_subprocess (path, d->sources, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_mutex_lock (&hdf5_lock);
  if (wslfp_lfp_file_is_lfp (path))
    {
      /* An LFP written by `wslfp compute` or the app: its traces, to look at. */
      WslfpLfp *lfp = wslfp_lfp_read (path, &error);
      g_mutex_unlock (&hdf5_lock);
      if (lfp == NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      WslfpDocument *doc = g_object_new (WSLFP_TYPE_DOCUMENT, NULL);
      doc->lfp = lfp;
      doc->file = g_object_ref (file);
      doc->title = g_file_get_basename (file);
      g_task_return_pointer (task, doc, g_object_unref);
      return;
    }
  WslfpDataset *ds;
  if (wslfp_sonata_config_is_config (path))
    {
      WslfpSonataOptions options;
      wslfp_sonata_options_init (&options);
      options.sources = d->sources;
      ds = wslfp_sonata_open (path, &options, &error);
    }
  else
    ds = wslfp_dataset_open (path, &error);
  /* Small files are read whole, so that recomputing needs no I/O; bigger
   * ones stay open and each computation reads them in blocks. */
  if (ds != NULL && currents_bytes (ds) <= d->memory_budget && !wslfp_dataset_load_all (ds, &error))
    g_clear_pointer (&ds, wslfp_dataset_free);
  g_mutex_unlock (&hdf5_lock);
  if (ds == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* A file must be computable in at least one way to be worth opening. */
  if (!wslfp_dataset_check_currents (ds, NULL) && !wslfp_dataset_check_spikes (ds, &error))
    {
      g_mutex_lock (&hdf5_lock);
      wslfp_dataset_free (ds);
      g_mutex_unlock (&hdf5_lock);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  WslfpDocument *doc = g_object_new (WSLFP_TYPE_DOCUMENT, NULL);
  doc->dataset = ds;
  doc->sources = g_strdup (d->sources);
  doc->file = g_object_ref (file);
  doc->title = g_file_get_basename (file);
  g_task_return_pointer (task, doc, g_object_unref);
}

void
wslfp_document_load_async (GFile *file, const char *sources, guint64 memory_budget, GCancellable *cancellable,
                           GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  LoadData *d = g_new0 (LoadData, 1);
  d->file = g_object_ref (file);
  d->sources = g_strdup (sources);
  d->memory_budget = memory_budget;
  g_task_set_source_tag (task, wslfp_document_load_async);
  g_task_set_task_data (task, d, (GDestroyNotify) load_data_free);
  g_task_run_in_thread (task, load_worker);
}

WslfpDocument *
wslfp_document_load_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == wslfp_document_load_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
demo_worker (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  WslfpDemoParams params;
  char message[256];
  wslfp_demo_params_init (&params);
  params.seed = 2;
  WslfpDemoNetwork *net = wslfp_demo_network_run (&params, NULL, NULL, message, sizeof message);
  if (net == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", message);
      return;
    }
  WslfpDocument *doc = g_object_new (WSLFP_TYPE_DOCUMENT, NULL);
  doc->title = g_strdup (_("Demo network"));
  doc->dataset = wslfp_demo_dataset_new (net, doc->title);
  wslfp_demo_network_free (net);
  g_task_return_pointer (task, doc, g_object_unref);
}

void
wslfp_document_new_demo_async (GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, wslfp_document_new_demo_async);
  g_task_run_in_thread (task, demo_worker);
}

WslfpDocument *
wslfp_document_new_demo_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == wslfp_document_new_demo_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- combined currents, shared ---- */

struct _WslfpSharedCombined
{
  WslfpCombined *combined;   /* WSLFP, or NULL when it does not fit in memory: */
  WslfpJobPool *pool;        /* its cells pooled by place, for previews, or NULL */
  WslfpTklfpCells *cells;    /* or TKLFP */
};

static void
shared_combined_clear (WslfpSharedCombined *shared)
{
  wslfp_combined_free (shared->combined);
  wslfp_job_pool_free (shared->pool);
  wslfp_tklfp_cells_free (shared->cells);
}

static WslfpSharedCombined *
shared_combined_new (WslfpCombined *combined, WslfpTklfpCells *cells)
{
  WslfpSharedCombined *shared = g_atomic_rc_box_new0 (WslfpSharedCombined);
  shared->combined = combined;
  shared->cells = cells;
  return shared;
}

WslfpSharedCombined *
wslfp_shared_combined_ref (WslfpSharedCombined *shared)
{
  return g_atomic_rc_box_acquire (shared);
}

void
wslfp_shared_combined_unref (WslfpSharedCombined *shared)
{
  if (shared != NULL)
    g_atomic_rc_box_release_full (shared, (GDestroyNotify) shared_combined_clear);
}

const WslfpCombined *
wslfp_shared_combined_get (WslfpSharedCombined *shared)
{
  return shared->combined;
}

const WslfpTklfpCells *
wslfp_shared_combined_get_tklfp (WslfpSharedCombined *shared)
{
  return shared->cells;
}

gsize
wslfp_shared_combined_get_n_times (WslfpSharedCombined *shared)
{
  return shared->cells != NULL      ? wslfp_tklfp_cells_get_n_times (shared->cells)
         : shared->combined != NULL ? wslfp_combined_get_n_times (shared->combined)
                                    : wslfp_job_pool_get_n_times (shared->pool);
}

gsize
wslfp_shared_combined_get_n_sources (WslfpSharedCombined *shared)
{
  return shared->cells != NULL      ? wslfp_tklfp_cells_get_n (shared->cells)
         : shared->combined != NULL ? wslfp_combined_get_n_columns (shared->combined)
                                    : wslfp_job_pool_get_n_sources (shared->pool);
}

gboolean
wslfp_shared_combined_reads_disk (WslfpSharedCombined *shared)
{
  return shared->cells == NULL && shared->combined == NULL;
}

gboolean
wslfp_shared_combined_reads_scratch (WslfpSharedCombined *shared)
{
  return wslfp_shared_combined_reads_disk (shared) && shared->pool != NULL && wslfp_job_pool_has_currents (shared->pool);
}

gsize
wslfp_shared_combined_get_n_pooled (WslfpSharedCombined *shared)
{
  return shared->pool != NULL ? wslfp_job_pool_get_n (shared->pool) : 0;
}

WslfpLfp *
wslfp_shared_combined_run (WslfpSharedCombined *shared, const WslfpDataset *dataset, const WslfpJobSettings *settings,
                           gsize stride, guint n_threads, WslfpJobProgress progress, gpointer user_data,
                           GError **error)
{
  if (shared->pool != NULL && stride > 1)
    return wslfp_job_run_pooled (dataset, settings, shared->pool, stride,
                                 POOL_NEAR_CUBES * wslfp_job_pool_get_voxel_um (shared->pool), error);
  if (shared->cells != NULL)
    return wslfp_job_run_tklfp (dataset, settings, shared->cells, stride, n_threads, progress, user_data, error);
  if (shared->combined != NULL)
    return wslfp_job_run_combined (dataset, settings, shared->combined, stride, n_threads, progress, user_data,
                                   error);
  /* Only the pool is kept: the exact LFP from the combined currents it
   * spilled to a scratch file (no lock: not the dataset's), else read from
   * the dataset again (its files with the lock); the window shows the
   * preview meanwhile. */
  if (shared->pool != NULL && wslfp_job_pool_has_currents (shared->pool))
    return wslfp_job_run_spilled (dataset, settings, shared->pool, n_threads, progress, user_data, error);
  WslfpJobSettings s = *settings;
  s.n_threads = n_threads;
  gboolean on_disk = dataset->file > 0;
  if (on_disk)
    g_mutex_lock (&hdf5_lock);
  WslfpLfp *lfp = wslfp_job_run ((WslfpDataset *) dataset, &s, progress, user_data, error);
  if (on_disk)
    g_mutex_unlock (&hdf5_lock);
  return lfp;
}

/* ---- computing ---- */

/* Progress crosses threads through one idle at a time: the worker stores
 * the latest fraction and schedules an idle only if none is pending. */
typedef struct
{
  GMutex lock;
  double fraction;
  gboolean pending;
  gboolean finished;      /* set on the main thread when the task ends */
  WslfpDocumentProgress progress;
  gpointer progress_data;
} ProgressRelay;

static void
relay_clear (ProgressRelay *relay)
{
  g_mutex_clear (&relay->lock);
}

/* Whoever holds the last reference (the task or a pending idle) clears it. */
static void
relay_release (gpointer relay)
{
  g_rc_box_release_full (relay, (GDestroyNotify) relay_clear);
}

static gboolean
relay_idle_cb (gpointer data)
{
  ProgressRelay *relay = data;
  g_mutex_lock (&relay->lock);
  double fraction = relay->fraction;
  relay->pending = FALSE;
  gboolean finished = relay->finished;
  g_mutex_unlock (&relay->lock);
  if (!finished && relay->progress != NULL)
    relay->progress (fraction, relay->progress_data);
  return G_SOURCE_REMOVE;
}

typedef struct
{
  WslfpDocument *document;
  WslfpJobSettings settings;
  double *electrodes_um;
  int *shank;
  WslfpProfile *custom_profile;
  ProgressRelay *relay;
  GCancellable *cancellable;
  guint64 combined_budget;
  WslfpSharedCombined *combined;  /* the result, when kept */
  gsize contact;                  /* for the sum's terms */
} ComputeData;

static void
compute_data_free (ComputeData *d)
{
  g_clear_object (&d->document);
  wslfp_shared_combined_unref (d->combined);
  g_free (d->electrodes_um);
  g_free (d->shank);
  wslfp_profile_free (d->custom_profile);
  relay_release (d->relay);
  g_clear_object (&d->cancellable);
  g_free (d);
}

static gboolean
job_progress_cb (double fraction, gpointer user_data)
{
  ComputeData *d = user_data;
  gboolean schedule;
  g_mutex_lock (&d->relay->lock);
  d->relay->fraction = fraction;
  schedule = !d->relay->pending;
  d->relay->pending = TRUE;
  g_mutex_unlock (&d->relay->lock);
  if (schedule)
    g_idle_add_full (G_PRIORITY_DEFAULT, relay_idle_cb, g_rc_box_acquire (d->relay), relay_release);
  return d->cancellable != NULL && g_cancellable_is_cancelled (d->cancellable);
}

/* Whether the combined currents fit @budget bytes, and then in which
 * precision: double when they fit so, else single (half the memory, within
 * 1e-6 of the peak): the live path for networks twice as big. */
static gboolean
combined_fits (const WslfpDataset *ds, const WslfpJobSettings *s, guint64 budget, gboolean *single)
{
  *single = wslfp_job_combined_bytes (ds, s, FALSE) > budget;
  return budget > 0 && wslfp_job_combined_bytes (ds, s, *single) <= budget;
}

/* Previews of a large network pool its cells in about this many cubes:
 * a move then costs E × POOL_CUBES × rows, whatever the cells' number. */
#define POOL_CUBES 8192
/* The same for a network whose combined currents do not fit in memory: its
 * pool has no cells' own currents for the cubes near a contact, so finer
 * cubes keep previews close there. */
#define POOL_CUBES_FROM_DISK 32768

/* The combined currents pooled by place, for previews; NULL where they
 * cannot be (sources of different orientations): previews then take every
 * n-th time step of the exact product. */
static WslfpJobPool *
make_pool (const WslfpDataset *ds, const WslfpCombined *combined)
{
  g_autoptr (GError) error = NULL;
  WslfpJobPool *pool = wslfp_job_pool (ds, combined, wslfp_job_pool_voxel_um (ds, POOL_CUBES), &error);
  if (pool == NULL)
    g_debug ("previews without pooled cells: %s", error->message);
  return pool;
}

static void
compute_worker (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  ComputeData *d = task_data;
  g_autoptr (GError) error = NULL;
  WslfpDataset *ds = d->document->dataset;
  /* A dataset on disk is read while computing: hold the HDF5 lock. */
  gboolean on_disk = wslfp_document_is_on_disk (d->document);
  WslfpLfp *lfp = NULL;
  gboolean single;
  if (d->settings.proxy == WSLFP_PROXY_TKLFP)
    {
      /* The spikes and cells are in memory: kept, a move costs the sum over
       * spikes for the new contacts. */
      WslfpTklfpCells *cells = wslfp_job_tklfp_cells (ds, &d->settings, &error);
      if (cells != NULL)
        {
          d->combined = shared_combined_new (NULL, cells);
          /* (every core but one: the main thread keeps one for the window) */
          guint n_threads = MAX (g_get_num_processors (), 2) - 1;
          lfp = wslfp_job_run_tklfp (ds, &d->settings, cells, 1, n_threads, job_progress_cb, d, &error);
        }
    }
  else if (combined_fits (ds, &d->settings, d->combined_budget, &single))
    {
      /* Keep the combined currents: moving the probe then costs a product
       * (from a dataset on disk too: it is read once, with the lock). */
      if (on_disk)
        g_mutex_lock (&hdf5_lock);
      WslfpCombined *combined = wslfp_job_combine (ds, &d->settings, single, job_progress_cb, d, &error);
      if (on_disk)
        g_mutex_unlock (&hdf5_lock);
      if (combined != NULL)
        {
          d->combined = shared_combined_new (combined, NULL);
          /* One thread: the main thread keeps a core for the window. */
          lfp = wslfp_job_run_combined (ds, &d->settings, combined, 1, 1, NULL, NULL, &error);
          if (lfp != NULL && !d->settings.population && ds->n_sources >= d->document->pool_min_sources)
            d->combined->pool = make_pool (ds, combined);
        }
    }
  else
    {
      /* Too big to keep whole: a large network's cells are pooled by place
       * in the same pass, for previews (an exact move reads the currents
       * again). */
      gboolean pool = !d->settings.population && !d->settings.from_spikes
                      && ds->n_sources >= d->document->pool_min_sources;
      WslfpJobPool *pooled = NULL;
      /* (the amplitude matrix in panels of at most a quarter of the budget:
       * with a small budget, a small panel) */
      if (d->settings.panel_bytes == 0 && d->combined_budget > 0)
        d->settings.panel_bytes = (gsize) MIN (d->combined_budget / 4, (guint64) 256 << 20);
      if (on_disk)
        g_mutex_lock (&hdf5_lock);
      if (pool)
        {
          lfp = wslfp_job_run_pooling (ds, &d->settings, wslfp_job_pool_voxel_um (ds, POOL_CUBES_FROM_DISK), &pooled,
                                       job_progress_cb, d, &error);
          if (lfp == NULL && g_error_matches (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT))
            {
              /* (cells of different orientations or lengths: not by place) */
              g_debug ("previews without pooled cells: %s", error->message);
              g_clear_error (&error);
              pool = FALSE;
            }
        }
      if (!pool)
        lfp = wslfp_job_run (ds, &d->settings, job_progress_cb, d, &error);
      if (on_disk)
        g_mutex_unlock (&hdf5_lock);
      if (pooled != NULL)
        {
          d->combined = shared_combined_new (NULL, NULL);
          d->combined->pool = pooled;
        }
    }
  /* (a run cancelled after its last check returns its result all the
   * same: finishing the task reports the cancellation, and the task frees
   * the result) */
  if (lfp == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, lfp, (GDestroyNotify) wslfp_lfp_free);
}

static ComputeData *
compute_data_new (WslfpDocument *self, const WslfpJobSettings *settings)
{
  ComputeData *d = g_new0 (ComputeData, 1);
  d->document = g_object_ref (self);
  d->settings = *settings;
  if (settings->electrodes_um != NULL)
    {
      d->electrodes_um = g_memdup2 (settings->electrodes_um, settings->n_electrodes * 3 * sizeof (double));
      d->shank = g_memdup2 (settings->shank, settings->n_electrodes * sizeof (int));
      d->settings.electrodes_um = d->electrodes_um;
      d->settings.shank = d->shank;
    }
  /* The worker gets its own copy: the window may load another grid. */
  if (settings->custom_profile != NULL)
    {
      wslfp_profile_copy (settings->custom_profile, &d->custom_profile, NULL);
      d->settings.custom_profile = d->custom_profile;
    }
  /* Small blocks: progress and cancellation every few hundred rows. */
  d->settings.block_bytes = 1u << 20;
  d->relay = g_rc_box_new0 (ProgressRelay);
  g_mutex_init (&d->relay->lock);
  return d;
}

void
wslfp_document_compute_async (WslfpDocument *self, const WslfpJobSettings *settings, guint64 combined_budget,
                              GCancellable *cancellable, WslfpDocumentProgress progress, gpointer progress_data,
                              GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  ComputeData *d = compute_data_new (self, settings);
  d->combined_budget = combined_budget;
  d->relay->progress = progress;
  d->relay->progress_data = progress_data;
  d->cancellable = cancellable ? g_object_ref (cancellable) : NULL;
  g_task_set_source_tag (task, wslfp_document_compute_async);
  g_task_set_task_data (task, d, (GDestroyNotify) compute_data_free);
  g_task_run_in_thread (task, compute_worker);
}

WslfpLfp *
wslfp_document_compute_finish (WslfpDocument *self, GAsyncResult *result, WslfpSharedCombined **combined,
                               GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == wslfp_document_compute_async, NULL);
  ComputeData *d = g_task_get_task_data (G_TASK (result));
  /* No progress after the result: the caller may be gone. */
  g_mutex_lock (&d->relay->lock);
  d->relay->finished = TRUE;
  g_mutex_unlock (&d->relay->lock);
  WslfpLfp *lfp = g_task_propagate_pointer (G_TASK (result), error);
  if (combined != NULL)
    *combined = lfp != NULL && d->combined != NULL ? wslfp_shared_combined_ref (d->combined) : NULL;
  return lfp;
}

/* ---- one contact's terms ---- */

typedef struct
{
  WslfpLfp *ampa;
  double *gaba;
} Parts;

static void
parts_free (Parts *p)
{
  wslfp_lfp_free (p->ampa);
  g_free (p->gaba);
  g_free (p);
}

static void
parts_worker (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  ComputeData *d = task_data;
  g_autoptr (GError) error = NULL;
  gboolean on_disk = wslfp_document_is_on_disk (d->document);
  Parts *p = g_new0 (Parts, 1);
  if (on_disk)
    g_mutex_lock (&hdf5_lock);
  gboolean ok = wslfp_job_parts (d->document->dataset, &d->settings, d->contact, &p->ampa, &p->gaba, &error);
  if (on_disk)
    g_mutex_unlock (&hdf5_lock);
  /* (cancelled: as for a computation) */
  if (!ok)
    {
      parts_free (p);
      g_task_return_error (task, g_steal_pointer (&error));
    }
  else
    g_task_return_pointer (task, p, (GDestroyNotify) parts_free);
}

void
wslfp_document_parts_async (WslfpDocument *self, const WslfpJobSettings *settings, gsize contact,
                            GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  ComputeData *d = compute_data_new (self, settings);
  d->contact = contact;
  g_task_set_source_tag (task, wslfp_document_parts_async);
  g_task_set_task_data (task, d, (GDestroyNotify) compute_data_free);
  g_task_run_in_thread (task, parts_worker);
}

gboolean
wslfp_document_parts_finish (WslfpDocument *self, GAsyncResult *result, WslfpLfp **ampa, double **gaba,
                             GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == wslfp_document_parts_async, FALSE);
  Parts *p = g_task_propagate_pointer (G_TASK (result), error);
  if (p == NULL)
    return FALSE;
  *ampa = g_steal_pointer (&p->ampa);
  *gaba = g_steal_pointer (&p->gaba);
  parts_free (p);
  return TRUE;
}
