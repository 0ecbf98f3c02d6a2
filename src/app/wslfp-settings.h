/* wslfp-settings.h: the app's GSettings, also when its schema is not
 * installed (a build run from its folder). */
#pragma once

#include <gio/gio.h>

#include "wslfp-compute-controller.h"

G_BEGIN_DECLS

/* Whether this program is its build folder's own, not an installed copy:
 * it then finds the build's translations and settings schema. */
gboolean   wslfp_run_from_build  (void);

/* The settings: the installed schema; else, run from the build folder,
 * its compiled schema with settings kept in memory for this run (said
 * once on stderr); NULL if there is no schema at all (an installed copy
 * never reads a build folder's, which may be stale or gone). */
GSettings *wslfp_settings_new    (void);
/* FALSE, with a message on stderr, if there is no schema at all. */
gboolean   wslfp_settings_usable (void);

/* What the settings remember of the model, bound: every proxy setting of
 * the state with a key of the same name, the memory budget, the custom
 * grid (read again now when it is the profile; if it cannot be, the
 * default profile, and FALSE with the reason) and the probe files used
 * (the "recent-probes" list). */
gboolean   wslfp_settings_bind_model (GSettings *settings, WslfpComputeController *controller, GError **error);

G_END_DECLS
