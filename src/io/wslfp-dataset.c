/* wslfp-dataset.c: reading and validating the HDF5 dataset layout. */
#include "wslfp-dataset.h"

#include <glib/gstdio.h>

#include <math.h>
#include <string.h>

#include "wslfp-csv.h"
#include "wslfp-h5.h"
#include "wslfp-sonata.h"
#include "wslfp-sonata-config.h"
#include "wslfp-probe-file.h"

const char *
wslfp_current_kind_name (WslfpCurrentKind kind)
{
  return kind == WSLFP_CURRENT_AMPA ? "ampa" : "gaba";
}

const char *
wslfp_spike_group_name (WslfpSpikeGroup group)
{
  return group == WSLFP_SPIKES_EXC ? "exc" : "inh";
}

static void
clear_currents (WslfpDatasetCurrents *c)
{
  g_clear_pointer (&c->problem, g_free);
  g_clear_pointer (&c->t_ms, g_free);
  g_clear_pointer (&c->values, g_free);
  if (c->dataset > 0)
    H5Dclose ((hid_t) c->dataset);
  c->dataset = 0;
}

static void
clear_spikes (WslfpDatasetSpikes *s)
{
  g_clear_pointer (&s->problem, g_free);
  g_clear_pointer (&s->t_ms, g_free);
  g_clear_pointer (&s->neuron, g_free);
  g_clear_pointer (&s->indptr, g_free);
  g_clear_pointer (&s->indices, g_free);
  g_clear_pointer (&s->data, g_free);
  g_clear_pointer (&s->delays_ms, g_free);
  g_clear_pointer (&s->cells_um, g_free);
  g_clear_pointer (&s->cells_orientation, g_free);
  g_clear_pointer (&s->cells_problem, g_free);
}

void
wslfp_dataset_close_file (WslfpDataset *ds)
{
  for (int k = 0; k < WSLFP_N_CURRENTS; k++)
    if (ds->currents[k].dataset > 0)
      {
        H5Dclose ((hid_t) ds->currents[k].dataset);
        ds->currents[k].dataset = 0;
      }
  if (ds->file > 0)
    H5Fclose ((hid_t) ds->file);
  ds->file = 0;
}

void
wslfp_dataset_free (WslfpDataset *ds)
{
  if (ds == NULL)
    return;
  wslfp_dataset_close_file (ds);
  for (int k = 0; k < WSLFP_N_CURRENTS; k++)
    clear_currents (&ds->currents[k]);
  for (int g = 0; g < WSLFP_N_SPIKE_GROUPS; g++)
    clear_spikes (&ds->spikes[g]);
  g_free (ds->path);
  g_free (ds->electrodes_um);
  g_free (ds->shank);
  g_free (ds->sources_um);
  g_free (ds->orientation);
  g_free (ds->dendrite_length_um);
  g_free (ds->summary);
  g_free (ds->brief);
  g_strfreev (ds->input_files);
  g_free (ds);
}

static gboolean
fail_shape (GError **error, const char *file, const char *path, const char *expected, const hsize_t dims[2], int rank)
{
  if (rank == 1)
    g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT, "%s: %s has shape (%llu,); expected %s", file, path,
                 (unsigned long long) dims[0], expected);
  else
    g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT, "%s: %s has shape (%llu, %llu); expected %s", file,
                 path, (unsigned long long) dims[0], (unsigned long long) dims[1], expected);
  return FALSE;
}

/* Reads an (N, 3) coordinate dataset. */
static double *
read_xyz (hid_t f, const char *file, const char *path, gsize *n, GError **error)
{
  hsize_t dims[2];
  int rank;
  if (!wslfp_h5_shape (f, file, path, &rank, dims, NULL, error))
    return NULL;
  if (rank != 2 || dims[1] != 3 || dims[0] == 0)
    {
      fail_shape (error, file, path, "(N, 3) with N >= 1", dims, rank);
      return NULL;
    }
  double *v = wslfp_h5_read_doubles (f, file, path, 2, dims, error);
  *n = dims[0];
  return v;
}

static gboolean
check_increasing (const double *t, gsize n, const char *file, const char *path, GError **error)
{
  for (gsize i = 1; i < n; i++)
    if (!(t[i] > t[i - 1]))
      {
        g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_INVALID,
                     "%s: %s is not strictly increasing: %s[%zu] = %g follows %g", file, path, path, i, t[i], t[i - 1]);
        return FALSE;
      }
  return TRUE;
}

