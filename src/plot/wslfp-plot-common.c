/* wslfp-plot-common.c: colours, axes helpers and file export. */
#include "wslfp-plot-private.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <math.h>
#include <glib/gstdio.h>
#include <unistd.h>
#include <fcntl.h>
#include <errno.h>
#include <string.h>
#include <stdlib.h>

G_DEFINE_QUARK (wslfp-plot-error-quark, wslfp_plot_error)

/* Okabe & Ito's colour-blind-safe palette (the seven colours that read on
 * white; yellow does not).  Vermillion and blue stay for E and I cells. */
static const double shank_palette[7][3] = {
  { 0.000, 0.447, 0.698 }, /* blue */
  { 0.902, 0.624, 0.000 }, /* orange */
  { 0.000, 0.620, 0.451 }, /* bluish green */
  { 0.800, 0.475, 0.655 }, /* reddish purple */
  { 0.337, 0.706, 0.914 }, /* sky blue */
  { 0.835, 0.369, 0.000 }, /* vermillion */
  { 0.000, 0.000, 0.000 }, /* black */
};

const double wslfp_plot_exc_color[3] = { 0.835, 0.369, 0.000 }; /* vermillion */
const double wslfp_plot_inh_color[3] = { 0.000, 0.447, 0.698 }; /* blue */

void
wslfp_plot_shank_color (int shank, double rgb[3])
{
  /* More shanks than colours: each further round is darker, so neighbours
   * never share a colour and shank 7 is not shank 0. */
  int n = G_N_ELEMENTS (shank_palette), k = ((shank % n) + n) % n, round = (ABS (shank) / n) % 3;
  double dim = pow (0.62, round);
  for (int i = 0; i < 3; i++)
    rgb[i] = k == n - 1 ? 0.3 * round : shank_palette[k][i] * dim; /* black turns grey */
}

double
wslfp_plot_nice_step (double range, int n_ticks)
{
  if (!(range > 0) || n_ticks < 1)
    return 1.0;
  /* An overflowed range has no nice step; the largest finite one lets a
   * caller's shrinking loop come down (inf stayed inf: a hang). */
  if (!isfinite (range))
    return G_MAXDOUBLE;
  double raw = range / n_ticks;
  double mag = pow (10.0, floor (log10 (raw)));
  double f = raw / mag;
  double nice = f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10;
  return nice * mag;
}

gsize
wslfp_plot_ticks (double lo, double hi, double step, double *out, gsize max)
{
  if (!(step > 0) || !(hi >= lo))
    return 0;
  double k0 = ceil (lo / step - 1e-9), k1 = floor (hi / step + 1e-9);
  gsize n = 0;
  for (double k = k0; k <= k1 && n < max; k++)
    out[n++] = k * step + 0.0; /* + 0.0: no "-0" label */
  return n;
}

void
wslfp_plot_minus_signs (char *buf, gsize size)
{
  for (char *p = buf; *p != '\0'; p++)
    {
      gboolean starts_number = g_ascii_isdigit (p[1]) || (p[1] == '.' && g_ascii_isdigit (p[2]));
      gboolean after_word = p > buf && (g_ascii_isalnum (p[-1]) || p[-1] == '_');
      if (*p != '-' || !starts_number || after_word)
        continue;
      gsize tail = strlen (p + 1) + 1; /* the rest and its NUL */
      if ((gsize) (p - buf) + 3 + tail > size)
        break;
      memmove (p + 3, p + 1, tail);
      memcpy (p, "\xe2\x88\x92", 3); /* U+2212 MINUS SIGN */
      p += 2;
    }
}

void
wslfp_plot_format_number (char *buf, gsize size, double v, double step)
{
  int decimals = step >= 1 ? 0 : (int) ceil (-log10 (step) - 1e-9);
  g_snprintf (buf, size, "%.*f", CLAMP (decimals, 0, 6), fabs (v) < step * 1e-6 ? 0.0 : v);
  wslfp_plot_minus_signs (buf, size);
}

