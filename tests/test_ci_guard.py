"""Under CI=true, a checkout without ../shared or without the DejaVu fonts fails instead of
going green on skipped tests."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _pytest(tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_screen.py"],
                          cwd=REPO, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "CI": "true", **env})


@pytest.mark.parametrize("variable, named", [("CYBERNORMS_SHARED", "the ToTA corpus"),
                                             ("CYBERNORMS_FONT_DIR", "the DejaVu fonts")])
def test_ci_fails_when_a_fixture_is_missing(tmp_path: Path, variable: str, named: str) -> None:
    result = _pytest(tmp_path, **{variable: str(tmp_path / "nowhere")})
    assert result.returncode == 1
    assert "fixtures are missing" in result.stdout + result.stderr and named in result.stdout + result.stderr


def test_ci_runs_when_everything_is_here(tmp_path: Path) -> None:
    assert _pytest(tmp_path).returncode == 0
