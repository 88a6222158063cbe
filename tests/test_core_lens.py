"""The logit lens as data, against numpy written out: top-k, softmax, ranks with ties,
tokens followed through every cell, where the answer settles; stored top k and full
distributions (float16 and float32, memory-mapped)."""

from __future__ import annotations

import numpy as np
import pytest

from tuiheat.core.lens import (
    FullLens,
    LensError,
    StoredLens,
    answer_layers,
    first_layers,
    looks_like_logits,
    rank_of,
    softmax,
    top_k,
)

RNG = np.random.default_rng(7)


def reference_softmax(x: np.ndarray) -> np.ndarray:
    x = x.astype(np.float64)
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def test_softmax_and_logits_told_from_probabilities() -> None:
    x = RNG.normal(size=(3, 50)) * 4
    np.testing.assert_allclose(softmax(x), reference_softmax(x), rtol=1e-12)
    assert softmax(np.array([0.0, -np.inf]))[1] == 0.0
    assert np.isnan(softmax(np.array([np.nan, 1.0]))).all()
    assert looks_like_logits(x) and not looks_like_logits(reference_softmax(x))
    assert looks_like_logits(np.abs(x) / 100)  # non-negative but not summing to 1


def test_top_k_is_argsort_with_ties_by_id_and_nan_last() -> None:
    for dtype in (np.float16, np.float32, np.float64):
        x = RNG.normal(size=1000).astype(dtype)
        expected = np.lexsort((np.arange(1000), -x.astype(np.float64)))[:10]
        np.testing.assert_array_equal(top_k(x, 10), expected)
    tied = np.array([0.1, 0.5, 0.5, 0.2, 0.5, np.nan])
    assert top_k(tied, 2).tolist() == [1, 2] and top_k(tied, 4).tolist() == [1, 2, 4, 3]
    assert top_k(tied, 99).tolist() == [1, 2, 4, 3, 0, 5]
    assert top_k(np.array([np.nan, np.nan, 1.0]), 1).tolist() == [2]


def test_rank_counts_strictly_higher_values() -> None:
    x = np.array([0.1, 0.5, 0.5, 0.2, np.nan])
    assert [rank_of(x, i) for i in range(5)] == [4, 1, 1, 3, 0]


def test_answer_layers_and_first_layers() -> None:
    top1 = np.array(
        [  # layers down, positions across
            [1, 7, 3, 5],
            [2, 7, 9, 5],
            [2, 8, 3, 6],
            [2, 7, 3, 5],
        ]
    )
    assert answer_layers(top1).tolist() == [1, 3, 2, 3]  # pos 3: 5 left at layer 2
    mask = top1 == 7
    assert first_layers(mask).tolist() == [-1, 0, -1, -1]


def stored(layers: int = 4, positions: int = 5, k: int = 3, vocab: int = 20):  # type: ignore[no-untyped-def]
    logits = RNG.normal(size=(layers, positions, vocab)) * 3
    probs = reference_softmax(logits)
    ids = np.argsort(-probs, axis=-1, kind="stable")[..., :k]
    return probs, ids, np.take_along_axis(probs, ids, axis=-1)


def test_a_stored_top_k_cell_top1_and_a_tracked_token() -> None:
    probs, ids, top = stored()
    shuffled = RNG.permuted(np.arange(3))  # stored in any order: read best first
    lens = StoredLens(ids[..., shuffled].astype(np.int32), top[..., shuffled], "probs")
    cell = lens.cell(2, 3)
    assert cell.keys.tolist() == ids[2, 3].tolist() and cell.tokens == tuple(
        str(i) for i in ids[2, 3]
    )
    assert cell.probs is not None and cell.logits is None
    np.testing.assert_allclose(cell.probs, top[2, 3])
    keys, best = lens.top1()
    np.testing.assert_array_equal(keys, ids[..., 0])
    np.testing.assert_allclose(best, top[..., 0])
    token = int(ids[0, 0, 1])
    tracked = lens.track(token)
    in_top = (ids == token).any(axis=-1)
    np.testing.assert_array_equal(tracked.present, in_top)
    np.testing.assert_allclose(tracked.values[in_top], probs[..., token][in_top])
    assert np.isnan(tracked.values[~in_top]).all()  # never a made-up number
    np.testing.assert_allclose(tracked.bound, top[..., -1])  # "< p_k" where it is absent
    rank = np.where(in_top, (ids == token).argmax(axis=-1) + 1, 0)
    np.testing.assert_array_equal(tracked.ranks, rank)


