/* wslfp-window-contributions.c: which cells a contact hears.  Hovering a
 * contact in a 3-D view colours the cells by that contact's row of the
 * amplitude matrix (the weight of each cell's current in its signal) and
 * draws its trace in bold. */
#include "config.h"

#include "wslfp-window-private.h"

#include "wslfp-profile-file.h"

/* Which cells a contact hears: the hovered contact's row of A, per cell,
 * for the chosen profile and geometry; its trace in bold. */
void
wslfp_window_update_contributions (WslfpWindow *self)
{
  WslfpLayoutView *views[WSLFP_WINDOW_N_VIEWS];
  WslfpTraceView *traces[WSLFP_WINDOW_N_VIEWS];
  wslfp_window_get_layout_views (self, views);
  wslfp_window_get_trace_views (self, traces);
  WslfpDocument *doc = wslfp_window_get_document (self);
  const WslfpDataset *ds = doc ? wslfp_document_get_dataset (doc) : NULL;
  gssize e = self->hovered_contact;
  g_autofree double *xyz = NULL;
  g_autofree int *shank = NULL;
  gsize n = wslfp_probe_get_contacts (self->probe, &xyz, &shank);
  g_autofree double *weights = NULL;
  if (ds != NULL && e >= 0 && (gsize) e < n)
    {
      const char *name;
      g_autoptr (WslfpProfile) profile = wslfp_compute_controller_current_profile (self->compute, &name);
      WslfpGeometry g;
      WslfpModel *model;
      double length = wslfp_window_length_override (self);
      wslfp_dataset_get_geometry (ds, &g);
      g.electrodes_um = xyz + 3 * e;
      g.n_electrodes = 1;
      if (length > 0)
        {
          g.dendrite_length_um = &length;
          g.n_lengths = 1;
        }
      if (wslfp_model_new (&g, profile, FALSE, &model, NULL) == WSLFP_OK)
        {
          weights = g_memdup2 (wslfp_model_get_amplitude (model), ds->n_sources * sizeof (double));
          wslfp_model_free (model);
        }
    }
  for (int v = 0; v < WSLFP_WINDOW_N_VIEWS; v++)
    {
      wslfp_layout_view_set_weights (views[v], weights, weights ? ds->n_sources : 0, weights ? e : -1);
      wslfp_trace_view_set_highlight (traces[v], weights ? e : -1);
    }
}

void
wslfp_window_contact_hovered_cb (WslfpLayoutView *view, gint64 e, WslfpWindow *self)
{
  self->hovered_contact = (gssize) e;
  wslfp_window_update_contributions (self);
}