/* The next 1-2-5 step above @step. */
static double
next_step (double step)
{
  double mag = pow (10.0, floor (log10 (step) + 1e-9));
  double f = step / mag;
  return (f < 1.5 ? 2 : f < 3.5 ? 5 : 10) * mag;
}

double
wslfp_plot_fit_step (cairo_t *cr, double lo, double hi, double length, double step, gboolean vertical, int min_ticks)
{
  if (!(hi > lo) || !(step > 0) || !(length > 0) || !isfinite (hi - lo))
    return 0;
  /* Half an em between neighbouring labels: closer, "200" and "400" read
   * as one number. */
  cairo_matrix_t font;
  cairo_get_font_matrix (cr, &font);
  double gap = 0.5 * font.yy;
  for (int guard = 0; guard < 40; guard++, step = next_step (step))
    {
      double ticks[64];
      gsize n = wslfp_plot_ticks (lo, hi, step, ticks, G_N_ELEMENTS (ticks));
      if ((int) n < min_ticks)
        return 0;
      if (n == 64)
        continue;
      double prev_end = -INFINITY;
      gboolean fits = TRUE;
      for (gsize k = 0; k < n && fits; k++)
        {
          char buf[64];
          cairo_text_extents_t ext;
          wslfp_plot_format_number (buf, sizeof buf, ticks[k], step);
          cairo_text_extents (cr, buf, &ext);
          double at = (ticks[k] - lo) / (hi - lo) * length, size = vertical ? ext.height : ext.width;
          /* (labels at an end are drawn inside the axis, as the figures do) */
          double start = vertical ? at - size / 2 : at < 1.5 ? at : length - at < 1.5 ? at - size : at - size / 2;
          fits = start >= prev_end + gap;
          prev_end = start + size;
        }
      if (fits)
        return step;
    }
  return 0;
}

/* 10^@k as text: plain up to four digits, else 10 with a superscript. */
void
wslfp_plot_format_decade (char *buf, gsize size, int k)
{
  static const char *const super[] = { "⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹" };
  if (k >= 0 && k <= 3)
    {
      g_snprintf (buf, size, "%.0f", pow (10, k));
      return;
    }
  if (k == -1 || k == -2)
    {
      g_snprintf (buf, size, "%g", pow (10, k));
      return;
    }
  GString *s = g_string_new ("10");
  if (k < 0)
    g_string_append (s, "⁻");
  char digits[16];
  g_snprintf (digits, sizeof digits, "%d", abs (k));
  for (char *d = digits; *d; d++)
    g_string_append (s, super[*d - '0']);
  g_strlcpy (buf, s->str, size);
  g_string_free (s, TRUE);
}

