/* test-mpi.c: `mpirun -np N wslfp compute` (a -Dmpi=enabled build) gives
 * what one process gives, to 1e-6 of the peak (1e-12 in double precision),
 * from currents and from spikes, per neuron and in population mode, an LFP
 * too big for one reduction (sent in pieces), also
 * when the run cannot be split (interpolated currents), with more ranks
 * than it needs and with shares on the edges of the currents' chunks; a failure is an error from every rank and no output. */
#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <sys/wait.h>

#include "wslfp-lfp.h"
#include "wslfp-test-data.h"

static char *tmp_dir;

/* Runs `[mpirun -np RANKS] wslfp compute ARGS…` (ranks 0: no mpirun). */
static int
run (int ranks, char **err_out, const char *const *args)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  if (ranks > 0)
    {
      g_ptr_array_add (argv, g_strdup (g_getenv ("WSLFP_MPIRUN")));
      g_ptr_array_add (argv, g_strdup ("-np"));
      g_ptr_array_add (argv, g_strdup_printf ("%d", ranks));
      g_ptr_array_add (argv, g_strdup ("--oversubscribe"));
    }
  g_ptr_array_add (argv, g_strdup (g_getenv ("WSLFP_CLI")));
  g_ptr_array_add (argv, g_strdup ("compute"));
  for (int i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (args[i]));
  g_ptr_array_add (argv, NULL);
  g_autofree char *out = NULL, *err = NULL;
  int status;
  g_autoptr (GError) error = NULL;
  g_assert_true (g_spawn_sync (tmp_dir, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status,
                               &error));
  if (err_out)
    *err_out = g_steal_pointer (&err);
  return WIFEXITED (status) ? WEXITSTATUS (status) : 128;
}

static double
peak_error (const WslfpLfp *a, const WslfpLfp *b)
{
  g_assert_cmpuint (a->n_times, ==, b->n_times);
  g_assert_cmpuint (a->n_electrodes, ==, b->n_electrodes);
  gsize n = a->n_times * a->n_electrodes;
  gboolean nonzero = FALSE;
  for (gsize i = 0; i < n && !nonzero; i++)
    nonzero = b->uv[i] != 0;
  g_assert_true (nonzero); /* an all-zero reference would make any result look right */
  return wslfp_test_rel_error (a->uv, b->uv, n);
}

static void
test_mpi_equals_one_process (void)
{
  g_autofree char *input = wslfp_test_data_path ("brian_small.h5");
  struct { int ranks; const char *extra[4]; double tol; } cases[] = {
    { 2, { NULL }, 1e-6 },
    { 2, { "--precision", "double", NULL }, 1e-12 },
    { 2, { "--population", NULL }, 1e-6 },
    { 2, { "--from-spikes", NULL }, 1e-12 },
    { 2, { "--from-spikes", "--population", "--no-normalize", NULL }, 1e-12 },
    { 2, { "--tau-ampa-ms", "6.05", NULL }, 1e-12 }, /* interpolated: not split */
    { 3, { "--no-normalize", "--precision", "double", NULL }, 1e-12 },
    /* 3000 times × 384 contacts: more than one reduction (2^20 values) */
    { 2, { "--electrodes", "preset:neuropixels-1.0", NULL }, 1e-6 },
    /* one time step, normalised too (to 0: its mean removed) */
    { 2, { "--t-eval", "50:50.5:1", NULL }, 0 },
  };
  for (guint k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      g_autofree char *one = g_build_filename (tmp_dir, "one.h5", NULL);
      g_autofree char *many = g_build_filename (tmp_dir, "many.h5", NULL);
      const char *args[8] = { input, "-o", NULL };
      int n = 3;
      for (int i = 0; cases[k].extra[i] != NULL; i++)
        args[n++] = cases[k].extra[i];
      args[n] = NULL;
      g_autofree char *err1 = NULL, *err2 = NULL;
      args[2] = one;
      g_assert_cmpint (run (0, &err1, args), ==, 0);
      args[2] = many;
      int status = run (cases[k].ranks, &err2, args);
      if (status != 0)
        g_error ("case %u: mpirun exit %d: %s", k, status, err2);
      /* Each rank had its own sources. */
      const char *split = cases[k].ranks == 2 ? "2 MPI ranks, sources [0, 100) [100, 200)"
                                              : "3 MPI ranks, sources [0, 66) [66, 133) [133, 200)";
      if (strstr (err2, split) == NULL)
        g_error ("case %u: no \"%s\" in \"%s\"", k, split, err2);
      g_autoptr (GError) error = NULL;
      g_autoptr (WslfpLfp) a = wslfp_lfp_read (one, &error);
      g_assert_no_error (error);
      g_autoptr (WslfpLfp) b = wslfp_lfp_read (many, &error);
      g_assert_no_error (error);
      /* (tolerance 0: every value 0 in both) */
      double e = 0;
      if (cases[k].tol == 0)
        for (gsize i = 0; i < a->n_times * a->n_electrodes; i++)
          e = fmax (e, fabs (a->uv[i]) + fabs (b->uv[i]));
      else
        e = peak_error (b, a);
      g_test_message ("case %u: %d ranks, %g of the peak", k, cases[k].ranks, e);
      if (e > cases[k].tol)
        g_error ("case %u: %d ranks differ from one process by %g of the peak (tolerance %g)", k, cases[k].ranks, e,
                 cases[k].tol);
      g_assert_cmpint (b->normalized, ==, a->normalized);
      g_assert_cmpmem (b->t_ms, b->n_times * sizeof (double), a->t_ms, a->n_times * sizeof (double));
      g_unlink (one);
      g_unlink (many);
    }
}

