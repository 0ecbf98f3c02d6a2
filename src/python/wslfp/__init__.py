"""wslfp: the weighted-sum LFP proxy (Mazzoni, Lindén et al. 2015) of
point-neuron networks, computed by libwslfp (C), with the API of the
original Python package (siplab-gt/wslfp 0.2.x), so that existing Brian2
and Cleo code keeps working.

Differences from the original, each deliberate:

- Per-source dendrite lengths (``source_dendrite_length_um`` of shape
  ``(n_sources,)``) work; the original failed to broadcast them.
- ``aussel18`` and ``aussel18_mod`` are 0 at the dipole itself (the original
  gave NaN, which spread through the whole LFP).
- ``mazzoni15_pop``/``mazzoni15_nrn`` are the original's to 1e-12 (linear
  on the Delaunay triangles of its sample points, as SciPy splits each cell
  of the Fig. 2B grid), computed in C.
- A delayed time within 1e-9 of a sample spacing of a sample is that
  sample (the original needs exact equality: ``calculate([6.1], [0.1], …)``
  reads the sample at 0.1 ms here, the original took 0); the warning about
  missing currents comes exactly when a current is taken as 0.
- An electrode's trace with zero variance normalises to 0 (the original
  divided by 0).
- A non-finite amplitude (from your own ``amp_func``) or current is an
  error naming its place, not a NaN LFP.
- Strict mode (``strict_boundaries=True``) also fails when a current has no
  samples at all (the original returned zeros).
- ``spikes_to_biexp_currents`` is exact and event-driven (the original
  built a time × spike array): no NaNs (the original's kernel overflowed for
  spikes long before the first time), the shape (len(t_eval_ms), n_targets)
  also for scalars and lists, times and spikes in any order, any sparse J
  with ``tocsr()``.  ``threshold`` truncates each spike's kernel as the
  original did; ``threshold=0`` keeps every spike for ever.
- Every error is a ``WslfpError`` (a ``ValueError``) with a message that
  names the argument or index at fault, and also of the type the original
  raised for the same mistake: ``ShapeError`` and ``WslfpAssertionError``
  are ``AssertionError``s, ``WslfpIndexError`` (a spike's neuron outside J)
  an ``IndexError``, ``WslfpKeyError`` (``f_amp``'s unknown method) a
  ``KeyError``.
"""
import ctypes
import warnings
from dataclasses import dataclass
from typing import Optional, Tuple, Union

import numpy as np

try:  # the original's calculator is an attrs class: attrs.evolve and asdict work on ours too
    import attrs as _attrs
except ImportError:  # pragma: no cover (Debian's python3-attr is a dependency)
    _attrs = None

from . import _lib

try:  # SciPy's BLAS, where it is there, for the per-step path
    from scipy.linalg.blas import dgemv as _dgemv
except ImportError:  # pragma: no cover
    _dgemv = None
from ._lib import ShapeError, WslfpAssertionError, WslfpError, WslfpIndexError, WslfpKeyError
from .dataset import save_dataset
from .amplitude import aussel18, aussel18_mod, f_amp, mazzoni15_nrn, mazzoni15_pop, plot_amp
from .spk2curr import biexp_kernel, spikes_to_biexp_currents

try:  # written by meson (the installed module, and a build tree's)
    from ._config import VERSION as __version__
except ImportError:  # the source tree itself
    __version__ = "0.2.2+libwslfp.uninstalled"
__all__ = [
    "WSLFPCalculator", "Stream", "from_xyz_coords", "from_rec_radius_depth", "xyz_to_rd_coords",
    "mazzoni15_pop", "mazzoni15_nrn", "aussel18", "aussel18_mod", "f_amp", "plot_amp",
    "spikes_to_biexp_currents", "biexp_kernel", "save_dataset",
    "WslfpError", "ShapeError", "WslfpAssertionError", "WslfpIndexError", "WslfpKeyError",
]


