/* bench-make-big.c: writes a large dataset for the memory benchmark:
 * S sources × T steps of float32 per current type (defaults 10 000 ×
 * 25 000, 1 GB each), written in blocks so this helper itself stays small,
 * plus random spikes (exc: S cells at 7.5 Hz, inh: S/4 at 15 Hz, 100
 * targets each, as CSR) so --from-spikes can be measured on the same size.
 *   bench-make-big OUT.h5 [S] [T] */
#include <glib.h>
#include <hdf5.h>
#include <math.h>
#include <stdlib.h>

static guint64
next_random (guint64 *rng)
{
  *rng = *rng * 6364136223846793005ull + 1442695040888963407ull;
  return *rng >> 11;
}

static void
write_array (hid_t f, hid_t lcpl, const char *path, hid_t type, hid_t mem_type, hsize_t n, const void *data)
{
  hsize_t dims[1] = { n };
  hid_t sp = H5Screate_simple (1, dims, NULL);
  hid_t d = H5Dcreate2 (f, path, type, sp, lcpl, H5P_DEFAULT, H5P_DEFAULT);
  H5Dwrite (d, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data);
  H5Dclose (d);
  H5Sclose (sp);
}

/* /spikes/NAME: n_pre cells firing at rate_hz (uniform random times over
 * duration_ms), each onto 100 random targets with weight 0.07 (nA). */
static void
write_spikes (hid_t f, hid_t lcpl, const char *name, hsize_t n_pre, hsize_t S, double rate_hz, double duration_ms,
              guint64 *rng)
{
  const hsize_t fan_out = MIN (100, S);
  hsize_t K = (hsize_t) (n_pre * rate_hz * duration_ms / 1000);
  double *t = g_new (double, MAX (K, 1)), *data = g_new (double, n_pre * fan_out);
  gint64 *who = g_new (gint64, MAX (K, 1)), *indptr = g_new (gint64, n_pre + 1), *indices = g_new (gint64, n_pre * fan_out);
  for (hsize_t k = 0; k < K; k++)
    {
      t[k] = next_random (rng) * 0x1.0p-53 * duration_ms;
      who[k] = (gint64) (next_random (rng) % n_pre);
    }
  for (hsize_t p = 0; p <= n_pre; p++)
    indptr[p] = (gint64) (p * fan_out);
  for (hsize_t j = 0; j < n_pre * fan_out; j++)
    {
      indices[j] = (gint64) (next_random (rng) % S);
      data[j] = 0.07;
    }
  char path[64];
  g_snprintf (path, sizeof path, "/spikes/%s/t_ms", name);
  write_array (f, lcpl, path, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, K, t);
  g_snprintf (path, sizeof path, "/spikes/%s/i", name);
  write_array (f, lcpl, path, H5T_STD_I64LE, H5T_NATIVE_INT64, K, who);
  g_snprintf (path, sizeof path, "/spikes/%s/weights/indptr", name);
  write_array (f, lcpl, path, H5T_STD_I64LE, H5T_NATIVE_INT64, n_pre + 1, indptr);
  g_snprintf (path, sizeof path, "/spikes/%s/weights/indices", name);
  write_array (f, lcpl, path, H5T_STD_I64LE, H5T_NATIVE_INT64, n_pre * fan_out, indices);
  g_snprintf (path, sizeof path, "/spikes/%s/weights/data", name);
  write_array (f, lcpl, path, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, n_pre * fan_out, data);
  g_free (t);
  g_free (who);
  g_free (data);
  g_free (indptr);
  g_free (indices);
}

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
  write_spikes (f, lcpl, "exc", S, S, 7.5, T * 0.1, &rng);
  write_spikes (f, lcpl, "inh", S / 4, S, 15.0, T * 0.1, &rng);
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
