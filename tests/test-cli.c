/* test-cli.c: the `wslfp` command end to end, through the real binary:
 * numbers against the fixtures, figures, a bad-input corpus, exit codes. */
#include <cairo.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <hdf5.h>
#include <math.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <signal.h>

#include "wslfp-test-data.h"

static char *tmp_dir;
/* The standard output of the last run_cli(). */
static char *last_stdout;

/* Runs `wslfp ARGS…` (a NULL-terminated array); returns the exit status,
 * stderr in *err_out. */
static int
run_cli_argv (char **err_out, const char *const *arguments)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  const char *cli = g_getenv ("WSLFP_CLI");
  g_assert_nonnull (cli);
  g_ptr_array_add (argv, (char *) cli);
  for (guint i = 0; arguments[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) arguments[i]);
  g_ptr_array_add (argv, NULL);
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr (GError) error = NULL;
  int wait_status;
  g_assert_true (g_spawn_sync (tmp_dir, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                               &wait_status, &error));
  if (err_out != NULL)
    *err_out = g_steal_pointer (&err);
  g_free (last_stdout);
  last_stdout = g_steal_pointer (&out);
  return WIFEXITED (wait_status) ? WEXITSTATUS (wait_status) : 128;
}

/* Runs `wslfp ARGS…` (NULL-terminated); as run_cli_argv. */
static int
run_cli (char **err_out, const char *first, ...)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  va_list args;
  va_start (args, first);
  for (const char *a = first; a != NULL; a = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) a);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  return run_cli_argv (err_out, (const char *const *) argv->pdata);
}

static char *
tmp_path (const char *name)
{
  return g_build_filename (tmp_dir, name, NULL);
}

/* ---- numbers against the Python package ---- */

/* Any numeric dataset of an output file, as doubles. */
static double *
read_output (const char *path, const char *dataset, gsize *rows, gsize *cols)
{
  hid_t f = H5Fopen (path, H5F_ACC_RDONLY, H5P_DEFAULT);
  g_assert_cmpint (f, >=, 0);
  hid_t d = H5Dopen2 (f, dataset, H5P_DEFAULT);
  g_assert_cmpint (d, >=, 0);
  hid_t s = H5Dget_space (d);
  hsize_t dims[2] = { 1, 1 };
  H5Sget_simple_extent_dims (s, dims, NULL);
  double *v = g_new (double, dims[0] * dims[1]);
  g_assert_cmpint (H5Dread (d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v), >=, 0);
  H5Sclose (s);
  H5Dclose (d);
  H5Fclose (f);
  *rows = dims[0];
  *cols = dims[1];
  return v;
}

static double *
read_lfp (const char *path, gsize *rows, gsize *cols)
{
  return read_output (path, "/lfp/uV", rows, cols);
}

static char *
arange_of (const char *dataset)
{
  gsize n;
  g_autofree double *t = wslfp_test_read ("small_case.h5", dataset, &n, NULL);
  double step = (t[n - 1] - t[0]) / (n - 1);
  char a[G_ASCII_DTOSTR_BUF_SIZE], b[G_ASCII_DTOSTR_BUF_SIZE], c[G_ASCII_DTOSTR_BUF_SIZE];
  return g_strdup_printf ("%s:%s:%s", g_ascii_dtostr (a, sizeof a, t[0]),
                          g_ascii_dtostr (b, sizeof b, t[n - 1] + step / 2), g_ascii_dtostr (c, sizeof c, step));
}

static void
check_compute (const char *input, const char *profile, const char *expected, const char *t_eval_ds, double tol,
               const char *extra1, const char *extra2)
{
  g_autofree char *out = tmp_path ("fixture-out.h5");
  g_autofree char *t_eval = arange_of (t_eval_ds);
  g_autofree char *err = NULL;
  g_autofree char *expected_path = g_strdup_printf ("/expected/%s/%s", profile, expected);
  /* The fixtures' Mazzoni numbers are bilinear on the grid: that grid as a
   * file (the built-in profiles follow the original's triangles) */
  g_autofree char *grid = wslfp_test_fixture_grid_csv (profile, tmp_dir);
  int status = run_cli (&err, "compute", input, "-o", out, "--profile", grid != NULL ? grid : profile, "--t-eval",
                        t_eval, extra1, extra2, NULL);
  if (status != 0)
    g_error ("wslfp compute %s: exit %d: %s", profile, status, err);
  gsize rows, cols, er, ec;
  g_autofree double *got = read_lfp (out, &rows, &cols);
  g_autofree double *want = wslfp_test_read ("small_case.h5", expected_path, &er, &ec);
  g_assert_cmpuint (rows, ==, er);
  g_assert_cmpuint (cols, ==, ec);
  double rel = wslfp_test_rel_error (got, want, rows * cols);
  if (rel > tol)
    g_error ("%s %s: relative error %g > %g", input, expected_path, rel, tol);
}

static void
test_cli_fixture_numbers (void)
{
  g_autofree char *input = wslfp_test_data_path ("small_case.h5");
  const char *profiles[] = { "mazzoni15", "mazzoni15_single", "aussel18" };
  for (guint k = 0; k < G_N_ELEMENTS (profiles); k++)
    {
      check_compute (input, profiles[k], "raw", "/expected/t_eval_ms", 1e-9, "--no-normalize", NULL);
      check_compute (input, profiles[k], "lfp_uV", "/expected/t_eval_ms", 1e-9, NULL, NULL);
      check_compute (input, profiles[k], "population_lfp_uV", "/expected/t_eval_ms", 1e-9, "--population", NULL);
      check_compute (input, profiles[k], "raw_out_of_range", "/expected/t_eval_out_of_range_ms", 1e-9, "--no-normalize",
                     NULL);
    }
}

/* Copies small_case.h5 with float32 / int32 / chunked / gzip storage. */
static void
write_variant_copy (const char *path, gboolean float32, gboolean chunked)
{
  const char *src = "small_case.h5";
  hid_t f = H5Fcreate (path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  hid_t lcpl = H5Pcreate (H5P_LINK_CREATE);
  H5Pset_create_intermediate_group (lcpl, 1);
  const char *paths[] = { "/electrodes/xyz_um", "/sources/xyz_um", "/sources/orientation", "/sources/dendrite_length_um",
                          "/currents/ampa/t_ms", "/currents/ampa/I", "/currents/gaba/t_ms", "/currents/gaba/I" };
  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      gsize rows, cols;
      g_autofree double *v = wslfp_test_read (src, paths[i], &rows, &cols);
      gboolean two_d = !g_str_has_suffix (paths[i], "t_ms") && !g_str_has_suffix (paths[i], "length_um");
      hsize_t dims[2] = { rows, cols };
      hid_t space = H5Screate_simple (two_d ? 2 : 1, dims, NULL);
      hid_t dcpl = H5Pcreate (H5P_DATASET_CREATE);
      gboolean is_current = g_str_has_suffix (paths[i], "/I");
      if (chunked && is_current)
        {
          hsize_t chunk[2] = { 7, cols };
          H5Pset_chunk (dcpl, 2, chunk);
          H5Pset_deflate (dcpl, 4);
        }
      hid_t type = float32 && is_current ? H5T_IEEE_F32LE : H5T_IEEE_F64LE;
      hid_t d = H5Dcreate2 (f, paths[i], type, space, lcpl, dcpl, H5P_DEFAULT);
      g_assert_cmpint (H5Dwrite (d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v), >=, 0);
      H5Dclose (d);
      H5Pclose (dcpl);
      H5Sclose (space);
    }
  /* an int32 shank dataset */
  int shank[5] = { 3, 3, 7, 7, 7 };
  hsize_t n5[1] = { 5 };
  hid_t space = H5Screate_simple (1, n5, NULL);
  hid_t d = H5Dcreate2 (f, "/electrodes/shank", H5T_STD_I32LE, space, lcpl, H5P_DEFAULT, H5P_DEFAULT);
  H5Dwrite (d, H5T_NATIVE_INT, H5S_ALL, H5S_ALL, H5P_DEFAULT, shank);
  H5Dclose (d);
  H5Sclose (space);
  H5Pclose (lcpl);
  H5Fclose (f);
}

static void
test_cli_storage_variants (void)
{
  g_autofree char *chunked = tmp_path ("chunked-gzip.h5");
  g_autofree char *single = tmp_path ("float32.h5");
  write_variant_copy (chunked, FALSE, TRUE);
  write_variant_copy (single, TRUE, TRUE);
  check_compute (chunked, "mazzoni15", "raw", "/expected/t_eval_ms", 1e-9, "--no-normalize", NULL);
  check_compute (chunked, "aussel18", "lfp_uV", "/expected/t_eval_ms", 1e-9, NULL, NULL);
  /* float32 currents carry about 7 digits */
  check_compute (single, "mazzoni15_single", "raw", "/expected/t_eval_ms", 1e-6, "--no-normalize", NULL);

  g_autofree char *err = NULL;
  g_autofree char *csv = tmp_path ("out.csv");
  g_autofree char *t_eval = arange_of ("/expected/t_eval_ms");
  g_assert_cmpint (run_cli (&err, "compute", chunked, "-o", csv, "--t-eval", t_eval, NULL), ==, 0);
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (csv, &text, NULL, NULL));
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 97 + 2); /* header, rows, final empty */
  g_assert_true (g_str_has_prefix (lines[0], "t_ms,e0_shank0_z"));
  g_assert_nonnull (strstr (lines[0], "e4_shank1_z")); /* int32 shanks 3, 7 renumbered */
}

/* ---- the demo, both compute modes, figures ---- */

static gsize
count_ink (const char *png, int *width, int *height)
{
  cairo_surface_t *s = cairo_image_surface_create_from_png (png);
  g_assert_cmpint (cairo_surface_status (s), ==, CAIRO_STATUS_SUCCESS);
  *width = cairo_image_surface_get_width (s);
  *height = cairo_image_surface_get_height (s);
  int stride = cairo_image_surface_get_stride (s);
  unsigned char *data = cairo_image_surface_get_data (s);
  gsize ink = 0;
  for (int y = 0; y < *height; y++)
    for (int x = 0; x < *width; x++)
      {
        guint32 px = *(guint32 *) (data + y * stride + 4 * x);
        if ((px & 0xffffff) != 0xffffff)
          ink++;
      }
  cairo_surface_destroy (s);
  return ink;
}

static void
assert_figure (const char *path, int want_w, int want_h)
{
  g_autofree char *text = NULL;
  gsize len;
  g_assert_true (g_file_get_contents (path, &text, &len, NULL));
  if (g_str_has_suffix (path, ".png"))
    {
      int w, h;
      gsize ink = count_ink (path, &w, &h);
      g_assert_cmpint (w, ==, want_w);
      g_assert_cmpint (h, ==, want_h);
      g_assert_cmpuint (ink, >, (gsize) (w * h) / 100); /* not blank */
    }
  else if (g_str_has_suffix (path, ".svg"))
    {
      g_autofree char *size = g_strdup_printf ("width=\"%dpt\" height=\"%dpt\"", want_w, want_h);
      g_assert_nonnull (strstr (text, "<svg"));
      g_assert_nonnull (strstr (text, size));
      g_assert_nonnull (strstr (text, "<path"));
      g_assert_cmpuint (len, >, 5000);
    }
  else
    {
      g_autofree char *box = g_strdup_printf ("/MediaBox [ 0 0 %d %d ]", want_w, want_h);
      g_assert_true (g_str_has_prefix (text, "%PDF-"));
      g_assert_nonnull (memmem (text + len - 16, 16, "%%EOF", 5));
      g_assert_nonnull (memmem (text, len, box, strlen (box)));
      g_assert_cmpuint (len, >, 3000);
    }
}

/* The commands run OpenBLAS's kernels for this CPU: on a CPU with AVX2
 * and FMA, never the SSE ones OpenBLAS 0.3.21 falls back to for models it
 * does not know (3-5 times slower here: Emerald Rapids, model 207). */
static void
test_cli_blas_kernels (void)
{
  g_autofree char *err = NULL;
  g_unsetenv ("OPENBLAS_CORETYPE");
  g_assert_cmpint (run_cli (&err, "--version", NULL), ==, 0);
  const char *line = strstr (last_stdout, "OpenBLAS kernels: ");
  g_assert_nonnull (line);
  __builtin_cpu_init ();
  if (__builtin_cpu_supports ("avx2") && __builtin_cpu_supports ("fma"))
    for (const char *const *slow = (const char *const[]) { "Prescott\n", "Core2\n", "Nehalem\n", NULL }; *slow; slow++)
      g_assert_null (strstr (line, *slow));
  /* the user's choice stands */
  g_setenv ("OPENBLAS_CORETYPE", "Prescott", TRUE);
  g_assert_cmpint (run_cli (NULL, "--version", NULL), ==, 0);
  g_assert_nonnull (strstr (last_stdout, "OpenBLAS kernels: Prescott\n"));
  g_unsetenv ("OPENBLAS_CORETYPE");
}

static void
test_cli_demo_end_to_end (void)
{
  g_autofree char *demo = tmp_path ("demo.h5");
  g_autofree char *err = NULL;
  g_assert_cmpint (run_cli (&err, "demo", "-o", demo, "--neurons", "160", "--duration-ms", "120", "--seed", "3", NULL), ==, 0);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (&err, "info", demo, NULL), ==, 0);
  g_assert_nonnull (strstr (last_stdout, "  electrodes: 30 on 3 shanks, centre at 250, 0, 100 µm\n"));
  g_assert_nonnull (strstr (last_stdout, "    shank 2: 10 contacts at x = 500, y = 0, z = -400 … 600 µm\n"));

  const char *profiles[] = { "mazzoni15", "mazzoni15_single", "aussel18" };
  for (guint k = 0; k < G_N_ELEMENTS (profiles); k++)
    for (int pop = 0; pop < 2; pop++)
      {
        g_autofree char *a = tmp_path ("from-currents.h5");
        g_autofree char *b = tmp_path ("from-spikes.h5");
        const char *mode = pop ? "--population" : NULL;
        g_clear_pointer (&err, g_free);
        g_assert_cmpint (run_cli (&err, "compute", demo, "-o", a, "--profile", profiles[k], "--no-normalize", mode, NULL), ==, 0);
        g_clear_pointer (&err, g_free);
        g_assert_cmpint (run_cli (&err, "compute", demo, "-o", b, "--profile", profiles[k], "--no-normalize",
                                  "--from-spikes", mode, NULL), ==, 0);
        gsize r1, c1, r2, c2;
        g_autofree double *x = read_lfp (a, &r1, &c1);
        g_autofree double *y = read_lfp (b, &r2, &c2);
        g_assert_cmpuint (r1, ==, 1200);
        g_assert_cmpuint (c1, ==, 30);
        g_assert_cmpuint (r2, ==, r1);
        g_assert_cmpuint (c2, ==, c1);
        /* The demo records exactly the currents its spikes make. */
        g_assert_cmpfloat (wslfp_test_rel_error (y, x, r1 * c1), <=, 1e-9);
      }

  /* TKLFP of the demo's 160 + 40 cells: the engine's sum for the cells
   * and spikes the file holds (read here), at the LFP's times */
  {
    g_autofree char *tk = tmp_path ("demo-tklfp.h5");
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (run_cli (&err, "compute", demo, "-o", tk, "--proxy", "tklfp", NULL), ==, 0);
    gsize T, E, n[2], k[2], one, three;
    g_autofree double *got = read_lfp (tk, &T, &E);
    g_autofree double *t_eval = read_output (tk, "/lfp/t_ms", &T, &one);
    g_autofree double *elec = read_output (demo, "/electrodes/xyz_um", &E, &three);
    double *xyz[2], *t_spk[2], *who[2];
    for (int g = 0; g < 2; g++)
      {
        const char *name = g == 0 ? "exc" : "inh";
        g_autofree char *px = g_strdup_printf ("/spikes/%s/xyz_um", name);
        g_autofree char *pt = g_strdup_printf ("/spikes/%s/t_ms", name);
        g_autofree char *pi = g_strdup_printf ("/spikes/%s/i", name);
        xyz[g] = read_output (demo, px, &n[g], &three);
        t_spk[g] = read_output (demo, pt, &k[g], &one);
        who[g] = read_output (demo, pi, &k[g], &one);
      }
    g_assert_cmpuint (n[0], ==, 160);
    g_assert_cmpuint (n[1], ==, 40);
    g_assert_cmpuint (k[0], >, 0);
    g_assert_cmpuint (k[1], >, 0);
    gsize N = n[0] + n[1], K = k[0] + k[1];
    g_autofree double *cells_mm = g_new (double, 3 * N), *ts = g_new (double, K), *want = g_new (double, T * E);
    g_autofree double *elec_mm = g_new (double, 3 * E);
    g_autofree bool *is_exc = g_new (bool, N);
    g_autofree int64_t *cell = g_new (int64_t, K);
    for (gsize c = 0; c < N; c++)
      {
        int g = c >= n[0];
        for (int a = 0; a < 3; a++)
          cells_mm[3 * c + a] = xyz[g][3 * (c - g * n[0]) + a] / 1000;
        is_exc[c] = g == 0;
      }
    for (gsize j = 0; j < K; j++)
      {
        int g = j >= k[0];
        ts[j] = t_spk[g][j - g * k[0]];
        cell[j] = (int64_t) who[g][j - g * k[0]] + (g ? (int64_t) n[0] : 0);
      }
    for (gsize i = 0; i < 3 * E; i++)
      elec_mm[i] = elec[i] / 1000;
    static const double up[3] = { 0, 0, 1 };
    WslfpTklfp *m = NULL;
    WslfpError e_err;
    g_assert_cmpint (wslfp_tklfp_new (cells_mm, N, is_exc, up, 1, elec_mm, E, NULL, &m, &e_err), ==, WSLFP_OK);
    g_assert_cmpint (wslfp_tklfp_compute (m, ts, cell, K, t_eval, T, want, &e_err), ==, WSLFP_OK);
    wslfp_tklfp_free (m);
    double rel = wslfp_test_rel_error (got, want, T * E);
    if (rel > 1e-12)
      g_error ("the demo's TKLFP differs from the engine's sum by %g of its peak", rel);
    for (int g = 0; g < 2; g++)
      {
        g_free (xyz[g]);
        g_free (t_spk[g]);
        g_free (who[g]);
      }
  }

  /* The input is never modified, in either mode. */
  g_autofree char *lfp = tmp_path ("lfp.h5");
  g_autofree char *bytes_before = NULL, *bytes_after = NULL;
  gsize len_before, len_after;
  g_assert_true (g_file_get_contents (demo, &bytes_before, &len_before, NULL));
  g_autofree char *sum_before = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (guchar *) bytes_before, len_before);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (&err, "compute", demo, "-o", lfp, NULL), ==, 0);
  g_assert_true (g_file_get_contents (demo, &bytes_after, &len_after, NULL));
  g_autofree char *sum_after = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (guchar *) bytes_after, len_after);
  g_assert_cmpstr (sum_after, ==, sum_before);
  const char *formats[] = { "png", "svg", "pdf" };
  for (guint k = 0; k < G_N_ELEMENTS (formats); k++)
    {
      g_autofree char *traces = g_strdup_printf ("%s/traces.%s", tmp_dir, formats[k]);
      g_autofree char *layout = g_strdup_printf ("%s/layout.%s", tmp_dir, formats[k]);
      g_autofree char *heat = g_strdup_printf ("%s/heat.%s", tmp_dir, formats[k]);
      g_clear_pointer (&err, g_free);
      g_assert_cmpint (run_cli (&err, "plot", lfp, "-o", traces, "--width", "900", "--height", "500", "--t-range",
                                "20:100", "--title", "test", NULL), ==, 0);
      assert_figure (traces, 900, 500);
      g_clear_pointer (&err, g_free);
      g_assert_cmpint (run_cli (&err, "plot", demo, "--layout", "--view", "side", "-o", layout, NULL), ==, 0);
      assert_figure (layout, 800, 700);
      g_clear_pointer (&err, g_free);
      g_assert_cmpint (run_cli (&err, "plot", demo, "--profile", "aussel18", "-o", heat, NULL), ==, 0);
      assert_figure (heat, 640, 640);
    }
  /* plotting a dataset as traces names the problem */
  g_autofree char *bad_fig = tmp_path ("nothing.png");
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (&err, "plot", demo, "-o", bad_fig, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "not an LFP file"));
  g_assert_false (g_file_test (bad_fig, G_FILE_TEST_EXISTS));
}

