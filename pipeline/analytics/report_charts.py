"""The report's charts: pure functions from the analytics tables to SVG documents (bytes).

Drawn with matplotlib's object API (a `Figure` per chart, no pyplot and no global backend),
so charts can be drawn from any thread and nothing leaks between them. Every chart has a
title, labelled axes and a legend (a colour bar for the heatmap). The SVG is deterministic
(no date in its metadata, fixed ids) so that the same tables give the same report.
"""

from __future__ import annotations

import functools
import io
import math
from collections.abc import Callable, Sequence

import matplotlib
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from pipeline.taxonomy import LABEL_IDS

_STYLE = {"svg.hashsalt": "cybernorms", "svg.fonttype": "path", "font.size": 9, "axes.titlesize": 10,
          "axes.spines.top": False, "axes.spines.right": False}
PERIOD = 5
MIN_TREATIES_PER_PERIOD = 3
BINDINGNESS_COLOURS = {"hard": "#1b4f72", "mixed": "#5dade2", "soft": "#d6eaf8"}


def norm_colours(norms: Sequence[str]) -> dict[str, tuple]:
    """A stable colour per norm: taxonomy order into tab20, so a norm keeps its colour across charts."""
    palette = matplotlib.colormaps["tab20"]
    return {norm: palette(LABEL_IDS.index(norm) % 20 if norm in LABEL_IDS else 19) for norm in norms}


def _styled(chart: Callable[..., bytes]) -> Callable[..., bytes]:
    """Draw the whole chart inside the report's style: matplotlib reads most settings when an
    artist is created, so the style must hold from the figure's creation to its saving."""
    @functools.wraps(chart)
    def wrapper(*args, **kwargs) -> bytes:
        with matplotlib.rc_context(_STYLE):
            return chart(*args, **kwargs)
    return wrapper


def _svg(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None}, bbox_inches="tight")
    return buffer.getvalue()


def _figure(width: float, height: float) -> Figure:
    return Figure(figsize=(width, height), layout="constrained")


def _empty(title: str, message: str) -> bytes:
    figure = _figure(7, 1.6)
    axes = figure.subplots()
    axes.set_title(title)
    axes.text(0.5, 0.5, message, ha="center", va="center", transform=axes.transAxes)
    axes.set_axis_off()
    return _svg(figure)


def _dated(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """Rows with every year column known, as integers: a treaty with no date has no place on a
    time axis (the tables still list it)."""
    columns = columns or ("year",)
    frame = frame.dropna(subset=list(columns))
    return frame.astype({column: int for column in columns})


def _whole_years(*axes_list) -> None:
    for axes in axes_list:
        # Whole years at round steps (1960, 1970 … or 2000, 2002 …), never 2000.5.
        axes.xaxis.set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 5, 10]))


def _shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[:width - 1].rstrip() + "…"


def _every_year(frame: pd.DataFrame, start: int, end: int) -> pd.DataFrame:
    """The rows of `frame` for each year from start to end: a year with no row counts zero, and
    a running total keeps its last value."""
    years = pd.DataFrame({"year": range(start, end + 1)})
    numbers = frame[[c for c in frame.columns if c == "year" or pd.api.types.is_numeric_dtype(frame[c])]]
    merged = years.merge(numbers, on="year", how="left")
    if "cumulative" in merged:
        merged["cumulative"] = merged["cumulative"].ffill()
    return merged.fillna(0)


def _edges(years: pd.Series) -> list[float]:
    """Step edges centred on each year."""
    return [year - 0.5 for year in years] + [years.iloc[-1] + 0.5]


def _norms_in_order(frame: pd.DataFrame, year_column: str = "year") -> list[str]:
    """Norms by the year they first appear, then in taxonomy order."""
    present = frame[frame["treaties"] > 0] if "treaties" in frame else frame
    first = present.groupby("norm")[year_column].min()
    return sorted(first.index, key=lambda n: (first[n], LABEL_IDS.index(n) if n in LABEL_IDS else len(LABEL_IDS)))


