/* wslfp-plot-psd.c: power spectra on log–log axes, one panel per shank:
 * each contact thin and grey, the shank's mean bold in its colour. */
#include "wslfp-plot-private.h"

#include <math.h>
#include <string.h>

#define MARGIN_LEFT   70.0
#define MARGIN_RIGHT  16.0
#define MARGIN_TOP    52.0
#define MARGIN_BOTTOM 62.0
#define PANEL_GAP     14.0
/* The power axis spans at most this many decades below the peak. */
#define MAX_DECADES   8.0
#define CAPTION_LINE  14.0

void
wslfp_spectra_range (const WslfpSpectra *sp, double *f_lo, double *f_hi, double *p_lo, double *p_hi)
{
  *f_lo = sp->n_freqs > 1 ? sp->f_hz[1] : 1;
  *f_hi = sp->n_freqs > 1 ? sp->f_hz[sp->n_freqs - 1] : 10;
  double peak = 0, low = INFINITY;
  for (gsize i = 0; i < sp->n_contacts * sp->n_freqs; i++)
    if (i % sp->n_freqs != 0 && sp->psd[i] > 0 && isfinite (sp->psd[i]))
      {
        peak = MAX (peak, sp->psd[i]);
        low = MIN (low, sp->psd[i]);
      }
  if (!(peak > 0))
    {
      *p_lo = 1e-3;
      *p_hi = 1;
      return;
    }
  *p_hi = pow (10, ceil (log10 (peak)));
  *p_lo = MAX (pow (10, floor (log10 (low))), *p_hi * pow (10, -MAX_DECADES));
  if (*p_hi <= *p_lo)
    *p_lo = *p_hi / 10;
}

static double
map_log (double v, double lo, double hi, double a, double b)
{
  return a + (log10 (v) - log10 (lo)) / (log10 (hi) - log10 (lo)) * (b - a);
}

/* The spectrum @psd in the panel's box, skipping DC and values ≤ 0. */
static void
draw_curve (cairo_t *cr, const WslfpSpectra *sp, const double *psd, double x0, double x1, double y_top,
            double y_bottom, double f_lo, double f_hi, double p_lo, double p_hi)
{
  gboolean pen = FALSE;
  for (gsize k = 1; k < sp->n_freqs; k++)
    {
      if (!(psd[k] > 0))
        {
          pen = FALSE;
          continue;
        }
      double x = map_log (sp->f_hz[k], f_lo, f_hi, x0, x1);
      double y = map_log (MAX (psd[k], p_lo * 1e-3), p_lo, p_hi, y_bottom, y_top);
      if (pen)
        cairo_line_to (cr, x, y);
      else
        cairo_move_to (cr, x, y);
      pen = TRUE;
    }
  cairo_stroke (cr);
}

/* Label every how many decades, so that labels @decade_px apart keep
 * half an em between them. */
static int
decade_label_step (cairo_t *cr, int k_first, int k_last, double decade_px)
{
  double widest = 0;
  char buf[64];
  for (int k = k_first; k <= k_last; k++)
    {
      cairo_text_extents_t ext;
      wslfp_plot_format_decade (buf, sizeof buf, k);
      cairo_text_extents (cr, buf, &ext);
      widest = MAX (widest, ext.width);
    }
  double need = widest + 0.5 * WSLFP_PLOT_FONT_UNITS;
  if (!(decade_px > 0))
    return 1;
  return MAX (1, (int) ceil (need / decade_px - 1e-9));
}

