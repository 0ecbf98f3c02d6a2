#!/usr/bin/env python3
"""The kernel LFP's speed: this project's `tklfp` module against the tklfp
package (a checkout named by TKLFP_ORIGINAL or --original) on the Brian2
fixture network's spikes (tests/data/brian_small.h5: 200 excitatory + 50
inhibitory cells, placed at random in a 400 µm cube), 32 contacts of a
linear probe, T = 5000 evaluation times over the 300 ms; each in its own
process, best of 5.  Run inside `meson devenv -C BUILD`.
Usage: build-aux/bench-tklfp.py [--original DIR]"""
import argparse
import json
import os
import subprocess
import sys
import time

CASE = r"""
import h5py, numpy as np, time, json, sys
with h5py.File(sys.argv[1], "r") as f:
    t_spk = np.concatenate([f["spikes/exc/t_ms"][()], f["spikes/inh/t_ms"][()]])
    i_spk = np.concatenate([f["spikes/exc/i"][()], 200 + f["spikes/inh/i"][()]])
rng = np.random.default_rng(5)
xyz = rng.uniform(-0.2, 0.2, (250, 3))
exc = np.arange(250) < 200
elec = np.column_stack([np.zeros(32), np.zeros(32), np.linspace(-0.6, 0.9, 32)])
t_eval = np.arange(5000) * 0.06
from tklfp import TKLFP
model = TKLFP(xyz[:, 0], xyz[:, 1], xyz[:, 2], exc, elec)
best = 1e9
for _ in range(5):
    t0 = time.perf_counter(); lfp = model.compute(i_spk, t_spk, t_eval); best = min(best, time.perf_counter() - t0)
print(json.dumps({"s": best, "spikes": len(t_spk), "rms": float(np.sqrt(np.mean(lfp ** 2))), "module": sys.modules["tklfp"].__file__}))
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--original", default=os.environ.get("TKLFP_ORIGINAL"))
    args = parser.parse_args()
    data = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "data", "brian_small.h5")
    ours = json.loads(subprocess.run([sys.executable, "-c", CASE, data], check=True, capture_output=True,
                                     text=True).stdout)
    line = "TKLFP compute, %d spikes, 32 contacts, T = 5000: %.1f ms" % (ours["spikes"], 1e3 * ours["s"])
    if args.original:
        env = dict(os.environ, PYTHONPATH=args.original)
        theirs = json.loads(subprocess.run([sys.executable, "-c", CASE, data], check=True, capture_output=True,
                                           text=True, env=env).stdout)
        assert theirs["module"].startswith(os.path.abspath(args.original)), theirs["module"]
        line += ", the package %.1f ms (%.0f×); rms %.9g vs %.9g" % (1e3 * theirs["s"], theirs["s"] / ours["s"],
                                                                      ours["rms"], theirs["rms"])
    print(line)


main()
