/* wslfp-h5.c: HDF5 helpers and atomic output files. */
#include "wslfp-h5.h"
#include "wslfp-csv.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <math.h>
#include <unistd.h>
#include <sys/stat.h>

#include "wslfp-dataset.h"

G_DEFINE_QUARK (wslfp-io-error-quark, wslfp_io_error)

void
wslfp_h5_init (void)
{
  static gsize once = 0;
  /* Debian's HDF5 is built thread-safe: each thread has its own error
   * stack, printing by default; ours report errors themselves (a missing
   * external file printed HDF5's 28-line stack first: issue 20, item 17). */
  static __thread gboolean quiet;
  if (g_once_init_enter (&once))
    {
      H5open ();
      g_once_init_leave (&once, 1);
    }
  if (!quiet)
    {
      H5Eset_auto2 (H5E_DEFAULT, NULL, NULL);
      quiet = TRUE;
    }
}

/* An output file is built in memory (HDF5's core driver) and written to
 * @out's temporary file when it is finished: with the default driver, a
 * write that fails half-way (a full disk) leaves HDF5 holding a file it
 * cannot close, and the process then crashes at exit. */
hid_t
wslfp_h5_create_output (const WslfpAtomicFile *out, GError **error)
{
  wslfp_h5_init ();
  hid_t fapl = H5Pcreate (H5P_FILE_ACCESS);
  H5Pset_fapl_core (fapl, 1 << 20, 1);
  hid_t f = H5Fcreate (out->tmp_path, H5F_ACC_TRUNC, H5P_DEFAULT, fapl);
  H5Pclose (fapl);
  if (f < 0)
    g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_WRITE, "cannot create a file beside %s", out->path);
  return f;
}

gboolean
wslfp_h5_finish_output (const WslfpAtomicFile *out, hid_t file, gboolean ok, GError **error)
{
  if (H5Fclose (file) < 0 && ok)
    {
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_WRITE, "cannot write %s (disk full?)", out->path);
      ok = FALSE;
    }
  return ok;
}

hid_t
wslfp_h5_open_read (const char *path, GError **error)
{
  wslfp_h5_init ();
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_OPEN, "%s: no such file", path);
      return -1;
    }
  if (g_file_test (path, G_FILE_TEST_IS_DIR) || H5Fis_hdf5 (path) <= 0)
    {
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_OPEN, "%s: not an HDF5 file", path);
      return -1;
    }
  hid_t f = H5Fopen (path, H5F_ACC_RDONLY, H5P_DEFAULT);
  if (f < 0)
    g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_OPEN, "%s: cannot open as HDF5 (truncated or damaged?)", path);
  return f;
}

gboolean
wslfp_h5_exists (hid_t file, const char *path)
{
  /* H5Lexists needs every intermediate link to exist: check each prefix. */
  g_auto (GStrv) parts = g_strsplit (path, "/", -1);
  g_autoptr (GString) prefix = g_string_new ("");
  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (parts[i][0] == '\0')
        continue;
      g_string_append_printf (prefix, "/%s", parts[i]);
      if (H5Lexists (file, prefix->str, H5P_DEFAULT) <= 0)
        return FALSE;
    }
  return TRUE;
}

static char *
format_dims (int rank, const hsize_t *dims)
{
  GString *s = g_string_new ("(");
  for (int i = 0; i < rank; i++)
    g_string_append_printf (s, "%s%llu", i ? ", " : "", (unsigned long long) dims[i]);
  if (rank == 1)
    g_string_append (s, ",");
  g_string_append (s, ")");
  return g_string_free (s, FALSE);
}

