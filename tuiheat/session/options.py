"""What the command line asks for, and the one-line error it answers with when it cannot.

Shared by the command line (which parses argv into ``Options``), the opening of files
(``session.open``) and the static outputs (``session.static``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources

COLOR_CHOICES = ("auto", "truecolor", "256", "16", "none")  # as render.terminal's
SEED_SAMPLE = "seed_probe_auc.json"
LEAN_BINS = 16


MAX_FILES = 6  # panes of files side by side (A to F)
MAX_RUNS = 1000  # files of --stats and --vs (each is read a block at a time)


@dataclass
class Options:
    file: str | None
    others: tuple[str, ...] = ()  # further files of the same shape: panes B, C, …
    print_mode: bool = False
    color: str = "auto"
    colormap: str | None = "blues"
    vmin: float | None = None
    vmax: float | None = None
    key: str | None = None
    boxes: list[str] = field(default_factory=list)
    width: int | None = None
    height: int | None = None
    cell_width: int | None = None
    full: bool = False
    reducer: str = "mean"
    list_boxes: bool = False
    delimiter: str | None = None
    inflate_limit: int | None = None  # bytes a compressed npz member may inflate to
    chunk_cache: int | None = None  # bytes of decoded Zarr/HDF5 chunks kept
    dask_budget: int | None = None  # arrays past this many bytes are reduced on dask
    scheduler: str | None = None  # a dask.distributed scheduler for those passes
    json: bool = False
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
    facet: str | None = None
    summary: str | None = None  # a statistic per head (core.headstats.HEAD_STATS)
    as_text: str | None = None  # a row (label or index) printed as coloured token text
    lens: bool = False  # a [layers, positions, vocab] array read as a full distribution
    topk_tokens: str | None = None  # the logit lens's top-k token ids or strings
    topk_probs: str | None = None  # ... and their probabilities (or logits)
    tokenizer: str | None = None  # a tokenizer.json, or ORG/NAME in the local HF cache
    track: str | None = None  # a token whose probability colours every cell
    topk: int | None = None  # rows of the top-k table (--cell)
    cell: str | None = None  # ROW,COL: print that cell's top k
    peaks: bool = False  # print mode: each column's peak row
    emerge: float | None = None  # print mode: per column, the row from which values stay >= X
    stats: bool = False  # the files are runs of one shape: their mean, spread and interval
    vs: tuple[str, ...] = ()  # --vs: the runs of a second condition (A − B, tested per cell)
    unpaired: bool = False  # --vs without pairs: Welch's t-test
    chance: float | None = None  # what one condition's interval is tested against
    cmap_chosen: bool = False

    @property
    def files(self) -> tuple[str, ...]:
        """Every file named, the first (A) first."""
        return tuple(name for name in (self.file, *self.others) if name is not None)


class UsageError(Exception):
    """A problem with the command line or the input: one line on stderr, exit status 2."""


def seed_sample() -> resources.abc.Traversable:  # type: ignore[name-defined]
    return resources.files("tuiheat.samples") / SEED_SAMPLE


def display_name(name: str) -> str:
    from tuiheat.core.labels import sanitize

    return "<stdin>" if name == "-" else sanitize(name)


def lean_mode(mode: str, options: Options) -> str:
    """--lean: 256 colours (never truecolor) and 16 levels, for slow links."""
    return "256" if options.lean and mode == "truecolor" else mode
