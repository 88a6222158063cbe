"""TuiheatApp: the configuration, the picker and the screens. What is on screen is a
``ViewerScreen`` (the default screen when the command line named an array; a new one for
each array opened from the picker); the App keeps ``o``, ``?``, ``q`` before anything is
open, and the colour-mode notice."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from textual.app import App
from textual.screen import Screen

from tuiheat.app.explorer import summary_screen
from tuiheat.app.heads import HeadLink
from tuiheat.app.keys import APP_KEYS, CSS
from tuiheat.app.lensscreen import LensScreen
from tuiheat.app.messages import OpenSummary, RunsReady
from tuiheat.app.notices import OneNoticeApp
from tuiheat.app.picker import PickerPlace, Read, StartScreen
from tuiheat.app.runsscreen import RunsScreen, runs_config
from tuiheat.app.screen import ViewerScreen
from tuiheat.core.boxes import Box
from tuiheat.core.catalog import Catalog
from tuiheat.core.labels import sanitize
from tuiheat.session import collector
from tuiheat.session.config import ViewerConfig
from tuiheat.widgets import partial_update

if TYPE_CHECKING:
    from tuiheat.screens.picker import PickerScreen


def viewer_commands() -> type:
    """tuiheat's command provider, imported when the palette first opens."""
    from tuiheat.app.commands import ViewerCommands

    return ViewerCommands


