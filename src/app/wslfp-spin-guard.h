/* wslfp-spin-guard.h: spin buttons that refuse a typed value outside their
 * range with a message (the window's toast), instead of
 * clamping it silently. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* @what names the field in the message ("GABA weight α"). */
void wslfp_spin_guard (GtkSpinButton *spin, const char *what);

G_END_DECLS
