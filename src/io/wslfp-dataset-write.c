/* wslfp-dataset-write.c: a dataset (read from any format) written in this
 * project's layout, so that `wslfp convert` turns a SONATA network into a
 * file every other path reads. */
#include "wslfp-dataset.h"

#include "wslfp-h5.h"

static gboolean
write_spikes (hid_t f, const WslfpDataset *ds, WslfpSpikeGroup g, GError **error)
{
  const WslfpDatasetSpikes *s = &ds->spikes[g];
  g_autofree char *grp = g_strdup_printf ("/spikes/%s", wslfp_spike_group_name (g));
  g_autofree char *t = g_strdup_printf ("%s/t_ms", grp);
  g_autofree char *i = g_strdup_printf ("%s/i", grp);
  g_autofree char *w = g_strdup_printf ("%s/weights", grp);
  hsize_t n_spk[1] = { s->n_spikes };
  const char *kernel = s->scale == WSLFP_KERNEL_PEAK ? "peak" : s->scale == WSLFP_KERNEL_UNIT ? "unit" : "ode";
  gboolean ok = wslfp_h5_write_doubles (f, t, 1, n_spk, s->t_ms, FALSE, error)
                && wslfp_h5_write_ints (f, i, 1, n_spk, s->neuron, error)
                && wslfp_h5_set_attr_double (f, grp, "tau_rise_ms", s->tau_rise_ms, error)
                && wslfp_h5_set_attr_double (f, grp, "tau_decay_ms", s->tau_decay_ms, error)
                && wslfp_h5_set_attr_double (f, grp, "delay_ms", s->delay_ms, error)
                && wslfp_h5_set_attr_string (f, grp, "kernel", kernel, error);
  if (ok && s->cells_um != NULL && s->cells_problem == NULL)
    {
      g_autofree char *xyz = g_strdup_printf ("%s/xyz_um", grp);
      g_autofree char *o = g_strdup_printf ("%s/orientation", grp);
      hsize_t c_dims[2] = { s->n_cells, 3 }, o_dims[2] = { s->n_cells_orientations, 3 }, one[1] = { 3 };
      ok = wslfp_h5_write_doubles (f, xyz, 2, c_dims, s->cells_um, FALSE, error)
           && (s->cells_orientation == NULL
               || (s->n_cells_orientations == 1
                     ? wslfp_h5_write_doubles (f, o, 1, one, s->cells_orientation, FALSE, error)
                     : wslfp_h5_write_doubles (f, o, 2, o_dims, s->cells_orientation, FALSE, error)));
    }
  if (!ok)
    return FALSE;
  switch (s->weights_kind)
    {
    case WSLFP_WEIGHTS_CSR:
      {
        g_autofree char *ptr = g_strdup_printf ("%s/indptr", w);
        g_autofree char *ind = g_strdup_printf ("%s/indices", w);
        g_autofree char *dat = g_strdup_printf ("%s/data", w);
        g_autofree char *del = g_strdup_printf ("%s/delays_ms", w);
        hsize_t n_ptr[1] = { s->n_pre + 1 }, nnz[1] = { (hsize_t) s->indptr[s->n_pre] };
        gint64 shape[2] = { (gint64) s->n_pre, (gint64) ds->n_sources };
        return wslfp_h5_write_ints (f, ptr, 1, n_ptr, s->indptr, error)
               && wslfp_h5_write_ints (f, ind, 1, nnz, s->indices, error)
               && wslfp_h5_write_doubles (f, dat, 1, nnz, s->data, FALSE, error)
               && (s->delays_ms == NULL || wslfp_h5_write_doubles (f, del, 1, nnz, s->delays_ms, FALSE, error))
               && wslfp_h5_set_attr_ints (f, w, "shape", 2, shape, error);
      }
    case WSLFP_WEIGHTS_DENSE:
      {
        hsize_t dims[2] = { s->n_pre, ds->n_sources };
        return wslfp_h5_write_doubles (f, w, 2, dims, s->data, FALSE, error);
      }
    case WSLFP_WEIGHTS_SCALAR:
      return wslfp_h5_write_doubles (f, w, 0, NULL, &s->scalar, FALSE, error);
    }
  return TRUE;
}

