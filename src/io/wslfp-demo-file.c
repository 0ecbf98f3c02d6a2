/* wslfp-demo-file.c: the demo network as a dataset, in a file or in memory. */
#include "wslfp-demo-file.h"

#include "wslfp-dataset.h"
#include "wslfp-h5.h"

static gboolean
write_group (hid_t f, const char *name, const WslfpDemoSpikes *g, gsize n_targets, const double *cells_um,
             GError **error)
{
  g_autofree char *xyz = g_strdup_printf ("/spikes/%s/xyz_um", name);
  hsize_t c_dims[2] = { g->n_pre, 3 };
  g_autofree char *grp = g_strdup_printf ("/spikes/%s", name);
  g_autofree char *t = g_strdup_printf ("%s/t_ms", grp);
  g_autofree char *i = g_strdup_printf ("%s/i", grp);
  g_autofree char *w = g_strdup_printf ("%s/weights", grp);
  g_autofree char *ptr = g_strdup_printf ("%s/indptr", w);
  g_autofree char *ind = g_strdup_printf ("%s/indices", w);
  g_autofree char *dat = g_strdup_printf ("%s/data", w);
  hsize_t n_spk[1] = { g->n_spikes }, n_ptr[1] = { g->n_pre + 1 }, nnz[1] = { (hsize_t) g->indptr[g->n_pre] };
  gint64 shape[2] = { (gint64) g->n_pre, (gint64) n_targets };
  return wslfp_h5_write_doubles (f, t, 1, n_spk, g->t_ms, FALSE, error)
         && wslfp_h5_write_ints (f, i, 1, n_spk, (const gint64 *) g->neuron, error)
         && wslfp_h5_write_ints (f, ptr, 1, n_ptr, (const gint64 *) g->indptr, error)
         && wslfp_h5_write_ints (f, ind, 1, nnz, (const gint64 *) g->indices, error)
         && wslfp_h5_write_doubles (f, dat, 1, nnz, g->weights, FALSE, error)
         && wslfp_h5_set_attr_ints (f, w, "shape", 2, shape, error)
         && wslfp_h5_set_attr_double (f, grp, "tau_rise_ms", g->tau_rise_ms, error)
         && wslfp_h5_set_attr_double (f, grp, "tau_decay_ms", g->tau_decay_ms, error)
         && wslfp_h5_set_attr_double (f, grp, "delay_ms", g->delay_ms, error)
         && wslfp_h5_set_attr_string (f, grp, "kernel", "ode", error)
         && wslfp_h5_write_doubles (f, xyz, 2, c_dims, cells_um, FALSE, error);
}

gboolean
wslfp_demo_file_write (const WslfpDemoNetwork *net, const char *path, GError **error)
{
  WslfpAtomicFile out;
  double probe[WSLFP_DEMO_PROBE_SHANKS * WSLFP_DEMO_PROBE_CONTACTS * 3];
  int shank[WSLFP_DEMO_PROBE_SHANKS * WSLFP_DEMO_PROBE_CONTACTS];
  gint64 shank64[WSLFP_DEMO_PROBE_SHANKS * WSLFP_DEMO_PROBE_CONTACTS];
  const gsize E = WSLFP_DEMO_PROBE_SHANKS * WSLFP_DEMO_PROBE_CONTACTS;

  wslfp_h5_init ();
  wslfp_demo_probe (probe, shank);
  for (gsize e = 0; e < E; e++)
    shank64[e] = shank[e];
  if (!wslfp_atomic_begin (&out, path, error))
    return FALSE;
  hid_t f = wslfp_h5_create_output (&out, error);
  if (f < 0)
    {
      wslfp_atomic_abort (&out);
      return FALSE;
    }
  hsize_t e_dims[2] = { E, 3 }, s_dims[1] = { E }, src_dims[2] = { net->n_exc, 3 };
  hsize_t t_dims[1] = { net->n_steps }, i_dims[2] = { net->n_steps, net->n_exc };
  gboolean ok = wslfp_h5_write_doubles (f, "/electrodes/xyz_um", 2, e_dims, probe, FALSE, error)
                && wslfp_h5_write_ints (f, "/electrodes/shank", 1, s_dims, shank64, error)
                && wslfp_h5_write_doubles (f, "/sources/xyz_um", 2, src_dims, net->somata_um, FALSE, error)
                && wslfp_h5_set_attr_string (f, "/sources/xyz_um", "coords_are", "somata", error)
                && wslfp_h5_write_doubles (f, "/currents/ampa/t_ms", 1, t_dims, net->t_ms, FALSE, error)
                && wslfp_h5_write_doubles (f, "/currents/ampa/I", 2, i_dims, net->i_ampa, FALSE, error)
                && wslfp_h5_write_doubles (f, "/currents/gaba/t_ms", 1, t_dims, net->t_ms, FALSE, error)
                && wslfp_h5_write_doubles (f, "/currents/gaba/I", 2, i_dims, net->i_gaba, FALSE, error)
                && wslfp_h5_set_attr_string (f, "/currents/ampa/I", "units", "nA", error)
                && wslfp_h5_set_attr_string (f, "/currents/gaba/I", "units", "nA", error)
                && write_group (f, "exc", &net->exc, net->n_exc, net->somata_um, error)
                && write_group (f, "inh", &net->inh, net->n_exc, net->inh_somata_um, error)
                && wslfp_h5_set_attr_double (f, "/", "demo_n_exc", (double) net->n_exc, error)
                && wslfp_h5_set_attr_double (f, "/", "demo_n_inh", (double) net->n_inh, error)
                && wslfp_h5_set_attr_double (f, "/", "demo_dt_ms", net->dt_ms, error);
  ok = wslfp_h5_finish_output (&out, f, ok, error);
  if (!ok)
    {
      wslfp_atomic_abort (&out);
      return FALSE;
    }
  return wslfp_atomic_commit (&out, error);
}

