/* wslfp-cli-compute.c: `wslfp compute IN.h5 -o OUT.h5|OUT.csv`. */
#include "wslfp-cli.h"
#include "wslfp-cli-mpi.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "wslfp-dataset.h"
#include "wslfp-h5.h"
#include "wslfp-lfp.h"
#include "wslfp-probe-file.h"
#include "wslfp-profile-file.h"
#include "wslfp-sonata-config.h"

/* @spec as a probe file's path, or NULL when it names a probe instead. */
static const char *
named_or_file (const char *spec)
{
  if (spec == NULL || strcmp (spec, "dataset") == 0 || g_str_has_prefix (spec, "preset:")
      || g_str_has_prefix (spec, "shanks:"))
    return NULL;
  return spec;
}

/* --electrodes preset:ID or shanks:N,SPACING,CONTACTS,PITCH (the probes
 * the Explorer offers): 1 with *@layout set, 0 if @spec is no such name
 * (a file, then), 2 after a usage message. */
static int
probe_layout_by_name (const char *spec, WslfpProbeLayout **layout)
{
  if (g_str_has_prefix (spec, "preset:"))
    {
      *layout = wslfp_probe_layout_new_preset (spec + 7);
      if (*layout != NULL)
        return 1;
      g_autofree char *ids = g_strjoinv (", ", (char **) wslfp_probe_layout_preset_ids ());
      wslfp_cli_usage ("compute", "--electrodes %s: the presets are %s", spec, ids);
      return 2;
    }
  if (g_str_has_prefix (spec, "shanks:"))
    {
      double v[4];
      if (!wslfp_cli_parse_list (spec + 7, ",", 4, v) || v[0] < 1 || v[0] > 64 || v[0] != floor (v[0]) || v[2] < 1
          || v[2] > 1024 || v[2] != floor (v[2]) || !(v[1] > 0) || !(v[3] > 0))
        {
          wslfp_cli_usage ("compute", "--electrodes shanks:N,SPACING,CONTACTS,PITCH expects 1-64 shanks SPACING µm "
                                      "apart with 1-1024 contacts PITCH µm apart, not \"%s\"", spec);
          return 2;
        }
      *layout = wslfp_probe_layout_new_shanks ((int) v[0], v[1], (int) v[2], v[3]);
      return 1;
    }
  return 0;
}

