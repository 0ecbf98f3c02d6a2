/* bench-make-big.c: writes a large dataset for the memory benchmark:
 * S sources × T steps of float32 per current type (defaults 10 000 ×
 * 25 000, 1 GB each), written in blocks so this helper itself stays small.
 *   bench-make-big OUT.h5 [S] [T] */
#include <glib.h>
#include <hdf5.h>
#include <math.h>
#include <stdlib.h>

int
main (int argc, char **argv)
{
  if (argc < 2)
    {
      g_printerr ("usage: bench-make-big OUT.h5 [SOURCES] [STEPS]\n");
      return 2;
    }
  hsize_t S = argc > 2 ? strtoull (argv[2], NULL, 10) : 10000, T = argc > 3 ? strtoull (argv[3], NULL, 10) : 25000;
  const hsize_t E = 30, block = 250;
  hid_t f = H5Fcreate (argv[1], H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  hid_t lcpl = H5Pcreate (H5P_LINK_CREATE);
  H5Pset_create_intermediate_group (lcpl, 1);
  guint64 rng = 12345;

  double *probe = g_new (double, E * 3), *somata = g_new (double, S * 3), *t = g_new (double, T);
  for (hsize_t e = 0; e < E; e++)
    {
      probe[3 * e] = 250.0 * (e / 10);
      probe[3 * e + 1] = 0;
      probe[3 * e + 2] = -400 + 1000.0 * (e % 10) / 9;
    }
  for (hsize_t i = 0; i < S * 3; i++)
    {
      rng = rng * 6364136223846793005ull + 1442695040888963407ull;
      somata[i] = ((rng >> 11) * 0x1.0p-53 - 0.5) * 500;
    }
  for (hsize_t j = 0; j < T; j++)
    t[j] = j * 0.1;
  hsize_t d_e[2] = { E, 3 }, d_s[2] = { S, 3 }, d_t[1] = { T };
  struct { const char *path; int rank; hsize_t *dims; double *data; } small[] = {
    { "/electrodes/xyz_um", 2, d_e, probe }, { "/sources/xyz_um", 2, d_s, somata },
    { "/currents/ampa/t_ms", 1, d_t, t }, { "/currents/gaba/t_ms", 1, d_t, t },
  };
  for (int k = 0; k < 4; k++)
    {
      hid_t sp = H5Screate_simple (small[k].rank, small[k].dims, NULL);
      hid_t d = H5Dcreate2 (f, small[k].path, H5T_IEEE_F64LE, sp, lcpl, H5P_DEFAULT, H5P_DEFAULT);
      H5Dwrite (d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, small[k].data);
      H5Dclose (d);
      H5Sclose (sp);
    }

  float *buf = g_new (float, block * S);
  const char *paths[2] = { "/currents/ampa/I", "/currents/gaba/I" };
  for (int k = 0; k < 2; k++)
    {
      hsize_t dims[2] = { T, S };
      hid_t sp = H5Screate_simple (2, dims, NULL);
      hid_t d = H5Dcreate2 (f, paths[k], H5T_IEEE_F32LE, sp, lcpl, H5P_DEFAULT, H5P_DEFAULT);
      for (hsize_t r0 = 0; r0 < T; r0 += block)
        {
          hsize_t n = MIN (block, T - r0), start[2] = { r0, 0 }, count[2] = { n, S };
          for (hsize_t i = 0; i < n * S; i++)
            {
              rng = rng * 6364136223846793005ull + 1442695040888963407ull;
              buf[i] = (float) ((rng >> 40) * 0x1.0p-24) * 0.05f;
            }
          hid_t mem = H5Screate_simple (2, count, NULL);
          H5Sselect_hyperslab (sp, H5S_SELECT_SET, start, NULL, count, NULL);
          H5Dwrite (d, H5T_NATIVE_FLOAT, mem, sp, H5P_DEFAULT, buf);
          H5Sclose (mem);
        }
      H5Dclose (d);
      H5Sclose (sp);
    }
  H5Pclose (lcpl);
  H5Fclose (f);
  g_print ("wrote %s: %llu sources x %llu steps x 2 current types, float32 (%.2f GB of currents)\n", argv[1],
           (unsigned long long) S, (unsigned long long) T, 2.0 * S * T * 4 / 1e9);
  g_free (probe);
  g_free (somata);
  g_free (t);
  g_free (buf);
  return 0;
}
