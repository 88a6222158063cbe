"""Benchmark of the viewer in a real pseudo-terminal (run on demand; not part of the test suite).

    python tests/bench_viewer.py [--runs 3] [--size 120x40] [--cases seed,facets64,...]

Reports, for a bare Textual app showing one Static, two floors (a Textual app whose keys
change one line; numpy and a 32 x 16 heatmap in one Static), the seed sample, files side by
side, facets (12 heads; 64 panels of a [64, 8, 8] array at 200 x 60) and a 2048 x 2048
float32 matrix: time from process start to the first full paint (the last output before
0.3 s of quiet) and its ratio to the bare app and to the numpy-heatmap floor at the same
size, bytes written for it, how many full-sized frames it drew (one is the least), bytes,
CPU and milliseconds per cursor step, and peak memory. Bytes written to the pty are the
bytes that cross an SSH link. The pty answers like a terminal with synchronized output
(Textual then brackets each frame, which is how frames are counted). Figures vary with the
machine: compare ratios from one run.
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
from bench_helpers import frames, full_frames, load_line, paired_ratio
from bench_helpers import session as bench_session
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
    full_frames: list[int] = field(default_factory=list)
    step_bytes: list[float] = field(default_factory=list)
    step_cpu_ms: list[float] = field(default_factory=list)
    step_ms: list[float] = field(default_factory=list)
    peak_mib: list[float] = field(default_factory=list)


def step_cost(session: PtySession, keys: list[str]) -> tuple[float, float, float]:
    """Median bytes per key, mean CPU ms per key (CPU includes idle ticks: an upper bound)
    and the median ms from a key to the last byte of its answer."""
    cpu0 = session.cpu_seconds() or 0.0
    sizes, latencies = [], []
    for key in keys:
        sent = time.monotonic()
        session.send(key)
        sizes.append(session.settle(quiet=0.12))
        latencies.append(1000 * max(0.0, session.last_output - sent))
    cpu1 = session.cpu_seconds() or 0.0
    cpu = 1000 * (cpu1 - cpu0) / len(keys)
    return statistics.median(sizes), cpu, statistics.median(latencies)


def keys_cost(session: PtySession, keys: list[str]) -> tuple[float, float]:
    """Median bytes per key and mean CPU ms per key (CPU includes idle ticks: an upper bound)."""
    size, cpu, _ = step_cost(session, keys)
    return size, cpu


@dataclass
class Case:
    title: str
    argv: list[str]
    ready: str
    steps: list[str]
    setup: list[str] = field(default_factory=list)
    size: tuple[int, int] | None = None  # None: the --size of the run
    floor: str = "floor"  # the case whose first paint this one is read against


def measure(case: Case, size: tuple[int, int], result: Result) -> None:
    session = bench_session(case.argv, size)
    try:
        session.wait_for(case.ready, timeout=60)
        session.settle(quiet=0.3)
        result.first_paint_ms.append(1000 * (session.last_output - session.started))
        result.first_paint_bytes.append(len(session.raw))
        result.full_frames.append(full_frames(frames(session.raw)))
        for key in case.setup:
            session.send(key)
            session.settle(quiet=0.3)
        if case.steps:
            step_bytes, step_cpu, step_ms = step_cost(session, case.steps)
            result.step_bytes.append(step_bytes)
            result.step_cpu_ms.append(step_cpu)
            result.step_ms.append(step_ms)
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


def write_apps(tmp: Path) -> dict[str, Path]:
    apps = {}
    for name, source in (
        ("bare", BARE_APP),
        ("key_floor", KEY_FLOOR_APP),
        ("heatmap_floor", HEATMAP_FLOOR_APP),
    ):
        apps[name] = tmp / f"{name}.py"
        apps[name].write_text(source)
    return apps


def write_data(tmp: Path) -> dict[str, str]:
    """The 2048 x 2048 file, the seed and two changed copies (compare mode and N panes), and
    a [64, 8, 8] array for 64 panels."""
    rng = np.random.default_rng(0)
    data = {"big": str(tmp / "big_2048.npy"), "facets": str(tmp / "facets_64.npy")}
    np.save(data["big"], rng.random((2048, 2048), dtype=np.float32))
    np.save(data["facets"], rng.random((64, 8, 8), dtype=np.float32))
    seed = np.loadtxt(SEED_CSV, delimiter=",", skiprows=1)
    for i in range(3):
        path = tmp / f"run{i}.npy"
        np.save(path, np.clip(seed + 0.02 * i * rng.standard_normal(seed.shape), 0.5, 1.0))
        data[f"run{i}"] = str(path)
    return data


def all_cases(exe: str, apps: dict[str, Path], data: dict[str, str], cols: int, rows: int):
    """Every case by its short name (``--cases`` picks them)."""
    py = sys.executable
    hello = "Hello from a bare"
    seed_ready = "Layer 0 │ Token last_q"
    big_ready = "Layer 0 │ Token 0 │"
    runs_ready = "Layer 0 │ Token 0 │ A"
    runs = [data["run0"], data["run1"], data["run2"]]
    wide = (max(cols, 150), max(rows, 44))
    return {
        "bare": Case("bare Textual app", [py, str(apps["bare"])], hello, []),
        "keyfloor": Case(
            "floor: a key changes one line", [py, str(apps["key_floor"])], hello, STEP_KEYS
        ),
        "floor": Case(
            "floor: numpy heatmap in one Static", [py, str(apps["heatmap_floor"])], hello, STEP_KEYS
        ),
        "floor200": Case(
            "floor: numpy heatmap in one Static (200x60)",
            [py, str(apps["heatmap_floor"])],
            hello,
            STEP_KEYS,
            size=(200, 60),
            floor="floor200",
        ),
        "compare": Case("compare A B (150x44)", [exe, *runs[:2]], runs_ready, STEP_KEYS, size=wide),
        "panes3": Case("3 panes A B C (150x44)", [exe, *runs], runs_ready, STEP_KEYS, size=wide),
        "heads12": Case(
            "12 heads, --facet head",
            [exe, str(ATTENTION), "--key", "attn", "--facet", "head"],
            "q [CLS] │ k [CLS] │ head 0",
            STEP_KEYS,
        ),
        "facets64": Case(
            "64 panels, [64,8,8] --facet 0 (200x60)",
            [exe, data["facets"], "--facet", "0"],
            "dim1 0 │ dim2 0 │ dim0 0",
            STEP_KEYS,
            size=(200, 60),
            floor="floor200",
        ),
        "seed": Case("seed sample", [exe], seed_ready, STEP_KEYS),
        "seed-s": Case("seed, margins off (s)", [exe], seed_ready, STEP_KEYS, ["s"]),
        "seed-p": Case("seed, profile chart (p)", [exe], seed_ready, STEP_KEYS, ["p"]),
        "big": Case("2048x2048 .npy, profiles on", [exe, data["big"]], big_ready, STEP_KEYS),
        "big-s": Case(
            "2048x2048 .npy, margins off (s)", [exe, data["big"]], big_ready, STEP_KEYS, ["s"]
        ),
    }


CASE_NAMES = (
    "bare,keyfloor,floor,floor200,compare,panes3,heads12,facets64,seed,seed-s,seed-p,big,big-s"
)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--size", default="120x40")
    parser.add_argument(
        "--cases",
        default=CASE_NAMES,
        help=f"comma-separated, of {CASE_NAMES} (the floors and the bare app are added: "
        "every figure is read against them)",
    )
    args = parser.parse_args()
    args.cases = [c for c in args.cases.split(",") if c]
    unknown = set(args.cases) - set(CASE_NAMES.split(","))
    if unknown:
        parser.error(f"unknown cases: {', '.join(sorted(unknown))}")
    return args


def main() -> int:
    args = parse_args()
    as_installed()
    cols, rows = (int(x) for x in args.size.split("x"))
    exe = tuiheat_executable()
    if exe is None:
        print("install tuiheat first: pip install .", file=sys.stderr)
        return 2
    print(f"tuiheat: {exe}; {load_line()} at start", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        every = all_cases(exe, write_apps(Path(tmp)), write_data(Path(tmp)), cols, rows)
        wanted = {"bare", "floor", *args.cases} | {every[name].floor for name in args.cases}
        cases = {name: case for name, case in every.items() if name in wanted}
        results = {name: Result() for name in cases}
        for _ in range(args.runs):  # interleaved, so load on the machine hits every case alike
            for name, case in cases.items():
                measure(case, case.size or (cols, rows), results[name])
                time.sleep(0.2)
    print(f"{load_line()} at the end; the machine is shared: figures are noisy\n")
    print_table(args, cases, results)
    return 0


def print_table(args: argparse.Namespace, cases: dict[str, Case], results: dict[str, Result]):
    def paint(name: str) -> float:
        return statistics.median(results[name].first_paint_ms)

    cols, rows = (int(x) for x in args.size.split("x"))
    print(f"tuiheat viewer benchmark, {cols}x{rows} pty, {args.runs} runs (medians)\n")
    print(
        "| case | first paint | vs bare | vs floor (run by run) | first-paint bytes | full frames "
        "| bytes/step | CPU/step | ms/step | peak memory |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for name, r in results.items():
        to_bare = paint(name) / paint("bare")
        to_floor = paired_ratio(r.first_paint_ms, results[cases[name].floor].first_paint_ms)
        print(
            f"| {cases[name].title} | {fmt(r.first_paint_ms, 'ms')} | {to_bare:.2f}x | "
            f"{to_floor} | {fmt(r.first_paint_bytes, 'B')} | {fmt(r.full_frames, '')} | "
            f"{fmt(r.step_bytes, 'B')} | {fmt(r.step_cpu_ms, 'ms', 1)} | "
            f"{fmt(r.step_ms, 'ms', 1)} | {fmt(r.peak_mib, 'MiB', 1)} |"
        )


if __name__ == "__main__":
    sys.exit(main())
