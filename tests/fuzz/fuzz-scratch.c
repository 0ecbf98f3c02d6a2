/* fuzz-scratch.c: each run's input as a file, rewritten in place (no new
 * file, no rename), in /dev/shm when there is one so that a run costs no
 * disk writes.  (An anonymous memfd would do, but HDF5 resolves the
 * file's real path, which a memfd does not have.) */
#include "fuzz-scratch.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

static int scratch_fd = -1;
static char *scratch_dir;

char *
fuzz_scratch (const char *name)
{
  g_autofree char *templ = g_strdup_printf ("%s/wslfp-fuzz-XXXXXX",
                                            g_file_test ("/dev/shm", G_FILE_TEST_IS_DIR) ? "/dev/shm" : g_get_tmp_dir ());
  scratch_dir = g_mkdtemp (g_steal_pointer (&templ));
  char *path = g_build_filename (scratch_dir, name, NULL);
  scratch_fd = g_open (path, O_RDWR | O_CREAT | O_TRUNC, 0600);
  return path;
}

const char *
fuzz_scratch_dir (void)
{
  return scratch_dir;
}

gboolean
fuzz_put (const uint8_t *data, size_t size)
{
  if (ftruncate (scratch_fd, 0) != 0)
    return FALSE;
  size_t done = 0;
  while (done < size)
    {
      ssize_t n = pwrite (scratch_fd, data + done, size - done, (off_t) done);
      if (n <= 0)
        return FALSE;
      done += (size_t) n;
    }
  return TRUE;
}

guint8
fuzz_byte (FuzzBytes *b)
{
  return b->at < b->size ? b->data[b->at++] : 0;
}

/* Raw bits, so that NaN, ±inf, denormals and 1e308 all come up. */
double
fuzz_double (FuzzBytes *b)
{
  guint8 raw[8] = { 0 };
  for (int i = 0; i < 8; i++)
    raw[i] = fuzz_byte (b);
  double v;
  memcpy (&v, raw, sizeof v);
  return v;
}
