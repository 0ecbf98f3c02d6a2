/* wslfp-session.c: sessions as GKeyFiles, and the command lines that
 * reproduce a session's figure. */
#include "config.h"
#include "wslfp-session.h"
#include "wslfp-csv.h"

#include <wslfp.h>

#include "wslfp-h5.h"
#include "wslfp-lfp.h"
#include "wslfp-probe-file.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#define SESSION_ERROR (g_quark_from_static_string ("wslfp-session-error"))

const char *const wslfp_proxy_names[] = { "wslfp", "tklfp", NULL };
const char *const wslfp_profile_names[] = { "mazzoni15", "mazzoni15_single", "aussel18", "custom", NULL };
const char *const wslfp_kernel_names[] = { "peak", "ode", "unit", NULL };
const char *const wslfp_source_names[] = { "currents", "spikes", NULL };

#define ROW(kind, field, name, key, min, max, fallback, names, option, only_if, proxy) \
  { name, key, WSLFP_SETTING_##kind, G_STRUCT_OFFSET (WslfpSessionResult, field), min, max, fallback, names, option, \
    only_if, proxy },
const WslfpSetting wslfp_settings[] = { WSLFP_PROXY_SETTINGS (ROW) };
const guint wslfp_n_settings = G_N_ELEMENTS (wslfp_settings);
#undef ROW

#define BOOLEAN_OF(r, t) G_STRUCT_MEMBER (gboolean, r, (t)->offset)
#define NUMBER_OF(r, t)  G_STRUCT_MEMBER (double, r, (t)->offset)
#define CHOICE_OF(r, t)  G_STRUCT_MEMBER (char *, r, (t)->offset)
static const char *const pages[] = { "explore", "traces", "layout", "profile", "raster", NULL };
static const char *const trace_modes[] = { "auto", "lines", "image", NULL };
static const char *const figure_kinds[] = { "traces", "image", "csd", "psd", NULL };

void
wslfp_session_result_init (WslfpSessionResult *r)
{
  memset (r, 0, sizeof *r);
  for (const WslfpSetting *t = wslfp_settings; t < wslfp_settings + wslfp_n_settings; t++)
    switch (t->kind)
      {
      case WSLFP_SETTING_BOOLEAN: BOOLEAN_OF (r, t) = t->fallback != 0; break;
      case WSLFP_SETTING_NUMBER: NUMBER_OF (r, t) = t->fallback; break;
      case WSLFP_SETTING_CHOICE: CHOICE_OF (r, t) = g_strdup (t->names[(guint) t->fallback]); break;
      }
  r->probe_kind = g_strdup ("dataset");
  r->n_shanks = 3;
  r->n_contacts = 10;
  r->spacing_um = 250;
  r->pitch_um = 1000.0 / 9;
}

void
wslfp_session_result_clear (WslfpSessionResult *r)
{
  for (const WslfpSetting *t = wslfp_settings; t < wslfp_settings + wslfp_n_settings; t++)
    if (t->kind == WSLFP_SETTING_CHOICE)
      g_clear_pointer (&CHOICE_OF (r, t), g_free);
  g_clear_pointer (&r->custom_grid, g_free);
  g_clear_pointer (&r->probe_kind, g_free);
  g_clear_pointer (&r->probe_file, g_free);
}

void
wslfp_session_result_copy (WslfpSessionResult *to, const WslfpSessionResult *from)
{
  wslfp_session_result_clear (to);
  *to = *from;
  for (const WslfpSetting *t = wslfp_settings; t < wslfp_settings + wslfp_n_settings; t++)
    if (t->kind == WSLFP_SETTING_CHOICE)
      CHOICE_OF (to, t) = g_strdup (CHOICE_OF (from, t));
  to->custom_grid = g_strdup (from->custom_grid);
  to->probe_kind = g_strdup (from->probe_kind);
  to->probe_file = g_strdup (from->probe_file);
}

