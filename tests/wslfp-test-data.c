/* wslfp-test-data.c: fixture reading for the tests (plain HDF5, so the
 * engine's tests do not depend on the io module they do not test). */
#include "wslfp-test-data.h"

#include <hdf5.h>
#include <malloc.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

char *
wslfp_test_data_path (const char *file)
{
  return g_test_build_filename (G_TEST_DIST, "data", file, NULL);
}

static hid_t
open_fixture (const char *file)
{
  g_autofree char *path = wslfp_test_data_path (file);
  hid_t f = H5Fopen (path, H5F_ACC_RDONLY, H5P_DEFAULT);
  g_assert_cmpint (f, >=, 0);
  return f;
}

static void *
read_as (const char *file, const char *path, hid_t type, gsize elem, gsize *rows, gsize *cols)
{
  hid_t f = open_fixture (file);
  hid_t d = H5Dopen2 (f, path, H5P_DEFAULT);
  if (d < 0)
    g_error ("fixture %s has no dataset %s", file, path);
  hid_t space = H5Dget_space (d);
  hsize_t dims[2] = { 1, 1 };
  int rank = H5Sget_simple_extent_ndims (space);
  g_assert_cmpint (rank, <=, 2);
  H5Sget_simple_extent_dims (space, dims, NULL);
  gsize r = rank >= 1 ? dims[0] : 1, c = rank == 2 ? dims[1] : 1;
  void *buf = g_malloc0 (MAX (r * c, 1) * elem);
  if (r * c > 0)
    g_assert_cmpint (H5Dread (d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf), >=, 0);
  H5Sclose (space);
  H5Dclose (d);
  H5Fclose (f);
  if (rows)
    *rows = r;
  if (cols)
    *cols = c;
  return buf;
}

double *
wslfp_test_read (const char *file, const char *path, gsize *rows, gsize *cols)
{
  return read_as (file, path, H5T_NATIVE_DOUBLE, sizeof (double), rows, cols);
}

gint64 *
wslfp_test_read_int (const char *file, const char *path, gsize *n)
{
  gsize rows, cols;
  gint64 *v = read_as (file, path, H5T_NATIVE_INT64, sizeof (gint64), &rows, &cols);
  *n = rows * cols;
  return v;
}

double
wslfp_test_read_attr (const char *file, const char *path, const char *name)
{
  double v = NAN;
  hid_t f = open_fixture (file);
  hid_t a = H5Aopen_by_name (f, path, name, H5P_DEFAULT, H5P_DEFAULT);
  g_assert_cmpint (a, >=, 0);
  g_assert_cmpint (H5Aread (a, H5T_NATIVE_DOUBLE, &v), >=, 0);
  H5Aclose (a);
  H5Fclose (f);
  return v;
}

double
wslfp_test_rel_error (const double *a, const double *b, gsize n)
{
  double err = 0.0, scale = 0.0;
  for (gsize i = 0; i < n; i++)
    {
      g_assert_true (isfinite (a[i]));
      err = fmax (err, fabs (a[i] - b[i]));
      scale = fmax (scale, fabs (b[i]));
    }
  return scale > 0.0 ? err / scale : err;
}

WslfpTestCase *
wslfp_test_case_load (void)
{
  const char *f = "small_case.h5";
  WslfpTestCase *c = g_new0 (WslfpTestCase, 1);
  gsize cols;

  c->electrodes = wslfp_test_read (f, "/electrodes/xyz_um", &c->n_electrodes, &cols);
  g_assert_cmpuint (cols, ==, 3);
  c->sources = wslfp_test_read (f, "/sources/xyz_um", &c->n_sources, &cols);
  c->orientation = wslfp_test_read (f, "/sources/orientation", NULL, NULL);
  c->lengths = wslfp_test_read (f, "/sources/dendrite_length_um", NULL, NULL);
  c->t_ampa = wslfp_test_read (f, "/currents/ampa/t_ms", &c->n_ampa, NULL);
  c->i_ampa = wslfp_test_read (f, "/currents/ampa/I", NULL, &cols);
  g_assert_cmpuint (cols, ==, c->n_sources);
  c->t_gaba = wslfp_test_read (f, "/currents/gaba/t_ms", &c->n_gaba, NULL);
  c->i_gaba = wslfp_test_read (f, "/currents/gaba/I", NULL, NULL);
  c->t_eval = wslfp_test_read (f, "/expected/t_eval_ms", &c->n_eval, NULL);
  c->t_eval_oor = wslfp_test_read (f, "/expected/t_eval_out_of_range_ms", &c->n_eval_oor, NULL);
  return c;
}

