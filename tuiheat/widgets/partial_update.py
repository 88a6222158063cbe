"""Send only what changed on the terminal when Textual repaints.

Textual's partial update (``ChopsUpdate.render_segments``) writes every dirty span
from the start of the widget's line up to the span's end (its own "TODO: crop to
x extents"), and its full update (``LayoutUpdate``) resends the whole screen, which
happens several times while the first layout settles. The replacements here keep a
model of the terminal (``screen_diff.TerminalModel``) and write only the cells that
differ from it: the same screen, a fraction of the bytes over SSH.

The model stays valid only while every byte sent to the terminal is known: it is
dropped when the size or the screen changes, when anything but our own output and
harmless mode switches is written (the alternate screen, a clear, a suspend), when
the app is inline, and when anything goes wrong (then Textual's own way is used for
that update). Installed once by the app; if a future Textual changes these classes,
the originals are kept (more bytes, same picture).
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from rich.color import ColorSystem
from rich.console import Console
from rich.control import Control

from tuiheat.widgets.screen_diff import Encoder, TerminalModel

try:  # the compositor is internal to Textual: never let its shape break the viewer
    from textual._compositor import ChopsUpdate, Compositor, LayoutUpdate
    from textual._context import active_app
    from textual.geometry import Region
except ImportError:  # pragma: no cover
    ChopsUpdate = Compositor = LayoutUpdate = active_app = Region = None  # type: ignore[assignment,misc]

_installed = False
_original_layout: Callable[[Any, Console], str] | None = None
_original_full: Callable[[Any, bool], Any] | None = None

HARMLESS = re.compile(
    r"(?:\x1b\[\?(?:7|12|25|1000|1002|1003|1004|1005|1006|1015|1016|2004|2026|2048)[hl]"
    r"|\x1b\[\?\d+\$p|\x1b\[[<>=]\d*u|\x1b\[\d+(?:;\d+)?H|\x1b\[\d* q|\x1b\]22;[\w-]*\x07"
    r"|\x1b\[6n|\x07)*"
)
"""Writes that leave every cell as it was: modes for the cursor, mouse, focus, paste,
synchronized output and resize reports, cursor moves and shapes, queries, the bell."""


def render_dirty_spans(self: ChopsUpdate, console: Console) -> str:  # type: ignore[valid-type]
    """Escape sequences that repaint the dirty spans ``(y, x1, x2)`` and nothing else."""
    sequences: list[str] = []
    append = sequences.append
    move_to = Control.move_to
    for y, x, strip in _dirty_pieces(self):
        append(move_to(x, y).segment.text)
        append(strip.render(console))
    return "".join(sequences)


Piece = tuple[int, int, Any]  # (y, x, strip)


def _dirty_pieces(update: Any) -> list[Piece]:
    """(y, x, strip) for each part of a chop inside a dirty span, in order."""
    pieces = []
    chops = update.chops
    chop_ends = update.chop_ends
    for y, x1, x2 in update.spans:
        for end, (x, strip) in zip(chop_ends[y], chops[y].items(), strict=False):
            if strip is None or x >= x2 or end <= x1:
                continue
            start = max(x, x1)
            stop = min(end, x2)
            if start != x or stop != end:
                strip = strip.crop(start - x, stop - x)
            pieces.append((y, start, strip))
    return pieces


class TerminalOutput:
    """The model of one driver's terminal and the bookkeeping that keeps it honest."""

    def __init__(self) -> None:
        self.model: TerminalModel | None = None
        self.screen: weakref.ref[Any] | None = None
        self.pending: str | None = None

    def watch(self, write: Callable[[str], None]) -> Callable[[str], None]:
        """Wrap the driver's ``write``: anything unexpected drops the model."""

        def watched(data: str) -> None:
            pending = self.pending
            if pending is not None and data.startswith(pending):
                self.pending = None
                if not HARMLESS.fullmatch(data, len(pending)):
                    self.model = None
            elif not HARMLESS.fullmatch(data):
                self.model = None
            write(data)

        return watched

    def encoder(self, app: Any, console: Console) -> Encoder:
        """An encoder on a model valid for the app's current size and screen."""
        size = (app.size.width, app.size.height)
        screen = app.screen
        model = self.model
        known = (
            self.pending is None
            and model is not None
            and model.size == size
            and self.screen is not None
            and self.screen() is screen
        )
        if not known or model is None:
            model = self.model = TerminalModel(*size)
            self.screen = weakref.ref(screen)
        self.model = None  # until the update is rendered whole
        color_system = console._color_system or ColorSystem.TRUECOLOR
        return Encoder(model, color_system, sgr_known=known)

    def done(self, encoder: Encoder) -> str:
        """The update's output, the model now being what it shows."""
        self.model = encoder.model
        self.pending = encoder.finish()
        return self.pending


