"""What the heat view's box, half-block and N-D keys do, as values: each function takes the
view state (and the panes) and returns an ``Outcome``, the next state or slice and what
to tell the user, so the keys' rules are tested without a terminal and the widget only
applies them."""

from __future__ import annotations

from dataclasses import dataclass

from tuiheat.core.facets import free_hidden
from tuiheat.core.panes import PaneSet
from tuiheat.core.tensor import SliceSpec, cycle_reduction, slice_trouble, step_hidden
from tuiheat.core.viewstate import ViewState
from tuiheat.render.readout import box_named


@dataclass(frozen=True)
class Outcome:
    """The next state (None: it stays), or another slice, and a notice (empty: none)."""

    state: ViewState | None = None
    spec: SliceSpec | None = None
    notice: str = ""
    warning: bool = False
    timeout: float | None = 3  # None: the App's default


def _last_deleted(state: ViewState, panes: PaneSet) -> str:
    index, box = state.deleted[-1]
    return box_named(panes.shown[0].matrix, box, index + 1)


def delete_box(state: ViewState, panes: PaneSet) -> Outcome:
    """x: the box under the cursor goes (u brings it back)."""
    new, gone = state.without_box_at_cursor()
    if gone is None:
        return Outcome(notice="No box under the cursor.", warning=True)
    said = _last_deleted(new, panes)
    return Outcome(new, notice=f"Deleted {said}; u brings it back.", timeout=4)


def undo_delete(state: ViewState, panes: PaneSet) -> Outcome:
    """u: the last box deleted comes back."""
    if not state.deleted:
        return Outcome(notice="No deleted box to bring back.", warning=True)
    said = _last_deleted(state, panes)
    return Outcome(state.with_last_deleted(), notice=f"Restored {said}.")


def next_box(state: ViewState, direction: int) -> Outcome:
    """n / N: the cursor to the next (previous) box."""
    if not state.boxes:
        return Outcome(notice="There are no boxes; b draws one.", warning=True)
    return Outcome(state.next_box(direction))


def toggle_half(state: ViewState, supports_half: bool) -> Outcome:
    """H: two rows a line in ``▀`` glyphs (they need colour)."""
    if not supports_half:
        return Outcome(
            notice="Half blocks need colour (this terminal shows none).", warning=True, timeout=None
        )
    new = state.toggled("half")
    if new.half and new.boxes:
        said = "Box frames are not drawn with half blocks; the box line still reads them."
        return Outcome(new, notice=said, timeout=None)
    return Outcome(new)


def step_axis(state: ViewState, panes: PaneSet, which: int, delta: int) -> Outcome:
    """[ ] step the first hidden axis, { } the second (wrapping around); the axis laid out
    as panels is not stepped."""
    spec = state.spec
    free = free_hidden(spec, panes.facet)
    if which >= len(free):
        hidden = "no hidden axis" if not free else "only one hidden axis"
        return Outcome(notice=f"This array has {hidden} to step through.")
    return Outcome(spec=step_hidden(panes.first.tensor, spec, free[which], delta))


def cycle_axis_reduction(state: ViewState, panes: PaneSet) -> Outcome:
    """a: the first hidden axis by index, its mean, its max."""
    free = free_hidden(state.spec, panes.facet)
    if not free:
        return Outcome(notice="This array has no hidden axis to reduce.")
    spec = cycle_reduction(state.spec, free[0])
    trouble = slice_trouble(panes.first.tensor, spec)
    if trouble:  # a store too big to reduce in memory: the slice stays
        return Outcome(notice=f"{trouble[0].upper()}{trouble[1:]}.", warning=True, timeout=8)
    return Outcome(spec=spec)
