"""Training, saving, loading and predicting with the trained classifier (English and Spanish)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from pipeline.classify.annotations import load_annotations, load_paragraph_annotations
from pipeline.classify.base import ClassifierInput, provision_heading
from pipeline.classify.evaluate import cross_validate, metrics, summarise
from pipeline.classify.integrity import TRUSTED_TYPES, archive_types, file_digest, pin
from pipeline.classify.registry import MODELS_DIR, latest_model_dir, load_classifier
from pipeline.classify.train import fit_classifier
from pipeline.classify.trained import TrainedClassifier
from pipeline.errors import ModelError
from tests.conftest import holdout_ids

# A small training set: English agreements with e-commerce chapters, an EU one and two Spanish ones.
SUBSET = {"151", "397", "141", "392", "144", "433", "338", "36", "62", "82"}

PROVISIONS = [
    ClassifierInput("en-duties", "Each Party shall maintain its practice of not imposing customs duties on "
                    "electronic transmissions between the Parties.", "en"),
    ClassifierInput("en-consumer", "Each Party shall adopt or maintain consumer protection laws to proscribe "
                    "fraudulent and deceptive commercial practices that cause harm to consumers engaged in online "
                    "commercial activities.", "en"),
    ClassifierInput("en-goods", "Each Party shall eliminate its customs duties on originating goods in accordance "
                    "with its Schedule in Annex 2-A.", "en"),
    ClassifierInput("es-duties", "Ninguna Parte impondrá derechos aduaneros, tasas o cargos a las transmisiones "
                    "electrónicas entre las Partes.", "es"),
    ClassifierInput("es-goods", "Cada Parte eliminará sus aranceles aduaneros sobre las mercancías originarias de "
                    "conformidad con su Lista.", "es"),
]


@pytest.fixture(scope="module")
def small_training_set(tota_dir: Path):
    examples, documents = load_annotations(tota_dir, holdout=holdout_ids())
    subset = [e for e in examples if e.annotation.source_id in SUBSET]
    paragraphs = load_paragraph_annotations(subset)
    assert {p.bindingness for p in paragraphs} == {"binding", "weak", "hortatory", "neither"}
    return subset, {k: v for k, v in documents.items() if k in SUBSET}, paragraphs


@pytest.fixture(scope="module")
def saved_model(small_training_set, tmp_path_factory: pytest.TempPathFactory) -> Path:
    examples, _documents, paragraphs = small_training_set
    directory = tmp_path_factory.mktemp("models") / "test-model"
    fit_classifier(examples, version="test-1", paragraphs=paragraphs).save(directory)
    return directory


def test_trained_model_labels_english_and_spanish_alike(saved_model: Path) -> None:
    model = TrainedClassifier.load(saved_model)
    predictions = {p.provision_id: p for p in model.predict(PROVISIONS)}
    assert "customs_duties_electronic_transmissions" in predictions["en-duties"].labels
    assert "customs_duties_electronic_transmissions" in predictions["es-duties"].labels
    assert "online_consumer_protection" in predictions["en-consumer"].labels
    assert predictions["en-goods"].labels == () and predictions["es-goods"].labels == ()
    assert predictions["en-duties"].bindingness == "hard"
    assert all(p.model_version == "test-1" for p in predictions.values())


def test_bindingness_is_judged_paragraph_by_paragraph(saved_model: Path) -> None:
    model = TrainedClassifier.load(saved_model)
    text = ("1. The Parties recognise the importance of protecting consumers engaged in electronic commerce.\n\n"
            "2. Each Party shall adopt or maintain consumer protection laws to proscribe fraudulent and deceptive "
            "commercial practices that cause harm to consumers engaged in online commercial activities.\n\n"
            "3. The Parties shall endeavour to cooperate on online consumer protection.")
    prediction = model.predict([ClassifierInput("mixed", text, "en", "Online Consumer Protection")])[0]
    assert "online_consumer_protection" in prediction.labels
    assert [(p.index, p.number) for p in prediction.paragraphs] == [(0, "1"), (1, "2"), (2, "3")]
    assert [p.bindingness for p in prediction.paragraphs] == ["hortatory", "binding", "hortatory"]
    assert all(text[p.char_start:p.char_end].startswith(f"{p.number}. ") for p in prediction.paragraphs)
    assert prediction.bindingness == "mixed"
    only_endeavour = model.predict([ClassifierInput("soft", "The Parties shall endeavour to cooperate on the "
                                                    "protection of consumers engaged in electronic commerce.", "en",
                                                    "Online Consumer Protection")])[0]
    assert only_endeavour.bindingness == "soft"


def test_predictions_keep_input_order_and_screen_out_ordinary_text(saved_model: Path) -> None:
    model = TrainedClassifier.load(saved_model)
    items = [ClassifierInput(str(i), text, "en") for i, text in
             enumerate(["Tariff rate quotas for rice.", PROVISIONS[0].text, "Rules of origin apply."])]
    predictions = model.predict(items)
    assert [p.provision_id for p in predictions] == ["0", "1", "2"]
    assert predictions[0].labels == () and predictions[0].scores == {} and predictions[1].labels


def test_training_is_reproducible(small_training_set, saved_model: Path, tmp_path: Path) -> None:
    examples, _documents, paragraphs = small_training_set
    again = tmp_path / "again"
    fit_classifier(examples, version="test-1", paragraphs=paragraphs).save(again)
    assert (again / "config.json").read_text() == (saved_model / "config.json").read_text()
    assert (again / "vocabularies.json").read_text() == (saved_model / "vocabularies.json").read_text()
    first = TrainedClassifier.load(saved_model).predict(PROVISIONS)
    second = TrainedClassifier.load(again).predict(PROVISIONS)
    assert first == second


def test_the_trusted_types_are_exactly_what_the_training_code_builds(saved_model: Path) -> None:
    """The fixed trust set cannot drift from the estimators: a model trained by the real
    training code (every pipeline, the paragraph one included) and the shipped models hold
    no type outside it, and between them use every type in it."""
    used = archive_types(saved_model / "model.skops")
    assert used <= TRUSTED_TYPES, sorted(used - TRUSTED_TYPES)
    assert {"pipeline.classify.features.ModalityFeatures", "pipeline.classify.features.CueFeatures"} <= used
    shipped = set().union(*(archive_types(p / "model.skops") for p in (MODELS_DIR / "norm-classifier").iterdir()
                            if (p / "model.skops").exists()))
    assert shipped <= TRUSTED_TYPES, sorted(shipped - TRUSTED_TYPES)
    assert used | shipped == TRUSTED_TYPES, sorted(TRUSTED_TYPES - used - shipped)


def test_save_pins_the_model_files(saved_model: Path) -> None:
    manifest = json.loads((saved_model / "manifest.json").read_text())["sha256"]
    assert set(manifest) == {"model.skops", "vocabularies.json", "config.json"}
    assert manifest["model.skops"] == file_digest(saved_model / "model.skops")


def test_vocabularies_live_beside_the_archive_and_must_fit_it(saved_model: Path, tmp_path: Path) -> None:
    vocabularies = json.loads((saved_model / "vocabularies.json").read_text())
    assert set(vocabularies) == {"labels/words", "labels/heading", "bindingness/words", "paragraphs/words"}
    assert all(len(terms) == len(set(terms)) > 0 for terms in vocabularies.values())
    broken = tmp_path / "broken"
    shutil.copytree(saved_model, broken)
    vocabularies["labels/words"] = vocabularies["labels/words"][:-1]
    (broken / "vocabularies.json").write_text(json.dumps(vocabularies))
    pin(broken)  # past the checksums: the vocabulary's own check
    with pytest.raises(ModelError, match="labels/words vocabulary has"):
        TrainedClassifier.load(broken)
    (broken / "vocabularies.json").unlink()
    with pytest.raises(ModelError, match="vocabularies.json: missing"):
        TrainedClassifier.load(broken)


def test_missing_model_files_are_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="cybernorms train"):
        TrainedClassifier.load(tmp_path)


def test_grouped_cross_validation_reports_model_and_baseline(small_training_set) -> None:
    examples, documents, paragraphs = small_training_set
    outcomes = cross_validate(examples, documents, paragraphs, folds=2)
    # Every annotated provision is scored exactly once, by a model that never saw its agreement.
    assert sorted((o.agreement, o.source_provision_id) for o in outcomes.trained.provisions) == sorted(
        (e.annotation.source_id, e.annotation.source_provision_id) for e in examples)
    assert {a.agreement for a in outcomes.trained.agreements} == {e.annotation.source_id for e in examples
                                                                  if e.annotation.labels}
    report = summarise(outcomes, samples=50)
    assert report["agreements"] == len(SUBSET)
    trained, baseline = report["trained"], report["lexicon_baseline"]
    assert trained["bindingness_n"] == report["labelled_provisions"] == sum(bool(e.annotation.labels) for e in examples)
    assert trained["micro_f1"] > baseline["micro_f1"]
    low, high = trained["intervals"]["micro_f1"]
    assert low < trained["micro_f1"] < high
    # Bindingness end to end never exceeds bindingness where the model labelled the provision.
    assert trained["bindingness_accuracy"] <= trained["bindingness_accuracy_when_labelled"]
    assert metrics(outcomes.trained)["micro_f1"] == trained["micro_f1"]


def test_the_shipped_model_is_the_default() -> None:
    directory = latest_model_dir()
    assert directory is not None and (directory / "MODEL_CARD.md").exists() and (directory / "metrics.json").exists()
    load_classifier.cache_clear()
    classifier = load_classifier("default")
    assert classifier.version.startswith("norm-classifier-")
    prediction = classifier.predict([PROVISIONS[0]])[0]
    assert "customs_duties_electronic_transmissions" in prediction.labels


def test_a_model_is_given_the_features_it_was_trained_with(saved_model: Path) -> None:
    """Models 1.0.0 and 1.1.0 saw cited articles' titles and had no privacy-safeguard sentences:
    loaded, they keep that (config without "features"); 1.2.0 keeps features 2 (cue rules even in
    definitions articles), 1.3.0 features 3 (whole-paragraph bindingness, "XIV bis" as two words), 1.4.0
    features 4 (labels whatever the heading), 1.5.0 features 5 (labels placed on paragraphs by cue
    phrases only), 1.6.0 features 6 (no GATS Article XIV rule), 1.7.0 features 7 (a passing mention's
    middling model score still decides it), 1.8.0 features 8 (cue phrases only, no concept patterns), 1.9.0
    features 9 (no safeguard wording with lost spaces), 1.11.0 features 11 (run-together words left as
    they are); a model trained now records features 12."""
    assert json.loads((saved_model / "config.json").read_text())["features"] == 12
    assert TrainedClassifier.load(saved_model).features == 12
    assert TrainedClassifier.load(MODELS_DIR / "norm-classifier" / "1.11.0").features == 11
    assert TrainedClassifier.load(MODELS_DIR / "norm-classifier" / "1.9.0").features == 9
    assert TrainedClassifier.load(MODELS_DIR / "norm-classifier" / "1.7.0").features == 7
    assert TrainedClassifier.load(MODELS_DIR / "norm-classifier" / "1.8.0").features == 8
    assert TrainedClassifier.load(MODELS_DIR / "norm-classifier" / "1.6.0").features == 6
    assert TrainedClassifier.load(MODELS_DIR / "norm-classifier" / "1.5.0").features == 5
    assert TrainedClassifier.load(MODELS_DIR / "norm-classifier" / "1.4.0").features == 4
    assert TrainedClassifier.load(MODELS_DIR / "norm-classifier" / "1.3.0").features == 3
    older = MODELS_DIR / "norm-classifier" / "1.1.0"
    assert "features" not in json.loads((older / "config.json").read_text())
    assert TrainedClassifier.load(older).features == 1
    assert TrainedClassifier.load(MODELS_DIR / "norm-classifier" / "1.2.0").features == 2


def test_prediction_drops_what_the_heading_rules_out(saved_model: Path) -> None:
    """A definitions article names every topic it defines; the taxonomy gives it no label (heading_rules)."""
    model = TrainedClassifier.load(saved_model)
    assert model.features >= 5
    headings = {"article": provision_heading("Cross-Border Transfer Of Information", "Electronic Commerce"),
                "definitions": provision_heading("Definitions", "Electronic Commerce"),
                "none": ""}
    data_flows = ("Each Party shall allow the cross-border transfer of information by electronic means, including "
                  "personal information, when this activity is for the conduct of the business of a covered person.")
    predictions = {p.provision_id: p for p in model.predict(
        [ClassifierInput(key, data_flows, "en", heading) for key, heading in headings.items()])}
    assert "cross_border_data_flows" in predictions["article"].labels
    assert "cross_border_data_flows" in predictions["none"].labels
    assert predictions["definitions"].labels == () and predictions["definitions"].bindingness is None
    # The model's scores are kept for the analyst; only the decision is ruled out.
    assert predictions["definitions"].scores.get("cross_border_data_flows", 0) > 0
    # A model trained before the rule (features 4) keeps deciding as it was measured.
    older = TrainedClassifier.load(MODELS_DIR / "norm-classifier" / "1.4.0")
    definitions = ClassifierInput("definitions", data_flows, "en", headings["definitions"])
    assert "cross_border_data_flows" in older.predict([definitions])[0].labels
