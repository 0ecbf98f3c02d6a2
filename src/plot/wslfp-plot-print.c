/* wslfp-plot-print.c: what a figure knows of the page it is printed on —
 * its size in points, for line widths and vector detail — and the texts
 * it drew, so that a test (or WSLFP_PLOT_TEXT_BOXES) can check that none
 * leaves the page, overlaps another or is smaller than the chosen size. */
#include "wslfp-plot-private.h"

#include <math.h>
#include <string.h>

static const cairo_user_data_key_t print_key, boxes_key;

typedef struct
{
  double pt_per_device; /* 1 for PDF and SVG; 72/dpi for PNG */
  double page_width_pt;
} PrintInfo;

void
wslfp_plot_set_print (cairo_surface_t *surface, double pt_per_device, double page_width_pt)
{
  PrintInfo *info = g_new (PrintInfo, 1);
  info->pt_per_device = pt_per_device;
  info->page_width_pt = page_width_pt;
  cairo_surface_set_user_data (surface, &print_key, info, g_free);
}

gboolean
wslfp_plot_get_print (cairo_t *cr, double *pt_per_unit, double *page_width_pt)
{
  PrintInfo *info = cairo_surface_get_user_data (cairo_get_target (cr), &print_key);
  if (info == NULL)
    return FALSE;
  double dx = 1, dy = 0;
  cairo_user_to_device_distance (cr, &dx, &dy);
  *pt_per_unit = hypot (dx, dy) * info->pt_per_device;
  *page_width_pt = info->page_width_pt;
  return TRUE;
}

double
wslfp_plot_line_width (cairo_t *cr, double screen_px)
{
  double pt_per_unit, page_w;
  if (!wslfp_plot_get_print (cr, &pt_per_unit, &page_w) || !(pt_per_unit > 0))
    return screen_px;
  /* Half a point at one column (85 mm), growing with the page up to a
   * point at two: lines keep their weight against the text when a figure
   * is scaled down to a column. */
  const double one_column_pt = 85 / 25.4 * 72;
  double pt = 0.5 * CLAMP (page_w / one_column_pt, 1, 2) * screen_px;
  return pt / pt_per_unit;
}

gboolean
wslfp_plot_is_vector (cairo_t *cr)
{
  cairo_surface_t *target = cairo_get_target (cr);
  cairo_surface_type_t type = cairo_surface_get_type (target);
  /* (GTK records a widget's drawing too: a recording is a page only when
   * a printed figure's check makes it one) */
  return type == CAIRO_SURFACE_TYPE_PDF || type == CAIRO_SURFACE_TYPE_SVG || type == CAIRO_SURFACE_TYPE_PS
         || (type == CAIRO_SURFACE_TYPE_RECORDING && cairo_surface_get_user_data (target, &print_key) != NULL);
}

double
wslfp_plot_pt_per_unit (cairo_t *cr)
{
  PrintInfo *info = cairo_surface_get_user_data (cairo_get_target (cr), &print_key);
  double dx = 1, dy = 0;
  cairo_user_to_device_distance (cr, &dx, &dy);
  return hypot (dx, dy) * (info != NULL ? info->pt_per_device : 1);
}

static void
boxes_free (gpointer data)
{
  g_array_unref (data);
}

void
wslfp_plot_text_boxes_record (cairo_surface_t *surface)
{
  cairo_surface_set_user_data (surface, &boxes_key, g_array_new (FALSE, FALSE, sizeof (WslfpPlotTextBox)),
                               boxes_free);
}

GArray *
wslfp_plot_text_boxes (cairo_surface_t *surface)
{
  return cairo_surface_get_user_data (surface, &boxes_key);
}

