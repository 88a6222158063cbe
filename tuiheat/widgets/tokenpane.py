"""The token text under the grid: the column axis's tokens as running text, each on the
colour of its value in the cursor's row, the cursor's token marked. The screen hands it
what to show (tokens, a reader of the row's values, the cursor's token); it never reads
the model. A click on a token asks the screen to put the grid's cursor there.

Built on the Line API: only the lines on screen are drawn, and only their tokens' values
are read (one read per repaint), so a text of 32,768 tokens costs what its visible lines
cost. Lines are cached until the row or the scale changes; a cursor step within the row
repaints the two lines it leaves and enters.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from rich.text import Text
from textual import events
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tuiheat.core.scale import ValueRange
from tuiheat.core.tokentext import TokenText, text_width
from tuiheat.render.painter import Painter
from tuiheat.render.tokentext import token_line

RowReader = Callable[[int, int], np.ndarray]  # the row's values of tokens [a, b)


@dataclass(frozen=True)
class TextRow:
    """What the pane shows: ``tokens`` coloured by ``read``'s values on ``vrange``;
    ``key`` names the row and scale (a new key: every line is drawn again)."""

    tokens: tuple[str, ...]
    read: RowReader
    vrange: ValueRange
    painter: Painter
    key: object
    caption: str = ""


class TokenPane(ScrollView, can_focus=False):
    """Running text of tokens, wrapped to the pane's width."""

    DEFAULT_CSS = """
    TokenPane {
        height: 6;
        border-top: solid $panel-lighten-2;
        border-title-color: $text-muted;
        scrollbar-size-vertical: 1;
        overflow-x: hidden;
    }
    """

    class Chosen(Message):
        """A token was clicked: the grid's cursor goes to its column."""

        def __init__(self, token: int) -> None:
            super().__init__()
            self.token = token

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.row: TextRow | None = None
        self.cursor: int | None = None
        self._layout: TokenText | None = None
        self._cache: dict[int, Strip] = {}  # line index -> its strip, for this row and cursor
        self._values: tuple[int, np.ndarray] | None = None  # first token, values read

    # --- what to show ------------------------------------------------------------------

    def show(self, row: TextRow, cursor: int | None) -> None:
        """Another row (or scale, or tokens): every line again; the same row with another
        cursor: the lines of the old and the new cursor only."""
        old = self.row
        if old is None or old.tokens is not row.tokens or old.key != row.key:
            new_tokens = old is None or old.tokens is not row.tokens
            self.row, self.cursor = row, cursor
            self.border_title = Text(row.caption)  # a label is data, never markup
            self._values, self._cache = None, {}
            if new_tokens:
                self._layout = None
                self._lay_out()
            self._follow_cursor()
            self.refresh()
            return
        if cursor != self.cursor:
            before, self.cursor = self.cursor, cursor
            self._repaint_token(before)
            self._repaint_token(cursor)
            self._follow_cursor()

    def clear(self) -> None:
        """Nothing to show (the columns have no tokens now): the layout gives the lines back."""
        self.row, self.cursor, self._layout, self._values, self._cache = None, None, None, None, {}

    @property
    def text(self) -> TokenText | None:
        return self._layout

    def _wrap_width(self) -> int:
        return max(1, self.size.width - 1)  # a column for the scroll bar, shown or not

    def _lay_out(self) -> None:
        if self.row is None or self.size.width == 0:
            return
        width = self._wrap_width()
        if self._layout is None or self._layout.width != width:
            self._layout = TokenText.of(self.row.tokens, width)
            self._cache = {}
            self.virtual_size = Size(width, self._layout.lines)

    def on_resize(self, event: events.Resize) -> None:
        self._lay_out()
        self._follow_cursor()
        self.refresh()

    def lines_needed(self, width: int) -> int:
        """Lines the whole text takes at ``width`` columns (the layout plans the height)."""
        if self.row is None:
            return 0
        text = self._layout
        if text is None or text.width != max(1, width - 1):
            # Laid out once: the pane is as wide as the terminal, so its first resize finds
            # this layout (32,768 tokens take 0.1 s).
            text = self._layout = TokenText.of(self.row.tokens, max(1, width - 1))
            self._cache = {}
            self.virtual_size = Size(text.width, text.lines)
        return text.lines

    def _follow_cursor(self) -> None:
        """Keep the cursor's line on screen."""
        text = self._layout
        if text is None or self.cursor is None or self.size.height == 0:
            return
        line = text.line_of(self.cursor)
        top, height = int(self.scroll_offset.y), self.scrollable_content_region.height
        if line < top:
            self.scroll_to(y=line, animate=False, immediate=True)
        elif line >= top + height:
            self.scroll_to(y=line - height + 1, animate=False, immediate=True)

    def _repaint_token(self, token: int | None) -> None:
        text = self._layout
        if token is None or text is None:
            return
        line = text.line_of(token)
        self._cache.pop(line, None)
        y = line - int(self.scroll_offset.y)
        if 0 <= y < self.scrollable_content_region.height:  # below the title border
            self.refresh(Region(0, y + self.gutter.top, self.size.width, 1))

    # --- drawing -----------------------------------------------------------------------

    def render_lines(self, crop: Region) -> list[Strip]:
        """The values of every token on screen in one read, then line by line."""
        text, row = self._layout, self.row
        if text is not None and row is not None and text.lines:
            top = int(self.scroll_offset.y)
            self._read(text, row, top, top + self.scrollable_content_region.height - 1)
        return super().render_lines(crop)

    def _read(self, text: TokenText, row: TextRow, top: int, last: int) -> None:
        """Have the values of the tokens of lines ``top`` to ``last`` (one read)."""
        top, last = max(0, top), min(text.lines - 1, last)
        first = text.line_starts[top]
        end = text.line_starts[last + 1] if last + 1 < text.lines else len(text.pieces)
        held = self._values
        if held is not None and held[0] <= first and held[0] + len(held[1]) >= end:
            return
        self._values = (first, np.asarray(row.read(first, end), dtype=np.float64))

    def render_line(self, y: int) -> Strip:
        """Content line ``y`` (Textual passes it below the title border)."""
        text, row = self._layout, self.row
        width = self.scrollable_content_region.width
        index = int(self.scroll_offset.y) + y
        if text is None or row is None or not 0 <= index < text.lines:
            return Strip.blank(width, self.rich_style)
        strip = self._cache.get(index)
        if strip is None:
            self._read(text, row, index, index)  # held already, unless drawn out of turn
            assert self._values is not None
            first, values = self._values
            segments = token_line(
                text, index, values, row.vrange, row.painter, self.cursor, offset=first
            )
            strip = Strip(segments).extend_cell_length(width, self.rich_style)
            if strip.cell_length > width:  # a token wider than the pane
                strip = strip.crop(0, width)
            self._cache[index] = strip
        return strip

    # --- the mouse -----------------------------------------------------------------------

    def token_at(self, x: int, y: int) -> int | None:
        """The token drawn at ``x`` on screen line ``y`` (None: a gap or no text)."""
        text = self._layout
        index = int(self.scroll_offset.y) + y
        if text is None or not 0 <= index < text.lines:
            return None
        for token, at, piece in text.line(index):
            if at <= x < at + max(1, text_width(piece.text)):
                return token
        return None

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        token = None if offset is None else self.token_at(offset.x, offset.y)
        if token is not None:
            event.stop()
            self.post_message(self.Chosen(token))