/* ---- the bad-input corpus ---- */

typedef enum
{
  BASE, NOT_HDF5, EMPTY_FILE, TRUNCATED, NO_ELECTRODES, ELECTRODES_2COLS, SOURCES_RANK1, ELECTRODES_NAN, CURRENTS_NAN,
  TIMES_UNSORTED, CURRENTS_WRONG_COLS, SOURCES_EMPTY, NO_CURRENTS, CSR_INDEX, NEGATIVE_DELAY, SPIKE_INDEX, NO_SPIKES,
  TAU_ORDER, ZERO_ORIENTATION, STRING_ELECTRODES, TIMES_SHORT, NEGATIVE_LENGTH, ELECTRODES_3D, INDPTR_DECREASING,
  SPIKE_TIME_NAN, FLOAT_SPIKE_INDEX, BAD_COORDS_ATTR, EMPTY_TIMES, SHANK_LENGTH, LENGTHS_SHAPE, SPIKE_I_SHORT,
  BAD_KERNEL, INDPTR_EMPTY, CSR_SHAPE_ATTR, DATA_SHORT, INDPTR_START, DELAYS_SHORT, DELAY_NEGATIVE, WEIGHTS_SHAPE,
  NO_WEIGHTS, N_CASES
} Case;

static void
put (hid_t f, const char *path, int rank, const hsize_t *dims, hid_t type, const void *data)
{
  hid_t lcpl = H5Pcreate (H5P_LINK_CREATE);
  H5Pset_create_intermediate_group (lcpl, 1);
  hid_t space = H5Screate_simple (rank, dims, NULL);
  hid_t mem = H5Tget_class (type) == H5T_FLOAT ? H5T_NATIVE_DOUBLE : H5T_NATIVE_INT64;
  if (H5Tget_class (type) == H5T_STRING)
    mem = type;
  hid_t d = H5Dcreate2 (f, path, type, space, lcpl, H5P_DEFAULT, H5P_DEFAULT);
  hsize_t n = 1;
  for (int i = 0; i < rank; i++)
    n *= dims[i];
  if (n > 0)
    g_assert_cmpint (H5Dwrite (d, mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), >=, 0);
  H5Dclose (d);
  H5Sclose (space);
  H5Pclose (lcpl);
}

static void
put_attr (hid_t f, const char *obj, const char *name, double v)
{
  hid_t o = H5Oopen (f, obj, H5P_DEFAULT);
  hid_t s = H5Screate (H5S_SCALAR);
  hid_t a = H5Acreate2 (o, name, H5T_IEEE_F64LE, s, H5P_DEFAULT, H5P_DEFAULT);
  H5Awrite (a, H5T_NATIVE_DOUBLE, &v);
  H5Aclose (a);
  H5Sclose (s);
  H5Oclose (o);
}

static void
put_string_attr (hid_t f, const char *obj, const char *name, const char *v)
{
  hid_t o = H5Oopen (f, obj, H5P_DEFAULT);
  hid_t st = H5Tcopy (H5T_C_S1);
  H5Tset_size (st, strlen (v) + 1);
  hid_t s = H5Screate (H5S_SCALAR);
  hid_t a = H5Acreate2 (o, name, st, s, H5P_DEFAULT, H5P_DEFAULT);
  H5Awrite (a, st, v);
  H5Aclose (a);
  H5Sclose (s);
  H5Tclose (st);
  H5Oclose (o);
}

/* A small valid dataset (2 electrodes, 3 sources, 20 steps, exc spikes),
 * then the one defect of @c. */
static void
write_case (const char *path, Case c)
{
  if (c == NOT_HDF5 || c == EMPTY_FILE)
    {
      g_assert_true (g_file_set_contents (path, c == NOT_HDF5 ? "t_ms,I\n0,1\n" : "", -1, NULL));
      return;
    }
  hid_t f = H5Fcreate (path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  double electrodes[9] = { 0, 0, 100, 50, 0, -100, 0, 0, 0 };
  double sources[9] = { 10, 0, 0, -20, 30, 5, 40, -10, -50 };
  double t[20], I[60], spike_t[4] = { 1, 2.5, 0.4, 3 };
  gint64 spike_i[4] = { 0, 1, 1, 0 }, indptr[3] = { 0, 2, 3 }, indices[3] = { 0, 2, 1 };
  double data[3] = { 0.07, 0.07, 0.07 };
  for (int k = 0; k < 20; k++)
    t[k] = 0.1 * k;
  for (int k = 0; k < 60; k++)
    I[k] = sin (k * 0.3);
  hsize_t e_dims[2] = { 2, 3 }, s_dims[2] = { 3, 3 }, t_dims[1] = { 20 }, i_dims[2] = { 20, 3 };
  hsize_t k_dims[1] = { 4 }, p_dims[1] = { 3 }, n_dims[1] = { 3 };

  if (c == ELECTRODES_NAN)
    electrodes[5] = NAN;
  if (c == CURRENTS_NAN)
    I[3 * 7 + 2] = NAN;
  if (c == TIMES_UNSORTED)
    t[11] = t[9];
  if (c == CSR_INDEX)
    indices[1] = 7;
  if (c == SPIKE_INDEX)
    spike_i[2] = 99;
  if (c == INDPTR_DECREASING)
    indptr[1] = 4, indptr[2] = 3;
  if (c == SPIKE_TIME_NAN)
    spike_t[0] = NAN;
  if (c == ELECTRODES_2COLS)
    e_dims[1] = 2;
  if (c != NO_ELECTRODES && c != STRING_ELECTRODES && c != ELECTRODES_3D)
    put (f, "/electrodes/xyz_um", 2, e_dims, H5T_IEEE_F64LE, electrodes);
  if (c == STRING_ELECTRODES)
    {
      hid_t st = H5Tcopy (H5T_C_S1);
      H5Tset_size (st, 4);
      hsize_t d1[1] = { 2 };
      put (f, "/electrodes/xyz_um", 1, d1, st, "abc\0def");
      H5Tclose (st);
    }
  if (c == ELECTRODES_3D)
    {
      hsize_t d3[3] = { 1, 2, 3 };
      put (f, "/electrodes/xyz_um", 3, d3, H5T_IEEE_F64LE, electrodes);
    }
  if (c == SOURCES_RANK1)
    {
      hsize_t d1[1] = { 9 };
      put (f, "/sources/xyz_um", 1, d1, H5T_IEEE_F64LE, sources);
    }
  else if (c == SOURCES_EMPTY)
    {
      hsize_t d0[2] = { 0, 3 };
      put (f, "/sources/xyz_um", 2, d0, H5T_IEEE_F64LE, sources);
    }
  else
    put (f, "/sources/xyz_um", 2, s_dims, H5T_IEEE_F64LE, sources);
  if (c == BAD_COORDS_ATTR)
    put_string_attr (f, "/sources/xyz_um", "coords_are", "axons");
  if (c == SHANK_LENGTH)
    {
      gint64 shank[3] = { 0, 0, 1 };
      put (f, "/electrodes/shank", 1, n_dims, H5T_STD_I64LE, shank);
    }
  if (c == LENGTHS_SHAPE)
    {
      double l[2] = { 200, 200 };
      hsize_t two[1] = { 2 };
      put (f, "/sources/dendrite_length_um", 1, two, H5T_IEEE_F64LE, l);
    }
  if (c == ZERO_ORIENTATION)
    {
      double o[9] = { 0, 0, 1, 0, 0, 0, 1, 0, 0 };
      put (f, "/sources/orientation", 2, s_dims, H5T_IEEE_F64LE, o);
    }
  if (c == NEGATIVE_LENGTH)
    {
      double l[3] = { -5, 200, 200 };
      put (f, "/sources/dendrite_length_um", 1, n_dims, H5T_IEEE_F64LE, l);
    }
  if (c != NO_CURRENTS)
    {
      if (c == CURRENTS_WRONG_COLS)
        i_dims[1] = 2;
      if (c == TIMES_SHORT)
        t_dims[0] = 19;
      if (c == EMPTY_TIMES)
        t_dims[0] = 0, i_dims[0] = 0;
      put (f, "/currents/ampa/t_ms", 1, t_dims, H5T_IEEE_F64LE, t);
      put (f, "/currents/ampa/I", 2, i_dims, H5T_IEEE_F32LE, I);
      put (f, "/currents/gaba/t_ms", 1, t_dims, H5T_IEEE_F64LE, t);
      put (f, "/currents/gaba/I", 2, i_dims, H5T_IEEE_F64LE, I);
    }
  if (c != NO_SPIKES)
    {
      hsize_t i_len[1] = { c == SPIKE_I_SHORT ? 3 : 4 }, d_len[1] = { c == DATA_SHORT ? 2 : 3 };
      if (c == INDPTR_EMPTY)
        p_dims[0] = 0;
      if (c == INDPTR_START)
        indptr[0] = 1;
      put (f, "/spikes/exc/t_ms", 1, k_dims, H5T_IEEE_F64LE, spike_t);
      put (f, "/spikes/exc/i", 1, i_len, c == FLOAT_SPIKE_INDEX ? H5T_IEEE_F64LE : H5T_STD_I32LE,
           c == FLOAT_SPIKE_INDEX ? (const void *) spike_t : (const void *) spike_i);
      if (c == WEIGHTS_SHAPE)
        {
          hsize_t d2[2] = { 2, 2 };
          put (f, "/spikes/exc/weights", 2, d2, H5T_IEEE_F64LE, I);
        }
      else if (c != NO_WEIGHTS)
        {
          put (f, "/spikes/exc/weights/indptr", 1, p_dims, H5T_STD_I64LE, indptr);
          put (f, "/spikes/exc/weights/indices", 1, n_dims, H5T_STD_I32LE, indices);
          put (f, "/spikes/exc/weights/data", 1, d_len, H5T_IEEE_F64LE, data);
        }
      if (c == DELAYS_SHORT || c == DELAY_NEGATIVE)
        {
          double delays[3] = { 0.5, c == DELAY_NEGATIVE ? -1 : 0.5, 0.5 };
          hsize_t l_len[1] = { c == DELAYS_SHORT ? 2 : 3 };
          put (f, "/spikes/exc/weights/delays_ms", 1, l_len, H5T_IEEE_F64LE, delays);
        }
      if (c == CSR_SHAPE_ATTR)
        {
          gint64 shape[2] = { 2, 4 };
          hsize_t two = 2;
          hid_t o = H5Oopen (f, "/spikes/exc/weights", H5P_DEFAULT);
          hid_t sp = H5Screate_simple (1, &two, NULL);
          hid_t a = H5Acreate2 (o, "shape", H5T_STD_I64LE, sp, H5P_DEFAULT, H5P_DEFAULT);
          H5Awrite (a, H5T_NATIVE_INT64, shape);
          H5Aclose (a);
          H5Sclose (sp);
          H5Oclose (o);
        }
      put_attr (f, "/spikes/exc", "tau_rise_ms", c == TAU_ORDER ? 3.0 : 0.4);
      put_attr (f, "/spikes/exc", "tau_decay_ms", 2.0);
      put_attr (f, "/spikes/exc", "delay_ms", c == NEGATIVE_DELAY ? -1.0 : 1.5);
      if (c == BAD_KERNEL)
        put_string_attr (f, "/spikes/exc", "kernel", "alpha");
    }
  H5Fclose (f);
  if (c == TRUNCATED)
    {
      g_autofree char *bytes = NULL;
      gsize len;
      g_assert_true (g_file_get_contents (path, &bytes, &len, NULL));
      g_assert_true (g_file_set_contents (path, bytes, len / 2, NULL));
    }
}

typedef struct
{
  Case c;
  const char *mode;     /* extra option, or NULL */
  const char *fragment; /* the message must contain this */
} BadCase;

static const BadCase bad_cases[] = {
  { NOT_HDF5, NULL, "not an HDF5 file" },
  { EMPTY_FILE, NULL, "not an HDF5 file" },
  { TRUNCATED, NULL, "truncated" },
  { NO_ELECTRODES, NULL, "has no electrodes (/electrodes/xyz_um): give a probe (--electrodes)" },
  { ELECTRODES_2COLS, NULL, "/electrodes/xyz_um has shape (2, 2); expected (N, 3)" },
  { SOURCES_RANK1, NULL, "/sources/xyz_um has shape (9,); expected (N, 3)" },
  { ELECTRODES_NAN, NULL, "/electrodes/xyz_um[1][2] is nan" },
  { CURRENTS_NAN, NULL, "/currents/gaba/I: gaba currents [7][2] (t = 0.7 ms, source 2) is nan" },
  { TIMES_UNSORTED, NULL, "/currents/ampa/t_ms is not strictly increasing: /currents/ampa/t_ms[11] = 0.9 follows 1" },
  { CURRENTS_WRONG_COLS, NULL, "/currents/ampa/I has shape (20, 2); expected (T, S) = (20, 3)" },
  { SOURCES_EMPTY, NULL, "/sources/xyz_um has shape (0, 3); expected (N, 3) with N >= 1" },
  { NO_CURRENTS, NULL, "no /currents/ampa or /currents/gaba group" },
  { CSR_INDEX, "--from-spikes", "/spikes/exc/weights/indices[1] = 7 is outside [0, 3)" },
  { NEGATIVE_DELAY, "--from-spikes", "/spikes/exc attribute delay_ms = -1 must be finite and >= 0" },
  { SPIKE_INDEX, "--from-spikes", "/spikes/exc/i[2] = 99 is outside [0, 2)" },
  { NO_SPIKES, "--from-spikes", "no /spikes/exc or /spikes/inh group" },
  { TAU_ORDER, "--from-spikes", "/spikes/exc needs tau_decay_ms > tau_rise_ms > 0; found 2 and 3" },
  { ZERO_ORIENTATION, NULL, "/sources/orientation[1] is the zero vector" },
  { STRING_ELECTRODES, NULL, "/electrodes/xyz_um has a non-numeric type" },
  { TIMES_SHORT, NULL, "/currents/ampa/I has shape (20, 3); expected (T, S) = (19, 3)" },
  { NEGATIVE_LENGTH, NULL, "/sources/dendrite_length_um[0] = -5 is negative" },
  { ELECTRODES_3D, NULL, "/electrodes/xyz_um has shape (1, 2, 3); at most 2 dimensions" },
  { INDPTR_DECREASING, "--from-spikes", "/spikes/exc/weights/indptr" },
  { SPIKE_TIME_NAN, "--from-spikes", "/spikes/exc/t_ms[0] is nan" },
  { FLOAT_SPIKE_INDEX, "--from-spikes", "/spikes/exc/i holds floating-point numbers; expected integers" },
  { BAD_COORDS_ATTR, NULL, "coords_are is \"axons\"" },
  { EMPTY_TIMES, NULL, "/currents/ampa/t_ms has no samples (0 times)" },
  { BASE, "--strict", "strict mode: t_eval_ms[0] = 5 ms needs ampa currents at -1 ms" },
  { SHANK_LENGTH, NULL, "/electrodes/shank has shape (3,); expected (2,), one per electrode" },
  { LENGTHS_SHAPE, NULL, "/sources/dendrite_length_um has shape (2,); expected () or (3,)" },
  { SPIKE_I_SHORT, "--from-spikes", "/spikes/exc/i has shape (3,); expected (4,), one per spike time in /spikes/exc/t_ms" },
  { BAD_KERNEL, "--from-spikes", "/spikes/exc attribute kernel is \"alpha\"; expected peak, ode or unit" },
  { INDPTR_EMPTY, "--from-spikes", "/spikes/exc/weights/indptr is empty; expected n_pre + 1 values" },
  { CSR_SHAPE_ATTR, "--from-spikes", "/spikes/exc/weights attribute shape is (2, 4); expected (n_pre, S) = (2, 3)" },
  { DATA_SHORT, "--from-spikes", "/spikes/exc/weights/indices has 3 values but /spikes/exc/weights/data has 2" },
  { INDPTR_START, "--from-spikes",
    "/spikes/exc/weights/indptr must run from 0 to the number of weights (3); found 1 … 3" },
  { DELAYS_SHORT, "--from-spikes", "/spikes/exc/weights/delays_ms has 2 values; expected 3, one per weight" },
  { DELAY_NEGATIVE, "--from-spikes", "/spikes/exc/weights/delays_ms[1] = -1 is negative" },
  { WEIGHTS_SHAPE, "--from-spikes", "/spikes/exc/weights has shape (2, 2); expected (n_pre, 3) or a number" },
  { NO_WEIGHTS, "--from-spikes", "/spikes/exc/weights is missing (a CSR group, a matrix or a number)" },
};

/* Names in @dir other than the inputs: outputs or temporary files. */
static guint
count_outputs (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;
  for (const char *name = g_dir_read_name (d); name != NULL; name = g_dir_read_name (d))
    if (!g_str_has_prefix (name, "input"))
      n++;
  return n;
}

static void
test_cli_bad_input (void)
{
  g_autofree char *dir = tmp_path ("corpus");
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_assert_cmpuint (G_N_ELEMENTS (bad_cases), >=, 20);

  /* The base file itself is fine in both modes. */
  g_autofree char *base = g_build_filename (dir, "input-base.h5", NULL);
  g_autofree char *ok_out = g_build_filename (dir, "ok.h5", NULL);
  g_autofree char *err = NULL;
  write_case (base, BASE);
  g_assert_cmpint (run_cli (&err, "compute", base, "-o", ok_out, NULL), ==, 0);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (&err, "compute", base, "-o", ok_out, "--from-spikes", NULL), ==, 0);
  g_assert_cmpint (g_unlink (ok_out), ==, 0);

  for (guint k = 0; k < G_N_ELEMENTS (bad_cases); k++)
    {
      const BadCase *bc = &bad_cases[k];
      g_autofree char *name = g_strdup_printf ("input-%u.h5", k);
      g_autofree char *input = g_build_filename (dir, name, NULL);
      g_autofree char *out = g_build_filename (dir, "out.h5", NULL);
      write_case (input, bc->c);
      g_clear_pointer (&err, g_free);
      const char *t_eval = bc->c == BASE ? "--t-eval" : NULL;
      int status = run_cli (&err, "compute", input, "-o", out, bc->mode, t_eval, "5:7:0.5", NULL);
      if (status != 1 || strstr (err, bc->fragment) == NULL || strstr (err, input) == NULL)
        g_error ("case %u: exit %d, message \"%s\"; expected exit 1 naming %s and \"%s\"", k, status, err, input,
                 bc->fragment);
      g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
      g_assert_cmpuint (count_outputs (dir), ==, 0);
    }

  /* info reports unusable parts without failing, and fails on bad files. */
  g_autofree char *nan_currents = g_build_filename (dir, "input-nan.h5", NULL);
  write_case (nan_currents, CSR_INDEX);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (&err, "info", nan_currents, NULL), ==, 0);
  /* each unusable part says why, in its own line */
  const struct { Case c; const char *line; } parts[] = {
    { TIMES_UNSORTED, "  ampa currents: unusable: %s: /currents/ampa/t_ms is not strictly increasing: "
                      "/currents/ampa/t_ms[11] = 0.9 follows 1\n" },
    { CURRENTS_WRONG_COLS, "  gaba currents: unusable: %s: /currents/gaba/I has shape (20, 2); expected (T, S) = (20, 3)" },
    { TIMES_SHORT, "  ampa currents: unusable: %s: /currents/ampa/I has shape (20, 3); expected (T, S) = (19, 3)" },
    { EMPTY_TIMES, "  gaba currents: unusable: %s: /currents/gaba/t_ms has no samples (0 times)\n" },
    { NO_CURRENTS, "  ampa currents: none\n  gaba currents: none\n" },
    { NO_CURRENTS, "  compute from currents: no: %s: no /currents/ampa or /currents/gaba group" },
    { CSR_INDEX, "  exc spikes: unusable: %s: /spikes/exc/weights/indices[1] = 7 is outside [0, 3), the sources\n" },
    { NEGATIVE_DELAY, "  exc spikes: unusable: %s: /spikes/exc attribute delay_ms = -1 must be finite and >= 0\n" },
    { SPIKE_INDEX, "  exc spikes: unusable: %s: /spikes/exc/i[2] = 99 is outside [0, 2), the presynaptic neurons\n" },
    { TAU_ORDER, "  exc spikes: unusable: %s: /spikes/exc needs tau_decay_ms > tau_rise_ms > 0; found 2 and 3\n" },
    { INDPTR_DECREASING, "  exc spikes: unusable: %s: /spikes/exc/weights/indptr[2] = 3 decreases\n" },
    { SPIKE_TIME_NAN, "  exc spikes: unusable: %s: /spikes/exc/t_ms[0] is nan\n" },
    { FLOAT_SPIKE_INDEX, "  exc spikes: unusable: %s: /spikes/exc/i holds floating-point numbers; expected integers\n" },
  };
  for (guint k = 0; k < G_N_ELEMENTS (parts); k++)
    {
      write_case (nan_currents, parts[k].c);
      g_clear_pointer (&err, g_free);
      g_autofree char *line = g_strdup_printf (parts[k].line, nan_currents);
      if (run_cli (&err, "info", nan_currents, NULL) != 0 || strstr (last_stdout, line) == NULL)
        g_error ("info of case %d says\n%s\n%s\nwithout \"%s\"", parts[k].c, last_stdout, err, line);
    }
  g_clear_pointer (&err, g_free);
  g_autofree char *junk = g_build_filename (dir, "input-junk.h5", NULL);
  write_case (junk, NOT_HDF5);
  g_assert_cmpint (run_cli (&err, "info", junk, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "not an HDF5 file"));
}

