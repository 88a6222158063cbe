"""Where a grid's cells are on screen, worked out once per place, scroll and layout.

Each of the grid's geometry properties asks Textual for the widget's region and scrollbars
(a walk up the DOM and a look-up in the compositor's map); a cursor step over 64 panels
asked for them some 600 times. ``GeometryCache`` keeps one ``GridGeometry`` for as long as
everything it is computed from stays the same."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from tuiheat.render.gridview import Viewport


class GridGeometry(NamedTuple):
    """What a step and the lines of a grid read: the viewport and the room on screen."""

    viewport: Viewport
    body_lines: int  # lines for rows between the column labels and the margin line
    visible_cols: int  # columns the width holds whole
    top_row: int  # the first row on screen

    @property
    def left_col(self) -> int:
        return self.viewport.left

    @property
    def top_line(self) -> int:
        return self.viewport.top

    @property
    def footer_y(self) -> int:
        return self.viewport.footer_y

    @property
    def view_width(self) -> int:
        return self.viewport.width


class GeometryCache:
    """One ``GridGeometry``, kept while the key it was made under is unchanged."""

    def __init__(self) -> None:
        self._key: tuple[object, ...] | None = None
        self._geometry: GridGeometry | None = None

    def get(self, key: tuple[object, ...], make: Callable[[], GridGeometry]) -> GridGeometry:
        """The geometry for ``key`` (compared item by item: objects by identity unless they
        define equality), made anew when the key changed."""
        if self._geometry is None or key != self._key:
            self._geometry = make()
            self._key = key
        return self._geometry

    def clear(self) -> None:
        self._key = self._geometry = None


def geometry_key(grid: Any) -> tuple[object, ...]:
    """Everything a ``HeatGrid``'s geometry follows: Textual's region and scrollbars, the
    scroll, the layout and the data (compared by identity), how rows sit on lines, the
    margins. (Styles are not in it: the grid clears its cache when they change.)"""
    return (
        grid.region,
        grid.scroll_x,
        grid.scroll_y,
        grid.virtual_size,
        grid.show_vertical_scrollbar,
        grid.show_horizontal_scrollbar,
        grid.grid_layout,
        grid.matrix,
        grid.state.margins,
        grid.state.half,
        grid.row_height,
    )
