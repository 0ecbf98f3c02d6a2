#!/usr/bin/env python3
"""Budgets of issue 19 for SONATA input and NWB output (README, "Tests and
benchmarks"): a SONATA network of 10^5 nodes, 10^7 edges and 10^6 spikes,
made here with h5py, then

  wslfp info CONFIG                       (<= 3 s)
  wslfp compute CONFIG  vs  the same from its `wslfp convert`ed dataset
                         (E = 384, T = 10 000; <= 1.5x)
  peak RSS of compute CONFIG             (<= 16 bytes per edge + 300 MB)
  writing the LFP as .nwb vs as .h5      (<= 1.2x; tests/bench-nwb)

Usage: bench-sonata.py BUILD_DIR WORK_DIR [--nodes N --edges M --spikes K]
Each timing is the best of 3 runs of the whole process (/usr/bin/time).
"""
import argparse
import json
import os
import re
import subprocess
import sys
import time

import h5py
import numpy as np


def make_network(root, n_nodes, n_edges, n_spikes, seed=1):
    rng = np.random.default_rng(seed)
    os.makedirs(os.path.join(root, "network"), exist_ok=True)
    os.makedirs(os.path.join(root, "output"), exist_ok=True)
    n_e = int(0.8 * n_nodes)
    types = np.where(np.arange(n_nodes) < n_e, 100, 101)
    with h5py.File(os.path.join(root, "network", "nodes.h5"), "w") as f:
        p = f.create_group("nodes/cortex")
        p["node_id"] = np.arange(n_nodes, dtype=np.uint64)
        p["node_type_id"] = types.astype(np.uint64)
        p["node_group_id"] = np.zeros(n_nodes, np.uint16)
        p["node_group_index"] = np.arange(n_nodes, dtype=np.uint64)
        r = 400 * np.sqrt(rng.uniform(0, 1, n_nodes))
        a = rng.uniform(0, 2 * np.pi, n_nodes)
        p["0/x"] = r * np.cos(a)
        p["0/y"] = rng.uniform(-800, 0, n_nodes)   # depth along y, as BMTK
        p["0/z"] = r * np.sin(a)
        p["0/rotation_angle_yaxis"] = rng.uniform(0, 2 * np.pi, n_nodes)
    with open(os.path.join(root, "network", "node_types.csv"), "w") as f:
        f.write("node_type_id ei model_type model_template\n100 e point_process nest:iaf_psc_alpha\n"
                "101 i point_process nest:iaf_psc_alpha\n")
    # edges sorted by target, as BMTK writes them
    tgt = np.sort(rng.integers(0, n_nodes, n_edges)).astype(np.uint64)
    src = rng.integers(0, n_nodes, n_edges).astype(np.uint64)
    with h5py.File(os.path.join(root, "network", "edges.h5"), "w") as f:
        e = f.create_group("edges/cortex_to_cortex")
        e["source_node_id"] = src
        e["source_node_id"].attrs["node_population"] = "cortex"
        e["target_node_id"] = tgt
        e["target_node_id"].attrs["node_population"] = "cortex"
        e["edge_type_id"] = np.full(n_edges, 200, np.uint32)
        e["edge_group_id"] = np.zeros(n_edges, np.uint16)
        e["edge_group_index"] = np.arange(n_edges, dtype=np.uint64)
        e["0/syn_weight"] = rng.uniform(0.1, 2.0, n_edges)
        e["0/delay"] = rng.choice([1.0, 1.5, 2.0, 3.0], n_edges)
    with open(os.path.join(root, "network", "edge_types.csv"), "w") as f:
        f.write("edge_type_id nsyns model_template\n200 1 static_synapse\n")
    with h5py.File(os.path.join(root, "output", "spikes.h5"), "w") as f:
        g = f.create_group("spikes/cortex")
        g.attrs["sorting"] = "by_time"
        g["timestamps"] = np.sort(rng.uniform(0, 1000, n_spikes))
        g["timestamps"].attrs["units"] = "ms"
        g["node_ids"] = rng.integers(0, n_nodes, n_spikes).astype(np.uint64)
    config = {
        "manifest": {"$BASE_DIR": ".", "$NETWORK_DIR": "$BASE_DIR/network"},
        "run": {"tstop": 1000.0, "dt": 0.1},
        "networks": {"nodes": [{"nodes_file": "$NETWORK_DIR/nodes.h5", "node_types_file": "$NETWORK_DIR/node_types.csv"}],
                     "edges": [{"edges_file": "$NETWORK_DIR/edges.h5", "edge_types_file": "$NETWORK_DIR/edge_types.csv"}]},
        "output": {"output_dir": "$BASE_DIR/output", "spikes_file": "spikes.h5"},
    }
    path = os.path.join(root, "simulation_config.json")
    with open(path, "w") as f:
        json.dump(config, f)
    return path