@_styled
def adoption_curves(adoption: pd.DataFrame) -> bytes:
    """Small multiples, one panel per norm: treaties signed each year containing it (bars) and
    the cumulative count (line)."""
    adoption = _dated(adoption)
    title = "Adoption of each norm: treaties containing it, per year and cumulative"
    if adoption.empty or adoption["treaties"].sum() == 0:
        return _empty(title, "No treaty contains any norm.")
    norms = _norms_in_order(adoption)
    columns = 4
    rows = math.ceil(len(norms) / columns)
    figure = _figure(12, 2.1 * rows + 0.8)
    figure.suptitle(title, fontsize=12)
    grid = figure.subplots(rows, columns, sharex=True, squeeze=False)
    start, end = int(adoption.loc[adoption["treaties"] > 0, "year"].min()), int(adoption["year"].max())
    for axes, norm in zip(grid.flat, norms):
        data = _every_year(adoption[adoption["norm"] == norm], start, end)
        # One step patch per panel rather than a bar per year: a few artists instead of a
        # thousand keeps drawing the grid fast.
        axes.stairs(data["treaties"], _edges(data["year"]), fill=True, color="#aab7b8",
                    label="treaties signed that year")
        twin = axes.twinx()
        twin.plot(data["year"], data["cumulative"], color="#c0392b", linewidth=1.6, label="cumulative")
        twin.set_ylim(bottom=0)
        twin.spines["top"].set_visible(False)
        axes.set_title(norm, fontsize=9)
        axes.set_xlim(start - 1, end + 1)
        axes.set_ylabel("treaties that year", fontsize=7)
        twin.set_ylabel("cumulative", fontsize=7, color="#c0392b")
        axes.tick_params(labelsize=7)
        twin.tick_params(labelsize=7, colors="#c0392b")
    for axes in grid[-1]:
        axes.set_xlabel("year")
    _whole_years(*grid.flat)
    for axes in list(grid.flat)[len(norms):]:
        axes.set_axis_off()
    figure.legend(handles=[Patch(color="#aab7b8", label="treaties signed that year with the norm"),
                           Line2D([], [], color="#c0392b", linewidth=1.6, label="cumulative treaties with the norm")],
                  loc="outside lower center", ncols=2, frameon=False)
    return _svg(figure)


