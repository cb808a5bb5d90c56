"""Treaties, not files: language versions and copies of one agreement are one treaty.

ToTA holds the TPP twice (449 in English, 450 in Spanish); counted per file it enters every
table twice. Versions are grouped when

- their names agree once a language suffix ("(en)", "(es)", "- Spanish version") and case,
  punctuation and spacing are set aside, and their dates of signature and parties agree; or
- the manifest declares them one treaty (`treaty` key: the same value, or the id of the
  agreement to join).

The English version is authoritative (counted, shown, its metadata used) where there is one,
else the first by source ('tota' first) and id. treaty_id is readable and stable across
refreshes: the declared value, else the normalised name and the year signed
('trans-pacific-partnership-2016'); a clash between different treaties adds the full date,
then the authoritative agreement id.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from pipeline.analytics.records import as_date, declared, is_list

if TYPE_CHECKING:  # pandas only for the DataFrame wrappers: the incremental rebuild does without
    import pandas as pd

TREATY_COLUMNS = [
    "treaty_id", "name", "date_signed", "year_signed", "vintage_year", "date_in_force", "parties", "composition",
    "region", "type", "language_versions", "authoritative_agreement_id",
]

_LANGUAGE_SUFFIX = re.compile(
    r"\s*(?:\(\s*(?:en|es|fr|english|spanish|french|español|espanol|français|francais)\s*\)"
    r"|[-–—,]\s*(?:english|spanish|french)(?:\s+(?:version|text))?"
    r"|\b(?:english|spanish|french)\s+(?:version|text))\s*$",
    re.IGNORECASE,
)


def normalised_name(name: str) -> str:
    """Name without language suffix, accents, case or punctuation: 'Trans-Pacific Partnership (es)'
    -> 'trans pacific partnership'."""
    base = _LANGUAGE_SUFFIX.sub("", name or "")
    base = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode("ascii").lower()
    return " ".join(re.findall(r"[a-z0-9]+", base))


def slug(text: str) -> str:
    return "-".join(re.findall(r"[a-z0-9]+", unicodedata.normalize("NFKD", text).encode("ascii", "ignore")
                               .decode("ascii").lower())) or "treaty"


def treaty_versions(agreements: pd.DataFrame) -> pd.DataFrame:
    """agreement_id, treaty_id, authoritative for every agreement.

    agreements: agreement_id, source, name, date_signed, parties, language, treaty.
    """
    import pandas as pd

    if agreements.empty:
        return pd.DataFrame({"agreement_id": pd.Series(dtype=str), "treaty_id": pd.Series(dtype=str),
                             "authoritative": pd.Series(dtype=bool)})
    rows = version_rows(agreements.to_dict("records"))  # .loc per agreement costs 0.4 s
    return pd.DataFrame(rows, columns=["agreement_id", "treaty_id", "authoritative"])


def version_rows(agreements: Iterable[Mapping]) -> list[tuple[str, str, bool]]:
    """(agreement_id, treaty_id, authoritative) for every agreement, grouped over all of them
    (pure; DataFrame records or DuckDB rows as dicts alike).

    The grouping and the treaty ids are global: a new version can join two groups, and an id
    clash is settled in the order of the groups, so both rebuilds run this over every live
    agreement (metadata only: milliseconds for ToTA).
    """
    by_id = {r["agreement_id"]: r for r in agreements}
    ids = list(by_id)
    parent = {a: a for a in ids}

    def find(a: str) -> str:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    key_owner: dict[tuple, str] = {}
    declared_owner: dict[str, str] = {}
    for agreement_id, row in by_id.items():
        parties = tuple(sorted(row["parties"])) if is_list(row["parties"]) else ()
        key = (normalised_name(row["name"]), as_date(row["date_signed"]), parties)
        union(agreement_id, key_owner.setdefault(key, agreement_id))
        treaty = declared(row.get("treaty"))
        if treaty:
            if treaty in parent:  # "tota:449": join that agreement's treaty
                union(agreement_id, treaty)
            union(agreement_id, declared_owner.setdefault(treaty.lower(), agreement_id))
    groups: dict[str, list[str]] = {}
    for a in ids:
        groups.setdefault(find(a), []).append(a)
    rows, taken = [], {}
    for members in sorted(groups.values(), key=lambda m: sorted(m)):
        chosen = min(members, key=lambda a: _authority_rank(by_id[a], a))
        treaty = next((d for d in (declared(by_id[a].get("treaty")) for a in sorted(members))
                       if d and d not in parent), None)
        treaty_id = _unique_id(treaty, by_id[chosen], chosen, taken)
        for a in members:
            rows.append((a, treaty_id, a == chosen))
    return rows


def _authority_rank(row: dict, agreement_id: str) -> tuple:
    return (row["language"] != "en", row["source"] != "tota", agreement_id)


def _unique_id(declared: str | None, row: dict, agreement_id: str, taken: dict[str, str]) -> str:
    if declared:
        candidates = [slug(declared)]
    else:
        base = slug(normalised_name(row["name"]))
        date = as_date(row["date_signed"])
        candidates = [f"{base}-{date.year}", f"{base}-{date.isoformat()}"] if date else [f"{base}-undated"]
    candidates.append(f"{candidates[0]}-{slug(agreement_id)}")
    for candidate in candidates:
        if candidate not in taken:
            taken[candidate] = agreement_id
            return candidate
    raise AssertionError("agreement ids are unique, so the last candidate is")


def treaties_table(agreements: pd.DataFrame, versions: pd.DataFrame, vintage: pd.DataFrame) -> pd.DataFrame:
    """One row per treaty (TREATY_COLUMNS), its metadata from the authoritative version."""
    import pandas as pd

    if versions.empty:
        return pd.DataFrame(columns=TREATY_COLUMNS)
    merged = versions.merge(agreements, on="agreement_id").merge(vintage[["agreement_id", "vintage_year"]],
                                                                  on="agreement_id", how="left")
    language_versions = merged.sort_values("agreement_id").groupby("treaty_id")["agreement_id"].agg(list)
    head = merged[merged["authoritative"]].set_index("treaty_id")
    table = pd.DataFrame({
        "treaty_id": head.index,
        "name": head["name"].values,
        "date_signed": head["date_signed"].values,
        "year_signed": pd.to_datetime(head["date_signed"]).dt.year.astype("Int64").values,
        "vintage_year": head["vintage_year"].astype("Int64").values,
        "date_in_force": head["date_in_force"].values,
        "parties": [list(p) if is_list(p) else [] for p in head["parties"]],
        "composition": head["composition"].values,
        "region": head["region"].values,
        "type": head["type"].values,
        "language_versions": [language_versions[t] for t in head.index],
        "authoritative_agreement_id": head["agreement_id"].values,
    })
    return table.sort_values("treaty_id", ignore_index=True)


def treaty_rows(agreements: Mapping[str, Mapping], versions: Iterable[tuple[str, str, bool]],
                vintage_years: Mapping[str, int | None], treaty_ids: set[str]) -> list[tuple]:
    """The rows of `treaties_table` (TREATY_COLUMNS, as plain values) for the treaties named,
    from agreements by id, all version rows and the vintage year of every agreement (pure;
    what the incremental rebuild writes for the treaties a refresh touched)."""
    members: dict[str, list[str]] = {}
    heads: dict[str, str] = {}
    for agreement_id, treaty_id, authoritative in versions:
        if treaty_id in treaty_ids:
            members.setdefault(treaty_id, []).append(agreement_id)
            if authoritative:
                heads[treaty_id] = agreement_id
    rows = []
    for treaty_id in sorted(heads):
        head_id = heads[treaty_id]
        head = agreements[head_id]
        signed = as_date(head["date_signed"])
        rows.append((
            treaty_id, head["name"], signed, signed.year if signed else None, vintage_years.get(head_id),
            as_date(head["date_in_force"]), list(head["parties"]) if is_list(head["parties"]) else [],
            head["composition"], head["region"], head["type"], sorted(members[treaty_id]), head_id,
        ))
    return rows
