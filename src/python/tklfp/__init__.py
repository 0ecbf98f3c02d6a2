"""tklfp: the kernel LFP of Teleńczuk, Teleńczuk & Destexhe 2020 (J.
Neurosci. Methods) from spikes alone, computed by libwslfp, with the API of
the tklfp package (kjohnsen/tklfp 0.2), so that Cleo's TKLFPSignal keeps
working: ``TKLFP(xs_mm, ys_mm, zs_mm, is_excitatory, elec_coords_mm,
orientation, params)``, ``compute(i_spikes, t_spikes_ms, t_eval_ms)``,
``compute_min_window_ms(threshold)`` and ``params2020``.

The numbers equal the package's to 1e-12: the depth profiles A0_exc/A0_inh
are its cubic splines (generated from its data, build-aux/tklfp-profiles-
to-c.py), and ``compute`` sums every spike's uLFP exactly where it is above
e^-40 of its peak, without the package's n_eval × n_elec × n_spikes array.
Differences: a cell index outside [0, N_n) is an error naming it (the
package wrapped negative indices); errors are ``wslfp.WslfpError``s, also
of the type the package raised (AssertionError for its asserts)."""
import ctypes
from typing import Union

import numpy as np

from wslfp import _lib
from wslfp._lib import ShapeError, WslfpAssertionError, WslfpError

__all__ = ["TKLFP", "params2020"]

_p, _sz, _err = ctypes.c_void_p, ctypes.c_size_t, ctypes.POINTER(_lib._Error)


class _Params(ctypes.Structure):
    _fields_ = [(name, ctypes.c_double) for name in ("va_m_s", "lambda_mm", "sigma_inh_ms", "sigma_exc_ms",
                                                      "delay_ms")]


_a0_many = _lib.bind("wslfp_tklfp_a0_many", None, [ctypes.c_bool, _sz, _p, _p])
_new = _lib.bind("wslfp_tklfp_new", ctypes.c_int, [_p, _sz, _p, _p, _sz, _p, _sz, ctypes.POINTER(_Params),
                                                   ctypes.POINTER(_p), _err])
_new_from_amplitude = _lib.bind("wslfp_tklfp_new_from_amplitude", ctypes.c_int, [_p, _p, _p, _sz, _sz,
                                                                                  ctypes.POINTER(_p), _err])
_free = _lib.bind("wslfp_tklfp_free", None, [_p])
_get_amplitude = _lib.bind("wslfp_tklfp_get_amplitude", _p, [_p])
_get_delay = _lib.bind("wslfp_tklfp_get_delay", _p, [_p])
_compute = _lib.bind("wslfp_tklfp_compute", ctypes.c_int, [_p, _p, _p, _sz, _p, _sz, _p, _err])
_min_window = _lib.bind("wslfp_tklfp_min_window_ms", ctypes.c_double, [_p, ctypes.c_double])


def _data(a):
    return a.ctypes.data if a.size else None


class _DepthProfile:
    """A0 (μV) of a spike's uLFP against the contact's depth (mm, along the
    cell's orientation), 0 outside the profile: the package's interpolator
    of the paper's Fig. 5, evaluated by libwslfp."""

    def __init__(self, excitatory):
        self.excitatory = excitatory

    def __call__(self, h_mm):
        h = np.ascontiguousarray(h_mm, dtype=np.float64)
        out = np.empty(h.shape)
        _a0_many(self.excitatory, h.size, _data(h), _data(out))
        return out

    def __repr__(self):
        return "<A0 by depth, %s, Telenczuk et al. 2020 Fig. 5>" % ("excitatory" if self.excitatory else "inhibitory")


_sig_i = 2.1
params2020 = {
    "va_m_s": 0.2,  # axonal velocity (m/sec)
    "lambda_mm": 0.2,  # space constant (mm)
    "sig_i_ms": _sig_i,  # std-dev of inhibition (in ms)
    "sig_e_ms": 1.5 * _sig_i,  # std-dev for excitation
    "d_ms": 10.4,  # constant delay
    "exc_A0_by_depth": _DepthProfile(True),
    "inh_A0_by_depth": _DepthProfile(False),
}


