/* wslfp-cli-plot-main.c: `wslfp-plot`, the program behind `wslfp plot`
 * (the only subcommand that needs cairo and FFTW). */
#include "wslfp-cli.h"

#include <locale.h>

#include "wslfp-h5.h"

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  wslfp_atomic_remove_on_signals ();
  /* Messages and --help name it as the user typed it. */
  argv[0] = "wslfp plot";
  return wslfp_cli_run_isolated ("plot", wslfp_cli_plot, argc, argv);
}
