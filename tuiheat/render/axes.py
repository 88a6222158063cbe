"""Axis labels that stay readable: row labels in a right-aligned gutter, column labels as
short text over their cells, stacked vertically, or replaced by a key with a legend.

Labels are sanitised here (they are data from a file) before anything measures them.
"""

from __future__ import annotations

import string
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from rich.cells import cell_len, get_character_cell_size
from rich.style import Style

from tuiheat.core.labels import sanitize
from tuiheat.render.cells import pad, truncate, widest

ROW_LABEL_MAX = 16
VERTICAL_MAX = 10  # stacked labels of thousands of columns are cut to this
WRAP_MAX = 4  # lines a wrapped label may take
WRAP_MIN_ROOM = 4  # narrower cells are not worth wrapping into
BREAKS = "_-./ "
KEY_STYLE = Style(italic=True, underline=True)  # a key for a long label: never read as a token
# Keys are circled letters, ⓐ … ⓩ Ⓐ … Ⓩ: a token can be ``a``, ``the`` or ``,``, never ``ⓐ``,
# so a key reads as a key even where styles are lost (print mode, NO_COLOR, a copied screen).
KEY_ALPHABET = "".join(chr(0x24D0 + i) for i in range(26)) + "".join(
    chr(0x24B6 + i) for i in range(26)
)
ASCII_KEYS = dict(zip(KEY_ALPHABET, string.ascii_lowercase + string.ascii_uppercase))


def row_gutter(labels: Sequence[str], limit: int = ROW_LABEL_MAX) -> tuple[int, list[str]]:
    """Width of the row-label gutter and each label right-aligned in it."""
    gutter = RowGutter(labels, limit)
    return gutter.width, [gutter.label(i) for i in range(len(labels))]


ROW_TITLE_MAX = 16


def row_title_text(title: str) -> str:
    """The row axis title as it sits at the foot of the gutter, cut to ``ROW_TITLE_MAX``."""
    return truncate(sanitize(title), ROW_TITLE_MAX)


def gutter_width(rows: RowGutter, title: str) -> int:
    """The gutter: the widest row label or the row title, and a space before the cells."""
    return max(rows.width, cell_len(row_title_text(title))) + 1


class RowGutter:
    """Row labels right-aligned in a gutter as wide as the widest (up to ``limit``).

    Labels are padded when first shown, so 4096 rows cost nothing until scrolled to.
    """

    def __init__(self, labels: Sequence[str], limit: int = ROW_LABEL_MAX) -> None:
        self.labels = labels
        self.width = min(limit, widest(labels))
        self._padded: dict[int, str] = {}

    def label(self, index: int, width: int | None = None) -> str:
        text = self._padded.get(index)
        if text is None:
            text = self._padded[index] = pad(sanitize(self.labels[index]), self.width, "right")
        return text if width is None else pad(text.strip(), width, "right")


