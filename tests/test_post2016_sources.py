"""corpora/post2016.toml: the manifest itself, and the whole path from a publisher's server
(here a local HTTP server on 127.0.0.1 serving official-style PDFs and HTML) to the database,
beside ToTA, and `cybernorms sources check`."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path
from urllib.parse import urlparse

import duckdb
import pytest
from typer.testing import CliRunner

from pipeline import api, flows
from pipeline.cli import app
from pipeline.sources.check import check_manifest
from pipeline.sources.manifest import SourceMetadata, load_manifest_file
from tests.conftest import SUBSET_IDS
from tests.http_server import serve_folder

from official_docs import official_html, official_pdf
from pdf_render import FONT_DIR

ROOT = Path(__file__).resolve().parents[1]
POST2016 = ROOT / "corpora/post2016.toml"
REQUIRED = {"cptpp-14", "usmca-19", "us-japan-dta", "depa", "aus-sgp-dea", "uk-sgp-dea", "rcep-12", "eu-uk-tca",
            "uk-japan-cepa", "uk-aus-fta-14", "eu-nzl-fta", "wto-ecommerce"}
# Publishers: governments, the WTO, the EU.
OFFICIAL_HOSTS = (".gov", ".gov.uk", ".gov.au", ".govt.nz", ".gov.sg", "wto.org", "europa.eu", "ustr.gov")


def test_post2016_manifest_lists_the_major_agreements():
    entries = {e.id: e for e in load_manifest_file(POST2016).entries}
    assert REQUIRED <= set(entries)
    for entry in entries.values():
        assert entry.name and entry.language == "en" and entry.digital_part and entry.files, entry.id
        assert entry.date_signed and entry.date_signed >= date(2017, 1, 1), entry.id
        assert entry.date_in_force is None or entry.date_in_force >= entry.date_signed, entry.id
        assert all(re.fullmatch(r"[A-Z]{3}", p) for p in entry.parties), entry.id
        assert entry.parties or entry.id == "wto-ecommerce"
        addresses = [a for a in (entry.url, entry.landing_page) if a]
        assert addresses, entry.id
        for address in addresses:
            host = urlparse(address).hostname or ""
            assert host.endswith(OFFICIAL_HOSTS), (entry.id, host)


# -- the whole path, from a local publisher ------------------------------------------------------

SERVED = {  # manifest id -> (file served, chapter, chapter name)
    "usmca-19": ("19-Digital-Trade.pdf", 19, "Digital Trade"),
    "rcep-12": ("rcep-chapter-12.pdf", 12, "Electronic Commerce"),
    "eu-nzl-fta": ("DOC_1", 12, "Digital Trade"),
    "uk-aus-fta-14": ("chapter-14-digital-trade-web-version", 14, "Digital Trade"),
}
BY_HAND = ("cptpp-14", 14, "Electronic Commerce")  # no url: its file is put beside the manifest
MISSING = "depa"  # no url and no file: a manual download still to do


def _toml_value(value) -> str:
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, date):
        return value.isoformat()
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _entry_toml(entry: SourceMetadata, url: str | None) -> str:
    keys = {"id": entry.id, "file": entry.files[0], "name": entry.name, "parties": list(entry.parties),
            "date_signed": entry.date_signed, "date_in_force": entry.date_in_force, "language": entry.language,
            "digital_part": entry.digital_part, "landing_page": entry.landing_page, "url": url}
    return "[[agreement]]\n" + "".join(f"{k} = {_toml_value(v)}\n" for k, v in keys.items() if v) + "\n"


@pytest.fixture(scope="module")
def publisher(tmp_path_factory):
    """The publisher's folder (served) and a manifest folder with one text downloaded by hand."""
    if not (FONT_DIR / "DejaVuSerif.ttf").exists():
        pytest.skip("test font missing")
    served = tmp_path_factory.mktemp("publisher")
    for served_name, chapter, name in SERVED.values():
        target = served / served_name
        if served_name.endswith(".pdf"):
            official_pdf(target, chapter, name, label_at="top" if chapter == 12 else "bottom")
        else:
            official_html(target, chapter, name)
    manifest_dir = tmp_path_factory.mktemp("corpora")
    entries = {e.id: e for e in load_manifest_file(POST2016).entries}
    official_pdf(manifest_dir / entries[BY_HAND[0]].files[0], BY_HAND[1], BY_HAND[2])
    return served, manifest_dir, entries


