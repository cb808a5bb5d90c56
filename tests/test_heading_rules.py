"""Model features 5: labels an article's heading rules out (definitions articles, government
procurement; the prediction side is in test_classifier.py), and the canonical and modality wording added with them."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.classify.heading_rules import (PASSING_MENTION_MIN_SCORE, allowed_labels, allowed_matrix,
                                             cue_rule_matrix, is_definitions_article, passing_mention_matrix,
                                             title_topic)
from pipeline.nlp.canonical import canonical_labels
from pipeline.nlp.modality import modality_cues, rule_class
from pipeline.taxonomy import LABEL_IDS

@pytest.mark.parametrize("heading", [
    "Definitions | Electronic Commerce", "Definiciones | Comercio Electrónico", "General Definitions",
    "Definitions Of General Application", "Definition", "Définitions | Commerce électronique",
    "Definitions For Purposes Of This Chapter: | Digital Trade",
])
def test_an_article_that_only_defines_gets_no_label(heading: str) -> None:
    assert is_definitions_article(heading)
    assert allowed_labels(heading) == frozenset()


@pytest.mark.parametrize("heading", [
    "Scope And Definitions | Electronic Commerce",  # it also says what the chapter applies to
    "Definiciones Y Términos", "Definitive Signature, Ratification, Acceptance Or Approval",
    "Laudo Definitivo | Solución De Controversias", "Personal Information Protection | Electronic Commerce",
    "Electronic Commerce | Definitions",  # a chapter called Definitions does not make its articles definitions
])
def test_other_headings_are_not_definitions(heading: str) -> None:
    assert not is_definitions_article(heading)


@pytest.mark.parametrize("heading", [
    "Use Of Electronic Means | Government Procurement", "Uso De Medios Electrónicos | Contratación Pública",
    "Publication Of Procurement Information | Government Procurement", "Compras Del Sector Público",
])
def test_procurement_articles_keep_only_privacy_safeguards(heading: str) -> None:
    assert allowed_labels(heading) == frozenset({"privacy_safeguard"})


def test_no_heading_rules_nothing_out() -> None:
    assert allowed_labels("") == frozenset(LABEL_IDS)
    assert allowed_labels("Cross-Border Transfer Of Information | Electronic Commerce") == frozenset(LABEL_IDS)
    matrix = allowed_matrix(["", "Definitions | Electronic Commerce", "Electronic Procurement | Government Procurement"])
    assert matrix[0].all() and not matrix[1].any()
    assert matrix[2].tolist() == [label == "privacy_safeguard" for label in LABEL_IDS]


@pytest.mark.parametrize(("text", "lang"), [
    ("A Party shall not apply a customs duty, fee or charge on a digital product delivered electronically.", "en"),
    ("Neither Party may apply customs duties or other duties, fees, or charges on or in connection with the "
     "importation or exportation of digital products by electronic transmission.", "en"),
    ("Ninguna Parte podrá aplicar aranceles aduaneros a productos digitales de la otra Parte.", "es"),
])
def test_customs_duties_on_digital_products_in_their_usual_wordings(text: str, lang: str) -> None:
    assert "customs_duties_electronic_transmissions" in canonical_labels([text], [lang])[0]


@pytest.mark.parametrize(("text", "lang"), [
    ("Each Party shall permit a financial service supplier of the other Party to transfer information in "
     "electronic or other form, into and out of its territory, for data processing.", "en"),
    ("Each Party shall ensure that service suppliers of the other Party may use public telecommunications "
     "networks for the movement of information within its territory or across its borders.", "en"),
    ("Cada Parte permitirá a las instituciones financieras de la otra Parte transferir información hacia el "
     "interior o el exterior del territorio de la Parte, para su procesamiento.", "es"),
])
def test_data_transfers_in_financial_and_telecom_wording(text: str, lang: str) -> None:
    assert "cross_border_data_flows" in canonical_labels([text], [lang])[0]


@pytest.mark.parametrize(("text", "lang"), [
    ("The Committee shall work on the development of an electronic certification and verification system.", "en"),
    ("The Parties shall seek the possibility to implement a system of electronic declarations of origin.", "en"),
    ("The customs administrations shall promote the electronic exchange of customs information.", "en"),
    ("For prompt customs clearance, each Party shall: (a) make use of information and communications technology; "
     "and (b) simplify its customs procedures.", "en"),
    ("Each Party shall endeavour to use information technology that expedites procedures for the release of goods.",
     "en"),
    ("Las Partes podrán empezar a desarrollar el certificado de origen electrónico.", "es"),
    ("Las Partes buscarán implementar mecanismos para el intercambio electrónico de información aduanera.", "es"),
])
def test_paperless_trading_in_customs_and_origin_wording(text: str, lang: str) -> None:
    assert "paperless_trading" in canonical_labels([text], [lang])[0]


def test_an_electronic_certificate_of_signatures_is_not_paperless_trading() -> None:
    # "electronic certificate" alone is e-signature wording (tota:155); only the origin and customs
    # certification phrasings are canonical paperless trading.
    text = "Each Party shall recognise electronic certificates issued by certification service providers."
    assert "paperless_trading" not in canonical_labels([text], ["en"])[0]


def test_a_definition_naming_the_wording_is_still_no_commitment() -> None:
    text = "digital product means a computer programme, text, video, image or sound recording that is digitally encoded"
    assert canonical_labels([text], ["en"])[0] == frozenset()


@pytest.mark.parametrize(("sentence", "lang", "expected"), [
    ("The Parties agree not to impose customs duties on deliveries by electronic means.", "en", "binding"),
    ("Las Partes acuerdan no imponer aranceles aduaneros a las transmisiones electrónicas.", "es", "binding"),
    ("Each Party, in accordance with its respective legislation, shall ensure the confidentiality of "
     "telecommunications and related traffic data.", "en", "hortatory"),
    ("Each Party shall ensure the confidentiality of telecommunications and related traffic data.", "en", "binding"),
])
def test_agreeing_not_to_binds_and_its_own_legislation_qualifies(sentence: str, lang: str, expected: str) -> None:
    assert rule_class(modality_cues([sentence], lang)[0]) == expected


@pytest.mark.parametrize(("text", "label"), [
    ("Cada Parte adoptará o mantendrá medidas respecto de los mensajes electrónicos comerciales no solicitados.",
     "unsolicited_messages"),
    ("Cada Parte permitirá a los usuarios acceder y utilizar servicios y aplicaciones de su elección disponibles en "
     "Internet, sujeto a una gestión razonable de la red.", "internet_access"),
])
def test_spanish_word_orders_of_english_canonical_wording(text: str, label: str) -> None:
    assert label in canonical_labels([text], ["es"])[0]


@pytest.mark.parametrize(("sentence", "expected"), [
    ("Las Partes reconocen los beneficios del comercio electrónico para las pequeñas empresas.", "hortatory"),
    ("Las Partes afirman la importancia de trabajar en conjunto.", "hortatory"),
    ("Las Partes reafirman que cada Parte puede tener sus propios requisitos regulatorios.", "neither"),
])
def test_spanish_recitals_and_hortatory_wording_match_the_english(sentence: str, expected: str) -> None:
    assert rule_class(modality_cues([sentence], "es")[0]) == expected


@pytest.mark.parametrize(("heading", "topic"), [
    ("Cybersecurity | Digital Trade", "cybersecurity"),
    ("Cooperation on Cybersecurity Matters | Electronic Commerce", "cybersecurity"),
    ("Online Consumer Protection", "online_consumer_protection"),
    ("Protección de los Consumidores en Línea | Comercio Electrónico", "online_consumer_protection"),
    ("Electronic Signatures and Electronic Authentication", "electronic_transactions"),
    ("Financial Technology Cooperation | Digital Economy", "emerging_digital_tech"),
    ("Data Innovation", "data_ownership"),
    # Not titled by one topic: the listing rule labels every topic such an article lists.
    ("Cooperation | Electronic Commerce", None),
    ("Electronic Commerce", None),
    ("Personal Information Protection and Online Consumer Protection", None),
    ("General Provisions | Cybersecurity", None),  # the chapter's title is not the article's
    ("", None),
])
def test_an_article_titled_by_one_topic(heading: str, topic: str | None) -> None:
    assert title_topic(heading) == topic


def test_in_an_article_titled_by_one_topic_only_its_cues_decide() -> None:
    matrix = cue_rule_matrix(["Cybersecurity | Digital Trade", "Cooperation | Digital Trade", ""])
    assert matrix[0].tolist() == [label == "cybersecurity" for label in LABEL_IDS]
    assert matrix[1].all() and matrix[2].all()


def test_in_an_article_titled_by_one_topic_another_label_needs_a_near_certain_score() -> None:
    """Features 8: the model's middling score for a topic mentioned in passing does not decide it
    there; the title's own topic, near-certain scores and untitled or multi-topic articles are untouched."""
    headings = ["Financial Technology Cooperation | Digital Economy", "Cooperation | Digital Economy", "",
                "Digital Products | Electronic Commerce"]
    labels = ("personal_data_protection", "emerging_digital_tech", "customs_duties_electronic_transmissions")
    pdp, fintech, duties = (LABEL_IDS.index(label) for label in labels)
    scores = np.zeros((len(headings), len(LABEL_IDS)))
    scores[:, pdp] = 0.82
    scores[:, fintech] = 0.3  # low, but the title's own topic is never held back
    scores[3, duties] = PASSING_MENTION_MIN_SCORE + 0.05
    matrix = passing_mention_matrix(headings, scores)
    assert not matrix[0, pdp] and matrix[0, fintech]
    # Every low-scoring other label is held back too, but for ecommerce_general, which has its own
    # higher threshold beside another label.
    assert matrix[0].tolist() == [label in ("emerging_digital_tech", "ecommerce_general") for label in LABEL_IDS]
    assert matrix[1].all() and matrix[2].all()
    assert matrix[3, duties] and not matrix[3, pdp]


def test_canonical_phrases_are_written_as_printed() -> None:
    """The pre-screen (screen.PhraseScreen) looks for a phrase's words in the text as printed: a
    phrase written with spaCy's token spacing ("liability of , or remedies") could never pass it."""
    from pipeline.nlp.lexicon import _load

    for lang in ("en", "es"):
        data = _load(f"canonical_{lang}.json")
        phrases = [p for label, ps in data.items() if not label.startswith("_") for p in ps]
        assert not [p for p in phrases if " ," in p or " ." in p or " ;" in p]
