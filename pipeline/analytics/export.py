"""Writing a table as CSV, Excel, Parquet, Stata or JSON, with its codebook where the format can hold one."""

from __future__ import annotations

import keyword
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from pipeline.analytics.codebook import meaning
from pipeline.errors import CybernormsError
from pipeline.taxonomy import LABELS, TAXONOMY_VERSION

FORMATS = ("csv", "xlsx", "parquet", "dta", "json")
LIST_SEPARATOR = "; "
BINDINGNESS_CODES = {"soft": 1, "mixed": 2, "hard": 3}
EXCEL_CELL_LIMIT = 32_767
EXCEL_ROW_LIMIT = 1_048_576


@dataclass(frozen=True)
class ExportNotes:
    """What the Excel workbook says about the data besides the data."""

    table: str
    source_note: str
    model_version: str


def is_list_column(series: pd.Series) -> bool:
    sample = series.dropna()
    return len(sample) > 0 and isinstance(sample.iloc[0], list | tuple | np.ndarray)


def join_lists(frame: pd.DataFrame) -> pd.DataFrame:
    """List columns as text joined with '; ' (no NumPy reprs, no line breaks)."""
    frame = frame.copy()
    for column in frame.columns:
        if is_list_column(frame[column]):
            frame[column] = frame[column].map(
                lambda v: LIST_SEPARATOR.join(str(x) for x in v) if isinstance(v, list | tuple | np.ndarray) else v)
    return frame


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    join_lists(frame).to_csv(path, index=False)


def csv_text(frame: pd.DataFrame) -> str:
    return join_lists(frame).to_csv(index=False)


def write_json(frame: pd.DataFrame, path: Path) -> None:
    lists = [c for c in frame.columns if is_list_column(frame[c])]
    frame = frame.copy()
    for column in lists:  # arrays, not NumPy objects, in the JSON
        frame[column] = frame[column].map(lambda v: list(v) if isinstance(v, list | tuple | np.ndarray) else v)
    frame.to_json(path, orient="records", date_format="iso", force_ascii=False, indent=1)


def write_parquet(frame: pd.DataFrame, path: Path) -> None:
    frame.to_parquet(path, index=False)


# --- Excel -----------------------------------------------------------------------------------

