"""`wslfp info|compute|convert` on SONATA networks, checked against an
independent NumPy computation of the same rules (sonata_net.py)."""
import csv
import json
import os
import shutil
import subprocess

import h5py
import numpy as np
import pytest

import sonata_net

CLI = os.environ.get("WSLFP_CLI", "wslfp")
DATA = os.environ.get("WSLFP_TEST_DATA", os.path.join(os.path.dirname(__file__), "..", "data"))


def run(*args, ok=True):
    p = subprocess.run([CLI, *map(str, args)], capture_output=True, text=True)
    if ok:
        assert p.returncode == 0, p.stderr
    return p


def probe_csv(path, electrodes):
    with open(path, "w") as f:
        f.write("x_um,y_um,z_um,shank\n")
        for x, y, z in electrodes:
            f.write(f"{x!r},{y!r},{z!r},0\n")


ELECTRODES = np.array([[0.0, -150.0 + 50.0 * k, 20.0 * (k % 3)] for k in range(8)])


@pytest.fixture(scope="module")
def network(tmp_path_factory):
    root = tmp_path_factory.mktemp("sonata")
    net = sonata_net.build(str(root))
    probe_csv(root / "probe.csv", ELECTRODES)
    return root, net


def test_aussel18_formula_matches_the_fixture():
    # the independent amplitude used below is itself the fixture's rule
    with open(os.path.join(DATA, "amplitude_points.csv")) as f:
        rows = list(csv.DictReader(f))
    r = np.array([float(x["r_um"]) for x in rows])
    d = np.array([float(x["d_um"]) for x in rows])
    L = np.array([float(x["L_um"]) for x in rows])
    want = np.array([float(x["aussel18"]) for x in rows])
    assert np.allclose(sonata_net.aussel18(r, d, L), want, rtol=1e-12, atol=1e-15)


def test_rotation_rules_are_the_specification():
    # R = Rx·Ry·Rz: a z rotation of +90° turns +y to −x, then x and y angles
    assert np.allclose(sonata_net.rot_axis((0, 0, np.pi / 2)), [-1, 0, 0])
    assert np.allclose(sonata_net.rot_axis((np.pi / 2, 0, 0)), [0, 0, 1])
    assert np.allclose(sonata_net.quat_axis([np.cos(np.pi / 4), 0, 0, np.sin(np.pi / 4)]), [-1, 0, 0])


def test_compute_equals_independent_sum(network, tmp_path):
    root, net = network
    out = tmp_path / "lfp.h5"
    run("compute", root / "simulation_config.json", "--electrodes", root / "probe.csv", "--profile", "aussel18",
        "--no-normalize", "-o", out)
    with h5py.File(out) as f:
        got = f["lfp/uV"][:]
        t = f["lfp/t_ms"][:]
    assert np.allclose(t, net["t_eval"])  # 0:tstop:dt from the run
    # the probe file's contacts are placed about their centre (no offset given)
    want = sonata_net.raw_lfp(net, ELECTRODES, t)
    peak = np.abs(want).max()
    assert peak > 1e-6
    assert np.abs(got - want).max() <= 1e-9 * peak


