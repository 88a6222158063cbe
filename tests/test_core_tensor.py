"""Axis selection and reduction arithmetic against numpy; label display rules."""

from __future__ import annotations

import numpy as np
import pytest

from tuiheat.core.labels import readable_token
from tuiheat.core.tensor import (
    SliceError,
    Tensor,
    cycle_reduction,
    default_spec,
    describe,
    parse_axes,
    parse_slice,
    slice_matrix,
    slice_text,
    step_hidden,
    transpose,
)


@pytest.fixture
def attn() -> Tensor:
    values = np.random.default_rng(2).random((3, 4, 5, 5))
    values[1, 2, 0, 0] = np.nan
    tokens = ("<s>", "Ġthe", "Ġcat", "Ċ", "</s>")
    return Tensor(values, ("layer", "head", "q", "k"), (None, None, tokens, tokens))


def test_default_is_the_last_two_axes(attn: Tensor) -> None:
    spec = default_spec(attn)
    m = slice_matrix(attn, spec)
    np.testing.assert_array_equal(m.values, attn.values[0, 0])
    assert (m.row_title, m.col_title) == ("q", "k")
    assert m.col_labels == ("<s>", "␣the", "␣cat", "↵", "</s>")
    assert describe(attn, spec, "attn") == "attn [3,4,5,5] · layer 0 · head 0 · q × k"


def test_index_mean_max_and_transpose(attn: Tensor) -> None:
    v = attn.values
    spec = parse_slice(attn, default_spec(attn), "layer=2,head=mean")
    np.testing.assert_allclose(slice_matrix(attn, spec).values, v[2].mean(axis=0))
    spec = parse_slice(attn, spec, "layer=1,head=max")
    expected = np.nanmax(v[1], axis=0)
    np.testing.assert_allclose(slice_matrix(attn, spec).values, expected)
    spec = parse_slice(attn, parse_axes(attn, "layer,k"), "head=mean,q=Ġcat")
    np.testing.assert_allclose(slice_matrix(attn, spec).values, np.nanmean(v[:, :, 2, :], axis=1))
    np.testing.assert_allclose(
        slice_matrix(attn, transpose(spec)).values, np.nanmean(v[:, :, 2, :], axis=1).T
    )


def test_mean_over_two_axes(attn: Tensor) -> None:
    spec = parse_slice(attn, default_spec(attn), "layer=mean,head=mean")
    np.testing.assert_allclose(
        slice_matrix(attn, spec).values, np.nanmean(attn.values, axis=(0, 1)), rtol=1e-12
    )


def test_stepping_wraps_and_reductions_cycle(attn: Tensor) -> None:
    spec = default_spec(attn)
    assert step_hidden(attn, spec, 0, -1).setting(0) == ("index", 2)
    assert step_hidden(attn, spec, 1, 5).setting(1) == ("index", 1)
    cycled = cycle_reduction(spec)
    assert cycled.setting(0)[0] == "mean"
    assert cycle_reduction(cycle_reduction(cycled)).setting(0)[0] == "index"
    assert step_hidden(attn, spec, 2, 1) == spec  # there is no third hidden axis


@pytest.mark.parametrize(
    ("axes", "slice_", "message"),
    [
        ("q", "", "two axes"),
        ("q,q", "", "must differ"),
        ("q,nope", "", "no axis 'nope'"),
        ("q,k", "q=1", "displayed"),
        ("q,k", "layer", "AXIS=VALUE"),
        ("q,k", "layer=9", "outside"),
    ],
)
def test_bad_requests(attn: Tensor, axes: str, slice_: str, message: str) -> None:
    with pytest.raises(SliceError, match=message):
        spec = parse_axes(attn, axes)
        parse_slice(attn, spec, slice_)


def test_tokens_fit_every_axis_of_their_length() -> None:
    t = Tensor(np.zeros((2, 3, 3))).with_tokens(["a", "b", "c"])
    assert t.labels == (None, ("a", "b", "c"), ("a", "b", "c"))
    with pytest.raises(SliceError, match="fit no axis"):
        t.with_tokens(["x"] * 7)


def test_text_grid_follows_the_slice() -> None:
    values = np.arange(24.0).reshape(2, 3, 4)
    text = np.array([[[f"t{i}{j}{k}" for k in range(4)] for j in range(3)] for i in range(2)])
    t = Tensor(values, text=text)
    spec = parse_slice(t, default_spec(t), "dim0=1")
    assert slice_text(t, spec)[2, 3] == "t123"  # type: ignore[index]
    assert slice_text(t, cycle_reduction(default_spec(t))) is None  # a mean has no single text


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("Ġthe", "␣the"),
        ("▁the", "␣the"),
        ("Ċ", "↵"),
        ("<0x0A>", "↵"),
        ("[CLS]", "[CLS]"),
        ("<|im_start|>", "<|im_start|>"),
    ],
)
def test_readable_tokens(raw: str, shown: str) -> None:
    assert readable_token(raw) == shown


def test_text_grid_shows_tokens_as_the_axes_do() -> None:
    from dataclasses import replace

    from tuiheat.core.tensor import slice_text

    tensor = replace(Tensor(np.zeros((2, 2))), text=np.array([["\n", " the"], ["Ġa", "[CLS]"]]))
    spec = default_spec(tensor)
    assert slice_text(tensor, spec).tolist() == [["↵", "␣the"], ["␣a", "[CLS]"]]
    assert slice_text(tensor, spec, readable=False).tolist() == [["\n", " the"], ["Ġa", "[CLS]"]]


def test_marks_are_sliced_like_the_values_and_dropped_under_a_reduction() -> None:
    from tuiheat.core.marks import HIT, MISS
    from tuiheat.core.tensor import default_spec, parse_slice, slice_marks

    values = np.arange(24.0).reshape(2, 3, 4)
    marks = np.zeros(values.shape, dtype=np.uint8)
    marks[1, 2, 3] = HIT
    marks[0, 0, 0] = MISS
    tensor = Tensor(values, marks=marks)
    spec = parse_slice(tensor, default_spec(tensor), "0=1")
    shown = slice_marks(tensor, spec)
    assert shown is not None and shown.shape == (3, 4)
    assert shown[2, 3] == HIT and shown[0, 0] == 0
    assert slice_marks(tensor, parse_slice(tensor, default_spec(tensor), "0=mean")) is None
    with pytest.raises(SliceError):
        Tensor(values, marks=marks[0])
