"""The report: one self-contained HTML page, every section, escaped text, charts with titles,
axes and legends, and a real browser that draws it."""

from __future__ import annotations

import base64
import dataclasses
import os
import re
import shutil
import subprocess
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from pipeline.analytics.lineage import compute_lineage
from pipeline.analytics.report import ReportTables, render_report

SECTIONS = ("adoption", "heatmap", "legalization", "first-adopters", "families", "corpus-health", "examples")
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)> & "quoted"'
NORMS = ("paperless_trading", "cross_border_data_flows", "source_code")


def adoption() -> pd.DataFrame:
    rows = []
    per_year = {2000: 4, 2001: 5, 2002: 3, 2003: 6, 2004: 5}
    containing = {"paperless_trading": [1, 2, 1, 3, 2], "cross_border_data_flows": [0, 1, 1, 2, 3],
                  "source_code": [0, 0, 0, 1, 2]}
    for norm, counts in containing.items():
        cumulative = 0
        for (year, total), count in zip(per_year.items(), counts):
            cumulative += count
            hard = count // 2
            rows.append((norm, year, count, total, count / total, cumulative, hard, 0, count - hard))
    return pd.DataFrame(rows, columns=["norm", "year", "treaties", "year_treaties", "share", "cumulative",
                                       "hard", "mixed", "soft"])


def report_tables() -> ReportTables:
    table = adoption()
    legalization = table[table["treaties"] > 0].assign(hard_share=lambda t: t["hard"] / t["treaties"])
    clauses = pd.DataFrame({
        "provision_id": ["a", "b", "c"], "treaty_id": ["T1", "T2", "T3"],
        "date_signed": [date(2000, 1, 1), date(2001, 1, 1), date(2003, 1, 1)],
        "vintage_year": [2000, 2001, 2003], "labels": [["paperless_trading"]] * 3,
        "text": ["Each Party shall accept electronic trade documents."] * 3,
        "parties": [["AUS", "SGP"], ["CHL", "SGP"], ["PER", "USA"]],
        "agreement_name": [f"Agreement {HOSTILE}", "Agreement two", "Agreement three"]})
    return ReportTables(
        adoption=table,
        first_adopters=pd.DataFrame({"norm": list(NORMS), "treaty_id": ["T1", "T2", "T4"],
                                     "treaty_name": [f"Agreement {HOSTILE}", "Agreement two", "Agreement four"],
                                     "year": [2000, 2001, 2003], "later_treaties": [9, 7, 2]}),
        legalization=legalization[["norm", "year", "treaties", "hard_share"]],
        families=compute_lineage(clauses).families,
        corpus_health=pd.DataFrame({"agreement_id": ["tota:206"], "treaty_id": ["tota:206"], "name": ["EC - Algeria"],
                                    "year_signed": [1976], "vintage_year": [2002],
                                    "evidence": [f"cites instruments of 1994-2002 {HOSTILE}"]}),
        examples=pd.DataFrame({"norm": ["paperless_trading", "paperless_trading", "source_code"],
                               "treaty_name": ["Agreement two", f"Agreement {HOSTILE}", "Agreement four"],
                               "year": [2001, 2000, 2003], "article_no": ["4.5", "12", None],
                               "text": ["Each Party shall endeavour to accept documents.\n\n\n(a) electronically",
                                        HOSTILE + " " + "long text " * 100,
                                        "No Party shall require the transfer of source code."]}),
        model_version="norm-classifier-1.0.0", generated_at="2026-11-27 10:00 UTC",
        source_note=f"Test tables {HOSTILE}")


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render_report(report_tables(), tmp_path_factory.mktemp("report") / "sub" / "report.html")


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.references: list[str] = []
        self.tags: set[str] = set()
        self.images: list[dict[str, str]] = []
        self.attributes: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attributes |= {name for name, _ in attrs}
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"])
        self.references += [value or "" for name, value in attrs if name in ("src", "href", "action", "srcset")]
        if tag == "img":
            self.images.append({k: v or "" for k, v in attrs})


def parsed(report: Path) -> _Collector:
    collector = _Collector()
    collector.feed(report.read_text(encoding="utf-8"))
    return collector


def test_one_file_with_every_section(report: Path) -> None:
    assert report.exists() and list(report.parent.iterdir()) == [report]
    page = parsed(report)
    assert set(SECTIONS) <= page.ids
    html = report.read_text(encoding="utf-8")
    for heading in ("Adoption curves per norm", "Norm × year heatmap", "Bindingness trend", "First adopters",
                    "Largest clause families", "Corpus health", "Example clauses per norm"):
        assert f"<h2>{heading}</h2>" in html
    assert "EC - Algeria" in html and "norm-classifier-1.0.0" in html
    # Examples: treaty, year and article with each clause, grouped by norm.
    assert "Agreement two (2001), Article 4.5" in html and "Agreement four (2003)" in html


def test_nothing_external_and_no_script(report: Path) -> None:
    html = report.read_text(encoding="utf-8")
    assert not re.search(r"https?://", html, re.IGNORECASE)
    page = parsed(report)
    assert "script" not in page.tags and "iframe" not in page.tags and "link" not in page.tags
    assert all(ref.startswith(("data:image/svg+xml;base64,", "#")) for ref in page.references), page.references
    assert "default-src 'none'" in html  # the browser itself refuses anything else


