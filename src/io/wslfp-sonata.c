/* wslfp-sonata.c: a SONATA network as a dataset.
 *
 * Every population of every nodes file gets a block of global node indices
 * in the config's order (files as listed, populations by name within a
 * file: the order in which NEST's SonataNetwork creates them).  The
 * sources are chosen nodes of populations with positions; each edge onto a
 * source becomes one CSR connection from its presynaptic node's global
 * index, in the exc group when that node has ei == e and the inh group when
 * ei == i (without ei: by the sign of syn_weight), weight |syn_weight| ·
 * nsyns, with the edge's own delay.  Edges are read in chunks, twice (count,
 * then fill), so memory is the CSR plus a chunk. */
#include "wslfp-sonata.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>

#include "wslfp-h5.h"
#include "wslfp-nest-spikes.h"
#include "wslfp-sonata-config.h"
#include "wslfp-sonata-types.h"

/* Edges read at a time: 5 int64 and 3 double columns of it, 64 MiB. */
#define EDGE_CHUNK ((gsize) 1 << 20)

void
wslfp_sonata_options_init (WslfpSonataOptions *options)
{
  memset (options, 0, sizeof *options);
}

typedef struct
{
  char *name;
  char *file;                    /* its nodes file */
  const WslfpSonataTypes *types; /* borrowed, or NULL */
  gsize n, offset;               /* nodes; global index of node 0 */
  GHashTable *row_of_id;         /* node_id → row + 1, or NULL when the ids are 0 … n − 1 */
  gint64 *type_id, *group_id, *group_index;
  char *ei;                      /* per node 'e', 'i' or 0 (no ei) */
  double *xyz;                   /* n × 3, or NULL without positions */
  double *apical;                /* n × 3 unit vectors, with xyz */
  gint64 *source;                /* per node its index among the sources, or −1 */
} Population;

static void
population_free (gpointer data)
{
  Population *p = data;
  g_free (p->name);
  g_free (p->file);
  g_clear_pointer (&p->row_of_id, g_hash_table_unref);
  g_free (p->type_id);
  g_free (p->group_id);
  g_free (p->group_index);
  g_free (p->ei);
  g_free (p->xyz);
  g_free (p->apical);
  g_free (p->source);
  g_free (p);
}

typedef struct
{
  const WslfpSonataOptions *options;
  WslfpSonataConfig *config;
  GPtrArray *types;        /* WslfpSonataTypes, owned */
  GPtrArray *populations;  /* Population */
  gsize n_nodes;           /* all populations */
  gsize n_sources;
  gint64 *source_node;     /* per source its global node index */
  /* Per group (exc, inh): CSR by global presynaptic node. */
  gint64 *indptr[WSLFP_N_SPIKE_GROUPS];
  gint64 *indices[WSLFP_N_SPIKE_GROUPS];
  double *weight[WSLFP_N_SPIKE_GROUPS];
  double *delay[WSLFP_N_SPIKE_GROUPS];
  gsize n_edges_read;      /* edges in the files, onto sources or not */
  /* Spikes of every node: time and global index. */
  GArray *spike_t, *spike_node;
  GString *summary;
  GPtrArray *files;        /* every file read, for `convert` not to write over one */
} Reader;

static void
note_file (Reader *r, const char *path)
{
  for (guint i = 0; i < r->files->len; i++)
    if (strcmp (r->files->pdata[i], path) == 0)
      return;
  g_ptr_array_add (r->files, g_strdup (path));
}

static void
reader_clear (Reader *r)
{
  wslfp_sonata_config_free (r->config);
  g_clear_pointer (&r->types, g_ptr_array_unref);
  g_clear_pointer (&r->populations, g_ptr_array_unref);
  g_free (r->source_node);
  for (int g = 0; g < WSLFP_N_SPIKE_GROUPS; g++)
    {
      g_free (r->indptr[g]);
      g_free (r->indices[g]);
      g_free (r->weight[g]);
      g_free (r->delay[g]);
    }
  g_clear_pointer (&r->spike_t, g_array_unref);
  g_clear_pointer (&r->spike_node, g_array_unref);
  if (r->summary != NULL)
    g_string_free (r->summary, TRUE);
  g_clear_pointer (&r->files, g_ptr_array_unref);
}

static Population *
find_population (const Reader *r, const char *name)
{
  for (guint i = 0; i < r->populations->len; i++)
    {
      Population *p = r->populations->pdata[i];
      if (strcmp (p->name, name) == 0)
        return p;
    }
  return NULL;
}

