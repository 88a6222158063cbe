"""The command line's options: what each means, as ``--help`` says it, and how their
values are read. Imports nothing heavy: ``--help`` and ``--version`` answer without numpy."""

from __future__ import annotations

import argparse
import math
from collections.abc import Sequence

from tuiheat._version import __version__
from tuiheat.session.options import COLOR_CHOICES

# The statistics of --summary as core.headstats.HEAD_STATS defines them (a test holds the
# two equal): written out here so that --help needs no numpy.
SUMMARY_STATS = {
    "entropy": "mean over queries of −Σₖ p·ln p (natural log, 0·ln 0 = 0)",
    "max": "mean over queries of maxₖ p",
    "first": "mean over queries of p[q, 0] (attention to the first token)",
    "prev": "mean over queries q ≥ 1 of p[q, q−1] (previous-token attention)",
    "diag": "mean over queries of p[q, q] (attention to itself)",
}


def _finite(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"{text!r} is not a finite number")
    return value


def _size(text: str) -> int:
    from tuiheat.loaders.inflate import parse_size

    try:
        return parse_size(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} must be at least 1")
    return value


def _delimiter(text: str) -> str:
    named = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "pipe": "|", "space": " "}
    value = named.get(text.lower(), text)
    if len(value) != 1 or value in '"\r\n':
        raise argparse.ArgumentTypeError(f"{text!r} is not one character (or tab, space)")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tuiheat",
        description=(
            "View a heatmap of model results (layer x token probe AUC, attention, logit lens) "
            "in the terminal. Without FILE, opens the bundled seed sample; with two to six FILEs "
            "of one shape, compares them side by side on one scale (D shows A - B, or each "
            "minus the first)."
        ),
        epilog=(
            "formats: .csv/.tsv (pandas layout), .npy, .npz, .json, .pt, .safetensors, Zarr "
            "(a .zarr folder, .zarr.zip, s3://... gs://... URLs) and HDF5 (.h5) with extras; "
            "'-' reads standard input. A file of several arrays, or a directory, opens on a "
            "list to pick from (o returns to it); without a terminal, use --key. Print mode is "
            "used when --print is given or output is not a terminal. Examples: tuiheat auc.csv "
            "--print | less -R;  tuiheat attn.npz --key layer3 --vmin 0 --vmax 1;  tuiheat runs/;  "
            "tuiheat auc.csv --box 4-28:first_answer..-1;  tuiheat run1.npy run2.npy run3.npy;  "
            "tuiheat auc.csv --export auc.svg"
        ),
    )
    parser.add_argument(
        "files",
        nargs="*",
        metavar="FILE",
        help="matrix file or bundle, a directory of result files, or - for stdin; up to six "
        "files (A B C ...) are compared; --print, --export and --boxes then use A - B (with "
        "more files, --print shows each minus A)",
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
        metavar="NAME",
        help="colour map: any name matplotlib or the cmap package knows, any case (blues, "
        "viridis, magma, greys, RdBu_r, coolwarm, ...; default: blues, the seed figure's "
        "0.5-1.0 gradient)",
    )
    parser.add_argument(
        "--center",
        type=_finite,
        metavar="V",
        help="a diverging scale symmetric around V (the colour map becomes RdBu_r, high = red, unless --cmap)",
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
        "-k",
        "--key",
        help="which array of a bundle (.npz member, .pt/JSON key, safetensors name, Zarr or HDF5 "
        "path such as layer3/attn)",
    )
    parser.add_argument(
        "--box",
        dest="boxes",
        action="append",
        default=[],
        metavar="[NAME=]ROWS:COLS",
        help="highlight a region, e.g. 4-28:first_answer..-1 or late=-8..-1:4 (labels, or "
        "indices counting from 0, or from the end when negative; repeatable)",
    )
    parser.add_argument(
        "--width",
        type=_positive_int,
        help="print width in columns (default: the terminal's, $COLUMNS, or 80 for a pipe)",
    )
    parser.add_argument(
        "--height",
        type=_positive_int,
        help="print mode: most lines of cells; more rows are merged (default: 64, or the "
        "terminal's height if taller)",
    )
    parser.add_argument(
        "--full",
        action="store_true",
        help="print mode: every cell, however wide or tall (streamed in bounded memory)",
    )
    parser.add_argument(
        "--reducer",
        choices=("mean", "max", "min", "nearest"),
        default="mean",
        help="print mode: how merged cells are made from the values they stand for (default: mean)",
    )
    parser.add_argument(
        "--cell-width", type=_positive_int, help="characters per cell in print mode"
    )
    parser.add_argument(
        "--delimiter",
        type=_delimiter,
        metavar="C",
        help="CSV: the character between cells, when the guess is wrong (',' ';' 'tab' '|'); "
        "with ';' or tab a decimal comma (0,875) is read as a number",
    )
    parser.add_argument(
        "--inflate-limit",
        type=_size,
        metavar="SIZE",
        help="npz: the most a compressed member may inflate to; bigger ones are unpacked "
        "to a temporary file in TMPDIR (default 4G, or TUIHEAT_INFLATE_LIMIT), e.g. 16G",
    )
    parser.add_argument(
        "--chunk-cache",
        type=_size,
        metavar="SIZE",
        help="Zarr/HDF5: decoded chunks kept in memory (default 256M), e.g. 1G",
    )
    parser.add_argument(
        "--dask-budget",
        type=_size,
        metavar="SIZE",
        help="Zarr/HDF5: arrays bigger than this are zoomed out and scanned on dask, when "
        "installed (default 2G)",
    )
    parser.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="Zarr/HDF5: run those passes on this dask.distributed scheduler, e.g. "
        "tcp://10.0.0.5:8786 (default: DASK_SCHEDULER_ADDRESS, else local threads)",
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
        "--facet",
        metavar="AXIS",
        help="every index of a hidden axis as linked panels, by name or number (e.g. head: "
        "all heads of a layer); f in the viewer does the same",
    )
    parser.add_argument(
        "--summary",
        choices=tuple(SUMMARY_STATS),
        metavar="STAT",
        help="for a tensor with layer, head, query and key axes (by their names, --names, "
        "or unnamed in that order; a batch of 1 is read at 0, a longer one is named and "
        "fixed, e.g. --names layer,batch,head,query,key --slice batch=0): a layer x head "
        "grid of one statistic per head, read from the whole (memory-mapped) file. STAT is "
        + "; ".join(f"{name}: {meaning}" for name, meaning in SUMMARY_STATS.items())
        + ". Each mean is over the query rows; a row holding NaN is left out (and counted)",
    )
    parser.add_argument(
        "--as-text",
        dest="as_text",
        metavar="ROW",
        help="the tokens of the column axis as running text, each on the colour of its "
        "value in row ROW (a label, or an index, negative from the end); in the viewer the "
        "text follows the cursor (W shows or hides it); in print mode, without colour each "
        "token is followed by its value: Paris[0.83]",
    )
    lens_arguments(parser)
    runs_arguments(parser)
    parser.add_argument(
        "--peaks",
        action="store_true",
        help="print mode: each column's peak row (its maximum; ties: the first), listed",
    )
    parser.add_argument(
        "--emerge",
        type=_finite,
        metavar="X",
        help="print mode: per column, the first row from which the value stays >= X to the "
        "last row (for AUC: where the information appears), or never",
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
        help="write the heatmap to OUT and exit, without the viewer: .png or .pdf (with "
        "tuiheat[png]), .svg, .html (values on hover) or .csv",
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
        "--json",
        action="store_true",
        help="with --boxes: a JSON list, one object per box (indices, labels, statistics)",
    )
    parser.add_argument(
        "--no-sidecar",
        dest="sidecar",
        action="store_false",
        help="ignore boxes saved in FILE.tuiheat.json",
    )
    parser.add_argument("-V", "--version", action="version", version=f"tuiheat {__version__}")
    return parser


