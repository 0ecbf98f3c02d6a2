/* bench-restore.c: copies a dataset file with its currents stored another
 * way, as other tools write them: h5py users store float32 in chunks with
 * gzip; the benchmarks compare such files with plain ones.
 *   bench-restore IN.h5 OUT.h5 [--float32] [--chunk ROWSxCOLS] [--gzip LEVEL] [--shuffle] */
#include <glib.h>
#include <hdf5.h>
#include <stdlib.h>
#include <string.h>

/* Everything but /currents is copied as it is (groups whole, with their
 * attributes). */
static herr_t
copy_but_currents (hid_t in, const char *name, const H5L_info_t *info, void *data)
{
  hid_t out = *(hid_t *) data;
  if (strcmp (name, "currents") != 0)
    H5Ocopy (in, name, out, name, H5P_DEFAULT, H5P_DEFAULT);
  return 0;
}

int
main (int argc, char **argv)
{
  gboolean float32 = FALSE, shuffle = FALSE;
  char *chunk = NULL;
  int gzip = -1;
  GOptionEntry entries[] = {
    { "float32", 0, 0, G_OPTION_ARG_NONE, &float32, "store the currents as float32", NULL },
    { "chunk", 0, 0, G_OPTION_ARG_STRING, &chunk, "chunks of ROWSxCOLS", "ROWSxCOLS" },
    { "gzip", 0, 0, G_OPTION_ARG_INT, &gzip, "deflate level", "LEVEL" },
    { "shuffle", 0, 0, G_OPTION_ARG_NONE, &shuffle, "the shuffle filter before deflate", NULL },
    { NULL },
  };
  GOptionContext *ctx = g_option_context_new ("IN.h5 OUT.h5");
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, NULL) || argc != 3)
    {
      g_printerr ("usage: bench-restore IN.h5 OUT.h5 [--float32] [--chunk RxC] [--gzip L] [--shuffle]\n");
      return 2;
    }
  hid_t in = H5Fopen (argv[1], H5F_ACC_RDONLY, H5P_DEFAULT);
  hid_t out = H5Fcreate (argv[2], H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  if (in < 0 || out < 0)
    return 1;
  H5Literate (in, H5_INDEX_NAME, H5_ITER_INC, NULL, copy_but_currents, &out);
  const char *kinds[] = { "ampa", "gaba" };
  for (int k = 0; k < 2; k++)
    {
      char path[64];
      g_snprintf (path, sizeof path, "/currents/%s", kinds[k]);
      if (H5Lexists (in, "/currents", H5P_DEFAULT) <= 0 || H5Lexists (in, path, H5P_DEFAULT) <= 0)
        continue;
      hid_t lcpl = H5Pcreate (H5P_LINK_CREATE);
      H5Pset_create_intermediate_group (lcpl, 1);
      g_snprintf (path, sizeof path, "/currents/%s/t_ms", kinds[k]);
      H5Ocopy (in, path, out, path, H5P_DEFAULT, lcpl);
      g_snprintf (path, sizeof path, "/currents/%s/I", kinds[k]);
      hid_t src = H5Dopen2 (in, path, H5P_DEFAULT), space = H5Dget_space (src);
      hsize_t dims[2];
      H5Sget_simple_extent_dims (space, dims, NULL);
      hid_t dcpl = H5Pcreate (H5P_DATASET_CREATE);
      if (chunk != NULL)
        {
          hsize_t c[2] = { 1, 1 };
          if (sscanf (chunk, "%llux%llu", (unsigned long long *) &c[0], (unsigned long long *) &c[1]) != 2)
            return 2;
          c[0] = MIN (c[0], dims[0]);
          c[1] = MIN (c[1], dims[1]);
          H5Pset_chunk (dcpl, 2, c);
          if (shuffle)
            H5Pset_shuffle (dcpl);
          if (gzip >= 0)
            H5Pset_deflate (dcpl, (unsigned) gzip);
        }
      hid_t dst = H5Dcreate2 (out, path, float32 ? H5T_IEEE_F32LE : H5T_IEEE_F64LE, space, lcpl, dcpl, H5P_DEFAULT);
      /* In blocks of rows, so that this helper stays small for big files. */
      hsize_t rows = MAX (1, (64u << 20) / (dims[1] * sizeof (double)));
      double *buf = g_new (double, rows * dims[1]);
      for (hsize_t r0 = 0; r0 < dims[0]; r0 += rows)
        {
          hsize_t start[2] = { r0, 0 }, count[2] = { MIN (rows, dims[0] - r0), dims[1] };
          hid_t mem = H5Screate_simple (2, count, NULL);
          H5Sselect_hyperslab (space, H5S_SELECT_SET, start, NULL, count, NULL);
          H5Dread (src, H5T_NATIVE_DOUBLE, mem, space, H5P_DEFAULT, buf);
          H5Dwrite (dst, H5T_NATIVE_DOUBLE, mem, space, H5P_DEFAULT, buf);
          H5Sclose (mem);
        }
      g_free (buf);
      H5Dclose (dst);
      H5Pclose (dcpl);
      H5Pclose (lcpl);
      H5Sclose (space);
      H5Dclose (src);
    }
  H5Fclose (out);
  H5Fclose (in);
  return 0;
}