static char *
population_names (const Reader *r)
{
  g_autoptr (GString) s = g_string_new (NULL);
  for (guint i = 0; i < r->populations->len; i++)
    g_string_append_printf (s, "%s%s", i ? ", " : "", ((Population *) r->populations->pdata[i])->name);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* The row of node @id in @p, or −1. */
static gint64
population_row (const Population *p, gint64 id)
{
  if (p->row_of_id == NULL)
    return id >= 0 && (guint64) id < p->n ? id : -1;
  gint64 key = id;
  gsize row = GPOINTER_TO_SIZE (g_hash_table_lookup (p->row_of_id, &key));
  return row == 0 ? -1 : (gint64) row - 1;
}

static gboolean
parse_number (const char *text, double *v)
{
  char *end = NULL;
  if (text == NULL || *text == '\0')
    return FALSE;
  errno = 0;
  *v = g_ascii_strtod (text, &end);
  return errno == 0 && end != text && *end == '\0';
}

/* The names of the groups under @path that hold datasets (a population's
 * node groups), or of its child groups (populations). */
static herr_t
collect_name_cb (hid_t group, const char *name, const H5L_info_t *info, void *data)
{
  H5O_info_t oi;
  if (H5Oget_info_by_name (group, name, &oi, H5P_DEFAULT) >= 0 && oi.type == H5O_TYPE_GROUP)
    g_ptr_array_add (data, g_strdup (name));
  return 0;
}

static GPtrArray *
child_groups (hid_t f, const char *path)
{
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  hid_t g = H5Gopen2 (f, path, H5P_DEFAULT);
  if (g >= 0)
    {
      hsize_t idx = 0;
      H5Literate (g, H5_INDEX_NAME, H5_ITER_INC, &idx, collect_name_cb, names);
      H5Gclose (g);
    }
  return names;
}

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
      else if (strcmp (value, "NULL") != 0 && strcmp (value, "None") != 0 && !parse_number (value, &numbers[k]))
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

static gboolean
read_nodes (Reader *r, GError **error)
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
      note_file (r, e->nodes_file);
      if (e->node_types_file != NULL)
        note_file (r, e->node_types_file);
      hid_t f = wslfp_h5_open_read (e->nodes_file, error);
      if (f < 0)
        return FALSE;
      g_autoptr (GPtrArray) names = child_groups (f, "/nodes");
      gboolean ok = names->len > 0;
      if (!ok)
        g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT, "%s: no populations under /nodes (%s)",
                     e->nodes_file, e->origin);
      for (guint k = 0; k < names->len && ok; k++)
        {
          if (find_population (r, names->pdata[k]) != NULL)
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
  if (parse_number (value, &a) && parse_number (have, &b))
    return a == b;
  return strcmp (value, have) == 0;
}

static gboolean
choose_sources (Reader *r, GError **error)
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

/* One chunk of an edge population, resolved. */
typedef struct
{
  gsize n;
  gint64 *pre;      /* global presynaptic index */
  gint64 *target;   /* source index of the target, or −1 */
  double *weight;   /* syn_weight · nsyns (signed) */
  double *delay;
} EdgeChunk;

/* An edge population being read. */
typedef struct
{
  const char *file;
  hid_t f;
  char *name;
  const WslfpSonataTypes *types;
  Population *pre_pop, *post_pop;
  gsize n;
  gboolean has_group_id, has_group_index;
  /* per edge type: its attributes from the types file (NaN: absent) */
  GHashTable *type_values;  /* gint64 type id → double[3] */
} EdgePopulation;

static const char *edge_attributes[] = { "syn_weight", "nsyns", "delay" };

static gboolean
read_slice_ints (const EdgePopulation *ep, const char *column, gsize first, gsize n, gint64 *out, GError **error)
{
  g_autofree char *path = g_strdup_printf ("/edges/%s/%s", ep->name, column);
  hid_t d = H5Dopen2 (ep->f, path, H5P_DEFAULT);
  hid_t space = d >= 0 ? H5Dget_space (d) : -1;
  hsize_t start = first, count = n;
  hid_t mem = H5Screate_simple (1, &count, NULL);
  gboolean ok = d >= 0 && space >= 0
                && H5Sselect_hyperslab (space, H5S_SELECT_SET, &start, NULL, &count, NULL) >= 0
                && H5Dread (d, H5T_NATIVE_INT64, mem, space, H5P_DEFAULT, out) >= 0;
  H5Sclose (mem);
  if (space >= 0)
    H5Sclose (space);
  if (d >= 0)
    H5Dclose (d);
  if (!ok)
    g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_OPEN, "%s: cannot read %s[%zu:%zu] (damaged file?)", ep->file,
                 path, first, first + n);
  return ok;
}

/* Values of @d at the (ascending or not) indices @idx, as doubles. */
static gboolean
read_elements (hid_t d, const gint64 *idx, gsize n, double *out)
{
  hid_t space = H5Dget_space (d);
  hsize_t count = n;
  hid_t mem = H5Screate_simple (1, &count, NULL);
  gboolean contiguous = TRUE;
  for (gsize k = 1; k < n && contiguous; k++)
    contiguous = idx[k] == idx[0] + (gint64) k;
  gboolean ok;
  if (contiguous)
    {
      hsize_t start = (hsize_t) idx[0];
      ok = H5Sselect_hyperslab (space, H5S_SELECT_SET, &start, NULL, &count, NULL) >= 0;
    }
  else
    ok = H5Sselect_elements (space, H5S_SELECT_SET, n, (const hsize_t *) idx) >= 0;
  ok = ok && H5Dread (d, H5T_NATIVE_DOUBLE, mem, space, H5P_DEFAULT, out) >= 0;
  H5Sclose (mem);
  H5Sclose (space);
  return ok;
}

