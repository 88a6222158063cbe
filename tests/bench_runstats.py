"""Benchmark of statistics across runs: 10 runs of a 4096 × 4096 float32 grid (.npy, 64 MiB
each) written once to a folder, then summarised memory-mapped. Each case runs in a fresh
process so its peak RSS is its own. Prints figures; asserts nothing:

    python tests/bench_runstats.py [--dir DIR]

- ``--stats`` over 10 runs: mean, std, t-interval and the marks (one pass, blocks of cells);
- ``--vs`` of 5 runs against 5, paired and unpaired (Welch): difference, t-test per cell,
  Benjamini–Hochberg over the 16.8 M cells;
- the export's columns, computed again in float64: one-sample p-values and their q-values
  over every cell (``--export x.csv``; writing 16.8 M lines of CSV comes on top).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

SIDE, RUNS = 4096, 10

CASE = """
import json, resource, sys, time
import numpy as np
from tuiheat.core.acrossruns import Runs, bh_over, one_sample_p, summarise
paths = sys.argv[2:]
runs = tuple(np.load(p, mmap_mode="r") for p in paths)
case = sys.argv[1]
start = time.perf_counter()
if case == "stats":
    summarise(Runs(runs, reference=0.5))
elif case == "export":  # as --export computes it: in float64
    bh_over(one_sample_p(summarise(Runs(runs, reference=0.5), exact=True)))
else:
    half = len(runs) // 2
    summarise(Runs(runs[:half], runs[half:], paired=case == "paired"))
seconds = time.perf_counter() - start
print(json.dumps({"s": seconds, "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run_files(folder: Path) -> list[str]:
    rng = np.random.default_rng(0)
    base = rng.uniform(0.45, 1.0, (SIDE, SIDE)).astype(np.float32)
    paths = []
    for i in range(RUNS):
        path = folder / f"run{i}.npy"
        if not path.exists():
            np.save(path, base + rng.normal(0, 0.02, base.shape).astype(np.float32))
        paths.append(str(path))
    return paths


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", type=Path, default=None)
    args = parser.parse_args()
    folder = args.dir or Path(tempfile.mkdtemp(prefix="tuiheat-bench-runs-"))
    folder.mkdir(parents=True, exist_ok=True)
    paths = run_files(folder)
    print(f"{RUNS} runs of {SIDE}×{SIDE} float32 in {folder}")
    for case, what in (
        ("stats", f"--stats over {RUNS} runs (mean, std, interval, marks)"),
        ("paired", f"--vs {RUNS // 2} against {RUNS // 2}, paired t-test + BH"),
        ("welch", f"--vs {RUNS // 2} against {RUNS // 2}, --unpaired (Welch) + BH"),
        ("export", "the long CSV's columns in float64: one-sample p and BH q of every cell"),
    ):
        out = subprocess.run(
            [sys.executable, "-c", CASE, case, *paths], capture_output=True, text=True, check=True
        )
        figures = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"{what}: {figures['s']:.1f} s, peak RSS {figures['rss']:.0f} MiB")


if __name__ == "__main__":
    main()
