/* wslfp-probe.c: the placed probe. */
#include "config.h"

#include "wslfp-probe.h"

#include <math.h>

struct _WslfpProbe
{
  GObject parent_instance;

  double x_um, y_um, z_um;   /* centre of the contacts */
  double rotation_deg;       /* azimuth, about z; 0: shanks along x */
  double tilt_deg;           /* from vertical */
  double roll_deg;           /* about the probe's axis */
  int n_shanks;              /* the parametric probe */
  double spacing_um;
  int n_contacts;
  double pitch_um;
  char *kind;
  WslfpProbeLayout *layout;  /* what is placed */
};

G_DEFINE_FINAL_TYPE (WslfpProbe, wslfp_probe, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_X_UM,
  PROP_Y_UM,
  PROP_Z_UM,
  PROP_ROTATION_DEG,
  PROP_TILT_DEG,
  PROP_ROLL_DEG,
  PROP_N_SHANKS,
  PROP_SPACING_UM,
  PROP_N_CONTACTS,
  PROP_PITCH_UM,
  PROP_KIND,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static double *
double_field (WslfpProbe *self, guint prop_id)
{
  switch (prop_id)
    {
    case PROP_X_UM: return &self->x_um;
    case PROP_Y_UM: return &self->y_um;
    case PROP_Z_UM: return &self->z_um;
    case PROP_ROTATION_DEG: return &self->rotation_deg;
    case PROP_TILT_DEG: return &self->tilt_deg;
    case PROP_ROLL_DEG: return &self->roll_deg;
    case PROP_SPACING_UM: return &self->spacing_um;
    case PROP_PITCH_UM: return &self->pitch_um;
    default: return NULL;
    }
}

static gboolean
is_shape_property (guint prop_id)
{
  return prop_id == PROP_N_SHANKS || prop_id == PROP_SPACING_UM || prop_id == PROP_N_CONTACTS
         || prop_id == PROP_PITCH_UM;
}

static void
rebuild_shanks (WslfpProbe *self)
{
  wslfp_probe_layout_free (self->layout);
  self->layout = wslfp_probe_layout_new_shanks (self->n_shanks, self->spacing_um, self->n_contacts, self->pitch_um);
}

static void
set_kind (WslfpProbe *self, const char *kind)
{
  if (g_strcmp0 (self->kind, kind) == 0)
    return;
  g_free (self->kind);
  self->kind = g_strdup (kind);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KIND]);
}

static void
wslfp_probe_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  WslfpProbe *self = WSLFP_PROBE (object);
  double *d = double_field (self, prop_id);
  if (d != NULL)
    g_value_set_double (value, *d);
  else if (prop_id == PROP_N_SHANKS)
    g_value_set_int (value, self->n_shanks);
  else if (prop_id == PROP_N_CONTACTS)
    g_value_set_int (value, self->n_contacts);
  else if (prop_id == PROP_KIND)
    g_value_set_string (value, self->kind);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
wslfp_probe_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  WslfpProbe *self = WSLFP_PROBE (object);
  double *d = double_field (self, prop_id);
  gboolean changed = FALSE;
  if (d != NULL)
    {
      if (*d != g_value_get_double (value))
        {
          *d = g_value_get_double (value);
          changed = TRUE;
        }
    }
  else if (prop_id == PROP_N_SHANKS || prop_id == PROP_N_CONTACTS)
    {
      int *field = prop_id == PROP_N_SHANKS ? &self->n_shanks : &self->n_contacts;
      if (*field != g_value_get_int (value))
        {
          *field = g_value_get_int (value);
          changed = TRUE;
        }
    }
  else
    {
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }
  if (!changed)
    return;
  /* Editing the shanks' numbers makes the probe the parametric one. */
  if (is_shape_property (prop_id))
    {
      rebuild_shanks (self);
      set_kind (self, "shanks");
    }
  g_object_notify_by_pspec (object, pspec);
}

static void
wslfp_probe_finalize (GObject *object)
{
  WslfpProbe *self = WSLFP_PROBE (object);
  g_free (self->kind);
  wslfp_probe_layout_free (self->layout);
  G_OBJECT_CLASS (wslfp_probe_parent_class)->finalize (object);
}

