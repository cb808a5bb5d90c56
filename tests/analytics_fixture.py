"""A small clause store built through the store's own write path, whose tables the tests work out by hand.

Agreements (labels and bindingness set by hand, not by a classifier):

- tota:449 Trans-Pacific Partnership (en), 2016, AUS CHL USA:
  cross_border_data_flows hard; source_code hard; personal_data_protection soft.
- tota:450 Trans-Pacific Partnership (es), same date and parties: cross_border_data_flows hard;
  data_localization hard (in the Spanish text only: not counted, the English text is authoritative).
- tota:206 EC - Algeria, signed 1976 (in force 1976-07-01) but holding a 2002 text (no
  signature clause; cites Regulation (EC) No 1105/2001; "applied on 1 January 2002"; deadlines
  "by 1 January 2006" and a tariff schedule with 2010 must not count): DZA FRA;
  cybercrime soft; personal_data_protection hard.
- tota:100 Australia - United States, signed 2005 with a signature clause of 2005 and a phase-in
  date of 2015 in a schedule: AUS USA; cross_border_data_flows soft; personal_data_protection
  hard in one article and soft in another (mixed for the treaty).
- text:dea Digital Economy Agreement, no date anywhere: CHL SGP; source_code hard, in an article
  whose text starts with "=" (a formula if written carelessly to Excel).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pipeline.analytics.derive import rebuild
from pipeline.classify.documents import AnalysedDocument
from pipeline.model import Agreement, Document, Prediction, Provision
from pipeline.store import open_database
from pipeline.store.writes import write_documents

MODEL = "fixture-1.0"
FORMULA_TEXT = "=HYPERLINK(\"http://example.org\") No Party shall require the transfer of source code."


def _document(agreement: Agreement, articles: list[tuple[str | None, str, tuple[str, ...], str | None]]
              ) -> AnalysedDocument:
    provisions, predictions = [], []
    for ordinal, (chapter, text, labels, bindingness) in enumerate(articles):
        pid = f"{agreement.id}:{ordinal}"
        provisions.append(Provision(pid, agreement.id, ordinal, text, chapter=chapter, article_no=str(ordinal + 1),
                                    article_title=f"Article {ordinal + 1}"))
        predictions.append(Prediction(pid, labels, {}, bindingness if labels else None, (), MODEL))
    return AnalysedDocument(Document(agreement, tuple(provisions)), tuple(predictions))


def fixture_documents() -> list[AnalysedDocument]:
    tpp = dict(name="Trans-Pacific Partnership", date_signed=date(2016, 2, 3), parties=("AUS", "CHL", "USA"),
               composition="Plurilateral", region="Oceania; South America; North America", type="FTA")
    return [
        _document(Agreement("tota:449", "tota", "449", language="en", **tpp), [
            ("Electronic Commerce", "Each Party shall allow the cross-border transfer of information.",
             ("cross_border_data_flows",), "hard"),
            ("Electronic Commerce", "No Party shall require the transfer of source code.", ("source_code",), "hard"),
            ("Electronic Commerce", "The Parties should protect personal information.",
             ("personal_data_protection",), "soft"),
            ("Final Provisions", "DONE at Auckland, this fourth day of February 2016.", (), None),
        ]),
        _document(Agreement("tota:450", "tota", "450", language="es", **tpp), [
            ("Comercio Electrónico", "Cada Parte permitirá la transferencia transfronteriza de información.",
             ("cross_border_data_flows",), "hard"),
            ("Comercio Electrónico", "Ninguna Parte exigirá el uso de instalaciones informáticas en su territorio.",
             ("data_localization",), "hard"),
        ]),
        _document(Agreement("tota:206", "tota", "206", "EC - Algeria", type="FTA", composition="Bilateral",
                            date_signed=date(1976, 4, 26), date_in_force=date(1976, 7, 1), parties=("DZA", "FRA"),
                            region="Africa; Europe", language="en"), [
            ("Trade", "The basic duty shall be the rate actually applied vis-à-vis the Community on 1 January 2002. "
             "Algeria shall abolish the additional duty by 1 January 2006 at the latest.", (), None),
            ("Cooperation", "The Parties shall cooperate against cybercrime where appropriate, in line with "
             "Regulation (EC) No 1105/2001.", ("cybercrime",), "soft"),
            ("Cooperation", "Each Party shall protect personal data.", ("personal_data_protection",), "hard"),
            ("Annex 2 Tariff Schedule", "Duties shall be eliminated on 1 January 2010.", (), None),
        ]),
        _document(Agreement("tota:100", "tota", "100", "Australia - United States", type="FTA",
                            composition="Bilateral", date_signed=date(2005, 5, 18), parties=("AUS", "USA"),
                            region="Oceania; North America", language="en"), [
            ("Electronic Commerce", "The Parties shall endeavour not to impede cross-border data flows.",
             ("cross_border_data_flows",), "soft"),
            ("Electronic Commerce", "Each Party shall adopt a legal framework protecting personal information.",
             ("personal_data_protection",), "hard"),
            ("Cooperation", "The Parties recognise the importance of privacy.", ("personal_data_protection",), "soft"),
            ("Schedule of Australia", "Customs duties shall be eliminated on 1 January 2015.", (), None),
            (None, "IN WITNESS WHEREOF the undersigned have signed this Agreement.\nDONE at Washington, this "
             "18th day of May 2005.", (), None),
        ]),
        _document(Agreement("text:dea", "text", "dea", "Digital Economy Agreement", parties=("CHL", "SGP"),
                            language="en"), [
            ("Digital Trade", FORMULA_TEXT, ("source_code",), "hard"),
        ]),
    ]


def build_fixture_db(path: Path) -> Path:
    connection = open_database(path)
    try:
        outcome = write_documents(connection, fixture_documents(), "fixture-run")
        assert not outcome.errors, outcome.errors
        rebuild(connection)
    finally:
        connection.close()
    return path