static gboolean
read_edge_chunk (const Reader *r, const EdgePopulation *ep, gsize first, EdgeChunk *c, GError **error)
{
  gsize n = c->n;
  g_autofree gint64 *src = g_new (gint64, n), *tgt = g_new (gint64, n), *type = g_new (gint64, n);
  g_autofree gint64 *gid = g_new0 (gint64, n), *gidx = g_new (gint64, n);
  if (!read_slice_ints (ep, "source_node_id", first, n, src, error)
      || !read_slice_ints (ep, "target_node_id", first, n, tgt, error)
      || !read_slice_ints (ep, "edge_type_id", first, n, type, error)
      || (ep->has_group_id && !read_slice_ints (ep, "edge_group_id", first, n, gid, error))
      || (ep->has_group_index && !read_slice_ints (ep, "edge_group_index", first, n, gidx, error)))
    return FALSE;
  if (!ep->has_group_index)
    for (gsize k = 0; k < n; k++)
      gidx[k] = (gint64) (first + k);
  for (gsize k = 0; k < n; k++)
    {
      gint64 pre_row = population_row (ep->pre_pop, src[k]), post_row = population_row (ep->post_pop, tgt[k]);
      if (pre_row < 0 || post_row < 0)
        {
          gboolean pre = pre_row < 0;
          g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_INVALID,
                       "%s: /edges/%s/%s[%zu] = %lld is not a node of population %s (%zu nodes)", ep->file, ep->name,
                       pre ? "source_node_id" : "target_node_id", first + k, (long long) (pre ? src[k] : tgt[k]),
                       pre ? ep->pre_pop->name : ep->post_pop->name, pre ? ep->pre_pop->n : ep->post_pop->n);
          return FALSE;
        }
      c->pre[k] = (gint64) ep->pre_pop->offset + pre_row;
      c->target[k] = ep->post_pop->source[post_row];
      c->weight[k] = NAN;
      c->delay[k] = NAN;
    }
  /* Attributes: from each edge's group (which wins), else its type. */
  double nsyns_default = 1.0;
  g_autofree double *nsyns = g_new (double, n);
  double *columns[3] = { c->weight, nsyns, c->delay };
  for (gsize k = 0; k < n; k++)
    nsyns[k] = NAN;
  g_autoptr (GHashTable) groups = g_hash_table_new (g_int64_hash, g_int64_equal);
  for (gsize k = 0; k < n; k++)
    g_hash_table_add (groups, &gid[k]);
  GHashTableIter iter;
  gpointer key;
  g_hash_table_iter_init (&iter, groups);
  g_autofree gint64 *idx = g_new (gint64, n);
  g_autofree gsize *where = g_new (gsize, n);
  g_autofree double *values = g_new (double, n);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      gint64 g = *(gint64 *) key;
      gsize m = 0;
      for (gsize k = 0; k < n; k++)
        if (gid[k] == g)
          {
            idx[m] = gidx[k];
            where[m++] = k;
          }
      for (int a = 0; a < 3; a++)
        {
          g_autofree char *path = g_strdup_printf ("/edges/%s/%lld/%s", ep->name, (long long) g, edge_attributes[a]);
          if (!wslfp_h5_exists (ep->f, path))
            continue;
          hid_t d = H5Dopen2 (ep->f, path, H5P_DEFAULT);
          hid_t space = d >= 0 ? H5Dget_space (d) : -1;
          hssize_t len = space >= 0 ? H5Sget_simple_extent_npoints (space) : -1;
          if (space >= 0)
            H5Sclose (space);
          for (gsize j = 0; j < m && len >= 0; j++)
            if (idx[j] < 0 || idx[j] >= len)
              {
                g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_INVALID,
                             "%s: edge %zu of population %s has edge_group_index %lld, outside %s (%lld values)",
                             ep->file, first + where[j], ep->name, (long long) idx[j], path, (long long) len);
                H5Dclose (d);
                return FALSE;
              }
          gboolean ok = d >= 0 && len >= 0 && read_elements (d, idx, m, values);
          if (d >= 0)
            H5Dclose (d);
          if (!ok)
            {
              g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_OPEN, "%s: cannot read %s (damaged file?)", ep->file,
                           path);
              return FALSE;
            }
          for (gsize j = 0; j < m; j++)
            {
              if (!isfinite (values[j]))
                {
                  g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_INVALID, "%s: %s[%lld] is %g", ep->file, path,
                               (long long) idx[j], values[j]);
                  return FALSE;
                }
              columns[a][where[j]] = values[j];
            }
        }
    }
  for (gsize k = 0; k < n; k++)
    {
      const double *typed = NULL;
      if (isnan (c->weight[k]) || isnan (nsyns[k]) || isnan (c->delay[k]))
        {
          typed = g_hash_table_lookup (ep->type_values, &type[k]);
          if (typed == NULL && ep->types != NULL)
            {
              g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_INVALID,
                           "%s: edge %zu of population %s has edge_type_id %lld, which %s does not list", ep->file,
                           first + k, ep->name, (long long) type[k], wslfp_sonata_types_path (ep->types));
              return FALSE;
            }
        }
      for (int a = 0; a < 3 && typed != NULL; a++)
        if (isnan (columns[a][k]))
          columns[a][k] = typed[a];
      if (isnan (c->weight[k]))
        {
          g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_INVALID,
                       "%s: edge %zu of population %s has no syn_weight (neither in its group %lld nor in edge type "
                       "%lld%s%s)", ep->file, first + k, ep->name, (long long) gid[k], (long long) type[k],
                       ep->types ? " of " : "", ep->types ? wslfp_sonata_types_path (ep->types) : "");
          return FALSE;
        }
      if (isnan (nsyns[k]))
        nsyns[k] = nsyns_default;
      if (isnan (c->delay[k]))
        c->delay[k] = 0.0;
      if (c->delay[k] < 0 || nsyns[k] < 0)
        {
          g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_INVALID,
                       "%s: edge %zu of population %s has %s %g; it must be >= 0", ep->file, first + k, ep->name,
                       c->delay[k] < 0 ? "delay" : "nsyns", c->delay[k] < 0 ? c->delay[k] : nsyns[k]);
          return FALSE;
        }
      c->weight[k] *= nsyns[k];
    }
  return TRUE;
}

