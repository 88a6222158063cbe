"""Command line: argv -> Options, then print mode or the viewer (imported only when needed)."""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import shutil
import sys
from collections.abc import Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from tuiheat import __version__

COLOR_CHOICES = ("auto", "truecolor", "256", "16", "none")  # as render.terminal's
SEED_SAMPLE = "seed_probe_auc.json"
EXIT_OK, EXIT_USAGE = 0, 2


@dataclass
class Options:
    file: str | None
    compare: str | None = None  # a second file: A and B side by side
    print_mode: bool = False
    color: str = "auto"
    colormap: str | None = "blues"
    vmin: float | None = None
    vmax: float | None = None
    key: str | None = None
    boxes: list[str] = field(default_factory=list)
    width: int | None = None
    cell_width: int | None = None
    list_boxes: bool = False
    export: str | None = None
    watch: bool = False
    sidecar: bool = True
    center: float | None = None
    log: bool = False
    text: str | None = None
    axes: str | None = None
    slice: str | None = None
    names: str | None = None
    labels: str | None = None
    lean: bool = False
    half: bool = False
    cmap_chosen: bool = False


class UsageError(Exception):
    """A problem with the command line or the input: one line on stderr, exit status 2."""


def _finite(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"{text!r} is not a finite number")
    return value


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} must be at least 1")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tuiheat",
        description=(
            "View a heatmap of model results (layer x token probe AUC, attention, logit lens) "
            "in the terminal. Without FILE, opens the bundled seed sample; with two FILEs, "
            "compares them side by side (D shows A - B)."
        ),
        epilog=(
            "formats: .csv/.tsv (pandas layout), .npy, .npz, .json, .pt, .safetensors; "
            "'-' reads standard input. A file of several arrays, or a directory, opens on a "
            "list to pick from (o returns to it); without a terminal, use --key. Print mode is "
            "used when --print is given or output is not a terminal. Examples: tuiheat auc.csv "
            "--print | less -R;  tuiheat attn.npz --key layer3 --vmin 0 --vmax 1;  tuiheat runs/;  "
            "tuiheat auc.csv --box 4-28:first_answer..-1;  tuiheat run1.npy run2.npy;  "
            "tuiheat auc.csv --export auc.svg"
        ),
    )
    parser.add_argument(
        "files",
        nargs="*",
        metavar="FILE",
        help="matrix file or bundle, a directory of result files, or - for stdin; two files "
        "(A B) are compared (--print, --export and --boxes then use A - B)",
    )
    parser.add_argument(
        "-p",
        "--print",
        dest="print_mode",
        action="store_true",
        help="print a static coloured rendering and exit (automatic when output is not a terminal)",
    )
    parser.add_argument(
        "--color",
        "--colour",
        choices=COLOR_CHOICES,
        default="auto",
        help="colour depth (default: auto: TUIHEAT_COLOR, the config file, tmux, the "
        "environment, then the terminal is asked; honours NO_COLOR and TERM=dumb)",
    )
    parser.add_argument(
        "--cmap",
        dest="colormap",
        default=None,
        choices=("blues", "viridis", "magma", "greys", "rdbu"),
        help="colour map (default: blues, the seed figure's 0.5-1.0 gradient)",
    )
    parser.add_argument(
        "--center",
        type=_finite,
        metavar="V",
        help="a diverging scale symmetric around V (the colour map becomes rdbu unless --cmap)",
    )
    parser.add_argument("--log", action="store_true", help="log colour scale (L toggles it)")
    parser.add_argument(
        "--text",
        metavar="KEY",
        help="a grid of strings (e.g. logit-lens top tokens) in the same file, printed in the cells",
    )
    parser.add_argument("--vmin", type=_finite, help="value at the light end of the scale")
    parser.add_argument("--vmax", type=_finite, help="value at the dark end of the scale")
    parser.add_argument(
        "-k", "--key", help="which array of a bundle (.npz member, .pt/JSON key, safetensors name)"
    )
    parser.add_argument(
        "--box",
        dest="boxes",
        action="append",
        default=[],
        metavar="ROWS:COLS",
        help="highlight a region, e.g. 4-28:first_answer..-1 (labels or indices; repeatable)",
    )
    parser.add_argument(
        "--width", type=_positive_int, help="print width in columns (default: terminal)"
    )
    parser.add_argument(
        "--cell-width", type=_positive_int, help="characters per cell in print mode"
    )
    parser.add_argument(
        "--names", metavar="A,B,...", help="name the axes of an N-D array, e.g. layer,head,q,k"
    )
    parser.add_argument(
        "--axes",
        metavar="ROWS,COLS",
        help="the two axes on screen, by name or number (default: the last two)",
    )
    parser.add_argument(
        "--slice",
        metavar="AXIS=V,...",
        help="fix the other axes: an index or label, or mean / max over it (e.g. layer=3,head=mean)",
    )
    parser.add_argument(
        "--labels",
        metavar="FILE",
        help="labels (tokens) for every axis of their length: one per line or a JSON list",
    )
    parser.add_argument(
        "--half",
        action="store_true",
        help="viewer: two matrix rows per terminal line with half blocks (▀); H toggles",
    )
    parser.add_argument(
        "--lean",
        action="store_true",
        help="for slow links: 256 colours and 16 colour levels (fewer bytes per screen)",
    )
    parser.add_argument(
        "--export",
        metavar="OUT",
        help="write the heatmap to OUT (.svg, .html or .csv) and exit, without the viewer",
    )
    parser.add_argument(
        "--watch",
        action="store_true",
        help="viewer: reload FILE whenever it changes (a job still writing results)",
    )
    parser.add_argument(
        "--boxes",
        dest="list_boxes",
        action="store_true",
        help="print each box with its statistics, one line each, and exit",
    )
    parser.add_argument(
        "--no-sidecar",
        dest="sidecar",
        action="store_false",
        help="ignore boxes saved in FILE.tuiheat.json",
    )
    parser.add_argument("-V", "--version", action="version", version=f"tuiheat {__version__}")
    return parser


