/* wslfp-sonata-nodes.c: the nodes of a SONATA network: populations, their
 * attributes (HDF5 group columns over node types), positions, apical axes,
 * E/I, and the choice of sources. */
#include "wslfp-sonata-private.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>

#include "wslfp-h5.h"

/* Per node of @p, attribute @col: from the node's group in the HDF5 file
 * (which wins) or its node type.  As strings (numbers formatted) in
 * *@strings, or as numbers in @numbers (NaN where absent); *@found says
 * whether any node has it. */
static gboolean
node_attribute (const Population *p, hid_t f, const char *col, char ***strings, double *numbers, gboolean *found,
                GError **error)
{
  *found = FALSE;
  if (strings != NULL)
    *strings = g_new0 (char *, p->n + 1);
  if (numbers != NULL)
    for (gsize k = 0; k < p->n; k++)
      numbers[k] = NAN;
  g_autoptr (GHashTable) done = g_hash_table_new (g_int64_hash, g_int64_equal);
  for (gsize k = 0; k < p->n; k++)
    {
      gint64 *gid = &p->group_id[k];
      if (g_hash_table_contains (done, gid))
        continue;
      g_hash_table_add (done, gid);
      g_autofree char *path = g_strdup_printf ("/nodes/%s/%lld/%s", p->name, (long long) *gid, col);
      if (!wslfp_h5_exists (f, path))
        continue;
      gsize n = 0;
      g_auto (GStrv) text = NULL;
      g_autofree double *v = NULL;
      if (strings != NULL)
        text = wslfp_h5_read_strings (f, p->file, path, &n, error);
      else
        {
          hsize_t dims[2];
          v = wslfp_h5_read_doubles (f, p->file, path, 1, dims, error);
          n = v != NULL ? dims[0] : 0;
        }
      if (text == NULL && v == NULL)
        return FALSE;
      for (gsize j = k; j < p->n; j++)
        {
          if (p->group_id[j] != *gid)
            continue;
          gint64 i = p->group_index[j];
          if (i < 0 || (guint64) i >= n)
            {
              g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_INVALID,
                           "%s: node %zu of population %s has node_group_index %lld, outside %s (%zu values)",
                           p->file, j, p->name, (long long) i, path, n);
              return FALSE;
            }
          if (strings != NULL)
            (*strings)[j] = g_strdup (text[i]);
          else
            numbers[j] = v[i];
        }
      *found = TRUE;
    }
  int c = wslfp_sonata_types_column (p->types, col);
  for (gsize k = 0; k < p->n && c >= 0; k++)
    {
      gboolean have = strings != NULL ? (*strings)[k] != NULL : !isnan (numbers[k]);
      if (have)
        continue;
      gint64 row = wslfp_sonata_types_find (p->types, p->name, p->type_id[k]);
      if (row < 0)
        {
          g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_INVALID,
                       "%s: node %zu of population %s has node_type_id %lld, which %s does not list", p->file, k,
                       p->name, (long long) p->type_id[k], wslfp_sonata_types_path (p->types));
          return FALSE;
        }
      const char *value = wslfp_sonata_types_value (p->types, row, c);
      if (strings != NULL)
        (*strings)[k] = g_strdup (value);
      else if (strcmp (value, "NULL") != 0 && strcmp (value, "None") != 0 && !sonata_parse_number (value, &numbers[k]))
        {
          g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_INVALID,
                       "%s: %s of node type %lld is \"%s\", not a number", wslfp_sonata_types_path (p->types), col,
                       (long long) p->type_id[k], value);
          return FALSE;
        }
      *found = TRUE;
    }
  return TRUE;
}

/* The unit apical axis of each node: +y turned by the node's quaternion
 * (w, x, y, z), where it has one, else by R = Rx(θx)·Ry(θy)·Rz(θz) (absent
 * angles are 0). */
