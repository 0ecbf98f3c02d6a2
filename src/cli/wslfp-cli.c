/* wslfp-cli.c: what the `wslfp` subcommands share: errors, usage,
 * argument parsing, checks of outputs, progress. */
#include "wslfp-cli.h"

#include "wslfp-sonata.h"
#include "wslfp-sonata-config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <wslfp.h>

#include "wslfp-h5.h"
#include "wslfp-profile-file.h"

int
wslfp_cli_fail (const char *command, const GError *error)
{
  g_printerr ("wslfp %s: %s\n", command, error->message);
  return WSLFP_EXIT_FAILURE;
}

int
wslfp_cli_usage (const char *command, const char *format, ...)
{
  va_list args;
  va_start (args, format);
  g_autofree char *msg = g_strdup_vprintf (format, args);
  va_end (args);
  g_printerr ("wslfp %s: %s\nTry 'wslfp %s --help'.\n", command, msg, command);
  return WSLFP_EXIT_USAGE;
}

/* The value given to the number option @entry in @argv (--name VALUE or
 * --name=VALUE) that is not a number (nan): GOption takes "nan" for one,
 * and the commands use NaN for "not given", so the option would be
 * quietly dropped.  NULL if there is none. */
static const char *
nan_given (const GOptionEntry *entry, int argc, char **argv)
{
  g_autofree char *name = g_strconcat ("--", entry->long_name, NULL);
  gsize len = strlen (name);
  for (int i = 1; i < argc && strcmp (argv[i], "--") != 0; i++)
    {
      const char *value = strcmp (argv[i], name) == 0 && i + 1 < argc           ? argv[i + 1]
                          : strncmp (argv[i], name, len) == 0 && argv[i][len] == '=' ? argv[i] + len + 1
                                                                                   : NULL;
      if (value != NULL && isnan (g_ascii_strtod (value, NULL)))
        return value;
    }
  return NULL;
}

gboolean
wslfp_cli_parse (GOptionContext *context, const GOptionEntry *entries, const char *command, int *argc, char ***argv,
                 int *status)
{
  for (const GOptionEntry *e = entries; e != NULL && e->long_name != NULL; e++)
    {
      const char *value = e->arg == G_OPTION_ARG_DOUBLE ? nan_given (e, *argc, *argv) : NULL;
      if (value != NULL)
        {
          *status = wslfp_cli_usage (command, "--%s must be a number, not \"%s\"", e->long_name, value);
          return FALSE;
        }
    }
  g_autoptr (GError) error = NULL;
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      *status = wslfp_cli_usage (command, "%s", error->message);
      return FALSE;
    }
  return TRUE;
}

gboolean
wslfp_cli_parse_numbers (const char *text, int n_parts, double *out)
{
  return wslfp_cli_parse_list (text, ":", n_parts, out);
}

gboolean
wslfp_cli_parse_list (const char *text, const char *separator, int n_parts, double *out)
{
  g_auto (GStrv) parts = g_strsplit (text, separator, -1);
  if ((int) g_strv_length (parts) != n_parts)
    return FALSE;
  for (int i = 0; i < n_parts; i++)
    {
      char *end;
      out[i] = g_ascii_strtod (parts[i], &end);
      if (end == parts[i] || *end != '\0' || !isfinite (out[i]))
        return FALSE;
    }
  return TRUE;
}

gboolean
wslfp_cli_check_output (const char *path, GError **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT, "%s: the folder %s does not exist", path, dir);
      return FALSE;
    }
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_ISDIR, "%s is a folder, not a file name", path);
      return FALSE;
    }
  return TRUE;
}

void
wslfp_cli_progress_init (WslfpCliProgress *p, const char *label)
{
  p->label = label;
  p->start_us = g_get_monotonic_time ();
  p->shown = FALSE;
  p->last_percent = -1;
}