def xyz_to_rd_coords(
    source_coords: np.ndarray,
    elec_coords: np.ndarray,
    source_orientation: np.ndarray,
) -> Tuple[np.ndarray, np.ndarray]:
    """Each electrode's position relative to each source's axis

    Args:
        source_coords (np.ndarray): (n_sources, 3) source (dipole center) coordinates
        elec_coords (np.ndarray): (n_elec, 3) electrode coordinates
        source_orientation (np.ndarray): (3,) or (n_sources, 3) orientations, any length

    Returns:
        tuple[np.ndarray, np.ndarray]: (r_um, d_um), each (n_elec, n_sources): the
            distance from each source's axis, and the signed distance along it
            (positive towards the apex)
    """
    sources = np.reshape(np.asarray(source_coords, dtype=np.float64), (-1, 3))
    elecs = np.reshape(np.asarray(elec_coords, dtype=np.float64), (-1, 3))
    units = _unit_orientations(source_orientation, len(sources))
    offset = elecs[:, np.newaxis, :] - sources[np.newaxis, :, :]
    d_um = np.einsum("esk,sk->es", offset, units)
    r_um = np.sqrt(np.maximum(np.einsum("esk,esk->es", offset, offset) - d_um * d_um, 0.0))
    return r_um, d_um


def _unit_orientations(orientation, n_sources):
    o = np.asarray(orientation, dtype=np.float64)
    if o.ndim not in (1, 2) or o.shape[-1] != 3 or (o.ndim == 2 and o.shape[0] not in (1, n_sources)):
        raise ShapeError("source_orientation must have shape (3,) or (%d, 3), not %s" % (n_sources, o.shape))
    o = np.broadcast_to(o, (n_sources, 3))
    norms = np.linalg.norm(o, axis=1)
    bad = np.flatnonzero(~(norms > 0) | ~np.isfinite(norms))
    if bad.size:
        raise ValueError("source_orientation[%d] is %s: a source needs a direction" % (bad[0], o[bad[0]]))
    return o / norms[:, np.newaxis]


def _times(t, name):
    t = np.atleast_1d(np.asarray(t, dtype=np.float64))
    if t.ndim != 1:
        raise ShapeError("%s must be one-dimensional, not of shape %s" % (name, t.shape))
    if np.any(np.diff(t) <= 0):
        raise ValueError("%s must be monotonically increasing" % name)
    return _lib.as_doubles(t)


def _one_time(t):
    """@t as a float when it is one number (a number, or a sequence or
    array of one), else None."""
    kind = type(t)
    if kind is list or kind is tuple:
        if len(t) != 1:
            return None
        t = t[0]
        kind = type(t)
    elif kind is np.ndarray:
        if t.ndim > 1 or t.size != 1 or t.dtype.kind not in "fiu":
            return None
        return float(t.reshape(()))
    if kind is float or isinstance(t, (int, np.floating, np.integer)):
        return float(t)
    return None


_DOUBLE = np.dtype(np.float64)


def _as_step(values, n_sources):
    """(n_sources,) float64 from one step of currents, or None."""
    v = values if type(values) is np.ndarray else np.asarray(values)
    if v.size != n_sources or v.dtype.kind not in "fiu":
        return None
    return v.reshape(n_sources) if v.dtype is _DOUBLE else v.astype(np.float64).reshape(n_sources)


def _currents(values, n_times, n_sources, name):
    """(n_times, n_sources), a view where it can be (any dtype yet)."""
    values = np.asarray(values)
    if values.size != n_times * n_sources:
        raise ShapeError("%s has shape %s != (%d, %d)" % (name, values.shape, n_times, n_sources))
    return np.reshape(values, (n_times, n_sources))


def _rows_in_place(values):
    """(address, element type, row stride in elements) when libwslfp can read
    @values where they are: float64 or float32, each row contiguous."""
    kinds = {np.dtype(np.float64): 0, np.dtype(np.float32): 1}
    item = values.itemsize
    if (values.dtype not in kinds or values.ndim != 2 or (values.shape[1] > 1 and values.strides[1] != item)
            or values.strides[0] % item or values.strides[0] < 0):
        return None
    return values.ctypes.data, kinds[values.dtype], values.strides[0] // item


def _record(cls):
    """An attrs class as the original's (``@define``, but with a __dict__
    for the per-step cache), or a dataclass where attrs is missing."""
    return _attrs.define(slots=False)(cls) if _attrs is not None else dataclass(cls)


