/* wslfp-window-actions.h: the window's actions and their shortcuts (in
 * their own file, as GNOME Text Editor keeps its window's; they use only
 * the window's public API). */
#pragma once

#include "wslfp-window.h"

G_BEGIN_DECLS

void wslfp_window_class_install_actions (GtkWidgetClass *widget_class);
/* Keeps win.undo and win.redo enabled as the history allows, and takes
 * Ctrl+Z from the focused field's own text undo. */
void wslfp_window_watch_history (WslfpWindow *self);

/* Where the manual is: help:APP_ID where a help browser (Yelp) is there,
 * else its HTML pages (installed, or the build's); NULL, with why, if
 * neither is. */
char *wslfp_window_help_uri (GError **error);

G_END_DECLS
