/* wslfp-blas-core.h: OpenBLAS's fast kernels on CPUs newer than it knows. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The OpenBLAS kernels to use instead of @core (what OpenBLAS chose) on a
 * CPU with these features: "SkylakeX" or "Haswell" where it fell back to
 * its SSE kernels, else NULL (keep its choice). */
const char *wslfp_blas_core_for (const char *core, gboolean avx512, gboolean avx2_fma);
/* The kernels OpenBLAS runs ("SkylakeX"); NULL if the BLAS is not OpenBLAS. */
const char *wslfp_blas_core (void);
/* At the start of a program: where OpenBLAS fell back to slow kernels on
 * a CPU it does not know (Debian 12's 0.3.21 on Emerald Rapids: 3-5 times
 * slower), runs the program again with OPENBLAS_CORETYPE set, which
 * OpenBLAS reads only as it loads.  Returns if nothing is to be done (or
 * OPENBLAS_CORETYPE is set already: the user's choice). */
void        wslfp_blas_use_fast_core (char **argv);

G_END_DECLS