@_record
class WSLFPCalculator:
    """Calculator for WSLFP given current sources and electrode coordinates.

    Use `wslfp.from_rec_radius_depth` or `wslfp.from_xyz_coords` to
    initialize."""

    amp_uV: np.ndarray
    """(n_elec, n_sources) array of amplitudes in μV"""
    alpha: float = 1.65
    """Weight on GABAergic currents"""
    tau_ampa_ms: float = 6
    """Delay of AMPAergic currents' contribution to LFP in ms"""
    tau_gaba_ms: float = 0
    """Delay of GABAergic currents' contribution to LFP in ms"""
    strict_boundaries: bool = False
    """Whether or not to raise an error (rather than warn and take 0) when
    evaluation times require currents outside the provided time range"""

    _model_cache = None  # (amp_uV, its copy, the C model): not a field

    def _model(self):
        """The C model of amp_uV, built again only when amp_uV changed (a
        closed loop calls calculate once per step with the same one)."""
        amp = self.amp_uV
        cached = self._model_cache
        if cached is not None and cached[0] is amp and cached[1].shape == np.shape(amp) \
                and np.array_equal(cached[1], amp):
            return cached[2]
        model = _lib.model_from_amplitude(amp)
        self._model_cache = (amp, np.array(amp, dtype=np.float64, copy=True), model)
        return model

    @property
    def n_elec(self) -> int:
        """Number of electrodes in the WSLFP calculator"""
        return np.shape(self.amp_uV)[0]

    @property
    def n_sources(self) -> int:
        """Number of current sources (neurons or populations) in the calculator"""
        return np.shape(self.amp_uV)[1]

    def _options(self, normalize=False):
        o = _lib._Options()
        _lib.lib.wslfp_options_init(ctypes.byref(o))
        o.alpha, o.tau_ampa_ms, o.tau_gaba_ms = self.alpha, self.tau_ampa_ms, self.tau_gaba_ms
        o.normalize = normalize
        o.strict = bool(self.strict_boundaries)
        return o

    def _warn_outside(self, t_ms, delay_ms, t_eval):
        """Warns when a needed time lies outside the samples by more than
        libwslfp's rounding tolerance (1e-9 of the sample spacing, or of
        max(|t|, 1) ms for a single sample): exactly when some current is
        then taken as 0."""
        if len(t_ms) == 0 or len(t_eval) == 0 or self.strict_boundaries:
            return
        needed = (t_eval.min() - delay_ms, t_eval.max() - delay_ms)
        if len(t_ms) == 1:
            low = high = 1e-9 * max(abs(t_ms[0]), 1.0)
        else:
            low, high = 1e-9 * (t_ms[1] - t_ms[0]), 1e-9 * (t_ms[-1] - t_ms[-2])
        if t_ms[0] - needed[0] > low or needed[1] - t_ms[-1] > high:
            warnings.warn(
                "Insufficient current data to interpolate for the requested times. "
                "Assuming 0 current for out-of-range times. "
                f"Needed [{needed[0]}, {needed[1]}] ms, provided [{t_ms[0]}, {t_ms[-1]}] ms."
            )

    def _on_samples(self, model, t_eval, terms):
        """The raw LFP when every evaluation time falls on a sample of both
        currents (no interpolation): the rows each current needs are read
        where they are (float32 too, no copy) and multiplied in double.
        None when that does not apply; the general path then also names
        any bad value."""
        rows_of = []
        for t, values, tau, weight in terms:
            rows = np.empty(len(t_eval), dtype=np.int64)
            e = _lib._Error()
            _lib.check(_lib.lib.wslfp_currents_sample_rows(_lib.pointer(t), len(t), _lib.pointer(t_eval), len(t_eval),
                                                           float(tau), rows.ctypes.data, ctypes.byref(e)), e)
            if np.any(rows == -2) or (self.strict_boundaries and np.any(rows == -1)):
                return None
            rows_of.append(rows)
        lfp = np.zeros((len(t_eval), self.n_elec))
        for (t, values, tau, weight), rows in zip(terms, rows_of):
            used = rows >= 0
            if not used.any():
                continue
            lo, hi = int(rows[used].min()), int(rows[used].max())
            if hi - lo + 1 > 2 * int(used.sum()) + 1024:
                return None  # sparse times: the general path reads less
            block = values[lo:hi + 1]
            where = _rows_in_place(block)
            if where is None:
                return None
            product = np.zeros((hi - lo + 1, self.n_elec))
            e = _lib._Error()
            _lib.check(_lib.lib.wslfp_model_accumulate(model.value, where[0], where[1], hi - lo + 1, self.n_sources,
                                                       where[2], 0, 1, _lib.pointer(product), ctypes.byref(e)), e)
            picked = product[rows[used] - lo]
            if not np.all(np.isfinite(picked)):
                return None
            lfp[used] += weight * picked
        return lfp

    def _one_step(self, t_eval_ms, t_ampa_ms, I_ampa, t_gaba_ms, I_gaba):
        """The raw LFP (1, n_elec) of a closed loop's step (Cleo's call: one
        evaluation time, each current given at exactly that time minus its
        delay), or None when the call is not of that form.  No C model and
        no interpolation: amp_uV times the combined currents, from amp_uV as
        it is now."""
        t, t_ampa, t_gaba = _one_time(t_eval_ms), _one_time(t_ampa_ms), _one_time(t_gaba_ms)
        if t is None or t_ampa is None or t_gaba is None:
            return None
        if t - self.tau_ampa_ms != t_ampa or t - self.tau_gaba_ms != t_gaba:
            return None  # not on the samples: the general path decides (and warns)
        amp = self.amp_uV
        if type(amp) is not np.ndarray or amp.ndim != 2 or amp.dtype is not _DOUBLE or amp.size == 0:
            return None  # (BLAS refuses empty operands: the general path takes those)
        n_sources = amp.shape[1]
        ampa, gaba = _as_step(I_ampa, n_sources), _as_step(I_gaba, n_sources)
        if ampa is None or gaba is None:
            return None
        if _dgemv is not None and amp.flags.c_contiguous:
            # Two BLAS calls and no temporaries: a closed loop's step runs
            # with cold caches, where each NumPy call costs microseconds.
            lfp = _dgemv(1.0, amp.T, ampa, trans=1)
            lfp = _dgemv(-self.alpha, amp.T, gaba, beta=1.0, y=lfp, trans=1, overwrite_y=1)
        else:
            lfp = amp @ (ampa - self.alpha * gaba)
        if not lfp.dot(lfp) < np.inf:
            return None  # a NaN or an infinity: the general path names it
        return lfp.reshape(1, amp.shape[0])

    def calculate(
        self,
        t_eval_ms: np.ndarray,
        t_ampa_ms: np.ndarray,
        I_ampa: np.ndarray,
        t_gaba_ms: np.ndarray,
        I_gaba: np.ndarray,
        normalize: bool = True,
        wsum_mean_std_for_norm: Optional[Tuple[np.ndarray, np.ndarray]] = None,
    ) -> Union[np.ndarray, Tuple[np.ndarray, np.ndarray]]:
        """Calculate WSLFP at requested times for initialized coordinates given currents

        The weighted sum Σ_s amp_uV[e, s] · (I_ampa(t − tau_ampa_ms) − alpha ·
        I_gaba(t − tau_gaba_ms)), the currents interpolated by monotone cubic
        (PCHIP) interpolation; a current needed outside its samples counts as
        0 (with a warning, or an error with ``strict_boundaries``).  A time
        within 1e-9 of a sample spacing of a sample is that sample.

        Args:
            t_eval_ms (np.ndarray): Times at which to evaluate the WSLFP, in milliseconds
            t_ampa_ms (np.ndarray): Time points at which AMPAergic currents are given,
                in milliseconds (strictly increasing)
            I_ampa (np.ndarray): AMPAergic currents, shape (len(t_ampa_ms), n_sources)
            t_gaba_ms (np.ndarray): Time points at which GABAergic currents are given,
                in milliseconds (strictly increasing)
            I_gaba (np.ndarray): GABAergic currents, shape (len(t_gaba_ms), n_sources)
            normalize (bool, optional): Whether to normalize each electrode's trace to
                a mean of 0 and a standard deviation of 1, then scale it by |mean of
                its amplitudes|.  Not when computing one time step at a time (a
                closed loop: see `Stream`).  Defaults to True.
            wsum_mean_std_for_norm (tuple[np.ndarray, np.ndarray], optional): If
                provided, this mean and standard deviation of the weighted sum (per
                electrode) are used to normalize, and ``(lfp, wsum)`` is returned.
                Defaults to None.

        Returns:
            np.ndarray: (len(t_eval_ms), n_elec) array of WSLFP at requested times for
                each electrode (and the raw weighted sum with
                ``wsum_mean_std_for_norm``)

        Raises:
            ShapeError: a current's shape does not match its times and n_sources
            ValueError: times not increasing, a non-finite current (naming it), or
                with ``strict_boundaries`` a time outside the currents
        """
        if not normalize:
            lfp = self._one_step(t_eval_ms, t_ampa_ms, I_ampa, t_gaba_ms, I_gaba)
            if lfp is not None:
                return lfp
        t_eval = _times(t_eval_ms, "t_eval_ms")
        t_ampa = _times(t_ampa_ms, "t_ampa_ms")
        t_gaba = _times(t_gaba_ms, "t_gaba_ms")
        n_sources = self.n_sources
        ampa = _currents(I_ampa, len(t_ampa), n_sources, "I_ampa")
        gaba = _currents(I_gaba, len(t_gaba), n_sources, "I_gaba")
        if normalize and len(t_eval) == 0:
            raise ValueError("t_eval_ms is empty: there is no LFP to normalize")
        self._warn_outside(t_ampa, self.tau_ampa_ms, t_eval)
        self._warn_outside(t_gaba, self.tau_gaba_ms, t_eval)

        model = self._model()
        e = _lib._Error()
        # Currents that are not C-ordered doubles would need a copy for the
        # general path; on the samples they are read where they are.
        in_place = all(v.dtype == np.float64 and v.flags.c_contiguous for v in (ampa, gaba))
        lfp = None if in_place else self._on_samples(model, t_eval, ((t_ampa, ampa, self.tau_ampa_ms, 1.0),
                                                                     (t_gaba, gaba, self.tau_gaba_ms, -self.alpha)))
        if lfp is None:
            ampa, gaba = _lib.as_doubles(ampa), _lib.as_doubles(gaba)
            cur = []
            for t, values in ((t_ampa, ampa), (t_gaba, gaba)):
                cur.append(_lib._Currents(_lib.pointer(t), len(t), _lib.pointer(values), n_sources, 0, len(t)))
            options = self._options()
            lfp = np.empty((len(t_eval), self.n_elec))
            _lib.check(_lib.lib.wslfp_compute(model.value, ctypes.byref(cur[0]), ctypes.byref(cur[1]),
                                              _lib.pointer(t_eval), len(t_eval), ctypes.byref(options),
                                              _lib.pointer(lfp), ctypes.byref(e)), e)
        if not normalize:
            return lfp
        if wsum_mean_std_for_norm:
            mean, std = (_lib.as_doubles(np.broadcast_to(x, (self.n_elec,))) for x in wsum_mean_std_for_norm)
            wsum = lfp.copy()
            _lib.check(_lib.lib.wslfp_normalize_with(model.value, _lib.pointer(lfp), len(t_eval), _lib.pointer(mean),
                                                     _lib.pointer(std), ctypes.byref(e)), e)
            return lfp, wsum
        _lib.check(_lib.lib.wslfp_normalize(model.value, _lib.pointer(lfp), len(t_eval), None, None,
                                            ctypes.byref(e)), e)
        return lfp


