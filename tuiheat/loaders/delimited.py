"""CSV/TSV in the layouts probing code writes with pandas (``df.to_csv()``, with or without index).

- ``df.to_csv(index=False)``: a header of column labels, one row per layer; rows are 0..N-1.
- ``df.to_csv()``: the same with a first column of row labels under an empty
  header cell, or under the index name (``layer``), which becomes the row title.
- ``np.savetxt``: no header at all, just numbers.

A cell that is not a number is an error naming its line and column, never a
silent NaN; an empty cell is NaN.
"""

from __future__ import annotations

import csv
import itertools
import math
import re

import numpy as np

from tuiheat.core import HeatMatrix, MatrixError
from tuiheat.loaders.base import LoadError, Source

# Header names pandas writes for an index column (df.index.name), case-insensitive.
INDEX_NAMES = frozenset(
    {
        "layer",
        "layers",
        "layer_idx",
        "layer_index",
        "row",
        "rows",
        "index",
        "idx",
        "unnamed: 0",
        "l",
    }
)
_MISSING = frozenset({"", "nan", "na", "n/a", "null", "none", "-nan"})
_FLOAT_LIKE = re.compile(r"^[\s+-]*(\d|\.\d|inf|nan)", re.IGNORECASE)

csv.field_size_limit(16 * 1024**2)


def parse_cell(text: str) -> float | None:
    """The number in a cell, NaN for an empty/NA cell, None when it is not a number."""
    stripped = text.strip()
    if stripped.lower() in _MISSING:
        return math.nan
    try:
        return float(stripped)
    except ValueError:
        return None


def _is_number(text: str) -> bool:
    stripped = text.strip()
    if not stripped or stripped.lower() in _MISSING:
        return False
    try:
        float(stripped)
    except ValueError:
        return False
    return True


def _is_int(text: str) -> bool:
    try:
        int(text.strip())
    except ValueError:
        return False
    return True


DELIMITERS = (",", ";", "\t", "|")
SNIFF_LINES = 20


class OneColumn(LoadError):
    """Every line is one cell: the delimiter in use is not the file's."""


