/* wslfp-profile-view.h: a heat map of the chosen amplitude profile with the
 * contacts' (r, d) relative to the population centre marked. */
#pragma once

#include <gtk/gtk.h>
#include <wslfp.h>

G_BEGIN_DECLS

#define WSLFP_TYPE_PROFILE_VIEW (wslfp_profile_view_get_type ())
G_DECLARE_FINAL_TYPE (WslfpProfileView, wslfp_profile_view, WSLFP, PROFILE_VIEW, GtkWidget)

GtkWidget *wslfp_profile_view_new  (void);
/* Shows @profile (copied), titled with @name, with @length_um and the @n
 * marks (r, d pairs, copied). */
void       wslfp_profile_view_set  (WslfpProfileView *self, const WslfpProfile *profile, const char *name,
                                    double length_um, const double *marks_rd, gsize n);
/* Shows TKLFP's amplitude of one spike (with @params' λ; copied) instead
 * of the profile, with the @n marks (r, d from the spiking cells' centre
 * and mean axis); NULL @params goes back to the profile. */
void       wslfp_profile_view_set_tklfp (WslfpProfileView *self, const WslfpTklfpParams *params,
                                         const double *marks_rd, gsize n);
void       wslfp_profile_view_draw (WslfpProfileView *self, cairo_t *cr, double width, double height);
/* The dendrite length the profile is shown for. */
double     wslfp_profile_view_get_length_um (WslfpProfileView *self);
/* The marks shown (r, d pairs, owned by the view), *@n of them. */
const double *wslfp_profile_view_get_marks (WslfpProfileView *self, gsize *n);

G_END_DECLS
