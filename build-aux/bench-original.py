#!/usr/bin/env python3
"""Runs the original Python wslfp package (siplab-gt/wslfp, not part of
this project) on one of our dataset files as its users do -- h5py read,
from_xyz_coords, calculate, write -- so that build-aux/bench.sh can print
`wslfp compute` beside it in the same run.  Prints the best of N whole
processes' wall times, per neuron and in population mode.

    bench-original.py ORIGINAL_SRC FILE.h5 [N]

ORIGINAL_SRC is a checkout of the original package; it needs NumPy, SciPy,
h5py, attrs and matplotlib (Debian: python3-numpy python3-scipy python3-h5py
python3-attr python3-matplotlib)."""
import os
import subprocess
import sys
import tempfile
import time

RUN = r"""
import sys
import h5py
import numpy as np
import scipy.sparse
# The original names scipy.sparse.sparray (SciPy >= 1.11) in a type hint
# only; Debian 12 has SciPy 1.10.
if not hasattr(scipy.sparse, "sparray"):
    scipy.sparse.sparray = scipy.sparse.csr_array
sys.path.insert(0, sys.argv[1])
import wslfp
path, out, population = sys.argv[2], sys.argv[3], sys.argv[4] == "1"
with h5py.File(path, "r") as f:
    elec = f["electrodes/xyz_um"][:]
    src = f["sources/xyz_um"][:]
    t_a, i_a = f["currents/ampa/t_ms"][:], f["currents/ampa/I"][:]
    t_g, i_g = f["currents/gaba/t_ms"][:], f["currents/gaba/I"][:]
if population:
    src = src.mean(axis=0, keepdims=True)
    i_a = i_a.sum(axis=1, keepdims=True)
    i_g = i_g.sum(axis=1, keepdims=True)
    calc = wslfp.from_xyz_coords(elec, src, amp_func=wslfp.mazzoni15_pop)
else:
    calc = wslfp.from_xyz_coords(elec, src, amp_func=wslfp.mazzoni15_nrn)
lfp = calc.calculate(t_a, t_a, i_a, t_g, i_g)
with h5py.File(out, "w") as f:
    f["lfp/uV"] = lfp
    f["lfp/t_ms"] = t_a
"""


def best_of(cmd, n):
    best = float("inf")
    for _ in range(n):
        t = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        best = min(best, time.perf_counter() - t)
    return best


def main():
    original, path = sys.argv[1], sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "lfp.h5")
        for population in (0, 1):
            cmd = [sys.executable, "-c", RUN, original, path, out, str(population)]
            print("%s %.3f" % ("population" if population else "per-neuron", best_of(cmd, n)))


main()
