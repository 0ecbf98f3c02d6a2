/* wslfp-voxels.c: points grouped by the cube of a grid they fall in, for
 * previews that pool the cells of a large network by place (see
 * wslfp_combined_new_pooled()). */
#include "wslfp-private.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

typedef struct
{
  int64_t key[3];
  size_t point;
} Keyed;

static int
compare_keyed (const void *a, const void *b)
{
  const Keyed *x = a, *y = b;
  for (int k = 0; k < 3; k++)
    if (x->key[k] != y->key[k])
      return x->key[k] < y->key[k] ? -1 : 1;
  /* (ties by point: the sort's order, hence the groups' sums, is the same
   * on every platform) */
  return (x->point > y->point) - (x->point < y->point);
}

static bool
same_voxel (const Keyed *x, const Keyed *y)
{
  return x->key[0] == y->key[0] && x->key[1] == y->key[1] && x->key[2] == y->key[2];
}

WslfpStatus
wslfp_voxel_groups (const double *points_um, size_t n, double voxel_um, size_t *group, double *centroids_um,
                    size_t *n_groups, WslfpError *error)
{
  WslfpStatus status;

  if (points_um == NULL || group == NULL || centroids_um == NULL || n_groups == NULL)
    return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT, "%s is NULL",
                       points_um == NULL ? "points_um" : group == NULL ? "group"
                                                       : centroids_um == NULL ? "centroids_um" : "n_groups");
  *n_groups = 0;
  if (!(voxel_um > 0.0) || !isfinite (voxel_um))
    return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT, "voxel_um = %g: it must be positive and finite", voxel_um);
  if (n == 0)
    return wslfp_ok (error);
  if ((status = wslfp_check_count (n, sizeof (Keyed), "n", error)) != WSLFP_OK
      || (status = wslfp_check_finite (points_um, n, 3, "points_um", error)) != WSLFP_OK)
    return status;
  Keyed *keyed = malloc (n * sizeof *keyed);
  if (keyed == NULL)
    return wslfp_fail (error, WSLFP_ERROR_NO_MEMORY, "out of memory grouping %zu points", n);
  for (size_t i = 0; i < n; i++)
    {
      for (int k = 0; k < 3; k++)
        {
          double cell = floor (points_um[3 * i + k] / voxel_um);
          /* (an index an int64 cannot hold: voxels far too small for the
           * points' spread) */
          if (!(fabs (cell) < 0x1.0p62))
            {
              free (keyed);
              return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT,
                                 "points_um[%zu][%d] = %g is %g voxels of %g µm from 0: too many", i, k,
                                 points_um[3 * i + k], cell, voxel_um);
            }
          keyed[i].key[k] = (int64_t) cell;
        }
      keyed[i].point = i;
    }
  qsort (keyed, n, sizeof *keyed, compare_keyed);
  size_t g = 0, first = 0;
  for (size_t i = 1; i <= n; i++)
    {
      if (i < n && same_voxel (&keyed[i], &keyed[first]))
        continue;
      /* points [first, i) of the sorted list share a voxel: group g */
      double sum[3] = { 0.0, 0.0, 0.0 };
      for (size_t j = first; j < i; j++)
        {
          group[keyed[j].point] = g;
          for (int k = 0; k < 3; k++)
            sum[k] += points_um[3 * keyed[j].point + k];
        }
      for (int k = 0; k < 3; k++)
        centroids_um[3 * g + k] = sum[k] / (double) (i - first);
      g++;
      first = i;
    }
  free (keyed);
  *n_groups = g;
  return wslfp_ok (error);
}
