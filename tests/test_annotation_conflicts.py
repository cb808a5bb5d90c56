"""Annotation conflicts: near-identical provisions coded differently (pipeline.classify.consistency)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.classify.annotations import AnnotatedProvision, Annotation, load_annotations
from pipeline.classify.consistency import annotation_conflicts
from pipeline.cli import app
from tests.conftest import holdout_ids

FOCAL_POINT = ("1. Each Party shall ensure that its customs procedures and practices are predictable, consistent, "
               "transparent and facilitate trade. 2. Each Party shall endeavour to provide a focal point, electronic "
               "or otherwise, through which its traders may submit all required regulatory information in order to "
               "obtain clearance, including release, of goods, in accordance with the Revised Kyoto Convention.")
DIGITAL_PRODUCTS = ("Neither Party may impose customs duties, fees, or other charges on or in connection with the "
                    "importation or exportation of digital products by electronic transmission.")


def provision(source_id: str, text: str, labels: tuple[str, ...] = (), bindingness: str | None = None,
              heading: str = "Facilitation | Customs") -> AnnotatedProvision:
    annotation = Annotation(source_id, f"{source_id}0", labels, bindingness if labels else None)
    return AnnotatedProvision(annotation, text, "en", f"tota:{source_id}", heading)


def test_a_template_article_coded_two_ways_is_one_conflict() -> None:
    labelled = provision("1", FOCAL_POINT, ("paperless_trading",), "soft")
    unlabelled = provision("2", FOCAL_POINT.replace("Each Party", "Each Signatory"))
    alike = provision("3", FOCAL_POINT.replace("Kyoto", "Kyoto (1999)"), ("paperless_trading",), "soft")
    unrelated = provision("4", DIGITAL_PRODUCTS, ("customs_duties_electronic_transmissions",), "hard")

    found = annotation_conflicts([labelled, unlabelled, alike, unrelated])

    pairs = {frozenset({c.first.agreement_id, c.second.agreement_id}) for c in found}
    assert pairs == {frozenset({"tota:1", "tota:2"}), frozenset({"tota:2", "tota:3"})}
    assert all(c.labels_differ and c.similarity >= 0.9 for c in found)
    assert found == sorted(found, key=lambda c: -c.similarity)


def test_the_same_labels_with_another_bindingness_conflict_but_two_unlabelled_texts_do_not() -> None:
    hard = provision("1", DIGITAL_PRODUCTS, ("customs_duties_electronic_transmissions",), "hard")
    soft = provision("2", DIGITAL_PRODUCTS, ("customs_duties_electronic_transmissions",), "soft")
    (conflict,) = annotation_conflicts([hard, soft])
    assert conflict.bindingness_differs and not conflict.labels_differ
    assert conflict.as_record()["first"]["bindingness"] == "hard"
    assert conflict.as_record()["second"]["text"] == DIGITAL_PRODUCTS

    assert annotation_conflicts([provision("1", DIGITAL_PRODUCTS), provision("2", DIGITAL_PRODUCTS)]) == []


def test_the_similarity_threshold_decides() -> None:
    first = provision("1", FOCAL_POINT, ("paperless_trading",), "soft")
    # Half the article rewritten: alike, but not a copy of one template.
    second = provision("2", FOCAL_POINT[:150] + " Each Party shall publish its customs laws on the internet.")
    assert annotation_conflicts([first, second]) == []
    assert len(annotation_conflicts([first, second], similarity=0.3)) == 1
    with pytest.raises(ValueError, match="similarity"):
        annotation_conflicts([first, second], similarity=0)


def test_the_annotations_hold_no_unreviewed_template_conflicts(tota_dir: Path) -> None:
    """Every pair the ToTA annotations give at 0.9 was read against the taxonomy: the texts differ
    where it matters ("may" / "shall", "endeavour", a privacy clause or footnote, GATT XX / GATS XIV, a
    listed topic, the chapter), or the pair is the paragraph-level `mixed` convention the model card
    states (tota:144 against tota:387). A new pair needs the same reading before it is added here."""
    examples, _ = load_annotations(tota_dir, holdout=holdout_ids())
    reviewed = {
        ("tota:101:9541", "tota:326:23709"), ("tota:112:10509", "tota:326:23709"),
        ("tota:141:11931", "tota:151:13861"), ("tota:142:12271", "tota:329:24141"),
        ("tota:144:12382", "tota:387:30790"), ("tota:144:12385", "tota:387:30793"),
        ("tota:144:12538", "tota:387:30954"), ("tota:144:12539", "tota:387:30955"),
        ("tota:145:12724", "tota:368:27760"), ("tota:145:12724", "tota:392:32007"),
        ("tota:145:12724", "tota:428:37622"), ("tota:146:13103", "tota:396:33015"),
        ("tota:333:24558", "tota:436:38371"), ("tota:335:24890", "tota:8:696"),
        ("tota:35:4802", "tota:49:6000"), ("tota:35:4802", "tota:71:7946"), ("tota:36:5018", "tota:36:5019"),
        ("tota:379:28821", "tota:380:29083"), ("tota:392:31987", "tota:428:37603"),
        ("tota:408:35034", "tota:436:38371"), ("tota:416:36020", "tota:416:36059"),
        ("tota:428:37408", "tota:428:37470"), ("tota:428:37419", "tota:428:37469"),
        ("tota:436:38371", "tota:8:752"),
    }
    found = {tuple(sorted((f"{c.first.agreement_id}:{c.first.annotation.source_provision_id}",
                           f"{c.second.agreement_id}:{c.second.annotation.source_provision_id}")))
             for c in annotation_conflicts(examples)}
    assert found - reviewed == set()


def test_the_cli_writes_every_pair_with_both_texts(tmp_path: Path, tota_dir: Path) -> None:
    target = tmp_path / "conflicts.jsonl"
    result = CliRunner().invoke(app, ["annotations", "--conflicts", str(target)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert rows and f"{len(rows)} pairs of near-identical provisions" in " ".join(result.output.split())
    assert all(r["similarity"] >= 0.9 and r["first"]["text"] and r["second"]["text"] for r in rows)
    assert all(r["labels_differ"] or r["bindingness_differs"] for r in rows)

    bad = CliRunner().invoke(app, ["annotations", "--conflicts", str(target), "--similarity", "1.5"])
    assert bad.exit_code != 0 and "similarity" in bad.output