static void
wslfp_probe_class_init (WslfpProbeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  const double lim = WSLFP_PROBE_LIMIT_UM;

  object_class->get_property = wslfp_probe_get_property;
  object_class->set_property = wslfp_probe_set_property;
  object_class->finalize = wslfp_probe_finalize;
  properties[PROP_X_UM] = g_param_spec_double ("x-um", NULL, NULL, -lim, lim, 250, flags);
  properties[PROP_Y_UM] = g_param_spec_double ("y-um", NULL, NULL, -lim, lim, 0, flags);
  properties[PROP_Z_UM] = g_param_spec_double ("z-um", NULL, NULL, -lim, lim, 100, flags);
  properties[PROP_ROTATION_DEG] = g_param_spec_double ("rotation-deg", NULL, NULL, -180, 180, 0, flags);
  properties[PROP_TILT_DEG] = g_param_spec_double ("tilt-deg", NULL, NULL, -90, 90, 0, flags);
  properties[PROP_ROLL_DEG] = g_param_spec_double ("roll-deg", NULL, NULL, -180, 180, 0, flags);
  properties[PROP_N_SHANKS] = g_param_spec_int ("n-shanks", NULL, NULL, 1, 64, 3, flags);
  properties[PROP_SPACING_UM] = g_param_spec_double ("spacing-um", NULL, NULL, 1, 5000, 250, flags);
  properties[PROP_N_CONTACTS] = g_param_spec_int ("n-contacts", NULL, NULL, 1, 1024, 10, flags);
  properties[PROP_PITCH_UM] = g_param_spec_double ("pitch-um", NULL, NULL, 1, 1000, 1000.0 / 9, flags);
  properties[PROP_KIND] = g_param_spec_string ("kind", NULL, NULL, "shanks",
                                               G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
wslfp_probe_init (WslfpProbe *self)
{
  self->x_um = 250;
  self->z_um = 100;
  self->n_shanks = 3;
  self->spacing_um = 250;
  self->n_contacts = 10;
  self->pitch_um = 1000.0 / 9;
  self->kind = g_strdup ("shanks");
  rebuild_shanks (self);
}

WslfpProbe *
wslfp_probe_new (void)
{
  return g_object_new (WSLFP_TYPE_PROBE, NULL);
}

void
wslfp_probe_reset (WslfpProbe *self)
{
  g_object_freeze_notify (G_OBJECT (self));
  g_object_set (self, "x-um", 250.0, "y-um", 0.0, "z-um", 100.0, "rotation-deg", 0.0, "tilt-deg", 0.0, "roll-deg", 0.0,
                "n-shanks", 3, "spacing-um", 250.0, "n-contacts", 10, "pitch-um", 1000.0 / 9, NULL);
  if (g_strcmp0 (self->kind, "shanks") != 0)
    {
      rebuild_shanks (self);
      set_kind (self, "shanks");
    }
  g_object_thaw_notify (G_OBJECT (self));
}

void
wslfp_probe_get_placement (WslfpProbe *self, WslfpPlacement *p)
{
  p->center_um[0] = self->x_um;
  p->center_um[1] = self->y_um;
  p->center_um[2] = self->z_um;
  p->azimuth_deg = self->rotation_deg;
  p->tilt_deg = self->tilt_deg;
  p->roll_deg = self->roll_deg;
}

gsize
wslfp_probe_get_contacts (WslfpProbe *self, double **xyz_um, int **shank)
{
  WslfpPlacement p;
  wslfp_probe_get_placement (self, &p);
  *xyz_um = wslfp_probe_layout_place (self->layout, &p);
  *shank = g_memdup2 (self->layout->shank, MAX (self->layout->n_contacts, 1) * sizeof (int));
  return self->layout->n_contacts;
}

int *
wslfp_probe_get_shank_ids (WslfpProbe *self)
{
  const WslfpProbeLayout *l = self->layout;
  int *ids = g_new (int, MAX (l->n_contacts, 1));
  for (gsize e = 0; e < l->n_contacts; e++)
    ids[e] = l->shank_ids[l->shank[e]];
  return ids;
}

gsize
wslfp_probe_get_bodies (WslfpProbe *self, double **corners_um)
{
  WslfpPlacement p;
  wslfp_probe_get_placement (self, &p);
  return wslfp_probe_layout_place_bodies (self->layout, &p, corners_um);
}

void
wslfp_probe_set_layout (WslfpProbe *self, const char *kind, WslfpProbeLayout *layout, gboolean place_as_given)
{
  g_object_freeze_notify (G_OBJECT (self));
  wslfp_probe_layout_free (self->layout);
  self->layout = layout;
  if (place_as_given)
    {
      double c[3];
      wslfp_probe_layout_center (layout, c);
      g_object_set (self, "x-um", c[0], "y-um", c[1], "z-um", c[2], "rotation-deg", 0.0, "tilt-deg", 0.0, "roll-deg",
                    0.0, NULL);
    }
  set_kind (self, kind);
  /* The contacts changed even if no number did. */
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KIND]);
  g_object_thaw_notify (G_OBJECT (self));
}