static gboolean
read_geometry (WslfpDataset *ds, hid_t f, GError **error)
{
  const char *file = ds->path;
  hsize_t dims[2];
  int rank;

  /* No /electrodes at all: a network without a probe, which computing
   * then takes from --electrodes (or the app's probe). */
  gboolean no_probe = !wslfp_h5_exists (f, "/electrodes");
  if ((!no_probe && (ds->electrodes_um = read_xyz (f, file, "/electrodes/xyz_um", &ds->n_electrodes, error)) == NULL)
      || (ds->sources_um = read_xyz (f, file, "/sources/xyz_um", &ds->n_sources, error)) == NULL)
    return FALSE;

  ds->shank = g_new0 (int, MAX (ds->n_electrodes, 1));
  if (no_probe)
    ds->n_shanks = 0;
  else if (wslfp_h5_exists (f, "/electrodes/shank"))
    {
      g_autofree gint64 *shank = wslfp_h5_read_ints (f, file, "/electrodes/shank", 1, dims, error);
      if (shank == NULL)
        return FALSE;
      if (dims[0] != ds->n_electrodes)
        {
          g_autofree char *want = g_strdup_printf ("(%zu,), one per electrode", ds->n_electrodes);
          return fail_shape (error, file, "/electrodes/shank", want, dims, 1);
        }
      /* Renumber to 0 .. n_shanks − 1 in order of first appearance. */
      ds->n_shanks = wslfp_shanks_renumber (shank, ds->n_electrodes, ds->shank);
    }
  else
    {
      /* No shank dataset: contacts that share (x, y) form a shank. */
      ds->n_shanks = wslfp_shanks_by_column (ds->electrodes_um, ds->n_electrodes, ds->shank);
    }

  ds->coords = WSLFP_COORDS_SOMATA;
  hid_t src = H5Dopen2 (f, "/sources/xyz_um", H5P_DEFAULT);
  g_autofree char *where = g_strdup_printf ("%s: /sources/xyz_um", file);
  g_autoptr (GError) attr_error = NULL;
  g_autofree char *coords = wslfp_h5_attr_string (src, where, "coords_are", &attr_error);
  H5Dclose (src);
  if (attr_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&attr_error));
      return FALSE;
    }
  if (coords != NULL)
    {
      g_autofree char *shown = NULL;
      if (strcmp (coords, "dipole_centers") == 0)
        ds->coords = WSLFP_COORDS_DIPOLE_CENTERS;
      else if (strcmp (coords, "somata") != 0)
        {
          g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT,
                       "%s: /sources/xyz_um attribute coords_are is \"%s\"; expected \"somata\" or \"dipole_centers\"",
                       file, shown = wslfp_shorten (coords));
          return FALSE;
        }
    }

  if (wslfp_h5_exists (f, "/sources/orientation"))
    {
      if (!wslfp_h5_shape (f, file, "/sources/orientation", &rank, dims, NULL, error))
        return FALSE;
      gboolean shared = rank == 1 && dims[0] == 3;
      gboolean per_source = rank == 2 && dims[0] == ds->n_sources && dims[1] == 3;
      if (!shared && !per_source)
        {
          g_autofree char *want = g_strdup_printf ("(3,) or (%zu, 3)", ds->n_sources);
          return fail_shape (error, file, "/sources/orientation", want, dims, rank);
        }
      ds->orientation = wslfp_h5_read_doubles (f, file, "/sources/orientation", rank, dims, error);
      if (ds->orientation == NULL)
        return FALSE;
      ds->n_orientations = shared ? 1 : ds->n_sources;
      for (gsize s = 0; s < ds->n_orientations; s++)
        if (ds->orientation[3 * s] == 0 && ds->orientation[3 * s + 1] == 0 && ds->orientation[3 * s + 2] == 0)
          {
            g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_INVALID,
                         "%s: /sources/orientation[%zu] is the zero vector", file, s);
            return FALSE;
          }
    }
  if (wslfp_h5_exists (f, "/sources/dendrite_length_um"))
    {
      if (!wslfp_h5_shape (f, file, "/sources/dendrite_length_um", &rank, dims, NULL, error))
        return FALSE;
      if (!(rank == 0 || (rank == 1 && (dims[0] == 1 || dims[0] == ds->n_sources))))
        {
          g_autofree char *want = g_strdup_printf ("() or (%zu,)", ds->n_sources);
          return fail_shape (error, file, "/sources/dendrite_length_um", want, dims, rank);
        }
      ds->dendrite_length_um = wslfp_h5_read_doubles (f, file, "/sources/dendrite_length_um", rank, dims, error);
      if (ds->dendrite_length_um == NULL)
        return FALSE;
      ds->n_lengths = rank == 0 ? 1 : dims[0];
      for (gsize s = 0; s < ds->n_lengths; s++)
        if (ds->dendrite_length_um[s] < 0)
          {
            g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_INVALID, "%s: /sources/dendrite_length_um[%zu] = %g is negative",
                         file, s, ds->dendrite_length_um[s]);
            return FALSE;
          }
    }
  return TRUE;
}

/* Loads the times of one current and checks the matrix's shape; problems
 * are recorded, not fatal. */
