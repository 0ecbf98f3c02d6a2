"""A small SONATA network written with h5py that exercises every rule the
README states (see "SONATA and NEST"), and the LFP it should give,
computed here with NumPy alone, independently of libwslfp: node order,
sources, positions, apical axes, E/I groups, weights × nsyns, per-edge
delays, node types, spike units and the legacy spike layout.
"""
import json
import os

import h5py
import numpy as np

TAU = {"e": (0.4, 2.0), "i": (0.25, 5.0)}  # (rise, decay) in ms
L_UM = 250.0


def aussel18(r, d, L=L_UM):
    """The aussel18 profile (µV/nA) as the fixtures' README defines it."""
    dist = np.hypot(r, d)
    with np.errstate(divide="ignore", invalid="ignore"):
        amp = 0.021 * L * (-d / dist) / (4 * np.pi * 0.3 * dist**2)
    return np.where(dist == 0, 0.0, amp)


def rot_axis(angles_xyz):
    """+y turned by Rx(a)·Ry(b)·Rz(c), written as matrices."""
    a, b, c = angles_xyz
    rx = np.array([[1, 0, 0], [0, np.cos(a), -np.sin(a)], [0, np.sin(a), np.cos(a)]])
    ry = np.array([[np.cos(b), 0, np.sin(b)], [0, 1, 0], [-np.sin(b), 0, np.cos(b)]])
    rz = np.array([[np.cos(c), -np.sin(c), 0], [np.sin(c), np.cos(c), 0], [0, 0, 1]])
    return rx @ ry @ rz @ np.array([0.0, 1.0, 0.0])


def quat_axis(q):
    """+y turned by the unit quaternion (w, x, y, z): q·(0, ŷ)·q*."""
    q = np.asarray(q, float) / np.linalg.norm(q)

    def mul(p, r):
        w1, x1, y1, z1 = p
        w2, x2, y2, z2 = r
        return np.array([w1 * w2 - x1 * x2 - y1 * y2 - z1 * z2, w1 * x2 + x1 * w2 + y1 * z2 - z1 * y2,
                         w1 * y2 - x1 * z2 + y1 * w2 + z1 * x2, w1 * z2 + x1 * y2 - y1 * x2 + z1 * w2])

    conj = q * np.array([1, -1, -1, -1])
    return mul(mul(q, np.array([0, 0, 1.0, 0])), conj)[1:]


def write_types(path, header, rows):
    with open(path, "w") as f:
        f.write(" ".join(header) + "\n")
        for r in rows:
            f.write(" ".join(f'"{v}"' if " " in str(v) else str(v) for v in r) + "\n")


