/* wslfp-cli.h: the `wslfp` subcommands.  Each returns the exit status:
 * 0 success, 1 bad input or runtime failure, 2 usage error. */
#pragma once

#include <glib.h>
#include <wslfp.h>

#include "wslfp-dataset.h"

#define WSLFP_EXIT_OK      0
#define WSLFP_EXIT_FAILURE 1
#define WSLFP_EXIT_USAGE   2

int wslfp_cli_info    (int argc, char **argv);
int wslfp_cli_compute (int argc, char **argv);
int wslfp_cli_demo    (int argc, char **argv);
int wslfp_cli_plot    (int argc, char **argv);

typedef int (*WslfpCliCommand) (int argc, char **argv);
/* Runs @run in a child process (see wslfp-cli-isolate.c): a crash or a
 * hang of the HDF5 library on a corrupt file becomes exit status 1 and a
 * message naming the file; the child's temporary outputs are removed. */
int wslfp_cli_run_isolated (const char *command, WslfpCliCommand run, int argc, char **argv);

/* Reports @error (prefixed "wslfp <command>: ") and returns 1. */
int wslfp_cli_fail  (const char *command, const GError *error);
/* Reports a usage problem with a pointer to --help and returns 2. */
int wslfp_cli_usage (const char *command, const char *format, ...) G_GNUC_PRINTF (2, 3);

/* Fails early, before long work, when @path's folder does not exist or
 * @path is a folder. */
gboolean wslfp_cli_check_output (const char *path, GError **error);

/* Parses @n_parts finite numbers separated by ':' ("0:100:0.1"), in the
 * C locale. */
gboolean wslfp_cli_parse_numbers (const char *text, int n_parts, double *out);
/* The same with another @separator (e.g. "," for X,Y,Z). */
gboolean wslfp_cli_parse_list (const char *text, const char *separator, int n_parts, double *out);

/* The profile named by --profile: a built-in name, or a grid FILE.csv
 * (r_um,d_um,amp_uV rows).  On failure reports it and sets @status (2 for
 * an unknown name, 1 for a bad file). */
gboolean wslfp_cli_profile_new (const char *command, const char *name, WslfpProfile **profile, int *status);

/* The options that say how to read a SONATA network (--sources,
 * --spikes, --nest-id-offset), shared by info, compute, convert and plot. */
typedef struct
{
  char *sources;
  char **spikes;
  gint64 nest_id_offset;
} WslfpCliNetwork;

void     wslfp_cli_network_add_entries (GOptionContext *context, WslfpCliNetwork *network);
void     wslfp_cli_network_clear       (WslfpCliNetwork *network);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (WslfpCliNetwork, wslfp_cli_network_clear)
/* Opens @path: this project's layout, or a SONATA config read with
 * @network's options (which are an error for anything else). */
WslfpDataset *wslfp_cli_open_dataset (const char *path, const WslfpCliNetwork *network, GError **error);
/* The same for `info`: a SONATA network's edges are only counted. */
WslfpDataset *wslfp_cli_open_dataset_for_info (const char *path, const WslfpCliNetwork *network, GError **error);

int wslfp_cli_convert (int argc, char **argv);

/* Parses @context, turning option errors into usage errors; a number
 * option of @entries (the main ones, or NULL) given "nan" is one too. */
gboolean wslfp_cli_parse (GOptionContext *context, const GOptionEntry *entries, const char *command, int *argc,
                          char ***argv, int *status);

/* A progress bar on stderr, shown only when stderr is a terminal and the
 * work has taken more than a second. */
typedef struct
{
  const char *label;
  gint64 start_us;
  gboolean shown;
  int last_percent;
} WslfpCliProgress;

void     wslfp_cli_progress_init   (WslfpCliProgress *progress, const char *label);
/* A WslfpJobProgress-compatible callback (never cancels). */
gboolean wslfp_cli_progress_update (double fraction, gpointer progress);
void     wslfp_cli_progress_done   (WslfpCliProgress *progress);
