/* wslfp-application.h: WSLFP Explorer, the application. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define WSLFP_TYPE_APPLICATION (wslfp_application_get_type ())
G_DECLARE_FINAL_TYPE (WslfpApplication, wslfp_application, WSLFP, APPLICATION, AdwApplication)

WslfpApplication *wslfp_application_new (void);

G_END_DECLS
