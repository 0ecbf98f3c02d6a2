/* wslfp-explorer-state.c: the Explorer's state (see the header).  The
 * fields are kept in one session struct, so that a session, the job and
 * the undo history read the same values the widgets show. */
#include "config.h"
#include "wslfp-explorer-state.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>
#include <wslfp.h>


/* The engine's profile and kernel for the indices above. */
static const WslfpProfileKind profile_kinds[] = { WSLFP_PROFILE_MAZZONI15, WSLFP_PROFILE_MAZZONI15_SINGLE,
                                                  WSLFP_PROFILE_AUSSEL18 };
static const WslfpKernelScale kernel_scales[] = { WSLFP_KERNEL_PEAK, WSLFP_KERNEL_ODE, WSLFP_KERNEL_UNIT };

struct _WslfpExplorerState
{
  GObject parent_instance;
  WslfpProbe *probe;
  /* current.profile etc. as strings; current's probe fields are not used
   * (the probe object holds them) */
  WslfpSession *s;
  char *probe_file;
  WslfpProbeLayout *probe_file_layout; /* the last probe file read, or NULL */
};

G_DEFINE_FINAL_TYPE (WslfpExplorerState, wslfp_explorer_state, G_TYPE_OBJECT)

/* The proxy settings' properties come from their table (wslfp_settings,
 * wslfp-session.h), with the ids N_PROPS + row; these are the others. */
enum
{
  PROP_0,
  /* what is computed */
  PROP_CUSTOM_GRID,
  PROP_PROBE,
  PROP_PROBE_FILE,
  PROP_DATASET,
  PROP_SOURCES,
  /* what is shown */
  PROP_PAGE,
  PROP_FIGURE_KIND,
  PROP_TRACE_MODE,
  PROP_T_START_MS,
  PROP_T_END_MS,
  PROP_SHOW_TERMS,
  PROP_TERMS_CONTACT,
  N_PROPS
};
#define FIRST_SHOWN PROP_PAGE

static GParamSpec *properties[N_PROPS];
static GParamSpec **setting_properties; /* one per row of wslfp_settings */

/* The proxy setting behind @prop_id, or NULL. */
static const WslfpSetting *
setting_of (guint prop_id)
{
  return prop_id >= N_PROPS && prop_id < N_PROPS + wslfp_n_settings ? &wslfp_settings[prop_id - N_PROPS] : NULL;
}

static guint
index_of (const char *const *names, const char *name, guint fallback)
{
  for (guint i = 0; names[i] != NULL; i++)
    if (g_strcmp0 (names[i], name) == 0)
      return i;
  return fallback;
}

/* The field behind a property, by type. */
static gboolean *
bool_field (WslfpExplorerState *self, guint prop_id)
{
  const WslfpSetting *t = setting_of (prop_id);
  if (t != NULL && t->kind == WSLFP_SETTING_BOOLEAN)
    return &G_STRUCT_MEMBER (gboolean, &self->s->current, t->offset);
  switch (prop_id)
    {
    case PROP_SHOW_TERMS: return &self->s->show_terms;
    default: return NULL;
    }
}

static double *
double_field (WslfpExplorerState *self, guint prop_id)
{
  const WslfpSetting *t = setting_of (prop_id);
  if (t != NULL && t->kind == WSLFP_SETTING_NUMBER)
    return &G_STRUCT_MEMBER (double, &self->s->current, t->offset);
  switch (prop_id)
    {
    case PROP_T_START_MS: return &self->s->t_start_ms;
    case PROP_T_END_MS: return &self->s->t_end_ms;
    default: return NULL;
    }
}

static char **
string_field (WslfpExplorerState *self, guint prop_id)
{
  switch (prop_id)
    {
    case PROP_CUSTOM_GRID: return &self->s->current.custom_grid;
    case PROP_PROBE_FILE: return &self->probe_file;
    case PROP_DATASET: return &self->s->dataset;
    case PROP_SOURCES: return &self->s->sources;
    case PROP_PAGE: return &self->s->page;
    case PROP_FIGURE_KIND: return &self->s->figure_kind;
    case PROP_TRACE_MODE: return &self->s->trace_mode;
    default: return NULL;
    }
}

