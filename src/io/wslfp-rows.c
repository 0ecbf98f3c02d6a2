/* wslfp-rows.c: blocks of current rows from memory, raw chunks or H5Dread.
 *
 * Why raw chunks: HDF5 inflates a deflate chunk with zlib on the one
 * thread that calls H5Dread, copies it through its chunk cache and
 * converts it; reading the stored bytes (H5Dread_chunk) and inflating
 * them with libdeflate on the worker that then multiplies them is about
 * twice as fast per core, runs on every core, and needs no cache. */
#include "config.h"
#include "wslfp-rows.h"

#include <hdf5.h>
#include <libdeflate.h>
#include <string.h>

/* Rows per block when the layout does not fix them (memory, H5Dread), and
 * bytes per H5Dread panel.  A contiguous dataset is read in whole rows (one
 * read straight into the buffer, no gathering), up to BLOCK_BYTES. */
#define BLOCK_ROWS   512
#define PANEL_BYTES  (8u << 20)
#define BLOCK_BYTES  (32u << 20)
/* Larger chunks go through H5Dread, which reads them in part. */
#define MAX_CHUNK_BYTES (32u << 20)

struct _WslfpRowReader
{
  const WslfpDataset *ds;
  char *what;                /* "/currents/ampa/I" */
  WslfpRowMethod method;
  WslfpValueType type;       /* as delivered */
  gsize element;             /* bytes */
  gsize first, n;            /* the rows wanted */
  gsize S;
  gsize col_first, col_end;  /* the columns wanted */
  hid_t dataset;
  const double *values;      /* memory */
  /* Chunks: their shape and filters. */
  hsize_t chunk[2];
  gboolean shuffle, deflate;
  gboolean contiguous;       /* H5Dread of whole rows */
  /* Blocks: the rows of block b are [first, first + n) ∩ [b0 + b · rows, …). */
  gsize block_row0, block_rows, n_blocks;
  gsize panel_cols;          /* H5Dread */
};

struct _WslfpRowWorkspace
{
  struct libdeflate_decompressor *inflater;
  guint8 *stored;            /* a chunk as stored */
  gsize stored_size;
  guint8 *chunk;             /* a chunk inflated (and unshuffled) */
  gsize chunk_size;
  guint8 *shuffled;          /* a chunk inflated, still shuffled */
  gsize shuffled_size;
  void *panel;               /* an H5Dread panel */
  gsize panel_size;
};

WslfpRowWorkspace *
wslfp_row_workspace_new (void)
{
  return g_new0 (WslfpRowWorkspace, 1);
}

void
wslfp_row_workspace_free (WslfpRowWorkspace *ws)
{
  if (ws == NULL)
    return;
  if (ws->inflater != NULL)
    libdeflate_free_decompressor (ws->inflater);
  g_free (ws->stored);
  g_free (ws->chunk);
  g_free (ws->shuffled);
  g_free (ws->panel);
  g_free (ws);
}

/* @buffer holds at least @size bytes (growing, never shrinking). */
static gboolean
reserve (void **buffer, gsize *have, gsize size)
{
  if (*have >= size)
    return TRUE;
  g_free (*buffer);
  *buffer = g_try_malloc (size);
  *have = *buffer != NULL ? size : 0;
  return *buffer != NULL;
}

/* Whether the dataset's stored chunks can be read raw: chunked 2-D,
 * filters deflate or shuffle + deflate (or none), every chunk written,
 * little-endian IEEE values, chunks of a sane size. */
