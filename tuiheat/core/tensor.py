"""N-D arrays seen as 2-D slices: which two axes are on screen, and what each hidden axis does.

A model output such as HuggingFace attentions ``[layer, head, q, k]`` is a Tensor;
the viewer shows one HeatMatrix at a time: two displayed axes, and for every other
axis either an index (``head 7``) or a reduction over it (``head mean``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from tuiheat.core.boxes import Box, BoxError, resolve_endpoint
from tuiheat.core.chunkcache import ChunkSource
from tuiheat.core.chunkreduce import PlaneError, plane_trouble, reduced_plane, whole_values
from tuiheat.core.chunkrows import ChunkRows, FlatChunks, chunked_matrix, shape_only
from tuiheat.core.filerows import read_view
from tuiheat.core.labels import readable_token, sanitize
from tuiheat.core.matrix import DEFAULT_COL_TITLE, DEFAULT_ROW_TITLE, HeatMatrix, shape_text

REDUCTIONS = ("index", "mean", "max")


class SliceError(ValueError):
    """An --axes / --slice / --names request that does not fit the tensor."""


@dataclass(frozen=True, eq=False)
class Tensor:
    """An N-D array (N >= 2) with a name and optional labels per axis."""

    values: np.ndarray
    names: tuple[str, ...] = ()
    labels: tuple[tuple[str, ...] | None, ...] = ()
    title: str = ""
    vmin: float | None = None
    vmax: float | None = None
    boxes: tuple[Box, ...] = ()
    text: np.ndarray | None = None  # strings printed in the cells (e.g. logit-lens top tokens)
    notes: tuple[str, ...] = ()  # one-line remarks for the user (labels that fit no axis, ...)
    marks: np.ndarray | None = None  # uint8 codes of core.marks per cell (statistics' verdicts)
    source: ChunkSource | None = None  # a chunked store: ``values`` is then only its shape

    @classmethod
    def of_chunks(cls, source: ChunkSource, **fields: object) -> Tensor:
        """A tensor read by chunk from ``source``; ``values`` holds its shape and dtype
        without memory, and every slice reads the chunks it shows."""
        placeholder = np.broadcast_to(shape_only(source.dtype), source.shape)
        return cls(placeholder, source=source, **fields)  # type: ignore[arg-type]

    def __post_init__(self) -> None:
        ndim = self.values.ndim
        if ndim < 2:
            raise SliceError(f"a tensor needs 2 or more axes, not {ndim}")
        names = tuple(self.names) or default_names(ndim)
        if len(names) != ndim:
            raise SliceError(f"{len(names)} axis names for a {ndim}-D array")
        if len(set(names)) != ndim:
            raise SliceError(f"axis names must differ: {', '.join(names)}")
        labels = tuple(self.labels) if self.labels else (None,) * ndim
        if len(labels) != ndim:
            raise SliceError("one label list (or None) per axis")
        for axis, axis_labels in enumerate(labels):
            if axis_labels is not None and len(axis_labels) != self.values.shape[axis]:
                raise SliceError(
                    f"{len(axis_labels)} labels for axis {names[axis]} of length {self.values.shape[axis]}"
                )
        if self.marks is not None and self.marks.shape != self.values.shape:
            raise SliceError(f"marks of shape {self.marks.shape} for values of {self.values.shape}")
        object.__setattr__(self, "names", names)
        object.__setattr__(self, "labels", labels)

    @property
    def ndim(self) -> int:
        return int(self.values.ndim)

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(int(n) for n in self.values.shape)

    @classmethod
    def from_matrix(cls, matrix: HeatMatrix) -> Tensor:
        """A 2-D matrix as a tensor (its titles become the axis names)."""
        rows, cols = matrix.row_title or DEFAULT_ROW_TITLE, matrix.col_title or DEFAULT_COL_TITLE
        if rows == cols:
            cols = f"{cols} "
        return cls(
            matrix.values,
            (rows, cols),
            (matrix.row_labels, matrix.col_labels),
            matrix.title,
            matrix.vmin,
            matrix.vmax,
            matrix.boxes,
        )

    def with_names(self, names: Sequence[str]) -> Tensor:
        return replace(self, names=tuple(names))

    def with_axis_labels(self, axis: int, labels: Sequence[str], what: str) -> Tensor:
        """Labels for one axis; ``what`` names where they came from in the error."""
        n = self.shape[axis]
        if len(labels) != n:
            unit = {self.ndim - 2: "rows", self.ndim - 1: "columns"}.get(
                axis, f"entries of axis {self.names[axis]}"
            )
            raise SliceError(f"{len(labels)} {what} for {n} {unit}")
        all_labels = list(self.labels)
        all_labels[axis] = tuple(labels)
        return replace(self, labels=tuple(all_labels))

    def with_tokens(self, tokens: Sequence[str]) -> Tensor:
        """Token labels for every axis whose length matches (both q and k of attention)."""
        labels = list(self.labels)
        hits = [axis for axis, n in enumerate(self.shape) if n == len(tokens)]
        if not hits:
            raise SliceError(f"{len(tokens)} labels fit no axis of {shape_text(self.shape)}")
        for axis in hits:
            labels[axis] = tuple(tokens)
        return replace(self, labels=tuple(labels))


def in_memory(tensor: Tensor) -> Tensor:
    """``tensor`` with its values in memory, for what needs all of them at once (statistics
    across runs, a head summary): a chunked store is read whole, or SliceError if too big."""
    if tensor.source is None:
        return tensor
    try:
        values = whole_values(tensor.source)
    except PlaneError as err:
        raise SliceError(str(err)) from None
    return replace(tensor, values=values, source=None)


def default_names(ndim: int) -> tuple[str, ...]:
    if ndim == 2:
        return (DEFAULT_ROW_TITLE, DEFAULT_COL_TITLE)
    return tuple(f"dim{i}" for i in range(ndim))


@dataclass(frozen=True)
class SliceSpec:
    """Displayed axes (rows, cols) and, per hidden axis, an index or a reduction."""

    rows: int
    cols: int
    hidden: tuple[tuple[int, str, int], ...] = field(default_factory=tuple)  # (axis, how, index)

    @property
    def reduces(self) -> bool:
        """A hidden axis is reduced (mean, max), not indexed: the slice is derived values."""
        return any(how != "index" for _, how, _ in self.hidden)

    def setting(self, axis: int) -> tuple[str, int]:
        for a, how, index in self.hidden:
            if a == axis:
                return how, index
        raise KeyError(axis)


def flat_matrix(tensor: Tensor) -> HeatMatrix:
    """Every value of the tensor as one matrix (rows of its last axis, a view): the colour
    range taken over it holds for every slice, so heads and layers compare."""
    if tensor.source is not None:
        source = tensor.source
        reader: ChunkRows | FlatChunks = FlatChunks(source)
        if tensor.ndim == 2:
            reader = ChunkRows(source.array, 0, 1, (), source.cache, source.reducer)
        return chunked_matrix(reader, source.dtype, vmin=tensor.vmin, vmax=tensor.vmax)
    values = tensor.values
    return HeatMatrix(values.reshape(-1, values.shape[-1]), vmin=tensor.vmin, vmax=tensor.vmax)


def default_spec(tensor: Tensor) -> SliceSpec:
    """The last two axes on screen (q x k for attention), index 0 of every other."""
    ndim = tensor.ndim
    hidden = tuple((axis, "index", 0) for axis in range(ndim - 2))
    return SliceSpec(ndim - 2, ndim - 1, hidden)


def axis_index(tensor: Tensor, token: str) -> int:
    """An axis by name (``head``) or number (``1``, ``-1``)."""
    token = token.strip()
    if token in tensor.names:
        return tensor.names.index(token)
    if re.fullmatch(r"-?\d+", token):
        axis = int(token)
        if -tensor.ndim <= axis < tensor.ndim:
            return axis % tensor.ndim
    axes = ", ".join(sanitize(n.rstrip()) for n in tensor.names)
    raise SliceError(f"no axis {sanitize(repr(token))}; axes: {axes}{names_hint(tensor)}")


# Example axis names for --names, the innermost last (attention: [layer, head, query, key]).
EXAMPLE_NAMES = ("batch", "layer", "head", "query", "key")


def names_hint(tensor: Tensor) -> str:
    """``; name them, e.g. --names layer,head,query,key`` when the axes have
    only their default names (the example has one name per axis), else nothing."""
    if tensor.names != default_names(tensor.ndim):
        return ""
    n = tensor.ndim
    example = EXAMPLE_NAMES[-n:] if n <= len(EXAMPLE_NAMES) else [f"a{i}" for i in range(n)]
    return f"; name them, e.g. --names {','.join(example)}"


def spec_with_axes(
    tensor: Tensor, rows: int, cols: int, base: SliceSpec | None = None
) -> SliceSpec:
    if rows == cols:
        raise SliceError("the two displayed axes must differ")
    previous = {a: (how, i) for a, how, i in (base.hidden if base else ())}
    hidden = tuple(
        (axis, *previous.get(axis, ("index", 0)))
        for axis in range(tensor.ndim)
        if axis not in (rows, cols)
    )
    return SliceSpec(rows, cols, hidden)  # type: ignore[arg-type]


def parse_axes(tensor: Tensor, text: str) -> SliceSpec:
    """``--axes q,k``: the row axis and the column axis, by name or number."""
    parts = [p for p in text.split(",") if p.strip()]
    if len(parts) != 2:
        raise SliceError(f"--axes needs two axes (rows,cols), got {text!r}")
    return spec_with_axes(tensor, axis_index(tensor, parts[0]), axis_index(tensor, parts[1]))


def parse_slice(tensor: Tensor, spec: SliceSpec, text: str) -> SliceSpec:
    """``--slice layer=3,head=mean``: an index (or a label) or a reduction per hidden axis."""
    settings = dict((a, (how, i)) for a, how, i in spec.hidden)
    for part in [p for p in text.split(",") if p.strip()]:
        if "=" not in part:
            raise SliceError(f"--slice needs AXIS=VALUE, got {part!r}")
        name, value = (s.strip() for s in part.split("=", 1))
        axis = axis_index(tensor, name)
        if axis not in settings:
            raise SliceError(f"axis {tensor.names[axis]} is displayed; --slice fixes the others")
        if value in ("mean", "max"):
            settings[axis] = (value, settings[axis][1])
            continue
        labels = tensor.labels[axis] or tuple(str(i) for i in range(tensor.shape[axis]))
        try:
            settings[axis] = ("index", resolve_endpoint(value, labels, tensor.names[axis]))
        except BoxError as err:
            raise SliceError(str(err)) from None
    hidden = tuple((a, *settings[a]) for a, _, _ in spec.hidden)
    return replace(spec, hidden=hidden)  # type: ignore[arg-type]


def step_hidden(tensor: Tensor, spec: SliceSpec, which: int, delta: int) -> SliceSpec:
    """``[``/``]`` (which=0) and ``{``/``}`` (which=1): the index of a hidden axis, wrapping."""
    if which >= len(spec.hidden):
        return spec
    hidden = list(spec.hidden)
    axis, how, index = hidden[which]
    hidden[which] = (axis, "index", (index + (delta if how == "index" else 0)) % tensor.shape[axis])
    return replace(spec, hidden=tuple(hidden))


def cycle_reduction(spec: SliceSpec, which: int = 0) -> SliceSpec:
    """``a``: index / mean / max over the first hidden axis."""
    if which >= len(spec.hidden):
        return spec
    hidden = list(spec.hidden)
    axis, how, index = hidden[which]
    hidden[which] = (axis, REDUCTIONS[(REDUCTIONS.index(how) + 1) % len(REDUCTIONS)], index)
    return replace(spec, hidden=tuple(hidden))


def transpose(spec: SliceSpec) -> SliceSpec:
    return replace(spec, rows=spec.cols, cols=spec.rows)


def slice_values(
    tensor: Tensor, spec: SliceSpec, watch: Callable[[float], None] | None = None
) -> np.ndarray:
    """The 2-D array for ``spec``: a view when every hidden axis is indexed (a chunked
    store's is read into memory, as a reduction is); ``watch``: a store's progress."""
    if tensor.source is not None:
        try:
            return reduced_plane(tensor.source, spec.rows, spec.cols, spec.hidden, watch=watch)
        except PlaneError as err:
            raise SliceError(str(err)) from None
    array = tensor.values
    index: list[object] = [slice(None)] * tensor.ndim
    reduce_axes = []
    for axis, how, i in spec.hidden:
        if how == "index":
            index[axis] = i
        else:
            reduce_axes.append((axis, how))
    part = array[tuple(index)]
    kept = [a for a in range(tensor.ndim) if index[a] == slice(None)]  # axes left, in order
    if reduce_axes:
        copied = read_view(part)  # never through the mapping: see core.filerows
        part = np.asarray(part if copied is None else copied, dtype=np.float64)
        kinds = {how for _, how in reduce_axes}
        if len(kinds) == 1:  # one kind: reduce the axes together (a mean over all their cells)
            positions = tuple(kept.index(axis) for axis, _ in reduce_axes)
            part = _reduce_axis(part, positions, kinds.pop())
            kept = [a for a in kept if a not in dict(reduce_axes)]
        else:  # mean and max: one axis after the other, the last axis first
            for axis, how in sorted(reduce_axes, key=lambda item: -kept.index(item[0])):
                part = _reduce_axis(part, (kept.index(axis),), how)
                kept.remove(axis)
    order = [kept.index(spec.rows), kept.index(spec.cols)]
    return part if order == [0, 1] else np.transpose(part, order)


def _reduce_axis(values: np.ndarray, position: tuple[int, ...], how: str) -> np.ndarray:
    """Mean or max over some axes, finite values only; all-NaN lines give NaN, no warning."""
    finite = np.isfinite(values)
    with np.errstate(invalid="ignore", divide="ignore"):
        if how == "mean":
            total = np.where(finite, values, 0.0).sum(axis=position)
            count = finite.sum(axis=position)
            return np.where(count > 0, total / np.maximum(count, 1), np.nan)
        reduced = np.where(finite, values, -np.inf).max(axis=position)
        return np.where(finite.any(axis=position), reduced, np.nan)


def slice_trouble(tensor: Tensor, spec: SliceSpec) -> str:
    """Why ``spec`` cannot be shown ("" when it can): a reduction over a chunked store whose
    plane would not fit in memory."""
    if tensor.source is None or not spec.reduces:
        return ""
    return plane_trouble(tensor.shape[spec.rows], tensor.shape[spec.cols])


def slice_text(tensor: Tensor, spec: SliceSpec, readable: bool = True) -> np.ndarray | None:
    """The text grid (``--text``) for ``spec``, or None when a hidden axis is reduced.

    ``readable`` shows the tokens in the cells as the axes show them (``\n`` as ↵).
    """
    if tensor.text is None or spec.reduces:
        return None
    text = np.asarray(slice_values(replace(tensor, values=tensor.text, source=None), spec))
    if readable and text.size:
        text = np.vectorize(readable_token, otypes=[object])(text).astype(str)
    return text


def slice_marks(tensor: Tensor, spec: SliceSpec) -> np.ndarray | None:
    """The marks (``core.marks`` codes) for ``spec``, or None when a hidden axis is reduced
    (a mean over runs' verdicts says nothing)."""
    if tensor.marks is None or spec.reduces:
        return None
    marks = replace(tensor, values=tensor.marks, source=None)
    return np.asarray(slice_values(marks, spec), dtype=np.uint8)


def slice_matrix(
    tensor: Tensor,
    spec: SliceSpec,
    readable: bool = True,
    watch: Callable[[float], None] | None = None,
) -> HeatMatrix:
    """The HeatMatrix on screen for ``spec``, with the axes' labels and names as titles.

    ``readable`` shows tokenizer markers consistently (``Ġthe`` -> ``␣the``); the raw
    labels stay in the tensor. ``watch``: told how far a reduction over a store is.
    """
    boxes = tensor.boxes if tensor.ndim == 2 and (spec.rows, spec.cols) == (0, 1) else ()

    def shown(labels: tuple[str, ...] | None) -> tuple[str, ...]:
        if not labels:
            return ()
        return tuple(readable_token(x) for x in labels) if readable else labels

    fields = dict(
        row_labels=shown(tensor.labels[spec.rows]),
        col_labels=shown(tensor.labels[spec.cols]),
        row_title=tensor.names[spec.rows],
        col_title=tensor.names[spec.cols].rstrip(),
        title=tensor.title,
        vmin=tensor.vmin,
        vmax=tensor.vmax,
        boxes=boxes,
    )
    source = tensor.source
    if source is not None and not spec.reduces:  # read by chunk, as the screen asks
        index = [i for _, _, i in sorted(spec.hidden)]
        plane = ChunkRows(source.array, spec.rows, spec.cols, index, source.cache, source.reducer)
        return chunked_matrix(plane, source.dtype, **fields)
    return HeatMatrix(slice_values(tensor, spec, watch), **fields)  # type: ignore[arg-type]


def describe(tensor: Tensor, spec: SliceSpec, name: str = "", facet: int | None = None) -> str:
    """``attn [6,12,17,17] · layer 3 · head 7 · q × k`` (the title of an N-D view);
    ``head × 12 panels`` for the axis laid out as panels."""
    parts = [f"{name} [{','.join(str(n) for n in tensor.shape)}]".strip()]
    for axis, how, index in spec.hidden:
        axis_name = sanitize(tensor.names[axis])
        if axis == facet:
            parts.append(f"{axis_name} × {tensor.shape[axis]} panels")
        elif how == "index":
            labels = tensor.labels[axis]
            shown = sanitize(labels[index]) if labels else str(index)
            parts.append(f"{axis_name} {shown}")
        else:
            parts.append(f"{axis_name} {how}")
    parts.append(
        f"{sanitize(tensor.names[spec.rows])} × {sanitize(tensor.names[spec.cols].rstrip())}"
    )
    return " · ".join(parts)