def parse_args(argv: Sequence[str] | None = None) -> Options:
    # Intermixed: ``tuiheat a.npz --key x b.npz`` names two files around an option.
    ns = build_parser().parse_intermixed_args(argv)
    files = ns.files
    del ns.files
    if len(files) > 2:
        raise UsageError(f"give one FILE to view, or two (A B) to compare, not {len(files)}")
    if files == ["-", "-"]:
        raise UsageError("only one of the two files can be standard input")
    options = Options(
        file=files[0] if files else None,
        compare=files[1] if len(files) == 2 else None,
        **vars(ns),
    )
    options.cmap_chosen = options.colormap is not None
    if options.colormap is None:
        options.colormap = "rdbu" if options.center is not None else "blues"
    if options.vmin is not None and options.vmax is not None and options.vmin > options.vmax:
        raise UsageError(f"--vmin {options.vmin:g} is above --vmax {options.vmax:g}")
    return options


def seed_sample() -> resources.abc.Traversable:  # type: ignore[name-defined]
    return resources.files("tuiheat.samples") / SEED_SAMPLE


def display_name(name: str) -> str:
    from tuiheat.core.labels import sanitize

    return "<stdin>" if name == "-" else sanitize(name)


@dataclass
class Loaded:
    """The matrix to show and what the viewer needs to know about where it came from."""

    matrix: Any
    title: str
    data_path: Path | None  # boxes are saved beside it; None for stdin and the bundled sample
    notices: list[str] = field(default_factory=list)
    tensor: Any = None  # the N-D array behind ``matrix`` (a 2-D slice of it)
    spec: Any = None
    name: str = ""  # how the title names the array (file name, key)
    stamp: tuple[int, int] | None = None  # size and mtime when read, to notice changes


def load_input(options: Options, name: str, data_path: Path | None, title_name: str) -> Loaded:
    """The matrix, with saved boxes from its sidecar and --box regions; errors name the file."""
    from tuiheat.core import BoxError, parse_box_spec
    from tuiheat.core.stamp import file_stamp
    from tuiheat.core.tensor import describe, slice_matrix

    stamp = None
    if data_path is not None:
        with contextlib.suppress(OSError):
            stamp = file_stamp(data_path)
    tensor = read_tensor(options, name)
    tensor, spec = shape_tensor(tensor, options)
    matrix = slice_matrix(tensor, spec)
    notices: list[str] = []
    boxes = list(matrix.boxes)
    if data_path is not None and options.sidecar:
        from tuiheat.loaders import LoadError
        from tuiheat.loaders.sidecar import read_sidecar, sidecar_path

        path = sidecar_path(data_path)
        try:
            saved = read_sidecar(path, matrix, options.key)
        except LoadError as err:
            notices.append(f"{display_name(str(path))}: {err}")
        else:
            if saved is not None:
                boxes = saved
    for spec in options.boxes:
        try:
            box = parse_box_spec(spec, matrix.row_labels, matrix.col_labels)
        except BoxError as err:
            raise UsageError(f"--box: {err}") from None
        if box not in boxes:
            boxes.append(box)
    if boxes != list(matrix.boxes):
        matrix = matrix.with_boxes(boxes)
    # A bundle's arrays share its title: the member's name tells them apart.
    name = matrix.title or title_name
    if options.key:
        name = f"{name} · {display_name(options.key)}"
    title = describe(tensor, spec, name) if tensor.ndim > 2 else name
    loaded = Loaded(matrix, title, data_path, notices, tensor, spec, name)
    loaded.stamp = stamp
    return loaded


