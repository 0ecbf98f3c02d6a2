/* test-demo-network.c: the demo network: its synapses are the documented
 * model's, its size limits, and its allocations failing one at a time.
 *
 * The test is linked with -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc:
 * the sim library's calls (a static library linked in here) come to the
 * wrappers in wslfp-fail-alloc.c, GLib's (a shared library) do not.  Each run makes the
 * n-th allocation after arming fail; the simulation must then return NULL
 * with "out of memory" in its message (never crash, never leak: the
 * sanitized build checks that), until n passes the number it makes. */
#include <glib.h>
#include <math.h>
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

/* The recorded currents are the documented model's synapses (README, "The
 * built-in demo network"): each spike of a presynaptic cell reaches its
 * targets 1.5 ms later and adds w · τr/(τd − τr) · (e^(−t/τd) − e^(−t/τr))
 * (the `ode` form), AMPA 0.4/2 ms, GABA 0.25/5 ms, summed here spike by
 * spike from the network's own spikes and weights. */
static void
test_demo_network_documented_synapses (void)
{
  WslfpDemoParams params;
  wslfp_demo_params_init (&params);
  params.n_exc = 200;
  params.duration_ms = 300;
  char error[256] = "";
  WslfpDemoNetwork *net = wslfp_demo_network_run (&params, NULL, NULL, error, sizeof error);
  g_assert_nonnull (net);
  const struct { const WslfpDemoSpikes *sp; const double *recorded; double rise, decay; const char *name; } kinds[] = {
    { &net->exc, net->i_ampa, 0.4, 2.0, "AMPA" },
    { &net->inh, net->i_gaba, 0.25, 5.0, "GABA" },
  };
  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      const WslfpDemoSpikes *sp = kinds[k].sp;
      double rise = kinds[k].rise, decay = kinds[k].decay, peak = 0, worst = 0;
      g_assert_cmpuint (sp->n_spikes, >, 20);
      g_autofree double *want = g_new0 (double, net->n_steps * net->n_exc);
      for (gsize s = 0; s < sp->n_spikes; s++)
        {
          gint64 pre = sp->neuron[s];
          for (gint64 c = sp->indptr[pre]; c < sp->indptr[pre + 1]; c++)
            for (gsize i = 0; i < net->n_steps; i++)
              {
                double t = net->t_ms[i] - (sp->t_ms[s] + 1.5);
                if (t >= 0)
                  want[i * net->n_exc + sp->indices[c]] +=
                    sp->weights[c] * rise / (decay - rise) * (exp (-t / decay) - exp (-t / rise));
              }
        }
      for (gsize j = 0; j < net->n_steps * net->n_exc; j++)
        {
          peak = fmax (peak, fabs (want[j]));
          worst = fmax (worst, fabs (kinds[k].recorded[j] - want[j]));
        }
      g_test_message ("%s: %zu spikes, peak %.4g nA, largest difference %.3g nA", kinds[k].name, sp->n_spikes, peak,
                      worst);
      g_assert_cmpfloat (peak, >, 0);
      g_assert_cmpfloat (worst, <=, 1e-9 * peak);
    }
  wslfp_demo_network_free (net);
}

/* The synapses onto the excitatory cells (the ones the file stores): each
 * ordered pair of distinct cells connected with probability
 * min (p_connect, in-degree / n of the presynaptic kind), so 0.1 in a
 * network of 200 + 50 cells and 80 / 2000 = 20 / 500 = 0.04 in one of
 * 2000 + 500.  The counts are binomial; they must be within 5 standard
 * deviations of the mean. */
static void
test_demo_network_connection_probability (void)
{
  const struct { gsize n_exc; double p; } sizes[] = { { 200, 0.1 }, { 2000, 0.04 } };
  for (guint k = 0; k < G_N_ELEMENTS (sizes); k++)
    {
      WslfpDemoParams params;
      wslfp_demo_params_init (&params);
      params.n_exc = sizes[k].n_exc;
      params.duration_ms = 2;
      char error[256] = "";
      WslfpDemoNetwork *net = wslfp_demo_network_run (&params, NULL, NULL, error, sizeof error);
      g_assert_nonnull (net);
      g_assert_cmpuint (net->n_inh, ==, sizes[k].n_exc / 4);
      const struct { const WslfpDemoSpikes *sp; double pairs; } kinds[] = {
        { &net->exc, (double) net->n_exc * (net->n_exc - 1) },
        { &net->inh, (double) net->n_inh * net->n_exc },
      };
      for (guint j = 0; j < G_N_ELEMENTS (kinds); j++)
        {
          double p = sizes[k].p, mean = p * kinds[j].pairs, sd = sqrt (kinds[j].pairs * p * (1 - p));
          double got = (double) kinds[j].sp->indptr[kinds[j].sp->n_pre];
          g_test_message ("%zu excitatory cells, %s: %.0f synapses, %.0f ± %.0f expected", net->n_exc,
                          j == 0 ? "excitatory" : "inhibitory", got, mean, sd);
          g_assert_cmpfloat (fabs (got - mean), <=, 5 * sd);
        }
      wslfp_demo_network_free (net);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sim/out-of-memory", test_demo_network_out_of_memory);
  g_test_add_func ("/sim/limits", test_demo_network_limits);
  g_test_add_func ("/sim/documented-synapses", test_demo_network_documented_synapses);
  g_test_add_func ("/sim/connection-probability", test_demo_network_connection_probability);
  return g_test_run ();
}
