"""Cursor and viewport arithmetic: which cells are on screen and where the cursor may go.

Pure integers, so every rule (clamping, keeping the cursor in view, paging)
is tested without a terminal.
"""

from __future__ import annotations

from dataclasses import dataclass


def clamp(value: int, low: int, high: int) -> int:
    return max(low, min(high, value))


@dataclass(frozen=True)
class Cursor:
    """A cell of an ``n_rows`` x ``n_cols`` matrix; moves never leave the matrix."""

    row: int
    col: int
    n_rows: int
    n_cols: int

    def __post_init__(self) -> None:
        object.__setattr__(self, "row", clamp(self.row, 0, self.n_rows - 1))
        object.__setattr__(self, "col", clamp(self.col, 0, self.n_cols - 1))

    def moved(self, d_row: int = 0, d_col: int = 0) -> Cursor:
        return Cursor(self.row + d_row, self.col + d_col, self.n_rows, self.n_cols)

    def at(self, row: int | None = None, col: int | None = None) -> Cursor:
        return Cursor(
            self.row if row is None else row,
            self.col if col is None else col,
            self.n_rows,
            self.n_cols,
        )

    @property
    def cell(self) -> tuple[int, int]:
        return (self.row, self.col)


def scroll_to_show(first: int, visible: int, target: int, total: int) -> int:
    """The first visible index after the least scrolling that shows ``target``.

    ``visible`` items fit on screen; the result stays within 0..total-visible.
    """
    if visible <= 0:
        return clamp(target, 0, max(0, total - 1))
    if target < first:
        first = target
    elif target >= first + visible:
        first = target - visible + 1
    return clamp(first, 0, max(0, total - visible))


def visible_span(first: int, visible: int, total: int) -> range:
    """Indices on screen, never past the end."""
    first = clamp(first, 0, max(0, total - 1))
    return range(first, min(total, first + max(0, visible)))
