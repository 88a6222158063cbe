"""Rich-only rendering: matrix slices, palettes and overlays become lines of Segments.

Nothing here imports Textual: print mode and the renderer's tests need no event loop.
Submodules are imported where used (the viewer never loads print mode).
"""
