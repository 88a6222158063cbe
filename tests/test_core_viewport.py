from __future__ import annotations

import pytest

from tuiheat.core.viewport import Cursor, clamp, scroll_to_show, visible_span


def test_cursor_never_leaves_the_matrix() -> None:
    c = Cursor(0, 0, 5, 3)
    assert c.moved(-1, -1).cell == (0, 0)
    assert c.moved(10, 10).cell == (4, 2)
    assert c.at(row=2).cell == (2, 0)
    assert Cursor(99, -5, 5, 3).cell == (4, 0)


@pytest.mark.parametrize(
    ("first", "visible", "target", "total", "expected"),
    [
        (0, 10, 5, 100, 0),  # already visible
        (0, 10, 10, 100, 1),  # one past the bottom: scroll by one
        (20, 10, 3, 100, 3),  # above: the target becomes the first line
        (0, 10, 99, 100, 90),  # the end: never past total - visible
        (95, 10, 97, 100, 90),  # a stale first line is clamped
        (0, 0, 7, 100, 7),  # nothing fits: the target first
        (0, 50, 3, 10, 0),  # everything fits
    ],
)
def test_scroll_to_show(first: int, visible: int, target: int, total: int, expected: int) -> None:
    assert scroll_to_show(first, visible, target, total) == expected


def test_visible_span_and_clamp() -> None:
    assert list(visible_span(8, 5, 10)) == [8, 9]
    assert list(visible_span(-3, 2, 10)) == [0, 1]
    assert clamp(5, 0, 3) == 3 and clamp(-1, 0, 3) == 0
