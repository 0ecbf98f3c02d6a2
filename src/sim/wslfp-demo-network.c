/* wslfp-demo-network.c: the demo E/I network.
 *
 * Per step n (time t_n = n·dt), in Brian2's order: synaptic currents at t_n
 * from two decaying sums per cell (the same exact formulation as
 * wslfp_spikes_to_currents, so the recorded currents and the spikes agree);
 * membrane update over the step with those currents (exact for a constant
 * current); threshold; external Poisson kicks; reset.  A spike at t_n
 * reaches its targets at t_n + delay. */
#include "wslfp-demo-network.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
wslfp_demo_params_init (WslfpDemoParams *p)
{
  memset (p, 0, sizeof *p);
  p->n_exc = 800;
  p->duration_ms = 500.0;
  p->dt_ms = 0.1;
  p->seed = 1;
  p->tau_m_ms = 20.0;
  p->r_mohm = 100.0;
  p->v_rest_mv = -70.0;
  p->v_reset_mv = -60.0;
  p->v_threshold_mv = -50.0;
  p->refractory_ms = 2.0;
  p->p_connect = 0.1;
  p->in_degree_exc = 80;  /* 0.1 × 800, the seed's network */
  p->in_degree_inh = 20;  /* 0.1 × 200 */
  p->j_na = 0.07;
  p->g_inh = 4.0;
  p->delay_ms = 1.5;
  p->ampa_rise_ms = 0.4;
  p->ampa_decay_ms = 2.0;
  p->gaba_rise_ms = 0.25;
  p->gaba_decay_ms = 5.0;
  p->n_poisson = 1000;
  p->poisson_rate_hz = 9.0;
  p->poisson_weight_mv = 0.1;
  p->cube_um = 500.0;
}

void
wslfp_demo_probe (double xyz_um[WSLFP_DEMO_PROBE_SHANKS * WSLFP_DEMO_PROBE_CONTACTS * 3],
                  int shank[WSLFP_DEMO_PROBE_SHANKS * WSLFP_DEMO_PROBE_CONTACTS])
{
  for (int s = 0; s < WSLFP_DEMO_PROBE_SHANKS; s++)
    for (int c = 0; c < WSLFP_DEMO_PROBE_CONTACTS; c++)
      {
        int e = s * WSLFP_DEMO_PROBE_CONTACTS + c;
        xyz_um[3 * e] = 250.0 * s;
        xyz_um[3 * e + 1] = 0.0;
        xyz_um[3 * e + 2] = -400.0 + 1000.0 * c / (WSLFP_DEMO_PROBE_CONTACTS - 1);
        if (shank != NULL)
          shank[e] = s;
      }
}

/* ---- random numbers: xoshiro256** seeded by splitmix64 ---- */

typedef struct { uint64_t s[4]; } Rng;

