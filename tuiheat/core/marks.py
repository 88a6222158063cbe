"""What a mark in a cell says: one small code per cell, drawn as a glyph over its colour.

Statistics across runs mark each cell whose interval excludes the reference (or whose
q-value passes) and the cells tested that do not; peak and emergence marks sit on one row
per column. Codes, not glyphs, so core stays free of how a terminal draws them.
"""

from __future__ import annotations

NONE = 0  # nothing to say (no interval: fewer than 3 runs or zero variance)
HIT = 1  # the test says yes, above: the interval excludes the reference from above, or q < 0.05 with A > B
MISS = 2  # tested, and the test says no
PEAK = 3  # the column's peak row
EMERGE = 4  # the first row from which the column stays at or above the threshold
LOW = 5  # the test says yes, below: the interval lies under the reference, or A < B
