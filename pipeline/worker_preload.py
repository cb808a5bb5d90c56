"""Imported by the worker pool's forkserver before it forks any worker.

Loading the model here, once, means every worker starts with it in memory (shared
copy-on-write) instead of each reading and decoding the model file itself.
"""

from __future__ import annotations

import gc
import os

from pipeline.classify.lexicon import prepare_cue_analysis
from pipeline.classify.registry import load_classifier
from pipeline.classify.documents import analyse_documents
from pipeline.errors import CybernormsError
from pipeline.model import Agreement, Document, Provision
from pipeline.parallel import PRELOAD_ENV_VAR
from pipeline.store.rows import to_rows

# A short agreement in each lexicon language, classified once here: the first batch a worker
# analyses otherwise pays for what its libraries build on first use (scikit-learn's and
# joblib's transform set-up, spaCy's lexemes of common words, pyarrow's), about 0.2 s that is
# most of the analysis of a one-document refresh.
_SAMPLES = {
    "en": ("Electronic Commerce", "Each Party shall allow the cross-border transfer of information by electronic "
           "means, including personal information, and shall adopt a legal framework for the protection of "
           "personal information. The Parties shall endeavour to cooperate on cybersecurity. Done at Geneva "
           "on 1 January 2020."),
    "es": ("Comercio Electrónico", "Cada Parte permitirá la transferencia transfronteriza de información por "
           "medios electrónicos, y adoptará un marco jurídico para la protección de la información personal. "
           "Hecho en Lima, el 1 de enero de 2020."),
}


def _warm_up_analysis(classifier) -> None:
    documents = []
    for lang, (chapter, text) in _SAMPLES.items():
        agreement = Agreement(f"warm-up:{lang}", "text", lang, "Warm-up", language=lang)
        documents.append(Document(agreement, (Provision(f"warm-up:{lang}:0", agreement.id, 0, text, chapter=chapter,
                                                        article_title=chapter),)))
    to_rows(analyse_documents(documents, classifier))


_spec = os.environ.get(PRELOAD_ENV_VAR)
if _spec:
    try:
        _classifier = load_classifier(_spec)
    except CybernormsError:
        _classifier = None  # the worker that needs it reports the problem with the file's name
    prepare_cue_analysis()
    if _classifier is not None:
        _warm_up_analysis(_classifier)

# Everything loaded so far lives as long as the process: keep it out of the garbage
# collector's scans, in the forkserver and in every worker forked from it (faster
# collections, fewer copy-on-write page copies, and a faster exit of the forkserver).
gc.freeze()