static void
wslfp_explorer_state_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  WslfpExplorerState *self = WSLFP_EXPLORER_STATE (object);
  gboolean *b;
  double *d;
  char **str;
  if ((b = bool_field (self, prop_id)) != NULL)
    g_value_set_boolean (value, *b);
  else if ((d = double_field (self, prop_id)) != NULL)
    g_value_set_double (value, *d);
  else if ((str = string_field (self, prop_id)) != NULL)
    g_value_set_string (value, *str);
  else if (setting_of (prop_id) != NULL) /* a choice */
    {
      const WslfpSetting *t = setting_of (prop_id);
      g_value_set_uint (value, index_of (t->names, G_STRUCT_MEMBER (char *, &self->s->current, t->offset),
                                         (guint) t->fallback));
    }
  else if (prop_id == PROP_TERMS_CONTACT)
    g_value_set_int (value, self->s->terms_contact);
  else if (prop_id == PROP_PROBE)
    g_value_set_object (value, self->probe);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
set_name (char **field, const char *value, GObject *object, GParamSpec *pspec)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (object, pspec);
}

static void
wslfp_explorer_state_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  WslfpExplorerState *self = WSLFP_EXPLORER_STATE (object);
  gboolean *b;
  double *d;
  char **str;
  /* (explicit notification: only on change, so that bindings and the undo
   * history see real changes alone) */
  if ((b = bool_field (self, prop_id)) != NULL)
    {
      gboolean v = g_value_get_boolean (value) != FALSE;
      if (*b != v)
        {
          *b = v;
          g_object_notify_by_pspec (object, pspec);
        }
    }
  else if ((d = double_field (self, prop_id)) != NULL)
    {
      double v = g_value_get_double (value);
      if (*d != v)
        {
          *d = v;
          g_object_notify_by_pspec (object, pspec);
        }
    }
  else if ((str = string_field (self, prop_id)) != NULL)
    set_name (str, g_value_get_string (value), object, pspec);
  else if (setting_of (prop_id) != NULL) /* a choice (the pspec keeps the index in range) */
    {
      const WslfpSetting *t = setting_of (prop_id);
      set_name (&G_STRUCT_MEMBER (char *, &self->s->current, t->offset), t->names[g_value_get_uint (value)], object,
                pspec);
    }
  else if (prop_id == PROP_TERMS_CONTACT)
    {
      int v = g_value_get_int (value);
      if (self->s->terms_contact != v)
        {
          self->s->terms_contact = v;
          g_object_notify_by_pspec (object, pspec);
        }
    }
  else if (prop_id == PROP_PROBE)
    self->probe = g_value_get_object (value) ? g_value_dup_object (value) : wslfp_probe_new ();
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
wslfp_explorer_state_finalize (GObject *object)
{
  WslfpExplorerState *self = WSLFP_EXPLORER_STATE (object);
  g_clear_object (&self->probe);
  wslfp_session_free (self->s);
  g_free (self->probe_file);
  wslfp_probe_layout_free (self->probe_file_layout);
  G_OBJECT_CLASS (wslfp_explorer_state_parent_class)->finalize (object);
}