static gboolean
chunks_readable (WslfpRowReader *r, hid_t type)
{
  gboolean ok = FALSE;
  hid_t dcpl = H5Dget_create_plist (r->dataset);
  if (dcpl < 0)
    return FALSE;
  if (H5Pget_layout (dcpl) == H5D_CHUNKED && H5Pget_chunk (dcpl, 2, r->chunk) == 2
      && (H5Tequal (type, H5T_IEEE_F32LE) > 0 || H5Tequal (type, H5T_IEEE_F64LE) > 0)
      && r->chunk[0] * r->chunk[1] * H5Tget_size (type) <= MAX_CHUNK_BYTES)
    {
      int nf = H5Pget_nfilters (dcpl);
      ok = nf >= 0 && nf <= 2;
      for (int i = 0; ok && i < nf; i++)
        {
          unsigned flags, cd[8];
          size_t n_cd = G_N_ELEMENTS (cd);
          H5Z_filter_t id = H5Pget_filter2 (dcpl, (unsigned) i, &flags, &n_cd, cd, 0, NULL, NULL);
          if (id == H5Z_FILTER_SHUFFLE && i == 0 && nf == 2)
            r->shuffle = TRUE;
          else if (id == H5Z_FILTER_DEFLATE && i == nf - 1)
            r->deflate = TRUE;
          else
            ok = FALSE;
        }
      /* Unwritten chunks hold the fill value: H5Dread knows it. */
      hsize_t dims[2] = { 0, 0 }, n_chunks = 0;
      hid_t space = H5Dget_space (r->dataset);
      H5Sget_simple_extent_dims (space, dims, NULL);
      hsize_t want = ((dims[0] + r->chunk[0] - 1) / r->chunk[0]) * ((dims[1] + r->chunk[1] - 1) / r->chunk[1]);
      ok = ok && H5Dget_num_chunks (r->dataset, space, &n_chunks) >= 0 && n_chunks == want;
      H5Sclose (space);
    }
  H5Pclose (dcpl);
  return ok;
}

WslfpRowReader *
wslfp_row_reader_new (const WslfpDataset *ds, WslfpCurrentKind kind, gsize first_row, gsize n_rows,
                      gsize first_col, gsize n_cols, GError **error)
{
  const WslfpDatasetCurrents *c = &ds->currents[kind];
  g_autofree char *what = g_strdup_printf ("/currents/%s/I", wslfp_current_kind_name (kind));
  if (first_row > c->n_times || n_rows > c->n_times - first_row || first_col > c->n_sources
      || n_cols > c->n_sources - first_col || (c->values == NULL && c->dataset <= 0))
    {
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT, "%s: %s rows [%zu, %zu), columns [%zu, %zu) cannot be read",
                   ds->path, what, first_row, first_row + n_rows, first_col, first_col + n_cols);
      return NULL;
    }
  WslfpRowReader *r = g_new0 (WslfpRowReader, 1);
  r->ds = ds;
  r->what = g_steal_pointer (&what);
  r->first = first_row;
  r->n = n_rows;
  r->S = c->n_sources;
  r->col_first = first_col;
  r->col_end = first_col + n_cols;
  r->type = WSLFP_FLOAT64;
  r->method = WSLFP_ROWS_MEMORY;
  r->block_row0 = first_row;
  r->block_rows = BLOCK_ROWS;
  r->values = c->values;
  if (c->values == NULL)
    {
      r->dataset = (hid_t) c->dataset;
      hid_t type = H5Dget_type (r->dataset);
      gboolean is_float32 = type >= 0 && H5Tget_class (type) == H5T_FLOAT && H5Tget_size (type) == 4;
      r->type = is_float32 ? WSLFP_FLOAT32 : WSLFP_FLOAT64;
      if (type >= 0 && chunks_readable (r, type))
        {
          r->method = WSLFP_ROWS_CHUNKS;
          r->block_row0 = first_row - first_row % r->chunk[0];
          r->block_rows = r->chunk[0];
        }
      else
        {
          r->method = WSLFP_ROWS_HDF5;
          hid_t dcpl = H5Dget_create_plist (r->dataset);
          r->contiguous = dcpl >= 0 && H5Pget_layout (dcpl) == H5D_CONTIGUOUS;
          if (dcpl >= 0)
            H5Pclose (dcpl);
        }
      if (type >= 0)
        H5Tclose (type);
    }
  r->element = r->type == WSLFP_FLOAT32 ? 4 : 8;
  r->panel_cols = CLAMP (PANEL_BYTES / (BLOCK_ROWS * r->element), 256, MAX (n_cols, 1));
  if (r->contiguous)
    {
      r->block_rows = CLAMP (BLOCK_BYTES / (MAX (n_cols, 1) * r->element), 16, BLOCK_ROWS);
      r->panel_cols = MAX (n_cols, 1);
    }
  r->n_blocks = n_rows == 0 || n_cols == 0 ? 0 : (first_row + n_rows - r->block_row0 + r->block_rows - 1) / r->block_rows;
  return r;
}

void
wslfp_row_reader_free (WslfpRowReader *r)
{
  if (r == NULL)
    return;
  g_free (r->what);
  g_free (r);
}