/* A failed run leaves an existing output exactly as it was. */
static void
test_cli_output_survives (void)
{
  g_autofree char *input = tmp_path ("input-survive.h5");
  g_autofree char *out = tmp_path ("precious.h5");
  g_autofree char *err = NULL;
  g_autofree char *after = NULL;
  const char *precious = "results I spent a week on";
  write_case (input, CURRENTS_NAN);
  g_assert_true (g_file_set_contents (out, precious, -1, NULL));
  g_assert_cmpint (run_cli (&err, "compute", input, "-o", out, NULL), ==, 1);
  g_assert_true (g_file_get_contents (out, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, precious);
  g_clear_pointer (&err, g_free);
  g_autofree char *fig = tmp_path ("precious.png");
  g_assert_true (g_file_set_contents (fig, precious, -1, NULL));
  g_assert_cmpint (run_cli (&err, "plot", input, "-o", fig, NULL), ==, 1);
  g_clear_pointer (&after, g_free);
  g_assert_true (g_file_get_contents (fig, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, precious);
  /* a successful run replaces it */
  write_case (input, BASE);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (&err, "compute", input, "-o", out, NULL), ==, 0);
  g_assert_true (H5Fis_hdf5 (out) > 0);
}

static gboolean
same_contents (const char *a, const char *b)
{
  g_autofree char *x = NULL, *y = NULL;
  gsize nx, ny;
  g_assert_true (g_file_get_contents (a, &x, &nx, NULL));
  g_assert_true (g_file_get_contents (b, &y, &ny, NULL));
  return nx == ny && memcmp (x, y, nx) == 0;
}

/* -o onto an input (by its name, a symbolic link or a hard link; the
 * dataset, the probe or the profile grid) is refused and leaves it as it
 * was. */
static void
test_cli_output_is_input (void)
{
  g_autofree char *input = tmp_path ("self.h5"), *copy = tmp_path ("self-copy.h5");
  g_autofree char *sym = tmp_path ("self-symlink.h5"), *hard = tmp_path ("self-hardlink.h5");
  g_autofree char *probe = tmp_path ("self-probe.csv");
  write_case (input, BASE);
  g_assert_true (g_file_set_contents (probe, "0,0,0\n0,0,100\n", -1, NULL));
  g_autofree char *contents = NULL;
  gsize len;
  g_assert_true (g_file_get_contents (input, &contents, &len, NULL));
  g_assert_true (g_file_set_contents (copy, contents, len, NULL));
  g_unlink (sym);
  g_unlink (hard);
  g_assert_cmpint (symlink (input, sym), ==, 0);
  g_assert_cmpint (link (input, hard), ==, 0);
  const char *outputs[] = { input, sym, hard };
  for (guint i = 0; i < G_N_ELEMENTS (outputs); i++)
    {
      g_autofree char *err = NULL;
      g_assert_cmpint (run_cli (&err, "compute", input, "-o", outputs[i], NULL), ==, 1);
      g_assert_nonnull (strstr (err, "(the same file)"));
      g_assert_true (same_contents (input, copy));
    }
  g_autofree char *err = NULL;
  g_assert_cmpint (run_cli (&err, "compute", input, "-o", probe, "--electrodes", probe, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "the input"));
  g_clear_pointer (&err, g_free);
  g_autofree char *fig_link = tmp_path ("self-link.png");
  g_unlink (fig_link);
  g_assert_cmpint (symlink (input, fig_link), ==, 0);
  g_assert_cmpint (run_cli (&err, "plot", input, "--layout", "-o", fig_link, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "(the same file)"));
  g_assert_true (same_contents (input, copy));
}

/* Starts `wslfp compute` of @input into @out, long enough to be stopped
 * in the middle, and waits for its temporary output; returns the pid of
 * the command, the pid of its isolated child (the writer, named in the
 * temporary file; the command itself with WSLFP_NO_ISOLATION=1) in
 * *@writer, its standard error's pipe in *@err_fd. */
static GPid
start_long_write (const char *input, const char *out, GPid *writer, int *err_fd)
{
  const char *argv[] = { g_getenv ("WSLFP_CLI"), "compute", input, "-o", out, "--t-eval", "0:20:0.00001", NULL };
  GPid pid;
  g_autoptr (GError) error = NULL;
  g_assert_true (g_spawn_async_with_pipes (tmp_dir, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid,
                                           NULL, NULL, err_fd, &error));
  g_autofree char *base = g_path_get_basename (out);
  g_autofree char *prefix = g_strdup_printf (".%s.wslfp-", base);
  *writer = 0;
  for (int i = 0; i < 20000 && *writer == 0; i++)
    {
      g_autoptr (GDir) d = g_dir_open (tmp_dir, 0, NULL);
      for (const char *name; (name = g_dir_read_name (d)) != NULL;)
        if (g_str_has_prefix (name, prefix))
          *writer = (GPid) g_ascii_strtoll (name + strlen (prefix), NULL, 10);
      if (*writer == 0)
        g_usleep (500);
    }
  g_assert_cmpint (*writer, >, 0);
  /* (the writer announces its file to the command just after creating it:
   * a kill in between would leave it unknown to both) */
  g_usleep (2000);
  return pid;
}

static char *
read_all (int fd)
{
  GString *text = g_string_new (NULL);
  char buf[4096];
  gssize n;
  while ((n = read (fd, buf, sizeof buf)) > 0)
    g_string_append_len (text, buf, n);
  close (fd);
  return g_string_free (text, FALSE);
}

/* Temporary outputs: named after the writer's process; removed when the
 * command is stopped by SIGTERM, SIGINT or SIGHUP in the middle of the
 * write (it then ends by that signal), and when the writer itself is
 * killed or crashes (exit 1, saying so; the crash is a SIGABRT, which
 * AddressSanitizer leaves alone, unlike a SIGSEGV); a killed writer's leftovers
 * removed by the next write of that output, a live writer's left alone. */
static void
test_cli_interrupted_write (void)
{
  g_autofree char *input = tmp_path ("interrupt.h5"), *out = tmp_path ("interrupt-out.h5");
  write_case (input, BASE);
  g_unlink (out);
  /* (WSLFP_NO_ISOLATION=1: the command is the writer and removes its own
   * file) */
  const struct { int sig; gboolean to_writer, in_process; } stops[] = {
    { SIGTERM, FALSE }, { SIGINT, FALSE }, { SIGHUP, FALSE }, { SIGKILL, TRUE }, { SIGABRT, TRUE }, { SIGTERM, TRUE },
    { SIGTERM, FALSE, TRUE }, { SIGINT, FALSE, TRUE }, { SIGHUP, FALSE, TRUE },
  };
  int status;
  for (guint k = 0; k < G_N_ELEMENTS (stops); k++)
    {
      GPid writer;
      int err_fd;
      if (stops[k].in_process)
        g_setenv ("WSLFP_NO_ISOLATION", "1", TRUE);
      GPid pid = start_long_write (input, out, &writer, &err_fd);
      g_unsetenv ("WSLFP_NO_ISOLATION");
      g_assert_true (stops[k].in_process ? writer == pid : writer != pid);
      kill (stops[k].to_writer ? writer : pid, stops[k].sig);
      g_autofree char *err = read_all (err_fd);
      g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
      g_spawn_close_pid (pid);
      if (!stops[k].to_writer)
        {
          if (!WIFSIGNALED (status) || WTERMSIG (status) != stops[k].sig)
            g_error ("%s to the command: it ended with status %#x", g_strsignal (stops[k].sig), status);
        }
      else if (stops[k].sig == SIGTERM)
        /* the writer handles SIGTERM itself: it removes its file and ends by it */
        g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 1);
      else if (!WIFEXITED (status) || WEXITSTATUS (status) != 1 || strstr (err, "no output was written") == NULL
               || strstr (err, g_strsignal (stops[k].sig)) == NULL)
        g_error ("%s to the writer: status %#x, \"%s\"", g_strsignal (stops[k].sig), status, err);
      g_autoptr (GDir) d = g_dir_open (tmp_dir, 0, NULL);
      for (const char *name; (name = g_dir_read_name (d)) != NULL;)
        if (g_str_has_prefix (name, ".interrupt-out.h5."))
          g_error ("%s to the %s: %s was left behind", g_strsignal (stops[k].sig),
                   stops[k].to_writer ? "writer" : "command", name);
      g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
    }

  /* A SIGKILLed writer's file (its process is gone) and a live one's. */
  const char *true_argv[] = { "/bin/true", NULL };
  GPid dead;
  g_assert_true (g_spawn_async (NULL, (char **) true_argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &dead, NULL));
  waitpid (dead, &status, 0);
  g_autofree char *stale = g_strdup_printf ("%s/.interrupt-out.h5.wslfp-%d-abcdef", tmp_dir, (int) dead);
  g_autofree char *live = g_strdup_printf ("%s/.interrupt-out.h5.wslfp-%d-ghijkl", tmp_dir, (int) getpid ());
  g_assert_true (g_file_set_contents (stale, "half an output", -1, NULL));
  g_assert_true (g_file_set_contents (live, "being written", -1, NULL));
  g_assert_cmpint (run_cli (NULL, "compute", input, "-o", out, NULL), ==, 0);
  g_assert_false (g_file_test (stale, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (live, G_FILE_TEST_EXISTS));
  g_unlink (live);
}

/* Files that crash or hang the HDF5 library end as exit 1 and a message
 * naming the file, within seconds, leaving nothing in the output folder. */
static void
test_cli_isolation (void)
{
  g_autofree char *crash = wslfp_test_data_path ("corrupt/plain-flip_meta-209.h5");
  g_autofree char *hang = wslfp_test_data_path ("corrupt/plain-zero_range-4.h5");
  g_autofree char *dir = tmp_path ("isolated");
  g_mkdir_with_parents (dir, 0755);
  g_autofree char *out = g_build_filename (dir, "out.h5", NULL);
  g_setenv ("WSLFP_METADATA_TIMEOUT_S", "2", TRUE);
  const struct { const char *file; const char *want; } cases[] = {
    { crash, "corrupt HDF5 metadata (the HDF5 library crashed: " },
    { hang, "corrupt HDF5 metadata (the HDF5 library was still reading it after 2 s" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    for (int mode = 0; mode < 3; mode++)
      {
        g_autofree char *err = NULL;
        gint64 t0 = g_get_monotonic_time ();
        int status = mode == 0   ? run_cli (&err, "info", cases[i].file, NULL)
                     : mode == 1 ? run_cli (&err, "compute", cases[i].file, "-o", out, NULL)
                                 : run_cli (&err, "compute", cases[i].file, "-o", out, "--from-spikes", NULL);
        double seconds = (g_get_monotonic_time () - t0) / 1e6;
        if (status != 1 || strstr (err, cases[i].want) == NULL || strstr (err, cases[i].file) == NULL)
          g_error ("%s (mode %d): exit %d, \"%s\"", cases[i].file, mode, status, err);
        g_assert_cmpfloat (seconds, <, 10);
        g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
        g_assert_null (g_dir_read_name (d)); /* no output, no temporary file */
      }
  g_unsetenv ("WSLFP_METADATA_TIMEOUT_S");
}

/* Pixels of a trace colour (saturated, unlike the grey axes and black
 * text) in columns [x0, x1), below the panel titles and above the time
 * axis. */
static gsize
trace_ink_between (const char *png, int x0, int x1)
{
  cairo_surface_t *s = cairo_image_surface_create_from_png (png);
  int h = cairo_image_surface_get_height (s), stride = cairo_image_surface_get_stride (s);
  unsigned char *d = cairo_image_surface_get_data (s);
  gsize n = 0;
  for (int y = 60; y < h - 60; y++)
    for (int x = x0; x < x1; x++)
      {
        const unsigned char *px = d + y * stride + 4 * x;
        int hi = MAX (px[0], MAX (px[1], px[2])), lo = MIN (px[0], MIN (px[1], px[2]));
        n += hi - lo > 80;
      }
  cairo_surface_destroy (s);
  return n;
}

/* The traces drawn in columns [x0, x1): in each column, the runs of
 * trace-coloured pixels (as trace_ink_between sees them) more than 3 rows
 * apart; the count most columns have. */
static int
traces_across (const char *png, int x0, int x1)
{
  cairo_surface_t *s = cairo_image_surface_create_from_png (png);
  int h = cairo_image_surface_get_height (s), stride = cairo_image_surface_get_stride (s);
  unsigned char *d = cairo_image_surface_get_data (s);
  int columns_with[16] = { 0 };
  for (int x = x0; x < x1; x++)
    {
      int runs = 0, last = -100;
      for (int y = 60; y < h - 60; y++)
        {
          const unsigned char *px = d + y * stride + 4 * x;
          int hi = MAX (px[0], MAX (px[1], px[2])), lo = MIN (px[0], MIN (px[1], px[2]));
          if (hi - lo <= 80)
            continue;
          runs += y - last > 4;
          last = y;
        }
      columns_with[MIN (runs, 15)]++;
    }
  cairo_surface_destroy (s);
  int most = 0;
  for (int k = 1; k < 16; k++)
    if (columns_with[k] > columns_with[most])
      most = k;
  return most;
}

/* A probe's own shank numbers (7 and 100 here) are kept in the LFP file
 * and each gets a panel; --shanks takes those numbers. */
static void
test_cli_shank_numbers (void)
{
  g_autofree char *input = tmp_path ("shanks-in.h5"), *probe = tmp_path ("shanks.csv");
  g_autofree char *lfp = tmp_path ("shanks-lfp.h5"), *png = tmp_path ("shanks.png");
  write_case (input, BASE);
  g_assert_true (g_file_set_contents (probe, "0,0,0,100\n0,0,100,100\n200,0,0,7\n200,0,100,7\n", -1, NULL));
  g_autofree char *err = NULL;
  g_assert_cmpint (run_cli (&err, "compute", input, "-o", lfp, "--electrodes", probe, NULL), ==, 0);
  gsize rows, cols;
  g_autofree double *shank = read_output (lfp, "/electrodes/shank", &rows, &cols);
  g_assert_cmpfloat (shank[0], ==, 100);
  g_assert_cmpfloat (shank[2], ==, 7);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (&err, "plot", lfp, "-o", png, "--width", "800", "--height", "400", NULL), ==, 0);
  assert_figure (png, 800, 400);
  /* Two panels with traces: the left and the right half both have ink
   * between the axis labels and the scale bar. */
  g_assert_cmpuint (trace_ink_between (png, 80, 380), >, 200);
  g_assert_cmpuint (trace_ink_between (png, 420, 700), >, 200);
  /* each with its shank's two contacts */
  g_assert_cmpint (traces_across (png, 80, 380), ==, 2);
  g_assert_cmpint (traces_across (png, 420, 700), ==, 2);
  /* One chosen shank, of the file's first contacts (and the last shank
   * number): one panel, with both of its contacts' traces; and the other. */
  const char *one_shank[] = { "100", "7" };
  for (guint k = 0; k < G_N_ELEMENTS (one_shank); k++)
    {
      g_assert_cmpint (run_cli (NULL, "plot", lfp, "-o", png, "--shanks", one_shank[k], "--width", "800",
                                "--height", "400", NULL), ==, 0);
      g_assert_cmpuint (trace_ink_between (png, 150, 650), >, 200);
      g_assert_cmpint (traces_across (png, 150, 650), ==, 2);
    }
  /* the default size, and a time range must run forwards */
  g_assert_cmpint (run_cli (NULL, "plot", lfp, "-o", png, NULL), ==, 0);
  assert_figure (png, 1000, 640);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (&err, "plot", lfp, "-o", png, "--t-range", "1.5:0.5", NULL), ==, 2);
  g_assert_nonnull (strstr (err, "--t-range expects A:B in ms with B > A"));
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (&err, "plot", lfp, "-o", png, "--shanks", "3", NULL), ==, 2);
  g_assert_nonnull (strstr (err, "(7,100)"));
  /* shanks listed in any order (here 3, 9, 5, 3) are the file's in
   * ascending order */
  g_assert_true (g_file_set_contents (probe, "0,0,0,3\n400,0,0,9\n200,0,0,5\n0,0,100,3\n", -1, NULL));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (&err, "compute", input, "-o", lfp, "--electrodes", probe, NULL), ==, 0);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (&err, "plot", lfp, "-o", png, "--shanks", "4", NULL), ==, 2);
  if (strstr (err, "some of the file's shanks (3,5,9), like 3") == NULL)
    g_error ("--shanks 4 of shanks 3, 9, 5: \"%s\"", err);
}

/* --dendrite-length-um L gives the LFP of the same file with every
 * source's length set to L in /sources/dendrite_length_um, per neuron and
 * in population mode; and it changes the LFP. */
static void
test_cli_dendrite_length (void)
{
  g_autofree char *input = wslfp_test_data_path ("small_case.h5");
  g_autofree char *edited = tmp_path ("length-edited.h5");
  g_autofree char *a = tmp_path ("length-a.h5"), *b = tmp_path ("length-b.h5"), *c = tmp_path ("length-c.h5");
  g_autofree char *bytes = NULL;
  gsize len;
  g_assert_true (g_file_get_contents (input, &bytes, &len, NULL));
  g_assert_true (g_file_set_contents (edited, bytes, len, NULL));
  gsize n_sources, cols;
  g_autofree double *lengths = wslfp_test_read ("small_case.h5", "/sources/dendrite_length_um", &n_sources, &cols);
  for (gsize k = 0; k < n_sources; k++)
    lengths[k] = 120;
  hid_t f = H5Fopen (edited, H5F_ACC_RDWR, H5P_DEFAULT);
  hid_t d = H5Dopen2 (f, "/sources/dendrite_length_um", H5P_DEFAULT);
  g_assert_cmpint (H5Dwrite (d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, lengths), >=, 0);
  H5Dclose (d);
  H5Fclose (f);
  const char *modes[] = { "--no-normalize", "--population" };
  for (guint m = 0; m < G_N_ELEMENTS (modes); m++)
    {
      g_assert_cmpint (run_cli (NULL, "compute", input, "-o", a, "--profile", "aussel18", modes[m], NULL), ==, 0);
      g_assert_cmpint (run_cli (NULL, "compute", input, "-o", b, "--profile", "aussel18", modes[m],
                                "--dendrite-length-um", "120", NULL), ==, 0);
      g_assert_cmpint (run_cli (NULL, "compute", edited, "-o", c, "--profile", "aussel18", modes[m], NULL), ==, 0);
      gsize r1, c1, r2, c2, r3, c3;
      g_autofree double *va = read_lfp (a, &r1, &c1);
      g_autofree double *vb = read_lfp (b, &r2, &c2);
      g_autofree double *vc = read_lfp (c, &r3, &c3);
      g_assert_cmpuint (r2 * c2, ==, r3 * c3);
      g_assert_cmpfloat (wslfp_test_rel_error (vb, vc, r2 * c2), <=, 1e-12);
      g_assert_cmpfloat (wslfp_test_rel_error (va, vc, r2 * c2), >, 1e-3);
    }
}

/* The delays and α as a user checks them: the GABA term is the difference
 * between α = 1 and α = 0, and --tau-gaba-ms shifts it by that many
 * samples; --tau-ampa-ms shifts the AMPA term the same way. */
