"""What the command line writes without a viewer: print mode, ``--boxes``, ``--export``, and
the picture of two runs' difference."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tuiheat.session.open import Loaded, tensor_range
from tuiheat.session.options import LEAN_BINS, Options, UsageError, display_name, lean_mode


def difference_of(
    loaded: Loaded, other: Loaded, options: Options, other_name: str | None = None
) -> tuple[Loaded, Options, Any]:
    """A − B for print, export and --boxes: the matrix, a diverging map, a range around 0."""
    from dataclasses import replace

    from tuiheat.core.colourscale import start_range
    from tuiheat.core.compare import difference, like

    second = other_name if other_name is not None else options.others[0]
    names = f"{display_name(options.file or '')} − {display_name(second)}"
    title = (
        names if loaded.title == display_name(options.file or "") else f"{loaded.title} · {names}"
    )
    matrix = difference(loaded.matrix, like(other.matrix, loaded.matrix), title)
    diff = replace(loaded, matrix=matrix, title=title)
    colormap = options.colormap if options.cmap_chosen else "rdbu"
    return (
        diff,
        replace(options, colormap=colormap, center=None, log=False),
        start_range([loaded.tensor, other.tensor], difference_view=True),
    )


def export_file(loaded: Loaded, options: Options, vrange: Any = None) -> None:
    """--export OUT: SVG, HTML or CSV by suffix; written atomically, never over the input."""
    from tuiheat.core.atomic import atomic_write_text
    from tuiheat.core.scale import adjusted_range
    from tuiheat.render.export import csv_lines, html_heatmap, svg_heatmap

    out = Path(options.export or "")
    suffix = out.suffix.lower()
    text: str | Iterator[str]
    if suffix == ".csv":
        text = csv_lines(loaded.matrix)
    elif suffix in (".svg", ".html", ".htm"):
        if vrange is None:
            vrange = adjusted_range(
                tensor_range(loaded, options=options), loaded.matrix, options.center, options.log
            )
        make = svg_heatmap if suffix == ".svg" else html_heatmap
        text = make(loaded.matrix, vrange, options.colormap or "blues", loaded.title)
    else:
        raise UsageError(f"--export {display_name(str(out))}: use a .svg, .html or .csv file name")
    protect = tuple(Path(name) for name in options.files if name != "-")
    try:
        atomic_write_text(out, text, protect=protect)
    except OSError as err:
        raise UsageError(f"--export {display_name(str(out))}: {err.strerror or err}") from None
    sys.stderr.write(f"tuiheat: wrote {display_name(str(out))}\n")


def print_boxes(matrix: Any) -> None:
    """``--boxes``: one line per box with its statistics, for scripts."""
    from tuiheat.core.stats import box_stats, matrix_totals
    from tuiheat.render.readout import box_summary

    totals = matrix_totals(matrix)
    for i, box in enumerate(matrix.boxes):
        sys.stdout.write(box_summary(matrix, box, box_stats(matrix, box, totals), i + 1) + "\n")


def print_matrix(loaded: Loaded, options: Options, mode: str, vrange: Any = None) -> None:
    """The heatmap written once, in colour ``mode`` (decided by the caller: tuiheat.launch)."""
    from rich.console import Console

    from tuiheat.core.scale import adjusted_range
    from tuiheat.render.printer import HeatmapPrint, PrintOptions
    from tuiheat.render.terminal import supports_unicode

    mode = lean_mode(mode, options)
    width = options.width or shutil.get_terminal_size((100, 40)).columns
    if vrange is None:
        vrange = adjusted_range(
            tensor_range(loaded, options=options), loaded.matrix, options.center, options.log
        )
    ascii_only = not supports_unicode(getattr(sys.stdout, "encoding", None))
    figure = HeatmapPrint(
        loaded.matrix,
        vrange,
        PrintOptions(
            color=mode,
            width=width,
            colormap=options.colormap,
            cell_width=options.cell_width,
            ascii_only=ascii_only,
            bins=LEAN_BINS if options.lean else 256,
        ),
        title=loaded.title,
    )
    systems = {"truecolor": "truecolor", "256": "256", "16": "standard", "none": None}
    console = Console(
        file=sys.stdout,
        color_system=systems[mode],  # type: ignore[arg-type]
        force_terminal=mode != "none",
        no_color=mode == "none",
        highlight=False,
        markup=False,
        emoji=False,
        width=10_000,
        legacy_windows=False,
        safe_box=ascii_only,
    )
    console.print(figure, soft_wrap=True, crop=False)


def print_differences(loaded: Loaded, others: list[Loaded], options: Options, mode: str) -> None:
    """Three or more files without a viewer: each one minus the first (what D shows), one
    after another on one range around 0."""
    from dataclasses import replace

    from tuiheat.core.colourscale import start_range

    if options.export or options.list_boxes:
        what = "--export" if options.export else "--boxes"
        raise UsageError(f"{what} takes one file, or two (A − B); {1 + len(others)} were given")
    vrange = start_range([loaded.tensor, *(o.tensor for o in others)], difference_view=True)
    for name, other in zip(options.others, others):
        diff, shown, _ = difference_of(other, loaded, replace(options, file=name), options.file)
        if other is not others[0]:
            sys.stdout.write("\n")
        print_matrix(diff, shown, mode, vrange)


def print_facets(loaded: Loaded, options: Options, mode: str) -> None:
    """--facet without a viewer: every panel one after another, on the range of them all.
    --export and --boxes draw one slice: they ask for it instead."""
    from dataclasses import replace

    from tuiheat.core.facets import facet_spec
    from tuiheat.core.scale import adjusted_range
    from tuiheat.core.tensor import describe, slice_matrix

    if options.export or options.list_boxes:
        what = "--export" if options.export else "--boxes"
        raise UsageError(f"{what} takes one slice: choose it with --slice instead of --facet")
    assert loaded.facet is not None
    tensor, axis = loaded.tensor, loaded.facet
    vrange = adjusted_range(
        tensor_range(loaded, options=options), loaded.matrix, options.center, options.log
    )
    for i in range(tensor.shape[axis]):
        spec = facet_spec(loaded.spec, axis, i)
        matrix = slice_matrix(tensor, spec).with_boxes(loaded.matrix.boxes)
        if i:
            sys.stdout.write("\n")
        panel = replace(loaded, matrix=matrix, title=describe(tensor, spec, loaded.name))
        print_matrix(panel, options, mode, vrange)
