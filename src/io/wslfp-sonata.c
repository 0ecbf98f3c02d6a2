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
#include "wslfp-sonata-private.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>

#include "wslfp-h5.h"
#include "wslfp-sonata-config.h"
#include "wslfp-sonata-types.h"


void
wslfp_sonata_options_init (WslfpSonataOptions *options)
{
  memset (options, 0, sizeof *options);
}


void
sonata_population_free (gpointer data)
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


void
sonata_note_file (Reader *r, const char *path)
{
  for (guint i = 0; i < r->files->len; i++)
    if (strcmp (r->files->pdata[i], path) == 0)
      return;
  g_ptr_array_add (r->files, g_strdup (path));
}

void
sonata_reader_clear (Reader *r)
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
  if (r->brief != NULL)
    g_string_free (r->brief, TRUE);
  g_clear_pointer (&r->files, g_ptr_array_unref);
}

Population *
sonata_find_population (const Reader *r, const char *name)
{
  for (guint i = 0; i < r->populations->len; i++)
    {
      Population *p = r->populations->pdata[i];
      if (strcmp (p->name, name) == 0)
        return p;
    }
  return NULL;
}

char *
sonata_population_names (const Reader *r)
{
  g_autoptr (GString) s = g_string_new (NULL);
  for (guint i = 0; i < r->populations->len; i++)
    g_string_append_printf (s, "%s%s", i ? ", " : "", ((Population *) r->populations->pdata[i])->name);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* The row of node @id in @p, or −1. */
gint64
sonata_population_row (const Population *p, gint64 id)
{
  if (p->row_of_id == NULL)
    return id >= 0 && (guint64) id < p->n ? id : -1;
  gint64 key = id;
  gsize row = GPOINTER_TO_SIZE (g_hash_table_lookup (p->row_of_id, &key));
  return row == 0 ? -1 : (gint64) row - 1;
}

gboolean
sonata_parse_number (const char *text, double *v)
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

GPtrArray *
sonata_child_groups (hid_t f, const char *path)
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

/* The group's cells for TKLFP: every node with a position whose ei is
 * the group's (e or i); the others get a row of NaN. */
static void
fill_cells (Reader *r, WslfpDatasetSpikes *s, int g)
{
  char want = g == WSLFP_SPIKES_EXC ? 'e' : 'i';
  s->n_cells = r->n_nodes;
  s->n_cells_orientations = r->n_nodes;
  s->cells_um = g_new (double, 3 * MAX (r->n_nodes, 1));
  s->cells_orientation = g_new0 (double, 3 * MAX (r->n_nodes, 1));
  for (gsize k = 0; k < r->n_nodes; k++)
    {
      s->cells_um[3 * k] = s->cells_um[3 * k + 1] = s->cells_um[3 * k + 2] = NAN;
      s->cells_orientation[3 * k + 2] = 1.0;
    }
  for (guint i = 0; i < r->populations->len; i++)
    {
      const Population *p = r->populations->pdata[i];
      if (p->xyz == NULL)
        continue;
      for (gsize k = 0; k < p->n; k++)
        if (p->ei[k] == want)
          {
            memcpy (s->cells_um + 3 * (p->offset + k), p->xyz + 3 * k, 3 * sizeof (double));
            memcpy (s->cells_orientation + 3 * (p->offset + k), p->apical + 3 * k, 3 * sizeof (double));
          }
    }
}

/* One group's spikes: those of nodes with connections in it, and of its
 * cells (TKLFP). */
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
  fill_cells (r, s, g);
  gsize n = 0, total = r->spike_t->len;
  const double *t = (const double *) r->spike_t->data;
  const gint64 *node = (const gint64 *) r->spike_node->data;
#define USED(k) (s->indptr[node[k] + 1] > s->indptr[node[k]] || !isnan (s->cells_um[3 * node[k]]))
  for (gsize k = 0; k < total; k++)
    n += USED (k);
  s->t_ms = g_new (double, MAX (n, 1));
  s->neuron = g_new (gint64, MAX (n, 1));
  s->n_spikes = 0;
  for (gsize k = 0; k < total; k++)
    if (USED (k))
      {
        s->t_ms[s->n_spikes] = t[k];
        s->neuron[s->n_spikes++] = node[k];
      }
#undef USED
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
  ds->brief = g_string_free (g_steal_pointer (&r->brief), FALSE);
  sonata_note_file (r, r->config->path);
  g_ptr_array_add (r->files, NULL);
  ds->input_files = (char **) g_ptr_array_free (g_steal_pointer (&r->files), FALSE);
  return g_steal_pointer (&ds);
}

static void
describe (Reader *r)
{
  GString *s = r->summary = g_string_new (NULL);
  GString *b = r->brief = g_string_new (NULL);
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
      g_string_append_printf (b, "%s%s: %zu (%zu e, %zu i%s)", i ? " · " : "", p->name, p->n, n_e, n_i,
                              p->xyz ? "" : ", no positions");
    }
  g_string_append_printf (b, "; %zu sources", r->n_sources);
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
  r.populations = g_ptr_array_new_with_free_func (sonata_population_free);
  r.spike_t = g_array_new (FALSE, FALSE, sizeof (double));
  r.spike_node = g_array_new (FALSE, FALSE, sizeof (gint64));
  r.files = g_ptr_array_new_with_free_func (g_free);
  WslfpDataset *ds = NULL;
  g_autofree char *problem = NULL;
  if (r.config != NULL && sonata_read_nodes (&r, error) && sonata_choose_sources (&r, error) && sonata_read_edges (&r, error)
      && sonata_read_spikes (&r, &problem))
    {
      describe (&r);
      g_string_append_printf (r.summary, "  spikes: %u%s\n", r.spike_t->len, problem ? " (none usable)" : "");
      ds = build_dataset (&r, problem);
    }
  sonata_reader_clear (&r);
  wslfp_h5_watch ("read", path);
  return ds;
}