static void
test_cli_delays (void)
{
  g_autofree char *input = tmp_path ("delays-in.h5");
  write_case (input, BASE); /* samples every 0.1 ms from 0 to 1.9 */
  const char *runs[][3] = {
    { "0", "0", "0" },     /* AMPA only, no delay */
    { "1", "0", "0" },
    { "1", "0", "0.5" },   /* GABA 5 samples later */
    { "0", "0.3", "0" },   /* AMPA 3 samples later */
  };
  double *lfp[4];
  gsize rows = 0, cols = 0;
  for (guint k = 0; k < 4; k++)
    {
      g_autofree char *out = g_strdup_printf ("%s/delays-%u.h5", tmp_dir, k);
      g_autofree char *err = NULL;
      int status = run_cli (&err, "compute", input, "-o", out, "--no-normalize", "--alpha", runs[k][0],
                            "--tau-ampa-ms", runs[k][1], "--tau-gaba-ms", runs[k][2], "--t-eval", "0:1.95:0.1", NULL);
      if (status != 0)
        g_error ("run %u: exit %d: %s", k, status, err);
      lfp[k] = read_lfp (out, &rows, &cols);
    }
  g_assert_cmpuint (rows, ==, 20);
  double peak = 0;
  for (gsize i = 0; i < rows * cols; i++)
    peak = MAX (peak, fabs (lfp[0][i]));
  g_assert_cmpfloat (peak, >, 0);
  for (gsize t = 8; t < rows; t++)
    for (gsize e = 0; e < cols; e++)
      {
        double gaba_now = lfp[1][(t - 5) * cols + e] - lfp[0][(t - 5) * cols + e];
        double gaba_later = lfp[2][t * cols + e] - lfp[0][t * cols + e];
        g_assert_cmpfloat (fabs (gaba_later - gaba_now), <=, 1e-9 * peak);
        g_assert_cmpfloat (fabs (lfp[3][t * cols + e] - lfp[0][(t - 3) * cols + e]), <=, 1e-9 * peak);
      }
  double moved = 0;
  for (gsize i = 0; i < rows * cols; i++)
    moved = MAX (moved, fabs (lfp[2][i] - lfp[1][i]));
  g_assert_cmpfloat (moved, >, 1e-3 * peak);
  for (guint k = 0; k < 4; k++)
    g_free (lfp[k]);
}

/* --probe-rotate-deg AZ,TILT,ROLL: a tilt of 90° lays a vertical probe
 * along y about its centre; a roll of 90° then turns it about its own
 * axis (which moves nothing for contacts on that axis). */
static void
test_cli_probe_tilt (void)
{
  g_autofree char *input = tmp_path ("tilt-in.h5"), *probe = tmp_path ("tilt.csv"), *out = tmp_path ("tilt.h5");
  write_case (input, BASE);
  g_assert_true (g_file_set_contents (probe, "0,0,0\n0,0,100\n", -1, NULL));
  const char *angles[] = { "0,90,0", "0,90,90" };
  for (guint k = 0; k < G_N_ELEMENTS (angles); k++)
    {
      g_autofree char *err = NULL;
      g_assert_cmpint (run_cli (&err, "compute", input, "-o", out, "--electrodes", probe, "--probe-rotate-deg",
                                angles[k], NULL), ==, 0);
      gsize rows, cols;
      g_autofree double *xyz = read_output (out, "/electrodes/xyz_um", &rows, &cols);
      for (gsize e = 0; e < 2; e++)
        {
          g_assert_cmpfloat_with_epsilon (xyz[3 * e], 0, 1e-9);
          g_assert_cmpfloat_with_epsilon (xyz[3 * e + 2], 50, 1e-9);
          g_assert_cmpfloat_with_epsilon (fabs (xyz[3 * e + 1]), 50, 1e-9);
        }
      g_assert_cmpfloat (xyz[1] * xyz[4], <, 0);
    }
}

/* --kernel scales the spike-built currents as documented (wslfp.h): ode
 * w·τr/(τd − τr)·(e^{−t/τd} − e^{−t/τr}), unit without the factor, peak so
 * that a spike peaks at w; so the LFPs are constant multiples of each other. */
static void
test_cli_kernel_scales (void)
{
  g_autofree char *input = tmp_path ("kernel-in.h5");
  write_case (input, BASE); /* /spikes/exc only: τr = 0.4, τd = 2 ms */
  const double tr = 0.4, td = 2.0, tp = td * tr / (td - tr) * log (td / tr);
  const char *kernels[] = { "ode", "unit", "peak" };
  const double scale[] = { tr / (td - tr), 1.0, 1.0 / (exp (-tp / td) - exp (-tp / tr)) };
  double *lfp[3];
  gsize rows = 0, cols = 0;
  for (guint k = 0; k < 3; k++)
    {
      g_autofree char *out = g_strdup_printf ("%s/kernel-%s.h5", tmp_dir, kernels[k]);
      g_autofree char *err = NULL;
      int status = run_cli (&err, "compute", input, "-o", out, "--from-spikes", "--no-normalize", "--kernel",
                            kernels[k], "--tau-ampa-ms", "0", "--t-eval", "0:8:0.1", NULL);
      if (status != 0)
        g_error ("--kernel %s: exit %d: %s", kernels[k], status, err);
      lfp[k] = read_lfp (out, &rows, &cols);
    }
  double peak = 0;
  for (gsize i = 0; i < rows * cols; i++)
    peak = MAX (peak, fabs (lfp[0][i]));
  g_assert_cmpfloat (peak, >, 0);
  for (guint k = 1; k < 3; k++)
    for (gsize i = 0; i < rows * cols; i++)
      g_assert_cmpfloat (fabs (lfp[k][i] - lfp[0][i] * scale[k] / scale[0]), <=, 1e-9 * peak * scale[k] / scale[0]);
  for (guint k = 0; k < 3; k++)
    g_free (lfp[k]);
}

/* The progress bar: on a terminal (a pseudo-terminal made by script(1))
 * a run longer than a second draws it up to 100 % and clears its line at
 * the end; a pipe (a log, another program) gets no bar at all, however
 * long the run, and a short run draws none on a terminal either. */
static void
test_cli_progress (void)
{
  const char *cli = g_getenv ("WSLFP_CLI");
  g_autofree char *script = g_find_program_in_path ("script");
  g_assert_nonnull (script); /* util-linux, essential on Debian */
  struct
  {
    const char *size;
    gboolean terminal, bar;
  } runs[] = {
    { "--neurons 1000 --duration-ms 2500", TRUE, TRUE },
    { "--neurons 1000 --duration-ms 2500", FALSE, FALSE },
    { "--neurons 160 --duration-ms 60", TRUE, FALSE },
  };
  for (guint k = 0; k < G_N_ELEMENTS (runs); k++)
    {
      g_autofree char *out_path = tmp_path ("progress.h5");
      g_autofree char *command = g_strdup_printf ("'%s' demo -o '%s' %s --seed 5", cli, out_path, runs[k].size);
      const char *argv_terminal[] = { script, "-qec", command, "/dev/null", NULL };
      const char *argv_pipe[] = { "/bin/sh", "-c", command, NULL };
      g_autofree char *out = NULL, *err = NULL;
      g_autoptr (GError) error = NULL;
      int wait_status;
      g_assert_true (g_spawn_sync (tmp_dir, (char **) (runs[k].terminal ? argv_terminal : argv_pipe), NULL,
                                   G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &wait_status, &error));
      g_assert_no_error (error);
      g_assert_true (WIFEXITED (wait_status) && WEXITSTATUS (wait_status) == 0);
      /* (on a terminal, stdout and stderr are both in out) */
      const char *shown = runs[k].terminal ? out : err;
      gboolean bar = strstr (shown, "\rsimulating [") != NULL;
      if (bar != runs[k].bar)
        g_error ("run %u (%s, %s): %s bar in \"%s\"", k, runs[k].size, runs[k].terminal ? "terminal" : "pipe",
                 bar ? "a" : "no", shown);
      if (bar)
        {
          g_assert_nonnull (strstr (shown, "[##############################] 100%"));
          g_assert_nonnull (strstr (shown, "\r\033[K"));
        }
      if (!runs[k].terminal)
        g_assert_cmpstr (err, ==, "");
      g_assert_nonnull (strstr (out, "wrote "));
    }
}

/* `wslfp demo` prints its firing rates, and they are those of the file's
 * spikes; the network stays asynchronous as it grows (5-10 Hz at 800 and
 * at 2000 excitatory cells; a fixed connection probability made 2000 fire
 * at 41 Hz). */
static void
test_cli_demo_rates (void)
{
  const char *sizes[] = { "800", "2000" };
  for (guint k = 0; k < G_N_ELEMENTS (sizes); k++)
    {
      g_autofree char *demo = tmp_path ("rates.h5");
      const char *cli = g_getenv ("WSLFP_CLI");
      const char *argv[] = { cli, "demo", "-o", demo, "--neurons", sizes[k], "--duration-ms", "300", NULL };
      g_autofree char *out = NULL;
      int wait_status;
      g_assert_true (g_spawn_sync (tmp_dir, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out, NULL,
                                   &wait_status, NULL));
      g_assert_true (WIFEXITED (wait_status) && WEXITSTATUS (wait_status) == 0);
      const char *line = strstr (out, "excitatory: ");
      g_assert_nonnull (line);
      guint64 n_exc_spikes;
      double exc_hz, inh_hz;
      g_assert_cmpint (sscanf (line, "excitatory: %" G_GUINT64_FORMAT " spikes, %lf Hz; inhibitory: %*u spikes, %lf Hz",
                               &n_exc_spikes, &exc_hz, &inh_hz), ==, 3);
      gsize n_spikes, one;
      g_autofree double *t = read_output (demo, "/spikes/exc/t_ms", &n_spikes, &one);
      g_assert_cmpuint (n_spikes, ==, n_exc_spikes);
      double n_exc = g_ascii_strtod (sizes[k], NULL);
      g_assert_cmpfloat_with_epsilon (exc_hz, n_spikes / (n_exc * 0.3), 0.01);
      if (exc_hz < 5 || exc_hz > 10 || inh_hz < 5 || inh_hz > 10)
        g_error ("%s cells: %g Hz excitatory, %g Hz inhibitory; expected 5-10 Hz", sizes[k], exc_hz, inh_hz);
    }
}

static double
read_root_attr (const char *path, const char *name)
{
  hid_t f = H5Fopen (path, H5F_ACC_RDONLY, H5P_DEFAULT);
  g_assert_cmpint (f, >=, 0);
  hid_t a = H5Aopen (f, name, H5P_DEFAULT);
  g_assert_cmpint (a, >=, 0);
  double v = NAN;
  g_assert_cmpint (H5Aread (a, H5T_NATIVE_DOUBLE, &v), >=, 0);
  H5Aclose (a);
  H5Fclose (f);
  return v;
}

/* The demo's documented generator, written out here from its published
 * definition: xoshiro256** (Blackman & Vigna) seeded by four splitmix64
 * outputs, a uniform number from the top 53 bits. */
typedef struct { guint64 s[4]; } Xoshiro;

static guint64
split_mix (guint64 *x)
{
  guint64 z = (*x += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15));
  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return z ^ (z >> 31);
}

static double
xoshiro_uniform (Xoshiro *r)
{
  guint64 *s = r->s;
  guint64 m = s[1] * 5;
  guint64 result = ((m << 7) | (m >> 57)) * 9, t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = (s[3] << 45) | (s[3] >> 19);
  return (double) (result >> 11) / 9007199254740992.0;
}

/* The demo file's geometry is the documented one (`wslfp demo --help`, the
 * manual): N excitatory somata and N/4 inhibitory ones spread over the
 * whole 500 µm cube centred on 0, the 3-shank probe (x = 0, 250, 500 µm,
 * 10 contacts from z = −400 to 600 µm, deepest first), a 0.1 ms grid for
 * the asked duration; the same seed gives the same network, another seed
 * another, and no seed is seed 2. */
static void
test_cli_demo_geometry (void)
{
  g_autofree char *a = tmp_path ("geometry-a.h5"), *b = tmp_path ("geometry-b.h5");
  g_autofree char *c = tmp_path ("geometry-c.h5"), *d = tmp_path ("geometry-d.h5");
  g_assert_cmpint (run_cli (NULL, "demo", "-o", a, "--neurons", "400", "--duration-ms", "60", "--seed", "7", NULL), ==, 0);
  g_assert_cmpint (run_cli (NULL, "demo", "-o", b, "--neurons", "400", "--duration-ms", "60", "--seed", "7", NULL), ==, 0);
  g_assert_cmpint (run_cli (NULL, "demo", "-o", c, "--neurons", "400", "--duration-ms", "60", "--seed", "8", NULL), ==, 0);
  gsize rows, cols;
  g_autofree double *probe = read_output (a, "/electrodes/xyz_um", &rows, &cols);
  g_autofree double *shank = read_output (a, "/electrodes/shank", &rows, &cols);
  g_assert_cmpuint (rows, ==, 30);
  for (gsize e = 0; e < 30; e++)
    {
      gsize s = e / 10, k = e % 10;
      g_assert_cmpfloat (shank[e], ==, s);
      g_assert_cmpfloat (probe[3 * e], ==, 250.0 * s);
      g_assert_cmpfloat (probe[3 * e + 1], ==, 0);
      g_assert_cmpfloat_with_epsilon (probe[3 * e + 2], -400 + k * (1000.0 / 9), 1e-9);
    }
  const struct { const char *dataset; gsize n; } cells[] = { { "/sources/xyz_um", 400 }, { "/spikes/inh/xyz_um", 100 } };
  g_autofree double *exc = read_output (a, "/sources/xyz_um", &rows, &cols);
  for (guint k = 0; k < G_N_ELEMENTS (cells); k++)
    {
      g_autofree double *xyz = read_output (a, cells[k].dataset, &rows, &cols);
      g_assert_cmpuint (rows, ==, cells[k].n);
      g_assert_cmpuint (cols, ==, 3);
      for (int axis = 0; axis < 3; axis++)
        {
          double lo = G_MAXDOUBLE, hi = -G_MAXDOUBLE, sum = 0;
          for (gsize i = 0; i < rows; i++)
            {
              double v = xyz[3 * i + axis];
              lo = MIN (lo, v), hi = MAX (hi, v), sum += v;
            }
          /* uniform over [−250, 250]: the extremes of 100 draws lie within
           * 25 µm of the faces (all but once in 10^4), the mean near 0 */
          if (lo < -250 || hi > 250 || lo > -225 || hi < 225 || fabs (sum / rows) > 50)
            g_error ("%s axis %d: %g … %g µm, mean %g; expected spread over [−250, 250]", cells[k].dataset, axis, lo, hi,
                     sum / rows);
        }
      if (k == 1)
        g_assert_cmpfloat (xyz[0], !=, exc[0]); /* their own positions */
    }
  /* the excitatory somata are the seed's first draws, uniform over the cube */
  Xoshiro r;
  guint64 seed = 7;
  for (int i = 0; i < 4; i++)
    r.s[i] = split_mix (&seed);
  for (int i = 0; i < 3 * 400; i++)
    {
      double want = (xoshiro_uniform (&r) - 0.5) * 500;
      if (exc[i] != want)
        g_error ("soma coordinate %d is %.17g; the documented generator gives %.17g", i, exc[i], want);
    }
  g_autofree double *exc_cells = read_output (a, "/spikes/exc/xyz_um", &rows, &cols);
  g_assert_cmpmem (exc_cells, rows * cols * sizeof (double), exc, 400 * 3 * sizeof (double));
  g_autofree double *t = read_output (a, "/currents/ampa/t_ms", &rows, &cols);
  g_assert_cmpuint (rows, ==, 600);
  for (gsize i = 0; i < rows; i++)
    g_assert_cmpfloat_with_epsilon (t[i], i * 0.1, 1e-9);
  g_autofree double *current = read_output (a, "/currents/gaba/I", &rows, &cols);
  g_assert_cmpuint (rows, ==, 600);
  g_assert_cmpuint (cols, ==, 400);
  g_assert_cmpfloat (read_root_attr (a, "demo_n_exc"), ==, 400);
  g_assert_cmpfloat (read_root_attr (a, "demo_n_inh"), ==, 100);
  g_assert_cmpfloat (read_root_attr (a, "demo_dt_ms"), ==, 0.1);

  g_autofree double *same = read_output (b, "/sources/xyz_um", &rows, &cols);
  g_autofree double *other = read_output (c, "/sources/xyz_um", &rows, &cols);
  g_assert_cmpmem (same, 400 * 3 * sizeof (double), exc, 400 * 3 * sizeof (double));
  g_assert_cmpfloat (other[0], !=, exc[0]);
  /* no seed is seed 2; no size is 800 cells for 500 ms */
  g_assert_cmpint (run_cli (NULL, "demo", "-o", d, NULL), ==, 0);
  g_assert_cmpint (run_cli (NULL, "demo", "-o", a, "--seed", "2", NULL), ==, 0);
  g_autofree double *unseeded = read_output (d, "/sources/xyz_um", &rows, &cols);
  g_assert_cmpuint (rows, ==, 800);
  g_autofree double *seed2 = read_output (a, "/sources/xyz_um", &rows, &cols);
  g_assert_cmpmem (unseeded, 800 * 3 * sizeof (double), seed2, 800 * 3 * sizeof (double));
  g_autofree double *t_default = read_output (d, "/currents/ampa/t_ms", &rows, &cols);
  g_assert_cmpuint (rows, ==, 5000);
}

/* `wslfp info` states a file's figures as the file has them: the probe
 * (count, shanks, centre, each shank's depths), the sources, each current
 * (samples, span, mean step), each spike group (count, span, and the mean
 * rate per presynaptic cell over the recording, the currents' span when
 * there are currents), all computed here from the datasets. */
