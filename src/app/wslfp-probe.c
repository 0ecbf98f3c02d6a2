/* wslfp-probe.c: probe geometry. */
#include "config.h"

#include "wslfp-probe.h"

#include <math.h>

struct _WslfpProbe
{
  GObject parent_instance;

  double x_um, y_um, z_um;   /* centre of the contact array */
  double rotation_deg;       /* about z; 0: shanks along x */
  int n_shanks;
  double spacing_um;         /* between shanks */
  int n_contacts;            /* per shank */
  double pitch_um;           /* between contacts */
};

G_DEFINE_FINAL_TYPE (WslfpProbe, wslfp_probe, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_X_UM,
  PROP_Y_UM,
  PROP_Z_UM,
  PROP_ROTATION_DEG,
  PROP_N_SHANKS,
  PROP_SPACING_UM,
  PROP_N_CONTACTS,
  PROP_PITCH_UM,
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
    case PROP_SPACING_UM: return &self->spacing_um;
    case PROP_PITCH_UM: return &self->pitch_um;
    default: return NULL;
    }
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
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
wslfp_probe_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  WslfpProbe *self = WSLFP_PROBE (object);
  double *d = double_field (self, prop_id);
  if (d != NULL)
    {
      if (*d != g_value_get_double (value))
        {
          *d = g_value_get_double (value);
          g_object_notify_by_pspec (object, pspec);
        }
    }
  else if (prop_id == PROP_N_SHANKS || prop_id == PROP_N_CONTACTS)
    {
      int *field = prop_id == PROP_N_SHANKS ? &self->n_shanks : &self->n_contacts;
      if (*field != g_value_get_int (value))
        {
          *field = g_value_get_int (value);
          g_object_notify_by_pspec (object, pspec);
        }
    }
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
wslfp_probe_class_init (WslfpProbeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->get_property = wslfp_probe_get_property;
  object_class->set_property = wslfp_probe_set_property;
  properties[PROP_X_UM] = g_param_spec_double ("x-um", NULL, NULL, -5000, 5000, 250, flags);
  properties[PROP_Y_UM] = g_param_spec_double ("y-um", NULL, NULL, -5000, 5000, 0, flags);
  properties[PROP_Z_UM] = g_param_spec_double ("z-um", NULL, NULL, -5000, 5000, 100, flags);
  properties[PROP_ROTATION_DEG] = g_param_spec_double ("rotation-deg", NULL, NULL, -180, 180, 0, flags);
  properties[PROP_N_SHANKS] = g_param_spec_int ("n-shanks", NULL, NULL, 1, 16, 3, flags);
  properties[PROP_SPACING_UM] = g_param_spec_double ("spacing-um", NULL, NULL, 1, 2000, 250, flags);
  properties[PROP_N_CONTACTS] = g_param_spec_int ("n-contacts", NULL, NULL, 1, 64, 10, flags);
  properties[PROP_PITCH_UM] = g_param_spec_double ("pitch-um", NULL, NULL, 1, 1000, 1000.0 / 9, flags);
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
}

WslfpProbe *
wslfp_probe_new (void)
{
  return g_object_new (WSLFP_TYPE_PROBE, NULL);
}

void
wslfp_probe_reset (WslfpProbe *self)
{
  g_object_set (self, "x-um", 250.0, "y-um", 0.0, "z-um", 100.0, "rotation-deg", 0.0, "n-shanks", 3, "spacing-um",
                250.0, "n-contacts", 10, "pitch-um", 1000.0 / 9, NULL);
}

gsize
wslfp_probe_get_contacts (WslfpProbe *self, double **xyz_um, int **shank)
{
  gsize n = (gsize) self->n_shanks * self->n_contacts;
  double a = self->rotation_deg * G_PI / 180, c = cos (a), s = sin (a);
  *xyz_um = g_new (double, n * 3);
  *shank = g_new (int, n);
  for (int k = 0; k < self->n_shanks; k++)
    for (int j = 0; j < self->n_contacts; j++)
      {
        gsize e = (gsize) k * self->n_contacts + j;
        double lx = (k - (self->n_shanks - 1) / 2.0) * self->spacing_um;
        double lz = (j - (self->n_contacts - 1) / 2.0) * self->pitch_um;
        (*xyz_um)[3 * e] = self->x_um + c * lx;
        (*xyz_um)[3 * e + 1] = self->y_um + s * lx;
        (*xyz_um)[3 * e + 2] = self->z_um + lz;
        (*shank)[e] = k;
      }
  return n;
}

gboolean
wslfp_probe_fit (WslfpProbe *self, const double *xyz, const int *shank, gsize n)
{
  int n_shanks = 0;
  for (gsize e = 0; e < n; e++)
    n_shanks = MAX (n_shanks, shank[e] + 1);
  if (n == 0 || n_shanks > 16 || n % n_shanks != 0)
    return FALSE;
  int per = (int) (n / n_shanks);
  if (per > 64)
    return FALSE;
  /* Only a regular grid, laid out as wslfp_probe_get_contacts() makes it. */
  g_autoptr (WslfpProbe) trial = wslfp_probe_new ();
  double x0 = xyz[0], z0 = xyz[2], y0 = xyz[1];
  double pitch = per > 1 ? xyz[5] - z0 : 100;
  double spacing = n_shanks > 1 ? xyz[3 * per] - x0 : 250;
  if (!(pitch > 0) || !(spacing > 0))
    return FALSE;
  g_object_set (trial, "n-shanks", n_shanks, "n-contacts", per, "pitch-um", pitch, "spacing-um", spacing, "x-um",
                x0 + spacing * (n_shanks - 1) / 2.0, "y-um", y0, "z-um", z0 + pitch * (per - 1) / 2.0, NULL);
  g_autofree double *want = NULL;
  g_autofree int *want_shank = NULL;
  gsize m = wslfp_probe_get_contacts (trial, &want, &want_shank);
  if (m != n)
    return FALSE;
  for (gsize i = 0; i < 3 * n; i++)
    if (fabs (want[i] - xyz[i]) > 1e-6 * MAX (1, fabs (xyz[i])))
      return FALSE;
  g_object_set (self, "n-shanks", n_shanks, "n-contacts", per, "pitch-um", pitch, "spacing-um", spacing, "x-um",
                trial->x_um, "y-um", y0, "z-um", trial->z_um, "rotation-deg", 0.0, NULL);
  return TRUE;
}

void
wslfp_probe_translate (WslfpProbe *self, double dx, double dy, double dz)
{
  g_object_set (self, "x-um", CLAMP (self->x_um + dx, -5000, 5000), "y-um", CLAMP (self->y_um + dy, -5000, 5000),
                "z-um", CLAMP (self->z_um + dz, -5000, 5000), NULL);
}

double wslfp_probe_get_x_um (WslfpProbe *self) { return self->x_um; }
double wslfp_probe_get_y_um (WslfpProbe *self) { return self->y_um; }
double wslfp_probe_get_z_um (WslfpProbe *self) { return self->z_um; }