void
wslfp_plot_note_text (cairo_t *cr, const char *text, double x, double y, const cairo_text_extents_t *ext)
{
  GArray *boxes = cairo_surface_get_user_data (cairo_get_target (cr), &boxes_key);
  if (boxes == NULL)
    return;
  /* The ink box's corners on the surface (a rotated label's too). */
  WslfpPlotTextBox b = { INFINITY, INFINITY, -INFINITY, -INFINITY, 0, "", { 0 } };
  for (int k = 0; k < 4; k++)
    {
      double cx = x + ext->x_bearing + (k & 1 ? ext->width : 0), cy = y + ext->y_bearing + (k & 2 ? ext->height : 0);
      cairo_user_to_device (cr, &cx, &cy);
      b.x0 = MIN (b.x0, cx);
      b.x1 = MAX (b.x1, cx);
      b.y0 = MIN (b.y0, cy);
      b.y1 = MAX (b.y1, cy);
    }
  cairo_matrix_t font;
  cairo_get_font_matrix (cr, &font);
  double dx = 0, dy = font.yy;
  cairo_user_to_device_distance (cr, &dx, &dy);
  b.size = hypot (dx, dy);
  g_strlcpy (b.text, text, sizeof b.text);
  /* The clip's box on the surface: a text past it is cut. */
  double c[4];
  cairo_clip_extents (cr, &c[0], &c[1], &c[2], &c[3]);
  b.clip[0] = b.clip[1] = INFINITY;
  b.clip[2] = b.clip[3] = -INFINITY;
  for (int k = 0; k < 4; k++)
    {
      double cx = c[k & 1 ? 2 : 0], cy = c[k & 2 ? 3 : 1];
      cairo_user_to_device (cr, &cx, &cy);
      b.clip[0] = MIN (b.clip[0], cx);
      b.clip[1] = MIN (b.clip[1], cy);
      b.clip[2] = MAX (b.clip[2], cx);
      b.clip[3] = MAX (b.clip[3], cy);
    }
  g_array_append_val (boxes, b);
}

/* Boxes may touch: glyph ink of neighbouring labels often shares an edge
 * by rounding. */
#define OVERLAP_SLACK 0.25
#define NEAR_GAP 0.4

char *
wslfp_plot_text_boxes_problems (const GArray *boxes, double width, double height, double min_size)
{
  GString *out = g_string_new (NULL);
  const WslfpPlotTextBox *b = (const WslfpPlotTextBox *) boxes->data;
  for (guint i = 0; i < boxes->len; i++)
    {
      if (b[i].x0 < -OVERLAP_SLACK || b[i].y0 < -OVERLAP_SLACK || b[i].x1 > width + OVERLAP_SLACK
          || b[i].y1 > height + OVERLAP_SLACK)
        g_string_append_printf (out, "\"%s\" (%.1f, %.1f … %.1f, %.1f) leaves the %.0f × %.0f page\n", b[i].text,
                                b[i].x0, b[i].y0, b[i].x1, b[i].y1, width, height);
      else if (b[i].x0 < b[i].clip[0] - OVERLAP_SLACK || b[i].y0 < b[i].clip[1] - OVERLAP_SLACK
               || b[i].x1 > b[i].clip[2] + OVERLAP_SLACK || b[i].y1 > b[i].clip[3] + OVERLAP_SLACK)
        g_string_append_printf (out, "\"%s\" (%.1f, %.1f … %.1f, %.1f) is cut by its panel (%.1f, %.1f … %.1f, %.1f)\n",
                                b[i].text, b[i].x0, b[i].y0, b[i].x1, b[i].y1, b[i].clip[0], b[i].clip[1],
                                b[i].clip[2], b[i].clip[3]);
      if (b[i].size < min_size * 0.999)
        g_string_append_printf (out, "\"%s\" is %.2f, under %.2f\n", b[i].text, b[i].size, min_size);
      for (guint j = i + 1; j < boxes->len; j++)
        {
          double across = MIN (b[i].x1, b[j].x1) - MAX (b[i].x0, b[j].x0);
          double down = MIN (b[i].y1, b[j].y1) - MAX (b[i].y0, b[j].y0);
          /* On one line, a gap under NEAR_GAP ems reads as one word. */
          double near = NEAR_GAP * MIN (b[i].size, b[j].size);
          if (across > OVERLAP_SLACK && down > OVERLAP_SLACK)
            g_string_append_printf (out, "\"%s\" (%.1f, %.1f … %.1f, %.1f) overlaps \"%s\" (%.1f, %.1f … %.1f, %.1f)\n",
                                    b[i].text, b[i].x0, b[i].y0, b[i].x1, b[i].y1, b[j].text, b[j].x0, b[j].y0,
                                    b[j].x1, b[j].y1);
          else if (down > 0.5 * MIN (b[i].y1 - b[i].y0, b[j].y1 - b[j].y0) && across > -near)
            g_string_append_printf (out, "\"%s\" and \"%s\" on one line are %.2f apart, under %.2f\n", b[i].text,
                                    b[j].text, -across, near);
        }
    }
  return g_string_free (out, out->len == 0);
}
