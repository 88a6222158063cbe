"""Moved to ``tuiheat.render.matrixfit`` and ``tuiheat.render.sizes`` (the planner lives
beside the grids it plans); these names stay importable from here for the viewer's glue."""

from __future__ import annotations

from tuiheat.render.matrixfit import LADDER, MatrixNeeds, Wishes
from tuiheat.render.matrixfit import MatrixPlan as ScreenPlan
from tuiheat.render.matrixfit import plan_matrix as plan_screen
from tuiheat.render.sizes import LABEL_ROOM_MAX, MARGIN_WIDTH
from tuiheat.render.sizes import MAX_CELL_ALONE as MAX_CELL

__all__ = [
    "LABEL_ROOM_MAX",
    "LADDER",
    "MARGIN_WIDTH",
    "MAX_CELL",
    "MatrixNeeds",
    "ScreenPlan",
    "Wishes",
    "plan_screen",
]