def build(root, rng=None):
    """Writes the network under @root; returns what the LFP needs."""
    rng = rng or np.random.default_rng(7)
    net = os.path.join(root, "net")
    out = os.path.join(root, "out")
    inp = os.path.join(root, "inputs")
    for d in (net, out, inp):
        os.makedirs(d, exist_ok=True)

    # --- nodes -----------------------------------------------------------
    # nodes_a.h5: populations "zeta" and "alpha" (read by name: alpha, zeta)
    # nodes_b.h5: "bkg", virtual, no positions, no ei (sign rule)
    pops = {}
    # alpha: 5 nodes, node ids permuted, two groups: group 0 with angles,
    # group 1 with a quaternion dataset; ei from the types file except one
    # node whose group column says otherwise (the HDF5 value wins).
    alpha_ids = np.array([3, 0, 4, 1, 2])
    alpha_types = np.array([10, 10, 11, 10, 11])  # 10: ei e, 11: ei i
    # (the first row holds a quaternion: a reader that skips row 0 of the
    # quaternions gets its axis wrong)
    alpha_group = np.array([1, 0, 0, 1, 0])
    alpha_gidx = np.array([1, 2, 0, 0, 1])
    g0_xyz = rng.uniform(-100, 100, (3, 3))
    g0_ang = rng.uniform(-np.pi, np.pi, (3, 3))  # x, y, z angles
    g1_xyz = rng.uniform(-100, 100, (2, 3))
    g1_quat = rng.normal(size=(2, 4))
    g0_ei = np.array([b"e", b"e", b"i"])  # the node with gidx 2 (row 1) says i; its type 10 says e
    # the row-2 node (type 11 → i) sits in group 0 at index 0: its column says "e"
    pos = np.zeros((5, 3))
    axis = np.zeros((5, 3))
    ei = []
    for k in range(5):
        g, i = alpha_group[k], alpha_gidx[k]
        if g == 0:
            pos[k] = g0_xyz[i]
            axis[k] = rot_axis(g0_ang[i])
            ei.append(g0_ei[i].decode())
        else:
            pos[k] = g1_xyz[i]
            axis[k] = quat_axis(g1_quat[i])
            ei.append("e" if alpha_types[k] == 10 else "i")
    pops["alpha"] = dict(n=5, ids=alpha_ids, pos=pos, axis=axis, ei=ei)

    # zeta: 4 nodes, implicit ids, one group, z from the types file,
    # only the y angle given
    zeta_types = np.array([20, 21, 20, 21])
    zeta_xy = rng.uniform(-100, 100, (4, 2))
    zeta_z = {20: 35.5, 21: -12.25}
    zeta_ay = rng.uniform(-np.pi, np.pi, 4)
    zeta_pos = np.column_stack([zeta_xy, [zeta_z[t] for t in zeta_types]])
    zeta_axis = np.array([rot_axis((0, a, 0)) for a in zeta_ay])
    # node 2's ei is blank in its group (which wins over its type's e): a
    # node with a position but no E/I type is not a source, and its edges
    # go by the sign of their weights
    zeta_ei = ["e" if t == 20 else "i" for t in zeta_types]
    zeta_ei[2] = None
    pops["zeta"] = dict(n=4, ids=np.arange(4), pos=zeta_pos, axis=zeta_axis, ei=zeta_ei)
    pops["bkg"] = dict(n=3, ids=np.arange(3), pos=None, axis=None, ei=[None] * 3)

    with h5py.File(os.path.join(net, "nodes_a.h5"), "w") as f:
        a = f.create_group("nodes/alpha")
        a["node_id"] = alpha_ids.astype(np.uint64)
        a["node_type_id"] = alpha_types.astype(np.uint64)
        a["node_group_id"] = alpha_group.astype(np.uint32)
        a["node_group_index"] = alpha_gidx.astype(np.uint64)
        for c, name in enumerate("xyz"):
            a[f"0/{name}"] = g0_xyz[:, c]
            a[f"1/{name}"] = g1_xyz[:, c]
        for c, name in enumerate(["rotation_angle_xaxis", "rotation_angle_yaxis", "rotation_angle_zaxis"]):
            a[f"0/{name}"] = g0_ang[:, c]
        a["0/ei"] = g0_ei.astype("S1")
        a["1/orientation"] = g1_quat
        z = f.create_group("nodes/zeta")
        z["node_type_id"] = zeta_types.astype(np.uint64)
        z["node_group_id"] = np.zeros(4, np.uint32)
        z["node_group_index"] = np.arange(4, dtype=np.uint64)
        z["0/x"] = zeta_xy[:, 0]
        z["0/y"] = zeta_xy[:, 1]
        z["0/rotation_angle_yaxis"] = zeta_ay
        z.create_dataset("0/ei", data=np.array([e or "" for e in pops["zeta"]["ei"]], dtype=object),
                         dtype=h5py.string_dtype())
    write_types(os.path.join(net, "a_types.csv"), ["node_type_id", "ei", "model_name", "z", "model_template"],
                [[10, "e", "Scnn1a", "NULL", "nest:iaf_psc_alpha"], [11, "i", "PV", "NULL", "nest:iaf_psc_alpha"],
                 [20, "e", "L5 pyr", zeta_z[20], "nest:iaf_psc_alpha"], [21, "i", "L5 PV", zeta_z[21], "nest:iaf_psc_alpha"]])
    with h5py.File(os.path.join(net, "nodes_b.h5"), "w") as f:
        b = f.create_group("nodes/bkg")
        b["node_id"] = np.arange(3, dtype=np.uint64)
        b["node_type_id"] = np.full(3, 100, np.uint64)
        b["node_group_id"] = np.zeros(3, np.uint32)
        b["node_group_index"] = np.arange(3, dtype=np.uint64)
        b.create_group("0")
    write_types(os.path.join(net, "b_types.csv"), ["node_type_id", "model_type"], [[100, "virtual"]])

    order = ["alpha", "zeta", "bkg"]  # files in config order, populations by name in a file
    offset = {}
    n = 0
    for p in order:
        offset[p] = n
        n += pops[p]["n"]

    def glob(p, node_id):
        row = int(np.nonzero(pops[p]["ids"] == node_id)[0][0])
        return offset[p] + row

    sources = []  # global indices, in order
    for p in order:
        if pops[p]["pos"] is None:
            continue
        for k in range(pops[p]["n"]):
            if pops[p]["ei"][k] == "e":
                sources.append(offset[p] + k)
    src_index = {g: s for s, g in enumerate(sources)}
    src_pos = np.array([pops[p]["pos"][g - offset[p]] for g in sources for p in order
                        if offset[p] <= g < offset[p] + pops[p]["n"]])
    src_axis = np.array([pops[p]["axis"][g - offset[p]] for g in sources for p in order
                         if offset[p] <= g < offset[p] + pops[p]["n"]])
    ei_of, pos_of, axis_of = {}, {}, {}
    for p in order:
        for k in range(pops[p]["n"]):
            ei_of[offset[p] + k] = pops[p]["ei"][k]
            if pops[p]["pos"] is not None:
                pos_of[offset[p] + k] = pops[p]["pos"][k]
                axis_of[offset[p] + k] = pops[p]["axis"][k]

    # --- edges -----------------------------------------------------------
    # (pre global, target global, syn_weight, nsyns, delay) for the check
    edges = []
    # internal: alpha+zeta → alpha+zeta, group 0 holds syn_weight and delay
    # (shuffled group indices), nsyns from the types file
    local = [("alpha", i) for i in alpha_ids] + [("zeta", i) for i in range(4)]
    rows = []
    for _ in range(40):
        (sp, si), (tp, ti) = local[rng.integers(len(local))], local[rng.integers(len(local))]
        if sp != "alpha" or tp != "alpha":
            continue
        rows.append((si, ti, rng.uniform(0.2, 2.0), rng.choice([0.0, 0.5, 1.25, 3.0]), rng.choice([200, 201])))
    nsyns_of = {200: 1, 201: 3}
    perm = rng.permutation(len(rows))
    with h5py.File(os.path.join(net, "edges_a.h5"), "w") as f:
        e = f.create_group("edges/alpha_to_alpha")
        src = np.array([r[0] for r in rows], np.uint64)
        tgt = np.array([r[1] for r in rows], np.uint64)
        e["source_node_id"] = src
        e["source_node_id"].attrs["node_population"] = "alpha"
        e["target_node_id"] = tgt
        e["target_node_id"].attrs["node_population"] = "alpha"
        e["edge_type_id"] = np.array([r[4] for r in rows], np.uint32)
        e["edge_group_id"] = np.zeros(len(rows), np.uint16)
        e["edge_group_index"] = perm.astype(np.uint64)
        w = np.empty(len(rows))
        d = np.empty(len(rows))
        w[perm] = [r[2] for r in rows]
        d[perm] = [r[3] for r in rows]
        e["0/syn_weight"] = w
        e["0/delay"] = d
        # zeta → alpha: no group columns, weight and delay from the types
        # file; the index datasets are left out (they are optional)
        zsrc = rng.integers(0, 4, 12)
        ztgt = rng.choice(alpha_ids, 12)
        ztype = rng.choice([300, 301], 12)
        e = f.create_group("edges/zeta_to_alpha")
        e["source_node_id"] = zsrc.astype(np.uint64)
        e["source_node_id"].attrs["node_population"] = "zeta"
        e["target_node_id"] = ztgt.astype(np.uint64)
        e["target_node_id"].attrs["node_population"] = "alpha"
        e["edge_type_id"] = ztype.astype(np.uint32)
        e["edge_group_id"] = np.zeros(12, np.uint16)
        e["edge_group_index"] = np.arange(12, dtype=np.uint64)
        e.create_group("0")
    write_types(os.path.join(net, "edge_a_types.csv"), ["edge_type_id", "population", "nsyns", "syn_weight", "delay"],
                [[200, "alpha_to_alpha", 1, "NULL", "NULL"], [201, "alpha_to_alpha", 3, "NULL", "NULL"],
                 [300, "zeta_to_alpha", 2, 0.75, 1.5], [301, "zeta_to_alpha", 1, -0.4, 0.0]])
    for r in rows:
        edges.append((glob("alpha", r[0]), glob("alpha", r[1]), r[2], nsyns_of[r[4]], r[3]))
    ztab = {300: (0.75, 2, 1.5), 301: (-0.4, 1, 0.0)}
    for s_, t_, ty in zip(zsrc, ztgt, ztype):
        w_, ns_, d_ = ztab[ty]
        edges.append((glob("zeta", s_), glob("alpha", t_), w_, ns_, d_))
    # bkg → zeta in a second file: signed weights (no ei), nsyns in the
    # group, delay from the types file
    bsrc = rng.integers(0, 3, 10)
    btgt = rng.integers(0, 4, 10)
    bw = rng.uniform(-1, 1, 10)
    bns = rng.integers(1, 4, 10)
    with h5py.File(os.path.join(net, "edges_b.h5"), "w") as f:
        e = f.create_group("edges/bkg_to_zeta")
        e["source_node_id"] = bsrc.astype(np.uint64)
        e["source_node_id"].attrs["node_population"] = "bkg"
        e["target_node_id"] = btgt.astype(np.uint64)
        e["target_node_id"].attrs["node_population"] = "zeta"
        e["edge_type_id"] = np.full(10, 400, np.uint32)
        e["edge_group_id"] = np.zeros(10, np.uint16)
        e["edge_group_index"] = np.arange(10, dtype=np.uint64)
        e["0/syn_weight"] = bw
        e["0/nsyns"] = bns.astype(np.uint32)
    write_types(os.path.join(net, "edge_b_types.csv"), ["edge_type_id", "delay", "dynamics_params"],
                [[400, 0.75, "ExcToExc.json"]])
    for s_, t_, w_, ns_ in zip(bsrc, btgt, bw, bns):
        edges.append((glob("bkg", s_), glob("zeta", t_), w_, ns_, 0.75))

    # --- spikes ----------------------------------------------------------
    spikes = []  # (global, t_ms)
    with h5py.File(os.path.join(out, "spikes.h5"), "w") as f:
        t = np.sort(rng.uniform(0, 50, 30))
        ids = rng.choice(alpha_ids, 30)
        g = f.create_group("spikes/alpha")
        g.attrs["sorting"] = "by_time"
        g["timestamps"] = t
        g["timestamps"].attrs["units"] = "ms"
        g["node_ids"] = ids.astype(np.uint64)
        spikes += [(glob("alpha", i), tt) for i, tt in zip(ids, t)]
        t = rng.uniform(0, 0.05, 15)  # seconds
        ids = rng.integers(0, 4, 15)
        g = f.create_group("spikes/zeta")
        g["timestamps"] = t
        g["timestamps"].attrs["units"] = "s"
        g["node_ids"] = ids.astype(np.uint64)
        spikes += [(glob("zeta", i), tt * 1000) for i, tt in zip(ids, t)]
    with h5py.File(os.path.join(inp, "bkg.h5"), "w") as f:
        t = rng.uniform(0, 50, 12)
        ids = rng.integers(0, 3, 12)
        f["spikes/gids"] = ids.astype(np.uint64)
        f["spikes/timestamps"] = t
        spikes += [(glob("bkg", i), tt) for i, tt in zip(ids, t)]

    # --- configs ---------------------------------------------------------
    os.makedirs(os.path.join(root, "circuit"), exist_ok=True)
    circuit = {
        "manifest": {"$BASE_DIR": "..", "$NETWORK_DIR": "$BASE_DIR/net"},
        "networks": {
            "nodes": [{"nodes_file": "$NETWORK_DIR/nodes_a.h5", "node_types_file": "${NETWORK_DIR}/a_types.csv"},
                      {"nodes_file": "$NETWORK_DIR/nodes_b.h5", "node_types_file": "$NETWORK_DIR/b_types.csv"}],
            "edges": [{"edges_file": "$NETWORK_DIR/edges_a.h5", "edge_types_file": "$NETWORK_DIR/edge_a_types.csv"},
                      {"edges_file": "$NETWORK_DIR/edges_b.h5", "edge_types_file": "$NETWORK_DIR/edge_b_types.csv"},
                      {"edges_file": "$NETWORK_DIR/missing.h5", "enabled": False}],
        },
    }
    with open(os.path.join(root, "circuit", "circuit_config.json"), "w") as f:
        json.dump(circuit, f)
    sim = {
        "manifest": {"$BASE_DIR": ".", "$OUTPUT_DIR": "$BASE_DIR/out", "$INPUT_DIR": "$BASE_DIR/inputs"},
        "run": {"tstop": 60.0, "dt": 0.1},
        "network": "$BASE_DIR/circuit/circuit_config.json",
        "node_sets_file": "$BASE_DIR/node_sets.json",
        "inputs": {"bkg_spikes": {"input_type": "spikes", "module": "h5", "input_file": "$INPUT_DIR/bkg.h5",
                                  "node_set": "bkg_set"}},
        "output": {"output_dir": "$OUTPUT_DIR", "spikes_file": "spikes.h5"},
    }
    with open(os.path.join(root, "simulation_config.json"), "w") as f:
        json.dump(sim, f)
    with open(os.path.join(root, "node_sets.json"), "w") as f:
        json.dump({"bkg_set": {"population": "bkg"}}, f)

    return dict(n_nodes=n, sources=sources, src_index=src_index, src_pos=src_pos, src_axis=src_axis,
                ei_of=ei_of, pos_of=pos_of, axis_of=axis_of, edges=edges, spikes=spikes,
                t_eval=np.arange(0, 60, 0.1), offset=offset)


