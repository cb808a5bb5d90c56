from __future__ import annotations

import pytest

from pipeline.classify.base import ClassifierInput
from pipeline.classify.lexicon import LexiconClassifier
from pipeline.nlp import build_nlp
from pipeline.nlp.bindingness import provision_bindingness


def test_cue_matcher_labels_english_provision() -> None:
    doc = build_nlp("en")("No Party shall require a covered person to use or locate computing facilities in that "
                          "Party's territory as a condition for conducting business.")
    assert "data_localization" in doc._.cue_labels


def test_cue_matcher_labels_spanish_like_english() -> None:
    english = build_nlp("en")("Each Party shall adopt measures against unsolicited commercial electronic messages.")
    spanish = build_nlp("es")("Cada Parte adoptará medidas contra los mensajes comerciales electrónicos no solicitados.")
    assert "unsolicited_messages" in english._.cue_labels
    assert "unsolicited_messages" in spanish._.cue_labels


def test_instruments_are_canonical_and_not_double_counted() -> None:
    doc = build_nlp("en")("taking into account the UNCITRAL Model Law on Electronic Commerce 1996 and the "
                          "APEC Privacy Framework")
    assert doc._.instruments == ("APEC Privacy Framework", "UNCITRAL Model Law on Electronic Commerce")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Each Party shall maintain its practice of not imposing customs duties on electronic transmissions.", "hard"),
        ("The Parties shall endeavour to accept electronic documents as the legal equivalent of paper.", "soft"),
        ("The Parties recognise the importance of consumer protection. 2. Each Party shall adopt or maintain "
         "consumer protection laws.", "mixed"),
        ("The Parties shall cooperate on electronic commerce.", "soft"),
        ("Cada Parte procurará aceptar documentos electrónicos.", "soft"),
    ],
)
def test_bindingness_rules(text: str, expected: str) -> None:
    lang = "es" if "Cada" in text else "en"
    assert provision_bindingness(text, lang) == expected


def test_lexicon_classifier_keeps_order_and_matches_across_line_breaks() -> None:
    items = [
        ClassifierInput("a", "Tariff elimination on goods.", "en"),
        ClassifierInput("b", "Each Party shall adopt or maintain measures to protect the personal\n   information "
                        "of the users of electronic commerce.", "en"),
        ClassifierInput("c", "Las Partes procurarán utilizar la firma electrónica.", "es"),
    ]
    predictions = LexiconClassifier().predict(items)
    assert [p.provision_id for p in predictions] == ["a", "b", "c"]
    assert predictions[0].labels == () and predictions[0].bindingness is None
    assert "personal_data_protection" in predictions[1].labels and predictions[1].bindingness == "hard"
    assert "electronic_transactions" in predictions[2].labels
