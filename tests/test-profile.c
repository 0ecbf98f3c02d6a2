/* test-profile.c: amplitude profiles against the Python package's numbers
 * and the fixtures' rules. */
#include <glib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "wslfp.h"
#include "wslfp-test-data.h"

/* amplitude_points.csv: r, d, L and the three profiles, 200 points, by
 * the fixtures' rule (the Mazzoni profiles bilinear on the Fig. 2B grid: a
 * custom profile of that grid); the built-in Mazzoni profiles equal them
 * where the rules meet (on the grid's lines, and outside it). */
static void
test_profile_fixture_points (void)
{
  g_autofree char *path = wslfp_test_data_path ("amplitude_points.csv");
  g_autofree char *text = NULL;
  g_autoptr (GError) error = NULL;
  const WslfpProfileKind kinds[3] = { WSLFP_PROFILE_AUSSEL18, WSLFP_PROFILE_MAZZONI15,
                                      WSLFP_PROFILE_MAZZONI15_SINGLE };
  WslfpProfile *profiles[3];
  guint n_points = 0;

  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  WslfpProfile *builtin[3];
  guint n_on_lines = 0;
  for (int k = 0; k < 3; k++)
    {
      profiles[k] = wslfp_test_fixture_profile (wslfp_profile_kind_to_string (kinds[k]));
      g_assert_cmpint (wslfp_profile_new (kinds[k], &builtin[k], NULL), ==, WSLFP_OK);
    }
  g_autofree char *grid_path = wslfp_test_data_path ("mazzoni15_fig2b_grid.csv");
  g_autofree char *grid_text = NULL;
  g_assert_true (g_file_get_contents (grid_path, &grid_text, NULL, NULL));

  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  g_assert_cmpstr (lines[0], ==, "r_um,d_um,L_um,aussel18,mazzoni15,mazzoni15_single");
  for (guint i = 1; lines[i] != NULL; i++)
    {
      double v[6];
      if (lines[i][0] == '\0')
        continue;
      g_assert_cmpint (sscanf (lines[i], "%lf,%lf,%lf,%lf,%lf,%lf", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5]), ==, 6);
      for (int k = 0; k < 3; k++)
        {
          double got = wslfp_profile_eval (profiles[k], v[0], v[1], v[2]);
          double want = v[3 + k];
          if (fabs (got - want) > 1e-12 * fabs (want))
            g_error ("line %u: %s(r=%g, d=%g, L=%g) = %.17g, expected %.17g", i,
                     wslfp_profile_kind_to_string (kinds[k]), v[0], v[1], v[2], got, want);
        }
      /* on a line of the grid (r or |d| a grid value) or outside it, the
       * triangles and the bilinear rule agree */
      char r_text[G_ASCII_DTOSTR_BUF_SIZE];
      g_autofree char *r_line = g_strdup_printf ("\n%s,", g_ascii_formatd (r_text, sizeof r_text, "%.1f", v[0]));
      gboolean on_line = (v[0] == round (v[0]) && strstr (grid_text, r_line) != NULL)
                         || v[0] > 1000.0 || fabs (v[1]) > 2000.0 || v[1] == 0.0;
      if (on_line)
        {
          n_on_lines++;
          double got = wslfp_profile_eval (builtin[1], v[0], v[1], v[2]);
          g_assert_cmpfloat (fabs (got - v[4]), <=, 1e-12 * fabs (v[4]) + 1e-15);
        }
      n_points++;
    }
  g_assert_cmpuint (n_points, ==, 200);
  g_assert_cmpuint (n_on_lines, >=, 20);
  for (int k = 0; k < 3; k++)
    {
      wslfp_profile_free (profiles[k]);
      wslfp_profile_free (builtin[k]);
    }
}

/* The built-in mazzoni15 and mazzoni15_single equal the original package's
 * (SciPy's linear interpolation on the Delaunay triangles of its sample
 * points: tests/data/mazzoni15_delaunay_points.csv, 3000 points inside,
 * on the lines and nodes, on the edges and outside) to 1e-12 of the peak;
 * inside the cells they are not bilinear. */
