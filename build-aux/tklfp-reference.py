#!/usr/bin/env python3
"""Reference numbers of the kernel LFP from the tklfp package itself
(kjohnsen/tklfp, Apache-2.0; a checkout named by the first argument), for
the engine's and the module's tests.  Run once; the output is committed:
    build-aux/tklfp-reference.py TKLFP_CHECKOUT tests/data/tklfp_reference.h5
Three random networks (both cell types, tilted orientations, one shared
orientation in the last; contacts above, below and beside the cells, one
on a cell), each with spikes, evaluation times around them, the package's
amplitudes, delays, LFP and minimum windows at three thresholds, and the
depth profiles on a grid of depths.  Needs SciPy and h5py."""
import importlib.util
import sys

import h5py
import numpy as np

spec = importlib.util.spec_from_file_location("tklfp", sys.argv[1] + "/tklfp/__init__.py",
                                              submodule_search_locations=[sys.argv[1] + "/tklfp"])
tklfp = importlib.util.module_from_spec(spec)
sys.modules["tklfp"] = tklfp
spec.loader.exec_module(tklfp)

rng = np.random.default_rng(2020)
with h5py.File(sys.argv[2], "w") as f:
    f.attrs["source"] = "tklfp 0.2.0 (kjohnsen/tklfp, Apache-2.0), build-aux/tklfp-reference.py"
    h = np.linspace(-1.0, 1.5, 2501)
    f["profiles/h_mm"] = h
    f["profiles/exc_A0_uV"] = tklfp.params2020["exc_A0_by_depth"](h)
    f["profiles/inh_A0_uV"] = tklfp.params2020["inh_A0_by_depth"](h)
    for k, (n_cells, n_elec, n_spikes) in enumerate(((40, 9, 300), (120, 32, 1500), (7, 4, 60))):
        cells = rng.uniform(-0.4, 0.4, (n_cells, 3))
        exc = rng.random(n_cells) < 0.75
        if k < 2:
            orientation = rng.normal(size=(n_cells, 3)) * [0.3, 0.3, 1.0] + [0, 0, 1.0]
        else:
            orientation = np.array([0.2, -0.1, 1.0])
        elec = np.column_stack([rng.uniform(-0.5, 0.5, n_elec), rng.uniform(-0.5, 0.5, n_elec),
                                np.linspace(-0.9, 1.2, n_elec)])
        elec[0] = cells[0]  # a contact on a cell
        i_spk = rng.integers(0, n_cells, n_spikes)
        t_spk = rng.uniform(0, 200, n_spikes)
        t_eval = np.arange(-5.0, 260.0, 0.25)
        model = tklfp.TKLFP(cells[:, 0], cells[:, 1], cells[:, 2], exc, elec, orientation)
        g = f.create_group("network%d" % k)
        g["cells_mm"], g["excitatory"], g["orientation"], g["electrodes_mm"] = cells, exc.astype(np.int8), \
            np.reshape(orientation, (-1, 3)), elec
        g["spikes/i"], g["spikes/t_ms"], g["t_eval_ms"] = i_spk, t_spk, t_eval
        g["expected/amplitude_uV"], g["expected/delay_ms"] = model._amp, model._delay
        g["expected/lfp_uV"] = model.compute(i_spk, t_spk, t_eval)
        thresholds = np.array([1e-3, 1e-1, 10.0])
        g["expected/min_window_thresholds_uV"] = thresholds
        g["expected/min_window_ms"] = [model.compute_min_window_ms(th) for th in thresholds]