def test_tklfp_of_the_cells(network, tmp_path):
    """--proxy tklfp: the cells are the nodes with a position and ei e or i
    (their type; a node without ei, or the virtual inputs, are left out),
    with the apical axes WSLFP uses as orientations and every spike of
    theirs, connected to a source or not; the LFP equals the tklfp module's
    on the NumPy reading of the files, in µV, at the run's times."""
    import tklfp
    root, net = network
    out = tmp_path / "tk.h5"
    run("compute", root / "simulation_config.json", "--proxy", "tklfp", "--electrodes", root / "probe.csv", "-o", out)
    with h5py.File(out) as f:
        got = f["lfp/uV"][:]
        t = f["lfp/t_ms"][:]
        assert f["lfp"].attrs["proxy"] == "tklfp" and f["lfp"].attrs["tklfp_delay_ms"] == 10.4
        assert "alpha" not in f["lfp"].attrs
    cells = [g for g in sorted(net["pos_of"]) if net["ei_of"][g] in ("e", "i")]
    assert 0 < len(cells) < len(net["pos_of"])  # one node with a position has no ei
    index = {g: k for k, g in enumerate(cells)}
    xyz = np.array([net["pos_of"][g] for g in cells]) / 1000
    model = tklfp.TKLFP(xyz[:, 0], xyz[:, 1], xyz[:, 2], np.array([net["ei_of"][g] == "e" for g in cells]),
                        ELECTRODES / 1000, orientation=np.array([net["axis_of"][g] for g in cells]))
    spikes = [(index[g], tt) for g, tt in net["spikes"] if g in index]
    assert len(spikes) < len(net["spikes"])  # the inputs' spikes are not cells'
    want = model.compute(np.array([k for k, _ in spikes]), np.array([tt for _, tt in spikes]), t)
    assert np.allclose(t, net["t_eval"])
    peak = np.abs(want).max()
    assert peak > 0.1
    assert np.abs(got - want).max() <= 1e-12 * peak
    # the converted file keeps the cells: the same LFP from it
    conv = tmp_path / "net.h5"
    run("convert", root / "simulation_config.json", "-o", conv)
    again = tmp_path / "tk2.h5"
    run("compute", conv, "--proxy", "tklfp", "--electrodes", root / "probe.csv", "-o", again)
    with h5py.File(again) as f:
        assert np.abs(f["lfp/uV"][:] - got).max() <= 1e-12 * peak
    # WSLFP's settings are refused with TKLFP, naming the option
    p = run("compute", root / "simulation_config.json", "--proxy", "tklfp", "--profile", "aussel18", "-o", out,
            ok=False)
    assert p.returncode == 2 and "--profile is a WSLFP setting" in p.stderr


def test_kernel_time_constants(network, tmp_path):
    root, net = network
    out = tmp_path / "lfp.h5"
    run("compute", root / "simulation_config.json", "--electrodes", root / "probe.csv", "--profile", "aussel18",
        "--no-normalize", "--tau-exc-ms", "0.5,3", "--tau-inh-ms", "0.3,7.5", "-o", out)
    with h5py.File(out) as f:
        got = f["lfp/uV"][:]
        t = f["lfp/t_ms"][:]
    want = sonata_net.raw_lfp(net, ELECTRODES, t, tau={"e": (0.5, 3.0), "i": (0.3, 7.5)})
    assert np.abs(got - want).max() <= 1e-9 * np.abs(want).max()
    p = run("compute", root / "simulation_config.json", "--tau-inh-ms", "5,2", "-o", out, ok=False)
    assert p.returncode == 2 and "--tau-inh-ms expects RISE,DECAY" in p.stderr


def test_convert_then_compute_is_the_same(network, tmp_path):
    root, net = network
    conv = tmp_path / "net.h5"
    run("convert", root / "simulation_config.json", "-o", conv)
    with h5py.File(conv) as f:
        assert "delays_ms" in f["spikes/exc/weights"]
        assert f["sources/xyz_um"].shape == (len(net["sources"]), 3)
        assert np.allclose(f["sources/xyz_um"][:], net["src_pos"])
        assert np.allclose(f["sources/orientation"][:], net["src_axis"])
        assert f.attrs["t_eval_stop_ms"] == 60.0
        # each presynaptic cell's connections in order of delay (computing
        # then needs no index of its own), and some row has several delays
        mixed = 0
        for g in ("exc", "inh"):
            w = f[f"spikes/{g}/weights"]
            indptr, delays = w["indptr"][:], w["delays_ms"][:]
            for p in range(len(indptr) - 1):
                row = delays[indptr[p]:indptr[p + 1]]
                assert np.all(np.diff(row) >= 0), (g, p, row)
                mixed += len(np.unique(row)) > 1
        assert mixed > 0
    a, b = tmp_path / "a.h5", tmp_path / "b.h5"
    run("compute", root / "simulation_config.json", "--electrodes", root / "probe.csv", "-o", a)
    run("compute", conv, "--from-spikes", "--electrodes", root / "probe.csv", "-o", b)
    with h5py.File(a) as fa, h5py.File(b) as fb:
        assert np.array_equal(fa["lfp/uV"][:], fb["lfp/uV"][:])
        assert np.array_equal(fa["lfp/t_ms"][:], fb["lfp/t_ms"][:])


