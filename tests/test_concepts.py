"""Concept patterns (pipeline.nlp.concepts): a label's topic drafted in words the lexicon does not
hold, found as two ideas in one clause; precise on the real annotations; read by model features 9."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from pipeline.classify.annotations import load_annotations
from pipeline.classify.evaluate import signing_year
from pipeline.classify.features import CueFeatures
from pipeline.classify.lexicon import fast_cue_counts
from pipeline.nlp.commitment import commitment_units, makes_commitment
from pipeline.nlp.concepts import concept_counts
from pipeline.taxonomy import LABEL_IDS
from tests.conftest import holdout_ids

# Commitments drafted in words that no cue phrase holds (each was checked against the lexicon below).
FOUND = [
    ("en", "cross_border_data_flows",
     "A Party shall not prohibit or restrict the transfer of information across its borders by electronic means."),
    ("en", "cross_border_data_flows",
     "Each Party shall allow enterprises to transmit information within its territory and across its borders."),
    ("en", "cross_border_data_flows", "No Party shall prevent data from flowing freely across borders for business."),
    ("en", "data_localization",
     "Neither Party shall require a covered person to use or establish a data processing facility in that Party's "
     "territory as a condition for conducting business."),
    ("en", "data_localization", "No Party shall require that financial information be stored or processed within its territory."),
    ("en", "online_consumer_protection",
     "Each Party shall protect consumers who purchase goods or services online from misleading practices."),
    ("en", "digital_products_nondiscrimination",
     "No Party shall treat a digital product created in the territory of the other Party less favourably than a "
     "like domestic one."),
    ("en", "open_government_data", "Each Party shall endeavour to make public sector data available in machine-readable form."),
    ("en", "ecommerce_general", "This Chapter applies to measures affecting trade enabled by electronic means."),
    ("es", "cross_border_data_flows",
     "Ninguna Parte prohibirá la transferencia de información a través de sus fronteras por medios electrónicos."),
    ("es", "data_localization",
     "Ninguna Parte exigirá a una persona cubierta usar o ubicar instalaciones de almacenamiento de datos en su territorio."),
    ("es", "online_consumer_protection",
     "Cada Parte protegerá a los consumidores que compran bienes en línea contra prácticas engañosas."),
]

# Near misses: the same words, not the topic.
NOT_FOUND = [
    ("en", "cross_border_data_flows", "The Parties shall improve the flow of information to SMEs and promote cross-border trade."),
    ("en", "cross_border_data_flows", "Each Party shall ensure the transfer of technology to its customs authorities."),
    ("en", "data_localization", "Each importer shall keep records of the goods in its territory for five years."),
    ("en", "online_consumer_protection",
     "The Parties recognise that it is beneficial for consumers to access the Internet services of their choice."),
    ("en", "digital_products_nondiscrimination", "Each Party shall accord treatment no less favourable to like goods."),
    ("es", "cross_border_data_flows", "Las Partes facilitarán el flujo de información sobre el comercio transfronterizo de servicios."),
]


@pytest.mark.parametrize(("lang", "label", "text"), FOUND)
def test_a_commitment_in_new_words_counts_as_a_cue_of_its_label(lang: str, label: str, text: str) -> None:
    assert label not in fast_cue_counts([text], [lang])[0]  # the lexicon alone misses it
    assert concept_counts(text, lang).get(label, 0) >= 1


@pytest.mark.parametrize(("lang", "label", "text"), NOT_FOUND)
def test_the_same_words_on_another_topic_are_no_concept(lang: str, label: str, text: str) -> None:
    assert label not in concept_counts(text, lang)


def test_concept_patterns_are_precise_on_the_annotations(tota_dir: Path) -> None:
    """Up to 2012 (the years the patterns were chosen on): a label's patterns fire on provisions that
    carry it at least 90% of the time, and they find labelled provisions the lexicon misses."""
    examples, documents = load_annotations(tota_dir, holdout=holdout_ids())
    early = [e for e in examples if signing_year(documents[e.annotation.source_id]) <= 2012]
    # Definitions articles never get a label (heading_rules), whatever the patterns find.
    early = [e for e in early if not e.heading.lower().startswith(("definition", "definiciones"))]
    fired: dict[str, list[bool]] = {}
    new = dict.fromkeys(LABEL_IDS, 0)
    for e, cues in zip(early, fast_cue_counts([e.text for e in early], [e.lang for e in early])):
        for label in concept_counts(e.text, e.lang):
            fired.setdefault(label, []).append(label in e.annotation.labels)
            new[label] += label in e.annotation.labels and label not in cues
    assert fired, "no concept pattern fired on the annotations"
    for label, right in fired.items():
        assert sum(right) / len(right) >= 0.9, (label, sum(right), len(right))
    assert new["cross_border_data_flows"] >= 20 and new["online_consumer_protection"] >= 10, new


def test_cue_features_add_concepts_only_when_asked() -> None:
    text = "A Party shall not restrict the transfer of information across its borders by electronic means."
    frame = pd.DataFrame({"text": [text], "lang": ["en"]})
    column = LABEL_IDS.index("cross_border_data_flows")
    plain = CueFeatures(labels=LABEL_IDS).transform(frame).toarray()[0]
    with_concepts = CueFeatures(labels=LABEL_IDS, concepts=True).transform(frame).toarray()[0]
    assert plain[column] == 0 and with_concepts[column] == pytest.approx(np.log1p(1))
    assert not hasattr(CueFeatures.__new__(CueFeatures), "concepts")  # old pickles lack it: read as False


MODERN_LOCALISATION = (
    "1. For the purposes of this Article, \"data processing facility\" means a computer server or storage "
    "device used to process or store information for commercial use.\n"
    "2. Neither Party shall, as a condition for conducting business in its territory, require a covered person "
    "to use a data processing facility in that Party's territory.\n"
    "3. This Article shall not apply to broadcasting."
)


def test_a_definition_paragraph_does_not_hide_the_obligation_beside_it() -> None:
    # Sentences do not end at "...commercial use.\n2. Neither": read whole, the article is a definition.
    assert makes_commitment([MODERN_LOCALISATION], ["en"]) == [False]
    assert makes_commitment([MODERN_LOCALISATION], ["en"], by_paragraph=True) == [True]
    assert makes_commitment(["1. \"Data\" means any information.\n2. \"Server\" means a computer."], ["en"],
                            by_paragraph=True) == [False]


def test_an_inline_footnote_is_judged_on_its_own() -> None:
    text = ("1. Each Party shall accord treatment no less favourable to digital products of the other Party. "
            "[For the purposes of this Article, a digital product does not include a financial instrument.]\n"
            "2. This Article does not apply to broadcasting.")
    units = commitment_units(text, by_paragraph=True)
    assert any(u.startswith("[For the purposes") for u in units)
    assert makes_commitment([text], ["en"], by_paragraph=True) == [True]


def test_the_literal_gates_never_change_a_pattern_s_result(tota_dir: Path) -> None:
    """Each pattern's `needs` only skips texts the pattern cannot match (checked on every annotated text)."""
    from pipeline.nlp.concepts import concept_patterns
    from pipeline.nlp.screen import normalise_whitespace

    examples, _ = load_annotations(tota_dir, holdout=holdout_ids())
    checked = 0
    for e in examples:
        patterns = concept_patterns(e.lang or "en")
        lowered = normalise_whitespace(e.text).lower()
        present = patterns.present(lowered)
        for label_patterns in patterns.by_label.values():
            for pattern in label_patterns:
                assert pattern.count(lowered, present) == len(pattern.pattern.findall(lowered)), (e.heading, pattern)
                checked += 1
    assert checked > 100_000
