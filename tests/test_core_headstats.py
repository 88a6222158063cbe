"""Head statistics against a direct numpy reference, on causal and non-causal patterns."""

from __future__ import annotations

import numpy as np
import pytest

from tuiheat.core.blocks import Cancelled
from tuiheat.core.headstats import (
    HEAD_STATS,
    HeadAxes,
    head_spec,
    head_summary,
    summary_tensor,
)
from tuiheat.core.tensor import SliceError, Tensor


def patterns(shape: tuple[int, int, int, int], causal: bool, seed: int = 0) -> np.ndarray:
    """Rows that sum to 1 (softmax of random scores), masked above the diagonal if causal."""
    rng = np.random.default_rng(seed)
    scores = rng.normal(size=shape) * 3
    if causal:
        q, k = np.indices(shape[2:])
        scores = np.where(k > q, -np.inf, scores)
    p = np.exp(scores - scores.max(axis=-1, keepdims=True))
    return p / p.sum(axis=-1, keepdims=True)


def reference(p: np.ndarray, stat: str) -> np.ndarray:
    """One head at a time, the definition written out; rows holding NaN left out."""
    p = p.astype(np.float64)
    out = np.empty(p.shape[:2])
    n_q, n_k = p.shape[2:]
    for layer, head in np.ndindex(*p.shape[:2]):
        a = p[layer, head]
        rows = [q for q in range(n_q) if not np.isnan(a[q]).any()]
        if stat == "entropy":
            with np.errstate(divide="ignore", invalid="ignore"):
                terms = np.where(a > 0, a * np.log(a), 0.0)
            out[layer, head] = np.mean(-terms[rows].sum(axis=1))
        elif stat == "max":
            out[layer, head] = np.mean(a[rows].max(axis=1))
        elif stat == "first":
            out[layer, head] = np.mean(a[rows, 0])
        elif stat == "prev":
            out[layer, head] = np.mean([a[q, q - 1] for q in rows if 1 <= q <= n_k])
        else:
            out[layer, head] = np.mean([a[q, q] for q in rows if q < n_k])
    return out


@pytest.mark.parametrize("stat", list(HEAD_STATS))
@pytest.mark.parametrize("causal", [True, False], ids=["causal", "full"])
@pytest.mark.parametrize("dtype", [np.float32, np.float16])
def test_every_statistic_matches_the_definition(stat: str, causal: bool, dtype: type) -> None:
    p = patterns((3, 4, 17, 17), causal).astype(dtype)
    found = head_summary(p, stat, chunk_bytes=5 * 17 * p.dtype.itemsize)  # 5 rows a block
    expected = reference(p.astype(np.float32), stat)
    np.testing.assert_allclose(found.values, expected, rtol=0, atol=1e-6)
    assert found.skipped_rows == 0 and found.values.shape == (3, 4)


def test_more_queries_than_keys_and_the_other_way_round() -> None:
    for shape in ((1, 2, 9, 5), (1, 2, 5, 9)):
        p = patterns(shape, causal=False, seed=1)
        for stat in HEAD_STATS:
            np.testing.assert_allclose(
                head_summary(p, stat, chunk_bytes=16).values, reference(p, stat), atol=1e-6
            )


def test_rows_of_nan_are_left_out_and_counted() -> None:
    p = patterns((2, 2, 6, 6), causal=True)
    p[0, 1, 3] = np.nan  # one padded query
    p[1, 0] = np.nan  # a whole head
    found = head_summary(p, "max")
    kept = np.delete(p[0, 1], 3, axis=0)
    assert found.values[0, 1] == pytest.approx(kept.max(axis=1).mean(), abs=1e-6)
    assert np.isnan(found.values[1, 0]) and found.skipped_rows == 1 + 6


def test_a_pass_reports_progress_and_stops_when_asked() -> None:
    p = patterns((2, 3, 4, 4), causal=False)
    said: list[float] = []
    head_summary(p, "first", progress=said.append)
    assert said[-1] == 1.0 and said == sorted(said) and len(said) == 6
    with pytest.raises(Cancelled):
        head_summary(p, "first", cancelled=lambda: True)


