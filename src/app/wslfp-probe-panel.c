/* wslfp-probe-panel.c: the probe panel (see the header). */
#include "config.h"
#include "wslfp-probe-panel.h"

#include <glib/gi18n.h>

#include "wslfp-spin-guard.h"

/* In the order of the probe list in wslfp-probe-panel.ui. */
const char *const wslfp_probe_panel_kinds[] = { "shanks", "neuropixels-1.0", "neuropixels-2.0-4shank", "linear-32",
                                                "tetrode", "utah-10x10", "dataset", "file", NULL };
#define KIND_DATASET 6
#define KIND_FILE    7

struct _WslfpProbePanel
{
  AdwBin parent_instance;
  WslfpComputeController *controller;
  WslfpExplorerState *state;    /* the controller's */
  WslfpProbe *probe;            /* the state's */
  /* template widgets */
  AdwComboRow *probe_kind_row;
  GtkStringList *probe_kind_list;
  GtkMenuButton *recent_probes_button;
  AdwActionRow *shanks_row;
  AdwActionRow *spacing_row;
  AdwActionRow *contacts_row;
  AdwActionRow *pitch_row;
  GtkSpinButton *probe_x_spin;
  GtkSpinButton *probe_y_spin;
  GtkSpinButton *probe_z_spin;
  GtkSpinButton *probe_rotation_spin;
  GtkSpinButton *probe_tilt_spin;
  GtkSpinButton *probe_roll_spin;
  GtkSpinButton *probe_shanks_spin;
  GtkSpinButton *probe_spacing_spin;
  GtkSpinButton *probe_contacts_spin;
  GtkSpinButton *probe_pitch_spin;
};

G_DEFINE_FINAL_TYPE (WslfpProbePanel, wslfp_probe_panel, ADW_TYPE_BIN)

static guint
kind_index (const char *kind)
{
  for (guint i = 0; wslfp_probe_panel_kinds[i] != NULL; i++)
    if (g_strcmp0 (wslfp_probe_panel_kinds[i], kind) == 0)
      return i;
  return 0;
}

static void kind_selected_cb (GObject *object, GParamSpec *pspec, WslfpProbePanel *self);

/* The list follows the probe: its kind selected, the shank rows shown only
 * for the parametric probe, its name and size under the list. */
static void
probe_kind_changed_cb (GObject *object, GParamSpec *pspec, WslfpProbePanel *self)
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
  gsize n = wslfp_probe_get_layout (self->probe)->n_contacts;
  g_autofree char *subtitle = g_strdup_printf (ngettext ("%s · %zu contact", "%s · %zu contacts", n),
                                               wslfp_probe_get_name (self->probe), n);
  /* A subtitle, not a tooltip: a tooltip would cover the open list. */
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->probe_kind_row), subtitle);
}

static void
kind_selected_cb (GObject *object, GParamSpec *pspec, WslfpProbePanel *self)
{
  guint i = adw_combo_row_get_selected (self->probe_kind_row);
  WslfpDocument *doc = wslfp_compute_controller_get_document (self->controller);
  const WslfpDataset *ds = doc != NULL ? wslfp_document_get_dataset (doc) : NULL;
  if (i < KIND_DATASET)
    wslfp_probe_set_preset (self->probe, wslfp_probe_panel_kinds[i]);
  else if (i == KIND_DATASET && ds != NULL)
    wslfp_explorer_state_use_dataset_probe (self->state, ds);
  else if (i == KIND_FILE && !wslfp_explorer_state_use_probe_file (self->state))
    gtk_widget_activate_action (GTK_WIDGET (self), "win.open-probe", NULL); /* none read yet: ask */
  /* (the list shows the probe's kind again: it may not have changed) */
  probe_kind_changed_cb (NULL, NULL, self);
}

/* A probe file read: its name in the list. */
static void
probe_file_changed_cb (GObject *object, GParamSpec *pspec, WslfpProbePanel *self)
{
  const char *name = wslfp_explorer_state_get_probe_file_name (self->state);
  if (name == NULL)
    return;
  /* Translators: the probe list's entry for a probe read from a file. */
  g_autofree char *label = g_strdup_printf (_("File: %s"), name);
  const char *const items[] = { label, NULL };
  g_signal_handlers_block_by_func (self->probe_kind_row, kind_selected_cb, self);
  guint selected = adw_combo_row_get_selected (self->probe_kind_row);
  gtk_string_list_splice (self->probe_kind_list, KIND_FILE, 1, items);
  adw_combo_row_set_selected (self->probe_kind_row, selected);
  g_signal_handlers_unblock_by_func (self->probe_kind_row, kind_selected_cb, self);
}