static void
test_cli_info_figures (void)
{
  g_autofree char *demo = tmp_path ("info-demo.h5");
  g_assert_cmpint (run_cli (NULL, "demo", "-o", demo, "--neurons", "400", "--duration-ms", "60", "--seed", "7", NULL), ==, 0);
  g_autofree char *err = NULL;
  g_assert_cmpint (run_cli (&err, "info", demo, NULL), ==, 0);
  g_autofree char *out = g_strdup (last_stdout);
  gsize rows, cols;
  g_autofree double *t = read_output (demo, "/currents/ampa/t_ms", &rows, &cols);
  gsize n_t = rows;
  double span_ms = t[n_t - 1] - t[0];
  g_autofree char *currents = g_strdup_printf ("ampa currents: %zu samples × 400 sources, t = 0 … %g ms, mean step %.4g ms "
                                               "(%.4g kHz)", n_t, t[n_t - 1], span_ms / (n_t - 1),
                                               (n_t - 1) / span_ms);
  if (strstr (out, currents) == NULL)
    g_error ("info says\n%s\nexpected \"%s\"", out, currents);
  /* the same file with currents from 100 ms on: the same span, so the
   * same rates */
  g_autofree char *later = tmp_path ("info-later.h5");
  g_autofree char *bytes = NULL;
  gsize n_bytes;
  g_assert_true (g_file_get_contents (demo, &bytes, &n_bytes, NULL));
  g_assert_true (g_file_set_contents (later, bytes, (gssize) n_bytes, NULL));
  for (gsize i = 0; i < n_t; i++)
    t[i] += 100;
  hid_t f = H5Fopen (later, H5F_ACC_RDWR, H5P_DEFAULT);
  hid_t d = H5Dopen2 (f, "/currents/ampa/t_ms", H5P_DEFAULT);
  g_assert_cmpint (H5Dwrite (d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, t), >=, 0);
  H5Dclose (d);
  H5Fclose (f);
  g_assert_cmpint (run_cli (NULL, "info", later, NULL), ==, 0);
  g_autofree char *out_later = g_strdup (last_stdout);
  const struct { const char *group; gsize n_pre; } groups[] = { { "exc", 400 }, { "inh", 100 } };
  for (guint k = 0; k < G_N_ELEMENTS (groups); k++)
    {
      g_autofree char *path = g_strdup_printf ("/spikes/%s/t_ms", groups[k].group);
      g_autofree double *spikes = read_output (demo, path, &rows, &cols);
      double lo = G_MAXDOUBLE, hi = -G_MAXDOUBLE;
      for (gsize i = 0; i < rows; i++)
        lo = MIN (lo, spikes[i]), hi = MAX (hi, spikes[i]);
      g_assert_cmpfloat (hi - lo, <, span_ms * 0.999); /* so that the spans' rates differ */
      g_autofree char *line = g_strdup_printf ("%s spikes: %zu from %zu presynaptic neurons, t = %g … %g ms, mean rate "
                                               "%.3g Hz\n", groups[k].group, rows, groups[k].n_pre, lo, hi,
                                               rows / (double) groups[k].n_pre / (span_ms * 1e-3));
      if (strstr (out, line) == NULL)
        g_error ("info says\n%s\nexpected \"%s\"", out, line);
      if (strstr (out_later, line) == NULL)
        g_error ("info on currents from 100 ms says\n%s\nexpected \"%s\"", out_later, line);
    }
  g_autofree double *xyz = read_output (demo, "/electrodes/xyz_um", &rows, &cols);
  double centre[3] = { 0, 0, 0 };
  for (gsize e = 0; e < rows; e++)
    for (int a = 0; a < 3; a++)
      centre[a] += xyz[3 * e + a] / rows;
  g_autofree char *probe = g_strdup_printf ("electrodes: %zu on 3 shanks, centre at %g, %g, %g µm\n", rows, centre[0],
                                            centre[1], centre[2]);
  g_assert_nonnull (strstr (out, probe));
  for (int s = 0; s < 3; s++)
    {
      g_autofree char *shank = g_strdup_printf ("shank %d: 10 contacts at x = %g, y = 0, z = %g … %g µm\n", s,
                                                xyz[3 * (10 * s)], xyz[3 * (10 * s) + 2], xyz[3 * (10 * s + 9) + 2]);
      if (strstr (out, shank) == NULL)
        g_error ("info says\n%s\nexpected \"%s\"", out, shank);
    }
  g_assert_nonnull (strstr (out, "sources: 400 (somata)"));

  /* an LFP file names its input and that file's size */
  g_autofree char *lfp = tmp_path ("info-lfp.h5");
  g_assert_cmpint (run_cli (NULL, "compute", demo, "-o", lfp, NULL), ==, 0);
  g_assert_cmpint (run_cli (NULL, "info", lfp, NULL), ==, 0);
  GStatBuf st;
  g_assert_cmpint (g_stat (demo, &st), ==, 0);
  g_autofree char *input = g_strdup_printf ("  input: %s (%lld bytes)\n", demo, (long long) st.st_size);
  if (strstr (last_stdout, input) == NULL)
    g_error ("info says\n%s\nexpected \"%s\"", last_stdout, input);
  /* a network without contacts says how to give some */
  g_autofree char *network = wslfp_test_data_path ("sonata/300_pointneurons/simulation_config.json");
  g_assert_cmpint (run_cli (NULL, "info", network, NULL), ==, 0);
  g_assert_nonnull (strstr (last_stdout, "  electrodes: none (give a probe: compute --electrodes)\n"));
}

/* Writes @n doubles of @rank/@dims at @path of the HDF5 file @file
 * (replacing nothing: the path must be new). */
static void
write_new_doubles (const char *file, const char *path, int rank, const hsize_t *dims, const double *data)
{
  hid_t f = H5Fopen (file, H5F_ACC_RDWR, H5P_DEFAULT);
  g_assert_cmpint (f, >=, 0);
  hid_t space = H5Screate_simple (rank, dims, NULL);
  hid_t d = H5Dcreate2 (f, path, H5T_NATIVE_DOUBLE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  g_assert_cmpint (H5Dwrite (d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), >=, 0);
  H5Dclose (d);
  H5Sclose (space);
  H5Fclose (f);
}

static void
set_string_attr (const char *file, const char *path, const char *name, const char *value)
{
  hid_t f = H5Fopen (file, H5F_ACC_RDWR, H5P_DEFAULT);
  hid_t type = H5Tcopy (H5T_C_S1);
  H5Tset_size (type, strlen (value));
  hid_t space = H5Screate (H5S_SCALAR);
  if (H5Aexists_by_name (f, path, name, H5P_DEFAULT) > 0)
    g_assert_cmpint (H5Adelete_by_name (f, path, name, H5P_DEFAULT), >=, 0);
  hid_t a = H5Acreate_by_name (f, path, name, type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  g_assert_cmpint (H5Awrite (a, type, value), >=, 0);
  H5Aclose (a);
  H5Sclose (space);
  H5Tclose (type);
  H5Fclose (f);
}

/* info names what a file says of its sources and kernels, not only the
 * defaults: an orientation and a dendrite length shared by all sources or
 * one per source, and each spike group's kernel scale (peak, unit, ode). */
static void
test_cli_info_labels (void)
{
  g_autofree char *demo = tmp_path ("info-labels.h5");
  g_assert_cmpint (run_cli (NULL, "demo", "-o", demo, "--neurons", "40", "--duration-ms", "20", NULL), ==, 0);
  g_assert_cmpint (run_cli (NULL, "info", demo, NULL), ==, 0);
  g_assert_nonnull (strstr (last_stdout, "orientation +z (default), dendrite length 250 µm (default)\n"));
  g_assert_nonnull (strstr (last_stdout, "delay 1.5 ms, scale ode\n  inh spikes"));

  g_autofree char *shared = tmp_path ("info-labels-shared.h5");
  g_autofree char *per_source = tmp_path ("info-labels-per-source.h5");
  g_autofree char *bytes = NULL;
  gsize n_bytes;
  g_assert_true (g_file_get_contents (demo, &bytes, &n_bytes, NULL));
  g_assert_true (g_file_set_contents (shared, bytes, (gssize) n_bytes, NULL));
  g_assert_true (g_file_set_contents (per_source, bytes, (gssize) n_bytes, NULL));
  double up[3] = { 0, 0.6, 0.8 }, length[1] = { 300 };
  double ups[40 * 3], lengths[40];
  for (int s = 0; s < 40; s++)
    ups[3 * s] = 0, ups[3 * s + 1] = 0, ups[3 * s + 2] = 1 + s, lengths[s] = 200 + s;
  write_new_doubles (shared, "/sources/orientation", 1, (hsize_t[]){ 3 }, up);
  write_new_doubles (shared, "/sources/dendrite_length_um", 1, (hsize_t[]){ 1 }, length);
  write_new_doubles (per_source, "/sources/orientation", 2, (hsize_t[]){ 40, 3 }, ups);
  write_new_doubles (per_source, "/sources/dendrite_length_um", 1, (hsize_t[]){ 40 }, lengths);
  set_string_attr (shared, "/spikes/exc", "kernel", "peak");
  set_string_attr (shared, "/spikes/inh", "kernel", "unit");
  set_string_attr (per_source, "/spikes/exc", "kernel", "unit");
  set_string_attr (per_source, "/spikes/inh", "kernel", "peak");

  g_assert_cmpint (run_cli (NULL, "info", shared, NULL), ==, 0);
  if (strstr (last_stdout, "sources: 40 (somata), orientation shared, dendrite length shared\n") == NULL
      || strstr (last_stdout, "delay 1.5 ms, scale peak\n  inh spikes") == NULL
      || strstr (last_stdout, "delay 1.5 ms, scale unit\n") == NULL)
    g_error ("info of shared orientation and length, kernels peak and unit says\n%s", last_stdout);
  g_assert_cmpint (run_cli (NULL, "info", per_source, NULL), ==, 0);
  if (strstr (last_stdout, "sources: 40 (somata), orientation per source, dendrite length per source\n") == NULL
      || strstr (last_stdout, "delay 1.5 ms, scale unit\n  inh spikes") == NULL
      || strstr (last_stdout, "delay 1.5 ms, scale peak\n") == NULL)
    g_error ("info of per-source orientations and lengths, kernels unit and peak says\n%s", last_stdout);
}

/* Pixels in which two PNG files of one size differ. */
static gsize
png_pixels_differing (const char *a, const char *b)
{
  cairo_surface_t *sa = cairo_image_surface_create_from_png (a), *sb = cairo_image_surface_create_from_png (b);
  g_assert_cmpint (cairo_surface_status (sa), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_surface_status (sb), ==, CAIRO_STATUS_SUCCESS);
  int w = cairo_image_surface_get_width (sa), h = cairo_image_surface_get_height (sa);
  g_assert_cmpint (cairo_image_surface_get_width (sb), ==, w);
  g_assert_cmpint (cairo_image_surface_get_height (sb), ==, h);
  const guint8 *da = cairo_image_surface_get_data (sa), *db = cairo_image_surface_get_data (sb);
  int stride = cairo_image_surface_get_stride (sa);
  gsize n = 0;
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      n += memcmp (da + y * stride + 4 * x, db + y * stride + 4 * x, 4) != 0;
  cairo_surface_destroy (sa);
  cairo_surface_destroy (sb);
  return n;
}

/* The layout of a file whose sources are dipole centres draws each cell
 * where the same cells given by their somata (half a dendrite below,
 * along +z by default) are drawn: the same figure. */
static void
test_cli_plot_layout_centres (void)
{
  g_autofree char *demo = tmp_path ("layout-centres-demo.h5");
  g_assert_cmpint (run_cli (NULL, "demo", "-o", demo, "--neurons", "40", "--duration-ms", "20", NULL), ==, 0);
  g_autofree char *centres = tmp_path ("layout-centres.h5"), *somata = tmp_path ("layout-somata.h5");
  g_autofree char *bytes = NULL;
  gsize n_bytes, rows, cols;
  g_assert_true (g_file_get_contents (demo, &bytes, &n_bytes, NULL));
  g_assert_true (g_file_set_contents (centres, bytes, (gssize) n_bytes, NULL));
  g_assert_true (g_file_set_contents (somata, bytes, (gssize) n_bytes, NULL));
  set_string_attr (centres, "/sources/xyz_um", "coords_are", "dipole_centers");
  g_autofree double *xyz = read_output (demo, "/sources/xyz_um", &rows, &cols);
  for (gsize s = 0; s < rows; s++)
    xyz[3 * s + 2] -= 250.0 / 2;
  hid_t f = H5Fopen (somata, H5F_ACC_RDWR, H5P_DEFAULT);
  hid_t d = H5Dopen2 (f, "/sources/xyz_um", H5P_DEFAULT);
  g_assert_cmpint (H5Dwrite (d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, xyz), >=, 0);
  H5Dclose (d);
  H5Fclose (f);
  g_assert_cmpint (run_cli (NULL, "info", centres, NULL), ==, 0);
  g_assert_nonnull (strstr (last_stdout, "sources: 40 (dipole centres)"));
  g_autofree char *from_centres = tmp_path ("layout-centres.png"), *from_somata = tmp_path ("layout-somata.png");
  g_assert_cmpint (run_cli (NULL, "plot", centres, "--layout", "--view", "front", "-o", from_centres, NULL), ==, 0);
  g_assert_cmpint (run_cli (NULL, "plot", somata, "--layout", "--view", "front", "-o", from_somata, NULL), ==, 0);
  gsize differing = png_pixels_differing (from_centres, from_somata);
  g_test_message ("%zu pixels differ", differing);
  g_assert_cmpuint (differing, ==, 0);
}

/* Choosing the contacts: --electrodes dataset takes the dataset's own (one
 * contact is enough; none is an error naming the file), an unknown preset
 * is a usage error listing the presets; `wslfp` alone prints the help to
 * standard error and exits 2. */
static void
test_cli_electrodes_choices (void)
{
  g_autofree char *input = tmp_path ("choices-in.h5"), *one = tmp_path ("choices-one.h5");
  g_autofree char *a = tmp_path ("choices-a.h5"), *b = tmp_path ("choices-b.h5");
  write_case (input, BASE);
  g_autofree char *err = NULL;
  g_assert_cmpint (run_cli (NULL, "compute", input, "-o", a, NULL), ==, 0);
  g_assert_cmpint (run_cli (NULL, "compute", input, "-o", b, "--electrodes", "dataset", NULL), ==, 0);
  gsize ra, ca, rb, cb;
  g_autofree double *lfp_a = read_output (a, "/lfp/uV", &ra, &ca);
  g_autofree double *lfp_b = read_output (b, "/lfp/uV", &rb, &cb);
  g_assert_cmpuint (ra * ca, ==, rb * cb);
  g_assert_cmpmem (lfp_a, ra * ca * sizeof (double), lfp_b, rb * cb * sizeof (double));

  /* one contact of its own */
  write_case (one, BASE);
  hid_t f = H5Fopen (one, H5F_ACC_RDWR, H5P_DEFAULT);
  H5Ldelete (f, "/electrodes", H5P_DEFAULT);
  const double xyz[3] = { 10, 0, 50 };
  const gint64 shank[1] = { 0 };
  hsize_t dims[2] = { 1, 3 }, n1[1] = { 1 };
  put (f, "/electrodes/xyz_um", 2, dims, H5T_IEEE_F64LE, xyz);
  put (f, "/electrodes/shank", 1, n1, H5T_STD_I64LE, shank);
  H5Fclose (f);
  g_clear_pointer (&err, g_free);
  if (run_cli (&err, "compute", one, "-o", a, "--electrodes", "dataset", NULL) != 0)
    g_error ("one contact: %s", err);
  g_autofree double *single = read_output (a, "/lfp/uV", &ra, &ca);
  g_assert_cmpuint (ca, ==, 1);

  /* none: a SONATA network */
  g_autofree char *network = wslfp_test_data_path ("sonata/300_pointneurons/simulation_config.json");
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (&err, "compute", network, "-o", b, "--electrodes", "dataset", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "has no electrodes of its own (--electrodes dataset)"));
  g_assert_nonnull (strstr (err, "simulation_config.json"));

  g_clear_pointer (&err, g_free);
  g_assert_cmpint (g_remove (b), ==, 0);
  g_assert_cmpint (run_cli (&err, "compute", input, "-o", b, "--electrodes", "preset:nope", NULL), ==, 2);
  g_assert_nonnull (strstr (err, "--electrodes preset:nope: the presets are "));
  g_assert_nonnull (strstr (err, "neuropixels-1.0"));
  g_assert_false (g_file_test (b, G_FILE_TEST_EXISTS));

  g_clear_pointer (&err, g_free);
  const char *alone[] = { NULL };
  g_assert_cmpint (run_cli_argv (&err, alone), ==, 2);
  g_assert_nonnull (strstr (err, "compute IN -o OUT"));
  g_assert_cmpstr (last_stdout, ==, "");
}

/* CRC-32 as PNG defines it (ISO 3309, reflected, 0xEDB88320). */
static guint32
png_crc32 (const guchar *data, gsize n)
{
  guint32 c = 0xffffffffu;
  for (gsize i = 0; i < n; i++)
    {
      c ^= data[i];
      for (int k = 0; k < 8; k++)
        c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
    }
  return c ^ 0xffffffffu;
}

/* Every chunk of the PNG @bytes has a correct CRC, and IEND ends it: a
 * reader that checks (libpng does) takes the file. */
static void
assert_png_chunks (const guchar *bytes, gsize len)
{
  g_assert_cmpuint (len, >, 8);
  g_assert_cmpmem (bytes, 8, "\x89PNG\r\n\x1a\n", 8);
  gsize at = 8;
  gboolean ended = FALSE;
  while (at + 12 <= len && !ended)
    {
      guint32 n = (guint32) bytes[at] << 24 | bytes[at + 1] << 16 | bytes[at + 2] << 8 | bytes[at + 3];
      g_assert_cmpuint (at + 12 + n, <=, len);
      const guchar *type = bytes + at + 4, *crc = type + 4 + n;
      guint32 want = (guint32) crc[0] << 24 | crc[1] << 16 | crc[2] << 8 | crc[3];
      if (png_crc32 (type, 4 + n) != want)
        g_error ("PNG chunk %.4s at byte %zu: CRC %08x, expected %08x", type, at, want, png_crc32 (type, 4 + n));
      ended = memcmp (type, "IEND", 4) == 0;
      at += 12 + n;
    }
  g_assert_true (ended);
  g_assert_cmpuint (at, ==, len);
}

/* --size gives figures at their printed size: a PNG of the size × dpi
 * pixels that records its resolution (pHYs), PDF and SVG pages of that
 * many points; misuse is a usage error. */
static void
test_cli_print_size (void)
{
  g_autofree char *input = tmp_path ("print-in.h5"), *lfp = tmp_path ("print-lfp.h5");
  g_autofree char *png = tmp_path ("print.png"), *pdf = tmp_path ("print.pdf"), *svg = tmp_path ("print.svg");
  write_case (input, BASE);
  g_assert_cmpint (run_cli (NULL, "compute", input, "-o", lfp, NULL), ==, 0);
  g_assert_cmpint (run_cli (NULL, "plot", lfp, "-o", png, "--size", "85x60mm", NULL), ==, 0);
  assert_figure (png, 1004, 709); /* 85 and 60 mm at 300 dpi */
  g_autofree char *bytes = NULL;
  gsize len;
  g_assert_true (g_file_get_contents (png, &bytes, &len, NULL));
  const char *phys = memmem (bytes, len, "pHYs", 4);
  g_assert_nonnull (phys);
  const guchar *p = (const guchar *) phys + 4;
  guint32 ppm_x = (guint32) p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
  g_assert_cmpuint (ppm_x, ==, 11811); /* 300 dpi in pixels per metre */
  g_assert_cmpint (p[8], ==, 1);
  assert_png_chunks ((const guchar *) bytes, len);
  g_assert_cmpint (run_cli (NULL, "plot", lfp, "-o", png, "--size", "2col", "--dpi", "150", "--font-size", "8", NULL), ==, 0);
  assert_figure (png, 1028, 709); /* 174 × 120 mm at 150 dpi */

  g_assert_cmpint (run_cli (NULL, "plot", lfp, "-o", pdf, "--size", "85x60mm", NULL), ==, 0);
  g_clear_pointer (&bytes, g_free);
  g_assert_true (g_file_get_contents (pdf, &bytes, &len, NULL));
  g_assert_nonnull (memmem (bytes, len, "/MediaBox [ 0 0 240.944882 170.07874 ]", 38));
  g_assert_cmpint (run_cli (NULL, "plot", lfp, "-o", svg, "--size", "3x2in", NULL), ==, 0);
  g_clear_pointer (&bytes, g_free);
  g_assert_true (g_file_get_contents (svg, &bytes, &len, NULL));
  g_assert_nonnull (strstr (bytes, "width=\"216pt\" height=\"144pt\""));

  struct { const char *a, *b, *c, *d; const char *fragment; } misuse[] = {
    { "--dpi", "300", NULL, NULL, "go with --size" },
    { "--size", "85x60", NULL, NULL, "--size expects" },
    { "--size", "1col", "--width", "500", "choose one" },
    { "--size", "1col", "--font-size", "100", "--font-size must be" },
  };
  for (guint k = 0; k < G_N_ELEMENTS (misuse); k++)
    {
      g_autofree char *err = NULL;
      int status = run_cli (&err, "plot", lfp, "-o", png, misuse[k].a, misuse[k].b, misuse[k].c, misuse[k].d, NULL);
      if (status != 2 || strstr (err, misuse[k].fragment) == NULL)
        g_error ("misuse %u: exit %d, \"%s\"", k, status, err);
    }
}

/* --kind: colour maps, the CSD (a shank with uneven contacts is left out,
 * saying why; none left is an error) and spectra, each a figure of the
 * asked size, also at a printed size. */
static void
test_cli_kinds (void)
{
  g_autofree char *input = tmp_path ("kinds-in.h5"), *probe = tmp_path ("kinds.csv");
  g_autofree char *lfp = tmp_path ("kinds-lfp.h5"), *png = tmp_path ("kinds.png");
  write_case (input, BASE);
  /* shank 0: four contacts 50 µm apart; shank 1: steps of 30 and 70 µm */
  g_assert_true (g_file_set_contents (probe, "0,0,0,0\n0,0,50,0\n0,0,100,0\n0,0,150,0\n"
                                             "200,0,0,1\n200,0,30,1\n200,0,100,1\n", -1, NULL));
  g_assert_cmpint (run_cli (NULL, "compute", input, "-o", lfp, "--electrodes", probe, NULL), ==, 0);
  const char *kinds[] = { "traces", "image", "csd", "psd" };
  gsize ink[G_N_ELEMENTS (kinds)];
  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      g_autofree char *err = NULL;
      g_remove (png);
      int status = run_cli (&err, "plot", lfp, "-o", png, "--kind", kinds[k], "--width", "700", "--height", "420", NULL);
      if (status != 0)
        g_error ("--kind %s: exit %d, %s", kinds[k], status, err);
      assert_figure (png, 700, 420);
      /* Only the CSD leaves a shank out, and says which and why. */
      gboolean said = strstr (err, "left out of the CSD: shank 1: contacts are not evenly spaced") != NULL;
      g_assert_cmpint (said, ==, strcmp (kinds[k], "csd") == 0);
      ink[k] = trace_ink_between (png, 80, 600);
      g_assert_cmpuint (ink[k], >, 200);
      g_assert_true (run_cli (NULL, "plot", lfp, "-o", png, "--kind", kinds[k], "--size", "1col", NULL) == 0);
      assert_figure (png, 1004, 709);
    }
  /* colour maps fill their panels; traces are lines */
  g_assert_cmpuint (ink[1], >, 3 * ink[0]);
  /* The spectra's title says their bins: the sampling rate over the
   * segment, the largest power of two (at least 8) of which 8 overlapping
   * by half fit in the samples, or all of them when fewer than 36 (README,
   * "psd"; these 20 samples are one segment). */
  gsize n_t, one;
  g_autofree double *t = read_output (lfp, "/lfp/t_ms", &n_t, &one);
  gsize segment = 8;
  while (4.5 * (2 * segment) <= n_t)
    segment *= 2;
  if (n_t < 36)
    segment = n_t;
  g_autofree char *title = g_strdup_printf ("\tPower spectra (Welch, %.3g Hz bins)\n",
                                            1000.0 / (t[1] - t[0]) / (double) segment);
  g_autofree char *boxes = tmp_path ("kinds-texts.tsv");
  g_setenv ("WSLFP_PLOT_TEXT_BOXES", boxes, TRUE);
  g_assert_cmpint (run_cli (NULL, "plot", lfp, "-o", png, "--kind", "psd", "--size", "1col", NULL), ==, 0);
  g_unsetenv ("WSLFP_PLOT_TEXT_BOXES");
  g_autofree char *texts = NULL;
  g_assert_true (g_file_get_contents (boxes, &texts, NULL, NULL));
  if (strstr (texts, title) == NULL)
    g_error ("no%s in the spectra's texts:\n%s", title, texts);
  g_remove (boxes);
  g_autofree char *err = NULL;
  g_assert_cmpint (run_cli (&err, "plot", lfp, "-o", png, "--kind", "csd", "--shanks", "1", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "no shank has a CSD; shank 1: contacts are not evenly spaced"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (&err, "plot", lfp, "-o", png, "--kind", "spectrum", NULL), ==, 2);
  g_assert_nonnull (strstr (err, "--kind expects traces, image, csd or psd"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (&err, "plot", input, "-o", png, "--kind", "csd", "--layout", NULL), ==, 2);
  g_assert_nonnull (strstr (err, "--kind is for LFP files"));
}

/* `wslfp plot` that cannot draw says why, naming the file, exits 1 and
 * leaves no figure: an input that is not there (layout, profile marks), a
 * network without contacts to mark on a profile, too short an LFP for
 * power spectra, an output folder that is not there. */
static void
test_cli_plot_failures (void)
{
  g_autofree char *input = tmp_path ("plotfail-in.h5"), *bare = tmp_path ("plotfail-bare.h5");
  g_autofree char *lfp = tmp_path ("plotfail-lfp.h5"), *png = tmp_path ("plotfail.png");
  g_autofree char *missing = tmp_path ("plotfail-missing.h5"), *nowhere = tmp_path ("no-such-folder/fig.png");
  write_case (input, BASE);
  write_case (bare, NO_ELECTRODES);
  /* an LFP of 3 samples: too short for Welch's segments */
  g_assert_cmpint (run_cli (NULL, "compute", input, "-o", lfp, "--t-eval", "0.5:0.8:0.1", NULL), ==, 0);
  const struct { const char *args[8]; const char *names, *fragment; } cases[] = {
    { { "plot", missing, "--layout", "-o", png }, missing, NULL },
    { { "plot", missing, "--profile", "aussel18", "-o", png }, missing, NULL },
    { { "plot", bare, "--profile", "aussel18", "-o", png }, bare, "electrode" },
    { { "plot", lfp, "--kind", "psd", "-o", png }, lfp, NULL },
    { { "plot", input, "--layout", "-o", nowhere }, nowhere, NULL },
    { { "plot", "--profile", "aussel18", "-o", nowhere }, nowhere, NULL },
    { { "plot", lfp, "-o", nowhere }, nowhere, NULL },
    /* a size below the smallest figure, in each kind of figure */
    { { "plot", lfp, "-o", png, "--width", "1" }, "1 × 640", "is out of range (16 … 20000 px)" },
    { { "plot", input, "--layout", "-o", png, "--width", "1" }, "1 × 700", "is out of range" },
    { { "plot", "--profile", "aussel18", "-o", png, "--height", "1" }, "640 × 1", "is out of range" },
  };
  for (guint k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      g_autofree char *err = NULL;
      g_remove (png);
      int status = run_cli_argv (&err, cases[k].args);
      if (status != 1 || strstr (err, cases[k].names) == NULL || !g_str_has_prefix (err, "wslfp plot: ")
          || (cases[k].fragment != NULL && strstr (err, cases[k].fragment) == NULL))
        g_error ("case %u: exit %d, \"%s\"; expected exit 1 naming %s%s%s", k, status, err, cases[k].names,
                 cases[k].fragment ? " and saying " : "", cases[k].fragment ? cases[k].fragment : "");
      g_assert_false (g_file_test (png, G_FILE_TEST_EXISTS));
    }
}

/* An LFP file records how it was made, and `info` shows it: the command,
 * the placed probe, the dendrite length, the input's path and size. */
static void
test_cli_lfp_provenance (void)
{
  g_autofree char *input = tmp_path ("prov-in.h5"), *probe = tmp_path ("prov probe.csv");
  g_autofree char *lfp = tmp_path ("prov-lfp.h5");
  write_case (input, BASE);
  g_assert_true (g_file_set_contents (probe, "0,0,0\n0,0,50\n", -1, NULL));
  g_assert_cmpint (run_cli (NULL, "compute", input, "-o", lfp, "--electrodes", probe, "--probe-offset-um", "0,0,10",
                            "--dendrite-length-um", "220", NULL), ==, 0);
  g_autofree char *err = NULL;
  g_assert_cmpint (run_cli (NULL, "info", lfp, NULL), ==, 0);
  GStatBuf st;
  g_assert_cmpint (g_stat (input, &st), ==, 0);
  g_autofree char *real_input = realpath (input, NULL), *real_probe = realpath (probe, NULL);
  g_autofree char *size_line = g_strdup_printf ("  input: %s (%" G_GINT64_FORMAT " bytes)\n", real_input, (gint64) st.st_size);
  g_autofree char *probe_line = g_strdup_printf ("  probe: %s, centre at 0,0,35 µm, azimuth 0°", real_probe);
  g_autofree char *command = g_strdup_printf ("  command: wslfp compute %s -o %s --electrodes '%s' --probe-offset-um 0,0,10 "
                                              "--dendrite-length-um 220\n", input, lfp, probe);
  const char *want[] = { "an LFP\n", "2 electrodes on 1 shank", "dendrite length 220 µm (set for the computation)",
                         size_line, probe_line, "  written by wslfp ", command };
  for (guint k = 0; k < G_N_ELEMENTS (want); k++)
    if (strstr (last_stdout, want[k]) == NULL)
      g_error ("info of an LFP file lacks \"%s\":\n%s", want[k], last_stdout);
  if (strstr (last_stdout, "kernel scale") != NULL || strstr (last_stdout, "evaluation times: the input's sample times\n") == NULL)
    g_error ("info of an LFP of currents, at their times:\n%s", last_stdout);
  /* from spikes: the kernel's scale and the evaluation times given */
  g_assert_cmpint (run_cli (NULL, "compute", input, "-o", lfp, "--from-spikes", "--kernel", "unit", "--t-eval", "0:4:0.5",
                            NULL), ==, 0);
  g_assert_cmpint (run_cli (NULL, "info", lfp, NULL), ==, 0);
  if (strstr (last_stdout, "  kernel scale: unit\n  evaluation times: 0:4:0.5") == NULL)
    g_error ("info of an LFP from spikes lacks its kernel scale and times:\n%s", last_stdout);
  /* A dataset's contacts: their centre as the Explorer places a probe by
   * it (the middle of their extent; it printed each shank's last contact
   * as its x and y), and each shank's ranges. */
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (&err, "info", input, NULL), ==, 0);
  const char *dataset_want[] = { "  electrodes: 2 on 2 shanks, centre at 25, 0, 0 µm\n",
                                 "    shank 1: 1 contacts at x = 50, y = 0, z = -100 µm\n" };
  for (guint k = 0; k < G_N_ELEMENTS (dataset_want); k++)
    if (strstr (last_stdout, dataset_want[k]) == NULL)
      g_error ("info of a dataset lacks \"%s\":\n%s", dataset_want[k], last_stdout);
  /* Telling LFP files from datasets says nothing about other files. */
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (&err, "info", probe, NULL), ==, 1);
  g_assert_null (strstr (err, "HDF5-DIAG"));
  g_assert_nonnull (strstr (err, "not an HDF5 file"));
}