def values_may_start_with_dash(parser: argparse.ArgumentParser, argv: Sequence[str]) -> list[str]:
    """``--box -8..-1:4`` and ``--vmin -0.5e-3``: argparse would take the value for an option.
    The value of an option that takes one is glued to it (``--box=-8..-1:4``) unless it is
    itself one of the options."""
    takes_value = {
        flag
        for action in parser._actions  # the parser's own table of options
        if action.option_strings and action.nargs is None and action.const is None
        for flag in action.option_strings
        if flag.startswith("--")
    }
    known_flags = set(parser._option_string_actions)
    out: list[str] = []
    args = iter(argv)
    for arg in args:
        if arg in takes_value:
            value = next(args, None)
            glue = value is not None and value.startswith("-") and value != "--"
            if glue and value.split("=")[0] not in known_flags:
                out.append(f"{arg}={value}")
                continue
            out.append(arg)
            if value is not None:
                out.append(value)
            continue
        out.append(arg)
    return out


def lens_arguments(parser: argparse.ArgumentParser) -> None:
    """The logit lens: which arrays, how ids read, a token to follow, one cell's top k."""
    parser.add_argument(
        "--topk-tokens",
        dest="topk_tokens",
        metavar="KEY",
        help="logit lens: the bundle's top-k token ids or strings [layers, positions, k] "
        "(found by name when left out: topk_ids, top_tokens, lens_top_token, ...)",
    )
    parser.add_argument(
        "--topk-probs",
        dest="topk_probs",
        metavar="KEY",
        help="logit lens: their probabilities (or logits, which are said so), same shape",
    )
    parser.add_argument(
        "--lens",
        action="store_true",
        help="logit lens: read a [layers, positions, vocab] array of logits or "
        "probabilities as the full distribution at every cell (memory-mapped)",
    )
    parser.add_argument(
        "--tokenizer",
        metavar="PATH|ORG/NAME",
        help="logit lens: token ids read with this tokenizer.json, or with ORG/NAME's from "
        "the local Hugging Face cache (never downloaded; needs tuiheat[lens])",
    )
    parser.add_argument(
        "--track",
        metavar="TOKEN",
        help="logit lens: colour every cell by this token's probability (as written, e.g. "
        "Ġthe, or ' the', or #ID); print mode adds where it enters the top k and becomes top-1",
    )
    parser.add_argument(
        "--topk", type=_positive_int, metavar="K", help="logit lens: rows of the --cell table (10)"
    )
    parser.add_argument(
        "--cell",
        metavar="ROW,COL",
        help="logit lens, print mode: the top k of one cell (a layer and a position, by "
        "index or label) as a table",
    )


def runs_arguments(parser: argparse.ArgumentParser) -> None:
    """Runs of one shape (seeds): their statistics per cell, or two conditions tested."""
    parser.add_argument(
        "--stats",
        action="store_true",
        help="the FILEs are runs of one shape (seeds): show each cell's mean over them, "
        "with its 95%% t-interval in the readout; cells whose interval excludes the "
        "reference (0.5 for AUC, else 0, or --chance) are marked; A cycles mean, std and "
        "half-width",
    )
    parser.add_argument(
        "--vs",
        nargs="+",
        default=(),
        metavar="FILE",
        help="runs of a second condition: FILE... --vs FILE... shows the mean difference "
        "A − B, runs paired by sorted path (paired t-test per cell), cells with "
        "Benjamini–Hochberg q < 0.05 marked",
    )
    parser.add_argument(
        "--unpaired",
        action="store_true",
        help="with --vs: the runs are not pairs (Welch's t-test; the counts may differ)",
    )
    parser.add_argument(
        "--chance",
        type=_finite,
        metavar="X",
        help="with --stats: the reference the interval is tested against",
    )
