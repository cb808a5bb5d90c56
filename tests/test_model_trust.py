"""The model loader trusts nothing it loads: malicious archives, tampered files, unknown folders.

Each hostile folder gets a manifest consistent with its files (as an attacker who writes the
whole folder would), so it is the fixed type set that refuses it, not the checksums."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import skops.io as sio
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer
from sklearn.utils._testing import assert_run_python_script_without_output

from pipeline.classify.integrity import MANIFEST_FILE, PINNED_FILES, file_digest
from pipeline.classify.registry import latest_model_dir
from pipeline.classify.trained import TrainedClassifier
from pipeline.errors import ModelError

CYBERNORMS = Path(sys.executable).parent / "cybernorms"
SHIPPED = latest_model_dir()


class _Payload:
    """Pickled, it runs a shell command when unpickled: what numpy.load(allow_pickle=True) would do."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


@pytest.fixture()
def model_copy(tmp_path: Path) -> Path:
    assert SHIPPED is not None, "no trained model under models/ (pin or train one)"
    folder = tmp_path / "model"
    shutil.copytree(SHIPPED, folder)
    return folder


def _attacker_manifest(folder: Path) -> None:
    pinned = {name: file_digest(folder / name) for name in PINNED_FILES if (folder / name).exists()}
    (folder / MANIFEST_FILE).write_text(json.dumps({"sha256": pinned}))


def _hostile(folder: Path, labels_model) -> Path:
    sio.dump({"labels": labels_model, "bindingness": LogisticRegression()}, folder / "model.skops")
    _attacker_manifest(folder)
    return folder


HOSTILE = {
    # numpy.load with allow_pickle: transform(path) would unpickle, and so run, a file's code
    "numpy loader with allow_pickle": FunctionTransformer(func=np.load, kw_args={"allow_pickle": True}),
    "os function": FunctionTransformer(func=os.system),
    # a scikit-learn function that runs Python source in a subprocess, inside a Pipeline
    "sklearn object whose state runs code": Pipeline([("run", FunctionTransformer(
        func=assert_run_python_script_without_output, kw_args={"source_code": "open('/tmp/x', 'w')"}))]),
    # skops itself trusts FunctionTransformer and NumPy ufuncs by default: only the fixed set refuses this
    "default-trusted FunctionTransformer": FunctionTransformer(func=np.log1p),
}


@pytest.mark.parametrize("name", HOSTILE)
def test_malicious_archives_are_refused(model_copy: Path, name: str) -> None:
    _hostile(model_copy, HOSTILE[name])
    with pytest.raises(ModelError, match=r"untrusted types.*cybernorms train"):
        TrainedClassifier.load(model_copy)


def test_the_numpy_payload_is_real_and_never_runs(model_copy: Path, tmp_path: Path) -> None:
    """The archive does what it says when trusted; the loader never lets it."""
    marker, pickled = tmp_path / "ran", tmp_path / "payload.npy"
    pickled.write_bytes(pickle.dumps(_Payload(marker)))
    archive = model_copy / "model.skops"
    _hostile(model_copy, HOSTILE["numpy loader with allow_pickle"])
    naive = sio.load(archive, trusted=sio.get_untrusted_types(file=archive))  # what a trusting loader builds
    naive["labels"].transform(str(pickled))
    assert marker.exists()
    marker.unlink()
    with pytest.raises(ModelError):
        TrainedClassifier.load(model_copy)
    assert not marker.exists()


def test_config_json_no_longer_decides_what_is_trusted(model_copy: Path) -> None:
    _hostile(model_copy, HOSTILE["os function"])
    config = json.loads((model_copy / "config.json").read_text())
    config["skops_types"] = ["posix.system", "numpy.load"]
    (model_copy / "config.json").write_text(json.dumps(config))
    _attacker_manifest(model_copy)
    with pytest.raises(ModelError, match="untrusted types"):
        TrainedClassifier.load(model_copy)


@pytest.mark.parametrize("name", ["model.skops", "vocabularies.json", "config.json"])
def test_a_tampered_file_is_refused(model_copy: Path, name: str) -> None:
    target = model_copy / name
    # Trailing bytes: the zip still opens and the JSON still parses; only the checksum sees them.
    target.write_bytes(target.read_bytes() + (b"\0" if name == "model.skops" else b" "))
    with pytest.raises(ModelError, match=rf"{name}: SHA-256 differs.*cybernorms train"):
        TrainedClassifier.load(model_copy)


def test_an_unknown_model_is_refused_until_pinned(model_copy: Path) -> None:
    (model_copy / MANIFEST_FILE).unlink()
    with pytest.raises(ModelError, match="unknown model.*cybernorms train.*cybernorms model pin"):
        TrainedClassifier.load(model_copy)
    result = subprocess.run([str(CYBERNORMS), "model", "pin", str(model_copy)], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert TrainedClassifier.load(model_copy).version.startswith("norm-classifier-")


def test_pin_refuses_a_folder_with_untrusted_types(model_copy: Path) -> None:
    _hostile(model_copy, HOSTILE["os function"])
    (model_copy / MANIFEST_FILE).unlink()
    result = subprocess.run([str(CYBERNORMS), "model", "pin", str(model_copy)], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 1 and "untrusted types" in result.stderr and "posix.system" in result.stderr
    assert not (model_copy / MANIFEST_FILE).exists()


def test_a_vocabulary_added_beside_an_old_manifest_is_refused(model_copy: Path) -> None:
    manifest = json.loads((model_copy / MANIFEST_FILE).read_text())
    del manifest["sha256"]["vocabularies.json"]
    (model_copy / MANIFEST_FILE).write_text(json.dumps(manifest))
    with pytest.raises(ModelError, match="vocabularies.json: not pinned"):
        TrainedClassifier.load(model_copy)