static void
test_profile_original_triangles (void)
{
  g_autofree char *path = wslfp_test_data_path ("mazzoni15_delaunay_points.csv");
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  WslfpProfile *pop, *single, *bilinear;
  g_assert_cmpint (wslfp_profile_new (WSLFP_PROFILE_MAZZONI15, &pop, NULL), ==, WSLFP_OK);
  g_assert_cmpint (wslfp_profile_new (WSLFP_PROFILE_MAZZONI15_SINGLE, &single, NULL), ==, WSLFP_OK);
  bilinear = wslfp_test_fixture_profile ("mazzoni15");
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  g_assert_cmpstr (lines[0], ==, "r_um,d_um,mazzoni15,mazzoni15_single");
  guint n = 0;
  double peak = 0, worst = 0, off_bilinear = 0;
  for (guint i = 1; lines[i] != NULL; i++)
    {
      double v[4];
      if (sscanf (lines[i], "%lf,%lf,%lf,%lf", &v[0], &v[1], &v[2], &v[3]) != 4)
        continue;
      double a = wslfp_profile_eval (pop, v[0], v[1], 250), b = wslfp_profile_eval (single, v[0], v[1], 250);
      peak = fmax (peak, fmax (fabs (v[2]), fabs (v[3])));
      worst = fmax (worst, fmax (fabs (a - v[2]), fabs (b - v[3])));
      off_bilinear = fmax (off_bilinear, fabs (wslfp_profile_eval (bilinear, v[0], v[1], 250) - v[2]));
      n++;
    }
  g_assert_cmpuint (n, ==, 3000);
  g_test_message ("largest difference %g of a peak of %g; the bilinear rule differs by up to %g", worst, peak,
                  off_bilinear);
  g_assert_cmpfloat (peak, >, 0.05);
  g_assert_cmpfloat (worst, <=, 1e-12 * peak);
  g_assert_cmpfloat (off_bilinear, >, 1e-3 * peak);
  wslfp_profile_free (pop);
  wslfp_profile_free (single);
  wslfp_profile_free (bilinear);
}

/* The embedded table reproduces every node of the digitised grid (to
 * rounding). */
static void
test_profile_grid_nodes (void)
{
  gsize n = 0;
  g_autofree char *path = wslfp_test_data_path ("mazzoni15_fig2b_grid.csv");
  g_autofree char *text = NULL;
  WslfpProfile *p;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_assert_cmpint (wslfp_profile_new (WSLFP_PROFILE_MAZZONI15, &p, NULL), ==, WSLFP_OK);
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  for (guint i = 1; lines[i] != NULL; i++)
    {
      double r, d, a;
      if (sscanf (lines[i], "%lf,%lf,%lf", &r, &d, &a) != 3)
        continue;
      /* to rounding: a node is a corner of the triangle its value is read from */
      g_assert_cmpfloat_with_epsilon (wslfp_profile_eval (p, r, d, 250), a, 1e-16);
      /* odd in d */
      g_assert_cmpfloat (wslfp_profile_eval (p, r, -d, 250), ==, -wslfp_profile_eval (p, r, d, 250));
      n++;
    }
  g_assert_cmpuint (n, ==, 9 * 50);
  wslfp_profile_free (p);
}