int
wslfp_cli_compute (int argc, char **argv)
{
  g_autofree char *output = NULL, *profile = NULL, *t_eval = NULL, *kernel = NULL, *electrodes = NULL;
  g_autofree char *tau_exc = NULL, *tau_inh = NULL, *proxy_name = NULL, *tk_sigma = NULL;
  g_autofree char *probe_offset = NULL, *probe_rotate = NULL, *probe_description = NULL, *precision = NULL;
  int threads = 0;
  /* NaN: not given (the WSLFP settings are refused with TKLFP) */
  double alpha = NAN, tau_ampa = NAN, tau_gaba = NAN;
  double length = 0, tk_lambda = NAN, tk_va = NAN, tk_delay = NAN;
  gboolean population = FALSE, no_normalize = FALSE, strict = FALSE, from_spikes = FALSE;
  int status = WSLFP_EXIT_OK;
  GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "Write the LFP to OUT (.h5, or .csv for spreadsheets)", "OUT" },
    { "proxy", 0, 0, G_OPTION_ARG_STRING, &proxy_name, "wslfp (default: the weighted sum of currents, Mazzoni, Lindén et al. 2015) or tklfp (the kernel LFP of spikes, Teleńczuk et al. 2020)", "NAME" },
    { "tklfp-sigma-ms", 0, 0, G_OPTION_ARG_STRING, &tk_sigma, "TKLFP: the uLFPs' temporal spread of excitatory and inhibitory cells (default 3.15,2.1)", "EXC,INH" },
    { "tklfp-lambda-mm", 0, 0, G_OPTION_ARG_DOUBLE, &tk_lambda, "TKLFP: the space constant (default 0.2)", "L" },
    { "tklfp-velocity-m-s", 0, 0, G_OPTION_ARG_DOUBLE, &tk_va, "TKLFP: the axonal velocity (default 0.2)", "V" },
    { "tklfp-delay-ms", 0, 0, G_OPTION_ARG_DOUBLE, &tk_delay, "TKLFP: the constant delay (default 10.4)", "D" },
    { "profile", 0, 0, G_OPTION_ARG_STRING, &profile, "Amplitude profile: mazzoni15, mazzoni15_single (default), aussel18, or a grid GRID.csv of r_um,d_um,amp_uV rows", "NAME" },
    { "population", 0, 0, G_OPTION_ARG_NONE, &population, "One source at the population centre, summed currents", NULL },
    { "alpha", 0, 0, G_OPTION_ARG_DOUBLE, &alpha, "Weight of the GABA current (default 1.65)", "A" },
    { "tau-ampa-ms", 0, 0, G_OPTION_ARG_DOUBLE, &tau_ampa, "Delay of the AMPA current (default 6)", "T" },
    { "tau-gaba-ms", 0, 0, G_OPTION_ARG_DOUBLE, &tau_gaba, "Delay of the GABA current (default 0)", "T" },
    { "no-normalize", 0, 0, G_OPTION_ARG_NONE, &no_normalize, "Keep the raw weighted sum", NULL },
    { "strict", 0, 0, G_OPTION_ARG_NONE, &strict, "Fail when a delayed time falls outside the currents", NULL },
    { "t-eval", 0, 0, G_OPTION_ARG_STRING, &t_eval, "Evaluation times START:STOP:STEP in ms, STOP exclusive (default: the AMPA sample times)", "START:STOP:STEP" },
    { "from-spikes", 0, 0, G_OPTION_ARG_NONE, &from_spikes, "Build the currents from /spikes with each group's kernel", NULL },
    { "kernel", 0, 0, G_OPTION_ARG_STRING, &kernel, "With --from-spikes: kernel scale peak, ode (default) or unit", "KIND" },
    { "tau-exc-ms", 0, 0, G_OPTION_ARG_STRING, &tau_exc, "From spikes: the exc (AMPA) kernel's rise and decay time constants (default: the file's, or 0.4,2)", "RISE,DECAY" },
    { "tau-inh-ms", 0, 0, G_OPTION_ARG_STRING, &tau_inh, "From spikes: the inh (GABA) kernel's rise and decay time constants (default: the file's, or 0.25,5)", "RISE,DECAY" },
    { "electrodes", 0, 0, G_OPTION_ARG_FILENAME, &electrodes, "Use the probe in PROBE.json (probeinterface) or PROBE.csv (x_um,y_um,z_um[,shank]), a preset (preset:neuropixels-1.0, …), parametric shanks (shanks:N,SPACING,CONTACTS,PITCH) or the dataset's own contacts (dataset) instead of /electrodes", "PROBE" },
    { "probe-offset-um", 0, 0, G_OPTION_ARG_STRING, &probe_offset, "With --electrodes: move the probe by X,Y,Z µm", "X,Y,Z" },
    { "probe-rotate-deg", 0, 0, G_OPTION_ARG_STRING, &probe_rotate, "With --electrodes: turn the probe about its contacts' centre: azimuth (about z), tilt (from vertical, towards −y) and roll (about its own axis), in degrees", "AZ,TILT,ROLL" },
    { "dendrite-length-um", 0, 0, G_OPTION_ARG_DOUBLE, &length, "Override every source's apical dendrite length", "L" },
    { "precision", 0, 0, G_OPTION_ARG_STRING, &precision, "auto (default: float32 currents are multiplied in single precision, within 1e-6 of the peak of the double result) or double (exact)", "P" },
    { "threads", 0, 0, G_OPTION_ARG_INT, &threads, "Worker threads (default: one per core)", "N" },
    { NULL },
  };
  g_auto (WslfpCliNetwork) network = { 0 };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("IN.h5|CONFIG.json -o OUT — compute the LFP of a dataset or a SONATA network");
  g_option_context_add_main_entries (ctx, entries, NULL);
  wslfp_cli_network_add_entries (ctx, &network);
  g_option_context_set_description (ctx, "Reads currents in blocks, so files larger than memory work.  The input is\n"
                                         "never modified; OUT is written to a temporary file and renamed into place.\n\n"
                                         "Probes: a 2-D probeinterface probe lies in the x–z plane (its x is x, its y\n"
                                         "is z, towards the apex; y = 0).  --probe-rotate-deg turns it about the\n"
                                         "centre of its contacts by Rz(AZ)·Rx(TILT)·Rz(ROLL); --probe-offset-um then\n"
                                         "moves it.  The shanks are stored in /electrodes/shank.  The presets are\n"
                                         "neuropixels-1.0 (bank 0), neuropixels-2.0-4shank, linear-32, tetrode and\n"
                                         "utah-10x10; shanks:N,SPACING,CONTACTS,PITCH is N shanks SPACING µm apart in\n"
                                         "x, each with CONTACTS contacts PITCH µm apart in z (the Explorer's probe).\n");
  /* The command as given, recorded in the output (parsing consumes it). */
  g_autoptr (GString) command = g_string_new ("wslfp compute");
  for (int i = 1; i < argc; i++)
    {
      g_autofree char *word = wslfp_shell_word (argv[i]);
      g_string_append_printf (command, " %s", word);
    }
  if (!wslfp_cli_parse (ctx, entries, "compute", &argc, &argv, &status))
    return status;
  if (argc != 2)
    return wslfp_cli_usage ("compute", "expected one input file, got %d", argc - 1);
  if (output == NULL)
    return wslfp_cli_usage ("compute", "missing -o OUT.h5 or OUT.csv");

  WslfpJobSettings s;
  wslfp_job_settings_init (&s);
  g_autoptr (GError) error = NULL;
  if (proxy_name != NULL && !wslfp_proxy_from_string (proxy_name, &s.proxy))
    return wslfp_cli_usage ("compute", "--proxy must be wslfp or tklfp, not \"%s\"", proxy_name);
  if (s.proxy == WSLFP_PROXY_TKLFP)
    {
      /* WSLFP's own settings mean nothing to TKLFP: say so rather than ignore them */
      const struct { const char *option; gboolean given; } wslfp_only[] = {
        { "--profile", profile != NULL }, { "--population", population }, { "--alpha", !isnan (alpha) },
        { "--tau-ampa-ms", !isnan (tau_ampa) }, { "--tau-gaba-ms", !isnan (tau_gaba) },
        { "--no-normalize", no_normalize }, { "--strict", strict }, { "--from-spikes", from_spikes },
        { "--kernel", kernel != NULL }, { "--tau-exc-ms", tau_exc != NULL }, { "--tau-inh-ms", tau_inh != NULL },
        { "--dendrite-length-um", length != 0 }, { "--precision", precision != NULL },
      };
      for (gsize i = 0; i < G_N_ELEMENTS (wslfp_only); i++)
        if (wslfp_only[i].given)
          return wslfp_cli_usage ("compute", "%s is a WSLFP setting; TKLFP (--proxy tklfp) takes --tklfp-sigma-ms, "
                                             "--tklfp-lambda-mm, --tklfp-velocity-m-s and --tklfp-delay-ms",
                                  wslfp_only[i].option);
      double sig[2];
      if (tk_sigma != NULL && (!wslfp_cli_parse_list (tk_sigma, ",", 2, sig) || !(sig[0] > 0) || !(sig[1] > 0)))
        return wslfp_cli_usage ("compute", "--tklfp-sigma-ms expects EXC,INH in ms, both > 0, not \"%s\"", tk_sigma);
      if (tk_sigma != NULL)
        s.tklfp.sigma_exc_ms = sig[0], s.tklfp.sigma_inh_ms = sig[1];
      const struct { const char *option; double v; double *field; gboolean positive; } numbers[] = {
        { "--tklfp-lambda-mm", tk_lambda, &s.tklfp.lambda_mm, TRUE },
        { "--tklfp-velocity-m-s", tk_va, &s.tklfp.va_m_s, TRUE },
        { "--tklfp-delay-ms", tk_delay, &s.tklfp.delay_ms, FALSE },
      };
      for (gsize i = 0; i < G_N_ELEMENTS (numbers); i++)
        if (!isnan (numbers[i].v))
          {
            if (!isfinite (numbers[i].v) || (numbers[i].positive && !(numbers[i].v > 0)))
              return wslfp_cli_usage ("compute", "%s must be a finite number%s, not %g", numbers[i].option,
                                      numbers[i].positive ? " > 0" : "", numbers[i].v);
            *numbers[i].field = numbers[i].v;
          }
    }
  else if (tk_sigma != NULL || !isnan (tk_lambda) || !isnan (tk_va) || !isnan (tk_delay))
    return wslfp_cli_usage ("compute", "the --tklfp-* settings need --proxy tklfp");
  if (isnan (alpha))
    alpha = WSLFP_DEFAULT_ALPHA;
  if (isnan (tau_ampa))
    tau_ampa = WSLFP_DEFAULT_TAU_AMPA_MS;
  if (isnan (tau_gaba))
    tau_gaba = WSLFP_DEFAULT_TAU_GABA_MS;
  g_autoptr (WslfpProfile) chosen = NULL;
  if (profile != NULL)
    {
      if (!wslfp_cli_profile_new ("compute", profile, &chosen, &status))
        return status;
      if (wslfp_profile_get_kind (chosen) == WSLFP_PROFILE_CUSTOM)
        s.custom_profile = chosen;
      else
        s.profile = wslfp_profile_get_kind (chosen);
    }
  if (kernel != NULL)
    {
      s.kernel_set = TRUE;
      if (strcmp (kernel, "peak") == 0)
        s.kernel = WSLFP_KERNEL_PEAK;
      else if (strcmp (kernel, "ode") == 0)
        s.kernel = WSLFP_KERNEL_ODE;
      else if (strcmp (kernel, "unit") == 0)
        s.kernel = WSLFP_KERNEL_UNIT;
      else
        return wslfp_cli_usage ("compute", "--kernel must be peak, ode or unit, not \"%s\"", kernel);
      if (!from_spikes && !wslfp_sonata_config_is_config (argv[1]))
        return wslfp_cli_usage ("compute", "--kernel only applies with --from-spikes (or a SONATA network)");
    }
  const char *taus[WSLFP_N_SPIKE_GROUPS] = { tau_exc, tau_inh };
  for (int g = 0; g < WSLFP_N_SPIKE_GROUPS; g++)
    if (taus[g] != NULL)
      {
        double v[2];
        const char *opt = g == WSLFP_SPIKES_EXC ? "--tau-exc-ms" : "--tau-inh-ms";
        if (!wslfp_cli_parse_list (taus[g], ",", 2, v) || !(v[0] > 0) || !(v[1] > v[0]))
          return wslfp_cli_usage ("compute", "%s expects RISE,DECAY in ms with 0 < RISE < DECAY, not \"%s\"", opt,
                                  taus[g]);
        if (!from_spikes && !wslfp_sonata_config_is_config (argv[1]))
          return wslfp_cli_usage ("compute", "%s only applies with --from-spikes (or a SONATA network)", opt);
        s.tau_set[g] = TRUE;
        s.tau_rise_ms[g] = v[0];
        s.tau_decay_ms[g] = v[1];
      }
  if (t_eval != NULL)
    {
      double r[3];
      if (!wslfp_cli_parse_numbers (t_eval, 3, r))
        return wslfp_cli_usage ("compute", "--t-eval expects START:STOP:STEP in ms, not \"%s\"", t_eval);
      if (!(r[2] > 0) || !(r[1] > r[0]))
        return wslfp_cli_usage ("compute", "--t-eval %s: STEP must be > 0 and STOP > START", t_eval);
      s.t_eval_set = TRUE;
      s.t_start_ms = r[0];
      s.t_stop_ms = r[1];
      s.t_step_ms = r[2];
    }
  if (!isfinite (alpha) || !isfinite (tau_ampa) || !isfinite (tau_gaba))
    return wslfp_cli_usage ("compute", "--alpha and the delays must be finite numbers");
  if (precision != NULL && strcmp (precision, "auto") != 0 && strcmp (precision, "double") != 0)
    return wslfp_cli_usage ("compute", "--precision must be auto or double, not \"%s\"", precision);
  if (threads < 0 || threads > 256)
    return wslfp_cli_usage ("compute", "--threads must be between 1 and 256 (0: one per core), not %d", threads);
  s.precision = g_strcmp0 (precision, "double") == 0 ? WSLFP_PRECISION_DOUBLE : WSLFP_PRECISION_AUTO;
  s.n_threads = (guint) threads;
  if (length < 0 || !isfinite (length))
    return wslfp_cli_usage ("compute", "--dendrite-length-um must be a positive number");
  s.population = population;
  s.options.alpha = alpha;
  s.options.tau_ampa_ms = tau_ampa;
  s.options.tau_gaba_ms = tau_gaba;
  s.options.normalize = !no_normalize;
  s.options.strict = strict;
  s.from_spikes = from_spikes;
  s.dendrite_length_um = length;

  g_autofree double *probe = NULL;
  g_autofree int *shank = NULL;
  WslfpPlacement place = { { 0, 0, 0 }, 0, 0, 0 };
  double offset[3] = { 0, 0, 0 }, angles[3] = { 0, 0, 0 };
  if ((probe_offset || probe_rotate) && electrodes == NULL)
    return wslfp_cli_usage ("compute", "--probe-offset-um and --probe-rotate-deg place the probe given with --electrodes");
  if (probe_offset && !wslfp_cli_parse_list (probe_offset, ",", 3, offset))
    return wslfp_cli_usage ("compute", "--probe-offset-um expects X,Y,Z in µm, not \"%s\"", probe_offset);
  if (probe_rotate && !wslfp_cli_parse_list (probe_rotate, ",", 3, angles))
    return wslfp_cli_usage ("compute", "--probe-rotate-deg expects AZ,TILT,ROLL in degrees, not \"%s\"", probe_rotate);
  /* A named probe (preset or parametric) is known now; the dataset's own
   * contacts once it is open; a file is read (and checked) first. */
  WslfpProbeLayout *layout = NULL;
  gboolean from_dataset = g_strcmp0 (electrodes, "dataset") == 0;
  if (electrodes != NULL && !from_dataset)
    {
      int named = probe_layout_by_name (electrodes, &layout);
      if (named == 2)
        return WSLFP_EXIT_USAGE;
      if (named == 0 && (layout = wslfp_probe_layout_read (electrodes, &error)) == NULL)
        return wslfp_cli_fail ("compute", error);
    }
  const char *inputs[] = { argv[1], named_or_file (electrodes), profile };
  if (!wslfp_cli_check_output (output, &error) || !wslfp_output_check_not_input (output, inputs, 3, &error))
    {
      wslfp_probe_layout_free (layout);
      return wslfp_cli_fail ("compute", error);
    }

  g_autoptr (WslfpDataset) ds = wslfp_cli_open_dataset (argv[1], &network, &error);
  if (ds == NULL || (ds->input_files != NULL
                     && !wslfp_output_check_not_input (output, (const char *const *) ds->input_files,
                                                    g_strv_length (ds->input_files), &error)))
    {
      wslfp_probe_layout_free (layout);
      return wslfp_cli_fail ("compute", error);
    }
  /* A network from another format has spikes only. */
  if (ds->spikes_only)
    s.from_spikes = TRUE;
  if (from_dataset && ds->n_electrodes == 0)
    {
      wslfp_probe_layout_free (layout);
      g_set_error (&error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT,
                   "%s has no electrodes of its own (--electrodes dataset): give a probe file or a preset", argv[1]);
      return wslfp_cli_fail ("compute", error);
    }
  if (from_dataset)
    layout = wslfp_probe_layout_new ("dataset", ds->electrodes_um, ds->shank, ds->n_electrodes);
  if (layout != NULL)
    {
      /* Placed about the contacts' centre, which the offset then moves. */
      wslfp_probe_layout_center (layout, place.center_um);
      for (int k = 0; k < 3; k++)
        place.center_um[k] += offset[k];
      place.azimuth_deg = angles[0];
      place.tilt_deg = angles[1];
      place.roll_deg = angles[2];
      probe = wslfp_probe_layout_place (layout, &place);
      shank = g_new (int, MAX (layout->n_contacts, 1));
      for (gsize e = 0; e < layout->n_contacts; e++)
        shank[e] = layout->shank_ids[layout->shank[e]];
      s.n_electrodes = layout->n_contacts;
      s.electrodes_um = probe;
      s.shank = shank;
      g_autofree char *file = named_or_file (electrodes) ? g_canonicalize_filename (electrodes, NULL)
                                                           : g_strdup (electrodes);
      g_autofree char *placed = wslfp_placement_describe (&place);
      probe_description = g_strdup_printf ("%s, %s", file, placed);
      s.probe_description = probe_description;
      wslfp_probe_layout_free (layout);
    }
  WslfpCliProgress progress;
  wslfp_cli_progress_init (&progress, "computing");
  gboolean ok = TRUE;
  g_autoptr (WslfpLfp) lfp = NULL;
  if (wslfp_cli_mpi_size () > 1)
    {
      /* Split across the ranks of an MPI launch; rank 0 writes. */
      gboolean first = wslfp_cli_mpi_rank () == 0;
      lfp = wslfp_cli_mpi_job_run (ds, &s, first ? wslfp_cli_progress_update : NULL, &progress, &ok, &error);
      wslfp_cli_progress_done (&progress);
      if (ok && !first)
        return WSLFP_EXIT_OK;
    }
  else
    {
      lfp = wslfp_job_run (ds, &s, wslfp_cli_progress_update, &progress, &error);
      wslfp_cli_progress_done (&progress);
    }
  if (lfp == NULL || !wslfp_dataset_check_unchanged (ds, &error))
    return wslfp_cli_fail ("compute", error);
  lfp->command = g_string_free (g_steal_pointer (&command), FALSE);
  if (!wslfp_lfp_write (lfp, output, &error))
    return wslfp_cli_fail ("compute", error);
  return WSLFP_EXIT_OK;
}
