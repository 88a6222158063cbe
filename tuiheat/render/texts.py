"""The viewer's chrome as text: the title's facts, the captions over the panes, the legend
of keyed column labels, the readout of every pane, the box line. Pure functions of the
model, so each rule is tested without a terminal."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len
from rich.text import Text

from tuiheat.core.boxes import Box
from tuiheat.core.colourscale import ScaleSettings
from tuiheat.core.labels import sanitize
from tuiheat.core.matrix import HeatMatrix
from tuiheat.core.names import PathName, distinct_names
from tuiheat.core.readout import format_value
from tuiheat.core.scale import AUC_RULE, ValueRange, range_text, under_text
from tuiheat.core.zoom import Zoom
from tuiheat.render.axes import KEY_STYLE, legend_rows
from tuiheat.render.cells import ELLIPSIS, truncate, truncate_path
from tuiheat.render.readout import SEPARATOR, box_label, readout_width

MODE_NAMES = {
    "truecolor": "truecolor",
    "256": "256 colours",
    "16": "16 colours",
    "none": "no colour",
}
LETTERS = "ABCDEF"
PANE_EXTRA = len("   -1.000e+308")  # what each further pane adds to the readout


@dataclass(frozen=True)
class TitleFacts:
    """What the title line says besides the title."""

    shape: tuple[int, int]
    zoom: Zoom
    scale: ScaleSettings
    vrange: ValueRange
    color_mode: str
    ascii_only: bool = False
    difference: str = ""  # "A − B" while D is on
    page: tuple[int, int, int] | None = None  # first and last panel shown, of how many
    notes: Sequence[str] = ()
    reload_error: str = ""  # "reload failed", "file gone": the last good data is on screen
    watching: bool = False
    reloaded: str = ""  # when the data were last read again (HH:MM:SS)
    fitted: Sequence[str] = ()  # what was switched to fit the screen: "half blocks (H)"
    whole: bool = False  # the range is the whole N-D array's, not this slice's


def info_text(facts: TitleFacts, level: int = 0) -> str:
    """``32×14 · blues 0.5–1.0 (AUC: …) · 1 cell below 0.5 ▾ · truecolor · watching``.

    ``level`` 0 says everything, the AUC rule in full; 1 names the rule (``AUC``); 2 says
    the colour mode in a word (``256``); 3, for a narrow screen, also leaves out the keys
    that change what tuiheat chose (``(H)``)."""
    vr, mode = facts.vrange, facts.scale.mode
    colormap = facts.scale.colormap
    keys = (lambda text: text) if level < 3 else _without_keys
    if mode in ("row", "column"):
        scale = f"{colormap} per {mode}"
    else:
        approx = "≈" if vr.provisional else ""
        scale = f"{colormap} {'log ' if vr.log else ''}{approx}{range_text(vr)}"
        if vr.auc:
            scale += f" ({AUC_RULE})" if level == 0 else " (AUC)"
        if facts.whole and mode == "fixed":
            scale += keys(" all slices (R)")
        if vr.under:
            scale += f" · {under_text(vr, 'v' if facts.ascii_only else '▾')}"
    parts = [f"{facts.shape[0]}×{facts.shape[1]}"]
    if facts.page is not None:
        first, last, n = facts.page
        shown = f"panel {first}" if first == last else f"panels {first}–{last}"
        parts.insert(0, keys(f"{shown} of {n} (< >)"))
    if facts.difference:
        parts.insert(0, facts.difference)
    if not facts.zoom.is_identity:
        parts.append(facts.zoom.describe())
    colours = MODE_NAMES[facts.color_mode] if level < 2 else SHORT_MODES[facts.color_mode]
    fitted = [keys(note) for note in facts.fitted]
    parts += [*fitted, scale, colours, *map(sanitize, facts.notes)]
    if facts.reload_error:
        parts.append(f"{facts.reload_error}: showing the last good data")
    elif facts.watching:
        parts.append(f"watching, reloaded {facts.reloaded}" if facts.reloaded else "watching")
    return " · ".join(parts)


SHORT_MODES = {"truecolor": "truecolor", "256": "256", "16": "16", "none": "no colour"}


def _without_keys(text: str) -> str:
    """``half blocks (H)`` -> ``half blocks``: the help says the keys."""
    return re.sub(r" \([^()]{1,3}\)$", "", text)


def fit_title(title: str, width: int) -> str:
    """A title of parts (``model · attn [6,12,17,17] · layer 0 · head × 12 panels``) gives
    up the array's description first, then its name, then the slice from the front: what
    is on screen, said last, stays longest."""
    parts = title.split(" · ")
    tries = [[parts[0], ELLIPSIS, *parts[2:]]] if len(parts) > 2 else []
    tries += [[ELLIPSIS, *parts[k:]] for k in range(2, len(parts))]
    for shorter in tries:
        if cell_len(title) <= width:
            break
        title = " · ".join(shorter)
    return truncate(title, width)


def letter(index: int) -> str:
    return LETTERS[index] if index < len(LETTERS) else str(index + 1)


def panel_caption(
    index: int, names: Sequence[str], difference: bool, width: int, letters: bool = True
) -> Text:
    """The name over panel ``index``: ``A run1.npy``; with D on, what it shows
    (``A − B run1.npy − run2.npy`` for two runs, ``C−A run3.npy`` for more). Without
    ``letters`` (panels of one tensor) the name alone."""
    text = Text(no_wrap=True, overflow="ellipsis")
    shown = distinct_names([sanitize(n) for n in names])
    if difference and len(shown) == 2:
        text.append("A − B ", style="bold")
        room = max(1, (width - 9) // 2)
        text.append(f"{fitted_name(shown[0], room)} − {fitted_name(shown[1], room)}")
        return text
    if difference:  # each pane minus the first
        label, name = f"{letter(index + 1)}−A", shown[index + 1]
    else:
        label, name = letter(index), shown[index]
    if not letters:
        text.append(fitted_name(name, max(1, width)), style="bold")
        return text
    text.append(label + " ", style="bold")
    text.append(fitted_name(name, max(1, width - cell_len(label) - 1)))
    return text


def fitted_name(name: PathName, width: int) -> str:
    """A file's name in ``width`` cells, keeping what tells it from the others:
    ``seed0/auc.csv``, then ``seed0/…``, then the end of ``seed0`` itself."""
    if cell_len(name.text) <= width:
        return name.text
    if name.tail and cell_len(name.distinct) + 2 <= width:
        return f"{name.distinct}/{ELLIPSIS}"
    return truncate_path(name.distinct, width)


def _legend(
    legend: Sequence[tuple[str, str]], col_title: str, width: int
) -> tuple[str, list[list[tuple[str, str]]]]:
    """The legend's prefix and its rows on a screen ``width`` wide."""
    prefix = sanitize(col_title) + ": "
    return prefix, legend_rows(legend, max(8, width - 2), prefix)  # its padding: 1


