"""Spikes → biexponential synaptic currents, computed exactly by libwslfp
(event-driven; no time × spike array)."""
import ctypes
import functools
from typing import Union

import numpy as np

from . import _lib


def biexp_kernel(t, tau1, tau2, normalize=False):
    """B · (e^{−t/τ1} − e^{−t/τ2}) for t >= 0, 0 before; B = 1, or with
    ``normalize`` 1 / the kernel's peak.  τ1 is the decay, τ2 the rise."""
    t = np.asarray(t, dtype=np.float64)
    after = np.maximum(t, 0.0)  # no overflow (and no NaN) for t far below 0
    scale = 1.0 / _peak(tau1, tau2) if normalize else 1.0
    return np.where(t >= 0, scale * (np.exp(-after / tau1) - np.exp(-after / tau2)), 0.0)


def _peak(tau1, tau2):
    t_peak = tau1 * tau2 / (tau1 - tau2) * np.log(tau1 / tau2)
    return np.exp(-t_peak / tau1) - np.exp(-t_peak / tau2)


@functools.lru_cache(maxsize=64)
def _window(tau1, tau2, threshold):
    """Where the peak-normalised kernel falls to @threshold after its peak
    (the original's truncation); 0 (none) for a threshold <= 0.  Kept per
    (τ1, τ2, threshold): a 200-step bisection, ~1.5 ms, that a closed loop
    asked for at every step."""
    if threshold <= 0:
        return 0.0
    if threshold >= 1:
        raise ValueError("threshold = %g must be below 1 (a fraction of the kernel's peak)" % threshold)
    t_peak = tau1 * tau2 / (tau1 - tau2) * np.log(tau1 / tau2)
    lo, hi = t_peak, t_peak + tau1
    while biexp_kernel(hi, tau1, tau2, normalize=True) > threshold:
        lo, hi = hi, hi + 2 * (hi - t_peak)
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if biexp_kernel(mid, tau1, tau2, normalize=True) > threshold:
            lo = mid
        else:
            hi = mid
    return hi


def _check_csr(indptr, indices, data, n_pre, n_targets):
    """The library reads indptr[0 … n_pre], indices and data[0 … indptr[-1]):
    arrays shorter than that (a hand-made or damaged sparse matrix) would be
    read past their end."""
    if indptr.ndim != 1 or len(indptr) != n_pre + 1:
        raise _lib.ShapeError("J.indptr has %d values; J's %d rows need %d" % (indptr.size, n_pre, n_pre + 1))
    if indptr[0] != 0 or np.any(np.diff(indptr) < 0):
        raise ValueError("J.indptr must start at 0 and never decrease")
    nnz = int(indptr[-1])
    if len(indices) < nnz or len(data) < nnz:
        raise _lib.ShapeError("J.indptr[-1] = %d, but J.indices has %d and J.data %d values"
                              % (nnz, len(indices), len(data)))
    if nnz and (indices[:nnz].min() < 0 or indices[:nnz].max() >= n_targets):
        raise ValueError("J.indices must be column numbers in [0, %d)" % n_targets)


class _Spikes(ctypes.Structure):
    _fields_ = [
        ("t_ms", ctypes.c_void_p),
        ("neuron", ctypes.c_void_p),
        ("n_spikes", ctypes.c_size_t),
        ("n_pre", ctypes.c_size_t),
        ("n_targets", ctypes.c_size_t),
        ("weights_kind", ctypes.c_int),
        ("indptr", ctypes.c_void_p),
        ("indices", ctypes.c_void_p),
        ("data", ctypes.c_void_p),
        ("dense", ctypes.c_void_p),
        ("scalar", ctypes.c_double),
        ("tau_rise_ms", ctypes.c_double),
        ("tau_decay_ms", ctypes.c_double),
        ("delay_ms", ctypes.c_double),
        ("scale", ctypes.c_int),
        ("window_ms", ctypes.c_double),
        ("delays_ms", ctypes.c_void_p),
    ]


_CSR, _DENSE = 0, 1
_PEAK, _UNIT = 0, 2
_lib.bind("wslfp_spikes_init", None, [ctypes.POINTER(_Spikes)])
_lib.bind("wslfp_spikes_to_currents", ctypes.c_int, [ctypes.POINTER(_Spikes), _lib._double_p, ctypes.c_size_t,
                                                     _lib._double_p, ctypes.POINTER(_lib._Error)])
_lib.bind("wslfp_spikes_at", ctypes.c_int, [ctypes.POINTER(_Spikes), ctypes.c_int, ctypes.c_int, ctypes.c_double,
                                            ctypes.c_void_p, ctypes.POINTER(_lib._Error)])


def _address(a):
    return a.ctypes.data if a is not None and a.size else None


def _one_time(t):
    kind = type(t)
    if kind is list or kind is tuple:
        if len(t) != 1:
            return None
        t = t[0]
        kind = type(t)
    elif kind is np.ndarray:
        return float(t.reshape(())) if t.ndim <= 1 and t.size == 1 and t.dtype.kind in "fiu" else None
    return float(t) if kind is float or isinstance(t, (int, np.floating, np.integer)) else None