gsize
wslfp_plot_lower_bound (const double *t, gsize n, double x)
{
  gsize lo = 0, hi = n;
  while (lo < hi)
    {
      gsize mid = lo + (hi - lo) / 2;
      if (t[mid] < x)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

void
wslfp_plot_text (cairo_t *cr, double x, double y, const char *text, double align_x, double align_y)
{
  cairo_text_extents_t ext;
  cairo_text_extents (cr, text, &ext);
  double ox = x - ext.x_bearing - ext.width * align_x, oy = y - ext.y_bearing - ext.height * align_y;
  cairo_move_to (cr, ox, oy);
  cairo_show_text (cr, text);
  wslfp_plot_note_text (cr, text, ox, oy, &ext);
  /* Leave no current point for a later arc or line to join. */
  cairo_new_path (cr);
}

char *
wslfp_plot_ellipsize (cairo_t *cr, const char *text, double width)
{
  cairo_text_extents_t ext;
  cairo_text_extents (cr, text, &ext);
  glong n = g_utf8_strlen (text, -1);
  if (ext.width <= width || n < 3)
    return g_strdup (text);
  /* Keep the start and the end (a file name's extension, a unit). */
  for (glong keep = n - 1; keep >= 2; keep--)
    {
      glong head = (keep + 1) / 2, tail = keep - head;
      const char *head_end = g_utf8_offset_to_pointer (text, head);
      const char *tail_start = g_utf8_offset_to_pointer (text, n - tail);
      g_autofree char *start = g_strndup (text, head_end - text);
      char *out = g_strconcat (start, "…", tail_start, NULL);
      cairo_text_extents (cr, out, &ext);
      if (ext.width <= width)
        return out;
      g_free (out);
    }
  return g_strdup ("…");
}

void
wslfp_plot_vertical_title (cairo_t *cr, double right, double y_mid, double page_h, const char *text)
{
  cairo_text_extents_t ext;
  cairo_text_extents (cr, text, &ext);
  /* Its ink height is the horizontal room it takes: right-aligned at
   * @right, but never off the page's left edge. */
  double x = MAX (right - ext.height / 2, ext.height / 2 + 1);
  /* Longer than the axis: centred on the page instead, and shortened in
   * the middle if even the page is too short. */
  g_autofree char *shown = wslfp_plot_ellipsize (cr, text, page_h - 8);
  cairo_text_extents (cr, shown, &ext);
  double half = ext.width / 2;
  double y = CLAMP (y_mid, half + 4, MAX (page_h - half - 4, half + 4));
  cairo_save (cr);
  cairo_translate (cr, x, y);
  cairo_rotate (cr, -G_PI / 2);
  wslfp_plot_text (cr, 0, 0, shown, 0.5, 0.5);
  cairo_restore (cr);
}

GStrv
wslfp_plot_wrap (cairo_t *cr, const char *text, double width)
{
  g_auto (GStrv) words = g_strsplit (text, " ", -1);
  GPtrArray *lines = g_ptr_array_new ();
  GString *line = g_string_new (NULL);
  for (char **w = words; *w != NULL; w++)
    {
      gsize kept = line->len;
      if (line->len > 0)
        g_string_append_c (line, ' ');
      g_string_append (line, *w);
      cairo_text_extents_t ext;
      cairo_text_extents (cr, line->str, &ext);
      if (ext.x_advance > width && kept > 0)
        {
          g_ptr_array_add (lines, g_strndup (line->str, kept));
          g_string_assign (line, *w);
        }
    }
  g_ptr_array_add (lines, g_string_free (line, FALSE));
  g_ptr_array_add (lines, NULL);
  return (GStrv) g_ptr_array_free (lines, FALSE);
}

cairo_t *
wslfp_plot_measuring_context (void)
{
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_A8, 1, 1);
  cairo_t *cr = cairo_create (s);
  cairo_surface_destroy (s);
  cairo_select_font_face (cr, "Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size (cr, WSLFP_PLOT_FONT_UNITS);
  /* The advances of the outlines, as a PDF or a scaled PNG has them. */
  cairo_font_options_t *options = cairo_font_options_create ();
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_set_font_options (cr, options);
  cairo_font_options_destroy (options);
  return cr;
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
  cairo_set_font_size (cr, WSLFP_PLOT_FONT_UNITS);
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
  /* A long title on a narrow figure: smaller, down to the labels' size;
   * past that, shortened in the middle. */
  cairo_text_extents_t ext;
  cairo_text_extents (cr, title, &ext);
  if (ext.width > width - 8)
    cairo_set_font_size (cr, MAX (14 * (width - 8) / ext.width, WSLFP_PLOT_FONT_UNITS));
  g_autofree char *shown = wslfp_plot_ellipsize (cr, title, width - 8);
  cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
  wslfp_plot_text (cr, width / 2, 8, shown, 0.5, 0);
  cairo_restore (cr);
}

gboolean
wslfp_plot_format_supported (const char *name)
{
  g_autofree char *lower = g_ascii_strdown (name, -1);
  return g_str_has_suffix (lower, ".png") || g_str_has_suffix (lower, ".svg") || g_str_has_suffix (lower, ".pdf");
}

/* Where cairo's bytes go: our own writes, so that a failed one (a full
 * disk) is seen; cairo's file streams lost it for PDF (a truncated PDF
 * replaced the old one and the command said nothing: issue 20, item 9). */
typedef struct
{
  int fd;
  int err; /* the first write's errno, or 0 */
} FileSink;

static cairo_status_t
sink_write_cb (void *closure, const unsigned char *data, unsigned int length)
{
  FileSink *sink = closure;
  while (length > 0 && sink->err == 0)
    {
      ssize_t n = write (sink->fd, data, length);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          sink->err = n < 0 ? errno : ENOSPC;
          break;
        }
      data += n;
      length -= (unsigned int) n;
    }
  return sink->err == 0 ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

gboolean
wslfp_plot_export (const char *name, const char *write_to, double width, double height, WslfpDrawFunc draw,
                   gpointer user_data, GError **error)
{
  g_autofree char *lower = g_ascii_strdown (name, -1);
  cairo_surface_t *surface;
  gboolean png = g_str_has_suffix (lower, ".png");
  gboolean svg = g_str_has_suffix (lower, ".svg"), pdf = g_str_has_suffix (lower, ".pdf");

  if (!(width >= 16 && height >= 16 && width <= 20000 && height <= 20000))
    {
      g_set_error (error, WSLFP_PLOT_ERROR, 0, "figure size %g × %g is out of range (16 … 20000 px)", width, height);
      return FALSE;
    }
  if (!png && !svg && !pdf)
    {
      g_set_error (error, WSLFP_PLOT_ERROR, 0, "%s: unknown figure format; use .png, .svg or .pdf", name);
      return FALSE;
    }
  FileSink sink = { g_open (write_to, O_WRONLY | O_CREAT | O_TRUNC, 0600), 0 };
  if (sink.fd < 0)
    {
      int saved = errno;
      g_set_error (error, WSLFP_PLOT_ERROR, 0, "cannot write %s: %s", name, g_strerror (saved));
      return FALSE;
    }
  if (png)
    surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) width, (int) height);
  else if (svg)
    surface = cairo_svg_surface_create_for_stream (sink_write_cb, &sink, width, height);
  else
    surface = cairo_pdf_surface_create_for_stream (sink_write_cb, &sink, width, height);
  cairo_t *cr = cairo_create (surface);
  draw (cr, width, height, user_data);
  cairo_status_t status = cairo_status (cr);
  cairo_destroy (cr);
  if (status == CAIRO_STATUS_SUCCESS && png)
    status = cairo_surface_write_to_png_stream (surface, sink_write_cb, &sink);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  /* Every byte reached the disk, or the figure failed. */
  int err = sink.err;
  if (err == 0 && status == CAIRO_STATUS_SUCCESS && fsync (sink.fd) != 0 && errno != EINVAL)
    err = errno;
  if (close (sink.fd) != 0 && err == 0 && status == CAIRO_STATUS_SUCCESS)
    err = errno;
  if (err != 0)
    {
      g_set_error (error, WSLFP_PLOT_ERROR, 0, "cannot write %s: %s", name, g_strerror (err));
      return FALSE;
    }
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, WSLFP_PLOT_ERROR, 0, "cannot write %s: %s", name, cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}

