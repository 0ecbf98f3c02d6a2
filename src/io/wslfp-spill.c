/* wslfp-spill.c: a float32 matrix in an unlinked scratch file, blocks of
 * columns one after another, each block's rows contiguous: a block (the
 * columns a worker multiplies at once) is one read. */
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

static off_t
offset_of (const WslfpSpill *spill, gsize row, gsize col)
{
  gsize block = col / spill->width;
  return (off_t) ((((guint64) block * spill->n_rows + row) * spill->width + col % spill->width) * sizeof (float));
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

gboolean
wslfp_spill_add (WslfpSpill *spill, gsize row, gsize col0, const void *values, WslfpValueType type, gsize n,
                 double weight, GError **error)
{
  g_return_val_if_fail (row < spill->n_rows && col0 <= spill->n_cols && n <= spill->n_cols - col0, FALSE);
  float sum[PIECE];
  for (gsize done = 0; done < n;)
    {
      /* (a piece never crosses a block) */
      gsize col = col0 + done;
      gsize piece = MIN (MIN (n - done, spill->width - col % spill->width), PIECE);
      off_t at = offset_of (spill, row, col);
      if (!transfer (spill, FALSE, sum, piece * sizeof (float), at, error))
        return FALSE;
      if (type == WSLFP_FLOAT32)
        for (gsize k = 0; k < piece; k++)
          sum[k] = (float) (sum[k] + weight * ((const float *) values)[done + k]);
      else
        for (gsize k = 0; k < piece; k++)
          sum[k] = (float) (sum[k] + weight * ((const double *) values)[done + k]);
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
                   offset_of (spill, 0, block * spill->width), error);
}
