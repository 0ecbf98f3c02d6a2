/* wslfp-nest-spikes.h: spikes recorded by NEST's spike recorder: the
 * ASCII backend's .dat files (NEST 3) and NEST 2's .gdf files. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Whether @path names a NEST spike file (.dat or .gdf) rather than a
 * SONATA (HDF5) one. */
gboolean wslfp_nest_spikes_is_nest (const char *path);

/* Reads the spikes of @path: NEST ids (1-based, as NEST numbers its nodes)
 * and times in ms.  A .dat file has '#' comment lines, then a header:
 * "sender time_ms", or "sender time_step time_offset" (time = step ·
 * @resolution_ms − offset; needs @resolution_ms > 0); a .gdf file has no
 * header and "id time_ms" lines.  Columns are separated by tabs or spaces.
 * Errors name the file and line. */
gboolean wslfp_nest_spikes_read (const char *path, double resolution_ms, gint64 **ids, double **t_ms, gsize *n,
                                 GError **error);

G_END_DECLS
