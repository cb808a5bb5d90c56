"""What a refresh has to do, decided from fingerprints alone (pure: no files, no database).

Each listed file's fingerprint (pipeline.fingerprint) is compared with what the database
holds for that file (found by its path). A file is read again when its fingerprint differs or
nothing is stored for it; re-classified from its stored provisions when only the model
differs; restored when it was withdrawn and is back unchanged; otherwise left alone. Live
agreements that came from the same source and are no longer listed are withdrawn: a refresh
of another source (one file, another folder, a manifest) never withdraws them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pipeline.fingerprint import FileFingerprint


@dataclass(frozen=True, slots=True)
class StoredDocument:
    """An agreement as the database holds it, with what change detection needs."""

    agreement_id: str
    source_path: str | None
    source_location: str | None
    fingerprint: str | None
    model_version: str | None
    withdrawn: bool


@dataclass(frozen=True, slots=True)
class Plan:
    location: str
    read: tuple[str, ...] = ()  # paths to read and classify
    reclassify: tuple[StoredDocument, ...] = ()  # same input, another model: classify stored provisions
    restore: tuple[StoredDocument, ...] = ()  # withdrawn, back unchanged: only un-withdraw
    relocate: tuple[StoredDocument, ...] = ()  # unchanged, now listed by this source: record the source
    unchanged: tuple[StoredDocument, ...] = ()
    withdraw: tuple[StoredDocument, ...] = ()
    new_paths: frozenset[str] = frozenset()  # paths with no live agreement stored: reading them adds one
    fingerprints: tuple[FileFingerprint, ...] = ()

    @property
    def needs_workers(self) -> bool:
        return bool(self.read or self.reclassify)

    @property
    def has_work(self) -> bool:
        """Anything to write: only then is a new snapshot made."""
        return bool(self.read or self.reclassify or self.restore or self.relocate or self.withdraw)


def plan_refresh(
    files: Sequence[FileFingerprint],
    stored: Iterable[StoredDocument],
    *,
    model_version: str,
    location: str,
    complete: bool = True,
) -> Plan:
    """Compare the listed files with the stored agreements. `complete`: the listing is the whole
    source (false when some downloads failed: nothing is withdrawn on a partial listing)."""
    by_path: dict[str, StoredDocument] = {}
    for document in stored:
        if document.source_path is None:
            continue  # written before paths were recorded: found by nothing, read again once
        current = by_path.get(document.source_path)
        if current is None or (current.withdrawn and not document.withdrawn):
            by_path[document.source_path] = document  # a live agreement wins over a withdrawn one
    read, reclassify, restore, relocate, unchanged, new = [], [], [], [], [], set()
    for file in files:
        document = by_path.get(file.path)
        if document is None or document.withdrawn:
            new.add(file.path)
        if document is None or document.fingerprint != file.fingerprint:
            read.append(file.path)
        elif document.model_version != model_version:
            reclassify.append(document)
        elif document.withdrawn:
            restore.append(document)
        elif document.source_location != location:
            relocate.append(document)
        else:
            unchanged.append(document)
    listed = {file.path for file in files}
    withdraw = [d for d in by_path.values()
                if complete and not d.withdrawn and d.source_location == location and d.source_path not in listed]
    return Plan(location, tuple(read), tuple(reclassify), tuple(restore), tuple(relocate), tuple(unchanged),
                tuple(withdraw), frozenset(new), tuple(files))
