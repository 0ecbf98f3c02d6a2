"""Writing a network in the layout `wslfp compute` and WSLFP Explorer read
(README, "Dataset layout"), from Brian2 or NumPy, in one call."""
import os
import stat
import tempfile

import numpy as np


def _csr(weights, n_sources, name):
    """(indptr, indices, data, shape) of a CSR matrix (anything with
    tocsr()), or None for a dense array or a number."""
    if hasattr(weights, "tocsr"):
        w = weights.tocsr()
        if w.shape[1] != n_sources:
            raise ValueError(f"{name}: weights have {w.shape[1]} columns; expected {n_sources}, one per source")
        return np.asarray(w.indptr, np.int64), np.asarray(w.indices, np.int64), np.asarray(w.data, np.float64), w.shape
    return None


def _finite(a, name):
    a = np.asarray(a, dtype=np.float64)
    bad = np.flatnonzero(~np.isfinite(a))
    if bad.size:
        raise ValueError(f"{name}[{np.unravel_index(bad[0], a.shape)}] is {a.flat[bad[0]]}, not a finite number")
    return a


def _output_path(path):
    """Where an output named @path goes, as the C library decides it: a
    regular file is replaced; through a symbolic link, its target (the link
    stays); a device, a pipe or a socket never (as root, a replaced
    /dev/null would be the system's)."""
    path = os.fspath(path)
    if os.path.islink(path):
        target = os.path.realpath(path)
        if not os.path.exists(target):
            raise ValueError(f"{path} is a symbolic link to a file that is not there: give the target's name")
        path = target
    if os.path.isdir(path):
        raise ValueError(f"{path} is a folder, not a file name")
    if os.path.exists(path) and not stat.S_ISREG(os.stat(path).st_mode):
        raise ValueError(f"{path} exists and is not a regular file (a device, a pipe or a socket): "
                         "it is not replaced; choose a file name")
    return os.path.abspath(path)