gboolean
wslfp_session_result_equal (const WslfpSessionResult *a, const WslfpSessionResult *b)
{
  for (const WslfpSetting *t = wslfp_settings; t < wslfp_settings + wslfp_n_settings; t++)
    {
      gboolean same = t->kind == WSLFP_SETTING_BOOLEAN  ? BOOLEAN_OF (a, t) == BOOLEAN_OF (b, t)
                      : t->kind == WSLFP_SETTING_NUMBER ? NUMBER_OF (a, t) == NUMBER_OF (b, t)
                                                        : g_strcmp0 (CHOICE_OF (a, t), CHOICE_OF (b, t)) == 0;
      if (!same)
        return FALSE;
    }
  return g_strcmp0 (a->custom_grid, b->custom_grid) == 0 && g_strcmp0 (a->probe_kind, b->probe_kind) == 0
         && g_strcmp0 (a->probe_file, b->probe_file) == 0 && a->n_shanks == b->n_shanks
         && a->spacing_um == b->spacing_um && a->n_contacts == b->n_contacts && a->pitch_um == b->pitch_um
         && a->placement_set == b->placement_set
         && memcmp (&a->placement, &b->placement, sizeof a->placement) == 0;
}

static GPtrArray *
add_probe_item (GPtrArray *items, const WslfpSessionResult *r)
{
  GString *probe = g_string_new (NULL);
  g_string_append_printf (probe, _("probe at %g, %g, %g µm"), round (r->placement.center_um[0]),
                          round (r->placement.center_um[1]), round (r->placement.center_um[2]));
  if (r->placement.azimuth_deg != 0 || r->placement.tilt_deg != 0 || r->placement.roll_deg != 0)
    g_string_append_printf (probe, " (%g°, %g°, %g°)", r->placement.azimuth_deg, r->placement.tilt_deg,
                            r->placement.roll_deg);
  g_ptr_array_add (items, g_string_free (probe, FALSE));
  return items;
}

/* The settings of @r as items ("α = 1.65", …); with @all, the defaults
 * too, so that two results' items can be compared one by one. */
static GPtrArray *
describe_items (const WslfpSessionResult *r, gboolean all)
{
  GPtrArray *items = g_ptr_array_new_with_free_func (g_free);
  if (g_strcmp0 (r->proxy, "tklfp") == 0)
    {
      /* (σ_exc by default is 1.5 · 2.1 ms, which %g shows as 3.15) */
      g_ptr_array_add (items, g_strdup ("TKLFP"));
      g_ptr_array_add (items, g_strdup_printf (_("σ %g/%g ms"), r->tklfp_sigma_exc_ms, r->tklfp_sigma_inh_ms));
      g_ptr_array_add (items, g_strdup_printf ("λ = %g mm", r->tklfp_lambda_mm));
      if (all || r->tklfp_va_m_s != 0.2 || r->tklfp_delay_ms != 10.4)
        g_ptr_array_add (items, g_strdup_printf (_("%g m/s, delay %g ms"), r->tklfp_va_m_s, r->tklfp_delay_ms));
      return add_probe_item (items, r);
    }
  if (all)
    g_ptr_array_add (items, g_strdup ("WSLFP"));
  if (g_strcmp0 (r->profile, "custom") == 0 && r->custom_grid != NULL)
    g_ptr_array_add (items, g_path_get_basename (r->custom_grid));
  else
    g_ptr_array_add (items, g_strdup (r->profile));
  if (r->population)
    g_ptr_array_add (items, g_strdup (_("population")));
  else if (all)
    g_ptr_array_add (items, g_strdup (_("per neuron")));
  if (r->from_spikes)
    g_ptr_array_add (items, g_strdup_printf (_("from spikes (%s)"), r->kernel));
  else if (all)
    g_ptr_array_add (items, g_strdup (_("from currents")));
  g_ptr_array_add (items, g_strdup_printf ("α = %g", r->alpha));
  if (all || r->tau_ampa_ms != WSLFP_DEFAULT_TAU_AMPA_MS || r->tau_gaba_ms != WSLFP_DEFAULT_TAU_GABA_MS)
    g_ptr_array_add (items, g_strdup_printf (_("delays %g/%g ms"), r->tau_ampa_ms, r->tau_gaba_ms));
  if (!r->length_from_dataset)
    g_ptr_array_add (items, g_strdup_printf (_("L = %g µm"), r->dendrite_length_um));
  else if (all)
    g_ptr_array_add (items, g_strdup (_("L from the dataset")));
  if (!r->normalize)
    g_ptr_array_add (items, g_strdup (_("not normalised")));
  else if (all)
    g_ptr_array_add (items, g_strdup (_("normalised")));
  return add_probe_item (items, r);
}