class TuiheatApp(OneNoticeApp[tuple[Box, ...]]):
    """The interactive viewer of one or more panes of one shape, or of a bundle's picker."""

    TITLE = "tuiheat"
    ENABLE_COMMAND_PALETTE = True
    COMMANDS = App.COMMANDS | {viewer_commands}
    BINDINGS = APP_KEYS
    CSS = CSS

    def __init__(self, config: ViewerConfig) -> None:
        super().__init__()
        partial_update.install()  # idempotent; the App may be built without the launcher
        self.config = config
        self.place = PickerPlace(config.collection)

    def get_default_screen(self) -> Screen[None]:
        """The first frame is the viewer's own (sized from the terminal as it composes)."""
        if self.config.sources and self.config.lens is not None:
            return LensScreen(self.config, self.config.scale(), can_open=False)
        if self.config.sources and self.config.runs is not None:
            return RunsScreen(self.config, self.config.scale(), can_open=False)
        if self.config.sources:
            return ViewerScreen(self.config, self.config.scale(), can_open=False)
        return StartScreen()

    @property
    def viewer(self) -> ViewerScreen | None:
        """The array on screen (under any prompt or picker), if one is open."""
        return next((s for s in reversed(self.screen_stack) if isinstance(s, ViewerScreen)), None)

    def on_ready(self) -> None:
        collector.resume()  # the first frame is on screen

    def on_mount(self) -> None:
        if self.config.color_note and not self.config.notices and self.size.width >= 60:
            self.notify(self.config.color_note, timeout=6, markup=False)  # title: the mode
        if self.viewer is None:
            self.action_open_picker()

    def action_open_picker(self) -> None:
        """o: the arrays of this bundle (or the files of the directory), to open another."""
        from tuiheat.screens.picker import PickerScreen  # not needed for the first frame

        place = self.place
        if place.collection is None:
            self.notify("This input holds one array: there is nothing else to open.", markup=False)
            return
        if not place.levels:
            try:
                place.levels = [place.collection.catalog()]
            except Exception as err:  # a bundle that cannot be listed: say why, keep the view
                self.notify(f"Cannot list the arrays: {sanitize(str(err))}", severity="error")
                return
        top = place.levels[0]
        if self.viewer is not None and len(top.openable) <= 1 and not top.is_directory:
            self.notify("This file holds one array: there is nothing else to open.", markup=False)
            return
        details = place.collection.details
        can_close = self.viewer is not None
        self.push_screen(
            PickerScreen(place.levels, details, place.described, place.current, can_close)
        )

    def on_picker_screen_chosen(self, event: PickerScreen.Chosen) -> None:
        place, viewer = self.place, self.viewer
        if place.opening:
            return
        if viewer is not None and not viewer.may_leave():  # never lose boxes
            event.picker.show_error(
                "The boxes drawn are not saved: Esc, then w saves them; Enter again opens this."
            )
            return
        place.opening = True
        collection, catalog, entry = place.collection, event.catalog, event.entry
        assert collection is not None

        def read() -> None:  # off the event loop; the picker stays until it is ready
            try:
                result = collection.open(catalog, entry)
            except Exception as err:  # a file that cannot be opened: the picker says why
                self.post_message(Read(entry, None, str(err)))
                return
            self.post_message(Read(entry, result))

        self.run_worker(read, thread=True, exclusive=True, group="open")

    async def on_read(self, message: Read) -> None:
        from tuiheat.screens.picker import PickerScreen

        picker = self.screen if isinstance(self.screen, PickerScreen) else None
        result, self.place.opening = message.result, False
        if picker is None:
            return  # the picker was closed meanwhile
        if result is None:
            picker.failed(message.entry, message.error)
        elif isinstance(result, Catalog):  # a bundle file in the directory: its arrays next
            picker.descend(result)
        else:
            self.place.levels = list(picker.levels)
            self.place.current = message.entry.key
            await self.pop_screen()
            await self.show(self.config.with_opened(result))

    def on_open_summary(self, message: OpenSummary) -> None:
        """A tensor's head summary is ready: over its screen (``S``; Esc comes back)."""
        assert isinstance(message.link, HeadLink)
        link, stat = message.link, message.stat
        self.push_screen(summary_screen(link, stat, message.colormap, message.at))

    def action_runs(self) -> None:
        """A over files of one shape: their statistics across runs, over their screen."""
        from tuiheat.session.runs import runs_view_of

        viewer = self.viewer
        if viewer is None or isinstance(viewer, RunsScreen) or viewer.panes.kind != "files":
            said = (
                "A: statistics across runs need two or more files of one shape open "
                "(tuiheat run*/auc.npy), or --stats."
            )
            self.notify(said, timeout=5, markup=False)
            return
        tensors = viewer.panes.tensors
        names = [source.name for source in viewer.config.sources]
        spec = viewer.state.spec
        self.notify(f"statistics across {len(tensors)} runs …", timeout=2, markup=False)

        def work() -> None:
            try:
                view = runs_view_of(tensors, names, spec)
            except ValueError as err:  # stores too big to hold whole: said, nothing lost
                self.call_from_thread(self.notify, f"A: {err}", severity="warning", markup=False)
                return
            self.post_message(RunsReady(view))

        self.run_worker(work, thread=True, exclusive=True, group="runs")

    def on_runs_ready(self, message: RunsReady) -> None:
        viewer = self.viewer
        if viewer is None or isinstance(viewer, RunsScreen):
            return
        view = message.view
        config = runs_config(viewer.config, view)  # type: ignore[arg-type]
        spec = viewer.state.spec if view.first.ndim == len(viewer.state.spec.hidden) + 2 else None  # type: ignore[attr-defined]
        config = replace(config, spec=spec or config.spec, boxes=viewer.state.boxes)
        screen = RunsScreen(config, viewer.settings, can_open=False)
        r0, _, c0, _ = viewer.state.cursor_block()
        screen.start_at = (r0, c0)
        self.push_screen(screen)

    async def show(self, config: ViewerConfig) -> None:
        """Another array on screen: a new viewer screen, the colour settings kept."""
        old = self.viewer
        settings = old.settings if old is not None else config.scale()
        self.config = config
        if len(self.screen_stack) == 1:
            # Textual gives the first screen no result callback, and switching pops one.
            self.screen._push_result_callback(self, None)
        await self.switch_screen(ViewerScreen(config, settings, can_open=True))

    def action_quit(self) -> None:
        self.exit(())

    def action_help(self) -> None:
        """?: every key by task (the help screen is imported when asked for)."""
        from tuiheat.app.commands import help_screen

        self.push_screen(help_screen())
