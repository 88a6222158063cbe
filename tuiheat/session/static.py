"""What the command line and the API write without a viewer: print mode, ``--boxes`` and
``--export``, of one file, of the differences of several (what D shows), or of every panel
of ``--facet``."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from tuiheat.render.sizes import MARGIN_WIDTH, MIN_CELL
from tuiheat.session.open import Loaded, tensor_range
from tuiheat.session.options import LEAN_BINS, Options, UsageError, display_name, lean_mode


def static_panels(
    loaded: Loaded, others: list[Loaded], options: Options
) -> tuple[list[Loaded], Options, Any]:
    """What print mode, --export and --boxes show, with its one colour range (None: the
    data's): the file; A − B for two; each file minus A for more (what D shows); every
    panel of --facet. More than one picture is printed one after another."""
    from dataclasses import replace

    from tuiheat.core.colormap import DIVERGING_COLORMAP
    from tuiheat.core.colourscale import start_range

    if loaded.facet is not None:  # the whole tensor's range, so the panels compare
        return facet_panels(loaded), options, view_range(loaded, options)
    if not others:
        return [loaded], options, None
    names = [options.file or "", *options.others]
    if len(others) == 1:
        panels = [_difference(loaded, names[0], others[0], names[1])]
    else:
        panels = [_difference(o, n, loaded, names[0]) for o, n in zip(others, names[1:])]
    colormap = options.colormap if options.cmap_chosen else DIVERGING_COLORMAP
    tensors = [loaded.tensor, *(o.tensor for o in others)]
    base = start_range(tensors, difference_view=True)
    settings = scale_settings(options, base).for_difference(base, colormap)
    return (
        panels,
        replace(options, colormap=colormap, center=None, log=False),
        settings.resolve([panel.matrix for panel in panels]).vrange,
    )


def _difference(a: Loaded, a_name: str, b: Loaded, b_name: str) -> Loaded:
    from dataclasses import replace

    from tuiheat.core.compare import difference, like

    names = f"{display_name(a_name)} − {display_name(b_name)}"
    title = names if a.title == display_name(a_name) else f"{a.title} · {names}"
    matrix = difference(a.matrix, like(b.matrix, a.matrix), title)
    tensor = None if a.tensor is None else replace(a.tensor, marks=None)  # A's, not A − B's
    return replace(a, matrix=matrix, title=title, tensor=tensor)


def facet_panels(loaded: Loaded) -> list[Loaded]:
    """Every panel of --facet, each titled by its slice."""
    from dataclasses import replace

    from tuiheat.core.facets import facet_spec
    from tuiheat.core.tensor import describe, slice_matrix

    assert loaded.facet is not None
    tensor, axis, panels = loaded.tensor, loaded.facet, []
    for i in range(tensor.shape[axis]):
        spec = facet_spec(loaded.spec, axis, i)
        matrix = slice_matrix(tensor, spec).with_boxes(loaded.matrix.boxes)
        title = describe(tensor, spec, loaded.name)
        panels.append(replace(loaded, matrix=matrix, title=title, spec=spec))
    return panels


def one_picture(panels: list[Loaded], options: Options, others: int) -> Loaded:
    """--export and --boxes draw one picture: the one panel, or a one-line error."""
    if len(panels) > 1 and (options.export or options.list_boxes):
        what = "--export" if options.export else "--boxes"
        if others:
            raise UsageError(f"{what} takes one file, or two (A − B); {1 + others} were given")
        raise UsageError(f"{what} takes one slice: choose it with --slice instead of --facet")
    return panels[0]


def scale_settings(options: Options, base: Any) -> Any:
    """The colour settings the options ask for, over the start range ``base``."""
    from tuiheat.core.colourscale import ScaleSettings

    colormap = options.colormap or "blues"
    return ScaleSettings(
        base, colormap, options.center, options.log, vmin=options.vmin, vmax=options.vmax
    )


def view_range(loaded: Loaded, options: Options) -> Any:
    """The colour range of a static picture: the data's (or the options'), centred or on a
    log scale as asked; resolved as the viewer resolves its scale."""
    settings = scale_settings(options, tensor_range(loaded, options=options))
    return settings.resolve([loaded.matrix]).vrange


def export_file(loaded: Loaded, options: Options, vrange: Any = None) -> None:
    """--export OUT: PNG, PDF, SVG, HTML or CSV by suffix; written atomically, never over
    the input (the viewer's ``e`` menu writes through the same ``session.exports``)."""
    from tuiheat.session import exports

    out = Path(options.export or "")
    kind = exports.kind_of(out)
    if kind is None:
        raise UsageError(
            f"--export {display_name(str(out))}: use a .png, .pdf, .svg, .html or .csv file name"
        )
    if vrange is None and kind != "csv":
        vrange = view_range(loaded, options)
    colormap = options.colormap or "blues"
    text = exports.heatmap(kind, loaded.matrix, vrange, colormap, loaded.title)
    if kind == "csv" and loaded.runs is not None:  # one line per cell: mean, interval, p, q
        from tuiheat.session.runs import runs_csv

        text = runs_csv(loaded.runs, loaded.spec, loaded.matrix.row_title)
    protect = [Path(name) for name in options.files if name != "-"]
    try:
        exports.write(out, text, protect)
    except RuntimeError as err:  # Pillow is not installed
        raise UsageError(f"--export {display_name(str(out))}: {err}") from None
    except OSError as err:
        raise UsageError(f"--export {display_name(str(out))}: {err.strerror or err}") from None
    sys.stderr.write(f"tuiheat: wrote {display_name(str(out))}{_which_slice(loaded, options)}\n")


def _which_slice(loaded: Loaded, options: Options) -> str:
    """An N-D array exported without --slice: say which 2-D slice was written."""
    tensor, spec = loaded.tensor, loaded.spec
    if (
        tensor is None
        or spec is None
        or tensor.ndim <= 2
        or options.slice
        or loaded.facet is not None
    ):
        return ""
    from tuiheat.core.labels import sanitize
    from tuiheat.core.tensor import describe

    hidden = [sanitize(tensor.names[axis]) for axis, _, _ in spec.hidden]
    example = ",".join(f"{name}={1 if i == 0 else 'mean'}" for i, name in enumerate(hidden))
    return f": the slice {describe(tensor, spec, loaded.name)}; --slice picks another, e.g. --slice {example}"


def print_boxes(matrix: Any, as_json: bool = False, loaded: Loaded | None = None) -> None:
    """``--boxes``: one line per box with its statistics; ``--json``: a JSON list of one
    object per box, for scripts. Over runs (``--stats``, ``--vs``) each box also gets the
    interval of its mean across the runs (``across_runs`` in JSON)."""
    import json

    from tuiheat.core.stats import box_record, box_stats, matrix_totals
    from tuiheat.render.readout import box_summary

    runs = None if loaded is None else loaded.runs
    totals = matrix_totals(matrix) if matrix.boxes else None
    every = [(i + 1, box, box_stats(matrix, box, totals)) for i, box in enumerate(matrix.boxes)]
    across = [runs.box(loaded.spec, box) if runs else None for _, box, _ in every]  # type: ignore[union-attr]
    if as_json:
        records = [box_record(matrix, box, stats, number) for number, box, stats in every]
        for record, extra in zip(records, across, strict=True):
            if extra is not None:
                record["across_runs"] = extra[1]
        lines = ",\n ".join(json.dumps(record) for record in records)
        sys.stdout.write(f"[{lines}]\n")
        return
    if not every:
        sys.stdout.write("no boxes (give --box ROWS:COLS, or save some with w in the viewer)\n")
    for (number, box, stats), extra in zip(every, across, strict=True):
        line = box_summary(matrix, box, stats, number)
        sys.stdout.write(line + ("" if extra is None else f" · {extra[0]}") + "\n")


PRINT_HEIGHT = 64  # lines of cells in print mode, unless the terminal is taller
PRINT_CHROME = 18 + MARGIN_WIDTH  # the row labels' space, the colour bar, the margins


def print_matrix(
    loaded: Loaded,
    options: Options,
    mode: str,
    vrange: Any = None,
    mark_texts: Mapping[int, str] | None = None,
) -> None:
    """The heatmap written once, in colour ``mode`` (decided by the caller: tuiheat.launch),
    fitted to the width and a sensible height (``--full``: every cell), line by line;
    marks in the cells (``print_marks``) when each cell is one value."""
    from tuiheat.render.printer import HeatmapPrint, PrintOptions, write_lines
    from tuiheat.render.terminal import supports_unicode

    mode = lean_mode(mode, options)
    size = shutil.get_terminal_size((80, 24))  # $COLUMNS, the terminal, else 80
    width = options.width or size.columns
    height = options.height or max(PRINT_HEIGHT, size.lines if sys.stdout.isatty() else 0)
    matrix, note, vrange = fitted_and_range(loaded, options, width, height, vrange)
    ascii_only = not supports_unicode(getattr(sys.stdout, "encoding", None))
    marks = print_marks(loaded, options, mark_texts, reduced=bool(note))
    figure = HeatmapPrint(
        matrix,
        vrange,
        PrintOptions(
            color=mode,
            width=width,
            colormap=options.colormap,
            cell_width=options.cell_width,
            ascii_only=ascii_only,
            bins=LEAN_BINS if options.lean else 256,
        ),
        title=loaded.title
        if loaded.runs is None
        else loaded.runs.title(spec=loaded.spec, width=width),
        note=note,
        **marks,
    )
    write_lines(figure.lines(), sys.stdout, mode)
    say_store_trouble(loaded.matrix, getattr(loaded.tensor, "source", None))


def say_store_trouble(matrix: Any, source: Any = None) -> None:
    """A chunk that could not be read (its cells printed empty), or dask passes that fell
    back to reading here: one line on stderr, as the viewer's notice says it."""
    from tuiheat.core.chunkrows import chunk_failure
    from tuiheat.core.labels import sanitize

    trouble = chunk_failure(matrix, source, counted=True)  # printed: every chunk was read
    if trouble:
        print(f"tuiheat: {sanitize(trouble)}", file=sys.stderr)


def print_marks(
    loaded: Loaded,
    options: Options,
    mark_texts: Mapping[int, str] | None = None,
    reduced: bool = False,
) -> dict[str, Any]:
    """What print mode marks in the cells of ``loaded``: the tensor's own marks (the
    verdicts of statistics, named by ``mark_texts``: {``core.marks`` code: what it says}),
    and each column's peak row (--peaks) and emergence row (--emerge X); the keywords of
    ``HeatmapPrint`` that draw them, empty when there is nothing to mark. ``reduced``: a
    cell stands for a block of rows, so none is marked, and the legend line says why."""
    from tuiheat.core.emergence import column_rows
    from tuiheat.core.marks import EMERGE, PEAK
    from tuiheat.core.tensor import slice_marks
    from tuiheat.render.marks import emerge_text, peak_text

    matrix, tensor, spec = loaded.matrix, loaded.tensor, loaded.spec
    if reduced:
        wanted = options.peaks or options.emerge is not None
        if wanted or getattr(tensor, "marks", None) is not None:
            return {"mark_note": "marks show when every cell is printed (--full)"}
        return {}
    cells = None if tensor is None or spec is None else slice_marks(tensor, spec)
    if cells is not None and cells.shape != matrix.shape:
        cells = None
    columns, texts = {}, dict(mark_texts or {})
    if options.peaks or options.emerge is not None:
        peaks, rise = column_rows(matrix, options.peaks, options.emerge)
        if peaks is not None:
            columns[PEAK], texts[PEAK] = peaks, peak_text(matrix.row_title, matrix.col_title)
        if rise is not None and options.emerge is not None:
            columns[EMERGE], texts[EMERGE] = rise, emerge_text(matrix.row_title, options.emerge)
    if cells is None and not columns:
        return {}
    return {"marks": cells, "column_marks": columns, "mark_texts": texts}


def fitted_and_range(
    loaded: Loaded, options: Options, width: int, height: int, vrange: Any
) -> tuple[Any, str, Any]:
    """The matrix to print (reduced to fit unless ``--full``), the line saying so, and the
    colour range (``vrange`` if given, else over every value)."""
    matrix = loaded.matrix
    if options.full:
        return matrix, "", view_range(loaded, options) if vrange is None else vrange
    if vrange is not None:
        return (*fitted_for_print(matrix, width, height, options.reducer), vrange)
    if on_dask(matrix):  # one pass: the range comes with the level
        matrix, note = fitted_for_print(matrix, width, height, options.reducer)
        return matrix, note, view_range(loaded, options)
    # Two passes over a big file, one per core: the reduction to the printed size in a
    # thread while the range is found here (numpy and the reads let go of the GIL).
    with ThreadPoolExecutor(max_workers=1) as pool:
        fitted = pool.submit(fitted_for_print, matrix, width, height, options.reducer)
        vrange = view_range(loaded, options)
        return (*fitted.result(), vrange)


def on_dask(matrix: Any) -> bool:
    """Whether ``matrix`` is a store's plane whose passes run on dask."""
    from tuiheat.core.chunkrows import dask_plane

    return dask_plane(matrix) is not None


def fitted_for_print(matrix: Any, width: int, height: int, reducer: str) -> tuple[Any, str]:
    """The matrix reduced to blocks that fit ``width`` x ``height`` (``MIN_CELL`` columns a cell),
    and the line that says so; or the matrix itself when it fits."""
    from tuiheat.core.zoom import fit_zoom, reduced_copy

    cols = max(1, (width - PRINT_CHROME) // MIN_CELL)
    zoom = fit_zoom(matrix.shape, max(1, height), cols, reducer)
    if zoom.is_identity:
        return matrix, ""
    view = reduced_copy(matrix, zoom)
    (rows, n_cols), (fr, fc) = matrix.shape, (zoom.row_factor, zoom.col_factor)
    note = (
        f"{rows}×{n_cols} shown as {view.n_rows}×{view.n_cols}: each cell the {reducer} of "
        f"{fr}×{fc} values (--full prints every cell; --reducer max, min or nearest)"
    )
    return view, note


def print_panels(
    panels: list[Loaded],
    options: Options,
    mode: str,
    vrange: Any,
    mark_texts: Mapping[int, str] | None = None,
) -> None:
    """Each picture in turn, on one range (an empty line between them); ``mark_texts``
    names the marks of the tensors (see ``print_marks``)."""
    for i, panel in enumerate(panels):
        if i:
            sys.stdout.write("\n")
        print_matrix(panel, options, mode, vrange, mark_texts)


def column_report(matrix: Any, peaks: bool, emerge: float | None) -> list[str]:
    """``--peaks``: each column's peak row; ``--emerge X``: the first row from which the
    value stays >= X to the end, or never. Rows and columns by their labels."""
    from tuiheat.core.emergence import column_rows
    from tuiheat.render.marks import rows_listing

    found, rise = column_rows(matrix, peaks, emerge)
    lines = [] if found is None else [rows_listing(matrix, found)]
    return lines + ([] if rise is None else [rows_listing(matrix, rise, emerge)])