void
wslfp_test_case_free (WslfpTestCase *c)
{
  g_free (c->electrodes);
  g_free (c->sources);
  g_free (c->orientation);
  g_free (c->lengths);
  g_free (c->t_ampa);
  g_free (c->i_ampa);
  g_free (c->t_gaba);
  g_free (c->i_gaba);
  g_free (c->t_eval);
  g_free (c->t_eval_oor);
  g_free (c);
}

/* The single-neuron factors of mazzoni15_single (as in the library). */
#define SINGLE_GAIN     1.82849
#define SINGLE_R_FACTOR 1.31724
#define SINGLE_D_FACTOR 1.22438

/* The fixture grid's axes and amplitudes, scaled for mazzoni15_single. */
static void
fixture_grid (gboolean single, double **r, gsize *n_r, double **d, gsize *n_d, double **amp)
{
  g_autofree char *path = wslfp_test_data_path ("mazzoni15_fig2b_grid.csv");
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  g_autoptr (GArray) rs = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) ds = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) as = g_array_new (FALSE, FALSE, sizeof (double));
  for (guint i = 1; lines[i] != NULL; i++)
    {
      double v[3];
      if (sscanf (lines[i], "%lf,%lf,%lf", &v[0], &v[1], &v[2]) != 3)
        continue;
      if (rs->len == 0 || g_array_index (rs, double, rs->len - 1) != v[0])
        g_array_append_val (rs, v[0]);
      if (rs->len == 1)
        g_array_append_val (ds, v[1]);
      g_array_append_val (as, v[2]);
    }
  g_assert_cmpuint (as->len, ==, rs->len * ds->len); /* r-major, d inner */
  *n_r = rs->len, *n_d = ds->len;
  *r = g_memdup2 (rs->data, rs->len * sizeof (double));
  *d = g_memdup2 (ds->data, ds->len * sizeof (double));
  *amp = g_memdup2 (as->data, as->len * sizeof (double));
  if (single)
    {
      for (gsize i = 0; i < *n_r; i++)
        (*r)[i] /= SINGLE_R_FACTOR;
      for (gsize j = 0; j < *n_d; j++)
        (*d)[j] /= SINGLE_D_FACTOR;
      for (gsize k = 0; k < *n_r * *n_d; k++)
        (*amp)[k] *= SINGLE_GAIN;
    }
}

WslfpProfile *
wslfp_test_fixture_profile (const char *name)
{
  WslfpProfile *p = NULL;
  WslfpError err;
  if (g_strcmp0 (name, "mazzoni15") == 0 || g_strcmp0 (name, "mazzoni15_single") == 0)
    {
      g_autofree double *r = NULL, *d = NULL, *amp = NULL;
      gsize n_r, n_d;
      fixture_grid (g_strcmp0 (name, "mazzoni15_single") == 0, &r, &n_r, &d, &n_d, &amp);
      if (wslfp_profile_new_custom (r, n_r, d, n_d, amp, &p, &err) != WSLFP_OK)
        g_error ("%s", err.message);
      return p;
    }
  if (wslfp_profile_new_from_name (name, &p, &err) != WSLFP_OK)
    g_error ("%s: %s", name, err.message);
  return p;
}

char *
wslfp_test_fixture_grid_csv (const char *name, const char *dir)
{
  if (g_strcmp0 (name, "mazzoni15") == 0)
    return wslfp_test_data_path ("mazzoni15_fig2b_grid.csv");
  if (g_strcmp0 (name, "mazzoni15_single") != 0)
    return NULL;
  g_autofree double *r = NULL, *d = NULL, *amp = NULL;
  gsize n_r, n_d;
  fixture_grid (TRUE, &r, &n_r, &d, &n_d, &amp);
  GString *csv = g_string_new ("r_um,d_um,amp_uV\n");
  for (gsize i = 0; i < n_r; i++)
    for (gsize j = 0; j < n_d; j++)
      g_string_append_printf (csv, "%.17g,%.17g,%.17g\n", r[i], d[j], amp[i * n_d + j]);
  char *path = g_build_filename (dir, "mazzoni15_single_fixture_grid.csv", NULL);
  g_assert_true (g_file_set_contents (path, csv->str, (gssize) csv->len, NULL));
  g_string_free (csv, TRUE);
  return path;
}

static gsize
heap_in_use (void)
{
  return mallinfo2 ().uordblks;
}