gboolean
wslfp_h5_shape (hid_t file, const char *filename, const char *path, int *rank, hsize_t dims[2], gboolean *is_float,
                GError **error)
{
  hsize_t d[H5S_MAX_RANK];
  if (!wslfp_h5_exists (file, path))
    {
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT, "%s: %s is missing", filename, path);
      return FALSE;
    }
  H5O_info_t info;
  if (H5Oget_info_by_name (file, path, &info, H5P_DEFAULT) < 0 || info.type != H5O_TYPE_DATASET)
    {
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT, "%s: %s is not a dataset", filename, path);
      return FALSE;
    }
  hid_t ds = H5Dopen2 (file, path, H5P_DEFAULT);
  if (ds < 0)
    {
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_OPEN, "%s: cannot open %s (damaged file?)", filename, path);
      return FALSE;
    }
  hid_t type = H5Dget_type (ds), space = H5Dget_space (ds);
  H5T_class_t cls = H5Tget_class (type);
  int r = H5Sget_simple_extent_ndims (space);
  gboolean ok = TRUE;
  if (cls != H5T_FLOAT && cls != H5T_INTEGER)
    {
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT,
                   "%s: %s has a non-numeric type; expected float32/64 or int32/64", filename, path);
      ok = FALSE;
    }
  else if (r < 0 || r > H5S_MAX_RANK)
    {
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT, "%s: %s has an unreadable shape", filename, path);
      ok = FALSE;
    }
  else
    {
      H5Sget_simple_extent_dims (space, d, NULL);
      *rank = r;
      dims[0] = r >= 1 ? d[0] : 1;
      dims[1] = r >= 2 ? d[1] : 1;
      if (r > 2)
        {
          g_autofree char *found = format_dims (r, d);
          g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT, "%s: %s has shape %s; at most 2 dimensions expected",
                       filename, path, found);
          ok = FALSE;
        }
      if (is_float)
        *is_float = cls == H5T_FLOAT;
    }
  H5Tclose (type);
  H5Sclose (space);
  H5Dclose (ds);
  return ok;
}

/* A string property of a virtual mapping (HDF5 asks for the size first). */
static char *
virtual_name (hid_t dcpl, size_t i, gboolean file_name)
{
  ssize_t n = file_name ? H5Pget_virtual_filename (dcpl, i, NULL, 0) : H5Pget_virtual_dsetname (dcpl, i, NULL, 0);
  if (n < 0 || n > 65536)
    return NULL;
  char *s = g_malloc ((gsize) n + 1);
  if ((file_name ? H5Pget_virtual_filename (dcpl, i, s, (size_t) n + 1)
                 : H5Pget_virtual_dsetname (dcpl, i, s, (size_t) n + 1)) < 0)
    g_clear_pointer (&s, g_free);
  return s;
}

/* The files @path's data come from besides @file (virtual sources,
 * external raw storage) into @files; FALSE (why in @error) for a virtual
 * dataset that maps itself or another virtual dataset of its file, which
 * sends HDF5's reader into endless recursion (a crash: issue 20, item 4). */
gboolean
wslfp_h5_check_storage (hid_t f, const char *file, const char *path, GPtrArray *files, GError **error)
{
  hid_t d = H5Dopen2 (f, path, H5P_DEFAULT);
  if (d < 0)
    return TRUE; /* reported where it is read */
  hid_t dcpl = H5Dget_create_plist (d);
  gboolean ok = TRUE;
  g_autofree char *dir = g_path_get_dirname (file);
  if (dcpl >= 0 && H5Pget_layout (dcpl) == H5D_VIRTUAL)
    {
      size_t n = 0;
      H5Pget_virtual_count (dcpl, &n);
      for (size_t i = 0; i < n && ok; i++)
        {
          g_autofree char *src_file = virtual_name (dcpl, i, TRUE);
          g_autofree char *src_set = virtual_name (dcpl, i, FALSE);
          if (src_file == NULL || src_set == NULL)
            {
              g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT,
                           "%s: %s is a virtual dataset whose mapping %zu cannot be read", file, path, i);
              ok = FALSE;
              break;
            }
          g_autofree char *resolved = strcmp (src_file, ".") == 0 ? g_strdup (file)
                                                                  : g_canonicalize_filename (src_file, dir);
          GStatBuf a, b;
          gboolean same_file = strcmp (src_file, ".") == 0
                               || (g_stat (resolved, &a) == 0 && g_stat (file, &b) == 0 && a.st_dev == b.st_dev
                                   && a.st_ino == b.st_ino);
          if (!same_file)
            {
              if (files != NULL)
                g_ptr_array_add (files, g_steal_pointer (&resolved));
              continue;
            }
          /* In this file: its source must be stored data, not virtual. */
          g_autofree char *abs_set = src_set[0] == '/' ? g_strdup (src_set) : g_strdup_printf ("/%s", src_set);
          gboolean loops = strcmp (abs_set, path) == 0;
          if (!loops && wslfp_h5_exists (f, abs_set))
            {
              hid_t s = H5Dopen2 (f, abs_set, H5P_DEFAULT);
              hid_t sp = s >= 0 ? H5Dget_create_plist (s) : -1;
              loops = sp >= 0 && H5Pget_layout (sp) == H5D_VIRTUAL;
              if (sp >= 0)
                H5Pclose (sp);
              if (s >= 0)
                H5Dclose (s);
            }
          if (loops)
            {
              g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT,
                           "%s: %s is a virtual dataset whose source %s is %s: a loop HDF5 cannot read", file, path,
                           abs_set, strcmp (abs_set, path) == 0 ? "itself" : "virtual too");
              ok = FALSE;
            }
        }
    }
  if (dcpl >= 0 && ok && files != NULL)
    {
      int n = H5Pget_external_count (dcpl);
      for (int i = 0; i < n; i++)
        {
          char name[4096] = "";
          off_t offset;
          hsize_t size;
          if (H5Pget_external (dcpl, (unsigned) i, sizeof name, name, &offset, &size) >= 0 && name[0] != '\0')
            g_ptr_array_add (files, g_canonicalize_filename (name, NULL)); /* relative to the working folder */
        }
    }
  if (dcpl >= 0)
    H5Pclose (dcpl);
  H5Dclose (d);
  return ok;
}

