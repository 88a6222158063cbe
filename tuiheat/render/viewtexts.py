"""The viewer's words as pure functions of the model: the readout of the cursor's cell and
the document's title (which slice, which panels)."""

from __future__ import annotations

from rich.text import Text

from tuiheat.core.facets import facet_labels
from tuiheat.core.panes import PaneSet
from tuiheat.core.tensor import default_spec, describe
from tuiheat.core.viewstate import ViewState
from tuiheat.render.readout import cell_readout
from tuiheat.render.texts import facets_readout, panes_readout


def readout_text(panes: PaneSet, state: ViewState) -> Text:
    """What the cursor is on: one value, or one per pane (and the differences under D)."""
    row, col = state.cursor.cell
    zoom = state.zoom
    first = panes.first
    if panes.kind == "one":
        text = cell_readout(panes.shown[0].view(zoom), row, col)
    else:
        values = panes.values_at(state.cursor, zoom)
        if panes.kind == "facets":
            axis = first.tensor.names[panes.facet]
            labels = facet_labels(first.tensor, panes.facet)
            text = facets_readout(first.view(zoom), row, col, axis, labels, values)
        else:
            shown = panes.shown if panes.diff else ()
            diffs = [p.view(zoom).value(row, col) for p in shown]
            text = panes_readout(first.view(zoom), row, col, values, diffs)
    if not zoom.is_identity:
        text.append(f" ({zoom.reducer} of {zoom.row_factor}×{zoom.col_factor})", style="dim")
    return text


def doc_title(panes: PaneSet, state: ViewState, title: str, array_name: str) -> str:
    """An N-D array's title says which slice (or which panels) is on screen; a 2-D one (or
    an array back on its own axes) has its own title."""
    first = panes.first
    if first.tensor.ndim > 2 or state.spec != default_spec(first.tensor):
        text = describe(first.tensor, state.spec, array_name, panes.facet)
    else:
        text = title or first.matrix.title or "tuiheat"
    return passes_now(first.tensor.source, text)


def passes_now(source: object, title: str) -> str:
    """A title that names the dask cluster (``· dask: ADDRESS · 2 workers``) says, once its
    passes failed and are made here instead, that they are."""
    where = getattr(source, "where", "")
    if where and getattr(getattr(source, "reducer", None), "failed", ""):
        return title.replace(where, "dask failed: passes made here")
    return title
