/* wslfp-probe-file.h: probe layouts (contacts in the probe's own frame,
 * grouped in shanks) from probeinterface JSON, CSV or built-in presets;
 * placing them in the tissue (a position and three angles); writing the
 * placed probe as CSV or probeinterface JSON.
 *
 * The probe's frame: x across the shank(s), z along them towards the apex
 * (the tip is at low z), y normal to the probe's plane.  A 2-D
 * probeinterface probe lies in the x–z plane: its x is x, its y is z, and
 * y = 0. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Contacts farther than this from the origin (1 km) are refused. */
#define WSLFP_PROBE_MAX_UM 1e9
/* The most contacts a probe file may hold (JSON and CSV). */
#define WSLFP_PROBE_MAX_CONTACTS 100000

typedef struct
{
  char *name;           /* model_name, the preset's name or the file's */
  gsize n_contacts;
  double *xyz_um;       /* n_contacts × 3, in the probe's frame */
  int *shank;           /* n_contacts: 0 … n_shanks − 1 */
  int n_shanks;
  int *shank_ids;       /* n_shanks: each shank's number as the file gives it */
  gboolean needles;     /* one body per contact (a Utah array), not per shank */
  char **contact_ids;   /* n_contacts: each contact's name in the file
                         * (probeinterface contact_ids), or NULL */
} WslfpProbeLayout;

/* Contacts that share x and y (to 1e-6 µm) form a shank: numbers 0, 1, …
 * in order of first appearance into @shank (n); the count.  O(n log n). */
int wslfp_shanks_by_column (const double *xyz_um, gsize n, int *shank);
/* Any shank numbers renumbered 0, 1, … in order of first appearance. */
int wslfp_shanks_renumber  (const gint64 *numbers, gsize n, int *shank);

void              wslfp_probe_layout_free (WslfpProbeLayout *layout);
WslfpProbeLayout *wslfp_probe_layout_copy (const WslfpProbeLayout *layout);
/* From contacts and shank numbers (any whole numbers ≥ 0; NULL: contacts
 * sharing x and y form a shank); the arrays are copied. */
WslfpProbeLayout *wslfp_probe_layout_new  (const char *name, const double *xyz_um, const int *shank, gsize n);

/* Reads probeinterface JSON (.json) or CSV (x_um,y_um,z_um[,shank]).
 * Errors name the file, the key and the index at fault. */
WslfpProbeLayout *wslfp_probe_layout_read      (const char *path, GError **error);
WslfpProbeLayout *wslfp_probe_layout_read_json (const char *path, GError **error);

/* The built-in probes, by id: "neuropixels-1.0" (bank 0: 384 channels in
 * 4 staggered columns, 20 µm rows), "neuropixels-2.0-4shank" (4 shanks
 * 250 µm apart, 2 columns 32 µm apart, 15 µm rows, 96 channels each),
 * "linear-32" (32 contacts, 50 µm), "tetrode" (4 contacts on a 20 µm
 * square), "utah-10x10" (100 needles, 400 µm apart, one shank per row).
 * NULL for an unknown id. */
WslfpProbeLayout   *wslfp_probe_layout_new_preset (const char *id);
/* The ids, NULL-terminated, in the order a menu shows them. */
const char *const  *wslfp_probe_layout_preset_ids (void);
/* Today's multi-shank probe: @n_shanks shanks @spacing_um apart, each with
 * @n_contacts contacts @pitch_um apart, centred on the origin. */
WslfpProbeLayout   *wslfp_probe_layout_new_shanks (int n_shanks, double spacing_um, int n_contacts, double pitch_um);

/* A probe's centre: the middle of its @n contacts' extent on each axis
 * (the centre of their bounding box).  The one definition: the Explorer
 * places and turns probes about it, `compute --probe-offset-um` moves it,
 * and `info` prints it. */
void wslfp_contacts_center (const double *xyz_um, gsize n, double center[3]);
/* The centre of the layout's contacts, in the probe's frame. */
void wslfp_probe_layout_center (const WslfpProbeLayout *layout, double center[3]);

/* Where a probe sits: its contacts' centre goes to @center_um; it is
 * turned about that centre by R = Rz(azimuth) · Rx(tilt) · Rz(roll): first
 * rolled about its own axis, then tilted from the vertical (the insertion
 * angle, towards −y at azimuth 0), then turned about the vertical. */
typedef struct
{
  double center_um[3];
  double azimuth_deg;
  double tilt_deg;
  double roll_deg;
} WslfpPlacement;

/* The placement that leaves @layout's contacts where it has them: centred
 * on their centre, not turned. */
void wslfp_placement_as_given (const WslfpProbeLayout *layout, WslfpPlacement *placement);

/* How far from the origin the app (and a session) may place a probe's
 * centre, in µm along each axis. */
#define WSLFP_PROBE_LIMIT_UM 5000.0

void  wslfp_placement_rotation   (const WslfpPlacement *placement, double R[9]);
/* "centre at X,Y,Z µm, azimuth A°, tilt T°, roll R°" in the shortest
 * numbers that read back equal: how LFP files and the app name a
 * placement. */
char *wslfp_placement_describe   (const WslfpPlacement *placement);
/* The placed contacts (n_contacts × 3, newly allocated). */
double *wslfp_probe_layout_place (const WslfpProbeLayout *layout, const WslfpPlacement *placement);
/* The placed bodies (shanks, or needles) as quadrilaterals: 4 corners × 3
 * coordinates each; returns how many. */
gsize wslfp_probe_layout_place_bodies (const WslfpProbeLayout *layout, const WslfpPlacement *placement,
                                       double **corners_um);

/* Writes placed contacts atomically as CSV (x_um,y_um,z_um,shank) or, for
 * a name ending in .json, as 3-D probeinterface JSON. */
gboolean wslfp_probe_write (const char *path, const char *name, const double *xyz_um, const int *shank, gsize n,
                            GError **error);

G_END_DECLS
