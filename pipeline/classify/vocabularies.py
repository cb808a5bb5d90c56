"""The model's TF-IDF vocabularies, stored beside the skops archive as JSON.

skops stores a dict as one audited node per entry: with the ~90,000 vocabulary terms inside,
decoding them was most of the model's load time, while the same terms as JSON lists load in a
small fraction of it. The worker pool loads the model at the start of every refresh, on its
critical path, so the terms live in `vocabularies.json`: for each vectorizer
("<model>/<transformer>"), its terms in column order. Models saved before this file existed
keep their vocabularies in the archive and load as they are.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sklearn.feature_extraction.text import TfidfVectorizer

from pipeline.errors import ModelError

if TYPE_CHECKING:
    from sklearn.pipeline import Pipeline

VOCABULARIES_FILE = "vocabularies.json"


def vectorizers(models: Mapping[str, Pipeline]) -> Iterator[tuple[str, TfidfVectorizer]]:
    """Each TF-IDF vectorizer of the models' feature steps, keyed "<model>/<transformer>"."""
    for model_name, pipeline in models.items():
        for name, transformer, _columns in pipeline.named_steps["features"].transformers_:
            if isinstance(transformer, TfidfVectorizer):
                yield f"{model_name}/{name}", transformer


@contextmanager
def vocabularies_taken_out(models: Mapping[str, Pipeline]) -> Iterator[dict[str, list[str]]]:
    """Each vectorizer's terms in column order; inside the block the vectorizers hold no
    vocabulary (so that an archive written there stores none), after it they are as before."""
    taken = {key: (vectorizer, vectorizer.vocabulary_) for key, vectorizer in vectorizers(models)}
    try:
        for vectorizer, _vocabulary in taken.values():
            vectorizer.vocabulary_ = {}
        yield {key: sorted(vocabulary, key=vocabulary.__getitem__) for key, (_v, vocabulary) in taken.items()}
    finally:
        for vectorizer, vocabulary in taken.values():
            vectorizer.vocabulary_ = vocabulary


def put_back(models: Mapping[str, Pipeline], vocabularies: Mapping[str, list[str]] | None, source: Path) -> None:
    """Give each vectorizer its terms again (None: the archive kept them); a clear error if
    they are missing or do not fit the model."""
    found = dict(vectorizers(models))
    if vocabularies is None:
        if not all(len(v.vocabulary_) == len(v.idf_) for v in found.values()):
            raise ModelError(f"{source}: missing, and the model archive holds no vocabularies either")
        return
    if set(found) != set(vocabularies):
        raise ModelError(f"{source}: holds vocabularies for {sorted(vocabularies)}, "
                         f"the model has vectorizers {sorted(found)}")
    for key, vectorizer in found.items():
        terms = vocabularies[key]
        if len(terms) != len(vectorizer.idf_) or len(set(terms)) != len(terms):
            raise ModelError(f"{source}: the {key} vocabulary has {len(terms)} terms "
                             f"({len(set(terms))} distinct), the model {len(vectorizer.idf_)} columns")
        vectorizer.vocabulary_ = {term: index for index, term in enumerate(terms)}
