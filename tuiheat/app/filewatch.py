"""The viewer's side of the files: a stat once a second, a notice once, reloads in a thread.

Watching (``--watch``) reloads whenever a file changes; otherwise the viewer says once
that it changed and ``Ctrl+R`` reloads. A reload that fails (a half-written file) keeps
the last good data on screen and says so in the title until the next good read.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from tuiheat.core.labels import sanitize
from tuiheat.core.panes import PaneSet
from tuiheat.core.tensor import Tensor, default_spec
from tuiheat.session.files import FileSession, ReloadError

if TYPE_CHECKING:
    from tuiheat.app.viewer import TuiheatApp

WATCH_INTERVAL = 1.0  # seconds between checks of the files on disk (a stat, nothing more)


class FileWatch:
    def __init__(self, app: TuiheatApp, session: FileSession, watch: bool) -> None:
        self.app = app
        self.session = session
        self.watch = watch
        self.reloading = False
        self.error = ""
        self.gone = False  # a file was deleted or moved: the last good data stays
        self.told = False
        self.reloaded_at = ""

    def start(self) -> None:
        if self.session.watched and self.session.can_reload:
            self.app.set_interval(WATCH_INTERVAL, self.check)

    def check(self) -> None:
        """Has a file changed since it was read? Say so once; reload if watching."""
        if self.reloading or self.app.files is not self:
            return
        stale = any(p.matrix.stale for p in self.app.panes.panes)
        change = self.session.check(stale)
        if change is None:
            return
        if not change.readable:
            self._gone(change.names)
            return
        if self.gone:  # it is back
            self.gone = False
            self.app.chrome.title()
        if self.watch:
            self.session.mark_read()
            self.reload()
            return
        if not self.told:
            self.told = True
            watched = self.session.watched
            names = " and ".join(change.names) or (watched[0].name if watched else "the file")
            self.app.notify(
                f"{sanitize(names)} changed on disk since it was read; Ctrl+R reloads it.",
                severity="warning",
                timeout=30,
                markup=False,
            )

    def _gone(self, names: tuple[str, ...]) -> None:
        """A file went away: say so once, and in the title while it stays away."""
        if self.gone:
            return
        self.gone = True
        self.app.chrome.title()
        watched = self.session.watched
        name = sanitize(" and ".join(names) or (watched[0].name if watched else "the file"))
        after = "it is read again when it comes back" if self.watch else "Ctrl+R reads it again"
        self.app.notify(
            f"{name} was deleted or moved; the last good data stays on screen ({after}).",
            severity="warning",
            timeout=30,
            markup=False,
        )

    def title_error(self) -> str:
        return "file gone" if self.gone else ("reload failed" if self.error else "")

    def reload(self) -> None:
        """Ctrl+R: read the files again, keeping the cursor, zoom, boxes and colours."""
        if not self.session.can_reload:
            self.app.notify("Nothing to reload: this input came from standard input.", markup=False)
            return
        self.reloading = True
        current = self.app.panes.tensors
        self.app.run_worker(
            lambda: self._read(current), thread=True, exclusive=True, group="reload"
        )

    def _read(self, current: tuple[Tensor, ...]) -> None:
        try:
            tensors = self.session.reload(current)
        except ReloadError as err:
            self.app.call_from_thread(self._failed, str(err))
            return
        self.app.call_from_thread(self._done, tensors)

    def _failed(self, reason: str) -> None:
        if self.app.files is not self:
            return  # the reload of an array no longer on screen
        self.reloading = False
        self.error = reason
        self.app.chrome.title()
        self.app.notify(
            f"Reload failed ({sanitize(reason)}); the last good data stays on screen.",
            severity="error",
            timeout=10,
            markup=False,
        )

    def _done(self, tensors: tuple[Tensor, ...]) -> None:
        if self.app.files is not self:
            return
        self.reloading = False
        self.error = ""
        self.gone = False
        self.told = False
        self.reloaded_at = time.strftime("%H:%M:%S")
        self.session.mark_read()
        self._show(tensors)

    def _show(self, tensors: tuple[Tensor, ...]) -> None:
        """The files were read again: the same view of the new data."""
        app = self.app
        assert app.panes is not None
        state, panes = app.state, app.panes
        same = tensors[0].shape == panes.first.tensor.shape
        spec = state.spec if same else default_spec(tensors[0])
        if not same and panes.kind == "facets":  # another shape: the axis may be gone
            new = PaneSet.of(tensors[:1], [panes.first.name], spec)
        elif not same:
            new = panes.reloaded(tensors).sliced(spec, readable=not state.raw_tokens)
        else:
            new = panes.reloaded(tensors)
        app.heatview.show(panes=new, state=state.sliced(spec, new.first.matrix.shape))
        app.scale_keys.new_data()
        app.reloads += 1