static void
read_currents (WslfpDataset *ds, hid_t f, WslfpCurrentKind kind)
{
  WslfpDatasetCurrents *c = &ds->currents[kind];
  const char *name = wslfp_current_kind_name (kind);
  g_autofree char *t_path = g_strdup_printf ("/currents/%s/t_ms", name);
  g_autofree char *i_path = g_strdup_printf ("/currents/%s/I", name);
  g_autofree char *group = g_strdup_printf ("/currents/%s", name);
  g_autoptr (GError) error = NULL;
  hsize_t dims[2], idims[2];
  int rank;

  c->present = wslfp_h5_exists (f, group);
  if (!c->present)
    return;
  c->t_ms = wslfp_h5_read_doubles (f, ds->path, t_path, 1, dims, &error);
  if (c->t_ms == NULL || !check_increasing (c->t_ms, dims[0], ds->path, t_path, &error)
      || !wslfp_h5_shape (f, ds->path, i_path, &rank, idims, NULL, &error))
    {
      c->problem = g_strdup (error->message);
      return;
    }
  c->n_times = dims[0];
  if (c->n_times == 0)
    {
      /* No samples is no current (issue 20, item 12: it computed rows of
       * zeros on a grid taken from the spikes). */
      c->problem = g_strdup_printf ("%s: %s has no samples (0 times)", ds->path, t_path);
      return;
    }
  if (rank != 2 || idims[0] != c->n_times || idims[1] != ds->n_sources)
    {
      g_autofree char *want = g_strdup_printf ("(T, S) = (%zu, %zu): one row per %s time, one column per source",
                                               c->n_times, ds->n_sources, t_path);
      fail_shape (&error, ds->path, i_path, want, idims, rank);
      c->problem = g_strdup (error->message);
      return;
    }
  c->n_sources = ds->n_sources;
  g_autoptr (GPtrArray) sources = g_ptr_array_new_with_free_func (g_free);
  if (!wslfp_h5_check_storage (f, ds->path, i_path, sources, &error))
    {
      c->problem = g_strdup (error->message);
      return;
    }
  /* The files it reads through: an output must not replace one (issue
   * 20, item 10). */
  for (guint k = 0; k < sources->len; k++)
    {
      gsize n = ds->input_files ? g_strv_length (ds->input_files) : 0;
      ds->input_files = g_renew (char *, ds->input_files, n + 2);
      ds->input_files[n] = g_strdup (sources->pdata[k]);
      ds->input_files[n + 1] = NULL;
    }
  /* No chunk cache: HDF5 1.10.8 kept every chunk it read of a 100 000-cell
   * network (16 × 65 536 floats, an edge chunk at the end of each row)
   * whatever the cache's size, 1.9 GB after one pass over 1.5 GB of
   * currents, and 3.6 times its size for narrower chunks; without it a
   * pass takes the same time (14.4 s) in 880 MB, the combined currents'
   * 800 MB and the blocks.  A chunk that straddles two blocks of rows is
   * inflated twice.  (Computing from disk reads raw chunks, not through
   * this: wslfp-rows.c.) */
  hid_t dapl = H5Pcreate (H5P_DATASET_ACCESS);
  H5Pset_chunk_cache (dapl, 0, 0, 1.0);
  c->dataset = H5Dopen2 (f, i_path, dapl);
  H5Pclose (dapl);
}

static gboolean
spike_problem (WslfpDatasetSpikes *s, GError *error)
{
  s->problem = g_strdup (error->message);
  g_error_free (error);
  return FALSE;
}

static void
cells_problem (WslfpDatasetSpikes *s, GError *error)
{
  s->cells_problem = g_strdup (error->message);
  g_error_free (error);
  g_clear_pointer (&s->cells_um, g_free);
  g_clear_pointer (&s->cells_orientation, g_free);
}

/* /spikes/<group>/xyz_um and orientation: the spiking cells, for TKLFP. */
static void
read_spike_cells (WslfpDataset *ds, hid_t f, WslfpSpikeGroup g)
{
  WslfpDatasetSpikes *s = &ds->spikes[g];
  const char *name = wslfp_spike_group_name (g);
  g_autofree char *xyz_path = g_strdup_printf ("/spikes/%s/xyz_um", name);
  g_autofree char *o_path = g_strdup_printf ("/spikes/%s/orientation", name);
  g_autofree char *i_path = g_strdup_printf ("/spikes/%s/i", name);
  GError *error = NULL;
  hsize_t dims[2];
  int rank;
  if (!wslfp_h5_exists (f, xyz_path))
    return;
  if (!wslfp_h5_shape (f, ds->path, xyz_path, &rank, dims, NULL, &error))
    return cells_problem (s, error);
  if (rank != 2 || dims[1] != 3)
    {
      fail_shape (&error, ds->path, xyz_path, "(n_cells, 3)", dims, rank);
      return cells_problem (s, error);
    }
  if ((s->cells_um = wslfp_h5_read_doubles_raw (f, ds->path, xyz_path, 2, dims, &error)) == NULL)
    return cells_problem (s, error);
  s->n_cells = dims[0];
  for (gsize c = 0; c < s->n_cells; c++)
    {
      const double *p = s->cells_um + 3 * c;
      gboolean none = isnan (p[0]) && isnan (p[1]) && isnan (p[2]);
      if (!none && !(isfinite (p[0]) && isfinite (p[1]) && isfinite (p[2])))
        return cells_problem (s, g_error_new (WSLFP_IO_ERROR, WSLFP_IO_ERROR_INVALID,
                                              "%s: %s[%zu] = (%g, %g, %g): a position is three finite numbers, or "
                                              "three NaN for a cell without one", ds->path, xyz_path, c, p[0], p[1],
                                              p[2]));
    }
  for (gsize k = 0; k < s->n_spikes; k++)
    if (s->neuron[k] < 0 || s->neuron[k] >= (gint64) s->n_cells)
      return cells_problem (s, g_error_new (WSLFP_IO_ERROR, WSLFP_IO_ERROR_INVALID,
                                            "%s: %s[%zu] = %lld is outside [0, %zu), the cells of %s", ds->path,
                                            i_path, k, (long long) s->neuron[k], s->n_cells, xyz_path));
  if (!wslfp_h5_exists (f, o_path))
    return;
  if (!wslfp_h5_shape (f, ds->path, o_path, &rank, dims, NULL, &error))
    return cells_problem (s, error);
  gboolean shared = rank == 1 && dims[0] == 3, per_cell = rank == 2 && dims[0] == s->n_cells && dims[1] == 3;
  if (!shared && !per_cell)
    {
      g_autofree char *want = g_strdup_printf ("(3,) or (%zu, 3)", s->n_cells);
      fail_shape (&error, ds->path, o_path, want, dims, rank);
      return cells_problem (s, error);
    }
  if ((s->cells_orientation = wslfp_h5_read_doubles (f, ds->path, o_path, rank, dims, &error)) == NULL)
    return cells_problem (s, error);
  s->n_cells_orientations = shared ? 1 : s->n_cells;
  for (gsize c = 0; c < s->n_cells_orientations; c++)
    {
      const double *o = s->cells_orientation + 3 * c;
      if (!(isfinite (o[0]) && isfinite (o[1]) && isfinite (o[2])) || (o[0] == 0 && o[1] == 0 && o[2] == 0))
        return cells_problem (s, g_error_new (WSLFP_IO_ERROR, WSLFP_IO_ERROR_INVALID,
                                              "%s: %s[%zu] = (%g, %g, %g) is not a direction", ds->path, o_path, c,
                                              o[0], o[1], o[2]));
    }
}

