/* wslfp-cli-info.c: `wslfp info FILE`. */
#include "wslfp-cli.h"

#include <math.h>
#include <stdio.h>

#include "wslfp-dataset.h"
#include "wslfp-csv.h"
#include "wslfp-lfp.h"
#include "wslfp-probe-file.h"

/* An LFP file: its size, settings and where it came from. */
static int
print_lfp (const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (WslfpLfp) lfp = wslfp_lfp_read (path, &error);
  if (lfp == NULL)
    return wslfp_cli_fail ("info", error);
  printf ("%s: an LFP\n", path);
  printf ("  %zu samples × %zu electrodes on %d shank%s", lfp->n_times, lfp->n_electrodes, lfp->n_shanks,
          lfp->n_shanks == 1 ? "" : "s");
  if (lfp->n_times > 0)
    printf (", t = %g … %g ms", lfp->t_ms[0], lfp->t_ms[lfp->n_times - 1]);
  g_autofree char *proxy = wslfp_lfp_describe_proxy (lfp);
  printf ("\n  proxy %s\n", proxy);
  if (lfp->dendrite_length_um > 0)
    printf ("  dendrite length %g µm (%s)\n", lfp->dendrite_length_um,
            lfp->dendrite_length_from_dataset ? "the dataset's; their mean if per source" : "set for the computation");
  if (lfp->kernel != NULL)
    printf ("  kernel scale: %s\n", lfp->kernel);
  printf ("  evaluation times: %s\n", lfp->t_eval ? lfp->t_eval : "the input's sample times");
  if (lfp->probe != NULL)
    printf ("  probe: %s\n", lfp->probe);
  if (lfp->input_path != NULL)
    {
      printf ("  input: %s", lfp->input_path);
      if (lfp->input_size_bytes >= 0)
        printf (" (%" G_GINT64_FORMAT " bytes)", lfp->input_size_bytes);
      printf ("\n");
    }
  if (lfp->program != NULL)
    printf ("  written by %s\n", lfp->program);
  if (lfp->command != NULL)
    printf ("  command: %s\n", lfp->command);
  return WSLFP_EXIT_OK;
}

static void
print_currents (const WslfpDataset *ds, WslfpCurrentKind k)
{
  const WslfpDatasetCurrents *c = &ds->currents[k];
  const char *name = wslfp_current_kind_name (k);
  if (!c->present)
    printf ("  %s currents: none\n", name);
  else if (c->problem != NULL) /* (currents without samples are one) */
    printf ("  %s currents: unusable: %s\n", name, c->problem);
  else
    {
      double span = c->t_ms[c->n_times - 1] - c->t_ms[0];
      double dt = c->n_times > 1 ? span / (c->n_times - 1) : 0;
      printf ("  %s currents: %zu samples × %zu sources, t = %g … %g ms", name, c->n_times, c->n_sources, c->t_ms[0],
              c->t_ms[c->n_times - 1]);
      if (dt > 0)
        printf (", mean step %.4g ms (%.4g kHz)", dt, 1.0 / dt);
      printf ("\n");
    }
}

static void
print_spikes (const WslfpDataset *ds, WslfpSpikeGroup g)
{
  const WslfpDatasetSpikes *s = &ds->spikes[g];
  const char *name = wslfp_spike_group_name (g);
  if (!s->present)
    {
      printf ("  %s spikes: none\n", name);
      return;
    }
  if (s->problem != NULL)
    {
      printf ("  %s spikes: unusable: %s\n", name, s->problem);
      return;
    }
  double t0 = INFINITY, t1 = -INFINITY;
  for (gsize k = 0; k < s->n_spikes; k++)
    {
      t0 = fmin (t0, s->t_ms[k]);
      t1 = fmax (t1, s->t_ms[k]);
    }
  printf ("  %s spikes: %zu from %zu presynaptic neurons", name, s->n_spikes, s->n_pre);
  if (s->n_spikes > 0)
    {
      /* The rate over the recorded span (currents' when known). */
      double span = t1 - t0;
      const WslfpDatasetCurrents *c = &ds->currents[WSLFP_CURRENT_AMPA];
      if (c->present && c->problem == NULL && c->n_times > 1)
        span = c->t_ms[c->n_times - 1] - c->t_ms[0];
      printf (", t = %g … %g ms", t0, t1);
      if (span > 0 && s->n_pre > 0)
        printf (", mean rate %.3g Hz", s->n_spikes / (double) s->n_pre / (span * 1e-3));
    }
  const char *kinds[] = { "CSR", "dense", "one number" };
  printf ("\n    weights %s; kernel τ_rise %g ms, τ_decay %g ms, delay %g ms, scale %s\n", kinds[s->weights_kind],
          s->tau_rise_ms, s->tau_decay_ms, s->delay_ms,
          s->scale == WSLFP_KERNEL_PEAK ? "peak" : s->scale == WSLFP_KERNEL_UNIT ? "unit" : "ode");
}