def sniff_delimiter(lines: list[str], suffix: str) -> str:
    """The delimiter found on every one of the first lines the same number of times
    (``;`` with decimal commas, as spreadsheets in much of Europe write); else by suffix."""
    if suffix == ".tsv":
        return "\t"
    lines = _first_lines(lines)
    for delimiter in DELIMITERS:
        if _splits_alike(lines, delimiter):
            return delimiter
    if suffix == ".csv" or not lines:
        return ","
    counts = {d: lines[0].count(d) for d in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _first_lines(lines: list[str]) -> list[str]:
    return [line for line in lines[: 4 * SNIFF_LINES] if line.strip()][:SNIFF_LINES]


def _splits_alike(lines: list[str], delimiter: str) -> bool:
    """``delimiter`` is on every line, the same number of times."""
    counts = {line.count(delimiter) for line in lines}
    return len(counts) == 1 and counts != {0}


def delimiter_flag(delimiter: str) -> str:
    """How the command line spells it: ``--delimiter ';'``, ``--delimiter tab``."""
    named = {"\t": "tab", " ": "space"}
    return f"--delimiter {named.get(delimiter, repr(delimiter))}"


def likely_delimiter(lines: list[str], other_than: str | None = None) -> str | None:
    """A character that splits each of the first lines alike (``,`` ``;`` tab ``|`` first,
    then any other punctuation or a space), for a hint that names what would work."""
    lines = _first_lines(lines)
    if not lines:
        return None
    others = sorted({c for c in lines[0] if not c.isalnum() and c not in "\"'.-+_\r\n"})
    for candidate in (*DELIMITERS, *[c for c in others if c != " "], " "):
        if candidate != other_than and _splits_alike(lines, candidate):
            return candidate
    return None


def one_column_message(lines: list[str], given: str | None) -> str:
    """What went wrong when every line is one cell, and the delimiter that would work."""
    found = likely_delimiter(lines, other_than=given)
    if given is not None:
        head = f"with {delimiter_flag(given)} every line is one column (no values)"
        if found is None:
            return f"{head}; it is not this file's delimiter: leave --delimiter out, or give the one it uses"
    else:
        head = (
            "the file has row labels but no value columns: its delimiter was not recognised "
            "(tried , ; tab |)"
        )
        if found is None:
            return f"{head}; give it with --delimiter C"
    return f"{head}; every line holds {found!r}: try {delimiter_flag(found)}"


_DECIMAL_COMMA = re.compile(r"^\s*[+-]?(\d+,\d*|,\d+)([eE][+-]?\d+)?\s*$")


def decimal_points(row: list[str]) -> list[str]:
    """``0,875`` read as 0.875 (only where ``,`` is not the delimiter)."""
    return [cell.replace(",", ".") if _DECIMAL_COMMA.match(cell) else cell for cell in row]


def load_delimited(source: Source, key: str | None = None) -> HeatMatrix:
    if key is not None:
        raise LoadError("--key applies to .npz and .json files, not to CSV")
    text = source.read_text()
    if "\x00" in text:
        raise LoadError("the file holds NUL bytes; it is not a text CSV")
    text_lines = text.splitlines()
    delimiter = source.delimiter or sniff_delimiter(text_lines, source.suffix)
    reader = csv.reader(text_lines, delimiter=delimiter)
    rows: list[list[str]] = []
    lines: list[int] = []
    try:
        for row in reader:
            if _has_content(row):
                rows.append(row)
                lines.append(reader.line_num)
    except csv.Error as err:
        raise LoadError(f"malformed CSV at line {reader.line_num}: {err}") from None
    if not rows:
        raise LoadError("the file holds no rows")
    if delimiter != ",":
        rows = [decimal_points(row) for row in rows]
    try:
        return rows_to_matrix(rows, lines)
    except OneColumn:
        raise LoadError(one_column_message(text_lines, source.delimiter)) from None
    except LoadError as err:
        given = source.delimiter
        found = likely_delimiter(text_lines, other_than=given) if given else None
        if given is None or found is None or _splits_alike(_first_lines(text_lines), given):
            raise
        raise LoadError(
            f"{err} (with {delimiter_flag(given)}; every line holds {found!r}: "
            f"try {delimiter_flag(found)})"
        ) from None


def _has_content(row: list[str]) -> bool:
    return any(cell.strip() for cell in row)


def _has_header(first: list[str], rest: list[list[str]]) -> bool:
    """Whether the first row is labels rather than data (np.savetxt writes no header).

    A row with any non-number is a header. An all-number row is a header only
    when it looks like column positions (integers counting up by one, e.g.
    pandas' default RangeIndex or -8..-1) while data rows hold non-integers.
    """
    cells = [c.strip() for c in first]
    if any(not _is_number(c) for c in cells[1:]) or (cells[0] and not _is_number(cells[0])):
        return True
    numbered = [c for c in cells if c]
    if cells[0] == "" and len(numbered) == len(cells) - 1:
        return True  # pandas: blank corner cell over the index column
    if not all(_is_int(c) for c in numbered):
        return False
    ints = [int(c) for c in numbered]
    counting = all(b - a == 1 for a, b in itertools.pairwise(ints))
    data_has_fraction = any(not _is_int(c) for row in rest[:5] for c in row if _is_number(c))
    return counting and (data_has_fraction or not rest)


def _has_label_column(header: list[str] | None, body: list[list[str]]) -> bool:
    first_col = [row[0].strip() for row in body if row]
    if any(c and not _is_number(c) and c.lower() not in _MISSING for c in first_col):
        return True
    if header is None:
        return False
    corner = header[0].strip()
    if corner == "":
        return True
    others = [c for c in header[1:] if c.strip()]
    if corner.lower() in INDEX_NAMES and all(_is_int(c) for c in first_col if c):
        return True
    if not _is_number(corner) and _counts_up(first_col) and _has_fractions(body):
        return True  # df.to_csv() of an index named in any language: "Schicht", "couche"
    # "layer,0,1,2": a named corner above numeric column positions.
    return bool(not _is_number(corner) and others and all(_is_number(c) for c in others))


def _counts_up(cells: list[str]) -> bool:
    """0, 1, 2, ... (or 1, 2, 3, ...): a row index, as pandas writes one."""
    if len(cells) < 2 or not all(_is_int(c) for c in cells):
        return False
    ints = [int(c) for c in cells]
    return ints[0] in (0, 1) and all(b - a == 1 for a, b in itertools.pairwise(ints))


def _has_fractions(body: list[list[str]]) -> bool:
    return any(not _is_int(c) for row in body[:20] for c in row[1:] if _is_number(c))


def rows_to_matrix(rows: list[list[str]], lines: list[int] | None = None) -> HeatMatrix:
    """Non-blank rows (and their 1-based line numbers, for messages) as a matrix."""
    lines = lines if lines is not None else list(range(1, len(rows) + 1))
    header = rows[0] if _has_header(rows[0], rows[1:]) else None
    body = rows[1:] if header is not None else rows
    body_lines = lines[1:] if header is not None else lines
    if not body:
        raise LoadError("the file has a header but no data rows")
    label_col = _has_label_column(header, body)
    start = 1 if label_col else 0
    width = len(header) if header is not None else len(body[0])
    n_cols = width - start
    if n_cols <= 0:
        raise OneColumn("no value columns")
    # Labels as written: " the" and "the" are different tokens (pandas keeps them apart too).
    col_labels = list(header[start:]) if header is not None else None
    values = np.empty((len(body), n_cols), dtype=np.float64)
    row_labels: list[str] = []
    for r, row in enumerate(body):
        if len(row) != width:
            # Trailing empty cells from spreadsheet exports are tolerated.
            if len(row) > width and not any(c.strip() for c in row[width:]):
                row = row[:width]
            else:
                raise LoadError(
                    f"line {body_lines[r]} has {len(row)} cells but the "
                    f"{'header' if header is not None else 'first line'} has {width}"
                )
        if label_col:
            row_labels.append(row[0])
        for c, cell in enumerate(row[start:]):
            number = parse_cell(cell)
            if number is None:
                column = repr(col_labels[c]) if col_labels is not None else str(c + start + 1)
                raise LoadError(
                    f"line {body_lines[r]}, column {column}: {_short(cell)} is not a number"
                )
            values[r, c] = number
    fields: dict[str, object] = {}
    if col_labels is not None:
        fields["col_labels"] = col_labels
    if label_col:
        fields["row_labels"] = row_labels
        corner = header[0].strip() if header is not None else ""
        if corner and corner.lower() not in ("unnamed: 0", "index"):
            fields["row_title"] = corner
    try:
        return HeatMatrix(values, **fields)  # type: ignore[arg-type]
    except MatrixError as err:
        raise LoadError(str(err)) from None


def _short(cell: str) -> str:
    text = cell.strip()
    shown = text if len(text) <= 30 else text[:27] + "..."
    return repr(shown)