def test_a_memory_mapped_tensor_is_read_in_blocks(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "attn.npy"
    np.save(path, patterns((2, 2, 64, 64), causal=True).astype(np.float16))
    mapped = np.load(path, mmap_mode="r")
    found = head_summary(mapped, "prev", chunk_bytes=1024)  # 8 rows a block
    np.testing.assert_allclose(found.values, reference(np.asarray(mapped), "prev"), atol=1e-6)


def test_bad_requests_say_what_is_wrong() -> None:
    with pytest.raises(ValueError, match="choose from entropy"):
        head_summary(np.zeros((1, 1, 2, 2)), "median")
    with pytest.raises(ValueError, match=r"\[layers, heads, query, key\]"):
        head_summary(np.zeros((2, 2, 2)), "max")


def _odd_rows(dtype: type) -> np.ndarray:
    """Patterns whose rows hold NaN, infinity, negative values and −0 besides plain ones."""
    p = patterns((1, 2, 8, 8), causal=True, seed=3).astype(dtype)
    p[0, 0, 2, 1] = np.nan
    p[0, 0, 3, 0] = np.inf
    p[0, 1, 4, 2] = -0.25
    p[0, 1, 5, 7] = -0.0
    return p


@pytest.mark.parametrize("stat", list(HEAD_STATS))
@pytest.mark.parametrize("dtype", [np.float16, np.float32])
def test_rows_with_nan_infinity_or_signs_are_read_the_plain_way(stat: str, dtype: type) -> None:
    p = _odd_rows(dtype)
    found = head_summary(p, stat, chunk_bytes=3 * 8 * p.dtype.itemsize)
    np.testing.assert_allclose(found.values, reference(p.astype(np.float32), stat), atol=1e-6)
    assert found.skipped_rows == 1


def test_every_finite_float16_value_is_widened_exactly() -> None:
    """Subnormals, normals and the largest value: each word below infinity's, 1024 a row."""
    words = np.arange(0x7C00, dtype=np.uint16).reshape(31, 1024)
    p = words.view(np.float16)[None, None]
    for stat in HEAD_STATS:
        found = head_summary(p, stat)
        exact = 1e-7 if stat == "entropy" else 1e-12  # terms in float32: within 1e-7 each
        np.testing.assert_allclose(found.values, reference(p, stat), rtol=exact, atol=0)


def test_bfloat16_words_are_read_as_their_values() -> None:
    from tuiheat.core.filerows import BFLOAT16, decoded

    p = patterns((2, 2, 9, 9), causal=True, seed=4).astype(np.float32)
    p[1, 1, 4, 0] = np.nan
    words = (p.view(np.uint32) >> 16).astype(np.uint16).view(BFLOAT16)
    values = decoded(words)
    for stat in HEAD_STATS:
        found = head_summary(words, stat, chunk_bytes=4 * 9 * 2)
        np.testing.assert_allclose(found.values, reference(values, stat), atol=1e-6)
        assert found.skipped_rows == 1


# --- which axes are which, the summary as a tensor, one head's slice -------------------


def _tensor(shape: tuple[int, ...], names: tuple[str, ...] = (), **kw: object) -> Tensor:
    return Tensor(np.arange(np.prod(shape), dtype=np.float32).reshape(shape), names, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (("layer", "head", "query", "key"), (0, 1, 2, 3)),
        (("layers", "heads", "q", "k"), (0, 1, 2, 3)),
        (("key", "query", "head", "layer"), (3, 2, 1, 0)),
        (("head", "layer", "k_pos", "q_pos"), (1, 0, 3, 2)),
    ],
)
def test_axes_are_found_by_their_names(names: tuple[str, ...], expected: tuple[int, ...]) -> None:
    assert HeadAxes.of(_tensor((2, 2, 3, 3), names)).roles == expected


def test_names_given_on_the_command_line_count() -> None:
    tensor = _tensor((3, 2, 5, 5)).with_names(["k", "head", "q", "layer"])  # --names k,head,q,layer
    assert HeadAxes.of(tensor) == HeadAxes(layer=3, head=1, query=2, key=0)


def test_unnamed_axes_are_read_in_the_order_of_model_outputs() -> None:
    assert HeadAxes.of(_tensor((6, 12, 17, 17))).roles == (0, 1, 2, 3)
    stacked = HeadAxes.of(_tensor((6, 1, 12, 17, 17)))  # HuggingFace: [layer, batch, head, q, k]
    assert stacked.roles == (0, 2, 3, 4) and stacked.others(5) == (1,)
    named = _tensor((6, 1, 12, 5, 5), ("layer", "batch", "head", "q", "k"))
    assert HeadAxes.of(named).others(5) == (1,)


