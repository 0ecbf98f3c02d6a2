/* wslfp-view-message.c: a view's message in place of its figure. */
#include "wslfp-view-message.h"

void
wslfp_view_draw_message (cairo_t *cr, double width, double height, const char *message)
{
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  PangoLayout *layout = pango_cairo_create_layout (cr);
  /* (the interface's face: a layout's own default is fontconfig's, which
   * can be a serif one) */
  PangoFontDescription *font = pango_font_description_from_string ("Sans 11");
  pango_layout_set_font_description (layout, font);
  pango_font_description_free (font);
  pango_layout_set_text (layout, message, -1);
  pango_layout_set_width (layout, (int) (MAX (width - 40, 40) * PANGO_SCALE));
  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
  int w, h;
  pango_layout_get_pixel_size (layout, &w, &h);
  cairo_set_source_rgb (cr, 0.3, 0.3, 0.3);
  cairo_move_to (cr, 20, (height - h) / 2);
  pango_cairo_show_layout (cr, layout);
  g_object_unref (layout);
}
