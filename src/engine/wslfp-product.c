/* wslfp-product.c: a panel of current rows times A^T, added to a caller's
 * product: the building block for streaming files block by block (each
 * block multiplied where it was decoded, in the data's own precision). */
#include "wslfp-private.h"

#include <cblas.h>
#include <stdlib.h>

/* Sources per single-precision product: sgemm accumulates each output in
 * float, one term after another, so its rounding grows with the panel
 * (on brian_small: 4.4e-7 of the peak for 200 sources at once, 1.2e-7 for
 * panels of 64); the panels' products are added in double. */
#define FLOAT_PANEL 64
/* Sources per conversion of float32 data to double (the exact path). */
#define CONVERT_PANEL 512

static double
value_at (const void *block, WslfpValueType type, size_t i)
{
  return type == WSLFP_FLOAT32 ? (double) ((const float *) block)[i] : ((const double *) block)[i];
}

/* Population mode: each row summed over the panel, times A's one column. */
static void
accumulate_population (const WslfpModel *model, const void *block, WslfpValueType type, size_t n_rows,
                       size_t n_cols, size_t stride, double *out)
{
  const double *a = wslfp_model_get_amplitude (model);
  size_t E = wslfp_model_get_n_electrodes (model);
  for (size_t r = 0; r < n_rows; r++)
    {
      double sum = 0.0;
      for (size_t s = 0; s < n_cols; s++)
        sum += value_at (block, type, r * stride + s);
      for (size_t e = 0; e < E; e++)
        out[r * E + e] += sum * a[e];
    }
}

/* Whether row @e of the float amplitudes @a (stride @S) is 0 at the @n
 * columns from @c. */
static bool
row_is_zero (const float *a, size_t S, size_t e, size_t c, size_t n)
{
  const float *row = a + e * S + c;
  for (size_t s = 0; s < n; s++)
    if (row[s] != 0.0f)
      return false;
  return true;
}

static WslfpStatus
accumulate_float (const WslfpModel *model, const float *block, size_t n_rows, size_t n_cols, size_t stride,
                  size_t first, double *out, WslfpError *error)
{
  const float *a = wslfp_model_amplitude_f32 (model);
  size_t E = wslfp_model_get_n_electrodes (model), S = wslfp_model_get_n_columns (model);
  float *part = malloc (n_rows * E * sizeof (float));
  if (a == NULL || part == NULL)
    {
      free (part);
      return wslfp_fail (error, WSLFP_ERROR_NO_MEMORY, "out of memory for a %zu × %zu float product", n_rows, E);
    }
  for (size_t c0 = 0; c0 < n_cols; c0 += FLOAT_PANEL)
    {
      size_t nc = n_cols - c0 < FLOAT_PANEL ? n_cols - c0 : FLOAT_PANEL;
      /* Only the electrodes [e0, e1) that some source of the panel reaches:
       * a panel of cells close together (a spilled block's, sorted by
       * place) is out of reach of a long probe's far contacts, whose rows
       * of A are 0 there.  (At least one row, so that a NaN or an
       * infinity in the currents still shows in the product.) */
      size_t e0 = 0, e1 = E;
      while (e0 + 1 < e1 && row_is_zero (a, S, e0, first + c0, nc))
        e0++;
      while (e1 - 1 > e0 && row_is_zero (a, S, e1 - 1, first + c0, nc))
        e1--;
      size_t m = e1 - e0;
      cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans, (int) n_rows, (int) m, (int) nc, 1.0f, block + c0,
                   (int) stride, a + e0 * S + first + c0, (int) S, 0.0f, part, (int) m);
      for (size_t r = 0; r < n_rows; r++)
        {
          double *o = out + r * E + e0;
          const float *q = part + r * m;
          for (size_t e = 0; e < m; e++)
            o[e] += q[e];
        }
    }
  free (part);
  return WSLFP_OK;
}

