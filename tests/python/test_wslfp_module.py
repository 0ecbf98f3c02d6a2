"""The wslfp Python module (ctypes over libwslfp) against the shared
fixtures (the original package's numbers, to the C tests' tolerances),
and its shapes, scalars, dtypes, errors and streaming."""
import gc
import os
import re
import warnings

import h5py
import numpy as np
import pytest

import wslfp

DATA = os.environ.get("WSLFP_TEST_DATA", os.path.join(os.path.dirname(__file__), "..", "data"))
PROFILES = {"mazzoni15": wslfp.mazzoni15_pop, "mazzoni15_single": wslfp.mazzoni15_nrn, "aussel18": wslfp.aussel18}


def _grid_samples():
    with open(os.path.join(DATA, "mazzoni15_fig2b_grid.csv")) as f:
        return np.loadtxt(f, delimiter=",", skiprows=1)


def _bilinear_mazzoni(r_um, d_um, L_um=250, sigma=0.3):
    """The fixtures' rule (tests/data/README.md), written with SciPy:
    bilinear on the Fig. 2B grid, odd in d, 0 outside."""
    from scipy.interpolate import RegularGridInterpolator
    samples = _grid_samples()
    r, d = np.unique(samples[:, 0]), np.unique(samples[:, 1])
    g = RegularGridInterpolator((r, d), samples[:, 2].reshape(len(r), len(d)), bounds_error=False, fill_value=0.0)
    r_um, d_um = np.broadcast_arrays(np.asarray(r_um, float), np.asarray(d_um, float))
    return g(np.stack([r_um, np.abs(d_um)], axis=-1)) * np.sign(d_um)


# The profiles by the fixtures' rule: the module's Mazzoni profiles follow
# the original package's triangles instead (test_mazzoni_as_the_original).
FIXTURE_PROFILES = {"mazzoni15": _bilinear_mazzoni,
                    "mazzoni15_single": lambda r, d, L_um=250: 1.82849 * _bilinear_mazzoni(1.31724 * r, 1.22438 * d),
                    "aussel18": wslfp.aussel18}


@pytest.fixture(scope="module")
def case():
    with h5py.File(os.path.join(DATA, "small_case.h5"), "r") as f:
        return {k: f[k][()] for k in (
            "electrodes/xyz_um", "sources/xyz_um", "sources/orientation", "sources/dendrite_length_um",
            "currents/ampa/t_ms", "currents/ampa/I", "currents/gaba/t_ms", "currents/gaba/I",
            "expected/t_eval_ms", "expected/t_eval_out_of_range_ms")} | {
            "expected": {p: {k: f[f"expected/{p}/{k}"][()] for k in f[f"expected/{p}"]} for p in PROFILES}}


def rel_error(got, want):
    return np.max(np.abs(np.asarray(got) - want)) / np.max(np.abs(want))


def calculator(case, profile, fixture_rule=False, **kwargs):
    return wslfp.from_xyz_coords(case["electrodes/xyz_um"], case["sources/xyz_um"],
                                 source_orientation=case["sources/orientation"],
                                 source_dendrite_length_um=case["sources/dendrite_length_um"],
                                 amp_func=(FIXTURE_PROFILES if fixture_rule else PROFILES)[profile], **kwargs)


def currents(case):
    return (case["currents/ampa/t_ms"], case["currents/ampa/I"], case["currents/gaba/t_ms"], case["currents/gaba/I"])


@pytest.mark.parametrize("profile", PROFILES)
def test_fixtures(case, profile):
    want = case["expected"][profile]
    calc = calculator(case, profile, fixture_rule=True)
    assert calc.amp_uV.shape == want["amp_uV"].shape
    assert rel_error(calc.amp_uV, want["amp_uV"]) < 1e-9
    t_eval = case["expected/t_eval_ms"]
    assert rel_error(calc.calculate(t_eval, *currents(case), normalize=False), want["raw"]) < 1e-9
    assert rel_error(calc.calculate(t_eval, *currents(case)), want["lfp_uV"]) < 1e-9
    with pytest.warns(UserWarning, match="Insufficient current data"):
        raw = calc.calculate(case["expected/t_eval_out_of_range_ms"], *currents(case), normalize=False)
    assert rel_error(raw, want["raw_out_of_range"]) < 1e-9


@pytest.mark.parametrize("profile", PROFILES)
def test_population_fixture(case, profile):
    """Population mode as the fixture defines it, through the API: one
    source at the centroid of the dipole centres, along the mean unit
    orientation, with the mean length, driven by the summed currents."""
    o = case["sources/orientation"]
    units = o / np.linalg.norm(o, axis=1, keepdims=True)
    lengths = case["sources/dendrite_length_um"]
    centres = case["sources/xyz_um"] + units * lengths[:, None] / 2
    mean_o = units.mean(axis=0)
    calc = wslfp.from_xyz_coords(case["electrodes/xyz_um"], centres.mean(axis=0), source_coords_are_somata=False,
                                 source_orientation=mean_o, source_dendrite_length_um=lengths.mean(),
                                 amp_func=FIXTURE_PROFILES[profile])
    want = case["expected"][profile]
    assert rel_error(calc.amp_uV, want["population_amp_uV"]) < 1e-9
    t_a, i_a, t_g, i_g = currents(case)
    lfp = calc.calculate(case["expected/t_eval_ms"], t_a, i_a.sum(axis=1), t_g, i_g.sum(axis=1))
    assert rel_error(lfp, want["population_lfp_uV"]) < 1e-9


