/* wslfp-recent.c: the recent-files lists (see the header). */
#include "config.h"
#include "wslfp-recent.h"

#define WSLFP_RECENT_MAX 8

void
wslfp_recent_remember (GSettings *settings, const char *key, const char *path)
{
  g_auto (GStrv) old = g_settings_get_strv (settings, key);
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_strv_builder_add (builder, path);
  for (guint i = 0, n = 1; old[i] != NULL && n < WSLFP_RECENT_MAX; i++)
    if (g_strcmp0 (old[i], path) != 0)
      {
        g_strv_builder_add (builder, old[i]);
        n++;
      }
  g_auto (GStrv) recent = g_strv_builder_end (builder);
  g_settings_set_strv (settings, key, (const char *const *) recent);
}

GMenuModel *
wslfp_recent_menu (GSettings *settings, const char *key, const char *action)
{
  g_auto (GStrv) recent = g_settings_get_strv (settings, key);
  GMenu *menu = g_menu_new ();
  for (guint i = 0; recent[i] != NULL; i++)
    {
      g_autofree char *base = g_path_get_basename (recent[i]);
      /* Menu labels take _ as a mnemonic: double it to show it. */
      g_auto (GStrv) parts = g_strsplit (base, "_", -1);
      g_autofree char *label = g_strjoinv ("__", parts);
      g_autoptr (GMenuItem) item = g_menu_item_new (label, NULL);
      g_menu_item_set_action_and_target (item, action, "s", recent[i]);
      g_menu_append_item (menu, item);
    }
  return G_MENU_MODEL (menu);
}
