/* wslfp-normalize.c: per-electrode normalisation of LFP traces. */
#include "wslfp-private.h"

#include <stdlib.h>

static WslfpStatus
check_args (const WslfpModel *model, const double *lfp, size_t n_times, WslfpError *error)
{
  if (model == NULL)
    return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT, "model is NULL");
  if (n_times > 0 && lfp == NULL)
    return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT, "lfp is NULL");
  return WSLFP_OK;
}

WslfpStatus
wslfp_normalize (const WslfpModel *model, double *lfp, size_t n_times, double *mean_out,
                 double *std_out, WslfpError *error)
{
  WslfpStatus status = check_args (model, lfp, n_times, error);
  if (status != WSLFP_OK)
    return status;
  size_t E = wslfp_model_get_n_electrodes (model);
  double *mean = calloc (2 * E, sizeof (double));
  if (mean == NULL)
    return wslfp_fail (error, WSLFP_ERROR_NO_MEMORY, "out of memory normalising %zu electrodes", E);
  double *std = mean + E;

  /* Two passes (mean, then squared deviations) for accuracy. */
  for (size_t t = 0; t < n_times; t++)
    for (size_t e = 0; e < E; e++)
      mean[e] += lfp[t * E + e];
  for (size_t e = 0; e < E; e++)
    mean[e] = n_times > 0 ? mean[e] / (double) n_times : 0.0;
  for (size_t t = 0; t < n_times; t++)
    for (size_t e = 0; e < E; e++)
      {
        double v = lfp[t * E + e] - mean[e];
        std[e] += v * v;
      }
  for (size_t e = 0; e < E; e++)
    {
      std[e] = n_times > 1 ? sqrt (std[e] / (double) n_times) : 1.0;
      /* A constant trace can pick up rounding noise in dgemm (remainder rows
       * take another kernel); that is no variance worth amplifying. */
      if (n_times > 1 && std[e] <= 1e-13 * fabs (mean[e]))
        std[e] = 0.0;
    }

  status = wslfp_normalize_with (model, lfp, n_times, mean, std, error);
  for (size_t e = 0; e < E; e++)
    {
      if (mean_out != NULL)
        mean_out[e] = mean[e];
      if (std_out != NULL)
        std_out[e] = std[e];
    }
  free (mean);
  return status;
}

WslfpStatus
wslfp_check_normalization (const double *mean, const double *std, size_t n_electrodes, WslfpError *error)
{
  if (mean == NULL || std == NULL)
    return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT, "%s is NULL", mean == NULL ? "mean" : "std");
  for (size_t e = 0; e < n_electrodes; e++)
    {
      if (!isfinite (mean[e]))
        return wslfp_fail (error, WSLFP_ERROR_NOT_FINITE, "mean[%zu] is %g", e, mean[e]);
      if (!isfinite (std[e]) || std[e] < 0.0)
        return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT, "std[%zu] = %g is not a finite value >= 0",
                           e, std[e]);
    }
  return WSLFP_OK;
}

WslfpStatus
wslfp_normalize_with (const WslfpModel *model, double *lfp, size_t n_times, const double *mean,
                      const double *std, WslfpError *error)
{
  WslfpStatus status = check_args (model, lfp, n_times, error);
  if (status != WSLFP_OK)
    return status;
  size_t E = wslfp_model_get_n_electrodes (model);
  if ((status = wslfp_check_normalization (mean, std, E, error)) != WSLFP_OK)
    return status;
  double *gain = malloc (E * sizeof (double));
  if (gain == NULL)
    return wslfp_fail (error, WSLFP_ERROR_NO_MEMORY, "out of memory normalising %zu electrodes", E);
  wslfp_mean_abs_amplitude (model, gain);
  /* A flat trace has no variance to normalise: it becomes 0, never NaN. */
  for (size_t e = 0; e < E; e++)
    gain[e] = std[e] > 0.0 ? gain[e] / std[e] : 0.0;
  for (size_t t = 0; t < n_times; t++)
    for (size_t e = 0; e < E; e++)
      lfp[t * E + e] = (lfp[t * E + e] - mean[e]) * gain[e];
  free (gain);
  return wslfp_ok (error);
}