/* CRC-32 as PNG chunks use it (ISO 3309, the one zlib computes). */
static guint32
png_crc (const guchar *data, gsize n)
{
  guint32 c = 0xffffffffu;
  for (gsize i = 0; i < n; i++)
    {
      c ^= data[i];
      for (int k = 0; k < 8; k++)
        c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1)));
    }
  return c ^ 0xffffffffu;
}

static void
put_be32 (guchar *p, guint32 v)
{
  p[0] = v >> 24;
  p[1] = v >> 16;
  p[2] = v >> 8;
  p[3] = v;
}

/* Records @dpi in the PNG @path: a pHYs chunk right after IHDR (cairo
 * writes none), so that other programs place the figure at its size. */
static gboolean
png_set_dpi (const char *path, double dpi, GError **error)
{
  g_autofree guchar *png = NULL;
  gsize len;
  if (!g_file_get_contents (path, (char **) &png, &len, error))
    return FALSE;
  const gsize after_ihdr = 8 + 4 + 4 + 13 + 4;
  if (len < after_ihdr || memcmp (png + 12, "IHDR", 4) != 0)
    {
      g_set_error (error, WSLFP_PLOT_ERROR, 0, "cannot record the resolution in %s: not a PNG written by cairo", path);
      return FALSE;
    }
  guchar chunk[4 + 4 + 9 + 4];
  guint32 ppm = (guint32) lround (dpi / 0.0254);
  put_be32 (chunk, 9);
  memcpy (chunk + 4, "pHYs", 4);
  put_be32 (chunk + 8, ppm);
  put_be32 (chunk + 12, ppm);
  chunk[16] = 1; /* the unit is the metre */
  put_be32 (chunk + 17, png_crc (chunk + 4, 4 + 9));
  g_autofree guchar *out = g_malloc (len + sizeof chunk);
  memcpy (out, png, after_ihdr);
  memcpy (out + after_ihdr, chunk, sizeof chunk);
  memcpy (out + after_ihdr + sizeof chunk, png + after_ihdr, len - after_ihdr);
  return g_file_set_contents (path, (const char *) out, len + sizeof chunk, error);
}

