"""The colour bar beside the grid: the scale with tick values, aligned with the grid's rows."""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget

from tuiheat.core.scale import ValueRange
from tuiheat.render.colorbar import BAR_CHROME, vertical_colorbar
from tuiheat.render.painter import Painter
from tuiheat.widgets.strips import strip_on

MAX_HEIGHT = 32
GAP = "  "  # between the grid and the bar


class ColorBar(Widget):
    """Blank lines over the grid's header, then the bar over as many lines as the grid's rows."""

    DEFAULT_CSS = """
    ColorBar {
        width: 12;
        height: 1fr;
    }
    """

    def __init__(
        self, painter: Painter, vrange: ValueRange, n_rows: int, *, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.painter = painter
        self.vrange = vrange
        self.n_rows = n_rows
        self.offset_lines = 2
        self.note = ""  # a line under the bar: "≈ sampled", "log", "per row"
        self._lines: list[Strip] = []
        self._lines_key: tuple[int, int, int] | None = None

    def configure(self, painter: Painter, offset_lines: int, lines: int | None = None) -> None:
        """``lines``: the lines the rows take (taller than one a row: the bar grows too).
        Only the lines that change are repainted (a scan's progress: the note's line)."""
        moved = offset_lines != self.offset_lines
        self.painter = painter
        self.offset_lines = offset_lines
        if lines is not None:
            self.n_rows = lines
        if not self.is_mounted or moved:
            self._lines_key = None
            if self.is_mounted:
                self.refresh()
            return
        before, self._lines_key = list(self._lines), None
        after = self._bar()
        changed = [
            k for k in range(max(len(before), len(after))) if before[k : k + 1] != after[k : k + 1]
        ]
        if changed:  # a scan's progress changes the note under the bar: repaint that line
            first, last = changed[0], changed[-1]
            self.refresh(Region(0, self.offset_lines + first, self.size.width, last - first + 1))

    def notify_style_update(self) -> None:
        """A new theme: the cached lines carry the old one's colours."""
        super().notify_style_update()
        self._lines_key = None

    def _bar(self) -> list[Strip]:
        note = self.note or ("≈ sampled" if self.vrange.provisional else "")
        room = max(0, self.size.height - self.offset_lines - (1 if note else 0))
        height = min(self.n_rows, MAX_HEIGHT, room)
        key = (height, self.size.width, id(self.painter), self.vrange, note)
        if key != self._lines_key:
            room = self.size.width - len(GAP) - BAR_CHROME  # a tick's text is never cut
            lines = (
                vertical_colorbar(self.painter, self.vrange, height, room=room)
                if height >= 2
                else []
            )
            gap = Segment(GAP)
            base = self.rich_style
            self._lines = [strip_on([gap, *line], self.size.width, base) for line in lines]
            if note:  # e.g. the range came from a sample; a full scan is under way
                line = [Segment(f"  {note}", base + Style(dim=True, italic=True))]
                self._lines.append(strip_on(line, self.size.width, base))
            self._lines_key = key
        return self._lines

    def render_line(self, y: int) -> Strip:
        bar = self._bar()
        k = y - self.offset_lines
        if 0 <= k < len(bar):
            return bar[k]
        return Strip.blank(self.size.width, self.rich_style)
