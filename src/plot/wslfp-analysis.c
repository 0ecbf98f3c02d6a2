/* wslfp-analysis.c: CSD along a shank and Welch power spectra (FFTW3). */
#include "wslfp-analysis.h"

#include <fftw3.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "wslfp-plot.h"

/* Contacts closer in depth than this are one depth of the column. */
#define SAME_DEPTH_UM 0.5
/* How far a depth step may stray from the mean spacing (a fraction). */
#define SPACING_TOLERANCE 0.01

typedef struct
{
  double z;
  gsize column;
} Contact;

static int
compare_depth (const void *a, const void *b)
{
  double x = ((const Contact *) a)->z, y = ((const Contact *) b)->z;
  return (x > y) - (x < y);
}

gboolean
wslfp_csd_compute (const double *uv, gsize n_times, gsize n_electrodes, const double *electrodes_um,
                   const gsize *contacts, gsize n_contacts, double sigma, gsize *n_depths_out, double **z_out,
                   double **csd_out, GError **error)
{
  g_autofree Contact *c = g_new (Contact, MAX (n_contacts, 1));
  for (gsize i = 0; i < n_contacts; i++)
    {
      g_return_val_if_fail (contacts[i] < n_electrodes, FALSE);
      c[i].z = electrodes_um[3 * contacts[i] + 2];
      c[i].column = contacts[i];
    }
  qsort (c, n_contacts, sizeof *c, compare_depth);

  /* Group contacts into depths: depth_start[d] … depth_start[d + 1]. */
  g_autofree gsize *start = g_new (gsize, n_contacts + 1);
  gsize n = 0;
  for (gsize i = 0; i < n_contacts; i++)
    if (i == 0 || c[i].z - c[start[n - 1]].z > SAME_DEPTH_UM)
      start[n++] = i;
  start[n] = n_contacts;
  if (n < 3)
    {
      g_set_error (error, WSLFP_PLOT_ERROR, 0, "%" G_GSIZE_FORMAT " distinct contact depth%s; the CSD needs at least 3",
                   n, n == 1 ? "" : "s");
      return FALSE;
    }
  g_autofree double *z = g_new (double, n);
  for (gsize d = 0; d < n; d++)
    {
      double sum = 0;
      for (gsize i = start[d]; i < start[d + 1]; i++)
        sum += c[i].z;
      z[d] = sum / (start[d + 1] - start[d]);
    }
  /* Each step against the first: the message then names the odd one. */
  double first = z[1] - z[0], h = (z[n - 1] - z[0]) / (n - 1);
  for (gsize d = 2; d < n; d++)
    if (fabs (z[d] - z[d - 1] - first) > SPACING_TOLERANCE * first)
      {
        g_set_error (error, WSLFP_PLOT_ERROR, 0,
                     "contacts are not evenly spaced in depth (%.4g µm between z = %.4g and %.4g µm, %.4g µm between "
                     "the lowest two)",
                     z[d] - z[d - 1], z[d - 1], z[d], first);
        return FALSE;
      }
  /* µV / µm² = 1e6 V/m²; times S/m gives A/m³ = 1e-3 µA/mm³. */
  double scale = -sigma / (h * h) * 1e3;
  g_autofree double *phi = g_new (double, n + 2);
  double *csd = g_new (double, MAX (n_times * n, 1));
  for (gsize t = 0; t < n_times; t++)
    {
      const double *row = uv + t * n_electrodes;
      for (gsize d = 0; d < n; d++)
        {
          double sum = 0;
          for (gsize i = start[d]; i < start[d + 1]; i++)
            sum += row[c[i].column];
          phi[d + 1] = sum / (start[d + 1] - start[d]);
        }
      /* Vaknin padding: the potential is taken as constant past the ends. */
      phi[0] = phi[1];
      phi[n + 1] = phi[n];
      for (gsize d = 0; d < n; d++)
        csd[t * n + d] = scale * (phi[d] - 2 * phi[d + 1] + phi[d + 2]);
    }
  *n_depths_out = n;
  *z_out = g_steal_pointer (&z);
  *csd_out = csd;
  return TRUE;
}

