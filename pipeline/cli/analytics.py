"""Analytics commands: the norm x year adoption table."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from pipeline.cli.common import DbOption, _fail, app, out
from pipeline.errors import CybernormsError
from pipeline.store.database import DEFAULT_DB_PATH


@app.command()
def adoption(
    db: DbOption = DEFAULT_DB_PATH,
    cumulative: Annotated[bool, typer.Option(help="Count agreements signed up to each year.")] = False,
    since: Annotated[Optional[int], typer.Option(help="First year to show.")] = None,
) -> None:
    """Norm x year table: agreements signed each year that contain each norm."""
    _print_adoption(db, cumulative=cumulative, since=since)


def _print_adoption(db: Path, *, cumulative: bool = False, since: int | None = None) -> None:
    from pipeline.analytics.adoption import adoption_table
    from pipeline.store import open_database
    from pipeline.store.reads import label_years

    try:
        with open_database(db, read_only=True) as connection:
            table = adoption_table(label_years(connection), cumulative=cumulative)
    except CybernormsError as exc:
        _fail(exc)
    if since is None:
        # Start where cyber norms start: the first year in which any label appears.
        active = [y for y in table.columns if table[y].sum() > 0]
        since = min(active) if active else None
    if since is not None:
        table = table.loc[:, [y for y in table.columns if y >= since]]
    from pipeline.taxonomy import SHORT_NAMES

    # Years down, norms across: the 19 norms fit a terminal, the decades do not.
    view = Table(title="Norm adoption: agreements signed per year that contain each norm"
                 + (" (cumulative)" if cumulative else ""), caption=_legend(SHORT_NAMES))
    view.add_column("year")
    for norm in table.index:
        view.add_column(SHORT_NAMES[norm], justify="right")
    for year in table.columns:
        view.add_row(str(year), *(str(v) if v else "·" for v in table[year]))
    if not cumulative and len(table.columns):
        view.add_row("total", *(str(v) for v in table.sum(axis=1)), style="bold")
    out.print(view)


def _legend(short_names: dict[str, str]) -> str:
    return "; ".join(f"{short} = {label}" for label, short in short_names.items())
