/* wslfp-sonata-config.h: SONATA simulation and circuit configs (JSON):
 * the manifest's variables, paths relative to each config's folder, the
 * network's node and edge files, the spike output and the spike inputs,
 * and the run's tstop and dt. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  char *nodes_file;       /* absolute */
  char *node_types_file;  /* absolute, or NULL */
  char *origin;           /* "networks.nodes[0] in CONFIG", for messages */
} WslfpSonataNodesEntry;

typedef struct
{
  char *edges_file;
  char *edge_types_file;  /* or NULL */
  char *origin;
} WslfpSonataEdgesEntry;

/* An input of input_type "spikes": the spike trains of a (virtual)
 * presynaptic population. */
typedef struct
{
  char *name;        /* its key under "inputs" */
  char *file;        /* absolute */
  char *population;  /* from its node set ("population"), or NULL */
  char *origin;
} WslfpSonataInput;

typedef struct
{
  char *path;              /* the config given, absolute */
  GPtrArray *nodes;        /* WslfpSonataNodesEntry, in the config's order */
  GPtrArray *edges;        /* WslfpSonataEdgesEntry (enabled ones only) */
  GPtrArray *inputs;       /* WslfpSonataInput */
  char *spikes_file;       /* output.output_dir / output.spikes_file, or NULL */
  char *spikes_origin;
  gboolean has_run;        /* run.tstop and run.dt were given */
  double tstop_ms, dt_ms;
} WslfpSonataConfig;

/* Whether @path looks like a SONATA config (a .json file name). */
gboolean            wslfp_sonata_config_is_config (const char *path);
/* Whether @path is a JSON file whose top level looks like a SONATA config
 * (networks, network, manifest, run, …) rather than a probeinterface
 * probe (probes). */
gboolean            wslfp_sonata_config_sniff (const char *path);
/* Reads a simulation config (following "network" to its circuit config,
 * and BMTK's {"network": …, "simulation": …} pair) or a circuit config.
 * Errors name the file and the key at fault. */
WslfpSonataConfig  *wslfp_sonata_config_read (const char *path, GError **error);
void                wslfp_sonata_config_free (WslfpSonataConfig *config);


G_DEFINE_AUTOPTR_CLEANUP_FUNC (WslfpSonataConfig, wslfp_sonata_config_free)

G_END_DECLS
