"""What a viewer screen starts from, decided from its configuration alone (pure): the panes,
the view state and the colour settings, the scale's base range from the data."""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass, replace

from tuiheat.core.boxes import BoxError, resolve_endpoint
from tuiheat.core.colourscale import ScaleSettings, start_range
from tuiheat.core.panes import PaneSet
from tuiheat.core.scale import default_range
from tuiheat.core.tensor import default_spec
from tuiheat.core.viewstate import ViewState
from tuiheat.session.config import ViewerConfig


@dataclass(frozen=True)
class Opening:
    panes: PaneSet
    state: ViewState
    settings: ScaleSettings


def opening(config: ViewerConfig, settings: ScaleSettings) -> Opening:
    """``config``'s sources on screen; ``settings``: the colours kept from the array shown
    before (another array opened from the picker), else ``config.scale()``."""
    tensors = [s.tensor for s in config.sources]
    spec = config.spec or default_spec(tensors[0])
    if config.facet is not None:
        panes = PaneSet.facets(tensors[0], spec, config.facet)
        spec = panes.first.spec
    else:
        panes = PaneSet.of(tensors, [s.name for s in config.sources], spec)
    first = panes.first.matrix
    half = config.half and config.display.color_mode != "none"
    state = replace(ViewState.start(first.shape, spec, config.boxes), half=half)
    if config.as_text:  # the token text of this row (checked by the command line)
        with suppress(BoxError):
            state = state.at(row=resolve_endpoint(config.as_text, first.row_labels, "row"))
    base = config.vrange
    if base is None and (len(tensors) > 1 or config.facet is not None):
        base = start_range(tensors, config.vmin, config.vmax, sample=True)  # one for all
    elif base is None:
        base = default_range(first, config.vmin, config.vmax)
    auto = (config.vmin, config.vmax, first.vmin, first.vmax) == (None,) * 4
    settings = replace(settings.with_base(base), auto=auto, typed=False)
    return Opening(panes, state, settings)
