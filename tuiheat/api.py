"""The Python API: ``tuiheat.show(array)`` from a script or a REPL, ``tuiheat.load(path)``.

``show`` blocks until the viewer is closed and returns the boxes drawn, so a
session on a GPU server can go: compute, look, mark a region, use it. Without a
terminal (output piped, a notebook) it prints the static heatmap instead.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from tuiheat.core import HeatMatrix
from tuiheat.core.boxes import Box, BoxError, box_from_json
from tuiheat.core.colormap import DEFAULT_COLORMAP, DIVERGING_COLORMAP, get_palette

BoxLike = Box | str | Mapping[str, Any] | tuple[Any, Any]


def load(path: str | os.PathLike[str], key: str | None = None) -> HeatMatrix:
    """Read a result file as the viewer does (.csv/.tsv, .npy/.npz, .json, .pt, .safetensors).

    ``key`` picks an array of an .npz, .pt or .safetensors file. Nothing is unpickled.
    """
    from tuiheat.loaders import LoadError
    from tuiheat.loaders import load as load_file

    name = os.fspath(path)
    try:
        return load_file(name, key)
    except LoadError as err:
        raise LoadError(f"{name}: {err}") from None


def show(
    data: Any,
    row_labels: Sequence[object] | None = None,
    col_labels: Sequence[object] | None = None,
    *,
    vmin: float | None = None,
    vmax: float | None = None,
    boxes: Iterable[BoxLike] = (),
    title: str = "",
    row_title: str | None = None,
    col_title: str | None = None,
    cmap: str | None = None,
    center: float | None = None,
    log: bool = False,
    compare: Any = None,
    names: Sequence[str] | str | None = None,
    axes: Sequence[str | int] | str | None = None,
    slice: Mapping[str, object] | str | None = None,
    text: Any = None,
) -> list[Box]:
    """Open the viewer on ``data`` and return the boxes when it is closed.

    ``data``: a numpy array, a torch tensor (torch is never imported for anything
    else), nested lists, a pandas DataFrame (its index and columns become the
    labels) or a HeatMatrix. Arrays of more than two axes are browsed with ``[ ]``.
    ``boxes``: ``Box`` objects, ``"ROWS:COLS"`` strings as on the command line
    (``"4-28:first_answer..-1"``), ``{"rows": ..., "cols": ..., "name": ...}``, or
    ``(rows, cols)`` pairs of slices or ints (``(slice(4, 29), slice(1, 6))``).
    ``compare``: a second array of the same shape, shown beside ``data``, or a list of
    up to five (arrays, tensors or DataFrames), each a pane on the same scale.
    ``names``, ``axes``, ``slice``, ``text``: as on the command line (``axes=("q", "k")``,
    ``slice={"layer": 3, "head": "mean"}``); ``text``: a grid of strings of ``data``'s shape.
    """
    from tuiheat.session.options import Options

    colormap = _colormap(cmap, center, vmin, vmax)
    options = Options(
        None, colormap=colormap, cmap_chosen=cmap is not None, vmin=vmin, vmax=vmax,
        center=center, log=log, names=_joined(names), axes=_joined(axes), slice=_joined(slice),
    )  # fmt: skip
    tensor = _tensor(data, row_labels, col_labels, title, row_title, col_title)
    tensor, spec = _sliced(tensor, options, text)
    others, notices = _others(compare, tensor)
    loaded = _loaded(tensor, boxes, notices, spec)
    if others:  # the panes are named as files are: A, B, ...
        options.file, options.others = "A", tuple(chr(ord("B") + i) for i in range(len(others)))
    if not _interactive():
        _print_static(loaded, others, options)
        return list(loaded.matrix.boxes)
    return list(_run_viewer(loaded, others, options))


def _joined(value: Any) -> str | None:
    """A list, tuple or dict as the command line's text (``q,k``, ``layer=3,head=mean``)."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, Mapping):
        return ",".join(f"{k}={v}" for k, v in value.items())
    return ",".join(str(v) for v in value)


