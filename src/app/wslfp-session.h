/* wslfp-session.h: everything a figure depends on, saved as a key file
 * (.wslfp-session) so that it can be opened again: the dataset, the proxy
 * settings, the probe and its placement, the view, and the settings of a
 * pinned result.  Plain GLib, no widgets; the window fills and applies it.
 * Also the `wslfp` command lines that make the same figure. */
#pragma once

#include <glib.h>
#include <wslfp.h>

#include "wslfp-probe-file.h"

G_BEGIN_DECLS

#define WSLFP_SESSION_SUFFIX ".wslfp-session"

/* The proxy settings, one line each: everything about a setting but its
 * control (the proxy panel's template, the widget whose id is its name)
 * and its line in the job conversion (wslfp_explorer_state_job_settings).
 * From this list come its field of WslfpSessionResult, its row of
 * wslfp_settings (below) and through that the Explorer state's property,
 * sessions, undo, GSettings (a key of the same name, where the schema has
 * one) and the copied `wslfp compute` command.  The columns:
 *   kind       BOOLEAN (a gboolean; stored as true/false, or as its names),
 *              NUMBER (a double), CHOICE (a char *, one of its names;
 *              the property is the index)
 *   field      in WslfpSessionResult
 *   name       the state's property (and GSettings key)
 *   key        in session files
 *   min, max   a number's range; default (a choice: the index)
 *   names      a choice's names, or a boolean's (FALSE's, TRUE's)
 *   option     the `wslfp compute` option: a number's or choice's with its
 *              value, a boolean's alone when TRUE (when FALSE for --no-…);
 *              NULL: none
 *   only_if    the option only while this boolean setting holds ("!name":
 *              while it does not); NULL: always
 *   proxy      the proxy it belongs to ("wslfp", "tklfp"; its option is
 *              given only with that proxy, and `wslfp compute` refuses the
 *              other's); NULL: the choice of proxy itself.  TKLFP's two σ
 *              are one option (--tklfp-sigma-ms EXC,INH), written by
 *              wslfp_session_command itself. */
#define WSLFP_PROXY_SETTINGS(X) \
  X (CHOICE,  proxy,               "proxy",               "proxy",                        0, 0,    0,                                wslfp_proxy_names,   NULL,                   NULL, NULL) \
  X (CHOICE,  profile,             "profile",             "profile",                      0, 0,    1,                                wslfp_profile_names, NULL,                   NULL, "wslfp") \
  X (BOOLEAN, population,          "population",          "population",                   0, 1,    FALSE,                            NULL,                "--population",         NULL, "wslfp") \
  X (BOOLEAN, normalize,           "normalize",           "normalize",                    0, 1,    TRUE,                             NULL,                "--no-normalize",       NULL, "wslfp") \
  X (BOOLEAN, from_spikes,         "from-spikes",         "source",                       0, 1,    FALSE,                            wslfp_source_names,  "--from-spikes",        NULL, "wslfp") \
  X (CHOICE,  kernel,              "kernel",              "kernel",                       0, 0,    1,                                wslfp_kernel_names,  "--kernel",             "from-spikes", "wslfp") \
  X (NUMBER,  alpha,               "alpha",               "alpha",                        0, 10,   WSLFP_DEFAULT_ALPHA,              NULL,                "--alpha",              NULL, "wslfp") \
  X (NUMBER,  tau_ampa_ms,         "tau-ampa-ms",         "tau-ampa-ms",                  0, 50,   WSLFP_DEFAULT_TAU_AMPA_MS,        NULL,                "--tau-ampa-ms",        NULL, "wslfp") \
  X (NUMBER,  tau_gaba_ms,         "tau-gaba-ms",         "tau-gaba-ms",                  0, 50,   WSLFP_DEFAULT_TAU_GABA_MS,        NULL,                "--tau-gaba-ms",        NULL, "wslfp") \
  X (BOOLEAN, length_from_dataset, "length-from-dataset", "dendrite-length-from-dataset", 0, 1,    TRUE,                             NULL,                NULL,                   NULL, "wslfp") \
  X (NUMBER,  dendrite_length_um,  "dendrite-length-um",  "dendrite-length-um",           1, 2000, WSLFP_DEFAULT_DENDRITE_LENGTH_UM, NULL,                "--dendrite-length-um", "!length-from-dataset", "wslfp") \
  X (NUMBER,  tklfp_sigma_exc_ms,  "tklfp-sigma-exc-ms",  "tklfp-sigma-exc-ms",           0.1, 20, 1.5 * 2.1,                        NULL,                NULL,                   NULL, "tklfp") \
  X (NUMBER,  tklfp_sigma_inh_ms,  "tklfp-sigma-inh-ms",  "tklfp-sigma-inh-ms",           0.1, 20, 2.1,                              NULL,                NULL,                   NULL, "tklfp") \
  X (NUMBER,  tklfp_lambda_mm,     "tklfp-lambda-mm",     "tklfp-lambda-mm",              0.01, 5, 0.2,                              NULL,                "--tklfp-lambda-mm",    NULL, "tklfp") \
  X (NUMBER,  tklfp_va_m_s,        "tklfp-velocity-m-s",  "tklfp-velocity-m-s",           0.01, 10, 0.2,                             NULL,                "--tklfp-velocity-m-s", NULL, "tklfp") \
  X (NUMBER,  tklfp_delay_ms,      "tklfp-delay-ms",      "tklfp-delay-ms",               0, 50,   10.4,                             NULL,                "--tklfp-delay-ms",     NULL, "tklfp")

/* The names of the choices above. */
extern const char *const wslfp_proxy_names[];   /* wslfp, tklfp */
extern const char *const wslfp_profile_names[]; /* mazzoni15, mazzoni15_single, aussel18, custom */
extern const char *const wslfp_kernel_names[];  /* peak, ode, unit */
extern const char *const wslfp_source_names[];  /* currents, spikes */

#define WSLFP_SETTING_TYPE_BOOLEAN gboolean
#define WSLFP_SETTING_TYPE_NUMBER  double
#define WSLFP_SETTING_TYPE_CHOICE  char *
#define WSLFP_SETTING_FIELD(kind, field, ...) WSLFP_SETTING_TYPE_##kind field;

/* The settings one result was computed with. */
typedef struct
{
  WSLFP_PROXY_SETTINGS (WSLFP_SETTING_FIELD)
  char *custom_grid;          /* with the custom profile: the grid CSV, absolute */
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

/* The proxy settings as a table, made from WSLFP_PROXY_SETTINGS: results
 * are initialised, copied, compared, saved and read through it, the state
 * makes its properties from it, the command its options. */
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
  const char *option;         /* of `wslfp compute`, or NULL */
  const char *only_if;        /* a boolean setting's name ("!name": not), or NULL */
  const char *proxy;          /* wslfp or tklfp, or NULL (the choice of proxy) */
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
/* What sets @result apart from @other: the settings of the one that
 * differ from the other's ("delays 25/0 ms"), defaults included; all of
 * @result's (as wslfp_session_result_describe) if none does.  A legend
 * that says what changed, short enough for a printed column. */
char          *wslfp_session_result_describe_against (const WslfpSessionResult *result,
                                                      const WslfpSessionResult *other);

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