typedef struct
{
  WslfpDrawFunc draw;
  gpointer data;
  double scale;
  double px_per_pt;
  const WslfpPrintSize *size;
} Scaled;

/* WSLFP_PLOT_TEXT_BOXES=FILE: the figure's texts, one per line (box in
 * points, size in points, text), for checking a layout from outside. */
static void
write_text_boxes (const GArray *boxes, double px_per_pt)
{
  const char *path = g_getenv ("WSLFP_PLOT_TEXT_BOXES");
  GString *s = g_string_new (NULL);
  for (guint i = 0; i < boxes->len; i++)
    {
      const WslfpPlotTextBox *b = &g_array_index (boxes, WslfpPlotTextBox, i);
      g_string_append_printf (s, "%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%s\n", b->x0 / px_per_pt, b->y0 / px_per_pt,
                              b->x1 / px_per_pt, b->y1 / px_per_pt, b->size / px_per_pt, b->text);
    }
  g_autoptr (GError) error = NULL;
  if (!g_file_set_contents (path, s->str, (gssize) s->len, &error))
    g_warning ("WSLFP_PLOT_TEXT_BOXES: %s", error->message);
  g_string_free (s, TRUE);
}

static void
draw_scaled_cb (cairo_t *cr, double width, double height, gpointer user_data)
{
  Scaled *s = user_data;
  cairo_surface_t *target = cairo_get_target (cr);
  wslfp_plot_set_print (target, 1 / s->px_per_pt, s->size->width_pt);
  gboolean check = g_getenv ("WSLFP_PLOT_TEXT_BOXES") != NULL;
  if (check)
    wslfp_plot_text_boxes_record (target);
  cairo_scale (cr, s->scale, s->scale);
  s->draw (cr, width / s->scale, height / s->scale, s->data);
  if (check)
    write_text_boxes (wslfp_plot_text_boxes (target), s->px_per_pt);
}