/* The group (exc or inh) of an edge from global node @pre with weight @w,
 * or −1 for none (no ei and weight 0). */
static int
edge_group (const Reader *r, const Population *pre_pop, gint64 pre, double w)
{
  char ei = pre_pop->ei[pre - (gint64) pre_pop->offset];
  if (ei == 'e')
    return WSLFP_SPIKES_EXC;
  if (ei == 'i')
    return WSLFP_SPIKES_INH;
  return w > 0 ? WSLFP_SPIKES_EXC : w < 0 ? WSLFP_SPIKES_INH : -1;
}

static gboolean
open_edge_population (Reader *r, hid_t f, const char *file, const WslfpSonataTypes *types, const char *name,
                      EdgePopulation *ep, GError **error)
{
  memset (ep, 0, sizeof *ep);
  ep->file = file;
  ep->f = f;
  ep->name = g_strdup (name);
  ep->types = types;
  const char *ends[] = { "source_node_id", "target_node_id" };
  Population *pops[2] = { NULL, NULL };
  for (int k = 0; k < 2; k++)
    {
      g_autofree char *path = g_strdup_printf ("/edges/%s/%s", name, ends[k]);
      int rank;
      hsize_t dims[2];
      if (!wslfp_h5_shape (f, file, path, &rank, dims, NULL, error))
        return FALSE;
      if (rank != 1 || (k == 1 && dims[0] != ep->n))
        {
          g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT, "%s: %s must have one value per edge", file,
                       path);
          return FALSE;
        }
      ep->n = dims[0];
      hid_t d = H5Dopen2 (f, path, H5P_DEFAULT);
      g_autofree char *where = g_strdup_printf ("%s: %s", file, path);
      g_autofree char *pop = wslfp_h5_attr_string (d, where, "node_population", error);
      H5Dclose (d);
      if (pop == NULL)
        {
          if (error != NULL && *error == NULL)
            g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT,
                         "%s has no node_population attribute (which node population its ids are of)", where);
          return FALSE;
        }
      if ((pops[k] = find_population (r, pop)) == NULL)
        {
          g_autofree char *names = population_names (r);
          g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_INVALID,
                       "%s: node population %s (its node_population) is not in the network (%s has %s)", where, pop,
                       r->config->path, names);
          return FALSE;
        }
    }
  ep->pre_pop = pops[0];
  ep->post_pop = pops[1];
  const char *optional[] = { "edge_type_id", "edge_group_id", "edge_group_index" };
  for (int k = 0; k < 3; k++)
    {
      g_autofree char *path = g_strdup_printf ("/edges/%s/%s", name, optional[k]);
      gboolean exists = wslfp_h5_exists (f, path);
      int rank;
      hsize_t dims[2];
      if (k == 0 && !exists)
        {
          g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT, "%s: %s is missing", file, path);
          return FALSE;
        }
      if (exists && (!wslfp_h5_shape (f, file, path, &rank, dims, NULL, error) || rank != 1 || dims[0] != ep->n))
        {
          if (error != NULL && *error == NULL)
            g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT,
                         "%s: %s must have one value per edge (%zu)", file, path, ep->n);
          return FALSE;
        }
      if (k == 1)
        ep->has_group_id = exists;
      if (k == 2)
        ep->has_group_index = exists;
    }
  ep->type_values = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  if (types != NULL)
    {
      int id_col = wslfp_sonata_types_column (types, "edge_type_id");
      int cols[3];
      for (int a = 0; a < 3; a++)
        cols[a] = wslfp_sonata_types_column (types, edge_attributes[a]);
      int pop_col = wslfp_sonata_types_column (types, "population");
      /* The types table's rows, by id (and population, when it has one). */
      for (gint64 row = 0; row < wslfp_sonata_types_n_rows (types); row++)
        {
          if (pop_col >= 0 && strcmp (wslfp_sonata_types_value (types, row, pop_col), name) != 0)
            continue;
          gint64 id = g_ascii_strtoll (wslfp_sonata_types_value (types, row, id_col), NULL, 10);
          double *v = g_new (double, 3);
          for (int a = 0; a < 3; a++)
            {
              v[a] = NAN;
              const char *text = cols[a] >= 0 ? wslfp_sonata_types_value (types, row, cols[a]) : NULL;
              if (text != NULL && strcmp (text, "NULL") != 0 && strcmp (text, "None") != 0
                  && (!parse_number (text, &v[a]) || !isfinite (v[a])))
                {
                  g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_INVALID,
                               "%s: %s of edge type %lld is \"%s\", not a number", wslfp_sonata_types_path (types),
                               edge_attributes[a], (long long) id, text);
                  g_free (v);
                  return FALSE;
                }
            }
          g_hash_table_insert (ep->type_values, g_memdup2 (&id, sizeof id), v);
        }
    }
  return TRUE;
}

static void
edge_population_clear (EdgePopulation *ep)
{
  g_free (ep->name);
  g_clear_pointer (&ep->type_values, g_hash_table_unref);
}

/* Both passes over every edge population onto the sources: @fill FALSE
 * counts each row's connections into r->indptr[g][pre + 1], TRUE places
 * them (cursor: the next free slot of each row). */
