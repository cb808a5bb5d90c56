"""Analytics commands: adoption, first adopters, corpus health, exports and the report."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from pipeline.cli.common import DbOption, _fail, app, console, out, print_frame
from pipeline.errors import CybernormsError
from pipeline.store.database import DEFAULT_DB_PATH

ByOption = Annotated[str, typer.Option("--by", help="Date treaties by text vintage, signature or entry into force: "
                                       "vintage, signed or in-force.")]


@app.command()
def adoption(
    db: DbOption = DEFAULT_DB_PATH,
    cumulative: Annotated[bool, typer.Option(help="Count treaties up to each year.")] = False,
    since: Annotated[Optional[int], typer.Option(help="First year to show.")] = None,
    by: ByOption = "vintage",
) -> None:
    """Norm x year table: treaties of each year that contain each norm (language versions counted once)."""
    _print_adoption(db, cumulative=cumulative, since=since, by=by)


def _print_adoption(db: Path, *, cumulative: bool = False, since: int | None = None, by: str = "vintage") -> None:
    from pipeline import api
    from pipeline.analytics.adoption import adoption_matrix

    try:
        long = api.adoption(db, by=by)
    except CybernormsError as exc:
        _fail(exc)
    table = adoption_matrix(long, cumulative=cumulative)
    if since is None:
        # Start where cyber norms start: the first year in which any label appears.
        active = [y for y in table.columns if table[y].sum() > 0]
        since = min(active) if active else None
    if since is not None:
        table = table.loc[:, [y for y in table.columns if y >= since]]
    year_treaties = long.drop_duplicates("year").set_index("year")["year_treaties"]
    from pipeline.taxonomy import SHORT_NAMES

    # Years down, norms across: the 19 norms fit a terminal, the decades do not.
    view = Table(title=f"Norm adoption: treaties per year ({by}) that contain each norm"
                 + (" (cumulative)" if cumulative else ""), caption=_legend(SHORT_NAMES))
    view.add_column("year")
    view.add_column("treaties", justify="right")
    for norm in table.index:
        view.add_column(SHORT_NAMES[norm], justify="right")
    for year in table.columns:
        view.add_row(str(year), str(year_treaties.get(year, 0)), *(str(v) if v else "·" for v in table[year]))
    if not cumulative and len(table.columns):
        view.add_row("total", "", *(str(v) for v in table.sum(axis=1)), style="bold")
    out.print(view)


def _legend(short_names: dict[str, str]) -> str:
    return "; ".join(f"{short} = {label}" for label, short in short_names.items())


@app.command("first-adopters")
def first_adopters(db: DbOption = DEFAULT_DB_PATH, by: ByOption = "vintage") -> None:
    """The first treaty with each norm and how many treaties contain it since."""
    from pipeline import api

    try:
        frame = api.first_adopters(db, by=by)
    except CybernormsError as exc:
        _fail(exc)
    print_frame(frame, f"First adopters (year: {by})")


@app.command("corpus-health")
def corpus_health(db: DbOption = DEFAULT_DB_PATH) -> None:
    """Agreements whose text is not what their dates say: vintage differs from the year of signature."""
    from pipeline import api

    try:
        frame = api.corpus_health(db)
    except CybernormsError as exc:
        _fail(exc)
    print_frame(frame, "Texts whose vintage differs from their signature year", max_text=300)


@app.command()
def export(
    table: Annotated[str, typer.Argument(help="clauses, treaties, coding, dyads, adoption, first-adopters, "
                                         "legalization, party-adoption, lineage, instruments or corpus-health.")],
    format: Annotated[str, typer.Option("--format", help="csv, xlsx, parquet, dta or json (lineage: also graphml).")],
    output: Annotated[Path, typer.Option("--output", help="File to write.")],
    db: DbOption = DEFAULT_DB_PATH,
) -> None:
    """Write a table to a file, for Excel, Stata, R, pandas or a spreadsheet."""
    from pipeline import api

    try:
        path = api.export(table, format, output, db)
    except CybernormsError as exc:
        _fail(exc)
    except ModuleNotFoundError as exc:
        _fail(_missing(table, exc))
    console.print(f"{table} -> {path}")


@app.command()
def report(
    output: Annotated[Path, typer.Option("--output", help="HTML file to write.")] = Path("outputs/report.html"),
    db: DbOption = DEFAULT_DB_PATH,
    by: ByOption = "vintage",
) -> None:
    """Write a self-contained HTML report: adoption curves, heatmap, bindingness, first adopters,
    clause families, corpus health, examples."""
    from pipeline import api

    try:
        path = api.report(output, db, by=by)
    except CybernormsError as exc:
        _fail(exc)
    except ModuleNotFoundError as exc:
        _fail(_missing("report", exc))
    console.print(f"report -> {path}")


def _missing(what: str, exc: ModuleNotFoundError) -> CybernormsError:
    if (exc.name or "").startswith("pipeline."):
        return CybernormsError(f"{what}: {exc.name} is not part of this version of cybernorms "
                               f"(lineage and the report come with the report branch)")
    return CybernormsError(f"{what}: needs the package {exc.name}, which this installation lacks "
                           f"(reinstall: make install)")