static gboolean
read_orientation (Population *p, hid_t f, GError **error)
{
  gboolean found;
  const char *names[] = { "rotation_angle_xaxis", "rotation_angle_yaxis", "rotation_angle_zaxis" };
  g_autofree double *angle = g_new (double, 3 * MAX (p->n, 1));
  for (int c = 0; c < 3; c++)
    {
      g_autofree double *v = g_new (double, MAX (p->n, 1));
      if (!node_attribute (p, f, names[c], NULL, v, &found, error))
        return FALSE;
      for (gsize k = 0; k < p->n; k++)
        angle[3 * k + c] = isnan (v[k]) ? 0.0 : v[k];
    }
  for (gsize k = 0; k < p->n; k++)
    {
      double a = angle[3 * k], b = angle[3 * k + 1], c = angle[3 * k + 2];
      if (!isfinite (a) || !isfinite (b) || !isfinite (c))
        {
          g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_INVALID,
                       "%s: node %zu of population %s has rotation angles (%g, %g, %g)", p->file, k, p->name, a, b, c);
          return FALSE;
        }
      /* Rz(c)·ŷ, then Ry(b), then Rx(a). */
      double v0 = -sin (c), v1 = cos (c);
      double u0 = cos (b) * v0, u1 = v1, u2 = -sin (b) * v0;
      p->apical[3 * k] = u0;
      p->apical[3 * k + 1] = cos (a) * u1 - sin (a) * u2;
      p->apical[3 * k + 2] = sin (a) * u1 + cos (a) * u2;
    }

  /* Quaternions: four columns, or an (n, 4) dataset in a node group. */
  const char *quat[] = { "orientation_w", "orientation_x", "orientation_y", "orientation_z" };
  g_autofree double *q = g_new (double, 4 * MAX (p->n, 1));
  for (gsize k = 0; k < 4 * p->n; k++)
    q[k] = NAN;
  for (int c = 0; c < 4; c++)
    {
      g_autofree double *v = g_new (double, MAX (p->n, 1));
      if (!node_attribute (p, f, quat[c], NULL, v, &found, error))
        return FALSE;
      for (gsize k = 0; k < p->n; k++)
        q[4 * k + c] = v[k];
    }
  g_autoptr (GHashTable) done = g_hash_table_new (g_int64_hash, g_int64_equal);
  for (gsize k = 0; k < p->n; k++)
    {
      gint64 *gid = &p->group_id[k];
      if (g_hash_table_contains (done, gid))
        continue;
      g_hash_table_add (done, gid);
      g_autofree char *path = g_strdup_printf ("/nodes/%s/%lld/orientation", p->name, (long long) *gid);
      if (!wslfp_h5_exists (f, path))
        continue;
      hsize_t dims[2];
      g_autofree double *v = wslfp_h5_read_doubles (f, p->file, path, 2, dims, error);
      if (v == NULL)
        return FALSE;
      if (dims[1] != 4)
        {
          g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT,
                       "%s: %s has shape (%llu, %llu); expected (n, 4), a (w, x, y, z) quaternion per node", p->file,
                       path, (unsigned long long) dims[0], (unsigned long long) dims[1]);
          return FALSE;
        }
      for (gsize j = k; j < p->n; j++)
        if (p->group_id[j] == *gid)
          {
            gint64 i = p->group_index[j];
            if (i < 0 || (guint64) i >= dims[0])
              {
                g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_INVALID,
                             "%s: node %zu of population %s has node_group_index %lld, outside %s", p->file, j,
                             p->name, (long long) i, path);
                return FALSE;
              }
            memcpy (q + 4 * j, v + 4 * i, 4 * sizeof (double));
          }
    }
  for (gsize k = 0; k < p->n; k++)
    {
      double w = q[4 * k], x = q[4 * k + 1], y = q[4 * k + 2], z = q[4 * k + 3];
      if (isnan (w) && isnan (x) && isnan (y) && isnan (z))
        continue;
      double norm = sqrt (w * w + x * x + y * y + z * z);
      if (!isfinite (norm) || norm == 0)
        {
          g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_INVALID,
                       "%s: node %zu of population %s has orientation (%g, %g, %g, %g), not a rotation", p->file, k,
                       p->name, w, x, y, z);
          return FALSE;
        }
      w /= norm, x /= norm, y /= norm, z /= norm;
      /* The second column of the quaternion's rotation matrix. */
      p->apical[3 * k] = 2 * (x * y - z * w);
      p->apical[3 * k + 1] = 1 - 2 * (x * x + z * z);
      p->apical[3 * k + 2] = 2 * (y * z + x * w);
    }
  return TRUE;
}

