"""Panes: slices of tensors with their views and statistics; sets of them and the D view."""

from __future__ import annotations

import numpy as np

from tuiheat.core.boxes import Box
from tuiheat.core.matrix import HeatMatrix
from tuiheat.core.panes import DifferencePane, Pane, PaneSet
from tuiheat.core.tensor import SliceSpec, Tensor, default_spec
from tuiheat.core.viewport import Cursor
from tuiheat.core.zoom import Zoom

RNG = np.random.default_rng(0)
A = RNG.random((8, 6))
B = RNG.random((8, 6))
C = RNG.random((8, 6))


def tensors(*arrays: np.ndarray) -> list[Tensor]:
    return [Tensor(a, labels=(tuple(f"r{i}" for i in range(8)), None)) for a in arrays]


def test_a_pane_is_a_slice_with_memoised_views_and_stats() -> None:
    cube = Tensor(RNG.random((3, 8, 6)))
    spec = SliceSpec(1, 2, ((0, "index", 2),))
    pane = Pane("a", cube, spec)
    assert pane.matrix is pane.matrix and pane.matrix.shape == (8, 6)
    np.testing.assert_array_equal(pane.matrix.as_float(), cube.values[2])
    view = pane.view(Zoom(2, 2))
    assert pane.view(Zoom(2, 2)) is view and view.shape == (4, 3)
    assert pane.view(Zoom()) is pane.matrix
    assert pane.box_stats(Box(0, 1, 0, 1)) is pane.box_stats(Box(0, 1, 0, 1))


def test_a_zoom_level_is_prepared_once_and_then_read() -> None:
    pane = Pane("a", Tensor(A), SliceSpec(0, 1))
    zoom = Zoom(4, 4, "max")
    assert not pane.is_prepared(zoom)
    assert not pane.prepare(zoom, cancelled=lambda: True)  # a newer request stopped it
    assert pane.prepare(zoom) and pane.is_prepared(zoom)
    assert pane.view(zoom).value(0, 0) == A[:4, :4].max()


def test_the_second_pane_takes_the_labels_of_the_first() -> None:
    a, b = tensors(A, B)
    b = Tensor(B)  # no labels of its own
    panes = PaneSet.of([a, b], ["A", "B"], SliceSpec(0, 1))
    assert panes.panes[1].matrix.row_labels == panes.first.matrix.row_labels
    assert [p.name for p in panes.shown] == ["A", "B"]


def test_d_shows_a_minus_b_for_two_and_each_minus_the_first_for_more() -> None:
    two = PaneSet.of(tensors(A, B), ["A", "B"], SliceSpec(0, 1)).toggled_diff()
    (only,) = two.shown
    assert isinstance(only, DifferencePane) and only.name == "A − B"
    np.testing.assert_allclose(only.matrix.as_float(), A - B)
    three = PaneSet.of(tensors(A, B, C), ["A", "B", "C"], SliceSpec(0, 1)).toggled_diff()
    assert [p.name for p in three.shown] == ["B − A", "C − A"]
    np.testing.assert_allclose(three.shown[1].matrix.as_float(), C - A)
    assert not three.toggled_diff().diff and len(three.toggled_diff().shown) == 3


def test_values_at_the_cursor_in_every_pane() -> None:
    panes = PaneSet.of(tensors(A, B, C), ["A", "B", "C"], SliceSpec(0, 1))
    assert panes.values_at(Cursor(2, 3, 8, 6), Zoom()) == (A[2, 3], B[2, 3], C[2, 3])
    mean = panes.values_at(Cursor(0, 0, 4, 3), Zoom(2, 2))
    assert mean[1] == B[:2, :2].mean()


def test_slicing_and_reloading_make_new_panes() -> None:
    cubes = [Tensor(RNG.random((2, 8, 6))) for _ in range(2)]
    panes = PaneSet.of(cubes, ["A", "B"], default_spec(cubes[0]))
    other = panes.sliced(SliceSpec(1, 2, ((0, "index", 1),)), readable=True)
    assert other.panes[0] is not panes.panes[0] and other.panes[1].reference is other.first
    np.testing.assert_array_equal(other.panes[1].matrix.as_float(), cubes[1].values[1])
    fresh = [Tensor(np.zeros((2, 8, 6))), Tensor(np.ones((2, 8, 6)))]
    again = panes.reloaded(fresh)
    assert again.tensors == tuple(fresh) and again.diff == panes.diff


