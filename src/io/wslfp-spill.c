/* wslfp-spill.c: a float32 matrix in an unlinked scratch file, blocks of
 * columns one after another, each block's rows contiguous: a block (the
 * columns a worker multiplies at once) is one read.  Within a block the
 * columns may be kept in another order (the cells by place), so that its
 * runs of neighbouring columns are cells close together. */
#include "config.h"
#include "wslfp-spill.h"
#include "wslfp-dataset.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/statvfs.h>
#include <unistd.h>

/* About this many bytes a block: big enough that a read and a product are
 * worth their call, small enough that two workers' blocks stay in cache. */
#define BLOCK_BYTES ((gsize) 16 << 20)
/* Room left on the scratch folder's disk besides the spill. */
#define MARGIN_BYTES ((guint64) 512 << 20)
/* Values added per read and write. */
#define PIECE 1024

struct _WslfpSpill
{
  gsize n_rows, n_cols, width, n_blocks;
  int fd;
  char *dir;
  guint32 *slot;      /* n_cols: column c's place in its block's rows, or NULL (c % width) */
  guint32 *column_at; /* n_cols: the column at place j of block b is column_at[b × width + j] */
};

static gsize
block_width (gsize n_rows, gsize n_cols, gsize block_bytes)
{
  gsize width = (block_bytes > 0 ? block_bytes : BLOCK_BYTES) / (sizeof (float) * MAX (n_rows, 1));
  /* (whole panels of the float product, unless asked for less) */
  if (block_bytes == 0)
    width = CLAMP (width - width % 64, 64, 16384);
  return CLAMP (width, 1, MAX (n_cols, 1));
}

WslfpSpill *
wslfp_spill_new (gsize n_rows, gsize n_cols, gsize block_bytes, GError **error)
{
  g_autoptr (WslfpSpill) spill = g_new0 (WslfpSpill, 1);
  spill->fd = -1;
  spill->n_rows = n_rows;
  spill->n_cols = n_cols;
  spill->width = block_width (n_rows, n_cols, block_bytes);
  spill->n_blocks = (n_cols + spill->width - 1) / spill->width;
  spill->dir = g_strdup (g_get_tmp_dir ());
  struct statvfs fs;
  if (statvfs (spill->dir, &fs) != 0)
    {
      int saved = errno;
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_WRITE, "%s: %s", spill->dir, g_strerror (saved));
      return NULL;
    }
  /* (in double: a size past 2^64 bytes must not wrap to a small one) */
  double need = (double) spill->n_blocks * spill->width * n_rows * sizeof (float);
  double room = (double) fs.f_bavail * fs.f_frsize;
  if (room < need + MARGIN_BYTES)
    {
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_WRITE,
                   "%s: %.1f GB free, too little for %.3g GB of scratch currents", spill->dir, room / 1e9, need / 1e9);
      return NULL;
    }
  g_autofree char *path = NULL;
  spill->fd = g_file_open_tmp ("wslfp-spill-XXXXXX", &path, error);
  if (spill->fd < 0)
    return NULL;
  /* (gone from the folder at once: nothing is left behind by a crash) */
  g_unlink (path);
  if (ftruncate (spill->fd, (off_t) need) != 0)
    {
      int saved = errno;
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_WRITE, "%s: scratch currents: %s", spill->dir,
                   g_strerror (saved));
      return NULL;
    }
  return g_steal_pointer (&spill);
}

void
wslfp_spill_free (WslfpSpill *spill)
{
  if (spill == NULL)
    return;
  if (spill->fd >= 0)
    close (spill->fd);
  g_free (spill->dir);
  g_free (spill->slot);
  g_free (spill->column_at);
  g_free (spill);
}

gsize wslfp_spill_get_n_rows (const WslfpSpill *spill) { return spill->n_rows; }
gsize wslfp_spill_get_n_cols (const WslfpSpill *spill) { return spill->n_cols; }
gsize wslfp_spill_get_n_blocks (const WslfpSpill *spill) { return spill->n_blocks; }
gsize wslfp_spill_get_block_width (const WslfpSpill *spill) { return spill->width; }

void
wslfp_spill_block_cols (const WslfpSpill *spill, gsize block, gsize *col0, gsize *n)
{
  *col0 = MIN (block * spill->width, spill->n_cols);
  *n = MIN (spill->width, spill->n_cols - *col0);
}

static int
compare_by_key (gconstpointer a, gconstpointer b, gpointer data)
{
  const double *key = data;
  guint32 x = *(const guint32 *) a, y = *(const guint32 *) b;
  return key[x] < key[y] ? -1 : key[x] > key[y] ? 1 : x < y ? -1 : x > y;
}

gboolean
wslfp_spill_sort_blocks (WslfpSpill *spill, const double *key)
{
  g_return_val_if_fail (spill->slot == NULL && spill->n_cols <= G_MAXUINT32, FALSE);
  guint32 *slot = g_try_new (guint32, MAX (spill->n_cols, 1)), *column_at = g_try_new (guint32, MAX (spill->n_cols, 1));
  if (slot == NULL || column_at == NULL)
    {
      g_free (slot);
      g_free (column_at);
      return FALSE;
    }
  for (gsize c = 0; c < spill->n_cols; c++)
    column_at[c] = (guint32) c;
  for (gsize b = 0; b < spill->n_blocks; b++)
    {
      gsize col0, n;
      wslfp_spill_block_cols (spill, b, &col0, &n);
      /* (ties by column: the same order on every run) */
      g_qsort_with_data (column_at + col0, (gint) n, sizeof (guint32), compare_by_key, (gpointer) key);
      for (gsize j = 0; j < n; j++)
        slot[column_at[col0 + j]] = (guint32) j;
    }
  spill->slot = slot;
  spill->column_at = column_at;
  return TRUE;
}