def test_strict(case):
    calc = calculator(case, "mazzoni15", strict_boundaries=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an error, not also a warning that 0 was assumed
        with pytest.raises(ValueError, match="strict mode"):
            calc.calculate(case["expected/t_eval_out_of_range_ms"], *currents(case))


def test_default_orientation_is_up_the_z_axis():
    # (the original's default: apical dendrites along +z)
    rng = np.random.default_rng(8)
    elec, src = rng.uniform(-300, 300, (6, 3)), rng.uniform(-200, 200, (20, 3))
    default = wslfp.from_xyz_coords(elec, src).amp_uV
    assert np.array_equal(default, wslfp.from_xyz_coords(elec, src, source_orientation=(0, 0, 1)).amp_uV)
    for other in [(0, 0, -1), (1, 0, 1), (0, 1, 1)]:
        assert not np.allclose(default, wslfp.from_xyz_coords(elec, src, source_orientation=other).amp_uV)


def test_default_dendrite_length_is_250_um():
    # (the original's default, for both constructors; aussel18 reads it)
    rng = np.random.default_rng(9)
    elec, src = rng.uniform(-300, 300, (5, 3)), rng.uniform(-200, 200, (12, 3))
    r, d = rng.uniform(0, 400, (5, 12)), rng.uniform(-400, 400, (5, 12))
    for make, args in [(wslfp.from_xyz_coords, (elec, src)), (wslfp.from_rec_radius_depth, (r, d))]:
        default = make(*args, amp_func=wslfp.aussel18).amp_uV
        assert np.array_equal(default, make(*args, source_dendrite_length_um=250, amp_func=wslfp.aussel18).amp_uV)
        assert not np.allclose(default, make(*args, source_dendrite_length_um=251, amp_func=wslfp.aussel18).amp_uV,
                               rtol=1e-9, atol=0)


def test_scalars_lists_and_shapes():
    calc = wslfp.from_xyz_coords([[0, 0, 100], [0, 0, -200]], [0, 0, 0])
    assert (calc.n_elec, calc.n_sources) == (2, 1)
    # scalar times, a 1-D current for one source
    lfp = calc.calculate(6, 0, [2.0], 6, [1.0], normalize=False)
    assert lfp.shape == (1, 2)
    assert np.allclose(lfp[0], calc.amp_uV[:, 0] * (2.0 - 1.65 * 1.0))
    lfp = calc.calculate([6, 7], [0, 1], [[1.0], [3.0]], [6, 7], [[0.0], [0.0]], normalize=False)
    assert lfp.shape == (2, 2)
    assert np.allclose(lfp[1], 3 * calc.amp_uV[:, 0])
    # one time point normalises with std 1: only the mean is removed
    assert np.allclose(calc.calculate(6, 0, [2.0], 6, [1.0]), 0)
    # no evaluation time, as an empty array or list: an LFP of no rows
    for empty in (np.array([]), []):
        lfp = calc.calculate(empty, empty, np.zeros((0, 1)), empty, np.zeros((0, 1)), normalize=False)
        assert lfp.shape == (0, 2)


def test_float32_and_non_contiguous(case):
    calc = calculator(case, "mazzoni15")
    t_a, i_a, t_g, i_g = currents(case)
    want = calc.calculate(case["expected/t_eval_ms"], t_a, i_a, t_g, i_g, normalize=False)
    wide_a = np.zeros((len(t_a), 2 * i_a.shape[1]))
    wide_a[:, ::2] = i_a
    got = calc.calculate(case["expected/t_eval_ms"], t_a, wide_a[:, ::2], t_g, i_g, normalize=False)
    assert rel_error(got, want) < 1e-15
    f32 = calc.calculate(case["expected/t_eval_ms"], t_a, i_a.astype(np.float32), t_g, i_g.astype(np.float32),
                         normalize=False)
    exact = calc.calculate(case["expected/t_eval_ms"], t_a, i_a.astype(np.float32).astype(np.float64), t_g,
                           i_g.astype(np.float32).astype(np.float64), normalize=False)
    assert rel_error(f32, exact) < 1e-12
    # one time on the samples (one row of each current read where it is):
    # a row whose values are not side by side is not read as if they were
    t = np.arange(200) * 0.5
    rng = np.random.default_rng(8)
    wide = np.full((200, 2 * calc.n_sources), 7.0)
    wide[:, ::2] = rng.normal(size=(200, calc.n_sources))
    t_now = [t[50] + calc.tau_ampa_ms]
    assert t_now[0] - calc.tau_gaba_ms in t  # (both on their samples)
    one = calc.calculate(t_now, t, wide[:, ::2], t, wide[:, ::2], normalize=False)
    copy = np.ascontiguousarray(wide[:, ::2])
    assert rel_error(one, calc.calculate(t_now, t, copy, t, copy, normalize=False)) < 1e-15


def test_float32_on_the_samples(monkeypatch):
    """On the samples, float32 currents and row-strided views are read in
    place (no copy) and multiplied in double: the float64 result of the
    same values, to rounding; a bad value still names its place."""
    rng = np.random.default_rng(9)
    calc = wslfp.from_xyz_coords(rng.uniform(-300, 300, (6, 3)), rng.uniform(-200, 200, (50, 3)))
    t = np.arange(400) * 0.1
    wide = rng.normal(size=(400, 70)).astype(np.float32)
    i_a, i_g = wide[:, :50], rng.normal(size=(400, 50)).astype(np.float32)
    assert not i_a.flags.c_contiguous
    converted = []
    as_doubles = wslfp._lib.as_doubles
    monkeypatch.setattr(wslfp._lib, "as_doubles",
                        lambda x: converted.append(np.shape(x)) or as_doubles(x))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = calc.calculate(t, t, i_a, t, i_g, normalize=False)
        assert (400, 50) not in converted  # the currents were not copied
        want = calc.calculate(t, t, i_a.astype(np.float64), t, i_g.astype(np.float64), normalize=False)
        assert rel_error(got, want) < 1e-12
        # rows in reverse memory order, and rows apart by a byte count that
        # is no whole number of values (a field of a record array): read
        # right, in place or not
        backwards = i_a.astype(np.float64)[::-1].copy()[::-1]
        assert backwards.strides[0] < 0
        assert rel_error(calc.calculate(t, t, backwards, t, i_g, normalize=False), want) < 1e-12
        # (ones: rows read a byte off would be finite numbers, not NaNs
        # that send the call to the general path anyway)
        records = np.zeros(400, dtype=[("x", np.float64, (50,)), ("flag", np.int8)])
        records["x"] = 1.0
        assert records["x"].strides[0] % 8
        ones = calc.calculate(t, t, np.ones((400, 50)), t, i_g, normalize=False)
        assert rel_error(calc.calculate(t, t, records["x"], t, i_g, normalize=False), ones) < 1e-12
        # a few times late in a long recording: read in place too (only
        # the rows from the first time's to the last's are used)
        long_t = np.arange(40000) * 0.1
        long_i = rng.normal(size=(40000, 50)).astype(np.float32)
        late = long_t[30000:30100]
        got = calc.calculate(late, long_t, long_i, long_t, long_i, normalize=False)
        assert (40000, 50) not in converted
        as_float64 = long_i.astype(np.float64)
        assert rel_error(got, calc.calculate(late, long_t, as_float64, long_t, as_float64, normalize=False)) < 1e-12
        i_g[123, 7] = np.inf
        with pytest.raises(ValueError, match=r"\[123\]\[7\]"):
            calc.calculate(t, t, i_a, t, i_g, normalize=False)


def test_errors(case):
    calc = calculator(case, "mazzoni15")
    t_a, i_a, t_g, i_g = currents(case)
    t_eval = case["expected/t_eval_ms"]
    with pytest.raises(wslfp.ShapeError):
        calc.calculate(t_eval, t_a, i_a[:-1], t_g, i_g)
    with pytest.raises(AssertionError):  # as the original asserted
        calc.calculate(t_eval, t_a, i_a, t_g, i_g[:, :-1])
    with pytest.raises(ValueError, match="monotonically increasing"):
        calc.calculate(t_eval, t_a[::-1], i_a, t_g, i_g)
    # a shape error names the argument, then its shape
    with pytest.raises(wslfp.ShapeError, match=r"^t_ampa_ms must be one-dimensional, not of shape \(2, 3\)$"):
        calc.calculate(t_eval, np.zeros((2, 3)), i_a, t_g, i_g)
    with pytest.raises(wslfp.ShapeError, match=r"^source_orientation must have shape \(3,\) or \(1, 3\), not \(2, 3\)$"):
        wslfp.from_xyz_coords([[0, 0, 0]], np.zeros((1, 3)), source_orientation=np.ones((2, 3)))
    with pytest.raises(ValueError, match="empty"):
        calc.calculate([], t_a, i_a, t_g, i_g)
    bad = i_a.copy()
    bad[3, 2] = np.nan
    with pytest.raises(ValueError, match=r"\[3\]\[2\]"):
        calc.calculate(t_eval, t_a, bad, t_g, i_g)
    with pytest.raises(ValueError, match="amplitude \\[0\\]\\[1\\]"):
        wslfp.from_rec_radius_depth(np.ones((2, 3)), np.ones((2, 3)),
                                    amp_func=lambda r, d, L_um, **kw: np.where(np.arange(3) == 1, np.nan, r))
    with pytest.raises(ValueError, match="source_orientation\\[1\\]"):
        wslfp.from_xyz_coords([[0, 0, 0]], np.zeros((2, 3)), source_orientation=[[0, 0, 1], [0, 0, 0]])
    with pytest.raises(wslfp.ShapeError):
        wslfp.from_xyz_coords([[0, 0, 0]], np.zeros((2, 3)), source_dendrite_length_um=[1, 2, 3])
    with pytest.raises(ValueError, match="point"):
        wslfp.aussel18(-1.0, 0.0)


def test_own_amplitude_function():
    """Any callable profile, as in the original: the LFP is the weighted
    sum written out."""
    rng = np.random.default_rng(5)
    r, d = rng.uniform(0, 300, (4, 7)), rng.uniform(-300, 300, (4, 7))
    calc = wslfp.from_rec_radius_depth(r, d, amp_func=lambda r_um, d_um, L_um, scale=1: scale * d_um / (1 + r_um),
                                       amp_kwargs={"scale": 2.0}, alpha=1.2, tau_ampa_ms=0)
    t = np.arange(10.0)
    i_a, i_g = rng.normal(size=(10, 7)), rng.normal(size=(10, 7))
    want = (i_a - 1.2 * i_g) @ (2.0 * d / (1 + r)).T
    assert rel_error(calc.calculate(t, t, i_a, t, i_g, normalize=False), want) < 1e-12


def test_per_source_lengths():
    """One dendrite length per source works (the original failed); equal
    lengths give the shared length's result."""
    elec, src = [[0, 0, 150], [30, 0, -50]], [[0, 0, 0], [10, 0, 0], [0, 20, -30]]
    shared = wslfp.from_xyz_coords(elec, src, source_dendrite_length_um=300, amp_func=wslfp.aussel18)
    each = wslfp.from_xyz_coords(elec, src, source_dendrite_length_um=[300, 300, 300], amp_func=wslfp.aussel18)
    assert np.allclose(shared.amp_uV, each.amp_uV, rtol=1e-14, atol=0)
    varied = wslfp.from_xyz_coords(elec, src, source_dendrite_length_um=[100, 300, 500], amp_func=wslfp.aussel18)
    assert not np.allclose(varied.amp_uV, shared.amp_uV)


def test_amplitude_functions():
    r = np.array([[0.0, 50.0], [200.0, 400.0]])
    d = np.array([[0.0, -100.0], [300.0, 20.0]])
    assert wslfp.aussel18(r, d).shape == (2, 2)
    assert wslfp.aussel18(0.0, 0.0) == 0  # the original gave NaN
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # (0 at the dipole itself, without a division by zero)
        assert wslfp.aussel18_mod(0.0, 0.0) == 0
        assert wslfp.aussel18_mod(np.zeros(3), np.zeros(3)).tolist() == [0, 0, 0]
    # the default dendrite length is the original's 250 µm, for every method
    for method in ("mazzoni15_nrn", "mazzoni15_pop", "aussel18", "aussel18_mod"):
        assert np.array_equal(wslfp.f_amp(r, d, method=method), wslfp.f_amp(r, d, L_um=250, method=method))
    assert not np.allclose(wslfp.f_amp(r, d, method="aussel18"), wslfp.f_amp(r, d, L_um=251, method="aussel18"))
    for f in (wslfp.aussel18, wslfp.aussel18_mod):
        assert np.array_equal(f(r, d), f(r, d, L_um=250, sigma=0.3))
    dist = np.hypot(r, d)
    with np.errstate(invalid="ignore", divide="ignore"):
        closed = 0.021 * 250 * (-d / dist) / (4 * np.pi * 0.3 * dist**2)
    assert np.allclose(wslfp.aussel18(r, d)[1], closed[1], rtol=1e-12, atol=0)
    assert np.allclose(wslfp.aussel18(r, d, sigma=0.6), wslfp.aussel18(r, d) / 2, rtol=1e-12)
    # the modified form: L cos θ / (4π σ dist), cos θ = −d / dist
    with np.errstate(invalid="ignore", divide="ignore"):
        modified = 300 * (-d / dist) / (4 * np.pi * 0.3 * dist)
    assert np.allclose(wslfp.aussel18_mod(r, d, L_um=300)[1], modified[1], rtol=1e-12, atol=0)
    assert wslfp.aussel18_mod(r, d, L_um=300)[0, 1] == pytest.approx(modified[0, 1], rel=1e-12)
    assert np.allclose(wslfp.aussel18_mod(r, d, sigma=0.6), wslfp.aussel18_mod(r, d) / 2, rtol=1e-12)
    assert np.allclose(wslfp.f_amp(r, d, method="mazzoni15_pop"), wslfp.mazzoni15_pop(r, d))
    # f_amp's default conductivity is the original's 0.3 S/m too
    assert np.allclose(wslfp.f_amp(r, d, method="aussel18")[1], closed[1], rtol=1e-12, atol=0)
    for method in ("aussel18", "aussel18_mod"):
        assert np.array_equal(wslfp.f_amp(r, d, method=method), wslfp.f_amp(r, d, sigma=0.3, method=method))
    assert np.allclose(wslfp.mazzoni15_nrn(r, d), 1.82849 * wslfp.mazzoni15_pop(1.31724 * r, 1.22438 * d),
                       rtol=1e-12, atol=1e-15)
    with pytest.raises(wslfp.ShapeError):
        wslfp.f_amp(r, d[0])


def test_stream_equals_batch(case):
    """Step by step, and in blocks, the stream gives calculate()'s raw LFP
    (currents on a uniform grid, whole-step delays)."""
    rng = np.random.default_rng(3)
    calc = wslfp.from_xyz_coords(rng.uniform(-300, 300, (5, 3)), rng.uniform(-200, 200, (40, 3)))
    dt, T = 0.1, 400
    t = np.arange(T) * dt
    i_a, i_g = rng.normal(size=(T, 40)), rng.normal(size=(T, 40))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        want = calc.calculate(t, t, i_a, t, i_g, normalize=False)
    stream = wslfp.Stream(calc, dt)
    steps = np.array([stream.push(i_a[k], i_g[k]) for k in range(T)])
    assert steps.shape == (T, 5)
    assert rel_error(steps, want) < 1e-12
    stream.reset()
    blocks = np.concatenate([stream.push(i_a[k:k + 64], i_g[k:k + 64]) for k in range(0, T, 64)])
    assert rel_error(blocks, want) < 1e-12
    mean, std = want.mean(axis=0), want.std(axis=0)
    stream.reset()
    stream.set_normalization(mean, std)
    normalised = np.array([stream.push(i_a[k], i_g[k]) for k in range(T)])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        lfp, wsum = calc.calculate(t, t, i_a, t, i_g, wsum_mean_std_for_norm=(mean, std))
    assert rel_error(normalised, lfp) < 1e-12
    assert rel_error(wsum, want) < 1e-15
    with pytest.raises(wslfp.ShapeError):
        stream.push(np.zeros(39))
    # a NaN, on the one-step path as on the others, is an error naming it
    bad = i_a[5].copy()
    bad[7] = np.nan
    with pytest.raises(wslfp.WslfpError, match=r"ampa\[0\]\[7\] is nan"):
        stream.push(bad, i_g[5])
    # None is zero current; lists and float32 work too
    stream.set_normalization()
    stream.reset()
    a = stream.push(i_a[0], None)
    stream.reset()
    assert np.array_equal(a, stream.push(i_a[0], np.zeros(40)))
    # (either one: GABA alone, in one step and in several)
    stream.reset()
    g = stream.push(None, i_g[:3])
    stream.reset()
    assert np.array_equal(g, stream.push(np.zeros((3, 40)), i_g[:3]))
    assert np.any(g != 0)
    stream.reset()
    assert rel_error(stream.push(list(i_a[0]), i_g[0].astype(np.float32)), want[0]) < 1e-6


def direct_currents(t_eval, t_spk, i_spk, J, tau1, tau2, delay, normalize, window):
    """The truncated sum written out: every (time, spike) pair."""
    age = np.asarray(t_eval, float)[:, None] - (np.asarray(t_spk, float)[None, :] + delay)
    inside = (age >= 0) & ((age < window) if window > 0 else True)
    k = np.where(inside, np.exp(-np.maximum(age, 0) / tau1) - np.exp(-np.maximum(age, 0) / tau2), 0.0)
    if normalize:
        tp = tau1 * tau2 / (tau1 - tau2) * np.log(tau1 / tau2)
        k /= np.exp(-tp / tau1) - np.exp(-tp / tau2)
    return k @ np.asarray(J)[np.asarray(i_spk)]


class CsrLike:
    """A sparse matrix as SciPy's look to us: tocsr() with indptr, indices,
    data and shape (SciPy is optional)."""

    def __init__(self, dense):
        self.shape = dense.shape
        self.indptr = np.concatenate([[0], np.cumsum((dense != 0).sum(axis=1))])
        self.indices = np.nonzero(dense)[1]
        self.data = dense[dense != 0]

    def tocsr(self):
        return self


@pytest.mark.parametrize("normalize", [False, True])
@pytest.mark.parametrize("sparse", [False, True])
@pytest.mark.parametrize("threshold", [0.001, 0.05, 0])
def test_spikes_to_currents(normalize, sparse, threshold):
    rng = np.random.default_rng(7)
    J = rng.normal(size=(6, 5)) * (rng.random((6, 5)) < 0.6)
    t_spk = np.sort(rng.uniform(-30, 80, 40))
    i_spk = rng.integers(0, 6, 40)
    t = np.arange(0, 100, 0.25)
    got = wslfp.spikes_to_biexp_currents(t, t_spk, i_spk, CsrLike(J) if sparse else J, 8, 3, syn_delay_ms=1.5,
                                         normalize=normalize, threshold=threshold)
    window = wslfp.spk2curr._window(8, 3, threshold)
    if threshold:
        # the window ends where the normalised kernel has fallen to the threshold
        assert abs(wslfp.biexp_kernel(window, 8, 3, normalize=True) - threshold) < 1e-12
    want = direct_currents(t, t_spk, i_spk, J, 8, 3, 1.5, normalize, window)
    assert got.shape == (len(t), 5)
    assert rel_error(got, want) < 1e-11
    # unsorted, repeated times and spikes in any order: the same rows
    order = rng.permutation(len(t))
    again = wslfp.spikes_to_biexp_currents(np.concatenate([t[order], t[:3]]), t_spk[::-1], i_spk[::-1],
                                           J, 8, 3, syn_delay_ms=1.5, normalize=normalize, threshold=threshold)
    assert rel_error(again[:len(t)], want[order]) < 1e-11
    assert rel_error(again[len(t):], want[:3]) < 1e-11


def test_spikes_scalars_and_errors():
    J = np.array([[1.0, 2.0]])
    one = wslfp.spikes_to_biexp_currents(5.0, 0.0, 0, J, 4, 1)
    assert one.shape == (1, 2)
    assert np.allclose(one[0], wslfp.biexp_kernel(4.0, 4, 1) * J[0])
    # a spike long before: 0, not NaN
    assert np.all(wslfp.spikes_to_biexp_currents([0, 1], [-1e5], [0], J, 4, 1, threshold=0) == 0)
    assert not np.any(np.isnan(wslfp.biexp_kernel(np.array([-1e5, 0, 3]), 4, 1)))
    assert wslfp.spikes_to_biexp_currents([], [1.0], [0], J, 4, 1).shape == (0, 2)
    none = wslfp.spikes_to_biexp_currents([1.0, 2.0], [0.5], [0], np.zeros((1, 0)), 4, 1)  # no targets
    assert none.shape == (2, 0)
    with pytest.raises(ValueError, match="outside"):
        wslfp.spikes_to_biexp_currents([1, 2], [0.5], [3], J, 4, 1)
    for tau1, tau2 in ((1, 4), (2, 2), (2, 0), (2, -1)):  # (equal: no kernel; a rise of 0 or less: none either)
        # (the message gives each value its name: which one to change)
        with pytest.raises(ValueError, match="tau1 must be greater.*; got tau1 = %g, tau2 = %g$" % (tau1, tau2)):
            wslfp.spikes_to_biexp_currents([1, 2], [0.5], [0], J, tau1, tau2)
    with pytest.raises(wslfp.ShapeError):
        wslfp.spikes_to_biexp_currents([1, 2], [0.5, 0.7], [0], J, 4, 1)
    # times of two dimensions, each alone (the spikes' with their indices)
    for t_eval, t_spk, i_spk, shapes in (([[1.0, 2.0]], [0.5], [0], "(1, 2), (1,), (1,)"),
                                         ([1.0, 2.0], [[0.5]], [[0]], "(2,), (1, 1), (1, 1)")):
        with pytest.raises(wslfp.ShapeError, match=re.escape("must be 1-D and i_spk as long as t_spk_ms; got "
                                                             + shapes)):
            wslfp.spikes_to_biexp_currents(t_eval, t_spk, i_spk, J, 4, 1)


def test_spikes_brian_fixture():
    """Brian2's recorded currents from its spikes (ODE synapse: weights times
    τr/(τd − τr), delay + 2 dt, no truncation), as the C test does."""
    with h5py.File(os.path.join(DATA, "brian_small.h5"), "r") as f:
        t = f["currents/ampa/t_ms"][()]
        want = f["currents/ampa/I"][()].astype(np.float64)
        g = f["spikes/exc"]
        n_pre, n_post = g["weights"].attrs["shape"]
        w = g["weights"]
        J = np.zeros((n_pre, n_post))
        for p in range(n_pre):
            J[p, w["indices"][w["indptr"][p]:w["indptr"][p + 1]]] = w["data"][w["indptr"][p]:w["indptr"][p + 1]]
        tr, td, delay = g.attrs["tau_rise_ms"], g.attrs["tau_decay_ms"], g.attrs["delay_ms"]
        got = wslfp.spikes_to_biexp_currents(t, g["t_ms"][()], g["i"][()], J * tr / (td - tr), td, tr,
                                             syn_delay_ms=delay + 2 * (t[1] - t[0]), threshold=0)
    assert rel_error(got, want) <= 1e-5


def test_plot_amp(tmp_path):
    """plot_amp draws the amplitude image with a colour bar and labels."""
    import matplotlib

    matplotlib.use("Agg")
    r, d = np.meshgrid(np.linspace(0, 500, 40), np.linspace(-800, 800, 60))
    fig, ax = wslfp.plot_amp(wslfp.mazzoni15_nrn(r, d), extent=(0, 500, -800, 800), title="mazzoni15_nrn", vlim=0.1,
                             interpolation="nearest")
    assert len(ax.images) == 1
    assert ax.images[0].get_interpolation() == "nearest"  # (further options go to imshow)
    assert ax.images[0].get_cmap().name == "RdBu"
    assert ax.images[0].get_clim() == (-0.1, 0.1)
    assert ax.get_title() == "mazzoni15_nrn"
    assert ax.get_xlabel().startswith("Electrode lateral distance")
    assert len(fig.axes) == 2  # the image and its colour bar
    fig.savefig(tmp_path / "amp.png")
    assert (tmp_path / "amp.png").stat().st_size > 1000


class _ShortCSR:
    """A sparse matrix whose arrays are shorter than its shape says (hand
    made or damaged): the library read past them (issue 20, item 5)."""

    def __init__(self, indptr, indices, data, shape):
        self.indptr, self.indices, self.data, self.shape = (np.asarray(indptr), np.asarray(indices),
                                                             np.asarray(data, float), shape)

    def tocsr(self):
        return self


@pytest.mark.parametrize("indptr, indices, data, message", [
    ([0, 1], [0], [1.0], "J.indptr has 2 values; J's 3 rows need 4"),
    ([0, 1, 2, 5], [0, 1], [1.0, 2.0], "J.indptr[-1] = 5"),       # 5 stored, 2 given
    ([0, 1, 2, 3], [0, 1, 0], [1.0, 2.0], "J.data 2 values"),     # the data shorter than the indices
    ([0, 2, 1, 2], [0, 1], [1.0, 2.0], "never decrease"),
    ([0, 1, 1, 2], [0, 7], [1.0, 2.0], "column numbers in [0, 2)"),
])
def test_spikes_to_currents_refuses_short_csr(indptr, indices, data, message):
    J = _ShortCSR(indptr, indices, data, (3, 2))
    with pytest.raises((ValueError, AssertionError)) as e:
        wslfp.spikes_to_biexp_currents([1.0, 2.0], [0.5], [0], J, tau1_ms=2.0, tau2_ms=0.4)
    assert message in str(e.value)
    # and so at one time, as a closed loop asks (float64 times, int64
    # indices: the one-time path's own checks, not the general path's),
    # but for the order of rows it does not read (it reads the spiking
    # neuron's row only, at every step)
    if message == "never decrease":
        return
    J = _ShortCSR(np.array(indptr, np.int64), np.array(indices, np.int64), data, (3, 2))
    with pytest.raises((ValueError, AssertionError)) as e:
        wslfp.spikes_to_biexp_currents([3.0], np.array([0.5]), np.array([2], np.int64), J, tau1_ms=2.0, tau2_ms=0.4)
    assert message in str(e.value)


def test_per_step_caches_follow_changes(case):
    """A closed loop calls calculate once per step: the C model is kept
    while amp_uV stays the same, and built again when it is changed in
    place or replaced; the spikes' kernel window is kept per (τ1, τ2,
    threshold) and equals the bisection's value."""
    calc = calculator(case, "mazzoni15_single")
    args = (case["expected/t_eval_ms"],) + currents(case)
    first = calc.calculate(*args, normalize=False)
    kept = calc._model()
    assert np.array_equal(calc.calculate(*args, normalize=False), first)
    assert calc._model() is kept  # not built again for an unchanged amp_uV
    calc.amp_uV[0] *= 2  # in place
    doubled = calc.calculate(*args, normalize=False)
    assert np.allclose(doubled[:, 0], 2 * first[:, 0], rtol=1e-12, atol=0)
    assert np.array_equal(doubled[:, 1:], first[:, 1:])
    calc.amp_uV = np.zeros_like(calc.amp_uV)  # replaced
    assert not calc.calculate(*args, normalize=False).any()
    from wslfp import spk2curr
    spk2curr._window.cache_clear()
    w = spk2curr._window(3.0, 1.0, 0.001)
    assert spk2curr._window(3.0, 1.0, 0.001) == w
    assert spk2curr._window.cache_info().hits == 1
    assert w == spk2curr._window.__wrapped__(3.0, 1.0, 0.001)
    assert abs(wslfp.biexp_kernel(w, 3.0, 1.0, normalize=True) - 0.001) < 1e-9


def test_closed_loop_calculate_steps(case, monkeypatch):
    """Cleo's per-step call (one time, each current at exactly that time
    minus its delay, (1, N) currents, scalar times) takes the one-step path
    and equals the whole-array computation's row and amp_uV · (I_ampa −
    α I_gaba) written out, for float64, float32 and list currents; it sees
    amp_uV changed in place; a NaN current is still an error naming it."""
    calc = calculator(case, "mazzoni15_single")
    _, I_a, _, I_g = currents(case)
    taken = []
    one_step = wslfp.WSLFPCalculator._one_step
    monkeypatch.setattr(wslfp.WSLFPCalculator, "_one_step",
                        lambda self, *a: taken.append(one_step(self, *a) is not None) or one_step(self, *a))
    for k in range(0, min(len(I_a), len(I_g)), 7):
        t_now = round(10.0 + 0.1 * k, 3)
        t_ampa, t_gaba = t_now - calc.tau_ampa_ms, t_now - calc.tau_gaba_ms
        want = calc.amp_uV @ (I_a[k] - calc.alpha * I_g[k])
        for kind in (np.float64, np.float32, list):
            a = I_a[k:k + 1].astype(np.float64 if kind is list else kind)
            g = I_g[k:k + 1].astype(np.float64 if kind is list else kind)
            if kind is list:
                a, g = a.tolist(), g.tolist()
            got = calc.calculate([t_now], t_ampa, a, t_gaba, g, normalize=False)
            assert got.shape == (1, calc.n_elec)
            tol = 1e-6 if kind is np.float32 else 1e-12
            assert np.max(np.abs(got[0] - want)) <= tol * np.max(np.abs(want))
        # the general path (two samples each, so no one-step path) agrees
        general = calc.calculate([t_now], [t_ampa, t_ampa + 1], np.vstack([I_a[k], I_a[k]]),
                                 [t_gaba, t_gaba + 1], np.vstack([I_g[k], I_g[k]]), normalize=False)
        assert np.max(np.abs(got[0] - general[0])) <= 1e-12 * np.max(np.abs(want))
    assert taken and taken == [True, True, True, False] * (len(taken) // 4)  # (the general calls: not taken)
    # a GABA sample that is not at t − τ_GABA is not read as if it were:
    # the current there is 0, as on the general path, and said so
    for t_g in (t_gaba - 1.0, t_gaba + 0.5):
        with pytest.warns(UserWarning, match="Assuming 0 current"):
            off = calc.calculate([t_now], t_ampa, I_a[k:k + 1], t_g, I_g[k:k + 1], normalize=False)
        assert np.max(np.abs(off[0] - calc.amp_uV @ I_a[k])) <= 1e-12 * np.max(np.abs(calc.amp_uV @ I_a[k]))
    # times given as NumPy arrays of one number, float or int, take it too
    taken.clear()
    want = calc.amp_uV @ (I_a[3] - calc.alpha * I_g[3])
    for kind in (np.float64, np.int64):
        times = [np.array([t]).astype(kind) for t in (12.0, 12.0 - calc.tau_ampa_ms, 12.0 - calc.tau_gaba_ms)]
        got = calc.calculate(times[0], times[1], I_a[3:4], times[2], I_g[3:4], normalize=False)
        assert np.max(np.abs(got[0] - want)) <= 1e-12 * np.max(np.abs(want))
    assert taken == [True, True]
    t_now = 12.3
    args = ([t_now], t_now - calc.tau_ampa_ms, I_a[3:4], t_now - calc.tau_gaba_ms, I_g[3:4])
    before = calc.calculate(*args, normalize=False)
    calc.amp_uV[1] *= -3.0
    after = calc.calculate(*args, normalize=False)
    assert after[0, 1] == pytest.approx(-3.0 * before[0, 1], rel=1e-12)
    # amp_uV in Fortran order (NumPy's product, not BLAS's): the same numbers
    calc.amp_uV = np.asfortranarray(calc.amp_uV)
    fortran = calc.calculate(*args, normalize=False)
    assert np.max(np.abs(fortran - after)) <= 1e-12 * np.max(np.abs(after))
    calc.amp_uV = np.ascontiguousarray(calc.amp_uV)
    bad = I_a[3:4].copy()
    bad[0, 5] = np.nan
    with pytest.raises(ValueError, match="5"):
        calc.calculate([t_now], t_now - calc.tau_ampa_ms, bad, t_now - calc.tau_gaba_ms, I_g[3:4], normalize=False)
    # an empty amplitude matrix: the general path's clear error, not BLAS's
    for shape in ((0, 3), (2, 0)):
        with pytest.raises(wslfp.WslfpError, match="at least 1 × 1"):
            wslfp.WSLFPCalculator(np.zeros(shape)).calculate([1.0], -5.0, np.ones((1, shape[1])), 1.0,
                                                             np.ones((1, shape[1])), normalize=False)
    # pooled (one source): scalars for currents, as Cleo passes them
    pooled = wslfp.from_xyz_coords(case["electrodes/xyz_um"], case["sources/xyz_um"].mean(axis=0))
    got = pooled.calculate([10.0], 4.0, np.float64(2.0), 10.0, np.float64(0.5), normalize=False)
    assert np.allclose(got[0], pooled.amp_uV[:, 0] * (2.0 - 1.65 * 0.5), rtol=1e-14, atol=0)


def test_time_rounding_rule():
    """A delayed time within 1e-9 of a sample spacing (for a single sample,
    of max(|t|, 1) ms) is that sample, and then nothing is said; farther
    out, the current is 0 and the warning says so (6.1 − 6 is
    0.0999999999999996 in binary, the original package gave 0 here)."""
    calc = wslfp.WSLFPCalculator(amp_uV=np.array([[1.0]]))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert calc.calculate([6.1], [0.1], [[2.0]], [6.1], [[0.0]], normalize=False)[0, 0] == pytest.approx(2.0)
        two = calc.calculate([6.1, 6.2], [0.1, 0.2], [[2.0], [3.0]], [6.1, 6.2], [[0.0], [0.0]], normalize=False)
        assert two[:, 0] == pytest.approx([2.0, 3.0])
    for t_eval in ([6.1 + 1e-6], [6.3]):
        with pytest.warns(UserWarning, match="Assuming 0 current"):
            got = calc.calculate(t_eval, [0.1], [[2.0]], t_eval, [[0.0]], normalize=False)
        assert got[0, 0] == 0.0
    with pytest.warns(UserWarning, match="Assuming 0 current"):
        got = calc.calculate([6.3], [0.1, 0.2], [[2.0], [3.0]], [6.3], [[0.0]], normalize=False)
    assert got[0, 0] == 0.0
    # a single sample at 0: the tolerance is 1e-9 of 1 ms
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        near = calc.calculate([6 + 0.5e-9], [0.0], [[2.0]], [6 + 0.5e-9], [[0.0]], normalize=False)
    assert near[0, 0] == pytest.approx(2.0)
    with pytest.warns(UserWarning, match="Assuming 0 current"):
        far = calc.calculate([6 + 1.5e-9], [0.0], [[2.0]], [6 + 1.5e-9], [[0.0]], normalize=False)
    assert far[0, 0] == 0.0
    # exactly the tolerance out is still the sample, silently, as in C
    undelayed = wslfp.WSLFPCalculator(amp_uV=np.array([[1.0]]), tau_ampa_ms=0.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        edge = undelayed.calculate([-1e-9], [0.0, 1.0], [[2.0], [3.0]], [-1e-9], [[0.0]], normalize=False)
        # and past the last sample (1e-9 − 0 is exactly 1e-9 of the spacing)
        last = undelayed.calculate([1e-9], [-1.0, 0.0], [[3.0], [2.0]], [1e-9], [[0.0]], normalize=False)
    assert edge[0, 0] == pytest.approx(2.0)
    assert last[0, 0] == pytest.approx(2.0)


@pytest.mark.parametrize("kind", ["scipy-csr", "dense", "pooled"])
def test_closed_loop_spike_steps(kind):
    """Cleo's per-step spikes call (one time; the monitor's whole record,
    sorted, int32 indices; a SciPy CSR J, or J summed over targets) equals
    the truncated sum written out at every step, with the kernel windows
    Cleo uses; unsorted spikes give the same through the general path;
    a spike of a neuron J does not have is an error naming it."""
    sparse = pytest.importorskip("scipy.sparse")
    rng = np.random.default_rng(11)
    n_pre, n_post = 50, 40
    dense = rng.uniform(0.5, 1.5, (n_pre, n_post)) * (rng.random((n_pre, n_post)) < 0.2)
    J = {"scipy-csr": sparse.csr_array(dense), "dense": dense, "pooled": dense.sum(axis=1).reshape((-1, 1))}[kind]
    Jd = dense if kind != "pooled" else J
    t_spk = np.sort(np.round(rng.uniform(0, 60, 400), 1))  # on a 0.1 ms grid, as Brian2 records
    i_spk = rng.integers(0, n_pre, 400).astype(np.int32)
    for tau1, tau2 in ((2.0, 0.4), (5.0, 0.25)):
        window = wslfp.spk2curr._window(tau1, tau2, 1e-3)
        for t in np.round(np.arange(0.0, 80.0, 0.7), 1):
            seen = t_spk <= t  # the record so far
            got = wslfp.spikes_to_biexp_currents([t], t_spk[seen], i_spk[seen], J, tau1_ms=tau1, tau2_ms=tau2,
                                                 syn_delay_ms=1.0, threshold=1e-3)
            want = direct_currents([t], t_spk[seen], i_spk[seen], Jd, tau1, tau2, 1.0, False, window)
            assert got.shape == (1, Jd.shape[1])
            assert np.max(np.abs(got - want)) <= 1e-12 * max(1.0, np.max(np.abs(want)))
    # normalised kernels (peak 1) on the same path
    for t in (12.3, 40.0):
        got = wslfp.spikes_to_biexp_currents([t], t_spk[t_spk <= t], i_spk[t_spk <= t], J, tau1_ms=2.0, tau2_ms=0.4,
                                             syn_delay_ms=1.0, normalize=True, threshold=1e-3)
        want = direct_currents([t], t_spk[t_spk <= t], i_spk[t_spk <= t], Jd, 2.0, 0.4, 1.0, True,
                               wslfp.spk2curr._window(2.0, 0.4, 1e-3))
        assert np.max(np.abs(want)) > 0.1
        assert np.max(np.abs(got - want)) <= 1e-12 * np.max(np.abs(want))
    shuffled = rng.permutation(len(t_spk))
    got = wslfp.spikes_to_biexp_currents([30.0], t_spk[shuffled], i_spk[shuffled], J, 2.0, 0.4)
    want = direct_currents([30.0], t_spk, i_spk, Jd, 2.0, 0.4, 1.0, False, wslfp.spk2curr._window(2.0, 0.4, 1e-3))
    assert np.max(np.abs(got - want)) <= 1e-12 * max(1.0, np.max(np.abs(want)))
    if kind == "scipy-csr":
        # a CSR whose indptr, indices or data is a strided view (SciPy
        # keeps what it is given) gives the same numbers
        for name in ("indptr", "indices", "data"):
            strided = sparse.csr_array(dense)
            a = getattr(strided, name)
            wide = np.zeros(2 * len(a), a.dtype)
            wide[::2] = a
            wide[1::2] = 7  # what a reader of contiguous memory would take
            setattr(strided, name, wide[::2])
            assert not getattr(strided, name).flags.c_contiguous
            got = wslfp.spikes_to_biexp_currents([30.0], t_spk, i_spk, strided, 2.0, 0.4)
            assert np.max(np.abs(got - want)) <= 1e-12 * max(1.0, np.max(np.abs(want)))
        # index arrays of two types, or of a type the one-time path does
        # not read (it would take their bytes as the other type's): the
        # same numbers, through the general path
        for indptr_type, indices_type in ((np.int64, np.int32), (np.int32, np.int64), (np.uint16, np.uint16)):
            mixed = sparse.csr_array(dense)
            mixed.indptr, mixed.indices = mixed.indptr.astype(indptr_type), mixed.indices.astype(indices_type)
            assert (mixed.indptr.dtype, mixed.indices.dtype) == (indptr_type, indices_type)
            got = wslfp.spikes_to_biexp_currents([30.0], t_spk, i_spk, mixed, 2.0, 0.4)
            assert np.max(np.abs(got - want)) <= 1e-12 * max(1.0, np.max(np.abs(want)))
    wrong = i_spk.copy()
    wrong[-1] = n_pre
    with pytest.raises(ValueError, match=r"neuron\[%d\] = %d" % (len(t_spk) - 1, n_pre)):
        wslfp.spikes_to_biexp_currents([t_spk[-1] + 2.0], t_spk, wrong, J, 2.0, 0.4)


@pytest.mark.parametrize("kind", ["scipy-csr", "dense"])
def test_closed_loop_spike_steps_take_the_one_time_path(kind, monkeypatch):
    """Cleo's per-step call (sorted float64 times, int32 or int64 indices,
    an exact CSR or a C-order J, any delay from 0) is read by libwslfp's
    one-time path, which reads only the spikes whose kernel is open (the
    general path reads the whole record at every step), and gives the
    truncated sum written out."""
    sparse = pytest.importorskip("scipy.sparse")
    rng = np.random.default_rng(5)
    dense = rng.uniform(0.5, 1.5, (30, 20)) * (rng.random((30, 20)) < 0.3)
    J = sparse.csr_array(dense) if kind == "scipy-csr" else dense
    if kind == "scipy-csr":
        assert len(J.indices) == J.indptr[-1] == len(J.data)  # (exact: no spare room)
    t_spk = np.sort(np.round(rng.uniform(0, 30, 200), 1))
    taken = []
    one_time = wslfp.spk2curr._at_one_time
    monkeypatch.setattr(wslfp.spk2curr, "_at_one_time",
                        lambda *a: taken.append(one_time(*a) is not None) or one_time(*a))
    for index_type in (np.int32, np.int64):
        i_spk = rng.integers(0, 30, 200).astype(index_type)
        for delay in (0.0, 1.5):
            got = wslfp.spikes_to_biexp_currents([31.0], t_spk, i_spk, J, 2.0, 0.4, syn_delay_ms=delay)
            want = direct_currents([31.0], t_spk, i_spk, dense, 2.0, 0.4, delay, False,
                                   wslfp.spk2curr._window(2.0, 0.4, 1e-3))
            assert np.max(np.abs(want)) > 0.1
            assert np.max(np.abs(got - want)) <= 1e-12 * np.max(np.abs(want))
    assert taken == [True] * 4


def test_mazzoni_as_the_original():
    """mazzoni15_pop and mazzoni15_nrn equal the original package's (SciPy's
    LinearNDInterpolator on the Fig. 2B sample points, in the original's
    order; 0 outside; odd in d) to 1e-12 of the peak at 10^5 random points
    in and around the grid, on its lines and at its nodes."""
    from scipy.interpolate import LinearNDInterpolator
    samples = _grid_samples()
    interp = LinearNDInterpolator(samples[:, :2], samples[:, 2])
    rng = np.random.default_rng(23)
    n = 100_000
    r, d = rng.uniform(0, 1400, n), rng.uniform(-2600, 2600, n)
    nodes_r, nodes_d = np.unique(samples[:, 0]), np.unique(samples[:, 1])
    r[:5000] = rng.choice(nodes_r, 5000)
    d[5000:10000] = rng.choice(nodes_d, 5000) * rng.choice([-1, 1], 5000)
    for got, scale_r, scale_d, gain in ((wslfp.mazzoni15_pop(r, d), 1.0, 1.0, 1.0),
                                        (wslfp.mazzoni15_nrn(r, d), 1.31724, 1.22438, 1.82849)):
        want = gain * np.nan_to_num(interp(scale_r * r, np.abs(scale_d * d)) * np.sign(d))
        assert np.abs(want).max() > 0.05
        assert np.max(np.abs(got - want)) <= 1e-12 * np.abs(want).max()
    # inside the cells the bilinear rule is another profile
    assert np.max(np.abs(wslfp.mazzoni15_pop(r, d) - _bilinear_mazzoni(r, d))) > 1e-3 * np.abs(want).max()


def test_errors_are_the_originals_types_too():
    """Where the original raised AssertionError, IndexError or KeyError for
    a mistake, the module's error is also of that type (an ``except`` written
    for the original still catches it), and a ValueError naming the fault."""
    calc = wslfp.from_xyz_coords(np.array([[0, 0, 0], [0, 0, 100.0]]), np.array([[0, 0, 0], [10, 0, 0], [0, 10, 0.0]]))
    J = np.ones((3, 2))
    cases = [
        (AssertionError, "I_gaba", lambda: calc.calculate([1.0], [1.0], np.ones((1, 3)), [1.0], np.ones((2, 3)))),
        (AssertionError, "source_orientation",
         lambda: wslfp.from_xyz_coords(np.zeros((2, 3)), np.zeros((3, 3)), source_orientation=(0, 1))),
        (IndexError, "neuron[0] = 7", lambda: wslfp.spikes_to_biexp_currents([5.0], [1.0], [7], J, 2, 0.4)),
        (IndexError, "neuron[0] = -7", lambda: wslfp.spikes_to_biexp_currents([5.0, 6.0], [1.0], [-7], J, 2, 0.4)),
        (AssertionError, "tau1 must be greater", lambda: wslfp.spikes_to_biexp_currents([5.0], [1.0], [0], J, 0.4, 2)),
        (AssertionError, "i_spk", lambda: wslfp.spikes_to_biexp_currents([5.0], [1.0, 2.0], [0], J, 2, 0.4)),
        (AssertionError, "d_um", lambda: wslfp.f_amp(np.ones(3), np.ones(4))),
        (KeyError, "unknown amplitude function 'nope'", lambda: wslfp.f_amp(np.ones(3), np.ones(3), method="nope")),
    ]
    for kind, words, call in cases:
        with pytest.raises(kind) as e:
            call()
        assert isinstance(e.value, wslfp.WslfpError) and isinstance(e.value, ValueError)
        assert words in str(e.value), (words, str(e.value))


def test_a_missing_or_wrong_library_says_what_to_do(tmp_path):
    """One clear ImportError that names the file and how to point at the
    library (WSLFP_LIBRARY) or install it, not a bare OSError or
    AttributeError."""
    import subprocess
    import sys
    for path, words in ((str(tmp_path / "libwslfp.so"), "cannot load libwslfp"),
                        (np.__file__, "cannot load libwslfp"),
                        ("libc.so.6", "is not the libwslfp this module needs: it lacks wslfp_")):
        run = subprocess.run([sys.executable, "-c", "import wslfp"], capture_output=True, text=True,
                             env=dict(os.environ, WSLFP_LIBRARY=path))
        assert run.returncode == 1
        last = run.stderr.strip().splitlines()[-1]
        assert last.startswith("wslfp._lib.LibraryError: wslfp: "), last
        assert words in last and path in last and "WSLFP_LIBRARY" in last and "meson install" in last
        assert "OSError" not in run.stderr and "AttributeError" not in run.stderr
    assert issubclass(wslfp._lib.LibraryError, ImportError)


def test_calculator_is_an_attrs_class_with_the_originals_help():
    """attrs.evolve and asdict work on the calculator (the original's is an
    attrs class); the docstrings have the original's Args sections."""
    attrs = pytest.importorskip("attrs")
    calc = wslfp.from_xyz_coords(np.array([[0, 0, 100.0], [0, 0, 300.0]]), np.array([[0, 0, 0.0], [30, 0, 0]]))
    other = attrs.evolve(calc, alpha=2.0, tau_ampa_ms=4)
    assert (other.alpha, other.tau_ampa_ms, calc.alpha) == (2.0, 4, 1.65)
    assert sorted(attrs.asdict(calc)) == ["alpha", "amp_uV", "strict_boundaries", "tau_ampa_ms", "tau_gaba_ms"]
    step = ([10.0], 6.0, np.array([[1.0, 2.0]]), 10.0, np.array([[0.5, 0.25]]))  # τ_ampa = 4 ms
    assert np.allclose(other.calculate(*step, normalize=False),
                       calc.amp_uV @ np.array([1.0 - 2.0 * 0.5, 2.0 - 2.0 * 0.25]))
    for f in (wslfp.WSLFPCalculator.calculate, wslfp.from_xyz_coords, wslfp.from_rec_radius_depth,
              wslfp.spikes_to_biexp_currents, wslfp.f_amp, wslfp.mazzoni15_pop, wslfp.mazzoni15_nrn):
        assert "Args:" in f.__doc__ and "Returns:" in f.__doc__, f.__name__
        assert f.__annotations__, f.__name__


def test_biexp_kernel_values():
    """The kernel against its formula written out, just after the spike
    (t in (0, 1) ms) as well as later, 0 before it and at it."""
    tau1, tau2 = 4.0, 1.0
    t = np.array([-2.0, -1e-9, 0.0, 0.01, 0.25, 0.5, 0.99, 1.0, 3.0, 20.0])
    want = np.array([np.exp(-x / tau1) - np.exp(-x / tau2) if x >= 0 else 0.0 for x in t])
    got = wslfp.biexp_kernel(t, tau1, tau2)
    assert np.all(got[t > 0] > 0)
    assert np.max(np.abs(got - want)) <= 1e-15
    peak = np.max(wslfp.biexp_kernel(np.linspace(0, 10, 100001), tau1, tau2))
    assert np.max(np.abs(wslfp.biexp_kernel(t, tau1, tau2, normalize=True) - want / peak)) <= 1e-6


def test_one_time_spikes_strided_and_odd_types():
    """The one-time path given spike arrays it must not read as they lie in
    memory (strided views; indices of a type it does not take) gives the
    numbers of their contiguous copies; a sparse J whose indptr is one
    short is an error naming indptr, not a read past its end."""
    sparse = pytest.importorskip("scipy.sparse")
    rng = np.random.default_rng(5)
    dense = rng.uniform(0.5, 1.5, (20, 7)) * (rng.random((20, 7)) < 0.4)
    t_spk = np.sort(np.round(rng.uniform(0, 30, 200), 1))
    i_spk = rng.integers(0, 20, 200).astype(np.int64)
    want = wslfp.spikes_to_biexp_currents([25.0], t_spk, i_spk, dense, 2.0, 0.4)
    assert np.max(np.abs(want)) > 0.1
    wide_t = np.full(2 * len(t_spk), 1e3)
    wide_t[::2] = t_spk
    wide_i = np.full(2 * len(i_spk), 19, dtype=np.int64)
    wide_i[::2] = i_spk
    for t_arg, i_arg in ((wide_t[::2], i_spk), (t_spk, wide_i[::2]), (t_spk, i_spk.astype(np.int16))):
        got = wslfp.spikes_to_biexp_currents([25.0], t_arg, i_arg, dense, 2.0, 0.4)
        assert np.max(np.abs(got - want)) <= 1e-12 * np.max(np.abs(want))
    short = sparse.csr_array(dense)
    # (a view: the memory past its end holds the true last value, so only
    # the length check can tell)
    short.indptr = short.indptr[:-1]
    with pytest.raises(wslfp.ShapeError, match="indptr"):
        wslfp.spikes_to_biexp_currents([25.0], t_spk, i_spk, short, 2.0, 0.4)


def test_handles_free_their_pointer_once():
    """A C object held by the module is freed when its holder goes, once;
    a NULL one is not passed to the free function."""
    freed = []
    handle = wslfp._lib.Handle(1234, freed.append)
    del handle
    gc.collect()
    assert freed == [1234]
    wslfp._lib.Handle(0, freed.append)
    gc.collect()
    assert freed == [1234]


def test_xyz_to_rd_coords():
    """Each contact's distance from each source's axis (r, by the cross
    product) and along it (d, positive towards the apex), for one shared
    orientation of any length and for one per source; orientations of the
    wrong shape or without a direction are refused, naming them."""
    rng = np.random.default_rng(7)
    sources = rng.uniform(-300, 300, (6, 3))
    elecs = rng.uniform(-500, 500, (4, 3))
    per_source = rng.normal(size=(6, 3)) * rng.uniform(0.1, 9, (6, 1))
    for orientation in ([0, 0, 2.5], per_source):
        r, d = wslfp.xyz_to_rd_coords(sources, elecs, orientation)
        assert r.shape == d.shape == (4, 6)
        units = np.broadcast_to(np.asarray(orientation, float), (6, 3))
        units = units / np.linalg.norm(units, axis=1, keepdims=True)
        for e in range(4):
            for s in range(6):
                v = elecs[e] - sources[s]
                assert abs(d[e, s] - v @ units[s]) <= 1e-9 * np.linalg.norm(v)
                assert abs(r[e, s] - np.linalg.norm(np.cross(v, units[s]))) <= 1e-9 * np.linalg.norm(v)
        assert np.all(r >= 0) and np.any(d > 0) and np.any(d < 0)
    # a contact on a source's axis, above its centre: r = 0, d = the height
    r, d = wslfp.xyz_to_rd_coords([[1, 2, 3]], [[1, 2, 53]], [0, 0, 1])
    assert r[0, 0] == 0 and d[0, 0] == 50
    with pytest.raises(wslfp.ShapeError, match=r"must have shape \(3,\) or \(6, 3\)"):
        wslfp.xyz_to_rd_coords(sources, elecs, np.ones((5, 3)))
    with pytest.raises(ValueError, match=r"source_orientation\[2\] is \[0. 0. 0.\]: a source needs a direction"):
        bad = per_source.copy()
        bad[2] = 0
        wslfp.xyz_to_rd_coords(sources, elecs, bad)


def test_argument_errors_name_the_argument():
    """Arguments of the wrong shape, kind or value, each refused with a
    message that names it: the kernel's threshold, spike indices that are
    not integers, weights of the wrong shape, evaluation times that are not
    finite, amplitudes that are not a matrix, streamed steps that differ."""
    t = np.arange(0, 10, 0.5)
    with pytest.raises(ValueError, match=r"threshold = 1 must be below 1"):
        wslfp.spikes_to_biexp_currents(t, [1.0], [0], np.ones((1, 2)), 2.0, 0.4, threshold=1)
    with pytest.raises(ValueError, match=r"i_spk must hold neuron indices \(integers\)"):
        wslfp.spikes_to_biexp_currents(t, [1.0], [0.5], np.ones((1, 2)), 2.0, 0.4)
    with pytest.raises(wslfp.ShapeError, match=r"J must be \(n_pre, n_targets\), not of shape \(2,\)"):
        wslfp.spikes_to_biexp_currents(t, [1.0], [0], np.ones(2), 2.0, 0.4)
    with pytest.raises(ValueError, match=r"t_eval_ms holds a non-finite time"):
        wslfp.spikes_to_biexp_currents(np.array([0.0, np.inf]), [1.0], [0], np.ones((1, 2)), 2.0, 0.4)
    with pytest.raises(wslfp.ShapeError, match=r"the amplitudes must be \(n_elec, n_sources\), not of shape \(3,\)"):
        wslfp.from_rec_radius_depth(np.ones(3), np.ones(3), amp_func=lambda r, d, L_um: r)
    calc = wslfp.from_xyz_coords(np.array([[0, 0, 100.0]]), np.zeros((2, 3)))
    stream = wslfp.Stream(calc, dt_ms=0.5)
    with pytest.raises(wslfp.ShapeError, match=r"I_ampa has 3 steps but I_gaba 2"):
        stream.push(np.ones((3, 2)), np.ones((2, 2)))