/* The Fig. 2B grid as a CSV, its rows in reverse order, amplitudes times
 * @scale. */
static char *
write_grid_csv (const char *name, double scale)
{
  g_autofree char *src = wslfp_test_data_path ("mazzoni15_fig2b_grid.csv");
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (src, &text, NULL, NULL));
  g_auto (GStrv) lines = g_strsplit (g_strstrip (text), "\n", -1);
  guint n = g_strv_length (lines);
  g_autoptr (GString) out = g_string_new ("r_um,d_um,amp_uV\n");
  for (guint i = n - 1; i >= 1; i--)
    {
      g_auto (GStrv) f = g_strsplit (lines[i], ",", 3);
      char buf[G_ASCII_DTOSTR_BUF_SIZE];
      g_string_append_printf (out, "%s,%s,%s\n", f[0], f[1],
                              g_ascii_dtostr (buf, sizeof buf, scale * g_ascii_strtod (f[2], NULL)));
    }
  char *path = tmp_path (name);
  g_assert_true (g_file_set_contents (path, out->str, -1, NULL));
  return path;
}

/* --profile GRID.csv: the Fig. 2B grid as a file reproduces the Python
 * package's mazzoni15 numbers, in any row order, and scales with the grid;
 * bad grids are refused with the line or point at fault. */
static void
test_cli_custom_profile (void)
{
  g_autofree char *input = wslfp_test_data_path ("small_case.h5");
  g_autofree char *out = tmp_path ("custom-out.h5");
  g_autofree char *t_eval = arange_of ("/expected/t_eval_ms");
  g_autofree char *err = NULL;
  gsize rows, cols, er, ec;
  g_autofree double *want = wslfp_test_read ("small_case.h5", "/expected/mazzoni15/raw", &er, &ec);
  const double scales[] = { 1.0, -2.5 };
  for (guint k = 0; k < G_N_ELEMENTS (scales); k++)
    {
      g_autofree char *grid = write_grid_csv ("grid.csv", scales[k]);
      g_clear_pointer (&err, g_free);
      int status = run_cli (&err, "compute", input, "-o", out, "--profile", grid, "--t-eval", t_eval, "--no-normalize",
                            NULL);
      if (status != 0)
        g_error ("compute --profile %s: exit %d: %s", grid, status, err);
      g_autofree double *got = read_lfp (out, &rows, &cols);
      g_assert_cmpuint (rows * cols, ==, er * ec);
      for (gsize i = 0; i < rows * cols; i++)
        got[i] /= scales[k];
      g_assert_cmpfloat (wslfp_test_rel_error (got, want, rows * cols), <=, 1e-9);
    }
  g_autofree char *png = tmp_path ("custom-profile.png");
  g_clear_pointer (&err, g_free);
  g_autofree char *grid = write_grid_csv ("grid.csv", 1.0);
  g_assert_cmpint (run_cli (&err, "plot", "--profile", grid, input, "-o", png, NULL), ==, 0);
  assert_figure (png, 640, 640);

  struct { const char *text; const char *fragment; } bad[] = {
    { "r_um,d_um,amp_uV\n0,0,1\n0,10,2\n5,0,3\n", "no point r = 5, d = 10" },
    { "0,0,1\n0,10,2\n5,0,3\n5,10,4\n0,10,9\n", "line 5: the point r = 0, d = 10 µm is already on line 2" },
    { "0,0,1\n0,10,2\n-5,0,3\n-5,10,4\n", "line 3: r_um and d_um must be >= 0" },
    { "0,0,1\n0,10,two\n5,0,3\n5,10,4\n", "line 2: expected r_um,d_um,amp_uV" },
    { "0,0,1\n0,10,nan\n5,0,3\n5,10,4\n", "line 2" },
    { "0,0,1\n0,10,2\n", "1 value of r_um" },
    { "# nothing\n", "no rows" },
  };
  for (guint k = 0; k < G_N_ELEMENTS (bad); k++)
    {
      g_autofree char *path = tmp_path ("bad-grid.csv");
      g_assert_true (g_file_set_contents (path, bad[k].text, -1, NULL));
      g_clear_pointer (&err, g_free);
      g_unlink (out);
      int status = run_cli (&err, "compute", input, "-o", out, "--profile", path, NULL);
      if (status != 1 || strstr (err, bad[k].fragment) == NULL || strstr (err, "bad-grid.csv") == NULL)
        g_error ("bad grid %u: exit %d, \"%s\"; expected 1 and \"%s\"", k, status, err, bad[k].fragment);
      g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
    }

  /* 10⁵ distinct r and d (a diagonal): a grid of 10¹⁰ points (80 GB) that
   * 10⁵ rows cannot fill, refused before anything that size is allocated. */
  g_autoptr (GString) diagonal = g_string_new (NULL);
  for (int i = 0; i < 100000; i++)
    g_string_append_printf (diagonal, "%d,%d,1\n", i, i);
  g_autofree char *huge = tmp_path ("diagonal-grid.csv");
  g_assert_true (g_file_set_contents (huge, diagonal->str, -1, NULL));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (&err, "compute", input, "-o", out, "--profile", huge, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "100000 values of r_um × 100000 of d_um need a row per point"));
}

static void
test_cli_usage (void)
{
  g_autofree char *input = tmp_path ("input-usage.h5");
  g_autofree char *err = NULL;
  write_case (input, BASE);
  struct { const char *args[8]; const char *fragment; } cases[] = {
    { { "compute", input, NULL }, "missing -o" },
    { { "compute", input, "-o", "x.h5", "--profile", "mazoni" }, "unknown profile \"mazoni\"" },
    { { "compute", input, "-o", "x.h5", "--t-eval", "1:2" }, "START:STOP:STEP" },
    { { "compute", input, "-o", "x.h5", "--t-eval", "5:5:1" }, "STOP > START" },
    { { "compute", input, "-o", "x.h5", "--t-eval", "5:3:1" }, "STOP > START" },
    { { "compute", input, "-o", "x.h5", "--t-eval", "1:3:0" }, "STEP must be > 0" },
    { { "compute", input, input, "-o", "x.h5" }, "expected one input file, got 2" },
    { { "plot", input, input, "-o", "x.png" }, "expected one FILE" },
    { { "compute", input, "-o", "x.h5", "--dendrite-length-um", "-3" }, "--dendrite-length-um" },
    { { "compute", input, "-o", "x.h5", "--kernel", "peak" }, "--from-spikes" },
    { { "compute", input, "-o", "x.h5", "--bogus" }, "Unknown option --bogus" },
    { { "compute", input, "-o", "x.h5", "--precision", "single" }, "--precision must be auto or double" },
    { { "compute", input, "-o", "x.h5", "--threads", "-2" }, "--threads must be between 1 and 256" },
    { { "plot", input, "-o", "x.gif" }, "must end in .png, .svg or .pdf" },
    { { "demo", "-o", "x.h5", "--neurons", "-5" }, "--neurons" },
    { { "frobnicate" }, "unknown command" },
    { { "demo", "-o", "x.h5", "extra" }, "" },
    { { "info", input, input }, "" },
    /* a number option given "nan" (NaN stands for "not given": it was
     * quietly the default), or infinity */
    { { "compute", input, "-o", "x.h5", "--alpha", "nan" }, "--alpha must be a number, not \"nan\"" },
    { { "compute", input, "-o", "x.h5", "--tau-ampa-ms=NaN" }, "--tau-ampa-ms must be a number, not \"NaN\"" },
    { { "compute", input, "-o", "x.h5", "--tau-gaba-ms", "-nan" }, "--tau-gaba-ms must be a number" },
    { { "compute", input, "-o", "x.h5", "--alpha", "inf" }, "--alpha and the delays must be finite numbers" },
    { { "compute", input, "-o", "x.h5", "--tau-ampa-ms", "-inf" }, "--alpha and the delays must be finite numbers" },
    { { "compute", input, "-o", "x.h5", "--kernel", "bogus" }, "--kernel must be peak, ode or unit, not \"bogus\"" },
    { { "demo", "--neurons", "10" }, "missing -o DEMO.h5" },
    { { "demo", "-o", "x.h5", "--duration-ms", "0" }, "--duration-ms must be in (0, 600000]" },
    { { "demo", "-o", "x.h5", "--duration-ms", "600000.5" }, "--duration-ms must be in (0, 600000]" },
    { { "demo", "-o", "x.h5", "--duration-ms", "nan" }, "--duration-ms must be a number" },
    { { "demo", "-o", "x.h5", "--seed", "-1" }, "--seed must be >= 0" },
    { { "plot", input, "--layout", "--profile", "mazzoni15", "-o", "x.png" }, "--layout and --profile are separate figures" },
    { { "plot", input, "--gain", "0", "-o", "x.png" }, "--gain must be a positive number" },
    { { "plot", input, "--width", "nan", "-o", "x.png" }, "--width must be a number" },
    { { "plot", input, "--layout" }, "missing -o FIG.png, FIG.svg or FIG.pdf" },
    { { "plot", input, "--layout", "--view", "sideways", "-o", "x.png" }, "--view expects front, side, top or AZIMUTH,ELEVATION" },
    { { "plot", input, "--layout", "--view", "10,20x", "-o", "x.png" }, "--view expects front, side, top or AZIMUTH,ELEVATION" },
    { { "plot", input, "--layout", "--view", "10", "-o", "x.png" }, "--view expects front, side, top or AZIMUTH,ELEVATION" },
    { { "convert" }, "expected one SONATA config (CONFIG.json), got 0 inputs" },
    { { "convert", "a.json", "b.json", "-o", "x.h5" }, "expected one SONATA config (CONFIG.json), got 2 inputs" },
    { { "convert", "a.json" }, "missing -o OUT.h5" },
    { { "convert", input, "-o", "x.h5" }, "is not a SONATA config (a .json file)" },
  };
  for (guint k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      const char **a = cases[k].args;
      g_clear_pointer (&err, g_free);
      int status = run_cli_argv (&err, a);
      if (status != 2 || strstr (err, cases[k].fragment) == NULL)
        g_error ("usage case %u: exit %d, \"%s\"; expected 2 and \"%s\"", k, status, err, cases[k].fragment);
    }
  g_autofree char *none = tmp_path ("x.h5");
  g_assert_false (g_file_test (none, G_FILE_TEST_EXISTS));
  /* a view past the pole is the view from the pole */
  const char *views[] = { "10,95", "10,90", "10,80" };
  GBytes *pictures[3];
  for (int k = 0; k < 3; k++)
    {
      g_autofree char *png = g_strdup_printf ("view-%d.png", k);
      g_autofree char *path = tmp_path (png);
      g_autofree char *data = NULL;
      gsize len;
      g_clear_pointer (&err, g_free);
      g_assert_cmpint (run_cli (&err, "plot", input, "--layout", "--view", views[k], "-o", png, NULL), ==, 0);
      g_assert_true (g_file_get_contents (path, &data, &len, NULL));
      pictures[k] = g_bytes_new_take (g_steal_pointer (&data), len);
    }
  g_assert_true (g_bytes_equal (pictures[0], pictures[1]));
  g_assert_false (g_bytes_equal (pictures[1], pictures[2]));
  for (int k = 0; k < 3; k++)
    g_bytes_unref (pictures[k]);
  /* an output that cannot be: a folder, or in a folder that is not there */
  g_autofree char *missing = g_build_filename (tmp_dir, "no-such-folder", "x.h5", NULL);
  g_autofree char *in_missing = g_strdup_printf ("%s: the folder %s%cno-such-folder does not exist", missing, tmp_dir,
                                                 G_DIR_SEPARATOR);
  const struct { const char *output, *fragment; } outputs[] = {
    { tmp_dir, "is a folder, not a file name" },
    { missing, in_missing },
  };
  for (guint k = 0; k < G_N_ELEMENTS (outputs); k++)
    {
      g_clear_pointer (&err, g_free);
      int status = run_cli (&err, "compute", input, "-o", outputs[k].output, NULL);
      if (status != 1 || strstr (err, outputs[k].fragment) == NULL)
        g_error ("-o %s: exit %d, \"%s\"; expected 1 and \"%s\"", outputs[k].output, status, err, outputs[k].fragment);
    }
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (&err, "compute", "--help", NULL), ==, 0);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (&err, "--help", NULL), ==, 0);
}

