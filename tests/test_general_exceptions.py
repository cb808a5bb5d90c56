"""Model features 7: the taxonomy's privacy-safeguard rules for GATS Article XIV made to apply to a
chapter (its paragraph (c)(ii) preserves privacy law) and for personal data exchanged "only where"
the receiving Party undertakes to protect it; from features 10, GATS Article XIV(c)(ii) written out
is found with the spaces some ToTA texts lost."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.classify.annotations import load_annotations
from pipeline.classify.evaluate import signing_year
from pipeline.classify.registry import MODELS_DIR
from pipeline.classify.trained import TrainedClassifier
from pipeline.nlp.canonical import canonical_labels
from pipeline.nlp.safeguards import applies_general_exceptions, privacy_safeguards
from pipeline.classify.base import ClassifierInput
from tests.conftest import holdout_ids

INCORPORATION = ("For the purposes of Chapter 7 (Trade in Services), Article XIV of the GATS, including its "
                 "footnotes, is incorporated into and made part of this Agreement, mutatis mutandis.")


@pytest.mark.parametrize("sentence", [
    INCORPORATION,
    "For the purposes of Chapters 6 and 8, Articles XIV and XIV bis of the GATS are incorporated into and form "
    "part of this Agreement, mutatis mutandis.",
    "GATS Article XIV (including its footnotes) shall apply to this Chapter.",
    "Para los efectos de los Capítulos 10 y 11, el Artículo XIV del AGCS se incorpora a este Tratado y forma "
    "parte integrante del mismo, mutatis mutandis.",
    "Article XIV of the General Agreement on Trade in Services applies to this Section.",
])
def test_gats_article_xiv_made_to_apply_is_a_privacy_safeguard(sentence: str) -> None:
    assert applies_general_exceptions(sentence)
    assert privacy_safeguards([sentence], ["en"], general_exceptions=True) == [True]
    assert canonical_labels([sentence], ["en"]) == [frozenset({"privacy_safeguard"})]


@pytest.mark.parametrize("sentence", [
    # Only other paragraphs of Article XIV: taxes (d) and (e), public morals (a).
    "The exception in subparagraph (d) of Article XIV of the GATS is hereby incorporated into and made part of "
    "this Chapter, mutatis mutandis.",
    "Nothing shall apply to taxation measures, except as permitted by Article XIV(d) of the GATS.",
    "Article 106 applies, subject to the exceptions provided for in Article XIV letters (d) and (e) of the GATS, "
    "which are hereby incorporated.",
    "Article XIV bis of the GATS is incorporated into and made part of this Agreement.",  # security exceptions
    "Article XIVbis of the GATS is incorporated into and made part of this Agreement.",
    "Article XIV of the GATT 1994 applies to this Chapter.",  # another agreement's Article XIV
    "The Parties shall exchange letters on Article XIV.3 of the GATS.",  # no incorporation, a sub-article
    "The Parties recall Article XIV of the GATS.",  # names it, makes nothing apply
])
def test_other_mentions_of_article_xiv_are_not(sentence: str) -> None:
    assert not applies_general_exceptions(sentence)


def test_the_rule_is_off_for_models_trained_before_it() -> None:
    assert privacy_safeguards([INCORPORATION], ["en"]) == [False]
    assert canonical_labels([INCORPORATION], ["en"], general_exceptions=False) == [frozenset()]


def test_personal_data_exchanged_only_under_equivalent_protection() -> None:
    text = ("1. Any information exchanged under this Protocol shall be treated as confidential. 2. Personal data "
            "may be exchanged only where the Party receiving the data undertakes to protect such data in at least "
            "an equivalent way to the one applicable in the Party that may supply them.")
    assert canonical_labels([text], ["en"]) == [frozenset({"personal_data_protection", "privacy_safeguard"})]
    # Exchanged on another condition: no data-protection undertaking, no label.
    other = "2. Information may be exchanged only where the requesting authority states its purpose."
    assert canonical_labels([other], ["en"]) == [frozenset()]


def test_the_default_model_labels_a_general_exceptions_article() -> None:
    """End to end, through the shipped model: whatever its score, the rule gives the label; the
    model trained before the rule (1.6.0, features 6) is given its own features."""
    article = ClassifierInput("exceptions", INCORPORATION, "en", heading="General Exceptions | Final Provisions")
    model = TrainedClassifier.load(MODELS_DIR / "norm-classifier" / "1.7.0")
    assert model.features >= 7
    assert "privacy_safeguard" in model.predict([article])[0].labels
    assert TrainedClassifier.load(MODELS_DIR / "norm-classifier" / "1.6.0").features == 6


# GATS Article XIV written out as some ToTA texts hold it: the space at each printed line break is lost.
JOINED = ("nothing in this Chapter shall beconstrued to prevent the adoption or enforcement by eitherParty of measures: "
          "(c) necessary to secure compliance with laws orregulations which are not inconsistent with theprovisions of "
          "this Chapter including thoserelating to: (i) the prevention of deceptive and fraudulentpractices or to deal "
          "with the effects of adefault on services contracts; (ii) the protection of the privacy of individualsin relation to "
          "the processing anddissemination of personal data and theprotection of confidentiality of individualrecords "
          "and accounts")


def test_general_exceptions_written_out_with_lost_spaces_from_features_10() -> None:
    assert privacy_safeguards([JOINED], ["en"]) == [False]  # the tokens no longer match
    assert privacy_safeguards([JOINED], ["en"], joined_words=True) == [True]
    assert canonical_labels([JOINED], ["en"], joined_words=False) == [frozenset()]
    assert canonical_labels([JOINED], ["en"]) == [frozenset({"privacy_safeguard"})]
    variant = "(ii) the protection of the privacy of theindividual in relation to the processing anddissemination of personal data"
    assert privacy_safeguards([variant], ["en"], joined_words=True) == [True]
    # Words that merely touch are no safeguard: the squeezed wording must be there whole.
    near = "the privacy of individuals is a matter for each Party; the processing of goods and dissemination of data"
    assert privacy_safeguards([near], ["en"], joined_words=True) == [False]


def test_wording_with_lost_spaces_is_precise_on_the_annotations(tota_dir: Path) -> None:
    """Up to 2012 (where it was found): every provision the joined-words reading adds carries the label,
    and it adds more than ten that the token matcher missed (general exceptions and prudential carve-outs
    whose text lost its spaces)."""
    examples, documents = load_annotations(tota_dir, holdout=holdout_ids())
    early = [e for e in examples if signing_year(documents[e.annotation.source_id]) <= 2012]
    texts, langs = [e.text for e in early], [e.lang for e in early]
    before = privacy_safeguards(texts, langs, general_exceptions=True)
    after = privacy_safeguards(texts, langs, general_exceptions=True, joined_words=True)
    assert all(a or not b for a, b in zip(after, before))  # it only adds
    added = [e for e, a, b in zip(early, after, before) if a and not b]
    assert len(added) > 10 and all("privacy_safeguard" in e.annotation.labels for e in added), len(added)
