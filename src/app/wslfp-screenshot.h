/* wslfp-screenshot.h: the screenshot mode (`wslfp-explorer --screenshot
 * FILE.png`), for documentation and for checking what the app draws. */
#pragma once

#include "wslfp-application.h"
#include "wslfp-window.h"

G_BEGIN_DECLS

/* Once @window shows its first complete figure (a dataset's computed
 * result, a restored session's last, an LFP file's traces), saves the
 * window as its next frame paints it to @path and quits @app; a failed
 * load or run ends @app with its message instead. */
void wslfp_screenshot_when_shown (WslfpWindow *window, WslfpApplication *app, const char *path);

G_END_DECLS
