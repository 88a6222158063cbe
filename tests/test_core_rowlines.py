"""Rows on lines in half lines: two rows a line, one, a line and a half, several."""

from __future__ import annotations

import pytest

from tuiheat.core.rowlines import RowLines


def test_half_blocks_and_one_row_a_line_are_the_two_smallest_heights() -> None:
    half, one = RowLines(1), RowLines(2)
    assert half.lines(32) == 16 and half.rows_at(3) == (6, 7)
    assert half.full_lines(6) == range(0) and half.label_line(7) == 3
    assert one.lines(32) == 32 and one.rows_at(5) == (5, 5)
    assert one.full_lines(5) == range(5, 6) and one.label_line(5) == 5


def test_a_row_and_a_half_shares_every_other_line_with_its_neighbour() -> None:
    rows = RowLines(3)
    assert rows.lines(32) == 48  # 32 rows fill 48 lines: the seed at 200x60
    assert [rows.rows_at(y) for y in range(4)] == [(0, 0), (0, 1), (1, 1), (2, 2)]
    assert [rows.full_lines(r) for r in range(3)] == [range(0, 1), range(2, 3), range(3, 4)]
    assert [rows.label_line(r) for r in range(4)] == [0, 2, 3, 5]
    assert (rows.first_line(1), rows.last_line(1)) == (1, 2)


@pytest.mark.parametrize("p", range(1, 16))
def test_every_line_holds_the_rows_that_claim_it(p: int) -> None:
    rows = RowLines(p)
    n = 7
    for row in range(n):
        lines = range(rows.first_line(row), rows.last_line(row) + 1)
        assert all(row in rows.rows_at(y) for y in lines)
        assert all(rows.rows_at(y) == (row, row) for y in rows.full_lines(row))
        if p >= 2:  # a row at least a line tall has a line of its own for its label
            assert rows.label_line(row) in rows.full_lines(row)
    assert rows.last_line(n - 1) == rows.lines(n) - 1
    assert rows.rows_in(0, rows.lines(n)) == range(0, n + (1 if p % 2 and n % 2 else 0))


def test_a_row_is_at_least_a_half_line() -> None:
    with pytest.raises(ValueError):
        RowLines(0)