static gboolean
pass_edges (Reader *r, gboolean fill, gint64 **cursor, GError **error)
{
  EdgeChunk c = { 0 };
  c.pre = g_new (gint64, EDGE_CHUNK);
  c.target = g_new (gint64, EDGE_CHUNK);
  c.weight = g_new (double, EDGE_CHUNK);
  c.delay = g_new (double, EDGE_CHUNK);
  gboolean ok = TRUE;
  r->n_edges_read = 0;
  for (guint i = 0; i < r->config->edges->len && ok; i++)
    {
      WslfpSonataEdgesEntry *e = r->config->edges->pdata[i];
      const WslfpSonataTypes *types = NULL;
      if (e->edge_types_file != NULL)
        {
          /* read once, in the first pass; the second finds it by path */
          for (guint t = 0; t < r->types->len && types == NULL; t++)
            if (strcmp (wslfp_sonata_types_path (r->types->pdata[t]), e->edge_types_file) == 0)
              types = r->types->pdata[t];
          if (types == NULL)
            {
              WslfpSonataTypes *read = wslfp_sonata_types_read (e->edge_types_file, "edge_type_id", error);
              if (read == NULL)
                {
                  g_prefix_error (error, "%s: ", e->origin);
                  ok = FALSE;
                  break;
                }
              g_ptr_array_add (r->types, read);
              types = read;
            }
        }
      if (!g_file_test (e->edges_file, G_FILE_TEST_EXISTS))
        {
          g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_OPEN, "%s (%s) does not exist", e->edges_file,
                       e->origin);
          ok = FALSE;
          break;
        }
      note_file (r, e->edges_file);
      if (e->edge_types_file != NULL)
        note_file (r, e->edge_types_file);
      hid_t f = wslfp_h5_open_read (e->edges_file, error);
      if (f < 0)
        {
          ok = FALSE;
          break;
        }
      g_autoptr (GPtrArray) names = child_groups (f, "/edges");
      for (guint k = 0; k < names->len && ok; k++)
        {
          EdgePopulation ep;
          ok = open_edge_population (r, f, e->edges_file, types, names->pdata[k], &ep, error);
          gboolean any_source = FALSE;
          for (gsize j = 0; ok && j < ep.post_pop->n && !any_source; j++)
            any_source = ep.post_pop->source[j] >= 0;
          for (gsize first = 0; ok && any_source && first < ep.n; first += EDGE_CHUNK)
            {
              c.n = MIN (EDGE_CHUNK, ep.n - first);
              if (!(ok = read_edge_chunk (r, &ep, first, &c, error)))
                break;
              for (gsize j = 0; j < c.n; j++)
                {
                  if (c.target[j] < 0)
                    continue;
                  int g = edge_group (r, ep.pre_pop, c.pre[j], c.weight[j]);
                  if (g < 0)
                    continue;
                  if (!fill)
                    {
                      r->indptr[g][c.pre[j] + 1]++;
                      continue;
                    }
                  gint64 slot = cursor[g][c.pre[j]]++;
                  r->indices[g][slot] = c.target[j];
                  r->weight[g][slot] = fabs (c.weight[j]);
                  r->delay[g][slot] = c.delay[j];
                }
            }
          if (ok)
            r->n_edges_read += ep.n;
          edge_population_clear (&ep);
        }
      H5Fclose (f);
    }
  g_free (c.pre);
  g_free (c.target);
  g_free (c.weight);
  g_free (c.delay);
  return ok;
}

typedef struct
{
  double delay, weight;
  gint64 target;
} Connection;

static int
compare_connections (const void *a, const void *b)
{
  const Connection *x = a, *y = b;
  if (x->delay != y->delay)
    return x->delay < y->delay ? -1 : 1;
  return (x->target > y->target) - (x->target < y->target);
}

/* Each row in order of delay: the engine then walks a spike's connections
 * as they are stored, without an index of its own (8 bytes per edge). */
static void
sort_rows_by_delay (Reader *r, int g)
{
  gsize longest = 0;
  for (gsize p = 0; p < r->n_nodes; p++)
    longest = MAX (longest, (gsize) (r->indptr[g][p + 1] - r->indptr[g][p]));
  g_autofree Connection *row = g_new (Connection, MAX (longest, 1));
  for (gsize p = 0; p < r->n_nodes; p++)
    {
      gint64 first = r->indptr[g][p], n = r->indptr[g][p + 1] - first;
      gboolean sorted = TRUE;
      for (gint64 j = first + 1; j < first + n && sorted; j++)
        sorted = r->delay[g][j - 1] <= r->delay[g][j];
      if (sorted)
        continue;
      for (gint64 i = 0; i < n; i++)
        row[i] = (Connection) { r->delay[g][first + i], r->weight[g][first + i], r->indices[g][first + i] };
      qsort (row, (gsize) n, sizeof *row, compare_connections);
      for (gint64 i = 0; i < n; i++)
        {
          r->delay[g][first + i] = row[i].delay;
          r->weight[g][first + i] = row[i].weight;
          r->indices[g][first + i] = row[i].target;
        }
    }
}

