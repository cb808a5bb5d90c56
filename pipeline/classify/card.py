"""Model card and metrics.json for a trained model, written from the evaluation results."""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.taxonomy import LABEL_IDS, TAXONOMY_VERSION

TARGETS = {"micro_f1": 0.85, "macro_f1": 0.75, "agreement_f1": 0.95, "bindingness_accuracy": 0.85}


def write_metrics(directory: Path, report: dict) -> None:
    (directory / "metrics.json").write_text(json.dumps(report, indent=2, sort_keys=True) + "\n")


def _row(name: str, metrics: dict) -> str:
    return (f"| {name} | {metrics['micro_f1']:.3f} | {metrics['macro_f1']:.3f} | {metrics['agreement_f1']:.3f} | "
            f"{metrics['bindingness_accuracy']:.3f} | {metrics['instruments_precision']:.3f} / "
            f"{metrics['instruments_recall']:.3f} |")


def write_model_card(directory: Path, report: dict, config: dict, training: dict) -> None:
    trained, text_only, baseline = report["trained"], report["trained_text_only"], report["lexicon_baseline"]
    rules = config["rules"]
    lines = [
        f"# Model card: {config['version']}",
        "",
        "Multi-label classifier of trade-agreement provisions into the cybernorms taxonomy "
        f"(v{TAXONOMY_VERSION}, 19 labels), with bindingness (hard / soft / mixed) and referenced instruments.",
        "",
        "## Data",
        f"- {training['provisions']} expert-annotated provisions ({training['labelled_provisions']} with at least one label) "
        f"from {training['agreements']} ToTA agreements; languages: "
        + ", ".join(f"{lang} {n}" for lang, n in sorted(report["languages"].items())) + ".",
        "- Annotations: `corpora/annotations/` (ids and labels only; text joined from the ToTA corpus). "
        "No agreement of `../shared/corpora/holdout.txt` is used.",
        f"- Annotation data sha256: `{training['annotations_sha256']}`.",
        "",
        "## Method",
        "- Screening: articles without any cyber stem (`pipeline/nlp/screen.py`) get no label.",
        "- Features: word 1-2-gram TF-IDF of the text; 1-2-gram TF-IDF of the heading (article and chapter "
        "title, when the source has them); log counts of each label's lexicon cue phrases (the phrases of the spaCy "
        "cue matchers, found by a phrase automaton; English and Spanish lexicons map to the same labels).",
        "- One logistic regression per label (liblinear, balanced classes) for labels with at least "
        f"{training['min_positives']} positive provisions; every provision is trained on twice, with and without "
        "its heading, so bare text (`cybernorms classify`) works too.",
        "- Per-label decision rule chosen on grouped out-of-fold predictions inside the training data: the model "
        "with a tuned threshold, the spaCy cue rule, or either (rare labels always use the cue rule).",
        "- Bindingness: logistic regression over word 1-3-grams and the rule-based clause counts "
        "(`pipeline/nlp/bindingness.py`). Instruments: the spaCy phrase matcher with canonical names.",
        f"- Seed {report['seed']}; `cybernorms train` rebuilds the same model from the same annotations (identical "
        "`config.json`, `vocabularies.json`, metrics and predictions; only the skops archive's internal member "
        "names differ). Files: `model.skops` (the scikit-learn pipelines, loaded with skops trusting only the "
        "types listed in `config.json`), `vocabularies.json` (the TF-IDF terms, kept out of the archive, where "
        "decoding them took most of the model's load time), `config.json` (labels, decision rules, version), `metrics.json`.",
        "",
        "## Metrics",
        f"Grouped {report['folds']}-fold cross-validation: no agreement is in both the training and the test part "
        "of a fold; the decision rules are tuned inside each training part only. Agreement-level F1 runs the model "
        "over every article of each held-out agreement. The lexicon baseline is scored in the same folds. "
        "Reproduce with `cybernorms evaluate`.",
        "",
        "| model | micro-F1 | macro-F1 | agreement F1 | bindingness acc. | instruments P / R |",
        "|---|---|---|---|---|---|",
        _row("trained (text + headings, as in a refresh)", trained),
        _row("trained (bare text, as `classify` without titles)", text_only),
        _row("lexicon baseline (spaCy cue matchers)", baseline),
        "",
        f"Targets: micro-F1 ≥ {TARGETS['micro_f1']}, macro-F1 ≥ {TARGETS['macro_f1']}, agreement F1 ≥ "
        f"{TARGETS['agreement_f1']}, bindingness accuracy ≥ {TARGETS['bindingness_accuracy']}. Macro-F1 averages "
        f"the {trained['macro_f1_labels']} labels that have at least one annotated provision.",
        "",
        "### Per label (trained, text + headings)",
        "| label | decision rule (final model) | support | precision | recall | F1 | baseline F1 |",
        "|---|---|---|---|---|---|---|",
    ]
    for label in LABEL_IDS:
        m, b, rule = trained["per_label"][label], baseline["per_label"][label], rules[label]
        decided = rule["strategy"] + (f" @ {rule['threshold']:.3f}" if rule["strategy"] != "rule" else "")
        lines.append(f"| {label} | {decided} | {m['support']} | {m['precision']:.3f} | {m['recall']:.3f} | "
                     f"{m['f1']:.3f} | {b['f1']:.3f} |")
    lines += [
        "",
        "## Limits",
        "- The corpus ends in 2016: source code, data localisation, internet access, open government data, "
        "cybercrime and emerging technologies have (almost) no annotated examples; they rely on the cue rules, "
        "and their figures above rest on a handful of provisions or none.",
        "- OCR errors and footnotes that ToTA attaches to the wrong article are classified as they stand.",
        "- French texts (2 in ToTA) are classified with the English lexicon and vocabulary; no French annotations.",
        "- Bindingness is judged on the whole article, whereas annotators judged the labelled paragraphs.",
        "- The cue lexicons were revised once after reading cross-validation errors on the annotated "
        "(non-hold-out) agreements, so the figures above carry a small optimistic bias; the hold-out agreements "
        "were never read.",
        "- All annotated agreements predate 2017; newer drafting (digital economy agreements) is covered only "
        "as far as the cue rules and the shared vocabulary reach.",
    ]
    (directory / "MODEL_CARD.md").write_text("\n".join(lines) + "\n")
