/* wslfp-lfp.c: LFP results, their files, and the compute job. */
#include "wslfp-lfp.h"
#include "wslfp-nwb.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "wslfp-csv.h"
#include "wslfp-h5.h"
#include "wslfp-probe-file.h"

void
wslfp_lfp_free (WslfpLfp *lfp)
{
  if (lfp == NULL)
    return;
  g_free (lfp->t_ms);
  g_free (lfp->uv);
  g_free (lfp->electrodes_um);
  g_free (lfp->shank);
  g_free (lfp->profile);
  g_free (lfp->kernel);
  g_free (lfp->t_eval);
  g_free (lfp->probe);
  g_free (lfp->input_path);
  g_free (lfp->program);
  g_free (lfp->command);
  g_free (lfp);
}

/* The optional string attribute @name of /lfp, when @value is set. */
static gboolean
set_optional (hid_t f, const char *name, const char *value, GError **error)
{
  return value == NULL || wslfp_h5_set_attr_string (f, "/lfp", name, value, error);
}

static gboolean
write_provenance (hid_t f, const WslfpLfp *lfp, GError **error)
{
  gboolean ok = TRUE;
  if (lfp->dendrite_length_um > 0)
    ok = wslfp_h5_set_attr_double (f, "/lfp", "dendrite_length_um", lfp->dendrite_length_um, error)
         && wslfp_h5_set_attr_string (f, "/lfp", "dendrite_length_from",
                                      lfp->dendrite_length_from_dataset ? "dataset" : "option", error);
  if (ok && lfp->input_size_bytes >= 0)
    ok = wslfp_h5_set_attr_double (f, "/lfp", "input_size_bytes", (double) lfp->input_size_bytes, error);
  return ok && set_optional (f, "kernel", lfp->kernel, error) && set_optional (f, "t_eval", lfp->t_eval, error)
         && set_optional (f, "probe", lfp->probe, error) && set_optional (f, "input_file", lfp->input_path, error)
         && set_optional (f, "program", lfp->program, error) && set_optional (f, "command", lfp->command, error);
}

/* The proxy's own numbers: WSLFP's weights and delays, or TKLFP's
 * parameters. */
static gboolean
write_proxy_settings (hid_t f, const WslfpLfp *lfp, GError **error)
{
  if (lfp->proxy == WSLFP_PROXY_TKLFP)
    return wslfp_h5_set_attr_double (f, "/lfp", "tklfp_sigma_exc_ms", lfp->tklfp.sigma_exc_ms, error)
           && wslfp_h5_set_attr_double (f, "/lfp", "tklfp_sigma_inh_ms", lfp->tklfp.sigma_inh_ms, error)
           && wslfp_h5_set_attr_double (f, "/lfp", "tklfp_lambda_mm", lfp->tklfp.lambda_mm, error)
           && wslfp_h5_set_attr_double (f, "/lfp", "tklfp_va_m_s", lfp->tklfp.va_m_s, error)
           && wslfp_h5_set_attr_double (f, "/lfp", "tklfp_delay_ms", lfp->tklfp.delay_ms, error);
  return wslfp_h5_set_attr_double (f, "/lfp", "alpha", lfp->alpha, error)
         && wslfp_h5_set_attr_double (f, "/lfp", "tau_ampa_ms", lfp->tau_ampa_ms, error)
         && wslfp_h5_set_attr_double (f, "/lfp", "tau_gaba_ms", lfp->tau_gaba_ms, error)
         && wslfp_h5_set_attr_string (f, "/lfp", "mode", lfp->population ? "population" : "per-neuron", error);
}

