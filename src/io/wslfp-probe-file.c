/* wslfp-probe-file.c: probe layouts from probeinterface JSON, CSV and
 * presets; placement; writing placed probes. */
#include "config.h"

#include "wslfp-probe-file.h"

#include <libintl.h>

/* The app's translations, whatever the locale of the first message was
 * (g_dgettext would keep the decision of its first call). */
#define _(text) dgettext (GETTEXT_PACKAGE, text)

#include <errno.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "wslfp-csv.h"
#include "wslfp-dataset.h"
#include "wslfp-h5.h"
#include "wslfp-json.h"
#include "wslfp-lfp.h"

/* More contacts than any probe has: a file that claims more is broken. */
#define MAX_CONTACTS WSLFP_PROBE_MAX_CONTACTS
/* probeinterface files of real probes are well under a megabyte each. */
#define MAX_FILE_BYTES (64 << 20)

void
wslfp_probe_layout_free (WslfpProbeLayout *l)
{
  if (l == NULL)
    return;
  g_free (l->name);
  g_free (l->xyz_um);
  g_free (l->shank);
  g_free (l->shank_ids);
  g_strfreev (l->contact_ids);
  g_free (l);
}

WslfpProbeLayout *
wslfp_probe_layout_copy (const WslfpProbeLayout *l)
{
  WslfpProbeLayout *c = g_new0 (WslfpProbeLayout, 1);
  c->name = g_strdup (l->name);
  c->n_contacts = l->n_contacts;
  c->xyz_um = g_memdup2 (l->xyz_um, l->n_contacts * 3 * sizeof (double));
  c->shank = g_memdup2 (l->shank, l->n_contacts * sizeof (int));
  c->n_shanks = l->n_shanks;
  c->shank_ids = g_memdup2 (l->shank_ids, l->n_shanks * sizeof (int));
  c->needles = l->needles;
  c->contact_ids = g_strdupv (l->contact_ids);
  return c;
}

static int
compare_ints (gconstpointer a, gconstpointer b)
{
  int x = *(const int *) a, y = *(const int *) b;
  return (x > y) - (x < y);
}

/* Shanks numbered by the file (any whole numbers) become 0 … k − 1 in
 * ascending order of those numbers, which are kept to show. */
static void
number_shanks (WslfpProbeLayout *l, const int *numbers)
{
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr (GHashTable) seen = g_hash_table_new (g_direct_hash, g_direct_equal);
  for (gsize e = 0; e < l->n_contacts; e++)
    if (g_hash_table_add (seen, GINT_TO_POINTER (numbers[e] + 1)))
      g_array_append_val (ids, numbers[e]);
  g_array_sort (ids, compare_ints);
  g_autoptr (GHashTable) index = g_hash_table_new (g_direct_hash, g_direct_equal);
  for (guint k = 0; k < ids->len; k++)
    g_hash_table_insert (index, GINT_TO_POINTER (g_array_index (ids, int, k) + 1), GINT_TO_POINTER (k));
  l->shank = g_new (int, MAX (l->n_contacts, 1));
  for (gsize e = 0; e < l->n_contacts; e++)
    l->shank[e] = GPOINTER_TO_INT (g_hash_table_lookup (index, GINT_TO_POINTER (numbers[e] + 1)));
  l->n_shanks = (int) ids->len;
  l->shank_ids = (int *) g_array_free (g_steal_pointer (&ids), FALSE);
}

WslfpProbeLayout *
wslfp_probe_layout_new (const char *name, const double *xyz_um, const int *shank, gsize n)
{
  WslfpProbeLayout *l = g_new0 (WslfpProbeLayout, 1);
  l->name = g_strdup (name);
  l->n_contacts = n;
  l->xyz_um = g_memdup2 (xyz_um, MAX (n, 1) * 3 * sizeof (double));
  g_autofree int *numbers = shank ? g_memdup2 (shank, MAX (n, 1) * sizeof (int)) : g_new0 (int, MAX (n, 1));
  if (shank == NULL)
    wslfp_shanks_by_column (xyz_um, n, numbers);
  number_shanks (l, numbers);
  return l;
}

/* ---- shanks from positions ---- */

typedef struct
{
  gint64 key[2];
  gsize index;
} Keyed;

