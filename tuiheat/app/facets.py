"""The ``f`` key as a pure step: every index of a hidden axis as a panel (all heads of a
layer), the next axis, then off."""

from __future__ import annotations

from dataclasses import dataclass, replace

from tuiheat.core.facets import MAX_FACETS, facet_spec, next_facet
from tuiheat.core.panes import PaneSet
from tuiheat.core.tensor import SliceSpec
from tuiheat.core.viewstate import ViewState
from tuiheat.session.config import ViewerConfig


@dataclass(frozen=True)
class FacetView:
    panes: PaneSet
    state: ViewState
    config: ViewerConfig


def cycled(
    panes: PaneSet,
    state: ViewState,
    config: ViewerConfig,
    undo: dict[str, bool],
    before: SliceSpec | None = None,
) -> FacetView | str:
    """The next axis as panels (the one nearest those on screen first), then none; or why
    not. ``undo``: the state as it was before panels made room for themselves; ``before``:
    the slice on screen before the first panels (the head shown then comes back)."""
    if len(panes.tensors) > 1:
        return "Each file is a panel already; f lays out one array's axis."
    tensor = panes.first.tensor
    axis = next_facet(tensor, state.spec, panes.facet)
    if axis is None and panes.kind != "facets":
        why = "is 2-D" if tensor.ndim < 3 else f"has no hidden axis of {MAX_FACETS} or fewer"
        return f"No axis to lay out as panels: this array {why}."
    readable = not state.raw_tokens
    if axis is None:  # one matrix again: as it was before the panels made room
        spec = before if before is not None else state.spec
        new = PaneSet.of([tensor], [config.sources[0].name], spec, readable)
        state = replace(state, **undo).sliced(spec, new.first.matrix.shape)
    else:
        spec = facet_spec(state.spec, axis, 0)
        new = PaneSet.facets(tensor, spec, axis, readable)
        state = state.sliced(spec, new.first.matrix.shape)
    return FacetView(new, state, replace(config, facet=axis))