static gboolean
write_h5 (const WslfpLfp *lfp, const WslfpAtomicFile *out, GError **error)
{
  hid_t f = wslfp_h5_create_output (out, error);
  if (f < 0)
    return FALSE;
  hsize_t t_dims[1] = { lfp->n_times }, uv_dims[2] = { lfp->n_times, lfp->n_electrodes };
  hsize_t e_dims[2] = { lfp->n_electrodes, 3 }, s_dims[1] = { lfp->n_electrodes };
  g_autofree gint64 *shank = g_new (gint64, MAX (lfp->n_electrodes, 1));
  for (gsize e = 0; e < lfp->n_electrodes; e++)
    shank[e] = lfp->shank[e];
  gboolean ok = wslfp_h5_write_doubles (f, "/lfp/t_ms", 1, t_dims, lfp->t_ms, FALSE, error)
                && wslfp_h5_write_doubles (f, "/lfp/uV", 2, uv_dims, lfp->uv, FALSE, error)
                && wslfp_h5_write_doubles (f, "/electrodes/xyz_um", 2, e_dims, lfp->electrodes_um, FALSE, error)
                && wslfp_h5_write_ints (f, "/electrodes/shank", 1, s_dims, shank, error)
                && wslfp_h5_set_attr_string (f, "/lfp", "proxy", wslfp_proxy_name (lfp->proxy), error)
                && wslfp_h5_set_attr_string (f, "/lfp", "profile", lfp->profile, error)
                && wslfp_h5_set_attr_double (f, "/lfp", "normalized", lfp->normalized ? 1 : 0, error)
                && wslfp_h5_set_attr_string (f, "/lfp", "source", lfp->from_spikes ? "spikes" : "currents", error)
                && write_proxy_settings (f, lfp, error) && write_provenance (f, lfp, error);
  return wslfp_h5_finish_output (out, f, ok, error);
}

static gboolean
write_csv (const WslfpLfp *lfp, const WslfpAtomicFile *out, GError **error)
{
  FILE *fp = fopen (out->tmp_path, "w");
  if (fp == NULL)
    {
      int saved = errno;
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_WRITE, "cannot write beside %s: %s", out->path,
                   g_strerror (saved));
      return FALSE;
    }
  /* One column per contact, named by shank and depth so a spreadsheet
   * user can tell them apart.  Numbers in the C locale whatever the user's
   * (a decimal comma would break the columns), each the shortest that
   * reads back equal: the CSV holds the same LFP as an HDF5 output. */
  char num[WSLFP_NUMBER_LEN];
  fputs ("t_ms", fp);
  for (gsize e = 0; e < lfp->n_electrodes; e++)
    fprintf (fp, ",e%zu_shank%d_z%s_uV", e, lfp->shank[e], wslfp_format_number (lfp->electrodes_um[3 * e + 2], num));
  fputc ('\n', fp);
  for (gsize t = 0; t < lfp->n_times; t++)
    {
      fputs (wslfp_format_number (lfp->t_ms[t], num), fp);
      for (gsize e = 0; e < lfp->n_electrodes; e++)
        {
          fputc (',', fp);
          fputs (wslfp_format_number (lfp->uv[t * lfp->n_electrodes + e], num), fp);
        }
      fputc ('\n', fp);
    }
  gboolean ok = !ferror (fp);
  if (fclose (fp) != 0)
    ok = FALSE;
  if (!ok)
    g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_WRITE, "cannot write %s (disk full?)", out->path);
  return ok;
}

gboolean
wslfp_lfp_write (const WslfpLfp *lfp, const char *path, GError **error)
{
  WslfpAtomicFile out;
  if (g_str_has_suffix (path, ".nwb") || g_str_has_suffix (path, ".NWB"))
    return wslfp_nwb_write (lfp, path, error);
  wslfp_h5_init ();
  if (!wslfp_atomic_begin (&out, path, error))
    return FALSE;
  gboolean csv = g_str_has_suffix (path, ".csv") || g_str_has_suffix (path, ".CSV");
  gboolean ok = csv ? write_csv (lfp, &out, error) : write_h5 (lfp, &out, error);
  if (!ok)
    {
      wslfp_atomic_abort (&out);
      return FALSE;
    }
  return wslfp_atomic_commit (&out, error);
}

