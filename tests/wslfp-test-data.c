/* wslfp-test-data.c: fixture reading for the tests (plain HDF5, so the
 * engine's tests do not depend on the io module they do not test). */
#include "wslfp-test-data.h"

#include <hdf5.h>
#include <math.h>

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