uint64_t
wslfp_demo_splitmix64 (uint64_t *x)
{
  uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

static void
rng_seed (Rng *r, uint64_t seed)
{
  for (int i = 0; i < 4; i++)
    r->s[i] = wslfp_demo_splitmix64 (&seed);
}

static inline uint64_t
rotl (uint64_t x, int k)
{
  return (x << k) | (x >> (64 - k));
}

static inline uint64_t
rng_next (Rng *r)
{
  uint64_t *s = r->s;
  uint64_t result = rotl (s[1] * 5, 7) * 9, t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl (s[3], 45);
  return result;
}

/* Uniform in [0, 1). */
static inline double
rng_uniform (Rng *r)
{
  return (double) (rng_next (r) >> 11) * 0x1.0p-53;
}

/* Poisson with mean e^{−lambda} = @exp_minus_lambda (Knuth; lambda ~ 1). */
static inline int
rng_poisson (Rng *r, double exp_minus_lambda)
{
  int k = 0;
  double p = rng_uniform (r);
  while (p > exp_minus_lambda)
    {
      k++;
      p *= rng_uniform (r);
    }
  return k;
}

/* ---- helpers ---- */

static void
set_error (char *error, size_t size, const char *format, ...)
{
  if (error == NULL || size == 0)
    return;
  va_list args;
  va_start (args, format);
  vsnprintf (error, size, format, args);
  va_end (args);
}

typedef struct
{
  int64_t *data;
  size_t len, cap;
} IntVec;

static bool
vec_push (IntVec *v, int64_t x)
{
  if (v->len == v->cap)
    {
      size_t cap = v->cap ? 2 * v->cap : 1024;
      int64_t *d = realloc (v->data, cap * sizeof *d);
      if (d == NULL)
        return false;
      v->data = d;
      v->cap = cap;
    }
  v->data[v->len++] = x;
  return true;
}

/* Connections of @n_pre presynaptic cells onto all @n_post cells with
 * probability p, no self-connections (pre and post indices share @offset
 * when a population connects to itself); CSR into @indptr/@targets. */
static bool
connect (Rng *r, size_t n_pre, size_t pre_offset, size_t n_post, double p, int64_t *indptr, IntVec *targets)
{
  indptr[0] = 0;
  if (p <= 0)
    {
      /* No synapses: not n_pre × n_post draws that all fail (minutes at
       * the largest size). */
      for (size_t i = 0; i < n_pre; i++)
        indptr[i + 1] = 0;
      return true;
    }
  for (size_t i = 0; i < n_pre; i++)
    {
      for (size_t j = 0; j < n_post; j++)
        if (j != i + pre_offset && rng_uniform (r) < p)
          if (!vec_push (targets, (int64_t) j))
            return false;
      indptr[i + 1] = (int64_t) targets->len;
    }
  return true;
}

/* The part of a CSR over all cells that lands on the first n_exc cells:
 * what the file stores (the sources are the excitatory cells). */
static bool
restrict_to_exc (WslfpDemoSpikes *out, size_t n_pre, const int64_t *indptr, const IntVec *targets,
                 size_t n_exc, double weight)
{
  size_t nnz = 0;
  for (size_t k = 0; k < targets->len; k++)
    nnz += (size_t) targets->data[k] < n_exc;
  out->n_pre = n_pre;
  out->indptr = malloc ((n_pre + 1) * sizeof (int64_t));
  out->indices = malloc ((nnz ? nnz : 1) * sizeof (int64_t));
  out->weights = malloc ((nnz ? nnz : 1) * sizeof (double));
  if (out->indptr == NULL || out->indices == NULL || out->weights == NULL)
    return false;
  size_t w = 0;
  out->indptr[0] = 0;
  for (size_t i = 0; i < n_pre; i++)
    {
      for (int64_t k = indptr[i]; k < indptr[i + 1]; k++)
        if ((size_t) targets->data[k] < n_exc)
          {
            out->indices[w] = targets->data[k];
            out->weights[w] = weight;
            w++;
          }
      out->indptr[i + 1] = (int64_t) w;
    }
  return true;
}

void
wslfp_demo_network_free (WslfpDemoNetwork *net)
{
  if (net == NULL)
    return;
  free (net->t_ms);
  free (net->somata_um);
  free (net->inh_somata_um);
  free (net->i_ampa);
  free (net->i_gaba);
  WslfpDemoSpikes *groups[2] = { &net->exc, &net->inh };
  for (int g = 0; g < 2; g++)
    {
      free (groups[g]->t_ms);
      free (groups[g]->neuron);
      free (groups[g]->indptr);
      free (groups[g]->indices);
      free (groups[g]->weights);
    }
  free (net);
}

static bool
check_params (const WslfpDemoParams *p, char *error, size_t size)
{
  if (p->n_exc < 4 || p->n_exc > 200000)
    return set_error (error, size, "--neurons must be between 4 and 200000 (got %zu)", p->n_exc), false;
  if (!(p->duration_ms > 0 && p->duration_ms <= 600000))
    return set_error (error, size, "--duration-ms must be in (0, 600000] (got %.10g)", p->duration_ms), false;
  if (!(p->dt_ms > 0 && p->dt_ms <= 1))
    return set_error (error, size, "dt_ms must be in (0, 1] (got %.10g)", p->dt_ms), false;
  if (!(p->ampa_decay_ms > p->ampa_rise_ms && p->ampa_rise_ms > 0 && p->gaba_decay_ms > p->gaba_rise_ms
        && p->gaba_rise_ms > 0))
    return set_error (error, size, "synaptic time constants need decay > rise > 0"), false;
  /* (each range said with the field that left it: these come from
   * library callers, who set the fields by name) */
  if (!(p->delay_ms >= 0))
    return set_error (error, size, "delay_ms must be >= 0 (got %.10g)", p->delay_ms), false;
  if (!(p->tau_m_ms > 0))
    return set_error (error, size, "tau_m_ms must be > 0 (got %.10g)", p->tau_m_ms), false;
  if (!(p->p_connect >= 0 && p->p_connect <= 1))
    return set_error (error, size, "p_connect must be in [0, 1] (got %.10g)", p->p_connect), false;
  if (!(p->in_degree_exc >= 0 && p->in_degree_inh >= 0))
    return set_error (error, size, "in_degree_exc and in_degree_inh must be >= 0 (got %.10g, %.10g)",
                      p->in_degree_exc, p->in_degree_inh), false;
  return true;
}

typedef struct
{
  double *d, *r;   /* decaying sums, one per cell */
  double ed, er;   /* per-step decay factors */
  double gain;     /* ode scaling τr/(τd − τr) */
} Synapse;

static void
synapse_step (Synapse *s, size_t n)
{
  for (size_t i = 0; i < n; i++)
    {
      s->d[i] *= s->ed;
      s->r[i] *= s->er;
    }
}

WslfpDemoNetwork *
wslfp_demo_network_run (const WslfpDemoParams *p, WslfpDemoProgress progress, void *user_data, char *error,
                        size_t error_size)
{
  if (!check_params (p, error, error_size))
    return NULL;

  size_t n_exc = p->n_exc, n_inh = p->n_exc / 4, n = n_exc + n_inh;
  size_t n_steps = (size_t) llround (p->duration_ms / p->dt_ms);
  size_t delay_steps = (size_t) llround (p->delay_ms / p->dt_ms);
  size_t refractory_steps = (size_t) llround (p->refractory_ms / p->dt_ms);
  Rng rng;
  rng_seed (&rng, p->seed);

  WslfpDemoNetwork *net = calloc (1, sizeof *net);
  double *v = malloc (n * sizeof (double));
  int *refractory = calloc (n, sizeof (int));
  double *state = calloc (4 * n, sizeof (double));
  int64_t *indptr_e = malloc ((n_exc + 1) * sizeof (int64_t));
  int64_t *indptr_i = malloc ((n_inh + 1) * sizeof (int64_t));
  IntVec targets_e = { 0 }, targets_i = { 0 }, spikes = { 0 }; /* spikes: step * n + cell */
  bool ok = net && v && refractory && state && indptr_e && indptr_i;
  if (ok)
    {
      net->n_exc = n_exc;
      net->n_inh = n_inh;
      net->n_steps = n_steps;
      net->dt_ms = p->dt_ms;
      ok = (net->t_ms = malloc (n_steps * sizeof (double))) && (net->somata_um = malloc (n_exc * 3 * sizeof (double)))
           && (net->inh_somata_um = malloc (n_inh * 3 * sizeof (double))) /* (n_inh >= 1: n_exc >= 4) */
           && (net->i_ampa = malloc (n_steps * n_exc * sizeof (double)))
           && (net->i_gaba = malloc (n_steps * n_exc * sizeof (double)));
    }
  if (ok)
    {
      for (size_t i = 0; i < n_exc * 3; i++)
        net->somata_um[i] = (rng_uniform (&rng) - 0.5) * p->cube_um;
      /* From a stream of their own, so that adding them changed nothing
       * else the seed gives. */
      Rng place;
      rng_seed (&place, p->seed ^ UINT64_C (0x1a2b3c4d5e6f7081));
      for (size_t i = 0; i < n_inh * 3; i++)
        net->inh_somata_um[i] = (rng_uniform (&place) - 0.5) * p->cube_um;
      for (size_t i = 0; i < n; i++)
        v[i] = p->v_rest_mv + rng_uniform (&rng) * (p->v_threshold_mv - p->v_rest_mv);
      /* Cells 0 .. n_exc − 1 are excitatory, then inhibitory. */
      /* Brunel's rule: a fixed number of inputs per cell, so the input a
       * cell gets does not grow with N (with a fixed probability a network
       * of 4000 fires at 260 Hz).  Up to 800 + 200 cells the probability
       * stays 0.1: the seed's network is unchanged. */
      double p_exc = fmin (p->p_connect, p->in_degree_exc / (double) n_exc);
      double p_inh = fmin (p->p_connect, p->in_degree_inh / (double) n_inh); /* (n_inh >= 1: n_exc >= 4) */
      ok = connect (&rng, n_exc, 0, n, p_exc, indptr_e, &targets_e)
           && connect (&rng, n_inh, n_exc, n, p_inh, indptr_i, &targets_i);
    }
  if (!ok)
    {
      set_error (error, error_size, "out of memory for a network of %zu cells and %zu steps", n, n_steps);
      ok = false;
      goto done;
    }

  Synapse ampa = { state, state + n, exp (-p->dt_ms / p->ampa_decay_ms), exp (-p->dt_ms / p->ampa_rise_ms),
                   p->ampa_rise_ms / (p->ampa_decay_ms - p->ampa_rise_ms) };
  Synapse gaba = { state + 2 * n, state + 3 * n, exp (-p->dt_ms / p->gaba_decay_ms),
                   exp (-p->dt_ms / p->gaba_rise_ms), p->gaba_rise_ms / (p->gaba_decay_ms - p->gaba_rise_ms) };
  double w_exc = p->j_na, w_inh = -p->g_inh * p->j_na;
  double decay_m = exp (-p->dt_ms / p->tau_m_ms);
  double exp_minus_lambda = exp (-(double) p->n_poisson * p->poisson_rate_hz * p->dt_ms * 1e-3);
  size_t next_arrival = 0; /* first spike in `spikes` not yet delivered */
  size_t report_every = n_steps / 50 + 1;

  for (size_t step = 0; step < n_steps; step++)
    {
      /* 1. synaptic currents at t_step, with arrivals due now */
      if (step > 0)
        {
          synapse_step (&ampa, n);
          synapse_step (&gaba, n);
        }
      for (; next_arrival < spikes.len && (size_t) (spikes.data[next_arrival] / (int64_t) n) + delay_steps <= step;
           next_arrival++)
        {
          size_t pre = (size_t) (spikes.data[next_arrival] % (int64_t) n);
          bool exc = pre < n_exc;
          Synapse *syn = exc ? &ampa : &gaba;
          const int64_t *ptr = exc ? indptr_e : indptr_i;
          const IntVec *tg = exc ? &targets_e : &targets_i;
          size_t row = exc ? pre : pre - n_exc;
          double w = exc ? w_exc : w_inh;
          for (int64_t k = ptr[row]; k < ptr[row + 1]; k++)
            {
              syn->d[tg->data[k]] += w;
              syn->r[tg->data[k]] += w;
            }
        }
      net->t_ms[step] = step * p->dt_ms;
      double *ia = net->i_ampa + step * n_exc, *ig = net->i_gaba + step * n_exc;
      for (size_t i = 0; i < n_exc; i++)
        {
          ia[i] = ampa.gain * (ampa.d[i] - ampa.r[i]);
          ig[i] = gaba.gain * (gaba.d[i] - gaba.r[i]);
        }

      /* 2. membrane, threshold, external input, reset */
      for (size_t i = 0; i < n; i++)
        {
          if (refractory[i] > 0)
            refractory[i]--;
          else
            {
              double current = ampa.gain * (ampa.d[i] - ampa.r[i]) + gaba.gain * (gaba.d[i] - gaba.r[i]);
              double v_inf = p->v_rest_mv + p->r_mohm * current; /* MΩ · nA = mV */
              v[i] = v_inf + (v[i] - v_inf) * decay_m;
            }
          bool spiked = refractory[i] == 0 && v[i] > p->v_threshold_mv;
          v[i] += p->poisson_weight_mv * rng_poisson (&rng, exp_minus_lambda);
          if (spiked)
            {
              if (!vec_push (&spikes, (int64_t) (step * n + i)))
                {
                  set_error (error, error_size, "out of memory for spikes");
                  ok = false;
                  goto done;
                }
              v[i] = p->v_reset_mv;
              refractory[i] = (int) refractory_steps;
            }
        }
      if (progress != NULL && step % report_every == 0 && progress ((double) step / n_steps, user_data) != 0)
        {
          set_error (error, error_size, "simulation cancelled");
          ok = false;
          goto done;
        }
    }

  /* Split the spikes by population; restrict weights to the sources. */
  size_t n_spk_e = 0;
  for (size_t k = 0; k < spikes.len; k++)
    n_spk_e += (size_t) (spikes.data[k] % (int64_t) n) < n_exc;
  WslfpDemoSpikes *g_e = &net->exc, *g_i = &net->inh;
  g_e->n_spikes = n_spk_e;
  g_i->n_spikes = spikes.len - n_spk_e;
  g_e->t_ms = malloc ((n_spk_e + 1) * sizeof (double));
  g_e->neuron = malloc ((n_spk_e + 1) * sizeof (int64_t));
  g_i->t_ms = malloc ((g_i->n_spikes + 1) * sizeof (double));
  g_i->neuron = malloc ((g_i->n_spikes + 1) * sizeof (int64_t));
  if (!g_e->t_ms || !g_e->neuron || !g_i->t_ms || !g_i->neuron
      || !restrict_to_exc (g_e, n_exc, indptr_e, &targets_e, n_exc, w_exc)
      || !restrict_to_exc (g_i, n_inh, indptr_i, &targets_i, n_exc, w_inh))
    {
      set_error (error, error_size, "out of memory for spikes");
      ok = false;
      goto done;
    }
  size_t ke = 0, ki = 0;
  for (size_t k = 0; k < spikes.len; k++)
    {
      size_t step = (size_t) (spikes.data[k] / (int64_t) n), cell = (size_t) (spikes.data[k] % (int64_t) n);
      if (cell < n_exc)
        {
          g_e->t_ms[ke] = step * p->dt_ms;
          g_e->neuron[ke++] = (int64_t) cell;
        }
      else
        {
          g_i->t_ms[ki] = step * p->dt_ms;
          g_i->neuron[ki++] = (int64_t) (cell - n_exc);
        }
    }
  g_e->tau_rise_ms = p->ampa_rise_ms;
  g_e->tau_decay_ms = p->ampa_decay_ms;
  g_i->tau_rise_ms = p->gaba_rise_ms;
  g_i->tau_decay_ms = p->gaba_decay_ms;
  g_e->delay_ms = g_i->delay_ms = delay_steps * p->dt_ms;
  double seconds = n_steps * p->dt_ms * 1e-3;
  net->rate_exc_hz = g_e->n_spikes / (n_exc * seconds);
  net->rate_inh_hz = g_i->n_spikes / (n_inh * seconds);
  if (progress != NULL)
    progress (1.0, user_data);
  ok = true;

done:
  free (v);
  free (refractory);
  free (state);
  free (indptr_e);
  free (indptr_i);
  free (targets_e.data);
  free (targets_i.data);
  free (spikes.data);
  if (!ok)
    {
      wslfp_demo_network_free (net);
      net = NULL;
    }
  return net;
}
