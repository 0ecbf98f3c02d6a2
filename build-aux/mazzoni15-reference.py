#!/usr/bin/env python3
"""Reference values of the built-in Mazzoni profiles, computed as the
original Python package computes them (SciPy's LinearNDInterpolator on the
Fig. 2B sample points, in their order; 0 outside; odd in d), for the
engine's test.  Run once; the output is committed:
    build-aux/mazzoni15-reference.py tests/data/mazzoni15_fig2b_grid.csv > tests/data/mazzoni15_delaunay_points.csv
Points: 3000 at random inside and around the grid, on its lines and nodes,
on its edges and just outside, for both signs of d.  Needs SciPy."""
import csv
import sys

import numpy as np
from scipy.interpolate import LinearNDInterpolator

rows = list(csv.DictReader(open(sys.argv[1])))
samples = np.array([[float(x["r_um"]), float(x["d_um"]), float(x["amp_uV"])] for x in rows])
interp = LinearNDInterpolator(samples[:, :2], samples[:, 2])


def mazzoni15(r, d):
    return np.nan_to_num(interp(r, np.abs(d)) * np.sign(d))


def mazzoni15_single(r, d):
    return 1.82849 * mazzoni15(1.31724 * r, 1.22438 * d)


rng = np.random.default_rng(2015)
r_nodes, d_nodes = np.unique(samples[:, 0]), np.unique(samples[:, 1])
n = 3000
r = rng.uniform(0, 1100, n)
d = rng.uniform(-2200, 2200, n)
r[:300] = rng.choice(r_nodes, 300)                                   # on r lines
d[300:600] = rng.choice(d_nodes, 300) * rng.choice([-1, 1], 300)     # on d lines
r[600:700], d[600:700] = rng.choice(r_nodes, 100), rng.choice(d_nodes, 100) * rng.choice([-1, 1], 100)  # nodes
r[700:750] = 1000.0                                                  # the far edge, and just past it
r[750:800] = 1000.0 * (1 + 1e-9)
d[800:850] = 2000.0 * rng.choice([-1, 1], 50)
d[850:900] = 0.0
r[900:1900] = rng.uniform(0, 1000 / 1.31724, 1000)                  # where mazzoni15_single is inside
d[900:1900] = rng.uniform(-2000 / 1.22438, 2000 / 1.22438, 1000)
out = csv.writer(sys.stdout, lineterminator="\n")
out.writerow(["r_um", "d_um", "mazzoni15", "mazzoni15_single"])
for row in zip(r, d, mazzoni15(r, d), mazzoni15_single(r, d)):
    out.writerow([repr(float(v)) for v in row])
