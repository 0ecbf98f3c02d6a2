/* wslfp-demo-network.h: the built-in demo, a balanced E/I network of
 * leaky integrate-and-fire neurons (the original wslfp package's README
 * example), simulated in C.  C11 only, reentrant, deterministic per seed. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct
{
  size_t n_exc;            /* excitatory (pyramidal) cells, default 800; inhibitory = n_exc / 4 */
  double duration_ms;      /* default 500 */
  double dt_ms;            /* default 0.1 */
  uint64_t seed;           /* default 1 */
  double tau_m_ms;         /* 20 */
  double r_mohm;           /* 100 */
  double v_rest_mv;        /* -70 */
  double v_reset_mv;       /* -60 */
  double v_threshold_mv;   /* -50 */
  double refractory_ms;    /* 2 */
  double p_connect;        /* 0.1, at most: */
  double in_degree_exc;    /* 80 excitatory and */
  double in_degree_inh;    /* 20 inhibitory inputs per cell on average, so
                              that larger networks stay asynchronous */
  double j_na;             /* 0.07; inhibitory weight is -4 J */
  double g_inh;            /* 4 */
  double delay_ms;         /* 1.5 */
  double ampa_rise_ms, ampa_decay_ms; /* 0.4, 2 */
  double gaba_rise_ms, gaba_decay_ms; /* 0.25, 5 */
  size_t n_poisson;        /* 1000 external inputs per cell */
  double poisson_rate_hz;  /* 9 */
  double poisson_weight_mv; /* 0.1 */
  double cube_um;          /* somata uniform in a cube of this side, centred on 0: 500 */
} WslfpDemoParams;

/* One spike population with its weights onto the excitatory cells (CSR,
 * n_pre × n_exc) and its synaptic kernel (the `ode` form). */
typedef struct
{
  size_t n_pre;
  size_t n_spikes;
  double *t_ms;
  int64_t *neuron;
  int64_t *indptr;  /* n_pre + 1 */
  int64_t *indices; /* nnz */
  double *weights;  /* nnz, nA */
  double tau_rise_ms, tau_decay_ms, delay_ms;
} WslfpDemoSpikes;

typedef struct
{
  size_t n_exc, n_inh, n_steps;
  double dt_ms;
  double *t_ms;        /* n_steps */
  double *somata_um;   /* n_exc × 3 */
  double *inh_somata_um; /* n_inh × 3, in the same cube (the inhibitory
                            cells' positions, which only TKLFP uses) */
  double *i_ampa;      /* n_steps × n_exc, nA; recorded at t_ms */
  double *i_gaba;      /* n_steps × n_exc */
  WslfpDemoSpikes exc;
  WslfpDemoSpikes inh;
  double rate_exc_hz;
  double rate_inh_hz;
} WslfpDemoNetwork;

/* The default probe: 3 shanks (x = 0, 250, 500 µm, y = 0) × 10 contacts,
 * z from −400 to 600 µm; contacts shank by shank, deepest first. */
#define WSLFP_DEMO_PROBE_SHANKS   3
#define WSLFP_DEMO_PROBE_CONTACTS 10
void wslfp_demo_probe (double xyz_um[WSLFP_DEMO_PROBE_SHANKS * WSLFP_DEMO_PROBE_CONTACTS * 3],
                       int shank[WSLFP_DEMO_PROBE_SHANKS * WSLFP_DEMO_PROBE_CONTACTS]);

void wslfp_demo_params_init (WslfpDemoParams *params);

/* splitmix64 (Steele, Lea & Flood 2014): the next number of a fast 64-bit
 * sequence from @state.  It seeds the demo's generator (xoshiro256**), and
 * is quick enough to make synthetic networks of 10^9 values. */
uint64_t wslfp_demo_splitmix64 (uint64_t *state);

/* Called every few ms of simulated time; return non-zero to stop. */
typedef int (*WslfpDemoProgress) (double fraction, void *user_data);

/* Runs the simulation.  Returns NULL and writes a message into @error
 * (@error_size bytes) on bad parameters, cancellation or lack of memory. */
WslfpDemoNetwork *wslfp_demo_network_run (const WslfpDemoParams *params, WslfpDemoProgress progress,
                                          void *user_data, char *error, size_t error_size);
void wslfp_demo_network_free (WslfpDemoNetwork *net);