static gboolean
read_edges (Reader *r, GError **error)
{
  for (int g = 0; g < WSLFP_N_SPIKE_GROUPS; g++)
    r->indptr[g] = g_new0 (gint64, r->n_nodes + 1);
  if (!pass_edges (r, FALSE, NULL, error))
    return FALSE;
  if (r->options->count_only)
    {
      for (int g = 0; g < WSLFP_N_SPIKE_GROUPS; g++)
        for (gsize p = 0; p < r->n_nodes; p++)
          r->indptr[g][p + 1] += r->indptr[g][p];
      return TRUE;
    }
  gint64 *cursor[WSLFP_N_SPIKE_GROUPS];
  for (int g = 0; g < WSLFP_N_SPIKE_GROUPS; g++)
    {
      for (gsize p = 0; p < r->n_nodes; p++)
        r->indptr[g][p + 1] += r->indptr[g][p];
      gsize nnz = (gsize) r->indptr[g][r->n_nodes];
      r->indices[g] = g_try_new (gint64, MAX (nnz, 1));
      r->weight[g] = g_try_new (double, MAX (nnz, 1));
      r->delay[g] = g_try_new (double, MAX (nnz, 1));
      cursor[g] = g_memdup2 (r->indptr[g], (r->n_nodes + 1) * sizeof (gint64));
      if (r->indices[g] == NULL || r->weight[g] == NULL || r->delay[g] == NULL)
        {
          g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_OPEN, "%s: out of memory for %zu connections",
                       r->config->path, nnz);
          for (int k = 0; k <= g; k++)
            g_free (cursor[k]);
          return FALSE;
        }
    }
  gboolean ok = pass_edges (r, TRUE, cursor, error);
  for (int g = 0; g < WSLFP_N_SPIKE_GROUPS; g++)
    {
      g_free (cursor[g]);
      if (ok)
        sort_rows_by_delay (r, g);
    }
  return ok;
}

/* The factor from a spike file's time unit to ms. */
static gboolean
time_unit (hid_t f, const char *file, const char *dataset, const char *group, double *scale, GError **error)
{
  *scale = 1.0;
  const char *owners[] = { dataset, group };
  for (int k = 0; k < 2; k++)
    {
      hid_t o = H5Oopen (f, owners[k], H5P_DEFAULT);
      if (o < 0)
        continue;
      g_autofree char *where = g_strdup_printf ("%s: %s", file, owners[k]);
      g_autofree char *units = wslfp_h5_attr_string (o, where, "units", error);
      H5Oclose (o);
      if (error != NULL && *error != NULL)
        return FALSE;
      if (units == NULL)
        continue;
      if (strcmp (units, "ms") == 0)
        *scale = 1.0;
      else if (strcmp (units, "s") == 0)
        *scale = 1000.0;
      else
        {
          g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_INVALID,
                       "%s attribute units is \"%s\"; spike times must be in ms or s", where, units);
          return FALSE;
        }
      return TRUE;
    }
  return TRUE;
}

/* The spikes of one population in a SONATA spike file (@group holds
 * timestamps and node_ids, or the legacy gids). */
static gboolean
read_spike_group (Reader *r, hid_t f, const char *file, const char *group, const char *population, GError **error)
{
  Population *p = find_population (r, population);
  if (p == NULL)
    {
      g_autofree char *names = population_names (r);
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_INVALID,
                   "%s: %s holds spikes of population %s, which the network lacks (%s has %s)", file, group,
                   population, r->config->path, names);
      return FALSE;
    }
  g_autofree char *t_path = g_strdup_printf ("%s/timestamps", group);
  g_autofree char *id_path = g_strdup_printf ("%s/node_ids", group);
  if (!wslfp_h5_exists (f, id_path))
    {
      g_free (id_path);
      id_path = g_strdup_printf ("%s/gids", group);
    }
  hsize_t td[2], id_dims[2];
  g_autofree double *t = wslfp_h5_read_doubles (f, file, t_path, 1, td, error);
  if (t == NULL)
    return FALSE;
  g_autofree gint64 *ids = wslfp_h5_read_ints (f, file, id_path, 1, id_dims, error);
  if (ids == NULL)
    return FALSE;
  if (id_dims[0] != td[0])
    {
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT, "%s: %s has %llu values but %s has %llu", file,
                   id_path, (unsigned long long) id_dims[0], t_path, (unsigned long long) td[0]);
      return FALSE;
    }
  double scale;
  if (!time_unit (f, file, t_path, group, &scale, error))
    return FALSE;
  for (gsize k = 0; k < td[0]; k++)
    {
      gint64 row = population_row (p, ids[k]);
      if (row < 0)
        {
          g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_INVALID,
                       "%s: %s[%zu] = %lld is not a node of population %s (%zu nodes)", file, id_path, k,
                       (long long) ids[k], population, p->n);
          return FALSE;
        }
      double ms = t[k] * scale;
      gint64 node = (gint64) p->offset + row;
      g_array_append_val (r->spike_t, ms);
      g_array_append_val (r->spike_node, node);
    }
  return TRUE;
}

