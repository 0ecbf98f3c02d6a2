/* test-io.c: reading datasets, block-wise computing, LFP files. */
#include <glib.h>
#include <fcntl.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <hdf5.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "config.h"

#include "wslfp-blas-core.h"
#include "wslfp-csv.h"
#include "wslfp-dataset.h"
#include "wslfp-demo-file.h"
#include "wslfp-h5.h"
#include "wslfp-job-private.h"
#include "wslfp-lfp.h"
#include "wslfp-spill.h"
#include "wslfp-test-data.h"

/* TKLFP's marks: each contact's distance d along the spiking cells' mean
 * apical axis from their centre, and r from that axis, over both groups'
 * cells with a position (a cell without one, NaN, is left out; a group
 * without axes counts +z).  Checked with the cross product: r = |v × û|. */
static void
test_io_tklfp_marks (void)
{
  double exc_um[6] = { 0, 0, 0, 200, 60, -30 }, exc_axes[6] = { 0, 0, 3, 0, 4, 0 };
  double inh_um[6] = { 100, 300, 90, NAN, NAN, NAN };
  WslfpDataset ds = { 0 };
  ds.spikes[WSLFP_SPIKES_EXC].n_cells = 2;
  ds.spikes[WSLFP_SPIKES_EXC].cells_um = exc_um;
  ds.spikes[WSLFP_SPIKES_EXC].cells_orientation = exc_axes;
  ds.spikes[WSLFP_SPIKES_EXC].n_cells_orientations = 2;
  ds.spikes[WSLFP_SPIKES_INH].n_cells = 2;
  ds.spikes[WSLFP_SPIKES_INH].cells_um = inh_um;
  const double contacts[9] = { 100, 120, 20, -50, 0, 400, 300, -200, -100 };
  gsize n;
  g_autofree double *marks = wslfp_dataset_tklfp_marks (&ds, contacts, 3, &n);
  g_assert_cmpuint (n, ==, 3);
  /* centre (100, 120, 20); axes +z, +y, +z: mean (0, 1, 2) / √5 */
  const double c[3] = { 100, 120, 20 }, u[3] = { 0, 1 / sqrt (5), 2 / sqrt (5) };
  for (gsize e = 0; e < 3; e++)
    {
      double v[3] = { contacts[3 * e] - c[0], contacts[3 * e + 1] - c[1], contacts[3 * e + 2] - c[2] };
      double cross[3] = { v[1] * u[2] - v[2] * u[1], v[2] * u[0] - v[0] * u[2], v[0] * u[1] - v[1] * u[0] };
      double r = sqrt (cross[0] * cross[0] + cross[1] * cross[1] + cross[2] * cross[2]);
      double d = v[0] * u[0] + v[1] * u[1] + v[2] * u[2];
      g_assert_cmpfloat_with_epsilon (marks[2 * e], r, 1e-9);
      g_assert_cmpfloat_with_epsilon (marks[2 * e + 1], d, 1e-9);
    }
  /* the first contact sits on the centre */
  g_assert_cmpfloat_with_epsilon (marks[0], 0, 1e-9);
  g_assert_cmpfloat_with_epsilon (marks[1], 0, 1e-9);
  /* no cell with a position: no marks */
  ds.spikes[WSLFP_SPIKES_EXC].n_cells = 0;
  inh_um[0] = NAN;
  g_assert_null (wslfp_dataset_tklfp_marks (&ds, contacts, 3, &n));
  g_assert_cmpuint (n, ==, 0);
}

static void
test_io_small_case (void)
{
  g_autofree char *path = wslfp_test_data_path ("small_case.h5");
  g_autoptr (GError) error = NULL;
  g_autoptr (WslfpDataset) ds = wslfp_dataset_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ds->n_electrodes, ==, 5);
  g_assert_cmpuint (ds->n_sources, ==, 6);
  g_assert_cmpint (ds->coords, ==, WSLFP_COORDS_SOMATA);
  g_assert_cmpuint (ds->n_orientations, ==, 6);
  g_assert_cmpuint (ds->n_lengths, ==, 6);
  g_assert_cmpuint (ds->currents[WSLFP_CURRENT_AMPA].n_times, ==, 150);
  g_assert_cmpuint (ds->currents[WSLFP_CURRENT_GABA].n_times, ==, 140);
  g_assert_true (wslfp_dataset_check_currents (ds, NULL));
  g_assert_false (wslfp_dataset_check_spikes (ds, &error));
  g_assert_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT);
  g_assert_nonnull (strstr (error->message, "no /spikes/exc"));

  /* Any window of rows equals the same rows of the whole matrix. */
  gsize rows, cols;
  g_autofree double *whole = wslfp_test_read ("small_case.h5", "/currents/gaba/I", &rows, &cols);
  double window[13 * 6];
  g_clear_error (&error);
  g_assert_true (wslfp_dataset_read_rows (ds, WSLFP_CURRENT_GABA, 101, 13, window, &error));
  g_assert_cmpmem (window, sizeof window, whole + 101 * 6, sizeof window);
  g_assert_false (wslfp_dataset_read_rows (ds, WSLFP_CURRENT_GABA, 130, 13, window, &error));
  g_assert_nonnull (strstr (error->message, "/currents/gaba/I rows [130, 143)"));
}

static void
test_io_brian (void)
{
  g_autofree char *path = wslfp_test_data_path ("brian_small.h5");
  g_autoptr (GError) error = NULL;
  g_autoptr (WslfpDataset) ds = wslfp_dataset_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ds->n_shanks, ==, 3);
  const WslfpDatasetSpikes *exc = &ds->spikes[WSLFP_SPIKES_EXC], *inh = &ds->spikes[WSLFP_SPIKES_INH];
  g_assert_cmpuint (exc->n_pre, ==, 200);
  g_assert_cmpuint (inh->n_pre, ==, 50);
  g_assert_cmpint (exc->weights_kind, ==, WSLFP_WEIGHTS_CSR);
  g_assert_cmpfloat (exc->delay_ms, ==, 1.5);
  g_assert_cmpfloat (inh->tau_decay_ms, ==, 5.0);
  g_assert_true (wslfp_dataset_check_spikes (ds, NULL));
  g_assert_true (wslfp_dataset_check_currents (ds, NULL));
}

/* Reading currents in blocks of a few rows (and halving blocks when sparse
 * evaluation times span many rows) changes nothing. */
