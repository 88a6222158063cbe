"""The ``e`` menu's choices and what each writes, as pure functions: the visible cells or a
box as CSV, the whole heatmap as HTML, SVG, PNG or PDF (the screen as SVG is the screen's
own screenshot). Written in the screen's worker (a whole big heatmap takes seconds)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from tuiheat.core.boxes import Box
from tuiheat.core.colourscale import ScaleSettings
from tuiheat.core.labels import sanitize
from tuiheat.core.matrix import HeatMatrix
from tuiheat.core.names import distinct_names
from tuiheat.core.panes import PaneSet
from tuiheat.core.scale import ValueRange
from tuiheat.core.viewstate import ViewState
from tuiheat.session import exports

if TYPE_CHECKING:
    from tuiheat.screens.exportmenu import ExportChoice


def menu_choices(stem: str, box_index: int | None) -> list[ExportChoice]:
    from tuiheat.screens.exportmenu import ExportChoice  # the menu is not needed at start

    return [
        ExportChoice("s", "screen", "the screen as SVG (what you see now)", f"{stem}-screen.svg"),
        ExportChoice(
            "v", "visible", "the visible cells as CSV, with labels", f"{stem}-visible.csv"
        ),
        ExportChoice(
            "b",
            "box",
            "the box under the cursor as CSV",
            f"{stem}-box{(box_index or 0) + 1}.csv",
            enabled=box_index is not None,
            why_not="no box under the cursor",
        ),
        ExportChoice("h", "html", "the whole heatmap as HTML (colour bar, boxes)", f"{stem}.html"),
        ExportChoice("g", "svg", "the whole heatmap as SVG (colour bar, boxes)", f"{stem}.svg"),
        ExportChoice(
            "p", "png", "the whole heatmap as PNG (name it .pdf for a PDF)", f"{stem}.png"
        ),
    ]


def export_kind(kind: str, path: Path) -> str:
    """The whole heatmap, in the format the name asks for (``x.pdf``)."""
    typed = exports.kind_of(path)
    return typed if kind in exports.PICTURES and typed in exports.PICTURES else kind


def export_text(
    kind: str,
    panes: PaneSet,
    state: ViewState,
    visible: Box,
    settings: ScaleSettings,
    vrange: ValueRange,
    heading: str,
) -> exports.Text:
    """What ``kind`` writes (not the screenshot); ``visible``: the cells on screen, of the
    view at the zoom on screen."""
    matrix: HeatMatrix = panes.shown[0].matrix
    if kind == "visible":
        return exports.cells(panes.shown[0].view(state.zoom), visible)
    if kind == "box":
        index = state.box_at_cursor()
        if index is None:
            raise ValueError("no box under the cursor")
        return exports.cells(matrix, state.boxes[index])
    matrix = matrix.with_boxes(state.boxes)
    if settings.mode in ("row", "column"):  # one scale for a file that stands alone
        vrange = replace(settings, mode="fixed").resolve([matrix]).vrange
    return exports.heatmap(kind, matrix, vrange, settings.colormap, heading)


def heading(panes: PaneSet, title: str) -> str:
    """The picture's title names what it shows: with several files, the first panel's
    (``seed0/auc.csv``, or ``seed0/auc.csv − seed1/auc.csv`` under D), not all of them."""
    if panes.kind != "files":
        return sanitize(title)
    names = [n.text for n in distinct_names([p.name for p in panes.panes])]
    if panes.diff:
        return sanitize(
            f"{names[0]} − {names[1]}" if len(names) == 2 else f"{names[1]} − {names[0]}"
        )
    return sanitize(names[0])


def write_export(path: Path, text: exports.Text, protect: list[Path]) -> str:
    """Write it; the error, if any, in one line (a failed export never ends the session)."""
    try:
        exports.write(path, text, protect)
    except (OSError, ValueError, RuntimeError) as err:
        return (err.strerror if isinstance(err, OSError) else None) or str(err)
    except Exception as err:
        return f"{type(err).__name__}: {err} (a bug: please report it)"
    return ""
