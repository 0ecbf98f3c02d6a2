"""Faults the command line must survive (issue 20): each ran for ever,
crashed or misled before its fix."""
import os
import shutil
import stat
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


def special_outputs(tmp_path):
    fifo = tmp_path / "fifo.h5"
    os.mkfifo(fifo)
    yield "fifo", fifo
    if os.geteuid() == 0:  # only root makes device nodes (CI runs as root)
        dev = tmp_path / "null.h5"
        os.mknod(dev, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        yield "device", dev


def test_output_onto_a_device_or_pipe_is_refused(lfp, tmp_path):
    # -o /dev/null (as root) replaced the system's /dev/null (item 8)
    seen = []
    for kind, path in special_outputs(tmp_path):
        p = run("compute", os.path.join(DATA, "small_case.h5"), "-o", path)
        assert p.returncode == 1, (kind, p.stderr)
        assert "is not a regular file" in p.stderr
        mode = os.lstat(path).st_mode
        assert not stat.S_ISREG(mode), kind  # still the special file
        seen.append(kind)
    assert "fifo" in seen


def test_output_through_a_symlink_writes_its_target(lfp, tmp_path):
    # -o through a symbolic link replaced the link, not its target (item 8)
    target = tmp_path / "real.h5"
    target.write_bytes(b"old")
    link = tmp_path / "link.h5"
    os.symlink(target, link)
    p = run("compute", os.path.join(DATA, "small_case.h5"), "-o", link)
    assert p.returncode == 0, p.stderr
    assert os.path.islink(link) and os.readlink(link) == str(target)
    with h5py.File(target) as f:
        assert f["lfp/uV"].shape[1] == 5
    dangling = tmp_path / "dangling.h5"
    os.symlink(tmp_path / "nowhere" / "x.h5", dangling)
    p = run("compute", os.path.join(DATA, "small_case.h5"), "-o", dangling)
    assert p.returncode == 1 and "symbolic link to a file that is not there" in p.stderr


def test_default_times_say_where_they_came_from(tmp_path):
    # one spike at 1e9 ms: the message blamed --t-eval, which nobody gave (item 14)
    import wslfp
    import scipy.sparse
    path = tmp_path / "late.h5"
    wslfp.save_dataset(path, [[0.0, 0.0, 0.0]], electrodes_um=[[0.0, 0.0, 100.0]],
                       spikes={"exc": dict(t_ms=[1e9], i=[0], weights=scipy.sparse.csr_matrix([[1.0]]))})
    p = run("compute", path, "--from-spikes", "-o", tmp_path / "out.h5")
    assert p.returncode == 1
    assert "the spikes (every 0.1 ms" in p.stderr and "are too many" in p.stderr
    assert "--t-eval 0:" not in p.stderr


@pytest.mark.parametrize("ext", ["pdf", "svg", "png"])
def test_a_figure_that_does_not_fit_fails_and_keeps_the_old_one(lfp, tmp_path, ext):
    # a PDF a few kB too big for the disk replaced the old figure with a
    # truncated one and exited 0 (item 9); a file-size limit stands in for
    # the full disk (writes past it fail with EFBIG)
    import resource
    import signal

    out = tmp_path / f"fig.{ext}"
    out.write_bytes(b"the old figure")

    def limit():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (3000, 3000))

    p = subprocess.run([CLI, "plot", str(lfp), "-o", str(out)], capture_output=True, text=True, timeout=60,
                       preexec_fn=limit)
    assert p.returncode == 1, p.stderr
    assert "cannot write" in p.stderr
    assert out.read_bytes() == b"the old figure"
    assert [f for f in os.listdir(tmp_path) if f.startswith(".")] == []  # no temporary file left
    p = run("plot", lfp, "-o", out)  # without the limit it is written
    assert p.returncode == 0 and out.stat().st_size > 3000


