"""The installed command on a Zarr store read by chunk, in a real pseudo-terminal: the cursor
reads exact values, a broken chunk is one notice and empty cells, zooming out to fit runs
on a dask cluster the test starts (named in the title), and print mode draws what the same
data as .npy draws."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import zarr
from pty_helpers import PtySession, tuiheat_executable

pytestmark = pytest.mark.skipif(tuiheat_executable() is None, reason="tuiheat is not installed")
SHAPE = (2200, 2100)  # 18 MB of float32: past the size read at once, so read by chunk


def store(tmp_path: Path) -> tuple[Path, np.ndarray]:
    rows, cols = np.indices(SHAPE)
    values = (0.1 + ((rows * 7 + cols * 3) % 900) / 1000).astype(np.float32)
    path = tmp_path / "acts.zarr"
    array = zarr.create_array(
        str(path), shape=SHAPE, chunks=(256, 256), dtype="f4", dimension_names=("layer", "pos")
    )
    array[:] = values
    return path, values


def test_a_store_is_read_by_chunk_and_zoomed_out_on_a_cluster(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    exe = tuiheat_executable()
    assert exe is not None
    path, values = store(tmp_path)
    (path / "c" / "5" / "5").write_bytes(b"\x00not a chunk")  # rows 1280-1535, 1280-1535
    cluster = distributed.LocalCluster(  # in this process, reached over TCP by the command
        n_workers=2, threads_per_worker=1, processes=False, protocol="tcp", dashboard_address=":0"
    )
    with cluster:
        args = [exe, str(path), "--scheduler", cluster.scheduler_address]
        session = PtySession(args, size=(220, 46), env={"TUIHEAT_CACHE_DIR": str(tmp_path / "c")})
        session.wait_for("layer 0 │ pos 0 │")
        assert f"acts.zarr · dask: {cluster.scheduler_address} · 2 workers" in session.text()
        assert f"layer 0 │ pos 0 │ {values[0, 0]:.3f}" in session.text()
        session.send("l", "j")
        session.wait_for(f"layer 1 │ pos 1 │ {values[1, 1]:.3f}")
        session.send("z")  # zoom to fit: the overview is built on the cluster
        session.wait_for("1 cell = ", timeout=60)
        session.wait_for("A chunk of the store could not be read (rows 1280-1535", timeout=30)
        session.send("q")
        assert session.close(timeout=20) == 0
    assert list((tmp_path / "c" / "levels").glob("*.zarr"))  # kept, never beside the input
    assert sorted(p.name for p in tmp_path.iterdir()) == ["acts.zarr", "c"]


def test_print_mode_of_a_store_draws_what_the_npy_draws(tmp_path: Path) -> None:
    exe = tuiheat_executable()
    assert exe is not None
    _, values = store(tmp_path)
    np.save(tmp_path / "acts.npy", values)
    shown = []
    for name in ("acts.zarr", "acts.npy"):
        args = [exe, str(tmp_path / name), "--print", "--color", "none", "--width", "100"]
        session = PtySession([*args, "--names", "layer,pos"], size=(120, 60))
        assert session.close(timeout=60) == 0, session.text()
        shown.append(session.text().splitlines()[1:])  # the first line names the file
    assert shown[0] == shown[1] and "each cell the mean" in shown[0][0]
