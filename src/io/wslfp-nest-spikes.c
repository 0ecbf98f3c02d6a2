/* wslfp-nest-spikes.c: NEST spike-recorder files, read line by line. */
#include "wslfp-nest-spikes.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wslfp-csv.h"
#include "wslfp-dataset.h"

/* A line longer than this is not a spike record. */
#define MAX_LINE 4096

gboolean
wslfp_nest_spikes_is_nest (const char *path)
{
  return g_str_has_suffix (path, ".dat") || g_str_has_suffix (path, ".gdf");
}

static gboolean
parse_int (const char *text, gint64 *v)
{
  char *end = NULL;
  errno = 0;
  long long x = strtoll (text, &end, 10);
  if (errno != 0 || end == text || *end != '\0')
    return FALSE;
  *v = x;
  return TRUE;
}

static gboolean
parse_double (const char *text, double *v)
{
  char *end = NULL;
  errno = 0;
  *v = g_ascii_strtod (text, &end);
  return errno == 0 && end != text && *end == '\0' && isfinite (*v);
}

gboolean
wslfp_nest_spikes_read (const char *path, double resolution_ms, gint64 **ids_out, double **t_out, gsize *n_out,
                        GError **error)
{
  FILE *fp = fopen (path, "r");
  if (fp == NULL)
    {
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_OPEN, "%s: %s", path, g_strerror (errno));
      return FALSE;
    }
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  gboolean gdf = g_str_has_suffix (path, ".gdf");
  /* Column positions: of the id, the time in ms, or the step and offset. */
  int col_id = 0, col_ms = 1, col_step = -1, col_offset = -1, n_cols = 2;
  gboolean header_seen = gdf, ok = TRUE;
  char line[MAX_LINE + 2];
  gsize lineno = 0, len = sizeof line;
  for (;;)
    {
      /* The buffer holds no NUL before fgets(), so the last NUL after it
       * is the one fgets() wrote: what it read is that long, and a NUL
       * before it was in the file (binary, not text).  Handling a line
       * changes only its first len + 1 bytes, filled again here. */
      memset (line, 'x', MIN (len + 1, sizeof line));
      if (!ok || fgets (line, sizeof line, fp) == NULL)
        break;
      lineno++;
      len = (gsize) ((const char *) memrchr (line, '\0', sizeof line) - line);
      if (len > MAX_LINE && line[len - 1] != '\n')
        {
          g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT,
                       "%s:%zu: a line longer than %d characters: not a NEST spike file", path, lineno, MAX_LINE);
          ok = FALSE;
          break;
        }
      if (strlen (line) < len)
        {
          g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT, "%s:%zu: not text", path, lineno);
          ok = FALSE;
          break;
        }
      if (lineno == 1)
        memmove (line, wslfp_skip_bom (line, NULL), strlen (wslfp_skip_bom (line, NULL)) + 1);
      g_strstrip (line);
      if (line[0] == '\0' || line[0] == '#')
        continue;
      g_auto (GStrv) fields = wslfp_split_fields (line, " \t\r");
      int nf = (int) g_strv_length (fields);
      if (!header_seen)
        {
          header_seen = TRUE;
          if (g_ascii_isalpha (line[0]))
            {
              col_id = col_ms = col_step = col_offset = -1;
              for (int c = 0; c < nf; c++)
                {
                  if (strcmp (fields[c], "sender") == 0)
                    col_id = c;
                  else if (strcmp (fields[c], "time_ms") == 0)
                    col_ms = c;
                  else if (strcmp (fields[c], "time_step") == 0)
                    col_step = c;
                  else if (strcmp (fields[c], "time_offset") == 0)
                    col_offset = c;
                }
              n_cols = nf;
              if (col_id < 0 || (col_ms < 0 && (col_step < 0 || col_offset < 0)))
                {
                  g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT,
                               "%s:%zu: the header \"%s\" has no sender and time_ms (or time_step and time_offset) "
                               "columns: not a NEST spike recorder's file", path, lineno, line);
                  ok = FALSE;
                }
              if (ok && col_ms < 0 && !(resolution_ms > 0))
                {
                  g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT,
                               "%s: times are in steps (time_step, time_offset) and the resolution is unknown (the "
                               "config's run.dt)", path);
                  ok = FALSE;
                }
              continue;
            }
        }
      if (nf < n_cols)
        {
          g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT, "%s:%zu: %d fields; expected %d (\"%s\")", path,
                       lineno, nf, n_cols, line);
          ok = FALSE;
          break;
        }
      gint64 id;
      double t = 0, step = 0, offset = 0;
      if (!parse_int (fields[col_id], &id) || id < 1)
        {
          g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_INVALID, "%s:%zu: the sender \"%s\" is not a NEST id (an "
                       "integer >= 1)", path, lineno, fields[col_id]);
          ok = FALSE;
          break;
        }
      if (col_ms >= 0)
        ok = parse_double (fields[col_ms], &t);
      else
        {
          ok = parse_double (fields[col_step], &step) && parse_double (fields[col_offset], &offset);
          t = step * resolution_ms - offset;
        }
      if (!ok)
        {
          g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_INVALID, "%s:%zu: the time in \"%s\" is not a finite number",
                       path, lineno, line);
          break;
        }
      g_array_append_val (ids, id);
      g_array_append_val (times, t);
    }
  if (ok && ferror (fp))
    {
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_OPEN, "%s: read error", path);
      ok = FALSE;
    }
  fclose (fp);
  if (!ok)
    return FALSE;
  *n_out = ids->len;
  *ids_out = (gint64 *) g_array_free (g_steal_pointer (&ids), FALSE);
  *t_out = (double *) g_array_free (g_steal_pointer (&times), FALSE);
  return TRUE;
}
