/* wslfp-session.h: everything a figure depends on, saved as a key file
 * (.wslfp-session) so that it can be opened again: the dataset, the proxy
 * settings, the probe and its placement, the view, and the settings of a
 * pinned result.  Plain GLib, no widgets; the window fills and applies it.
 * Also the `wslfp` command lines that make the same figure. */
#pragma once

#include <glib.h>

#include "wslfp-probe-file.h"

G_BEGIN_DECLS

#define WSLFP_SESSION_SUFFIX ".wslfp-session"

/* The settings one result was computed with. */
typedef struct
{
  char *profile;              /* mazzoni15, mazzoni15_single, aussel18 or custom */
  char *custom_grid;          /* with custom: the grid CSV, absolute */
  gboolean population;
  gboolean normalize;
  gboolean from_spikes;
  char *kernel;               /* peak, ode or unit (from spikes) */
  double alpha, tau_ampa_ms, tau_gaba_ms;
  gboolean length_from_dataset;
  double dendrite_length_um;  /* when not from the dataset */
  /* The probe: "shanks" (the parametric one), a preset id, "file" or
   * "dataset", placed by its contacts' centre and three angles. */
  char *probe_kind;
  char *probe_file;           /* with file: absolute */
  int n_shanks, n_contacts;   /* with shanks */
  double spacing_um, pitch_um;
  WslfpPlacement placement;
  gboolean placement_set;     /* FALSE: the probe stays where its kind puts it */
} WslfpSessionResult;

typedef struct
{
  char *dataset;              /* absolute path; NULL: the built-in demo */
  char *sources;              /* a SONATA network's --sources rule, or NULL */
  WslfpSessionResult current;
  char *page;                 /* explore, traces, layout, profile, raster */
  char *trace_mode;           /* auto, lines, image */
  char *figure_kind;          /* traces, image, csd, psd */
  double t_start_ms, t_end_ms;  /* the time shown; equal: all of it */
  gboolean show_terms;        /* one contact's sum and terms shown */
  int terms_contact;          /* which (−1: the largest swing) */
  gboolean pinned;
  WslfpSessionResult pin;     /* when pinned */
} WslfpSession;

/* The proxy settings, one row each: a field of WslfpSessionResult, a
 * property of the Explorer's state (WslfpExplorerState, with this range
 * and default), a session key, and a GSettings key of the same name when
 * the schema has one.  Results are initialised, copied, compared, saved
 * and read through this table, so that a new setting is its field, its row
 * here, its control in the proxy panel's template (whose id is the
 * property's name) and its line in the job conversion
 * (wslfp_explorer_state_job_settings); plus the copied command and the
 * legend below, where it should show. */
typedef enum
{
  WSLFP_SETTING_BOOLEAN,   /* a gboolean field (stored as true/false, or as names[0]/names[1]) */
  WSLFP_SETTING_NUMBER,    /* a double field */
  WSLFP_SETTING_CHOICE,    /* a char * field holding one of names; the property is its index */
} WslfpSettingKind;

typedef struct
{
  const char *name;           /* the state's property (and GSettings key) */
  const char *key;            /* in session files */
  WslfpSettingKind kind;
  gsize offset;               /* of the field in WslfpSessionResult */
  double min, max, fallback;  /* numbers: range and default; booleans: 0 or 1; choices: index */
  const char *const *names;   /* choices; booleans stored as names */
} WslfpSetting;

extern const WslfpSetting wslfp_settings[];
extern const guint wslfp_n_settings;

void           wslfp_session_result_init  (WslfpSessionResult *result);
void           wslfp_session_result_clear (WslfpSessionResult *result);
void           wslfp_session_result_copy  (WslfpSessionResult *to, const WslfpSessionResult *from);
/* Every setting, the grid, the probe and its placement equal. */
gboolean       wslfp_session_result_equal (const WslfpSessionResult *a, const WslfpSessionResult *b);
/* The settings in a few words, for a legend ("aussel18, α = 1.65, NP 1.0 …"). */
char          *wslfp_session_result_describe (const WslfpSessionResult *result);

WslfpSession  *wslfp_session_new  (void);
void           wslfp_session_free (WslfpSession *session);
/* Written atomically.  Paths are stored absolute. */
gboolean       wslfp_session_save (const WslfpSession *session, const char *path, GError **error);
/* Reads and checks a session: an unknown name or a value out of range is
 * an error naming the file, group and key.  Relative paths in it are taken
 * from the session file's folder. */
WslfpSession  *wslfp_session_load (const char *path, GError **error);

/* The shell lines that compute the same LFP into @lfp_path and draw it to
 * @figure_path: `wslfp compute … && wslfp plot …`.  NULL when the session
 * has no dataset file (the demo is made by `wslfp demo` first, which the
 * text then includes). */
char          *wslfp_session_command (const WslfpSession *session, const WslfpProbeLayout *probe_layout,
                                      const char *lfp_path, const char *figure_path);

G_END_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WslfpSession, wslfp_session_free)