static int
compare_keyed (const void *a, const void *b)
{
  const Keyed *x = a, *y = b;
  for (int k = 0; k < 2; k++)
    if (x->key[k] != y->key[k])
      return x->key[k] < y->key[k] ? -1 : 1;
  return (x->index > y->index) - (x->index < y->index);
}

/* Groups equal keys (by sorting, O(n log n)) and numbers the groups 0, 1,
 * … in the order of their first member. */
static int
number_groups (Keyed *k, gsize n, int *group)
{
  qsort (k, n, sizeof *k, compare_keyed);
  /* After sorting, each group is a run whose first entry has the group's
   * smallest index; give the runs numbers in the order of those. */
  g_autofree Keyed *firsts = g_new (Keyed, MAX (n, 1));
  gsize n_groups = 0;
  for (gsize i = 0; i < n; i++)
    if (i == 0 || k[i].key[0] != k[i - 1].key[0] || k[i].key[1] != k[i - 1].key[1])
      firsts[n_groups++] = (Keyed) { { (gint64) k[i].index, 0 }, i };
  qsort (firsts, n_groups, sizeof *firsts, compare_keyed);
  g_autofree int *run_number = g_new (int, MAX (n, 1));
  for (gsize g = 0; g < n_groups; g++)
    run_number[firsts[g].index] = (int) g;
  int current = 0;
  for (gsize i = 0; i < n; i++)
    {
      if (i == 0 || k[i].key[0] != k[i - 1].key[0] || k[i].key[1] != k[i - 1].key[1])
        current = run_number[i];
      group[k[i].index] = current;
    }
  return (int) n_groups;
}

int
wslfp_shanks_by_column (const double *xyz_um, gsize n, int *shank)
{
  g_autofree Keyed *k = g_new (Keyed, MAX (n, 1));
  for (gsize e = 0; e < n; e++)
    k[e] = (Keyed) { { llround (xyz_um[3 * e] * 1e6), llround (xyz_um[3 * e + 1] * 1e6) }, e };
  return number_groups (k, n, shank);
}

int
wslfp_shanks_renumber (const gint64 *numbers, gsize n, int *shank)
{
  g_autofree Keyed *k = g_new (Keyed, MAX (n, 1));
  for (gsize e = 0; e < n; e++)
    k[e] = (Keyed) { { numbers[e], 0 }, e };
  return number_groups (k, n, shank);
}

/* ---- probeinterface JSON ---- */

static gboolean
json_fail (GError **error, const char *path, const char *format, ...) G_GNUC_PRINTF (3, 4);

static gboolean
json_fail (GError **error, const char *path, const char *format, ...)
{
  va_list args;
  va_start (args, format);
  g_autofree char *msg = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT, "%s: %s", path, msg);
  return FALSE;
}

static gboolean
json_number (JsonNode *node, double *out)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  GType t = json_node_get_value_type (node);
  if (t != G_TYPE_DOUBLE && t != G_TYPE_INT64)
    return FALSE;
  *out = json_node_get_double (node);
  return isfinite (*out);
}

/* A shank id: a whole number, a numeric string (that number), or a name
 * (*@name set, *@out its index among the names in order of appearance). */
static gboolean
shank_number (JsonNode *node, GHashTable *names, int *out, gboolean *name)
{
  double v;
  *name = FALSE;
  if (json_number (node, &v))
    {
      if (!(v >= 0 && v <= 9999 && v == floor (v)))
        return FALSE;
      *out = (int) v;
      return TRUE;
    }
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return FALSE;
  const char *s = json_node_get_string (node);
  guint64 n;
  if (s[0] == '\0')
    {
      *out = 0; /* probeinterface writes "" for a probe without shanks */
      return TRUE;
    }
  if (g_ascii_string_to_unsigned (s, 10, 0, 9999, &n, NULL))
    {
      *out = (int) n;
      return TRUE;
    }
  gpointer found;
  if (!g_hash_table_lookup_extended (names, s, NULL, &found))
    {
      found = GINT_TO_POINTER (g_hash_table_size (names));
      g_hash_table_insert (names, g_strdup (s), found);
    }
  *out = GPOINTER_TO_INT (found);
  *name = TRUE;
  return TRUE;
}

