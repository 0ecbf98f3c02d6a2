/* wslfp-example.c: the smallest complete use of libwslfp.
 *
 * 800 pyramidal cells in a 500 µm cube receive random excitatory and
 * inhibitory spikes; libwslfp turns the spikes into AMPA and GABA currents
 * and those into the LFP on a 3-shank × 10-contact probe, which is printed
 * as one row per contact.  Plain C: link with `pkg-config --libs wslfp`. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "wslfp.h"

#define N_SOURCES  800
#define N_PRE      200
#define N_SPIKES   3000
#define N_TIMES    5000
#define DT_MS      0.1
#define N_SHANKS   3
#define N_CONTACTS 10

/* A small deterministic generator, so the example prints the same each run. */
static double
uniform (uint64_t *state)
{
  *state = *state * 6364136223846793005ull + 1442695040888963407ull;
  return (double) (*state >> 11) / 9007199254740992.0;
}

static int
check (WslfpStatus status, const WslfpError *error)
{
  if (status == WSLFP_OK)
    return 0;
  fprintf (stderr, "wslfp-example: %s: %s\n", wslfp_strerror (status), error->message);
  return 1;
}

static double *
random_spike_currents (WslfpSpikes *sp, const double *t, uint64_t *rng, WslfpError *error, WslfpStatus *status)
{
  static double spike_t[N_SPIKES];
  static int64_t spike_i[N_SPIKES];
  double *currents = malloc (sizeof (double) * N_TIMES * N_SOURCES);
  for (int k = 0; k < N_SPIKES; k++)
    {
      spike_t[k] = uniform (rng) * N_TIMES * DT_MS;
      spike_i[k] = (int64_t) (uniform (rng) * N_PRE);
    }
  sp->t_ms = spike_t;
  sp->neuron = spike_i;
  sp->n_spikes = N_SPIKES;
  sp->n_pre = N_PRE;
  sp->n_targets = N_SOURCES;
  *status = wslfp_spikes_to_currents (sp, t, N_TIMES, currents, error);
  return currents;
}

int
main (void)
{
  uint64_t rng = 42;
  double somata[N_SOURCES * 3], probe[N_SHANKS * N_CONTACTS * 3];
  static double t[N_TIMES], lfp[N_TIMES * N_SHANKS * N_CONTACTS];
  WslfpError error;
  WslfpStatus status;

  for (int i = 0; i < N_SOURCES * 3; i++)
    somata[i] = (uniform (&rng) - 0.5) * 500.0;
  for (int s = 0; s < N_SHANKS; s++)
    for (int c = 0; c < N_CONTACTS; c++)
      {
        double *xyz = probe + 3 * (s * N_CONTACTS + c);
        xyz[0] = 250.0 * s;
        xyz[1] = 0.0;
        xyz[2] = -400.0 + c * 1000.0 / (N_CONTACTS - 1);
      }
  for (int j = 0; j < N_TIMES; j++)
    t[j] = j * DT_MS;

  WslfpSpikes exc, inh;
  wslfp_spikes_init (&exc);
  exc.scalar = 0.07 / N_PRE; /* nA per spike, spread over all cells */
  wslfp_spikes_init (&inh);
  inh.scalar = -4 * 0.07 / N_PRE;
  inh.tau_rise_ms = 0.25;
  inh.tau_decay_ms = 5.0;
  double *ampa = random_spike_currents (&exc, t, &rng, &error, &status);
  if (check (status, &error))
    return 1;
  double *gaba = random_spike_currents (&inh, t, &rng, &error, &status);
  if (check (status, &error))
    return 1;

  WslfpGeometry geometry;
  wslfp_geometry_init (&geometry);
  geometry.electrodes_um = probe;
  geometry.n_electrodes = N_SHANKS * N_CONTACTS;
  geometry.sources_um = somata;
  geometry.n_sources = N_SOURCES;

  WslfpProfile *profile;
  WslfpModel *model;
  if (check (wslfp_profile_new (WSLFP_PROFILE_MAZZONI15_SINGLE, &profile, &error), &error)
      || check (wslfp_model_new (&geometry, profile, false, &model, &error), &error))
    return 1;

  WslfpCurrents a, g;
  WslfpOptions options;
  wslfp_currents_init (&a, t, N_TIMES, ampa, N_SOURCES);
  wslfp_currents_init (&g, t, N_TIMES, gaba, N_SOURCES);
  wslfp_options_init (&options);
  if (check (wslfp_compute (model, &a, &g, t, N_TIMES, &options, lfp, &error), &error))
    return 1;

  printf ("WSLFP of %d cells (mazzoni15_single, normalised), %d ms, on %d shanks × %d contacts\n",
          N_SOURCES, (int) (N_TIMES * DT_MS), N_SHANKS, N_CONTACTS);
  printf ("shank  z_um     min_uV      max_uV\n");
  for (int e = 0; e < N_SHANKS * N_CONTACTS; e++)
    {
      double lo = INFINITY, hi = -INFINITY;
      for (int j = 0; j < N_TIMES; j++)
        {
          lo = fmin (lo, lfp[j * N_SHANKS * N_CONTACTS + e]);
          hi = fmax (hi, lfp[j * N_SHANKS * N_CONTACTS + e]);
        }
      printf ("%5d %6.0f %10.4f %10.4f\n", e / N_CONTACTS, probe[3 * e + 2], lo, hi);
    }

  wslfp_model_free (model);
  wslfp_profile_free (profile);
  free (ampa);
  free (gaba);
  return 0;
}
