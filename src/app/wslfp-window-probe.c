/* wslfp-window-probe.c: what the window does for the probe panel: the
 * dataset's probe (or one placed in a network), probe files (opening,
 * recent files, exporting the placed probe), and framing the views on a
 * new probe. */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "wslfp-window-private.h"

/* Another probe may be much bigger: frame it with the cells. */
static void
probe_kind_changed_cb (GObject *object, GParamSpec *pspec, WslfpWindow *self)
{
  WslfpLayoutView *views[WSLFP_WINDOW_N_VIEWS];
  wslfp_window_get_layout_views (self, views);
  for (int v = 0; v < WSLFP_WINDOW_N_VIEWS; v++)
    wslfp_layout_view_frame_all (views[v]);
}

/* A network without a probe of its own (SONATA): a linear probe through
 * the sources' centroid along their mean apical axis (cortical depth), as
 * one would insert it. */
static void
place_probe_in_network (WslfpWindow *self, const WslfpDataset *ds)
{
  double c[3] = { 0, 0, 0 }, u[3] = { 0, 0, 0 };
  for (gsize s = 0; s < ds->n_sources; s++)
    for (int k = 0; k < 3; k++)
      {
        c[k] += ds->sources_um[3 * s + k] / (double) ds->n_sources;
        u[k] += ds->orientation != NULL ? ds->orientation[3 * (ds->n_orientations > 1 ? s : 0) + k] : (k == 2);
      }
  double norm = sqrt (u[0] * u[0] + u[1] * u[1] + u[2] * u[2]);
  if (!(norm > 0))
    u[0] = u[1] = 0, u[2] = norm = 1;
  for (int k = 0; k < 3; k++)
    u[k] /= norm * (u[2] < 0 ? -1 : 1);
  /* R = Rz(az)·Rx(tilt) turns +z to (sin az sin t, −cos az sin t, cos t). */
  double tilt = acos (CLAMP (u[2], -1.0, 1.0)) * 180 / G_PI;
  double az = tilt > 1e-9 ? atan2 (u[0], -u[1]) * 180 / G_PI : 0.0;
  wslfp_probe_set_preset (self->probe, "linear-32");
  g_object_set (self->probe, "x-um", c[0], "y-um", c[1], "z-um", c[2], "rotation-deg", az, "tilt-deg", tilt,
                "roll-deg", 0.0, NULL);
}

void
wslfp_window_use_dataset_probe (WslfpWindow *self)
{
  WslfpDocument *doc = wslfp_window_get_document (self);
  const WslfpDataset *ds = doc ? wslfp_document_get_dataset (doc) : NULL;
  if (ds == NULL)
    return;
  if (ds->n_electrodes == 0)
    {
      place_probe_in_network (self, ds);
      return;
    }
  /* A regular grid stays editable as shanks; anything else is taken as it
   * is, placed where the file puts it. */
  if (wslfp_probe_fit (self->probe, ds->electrodes_um, ds->shank, ds->n_electrodes))
    return;
  WslfpProbeLayout *l = wslfp_probe_layout_new (_("The dataset’s probe"), ds->electrodes_um, ds->shank, ds->n_electrodes);
  wslfp_probe_set_layout (self->probe, "dataset", l, TRUE);
}

/* The panel asks for the kinds only the window can make. */
static void
kind_requested_cb (WslfpProbePanel *panel, const char *kind, WslfpWindow *self)
{
  if (g_strcmp0 (kind, "dataset") == 0)
    wslfp_window_use_dataset_probe (self);
  else if (self->probe_file != NULL)
    wslfp_probe_set_layout (self->probe, "file", wslfp_probe_layout_copy (self->probe_file), FALSE);
  else
    gtk_widget_activate_action (GTK_WIDGET (self), "win.open-probe", NULL); /* nothing loaded yet: ask */
}

gboolean
wslfp_window_load_probe (WslfpWindow *self, GFile *file, GError **error)
{
  g_autofree char *path = g_file_get_path (file);
  if (path == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, _("Only local files can be opened"));
      return FALSE;
    }
  WslfpProbeLayout *layout = wslfp_probe_layout_read (path, error);
  if (layout == NULL)
    return FALSE;
  wslfp_probe_layout_free (self->probe_file);
  self->probe_file = layout;
  g_free (self->probe_file_path);
  self->probe_file_path = g_canonicalize_filename (path, NULL);
  g_object_set (self->state, "probe-file", self->probe_file_path, NULL);
  wslfp_probe_panel_set_file_name (self->probe_panel, layout->name);
  /* Placed where the current probe is: the user moves it from there. */
  wslfp_probe_set_layout (self->probe, "file", wslfp_probe_layout_copy (layout), FALSE);
  wslfp_window_remember (self, "recent-probes", path);
  wslfp_window_update_recent_probes (self);
  return TRUE;
}

gboolean
wslfp_window_export_probe (WslfpWindow *self, const char *path, GError **error)
{
  g_autofree double *xyz = NULL;
  g_autofree int *shank = NULL;
  gsize n = wslfp_probe_get_contacts (self->probe, &xyz, &shank);
  g_autofree int *ids = wslfp_probe_get_shank_ids (self->probe);
  if (!wslfp_window_check_output (self, path, error))
    return FALSE;
  return wslfp_probe_write (path, wslfp_probe_get_name (self->probe), xyz, ids, n, error);
}

void
wslfp_window_update_recent_probes (WslfpWindow *self)
{
  g_autoptr (GMenuModel) menu = wslfp_window_recent_menu (self, "recent-probes", "win.open-recent-probe");
  wslfp_probe_panel_set_recent_menu (self->probe_panel, menu);
}

void
wslfp_window_setup_probe_panel (WslfpWindow *self)
{
  wslfp_probe_panel_set_probe (self->probe_panel, self->probe);
  g_signal_connect (self->probe_panel, "kind-requested", G_CALLBACK (kind_requested_cb), self);
  g_signal_connect (self->probe, "notify::kind", G_CALLBACK (probe_kind_changed_cb), self);
  wslfp_window_update_recent_probes (self);
}