static void *
read_as (hid_t file, const char *filename, const char *path, int rank, hsize_t dims[2], hid_t mem_type, gsize elem,
         gboolean want_int, GError **error)
{
  int r;
  gboolean is_float;
  if (!wslfp_h5_shape (file, filename, path, &r, dims, &is_float, error))
    return NULL;
  if (r != rank)
    {
      hsize_t d[2] = { dims[0], dims[1] };
      g_autofree char *found = format_dims (r, d);
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT, "%s: %s has shape %s; expected %d dimension%s",
                   filename, path, found, rank, rank == 1 ? "" : "s");
      return NULL;
    }
  if (want_int && is_float)
    {
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT, "%s: %s holds floating-point numbers; expected integers",
                   filename, path);
      return NULL;
    }
  gsize n = dims[0] * dims[1];
  if (n > G_MAXSIZE / elem / 2)
    {
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT, "%s: %s is too large", filename, path);
      return NULL;
    }
  /* Even deflate packs at most about 1000 values into a byte: a damaged
   * shape (or an unwritten dataset) claiming more is refused before we
   * allocate for it. */
  hsize_t file_size = 0;
  if (H5Fget_filesize (file, &file_size) >= 0 && n > file_size * 1100 + 4096)
    {
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT,
                   "%s: %s declares %zu values, more than a file of %llu bytes can hold", filename, path, n,
                   (unsigned long long) file_size);
      return NULL;
    }
  void *buf = g_try_malloc (MAX (n, 1) * elem);
  if (buf == NULL)
    {
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_OPEN, "%s: out of memory reading %s", filename, path);
      return NULL;
    }
  /* A virtual dataset looping back into its file crashes HDF5's reader. */
  if (!wslfp_h5_check_storage (file, filename, path, NULL, error))
    {
      g_free (buf);
      return NULL;
    }
  hid_t ds = H5Dopen2 (file, path, H5P_DEFAULT);
  herr_t status = n == 0 ? 0 : H5Dread (ds, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf);
  H5Dclose (ds);
  if (status < 0)
    {
      g_free (buf);
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_OPEN,
                   "%s: cannot read %s (the file may be truncated or damaged)", filename, path);
      return NULL;
    }
  return buf;
}

double *
wslfp_h5_read_doubles (hid_t file, const char *filename, const char *path, int rank, hsize_t dims[2], GError **error)
{
  double *v = read_as (file, filename, path, rank, dims, H5T_NATIVE_DOUBLE, sizeof (double), FALSE, error);
  if (v == NULL)
    return NULL;
  gsize n = dims[0] * dims[1];
  for (gsize i = 0; i < n; i++)
    if (!isfinite (v[i]))
      {
        if (rank == 2)
          g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_INVALID, "%s: %s[%zu][%zu] is %g", filename, path,
                       (gsize) (i / dims[1]), (gsize) (i % dims[1]), v[i]);
        else
          g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_INVALID, "%s: %s[%zu] is %g", filename, path, i, v[i]);
        g_free (v);
        return NULL;
      }
  return v;
}

