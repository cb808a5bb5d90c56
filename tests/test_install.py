"""A non-editable `pip install .` classifies with the trained model, found as package data."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from pipeline.classify.registry import latest_model_dir, model_version

REPO = Path(__file__).resolve().parents[1]
TEXT = ("Each Party shall maintain its practice of not imposing customs duties on electronic transmissions "
        "between the Parties.")


def _run(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(args, capture_output=True, text=True, timeout=600, **kwargs)
    assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the project installed from a copy of its files (not editable, offline:
    no dependencies fetched; they come from the project's .venv, added after the venv's own)."""
    root = tmp_path_factory.mktemp("install")
    source = root / "source"
    tracked = _run(["git", "ls-files", "-z"], cwd=REPO).stdout.split("\0")
    for name in filter(None, tracked):
        if (REPO / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, source / name)
    venv = root / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    site = Path(_run([str(venv / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"])
                .stdout.strip())
    # A path entry, not a site dir: the .venv's editable-install hook is not run, so `pipeline`
    # can only come from the copy installed below.
    (site / "project-deps.pth").write_text(sysconfig.get_path("purelib") + "\n")
    _run([sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install", "--quiet", "--no-deps",
          "--no-build-isolation", "--no-index", str(source)])
    return venv


def _classify(venv: Path, tmp_path: Path, *extra: str, env: dict | None = None) -> subprocess.CompletedProcess:
    data = tmp_path / "in.jsonl"
    data.write_text(json.dumps({"id": "duties", "text": TEXT, "lang": "en"}) + "\n")
    environment = {k: v for k, v in os.environ.items() if k != "CYBERNORMS_MODELS"}
    return subprocess.run([str(venv / "bin" / "cybernorms"), "classify", str(data), *extra], capture_output=True,
                          text=True, timeout=300, cwd=tmp_path, env={**environment, **(env or {})})


def test_the_installed_package_is_not_the_source_tree(installed: Path) -> None:
    where = _run([str(installed / "bin" / "python"), "-c", "import pipeline; print(pipeline.__file__)"],
                 cwd=installed).stdout  # not the repository: `python -c` puts the working folder first
    assert str(installed) in where and str(REPO) not in where


def test_an_installed_copy_classifies_with_the_trained_model(installed: Path, tmp_path: Path) -> None:
    result = _classify(installed, tmp_path)
    assert result.returncode == 0, result.stderr
    line = json.loads(result.stdout)
    assert line["model_version"] == model_version("default") != "lexicon-1"
    assert line["model_version"] == json.loads((latest_model_dir() / "config.json").read_text())["version"]
    assert "customs_duties_electronic_transmissions" in line["labels"]


def test_no_model_found_is_an_error_not_the_lexicon(installed: Path, tmp_path: Path) -> None:
    empty = tmp_path / "no-models"
    empty.mkdir()
    result = _classify(installed, tmp_path, env={"CYBERNORMS_MODELS": str(empty)})
    assert result.returncode == 1
    assert "no trained norm-classifier found" in result.stderr and "--model lexicon" in result.stderr
    lexicon = _classify(installed, tmp_path, "--model", "lexicon", env={"CYBERNORMS_MODELS": str(empty)})
    assert lexicon.returncode == 0, lexicon.stderr
    assert json.loads(lexicon.stdout)["model_version"].startswith("lexicon")


def test_a_models_folder_that_does_not_exist_is_named(installed: Path, tmp_path: Path) -> None:
    result = _classify(installed, tmp_path, env={"CYBERNORMS_MODELS": str(tmp_path / "missing")})
    assert result.returncode == 1
    assert "CYBERNORMS_MODELS=" in result.stderr and "not a folder" in result.stderr
