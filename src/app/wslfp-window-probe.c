/* wslfp-window-probe.c: the probe panel: choosing a probe (parametric
 * shanks, presets, the dataset's, a file), recent probe files, exporting
 * the placed probe, and refusing values out of range. */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "wslfp-spin-guard.h"
#include "wslfp-window-private.h"

/* In the order of the probe list in wslfp-window.ui. */
const char *const wslfp_window_probe_kinds[] = { "shanks", "neuropixels-1.0", "neuropixels-2.0-4shank", "linear-32",
                                                 "tetrode", "utah-10x10", "dataset", "file", NULL };

#define KIND_DATASET 6
#define KIND_FILE    7

static guint
kind_index (const char *kind)
{
  for (guint i = 0; wslfp_window_probe_kinds[i] != NULL; i++)
    if (g_strcmp0 (wslfp_window_probe_kinds[i], kind) == 0)
      return i;
  return 0;
}

static void kind_selected_cb (GObject *object, GParamSpec *pspec, WslfpWindow *self);

/* The list follows the probe: its kind selected, the shank rows shown only
 * for the parametric probe. */
static void
probe_kind_changed_cb (GObject *object, GParamSpec *pspec, WslfpWindow *self)
{
  const char *kind = wslfp_probe_get_kind (self->probe);
  g_signal_handlers_block_by_func (self->probe_kind_row, kind_selected_cb, self);
  adw_combo_row_set_selected (self->probe_kind_row, kind_index (kind));
  g_signal_handlers_unblock_by_func (self->probe_kind_row, kind_selected_cb, self);
  gboolean shanks = g_strcmp0 (kind, "shanks") == 0;
  gtk_widget_set_visible (GTK_WIDGET (self->shanks_row), shanks);
  gtk_widget_set_visible (GTK_WIDGET (self->spacing_row), shanks);
  gtk_widget_set_visible (GTK_WIDGET (self->contacts_row), shanks);
  gtk_widget_set_visible (GTK_WIDGET (self->pitch_row), shanks);
  g_autofree char *subtitle = g_strdup_printf (ngettext ("%s · %zu contact", "%s · %zu contacts",
                                                         wslfp_probe_get_layout (self->probe)->n_contacts),
                                               wslfp_probe_get_name (self->probe),
                                               wslfp_probe_get_layout (self->probe)->n_contacts);
  /* A subtitle, not a tooltip: a tooltip would cover the open list. */
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->probe_kind_row), subtitle);
  /* Another probe may be much bigger: frame it with the cells. */
  if (pspec != NULL)
    {
      WslfpLayoutView *views[WSLFP_WINDOW_N_VIEWS];
      wslfp_window_get_layout_views (self, views);
      for (int v = 0; v < WSLFP_WINDOW_N_VIEWS; v++)
        wslfp_layout_view_frame_all (views[v]);
    }
}

static void
set_file_label (WslfpWindow *self, const char *name)
{
  /* Translators: the probe list's entry for a probe read from a file. */
  g_autofree char *label = g_strdup_printf (_("File: %s"), name);
  const char *const items[] = { label, NULL };
  g_signal_handlers_block_by_func (self->probe_kind_row, kind_selected_cb, self);
  guint selected = adw_combo_row_get_selected (self->probe_kind_row);
  gtk_string_list_splice (self->probe_kind_list, KIND_FILE, 1, items);
  adw_combo_row_set_selected (self->probe_kind_row, selected);
  g_signal_handlers_unblock_by_func (self->probe_kind_row, kind_selected_cb, self);
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
  const WslfpDataset *ds = self->document ? wslfp_document_get_dataset (self->document) : NULL;
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

static void
kind_selected_cb (GObject *object, GParamSpec *pspec, WslfpWindow *self)
{
  guint i = adw_combo_row_get_selected (self->probe_kind_row);
  if (i == KIND_DATASET)
    {
      if (self->document == NULL)
        probe_kind_changed_cb (NULL, NULL, self);
      else
        wslfp_window_use_dataset_probe (self);
    }
  else if (i == KIND_FILE)
    {
      if (self->probe_file != NULL)
        wslfp_probe_set_layout (self->probe, "file", wslfp_probe_layout_copy (self->probe_file), FALSE);
      else
        {
          /* Nothing loaded yet: stay, and ask for a file. */
          probe_kind_changed_cb (NULL, NULL, self);
          gtk_widget_activate_action (GTK_WIDGET (self), "win.open-probe", NULL);
        }
    }
  else if (i < KIND_DATASET)
    wslfp_probe_set_preset (self->probe, wslfp_window_probe_kinds[i]);
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
  set_file_label (self, layout->name);
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
  wslfp_window_fill_recent_menu (self, "recent-probes", self->recent_probes_button, "win.open-recent-probe");
}

void
wslfp_window_setup_probe_panel (WslfpWindow *self)
{
  struct { GtkSpinButton *spin; const char *what; } spins[] = {
    { self->probe_x_spin, _("x (µm)") }, { self->probe_y_spin, _("y (µm)") }, { self->probe_z_spin, _("z (µm)") },
    { self->probe_rotation_spin, _("Azimuth (°)") }, { self->probe_tilt_spin, _("Tilt (°)") },
    { self->probe_roll_spin, _("Roll (°)") }, { self->probe_shanks_spin, _("Shanks") },
    { self->probe_spacing_spin, _("Shank spacing (µm)") }, { self->probe_contacts_spin, _("Contacts per shank") },
    { self->probe_pitch_spin, _("Contact pitch (µm)") },
  };
  for (guint i = 0; i < G_N_ELEMENTS (spins); i++)
    wslfp_spin_guard (spins[i].spin, spins[i].what);
  g_signal_connect (self->probe, "notify::kind", G_CALLBACK (probe_kind_changed_cb), self);
  g_signal_connect (self->probe_kind_row, "notify::selected", G_CALLBACK (kind_selected_cb), self);
  probe_kind_changed_cb (NULL, NULL, self);
  wslfp_window_update_recent_probes (self);
}