static gboolean
read_population (Reader *r, hid_t f, const char *file, const WslfpSonataTypes *types, const char *name,
                 GError **error)
{
  Population *p = g_new0 (Population, 1);
  g_ptr_array_add (r->populations, p);
  p->name = g_strdup (name);
  p->file = g_strdup (file);
  p->types = types;
  p->offset = r->n_nodes;
  hsize_t dims[2];
  g_autofree char *type_path = g_strdup_printf ("/nodes/%s/node_type_id", name);
  if ((p->type_id = wslfp_h5_read_ints (f, file, type_path, 1, dims, error)) == NULL)
    return FALSE;
  p->n = dims[0];
  r->n_nodes += p->n;
  const char *cols[] = { "node_id", "node_group_id", "node_group_index" };
  gint64 *values[3] = { NULL, NULL, NULL };
  for (int c = 0; c < 3; c++)
    {
      g_autofree char *path = g_strdup_printf ("/nodes/%s/%s", name, cols[c]);
      if (!wslfp_h5_exists (f, path))
        continue;
      if ((values[c] = wslfp_h5_read_ints (f, file, path, 1, dims, error)) == NULL || dims[0] != p->n)
        {
          if (values[c] != NULL)
            g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT,
                         "%s: %s has %llu values; expected %zu, one per node (as node_type_id)", file, path,
                         (unsigned long long) dims[0], p->n);
          for (int k = 0; k < 3; k++)
            g_free (values[k]);
          return FALSE;
        }
    }
  g_autofree gint64 *node_id = values[0];
  p->group_id = values[1];
  p->group_index = values[2];
  if (p->group_id == NULL)
    p->group_id = g_new0 (gint64, MAX (p->n, 1)); /* one group, "0" */
  if (p->group_index == NULL)
    {
      p->group_index = g_new (gint64, MAX (p->n, 1));
      for (gsize k = 0; k < p->n; k++)
        p->group_index[k] = (gint64) k;
    }
  if (node_id != NULL)
    {
      gboolean identity = TRUE;
      for (gsize k = 0; k < p->n && identity; k++)
        identity = node_id[k] == (gint64) k;
      if (!identity)
        {
          p->row_of_id = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
          for (gsize k = 0; k < p->n; k++)
            {
              if (g_hash_table_contains (p->row_of_id, &node_id[k]))
                {
                  g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_INVALID,
                               "%s: /nodes/%s/node_id[%zu] = %lld appears twice", file, name, k,
                               (long long) node_id[k]);
                  return FALSE;
                }
              g_hash_table_insert (p->row_of_id, g_memdup2 (&node_id[k], sizeof (gint64)), GSIZE_TO_POINTER (k + 1));
            }
        }
    }

  /* E/I type */
  gboolean found;
  g_auto (GStrv) ei = NULL;
  if (!node_attribute (p, f, "ei", &ei, NULL, &found, error))
    return FALSE;
  p->ei = g_new0 (char, MAX (p->n, 1));
  for (gsize k = 0; k < p->n && found; k++)
    {
      const char *v = ei[k];
      if (v == NULL || *v == '\0' || strcmp (v, "NULL") == 0)
        continue;
      if (strcmp (v, "e") == 0 || strcmp (v, "i") == 0)
        p->ei[k] = v[0];
      else
        {
          g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_INVALID,
                       "%s: node %zu of population %s has ei \"%s\"; expected e or i", file, k, name, v);
          return FALSE;
        }
    }

  /* Positions, all three or none */
  const char *axes[] = { "x", "y", "z" };
  g_autofree double *xyz = g_new (double, 3 * MAX (p->n, 1));
  int n_axes = 0;
  for (int c = 0; c < 3; c++)
    {
      g_autofree double *v = g_new (double, MAX (p->n, 1));
      if (!node_attribute (p, f, axes[c], NULL, v, &found, error))
        return FALSE;
      n_axes += found;
      for (gsize k = 0; k < p->n; k++)
        xyz[3 * k + c] = v[k];
    }
  if (n_axes == 3)
    {
      for (gsize k = 0; k < 3 * p->n; k++)
        if (!isfinite (xyz[k]))
          {
            g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_INVALID,
                         "%s: node %zu of population %s has no finite %s position (%g)", file, k / 3, name,
                         axes[k % 3], xyz[k]);
            return FALSE;
          }
      p->xyz = g_steal_pointer (&xyz);
      p->apical = g_new (double, 3 * MAX (p->n, 1));
      if (!read_orientation (p, f, error))
        return FALSE;
    }
  p->source = g_new (gint64, MAX (p->n, 1));
  for (gsize k = 0; k < p->n; k++)
    p->source[k] = -1;
  return TRUE;
}

