"""Shared fixtures: the ToTA corpus in ../shared (never copied into the repository)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
# CYBERNORMS_SHARED: only for the test that checks the CI guard below.
SHARED = Path(os.environ.get("CYBERNORMS_SHARED") or REPO.parent / "shared")
TOTA_DIR = SHARED / "corpora" / "tota" / "xml"
HOLDOUT_FILE = SHARED / "corpora" / "holdout.txt"

# Keep Prefect's files and logs out of the user's home and the repository during tests.
os.environ.setdefault("CYBERNORMS_LOG_DIR", str(Path(os.environ.get("TMPDIR", "/tmp")) / "cybernorms-test-logs"))
# Prefect's ephemeral server (flows called directly) gets 20 s to start; a loaded 2-core machine can take longer.
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")

requires_tota = pytest.mark.skipif(not TOTA_DIR.is_dir(), reason="../shared/corpora/tota/xml is not beside the repo")


def missing_fixtures() -> list[str]:
    """What a full run needs that is not here: the shared corpus, the fonts the PDF tests render with."""
    from pdf_render import FONT_DIR, _fonts_available

    missing = []
    if not TOTA_DIR.is_dir():
        missing.append(f"the ToTA corpus ({TOTA_DIR}): check out shared/ beside the repository")
    if not _fonts_available():
        missing.append(f"the DejaVu fonts ({FONT_DIR}): apt-get install fonts-dejavu-core")
    return missing


def pytest_configure(config: pytest.Config) -> None:
    """Under CI a missing fixture fails the run: skipped tests must not turn a checkout
    without its data green. Locally, the tests that need them skip."""
    if os.environ.get("CI") == "true" and (missing := missing_fixtures()):
        pytest.exit("CI=true and fixtures are missing, so tests would skip instead of run: " + "; ".join(missing),
                    returncode=1)


def holdout_ids() -> set[str]:
    if not HOLDOUT_FILE.exists():
        return set()
    return {line.split("\t")[0] for line in HOLDOUT_FILE.read_text().splitlines() if line[:1].isdigit()}


@pytest.fixture(scope="session")
def tota_dir() -> Path:
    if not TOTA_DIR.is_dir():
        pytest.skip("../shared/corpora/tota/xml is not beside the repository")
    return TOTA_DIR


# A small, varied subset: an e-commerce chapter (151), an EU agreement (395), a Spanish text
# (433), an old agreement without cyber content (127) and a short one (63).
SUBSET_IDS = ("63", "127", "151", "395", "433")


@pytest.fixture()
def tota_subset(tota_dir: Path, tmp_path: Path) -> Path:
    """A temporary folder holding a few ToTA files (copied into tmp, not into the repo)."""
    folder = tmp_path / "tota"
    folder.mkdir()
    for treaty_id in SUBSET_IDS:
        shutil.copy(tota_dir / f"pta_{treaty_id}.xml", folder)
    return folder


@pytest.fixture(scope="session", autouse=True)
def _quiet_shutdown():
    """Prefect stops its temporary server at interpreter exit and logs that through handlers
    whose streams pytest has closed by then; don't print tracebacks for those records."""
    yield
    import logging

    from pipeline.parallel import shutdown_pools

    shutdown_pools()
    logging.raiseExceptions = False
