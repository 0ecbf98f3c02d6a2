/* test-io.c: reading datasets, block-wise computing, LFP files. */
#include <glib.h>
#include <glib/gstdio.h>
#include <hdf5.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "wslfp-dataset.h"
#include "wslfp-demo-file.h"
#include "wslfp-lfp.h"
#include "wslfp-test-data.h"

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

  g_assert_false (wslfp_lfp_write (&lfp, nowhere, &error));
  g_assert_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_WRITE);
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
      s.options.tau_ampa_ms = 4.2; /* off the sample grid: interpolated */
      s.electrodes_um = xyz;
      s.shank = ds->shank;
      s.n_electrodes = E;
      WslfpCombined *c = wslfp_job_combine (ds, &s, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (wslfp_job_combined_bytes (ds, &s), ==,
                        wslfp_combined_get_n_times (c) * ds->n_sources * sizeof (double));
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
        }
      wslfp_combined_free (c);
    }
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
  wslfp_dataset_free (ds);
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/io/small-case", test_io_small_case);
  g_test_add_func ("/io/brian", test_io_brian);
  g_test_add_func ("/io/blocks-equal-whole", test_io_blocks_equal_whole);
  g_test_add_func ("/io/spike-blocks-equal-whole", test_io_spike_blocks_equal_whole);
  g_test_add_func ("/io/lfp-files", test_io_lfp_files);
  g_test_add_func ("/io/probe-csv", test_io_probe_csv);
  g_test_add_func ("/io/in-memory", test_io_in_memory);
  g_test_add_func ("/io/combined-job", test_io_combined_job);
  g_test_add_func ("/io/string-attribute-arrays", test_io_string_attribute_arrays);
  g_test_add_func ("/io/corrupt-fixtures", test_io_corrupt_fixtures);
  g_test_add_func ("/io/input-changed", test_io_input_changed);
  return g_test_run ();
}