gboolean
sonata_read_nodes (Reader *r, GError **error)
{
  for (guint i = 0; i < r->config->nodes->len; i++)
    {
      WslfpSonataNodesEntry *e = r->config->nodes->pdata[i];
      WslfpSonataTypes *types = NULL;
      if (e->node_types_file != NULL)
        {
          if ((types = wslfp_sonata_types_read (e->node_types_file, "node_type_id", error)) == NULL)
            {
              g_prefix_error (error, "%s: ", e->origin);
              return FALSE;
            }
          g_ptr_array_add (r->types, types);
        }
      if (!g_file_test (e->nodes_file, G_FILE_TEST_EXISTS))
        {
          g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_OPEN, "%s (%s) does not exist", e->nodes_file,
                       e->origin);
          return FALSE;
        }
      sonata_note_file (r, e->nodes_file);
      if (e->node_types_file != NULL)
        sonata_note_file (r, e->node_types_file);
      hid_t f = wslfp_h5_open_read (e->nodes_file, error);
      if (f < 0)
        return FALSE;
      g_autoptr (GPtrArray) names = sonata_child_groups (f, "/nodes");
      gboolean ok = names->len > 0;
      if (!ok)
        g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT, "%s: no populations under /nodes (%s)",
                     e->nodes_file, e->origin);
      for (guint k = 0; k < names->len && ok; k++)
        {
          if (sonata_find_population (r, names->pdata[k]) != NULL)
            {
              g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT,
                           "%s: population %s is also in an earlier nodes file", e->nodes_file,
                           (char *) names->pdata[k]);
              ok = FALSE;
            }
          else
            ok = read_population (r, f, e->nodes_file, types, names->pdata[k], error);
        }
      H5Fclose (f);
      if (!ok)
        return FALSE;
    }
  return TRUE;
}

/* Whether @value (as written after ==, quotes allowed) equals @have. */
static gboolean
value_matches (const char *value, const char *have)
{
  double a, b;
  if (have == NULL)
    return FALSE;
  if (sonata_parse_number (value, &a) && sonata_parse_number (have, &b))
    return a == b;
  return strcmp (value, have) == 0;
}

gboolean
sonata_choose_sources (Reader *r, GError **error)
{
  const char *rule = r->options->sources;
  g_autofree char *column = NULL, *value = NULL;
  if (rule != NULL)
    {
      const char *eq = strstr (rule, "==");
      if (eq == NULL || eq == rule || eq[2] == '\0')
        {
          g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_INVALID,
                       "--sources \"%s\": expected COLUMN==VALUE (e.g. ei==e, pop_name==L5e)", rule);
          return FALSE;
        }
      column = g_strstrip (g_strndup (rule, (gsize) (eq - rule)));
      value = g_strstrip (g_strdup (eq + 2));
      gsize len = strlen (value);
      if (len >= 2 && (value[0] == '\'' || value[0] == '"') && value[len - 1] == value[0])
        {
          memmove (value, value + 1, len - 2);
          value[len - 2] = '\0';
        }
    }
  GArray *chosen = g_array_new (FALSE, FALSE, sizeof (gint64));
  gboolean column_seen = FALSE;
  for (guint i = 0; i < r->populations->len; i++)
    {
      Population *p = r->populations->pdata[i];
      g_auto (GStrv) have = NULL;
      if (column != NULL)
        {
          gboolean found;
          hid_t f = wslfp_h5_open_read (p->file, error);
          if (f < 0)
            {
              g_array_unref (chosen);
              return FALSE;
            }
          gboolean ok = node_attribute (p, f, column, &have, NULL, &found, error);
          H5Fclose (f);
          if (!ok)
            {
              g_array_unref (chosen);
              return FALSE;
            }
          column_seen |= found;
          if (strcmp (column, "node_type_id") == 0 || strcmp (column, "node_id") == 0)
            for (gsize k = 0; k < p->n; k++)
              {
                g_free (have[k]);
                have[k] = g_strdup_printf ("%lld", (long long) (column[5] == 't' ? p->type_id[k] : (gint64) k));
                column_seen = TRUE;
              }
        }
      for (gsize k = 0; k < p->n; k++)
        {
          gboolean pick = column != NULL ? value_matches (value, have[k]) : p->ei[k] == 'e' && p->xyz != NULL;
          if (!pick)
            continue;
          if (p->xyz == NULL)
            {
              g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_INVALID,
                           "--sources %s chooses node %zu of population %s (%s), which has no positions (x, y, z)",
                           rule, k, p->name, p->file);
              g_array_unref (chosen);
              return FALSE;
            }
          p->source[k] = (gint64) chosen->len;
          gint64 global = (gint64) (p->offset + k);
          g_array_append_val (chosen, global);
        }
    }
  r->n_sources = chosen->len;
  r->source_node = (gint64 *) g_array_free (chosen, FALSE);
  if (r->n_sources == 0)
    {
      if (column != NULL && !column_seen)
        g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_INVALID,
                     "--sources %s: no population has a node or node-type attribute %s", rule, column);
      else if (column != NULL)
        g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_INVALID, "--sources %s: no node has %s equal to %s",
                     rule, column, value);
      else
        g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_INVALID,
                     "%s: no sources: no node of a population with positions (x, y, z) has ei == e; choose them with "
                     "--sources COLUMN==VALUE", r->config->path);
      return FALSE;
    }
  return TRUE;
}

