"""Benchmark of big matrices in a real pseudo-terminal (on demand; not part of the test suite).

    python tests/bench_big.py [--runs 3] [--cases table,open,keys,R,t,print] [--size 120x40]
        [--sizes 2048,4096,8192,16384] [--issue-n 16384] [--issue-size 200x60] [--t-runs 1]

``table``: for each N x N float32 .npy (generated in a temporary directory, deleted after), a
bare Textual app and the numpy-heatmap floor of bench_viewer.py it prints: time from process
start to the first paint (the ready text; and the last output before 0.3 s of quiet, read
against the floor), how many full-sized frames were drawn by then and until idle, the time
until background work has repainted, peak memory; bytes and CPU per cursor step across (l/h)
and down (j/k), with the margins on (the default) and off (s); the time each zoom step
(- - +) and zoom-to-fit (z) takes to show; and print mode (``--print --width 120``: time and
peak memory), beside gnuplot's dumb terminal when gnuplot is installed. ``paint``: only the
first-paint columns. The curve is what matters: a step should cost the same at every size.

The other cases are those of issue 25's table "No key that costs the file", on one
``--issue-n``² file at ``--issue-size``; "idle" is the terminal quiet for 0.3 s and the
process's CPU time flat over it (see bench_helpers.py):

- ``open``: open -> idle (wall and CPU), the bytes and frames the background scans write after
  the first frame, then ``s`` and the bytes of the first cursor steps after it;
- ``keys``: m, L (on, off), H (on, off), - + - (a zoom level already seen): time to idle,
  CPU and bytes each;
- ``R``: R to the matrix's range, then R into per row (and per column) with ``l`` sent at
  once: when ``l`` is answered, whether anything (progress) is drawn past 0.3 s before the
  range, when the title names it, when the process is idle;
- ``t``: transpose, time to idle, CPU and peak RSS (VmHWM) (``--t-runs``, default 1: slow);
- ``print``: ``tuiheat FILE --print | head`` on a ``--print-shape`` file: wall, CPU, peak RSS.
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
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_helpers import (
    PROGRESS,
    QUIET,
    Figures,
    Idle,
    frames,
    full_frames,
    load_line,
    paired_ratio,
    run_piped,
    session,
    wait_idle,
    wait_ready,
)
from bench_viewer import BARE_APP, HEATMAP_FLOOR_APP, fmt, keys_cost
from pty_helpers import PtySession, as_installed, tuiheat_executable

STEPS_ACROSS = ["l"] * 5 + ["h"] * 5
STEPS_DOWN = ["j"] * 5 + ["k"] * 5


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
    """First paint (the ready text, then the last output before 0.3 s of quiet, as
    bench_viewer reads it), the full-sized frames in it; with ``big``, steps and zoom."""
    s = session(argv, size)
    try:
        f.add("first paint", 1000 * wait_ready(s, ready)[0])
        s.settle(quiet=QUIET)
        f.add("paint quiet", 1000 * (s.last_output - s.started))
        f.add("full frames", full_frames(frames(s.raw)))
        s.settle(quiet=0.5)  # background work (exact range, margins) repaints after
        f.add("settled", 1000 * (s.last_output - s.started))
        idle = wait_idle(s, timeout=120)
        f.add("idle", 1000 * (idle.at - s.started))
        f.add("full frames to idle", full_frames(frames(s.raw)))
        if big:
            time.sleep(scan_seconds)  # the margins' scan of the whole file: not a step's cost
            s.settle(quiet=0.3)
            steps_and_zoom(s, f)
        peak = s.peak_memory_mib()
        if peak is not None:
            f.add("peak MiB", peak)
        s.send("q")
    finally:
        s.close()


def steps_and_zoom(s: PtySession, f: Figures) -> None:
    for margins in ("on", "off"):
        b, cpu = keys_cost(s, STEPS_ACROSS)
        f.add(f"across {margins} B", b)
        f.add(f"across {margins} ms", cpu)
        b, cpu = keys_cost(s, STEPS_DOWN)
        f.add(f"down {margins} B", b)
        f.add(f"down {margins} ms", cpu)
        if margins == "on":
            s.send("s")
            s.settle(quiet=0.3)
    s.send("s")  # margins back on: zoom as a user sees it by default
    s.settle(quiet=0.3)
    for name, key, shows in (
        ("zoom - (2)", "-", "1 cell = 2×2"),
        ("zoom - (4)", "-", "1 cell = 4×4"),
        ("zoom + (2)", "+", "1 cell = 2×2"),
        ("zoom fit", "z", "-1 cell = 2×2 "),
    ):
        f.add(name, shown_after(s, key, shows))


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
path, n, m = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
out = np.lib.format.open_memmap(path, mode="w+", dtype=np.float32, shape=(n, m))
rng = np.random.default_rng(0)
band = max(1, (1 << 24) // m)
for r in range(0, n, band):
    out[r : r + band] = rng.random((min(band, n - r), m), dtype=np.float32)
out.flush()
"""