double *
wslfp_h5_read_doubles_raw (hid_t file, const char *filename, const char *path, int rank, hsize_t dims[2],
                           GError **error)
{
  return read_as (file, filename, path, rank, dims, H5T_NATIVE_DOUBLE, sizeof (double), FALSE, error);
}

gint64 *
wslfp_h5_read_ints (hid_t file, const char *filename, const char *path, int rank, hsize_t dims[2], GError **error)
{
  return read_as (file, filename, path, rank, dims, H5T_NATIVE_INT64, sizeof (gint64), TRUE, error);
}

gboolean
wslfp_h5_attr_double (hid_t obj, const char *name, double *value)
{
  if (H5Aexists (obj, name) <= 0)
    return FALSE;
  hid_t a = H5Aopen (obj, name, H5P_DEFAULT);
  hid_t space = H5Aget_space (a);
  gboolean ok = H5Sget_simple_extent_npoints (space) == 1 && H5Aread (a, H5T_NATIVE_DOUBLE, value) >= 0;
  H5Sclose (space);
  H5Aclose (a);
  return ok;
}

char *
wslfp_h5_attr_string (hid_t obj, const char *where, const char *name, GError **error)
{
  char *result = NULL;
  if (H5Aexists (obj, name) <= 0)
    return NULL;
  hid_t a = H5Aopen (obj, name, H5P_DEFAULT);
  hid_t type = H5Aget_type (a);
  hid_t space = H5Aget_space (a);
  hssize_t n = H5Sget_simple_extent_npoints (space);
  /* One string (a scalar or one element): reading an array of strings
   * into room for one would overrun it. */
  if (a < 0 || type < 0 || H5Tget_class (type) != H5T_STRING || n != 1)
    g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT, "%s attribute %s must be one string; found %s", where, name,
                 a < 0 || type < 0 ? "an unreadable attribute"
                 : H5Tget_class (type) != H5T_STRING ? "another type"
                 : n < 0 ? "an unreadable shape" : "several values");
  else if (H5Tis_variable_str (type) > 0)
    {
      char *s = NULL;
      hid_t mem = H5Tcopy (H5T_C_S1);
      H5Tset_size (mem, H5T_VARIABLE);
      /* HDF5 will not convert between ASCII and UTF-8 (h5py writes
       * UTF-8): read in the stored character set. */
      H5Tset_cset (mem, H5Tget_cset (type));
      if (H5Aread (a, mem, &s) >= 0 && s != NULL)
        {
          result = g_strdup (s);
          H5free_memory (s);
        }
      H5Tclose (mem);
    }
  else
    {
      size_t size = H5Tget_size (type);
      char *buf = g_malloc0 (size + 1);
      hid_t mem = H5Tcopy (H5T_C_S1);
      H5Tset_size (mem, size + 1);
      H5Tset_cset (mem, H5Tget_cset (type));
      if (H5Aread (a, mem, buf) >= 0)
        result = g_strdup (buf);
      H5Tclose (mem);
      g_free (buf);
    }
  if (result == NULL && error != NULL && *error == NULL)
    g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT, "%s attribute %s cannot be read", where, name);
  if (space >= 0)
    H5Sclose (space);
  if (type >= 0)
    H5Tclose (type);
  if (a >= 0)
    H5Aclose (a);
  return result;
}

static hid_t
link_props (void)
{
  hid_t lcpl = H5Pcreate (H5P_LINK_CREATE);
  H5Pset_create_intermediate_group (lcpl, 1);
  return lcpl;
}

