"""Exports without a screen: what each kind writes, and writing it (atomically, never over
an input). The command line's ``--export`` and the viewer's ``e`` menu both use these."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from tuiheat.core.atomic import atomic_write_bytes, atomic_write_text
from tuiheat.core.boxes import Box
from tuiheat.core.matrix import HeatMatrix
from tuiheat.core.names import figure_title
from tuiheat.core.scale import ValueRange

STEM_CHARS = 60
SUFFIXES = {
    ".csv": "csv",
    ".svg": "svg",
    ".html": "html",
    ".htm": "html",
    ".png": "png",
    ".pdf": "pdf",
}

PICTURES = ("html", "svg", "png", "pdf")  # kinds of the whole heatmap as a picture
Text = str | Iterator[str] | Callable[[], bytes]  # a picture's bytes are made as it is written


def export_stem(path: Path | None) -> str:
    """A safe default file name stem for exports: the data file's, or ``tuiheat``."""
    stem = path.stem if path is not None else ""
    stem = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in stem)
    return stem.strip("._")[:STEM_CHARS] or "tuiheat"


def kind_of(out: Path) -> str | None:
    """``csv``, ``svg``, ``html``, ``png`` or ``pdf`` by the file name's suffix (None: not
    one of them)."""
    return SUFFIXES.get(out.suffix.lower())


def heatmap(kind: str, matrix: HeatMatrix, vrange: ValueRange, colormap: str, title: str) -> Text:
    """The whole heatmap as ``kind``: CSV of every cell, or a picture (SVG, HTML) with labels,
    colour bar and boxes. Produced lazily, as it is written."""
    from tuiheat.render.export import csv_lines, html_heatmap, svg_heatmap  # when asked for

    title = figure_title(title)
    if kind == "csv":
        return csv_lines(matrix)
    if kind in ("png", "pdf"):

        def image() -> bytes:  # runs in the writing thread; RuntimeError without Pillow
            from tuiheat.render.raster import heatmap_image, image_bytes

            return image_bytes(heatmap_image(matrix, vrange, colormap, title), f".{kind}")

        return image

    def picture() -> Iterator[str]:  # runs in the writing thread
        make = svg_heatmap if kind == "svg" else html_heatmap
        yield make(matrix, vrange, colormap, title)

    return picture()


def cells(matrix: HeatMatrix, box: Box | None = None) -> Text:
    """The cells of ``box`` (all of them without one) as CSV, labels first."""
    from tuiheat.render.export import csv_lines

    return csv_lines(matrix, box)


def write(path: Path, text: Text, protect: Sequence[Path]) -> None:
    """Atomically (temp file, fsync, rename), and never over (or through a link to) an input;
    OSError, ValueError or RuntimeError (Pillow missing) on failure, the old file intact."""
    if callable(text):
        atomic_write_bytes(path, text(), protect=tuple(protect))
    else:
        atomic_write_text(path, text, protect=tuple(protect))