def currents(net, t_eval, tau=TAU):
    """I_ampa and I_gaba (T × S) by the direct sum over spikes and edges."""
    S = len(net["sources"])
    out = {"e": np.zeros((len(t_eval), S)), "i": np.zeros((len(t_eval), S))}
    by_pre = {}
    for g, t in net["spikes"]:
        by_pre.setdefault(g, []).append(t)
    for pre, post, w, nsyns, delay in net["edges"]:
        if post not in net["src_index"]:
            continue
        ei = net["ei_of"][pre]
        if ei is None:
            if w == 0:
                continue
            ei = "e" if w > 0 else "i"
        tr, td = tau[ei]
        c = tr / (td - tr)
        s = net["src_index"][post]
        for ts in by_pre.get(pre, []):
            age = t_eval - (ts + delay)
            k = np.where(age >= -1e-9, np.exp(-np.maximum(age, 0) / td) - np.exp(-np.maximum(age, 0) / tr), 0.0)
            out[ei][:, s] += abs(w) * nsyns * c * k
    return out["e"], out["i"]


def raw_lfp(net, electrodes, t_eval, tau_ampa=6.0, tau_gaba=0.0, alpha=1.65, tau=TAU):
    """Σ_s A(e, s)[I_ampa(t − 6) − 1.65 I_gaba(t)] with aussel18, no normalisation."""
    ia, _ = currents(net, t_eval - tau_ampa, tau)
    _, ig = currents(net, t_eval - tau_gaba, tau)
    axis = net["src_axis"] / np.linalg.norm(net["src_axis"], axis=1)[:, None]
    centre = net["src_pos"] + axis * L_UM / 2
    rel = electrodes[:, None, :] - centre[None, :, :]  # E × S × 3
    d = np.einsum("esk,sk->es", rel, axis)
    r = np.linalg.norm(rel - d[..., None] * axis[None], axis=2)
    A = aussel18(r, d)
    return (ia - alpha * ig) @ A.T


