"""The refresh plan for a folder or file source, from the published database (no Prefect here).

The flow plans with it; the command line calls it first, before starting worker processes,
so that a refresh with nothing to do never starts them (nor loads spaCy or the model).
"""

from __future__ import annotations

from pathlib import Path

from pipeline.fingerprint import DigestMemo, fingerprint_files, uses_pdf
from pipeline.refresh_plan import Plan, plan_refresh
from pipeline.sources.download import is_url
from pipeline.store.lifecycle import read_stored_file


def source_location(source: str) -> str:
    """The source as recorded per agreement: withdrawal is scoped to it."""
    return source if is_url(source) else str(Path(source).absolute())


def pdf_engine_in_effect(paths: list[Path], pdf_engine: str | None) -> str | None:
    """The engine PDFs are read with (the default's name is looked up only when there are PDFs:
    its module imports the PDF stack)."""
    if pdf_engine is not None or not any(uses_pdf(p) for p in paths if p.suffix.lower() != ".xml"):
        return pdf_engine
    from pipeline.sources.pdf import DEFAULT_PDF_ENGINE

    return DEFAULT_PDF_ENGINE


# The digests the command line's preview took, for the flow's own plan in the same process
# (source location -> memo); taken once, so a long-lived process keeps none between refreshes.
_preview_digests: dict[str, DigestMemo] = {}


def take_preview_digests(location: str) -> DigestMemo | None:
    """The preview's digests of this source, if the command line previewed it (else None)."""
    return _preview_digests.pop(location, None)


def plan_for(paths: list[Path], db_path: Path, model_version: str, pdf_engine: str | None, location: str,
             complete: bool = True, memo: DigestMemo | None = None) -> Plan:
    """Fingerprint the listed files (absolute paths) and compare with the published database
    (which the flow reads again under the writer lock: only file digests are reused)."""
    files = fingerprint_files(paths, pdf_engine_in_effect(paths, pdf_engine), memo=memo)
    return plan_refresh(files, read_stored_file(db_path), model_version=model_version, location=location,
                        complete=complete)


def preview(source: str, db_path: Path, model_spec: str, pdf_engine: str | None) -> Plan | None:
    """The plan for a local folder or file; None for a URL or a manifest of remote texts (their
    files are known only once downloaded) or a source that cannot be listed (the flow says why)."""
    from pipeline.classify.registry import model_version
    from pipeline.sources import list_source_files
    from pipeline.sources.remote import is_manifest_file

    if is_url(source) or is_manifest_file(source):
        return None
    location = Path(source)
    try:
        paths = [location] if location.is_file() else list_source_files(location)
        memo = _preview_digests[source_location(source)] = DigestMemo()
        return plan_for([p.absolute() for p in paths], db_path, model_version(model_spec), pdf_engine,
                        source_location(source), memo=memo)
    except Exception:  # noqa: BLE001 - only an optimisation: the flow reports the problem
        return None