_INT64, _INT32 = 0, 1
_INDEX_TYPES = {np.dtype(np.int64): _INT64, np.dtype(np.int32): _INT32}


def _data(a):
    return a.__array_interface__["data"][0]


def _at_one_time(t, t_spk, i_spk, J, tau1_ms, tau2_ms, syn_delay_ms, normalize, window_ms):
    """The currents (1, n_targets) at the one time @t of a closed loop's
    step, by libwslfp's wslfp_spikes_at (which reads only the spikes whose
    kernel is open at @t), or None where the general path must decide (or
    name an error).  A
    loop passes every spike so far, sorted (Cleo passes its monitor's
    record), and the same J at every step: nothing is converted or copied
    when the arrays are float64 and int32 or int64 already."""
    t_spk, i_spk = np.asarray(t_spk), np.asarray(i_spk)  # Brian2 gives a Quantity and a VariableView
    neuron_type = _INDEX_TYPES.get(i_spk.dtype)
    if (t_spk.ndim != 1 or i_spk.shape != t_spk.shape or t_spk.dtype != np.float64 or neuron_type is None
            or not t_spk.flags.c_contiguous or not i_spk.flags.c_contiguous or not syn_delay_ms >= 0):
        return None
    sp = _Spikes()
    if hasattr(J, "tocsr") and not isinstance(J, np.ndarray):
        J = J.tocsr()
        indptr, indices, data = J.indptr, J.indices, J.data
        csr_type = _INDEX_TYPES.get(indptr.dtype)
        if (csr_type is None or indices.dtype != indptr.dtype or data.dtype != np.float64 or indptr.ndim != 1
                or len(indptr) != J.shape[0] + 1 or len(indices) < indptr[-1] or len(data) < indptr[-1]
                or not (indptr.flags.c_contiguous and indices.flags.c_contiguous and data.flags.c_contiguous)):
            return None
        sp.weights_kind, sp.indptr, sp.indices, sp.data = _CSR, _data(indptr), _data(indices), _data(data)
    else:
        csr_type = _INT64
        if type(J) is not np.ndarray or J.ndim != 2 or J.dtype != np.float64 or not J.flags.c_contiguous:
            return None
        sp.weights_kind, sp.dense = _DENSE, _data(J)
    sp.n_pre, sp.n_targets = J.shape
    sp.t_ms, sp.neuron, sp.n_spikes = _data(t_spk), _data(i_spk), len(t_spk)
    sp.tau_decay_ms, sp.tau_rise_ms, sp.delay_ms = tau1_ms, tau2_ms, syn_delay_ms
    sp.scale = _PEAK if normalize else _UNIT
    sp.window_ms = window_ms
    currents = np.empty((1, J.shape[1]))
    e = _lib._Error()
    if _lib.lib.wslfp_spikes_at(ctypes.byref(sp), neuron_type, csr_type, t, _data(currents), ctypes.byref(e)) != 0:
        return None  # unsorted spikes (the general path takes any order), or an error it names
    return currents


