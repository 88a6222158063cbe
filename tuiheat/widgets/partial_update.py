"""Send only the dirty part of each line when Textual repaints a region.

Textual's partial update (``ChopsUpdate.render_segments``) writes every dirty span
from the start of the widget's line up to the span's end (its own "TODO: crop to
x extents"), and writes that prefix again for every further span on the line. A
cursor step in a wide grid then resends most of two lines. This replacement writes
exactly the dirty spans: the same screen, a fraction of the bytes over SSH.

It is installed once by the app; if a future Textual changes the class, the
original is kept (more bytes, same picture).
"""

from __future__ import annotations

from rich.console import Console
from rich.control import Control

try:  # the compositor is internal to Textual: never let its shape break the viewer
    from textual._compositor import ChopsUpdate
except ImportError:  # pragma: no cover
    ChopsUpdate = None  # type: ignore[assignment,misc]

_installed = False


def render_dirty_spans(self: ChopsUpdate, console: Console) -> str:  # type: ignore[valid-type]
    """Escape sequences that repaint the dirty spans ``(y, x1, x2)`` and nothing else."""
    sequences: list[str] = []
    append = sequences.append
    move_to = Control.move_to
    chops = self.chops
    chop_ends = self.chop_ends
    last_y = self.spans[-1][0]
    for y, x1, x2 in self.spans:
        line = chops[y]
        ends = chop_ends[y]
        for end, (x, strip) in zip(ends, line.items(), strict=False):
            if strip is None or x >= x2 or end <= x1:
                continue
            start = max(x, x1)
            stop = min(end, x2)
            if start != x or stop != end:
                strip = strip.crop(start - x, stop - x)
            append(move_to(start, y).segment.text)
            append(strip.render(console))
        if y != last_y:
            append("\n")
    return "".join(sequences)


def install() -> bool:
    """Replace Textual's partial-update writer; True when the replacement is active."""
    global _installed
    if _installed:
        return True
    if ChopsUpdate is None or not hasattr(ChopsUpdate, "render_segments"):
        return False
    probe = ChopsUpdate.__init__.__code__.co_varnames
    if not {"chops", "spans", "chop_ends"} <= set(probe):
        return False
    ChopsUpdate.render_segments = render_dirty_spans  # type: ignore[method-assign]
    _installed = True
    return True
