"""Benchmark of big matrices in a real pseudo-terminal (on demand; not part of the test suite).

    python tests/bench_big.py [--runs 3] [--size 120x40] [--n 4096]

For an N x N float32 .npy (default 4096) and the seed sample it reports: time from
process start to the first paint (and the ratio to a bare Textual app in the same
run), peak memory, and bytes and CPU per cursor step, per page step and per zoom
change, with the time a zoom change takes to show. Targets of the big-matrix issue
(120x40): first paint within 1.6x the bare app, peak memory under 150 MiB, a cursor
step under 600 bytes, a page step under 120 KB, a zoom change under 200 ms.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_viewer import BARE_APP, fmt, keys_cost
from pty_helpers import PtySession, tuiheat_executable


@dataclass
class Figures:
    first_paint_ms: list[float] = field(default_factory=list)
    settled_ms: list[float] = field(default_factory=list)
    peak_mib: list[float] = field(default_factory=list)
    step_bytes: list[float] = field(default_factory=list)
    step_cpu_ms: list[float] = field(default_factory=list)
    page_bytes: list[float] = field(default_factory=list)
    zoom_bytes: list[float] = field(default_factory=list)
    zoom_ms: list[float] = field(default_factory=list)


def zoom_change(session: PtySession, key: str, shows: str) -> tuple[float, int]:
    """Milliseconds from the key to ``shows`` on screen, and the bytes written meanwhile."""
    before = len(session.raw)
    start = time.monotonic()
    session.send(key)
    deadline = start + 30
    while shows not in session.text() and time.monotonic() < deadline:
        session.pump(0.005)
    elapsed = 1000 * (session.last_output - start)
    session.settle(quiet=0.2)
    return elapsed, len(session.raw) - before


def run_case(
    argv: list[str], ready: str, size: tuple[int, int], figures: Figures, interact: bool
) -> None:
    session = PtySession(argv, size=size)
    try:
        figures.first_paint_ms.append(1000 * session.wait_for(ready, timeout=60))
        session.settle(quiet=0.3)  # background work (exact range, margins) repaints after
        figures.settled_ms.append(1000 * (session.last_output - session.started))
        if interact:
            session.send("s")  # margins and profiles off: the grid alone, as the targets assume
            session.settle(quiet=0.3)
            b, cpu = keys_cost(session, ["l"] * 5 + ["j"] * 5 + ["h"] * 5 + ["k"] * 5)
            figures.step_bytes.append(b)
            figures.step_cpu_ms.append(cpu)
            b, _ = keys_cost(session, ["pagedown"] * 3 + ["pageup"] * 3)
            figures.page_bytes.append(b)
            for key, shows in (("-", "1 cell = 2×2"), ("-", "1 cell = 4×4"), ("+", "1 cell = 2×2")):
                ms, b = zoom_change(session, key, shows)
                figures.zoom_ms.append(ms)
                figures.zoom_bytes.append(b)
        peak = session.peak_memory_mib()
        if peak is not None:
            figures.peak_mib.append(peak)
        session.send("q")
    finally:
        session.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--size", default="120x40")
    parser.add_argument("--n", type=int, default=4096)
    args = parser.parse_args()
    cols, rows = (int(x) for x in args.size.split("x"))
    exe = tuiheat_executable()
    if exe is None:
        print("install tuiheat first: pip install .", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        bare = Path(tmp) / "bare_app.py"
        bare.write_text(BARE_APP)
        big = Path(tmp) / f"big_{args.n}.npy"
        np.save(big, np.random.default_rng(0).random((args.n, args.n), dtype=np.float32))
        cases = {
            "bare Textual app": ([sys.executable, str(bare)], "Hello from a bare", False),
            "seed sample": ([exe], "Layer 0 │ Token last_q", True),
            f"{args.n}x{args.n} float32 .npy": ([exe, str(big)], "Layer 0 │ Token 0 │", True),
        }
        results = {name: Figures() for name in cases}
        for _ in range(args.runs):
            for name, (argv, ready, interact) in cases.items():
                run_case(argv, ready, (cols, rows), results[name], interact)
                time.sleep(0.2)
    base = statistics.median(results["bare Textual app"].first_paint_ms)
    print(f"big-matrix benchmark, {cols}x{rows} pty, {args.runs} runs (medians)\n")
    print(
        "| case | first paint | vs bare | settled | peak memory | bytes/step | CPU/step "
        "| bytes/page | zoom change | bytes/zoom |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for name, f in results.items():
        ratio = statistics.median(f.first_paint_ms) / base
        print(
            f"| {name} | {fmt(f.first_paint_ms, 'ms')} | {ratio:.2f}x | "
            f"{fmt(f.settled_ms, 'ms')} | {fmt(f.peak_mib, 'MiB', 1)} | "
            f"{fmt(f.step_bytes, 'B')} | {fmt(f.step_cpu_ms, 'ms', 1)} | "
            f"{fmt(f.page_bytes, 'B')} | {fmt(f.zoom_ms, 'ms')} | "
            f"{fmt(f.zoom_bytes, 'B')} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
