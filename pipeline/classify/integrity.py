"""What the model loader trusts: a fixed set of types, and files pinned by SHA-256.

skops builds whatever types an archive names, with arguments taken from the archive, and
trusts every scikit-learn estimator by default (FunctionTransformer included, whose `func`
can be any function). So trust is decided here, in code, never by a file of the model folder:

- `TRUSTED_TYPES` is every type the project's estimators are made of (pipeline.classify.train);
  an archive naming any other type — at any depth, default-trusted by skops or not — is refused
  before skops builds anything. A test trains a model with the real training code and checks
  its types against this set, so the set cannot drift from the estimators.
- `manifest.json` pins model.skops, vocabularies.json and config.json by SHA-256. `save`
  writes it; the loader refuses a folder without one (an unknown model) or whose files differ
  from it (a tampered or half-copied model). The manifest sits in the folder it describes: it
  catches corruption and edits, not an author who rewrites it too — the type set stops those.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

from pipeline.errors import ModelError

MANIFEST_FILE = "manifest.json"
PINNED_FILES = ("model.skops", "vocabularies.json", "config.json")
RETRAIN = "retrain it with `cybernorms train`, or pin a folder you trust with `cybernorms model pin DIR`"

# Every `module.name` a saved model's archive holds (skops' schema.json), and nothing more.
TRUSTED_TYPES = frozenset({
    # containers, as skops writes them (JSON scalars are recorded as builtins.str)
    "builtins.dict", "builtins.list", "builtins.tuple", "builtins.slice", "builtins.str",
    # arrays, and the float32 dtype the TF-IDF vectorizers are given
    "numpy.ndarray", "numpy.float32",
    # the estimators of build_labels_pipeline, build_bindingness_pipeline, build_paragraph_pipeline
    "sklearn.pipeline.Pipeline",
    "sklearn.compose._column_transformer.ColumnTransformer",
    "sklearn.feature_extraction.text.TfidfVectorizer",
    "sklearn.feature_extraction.text.TfidfTransformer",
    "sklearn.multiclass.OneVsRestClassifier",
    "sklearn.linear_model._logistic.LogisticRegression",
    "sklearn.preprocessing._label.LabelBinarizer",
    # this package's feature transformers
    "pipeline.classify.features.CueFeatures",
    "pipeline.classify.features.BindingnessRuleFeatures",
    "pipeline.classify.features.ModalityFeatures",
    "pipeline.classify.labelwise.OwnCueOneVsRest",
})


def archive_types(model_path: Path) -> set[str]:
    """Every type a skops archive names, at any depth (read from its schema, nothing built)."""
    try:
        with zipfile.ZipFile(model_path) as archive:
            schema = json.loads(archive.read("schema.json"))
    except (OSError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise ModelError(f"{model_path}: not a readable skops file ({exc}); {RETRAIN}") from exc
    found: set[str] = set()
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if "__module__" in node and "__class__" in node:
                found.add(f"{node['__module__']}.{node['__class__']}")
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found


def check_types(model_path: Path) -> None:
    refused = sorted(archive_types(model_path) - TRUSTED_TYPES)
    if refused:
        raise ModelError(f"{model_path}: refuses to load untrusted types {refused}: the project's estimators "
                         f"never hold them; {RETRAIN}")


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def pin(directory: Path) -> Path:
    """Write `directory`'s manifest: the SHA-256 of each of its model files."""
    directory = Path(directory)
    missing = [name for name in PINNED_FILES if name != "vocabularies.json" and not (directory / name).exists()]
    if missing:
        raise ModelError(f"{directory}: no {', '.join(missing)} here, nothing to pin "
                         "(point at a folder written by `cybernorms train`)")
    check_types(directory / "model.skops")  # pinning vouches for the folder: refuse what load would
    files = {name: file_digest(directory / name) for name in PINNED_FILES if (directory / name).exists()}
    path = directory / MANIFEST_FILE
    path.write_text(json.dumps({"sha256": files}, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return path


def verify(directory: Path) -> None:
    """Refuse a model folder that has no manifest or whose files differ from it."""
    path = directory / MANIFEST_FILE
    try:
        pinned = json.loads(path.read_text(encoding="utf-8"))["sha256"]
    except FileNotFoundError:
        raise ModelError(f"{directory}: unknown model, no {MANIFEST_FILE} pins its files; {RETRAIN}") from None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ModelError(f"{path}: not a readable manifest ({exc}); {RETRAIN}") from exc
    if not isinstance(pinned, dict) or "model.skops" not in pinned:
        raise ModelError(f"{path}: pins no model.skops; {RETRAIN}")
    for name in PINNED_FILES:
        target = directory / name
        if name not in pinned:
            if target.exists():
                raise ModelError(f"{target}: not pinned by {MANIFEST_FILE}; {RETRAIN}")
            continue
        if not target.exists():
            raise ModelError(f"{target}: missing, but pinned by {MANIFEST_FILE}; {RETRAIN}")
        if file_digest(target) != pinned[name]:
            raise ModelError(f"{target}: SHA-256 differs from {MANIFEST_FILE} (the file was changed or damaged "
                             f"after the model was saved); {RETRAIN}")