static WslfpLfp *lfp_read (const char *path, GError **error);

WslfpLfp *
wslfp_lfp_read (const char *path, GError **error)
{
  if (wslfp_nwb_is_nwb (path))
    return wslfp_nwb_read (path, error);
  wslfp_h5_watch ("reading", path);
  WslfpLfp *lfp = lfp_read (path, error);
  wslfp_h5_watch ("read", path);
  return lfp;
}

static WslfpLfp *
lfp_read (const char *path, GError **error)
{
  hsize_t dims[2], udims[2], edims[2];
  hid_t f = wslfp_h5_open_read (path, error);
  if (f < 0)
    return NULL;
  g_autoptr (WslfpLfp) lfp = g_new0 (WslfpLfp, 1);
  gboolean ok = (lfp->t_ms = wslfp_h5_read_doubles (f, path, "/lfp/t_ms", 1, dims, error)) != NULL
                && (lfp->uv = wslfp_h5_read_doubles (f, path, "/lfp/uV", 2, udims, error)) != NULL
                && (lfp->electrodes_um = wslfp_h5_read_doubles (f, path, "/electrodes/xyz_um", 2, edims, error)) != NULL;
  if (ok && (udims[0] != dims[0] || edims[1] != 3 || udims[1] != edims[0]))
    {
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT,
                   "%s: /lfp/uV has shape (%llu, %llu); expected (%llu, %llu), times × electrodes", path,
                   (unsigned long long) udims[0], (unsigned long long) udims[1], (unsigned long long) dims[0],
                   (unsigned long long) edims[0]);
      ok = FALSE;
    }
  if (ok)
    {
      lfp->n_times = dims[0];
      lfp->n_electrodes = edims[0];
      lfp->shank = g_new0 (int, MAX (lfp->n_electrodes, 1));
      if (wslfp_h5_exists (f, "/electrodes/shank"))
        {
          g_autofree gint64 *s = wslfp_h5_read_ints (f, path, "/electrodes/shank", 1, dims, error);
          ok = s != NULL && dims[0] == lfp->n_electrodes;
          if (s != NULL && !ok)
            g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT, "%s: /electrodes/shank has the wrong length", path);
          for (gsize e = 0; ok && e < lfp->n_electrodes; e++)
            {
              lfp->shank[e] = (int) CLAMP (s[e], 0, 1000);
              lfp->n_shanks = MAX (lfp->n_shanks, lfp->shank[e] + 1);
            }
        }
      else
        lfp->n_shanks = 1;
    }
  if (ok)
    {
      hid_t g = H5Oopen (f, "/lfp", H5P_DEFAULT);
      double v;
      /* Descriptive attributes: an unreadable one reads as unknown. */
      g_autofree char *proxy = wslfp_h5_attr_string (g, path, "proxy", NULL);
      if (proxy != NULL && !wslfp_proxy_from_string (proxy, &lfp->proxy))
        {
          g_autofree char *shown = wslfp_shorten (proxy);
          g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT,
                       "%s: /lfp attribute proxy is \"%s\"; expected wslfp or tklfp", path, shown);
          ok = FALSE;
        }
      wslfp_tklfp_params_init (&lfp->tklfp);
      wslfp_h5_attr_double (g, "tklfp_sigma_exc_ms", &lfp->tklfp.sigma_exc_ms);
      wslfp_h5_attr_double (g, "tklfp_sigma_inh_ms", &lfp->tklfp.sigma_inh_ms);
      wslfp_h5_attr_double (g, "tklfp_lambda_mm", &lfp->tklfp.lambda_mm);
      wslfp_h5_attr_double (g, "tklfp_va_m_s", &lfp->tklfp.va_m_s);
      wslfp_h5_attr_double (g, "tklfp_delay_ms", &lfp->tklfp.delay_ms);
      lfp->profile = wslfp_h5_attr_string (g, path, "profile", NULL);
      if (lfp->profile == NULL)
        lfp->profile = g_strdup ("unknown");
      wslfp_h5_attr_double (g, "alpha", &lfp->alpha);
      wslfp_h5_attr_double (g, "tau_ampa_ms", &lfp->tau_ampa_ms);
      wslfp_h5_attr_double (g, "tau_gaba_ms", &lfp->tau_gaba_ms);
      if (wslfp_h5_attr_double (g, "normalized", &v))
        lfp->normalized = v != 0;
      g_autofree char *mode = wslfp_h5_attr_string (g, path, "mode", NULL);
      g_autofree char *source = wslfp_h5_attr_string (g, path, "source", NULL);
      lfp->population = g_strcmp0 (mode, "population") == 0;
      lfp->from_spikes = g_strcmp0 (source, "spikes") == 0;
      wslfp_h5_attr_double (g, "dendrite_length_um", &lfp->dendrite_length_um);
      g_autofree char *length_from = wslfp_h5_attr_string (g, path, "dendrite_length_from", NULL);
      lfp->dendrite_length_from_dataset = g_strcmp0 (length_from, "dataset") == 0;
      lfp->kernel = wslfp_h5_attr_string (g, path, "kernel", NULL);
      lfp->t_eval = wslfp_h5_attr_string (g, path, "t_eval", NULL);
      lfp->probe = wslfp_h5_attr_string (g, path, "probe", NULL);
      lfp->input_path = wslfp_h5_attr_string (g, path, "input_file", NULL);
      lfp->program = wslfp_h5_attr_string (g, path, "program", NULL);
      lfp->command = wslfp_h5_attr_string (g, path, "command", NULL);
      lfp->input_size_bytes = wslfp_h5_attr_double (g, "input_size_bytes", &v) && v >= 0 ? (gint64) v : -1;
      H5Oclose (g);
    }
  H5Fclose (f);
  return ok ? g_steal_pointer (&lfp) : NULL;
}