static char *
join_items (GPtrArray *items)
{
  g_ptr_array_add (items, NULL);
  char *text = g_strjoinv (", ", (char **) items->pdata);
  g_ptr_array_remove_index (items, items->len - 1);
  return text;
}

char *
wslfp_session_result_describe (const WslfpSessionResult *r)
{
  g_autoptr (GPtrArray) items = describe_items (r, FALSE);
  return join_items (items);
}

char *
wslfp_session_result_describe_against (const WslfpSessionResult *r, const WslfpSessionResult *other)
{
  g_autoptr (GPtrArray) mine = describe_items (r, TRUE), theirs = describe_items (other, TRUE);
  g_autoptr (GPtrArray) differ = g_ptr_array_new ();
  for (guint i = 0; i < mine->len; i++)
    {
      gboolean shared = FALSE;
      for (guint j = 0; j < theirs->len && !shared; j++)
        shared = g_strcmp0 (mine->pdata[i], theirs->pdata[j]) == 0;
      if (!shared)
        g_ptr_array_add (differ, mine->pdata[i]);
    }
  if (differ->len == 0)
    return wslfp_session_result_describe (r);
  return join_items (differ);
}

WslfpSession *
wslfp_session_new (void)
{
  WslfpSession *s = g_new0 (WslfpSession, 1);
  wslfp_session_result_init (&s->current);
  wslfp_session_result_init (&s->pin);
  s->page = g_strdup ("explore");
  s->trace_mode = g_strdup ("auto");
  s->figure_kind = g_strdup ("traces");
  s->terms_contact = -1;
  return s;
}

void
wslfp_session_free (WslfpSession *s)
{
  if (s == NULL)
    return;
  g_free (s->dataset);
  g_free (s->sources);
  wslfp_session_result_clear (&s->current);
  wslfp_session_result_clear (&s->pin);
  g_free (s->page);
  g_free (s->trace_mode);
  g_free (s->figure_kind);
  g_free (s);
}

/* ---- saving ---- */

/* Numbers as people read them: the shortest text that reads back equal. */
static void
set_numbers (GKeyFile *kf, const char *group, const char *key, const double *v, gsize n)
{
  g_autofree char *text = wslfp_format_numbers (v, n, ";");
  g_key_file_set_value (kf, group, key, text);
}

static void
save_result (GKeyFile *kf, const char *group, const WslfpSessionResult *r)
{
  for (const WslfpSetting *t = wslfp_settings; t < wslfp_settings + wslfp_n_settings; t++)
    {
      switch (t->kind)
        {
        case WSLFP_SETTING_BOOLEAN:
          if (t->names != NULL)
            g_key_file_set_string (kf, group, t->key, t->names[BOOLEAN_OF (r, t) ? 1 : 0]);
          else
            g_key_file_set_boolean (kf, group, t->key, BOOLEAN_OF (r, t));
          break;
        case WSLFP_SETTING_NUMBER: set_numbers (kf, group, t->key, &NUMBER_OF (r, t), 1); break;
        case WSLFP_SETTING_CHOICE: g_key_file_set_string (kf, group, t->key, CHOICE_OF (r, t)); break;
        }
      /* (the grid beside the profile, as before) */
      if (strcmp (t->name, "profile") == 0 && r->custom_grid != NULL)
        g_key_file_set_string (kf, group, "custom-grid", r->custom_grid);
    }
  g_key_file_set_string (kf, group, "probe", r->probe_kind);
  if (r->probe_file != NULL)
    g_key_file_set_string (kf, group, "probe-file", r->probe_file);
  if (g_strcmp0 (r->probe_kind, "shanks") == 0)
    {
      g_key_file_set_integer (kf, group, "n-shanks", r->n_shanks);
      set_numbers (kf, group, "spacing-um", &r->spacing_um, 1);
      g_key_file_set_integer (kf, group, "n-contacts", r->n_contacts);
      set_numbers (kf, group, "pitch-um", &r->pitch_um, 1);
    }
  double centre[3] = { r->placement.center_um[0], r->placement.center_um[1], r->placement.center_um[2] };
  if (r->placement_set)
    {
      set_numbers (kf, group, "probe-centre-um", centre, 3);
      double angles[3] = { r->placement.azimuth_deg, r->placement.tilt_deg, r->placement.roll_deg };
      set_numbers (kf, group, "probe-angles-deg", angles, 3);
    }
}

