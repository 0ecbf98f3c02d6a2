/* wslfp-cli-main.c: the `wslfp` command: dispatch to the subcommands.
 * `plot` is its own program (wslfp-plot), so that the others start without
 * cairo, fonts, X11 and FFTW. */
#include "config.h"
#include "wslfp-cli.h"
#include "wslfp-cli-mpi.h"

#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "wslfp-blas-core.h"
#include "wslfp-h5.h"

/* The figure program: beside this one (a build folder), else installed. */
static char *
find_plot_program (void)
{
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  if (self != NULL)
    {
      g_autofree char *dir = g_path_get_dirname (self);
      g_autofree char *beside = g_build_filename (dir, "wslfp-plot", NULL);
      if (g_file_test (beside, G_FILE_TEST_IS_EXECUTABLE))
        return g_steal_pointer (&beside);
    }
  if (g_file_test (WSLFP_PLOT_INSTALLED, G_FILE_TEST_IS_EXECUTABLE))
    return g_strdup (WSLFP_PLOT_INSTALLED);
  return NULL;
}

/* `wslfp plot ARGS` runs `wslfp-plot ARGS` in this process's place. */
static int
run_plot (int argc, char **argv)
{
  g_autofree char *program = find_plot_program ();
  if (program == NULL)
    {
      g_printerr ("wslfp plot: the figure program wslfp-plot is missing (looked beside wslfp and at %s)\n",
                  WSLFP_PLOT_INSTALLED);
      return WSLFP_EXIT_FAILURE;
    }
  argv[0] = program;
  execv (program, argv);
  int saved = errno;
  g_printerr ("wslfp plot: cannot run %s: %s\n", program, g_strerror (saved));
  return WSLFP_EXIT_FAILURE;
}

static void
print_help (FILE *out)
{
  fprintf (out,
           "Usage: wslfp COMMAND [OPTION…]\n\n"
           "Weighted-sum LFP proxy (Mazzoni et al. 2015) of point-neuron network simulations.\n\n"
           "Commands:\n"
           "  info FILE                 what a dataset, SONATA network or LFP file holds\n"
           "  compute IN -o OUT         compute the LFP of a dataset or a SONATA network (OUT.h5 or OUT.csv)\n"
           "  convert CONFIG.json -o OUT.h5  a SONATA network (and its spikes) as a dataset\n"
           "  demo -o DEMO.h5           simulate the built-in E/I network\n"
           "  plot FILE -o FIG          draw traces, the 3-D layout or a profile (PNG, SVG, PDF)\n\n"
           "Run 'wslfp COMMAND --help' for a command's options.\n");
}

int
main (int argc, char **argv)
{
  wslfp_blas_use_fast_core (argv);
  setlocale (LC_ALL, "");
  /* Ctrl+C or a kill during a write leaves no temporary file behind. */
  wslfp_atomic_remove_on_signals ();
  if (argc < 2)
    {
      print_help (stderr);
      return WSLFP_EXIT_USAGE;
    }
  const char *command = argv[1];
  if (strcmp (command, "--help") == 0 || strcmp (command, "-h") == 0 || strcmp (command, "help") == 0)
    {
      print_help (stdout);
      return WSLFP_EXIT_OK;
    }
  if (strcmp (command, "--version") == 0)
    {
      printf ("wslfp %s\n", WSLFP_VERSION_STRING);
      const char *core = wslfp_blas_core ();
      if (core != NULL)
        printf ("OpenBLAS kernels: %s\n", core);
      return WSLFP_EXIT_OK;
    }
  if (strcmp (command, "plot") == 0)
    return run_plot (argc - 1, argv + 1);
  /* Subcommands see argv[0] = "wslfp COMMAND". */
  g_autofree char *name = g_strdup_printf ("wslfp %s", command);
  argv[1] = name;
  /* The commands that parse HDF5 files run isolated from a crash or a
   * hang of the HDF5 library. */
  if (strcmp (command, "info") == 0)
    return wslfp_cli_run_isolated (command, wslfp_cli_info, argc - 1, argv + 1);
  if (strcmp (command, "compute") == 0 && wslfp_cli_mpi_launched ())
    {
      /* MPI belongs to the launched process: no isolating child. */
      wslfp_cli_mpi_init (&argc, &argv);
      int status = wslfp_cli_compute (argc - 1, argv + 1);
      wslfp_cli_mpi_finalize ();
      return status;
    }
  if (strcmp (command, "compute") == 0)
    return wslfp_cli_run_isolated (command, wslfp_cli_compute, argc - 1, argv + 1);
  if (strcmp (command, "convert") == 0)
    return wslfp_cli_run_isolated (command, wslfp_cli_convert, argc - 1, argv + 1);
  if (strcmp (command, "demo") == 0)
    return wslfp_cli_demo (argc - 1, argv + 1);
  g_printerr ("wslfp: unknown command '%s'\n", command);
  print_help (stderr);
  return WSLFP_EXIT_USAGE;
}

