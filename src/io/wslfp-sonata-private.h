/* wslfp-sonata-private.h: what the SONATA reader's files share (see
 * wslfp-sonata.c for the rules). */
#pragma once

#include <hdf5.h>

#include "wslfp-sonata.h"
#include "wslfp-sonata-config.h"
#include "wslfp-sonata-types.h"

G_BEGIN_DECLS

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
  GString *brief;          /* the populations in one line, for the app */
  GPtrArray *files;        /* every file read, for `convert` not to write over one */
} Reader;

void        sonata_population_free   (gpointer population);
void        sonata_note_file         (Reader *r, const char *path);
void        sonata_reader_clear      (Reader *r);
Population *sonata_find_population   (const Reader *r, const char *name);
char       *sonata_population_names  (const Reader *r);
/* The row of node @id in @p, or −1. */
gint64      sonata_population_row    (const Population *p, gint64 id);
gboolean    sonata_parse_number      (const char *text, double *v);
/* The names of the groups under @path (populations, node groups). */
GPtrArray  *sonata_child_groups      (hid_t f, const char *path);

/* wslfp-sonata-nodes.c: the populations (global indices in the config's
 * order, positions, apical axes, E/I), and which nodes are the sources. */
gboolean    sonata_read_nodes        (Reader *r, GError **error);
gboolean    sonata_choose_sources    (Reader *r, GError **error);
/* wslfp-sonata-edges.c: the edges onto the sources as CSR per group. */
gboolean    sonata_read_edges        (Reader *r, GError **error);
/* wslfp-sonata-spikes.c: the spikes of every node; on failure *@problem
 * says why (the network still opens: info reports it). */
gboolean    sonata_read_spikes       (Reader *r, char **problem);

G_END_DECLS
