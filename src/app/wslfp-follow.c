/* wslfp-follow.c: views that follow the compute controller (see the
 * header).  A follower is a small struct kept on its view (freed with
 * it); its handlers are connected with g_signal_connect_object, so that
 * they go when the view goes. */
#include "config.h"
#include "wslfp-follow.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "wslfp-profile-file.h"

typedef struct Follower
{
  GtkWidget *view;                   /* (not a reference: the follower is the view's) */
  WslfpComputeController *controller;
  WslfpExplorerState *state;
  WslfpProbe *probe;
  double length_um;                  /* the length the layout view borrows */
  const WslfpDataset *cells_of;      /* whose cells the layout view borrows */
  double *inhibitory_um;             /* TKLFP's inhibitory cells with a position (the view copies them) */
  gsize n_inhibitory;
  void (*update) (struct Follower *);  /* what the view shows, again */
  /* the population's dipole centre and axis, for the profile's marks:
   * O(cells) to find, so kept while the dataset and length stay */
  const WslfpDataset *centre_of;
  double centre_length, centre_um[3], axis[3];
} Follower;

static void
follower_free (gpointer data)
{
  Follower *f = data;
  g_clear_object (&f->controller);
  g_clear_object (&f->state);
  g_clear_object (&f->probe);
  g_free (f->inhibitory_um);
  g_free (f);
}

static Follower *
follower_new (gpointer view, WslfpComputeController *controller)
{
  Follower *f = g_new0 (Follower, 1);
  f->view = view;
  f->controller = g_object_ref (controller);
  f->state = g_object_ref (wslfp_compute_controller_get_state (controller));
  f->probe = g_object_ref (wslfp_explorer_state_get_probe (f->state));
  g_object_set_data_full (G_OBJECT (view), "wslfp-follower", f, follower_free);
  return f;
}

static const WslfpDataset *
dataset_of (Follower *f)
{
  WslfpDocument *doc = wslfp_compute_controller_get_document (f->controller);
  return doc != NULL ? wslfp_document_get_dataset (doc) : NULL;
}

/* The dendrite length the user set for every cell, or 0 for the dataset's. */
static double
length_override (Follower *f)
{
  gboolean from_dataset;
  double length;
  g_object_get (f->state, "length-from-dataset", &from_dataset, "dendrite-length-um", &length, NULL);
  return from_dataset ? 0 : length;
}

static Follower *
follower_of (gpointer view)
{
  return g_object_get_data (G_OBJECT (view), "wslfp-follower");
}

static void
changed_cb (GObject *object, GParamSpec *pspec, gpointer view)
{
  Follower *f = follower_of (view);
  f->update (f);
}

/* (not for what is only shown: the time range changes with every pan) */
static void
state_changed_cb (GObject *object, GParamSpec *pspec, gpointer view)
{
  if (wslfp_explorer_state_is_computed (pspec))
    changed_cb (object, pspec, view);
}

/* Calls @update now and whenever what is computed changes: a proxy
 * setting, the probe, the document, the end of a hold. */
static void
on_geometry (Follower *f, void (*update) (Follower *))
{
  f->update = update;
  update (f);
  g_signal_connect_object (f->state, "notify", G_CALLBACK (state_changed_cb), f->view, 0);
  g_signal_connect_object (f->probe, "notify", G_CALLBACK (changed_cb), f->view, 0);
  g_signal_connect_object (f->controller, "notify::document", G_CALLBACK (changed_cb), f->view, 0);
  g_signal_connect_object (f->controller, "notify::held", G_CALLBACK (changed_cb), f->view, 0);
}

/* ---- traces ---- */

/* The pinned result under the current one, the settings of each in the
 * legend. */