@_styled
def adoption_heatmap(adoption: pd.DataFrame) -> bytes:
    """Norm x year: the share of that year's treaties containing the norm."""
    adoption = _dated(adoption)
    title = "Norm × year: share of the treaties signed each year that contain the norm"
    if adoption.empty or adoption["treaties"].sum() == 0:
        return _empty(title, "No treaty contains any norm.")
    norms = _norms_in_order(adoption)
    start = int(adoption.loc[adoption["treaties"] > 0, "year"].min())
    data = adoption[adoption["year"] >= start]
    grid = data.pivot_table(index="norm", columns="year", values="share", aggfunc="max").reindex(norms)
    grid = grid.reindex(columns=range(start, int(data["year"].max()) + 1))
    figure = _figure(12, 0.28 * len(norms) + 1.8)
    axes = figure.subplots()
    # Light for none, dark for all; years without any treaty in grey rather than as a zero.
    colours = matplotlib.colormaps["YlGnBu"].with_extremes(bad="#e5e7e9")
    image = axes.imshow(grid.to_numpy(dtype=float), aspect="auto", cmap=colours, vmin=0,
                        vmax=max(float(grid.max().max()), 0.01), interpolation="nearest")
    axes.set_title(title)
    axes.set_yticks(range(len(norms)), norms)
    years = list(grid.columns)
    step = max(1, len(years) // 25)
    axes.set_xticks(range(0, len(years), step), [str(y) for y in years[::step]], rotation=90)
    axes.set_xlabel("year")
    axes.set_ylabel("norm")
    bar = figure.colorbar(image, ax=axes, pad=0.01)
    bar.set_label("share of that year's treaties (grey: no treaty that year)")
    return _svg(figure)


@_styled
def bindingness_trend(adoption: pd.DataFrame, legalization: pd.DataFrame, *, top: int = 5) -> bytes:
    """Two panels: treaty-norm pairs per year by bindingness (stacked), and the share of hard
    commitments over time for all norms together and the most adopted ones."""
    adoption, legalization = _dated(adoption), _dated(legalization)
    title = "Legalization: how binding the norms are"
    if adoption.empty or adoption[["hard", "mixed", "soft"]].to_numpy().sum() == 0:
        return _empty(title, "No labelled provision has a bindingness.")
    start = int(adoption.loc[adoption["treaties"] > 0, "year"].min())
    figure = _figure(12, 6.4)
    figure.suptitle(title, fontsize=12)
    counts_axes, share_axes = figure.subplots(2, 1, sharex=True)
    end = int(adoption["year"].max())
    counts = _every_year(adoption.groupby("year", as_index=False)[["hard", "mixed", "soft"]].sum(), start, end)
    bottom = pd.Series(0, index=counts.index)
    for level in ("hard", "mixed", "soft"):
        upper = bottom + counts[level]
        counts_axes.stairs(upper, _edges(counts["year"]), baseline=bottom, fill=True,
                           color=BINDINGNESS_COLOURS[level], label=level)
        bottom = upper
    counts_axes.set_title("Treaty × norm pairs by bindingness, per year")
    counts_axes.set_ylabel("treaty × norm pairs")
    counts_axes.legend(title="bindingness", loc="upper left", frameon=False)

    # Yearly shares of a handful of treaties jump between 0 and 1; five-year periods show the trend.
    data = legalization[(legalization["year"] >= start) & (legalization["treaties"] > 0)]
    data = data.assign(period=data["year"] // PERIOD * PERIOD, hard=data["hard_share"] * data["treaties"])
    # Every period on the axis, so that a period without enough treaties breaks the line.
    periods_axis = range(start // PERIOD * PERIOD, int(data["year"].max()) + 1, PERIOD) if len(data) else range(0)
    overall = _hard_share_by_period(data, periods_axis)
    share_axes.plot(overall.index + PERIOD / 2, overall, color="black", linewidth=2.2, marker="o", label="all norms")
    leading = data.groupby("norm")["treaties"].sum().sort_values(ascending=False).head(top).index
    colours = norm_colours(list(leading))
    for norm in leading:
        series = _hard_share_by_period(data[data["norm"] == norm], periods_axis)
        share_axes.plot(series.index + PERIOD / 2, series, color=colours[norm], linewidth=1.3, marker="o",
                        markersize=3, label=norm)
    share_axes.set_title(f"Share of hard commitments per {PERIOD}-year period: all norms and the {top} most adopted "
                         f"(periods with at least {MIN_TREATIES_PER_PERIOD} treaties)")
    share_axes.set_ylabel("hard share")
    share_axes.set_ylim(-0.02, 1.02)
    share_axes.set_xlabel("year")
    _whole_years(counts_axes, share_axes)
    share_axes.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False, fontsize=8)
    return _svg(figure)


def _hard_share_by_period(data: pd.DataFrame, periods: range) -> pd.Series:
    """Hard treaty-norm pairs over all treaty-norm pairs per period; NaN where too few."""
    sums = data.groupby("period")[["hard", "treaties"]].sum().reindex(periods)
    sums = sums.where(sums["treaties"] >= MIN_TREATIES_PER_PERIOD)
    return sums["hard"] / sums["treaties"]


@_styled
def first_adopters_chart(first_adopters: pd.DataFrame) -> bytes:
    """When each norm first appeared, and how many later treaties took it up (marker area)."""
    first_adopters = _dated(first_adopters)
    title = "First appearance of each norm and its later take-up"
    if first_adopters.empty:
        return _empty(title, "No norm has appeared yet.")
    data = first_adopters.sort_values(["year", "norm"], ascending=[False, True]).reset_index(drop=True)
    figure = _figure(12, 0.3 * len(data) + 1.6)
    axes = figure.subplots()
    sizes = 20 + 6 * data["later_treaties"].astype(float)
    axes.scatter(data["year"], range(len(data)), s=sizes, color="#2874a6", alpha=0.75, edgecolor="black",
                 linewidth=0.4)
    axes.set_yticks(range(len(data)), data["norm"])
    axes.set_title(title)
    axes.set_xlabel("year of the first treaty containing the norm")
    _whole_years(axes)
    axes.set_ylabel("norm")
    axes.grid(axis="x", color="#e5e7e9")
    steps = sorted({int(v) for v in pd.Series(data["later_treaties"]).quantile([0, 0.5, 1]).round()})
    handles = [axes.scatter([], [], s=20 + 6 * v, color="#2874a6", alpha=0.75, edgecolor="black", linewidth=0.4,
                            label=f"{v} later treaties") for v in steps]
    axes.legend(handles=handles, title="marker area", loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False,
                labelspacing=1.4)
    return _svg(figure)


@_styled
def family_spread(families: pd.DataFrame, *, top: int = 20) -> bytes:
    """The largest clause families as spans from first to last year, marker area by treaties."""
    title = f"The {top} largest clause families: first and last appearance"
    families = _dated(families, "first_year", "last_year")
    if families.empty:
        return _empty(title, "No clause family (no near-copies across treaties).")
    data = families.head(top).iloc[::-1].reset_index(drop=True)
    colours = norm_colours(sorted(set(data["norm"])))
    figure = _figure(12, 0.32 * len(data) + 1.8)
    axes = figure.subplots()
    for position, row in data.iterrows():
        colour = colours[row["norm"]]
        axes.plot([row["first_year"], row["last_year"]], [position, position], color=colour, linewidth=2.5)
        axes.scatter([row["first_year"]], [position], s=15 + 4 * row["treaties"], color=colour, edgecolor="black",
                     linewidth=0.4, zorder=3)
    axes.set_yticks(range(len(data)), [f"{_shorten(row.first_treaty_name, 40)} ({row.first_year})"
                                       for row in data.itertuples()], fontsize=7)
    axes.set_title(title)
    axes.set_xlabel("year (dot: first appearance, sized by the number of treaties in the family)")
    axes.set_ylabel("family, by its first treaty")
    _whole_years(axes)
    axes.grid(axis="x", color="#e5e7e9")
    handles = [Line2D([], [], color=colour, linewidth=2.5, label=norm) for norm, colour in colours.items()]
    axes.legend(handles=handles, title="norm", loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False, fontsize=8)
    return _svg(figure)
