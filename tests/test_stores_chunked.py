"""Stores read by chunk: a slice reads only the chunks it shows, a hidden axis reduced by
chunk passes equals numpy's, whole-array passes run on dask (threads or a LocalCluster) and
agree with the passes here, and an unreadable chunk is one line, the rest still shown."""

from __future__ import annotations

import logging
from pathlib import Path

import h5py
import numpy as np
import pytest
import zarr

from tuiheat.core.chunkcache import ChunkSource
from tuiheat.core.chunkrows import ChunkRows, chunk_reader
from tuiheat.core.matrix import sample_values
from tuiheat.core.pyramid import Overview
from tuiheat.core.scale import survey
from tuiheat.core.tensor import (
    SliceError,
    cycle_reduction,
    default_spec,
    flat_matrix,
    in_memory,
    parse_slice,
    slice_matrix,
)
from tuiheat.loaders import load_tensor, stores
from tuiheat.loaders.daskpasses import DaskPasses
from tuiheat.render.viewtexts import passes_now

RNG = np.random.default_rng(29)
CUBE = RNG.random((4, 50, 70)).astype(np.float32)
CUBE[1, 3, 4] = np.nan
CUBE[2, :, 9] = np.nan  # a column with no finite value in one layer


@pytest.fixture(autouse=True)
def by_chunk(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every store read by chunk, however small (the tests' stores are small)."""
    monkeypatch.setattr(stores, "WHOLE_BELOW", 0)


def zarr_cube(path: Path) -> str:
    array = zarr.open_array(str(path), mode="w", shape=CUBE.shape, chunks=(1, 16, 32), dtype="f4")
    array[:] = CUBE
    array.attrs["_ARRAY_DIMENSIONS"] = ["layer", "query", "key"]
    return str(path)


def test_a_slice_reads_by_chunk_and_a_reduction_equals_numpy(tmp_path: Path) -> None:
    tensor = load_tensor(zarr_cube(tmp_path / "c.zarr"))
    assert tensor.source is not None and tensor.names == ("layer", "query", "key")
    spec = default_spec(tensor)
    matrix = slice_matrix(tensor, spec)
    assert chunk_reader(matrix) is not None and matrix.values.strides == (0, 0)
    np.testing.assert_array_equal(matrix.window(10, 40, 20, 60), CUBE[0, 10:40, 20:60])
    cache = tensor.source.cache
    before = cache.reads
    matrix.value(49, 69)
    assert cache.reads == before + 1  # one cursor step: one chunk
    third = slice_matrix(tensor, parse_slice(tensor, spec, "layer=3"))
    np.testing.assert_array_equal(third.as_float(), CUBE[3])
    mean = slice_matrix(tensor, cycle_reduction(spec))
    with np.errstate(all="ignore"):
        np.testing.assert_allclose(mean.as_float(), np.nanmean(CUBE, axis=0), rtol=1e-6)
    top = slice_matrix(tensor, cycle_reduction(cycle_reduction(spec)))
    np.testing.assert_array_equal(top.as_float(), np.nanmax(CUBE, axis=0))
    second = slice_matrix(tensor, parse_slice(tensor, spec, "layer=1"))
    assert np.isnan(second.value(3, 4)) and second.value(3, 5) == CUBE[1, 3, 5]


def test_the_range_over_every_slice_and_a_sample_of_whole_chunks(tmp_path: Path) -> None:
    tensor = load_tensor(zarr_cube(tmp_path / "c.zarr"))
    flat = flat_matrix(tensor)
    assert flat.shape == (200, 70)
    np.testing.assert_array_equal(flat.window(45, 55, 0, 70), CUBE.reshape(200, 70)[45:55])
    found = survey(flat)
    assert found is not None
    assert (found.low, found.high) == (np.nanmin(CUBE), np.nanmax(CUBE))
    assert found.finite == np.isfinite(CUBE).sum()
    plane = slice_matrix(tensor, default_spec(tensor))
    reads = tensor.source.cache.reads
    sample = sample_values(plane, cells=2000)
    assert tensor.source.cache.reads - reads <= 2  # whole chunks, not rows across all of them
    assert sample.size >= 512 and np.isin(sample[np.isfinite(sample)], CUBE[0]).all()


def test_what_needs_every_value_reads_the_store_whole(tmp_path: Path) -> None:
    tensor = load_tensor(zarr_cube(tmp_path / "c.zarr"))
    whole = in_memory(tensor)
    assert whole.source is None
    np.testing.assert_array_equal(whole.values, CUBE)
    spec = parse_slice(tensor, default_spec(tensor), "layer=mean")
    spec = parse_slice(tensor, spec, "layer=max")
    assert slice_matrix(tensor, spec).shape == (50, 70)
    from tuiheat.core.chunkreduce import PlaneError, reduced_plane

    with pytest.raises(PlaneError, match="makes a 50×70 plane"):
        reduced_plane(tensor.source, 1, 2, spec.hidden, budget=100)


def test_two_hidden_axes_reduced_together_or_one_after_the_other(tmp_path: Path) -> None:
    heads = RNG.random((2, 3, 10, 12))
    heads[1, 2, 4, :] = np.nan
    array = zarr.open_array(
        str(tmp_path / "h.zarr"), mode="w", shape=heads.shape, chunks=(1, 2, 4, 5)
    )
    array[:] = heads
    tensor = load_tensor(str(tmp_path / "h.zarr"))
    here = in_memory(tensor)  # the same slices of the array in memory: numpy's reductions
    for text in (
        "dim0=mean,dim1=mean",
        "dim1=max,dim0=max",
        "dim0=mean,dim1=max",
        "dim0=max,dim1=mean",
    ):
        spec = parse_slice(tensor, default_spec(tensor), text)
        np.testing.assert_allclose(
            slice_matrix(tensor, spec).as_float(), slice_matrix(here, spec).as_float(), rtol=1e-12
        )
    transposed = parse_slice(tensor, default_spec(tensor), "dim0=1,dim1=mean")
    transposed = type(transposed)(3, 2, transposed.hidden)
    with np.errstate(all="ignore"):
        want = np.nanmean(heads[1], axis=0).T
    np.testing.assert_allclose(slice_matrix(tensor, transposed).as_float(), want)


def test_a_reduction_whose_plane_would_not_fit_is_refused_before_it_is_made() -> None:
    from tuiheat.core.tensor import Tensor, slice_trouble

    class Huge:  # shape and chunks only: nothing may be read
        shape, dtype, chunks = (3, 20000, 30000), np.dtype("f4"), (1, 1024, 1024)

        def __getitem__(self, where: object) -> np.ndarray:
            raise AssertionError("read")

    tensor = Tensor.of_chunks(ChunkSource(Huge()))
    assert slice_trouble(tensor, default_spec(tensor)) == ""
    trouble = slice_trouble(tensor, cycle_reduction(default_spec(tensor)))
    assert trouble.startswith("a mean or max over a hidden axis of this store makes a 20000×30000")
    with pytest.raises(SliceError, match=r"4\.5 GiB in memory"):
        slice_matrix(tensor, cycle_reduction(default_spec(tensor)))


def test_hdf5_chunked_and_contiguous_read_by_chunk(tmp_path: Path) -> None:
    path = tmp_path / "a.h5"
    with h5py.File(path, "w") as f:
        f.create_dataset("gz", data=CUBE[0], chunks=(16, 16), compression="gzip")
        f.create_dataset("flat", data=CUBE[1])  # contiguous: read in tiles
    for key, want in (("gz", CUBE[0]), ("flat", CUBE[1])):
        tensor = load_tensor(str(path), key=key)
        assert tensor.source is not None
        matrix = slice_matrix(tensor, default_spec(tensor))
        np.testing.assert_array_equal(matrix.window(5, 45, 3, 66), want[5:45, 3:66])


def test_an_unreadable_chunk_is_empty_cells_and_one_line(tmp_path: Path) -> None:
    store = tmp_path / "c.zarr"
    zarr_cube(store)
    broken = store / "c" / "0" / "1" / "1"  # layer 0, rows 16-31, columns 32-63
    if not broken.exists():
        broken = store / "0.1.1"
    broken.write_bytes(b"\x00garbage")
    tensor = load_tensor(str(store))
    matrix = slice_matrix(tensor, default_spec(tensor))
    shown = matrix.as_float()
    assert np.isnan(shown[16:32, 32:64]).all()
    np.testing.assert_array_equal(shown[:16], CUBE[0, :16])
    failed = tensor.source.cache.failed
    assert failed.startswith("rows 16-31, columns 32-63: ") and "\n" not in failed


def overview_here_and_on(reducer: DaskPasses, tmp_path: Path) -> None:
    values = RNG.random((300, 260)) * 10
    values[5:9, 100:140] = np.nan
    array = zarr.open_array(str(tmp_path / "p.zarr"), mode="w", shape=values.shape, chunks=(64, 50))
    array[:] = values
    here = ChunkRows(array, 0, 1)
    there = ChunkRows(array, 0, 1, reducer=reducer)
    from tuiheat.core.chunkrows import chunked_matrix

    for reducer_name in ("mean", "max", "min", "nearest"):
        a, b = Overview((300, 260), (16, 32)), Overview((300, 260), (16, 32))
        a.build(chunked_matrix(here, values.dtype), reducer_name)
        b.build(chunked_matrix(there, values.dtype), reducer_name)
        for name in a.stats:
            np.testing.assert_allclose(b.stats[name], a.stats[name], rtol=1e-12)
    found = survey(chunked_matrix(there, values.dtype))
    assert found is not None and found.finite == np.isfinite(values).sum()
    assert (found.low, found.high) == (np.nanmin(values), np.nanmax(values))


def test_dask_on_threads_builds_the_same_overview(tmp_path: Path) -> None:
    seen: list[float] = []
    reducer = DaskPasses(None)
    overview_here_and_on(reducer, tmp_path)
    values = np.arange(64.0 * 64).reshape(64, 64)
    array = zarr.open_array(str(tmp_path / "q.zarr"), mode="w", shape=(64, 64), chunks=(16, 16))
    array[:] = values
    reducer.block_stats(ChunkRows(array, 0, 1), (8, 8), ["total"], None, seen.append)
    assert seen and seen[-1] == pytest.approx(1.0)


def test_dask_on_a_local_cluster_names_it_and_agrees(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=":0"
    ) as cluster:
        found = stores.reducer_for(1, stores.StoreOptions(scheduler=cluster.scheduler_address))
        assert found["where"] == f"dask: {cluster.scheduler_address} · 2 workers"
        quiet = [logging.getLogger(n).level for n in ("distributed", "distributed.client")]
        assert quiet == [logging.CRITICAL] * 2  # its log would write over the viewer
        overview_here_and_on(found["reducer"], tmp_path)
        found["reducer"].client.close()


def test_a_scheduler_that_does_not_answer_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    from tuiheat.loaders import daskpasses
    from tuiheat.loaders.base import LoadError

    monkeypatch.setattr(daskpasses, "CONNECT_SECONDS", 1)
    with pytest.raises(LoadError, match=r"cannot reach the dask scheduler tcp://127\.0\.0\.1:9"):
        stores.reducer_for(1, stores.StoreOptions(scheduler="tcp://127.0.0.1:9"))


def test_a_source_over_a_store_keeps_its_cache_between_slices(tmp_path: Path) -> None:
    tensor = load_tensor(zarr_cube(tmp_path / "c.zarr"), store=stores.StoreOptions(cache_bytes=1))
    assert isinstance(tensor.source, ChunkSource) and tensor.source.cache.limit == 1
    matrix = slice_matrix(tensor, default_spec(tensor))
    matrix.window(0, 50, 0, 70)
    assert len(tensor.source.cache._chunks) == 1  # one chunk kept, at most


@pytest.mark.parametrize("url", [False, True])
def test_an_overview_built_on_dask_is_found_again_until_the_store_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, url: bool
) -> None:
    """A folder is stamped by its files; a URL (file:// here, s3:// elsewhere) by one
    listing of its objects through fsspec."""
    from tuiheat.loaders import levelcache

    monkeypatch.setenv(levelcache.CACHE_VARIABLE, str(tmp_path / "cache"))
    folder = zarr_cube(tmp_path / "c.zarr")
    store = f"file://{folder}" if url else folder
    before = sorted((p, p.stat().st_mtime_ns) for p in Path(folder).rglob("*"))
    options = stores.StoreOptions(budget=1)  # past the budget: on dask threads

    def zoomed() -> tuple[DaskPasses, dict[str, np.ndarray]]:
        tensor = load_tensor(store, store=options)
        assert tensor.source is not None and tensor.source.where == "dask: local threads"
        plane = chunk_reader(slice_matrix(tensor, default_spec(tensor)))
        assert isinstance(plane, ChunkRows)
        return plane.reducer, plane.reducer.block_stats(plane, (4, 8), ["total", "count"])

    _, first = zoomed()
    assert len(list((tmp_path / "cache" / "levels").glob("*.zarr"))) == 1  # kept there
    calls: list[int] = []
    monkeypatch.setattr(DaskPasses, "_block_stats", lambda *a: calls.append(1) or first)
    _, again = zoomed()
    assert not calls  # found again: nothing computed
    for name in first:
        np.testing.assert_array_equal(again[name], first[name])
    assert sorted((p, p.stat().st_mtime_ns) for p in Path(folder).rglob("*")) == before
    zarr.open_array(folder, mode="r+")[0, 0, 0] = 5.0  # the store changes: built again
    zoomed()
    assert calls == [1]


def test_print_mode_on_dask_draws_what_the_passes_here_draw(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from tuiheat.cli import main

    monkeypatch.setenv("TUIHEAT_CACHE_DIR", str(tmp_path / "cache"))
    values = RNG.random((400, 900)).astype(np.float32)
    values[10:20, 100:300] = np.nan
    array = zarr.open_array(
        str(tmp_path / "w.zarr"), mode="w", shape=values.shape, chunks=(96, 128)
    )
    array[:] = values
    np.save(tmp_path / "w.npy", values)
    shown = {}
    for name, extra in (
        ("w.npy", []),
        ("w.zarr", ["--dask-budget", "100G"]),
        ("w.zarr", ["--dask-budget", "1"]),
    ):
        for reducer in ("mean", "max"):
            args = [str(tmp_path / name), "--print", "--color", "none", "--width", "80"]
            assert main([*args, "--reducer", reducer, *extra]) == 0
            out = capsys.readouterr().out.splitlines()
            shown[(name, tuple(extra), reducer)] = out[1:]  # the first line names the file
    for reducer in ("mean", "max"):
        want = shown[("w.npy", (), reducer)]
        assert "each cell the" in want[0]  # zoomed out: the blocks are reduced
        assert shown[("w.zarr", ("--dask-budget", "100G"), reducer)] == want
        assert shown[("w.zarr", ("--dask-budget", "1"), reducer)] == want
    assert list((tmp_path / "cache" / "levels").glob("*.zarr"))  # the dask passes were used


@pytest.mark.parametrize("dtype", ["f4", "i2"])
def test_the_margins_statistics_on_dask_equal_a_pass_here(tmp_path: Path, dtype: str) -> None:
    from tuiheat.core.axisstats import axis_stats
    from tuiheat.core.chunkrows import chunked_matrix
    from tuiheat.core.matrix import HeatMatrix

    values = (RNG.random((130, 170)) * (1 if dtype == "f4" else 900)).astype(dtype)
    if dtype == "f4":
        values[3, :] = np.nan
        values[40:60, 7] = np.inf
    array = zarr.open_array(str(tmp_path / "s.zarr"), mode="w", shape=values.shape, chunks=(32, 50))
    array[:] = values
    here = axis_stats(HeatMatrix(values))
    there = axis_stats(
        chunked_matrix(ChunkRows(array, 0, 1, reducer=DaskPasses(None)), values.dtype)
    )
    for axis in ("rows", "cols"):
        for kind in ("mean", "max", "min", "std"):
            np.testing.assert_allclose(
                getattr(there, axis).summary(kind), getattr(here, axis).summary(kind), rtol=1e-9
            )
        np.testing.assert_array_equal(getattr(there, axis).nans, getattr(here, axis).nans)
    assert (there.below_half, there.far_below) == (here.below_half, here.far_below)
    assert there.survey() == here.survey()


def test_a_broken_chunk_on_dask_is_empty_and_a_lost_cluster_falls_back_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tuiheat.core.chunkrows import chunk_failure, chunked_matrix

    store = tmp_path / "c.zarr"
    zarr_cube(store)
    (store / "c" / "0" / "1" / "1").write_bytes(b"\x00garbage")  # layer 0, rows 16-31, 32-63
    tensor = load_tensor(str(store), store=stores.StoreOptions(budget=1))
    matrix = slice_matrix(tensor, default_spec(tensor))
    found = survey(matrix)  # on dask: the broken chunk counts as empty, the pass goes on
    layer = CUBE[0].copy()
    layer[16:32, 32:64] = np.nan
    assert found is not None and found.finite == np.isfinite(layer).sum()
    assert (found.low, found.high) == (np.nanmin(layer), np.nanmax(layer))
    assert chunk_failure(matrix).startswith(
        "A chunk of the store could not be read (rows 16-31, columns 32-63: "
    )  # said as on screen, though a dask task read it
    plane = chunk_reader(matrix)
    assert isinstance(plane, ChunkRows) and isinstance(plane.reducer, DaskPasses)

    def lost(*args: object) -> None:
        raise OSError("Timed out trying to connect to tcp://10.0.0.5:8786\nand more")

    monkeypatch.setattr(plane.reducer, "_compute", lost)
    fresh = chunked_matrix(ChunkRows(CUBE[1], 0, 1, reducer=plane.reducer), CUBE.dtype)
    again = survey(fresh)  # made here, chunk by chunk
    assert again is not None and again.finite == np.isfinite(CUBE[1]).sum()
    assert chunk_failure(fresh) == (
        "The passes on dask failed (Timed out trying to connect to tcp://10.0.0.5:8786); "
        "they are made here instead."
    )
    from concurrent.futures import CancelledError

    def gone(*args: object) -> None:
        raise CancelledError("_on_boxes-120cb456 cancelled for reason: scheduler-connection-lost.")

    monkeypatch.setattr(plane.reducer, "_compute", gone)
    assert survey(chunked_matrix(ChunkRows(CUBE[2], 0, 1, reducer=plane.reducer), CUBE.dtype))
    assert plane.reducer.failed == "the connection to the scheduler was lost"  # no task key
    named = "c.zarr · dask: tcp://10.0.0.5:8786 · 2 workers"
    source = ChunkSource(CUBE, reducer=plane.reducer, where="dask: tcp://10.0.0.5:8786 · 2 workers")
    assert passes_now(source, named) == "c.zarr · dask failed: passes made here"  # the title
    assert passes_now(ChunkSource(CUBE, where=source.where), named) == named  # still on dask


@pytest.mark.parametrize("zarr_format", [2, 3])
def test_a_store_written_by_xarray_opens_with_its_dimensions_and_coordinates(
    tmp_path: Path, zarr_format: int
) -> None:
    xarray = pytest.importorskip("xarray")
    tokens = [f"tok{i}" for i in range(70)]
    data = xarray.Dataset(
        {"attn": (("layer", "query", "key"), CUBE)},
        coords={"key": tokens, "layer": [f"L{i}" for i in range(4)]},
    )
    path = tmp_path / f"x{zarr_format}.zarr"
    data.to_zarr(path, zarr_format=zarr_format, consolidated=False)
    tensor = load_tensor(str(path), key="attn")
    assert tensor.source is not None  # read by chunk (the fixture: however small)
    assert tensor.names == ("layer", "query", "key")
    assert tensor.labels[2] == tuple(tokens) and tensor.labels[0] == ("L0", "L1", "L2", "L3")
    matrix = slice_matrix(tensor, parse_slice(tensor, default_spec(tensor), "layer=L2"))
    np.testing.assert_array_equal(matrix.as_float(), CUBE[2])
    chosen = load_tensor(str(path))  # the only heatmap among coordinates: named in the title
    assert chosen.title == f"x{zarr_format}.zarr · attn" and chosen.shape == CUBE.shape


def test_a_truncated_chunk_is_empty_cells_and_the_rest_is_shown(tmp_path: Path) -> None:
    from tuiheat.core.chunkrows import chunk_failure

    store = tmp_path / "c.zarr"
    zarr_cube(store)
    chunk = store / "c" / "0" / "0" / "1"  # layer 0, rows 0-15, columns 32-63
    chunk.write_bytes(chunk.read_bytes()[: chunk.stat().st_size // 2])
    tensor = load_tensor(str(store))
    shown = slice_matrix(tensor, default_spec(tensor)).as_float()
    assert np.isnan(shown[:16, 32:64]).all()
    np.testing.assert_array_equal(shown[16:], CUBE[0, 16:])
    np.testing.assert_array_equal(shown[:16, :32], CUBE[0, :16, :32])
    assert "rows 0-15, columns 32-63: " in chunk_failure(slice_matrix(tensor, default_spec(tensor)))


def test_print_mode_says_which_chunk_it_could_not_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tuiheat.cli import main

    store = tmp_path / "c.zarr"
    zarr_cube(store)
    (store / "c" / "0" / "1" / "1").write_bytes(b"\x00garbage")
    assert main([str(store), "--print", "--color", "none", "--width", "120"]) == 0
    captured = capsys.readouterr()
    assert captured.err.startswith(
        "tuiheat: A chunk of the store could not be read (rows 16-31, columns 32-63: "
    )
    assert captured.err.count("\n") == 1 and "layer 0" in captured.out
    (store / "c" / "0" / "2" / "0").write_bytes(b"\x00garbage")  # a second: counted
    (store / "c" / "1" / "0" / "0").write_bytes(b"\x00garbage")  # read for the range of all
    assert main([str(store), "--print", "--color", "none", "--width", "120"]) == 0
    assert capsys.readouterr().err.startswith(
        "tuiheat: 3 chunks of the store could not be read (the first: rows 16-31, columns 32-63"
    )


@pytest.mark.parametrize("stat", ["entropy", "diag", "prev"])
def test_a_head_summary_of_a_store_reads_each_head_by_chunk(tmp_path: Path, stat: str) -> None:
    from tuiheat.core.headaxes import HeadAxes
    from tuiheat.core.headstats import summary_tensor

    weights = RNG.random((3, 4, 40, 40))
    weights /= weights.sum(axis=-1, keepdims=True)
    weights[1, 2, 5] = np.nan
    array = zarr.create_array(
        str(tmp_path / "a.zarr"),
        shape=weights.shape,
        chunks=(1, 1, 16, 16),
        dtype="f8",
        dimension_names=("layer", "head", "query", "key"),
    )
    array[:] = weights
    tensor = load_tensor(str(tmp_path / "a.zarr"))
    assert tensor.source is not None
    axes = HeadAxes.of(tensor)
    found = summary_tensor(tensor, axes, stat)
    want = summary_tensor(in_memory(tensor), axes, stat)
    np.testing.assert_allclose(found.values, want.values, rtol=1e-12)
    assert found.notes == want.notes and np.isfinite(found.values).any()


def test_statistics_across_stores_read_them_whole(tmp_path: Path) -> None:
    from tuiheat.session.runs import runs_view_of

    runs = [RNG.random((30, 20)) for _ in range(3)]
    names = []
    for k, run in enumerate(runs):
        array = zarr.create_array(
            str(tmp_path / f"r{k}.zarr"), shape=run.shape, chunks=(8, 8), dtype="f8"
        )
        array[:] = run
        names.append(str(tmp_path / f"r{k}.zarr"))
    tensors = [load_tensor(n) for n in names]
    assert all(t.source is not None for t in tensors)
    view = runs_view_of(tensors, names, default_spec(tensors[0]))
    np.testing.assert_allclose(view.across.centre, np.mean(runs, axis=0), rtol=1e-12)


def test_a_reduction_over_a_broken_chunk_leaves_it_out_and_says_so(tmp_path: Path) -> None:
    from tuiheat.core.chunkrows import chunk_failure

    store = tmp_path / "c.zarr"
    zarr_cube(store)
    (store / "c" / "2" / "1" / "1").write_bytes(b"\x00garbage")  # layer 2, rows 16-31, 32-63
    tensor = load_tensor(str(store))
    mean = slice_matrix(tensor, cycle_reduction(default_spec(tensor)))
    cube = CUBE.astype(np.float64)
    cube[2, 16:32, 32:64] = np.nan  # left out, as on screen
    with np.errstate(all="ignore"):
        np.testing.assert_allclose(mean.as_float(), np.nanmean(cube, axis=0), rtol=1e-6)
    assert chunk_failure(mean, tensor.source).startswith(
        "A chunk of the store could not be read (the block at 2-2, 16-31, 32-63: "
    )  # the reduced plane is in memory: the tensor's store says it


def test_a_remote_store_is_stamped_by_its_objects_checksums_or_not_at_all(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import fsspec

    from tuiheat.loaders.levelcache import remote_stamp

    listings = {
        "s3://b/a.zarr": {"b/a.zarr/zarr.json": {"size": 9, "ETag": '"5d41"'}},
        "https://host/a.zarr": {"https://host/a.zarr/zarr.json": {"size": 9}},  # no version
    }

    class Listed:
        def __init__(self, url: str) -> None:
            self.url = url

        def find(self, root: str, detail: bool = False) -> dict[str, dict[str, object]]:
            return listings[self.url]

    monkeypatch.setattr(fsspec.core, "url_to_fs", lambda url: (Listed(url), url))
    stamp = remote_stamp("s3://b/a.zarr", "resid")
    assert stamp is not None and '"5d41"' in stamp
    assert remote_stamp("s3://b/a.zarr", "attn") != stamp  # another array of the store
    listings["s3://b/a.zarr"]["b/a.zarr/zarr.json"]["ETag"] = '"7e1f"'  # rewritten
    assert remote_stamp("s3://b/a.zarr", "resid") not in (None, stamp)
    assert remote_stamp("https://host/a.zarr", "") is None  # cannot tell a change: not kept
    assert remote_stamp("memory://a.zarr", "") is None  # gone with the process


def test_a_box_on_a_store_read_by_chunk_keeps_its_values(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--box, a saved box, --boxes and print mode over a store read by chunk (a copy of the
    matrix with boxes lost its reader: the placeholder's NaN were shown)."""
    from tuiheat.cli import main
    from tuiheat.core.boxes import Box
    from tuiheat.core.stats import box_stats

    store = zarr_cube(tmp_path / "c.zarr")
    matrix = slice_matrix(load_tensor(store), default_spec(load_tensor(store)))
    boxed = matrix.with_boxes([Box(2, 9, 3, 20)])
    np.testing.assert_array_equal(boxed.as_float(), CUBE[0])
    assert box_stats(boxed, boxed.boxes[0]).mean == pytest.approx(CUBE[0, 2:10, 3:21].mean())
    assert main([store, "--box", "p=2-9:3-20", "--boxes"]) == 0
    said = capsys.readouterr().out
    assert f"mean {CUBE[0, 2:10, 3:21].mean():.3f}" in said and "NaN" not in said