def read_tensor(options: Options, name: str) -> Any:
    """The file's tensor with --text, --names and --labels applied (used again by reloads)."""
    from tuiheat.loaders import LoadError, load_tensor
    from tuiheat.loaders.base import ChooseArray

    try:
        tensor = load_tensor(name, key=options.key)
    except ChooseArray:
        raise  # the viewer offers a picker; run() turns it into an error elsewhere
    except LoadError as err:
        raise UsageError(f"{display_name(name)}: {err}") from None
    if options.text:
        tensor = attach_text(tensor, name, options.text)
    return shape_tensor(tensor, options, spec=False)[0]


def attach_text(tensor: Any, name: str, key: str) -> Any:
    """--text KEY: a grid of strings from the same file, of the tensor's shape."""
    from dataclasses import replace

    from tuiheat.loaders import LoadError, load_text_grid

    try:
        text = load_text_grid(name, key)
    except LoadError as err:
        raise UsageError(f"--text {display_name(key)}: {err}") from None
    squeezed = text.reshape([n for n in text.shape if n != 1]) if text.ndim > tensor.ndim else text
    if squeezed.shape != tensor.shape:
        raise UsageError(
            f"--text {display_name(key)}: its shape {list(text.shape)} differs from the values' {list(tensor.shape)}"
        )
    return replace(tensor, text=squeezed)


def shape_tensor(tensor: Any, options: Options, spec: bool = True) -> tuple[Any, Any]:
    """Apply --names and --labels (and, with ``spec``, --axes and --slice); usage errors."""
    from tuiheat.core.tensor import SliceError, default_spec, parse_axes, parse_slice

    if not spec:
        try:
            if options.names and tensor.names != tuple(n.strip() for n in options.names.split(",")):
                tensor = tensor.with_names([n.strip() for n in options.names.split(",")])
            if options.labels:
                tensor = tensor.with_tokens(read_label_file(options.labels))
        except SliceError as err:
            raise UsageError(str(err)) from None
        return tensor, None
    try:
        spec = parse_axes(tensor, options.axes) if options.axes else default_spec(tensor)
        if options.slice:
            spec = parse_slice(tensor, spec, options.slice)
    except SliceError as err:
        raise UsageError(str(err)) from None
    return tensor, spec


def read_label_file(name: str) -> list[str]:
    """--labels FILE: one label per line, kept as written, unless the whole file is a JSON
    list of strings (a first line ``[CLS]`` is a label, not the start of JSON)."""
    import json

    from tuiheat.loaders import LoadError, open_source

    try:
        text = open_source(name).read_text(limit=16 * 1024**2)
    except LoadError as err:
        raise UsageError(f"--labels {display_name(name)}: {err}") from None
    try:
        labels = json.loads(text)
    except (ValueError, RecursionError):
        labels = None
    if isinstance(labels, list) and all(
        isinstance(x, (str, int, float)) and not isinstance(x, bool) for x in labels
    ):
        return [str(x) for x in labels]
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the newline that ends the last line
    if lines and all(line.endswith("\r") for line in lines):
        lines = [line[:-1] for line in lines]  # CRLF line ends
    return lines


def load_pair(options: Options, loaded: Loaded) -> Loaded:
    """The second file of a comparison: read like the first, checked against it, no boxes."""
    from dataclasses import replace

    from tuiheat.core.compare import CompareError, check_comparable
    from tuiheat.loaders.base import ChooseArray

    name = options.compare or ""
    path = None if name == "-" else Path(name)
    try:
        other = load_input(
            replace(options, boxes=[], sidecar=False), name, path, display_name(name)
        )
    except ChooseArray as err:
        raise UsageError(f"{display_name(name)}: {err}") from None
    try:
        loaded.notices.extend(
            check_comparable(
                loaded.tensor, other.tensor, display_name(options.file or ""), display_name(name)
            )
        )
    except CompareError as err:
        raise UsageError(str(err)) from None
    return other


