"""Sizes of the parts of a screen, in terminal columns and lines, each defined once: the
planner (``render.plan``), the grids, the chrome and print mode all read them here."""

from __future__ import annotations

# Cells
MIN_CELL = 2  # the narrowest cells that read as cells (a facet's panels go down to 1)
MAX_CELL = 6  # the widest cells of a panel, or of a grid that picks its own
MAX_CELL_ALONE = 12  # one matrix alone (screen or print): wider adds nothing a reader sees

# Beside and around the cells
MARGIN_WIDTH = 3  # a space and a two-cell sparkline glyph beside each row (a line under)
LABEL_ROOM_MAX = 48  # row labels are shown in full up to this width when there is room
COLORBAR_WIDTH = 12  # the colour bar right of the grid(s)

# Lines
CHROME_LINES = 2  # the title and the status line
CHART_HEIGHT = 16  # the profile chart (p)
SMALL_HEIGHT = 14  # below this many lines the chart never fits
MIN_GRID_ROWS = 10  # optional lines give way while fewer rows than this would stay
MIN_PANEL = 4  # rows and columns a panel must show (or all it has) to be worth a place

# Print mode
MAX_BAR_HEIGHT = 32  # the vertical colour bar beside the first rows, at most this tall
MIN_VERTICAL_BAR_ROWS = 6  # fewer rows: the colour bar lies under the grid