int
wslfp_cli_info (int argc, char **argv)
{
  int status = WSLFP_EXIT_OK;
  g_auto (WslfpCliNetwork) network = { 0 };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("FILE — what a dataset, a SONATA network (CONFIG.json) or an LFP file holds");
  wslfp_cli_network_add_entries (ctx, &network);
  g_option_context_set_description (ctx, "Prints counts, time ranges, rates and shanks, and whether the file can be\n"
                                         "computed from currents and from spikes.  For an LFP file from 'compute' or\n"
                                         "the Explorer: its size, the settings that made it and its input.\n");
  if (!wslfp_cli_parse (ctx, NULL, "info", &argc, &argv, &status))
    return status;
  if (argc != 2)
    return wslfp_cli_usage ("info", "expected one FILE, got %d", argc - 1);

  if (wslfp_lfp_file_is_lfp (argv[1]))
    return print_lfp (argv[1]);
  g_autoptr (GError) error = NULL;
  g_autoptr (WslfpDataset) ds = wslfp_cli_open_dataset_for_info (argv[1], &network, &error);
  if (ds == NULL)
    return wslfp_cli_fail ("info", error);

  printf ("%s\n", argv[1]);
  if (ds->summary != NULL)
    printf ("%s", ds->summary);
  if (ds->n_electrodes == 0)
    printf ("  electrodes: none (give a probe: compute --electrodes)\n");
  else
    {
      /* (the centre the Explorer places this probe by) */
      double c[3];
      char cx[WSLFP_NUMBER_LEN], cy[WSLFP_NUMBER_LEN], cz[WSLFP_NUMBER_LEN];
      wslfp_contacts_center (ds->electrodes_um, ds->n_electrodes, c);
      printf ("  electrodes: %zu on %d shank%s, centre at %s, %s, %s µm\n", ds->n_electrodes, ds->n_shanks,
              ds->n_shanks == 1 ? "" : "s", wslfp_format_number (c[0], cx), wslfp_format_number (c[1], cy),
              wslfp_format_number (c[2], cz));
    }
  for (int s = 0; s < ds->n_shanks; s++)
    {
      int count = 0;
      double lo[3] = { INFINITY, INFINITY, INFINITY }, hi[3] = { -INFINITY, -INFINITY, -INFINITY };
      for (gsize e = 0; e < ds->n_electrodes; e++)
        if (ds->shank[e] == s)
          {
            count++;
            for (int k = 0; k < 3; k++)
              {
                lo[k] = fmin (lo[k], ds->electrodes_um[3 * e + k]);
                hi[k] = fmax (hi[k], ds->electrodes_um[3 * e + k]);
              }
          }
      /* Each axis as a value, or the range its contacts span. */
      GString *line = g_string_new (NULL);
      const char *axes = "xyz";
      for (int k = 0; k < 3 && count > 0; k++)
        {
          char a[WSLFP_NUMBER_LEN], b[WSLFP_NUMBER_LEN];
          g_string_append_printf (line, "%s%c = %s", k ? ", " : "", axes[k], wslfp_format_number (lo[k], a));
          if (hi[k] != lo[k])
            g_string_append_printf (line, " … %s", wslfp_format_number (hi[k], b));
        }
      printf ("    shank %d: %d contacts at %s µm\n", s, count, line->str);
      g_string_free (line, TRUE);
    }
  printf ("  sources: %zu (%s)", ds->n_sources, ds->coords == WSLFP_COORDS_SOMATA ? "somata" : "dipole centres");
  printf (", orientation %s, dendrite length %s\n",
          ds->orientation == NULL ? "+z (default)" : ds->n_orientations == 1 ? "shared" : "per source",
          ds->dendrite_length_um == NULL ? "250 µm (default)" : ds->n_lengths == 1 ? "shared" : "per source");
  for (int k = 0; k < WSLFP_N_CURRENTS; k++)
    print_currents (ds, k);
  for (int g = 0; g < WSLFP_N_SPIKE_GROUPS; g++)
    print_spikes (ds, g);

  g_autoptr (GError) why_currents = NULL;
  g_autoptr (GError) why_spikes = NULL;
  gboolean currents_ok = wslfp_dataset_check_currents (ds, &why_currents);
  gboolean spikes_ok = wslfp_dataset_check_spikes (ds, &why_spikes);
  printf ("  compute from currents: %s%s\n", currents_ok ? "yes" : "no: ", currents_ok ? "" : why_currents->message);
  printf ("  compute from spikes (%s): %s%s\n", ds->spikes_only ? "always, for this network" : "--from-spikes",
          spikes_ok ? "yes" : "no: ", spikes_ok ? "" : why_spikes->message);
  /* WSLFP needs currents or spikes with weights; TKLFP the spiking cells' positions */
  g_autoptr (GError) why_tklfp = NULL;
  if (wslfp_dataset_check_tklfp (ds, &why_tklfp))
    printf ("  proxies: WSLFP%s; TKLFP (--proxy tklfp): the spikes of %zu excitatory and %zu inhibitory cells with "
            "positions\n", currents_ok || spikes_ok ? "" : " (not computable, above)",
            wslfp_dataset_tklfp_cells (ds, WSLFP_SPIKES_EXC), wslfp_dataset_tklfp_cells (ds, WSLFP_SPIKES_INH));
  else
    printf ("  proxies: WSLFP%s; TKLFP (--proxy tklfp): no: %s\n",
            currents_ok || spikes_ok ? "" : " (not computable, above)", why_tklfp->message);
  if (ds->t_default_set)
    printf ("  evaluation times: %g:%g:%g ms (the run's; --t-eval to change)\n", ds->t_default_ms[0],
            ds->t_default_ms[1], ds->t_default_ms[2]);
  return WSLFP_EXIT_OK;
}