/* Appends probe @p (index @k) of a probeinterface file to the arrays. */
static gboolean
read_json_probe (const char *path, JsonObject *p, guint k, GArray *xyz, GArray *numbers, GPtrArray *contact_ids,
                 int shank_base, int *next_base, char **name, GError **error)
{
  double ndim_d;
  if (!json_object_has_member (p, "ndim") || !json_number (json_object_get_member (p, "ndim"), &ndim_d))
    return json_fail (error, path, "probes[%u].ndim is missing or not a number", k);
  if (ndim_d != 2 && ndim_d != 3)
    return json_fail (error, path, "probes[%u].ndim is %g; expected 2 or 3", k, ndim_d);
  int ndim = (int) ndim_d;
  double scale = 1;
  if (json_object_has_member (p, "si_units"))
    {
      JsonNode *u = json_object_get_member (p, "si_units");
      const char *units = JSON_NODE_HOLDS_VALUE (u) && json_node_get_value_type (u) == G_TYPE_STRING
                            ? json_node_get_string (u) : NULL;
      if (g_strcmp0 (units, "um") == 0)
        scale = 1;
      else if (g_strcmp0 (units, "mm") == 0)
        scale = 1000;
      else
        return json_fail (error, path, "probes[%u].si_units is %s; expected \"um\" or \"mm\"", k,
                          units ? units : "not a string");
    }
  JsonNode *cp = json_object_get_member (p, "contact_positions");
  if (cp == NULL || !JSON_NODE_HOLDS_ARRAY (cp))
    return json_fail (error, path, "probes[%u].contact_positions is missing or not a list", k);
  JsonArray *pos = json_node_get_array (cp);
  guint n = json_array_get_length (pos);
  if (n == 0)
    return json_fail (error, path, "probes[%u].contact_positions is empty", k);
  if (xyz->len / 3 + n > MAX_CONTACTS)
    return json_fail (error, path, "probes[%u].contact_positions has %u contacts; at most %d are accepted", k, n,
                      MAX_CONTACTS);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *row = json_array_get_element (pos, i);
      if (!JSON_NODE_HOLDS_ARRAY (row) || json_array_get_length (json_node_get_array (row)) != (guint) ndim)
        return json_fail (error, path, "probes[%u].contact_positions[%u]: expected a list of %d numbers (ndim)", k, i,
                          ndim);
      double v[3] = { 0, 0, 0 };
      for (int c = 0; c < ndim; c++)
        if (!json_number (json_array_get_element (json_node_get_array (row), c), &v[c]))
          return json_fail (error, path, "probes[%u].contact_positions[%u][%d] is not a finite number", k, i, c);
      /* 2-D: the probe's plane is x–z (its y runs along the shanks). */
      double p3[3] = { v[0] * scale, ndim == 3 ? v[1] * scale : 0, (ndim == 3 ? v[2] : v[1]) * scale };
      /* Beyond a kilometre is a unit mistake, and products of such numbers
       * overflow later where the probe file is no longer named (issue 20,
       * item 15: x = 1e306 mm was blamed on the dataset). */
      for (int c = 0; c < 3; c++)
        if (!(fabs (p3[c]) <= WSLFP_PROBE_MAX_UM))
          return json_fail (error, path, "probes[%u].contact_positions[%u] is %g µm from the origin along %c: more "
                            "than 1 km (the units?)", k, i, p3[c], "xyz"[c]);
      g_array_append_vals (xyz, p3, 3);
    }
  JsonNode *sn = json_object_get_member (p, "shank_ids");
  int top = shank_base;
  if (sn != NULL && !JSON_NODE_HOLDS_NULL (sn))
    {
      if (!JSON_NODE_HOLDS_ARRAY (sn) || json_array_get_length (json_node_get_array (sn)) != n)
        return json_fail (error, path, "probes[%u].shank_ids must be a list of %u ids, one per contact", k, n);
      g_autoptr (GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_autofree int *ids = g_new (int, n);
      g_autofree gboolean *named = g_new (gboolean, n);
      int after_numbers = 0;
      for (guint i = 0; i < n; i++)
        {
          if (!shank_number (json_array_get_element (json_node_get_array (sn), i), names, &ids[i], &named[i]))
            return json_fail (error, path, "probes[%u].shank_ids[%u] is neither a shank name nor a number 0 … 9999", k,
                              i);
          if (!named[i])
            after_numbers = MAX (after_numbers, ids[i] + 1);
        }
      /* Named shanks ("A", "B") are numbered after the numeric ones. */
      for (guint i = 0; i < n; i++)
        {
          int s = shank_base + (named[i] ? after_numbers + ids[i] : ids[i]);
          g_array_append_val (numbers, s);
          top = MAX (top, s + 1);
        }
    }
  else
    {
      for (guint i = 0; i < n; i++)
        g_array_append_val (numbers, shank_base);
      top = shank_base + 1;
    }
  *next_base = top;
  /* The contacts' names, as a read-out lists them ("e0", "17"). */
  JsonNode *cn = json_object_get_member (p, "contact_ids");
  gboolean have_ids = cn != NULL && JSON_NODE_HOLDS_ARRAY (cn) && json_array_get_length (json_node_get_array (cn)) == n;
  for (guint i = 0; i < n; i++)
    {
      JsonNode *id = have_ids ? json_array_get_element (json_node_get_array (cn), i) : NULL;
      gboolean text = id != NULL && JSON_NODE_HOLDS_VALUE (id) && json_node_get_value_type (id) == G_TYPE_STRING;
      g_ptr_array_add (contact_ids, g_strdup (text ? json_node_get_string (id) : ""));
    }
  JsonNode *an = json_object_get_member (p, "annotations");
  if (*name == NULL && an != NULL && JSON_NODE_HOLDS_OBJECT (an))
    {
      JsonNode *mn = json_object_get_member (json_node_get_object (an), "model_name");
      if (mn != NULL && JSON_NODE_HOLDS_VALUE (mn) && json_node_get_value_type (mn) == G_TYPE_STRING)
        *name = g_strdup (json_node_get_string (mn));
    }
  return TRUE;
}