/* The spikes themselves cannot be read: no proxy can use the group (the
 * times are dropped, which wslfp_dataset_check_tklfp() goes by). */
static gboolean
spikes_unreadable (WslfpDatasetSpikes *s, GError *error)
{
  g_clear_pointer (&s->t_ms, g_free);
  return spike_problem (s, error);
}

static gboolean
read_spikes (WslfpDataset *ds, hid_t f, WslfpSpikeGroup g)
{
  WslfpDatasetSpikes *s = &ds->spikes[g];
  const char *name = wslfp_spike_group_name (g);
  g_autofree char *group = g_strdup_printf ("/spikes/%s", name);
  g_autofree char *t_path = g_strdup_printf ("%s/t_ms", group);
  g_autofree char *i_path = g_strdup_printf ("%s/i", group);
  g_autofree char *w_path = g_strdup_printf ("%s/weights", group);
  GError *error = NULL;
  hsize_t dims[2], idims[2];

  s->present = wslfp_h5_exists (f, group);
  if (!s->present)
    return TRUE;
  if ((s->t_ms = wslfp_h5_read_doubles (f, ds->path, t_path, 1, dims, &error)) == NULL
      || (s->neuron = wslfp_h5_read_ints (f, ds->path, i_path, 1, idims, &error)) == NULL)
    return spikes_unreadable (s, error);
  if (idims[0] != dims[0])
    {
      g_autofree char *want = g_strdup_printf ("(%llu,), one per spike time in %s", (unsigned long long) dims[0], t_path);
      fail_shape (&error, ds->path, i_path, want, idims, 1);
      return spikes_unreadable (s, error);
    }
  s->n_spikes = dims[0];
  for (gsize k = 0; k < s->n_spikes; k++)
    if (!isfinite (s->t_ms[k]))
      return spikes_unreadable (s, g_error_new (WSLFP_IO_ERROR, WSLFP_IO_ERROR_INVALID, "%s: %s[%zu] = %g is not a time",
                                            ds->path, t_path, k, s->t_ms[k]));
  /* The cells (TKLFP) need no kernel or weights. */
  read_spike_cells (ds, f, g);
  /* Documented defaults: AMPA-like for exc, GABA-like for inh, no delay. */
  s->tau_rise_ms = g == WSLFP_SPIKES_EXC ? 0.4 : 0.25;
  s->tau_decay_ms = g == WSLFP_SPIKES_EXC ? 2.0 : 5.0;
  s->delay_ms = 0.0;
  s->scale = WSLFP_KERNEL_ODE;
  hid_t grp = H5Oopen (f, group, H5P_DEFAULT);
  g_autofree char *where = g_strdup_printf ("%s: %s", ds->path, group);
  GError *attr_error = NULL;
  /* A kernel attribute that is there but not a number is an error, not
   * the default silently (issue 20, item 11). */
  if (!wslfp_h5_attr_number (grp, where, "tau_rise_ms", &s->tau_rise_ms, NULL, &attr_error)
      || !wslfp_h5_attr_number (grp, where, "tau_decay_ms", &s->tau_decay_ms, NULL, &attr_error)
      || !wslfp_h5_attr_number (grp, where, "delay_ms", &s->delay_ms, NULL, &attr_error))
    {
      H5Oclose (grp);
      return spike_problem (s, attr_error);
    }
  g_autofree char *shown = NULL;
  g_autofree char *kernel = wslfp_h5_attr_string (grp, where, "kernel", &attr_error);
  H5Oclose (grp);
  if (attr_error != NULL)
    return spike_problem (s, attr_error);
  if (kernel != NULL)
    {
      if (strcmp (kernel, "peak") == 0)
        s->scale = WSLFP_KERNEL_PEAK;
      else if (strcmp (kernel, "unit") == 0)
        s->scale = WSLFP_KERNEL_UNIT;
      else if (strcmp (kernel, "ode") != 0)
        return spike_problem (s, g_error_new (WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT,
                                              "%s: %s attribute kernel is \"%s\"; expected peak, ode or unit",
                                              ds->path, group, shown = wslfp_shorten (kernel)));
    }
  if (!(s->tau_rise_ms > 0 && s->tau_decay_ms > s->tau_rise_ms && isfinite (s->tau_decay_ms)))
    return spike_problem (s, g_error_new (WSLFP_IO_ERROR, WSLFP_IO_ERROR_INVALID,
                                          "%s: %s needs tau_decay_ms > tau_rise_ms > 0; found %g and %g", ds->path,
                                          group, s->tau_decay_ms, s->tau_rise_ms));
  if (!(s->delay_ms >= 0 && isfinite (s->delay_ms)))
    return spike_problem (s, g_error_new (WSLFP_IO_ERROR, WSLFP_IO_ERROR_INVALID,
                                          "%s: %s attribute delay_ms = %g must be finite and >= 0", ds->path, group,
                                          s->delay_ms));


  /* Weights: a CSR group, a dense (n_pre, S) matrix, or one number. */
  H5O_info_t info;
  if (!wslfp_h5_exists (f, w_path) || H5Oget_info_by_name (f, w_path, &info, H5P_DEFAULT) < 0)
    return spike_problem (s, g_error_new (WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT,
                                          "%s: %s is missing (a CSR group, a matrix or a number)", ds->path, w_path));
  gint64 max_neuron = -1;
  for (gsize k = 0; k < s->n_spikes; k++)
    max_neuron = MAX (max_neuron, s->neuron[k]);
  if (info.type == H5O_TYPE_GROUP)
    {
      g_autofree char *p_ptr = g_strdup_printf ("%s/indptr", w_path);
      g_autofree char *p_ind = g_strdup_printf ("%s/indices", w_path);
      g_autofree char *p_dat = g_strdup_printf ("%s/data", w_path);
      hsize_t pd[2], id[2], dd[2];
      s->weights_kind = WSLFP_WEIGHTS_CSR;
      if ((s->indptr = wslfp_h5_read_ints (f, ds->path, p_ptr, 1, pd, &error)) == NULL
          || (s->indices = wslfp_h5_read_ints (f, ds->path, p_ind, 1, id, &error)) == NULL
          || (s->data = wslfp_h5_read_doubles (f, ds->path, p_dat, 1, dd, &error)) == NULL)
        return spike_problem (s, error);
      if (pd[0] < 1)
        return spike_problem (s, g_error_new (WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT, "%s: %s is empty; expected n_pre + 1 values",
                                              ds->path, p_ptr));
      s->n_pre = pd[0] - 1;
      hid_t wg = H5Oopen (f, w_path, H5P_DEFAULT);
      if (H5Aexists (wg, "shape") > 0)
        {
          gint64 shape[2] = { -1, -1 };
          hid_t a = H5Aopen (wg, "shape", H5P_DEFAULT);
          hid_t sp = H5Aget_space (a);
          gboolean ok = H5Sget_simple_extent_npoints (sp) == 2 && H5Aread (a, H5T_NATIVE_INT64, shape) >= 0;
          H5Sclose (sp);
          H5Aclose (a);
          if (!ok || shape[0] != (gint64) s->n_pre || shape[1] != (gint64) ds->n_sources)
            {
              H5Oclose (wg);
              return spike_problem (s, g_error_new (WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT,
                                                    "%s: %s attribute shape is (%lld, %lld); expected (n_pre, S) = (%zu, %zu)",
                                                    ds->path, w_path, (long long) shape[0], (long long) shape[1],
                                                    s->n_pre, ds->n_sources));
            }
        }
      H5Oclose (wg);
      if (id[0] != dd[0])
        return spike_problem (s, g_error_new (WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT,
                                              "%s: %s has %llu values but %s has %llu", ds->path, p_ind,
                                              (unsigned long long) id[0], p_dat, (unsigned long long) dd[0]));
      if (s->indptr[0] != 0 || s->indptr[s->n_pre] != (gint64) id[0])
        return spike_problem (s, g_error_new (WSLFP_IO_ERROR, WSLFP_IO_ERROR_INVALID,
                                              "%s: %s must run from 0 to the number of weights (%llu); found %lld … %lld",
                                              ds->path, p_ptr, (unsigned long long) id[0], (long long) s->indptr[0],
                                              (long long) s->indptr[s->n_pre]));
      for (gsize p = 0; p < s->n_pre; p++)
        if (s->indptr[p + 1] < s->indptr[p])
          return spike_problem (s, g_error_new (WSLFP_IO_ERROR, WSLFP_IO_ERROR_INVALID, "%s: %s[%zu] = %lld decreases",
                                                ds->path, p_ptr, p + 1, (long long) s->indptr[p + 1]));
      for (gsize j = 0; j < id[0]; j++)
        if (s->indices[j] < 0 || s->indices[j] >= (gint64) ds->n_sources)
          return spike_problem (s, g_error_new (WSLFP_IO_ERROR, WSLFP_IO_ERROR_INVALID,
                                                "%s: %s[%zu] = %lld is outside [0, %zu), the sources", ds->path, p_ind,
                                                j, (long long) s->indices[j], ds->n_sources));
      /* Per-connection delays (`wslfp convert` keeps a SONATA network's). */
      g_autofree char *p_del = g_strdup_printf ("%s/delays_ms", w_path);
      if (wslfp_h5_exists (f, p_del))
        {
          hsize_t ld[2];
          if ((s->delays_ms = wslfp_h5_read_doubles (f, ds->path, p_del, 1, ld, &error)) == NULL)
            return spike_problem (s, error);
          if (ld[0] != id[0])
            return spike_problem (s, g_error_new (WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT,
                                                  "%s: %s has %llu values; expected %llu, one per weight", ds->path,
                                                  p_del, (unsigned long long) ld[0], (unsigned long long) id[0]));
          for (gsize j = 0; j < id[0]; j++)
            if (s->delays_ms[j] < 0)
              return spike_problem (s, g_error_new (WSLFP_IO_ERROR, WSLFP_IO_ERROR_INVALID,
                                                    "%s: %s[%zu] = %g is negative", ds->path, p_del, j,
                                                    s->delays_ms[j]));
        }
    }
  else
    {
      int rank;
      if (!wslfp_h5_shape (f, ds->path, w_path, &rank, dims, NULL, &error))
        return spike_problem (s, error);
      if (rank == 0)
        {
          double *w = wslfp_h5_read_doubles (f, ds->path, w_path, 0, dims, &error);
          if (w == NULL)
            return spike_problem (s, error);
          s->weights_kind = WSLFP_WEIGHTS_SCALAR;
          s->scalar = *w;
          s->n_pre = (gsize) (max_neuron + 1);
          g_free (w);
        }
      else if (rank == 2 && dims[1] == ds->n_sources)
        {
          s->weights_kind = WSLFP_WEIGHTS_DENSE;
          if ((s->data = wslfp_h5_read_doubles (f, ds->path, w_path, 2, dims, &error)) == NULL)
            return spike_problem (s, error);
          s->n_pre = dims[0];
        }
      else
        {
          g_autofree char *want = g_strdup_printf ("(n_pre, %zu) or a number", ds->n_sources);
          fail_shape (&error, ds->path, w_path, want, dims, rank);
          return spike_problem (s, error);
        }
    }
  for (gsize k = 0; k < s->n_spikes; k++)
    if (s->neuron[k] < 0 || s->neuron[k] >= (gint64) s->n_pre)
      return spike_problem (s, g_error_new (WSLFP_IO_ERROR, WSLFP_IO_ERROR_INVALID,
                                            "%s: %s[%zu] = %lld is outside [0, %zu), the presynaptic neurons", ds->path,
                                            i_path, k, (long long) s->neuron[k], s->n_pre));
  if (s->cells_um != NULL && s->weights_kind != WSLFP_WEIGHTS_SCALAR && s->n_cells != s->n_pre)
    cells_problem (s, g_error_new (WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT,
                                   "%s: %s/xyz_um has %zu rows but the weights have %zu presynaptic neurons: one row "
                                   "per presynaptic neuron", ds->path, group, s->n_cells, s->n_pre));
  return TRUE;
}