static gboolean
write_any (hid_t file, const char *path, int rank, const hsize_t *dims, hid_t file_type, hid_t mem_type,
           const void *data, GError **error)
{
  hid_t lcpl = link_props ();
  hid_t space = rank == 0 ? H5Screate (H5S_SCALAR) : H5Screate_simple (rank, dims, NULL);
  hid_t ds = H5Dcreate2 (file, path, file_type, space, lcpl, H5P_DEFAULT, H5P_DEFAULT);
  gboolean ok = ds >= 0;
  hsize_t n = 1;
  for (int i = 0; i < rank; i++)
    n *= dims[i];
  if (ok && n > 0)
    ok = H5Dwrite (ds, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) >= 0;
  if (ds >= 0)
    H5Dclose (ds);
  H5Sclose (space);
  H5Pclose (lcpl);
  if (!ok)
    g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_WRITE, "cannot write %s (disk full?)", path);
  return ok;
}

gboolean
wslfp_h5_write_doubles (hid_t file, const char *path, int rank, const hsize_t *dims, const double *data,
                        gboolean as_float32, GError **error)
{
  return write_any (file, path, rank, dims, as_float32 ? H5T_IEEE_F32LE : H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, data,
                    error);
}

gboolean
wslfp_h5_write_ints (hid_t file, const char *path, int rank, const hsize_t *dims, const gint64 *data, GError **error)
{
  return write_any (file, path, rank, dims, H5T_STD_I64LE, H5T_NATIVE_INT64, data, error);
}

static hid_t
open_object (hid_t file, const char *obj_path)
{
  if (!wslfp_h5_exists (file, obj_path) && strcmp (obj_path, "/") != 0)
    {
      hid_t lcpl = link_props ();
      hid_t g = H5Gcreate2 (file, obj_path, lcpl, H5P_DEFAULT, H5P_DEFAULT);
      H5Pclose (lcpl);
      return g;
    }
  return H5Oopen (file, obj_path, H5P_DEFAULT);
}

static gboolean
set_attr (hid_t file, const char *obj_path, const char *name, hid_t file_type, hid_t mem_type, hid_t space,
          const void *value, GError **error)
{
  hid_t obj = open_object (file, obj_path);
  gboolean ok = obj >= 0;
  if (ok)
    {
      if (H5Aexists (obj, name) > 0)
        H5Adelete (obj, name);
      hid_t a = H5Acreate2 (obj, name, file_type, space, H5P_DEFAULT, H5P_DEFAULT);
      ok = a >= 0 && H5Awrite (a, mem_type, value) >= 0;
      if (a >= 0)
        H5Aclose (a);
      H5Oclose (obj);
    }
  H5Sclose (space);
  if (!ok)
    g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_WRITE, "cannot write attribute %s of %s", name, obj_path);
  return ok;
}

gboolean
wslfp_h5_set_attr_double (hid_t file, const char *obj_path, const char *name, double value, GError **error)
{
  return set_attr (file, obj_path, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, H5Screate (H5S_SCALAR), &value, error);
}

gboolean
wslfp_h5_set_attr_ints (hid_t file, const char *obj_path, const char *name, gsize n, const gint64 *values,
                        GError **error)
{
  hsize_t dims[1] = { n };
  return set_attr (file, obj_path, name, H5T_STD_I64LE, H5T_NATIVE_INT64, H5Screate_simple (1, dims, NULL), values,
                   error);
}

gboolean
wslfp_h5_set_attr_string (hid_t file, const char *obj_path, const char *name, const char *value, GError **error)
{
  hid_t type = H5Tcopy (H5T_C_S1);
  H5Tset_size (type, H5T_VARIABLE);
  H5Tset_cset (type, H5T_CSET_UTF8);
  gboolean ok = set_attr (file, obj_path, name, type, type, H5Screate (H5S_SCALAR), &value, error);
  H5Tclose (type);
  return ok;
}

static int watch_fd = -1;

void
wslfp_h5_set_watch_fd (int fd)
{
  watch_fd = fd;
}

void
wslfp_h5_watch (const char *event, const char *path)
{
  if (watch_fd < 0)
    return;
  g_autofree char *line = g_strdup_printf ("%s %s\n", event, path);
  gsize len = strlen (line), done = 0;
  while (done < len)
    {
      gssize n = write (watch_fd, line + done, len - done);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return;
      done += (gsize) n;
    }
}

/* The temporary files now being written, for the signal handler: plain
 * C strings in fixed slots, so that the handler may read them. */