def legend_height(legend: Sequence[tuple[str, str]], col_title: str, width: int) -> int:
    """Lines ``legend_text`` takes (0 without keys), without drawing it."""
    return len(_legend(legend, col_title, width)[1])


def legend_text(legend: Sequence[tuple[str, str]], col_title: str, width: int) -> Text:
    """``Token: a last_q  b first_answer`` wrapped, the keys in the style they have over
    the cells."""
    prefix, rows = _legend(legend, col_title, width)
    text = Text(no_wrap=True, overflow="ellipsis")
    for i, row in enumerate(rows):
        if i:
            text.append("\n")
        text.append(prefix if i == 0 else " " * cell_len(prefix))
        for j, (key, label) in enumerate(row):
            text.append("  " if j else "")
            text.append(key, KEY_STYLE)
            text.append(f" {label}")
    return text


def status_width(view: HeatMatrix, zoom: Zoom, panes: int) -> int:
    """The widest readout any cell can have, so the status line never needs a layout pass."""
    width = readout_width(view) + 2  # + padding
    if not zoom.is_identity:
        width += len(f" (nearest of {zoom.row_factor}×{zoom.col_factor})")
    if panes == 2:
        width += len("A   B -1.000e+308  A−B +-1.000e+308")
    elif panes > 2:
        width += 2 + panes * PANE_EXTRA
    return width


def facets_readout(
    matrix: HeatMatrix,
    row: int,
    col: int,
    axis: str,
    labels: Sequence[str],
    values: Sequence[float],
) -> Text:
    """``Query 3 │ Key x │ head 0 0.120  1 0.340  2 0.051 …``: every panel's value at the
    cursor, named by the faceted axis once and then by index (or label)."""
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(
        f"{sanitize(matrix.row_title)} {sanitize(matrix.row_labels[row])}{SEPARATOR}"
        f"{sanitize(matrix.col_title)} {sanitize(matrix.col_labels[col])}{SEPARATOR}"
    )
    for i, (label, value) in enumerate(zip(labels, values)):
        text.append(("  " if i else sanitize(axis) + " ") + sanitize(label) + " ")
        text.append(format_value(value), style="bold")
    return text


def panes_readout(
    matrix: HeatMatrix,
    row: int,
    col: int,
    values: Sequence[float],
    differences: Sequence[float] = (),
) -> Text:
    """``Layer 13 │ Token x │ A 0.843  B 0.812  A−B +0.031`` for two runs; for more, every
    pane's value, or (``differences``: what the D view shows) each one's difference from
    the first. Zoomed out, a difference is the reducer over the differences."""
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(
        f"{sanitize(matrix.row_title)} {sanitize(matrix.row_labels[row])}{SEPARATOR}"
        f"{sanitize(matrix.col_title)} {sanitize(matrix.col_labels[col])}{SEPARATOR}"
    )
    parts: list[tuple[str, float, bool]] = []
    if len(values) == 2:
        diff = differences[0] if differences else values[0] - values[1]
        parts = [("A", values[0], False), ("B", values[1], False), ("A−B", diff, True)]
    elif differences:
        parts = [("A", values[0], False)]
        parts += [(f"{letter(i + 1)}−A", d, True) for i, d in enumerate(differences)]
    else:
        parts = [(letter(i), v, False) for i, v in enumerate(values)]
    for i, (name, value, signed) in enumerate(parts):
        text.append(("  " if i else "") + name + " ")
        sign = "+" if signed and value > 0 else ""
        text.append(sign + format_value(value), style="bold")
    return text


def drawing_text(matrix: HeatMatrix, box: Box) -> str:
    cells = f"{box.n_cells} cell{'s' if box.n_cells != 1 else ''}"
    return f"drawing {box_label(matrix, box)} ({cells}) · Enter keeps, Esc cancels"
