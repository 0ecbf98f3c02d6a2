/* wslfp-profile-file.c: custom amplitude profiles from CSV files. */
#include "wslfp-profile-file.h"

#include <stdlib.h>

#include "wslfp-csv.h"
#include "wslfp-dataset.h"

static int
compare_doubles (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

/* The distinct values of column @col of @rows (3 per row), sorted. */
static double *
distinct (const double *rows, gsize n, int col, gsize *n_out)
{
  double *v = g_new (double, n);
  for (gsize i = 0; i < n; i++)
    v[i] = rows[3 * i + col];
  qsort (v, n, sizeof *v, compare_doubles);
  gsize m = 0;
  for (gsize i = 0; i < n; i++)
    if (m == 0 || v[i] != v[m - 1])
      v[m++] = v[i];
  *n_out = m;
  return v;
}

static gsize
index_of (const double *v, gsize n, double x)
{
  const double *hit = bsearch (&x, v, n, sizeof *v, compare_doubles);
  return (gsize) (hit - v);
}

WslfpProfile *
wslfp_profile_read_csv (const char *path, GError **error)
{
  gsize n = 0, n_r = 0, n_d = 0;
  g_autofree guint *lines = NULL;
  g_autofree double *rows = wslfp_csv_read (path, 3, 3, "r_um,d_um,amp_uV", &n, &lines, NULL, error);
  if (rows == NULL)
    return NULL;
  for (gsize i = 0; i < n; i++)
    if (rows[3 * i] < 0 || rows[3 * i + 1] < 0)
      {
        g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_INVALID,
                     "%s: line %u: r_um and d_um must be >= 0 (the grid is over r and |d|), found %g, %g", path,
                     lines[i], rows[3 * i], rows[3 * i + 1]);
        return NULL;
      }
  g_autofree double *r = distinct (rows, n, 0, &n_r);
  g_autofree double *d = distinct (rows, n, 1, &n_d);
  if (n_r < 2 || n_d < 2)
    {
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_INVALID,
                   "%s: the grid has %zu value%s of r_um and %zu of d_um; it needs at least 2 of each", path, n_r,
                   n_r == 1 ? "" : "s", n_d);
      return NULL;
    }
  /* A full grid has a row per point.  Far fewer rows than points is found
   * here, before a grid of n_r × n_d values is allocated (10⁵ distinct
   * values of each would be 80 GB); a few missing points are named below. */
  if (n_r > n / n_d && n_r > MAX (16 * n, (gsize) 1 << 20) / n_d)
    {
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_INVALID,
                   "%s: %zu values of r_um × %zu of d_um need a row per point, but the file has %zu rows: not a full "
                   "grid", path, n_r, n_d, n);
      return NULL;
    }
  /* Each grid point exactly once: remember the line that gave it. */
  g_autofree double *amp = g_new (double, n_r * n_d);
  g_autofree guint *from_line = g_new0 (guint, n_r * n_d);
  for (gsize i = 0; i < n; i++)
    {
      gsize k = index_of (r, n_r, rows[3 * i]) * n_d + index_of (d, n_d, rows[3 * i + 1]);
      if (from_line[k] != 0)
        {
          g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_INVALID,
                       "%s: line %u: the point r = %g, d = %g µm is already on line %u", path, lines[i],
                       rows[3 * i], rows[3 * i + 1], from_line[k]);
          return NULL;
        }
      from_line[k] = lines[i];
      amp[k] = rows[3 * i + 2];
    }
  for (gsize k = 0; k < n_r * n_d; k++)
    if (from_line[k] == 0)
      {
        g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_INVALID,
                     "%s: the grid (%zu values of r × %zu of d) has no point r = %g, d = %g µm", path, n_r, n_d,
                     r[k / n_d], d[k % n_d]);
        return NULL;
      }
  WslfpProfile *profile = NULL;
  WslfpError err;
  if (wslfp_profile_new_custom (r, n_r, d, n_d, amp, &profile, &err) != WSLFP_OK)
    {
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_INVALID, "%s: %s", path, err.message);
      return NULL;
    }
  return profile;
}