static void
test_io_blocks_equal_whole (void)
{
  g_autofree char *path = wslfp_test_data_path ("small_case.h5");
  g_autoptr (GError) error = NULL;
  g_autoptr (WslfpDataset) ds = wslfp_dataset_open (path, &error);
  const double steps[] = { 0.05, 0.7 };
  for (guint k = 0; k < G_N_ELEMENTS (steps); k++)
    {
      WslfpJobSettings s;
      wslfp_job_settings_init (&s);
      s.profile = WSLFP_PROFILE_AUSSEL18;
      s.t_eval_set = TRUE;
      s.t_start_ms = 3;
      s.t_stop_ms = 34;
      s.t_step_ms = steps[k];
      g_autoptr (WslfpLfp) whole = wslfp_job_run (ds, &s, NULL, NULL, &error);
      g_assert_no_error (error);
      s.block_bytes = 6 * sizeof (double) * 5; /* five rows at a time */
      g_autoptr (WslfpLfp) blocks = wslfp_job_run (ds, &s, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (blocks->n_times, ==, whole->n_times);
      g_assert_cmpfloat (wslfp_test_rel_error (blocks->uv, whole->uv, whole->n_times * whole->n_electrodes), <=, 1e-13);
      g_assert_cmpstr (blocks->profile, ==, "aussel18");
    }
}

/* Building currents from spikes block by block (four rows at a time, the
 * event-driven state carried across blocks) changes nothing either. */
static void
test_io_spike_blocks_equal_whole (void)
{
  g_autofree char *path = wslfp_test_data_path ("brian_small.h5");
  g_autoptr (GError) error = NULL;
  g_autoptr (WslfpDataset) ds = wslfp_dataset_open (path, &error);
  g_assert_no_error (error);
  WslfpJobSettings s;
  wslfp_job_settings_init (&s);
  s.from_spikes = TRUE;
  s.options.normalize = FALSE;
  g_autoptr (WslfpLfp) whole = wslfp_job_run (ds, &s, NULL, NULL, &error);
  g_assert_no_error (error);
  s.block_bytes = 1; /* the smallest block: four rows */
  g_autoptr (WslfpLfp) blocks = wslfp_job_run (ds, &s, NULL, NULL, &error);
  g_assert_no_error (error);
  gsize n = whole->n_times * whole->n_electrodes;
  g_assert_cmpuint (whole->n_times, >, 100);
  g_assert_cmpuint (blocks->n_times, ==, whole->n_times);
  g_assert_cmpfloat (wslfp_test_rel_error (blocks->uv, whole->uv, n), <=, 1e-13);
  double peak = 0;
  for (gsize i = 0; i < n; i++)
    peak = MAX (peak, fabs (whole->uv[i]));
  g_assert_cmpfloat (peak, >, 0);
}

/* Replaces @group's weights in the HDF5 file @path with @rank-dimensional
 * doubles (@rank 0: one number). */
static void
replace_weights (const char *path, const char *group, int rank, const hsize_t *dims, const double *w)
{
  hid_t f = H5Fopen (path, H5F_ACC_RDWR, H5P_DEFAULT);
  g_assert_cmpint (f, >=, 0);
  g_autofree char *w_path = g_strdup_printf ("%s/weights", group);
  g_assert_cmpint (H5Ldelete (f, w_path, H5P_DEFAULT), >=, 0);
  hid_t s = rank == 0 ? H5Screate (H5S_SCALAR) : H5Screate_simple (rank, dims, NULL);
  hid_t d = H5Dcreate2 (f, w_path, H5T_IEEE_F64LE, s, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  g_assert_cmpint (H5Dwrite (d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, w), >=, 0);
  H5Dclose (d);
  H5Sclose (s);
  H5Fclose (f);
}

/* Replaces @group's weights with a CSR group: @n_pre rows, each onto
 * every one of @n_sources sources with weight @w. */
static void
replace_weights_all_to_all (const char *path, const char *group, gsize n_pre, gsize n_sources, double w)
{
  hid_t f = H5Fopen (path, H5F_ACC_RDWR, H5P_DEFAULT);
  g_assert_cmpint (f, >=, 0);
  g_autofree char *w_path = g_strdup_printf ("%s/weights", group);
  g_assert_cmpint (H5Ldelete (f, w_path, H5P_DEFAULT), >=, 0);
  H5Gclose (H5Gcreate2 (f, w_path, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
  g_autofree gint64 *indptr = g_new (gint64, n_pre + 1);
  g_autofree gint64 *indices = g_new (gint64, n_pre * n_sources);
  g_autofree double *data = g_new (double, n_pre * n_sources);
  for (gsize p = 0; p <= n_pre; p++)
    indptr[p] = (gint64) (p * n_sources);
  for (gsize j = 0; j < n_pre * n_sources; j++)
    indices[j] = (gint64) (j % n_sources), data[j] = w;
  hsize_t n_ptr = n_pre + 1, n_w = n_pre * n_sources;
  struct { const char *name; hsize_t n; hid_t type, mem; const void *v; } parts[] = {
    { "indptr", n_ptr, H5T_STD_I64LE, H5T_NATIVE_INT64, indptr },
    { "indices", n_w, H5T_STD_I64LE, H5T_NATIVE_INT64, indices },
    { "data", n_w, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, data },
  };
  for (guint k = 0; k < G_N_ELEMENTS (parts); k++)
    {
      g_autofree char *p = g_strdup_printf ("%s/%s", w_path, parts[k].name);
      hid_t s = H5Screate_simple (1, &parts[k].n, NULL);
      hid_t d = H5Dcreate2 (f, p, parts[k].type, s, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
      g_assert_cmpint (H5Dwrite (d, parts[k].mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, parts[k].v), >=, 0);
      H5Dclose (d);
      H5Sclose (s);
    }
  H5Fclose (f);
}

/* The CSR weights of spike group @group of the fixture @file as the
 * dense (n_pre, @S) matrix they stand for. */
static double *
csr_as_dense (const char *file, const char *group, gsize S, gsize *n_pre)
{
  gsize n_ptr, n_w, n_data, cols;
  g_autofree char *p_ptr = g_strdup_printf ("%s/weights/indptr", group);
  g_autofree char *p_ind = g_strdup_printf ("%s/weights/indices", group);
  g_autofree char *p_dat = g_strdup_printf ("%s/weights/data", group);
  g_autofree gint64 *indptr = wslfp_test_read_int (file, p_ptr, &n_ptr);
  g_autofree gint64 *indices = wslfp_test_read_int (file, p_ind, &n_w);
  g_autofree double *data = wslfp_test_read (file, p_dat, &n_data, &cols);
  g_assert_cmpuint (n_w, ==, n_data);
  *n_pre = n_ptr - 1;
  double *matrix = g_new0 (double, *n_pre * S);
  for (gsize p = 0; p < *n_pre; p++)
    for (gint64 j = indptr[p]; j < indptr[p + 1]; j++)
      matrix[p * S + (gsize) indices[j]] += data[j];
  return matrix;
}

/* @to becomes a copy of the file @from. */
static void
copy_file (const char *from, const char *to)
{
  g_autofree char *bytes = NULL;
  gsize len;
  g_assert_true (g_file_get_contents (from, &bytes, &len, NULL));
  g_assert_true (g_file_set_contents (to, bytes, len, NULL));
}

/* The dataset @file opens without an error: a fixture's name or a path. */
static WslfpDataset *
open_dataset (const char *file)
{
  g_autofree char *path = g_path_is_absolute (file) ? g_strdup (file) : wslfp_test_data_path (file);
  g_autoptr (GError) error = NULL;
  WslfpDataset *ds = wslfp_dataset_open (path, &error);
  g_assert_no_error (error);
  return ds;
}

/* How lfp_from_spikes computes. */
typedef enum { SPIKES_WHOLE, SPIKES_BLOCKS, SPIKES_PARTS, N_SPIKE_WAYS } SpikesWay;
static const char *const spike_ways[N_SPIKE_WAYS] = { "whole", "in blocks", "in parts" };

/* The raw LFP from spikes of the dataset @path: whole, in the smallest
 * blocks of rows, or as the sum of parts of the sources (as the ranks of
 * an MPI run compute it; the parts are 61, 1, 88 and 50 of 200). */
static WslfpLfp *
lfp_from_spikes (const char *path, SpikesWay way)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (WslfpDataset) ds = open_dataset (path);
  WslfpJobSettings s;
  wslfp_job_settings_init (&s);
  s.from_spikes = TRUE;
  s.options.normalize = FALSE;
  if (way == SPIKES_BLOCKS)
    s.block_bytes = 1; /* the smallest block: four rows */
  WslfpLfp *lfp = wslfp_job_run (ds, &s, NULL, NULL, &error);
  g_assert_no_error (error);
  if (way != SPIKES_PARTS)
    return lfp;
  const gsize cuts[] = { 0, 61, 62, 150, 200 };
  g_assert_cmpuint (ds->n_sources, ==, cuts[G_N_ELEMENTS (cuts) - 1]);
  gsize n = lfp->n_times * lfp->n_electrodes;
  memset (lfp->uv, 0, n * sizeof (double));
  for (guint k = 0; k + 1 < G_N_ELEMENTS (cuts); k++)
    {
      s.source_first = cuts[k];
      s.source_count = cuts[k + 1] - cuts[k];
      g_autoptr (WslfpLfp) part = wslfp_job_run (ds, &s, NULL, NULL, &error);
      g_assert_no_error (error);
      for (gsize i = 0; i < n; i++)
        lfp->uv[i] += part->uv[i];
    }
  return lfp;
}

static void
assert_same_lfp (const WslfpLfp *a, const WslfpLfp *b, const char *what)
{
  g_assert_cmpuint (a->n_times, ==, b->n_times);
  g_assert_cmpuint (a->n_electrodes, ==, b->n_electrodes);
  double err = wslfp_test_rel_error (a->uv, b->uv, a->n_times * a->n_electrodes);
  if (!(err <= 1e-12))
    g_error ("%s: relative difference %g", what, err);
}

/* The three forms of spike weights a dataset may hold (README: a CSR
 * group, a dense (n_pre, S) matrix, or one number for every neuron onto
 * every source) give the LFP of the same weights written as CSR, whole,
 * in blocks of rows and in parts of the sources.  The CSR path is the one checked
 * against Brian2 (/spikes/brian). */
static void
test_io_weight_forms (void)
{
  g_autofree char *orig = wslfp_test_data_path ("brian_small.h5");
  g_autofree char *dir = g_dir_make_tmp ("wslfp-test-weights-XXXXXX", NULL);
  g_autofree char *dense = g_build_filename (dir, "dense.h5", NULL);
  g_autofree char *scalar = g_build_filename (dir, "scalar.h5", NULL);
  g_autofree char *all = g_build_filename (dir, "all-to-all.h5", NULL);
  const char *copies[] = { dense, scalar, all };
  for (guint k = 0; k < G_N_ELEMENTS (copies); k++)
    copy_file (orig, copies[k]);

  /* exc's CSR weights written out as the dense matrix they stand for */
  gsize S, cols, n_pre;
  g_free (wslfp_test_read ("brian_small.h5", "/sources/xyz_um", &S, &cols));
  g_autofree double *matrix = csr_as_dense ("brian_small.h5", "/spikes/exc", S, &n_pre);
  hsize_t dims[2] = { n_pre, S };
  replace_weights (dense, "/spikes/exc", 2, dims, matrix);

  /* inh's weights as one number, against the same number from every
   * neuron that spikes (0 .. the largest index) onto every source */
  gsize n_spikes;
  g_autofree gint64 *inh_i = wslfp_test_read_int ("brian_small.h5", "/spikes/inh/i", &n_spikes);
  gint64 largest = 0;
  for (gsize k = 0; k < n_spikes; k++)
    largest = MAX (largest, inh_i[k]);
  g_assert_cmpuint (n_spikes, >, 0);
  const double w = 0.031;
  replace_weights (scalar, "/spikes/inh", 0, NULL, &w);
  replace_weights_all_to_all (all, "/spikes/inh", (gsize) largest + 1, S, w);

  for (SpikesWay way = 0; way < N_SPIKE_WAYS; way++)
    {
      g_autoptr (WslfpLfp) from_csr = lfp_from_spikes (orig, way);
      g_autoptr (WslfpLfp) from_dense = lfp_from_spikes (dense, way);
      g_autoptr (WslfpLfp) from_scalar = lfp_from_spikes (scalar, way);
      g_autoptr (WslfpLfp) from_all = lfp_from_spikes (all, way);
      g_autofree char *dense_what = g_strdup_printf ("dense weights, %s", spike_ways[way]);
      g_autofree char *scalar_what = g_strdup_printf ("one weight, %s", spike_ways[way]);
      assert_same_lfp (from_dense, from_csr, dense_what);
      assert_same_lfp (from_scalar, from_all, scalar_what);
      /* (and the number was read: the LFP is not the original's) */
      g_assert_cmpfloat (wslfp_test_rel_error (from_scalar->uv, from_csr->uv, from_csr->n_times * from_csr->n_electrodes),
                         >, 1e-3);
    }
  const char *files[] = { dense, scalar, all };
  for (guint k = 0; k < G_N_ELEMENTS (files); k++)
    g_assert_cmpint (g_unlink (files[k]), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* An attribute of @obj in the file @path: a number, or text when @text. */
static void
set_attr_in (const char *path, const char *obj, const char *name, double number, const char *text)
{
  hid_t f = H5Fopen (path, H5F_ACC_RDWR, H5P_DEFAULT);
  g_assert_cmpint (f, >=, 0);
  hid_t o = H5Oopen (f, obj, H5P_DEFAULT);
  if (H5Aexists (o, name) > 0)
    H5Adelete (o, name);
  hid_t s = H5Screate (H5S_SCALAR);
  hid_t type = text != NULL ? H5Tcopy (H5T_C_S1) : H5Tcopy (H5T_IEEE_F64LE);
  if (text != NULL)
    H5Tset_size (type, strlen (text) + 1);
  hid_t a = H5Acreate2 (o, name, type, s, H5P_DEFAULT, H5P_DEFAULT);
  g_assert_cmpint (H5Awrite (a, text != NULL ? type : H5T_NATIVE_DOUBLE, text != NULL ? (const void *) text
                                                                                     : (const void *) &number), >=, 0);
  H5Aclose (a);
  H5Tclose (type);
  H5Sclose (s);
  H5Oclose (o);
  H5Fclose (f);
}

static void
assert_same_spikes (const WslfpDatasetSpikes *a, const WslfpDatasetSpikes *b, gsize S)
{
  g_assert_cmpint (a->present, ==, b->present);
  g_assert_null (b->problem);
  g_assert_cmpuint (a->n_spikes, ==, b->n_spikes);
  g_assert_cmpmem (a->t_ms, a->n_spikes * sizeof (double), b->t_ms, b->n_spikes * sizeof (double));
  g_assert_cmpmem (a->neuron, a->n_spikes * sizeof (gint64), b->neuron, b->n_spikes * sizeof (gint64));
  g_assert_cmpint (a->weights_kind, ==, b->weights_kind);
  g_assert_cmpuint (a->n_pre, ==, b->n_pre);
  g_assert_cmpfloat (a->tau_rise_ms, ==, b->tau_rise_ms);
  g_assert_cmpfloat (a->tau_decay_ms, ==, b->tau_decay_ms);
  g_assert_cmpfloat (a->delay_ms, ==, b->delay_ms);
  g_assert_cmpint (a->scale, ==, b->scale);
  if (a->weights_kind == WSLFP_WEIGHTS_SCALAR)
    g_assert_cmpfloat (a->scalar, ==, b->scalar);
  if (a->weights_kind == WSLFP_WEIGHTS_DENSE)
    g_assert_cmpmem (a->data, a->n_pre * S * sizeof (double), b->data, b->n_pre * S * sizeof (double));
}

/* wslfp_dataset_write of a spikes-only dataset in this project's layout
 * with what `convert` never writes (a probe with its shanks, per-source
 * dendrite lengths, dense and scalar weights, peak and unit kernels) reads
 * back the same; a dataset with currents, or with spikes that cannot be
 * used, is refused and nothing is written. */
static void
test_io_dataset_write_round_trip (void)
{
  g_autofree char *orig = wslfp_test_data_path ("brian_small.h5");
  g_autofree char *dir = g_dir_make_tmp ("wslfp-test-write-XXXXXX", NULL);
  g_autofree char *in = g_build_filename (dir, "in.h5", NULL);
  g_autofree char *out = g_build_filename (dir, "out.h5", NULL);
  copy_file (orig, in);

  /* with currents: refused */
  g_autoptr (GError) error = NULL;
  g_autoptr (WslfpDataset) with_currents = wslfp_dataset_open (in, &error);
  g_assert_no_error (error);
  g_assert_false (wslfp_dataset_write (with_currents, out, &error));
  g_assert_nonnull (strstr (error->message, "writing datasets with currents is not supported"));
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  g_clear_error (&error);
  g_clear_pointer (&with_currents, wslfp_dataset_free); /* (it holds the file open) */

  gsize S, cols, n_pre;
  g_free (wslfp_test_read ("brian_small.h5", "/sources/xyz_um", &S, &cols));
  g_autofree double *matrix = csr_as_dense ("brian_small.h5", "/spikes/exc", S, &n_pre);
  hsize_t dims[2] = { n_pre, S }, s_dims[1] = { S };
  replace_weights (in, "/spikes/exc", 2, dims, matrix);
  const double w = -0.02;
  replace_weights (in, "/spikes/inh", 0, NULL, &w);
  set_attr_in (in, "/spikes/exc", "kernel", 0, "peak");
  set_attr_in (in, "/spikes/inh", "kernel", 0, "unit");
  set_attr_in (in, "/spikes/inh", "delay_ms", 0.75, NULL);
  g_autofree double *lengths = g_new (double, S);
  for (gsize s = 0; s < S; s++)
    lengths[s] = 150 + 3 * s;
  hid_t f = H5Fopen (in, H5F_ACC_RDWR, H5P_DEFAULT);
  g_assert_cmpint (H5Ldelete (f, "/currents", H5P_DEFAULT), >=, 0);
  hid_t space = H5Screate_simple (1, s_dims, NULL);
  hid_t d = H5Dcreate2 (f, "/sources/dendrite_length_um", H5T_IEEE_F64LE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  g_assert_cmpint (H5Dwrite (d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, lengths), >=, 0);
  H5Dclose (d);
  H5Sclose (space);
  H5Fclose (f);

  g_autoptr (WslfpDataset) a = wslfp_dataset_open (in, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (a->n_electrodes, >, 1);
  g_assert_cmpint (a->n_shanks, >, 1);
  g_assert_cmpint (a->spikes[WSLFP_SPIKES_EXC].weights_kind, ==, WSLFP_WEIGHTS_DENSE);
  g_assert_cmpint (a->spikes[WSLFP_SPIKES_INH].weights_kind, ==, WSLFP_WEIGHTS_SCALAR);
  g_assert_cmpint (a->spikes[WSLFP_SPIKES_INH].scale, ==, WSLFP_KERNEL_UNIT);
  g_assert_true (wslfp_dataset_write (a, out, &error));
  g_assert_no_error (error);
  g_autoptr (WslfpDataset) b = wslfp_dataset_open (out, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (b->n_electrodes, ==, a->n_electrodes);
  g_assert_cmpmem (b->electrodes_um, 3 * b->n_electrodes * sizeof (double), a->electrodes_um,
                   3 * a->n_electrodes * sizeof (double));
  g_assert_cmpint (b->n_shanks, ==, a->n_shanks);
  g_assert_cmpmem (b->shank, b->n_electrodes * sizeof (int), a->shank, a->n_electrodes * sizeof (int));
  g_assert_cmpuint (b->n_sources, ==, S);
  g_assert_cmpmem (b->sources_um, 3 * S * sizeof (double), a->sources_um, 3 * S * sizeof (double));
  g_assert_cmpint (b->coords, ==, a->coords);
  g_assert_cmpuint (b->n_lengths, ==, S);
  g_assert_cmpmem (b->dendrite_length_um, S * sizeof (double), lengths, S * sizeof (double));
  for (int g = 0; g < WSLFP_N_SPIKE_GROUPS; g++)
    assert_same_spikes (&a->spikes[g], &b->spikes[g], S);

  /* spikes that cannot be used: refused, naming why */
  g_assert_cmpint (g_unlink (out), ==, 0);
  g_clear_pointer (&a, wslfp_dataset_free);
  set_attr_in (in, "/spikes/exc", "kernel", 0, "alpha");
  g_autoptr (WslfpDataset) bad = wslfp_dataset_open (in, &error);
  g_assert_no_error (error);
  g_assert_false (wslfp_dataset_write (bad, out, &error));
  g_assert_nonnull (strstr (error->message, "attribute kernel is \"alpha\""));
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  g_assert_cmpint (g_unlink (in), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* The raw LFP of the currents of the dataset @path (default settings). */
static WslfpLfp *
lfp_of_currents (const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (WslfpDataset) ds = open_dataset (path);
  WslfpJobSettings s;
  wslfp_job_settings_init (&s);
  s.options.normalize = FALSE;
  WslfpLfp *lfp = wslfp_job_run (ds, &s, NULL, NULL, &error);
  g_assert_no_error (error);
  return lfp;
}

/* The problem of @kind's currents in the dataset @path (NULL: none). */
static char *
currents_problem (const char *path, int kind, char ***input_files)
{
  g_autoptr (WslfpDataset) ds = open_dataset (path);
  if (input_files != NULL)
    *input_files = g_strdupv (ds->input_files);
  return g_strdup (ds->currents[kind].problem);
}

/* Currents stored as a virtual dataset that maps itself, or another
 * virtual dataset of its file (named "." or by its own file name), would
 * send HDF5's reader into endless recursion: they are refused, naming the
 * loop; a virtual dataset over stored data of its own file, or of another
 * file, is read, and the other file is listed among the dataset's inputs
 * (which an output may not replace). */
static void
test_io_virtual_currents (void)
{
  g_autofree char *orig = wslfp_test_data_path ("small_case.h5");
  g_autofree char *dir = g_dir_make_tmp ("wslfp-test-vds-XXXXXX", NULL);
  g_autofree char *bytes = NULL;
  gsize len;
  g_assert_true (g_file_get_contents (orig, &bytes, &len, NULL));
  enum { SELF, SELF_BY_NAME, CHAIN, STORED, OTHER_FILE, N_WAYS };
  g_autofree char *other = g_build_filename (dir, "other.h5", NULL);
  g_assert_true (g_file_set_contents (other, bytes, len, NULL));
  for (int way = 0; way < N_WAYS; way++)
    {
      g_autofree char *name = g_strdup_printf ("vds-%d.h5", way);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_assert_true (g_file_set_contents (path, bytes, len, NULL));
      const char *want = NULL;
      switch (way)
        {
        case SELF:
          wslfp_test_make_virtual (path, "/currents/ampa/I", ".", "/currents/ampa/I");
          want = "/currents/ampa/I is a virtual dataset whose source /currents/ampa/I is itself: a loop HDF5 cannot read";
          break;
        case SELF_BY_NAME:
          wslfp_test_make_virtual (path, "/currents/ampa/I", name, "currents/ampa/I");
          want = "/currents/ampa/I is a virtual dataset whose source /currents/ampa/I is itself";
          break;
        case CHAIN:
          {
            /* /copy virtual over the stored currents, and the currents virtual over /copy */
            hid_t f = H5Fopen (path, H5F_ACC_RDWR, H5P_DEFAULT);
            g_assert_cmpint (H5Lcreate_hard (f, "/currents/ampa/I", f, "/stored", H5P_DEFAULT, H5P_DEFAULT), >=, 0);
            g_assert_cmpint (H5Lcreate_hard (f, "/currents/ampa/I", f, "/copy", H5P_DEFAULT, H5P_DEFAULT), >=, 0);
            H5Fclose (f);
            wslfp_test_make_virtual (path, "/copy", ".", "/stored");
            wslfp_test_make_virtual (path, "/currents/ampa/I", ".", "/copy");
            want = "/currents/ampa/I is a virtual dataset whose source /copy is virtual too: a loop HDF5 cannot read";
            break;
          }
        case STORED:
          {
            hid_t f = H5Fopen (path, H5F_ACC_RDWR, H5P_DEFAULT);
            g_assert_cmpint (H5Lcreate_hard (f, "/currents/ampa/I", f, "/stored", H5P_DEFAULT, H5P_DEFAULT), >=, 0);
            H5Fclose (f);
            wslfp_test_make_virtual (path, "/currents/ampa/I", ".", "/stored");
            break;
          }
        case OTHER_FILE:
          wslfp_test_make_virtual (path, "/currents/ampa/I", "other.h5", "/currents/ampa/I");
          break;
        }
      g_auto (GStrv) inputs = NULL;
      g_autofree char *problem = currents_problem (path, WSLFP_CURRENT_AMPA, &inputs);
      if (want != NULL && (problem == NULL || strstr (problem, want) == NULL || strstr (problem, path) == NULL))
        g_error ("way %d: \"%s\"; expected a problem naming %s and saying \"%s\"", way, problem ? problem : "none",
                 path, want);
      if (want == NULL && problem != NULL)
        g_error ("way %d: %s", way, problem);
      if (way == OTHER_FILE)
        {
          g_assert_nonnull (inputs);
          g_assert_true (g_strv_contains ((const char *const *) inputs, other));
        }
      if (way == STORED)
        g_assert_true (inputs == NULL || !g_strv_contains ((const char *const *) inputs, path));
      if (want == NULL)
        {
          /* read through: the same LFP as the original file's */
          g_autoptr (WslfpLfp) a = lfp_of_currents (orig);
          g_autoptr (WslfpLfp) b = lfp_of_currents (path);
          assert_same_lfp (b, a, name);
        }
      g_assert_cmpint (g_unlink (path), ==, 0);
    }
  g_assert_cmpint (g_unlink (other), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* Column @c of the model @m (its amplitudes down the contacts, its dipole
 * centre and axis) equals column @full_c of @full. */
static void
assert_same_column (const WslfpModel *m, gsize c, const WslfpModel *full, gsize full_c)
{
  gsize E = wslfp_model_get_n_electrodes (full), n = wslfp_model_get_n_columns (m),
        n_full = wslfp_model_get_n_columns (full);
  for (gsize e = 0; e < E; e++)
    if (wslfp_model_get_amplitude (m)[e * n + c] != wslfp_model_get_amplitude (full)[e * n_full + full_c])
      g_error ("column %zu (source %zu), contact %zu: amplitude %g, expected %g", c, full_c, e,
               wslfp_model_get_amplitude (m)[e * n + c], wslfp_model_get_amplitude (full)[e * n_full + full_c]);
  g_assert_cmpmem (wslfp_model_get_centers (m) + 3 * c, 3 * sizeof (double), wslfp_model_get_centers (full) + 3 * full_c,
                   3 * sizeof (double));
  g_assert_cmpmem (wslfp_model_get_orientations (m) + 3 * c, 3 * sizeof (double),
                   wslfp_model_get_orientations (full) + 3 * full_c, 3 * sizeof (double));
}

/* The models of some of a dataset's sources (a part, as an MPI rank or a
 * panel takes; chosen columns, as an exact move takes from the scratch
 * currents), with an axis and a dendrite length per source: each column is
 * that source's column of the whole model. */
static void
test_io_models_of_parts (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (WslfpDataset) ds = open_dataset ("small_case.h5");
  g_assert_cmpuint (ds->n_orientations, ==, ds->n_sources);
  g_assert_cmpuint (ds->n_lengths, ==, ds->n_sources);
  /* (lengths that differ, so that a column taken from the wrong source shows) */
  for (gsize k = 1; k < ds->n_lengths; k++)
    g_assert_cmpfloat (ds->dendrite_length_um[k], !=, ds->dendrite_length_um[0]);
  WslfpJobSettings s;
  wslfp_job_settings_init (&s);
  WslfpModel *full = wslfp_job_model_of (ds, &s, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (wslfp_model_get_n_columns (full), ==, ds->n_sources);
  WslfpModel *part = wslfp_job_model_of (ds, &s, 2, 3, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (wslfp_model_get_n_columns (part), ==, 3);
  for (gsize c = 0; c < 3; c++)
    assert_same_column (part, c, full, 2 + c);
  const guint32 columns[] = { 5, 0, 3, 3 };
  WslfpModel *chosen = wslfp_job_model_of_columns (ds, &s, columns, G_N_ELEMENTS (columns), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (wslfp_model_get_n_columns (chosen), ==, G_N_ELEMENTS (columns));
  for (gsize c = 0; c < G_N_ELEMENTS (columns); c++)
    assert_same_column (chosen, c, full, columns[c]);
  wslfp_model_free (chosen);
  wslfp_model_free (part);
  wslfp_model_free (full);
}

/* Cells pooled by place share one dendrite length: the file's, when every
 * source has the same one (the LFP of that length given as an override,
 * to the bit), and a file whose sources' lengths differ is refused,
 * naming it. */
static void
test_io_pooled_lengths (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (WslfpDataset) ds = open_dataset ("small_case.h5");
  /* (cells pooled by place share one orientation: the default one) */
  g_clear_pointer (&ds->orientation, g_free);
  ds->n_orientations = 0;
  g_assert_cmpuint (ds->n_lengths, >, 1);
  for (gsize k = 0; k < ds->n_lengths; k++)
    ds->dendrite_length_um[k] = 180;
  WslfpJobSettings s;
  wslfp_job_settings_init (&s);
  s.precision = WSLFP_PRECISION_DOUBLE;
  WslfpJobPool *pool = NULL;
  g_autoptr (WslfpLfp) exact = wslfp_job_run_pooling (ds, &s, 150, &pool, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (pool);
  g_autoptr (WslfpLfp) files = wslfp_job_run_pooled (ds, &s, pool, 1, 0, &error);
  g_assert_no_error (error);
  WslfpJobSettings given = s;
  given.dendrite_length_um = 180;
  g_autoptr (WslfpLfp) overridden = wslfp_job_run_pooled (ds, &given, pool, 1, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (files->n_times, ==, overridden->n_times);
  g_assert_cmpmem (files->uv, files->n_times * files->n_electrodes * sizeof (double), overridden->uv,
                   overridden->n_times * overridden->n_electrodes * sizeof (double));
  /* (and the length matters: another one gives another LFP) */
  given.dendrite_length_um = 400;
  g_autoptr (WslfpLfp) longer = wslfp_job_run_pooled (ds, &given, pool, 1, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (wslfp_test_rel_error (longer->uv, files->uv, files->n_times * files->n_electrodes), >, 1e-3);
  ds->dendrite_length_um[1] = 200;
  g_assert_null (wslfp_job_run_pooled (ds, &s, pool, 1, 0, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "small_case.h5: the sources have different dendrite lengths: they cannot be "
                                            "pooled by place"));
  wslfp_job_pool_free (pool);
}

/* An LFP file altered by hand: a missing /electrodes/shank is one shank,
 * a missing profile is "unknown"; uV of the wrong shape, a shank list of
 * the wrong length or an unknown proxy are errors naming the file and what
 * is wrong. */
static void
test_io_lfp_read_faults (void)
{
  g_autofree char *dir = g_dir_make_tmp ("wslfp-test-io-XXXXXX", NULL);
  g_autofree char *h5 = g_build_filename (dir, "lfp.h5", NULL);
  double t[3] = { 0, 0.5, 1 }, uv[6] = { 1, -2, 3.5, 4, 5, -6 }, xyz[6] = { 0, 0, 10, 250, 0, -30 };
  int shank[2] = { 0, 1 };
  WslfpLfp lfp = { 3, 2, t, uv, xyz, shank, 2, "mazzoni15", 1.65, 6, 0, TRUE, TRUE, FALSE };
  enum { NO_SHANK, NO_PROFILE, SHORT_SHANK, WRONG_UV, WRONG_ELECTRODES, BAD_PROXY, N_FAULTS };
  const char *want[N_FAULTS] = {
    NULL, NULL, ": /electrodes/shank has the wrong length",
    ": /lfp/uV has shape (3, 3); expected (3, 2), times × electrodes",
    ": /lfp/uV has shape (3, 2); expected (3, 3), times × electrodes",
    ": /lfp attribute proxy is \"kernels\"; expected wslfp or tklfp",
  };
  for (int k = 0; k < N_FAULTS; k++)
    {
      g_autoptr (GError) error = NULL;
      g_assert_true (wslfp_lfp_write (&lfp, h5, &error));
      hid_t f = H5Fopen (h5, H5F_ACC_RDWR, H5P_DEFAULT);
      g_assert_cmpint (f, >=, 0);
      hid_t g = H5Gopen2 (f, "/lfp", H5P_DEFAULT);
      double nine[9] = { 0 };
      gint64 one_shank[1] = { 0 };
      hsize_t d3x3[2] = { 3, 3 }, d1 = 1;
      switch (k)
        {
        case NO_SHANK: g_assert_cmpint (H5Ldelete (f, "/electrodes/shank", H5P_DEFAULT), >=, 0); break;
        case NO_PROFILE: g_assert_cmpint (H5Adelete (g, "profile"), >=, 0); break;
        case SHORT_SHANK:
          {
            g_assert_cmpint (H5Ldelete (f, "/electrodes/shank", H5P_DEFAULT), >=, 0);
            hid_t s = H5Screate_simple (1, &d1, NULL);
            hid_t d = H5Dcreate2 (f, "/electrodes/shank", H5T_STD_I64LE, s, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
            H5Dwrite (d, H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, one_shank);
            H5Dclose (d), H5Sclose (s);
            break;
          }
        case WRONG_UV:
        case WRONG_ELECTRODES:
          {
            const char *name = k == WRONG_UV ? "/lfp/uV" : "/electrodes/xyz_um";
            g_assert_cmpint (H5Ldelete (f, name, H5P_DEFAULT), >=, 0);
            hid_t s = H5Screate_simple (2, d3x3, NULL);
            hid_t d = H5Dcreate2 (f, name, H5T_IEEE_F64LE, s, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
            H5Dwrite (d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, nine);
            H5Dclose (d), H5Sclose (s);
            break;
          }
        case BAD_PROXY:
          {
            H5Adelete (g, "proxy");
            hid_t type = H5Tcopy (H5T_C_S1);
            H5Tset_size (type, 7);
            hid_t s = H5Screate (H5S_SCALAR);
            hid_t a = H5Acreate2 (g, "proxy", type, s, H5P_DEFAULT, H5P_DEFAULT);
            H5Awrite (a, type, "kernels");
            H5Aclose (a), H5Sclose (s), H5Tclose (type);
            break;
          }
        }
      H5Gclose (g);
      H5Fclose (f);
      g_autoptr (WslfpLfp) back = wslfp_lfp_read (h5, &error);
      if (want[k] == NULL)
        {
          g_assert_no_error (error);
          g_assert_cmpint (back->n_shanks, ==, k == NO_SHANK ? 1 : 2);
          g_assert_cmpint (back->shank[1], ==, k == NO_SHANK ? 0 : 1);
          g_assert_cmpstr (back->profile, ==, k == NO_PROFILE ? "unknown" : "mazzoni15");
          continue;
        }
      g_assert_null (back);
      g_autofree char *message = g_strconcat (h5, want[k], NULL);
      if (error == NULL || strcmp (error->message, message) != 0)
        g_error ("fault %d: \"%s\"; expected \"%s\"", k, error ? error->message : "read", message);
    }
  g_unlink (h5);
  g_rmdir (dir);
}

static void
test_io_lfp_files (void)
{
  g_autofree char *dir = g_dir_make_tmp ("wslfp-test-io-XXXXXX", NULL);
  g_autofree char *h5 = g_build_filename (dir, "lfp.h5", NULL);
  g_autofree char *csv = g_build_filename (dir, "lfp.csv", NULL);
  g_autofree char *nowhere = g_build_filename (dir, "missing", "lfp.h5", NULL);
  double t[3] = { 0, 0.5, 1 }, uv[6] = { 1, -2, 3.5, 4, 5, -6e-7 }, xyz[6] = { 0, 0, 10, 250, 0, -30 };
  int shank[2] = { 0, 1 };
  WslfpLfp lfp = { 3, 2, t, uv, xyz, shank, 2, "mazzoni15", 1.65, 6, 0, TRUE, TRUE, FALSE };
  g_autoptr (GError) error = NULL;

  g_assert_true (wslfp_lfp_write (&lfp, h5, &error));
  g_autoptr (WslfpLfp) back = wslfp_lfp_read (h5, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (back->n_times, ==, 3);
  g_assert_cmpuint (back->n_electrodes, ==, 2);
  g_assert_cmpmem (back->uv, sizeof uv, uv, sizeof uv);
  g_assert_cmpmem (back->electrodes_um, sizeof xyz, xyz, sizeof xyz);
  g_assert_cmpstr (back->profile, ==, "mazzoni15");
  g_assert_true (back->population);
  g_assert_false (back->from_spikes);
  g_assert_true (back->normalized);
  g_assert_cmpint (back->n_shanks, ==, 2);

  /* A decimal-comma locale must not leak into the CSV. */
  g_autofree char *saved = g_strdup (setlocale (LC_NUMERIC, NULL));
  g_assert_nonnull (setlocale (LC_NUMERIC, "de_DE.UTF-8"));
  g_assert_true (wslfp_lfp_write (&lfp, csv, &error));
  setlocale (LC_NUMERIC, saved);
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (csv, &text, NULL, NULL));
  g_assert_cmpstr (text, ==,
                   "t_ms,e0_shank0_z10_uV,e1_shank1_z-30_uV\n0,1,-2\n0.5,3.5,4\n1,5,-6e-07\n");
  /* numbers that need every digit read back equal: times, LFP, depths */
  {
    double t17[3] = { 0.1 + 0.2, 1e6 + 1.0 / 3, 3600000.01 };
    double uv17[6] = { 1.0 / 3, -2.0 / 3, 1e-300 / 7, 123456.78901234567, -0.1 - 0.2, 5e307 / 3 };
    double xyz17[6] = { 0, 0, 100.0 / 7, 250, 0, -1234.5678901 };
    WslfpLfp fine = { 3, 2, t17, uv17, xyz17, shank, 2, "mazzoni15", 1.65, 6, 0, TRUE, TRUE, FALSE };
    g_assert_true (wslfp_lfp_write (&fine, csv, &error));
    g_autofree char *all = NULL;
    g_assert_true (g_file_get_contents (csv, &all, NULL, NULL));
    g_auto (GStrv) rows = g_strsplit (all, "\n", -1);
    g_assert_cmpuint (g_strv_length (rows), ==, 5);
    g_autofree char *z0 = g_strdup_printf ("_z%s_", "14.285714285714286");
    g_assert_nonnull (strstr (rows[0], z0));
    g_assert_nonnull (strstr (rows[0], "_z-1234.5678901_"));
    for (int r = 0; r < 3; r++)
      {
        g_auto (GStrv) cells = g_strsplit (rows[r + 1], ",", -1);
        g_assert_cmpuint (g_strv_length (cells), ==, 3);
        g_assert_cmpfloat (g_ascii_strtod (cells[0], NULL), ==, t17[r]);
        for (int e = 0; e < 2; e++)
          g_assert_cmpfloat (g_ascii_strtod (cells[1 + e], NULL), ==, uv17[2 * r + e]);
      }
  }

  g_assert_false (wslfp_lfp_write (&lfp, nowhere, &error));
  g_assert_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_WRITE);
  g_clear_error (&error);
  /* a folder's name is refused before anything is written */
  g_assert_false (wslfp_lfp_write (&lfp, dir, &error));
  g_assert_nonnull (strstr (error->message, "is a folder, not a file name"));
  g_clear_error (&error);
  g_assert_null (wslfp_lfp_read (csv, &error));
  g_assert_nonnull (strstr (error->message, "not an HDF5 file"));

  /* Nothing but the two outputs: no temporary files left over. */
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;
  while (g_dir_read_name (d) != NULL)
    n++;
  g_assert_cmpuint (n, ==, 2);
  g_unlink (h5);
  g_unlink (csv);
  g_rmdir (dir);
}

static void
test_io_probe_csv (void)
{
  g_autofree char *dir = g_dir_make_tmp ("wslfp-test-io-XXXXXX", NULL);
  g_autofree char *a = g_build_filename (dir, "a.csv", NULL);
  g_autofree char *b = g_build_filename (dir, "b.csv", NULL);
  g_autofree double *xyz = NULL;
  g_autofree int *shank = NULL;
  g_autoptr (GError) error = NULL;
  gsize n;

  g_file_set_contents (a, "x_um,y_um,z_um\n0,0,-100\n0,0,100\n200,0,0\n", -1, NULL);
  g_assert_true (wslfp_probe_read_csv (a, &xyz, &shank, &n, &error));
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpfloat (xyz[8], ==, 0);
  g_assert_cmpint (shank[0], ==, 0);
  g_assert_cmpint (shank[1], ==, 0);
  g_assert_cmpint (shank[2], ==, 1);
  g_clear_pointer (&xyz, g_free);
  g_clear_pointer (&shank, g_free);
  /* Semicolons, blanks, comments and an explicit shank column. */
  g_file_set_contents (a, "# probe\n10; 0; 5; 2\n\n10 0 -5 2\n", -1, NULL);
  g_assert_true (wslfp_probe_read_csv (a, &xyz, &shank, &n, &error));
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpfloat (xyz[5], ==, -5);
  g_assert_cmpint (shank[1], ==, 2);
  struct { const char *text; const char *fragment; } bad[] = {
    { "0,0,1\n0,0\n", "line 2: expected x_um,y_um,z_um[,shank]" },
    { "0,0,1,1.5\n", "line 1: the shank must be a whole number" },
    { "0,0,1,-1\n", "line 1: the shank must be a whole number" },
    { "0,0,1,1e30\n", "line 1: the shank must be a whole number" },
    { "0,0,1,0,7\n", "line 1: expected" },
    { "0,0,inf\n", "line 1: expected" },
    { "x,y,z\n", "no rows" },
  };
  for (guint k = 0; k < G_N_ELEMENTS (bad); k++)
    {
      g_clear_error (&error);
      g_file_set_contents (b, bad[k].text, -1, NULL);
      g_assert_false (wslfp_probe_read_csv (b, &xyz, &shank, &n, &error));
      if (strstr (error->message, bad[k].fragment) == NULL || strstr (error->message, b) == NULL)
        g_error ("probe case %u: \"%s\" does not name %s and \"%s\"", k, error->message, b, bad[k].fragment);
    }
  g_unlink (a);
  g_unlink (b);
  g_rmdir (dir);
}

/* The demo as an in-memory dataset, and the same network written to a file
 * and loaded whole, give the same LFP as reading the file in blocks. */
static void
test_io_in_memory (void)
{
  WslfpDemoParams params;
  char message[256];
  wslfp_demo_params_init (&params);
  params.n_exc = 60;
  params.duration_ms = 40;
  WslfpDemoNetwork *net = wslfp_demo_network_run (&params, NULL, NULL, message, sizeof message);
  g_assert_nonnull (net);
  g_autofree char *dir = g_dir_make_tmp ("wslfp-test-io-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "demo.h5", NULL);
  g_autoptr (GError) error = NULL;
  g_assert_true (wslfp_demo_file_write (net, path, &error));
  g_autoptr (WslfpDataset) mem = wslfp_demo_dataset_new (net, "demo");
  g_autoptr (WslfpDataset) file = wslfp_dataset_open (path, &error);
  g_autoptr (WslfpDataset) loaded = wslfp_dataset_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (wslfp_dataset_load_all (loaded, &error));
  g_assert_cmpint (loaded->file, ==, 0);
  WslfpJobSettings s;
  wslfp_job_settings_init (&s);
  for (int spikes = 0; spikes < 2; spikes++)
    {
      s.from_spikes = spikes;
      g_autoptr (WslfpLfp) a = wslfp_job_run (file, &s, NULL, NULL, &error);
      g_autoptr (WslfpLfp) b = wslfp_job_run (mem, &s, NULL, NULL, &error);
      g_autoptr (WslfpLfp) c = wslfp_job_run (loaded, &s, NULL, NULL, &error);
      g_assert_no_error (error);
      gsize n = a->n_times * a->n_electrodes;
      g_assert_cmpuint (a->n_times, ==, 400);
      g_assert_cmpmem (b->uv, n * sizeof (double), a->uv, n * sizeof (double));
      g_assert_cmpmem (c->uv, n * sizeof (double), a->uv, n * sizeof (double));
    }
  wslfp_demo_network_free (net);
  g_unlink (path);
  g_rmdir (dir);
}

static gboolean
count_chunks (double fraction, gpointer data)
{
  (*(guint *) data)++;
  return FALSE;
}

static gboolean
cancel_at_once (double fraction, gpointer data)
{
  return TRUE;
}

/* The live path: combined currents kept once, then the probe moved; each
 * move gives wslfp_job_run()'s numbers to 1e-9 of the peak, from currents
 * and from spikes, and a stride takes every stride-th time. */
static void
test_io_combined_job (void)
{
  g_autofree char *path = wslfp_test_data_path ("brian_small.h5");
  g_autoptr (GError) error = NULL;
  g_autoptr (WslfpDataset) ds = wslfp_dataset_open (path, &error);
  g_assert_no_error (error);
  gsize E = ds->n_electrodes;
  g_autofree double *xyz = g_memdup2 (ds->electrodes_um, E * 3 * sizeof (double));
  for (int from_spikes = 0; from_spikes <= 1; from_spikes++)
    {
      WslfpJobSettings s;
      wslfp_job_settings_init (&s);
      s.from_spikes = from_spikes;
      s.options.alpha = 1.3;
      s.options.tau_ampa_ms = 4.2;
      s.precision = WSLFP_PRECISION_DOUBLE; /* as the kept currents are */
      s.electrodes_um = xyz;
      s.shank = ds->shank;
      s.n_electrodes = E;
      WslfpCombined *c = wslfp_job_combine (ds, &s, FALSE, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (wslfp_job_combined_bytes (ds, &s, FALSE), ==,
                        wslfp_combined_get_n_times (c) * ds->n_sources * sizeof (double));
      g_assert_cmpuint (wslfp_job_combined_bytes (ds, &s, TRUE), ==,
                        wslfp_combined_get_n_times (c) * ds->n_sources * sizeof (float));
      guint chunks = 0;
      for (int move = 0; move < 3; move++)
        {
          for (gsize e = 0; e < E; e++)
            {
              xyz[3 * e] += 40 * move;
              xyz[3 * e + 2] -= 70 * move;
            }
          g_autoptr (WslfpLfp) fresh = wslfp_job_run (ds, &s, NULL, NULL, &error);
          g_assert_no_error (error);
          g_autoptr (WslfpLfp) kept = wslfp_job_run_combined (ds, &s, c, 1, 1, NULL, NULL, &error);
          g_assert_no_error (error);
          g_assert_cmpuint (kept->n_times, ==, fresh->n_times);
          g_assert_cmpmem (kept->t_ms, kept->n_times * sizeof (double), fresh->t_ms, fresh->n_times * sizeof (double));
          g_assert_cmpmem (kept->electrodes_um, E * 3 * sizeof (double), xyz, E * 3 * sizeof (double));
          g_assert_cmpfloat (wslfp_test_rel_error (kept->uv, fresh->uv, E * fresh->n_times), <, 1e-9);
          g_autoptr (WslfpLfp) split = wslfp_job_run_combined (ds, &s, c, 1, 3, count_chunks, &chunks, &error);
          g_assert_no_error (error);
          g_assert_cmpfloat (wslfp_test_rel_error (split->uv, kept->uv, E * kept->n_times), <, 1e-13);
          g_assert_cmpuint (chunks, >=, 1);
          /* Cancelled between chunks: no result, an error. */
          g_assert_null (wslfp_job_run_combined (ds, &s, c, 1, 2, cancel_at_once, NULL, &error));
          g_assert_nonnull (error);
          g_clear_error (&error);
          g_autoptr (WslfpLfp) preview = wslfp_job_run_combined (ds, &s, c, 4, 2, NULL, NULL, &error);
          g_assert_cmpuint (preview->n_times, ==, (fresh->n_times + 3) / 4);
          g_assert_cmpfloat (preview->t_ms[1], ==, fresh->t_ms[4]);
          /* stride 0 is stride 1 */
          g_autoptr (WslfpLfp) zero = wslfp_job_run_combined (ds, &s, c, 0, 2, NULL, NULL, &error);
          g_assert_no_error (error);
          g_assert_cmpuint (zero->n_times, ==, kept->n_times);
          g_assert_cmpmem (zero->t_ms, kept->n_times * sizeof (double), kept->t_ms, kept->n_times * sizeof (double));
          g_assert_cmpfloat (wslfp_test_rel_error (zero->uv, kept->uv, E * kept->n_times), <, 1e-13);
        }
      wslfp_combined_free (c);
    }
}

/* Pooled sources: the preview equals the sum over cubes of each cube's
 * summed combined currents times the amplitude at its cells' centroid
 * (cubes and centroids worked out here); cubes of one cell each give the
 * exact LFP; sources of different orientations are refused, naming the
 * file; the cube side for a count fits the bounding box. */
/* The LFP and its cells pooled in one pass over the currents on disk
 * (wslfp_job_run_pooling): the LFP of wslfp_job_run(), to the bit, and a
 * pool whose previews are those of the pool made from the whole combined
 * currents (checked against the cubes' sums in /io/pooled-job), without
 * near cells of its own; on the samples (the blocks path) and between
 * them (the general path), raw and normalised, with the sources in panels
 * (a large amplitude matrix) or not; refused for spikes. */
static void
pooling_run (const char *file, double voxel_um)
{
  g_autofree char *path = g_path_is_absolute (file) ? g_strdup (file) : wslfp_test_data_path (file);
  g_autoptr (GError) error = NULL;
  g_autoptr (WslfpDataset) ds = wslfp_dataset_open (path, &error);
  g_assert_no_error (error);
  /* (cells pooled by place share one orientation: the default one) */
  g_clear_pointer (&ds->orientation, g_free);
  ds->n_orientations = 0;
  gsize E = ds->n_electrodes;
  g_autofree double *xyz = g_memdup2 (ds->electrodes_um, E * 3 * sizeof (double));
  for (gsize e = 0; e < E; e++)
    xyz[3 * e] += 30;
  for (int between = 0; between <= 1; between++)
    for (int normalize = 0; normalize <= 1; normalize++)
      {
        WslfpJobSettings s;
        wslfp_job_settings_init (&s);
        s.precision = WSLFP_PRECISION_DOUBLE;
        s.options.normalize = normalize;
        s.dendrite_length_um = 250; /* (one length for all, as pooling needs) */
        s.electrodes_um = xyz;
        s.shank = ds->shank;
        s.n_electrodes = E;
        if (between)
          {
            /* (times between the samples: interpolated, the general path) */
            s.t_eval_set = TRUE;
            s.t_start_ms = ds->currents[0].t_ms[0] + 10.03;
            s.t_stop_ms = ds->currents[0].t_ms[ds->currents[0].n_times - 1] - 1;
            s.t_step_ms = 0.37;
          }
        WslfpJobPool *pool = NULL;
        g_autoptr (WslfpLfp) lfp = wslfp_job_run_pooling (ds, &s, voxel_um, &pool, NULL, NULL, &error);
        g_assert_no_error (error);
        g_assert_nonnull (pool);
        g_autoptr (WslfpLfp) exact = wslfp_job_run (ds, &s, NULL, NULL, &error);
        g_assert_no_error (error);
        gsize T = exact->n_times;
        g_assert_cmpuint (lfp->n_times, ==, T);
        g_assert_cmpmem (lfp->uv, T * E * sizeof (double), exact->uv, T * E * sizeof (double));
        g_assert_cmpint (lfp->normalized, ==, exact->normalized);

        WslfpCombined *c = wslfp_job_combine (ds, &s, FALSE, NULL, NULL, &error);
        g_assert_no_error (error);
        WslfpJobPool *whole = wslfp_job_pool (ds, c, voxel_um, &error);
        g_assert_no_error (error);
        g_assert_cmpuint (wslfp_job_pool_get_n (pool), ==, wslfp_job_pool_get_n (whole));
        g_assert_cmpuint (wslfp_job_pool_get_n (pool), >, 1);
        for (gsize stride = 1; stride <= 3; stride += 2)
          {
            g_autoptr (WslfpLfp) got = wslfp_job_run_pooled (ds, &s, pool, stride, 0, &error);
            g_assert_no_error (error);
            g_autoptr (WslfpLfp) want = wslfp_job_run_pooled (ds, &s, whole, stride, 0, &error);
            g_assert_no_error (error);
            g_assert_cmpuint (got->n_times, ==, want->n_times);
            g_assert_cmpmem (got->t_ms, got->n_times * sizeof (double), want->t_ms, want->n_times * sizeof (double));
            double peak = 0, worst = 0;
            for (gsize i = 0; i < got->n_times * E; i++)
              peak = MAX (peak, fabs (want->uv[i])), worst = MAX (worst, fabs (got->uv[i] - want->uv[i]));
            g_test_message ("%s, %s, %s, every %zu: %.2g of the peak from the whole combined currents' pool", file,
                            between ? "between samples" : "on the samples", normalize ? "normalised" : "raw", stride,
                            worst / peak);
            g_assert_cmpfloat (peak, >, 0);
            g_assert_cmpfloat (worst / peak, <, 1e-5);
          }
        /* in panels of 48 sources (as with a large amplitude matrix): the
         * same LFP, from wslfp_job_run too, and the same pool */
        WslfpJobSettings narrow = s;
        narrow.panel_bytes = 48 * E * sizeof (double);
        WslfpJobPool *in_panels = NULL;
        g_autoptr (WslfpLfp) panelled = wslfp_job_run_pooling (ds, &narrow, voxel_um, &in_panels, NULL, NULL, &error);
        g_assert_no_error (error);
        g_autoptr (WslfpLfp) panelled_run = wslfp_job_run (ds, &narrow, NULL, NULL, &error);
        g_assert_no_error (error);
        g_assert_cmpfloat (wslfp_test_rel_error (panelled->uv, exact->uv, T * E), <, 1e-12);
        g_assert_cmpfloat (wslfp_test_rel_error (panelled_run->uv, exact->uv, T * E), <, 1e-12);
        g_assert_cmpint (panelled->normalized, ==, exact->normalized);
        g_autoptr (WslfpLfp) from_panels = wslfp_job_run_pooled (ds, &s, in_panels, 1, 0, &error);
        g_autoptr (WslfpLfp) from_whole = wslfp_job_run_pooled (ds, &s, pool, 1, 0, &error);
        g_assert_no_error (error);
        g_assert_cmpfloat (wslfp_test_rel_error (from_panels->uv, from_whole->uv, T * E), <, 1e-6);
        wslfp_job_pool_free (in_panels);
        /* near the contacts too, its cubes stand for their cells */
        g_autoptr (WslfpLfp) cubes = wslfp_job_run_pooled (ds, &s, pool, 1, 0, &error);
        g_autoptr (WslfpLfp) near = wslfp_job_run_pooled (ds, &s, pool, 1, 1e6, &error);
        g_assert_no_error (error);
        g_assert_cmpmem (near->uv, T * E * sizeof (double), cubes->uv, T * E * sizeof (double));
        wslfp_job_pool_free (whole);
        wslfp_combined_free (c);
        wslfp_job_pool_free (pool);
      }
}

/* @path: brian_small.h5's sources, electrodes and currents, the currents
 * as doubles (no chunks: the blocks path's H5Dread of doubles). */
static void
write_doubles_copy (const char *path)
{
  const char *names[] = { "/sources/xyz_um", "/electrodes/xyz_um", "/currents/ampa/I", "/currents/ampa/t_ms",
                          "/currents/gaba/I", "/currents/gaba/t_ms" };
  hid_t f = H5Fcreate (path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  hid_t lcpl = H5Pcreate (H5P_LINK_CREATE);
  H5Pset_create_intermediate_group (lcpl, 1);
  for (guint k = 0; k < G_N_ELEMENTS (names); k++)
    {
      gsize rows = 0, cols = 0;
      g_autofree double *v = wslfp_test_read ("brian_small.h5", names[k], &rows, &cols);
      hsize_t dims[2] = { rows, cols };
      hid_t space = H5Screate_simple (g_str_has_suffix (names[k], "t_ms") ? 1 : 2, dims, NULL);
      hid_t d = H5Dcreate2 (f, names[k], H5T_IEEE_F64LE, space, lcpl, H5P_DEFAULT, H5P_DEFAULT);
      g_assert_cmpint (H5Dwrite (d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v), >=, 0);
      H5Dclose (d);
      H5Sclose (space);
    }
  H5Pclose (lcpl);
  H5Fclose (f);
}

static void
test_io_pooling_run (void)
{
  g_autofree char *dir = g_dir_make_tmp ("wslfp-test-io-XXXXXX", NULL);
  g_autofree char *doubles = g_build_filename (dir, "doubles.h5", NULL);
  write_doubles_copy (doubles);
  pooling_run ("brian_small.h5", 60);  /* float32 currents */
  pooling_run (doubles, 60);
  pooling_run ("small_case.h5", 150);  /* times of their own: the general path only */
  g_unlink (doubles);
  g_rmdir (dir);
  g_autofree char *path = wslfp_test_data_path ("brian_small.h5");
  g_autoptr (GError) error = NULL;
  g_autoptr (WslfpDataset) ds = wslfp_dataset_open (path, &error);
  g_assert_no_error (error);
  WslfpJobSettings s;
  wslfp_job_settings_init (&s);
  s.from_spikes = TRUE;
  WslfpJobPool *pool = NULL;
  g_assert_null (wslfp_job_run_pooling (ds, &s, 60, &pool, NULL, NULL, &error));
  g_assert_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_INVALID);
  g_assert_null (pool);
}

/* A spill gives back, block by block, the weighted sums added into it
 * (doubles and floats, pieces crossing blocks, sums in double rounded
 * once), zeros where nothing was added, and a scratch folder without room
 * is named in the error.  With its blocks sorted by a key, each block's
 * rows hold its columns in the key's order (ties by column), and the same
 * sums. */
static void
check_spill (gboolean sorted)
{
  g_autoptr (GError) error = NULL;
  enum { ROWS = 5, COLS = 10 };
  g_autoptr (WslfpSpill) spill = wslfp_spill_new (ROWS, COLS, 3 * ROWS * sizeof (float), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (wslfp_spill_get_block_width (spill), ==, 3);
  g_assert_cmpuint (wslfp_spill_get_n_blocks (spill), ==, 4);
  g_assert_cmpuint (wslfp_spill_get_n_rows (spill), ==, ROWS);
  g_assert_cmpuint (wslfp_spill_get_n_cols (spill), ==, COLS);
  gsize col0, n;
  wslfp_spill_block_cols (spill, 3, &col0, &n);
  g_assert_cmpuint (col0, ==, 9);
  g_assert_cmpuint (n, ==, 1);
  /* blocks {0 1 2} {3 4 5} {6 7 8} {9}: orders 2 0 1, 3 4 5 (a tie kept
   * in column order), 8 7 6, 9 */
  const double key[COLS] = { 5, 9, -1, 2, 2, 4, 3, 1, 0, 7 };
  const gsize order[COLS] = { 2, 0, 1, 3, 4, 5, 8, 7, 6, 9 };
  if (sorted)
    g_assert_true (wslfp_spill_sort_blocks (spill, key));
  for (gsize b = 0; b < 4; b++)
    {
      const guint32 *held = wslfp_spill_block_order (spill, b);
      wslfp_spill_block_cols (spill, b, &col0, &n);
      g_assert_true ((held != NULL) == sorted);
      for (gsize j = 0; sorted && j < n; j++)
        g_assert_cmpuint (held[j], ==, order[col0 + j]);
    }
  float want[ROWS][COLS] = { { 0 } };
  double d[8];
  float f[COLS];
  for (int k = 0; k < 8; k++)
    d[k] = 1.0 / 3 + k;
  for (int k = 0; k < COLS; k++)
    f[k] = -0.25f * k - 1 / 7.0f;
  g_assert_true (wslfp_spill_add (spill, 2, 1, d, WSLFP_FLOAT64, 8, 1.0, &error));
  g_assert_true (wslfp_spill_add (spill, 2, 0, f, WSLFP_FLOAT32, COLS, -1.65, &error));
  g_assert_true (wslfp_spill_add (spill, 4, 9, f + 3, WSLFP_FLOAT32, 1, 2.0, &error));
  g_assert_true (wslfp_spill_add (spill, 0, 4, f + 2, WSLFP_FLOAT32, 4, 0.5, &error));
  g_assert_no_error (error);
  for (int k = 0; k < COLS; k++)
    want[2][k] = (float) ((k >= 1 && k < 9 ? (double) (float) d[k - 1] : 0.0) + -1.65 * f[k]);
  want[4][9] = (float) (2.0 * f[3]);
  for (int k = 4; k < 8; k++)
    want[0][k] = (float) (0.5 * f[k - 2]);
  for (gsize b = 0; b < 4; b++)
    {
      float got[ROWS * 3];
      g_assert_true (wslfp_spill_read (spill, b, got, &error));
      g_assert_no_error (error);
      wslfp_spill_block_cols (spill, b, &col0, &n);
      for (gsize r = 0; r < ROWS; r++)
        for (gsize j = 0; j < n; j++)
          g_assert_cmpfloat (got[r * 3 + j], ==, want[r][sorted ? order[col0 + j] : col0 + j]);
    }
  g_assert_null (wslfp_spill_new ((gsize) 1 << 40, (gsize) 1 << 30, 0, &error));
  g_assert_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_WRITE);
  g_assert_nonnull (strstr (error->message, g_get_tmp_dir ()));
}

static void
test_io_spill (void)
{
  check_spill (FALSE);
  check_spill (TRUE);
}

/* Exact moves from the rows a pooling pass spilled: wslfp_job_run()'s LFP
 * for the moved probe (float32 products both: within 1e-6 of the peak),
 * raw and normalised, in one block or many (the pass in panels of sources
 * or not), on one worker or three (the
 * same numbers twice over: the sums' order is fixed); progress reaches 1,
 * a cancel gives an error; no spill where the moves would not be single
 * precision (float64 currents, double precision asked) or the pass did not
 * read whole rows (times between the samples).  With the cells' depths
 * stretched @stretch times (most then out of the probe's reach), the same,
 * and each block holds its cells from the deepest up. */
static void
spilled_run (const char *file, gboolean expect, double stretch)
{
  g_autofree char *path = g_path_is_absolute (file) ? g_strdup (file) : wslfp_test_data_path (file);
  g_autoptr (GError) error = NULL;
  g_autoptr (WslfpDataset) ds = wslfp_dataset_open (path, &error);
  g_assert_no_error (error);
  g_clear_pointer (&ds->orientation, g_free);
  ds->n_orientations = 0;
  for (gsize c = 0; c < ds->n_sources; c++)
    ds->sources_um[3 * c + 2] *= stretch;
  gsize E = ds->n_electrodes;
  g_autofree double *xyz = g_memdup2 (ds->electrodes_um, E * 3 * sizeof (double));
  for (int normalize = 0; normalize <= 1; normalize++)
    /* (stretched: blocks of 64 sources or more only, where sorting them
     * changes anything: one-source blocks are the unstretched case's) */
    for (gsize block_bytes = 0; block_bytes <= (stretch > 1 ? 0 : 4096); block_bytes += 4096)
      {
        WslfpJobSettings s;
        wslfp_job_settings_init (&s);
        s.options.normalize = normalize;
        s.dendrite_length_um = 250;
        s.block_bytes = block_bytes;
        /* (with small blocks, the sources in panels too: the pass in parts) */
        s.panel_bytes = block_bytes > 0 ? 48 * E * sizeof (double) : 0;
        s.electrodes_um = xyz;
        s.shank = ds->shank;
        s.n_electrodes = E;
        memcpy (xyz, ds->electrodes_um, E * 3 * sizeof (double));
        WslfpJobPool *pool = NULL;
        g_autoptr (WslfpLfp) lfp = wslfp_job_run_pooling (ds, &s, 60, &pool, NULL, NULL, &error);
        g_assert_no_error (error);
        g_assert_cmpint (wslfp_job_pool_has_currents (pool), ==, expect);
        if (!expect)
          {
            g_assert_null (wslfp_job_run_spilled (ds, &s, pool, 1, NULL, NULL, &error));
            g_assert_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_INVALID);
            g_clear_error (&error);
            wslfp_job_pool_free (pool);
            return;
          }
        const WslfpSpill *spill = wslfp_job_pool_get_spill (pool);
        for (gsize b = 0; stretch > 1 && b < wslfp_spill_get_n_blocks (spill); b++)
          {
            gsize col0, n;
            wslfp_spill_block_cols (spill, b, &col0, &n);
            const guint32 *order = wslfp_spill_block_order (spill, b);
            for (gsize j = 0; j < n; j++)
              {
                g_assert_cmpuint (order[j], >=, col0);
                g_assert_cmpuint (order[j], <, col0 + n);
                if (j > 0)
                  g_assert_cmpfloat (ds->sources_um[3 * order[j - 1] + 2], <=, ds->sources_um[3 * order[j] + 2]);
              }
          }
        for (int move = 0; move < 3; move++)
          {
            for (gsize e = 0; e < E; e++)
              {
                xyz[3 * e] += 35 * move;
                xyz[3 * e + 2] -= 80 * move;
              }
            g_autoptr (WslfpLfp) fresh = wslfp_job_run (ds, &s, NULL, NULL, &error);
            g_assert_no_error (error);
            int chunks = 0;
            g_autoptr (WslfpLfp) got = wslfp_job_run_spilled (ds, &s, pool, 3, count_chunks, &chunks, &error);
            g_assert_no_error (error);
            g_assert_cmpuint (got->n_times, ==, fresh->n_times);
            g_assert_cmpmem (got->t_ms, got->n_times * sizeof (double), fresh->t_ms, fresh->n_times * sizeof (double));
            g_assert_cmpmem (got->electrodes_um, E * 3 * sizeof (double), xyz, E * 3 * sizeof (double));
            g_assert_cmpint (got->normalized, ==, normalize);
            double peak = 0, worst = 0;
            for (gsize i = 0; i < got->n_times * E; i++)
              peak = MAX (peak, fabs (fresh->uv[i])), worst = MAX (worst, fabs (got->uv[i] - fresh->uv[i]));
            g_test_message ("%s (depths × %g), %s, blocks of %zu bytes, move %d: %.2g of the peak", file, stretch,
                            normalize ? "normalised" : "raw", block_bytes, move, worst / peak);
            g_assert_cmpfloat (peak, >, 0);
            g_assert_cmpfloat (worst / peak, <, 1e-6);
            g_assert_cmpint (chunks, >=, 1);
            g_autoptr (WslfpLfp) again = wslfp_job_run_spilled (ds, &s, pool, 3, NULL, NULL, &error);
            g_assert_cmpmem (again->uv, E * got->n_times * sizeof (double), got->uv, E * got->n_times * sizeof (double));
            g_autoptr (WslfpLfp) one = wslfp_job_run_spilled (ds, &s, pool, 1, NULL, NULL, &error);
            g_assert_cmpfloat (wslfp_test_rel_error (one->uv, got->uv, E * got->n_times), <, 1e-12);
            g_assert_null (wslfp_job_run_spilled (ds, &s, pool, 2, cancel_at_once, NULL, &error));
            g_assert_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_ENGINE);
            g_clear_error (&error);
          }
        wslfp_job_pool_free (pool);
      }
}

/* Exact moves from single-precision combined currents in memory, by
 * blocks of sources (a large amplitude matrix): the whole product's LFP
 * within 1e-6 of the peak, raw and normalised, in blocks of 7 sources on
 * one worker or three, the same numbers twice; a cancel is an error. */
static void
test_io_combined_by_blocks (void)
{
  g_autofree char *path = wslfp_test_data_path ("brian_small.h5");
  g_autoptr (GError) error = NULL;
  g_autoptr (WslfpDataset) ds = wslfp_dataset_open (path, &error);
  g_assert_no_error (error);
  gsize E = ds->n_electrodes;
  for (int normalize = 0; normalize <= 1; normalize++)
    {
      WslfpJobSettings s;
      wslfp_job_settings_init (&s);
      s.options.normalize = normalize;
      WslfpCombined *c = wslfp_job_combine (ds, &s, TRUE, NULL, NULL, &error);
      g_assert_no_error (error);
      gsize T = wslfp_combined_get_n_times (c);
      g_autoptr (WslfpLfp) whole = wslfp_job_run_combined (ds, &s, c, 1, 2, NULL, NULL, &error);
      g_assert_no_error (error);
      WslfpJobSettings blocks = s;
      blocks.panel_bytes = 1;
      blocks.block_bytes = 7 * T * sizeof (float);
      int chunks = 0;
      g_autoptr (WslfpLfp) got = wslfp_job_run_combined (ds, &blocks, c, 1, 3, count_chunks, &chunks, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (got->n_times, ==, T);
      g_assert_cmpmem (got->t_ms, T * sizeof (double), whole->t_ms, T * sizeof (double));
      g_assert_cmpint (got->normalized, ==, normalize);
      g_assert_cmpint (chunks, >, 1);
      double peak = 0, worst = 0;
      for (gsize i = 0; i < T * E; i++)
        peak = MAX (peak, fabs (whole->uv[i])), worst = MAX (worst, fabs (got->uv[i] - whole->uv[i]));
      g_test_message ("%s, blocks of 7 sources: %.2g of the peak", normalize ? "normalised" : "raw", worst / peak);
      g_assert_cmpfloat (peak, >, 0);
      g_assert_cmpfloat (worst / peak, <, 1e-6);
      g_assert_cmpfloat (worst, >, 0); /* (another order of sums: not the whole product's bits) */
      g_autoptr (WslfpLfp) again = wslfp_job_run_combined (ds, &blocks, c, 1, 3, NULL, NULL, &error);
      g_assert_cmpmem (again->uv, T * E * sizeof (double), got->uv, T * E * sizeof (double));
      g_autoptr (WslfpLfp) one = wslfp_job_run_combined (ds, &blocks, c, 1, 1, NULL, NULL, &error);
      g_assert_cmpfloat (wslfp_test_rel_error (one->uv, got->uv, T * E), <, 1e-12);
      g_assert_null (wslfp_job_run_combined (ds, &blocks, c, 1, 2, cancel_at_once, NULL, &error));
      g_assert_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_ENGINE);
      g_clear_error (&error);
      wslfp_combined_free (c);
    }
}

static void
test_io_spilled_run (void)
{
  spilled_run ("brian_small.h5", TRUE, 1);
  spilled_run ("brian_small.h5", TRUE, 40);
  g_autofree char *dir = g_dir_make_tmp ("wslfp-test-io-XXXXXX", NULL);
  g_autofree char *doubles = g_build_filename (dir, "doubles.h5", NULL);
  write_doubles_copy (doubles);
  spilled_run (doubles, FALSE, 1);
  g_unlink (doubles);
  g_rmdir (dir);
  spilled_run ("small_case.h5", FALSE, 1);
}

static void
test_io_pooled_job (void)
{
  g_autofree char *path = wslfp_test_data_path ("brian_small.h5");
  g_autoptr (GError) error = NULL;
  g_autoptr (WslfpDataset) ds = wslfp_dataset_open (path, &error);
  g_assert_no_error (error);
  gsize E = ds->n_electrodes, S = ds->n_sources;
  WslfpJobSettings s;
  wslfp_job_settings_init (&s);
  s.precision = WSLFP_PRECISION_DOUBLE;
  s.options.normalize = FALSE;
  g_autofree double *xyz = g_memdup2 (ds->electrodes_um, E * 3 * sizeof (double));
  for (gsize e = 0; e < E; e++)
    xyz[3 * e] += 30; /* (off the dataset's own probe) */
  s.electrodes_um = xyz;
  s.shank = ds->shank;
  s.n_electrodes = E;
  WslfpCombined *c = wslfp_job_combine (ds, &s, FALSE, NULL, NULL, &error);
  g_assert_no_error (error);
  gsize T = wslfp_combined_get_n_times (c);
  const double *C = wslfp_combined_get_values (c);
  g_autoptr (WslfpLfp) exact = wslfp_job_run_combined (ds, &s, c, 1, 1, NULL, NULL, &error);
  g_assert_no_error (error);
  double peak = 0;
  for (gsize i = 0; i < T * E; i++)
    peak = MAX (peak, fabs (exact->uv[i]));

  const double h = 60;
  WslfpJobPool *pool = wslfp_job_pool (ds, c, h, &error);
  g_assert_no_error (error);
  gsize G = wslfp_job_pool_get_n (pool);
  g_assert_cmpfloat (wslfp_job_pool_get_voxel_um (pool), ==, h);
  /* the cubes, by hand: a cube's first source names it */
  g_autofree gsize *cube = g_new (gsize, S);
  g_autofree double *centroid = g_new0 (double, 3 * S);
  g_autofree int *members = g_new0 (int, S);
  gsize n_cubes = 0;
  for (gsize i = 0; i < S; i++)
    {
      cube[i] = i;
      for (gsize j = 0; j < i && cube[i] == i; j++)
        if (floor (ds->sources_um[3 * i] / h) == floor (ds->sources_um[3 * j] / h)
            && floor (ds->sources_um[3 * i + 1] / h) == floor (ds->sources_um[3 * j + 1] / h)
            && floor (ds->sources_um[3 * i + 2] / h) == floor (ds->sources_um[3 * j + 2] / h))
          cube[i] = cube[j];
      n_cubes += cube[i] == i;
      members[cube[i]]++;
      for (int k = 0; k < 3; k++)
        centroid[3 * cube[i] + k] += ds->sources_um[3 * i + k];
    }
  g_assert_cmpuint (G, ==, n_cubes);
  g_assert_cmpuint (G, >, 1);
  g_assert_cmpuint (G, <, S); /* (some cubes hold several) */
  for (gsize i = 0; i < S; i++)
    for (int k = 0; k < 3 && members[i] > 0; k++)
      centroid[3 * i + k] /= members[i];
  /* each source's amplitude: its cube's centroid's (a model of sources
   * moved there; the dataset's coordinates and orientation) */
  g_autofree double *moved = g_new (double, 3 * S);
  for (gsize i = 0; i < S; i++)
    memcpy (moved + 3 * i, centroid + 3 * cube[i], 3 * sizeof (double));
  WslfpGeometry g;
  wslfp_dataset_get_geometry (ds, &g);
  g.sources_um = moved;
  g.electrodes_um = xyz;
  WslfpProfile *profile;
  WslfpModel *m;
  WslfpError err;
  g_assert_cmpint (wslfp_profile_new (s.profile, &profile, &err), ==, WSLFP_OK);
  g_assert_cmpint (wslfp_model_new (&g, profile, FALSE, &m, &err), ==, WSLFP_OK);
  const double *A = wslfp_model_get_amplitude (m);
  g_autoptr (WslfpLfp) pooled = wslfp_job_run_pooled (ds, &s, pool, 1, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pooled->n_times, ==, T);
  g_assert_cmpuint (pooled->n_electrodes, ==, E);
  g_assert_cmpmem (pooled->t_ms, T * sizeof (double), exact->t_ms, T * sizeof (double));
  double worst = 0, off = 0;
  for (gsize t = 0; t < T; t++)
    for (gsize e = 0; e < E; e++)
      {
        long double sum = 0;
        for (gsize i = 0; i < S; i++)
          sum += (long double) A[e * S + i] * C[t * S + i];
        worst = MAX (worst, fabs (pooled->uv[t * E + e] - (double) sum));
        off = MAX (off, fabs (pooled->uv[t * E + e] - exact->uv[t * E + e]));
      }
  g_test_message ("%zu sources in %zu cubes of %g µm: %.2g of the peak from the cubes' sum, %.2g from the exact LFP",
                  S, G, h, worst / peak, off / peak);
  g_assert_cmpfloat (worst / peak, <, 1e-6);
  g_assert_cmpfloat (off / peak, >, 1e-4); /* (a preview, not the exact LFP) */
  /* every 3rd time */
  g_autoptr (WslfpLfp) strided = wslfp_job_run_pooled (ds, &s, pool, 3, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strided->n_times, ==, (T + 2) / 3);
  for (gsize r = 0; r < strided->n_times; r++)
    {
      g_assert_cmpfloat (strided->t_ms[r], ==, exact->t_ms[3 * r]);
      for (gsize e = 0; e < E; e++)
        g_assert_cmpfloat (fabs (strided->uv[r * E + e] - pooled->uv[3 * r * E + e]), <, 1e-6 * peak);
    }
  wslfp_model_free (m);
  wslfp_profile_free (profile);

  /* every cube near a contact: each cell at its own place, the exact LFP,
   * raw and normalised (the same statistics: every row) */
  g_autoptr (WslfpLfp) near = wslfp_job_run_pooled (ds, &s, pool, 1, 1e6, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (wslfp_test_rel_error (near->uv, exact->uv, T * E), <, 1e-6);
  wslfp_job_pool_free (pool);
  s.options.normalize = TRUE;
  WslfpCombined *cn = wslfp_job_combine (ds, &s, TRUE, NULL, NULL, &error);
  g_assert_no_error (error);
  g_autoptr (WslfpLfp) exact_normalized = wslfp_job_run_combined (ds, &s, cn, 1, 1, NULL, NULL, &error);
  g_assert_no_error (error);
  pool = wslfp_job_pool (ds, cn, h, &error);
  g_assert_no_error (error);
  g_autoptr (WslfpLfp) near_normalized = wslfp_job_run_pooled (ds, &s, pool, 1, 1e6, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (wslfp_test_rel_error (near_normalized->uv, exact_normalized->uv, T * E), <, 1e-5);
  /* cubes of 60 µm normalised: near the exact traces (each contact's scale
   * is |the mean amplitude|, here over the cubes) */
  g_autoptr (WslfpLfp) far_normalized = wslfp_job_run_pooled (ds, &s, pool, 1, 0, &error);
  g_assert_no_error (error);
  double scale = 0, diff = 0;
  for (gsize i = 0; i < T * E; i++)
    scale = MAX (scale, fabs (exact_normalized->uv[i])),
    diff = MAX (diff, fabs (far_normalized->uv[i] - exact_normalized->uv[i]));
  g_test_message ("normalised, pooled: %.2g of the peak", diff / scale);
  g_assert_cmpfloat (diff / scale, <, 0.1);
  wslfp_job_pool_free (pool);
  wslfp_combined_free (cn);
  s.options.normalize = FALSE;

  /* cubes of one source each: the exact LFP */
  pool = wslfp_job_pool (ds, c, 1e-3, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (wslfp_job_pool_get_n (pool), ==, S);
  g_autoptr (WslfpLfp) fine = wslfp_job_run_pooled (ds, &s, pool, 1, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (wslfp_test_rel_error (fine->uv, exact->uv, T * E), <, 1e-6);
  wslfp_job_pool_free (pool);

  /* sources of different orientations */
  g_autofree double *up = g_new (double, 3 * S);
  for (gsize i = 0; i < S; i++)
    up[3 * i] = 0, up[3 * i + 1] = 0, up[3 * i + 2] = 1;
  up[3 * (S - 1)] = 0.5; /* (the last differs) */
  double *own = ds->orientation;
  gsize n_own = ds->n_orientations;
  ds->orientation = up;
  ds->n_orientations = S;
  g_assert_null (wslfp_job_pool (ds, c, h, &error));
  g_assert_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT);
  g_assert_nonnull (strstr (error->message, "brian_small.h5"));
  g_assert_nonnull (strstr (error->message, "orientations"));
  g_clear_error (&error);
  up[3 * (S - 1)] = 0; /* all the same: pooled */
  pool = wslfp_job_pool (ds, c, h, &error);
  g_assert_no_error (error);
  wslfp_job_pool_free (pool);
  ds->orientation = own;
  ds->n_orientations = n_own;
  wslfp_combined_free (c);

  /* the cube side: about n cubes in the bounding box, a flat one's too */
  double box[] = { 10, 20, 30, 110, 220, 430, 50, 60, 70 };
  double *own_xyz = ds->sources_um;
  gsize own_n = ds->n_sources;
  ds->sources_um = box;
  ds->n_sources = 3;
  g_assert_cmpfloat_with_epsilon (wslfp_job_pool_voxel_um (ds, 1000), cbrt (100.0 * 200 * 400 / 1000), 1e-9);
  box[5] = box[8] = 30; /* z flat at 30 */
  g_assert_cmpfloat (fabs (wslfp_job_pool_voxel_um (ds, 50) - 20) / 20, <, 0.02);
  ds->sources_um = own_xyz;
  ds->n_sources = own_n;
}

/* A small demo dataset written to @dir/NAME. */
static char *
small_demo_file (const char *dir, const char *name)
{
  WslfpDemoParams params;
  char message[256];
  wslfp_demo_params_init (&params);
  params.n_exc = 40;
  params.duration_ms = 20;
  WslfpDemoNetwork *net = wslfp_demo_network_run (&params, NULL, NULL, message, sizeof message);
  g_assert_nonnull (net);
  char *path = g_build_filename (dir, name, NULL);
  g_autoptr (GError) error = NULL;
  g_assert_true (wslfp_demo_file_write (net, path, &error));
  wslfp_demo_network_free (net);
  return path;
}

/* Replaces attribute @name of @object in @path with an array of @n copies
 * of @value (variable-length strings, or fixed at 16 bytes). */
static void
put_string_array (const char *path, const char *object, const char *name, const char *value, hsize_t n,
                  gboolean variable)
{
  hid_t f = H5Fopen (path, H5F_ACC_RDWR, H5P_DEFAULT);
  g_assert_cmpint (f, >=, 0);
  hid_t o = H5Oopen (f, object, H5P_DEFAULT);
  if (H5Aexists (o, name) > 0)
    H5Adelete (o, name);
  hid_t type = H5Tcopy (H5T_C_S1);
  H5Tset_size (type, variable ? H5T_VARIABLE : 16);
  hid_t space = H5Screate_simple (1, &n, NULL);
  hid_t a = H5Acreate2 (o, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
  if (variable)
    {
      const char **v = g_new (const char *, n);
      for (hsize_t i = 0; i < n; i++)
        v[i] = value;
      H5Awrite (a, type, v);
      g_free (v);
    }
  else
    {
      char *v = g_malloc0 (16 * n);
      for (hsize_t i = 0; i < n; i++)
        memcpy (v + 16 * i, value, MIN (strlen (value), 15));
      H5Awrite (a, type, v);
      g_free (v);
    }
  H5Aclose (a);
  H5Sclose (space);
  H5Tclose (type);
  H5Oclose (o);
  H5Fclose (f);
}

/* A string attribute holding an array (the fuzzer's crash) is an error
 * naming the object and attribute; one string, scalar or in a
 * one-element array, is read. */
static void
test_io_string_attribute_arrays (void)
{
  g_autofree char *dir = g_dir_make_tmp ("wslfp-test-io-XXXXXX", NULL);
  g_autofree char *path = small_demo_file (dir, "attrs.h5");
  g_autoptr (GError) error = NULL;

  put_string_array (path, "/sources/xyz_um", "coords_are", "dipole_centers", 64, TRUE);
  g_assert_null (wslfp_dataset_open (path, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "/sources/xyz_um attribute coords_are must be one string"));
  g_clear_error (&error);

  put_string_array (path, "/sources/xyz_um", "coords_are", "dipole_centers", 1, TRUE);
  WslfpDataset *one = wslfp_dataset_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (one->coords, ==, WSLFP_COORDS_DIPOLE_CENTERS);
  wslfp_dataset_free (one); /* closes the file, which the next edit opens */

  put_string_array (path, "/sources/xyz_um", "coords_are", "somata", 1, FALSE);
  put_string_array (path, "/spikes/exc", "kernel", "peak", 64, FALSE);
  WslfpDataset *ds = wslfp_dataset_open (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (ds->spikes[WSLFP_SPIKES_EXC].problem);
  g_assert_nonnull (strstr (ds->spikes[WSLFP_SPIKES_EXC].problem, "/spikes/exc attribute kernel must be one string"));
  wslfp_dataset_free (ds);
  put_string_array (path, "/spikes/exc", "kernel", "peak", 1, FALSE);
  g_autoptr (WslfpDataset) fixed = wslfp_dataset_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (fixed->spikes[WSLFP_SPIKES_EXC].scale, ==, WSLFP_KERNEL_PEAK);
  g_unlink (path);
  g_rmdir (dir);
}

/* The fuzzer's files with string arrays, as found: refused, no crash. */
static void
test_io_corrupt_fixtures (void)
{
  const char *files[] = { "attr-vlen-string-array64-coords.h5", "attr-fixed-string-array-kernel.h5" };
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *rel = g_build_filename ("corrupt", files[i], NULL);
      g_autofree char *path = wslfp_test_data_path (rel);
      g_autoptr (GError) error = NULL;
      g_autoptr (WslfpDataset) ds = wslfp_dataset_open (path, &error);
      if (ds != NULL)
        {
          const char *problem = ds->spikes[WSLFP_SPIKES_EXC].problem ? ds->spikes[WSLFP_SPIKES_EXC].problem
                                                                      : ds->spikes[WSLFP_SPIKES_INH].problem;
          g_assert_nonnull (problem);
          g_assert_nonnull (strstr (problem, "kernel must be one string"));
        }
      else
        g_assert_nonnull (strstr (error->message, "coords_are must be one string"));
    }
}

/* A file changed or replaced while it is read is noticed. */
static void
test_io_input_changed (void)
{
  g_autofree char *dir = g_dir_make_tmp ("wslfp-test-io-XXXXXX", NULL);
  g_autofree char *path = small_demo_file (dir, "changing.h5");
  g_autoptr (GError) error = NULL;
  WslfpDataset *ds = wslfp_dataset_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (wslfp_dataset_check_unchanged (ds, &error));
  FILE *fp = fopen (path, "ab");
  fputc (0, fp);
  fclose (fp);
  g_assert_false (wslfp_dataset_check_unchanged (ds, &error));
  g_assert_nonnull (strstr (error->message, "changed size while it was read"));
  g_assert_nonnull (strstr (error->message, path));
  g_clear_error (&error);
  wslfp_dataset_free (ds);

  ds = wslfp_dataset_open (path, &error);
  g_assert_no_error (error);
  g_autofree char *other = small_demo_file (dir, "other.h5");
  g_assert_cmpint (g_rename (other, path), ==, 0);
  g_assert_false (wslfp_dataset_check_unchanged (ds, &error));
  g_assert_nonnull (strstr (error->message, "was replaced by another file"));
  g_clear_error (&error);
  wslfp_dataset_free (ds);

  /* written again in place, the same size (only its time says so) */
  ds = wslfp_dataset_open (path, &error);
  g_assert_no_error (error);
  g_autofree char *bytes = NULL;
  gsize len;
  g_assert_true (g_file_get_contents (path, &bytes, &len, NULL));
  g_usleep (20000);
  int fd = g_open (path, O_WRONLY, 0);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (write (fd, bytes, len), ==, (gssize) len);
  close (fd);
  g_assert_false (wslfp_dataset_check_unchanged (ds, &error));
  g_autofree char *modified = g_strdup_printf ("%s was modified while it was read: what was read may be a mix of old "
                                               "and new; nothing was written", path);
  g_assert_cmpstr (error->message, ==, modified);
  g_clear_error (&error);
  /* and gone */
  g_unlink (path);
  g_assert_false (wslfp_dataset_check_unchanged (ds, &error));
  g_assert_nonnull (strstr (error->message, "was removed while it was read"));
  wslfp_dataset_free (ds);
  g_rmdir (dir);
}

/* ---- attributes, defaults and settings as a user sets them ---- */

/* A copy of fixture @name as @dir/@as, to edit. */
static char *
copy_fixture (const char *dir, const char *name, const char *as)
{
  g_autofree char *from = wslfp_test_data_path (name);
  char *to = g_build_filename (dir, as, NULL);
  g_autofree char *bytes = NULL;
  gsize len;
  g_assert_true (g_file_get_contents (from, &bytes, &len, NULL));
  g_assert_true (g_file_set_contents (to, bytes, len, NULL));
  return to;
}

/* A group where a dataset belongs is named as such (HDF5 would say only
 * that it cannot open it). */
static void
test_io_group_for_dataset (void)
{
  g_autofree char *dir = g_dir_make_tmp ("wslfp-test-io-XXXXXX", NULL);
  g_autofree char *path = copy_fixture (dir, "small_case.h5", "group.h5");
  hid_t f = H5Fopen (path, H5F_ACC_RDWR, H5P_DEFAULT);
  g_assert_cmpint (H5Ldelete (f, "/sources/xyz_um", H5P_DEFAULT), >=, 0);
  hid_t g = H5Gcreate2 (f, "/sources/xyz_um", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  H5Gclose (g);
  H5Fclose (f);
  g_autoptr (GError) error = NULL;
  g_autoptr (WslfpDataset) ds = wslfp_dataset_open (path, &error);
  g_assert_null (ds);
  g_autofree char *want = g_strdup_printf ("%s: /sources/xyz_um is not a dataset", path);
  g_assert_nonnull (error);
  g_assert_cmpstr (error->message, ==, want);
  g_unlink (path);
  g_rmdir (dir);
}


/* Replaces dataset @path of @file by @rows × @cols doubles (rank 1 when
 * @cols is 0). */
static void
put_doubles (const char *file, const char *path, const double *v, hsize_t rows, hsize_t cols)
{
  hid_t f = H5Fopen (file, H5F_ACC_RDWR, H5P_DEFAULT);
  g_assert_cmpint (f, >=, 0);
  if (H5Lexists (f, path, H5P_DEFAULT) > 0)
    H5Ldelete (f, path, H5P_DEFAULT);
  hsize_t dims[2] = { rows, cols };
  hid_t space = H5Screate_simple (cols ? 2 : 1, dims, NULL);
  hid_t lcpl = H5Pcreate (H5P_LINK_CREATE);
  H5Pset_create_intermediate_group (lcpl, 1);
  hid_t d = H5Dcreate2 (f, path, H5T_NATIVE_DOUBLE, space, lcpl, H5P_DEFAULT, H5P_DEFAULT);
  g_assert_cmpint (H5Dwrite (d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v), >=, 0);
  H5Dclose (d);
  H5Pclose (lcpl);
  H5Sclose (space);
  H5Fclose (f);
}

static void
delete_attribute (const char *file, const char *object, const char *name)
{
  hid_t f = H5Fopen (file, H5F_ACC_RDWR, H5P_DEFAULT);
  g_assert_cmpint (H5Adelete_by_name (f, object, name, H5P_DEFAULT), >=, 0);
  H5Fclose (f);
}

static WslfpLfp *
run_job (const char *path, const WslfpJobSettings *s)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (WslfpDataset) ds = wslfp_dataset_open (path, &error);
  g_assert_no_error (error);
  WslfpLfp *lfp = wslfp_job_run (ds, s, NULL, NULL, &error);
  g_assert_no_error (error);
  return lfp;
}

static double
lfp_difference (const WslfpLfp *a, const WslfpLfp *b)
{
  g_assert_cmpuint (a->n_times * a->n_electrodes, ==, b->n_times * b->n_electrodes);
  return wslfp_test_rel_error (a->uv, b->uv, a->n_times * a->n_electrodes);
}

static void
remove_dir (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *p = g_build_filename (dir, name, NULL);
      if (g_file_test (p, G_FILE_TEST_IS_DIR))
        g_rmdir (p);
      else
        g_unlink (p);
    }
  g_rmdir (dir);
}

/* coords_are = "dipole_centers": the positions are the dipoles' centres,
 * the same LFP as somata half a dendrite below them. */
static void
test_io_dipole_centers (void)
{
  g_autofree char *dir = g_dir_make_tmp ("wslfp-test-io-XXXXXX", NULL);
  g_autofree char *somata = copy_fixture (dir, "small_case.h5", "somata.h5");
  g_autofree char *centers = copy_fixture (dir, "small_case.h5", "centers.h5");
  g_autoptr (GError) error = NULL;
  g_autoptr (WslfpDataset) ds = wslfp_dataset_open (somata, &error);
  g_assert_no_error (error);
  gsize S = ds->n_sources;
  g_autofree double *c = g_new (double, 3 * S);
  for (gsize s = 0; s < S; s++)
    {
      const double *o = ds->orientation + 3 * s;
      double norm = sqrt (o[0] * o[0] + o[1] * o[1] + o[2] * o[2]);
      for (int k = 0; k < 3; k++)
        c[3 * s + k] = ds->sources_um[3 * s + k] + o[k] / norm * ds->dendrite_length_um[s] / 2;
    }
  put_doubles (centers, "/sources/xyz_um", c, S, 3);
  put_string_array (centers, "/sources/xyz_um", "coords_are", "dipole_centers", 1, TRUE);
  g_autoptr (WslfpDataset) dc = wslfp_dataset_open (centers, &error);
  g_assert_no_error (error);
  g_assert_cmpint (dc->coords, ==, WSLFP_COORDS_DIPOLE_CENTERS);

  WslfpJobSettings s;
  wslfp_job_settings_init (&s);
  s.options.normalize = FALSE;
  g_autoptr (WslfpLfp) a = run_job (somata, &s);
  g_autoptr (WslfpLfp) b = run_job (centers, &s);
  g_assert_cmpfloat (lfp_difference (b, a), <=, 1e-12);
  remove_dir (dir);
}

/* Spike groups without attributes take the documented defaults: exc
 * 0.4/2 ms, inh 0.25/5 ms, no delay — the same LFP as the values written
 * out. */
static void
test_io_spike_defaults (void)
{
  g_autofree char *dir = g_dir_make_tmp ("wslfp-test-io-XXXXXX", NULL);
  g_autofree char *path = small_demo_file (dir, "defaults.h5");
  const char *attrs[] = { "tau_rise_ms", "tau_decay_ms", "delay_ms" };
  for (guint k = 0; k < G_N_ELEMENTS (attrs); k++)
    {
      delete_attribute (path, "/spikes/exc", attrs[k]);
      delete_attribute (path, "/spikes/inh", attrs[k]);
    }
  g_autoptr (GError) error = NULL;
  WslfpDataset *ds = wslfp_dataset_open (path, &error);
  g_assert_no_error (error);
  const WslfpDatasetSpikes *exc = &ds->spikes[WSLFP_SPIKES_EXC], *inh = &ds->spikes[WSLFP_SPIKES_INH];
  g_assert_cmpfloat (exc->tau_rise_ms, ==, 0.4);
  g_assert_cmpfloat (exc->tau_decay_ms, ==, 2.0);
  g_assert_cmpfloat (inh->tau_rise_ms, ==, 0.25);
  g_assert_cmpfloat (inh->tau_decay_ms, ==, 5.0);
  g_assert_cmpfloat (exc->delay_ms, ==, 0.0);
  g_assert_cmpfloat (inh->delay_ms, ==, 0.0);
  wslfp_dataset_free (ds); /* HDF5 would keep it open read-only */

  /* Spikes only: the LFP runs 5 τ_decay (of the slower group) past the
   * last spike, in 0.1 ms steps from 0. */
  hid_t f = H5Fopen (path, H5F_ACC_RDWR, H5P_DEFAULT);
  H5Ldelete (f, "/currents", H5P_DEFAULT);
  H5Fclose (f);
  g_autoptr (WslfpDataset) spikes_only = wslfp_dataset_open (path, &error);
  g_assert_no_error (error);
  double last = 0;
  for (int g = 0; g < WSLFP_N_SPIKE_GROUPS; g++)
    for (gsize k = 0; k < spikes_only->spikes[g].n_spikes; k++)
      last = MAX (last, spikes_only->spikes[g].t_ms[k] + 5 * spikes_only->spikes[g].tau_decay_ms);
  WslfpJobSettings s;
  wslfp_job_settings_init (&s);
  s.from_spikes = TRUE;
  g_autoptr (WslfpLfp) lfp = wslfp_job_run (spikes_only, &s, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (lfp->t_ms[0], ==, 0);
  g_assert_cmpfloat_with_epsilon (lfp->t_ms[1] - lfp->t_ms[0], 0.1, 1e-12);
  g_assert_cmpfloat (lfp->t_ms[lfp->n_times - 1], >=, last - 1e-9);
  g_assert_cmpfloat (lfp->t_ms[lfp->n_times - 1], <=, last + 0.2);
  /* a synaptic delay moves the end by as much */
  wslfp_dataset_free (g_steal_pointer (&spikes_only));
  hid_t fw = H5Fopen (path, H5F_ACC_RDWR, H5P_DEFAULT);
  g_assert_true (wslfp_h5_set_attr_double (fw, "/spikes/exc", "delay_ms", 3.0, NULL));
  g_assert_true (wslfp_h5_set_attr_double (fw, "/spikes/inh", "delay_ms", 3.0, NULL));
  H5Fclose (fw);
  g_autoptr (WslfpDataset) delayed = wslfp_dataset_open (path, &error);
  g_assert_no_error (error);
  g_autoptr (WslfpLfp) later = wslfp_job_run (delayed, &s, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (later->t_ms[later->n_times - 1], >=, last + 3 - 1e-9);
  g_assert_cmpfloat (later->t_ms[later->n_times - 1], <=, last + 3.2);
  remove_dir (dir);
}

/* Files that break the format's promises are refused with the object at
 * fault: a CSR shape that is not (n_pre, S), per-source orientations with
 * another row count, repeated sample times. */
static void
test_io_format_promises (void)
{
  g_autofree char *dir = g_dir_make_tmp ("wslfp-test-io-XXXXXX", NULL);
  g_autoptr (GError) error = NULL;

  g_autofree char *csr = small_demo_file (dir, "csr.h5");
  WslfpDataset *good = wslfp_dataset_open (csr, &error);
  g_assert_no_error (error);
  gsize S = good->n_sources, n_pre = good->spikes[WSLFP_SPIKES_EXC].n_pre;
  wslfp_dataset_free (good);
  hid_t f = H5Fopen (csr, H5F_ACC_RDWR, H5P_DEFAULT);
  gint64 wrong[2] = { (gint64) n_pre, (gint64) S + 1 };
  g_assert_true (wslfp_h5_set_attr_ints (f, "/spikes/exc/weights", "shape", 2, wrong, NULL));
  H5Fclose (f);
  g_autoptr (WslfpDataset) bad_csr = wslfp_dataset_open (csr, &error);
  if (bad_csr != NULL)
    g_assert_false (wslfp_dataset_check_spikes (bad_csr, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "/spikes/exc/weights attribute shape"));
  g_clear_error (&error);

  g_autofree char *orient = copy_fixture (dir, "small_case.h5", "orientation.h5");
  g_autofree char *fixture = wslfp_test_data_path ("small_case.h5");
  g_autoptr (WslfpDataset) small = wslfp_dataset_open (fixture, &error);
  g_assert_no_error (error);
  gsize M = small->n_sources - 1;
  put_doubles (orient, "/sources/orientation", small->orientation, M, 3);
  g_assert_null (wslfp_dataset_open (orient, &error));
  g_assert_nonnull (strstr (error->message, "/sources/orientation"));
  g_clear_error (&error);

  g_autofree char *times = copy_fixture (dir, "small_case.h5", "times.h5");
  const WslfpDatasetCurrents *ampa = &small->currents[WSLFP_CURRENT_AMPA];
  g_autofree double *t = g_memdup2 (ampa->t_ms, ampa->n_times * sizeof (double));
  t[8] = t[7];
  put_doubles (times, "/currents/ampa/t_ms", t, ampa->n_times, 0);
  g_autoptr (WslfpDataset) repeated = wslfp_dataset_open (times, &error);
  if (repeated != NULL)
    g_assert_false (wslfp_dataset_check_currents (repeated, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "/currents/ampa/t_ms is not strictly increasing"));
  remove_dir (dir);
}

/* Every setting reaches the computation: the job's LFP equals the
 * engine's for the same settings, and the dendrite length counts per
 * neuron as well as in population mode. */
static void
test_io_job_settings (void)
{
  g_autofree char *path = wslfp_test_data_path ("small_case.h5");
  g_autoptr (GError) error = NULL;
  g_autoptr (WslfpDataset) ds = wslfp_dataset_open (path, &error);
  g_assert_no_error (error);
  for (int population = 0; population <= 1; population++)
    {
      WslfpJobSettings s;
      wslfp_job_settings_init (&s);
      s.profile = WSLFP_PROFILE_AUSSEL18;
      s.population = population;
      s.options.normalize = FALSE;
      s.options.alpha = 2.5;
      s.options.tau_ampa_ms = 3;
      s.options.tau_gaba_ms = 1;
      g_autoptr (WslfpLfp) base = wslfp_job_run (ds, &s, NULL, NULL, &error);
      g_assert_no_error (error);
      s.dendrite_length_um = 100;
      g_autoptr (WslfpLfp) shorter = wslfp_job_run (ds, &s, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpfloat (lfp_difference (shorter, base), >, 1e-3);

      /* the engine, told the same directly */
      WslfpGeometry g;
      wslfp_dataset_get_geometry (ds, &g);
      double L = 100;
      g.dendrite_length_um = &L;
      g.n_lengths = 1;
      WslfpProfile *p;
      WslfpModel *m;
      wslfp_profile_new (WSLFP_PROFILE_AUSSEL18, &p, NULL);
      g_assert_cmpint (wslfp_model_new (&g, p, population, &m, NULL), ==, WSLFP_OK);
      const WslfpDatasetCurrents *a = &ds->currents[WSLFP_CURRENT_AMPA], *b = &ds->currents[WSLFP_CURRENT_GABA];
      g_autofree double *ia = g_new (double, a->n_times * ds->n_sources);
      g_autofree double *ig = g_new (double, b->n_times * ds->n_sources);
      g_assert_true (wslfp_dataset_read_rows (ds, WSLFP_CURRENT_AMPA, 0, a->n_times, ia, &error));
      g_assert_true (wslfp_dataset_read_rows (ds, WSLFP_CURRENT_GABA, 0, b->n_times, ig, &error));
      WslfpCurrents ca, cg;
      wslfp_currents_init (&ca, a->t_ms, a->n_times, ia, ds->n_sources);
      wslfp_currents_init (&cg, b->t_ms, b->n_times, ig, ds->n_sources);
      WslfpOptions o;
      wslfp_options_init (&o);
      o.normalize = FALSE;
      o.alpha = 2.5;
      o.tau_ampa_ms = 3;
      o.tau_gaba_ms = 1;
      g_autofree double *want = g_new (double, shorter->n_times * ds->n_electrodes);
      g_assert_cmpint (wslfp_compute (m, &ca, &cg, shorter->t_ms, shorter->n_times, &o, want, NULL), ==, WSLFP_OK);
      g_assert_cmpfloat (wslfp_test_rel_error (shorter->uv, want, shorter->n_times * ds->n_electrodes), <=, 1e-12);
      wslfp_model_free (m);
      wslfp_profile_free (p);
    }
}

/* An LFP says how it was made: the dendrite length used (the override, or
 * the dataset's), the kernel and evaluation times, the probe, the input's
 * absolute path and size, and the program; and a file keeps it all. */
static void
test_io_lfp_provenance (void)
{
  g_autofree char *path = wslfp_test_data_path ("small_case.h5");
  g_autoptr (GError) error = NULL;
  g_autoptr (WslfpDataset) ds = wslfp_dataset_open (path, &error);
  g_assert_no_error (error);
  WslfpJobSettings s;
  wslfp_job_settings_init (&s);
  g_autoptr (WslfpLfp) plain = wslfp_job_run (ds, &s, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (plain->dendrite_length_from_dataset);
  double want_length = WSLFP_DEFAULT_DENDRITE_LENGTH_UM;
  if (ds->dendrite_length_um != NULL)
    {
      want_length = 0;
      for (gsize i = 0; i < ds->n_lengths; i++)
        want_length += ds->dendrite_length_um[i] / ds->n_lengths;
    }
  g_assert_cmpfloat_with_epsilon (plain->dendrite_length_um, want_length, 1e-9);
  g_assert_null (plain->kernel);
  g_assert_null (plain->t_eval);
  g_assert_cmpstr (plain->probe, ==, "dataset");
  g_assert_true (g_path_is_absolute (plain->input_path));
  g_autofree char *real = realpath (path, NULL);
  g_assert_cmpstr (plain->input_path, ==, real);
  GStatBuf st;
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (plain->input_size_bytes, ==, st.st_size);
  g_assert_cmpstr (plain->program, ==, "wslfp " PACKAGE_VERSION);

  double xyz[6] = { 0, 0, 0, 0, 0, 50 };
  int shank[2] = { 0, 0 };
  s.electrodes_um = xyz;
  s.shank = shank;
  s.n_electrodes = 2;
  s.probe_description = "two contacts, by hand";
  s.dendrite_length_um = 180;
  s.t_eval_set = TRUE;
  s.t_start_ms = 1;
  s.t_stop_ms = 2;
  s.t_step_ms = 0.25;
  s.from_spikes = wslfp_dataset_check_spikes (ds, NULL);
  s.kernel_set = TRUE;
  s.kernel = WSLFP_KERNEL_PEAK;
  g_autoptr (WslfpLfp) lfp = wslfp_job_run (ds, &s, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (lfp->dendrite_length_from_dataset);
  g_assert_cmpfloat (lfp->dendrite_length_um, ==, 180);
  g_assert_cmpstr (lfp->t_eval, ==, "1:2:0.25");
  g_assert_cmpstr (lfp->kernel, ==, s.from_spikes ? "peak" : NULL);
  g_assert_cmpstr (lfp->probe, ==, "two contacts, by hand");
  lfp->command = g_strdup ("wslfp compute in.h5 -o out.h5");
  /* Commands are recorded as typed: quoted only where a shell needs it. */
  const char *words[][2] = { { "in.h5", "in.h5" }, { "my file.h5", "'my file.h5'" }, { "", "''" },
                             { "--t-eval=0:1:0.1", "--t-eval=0:1:0.1" }, { "it's", "'it'\\''s'" } };
  for (guint k = 0; k < G_N_ELEMENTS (words); k++)
    {
      g_autofree char *w = wslfp_shell_word (words[k][0]);
      g_assert_cmpstr (w, ==, words[k][1]);
    }

  g_autofree char *dir = g_dir_make_tmp ("wslfp-test-io-XXXXXX", NULL);
  g_autofree char *h5 = g_build_filename (dir, "lfp.h5", NULL);
  g_assert_true (wslfp_lfp_write (lfp, h5, &error));
  g_assert_true (wslfp_lfp_file_is_lfp (h5));
  g_assert_false (wslfp_lfp_file_is_lfp (path));
  g_autoptr (WslfpLfp) back = wslfp_lfp_read (h5, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (back->dendrite_length_um, ==, 180);
  g_assert_false (back->dendrite_length_from_dataset);
  g_assert_cmpstr (back->kernel, ==, lfp->kernel);
  g_assert_cmpstr (back->t_eval, ==, "1:2:0.25");
  g_assert_cmpstr (back->probe, ==, lfp->probe);
  g_assert_cmpstr (back->input_path, ==, real);
  g_assert_cmpint (back->input_size_bytes, ==, st.st_size);
  g_assert_cmpstr (back->program, ==, lfp->program);
  g_assert_cmpstr (back->command, ==, lfp->command);
  /* An older file, without any of it, reads as unknown. */
  g_clear_pointer (&lfp->input_path, g_free);
  g_clear_pointer (&lfp->program, g_free);
  g_clear_pointer (&lfp->command, g_free);
  g_clear_pointer (&lfp->probe, g_free);
  lfp->dendrite_length_um = 0;
  lfp->input_size_bytes = -1;
  g_assert_true (wslfp_lfp_write (lfp, h5, &error));
  g_autoptr (WslfpLfp) old = wslfp_lfp_read (h5, &error);
  g_assert_null (old->input_path);
  g_assert_null (old->probe);
  g_assert_cmpint (old->input_size_bytes, ==, -1);
  g_assert_cmpfloat (old->dendrite_length_um, ==, 0);
  remove_dir (dir);
}

/* The sum's two terms at one contact add up to the LFP shown there, raw
 * and normalised; the AMPA term does not depend on α and the GABA term is
 * proportional to it. */
static void
test_io_job_parts (void)
{
  g_autofree char *path = wslfp_test_data_path ("small_case.h5");
  g_autoptr (GError) error = NULL;
  g_autoptr (WslfpDataset) ds = wslfp_dataset_open (path, &error);
  g_assert_no_error (error);
  for (int normalize = 0; normalize <= 1; normalize++)
    {
      WslfpJobSettings s;
      wslfp_job_settings_init (&s);
      s.options.normalize = normalize;
      s.options.tau_gaba_ms = 1;
      g_autoptr (WslfpLfp) whole = wslfp_job_run (ds, &s, NULL, NULL, &error);
      g_assert_no_error (error);
      gsize E = whole->n_electrodes, n = whole->n_times, e = E - 1;
      WslfpLfp *ampa = NULL;
      double *gaba = NULL;
      g_assert_true (wslfp_job_parts (ds, &s, e, &ampa, &gaba, &error));
      g_assert_cmpuint (ampa->n_times, ==, n);
      g_autofree double *want = g_new (double, n), *sum = g_new (double, n);
      for (gsize t = 0; t < n; t++)
        {
          want[t] = whole->uv[t * E + e];
          sum[t] = ampa->uv[t] + gaba[t];
        }
      g_assert_cmpfloat (wslfp_test_rel_error (sum, want, n), <=, 1e-12);
      if (!normalize)
        {
          /* α doubled: the same AMPA term, twice the GABA term */
          WslfpJobSettings twice = s;
          twice.options.alpha = 2 * s.options.alpha;
          WslfpLfp *ampa2 = NULL;
          double *gaba2 = NULL;
          g_assert_true (wslfp_job_parts (ds, &twice, e, &ampa2, &gaba2, &error));
          g_assert_cmpfloat (wslfp_test_rel_error (ampa2->uv, ampa->uv, n), <=, 1e-12);
          g_autofree double *doubled = g_new (double, n);
          for (gsize t = 0; t < n; t++)
            doubled[t] = 2 * gaba[t];
          g_assert_cmpfloat (wslfp_test_rel_error (gaba2, doubled, n), <=, 1e-12);
          double peak = 0;
          for (gsize t = 0; t < n; t++)
            peak = MAX (peak, fabs (gaba[t]));
          g_assert_cmpfloat (peak, >, 0); /* the case has GABA currents */
          wslfp_lfp_free (ampa2);
          g_free (gaba2);
        }
      wslfp_lfp_free (ampa);
      g_free (gaba);
    }
  WslfpJobSettings s;
  wslfp_job_settings_init (&s);
  WslfpLfp *ampa = NULL;
  double *gaba = NULL;
  g_assert_false (wslfp_job_parts (ds, &s, ds->n_electrodes, &ampa, &gaba, &error));
  g_assert_nonnull (strstr (error->message, "does not exist"));
}

typedef struct
{
  guint calls;
  double last;
  double cancel_at;
} JobProgress;

static gboolean
job_progress (double fraction, gpointer data)
{
  JobProgress *p = data;
  p->calls++;
  p->last = fraction;
  return fraction >= p->cancel_at;
}

/* From currents, progress is reported block by block up to 1, and a
 * cancel stops the job with an error and no result. */
static void
test_io_job_progress (void)
{
  g_autofree char *path = wslfp_test_data_path ("small_case.h5");
  g_autoptr (GError) error = NULL;
  g_autoptr (WslfpDataset) ds = wslfp_dataset_open (path, &error);
  WslfpJobSettings s;
  wslfp_job_settings_init (&s);
  s.block_bytes = 16 * ds->n_sources * sizeof (double); /* 16 rows */
  JobProgress p = { 0, 0, 2.0 };
  g_autoptr (WslfpLfp) lfp = wslfp_job_run (ds, &s, job_progress, &p, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (p.calls, >=, 4);
  g_assert_cmpfloat (p.last, ==, 1.0);
  JobProgress q = { 0, 0, 0.3 };
  WslfpLfp *none = wslfp_job_run (ds, &s, job_progress, &q, &error);
  g_assert_null (none);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "cancelled"));
  g_assert_cmpfloat (q.last, <, 1.0);
}

/* The settings written with an LFP are read back as written, also when
 * they are not the defaults (not normalised, per neuron, from spikes). */
static void
test_io_lfp_attributes (void)
{
  g_autofree char *dir = g_dir_make_tmp ("wslfp-test-io-XXXXXX", NULL);
  g_autofree char *h5 = g_build_filename (dir, "lfp.h5", NULL);
  double t[2] = { 0, 1 }, uv[2] = { 1, 2 }, xyz[3] = { 0, 0, 10 };
  int shank[1] = { 0 };
  for (int k = 0; k < 2; k++)
    {
      WslfpLfp lfp = { 2, 1, t, uv, xyz, shank, 1, k ? "aussel18" : "mazzoni15_single", k ? 2.0 : 1.1,
                       k ? 3.5 : 0.5, k ? 0.25 : 2.0, k, !k, k };
      g_autoptr (GError) error = NULL;
      g_assert_true (wslfp_lfp_write (&lfp, h5, &error));
      g_autoptr (WslfpLfp) back = wslfp_lfp_read (h5, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (back->profile, ==, lfp.profile);
      g_assert_cmpfloat (back->alpha, ==, lfp.alpha);
      g_assert_cmpfloat (back->tau_ampa_ms, ==, lfp.tau_ampa_ms);
      g_assert_cmpfloat (back->tau_gaba_ms, ==, lfp.tau_gaba_ms);
      g_assert_cmpint (back->normalized, ==, lfp.normalized);
      g_assert_cmpint (back->population, ==, lfp.population);
      g_assert_cmpint (back->from_spikes, ==, lfp.from_spikes);
      /* as other tools see it: the attribute in the file */
      hid_t f = H5Fopen (h5, H5F_ACC_RDONLY, H5P_DEFAULT);
      hid_t g = H5Oopen (f, "/lfp", H5P_DEFAULT);
      double v = -1;
      g_assert_true (wslfp_h5_attr_double (g, "normalized", &v));
      g_assert_cmpfloat (v, ==, k);
      H5Oclose (g);
      H5Fclose (f);
      /* usual permissions, not mkstemp's 0600 */
      GStatBuf st;
      g_assert_cmpint (g_stat (h5, &st), ==, 0);
      mode_t mask = umask (0);
      umask (mask);
      g_assert_cmpint (st.st_mode & 0777, ==, 0666 & ~mask);
    }
  remove_dir (dir);
}

static guint
count_entries (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;
  while (g_dir_read_name (d) != NULL)
    n++;
  return n;
}

/* A disk that fills up while writing (here a file-size limit) gives an
 * error, and leaves neither the output nor a temporary file. */
static void
test_io_write_fails (void)
{
  if (g_test_subprocess ())
    {
      const char *dir = g_getenv ("WSLFP_TEST_DIR");
      g_autofree char *h5 = g_build_filename (dir, "big.h5", NULL);
      gsize T = 200000;
      g_autofree double *t = g_new0 (double, T);
      g_autofree double *uv = g_new0 (double, T);
      for (gsize i = 0; i < T; i++)
        t[i] = i;
      double xyz[3] = { 0, 0, 0 };
      int shank[1] = { 0 };
      WslfpLfp lfp = { T, 1, t, uv, xyz, shank, 1, "mazzoni15", 1.65, 6, 0, TRUE, FALSE, FALSE };
      struct rlimit limit = { 64 * 1024, 64 * 1024 };
      signal (SIGXFSZ, SIG_IGN);
      g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limit), ==, 0);
      g_autoptr (GError) error = NULL;
      gboolean ok = wslfp_lfp_write (&lfp, h5, &error);
      g_assert_false (ok);
      g_printerr ("error: %s\n", error->message);
      return;
    }
  g_autofree char *dir = g_dir_make_tmp ("wslfp-test-io-XXXXXX", NULL);
  g_setenv ("WSLFP_TEST_DIR", dir, TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*error: *big.h5*");
  g_assert_cmpuint (count_entries (dir), ==, 0);

  /* A rename that fails (the name became a folder meanwhile) removes the
   * temporary file too. */
  g_autofree char *out = g_build_filename (dir, "out.h5", NULL);
  WslfpAtomicFile file = { 0 };
  g_autoptr (GError) error = NULL;
  g_assert_true (wslfp_atomic_begin (&file, out, &error));
  g_assert_cmpuint (count_entries (dir), ==, 1);
  g_assert_cmpint (g_mkdir (out, 0700), ==, 0);
  g_autofree char *inside = g_build_filename (out, "x", NULL);
  g_assert_true (g_file_set_contents (inside, "x", 1, NULL));
  g_assert_false (wslfp_atomic_commit (&file, &error));
  g_assert_nonnull (strstr (error->message, "cannot rename the output into"));
  g_assert_cmpuint (count_entries (dir), ==, 1); /* the folder alone */
  g_unlink (inside);
  g_rmdir (out);
  g_rmdir (dir);
}

/* A dataset that declares far more values than the file holds (a damaged
 * shape, or one never written) is refused before anything is allocated
 * for it, naming the file, the dataset and the count. */
static void
test_io_declared_too_large (void)
{
  g_autofree char *dir = g_dir_make_tmp ("wslfp-test-io-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "huge.h5", NULL);
  hid_t f = H5Fcreate (path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  hid_t lcpl = H5Pcreate (H5P_LINK_CREATE);
  H5Pset_create_intermediate_group (lcpl, 1);
  hsize_t dims[1] = { 1000000000ull }, chunk[1] = { 1024 };
  hid_t space = H5Screate_simple (1, dims, NULL), dcpl = H5Pcreate (H5P_DATASET_CREATE);
  H5Pset_chunk (dcpl, 1, chunk);
  hid_t d = H5Dcreate2 (f, "/spikes/exc/t_ms", H5T_IEEE_F64LE, space, lcpl, dcpl, H5P_DEFAULT);
  H5Dclose (d);
  H5Pclose (dcpl);
  H5Sclose (space);
  H5Pclose (lcpl);
  H5Fclose (f);
  g_autoptr (GError) error = NULL;
  hid_t file = wslfp_h5_open_read (path, &error);
  g_assert_no_error (error);
  hsize_t got[2];
  g_autofree double *v = wslfp_h5_read_doubles (file, path, "/spikes/exc/t_ms", 1, got, &error);
  H5Fclose (file);
  g_assert_null (v);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "/spikes/exc/t_ms declares 1000000000 values, more than a file of"));
  g_assert_true (g_str_has_prefix (error->message, path));
  g_unlink (path);
  g_rmdir (dir);
}

/* Replaces attribute @name of @obj in @path by one of @type holding
 * @n values (0: an empty one) of @data. */
static void
set_odd_attr (const char *path, const char *obj, const char *name, hid_t type, hssize_t n, const void *data)
{
  hid_t f = H5Fopen (path, H5F_ACC_RDWR, H5P_DEFAULT);
  hid_t o = H5Oopen (f, obj, H5P_DEFAULT);
  if (H5Aexists (o, name) > 0)
    H5Adelete (o, name);
  hsize_t dims = (hsize_t) n;
  hid_t s = n == 0 ? H5Screate (H5S_NULL) : n == 1 ? H5Screate (H5S_SCALAR) : H5Screate_simple (1, &dims, NULL);
  hid_t a = H5Acreate2 (o, name, type, s, H5P_DEFAULT, H5P_DEFAULT);
  if (n > 0)
    g_assert_cmpint (H5Awrite (a, type, data), >=, 0);
  H5Aclose (a);
  H5Sclose (s);
  H5Oclose (o);
  H5Fclose (f);
}

/* A spike kernel attribute that is there but not one number (a string, a
 * bool, an array, complex, empty) makes the group unusable, naming the
 * attribute; it was ignored and the default used (issue 20, item 11). */
static void
test_io_kernel_attribute_types (void)
{
  g_autofree char *src = wslfp_test_data_path ("brian_small.h5");
  g_autofree char *dir = g_dir_make_tmp ("wslfp-test-io-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "odd.h5", NULL);
  g_autofree char *bytes = NULL;
  gsize length;
  g_assert_true (g_file_get_contents (src, &bytes, &length, NULL));
  hid_t str = H5Tcopy (H5T_C_S1);
  H5Tset_size (str, 4);
  hid_t boolean = H5Tenum_create (H5T_NATIVE_INT8);
  gint8 no = 0, yes = 1;
  H5Tenum_insert (boolean, "FALSE", &no);
  H5Tenum_insert (boolean, "TRUE", &yes);
  hid_t complex = H5Tcreate (H5T_COMPOUND, 16);
  H5Tinsert (complex, "r", 0, H5T_NATIVE_DOUBLE);
  H5Tinsert (complex, "i", 8, H5T_NATIVE_DOUBLE);
  double two[2] = { 5.0, 6.0 }, not_a_number = NAN, infinite = -INFINITY;
  struct { hid_t type; hssize_t n; const void *data; const char *found; } cases[] = {
    { str, 1, "5.0", "a string" },
    { boolean, 1, &yes, "an enumeration" },
    { H5T_NATIVE_DOUBLE, 2, two, "several values" },
    { complex, 1, two, "a compound value" },
    { H5T_NATIVE_DOUBLE, 0, NULL, "an empty value" },
    { H5T_NATIVE_DOUBLE, 1, &not_a_number, "a value that is not finite" },
    { H5T_NATIVE_DOUBLE, 1, &infinite, "a value that is not finite" },
  };
  for (gsize k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      g_assert_true (g_file_set_contents (path, bytes, (gssize) length, NULL));
      set_odd_attr (path, "/spikes/exc", "tau_rise_ms", cases[k].type, cases[k].n, cases[k].data);
      g_autoptr (GError) error = NULL;
      g_autoptr (WslfpDataset) ds = wslfp_dataset_open (path, &error);
      g_assert_no_error (error);
      g_assert_false (wslfp_dataset_check_spikes (ds, &error));
      g_assert_nonnull (strstr (error->message, "/spikes/exc attribute tau_rise_ms must be one number; found"));
      g_assert_nonnull (strstr (error->message, cases[k].found));
    }
  /* and so for each of the kernel's attributes */
  const char *names[] = { "tau_decay_ms", "delay_ms" };
  for (gsize k = 0; k < G_N_ELEMENTS (names); k++)
    {
      g_assert_true (g_file_set_contents (path, bytes, (gssize) length, NULL));
      set_odd_attr (path, "/spikes/inh", names[k], str, 1, "5.0");
      g_autoptr (GError) error = NULL;
      g_autoptr (WslfpDataset) ds = wslfp_dataset_open (path, &error);
      g_assert_no_error (error);
      g_assert_false (wslfp_dataset_check_spikes (ds, &error));
      g_autofree char *want = g_strdup_printf ("/spikes/inh attribute %s must be one number; found a string", names[k]);
      g_assert_nonnull (strstr (error->message, want));
    }
  H5Tclose (str);
  H5Tclose (boolean);
  H5Tclose (complex);
  g_unlink (path);
  g_rmdir (dir);
}

/* Currents with no time samples are unusable, and say so: info said
 * "compute from currents: yes" and compute wrote rows of zeros (issue 20,
 * item 12). */
static void
test_io_currents_without_samples (void)
{
  g_autofree char *dir = g_dir_make_tmp ("wslfp-test-io-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "empty.h5", NULL);
  hid_t f = H5Fcreate (path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  hid_t lcpl = H5Pcreate (H5P_LINK_CREATE);
  H5Pset_create_intermediate_group (lcpl, 1);
  double xyz[3] = { 0, 0, 0 };
  hsize_t one[2] = { 1, 3 }, none[2] = { 0, 1 }, zero = 0;
  hid_t s = H5Screate_simple (2, one, NULL);
  hid_t d = H5Dcreate2 (f, "/sources/xyz_um", H5T_NATIVE_DOUBLE, s, lcpl, H5P_DEFAULT, H5P_DEFAULT);
  H5Dwrite (d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, xyz);
  H5Dclose (d);
  H5Sclose (s);
  s = H5Screate_simple (1, &zero, NULL);
  H5Dclose (H5Dcreate2 (f, "/currents/ampa/t_ms", H5T_NATIVE_DOUBLE, s, lcpl, H5P_DEFAULT, H5P_DEFAULT));
  H5Sclose (s);
  s = H5Screate_simple (2, none, NULL);
  H5Dclose (H5Dcreate2 (f, "/currents/ampa/I", H5T_NATIVE_DOUBLE, s, lcpl, H5P_DEFAULT, H5P_DEFAULT));
  H5Sclose (s);
  H5Pclose (lcpl);
  H5Fclose (f);
  g_autoptr (GError) error = NULL;
  g_autoptr (WslfpDataset) ds = wslfp_dataset_open (path, &error);
  g_assert_no_error (error);
  g_assert_false (wslfp_dataset_check_currents (ds, &error));
  g_assert_nonnull (strstr (error->message, "/currents/ampa/t_ms has no samples"));
  g_unlink (path);
  g_rmdir (dir);
}

/* Numbers people read are the shortest that read back equal (issue 22,
 * item 12: sessions and commands showed alpha = 1.6499999999999999). */
static void
test_io_shortest_numbers (void)
{
  struct { double v; const char *text; } known[] = {
    { 1.65, "1.65" }, { 0.1 + 0.2, "0.30000000000000004" }, { 1000.0 / 9, "111.11111111111111" },
    { 200, "200" }, { -35, "-35" }, { 0, "0" }, { 1e-300, "1e-300" }, { 2.5e10, "25000000000" },
  };
  char buf[WSLFP_NUMBER_LEN];
  for (guint i = 0; i < G_N_ELEMENTS (known); i++)
    g_assert_cmpstr (wslfp_format_number (known[i].v, buf), ==, known[i].text);
  /* any double: reads back equal, never longer than %.17g */
  GRand *rand = g_rand_new_with_seed (21);
  for (int i = 0; i < 20000; i++)
    {
      guint64 bits = ((guint64) g_rand_int (rand) << 32) | g_rand_int (rand);
      double v;
      memcpy (&v, &bits, sizeof v);
      if (!isfinite (v))
        continue;
      char full[64];
      g_snprintf (full, sizeof full, "%.17g", v);
      wslfp_format_number (v, buf);
      g_assert_cmpfloat (g_ascii_strtod (buf, NULL), ==, v);
      g_assert_cmpuint (strlen (buf), <=, strlen (full));
    }
  g_rand_free (rand);
  g_autofree char *joined = wslfp_format_numbers ((double[]) { 1.65, -0.5, 1000.0 / 3 }, 3, ",");
  g_assert_cmpstr (joined, ==, "1.65,-0.5,333.3333333333333");
}

/* OpenBLAS's SSE fallback for a CPU model it does not know is replaced by
 * the kernels the CPU can run; its own choices stand. */
static void
test_io_blas_core (void)
{
  g_assert_cmpstr (wslfp_blas_core_for ("Prescott", TRUE, TRUE), ==, "SkylakeX");
  g_assert_cmpstr (wslfp_blas_core_for ("Prescott", FALSE, TRUE), ==, "Haswell");
  g_assert_cmpstr (wslfp_blas_core_for ("Nehalem", FALSE, TRUE), ==, "Haswell");
  g_assert_null (wslfp_blas_core_for ("Prescott", FALSE, FALSE));
  g_assert_null (wslfp_blas_core_for ("Haswell", TRUE, TRUE));
  g_assert_null (wslfp_blas_core_for ("Zen", TRUE, TRUE));
  g_assert_null (wslfp_blas_core_for (NULL, TRUE, TRUE));
}

/* A demo run's progress reports: how many, the first and the last
 * fraction; @cancel_at > 0 asks to stop at that report. */
typedef struct
{
  guint reports, cancel_at;
  double first, last;
} DemoProgress;

static int
count_demo_progress (double fraction, void *data)
{
  DemoProgress *p = data;
  g_assert_true (fraction >= 0 && fraction <= 1);
  if (p->reports == 0)
    p->first = fraction;
  else
    g_assert_cmpfloat (fraction, >=, p->last);
  p->last = fraction;
  return ++p->reports == p->cancel_at;
}

/* The demo network's parameters at and past their bounds: the bounds run,
 * past them is NULL and a message naming the parameter. */
static void
test_io_demo_params (void)
{
  typedef enum { N_EXC, DURATION, DT, AMPA_RISE, AMPA_DECAY, GABA_RISE, GABA_DECAY, DELAY, TAU_M, P_CONNECT,
                 IN_EXC, IN_INH } Field;
  const struct { Field field; double value; const char *fragment; } cases[] = {
    { N_EXC, 3, "--neurons" }, { N_EXC, 200001, "--neurons" },
    { DURATION, 0, "--duration-ms" }, { DURATION, 600001, "--duration-ms" }, { DURATION, NAN, "--duration-ms" },
    { DT, 0, "dt_ms" }, { DT, 1.5, "dt_ms" }, { DT, -0.1, "dt_ms" }, { DT, NAN, "dt_ms" },
    { AMPA_RISE, 0, "decay > rise > 0" }, { AMPA_DECAY, 0.4, "decay > rise > 0" },
    { GABA_RISE, 0, "decay > rise > 0" }, { GABA_DECAY, 0.25, "decay > rise > 0" },
    { DELAY, -1, "delay_ms must be >= 0 (got -1)" }, { TAU_M, 0, "tau_m_ms must be > 0 (got 0)" },
    { P_CONNECT, 1.5, "p_connect must be in [0, 1] (got 1.5)" }, { P_CONNECT, -0.1, "p_connect" },
    { IN_EXC, -1, "in_degree_exc and in_degree_inh must be >= 0 (got -1, 20)" },
    { IN_INH, -1, "in_degree_exc and in_degree_inh must be >= 0 (got 80, -1)" },
    /* (the value as given, not rounded to 6 digits) */
    { DURATION, 600000.5, "(got 600000.5)" },
    /* the bounds themselves run, and values just inside them */
    { N_EXC, 4, NULL }, { DT, 1, NULL }, { P_CONNECT, 1, NULL }, { P_CONNECT, 0, NULL }, { DELAY, 0, NULL },
    { DELAY, 0.5, NULL }, { TAU_M, 0.5, NULL }, { IN_EXC, 0, NULL }, { IN_INH, 0, NULL }, { DT, 0.2, NULL },
    { AMPA_RISE, 1.9, NULL }, { GABA_RISE, 4.9, NULL },
  };
  for (guint k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      WslfpDemoParams p;
      wslfp_demo_params_init (&p);
      p.n_exc = 8;
      p.duration_ms = 2;
      double v = cases[k].value;
      switch (cases[k].field)
        {
        case N_EXC: p.n_exc = (size_t) v; break;
        case DURATION: p.duration_ms = v; break;
        case DT: p.dt_ms = v; break;
        case AMPA_RISE: p.ampa_rise_ms = v; break;
        case AMPA_DECAY: p.ampa_decay_ms = v; break;
        case GABA_RISE: p.gaba_rise_ms = v; break;
        case GABA_DECAY: p.gaba_decay_ms = v; break;
        case DELAY: p.delay_ms = v; break;
        case TAU_M: p.tau_m_ms = v; break;
        case P_CONNECT: p.p_connect = v; break;
        case IN_EXC: p.in_degree_exc = v; break;
        case IN_INH: p.in_degree_inh = v; break;
        }
      char message[256] = "";
      WslfpDemoNetwork *net = wslfp_demo_network_run (&p, NULL, NULL, message, sizeof message);
      if (cases[k].fragment == NULL ? net == NULL : net != NULL || strstr (message, cases[k].fragment) == NULL)
        g_error ("case %u (field %d = %g): %s, \"%s\"", k, cases[k].field, v, net ? "ran" : "refused", message);
      wslfp_demo_network_free (net);
    }
  /* progress is reported for short runs too (3, 50 … 99 steps) and long
   * ones: from 0 (a bar starts empty) to 1, 25 to 50 times or at every
   * step of a shorter run; a cancel at the first report stops the run */
  const double durations[] = { 0.3, 5, 9.9, 30 };
  for (guint k = 0; k < G_N_ELEMENTS (durations); k++)
    {
      WslfpDemoParams p;
      wslfp_demo_params_init (&p);
      p.n_exc = 8;
      p.duration_ms = durations[k];
      guint n_steps = (guint) lround (p.duration_ms / p.dt_ms);
      DemoProgress seen = { 0 };
      char message[256] = "";
      WslfpDemoNetwork *net = wslfp_demo_network_run (&p, count_demo_progress, &seen, message, sizeof message);
      if (net == NULL || seen.reports < MIN (n_steps, 25) + 1 || seen.first != 0 || seen.last != 1)
        g_error ("%g ms: %s, %u progress reports from %g to %g", durations[k], net ? "ran" : message, seen.reports,
                 seen.first, seen.last);
      wslfp_demo_network_free (net);
      DemoProgress stop = { .cancel_at = 1 };
      net = wslfp_demo_network_run (&p, count_demo_progress, &stop, message, sizeof message);
      if (net != NULL || stop.reports != 1 || strstr (message, "cancelled") == NULL)
        g_error ("%g ms, cancelled at the first report: %s after %u reports, \"%s\"", durations[k],
                 net ? "ran" : "stopped", stop.reports, message);
    }
}

/* Bytes of the heap in use now. */
static void
read_lfp_cycle (gconstpointer path)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (WslfpLfp) lfp = wslfp_lfp_read (path, &error);
  g_assert_no_error (error);
}

static void
open_dataset_cycle (gconstpointer path)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (WslfpDataset) ds = wslfp_dataset_open (path, &error);
  g_assert_no_error (error);
}

static void
run_job_cycle (gconstpointer path)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (WslfpDataset) ds = wslfp_dataset_open (path, &error);
  g_assert_no_error (error);
  WslfpJobSettings s;
  wslfp_job_settings_init (&s);
  g_autoptr (WslfpLfp) lfp = wslfp_job_run (ds, &s, NULL, NULL, &error);
  g_assert_no_error (error);
}

/* An LFP file with every field (the provenance too) reads back equal, and
 * reading LFP files, opening datasets (currents, spikes, weights) and
 * computing leave nothing behind. */
static void
test_io_no_leaks (void)
{
  g_autofree char *dir = g_dir_make_tmp ("wslfp-test-io-XXXXXX", NULL);
  g_autofree char *h5 = g_build_filename (dir, "full.h5", NULL);
  double t[3] = { 0, 0.5, 1 }, uv[6] = { 1, -2, 3.5, 4, 5, -6e-7 }, xyz[6] = { 0, 0, 10, 250, 0, -30 };
  int shank[2] = { 0, 1 };
  WslfpLfp lfp = { 3, 2, t, uv, xyz, shank, 2, "aussel18", 1.65, 6, 0, TRUE, FALSE, TRUE };
  lfp.dendrite_length_um = 321;
  lfp.kernel = "unit";
  lfp.t_eval = "0:1.5:0.5";
  lfp.probe = "shanks:2,250,1,10, centre at 125,0,-10 µm";
  lfp.input_path = "/data/net.h5";
  lfp.input_size_bytes = 12345;
  lfp.program = "wslfp 9.9";
  lfp.command = "wslfp compute /data/net.h5 -o full.h5";
  g_autoptr (GError) error = NULL;
  g_assert_true (wslfp_lfp_write (&lfp, h5, &error));
  g_autoptr (WslfpLfp) back = wslfp_lfp_read (h5, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (back->profile, ==, lfp.profile);
  g_assert_cmpstr (back->kernel, ==, lfp.kernel);
  g_assert_cmpstr (back->t_eval, ==, lfp.t_eval);
  g_assert_cmpstr (back->probe, ==, lfp.probe);
  g_assert_cmpstr (back->input_path, ==, lfp.input_path);
  g_assert_cmpint (back->input_size_bytes, ==, lfp.input_size_bytes);
  g_assert_cmpstr (back->command, ==, lfp.command);
  g_assert_cmpfloat (back->dendrite_length_um, ==, 321);
  g_assert_true (back->from_spikes);

  wslfp_test_assert_no_growth ("reading an LFP file", read_lfp_cycle, h5, 300);
  g_autofree char *small = wslfp_test_data_path ("small_case.h5");
  g_autofree char *brian = wslfp_test_data_path ("brian_small.h5");
  wslfp_test_assert_no_growth ("opening a dataset of currents", open_dataset_cycle, small, 300);
  wslfp_test_assert_no_growth ("opening a dataset of spikes", open_dataset_cycle, brian, 100);
  wslfp_test_assert_no_growth ("computing", run_job_cycle, small, 10);
  g_unlink (h5);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/io/currents-without-samples", test_io_currents_without_samples);
  g_test_add_func ("/io/blas-core", test_io_blas_core);
  g_test_add_func ("/io/kernel-attribute-types", test_io_kernel_attribute_types);
  g_test_add_func ("/io/small-case", test_io_small_case);
  g_test_add_func ("/io/tklfp-marks", test_io_tklfp_marks);
  g_test_add_func ("/io/brian", test_io_brian);
  g_test_add_func ("/io/blocks-equal-whole", test_io_blocks_equal_whole);
  g_test_add_func ("/io/spike-blocks-equal-whole", test_io_spike_blocks_equal_whole);
  g_test_add_func ("/io/weight-forms", test_io_weight_forms);
  g_test_add_func ("/io/dataset-write-round-trip", test_io_dataset_write_round_trip);
  g_test_add_func ("/io/virtual-currents", test_io_virtual_currents);
  g_test_add_func ("/io/models-of-parts", test_io_models_of_parts);
  g_test_add_func ("/io/pooled-lengths", test_io_pooled_lengths);
  g_test_add_func ("/io/lfp-files", test_io_lfp_files);
  g_test_add_func ("/io/lfp-read-faults", test_io_lfp_read_faults);
  g_test_add_func ("/io/group-for-dataset", test_io_group_for_dataset);
  g_test_add_func ("/io/no-leaks", test_io_no_leaks);
  g_test_add_func ("/io/demo-params", test_io_demo_params);
  g_test_add_func ("/io/probe-csv", test_io_probe_csv);
  g_test_add_func ("/io/shortest-numbers", test_io_shortest_numbers);
  g_test_add_func ("/io/in-memory", test_io_in_memory);
  g_test_add_func ("/io/combined-job", test_io_combined_job);
  g_test_add_func ("/io/pooled-job", test_io_pooled_job);
  g_test_add_func ("/io/pooling-run", test_io_pooling_run);
  g_test_add_func ("/io/spill", test_io_spill);
  g_test_add_func ("/io/spilled-run", test_io_spilled_run);
  g_test_add_func ("/io/combined-by-blocks", test_io_combined_by_blocks);
  g_test_add_func ("/io/string-attribute-arrays", test_io_string_attribute_arrays);
  g_test_add_func ("/io/corrupt-fixtures", test_io_corrupt_fixtures);
  g_test_add_func ("/io/input-changed", test_io_input_changed);
  g_test_add_func ("/io/dipole-centers", test_io_dipole_centers);
  g_test_add_func ("/io/spike-defaults", test_io_spike_defaults);
  g_test_add_func ("/io/format-promises", test_io_format_promises);
  g_test_add_func ("/io/job-settings", test_io_job_settings);
  g_test_add_func ("/io/job-progress", test_io_job_progress);
  g_test_add_func ("/io/lfp-attributes", test_io_lfp_attributes);
  g_test_add_func ("/io/lfp-provenance", test_io_lfp_provenance);
  g_test_add_func ("/io/job-parts", test_io_job_parts);
  g_test_add_func ("/io/write-fails", test_io_write_fails);
  g_test_add_func ("/io/declared-too-large", test_io_declared_too_large);
  return g_test_run ();
}
