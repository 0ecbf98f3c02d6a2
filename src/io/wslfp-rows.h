/* wslfp-rows.h: reading a range of rows of a currents matrix in blocks,
 * each delivered as panels of columns in the stored precision: raw
 * deflate (and shuffle) chunks inflated with libdeflate on the caller's
 * thread, H5Dread for every other layout and filter, or the loaded
 * matrix.  Blocks can be read from several threads at once, each with its
 * own workspace. */
#pragma once

#include "wslfp-dataset.h"

G_BEGIN_DECLS

typedef struct _WslfpRowReader WslfpRowReader;
typedef struct _WslfpRowWorkspace WslfpRowWorkspace;

/* Rows [row0, row0 + n_rows) × columns [col0, col0 + n_cols) of the
 * matrix: row r at data + (r − row0) · stride elements of @type. */
typedef struct
{
  const void *data;
  WslfpValueType type;
  gsize row0, n_rows, col0, n_cols, stride;
} WslfpPanel;

typedef gboolean (*WslfpPanelFunc) (const WslfpPanel *panel, gpointer user_data, GError **error);

typedef enum
{
  WSLFP_ROWS_MEMORY,   /* the loaded matrix */
  WSLFP_ROWS_CHUNKS,   /* raw chunks, inflated here */
  WSLFP_ROWS_HDF5,     /* H5Dread of hyperslabs */
} WslfpRowMethod;

/* A reader of rows [first_row, first_row + n_rows) × columns [first_col,
 * first_col + n_cols) of @kind's currents: float32 data come as float32
 * (the product decides the precision), anything else as double. */
WslfpRowReader *wslfp_row_reader_new (const WslfpDataset *dataset, WslfpCurrentKind kind, gsize first_row,
                                      gsize n_rows, gsize first_col, gsize n_cols, GError **error);
/* The width of the dataset's chunks (1 if not chunked or in memory): where
 * a split of the sources costs no chunk read twice. */
gsize           wslfp_dataset_chunk_columns (const WslfpDataset *dataset, WslfpCurrentKind kind);
void            wslfp_row_reader_free (WslfpRowReader *reader);
WslfpRowMethod  wslfp_row_reader_method (const WslfpRowReader *reader);
gsize           wslfp_row_reader_n_blocks (const WslfpRowReader *reader);
/* The rows of block @b. */
void            wslfp_row_reader_block (const WslfpRowReader *reader, gsize b, gsize *row0, gsize *n_rows);
/* Reads block @b and calls @func for each of its panels, in column order. */
gboolean        wslfp_row_reader_read (const WslfpRowReader *reader, gsize b, WslfpRowWorkspace *workspace,
                                       WslfpPanelFunc func, gpointer user_data, GError **error);

WslfpRowWorkspace *wslfp_row_workspace_new  (void);
void               wslfp_row_workspace_free (WslfpRowWorkspace *workspace);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WslfpRowReader, wslfp_row_reader_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WslfpRowWorkspace, wslfp_row_workspace_free)

G_END_DECLS