static WslfpDataset *dataset_open (const char *path, GError **error);

WslfpDataset *
wslfp_dataset_open_any (const char *path, GError **error)
{
  if (wslfp_sonata_config_is_config (path))
    return wslfp_sonata_open (path, NULL, error);
  return wslfp_dataset_open (path, error);
}

WslfpDataset *
wslfp_dataset_open (const char *path, GError **error)
{
  /* The parsing that a corrupt file can crash or hang, for a watcher. */
  wslfp_h5_watch ("reading", path);
  WslfpDataset *ds = dataset_open (path, error);
  wslfp_h5_watch ("read", path);
  return ds;
}

static WslfpDataset *
dataset_open (const char *path, GError **error)
{
  GStatBuf st;
  /* Who the file is now, to notice it being replaced or changed while we
   * read it (wslfp_dataset_check_unchanged). */
  gboolean known = g_stat (path, &st) == 0;
  hid_t f = wslfp_h5_open_read (path, error);
  if (f < 0)
    return NULL;
  g_autoptr (WslfpDataset) ds = g_new0 (WslfpDataset, 1);
  ds->path = g_strdup (path);
  ds->file = f;
  if (known)
    {
      ds->identity[0] = (gint64) st.st_dev;
      ds->identity[1] = (gint64) st.st_ino;
      ds->identity[2] = (gint64) st.st_size;
      ds->identity[3] = (gint64) st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
    }
  if (!read_geometry (ds, f, error))
    return NULL;
  for (int k = 0; k < WSLFP_N_CURRENTS; k++)
    read_currents (ds, f, k);
  for (int g = 0; g < WSLFP_N_SPIKE_GROUPS; g++)
    read_spikes (ds, f, g);
  /* A converted SONATA run's evaluation times. */
  hid_t root = H5Oopen (f, "/", H5P_DEFAULT);
  double t[3];
  gboolean has[3] = { FALSE, FALSE, FALSE };
  g_autofree char *where = g_strdup_printf ("%s: /", path);
  const char *names[3] = { "t_eval_start_ms", "t_eval_stop_ms", "t_eval_step_ms" };
  for (int k = 0; k < 3 && root >= 0; k++)
    if (!wslfp_h5_attr_number (root, where, names[k], &t[k], &has[k], error))
      {
        H5Oclose (root);
        return NULL;
      }
  if (root >= 0 && (has[0] || has[1] || has[2]) && !(has[0] && has[1] && has[2]))
    {
      H5Oclose (root);
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT,
                   "%s: the root attributes t_eval_start_ms, t_eval_stop_ms and t_eval_step_ms go together", path);
      return NULL;
    }
  if (root >= 0 && has[0])
    {
      if (!(isfinite (t[0]) && isfinite (t[1]) && isfinite (t[2]) && t[2] > 0 && t[1] > t[0]))
        {
          H5Oclose (root);
          g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_INVALID,
                       "%s: the attributes t_eval_start_ms, t_eval_stop_ms, t_eval_step_ms = %g, %g, %g are not "
                       "times START < STOP with STEP > 0", path, t[0], t[1], t[2]);
          return NULL;
        }
      ds->t_default_set = TRUE;
      memcpy (ds->t_default_ms, t, sizeof t);
    }
  if (root >= 0)
    H5Oclose (root);
  return g_steal_pointer (&ds);
}