WslfpProbeLayout *
wslfp_probe_layout_read_json (const char *path, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  if (!wslfp_json_load (parser, path, MAX_FILE_BYTES, error))
    return NULL;
  JsonNode *root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      json_fail (error, path, "expected a JSON object with a \"probes\" list");
      return NULL;
    }
  JsonNode *pn = json_object_get_member (json_node_get_object (root), "probes");
  if (pn == NULL || !JSON_NODE_HOLDS_ARRAY (pn) || json_array_get_length (json_node_get_array (pn)) == 0)
    {
      json_fail (error, path, "probes is missing, not a list, or empty");
      return NULL;
    }
  JsonArray *probes = json_node_get_array (pn);
  g_autoptr (GArray) xyz = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) numbers = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr (GPtrArray) contact_ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *name = NULL;
  int base = 0;
  for (guint k = 0; k < json_array_get_length (probes); k++)
    {
      JsonNode *p = json_array_get_element (probes, k);
      if (!JSON_NODE_HOLDS_OBJECT (p))
        {
          json_fail (error, path, "probes[%u] is not an object", k);
          return NULL;
        }
      /* Several probes in one file: their shanks stay apart. */
      if (!read_json_probe (path, json_node_get_object (p), k, xyz, numbers, contact_ids, base, &base, &name, error))
        return NULL;
    }
  if (name == NULL)
    name = g_path_get_basename (path);
  WslfpProbeLayout *l = wslfp_probe_layout_new (name, (double *) xyz->data, (int *) numbers->data, numbers->len);
  /* (names only where the file gives some) */
  gboolean named = FALSE;
  for (guint i = 0; i < contact_ids->len; i++)
    named = named || ((char *) contact_ids->pdata[i])[0] != '\0';
  if (named)
    {
      g_ptr_array_add (contact_ids, NULL);
      l->contact_ids = (char **) g_ptr_array_free (g_steal_pointer (&contact_ids), FALSE);
    }
  return l;
}

/* BMTK's electrode files (its ecp module's linear_electrode.csv): a
 * space-separated header naming channel, x_pos, y_pos, z_pos (µm), then a
 * row per contact. */
static char *
first_line (const char *path)
{
  FILE *fp = fopen (path, "r");
  if (fp == NULL)
    return NULL;
  char buf[512];
  char *line = NULL;
  while (line == NULL && fgets (buf, sizeof buf, fp) != NULL)
    if (g_strstrip (buf)[0] != '\0')
      line = g_strdup (wslfp_skip_bom (buf, NULL));
  fclose (fp);
  return line;
}

static gboolean
is_bmtk_electrodes (const char *path)
{
  g_autofree char *line = first_line (path);
  return line != NULL && strstr (line, "x_pos") != NULL && strstr (line, "y_pos") != NULL
         && strstr (line, "z_pos") != NULL;
}

