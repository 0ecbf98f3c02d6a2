/* main.c: WSLFP Explorer's entry point. */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "wslfp-application.h"
#include "wslfp-blas-core.h"
#include "wslfp-settings.h"

int
main (int argc, char **argv)
{
  wslfp_blas_use_fast_core (argv);
  setlocale (LC_ALL, "");
  /* WSLFP_LOCALEDIR overrides where the translations are; a program run
   * from its build folder finds the build's own. */
  const char *localedir = g_getenv ("WSLFP_LOCALEDIR");
  if (localedir == NULL && wslfp_run_from_build ())
    localedir = BUILD_LOCALEDIR;
  bindtextdomain (GETTEXT_PACKAGE, localedir ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* Every view is drawn with cairo; GSK's cairo renderer shows those
   * surfaces directly, while its GL renderer uploads them as textures each
   * frame, which on software GL (VMs, remote X, Xvfb) tripled the time from
   * a settings change to new traces (~220 vs ~70 ms) and cut the 3-D view
   * to 12 frames/s.  GSK_RENDERER still overrides this. */
  g_setenv ("GSK_RENDERER", "cairo", FALSE);

  if (!wslfp_settings_usable ())
    return 1;
  g_autoptr (WslfpApplication) app = wslfp_application_new ();
  int status = g_application_run (G_APPLICATION (app), argc, argv);
  return status != 0 ? status : wslfp_application_get_exit_status (app);
}