def timed(cmd, runs=3):
    """(best seconds, peak RSS MB of that run) of the whole process."""
    best = None
    for _ in range(runs):
        t0 = time.perf_counter()
        p = subprocess.run(["/usr/bin/time", "-v", *cmd], capture_output=True, text=True)
        dt = time.perf_counter() - t0
        if p.returncode != 0:
            sys.exit(f"failed: {' '.join(cmd)}\n{p.stderr}")
        rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr).group(1)) / 1024
        if best is None or dt < best[0]:
            best = (dt, rss)
    return best


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("build")
    ap.add_argument("work")
    ap.add_argument("--nodes", type=int, default=100_000)
    ap.add_argument("--edges", type=int, default=10_000_000)
    ap.add_argument("--spikes", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    cli = os.path.join(a.build, "src", "cli", "wslfp")
    os.makedirs(a.work, exist_ok=True)
    config = os.path.join(a.work, "simulation_config.json")
    if not os.path.exists(config):
        t0 = time.perf_counter()
        make_network(a.work, a.nodes, a.edges, a.spikes)
        print(f"made the network in {time.perf_counter() - t0:.1f} s")
    print(f"load {os.getloadavg()}")
    # Neuropixels 1.0 (its contacts' centre at z = 1915 µm in its frame) laid
    # along y through the cells' centre (0, −400, 0)
    probe = ["--electrodes", "preset:neuropixels-1.0", "--probe-offset-um", "0,-400,-1915", "--probe-rotate-deg", "0,90,0"]
    info = timed([cli, "info", config], a.runs)
    print(f"info: {info[0] * 1000:.0f} ms, peak RSS {info[1]:.0f} MB (budget 3000 ms)")
    conv = os.path.join(a.work, "converted.h5")
    c = timed([cli, "convert", config, "-o", conv], 1)
    print(f"convert: {c[0] * 1000:.0f} ms, peak RSS {c[1]:.0f} MB")
    direct = timed([cli, "compute", config, *probe, "-o", os.path.join(a.work, "lfp.h5")], a.runs)
    via = timed([cli, "compute", conv, "--from-spikes", "--t-eval", "0:1000:0.1", *probe,
                 "-o", os.path.join(a.work, "lfp-conv.h5")], a.runs)
    print(f"compute CONFIG: {direct[0] * 1000:.0f} ms, peak RSS {direct[1]:.0f} MB; from the converted dataset: "
          f"{via[0] * 1000:.0f} ms, {via[1]:.0f} MB; ratio {direct[0] / via[0]:.2f} (budget 1.5)")
    budget_mb = 16 * a.edges / 2**20 + 300
    print(f"peak RSS {direct[1]:.0f} MB against 16 B/edge + 300 MB = {budget_mb:.0f} MB")
    with h5py.File(os.path.join(a.work, "lfp.h5")) as f:
        if not np.abs(f["lfp/uV"][:]).max() > 0:
            sys.exit("the LFP is all zero: the probe hears no cell")
    # Writing alone (whole runs differ by more than the write takes):
    # the same LFP written both ways, best of 5, in one process.
    p = subprocess.run([os.path.join(a.build, "tests", "bench-nwb"), os.path.join(a.work, "lfp.h5"), a.work],
                       capture_output=True, text=True)
    print(p.stdout.strip() or p.stderr)
    print(f"load {os.getloadavg()}")


if __name__ == "__main__":
    main()
