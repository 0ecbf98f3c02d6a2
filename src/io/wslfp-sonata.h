/* wslfp-sonata.h: a SONATA network (and its spikes, or NEST's) as a
 * dataset: the pyramidal cells as sources, every edge onto them as a
 * synapse with its own weight and delay, spikes → currents.  The rules are
 * in the README ("SONATA and NEST"). */
#pragma once

#include <glib.h>

#include "wslfp-dataset.h"

G_BEGIN_DECLS

typedef struct
{
  /* COLUMN==VALUE: the sources are the nodes (of populations with
   * positions) whose node or node-type attribute COLUMN equals VALUE;
   * NULL: those of ei == e. */
  const char *sources;
  /* Spike files replacing the config's output spikes: SONATA spike files,
   * NEST spike-recorder .dat files (several merge) or NEST 2 .gdf files;
   * NULL-terminated, or NULL. */
  const char *const *spike_files;
  /* NEST ids: node g of the network (in the config's order) is NEST id
   * g + 1 + nest_id_offset. */
  gint64 nest_id_offset;
  /* Only check every file and count (what `info` needs): the edges are
   * read once, their connections not kept; the dataset cannot be
   * computed (its spike groups say so). */
  gboolean count_only;
} WslfpSonataOptions;

void          wslfp_sonata_options_init (WslfpSonataOptions *options);

/* Reads the SONATA config at @path (simulation or circuit) and what it
 * names into a dataset with no currents and two spike groups (exc: edges
 * from ei == e, inh: from ei == i) whose weights are CSR with
 * per-connection delays.  Needs no HDF5 file open afterwards.  Errors name
 * the file, population and index at fault. */
WslfpDataset *wslfp_sonata_open (const char *path, const WslfpSonataOptions *options, GError **error);

G_END_DECLS