def test_the_kind_of_panes_is_one_value_whatever_is_shown() -> None:
    spec = SliceSpec(0, 1)
    assert PaneSet.of(tensors(A), ["A"], spec).kind == "one"
    files = PaneSet.of(tensors(A, B), ["A", "B"], spec)
    assert files.kind == "files" and files.toggled_diff().kind == "files"  # A − B: one shown
    cube = Tensor(RNG.random((3, 8, 6)))
    facets = PaneSet.facets(cube, SliceSpec(1, 2, ((0, "index", 0),)), 0)
    assert facets.kind == "facets" and len(facets.panes) == 3


def test_a_key_reads_a_box_only_when_cheap_and_a_worker_the_rest(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import pytest

    from tuiheat.core import panes
    from tuiheat.core.blocks import Cancelled
    from tuiheat.core.stats import box_stats

    values = np.random.default_rng(4).random((60, 80))
    small, big = Box(2, 5, 3, 9), Box(0, 49, 0, 79)  # 24 and 4000 cells
    exact = {b: box_stats(HeatMatrix(values), b) for b in (small, big)}
    monkeypatch.setattr(panes, "QUICK_CELLS", 1000)  # the matrix (4800 cells) is "big"
    pane = Pane("a", Tensor.from_matrix(HeatMatrix(values)), SliceSpec(0, 1, ()))
    inside = pane.quick_box_stats(small)  # the box alone: read now, the mean outside not
    assert inside is not None and inside.mean == exact[small].mean
    assert inside.outside_mean is None and pane.known_box_stats(small) is None
    assert pane.quick_box_stats(big) is None  # too big for a key: all of it in a worker
    with pytest.raises(Cancelled):
        pane.box_stats(big, lambda: True)
    assert pane.known_box_stats(big) is None
    assert pane.box_stats(big) == exact[big]  # the worker's read
    assert pane.quick_box_stats(small) == exact[small]  # the matrix's totals known: cheap now
    assert pane.known_box_stats(small) == exact[small]


def test_a_costly_reduction_is_made_with_progress_and_can_be_stopped(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import pytest

    from tuiheat.core import panes
    from tuiheat.core.blocks import Cancelled
    from tuiheat.core.chunkcache import ChunkSource

    values = np.random.default_rng(6).random((3, 40, 50))
    tensor = Tensor.of_chunks(ChunkSource(_Chunked(values, (1, 16, 16))))
    spec = SliceSpec(1, 2, ((0, "mean", 0),))
    pane = Pane("a", tensor, spec)
    assert pane.shape == (40, 50) and not pane.costly  # 6000 values: a key may read them
    far = ChunkSource(_Chunked(values, (1, 16, 16)))
    far.cache.remote = True
    assert Pane("c", Tensor.of_chunks(far), spec).costly  # a round trip a chunk: never a key
    monkeypatch.setattr(panes, "QUICK_CELLS", 1000)
    pane = Pane("a", tensor, spec)
    assert pane.costly and not Pane("b", tensor, SliceSpec(1, 2, ((0, "index", 1),))).costly
    said: list[float] = []

    def stop_halfway(done: float) -> None:
        said.append(done)
        if done >= 0.5:
            raise Cancelled

    with pytest.raises(Cancelled):
        pane.make(stop_halfway)
    assert pane.costly and said[0] == 0.0  # nothing kept of a stopped pass
    said.clear()
    pane.make(said.append)
    assert not pane.costly and said == sorted(said) and len(said) == 3 * 3 * 4
    np.testing.assert_allclose(pane.matrix.as_float(), values.mean(axis=0))


class _Chunked:
    """An array that reads like a chunked store."""

    def __init__(self, values: np.ndarray, chunks: tuple[int, ...]) -> None:
        self.values, self.chunks = values, chunks
        self.shape, self.dtype = values.shape, values.dtype

    def __getitem__(self, where: object) -> np.ndarray:
        return self.values[where]  # type: ignore[index]
