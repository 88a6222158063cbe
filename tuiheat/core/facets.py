"""Small multiples of a tensor: every index of one hidden axis as its own panel (all 12
heads of a layer, each [query, key]), under one view state.

The view state's slice is the first panel's; panel ``i`` shows the same slice with the
faceted axis at index ``i``. The other hidden axes still step with ``[ ]`` and ``{ }``.
"""

from __future__ import annotations

from dataclasses import replace

from tuiheat.core.labels import sanitize
from tuiheat.core.tensor import SliceError, SliceSpec, Tensor, axis_index

MAX_FACETS = 64  # panels of one axis; a longer axis is stepped with [ ] instead


class FacetError(SliceError):
    """An axis that cannot be laid out as panels: the message says which can."""


def facet_axis(tensor: Tensor, spec: SliceSpec, token: str) -> int:
    """The axis named (``head``) or numbered (``1``) by ``token``, if it can be faceted."""
    if tensor.ndim < 3:
        raise FacetError(f"panels need an array of 3 or more axes; this one is {tensor.ndim}-D")
    axis = axis_index(tensor, token)
    if axis in (spec.rows, spec.cols):
        raise FacetError(
            f"{sanitize(tensor.names[axis])} is on screen; facet one of the other axes: "
            f"{', '.join(sanitize(tensor.names[a]) for a, _, _ in spec.hidden)}"
        )
    n = tensor.shape[axis]
    if n > MAX_FACETS:
        raise FacetError(
            f"{sanitize(tensor.names[axis])} has {n} indices; panels are for at most "
            f"{MAX_FACETS} (step through it with [ ] instead)"
        )
    return axis


def facet_spec(spec: SliceSpec, axis: int, index: int) -> SliceSpec:
    """``spec`` with the faceted axis at ``index`` (whatever it was set to)."""
    hidden = tuple((a, "index", index) if a == axis else (a, how, i) for a, how, i in spec.hidden)
    return replace(spec, hidden=hidden)


def facet_labels(tensor: Tensor, axis: int) -> list[str]:
    """Each index of the axis by its label, or its number."""
    labels = tensor.labels[axis] or [str(i) for i in range(tensor.shape[axis])]
    return [sanitize(label) for label in labels]


def facet_names(tensor: Tensor, axis: int) -> list[str]:
    """``head 0``, ``head 1``… (or the axis's labels: ``layer emb``, ``layer 1``…)."""
    name = sanitize(tensor.names[axis])
    return [f"{name} {label}" for label in facet_labels(tensor, axis)]


def free_hidden(spec: SliceSpec, facet: int | None) -> list[int]:
    """Positions in ``spec.hidden`` of the axes ``[ ]`` and ``{ }`` step: all but the facet."""
    return [i for i, (axis, _, _) in enumerate(spec.hidden) if axis != facet]


def next_facet(tensor: Tensor, spec: SliceSpec, current: int | None) -> int | None:
    """The ``f`` key: the hidden axis nearest the ones on screen (the heads of
    ``[layer, head, q, k]``), then the one before it, …, then none."""
    axes = [a for a, _, _ in reversed(spec.hidden) if tensor.shape[a] <= MAX_FACETS]
    if current is None or current not in axes:
        return axes[0] if axes and current is None else None
    rest = axes[axes.index(current) + 1 :]
    return rest[0] if rest else None