/* Every option each command takes is in its --help (none hidden), which
 * is printable text. */
static void
test_cli_help_lists_options (void)
{
  const struct { const char *command, *options; } commands[] = {
    { "info", "sources spikes nest-id-offset" },
    { "compute", "output proxy tklfp-sigma-ms tklfp-lambda-mm tklfp-velocity-m-s tklfp-delay-ms profile population alpha "
                 "tau-ampa-ms tau-gaba-ms no-normalize strict t-eval from-spikes kernel tau-exc-ms tau-inh-ms "
                 "electrodes probe-offset-um probe-rotate-deg dendrite-length-um precision threads sources spikes "
                 "nest-id-offset" },
    { "demo", "output neurons duration-ms seed" },
    { "plot", "output kind shanks t-range title gain layout view profile width height size font-size dpi" },
    { "convert", "output sources spikes nest-id-offset" },
  };
  for (guint k = 0; k < G_N_ELEMENTS (commands); k++)
    {
      g_assert_cmpint (run_cli (NULL, commands[k].command, "--help", NULL), ==, 0);
      /* printable text: no option has a control character for its short
       * name ("-\001, --kernel") */
      for (const char *c = last_stdout; *c; c++)
        if ((guchar) *c < 0x20 && *c != '\n')
          g_error ("wslfp %s --help has byte %d at %zd:\n%s", commands[k].command, *c, c - last_stdout, last_stdout);
      g_auto (GStrv) options = g_strsplit (commands[k].options, " ", -1);
      for (char **o = options; *o != NULL; o++)
        {
          g_autofree char *listed = g_strdup_printf ("--%s", *o);
          if (strstr (last_stdout, listed) == NULL)
            g_error ("wslfp %s --help does not list %s:\n%s", commands[k].command, listed, last_stdout);
        }
    }
}

/* A probeinterface probe gives the same LFP, positions and shanks as a
 * CSV of the same contacts (2-D: x → x, y → z); the placement options move
 * and turn it as documented; broken probes and misuse get clear errors. */
static void
test_cli_probe_json (void)
{
  g_autofree char *input = wslfp_test_data_path ("brian_small.h5");
  g_autofree char *json = wslfp_test_data_path ("probes/A4x8-5mm-100-200-177.json");
  g_autofree char *csv = tmp_path ("a4x8.csv");
  /* The same contacts written by hand from the published layout: 4 shanks
   * 200 µm apart, 8 contacts 100 µm apart. */
  g_autoptr (GString) text = g_string_new ("x_um,y_um,z_um,shank\n");
  for (int s = 0; s < 4; s++)
    for (int j = 0; j < 8; j++)
      g_string_append_printf (text, "%d,0,%d,%d\n", 200 * s, 100 * j, s);
  g_assert_true (g_file_set_contents (csv, text->str, -1, NULL));
  g_autofree char *out_json = tmp_path ("probe-json.h5"), *out_csv = tmp_path ("probe-csv.h5");
  g_autofree char *err = NULL;
  g_assert_cmpint (run_cli (&err, "compute", input, "-o", out_json, "--electrodes", json, NULL), ==, 0);
  g_assert_cmpint (run_cli (NULL, "compute", input, "-o", out_csv, "--electrodes", csv, NULL), ==, 0);
  const char *datasets[] = { "/lfp/uV", "/electrodes/xyz_um", "/electrodes/shank" };
  gsize rows, cols, r2, c2;
  for (guint i = 0; i < G_N_ELEMENTS (datasets); i++)
    {
      g_autofree double *a = read_output (out_json, datasets[i], &rows, &cols);
      g_autofree double *b = read_output (out_csv, datasets[i], &r2, &c2);
      g_assert_cmpuint (rows * cols, ==, r2 * c2);
      g_assert_cmpmem (a, rows * cols * sizeof (double), b, r2 * c2 * sizeof (double));
    }
  g_autofree double *shank = read_output (out_json, "/electrodes/shank", &rows, &cols);
  g_assert_cmpuint (rows, ==, 32);
  g_assert_cmpfloat (shank[8], ==, 1);
  g_assert_cmpfloat (shank[31], ==, 3);

  /* Moved by (10, 20, 30) and turned a quarter about the vertical through
   * the contacts' centre (300, 0, 350): (x, y, z) → (300 − y, x − 300, z). */
  g_autofree char *out_placed = tmp_path ("probe-placed.h5");
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (&err, "compute", input, "-o", out_placed, "--electrodes", json, "--probe-offset-um",
                            "10,20,30", "--probe-rotate-deg", "90,0,0", NULL), ==, 0);
  g_autofree double *xyz = read_output (out_placed, "/electrodes/xyz_um", &rows, &cols);
  for (int s = 0; s < 4; s++)
    for (int j = 0; j < 8; j++)
      {
        const double *p = xyz + 3 * (8 * s + j);
        g_assert_cmpfloat_with_epsilon (p[0], 300 + 10, 1e-9);
        g_assert_cmpfloat_with_epsilon (p[1], 200 * s - 300 + 20, 1e-9);
        g_assert_cmpfloat_with_epsilon (p[2], 100 * j + 30, 1e-9);
      }

  g_autofree char *broken = tmp_path ("broken-probe.json");
  g_assert_true (g_file_set_contents (broken, "{\"probes\": [{\"ndim\": 2, \"contact_positions\": [[0, 0], [1]]}]}", -1, NULL));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (&err, "compute", input, "-o", out_placed, "--electrodes", broken, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "contact_positions[1]"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (&err, "compute", input, "-o", out_placed, "--probe-offset-um", "1,2,3", NULL), ==, 2);
  g_assert_nonnull (strstr (err, "--electrodes"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (&err, "compute", input, "-o", out_placed, "--electrodes", json, "--probe-rotate-deg", "90,0",
                            NULL), ==, 2);
  g_assert_nonnull (strstr (err, "AZ,TILT,ROLL"));
}

/* ---- TKLFP (--proxy tklfp) ---- */

/* Variants of a TKLFP dataset: one defect each. */
typedef enum { TK_OK, TK_NO_POSITIONS, TK_PARTIAL_NAN, TK_ZERO_ORIENTATION, TK_SPIKE_OUTSIDE, TK_SPIKES_UNPLACED,
               TK_XYZ_TWO_COLUMNS, TK_ORIENTATION_SHORT, TK_NO_ELECTRODES } TkCase;

/* tklfp_reference.h5's @network as a dataset: its excitatory cells in
 * /spikes/exc, its inhibitory cells in /spikes/inh (their spikes renumbered),
 * contacts and cells in µm; one extra excitatory cell without a position
 * (NaN) that spikes and must be left out. */
static void
write_tklfp_case (const char *path, const char *network, TkCase c)
{
  gsize n_cells, n_elec, n_spikes, cols;
  g_autofree char *p_cells = g_strdup_printf ("/%s/cells_mm", network);
  g_autofree char *p_elec = g_strdup_printf ("/%s/electrodes_mm", network);
  g_autofree char *p_exc = g_strdup_printf ("/%s/excitatory", network);
  g_autofree char *p_orient = g_strdup_printf ("/%s/orientation", network);
  g_autofree char *p_t = g_strdup_printf ("/%s/spikes/t_ms", network);
  g_autofree char *p_i = g_strdup_printf ("/%s/spikes/i", network);
  g_autofree double *cells = wslfp_test_read ("tklfp_reference.h5", p_cells, &n_cells, &cols);
  g_autofree double *elec = wslfp_test_read ("tklfp_reference.h5", p_elec, &n_elec, &cols);
  g_autofree double *exc = wslfp_test_read ("tklfp_reference.h5", p_exc, &n_cells, NULL);
  gsize n_orient;   /* one shared orientation, or one per cell */
  g_autofree double *orient = wslfp_test_read ("tklfp_reference.h5", p_orient, &n_orient, &cols);
  g_autofree double *t = wslfp_test_read ("tklfp_reference.h5", p_t, &n_spikes, NULL);
  g_autofree gint64 *who = wslfp_test_read_int ("tklfp_reference.h5", p_i, &n_spikes);

  hid_t f = H5Fcreate (path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  for (gsize k = 0; k < 3 * n_elec; k++)
    elec[k] *= 1000;
  hsize_t e_dims[2] = { n_elec, 3 }, one[2] = { 1, 3 };
  if (c != TK_NO_ELECTRODES)
    put (f, "/electrodes/xyz_um", 2, e_dims, H5T_IEEE_F64LE, elec);
  double source[3] = { 0, 0, 0 };
  put (f, "/sources/xyz_um", 2, one, H5T_IEEE_F64LE, source);
  for (int g = 0; g < 2; g++)
    {
      /* the group's cells in the network's order; the extra cell last */
      g_autofree gint64 *index = g_new (gint64, n_cells);
      g_autoptr (GArray) xyz = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr (GArray) dir = g_array_new (FALSE, FALSE, sizeof (double));
      gsize m = 0;
      for (gsize n = 0; n < n_cells; n++)
        {
          index[n] = -1;
          if ((exc[n] != 0) != (g == 0))
            continue;
          index[n] = m++;
          for (int a = 0; a < 3; a++)
            {
              double um = 1000 * cells[3 * n + a];
              g_array_append_val (xyz, um);
              g_array_append_val (dir, orient[3 * (n_orient == 1 ? 0 : n) + a]);
            }
        }
      g_autoptr (GArray) ts = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr (GArray) is = g_array_new (FALSE, FALSE, sizeof (gint64));
      for (gsize k = 0; k < n_spikes; k++)
        if (index[who[k]] >= 0)
          {
            g_array_append_val (ts, t[k]);
            g_array_append_val (is, index[who[k]]);
          }
      if (g == 0)
        {
          double nan3[3] = { NAN, NAN, NAN }, up[3] = { 0, 0, 1 }, when = 50;
          g_array_append_vals (xyz, nan3, 3);
          g_array_append_vals (dir, up, 3);
          g_array_append_val (ts, when);
          g_array_append_val (is, m);
          m++;
        }
      if (g == 0 && c == TK_PARTIAL_NAN)
        g_array_index (xyz, double, 3 * 2 + 1) = NAN;
      if (g == 1 && c == TK_ZERO_ORIENTATION)
        memset (&g_array_index (dir, double, 3 * 1), 0, 3 * sizeof (double));
      if (g == 1 && c == TK_SPIKE_OUTSIDE)
        g_array_index (is, gint64, 0) = (gint64) m;
      /* every spike the unplaced cell's, none of the inhibitory cells' */
      for (guint k = 0; c == TK_SPIKES_UNPLACED && g == 0 && k < is->len; k++)
        g_array_index (is, gint64, k) = (gint64) m - 1;
      if (c == TK_SPIKES_UNPLACED && g == 1)
        {
          g_array_set_size (ts, 0);
          g_array_set_size (is, 0);
        }
      const char *name = g == 0 ? "exc" : "inh";
      g_autofree char *pt = g_strdup_printf ("/spikes/%s/t_ms", name);
      g_autofree char *pi = g_strdup_printf ("/spikes/%s/i", name);
      g_autofree char *px = g_strdup_printf ("/spikes/%s/xyz_um", name);
      g_autofree char *po = g_strdup_printf ("/spikes/%s/orientation", name);
      hsize_t k_dims[1] = { ts->len }, c_dims[2] = { m, 3 };
      put (f, pt, 1, k_dims, H5T_IEEE_F64LE, ts->data);
      put (f, pi, 1, k_dims, H5T_STD_I64LE, is->data);
      hsize_t two_dims[2] = { m, 2 }, short_dims[2] = { 2, 3 };
      if (c != TK_NO_POSITIONS)
        {
          /* (wrong shapes: the inhibitory cells' x and y only; two
           * directions for the six excitatory cells) */
          put (f, px, 2, g == 1 && c == TK_XYZ_TWO_COLUMNS ? two_dims : c_dims, H5T_IEEE_F64LE, xyz->data);
          put (f, po, 2, g == 0 && c == TK_ORIENTATION_SHORT ? short_dims : c_dims, H5T_IEEE_F64LE, dir->data);
        }
    }
  H5Fclose (f);
}

/* The LFP of @network's spikes written out from the tklfp package's
 * amplitudes (λ = 0.2 mm) and delays (10.4 ms + dist / 0.2 m/s), for other
 * settings: A · e^(dist/0.2 − dist/λ), δ = @delay + dist / @va. */
static double *
tklfp_written_out (const char *network, const double *t_eval, gsize n_eval, double sigma_exc, double sigma_inh,
                   double lambda, double va, double delay, gsize *n_elec_out)
{
  gsize n_elec, n_cells, n_spikes;
  g_autofree char *p_amp = g_strdup_printf ("/%s/expected/amplitude_uV", network);
  g_autofree char *p_delay = g_strdup_printf ("/%s/expected/delay_ms", network);
  g_autofree char *p_exc = g_strdup_printf ("/%s/excitatory", network);
  g_autofree char *p_t = g_strdup_printf ("/%s/spikes/t_ms", network);
  g_autofree char *p_i = g_strdup_printf ("/%s/spikes/i", network);
  g_autofree double *amp = wslfp_test_read ("tklfp_reference.h5", p_amp, &n_elec, &n_cells);
  g_autofree double *del = wslfp_test_read ("tklfp_reference.h5", p_delay, &n_elec, &n_cells);
  g_autofree double *exc = wslfp_test_read ("tklfp_reference.h5", p_exc, &n_cells, NULL);
  g_autofree double *t = wslfp_test_read ("tklfp_reference.h5", p_t, &n_spikes, NULL);
  g_autofree gint64 *who = wslfp_test_read_int ("tklfp_reference.h5", p_i, &n_spikes);
  double *lfp = g_new0 (double, n_eval * n_elec);
  for (gsize e = 0; e < n_elec; e++)
    for (gsize k = 0; k < n_spikes; k++)
      {
        gsize n = who[k];
        double dist = (del[e * n_cells + n] - 10.4) * 0.2;   /* mm: δ = 10.4 + dist / (0.2 mm/ms) */
        double a = amp[e * n_cells + n] * exp (dist / 0.2 - dist / lambda);
        double d = delay + dist / va, s = exc[n] != 0 ? sigma_exc : sigma_inh;
        for (gsize j = 0; j < n_eval; j++)
          {
            double x = t_eval[j] - t[k] - d;
            lfp[j * n_elec + e] += a * exp (-x * x / (2 * s * s));
          }
      }
  *n_elec_out = n_elec;
  return lfp;
}

/* --proxy tklfp: the tklfp package's LFP of random networks (both types,
 * tilted cells, contacts all round) to 1e-12, from a dataset's spikes and
 * cells; other settings against the sum written out; info says what a file
 * supports and what an LFP was computed with; bad cells and misuse get
 * errors that name the dataset or option. */
static void
test_cli_tklfp (void)
{
  g_autofree char *input = tmp_path ("tklfp-in.h5"), *out = tmp_path ("tklfp-out.h5");
  g_autofree char *err = NULL;
  write_tklfp_case (input, "network1", TK_OK);
  g_assert_cmpint (run_cli (&err, "compute", input, "-o", out, "--proxy", "tklfp", "--t-eval", "-5:259.9:0.25", NULL), ==, 0);
  gsize rows, cols, er, ec;
  g_autofree double *got = read_lfp (out, &rows, &cols);
  g_autofree double *want = wslfp_test_read ("tklfp_reference.h5", "/network1/expected/lfp_uV", &er, &ec);
  g_assert_cmpuint (rows, ==, er);
  g_assert_cmpuint (cols, ==, ec);
  double rel = wslfp_test_rel_error (got, want, rows * cols);
  if (rel > 1e-12)
    g_error ("TKLFP of network1 differs from the tklfp package by %g of its peak", rel);

  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (&err, "info", input, NULL), ==, 0);
  if (strstr (last_stdout, "TKLFP (--proxy tklfp): the spikes of 90 excitatory and 30 inhibitory cells with positions") == NULL)
    g_error ("info of a TKLFP dataset:\n%s", last_stdout);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (&err, "info", out, NULL), ==, 0);
  if (strstr (last_stdout, "proxy TKLFP (Teleńczuk et al. 2020), from spikes: σ_exc 3.15 ms, σ_inh 2.1 ms, λ 0.2 mm, "
                           "v_a 0.2 m/s, delay 10.4 ms") == NULL)
    g_error ("info of a TKLFP LFP:\n%s", last_stdout);

  /* every setting changed, and read back from the LFP file */
  g_autofree char *input0 = tmp_path ("tklfp-in0.h5");
  write_tklfp_case (input0, "network0", TK_OK);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (&err, "compute", input0, "-o", out, "--proxy", "tklfp", "--t-eval", "0:240:0.5",
                            "--tklfp-sigma-ms", "4.5,1.25", "--tklfp-lambda-mm", "0.35", "--tklfp-velocity-m-s", "0.45",
                            "--tklfp-delay-ms", "3.5", NULL), ==, 0);
  g_autofree double *got0 = read_lfp (out, &rows, &cols);
  g_autofree double *t_eval = g_new (double, rows);
  for (gsize j = 0; j < rows; j++)
    t_eval[j] = 0.5 * j;
  gsize n_elec;
  g_autofree double *want0 = tklfp_written_out ("network0", t_eval, rows, 4.5, 1.25, 0.35, 0.45, 3.5, &n_elec);
  g_assert_cmpuint (rows, ==, 480);
  g_assert_cmpuint (cols, ==, n_elec);
  rel = wslfp_test_rel_error (got0, want0, rows * cols);
  if (rel > 1e-10)
    g_error ("TKLFP with other settings differs from the sum written out by %g of its peak", rel);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (&err, "info", out, NULL), ==, 0);
  g_assert_nonnull (strstr (last_stdout, "σ_exc 4.5 ms, σ_inh 1.25 ms, λ 0.35 mm, v_a 0.45 m/s, delay 3.5 ms"));

  /* a file of spikes only: its default times run every 0.1 ms from 0
   * until the last spike's uLFP, peaking after the delay, is 5 σ_exc past */
  {
    g_autofree char *input2 = tmp_path ("tklfp-in2.h5");
    write_tklfp_case (input2, "network2", TK_OK);
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (run_cli (&err, "compute", input2, "-o", out, "--proxy", "tklfp", NULL), ==, 0);
    gsize n_t, one, n_spk;
    g_autofree double *t = read_output (out, "/lfp/t_ms", &n_t, &one);
    g_autofree double *spk = wslfp_test_read ("tklfp_reference.h5", "/network2/spikes/t_ms", &n_spk, NULL);
    double last = 50; /* the unplaced cell's spike */
    for (gsize k = 0; k < n_spk; k++)
      last = fmax (last, spk[k]);
    double end = last + 10.4 + 5 * 1.5 * 2.1;
    g_assert_cmpfloat (t[0], ==, 0);
    g_assert_cmpfloat (fabs (t[1] - 0.1), <, 1e-12);
    if (!(t[n_t - 1] >= end - 0.1 && t[n_t - 1] <= end + 0.1))
      g_error ("a spikes-only file's TKLFP ends at %g ms; expected %g ± 0.1", t[n_t - 1], end);
  }

  /* bad cells: exit 1, naming the file and dataset; nothing written */
  struct { TkCase c; const char *fragment; } bad[] = {
    { TK_NO_POSITIONS, "no spiking cell has a position" },
    { TK_PARTIAL_NAN, "/spikes/exc/xyz_um[2] = (" },
    { TK_ZERO_ORIENTATION, "/spikes/inh/orientation[1] = (0, 0, 0) is not a direction" },
    { TK_SPIKE_OUTSIDE, "/spikes/inh/i[" },
    { TK_SPIKES_UNPLACED, "spikes is of a cell with a position" },
    { TK_XYZ_TWO_COLUMNS, "/spikes/inh/xyz_um has shape (" },
    { TK_ORIENTATION_SHORT, "/spikes/exc/orientation has shape (2, 3); expected (3,) or (6, 3)" },
  };
  g_autofree char *bad_in = tmp_path ("tklfp-bad.h5"), *bad_out = tmp_path ("tklfp-bad-out.h5");
  for (guint k = 0; k < G_N_ELEMENTS (bad); k++)
    {
      write_tklfp_case (bad_in, "network2", bad[k].c);
      g_clear_pointer (&err, g_free);
      int status = run_cli (&err, "compute", bad_in, "-o", bad_out, "--proxy", "tklfp", NULL);
      if (status != 1 || strstr (err, bad[k].fragment) == NULL || strstr (err, bad_in) == NULL)
        g_error ("TKLFP bad case %u: exit %d, \"%s\"; expected 1 and \"%s\"", k, status, err, bad[k].fragment);
      /* the position shown is the file's: finite x and z, y not a number */
      if (bad[k].c == TK_PARTIAL_NAN
          && !g_regex_match_simple ("xyz_um\\[2\\] = \\(-?[0-9.]+(e[-+][0-9]+)?, nan, -?[0-9.]+(e[-+][0-9]+)?\\): a position "
                                    "is three finite numbers", err, 0, 0))
        g_error ("TKLFP bad case %u: the position in \"%s\" is not (x, nan, z)", k, err);
      g_assert_false (g_file_test (bad_out, G_FILE_TEST_EXISTS));
      /* info still describes the file, and says why TKLFP cannot be had */
      g_clear_pointer (&err, g_free);
      g_assert_cmpint (run_cli (&err, "info", bad_in, NULL), ==, 0);
      if (strstr (last_stdout, "TKLFP (--proxy tklfp): no: ") == NULL || strstr (last_stdout, bad[k].fragment) == NULL)
        g_error ("info of TKLFP bad case %u:\n%s", k, last_stdout);
    }
  /* cells but no contacts: a probe is needed, and one given serves */
  write_tklfp_case (bad_in, "network2", TK_NO_ELECTRODES);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (&err, "compute", bad_in, "-o", bad_out, "--proxy", "tklfp", NULL), ==, 1);
  g_autofree char *no_probe = g_strdup_printf ("%s has no electrodes: give a probe (--electrodes)", bad_in);
  if (strstr (err, no_probe) == NULL)
    g_error ("TKLFP without contacts: \"%s\"", err);
  g_assert_false (g_file_test (bad_out, G_FILE_TEST_EXISTS));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (&err, "compute", bad_in, "-o", bad_out, "--proxy", "tklfp", "--electrodes",
                            "preset:tetrode", NULL), ==, 0);
  g_unlink (bad_out);

  /* misuse: exit 2 naming the option */
  struct { const char *args[4]; const char *fragment; } usage[] = {
    { { "--proxy", "tkflp" }, "--proxy must be wslfp or tklfp, not \"tkflp\"" },
    { { "--proxy", "tklfp", "--tklfp-sigma-ms", "3" }, "--tklfp-sigma-ms expects EXC,INH" },
    { { "--proxy", "tklfp", "--tklfp-sigma-ms", "3,0" }, "--tklfp-sigma-ms expects EXC,INH" },
    { { "--proxy", "tklfp", "--tklfp-sigma-ms", "3,2,1" }, "--tklfp-sigma-ms expects EXC,INH" },
    { { "--proxy", "tklfp", "--tklfp-sigma-ms", "3,2x" }, "--tklfp-sigma-ms expects EXC,INH" },
    { { "--proxy", "tklfp", "--tklfp-lambda-mm", "0" }, "--tklfp-lambda-mm must be a finite number > 0" },
    { { "--proxy", "tklfp", "--tklfp-velocity-m-s", "-1" }, "--tklfp-velocity-m-s must be a finite number > 0" },
    { { "--proxy", "tklfp", "--tklfp-delay-ms", "inf" }, "--tklfp-delay-ms must be a finite number" },
    { { "--tklfp-lambda-mm", "0.3" }, "the --tklfp-* settings need --proxy tklfp" },
    { { "--proxy", "tklfp", "--alpha", "2" }, "--alpha is a WSLFP setting" },
    { { "--proxy", "tklfp", "--from-spikes" }, "--from-spikes is a WSLFP setting" },
  };
  for (guint k = 0; k < G_N_ELEMENTS (usage); k++)
    {
      const char **a = usage[k].args;
      g_clear_pointer (&err, g_free);
      int status = run_cli (&err, "compute", input, "-o", bad_out, a[0], a[1], a[2], a[3], NULL);
      if (status != 2 || strstr (err, usage[k].fragment) == NULL)
        g_error ("TKLFP usage case %u: exit %d, \"%s\"; expected 2 and \"%s\"", k, status, err, usage[k].fragment);
    }
}

