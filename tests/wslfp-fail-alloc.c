/* wslfp-fail-alloc.c: the allocation wrappers (see wslfp-fail-alloc.h). */
#include "wslfp-fail-alloc.h"

#include <stdlib.h>

void *__real_malloc (size_t size);
void *__real_calloc (size_t n, size_t size);
void *__real_realloc (void *p, size_t size);
void *__wrap_malloc (size_t size);
void *__wrap_calloc (size_t n, size_t size);
void *__wrap_realloc (void *p, size_t size);

static gint countdown; /* allocations until the one that fails; 0: none */
static gint failed;    /* the armed allocation has failed */

void
wslfp_fail_alloc_arm (gint n)
{
  g_atomic_int_set (&failed, 0);
  g_atomic_int_set (&countdown, n);
}

gboolean
wslfp_fail_alloc_failed (void)
{
  return g_atomic_int_get (&failed);
}

static gboolean
fails_now (void)
{
  /* (the engine allocates from worker threads too) */
  gint left;
  do
    {
      left = g_atomic_int_get (&countdown);
      if (left == 0)
        return FALSE;
    }
  while (!g_atomic_int_compare_and_exchange (&countdown, left, left - 1));
  if (left > 1)
    return FALSE;
  g_atomic_int_set (&failed, 1);
  return TRUE;
}

void *
__wrap_malloc (size_t size)
{
  return fails_now () ? NULL : __real_malloc (size);
}

void *
__wrap_calloc (size_t n, size_t size)
{
  return fails_now () ? NULL : __real_calloc (n, size);
}

void *
__wrap_realloc (void *p, size_t size)
{
  return fails_now () ? NULL : __real_realloc (p, size);
}
