/* wslfp-json.c: JSON files from users, read with bounds. */
#include "wslfp-json.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

#include "wslfp-dataset.h"

gboolean
wslfp_json_check_depth (const char *text, gsize length, guint max_depth, const char *what, GError **error)
{
  guint depth = 0;
  gboolean in_string = FALSE;
  for (gsize i = 0; i < length; i++)
    {
      char c = text[i];
      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
        }
      else if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          if (++depth > max_depth)
            {
              g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT,
                           "%s nests arrays and objects more than %u deep (at byte %zu): not a file of this kind",
                           what, max_depth, i);
              return FALSE;
            }
        }
      else if ((c == ']' || c == '}') && depth > 0)
        depth--;
    }
  return TRUE;
}

gboolean
wslfp_json_load (JsonParser *parser, const char *path, gsize max_bytes, GError **error)
{
  GStatBuf st;
  if (g_stat (path, &st) != 0)
    {
      int saved = errno;
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_OPEN, "%s: %s", path, g_strerror (saved));
      return FALSE;
    }
  if (S_ISDIR (st.st_mode))
    {
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_OPEN, "%s is a folder, not a JSON file", path);
      return FALSE;
    }
  if ((guint64) st.st_size > max_bytes)
    {
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT, "%s is %lld bytes: too big for this kind of file "
                   "(at most %zu MB)", path, (long long) st.st_size, max_bytes >> 20);
      return FALSE;
    }
  g_autofree char *text = NULL;
  gsize length = 0;
  GError *local = NULL;
  if (!g_file_get_contents (path, &text, &length, &local))
    {
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_OPEN, "cannot read %s: %s", path, local->message);
      g_error_free (local);
      return FALSE;
    }
  /* Spreadsheets and some editors start UTF-8 files with a byte-order mark. */
  const char *start = text;
  if (length >= 3 && memcmp (text, "\xEF\xBB\xBF", 3) == 0)
    start += 3, length -= 3;
  if (!wslfp_json_check_depth (start, length, WSLFP_JSON_MAX_DEPTH, path, error))
    return FALSE;
  if (!json_parser_load_from_data (parser, start, (gssize) length, &local))
    {
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT, "%s: not a JSON file: %s", path, local->message);
      g_error_free (local);
      return FALSE;
    }
  return TRUE;
}