void
wslfp_plot_psd (cairo_t *cr, double width, double height, const WslfpSpectra *sp)
{
  wslfp_plot_begin (cr, width, height);
  wslfp_plot_title (cr, width, sp->title);
  int n_panels = CLAMP (sp->n_panels, 1, 64);
  double gap = n_panels > 8 ? 6 : PANEL_GAP;
  double panel_w = MAX ((width - MARGIN_LEFT - MARGIN_RIGHT - gap * (n_panels - 1)) / n_panels, 10);
  /* The caption wraps on a narrow figure, and the panels make room. */
  g_auto (GStrv) caption = wslfp_plot_wrap (cr, _("thin: each contact; bold: the shank's mean"), width - 8);
  double caption_h = CAPTION_LINE * (g_strv_length (caption) - 1);
  double top = MARGIN_TOP, bottom = MAX (height - MARGIN_BOTTOM - caption_h, top + 10);
  double f_lo, f_hi, p_lo, p_hi;
  wslfp_spectra_range (sp, &f_lo, &f_hi, &p_lo, &p_hi);
  int decades_y = (int) lround (log10 (p_hi / p_lo));
  int every_y = decades_y > (bottom - top) / 24 ? (int) ceil (decades_y / ((bottom - top) / 24)) : 1;
  char buf[64];
  double labels_left = MARGIN_LEFT - 4; /* of the power labels */
  g_autofree double *mean = g_new (double, MAX (sp->n_freqs, 1));

  for (int p = 0; p < n_panels; p++)
    {
      double x0 = MARGIN_LEFT + p * (panel_w + gap), x1 = x0 + panel_w;
      double rgb[3];
      wslfp_plot_shank_color (p, rgb); /* as the traces colour their panels */
      cairo_set_source_rgb (cr, 0.2, 0.2, 0.2);
      g_snprintf (buf, sizeof buf, _("shank %d"), sp->panel_ids ? sp->panel_ids[p] : p);
      wslfp_plot_text (cr, (x0 + x1) / 2, top - 6, buf, 0.5, 1);

      /* Decade grid and labels: every decade's line, and as many labels
       * as keep half an em apart. */
      cairo_set_line_width (cr, 0.5);
      int k_first = (int) floor (log10 (f_lo)), k_last = (int) ceil (log10 (f_hi));
      int every_x = decade_label_step (cr, k_first, k_last, panel_w / log10 (f_hi / f_lo));
      for (int k = k_first; k <= k_last; k++)
        {
          double f = pow (10, k);
          if (f < f_lo * 0.999 || f > f_hi * 1.001)
            continue;
          double x = map_log (f, f_lo, f_hi, x0, x1);
          cairo_set_source_rgb (cr, 0.88, 0.88, 0.88);
          cairo_move_to (cr, x, top);
          cairo_line_to (cr, x, bottom);
          cairo_stroke (cr);
          if (((k % every_x) + every_x) % every_x != 0)
            continue;
          cairo_set_source_rgb (cr, 0.2, 0.2, 0.2);
          wslfp_plot_format_decade (buf, sizeof buf, k);
          /* (below the power axis' lowest label, which reaches under the axis) */
          wslfp_plot_text (cr, x, bottom + 6, buf, 0.5, 0);
        }
      int k_lo = (int) lround (log10 (p_lo)), k_hi = (int) lround (log10 (p_hi));
      for (int k = k_lo; k <= k_hi; k++)
        {
          double y = map_log (pow (10, k), p_lo, p_hi, bottom, top);
          cairo_set_source_rgb (cr, 0.88, 0.88, 0.88);
          cairo_move_to (cr, x0, y);
          cairo_line_to (cr, x1, y);
          cairo_stroke (cr);
          if (p == 0 && (k - k_lo) % every_y == 0)
            {
              cairo_set_source_rgb (cr, 0.2, 0.2, 0.2);
              wslfp_plot_format_decade (buf, sizeof buf, k);
              wslfp_plot_minus_signs (buf, sizeof buf);
              wslfp_plot_text (cr, x0 - 4, y, buf, 1, 0.5);
              cairo_text_extents_t ext;
              cairo_text_extents (cr, buf, &ext);
              labels_left = MIN (labels_left, x0 - 4 - ext.width);
            }
        }
      cairo_set_source_rgb (cr, 0.3, 0.3, 0.3);
      cairo_rectangle (cr, x0 + 0.5, top + 0.5, panel_w - 1, bottom - top - 1);
      cairo_stroke (cr);

      /* Each contact, then the mean on top. */
      cairo_save (cr);
      cairo_rectangle (cr, x0, top, panel_w, bottom - top);
      cairo_clip (cr);
      memset (mean, 0, sp->n_freqs * sizeof (double));
      gsize count = 0;
      cairo_set_line_width (cr, 0.6);
      cairo_set_source_rgba (cr, 0.45, 0.45, 0.45, 0.45);
      for (gsize c = 0; c < sp->n_contacts; c++)
        if (sp->panel[c] == p)
          {
            const double *psd = sp->psd + c * sp->n_freqs;
            draw_curve (cr, sp, psd, x0, x1, top, bottom, f_lo, f_hi, p_lo, p_hi);
            for (gsize k = 0; k < sp->n_freqs; k++)
              mean[k] += psd[k];
            count++;
          }
      if (count > 0)
        {
          for (gsize k = 0; k < sp->n_freqs; k++)
            mean[k] /= count;
          cairo_set_line_width (cr, 2);
          cairo_set_source_rgb (cr, rgb[0] * 0.8, rgb[1] * 0.8, rgb[2] * 0.8);
          draw_curve (cr, sp, mean, x0, x1, top, bottom, f_lo, f_hi, p_lo, p_hi);
        }
      cairo_restore (cr);
    }
  cairo_set_source_rgb (cr, 0.2, 0.2, 0.2);
  double x_mid = (MARGIN_LEFT + width - MARGIN_RIGHT) / 2;
  wslfp_plot_text (cr, x_mid, bottom + 24, _("frequency (Hz)"), 0.5, 0);
  guint n_caption = g_strv_length (caption);
  for (guint l = 0; l < n_caption; l++)
    wslfp_plot_text (cr, width / 2, height - 6 - CAPTION_LINE * (n_caption - 1 - l), caption[l], 0.5, 1);
  g_snprintf (buf, sizeof buf, _("PSD (%s)"), sp->unit ? sp->unit : "µV²/Hz");
  wslfp_plot_vertical_title (cr, MIN (14 + WSLFP_PLOT_FONT_UNITS, labels_left - 0.5 * WSLFP_PLOT_FONT_UNITS),
                             (top + bottom) / 2, height, buf);
}