gboolean
wslfp_dataset_check_unchanged (const WslfpDataset *ds, GError **error)
{
  GStatBuf st;
  if (ds->path == NULL || ds->identity[1] == 0)
    return TRUE; /* not a file (the demo), or not known */
  const char *what = NULL;
  if (g_stat (ds->path, &st) != 0)
    what = "was removed";
  else if ((gint64) st.st_dev != ds->identity[0] || (gint64) st.st_ino != ds->identity[1])
    what = "was replaced by another file";
  else if ((gint64) st.st_size != ds->identity[2])
    what = "changed size";
  else if ((gint64) st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec != ds->identity[3])
    what = "was modified";
  if (what == NULL)
    return TRUE;
  g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_OPEN,
               "%s %s while it was read: what was read may be a mix of old and new; nothing was written", ds->path,
               what);
  return FALSE;
}

void
wslfp_dataset_get_geometry (const WslfpDataset *ds, WslfpGeometry *g)
{
  wslfp_geometry_init (g);
  g->electrodes_um = ds->electrodes_um;
  g->n_electrodes = ds->n_electrodes;
  g->sources_um = ds->sources_um;
  g->n_sources = ds->n_sources;
  g->coords = ds->coords;
  g->orientation = ds->orientation;
  g->n_orientations = ds->n_orientations;
  g->dendrite_length_um = ds->dendrite_length_um;
  g->n_lengths = ds->n_lengths;
}

