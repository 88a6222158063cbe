"""Moved to ``tuiheat.render.panelfit`` and ``tuiheat.render.sizes`` (the planner lives
beside the grids it plans); these names stay importable from here for the viewer's glue."""

from __future__ import annotations

from tuiheat.render.panelfit import PanelNeeds, PanelPlan, Plan, plan_layout, plan_panels
from tuiheat.render.sizes import (
    CHART_HEIGHT,
    CHROME_LINES,
    COLORBAR_WIDTH,
    MAX_CELL,
    MIN_GRID_ROWS,
    MIN_PANEL,
    SMALL_HEIGHT,
)

__all__ = [
    "CHART_HEIGHT",
    "CHROME_LINES",
    "COLORBAR_WIDTH",
    "MAX_CELL",
    "MIN_GRID_ROWS",
    "MIN_PANEL",
    "SMALL_HEIGHT",
    "PanelNeeds",
    "PanelPlan",
    "Plan",
    "plan_layout",
    "plan_panels",
]
