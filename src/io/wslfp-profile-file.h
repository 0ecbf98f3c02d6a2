/* wslfp-profile-file.h: custom amplitude profiles from CSV files. */
#pragma once

#include <glib.h>
#include <wslfp.h>

G_BEGIN_DECLS

/* Reads a custom amplitude profile g(r, |d|) from @path: one row
 * r_um,d_um,amp_uV per grid point (r and d >= 0, in µm; the amplitude in
 * µV per unit current), in any order, covering a full rectangular grid of
 * at least 2 × 2 points, like tests/data/mazzoni15_fig2b_grid.csv.  The
 * profile is sign(d) · g(r, |d|), bilinear, 0 outside the grid.  Errors
 * name the file and the line or grid point at fault. */
WslfpProfile *wslfp_profile_read_csv (const char *path, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WslfpProfile, wslfp_profile_free)

G_END_DECLS
