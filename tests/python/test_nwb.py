"""`wslfp compute -o OUT.nwb`: NWB 2.7.0 that validates against the schema
(Debian's python3-hdmf, with the small key mapping pynwb has), holds the
same data as the .h5 output, and opens again in `wslfp info|plot` — also an
NWB file written by another program."""
import os
import re
import subprocess
import uuid
import warnings

import h5py
import numpy as np
import pytest
from hdmf.backends.hdf5 import HDF5IO
from hdmf.build import BuildManager, TypeMap
from hdmf.spec import DatasetSpec, GroupSpec, NamespaceCatalog, SpecNamespace
from hdmf.spec.spec import BaseStorageSpec
from hdmf.validate import ValidatorMap

import sonata_net

CLI = os.environ.get("WSLFP_CLI", "wslfp")
DATA = os.environ.get("WSLFP_TEST_DATA", os.path.join(os.path.dirname(__file__), "..", "data"))
SCHEMA = os.environ.get("WSLFP_NWB_SCHEMA", os.path.join(os.path.dirname(__file__), "..", "..", "data", "nwb"))


# NWB names HDMF's data_type keys neurodata_type: the mapping pynwb makes.
class _NwbKeys:
    @classmethod
    def type_key(cls):
        return "neurodata_type"

    @classmethod
    def inc_key(cls):
        return "neurodata_type_inc"

    @classmethod
    def def_key(cls):
        return "neurodata_type_def"

    @classmethod
    def build_const_args(cls, spec_dict):
        for nwb_key, hdmf_key in ((cls.inc_key(), BaseStorageSpec.inc_key()), (cls.def_key(), BaseStorageSpec.def_key())):
            if nwb_key in spec_dict:
                spec_dict[hdmf_key] = spec_dict.pop(nwb_key)
        return super().build_const_args(spec_dict)


class NWBDatasetSpec(_NwbKeys, DatasetSpec):
    pass


class NWBGroupSpec(_NwbKeys, GroupSpec):
    @classmethod
    def dataset_spec_cls(cls):
        return NWBDatasetSpec


class NWBNamespace(SpecNamespace):
    @classmethod
    def types_key(cls):
        return "neurodata_types"


def catalog_from_yaml():
    cat = NamespaceCatalog(NWBGroupSpec, NWBDatasetSpec, NWBNamespace)
    cat.load_namespaces(os.path.join(SCHEMA, "hdmf-common", "namespace.yaml"))
    cat.load_namespaces(os.path.join(SCHEMA, "core", "nwb.namespace.yaml"))
    return cat


def validate(path, cat):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with HDF5IO(str(path), mode="r", manager=BuildManager(TypeMap(cat))) as io:
            builder = io.read_builder()
            return ValidatorMap(cat.get_namespace("core")).validate(builder)


def run(*args, ok=True):
    p = subprocess.run([CLI, *map(str, args)], capture_output=True, text=True)
    if ok:
        assert p.returncode == 0, p.stderr
    return p


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    """The same LFP as .h5 and .nwb: from currents on irregular times
    (small_case.h5), and from a SONATA network on 0:tstop:dt."""
    d = tmp_path_factory.mktemp("nwb")
    small = os.path.join(DATA, "small_case.h5")
    for ext in ("h5", "nwb"):
        run("compute", small, "-o", d / f"small.{ext}")
    root = d / "net"
    root.mkdir()
    sonata_net.build(str(root))
    for ext in ("h5", "nwb"):
        run("compute", root / "simulation_config.json", "--electrodes", "preset:neuropixels-2.0-4shank",
            "--probe-offset-um", "0,0,-300", "-o", d / f"net.{ext}")
        # the other proxy, with settings that are not the defaults
        run("compute", root / "simulation_config.json", "--electrodes", "preset:neuropixels-2.0-4shank",
            "--probe-offset-um", "0,0,-300", "--proxy", "tklfp", "--tklfp-sigma-ms", "3,2", "--tklfp-lambda-mm",
            "0.25", "-o", d / f"tklfp.{ext}")
    return d


@pytest.mark.parametrize("name", ["small", "net", "tklfp"])
def test_validates_against_the_schema(outputs, name):
    errors = validate(outputs / f"{name}.nwb", catalog_from_yaml())
    assert errors == []


def test_validator_sees_faults(outputs, tmp_path):
    # the check can fail: a copy without identifier and a table column
    bad = tmp_path / "bad.nwb"
    bad.write_bytes((outputs / "net.nwb").read_bytes())
    with h5py.File(bad, "a") as f:
        del f["identifier"]
        del f["general/extracellular_ephys/electrodes/group_name"]
    text = " ".join(map(str, validate(bad, catalog_from_yaml())))
    assert "identifier" in text and "group_name" in text


def test_cached_specifications_load(outputs):
    cat = NamespaceCatalog(NWBGroupSpec, NWBDatasetSpec, NWBNamespace)
    loaded = HDF5IO.load_namespaces(cat, str(outputs / "net.nwb"))
    assert set(loaded) >= {"core", "hdmf-common"}
    assert cat.get_namespace("core").version == "2.7.0"
    assert cat.get_namespace("hdmf-common").version == "1.8.0"
    # and validate the file against what it carries
    assert validate(outputs / "net.nwb", cat) == []