@pytest.mark.parametrize(
    ("shape", "names", "message"),
    [
        ((4, 5), (), r"no head, query or key axis among Layer, Token: name the axes with --names"),
        ((12, 17, 17), (), r"key axes; this 3-D array has 3 \(dim0, dim1, dim2\)$"),
        (
            (6, 2, 12, 5, 5),
            (),
            r"an axis more: dim1 \(length 2\); name the axes, e.g. "
            r"--names layer,batch,head,query,key --slice batch=0",
        ),
        ((6, 2, 12, 5, 5), ("layer", "batch", "head", "q", "k"), r"axis batch \(length 2\)"),
        ((6, 12, 17, 9), (), r"\(dim2, dim3\) differ in length \(17 × 9\)"),
        (
            (2, 2, 3, 3),
            ("q", "head", "query", "k"),
            r"two axes read as the query axis \(q, query\)",
        ),
    ],
)
def test_tensors_without_the_four_axes_are_refused_in_one_line(
    shape: tuple[int, ...], names: tuple[str, ...], message: str
) -> None:
    with pytest.raises(SliceError, match=message) as caught:
        HeadAxes.of(_tensor(shape, names))
    assert "\n" not in str(caught.value)


def test_the_summary_tensor_is_the_summary_of_the_patterns_in_order() -> None:
    p = patterns((3, 4, 6, 6), causal=True, seed=5)
    p[1, 2, 4] = np.nan
    moved = np.ascontiguousarray(np.transpose(p, (3, 2, 1, 0)))[:, :, None]  # k, q, 1, head, layer
    layers = ("L0", "L1", "L2")
    tensor = Tensor(
        np.moveaxis(moved, 2, 4),
        ("key", "query", "head", "layer", "batch"),
        (None, None, None, layers, None),
        title="attn",
    )
    axes = HeadAxes.of(tensor)
    summary = summary_tensor(tensor, axes, "max")
    np.testing.assert_array_equal(summary.values, head_summary(p, "max").values)
    assert summary.values.dtype == np.float64 and summary.shape == (3, 4)
    assert summary.names == ("layer", "head") and summary.labels == (layers, None)
    assert summary.title == "attn: max per head"
    assert summary.notes == ("1 query row held NaN and was left out",)
    plain = summary_tensor(_tensor((1, 2, 3, 3)), HeadAxes(0, 1, 2, 3), "entropy")
    assert plain.title == "entropy per head" and plain.notes == ()


def test_a_memory_mapped_summary_reads_the_file_not_the_mapping(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from tuiheat.core.filerows import FileRows

    path = tmp_path / "attn.npy"
    p = patterns((2, 3, 16, 16), causal=True).astype(np.float16)
    np.save(path, p[:, None])  # [layer, batch, head, q, k]
    mapped = np.load(path, mmap_mode="r")
    reads: list[int] = []
    real = FileRows.whole_rows
    monkeypatch.setattr(
        FileRows,
        "whole_rows",
        lambda self, a, b, into: reads.append(b - a) or real(self, a, b, into),
    )
    summary = summary_tensor(Tensor(mapped), HeadAxes.of(Tensor(mapped)), "entropy")
    np.testing.assert_allclose(summary.values, reference(p, "entropy"), atol=1e-6)
    assert sum(reads) == 2 * 3 * 16  # every query row of every head, read once


def test_one_heads_slice_is_its_query_by_key_pattern() -> None:
    from tuiheat.core.tensor import slice_values

    values = np.arange(2 * 1 * 3 * 4 * 4, dtype=np.float32).reshape(2, 1, 3, 4, 4)
    tensor = Tensor(values)
    axes = HeadAxes.of(tensor)
    spec = head_spec(tensor, axes, 1, 2)
    assert (spec.rows, spec.cols) == (3, 4)
    assert spec.hidden == ((0, "index", 1), (1, "index", 0), (2, "index", 2))
    np.testing.assert_array_equal(slice_values(tensor, spec), values[1, 0, 2])
    flipped = Tensor(np.transpose(values[:, 0], (3, 1, 0, 2)), ("key", "head", "layer", "query"))
    spec = head_spec(flipped, HeadAxes.of(flipped), 1, 2)
    np.testing.assert_array_equal(slice_values(flipped, spec), values[1, 0, 2])
