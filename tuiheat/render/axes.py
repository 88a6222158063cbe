"""Axis labels that stay readable: row labels in a right-aligned gutter, column labels as
short text over their cells, stacked vertically, or replaced by a key with a legend.

Labels are sanitised here (they are data from a file) before anything measures them.
"""

from __future__ import annotations

import string
from collections.abc import Sequence
from dataclasses import dataclass, field

from rich.cells import cell_len, get_character_cell_size

from tuiheat.core.labels import sanitize
from tuiheat.render.cells import pad, truncate

ROW_LABEL_MAX = 16
VERTICAL_MAX = 10
KEY_ALPHABET = string.ascii_lowercase + string.ascii_uppercase


def row_gutter(labels: Sequence[str], limit: int = ROW_LABEL_MAX) -> tuple[int, list[str]]:
    """Width of the row-label gutter and each label right-aligned in it."""
    gutter = RowGutter(labels, limit)
    return gutter.width, [gutter.label(i) for i in range(len(labels))]


class RowGutter:
    """Row labels right-aligned in a gutter as wide as the widest (up to ``limit``).

    Labels are padded when first shown, so 4096 rows cost nothing until scrolled to.
    """

    def __init__(self, labels: Sequence[str], limit: int = ROW_LABEL_MAX) -> None:
        self.labels = labels
        self.width = min(limit, max((cell_len(sanitize(x)) for x in labels), default=1))
        self._padded: dict[int, str] = {}

    def label(self, index: int, width: int | None = None) -> str:
        text = self._padded.get(index)
        if text is None:
            text = self._padded[index] = pad(sanitize(self.labels[index]), self.width, "right")
        return text if width is None else pad(text.strip(), width, "right")


@dataclass
class ColumnHeader:
    """Text to print above the cells, and the key legend for labels shown by key.

    Horizontal and keyed headers are built whole (few columns); a vertical header,
    which serves thousands of columns, is built for the columns on screen only.
    """

    lines: list[str]
    legend: list[tuple[str, str]] = field(default_factory=list)
    mode: str = "horizontal"
    labels: Sequence[str] = ()
    cell_width: int = 2
    height: int = 1
    _spans: dict[tuple[int, int], list[str]] = field(default_factory=dict)

    @property
    def line_count(self) -> int:
        return len(self.lines) if self.mode != "vertical" else self.height

    def text(self, line: int, col0: int, n_cols: int) -> str:
        """Header line ``line`` over columns col0 .. col0+n_cols-1."""
        cw = self.cell_width
        if self.mode != "vertical":
            return self.lines[line][col0 * cw : (col0 + n_cols) * cw]
        key = (col0, n_cols)
        span = self._spans.get(key)
        if span is None:
            if len(self._spans) > 64:
                self._spans.clear()
            labels = [sanitize(x) for x in self.labels[col0 : col0 + n_cols]]
            span = self._spans[key] = vertical_lines(labels, cw, height=self.height)
        return span[line]


def column_header(labels: Sequence[str], cell_width: int) -> ColumnHeader:
    """Choose the most readable layout for the column labels over cells ``cell_width`` wide.

    1. Every label fits over its cell (with a space to spare): one line.
    2. Otherwise labels that fit stay, the rest get a one-letter key explained
       in a legend (the seed's ``exact_answer_before_first`` becomes ``d``).
    3. With more long labels than keys: labels stacked vertically, truncated.
    """
    if len(labels) > 4 * len(KEY_ALPHABET):  # thousands of columns: stacked, built per screen
        height = min(VERTICAL_MAX, max(cell_len(sanitize(x)) for x in labels))
        return ColumnHeader([], [], "vertical", labels, cell_width, height)
    clean = [sanitize(label) for label in labels]
    room = max(1, cell_width - 1)
    fits = [cell_len(c) <= room for c in clean]
    if all(fits):
        return ColumnHeader(["".join(_centre(c, cell_width) for c in clean)], cell_width=cell_width)
    n_long = fits.count(False)
    shown = {c for c, ok in zip(clean, fits) if ok}
    keys = [k for k in KEY_ALPHABET if k not in shown and cell_len(k) <= room]
    if n_long <= len(keys):
        legend = []
        cells = []
        it = iter(keys)
        for label, ok in zip(clean, fits):
            if ok:
                cells.append(_centre(label, cell_width))
            else:
                key = next(it)
                legend.append((key, label))
                cells.append(_centre(key, cell_width))
        return ColumnHeader(["".join(cells)], legend, "key", cell_width=cell_width)
    height = min(VERTICAL_MAX, max(cell_len(c) for c in clean))
    return ColumnHeader([], [], "vertical", labels, cell_width, height)


def _centre(text: str, width: int) -> str:
    """Right-leaning centring: a 1-character label sits over the right half of a 2-wide cell."""
    text = truncate(text, width)
    gap = width - cell_len(text)
    right = gap // 2
    return " " * (gap - right) + text + " " * right


def vertical_lines(
    labels: Sequence[str], cell_width: int, limit: int = VERTICAL_MAX, height: int | None = None
) -> list[str]:
    """Labels written top to bottom, one character per line, ending just above their cells."""
    columns: list[list[str]] = []
    for label in labels:
        chars = [ch for ch in truncate(label, limit) if get_character_cell_size(ch) > 0]
        columns.append(chars)
    height = max((len(c) for c in columns), default=0) if height is None else height
    lines = []
    for row in range(height):
        parts = []
        for chars in columns:
            k = row - (height - len(chars))
            ch = chars[k] if k >= 0 else " "
            parts.append(
                pad(ch, cell_width, "left") if cell_len(ch) <= cell_width else " " * cell_width
            )
        lines.append("".join(parts))
    return lines


def legend_lines(legend: Sequence[tuple[str, str]], width: int, prefix: str = "") -> list[str]:
    """``Token: a last_q   b first_answer ...`` wrapped to ``width`` cells, aligned under the first."""
    if not legend:
        return []
    indent = " " * cell_len(prefix)
    lines: list[str] = []
    current = ""
    for key, label in legend:
        item = f"{key} {truncate(label, max(8, width - cell_len(prefix) - 4))}"
        if current and cell_len(prefix + current + "   " + item) > width:
            lines.append(current)
            current = item
        else:
            current = f"{current}   {item}" if current else item
    lines.append(current)
    return [(prefix if i == 0 else indent) + line for i, line in enumerate(lines)]
