/* wslfp-session-keeper.h: sessions over a compute controller: what is shown
 * as a session (to save, or as the `wslfp` command lines that make the same
 * figure), and restoring one: its dataset is opened, then (while the
 * controller adopts it) the pinned result's settings or the session's own
 * are applied; a pinned result is computed, pinned, and the session's own
 * settings follow.  Plain GObject (no widgets).
 *
 * Signals (on the main thread):
 *   failed (const char *message)    restoring stopped: a file the session
 *                                   names could not be read
 *   restored (double t_start_ms, double t_end_ms)
 *                                   the session's result is shown; its zoom
 *                                   (t_end_ms > t_start_ms) is for the views */
#pragma once

#include "wslfp-compute-controller.h"
#include "wslfp-session.h"

G_BEGIN_DECLS

#define WSLFP_TYPE_SESSION_KEEPER (wslfp_session_keeper_get_type ())
G_DECLARE_FINAL_TYPE (WslfpSessionKeeper, wslfp_session_keeper, WSLFP, SESSION_KEEPER, GObject)

WslfpSessionKeeper *wslfp_session_keeper_new (WslfpComputeController *controller);

/* Everything the figure shown depends on. */
WslfpSession *wslfp_session_keeper_capture (WslfpSessionKeeper *self);
/* Writes the session atomically; refuses to write over a file read from. */
gboolean      wslfp_session_keeper_save    (WslfpSessionKeeper *self, const char *path, GError **error);
/* The `wslfp compute … && wslfp plot …` lines that make the figure shown. */
char         *wslfp_session_keeper_command (WslfpSessionKeeper *self);

/* Reads the session at @path and opens its dataset (or the demo); FALSE,
 * and nothing changes, if it is not a valid session. */
gboolean      wslfp_session_keeper_restore       (WslfpSessionKeeper *self, const char *path, GError **error);
/* A session is being restored (its dataset, pinned result and result). */
gboolean      wslfp_session_keeper_is_restoring  (WslfpSessionKeeper *self);

G_END_DECLS
