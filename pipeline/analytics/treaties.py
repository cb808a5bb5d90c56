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
    if agreements.empty:
        return pd.DataFrame({"agreement_id": pd.Series(dtype=str), "treaty_id": pd.Series(dtype=str),
                             "authoritative": pd.Series(dtype=bool)})
    ids = list(agreements["agreement_id"])
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
    for row in agreements.itertuples(index=False):
        parties = tuple(sorted(row.parties)) if _is_list(row.parties) else ()
        date = None if pd.isna(row.date_signed) else pd.Timestamp(row.date_signed).date()
        key = (normalised_name(row.name), date, parties)
        union(row.agreement_id, key_owner.setdefault(key, row.agreement_id))
        declared = _declared(getattr(row, "treaty", None))
        if declared:
            if declared in parent:  # "tota:449": join that agreement's treaty
                union(row.agreement_id, declared)
            union(row.agreement_id, declared_owner.setdefault(declared.lower(), row.agreement_id))
    by_id = {r["agreement_id"]: r for r in agreements.to_dict("records")}  # .loc per agreement costs 0.4 s
    groups: dict[str, list[str]] = {}
    for a in ids:
        groups.setdefault(find(a), []).append(a)
    rows, taken = [], {}
    for members in sorted(groups.values(), key=lambda m: sorted(m)):
        chosen = min(members, key=lambda a: _authority_rank(by_id[a], a))
        declared = next((d for d in (_declared(by_id[a].get("treaty")) for a in sorted(members))
                         if d and d not in parent), None)
        treaty_id = _unique_id(declared, by_id[chosen], chosen, taken)
        for a in members:
            rows.append((a, treaty_id, a == chosen))
    return pd.DataFrame(rows, columns=["agreement_id", "treaty_id", "authoritative"])


def _declared(value) -> str | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    return str(value).strip() or None


def _is_list(value) -> bool:
    return value is not None and not isinstance(value, float) and len(value) > 0


def _authority_rank(row: dict, agreement_id: str) -> tuple:
    return (row["language"] != "en", row["source"] != "tota", agreement_id)


def _unique_id(declared: str | None, row: dict, agreement_id: str, taken: dict[str, str]) -> str:
    if declared:
        candidates = [slug(declared)]
    else:
        base = slug(normalised_name(row["name"]))
        date = None if pd.isna(row["date_signed"]) else pd.Timestamp(row["date_signed"]).date()
        candidates = [f"{base}-{date.year}", f"{base}-{date.isoformat()}"] if date else [f"{base}-undated"]
    candidates.append(f"{candidates[0]}-{slug(agreement_id)}")
    for candidate in candidates:
        if candidate not in taken:
            taken[candidate] = agreement_id
            return candidate
    raise AssertionError("agreement ids are unique, so the last candidate is")


def treaties_table(agreements: pd.DataFrame, versions: pd.DataFrame, vintage: pd.DataFrame) -> pd.DataFrame:
    """One row per treaty (TREATY_COLUMNS), its metadata from the authoritative version."""
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
        "parties": [list(p) if _is_list(p) else [] for p in head["parties"]],
        "composition": head["composition"].values,
        "region": head["region"].values,
        "type": head["type"].values,
        "language_versions": [language_versions[t] for t in head.index],
        "authoritative_agreement_id": head["agreement_id"].values,
    })
    return table.sort_values("treaty_id", ignore_index=True)