static void
show_pinned (WslfpTraceView *view)
{
  Follower *f = follower_of (view);
  const WslfpSessionResult *pinned = wslfp_compute_controller_get_pinned_settings (f->controller);
  g_autofree char *pinned_label = NULL, *now_label = NULL;
  if (pinned != NULL)
    {
      WslfpSessionResult now = { 0 };
      wslfp_explorer_state_get_result (f->state, &now);
      pinned_label = wslfp_session_result_describe_against (pinned, &now);
      now_label = wslfp_session_result_describe_against (&now, pinned);
      wslfp_session_result_clear (&now);
    }
  wslfp_trace_view_set_pinned (view, wslfp_compute_controller_get_pinned_lfp (f->controller), pinned_label, now_label);
}

/* A failed run: its reason in place of the traces (there are none). */
static void
traces_failed_cb (WslfpComputeController *controller, const char *message, gboolean live, WslfpTraceView *view)
{
  if (!live && wslfp_compute_controller_get_lfp (controller) == NULL)
    wslfp_trace_view_set_message (view, message);
}

static void
traces_result_cb (WslfpComputeController *controller, const char *status, WslfpTraceView *view)
{
  wslfp_trace_view_set_message (view, NULL);
  Follower *f = follower_of (view);
  wslfp_trace_view_set_contact_ids (view, (const char *const *) wslfp_probe_get_layout (f->probe)->contact_ids);
  wslfp_trace_view_set_lfp (view, wslfp_compute_controller_get_lfp (controller));
  /* Translators: over the traces while the probe moves (the status line
   * says more); short, to fit the corner beside the last shank's title. */
  wslfp_trace_view_set_preview (view, wslfp_compute_controller_get_shown_stride (controller) > 1 ? _("Preview") : NULL);
  if (wslfp_compute_controller_get_pinned_lfp (controller) != NULL)
    show_pinned (view); /* the legend names the new settings */
}

static guint
index_of (const char *const *names, const char *name)
{
  for (guint i = 0; names[i] != NULL; i++)
    if (g_strcmp0 (names[i], name) == 0)
      return i;
  return 0;
}

static void
traces_look_cb (GObject *object, GParamSpec *pspec, WslfpTraceView *view)
{
  static const char *const modes[] = { "auto", "lines", "image", NULL };
  static const char *const kinds[] = { "lfp", "csd", "psd", NULL };
  static const WslfpTraceMode trace_modes[] = { WSLFP_TRACES_AUTO, WSLFP_TRACES_LINES, WSLFP_TRACES_IMAGE };
  g_autofree char *mode = NULL, *kind = NULL;
  g_object_get (object, "trace-mode", &mode, "figure-kind", &kind, NULL);
  wslfp_trace_view_set_mode (view, trace_modes[index_of (modes, mode)]);
  wslfp_trace_view_set_kind (view, (WslfpFigureKind) index_of (kinds, kind));
}

void
wslfp_follow_traces (WslfpTraceView *view, WslfpComputeController *controller)
{
  Follower *f = follower_new (view, controller);
  traces_look_cb (G_OBJECT (f->state), NULL, view);
  g_signal_connect_object (f->state, "notify::trace-mode", G_CALLBACK (traces_look_cb), view, 0);
  g_signal_connect_object (f->state, "notify::figure-kind", G_CALLBACK (traces_look_cb), view, 0);
  g_signal_connect_object (controller, "result", G_CALLBACK (traces_result_cb), view, 0);
  g_signal_connect_object (controller, "failed", G_CALLBACK (traces_failed_cb), view, 0);
  g_signal_connect_object (controller, "notify::pinned", G_CALLBACK (show_pinned), view, G_CONNECT_SWAPPED);
  /* A new recording starts unzoomed (a session then sets its own zoom). */
  g_signal_connect_object (controller, "notify::document", G_CALLBACK (wslfp_trace_view_reset_zoom), view,
                           G_CONNECT_SWAPPED);
}

/* ---- the 3-D layout ---- */

