/* wslfp-plot-common.c: colours, axes helpers and file export. */
#include "wslfp-plot-private.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <math.h>

G_DEFINE_QUARK (wslfp-plot-error-quark, wslfp_plot_error)

/* Tableau-10, the palette most readers already know from matplotlib. */
static const double shank_palette[10][3] = {
  { 0.122, 0.467, 0.706 }, { 1.000, 0.498, 0.055 }, { 0.173, 0.627, 0.173 }, { 0.839, 0.153, 0.157 },
  { 0.580, 0.404, 0.741 }, { 0.549, 0.337, 0.294 }, { 0.890, 0.467, 0.761 }, { 0.498, 0.498, 0.498 },
  { 0.737, 0.741, 0.133 }, { 0.090, 0.745, 0.812 },
};

const double wslfp_plot_exc_color[3] = { 0.85, 0.33, 0.10 };
const double wslfp_plot_inh_color[3] = { 0.16, 0.38, 0.70 };

void
wslfp_plot_shank_color (int shank, double rgb[3])
{
  const double *c = shank_palette[((shank % 10) + 10) % 10];
  rgb[0] = c[0];
  rgb[1] = c[1];
  rgb[2] = c[2];
}

double
wslfp_plot_nice_step (double range, int n_ticks)
{
  if (!(range > 0) || n_ticks < 1)
    return 1.0;
  double raw = range / n_ticks;
  double mag = pow (10.0, floor (log10 (raw)));
  double f = raw / mag;
  double nice = f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10;
  return nice * mag;
}

void
wslfp_plot_format_number (char *buf, gsize size, double v, double step)
{
  int decimals = step >= 1 ? 0 : (int) ceil (-log10 (step) - 1e-9);
  g_snprintf (buf, size, "%.*f", CLAMP (decimals, 0, 6), fabs (v) < step * 1e-6 ? 0.0 : v);
}

void
wslfp_plot_text (cairo_t *cr, double x, double y, const char *text, double align_x, double align_y)
{
  cairo_text_extents_t ext;
  cairo_text_extents (cr, text, &ext);
  cairo_move_to (cr, x - ext.x_bearing - ext.width * align_x, y - ext.y_bearing - ext.height * align_y);
  cairo_show_text (cr, text);
  /* Leave no current point for a later arc or line to join. */
  cairo_new_path (cr);
}

void
wslfp_plot_begin (cairo_t *cr, double width, double height)
{
  cairo_save (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_fill (cr);
  cairo_restore (cr);
  cairo_select_font_face (cr, "Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size (cr, 11);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
}

void
wslfp_plot_title (cairo_t *cr, double width, const char *title)
{
  if (title == NULL || title[0] == '\0')
    return;
  cairo_save (cr);
  cairo_set_font_size (cr, 14);
  cairo_select_font_face (cr, "Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
  cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
  wslfp_plot_text (cr, width / 2, 8, title, 0.5, 0);
  cairo_restore (cr);
}

gboolean
wslfp_plot_format_supported (const char *name)
{
  g_autofree char *lower = g_ascii_strdown (name, -1);
  return g_str_has_suffix (lower, ".png") || g_str_has_suffix (lower, ".svg") || g_str_has_suffix (lower, ".pdf");
}

gboolean
wslfp_plot_export (const char *name, const char *write_to, double width, double height, WslfpDrawFunc draw,
                   gpointer user_data, GError **error)
{
  g_autofree char *lower = g_ascii_strdown (name, -1);
  cairo_surface_t *surface;
  gboolean png = g_str_has_suffix (lower, ".png");

  if (!(width >= 16 && height >= 16 && width <= 20000 && height <= 20000))
    {
      g_set_error (error, WSLFP_PLOT_ERROR, 0, "figure size %g × %g is out of range (16 … 20000 px)", width, height);
      return FALSE;
    }
  if (png)
    surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) width, (int) height);
  else if (g_str_has_suffix (lower, ".svg"))
    surface = cairo_svg_surface_create (write_to, width, height);
  else if (g_str_has_suffix (lower, ".pdf"))
    surface = cairo_pdf_surface_create (write_to, width, height);
  else
    {
      g_set_error (error, WSLFP_PLOT_ERROR, 0, "%s: unknown figure format; use .png, .svg or .pdf", name);
      return FALSE;
    }
  cairo_t *cr = cairo_create (surface);
  draw (cr, width, height, user_data);
  cairo_status_t status = cairo_status (cr);
  cairo_destroy (cr);
  if (status == CAIRO_STATUS_SUCCESS && png)
    status = cairo_surface_write_to_png (surface, write_to);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, WSLFP_PLOT_ERROR, 0, "cannot write %s: %s", name, cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}
