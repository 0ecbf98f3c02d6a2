/* test-demo-network.c: the demo network's size limits, and its
 * allocations failing one at a time.
 *
 * The test is linked with -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc:
 * the sim library's calls (a static library linked in here) come to the
 * wrappers in wslfp-fail-alloc.c, GLib's (a shared library) do not.  Each run makes the
 * n-th allocation after arming fail; the simulation must then return NULL
 * with "out of memory" in its message (never crash, never leak: the
 * sanitized build checks that), until n passes the number it makes. */
#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include "wslfp-demo-network.h"
#include "wslfp-fail-alloc.h"

static void
test_demo_network_out_of_memory (void)
{
  WslfpDemoParams params;
  wslfp_demo_params_init (&params);
  params.n_exc = 40;
  params.duration_ms = 30;
  int failures = 0;
  for (long n = 1;; n++)
    {
      char error[256] = "";
      wslfp_fail_alloc_arm ((gint) n);
      WslfpDemoNetwork *net = wslfp_demo_network_run (&params, NULL, NULL, error, sizeof error);
      gboolean failed = wslfp_fail_alloc_failed ();
      wslfp_fail_alloc_arm (0);
      if (!failed)
        {
          /* every allocation made: the whole network */
          g_assert_nonnull (net);
          g_assert_cmpuint (net->n_exc, ==, 40);
          wslfp_demo_network_free (net);
          break;
        }
      if (net != NULL)
        g_error ("allocation %ld failed, yet the simulation returned a network", n);
      if (strstr (error, "out of memory") == NULL)
        g_error ("allocation %ld failed; the message is \"%s\"", n, error);
      failures++;
      g_assert_cmpint (n, <, 100000);
    }
  g_test_message ("%d allocations, each failing in turn, gave an error", failures);
  g_assert_cmpint (failures, >, 10);
}

/* The size limits: 4 and 200 000 excitatory cells are allowed, 3 and
 * 200 001 are refused with a message that names the option and the value.
 * (200 000 without synapses: drawing them takes about 100 s.) */
static void
test_demo_network_limits (void)
{
  const struct { gsize n_exc; gboolean ok; } cases[] = { { 3, FALSE }, { 4, TRUE }, { 200000, TRUE }, { 200001, FALSE } };
  for (guint k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      WslfpDemoParams params;
      wslfp_demo_params_init (&params);
      params.n_exc = cases[k].n_exc;
      params.duration_ms = 0.2;
      if (cases[k].n_exc > 1000)
        params.p_connect = 0;
      char error[256] = "";
      WslfpDemoNetwork *net = wslfp_demo_network_run (&params, NULL, NULL, error, sizeof error);
      if (cases[k].ok)
        {
          g_assert_nonnull (net);
          g_assert_cmpuint (net->n_exc, ==, cases[k].n_exc);
          g_assert_cmpuint (net->n_inh, ==, cases[k].n_exc / 4);
          g_assert_cmpuint (net->exc.n_pre, ==, net->n_exc);
          g_assert_cmpuint (net->inh.n_pre, ==, net->n_inh);
          if (params.p_connect == 0) /* (no synapse at all) */
            g_assert_true (net->exc.indptr[net->exc.n_pre] == 0 && net->inh.indptr[net->inh.n_pre] == 0);
          wslfp_demo_network_free (net);
          continue;
        }
      g_assert_null (net);
      g_autofree char *want = g_strdup_printf ("--neurons must be between 4 and 200000 (got %zu)", cases[k].n_exc);
      g_assert_cmpstr (error, ==, want);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sim/out-of-memory", test_demo_network_out_of_memory);
  g_test_add_func ("/sim/limits", test_demo_network_limits);
  return g_test_run ();
}