static void
update_layout (Follower *f)
{
  WslfpLayoutView *view = WSLFP_LAYOUT_VIEW (f->view);
  const WslfpDataset *ds = dataset_of (f);
  if (wslfp_compute_controller_is_held (f->controller))
    {
      /* The view borrows the cells: not from a document that is gone. */
      if (f->cells_of != ds)
        {
          wslfp_layout_view_set_cells (view, NULL, 0, FALSE, NULL, 0, NULL, 0);
          f->cells_of = NULL;
        }
      return;
    }
  g_autofree double *xyz = NULL;
  g_autofree int *shank = NULL;
  gsize n = wslfp_probe_get_contacts (f->probe, &xyz, &shank);
  g_autofree double *bodies = NULL;
  gsize n_bodies = wslfp_probe_get_bodies (f->probe, &bodies);
  wslfp_layout_view_set_contacts (view, xyz, shank, n);
  wslfp_layout_view_set_bodies (view, bodies, n_bodies);
  /* The layout shows the dendrite length the computation uses. */
  f->length_um = length_override (f);
  if (ds != NULL)
    wslfp_layout_view_set_cells (view, ds->sources_um, ds->n_sources, ds->coords == WSLFP_COORDS_DIPOLE_CENTERS,
                                 ds->orientation, ds->n_orientations,
                                 f->length_um > 0 ? &f->length_um : ds->dendrite_length_um,
                                 f->length_um > 0 ? 1 : ds->n_lengths);
  else
    wslfp_layout_view_set_cells (view, NULL, 0, FALSE, NULL, 0, NULL, 0);
  f->cells_of = ds;
  /* TKLFP hears the inhibitory cells too: drawn beside the sources */
  guint proxy;
  g_object_get (f->state, "proxy", &proxy, NULL);
  g_clear_pointer (&f->inhibitory_um, g_free);
  f->n_inhibitory = 0;
  const WslfpDatasetSpikes *inh = ds != NULL ? &ds->spikes[WSLFP_SPIKES_INH] : NULL;
  if (proxy == 1 && inh != NULL && inh->cells_um != NULL)
    {
      f->inhibitory_um = g_new (double, 3 * MAX (inh->n_cells, 1));
      for (gsize i = 0; i < inh->n_cells; i++)
        if (!isnan (inh->cells_um[3 * i]))
          memcpy (f->inhibitory_um + 3 * f->n_inhibitory++, inh->cells_um + 3 * i, 3 * sizeof (double));
    }
  wslfp_layout_view_set_inhibitory (view, f->inhibitory_um, f->n_inhibitory);
}

void
wslfp_follow_layout (WslfpLayoutView *view, WslfpComputeController *controller)
{
  Follower *f = follower_new (view, controller);
  on_geometry (f, update_layout);
  /* Another probe may be much bigger: frame it with the cells. */
  g_signal_connect_object (f->probe, "notify::kind", G_CALLBACK (wslfp_layout_view_frame_all), view,
                           G_CONNECT_SWAPPED);
}

/* ---- the amplitude profile ---- */