def write_matrix(path: Path, n: int, cols: int | None = None) -> None:
    """An n x n (or n x cols) float32 .npy written in bands by another process: this one
    stays small, so the processes it starts (whose peak memory counts what they inherit) do
    too."""
    size = [str(n), str(cols or n)]
    subprocess.run([sys.executable, "-c", WRITE, str(path), *size], check=True)


# --- the cases of issue 25's table "No key that costs the file" (one N x N file, 200 x 60) ---

READY = "Layer 0 │ Token 0 │"


@dataclass
class KeyCost:
    """One key from idle to idle: seconds, CPU seconds, bytes written."""

    seconds: float
    cpu: float
    bytes: int
    timed_out: bool


def key_to_idle(s: PtySession, key: str, timeout: float = 60.0) -> KeyCost:
    n0, cpu0, start = len(s.raw), s.cpu_seconds() or 0.0, time.monotonic()
    s.send(key)
    idle = wait_idle(s, timeout)
    return KeyCost(max(0.0, idle.at - start), idle.cpu - cpu0, len(s.raw) - n0, idle.timed_out)


def opened(path: Path, size: tuple[int, int], exe: str) -> tuple[PtySession, float, int, Idle]:
    """The viewer on ``path``, idle: seconds to the first frame, where it ends, the idle."""
    s = session([exe, str(path)], size)
    try:
        first, frame_end = wait_ready(s, READY)
        return s, first, frame_end, wait_idle(s, timeout=120)
    except BaseException:
        s.close()
        raise


def quit_viewer(s: PtySession) -> None:
    s.send("q")
    s.close()


def case_open(path: Path, size: tuple[int, int], exe: str, f: Figures) -> None:
    """open -> idle (wall, CPU); what the background scans write after the first frame;
    then ``s`` and the first cursor steps after it."""
    s, first, frame_end, idle = opened(path, size, exe)
    try:
        later = frames(s.raw, frame_end)
        f.add("first frame s", first)
        f.add("open idle s", idle.at - s.started)
        f.add("open cpu s", idle.cpu)
        f.add("open timed out", idle.timed_out)
        f.add("after first frame KB", (len(s.raw) - frame_end) / 1000)
        f.add("repaints", len(later))
        f.add("biggest repaint KB", max(later, default=0) / 1000)
        f.add("open peak MiB", s.peak_memory_mib() or 0.0)
        off = key_to_idle(s, "s")
        f.add("s KB", off.bytes / 1000)
        f.add("s idle s", off.seconds)
        for name in ("step 1 after s", "step 2 after s"):
            step = key_to_idle(s, "l")
            f.add(f"{name} KB", step.bytes / 1000)
            f.add(f"{name} idle s", step.seconds)
    finally:
        quit_viewer(s)


KEY_CASES = (  # (name, key): each from idle, in this order, in one session
    ("m (margins mean -> max)", "m"),
    ("L (log on)", "L"),
    ("L (log off)", "L"),
    ("H (half blocks on)", "H"),
    ("H (half blocks off)", "H"),
    ("- (zoom out, new level)", "-"),
    ("+ (back to 1:1)", "+"),
    ("- (a level already seen)", "-"),
)


def case_keys(path: Path, size: tuple[int, int], exe: str, f: Figures) -> None:
    s, *_ = opened(path, size, exe)
    try:
        for name, key in KEY_CASES:
            cost = key_to_idle(s, key)
            f.add(f"{name} s", cost.seconds)
            f.add(f"{name} cpu", cost.cpu)
            f.add(f"{name} KB", cost.bytes / 1000)
            f.add(f"{name} timed out", cost.timed_out)
    finally:
        quit_viewer(s)