def test_a_pdf_on_a_nearly_full_disk_fails_and_keeps_the_old_one(lfp, tmp_path):
    # the defect itself (item 9): on a file system a few kB too small, cairo's
    # own file stream lost the error: exit 0, a truncated PDF in place of the
    # old one.  A 200 kB tmpfs stands in for the full disk (root can mount it,
    # as on CI; otherwise the file-size limit above is the check).
    full = tmp_path / "full.pdf"
    assert run("plot", lfp, "-o", full).returncode == 0
    mnt = tmp_path / "tiny"
    mnt.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=200k", "tmpfs", str(mnt)],
                      capture_output=True).returncode != 0:
        # no tmpfs here (not root, or a container without the right): the
        # same figure under a file-size limit must fail and keep the old one
        import resource
        import signal

        out = tmp_path / "fig.pdf"
        out.write_bytes(b"the old figure")

        def limit():
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (full.stat().st_size - 4096,) * 2)

        p = subprocess.run([CLI, "plot", str(lfp), "-o", str(out)], capture_output=True, text=True, timeout=60,
                           preexec_fn=limit)
        assert p.returncode == 1 and out.read_bytes() == b"the old figure", p.stderr
        return
    try:
        out = mnt / "fig.pdf"
        out.write_bytes(b"the old figure")
        free = os.statvfs(mnt).f_bavail * os.statvfs(mnt).f_frsize
        with open(mnt / "filler", "wb") as f:
            f.write(b"\0" * max(free - full.stat().st_size + 4096, 0))
        p = run("plot", lfp, "-o", out)
        assert p.returncode == 1 and "No space left" in p.stderr, p.stderr
        assert out.read_bytes() == b"the old figure"
    finally:
        subprocess.run(["umount", str(mnt)])


def test_missing_external_storage_prints_no_hdf5_stack(tmp_path):
    # currents stored in an external raw file that is not there: HDF5's
    # 28-line error stack was printed (from a worker thread) before our
    # message (item 17)
    src = os.path.join(DATA, "small_case.h5")
    path = tmp_path / "external.h5"
    shutil.copy(src, path)
    with h5py.File(path, "a") as f:
        shape, dtype = f["currents/ampa/I"].shape, f["currents/ampa/I"].dtype
        del f["currents/ampa/I"]
        f.create_dataset("currents/ampa/I", shape=shape, dtype=dtype,
                         external=[(str(tmp_path / "missing.bin"), 0, h5py.h5f.UNLIMITED)])
    for threads in ("1", "2"):
        p = run("compute", path, "--threads", threads, "-o", tmp_path / "out.h5")
        assert p.returncode == 1
        assert "HDF5-DIAG" not in p.stderr and "#000" not in p.stderr, p.stderr
        assert "external.h5" in p.stderr


def test_plot_of_a_shank_of_32768_contacts(tmp_path):
    # its colour map was an image taller than cairo makes (32 767 rows):
    # the NULL data was written, a crash (item 1)
    E = 32768
    path = tmp_path / "many.h5"
    with h5py.File(path, "w") as f:
        f["lfp/t_ms"] = np.array([0.0, 1.0, 2.0])
        f["lfp/uV"] = np.sin(np.arange(3 * E, dtype=float)).reshape(3, E)
        f["electrodes/xyz_um"] = np.column_stack([np.zeros(E), np.zeros(E), np.arange(E, dtype=float)])
        f["electrodes/shank"] = np.zeros(E, np.int64)
    for kind in ("traces", "image"):
        out = tmp_path / f"many-{kind}.png"
        p = run("plot", path, "--kind", kind, "-o", out, timeout=120)
        assert p.returncode == 0, p.stderr
        assert out.stat().st_size > 1000


def test_probe_csv_limits_and_long_values_in_messages(tmp_path):
    # a probe CSV had no cap (JSON: 100 000 contacts); a 1 MB attribute
    # value was copied whole into the message
    big = tmp_path / "big.csv"
    with open(big, "w") as f:
        for k in range(100001):
            f.write(f"0,0,{k}\n")
    p = run("compute", os.path.join(DATA, "small_case.h5"), "--electrodes", big, "-o", tmp_path / "o.h5")
    assert p.returncode == 1 and "100001 contacts; at most 100000" in p.stderr
    path = tmp_path / "long.h5"
    shutil.copy(os.path.join(DATA, "small_case.h5"), path)
    with h5py.File(path, "a") as f:
        f["sources/xyz_um"].attrs["coords_are"] = "x" * 1_000_000
    p = run("info", path)
    assert p.returncode == 1 and "coords_are is \"xxx" in p.stderr
    assert len(p.stderr) < 1000


