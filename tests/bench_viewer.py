"""Benchmark of the viewer in a real pseudo-terminal (run on demand; not part of the test suite).

    python tests/bench_viewer.py [--runs 3] [--size 120x40]

Reports, for a bare Textual app showing one Static, two floors (a Textual app whose keys
change one line; numpy and a 32 x 16 heatmap in one Static), the seed sample and a
2048 x 2048 float32 matrix: time from process start to the first full paint, bytes written for it,
bytes and CPU per cursor step, and peak memory. Bytes written to the pty are the bytes
that cross an SSH link. Figures vary with the machine: compare ratios from one run.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import textwrap
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pty_helpers import PtySession, as_installed, tuiheat_executable

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
SEED_CSV = SAMPLES / "seed_probe_auc.csv"
ATTENTION = SAMPLES / "minilm_attention.npz"

BARE_APP = textwrap.dedent(
    """
    from textual.app import App
    from textual.widgets import Static

    class Bare(App):
        BINDINGS = [("q", "quit", "Quit")]

        def compose(self):
            yield Static("Hello from a bare Textual app")

    Bare().run()
    """
)
# Two floors the figures above them are read against: any Textual app that answers a key
# by changing one line (the least a key can cost), and the least a numpy heatmap can be
# (numpy imported, 32 x 16 coloured cells in one Static, a key moving a marker).
KEY_FLOOR_APP = textwrap.dedent(
    """
    from textual.app import App
    from textual.widgets import Static

    class KeyFloor(App):
        BINDINGS = [("q", "quit", "Quit")] + [(k, f"move({d})", "") for k, d in
            (("l", 1), ("h", -1), ("j", 1), ("k", -1))]
        n = 0

        def compose(self):
            yield Static("Hello from a bare Textual app")
            self.line = Static("cursor 0")
            yield self.line

        def action_move(self, d):
            self.n += d
            self.line.update(f"cursor {self.n}")

    KeyFloor().run()
    """
)
HEATMAP_FLOOR_APP = textwrap.dedent(
    """
    import numpy as np
    from rich.text import Text
    from textual.app import App
    from textual.widgets import Static

    VALUES = np.random.default_rng(0).random((32, 16))

    def grid(cursor):
        text = Text()
        for r, row in enumerate(VALUES):
            for c, x in enumerate(row):
                mark = " [] " if (r, c) == cursor else "    "
                text.append(mark, style=f"on rgb({int(255 * x)},{int(255 * x)},255)")
            text.append("\\n")
        return text

    class HeatmapFloor(App):
        BINDINGS = [("q", "quit", "Quit")] + [(k, f"move({dr},{dc})", "") for k, dr, dc in
            (("l", 0, 1), ("h", 0, -1), ("j", 1, 0), ("k", -1, 0))]
        cursor = (0, 0)

        def compose(self):
            yield Static("Hello from a bare Textual app")
            self.grid = Static(grid(self.cursor))
            yield self.grid

        def action_move(self, dr, dc):
            self.cursor = (self.cursor[0] + dr) % 32, (self.cursor[1] + dc) % 16
            self.grid.update(grid(self.cursor))

    HeatmapFloor().run()
    """
)
STEP_KEYS = ["l"] * 6 + ["j"] * 6 + ["h"] * 6 + ["k"] * 6


@dataclass
class Result:
    first_paint_ms: list[float] = field(default_factory=list)
    first_paint_bytes: list[int] = field(default_factory=list)
    step_bytes: list[float] = field(default_factory=list)
    step_cpu_ms: list[float] = field(default_factory=list)
    peak_mib: list[float] = field(default_factory=list)


def keys_cost(session: PtySession, keys: list[str]) -> tuple[float, float]:
    """Median bytes per key and mean CPU ms per key (CPU includes idle ticks: an upper bound)."""
    cpu0 = session.cpu_seconds() or 0.0
    sizes = []
    for key in keys:
        session.send(key)
        sizes.append(session.settle(quiet=0.12))
    cpu1 = session.cpu_seconds() or 0.0
    return statistics.median(sizes), 1000 * (cpu1 - cpu0) / len(keys)


def measure(
    argv: list[str],
    ready: str,
    size: tuple[int, int],
    steps: list[str],
    result: Result,
    setup: list[str] | None = None,
) -> None:
    session = PtySession(argv, size=size)
    try:
        session.wait_for(ready, timeout=60)
        session.settle(quiet=0.3)
        result.first_paint_ms.append(1000 * (session.last_output - session.started))
        result.first_paint_bytes.append(len(session.raw))
        for key in setup or []:
            session.send(key)
            session.settle(quiet=0.3)
        if steps:
            step_bytes, step_cpu = keys_cost(session, steps)
            result.step_bytes.append(step_bytes)
            result.step_cpu_ms.append(step_cpu)
        peak = session.peak_memory_mib()
        if peak is not None:
            result.peak_mib.append(peak)
        session.send("q")
    finally:
        session.close()


def fmt(values: list[float], unit: str, digits: int = 0) -> str:
    if not values:
        return "-"
    return f"{statistics.median(values):.{digits}f} {unit}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--size", default="120x40")
    args = parser.parse_args()
    as_installed()
    cols, rows = (int(x) for x in args.size.split("x"))
    exe = tuiheat_executable()
    if exe is None:
        print("install tuiheat first: pip install .", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        bare = Path(tmp) / "bare_app.py"
        bare.write_text(BARE_APP)
        key_floor = Path(tmp) / "key_floor.py"
        key_floor.write_text(KEY_FLOOR_APP)
        heatmap_floor = Path(tmp) / "heatmap_floor.py"
        heatmap_floor.write_text(HEATMAP_FLOOR_APP)
        big = Path(tmp) / "big_2048.npy"
        rng = np.random.default_rng(0)
        np.save(big, rng.random((2048, 2048), dtype=np.float32))
        runs = []  # the seed and two changed copies: compare mode and N panes
        for i in range(3):
            path = Path(tmp) / f"run{i}.npy"
            seed = np.loadtxt(SEED_CSV, delimiter=",", skiprows=1)
            np.save(path, np.clip(seed + 0.02 * i * rng.standard_normal(seed.shape), 0.5, 1.0))
            runs.append(str(path))
        seed_ready = "Layer 0 │ Token last_q"
        big_ready = "Layer 0 │ Token 0 │"
        runs_ready = "Layer 0 │ Token 0 │ A"
        wide = (max(cols, 150), max(rows, 44))
        cases = {
            "bare Textual app": ([sys.executable, str(bare)], "Hello from a bare", [], []),
            "floor: a key changes one line": (
                [sys.executable, str(key_floor)],
                "Hello from a bare",
                STEP_KEYS,
                [],
            ),
            "floor: numpy heatmap in one Static": (
                [sys.executable, str(heatmap_floor)],
                "Hello from a bare",
                STEP_KEYS,
                [],
            ),
            "compare A B (150x44)": ([exe, *runs[:2]], runs_ready, STEP_KEYS, [], wide),
            "3 panes A B C (150x44)": ([exe, *runs], runs_ready, STEP_KEYS, [], wide),
            "12 heads, --facet head": (
                [exe, str(ATTENTION), "--key", "attn", "--facet", "head"],
                "q [CLS] │ k [CLS] │ head 0",
                STEP_KEYS,
                [],
            ),
            "seed sample": ([exe], seed_ready, STEP_KEYS, []),
            "seed, margins off (s)": ([exe], seed_ready, STEP_KEYS, ["s"]),
            "seed, profile chart (p)": ([exe], seed_ready, STEP_KEYS, ["p"]),
            "2048x2048 .npy, profiles on": ([exe, str(big)], big_ready, STEP_KEYS, []),
            "2048x2048 .npy, margins off (s)": ([exe, str(big)], big_ready, STEP_KEYS, ["s"]),
        }
        results = {name: Result() for name in cases}
        for _ in range(args.runs):  # interleaved, so load on the machine hits every case alike
            for name, (argv, ready, steps, setup, *size) in cases.items():
                measure(argv, ready, size[0] if size else (cols, rows), steps, results[name], setup)
                time.sleep(0.2)
    base = statistics.median(results["bare Textual app"].first_paint_ms)
    print(f"tuiheat viewer benchmark, {cols}x{rows} pty, {args.runs} runs (medians)\n")
    print(
        "| case | first paint | vs bare | first-paint bytes | bytes/step | CPU/step | peak memory |"
    )
    print("|---|---|---|---|---|---|---|")
    for name, r in results.items():
        ratio = statistics.median(r.first_paint_ms) / base if base else float("nan")
        print(
            f"| {name} | {fmt(r.first_paint_ms, 'ms')} | {ratio:.2f}x | "
            f"{fmt(r.first_paint_bytes, 'B')} | {fmt(r.step_bytes, 'B')} | "
            f"{fmt(r.step_cpu_ms, 'ms', 1)} | {fmt(r.peak_mib, 'MiB', 1)} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