gboolean
wslfp_cli_progress_update (double fraction, gpointer data)
{
  WslfpCliProgress *p = data;
  if (!isatty (STDERR_FILENO) || g_get_monotonic_time () - p->start_us < G_USEC_PER_SEC)
    return FALSE;
  int percent = (int) CLAMP (fraction * 100, 0, 100);
  if (percent == p->last_percent)
    return FALSE;
  char bar[31];
  int filled = percent * 30 / 100;
  memset (bar, '#', filled);
  memset (bar + filled, ' ', 30 - filled);
  bar[30] = '\0';
  fprintf (stderr, "\r%s [%s] %3d%%", p->label, bar, percent);
  fflush (stderr);
  p->shown = TRUE;
  p->last_percent = percent;
  return FALSE;
}

void
wslfp_cli_progress_done (WslfpCliProgress *p)
{
  if (p->shown)
    {
      fputs ("\r\033[K", stderr);
      fflush (stderr);
    }
}

gboolean
wslfp_cli_profile_new (const char *command, const char *name, WslfpProfile **profile, int *status)
{
  WslfpError err;
  *profile = NULL;
  if (g_str_has_suffix (name, ".csv") || g_str_has_suffix (name, ".CSV"))
    {
      g_autoptr (GError) error = NULL;
      *profile = wslfp_profile_read_csv (name, &error);
      if (*profile == NULL)
        *status = wslfp_cli_fail (command, error);
      return *profile != NULL;
    }
  if (wslfp_profile_new_from_name (name, profile, &err) != WSLFP_OK)
    {
      *status = wslfp_cli_usage (command, "--profile: %s, or a grid FILE.csv", err.message);
      return FALSE;
    }
  return TRUE;
}

void
wslfp_cli_network_add_entries (GOptionContext *context, WslfpCliNetwork *net)
{
  GOptionEntry entries[] = {
    { "sources", 0, 0, G_OPTION_ARG_STRING, &net->sources, "SONATA: the sources are the nodes whose node or node-type attribute COLUMN equals VALUE (default ei==e, in populations with positions)", "COLUMN==VALUE" },
    { "spikes", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &net->spikes, "SONATA: read spikes from FILE instead of the config's output: a SONATA spikes file, NEST spike-recorder .dat files (repeat to merge) or a NEST 2 .gdf file", "FILE" },
    { "nest-id-offset", 0, 0, G_OPTION_ARG_INT64, &net->nest_id_offset, "SONATA with NEST spike files: node g of the network (in the config's order) is NEST id g + 1 + K (default 0)", "K" },
    { NULL },
  };
  g_option_context_add_main_entries (context, entries, NULL);
}

void
wslfp_cli_network_clear (WslfpCliNetwork *net)
{
  g_clear_pointer (&net->sources, g_free);
  g_clear_pointer (&net->spikes, g_strfreev);
}

static WslfpDataset *
open_dataset (const char *path, const WslfpCliNetwork *net, gboolean count_only, GError **error)
{
  if (wslfp_sonata_config_is_config (path))
    {
      WslfpSonataOptions options;
      wslfp_sonata_options_init (&options);
      options.count_only = count_only;
      if (net != NULL)
        {
          options.sources = net->sources;
          options.spike_files = (const char *const *) net->spikes;
          options.nest_id_offset = net->nest_id_offset;
        }
      return wslfp_sonata_open (path, &options, error);
    }
  if (net != NULL && (net->sources != NULL || net->spikes != NULL || net->nest_id_offset != 0))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   "--sources, --spikes and --nest-id-offset read SONATA networks (a .json config), not %s", path);
      return NULL;
    }
  return wslfp_dataset_open (path, error);
}

WslfpDataset *
wslfp_cli_open_dataset (const char *path, const WslfpCliNetwork *net, GError **error)
{
  return open_dataset (path, net, FALSE, error);
}

WslfpDataset *
wslfp_cli_open_dataset_for_info (const char *path, const WslfpCliNetwork *net, GError **error)
{
  return open_dataset (path, net, TRUE, error);
}
