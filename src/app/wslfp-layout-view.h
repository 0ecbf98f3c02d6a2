/* wslfp-layout-view.h: the 3-D layout of neurons and contacts.  Drag to
 * orbit, scroll to zoom, drag a contact (or Shift+drag) or press the arrow
 * keys to move the probe ("probe-dragged"); hovering a contact emits
 * "contact-hovered" (the contact, or −1). */
#pragma once

#include <gtk/gtk.h>

#include "wslfp-plot.h"

G_BEGIN_DECLS

#define WSLFP_TYPE_LAYOUT_VIEW (wslfp_layout_view_get_type ())
G_DECLARE_FINAL_TYPE (WslfpLayoutView, wslfp_layout_view, WSLFP, LAYOUT_VIEW, GtkWidget)

GtkWidget *wslfp_layout_view_new          (void);
/* The cells (borrowed: keep alive while shown): positions (somata, or
 * dipole centres with @centers), orientations (NULL: +z) and apical
 * lengths (NULL: 250 µm; 1 shared or n values). */
void       wslfp_layout_view_set_cells    (WslfpLayoutView *self, const double *xyz_um, gsize n, gboolean centers,
                                           const double *orientation, gsize n_orientations,
                                           const double *lengths_um, gsize n_lengths);
/* Inhibitory cells drawn as such beside the cells (TKLFP hears them;
 * copied; redrawn only when they change). */
void       wslfp_layout_view_set_inhibitory (WslfpLayoutView *self, const double *xyz_um, gsize n);
/* The contacts (copied). */
void       wslfp_layout_view_set_contacts (WslfpLayoutView *self, const double *xyz_um, const int *shank, gsize n);
/* The probe's shank bodies (copied): 4 corners × 3 each. */
void       wslfp_layout_view_set_bodies   (WslfpLayoutView *self, const double *corners_um, gsize n);
/* Colours the cells by @weights (n values, copied; NULL: plain) of contact
 * @contact, which is marked. */
void       wslfp_layout_view_set_weights  (WslfpLayoutView *self, const double *weights, gsize n, gssize contact);
/* Frames the cells and the whole probe as they are now; the frame then
 * stays while the probe moves.  The default view and new cells reset it. */
void       wslfp_layout_view_frame_all    (WslfpLayoutView *self);
/* The weights shown (NULL if none), their count and contact. */
const double *wslfp_layout_view_get_weights (WslfpLayoutView *self, gsize *n, gssize *contact);
/* The contact under the pointer, or −1. */
gssize     wslfp_layout_view_get_hovered  (WslfpLayoutView *self);
/* "front", "side", "top", or NULL for the default 3/4 view. */
void       wslfp_layout_view_set_preset   (WslfpLayoutView *self, const char *name);
/* Sets the view angles in degrees (orbiting). */
void       wslfp_layout_view_set_angles   (WslfpLayoutView *self, double azimuth_deg, double elevation_deg);
/* Where @xyz_um (µm) is drawn in the widget, in pixels. */
void       wslfp_layout_view_to_screen    (WslfpLayoutView *self, const double xyz_um[3], double *x, double *y);
/* The view as the user has turned and zoomed it. */
const WslfpView *wslfp_layout_view_get_view (WslfpLayoutView *self);
/* The figure for exports: from the view's angles, framing the cells and
 * the whole probe (unzoomed). */
void       wslfp_layout_view_draw         (WslfpLayoutView *self, cairo_t *cr, double width, double height);

G_END_DECLS
