"""Small multiples: every index of one hidden axis as a panel, under one view state."""

from __future__ import annotations

import numpy as np
import pytest

from tuiheat.core.facets import (
    MAX_FACETS,
    FacetError,
    facet_axis,
    facet_names,
    facet_spec,
    free_hidden,
    next_facet,
)
from tuiheat.core.panes import PaneSet
from tuiheat.core.tensor import SliceError, Tensor, default_spec, step_hidden
from tuiheat.core.viewport import Cursor
from tuiheat.core.zoom import Zoom

RNG = np.random.default_rng(3)
ATTN = Tensor(RNG.random((2, 4, 5, 5)), names=("layer", "head", "query", "key"))


def test_an_axis_is_named_or_numbered_and_must_be_hidden() -> None:
    spec = default_spec(ATTN)
    assert facet_axis(ATTN, spec, "head") == facet_axis(ATTN, spec, "1") == 1
    with pytest.raises(
        FacetError, match="query is on screen; facet one of the other axes: layer, head"
    ):
        facet_axis(ATTN, spec, "query")
    with pytest.raises(SliceError, match="no axis 'heads'"):
        facet_axis(ATTN, spec, "heads")
    with pytest.raises(FacetError, match="3 or more axes; this one is 2-D"):
        facet_axis(Tensor(RNG.random((3, 3))), default_spec(Tensor(RNG.random((3, 3)))), "0")
    long = Tensor(np.zeros((MAX_FACETS + 1, 2, 2)))
    with pytest.raises(FacetError, match=f"has {MAX_FACETS + 1} indices"):
        facet_axis(long, default_spec(long), "0")


def test_each_panel_is_the_slice_at_its_index() -> None:
    spec = step_hidden(ATTN, default_spec(ATTN), 0, 1)  # layer 1
    panes = PaneSet.facets(ATTN, spec, 1)
    assert panes.facet == 1 and len(panes.panes) == 4
    assert [p.name for p in panes.panes] == ["head 0", "head 1", "head 2", "head 3"]
    for head, pane in enumerate(panes.panes):
        np.testing.assert_array_equal(pane.matrix.as_float(), ATTN.values[1, head])
    values = panes.values_at(Cursor(2, 3, 5, 5), Zoom())
    assert values == tuple(ATTN.values[1, h, 2, 3] for h in range(4))
    assert panes.tensors == (ATTN,)  # one range over the one tensor, not four
    assert panes.toggled_diff() is panes  # no differences between slices of one array


def test_the_other_axes_still_step_and_slicing_keeps_the_panels() -> None:
    spec = facet_spec(default_spec(ATTN), 1, 0)
    assert free_hidden(spec, 1) == [0]  # [ ] steps the layer, not the faceted head
    stepped = step_hidden(ATTN, spec, free_hidden(spec, 1)[0], 1)
    panes = PaneSet.facets(ATTN, spec, 1).sliced(stepped, readable=True)
    assert panes.facet == 1 and len(panes.panes) == 4
    np.testing.assert_array_equal(panes.panes[3].matrix.as_float(), ATTN.values[1, 3])


def test_the_panels_take_the_axis_labels_when_it_has_them() -> None:
    named = Tensor(
        RNG.random((3, 2, 2)), names=("layer", "q", "k"), labels=(("emb", "l1", "l2"), None, None)
    )
    assert facet_names(named, 0) == ["layer emb", "layer l1", "layer l2"]


def test_f_goes_from_the_axis_nearest_the_screen_outwards_then_off() -> None:
    spec = default_spec(ATTN)
    assert next_facet(ATTN, spec, None) == 1  # heads first
    assert next_facet(ATTN, spec, 1) == 0  # then layers
    assert next_facet(ATTN, spec, 0) is None  # then off
    flat = Tensor(RNG.random((3, 3)))
    assert next_facet(flat, default_spec(flat), None) is None
