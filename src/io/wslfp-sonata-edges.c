/* wslfp-sonata-edges.c: the edges onto the sources, read in chunks twice
 * (count, then fill) into one CSR per group, rows in order of delay. */
#include "wslfp-sonata-private.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>

#include "wslfp-h5.h"

/* Edges read at a time: 5 int64 and 3 double columns of it, 64 MiB. */
#define EDGE_CHUNK ((gsize) 1 << 20)

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
      gint64 pre_row = sonata_population_row (ep->pre_pop, src[k]), post_row = sonata_population_row (ep->post_pop, tgt[k]);
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
      if ((pops[k] = sonata_find_population (r, pop)) == NULL)
        {
          g_autofree char *names = sonata_population_names (r);
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
                  && (!sonata_parse_number (text, &v[a]) || !isfinite (v[a])))
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
      sonata_note_file (r, e->edges_file);
      if (e->edge_types_file != NULL)
        sonata_note_file (r, e->edge_types_file);
      hid_t f = wslfp_h5_open_read (e->edges_file, error);
      if (f < 0)
        {
          ok = FALSE;
          break;
        }
      g_autoptr (GPtrArray) names = sonata_child_groups (f, "/edges");
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

gboolean
sonata_read_edges (Reader *r, GError **error)
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