def test_stored_string_tokens_and_logits() -> None:
    keys = np.array([[["Ġthe", "Ġa"], ["Ġa", "Ġthe"]]])
    scores = np.array([[[2.0, 1.0], [3.0, -1.0]]])
    lens = StoredLens(keys, scores, "logits")
    cell = lens.cell(0, 1)
    assert cell.tokens == ("Ġa", "Ġthe") and cell.probs is None
    assert cell.logits is not None and cell.logits.tolist() == [3.0, -1.0]
    tracked = lens.track("Ġthe")
    assert tracked.values.tolist() == [[2.0, -1.0]] and tracked.ranks.tolist() == [[1, 2]]
    with pytest.raises(LensError, match=r"\[layers, positions, k\]"):
        StoredLens(keys[0], scores[0], "probs")


@pytest.mark.parametrize("dtype", [np.float16, np.float32])
@pytest.mark.parametrize("kind", ["logits", "probs"])
def test_a_full_distribution_memory_mapped(tmp_path, dtype, kind) -> None:  # type: ignore[no-untyped-def]
    logits = RNG.normal(size=(3, 4, 300)) * 3
    logits[1, 2, :5] = logits[1, 2].max() + 1  # a five-way tie at the top
    data = (logits if kind == "logits" else reference_softmax(logits)).astype(dtype)
    path = tmp_path / "lens.npy"
    np.save(path, data)
    values = np.load(path, mmap_mode="r")
    lens = FullLens.guess(values)
    assert lens.kind == kind
    exact = data.astype(np.float64)
    probs = reference_softmax(exact) if kind == "logits" else exact
    cell = lens.cell(1, 2, k=7)
    expected = np.lexsort((np.arange(300), -exact[1, 2]))[:7]
    assert cell.keys.tolist() == expected.tolist() and cell.keys[:5].tolist() == [0, 1, 2, 3, 4]
    np.testing.assert_allclose(cell.probs, probs[1, 2, expected], rtol=1e-6)
    lens.top1()  # (a pass of its own; track reuses its normalisers)
    ids, best = lens.top1()
    np.testing.assert_array_equal(ids, np.argmax(exact, axis=-1))
    np.testing.assert_allclose(best, probs.max(axis=-1), rtol=1e-6)
    token = 17
    for fresh in (lens, FullLens(values, lens.kind)):  # normalisers found or not
        tracked = fresh.track(token)
        np.testing.assert_allclose(tracked.values, probs[..., token], rtol=1e-6)
        ranks = 1 + (exact > exact[..., token : token + 1]).sum(axis=-1)
        np.testing.assert_array_equal(tracked.ranks, ranks)
    with pytest.raises(LensError, match="outside the vocabulary"):
        lens.track(300)


def test_a_full_pass_reports_progress_and_can_be_cancelled(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import tuiheat.core.lens as lens_module
    from tuiheat.core.blocks import Cancelled

    monkeypatch.setattr(lens_module, "BLOCK_BYTES", 4 * 100 * 3)  # three cells a block
    lens = FullLens(RNG.normal(size=(3, 4, 100)).astype(np.float32), "logits")
    seen: list[float] = []
    lens.top1(progress=seen.append)
    assert seen == sorted(seen) and seen[-1] == 1.0 and len(seen) == 4
    with pytest.raises(Cancelled):
        lens.track(3, cancelled=lambda: True)


def test_the_line_view_series_down_the_layers(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tuiheat.core.lens import ever_top1

    top1 = np.array([[3, 1], [5, 1], [3, 2], [9, 2]])
    assert ever_top1(top1, 0) == [9, 3, 5] and ever_top1(top1, 1, most=1) == [2]
    probs, ids, top = stored()
    lens = StoredLens(ids.astype(np.int32), top, "probs")
    keys = [int(ids[-1, 2, 0]), int(ids[0, 2, 0])]
    got = lens.series(2, keys)
    for j, key in enumerate(keys):
        held = (ids[:, 2] == key).any(-1)
        np.testing.assert_allclose(got[held, j], probs[held, 2, key])
        assert np.isnan(got[~held, j]).all()
    logits = RNG.normal(size=(3, 4, 60)).astype(np.float32)
    np.save(tmp_path / "l.npy", logits)
    full = FullLens(np.load(tmp_path / "l.npy", mmap_mode="r"), "logits")
    np.testing.assert_allclose(
        full.series(1, [5, 7]), reference_softmax(logits)[:, 1][:, [5, 7]], rtol=1e-6
    )


def test_a_stored_ranking_is_kept_where_a_score_is_nan() -> None:
    keys = np.array([[[5, 6, 7]], [[8, 9, 1]]])
    scores = np.array([[[np.nan, 0.3, 0.1]], [[0.5, 0.2, 0.1]]])
    lens = StoredLens(keys, scores, "probs")
    assert lens.ranked and lens.cell(0, 0).keys.tolist() == [5, 6, 7]  # the file's rank 1
    assert lens.top1()[0].tolist() == [[5], [8]]
    unsorted = StoredLens(keys, np.array([[[0.1, 0.3, 0.2]], [[0.5, 0.2, 0.1]]]), "probs")
    assert not unsorted.ranked and unsorted.cell(0, 0).keys.tolist() == [6, 7, 5]