def test_denormal_time_steps_blame_the_times(tmp_path):
    # times 0, 5e-324, 1e-323 ms: minus 6 ms they are all -6 ms; the message
    # blamed the spike times (item 16)
    import wslfp
    import scipy.sparse
    path = tmp_path / "denormal.h5"
    t = np.array([0.0, 5e-324, 1e-323])
    wslfp.save_dataset(path, [[0.0, 0.0, 0.0]], electrodes_um=[[0.0, 0.0, 100.0]],
                       currents={"ampa": (t, np.zeros((3, 1)))},
                       spikes={"exc": dict(t_ms=[1.0], i=[0], weights=scipy.sparse.csr_matrix([[1.0]]))})
    p = run("compute", path, "--from-spikes", "-o", tmp_path / "o.h5")
    assert p.returncode == 1
    assert "evaluation times minus the AMPA delay (6 ms) are not increasing" in p.stderr
    assert "t_eval[1] = 4.9406564584124654e-324 ms is too close to the time before it" in p.stderr
    assert "/spikes/exc: t_ms" not in p.stderr


def _virtual(path, source_file, source_set):
    with h5py.File(path, "a") as f:
        shape, dtype = f["currents/ampa/I"].shape, f["currents/ampa/I"].dtype
        del f["currents/ampa/I"]
        layout = h5py.VirtualLayout(shape=shape, dtype=dtype)
        layout[:] = h5py.VirtualSource(source_file, source_set, shape=shape)
        f.create_virtual_dataset("currents/ampa/I", layout)


def test_a_virtual_dataset_mapping_itself_is_refused(tmp_path):
    # it overflowed HDF5's stack while reading; info called it computable (item 4)
    path = tmp_path / "vds.h5"
    shutil.copy(os.path.join(DATA, "small_case.h5"), path)
    _virtual(path, ".", "currents/ampa/I")
    p = run("info", path)
    assert "compute from currents: no" in p.stdout and "is itself" in p.stdout
    p = run("compute", path, "-o", tmp_path / "o.h5")
    assert p.returncode == 1 and "virtual dataset whose source /currents/ampa/I is itself" in p.stderr
    assert "crashed" not in p.stderr


def test_output_onto_a_file_the_input_reads_through(tmp_path):
    # currents in part.h5 through a virtual dataset (or external raw storage):
    # -o part.h5 replaced it (item 10)
    part = tmp_path / "part.h5"
    main = tmp_path / "main.h5"
    shutil.copy(os.path.join(DATA, "small_case.h5"), part)
    shutil.copy(os.path.join(DATA, "small_case.h5"), main)
    _virtual(main, "part.h5", "currents/ampa/I")
    before = part.read_bytes()
    p = run("compute", main, "-o", part)
    assert p.returncode == 1 and "writing it would destroy the input" in p.stderr, p.stderr
    assert part.read_bytes() == before
    # external raw storage
    raw = tmp_path / "ampa.bin"
    ext = tmp_path / "ext.h5"
    shutil.copy(os.path.join(DATA, "small_case.h5"), ext)
    with h5py.File(ext, "a") as f:
        data = f["currents/ampa/I"][:]
        del f["currents/ampa/I"]
        data.astype("<f8").tofile(raw)
        f.create_dataset("currents/ampa/I", shape=data.shape, dtype="<f8", external=[(str(raw), 0, data.nbytes)])
    assert run("compute", ext, "-o", tmp_path / "fine.h5").returncode == 0
    before = raw.read_bytes()
    p = run("compute", ext, "-o", raw)
    assert p.returncode == 1 and "writing it would destroy the input" in p.stderr, p.stderr
    assert raw.read_bytes() == before


def test_a_virtual_dataset_loop_anywhere_is_refused(tmp_path):
    # the neighbours of item 4: every dataset read goes through the check
    path = tmp_path / "vds-sources.h5"
    shutil.copy(os.path.join(DATA, "small_case.h5"), path)
    with h5py.File(path, "a") as f:
        shape, dtype = f["sources/xyz_um"].shape, f["sources/xyz_um"].dtype
        attrs = dict(f["sources/xyz_um"].attrs)
        del f["sources/xyz_um"]
        layout = h5py.VirtualLayout(shape=shape, dtype=dtype)
        layout[:] = h5py.VirtualSource(".", "sources/xyz_um", shape=shape)
        f.create_virtual_dataset("sources/xyz_um", layout)
        f["sources/xyz_um"].attrs.update(attrs)
    p = run("info", path)
    assert p.returncode == 1 and "/sources/xyz_um is a virtual dataset whose source /sources/xyz_um is itself" in p.stderr
    assert "crashed" not in p.stderr
