"""The files behind a viewer, without a screen: have they changed since they were read, and
reading them again (all together, still of one shape, or not at all)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from tuiheat.core.compare import check_comparable
from tuiheat.core.stamp import file_stamp
from tuiheat.core.tensor import Tensor
from tuiheat.session.config import Source

Stamp = tuple[int, int] | None


class ReloadError(Exception):
    """A file that does not read (half-written) or no longer matches the others."""


@dataclass(frozen=True)
class Change:
    """What ``check`` found: which files changed, and whether all can be read now."""

    names: tuple[str, ...]
    readable: bool


class FileSession:
    def __init__(self, sources: Sequence[Source]) -> None:
        self.sources = tuple(sources)
        self.stamps: tuple[Stamp, ...] = tuple(s.stamp for s in self.sources)

    @property
    def watched(self) -> tuple[Path, ...]:
        return tuple(s.path for s in self.sources if s.path is not None)

    @property
    def can_reload(self) -> bool:
        return self.sources[0].reload is not None if self.sources else False

    def _now(self) -> tuple[Stamp, ...]:
        stamps: list[Stamp] = []
        for source in self.sources:
            if source.path is None:
                stamps.append(None)
                continue
            try:
                stamps.append(file_stamp(source.path))
            except OSError:
                stamps.append(None)
        return tuple(stamps)

    def check(self, stale: bool = False) -> Change | None:
        """None when nothing changed; ``stale``: a read found a file shorter than it was."""
        now = self._now()
        if now == self.stamps and not stale:
            return None
        names = tuple(
            s.path.name
            for s, a, b in zip(self.sources, now, self.stamps)
            if s.path is not None and a != b
        )
        paths_now = [n for s, n in zip(self.sources, now) if s.path is not None]
        return Change(names, None not in paths_now)

    def reload(self, current: Sequence[Tensor]) -> tuple[Tensor, ...]:
        """Every file read again (sources without a file keep ``current``), checked to be of
        one shape; ReloadError leaves the last good data where it is."""
        try:
            tensors = tuple(
                s.reload() if s.reload is not None else t for s, t in zip(self.sources, current)
            )
            for source, tensor in zip(self.sources[1:], tensors[1:]):
                check_comparable(tensors[0], tensor, self.sources[0].name, source.name)
        except Exception as err:  # a half-written file: keep the last good data on screen
            raise ReloadError(str(err)) from None
        return tensors

    def mark_read(self) -> None:
        self.stamps = self._now()
