/* wslfp-history.h: undo and redo over what an Explorer state computes
 * (its proxy settings and its probe: kind, layout, placement).  Every
 * change is a step: the notifications of one main-loop iteration (one
 * typed value, one menu choice, a probe file opened) make one step, and
 * so does everything between wslfp_history_begin_group() and _end_group()
 * (a probe drag, from press to release).  Undoing sets the state back,
 * so that whatever follows the state (widgets, the computation) follows.
 * What is only shown (page, zoom) is not undone.
 *
 * Properties: can-undo, can-redo (gboolean, read-only). */
#pragma once

#include "wslfp-explorer-state.h"

G_BEGIN_DECLS

#define WSLFP_TYPE_HISTORY (wslfp_history_get_type ())
G_DECLARE_FINAL_TYPE (WslfpHistory, wslfp_history, WSLFP, HISTORY, GObject)

/* Watches @state (a weak reference: the history does not keep it). */
WslfpHistory *wslfp_history_new (WslfpExplorerState *state);

gboolean wslfp_history_can_undo (WslfpHistory *self);
gboolean wslfp_history_can_redo (WslfpHistory *self);
/* FALSE when there is nothing to undo (redo). */
gboolean wslfp_history_undo     (WslfpHistory *self);
gboolean wslfp_history_redo     (WslfpHistory *self);

/* Changes until the matching end are one step (nesting counts). */
void     wslfp_history_begin_group (WslfpHistory *self);
void     wslfp_history_end_group   (WslfpHistory *self);
/* Forgets every step (a new dataset: its settings start afresh). */
void     wslfp_history_clear       (WslfpHistory *self);

G_END_DECLS