@dataclass
class ColumnHeader:
    """Text to print above the cells, and the key legend for labels shown by key.

    Horizontal, wrapped and keyed headers are built whole (few columns); a vertical
    header, which may serve thousands of columns, is built for the columns on screen only.
    ``keyed`` are the columns whose label is a key: drawn in ``KEY_STYLE`` so that a key
    never reads as a token.
    """

    lines: list[str]
    legend: list[tuple[str, str]] = field(default_factory=list)
    mode: str = "horizontal"
    labels: Sequence[str] = ()
    cell_width: int = 2
    height: int = 1
    keyed: frozenset[int] = frozenset()
    step: int = 1  # ticks: every step-th label is written
    _spans: dict[tuple[int, int], list[str]] = field(default_factory=dict)

    @property
    def line_count(self) -> int:
        return self.height if self.mode in ("vertical", "ticks") else len(self.lines)

    def text(self, line: int, col0: int, n_cols: int) -> str:
        """Header line ``line`` over columns col0 .. col0+n_cols-1."""
        cw = self.cell_width
        if self.mode not in ("vertical", "ticks"):
            return self.lines[line][col0 * cw : (col0 + n_cols) * cw]
        key = (col0, n_cols)
        span = self._spans.get(key)
        if span is None:
            if len(self._spans) > 64:
                self._spans.clear()
            if self.mode == "ticks":
                span = [self._ticks(col0, n_cols)]
            else:
                labels = [sanitize(x) for x in self.labels[col0 : col0 + n_cols]]
                span = vertical_lines(labels, cw, limit=self.height, height=self.height)
            self._spans[key] = span
        return span[line]

    def _ticks(self, col0: int, n_cols: int) -> str:
        cw, step = self.cell_width, self.step
        line = [" "] * (n_cols * cw)
        for col in range(-(-col0 // step) * step, col0 + n_cols, step):
            label = sanitize(self.labels[col])
            at = (col - col0) * cw
            for i, ch in enumerate(label[: len(line) - at]):
                line[at + i] = ch
        return "".join(line)


def column_header(labels: Sequence[str], cell_width: int, max_lines: int = 1) -> ColumnHeader:
    """The most readable layout of the column labels over cells ``cell_width`` wide that
    takes at most ``max_lines`` lines (keys take one, plus their legend elsewhere):

    1. every label on one line over its cell (with a space to spare);
    2. labels wrapped over up to ``WRAP_MAX`` lines, in cells of 5 or more;
    3. labels written top to bottom in full, one character a line (rotated tick labels);
    4. last: long labels replaced by keys, explained in a legend.

    With more long labels than keys, they are stacked vertically and truncated.
    """
    max_lines = max(1, max_lines)
    if len(labels) > 4 * len(KEY_ALPHABET):  # thousands of columns: built per screen
        if all_index(labels if isinstance(labels, tuple) else tuple(labels)):
            return ticks_header(labels, cell_width)
        longest = widest(labels)
        height = max(1, min(longest, max(max_lines, VERTICAL_MAX)))
        return ColumnHeader([], [], "vertical", labels, cell_width, height)
    clean = [sanitize(label) for label in labels]
    room = max(1, cell_width - 1)
    lengths = [cell_len(c) for c in clean]
    if all(n <= room for n in lengths):
        return ColumnHeader(["".join(_centre(c, cell_width) for c in clean)], cell_width=cell_width)
    if all(_is_index(c) for c in clean):
        return ticks_header(clean, cell_width)
    wrapped = None
    if room >= WRAP_MIN_ROOM and max_lines >= 2:
        wrapped = [wrap_label(c, room) for c in clean]
        height = max(len(w) for w in wrapped)
        if height > min(WRAP_MAX, max_lines):
            wrapped = None
        elif all(_broken_cleanly(c, w) for c, w in zip(clean, wrapped)):
            return _wrapped_header(wrapped, cell_width)
    longest = max(lengths)
    if longest <= max_lines and all(_narrow(c) for c in clean):
        return ColumnHeader([], [], "vertical", labels, cell_width, longest)
    if wrapped is not None:  # some words cut in two: still better than keys
        return _wrapped_header(wrapped, cell_width)
    return keyed_header(clean, cell_width)


def _wrapped_header(wrapped: list[list[str]], cell_width: int) -> ColumnHeader:
    height = max(len(w) for w in wrapped)
    lines = [
        "".join(_centre(w[i] if i < len(w) else "", cell_width) for w in wrapped)
        for i in range(height)
    ]
    return ColumnHeader(lines, mode="wrapped", cell_width=cell_width, height=height)


def _broken_cleanly(label: str, lines: list[str]) -> bool:
    """Every line but the last ends where the label had a break (``_``, ``-``, a space…)."""
    at = 0
    for line in lines[:-1]:
        at = label.index(line, at) + len(line)
        if at < len(label) and label[at - 1] not in BREAKS and label[at] not in BREAKS:
            return False
    return True


def ticks_header(labels: Sequence[str], cell_width: int) -> ColumnHeader:
    """Numbers too wide for their cells: every ``step``-th one, like a plot's ticks, with
    a step of 1, 2 or 5 times a power of ten that leaves a space between them."""
    longest = max(map(len, labels))
    step = 1
    while step * cell_width - 1 < longest:
        step = _next_nice(step)
    return ColumnHeader([], [], "ticks", labels, cell_width, 1, step=step)


def _next_nice(step: int) -> int:
    digits = str(step)
    return step * 5 // 2 if digits[0] == "2" else step * 2


@lru_cache(maxsize=16)
def all_index(labels: tuple[str, ...]) -> bool:
    """Whether every label is an index (asked again at each layout of the same labels)."""
    return all(_is_index(x) for x in labels)


def _is_index(label: str) -> bool:
    return label.lstrip("-").isdigit() and label.isascii()


def keyed_header(clean: Sequence[str], cell_width: int) -> ColumnHeader:
    """Long labels become keys ``a``, ``b`` … in the order of the axis (the same keys at
    any width); labels that fit stay as they are."""
    room = max(1, cell_width - 1)
    long = [i for i, c in enumerate(clean) if cell_len(c) > room]
    if len(long) > len(KEY_ALPHABET):
        height = min(VERTICAL_MAX, max(cell_len(c) for c in clean))
        return ColumnHeader([], [], "vertical", clean, cell_width, height)
    keys = dict(zip(long, KEY_ALPHABET))
    cells = [_centre(keys.get(i, c), cell_width) for i, c in enumerate(clean)]
    legend = [(keys[i], clean[i]) for i in long]
    return ColumnHeader(
        ["".join(cells)], legend, "key", cell_width=cell_width, keyed=frozenset(long)
    )


def wrap_label(label: str, room: int, most: int = WRAP_MAX + 1) -> list[str]:
    """``exact_answer_before_first`` in lines of ``room`` cells, broken after ``_``, ``-``,
    ``.``, ``/`` or a space where one is near, else anywhere; ``most`` lines at most (a
    label that needs more is not wrapped anyway: a million-character one costs nothing)."""
    lines: list[str] = []
    rest = label
    while cell_len(rest[: 4 * room + 4]) > room and len(lines) < most:
        head = truncate(rest[: 4 * room + 4], room, ellipsis="")
        cut = max(head.rfind(ch) for ch in BREAKS) + 1
        if cut < max(2, len(head) // 2):
            cut = len(head)
        lines.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest or not lines:
        lines.append(rest)
    return lines


def _narrow(label: str) -> bool:
    return all(get_character_cell_size(ch) == 1 for ch in label)


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
                _centre(ch, cell_width) if cell_len(ch) <= cell_width else " " * cell_width
            )
        lines.append("".join(parts))
    return lines


def legend_rows(
    legend: Sequence[tuple[str, str]], width: int, prefix: str = ""
) -> list[list[tuple[str, str]]]:
    """The legend's items wrapped to ``width`` cells after ``prefix``: the items of each line."""
    rows: list[list[tuple[str, str]]] = []
    used = 0
    limit = max(8, width - cell_len(prefix) - 4)
    for key, label in legend:
        item = (key, truncate(label, limit))
        size = cell_len(f"{key} {item[1]}")
        if rows and cell_len(prefix) + used + 2 + size <= width:
            rows[-1].append(item)
            used += 2 + size
        else:
            rows.append([item])
            used = size
    return rows


def legend_lines(legend: Sequence[tuple[str, str]], width: int, prefix: str = "") -> list[str]:
    """``Token: a last_q  b first_answer ...`` wrapped to ``width`` cells, aligned under the first."""
    indent = " " * cell_len(prefix)
    return [
        (prefix if i == 0 else indent) + "  ".join(f"{k} {label}" for k, label in row)
        for i, row in enumerate(legend_rows(legend, width, prefix))
    ]