static gboolean
read_spike_file (Reader *r, const char *file, const char *default_population, const char *origin, GError **error)
{
  if (!g_file_test (file, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_OPEN, "%s (%s) does not exist", file, origin);
      return FALSE;
    }
  note_file (r, file);
  hid_t f = wslfp_h5_open_read (file, error);
  if (f < 0)
    return FALSE;
  gboolean ok = TRUE;
  if (wslfp_h5_exists (f, "/spikes/timestamps"))
    {
      /* The legacy layout: one population, named by the input's node set. */
      if (default_population == NULL && r->populations->len == 1)
        default_population = ((Population *) r->populations->pdata[0])->name;
      if (default_population == NULL)
        {
          g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT,
                       "%s: /spikes/timestamps has no population (SONATA's /spikes/<population>/ layout); name it in "
                       "the input's node_set ({\"population\": …})", file);
          ok = FALSE;
        }
      else
        ok = read_spike_group (r, f, file, "/spikes", default_population, error);
    }
  else
    {
      g_autoptr (GPtrArray) names = child_groups (f, "/spikes");
      if (names->len == 0)
        {
          g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT,
                       "%s: no spikes (neither /spikes/<population>/timestamps nor /spikes/timestamps)", file);
          ok = FALSE;
        }
      for (guint k = 0; k < names->len && ok; k++)
        {
          g_autofree char *group = g_strdup_printf ("/spikes/%s", (char *) names->pdata[k]);
          ok = read_spike_group (r, f, file, group, names->pdata[k], error);
        }
    }
  H5Fclose (f);
  return ok;
}

static gboolean
read_nest_file (Reader *r, const char *file, GError **error)
{
  g_autofree gint64 *ids = NULL;
  g_autofree double *t = NULL;
  gsize n = 0;
  double resolution = r->config->has_run ? r->config->dt_ms : 0.0;
  note_file (r, file);
  if (!wslfp_nest_spikes_read (file, resolution, &ids, &t, &n, error))
    return FALSE;
  for (gsize k = 0; k < n; k++)
    {
      gint64 node = ids[k] - 1 - r->options->nest_id_offset;
      if (node < 0 || (guint64) node >= r->n_nodes)
        {
          g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_INVALID,
                       "%s: spike %zu is of NEST id %lld, outside the network's ids %lld … %lld (NEST id = node + 1 + "
                       "%lld, nodes in the config's order; --nest-id-offset changes the offset)",
                       file, k, (long long) ids[k], (long long) (1 + r->options->nest_id_offset),
                       (long long) (r->n_nodes + (gsize) r->options->nest_id_offset), (long long) r->options->nest_id_offset);
          return FALSE;
        }
      g_array_append_val (r->spike_t, t[k]);
      g_array_append_val (r->spike_node, node);
    }
  return TRUE;
}

/* The spikes: the given files, or the config's output and its inputs. */
static gboolean
read_spikes (Reader *r, char **problem)
{
  GError *error = NULL;
  gboolean ok = TRUE;
  const char *const *files = r->options->spike_files;
  if (files != NULL && files[0] != NULL)
    {
      for (gsize i = 0; files[i] != NULL && ok; i++)
        {
          if (wslfp_nest_spikes_is_nest (files[i]))
            ok = read_nest_file (r, files[i], &error);
          else
            ok = read_spike_file (r, files[i], NULL, "--spikes", &error);
        }
    }
  else if (r->config->spikes_file != NULL && g_file_test (r->config->spikes_file, G_FILE_TEST_EXISTS))
    ok = read_spike_file (r, r->config->spikes_file, NULL, r->config->spikes_origin, &error);
  else if (r->config->inputs->len == 0)
    {
      *problem = r->config->spikes_file != NULL
                   ? g_strdup_printf ("%s: no spikes: %s (%s) does not exist (run the simulation, or give spike "
                                      "files with --spikes)", r->config->path, r->config->spikes_file,
                                      r->config->spikes_origin)
                   : g_strdup_printf ("%s: no spikes: the config names no output.spikes_file and no spike inputs "
                                      "(give spike files with --spikes)", r->config->path);
      return TRUE;
    }
  /* The inputs' spikes come with either. */
  for (guint i = 0; i < r->config->inputs->len && ok; i++)
    {
      WslfpSonataInput *in = r->config->inputs->pdata[i];
      ok = read_spike_file (r, in->file, in->population, in->origin, &error);
    }
  if (!ok)
    {
      *problem = g_strdup (error->message);
      g_error_free (error);
    }
  return TRUE;
}

/* One group's spikes: those of nodes with connections in it. */
static void
fill_group (Reader *r, WslfpDataset *ds, int g, const char *problem)
{
  WslfpDatasetSpikes *s = &ds->spikes[g];
  s->present = TRUE;
  s->tau_rise_ms = g == WSLFP_SPIKES_EXC ? 0.4 : 0.25;
  s->tau_decay_ms = g == WSLFP_SPIKES_EXC ? 2.0 : 5.0;
  s->delay_ms = 0.0;
  s->scale = WSLFP_KERNEL_ODE;
  s->weights_kind = WSLFP_WEIGHTS_CSR;
  s->n_pre = r->n_nodes;
  s->indptr = g_steal_pointer (&r->indptr[g]);
  s->indices = g_steal_pointer (&r->indices[g]);
  s->data = g_steal_pointer (&r->weight[g]);
  s->delays_ms = g_steal_pointer (&r->delay[g]);
  if (problem != NULL)
    {
      s->problem = g_strdup (problem);
      return;
    }
  gsize n = 0, total = r->spike_t->len;
  const double *t = (const double *) r->spike_t->data;
  const gint64 *node = (const gint64 *) r->spike_node->data;
  for (gsize k = 0; k < total; k++)
    n += s->indptr[node[k] + 1] > s->indptr[node[k]];
  s->t_ms = g_new (double, MAX (n, 1));
  s->neuron = g_new (gint64, MAX (n, 1));
  s->n_spikes = 0;
  for (gsize k = 0; k < total; k++)
    if (s->indptr[node[k] + 1] > s->indptr[node[k]])
      {
        s->t_ms[s->n_spikes] = t[k];
        s->neuron[s->n_spikes++] = node[k];
      }
}

