"""How long P and --peaks / --emerge take: one pass over a 4096×4096 float32 .npy (memory
mapped, read in row blocks), as stored and transposed. Prints figures; asserts nothing.

    python tests/bench_columnmarks.py
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import numpy as np

from tuiheat.core.emergence import column_rows
from tuiheat.core.tensor import Tensor, default_spec, slice_matrix, transpose


def main(size: int = 4096) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "grid.npy"
        values = np.random.default_rng(0).random((size, size), dtype=np.float32)
        np.save(path, values)
        del values
        tensor = Tensor(np.load(path, mmap_mode="r"))
        spec = default_spec(tensor)
        for name, view in (("as stored", spec), ("transposed", transpose(spec))):
            matrix = slice_matrix(tensor, view)
            for what, peaks, threshold in (("peaks", True, None), ("both", True, 0.5)):
                best = min(_timed(matrix, peaks, threshold) for _ in range(3))
                print(f"{size}×{size} float32, {name}, {what}: {best * 1000:.0f} ms")


def _timed(matrix, peaks: bool, threshold: float | None) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    column_rows(matrix, peaks, threshold)
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
