"""The fast TF-IDF transform (pipeline/classify/fast_tfidf.py) must give exactly scikit-learn's
matrices: same shape, type, index and value arrays, on the corpus and on awkward text."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from conftest import requires_tota
from pipeline.classify import fast_tfidf
from pipeline.classify.base import provision_heading
from pipeline.classify.registry import default_model_dir
from pipeline.classify.trained import TrainedClassifier
from pipeline.classify.vocabularies import vectorizers
from pipeline.nlp.screen import could_be_cyber
from pipeline.sources.tota import list_tota_files, read_tota_file


def assert_same_matrix(fast: sparse.spmatrix, slow: sparse.spmatrix) -> None:
    assert type(fast) is type(slow)
    assert fast.shape == slow.shape and fast.dtype == slow.dtype
    assert fast.has_sorted_indices and slow.has_sorted_indices
    for name in ("indptr", "indices", "data"):
        assert getattr(fast, name).dtype == getattr(slow, name).dtype, name
        assert np.array_equal(getattr(fast, name), getattr(slow, name)), name


def sklearn_transform(vectorizer: TfidfVectorizer, documents) -> sparse.spmatrix:
    return TfidfVectorizer.transform(vectorizer, documents)  # the class's method, past the instance's


@requires_tota
def test_the_shipped_models_vectorizers_give_sklearns_matrices_on_the_corpus(tota_dir: Path) -> None:
    texts, headings = [], []
    for path in list_tota_files(tota_dir)[::3]:
        document = read_tota_file(path)
        for provision in document.provisions:
            heading = provision_heading(provision.article_title, provision.chapter)
            if could_be_cyber(f"{provision.text} {heading}"):
                texts.append(provision.text)
                headings.append(heading)
    assert len(texts) > 1000
    classifier = TrainedClassifier.load(default_model_dir())
    installed = list(vectorizers(classifier.pipelines()))
    assert installed and all(isinstance(v.__dict__.get("transform"), fast_tfidf.FastTransform) for _, v in installed)
    for key, vectorizer in installed:
        documents = headings if key.endswith("/heading") else texts
        assert_same_matrix(vectorizer.transform(documents), sklearn_transform(vectorizer, documents))


AWKWARD = [
    "", "a", "Data", "cross border data flows", "data flows. Cross-border DATA flows; data_flows 2019 flows",
    "İstanbul ß Información PERSONAL información personal", "flows\n\ncross\tborder\u00a0data",
    "border", "cross", "the the the the the", "données personnelles — protection des données",
]


@pytest.mark.parametrize("options", [
    {"ngram_range": (1, 3)}, {"ngram_range": (2, 3)}, {"ngram_range": (1, 1), "binary": True},
    {"ngram_range": (1, 2), "sublinear_tf": True, "dtype": np.float32, "norm": None},
    {"ngram_range": (1, 2), "use_idf": False, "max_features": 7},
])
def test_awkward_text_gives_sklearns_matrices(options: dict) -> None:
    vectorizer = TfidfVectorizer(**options).fit(AWKWARD + ["cross border data", "personal data protection"])
    fast = fast_tfidf.FastTransform(vectorizer)
    # One document's last words and the next one's first must not make an n-gram.
    for documents in (AWKWARD, AWKWARD[::-1], ["cross", "border data"], [""], pd.Series(AWKWARD)):
        assert_same_matrix(fast(documents), sklearn_transform(vectorizer, documents))
    for transform in (fast, lambda documents: sklearn_transform(vectorizer, documents)):
        with pytest.raises(ValueError, match="0 sample"):  # scikit-learn refuses no documents; so does this
            transform([])


def test_what_it_cannot_reproduce_stays_with_sklearn() -> None:
    corpus = ["cross border data flows", "personal data protection", "data"]
    assert fast_tfidf.reproducible(TfidfVectorizer().fit(corpus))
    for odd in (TfidfVectorizer(stop_words="english"), TfidfVectorizer(token_pattern=r"\S+"),
                TfidfVectorizer(lowercase=False), TfidfVectorizer(strip_accents="unicode"),
                TfidfVectorizer(analyzer="char_wb"), TfidfVectorizer(tokenizer=str.split, token_pattern=None)):
        assert not fast_tfidf.reproducible(odd.fit(corpus))
    fast = fast_tfidf.FastTransform(TfidfVectorizer().fit(corpus))
    with pytest.raises(ValueError, match="Iterable over raw text documents expected"):
        fast("one string, not a list of them")
    with pytest.raises(ValueError, match="np.nan is an invalid document"):
        fast(["data", np.nan])


def test_a_loaded_model_saves_without_its_fast_transforms(tmp_path: Path) -> None:
    classifier = TrainedClassifier.load(default_model_dir())
    classifier.save(tmp_path / "again")
    assert all("transform" in v.__dict__ for _, v in vectorizers(classifier.pipelines()))  # put back after saving
    again = TrainedClassifier.load(tmp_path / "again")
    text = ["Neither Party shall prohibit the cross-border transfer of information by electronic means."]
    for (key, before), (_, after) in zip(vectorizers(classifier.pipelines()), vectorizers(again.pipelines())):
        assert before.vocabulary_ == after.vocabulary_, key
        assert_same_matrix(after.transform(text), sklearn_transform(before, text))


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab1_ é-ü.\n\t'Σς0") + ["\u2009", "\u00a0", "\u0301"]), max_size=40))
def test_the_faster_token_pattern_finds_the_default_patterns_tokens(text: str) -> None:
    assert fast_tfidf._TOKEN.findall(text) == re.findall(fast_tfidf.DEFAULT_TOKEN_PATTERN, text)
