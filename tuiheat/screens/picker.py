"""The picker: the arrays of a bundle or the result files under a directory; Enter opens one.

It shows what listing cost nothing (names, shapes from headers, sizes) at once, and
fills in what needs the data (value ranges, the shape of each file) from a worker,
row by row, so a big bundle or a deep directory never holds up a key. A bundle
found in a directory opens as a nested level; ``Backspace`` goes back up.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, Static
from textual.worker import get_current_worker

from tuiheat.core.catalog import BUNDLE, ERROR, HEATMAP, Catalog, Entry, ranked_files, size_text
from tuiheat.core.labels import sanitize
from tuiheat.render.cells import truncate

Details = Callable[[Catalog, Entry], Entry]
COLUMNS = ("name", "shape", "dtype", "values", "size")
FOLDER_COLUMNS = ("file", "shape", "dtype", "holds", "size")
NAME_WIDTH = 48
DETAIL_WIDTH = 44  # an error is cut here (Enter shows it whole): the size column stays on screen
KIND_TEXT = {
    "labels": "labels",
    "vector": "1-D data",
    "scalar": "scalar",
    "text": "text grid",
    "other": "not numbers",
}


def shown(text: str) -> str:
    """A name or fact from a file, safe to show; nothing at all stays nothing."""
    return sanitize(text) if text else ""


class PickerScreen(ModalScreen[None]):
    """One level at a time of a stack of catalogs (a directory, then a bundle in it)."""

    BINDINGS = [
        Binding("enter", "open", "Open the array or file", show=False),
        Binding("escape", "back", "Back to the heatmap (or up a level)", show=False),
        Binding("backspace,left", "up", "Up to the folder", show=False),
        Binding("slash", "filter", "Filter the list by name", show=False),
        Binding("j", "row(1)", "Next", show=False),  # as in the viewer, and in less and vim
        Binding("k", "row(-1)", "Previous", show=False),
        Binding("q", "quit", "Quit", show=False),
    ]

    DEFAULT_CSS = """
    PickerScreen {
        background: $background;
    }
    PickerScreen > Vertical {
        height: 1fr;
        padding: 0 1;
    }
    PickerScreen #heading {
        height: 1;
        background: $panel;
        text-style: bold;
    }
    PickerScreen DataTable {
        height: 1fr;
    }
    PickerScreen #filter {
        display: none;
    }
    PickerScreen #filter.shown {
        display: block;
    }
    PickerScreen #note {
        height: auto;
        color: $text-muted;
    }
    PickerScreen #error {
        height: auto;
        color: $error;
    }
    PickerScreen #error.info {
        color: $text-muted;
    }
    """

    class Chosen(Message):
        """The user asked to open ``entry`` of ``catalog``."""

        def __init__(self, picker: PickerScreen, catalog: Catalog, entry: Entry) -> None:
            super().__init__()
            self.picker = picker
            self.catalog = catalog
            self.entry = entry

    def __init__(
        self,
        levels: list[Catalog],
        details: Details,
        described: dict[tuple[str, str], Entry],
        current: str | None = None,
        can_close: bool = True,
    ) -> None:
        super().__init__()
        self.levels = list(levels)
        self.details = details
        self.described = described  # shared with the app: facts survive closing the picker
        self.current = current
        self.can_close = can_close  # False at start-up: nothing to go back to, Esc quits
        self.filter_text = ""
        self.shown: list[Entry] = []
        self.placed: str | None = None  # the entry the cursor was put on, not moved to

    @property
    def catalog(self) -> Catalog:
        return self.levels[-1]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("", id="heading", markup=False)
            yield DataTable(cursor_type="row", zebra_stripes=True)
            yield Input(placeholder="filter by name (Esc clears)", id="filter")
            yield Static("", id="note", markup=False)
            yield Static("", id="error", markup=False)

    def on_mount(self) -> None:
        self.show_level(self.current)

    # --- the list -----------------------------------------------------------------------

    def show_level(self, select: str | None = None) -> None:
        """Fill the table from the current level (filtered), the cursor on ``select``."""
        catalog = self.catalog
        needle = self.filter_text.lower()
        self.shown = [e for e in catalog.entries if needle in e.key.lower()]
        table = self.query_one(DataTable)
        table.clear(columns=True)
        table.add_columns(*(FOLDER_COLUMNS if catalog.is_directory else COLUMNS))
        for i, entry in enumerate(self.shown):
            table.add_row(*self._cells(self._fact(entry)), key=str(i))
        where = next((i for i, e in enumerate(self.shown) if e.key == select), None)
        self.placed = None
        if where is None:
            where = next((i for i, e in enumerate(self.shown) if e.openable), 0)
            self.placed = self.shown[where].key if self.shown else None
        if self.shown:
            table.move_cursor(row=where)
        self._heading()
        table.focus()
        self._describe_all(catalog)

    def _heading(self) -> None:
        catalog = self.catalog
        root = self.levels[0].name.rstrip("/") + "/"
        path = " › ".join(
            sanitize(level.name.removeprefix(root) if i else level.name)
            for i, level in enumerate(self.levels)
        )
        count = len(catalog.entries) if catalog.is_directory else len(catalog.openable)
        noun = "files" if catalog.is_directory else "arrays"
        shown = f"{len(self.shown)} of " if self.filter_text else ""
        self.query_one("#heading", Static).update(
            Text(f"{path} · {shown}{count} {noun}", no_wrap=True, overflow="ellipsis")
        )
        up = " · Backspace: up" if len(self.levels) > 1 else ""
        back = "Esc: back to the heatmap" if self.can_close else "Esc or q: quit"
        hint = f"Enter: open · / filters · {back}{up}"
        notes = " · ".join(catalog.notes)
        self.query_one("#note", Static).update(Text(f"{notes}\n{hint}" if notes else hint))

    def _fact(self, entry: Entry) -> Entry:
        return self.described.get((self.catalog.name, entry.key), entry)

    @staticmethod
    def _cells(entry: Entry) -> tuple[Text, ...]:
        dim = "" if entry.openable else "dim"
        name = Text(truncate(shown(entry.key) or "(the file)", NAME_WIDTH), style=dim)
        if entry.kind == BUNDLE:
            name.append(" ›", style="bold")
        if entry.kind == ERROR:
            values = Text(truncate(shown(entry.detail), DETAIL_WIDTH), style="red")
        elif entry.kind in (HEATMAP, BUNDLE) or entry.openable:
            values = Text(shown(entry.detail))
        else:
            values = Text(KIND_TEXT.get(entry.kind, entry.kind), style="dim")
        size = size_text(entry.nbytes) if entry.nbytes else ""
        return (
            name,
            Text(entry.shape_text(), style=dim),
            Text(shown(entry.dtype), style=dim),
            values,
            Text(size, style=dim, justify="right"),
        )

    @work(thread=True, exclusive=True, group="describe")
    def _describe_all(self, catalog: Catalog) -> None:
        """Facts that need the data, one entry at a time, in list order."""
        worker = get_current_worker()
        for entry in list(self.shown):
            if worker.is_cancelled:
                return
            if (catalog.name, entry.key) in self.described or not entry.openable:
                continue
            try:
                found = self.details(catalog, entry)
            except Exception as err:  # a file that cannot be read is a row, never a crash
                found = Entry(entry.key, ERROR, entry.shape, entry.dtype, entry.nbytes, str(err))
            if worker.is_cancelled:
                return
            self.post_message(self.Described(catalog, entry, found))
        if catalog.is_directory and not worker.is_cancelled:
            self.post_message(self.AllDescribed(catalog))

    class Described(Message):
        """The worker found the facts of ``entry`` (a row to fill in)."""

        def __init__(self, catalog: Catalog, entry: Entry, found: Entry) -> None:
            super().__init__()
            self.catalog, self.entry, self.found = catalog, entry, found

    class AllDescribed(Message):
        def __init__(self, catalog: Catalog) -> None:
            super().__init__()
            self.catalog = catalog

    def on_picker_screen_described(self, message: Described) -> None:
        self._described(message.catalog, message.entry, message.found)

    def on_picker_screen_all_described(self, message: AllDescribed) -> None:
        self._rank_files(message.catalog)

    def _rank_files(self, catalog: Catalog) -> None:
        """Once a directory's files are described: those holding heatmaps first, the ones
        that cannot open last. The cursor stays on the entry the user moved to."""
        if not self.is_attached or catalog is not self.catalog:
            return
        order = ranked_files([self._fact(e) for e in catalog.entries])
        entries = tuple(catalog.entries[i] for i in order)
        if entries == catalog.entries:
            return
        current = self.selected()
        keep = None if current is None or current.key == self.placed else current.key
        self.levels[-1] = replace(catalog, entries=entries)
        self.show_level(keep)

    def _described(self, catalog: Catalog, entry: Entry, found: Entry) -> None:
        self.described[(catalog.name, entry.key)] = found
        if not self.is_attached or catalog is not self.catalog or entry not in self.shown:
            return
        row = str(self.shown.index(entry))
        table = self.query_one(DataTable)
        for column, cell in zip(table.columns, self._cells(found), strict=True):
            table.update_cell(row, column, cell, update_width=True)

    # --- keys ---------------------------------------------------------------------------

    def selected(self) -> Entry | None:
        table = self.query_one(DataTable)
        if not self.shown or table.cursor_row >= len(self.shown):
            return None
        return self._fact(self.shown[table.cursor_row])

    def action_row(self, step: int) -> None:
        table = self.query_one(DataTable)
        table.action_cursor_down() if step > 0 else table.action_cursor_up()

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        entry = self.selected()
        if entry is None:
            return
        if not entry.openable:
            what = KIND_TEXT.get(entry.kind, entry.kind)
            reason = entry.detail if entry.kind == ERROR else f"{what}, not a heatmap"
            self.show_error(f"{sanitize(entry.key)}: {sanitize(reason)}")
            return
        self.show_error(f"opening {sanitize(entry.key)} …", error=False)
        self.post_message(self.Chosen(self, self.catalog, entry))

    def show_error(self, message: str, error: bool = True) -> None:
        """One line under the list: why an entry did not open (or, dimmed, what is going on)."""
        line = self.query_one("#error", Static)
        line.set_class(not error, "info")
        line.update(Text(message))

    def failed(self, entry: Entry, message: str) -> None:
        """Opening ``entry`` failed: the row says why, and so does the error line."""
        self.described[(self.catalog.name, entry.key)] = Entry(
            entry.key, ERROR, entry.shape, entry.dtype, entry.nbytes, message, entry.path
        )
        if entry in self.shown:
            self._described(self.catalog, entry, self.described[(self.catalog.name, entry.key)])
        self.show_error(f"{sanitize(entry.key)}: {sanitize(message)}")

    def descend(self, catalog: Catalog) -> None:
        """A bundle inside the directory: its arrays become the next level."""
        self.levels.append(catalog)
        self.filter_text = ""
        self.show_error("", error=False)
        self.show_level()

    def action_up(self) -> None:
        if len(self.levels) > 1:
            left = self.levels.pop()
            self.filter_text = ""
            self.show_error("", error=False)
            self.show_level(
                next((e.key for e in self.catalog.entries if e.path == left.name), None)
            )

    def action_back(self) -> None:
        if self.filter_text:
            self._set_filter("")
        elif len(self.levels) > 1 and not self.can_close:
            self.action_up()
        elif self.can_close:
            self.dismiss(None)
        else:
            self.app.exit()

    async def action_quit(self) -> None:
        self.app.exit()

    def action_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.add_class("shown")
        box.focus()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.filter_text = event.value
        self.show_level()
        event.input.focus()

    @on(Input.Submitted, "#filter")
    def _filter_done(self, event: Input.Submitted) -> None:
        self.query_one(DataTable).focus()

    def _set_filter(self, text: str) -> None:
        box = self.query_one("#filter", Input)
        box.value = text
        self.filter_text = text
        if not text:
            box.remove_class("shown")
        self.show_level()
