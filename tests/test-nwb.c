/* test-nwb.c: NWB files: an LFP written and read back, and a recording as
 * another program writes it (int16 samples, conversion, offset, a
 * per-channel conversion, timestamps, a region of the electrodes table)
 * read with every factor applied.  (tests/python/test_nwb.py validates
 * the files against the schema.) */
#include <glib.h>
#include <glib/gstdio.h>
#include <hdf5.h>
#include <math.h>
#include <string.h>

#include "wslfp-lfp.h"
#include "wslfp-nwb.h"

static char *tmp_dir;

static void
test_nwb_round_trip (void)
{
  WslfpLfp lfp = { 0 };
  double t[5] = { 10.0, 10.5, 11.0, 11.5, 12.0 };
  double uv[5 * 3], xyz[3 * 3] = { 0, 0, 0, 0, 0, 50, 200, 0, 0 };
  int shank[3] = { 0, 0, 1 };
  for (int i = 0; i < 15; i++)
    uv[i] = sin (0.7 * i) * 12.5;
  lfp.n_times = 5;
  lfp.n_electrodes = 3;
  lfp.t_ms = t;
  lfp.uv = uv;
  lfp.electrodes_um = xyz;
  lfp.shank = shank;
  lfp.n_shanks = 2;
  lfp.profile = (char *) "aussel18";
  lfp.command = (char *) "wslfp compute x -o y.nwb";
  g_autofree char *path = g_build_filename (tmp_dir, "rt.nwb", NULL);
  g_autoptr (GError) error = NULL;
  g_assert_true (wslfp_lfp_write (&lfp, path, &error));
  g_assert_no_error (error);
  g_assert_true (wslfp_nwb_is_nwb (path));
  g_assert_true (wslfp_lfp_file_is_lfp (path));
  g_autoptr (WslfpLfp) back = wslfp_lfp_read (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (back->n_times, ==, 5);
  g_assert_cmpuint (back->n_electrodes, ==, 3);
  for (int i = 0; i < 15; i++)
    g_assert_cmpfloat (fabs (back->uv[i] - uv[i]), <=, 1e-6 * 12.5); /* float32 */
  for (int i = 0; i < 5; i++)
    g_assert_cmpfloat (fabs (back->t_ms[i] - t[i]), <=, 1e-9); /* from starting_time and rate */
  g_assert_cmpmem (back->electrodes_um, sizeof xyz, xyz, sizeof xyz);
  g_assert_cmpint (back->n_shanks, ==, 2);
  g_assert_cmpint (back->shank[1], ==, 0);
  g_assert_cmpint (back->shank[2], ==, 1);
  g_assert_cmpstr (back->command, ==, "wslfp compute x -o y.nwb");
  /* uneven times: timestamps */
  t[3] = 11.6;
  g_assert_true (wslfp_lfp_write (&lfp, path, &error));
  g_clear_pointer (&back, wslfp_lfp_free);
  back = wslfp_lfp_read (path, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (fabs (back->t_ms[3] - 11.6), <=, 1e-12);
  g_unlink (path);
}

static void
put (hid_t loc, const char *name, hid_t type, int rank, const hsize_t *dims, const void *data)
{
  hid_t s = rank ? H5Screate_simple (rank, dims, NULL) : H5Screate (H5S_SCALAR);
  hid_t lcpl = H5Pcreate (H5P_LINK_CREATE);
  H5Pset_create_intermediate_group (lcpl, 1);
  hid_t d = H5Dcreate2 (loc, name, type, s, lcpl, H5P_DEFAULT, H5P_DEFAULT);
  g_assert_cmpint (H5Dwrite (d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), >=, 0);
  H5Dclose (d);
  H5Pclose (lcpl);
  H5Sclose (s);
}

static void
put_attr (hid_t f, const char *obj, const char *name, hid_t type, const void *value)
{
  hid_t o = H5Oopen (f, obj, H5P_DEFAULT), s = H5Screate (H5S_SCALAR);
  hid_t a = H5Acreate2 (o, name, type, s, H5P_DEFAULT, H5P_DEFAULT);
  g_assert_cmpint (H5Awrite (a, type, value), >=, 0);
  H5Aclose (a);
  H5Sclose (s);
  H5Oclose (o);
}

/* The recording another program writes (see test_nwb_foreign). */
static const short *
write_foreign (const char *path)
{
  hid_t f = H5Fcreate (path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  hid_t str = H5Tcopy (H5T_C_S1);
  H5Tset_size (str, H5T_VARIABLE);
  const char *nwb = "NWBFile", *es = "ElectricalSeries", *volts = "volts";
  put_attr (f, "/", "neurodata_type", str, &nwb);
  /* electrodes table: 4 rows, two groups */
  double x[4] = { 10, 20, 30, 40 }, z[4] = { -5, -15, -25, -35 };
  hsize_t four = 4, three = 3, dims[2] = { 6, 3 };
  put (f, "/general/extracellular_ephys/electrodes/x", H5T_NATIVE_DOUBLE, 1, &four, x);
  put (f, "/general/extracellular_ephys/electrodes/z", H5T_NATIVE_DOUBLE, 1, &four, z);
  const char *names[4] = { "A", "A", "B", "B" };
  put (f, "/general/extracellular_ephys/electrodes/group_name", str, 1, &four, names);
  /* the series: rows 1, 2, 3 of the table */
  short raw[18];
  for (int i = 0; i < 18; i++)
    raw[i] = (short) (i * 7 - 50);
  put (f, "/acquisition/rec/data", H5T_NATIVE_SHORT, 2, dims, raw);
  put_attr (f, "/acquisition/rec", "neurodata_type", str, &es);
  float conversion = 0.5e-6f, offset = 1e-6f;
  put_attr (f, "/acquisition/rec/data", "conversion", H5T_NATIVE_FLOAT, &conversion);
  put_attr (f, "/acquisition/rec/data", "offset", H5T_NATIVE_FLOAT, &offset);
  put_attr (f, "/acquisition/rec/data", "unit", str, &volts);
  float cc[3] = { 1, 2, 4 };
  put (f, "/acquisition/rec/channel_conversion", H5T_NATIVE_FLOAT, 1, &three, cc);
  double ts[6] = { 5.0, 5.001, 5.002, 5.004, 5.005, 5.006 };
  hsize_t six = 6;
  put (f, "/acquisition/rec/timestamps", H5T_NATIVE_DOUBLE, 1, &six, ts);
  long long rows[3] = { 1, 2, 3 };
  put (f, "/acquisition/rec/electrodes", H5T_NATIVE_LLONG, 1, &three, rows);
  hobj_ref_t ref;
  g_assert_cmpint (H5Rcreate (&ref, f, "/general/extracellular_ephys/electrodes", H5R_OBJECT, -1), >=, 0);
  put_attr (f, "/acquisition/rec/electrodes", "table", H5T_STD_REF_OBJ, &ref);
  H5Tclose (str);
  H5Fclose (f);
  static short kept[18];
  memcpy (kept, raw, sizeof raw);
  return kept;
}

static void
test_nwb_foreign (void)
{
  g_autofree char *path = g_build_filename (tmp_dir, "rec.nwb", NULL);
  const short *raw = write_foreign (path);
  const float conversion = 0.5e-6f, offset = 1e-6f, cc[3] = { 1, 2, 4 };
  hid_t f;
  g_autoptr (GError) error = NULL;
  g_autoptr (WslfpLfp) lfp = wslfp_lfp_read (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lfp->n_times, ==, 6);
  g_assert_cmpuint (lfp->n_electrodes, ==, 3);
  for (int i = 0; i < 6; i++)
    for (int e = 0; e < 3; e++)
      {
        /* volts = raw · conversion · channel_conversion + offset, in µV */
        double want = (raw[i * 3 + e] * (double) conversion * cc[e] + (double) offset) * 1e6;
        g_assert_cmpfloat (fabs (lfp->uv[i * 3 + e] - want), <=, 1e-9 * fabs (want) + 1e-12);
      }
  g_assert_cmpfloat (fabs (lfp->t_ms[3] - 5004.0), <=, 1e-9);
  /* the region's rows of the table: x, no y (0), z; groups A, B, B */
  g_assert_cmpfloat (lfp->electrodes_um[0], ==, 20);
  g_assert_cmpfloat (lfp->electrodes_um[3 * 2], ==, 40);
  g_assert_cmpfloat (lfp->electrodes_um[3 * 2 + 1], ==, 0);
  g_assert_cmpfloat (lfp->electrodes_um[3 * 2 + 2], ==, -35);
  g_assert_cmpint (lfp->n_shanks, ==, 2);
  g_assert_cmpint (lfp->shank[0], ==, 0);
  g_assert_cmpint (lfp->shank[1], ==, 1);
  g_assert_cmpint (lfp->shank[2], ==, 1);
  /* a time that repeats (or goes back) is refused, naming the sample */
  const double repeats[6] = { 5.0, 5.001, 5.002, 5.002, 5.005, 5.006 }, back[6] = { 5.0, 5.001, 5.002, 5.0015, 5.005, 5.006 };
  const double *bad[2] = { repeats, back };
  for (int k = 0; k < 2; k++)
    {
      f = H5Fopen (path, H5F_ACC_RDWR, H5P_DEFAULT);
      hid_t d = H5Dopen2 (f, "/acquisition/rec/timestamps", H5P_DEFAULT);
      g_assert_cmpint (H5Dwrite (d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, bad[k]), >=, 0);
      H5Dclose (d);
      H5Fclose (f);
      g_assert_null (wslfp_lfp_read (path, &error));
      g_assert_nonnull (strstr (error->message, path));
      g_assert_nonnull (strstr (error->message, "are not increasing at 3"));
      g_clear_error (&error);
    }
  g_unlink (path);
}


/* Replaces the dataset @name of the file at @path (any shape). */
static void
replace (const char *path, const char *name, hid_t type, int rank, const hsize_t *dims, const void *data)
{
  hid_t f = H5Fopen (path, H5F_ACC_RDWR, H5P_DEFAULT);
  if (H5Lexists (f, name, H5P_DEFAULT) > 0)
    g_assert_cmpint (H5Ldelete (f, name, H5P_DEFAULT), >=, 0);
  if (type >= 0)
    put (f, name, type, rank, dims, data);
  H5Fclose (f);
}

static void
replace_attr (const char *path, const char *obj, const char *name, hid_t type, const void *value)
{
  hid_t f = H5Fopen (path, H5F_ACC_RDWR, H5P_DEFAULT);
  hid_t o = H5Oopen (f, obj, H5P_DEFAULT);
  if (H5Aexists (o, name) > 0)
    H5Adelete (o, name);
  H5Oclose (o);
  put_attr (f, obj, name, type, value);
  H5Fclose (f);
}

/* The same recording as others write it too: in mV or µV, timed by a
 * start and a rate, one channel; and the faults a reader must name (a unit
 * that is no voltage, no positive rate, times or per-channel factors or
 * electrode rows that do not match the channels, a row not in the table,
 * no series at all). */
static void
test_nwb_foreign_variants (void)
{
  g_autofree char *path = g_build_filename (tmp_dir, "variant.nwb", NULL);
  g_autoptr (GError) error = NULL;
  write_foreign (path);
  g_autoptr (WslfpLfp) volts = wslfp_lfp_read (path, &error);
  g_assert_no_error (error);
  hid_t str = H5Tcopy (H5T_C_S1);
  H5Tset_size (str, H5T_VARIABLE);
  const struct { const char *unit; double scale; } units[] = { { "mV", 1e-3 }, { "millivolts", 1e-3 },
                                                               { "uV", 1e-6 }, { "microvolts", 1e-6 },
                                                               { "V", 1 } };
  for (guint k = 0; k < G_N_ELEMENTS (units); k++)
    {
      write_foreign (path);
      replace_attr (path, "/acquisition/rec/data", "unit", str, &units[k].unit);
      g_autoptr (WslfpLfp) lfp = wslfp_lfp_read (path, &error);
      g_assert_no_error (error);
      for (gsize i = 0; i < 18; i++)
        g_assert_cmpfloat (fabs (lfp->uv[i] - units[k].scale * volts->uv[i]), <=, 1e-9 * fabs (volts->uv[i]) + 1e-15);
    }

  /* a start and a rate instead of timestamps */
  write_foreign (path);
  double start = 2.5, rate = 1000;
  replace (path, "/acquisition/rec/timestamps", -1, 0, NULL, NULL);
  replace (path, "/acquisition/rec/starting_time", H5T_NATIVE_DOUBLE, 0, NULL, &start);
  replace_attr (path, "/acquisition/rec/starting_time", "rate", H5T_NATIVE_DOUBLE, &rate);
  {
    g_autoptr (WslfpLfp) lfp = wslfp_lfp_read (path, &error);
    g_assert_no_error (error);
    for (gsize i = 0; i < 6; i++)
      g_assert_cmpfloat (fabs (lfp->t_ms[i] - 1000 * (2.5 + i / 1000.0)), <=, 1e-9);
  }

  /* one channel, no electrodes: a 1-D series */
  write_foreign (path);
  short one[6] = { 1, 2, 3, 4, 5, 6 };
  hsize_t six = 6;
  replace (path, "/acquisition/rec/data", H5T_NATIVE_SHORT, 1, &six, one);
  replace_attr (path, "/acquisition/rec/data", "unit", str, &(const char *) { "volts" });
  const float conversion = 0.5e-6f, offset = 1e-6f;
  replace_attr (path, "/acquisition/rec/data", "conversion", H5T_NATIVE_FLOAT, &conversion);
  replace_attr (path, "/acquisition/rec/data", "offset", H5T_NATIVE_FLOAT, &offset);
  replace (path, "/acquisition/rec/channel_conversion", -1, 0, NULL, NULL);
  replace (path, "/acquisition/rec/electrodes", -1, 0, NULL, NULL);
  {
    g_autoptr (WslfpLfp) lfp = wslfp_lfp_read (path, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (lfp->n_electrodes, ==, 1);
    g_assert_cmpuint (lfp->n_times, ==, 6);
    /* (conversion 0.5e-6, offset 1e-6 V) */
    g_assert_cmpfloat (fabs (lfp->uv[5] - (6 * 0.5 + 1)), <=, 1e-6);
    g_assert_cmpfloat (lfp->electrodes_um[0], ==, 0);
  }

  enum { FURLONGS, NO_RATE, SHORT_TIMES, SHORT_FACTORS, SHORT_ROWS, BAD_ROW, NO_SERIES, N_FAULTS };
  const char *want[N_FAULTS] = {
    ": /acquisition/rec/data has unit \"furlongs\"; expected volts",
    ": /acquisition/rec/starting_time has no positive rate attribute",
    ": /acquisition/rec/timestamps has 5 times for 6 samples",
    ": /acquisition/rec/channel_conversion has 2 values; expected 3",
    ": /acquisition/rec/electrodes names 2 electrodes for 3 channels",
    ": /acquisition/rec/electrodes[2] = 4 is not a row of /general/extracellular_ephys/electrodes",
    ": no ElectricalSeries (an NWB file without extracellular recordings)",
  };
  for (int k = 0; k < N_FAULTS; k++)
    {
      write_foreign (path);
      double zero = 0, five_times[5] = { 5.0, 5.001, 5.002, 5.003, 5.004 };
      float two_factors[2] = { 1, 2 };
      long long two_rows[2] = { 1, 2 }, bad_rows[3] = { 1, 2, 4 };
      hsize_t two = 2, three = 3, five = 5;
      switch (k)
        {
        case FURLONGS: replace_attr (path, "/acquisition/rec/data", "unit", str, &(const char *) { "furlongs" }); break;
        case NO_RATE:
          replace (path, "/acquisition/rec/timestamps", -1, 0, NULL, NULL);
          replace (path, "/acquisition/rec/starting_time", H5T_NATIVE_DOUBLE, 0, NULL, &start);
          replace_attr (path, "/acquisition/rec/starting_time", "rate", H5T_NATIVE_DOUBLE, &zero);
          break;
        case SHORT_TIMES: replace (path, "/acquisition/rec/timestamps", H5T_NATIVE_DOUBLE, 1, &five, five_times); break;
        case SHORT_FACTORS:
          replace (path, "/acquisition/rec/channel_conversion", H5T_NATIVE_FLOAT, 1, &two, two_factors);
          break;
        case SHORT_ROWS:
        case BAD_ROW:
          {
            hid_t f = H5Fopen (path, H5F_ACC_RDWR, H5P_DEFAULT);
            H5Ldelete (f, "/acquisition/rec/electrodes", H5P_DEFAULT);
            put (f, "/acquisition/rec/electrodes", H5T_NATIVE_LLONG, 1, k == SHORT_ROWS ? &two : &three,
                 k == SHORT_ROWS ? two_rows : bad_rows);
            hobj_ref_t ref;
            g_assert_cmpint (H5Rcreate (&ref, f, "/general/extracellular_ephys/electrodes", H5R_OBJECT, -1), >=, 0);
            put_attr (f, "/acquisition/rec/electrodes", "table", H5T_STD_REF_OBJ, &ref);
            H5Fclose (f);
            break;
          }
        case NO_SERIES:
          replace_attr (path, "/acquisition/rec", "neurodata_type", str, &(const char *) { "TimeSeries" });
          break;
        }
      g_assert_null (wslfp_lfp_read (path, &error));
      g_autofree char *message = g_strconcat (path, want[k], NULL);
      if (error == NULL || strcmp (error->message, message) != 0)
        g_error ("fault %d: \"%s\"; expected \"%s\"", k, error ? error->message : "read", message);
      g_clear_error (&error);
    }
  H5Tclose (str);
  g_unlink (path);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  tmp_dir = g_dir_make_tmp ("wslfp-test-nwb-XXXXXX", NULL);
  g_test_add_func ("/nwb/round-trip", test_nwb_round_trip);
  g_test_add_func ("/nwb/foreign", test_nwb_foreign);
  g_test_add_func ("/nwb/foreign-variants", test_nwb_foreign_variants);
  int status = g_test_run ();
  g_rmdir (tmp_dir);
  return status;
}
