/* wslfp-spill.h: a network's current rows, as the proxy reads them, kept
 * in a scratch file of float32 so that a probe move can multiply them
 * again without inflating the dataset: for networks whose combined
 * currents do not fit in memory (their pages live in the page cache, not
 * in the process). */
#pragma once

#include <glib.h>
#include "wslfp.h"

G_BEGIN_DECLS

/* Two matrices of @n_rows × @n_cols float32 (term 0: the AMPA rows each
 * evaluation time reads, term 1: the GABA rows), zero where nothing is
 * written, laid out in blocks of columns so that one block's rows are read
 * in one call.  The files are in g_get_tmp_dir() and unlinked at once: they
 * go when the spill is freed or the process ends. */
typedef struct _WslfpSpill WslfpSpill;

#define WSLFP_SPILL_N_TERMS 2

/* Blocks of about @block_bytes (0: 16 MiB).  NULL, with an error naming
 * the folder, when it cannot be created or has no room for both matrices
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

/* Writes @n values (of @type) into row @row of term @term from column
 * @col0.  Thread-safe (each call writes its own place). */
gboolean    wslfp_spill_write        (WslfpSpill *spill, guint term, gsize row, gsize col0, const void *values,
                                      WslfpValueType type, gsize n, GError **error);
/* Block @block of term @term into @out: n_rows × block width floats. */
gboolean    wslfp_spill_read         (const WslfpSpill *spill, guint term, gsize block, float *out, GError **error);

G_END_DECLS
