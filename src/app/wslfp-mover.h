/* wslfp-mover.h: a worker thread that recomputes the LFP for a moving
 * probe from kept combined currents.  The window posts the latest probe
 * (a request replaces any not yet started: the latest position wins); the
 * worker computes back to back while requests come, a preview (every
 * stride-th time step) when asked, and the exact traces for the same
 * probe as soon as no newer request waits (abandoned, between chunks, if
 * one comes).  Results reach the main thread through idles. */
#pragma once

#include "wslfp-document.h"

G_BEGIN_DECLS

typedef struct _WslfpMover WslfpMover;

/* Called on the main thread with a result (@lfp owned by the callee) or an
 * error, the stride it was computed at (1: exact), how long it took, and
 * the serial of its request. */
typedef void (*WslfpMoverResult) (WslfpLfp *lfp, gsize stride, double ms, guint serial, const GError *error,
                                  gpointer user_data);

/* Called on the main thread as an exact product goes (@fraction done). */
typedef void (*WslfpMoverProgress) (double fraction, guint serial, gpointer user_data);

WslfpMover *wslfp_mover_new     (WslfpMoverResult callback, WslfpMoverProgress progress, gpointer user_data);
/* Stops the worker (waiting for the product it is in) and drops every
 * result not yet delivered: @callback is not called after this. */
void        wslfp_mover_free    (WslfpMover *mover);
/* Asks for the LFP of the electrodes in @settings (copied) with the kept
 * @combined of @document at @stride (1: exact only); a preview (stride > 1)
 * computes every @contact_stride-th contact of each shank in depth order
 * and gives the others their kept neighbour's values. */
void        wslfp_mover_request (WslfpMover *mover, WslfpDocument *document, WslfpSharedCombined *combined,
                                 const WslfpJobSettings *settings, gsize stride, gsize contact_stride,
                                 guint serial);
/* A request waits, is computed, or its result is on its way. */
gboolean    wslfp_mover_is_busy (WslfpMover *mover);

G_END_DECLS