gboolean
wslfp_session_save (const WslfpSession *s, const char *path, GError **error)
{
  g_autoptr (GKeyFile) kf = g_key_file_new ();
  g_key_file_set_comment (kf, NULL, NULL, " WSLFP Explorer session (wslfp-explorer FILE opens it)", NULL);
  g_key_file_set_string (kf, "session", "program", "wslfp " PACKAGE_VERSION);
  if (s->dataset != NULL)
    g_key_file_set_string (kf, "session", "dataset", s->dataset);
  else
    g_key_file_set_string (kf, "session", "dataset", "demo");
  if (s->sources != NULL)
    g_key_file_set_string (kf, "session", "sources", s->sources);
  save_result (kf, "proxy", &s->current);
  g_key_file_set_string (kf, "view", "page", s->page);
  g_key_file_set_string (kf, "view", "trace-mode", s->trace_mode);
  g_key_file_set_string (kf, "view", "figure", s->figure_kind);
  double range[2] = { s->t_start_ms, s->t_end_ms };
  set_numbers (kf, "view", "time-ms", range, 2);
  g_key_file_set_boolean (kf, "view", "terms", s->show_terms);
  g_key_file_set_integer (kf, "view", "terms-contact", s->terms_contact);
  if (s->pinned)
    save_result (kf, "pinned", &s->pin);
  /* Never onto a device or a pipe; through a link to its target (as
   * every output: issue 20, item 8). */
  g_autofree char *text = g_key_file_to_data (kf, NULL, NULL);
  return wslfp_atomic_write_text (path, text, error);
}

/* ---- loading ---- */

typedef struct
{
  GKeyFile *kf;
  const char *path;
  char *folder;
  GError *error;
} Reader;

static void
fail (Reader *r, const char *group, const char *key, const char *why)
{
  if (r->error == NULL)
    g_set_error (&r->error, SESSION_ERROR, 0, _("%s: [%s] %s: %s"), r->path, group, key, why);
}

static char *
get_string (Reader *r, const char *group, const char *key, const char *fallback, const char *const *allowed)
{
  if (r->error != NULL || !g_key_file_has_key (r->kf, group, key, NULL))
    return g_strdup (fallback);
  char *v = g_key_file_get_string (r->kf, group, key, NULL);
  if (v == NULL)
    {
      fail (r, group, key, _("not a string"));
      return g_strdup (fallback);
    }
  if (allowed != NULL && !g_strv_contains (allowed, v))
    {
      g_autofree char *list = g_strjoinv (", ", (char **) allowed);
      g_autofree char *why = g_strdup_printf (_("“%s” is not one of %s"), v, list);
      fail (r, group, key, why);
    }
  return v;
}

/* A path, absolute as given or relative to the session's folder. */
static char *
get_path (Reader *r, const char *group, const char *key)
{
  g_autofree char *v = get_string (r, group, key, NULL, NULL);
  if (v == NULL || v[0] == '\0')
    return NULL;
  return g_canonicalize_filename (v, r->folder);
}

static double
get_double (Reader *r, const char *group, const char *key, double fallback, double lo, double hi)
{
  if (r->error != NULL || !g_key_file_has_key (r->kf, group, key, NULL))
    return fallback;
  g_autoptr (GError) e = NULL;
  double v = g_key_file_get_double (r->kf, group, key, &e);
  if (e != NULL || !isfinite (v) || v < lo || v > hi)
    {
      g_autofree char *why = g_strdup_printf (_("expected a number from %g to %g"), lo, hi);
      fail (r, group, key, why);
      return fallback;
    }
  return v;
}

static gboolean
get_boolean (Reader *r, const char *group, const char *key, gboolean fallback)
{
  if (r->error != NULL || !g_key_file_has_key (r->kf, group, key, NULL))
    return fallback;
  g_autoptr (GError) e = NULL;
  gboolean v = g_key_file_get_boolean (r->kf, group, key, &e);
  if (e != NULL)
    {
      fail (r, group, key, _("expected true or false"));
      return fallback;
    }
  return v;
}

