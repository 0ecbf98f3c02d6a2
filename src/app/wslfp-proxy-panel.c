/* wslfp-proxy-panel.c: the proxy panel (see the header). */
#include "config.h"
#include "wslfp-proxy-panel.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wslfp-spin-guard.h"

struct _WslfpProxyPanel
{
  AdwBin parent_instance;
  WslfpComputeController *controller;
  WslfpExplorerState *state;    /* the controller's */
  guint builtin_profile;        /* the last built-in profile chosen */
  GPtrArray *proxy_rows[2];     /* each proxy's settings' rows (WSLFP, TKLFP) */
  /* template widgets */
  AdwComboRow *profile_row;
  AdwActionRow *grid_row;
  AdwComboRow *source_row;
  AdwEntryRow *sources_row;   /* a SONATA network's --sources rule */
  AdwActionRow *network_row;  /* a SONATA network's populations */
  AdwComboRow *kernel_row;
  AdwActionRow *length_row;
  WslfpProfileView *profile_preview;
};

G_DEFINE_FINAL_TYPE (WslfpProxyPanel, wslfp_proxy_panel, ADW_TYPE_BIN)

enum
{
  SOURCES_APPLIED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The profile list's rows: the name, and under it what the profile is. */
static const char *
profile_description (guint position)
{
  switch (position)
    {
    case 0: return _("Mazzoni et al. 2015, Fig. 2B: a whole population’s profile");
    case 1: return _("Mazzoni 2015 rescaled to one neuron (the original package’s default)");
    case 2: return _("Aussel et al. 2018: a current dipole in a homogeneous medium (σ = 0.3 S/m)");
    default: return _("Your own grid of amplitudes over (r, d), from a CSV file");
    }
}

static void
profile_item_setup_cb (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *name = gtk_label_new (NULL), *about = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_xalign (GTK_LABEL (about), 0);
  gtk_label_set_wrap (GTK_LABEL (about), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (about), 36);
  gtk_widget_add_css_class (about, "caption");
  gtk_widget_add_css_class (about, "dim-label");
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), about);
  gtk_list_item_set_child (item, box);
}

static void
profile_item_bind_cb (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer data)
{
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkStringObject *string = gtk_list_item_get_item (item);
  gtk_label_set_text (GTK_LABEL (gtk_widget_get_first_child (box)), gtk_string_object_get_string (string));
  gtk_label_set_text (GTK_LABEL (gtk_widget_get_last_child (box)), profile_description (gtk_list_item_get_position (item)));
}

static gboolean
selected_to_bool (GBinding *binding, const GValue *from, GValue *to, gpointer data)
{
  g_value_set_boolean (to, g_value_get_uint (from) == 1);
  return TRUE;
}

static gboolean
bool_to_selected (GBinding *binding, const GValue *from, GValue *to, gpointer data)
{
  g_value_set_uint (to, g_value_get_boolean (from) ? 1 : 0);
  return TRUE;
}

/* Only the chosen proxy's settings are shown, and the grid row only with
 * the custom profile. */
static void
show_proxy_rows (WslfpProxyPanel *self)
{
  guint proxy, profile;
  g_object_get (self->state, "proxy", &proxy, "profile", &profile, NULL);
  for (guint p = 0; p < 2; p++)
    for (guint i = 0; i < self->proxy_rows[p]->len; i++)
      gtk_widget_set_visible (g_ptr_array_index (self->proxy_rows[p], i), p == proxy);
  gtk_widget_set_visible (GTK_WIDGET (self->grid_row), proxy == 0 && profile == WSLFP_EXPLORER_CUSTOM_PROFILE);
}

static void
sources_apply_cb (AdwEntryRow *row, WslfpProxyPanel *self)
{
  g_autofree char *rule = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
  g_signal_emit (self, signals[SOURCES_APPLIED], 0, rule);
}

/* What the open dataset allows: the source when it has currents and
 * spikes, a SONATA network's rows with its --sources rule. */
