"""The title line: the document's title at the left, facts about the view at the right."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from tuiheat.render.cells import truncate
from tuiheat.render.texts import fit_title

TITLE_SHARE = 1 / 3  # of the line the title keeps (when it needs it) before the facts get it


class TitleBar(Widget):
    """One line shared by the title (what is on screen) and the facts about it: the facts
    take their longest form that leaves the title ``TITLE_SHARE`` of the line, then the
    title gives up its least telling parts (``fit_title``)."""

    DEFAULT_CSS = """
    TitleBar {
        height: 1;
        background: $panel;
        padding: 0 1;
    }
    """

    # What it is given; a value that did not change repaints nothing.
    title_text: reactive[str] = reactive("", layout=False)
    facts: reactive[tuple[str, ...]] = reactive(("",), layout=False)

    def __init__(self, title: str, info: str, *shorter: str, id: str | None = None) -> None:
        super().__init__(id=id)
        self.share = TITLE_SHARE  # a title that must be read (a test's statement) keeps more
        self.set_reactive(TitleBar.title_text, title)
        self.set_reactive(TitleBar.facts, (info, *shorter))

    @property
    def info_text(self) -> str:
        """The facts in full (the shorter forms follow in ``facts``)."""
        return self.facts[0]

    def set_info(self, info: str, *shorter: str) -> None:
        self.facts = (info, *shorter)

    def render(self) -> Text:
        width = self.content_region.width
        keep = min(cell_len(self.title_text), max(12, int(width * self.share)))
        forms = self.facts
        info = next((f for f in forms if cell_len(f) + 1 + keep <= width), forms[-1])
        info = truncate(info, max(0, width - keep - 1))
        title = fit_title(self.title_text, max(0, width - cell_len(info) - 1))
        gap = max(1, width - cell_len(title) - cell_len(info))
        text = Text(no_wrap=True, overflow="crop")
        text.append(title, style="bold")
        text.append(" " * gap)
        text.append(info, style="dim")
        return text
