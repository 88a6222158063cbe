"""One description of a viewer, built by the command line, the Python API and the tests.

``ViewerConfig`` says what to show (the sources: one tensor per pane, with where each
came from and how to read it again), how to colour it, how this terminal draws, and
what to say at start. ``TuiheatApp(config)`` is the only way to build the viewer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from tuiheat.core.boxes import Box
from tuiheat.core.catalog import Collection, Opened
from tuiheat.core.colourscale import ScaleSettings
from tuiheat.core.matrix import HeatMatrix
from tuiheat.core.scale import SEED_RANGE, ValueRange
from tuiheat.core.tensor import SliceSpec, Tensor, default_spec
from tuiheat.render.gridview import DisplaySettings


@dataclass(frozen=True)
class Source:
    """One pane's data: the tensor, its name over the pane, and its file (to watch)."""

    tensor: Tensor
    name: str = ""
    path: Path | None = None
    stamp: tuple[int, int] | None = None  # size and mtime when read
    reload: Callable[[], Tensor] | None = None  # reads the file again (None: stdin, objects)


@dataclass(frozen=True)
class ViewerConfig:
    sources: tuple[Source, ...] = ()  # none: the picker of ``collection`` comes first
    spec: SliceSpec | None = None  # the slice on screen (default: the last two axes)
    facet: int | None = None  # an axis of the (one) tensor laid out as panels
    boxes: tuple[Box, ...] = ()
    title: str = ""
    array_name: str = ""  # how N-D titles name the array
    array_key: str | None = None  # the bundle member on screen (its boxes are its own)
    vrange: ValueRange | None = None  # the start range (None: from the data)
    colormap: str = "blues"
    center: float | None = None
    log: bool = False
    vmin: float | None = None
    vmax: float | None = None
    display: DisplaySettings = field(default_factory=DisplaySettings)
    half: bool = False
    watch: bool = False
    notices: tuple[str, ...] = ()
    color_note: str = ""  # 256 colours for lack of evidence: how to get truecolor
    collection: Collection | None = None
    as_text: str | None = None  # --as-text ROW: the token text shown, the cursor on ROW
    summary: str | None = None  # --summary STAT: the layer × head overview first
    lens: Any = None  # session.lens.LensFile: the logit lens behind the grid (its top k)
    runs: Any = None  # session.runs.RunsView: the runs whose statistics the grid shows

    @property
    def data_path(self) -> Path | None:
        return self.sources[0].path if self.sources else None

    def scale(self) -> ScaleSettings:
        """The scale settings before the data says more (the base range follows)."""
        base = self.vrange or SEED_RANGE
        return ScaleSettings(
            base, self.colormap, self.center, self.log, vmin=self.vmin, vmax=self.vmax
        )

    def with_opened(self, opened: Opened) -> ViewerConfig:
        """The array the picker opened, with everything else (colours, display) kept."""
        source = Source(opened.tensor, opened.name, opened.data_path, opened.stamp, opened.reloader)
        return replace(
            self,
            sources=(source,),
            spec=opened.spec,
            facet=opened.facet,
            boxes=tuple(opened.matrix.boxes),
            title=opened.title,
            array_name=opened.name,
            array_key=opened.key,
            vrange=opened.vrange,
            notices=tuple(opened.notices),
        )

    @classmethod
    def for_matrix(
        cls,
        matrix: HeatMatrix,
        *,
        tensor: Tensor | None = None,
        compare: Tensor | Source | Sequence[Tensor | Source] | None = None,
        names: Sequence[str] = ("A", "B"),
        data_path: Path | None = None,
        reloader: Callable[[], Tensor] | None = None,
        stamp: tuple[int, int] | None = None,
        color_mode: str = "truecolor",
        ascii_only: bool = False,
        bins: int | None = None,
        **fields: object,
    ) -> ViewerConfig:
        """A viewer of ``matrix`` (the slice on screen of ``tensor``), and of ``compare``
        (tensors or sources of its shape) beside it, as panes named by ``names``."""
        tensor = tensor if tensor is not None else Tensor.from_matrix(matrix)
        sources = [Source(tensor, names[0] if names else "", data_path, stamp, reloader)]
        others = (
            []
            if compare is None
            else [compare]
            if isinstance(compare, (Tensor, Source))
            else list(compare)
        )
        for i, other in enumerate(others, start=1):
            name = names[i] if i < len(names) else f"pane {i + 1}"
            sources.append(other if isinstance(other, Source) else Source(other, name))
        spec = fields.pop("spec", None) or default_spec(tensor)
        return cls(
            sources=tuple(sources),
            spec=spec,  # type: ignore[arg-type]
            boxes=tuple(matrix.boxes),
            display=DisplaySettings(color_mode, ascii_only, bins),
            **fields,  # type: ignore[arg-type]
        )