static void
update_profile (Follower *f)
{
  if (wslfp_compute_controller_is_held (f->controller))
    return;
  WslfpProfileView *view = WSLFP_PROFILE_VIEW (f->view);
  guint proxy;
  g_object_get (f->state, "proxy", &proxy, NULL);
  if (proxy == 1)
    {
      WslfpJobSettings s;
      g_autofree double *xyz = NULL;
      g_autofree int *shank = NULL;
      wslfp_compute_controller_job_settings (f->controller, &s, &xyz, &shank);
      const WslfpDataset *ds = dataset_of (f);
      gsize n = 0;
      g_autofree double *marks = ds != NULL ? wslfp_dataset_tklfp_marks (ds, xyz, s.n_electrodes, &n) : NULL;
      wslfp_profile_view_set_tklfp (view, &s.tklfp, marks, n);
      return;
    }
  const char *name;
  g_autoptr (WslfpProfile) profile = wslfp_compute_controller_current_profile (f->controller, &name);
  double length = length_override (f);
  const WslfpDataset *ds = dataset_of (f);
  if (ds == NULL)
    {
      wslfp_profile_view_set (view, profile, name, length > 0 ? length : 250, NULL, 0);
      return;
    }
  /* The contacts marked where they are relative to the population's
   * centre (a population model's one column, found once). */
  g_autofree double *xyz = NULL;
  g_autofree int *shank = NULL;
  gsize n = wslfp_probe_get_contacts (f->probe, &xyz, &shank);
  g_autofree double *marks = g_new (double, 2 * MAX (n, 1));
  gsize n_marks = 0;
  if (n > 0 && (f->centre_of != ds || f->centre_length != length))
    {
      WslfpGeometry g;
      WslfpModel *model;
      wslfp_dataset_get_geometry (ds, &g);
      g.electrodes_um = xyz;
      g.n_electrodes = 1;
      if (length > 0)
        {
          g.dendrite_length_um = &length;
          g.n_lengths = 1;
        }
      f->centre_of = NULL;
      if (wslfp_model_new (&g, profile, TRUE, &model, NULL) == WSLFP_OK)
        {
          memcpy (f->centre_um, wslfp_model_get_centers (model), sizeof f->centre_um);
          memcpy (f->axis, wslfp_model_get_orientations (model), sizeof f->axis);
          f->centre_of = ds;
          f->centre_length = length;
          wslfp_model_free (model);
        }
    }
  if (f->centre_of == ds)
    {
      /* (r, d) as the engine's wslfp_model_get_rd(): d along the axis, r
       * off it */
      for (gsize e = 0; e < n; e++)
        {
          double v[3], d = 0, r2 = 0;
          for (int k = 0; k < 3; k++)
            v[k] = xyz[3 * e + k] - f->centre_um[k], d += v[k] * f->axis[k];
          for (int k = 0; k < 3; k++)
            r2 += (v[k] - d * f->axis[k]) * (v[k] - d * f->axis[k]);
          marks[2 * e] = sqrt (r2);
          marks[2 * e + 1] = d;
        }
      n_marks = n;
    }
  /* (the dataset's own lengths: their mean, as the panel shows) */
  double shown_length = length > 0 ? length : wslfp_explorer_state_dataset_length (ds);
  wslfp_profile_view_set (view, profile, name, shown_length, marks, n_marks);
}

void
wslfp_follow_profile (WslfpProfileView *view, WslfpComputeController *controller)
{
  on_geometry (follower_new (view, controller), update_profile);
}

/* ---- spikes ---- */

static void
update_raster (Follower *f)
{
  wslfp_raster_view_set_dataset (WSLFP_RASTER_VIEW (f->view), dataset_of (f));
}

/* The time range the traces show (the state's). */
static void
raster_range_cb (WslfpExplorerState *state, GParamSpec *pspec, WslfpRasterView *view)
{
  double t0, t1;
  g_object_get (state, "t-start-ms", &t0, "t-end-ms", &t1, NULL);
  wslfp_raster_view_set_range (view, t0, t1);
}

/* The traces' first panel edge for the contacts of the LFP shown. */
static void
raster_left_cb (WslfpComputeController *controller, const char *status, WslfpRasterView *view)
{
  const WslfpLfp *lfp = wslfp_compute_controller_get_lfp (controller);
  WslfpTraces traces = { 0 };
  if (lfp != NULL)
    {
      traces.n_electrodes = lfp->n_electrodes;
      traces.electrodes_um = lfp->electrodes_um;
    }
  wslfp_raster_view_set_left (view, wslfp_trace_layout_left (&traces));
}

void
wslfp_follow_raster (WslfpRasterView *view, WslfpComputeController *controller)
{
  Follower *f = follower_new (view, controller);
  f->update = update_raster;
  update_raster (f);
  g_signal_connect_object (controller, "result", G_CALLBACK (raster_left_cb), view, 0);
  g_signal_connect_object (controller, "notify::document", G_CALLBACK (changed_cb), view, 0);
  g_signal_connect_object (f->state, "notify::t-start-ms", G_CALLBACK (raster_range_cb), view, 0);
  g_signal_connect_object (f->state, "notify::t-end-ms", G_CALLBACK (raster_range_cb), view, 0);
}
