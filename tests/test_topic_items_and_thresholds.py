"""Model features 4: a labelled paragraph's bindingness read from the list items about its
labels, a label's second threshold for provisions that already carry another label, and the
taxonomy's "subject to its law on personal data" safeguards."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.classify.features import items_on_topic
from pipeline.classify.train import THRESHOLDS, choose_thresholds_with_others
from pipeline.classify.trained import LabelRule, with_others_thresholds
from pipeline.nlp.safeguards import privacy_safeguards
from pipeline.taxonomy import LABEL_IDS

CUSTOMS = ("2. For prompt customs clearance of goods, each Party shall: (a) provide for the electronic submission "
           "and processing of information before the physical arrival of goods; (b) simplify its customs "
           "procedures; and (c) harmonise its customs procedures, to the extent possible, with international "
           "standards.")


def test_the_items_about_a_label_are_kept_with_the_words_that_introduce_them() -> None:
    narrowed = items_on_topic(CUSTOMS, "en", {"paperless_trading"})
    assert narrowed is not None
    assert narrowed.startswith("2. For prompt customs clearance of goods, each Party shall:")
    assert "electronic submission" in narrowed
    assert "to the extent possible" not in narrowed and "simplify" not in narrowed


@pytest.mark.parametrize(("text", "labels"), [
    (CUSTOMS, {"cybersecurity"}),  # no item is about the label: the paragraph as a whole
    ("Each Party shall provide for the electronic submission of customs declarations.", {"paperless_trading"}),
    ("Each Party shall: (a) accept electronic copies of trade administration documents; and (b) provide for "
     "the electronic submission of customs declarations.", {"paperless_trading"}),  # every item is
])
def test_nothing_is_left_out_without_items_off_the_topic(text: str, labels: set[str]) -> None:
    assert items_on_topic(text, "en", labels) is None


def test_spanish_items_are_narrowed_the_same_way() -> None:
    text = ("Cada Parte deberá: (a) aceptar la presentación electrónica de las declaraciones aduaneras; y (b) "
            "simplificar, en la medida de lo posible, sus procedimientos.")
    narrowed = items_on_topic(text, "es", {"paperless_trading"})
    assert narrowed is not None and "en la medida de lo posible" not in narrowed


def _rules(**overrides: LabelRule) -> list[LabelRule]:
    return [overrides.get(label, LabelRule("model", 0.5)) for label in LABEL_IDS]


def test_a_second_threshold_applies_only_where_another_label_is_decided() -> None:
    general, topic = LABEL_IDS.index("ecommerce_general"), LABEL_IDS.index("personal_data_protection")
    scores = np.zeros((3, len(LABEL_IDS)))
    scores[:, general] = [0.6, 0.6, 0.95]
    scores[:, topic] = [0.0, 0.9, 0.9]
    by_model = scores >= 0.5
    by_rule = np.zeros_like(by_model)
    rules = _rules(ecommerce_general=LabelRule("model", 0.5, threshold_with_others=0.9))
    decisions = with_others_thresholds(by_model, by_rule, scores, rules)
    assert decisions[:, general].tolist() == [True, False, True]
    assert decisions[:, topic].tolist() == [False, True, True]  # the other label is untouched
    # A label's own rules still decide it, whatever its score.
    by_rule[1, general] = True
    assert with_others_thresholds(by_model, by_rule, scores, rules)[1, general]
    # No second threshold: the decisions are the union of the model's and the rules'.
    plain = with_others_thresholds(by_model, by_rule, scores, _rules())
    assert (plain == (by_model | by_rule)).all()


def test_the_second_threshold_is_chosen_on_out_of_fold_scores_only_when_it_pays() -> None:
    rng = np.random.default_rng(0)
    n = 400
    general, topic = LABEL_IDS.index("ecommerce_general"), LABEL_IDS.index("personal_data_protection")
    truth = np.zeros((n, len(LABEL_IDS)), dtype=bool)
    scores = np.zeros((n, len(LABEL_IDS)))
    truth[:, topic] = rng.random(n) < 0.4
    scores[:, topic] = np.where(truth[:, topic], 0.9, 0.1)
    # ecommerce_general: alone, a score of 0.6 means the label; beside another topic, the chapter's
    # words give every article 0.6, and only a true general article scores 0.95.
    truth[:, general] = np.where(truth[:, topic], rng.random(n) < 0.2, rng.random(n) < 0.5)
    scores[:, general] = np.where(truth[:, general], np.where(truth[:, topic], 0.95, 0.6),
                                  np.where(truth[:, topic], 0.6, 0.1))
    rules = {label: LabelRule("model", 0.5) for label in LABEL_IDS}
    chosen = choose_thresholds_with_others(truth, scores, np.zeros_like(truth), rules)
    second = chosen["ecommerce_general"].threshold_with_others
    assert second is not None and 0.6 < second <= 0.95 and second in THRESHOLDS
    assert chosen["personal_data_protection"].threshold_with_others is None  # nothing to gain
    # A label decided by its cue rules alone keeps no model threshold.
    rules["ecommerce_general"] = LabelRule("rule")
    assert choose_thresholds_with_others(truth, scores, np.zeros_like(truth), rules)[
        "ecommerce_general"].threshold_with_others is None


@pytest.mark.parametrize(("text", "lang", "expected"), [
    ("Each Party shall provide the other Party with sufficient information to allow a full examination, subject "
     "to a requirement in its law regarding the confidentiality of personal information.", "en", True),
    ("The customs authorities shall exchange information with due respect to the Parties' laws on data "
     "protection.", "en", True),
    ("Las autoridades intercambiarán información, con sujeción a su legislación en materia de protección de "
     "datos personales.", "es", True),
    # subject to, but nothing about privacy
    ("Subject to paragraph 2, each Party shall accept electronic documents.", "en", False),
    # subject to a cross-reference: a commitment to protect personal data, not a carve-out
    ("Subject to paragraph 2, each Party shall protect the personal data of the users of electronic commerce.",
     "en", False),
    # two footnotes gathered into one article: the carve-out and the privacy term are in different ones
    ("[40] This is without prejudice to the measures of a Party. [41] The OECD Guidelines on the Protection of "
     "Privacy apply.", "en", False),
])
def test_a_law_on_personal_data_kept_intact_is_a_safeguard(text: str, lang: str, expected: bool) -> None:
    assert privacy_safeguards([text], [lang]) == [expected]


def test_article_xiv_bis_is_one_word_from_features_4_on() -> None:
    from pipeline.classify.trained import provision_frame
    from pipeline.nlp.citations import join_article_suffixes

    text = "Article XIV bis of GATS is incorporated; so is Article XIV of GATS, and Article 5 bis."
    assert join_article_suffixes(text) == "Article XIVbis of GATS is incorporated; so is Article XIV of GATS, and Article 5bis."
    assert join_article_suffixes("The terms of this bisected text") == "The terms of this bisected text"
    assert join_article_suffixes("the annex bis") == "the annex bis"  # not after a number
    assert "XIVbis" in provision_frame([text], ["en"], features=4)["text"].iat[0]
    assert "XIV bis" in provision_frame([text], ["en"], features=3)["text"].iat[0]  # older models' inputs stay