static WslfpProbeLayout *
read_bmtk_electrodes (const char *path, GError **error)
{
  g_autofree char *text = NULL;
  gsize length = 0;
  GStatBuf st;
  if (g_stat (path, &st) == 0 && st.st_size > MAX_FILE_BYTES)
    {
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT, "%s: %lld bytes is too big for a probe", path,
                   (long long) st.st_size);
      return NULL;
    }
  if (!g_file_get_contents (path, &text, &length, error))
    return NULL;
  /* (a NUL would end the text early: what follows it, unread) */
  const char *nul = memchr (text, '\0', length);
  if (nul != NULL)
    {
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT, "%s: byte %zu is 0: not a text file (BMTK electrodes)",
                   path, (gsize) (nul - text));
      return NULL;
    }
  g_auto (GStrv) lines = g_strsplit (wslfp_skip_bom (text, NULL), "\n", -1);
  int col[3] = { -1, -1, -1 }, n_cols = 0;
  g_autoptr (GArray) xyz = g_array_new (FALSE, FALSE, sizeof (double));
  const char *names[] = { "x_pos", "y_pos", "z_pos" };
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_strstrip (lines[i]);
      if (lines[i][0] == '\0')
        continue;
      g_auto (GStrv) f = wslfp_split_fields (lines[i], " \t\r,");
      int nf = (int) g_strv_length (f);
      if (n_cols == 0)
        {
          n_cols = nf;
          for (int c = 0; c < nf; c++)
            for (int k = 0; k < 3; k++)
              if (strcmp (f[c], names[k]) == 0)
                col[k] = c;
          for (int k = 0; k < 3; k++)
            if (col[k] < 0)
              {
                g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT,
                             "%s: the header \"%s\" has no %s column (BMTK's electrodes: channel x_pos y_pos z_pos)",
                             path, lines[i], names[k]);
                return NULL;
              }
          continue;
        }
      if (nf != n_cols)
        {
          g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT, "%s: line %u has %d fields; the header has %d",
                       path, i + 1, nf, n_cols);
          return NULL;
        }
      for (int k = 0; k < 3; k++)
        {
          char *end = NULL;
          double v = g_ascii_strtod (f[col[k]], &end);
          if (end == f[col[k]] || *end != '\0' || !(fabs (v) <= WSLFP_PROBE_MAX_UM))
            {
              g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT, "%s: line %u: %s \"%s\" is not a number within 1 km",
                           path, i + 1, names[k], f[col[k]]);
              return NULL;
            }
          g_array_append_val (xyz, v);
        }
    }
  gsize n = xyz->len / 3;
  if (n == 0)
    {
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT, "%s: no contacts after the header", path);
      return NULL;
    }
  g_autofree int *shank = g_new (int, n);
  wslfp_shanks_by_column ((const double *) xyz->data, n, shank);
  g_autofree char *name = g_path_get_basename (path);
  return wslfp_probe_layout_new (name, (const double *) xyz->data, shank, n);
}

WslfpProbeLayout *
wslfp_probe_layout_read (const char *path, GError **error)
{
  g_autofree char *lower = g_ascii_strdown (path, -1);
  if (g_str_has_suffix (lower, ".json"))
    return wslfp_probe_layout_read_json (path, error);
  if (is_bmtk_electrodes (path))
    return read_bmtk_electrodes (path, error);
  g_autofree double *xyz = NULL;
  g_autofree int *shank = NULL;
  gsize n = 0;
  if (!wslfp_probe_read_csv (path, &xyz, &shank, &n, error))
    return NULL;
  g_autofree char *name = g_path_get_basename (path);
  return wslfp_probe_layout_new (name, xyz, shank, n);
}

/* ---- presets ---- */

static const char *const preset_ids[] = { "neuropixels-1.0", "neuropixels-2.0-4shank", "linear-32", "tetrode",
                                          "utah-10x10", NULL };

const char *const *
wslfp_probe_layout_preset_ids (void)
{
  return preset_ids;
}

/* A layout of @n contacts from a function of the contact index. */
typedef void (*ContactFunc) (gsize i, double xyz[3], int *shank);

static WslfpProbeLayout *
layout_from (const char *name, gsize n, ContactFunc f)
{
  g_autofree double *xyz = g_new0 (double, 3 * n);
  g_autofree int *shank = g_new0 (int, n);
  for (gsize i = 0; i < n; i++)
    f (i, xyz + 3 * i, &shank[i]);
  return wslfp_probe_layout_new (name, xyz, shank, n);
}