_outputs: weakref.WeakKeyDictionary[Any, TerminalOutput] = weakref.WeakKeyDictionary()


def output_for(console: Console) -> tuple[Any, TerminalOutput] | None:
    """The running app writing through ``console`` and its terminal's output, if modelled."""
    app = active_app.get(None) if active_app is not None else None
    if app is None or getattr(app, "console", None) is not console or app.is_inline:
        return None
    driver = getattr(app, "_driver", None)
    if driver is None or getattr(driver, "is_inline", False):
        return None
    output = _outputs.get(driver)
    if output is None:
        output = _outputs[driver] = TerminalOutput()
        driver.write = output.watch(driver.write)
    return app, output


def _through_model(console: Console, pieces: Callable[[Any], Iterable[Piece]]) -> str | None:
    """The pieces written through the terminal's model (only changed cells), or None when
    there is no model to trust (then the caller writes them Textual's way)."""
    found = output_for(console)
    if found is None:
        return None
    app, output = found
    try:
        encoder = output.encoder(app, console)
        for y, x, strip in pieces(app):
            encoder.piece(x, y, strip)
        return output.done(encoder)
    except Exception:
        output.model = None
        return None


def render_layout(self: Any, console: Console) -> str:
    """A full update that writes only the cells the terminal does not show yet."""

    def pieces(app: Any) -> Iterator[Piece]:
        if self.region.size != app.size:
            raise ValueError("an update that is not the whole screen")
        for y, line in enumerate(self.strips, self.region.y):
            x = self.region.x
            for strip in line:
                yield y, x, strip
                x += strip.cell_length

    written = _through_model(console, pieces)
    if written is not None:
        return written
    assert _original_layout is not None
    return _original_layout(self, console)


def render_chops(self: Any, console: Console) -> str:
    """A partial update that writes only the cells of the dirty spans that changed."""
    written = _through_model(console, lambda _app: _dirty_pieces(self))
    return written if written is not None else render_dirty_spans(self, console)


def frontmost(
    places: list[tuple[Any, tuple[int, int, int, int]]],
    spans_by_line: dict[int, list[tuple[int, int]]],
) -> list[tuple[Any, int, int]]:
    """The widgets that show some cell of a dirty span, with the first and last line where
    they do, of ``places`` given front to back as (widget, (x, y, width, height) of its
    region inside its clip).

    Textual fills each piece of a line between two widget edges from the front-most
    widget that covers it (every widget renders every cell of its region), so a widget
    whose dirty cells all lie under widgets in front of it (a panel's container under its
    grid and caption, the screen under everything) changes nothing that is written."""
    left = {y: list(spans) for y, spans in spans_by_line.items() if spans}
    shown = []
    for widget, (x, y, width, height) in places:
        if not left:
            break
        end = x + width
        lines = []
        for line in range(y, y + height):
            spans = left.get(line)
            if spans is None or not any(x1 < end and x2 > x for x1, x2 in spans):
                continue
            lines.append(line)
            rest = [(x1, min(x2, x)) for x1, x2 in spans if x1 < x]
            rest += [(max(x1, end), x2) for x1, x2 in spans if x2 > end]
            if rest:
                left[line] = rest
            else:
                del left[line]
        if lines:
            shown.append((widget, lines[0], lines[-1]))
    return shown