def case_transpose(path: Path, size: tuple[int, int], exe: str, f: Figures, timeout: float) -> None:
    s, *_ = opened(path, size, exe)
    try:
        f.add("t peak before MiB", s.peak_memory_mib() or 0.0)
        cost = key_to_idle(s, "t", timeout)
        f.add("t idle s", cost.seconds)
        f.add("t cpu", cost.cpu)
        f.add("t timed out", cost.timed_out)
        f.add("t peak MiB", s.peak_memory_mib() or 0.0)
    finally:
        quit_viewer(s)


def range_key(s: PtySession, mode: str, column: int, f: Figures) -> None:
    """``R`` into ``mode`` and at once ``l``: when ``l`` is answered, when the title names
    the mode, whether anything is drawn (progress) past 0.3 s before that, when idle."""
    before = s.text().splitlines()
    cpu0, start = s.cpu_seconds() or 0.0, time.monotonic()
    seen: dict[str, float] = {}
    drawn_late: list[int] = []

    def watch(now: float) -> None:
        lines = s.text().splitlines()
        if "answered" not in seen and f"Token {column + 1} │" in lines[-1]:
            seen["answered"] = s.last_output - start
        if "shown" not in seen and mode in lines[0]:
            seen["shown"] = s.last_output - start
        if "shown" not in seen and s.last_output - start > 0.3:
            drawn_late.append(len(s.raw))
            changed = [new for old, new in zip(before, lines, strict=False) if new != old]
            if any(PROGRESS.search(line) for line in changed):
                seen.setdefault("progress", s.last_output - start)

    s.send("R")
    s.send("l")
    idle = wait_idle(s, timeout=120, watch=watch)
    f.add(f"{mode}: l answered s", seen.get("answered", float("nan")))
    f.add(f"{mode}: shown s", seen.get("shown", float("nan")))
    f.add(f"{mode}: progress s", seen.get("progress", float("nan")))
    f.add(f"{mode}: drawn past 0.3 s", bool(drawn_late))
    f.add(f"{mode}: idle s", idle.at - start)
    f.add(f"{mode}: cpu", idle.cpu - cpu0)


def case_range(path: Path, size: tuple[int, int], exe: str, f: Figures) -> None:
    """From idle: ``R`` to the matrix's range (idle again), then per row, then per column."""
    s, *_ = opened(path, size, exe)
    try:
        cost = key_to_idle(s, "R")
        f.add("R matrix idle s", cost.seconds)
        for column, mode in enumerate(("per row", "per column")):
            range_key(s, mode, column, f)
    finally:
        quit_viewer(s)


def case_print_head(path: Path, exe: str, f: Figures) -> None:
    wall, cpu, peak = run_piped([exe, str(path), "--print"], ["head"])
    f.add("print head s", wall)
    f.add("print head cpu", cpu)
    f.add("print head MiB", peak)


GNUPLOT = "set terminal dumb size 120,40; unset key; plot '{}' binary array=({},{}) format='%float32' skip={} with image"


CASES = ("table", "paint", "open", "keys", "R", "t", "print")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--size", default="120x40", help="terminal of the per-size table")
    parser.add_argument("--sizes", default="2048,4096,8192,16384")
    parser.add_argument(
        "--cases",
        default="table,open,keys,R,t,print",
        help=f"comma-separated, of {','.join(CASES)} (paint: the table's first paint only)",
    )
    parser.add_argument("--issue-n", type=int, default=16384, help="N of the N x N file")
    parser.add_argument("--issue-size", default="200x60", help="terminal of the issue cases")
    parser.add_argument("--t-runs", type=int, default=1, help="runs of t (it may take minutes)")
    parser.add_argument("--t-timeout", type=float, default=300.0)
    parser.add_argument("--print-shape", default="20000x30000")
    parser.add_argument("--tmp", default=None, help="where to write the data files")
    args = parser.parse_args()
    args.cases = [c for c in args.cases.split(",") if c]
    unknown = set(args.cases) - set(CASES)
    if unknown:
        parser.error(f"unknown cases: {', '.join(sorted(unknown))}")
    return args


def size_of(text: str) -> tuple[int, int]:
    cols, rows = (int(x) for x in text.split("x"))
    return cols, rows