/* ---- Welch ---- */

struct _WslfpWelch
{
  gsize segment;
  double fs_hz;
  double *window;
  double window_power; /* Σ w² */
  double *in;
  fftw_complex *out;
  fftw_plan plan;
};

/* FFTW's planner keeps global state: one plan is made or destroyed at a
 * time (executing plans is thread-safe). */
static GMutex planner_lock;

gsize
wslfp_welch_segment_length (gsize n)
{
  if (n < 36)
    return n;
  gsize seg = 8;
  while ((double) seg * 2 * 4.5 <= (double) n)
    seg *= 2;
  return seg;
}

WslfpWelch *
wslfp_welch_new (gsize segment, double fs_hz)
{
  g_return_val_if_fail (segment >= 2 && fs_hz > 0, NULL);
  WslfpWelch *w = g_new0 (WslfpWelch, 1);
  w->segment = segment;
  w->fs_hz = fs_hz;
  w->window = g_new (double, segment);
  for (gsize i = 0; i < segment; i++)
    {
      w->window[i] = 0.5 - 0.5 * cos (2 * G_PI * i / segment); /* periodic Hann */
      w->window_power += w->window[i] * w->window[i];
    }
  w->in = fftw_malloc (sizeof (double) * segment);
  w->out = fftw_malloc (sizeof (fftw_complex) * (segment / 2 + 1));
  g_mutex_lock (&planner_lock);
  w->plan = fftw_plan_dft_r2c_1d ((int) segment, w->in, w->out, FFTW_ESTIMATE);
  g_mutex_unlock (&planner_lock);
  return w;
}

void
wslfp_welch_free (WslfpWelch *w)
{
  if (w == NULL)
    return;
  g_mutex_lock (&planner_lock);
  fftw_destroy_plan (w->plan);
  g_mutex_unlock (&planner_lock);
  fftw_free (w->in);
  fftw_free (w->out);
  g_free (w->window);
  g_free (w);
}

gsize
wslfp_welch_n_freqs (const WslfpWelch *w)
{
  return w->segment / 2 + 1;
}

double
wslfp_welch_df_hz (const WslfpWelch *w)
{
  return w->fs_hz / w->segment;
}

void
wslfp_welch_run (WslfpWelch *w, const double *x, gsize n, gsize stride, double *psd)
{
  gsize seg = w->segment, hop = MAX (seg / 2, 1), nf = seg / 2 + 1, count = 0;
  memset (psd, 0, nf * sizeof (double));
  for (gsize s0 = 0; s0 + seg <= n; s0 += hop, count++)
    {
      double mean = 0;
      for (gsize i = 0; i < seg; i++)
        mean += x[(s0 + i) * stride];
      mean /= seg;
      for (gsize i = 0; i < seg; i++)
        w->in[i] = (x[(s0 + i) * stride] - mean) * w->window[i];
      fftw_execute_dft_r2c (w->plan, w->in, w->out);
      for (gsize k = 0; k < nf; k++)
        psd[k] += w->out[k][0] * w->out[k][0] + w->out[k][1] * w->out[k][1];
    }
  /* One-sided density: every bin but DC (and Nyquist, for an even
   * segment) holds the power of its negative-frequency twin too. */
  double scale = count ? 1.0 / (w->fs_hz * w->window_power * count) : 0;
  for (gsize k = 0; k < nf; k++)
    {
      gboolean single = k == 0 || (seg % 2 == 0 && k == seg / 2);
      psd[k] *= single ? scale : 2 * scale;
    }
}

