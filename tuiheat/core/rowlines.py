"""Matrix rows on terminal lines, counted in half lines: a row ``p`` half lines tall.

``p = 1`` is half-block mode (two rows a line, ``▀``); ``p = 2`` one row a line; ``p = 3``
a row and a half, so 32 rows fill 48 lines; ``p = 4`` two lines a row. A line then holds
either one row (a *full* line, drawn as cells) or the lower part of one row and the upper
part of the next (a *shared* line, drawn in half blocks). Pure integers, tested without
a terminal.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RowLines:
    p: int = 2  # half lines a row

    def __post_init__(self) -> None:
        if self.p < 1:
            raise ValueError(f"a row takes at least one half line, not {self.p}")

    def lines(self, n_rows: int) -> int:
        """Lines that ``n_rows`` rows take."""
        return -(-n_rows * self.p // 2)

    def rows_at(self, line: int) -> tuple[int, int]:
        """The rows in the upper and lower half of ``line`` (equal on a full line)."""
        return (2 * line) // self.p, (2 * line + 1) // self.p

    def first_line(self, row: int) -> int:
        return row * self.p // 2

    def last_line(self, row: int) -> int:
        return (row * self.p + self.p - 1) // 2

    def full_lines(self, row: int) -> range:
        """The lines that hold ``row`` alone (none in half-block mode)."""
        start = -(-row * self.p // 2)
        stop = (row * self.p + self.p) // 2
        return range(start, max(start, stop))

    def label_line(self, row: int) -> int:
        """Where the row's label, numbers and marks go: its middle full line (the line
        holding it, in half-block mode)."""
        full = self.full_lines(row)
        return full[(len(full) - 1) // 2] if full else self.first_line(row)

    def rows_in(self, first_line: int, n_lines: int) -> range:
        """The rows that show, wholly or in part, on ``n_lines`` lines from ``first_line``."""
        if n_lines <= 0:
            return range(self.rows_at(first_line)[0], self.rows_at(first_line)[0])
        return range(self.rows_at(first_line)[0], self.rows_at(first_line + n_lines - 1)[1] + 1)
