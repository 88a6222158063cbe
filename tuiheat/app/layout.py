"""What the screen holds, decided from its size: pure arithmetic, tested without a terminal.

The grid comes first: the legend, the box line and the profiles are shown, in that
order, only while every row still fits, or, when the rows cannot all fit anyway,
while at least ``MIN_GRID_ROWS`` of them stay on screen.
"""

from __future__ import annotations

from dataclasses import dataclass

SMALL_HEIGHT = 14  # below this many lines the chart never fits
CHART_HEIGHT = 16
MIN_GRID_ROWS = 10
COLORBAR_WIDTH = 12
CHROME_LINES = 2  # the title and the status line


@dataclass(frozen=True)
class Plan:
    room: int  # lines for the grid(s)
    pane_width: int  # columns for each pane
    chart: bool
    legend: bool
    boxinfo: bool
    profiles: bool


def plan_layout(
    width: int,
    height: int,
    *,
    rows: int,
    grid_lines: int,
    legend_lines: int,
    profiles: bool,
    chart: bool,
    panes: int = 1,
    captions: bool = False,
) -> Plan:
    """``rows``: matrix rows to show; ``grid_lines``: the grid's header and footer lines;
    ``legend_lines``: the legend's (0: none); ``panes`` side by side, gaps of one column."""
    show_chart = chart and height >= SMALL_HEIGHT + CHART_HEIGHT
    room = height - CHROME_LINES - (CHART_HEIGHT if show_chart else 0) - (1 if captions else 0)
    shown: dict[str, bool] = {}
    for name, lines in (
        ("legend", min(3, legend_lines)),
        ("boxinfo", 1),
        ("profiles", 2 if profiles else 0),
    ):
        rows_without = room - grid_lines
        rows_with = rows_without - lines
        fits_all = rows_with >= rows
        fits_never = rows_without < rows
        shown[name] = lines > 0 and (fits_all or (fits_never and rows_with >= MIN_GRID_ROWS))
        if shown[name]:
            room -= lines
    pane_width = width - COLORBAR_WIDTH
    if panes > 1:
        pane_width = max(1, (pane_width - (panes - 1)) // panes)
    return Plan(room, pane_width, show_chart, shown["legend"], shown["boxinfo"], shown["profiles"])
