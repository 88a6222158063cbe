"""Benchmark of big matrices in a real pseudo-terminal (on demand; not part of the test suite).

    python tests/bench_big.py [--runs 3] [--size 120x40] [--sizes 2048,4096,8192,16384]

For each N x N float32 .npy (generated in a temporary directory, deleted after) and a bare
Textual app it prints: time from process start to the first paint (and the ratio to the
bare app), the time until background work has repainted, peak memory; bytes and CPU per
cursor step across (l/h) and down (j/k), with the margins on (the default) and off (s);
the time each zoom step (- - +) and zoom-to-fit (z) takes to show; and print mode
(``--print --width 120``: time and peak memory), beside gnuplot's dumb terminal when
gnuplot is installed. The curve is what matters: a step should cost the same at every size.
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
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_viewer import BARE_APP, fmt, keys_cost
from pty_helpers import PtySession, as_installed, tuiheat_executable

STEPS_ACROSS = ["l"] * 5 + ["h"] * 5
STEPS_DOWN = ["j"] * 5 + ["k"] * 5


@dataclass
class Figures:
    numbers: dict[str, list[float]] = field(default_factory=dict)

    def add(self, name: str, value: float) -> None:
        self.numbers.setdefault(name, []).append(value)

    def get(self, name: str) -> list[float]:
        return self.numbers.get(name, [])


def shown_after(session: PtySession, key: str, shows: str, timeout: float = 60) -> float:
    """Milliseconds from ``key`` to ``shows`` on screen (``-shows``: until it is gone),
    then the screen settles."""
    start = time.monotonic()
    session.send(key)
    deadline = start + timeout
    gone = shows.startswith("-")

    def waiting() -> bool:
        text = session.text()
        if gone:  # the old level has left the title and a new one is there
            return shows[1:] in text or "1 cell = " not in text or "zooming" in text
        return shows not in text

    while waiting() and time.monotonic() < deadline:
        session.pump(0.005)
    elapsed = 1000 * (session.last_output - start)
    session.settle(quiet=0.3)
    return elapsed


def run_viewer(
    argv: list[str],
    ready: str,
    size: tuple[int, int],
    f: Figures,
    big: bool,
    scan_seconds: float = 0,
) -> None:
    session = PtySession(argv, size=size)
    try:
        f.add("first paint", 1000 * session.wait_for(ready, timeout=120))
        session.settle(quiet=0.5)  # background work (exact range, margins) repaints after
        f.add("settled", 1000 * (session.last_output - session.started))
        if big:
            time.sleep(scan_seconds)  # the margins' scan of the whole file: not a step's cost
            session.settle(quiet=0.3)
            for margins in ("on", "off"):
                b, cpu = keys_cost(session, STEPS_ACROSS)
                f.add(f"across {margins} B", b)
                f.add(f"across {margins} ms", cpu)
                b, cpu = keys_cost(session, STEPS_DOWN)
                f.add(f"down {margins} B", b)
                f.add(f"down {margins} ms", cpu)
                if margins == "on":
                    session.send("s")
                    session.settle(quiet=0.3)
            session.send("s")  # margins back on: zoom as a user sees it by default
            session.settle(quiet=0.3)
            for name, key, shows in (
                ("zoom - (2)", "-", "1 cell = 2×2"),
                ("zoom - (4)", "-", "1 cell = 4×4"),
                ("zoom + (2)", "+", "1 cell = 2×2"),
                ("zoom fit", "z", "-1 cell = 2×2 "),
            ):
                f.add(name, shown_after(session, key, shows))
        peak = session.peak_memory_mib()
        if peak is not None:
            f.add("peak MiB", peak)
        session.send("q")
    finally:
        session.close()


def run_print(argv: list[str], f: Figures, name: str) -> None:
    """Wall time and peak memory of a command writing to /dev/null."""
    start = time.monotonic()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(proc.pid, 0)
    proc.returncode = 0  # reaped above
    f.add(f"{name} ms", 1000 * (time.monotonic() - start))
    f.add(f"{name} MiB", usage.ru_maxrss / 1024)


WRITE = """
import sys
import numpy as np
path, n = sys.argv[1], int(sys.argv[2])
out = np.lib.format.open_memmap(path, mode="w+", dtype=np.float32, shape=(n, n))
rng = np.random.default_rng(0)
band = max(1, (1 << 24) // n)
for r in range(0, n, band):
    out[r : r + band] = rng.random((min(band, n - r), n), dtype=np.float32)
out.flush()
"""


def write_matrix(path: Path, n: int) -> None:
    """An n x n float32 .npy written in bands by another process: this one stays small, so
    the processes it starts (whose peak memory counts what they inherit) do too."""
    subprocess.run([sys.executable, "-c", WRITE, str(path), str(n)], check=True)


GNUPLOT = "set terminal dumb size 120,40; unset key; plot '{}' binary array=({},{}) format='%float32' skip={} with image"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--size", default="120x40")
    parser.add_argument("--sizes", default="2048,4096,8192,16384")
    args = parser.parse_args()
    as_installed()
    cols, rows = (int(x) for x in args.size.split("x"))
    exe = tuiheat_executable()
    if exe is None:
        print("install tuiheat first: pip install .", file=sys.stderr)
        return 2
    sizes = [int(x) for x in args.sizes.split(",")]
    bare_f, figures = Figures(), {n: Figures() for n in sizes}
    gnuplot = shutil.which("gnuplot")
    with tempfile.TemporaryDirectory() as tmp:
        bare = Path(tmp) / "bare_app.py"
        bare.write_text(BARE_APP)
        for _ in range(args.runs):
            run_viewer(
                [sys.executable, str(bare)], "Hello from a bare", (cols, rows), bare_f, False
            )
        for n in sizes:
            path = Path(tmp) / f"big_{n}.npy"
            write_matrix(path, n)
            offset = path.stat().st_size - 4 * n * n
            for _ in range(args.runs):
                ready = "Layer 0 │ Token 0 │"
                scan = n * n / 1e8  # about a second per 100 million values
                run_viewer([exe, str(path)], ready, (cols, rows), figures[n], True, scan)
                run_print([exe, str(path), "--print", "--width", "120"], figures[n], "print")
                if gnuplot:
                    script = GNUPLOT.format(path, n, n, offset)
                    run_print([gnuplot, "-e", script], figures[n], "gnuplot")
            path.unlink()
    base = statistics.median(bare_f.get("first paint"))
    print(f"big-matrix benchmark, {cols}x{rows} pty, {args.runs} runs (medians)\n")
    print(f"bare Textual app: first paint {base:.0f} ms, {fmt(bare_f.get('peak MiB'), 'MiB', 1)}\n")
    print(
        "| N×N | first paint | vs bare | settled | peak memory "
        "| across B / ms | down B / ms | across, margins off | down, margins off "
        "| zoom − | zoom − | zoom + | zoom fit | print | gnuplot dumb |"
    )
    print("|---" * 15 + "|")
    for n, f in figures.items():
        ratio = statistics.median(f.get("first paint")) / base
        step = " | ".join(
            f"{fmt(f.get(f'{d} {m} B'), 'B')} / {fmt(f.get(f'{d} {m} ms'), 'ms', 1)}"
            for m in ("on", "off")
            for d in ("across", "down")
        )
        zooms = " | ".join(
            fmt(f.get(k), "ms") for k in ("zoom - (2)", "zoom - (4)", "zoom + (2)", "zoom fit")
        )
        printed = f"{fmt(f.get('print ms'), 'ms')}, {fmt(f.get('print MiB'), 'MiB')}"
        gp = (
            f"{fmt(f.get('gnuplot ms'), 'ms')}, {fmt(f.get('gnuplot MiB'), 'MiB')}"
            if gnuplot
            else "not installed"
        )
        print(
            f"| {n}² | {fmt(f.get('first paint'), 'ms')} | {ratio:.2f}x | "
            f"{fmt(f.get('settled'), 'ms')} | {fmt(f.get('peak MiB'), 'MiB', 1)} | {step} | "
            f"{zooms} | {printed} | {gp} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
