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
    clean = [sanitize(label) for label in labels]
    width = min(limit, max((cell_len(c) for c in clean), default=1))
    return width, [pad(c, width, "right") for c in clean]


@dataclass
class ColumnHeader:
    """Lines of text to print above the cells, and the key legend for labels shown by key."""

    lines: list[str]
    legend: list[tuple[str, str]] = field(default_factory=list)
    mode: str = "horizontal"


def column_header(labels: Sequence[str], cell_width: int) -> ColumnHeader:
    """Choose the most readable layout for the column labels over cells ``cell_width`` wide.

    1. Every label fits over its cell (with a space to spare): one line.
    2. Otherwise labels that fit stay, the rest get a one-letter key explained
       in a legend (the seed's ``exact_answer_before_first`` becomes ``d``).
    3. With more long labels than keys: labels stacked vertically, truncated.
    """
    clean = [sanitize(label) for label in labels]
    room = max(1, cell_width - 1)
    fits = [cell_len(c) <= room for c in clean]
    if all(fits):
        return ColumnHeader(["".join(_centre(c, cell_width) for c in clean)])
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
        return ColumnHeader(["".join(cells)], legend, "key")
    return ColumnHeader(vertical_lines(clean, cell_width), [], "vertical")


def _centre(text: str, width: int) -> str:
    """Right-leaning centring: a 1-character label sits over the right half of a 2-wide cell."""
    text = truncate(text, width)
    gap = width - cell_len(text)
    right = gap // 2
    return " " * (gap - right) + text + " " * right


def vertical_lines(labels: Sequence[str], cell_width: int, limit: int = VERTICAL_MAX) -> list[str]:
    """Labels written top to bottom, one character per line, ending just above their cells."""
    columns: list[list[str]] = []
    for label in labels:
        chars = [ch for ch in truncate(label, limit) if get_character_cell_size(ch) > 0]
        columns.append(chars)
    height = max((len(c) for c in columns), default=0)
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