/* Runs @cycle (open or read something, then free it) many times: the heap
 * must not grow with the count.  A field a free function forgets grows it
 * by at least 32 bytes a cycle (with malloc's header) in every window of
 * @n cycles; the allocator's caches and HDF5's free lists settle in the
 * first windows and then grow in some windows at most. */
void
wslfp_test_assert_no_growth (const char *what, WslfpTestCycle cycle, gconstpointer data, int n)
{
  gssize grown[5];
  gboolean settled = FALSE;
  for (int w = 0; w < 5; w++)
    {
      gsize before = heap_in_use ();
      for (int i = 0; i < n; i++)
        cycle (data);
      grown[w] = (gssize) heap_in_use () - (gssize) before;
      settled = settled || (w >= 2 && grown[w] < n * 16);
    }
  g_test_message ("%s: the heap grew by %zd, %zd, %zd, %zd, %zd bytes in five times %d cycles", what, grown[0],
                  grown[1], grown[2], grown[3], grown[4], n);
  if (!settled)
    g_error ("%s leaks: the heap grew by %zd, %zd, %zd bytes in the last three times %d cycles", what, grown[2],
             grown[3], grown[4], n);
}

/* Replaces dataset @path of the HDF5 file @file by a virtual dataset of
 * the same shape and type over @src_set of @src_file ("." for this file). */
void
wslfp_test_make_virtual (const char *file, const char *path, const char *src_file, const char *src_set)
{
  hid_t f = H5Fopen (file, H5F_ACC_RDWR, H5P_DEFAULT);
  g_assert_cmpint (f, >=, 0);
  hid_t d = H5Dopen2 (f, path, H5P_DEFAULT);
  hid_t space = H5Dget_space (d), type = H5Dget_type (d);
  H5Dclose (d);
  g_assert_cmpint (H5Ldelete (f, path, H5P_DEFAULT), >=, 0);
  hid_t dcpl = H5Pcreate (H5P_DATASET_CREATE);
  g_assert_cmpint (H5Pset_virtual (dcpl, space, src_file, src_set, space), >=, 0);
  d = H5Dcreate2 (f, path, type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
  g_assert_cmpint (d, >=, 0);
  H5Dclose (d);
  H5Pclose (dcpl);
  H5Tclose (type);
  H5Sclose (space);
  H5Fclose (f);
}

static herr_t
copy_but_currents (hid_t in, const char *name, const H5L_info_t *info, void *data)
{
  if (strcmp (name, "currents") != 0)
    H5Ocopy (in, name, *(hid_t *) data, name, H5P_DEFAULT, H5P_DEFAULT);
  return 0;
}

void
wslfp_test_copy_with_currents (const char *file, const char *path, hid_t file_type, hid_t dcpl, double bad_value,
                               gsize bad_row, gsize bad_col)
{
  g_autofree char *src_path = wslfp_test_data_path (file);
  hid_t in = H5Fopen (src_path, H5F_ACC_RDONLY, H5P_DEFAULT);
  hid_t out = H5Fcreate (path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  g_assert_cmpint (in, >=, 0);
  g_assert_cmpint (out, >=, 0);
  H5Literate (in, H5_INDEX_NAME, H5_ITER_INC, NULL, copy_but_currents, &out);
  hid_t lcpl = H5Pcreate (H5P_LINK_CREATE);
  H5Pset_create_intermediate_group (lcpl, 1);
  const char *kinds[] = { "ampa", "gaba" };
  for (int k = 0; k < 2; k++)
    {
      g_autofree char *t_path = g_strdup_printf ("/currents/%s/t_ms", kinds[k]);
      g_autofree char *i_path = g_strdup_printf ("/currents/%s/I", kinds[k]);
      g_assert_cmpint (H5Ocopy (in, t_path, out, t_path, H5P_DEFAULT, lcpl), >=, 0);
      gsize rows, cols;
      g_autofree double *v = wslfp_test_read (file, i_path, &rows, &cols);
      if (k == 0 && bad_row < rows)
        v[bad_row * cols + bad_col] = bad_value;
      hsize_t dims[2] = { rows, cols };
      hid_t space = H5Screate_simple (2, dims, NULL);
      hid_t d = H5Dcreate2 (out, i_path, file_type, space, lcpl, dcpl, H5P_DEFAULT);
      g_assert_cmpint (d, >=, 0);
      g_assert_cmpint (H5Dwrite (d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v), >=, 0);
      H5Dclose (d);
      H5Sclose (space);
    }
  H5Pclose (lcpl);
  H5Fclose (out);
  H5Fclose (in);
}