gboolean
wslfp_plot_export_print (const char *name, const char *write_to, const WslfpPrintSize *size, WslfpDrawFunc draw,
                         gpointer user_data, GError **error)
{
  if (!(size->width_pt > 0 && size->height_pt > 0 && size->font_pt >= 4 && size->font_pt <= 72 && size->dpi >= 30
        && size->dpi <= 2400))
    {
      g_set_error (error, WSLFP_PLOT_ERROR, 0,
                   "figure %g × %g pt with %g pt text at %g dpi: the size must be positive, the text 4 … 72 pt, "
                   "the resolution 30 … 2400 dpi", size->width_pt, size->height_pt, size->font_pt, size->dpi);
      return FALSE;
    }
  g_autofree char *lower = g_ascii_strdown (name, -1);
  gboolean png = g_str_has_suffix (lower, ".png");
  /* Drawing units are points times the text's scale; a PNG has dpi/72
   * pixels per point on top. */
  double px_per_pt = png ? size->dpi / 72 : 1;
  double width = png ? round (size->width_pt * px_per_pt) : size->width_pt;
  double height = png ? round (size->height_pt * px_per_pt) : size->height_pt;
  Scaled scaled = { draw, user_data, size->font_pt / WSLFP_PLOT_FONT_UNITS * px_per_pt, px_per_pt, size };
  if (width / scaled.scale < 16 || height / scaled.scale < 16)
    {
      g_set_error (error, WSLFP_PLOT_ERROR, 0, "a figure of %g × %g pt has no room for %g pt text", size->width_pt,
                   size->height_pt, size->font_pt);
      return FALSE;
    }
  if (!wslfp_plot_export (name, write_to, width, height, draw_scaled_cb, &scaled, error))
    return FALSE;
  return !png || png_set_dpi (write_to, size->dpi, error);
}

GArray *
wslfp_plot_print_texts (const WslfpPrintSize *size, WslfpDrawFunc draw, gpointer user_data)
{
  cairo_rectangle_t page = { 0, 0, size->width_pt, size->height_pt };
  cairo_surface_t *surface = cairo_recording_surface_create (CAIRO_CONTENT_COLOR_ALPHA, &page);
  wslfp_plot_text_boxes_record (surface);
  cairo_t *cr = cairo_create (surface);
  Scaled scaled = { draw, user_data, size->font_pt / WSLFP_PLOT_FONT_UNITS, 1, size };
  draw_scaled_cb (cr, size->width_pt, size->height_pt, &scaled);
  cairo_destroy (cr);
  GArray *boxes = g_array_ref (wslfp_plot_text_boxes (surface));
  cairo_surface_destroy (surface);
  return boxes;
}

gboolean
wslfp_plot_parse_size (const char *text, double *width_pt, double *height_pt)
{
  static const struct { const char *name; double w_mm, h_mm; } presets[] = {
    { "1col", 85, 60 }, { "1.5col", 114, 80 }, { "2col", 174, 120 },
  };
  for (guint i = 0; i < G_N_ELEMENTS (presets); i++)
    if (g_strcmp0 (text, presets[i].name) == 0)
      {
        *width_pt = presets[i].w_mm / 25.4 * 72;
        *height_pt = presets[i].h_mm / 25.4 * 72;
        return TRUE;
      }
  if (text == NULL)
    return FALSE;
  char *end;
  double w = g_ascii_strtod (text, &end);
  if (end == text || (*end != 'x' && *end != 'X'))
    return FALSE;
  const char *h_text = end + 1;
  double h = g_ascii_strtod (h_text, &end);
  if (end == h_text || !(w > 0 && h > 0 && isfinite (w) && isfinite (h)))
    return FALSE;
  double per_unit = g_str_equal (end, "mm") ? 72 / 25.4 : g_str_equal (end, "in") ? 72 : g_str_equal (end, "pt") ? 1 : 0;
  if (per_unit == 0)
    return FALSE;
  *width_pt = w * per_unit;
  *height_pt = h * per_unit;
  return TRUE;
}

static int
compare_abs (const void *a, const void *b)
{
  double x = fabs (*(const double *) a), y = fabs (*(const double *) b);
  return (x > y) - (x < y);
}

