"""Default places on disk shared by the flow and the command line (no Prefect import here)."""

from pathlib import Path

DEFAULT_CACHE_ROOT = Path("outputs/cache")
DEFAULT_CACHE_DIR = DEFAULT_CACHE_ROOT / "tota"
