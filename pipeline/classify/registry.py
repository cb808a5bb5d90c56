"""Which classifier a refresh or `classify` uses: the trained model by default."""

from __future__ import annotations

import json
import logging
from functools import cache
from pathlib import Path

from pipeline.classify.base import LEXICON_VERSION, NormClassifier
from pipeline.errors import ModelError

MODEL_NAME = "norm-classifier"
CONFIG_FILE = "config.json"
MODELS_DIR = Path(__file__).resolve().parents[2] / "models"
LEXICON_SPEC = "lexicon"
DEFAULT_SPEC = "default"
log = logging.getLogger(__name__)


def latest_model_dir(models_dir: Path = MODELS_DIR, name: str = MODEL_NAME) -> Path | None:
    """The newest saved version of a model (versions sort as numbers: 1.10 after 1.9)."""
    root = models_dir / name
    if not root.is_dir():
        return None
    versions = [p for p in root.iterdir() if (p / "model.skops").exists()]
    if not versions:
        return None
    return max(versions, key=lambda p: tuple(int(x) if x.isdigit() else 0 for x in p.name.split(".")))


def resolve_model_dir(spec: str) -> Path | None:
    """The model folder a spec names (None for the lexicon baseline)."""
    if spec == LEXICON_SPEC:
        return None
    if spec == DEFAULT_SPEC:
        return latest_model_dir()
    return Path(spec)


def model_version(spec: str = DEFAULT_SPEC) -> str:
    """The version a spec resolves to, without loading the model (the refresh's main process
    only records it; the workers do the classifying)."""
    model_dir = resolve_model_dir(spec)
    if model_dir is None:
        return LEXICON_VERSION
    try:
        return json.loads((model_dir / CONFIG_FILE).read_text())["version"]
    except (OSError, ValueError, KeyError) as exc:
        raise ModelError(f"{model_dir}: no readable {CONFIG_FILE} (rebuild with `cybernorms train`)") from exc


@cache
def load_classifier(spec: str = DEFAULT_SPEC) -> NormClassifier:
    """'lexicon', 'default' (newest trained model, else the lexicon baseline) or a model folder."""
    # Imported here: the refresh's main process never classifies and need not load spaCy.
    from pipeline.classify.lexicon import LexiconClassifier

    if spec == LEXICON_SPEC:
        return LexiconClassifier()
    if spec == DEFAULT_SPEC:
        model_dir = latest_model_dir()
        if model_dir is None:
            log.warning("no trained model under %s; using the lexicon baseline (run `cybernorms train`)", MODELS_DIR)
            return LexiconClassifier()
    else:
        model_dir = Path(spec)
    if not (model_dir / "model.skops").exists():
        raise ModelError(f"{model_dir}: no model.skops here (train one with `cybernorms train`, or pass --model lexicon)")
    from pipeline.classify.trained import TrainedClassifier

    return TrainedClassifier.load(model_dir)
