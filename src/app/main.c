/* main.c: WSLFP Explorer's entry point. */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "wslfp-application.h"

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  /* An uninstalled build points at its own translations. */
  const char *localedir = g_getenv ("WSLFP_LOCALEDIR");
  bindtextdomain (GETTEXT_PACKAGE, localedir ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_autoptr (WslfpApplication) app = wslfp_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