def spikes_to_biexp_currents(
    t_eval_ms: np.ndarray,
    t_spk_ms: np.ndarray,
    i_spk: np.ndarray,
    J: Union[np.ndarray, "scipy.sparse.sparray"],
    tau1_ms: float,
    tau2_ms: float,
    syn_delay_ms: float = 1,
    normalize: bool = False,
    threshold: float = 0.001,
) -> np.ndarray:
    """Generate currents from spikes using a biexponential kernel

    Exact and event-driven (libwslfp): the sum over spikes of
    biexp_kernel(t − t_spk − syn_delay_ms, tau1_ms, tau2_ms, normalize) ·
    J[i_spk, :], no time × spike array.  A closed loop's call at one time
    with the spikes so far (sorted, as a monitor records them) reads only
    the spikes whose kernel is still open.

    Args:
        t_eval_ms (np.ndarray): Time points at which to evaluate the currents (any
            order, repeats allowed)
        t_spk_ms (np.ndarray): Times at which spikes occur, in milliseconds (any order)
        i_spk (np.ndarray): Neuron indices of presynaptic spikes (integers)
        J (Union[np.ndarray, sparse.sparray]): Weight matrix with element [i, j] giving
            the weight of the connection from source i to target j: a NumPy array or
            sparse (anything with ``tocsr()``).

            This could be simplified to just `n_pop` columns if the goal is to compute
            WSLFP from currents summed over the population. In the case of homogeneous
            weights, the rows can be collapsed as well, so that in the most compact
            case, J is a 1x1 array containing the value (weight * N_connections) and
            i_spk contains only zeros.
        tau1_ms (float): The decay time constant of the biexponential kernel
        tau2_ms (float): The time constant of the subtracted exponential in the
            biexponential kernel, related to the rise time (0 < tau2_ms < tau1_ms)
        syn_delay_ms (float, optional): Synaptic delay, in milliseconds. Defaults to 1.
        normalize (bool, optional): Whether to normalize the biexponential kernel to a
            peak of 1.  Defaults to False, as the scale of currents is normalized in the
            ultimate WSLFP calculation.
        threshold (float, optional): Value, as a proportion of the peak current, below
            which spikes' contributions to the current at a given time are ignored
            (after the peak; 0 keeps every spike for ever). Defaults to 0.001.

    Returns:
        np.ndarray: (len(t_eval_ms), n_targets) array of currents at each time point

    Raises:
        ShapeError: i_spk not as long as t_spk_ms, or arrays not one-dimensional
        WslfpAssertionError: tau1_ms not greater than tau2_ms
        WslfpIndexError: a spike's neuron outside J's rows (naming it)
    """
    t_one = _one_time(t_eval_ms)
    if t_one is not None and tau1_ms > tau2_ms > 0 and 0 <= threshold < 1:
        currents = _at_one_time(t_one, t_spk_ms, i_spk, J, float(tau1_ms), float(tau2_ms), float(syn_delay_ms),
                                normalize, _window(float(tau1_ms), float(tau2_ms), float(threshold)))
        if currents is not None:
            return currents
    t_eval = np.atleast_1d(np.asarray(t_eval_ms, dtype=np.float64))
    t_spk = np.atleast_1d(np.asarray(t_spk_ms, dtype=np.float64))
    i_spk = np.atleast_1d(np.asarray(i_spk))
    if t_eval.ndim != 1 or t_spk.ndim != 1 or i_spk.shape != t_spk.shape:
        raise _lib.ShapeError("t_eval_ms and t_spk_ms must be 1-D and i_spk as long as t_spk_ms; got %s, %s, %s"
                              % (t_eval.shape, t_spk.shape, i_spk.shape))
    if i_spk.size and not np.all(np.equal(np.mod(i_spk, 1), 0)):
        raise ValueError("i_spk must hold neuron indices (integers)")
    if not (tau1_ms > tau2_ms > 0):
        raise _lib.WslfpAssertionError("tau1 must be greater than tau2 (> 0); got tau1 = %g, tau2 = %g"
                                       % (tau1_ms, tau2_ms))
    sparse = hasattr(J, "tocsr") and not isinstance(J, np.ndarray)
    if sparse:
        J = J.tocsr()
        n_pre, n_targets = J.shape
        indptr = np.ascontiguousarray(J.indptr, dtype=np.int64)
        indices = np.ascontiguousarray(J.indices, dtype=np.int64)
        data = _lib.as_doubles(J.data)
        dense = None
        _check_csr(indptr, indices, data, n_pre, n_targets)
    else:
        J = np.asarray(J, dtype=np.float64)
        if J.ndim != 2:
            raise _lib.ShapeError("J must be (n_pre, n_targets), not of shape %s" % (J.shape,))
        n_pre, n_targets = J.shape
        dense = _lib.as_doubles(J)
        indptr = indices = data = None
        nonzero = J != 0
        if J.size and nonzero.mean() < 0.25:
            # Mostly zeros: each spike then reaches only its real targets.
            sparse, dense = True, None
            indptr = np.concatenate([[0], np.cumsum(nonzero.sum(axis=1))]).astype(np.int64)
            indices = np.ascontiguousarray(np.nonzero(nonzero)[1], dtype=np.int64)
            data = _lib.as_doubles(J[nonzero])
    out = np.zeros((len(t_eval), n_targets))
    if len(t_eval) == 0 or n_targets == 0:
        return out
    # The engine fills strictly increasing times: evaluate the distinct ones.
    times, inverse = np.unique(t_eval, return_inverse=True)
    if np.any(~np.isfinite(times)):
        raise ValueError("t_eval_ms holds a non-finite time")
    arrivals = _lib.as_doubles(t_spk + syn_delay_ms)  # the delay may be negative here
    neurons = np.ascontiguousarray(i_spk, dtype=np.int64)
    sp = _Spikes()
    _lib.lib.wslfp_spikes_init(ctypes.byref(sp))
    sp.t_ms, sp.neuron, sp.n_spikes = _address(arrivals), _address(neurons), len(arrivals)
    sp.n_pre, sp.n_targets = n_pre, n_targets
    if sparse:
        sp.weights_kind, sp.indptr, sp.indices, sp.data = _CSR, _address(indptr), _address(indices), _address(data)
    else:
        sp.weights_kind, sp.dense = _DENSE, _address(dense)
    sp.tau_decay_ms, sp.tau_rise_ms, sp.delay_ms = float(tau1_ms), float(tau2_ms), 0.0
    sp.scale = _PEAK if normalize else _UNIT
    sp.window_ms = _window(float(tau1_ms), float(tau2_ms), float(threshold))
    currents = np.empty((len(times), n_targets))
    times = _lib.as_doubles(times)
    e = _lib._Error()
    _lib.check(_lib.lib.wslfp_spikes_to_currents(ctypes.byref(sp), _lib.pointer(times), len(times),
                                                 _lib.pointer(currents), ctypes.byref(e)), e)
    return currents if len(times) == len(t_eval) and np.array_equal(times, t_eval) else currents[inverse.ravel()]
