#!/usr/bin/env python3
"""The wslfp Python module's speed, in-process, at the seed size (S = 800,
E = 30, T = 5000): calculate() with mazzoni15_nrn and aussel18, and one
streaming step; beside the original package (a checkout named by
WSLFP_ORIGINAL) on the same arrays in another process.  Run it inside
`meson devenv -C BUILD` (so that `import wslfp` is this project's)."""
import os
import subprocess
import sys
import time

import numpy as np

CASE = r"""
import numpy as np, sys, time, warnings
rng = np.random.default_rng(1)
S, E, T = 800, 30, 5000
elec = np.column_stack([np.zeros(E), np.zeros(E), np.linspace(-600, 600, E)])
src = rng.uniform(-200, 200, (S, 3))
t = np.arange(T) * 0.1
i_a, i_g = rng.random((T, S)), rng.random((T, S))
t_spk = np.sort(rng.uniform(0, 500, 3000))
i_spk = rng.integers(0, 1000, 3000)
J = rng.random((1000, S)) * (rng.random((1000, S)) < 0.1)
warnings.simplefilter("ignore")
"""


def best(f, n=5):
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        f()
        times.append(time.perf_counter() - t0)
    return min(times)


def ours():
    ns = {}
    exec(CASE, ns)
    import wslfp

    out = {}
    for name in ("mazzoni15_nrn", "aussel18"):
        calc = wslfp.from_xyz_coords(ns["elec"], ns["src"], amp_func=getattr(wslfp, name))
        out[name] = best(lambda: calc.calculate(ns["t"], ns["t"], ns["i_a"], ns["t"], ns["i_g"]))
    out["spikes_to_biexp_currents"] = best(lambda: wslfp.spikes_to_biexp_currents(
        ns["t"], ns["t_spk"], ns["i_spk"], ns["J"], 2.0, 0.4))
    calc = wslfp.from_xyz_coords(ns["elec"], ns["src"])
    stream = wslfp.Stream(calc, 0.1)
    step_a, step_g = ns["i_a"][0], ns["i_g"][0]
    n = 5000
    t0 = time.perf_counter()
    for _ in range(n):
        stream.push(step_a, step_g)
    out["stream_step"] = (time.perf_counter() - t0) / n
    return out


ORIGINAL = CASE + r"""
import scipy.sparse
if not hasattr(scipy.sparse, "sparray"):
    scipy.sparse.sparray = scipy.sparse.csr_array
sys.path.insert(0, sys.argv[1])
import wslfp
for name in ("mazzoni15_nrn", "aussel18"):
    calc = wslfp.from_xyz_coords(elec, src, amp_func=getattr(wslfp, name))
    t0 = time.perf_counter(); calc.calculate(t, t, i_a, t, i_g); print(name, time.perf_counter() - t0)
t0 = time.perf_counter(); wslfp.spikes_to_biexp_currents(t, t_spk, i_spk, J, 2.0, 0.4)
print("spikes_to_biexp_currents", time.perf_counter() - t0)
"""


def main():
    got = ours()
    original = {}
    if os.environ.get("WSLFP_ORIGINAL"):
        text = subprocess.run(["/usr/bin/python3", "-c", ORIGINAL, os.environ["WSLFP_ORIGINAL"]], check=True,
                              capture_output=True, text=True).stdout
        original = {line.split()[0]: float(line.split()[1]) for line in text.splitlines()}
    for name in ("mazzoni15_nrn", "aussel18"):
        line = "calculate, %-13s  %7.1f ms" % (name, 1000 * got[name])
        if name in original:
            line += "   original %7.1f ms: %5.1f× (budget ≥ 20×)" % (1000 * original[name], original[name] / got[name])
        print(line)
    name = "spikes_to_biexp_currents"
    line = "%s (3000 spikes, 1000 × 800 J)  %7.1f ms" % (name, 1000 * got[name])
    if name in original:
        line += "   original %7.1f ms: %5.1f× (budget ≥ 50×)" % (1000 * original[name], original[name] / got[name])
    print(line)
    print("Stream.push, one step     %7.1f µs (budget < 50 µs)" % (1e6 * got["stream_step"]))


main()