gboolean
wslfp_dataset_write (const WslfpDataset *ds, const char *path, GError **error)
{
  WslfpAtomicFile out;
  if (ds->counted_only)
    {
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_INVALID, "%s was read to be described only", ds->path);
      return FALSE;
    }
  for (int g = 0; g < WSLFP_N_SPIKE_GROUPS; g++)
    if (ds->spikes[g].present && ds->spikes[g].problem != NULL)
      {
        g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_INVALID, "%s", ds->spikes[g].problem);
        return FALSE;
      }
  for (int k = 0; k < WSLFP_N_CURRENTS; k++)
    if (ds->currents[k].present)
      {
        g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_INVALID,
                     "%s: writing datasets with currents is not supported (it is one already)", ds->path);
        return FALSE;
      }
  wslfp_h5_init ();
  if (!wslfp_atomic_begin (&out, path, error))
    return FALSE;
  hid_t f = wslfp_h5_create_output (&out, error);
  if (f < 0)
    {
      wslfp_atomic_abort (&out);
      return FALSE;
    }
  hsize_t src_dims[2] = { ds->n_sources, 3 };
  gboolean ok = wslfp_h5_write_doubles (f, "/sources/xyz_um", 2, src_dims, ds->sources_um, FALSE, error)
                && wslfp_h5_set_attr_string (f, "/sources/xyz_um", "coords_are",
                                             ds->coords == WSLFP_COORDS_SOMATA ? "somata" : "dipole_centers", error);
  if (ok && ds->n_electrodes > 0)
    {
      hsize_t e_dims[2] = { ds->n_electrodes, 3 }, s_dims[1] = { ds->n_electrodes };
      g_autofree gint64 *shank = g_new (gint64, ds->n_electrodes);
      for (gsize e = 0; e < ds->n_electrodes; e++)
        shank[e] = ds->shank[e];
      ok = wslfp_h5_write_doubles (f, "/electrodes/xyz_um", 2, e_dims, ds->electrodes_um, FALSE, error)
           && wslfp_h5_write_ints (f, "/electrodes/shank", 1, s_dims, shank, error);
    }
  if (ok && ds->orientation != NULL)
    {
      hsize_t dims[2] = { ds->n_orientations, 3 }, one[1] = { 3 };
      ok = ds->n_orientations == 1 ? wslfp_h5_write_doubles (f, "/sources/orientation", 1, one, ds->orientation, FALSE, error)
                                   : wslfp_h5_write_doubles (f, "/sources/orientation", 2, dims, ds->orientation, FALSE, error);
    }
  if (ok && ds->dendrite_length_um != NULL)
    {
      hsize_t dims[1] = { ds->n_lengths };
      ok = ds->n_lengths == 1
             ? wslfp_h5_write_doubles (f, "/sources/dendrite_length_um", 0, NULL, ds->dendrite_length_um, FALSE, error)
             : wslfp_h5_write_doubles (f, "/sources/dendrite_length_um", 1, dims, ds->dendrite_length_um, FALSE, error);
    }
  for (int g = 0; g < WSLFP_N_SPIKE_GROUPS && ok; g++)
    if (ds->spikes[g].present)
      ok = write_spikes (f, ds, g, error);
  if (ok && ds->t_default_set)
    {
      ok = wslfp_h5_set_attr_double (f, "/", "t_eval_start_ms", ds->t_default_ms[0], error)
           && wslfp_h5_set_attr_double (f, "/", "t_eval_stop_ms", ds->t_default_ms[1], error)
           && wslfp_h5_set_attr_double (f, "/", "t_eval_step_ms", ds->t_default_ms[2], error);
    }
  if (ok)
    {
      g_autofree char *from = g_canonicalize_filename (ds->path, NULL);
      ok = wslfp_h5_set_attr_string (f, "/", "converted_from", from, error);
    }
  ok = wslfp_h5_finish_output (&out, f, ok, error);
  if (!ok)
    {
      wslfp_atomic_abort (&out);
      return FALSE;
    }
  return wslfp_atomic_commit (&out, error);
}