/* A custom grid: bilinear inside (checked by hand), odd in d, 0 outside. */
static void
test_profile_custom (void)
{
  const double r[] = { 0, 100, 300 };
  const double d[] = { 0, 50 };
  const double amp[] = { 1, 3,    /* r = 0 */
                         5, 7,    /* r = 100 */
                         -1, -3 }; /* r = 300 */
  WslfpProfile *p;
  WslfpError err;

  g_assert_cmpint (wslfp_profile_new_custom (r, 3, d, 2, amp, &p, &err), ==, WSLFP_OK);
  g_assert_cmpint (wslfp_profile_get_kind (p), ==, WSLFP_PROFILE_CUSTOM);
  /* centre of the first cell: mean of the corners (1 + 3 + 5 + 7) / 4 */
  g_assert_cmpfloat_with_epsilon (wslfp_profile_eval (p, 50, 25, 0), 4.0, 1e-14);
  g_assert_cmpfloat_with_epsilon (wslfp_profile_eval (p, 50, -25, 0), -4.0, 1e-14);
  /* r = 200, d = 50: halfway between 7 and -3 */
  g_assert_cmpfloat_with_epsilon (wslfp_profile_eval (p, 200, 50, 0), 2.0, 1e-14);
  /* the grid's edges are on it: r = r_max and d = d_max read the table */
  g_assert_cmpfloat_with_epsilon (wslfp_profile_eval (p, 300, 25, 0), -2.0, 1e-14);
  g_assert_cmpfloat_with_epsilon (wslfp_profile_eval (p, 300, 50, 0), -3.0, 1e-14);
  g_assert_cmpfloat_with_epsilon (wslfp_profile_eval (p, 100, 50, 0), 7.0, 1e-14);
  g_assert_cmpfloat_with_epsilon (wslfp_profile_eval (p, 0, -50, 0), -3.0, 1e-14);
  g_assert_cmpfloat (wslfp_profile_eval (p, 301, 10, 0), ==, 0.0);
  g_assert_cmpfloat (wslfp_profile_eval (p, 10, 50.001, 0), ==, 0.0);
  g_assert_cmpfloat (wslfp_profile_eval (p, 10, 0, 0), ==, 0.0);
  /* A copy outlives the original, with the same values. */
  WslfpProfile *copy;
  g_assert_cmpint (wslfp_profile_copy (p, &copy, &err), ==, WSLFP_OK);
  wslfp_profile_free (p);
  g_assert_cmpint (wslfp_profile_get_kind (copy), ==, WSLFP_PROFILE_CUSTOM);
  g_assert_cmpfloat_with_epsilon (wslfp_profile_eval (copy, 50, -25, 0), -4.0, 1e-14);
  g_assert_cmpfloat_with_epsilon (wslfp_profile_eval (copy, 200, 50, 0), 2.0, 1e-14);
  wslfp_profile_free (copy);
  g_assert_cmpint (wslfp_profile_copy (NULL, &copy, &err), ==, WSLFP_ERROR_INVALID_ARGUMENT);
  g_assert_null (copy);

  const double bad_r[] = { 0, 100, 100 };
  g_assert_cmpint (wslfp_profile_new_custom (bad_r, 3, d, 2, amp, &p, &err), ==, WSLFP_ERROR_NOT_INCREASING);
  g_assert_nonnull (strstr (err.message, "r_um[2]"));
  g_assert_null (p);
  const double neg_d[] = { -10, 50 };
  g_assert_cmpint (wslfp_profile_new_custom (r, 3, neg_d, 2, amp, &p, &err), ==, WSLFP_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (err.message, "d_um[0]"));
  const double nan_amp[] = { 1, 3, 5, NAN, 0, 0 };
  g_assert_cmpint (wslfp_profile_new_custom (r, 3, d, 2, nan_amp, &p, &err), ==, WSLFP_ERROR_NOT_FINITE);
  g_assert_nonnull (strstr (err.message, "amp_uv[1][1]"));
  g_assert_cmpint (wslfp_profile_new_custom (r, 1, d, 2, amp, &p, &err), ==, WSLFP_ERROR_SHAPE);
}

/* Bilinear interpolation by the definition (a linear scan for the cell),
 * to check the profile's fast interval search on grids it cannot guess. */
static double
bilinear_by_scan (const double *r, gsize n_r, const double *d, gsize n_d, const double *amp, double x, double y)
{
  gsize i = 0, j = 0;
  while (i + 2 < n_r && r[i + 1] < x)
    i++;
  while (j + 2 < n_d && d[j + 1] < y)
    j++;
  double tr = (x - r[i]) / (r[i + 1] - r[i]), ta = (y - d[j]) / (d[j + 1] - d[j]);
  return (1 - tr) * ((1 - ta) * amp[i * n_d + j] + ta * amp[i * n_d + j + 1])
         + tr * ((1 - ta) * amp[(i + 1) * n_d + j] + ta * amp[(i + 1) * n_d + j + 1]);
}

/* A custom grid that is far from uniform (steps doubling in r, a dense
 * patch in d), with values no plane fits: every point, at the grid lines
 * and between them, gives the bilinear value of its own cell. */
