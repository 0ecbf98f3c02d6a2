/* wslfp-cli-convert.c: `wslfp convert CONFIG.json -o DATASET.h5`: a SONATA
 * network (and its spikes) in this project's layout. */
#include "wslfp-cli.h"

#include "wslfp-dataset.h"
#include "wslfp-h5.h"

int
wslfp_cli_convert (int argc, char **argv)
{
  g_autofree char *output = NULL;
  g_auto (WslfpCliNetwork) network = { 0 };
  int status = WSLFP_EXIT_OK;
  GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "Write the dataset to OUT.h5", "OUT.h5" },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("CONFIG.json -o OUT.h5 — a SONATA network as a dataset");
  g_option_context_add_main_entries (ctx, entries, NULL);
  wslfp_cli_network_add_entries (ctx, &network);
  g_option_context_set_description (ctx, "Writes the sources (positions, apical axes), and per group (exc: edges from\n"
                                         "ei == e, inh: from ei == i) the spikes and the CSR weights onto the sources\n"
                                         "with each edge's delay (weights/delays_ms), and the run's evaluation times.\n"
                                         "No probe: give one to compute (--electrodes).\n");
  if (!wslfp_cli_parse (ctx, entries, "convert", &argc, &argv, &status))
    return status;
  if (argc != 2)
    return wslfp_cli_usage ("convert", "expected one SONATA config (CONFIG.json), got %d inputs", argc - 1);
  if (output == NULL)
    return wslfp_cli_usage ("convert", "missing -o OUT.h5");
  if (!g_str_has_suffix (argv[1], ".json"))
    return wslfp_cli_usage ("convert", "%s is not a SONATA config (a .json file)", argv[1]);
  g_autoptr (GError) error = NULL;
  if (!wslfp_cli_check_output (output, &error))
    return wslfp_cli_fail ("convert", error);
  g_autoptr (WslfpDataset) ds = wslfp_cli_open_dataset (argv[1], &network, &error);
  if (ds == NULL
      || !wslfp_output_check_not_input (output, (const char *const *) ds->input_files, g_strv_length (ds->input_files),
                                     &error)
      || !wslfp_dataset_write (ds, output, &error))
    return wslfp_cli_fail ("convert", error);
  return WSLFP_EXIT_OK;
}
