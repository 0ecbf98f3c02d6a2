/* wslfp-spin-guard.c: see the header. */
#include "config.h"
#include "wslfp-spin-guard.h"

#include "wslfp-window.h"

#include <glib/gi18n.h>

static int
spin_input_cb (GtkSpinButton *spin, double *new_value, gpointer data)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (spin));
  g_autofree char *dotted = g_strdup (text);
  g_strdelimit (dotted, ",", '.');
  char *end;
  double v = g_ascii_strtod (dotted, &end);
  while (*end == ' ')
    end++;
  if (end == dotted || *end != '\0')
    return FALSE; /* not a plain number: GTK's own parsing */
  double lo, hi;
  gtk_spin_button_get_range (spin, &lo, &hi);
  if (v >= lo && v <= hi)
    return FALSE;
  const char *what = g_object_get_data (G_OBJECT (spin), "wslfp-what");
  /* Translators: a typed value outside a field's range: value, field, range. */
  g_autofree char *msg = g_strdup_printf (_("%s: %g is outside %g … %g; the value stays %g"), what ? what : "", v, lo,
                                          hi, gtk_spin_button_get_value (spin));
  /* Through the window's toast: a refusal takes the place of the toast
   * shown, and the next message does not wait 6 s behind it. */
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (spin));
  if (WSLFP_IS_WINDOW (root))
    wslfp_window_toast (WSLFP_WINDOW (root), msg);
  *new_value = gtk_spin_button_get_value (spin);
  return TRUE;
}

void
wslfp_spin_guard (GtkSpinButton *spin, const char *what)
{
  g_object_set_data_full (G_OBJECT (spin), "wslfp-what", g_strdup (what), g_free);
  g_signal_connect (spin, "input", G_CALLBACK (spin_input_cb), NULL);
}