static void
get_doubles (Reader *r, const char *group, const char *key, double *out, gsize n, double lo, double hi)
{
  if (r->error != NULL || !g_key_file_has_key (r->kf, group, key, NULL))
    return;
  gsize len = 0;
  g_autofree double *v = g_key_file_get_double_list (r->kf, group, key, &len, NULL);
  gboolean ok = v != NULL && len == n;
  for (gsize i = 0; ok && i < n; i++)
    ok = isfinite (v[i]) && v[i] >= lo && v[i] <= hi;
  if (!ok)
    {
      g_autofree char *why = g_strdup_printf (_("expected %zu numbers from %g to %g, separated by ;"), n, lo, hi);
      fail (r, group, key, why);
      return;
    }
  memcpy (out, v, n * sizeof (double));
}

static void
load_result (Reader *r, const char *group, WslfpSessionResult *res)
{
  /* The probe kinds: the parametric shanks, presets, a file, the dataset's. */
  g_autoptr (GPtrArray) kinds = g_ptr_array_new ();
  g_ptr_array_add (kinds, "shanks");
  for (const char *const *id = wslfp_probe_layout_preset_ids (); *id != NULL; id++)
    g_ptr_array_add (kinds, (gpointer) *id);
  g_ptr_array_add (kinds, "file");
  g_ptr_array_add (kinds, "dataset");
  g_ptr_array_add (kinds, NULL);

  for (const WslfpSetting *t = wslfp_settings; t < wslfp_settings + wslfp_n_settings; t++)
    switch (t->kind)
      {
      case WSLFP_SETTING_BOOLEAN:
        if (t->names != NULL)
          {
            g_autofree char *name = get_string (r, group, t->key, t->names[t->fallback != 0], t->names);
            BOOLEAN_OF (res, t) = g_strcmp0 (name, t->names[1]) == 0;
          }
        else
          BOOLEAN_OF (res, t) = get_boolean (r, group, t->key, t->fallback != 0);
        break;
      case WSLFP_SETTING_NUMBER:
        NUMBER_OF (res, t) = get_double (r, group, t->key, t->fallback, t->min, t->max);
        break;
      case WSLFP_SETTING_CHOICE:
        g_free (CHOICE_OF (res, t));
        CHOICE_OF (res, t) = get_string (r, group, t->key, t->names[(guint) t->fallback], t->names);
        break;
      }
  res->custom_grid = get_path (r, group, "custom-grid");
  if (g_strcmp0 (res->profile, "custom") == 0 && res->custom_grid == NULL)
    fail (r, group, "custom-grid", _("the custom profile needs its grid file"));
  g_free (res->probe_kind);
  res->probe_kind = get_string (r, group, "probe", "dataset", (const char *const *) kinds->pdata);
  res->probe_file = get_path (r, group, "probe-file");
  if (g_strcmp0 (res->probe_kind, "file") == 0 && res->probe_file == NULL)
    fail (r, group, "probe-file", _("a probe from a file needs the file"));
  res->n_shanks = (int) get_double (r, group, "n-shanks", 3, 1, 64);
  res->spacing_um = get_double (r, group, "spacing-um", 250, 1, 5000);
  res->n_contacts = (int) get_double (r, group, "n-contacts", 10, 1, 1024);
  res->pitch_um = get_double (r, group, "pitch-um", 1000.0 / 9, 1, 1000);
  res->placement_set = g_key_file_has_key (r->kf, group, "probe-centre-um", NULL)
                       || g_key_file_has_key (r->kf, group, "probe-angles-deg", NULL);
  get_doubles (r, group, "probe-centre-um", res->placement.center_um, 3, -WSLFP_PROBE_LIMIT_UM, WSLFP_PROBE_LIMIT_UM);
  double angles[3] = { 0, 0, 0 };
  get_doubles (r, group, "probe-angles-deg", angles, 3, -180, 180);
  if (fabs (angles[1]) > 90)
    fail (r, group, "probe-angles-deg", _("the tilt (the second angle) must be from −90 to 90"));
  res->placement.azimuth_deg = angles[0];
  res->placement.tilt_deg = angles[1];
  res->placement.roll_deg = angles[2];
}