static void
show_dataset (WslfpProxyPanel *self, const WslfpDataset *ds, const char *rule)
{
  gboolean currents = wslfp_dataset_check_currents (ds, NULL), spikes = wslfp_dataset_check_spikes (ds, NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->source_row), currents && spikes);
  /* A SONATA network: which of its nodes are the sources, changeable. */
  gtk_widget_set_visible (GTK_WIDGET (self->sources_row), ds->summary != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->network_row), ds->brief != NULL);
  adw_action_row_set_subtitle (self->network_row, ds->brief ? ds->brief : "");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->network_row), ds->summary);
  gtk_editable_set_text (GTK_EDITABLE (self->sources_row), rule != NULL ? rule : "ei==e");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->sources_row), ds->summary);
}

static void
document_cb (GObject *object, GParamSpec *pspec, WslfpProxyPanel *self)
{
  WslfpDocument *doc = wslfp_compute_controller_get_document (self->controller);
  if (doc != NULL && wslfp_document_get_dataset (doc) != NULL)
    show_dataset (self, wslfp_document_get_dataset (doc), wslfp_document_get_sources (doc));
}

/* "custom grid" needs a grid: without one, go back to the built-in
 * profile and ask for a file (reading it selects "custom" again). */
static void
profile_cb (GObject *object, GParamSpec *pspec, WslfpProxyPanel *self)
{
  guint p;
  show_proxy_rows (self);
  g_object_get (self->state, "profile", &p, NULL);
  if (p != WSLFP_EXPLORER_CUSTOM_PROFILE)
    self->builtin_profile = p;
  else if (wslfp_compute_controller_get_grid_path (self->controller) == NULL)
    {
      g_object_set (self->state, "profile", self->builtin_profile, NULL);
      /* The list too: when the list chose "custom", its binding is still
       * passing that on and takes no change back (the list showed
       * "custom" over a built-in profile). */
      adw_combo_row_set_selected (self->profile_row, self->builtin_profile);
      gtk_widget_activate_action (GTK_WIDGET (self), "win.open-profile-grid", NULL);
    }
}

static gboolean
path_to_name (GBinding *binding, const GValue *from, GValue *to, gpointer data)
{
  const char *path = g_value_get_string (from);
  g_value_take_string (to, path != NULL ? g_path_get_basename (path) : g_strdup (""));
  return TRUE;
}

/* The widget of the template whose id is @id (only bound children are
 * reachable by gtk_widget_get_template_child). */
static GObject *
find_control (GtkWidget *widget, const char *id)
{
  if (g_strcmp0 (gtk_buildable_get_buildable_id (GTK_BUILDABLE (widget)), id) == 0)
    return G_OBJECT (widget);
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GObject *found = find_control (c, id);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* A setting's control shows and changes it: a spin button its number (a
 * typed value out of range is refused, naming the row), a switch its
 * boolean, a combo row its choice (or a boolean as its first or second
 * item). */
static void
bind_control (WslfpExplorerState *state, const WslfpSetting *t, GObject *control)
{
  const GBindingFlags both = G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE;
  if (GTK_IS_SPIN_BUTTON (control))
    {
      g_object_bind_property (state, t->name, control, "value", both);
      GtkWidget *row = gtk_widget_get_ancestor (GTK_WIDGET (control), ADW_TYPE_PREFERENCES_ROW);
      wslfp_spin_guard (GTK_SPIN_BUTTON (control), row ? adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)) : t->name);
    }
  else if (GTK_IS_SWITCH (control))
    g_object_bind_property (state, t->name, control, "active", both);
  else if (ADW_IS_COMBO_ROW (control) && t->kind == WSLFP_SETTING_BOOLEAN)
    g_object_bind_property_full (state, t->name, control, "selected", both, bool_to_selected, selected_to_bool, NULL,
                                 NULL);
  else if (ADW_IS_COMBO_ROW (control))
    g_object_bind_property (state, t->name, control, "selected", both);
  else
    g_critical ("the proxy panel's %s: no way to bind a %s", t->name, G_OBJECT_TYPE_NAME (control));
}

