#!/usr/bin/env python3
"""The wslfp module in Cleo's closed loop, beside the original package.

Cleo (siplab-gt/cleo, cleo/ephys/lfp.py) calls the module once per
simulation step.  This runs a Brian2 network (800 pyramidal + 200
inhibitory cells, dt = sampling period = 0.1 ms) and, at every step, the
four RWSLFP signals as Cleo 0.19 computes them, with Cleo's exact calls:

  psc        RWSLFPSignalFromPSCs, per neuron: calculate([t], t - tau_ampa,
             I_ampa (1, N), t - tau_gaba, I_gaba (1, N), normalize=False)
  psc-pool   the same, pooled (one source at the cells' mean position)
  spk        RWSLFPSignalFromSpikes, per neuron: spikes_to_biexp_currents(
             [t - tau], mon.t / ms, mon.i, J (CSR, n_pre x N), ...) for
             the AMPA and the GABA synapses, then calculate as above
  spk-pool   the same with J summed over targets (dense (n_pre, 1))

Each implementation runs in its own process on the same seed: this
project's (the `wslfp` importable here: run inside `meson devenv -C BUILD`)
and the original (a checkout named by WSLFP_ORIGINAL or --original).  It
prints, per signal, the median time of the module's calls per step and of
the whole signal step (Cleo's buffering included), and the whole
simulation's wall time, and the ratios original / ours.

Usage: build-aux/bench-cleo.py [--original DIR] [--ms 300] [--contacts 32]
"""
import argparse
import json
import os
import subprocess
import sys
import time

SIGNALS = ("psc", "psc-pool", "spk", "spk-pool")


