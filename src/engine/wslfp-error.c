/* wslfp-error.c: status strings and argument checks shared by the engine. */
#include "wslfp-private.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

const char *
wslfp_strerror (WslfpStatus status)
{
  switch (status)
    {
    case WSLFP_OK: return "success";
    case WSLFP_ERROR_INVALID_ARGUMENT: return "invalid argument";
    case WSLFP_ERROR_SHAPE: return "shape mismatch";
    case WSLFP_ERROR_NOT_FINITE: return "value is not finite";
    case WSLFP_ERROR_NOT_INCREASING: return "times are not strictly increasing";
    case WSLFP_ERROR_INDEX: return "index out of range";
    case WSLFP_ERROR_OUT_OF_RANGE: return "time outside the data";
    case WSLFP_ERROR_NO_MEMORY: return "out of memory";
    case WSLFP_ERROR_CANCELLED: return "cancelled";
    case WSLFP_N_STATUS: break;
    }
  return "unknown status";
}

WslfpStatus
wslfp_fail (WslfpError *error, WslfpStatus status, const char *format, ...)
{
  if (error != NULL)
    {
      va_list args;
      va_start (args, format);
      error->status = status;
      vsnprintf (error->message, sizeof error->message, format, args);
      va_end (args);
    }
  return status;
}

WslfpStatus
wslfp_ok (WslfpError *error)
{
  if (error != NULL)
    {
      error->status = WSLFP_OK;
      error->message[0] = '\0';
    }
  return WSLFP_OK;
}

WslfpStatus
wslfp_check_finite (const double *values, size_t n, size_t cols,
                    const char *what, WslfpError *error)
{
  size_t total = n * cols;
  /* x * 0 is 0 for finite x and NaN otherwise, so one sum tells whether any
   * value is bad; only then do we look for which. */
  double probe = 0.0;
  for (size_t i = 0; i < total; i++)
    probe += values[i] * 0.0;
  if (probe == 0.0)
    return WSLFP_OK;
  for (size_t i = 0; i < total; i++)
    if (!isfinite (values[i]))
      {
        if (cols == 1)
          return wslfp_fail (error, WSLFP_ERROR_NOT_FINITE, "%s[%zu] is %g",
                             what, i, values[i]);
        return wslfp_fail (error, WSLFP_ERROR_NOT_FINITE, "%s[%zu][%zu] is %g",
                           what, i / cols, i % cols, values[i]);
      }
  return WSLFP_OK;
}

WslfpStatus
wslfp_check_times (const double *t, size_t n, const char *what, WslfpError *error)
{
  WslfpStatus status = wslfp_check_finite (t, n, 1, what, error);
  if (status != WSLFP_OK)
    return status;
  for (size_t i = 1; i < n; i++)
    if (!(t[i] > t[i - 1]))
      return wslfp_fail (error, WSLFP_ERROR_NOT_INCREASING,
                         "%s is not strictly increasing: %s[%zu] = %.17g ms follows %.17g ms",
                         what, what, i, t[i], t[i - 1]);
  return WSLFP_OK;
}

WslfpStatus
wslfp_check_count (size_t n, size_t size, const char *what, WslfpError *error)
{
  if (size != 0 && n > (size_t) PTRDIFF_MAX / size)
    return wslfp_fail (error, WSLFP_ERROR_SHAPE,
                       "%s = %zu is too large (a negative count?)", what, n);
  return WSLFP_OK;
}
