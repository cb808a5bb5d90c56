"""What every exported column means and which values it takes: the codebook of the exports."""

from __future__ import annotations

from pipeline.taxonomy import LABELS

BINDINGNESS_VALUES = "hard = only binding commitments; soft = only hortatory or cooperative language; mixed = both"
CODE_VALUES = "0 = none; 1 = soft; 2 = mixed; 3 = hard"
YEAR_NOTE = "year the treaty is dated by (default: vintage, the year of the text held)"

# column -> (meaning, values)
COLUMNS: dict[str, tuple[str, str]] = {
    "provision_id": ("id of the provision (article): <agreement_id>:<ordinal>", "text"),
    "agreement_id": ("id of the agreement text: <source>:<source_id>, e.g. tota:449", "text"),
    "treaty_id": ("id of the treaty (language versions of one agreement grouped)", "text, e.g. trans-pacific-partnership-2016"),
    "source": ("where the text came from", "tota, pdf, html, text"),
    "source_id": ("ToTA treaty_identifier, or the manifest id / file stem", "text"),
    "source_provision_id": ("ToTA article_identifier; empty for other sources", "text"),
    "agreement_name": ("agreement name as published", "text"),
    "name": ("treaty or agreement name as published", "text"),
    "treaty_name": ("name of the treaty", "text"),
    "date_signed": ("date of signature as published in the metadata", "date"),
    "year": ("year: in clauses the year of signature; in adoption tables the " + YEAR_NOTE, "year"),
    "year_signed": ("year of signature as published in the metadata", "year"),
    "vintage_year": ("year of the text actually held (signature clauses, dated citations, metadata)", "year"),
    "vintage_basis": ("what decided the vintage year", "signature clause, cited instruments, text dates, metadata"),
    "evidence": ("the dates and citations behind the vintage year", "text"),
    "date_in_force": ("date of entry into force as published", "date"),
    "parties": ("parties (ISO 3166-1 alpha-3 codes)", "codes joined with '; ' in CSV/Excel/Stata"),
    "language": ("language of the text (ISO 639-1)", "en, es, fr, ..."),
    "language_versions": ("agreement ids of every version of the treaty", "ids joined with '; '"),
    "authoritative_agreement_id": ("the version counted and shown (English where present)", "agreement id"),
    "composition": ("WTO/ToTA composition", "Bilateral, Plurilateral, ..."),
    "region": ("ToTA region(s)", "text; several joined with '; '"),
    "type": ("WTO RTA type", "text"),
    "chapter": ("chapter title", "text"),
    "article_no": ("article number without the word 'Article'", "text, e.g. 14.11"),
    "article_title": ("article heading", "text"),
    "text": ("exact text of the article", "text"),
    "labels": ("cyber-norm labels of the provision (taxonomy v1.3)", "label ids joined with '; '"),
    "bindingness": ("legalization of the provision", BINDINGNESS_VALUES),
    "instruments": ("international instruments the provision cites", "canonical names joined with '; '"),
    "model_version": ("the classifier that produced labels and bindingness", "text"),
    "norm": ("cyber-norm label id (taxonomy v1.3; see the labels sheet)", "label id"),
    "treaties": ("number of treaties (language versions counted once)", "count"),
    "year_treaties": ("number of treaties dated to that year", "count"),
    "share": ("treaties / treaties of that year (or group)", "0-1; empty when there is no treaty that year"),
    "cumulative": ("treaties containing the norm up to and including that year", "count"),
    "hard": ("treaties of that year whose provisions on the norm are all hard", "count"),
    "mixed": ("treaties of that year with the norm coded mixed (both kinds, or hard and soft provisions)", "count"),
    "soft": ("treaties of that year whose provisions on the norm are all soft", "count"),
    "hard_share": ("share of the year's treaties with the norm whose commitments are all hard", "0-1"),
    "later_treaties": ("other dated treaties containing the norm since its first adopter", "count"),
    "first_year": ("first year a treaty contains it", "year"),
    "first_treaty_id": ("first treaty containing it", "treaty id"),
    "party": ("party (ISO 3166-1 alpha-3)", "code"),
    "iso3_a": ("first party of the pair (alphabetically)", "ISO 3166-1 alpha-3"),
    "iso3_b": ("second party of the pair", "ISO 3166-1 alpha-3"),
    "treaty_ids": ("treaties in force between the pair that contain the norm", "ids joined with '; '"),
    "instrument": ("canonical name of a cited international instrument or body", "text"),
    "adopted": ("year the instrument was adopted (or the body established), where it has one", "year"),
    "provisions": ("labelled provisions citing it", "count"),
    "parent_provision_id": ("the most similar earlier provision with the same norm in another treaty", "provision id"),
    "parent_treaty_id": ("treaty of the parent provision", "treaty id"),
    "parent_year": ("vintage year of the parent provision's treaty", "year"),
    "similarity": ("Jaccard similarity of 5-character shingles", "0-1"),
}
for _label in LABELS:
    COLUMNS[_label.id] = (f"{_label.topic}: the treaty's bindingness for this norm (TAPED-style)", CODE_VALUES)


def meaning(column: str) -> tuple[str, str]:
    return COLUMNS.get(column, ("", ""))