def run_one(duration_ms, n_contacts, only=None):
    """One implementation: the `wslfp` on sys.path.  Returns a dict of
    per-signal per-step times (lists, s) and the wall time."""
    from collections import deque

    import brian2 as b2
    import numpy as np
    from scipy import sparse
    import wslfp

    b2.prefs.codegen.target = "numpy"
    b2.seed(3)
    rng = np.random.default_rng(3)
    n_exc, n_inh = 800, 200
    dt_ms = 0.1
    b2.defaultclock.dt = dt_ms * b2.ms
    cells = b2.NeuronGroup(
        n_exc + n_inh,
        """dv/dt = (-v + I_ampa - I_gaba + I_ext) / (10*ms) : 1 (unless refractory)
           dI_ampa/dt = (s_ampa - I_ampa) / (2*ms) : 1
           ds_ampa/dt = -s_ampa / (0.4*ms) : 1
           dI_gaba/dt = (s_gaba - I_gaba) / (5*ms) : 1
           ds_gaba/dt = -s_gaba / (0.25*ms) : 1
           I_ext : 1""",
        threshold="v > 1", reset="v = 0", refractory=2 * b2.ms, method="euler")
    cells.v = "rand()"
    cells.I_ext = "0.85 + 0.35 * rand()"
    exc, inh = cells[:n_exc], cells[n_exc:]
    ampa_syn = b2.Synapses(exc, exc, model="w : 1", on_pre="s_ampa += w", delay=1 * b2.ms)
    ampa_syn.connect(p=0.1)
    ampa_syn.w = "0.05 + 0.05 * rand()"
    gaba_syn = b2.Synapses(inh, exc, model="w : 1", on_pre="s_gaba += w", delay=1 * b2.ms)
    gaba_syn.connect(p=0.2)
    gaba_syn.w = "0.5 + 0.5 * rand()"
    b2.Synapses(exc, inh, on_pre="s_ampa += 0.1", delay=1 * b2.ms).connect(p=0.1)

    somata = np.column_stack([rng.uniform(-200, 200, (n_exc, 2)), rng.normal(0, 50, n_exc)])
    elec = np.column_stack([np.zeros(n_contacts), np.zeros(n_contacts), np.linspace(-600, 900, n_contacts)])
    orientation = np.tile([0.0, 0.0, 1.0], (n_exc, 1))

    def calculator(pooled):
        # As Cleo's _init_wslfp_calc: pooled sources sit at the mean.
        coords, ornt = (somata.mean(axis=0), orientation.mean(axis=0)) if pooled else (somata, orientation)
        return wslfp.from_xyz_coords(elec, coords, amp_func=wslfp.mazzoni15_nrn, source_orientation=ornt)

    def weights(syn, n_pre, pooled):
        # As Cleo's _create_spk2curr_source.
        J = sparse.lil_array((n_pre, n_exc))
        J[np.array(syn.i[:], dtype=int), np.array(syn.j[:], dtype=int)] = np.asarray(syn.w[:])
        J = J.tocsr()
        return J.sum(axis=1).reshape((-1, 1)) if pooled else J

    ampa_mon = b2.SpikeMonitor(exc)
    gaba_mon = b2.SpikeMonitor(inh)
    kernels = {"ampa": dict(tau1_ms=2.0, tau2_ms=0.4, syn_delay_ms=1.0, threshold=1e-3),
               "gaba": dict(tau1_ms=5.0, tau2_ms=0.25, syn_delay_ms=1.0, threshold=1e-3)}

    class Signal:
        def __init__(self, name):
            self.name = name
            self.pooled = name.endswith("pool")
            self.calc = calculator(self.pooled)
            self.n_sources = 1 if self.pooled else n_exc
            self.call_s, self.step_s = [], []
            if name.startswith("spk"):
                self.J = {"ampa": weights(ampa_syn, n_exc, self.pooled),
                          "gaba": weights(gaba_syn, n_inh, self.pooled)}
            else:
                length = lambda tau: int(np.ceil((tau + dt_ms) / dt_ms))
                self.t_buf = {k: deque(maxlen=length(getattr(self.calc, "tau_%s_ms" % k))) for k in ("ampa", "gaba")}
                self.I_buf = {k: deque(maxlen=length(getattr(self.calc, "tau_%s_ms" % k))) for k in ("ampa", "gaba")}

        def from_buffer(self, kind, t_eval_ms):
            # Cleo's _curr_from_buffer, the cases a regular loop takes.
            t_buf, I_buf = self.t_buf[kind], self.I_buf[kind]
            if len(t_buf) == 0 or t_buf[0] > t_eval_ms or t_buf[-1] < t_eval_ms:
                return np.zeros((1, self.n_sources))
            if np.isclose(t_eval_ms, t_buf[0]):
                return I_buf[0]
            i_l, i_r = 0, 1
            I = I_buf[i_l] + (I_buf[i_r] - I_buf[i_l]) * (t_eval_ms - t_buf[i_l]) / (t_buf[i_r] - t_buf[i_l])
            return np.nan_to_num(np.reshape(I, (1, self.n_sources)), nan=0)

        def step(self, t_now_ms):
            start = time.perf_counter()
            call = 0.0
            calc = self.calc
            t_ampa_ms, t_gaba_ms = t_now_ms - calc.tau_ampa_ms, t_now_ms - calc.tau_gaba_ms
            if self.name.startswith("psc"):
                for kind, var in (("ampa", cells.I_ampa_), ("gaba", cells.I_gaba_)):
                    I = np.zeros((1, n_exc))
                    I += var[:n_exc]
                    if self.pooled:
                        I = np.sum(I)
                    self.t_buf[kind].append(t_now_ms)
                    self.I_buf[kind].append(I)
                I_ampa = self.from_buffer("ampa", t_ampa_ms)
                I_gaba = self.from_buffer("gaba", t_gaba_ms)
            else:
                currents = {}
                for kind, mon, t in (("ampa", ampa_mon, t_ampa_ms), ("gaba", gaba_mon, t_gaba_ms)):
                    t_spk, i_spk = mon.t / b2.ms, mon.i
                    I = np.zeros((1, self.n_sources))
                    c0 = time.perf_counter()
                    step_I = wslfp.spikes_to_biexp_currents([t], t_spk, i_spk, self.J[kind], **kernels[kind])
                    call += time.perf_counter() - c0
                    I += step_I
                    currents[kind] = I
                I_ampa, I_gaba = currents["ampa"], currents["gaba"]
            lfp = np.zeros((1, len(elec)))
            c0 = time.perf_counter()
            step_lfp = calc.calculate([t_now_ms], t_ampa_ms, I_ampa, t_gaba_ms, I_gaba, normalize=False)
            call += time.perf_counter() - c0
            lfp += step_lfp
            self.call_s.append(call)
            self.step_s.append(time.perf_counter() - start)
            return lfp

    signals = [Signal(name) for name in (only or SIGNALS)]
    record = {s.name: [] for s in signals}

    @b2.network_operation(dt=dt_ms * b2.ms, when="end")
    def probe(t):
        t_now_ms = round(t / b2.ms, 3)
        for s in signals:
            record[s.name].append(s.step(t_now_ms)[0])

    net = b2.Network(b2.collect())
    net.add(probe)
    net.run(10 * b2.ms)  # code generation and first-call costs out of the way
    for s in signals:
        s.call_s.clear()
        s.step_s.clear()
    start = time.perf_counter()
    net.run(duration_ms * b2.ms)
    wall = time.perf_counter() - start
    out = {"wall_s": wall, "spikes": int(ampa_mon.num_spikes + gaba_mon.num_spikes), "module": wslfp.__file__}
    for s in signals:
        out[s.name] = {"call_s": float(np.median(s.call_s)), "step_s": float(np.median(s.step_s)),
                       "lfp_rms": float(np.sqrt(np.mean(np.square(record[s.name]))))}
    return out