WslfpSession *
wslfp_session_load (const char *path, GError **error)
{
  g_autoptr (GKeyFile) kf = g_key_file_new ();
  g_autoptr (GError) e = NULL;
  g_autofree char *text = NULL;
  gsize length = 0;
  /* (the mark skipped before its shorter length is passed on: the order
   * in which arguments are evaluated is not defined) */
  const char *start = NULL;
  gboolean ok = g_file_get_contents (path, &text, &length, &e);
  if (ok)
    {
      start = wslfp_skip_bom (text, &length);
      ok = g_key_file_load_from_data (kf, start, length, G_KEY_FILE_NONE, &e);
    }
  if (!ok)
    {
      g_set_error (error, SESSION_ERROR, 0, _("%s: not a session file: %s"), path, e->message);
      return NULL;
    }
  if (!g_key_file_has_group (kf, "session"))
    {
      g_set_error (error, SESSION_ERROR, 0, _("%s: not a session file (no [session] group)"), path);
      return NULL;
    }
  g_autofree char *abs = g_canonicalize_filename (path, NULL);
  Reader r = { kf, path, g_path_get_dirname (abs), NULL };
  g_autoptr (WslfpSession) s = wslfp_session_new ();
  g_autofree char *dataset = get_string (&r, "session", "dataset", "demo", NULL);
  if (g_strcmp0 (dataset, "demo") != 0)
    s->dataset = g_canonicalize_filename (dataset, r.folder);
  /* A session naming a session (itself, say) would open sessions for ever
   * (issue 20, item 3): its dataset must be a dataset. */
  if (s->dataset != NULL && g_str_has_suffix (s->dataset, WSLFP_SESSION_SUFFIX))
    {
      g_set_error (error, SESSION_ERROR, 0, _("%s: [session] dataset: %s is a session, not a dataset"), path,
                   s->dataset);
      g_free (r.folder);
      g_clear_error (&r.error);
      return NULL;
    }
  s->sources = get_string (&r, "session", "sources", NULL, NULL);
  load_result (&r, "proxy", &s->current);
  g_free (s->page);
  s->page = get_string (&r, "view", "page", "explore", pages);
  g_free (s->trace_mode);
  s->trace_mode = get_string (&r, "view", "trace-mode", "auto", trace_modes);
  g_free (s->figure_kind);
  s->figure_kind = get_string (&r, "view", "figure", "traces", figure_kinds);
  double range[2] = { 0, 0 };
  get_doubles (&r, "view", "time-ms", range, 2, -1e9, 1e9);
  s->t_start_ms = range[0];
  s->t_end_ms = range[1];
  s->show_terms = get_boolean (&r, "view", "terms", FALSE);
  s->terms_contact = (int) get_double (&r, "view", "terms-contact", -1, -1, G_MAXINT);
  if (range[1] < range[0])
    fail (&r, "view", "time-ms", _("the end comes before the start"));
  s->pinned = g_key_file_has_group (kf, "pinned");
  if (s->pinned)
    load_result (&r, "pinned", &s->pin);
  g_free (r.folder);
  if (r.error != NULL)
    {
      g_propagate_error (error, r.error);
      return NULL;
    }
  return g_steal_pointer (&s);
}

/* ---- the command ---- */

static void
append_word (GString *s, const char *word)
{
  g_autofree char *quoted = wslfp_shell_word (word);
  g_string_append_c (s, ' ');
  g_string_append (s, quoted);
}

static void
append_option (GString *s, const char *option, const char *format, ...) G_GNUC_PRINTF (3, 4);

static void
append_option (GString *s, const char *option, const char *format, ...)
{
  va_list args;
  va_start (args, format);
  g_autofree char *value = g_strdup_vprintf (format, args);
  va_end (args);
  append_word (s, option);
  append_word (s, value);
}

/* Whether the boolean setting @only_if ("!name": its negation) holds in
 * @r; NULL holds. */
static gboolean
setting_holds (const WslfpSessionResult *r, const char *only_if)
{
  if (only_if == NULL)
    return TRUE;
  gboolean negated = only_if[0] == '!';
  for (const WslfpSetting *t = wslfp_settings; t < wslfp_settings + wslfp_n_settings; t++)
    if (t->kind == WSLFP_SETTING_BOOLEAN && strcmp (t->name, only_if + negated) == 0)
      return BOOLEAN_OF (r, t) != negated;
  g_return_val_if_reached (FALSE);
}

