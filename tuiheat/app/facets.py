"""The ``f`` key: every index of a hidden axis as a panel (all heads of a layer), the next
axis, then off; and half blocks at the start when they let the panels fit."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from tuiheat.app.panels import fitting_toggles, panel_needs
from tuiheat.core.facets import MAX_FACETS, facet_spec, next_facet
from tuiheat.core.panes import PaneSet

if TYPE_CHECKING:
    from tuiheat.app.viewer import TuiheatApp


class Facets:
    def __init__(self, app: TuiheatApp) -> None:
        self.app = app
        self.changes: dict[str, bool] = {}  # what fit() changed, undone when panels go

    def fit(self) -> None:
        """Panels (of files or of a facet) just laid out: half blocks and/or no margins, if
        that shows more of them (H and s bring them back); the title says so."""
        app = self.app
        view = app.heatview
        panes = view.panes
        if len(panes.panes) == 1 and panes.facet is None:
            self.changes = {}
            return
        colour = app.config.display.color_mode != "none"
        wish = app.chrome.screen.wish
        chosen = frozenset(name for name, value in wish.items() if value is not None)
        need = panel_needs(view, panes)
        changes, _ = fitting_toggles(need, *app.chrome.room, colour, chosen)
        self.changes = {**changes, **self.changes}  # from one axis to the next: the first
        if changes:
            with app.chrome.screen.deciding():
                view.state = replace(app.state, **changes)
            app.chrome.show_info()

    def refit(self) -> None:
        """A new terminal size: decide again as a fresh start at this size would, from the
        state before tuiheat changed it (what the user chose with H or s stays)."""
        app = self.app
        wish = app.chrome.screen.wish
        before = {name: not value for name, value in self.changes.items() if wish[name] is None}
        self.changes = {}
        if any(getattr(app.state, name) != value for name, value in before.items()):
            with app.chrome.screen.deciding():
                app.heatview.state = replace(app.state, **before)
        self.fit()
        if not self.changes:
            app.chrome.show_info()

    def fitted(self) -> tuple[str, ...]:
        """What ``fit`` changed and the user has not taken back: the title says so."""
        state, said = self.app.state, {"half": "half blocks (H)", "margins": "margins off (s)"}
        return tuple(said[n] for n, v in self.changes.items() if getattr(state, n) == v)

    async def cycle(self) -> None:
        """The next axis as panels (the one nearest those on screen first), then none."""
        app = self.app
        panes, state = app.panes, app.state
        assert panes is not None
        if len(panes.tensors) > 1:
            app.notify("Each file is a panel already; f lays out one array's axis.", markup=False)
            return
        tensor = panes.first.tensor
        axis = next_facet(tensor, state.spec, panes.facet)
        if axis is None and panes.facet is None:
            why = "is 2-D" if tensor.ndim < 3 else f"has no hidden axis of {MAX_FACETS} or fewer"
            app.notify(f"No axis to lay out as panels: this array {why}.", markup=False)
            return
        readable = not state.raw_tokens
        if axis is None:  # one matrix again: as it was before fit() made room for panels
            name = app.config.sources[0].name
            new = PaneSet.of([tensor], [name], state.spec, readable)
            state = replace(state, **{k: not v for k, v in self.changes.items()})
            self.changes = {}
        else:
            spec = facet_spec(state.spec, axis, 0)
            new = PaneSet.facets(tensor, spec, axis, readable)
            state = state.sliced(spec, new.first.matrix.shape)
        await app.show_panes(new, state, replace(app.config, facet=axis))