gboolean
wslfp_probe_set_preset (WslfpProbe *self, const char *kind)
{
  if (g_strcmp0 (kind, "shanks") == 0)
    {
      g_object_freeze_notify (G_OBJECT (self));
      rebuild_shanks (self);
      set_kind (self, "shanks");
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KIND]);
      g_object_thaw_notify (G_OBJECT (self));
      return TRUE;
    }
  WslfpProbeLayout *l = wslfp_probe_layout_new_preset (kind);
  if (l == NULL)
    return FALSE;
  wslfp_probe_set_layout (self, kind, l, FALSE);
  return TRUE;
}

const char *wslfp_probe_get_kind (WslfpProbe *self) { return self->kind; }
const char *wslfp_probe_get_name (WslfpProbe *self) { return self->layout->name; }
const WslfpProbeLayout *wslfp_probe_get_layout (WslfpProbe *self) { return self->layout; }

char *
wslfp_probe_describe (WslfpProbe *self)
{
  WslfpPlacement p;
  wslfp_probe_get_placement (self, &p);
  g_autofree char *placed = wslfp_placement_describe (&p);
  return g_strdup_printf ("%s (%s), %s", self->layout->name, self->kind, placed);
}

gboolean
wslfp_probe_fit (WslfpProbe *self, const double *xyz, const int *shank, gsize n)
{
  int n_shanks = 0;
  for (gsize e = 0; e < n; e++)
    n_shanks = MAX (n_shanks, shank[e] + 1);
  if (n == 0 || n_shanks < 1 || n_shanks > 64 || n % n_shanks != 0)
    return FALSE;
  int per = (int) (n / n_shanks);
  if (per > 1024)
    return FALSE;
  /* Only a regular grid, laid out as the parametric probe makes it. */
  double x0 = xyz[0], z0 = xyz[2], y0 = xyz[1];
  double pitch = per > 1 ? xyz[5] - z0 : 100;
  double spacing = n_shanks > 1 ? xyz[3 * per] - x0 : 250;
  if (!(pitch >= 1 && pitch <= 1000) || !(spacing >= 1 && spacing <= 5000))
    return FALSE;
  double cx = x0 + spacing * (n_shanks - 1) / 2.0, cz = z0 + pitch * (per - 1) / 2.0;
  if (fabs (cx) > WSLFP_PROBE_LIMIT_UM || fabs (y0) > WSLFP_PROBE_LIMIT_UM || fabs (cz) > WSLFP_PROBE_LIMIT_UM)
    return FALSE;
  g_autoptr (WslfpProbe) trial = wslfp_probe_new ();
  g_object_set (trial, "n-shanks", n_shanks, "n-contacts", per, "pitch-um", pitch, "spacing-um", spacing, "x-um", cx,
                "y-um", y0, "z-um", cz, NULL);
  g_autofree double *want = NULL;
  g_autofree int *want_shank = NULL;
  gsize m = wslfp_probe_get_contacts (trial, &want, &want_shank);
  if (m != n)
    return FALSE;
  for (gsize i = 0; i < 3 * n; i++)
    if (fabs (want[i] - xyz[i]) > 1e-6 * MAX (1, fabs (xyz[i])))
      return FALSE;
  g_object_freeze_notify (G_OBJECT (self));
  g_object_set (self, "n-shanks", n_shanks, "n-contacts", per, "pitch-um", pitch, "spacing-um", spacing, "x-um",
                trial->x_um, "y-um", y0, "z-um", trial->z_um, "rotation-deg", 0.0, "tilt-deg", 0.0, "roll-deg", 0.0,
                NULL);
  wslfp_probe_set_preset (self, "shanks");
  g_object_thaw_notify (G_OBJECT (self));
  return TRUE;
}

gboolean
wslfp_probe_translate (WslfpProbe *self, double dx, double dy, double dz)
{
  double x = self->x_um + dx, y = self->y_um + dy, z = self->z_um + dz;
  const double lim = WSLFP_PROBE_LIMIT_UM;
  if (!(fabs (x) <= lim && fabs (y) <= lim && fabs (z) <= lim))
    return FALSE;
  g_object_set (self, "x-um", x, "y-um", y, "z-um", z, NULL);
  return TRUE;
}

double wslfp_probe_get_x_um (WslfpProbe *self) { return self->x_um; }
double wslfp_probe_get_y_um (WslfpProbe *self) { return self->y_um; }
double wslfp_probe_get_z_um (WslfpProbe *self) { return self->z_um; }