char *
wslfp_session_command (const WslfpSession *s, const WslfpProbeLayout *layout, const char *lfp_path,
                       const char *figure_path)
{
  const WslfpSessionResult *r = &s->current;
  GString *c = g_string_new (NULL);
  const char *input = s->dataset;
  if (input == NULL)
    {
      /* The app's demo is the command's default demo. */
      g_string_append (c, "wslfp demo -o demo.h5 &&\n");
      input = "demo.h5";
    }
  g_string_append (c, "wslfp compute");
  append_word (c, input);
  if (s->sources != NULL)
    append_option (c, "--sources", "%s", s->sources);
  append_option (c, "-o", "%s", lfp_path);
  /* each proxy's own settings only (the command refuses the other's) */
  if (g_strcmp0 (r->proxy, "tklfp") == 0)
    {
      double sigma[2] = { r->tklfp_sigma_exc_ms, r->tklfp_sigma_inh_ms };
      g_autofree char *sigma_text = wslfp_format_numbers (sigma, 2, ",");
      append_option (c, "--proxy", "%s", r->proxy);
      append_option (c, "--tklfp-sigma-ms", "%s", sigma_text);
    }
  else
    append_option (c, "--profile", "%s", g_strcmp0 (r->profile, "custom") == 0 && r->custom_grid ? r->custom_grid
                                                                                                : r->profile);
  for (const WslfpSetting *t = wslfp_settings; t < wslfp_settings + wslfp_n_settings; t++)
    if (t->option != NULL && setting_holds (r, t->only_if) && g_strcmp0 (t->proxy, r->proxy) == 0)
      switch (t->kind)
        {
        case WSLFP_SETTING_BOOLEAN:
          if (BOOLEAN_OF (r, t) != g_str_has_prefix (t->option, "--no-"))
            append_word (c, t->option);
          break;
        case WSLFP_SETTING_NUMBER:
          {
            char number[WSLFP_NUMBER_LEN];
            append_option (c, t->option, "%s", wslfp_format_number (NUMBER_OF (r, t), number));
          }
          break;
        case WSLFP_SETTING_CHOICE: append_option (c, t->option, "%s", CHOICE_OF (r, t)); break;
        }

  /* The probe: a file, a preset, the parametric shanks or the dataset's
   * own contacts, placed about their centre as the command places it. */
  if (g_strcmp0 (r->probe_kind, "file") == 0)
    append_option (c, "--electrodes", "%s", r->probe_file);
  else if (g_strcmp0 (r->probe_kind, "shanks") == 0)
    {
      char spacing[WSLFP_NUMBER_LEN], pitch[WSLFP_NUMBER_LEN];
      append_option (c, "--electrodes", "shanks:%d,%s,%d,%s", r->n_shanks, wslfp_format_number (r->spacing_um, spacing),
                     r->n_contacts, wslfp_format_number (r->pitch_um, pitch));
    }
  else if (g_strcmp0 (r->probe_kind, "dataset") == 0)
    append_option (c, "--electrodes", "dataset");
  else
    append_option (c, "--electrodes", "preset:%s", r->probe_kind);
  double centre[3] = { 0, 0, 0 };
  if (layout != NULL)
    wslfp_probe_layout_center (layout, centre);
  double offset[3] = { r->placement.center_um[0] - centre[0], r->placement.center_um[1] - centre[1],
                       r->placement.center_um[2] - centre[2] };
  double angles[3] = { r->placement.azimuth_deg, r->placement.tilt_deg, r->placement.roll_deg };
  g_autofree char *offset_text = wslfp_format_numbers (offset, 3, ",");
  g_autofree char *angles_text = wslfp_format_numbers (angles, 3, ",");
  append_option (c, "--probe-offset-um", "%s", offset_text);
  append_option (c, "--probe-rotate-deg", "%s", angles_text);

  g_string_append (c, " &&\nwslfp plot");
  append_word (c, lfp_path);
  append_option (c, "-o", "%s", figure_path);
  append_option (c, "--kind", "%s", s->figure_kind);
  if (s->t_end_ms > s->t_start_ms)
    {
      double range[2] = { s->t_start_ms, s->t_end_ms };
      g_autofree char *range_text = wslfp_format_numbers (range, 2, ":");
      append_option (c, "--t-range", "%s", range_text);
    }
  g_string_append_c (c, '\n');
  return g_string_free (c, FALSE);
}
