/* wslfp-settings.h: the app's GSettings, also when its schema is not
 * installed (a build run from its folder). */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The settings: the installed schema; else the build folder's compiled
 * schema with settings kept in memory for this run (said once on stderr);
 * NULL if there is no schema at all. */
GSettings *wslfp_settings_new    (void);
/* FALSE, with a message on stderr, if there is no schema at all. */
gboolean   wslfp_settings_usable (void);

G_END_DECLS
