/* wslfp-sonata-types.c: SONATA type tables (node_types.csv,
 * edge_types.csv): a header of column names, then one row per type id. */
#include "wslfp-sonata-types.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "wslfp-csv.h"
#include "wslfp-dataset.h"

/* Type tables list types, not nodes: a bigger file is not one. */
#define MAX_TYPES_BYTES (64 << 20)

struct _WslfpSonataTypes
{
  char *path;
  GPtrArray *columns;   /* char *, the header */
  GPtrArray *rows;      /* GStrv, each with columns->len fields */
  int population_column;
  GHashTable *index;    /* "population\n id" → row + 1 */
};

void
wslfp_sonata_types_free (WslfpSonataTypes *t)
{
  if (t == NULL)
    return;
  g_free (t->path);
  g_clear_pointer (&t->columns, g_ptr_array_unref);
  g_clear_pointer (&t->rows, g_ptr_array_unref);
  g_clear_pointer (&t->index, g_hash_table_unref);
  g_free (t);
}

/* Splits @line into fields separated by blanks; "…" keeps blanks. */
static GPtrArray *
split_fields (const char *line, gboolean *unclosed)
{
  GPtrArray *fields = g_ptr_array_new_with_free_func (g_free);
  const char *p = line;
  *unclosed = FALSE;
  for (;;)
    {
      while (*p == ' ' || *p == '\t' || *p == '\r')
        p++;
      if (*p == '\0')
        break;
      if (*p == '"')
        {
          const char *end = strchr (p + 1, '"');
          if (end == NULL)
            {
              *unclosed = TRUE;
              break;
            }
          g_ptr_array_add (fields, g_strndup (p + 1, (gsize) (end - p - 1)));
          p = end + 1;
        }
      else
        {
          const char *end = p;
          while (*end != '\0' && *end != ' ' && *end != '\t' && *end != '\r')
            end++;
          g_ptr_array_add (fields, g_strndup (p, (gsize) (end - p)));
          p = end;
        }
    }
  return fields;
}

static char *
index_key (const char *population, gint64 id)
{
  return g_strdup_printf ("%s\n%lld", population != NULL ? population : "", (long long) id);
}

static gboolean
parse_id (const char *text, gint64 *id)
{
  char *end = NULL;
  errno = 0;
  long long v = strtoll (text, &end, 10);
  if (errno != 0 || end == text || *end != '\0')
    return FALSE;
  *id = v;
  return TRUE;
}

WslfpSonataTypes *
wslfp_sonata_types_read (const char *path, const char *id_column, GError **error)
{
  g_autofree char *text = NULL;
  gsize length = 0;
  GError *local = NULL;
  GStatBuf st;

  if (g_stat (path, &st) != 0)
    {
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_OPEN, "%s: no such file", path);
      return NULL;
    }
  if (st.st_size > MAX_TYPES_BYTES)
    {
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT, "%s is %lld bytes: too big for a type table", path,
                   (long long) st.st_size);
      return NULL;
    }
  if (!g_file_get_contents (path, &text, &length, &local))
    {
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_OPEN, "cannot read %s: %s", path, local->message);
      g_error_free (local);
      return NULL;
    }
  if (memchr (text, '\0', length) != NULL)
    {
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT, "%s is not a text file (a type table)", path);
      return NULL;
    }
  g_autoptr (WslfpSonataTypes) t = g_new0 (WslfpSonataTypes, 1);
  t->path = g_strdup (path);
  t->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  t->index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  t->population_column = -1;
  int id_col = -1;
  g_auto (GStrv) lines = g_strsplit (wslfp_skip_bom (text, NULL), "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      gboolean unclosed;
      GPtrArray *fields = split_fields (lines[i], &unclosed);
      if (unclosed)
        {
          g_ptr_array_unref (fields);
          g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT, "%s:%u: a quote (\") is not closed", path, i + 1);
          return NULL;
        }
      if (fields->len == 0)
        {
          g_ptr_array_unref (fields);
          continue;
        }
      if (t->columns == NULL)
        {
          t->columns = fields;
          for (guint c = 0; c < fields->len; c++)
            {
              if (strcmp (fields->pdata[c], id_column) == 0)
                id_col = (int) c;
              else if (strcmp (fields->pdata[c], "population") == 0)
                t->population_column = (int) c;
            }
          if (id_col < 0)
            {
              g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT,
                           "%s: the header (line %u) has no %s column", path, i + 1, id_column);
              return NULL;
            }
          continue;
        }
      if (fields->len != t->columns->len)
        {
          g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT,
                       "%s:%u: %u fields, but the header has %u columns (fields are separated by spaces)", path, i + 1,
                       fields->len, t->columns->len);
          g_ptr_array_unref (fields);
          return NULL;
        }
      gint64 id;
      if (!parse_id (fields->pdata[id_col], &id))
        {
          g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT, "%s:%u: %s \"%s\" is not an integer", path,
                       i + 1, id_column, (char *) fields->pdata[id_col]);
          g_ptr_array_unref (fields);
          return NULL;
        }
      char *key = index_key (t->population_column >= 0 ? fields->pdata[t->population_column] : NULL, id);
      if (g_hash_table_contains (t->index, key))
        {
          g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT, "%s:%u: %s %lld appears twice", path, i + 1,
                       id_column, (long long) id);
          g_free (key);
          g_ptr_array_unref (fields);
          return NULL;
        }
      g_hash_table_insert (t->index, key, GSIZE_TO_POINTER (t->rows->len + 1));
      g_ptr_array_add (fields, NULL);
      g_ptr_array_add (t->rows, g_ptr_array_free (fields, FALSE));
    }
  if (t->columns == NULL)
    {
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT, "%s is empty (a type table needs a header)", path);
      return NULL;
    }
  return g_steal_pointer (&t);
}

gint64
wslfp_sonata_types_find (const WslfpSonataTypes *t, const char *population, gint64 id)
{
  if (t == NULL)
    return -1;
  g_autofree char *key = index_key (t->population_column >= 0 ? population : NULL, id);
  gsize row = GPOINTER_TO_SIZE (g_hash_table_lookup (t->index, key));
  return row == 0 ? -1 : (gint64) row - 1;
}

int
wslfp_sonata_types_column (const WslfpSonataTypes *t, const char *name)
{
  if (t == NULL)
    return -1;
  for (guint c = 0; c < t->columns->len; c++)
    if (strcmp (t->columns->pdata[c], name) == 0)
      return (int) c;
  return -1;
}

const char *
wslfp_sonata_types_value (const WslfpSonataTypes *t, gint64 row, int column)
{
  return ((char **) t->rows->pdata[row])[column];
}

const char *
wslfp_sonata_types_path (const WslfpSonataTypes *t)
{
  return t->path;
}

gint64
wslfp_sonata_types_n_rows (const WslfpSonataTypes *t)
{
  return (gint64) t->rows->len;
}
