"""ctypes bindings to libwslfp (the C engine); internal."""
import ctypes
import ctypes.util
import os

import numpy as np

_double_p = ctypes.POINTER(ctypes.c_double)


class _Error(ctypes.Structure):
    _fields_ = [("status", ctypes.c_int), ("message", ctypes.c_char * 512)]


class _Options(ctypes.Structure):
    _fields_ = [
        ("alpha", ctypes.c_double),
        ("tau_ampa_ms", ctypes.c_double),
        ("tau_gaba_ms", ctypes.c_double),
        ("normalize", ctypes.c_bool),
        ("strict", ctypes.c_bool),
        ("progress", ctypes.c_void_p),
        ("progress_data", ctypes.c_void_p),
    ]


class _Currents(ctypes.Structure):
    _fields_ = [
        ("t_ms", _double_p),
        ("n_times", ctypes.c_size_t),
        ("values", _double_p),
        ("n_sources", ctypes.c_size_t),
        ("first_row", ctypes.c_size_t),
        ("n_rows", ctypes.c_size_t),
    ]


def _library_path():
    """WSLFP_LIBRARY (set by `meson devenv`), else where meson installed it,
    else the system's search path."""
    path = os.environ.get("WSLFP_LIBRARY")
    if path:
        return path
    try:
        from . import _config

        if os.path.exists(_config.LIBRARY):
            return _config.LIBRARY
    except ImportError:
        pass
    return ctypes.util.find_library("wslfp") or "libwslfp.so.0"


class LibraryError(ImportError):
    """libwslfp could not be loaded, or is not the one this module needs."""


_HOW = ("Point WSLFP_LIBRARY at libwslfp.so (a build tree's is BUILD/src/engine/libwslfp.so; "
        "`meson devenv -C BUILD` sets it), or install libwslfp with the module (`meson install -C BUILD`).")


def _load():
    path = _library_path()
    try:
        return path, ctypes.CDLL(path)
    except OSError as e:
        raise LibraryError("wslfp: cannot load libwslfp from %s (%s). %s" % (path, e, _HOW)) from None


_path, lib = _load()

_p = ctypes.c_void_p
_sz = ctypes.c_size_t
_err = ctypes.POINTER(_Error)
_SIGNATURES = {
    "wslfp_profile_new_from_name": (ctypes.c_int, [ctypes.c_char_p, ctypes.POINTER(_p), _err]),
    "wslfp_profile_free": (None, [_p]),
    "wslfp_profile_eval_many": (ctypes.c_int, [_p, _sz, _double_p, _double_p, _double_p, _double_p, _err]),
    "wslfp_model_new_from_amplitude": (ctypes.c_int, [_double_p, _sz, _sz, ctypes.POINTER(_p), _err]),
    "wslfp_model_free": (None, [_p]),
    "wslfp_options_init": (None, [ctypes.POINTER(_Options)]),
    "wslfp_compute": (
        ctypes.c_int,
        [_p, ctypes.POINTER(_Currents), ctypes.POINTER(_Currents), _double_p, _sz, ctypes.POINTER(_Options),
         _double_p, _err],
    ),
    "wslfp_normalize": (ctypes.c_int, [_p, _double_p, _sz, _double_p, _double_p, _err]),
    "wslfp_normalize_with": (ctypes.c_int, [_p, _double_p, _sz, _double_p, _double_p, _err]),
    "wslfp_stream_new": (ctypes.c_int, [_p, ctypes.c_double, ctypes.POINTER(_Options), ctypes.POINTER(_p), _err]),
    "wslfp_stream_free": (None, [_p]),
    "wslfp_stream_push": (ctypes.c_int, [_p, _double_p, _double_p, _sz, _double_p, _err]),
    "wslfp_stream_set_normalization": (ctypes.c_int, [_p, _double_p, _double_p, _err]),
    "wslfp_stream_reset": (None, [_p]),
    "wslfp_currents_sample_rows": (ctypes.c_int, [_double_p, _sz, _double_p, _sz, ctypes.c_double, _p, _err]),
    # (model, block, type, n_rows, n_cols, row_stride, first_source, precision, out, error)
    "wslfp_model_accumulate": (ctypes.c_int, [_p, _p, ctypes.c_int, _sz, _sz, _sz, _sz, ctypes.c_int, _double_p, _err]),
}
def bind(name, restype, argtypes):
    """Declares libwslfp's function @name; LibraryError when it lacks it."""
    try:
        f = getattr(lib, name)
    except AttributeError:
        raise LibraryError("wslfp: %s is not the libwslfp this module needs: it lacks %s (an older version, "
                           "or another library?). %s" % (_path, name, _HOW)) from None
    f.restype = restype
    f.argtypes = argtypes
    return f


for _name, (_res, _args) in _SIGNATURES.items():
    bind(_name, _res, _args)


class WslfpError(ValueError):
    """The module refused its input; the message says what and where.
    Where the original package raised another type for the same mistake,
    the error is a subclass of that type too (so ``except`` clauses written
    for the original keep working)."""


class WslfpAssertionError(WslfpError, AssertionError):
    """A mistake the original package caught with ``assert``."""


class ShapeError(WslfpAssertionError):
    """An array of the wrong shape (the original asserted shapes)."""


class WslfpIndexError(WslfpError, IndexError):
    """An index outside its range (the original indexed with it and
    raised IndexError): a spike's neuron beyond J's rows, say."""


class WslfpKeyError(WslfpError, KeyError):
    """An unknown name (the original looked it up and raised KeyError)."""

    __str__ = BaseException.__str__  # the message as it is, not quoted as a key


_INDEX = 5  # WSLFP_ERROR_INDEX


def check(status, error):
    if status != 0:
        kind = WslfpIndexError if error.status == _INDEX else WslfpError
        raise kind(error.message.decode("utf-8", "replace"))


def pointer(array):
    """A double* to a C-contiguous float64 array (or NULL for None)."""
    if array is None:
        return None
    return array.ctypes.data_as(_double_p)


def as_doubles(x):
    """x as a C-contiguous float64 array, without a copy when it already is one."""
    return np.ascontiguousarray(x, dtype=np.float64)


class Handle:
    """An owned C pointer freed by `free` when the object goes."""

    def __init__(self, value, free):
        self.value = value
        self._free = free

    def __del__(self):
        if self.value:
            self._free(self.value)
            self.value = None


def profile(name):
    p = _p()
    e = _Error()
    check(lib.wslfp_profile_new_from_name(name.encode(), ctypes.byref(p), ctypes.byref(e)), e)
    return Handle(p, lib.wslfp_profile_free)


def model_from_amplitude(amp):
    amp = as_doubles(amp)
    if amp.ndim != 2:
        raise WslfpError("amp_uV must be an (n_elec, n_sources) array, not of shape %s" % (amp.shape,))
    m = _p()
    e = _Error()
    check(lib.wslfp_model_new_from_amplitude(pointer(amp), amp.shape[0], amp.shape[1], ctypes.byref(m),
                                             ctypes.byref(e)), e)
    return Handle(m, lib.wslfp_model_free)


def push_function():
    """wslfp_stream_push taking addresses as integers (the fast per-step path)."""
    f = ctypes.CFUNCTYPE(ctypes.c_int, _p, _p, _p, _sz, _p, _p)(("wslfp_stream_push", lib))
    return f
