"""The drop-in `tklfp` module (ctypes over libwslfp) against the tklfp
package's own numbers (tests/data/tklfp_reference.h5, written with the
package by build-aux/tklfp-reference.py)."""
import os

import h5py
import numpy as np
import pytest

import tklfp
import wslfp

DATA = os.environ.get("WSLFP_TEST_DATA", os.path.join(os.path.dirname(__file__), "..", "data"))


def networks():
    with h5py.File(os.path.join(DATA, "tklfp_reference.h5"), "r") as f:
        return [{k: f[name][k][()] for k in ("cells_mm", "excitatory", "orientation", "electrodes_mm", "spikes/i",
                                             "spikes/t_ms", "t_eval_ms", "expected/amplitude_uV",
                                             "expected/delay_ms", "expected/lfp_uV",
                                             "expected/min_window_thresholds_uV", "expected/min_window_ms")}
                for name in ("network0", "network1", "network2")]


def model(w, params=tklfp.params2020):
    c = w["cells_mm"]
    orientation = w["orientation"][0] if len(w["orientation"]) == 1 else w["orientation"]
    return tklfp.TKLFP(c[:, 0], c[:, 1], c[:, 2], w["excitatory"].astype(bool), w["electrodes_mm"], orientation,
                       params)


def test_profiles_are_the_packages():
    with h5py.File(os.path.join(DATA, "tklfp_reference.h5"), "r") as f:
        h = f["profiles/h_mm"][()]
        for kind in ("exc", "inh"):
            want = f["profiles/%s_A0_uV" % kind][()]
            got = tklfp.params2020["%s_A0_by_depth" % kind](h)
            assert got.shape == want.shape
            assert np.max(np.abs(got - want)) <= 1e-12 * np.max(np.abs(want))
    assert tklfp.params2020["sig_e_ms"] == 1.5 * tklfp.params2020["sig_i_ms"] == 1.5 * 2.1


@pytest.mark.parametrize("own_profiles", [False, True])
def test_networks_equal_the_package(own_profiles):
    """Amplitudes, delays, the LFP and the minimum windows of three random
    networks equal the package's to 1e-12; with depth profiles of one's own
    (here: the same ones wrapped) the module computes the geometry itself."""
    params = dict(tklfp.params2020)
    if own_profiles:
        params["exc_A0_by_depth"] = lambda h: tklfp.params2020["exc_A0_by_depth"](h)
        params["inh_A0_by_depth"] = lambda h: tklfp.params2020["inh_A0_by_depth"](h)
    for w in networks():
        m = model(w, params)
        assert np.max(np.abs(m._amp - w["expected/amplitude_uV"])) <= 1e-12 * np.max(np.abs(w["expected/amplitude_uV"]))
        assert np.max(np.abs(m._delay - w["expected/delay_ms"])) <= 1e-12 * np.max(w["expected/delay_ms"])
        # 2σ² per neuron, the package's _ss (its min-window formula reads it)
        exc = w["excitatory"].astype(bool)
        assert np.array_equal(m._ss, np.where(exc, 2 * params["sig_e_ms"] ** 2, 2 * params["sig_i_ms"] ** 2))
        lfp = m.compute(w["spikes/i"], w["spikes/t_ms"], w["t_eval_ms"])
        want = w["expected/lfp_uV"]
        assert lfp.shape == want.shape
        assert np.max(np.abs(lfp - want)) <= 1e-12 * np.max(np.abs(want))
        for th, win in zip(w["expected/min_window_thresholds_uV"], w["expected/min_window_ms"]):
            assert m.compute_min_window_ms(th) == pytest.approx(win, rel=1e-12, abs=1e-12)


