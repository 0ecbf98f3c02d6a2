/* wslfp-explorer-state.h: the Explorer's state as one model.  What is
 * computed (the proxy settings and the probe with its placement), what is
 * shown (page, figure, time zoom, Terms contact) and which dataset, as
 * properties that widgets and GSettings bind to.  Everything that needs
 * "the settings" derives them from here through one function each: the
 * job (wslfp_explorer_state_job_settings), sessions and the copied
 * command (wslfp_explorer_state_to_session), undo (wslfp-history.h).
 * Plain GObject, no widgets: tested without a display.
 *
 * Properties (all read-write, notifying only on change):
 *   the proxy settings one each, as WSLFP_PROXY_SETTINGS (wslfp-session.h)
 *                      lists them: profile (guint: 0 mazzoni15, 1
 *                      mazzoni15_single, 2 aussel18, 3 custom), population,
 *                      normalize, from-spikes, kernel (guint: 0 peak, 1 ode,
 *                      2 unit), alpha, tau-ampa-ms, tau-gaba-ms,
 *                      length-from-dataset, dendrite-length-um, …
 *   custom-grid        string: the custom profile's grid file, or NULL
 *   probe              WslfpProbe (construct-only; its own properties are the
 *                      probe's kind, layout and placement)
 *   probe-file         string: where a probe of kind "file" came from
 *   dataset, sources   string: the open dataset (NULL: the demo) and a
 *                      SONATA network's --sources rule
 *   page, trace-mode   string (as in sessions)
 *   figure-kind        string: lfp, csd or psd (a session's traces or image
 *                      is lfp, drawn in the trace mode)
 *   t-start-ms, t-end-ms            double: the time shown (equal: all)
 *   show-terms         gboolean; terms-contact int (−1: the largest swing) */
#pragma once

#include <glib-object.h>

#include "wslfp-dataset.h"
#include "wslfp-lfp.h"
#include "wslfp-probe.h"
#include "wslfp-session.h"

G_BEGIN_DECLS

#define WSLFP_TYPE_EXPLORER_STATE (wslfp_explorer_state_get_type ())
G_DECLARE_FINAL_TYPE (WslfpExplorerState, wslfp_explorer_state, WSLFP, EXPLORER_STATE, GObject)

/* The index of "custom" among the profiles (wslfp_profile_names). */
#define WSLFP_EXPLORER_CUSTOM_PROFILE 3

/* A new state with the defaults (those of a new session) and @probe
 * (a new reference; NULL: a new probe). */
WslfpExplorerState *wslfp_explorer_state_new (WslfpProbe *probe);
WslfpProbe         *wslfp_explorer_state_get_probe (WslfpExplorerState *self);

/* What is computed, as a session stores it (cleared and filled). */
void wslfp_explorer_state_get_result (WslfpExplorerState *self, WslfpSessionResult *result);
/* Applies @result's proxy settings and probe placement (and parametric
 * layout, for kind "shanks"), notifying once per changed property.  The
 * probe's other kinds need their layout, which the caller sets. */
void wslfp_explorer_state_set_result (WslfpExplorerState *self, const WslfpSessionResult *result);

/* The whole state as a session (without a pinned result), and back (the
 * dataset and sources are the caller's to open; the view and the result
 * are applied). */
WslfpSession *wslfp_explorer_state_to_session    (WslfpExplorerState *self);
void          wslfp_explorer_state_apply_session (WslfpExplorerState *self, const WslfpSession *session);
/* Only what @session shows: page, figure, trace mode, the Terms view (not
 * the time range, which needs the recording). */
void          wslfp_explorer_state_apply_view    (WslfpExplorerState *self, const WslfpSession *session);

/* The computation the state describes: @settings for wslfp_job_run() on
 * the placed probe's contacts (*@xyz and *@shank, owned by the caller).
 * @custom is the loaded grid when the profile is custom (borrowed; NULL
 * falls back to mazzoni15_single). */
void wslfp_explorer_state_job_settings (WslfpExplorerState *self, const WslfpProfile *custom,
                                        WslfpJobSettings *settings, double **xyz, int **shank);

/* The probe @ds brings: its contacts (a regular grid as editable shanks,
 * anything else as it is, placed where the file puts it), or for a network
 * without one a linear probe through its sources' centroid along their
 * mean apical axis. */
void        wslfp_explorer_state_use_dataset_probe   (WslfpExplorerState *self, const WslfpDataset *ds);
/* The probe for a dataset being opened: a probe file the user placed is
 * kept (TRUE when it had to move to the centroid of the new cells, being
 * outside them); any other probe gives way to the dataset's
 * (wslfp_explorer_state_use_dataset_probe). */
gboolean    wslfp_explorer_state_adopt_dataset_probe (WslfpExplorerState *self, const WslfpDataset *ds);
/* What @ds allows: computed from spikes when it has no currents, from
 * currents when it has no spikes; while the lengths are the dataset's, the
 * length shown is their mean (rounded). */
void        wslfp_explorer_state_adapt_to_dataset    (WslfpExplorerState *self, const WslfpDataset *ds);
/* The dendrite length that stands for @ds's own: their mean (the default
 * where it gives none). */
double      wslfp_explorer_state_dataset_length      (const WslfpDataset *ds);
/* Reads a probe file (probeinterface JSON, CSV, BMTK electrodes), keeps
 * it, and makes it the probe (kind "file"), placed where the probe is; on
 * error nothing changes. */
gboolean    wslfp_explorer_state_load_probe_file     (WslfpExplorerState *self, const char *path, GError **error);
/* The last probe file read as the probe again; FALSE when none was read. */
gboolean    wslfp_explorer_state_use_probe_file      (WslfpExplorerState *self);
/* The name of the last probe file's probe, or NULL. */
const char *wslfp_explorer_state_get_probe_file_name (WslfpExplorerState *self);

/* Whether @pspec (a notification of the state or of its probe) changes
 * what is computed, rather than only what is shown. */
gboolean wslfp_explorer_state_is_computed (GParamSpec *pspec);

G_END_DECLS