/* Neuropixels 1.0 bank 0: rows of two contacts 20 µm apart in depth, at
 * x = 16 and 48 µm on even rows and 0 and 32 µm on odd rows. */
static void
np1_contact (gsize i, double p[3], int *shank)
{
  gsize row = i / 2, col = i % 2;
  p[0] = (row % 2 == 0 ? 16 : 0) + 32.0 * col;
  p[2] = 20.0 * row;
}

/* Neuropixels 2.0 four-shank: 96 channels per shank, rows of two contacts
 * 32 µm apart, 15 µm rows, shanks 250 µm apart. */
static void
np2_contact (gsize i, double p[3], int *shank)
{
  gsize k = i / 96, j = i % 96;
  *shank = (int) k;
  p[0] = 250.0 * k + 32.0 * (j % 2);
  p[2] = 15.0 * (j / 2);
}

static void
linear32_contact (gsize i, double p[3], int *shank)
{
  p[2] = 50.0 * i;
}

/* Four wires twisted together: their tips on a 20 µm square. */
static void
tetrode_contact (gsize i, double p[3], int *shank)
{
  p[0] = i % 2 ? 10 : -10;
  p[1] = i / 2 ? 10 : -10;
}

/* A Utah array: 10 × 10 needles 400 µm apart in the x–y plane, tips level;
 * each row of needles is shown as one shank. */
static void
utah_contact (gsize i, double p[3], int *shank)
{
  p[0] = 400.0 * (i % 10);
  p[1] = 400.0 * (i / 10);
  *shank = (int) (i / 10);
}

WslfpProbeLayout *
wslfp_probe_layout_new_preset (const char *id)
{
  WslfpProbeLayout *l = NULL;
  if (g_strcmp0 (id, "neuropixels-1.0") == 0)
    l = layout_from ("Neuropixels 1.0", 384, np1_contact);
  else if (g_strcmp0 (id, "neuropixels-2.0-4shank") == 0)
    l = layout_from ("Neuropixels 2.0 (4 shanks)", 384, np2_contact);
  else if (g_strcmp0 (id, "linear-32") == 0)
    l = layout_from ("Linear 32 × 50 µm", 32, linear32_contact);
  else if (g_strcmp0 (id, "tetrode") == 0)
    l = layout_from ("Tetrode", 4, tetrode_contact);
  else if (g_strcmp0 (id, "utah-10x10") == 0)
    {
      l = layout_from ("Utah 10 × 10", 100, utah_contact);
      l->needles = TRUE;
    }
  return l;
}

WslfpProbeLayout *
wslfp_probe_layout_new_shanks (int n_shanks, double spacing_um, int n_contacts, double pitch_um)
{
  gsize n = (gsize) MAX (n_shanks, 0) * MAX (n_contacts, 0);
  g_autofree double *xyz = g_new0 (double, 3 * MAX (n, 1));
  g_autofree int *shank = g_new0 (int, MAX (n, 1));
  for (int k = 0; k < n_shanks; k++)
    for (int j = 0; j < n_contacts; j++)
      {
        gsize e = (gsize) k * n_contacts + j;
        xyz[3 * e] = (k - (n_shanks - 1) / 2.0) * spacing_um;
        xyz[3 * e + 2] = (j - (n_contacts - 1) / 2.0) * pitch_um;
        shank[e] = k;
      }
  /* Translators: a parametric probe's name: shanks × contacts on each. */
  g_autofree char *name = g_strdup_printf (_("%d × %d shanks"), n_shanks, n_contacts);
  return wslfp_probe_layout_new (name, xyz, shank, n);
}

/* ---- placement ---- */

void
wslfp_contacts_center (const double *xyz_um, gsize n, double c[3])
{
  for (int k = 0; k < 3; k++)
    {
      double lo = INFINITY, hi = -INFINITY;
      for (gsize e = 0; e < n; e++)
        {
          lo = MIN (lo, xyz_um[3 * e + k]);
          hi = MAX (hi, xyz_um[3 * e + k]);
        }
      c[k] = n ? (lo + hi) / 2 : 0;
    }
}

void
wslfp_probe_layout_center (const WslfpProbeLayout *l, double c[3])
{
  wslfp_contacts_center (l->xyz_um, l->n_contacts, c);
}