/* `wslfp compute ARGS` (ARGS[OUT]: the output, set here) in one process
 * and on @ranks ranks, which split the sources as @split says: the same
 * LFP, to 1e-12 of its peak. */
static void
one_and_many (const char **args, int out, int ranks, const char *split)
{
  g_autofree char *one = g_build_filename (tmp_dir, "one.h5", NULL);
  g_autofree char *many = g_build_filename (tmp_dir, "many.h5", NULL);
  g_autofree char *err1 = NULL, *err2 = NULL;
  args[out] = one;
  g_assert_cmpint (run (0, &err1, args), ==, 0);
  args[out] = many;
  int status = run (ranks, &err2, args);
  if (status != 0)
    g_error ("mpirun exit %d: %s", status, err2);
  if (strstr (err2, split) == NULL)
    g_error ("no \"%s\" in \"%s\"", split, err2);
  g_autoptr (GError) error = NULL;
  g_autoptr (WslfpLfp) a = wslfp_lfp_read (one, &error);
  g_assert_no_error (error);
  g_autoptr (WslfpLfp) b = wslfp_lfp_read (many, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (peak_error (b, a), <=, 1e-12);
  g_unlink (one);
  g_unlink (many);
}

/* A SONATA network (per-connection delays) split across 2 ranks: the same
 * LFP as one process. */
static void
test_mpi_sonata (void)
{
  g_autofree char *input = wslfp_test_data_path ("sonata/300_pointneurons/simulation_config.json");
  const char *args[] = { input, "--electrodes", "preset:linear-32", "--t-eval", "0:300:0.5", "--no-normalize",
                         "-o", NULL, NULL };
  one_and_many (args, 7, 2, "2 MPI ranks, sources [0, 120) [120, 240)");
}

/* Currents stored in chunks of 64 sources: each rank's share starts and
 * ends on a chunk's edge (so that no chunk is read by two ranks), the
 * last rank's at the end; the same LFP as one process. */
static void
test_mpi_chunk_aligned (void)
{
  g_autofree char *input = g_build_filename (tmp_dir, "chunks-of-64.h5", NULL);
  hid_t dcpl = H5Pcreate (H5P_DATASET_CREATE);
  const hsize_t chunk[2] = { 500, 64 };
  H5Pset_chunk (dcpl, 2, chunk);
  H5Pset_deflate (dcpl, 4);
  wslfp_test_copy_with_currents ("brian_small.h5", input, H5T_IEEE_F64LE, dcpl, 0, G_MAXSIZE, 0);
  H5Pclose (dcpl);
  const char *args[] = { input, "--precision", "double", "-o", NULL, NULL };
  one_and_many (args, 4, 2, "2 MPI ranks, sources [0, 128) [128, 200)");
  one_and_many (args, 4, 3, "3 MPI ranks, sources [0, 64) [64, 128) [128, 200)");
  g_unlink (input);
}

/* A file that is not there: exit 1 naming it, no output. */
static void
test_mpi_failure (void)
{
  g_autofree char *missing = g_build_filename (tmp_dir, "missing.h5", NULL);
  g_autofree char *out = g_build_filename (tmp_dir, "out.h5", NULL);
  const char *args[] = { missing, "-o", out, NULL };
  g_autofree char *err = NULL;
  int status = run (2, &err, args);
  g_assert_cmpint (status, !=, 0);
  g_assert_nonnull (strstr (err, missing));
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
}

/* More ranks than sources (6 sources, 8 ranks): the ranks without any
 * add nothing, and the sum is still one process's. */
static void
test_mpi_more_ranks_than_sources (void)
{
  g_autofree char *input = wslfp_test_data_path ("small_case.h5");
  const char *args[] = { input, "--no-normalize", "--precision", "double", "-o", NULL, NULL };
  one_and_many (args, 5, 8, "8 MPI ranks, sources [0, 0) [0, 1) [1, 2) [2, 3) [3, 3) [3, 4) [4, 5) [5, 6)");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  tmp_dir = g_dir_make_tmp ("wslfp-test-mpi-XXXXXX", NULL);
  g_test_add_func ("/mpi/equals-one-process", test_mpi_equals_one_process);
  g_test_add_func ("/mpi/sonata", test_mpi_sonata);
  g_test_add_func ("/mpi/chunk-aligned", test_mpi_chunk_aligned);
  g_test_add_func ("/mpi/failure", test_mpi_failure);
  g_test_add_func ("/mpi/more-ranks-than-sources", test_mpi_more_ranks_than_sources);
  int status = g_test_run ();
  g_rmdir (tmp_dir);
  return status;
}