def difference_of(loaded: Loaded, other: Loaded, options: Options) -> tuple[Loaded, Options, Any]:
    """A − B for print, export and --boxes: the matrix, a diverging map, a range around 0."""
    from dataclasses import replace

    from tuiheat.core.colourscale import start_range
    from tuiheat.core.compare import difference, like

    names = f"{display_name(options.file or '')} − {display_name(options.compare or '')}"
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
    protect = tuple(
        Path(name) for name in (options.file, options.compare) if name not in (None, "-")
    )
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


def resolve_color(option: str) -> Any:
    """The colour choice (``.mode``, and a hint when 256 is for lack of evidence); the
    terminal is asked only when it is a terminal on both ends."""
    from tuiheat.launch import choose_colours

    choice = choose_colours(option, ask_terminal=has_terminal())
    for warning in choice.warnings:
        sys.stderr.write(f"tuiheat: warning: {warning}\n")
    return choice


def tensor_range(*loaded: Loaded, options: Options, sample: bool = False) -> Any:
    """The colour range of every slice: taken over the whole tensor(s), so heads compare."""
    from tuiheat.core.colourscale import start_range

    tensors = [item.tensor for item in loaded]
    return start_range(tensors, options.vmin, options.vmax, sample=sample)


def print_matrix(loaded: Loaded, options: Options, vrange: Any = None) -> None:
    from rich.console import Console

    from tuiheat.core.scale import adjusted_range
    from tuiheat.render.printer import HeatmapPrint, PrintOptions
    from tuiheat.render.terminal import supports_unicode

    mode = lean_mode(resolve_color(options.color).mode, options)
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


def use_tui(options: Options) -> bool:
    """The viewer needs a terminal on both ends that can move its cursor; else print mode."""
    if options.print_mode or "-" in (options.file, options.compare):
        return False
    return has_terminal()


def has_terminal() -> bool:
    """A terminal on both ends that can move its cursor (``TERM=dumb`` cannot)."""
    if os.environ.get("TERM", "") == "dumb":
        return False
    return sys.stdin.isatty() and sys.stdout.isatty()


def run_viewer(
    loaded: Loaded | None, options: Options, other: Loaded | None = None, collection: Any = None
) -> None:
    """Start the Textual app; the colour depth is fixed before Textual is imported.

    Without ``loaded`` the viewer opens on the picker of ``collection``.
    """
    from tuiheat.launch import set_textual_colours

    choice = resolve_color(options.color)
    mode = lean_mode(choice.mode, options)
    set_textual_colours(mode)
    from tuiheat.app import TuiheatApp
    from tuiheat.session.config import ViewerConfig

    settings = viewer_settings(options, mode, collection)
    settings["color_note"] = choice.hint if mode == choice.mode else ""
    if loaded is None:
        TuiheatApp(ViewerConfig(**settings)).run()
        return
    both = [loaded] if other is None else [loaded, other]
    names = [options.file or "", options.compare or ""]
    title = loaded.title
    if other is not None and other.title != loaded.title:
        title = f"{loaded.title}  vs  {other.title}"
    config = ViewerConfig(
        sources=tuple(source_of(item, options, name) for item, name in zip(both, names)),
        spec=loaded.spec,
        boxes=tuple(loaded.matrix.boxes),
        title=title,
        array_name=loaded.name,
        array_key=options.key,
        # A big matrix starts from a sampled range; the app refines it in the background.
        vrange=tensor_range(*both, options=options, sample=True),
        notices=tuple(loaded.notices),
        **settings,
    )
    TuiheatApp(config).run()


def source_of(loaded: Loaded, options: Options, name: str) -> Any:
    """One pane's data for the viewer, with how to read its file again."""
    from tuiheat.session.config import Source

    path = loaded.data_path
    reload = None if path is None else (lambda: read_tensor(options, str(path)))
    return Source(loaded.tensor, display_name(name), path, loaded.stamp, reload)


def viewer_settings(options: Options, mode: str, collection: Any) -> dict[str, Any]:
    """The viewer's settings from the command line: what outlives the array on screen."""
    from tuiheat.render.gridview import DisplaySettings
    from tuiheat.render.terminal import supports_unicode

    ascii_only = not supports_unicode(getattr(sys.stdout, "encoding", None))
    return {
        "colormap": options.colormap,
        "center": options.center,
        "log": options.log,
        "vmin": options.vmin,
        "vmax": options.vmax,
        "display": DisplaySettings(mode, ascii_only, LEAN_BINS if options.lean else None),
        "half": options.half,
        "watch": options.watch,
        "collection": collection,
    }