/* The ways a list of numbers @good (parts split by @sep) is mistyped: text
 * after a part (a unit, a letter), an empty part, nan or inf in a part, a
 * part too many and (if @fixed) a part too few. */
static GPtrArray *
mistyped_lists (const char *prefix, const char *good, const char *sep, gboolean fixed)
{
  GPtrArray *bad = g_ptr_array_new_with_free_func (g_free);
  g_auto (GStrv) parts = g_strsplit (good, sep, -1);
  guint n = g_strv_length (parts);
  const char *suffixes[] = { "x", "ms", "e", " 1" };
  const char *replacements[] = { "", "nan", "inf", "-inf", "1..2", "0x" };
  for (guint i = 0; i < n; i++)
    {
      char *kept = parts[i];
      for (guint k = 0; k < G_N_ELEMENTS (suffixes); k++)
        {
          g_autofree char *part = g_strconcat (kept, suffixes[k], NULL);
          parts[i] = part;
          g_autofree char *joined = g_strjoinv (sep, parts);
          g_ptr_array_add (bad, g_strconcat (prefix, joined, NULL));
        }
      for (guint k = 0; k < G_N_ELEMENTS (replacements); k++)
        {
          parts[i] = (char *) replacements[k];
          g_autofree char *joined = g_strjoinv (sep, parts);
          g_ptr_array_add (bad, g_strconcat (prefix, joined, NULL));
        }
      parts[i] = kept;
    }
  g_ptr_array_add (bad, g_strconcat (prefix, good, sep, "1", NULL));
  g_ptr_array_add (bad, g_strconcat (prefix, good, sep, NULL));
  g_ptr_array_add (bad, g_strconcat (prefix, sep, good, NULL));
  if (fixed)
    {
      g_autofree char *fewer = g_strjoinv (sep, (n--, parts));
      char *cut = g_strrstr (fewer, sep);
      *cut = '\0';
      g_ptr_array_add (bad, g_strconcat (prefix, fewer, NULL));
    }
  return bad;
}

/* Every option that takes a list of numbers: the documented form works;
 * every mistyped form (see mistyped_lists) is a usage error, exit 2, that
 * names the option, and writes nothing. */
static void
test_cli_number_lists (void)
{
  g_autofree char *input = tmp_path ("lists-in.h5"), *tk_input = tmp_path ("lists-tk.h5");
  g_autofree char *probe = tmp_path ("lists-probe.csv"), *lfp = tmp_path ("lists-lfp.h5");
  g_autofree char *out = tmp_path ("lists-out.h5"), *png = tmp_path ("lists.png");
  write_case (input, BASE);
  write_tklfp_case (tk_input, "network1", TK_OK);
  g_assert_true (g_file_set_contents (probe, "0,0,0,100\n0,0,100,100\n200,0,0,7\n200,0,100,7\n", -1, NULL));
  g_autofree char *err = NULL;
  g_assert_cmpint (run_cli (&err, "compute", input, "-o", lfp, "--electrodes", probe, NULL), ==, 0);

  struct {
    const char *command, *file, *option, *prefix, *good, *sep;
    gboolean fixed;
    const char *more[3];   /* what the option needs beside it */
  } lists[] = {
    { "compute", input, "--t-eval", "", "0:5:0.5", ":", TRUE },
    { "compute", input, "--electrodes", "shanks:", "2,100,4,20", ",", TRUE },
    { "compute", input, "--probe-offset-um", "", "10,0,-5", ",", TRUE, { "--electrodes", "shanks:1,100,4,20" } },
    { "compute", input, "--probe-rotate-deg", "", "10,5,0", ",", TRUE, { "--electrodes", "shanks:1,100,4,20" } },
    { "compute", input, "--tau-exc-ms", "", "0.5,4", ",", TRUE, { "--from-spikes" } },
    { "compute", input, "--tau-inh-ms", "", "0.5,4", ",", TRUE, { "--from-spikes" } },
    { "compute", tk_input, "--tklfp-sigma-ms", "", "2,3", ",", TRUE, { "--proxy", "tklfp" } },
    { "plot", lfp, "--t-range", "", "0.5:1.5", ":", TRUE },
    { "plot", lfp, "--shanks", "", "7,100", ",", FALSE },
  };
  for (guint k = 0; k < G_N_ELEMENTS (lists); k++)
    {
      const char *target = g_str_equal (lists[k].command, "plot") ? png : out;
      g_autofree char *good = g_strconcat (lists[k].prefix, lists[k].good, NULL);
      const char *args[] = { lists[k].command, lists[k].file, "-o", target, lists[k].option, good,
                             lists[k].more[0], lists[k].more[1], lists[k].more[2], NULL };
      g_clear_pointer (&err, g_free);
      if (run_cli_argv (&err, args) != 0)
        g_error ("%s %s: %s", lists[k].option, good, err);
      g_assert_true (g_file_test (target, G_FILE_TEST_EXISTS));
      g_assert_cmpint (g_remove (target), ==, 0);
      g_autoptr (GPtrArray) bad = mistyped_lists (lists[k].prefix, lists[k].good, lists[k].sep, lists[k].fixed);
      for (guint b = 0; b < bad->len; b++)
        {
          args[5] = g_ptr_array_index (bad, b);
          g_clear_pointer (&err, g_free);
          int status = run_cli_argv (&err, args);
          if (status != 2 || strstr (err, lists[k].option) == NULL || g_file_test (target, G_FILE_TEST_EXISTS))
            g_error ("%s \"%s\": exit %d, \"%s\"; expected a usage error naming the option", lists[k].option,
                     args[5], status, err);
        }
    }

  /* --electrodes shanks:N,SPACING,CONTACTS,PITCH at and past its bounds:
   * 1-64 whole shanks, 1-1024 whole contacts, positive distances */
  const char *shanks_ok[] = { "shanks:64,10,1,10", "shanks:1,10,1024,1", "shanks:1,0.5,1,0.25" };
  for (guint k = 0; k < G_N_ELEMENTS (shanks_ok); k++)
    {
      g_clear_pointer (&err, g_free);
      if (run_cli (&err, "compute", input, "-o", out, "--electrodes", shanks_ok[k], NULL) != 0)
        g_error ("--electrodes %s: %s", shanks_ok[k], err);
      gsize rows, cols;
      g_autofree double *xyz = read_output (out, "/electrodes/xyz_um", &rows, &cols);
      double v[4];
      g_assert_true (sscanf (shanks_ok[k], "shanks:%lf,%lf,%lf,%lf", &v[0], &v[1], &v[2], &v[3]) == 4);
      g_assert_cmpuint (rows, ==, (gsize) (v[0] * v[2]));
      /* shank by shank along x, SPACING apart, contacts along z, PITCH
       * apart, centred on the origin */
      for (gsize e = 0; e < rows; e++)
        {
          double sh = (double) (e / (gsize) v[2]), j = (double) (e % (gsize) v[2]);
          double want[3] = { (sh - (v[0] - 1) / 2) * v[1], 0, (j - (v[2] - 1) / 2) * v[3] };
          for (int c = 0; c < 3; c++)
            if (fabs (xyz[3 * e + c] - want[c]) > 1e-9 * (1 + fabs (want[c])))
              g_error ("--electrodes %s: contact %zu at (%g, %g, %g), expected (%g, %g, %g)", shanks_ok[k], e,
                       xyz[3 * e], xyz[3 * e + 1], xyz[3 * e + 2], want[0], want[1], want[2]);
        }
      /* the file says which probe, by the name given (not as a file) */
      g_assert_cmpint (run_cli (NULL, "info", out, NULL), ==, 0);
      g_autofree char *said = g_strdup_printf ("  probe: %s, ", shanks_ok[k]);
      if (strstr (last_stdout, said) == NULL)
        g_error ("wslfp info of an LFP computed with --electrodes %s:\n%s", shanks_ok[k], last_stdout);
      g_assert_cmpint (g_remove (out), ==, 0);
    }
  const char *shanks_bad[] = { "shanks:0,10,4,10", "shanks:65,10,4,10", "shanks:1.5,10,4,10", "shanks:-1,10,4,10",
                               "shanks:2,10,0,10", "shanks:2,10,1025,10", "shanks:2,10,4.5,10", "shanks:2,0,4,10",
                               "shanks:2,-10,4,10", "shanks:2,10,4,0", "shanks:2,10,4,-5", "shanks:" };
  for (guint k = 0; k < G_N_ELEMENTS (shanks_bad); k++)
    {
      g_clear_pointer (&err, g_free);
      int status = run_cli (&err, "compute", input, "-o", out, "--electrodes", shanks_bad[k], NULL);
      if (status != 2 || strstr (err, "--electrodes") == NULL || g_file_test (out, G_FILE_TEST_EXISTS))
        g_error ("--electrodes %s: exit %d, \"%s\"; expected a usage error", shanks_bad[k], status, err);
    }

  /* --size WxH with a unit, or a preset */
  g_assert_cmpint (run_cli (NULL, "plot", lfp, "-o", png, "--size", "85x60mm", NULL), ==, 0);
  g_assert_cmpint (g_remove (png), ==, 0);
  const char *sizes[] = { "85x60", "85x60mmx", "85x60x3mm", "85mm", "x60mm", "85x", "85xmm", "nanx60mm",
                          "85xinfmm", "85x60 mm", "85,60mm", "85x60cm", "-85x60mm", "85x0mm", "1col ", "3col" };
  for (guint k = 0; k < G_N_ELEMENTS (sizes); k++)
    {
      g_clear_pointer (&err, g_free);
      int status = run_cli (&err, "plot", lfp, "-o", png, "--size", sizes[k], NULL);
      if (status != 2 || strstr (err, "--size") == NULL || g_file_test (png, G_FILE_TEST_EXISTS))
        g_error ("--size \"%s\": exit %d, \"%s\"; expected a usage error naming the option", sizes[k], status, err);
    }
}

/* An LFP of more shanks than a figure has panels (66 of 64): the plot
 * says so and asks for --shanks, which then draws any 64 or fewer of them;
 * a profile figure marked by a dataset that is not there names it. */
static void
test_cli_too_many_shanks (void)
{
  g_autofree char *input = tmp_path ("many-shanks-in.h5"), *probe = tmp_path ("many-shanks.csv");
  g_autofree char *lfp = tmp_path ("many-shanks.h5"), *png = tmp_path ("many-shanks.png");
  write_case (input, BASE);
  g_autoptr (GString) rows = g_string_new (NULL);
  for (int k = 0; k < 66; k++)
    g_string_append_printf (rows, "%d,0,%d,%d\n", 20 * k, 10 * (k % 5), k);
  g_assert_true (g_file_set_contents (probe, rows->str, -1, NULL));
  g_assert_cmpint (run_cli (NULL, "compute", input, "--electrodes", probe, "-o", lfp, NULL), ==, 0);
  g_autofree char *err = NULL;
  g_assert_cmpint (run_cli (&err, "plot", lfp, "-o", png, NULL), ==, 1);
  g_autofree char *want = g_strdup_printf ("%s has 66 shanks; a figure shows at most 64: choose some with --shanks", lfp);
  g_assert_nonnull (strstr (err, want));
  g_assert_false (g_file_test (png, G_FILE_TEST_EXISTS));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (&err, "plot", lfp, "--shanks", "all", "-o", png, NULL), ==, 1);
  g_assert_nonnull (strstr (err, want));
  /* any of them can be chosen, the last too (it could not: only the
   * first 64 were offered) */
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (&err, "plot", lfp, "--shanks", "0,65", "-o", png, NULL), ==, 0);
  g_assert_true (g_file_test (png, G_FILE_TEST_IS_REGULAR));
  g_autoptr (GString) chosen = g_string_new ("1");
  for (int k = 2; k < 65; k++) /* (shanks 1 … 64: 64 of them) */
    g_string_append_printf (chosen, ",%d", k);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (&err, "plot", lfp, "--shanks", chosen->str, "-o", png, NULL), ==, 0);
  g_string_append (chosen, ",0");
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (&err, "plot", lfp, "--shanks", chosen->str, "-o", png, NULL), ==, 1);
  g_autofree char *too_many = g_strdup_printf ("--shanks chose 65 shanks of %s; a figure shows at most 64", lfp);
  g_assert_nonnull (strstr (err, too_many));
  g_clear_pointer (&err, g_free);
  g_autofree char *nowhere = tmp_path ("no-such-dataset.h5");
  g_assert_cmpint (run_cli (&err, "plot", "--profile", "mazzoni15", nowhere, "-o", png, NULL), ==, 1);
  g_assert_nonnull (strstr (err, nowhere));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  H5Eset_auto2 (H5E_DEFAULT, NULL, NULL);
  tmp_dir = g_dir_make_tmp ("wslfp-test-cli-XXXXXX", NULL);
  g_test_add_func ("/cli/fixture-numbers", test_cli_fixture_numbers);
  g_test_add_func ("/cli/storage-variants", test_cli_storage_variants);
  g_test_add_func ("/cli/blas-kernels", test_cli_blas_kernels);
  g_test_add_func ("/cli/demo-end-to-end", test_cli_demo_end_to_end);
  g_test_add_func ("/cli/bad-input", test_cli_bad_input);
  g_test_add_func ("/cli/output-survives", test_cli_output_survives);
  g_test_add_func ("/cli/custom-profile", test_cli_custom_profile);
  g_test_add_func ("/cli/usage", test_cli_usage);
  g_test_add_func ("/cli/too-many-shanks", test_cli_too_many_shanks);
  g_test_add_func ("/cli/number-lists", test_cli_number_lists);
  g_test_add_func ("/cli/probe-json", test_cli_probe_json);
  g_test_add_func ("/cli/output-is-input", test_cli_output_is_input);
  g_test_add_func ("/cli/interrupted-write", test_cli_interrupted_write);
  g_test_add_func ("/cli/isolation", test_cli_isolation);
  g_test_add_func ("/cli/shank-numbers", test_cli_shank_numbers);
  g_test_add_func ("/cli/dendrite-length", test_cli_dendrite_length);
  g_test_add_func ("/cli/delays", test_cli_delays);
  g_test_add_func ("/cli/demo-rates", test_cli_demo_rates);
  g_test_add_func ("/cli/progress", test_cli_progress);
  g_test_add_func ("/cli/demo-geometry", test_cli_demo_geometry);
  g_test_add_func ("/cli/info-figures", test_cli_info_figures);
  g_test_add_func ("/cli/info-labels", test_cli_info_labels);
  g_test_add_func ("/cli/plot-layout-centres", test_cli_plot_layout_centres);
  g_test_add_func ("/cli/help-lists-options", test_cli_help_lists_options);
  g_test_add_func ("/cli/electrodes-choices", test_cli_electrodes_choices);
  g_test_add_func ("/cli/print-size", test_cli_print_size);
  g_test_add_func ("/cli/kinds", test_cli_kinds);
  g_test_add_func ("/cli/plot-failures", test_cli_plot_failures);
  g_test_add_func ("/cli/lfp-provenance", test_cli_lfp_provenance);
  g_test_add_func ("/cli/kernel-scales", test_cli_kernel_scales);
  g_test_add_func ("/cli/probe-tilt", test_cli_probe_tilt);
  g_test_add_func ("/cli/tklfp", test_cli_tklfp);
  int status = g_test_run ();
  g_autofree char *rm = g_strdup_printf ("rm -rf '%s'", tmp_dir);
  if (status == 0 && system (rm) != 0)
    g_warning ("could not remove %s", tmp_dir);
  g_free (last_stdout);
  return status;
}
