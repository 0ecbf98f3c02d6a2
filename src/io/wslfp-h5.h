/* wslfp-h5.h: small HDF5 helpers shared by the readers and writers.  Every
 * error names the file and the dataset path. */
#pragma once

#include <glib.h>
#include <hdf5.h>

G_BEGIN_DECLS

/* Turns off HDF5's printing of its error stack: we report errors ourselves. */
void     wslfp_h5_init (void);

/* Where a supervising process follows the reading (see the CLI's
 * isolation): lines "reading PATH", "read PATH" around the parsing of an
 * HDF5 file, and "temp PATH" for each temporary output.  -1: nowhere. */
void     wslfp_h5_set_watch_fd (int fd);
void     wslfp_h5_watch        (const char *event, const char *path);

gboolean wslfp_h5_exists (hid_t file, const char *path);

/* Opens @path read-only; a negative id and an error saying whether the file
 * is missing, not HDF5, or truncated/damaged. */
hid_t    wslfp_h5_open_read (const char *path, GError **error);

/* Reads a numeric (integer or float) dataset as doubles.  @rank is the
 * expected rank; dims[] receives the shape (unused dims are 1).  Non-finite
 * values are an error naming the index. */
double  *wslfp_h5_read_doubles (hid_t file, const char *filename, const char *path, int rank, hsize_t dims[2],
                                GError **error);
/* The same, NaN and infinities kept (the caller checks them). */
double  *wslfp_h5_read_doubles_raw (hid_t file, const char *filename, const char *path, int rank, hsize_t dims[2],
                                    GError **error);
/* Reads an integer dataset as int64. */
gint64  *wslfp_h5_read_ints    (hid_t file, const char *filename, const char *path, int rank, hsize_t dims[2],
                                GError **error);
/* The rank and shape of a dataset, after checking it is numeric. */
gboolean wslfp_h5_shape        (hid_t file, const char *filename, const char *path, int *rank, hsize_t dims[2],
                                gboolean *is_float, GError **error);

/* Optional attributes: TRUE and the value when present and readable. */
/* The files @path's data come from besides @file (virtual sources,
 * external raw storage) added to @files (may be NULL); FALSE (why in
 * @error) for a virtual dataset mapping itself or another virtual dataset
 * of its file, which HDF5 reads by recursing until it crashes. */
gboolean wslfp_h5_check_storage (hid_t file, const char *filename, const char *path, GPtrArray *files,
                                 GError **error);
/* A one-dimensional dataset of strings (fixed or variable length) as a
 * NULL-terminated array of @n strings; numbers are written in the shortest
 * form that reads back equal (wslfp_format_number). */
char   **wslfp_h5_read_strings (hid_t file, const char *filename, const char *path, gsize *n, GError **error);
gboolean wslfp_h5_attr_double (hid_t obj, const char *name, double *value);
/* Attribute @name of @obj as one number into *@value: TRUE when it is
 * absent (*@value unchanged, *@found FALSE) or read; FALSE, naming @where
 * and @name and what was found, when it is there but not one integer or
 * floating-point number (a string, a bool, an array, complex, empty). */
gboolean wslfp_h5_attr_number (hid_t obj, const char *where, const char *name, double *value, gboolean *found,
                               GError **error);
/* A string attribute: NULL if absent; NULL and @error (naming @where, e.g.
 * "FILE: /sources/xyz_um") if it is not one readable string. */
char    *wslfp_h5_attr_string (hid_t obj, const char *where, const char *name, GError **error);

/* Writing.  Intermediate groups are created as needed. */
gboolean wslfp_h5_write_doubles (hid_t file, const char *path, int rank, const hsize_t *dims, const double *data,
                                 gboolean as_float32, GError **error);
gboolean wslfp_h5_write_ints    (hid_t file, const char *path, int rank, const hsize_t *dims, const gint64 *data,
                                 GError **error);
gboolean wslfp_h5_set_attr_double (hid_t file, const char *obj_path, const char *name, double value, GError **error);
gboolean wslfp_h5_set_attr_string (hid_t file, const char *obj_path, const char *name, const char *value,
                                   GError **error);
gboolean wslfp_h5_set_attr_ints   (hid_t file, const char *obj_path, const char *name, gsize n, const gint64 *values,
                                   GError **error);

/* Atomic output: a temporary file in the same folder, renamed into place
 * on commit, removed on abort, so a failure never leaves a partial file
 * and never destroys an existing one. */
typedef struct
{
  char *path;
  char *tmp_path;
} WslfpAtomicFile;

gboolean wslfp_atomic_begin  (WslfpAtomicFile *out, const char *path, GError **error);
/* For a command-line program: SIGINT, SIGTERM and SIGHUP remove the
 * temporary files being written before the process ends as the signal
 * says.  (A SIGKILLed run's files are removed by the next write of the
 * same output: their names carry the writer's process id.) */
void     wslfp_atomic_remove_on_signals (void);
gboolean wslfp_atomic_commit (WslfpAtomicFile *out, GError **error);
void     wslfp_atomic_abort  (WslfpAtomicFile *out);
/* @text written to @path through wslfp_atomic_begin (so never onto a
 * device or a pipe, and through a symbolic link to its target). */
gboolean wslfp_atomic_write_text (const char *path, const char *text, GError **error);
/* Fails when @output is one of the @n @inputs (NULLs skipped) — the same
 * file, also through a symbolic or a hard link — which writing would
 * destroy.  (The atomic writer checks what kind of file @output is; this,
 * which files the caller reads.) */
gboolean wslfp_output_check_not_input (const char *output, const char *const *inputs, guint n, GError **error);

/* An HDF5 file for @out's temporary file, built in memory and written when
 * finished; then wslfp_h5_finish_output() closes it (with @ok, whether the
 * writes before went well) and says whether all of it reached the disk. */
hid_t    wslfp_h5_create_output (const WslfpAtomicFile *out, GError **error);
gboolean wslfp_h5_finish_output (const WslfpAtomicFile *out, hid_t file, gboolean ok, GError **error);

G_END_DECLS