char *
wslfp_shell_word (const char *arg)
{
  static const char plain[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-+=.,:/@%";
  if (arg[0] != '\0' && arg[strspn (arg, plain)] == '\0')
    return g_strdup (arg);
  return g_shell_quote (arg);
}

gboolean
wslfp_lfp_file_is_lfp (const char *path)
{
  hid_t f = wslfp_h5_open_read (path, NULL);
  if (f < 0)
    return FALSE;
  gboolean lfp = wslfp_h5_exists (f, "/lfp/uV") && !wslfp_h5_exists (f, "/sources");
  H5Fclose (f);
  /* An NWB file's ElectricalSeries opens as an LFP too. */
  return lfp || wslfp_nwb_is_nwb (path);
}

const char *
wslfp_proxy_name (WslfpProxy proxy)
{
  return proxy == WSLFP_PROXY_TKLFP ? "tklfp" : "wslfp";
}

gboolean
wslfp_proxy_from_string (const char *name, WslfpProxy *proxy)
{
  if (g_strcmp0 (name, "wslfp") == 0)
    *proxy = WSLFP_PROXY_WSLFP;
  else if (g_strcmp0 (name, "tklfp") == 0)
    *proxy = WSLFP_PROXY_TKLFP;
  else
    return FALSE;
  return TRUE;
}

char *
wslfp_lfp_describe_proxy (const WslfpLfp *lfp)
{
  if (lfp->proxy == WSLFP_PROXY_TKLFP)
    return g_strdup_printf ("TKLFP (Teleńczuk et al. 2020), from spikes: σ_exc %g ms, σ_inh %g ms, λ %g mm, v_a %g m/s, "
                            "delay %g ms", lfp->tklfp.sigma_exc_ms, lfp->tklfp.sigma_inh_ms, lfp->tklfp.lambda_mm,
                            lfp->tklfp.va_m_s, lfp->tklfp.delay_ms);
  return g_strdup_printf ("WSLFP, profile %s, %s, from %s, α = %g, τ_AMPA %g ms, τ_GABA %g ms%s", lfp->profile,
                          lfp->population ? "population" : "per neuron", lfp->from_spikes ? "spikes" : "currents",
                          lfp->alpha, lfp->tau_ampa_ms, lfp->tau_gaba_ms, lfp->normalized ? ", normalised" : "");
}

void
wslfp_job_settings_init (WslfpJobSettings *s)
{
  memset (s, 0, sizeof *s);
  wslfp_tklfp_params_init (&s->tklfp);
  s->profile = WSLFP_PROFILE_MAZZONI15_SINGLE;
  wslfp_options_init (&s->options);
  s->kernel = WSLFP_KERNEL_ODE;
}

double *
wslfp_arange (double start, double stop, double step, gsize *n, GError **error)
{
  if (!(isfinite (start) && isfinite (stop) && isfinite (step)) || step <= 0)
    {
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_INVALID,
                   "--t-eval START:STOP:STEP needs finite numbers and STEP > 0 (got %g:%g:%g)", start, stop, step);
      return NULL;
    }
  double count = ceil ((stop - start) / step);
  if (!(count >= 1) || count > 1e9)
    {
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_INVALID,
                   "--t-eval %g:%g:%g gives %s evaluation times", start, stop, step, count < 1 ? "no" : "too many");
      return NULL;
    }
  *n = (gsize) count;
  double *t = g_new (double, *n);
  for (gsize i = 0; i < *n; i++)
    t[i] = start + (double) i * step;
  return t;
}

