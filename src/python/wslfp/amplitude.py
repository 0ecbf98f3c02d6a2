"""Amplitude profiles: the LFP amplitude (µV per unit current) at lateral
distance r and signed axial distance d from a source's dipole centre
(d > 0 towards the apical dendrite), evaluated by libwslfp on arrays.

Each takes ``(r_um, d_um, L_um=250, sigma=0.3)``, broadcast together, and
returns an array of their broadcast shape."""
import ctypes
from typing import Union

import numpy as np

from . import _lib

_profiles = {}


def _engine(name, r_um, d_um, L_um):
    r, d, L = np.broadcast_arrays(np.asarray(r_um, dtype=np.float64), np.asarray(d_um, dtype=np.float64),
                                  np.asarray(L_um, dtype=np.float64))
    shape = r.shape
    r, d, L = (_lib.as_doubles(a).reshape(-1) for a in (r, d, L))
    if name not in _profiles:
        _profiles[name] = _lib.profile(name)
    out = np.empty(r.size)
    e = _lib._Error()
    _lib.check(_lib.lib.wslfp_profile_eval_many(_profiles[name].value, r.size, _lib.pointer(r), _lib.pointer(d),
                                                _lib.pointer(L), _lib.pointer(out), ctypes.byref(e)), e)
    return out.reshape(shape)


def mazzoni15_pop(r_um: np.ndarray, d_um: np.ndarray, L_um: Union[float, np.ndarray] = 250,
                  sigma: float = 0.3) -> np.ndarray:
    """The profile of the LFP amplitude extracted from Mazzoni, Lindén et al., 2015,
    Figure 2B: odd in d, linear on the Delaunay triangles of its sample points (as
    the original package's LinearNDInterpolator: the same numbers to 1e-12), 0
    outside them.

    Args:
        r_um (np.ndarray): Lateral distance from dipole, in μm
        d_um (np.ndarray): Depth from dipole midpoint, in μm, where pyramidal apices
            are positive
        L_um (float or np.ndarray, optional): Apical dendrite length, in μm (not used
            by this profile). Defaults to 250.
        sigma (float, optional): Conductivity, in S/m (not used). Defaults to 0.3.

    Returns:
        np.ndarray: LFP amplitudes (μV) with the broadcast shape of r_um and d_um
    """
    return _engine("mazzoni15", r_um, d_um, L_um)


def mazzoni15_nrn(r_um: np.ndarray, d_um: np.ndarray, L_um: Union[float, np.ndarray] = 250,
                  sigma: float = 0.3) -> np.ndarray:
    """`mazzoni15_pop`, but rescaled for single neurons:
    1.82849 · mazzoni15_pop(1.31724 r, 1.22438 d).

    Args:
        r_um (np.ndarray): Lateral distance from dipole, in μm
        d_um (np.ndarray): Depth from dipole midpoint, in μm, where pyramidal apices
            are positive
        L_um (float or np.ndarray, optional): Apical dendrite length (not used).
            Defaults to 250.
        sigma (float, optional): Conductivity, in S/m (not used). Defaults to 0.3.

    Returns:
        np.ndarray: LFP amplitudes (μV) with the broadcast shape of r_um and d_um
    """
    return _engine("mazzoni15_single", r_um, d_um, L_um)


def aussel18(r_um: np.ndarray, d_um: np.ndarray, L_um: Union[float, np.ndarray] = 250,
             sigma: float = 0.3) -> np.ndarray:
    """Follows the closed-form formula for per-neuron contributions from Aussel et
    al., 2018, scaled so that summed over a population it resembles Mazzoni, Lindén
    et al., 2015: 0.021 · L cos θ / (4π σ dist²), cos θ = −d / dist; 0 at the dipole
    itself (the original gave NaN there).

    Args:
        r_um (np.ndarray): Lateral distance from dipole, in μm
        d_um (np.ndarray): Depth from dipole midpoint, in μm (apices positive)
        L_um (float or np.ndarray, optional): Apical dendrite length, in μm.
            Defaults to 250.
        sigma (float, optional): Conductivity, in S/m. Defaults to 0.3.

    Returns:
        np.ndarray: LFP amplitudes (μV) with the broadcast shape of the inputs
    """
    return _engine("aussel18", r_um, d_um, L_um) * (0.3 / sigma)


def aussel18_mod(r_um, d_um, L_um=250, sigma=0.3):
    """L cos θ / (4π σ dist), cos θ = −d / dist; 0 at the dipole itself."""
    r, d, L = np.broadcast_arrays(np.asarray(r_um, dtype=np.float64), np.asarray(d_um, dtype=np.float64),
                                  np.asarray(L_um, dtype=np.float64))
    dist2 = r * r + d * d
    safe = np.where(dist2 > 0, dist2, 1.0)
    return np.where(dist2 > 0, -d * L / (4 * np.pi * sigma * safe), 0.0)


def f_amp(
    r_um: np.ndarray,
    d_um: np.ndarray,
    L_um: Union[float, np.ndarray] = 250,
    sigma: float = 0.3,
    method: str = "mazzoni15_nrn",
) -> np.ndarray:
    """Compute the amplitude of the LFP at a given position.

    Args:
        r_um (np.ndarray): Lateral distance from dipole, in μm
        d_um (np.ndarray): Depth from dipole midpoint, in μm, where pyramidal apices
            are positive.
        L_um (float or np.ndarray, optional): Apical dendrite length, in μm.
            Defaults to 250.
        sigma (float, optional): Conductivity, in S/m. Defaults to 0.3.
        method (str, optional): Name of amplitude function to use (mazzoni15_pop,
            mazzoni15_nrn, aussel18 or aussel18_mod). Defaults to "mazzoni15_nrn".

    Returns:
        np.ndarray: LFP amplitudes with shape matching r_um and d_um

    Raises:
        ShapeError: r_um and d_um of different shapes
        WslfpKeyError: an unknown method
    """
    r_um, d_um = np.asarray(r_um), np.asarray(d_um)
    if r_um.shape != d_um.shape:
        raise _lib.ShapeError("r_um has shape %s but d_um %s" % (r_um.shape, d_um.shape))
    functions = {f.__name__: f for f in (mazzoni15_pop, mazzoni15_nrn, aussel18, aussel18_mod)}
    if method not in functions:
        raise _lib.WslfpKeyError("unknown amplitude function %r; expected one of %s"
                                 % (method, ", ".join(functions)))
    return functions[method](r_um, d_um, L_um, sigma)


def plot_amp(f, extent=None, title=None, vlim=None, fig=None, ax=None, cbar=True, labels=True, **kwargs):
    """Draws an amplitude image @f (rows: depth) with matplotlib; returns
    (fig, ax).  Needs matplotlib."""
    import matplotlib.pyplot as plt

    if fig is None and ax is None:
        fig, ax = plt.subplots(figsize=(3, 3))
    elif ax is None:
        ax = fig.gca()
    elif fig is None:
        fig = ax.figure
    options = dict(cmap="RdBu", extent=extent, origin="lower")
    if vlim:
        options.update(vmin=-vlim, vmax=vlim)
    options.update(kwargs)
    image = ax.imshow(f, **options)
    if cbar:
        fig.colorbar(image)
    if labels:
        ax.set(title="LFP amplitude (μV)", xlabel="Electrode lateral distance (μm)", ylabel="Electrode depth (μm)")
    if title:
        ax.set_title(title)
    return fig, ax