def read_types(path):
    with open(path) as f:
        lines = [l.split() for l in f if l.strip()]
    header = lines[0]
    return [dict(zip(header, r)) for r in lines[1:]]


def read_example(root):
    """The 300_pointneurons example read with h5py, by the README's rules:
    internal (with positions; rotation about y only) then external
    (virtual, ei e); internal edges' delay from their types (2 ms),
    external edges without delay (0); spikes of the inputs only (the
    output was never simulated here); nsyns absent (1)."""
    net = os.path.join(root, "network")
    types = {}
    for name in ("internal", "external"):
        for row in read_types(os.path.join(net, f"{name}_node_types.csv")):
            types[(name, int(row["node_type_id"]))] = row
    pops = {}
    for name in ("internal", "external"):
        with h5py.File(os.path.join(net, f"{name}_nodes.h5")) as f:
            p = f[f"nodes/{name}"]
            tid = p["node_type_id"][:]
            assert np.array_equal(p["node_id"][:], np.arange(len(tid)))
            assert np.all(p["node_group_id"][:] == 0)
            gi = p["node_group_index"][:]
            g = p["0"]
            pos = np.column_stack([g["x"][:][gi], g["y"][:][gi], g["z"][:][gi]]) if "x" in g else None
            ay = g["rotation_angle_yaxis"][:][gi] if "rotation_angle_yaxis" in g else np.zeros(len(tid))
            pops[name] = dict(n=len(tid), pos=pos, ay=ay, ei=[types[(name, int(t))]["ei"] for t in tid])
    offset = {"internal": 0, "external": pops["internal"]["n"]}
    sources = [k for k in range(pops["internal"]["n"]) if pops["internal"]["ei"][k] == "e"]
    src_index = {g: s for s, g in enumerate(sources)}
    src_pos = pops["internal"]["pos"][sources]
    src_axis = np.array([rot_axis((0, pops["internal"]["ay"][k], 0)) for k in sources])
    ei_of = {}
    for name in ("internal", "external"):
        for k in range(pops[name]["n"]):
            ei_of[offset[name] + k] = pops[name]["ei"][k]
    edges = []
    for fname, pop in (("internal_internal", "internal_to_internal"), ("external_internal", "external_to_internal")):
        etypes = {int(r["edge_type_id"]): r for r in read_types(os.path.join(net, f"{fname}_edge_types.csv"))}
        with h5py.File(os.path.join(net, f"{fname}_edges.h5")) as f:
            e = f[f"edges/{pop}"]
            src_pop = e["source_node_id"].attrs["node_population"]
            src_pop = src_pop.decode() if isinstance(src_pop, bytes) else src_pop
            src = e["source_node_id"][:] + offset[src_pop]
            tgt = e["target_node_id"][:]
            assert np.all(e["edge_group_id"][:] == 0)
            w = e["0/syn_weight"][:][e["edge_group_index"][:]]
            et = e["edge_type_id"][:]
            d = np.array([float(etypes[int(t)].get("delay", 0.0)) for t in et])
            edges += list(zip(src.tolist(), tgt.tolist(), w.tolist(), [1] * len(w), d.tolist()))
    spikes = []
    with h5py.File(os.path.join(root, "inputs", "external_spike_trains.h5")) as f:
        for g, t in zip(f["spikes/gids"][:], f["spikes/timestamps"][:]):
            spikes.append((offset["external"] + int(g), float(t)))
    return dict(n_nodes=offset["external"] + pops["external"]["n"], sources=sources, src_index=src_index,
                src_pos=src_pos, src_axis=src_axis, ei_of=ei_of, edges=edges, spikes=spikes, offset=offset)
