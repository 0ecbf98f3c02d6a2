"""Faults the command line must survive (issue 20): each ran for ever,
crashed or misled before its fix."""
import os
import shutil
import subprocess

import h5py
import numpy as np
import pytest

CLI = os.environ.get("WSLFP_CLI", "wslfp")
DATA = os.environ.get("WSLFP_TEST_DATA", os.path.join(os.path.dirname(__file__), "..", "data"))


def run(*args, timeout=60):
    return subprocess.run([CLI, *map(str, args)], capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def lfp(tmp_path_factory):
    d = tmp_path_factory.mktemp("faults")
    out = d / "lfp.h5"
    p = run("compute", os.path.join(DATA, "small_case.h5"), "-o", out)
    assert p.returncode == 0, p.stderr
    return out


@pytest.mark.parametrize("value", [1e308, -1.7e308, 5e307])
def test_plot_of_huge_values_ends(lfp, tmp_path, value):
    # 1e308 looped for ever in the scale bar (item 6)
    path = tmp_path / "huge.h5"
    shutil.copy(lfp, path)
    with h5py.File(path, "a") as f:
        uv = f["lfp/uV"]
        uv[0, 0] = value
    p = run("plot", path, "-o", tmp_path / "huge.png", timeout=60)
    assert p.returncode in (0, 1), p.stderr
    if p.returncode == 0:
        assert (tmp_path / "huge.png").stat().st_size > 1000


def test_plot_of_an_overflowing_time_range_is_refused(lfp, tmp_path):
    # the span of −1e308:1e308 is inf: it looped for ever (item 7)
    p = run("plot", lfp, "--t-range=-1e308:1e308", "-o", tmp_path / "t.png", timeout=60)
    assert p.returncode == 2 and "B − A finite" in p.stderr
    assert not (tmp_path / "t.png").exists()