gboolean
wslfp_sampling_rate (const double *t_ms, gsize n, double *fs_hz, GError **error)
{
  if (n < 2 || !(t_ms[n - 1] > t_ms[0]))
    {
      g_set_error (error, WSLFP_PLOT_ERROR, 0, "a spectrum needs at least two sample times, increasing");
      return FALSE;
    }
  double dt = (t_ms[n - 1] - t_ms[0]) / (n - 1);
  for (gsize i = 1; i < n; i++)
    if (fabs (t_ms[i] - t_ms[i - 1] - dt) > 1e-6 * dt)
      {
        g_set_error (error, WSLFP_PLOT_ERROR, 0,
                     "the sample times are not evenly spaced (%.6g ms from %.6g to %.6g ms, %.6g ms on average); a "
                     "spectrum needs a constant step",
                     t_ms[i] - t_ms[i - 1], t_ms[i - 1], t_ms[i], dt);
        return FALSE;
      }
  *fs_hz = 1000.0 / dt;
  return TRUE;
}

/* ---- the figures' data ---- */

/* Rescales the figure's µA/mm³ to the prefix whose colour limit (the
 * one the colour maps use) lies in 1 … 1000: pA/mm³ rather than
 * "×10⁻⁶ µA/mm³". */
static void
csd_choose_unit (WslfpCsdFigure *fig, gsize n)
{
  static const char *const units[] = { "fA/mm³", "pA/mm³", "nA/mm³", "µA/mm³", "mA/mm³", "A/mm³" };
  double limit = wslfp_plot_robust_limit (fig->values, n);
  int k = 3; /* µA */
  if (limit > 0 && isfinite (limit))
    k = CLAMP (3 + (int) floor (log10 (limit) / 3), 0, (int) G_N_ELEMENTS (units) - 1);
  double factor = pow (10, -3.0 * (k - 3));
  if (factor != 1)
    for (gsize i = 0; i < n; i++)
      fig->values[i] *= factor;
  g_strlcpy (fig->unit, units[k], sizeof fig->unit);
}

gboolean
wslfp_csd_figure_init (WslfpCsdFigure *fig, const WslfpTraces *lfp, GError **error)
{
  memset (fig, 0, sizeof *fig);
  gsize T = lfp->n_times, rows = 0;
  int n_panels = CLAMP (lfp->n_shanks, 0, 64), kept = 0;
  g_autoptr (GArray) z_all = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) x_all = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) row_panel = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr (GPtrArray) blocks = g_ptr_array_new_with_free_func (g_free); /* each kept shank's T × depths */
  g_autoptr (GArray) block_depths = g_array_new (FALSE, FALSE, sizeof (gsize));
  g_autoptr (GString) reasons = g_string_new (NULL);
  g_autofree gsize *contacts = g_new (gsize, MAX (lfp->n_electrodes, 1));
  for (int p = 0; p < n_panels; p++)
    {
      gsize n = 0;
      double x = 0;
      for (gsize e = 0; e < lfp->n_electrodes; e++)
        if (lfp->shank[e] == p)
          {
            contacts[n++] = e;
            x += lfp->electrodes_um[3 * e];
          }
      int id = lfp->shank_ids ? lfp->shank_ids[p] : p;
      if (n == 0)
        continue;
      gsize depths;
      double *z, *csd;
      g_autoptr (GError) why = NULL;
      if (!wslfp_csd_compute (lfp->uv, T, lfp->n_electrodes, lfp->electrodes_um, contacts, n, WSLFP_CSD_SIGMA_S_PER_M,
                              &depths, &z, &csd, &why))
        {
          g_string_append_printf (reasons, "%sshank %d: %s", reasons->len ? "\n" : "", id, why->message);
          continue;
        }
      double xm = x / n;
      for (gsize d = 0; d < depths; d++)
        {
          g_array_append_val (z_all, z[d]);
          g_array_append_val (x_all, xm);
          g_array_append_val (row_panel, kept);
        }
      g_free (z);
      g_ptr_array_add (blocks, csd);
      g_array_append_val (block_depths, depths);
      fig->ids[kept++] = id;
      rows += depths;
    }
  if (kept == 0)
    {
      g_set_error (error, WSLFP_PLOT_ERROR, 0, "no shank has a CSD; %s",
                   reasons->len ? reasons->str : "there are no contacts");
      return FALSE;
    }
  /* The kept shanks' blocks side by side in one T × rows array. */
  fig->values = g_new (double, MAX (T * rows, 1));
  gsize col = 0;
  for (guint b = 0; b < blocks->len; b++)
    {
      const double *csd = blocks->pdata[b];
      gsize depths = g_array_index (block_depths, gsize, b);
      for (gsize t = 0; t < T; t++)
        memcpy (fig->values + t * rows + col, csd + t * depths, depths * sizeof (double));
      col += depths;
    }
  fig->xyz_um = g_new0 (double, MAX (3 * rows, 1));
  for (gsize r = 0; r < rows; r++)
    {
      fig->xyz_um[3 * r] = g_array_index (x_all, double, r);
      fig->xyz_um[3 * r + 2] = g_array_index (z_all, double, r);
    }
  csd_choose_unit (fig, T * rows);
  fig->panel = g_memdup2 (row_panel->data, MAX (rows, 1) * sizeof (int));
  fig->traces = (WslfpTraces) { T, rows, lfp->t_ms, fig->values, fig->xyz_um, fig->panel, kept, fig->ids };
  if (reasons->len > 0)
    fig->left_out = g_string_free (g_steal_pointer (&reasons), FALSE);
  return TRUE;
}