void
wslfp_placement_as_given (const WslfpProbeLayout *l, WslfpPlacement *p)
{
  *p = (WslfpPlacement) { { 0, 0, 0 }, 0, 0, 0 };
  wslfp_probe_layout_center (l, p->center_um);
}

char *
wslfp_placement_describe (const WslfpPlacement *p)
{
  char x[WSLFP_NUMBER_LEN], y[WSLFP_NUMBER_LEN], z[WSLFP_NUMBER_LEN], a[WSLFP_NUMBER_LEN], t[WSLFP_NUMBER_LEN],
    r[WSLFP_NUMBER_LEN];
  return g_strdup_printf ("centre at %s,%s,%s µm, azimuth %s°, tilt %s°, roll %s°",
                          wslfp_format_number (p->center_um[0], x), wslfp_format_number (p->center_um[1], y),
                          wslfp_format_number (p->center_um[2], z), wslfp_format_number (p->azimuth_deg, a),
                          wslfp_format_number (p->tilt_deg, t), wslfp_format_number (p->roll_deg, r));
}

void
wslfp_placement_rotation (const WslfpPlacement *p, double R[9])
{
  double a = p->azimuth_deg * G_PI / 180, t = p->tilt_deg * G_PI / 180, r = p->roll_deg * G_PI / 180;
  double ca = cos (a), sa = sin (a), ct = cos (t), st = sin (t), cr = cos (r), sr = sin (r);
  /* Rz(a) · Rx(t) · Rz(r), multiplied out. */
  double Rz_a[9] = { ca, -sa, 0, sa, ca, 0, 0, 0, 1 };
  double Rx_t[9] = { 1, 0, 0, 0, ct, -st, 0, st, ct };
  double Rz_r[9] = { cr, -sr, 0, sr, cr, 0, 0, 0, 1 };
  double M[9];
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 3; j++)
      {
        M[3 * i + j] = 0;
        for (int k = 0; k < 3; k++)
          M[3 * i + j] += Rz_a[3 * i + k] * Rx_t[3 * k + j];
      }
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 3; j++)
      {
        R[3 * i + j] = 0;
        for (int k = 0; k < 3; k++)
          R[3 * i + j] += M[3 * i + k] * Rz_r[3 * k + j];
      }
}

static void
place_point (const double R[9], const double c[3], const double target[3], const double p[3], double out[3])
{
  /* Unturned, a probe only moves: p + (target − c) keeps a file's
   * positions exactly when it is not moved either. */
  if (R[0] == 1 && R[4] == 1 && R[8] == 1)
    {
      for (int i = 0; i < 3; i++)
        out[i] = p[i] + (target[i] - c[i]);
      return;
    }
  double v[3] = { p[0] - c[0], p[1] - c[1], p[2] - c[2] };
  for (int i = 0; i < 3; i++)
    out[i] = target[i] + R[3 * i] * v[0] + R[3 * i + 1] * v[1] + R[3 * i + 2] * v[2];
}

double *
wslfp_probe_layout_place (const WslfpProbeLayout *l, const WslfpPlacement *p)
{
  double R[9], c[3];
  wslfp_placement_rotation (p, R);
  wslfp_probe_layout_center (l, c);
  double *out = g_new (double, 3 * MAX (l->n_contacts, 1));
  for (gsize e = 0; e < l->n_contacts; e++)
    place_point (R, c, p->center_um, l->xyz_um + 3 * e, out + 3 * e);
  return out;
}

/* How far a body reaches past its contacts: below the deepest (the tip)
 * and above the highest (towards the base), and its least half-width. */
#define TIP_UM  60.0
#define BASE_UM 300.0
#define HALF_WIDTH_UM 12.0

