"""Benchmark of chunked stores against the same data as .npy (on demand; not part of the suite).

    python tests/bench_stores.py [--rows 20000] [--cols 30000] [--dir DIR] [--runs 3]
        [--size 200x60] [--formats npy,zarr,h5] [--no-cluster]

Writes one float32 matrix of standard-normal values (row blocks from a fixed seed) as .npy,
as Zarr v3 (chunks 1024², Blosc lz4) and as HDF5 (chunks 1024², gzip 4) into ``--dir`` (kept,
so a second run reuses them; default a temporary directory, deleted after), then for each,
in a real pseudo-terminal of ``--size``:

- first paint: process start to the readout on screen (median of ``--runs``);
- cursor step: median time from ``l``/``j`` to the end of its repaint (20 steps);
- zoom to fit (``z``): time until the terminal and the process are idle (the level is built);
- zoom step: ``-`` and ``+`` once the level exists;
- for the Zarr and HDF5 stores on a 2-worker ``LocalCluster`` (processes, started here):
  ``z`` with ``--scheduler``, the tasks the scheduler ran, the client's peak RSS (VmHWM);
- ``--print --width 120``: wall seconds and peak RSS of the process.

Each case has an empty level cache (``TUIHEAT_CACHE_DIR``), so no level is reused across cases;
the data are written by a child process, whose memory the measured ones do not inherit.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_helpers import load_line, run_piped, session, wait_idle
from pty_helpers import as_installed, tuiheat_executable

READY = " │ "  # the readout line: "layer 0 │ token 0 │ 0.123"
CHUNK = 1024


def write_data(folder: Path, rows: int, cols: int, formats: list[str]) -> dict[str, Path]:
    """The matrix in every format asked for (kept when present)."""
    import h5py
    import zarr
    from zarr.codecs import BloscCodec

    paths = {"npy": folder / "m.npy", "zarr": folder / "m.zarr", "h5": folder / "m.h5"}
    todo = {f for f in formats if not paths[f].exists()}
    if not todo:
        return {f: paths[f] for f in formats}
    npy = (
        np.lib.format.open_memmap(paths["npy"], "w+", np.float32, (rows, cols))
        if "npy" in todo
        else None
    )
    z = None
    if "zarr" in todo:
        z = zarr.create_array(
            str(paths["zarr"]),
            shape=(rows, cols),
            chunks=(CHUNK, CHUNK),
            dtype="f4",
            compressors=BloscCodec(cname="lz4", clevel=5),
            dimension_names=("layer", "token"),
        )
    h5 = h5py.File(paths["h5"], "w") if "h5" in todo else None
    d = (
        h5.create_dataset(
            "m", (rows, cols), "f4", chunks=(CHUNK, CHUNK), compression="gzip", compression_opts=4
        )
        if h5
        else None
    )
    rng = np.random.default_rng(29)
    for r0 in range(0, rows, CHUNK):
        block = rng.standard_normal((min(CHUNK, rows - r0), cols), dtype=np.float32)
        for target in (npy, z, d):
            if target is not None:
                target[r0 : r0 + len(block)] = block
        print(f"  wrote rows {r0 + len(block)}/{rows}", end="\r", file=sys.stderr)
    if npy is not None:
        npy.flush()
    if h5 is not None:
        h5.close()
    return {f: paths[f] for f in formats}


def latency(s, key: str, quiet: float = 0.15) -> float:  # type: ignore[no-untyped-def]
    sent = time.monotonic()
    s.send(key)
    s.settle(quiet=quiet, timeout=30)
    return max(0.0, s.last_output - sent)


def interactive(argv: list[str], size: tuple[int, int], runs: int) -> dict[str, float]:
    """First paint (median of ``runs``), then steps and zooms on the last run."""
    paints: list[float] = []
    out: dict[str, float] = {}
    for run in range(runs):
        s = session(argv, size)
        try:
            start = time.monotonic()
            s.wait_for(READY, timeout=120)
            paints.append(s.last_output - s.started)
            if run < runs - 1:
                continue
            wait_idle(s, timeout=120)
            steps = [latency(s, k) for k in ["l", "j"] * 10]
            out["step ms"] = 1000 * statistics.median(steps)
            sent = time.monotonic()
            s.send("z")
            s.wait_for("(mean of ", timeout=300)  # the level is on screen (the readout says so)
            idle = wait_idle(s, timeout=300)
            out["zoom-to-fit s"] = idle.at - sent
            out["zoom step ms"] = 1000 * statistics.median(
                [latency(s, k, 0.3) for k in ("-", "+", "-", "+")]
            )
            out["peak RSS MiB"] = s.peak_memory_mib() or float("nan")
            del start
        finally:
            s.close()
    out["first paint s"] = statistics.median(paints)
    return out


def quiet_cluster(watcher, quiet: float = 1.0) -> None:  # type: ignore[no-untyped-def]
    """Wait until the scheduler has held no task for ``quiet`` seconds."""
    held = lambda dask_scheduler: len(dask_scheduler.tasks)  # noqa: E731
    since = time.monotonic()
    while time.monotonic() - since < quiet:
        if watcher.run_on_scheduler(held):
            since = time.monotonic()
        time.sleep(0.1)


def on_cluster(argv: list[str], size: tuple[int, int]) -> dict[str, float]:
    """``z`` with the passes on a 2-worker LocalCluster: time, tasks run, client peak RSS."""
    from distributed import Client, LocalCluster

    cluster = LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=":0")
    with cluster, Client(cluster) as watcher:
        count = lambda dask_scheduler: dask_scheduler.transition_counter  # noqa: E731
        before = watcher.run_on_scheduler(count)
        s = session([*argv, "--scheduler", cluster.scheduler_address], size)
        try:
            s.wait_for(READY, timeout=120)
            wait_idle(s, timeout=120)
            quiet_cluster(watcher)  # the range and margins passes are done there too
            sent = time.monotonic()
            s.send("z")
            s.wait_for("(mean of ", timeout=300)  # on screen (the client idles while workers work)
            idle = wait_idle(s, timeout=300)
            rss = s.peak_memory_mib() or float("nan")
        finally:
            s.close()
        transitions = watcher.run_on_scheduler(count) - before
    return {
        "cluster zoom-to-fit s": idle.at - sent,
        "cluster transitions": transitions,
        "cluster client RSS MiB": rss,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--cols", type=int, default=30000)
    parser.add_argument("--dir", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--size", default="200x60")
    parser.add_argument("--formats", default="npy,zarr,h5")
    parser.add_argument("--no-cluster", action="store_true")
    parser.add_argument("--cluster-only", action="store_true", help="only the cluster figures")
    parser.add_argument("--write-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.write_only:  # in a child: its memory must not count as the measured processes'
        write_data(args.dir, args.rows, args.cols, args.formats.split(","))
        return
    as_installed()
    exe = tuiheat_executable() or sys.executable
    base = [exe] if exe != sys.executable else [sys.executable, "-m", "tuiheat"]
    size = tuple(int(n) for n in args.size.split("x"))
    folder = args.dir or Path(tempfile.mkdtemp(prefix="tuiheat-stores-"))
    folder.mkdir(parents=True, exist_ok=True)
    formats = args.formats.split(",")
    try:
        print(f"# {args.rows}×{args.cols} float32, terminal {args.size}; {load_line()}")
        write = [sys.executable, __file__, "--write-only", "--dir", str(folder)]
        write += ["--rows", str(args.rows), "--cols", str(args.cols), "--formats", args.formats]
        subprocess.run(write, check=True)
        paths = write_data(folder, args.rows, args.cols, formats)  # there now: only named
        for fmt in formats:
            argv = [*base, str(paths[fmt])]
            os.environ["TUIHEAT_CACHE_DIR"] = tempfile.mkdtemp(prefix="tuiheat-levels-")
            figures: dict[str, float] = {}
            if not args.cluster_only:
                figures = interactive(argv, size, args.runs)  # type: ignore[arg-type]
                os.environ["TUIHEAT_CACHE_DIR"] = tempfile.mkdtemp(prefix="tuiheat-levels-")
                wall, _cpu, rss = run_piped([*argv, "--print", "--width", "120"], ["cat"])
                figures |= {"print s": wall, "print RSS MiB": rss}
            if fmt != "npy" and not args.no_cluster:  # a level built here must not be reused
                os.environ["TUIHEAT_CACHE_DIR"] = tempfile.mkdtemp(prefix="tuiheat-levels-")
                figures |= on_cluster(argv, size)  # type: ignore[arg-type]
            shown = " · ".join(f"{k} {v:.3g}" for k, v in figures.items())
            print(f"{fmt:5} {shown}", flush=True)
    finally:
        if args.dir is None:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