def as_opened(loaded: Loaded, options: Options, vrange: Any = None) -> Any:
    """What the viewer needs of a loaded file, with the reloader that reads it again."""
    from tuiheat.core.catalog import Opened

    path = loaded.data_path
    return Opened(
        tensor=loaded.tensor,
        spec=loaded.spec,
        matrix=loaded.matrix,
        title=loaded.title,
        name=loaded.name,
        vrange=vrange if vrange is not None else tensor_range(loaded, options=options, sample=True),
        data_path=path,
        key=options.key,
        stamp=loaded.stamp,
        notices=loaded.notices,
        reloader=None if path is None else (lambda: read_tensor(options, str(path))),
    )


def collection_for(options: Options, root: str, catalog: Any = None) -> Any:
    """The picker's source for ``root`` (a bundle or a directory), opened with ``options``."""
    from tuiheat.session.collection import FileCollection

    return FileCollection(root, lambda path, key: open_entry(options, path, key), catalog)


def open_entry(options: Options, path: str, key: str | None) -> Any:
    """One array picked in the viewer: the command line's options apply where they fit;
    those that do not (an --axes of another array) are dropped with a notice."""
    from dataclasses import replace

    from tuiheat.loaders import LoadError

    chosen = replace(options, key=key)
    try:
        loaded = load_input(chosen, path, Path(path), display_name(path))
    except UsageError as err:
        fitted = replace(
            chosen, axes=None, slice=None, names=None, labels=None, text=None, boxes=[]
        )
        if fitted == chosen:
            raise LoadError(str(err)) from None
        loaded = load_input(fitted, path, Path(path), display_name(path))
        loaded.notices.append(f"options left out for this array: {err}")
        chosen = fitted
    return as_opened(loaded, chosen)


LEAN_BINS = 16


def lean_mode(mode: str, options: Options) -> str:
    """--lean: 256 colours (never truecolor) and 16 levels, for slow links."""
    return "256" if options.lean and mode == "truecolor" else mode


def run(options: Options) -> int:
    from tuiheat.loaders.base import ChooseArray

    interactive = use_tui(options) and not options.export and not options.list_boxes
    with ExitStack() as stack:
        if options.file is None:
            path = stack.enter_context(resources.as_file(seed_sample()))
            loaded = load_input(options, str(path), None, Path(SEED_SAMPLE).name)
        else:
            name = options.file
            if is_folder(name):
                return run_folder(options, name, interactive)
            data_path = None if name == "-" else Path(name)
            try:
                loaded = load_input(options, name, data_path, display_name(name))
            except ChooseArray as err:
                if interactive and options.compare is None:
                    run_viewer(None, options, collection=collection_for(options, name, err.catalog))
                    return EXIT_OK
                raise UsageError(f"{display_name(name)}: {err}") from None
        other = load_pair(options, loaded) if options.compare is not None else None
        if interactive:
            multi = other is None and options.file not in (None, "-")
            collection = collection_for(options, options.file or "") if multi else None
            run_viewer(loaded, options, other, collection)
            return EXIT_OK
        vrange = None
        if other is not None:  # a static picture of two runs: their difference
            loaded, options, vrange = difference_of(loaded, other, options)
        from tuiheat.core.labels import sanitize

        for notice in (*loaded.tensor.notes, *loaded.notices):
            sys.stderr.write(f"tuiheat: warning: {sanitize(notice)}\n")
        if options.export:
            export_file(loaded, options, vrange)
        elif options.list_boxes:
            print_boxes(loaded.matrix)
        else:
            print_matrix(loaded, options, vrange)
    return EXIT_OK


def is_folder(name: str) -> bool:
    return name != "-" and Path(name).is_dir()


def run_folder(options: Options, name: str, interactive: bool) -> int:
    """``tuiheat runs/``: the viewer lists the result files under it; elsewhere, an error."""
    from tuiheat.loaders.listing import directory_catalog

    if not interactive or options.compare is not None:
        raise UsageError(
            f"{display_name(name)}: is a directory; in a terminal tuiheat lists the result "
            "files under it to open one; here, give a file"
        )
    run_viewer(None, options, collection=collection_for(options, name, directory_catalog(name)))
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    # A terminal or pipe that cannot encode a glyph gets a replacement, never a crash.
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(AttributeError, ValueError):
            stream.reconfigure(errors="replace")  # type: ignore[union-attr]
    try:
        options = parse_args(argv)
        return run(options)
    except UsageError as err:
        # Messages quote file names, member names and labels: never let them reach the
        # terminal as escape sequences.
        from tuiheat.core.labels import sanitize

        sys.stderr.write(f"tuiheat: error: {sanitize(str(err))}\n")
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `tuiheat x.csv | head`: the reader left; say nothing more.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