WslfpRowMethod wslfp_row_reader_method (const WslfpRowReader *r) { return r->method; }
gsize wslfp_row_reader_n_blocks (const WslfpRowReader *r) { return r->n_blocks; }

void
wslfp_row_reader_block (const WslfpRowReader *r, gsize b, gsize *row0, gsize *n_rows)
{
  gsize lo = MAX (r->block_row0 + b * r->block_rows, r->first);
  gsize hi = MIN (r->block_row0 + (b + 1) * r->block_rows, r->first + r->n);
  *row0 = lo;
  *n_rows = hi > lo ? hi - lo : 0;
}

static gboolean
fail_read (const WslfpRowReader *r, gsize row0, gsize n, const char *detail, GError **error)
{
  g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_OPEN,
               "%s: cannot read %s rows [%zu, %zu) (the file may be truncated or damaged)%s%s", r->ds->path, r->what,
               row0, row0 + n, detail ? ": " : "", detail ? detail : "");
  return FALSE;
}

static gboolean
fail_memory (const WslfpRowReader *r, gsize bytes, GError **error)
{
  g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_OPEN, "%s: %s: out of memory for a block of %zu bytes",
               r->ds->path, r->what, bytes);
  return FALSE;
}

/* Debian's HDF5 is built thread-safe (one lock inside); another build is
 * not, and then our workers take turns here. */
#ifdef H5_HAVE_THREADSAFE
static void hdf5_lock (void) { }
static void hdf5_unlock (void) { }
#else
static GMutex hdf5_mutex;
static void hdf5_lock (void) { g_mutex_lock (&hdf5_mutex); }
static void hdf5_unlock (void) { g_mutex_unlock (&hdf5_mutex); }
#endif

/* The shuffle filter stores byte b of every element together; put each
 * element's bytes back together. */
static void
unshuffle (const guint8 *in, guint8 *out, gsize n_elements, gsize element)
{
  for (gsize b = 0; b < element; b++)
    {
      const guint8 *src = in + b * n_elements;
      for (gsize i = 0; i < n_elements; i++)
        out[i * element + b] = src[i];
    }
}

/* Inflates the chunk at @offset into ws->chunk. */
static gboolean
read_chunk (const WslfpRowReader *r, const hsize_t offset[2], WslfpRowWorkspace *ws, gsize row0, gsize n,
            GError **error)
{
  gsize chunk_bytes = r->chunk[0] * r->chunk[1] * r->element;
  hsize_t stored = 0;
  uint32_t mask = 0;
  if (!reserve ((void **) &ws->chunk, &ws->chunk_size, chunk_bytes)
      || (r->shuffle && !reserve ((void **) &ws->shuffled, &ws->shuffled_size, chunk_bytes)))
    return fail_memory (r, chunk_bytes, error);
  /* A deflate stream is at most a little longer than its data (stored
   * blocks); a damaged chunk index can claim any size, so cap it. */
  hsize_t most = chunk_bytes + chunk_bytes / 8 + 4096;
  hdf5_lock ();
  gboolean read = H5Dget_chunk_storage_size (r->dataset, offset, &stored) >= 0 && stored > 0 && stored <= most;
  if (read && !reserve ((void **) &ws->stored, &ws->stored_size, stored))
    {
      hdf5_unlock ();
      return fail_memory (r, stored, error);
    }
  read = read && H5Dread_chunk (r->dataset, H5P_DEFAULT, offset, &mask, ws->stored) >= 0;
  hdf5_unlock ();
  if (!read)
    return fail_read (r, row0, n, NULL, error);

  gboolean inflate = r->deflate && !(mask & (r->shuffle ? 2u : 1u));
  gboolean shuffled = r->shuffle && !(mask & 1u);
  guint8 *dest = shuffled ? ws->shuffled : ws->chunk;
  if (inflate)
    {
      size_t got = 0;
      if (ws->inflater == NULL && (ws->inflater = libdeflate_alloc_decompressor ()) == NULL)
        return fail_memory (r, sizeof (void *), error);
      enum libdeflate_result res = libdeflate_zlib_decompress (ws->inflater, ws->stored, stored, dest, chunk_bytes,
                                                               &got);
      if (res != LIBDEFLATE_SUCCESS || got != chunk_bytes)
        {
          g_autofree char *detail = g_strdup_printf ("the chunk at row %llu, column %llu does not inflate",
                                                     (unsigned long long) offset[0], (unsigned long long) offset[1]);
          return fail_read (r, row0, n, detail, error);
        }
    }
  else if (stored == chunk_bytes)
    memcpy (dest, ws->stored, chunk_bytes);
  else
    return fail_read (r, row0, n, "a chunk has the wrong size", error);
  if (shuffled)
    unshuffle (ws->shuffled, ws->chunk, chunk_bytes / r->element, r->element);
  return TRUE;
}

