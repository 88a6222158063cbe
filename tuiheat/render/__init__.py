"""Rich-only rendering: matrix slices, palettes and overlays become lines of Segments.

Nothing here imports Textual: print mode and the renderer's tests need no event loop.
"""

from tuiheat.render.painter import COLOR_MODES, Overlay, Painter
from tuiheat.render.printer import HeatmapPrint, PrintOptions
from tuiheat.render.terminal import detect_color_mode, supports_unicode

__all__ = [
    "COLOR_MODES",
    "HeatmapPrint",
    "Overlay",
    "Painter",
    "PrintOptions",
    "detect_color_mode",
    "supports_unicode",
]
