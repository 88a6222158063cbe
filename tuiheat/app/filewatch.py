"""The viewer's side of the files, as a value the screen asks: a stat once a second, a
notice once, reloads (read in the screen's worker).

Watching (``--watch``) reloads whenever a file changes; otherwise the viewer says once
that it changed and ``Ctrl+R`` reloads. A reload that fails (a half-written file) keeps
the last good data on screen and says so in the title until the next good read.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from tuiheat.core.chunkrows import chunk_failure
from tuiheat.core.labels import sanitize
from tuiheat.core.panes import PaneSet
from tuiheat.core.tensor import Tensor, default_spec
from tuiheat.core.viewstate import ViewState
from tuiheat.session.files import FileSession

WATCH_INTERVAL = 1.0  # seconds between checks of the files on disk (a stat, nothing more)


@dataclass(frozen=True)
class FileEvent:
    """What a check found, for the screen to do: redo the title, say something, reload."""

    title: bool = False
    notice: str = ""
    reload: bool = False


class FileWatch:
    def __init__(self, session: FileSession, watch: bool) -> None:
        self.session = session
        self.watch = watch
        self.reloading = False
        self.error = ""
        self.gone = False  # a file was deleted or moved: the last good data stays
        self.told = False
        self.reloaded_at = ""
        self.chunks_told: set[str] = set()  # what was said of the store's chunks

    @property
    def wanted(self) -> bool:
        """Whether the files are worth a look once a second."""
        return bool(self.session.watched) and self.session.can_reload

    def check(self, panes: PaneSet) -> FileEvent | None:
        """Has a file changed since it was read? Say so once; reload if watching."""
        if self.reloading:
            return None
        failed = next(
            (f for p in panes.panes if (f := chunk_failure(p.matrix, p.tensor.source))), ""
        )
        if failed and failed not in self.chunks_told:  # each trouble once
            self.chunks_told.add(failed)
            return FileEvent(title=True, notice=sanitize(failed))  # the title may name dask
        if not self.wanted:
            return None
        change = self.session.check(any(p.matrix.stale for p in panes.panes))
        if change is None:
            return None
        watched = self.session.watched
        names = " and ".join(change.names) or (watched[0].name if watched else "the file")
        if not change.readable:
            if self.gone:
                return None
            self.gone = True
            after = "it is read again when it comes back" if self.watch else "Ctrl+R reads it again"
            return FileEvent(
                title=True,
                notice=f"{sanitize(names)} was deleted or moved; the last good data stays on "
                f"screen ({after}).",
            )
        back, self.gone = self.gone, False
        if self.watch:
            self.session.mark_read()
            return FileEvent(title=back, reload=True)
        if self.told:
            return FileEvent(title=back) if back else None
        self.told = True
        notice = f"{sanitize(names)} changed on disk since it was read; Ctrl+R reloads it."
        return FileEvent(title=back, notice=notice)

    def title_error(self) -> str:
        return "file gone" if self.gone else ("reload failed" if self.error else "")

    def failed(self, reason: str) -> str:
        self.reloading = False
        self.error = reason
        return f"Reload failed ({sanitize(reason)}); the last good data stays on screen."

    def done(self) -> None:
        self.reloading = self.gone = self.told = False
        self.error = ""
        self.reloaded_at = time.strftime("%H:%M:%S")
        self.session.mark_read()


def reloaded_view(
    panes: PaneSet, state: ViewState, tensors: tuple[Tensor, ...]
) -> tuple[PaneSet, ViewState]:
    """The same view of the data read again (another shape: the file's own view)."""
    same = tensors[0].shape == panes.first.tensor.shape
    spec = state.spec if same else default_spec(tensors[0])
    if not same and panes.kind == "facets":  # another shape: the axis may be gone
        new = PaneSet.of(tensors[:1], [panes.first.name], spec)
    elif not same:
        new = panes.reloaded(tensors).sliced(spec, readable=not state.raw_tokens)
    else:
        new = panes.reloaded(tensors)
    return new, state.sliced(spec, new.first.matrix.shape)