void
wslfp_dataset_get_spikes (const WslfpDataset *ds, WslfpSpikeGroup group, WslfpSpikes *sp)
{
  const WslfpDatasetSpikes *s = &ds->spikes[group];
  wslfp_spikes_init (sp);
  sp->t_ms = s->t_ms;
  sp->neuron = (const int64_t *) s->neuron;
  sp->n_spikes = s->n_spikes;
  sp->n_pre = s->n_pre;
  sp->n_targets = ds->n_sources;
  sp->weights_kind = s->weights_kind;
  sp->indptr = (const int64_t *) s->indptr;
  sp->indices = (const int64_t *) s->indices;
  sp->data = s->data;
  sp->dense = s->data;
  sp->scalar = s->scalar;
  sp->tau_rise_ms = s->tau_rise_ms;
  sp->tau_decay_ms = s->tau_decay_ms;
  sp->delay_ms = s->delay_ms;
  sp->delays_ms = s->weights_kind == WSLFP_WEIGHTS_CSR ? s->delays_ms : NULL;
  sp->scale = s->scale;
}

gboolean
wslfp_dataset_check_currents (const WslfpDataset *ds, GError **error)
{
  const WslfpDatasetCurrents *a = &ds->currents[WSLFP_CURRENT_AMPA], *g = &ds->currents[WSLFP_CURRENT_GABA];
  if (!a->present && !g->present)
    {
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT,
                   "%s: no /currents/ampa or /currents/gaba group (use --from-spikes to build currents from /spikes)",
                   ds->path);
      return FALSE;
    }
  for (int k = 0; k < WSLFP_N_CURRENTS; k++)
    if (ds->currents[k].present && ds->currents[k].problem != NULL)
      {
        g_set_error_literal (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT, ds->currents[k].problem);
        return FALSE;
      }
  return TRUE;
}

gboolean
wslfp_dataset_check_spikes (const WslfpDataset *ds, GError **error)
{
  const WslfpDatasetSpikes *e = &ds->spikes[WSLFP_SPIKES_EXC], *i = &ds->spikes[WSLFP_SPIKES_INH];
  if (!e->present && !i->present)
    {
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT, "%s: no /spikes/exc or /spikes/inh group", ds->path);
      return FALSE;
    }
  for (int g = 0; g < WSLFP_N_SPIKE_GROUPS; g++)
    if (ds->spikes[g].present && ds->spikes[g].problem != NULL)
      {
        g_set_error_literal (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_INVALID, ds->spikes[g].problem);
        return FALSE;
      }
  return TRUE;
}

gsize
wslfp_dataset_tklfp_cells (const WslfpDataset *ds, WslfpSpikeGroup group)
{
  const WslfpDatasetSpikes *s = &ds->spikes[group];
  gsize n = 0;
  if (!s->present || s->cells_um == NULL || s->t_ms == NULL)
    return 0;
  for (gsize c = 0; c < s->n_cells; c++)
    n += !isnan (s->cells_um[3 * c]);
  return n;
}

double *
wslfp_dataset_tklfp_marks (const WslfpDataset *ds, const double *xyz, gsize n_contacts, gsize *n)
{
  double c[3] = { 0, 0, 0 }, u[3] = { 0, 0, 0 };
  gsize cells = 0;
  for (int g = 0; g < WSLFP_N_SPIKE_GROUPS; g++)
    {
      const WslfpDatasetSpikes *sp = &ds->spikes[g];
      for (gsize i = 0; i < sp->n_cells && sp->cells_um != NULL; i++)
        {
          const double *p = sp->cells_um + 3 * i;
          if (isnan (p[0]))
            continue;
          const double *o = sp->cells_orientation ? sp->cells_orientation + 3 * (sp->n_cells_orientations > 1 ? i : 0)
                                                  : NULL;
          double len = o ? sqrt (o[0] * o[0] + o[1] * o[1] + o[2] * o[2]) : 1;
          for (int k = 0; k < 3; k++)
            {
              c[k] += p[k];
              u[k] += o ? o[k] / len : k == 2;
            }
          cells++;
        }
    }
  *n = 0;
  double norm = sqrt (u[0] * u[0] + u[1] * u[1] + u[2] * u[2]);
  if (cells == 0 || norm == 0)
    return NULL;
  double *marks = g_new (double, 2 * MAX (n_contacts, 1));
  for (gsize e = 0; e < n_contacts; e++)
    {
      double v[3], d = 0, r2 = 0;
      for (int k = 0; k < 3; k++)
        {
          v[k] = xyz[3 * e + k] - c[k] / cells;
          d += v[k] * u[k] / norm;
        }
      for (int k = 0; k < 3; k++)
        r2 += pow (v[k] - d * u[k] / norm, 2);
      marks[2 * e] = sqrt (r2);
      marks[2 * e + 1] = d;
    }
  *n = n_contacts;
  return marks;
}