def _sliced(tensor: Any, options: Any, text: Any) -> tuple[Any, Any]:
    """The tensor named and sliced as ``--names``, ``--axes`` and ``--slice`` would, with
    ``text=`` (a grid of strings) for the cells; and the slice on screen."""
    from dataclasses import replace

    import numpy as np

    from tuiheat.session.open import named_tensor, slice_spec
    from tuiheat.session.options import UsageError

    try:
        tensor = named_tensor(tensor, options)
        spec = slice_spec(tensor, options)
    except UsageError as err:
        raise ValueError(str(err)) from None
    if text is not None:
        grid = np.asarray(text, dtype=str)
        if grid.shape != tensor.shape:
            raise ValueError(f"text has shape {list(grid.shape)}, the data {list(tensor.shape)}")
        tensor = replace(tensor, text=grid)
    return tensor, spec


def _loaded(tensor: Any, boxes: Iterable[BoxLike], notices: list[str], spec: Any = None) -> Any:
    """The slice of the tensor with the boxes asked for, as the session opens files."""
    from tuiheat.core.tensor import default_spec, describe, slice_matrix
    from tuiheat.session.open import Loaded

    spec = spec if spec is not None else default_spec(tensor)
    matrix = slice_matrix(tensor, spec)
    matrix = matrix.with_boxes([*matrix.boxes, *resolve_boxes(boxes, matrix)])
    name = tensor.title or "tuiheat"
    title = describe(tensor, spec, name) if tensor.ndim > 2 else name
    return Loaded(matrix, title, None, notices, tensor, spec, name)


def _colormap(
    cmap: str | None, center: float | None, vmin: float | None, vmax: float | None
) -> str:
    """The colormap asked for (a diverging one when centred); bad arguments raise."""
    if vmin is not None and vmax is not None and vmin > vmax:
        raise ValueError(f"vmin {vmin:g} is above vmax {vmax:g}")
    colormap = cmap or (DIVERGING_COLORMAP if center is not None else DEFAULT_COLORMAP)
    get_palette(colormap)  # an unknown name raises ValueError, naming a few known ones
    return colormap


def _others(compare: Any, tensor: Any) -> tuple[list[Any], list[str]]:
    """The arrays to compare with, and what differs between them and ``tensor``. A list
    of array-likes (things with a ``shape``) is several; nested lists of numbers are one."""
    from tuiheat.core.compare import check_comparable
    from tuiheat.core.panes import MAX_PANES
    from tuiheat.loaders.objects import tensor_from_object

    if compare is None:
        return [], []
    many = isinstance(compare, (list, tuple)) and all(hasattr(x, "shape") for x in compare)
    items = list(compare) if many else [compare]
    if not 1 <= len(items) < MAX_PANES:
        raise ValueError(f"compare takes 1 to {MAX_PANES - 1} arrays, not {len(items)}")
    others = [tensor_from_object(item) for item in items]
    return others, [note for other in others for note in check_comparable(tensor, other)]


def _tensor(data, row_labels, col_labels, title, row_title, col_title):  # type: ignore[no-untyped-def]
    """The object as a tensor, its last two axes named as asked."""
    from tuiheat.loaders.objects import tensor_from_object

    tensor = tensor_from_object(data, row_labels, col_labels, title)
    if row_title is None and col_title is None:
        return _attention_axes(tensor)
    names = list(tensor.names)
    names[-2] = row_title if row_title is not None else names[-2]
    names[-1] = col_title if col_title is not None else names[-1]
    return tensor.with_names(names)


def _attention_axes(tensor: Any) -> Any:
    """Attention weights (square, every row non-negative and summing to 1) get the axis
    titles query and key (and head, layer before them), not the layer × token defaults of
    a probing grid."""
    from tuiheat.core.attention import attention_roles, first_rows
    from tuiheat.core.tensor import default_names

    if tensor.names != default_names(tensor.ndim):
        return tensor
    roles = attention_roles(tensor.values, first_rows(tensor))
    return tensor if roles is None else tensor.with_names(roles.guessed)


