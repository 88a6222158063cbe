"""``--summary STAT`` without a viewer: the layer × head grid of one statistic per head
takes the place of the file's tensor, so print mode, ``--export``, ``--boxes``, ``--box``
and comparisons work on it as on any matrix.

``--slice`` first fixes the axes that are none of layer, head, query and key (a batch
longer than 1: ``--slice batch=0``); ``--axes`` then applies to the grid (``head,layer``).
A pass that takes more than a second says how far it is on a terminal's stderr.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from tuiheat.session.options import Options, UsageError

PROGRESS_AFTER = 1.0  # seconds before the share done is shown


def summarised(tensor: Any, options: Options, title_name: str) -> Any:
    """The summary tensor of ``options.summary`` over ``tensor`` (titled by the file when
    the tensor has no title); the tensor's notes are kept."""
    from tuiheat.core.headstats import HeadAxes, summary_tensor
    from tuiheat.core.tensor import SliceError

    assert options.summary is not None
    if options.facet:
        raise UsageError("--summary shows one layer × head grid: leave out --facet")
    fixed = fixed_axes(tensor, options.slice) if options.slice else tensor
    try:
        axes = HeadAxes.of(fixed)
    except SliceError as err:
        raise UsageError(f"--summary: {err}") from None
    titled = fixed if fixed.title else replace(fixed, title=title_name)
    report = _progress(f"{options.summary} per head")
    try:
        summary = summary_tensor(titled, axes, options.summary, progress=report)
    finally:
        report(-1.0)
    return replace(summary, notes=(*tensor.notes, *summary.notes))


def fixed_axes(tensor: Any, text: str) -> Any:
    """``--slice AXIS=V,...`` with ``--summary``: each named axis read at one index (or
    label), and left out of the tensor (a view, never a copy)."""
    from tuiheat.core.boxes import BoxError, resolve_endpoint
    from tuiheat.core.labels import sanitize
    from tuiheat.core.tensor import SliceError, Tensor, axis_index, in_memory

    at: dict[int, int] = {}
    for part in [p for p in text.split(",") if p.strip()]:
        name, eq, value = (s.strip() for s in part.partition("="))
        if not eq:
            raise UsageError(f"--slice needs AXIS=VALUE, got {sanitize(repr(part))}")
        if value in ("mean", "max"):
            raise UsageError(
                f"--summary reads each head at one index of the other axes: give --slice "
                f"{sanitize(name)}=INDEX, not {value}"
            )
        try:
            axis = axis_index(tensor, name)
            labels = tensor.labels[axis] or tuple(map(str, range(tensor.shape[axis])))
            at[axis] = resolve_endpoint(value, labels, tensor.names[axis])
        except (SliceError, BoxError) as err:
            raise UsageError(f"--slice: {err}") from None
    kept = [a for a in range(tensor.ndim) if a not in at]
    if len(kept) < 2:
        raise UsageError("--summary: --slice left fewer than two axes")
    index = tuple(at.get(a, slice(None)) for a in range(tensor.ndim))
    try:
        values = in_memory(tensor).values
    except SliceError as err:
        raise UsageError(f"--summary: {err}") from None
    return Tensor(
        values[index],
        tuple(tensor.names[a] for a in kept),
        tuple(tensor.labels[a] for a in kept),
        tensor.title,
        notes=tensor.notes,
    )


def _progress(what: str) -> Callable[[float], None]:
    """``tuiheat: entropy per head 40%`` on stderr, rewritten in place, once a pass has
    taken ``PROGRESS_AFTER`` seconds and only on a terminal; ``report(-1)`` clears it."""
    started, shown = time.monotonic(), [-1]
    tty = sys.stderr.isatty()

    def report(done: float) -> None:
        if done < 0:
            if shown[0] >= 0:
                sys.stderr.write("\r\x1b[K")
            return
        percent = int(done * 100)
        if tty and percent != shown[0] and time.monotonic() - started > PROGRESS_AFTER:
            shown[0] = percent
            sys.stderr.write(f"\rtuiheat: {what} {percent}%")
            sys.stderr.flush()

    return report
