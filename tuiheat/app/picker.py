"""Bundles and directories: the picker's place (kept between visits), the screen shown
before an array is chosen, and what the reading worker reports to the App."""

from __future__ import annotations

from dataclasses import dataclass, field

from textual.app import ComposeResult
from textual.message import Message
from textual.screen import Screen

from tuiheat.core.catalog import Catalog, Collection, Entry, Opened
from tuiheat.widgets.titlebar import TitleBar


@dataclass
class PickerPlace:
    """Where the picker is: its levels (a directory, then a bundle in it), the entry on
    screen (where the list opens again), facts found so far, and a read under way."""

    collection: Collection | None
    levels: list[Catalog] = field(default_factory=list)
    current: str | None = None
    described: dict[tuple[str, str], Entry] = field(default_factory=dict)
    opening: bool = False


class StartScreen(Screen[None]):
    """Before an array is open: the title line, under the picker."""

    def compose(self) -> ComposeResult:
        yield TitleBar("tuiheat", "", id="titlebar")


class Read(Message):
    """The chosen entry, read off the event loop: an array, a nested catalog (a bundle
    in the directory) or why it cannot be opened."""

    def __init__(self, entry: Entry, result: Opened | Catalog | None, error: str = "") -> None:
        super().__init__()
        self.entry = entry
        self.result = result
        self.error = error
