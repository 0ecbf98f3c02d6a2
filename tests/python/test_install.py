"""`meson install` gives a package like any other: importlib.metadata and
pip see it, with a version Cleo's requirement accepts, and it imports and
computes from where it was installed (a DESTDIR copy here)."""
import os
import subprocess
import sys

import pytest


def test_installed_module_is_seen(tmp_path):
    build, prefix = os.environ["WSLFP_BUILD_ROOT"], os.environ["WSLFP_PREFIX"]
    run = subprocess.run([os.environ["WSLFP_MESON"], "install", "-C", build, "--destdir", str(tmp_path),
                          "--no-rebuild", "--quiet"], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    site = str(tmp_path) + os.environ["WSLFP_PY_INSTALL_DIR"]
    library = str(tmp_path) + os.environ["WSLFP_LIBRARY_INSTALLED"]
    assert os.path.exists(library) and os.path.isdir(os.path.join(site, "wslfp"))
    env = dict(os.environ, PYTHONPATH=site, WSLFP_LIBRARY=library)
    check = r"""
import importlib.metadata as md, numpy as np, wslfp
version = md.version("wslfp")
assert version == wslfp.__version__, (version, wslfp.__version__)
assert wslfp.__file__.startswith(%r), wslfp.__file__
meta = md.metadata("wslfp")
assert meta["Name"] == "wslfp" and "numpy" in meta.get_all("Requires-Dist")
print(version, meta["Requires-External"])
files = [str(f) for f in md.files("wslfp")]
assert "wslfp/__init__.py" in files and "wslfp/_config.py" in files, files
calc = wslfp.from_xyz_coords(np.array([[0, 0, 100.0]]), np.array([[0, 0, 0.0]]))
print(calc.calculate([10.0], 4.0, [[1.0]], 10.0, [[0.0]], normalize=False)[0, 0])
""" % site
    run = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, env=env)
    assert run.returncode == 0, run.stderr
    version, external, value = run.stdout.split(None, 2)
    major, minor, rest = version.split(".", 2)
    assert (int(major), int(minor)) == (0, 2) and int(rest.split("+")[0]) >= 2  # Cleo: wslfp>=0.2.1,<0.3
    assert rest.split("+")[1] == "libwslfp." + os.environ["WSLFP_LIBWSLFP_VERSION"]
    assert float(value.split()[-1]) != 0.0
    packaging = pytest.importorskip("packaging.requirements")
    assert packaging.Requirement("wslfp>=0.2.1,<0.3").specifier.contains(version)
    pip = subprocess.run([sys.executable, "-m", "pip", "list", "--path", site], capture_output=True, text=True,
                         env=env)
    assert pip.returncode == 0, pip.stderr
    assert any(line.split() == ["wslfp", version] for line in pip.stdout.splitlines()), pip.stdout