#define MAX_ACTIVE 8
static char *volatile active[MAX_ACTIVE];

static void
track (const char *tmp_path)
{
  for (int i = 0; i < MAX_ACTIVE; i++)
    if (active[i] == NULL)
      {
        active[i] = strdup (tmp_path);
        return;
      }
}

static void
untrack (const char *tmp_path)
{
  for (int i = 0; i < MAX_ACTIVE; i++)
    if (active[i] != NULL && strcmp (active[i], tmp_path) == 0)
      {
        char *p = active[i];
        active[i] = NULL;
        free (p);
        return;
      }
}

/* Only async-signal-safe calls: unlink, sigaction, raise. */
static void
remove_on_signal (int sig)
{
  for (int i = 0; i < MAX_ACTIVE; i++)
    if (active[i] != NULL)
      unlink (active[i]);
  struct sigaction dfl = { 0 };
  dfl.sa_handler = SIG_DFL;
  sigaction (sig, &dfl, NULL);
  raise (sig);
}

void
wslfp_atomic_remove_on_signals (void)
{
  const int signals[] = { SIGINT, SIGTERM, SIGHUP };
  struct sigaction sa = { 0 };
  sa.sa_handler = remove_on_signal;
  sigemptyset (&sa.sa_mask);
  for (guint i = 0; i < G_N_ELEMENTS (signals); i++)
    sigaction (signals[i], &sa, NULL);
}

/* Temporary files are named ".BASE.wslfp-PID-XXXXXX": one left by a run
 * that was killed (SIGKILL cannot be caught) is recognised by its dead
 * process and removed when the same output is written again. */
static void
remove_stale (const char *dir, const char *base)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  if (d == NULL)
    return;
  g_autofree char *prefix = g_strdup_printf (".%s.wslfp-", base);
  const char *name;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      if (!g_str_has_prefix (name, prefix))
        continue;
      char *end;
      gint64 pid = g_ascii_strtoll (name + strlen (prefix), &end, 10);
      if (end == name + strlen (prefix) || *end != '-' || pid <= 0 || pid == getpid ())
        continue;
      if (kill ((pid_t) pid, 0) != 0 && errno == ESRCH)
        {
          g_autofree char *stale = g_build_filename (dir, name, NULL);
          g_unlink (stale);
        }
    }
}

gboolean
wslfp_atomic_begin (WslfpAtomicFile *out, const char *given, GError **error)
{
  /* What is there now decides where the file goes: a regular file is
   * replaced; a symbolic link's target is (the link stays); a device, a
   * pipe or a socket never is (as root, -o /dev/null replaced the
   * system's /dev/null: issue 20, item 8). */
  g_autofree char *resolved = NULL;
  GStatBuf lst;
  out->path = NULL;
  out->tmp_path = NULL;
  if (g_lstat (given, &lst) == 0 && S_ISLNK (lst.st_mode))
    {
      resolved = realpath (given, NULL);
      if (resolved == NULL)
        {
          g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_WRITE,
                       "%s is a symbolic link to a file that is not there: give the target's name", given);
          return FALSE;
        }
    }
  const char *path = resolved != NULL ? resolved : given;
  GStatBuf st;
  if (g_stat (path, &st) == 0 && !S_ISREG (st.st_mode) && !S_ISDIR (st.st_mode))
    {
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_WRITE,
                   "%s exists and is not a regular file (a device, a pipe or a socket): it is not replaced; "
                   "choose a file name", given);
      return FALSE;
    }
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  /* g_mkstemp () replaces the six X with a unique suffix. */
  g_autofree char *templ = g_strdup_printf ("%s/.%s.wslfp-%d-XXXXXX", dir, base, (int) getpid ());
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_WRITE, "%s is a folder, not a file name", given);
      return FALSE;
    }
  remove_stale (dir, base);
  /* A signal between creating the file and tracking it would leave it
   * behind: hold SIGINT, SIGTERM and SIGHUP until it is tracked (and the
   * supervising parent told). */
  sigset_t held, before;
  sigemptyset (&held);
  sigaddset (&held, SIGINT);
  sigaddset (&held, SIGTERM);
  sigaddset (&held, SIGHUP);
  pthread_sigmask (SIG_BLOCK, &held, &before);
  int fd = g_mkstemp (templ);
  int saved = errno;
  if (fd >= 0)
    {
      close (fd);
      track (templ);
      wslfp_h5_watch ("temp", templ);
    }
  pthread_sigmask (SIG_SETMASK, &before, NULL);
  if (fd < 0)
    {
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_WRITE, "cannot create a file in %s: %s", dir,
                   g_strerror (saved));
      return FALSE;
    }
  out->path = g_strdup (path);
  out->tmp_path = g_steal_pointer (&templ);
  return TRUE;
}