const guint32 *
wslfp_spill_block_order (const WslfpSpill *spill, gsize block)
{
  g_return_val_if_fail (block < spill->n_blocks, NULL);
  return spill->column_at != NULL ? spill->column_at + block * spill->width : NULL;
}

/* Where row @row of block @block starts, and its place @j there. */
static off_t
offset_of (const WslfpSpill *spill, gsize block, gsize row, gsize j)
{
  return (off_t) ((((guint64) block * spill->n_rows + row) * spill->width + j) * sizeof (float));
}

static gboolean
io_failed (const WslfpSpill *spill, gboolean writing, ssize_t got, GError **error)
{
  int saved = errno;
  g_set_error (error, WSLFP_IO_ERROR, writing ? WSLFP_IO_ERROR_WRITE : WSLFP_IO_ERROR_OPEN,
               "%s: %s scratch currents: %s", spill->dir, writing ? "writing" : "reading",
               got < 0 ? g_strerror (saved) : writing ? "the disk is full" : "the file is shorter than written");
  return FALSE;
}

/* @bytes at @at, all of them (a read past the end: an error). */
static gboolean
transfer (const WslfpSpill *spill, gboolean writing, void *buf, guint64 bytes, off_t at, GError **error)
{
  for (guint64 done = 0; done < bytes;)
    {
      gsize chunk = MIN (bytes - done, (guint64) 1 << 30);
      ssize_t got = writing ? pwrite (spill->fd, (char *) buf + done, chunk, at + (off_t) done)
                            : pread (spill->fd, (char *) buf + done, chunk, at + (off_t) done);
      if (got < 0 && errno == EINTR)
        continue;
      if (got <= 0)
        return io_failed (spill, writing, got, error);
      done += (guint64) got;
    }
  return TRUE;
}

/* Value @k of @values (of @type), as double. */
static inline double
value_of (const void *values, WslfpValueType type, gsize k)
{
  return type == WSLFP_FLOAT32 ? (double) ((const float *) values)[k] : ((const double *) values)[k];
}

/* wslfp_spill_add() of columns [col0, col0 + n) of one block into a spill
 * kept in another order: the block's whole row is read, added to at the
 * columns' places, and written (one read and one write of at most 64 kB,
 * whatever the order). */
static gboolean
add_sorted (WslfpSpill *spill, gsize row, gsize col0, const void *values, WslfpValueType type, gsize n,
            double weight, float *segment, GError **error)
{
  gsize block = col0 / spill->width, first, count;
  wslfp_spill_block_cols (spill, block, &first, &count);
  off_t at = offset_of (spill, block, row, 0);
  if (!transfer (spill, FALSE, segment, count * sizeof (float), at, error))
    return FALSE;
  for (gsize k = 0; k < n; k++)
    {
      float *place = segment + spill->slot[col0 + k];
      *place = (float) (*place + weight * value_of (values, type, k));
    }
  return transfer (spill, TRUE, segment, count * sizeof (float), at, error);
}

gboolean
wslfp_spill_add (WslfpSpill *spill, gsize row, gsize col0, const void *values, WslfpValueType type, gsize n,
                 double weight, GError **error)
{
  g_return_val_if_fail (row < spill->n_rows && col0 <= spill->n_cols && n <= spill->n_cols - col0, FALSE);
  g_autofree float *segment = spill->slot != NULL ? g_try_new (float, spill->width) : NULL;
  if (spill->slot != NULL && segment == NULL)
    {
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_WRITE, "out of memory for a row of %zu scratch currents",
                   spill->width);
      return FALSE;
    }
  float sum[PIECE];
  for (gsize done = 0; done < n;)
    {
      /* (a piece never crosses a block) */
      gsize col = col0 + done;
      gsize in_block = MIN (n - done, spill->width - col % spill->width);
      const void *from = type == WSLFP_FLOAT32 ? (const void *) ((const float *) values + done)
                                               : (const void *) ((const double *) values + done);
      if (spill->slot != NULL)
        {
          if (!add_sorted (spill, row, col, from, type, in_block, weight, segment, error))
            return FALSE;
          done += in_block;
          continue;
        }
      gsize piece = MIN (in_block, PIECE);
      off_t at = offset_of (spill, col / spill->width, row, col % spill->width);
      if (!transfer (spill, FALSE, sum, piece * sizeof (float), at, error))
        return FALSE;
      for (gsize k = 0; k < piece; k++)
        sum[k] = (float) (sum[k] + weight * value_of (from, type, k));
      if (!transfer (spill, TRUE, sum, piece * sizeof (float), at, error))
        return FALSE;
      done += piece;
    }
  return TRUE;
}

gboolean
wslfp_spill_read (const WslfpSpill *spill, gsize block, float *out, GError **error)
{
  g_return_val_if_fail (block < spill->n_blocks, FALSE);
  return transfer (spill, FALSE, out, (guint64) spill->n_rows * spill->width * sizeof (float),
                   offset_of (spill, block, 0, 0), error);
}