@pytest.mark.parametrize("name", ["small", "net", "tklfp"])
def test_same_data_as_h5(outputs, name):
    with h5py.File(outputs / f"{name}.h5") as h, h5py.File(outputs / f"{name}.nwb") as n:
        uv = h["lfp/uV"][:]
        t = h["lfp/t_ms"][:]
        es = n["processing/ecephys/LFP/ElectricalSeries"]
        data = es["data"]
        assert data.dtype == np.float32 and data.shape == uv.shape
        assert data.attrs["unit"] == "volts"
        volts = data[:] * data.attrs["conversion"]
        assert np.abs(volts * 1e6 - uv).max() <= 1e-6 * np.abs(uv).max()
        if "timestamps" in es:
            assert np.allclose(es["timestamps"][:], t / 1000, rtol=0, atol=1e-15)
            assert name == "small"  # irregular AMPA times
            # (the schema's fixed attributes: the validator passes a file
            # without them, a reader that reads them does not)
            assert es["timestamps"].attrs["unit"] == "seconds"
            assert es["timestamps"].attrs["interval"] == 1
        else:
            st = es["starting_time"]
            assert name in ("net", "tklfp")
            assert st.attrs["unit"] == "seconds"
            got = 1000 * (st[()] + np.arange(len(t)) / st.attrs["rate"])
            assert np.abs(got - t).max() <= 1e-6 * (t[1] - t[0])
        # the electrodes, in µm, as the .h5 output's
        table = n["general/extracellular_ephys/electrodes"]
        xyz = np.column_stack([table[c][:] for c in "xyz"])
        assert np.array_equal(xyz, h["electrodes/xyz_um"][:])
        for c in "xyz":
            assert "micrometres" in table[c].attrs["description"]
        region = es["electrodes"]
        assert n[region.attrs["table"]].name == table.name
        assert list(region[:]) == list(range(uv.shape[1]))
        shanks = h["electrodes/shank"][:] if "shank" in h["electrodes"] else np.zeros(len(xyz), int)
        names = [s.decode() if isinstance(s, bytes) else s for s in table["group_name"][:]]
        assert len(set(names)) == len(set(shanks))
        for ref, gname in zip(table["group"][:], names):
            assert n[ref].name.endswith("/" + gname)
            assert n[ref]["device"].name == "/general/devices/probe"
        assert "wslfp compute" in es.attrs["comments"]
        if name == "tklfp":
            # the proxy and the settings it was computed with
            assert es.attrs["description"].startswith("Kernel LFP proxy (TKLFP")
            assert "sigma_exc 3 ms, sigma_inh 2 ms, lambda 0.25 mm" in es.attrs["description"]
        else:
            assert "mazzoni15_single" in es.attrs["description"]


def test_every_typed_object_has_an_object_id(outputs):
    with h5py.File(outputs / "net.nwb") as f:
        assert f.attrs["nwb_version"] == "2.7.0" and f.attrs["namespace"] == "core"
        ids = [f.attrs["object_id"]]

        def visit(name, obj):
            if "neurodata_type" in obj.attrs:
                assert "namespace" in obj.attrs, name
                ids.append(obj.attrs["object_id"])

        f.visititems(visit)
        assert len(ids) == len(set(ids)) >= 12
        for i in ids:
            uuid.UUID(i)
        for name in ("identifier", "session_description", "session_start_time", "timestamps_reference_time",
                     "file_create_date", "acquisition", "analysis", "processing", "stimulus/presentation",
                     "stimulus/templates", "general"):
            assert name in f
        assert re.match(r"\d{4}-\d\d-\d\dT", f["session_start_time"][()].decode())


def foreign_nwb(path):
    """An NWB file as a recording system would write it: int16 samples in
    acquisition with a conversion and a per-channel conversion, timestamps,
    an electrodes table of two groups (one region of 3 of its 4 rows)."""
    t = np.arange(200) / 1000.0 + 5.0  # 1 kHz from 5 s, as timestamps
    raw = (np.arange(200 * 3).reshape(200, 3) % 97 - 48).astype(np.int16)
    with h5py.File(path, "w") as f:
        f.attrs["neurodata_type"] = "NWBFile"
        f.attrs["namespace"] = "core"
        f.attrs["nwb_version"] = "2.6.0"
        tab = f.create_group("general/extracellular_ephys/electrodes")
        tab["x"] = np.array([10.0, 20.0, 30.0, 40.0])
        tab["y"] = np.zeros(4)
        tab["z"] = np.array([-5.0, -15.0, -25.0, -35.0])
        tab["group_name"] = np.array([b"tetrodeA", b"tetrodeA", b"tetrodeB", b"tetrodeB"])
        es = f.create_group("acquisition/raw")
        es.attrs["neurodata_type"] = "ElectricalSeries"
        es.attrs["description"] = "recorded"
        es["data"] = raw
        es["data"].attrs["conversion"] = np.float32(0.5e-6)
        es["data"].attrs["unit"] = "volts"
        es["channel_conversion"] = np.array([1.0, 2.0, 4.0], np.float32)
        es["timestamps"] = t
        es["electrodes"] = np.array([1, 2, 3])
        es["electrodes"].attrs["table"] = tab.ref
    return t, raw


def test_foreign_nwb_opens(tmp_path):
    path = tmp_path / "rec.nwb"
    t, raw = foreign_nwb(path)
    p = run("info", path)
    assert "200 samples × 3 electrodes on 2 shanks" in p.stdout
    assert "t = 5000 … 5199 ms" in p.stdout
    png = tmp_path / "rec.png"
    run("plot", path, "-o", png)
    assert png.stat().st_size > 1000


def test_no_electrical_series_is_refused(tmp_path):
    path = tmp_path / "empty.nwb"
    with h5py.File(path, "w") as f:
        f.attrs["neurodata_type"] = "NWBFile"
    p = run("info", path, ok=False)
    assert p.returncode == 1 and "empty.nwb: no ElectricalSeries" in p.stderr