gboolean
wslfp_probe_read_csv (const char *path, double **xyz_um, int **shank, gsize *n, GError **error)
{
  g_autofree guint *n_cols = NULL, *lines = NULL;
  g_autofree double *rows = wslfp_csv_read (path, 3, 4, "x_um,y_um,z_um[,shank]", n, &lines, &n_cols, error);
  if (rows == NULL)
    return FALSE;
  /* The same limit as probeinterface JSON. */
  if (*n > WSLFP_PROBE_MAX_CONTACTS)
    {
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT, "%s has %zu contacts; at most %d are accepted", path,
                   *n, WSLFP_PROBE_MAX_CONTACTS);
      return FALSE;
    }
  for (gsize e = 0; e < *n; e++)
    {
      double sh = rows[4 * e + 3];
      if (n_cols[e] == 4 && !(sh >= 0 && sh <= 9999 && sh == floor (sh)))
        {
          g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT,
                       "%s: line %u: the shank must be a whole number from 0 to 9999, found %g", path, lines[e], sh);
          return FALSE;
        }
    }
  for (gsize e = 0; e < *n; e++)
    for (int c = 0; c < 3; c++)
      if (!(fabs (rows[4 * e + c]) <= WSLFP_PROBE_MAX_UM))
        {
          g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT,
                       "%s: line %u: %g µm from the origin along %c: more than 1 km (the units?)", path, lines[e],
                       rows[4 * e + c], "xyz"[c]);
          return FALSE;
        }
  double *p = g_new (double, *n * 3);
  int *s = g_new (int, *n);
  for (gsize e = 0; e < *n; e++)
    {
      memcpy (p + 3 * e, rows + 4 * e, 3 * sizeof (double));
      s[e] = n_cols[e] == 4 ? (int) rows[4 * e + 3] : -1;
    }
  /* Every contact with a shank, or none: then contacts that share (x, y)
   * form a shank. */
  for (gsize e = 1; e < *n; e++)
    if (n_cols[e] != n_cols[0])
      {
        g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT,
                     "%s: line %u has %u numbers but line %u has %u: give every contact a shank, or none", path,
                     lines[e], n_cols[e], lines[0], n_cols[0]);
        g_free (p);
        g_free (s);
        return FALSE;
      }
  if (*n > 0 && n_cols[0] == 3)
    wslfp_shanks_by_column (p, *n, s);
  *xyz_um = p;
  *shank = s;
  return TRUE;
}