static WslfpStatus
accumulate_float_as_double (const WslfpModel *model, const float *block, size_t n_rows, size_t n_cols,
                            size_t stride, size_t first, double *out, WslfpError *error)
{
  const double *a = wslfp_model_get_amplitude (model);
  size_t E = wslfp_model_get_n_electrodes (model), S = wslfp_model_get_n_columns (model);
  size_t width = n_cols < CONVERT_PANEL ? n_cols : CONVERT_PANEL;
  double *panel = malloc (n_rows * width * sizeof (double));
  if (panel == NULL)
    return wslfp_fail (error, WSLFP_ERROR_NO_MEMORY, "out of memory for a %zu × %zu block", n_rows, width);
  for (size_t c0 = 0; c0 < n_cols; c0 += CONVERT_PANEL)
    {
      size_t nc = n_cols - c0 < CONVERT_PANEL ? n_cols - c0 : CONVERT_PANEL;
      for (size_t r = 0; r < n_rows; r++)
        for (size_t s = 0; s < nc; s++)
          panel[r * nc + s] = block[r * stride + c0 + s];
      cblas_dgemm (CblasRowMajor, CblasNoTrans, CblasTrans, (int) n_rows, (int) E, (int) nc, 1.0, panel, (int) nc,
                   a + first + c0, (int) S, 1.0, out, (int) E);
    }
  free (panel);
  return WSLFP_OK;
}

WslfpStatus
wslfp_model_accumulate (const WslfpModel *model, const void *block, WslfpValueType type, size_t n_rows,
                        size_t n_cols, size_t row_stride, size_t first_source, WslfpPrecision precision,
                        double *out, WslfpError *error)
{
  if (model == NULL)
    return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT, "model is NULL");
  if (type != WSLFP_FLOAT64 && type != WSLFP_FLOAT32)
    return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT, "type = %d is neither float64 nor float32", (int) type);
  if (precision != WSLFP_PRECISION_AUTO && precision != WSLFP_PRECISION_DOUBLE)
    return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT, "precision = %d is neither auto nor double",
                       (int) precision);
  size_t S = wslfp_model_get_n_sources (model);
  if (first_source > S || n_cols > S - first_source)
    return wslfp_fail (error, WSLFP_ERROR_SHAPE, "sources [%zu, %zu) lie outside the model's %zu sources",
                       first_source, first_source + n_cols, S);
  if (n_rows > 1 && row_stride < n_cols)
    return wslfp_fail (error, WSLFP_ERROR_SHAPE, "row_stride %zu is less than n_cols %zu", row_stride, n_cols);
  if (n_rows > (size_t) INT32_MAX || row_stride > (size_t) INT32_MAX)
    return wslfp_fail (error, WSLFP_ERROR_SHAPE, "a panel of %zu rows (stride %zu) is too large for one product",
                       n_rows, row_stride);
  if (n_rows == 0 || n_cols == 0)
    return wslfp_ok (error);
  if (block == NULL || out == NULL)
    return wslfp_fail (error, WSLFP_ERROR_INVALID_ARGUMENT, "%s is NULL", block == NULL ? "block" : "out");

  WslfpStatus status = WSLFP_OK;
  size_t E = wslfp_model_get_n_electrodes (model);
  if (wslfp_model_is_population (model))
    accumulate_population (model, block, type, n_rows, n_cols, row_stride, out);
  else if (type == WSLFP_FLOAT64)
    cblas_dgemm (CblasRowMajor, CblasNoTrans, CblasTrans, (int) n_rows, (int) E, (int) n_cols, 1.0, block,
                 (int) row_stride, wslfp_model_get_amplitude (model) + first_source, (int) S, 1.0, out, (int) E);
  else if (precision == WSLFP_PRECISION_AUTO)
    status = accumulate_float (model, block, n_rows, n_cols, row_stride, first_source, out, error);
  else
    status = accumulate_float_as_double (model, block, n_rows, n_cols, row_stride, first_source, out, error);
  return status == WSLFP_OK ? wslfp_ok (error) : status;
}
