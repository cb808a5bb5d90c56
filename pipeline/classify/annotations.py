"""Expert annotations: ids and labels in corpora/annotations/, text joined from the corpus.

Annotation files hold no article text (the corpus licence and the label contract keep
them apart); `load_annotations` reads the matching ToTA files to attach it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from pipeline.classify.base import provision_heading
from pipeline.errors import CybernormsError
from pipeline.model import Document
from pipeline.nlp.paragraphs import PARAGRAPH_CLASSES, Paragraph, split_paragraphs
from pipeline.sources.tota import read_tota_file
from pipeline.taxonomy import BINDINGNESS_VALUES, validate_labels

ANNOTATIONS_DIR = Path(__file__).resolve().parents[2] / "corpora" / "annotations"


@dataclass(frozen=True, slots=True)
class Annotation:
    source_id: str
    source_provision_id: str
    labels: tuple[str, ...]
    bindingness: str | None
    instruments: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True, slots=True)
class AnnotatedProvision:
    annotation: Annotation
    text: str
    lang: str
    agreement_id: str
    heading: str = ""


def read_annotation_files(directory: Path = ANNOTATIONS_DIR) -> list[Annotation]:
    """Every annotation line, validated against the label contract."""
    annotations: list[Annotation] = []
    seen: set[tuple[str, str]] = set()
    files = sorted(directory.glob("tota_*.jsonl"))
    if not files:
        raise CybernormsError(f"{directory}: no annotation files (tota_*.jsonl)")
    for path in files:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                labels = validate_labels(record["labels"])
                bindingness = record.get("bindingness")
                if bool(labels) != (bindingness in BINDINGNESS_VALUES):
                    raise ValueError("bindingness must be hard/soft/mixed exactly when labels is not empty")
                key = (str(record["source_id"]), str(record["source_provision_id"]))
            except (json.JSONDecodeError, KeyError, ValueError) as exc:
                raise CybernormsError(f"{path}:{number}: invalid annotation: {exc}") from exc
            if key in seen:
                raise CybernormsError(f"{path}:{number}: provision {key} is annotated twice")
            seen.add(key)
            annotations.append(Annotation(key[0], key[1], labels, bindingness,
                                          tuple(record.get("instruments") or ()), record.get("note") or ""))
    return annotations


def read_holdout(path: Path) -> set[str]:
    if not path.exists():
        return set()
    return {line.split("\t")[0].strip() for line in path.read_text().splitlines() if line[:1].isdigit()}


def load_annotations(corpus_dir: Path, directory: Path = ANNOTATIONS_DIR,
                     holdout: set[str] = frozenset()) -> tuple[list[AnnotatedProvision], dict[str, Document]]:
    """Annotated provisions with their text, and the full documents they come from."""
    annotations = read_annotation_files(directory)
    leaked = sorted({a.source_id for a in annotations} & set(holdout))
    if leaked:
        raise CybernormsError(f"{directory}: annotations of hold-out agreements {leaked} must not be used")
    documents: dict[str, Document] = {}
    provisions = {}
    for source_id in sorted({a.source_id for a in annotations}, key=int):
        document = read_tota_file(corpus_dir / f"pta_{source_id}.xml")
        documents[source_id] = document
        for provision in document.provisions:
            provisions[(source_id, provision.source_provision_id)] = (provision, document)
    joined = []
    for annotation in annotations:
        key = (annotation.source_id, annotation.source_provision_id)
        if key not in provisions:
            raise CybernormsError(f"annotation {key}: no such article in {corpus_dir}")
        provision, document = provisions[key]
        joined.append(AnnotatedProvision(annotation, provision.text, document.agreement.language or "en",
                                         document.agreement.id,
                                         provision_heading(provision.article_title, provision.chapter)))
    return joined, documents


PARAGRAPHS_DIR = ANNOTATIONS_DIR / "paragraphs"


@dataclass(frozen=True, slots=True)
class AnnotatedParagraph:
    """One paragraph of a labelled provision (as `split_paragraphs` cuts it) with its own
    bindingness class and the provision labels it carries."""

    provision: AnnotatedProvision
    paragraph: Paragraph
    bindingness: str  # binding | weak | hortatory | neither
    labels: tuple[str, ...]

    @property
    def text(self) -> str:
        return self.provision.text[self.paragraph.start:self.paragraph.end]


def load_paragraph_annotations(examples: list[AnnotatedProvision],
                               directory: Path = PARAGRAPHS_DIR) -> list[AnnotatedParagraph]:
    """Paragraph annotations joined to their provisions, checked against the splitter: each row
    must name a paragraph the splitter finds at the same offset, within a labelled provision."""
    by_key = {(e.annotation.source_id, e.annotation.source_provision_id): e for e in examples}
    agreements = {e.annotation.source_id for e in examples}
    rows: list[AnnotatedParagraph] = []
    seen: set[tuple[str, str, int]] = set()
    for path in sorted(directory.glob("tota_*.jsonl")):
        if path.stem.removeprefix("tota_") not in agreements:
            continue  # an agreement left out of this training set (a subset, a fold)
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                key = (str(record["source_id"]), str(record["source_provision_id"]))
                index, start = int(record["paragraph"]), int(record["start"])
                bindingness = record["bindingness"]
                labels = validate_labels(record.get("labels") or [])
            except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
                raise CybernormsError(f"{path}:{number}: invalid paragraph annotation: {exc}") from exc
            example = by_key.get(key)
            if example is None or not example.annotation.labels:
                raise CybernormsError(f"{path}:{number}: provision {key} is not a labelled annotated provision")
            paragraphs = split_paragraphs(example.text)
            if not 0 <= index < len(paragraphs) or paragraphs[index].start != start:
                raise CybernormsError(f"{path}:{number}: paragraph {index} at {start} is not where the splitter puts it "
                                      "(re-annotate it from `split_paragraphs`)")
            if bindingness not in PARAGRAPH_CLASSES:
                raise CybernormsError(f"{path}:{number}: bindingness {bindingness!r} is not one of {PARAGRAPH_CLASSES}")
            if not set(labels) <= set(example.annotation.labels):
                raise CybernormsError(f"{path}:{number}: labels {labels} are not all labels of the provision")
            if (*key, index) in seen:
                raise CybernormsError(f"{path}:{number}: paragraph {index} of {key} is annotated twice")
            seen.add((*key, index))
            rows.append(AnnotatedParagraph(example, paragraphs[index], bindingness, labels))
    return rows
