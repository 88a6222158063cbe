"""Benchmark of the logit lens over a full distribution: a [31, 128, 50257] float16 array of
logits (~400 MB, GPT-2's vocabulary) written once to a temporary folder in bounded memory,
then read memory-mapped. Prints figures; asserts nothing:

    python tests/bench_lens.py [--dir DIR] [--runs 5]

- one cell's top 10 (what a cursor step costs the table): a row read, softmax, argpartition;
- the top-1 grid (one pass over the file, at open);
- a token followed through every cell (one pass: probability and rank);
- peak RSS of the process (the file's pages are read with pread, not held).
Targets (issue 27): a cursor step <= 30 ms on a full distribution.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from tuiheat.core.lens import FullLens

SHAPE = (31, 128, 50257)


def lens_file(folder: Path) -> Path:
    path = folder / "lens_logits_31x128x50257_f16.npy"
    if not path.exists():
        out = np.lib.format.open_memmap(path, mode="w+", dtype=np.float16, shape=SHAPE)
        rng = np.random.default_rng(0)
        for layer in range(SHAPE[0]):
            out[layer] = (rng.standard_normal(SHAPE[1:], dtype=np.float32) * 3).astype(np.float16)
        out.flush()
        del out
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", default=str(Path(tempfile.gettempdir()) / "tuiheat-bench-lens"))
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    folder = Path(args.dir)
    folder.mkdir(parents=True, exist_ok=True)
    path = lens_file(folder)
    print(f"{path.name}: {path.stat().st_size / 2**20:.0f} MiB")
    lens = FullLens.guess(np.load(path, mmap_mode="r"))
    rng = np.random.default_rng(1)
    cells = []
    for _ in range(50):
        layer, pos = int(rng.integers(SHAPE[0])), int(rng.integers(SHAPE[1]))
        t0 = time.perf_counter()
        lens.cell(layer, pos, 10)
        cells.append(time.perf_counter() - t0)
    print(f"one cell's top 10 ({lens.kind}): {1000 * statistics.median(cells):.2f} ms median of 50")
    for name, work in (("top-1 grid", lens.top1), ("a token followed", lambda: lens.track(1234))):
        times = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            work()
            times.append(time.perf_counter() - t0)
        print(f"{name}: {statistics.median(times):.2f} s median of {args.runs}")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
