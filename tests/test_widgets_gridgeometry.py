"""The grid's geometry is worked out once per place, scroll and layout, not per line."""

from __future__ import annotations

from tuiheat.core.rowlines import RowLines
from tuiheat.render.gridview import Viewport
from tuiheat.widgets.gridgeometry import GeometryCache, GridGeometry


class Layout:
    """Stands for a GridLayout: compared by identity."""


def geometry(left: int = 0) -> GridGeometry:
    return GridGeometry(Viewport(Layout(), left, 3, RowLines(2), 9, 40), 7, 12, 1)  # type: ignore[arg-type]


def test_the_geometry_is_kept_while_its_key_is_unchanged() -> None:
    cache, made = GeometryCache(), []

    def make() -> GridGeometry:
        made.append(geometry(len(made)))
        return made[-1]

    layout = Layout()
    first = cache.get((10, layout), make)
    assert cache.get((10, layout), make) is first and len(made) == 1
    assert cache.get((11, layout), make) is not first  # scrolled, say
    assert cache.get((11, Layout()), make) is made[-1] and len(made) == 3  # another layout
    cache.clear()
    cache.get((11, layout), make)
    assert len(made) == 4


def test_the_geometry_reads_its_viewport() -> None:
    g = geometry(left=5)
    assert (g.left_col, g.top_line, g.footer_y, g.view_width) == (5, 3, 9, 40)
    assert (g.body_lines, g.visible_cols, g.top_row) == (7, 12, 1)