def front_chops(compositor: Any, spans_by_line: dict[int, list[tuple[int, int]]]) -> list[Any]:
    """Textual's chops (per line, per cut: a strip or None) for the cells of the spans,
    rendered from just the lines of the front-most widgets that show them.

    Textual renders every line of every widget inside the box around the dirty regions:
    a cursor step across 64 panels renders the whole screen, and the first frame renders
    every container under the panels. A widget, or a line of one, that shows no cell of a
    span fills no chop that is written, so leaving it out changes nothing on screen."""
    cuts = compositor.cuts
    visible = compositor.visible_widgets  # front to back, as Textual fills the chops
    places = []
    for widget, (region, clip) in visible.items():
        shown = region.intersection(clip)
        places.append(((widget, region, shown), shown))
    chops: list[dict[int, Any]] = [dict.fromkeys(cut_set[:-1]) for cut_set in cuts]
    for (widget, region, shown), first, last in frontmost(places, spans_by_line):
        x, width = shown.x, shown.width
        crop = Region(x - region.x, first - region.y, width, last - first + 1)
        for y, strip in zip(range(first, last + 1), widget.render_lines(crop), strict=False):
            if y not in spans_by_line:
                continue
            line_cuts = [cut for cut in cuts[y] if x <= cut <= x + width]
            chops_line = chops[y]
            pieces = strip.divide([cut - x for cut in line_cuts[1:]])
            for cut, piece in zip(line_cuts, pieces, strict=False):
                if chops_line.get(cut) is None:  # the front-most widget's piece wins
                    chops_line[cut] = piece
    return chops


def render_touching_widgets(self: Any) -> ChopsUpdate | None:  # type: ignore[valid-type]
    """Textual's partial update, rendering only what shows a cell of a dirty span."""
    update_regions = self._dirty_regions.copy()
    self._dirty_regions.clear()
    if not update_regions:
        return None
    spans = list(self._regions_to_spans(update_regions))
    spans_by_line: dict[int, list[tuple[int, int]]] = {}
    for y, x1, x2 in spans:
        spans_by_line.setdefault(y, []).append((x1, x2))
    chops = front_chops(self, spans_by_line)
    return ChopsUpdate(chops, spans, [cut_set[1:] for cut_set in self.cuts])


def render_front_widgets(self: Any, simplify: bool = False) -> LayoutUpdate:  # type: ignore[valid-type]
    """Textual's full update, rendering only the widgets in front (no container under its
    children); exports (``simplify``) keep Textual's own way."""
    if simplify:
        assert _original_full is not None
        return _original_full(self, simplify)
    screen = self.size.region
    self._dirty_regions.clear()
    chops = front_chops(self, {y: [(0, screen.width)] for y in range(screen.height)})
    if any(strip is None for chop in chops for strip in chop.values()):  # an uncovered cell
        assert _original_full is not None
        return _original_full(self, simplify)
    return LayoutUpdate([chop.values() for chop in chops], screen)


def _compositor_fits() -> bool:
    """Whether Textual's compositor still has the parts the narrowed update relies on."""
    probe = Compositor()
    names = ("_dirty_regions", "_regions_to_spans", "cuts", "visible_widgets")
    return all(hasattr(Compositor, n) or hasattr(probe, n) for n in names)


def install() -> bool:
    """Replace Textual's update writers; True when the replacements are active."""
    global _installed, _original_layout, _original_full
    if _installed:
        return True
    if ChopsUpdate is None or LayoutUpdate is None or active_app is None:
        return False
    if not hasattr(ChopsUpdate, "render_segments") or not hasattr(LayoutUpdate, "render_segments"):
        return False
    chops_fields = set(ChopsUpdate.__init__.__code__.co_varnames)
    layout_fields = set(LayoutUpdate.__init__.__code__.co_varnames)
    if (
        not {"chops", "spans", "chop_ends"} <= chops_fields
        or not {"strips", "region"} <= layout_fields
    ):
        return False
    _original_layout = LayoutUpdate.render_segments
    LayoutUpdate.render_segments = render_layout  # type: ignore[method-assign]
    ChopsUpdate.render_segments = render_chops  # type: ignore[method-assign]
    if Compositor is not None and Region is not None and _compositor_fits():
        _original_full = Compositor.render_full_update
        Compositor.render_partial_update = render_touching_widgets  # type: ignore[method-assign]
        Compositor.render_full_update = render_front_widgets  # type: ignore[method-assign]
    _installed = True
    return True