def from_rec_radius_depth(
    r_um: np.ndarray,
    d_um: np.ndarray,
    source_dendrite_length_um: Union[float, np.ndarray] = 250,
    amp_func: callable = mazzoni15_nrn,
    amp_kwargs: dict = {},
    **kwargs,
) -> WSLFPCalculator:
    """Initialize a `WSLFPCalculator` from recording radius and depth coordinates

    Args:
        r_um (np.ndarray): (n_elec, n_sources) array of lateral distance from source
            to electrode
        d_um (np.ndarray): (n_elec, n_sources) array of vertical distance from source
            to electrode.  Convention follows Mazzoni 2015, measuring distance from
            the dipole center, positive towards the apical dendrite.
        source_dendrite_length_um (float or np.ndarray, optional): Length of apical
            dendrites, one or one per source.  Defaults to 250.
        amp_func (callable, optional): Amplitude function that follows the signature
            of `wslfp.f_amp` (any callable: your own profile too).  Defaults to
            `mazzoni15_nrn`.
        amp_kwargs (dict, optional): Passed to `amp_func`.  Defaults to {}.
        **kwargs: The calculator's fields (alpha, tau_ampa_ms, tau_gaba_ms,
            strict_boundaries).

    Returns:
        WSLFPCalculator: Calculator object with per-source, per-electrode amplitude
            properly initialized.
    """
    amp = amp_func(r_um, d_um, L_um=source_dendrite_length_um, **amp_kwargs)
    amp = np.array(amp, dtype=np.float64)
    if amp.ndim != 2:
        raise ShapeError("the amplitudes must be (n_elec, n_sources), not of shape %s" % (amp.shape,))
    bad = np.argwhere(~np.isfinite(amp))
    if len(bad):
        e, s = bad[0]
        raise ValueError("amplitude [%d][%d] (electrode %d, source %d) is %g" % (e, s, e, s, amp[e, s]))
    return WSLFPCalculator(amp_uV=amp, **kwargs)


