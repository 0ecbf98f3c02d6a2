/* wslfp-spill.h: a network's combined currents (AMPA minus α GABA at
 * their delays), kept in a scratch file of float32 so that a probe move
 * can multiply them again without inflating the dataset: for networks
 * whose combined currents do not fit in memory (their pages live in the
 * page cache, not in the process). */
#pragma once

#include <glib.h>
#include "wslfp.h"

G_BEGIN_DECLS

/* A matrix of @n_rows × @n_cols float32, zero until added to, laid out
 * in blocks of columns so that one block's rows are read in one call.  The
 * file is in g_get_tmp_dir() and unlinked at once: it goes when the spill
 * is freed or the process ends. */
typedef struct _WslfpSpill WslfpSpill;

/* Blocks of about @block_bytes (0: 16 MiB).  NULL, with an error naming
 * the folder, when it cannot be created or has no room for the matrix
 * (and a margin). */
WslfpSpill *wslfp_spill_new          (gsize n_rows, gsize n_cols, gsize block_bytes, GError **error);
void        wslfp_spill_free         (WslfpSpill *spill);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WslfpSpill, wslfp_spill_free)

gsize       wslfp_spill_get_n_rows   (const WslfpSpill *spill);
gsize       wslfp_spill_get_n_cols   (const WslfpSpill *spill);
gsize       wslfp_spill_get_n_blocks (const WslfpSpill *spill);
/* Block @block's columns: [*col0, *col0 + *n); its rows are read with a
 * stride of wslfp_spill_get_block_width(). */
void        wslfp_spill_block_cols   (const WslfpSpill *spill, gsize block, gsize *col0, gsize *n);
gsize       wslfp_spill_get_block_width (const WslfpSpill *spill);

/* Within each block, keeps the columns in the order of @key (n_cols
 * values, ascending; ties by column), e.g. the cells along the network's
 * longest side, so that a block's neighbouring columns are cells close
 * together.  Before anything is added; FALSE when out of memory (then
 * the columns stay in order). */
gboolean    wslfp_spill_sort_blocks  (WslfpSpill *spill, const double *key);
/* Block @block's columns in the order its rows hold them, or NULL for
 * their own order. */
const guint32 *wslfp_spill_block_order (const WslfpSpill *spill, gsize block);

/* Adds @weight × the @n values (of @type) at @values to row @row from
 * column @col0 (a read, the sum in double, a write).  Thread-safe where
 * the callers' rows differ (sorted blocks are written a whole row of a
 * block at a time); two adds to one row at once may lose one. */
gboolean    wslfp_spill_add          (WslfpSpill *spill, gsize row, gsize col0, const void *values,
                                      WslfpValueType type, gsize n, double weight, GError **error);
/* Block @block into @out: n_rows × block width floats, its columns in the
 * order of wslfp_spill_block_order(). */
gboolean    wslfp_spill_read         (const WslfpSpill *spill, gsize block, float *out, GError **error);

G_END_DECLS