static void
test_profile_custom_uneven_grid (void)
{
  enum { NR = 12, ND = 9 };
  double r[NR], d[ND] = { 0, 1, 2, 3, 4, 5, 200, 600, 1000 }, amp[NR * ND];
  for (int i = 0; i < NR; i++)
    r[i] = i == 0 ? 0 : ldexp (1, i - 1); /* 0, 1, 2, 4, … 1024 */
  for (int i = 0; i < NR; i++)
    for (int j = 0; j < ND; j++)
      amp[i * ND + j] = sin (0.7 * i) * cos (1.3 * j) + 0.1 * i * j;
  WslfpProfile *p;
  WslfpError err;
  g_assert_cmpint (wslfp_profile_new_custom (r, NR, d, ND, amp, &p, &err), ==, WSLFP_OK);
  GRand *rng = g_rand_new_with_seed (7);
  for (int k = 0; k < 20000; k++)
    {
      /* a third of the points on a grid line, the rest anywhere */
      double x = k % 3 == 0 ? r[g_rand_int_range (rng, 0, NR)] : g_rand_double_range (rng, 0, 1024);
      double y = k % 3 == 1 ? d[g_rand_int_range (rng, 0, ND)] : g_rand_double_range (rng, 0, 1000);
      /* (odd in d: 0 at d = 0) */
      double want = y > 0 ? bilinear_by_scan (r, NR, d, ND, amp, x, y) : 0.0;
      g_assert_cmpfloat_with_epsilon (wslfp_profile_eval (p, x, y, 0), want, 1e-12);
      if (y > 0)
        g_assert_cmpfloat_with_epsilon (wslfp_profile_eval (p, x, -y, 0), -want, 1e-12);
    }
  g_rand_free (rng);
  wslfp_profile_free (p);
}

static void
test_profile_names (void)
{
  WslfpProfile *p;
  WslfpError err;
  const char *names[] = { "mazzoni15", "mazzoni15_single", "aussel18" };
  double extent_r[3] = { 0 };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_assert_cmpint (wslfp_profile_new_from_name (names[i], &p, &err), ==, WSLFP_OK);
      g_assert_cmpstr (wslfp_profile_kind_to_string (wslfp_profile_get_kind (p)), ==, names[i]);
      double r_max, d_max;
      wslfp_profile_get_extent (p, &r_max, &d_max);
      g_assert_cmpfloat (r_max, >, 0);
      g_assert_cmpfloat (d_max, >, 0);
      if (wslfp_profile_get_kind (p) != WSLFP_PROFILE_AUSSEL18)
        {
          /* The extent is where the profile ends: just outside it nothing
           * has weight; just inside the deepest d some r has (the table's
           * last r rows are zero, so only the d edge shows from inside). */
          gboolean inside_d = FALSE;
          for (int k = 1; k < 200; k++)
            {
              double d = d_max * k / 200.0, r = r_max * k / 200.0;
              inside_d |= wslfp_profile_eval (p, r, d_max * 0.999, 250) != 0;
              g_assert_cmpfloat (wslfp_profile_eval (p, r_max * 1.001, d, 250), ==, 0);
              g_assert_cmpfloat (wslfp_profile_eval (p, r, d_max * 1.001, 250), ==, 0);
            }
          g_assert_true (inside_d);
          extent_r[i] = r_max;
        }
      wslfp_profile_free (p);
    }
  /* The single-neuron profile is the population one at distances scaled
   * up by 1.31724 (Python package): its table ends that much nearer. */
  g_assert_cmpfloat_with_epsilon (extent_r[1] * 1.31724, extent_r[0], 1e-9);
  g_assert_cmpint (wslfp_profile_new_from_name ("mazoni", &p, &err), ==, WSLFP_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (err.message, "\"mazoni\""));
  g_assert_cmpint (wslfp_profile_new (WSLFP_PROFILE_CUSTOM, &p, &err), ==, WSLFP_ERROR_INVALID_ARGUMENT);
  g_assert_cmpint (wslfp_profile_new (WSLFP_PROFILE_AUSSEL18, NULL, &err), ==, WSLFP_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (wslfp_strerror (WSLFP_ERROR_NOT_FINITE), ==, "value is not finite");
  /* An error reused for a call that succeeds says so: no stale message. */
  g_assert_cmpint (wslfp_profile_new_from_name ("aussel18", &p, &err), ==, WSLFP_OK);
  g_assert_cmpint (err.status, ==, WSLFP_OK);
  g_assert_cmpstr (err.message, ==, "");
  wslfp_profile_free (p);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/profile/fixture-points", test_profile_fixture_points);
  g_test_add_func ("/engine/profile/grid-nodes", test_profile_grid_nodes);
  g_test_add_func ("/engine/profile/original-triangles", test_profile_original_triangles);
  g_test_add_func ("/engine/profile/custom", test_profile_custom);
  g_test_add_func ("/engine/profile/custom-uneven-grid", test_profile_custom_uneven_grid);
  g_test_add_func ("/engine/profile/names", test_profile_names);
  return g_test_run ();
}