void
wslfp_proxy_panel_set_controller (WslfpProxyPanel *self, WslfpComputeController *controller)
{
  g_return_if_fail (self->state == NULL);
  self->controller = g_object_ref (controller);
  WslfpExplorerState *state = wslfp_compute_controller_get_state (controller);
  self->state = g_object_ref (state);
  guint p;
  g_object_get (state, "profile", &p, NULL);
  self->builtin_profile = p == WSLFP_EXPLORER_CUSTOM_PROFILE ? 1 : p;
  g_signal_connect_object (state, "notify::profile", G_CALLBACK (profile_cb), self, 0);
  g_signal_connect_object (controller, "notify::document", G_CALLBACK (document_cb), self, 0);
  g_object_bind_property_full (state, "custom-grid", self->grid_row, "subtitle", G_BINDING_SYNC_CREATE, path_to_name,
                               NULL, NULL, NULL);
  /* Each proxy setting's control: the template's widget whose id is the
   * setting's name (with _ for -), whatever its kind. */
  for (guint i = 0; i < wslfp_n_settings; i++)
    {
      const WslfpSetting *t = &wslfp_settings[i];
      g_autofree char *id = g_strdelimit (g_strdup (t->name), "-", '_');
      GObject *control = find_control (GTK_WIDGET (self), id);
      if (control == NULL)
        continue;
      bind_control (state, t, control);
      /* its row, shown with its proxy only */
      GtkWidget *row = ADW_IS_PREFERENCES_ROW (control) ? GTK_WIDGET (control)
                       : gtk_widget_get_ancestor (GTK_WIDGET (control), ADW_TYPE_PREFERENCES_ROW);
      if (t->proxy != NULL && row != NULL)
        g_ptr_array_add (self->proxy_rows[g_strcmp0 (t->proxy, "tklfp") == 0], row);
    }
  g_signal_connect_object (state, "notify::proxy", G_CALLBACK (show_proxy_rows), self, G_CONNECT_SWAPPED);
  show_proxy_rows (self);
  /* The kernel shapes currents built from spikes only; the length is the
   * user's only when not the dataset's; the grid row is the custom
   * profile's. */
  g_object_bind_property (state, "from-spikes", self->kernel_row, "sensitive", G_BINDING_SYNC_CREATE);
  g_object_bind_property (state, "length-from-dataset", self->length_row, "sensitive",
                          G_BINDING_SYNC_CREATE | G_BINDING_INVERT_BOOLEAN);
}

WslfpProfileView *
wslfp_proxy_panel_get_profile_preview (WslfpProxyPanel *self)
{
  return self->profile_preview;
}

static void
wslfp_proxy_panel_dispose (GObject *object)
{
  WslfpProxyPanel *self = WSLFP_PROXY_PANEL (object);
  gtk_widget_dispose_template (GTK_WIDGET (self), WSLFP_TYPE_PROXY_PANEL);
  g_clear_object (&self->state);
  g_clear_object (&self->controller);
  g_clear_pointer (&self->proxy_rows[0], g_ptr_array_unref);
  g_clear_pointer (&self->proxy_rows[1], g_ptr_array_unref);
  G_OBJECT_CLASS (wslfp_proxy_panel_parent_class)->dispose (object);
}

static void
wslfp_proxy_panel_class_init (WslfpProxyPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  object_class->dispose = wslfp_proxy_panel_dispose;
  signals[SOURCES_APPLIED] = g_signal_new ("sources-applied", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                           NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  g_type_ensure (WSLFP_TYPE_PROFILE_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/wslfp/Explorer/wslfp-proxy-panel.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, WslfpProxyPanel, name)
  /* (a setting's control has the setting's name as its id) */
#define BIND_AS(name, id) \
  gtk_widget_class_bind_template_child_full (widget_class, id, FALSE, G_STRUCT_OFFSET (WslfpProxyPanel, name))
  BIND_AS (profile_row, "profile");
  BIND (grid_row);
  BIND_AS (source_row, "from_spikes");
  BIND (sources_row);
  BIND (network_row);
  BIND_AS (kernel_row, "kernel");
  BIND (length_row);
  BIND (profile_preview);
#undef BIND
#undef BIND_AS
}

static void
wslfp_proxy_panel_init (WslfpProxyPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->proxy_rows[0] = g_ptr_array_new ();
  self->proxy_rows[1] = g_ptr_array_new ();
  g_autoptr (GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (profile_item_setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (profile_item_bind_cb), NULL);
  adw_combo_row_set_list_factory (self->profile_row, factory);
  g_signal_connect (self->sources_row, "apply", G_CALLBACK (sources_apply_cb), self);
}