def save_dataset(path, sources_um, *, orientation=None, dendrite_length_um=None, coords_are="somata",
                 electrodes_um=None, shank=None, currents=None, spikes=None):
    """Writes a dataset that ``wslfp compute`` and WSLFP Explorer read.

    Args:
        path: the HDF5 file to write; written to a temporary file beside it
            and renamed into place, so a failure never leaves half a file.
        sources_um: (S, 3) pyramidal-cell positions in µm (somata, or dipole
            centres with ``coords_are="dipole_centers"``).
        orientation: soma → apex, (3,) for all or (S, 3); default +z.
        dendrite_length_um: a number or (S,); default 250 µm.
        coords_are: ``"somata"`` (default) or ``"dipole_centers"``.
        electrodes_um: (E, 3) contact positions in µm, or None (then give a
            probe when computing: ``--electrodes``).
        shank: (E,) integer shank of each contact (optional).
        currents: ``{"ampa": (t_ms, I), "gaba": (t_ms, I)}`` with t_ms (T,)
            strictly increasing and I (T, S) in nA (rows are time); either
            may be left out. float32 arrays stay float32.
        spikes: ``{"exc": group, "inh": group}``, each group a dict with
            ``t_ms`` (K,), ``i`` (K,) presynaptic indices, ``weights`` (a
            scipy.sparse matrix (n_pre, S), a dense (n_pre, S) array or a
            number, nA), and optionally ``delays_ms`` (one per stored weight
            of a sparse matrix, in its CSR order: per-connection delays),
            ``tau_rise_ms``, ``tau_decay_ms``, ``delay_ms`` and ``kernel``
            (``"ode"``, ``"peak"`` or ``"unit"``).

    Raises:
        ValueError: a shape or value that the layout cannot hold, naming
            the argument and index.
        ImportError: without h5py.
    """
    import h5py

    src = _finite(sources_um, "sources_um")
    if src.ndim != 2 or src.shape[1] != 3 or len(src) == 0:
        raise ValueError(f"sources_um has shape {src.shape}; expected (S, 3) with S >= 1")
    S = len(src)
    if coords_are not in ("somata", "dipole_centers"):
        raise ValueError(f'coords_are is "{coords_are}"; expected "somata" or "dipole_centers"')
    path = _output_path(path)
    folder = os.path.dirname(path)
    fd, tmp = tempfile.mkstemp(prefix=".wslfp-", suffix=".h5.tmp", dir=folder)
    os.close(fd)
    try:
        with h5py.File(tmp, "w") as f:
            f["sources/xyz_um"] = src
            f["sources/xyz_um"].attrs["coords_are"] = coords_are
            if orientation is not None:
                o = _finite(orientation, "orientation")
                if o.shape not in ((3,), (S, 3)):
                    raise ValueError(f"orientation has shape {o.shape}; expected (3,) or ({S}, 3)")
                f["sources/orientation"] = o
            if dendrite_length_um is not None:
                L = _finite(dendrite_length_um, "dendrite_length_um")
                if L.shape not in ((), (S,)) or np.any(L <= 0):
                    raise ValueError(f"dendrite_length_um must be a positive number or ({S},) of them")
                f["sources/dendrite_length_um"] = L
            if electrodes_um is not None:
                e = _finite(electrodes_um, "electrodes_um")
                if e.ndim != 2 or e.shape[1] != 3 or len(e) == 0:
                    raise ValueError(f"electrodes_um has shape {e.shape}; expected (E, 3) with E >= 1")
                f["electrodes/xyz_um"] = e
                if shank is not None:
                    sh = np.asarray(shank)
                    if sh.shape != (len(e),) or not np.issubdtype(sh.dtype, np.integer):
                        raise ValueError(f"shank must be ({len(e)},) integers, one per contact")
                    f["electrodes/shank"] = sh.astype(np.int64)
            elif shank is not None:
                raise ValueError("shank needs electrodes_um")
            for kind, pair in (currents or {}).items():
                if kind not in ("ampa", "gaba"):
                    raise ValueError(f'currents["{kind}"]: the kinds are "ampa" and "gaba"')
                t_ms, I = pair
                t = _finite(t_ms, f'currents["{kind}"] t_ms')
                if t.ndim != 1 or np.any(np.diff(t) <= 0):
                    raise ValueError(f'currents["{kind}"] t_ms must be strictly increasing (T,)')
                I = np.asarray(I)
                if I.shape != (len(t), S):
                    raise ValueError(f'currents["{kind}"] I has shape {I.shape}; expected ({len(t)}, {S}): rows are time')
                _finite(I, f'currents["{kind}"] I')
                f[f"currents/{kind}/t_ms"] = t
                f[f"currents/{kind}/I"] = I if I.dtype == np.float32 else I.astype(np.float64)
                f[f"currents/{kind}/I"].attrs["units"] = "nA"
            for group, g in (spikes or {}).items():
                if group not in ("exc", "inh"):
                    raise ValueError(f'spikes["{group}"]: the groups are "exc" and "inh"')
                name = f'spikes["{group}"]'
                t = _finite(g["t_ms"], f"{name} t_ms")
                i = np.asarray(g["i"])
                if t.ndim != 1 or i.shape != t.shape or (i.size and not np.issubdtype(i.dtype, np.integer)):
                    raise ValueError(f"{name}: t_ms and i must be (K,) each, i integers")
                f[f"spikes/{group}/t_ms"] = t
                f[f"spikes/{group}/i"] = i.astype(np.int64)
                w = g["weights"]
                csr = _csr(w, S, name)
                if csr is not None:
                    indptr, indices, data, shape = csr
                    _finite(data, f"{name} weights")
                    f[f"spikes/{group}/weights/indptr"] = indptr
                    f[f"spikes/{group}/weights/indices"] = indices
                    f[f"spikes/{group}/weights/data"] = data
                    f[f"spikes/{group}/weights"].attrs["shape"] = np.asarray(shape, np.int64)
                    n_pre = shape[0]
                    if g.get("delays_ms") is not None:
                        d = _finite(g["delays_ms"], f"{name} delays_ms")
                        if d.shape != data.shape or np.any(d < 0):
                            raise ValueError(f"{name} delays_ms must be {data.shape}, >= 0: one per stored weight")
                        f[f"spikes/{group}/weights/delays_ms"] = d
                else:
                    if g.get("delays_ms") is not None:
                        raise ValueError(f"{name} delays_ms needs sparse weights (one delay per connection)")
                    w = _finite(w, f"{name} weights")
                    if w.ndim == 2 and w.shape[1] != S:
                        raise ValueError(f"{name} weights have shape {w.shape}; expected (n_pre, {S})")
                    if w.ndim not in (0, 2):
                        raise ValueError(f"{name} weights must be sparse, (n_pre, {S}) or a number")
                    f[f"spikes/{group}/weights"] = w
                    n_pre = w.shape[0] if w.ndim == 2 else None
                if n_pre is not None and i.size and (i.min() < 0 or i.max() >= n_pre):
                    k = int(np.flatnonzero((i < 0) | (i >= n_pre))[0])
                    raise ValueError(f"{name} i[{k}] = {i[k]} is outside [0, {n_pre}), the presynaptic neurons")
                attrs = f[f"spikes/{group}"].attrs
                for key in ("tau_rise_ms", "tau_decay_ms", "delay_ms"):
                    if g.get(key) is not None:
                        attrs[key] = float(g[key])
                attrs["kernel"] = g.get("kernel", "ode")
        # durable before the name points at it, with the usual permissions
        # (mkstemp's are 0600)
        with open(tmp, "rb") as written:
            os.fsync(written.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