void
wslfp_csd_figure_clear (WslfpCsdFigure *fig)
{
  g_clear_pointer (&fig->values, g_free);
  g_clear_pointer (&fig->xyz_um, g_free);
  g_clear_pointer (&fig->panel, g_free);
  g_clear_pointer (&fig->left_out, g_free);
}

gboolean
wslfp_psd_figure_init (WslfpPsdFigure *fig, const WslfpTraces *lfp, double t0, double t1, GError **error)
{
  memset (fig, 0, sizeof *fig);
  gsize i0 = 0, i1 = lfp->n_times;
  if (t1 > t0)
    {
      while (i0 < lfp->n_times && lfp->t_ms[i0] < t0)
        i0++;
      while (i1 > i0 && lfp->t_ms[i1 - 1] > t1)
        i1--;
    }
  gsize n = i1 - i0;
  if (n < 8)
    {
      g_set_error (error, WSLFP_PLOT_ERROR, 0, "%zu samples are too few for a spectrum (at least 8)", n);
      return FALSE;
    }
  if (!wslfp_sampling_rate (lfp->t_ms + i0, n, &fig->fs_hz, error))
    return FALSE;
  fig->segment = wslfp_welch_segment_length (n);
  g_autoptr (WslfpWelch) welch = wslfp_welch_new (fig->segment, fig->fs_hz);
  gsize nf = wslfp_welch_n_freqs (welch), E = lfp->n_electrodes;
  fig->f_hz = g_new (double, nf);
  fig->psd = g_new (double, MAX (E * nf, 1));
  for (gsize k = 0; k < nf; k++)
    fig->f_hz[k] = k * wslfp_welch_df_hz (welch);
  for (gsize e = 0; e < E; e++)
    wslfp_welch_run (welch, lfp->uv + i0 * E + e, n, E, fig->psd + e * nf);
  fig->spectra = (WslfpSpectra) { nf, fig->f_hz, E, fig->psd, lfp->shank, lfp->n_shanks, lfp->shank_ids, NULL, NULL };
  return TRUE;
}

void
wslfp_psd_figure_clear (WslfpPsdFigure *fig)
{
  g_clear_pointer (&fig->f_hz, g_free);
  g_clear_pointer (&fig->psd, g_free);
}