gboolean
wslfp_dataset_check_tklfp (const WslfpDataset *ds, GError **error)
{
  if (!ds->spikes[WSLFP_SPIKES_EXC].present && !ds->spikes[WSLFP_SPIKES_INH].present)
    {
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT,
                   "%s: no /spikes/exc or /spikes/inh group: TKLFP needs the cells' spikes", ds->path);
      return FALSE;
    }
  for (int g = 0; g < WSLFP_N_SPIKE_GROUPS; g++)
    {
      const WslfpDatasetSpikes *s = &ds->spikes[g];
      const char *problem = !s->present ? NULL : s->t_ms == NULL ? s->problem : s->cells_problem;
      if (problem != NULL)
        {
          g_set_error_literal (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_INVALID, problem);
          return FALSE;
        }
    }
  if (wslfp_dataset_tklfp_cells (ds, WSLFP_SPIKES_EXC) + wslfp_dataset_tklfp_cells (ds, WSLFP_SPIKES_INH) == 0)
    {
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT,
                   "%s: no spiking cell has a position (/spikes/exc/xyz_um, /spikes/inh/xyz_um): TKLFP needs them",
                   ds->path);
      return FALSE;
    }
  /* Spikes only of cells without a position (a SONATA run's inputs
   * without its output spikes) would give an LFP of zeros: say so. */
  gsize heard = 0, all = 0;
  for (int g = 0; g < WSLFP_N_SPIKE_GROUPS; g++)
    {
      const WslfpDatasetSpikes *s = &ds->spikes[g];
      if (!s->present || s->t_ms == NULL)
        continue;
      all += s->n_spikes;
      for (gsize k = 0; k < s->n_spikes && s->cells_um != NULL; k++)
        heard += !isnan (s->cells_um[3 * s->neuron[k]]);
    }
  if (heard == 0 && all > 0)
    {
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT,
                   "%s: none of its %zu spikes is of a cell with a position (/spikes/exc/xyz_um, /spikes/inh/xyz_um): "
                   "TKLFP would be 0 (for a SONATA network: are the run's output spikes there?)", ds->path, all);
      return FALSE;
    }
  return TRUE;
}

gboolean
wslfp_dataset_read_rows (const WslfpDataset *ds, WslfpCurrentKind kind, gsize first_row, gsize n_rows, double *out,
                         GError **error)
{
  wslfp_h5_init ();
  const WslfpDatasetCurrents *c = &ds->currents[kind];
  g_autofree char *path = g_strdup_printf ("/currents/%s/I", wslfp_current_kind_name (kind));
  if (n_rows == 0)
    return TRUE;
  if (c->values != NULL && first_row + n_rows <= c->n_times)
    {
      memcpy (out, c->values + first_row * c->n_sources, n_rows * c->n_sources * sizeof (double));
      return TRUE;
    }
  if (c->dataset <= 0 || first_row + n_rows > c->n_times)
    {
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT, "%s: %s rows [%zu, %zu) cannot be read", ds->path, path,
                   first_row, first_row + n_rows);
      return FALSE;
    }
  hid_t d = (hid_t) c->dataset;
  hid_t space = H5Dget_space (d);
  hsize_t start[2] = { first_row, 0 }, count[2] = { n_rows, c->n_sources };
  H5Sselect_hyperslab (space, H5S_SELECT_SET, start, NULL, count, NULL);
  hid_t mem = H5Screate_simple (2, count, NULL);
  herr_t status = H5Dread (d, H5T_NATIVE_DOUBLE, mem, space, H5P_DEFAULT, out);
  H5Sclose (mem);
  H5Sclose (space);
  if (status < 0)
    {
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_OPEN,
                   "%s: cannot read %s rows [%zu, %zu) (the file may be truncated or damaged)", ds->path, path,
                   first_row, first_row + n_rows);
      return FALSE;
    }
  return TRUE;
}

gboolean
wslfp_dataset_load_all (WslfpDataset *ds, GError **error)
{
  for (int k = 0; k < WSLFP_N_CURRENTS; k++)
    {
      WslfpDatasetCurrents *c = &ds->currents[k];
      if (!c->present || c->problem != NULL || c->values != NULL)
        continue;
      gsize n = c->n_times * c->n_sources;
      double *v = g_try_malloc (MAX (n, 1) * sizeof (double));
      if (v == NULL)
        {
          g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_OPEN, "%s: /currents/%s/I (%zu × %zu) does not fit in memory",
                       ds->path, wslfp_current_kind_name (k), c->n_times, c->n_sources);
          return FALSE;
        }
      if (!wslfp_dataset_read_rows (ds, k, 0, c->n_times, v, error))
        {
          g_free (v);
          return FALSE;
        }
      c->values = v;
    }
  wslfp_dataset_close_file (ds);
  return TRUE;
}
