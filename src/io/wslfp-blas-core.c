/* wslfp-blas-core.c: OpenBLAS's fast kernels on CPUs newer than it knows
 * (see the header). */
#include "wslfp-blas-core.h"

#include <unistd.h>

/* (weak: with another BLAS there is nothing to choose) */
extern char *openblas_get_corename (void) __attribute__ ((weak));

const char *
wslfp_blas_core_for (const char *core, gboolean avx512, gboolean avx2_fma)
{
  /* The kernels OpenBLAS falls back to for an Intel model it does not
   * know; a CPU it does know keeps its choice. */
  static const char *const fallbacks[] = { "Prescott", "Core2", "Nehalem", "Penryn", "Dunnington" };
  gboolean fell_back = FALSE;
  for (guint i = 0; core != NULL && i < G_N_ELEMENTS (fallbacks); i++)
    fell_back = fell_back || g_ascii_strcasecmp (core, fallbacks[i]) == 0;
  if (!fell_back)
    return NULL;
  return avx512 ? "SkylakeX" : avx2_fma ? "Haswell" : NULL;
}

const char *
wslfp_blas_core (void)
{
  return openblas_get_corename != NULL ? openblas_get_corename () : NULL;
}

void
wslfp_blas_use_fast_core (char **argv)
{
  if (openblas_get_corename == NULL || g_getenv ("OPENBLAS_CORETYPE") != NULL)
    return;
  __builtin_cpu_init ();
  /* (libgcc checks that the system saves the vector registers, too) */
  gboolean avx512 = __builtin_cpu_supports ("avx512f") && __builtin_cpu_supports ("avx512bw")
                    && __builtin_cpu_supports ("avx512dq") && __builtin_cpu_supports ("avx512vl");
  gboolean avx2_fma = __builtin_cpu_supports ("avx2") && __builtin_cpu_supports ("fma");
  const char *better = wslfp_blas_core_for (openblas_get_corename (), avx512, avx2_fma);
  if (better == NULL)
    return;
  g_setenv ("OPENBLAS_CORETYPE", better, TRUE);
  execv ("/proc/self/exe", argv);
  /* (no /proc: on with the slower kernels) */
}
