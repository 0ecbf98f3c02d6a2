/* wslfp-fail-alloc.h: makes one allocation fail, for tests linked with
 * -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc (only the objects linked
 * into the test call the wrappers; shared libraries such as GLib do not). */
#pragma once

#include <glib.h>

/* The @n-th allocation from now fails (1: the next); 0 disarms. */
void     wslfp_fail_alloc_arm    (gint n);
/* Whether the armed allocation has failed since the last arming. */
gboolean wslfp_fail_alloc_failed (void);
