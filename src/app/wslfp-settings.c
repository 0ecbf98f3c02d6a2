/* wslfp-settings.c: finding the settings schema. */
#include "config.h"

#include "wslfp-settings.h"

#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>

static GSettingsSchema *
find_schema (gboolean *installed)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  GSettingsSchema *schema = source ? g_settings_schema_source_lookup (source, APP_ID, TRUE) : NULL;
  *installed = schema != NULL;
  if (schema != NULL)
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
