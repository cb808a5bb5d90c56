"""Which classifier a refresh or `classify` uses: the trained model by default.

Where trained models are looked for, first found wins:
1. `$CYBERNORMS_MODELS` (a folder holding `norm-classifier/<version>/`); set but missing is an error;
2. the source tree's `models/` when running from a checkout (train writes there);
3. the models shipped inside the installed package (`pipeline/shipped_models`, copied there
   by setup.py when a wheel is built).
No trained model found is an error for `default`: the lexicon baseline is only used when asked
for by name (`--model lexicon`), never in silence.
"""

from __future__ import annotations

import json
import os
from functools import cache
from importlib import resources
from pathlib import Path

from pipeline.classify.base import LEXICON_VERSION, NormClassifier
from pipeline.errors import ModelError

MODEL_NAME = "norm-classifier"
CONFIG_FILE = "config.json"
_SOURCE_TREE = Path(__file__).resolve().parents[2]
MODELS_DIR = _SOURCE_TREE / "models"  # where `cybernorms train` writes in a checkout
MODELS_ENV_VAR = "CYBERNORMS_MODELS"
SHIPPED_MODELS = "shipped_models"  # inside the installed `pipeline` package
LEXICON_SPEC = "lexicon"
DEFAULT_SPEC = "default"


def models_dirs() -> list[Path]:
    """The folders searched for trained models, in order (see the module's docstring)."""
    configured = os.environ.get(MODELS_ENV_VAR, "").strip()
    if configured:
        path = Path(configured)
        if not path.is_dir():
            raise ModelError(f"{MODELS_ENV_VAR}={configured}: not a folder (point it at the folder holding "
                             f"{MODEL_NAME}/<version>/, or unset it)")
        return [path]
    found = []
    if (_SOURCE_TREE / "pyproject.toml").exists() and MODELS_DIR.is_dir():
        found.append(MODELS_DIR)
    shipped = Path(str(resources.files("pipeline").joinpath(SHIPPED_MODELS)))
    if shipped.is_dir():
        found.append(shipped)
    return found


def latest_model_dir(models_dir: Path | None = None, name: str = MODEL_NAME) -> Path | None:
    """The newest saved version of a model (versions sort as numbers: 1.10 after 1.9), in
    `models_dir` or else the first searched folder that holds one."""
    if models_dir is None:
        for candidate in models_dirs():
            found = latest_model_dir(candidate, name)
            if found is not None:
                return found
        return None
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
        return default_model_dir()
    return Path(spec)


def default_model_dir() -> Path:
    """The newest trained model, or a ModelError naming where it was looked for and the fixes."""
    model_dir = latest_model_dir()
    if model_dir is None:
        searched = ", ".join(str(p) for p in models_dirs()) or "nowhere (no models/ beside the source, none shipped)"
        raise ModelError(f"no trained {MODEL_NAME} found (searched: {searched}); set {MODELS_ENV_VAR} to a folder "
                         f"holding {MODEL_NAME}/<version>/, run `cybernorms train`, or pass --model lexicon")
    return model_dir


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
    """'lexicon', 'default' (the newest trained model; none is an error) or a model folder."""
    # Imported here: the refresh's main process never classifies and need not load spaCy.
    from pipeline.classify.lexicon import LexiconClassifier

    if spec == LEXICON_SPEC:
        return LexiconClassifier()
    model_dir = default_model_dir() if spec == DEFAULT_SPEC else Path(spec)
    if not (model_dir / "model.skops").exists():
        raise ModelError(f"{model_dir}: no model.skops here (train one with `cybernorms train`, or pass --model lexicon)")
    from pipeline.classify.trained import TrainedClassifier

    return TrainedClassifier.load(model_dir)
