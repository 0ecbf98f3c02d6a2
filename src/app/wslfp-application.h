/* wslfp-application.h: WSLFP Explorer, the application. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define WSLFP_TYPE_APPLICATION (wslfp_application_get_type ())
G_DECLARE_FINAL_TYPE (WslfpApplication, wslfp_application, WSLFP, APPLICATION, AdwApplication)

WslfpApplication *wslfp_application_new (void);
/* Prints @message and quits with exit status 1 (the screenshot mode
 * cannot make its picture). */
void              wslfp_application_fail (WslfpApplication *self, const char *message);
int               wslfp_application_get_exit_status (WslfpApplication *self);

G_END_DECLS