def child(args):
    if args.impl == "original":
        import scipy.sparse
        if not hasattr(scipy.sparse, "sparray"):  # the original names it; SciPy < 1.11 lacks it
            scipy.sparse.sparray = scipy.sparse.csr_array
        sys.path.insert(0, args.original)
    import warnings
    warnings.simplefilter("ignore")  # the first 6 ms ask for currents before the start
    import wslfp
    here = os.path.dirname(os.path.abspath(wslfp.__file__))
    if args.impl == "original" and not here.startswith(os.path.abspath(args.original)):
        sys.exit("bench-cleo: `import wslfp` found %s, not the original in %s (a checkout with a work tree)"
                 % (here, args.original))
    print(json.dumps(run_one(args.ms, args.contacts, args.only and args.only.split(","))))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--original", default=os.environ.get("WSLFP_ORIGINAL"))
    parser.add_argument("--ms", type=float, default=300.0, help="simulated time (default 300 ms)")
    parser.add_argument("--contacts", type=int, default=32)
    parser.add_argument("--only", help="a comma-separated list of signals")
    parser.add_argument("--impl", choices=("ours", "original"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.impl:
        return child(args)

    def measure(impl):
        cmd = [sys.executable, __file__, "--impl", impl, "--ms", str(args.ms), "--contacts", str(args.contacts)]
        if args.original:
            cmd += ["--original", args.original]
        if args.only:
            cmd += ["--only", args.only]
        return json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)

    ours = measure("ours")
    original = measure("original") if args.original else None
    load = os.getloadavg()[0]
    print("Cleo's loop: 800 + 200 cells, %d contacts, %.0f ms at 0.1 ms (%d steps, %d spikes), load %.2f"
          % (args.contacts, args.ms, round(args.ms / 0.1), ours["spikes"], load))
    print("%-9s %12s %12s %12s %12s %8s %8s" % ("signal", "calls µs", "orig. µs", "step µs", "orig. µs",
                                                "calls ×", "step ×"))
    for name in (args.only.split(",") if args.only else SIGNALS):
        o = ours[name]
        line = "%-9s %12.1f" % (name, 1e6 * o["call_s"])
        if original:
            g = original[name]
            line += " %12.1f %12.1f %12.1f %8.1f %8.1f" % (1e6 * g["call_s"], 1e6 * o["step_s"], 1e6 * g["step_s"],
                                                         g["call_s"] / o["call_s"], g["step_s"] / o["step_s"])
            scale = max(abs(g["lfp_rms"]), 1e-300)
            line += "   rms LFP %.6g vs %.6g" % (o["lfp_rms"], g["lfp_rms"])
        else:
            line += " %12s %12.1f" % ("", 1e6 * o["step_s"])
        print(line)
    line = "whole simulation %.2f s" % ours["wall_s"]
    if original:
        line += ", original %.2f s (%.1f×)" % (original["wall_s"], original["wall_s"] / ours["wall_s"])
    print(line)


if __name__ == "__main__":
    main()