def write_xlsx(frame: pd.DataFrame, path: Path, notes: ExportNotes) -> None:
    """Data sheet, codebook, labels and source sheets. Every text cell is stored as text: a
    clause that starts with "=" must never become a formula (openpyxl would otherwise store
    such strings as formulas, and Excel would evaluate them)."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if len(frame) + 1 > EXCEL_ROW_LIMIT:
        raise CybernormsError(f"{notes.table}: {len(frame):,} rows do not fit an Excel sheet "
                              f"({EXCEL_ROW_LIMIT - 1:,} at most): export it as csv or parquet instead")
    data = join_lists(frame)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = notes.table[:31]
    header = _append_rows(sheet, [list(data.columns)], ILLEGAL_CHARACTERS_RE, notes.table)
    _append_rows(sheet, data.itertuples(index=False, name=None), ILLEGAL_CHARACTERS_RE, notes.table, after=header)
    sheet.freeze_panes = "A2"
    codebook = workbook.create_sheet("codebook")
    _append_rows(codebook, [["column", "meaning", "values"]]
                 + [[c, *meaning(str(c))] for c in frame.columns], ILLEGAL_CHARACTERS_RE, "codebook")
    labels = workbook.create_sheet("labels")
    _append_rows(labels, [["label", "topic", f"taxonomy version {TAXONOMY_VERSION}"]]
                 + [[label.id, label.topic, ""] for label in LABELS], ILLEGAL_CHARACTERS_RE, "labels")
    source = workbook.create_sheet("source")
    _append_rows(source, [["item", "value"], ["table", notes.table], ["source and licence", notes.source_note],
                          ["model version", notes.model_version], ["rows", len(frame)]],
                 ILLEGAL_CHARACTERS_RE, "source")
    workbook.save(path)


def _append_rows(sheet, rows, illegal: re.Pattern, table: str, *, after: int = 0) -> int:
    """Append rows below row `after`; returns the last row written. (Counted here: sheet.max_row
    scans every cell and made a 1,000-row sheet take seconds.)"""
    row_number = after
    for row in rows:
        values = [_excel_value(v, illegal, table) for v in row]
        sheet.append(values)
        row_number += 1
        for column, value in enumerate(values, start=1):
            if isinstance(value, str) and value.startswith("="):
                sheet.cell(row_number, column).data_type = "s"  # text, not a formula
    return row_number


def _excel_value(value, illegal: re.Pattern, table: str):
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, str):
        value = illegal.sub("", value)
        if len(value) > EXCEL_CELL_LIMIT:
            raise CybernormsError(f"{table}: a text of {len(value):,} characters exceeds Excel's cell limit "
                                  f"({EXCEL_CELL_LIMIT:,}): export it as csv or parquet instead")
    return value


# --- Stata -----------------------------------------------------------------------------------

_STATA_RESERVED = {
    "_all", "_b", "byte", "_coef", "_cons", "double", "float", "if", "in", "int", "long", "_n", "_N", "_pi", "_pred",
    "_rc", "_skip", "strL", "using", "with",
} | {f"str{i}" for i in range(1, 2046)}


def stata_names(columns: list[str]) -> dict[str, str]:
    """Column -> Stata variable name: at most 32 characters, letters, digits and underscores,
    not starting with a digit, not a reserved word, unique (a clash gets _2, _3, ...)."""
    names: dict[str, str] = {}
    used: set[str] = set()
    for column in columns:
        base = re.sub(r"[^A-Za-z0-9_]", "_", str(column)) or "var"
        if base[0].isdigit():
            base = "v" + base
        if base in _STATA_RESERVED or keyword.iskeyword(base):
            base = base + "_"
        base = base[:32]
        name, n = base, 2
        while name.lower() in used:
            suffix = f"_{n}"
            name, n = base[:32 - len(suffix)] + suffix, n + 1
        used.add(name.lower())
        names[column] = name
    return names


def write_dta(frame: pd.DataFrame, path: Path, notes: ExportNotes) -> None:
    """Stata 118 (Unicode): our variable names, labels <= 80 characters, value labels for
    bindingness and the 0-3 codes; lists joined with '; '; long texts as strL."""
    from pipeline.taxonomy import LABEL_IDS

    data = join_lists(frame)
    value_labels: dict[str, dict[float, str]] = {}
    for column in data.columns:
        series = data[column]
        if column == "bindingness":
            data[column] = series.map(BINDINGNESS_CODES).astype("float64")
            value_labels[column] = {float(code): name for name, code in BINDINGNESS_CODES.items()}
        elif column in LABEL_IDS:
            data[column] = series.astype("int16")
            value_labels[column] = {0.0: "none", 1.0: "soft", 2.0: "mixed", 3.0: "hard"}
        elif pd.api.types.is_bool_dtype(series):
            data[column] = series.astype("int8")
        elif pd.api.types.is_integer_dtype(series) and series.isna().any() or str(series.dtype) in ("Int64", "Int32"):
            data[column] = series.astype("float64")  # Stata's missing value for nullable integers
        elif pd.api.types.is_float_dtype(series) or pd.api.types.is_integer_dtype(series):
            pass
        elif pd.api.types.is_datetime64_any_dtype(series):
            pass
        else:
            data[column] = series.map(lambda v: None if v is None or v is pd.NA or
                                      (isinstance(v, float) and np.isnan(v)) else str(v)).astype(object)
            data[column] = data[column].fillna("")
    names = stata_names(list(data.columns))
    labels = {names[c]: _label(c) for c in data.columns}
    data = data.rename(columns=names)
    value_labels = {names[c]: v for c, v in value_labels.items()}
    long_text = [c for c in data.columns if data[c].dtype == object and len(data) and data[c].map(len).max() > 2045]
    dates = {c: "td" for c in data.columns if pd.api.types.is_datetime64_any_dtype(data[c])}
    data.to_stata(path, write_index=False, version=118, variable_labels=labels, value_labels=value_labels or None,
                  convert_strl=long_text, convert_dates=dates or None,
                  data_label=f"cybernorms {notes.table}; {notes.source_note}"[:80])


def _label(column: str) -> str:
    text = meaning(str(column))[0] or str(column)
    return text if len(text) <= 80 else text[:79] + "…"


def write(frame: pd.DataFrame, fmt: str, path: Path, notes: ExportNotes) -> Path:
    writers: dict[str, Callable[[], None]] = {
        "csv": lambda: write_csv(frame, path),
        "json": lambda: write_json(frame, path),
        "parquet": lambda: write_parquet(frame, path),
        "xlsx": lambda: write_xlsx(frame, path, notes),
        "dta": lambda: write_dta(frame, path, notes),
    }
    if fmt not in writers:
        raise CybernormsError(f"--format {fmt}: choose from {', '.join(FORMATS)}")
    path.parent.mkdir(parents=True, exist_ok=True)
    writers[fmt]()
    return path