void
wslfp_probe_panel_set_controller (WslfpProbePanel *self, WslfpComputeController *controller)
{
  g_return_if_fail (self->probe == NULL);
  self->controller = g_object_ref (controller);
  self->state = g_object_ref (wslfp_compute_controller_get_state (controller));
  WslfpProbe *probe = self->probe = g_object_ref (wslfp_explorer_state_get_probe (self->state));
  g_signal_connect_object (self->state, "notify::probe-file", G_CALLBACK (probe_file_changed_cb), self, 0);
  struct { const char *prop; GtkSpinButton *spin; } rows[] = {
    { "x-um", self->probe_x_spin }, { "y-um", self->probe_y_spin }, { "z-um", self->probe_z_spin },
    { "rotation-deg", self->probe_rotation_spin }, { "tilt-deg", self->probe_tilt_spin },
    { "roll-deg", self->probe_roll_spin }, { "n-shanks", self->probe_shanks_spin },
    { "spacing-um", self->probe_spacing_spin }, { "n-contacts", self->probe_contacts_spin },
    { "pitch-um", self->probe_pitch_spin },
  };
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    g_object_bind_property (probe, rows[i].prop, rows[i].spin, "value", G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_signal_connect_object (probe, "notify::kind", G_CALLBACK (probe_kind_changed_cb), self, 0);
  g_signal_connect (self->probe_kind_row, "notify::selected", G_CALLBACK (kind_selected_cb), self);
  probe_kind_changed_cb (NULL, NULL, self);
}

void
wslfp_probe_panel_set_recent_menu (WslfpProbePanel *self, GMenuModel *menu)
{
  gtk_menu_button_set_menu_model (self->recent_probes_button, menu);
  gtk_widget_set_sensitive (GTK_WIDGET (self->recent_probes_button),
                            menu != NULL && g_menu_model_get_n_items (menu) > 0);
}

static void
wslfp_probe_panel_dispose (GObject *object)
{
  WslfpProbePanel *self = WSLFP_PROBE_PANEL (object);
  gtk_widget_dispose_template (GTK_WIDGET (self), WSLFP_TYPE_PROBE_PANEL);
  g_clear_object (&self->probe);
  g_clear_object (&self->state);
  g_clear_object (&self->controller);
  G_OBJECT_CLASS (wslfp_probe_panel_parent_class)->dispose (object);
}

static void
wslfp_probe_panel_class_init (WslfpProbePanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  object_class->dispose = wslfp_probe_panel_dispose;
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/wslfp/Explorer/wslfp-probe-panel.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, WslfpProbePanel, name)
  BIND (probe_kind_row);
  BIND (probe_kind_list);
  BIND (recent_probes_button);
  BIND (shanks_row);
  BIND (spacing_row);
  BIND (contacts_row);
  BIND (pitch_row);
  BIND (probe_x_spin);
  BIND (probe_y_spin);
  BIND (probe_z_spin);
  BIND (probe_rotation_spin);
  BIND (probe_tilt_spin);
  BIND (probe_roll_spin);
  BIND (probe_shanks_spin);
  BIND (probe_spacing_spin);
  BIND (probe_contacts_spin);
  BIND (probe_pitch_spin);
#undef BIND
}

static void
wslfp_probe_panel_init (WslfpProbePanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  struct { GtkSpinButton *spin; const char *what; } spins[] = {
    { self->probe_x_spin, _("x (µm)") }, { self->probe_y_spin, _("y (µm)") }, { self->probe_z_spin, _("z (µm)") },
    { self->probe_rotation_spin, _("Azimuth (°)") }, { self->probe_tilt_spin, _("Tilt (°)") },
    { self->probe_roll_spin, _("Roll (°)") }, { self->probe_shanks_spin, _("Shanks") },
    { self->probe_spacing_spin, _("Shank spacing (µm)") }, { self->probe_contacts_spin, _("Contacts per shank") },
    { self->probe_pitch_spin, _("Contact pitch (µm)") },
  };
  for (guint i = 0; i < G_N_ELEMENTS (spins); i++)
    wslfp_spin_guard (spins[i].spin, spins[i].what);
}
