"""What the viewer screen's workers report. Each is tagged with the panes it was computed
for: the screen drops a report about panes it no longer shows, and a screen that was
replaced receives nothing (its workers end with it)."""

from __future__ import annotations

from pathlib import Path

from textual.message import Message

from tuiheat.core.colourscale import ResolvedScale, ScaleSettings
from tuiheat.core.panes import PaneSet
from tuiheat.core.scale import ValueRange
from tuiheat.core.tensor import Tensor


class ForPanes(Message):
    def __init__(self, panes: PaneSet) -> None:
        super().__init__()
        self.panes = panes


class Reloaded(Message):
    """The files read again (for the screen that asked: its workers end with it)."""

    def __init__(self, tensors: tuple[Tensor, ...]) -> None:
        super().__init__()
        self.tensors = tensors


class ReloadFailed(Message):
    def __init__(self, reason: str) -> None:
        super().__init__()
        self.reason = reason


class RangeScanned(ForPanes):
    """The exact range behind a sampled one."""

    def __init__(self, panes: PaneSet, vrange: ValueRange) -> None:
        super().__init__(panes)
        self.vrange = vrange


class ScaleResolved(ForPanes):
    """A scale that had to read the data (each row or column to its own range), for the
    settings it was resolved with."""

    def __init__(self, panes: PaneSet, settings: ScaleSettings, scale: ResolvedScale) -> None:
        super().__init__(panes)
        self.settings = settings
        self.scale = scale


class ScanProgress(ForPanes):
    def __init__(self, panes: PaneSet, done: float) -> None:
        super().__init__(panes)
        self.done = done


class Exported(Message):
    def __init__(self, path: Path, error: str) -> None:
        super().__init__()
        self.path = path
        self.error = error


class HeadsFound(Message):
    """A layer × head summary computed (for the explorer's link it was asked for)."""

    def __init__(self, link: object, stat: str, summary: Tensor) -> None:
        super().__init__()
        self.link = link
        self.stat = stat
        self.summary = summary


class OpenSummary(Message):
    """A tensor's screen has a summary to show: the App opens it over that screen."""

    def __init__(
        self, link: object, stat: str, colormap: str, at: tuple[int, int] | None = None
    ) -> None:
        super().__init__()
        self.link = link
        self.stat = stat
        self.colormap = colormap
        self.at = at  # the head the tensor shows: the summary's cursor starts on it


class TokenFollowed(Message):
    """A logit lens's grid of one token (its probability at every cell), computed."""

    def __init__(self, key: object, name: str, tensor: Tensor) -> None:
        super().__init__()
        self.key = key
        self.name = name
        self.tensor = tensor


class RunsReady(Message):
    """``A``: the statistics across the files open, computed off the event loop."""

    def __init__(self, view: object) -> None:
        super().__init__()
        self.view = view