def test_untrusted_text_is_escaped(report: Path) -> None:
    html = report.read_text(encoding="utf-8")
    assert "<script>" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt; &amp;" in html
    assert not [name for name in parsed(report).attributes if name.startswith("on")]


def _svgs(report: Path) -> list[str]:
    return [base64.b64decode(image["src"].split(",", 1)[1]).decode("utf-8") for image in parsed(report).images]


def test_every_chart_has_a_title_axes_and_a_legend(report: Path) -> None:
    svgs = _svgs(report)
    assert len(svgs) == 5
    titles = ["Adoption of each norm", "Norm × year", "Legalization", "First appearance of each norm",
              "largest clause families"]
    for svg, title in zip(svgs, titles):
        # matplotlib writes every text element's string as a comment beside its glyphs.
        comments = re.findall(r"<!-- (.*?) -->", svg)
        assert any(title in comment for comment in comments), (title, comments[:5])
        assert any("year" in comment for comment in comments)  # the x axis is labelled
        assert 'id="matplotlib.axis_1"' in svg and 'id="matplotlib.axis_2"' in svg
        assert 'id="legend_1"' in svg or any("share of that year" in c for c in comments)  # legend or colour bar


def test_undated_rows_and_float_years_are_drawn_without_them(tmp_path: Path) -> None:
    tables = report_tables()
    undated = pd.DataFrame([("source_code", None, 1, 1, 1.0, 1, 1, 0, 0)], columns=tables.adoption.columns)
    adoption = pd.concat([tables.adoption.astype({"year": float}), undated], ignore_index=True)
    first = pd.concat([tables.first_adopters, pd.DataFrame([{"norm": "cybercrime", "treaty_id": "T9",
                                                             "treaty_name": "Undated", "year": None,
                                                             "later_treaties": 0}])], ignore_index=True)
    odd = dataclasses.replace(tables, adoption=adoption, first_adopters=first)
    html = render_report(odd, tmp_path / "odd.html").read_text(encoding="utf-8")
    assert "Undated" in html and len(_svgs(tmp_path / "odd.html")) == 5


def test_empty_tables_still_render(tmp_path: Path) -> None:
    tables = report_tables()
    empty = dataclasses.replace(tables, **{field.name: getattr(tables, field.name).iloc[0:0]
                                           for field in dataclasses.fields(tables)
                                           if isinstance(getattr(tables, field.name), pd.DataFrame)})
    html = render_report(empty, tmp_path / "empty.html").read_text(encoding="utf-8")
    assert "No clause family" in html and "Every agreement" in html and len(_svgs(tmp_path / "empty.html")) == 5


# --- a real browser ---------------------------------------------------------------------------

def chromium() -> str:
    """The headless browser; missing is a failure under CI (.ci/run installs it), a skip elsewhere."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    if os.environ.get("CI") == "true":
        pytest.fail("chromium is not installed: .ci/run installs Debian's chromium package "
                    "(apt-get install -y chromium)")
    pytest.skip("chromium is not installed (apt-get install -y chromium)")


def screenshot(page: Path, png: Path, *, width: int = 1280, height: int = 2400) -> Path:
    browser = chromium()
    command = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
               f"--user-data-dir={png.parent / 'chromium-profile'}", f"--window-size={width},{height}",
               f"--screenshot={png}", page.resolve().as_uri()]
    result = subprocess.run(command, capture_output=True, text=True, timeout=180)
    assert png.exists(), f"chromium wrote no screenshot (exit {result.returncode}): {result.stderr[-2000:]}"
    return png


def test_chromium_draws_the_report(report: Path, tmp_path: Path) -> None:
    from PIL import Image

    png = screenshot(report, tmp_path / "report.png")
    if os.environ.get("CYBERNORMS_KEEP_SCREENSHOT"):  # to look at it: the path to copy it to
        shutil.copy(png, os.environ["CYBERNORMS_KEEP_SCREENSHOT"])
    with Image.open(png) as image:
        pixels = image.convert("RGB")
        assert pixels.size == (1280, 2400)
        colours = pixels.getcolors(maxcolors=1 << 20)
        assert colours is not None and len(colours) > 200  # text, charts and their colour scales
        white = sum(count for count, rgb in colours if min(rgb) >= 250)
        assert white / (1280 * 2400) < 0.9  # not a blank page
        # The charts are drawn, not broken-image icons: the heatmap's dark blues are on screen.
        assert any(rgb[2] > 100 and rgb[0] < 60 and rgb[1] < 100 for _, rgb in colours)


def test_years_without_rows_count_zero_and_keep_the_running_total() -> None:
    from pipeline.analytics.report_charts import _every_year

    frame = pd.DataFrame({"year": [2000, 2003], "treaties": [2, 1], "cumulative": [2, 3], "norm": ["x", "x"]})
    filled = _every_year(frame, 1999, 2004)
    assert filled["year"].tolist() == [1999, 2000, 2001, 2002, 2003, 2004]
    assert filled["treaties"].tolist() == [0, 2, 0, 0, 1, 0]
    assert filled["cumulative"].tolist() == [0, 2, 2, 2, 3, 3]