gsize
wslfp_probe_layout_place_bodies (const WslfpProbeLayout *l, const WslfpPlacement *p, double **corners_um)
{
  double R[9], c[3];
  wslfp_placement_rotation (p, R);
  wslfp_probe_layout_center (l, c);
  gsize n = l->needles ? l->n_contacts : (gsize) l->n_shanks;
  double *out = g_new (double, 12 * MAX (n, 1));
  for (gsize b = 0; b < n; b++)
    {
      double x0 = INFINITY, x1 = -INFINITY, z0 = INFINITY, z1 = -INFINITY, y = 0;
      gsize count = 0;
      for (gsize e = 0; e < l->n_contacts; e++)
        if (l->needles ? e == b : l->shank[e] == (int) b)
          {
            const double *q = l->xyz_um + 3 * e;
            x0 = MIN (x0, q[0]);
            x1 = MAX (x1, q[0]);
            z0 = MIN (z0, q[2]);
            z1 = MAX (z1, q[2]);
            y += q[1];
            count++;
          }
      if (count == 0)
        {
          x0 = x1 = z0 = z1 = 0;
          count = 1;
        }
      y /= count;
      double mid = (x0 + x1) / 2, half = MAX ((x1 - x0) / 2 + 8, HALF_WIDTH_UM);
      double local[4][3] = { { mid - half, y, z0 - TIP_UM }, { mid + half, y, z0 - TIP_UM },
                             { mid + half, y, z1 + BASE_UM }, { mid - half, y, z1 + BASE_UM } };
      for (int k = 0; k < 4; k++)
        place_point (R, c, p->center_um, local[k], out + 12 * b + 3 * k);
    }
  *corners_um = out;
  return n;
}

/* ---- writing ---- */

gboolean
wslfp_probe_write (const char *path, const char *name, const double *xyz, const int *shank, gsize n, GError **error)
{
  g_autofree char *lower = g_ascii_strdown (path, -1);
  char a[WSLFP_NUMBER_LEN], b[WSLFP_NUMBER_LEN], c[WSLFP_NUMBER_LEN];
  g_autoptr (GString) text = g_string_new (NULL);
  if (!g_str_has_suffix (lower, ".json"))
    {
      /* Positions that read back equal: a probe placed in the Explorer and
       * saved gives `wslfp compute` the very LFP the Explorer showed. */
      g_string_append (text, "x_um,y_um,z_um,shank\n");
      for (gsize e = 0; e < n; e++)
        g_string_append_printf (text, "%s,%s,%s,%d\n", wslfp_format_number (xyz[3 * e], a),
                                wslfp_format_number (xyz[3 * e + 1], b), wslfp_format_number (xyz[3 * e + 2], c),
                                shank ? shank[e] : 0);
      return wslfp_atomic_write_text (path, text->str, error);
    }
  g_autoptr (JsonBuilder) jb = json_builder_new ();
  json_builder_begin_object (jb);
  json_builder_set_member_name (jb, "specification");
  json_builder_add_string_value (jb, "probeinterface");
  json_builder_set_member_name (jb, "version");
  json_builder_add_string_value (jb, "0.2.21");
  json_builder_set_member_name (jb, "probes");
  json_builder_begin_array (jb);
  json_builder_begin_object (jb);
  json_builder_set_member_name (jb, "ndim");
  json_builder_add_int_value (jb, 3);
  json_builder_set_member_name (jb, "si_units");
  json_builder_add_string_value (jb, "um");
  json_builder_set_member_name (jb, "annotations");
  json_builder_begin_object (jb);
  json_builder_set_member_name (jb, "model_name");
  json_builder_add_string_value (jb, name ? name : "probe");
  json_builder_set_member_name (jb, "placed_by");
  json_builder_add_string_value (jb, "wslfp " PACKAGE_VERSION);
  json_builder_end_object (jb);
  json_builder_set_member_name (jb, "contact_positions");
  json_builder_begin_array (jb);
  for (gsize e = 0; e < n; e++)
    {
      json_builder_begin_array (jb);
      for (int k = 0; k < 3; k++)
        json_builder_add_double_value (jb, xyz[3 * e + k]);
      json_builder_end_array (jb);
    }
  json_builder_end_array (jb);
  json_builder_set_member_name (jb, "shank_ids");
  json_builder_begin_array (jb);
  for (gsize e = 0; e < n; e++)
    {
      g_autofree char *id = g_strdup_printf ("%d", shank ? shank[e] : 0);
      json_builder_add_string_value (jb, id);
    }
  json_builder_end_array (jb);
  json_builder_set_member_name (jb, "contact_ids");
  json_builder_begin_array (jb);
  for (gsize e = 0; e < n; e++)
    {
      g_autofree char *id = g_strdup_printf ("%zu", e);
      json_builder_add_string_value (jb, id);
    }
  json_builder_end_array (jb);
  json_builder_end_object (jb);
  json_builder_end_array (jb);
  json_builder_end_object (jb);
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (JsonNode) root = json_builder_get_root (jb);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  g_autofree char *json = json_generator_to_data (gen, NULL);
  return wslfp_atomic_write_text (path, json, error);
}