gboolean
wslfp_atomic_commit (WslfpAtomicFile *out, GError **error)
{
  /* Make the data durable before the name points at it. */
  int fd = g_open (out->tmp_path, O_RDONLY, 0);
  if (fd >= 0)
    {
      fsync (fd);
      close (fd);
    }
  /* mkstemp files are 0600; give the output the usual permissions. */
  mode_t mask = umask (0);
  umask (mask);
  g_chmod (out->tmp_path, 0666 & ~mask);
  if (g_rename (out->tmp_path, out->path) != 0)
    {
      int saved = errno;
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_WRITE, "cannot rename the output into %s: %s", out->path,
                   g_strerror (saved));
      wslfp_atomic_abort (out);
      return FALSE;
    }
  untrack (out->tmp_path);
  g_clear_pointer (&out->path, g_free);
  g_clear_pointer (&out->tmp_path, g_free);
  return TRUE;
}

void
wslfp_atomic_abort (WslfpAtomicFile *out)
{
  if (out->tmp_path != NULL)
    {
      g_unlink (out->tmp_path);
      untrack (out->tmp_path);
    }
  g_clear_pointer (&out->path, g_free);
  g_clear_pointer (&out->tmp_path, g_free);
}

gboolean
wslfp_atomic_write_text (const char *path, const char *text, GError **error)
{
  WslfpAtomicFile out;
  if (!wslfp_atomic_begin (&out, path, error))
    return FALSE;
  if (!g_file_set_contents (out.tmp_path, text, -1, error))
    {
      wslfp_atomic_abort (&out);
      return FALSE;
    }
  return wslfp_atomic_commit (&out, error);
}

gboolean
wslfp_output_check_not_input (const char *output, const char *const *inputs, guint n, GError **error)
{
  GStatBuf out;
  /* stat () follows symbolic links; a hard link shares the inode. */
  if (g_stat (output, &out) != 0)
    return TRUE; /* a new file cannot be an input */
  for (guint i = 0; i < n; i++)
    {
      GStatBuf in;
      if (inputs[i] != NULL && g_stat (inputs[i], &in) == 0 && in.st_dev == out.st_dev && in.st_ino == out.st_ino)
        {
          g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_EXIST,
                       "%s is the input %s (the same file): writing it would destroy the input; choose another "
                       "output", output, inputs[i]);
          return FALSE;
        }
    }
  return TRUE;
}

