"""Bundles and directories in the viewer: the picker comes up (at start, or on ``o``), the
chosen array is read in a thread while the picker stays, and then replaces the view."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tuiheat.core.catalog import Catalog, Collection, Entry, Opened
from tuiheat.core.labels import sanitize

if TYPE_CHECKING:
    from tuiheat.app.viewer import TuiheatApp
    from tuiheat.screens.picker import PickerScreen


class PickerFlow:
    def __init__(self, app: TuiheatApp, collection: Collection | None) -> None:
        self.app = app
        self.collection = collection
        self.levels: list[Catalog] = []
        self.current: str | None = None  # the entry on screen, where the list opens again
        self.described: dict[tuple[str, str], Entry] = {}  # facts found, kept between visits
        self.opening = False

    def open(self) -> None:
        """o: the arrays of this bundle (or the files of the directory), to open another."""
        from tuiheat.screens.picker import PickerScreen

        app, collection = self.app, self.collection
        if collection is None:
            app.notify("This input holds one array: there is nothing else to open.", markup=False)
            return
        if not self.levels:
            try:
                self.levels = [collection.catalog()]
            except Exception as err:  # a bundle that cannot be listed: say why, keep the view
                app.notify(f"Cannot list the arrays: {sanitize(str(err))}", severity="error")
                return
        top = self.levels[0]
        if app.opened and len(top.openable) <= 1 and not top.is_directory:
            app.notify("This file holds one array: there is nothing else to open.", markup=False)
            return
        can_close = app.opened
        app.push_screen(
            PickerScreen(self.levels, collection.details, self.described, self.current, can_close)
        )

    def chosen(self, picker: PickerScreen, catalog: Catalog, entry: Entry) -> None:
        if self.opening:
            return
        boxes = self.app.boxes
        if boxes is not None and boxes.unsaved() and not boxes.warned:  # never lose boxes
            boxes.warned = True
            picker.show_error(
                "The boxes drawn are not saved: Esc, then w saves them; Enter again opens this."
            )
            return
        self.opening = True
        self.app.run_worker(
            lambda: self._read(picker, catalog, entry), thread=True, exclusive=True, group="open"
        )

    def _read(self, picker: PickerScreen, catalog: Catalog, entry: Entry) -> None:
        """Read the chosen array off the event loop; the picker stays until it is ready."""
        assert self.collection is not None
        app = self.app
        try:
            result = self.collection.open(catalog, entry)
        except Exception as err:  # a file that cannot be opened: the picker says why
            app.call_from_thread(self._failed, picker, entry, str(err))
            return
        if isinstance(result, Catalog):  # a bundle file in the directory: its arrays next
            app.call_from_thread(self._nested, picker, result)
            return
        app.call_from_thread(self._show, picker, entry, result)

    def _failed(self, picker: PickerScreen, entry: Entry, reason: str) -> None:
        self.opening = False
        picker.failed(entry, reason)

    def _nested(self, picker: PickerScreen, catalog: Catalog) -> None:
        self.opening = False
        picker.descend(catalog)

    async def _show(self, picker: PickerScreen, entry: Entry, opened: Opened) -> None:
        self.levels = list(picker.levels)
        self.current = entry.key
        app = self.app
        if app.screen is picker:
            await app.pop_screen()
        await app.load(app.config.with_opened(opened))
        self.opening = False
