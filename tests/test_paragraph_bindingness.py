"""Paragraph splitting, modality rules, aggregation to hard / soft / mixed, canonical-wording
rules, calibration and the evaluation's bookkeeping (bootstrap, temporal split, errors)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np
import pytest
import spacy

from pipeline.classify.annotations import AnnotatedProvision, Annotation, load_paragraph_annotations
from pipeline.classify.evaluate import (
    AgreementOutcome,
    Outcomes,
    ProvisionOutcome,
    bootstrap_intervals,
    by_language,
    cross_validation_scope,
    error_rows,
    metrics,
    temporal_split,
)
from pipeline.classify.card import language_table_lines
from pipeline.classify.features import ModalityFeatures
from pipeline.classify.train import choose_rule, fit_calibration, global_threshold
from pipeline.classify.trained import LabelRule, provision_frame
from pipeline.errors import CybernormsError
from pipeline.model import Agreement, Document
from pipeline.nlp import modality
from pipeline.nlp.canonical import canonical_labels
from pipeline.nlp.citations import mask_cited_titles
from pipeline.nlp.safeguards import privacy_safeguards
from pipeline.nlp.modality import PhraseRules, modality_cues, rule_class
from pipeline.nlp.paragraphs import aggregate_bindingness, split_paragraphs

ARTICLE = ("1. Each Party shall adopt or maintain measures to protect personal information.\n\n"
           "  2. The Parties shall endeavour to cooperate.\n\n"
           "3. For the purposes of paragraph 1, Article 2 (Definitions) applies.\n")


# -- splitting ------------------------------------------------------------------------------

def test_numbered_paragraphs_with_exact_offsets() -> None:
    paragraphs = split_paragraphs(ARTICLE)
    assert [(p.index, p.number, p.kind) for p in paragraphs] == [(0, "1", "numbered"), (1, "2", "numbered"),
                                                                  (2, "3", "numbered")]
    assert ARTICLE[paragraphs[1].start:paragraphs[1].end] == "2. The Parties shall endeavour to cooperate."


def test_chapeau_before_numbered_paragraphs_and_lettered_items_stay_inside() -> None:
    text = "Each Party shall:\n(1) adopt measures; and\n  (a) keep them;\n(2) publish them."
    paragraphs = split_paragraphs(text)
    assert [(p.number, p.kind) for p in paragraphs] == [("", "chapeau"), ("1", "numbered"), ("2", "numbered")]
    assert "(a) keep them;" in text[paragraphs[1].start:paragraphs[1].end]


def test_numbers_that_do_not_run_in_sequence_are_not_paragraphs() -> None:
    text = "Each Party shall apply Article 5 of the GATS.\n2003 is the year of reference.\n7. Nothing else."
    assert [p.kind for p in split_paragraphs(text)] != ["numbered"] * 3
    assert all(p.kind in {"sentence", "whole"} for p in split_paragraphs(text))


def test_paragraph_numbers_inside_a_line_still_number_the_paragraphs() -> None:
    # Line breaks lost (ToTA prints some articles on one line): "... mutandis. 2. For ...".
    text = ("1. The Parties recognise the importance of consumer protection. 2. Each Party shall adopt or "
            "maintain consumer protection laws; (3) The Parties shall endeavour to cooperate.")
    paragraphs = split_paragraphs(text)
    assert [(p.number, p.kind) for p in paragraphs] == [("1", "numbered"), ("2", "numbered"), ("3", "numbered")]
    assert text[paragraphs[1].start:paragraphs[1].end] == "2. Each Party shall adopt or maintain consumer protection laws;"
    # Inline numbers need a line-initial 1 and a sentence end before them: a reference is not one.
    reference = "Each Party shall apply paragraph 1. 2. The Parties shall endeavour to cooperate."
    assert all(p.kind != "numbered" for p in split_paragraphs(reference))
    assert [p.kind for p in split_paragraphs("1. Each Party shall act under Article 2. 3. Other text.")] == ["whole"]
    # Line-initial numbering wins when there is enough of it.
    assert [p.number for p in split_paragraphs(ARTICLE + " See 4. Above.")] == ["1", "2", "3"]


def test_unnumbered_article_is_split_into_sentences_not_at_abbreviations() -> None:
    text = "Each Party shall allow transfers, e.g. by cable. See Art. 5 of the Agreement. The Parties shall endeavour."
    sentences = [text[p.start:p.end] for p in split_paragraphs(text)]
    assert sentences == ["Each Party shall allow transfers, e.g. by cable.", "See Art. 5 of the Agreement.",
                         "The Parties shall endeavour."]
    assert [p.kind for p in split_paragraphs("One sentence only.")] == ["whole"]
    assert split_paragraphs("   \n ") == ()


# -- modality rules -------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "lang", "expected"), [
    ("Each Party shall adopt or maintain measures.", "en", "binding"),
    ("No Party shall require a covered person to use computing facilities in its territory.", "en", "binding"),
    ("Nothing in this Chapter shall prevent a Party from adopting measures to protect privacy.", "en", "binding"),
    ("Each Party shall endeavour to adopt measures.", "en", "hortatory"),
    ("Each Party shall, to the extent possible, accept electronic documents.", "en", "hortatory"),
    ("Each Party shall, in accordance with its laws and regulations, take measures.", "en", "hortatory"),
    ("Except in circumstances otherwise provided for under its laws, a Party shall not deny validity.", "en",
     "hortatory"),
    ("The Parties recognise the importance of consumer protection.", "en", "hortatory"),
    ("The Parties shall cooperate on electronic commerce.", "en", "weak"),
    ("The Parties shall, where appropriate, cooperate on cybersecurity.", "en", "hortatory"),
    ("The Parties recognise that each Party may have its own regulatory requirements.", "en", "neither"),
    ("Digital product means a computer programme, text, video or image.", "en", "neither"),
    ("Cada Parte adoptará o mantendrá medidas.", "es", "binding"),
    # Irregular futures ("-ndrá") are the Spanish "shall" as much as "adoptará" is; "podrá" is "may".
    ("Cada Parte mantendrá un marco jurídico que regule las transacciones electrónicas.", "es", "binding"),
    ("Las autoridades pondrán a disposición de los interesados los requisitos.", "es", "binding"),
    ("Cada Parte dispondrá que los proveedores de servicios no sean responsables.", "es", "binding"),
    ("Las Partes podrán intercambiar información.", "es", "hortatory"),
    ("Las Partes procurarán cooperar.", "es", "hortatory"),
    ("Las Partes cooperarán en materia de comercio electrónico.", "es", "weak"),
])
def test_rule_class_follows_the_taxonomy(text: str, lang: str, expected: str) -> None:
    assert rule_class(modality_cues([text], lang)[0]) == expected


@pytest.mark.parametrize(("text", "lang"), [
    ("The customs administrations, in implementing initiatives which provide for paperless trading, shall take "
     "into account the methods agreed by the World Customs Organization.", "en"),
    ("Las autoridades aduaneras tomarán en cuenta las normas internacionales.", "es"),
])
def test_shall_take_into_account_is_binding_for_new_paragraph_models_and_weak_for_older_ones(text: str,
                                                                                            lang: str) -> None:
    assert rule_class(modality_cues([text], lang)[0]) == "weak"
    assert rule_class(modality_cues([text], lang, take_into_account_binding=True)[0]) == "binding"
    # Qualified, it is still hortatory either way.
    qualified = "Each Party shall endeavour to take into account international standards."
    assert rule_class(modality_cues([qualified], take_into_account_binding=True)[0]) == "hortatory"
    frame = provision_frame([text], [lang])
    new = ModalityFeatures(sentences=True, take_into_account_binding=True).transform(frame).toarray()[0]
    old = ModalityFeatures(sentences=True)
    del old.take_into_account_binding  # as unpickled from a model saved before the parameter existed
    names = list(ModalityFeatures(sentences=True).get_feature_names_out())
    as_old = dict(zip(names, old.transform(frame).toarray()[0]))
    as_new = dict(zip(names, new))
    assert as_old["rule_weak"] == 1 and as_old["rule_binding"] == 0
    assert as_new["rule_binding"] == 1 and as_new["rule_weak"] == 0 and as_new["sentences_binding"] > 0


def test_both_readings_of_take_into_account_come_from_one_tokenization_and_cache() -> None:
    # Each text is tokenized once and its cues kept under both readings: whichever reading is asked
    # first, and whether or not the cues were cached, the counts are the same.
    texts = ["Each Party shall take into account the methods agreed by the World Customs Organization.",
             "Each Party shall endeavour to take into account international standards.",
             "No Party shall require the use of local computing facilities.",
             "The Parties recognise that each Party may have its own regulatory requirements."]
    readings = (False, True)
    modality.clear_cache()
    first = {binding: [c.counts for c in modality_cues(texts, take_into_account_binding=binding)] for binding in readings}
    modality.clear_cache()
    second = {binding: [c.counts for c in modality_cues(texts, take_into_account_binding=binding)]
              for binding in reversed(readings)}
    cached = {binding: [c.counts for c in modality_cues(texts[::-1], take_into_account_binding=binding)][::-1]
              for binding in readings}
    assert first == second == cached
    assert first[False][0] == {"weak": 1} and first[True][0] == {"binding": 1}
    assert first[False][1] == first[True][1] and first[False][2] == first[True][2]


def test_shall_inside_shall_endeavour_is_not_counted_as_binding() -> None:
    cues = modality_cues(["Each Party shall, where possible, endeavour to adopt measures."])[0]
    assert cues.counts.get("binding", 0) == 0 and cues.has("hortatory") and cues.has("qualifier")



@pytest.mark.parametrize(("text", "spans"), [
    ("Each Party shall endeavour to adopt measures.", [(2, 4)]),  # no gap
    ("Each Party shall, where appropriate, endeavour to adopt.", [(2, 8)]),  # a 4-token gap
    ("Each Party shall, where possible and appropriate, endeavour to adopt.", []),  # 6 tokens: too far
    ("Each Party endeavour and shall adopt measures.", []),  # the parts out of order
])
def test_a_gap_in_a_cue_phrase_spans_zero_to_four_tokens(text: str, spans: list[tuple[int, int]]) -> None:
    nlp = spacy.blank("en")
    rules = PhraseRules(nlp, {"hortatory": ["shall * endeavour"]})
    assert [(start, end) for _, start, end in rules(nlp.make_doc(text))] == spans


def test_a_phrase_with_two_gaps_chains_all_three_parts() -> None:
    """'nothing * shall * require' (negation): every part in order, each gap 0-4 tokens."""
    assert modality_cues(["Nothing in this Chapter shall be construed to require a Party to disclose."])[0].has(
        "negation")
    assert not modality_cues(["Nothing is said here. The Parties shall consider what the rules require."])[0].has(
        "negation")

# -- aggregation ----------------------------------------------------------------------------

@pytest.mark.parametrize(("classes", "expected"), [
    (["binding"], "hard"),
    (["binding", "binding", "neither"], "hard"),
    (["hortatory"], "soft"),
    (["binding", "hortatory"], "mixed"),
    (["hortatory", "neither", "binding"], "mixed"),
    (["weak"], "soft"),  # "shall cooperate" alone
    (["weak", "binding"], "hard"),  # ... beside another binding commitment
    (["weak", "hortatory"], "soft"),
    (["neither"], None),  # a recital asks nothing
    ([], None),
])
def test_aggregation_to_hard_soft_mixed(classes: list[str], expected: str | None) -> None:
    assert aggregate_bindingness(classes) == expected


# -- canonical wording ----------------------------------------------------------------------

def test_canonical_wording_needs_a_commitment_and_is_not_a_cross_reference() -> None:
    texts = [
        "Each Party shall allow the cross-border transfer of information by electronic means, including personal "
        "information, when this activity is for the conduct of the business of a covered person.",
        "The Parties recognise that each Party may have its own regulatory requirements concerning the transfer of "
        "information by electronic means.",
        "A Party shall not be subject to dispute settlement with respect to Article 9.11 (Cross-Border Transfer of "
        "Information by Electronic Means).",
        "Unsolicited commercial electronic message means an electronic message sent without consent.",
        "Each Party shall adopt or maintain measures regarding unsolicited commercial electronic messages that: "
        "(a) require suppliers to facilitate the ability of recipients to prevent ongoing reception;",
        "Las Partes cooperarán en materia de ciberseguridad.",
    ]
    found = canonical_labels(texts, ["en"] * 5 + ["es"])
    assert found == [frozenset({"cross_border_data_flows"}), frozenset(), frozenset(), frozenset(),
                     frozenset({"unsolicited_messages"}), frozenset({"cybersecurity"})]



def test_cited_titles_leave_the_text_and_the_references_stay() -> None:
    text = ("Articles 14.4 (Non-Discriminatory Treatment of Digital Products), 14.11 (Cross-Border Transfer of "
            "Information by Electronic Means) and 14.13 (Location of Computing Facilities) shall not apply to "
            "paragraph 2 (b) of Article 3 (a).")
    assert mask_cited_titles(text) == ("Articles 14.4, 14.11 and 14.13 shall not apply to paragraph 2 (b) of "
                                       "Article 3 (a).")
    assert mask_cited_titles("conforme al Artículo 9.11 (Transferencia Transfronteriza de Información)") == (
        "conforme al Artículo 9.11")
    frame = provision_frame([text], ["en"])
    assert "Cross-Border" not in frame["text"].iat[0]
    assert "Cross-Border" in provision_frame([text], ["en"], features=1)["text"].iat[0]


@pytest.mark.parametrize(("text", "lang", "expected"), [
    # a carve-out that names privacy, in any chapter
    ("This Chapter shall not be construed to require a Party to release information that would be exempt "
     "from disclosure under its laws concerning privacy.", "en", True),
    ("Without prejudice to each Party's law governing the processing of personal data, each Party shall "
     "provide that judicial authorities may order the infringer to provide information.", "en", True),
    ("Nada de lo dispuesto en este Capítulo se interpretará en el sentido de exigir a una Parte que divulgue "
     "información relativa a los negocios y cuentas de clientes individuales.", "es", True),
    # privacy named, but nothing carved out: a commitment to protect personal data
    ("Each Party shall adopt or maintain a legal framework that provides for the protection of the personal "
     "information of the users of electronic commerce.", "en", False),
    # a carve-out, but of something else
    ("Nothing in this Chapter shall be construed to require a Party to disclose confidential business "
     "information.", "en", False),
    # both, but in different sentences
    ("Nothing in this Article shall prevent a Party from adopting measures. The Parties shall cooperate on "
     "privacy.", "en", False),
])
def test_privacy_safeguard_is_a_carve_out_sentence_that_names_privacy(text: str, lang: str, expected: bool) -> None:
    assert privacy_safeguards([text], [lang]) == [expected]
    assert ("privacy_safeguard" in canonical_labels([text], [lang])[0]) is expected
    assert "privacy_safeguard" not in canonical_labels([text], [lang], safeguards=False)[0]

# -- calibration and decision rules ---------------------------------------------------------

def test_platt_calibration_is_monotone_and_improves_the_brier_score() -> None:
    rng = np.random.default_rng(0)
    truth = rng.random(2000) < 0.2
    # An over-confident model: right ranking, probabilities pushed to the extremes.
    raw = np.clip(np.where(truth, 0.7, 0.3) + rng.normal(0, 0.25, truth.size), 0.01, 0.99) ** 0.3
    calibration = fit_calibration(raw, truth)
    assert calibration is not None
    calibrated = LabelRule("model", calibration=calibration).calibrate(raw)
    order = np.argsort(raw)
    assert np.all(np.diff(calibrated[order]) >= -1e-12)
    assert np.mean((calibrated - truth) ** 2) < np.mean((raw - truth) ** 2)
    assert fit_calibration(raw[:5], np.array([True, False, False, False, False])) is None


def test_labels_with_few_positives_fall_back_towards_the_global_threshold() -> None:
    truth = np.array([True] * 3 + [False] * 97)
    scores = np.concatenate([[0.95, 0.94, 0.93], np.linspace(0.0, 0.9, 97)])
    nothing = np.zeros(100, dtype=bool)
    few = choose_rule(truth, scores, nothing, nothing, fallback=0.5, positives=3)
    many = choose_rule(truth, scores, nothing, nothing, fallback=0.5, positives=300)
    assert few.strategy == many.strategy == "model"
    assert many.threshold > 0.9  # its own best threshold
    assert abs(few.threshold - (0.1 * many.threshold + 0.9 * 0.5)) < 1e-3  # 3 of 30 positives: 10% its own
    everything = np.ones(100, dtype=bool)
    assert not choose_rule(truth, scores, nothing, everything, fallback=0.5, positives=3).canonical


def test_global_threshold_maximises_pooled_f1() -> None:
    truth = np.array([[True, False], [False, True], [False, False], [True, True]])
    scores = np.array([[0.8, 0.1], [0.2, 0.7], [0.3, 0.2], [0.9, 0.75]])
    threshold = global_threshold(truth, scores)
    assert 0.3 <= threshold <= 0.7


# -- evaluation bookkeeping -----------------------------------------------------------------

def _outcome(agreement: str, truth: set[str], predicted: set[str], gold: str | None, found: str | None,
             number: str = "1") -> ProvisionOutcome:
    return ProvisionOutcome(agreement, number, frozenset(truth), frozenset(predicted), gold, found, frozenset(),
                            frozenset(), {label: 0.9 for label in predicted}, "Heading", "text")


def test_metrics_score_bindingness_end_to_end_and_where_labelled() -> None:
    outcomes = Outcomes([
        _outcome("1", {"source_code"}, {"source_code"}, "hard", "hard"),
        _outcome("1", {"cybersecurity"}, set(), "soft", None),  # missed: bindingness counts as wrong
        _outcome("2", {"paperless_trading"}, {"paperless_trading", "cybersecurity"}, "mixed", "soft"),
        _outcome("2", set(), set(), None, None),
    ], [AgreementOutcome("1", frozenset({"source_code", "cybersecurity"}), frozenset({"source_code"})),
        AgreementOutcome("2", frozenset({"paperless_trading"}), frozenset({"paperless_trading", "cybersecurity"}))])
    m = metrics(outcomes)
    assert m["micro_precision"] == round(2 / 3, 4) and m["micro_recall"] == round(2 / 3, 4)
    assert m["bindingness_accuracy"] == round(1 / 3, 4) and m["bindingness_n"] == 3
    assert m["bindingness_accuracy_when_labelled"] == 0.5 and m["bindingness_labelled_n"] == 2
    assert m["agreement_f1"] == round(2 * 2 / (2 * 2 + 1 + 1), 4)
    assert m["per_label"]["cybersecurity"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 1,
                                               "predicted": 1}


def test_bootstrap_resamples_agreements() -> None:
    perfect = [_outcome(str(i), {"source_code"}, {"source_code"}, "hard", "hard") for i in range(10)]
    wrong = [_outcome(str(i), {"source_code"}, set(), "hard", None) for i in range(10, 20)]
    intervals = bootstrap_intervals(Outcomes(perfect + wrong, []), samples=200)
    low, high = intervals["micro_f1"]
    assert 0.2 < low < 0.667 < high < 0.85
    assert bootstrap_intervals(Outcomes(perfect, []), samples=50)["micro_f1"] == [1.0, 1.0]


def test_by_language_scores_each_language_s_agreements_apart() -> None:
    english = [_outcome(str(i), {"source_code"}, {"source_code"}, "hard", "hard") for i in range(4)]
    spanish = [replace(_outcome(str(i), {"source_code"}, set(), "hard", None), lang="es") for i in range(4, 6)]
    agreements = [AgreementOutcome(str(i), frozenset({"source_code"}), frozenset({"source_code"}), "en")
                  for i in range(4)]
    agreements += [AgreementOutcome(str(i), frozenset({"source_code"}), frozenset(), "es") for i in range(4, 6)]
    report = by_language(Outcomes(english + spanish, agreements), samples=20)
    assert sorted(report) == ["en", "es"]
    assert report["en"]["micro_f1"] == 1.0 and report["en"]["agreements"] == 4
    assert report["es"]["micro_f1"] == 0.0 and report["es"]["bindingness_accuracy"] == 0.0
    assert report["es"]["agreement_f1"] == 0.0 and report["es"]["labelled_provisions"] == 2
    assert report["es"]["intervals"]["micro_f1"] == [0.0, 0.0]
    # Pooled, the two languages mix: the per-language rows are what a Spanish user should read.
    assert metrics(Outcomes(english + spanish, agreements))["micro_f1"] == round(8 / 10, 4)


def test_the_card_names_a_language_the_temporal_test_lacks() -> None:
    figures = {"micro_f1": 0.9, "macro_f1": 0.8, "agreement_f1": 0.95, "bindingness_accuracy": 0.8,
               "bindingness_accuracy_when_labelled": 0.9, "agreements": 3, "labelled_provisions": 40,
               "intervals": {"micro_f1": [0.85, 0.95]}}
    nothing = {**figures, "labelled_provisions": 0}
    lines = language_table_lines({"by_language": {"en": figures}},
                                 {"by_language": {"en": figures, "es": figures, "fr": nothing}})
    rows = [line for line in lines if line.startswith("| temporal") or line.startswith("| cross-validation")]
    assert [row.split(" | ")[1] for row in rows] == ["en", "en", "es"]  # no row for a language with no label
    assert "0.900 (0.85–0.95)" in rows[0]
    assert any("none in es:" in line for line in lines)
    assert language_table_lines({}, {}) == []  # reports of models before 1.14.0


def _document(source_id: str, signed: date | None) -> Document:
    return Document(Agreement(id=f"tota:{source_id}", source="tota", source_id=source_id, name=f"A{source_id}",
                              date_signed=signed), ())


def _example(source_id: str) -> AnnotatedProvision:
    return AnnotatedProvision(Annotation(source_id, "1", (), None), "text", "en", f"tota:{source_id}")


def test_temporal_split_trains_on_the_past_and_tests_on_2013_to_2016() -> None:
    documents = {"1": _document("1", date(2012, 12, 31)), "2": _document("2", date(2013, 1, 1)),
                 "3": _document("3", date(2016, 7, 1)), "4": _document("4", date(2017, 1, 1)),
                 "5": _document("5", None)}
    train, test = temporal_split([_example(k) for k in documents], documents)
    assert [e.annotation.source_id for e in train] == ["1"]
    assert [e.annotation.source_id for e in test] == ["2", "3"]


def test_a_development_split_cross_validates_only_on_what_it_may_see() -> None:
    documents = {"1": _document("1", date(2009, 5, 1)), "2": _document("2", date(2012, 12, 31)),
                 "3": _document("3", date(2013, 1, 1)), "4": _document("4", date(2016, 7, 1)),
                 "5": _document("5", None)}
    examples = [_example(k) for k in documents]
    shipped = cross_validation_scope(examples, documents, 2016)
    assert [e.annotation.source_id for e in shipped] == ["1", "2", "3", "4", "5"]  # the card's figure, as before
    development = cross_validation_scope(examples, documents, 2012)
    assert [e.annotation.source_id for e in development] == ["1", "2"]  # no 2013-2016 test agreement


def test_error_rows_list_every_false_positive_false_negative_and_bindingness_error() -> None:
    outcomes = Outcomes([_outcome("2", {"paperless_trading"}, {"paperless_trading", "cybersecurity"}, "mixed", "soft"),
                         _outcome("2", {"source_code"}, set(), "hard", None, number="2")], [])
    rows = error_rows(outcomes, {"2": _document("2", date(2014, 1, 1))}, "temporal")
    assert sorted((r["error"], r["label"]) for r in rows) == [("bindingness", None), ("false_negative", "source_code"),
                                                               ("false_positive", "cybersecurity")]
    assert all(r["agreement_id"] == "tota:2" and r["text"] == "text" and r["split"] == "temporal" for r in rows)


# -- paragraph annotations ------------------------------------------------------------------

def test_paragraph_annotations_must_match_the_splitter(tmp_path: Path) -> None:
    example = AnnotatedProvision(Annotation("9", "90", ("personal_data_protection",), "mixed"), ARTICLE, "en",
                                 "tota:9")
    good = {"source_id": "9", "source_provision_id": "90", "paragraph": 1,
            "start": split_paragraphs(ARTICLE)[1].start, "bindingness": "hortatory", "labels": []}
    (tmp_path / "tota_9.jsonl").write_text(json.dumps(good) + "\n")
    [row] = load_paragraph_annotations([example], tmp_path)
    assert row.text == "2. The Parties shall endeavour to cooperate." and row.bindingness == "hortatory"
    for change, message in (({"start": 0}, "not where the splitter"), ({"bindingness": "hard"}, "is not one of"),
                            ({"labels": ["source_code"]}, "not all labels"), ({"source_provision_id": "91"},
                                                                              "not a labelled")):
        (tmp_path / "tota_9.jsonl").write_text(json.dumps({**good, **change}) + "\n")
        with pytest.raises(CybernormsError, match=message):
            load_paragraph_annotations([example], tmp_path)


# -- topic words: which paragraphs carry a provision's label ---------------------------------

def test_topic_words_attribute_a_label_the_provision_has_to_the_paragraphs_that_name_it() -> None:
    from pipeline.nlp.topics import topics_named

    recital = "1. The Parties recognise the importance of measures to protect consumers from fraudulent practices."
    assert topics_named(recital, ["online_consumer_protection"]) == {"online_consumer_protection"}
    assert topics_named("Cada Parte protegerá los datos personales de los usuarios.", ["personal_data_protection"]) \
        == {"personal_data_protection"}
    # Only the provision's own labels, never a new one; a carve-out is found by its own rule only.
    assert topics_named(recital, ["cybersecurity"]) == set()
    assert topics_named("Nothing requires disclosure of personal or confidential information.",
                        ["privacy_safeguard"]) == set()
