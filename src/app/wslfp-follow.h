/* wslfp-follow.h: views that follow the compute controller.  Each call
 * makes a view show, from now on, what the controller and its state say
 * it shows: the trace views the result (and a pinned one under it) in the
 * state's figure and mode, the layout views the probe and the dataset's
 * cells, the profile views the chosen profile with the contacts marked, the
 * raster the dataset's spikes.  The views keep drawing only; the window
 * no longer feeds them.  While the controller is held, the views wait and
 * follow once at its release. */
#pragma once

#include "wslfp-compute-controller.h"
#include "wslfp-layout-view.h"
#include "wslfp-profile-view.h"
#include "wslfp-raster-view.h"
#include "wslfp-trace-view.h"

G_BEGIN_DECLS

void wslfp_follow_traces  (WslfpTraceView *view, WslfpComputeController *controller);
void wslfp_follow_layout  (WslfpLayoutView *view, WslfpComputeController *controller);
void wslfp_follow_profile (WslfpProfileView *view, WslfpComputeController *controller);
void wslfp_follow_raster  (WslfpRasterView *view, WslfpComputeController *controller);

G_END_DECLS
