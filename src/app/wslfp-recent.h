/* wslfp-recent.h: the recent-files lists kept in the settings (a string
 * array key each: datasets, probes). */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Puts @path first in the list @key (at most 8, no repeats). */
void        wslfp_recent_remember (GSettings *settings, const char *key, const char *path);
/* A menu of the paths in the list @key, each activating @action with its
 * path; labels are the files' names. */
GMenuModel *wslfp_recent_menu     (GSettings *settings, const char *key, const char *action);

G_END_DECLS