def from_xyz_coords(
    elec_coords_um: np.ndarray,
    source_coords_um: np.ndarray,
    source_coords_are_somata: bool = True,
    source_dendrite_length_um: Union[float, np.ndarray] = 250,
    source_orientation: np.ndarray = (0, 0, 1),
    amp_func: callable = mazzoni15_nrn,
    amp_kwargs: dict = {},
    **kwargs,
) -> WSLFPCalculator:
    """Initializes calculator from electrode and source coordinates

    Args:
        elec_coords_um (np.ndarray): (n_elec, 3) array of electrode coordinates in μm
        source_coords_um (np.ndarray): (n_sources, 3) array of source (neuron or
            population) coordinates in μm
        source_coords_are_somata (bool, optional): Whether source_coords represent
            somata (moved by half the dendrite length along the orientation to the
            dipole center) as opposed to dipole midpoints.  Defaults to True.
        source_dendrite_length_um (float or np.ndarray, optional): Length of apical
            dendrite, in μm, one or one per source.  Defaults to 250.
        source_orientation (np.ndarray, optional): The vector(s) pointing "up," from
            soma to apical dendrite, any length.  Can have shape (3,) or (n_src, 3).
            Defaults to (0, 0, 1).
        amp_func (callable, optional): Amplitude function that follows the signature
            of `wslfp.f_amp`.  Defaults to `mazzoni15_nrn`.
        amp_kwargs (dict, optional): Passed to `amp_func`.  Defaults to {}.
        **kwargs: The calculator's fields (alpha, tau_ampa_ms, tau_gaba_ms,
            strict_boundaries).

    Returns:
        WSLFPCalculator: Calculator object with per-source, per-electrode amplitude
            properly initialized.
    """
    elecs = np.reshape(np.asarray(elec_coords_um, dtype=np.float64), (-1, 3))
    sources = np.reshape(np.asarray(source_coords_um, dtype=np.float64), (-1, 3))
    units = _unit_orientations(source_orientation, len(sources))
    lengths = np.asarray(source_dendrite_length_um, dtype=np.float64)
    if lengths.ndim > 1 or (lengths.ndim == 1 and len(lengths) not in (1, len(sources))):
        raise ShapeError("source_dendrite_length_um must be one number or one per source (%d), not of shape %s"
                         % (len(sources), lengths.shape))
    if source_coords_are_somata:
        sources = sources + units * (lengths.reshape(-1, 1) if lengths.ndim else lengths) / 2
    r_um, d_um = xyz_to_rd_coords(sources, elecs, units)
    return from_rec_radius_depth(r_um, d_um, source_dendrite_length_um=lengths, amp_func=amp_func,
                                 amp_kwargs=amp_kwargs, **kwargs)