def test_sources_chosen_by_column(network, tmp_path):
    root, net = network
    out = tmp_path / "lfp.h5"
    # model_name comes from the types file: "L5 pyr" holds a space (quoted)
    p = run("info", root / "simulation_config.json", "--sources", "model_name=='L5 pyr'")
    # every zeta node of type 20, whatever its ei (node 2's is blank)
    with h5py.File(root / "net" / "nodes_a.h5") as f:
        n_l5_pyr = int((f["nodes/zeta/node_type_id"][:] == 20).sum())
    assert n_l5_pyr == 2
    assert f"sources: {n_l5_pyr} (model_name=='L5 pyr')" in p.stdout
    p = run("info", root / "simulation_config.json", "--sources", "model_name==nothing", ok=False)
    assert p.returncode == 1 and "no node has model_name equal to nothing" in p.stderr
    p = run("info", root / "simulation_config.json", "--sources", "model_type==virtual", ok=False)
    assert "population bkg" in p.stderr and "no positions" in p.stderr
    run("compute", root / "simulation_config.json", "--sources", "ei==e", "--electrodes", root / "probe.csv",
        "-o", out)


def test_info_lists_populations_and_ids(network):
    root, net = network
    p = run("info", root / "simulation_config.json")
    assert "population alpha: 5 nodes" in p.stdout
    assert "NEST ids 1 … 5" in p.stdout and "NEST ids 6 … 9" in p.stdout and "NEST ids 10 … 12" in p.stdout
    assert "evaluation times: 0:60:0.1" in p.stdout


def test_nest_spike_files(network, tmp_path):
    """The same spikes as NEST .dat files (two virtual processes, one in
    steps) and as a .gdf file give the same LFP."""
    root, net = network
    ref = tmp_path / "ref.h5"
    run("compute", root / "simulation_config.json", "--electrodes", root / "probe.csv", "--no-normalize", "-o", ref)
    # the simulated populations' spikes (the input's, bkg, come from the config)
    spikes = [(g, t) for g, t in net["spikes"] if g < net["offset"]["bkg"]]
    half = len(spikes) // 2
    with open(tmp_path / "sr-0.dat", "w") as f:
        f.write("# NEST version: 3.6.0\n# RecordingBackendASCII\nsender\ttime_ms\n")
        for g, t in spikes[:half]:
            f.write(f"{g + 1}\t{t!r}\n")
    with open(tmp_path / "sr-1.dat", "w") as f:
        f.write("# NEST version: 3.6.0\n# RecordingBackendASCII\nsender\ttime_step\ttime_offset\n")
        for g, t in spikes[half:]:
            step = np.ceil(t / 0.1)
            f.write(f"{g + 1}\t{int(step)}\t{step * 0.1 - t!r}\n")
    a = tmp_path / "a.h5"
    run("compute", root / "simulation_config.json", "--spikes", tmp_path / "sr-0.dat", "--spikes",
        tmp_path / "sr-1.dat", "--electrodes", root / "probe.csv", "--no-normalize", "-o", a)
    with open(tmp_path / "s.gdf", "w") as f:
        for g, t in spikes:
            f.write(f"{g + 1 + 100} {t!r}\n")
    b = tmp_path / "b.h5"
    run("compute", root / "simulation_config.json", "--spikes", tmp_path / "s.gdf", "--nest-id-offset", 100,
        "--electrodes", root / "probe.csv", "--no-normalize", "-o", b)
    with h5py.File(ref) as fr, h5py.File(a) as fa, h5py.File(b) as fb:
        want = fr["lfp/uV"][:]
        peak = np.abs(want).max()
        # --spikes replaces the output spikes; the input's (bkg) still come
        assert np.abs(fa["lfp/uV"][:] - want).max() <= 1e-9 * peak
        assert np.abs(fb["lfp/uV"][:] - want).max() <= 1e-9 * peak
    # without the offset the ids are past the network's: info says why the
    # spikes are unusable, compute refuses
    p = run("info", root / "simulation_config.json", "--spikes", tmp_path / "s.gdf")
    assert "s.gdf: spike 0 is of NEST id" in p.stdout and "compute from spikes (always, for this network): no" in p.stdout
    p = run("compute", root / "simulation_config.json", "--spikes", tmp_path / "s.gdf", "--electrodes",
            root / "probe.csv", "-o", tmp_path / "c.h5", ok=False)
    assert p.returncode == 1 and "s.gdf: spike 0 is of NEST id" in p.stderr


