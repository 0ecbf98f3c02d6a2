/* wslfp-settings.c: finding the settings schema; what it remembers of
 * the model. */
#include "config.h"

#include "wslfp-settings.h"

#include "wslfp-recent.h"
#include "wslfp-session.h"

#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>

gboolean
wslfp_run_from_build (void)
{
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  return self != NULL && g_str_has_prefix (self, BUILD_ROOT "/");
}

static GSettingsSchema *
find_schema (gboolean *installed)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  GSettingsSchema *schema = source ? g_settings_schema_source_lookup (source, APP_ID, TRUE) : NULL;
  *installed = schema != NULL;
  if (schema != NULL || !wslfp_run_from_build ())
    return schema;
  /* Uninstalled: the schema meson compiles into the build folder. */
  g_autoptr (GSettingsSchemaSource) build = g_settings_schema_source_new_from_directory (SCHEMA_BUILD_DIR, source,
                                                                                          FALSE, NULL);
  return build ? g_settings_schema_source_lookup (build, APP_ID, FALSE) : NULL;
}

GSettings *
wslfp_settings_new (void)
{
  static gsize said;
  gboolean installed;
  g_autoptr (GSettingsSchema) schema = find_schema (&installed);
  if (schema == NULL)
    return NULL;
  if (installed)
    return g_settings_new (APP_ID);
  if (g_once_init_enter (&said))
    {
      g_printerr ("wslfp-explorer: the settings schema %s is not installed; using the build's, and settings last "
                  "only this run\n", APP_ID);
      g_once_init_leave (&said, 1);
    }
  g_autoptr (GSettingsBackend) memory = g_memory_settings_backend_new ();
  return g_settings_new_full (schema, memory, NULL);
}

gboolean
wslfp_settings_usable (void)
{
  gboolean installed;
  g_autoptr (GSettingsSchema) schema = find_schema (&installed);
  if (schema == NULL)
    g_printerr ("wslfp-explorer: the settings schema %s is not installed (meson install, or set "
                "GSETTINGS_SCHEMA_DIR to a folder with it compiled)\n", APP_ID);
  return schema != NULL;
}

/* The grid and the probe file the state uses, remembered for next time
 * (whoever chose them: a dialog, a session, undoing). */
static void
files_used_cb (GObject *state, GParamSpec *pspec, GSettings *settings)
{
  g_autofree char *path = NULL;
  g_object_get (state, pspec->name, &path, NULL);
  if (path == NULL)
    return;
  if (g_str_equal (pspec->name, "custom-grid"))
    g_settings_set_string (settings, "custom-profile-file", path);
  else
    wslfp_recent_remember (settings, "recent-probes", path);
}

gboolean
wslfp_settings_bind_model (GSettings *settings, WslfpComputeController *controller, GError **error)
{
  WslfpExplorerState *state = wslfp_compute_controller_get_state (controller);
  g_autoptr (GSettingsSchema) schema = NULL;
  g_object_get (settings, "settings-schema", &schema, NULL);
  for (guint i = 0; i < wslfp_n_settings; i++)
    if (g_settings_schema_has_key (schema, wslfp_settings[i].key))
      g_settings_bind (settings, wslfp_settings[i].key, state, wslfp_settings[i].name, G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "memory-budget-mb", controller, "memory-budget-mb", G_SETTINGS_BIND_GET);
  /* A custom profile chosen last time comes back with its grid. */
  gboolean ok = TRUE;
  guint profile;
  g_object_get (state, "profile", &profile, NULL);
  g_autofree char *grid = g_settings_get_string (settings, "custom-profile-file");
  if (profile == WSLFP_EXPLORER_CUSTOM_PROFILE)
    {
      ok = grid[0] != '\0' && wslfp_compute_controller_load_grid (controller, grid, error);
      g_object_set (state, "profile", ok ? WSLFP_EXPLORER_CUSTOM_PROFILE : 1 /* mazzoni15_single, the default */, NULL);
    }
  g_signal_connect_object (state, "notify::custom-grid", G_CALLBACK (files_used_cb), settings, 0);
  g_signal_connect_object (state, "notify::probe-file", G_CALLBACK (files_used_cb), settings, 0);
  return ok;
}
