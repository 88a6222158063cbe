"""The readout line: what the cursor is on. An update repaints only the cells that changed
(``Token last_q │ 0.975`` to ``Token first_answer │ 0.967`` sends the label and the
value, not the line), and never triggers a layout pass."""

from __future__ import annotations

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget

Cells = list[tuple[str, Style | None]]


class StatusBar(Widget):
    DEFAULT_CSS = """
    StatusBar {
        height: 1;
        background: $panel;
        color: $text;
    }
    """

    def __init__(self, text: Text, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.text = text
        self._strip: Strip | None = None
        self._key: tuple[int, Style] | None = None
        self._cell_list: Cells | None = None  # the strip's cells, kept for the next change

    def show(self, text: Text) -> None:
        if not self.is_mounted:
            self.text, self._strip = text, None
            return
        old = self._cell_list if self._cell_list is not None else self._cells()
        self.text, self._strip = text, None
        new = self._cells()
        assert self._strip is not None
        span = changed_span(old, new, narrow=self._strip.cell_length == len(new))
        if span is not None:
            self.refresh(Region(span[0], 0, span[1] - span[0], 1))

    def _line(self) -> Strip:
        width, style = self.size.width, self.rich_style  # rich_style walks the ancestors
        key = (width, style)
        if self._strip is None or key != self._key:
            console = self.app.console
            options = console.options.update_width(max(1, width - 1))
            lines = console.render_lines(self.text, options, style=style, pad=True)
            segments = [Segment(" ", style), *lines[0]] if lines else []
            self._strip = Strip(segments).adjust_cell_length(width, style)
            self._key = key
            self._cell_list = None
        return self._strip

    def _cells(self) -> Cells:
        strip = self._line()
        if self._cell_list is None:
            self._cell_list = [(ch, seg.style) for seg in strip for ch in seg.text]
        return self._cell_list

    def render(self) -> Text:
        """The readout as text (what ``render_line`` draws)."""
        return self.text

    def render_line(self, y: int) -> Strip:
        return self._line() if y == 0 else Strip.blank(self.size.width, self.rich_style)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strip = self._cell_list = None


def changed_span(old: Cells, new: Cells, narrow: bool | None = None) -> tuple[int, int] | None:
    """The first and one past the last cell that differ (None: the same). Wide characters
    take two cells, so with any of them the whole line counts as changed (``narrow``:
    the caller knows every character is one cell)."""
    if old == new:
        return None
    if narrow is None:
        narrow = all(cell_len(ch) == 1 for ch, _ in new)
    if len(old) != len(new) or not narrow:
        return 0, max(len(old), len(new))
    first = next(i for i, (a, b) in enumerate(zip(old, new)) if a != b)
    last = next(i for i in range(len(new) - 1, -1, -1) if old[i] != new[i])
    return first, last + 1
