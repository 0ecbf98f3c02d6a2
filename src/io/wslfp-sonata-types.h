/* wslfp-sonata-types.h: SONATA node and edge type tables, the
 * space-separated CSV files (node_types.csv, edge_types.csv) that give
 * each type id its attributes. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _WslfpSonataTypes WslfpSonataTypes;

/* Reads @path whose id column is @id_column ("node_type_id" or
 * "edge_type_id").  Fields are separated by spaces or tabs; a field in
 * double quotes may hold spaces.  A "population" column, when there is one,
 * tells apart the same id in different populations. */
WslfpSonataTypes *wslfp_sonata_types_read (const char *path, const char *id_column, GError **error);
void              wslfp_sonata_types_free (WslfpSonataTypes *types);

/* The row of type @id (of @population, when the table has that column),
 * or -1. */
gint64            wslfp_sonata_types_find (const WslfpSonataTypes *types, const char *population, gint64 id);
/* The index of column @name, or -1. */
int               wslfp_sonata_types_column (const WslfpSonataTypes *types, const char *name);
/* The value in @row, @column (both valid), as written. */
const char       *wslfp_sonata_types_value (const WslfpSonataTypes *types, gint64 row, int column);
const char       *wslfp_sonata_types_path  (const WslfpSonataTypes *types);
gint64            wslfp_sonata_types_n_rows (const WslfpSonataTypes *types);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WslfpSonataTypes, wslfp_sonata_types_free)

G_END_DECLS
