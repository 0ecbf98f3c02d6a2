/* wslfp-cli-demo.c: `wslfp demo -o DEMO.h5`: simulate the built-in network. */
#include "wslfp-cli.h"

#include <stdio.h>

#include "wslfp-demo-file.h"
#include "wslfp-demo-network.h"

static int
sim_progress_cb (double fraction, void *user_data)
{
  wslfp_cli_progress_update (fraction, user_data);
  return 0;
}

int
wslfp_cli_demo (int argc, char **argv)
{
  g_autofree char *output = NULL;
  gint64 neurons = 800, seed = 2;
  double duration = 500;
  int status = WSLFP_EXIT_OK;
  GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "Write the dataset to DEMO.h5", "DEMO.h5" },
    { "neurons", 0, 0, G_OPTION_ARG_INT64, &neurons, "Excitatory neurons (default 800; plus a quarter as many inhibitory)", "N" },
    { "duration-ms", 0, 0, G_OPTION_ARG_DOUBLE, &duration, "Simulated time in ms (default 500)", "D" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, "Random seed (default 2)", "S" },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("-o DEMO.h5 — simulate the built-in E/I network");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_set_description (
    ctx, "A balanced network of leaky integrate-and-fire neurons (the original wslfp README's example):\n"
         "N excitatory and N/4 inhibitory cells, connection probability 0.1 (above N = 800: 80 excitatory\n"
         "and 20 inhibitory inputs per cell on average, so larger networks stay asynchronous at 6-8 Hz),\n"
         "biexponential AMPA and GABA currents, 1000 Poisson inputs at 9 Hz per cell; somata in a 500 µm\n"
         "cube; a 3-shank probe.  Writes currents, spikes and weights, so both `wslfp compute` modes work\n"
         "on the file.  Prints the firing rates.\n");
  if (!wslfp_cli_parse (ctx, entries, "demo", &argc, &argv, &status))
    return status;
  if (argc != 1)
    return wslfp_cli_usage ("demo", "unexpected argument '%s'", argv[1]);
  if (output == NULL)
    return wslfp_cli_usage ("demo", "missing -o DEMO.h5");
  if (neurons < 4 || neurons > 200000)
    return wslfp_cli_usage ("demo", "--neurons must be between 4 and 200000");
  if (!(duration > 0 && duration <= 600000))
    return wslfp_cli_usage ("demo", "--duration-ms must be in (0, 600000]");
  if (seed < 0)
    return wslfp_cli_usage ("demo", "--seed must be >= 0");

  g_autoptr (GError) error = NULL;
  if (!wslfp_cli_check_output (output, &error))
    return wslfp_cli_fail ("demo", error);

  WslfpDemoParams params;
  wslfp_demo_params_init (&params);
  params.n_exc = (size_t) neurons;
  params.duration_ms = duration;
  params.seed = (uint64_t) seed;
  WslfpCliProgress progress;
  char message[256];
  wslfp_cli_progress_init (&progress, "simulating");
  gint64 t0 = g_get_monotonic_time ();
  WslfpDemoNetwork *net = wslfp_demo_network_run (&params, sim_progress_cb, &progress, message, sizeof message);
  wslfp_cli_progress_done (&progress);
  if (net == NULL)
    {
      g_printerr ("wslfp demo: %s\n", message);
      return WSLFP_EXIT_FAILURE;
    }
  double sim_s = (g_get_monotonic_time () - t0) / 1e6;
  gboolean ok = wslfp_demo_file_write (net, output, &error);
  printf ("simulated %zu excitatory + %zu inhibitory neurons for %g ms in %.2f s\n", net->n_exc, net->n_inh, duration,
          sim_s);
  printf ("excitatory: %zu spikes, %.2f Hz; inhibitory: %zu spikes, %.2f Hz\n", net->exc.n_spikes, net->rate_exc_hz,
          net->inh.n_spikes, net->rate_inh_hz);
  wslfp_demo_network_free (net);
  if (!ok)
    return wslfp_cli_fail ("demo", error);
  printf ("wrote %s\n", output);
  return WSLFP_EXIT_OK;
}