def main() -> int:
    args = parse_args()
    as_installed()
    exe = tuiheat_executable()
    if exe is None:
        print("install tuiheat first: pip install .", file=sys.stderr)
        return 2
    print(f"tuiheat: {exe}; {load_line()} at start", flush=True)
    with tempfile.TemporaryDirectory(dir=args.tmp) as tmp:
        if "table" in args.cases or "paint" in args.cases:
            per_size(args, exe, Path(tmp))
        issue = Figures()
        if {"open", "keys", "R", "t"} & set(args.cases):
            issue_cases(args, exe, Path(tmp), issue)
        if "print" in args.cases:
            rows, cols = size_of(args.print_shape)
            path = Path(tmp) / "print.npy"
            write_matrix(path, rows, cols)
            for _ in range(args.runs):
                case_print_head(path, exe, issue)
            path.unlink()
    print(f"\n{load_line()} at the end; the machine is shared: figures are noisy\n")
    if issue.numbers:
        print_issue_table(args, issue)
    return 0


def issue_cases(args: argparse.Namespace, exe: str, tmp: Path, f: Figures) -> None:
    """The viewer cases of issue 25 on one N x N file, interleaved over the runs."""
    size, n = size_of(args.issue_size), args.issue_n
    path = tmp / f"issue_{n}.npy"
    write_matrix(path, n)
    steps = {"open": case_open, "keys": case_keys, "R": case_range}
    for run in range(args.runs):
        for name, step in steps.items():
            if name in args.cases:
                step(path, size, exe, f)
                print(f"run {run + 1}: {name} done", file=sys.stderr, flush=True)
        if "t" in args.cases and run < args.t_runs:
            case_transpose(path, size, exe, f, args.t_timeout)
            print(f"run {run + 1}: t done", file=sys.stderr, flush=True)
    path.unlink()


def print_issue_table(args: argparse.Namespace, f: Figures) -> None:
    n = args.issue_n
    print(f"issue 25 cases: {n}² float32 .npy at {args.issue_size} (medians, low–high)\n")
    print("| case | figure |")
    print("|---|---|")
    rows = []
    for mode in ("per row", "per column"):
        if f.get(f"{mode}: idle s"):
            rows.append(
                (
                    f"`R` into {mode}, then `l`",
                    f"`l` answered after {f.med(f'{mode}: l answered s', 's', 2)}; "
                    f"anything drawn past 0.3 s before the range: "
                    f"{f.share(f'{mode}: drawn past 0.3 s')}, progress text "
                    f"{f.med(f'{mode}: progress s', 's', 2)}; range in the title after "
                    f"{f.med(f'{mode}: shown s', 's', 2)}; idle after "
                    f"{f.med(f'{mode}: idle s', 's', 2)}, CPU {f.med(f'{mode}: cpu', 's', 2)}",
                )
            )
    if f.get("t idle s"):
        rows.append(
            (
                "`t` (transpose)",
                f"idle after {f.med('t idle s', 's', 1)} (timed out: {f.share('t timed out')}), "
                f"CPU {f.med('t cpu', 's', 1)}, peak RSS {f.med('t peak MiB', 'MiB')} "
                f"(before `t`: {f.med('t peak before MiB', 'MiB')})",
            )
        )
    for name, _ in KEY_CASES:
        if f.get(f"{name} s"):
            rows.append(
                (
                    f"`{name.split()[0]}` {' '.join(name.split()[1:])}",
                    f"idle after {f.med(f'{name} s', 's', 2)}, CPU {f.med(f'{name} cpu', 's', 2)}, "
                    f"{f.med(f'{name} KB', 'KB', 1)}",
                )
            )
    if f.get("open idle s"):
        rows += open_rows(f)
    if f.get("print head s"):
        rows.append(
            (
                f"`--print` of {args.print_shape} to `head`",
                f"{f.med('print head s', 's', 2)} wall, CPU {f.med('print head cpu', 's', 2)}, "
                f"peak {f.med('print head MiB', 'MiB')}",
            )
        )
    for case, figure in rows:
        print(f"| {case} | {figure} |")


def open_rows(f: Figures) -> list[tuple[str, str]]:
    return [
        (
            "open → idle",
            f"first frame {f.med('first frame s', 's', 2)}; idle after "
            f"{f.med('open idle s', 's', 2)}, CPU {f.med('open cpu s', 's', 2)}, "
            f"peak {f.med('open peak MiB', 'MiB')} (timed out: {f.share('open timed out')})",
        ),
        (
            "background scans landing after open",
            f"{f.med('after first frame KB', 'KB')} after the first frame until idle, in "
            f"{f.med('repaints')} frames (biggest {f.med('biggest repaint KB', 'KB')})",
        ),
        (
            "`s`, then the first steps (`l`)",
            f"`s` {f.med('s KB', 'KB', 1)} (idle after {f.med('s idle s', 's', 2)}); first step "
            f"{f.med('step 1 after s KB', 'KB', 1)} (idle after "
            f"{f.med('step 1 after s idle s', 's', 2)}); second step "
            f"{f.med('step 2 after s KB', 'KB', 1)}",
        ),
    ]


