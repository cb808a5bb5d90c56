"""One logistic regression per label, each blind to the other labels' cue counts.

The labels model's inputs include, per taxonomy label, how many of that label's cue phrases a
provision contains (features.CueFeatures). Fitted jointly, as scikit-learn's OneVsRestClassifier
does, each label's regression also weighs every *other* label's cue count, and it learns the
co-occurrences of the training corpus: older agreements list "spam and security in electronic
communications" in one cooperation article, so a cybersecurity cue became strong evidence for
`unsolicited_messages`, and a modern, single-topic cybersecurity article got spam, consumer and
personal-data labels for words it does not contain. Here the regression of label L sees the
word and heading n-grams and L's own cue count only: another topic's phrases can never vote
for L. The words still carry what the cues of other labels would (they are the same phrases),
but as thousands of weak, regularised features rather than one dense, decisive one.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.linear_model import LogisticRegression


class OwnCueOneVsRest(ClassifierMixin, BaseEstimator):
    """Multi-label one-vs-rest whose estimator for output j ignores the cue columns of every
    label but its own.

    `cue_columns` is the number of leading input columns that are cue counts (one per taxonomy
    label, in `features.CueFeatures` order); `own_cue[j]` is the input column of output j's own
    cue count, or -1 when it has none. Every other column (words, headings) is seen by all."""

    def __init__(self, estimator: LogisticRegression | None = None, cue_columns: int = 0,
                 own_cue: Sequence[int] = ()) -> None:
        self.estimator = estimator
        self.cue_columns = cue_columns
        self.own_cue = own_cue

    def _mask(self, j: int, width: int) -> np.ndarray:
        keep = np.ones(width, dtype=np.float32)
        keep[: self.cue_columns] = 0.0
        if self.own_cue[j] >= 0:
            keep[self.own_cue[j]] = 1.0
        return keep

    def fit(self, X, Y) -> OwnCueOneVsRest:  # noqa: N803 - scikit-learn naming
        Y = np.asarray(Y)
        if Y.ndim != 2 or Y.shape[1] != len(self.own_cue):
            raise ValueError(f"expected a label matrix with {len(self.own_cue)} columns, got shape {Y.shape}")
        X = sparse.csr_matrix(X)
        base = self.estimator if self.estimator is not None else LogisticRegression()
        estimators = []
        for j in range(Y.shape[1]):
            keep = self._mask(j, X.shape[1])
            fitted = clone(base).fit(X @ sparse.diags(keep), Y[:, j])
            # A column that is always zero gets (near-)zero weight from the L2 penalty; make it
            # exactly zero, so prediction needs no mask and masked columns can never vote.
            fitted.coef_ = fitted.coef_ * keep
            estimators.append(fitted)
        self.estimators_ = estimators
        self.n_features_in_ = X.shape[1]
        return self

    def decision_function(self, X) -> np.ndarray:  # noqa: N803
        return np.column_stack([e.decision_function(X) for e in self.estimators_])

    def predict_proba(self, X) -> np.ndarray:  # noqa: N803
        """P(label) per output column (n x labels), as OneVsRestClassifier gives for multi-label."""
        return np.column_stack([e.predict_proba(X)[:, 1] for e in self.estimators_])

    def predict(self, X) -> np.ndarray:  # noqa: N803
        return (self.predict_proba(X) >= 0.5).astype(int)
