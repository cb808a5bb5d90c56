"""Union rules for drafting families whose wording decides a label by itself (model 1.8.0's wording
data): every annotated provision up to 2012 that uses one of these phrasings carries the label
(`pipeline/nlp/data/canonical_*.json`, `safeguards_*.json`). Each family is checked with a sentence
of its usual drafting and with a near miss that must not match."""

from __future__ import annotations

import pytest

from pipeline.nlp.canonical import canonical_labels
from pipeline.nlp.modality import modality_cues, rule_class
from pipeline.nlp.safeguards import privacy_safeguards


@pytest.mark.parametrize(("text", "lang"), [
    # GATS Article XIV(c)(ii) written out: the item stands after a semicolon, far from "necessary to secure compliance".
    ("Subject to the requirement that such measures are not applied in a manner which would constitute arbitrary "
     "discrimination, nothing in this Chapter shall be construed to prevent the adoption of measures: (a) necessary "
     "to protect public morals; (b) relating to: (i) the prevention of deceptive practices; (ii) the protection of "
     "the privacy of individuals in relation to the processing and dissemination of personal data and the protection "
     "of confidentiality of individual records and accounts; (iii) safety.", "en"),
    ("4. Notwithstanding paragraph 3, a Party may take such measures as are necessary to ensure the security and "
     "confidentiality of messages, provided that such measures are not applied in an arbitrary manner.", "en"),
    ("4. A Party may take a measure necessary to: (a) ensure the security of messages; or (b) protect the privacy "
     "of users of public telecommunications transport services.", "en"),
    ("3. Nothing in this Chapter shall be construed to require a Party to disclose information relating to the "
     "affairs and accounts of individual consumers.", "en"),
    ("6. Cada Parte podrá adoptar cualquier medida necesaria para asegurar la confidencialidad y seguridad de los "
     "mensajes y la protección de la intimidad de los suscriptores de redes públicas de telecomunicaciones.", "es"),
])
def test_privacy_carve_outs_whose_wording_is_enough(text: str, lang: str) -> None:
    assert privacy_safeguards([text], [lang]) == [True]


@pytest.mark.parametrize(("text", "lang"), [
    ("Each Party shall maintain the confidentiality of information provided in confidence by the other Party.", "en"),
    ("Each Party shall take such measures as are necessary to ensure the quality of telecommunications services.",
     "en"),
    ("Las Partes adoptarán las medidas necesarias para facilitar el despacho de las mercancías.", "es"),
])
def test_confidentiality_or_necessity_alone_is_no_privacy_safeguard(text: str, lang: str) -> None:
    assert privacy_safeguards([text], [lang]) == [False]


@pytest.mark.parametrize(("text", "lang", "label"), [
    ("Each Party shall ensure the confidentiality of telecommunications and related traffic data by means of a "
     "public telecommunications network.", "en", "personal_data_protection"),
    ("Cada Parte asegurará la confidencialidad de las telecomunicaciones y de los datos de tráfico asociados a "
     "ellas.", "es", "personal_data_protection"),
    ("2. Each Party shall maintain adequate safeguards to protect privacy, in particular with regard to the transfer "
     "of personal information.", "en", "personal_data_protection"),
    ("The customs administrations shall use information technology that expedites procedures, as well as electronic "
     "or automated systems for risk management and targeting.", "en", "paperless_trading"),
    ("Cooperation shall focus on the simplification and computerisation of customs procedures.", "en",
     "paperless_trading"),
    ("Each Party shall promote the use of information and communications technology in its customs procedures.",
     "en", "paperless_trading"),
    ("The Parties recognise the importance of international standards for global compatibility and interoperability "
     "of telecommunication networks or services and undertake to promote those standards.", "en",
     "ict_standards_cryptography"),
    ("Las Partes cooperarán para estimular el desarrollo de la infraestructura de servicios de telecomunicaciones "
     "interoperables.", "es", "ict_standards_cryptography"),
    ("With respect to a product that uses cryptography and is designed for commercial applications, no Party shall "
     "require a manufacturer to use or integrate a particular cryptographic algorithm or cipher.", "en",
     "ict_standards_cryptography"),
    ("The Parties recognise that a supplier seeking international Internet connection should be able to negotiate "
     "with suppliers of another Party on a commercial basis.", "en", "internet_access"),
    ("The Parties recognise that it is beneficial for consumers in their territories to be able to access and use "
     "services and applications of a consumer's choice available on the Internet.", "en", "internet_access"),
    # US-style IP chapters limit "remedies available against" providers rather than naming "liability of service
    # providers"; every such annotated provision up to 2012 (11) carries the label.
    ("Each Party shall provide for a legislative scheme to limit liability of, or remedies that may be available "
     "against service providers for infringements they do not control.", "en", "intermediary_liability"),
    ("Each Party shall take appropriate measures to limit the liability of, or remedies available against, Internet "
     "service providers for copyright infringement by the users of their online services.", "en",
     "intermediary_liability"),
    ("Cada Parte establecerá limitaciones en su legislación en relación con el alcance de los recursos disponibles "
     "contra los proveedores de servicios por infracciones al derecho de autor.", "es", "intermediary_liability"),
])
def test_canonical_drafting_families(text: str, lang: str, label: str) -> None:
    assert label in canonical_labels([text], [lang])[0]


@pytest.mark.parametrize(("text", "label"), [
    # A recital that only states a fact names the topic and asks nothing (taxonomy 1.3).
    ("The Parties recognise that each Party may have its own regulatory requirements concerning international "
     "Internet connection.", "internet_access"),
    ("Each Party shall ensure that the electronic means it uses are secure.", "paperless_trading"),
    ("Each Party shall ensure that remedies are available against infringements of the rights of right holders.",
     "intermediary_liability"),
])
def test_near_misses_of_the_families(text: str, label: str) -> None:
    assert label not in canonical_labels([text], ["en"])[0]


def test_recognising_that_something_is_beneficial_is_hortatory() -> None:
    """"Recognise the benefits of ..." is hortatory (taxonomy 1.3); "recognise that it is beneficial
    for consumers to ..." says the same, while "recognise that each Party may ..." stays a recital."""
    beneficial, recital = modality_cues([
        "The Parties recognise that it is beneficial for consumers to be able to connect devices of their choice.",
        "The Parties recognise that each Party may have its own regulatory requirements."], "en")
    assert rule_class(beneficial) == "hortatory"
    assert rule_class(recital) != "hortatory"