char **
wslfp_h5_read_strings (hid_t file, const char *filename, const char *path, gsize *n_out, GError **error)
{
  if (!wslfp_h5_exists (file, path))
    {
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT, "%s: %s is missing", filename, path);
      return NULL;
    }
  hid_t ds = H5Dopen2 (file, path, H5P_DEFAULT);
  if (ds < 0)
    {
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_OPEN, "%s: cannot open %s (damaged file?)", filename, path);
      return NULL;
    }
  hid_t type = H5Dget_type (ds), space = H5Dget_space (ds);
  hssize_t n = H5Sget_simple_extent_npoints (space);
  int rank = H5Sget_simple_extent_ndims (space);
  H5T_class_t cls = H5Tget_class (type);
  char **out = NULL;
  hsize_t file_size = 0;
  H5Fget_filesize (file, &file_size);
  if (rank != 1 || n < 0 || (hsize_t) n > file_size * 1100 + 4096)
    g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT, "%s: %s must be one-dimensional (one value per item)",
                 filename, path);
  else if (cls == H5T_INTEGER || cls == H5T_FLOAT)
    {
      hsize_t dims[2];
      g_autofree double *v = wslfp_h5_read_doubles (file, filename, path, 1, dims, error);
      if (v != NULL)
        {
          out = g_new0 (char *, (gsize) n + 1);
          for (hssize_t i = 0; i < n; i++)
            {
              char number[WSLFP_NUMBER_LEN];
              out[i] = g_strdup (wslfp_format_number (v[i], number));
            }
        }
    }
  else if (cls != H5T_STRING)
    g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT, "%s: %s holds neither strings nor numbers", filename,
                 path);
  else if (H5Tis_variable_str (type) > 0)
    {
      char **v = g_new0 (char *, (gsize) n + 1);
      hid_t mem = H5Tcopy (H5T_C_S1);
      H5Tset_size (mem, H5T_VARIABLE);
      H5Tset_cset (mem, H5Tget_cset (type));
      if (n == 0 || H5Dread (ds, mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) >= 0)
        {
          out = g_new0 (char *, (gsize) n + 1);
          for (hssize_t i = 0; i < n; i++)
            out[i] = g_strdup (v[i] != NULL ? v[i] : "");
          if (n > 0)
            H5Dvlen_reclaim (mem, space, H5P_DEFAULT, v);
        }
      else
        g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_OPEN, "%s: cannot read the strings of %s", filename, path);
      H5Tclose (mem);
      g_free (v);
    }
  else
    {
      size_t size = H5Tget_size (type);
      if (size == 0 || size > 4096)
        g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT, "%s: %s holds strings of %zu bytes", filename, path,
                     size);
      else
        {
          g_autofree char *buf = g_try_malloc (MAX ((gsize) n, 1) * size);
          hid_t mem = H5Tcopy (H5T_C_S1);
          H5Tset_size (mem, size);
          H5Tset_strpad (mem, H5T_STR_NULLPAD);
          H5Tset_cset (mem, H5Tget_cset (type));
          if (buf != NULL && (n == 0 || H5Dread (ds, mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) >= 0))
            {
              out = g_new0 (char *, (gsize) n + 1);
              for (hssize_t i = 0; i < n; i++)
                out[i] = g_strndup (buf + (gsize) i * size, size);
            }
          else
            g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_OPEN, "%s: cannot read the strings of %s", filename,
                         path);
          H5Tclose (mem);
        }
    }
  H5Tclose (type);
  H5Sclose (space);
  H5Dclose (ds);
  if (out != NULL)
    *n_out = (gsize) n;
  return out;
}

gboolean
wslfp_h5_attr_number (hid_t obj, const char *where, const char *name, double *value, gboolean *found,
                      GError **error)
{
  if (found != NULL)
    *found = FALSE;
  if (H5Aexists (obj, name) <= 0)
    return TRUE;
  hid_t a = H5Aopen (obj, name, H5P_DEFAULT);
  hid_t type = a >= 0 ? H5Aget_type (a) : -1, space = a >= 0 ? H5Aget_space (a) : -1;
  H5T_class_t cls = type >= 0 ? H5Tget_class (type) : H5T_NO_CLASS;
  hssize_t n = space >= 0 ? H5Sget_simple_extent_npoints (space) : -1;
  const char *what = a < 0 ? "an unreadable attribute"
                     : cls == H5T_STRING ? "a string"
                     : cls == H5T_ENUM ? "an enumeration (a bool?)"
                     : cls == H5T_COMPOUND ? "a compound value (complex?)"
                     : cls != H5T_INTEGER && cls != H5T_FLOAT ? "another type"
                     : n == 0 ? "an empty value"
                     : n != 1 ? "several values" : NULL;
  double v = 0;
  if (what == NULL && H5Aread (a, H5T_NATIVE_DOUBLE, &v) < 0)
    what = "an unreadable value";
  else if (what == NULL && !isfinite (v))
    what = "a value that is not finite";
  if (space >= 0)
    H5Sclose (space);
  if (type >= 0)
    H5Tclose (type);
  if (a >= 0)
    H5Aclose (a);
  if (what != NULL)
    {
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT, "%s attribute %s must be one number; found %s", where,
                   name, what);
      return FALSE;
    }
  *value = v;
  if (found != NULL)
    *found = TRUE;
  return TRUE;
}