static void
demo_spikes (WslfpDatasetSpikes *out, const WslfpDemoSpikes *g, const double *cells_um)
{
  out->n_cells = g->n_pre;
  out->cells_um = g_memdup2 (cells_um, MAX (g->n_pre, 1) * 3 * sizeof (double));
  gsize nnz = (gsize) g->indptr[g->n_pre];
  out->present = TRUE;
  out->n_spikes = g->n_spikes;
  out->t_ms = g_memdup2 (g->t_ms, MAX (g->n_spikes, 1) * sizeof (double));
  out->neuron = g_memdup2 (g->neuron, MAX (g->n_spikes, 1) * sizeof (gint64));
  out->n_pre = g->n_pre;
  out->weights_kind = WSLFP_WEIGHTS_CSR;
  out->indptr = g_memdup2 (g->indptr, (g->n_pre + 1) * sizeof (gint64));
  out->indices = g_memdup2 (g->indices, MAX (nnz, 1) * sizeof (gint64));
  out->data = g_memdup2 (g->weights, MAX (nnz, 1) * sizeof (double));
  out->tau_rise_ms = g->tau_rise_ms;
  out->tau_decay_ms = g->tau_decay_ms;
  out->delay_ms = g->delay_ms;
  out->scale = WSLFP_KERNEL_ODE;
}

WslfpDataset *
wslfp_demo_dataset_new (const WslfpDemoNetwork *net, const char *name)
{
  const gsize E = WSLFP_DEMO_PROBE_SHANKS * WSLFP_DEMO_PROBE_CONTACTS;
  WslfpDataset *ds = g_new0 (WslfpDataset, 1);
  ds->path = g_strdup (name);
  ds->n_electrodes = E;
  ds->electrodes_um = g_new (double, E * 3);
  ds->shank = g_new (int, E);
  wslfp_demo_probe (ds->electrodes_um, ds->shank);
  ds->n_shanks = WSLFP_DEMO_PROBE_SHANKS;
  ds->n_sources = net->n_exc;
  ds->sources_um = g_memdup2 (net->somata_um, net->n_exc * 3 * sizeof (double));
  ds->coords = WSLFP_COORDS_SOMATA;
  const double *values[WSLFP_N_CURRENTS] = { net->i_ampa, net->i_gaba };
  for (int k = 0; k < WSLFP_N_CURRENTS; k++)
    {
      WslfpDatasetCurrents *c = &ds->currents[k];
      c->present = TRUE;
      c->n_times = net->n_steps;
      c->n_sources = net->n_exc;
      c->t_ms = g_memdup2 (net->t_ms, net->n_steps * sizeof (double));
      c->values = g_memdup2 (values[k], net->n_steps * net->n_exc * sizeof (double));
    }
  /* the excitatory cells are the sources */
  demo_spikes (&ds->spikes[WSLFP_SPIKES_EXC], &net->exc, net->somata_um);
  demo_spikes (&ds->spikes[WSLFP_SPIKES_INH], &net->inh, net->inh_somata_um);
  return ds;
}
