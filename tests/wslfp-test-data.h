/* wslfp-test-data.h: reading reference fixtures in tests. */
#pragma once

#include <glib.h>

/* A dataset of the fixture @file (in tests/data) as doubles; rows and cols
 * get its shape (cols 1 for 1-D data, rows 1 for scalars). */
double *wslfp_test_read (const char *file, const char *path, gsize *rows, gsize *cols);
/* The same as int64. */
gint64 *wslfp_test_read_int (const char *file, const char *path, gsize *n);
double wslfp_test_read_attr (const char *file, const char *path, const char *name);
/* Absolute path of a fixture. */
char *wslfp_test_data_path (const char *file);

/* Largest |a − b| over n values divided by max |b|. */
double wslfp_test_rel_error (const double *a, const double *b, gsize n);

/* Replaces dataset @path of the HDF5 file @file by a virtual dataset of
 * the same shape and type over @src_set of @src_file ("." for this file). */
void wslfp_test_make_virtual (const char *file, const char *path, const char *src_file, const char *src_set);
#include <hdf5.h>

/* Writes to @path a copy of the fixture @file whose two currents are
 * stored anew, as @file_type with the creation properties @dcpl (chunks,
 * filters); everything else is copied as it is.  With @bad_row inside the
 * currents, AMPA current [bad_row][bad_col] becomes @bad_value. */
void wslfp_test_copy_with_currents (const char *file, const char *path, hid_t file_type, hid_t dcpl, double bad_value,
                                    gsize bad_row, gsize bad_col);

/* small_case.h5 loaded whole. */
typedef struct
{
  double *electrodes; gsize n_electrodes;
  double *sources; gsize n_sources;
  double *orientation;
  double *lengths;
  double *t_ampa, *i_ampa; gsize n_ampa;
  double *t_gaba, *i_gaba; gsize n_gaba;
  double *t_eval; gsize n_eval;
  double *t_eval_oor; gsize n_eval_oor;
} WslfpTestCase;

WslfpTestCase *wslfp_test_case_load (void);
void wslfp_test_case_free (WslfpTestCase *c);

#include "wslfp.h"

/* The profile @name as the fixtures define it (tests/data/README.md):
 * mazzoni15 and mazzoni15_single bilinear on the Fig. 2B grid (a custom
 * profile of the fixture grid, its axes divided and its amplitudes
 * multiplied by the single-neuron factors for mazzoni15_single); the
 * library's built-in Mazzoni profiles follow the original package's
 * triangulation instead.  Others: built in. */
WslfpProfile *wslfp_test_fixture_profile (const char *name);
/* The same as a grid CSV for `--profile GRID.csv` (written into @dir for
 * mazzoni15_single); NULL for a profile that is not a grid. */
char *wslfp_test_fixture_grid_csv (const char *name, const char *dir);

/* Runs @cycle (open or read something, then free it) five times @n times
 * and fails, naming @what, if the heap grows with the count (a leak). */
typedef void (*WslfpTestCycle) (gconstpointer data);
void wslfp_test_assert_no_growth (const char *what, WslfpTestCycle cycle, gconstpointer data, int n);