def broken(root, tmp_path, edit):
    """A copy of the network with @edit applied."""
    copy = tmp_path / "copy"
    shutil.copytree(root, copy)
    edit(copy)
    return copy


@pytest.mark.parametrize("case", ["missing-nodes", "spikes-of-unknown-population", "node-id-out-of-range",
                                  "unknown-units", "nan-position", "manifest-cycle", "bad-ei", "unknown-node-type",
                                  "edge-to-no-node", "nan-weight", "negative-delay", "negative-nsyns",
                                  "missing-edges", "type-value-not-a-number"])
def test_bad_inputs_are_refused_naming_the_fault(network, tmp_path, case):
    root, _ = network

    def edit(copy):
        if case == "missing-nodes":
            os.remove(copy / "net" / "nodes_b.h5")
        elif case == "spikes-of-unknown-population":
            with h5py.File(copy / "out" / "spikes.h5", "a") as f:
                f["spikes/gamma/timestamps"] = [1.0]
                f["spikes/gamma/node_ids"] = np.array([0], np.uint64)
        elif case == "node-id-out-of-range":
            with h5py.File(copy / "out" / "spikes.h5", "a") as f:
                ids = f["spikes/zeta/node_ids"]
                ids[3] = 17
        elif case == "unknown-units":
            with h5py.File(copy / "out" / "spikes.h5", "a") as f:
                f["spikes/zeta/timestamps"].attrs["units"] = "min"
        elif case == "nan-position":
            with h5py.File(copy / "net" / "nodes_a.h5", "a") as f:
                x = f["nodes/alpha/1/x"]
                x[1] = np.nan
        elif case == "manifest-cycle":
            cfg = json.load(open(copy / "simulation_config.json"))
            cfg["manifest"]["$BASE_DIR"] = "$INPUT_DIR/.."
            json.dump(cfg, open(copy / "simulation_config.json", "w"))
        elif case == "bad-ei":
            with open(copy / "net" / "a_types.csv") as f:
                text = f.read()
            with open(copy / "net" / "a_types.csv", "w") as f:
                f.write(text.replace("\n10 e ", "\n10 exc "))
        elif case == "unknown-node-type":
            with h5py.File(copy / "net" / "nodes_a.h5", "a") as f:
                f["nodes/zeta/node_type_id"][1] = 999  # (zeta's z comes from its types)
        elif case == "edge-to-no-node":
            with h5py.File(copy / "net" / "edges_a.h5", "a") as f:
                f["edges/alpha_to_alpha/target_node_id"][4] = 5000
        elif case == "nan-weight":
            with h5py.File(copy / "net" / "edges_b.h5", "a") as f:
                f["edges/bkg_to_zeta/0/syn_weight"][6] = np.nan
        elif case == "negative-delay":
            with h5py.File(copy / "net" / "edges_a.h5", "a") as f:
                f["edges/alpha_to_alpha/0/delay"][1] = -0.5
        elif case == "negative-nsyns":
            with h5py.File(copy / "net" / "edges_b.h5", "a") as f:
                del f["edges/bkg_to_zeta/0/nsyns"]
                f["edges/bkg_to_zeta/0/nsyns"] = np.array([1, 1, -2, 1, 1, 1, 1, 1, 1, 1], np.int32)
        elif case == "missing-edges":
            os.remove(copy / "net" / "edges_b.h5")
        elif case == "type-value-not-a-number":
            with open(copy / "net" / "a_types.csv") as f:
                text = f.read()
            with open(copy / "net" / "a_types.csv", "w") as f:
                f.write(text.replace(" 35.5 ", " deep "))

    copy = broken(root, tmp_path, edit)
    p = run("compute", copy / "simulation_config.json", "--electrodes", root / "probe.csv", "-o", tmp_path / "o.h5",
            ok=False)
    assert p.returncode == 1, p.stderr
    expect = {
        "missing-nodes": ["nodes_b.h5", "does not exist", "networks.nodes[1]"],
        "spikes-of-unknown-population": ["spikes.h5", "population gamma", "lacks"],
        "node-id-out-of-range": ["spikes.h5", "/spikes/zeta/node_ids[3] = 17", "population zeta"],
        "unknown-units": ["/spikes/zeta/timestamps", "units is \"min\""],
        "nan-position": ["nodes_a.h5", "/nodes/alpha/1/x[1] is nan"],
        "manifest-cycle": ["simulation_config.json", "cycle"],
        "bad-ei": ["population alpha", "ei \"exc\""],
        "unknown-node-type": ["nodes_a.h5: node 1 of population zeta has node_type_id 999, which",
                              "a_types.csv does not list"],
        "type-value-not-a-number": ["a_types.csv: z of node type 20 is \"deep\", not a number"],
        "edge-to-no-node": ["edges_a.h5: /edges/alpha_to_alpha/target_node_id[4] = 5000 is not a node of population alpha"],
        "nan-weight": ["edges_b.h5: /edges/bkg_to_zeta/0/syn_weight[6] is nan"],
        "negative-delay": ["edges_a.h5: edge", "of population alpha_to_alpha has delay -0.5; it must be >= 0"],
        "negative-nsyns": ["edges_b.h5: edge 2 of population bkg_to_zeta has nsyns -2; it must be >= 0"],
        "missing-edges": ["edges_b.h5 (networks.edges[1] in ", "does not exist"],
    }[case]
    for fragment in expect:
        assert fragment in p.stderr, (fragment, p.stderr)
    assert not os.path.exists(tmp_path / "o.h5")


def test_example_300_pointneurons(tmp_path):
    """The SONATA example network (AllenInstitute/sonata): the external
    inputs' spikes through their edges, every rule against NumPy."""
    cfg = os.path.join(DATA, "sonata", "300_pointneurons", "simulation_config.json")
    p = run("info", cfg)
    assert "population internal: 300 nodes (240 e, 60 i), with positions, 240 sources" in p.stdout
    assert "population external: 100 nodes" in p.stdout
    probe = tmp_path / "probe.csv"
    el = np.array([[0.0, y, 0.0] for y in np.linspace(-150, 150, 7)])
    probe_csv(probe, el)
    out = tmp_path / "lfp.h5"
    run("compute", cfg, "--electrodes", probe, "--profile", "aussel18", "--no-normalize", "--t-eval", "0:300:0.5",
        "-o", out)
    root = os.path.dirname(cfg)
    net = sonata_net.read_example(root)
    with h5py.File(out) as f:
        got = f["lfp/uV"][:]
        t = f["lfp/t_ms"][:]
    want = sonata_net.raw_lfp(net, el, t)
    peak = np.abs(want).max()
    assert peak > 1e-6
    assert np.abs(got - want).max() <= 1e-9 * peak