def resolve_boxes(boxes: Iterable[BoxLike], matrix: HeatMatrix) -> list[Box]:
    """Every accepted way of naming a box, as Boxes checked against the matrix."""
    out = []
    for item in boxes:
        if isinstance(item, Box):
            box = item
        elif isinstance(item, (str, Mapping)):
            try:
                box = box_from_json(item, matrix.row_labels, matrix.col_labels)
            except BoxError as err:
                raise ValueError(str(err)) from None
        elif isinstance(item, tuple) and len(item) == 2:
            (r0, r1), (c0, c1) = _span(item[0], matrix.n_rows), _span(item[1], matrix.n_cols)
            box = Box(r0, r1, c0, c1)
        else:
            raise ValueError(
                f"a box is a Box, a 'ROWS:COLS' string, a dict or a (rows, cols) pair, not {item!r}"
            )
        if box.r1 >= matrix.n_rows or box.c1 >= matrix.n_cols:
            raise ValueError(
                f"box {box.describe_indices()} lies outside the {matrix.n_rows}×{matrix.n_cols} matrix"
            )
        out.append(box)
    return out


def _span(index: object, n: int) -> tuple[int, int]:
    """A slice (half-open, as in numpy) or an int as the inclusive range of a box."""
    if isinstance(index, slice):
        start, stop, step = index.indices(n)
        if step != 1 or stop <= start:
            raise ValueError(f"a box needs a non-empty slice with step 1, not {index!r}")
        return start, stop - 1
    if isinstance(index, int):
        i = index + n if index < 0 else index
        if not 0 <= i < n:
            raise ValueError(f"index {index} is outside 0..{n - 1}")
        return i, i
    raise ValueError(f"a box side is a slice or an int, not {index!r}")


def _interactive() -> bool:
    from tuiheat.launch import has_terminal

    return has_terminal()


def _run_viewer(loaded: Any, others: list[Any], options: Any) -> Sequence[Box]:
    from tuiheat.launch import choose_colours, set_textual_colours
    from tuiheat.render.terminal import supports_unicode

    choice = choose_colours("auto")
    mode = choice.mode
    if "textual.constants" not in sys.modules:  # imported already: its depth is fixed
        set_textual_colours(mode)
    from tuiheat.app import TuiheatApp
    from tuiheat.core.colourscale import start_range
    from tuiheat.session.config import ViewerConfig

    config = ViewerConfig.for_matrix(
        loaded.matrix,
        tensor=loaded.tensor,
        compare=others,
        names=("A", *options.others),
        title=loaded.title,
        colormap=options.colormap,
        color_mode=mode,
        ascii_only=not supports_unicode(getattr(sys.stdout, "encoding", None)),
        notices=tuple(loaded.notices),
        spec=loaded.spec,
        center=options.center,
        log=options.log,
        vmin=options.vmin,
        vmax=options.vmax,
        vrange=None
        if others
        else start_range([loaded.tensor], options.vmin, options.vmax, sample=True),
        color_note=choice.hint,
    )
    result = TuiheatApp(config).run()
    return loaded.matrix.boxes if result is None else result


def _print_static(loaded: Any, others: list[Any], options: Any) -> None:
    """Print mode, as ``tuiheat FILE | less -R`` would show it."""
    from tuiheat.core.tensor import slice_matrix
    from tuiheat.launch import choose_colours
    from tuiheat.session.open import Loaded
    from tuiheat.session.static import print_panels, static_panels

    for notice in loaded.notices:
        sys.stderr.write(f"tuiheat: warning: {notice}\n")
    theirs = [
        Loaded(slice_matrix(other, loaded.spec), name, None, [], other, loaded.spec, name)
        for other, name in zip(others, options.others)
    ]
    panels, options, vrange = static_panels(loaded, theirs, options)
    print_panels(panels, options, choose_colours("auto", ask_terminal=False).mode, vrange)