def per_size(args: argparse.Namespace, exe: str, tmp: Path) -> None:
    """The N x N table: first paint against the bare app and the numpy-heatmap floor, full
    frames at start-up; with ``table``, steps, zoom and ``--print --width 120`` too."""
    cols, rows = size_of(args.size)
    sizes = [int(x) for x in args.sizes.split(",")]
    bare_f, floor_f, figures = Figures(), Figures(), {n: Figures() for n in sizes}
    gnuplot = shutil.which("gnuplot")
    full = "table" in args.cases
    bare = tmp / "bare_app.py"
    bare.write_text(BARE_APP)
    floor = tmp / "heatmap_floor.py"
    floor.write_text(HEATMAP_FLOOR_APP)
    hello = "Hello from a bare"
    for _ in range(args.runs):
        run_viewer([sys.executable, str(bare)], hello, (cols, rows), bare_f, False)
    for n in sizes:
        path = tmp / f"big_{n}.npy"
        write_matrix(path, n)
        offset = path.stat().st_size - 4 * n * n
        for _ in range(args.runs):  # the floor beside every size: the machine's load moves
            run_viewer([sys.executable, str(floor)], hello, (cols, rows), floor_f, False)
            scan = n * n / 1e8 if full else 0  # about a second per 100 million values
            run_viewer([exe, str(path)], READY, (cols, rows), figures[n], full, scan)
            if full:
                run_print([exe, str(path), "--print", "--width", "120"], figures[n], "print")
                if gnuplot:
                    script = GNUPLOT.format(path, n, n, offset)
                    run_print([gnuplot, "-e", script], figures[n], "gnuplot")
        path.unlink()
    print_sizes(args, bare_f, floor_f, figures, gnuplot)


def print_sizes(
    args: argparse.Namespace,
    bare_f: Figures,
    floor_f: Figures,
    figures: dict[int, Figures],
    gnuplot: str | None,
) -> None:
    base = statistics.median(bare_f.get("first paint"))
    floor = statistics.median(floor_f.get("paint quiet"))
    floor_first = statistics.median(floor_f.get("first paint"))
    print(f"\nbig-matrix benchmark, {args.size} pty, {args.runs} runs (medians)\n")
    print(f"bare Textual app: first paint {base:.0f} ms, {fmt(bare_f.get('peak MiB'), 'MiB', 1)}")
    print(
        f"numpy-heatmap floor: first paint {floor_first:.0f} ms (quiet 0.3 s: {floor:.0f} ms), "
        f"{floor_f.med('full frames')} full frame(s)\n"
    )
    print(
        "| N×N | first paint | vs bare | vs floor (run by run) | first paint (quiet 0.3 s) "
        "| vs floor (run by run) "
        "| full frames "
        "| settled | idle | full frames to idle | peak memory "
        "| across B / ms | down B / ms | across, margins off | down, margins off "
        "| zoom − | zoom − | zoom + | zoom fit | print | gnuplot dumb |"
    )
    print("|---" * 21 + "|")
    for k, (n, f) in enumerate(figures.items()):
        ratio = statistics.median(f.get("first paint")) / base
        beside = slice(k * args.runs, (k + 1) * args.runs)  # the floor's runs beside this size
        to_floor = paired_ratio(f.get("paint quiet"), floor_f.get("paint quiet")[beside])
        first_to_floor = paired_ratio(f.get("first paint"), floor_f.get("first paint")[beside])
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
            f"| {n}² | {fmt(f.get('first paint'), 'ms')} | {ratio:.2f}x | {first_to_floor} | "
            f"{f.med('paint quiet', 'ms')} | {to_floor} | {f.med('full frames')} | "
            f"{fmt(f.get('settled'), 'ms')} | {f.med('idle', 'ms')} | "
            f"{f.med('full frames to idle')} | {fmt(f.get('peak MiB'), 'MiB', 1)} | {step} | "
            f"{zooms} | {printed} | {gp} |"
        )


if __name__ == "__main__":
    sys.exit(main())
