"""The derived tables' changes after a refresh that touched a few agreements (pure).

What a full rebuild (pipeline.analytics.derive) would write differs from what the database
holds only in

- the vintage of the agreements the refresh wrote, restored or withdrew: an agreement's vintage
  depends on its own metadata, text dates and cited instruments, and on the newest year of
  signature in the database (the caller rebuilds everything when that year moved);
- the version rows whose grouping changed: grouping and treaty ids are global (a new version can
  join two groups, an id clash is settled in group order), so they are recomputed over every
  live agreement's metadata, which is cheap, and compared with the stored rows;
- the treaties those agreements and version rows belong to, before or after.

Every other treaty has the same members, the same authoritative version with the same metadata
and vintage, and the same id, so its row stands. tests/test_incremental_derive.py checks the
result against a full rebuild, row for row.
"""

from __future__ import annotations

from collections.abc import Mapping

from pipeline.analytics.treaties import treaty_rows, version_rows
from pipeline.analytics.vintage import vintage_rows
from pipeline.store.derived import DerivedChanges, StoredDerived


def derived_changes(agreements: list[Mapping], affected: set[str], text_dates: list[tuple], cited: list[tuple],
                    instrument_years: dict[str, int], latest_year: int, stored: StoredDerived) -> DerivedChanges:
    """agreements: every live agreement's metadata (pipeline.store.derived.AGREEMENT_COLUMNS), in
    agreement_id order; affected: the ids a refresh wrote, restored or withdrew; text_dates and
    cited: the evidence of the affected live ones (pipeline.store.derived.read_vintage_evidence)."""
    by_id = {a["agreement_id"]: a for a in agreements}
    live_affected = [a for a in by_id if a in affected]
    vintage = vintage_rows(((a, by_id[a]["date_signed"]) for a in live_affected), text_dates, cited,
                           instrument_years, latest_year)
    vintage_years = {a: y for a, y in stored.vintage_years.items() if a in by_id and a not in affected}
    vintage_years.update((row[0], row[1]) for row in vintage)

    versions = version_rows(agreements)
    regrouped = {a for a, treaty_id, authoritative in versions if stored.versions.get(a) != (treaty_id, authoritative)}
    regrouped |= {a for a in stored.versions if a not in by_id}  # withdrawn (or never derived)
    touched = affected | regrouped
    treaty_ids = {stored.versions[a][0] for a in touched if a in stored.versions}
    treaty_ids |= {treaty_id for a, treaty_id, _ in versions if a in touched}
    return DerivedChanges(
        vintage_deleted=sorted(affected | (set(stored.vintage_years) - set(by_id))),
        vintage_rows=vintage,
        versions_deleted=sorted(regrouped),
        versions_rows=[row for row in versions if row[0] in regrouped],
        treaties_deleted=sorted(treaty_ids),
        treaty_rows=treaty_rows(by_id, versions, vintage_years, treaty_ids),
    )