def test_as_cleo_calls_it():
    """Cleo's TKLFPSignal: the model once, then compute with lists of the
    buffered spikes at one time; a spike-free step is 0."""
    w = networks()[2]
    m = model(w)
    i, t = list(w["spikes/i"]), list(w["spikes/t_ms"])
    for t_now in (0.0, 50.0, 120.5):
        got = m.compute(i, t, [t_now])
        want = m.compute(np.array(i), np.array(t), np.array([t_now, t_now + 1]))[:1]
        assert got.shape == (1, len(w["electrodes_mm"]))
        assert np.array_equal(got, want)
    assert not m.compute([], [], [10.0]).any()


def test_errors_keep_the_packages_types():
    with pytest.raises(AssertionError) as e:
        tklfp.TKLFP([0, 1], [0], [0], True)
    assert isinstance(e.value, wslfp.WslfpError)
    with pytest.raises(AssertionError):
        tklfp.TKLFP([0], [0], [0], True).compute(0, [0.0], [1.0])
    with pytest.raises(AssertionError):
        tklfp.TKLFP([0], [0], [0], True, elec_coords_mm=[[0, 0]])
    with pytest.raises(IndexError, match="spike 0: cell 3"):
        tklfp.TKLFP([0], [0], [0], True).compute([3], [0.0], [1.0])
    with pytest.raises(ValueError, match="orientation"):
        tklfp.TKLFP([0], [0], [0], True, orientation=[0, 0, 0])
    # orientations: one shared, or one per neuron; another count is refused
    for shape in [(3,), (1, 3), (2, 3)]:
        tklfp.TKLFP([0, 1], [0, 0], [0, 0], True, orientation=np.ones(shape))
    for shape in [(3, 3), (2, 2), (2, 3, 1), (4,)]:
        with pytest.raises(AssertionError, match=r"orientation must be \(3,\) or \(2, 3\), not of shape"):
            tklfp.TKLFP([0, 1], [0, 0], [0, 0], True, orientation=np.ones(shape))
    # excitatory flags: one for all, or one per neuron
    with pytest.raises(AssertionError, match=r"is_excitatory has 3 values for 2 neurons"):
        tklfp.TKLFP([0, 1], [0, 0], [0, 0], [True, False, True])
    # as many spike indices as spike times
    with pytest.raises(AssertionError, match=r"2 spike indices but 1 spike times"):
        tklfp.TKLFP([0], [0], [0], True).compute([0, 0], [1.0], [2.0])
    # the depth profiles say what they are
    assert repr(tklfp.params2020["exc_A0_by_depth"]) == "<A0 by depth, excitatory, Telenczuk et al. 2020 Fig. 5>"
    assert repr(tklfp.params2020["inh_A0_by_depth"]) == "<A0 by depth, inhibitory, Telenczuk et al. 2020 Fig. 5>"


def test_default_orientation_is_up():
    """Without an orientation the cells' apical axes point up (+z): the
    LFP of orientation=[0, 0, 1], and not that of a tilted axis."""
    rng = np.random.default_rng(3)
    xyz = rng.uniform(-0.3, 0.3, (40, 3))
    exc = rng.random(40) < 0.8
    contacts = [[0, 0, -0.2], [0.05, 0, 0.1], [0, 0.1, 0.4]]
    i_spk = rng.integers(0, 40, 300)
    t_spk = np.sort(rng.uniform(0, 50, 300))
    t_eval = np.arange(0, 80, 0.5)
    default = tklfp.TKLFP(xyz[:, 0], xyz[:, 1], xyz[:, 2], exc, contacts).compute(i_spk, t_spk, t_eval)
    up = tklfp.TKLFP(xyz[:, 0], xyz[:, 1], xyz[:, 2], exc, contacts, [0, 0, 1]).compute(i_spk, t_spk, t_eval)
    tilted = tklfp.TKLFP(xyz[:, 0], xyz[:, 1], xyz[:, 2], exc, contacts, [1, 0, 1]).compute(i_spk, t_spk, t_eval)
    assert np.max(np.abs(up)) > 0
    assert np.array_equal(default, up)
    assert np.max(np.abs(tilted - up)) > 1e-3 * np.max(np.abs(up))
