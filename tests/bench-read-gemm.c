/* bench-read-gemm.c: what `wslfp compute` on FILE cannot beat, measured in
 * the same run as it: reading both currents (H5Dread, in blocks of 512
 * rows into one reused buffer, in the stored precision) and a bare
 * single-threaded BLAS product of the same shape (T × S times S × E per
 * current; sgemm for float32 data, and dgemm).
 *   bench-read-gemm FILE E */
#include "config.h"

#include <cblas.h>
#include <glib.h>
#include <hdf5.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static double
now_s (void)
{
  return g_get_monotonic_time () / 1e6;
}

int
main (int argc, char **argv)
{
  if (argc != 3)
    {
      g_printerr ("usage: bench-read-gemm FILE E\n");
      return 2;
    }
  gsize E = strtoul (argv[2], NULL, 10);
#ifdef HAVE_OPENBLAS_SET_NUM_THREADS
  openblas_set_num_threads (1);
#endif
  hid_t f = H5Fopen (argv[1], H5F_ACC_RDONLY, H5P_DEFAULT);
  if (f < 0)
    return 1;
  const char *paths[] = { "/currents/ampa/I", "/currents/gaba/I" };
  double read_s = 0, sgemm_s = 0, dgemm_s = 0;
  gsize T = 0, S = 0;
  gboolean is_float = FALSE;
  for (int k = 0; k < 2; k++)
    {
      hid_t d = H5Dopen2 (f, paths[k], H5P_DEFAULT), space = H5Dget_space (d), type = H5Dget_type (d);
      hsize_t dims[2];
      H5Sget_simple_extent_dims (space, dims, NULL);
      T = dims[0];
      S = dims[1];
      is_float = H5Tget_size (type) == 4;
      gsize rows = 512, el = is_float ? 4 : 8;
      void *buf = g_malloc (rows * S * el);
      double t0 = now_s ();
      for (gsize r0 = 0; r0 < T; r0 += rows)
        {
          hsize_t start[2] = { r0, 0 }, count[2] = { MIN (rows, T - r0), S };
          hid_t mem = H5Screate_simple (2, count, NULL);
          H5Sselect_hyperslab (space, H5S_SELECT_SET, start, NULL, count, NULL);
          H5Dread (d, is_float ? H5T_NATIVE_FLOAT : H5T_NATIVE_DOUBLE, mem, space, H5P_DEFAULT, buf);
          H5Sclose (mem);
        }
      read_s += now_s () - t0;
      g_free (buf);
      H5Tclose (type);
      H5Sclose (space);
      H5Dclose (d);
    }
  H5Fclose (f);

  /* The products, in blocks of 512 rows of one reused random block (the
   * shape is what matters). */
  gsize rows = MIN (512, T);
  float *a32 = g_new (float, rows * S), *w32 = g_new (float, E * S), *o32 = g_new (float, rows * E);
  double *a64 = g_new (double, rows * S), *w64 = g_new (double, E * S), *o64 = g_new (double, rows * E);
  for (gsize i = 0; i < rows * S; i++)
    a64[i] = a32[i] = (float) (i % 97) / 97.0f;
  for (gsize i = 0; i < E * S; i++)
    w64[i] = w32[i] = (float) (i % 89) / 89.0f;
  for (int k = 0; k < 2; k++)
    for (gsize r0 = 0; r0 < T; r0 += rows)
      {
        int n = (int) MIN (rows, T - r0);
        double t0 = now_s ();
        cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans, n, (int) E, (int) S, 1.0f, a32, (int) S, w32, (int) S,
                     0.0f, o32, (int) E);
        double t1 = now_s ();
        cblas_dgemm (CblasRowMajor, CblasNoTrans, CblasTrans, n, (int) E, (int) S, 1.0, a64, (int) S, w64, (int) S,
                     0.0, o64, (int) E);
        sgemm_s += t1 - t0;
        dgemm_s += now_s () - t1;
      }
  printf ("T=%zu S=%zu E=%zu %s read_s=%.4f sgemm_s=%.4f dgemm_s=%.4f\n", T, S, E, is_float ? "float32" : "float64",
          read_s, sgemm_s, dgemm_s);
  return 0;
}