static WslfpDataset *
build_dataset (Reader *r, const char *problem)
{
  g_autoptr (WslfpDataset) ds = g_new0 (WslfpDataset, 1);
  ds->path = g_strdup (r->config->path);
  GStatBuf st;
  if (g_stat (ds->path, &st) == 0)
    {
      ds->identity[0] = (gint64) st.st_dev;
      ds->identity[1] = (gint64) st.st_ino;
      ds->identity[2] = (gint64) st.st_size;
      ds->identity[3] = (gint64) st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
    }
  ds->n_sources = r->n_sources;
  ds->sources_um = g_new (double, 3 * r->n_sources);
  ds->orientation = g_new (double, 3 * r->n_sources);
  ds->n_orientations = r->n_sources;
  ds->coords = WSLFP_COORDS_SOMATA;
  for (gsize s = 0; s < r->n_sources; s++)
    {
      gint64 global = r->source_node[s];
      for (guint i = 0; i < r->populations->len; i++)
        {
          Population *p = r->populations->pdata[i];
          if ((gsize) global < p->offset || (gsize) global >= p->offset + p->n)
            continue;
          gsize k = (gsize) global - p->offset;
          memcpy (ds->sources_um + 3 * s, p->xyz + 3 * k, 3 * sizeof (double));
          memcpy (ds->orientation + 3 * s, p->apical + 3 * k, 3 * sizeof (double));
          break;
        }
    }
  ds->shank = g_new0 (int, 1);
  for (int g = 0; g < WSLFP_N_SPIKE_GROUPS; g++)
    fill_group (r, ds, g, problem);
  if (r->config->has_run)
    {
      ds->t_default_set = TRUE;
      ds->t_default_ms[0] = 0.0;
      ds->t_default_ms[1] = r->config->tstop_ms;
      ds->t_default_ms[2] = r->config->dt_ms;
    }
  ds->spikes_only = TRUE;
  ds->counted_only = r->options->count_only;
  ds->summary = g_string_free (g_steal_pointer (&r->summary), FALSE);
  note_file (r, r->config->path);
  g_ptr_array_add (r->files, NULL);
  ds->input_files = (char **) g_ptr_array_free (g_steal_pointer (&r->files), FALSE);
  return g_steal_pointer (&ds);
}

static void
describe (Reader *r)
{
  GString *s = r->summary = g_string_new (NULL);
  g_string_append_printf (s, "SONATA network (%s)\n", r->config->path);
  for (guint i = 0; i < r->populations->len; i++)
    {
      Population *p = r->populations->pdata[i];
      gsize n_e = 0, n_i = 0, n_src = 0;
      for (gsize k = 0; k < p->n; k++)
        {
          n_e += p->ei[k] == 'e';
          n_i += p->ei[k] == 'i';
          n_src += p->source[k] >= 0;
        }
      g_string_append_printf (s, "  population %s: %zu nodes (%zu e, %zu i), %s, %zu sources; NEST ids %lld … %lld; %s\n",
                              p->name, p->n, n_e, n_i, p->xyz ? "with positions" : "no positions", n_src,
                              (long long) (p->offset + 1 + (gsize) r->options->nest_id_offset),
                              (long long) (p->offset + p->n + (gsize) r->options->nest_id_offset), p->file);
    }
  g_string_append_printf (s, "  sources: %zu (%s)\n", r->n_sources,
                          r->options->sources != NULL ? r->options->sources : "ei == e");
  g_string_append_printf (s, "  edges: %zu in the files; onto sources: %lld from e (AMPA), %lld from i (GABA)\n",
                          r->n_edges_read, (long long) r->indptr[WSLFP_SPIKES_EXC][r->n_nodes],
                          (long long) r->indptr[WSLFP_SPIKES_INH][r->n_nodes]);
  if (r->config->has_run)
    g_string_append_printf (s, "  run: tstop %g ms, dt %g ms\n", r->config->tstop_ms, r->config->dt_ms);
}

WslfpDataset *
wslfp_sonata_open (const char *path, const WslfpSonataOptions *options, GError **error)
{
  WslfpSonataOptions defaults;
  wslfp_sonata_options_init (&defaults);
  Reader r = { 0 };
  r.options = options != NULL ? options : &defaults;
  wslfp_h5_watch ("reading", path);
  r.config = wslfp_sonata_config_read (path, error);
  r.types = g_ptr_array_new_with_free_func ((GDestroyNotify) wslfp_sonata_types_free);
  r.populations = g_ptr_array_new_with_free_func (population_free);
  r.spike_t = g_array_new (FALSE, FALSE, sizeof (double));
  r.spike_node = g_array_new (FALSE, FALSE, sizeof (gint64));
  r.files = g_ptr_array_new_with_free_func (g_free);
  WslfpDataset *ds = NULL;
  g_autofree char *problem = NULL;
  if (r.config != NULL && read_nodes (&r, error) && choose_sources (&r, error) && read_edges (&r, error)
      && read_spikes (&r, &problem))
    {
      describe (&r);
      g_string_append_printf (r.summary, "  spikes: %u%s\n", r.spike_t->len, problem ? " (none usable)" : "");
      ds = build_dataset (&r, problem);
    }
  reader_clear (&r);
  wslfp_h5_watch ("read", path);
  return ds;
}
