"""wslfp.save_dataset writes what `wslfp compute` reads: the fixtures
written again through it compute the same LFP as the originals."""
import os
import stat
import subprocess

import h5py
import numpy as np
import pytest
import scipy.sparse

import wslfp

CLI = os.environ.get("WSLFP_CLI", "wslfp")
DATA = os.environ.get("WSLFP_TEST_DATA", os.path.join(os.path.dirname(__file__), "..", "data"))


def compute(path, out, *extra):
    p = subprocess.run([CLI, "compute", str(path), "-o", str(out), *extra], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    with h5py.File(out) as f:
        return f["lfp/uV"][:]


def test_currents_round_trip(tmp_path):
    src = os.path.join(DATA, "small_case.h5")
    with h5py.File(src) as f:
        path = tmp_path / "copy.h5"
        wslfp.save_dataset(path, f["sources/xyz_um"][:], orientation=f["sources/orientation"][:],
                           dendrite_length_um=f["sources/dendrite_length_um"][:],
                           electrodes_um=f["electrodes/xyz_um"][:],
                           currents={k: (f[f"currents/{k}/t_ms"][:], f[f"currents/{k}/I"][:]) for k in ("ampa", "gaba")})
    assert np.array_equal(compute(src, tmp_path / "a.h5"), compute(path, tmp_path / "b.h5"))


def test_spikes_round_trip_with_delays(tmp_path):
    src = os.path.join(DATA, "brian_small.h5")
    with h5py.File(src) as f:
        groups = {}
        for g in ("exc", "inh"):
            w = f[f"spikes/{g}/weights"]
            W = scipy.sparse.csr_matrix((w["data"][:], w["indices"][:], w["indptr"][:]), shape=tuple(w.attrs["shape"]))
            groups[g] = dict(t_ms=f[f"spikes/{g}/t_ms"][:], i=f[f"spikes/{g}/i"][:], weights=W,
                             **{k: f[f"spikes/{g}"].attrs[k] for k in ("tau_rise_ms", "tau_decay_ms", "delay_ms")})
        path = tmp_path / "copy.h5"
        wslfp.save_dataset(path, f["sources/xyz_um"][:], electrodes_um=f["electrodes/xyz_um"][:], spikes=groups)
    a = compute(src, tmp_path / "a.h5", "--from-spikes", "--t-eval", "0:300:0.1")
    b = compute(path, tmp_path / "b.h5", "--from-spikes", "--t-eval", "0:300:0.1")
    assert np.array_equal(a, b)
    # a per-connection delay of 0.5 ms on every edge is the group's delay + 0.5
    for g in groups.values():
        g["delays_ms"] = np.full(g["weights"].nnz, 0.5)
    wslfp.save_dataset(path, h5py.File(src)["sources/xyz_um"][:], spikes=groups)
    for g in groups.values():
        g["delay_ms"] += 0.5
        del g["delays_ms"]
    shifted = tmp_path / "shifted.h5"
    wslfp.save_dataset(shifted, h5py.File(src)["sources/xyz_um"][:], spikes=groups)
    c = compute(path, tmp_path / "c.h5", "--from-spikes", "--electrodes", "preset:linear-32", "--no-normalize",
                "--t-eval", "0:300:0.1")
    d = compute(shifted, tmp_path / "d.h5", "--from-spikes", "--electrodes", "preset:linear-32", "--no-normalize",
                "--t-eval", "0:300:0.1")
    assert np.abs(c - d).max() <= 1e-12 * np.abs(d).max()


@pytest.mark.parametrize("kwargs, message", [
    (dict(sources_um=np.zeros((3, 2))), "sources_um has shape (3, 2)"),
    (dict(sources_um=[[0, 0, np.nan]]), "sources_um[(0, 2)] is nan"),
    (dict(sources_um=np.zeros((2, 3)), orientation=np.ones((3, 3))), "orientation has shape (3, 3)"),
    (dict(sources_um=np.zeros((2, 3)), electrodes_um=np.zeros((0, 3))), "electrodes_um has shape (0, 3)"),
    (dict(sources_um=np.zeros((2, 3)), electrodes_um=np.zeros((2, 2))), "electrodes_um has shape (2, 2)"),
    (dict(sources_um=np.zeros((2, 3)), currents={"ampa": ([0, 1], np.zeros((2, 3)))}), "expected (2, 2): rows are time"),
    (dict(sources_um=np.zeros((2, 3)), currents={"ampa": ([1, 0], np.zeros((2, 2)))}), "strictly increasing"),
    (dict(sources_um=np.zeros((2, 3)), spikes={"exc": dict(t_ms=[1.0], i=[4], weights=np.ones((3, 2)))}),
     'spikes["exc"] i[0] = 4 is outside [0, 3)'),
    (dict(sources_um=np.zeros((2, 3)), spikes={"exc": dict(t_ms=[1.0, 2.0, 3.0], i=[0, 5, -1], weights=np.ones((3, 2)))}),
     'spikes["exc"] i[1] = 5 is outside [0, 3)'),
    (dict(sources_um=np.zeros((2, 3)), spikes={"exc": dict(t_ms=[1.0], i=[0], weights=np.ones((3, 2)),
                                                             delays_ms=[1.0])}), "needs sparse weights"),
    (dict(sources_um=np.zeros((2, 3)), spikes={"exc": dict(t_ms=[1.0], i=[0], weights=scipy.sparse.csr_matrix(np.eye(2)),
                                                             delays_ms=[1.0, -0.5])}),
     'spikes["exc"] delays_ms must be (2,), >= 0: one per stored weight'),
    (dict(sources_um=np.zeros((2, 3)), spikes={"exc": dict(t_ms=[1.0], i=[0], weights=scipy.sparse.csr_matrix(np.eye(2)),
                                                             delays_ms=[1.0, 0.5, 2.0])}),
     'spikes["exc"] delays_ms must be (2,), >= 0: one per stored weight'),
    (dict(sources_um=np.zeros((2, 3)), coords_are="axons"), 'coords_are is "axons"; expected "somata" or "dipole_centers"'),
    (dict(sources_um=np.zeros((2, 3)), electrodes_um=np.zeros((2, 3)), shank=[0, 1, 1]),
     "shank must be (2,) integers, one per contact"),
    (dict(sources_um=np.zeros((2, 3)), electrodes_um=np.zeros((2, 3)), shank=[0.0, 1.5]),
     "shank must be (2,) integers, one per contact"),
    (dict(sources_um=np.zeros((2, 3)), shank=[0, 1]), "shank needs electrodes_um"),
    (dict(sources_um=np.zeros((2, 3)), currents={"nmda": ([0, 1], np.zeros((2, 2)))}),
     'currents["nmda"]: the kinds are "ampa" and "gaba"'),
    (dict(sources_um=np.zeros((2, 3)), spikes={"ext": dict(t_ms=[1.0], i=[0], weights=0.1)}),
     'spikes["ext"]: the groups are "exc" and "inh"'),
    (dict(sources_um=np.zeros((2, 3)), spikes={"exc": dict(t_ms=[1.0, 2.0], i=[0], weights=0.1)}),
     'spikes["exc"]: t_ms and i must be (K,) each, i integers'),
    (dict(sources_um=np.zeros((2, 3)), spikes={"exc": dict(t_ms=[1.0], i=[0.5], weights=0.1)}),
     'spikes["exc"]: t_ms and i must be (K,) each, i integers'),
    (dict(sources_um=np.zeros((2, 3)), spikes={"exc": dict(t_ms=[1.0], i=[0], weights=np.ones((3, 3)))}),
     'spikes["exc"] weights have shape (3, 3); expected (n_pre, 2)'),
    (dict(sources_um=np.zeros((2, 3)), spikes={"exc": dict(t_ms=[1.0], i=[0], weights=np.ones(4))}),
     'spikes["exc"] weights must be sparse, (n_pre, 2) or a number'),
    (dict(sources_um=np.zeros((2, 3)), spikes={"exc": dict(t_ms=[1.0], i=[0],
                                                             weights=scipy.sparse.csr_matrix(np.ones((2, 3))))}),
     'spikes["exc"]: weights have 3 columns; expected 2, one per source'),
])
def test_bad_arguments_leave_no_file(tmp_path, kwargs, message):
    path = tmp_path / "x.h5"
    with pytest.raises(ValueError) as e:
        wslfp.save_dataset(path, **kwargs)
    assert message in str(e.value)
    assert os.listdir(tmp_path) == []


def test_sparse_weights_from_more_neurons_than_sources(tmp_path):
    # J is (n_pre, S): 5 presynaptic neurons onto 2 cells; neuron 4 is one of them, 5 is not
    J = scipy.sparse.csr_matrix(np.arange(10.0).reshape(5, 2))
    path = tmp_path / "net.h5"
    wslfp.save_dataset(path, np.zeros((2, 3)), spikes={"exc": dict(t_ms=[1.0, 2.0], i=[4, 0], weights=J)})
    with h5py.File(path) as f:
        assert f["spikes/exc/weights"].attrs["shape"].tolist() == [5, 2]
    with pytest.raises(ValueError, match=r'spikes\["exc"\] i\[1\] = 5 is outside \[0, 5\)'):
        wslfp.save_dataset(path, np.zeros((2, 3)), spikes={"exc": dict(t_ms=[1.0, 2.0], i=[4, 5], weights=J)})


def test_one_source_and_short_dendrites(tmp_path):
    # one cell is a network too, and a dendrite of 0.5 µm a length
    path = tmp_path / "cell.h5"
    wslfp.save_dataset(path, [[0.0, 0.0, 0.0]], dendrite_length_um=0.5)
    with h5py.File(path) as f:
        assert f["sources/xyz_um"].shape == (1, 3)
        assert f["sources/dendrite_length_um"][()] == 0.5
    for bad in (0.0, -1.0):
        with pytest.raises(ValueError, match="dendrite_length_um must be a positive number"):
            wslfp.save_dataset(tmp_path / "bad.h5", [[0.0, 0.0, 0.0]], dendrite_length_um=bad)
    with pytest.raises(ValueError, match=r"sources_um has shape \(0, 3\)"):
        wslfp.save_dataset(tmp_path / "bad.h5", np.zeros((0, 3)))


def test_one_electrode(tmp_path):
    # a single contact is a probe too: written, and computed at
    path = tmp_path / "one.h5"
    wslfp.save_dataset(path, [[0.0, 0.0, 0.0], [30.0, 0.0, -40.0]], electrodes_um=[[0.0, 0.0, 100.0]],
                       currents={"ampa": ([0.0, 1.0, 2.0], np.ones((3, 2))), "gaba": ([0.0, 1.0, 2.0], np.ones((3, 2)))})
    with h5py.File(path) as f:
        assert f["electrodes/xyz_um"][:].tolist() == [[0.0, 0.0, 100.0]]
    assert compute(path, tmp_path / "lfp.h5", "--no-normalize").shape[1] == 1


def test_outputs_as_the_tools_write_them(tmp_path):
    # as every writer of the C library (issue 20, item 8): a pipe is not
    # replaced, a symbolic link's target is (the link stays), a dangling
    # link is refused; the file gets the usual permissions, not mkstemp's
    sources = np.zeros((2, 3))
    fifo = tmp_path / "pipe.h5"
    os.mkfifo(fifo)
    with pytest.raises(ValueError) as e:
        wslfp.save_dataset(fifo, sources)
    assert "not a regular file" in str(e.value) and str(fifo) in str(e.value)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    target = tmp_path / "target.h5"
    target.write_bytes(b"old")
    link = tmp_path / "link.h5"
    os.symlink(target, link)
    wslfp.save_dataset(link, sources)
    assert os.path.islink(link)
    with h5py.File(target) as f:
        assert f["sources/xyz_um"].shape == (2, 3)
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o666 & ~umask
    nowhere = tmp_path / "nowhere.h5"
    os.symlink(tmp_path / "missing.h5", nowhere)
    with pytest.raises(ValueError) as e:
        wslfp.save_dataset(nowhere, sources)
    assert "not there" in str(e.value)
    assert sorted(os.listdir(tmp_path)) == ["link.h5", "nowhere.h5", "pipe.h5", "target.h5"]


def test_shanks_as_given(tmp_path):
    """Contacts' shanks, given as any integers, are what the file says and
    what `wslfp info` counts (without them, contacts that share x and y
    form a shank: here all four would be one)."""
    path = tmp_path / "shanks.h5"
    e = np.array([[0, 0, 0], [0, 0, 50], [0, 0, 100], [0, 0, 150]], float)
    wslfp.save_dataset(path, np.zeros((1, 3)), electrodes_um=e, shank=np.array([7, 7, 2, 2]),
                       currents={"ampa": ([0, 1], np.ones((2, 1)))})
    with h5py.File(path) as f:
        assert f["electrodes/shank"].dtype == np.int64
        assert list(f["electrodes/shank"][:]) == [7, 7, 2, 2]
    p = subprocess.run([CLI, "info", str(path)], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    assert "electrodes: 4 on 2 shanks" in p.stdout, p.stdout