class Stream:
    """The LFP one step (or block of steps) at a time, for closed loops (as
    Cleo's per-step ``get_state`` needs): currents on a uniform grid of step
    ``dt_ms``; the delays must be whole steps; steps before the first count
    as zero current.  Outputs are raw sums unless `set_normalization`."""

    def __init__(self, calculator, dt_ms):
        self.n_sources = calculator.n_sources
        self.n_elec = calculator.n_elec
        model = _lib.model_from_amplitude(calculator.amp_uV)
        options = calculator._options()
        s = ctypes.c_void_p()
        e = _lib._Error()
        _lib.check(_lib.lib.wslfp_stream_new(model.value, float(dt_ms), ctypes.byref(options), ctypes.byref(s),
                                             ctypes.byref(e)), e)
        self._stream = _lib.Handle(s, _lib.lib.wslfp_stream_free)
        # The per-step path (a closed loop calls it every step): addresses as
        # plain integers, one error record, no checks beyond the shape.
        self._push = _lib.push_function()
        self._error = _lib._Error()
        self._error_p = ctypes.addressof(self._error)

    def push(self, I_ampa, I_gaba=None):
        """Feeds one step ((n_sources,) each) or a block ((n_steps,
        n_sources)); returns the LFP of those steps, (n_elec,) or (n_steps,
        n_elec).  ``None`` is zero current."""
        if (type(I_ampa) is np.ndarray and type(I_gaba) is np.ndarray and I_ampa.shape == I_gaba.shape
                == (self.n_sources,) and I_ampa.dtype == I_gaba.dtype == np.float64
                and I_ampa.flags.c_contiguous and I_gaba.flags.c_contiguous):
            lfp = np.empty(self.n_elec)
            if self._push(self._stream.value, I_ampa.__array_interface__["data"][0],
                          I_gaba.__array_interface__["data"][0], 1, lfp.__array_interface__["data"][0],
                          self._error_p) != 0:
                _lib.check(1, self._error)
            return lfp
        one_step = np.ndim(I_ampa if I_ampa is not None else I_gaba) == 1
        blocks = []
        for name, values in (("I_ampa", I_ampa), ("I_gaba", I_gaba)):
            if values is None:
                blocks.append(None)
                continue
            v = np.asarray(values, dtype=np.float64)
            if v.size == 0 or v.shape[-1] != self.n_sources or v.ndim > 2:
                raise ShapeError("%s must have %d sources per step, not shape %s" % (name, self.n_sources, v.shape))
            blocks.append(_lib.as_doubles(v.reshape(-1, self.n_sources)))
        n = next(len(b) for b in blocks if b is not None) if any(b is not None for b in blocks) else 0
        if blocks[0] is not None and blocks[1] is not None and len(blocks[0]) != len(blocks[1]):
            raise ShapeError("I_ampa has %d steps but I_gaba %d" % (len(blocks[0]), len(blocks[1])))
        lfp = np.empty((n, self.n_elec))
        e = _lib._Error()
        _lib.check(_lib.lib.wslfp_stream_push(self._stream.value, _lib.pointer(blocks[0]), _lib.pointer(blocks[1]), n,
                                              _lib.pointer(lfp), ctypes.byref(e)), e)
        return lfp[0] if one_step else lfp

    def set_normalization(self, mean=None, std=None):
        """Normalise later outputs with these per-electrode statistics (as
        ``calculate``'s ``wsum_mean_std_for_norm``); None turns it off."""
        e = _lib._Error()
        if mean is None and std is None:
            _lib.check(_lib.lib.wslfp_stream_set_normalization(self._stream.value, None, None, ctypes.byref(e)), e)
            return
        mean = _lib.as_doubles(np.broadcast_to(mean, (self.n_elec,)))
        std = _lib.as_doubles(np.broadcast_to(std, (self.n_elec,)))
        _lib.check(_lib.lib.wslfp_stream_set_normalization(self._stream.value, _lib.pointer(mean), _lib.pointer(std),
                                                           ctypes.byref(e)), e)

    def reset(self):
        """Forgets the history."""
        _lib.lib.wslfp_stream_reset(self._stream.value)