def _manifest(manifest_dir: Path, entries, base_url: str | None) -> Path:
    text = "".join(_entry_toml(entries[i], f"{base_url}{served}" if base_url else None)
                   for i, (served, _, _) in SERVED.items())
    text += _entry_toml(entries[BY_HAND[0]], None) + _entry_toml(entries[MISSING], None)
    path = manifest_dir / "post2016.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_refresh_from_the_manifest_beside_tota(publisher, tota_dir: Path, tmp_path: Path):
    served, manifest_dir, entries = publisher
    tota = tmp_path / "tota"
    tota.mkdir()
    for treaty_id in SUBSET_IDS[:3]:
        shutil.copy(tota_dir / f"pta_{treaty_id}.xml", tota)
    db = tmp_path / "cybernorms.duckdb"
    cache = tmp_path / "cache" / "tota"
    flows.refresh(source=str(tota), db_path=str(db), workers=1)
    # The publisher fails twice on one text: the download path retries.
    with serve_folder(served, failures={"19-Digital-Trade.pdf": 2}) as base_url:
        manifest = _manifest(manifest_dir, entries, base_url)
        run = flows.refresh(source=str(manifest), db_path=str(db), cache_dir=str(cache), workers=1)
    assert run.agreements_written == len(SERVED) + 1
    assert len(run.errors) == 1 and MISSING in run.errors[0] and "download the text by hand" in run.errors[0]
    assert (tmp_path / "cache" / "post2016" / "sources.toml").is_file()
    with duckdb.connect(str(db), read_only=True) as connection:
        sources = dict(connection.execute("SELECT source, count(*) FROM agreements GROUP BY 1").fetchall())
        assert sources == {"tota": 3, "pdf": 3, "html": 2}
        signed = dict(connection.execute("SELECT source_id, date_signed FROM agreements").fetchall())
        assert signed["usmca-19"] == entries["usmca-19"].date_signed
        articles = connection.execute(
            "SELECT count(*) FROM provisions WHERE agreement_id = 'pdf:usmca-19' AND article_no LIKE '19.%'"
        ).fetchone()[0]
        assert articles == 9
        assert connection.execute("SELECT count(*) FROM footnotes WHERE agreement_id = 'pdf:rcep-12'").fetchone()[0] > 0
    adoption = api.adoption(db)
    after = adoption[(adoption["year"] > 2016) & (adoption["treaties"] > 0)]
    assert {"cross_border_data_flows", "data_localization"} <= set(after["norm"])
    assert set(after["year"]) >= {2018, 2020, 2021, 2023}
    # Offline: the publisher is gone; the verified copies refresh as they are (nothing changed).
    again = flows.refresh(source=str(manifest), db_path=str(db), cache_dir=str(cache), workers=1)
    assert again.agreements_unchanged == len(SERVED) + 1 and again.agreements_written == 0


def test_sources_check_reports_each_entry(publisher, tmp_path: Path):
    served, manifest_dir, entries = publisher
    (served / "broken").mkdir(exist_ok=True)
    with serve_folder(served) as base_url:
        manifest = _manifest(manifest_dir, entries, base_url)
        text = manifest.read_text().replace(f"{base_url}DOC_1", f"{base_url}missing.html")
        manifest.write_text(text)
        rows = {row.id: row for row in check_manifest(manifest, tmp_path / "check", retries=0)}
        result = CliRunner().invoke(app, ["sources", "check", str(manifest), "--cache", str(tmp_path / "cli"),
                                          "--format", "jsonl"])
    assert rows["usmca-19"].answers == "HTTP 200" and rows["usmca-19"].articles == 9 and rows["usmca-19"].ok
    assert rows["uk-aus-fta-14"].ok and rows["uk-aus-fta-14"].articles == 9
    assert rows["eu-nzl-fta"].answers == "HTTP 404" and not rows["eu-nzl-fta"].ok
    assert "not found" in rows["eu-nzl-fta"].problem
    assert rows["cptpp-14"].answers == "no url (manual download)" and rows["cptpp-14"].ok
    assert not rows[MISSING].ok and "download the text by hand" in rows[MISSING].problem
    assert result.exit_code == 0, result.output
    assert result.stdout.count("\n") == len(rows)
