/* wslfp-trace-view.h: the multi-shank LFP traces, with zoom and pan in
 * time and a hover read-out.  Draws with the shared cairo code. */
#pragma once

#include <gtk/gtk.h>

#include "wslfp-lfp.h"
#include "wslfp-plot.h"

G_BEGIN_DECLS

#define WSLFP_TYPE_TRACE_VIEW (wslfp_trace_view_get_type ())
G_DECLARE_FINAL_TYPE (WslfpTraceView, wslfp_trace_view, WSLFP, TRACE_VIEW, GtkWidget)

GtkWidget  *wslfp_trace_view_new        (void);
/* Shows @lfp (borrowed: keep it alive while shown, or pass NULL first). */
void        wslfp_trace_view_set_lfp    (WslfpTraceView *self, const WslfpLfp *lfp);
/* Zooms the time axis by @factor (> 1 zooms in) around its centre. */
void        wslfp_trace_view_zoom       (WslfpTraceView *self, double factor);
/* Shows the whole recording at gain 1. */
void        wslfp_trace_view_reset_zoom (WslfpTraceView *self);
const char *wslfp_trace_view_get_hover_text (WslfpTraceView *self);
/* Lines, colour maps, or automatic (colour maps when lines would not read). */
void        wslfp_trace_view_set_mode   (WslfpTraceView *self, WslfpTraceMode mode);
/* What is drawn from the LFP: the LFP itself (as the mode says), its
 * current-source density per shank, or its power spectra over the shown
 * time range. */
typedef enum
{
  WSLFP_FIGURE_LFP,
  WSLFP_FIGURE_CSD,
  WSLFP_FIGURE_PSD,
} WslfpFigureKind;

void        wslfp_trace_view_set_kind   (WslfpTraceView *self, WslfpFigureKind kind);
WslfpFigureKind wslfp_trace_view_get_kind (WslfpTraceView *self);
/* Shows only [@t0, @t1] ms (clamped to the recording). */
void        wslfp_trace_view_set_range  (WslfpTraceView *self, double t0_ms, double t1_ms);
/* A pinned result (borrowed, NULL: none) drawn muted under the traces,
 * channel by channel, with a legend naming both results' settings. */
void        wslfp_trace_view_set_pinned (WslfpTraceView *self, const WslfpLfp *pinned, const char *pinned_label,
                                         const char *current_label);
/* Draws contact @e in bold (−1: none). */
/* A message drawn while there are no traces (why not: a failed
 * computation), or NULL. */
void        wslfp_trace_view_set_message (WslfpTraceView *self, const char *message);
const char *wslfp_trace_view_get_message (WslfpTraceView *self);
/* Marks the traces shown as a preview with @note (drawn over them on the
 * screen), or as exact (NULL). */
void        wslfp_trace_view_set_preview (WslfpTraceView *self, const char *note);
const char *wslfp_trace_view_get_preview (WslfpTraceView *self);
void        wslfp_trace_view_set_highlight (WslfpTraceView *self, gssize e);
/* Draws what is shown into any cairo context (exports). */
void        wslfp_trace_view_draw       (WslfpTraceView *self, cairo_t *cr, double width, double height);
/* The probe's names of its contacts (a probe file's contact_ids; NULL for
 * none): rows sharing a depth are labelled by them, when there are as many
 * as the result has contacts. */
void        wslfp_trace_view_set_contact_ids (WslfpTraceView *self, const char *const *ids);
/* The height its figure needs at @width (see wslfp_trace_layout_min_height). */
double      wslfp_trace_view_min_height (WslfpTraceView *self, double width);

G_END_DECLS
