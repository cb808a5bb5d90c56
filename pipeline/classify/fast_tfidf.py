"""A faster `TfidfVectorizer.transform` for fitted word n-gram vectorizers, same output.

scikit-learn counts a document's n-grams in a Python loop: it joins every n-gram into a string
and looks each one up in the vocabulary. Over the ~6,700 texts the label model reads in a
refresh of ToTA that was a quarter of classification time. Here each token is looked up once
(a token id; 0 for a token no vocabulary term contains), an n-gram is the integer its ids spell
in base (tokens + 1), and all n-grams of all documents are matched against the vocabulary's
sorted integers in one numpy search. The counts then go through the vectorizer's own fitted
TfidfTransformer, so idf, sublinear tf and normalisation stay scikit-learn's.

`install` sets the fast transform on the loaded models' vectorizers it can reproduce exactly
(the default word analyzer; anything else keeps scikit-learn's), `removed` takes it off for
saving; tests/test_fast_tfidf.py checks the two give identical matrices on the corpus.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from itertools import chain, repeat
from operator import methodcaller
from typing import TYPE_CHECKING

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from pipeline.classify.vocabularies import vectorizers

if TYPE_CHECKING:
    from sklearn.pipeline import Pipeline

DEFAULT_TOKEN_PATTERN = r"(?u)\b\w\w+\b"
# The tokens of DEFAULT_TOKEN_PATTERN, found faster: findall of r"\w\w+" starts each match at
# the start of a run of word characters and, greedy, ends it at the run's end, where both of the
# default pattern's \b hold; a run of one character is skipped by both (tests/test_fast_tfidf.py).
_TOKEN = re.compile(r"\w\w+")
_INT64_LIMIT = np.iinfo(np.int64).max  # an n-gram's code must fit: base ** n <= this


def reproducible(vectorizer: TfidfVectorizer) -> bool:
    """True when `FastTransform` gives exactly what scikit-learn's transform gives: text in, the
    default word tokenizer, lower-casing, no accent stripping, stop words or custom callables."""
    return (type(vectorizer) is TfidfVectorizer and vectorizer.analyzer == "word"
            and vectorizer.input == "content" and vectorizer.lowercase and vectorizer.tokenizer is None
            and vectorizer.preprocessor is None and vectorizer.stop_words is None
            and vectorizer.strip_accents is None and vectorizer.token_pattern == DEFAULT_TOKEN_PATTERN
            and vectorizer.ngram_range[0] >= 1 and hasattr(vectorizer, "vocabulary_"))


class _NgramIndex:
    """The vocabulary as integers: token ids, and per n-gram length the sorted codes of its terms
    with their columns."""

    def __init__(self, vocabulary: Mapping[str, int]) -> None:
        # Flat arrays, not a list per term: tens of thousands of small lists wake the garbage
        # collector, which then walks the whole loaded model.
        tokens = " ".join(vocabulary).split(" ")
        self.token_ids = {token: i for i, token in enumerate(dict.fromkeys(tokens), start=1)}  # 0: in no term
        self.base = len(self.token_ids) + 1
        ids = np.fromiter(map(self.token_ids.__getitem__, tokens), dtype=np.int64, count=len(tokens))
        lengths = np.fromiter(map(methodcaller("count", " "), vocabulary), dtype=np.int64, count=len(vocabulary)) + 1
        starts = np.cumsum(lengths) - lengths
        columns = np.fromiter(vocabulary.values(), dtype=np.int64, count=len(vocabulary))
        self.tables: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        for length in np.unique(lengths).tolist():
            if self.base ** length > _INT64_LIMIT:
                raise OverflowError(f"{length}-grams over {self.base - 1:,} tokens do not fit in int64")
            chosen = np.flatnonzero(lengths == length)
            codes = np.zeros(len(chosen), dtype=np.int64)
            for k in range(length):
                codes = codes * self.base + ids[starts[chosen] + k]
            order = np.argsort(codes)
            self.tables[length] = (codes[order], columns[chosen[order]])


class FastTransform:
    """`vectorizer.transform`, counting n-grams with numpy (see the module docstring). Built lazily:
    a process that never classifies never pays for the index."""

    def __init__(self, vectorizer: TfidfVectorizer) -> None:
        self.vectorizer = vectorizer
        self._index: _NgramIndex | None = None
        self._overflows = False  # n-grams too long for int64 codes over this many tokens

    def __call__(self, raw_documents: Sequence[str]) -> sparse.csr_matrix:
        if isinstance(raw_documents, str):  # scikit-learn's own error
            return TfidfVectorizer.transform(self.vectorizer, raw_documents)
        documents = list(raw_documents)
        if self._overflows or not all(isinstance(d, str) for d in documents):
            # scikit-learn's own errors (NaN) or decoding (bytes) for what this path does not read
            return TfidfVectorizer.transform(self.vectorizer, documents)
        if self._index is None:
            try:
                self._index = _NgramIndex(self.vectorizer.vocabulary_)
            except OverflowError:
                self._overflows = True
                return TfidfVectorizer.transform(self.vectorizer, documents)
        counts = self.counts(documents)
        if self.vectorizer.binary:
            counts.data.fill(1)
        return self.vectorizer._tfidf.transform(counts, copy=False)

    def counts(self, documents: list[str]) -> sparse.csr_matrix:
        index = self._index
        assert index is not None
        tokens = [_TOKEN.findall(document.lower()) for document in documents]
        lengths = np.fromiter(map(len, tokens), dtype=np.int64, count=len(tokens))
        total = int(lengths.sum())
        ids = np.fromiter(map(index.token_ids.get, chain.from_iterable(tokens), repeat(0)),
                          dtype=np.int64, count=total)
        owner = np.repeat(np.arange(len(documents), dtype=np.int64), lengths)
        rows, columns = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)]
        low, high = self.vectorizer.ngram_range
        for length in range(low, high + 1):
            if length not in index.tables or total < length:
                continue
            starts = total - length + 1  # n-grams starting at each position, before document ends
            code = np.zeros(starts, dtype=np.int64)
            known = owner[:starts] == owner[length - 1:]  # all its tokens in one document
            for k in range(length):
                part = ids[k:k + starts]
                code = code * index.base + part
                known &= part > 0
            code, position = code[known], np.flatnonzero(known)
            table_codes, table_columns = index.tables[length]
            found = np.minimum(np.searchsorted(table_codes, code), len(table_codes) - 1)
            hit = table_codes[found] == code
            rows.append(owner[position[hit]])
            columns.append(table_columns[found[hit]])
        row, column = np.concatenate(rows), np.concatenate(columns)
        matrix = sparse.csr_matrix((np.ones(len(row), dtype=self.vectorizer.dtype), (row, column)),
                                   shape=(len(documents), len(self.vectorizer.vocabulary_)))
        matrix.sum_duplicates()  # counts, as scikit-learn's
        matrix.sort_indices()
        return matrix


def install(models: Mapping[str, Pipeline]) -> None:
    """Give every vectorizer of `models` that it can reproduce the fast transform."""
    for _key, vectorizer in vectorizers(models):
        if reproducible(vectorizer):
            vectorizer.transform = FastTransform(vectorizer)


@contextmanager
def removed(models: Mapping[str, Pipeline]) -> Iterator[None]:
    """Inside the block the vectorizers have scikit-learn's transform only (an archive written
    there stores no FastTransform); after it, as before."""
    taken = {key: vectorizer.__dict__.pop("transform") for key, vectorizer in vectorizers(models)
             if "transform" in vectorizer.__dict__}
    try:
        yield
    finally:
        for key, vectorizer in vectorizers(models):
            if key in taken:
                vectorizer.transform = taken[key]
