"""Head statistics against a direct numpy reference, on causal and non-causal patterns."""

from __future__ import annotations

import numpy as np
import pytest

from tuiheat.core.blocks import Cancelled
from tuiheat.core.headstats import HEAD_STATS, head_summary


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
    """One head at a time, the definition written out."""
    p = p.astype(np.float64)
    out = np.empty(p.shape[:2])
    n_q, n_k = p.shape[2:]
    for layer, head in np.ndindex(*p.shape[:2]):
        a = p[layer, head]
        if stat == "entropy":
            with np.errstate(divide="ignore", invalid="ignore"):
                terms = np.where(a > 0, a * np.log(a), 0.0)
            out[layer, head] = np.mean(-terms.sum(axis=1))
        elif stat == "max":
            out[layer, head] = np.mean(a.max(axis=1))
        elif stat == "first":
            out[layer, head] = np.mean(a[:, 0])
        elif stat == "prev":
            out[layer, head] = np.mean([a[q, q - 1] for q in range(1, n_q) if q - 1 < n_k])
        else:
            out[layer, head] = np.mean([a[q, q] for q in range(n_q) if q < n_k])
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
