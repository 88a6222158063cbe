"""Attention weights told from other grids by their values: square, non-negative, rows of 1."""

from __future__ import annotations

import numpy as np
import pytest

from tuiheat.core.attention import attention_roles, looks_like_attention, name_attention
from tuiheat.core.tensor import SliceError, Tensor, axis_index, describe, slice_matrix
from tuiheat.core.tensor import default_spec as spec_of

RNG = np.random.default_rng(7)


def softmax(shape: tuple[int, ...], dtype: str = "float32") -> np.ndarray:
    scores = RNG.normal(size=shape) * 3
    weights = np.exp(scores - scores.max(axis=-1, keepdims=True))
    return (weights / weights.sum(axis=-1, keepdims=True)).astype(dtype)


def test_softmax_weights_look_like_attention_and_other_grids_do_not() -> None:
    assert looks_like_attention(softmax((8, 12, 24, 24)))
    assert looks_like_attention(softmax((24, 24), "float16"))
    causal = np.tril(np.ones((5, 5))) / np.arange(1, 6)[:, None]
    assert looks_like_attention(causal)
    assert not looks_like_attention(softmax((6, 17)))  # a [layers, tokens] summary: not square
    assert not looks_like_attention(RNG.random((24, 24)))  # rows sum to ~12
    assert not looks_like_attention(softmax((24, 24)) - 0.01)  # negative values
    assert not looks_like_attention(np.eye(4, dtype=np.int64))  # 0/1 integers: not weights
    nan = softmax((4, 4))
    nan[1, 1] = np.nan
    assert not looks_like_attention(nan)


def test_only_the_first_rows_of_a_big_slice_are_read(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tuiheat.core import attention

    path = tmp_path / "big.npy"
    values = softmax((4, 32, 32))
    values[0, 20:] = 5.0  # rows past the budget are not looked at
    np.save(path, values)
    mapped = np.load(path, mmap_mode="r")
    assert not looks_like_attention(mapped)
    budget = attention.ATTENTION_CHECK
    try:
        attention.ATTENTION_CHECK = 16 * 32
        assert looks_like_attention(mapped)
    finally:
        attention.ATTENTION_CHECK = budget


def test_the_axes_of_attention_by_their_number() -> None:
    roles = attention_roles(softmax((8, 12, 24, 24)))
    assert roles is not None and roles.guessed == ("layer", "head", "query", "key")
    assert roles.known == ("", "", "query", "key")  # the outer axes are only the usual order
    three = attention_roles(softmax((12, 24, 24)))
    assert three is not None and three.guessed == ("head", "query", "key")
    assert attention_roles(softmax((2, 8, 12, 6, 6))) is None  # 5-D: no usual order to guess
    assert attention_roles(RNG.random((8, 12, 24, 24))) is None


def test_unnamed_attention_is_named_and_faceted_by_head() -> None:
    from tuiheat.core.facets import facet_axis

    tensor = name_attention(Tensor(softmax((8, 12, 24, 24))))
    assert tensor.names == ("layer", "head", "query", "key")
    spec = spec_of(tensor)
    assert facet_axis(tensor, spec, "head") == 1
    assert (
        describe(tensor, spec, "attn.npy")
        == "attn.npy [8,12,24,24] · layer 0 · head 0 · query × key"
    )
    square = name_attention(Tensor(softmax((24, 24))))
    assert square.names == ("Query", "Key")  # 2-D names are capitalised as the defaults are
    matrix = slice_matrix(square, spec_of(square))
    assert (matrix.row_title, matrix.col_title) == ("Query", "Key")


def test_other_arrays_keep_their_names() -> None:
    generic = Tensor(RNG.normal(size=(8, 12, 24, 24)))
    assert name_attention(generic) is generic
    summary = Tensor(softmax((30, 19)))
    assert name_attention(summary).names == ("Layer", "Token")
    named = Tensor(softmax((2, 5, 5)), names=("batch", "q", "k"))
    assert name_attention(named) is named  # names given by the file stand


@pytest.mark.parametrize(
    ("shape", "example"),
    [
        ((8, 12, 24, 24), "--names layer,head,query,key"),
        ((12, 24, 24), "--names head,query,key"),
        ((30, 19), "--names query,key"),
        ((2, 3, 4, 5, 6, 7), "--names a0,a1,a2,a3,a4,a5"),
    ],
)
def test_an_unknown_axis_of_unnamed_axes_suggests_names(
    shape: tuple[int, ...], example: str
) -> None:
    with pytest.raises(SliceError, match=f"no axis 'head'; .*; name them, e.g. {example}$"):
        axis_index(Tensor(np.zeros(shape)), "head")


def test_named_axes_need_no_suggestion() -> None:
    tensor = Tensor(np.zeros((2, 3, 4)), names=("layer", "position", "unit"))
    with pytest.raises(SliceError) as err:
        axis_index(tensor, "head")
    assert str(err.value) == "no axis 'head'; axes: layer, position, unit"
