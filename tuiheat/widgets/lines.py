"""One-line chrome that renders the text it is given: the box line and the legend. Each
holds its text as a reactive, so a value that did not change repaints nothing."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static


class TextLine(Static):
    """Text from a file is data: shown as given (never markup), cut with an ellipsis."""

    line: reactive[str | Text] = reactive("", layout=False, repaint=False)

    def __init__(self, *, wrap: bool = False, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self.wrap = wrap

    def watch_line(self, line: str | Text) -> None:
        text = line if isinstance(line, Text) else Text(line, overflow="ellipsis")
        text.no_wrap = not self.wrap
        self.update(text, layout=self.wrap)