static gboolean
read_chunks (const WslfpRowReader *r, gsize row0, gsize n, WslfpRowWorkspace *ws, WslfpPanelFunc func,
             gpointer user_data, GError **error)
{
  hsize_t chunk_row = row0 - row0 % r->chunk[0];
  for (hsize_t col0 = r->col_first - r->col_first % r->chunk[1]; col0 < r->col_end; col0 += r->chunk[1])
    {
      hsize_t offset[2] = { chunk_row, col0 };
      if (!read_chunk (r, offset, ws, row0, n, error))
        return FALSE;
      gsize lo = MAX (col0, r->col_first), hi = MIN (col0 + r->chunk[1], r->col_end);
      WslfpPanel p = { ws->chunk + ((row0 - chunk_row) * r->chunk[1] + lo - col0) * r->element, r->type, row0, n, lo,
                       hi - lo, r->chunk[1] };
      if (!func (&p, user_data, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
read_hdf5 (const WslfpRowReader *r, gsize row0, gsize n, WslfpRowWorkspace *ws, WslfpPanelFunc func,
           gpointer user_data, GError **error)
{
  hid_t mem_type = r->type == WSLFP_FLOAT32 ? H5T_NATIVE_FLOAT : H5T_NATIVE_DOUBLE;
  gsize panel_bytes = n * MIN (r->panel_cols, r->col_end - r->col_first) * r->element;
  if (!reserve (&ws->panel, &ws->panel_size, panel_bytes))
    return fail_memory (r, panel_bytes, error);
  for (gsize col0 = r->col_first; col0 < r->col_end; col0 += r->panel_cols)
    {
      gsize nc = MIN (r->panel_cols, r->col_end - col0);
      hdf5_lock ();
      hid_t space = H5Dget_space (r->dataset);
      hsize_t start[2] = { row0, col0 }, count[2] = { n, nc };
      H5Sselect_hyperslab (space, H5S_SELECT_SET, start, NULL, count, NULL);
      hid_t mem = H5Screate_simple (2, count, NULL);
      herr_t status = H5Dread (r->dataset, mem_type, mem, space, H5P_DEFAULT, ws->panel);
      H5Sclose (mem);
      H5Sclose (space);
      hdf5_unlock ();
      if (status < 0)
        return fail_read (r, row0, n, NULL, error);
      WslfpPanel p = { ws->panel, r->type, row0, n, col0, nc, nc };
      if (!func (&p, user_data, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
wslfp_row_reader_read (const WslfpRowReader *r, gsize b, WslfpRowWorkspace *ws, WslfpPanelFunc func,
                       gpointer user_data, GError **error)
{
  gsize row0, n;
  wslfp_row_reader_block (r, b, &row0, &n);
  if (n == 0)
    return TRUE;
  switch (r->method)
    {
    case WSLFP_ROWS_MEMORY:
      {
        WslfpPanel p = { r->values + row0 * r->S + r->col_first, WSLFP_FLOAT64, row0, n, r->col_first,
                         r->col_end - r->col_first, r->S };
        return func (&p, user_data, error);
      }
    case WSLFP_ROWS_CHUNKS:
      return read_chunks (r, row0, n, ws, func, user_data, error);
    case WSLFP_ROWS_HDF5:
    default:
      return read_hdf5 (r, row0, n, ws, func, user_data, error);
    }
}

gsize
wslfp_dataset_chunk_columns (const WslfpDataset *ds, WslfpCurrentKind kind)
{
  const WslfpDatasetCurrents *c = &ds->currents[kind];
  hsize_t chunk[2] = { 1, 1 };
  if (c->values != NULL || c->dataset <= 0)
    return 1;
  hid_t dcpl = H5Dget_create_plist ((hid_t) c->dataset);
  if (dcpl < 0)
    return 1;
  if (H5Pget_layout (dcpl) != H5D_CHUNKED || H5Pget_chunk (dcpl, 2, chunk) != 2)
    chunk[1] = 1;
  H5Pclose (dcpl);
  return MAX (chunk[1], 1);
}
