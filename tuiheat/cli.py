"""Command line: argv -> Options, then print mode or the viewer (imported only when needed)."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Sequence
from contextlib import ExitStack
from importlib import resources
from pathlib import Path
from typing import Any

from tuiheat.launch import attach_terminal, resolve_color, run_viewer, use_tui
from tuiheat.session import collector
from tuiheat.session.arguments import build_parser, values_may_start_with_dash
from tuiheat.session.open import Loaded, collection_for, load_input, load_other
from tuiheat.session.options import (
    MAX_FILES,
    MAX_RUNS,
    SEED_SAMPLE,
    Options,
    UsageError,
    display_name,
    seed_sample,
)
from tuiheat.session.static import (
    export_file,
    one_picture,
    print_boxes,
    print_panels,
    static_panels,
)
from tuiheat.session.textprint import column_tokens, print_text_panels, text_row

EXIT_OK, EXIT_USAGE = 0, 2


def parse_args(argv: Sequence[str] | None = None) -> Options:
    # Intermixed: ``tuiheat a.npz --key x b.npz`` names two files around an option.
    parser = build_parser()
    argv = sys.argv[1:] if argv is None else argv
    ns = parser.parse_intermixed_args(values_may_start_with_dash(parser, argv))
    files = ns.files
    del ns.files
    ns.vs = tuple(ns.vs)
    check_runs(ns, files)
    if len(files) > MAX_FILES and not (ns.stats or ns.vs):
        raise UsageError(f"give at most {MAX_FILES} files to compare, not {len(files)}")
    if files.count("-") > 1:
        raise UsageError("only one of the files can be standard input")
    options = Options(file=files[0] if files else None, others=tuple(files[1:]), **vars(ns))
    # Here, not at the top: --help and --version answer without numpy.
    from tuiheat.core.colormap import COLORMAPS, DEFAULT_COLORMAP, DIVERGING_COLORMAP, known

    options.cmap_chosen = options.colormap is not None
    if options.colormap is None:
        options.colormap = DIVERGING_COLORMAP if options.center is not None else DEFAULT_COLORMAP
    elif not known(options.colormap):
        raise UsageError(
            f"--cmap {options.colormap!r}: no such colour map; give a name matplotlib or the "
            f"cmap package knows, e.g. {', '.join(COLORMAPS)}"
        )
    if options.vs and options.center is None:  # a difference: diverging, centred on 0
        options.center = 0.0
        if not options.cmap_chosen:
            options.colormap = DIVERGING_COLORMAP
    if options.vmin is not None and options.vmax is not None and options.vmin > options.vmax:
        raise UsageError(f"--vmin {options.vmin:g} is above --vmax {options.vmax:g}")
    if options.json and not options.list_boxes:
        raise UsageError("--json goes with --boxes: tuiheat FILE --boxes --json")
    if options.as_text is not None and (options.export or options.list_boxes):
        what = "--export" if options.export else "--boxes"
        raise UsageError(f"--as-text prints text: leave out {what}")
    return options


def check_runs(ns: Any, files: Sequence[str]) -> None:
    """--stats, --vs, --unpaired and --chance: what goes with what, in one line."""
    if len(files) + len(ns.vs) > MAX_RUNS:
        raise UsageError(f"give at most {MAX_RUNS} runs, not {len(files) + len(ns.vs)}")
    if ns.stats and ns.vs:
        raise UsageError("--vs tests two conditions already: leave out --stats")
    if ns.stats and len(files) < 2:
        raise UsageError(
            "--stats needs two or more runs of one shape: tuiheat run*/auc.npy --stats"
        )
    if ns.vs and not files:
        raise UsageError("--vs needs the first condition's runs before it: A*.npy --vs B*.npy")
    if ns.unpaired and not ns.vs:
        raise UsageError("--unpaired goes with --vs: tuiheat a*.npy --vs b*.npy --unpaired")
    if ns.chance is not None and not ns.stats:
        raise UsageError("--chance goes with --stats (a difference is tested against 0)")
    if (ns.stats or ns.vs) and (ns.facet or ns.summary or ns.lens):
        flag = "--facet" if ns.facet else "--summary" if ns.summary else "--lens"
        raise UsageError(f"{flag} shows one file: leave it out with --stats or --vs")


def run(options: Options) -> int:
    from dataclasses import replace

    from tuiheat.loaders.base import ChooseArray

    interactive = use_tui(options) and not options.export and not options.list_boxes
    # The viewer works out --summary itself once it shows: files are read without it.
    reading = replace(options, summary=None) if interactive else options
    with ExitStack() as stack:
        if options.file is None:
            path = stack.enter_context(resources.as_file(seed_sample()))
            loaded = load_input(reading, str(path), None, Path(SEED_SAMPLE).name)
        else:
            name = options.file
            if is_folder(name):
                return run_folder(options, reading, name, interactive)
            data_path = None if name == "-" else Path(name)
            try:
                loaded = load_input(reading, name, data_path, display_name(name))
            except ChooseArray as err:
                if interactive and not options.others:
                    run_viewer(None, options, collection=collection_for(reading, name, err.catalog))
                    return EXIT_OK
                raise UsageError(f"{display_name(name)}: {err}") from None
        if loaded.facet is not None and options.others:
            raise UsageError("--facet lays out the panels of one file; give one file")
        others = [load_other(reading, loaded, name) for name in options.others]
        if options.stats or options.vs:
            from tuiheat.session.runs import runs_loaded

            versus = [load_other(reading, loaded, name) for name in options.vs]
            loaded, others = runs_loaded(loaded, others, versus, options), []
        if interactive:
            if options.as_text is not None:  # a bad row is one line, before the screen
                column_tokens(loaded)
                text_row(loaded, options.as_text)
            if "-" in options.files:
                attach_terminal()
            multi = not options.others and options.file not in (None, "-")
            collection = collection_for(reading, options.file or "") if multi else None
            run_viewer(loaded, options, others, collection)
            return EXIT_OK
        collector.resume()
        write_static(loaded, others, options)
    return EXIT_OK


def write_static(loaded: Loaded, others: list[Loaded], options: Options) -> None:
    """Print mode, --as-text, --export or --boxes: what is written without a viewer."""
    from tuiheat.core.labels import sanitize
    from tuiheat.core.runreport import mark_texts
    from tuiheat.session.lens import lens_report
    from tuiheat.session.static import column_report

    panels, options, vrange = static_panels(loaded, others, options)
    picture = one_picture(panels, options, len(others))
    for notice in (*loaded.tensor.notes, *loaded.notices):
        sys.stderr.write(f"tuiheat: warning: {sanitize(notice)}\n")
    if options.export:
        export_file(picture, options, vrange)
    elif options.list_boxes:
        print_boxes(picture.matrix, options.json, picture)
    elif options.as_text is not None:
        print_text_panels(panels, options, resolve_color(options.color).mode, vrange)
    elif loaded.lens is not None and options.cell:
        print_lines(lens_report(loaded.lens, options))
    else:
        said = None if loaded.runs is None else mark_texts(loaded.runs.across)
        print_panels(panels, options, resolve_color(options.color).mode, vrange, said)
        if loaded.lens is not None:
            print_lines(lens_report(loaded.lens, options))
        if options.peaks or options.emerge is not None:
            print_lines(column_report(picture.matrix, options.peaks, options.emerge))


def print_lines(lines: list[str]) -> None:
    """Lines made of a file's tokens: sanitised once more, never an escape sequence."""
    from tuiheat.core.labels import sanitize

    sys.stdout.write("".join(f"{sanitize(line)}\n" for line in lines))


def is_folder(name: str) -> bool:
    """A folder of result files (a Zarr store's folder opens as a store)."""
    from tuiheat.loaders.listing import is_directory

    return name != "-" and is_directory(name)


def run_folder(options: Options, reading: Options, name: str, interactive: bool) -> int:
    """``tuiheat runs/``: the viewer lists the result files under it (opened with the
    options ``reading``); elsewhere, an error."""
    from tuiheat.loaders.listing import directory_catalog

    if not interactive or options.others:
        raise UsageError(
            f"{display_name(name)}: is a directory; in a terminal tuiheat lists the result "
            "files under it to open one; here, give a file"
        )
    run_viewer(None, options, collection=collection_for(reading, name, directory_catalog(name)))
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    # A terminal or pipe that cannot encode a glyph gets a replacement, never a crash.
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(AttributeError, ValueError):
            stream.reconfigure(errors="replace")  # type: ignore[union-attr]
    collector.pause()
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
    finally:
        collector.resume()


if __name__ == "__main__":
    sys.exit(main())