double
wslfp_plot_robust_limit (const double *v, gsize n)
{
  if (n == 0)
    return 1;
  /* A sample is enough for a percentile of many values: a prime number of
   * evenly spread indices, so that a whole-number step never lands on the
   * same few columns of a times × contacts matrix. */
  gsize m = MIN (n, 20011);
  double *a = g_new (double, m);
  for (gsize k = 0; k < m; k++)
    {
      double x = v[(gsize) ((double) k * n / m)];
      a[k] = isfinite (x) ? x : 0;
    }
  qsort (a, m, sizeof (double), compare_abs);
  double limit = fabs (a[MIN ((gsize) (0.99 * (m - 1) + 0.5), m - 1)]);
  if (!(limit > 0))
    limit = fabs (a[m - 1]);
  g_free (a);
  return limit > 0 ? limit : 1;
}

int
wslfp_plot_colorbar_exponent (double limit)
{
  if (!(limit > 0) || !isfinite (limit) || (limit >= 0.01 && limit < 1e4))
    return 0;
  return 3 * (int) floor (log10 (limit) / 3);
}

void
wslfp_plot_colorbar (cairo_t *cr, double x, double y, double w, double h, double limit, const char *label)
{
  char buf[64];
  cairo_save (cr);
  for (int i = 0; i < (int) h; i++)
    {
      double rgb[3];
      wslfp_plot_diverging (limit * (1 - 2.0 * (i + 0.5) / h), limit, rgb);
      cairo_set_source_rgb (cr, rgb[0], rgb[1], rgb[2]);
      cairo_rectangle (cr, x, y + i, w, 1.2);
      cairo_fill (cr);
    }
  cairo_set_source_rgb (cr, 0.3, 0.3, 0.3);
  cairo_set_line_width (cr, 1);
  cairo_rectangle (cr, x + 0.5, y + 0.5, w - 1, h - 1);
  cairo_stroke (cr);
  /* Very small or large limits: ticks in units of 10^(3k), said above the
   * bar, so they stay short and distinct. */
  int k3 = wslfp_plot_colorbar_exponent (limit);
  double unit = pow (10, k3);
  double step = wslfp_plot_nice_step (2 * limit / unit, 4), ticks[64];
  /* As many ticks as keep apart; on a bar too short for two, none, and
   * the range said with the unit instead ("±0.05 µV"). */
  step = wslfp_plot_fit_step (cr, -limit / unit, limit / unit, h, step, TRUE, 2);
  gsize n = step > 0 ? wslfp_plot_ticks (-limit / unit, limit / unit, step, ticks, G_N_ELEMENTS (ticks)) : 0;
  double right = x + w; /* where the tick labels end */
  for (gsize k = 0; k < n; k++)
    {
      double v = ticks[k], ty = y + h / 2 - v * unit / limit * h / 2;
      cairo_move_to (cr, x + w, ty);
      cairo_line_to (cr, x + w + 3, ty);
      cairo_stroke (cr);
      wslfp_plot_format_number (buf, sizeof buf, v, step);
      wslfp_plot_text (cr, x + w + 5, ty, buf, 0, 0.5);
      cairo_text_extents_t ext;
      cairo_text_extents (cr, buf, &ext);
      right = MAX (right, x + w + 5 + ext.x_advance);
    }
  if (k3 != 0)
    {
      char power[32];
      wslfp_plot_format_decade (power, sizeof power, k3);
      g_snprintf (buf, sizeof buf, "×%s %s", power, label ? label : "");
      label = buf;
    }
  char range[96];
  if (n == 0)
    {
      char value[32];
      g_snprintf (value, sizeof value, "%.2g", limit / unit);
      g_snprintf (range, sizeof range, "±%s %s", value, label ? label : "");
      label = range;
    }
  /* Over the bar; a label wider than bar and ticks ends where they end,
   * so that it stays inside the margin they were given. */
  if (label != NULL)
    {
      cairo_text_extents_t ext;
      cairo_text_extents (cr, label, &ext);
      if (x + w / 2 + ext.x_advance / 2 > right)
        wslfp_plot_text (cr, right, y - 6, label, 1, 1);
      else
        wslfp_plot_text (cr, x + w / 2, y - 6, label, 0.5, 1);
    }
  cairo_restore (cr);
}
