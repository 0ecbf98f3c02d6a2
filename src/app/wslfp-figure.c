/* wslfp-figure.c: pages as figure files (see the header). */
#include "config.h"
#include "wslfp-figure.h"

#include <glib/gi18n.h>

#include "wslfp-explore-page.h"
#include "wslfp-h5.h"
#include "wslfp-profile-view.h"
#include "wslfp-raster-view.h"

void
wslfp_figure_draw (GtkWidget *page, cairo_t *cr, double width, double height)
{
  if (WSLFP_IS_EXPLORE_PAGE (page))
    wslfp_explore_page_draw (WSLFP_EXPLORE_PAGE (page), cr, width, height);
  else if (WSLFP_IS_LAYOUT_VIEW (page))
    wslfp_layout_view_draw (WSLFP_LAYOUT_VIEW (page), cr, width, height);
  else if (WSLFP_IS_PROFILE_VIEW (page))
    wslfp_profile_view_draw (WSLFP_PROFILE_VIEW (page), cr, width, height);
  else if (WSLFP_IS_RASTER_VIEW (page))
    wslfp_raster_view_draw (WSLFP_RASTER_VIEW (page), cr, width, height);
  else if (WSLFP_IS_TRACE_VIEW (page))
    wslfp_trace_view_draw (WSLFP_TRACE_VIEW (page), cr, width, height);
  else
    g_critical ("%s is not a page that draws", G_OBJECT_TYPE_NAME (page));
}

static void
draw_cb (cairo_t *cr, double width, double height, gpointer page)
{
  wslfp_figure_draw (page, cr, width, height);
}

gboolean
wslfp_figure_export (GtkWidget *page, const char *path, const WslfpPrintSize *print, GError **error)
{
  if (!wslfp_plot_format_supported (path))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_FILENAME, _("%s: choose a name ending in .png, .svg or .pdf"),
                   path);
      return FALSE;
    }
  /* Heat maps are square; everything else has the proportions of a page. */
  gboolean square = WSLFP_IS_PROFILE_VIEW (page);
  WslfpAtomicFile out;
  if (!wslfp_atomic_begin (&out, path, error))
    return FALSE;
  gboolean ok = print != NULL ? wslfp_plot_export_print (path, out.tmp_path, print, draw_cb, page, error)
                              : wslfp_plot_export (path, out.tmp_path, square ? 700 : 1200, square ? 700 : 760, draw_cb,
                                                   page, error);
  if (!ok)
    {
      wslfp_atomic_abort (&out);
      return FALSE;
    }
  return wslfp_atomic_commit (&out, error);
}

gboolean
wslfp_figure_save_screenshot (GtkWidget *widget, const char *path, GError **error)
{
  int w = gtk_widget_get_width (widget), h = gtk_widget_get_height (widget);
  GtkNative *native = gtk_widget_get_native (widget);
  if (w <= 0 || h <= 0 || native == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("The window is not shown"));
      return FALSE;
    }
  g_autoptr (GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, w, h);
  g_autoptr (GskRenderNode) node = gtk_snapshot_free_to_node (snapshot);
  if (node == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Nothing was drawn"));
      return FALSE;
    }
  GskRenderer *renderer = gtk_native_get_renderer (native);
  g_autoptr (GdkTexture) texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, w, h));
  WslfpAtomicFile out;
  if (!wslfp_atomic_begin (&out, path, error))
    return FALSE;
  if (!gdk_texture_save_to_png (texture, out.tmp_path))
    {
      wslfp_atomic_abort (&out);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Could not write %s"), path);
      return FALSE;
    }
  return wslfp_atomic_commit (&out, error);
}
