"""The title line: the document's title at the left, facts about the view at the right."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.widget import Widget

from tuiheat.render.cells import truncate
from tuiheat.render.texts import fit_title


class TitleBar(Widget):
    """One line; the title gives way (with an ellipsis) before the facts do, and the
    facts' shorter form (``short``) stands in when the full one does not fit."""

    DEFAULT_CSS = """
    TitleBar {
        height: 1;
        background: $panel;
        padding: 0 1;
    }
    """

    def __init__(self, title: str, info: str, short: str = "", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.title_text = title
        self.info_text = info
        self.short_info = short

    def set_info(self, info: str, short: str = "") -> None:
        self.info_text, self.short_info = info, short
        self.refresh()

    def render(self) -> Text:
        width = self.content_region.width
        room = max(0, width - 10)
        info = self.info_text
        if self.short_info and cell_len(info) + cell_len(self.title_text) + 2 > width:
            info = self.short_info  # the title keeps more of itself
        info = truncate(info, room)
        room = max(0, width - cell_len(info) - 2)
        title = fit_title(self.title_text, room)
        gap = max(1, width - cell_len(title) - cell_len(info))
        text = Text(no_wrap=True, overflow="crop")
        text.append(title, style="bold")
        text.append(" " * gap)
        text.append(info, style="dim")
        return text