class TKLFP:
    """Implements kernel LFP approximation"""

    def __init__(
        self,
        xs_mm,
        ys_mm,
        zs_mm,
        is_excitatory,
        elec_coords_mm=[[0, 0, 0]],
        orientation=[0, 0, 1],
        params: dict = params2020,
    ) -> None:
        """Constructor: caches per-spike contributions to LFP for given neurons.

        Parameters
        ----------
        xs_mm, ys_mm, zs_mm : ArrayLike
            Sequences of length N_n: the X, Y and Z coordinates of N_n neurons in mm
        is_excitatory : ArrayLike | bool
            Sequence of length N_n (True excitatory, False inhibitory), or one
            value for all neurons.
        elec_coords_mm : ArrayLike, optional
            Shape (N_e, 3): the recording sites' X, Y and Z coordinates in mm.
            By default [[0, 0, 0]].
        orientation : ArrayLike, optional
            Which direction is "up" (towards the cortical surface) for the
            neurons: one 3-vector, or an array of shape (N_n, 3). [0, 0, 1] by
            default.
        params : dict, optional
            Parameters, with the keys of `params2020` (the depth profiles may be
            any callables of depth in mm).
        """
        if not len(xs_mm) == len(ys_mm) == len(zs_mm):
            raise ShapeError("xs_mm, ys_mm and zs_mm have lengths %d, %d, %d" % (len(xs_mm), len(ys_mm), len(zs_mm)))
        n_nrns = len(xs_mm)
        exc = np.array(is_excitatory).reshape((-1,))
        if len(exc) == 1:
            exc = exc.repeat(n_nrns)
        exc = exc.astype(bool)
        if len(exc) != n_nrns:
            raise ShapeError("is_excitatory has %d values for %d neurons" % (len(exc), n_nrns))
        elec = np.array(elec_coords_mm, dtype=np.float64)
        if elec.ndim != 2 or elec.shape[1] != 3:
            raise ShapeError("elec_coords_mm must be (N_e, 3), not of shape %s" % (elec.shape,))
        ornt = np.array(orientation, dtype=np.float64)
        if ornt.ndim not in (1, 2) or ornt.shape[-1] != 3 or (ornt.ndim == 2 and len(ornt) not in (1, n_nrns)):
            raise ShapeError("orientation must be (3,) or (%d, 3), not of shape %s" % (n_nrns, ornt.shape))
        cells = np.ascontiguousarray(np.column_stack([xs_mm, ys_mm, zs_mm]), dtype=np.float64)
        ornt = np.ascontiguousarray(ornt.reshape(-1, 3))
        self.params = params
        handle = _p()
        e = _lib._Error()
        if params["exc_A0_by_depth"] is params2020["exc_A0_by_depth"] and \
                params["inh_A0_by_depth"] is params2020["inh_A0_by_depth"]:
            c = _Params(float(params["va_m_s"]), float(params["lambda_mm"]), float(params["sig_i_ms"]),
                        float(params["sig_e_ms"]), float(params["d_ms"]))
            exc_c = np.ascontiguousarray(exc, dtype=np.bool_)
            _lib.check(_new(cells.ctypes.data, n_nrns, exc_c.ctypes.data, ornt.ctypes.data, len(ornt),
                            elec.ctypes.data, len(elec), ctypes.byref(c), ctypes.byref(handle), ctypes.byref(e)), e)
        else:
            amp, delay = self._by_params(cells, exc, elec, ornt, params)
            sigma = np.where(exc, float(params["sig_e_ms"]), float(params["sig_i_ms"]))
            _lib.check(_new_from_amplitude(amp.ctypes.data, delay.ctypes.data, sigma.ctypes.data, len(elec), n_nrns,
                                           ctypes.byref(handle), ctypes.byref(e)), e)
        self._handle = _lib.Handle(handle, _free)
        self._n_elec, self._n_nrns = len(elec), n_nrns
        self._ss = 2 * np.where(exc, float(params["sig_e_ms"]), float(params["sig_i_ms"])) ** 2

    @staticmethod
    def _by_params(cells, exc, elec, ornt, params):
        """Amplitudes and delays with depth profiles of one's own (the
        package's geometry, in NumPy)."""
        units = ornt / np.linalg.norm(ornt, axis=-1, keepdims=True)
        dist = elec[:, np.newaxis, :] - cells[np.newaxis, :, :]
        norm = np.linalg.norm(dist, axis=2)
        with np.errstate(divide="ignore", invalid="ignore"):
            theta = np.nan_to_num(np.arccos(np.sum(units * dist, axis=2) / norm))
        h = norm * np.cos(theta)
        a0 = np.zeros(norm.shape)
        a0[:, exc] = params["exc_A0_by_depth"](h[:, exc])
        a0[:, ~exc] = params["inh_A0_by_depth"](h[:, ~exc])
        amp = np.ascontiguousarray(a0 * np.exp(-norm / params["lambda_mm"]))
        delay = np.ascontiguousarray(params["d_ms"] + norm / params["va_m_s"], dtype=np.float64)
        return amp, delay

    def _matrix(self, get):
        address = get(self._handle.value)
        buf = (ctypes.c_double * (self._n_elec * self._n_nrns)).from_address(address)
        return np.array(np.frombuffer(buf, dtype=np.float64).reshape(self._n_elec, self._n_nrns))

    @property
    def _amp(self):
        """(N_e, N_n) uLFP peak amplitudes, μV"""
        return self._matrix(_get_amplitude)

    @property
    def _delay(self):
        """(N_e, N_n) delays from a spike to its uLFP's peak, ms"""
        return self._matrix(_get_delay)

    def compute(self, i_spikes, t_spikes_ms, t_eval_ms) -> np.ndarray:
        """Computes the tklfp for given spikes at desired timepoints.

        Parameters
        ----------
        i_spikes : ArrayLike[int]
            Neuron indices of spikes, between 0 and N_n - 1.
        t_spikes_ms : ArrayLike[float]
            Times (in ms) of spikes. Must have same length as i_spikes.
        t_eval_ms : ArrayLike[float]
            Times (in ms) at which to evaluate LFP.

        Returns
        -------
        tklfp : np.ndarray
            An N_eval by N_elec array: one row per time point and one column
            per recording site, in μV.
        """
        for arg in (i_spikes, t_spikes_ms, t_eval_ms):
            if not isinstance(arg, (list, np.ndarray, tuple)):
                raise WslfpAssertionError("i_spikes, t_spikes_ms and t_eval_ms must be lists, tuples or arrays, "
                                          "not %s" % type(arg).__name__)
        cells = np.ascontiguousarray(i_spikes, dtype=np.int64).reshape(-1)
        t_spk = np.ascontiguousarray(t_spikes_ms, dtype=np.float64).reshape(-1)
        t_eval = np.ascontiguousarray(t_eval_ms, dtype=np.float64).reshape(-1)
        if len(cells) != len(t_spk):
            raise ShapeError("%d spike indices but %d spike times" % (len(cells), len(t_spk)))
        lfp = np.empty((len(t_eval), self._n_elec))
        e = _lib._Error()
        _lib.check(_compute(self._handle.value, _data(t_spk), _data(cells), len(cells), _data(t_eval), len(t_eval),
                            _data(lfp), ctypes.byref(e)), e)
        return lfp

    def compute_min_window_ms(self, uLFP_threshold_uV: float) -> float:
        """The window (ms after a spike) required to capture every uLFP while
        it is above ``uLFP_threshold_uV``, for computing the TKLFP from a
        buffer of recent spikes; 0 when no uLFP ever exceeds the threshold.

        Parameters
        ----------
        uLFP_threshold_uV : float
            Threshold (in microvolts) above which no single uLFP can be ignored.

        Returns
        -------
        float
            The minimum window width, in ms.
        """
        return float(_min_window(self._handle.value, float(uLFP_threshold_uV)))