static void
wslfp_explorer_state_class_init (WslfpExplorerStateClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  object_class->get_property = wslfp_explorer_state_get_property;
  object_class->set_property = wslfp_explorer_state_set_property;
  object_class->finalize = wslfp_explorer_state_finalize;
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  /* The proxy settings: the ranges and defaults of the side panel's
   * controls and of sessions, from their table. */
  setting_properties = g_new0 (GParamSpec *, wslfp_n_settings);
  for (guint i = 0; i < wslfp_n_settings; i++)
    {
      const WslfpSetting *t = &wslfp_settings[i];
      GParamSpec *p = NULL;
      switch (t->kind)
        {
        case WSLFP_SETTING_BOOLEAN: p = g_param_spec_boolean (t->name, NULL, NULL, t->fallback != 0, rw); break;
        case WSLFP_SETTING_NUMBER: p = g_param_spec_double (t->name, NULL, NULL, t->min, t->max, t->fallback, rw); break;
        case WSLFP_SETTING_CHOICE:
          p = g_param_spec_uint (t->name, NULL, NULL, 0, g_strv_length ((char **) t->names) - 1, (guint) t->fallback, rw);
          break;
        }
      setting_properties[i] = p;
      g_object_class_install_property (object_class, N_PROPS + i, p);
    }
  properties[PROP_CUSTOM_GRID] = g_param_spec_string ("custom-grid", NULL, NULL, NULL, rw);
  properties[PROP_PROBE] = g_param_spec_object ("probe", NULL, NULL, WSLFP_TYPE_PROBE,
                                                G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROBE_FILE] = g_param_spec_string ("probe-file", NULL, NULL, NULL, rw);
  properties[PROP_DATASET] = g_param_spec_string ("dataset", NULL, NULL, NULL, rw);
  properties[PROP_SOURCES] = g_param_spec_string ("sources", NULL, NULL, NULL, rw);
  properties[PROP_PAGE] = g_param_spec_string ("page", NULL, NULL, "explore", rw);
  /* (the trace views' kind: lfp, csd or psd; sessions say traces or image
   * for lfp, after the trace mode) */
  properties[PROP_FIGURE_KIND] = g_param_spec_string ("figure-kind", NULL, NULL, "lfp", rw);
  properties[PROP_TRACE_MODE] = g_param_spec_string ("trace-mode", NULL, NULL, "auto", rw);
  properties[PROP_T_START_MS] = g_param_spec_double ("t-start-ms", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0, rw);
  properties[PROP_T_END_MS] = g_param_spec_double ("t-end-ms", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0, rw);
  properties[PROP_SHOW_TERMS] = g_param_spec_boolean ("show-terms", NULL, NULL, FALSE, rw);
  properties[PROP_TERMS_CONTACT] = g_param_spec_int ("terms-contact", NULL, NULL, -1, G_MAXINT, -1, rw);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
wslfp_explorer_state_init (WslfpExplorerState *self)
{
  self->s = wslfp_session_new ();
  g_free (self->s->figure_kind);
  self->s->figure_kind = g_strdup ("lfp");
}

WslfpExplorerState *
wslfp_explorer_state_new (WslfpProbe *probe)
{
  return g_object_new (WSLFP_TYPE_EXPLORER_STATE, "probe", probe, NULL);
}

WslfpProbe *
wslfp_explorer_state_get_probe (WslfpExplorerState *self)
{
  return self->probe;
}

gboolean
wslfp_explorer_state_is_computed (GParamSpec *pspec)
{
  if (pspec->owner_type == WSLFP_TYPE_PROBE)
    return TRUE;
  for (guint i = 0; i < wslfp_n_settings; i++)
    if (setting_properties[i] == pspec)
      return TRUE;
  for (guint i = 1; i < FIRST_SHOWN; i++)
    if (properties[i] == pspec)
      return i != PROP_DATASET && i != PROP_SOURCES; /* (a new dataset is opened, not recomputed) */
  return FALSE;
}

void
wslfp_explorer_state_get_result (WslfpExplorerState *self, WslfpSessionResult *r)
{
  wslfp_session_result_copy (r, &self->s->current);
  /* (a grid is part of the result only while it is the profile) */
  if (g_strcmp0 (r->profile, "custom") != 0)
    g_clear_pointer (&r->custom_grid, g_free);
  g_free (r->probe_kind);
  r->probe_kind = g_strdup (wslfp_probe_get_kind (self->probe));
  g_clear_pointer (&r->probe_file, g_free);
  if (g_strcmp0 (r->probe_kind, "file") == 0)
    r->probe_file = g_strdup (self->probe_file);
  g_object_get (self->probe, "n-shanks", &r->n_shanks, "spacing-um", &r->spacing_um, "n-contacts", &r->n_contacts,
                "pitch-um", &r->pitch_um, NULL);
  wslfp_probe_get_placement (self->probe, &r->placement);
  r->placement_set = TRUE;
}

void
wslfp_explorer_state_set_result (WslfpExplorerState *self, const WslfpSessionResult *r)
{
  GObject *o = G_OBJECT (self);
  g_object_freeze_notify (o);
  for (const WslfpSetting *t = wslfp_settings; t < wslfp_settings + wslfp_n_settings; t++)
    switch (t->kind)
      {
      case WSLFP_SETTING_BOOLEAN: g_object_set (o, t->name, G_STRUCT_MEMBER (gboolean, r, t->offset), NULL); break;
      case WSLFP_SETTING_NUMBER: g_object_set (o, t->name, G_STRUCT_MEMBER (double, r, t->offset), NULL); break;
      case WSLFP_SETTING_CHOICE:
        g_object_set (o, t->name, index_of (t->names, G_STRUCT_MEMBER (char *, r, t->offset), (guint) t->fallback),
                      NULL);
        break;
      }
  g_object_set (o, "custom-grid", r->custom_grid, NULL);
  if (g_strcmp0 (r->probe_kind, "file") == 0)
    g_object_set (o, "probe-file", r->probe_file, NULL);
  g_object_thaw_notify (o);
  GObject *p = G_OBJECT (self->probe);
  g_object_freeze_notify (p);
  if (g_strcmp0 (r->probe_kind, "shanks") == 0)
    {
      /* (only when it is another kind: a new kind reframes the views) */
      if (g_strcmp0 (wslfp_probe_get_kind (self->probe), "shanks") != 0)
        wslfp_probe_set_preset (self->probe, "shanks");
      g_object_set (p, "n-shanks", r->n_shanks, "spacing-um", r->spacing_um, "n-contacts", r->n_contacts,
                    "pitch-um", r->pitch_um, NULL);
    }
  if (r->placement_set)
    g_object_set (p, "x-um", r->placement.center_um[0], "y-um", r->placement.center_um[1], "z-um",
                  r->placement.center_um[2], "rotation-deg", r->placement.azimuth_deg, "tilt-deg",
                  r->placement.tilt_deg, "roll-deg", r->placement.roll_deg, NULL);
  g_object_thaw_notify (p);
}

WslfpSession *
wslfp_explorer_state_to_session (WslfpExplorerState *self)
{
  WslfpSession *s = wslfp_session_new ();
  s->dataset = g_strdup (self->s->dataset);
  s->sources = g_strdup (self->s->sources);
  wslfp_explorer_state_get_result (self, &s->current);
  g_free (s->page);
  s->page = g_strdup (self->s->page);
  g_free (s->trace_mode);
  s->trace_mode = g_strdup (self->s->trace_mode);
  g_free (s->figure_kind);
  const char *kind = self->s->figure_kind;
  s->figure_kind = g_strdup (g_strcmp0 (kind, "lfp") != 0                    ? kind
                             : g_strcmp0 (self->s->trace_mode, "image") == 0 ? "image"
                                                                             : "traces");
  s->t_start_ms = self->s->t_start_ms;
  s->t_end_ms = self->s->t_end_ms;
  s->show_terms = self->s->show_terms;
  s->terms_contact = self->s->terms_contact;
  return s;
}

void
wslfp_explorer_state_apply_view (WslfpExplorerState *self, const WslfpSession *s)
{
  gboolean lfp = g_strcmp0 (s->figure_kind, "csd") != 0 && g_strcmp0 (s->figure_kind, "psd") != 0;
  g_object_freeze_notify (G_OBJECT (self));
  g_object_set (self, "page", s->page, "trace-mode", g_strcmp0 (s->figure_kind, "image") == 0 ? "image" : s->trace_mode,
                "figure-kind", lfp ? "lfp" : s->figure_kind, "show-terms", s->show_terms, "terms-contact",
                s->terms_contact, NULL);
  g_object_thaw_notify (G_OBJECT (self));
}

void
wslfp_explorer_state_apply_session (WslfpExplorerState *self, const WslfpSession *s)
{
  g_object_freeze_notify (G_OBJECT (self));
  g_object_set (self, "dataset", s->dataset, "sources", s->sources, "t-start-ms", s->t_start_ms, "t-end-ms",
                s->t_end_ms, NULL);
  wslfp_explorer_state_apply_view (self, s);
  wslfp_explorer_state_set_result (self, &s->current);
  g_object_thaw_notify (G_OBJECT (self));
}

void
wslfp_explorer_state_job_settings (WslfpExplorerState *self, const WslfpProfile *custom, WslfpJobSettings *s,
                                   double **xyz, int **shank)
{
  const WslfpSessionResult *r = &self->s->current;
  wslfp_job_settings_init (s);
  guint p = index_of (wslfp_profile_names, r->profile, 1);
  if (p == WSLFP_EXPLORER_CUSTOM_PROFILE && custom != NULL)
    s->custom_profile = custom; /* the compute task copies it */
  else
    s->profile = profile_kinds[p == WSLFP_EXPLORER_CUSTOM_PROFILE ? 1 : p];
  s->population = r->population;
  s->options.alpha = r->alpha;
  s->options.tau_ampa_ms = r->tau_ampa_ms;
  s->options.tau_gaba_ms = r->tau_gaba_ms;
  s->options.normalize = r->normalize;
  s->dendrite_length_um = r->length_from_dataset ? 0 : r->dendrite_length_um;
  s->from_spikes = r->from_spikes;
  s->kernel_set = TRUE;
  s->kernel = kernel_scales[index_of (wslfp_kernel_names, r->kernel, 1)];
  s->proxy = g_strcmp0 (r->proxy, "tklfp") == 0 ? WSLFP_PROXY_TKLFP : WSLFP_PROXY_WSLFP;
  /* (TKLFP sums every cell's spikes: the WSLFP settings are kept, unused) */
  if (s->proxy == WSLFP_PROXY_TKLFP)
    s->population = FALSE;
  s->tklfp.sigma_exc_ms = r->tklfp_sigma_exc_ms;
  s->tklfp.sigma_inh_ms = r->tklfp_sigma_inh_ms;
  s->tklfp.lambda_mm = r->tklfp_lambda_mm;
  s->tklfp.va_m_s = r->tklfp_va_m_s;
  s->tklfp.delay_ms = r->tklfp_delay_ms;
  s->n_electrodes = wslfp_probe_get_contacts (self->probe, xyz, shank);
  s->electrodes_um = *xyz;
  s->shank = *shank;
}

/* ---- probes from files and datasets ---- */

/* A network without a probe of its own (SONATA): a linear probe through
 * the sources' centroid along their mean apical axis (cortical depth), as
 * one would insert it. */
static void
place_probe_in_network (WslfpExplorerState *self, const WslfpDataset *ds)
{
  double c[3] = { 0, 0, 0 }, u[3] = { 0, 0, 0 };
  for (gsize s = 0; s < ds->n_sources; s++)
    for (int k = 0; k < 3; k++)
      {
        c[k] += ds->sources_um[3 * s + k] / (double) ds->n_sources;
        u[k] += ds->orientation != NULL ? ds->orientation[3 * (ds->n_orientations > 1 ? s : 0) + k] : (k == 2);
      }
  double norm = sqrt (u[0] * u[0] + u[1] * u[1] + u[2] * u[2]);
  if (!(norm > 0))
    u[0] = u[1] = 0, u[2] = norm = 1;
  for (int k = 0; k < 3; k++)
    u[k] /= norm * (u[2] < 0 ? -1 : 1);
  /* R = Rz(az)·Rx(tilt) turns +z to (sin az sin t, −cos az sin t, cos t). */
  double tilt = acos (CLAMP (u[2], -1.0, 1.0)) * 180 / G_PI;
  double az = tilt > 1e-9 ? atan2 (u[0], -u[1]) * 180 / G_PI : 0.0;
  wslfp_probe_set_preset (self->probe, "linear-32");
  g_object_set (self->probe, "x-um", c[0], "y-um", c[1], "z-um", c[2], "rotation-deg", az, "tilt-deg", tilt,
                "roll-deg", 0.0, NULL);
}

void
wslfp_explorer_state_use_dataset_probe (WslfpExplorerState *self, const WslfpDataset *ds)
{
  if (ds->n_electrodes == 0)
    {
      place_probe_in_network (self, ds);
      return;
    }
  /* A regular grid stays editable as shanks; anything else is taken as it
   * is, placed where the file puts it. */
  if (wslfp_probe_fit (self->probe, ds->electrodes_um, ds->shank, ds->n_electrodes))
    return;
  WslfpProbeLayout *l = wslfp_probe_layout_new (_("The dataset’s probe"), ds->electrodes_um, ds->shank, ds->n_electrodes);
  wslfp_probe_set_layout (self->probe, "dataset", l, TRUE);
}

gboolean
wslfp_explorer_state_adopt_dataset_probe (WslfpExplorerState *self, const WslfpDataset *ds)
{
  if (g_strcmp0 (wslfp_probe_get_kind (self->probe), "file") != 0 || ds->n_sources == 0)
    {
      wslfp_explorer_state_use_dataset_probe (self, ds);
      return FALSE;
    }
  /* The user's probe file stays where they put it, unless it would sit
   * outside the new cells (their box, with a margin of a tenth of its
   * size): then it moves to their centroid. */
  double lo[3], hi[3], c[3] = { 0, 0, 0 };
  for (int k = 0; k < 3; k++)
    lo[k] = G_MAXDOUBLE, hi[k] = -G_MAXDOUBLE;
  for (gsize s = 0; s < ds->n_sources; s++)
    for (int k = 0; k < 3; k++)
      {
        double v = ds->sources_um[3 * s + k];
        lo[k] = MIN (lo[k], v);
        hi[k] = MAX (hi[k], v);
        c[k] += v / (double) ds->n_sources;
      }
  const double at[3] = { wslfp_probe_get_x_um (self->probe), wslfp_probe_get_y_um (self->probe),
                         wslfp_probe_get_z_um (self->probe) };
  gboolean inside = TRUE;
  for (int k = 0; k < 3; k++)
    {
      double margin = MAX (0.1 * (hi[k] - lo[k]), 50.0);
      inside = inside && at[k] >= lo[k] - margin && at[k] <= hi[k] + margin;
    }
  if (inside)
    return FALSE;
  g_object_set (self->probe, "x-um", c[0], "y-um", c[1], "z-um", c[2], NULL);
  return TRUE;
}

gboolean
wslfp_explorer_state_load_probe_file (WslfpExplorerState *self, const char *path, GError **error)
{
  WslfpProbeLayout *layout = wslfp_probe_layout_read (path, error);
  if (layout == NULL)
    return FALSE;
  wslfp_probe_layout_free (self->probe_file_layout);
  self->probe_file_layout = layout;
  g_autofree char *canonical = g_canonicalize_filename (path, NULL);
  g_object_set (self, "probe-file", canonical, NULL);
  /* Placed where the current probe is: the user moves it from there. */
  wslfp_probe_set_layout (self->probe, "file", wslfp_probe_layout_copy (layout), FALSE);
  return TRUE;
}

gboolean
wslfp_explorer_state_use_probe_file (WslfpExplorerState *self)
{
  if (self->probe_file_layout == NULL)
    return FALSE;
  wslfp_probe_set_layout (self->probe, "file", wslfp_probe_layout_copy (self->probe_file_layout), FALSE);
  return TRUE;
}

const char *
wslfp_explorer_state_get_probe_file_name (WslfpExplorerState *self)
{
  return self->probe_file_layout != NULL ? self->probe_file_layout->name : NULL;
}

void
wslfp_explorer_state_adapt_to_dataset (WslfpExplorerState *self, const WslfpDataset *ds)
{
  /* A file with spikes but no currents can only be computed from spikes. */
  gboolean currents = wslfp_dataset_check_currents (ds, NULL), spikes = wslfp_dataset_check_spikes (ds, NULL);
  if (!currents && spikes)
    g_object_set (self, "from-spikes", TRUE, NULL);
  else if (currents && !spikes)
    g_object_set (self, "from-spikes", FALSE, NULL);
  /* While the lengths are the dataset's, the length shown is theirs (their
   * mean when they differ), so that switching to a length of one's own
   * starts from there instead of from 0. */
  if (!self->s->current.length_from_dataset)
    return;
  g_object_set (self, "dendrite-length-um", CLAMP (round (wslfp_explorer_state_dataset_length (ds)), 1.0, 2000.0),
                NULL);
}

double
wslfp_explorer_state_dataset_length (const WslfpDataset *ds)
{
  if (ds->dendrite_length_um == NULL || ds->n_lengths == 0)
    return WSLFP_DEFAULT_DENDRITE_LENGTH_UM;
  double sum = 0;
  for (gsize s = 0; s < ds->n_lengths; s++)
    sum += ds->dendrite_length_um[s];
  return sum / ds->n_lengths;
}
