"""What the benchmark scripts share: a terminal that answers like a modern one, "idle", frames.

Not a test module: ``bench_viewer.py`` and ``bench_big.py`` import it. "Idle" is the terminal
quiet for 0.3 s while the process's CPU time (utime + stime in /proc/PID/stat) does not grow:
a worker that computes without painting keeps the process busy, and quiet alone would miss it.
"""

from __future__ import annotations

import math
import os
import re
import statistics
import subprocess
import sys
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pty_helpers import DA1, PtySession

SYNC_BEGIN = b"\x1b[?2026h"
SYNC_END = b"\x1b[?2026l"
# A terminal that supports synchronized output (kitty, WezTerm, iTerm2, Windows Terminal...):
# Textual then wraps every frame in SYNC_BEGIN ... SYNC_END, which lets frames be counted.
MODERN = {b"\x1b[?2026$p": b"\x1b[?2026;2$y", **DA1}
QUIET = 0.3  # seconds of terminal silence that count as "the screen is done"
CPU_SLACK = 0.03  # CPU seconds a process may use in the quiet window and still be idle


def session(argv: list[str], size: tuple[int, int]) -> PtySession:
    return PtySession(argv, size=size, replies=MODERN)


@dataclass
class Idle:
    """When a process went idle: ``at`` (monotonic) is the start of the quiet, flat window."""

    at: float
    cpu: float
    timed_out: bool


def wait_idle(
    s: PtySession,
    timeout: float = 60.0,
    quiet: float = QUIET,
    watch: Callable[[float], None] | None = None,
) -> Idle:
    """Read until the terminal has been quiet for ``quiet`` s and the CPU time flat over it.

    ``watch(now)`` is called after each read (to look at the screen while waiting)."""
    start = time.monotonic()
    samples: deque[tuple[float, float]] = deque()
    busy = start  # the last moment the process ran flat out (two ticks in one sample)
    while True:
        s.pump(0.02)
        now = time.monotonic()
        cpu = s.cpu_seconds()
        if cpu is None:  # the process is gone
            return Idle(s.last_output, samples[-1][1] if samples else 0.0, False)
        if samples and cpu - samples[-1][1] >= 0.02:
            busy = now
        samples.append((now, cpu))
        while len(samples) > 1 and samples[1][0] <= now - quiet:
            samples.popleft()
        if watch is not None:
            watch(now)
        window_full = samples[0][0] <= now - quiet
        if window_full and now - s.last_output >= quiet and cpu - samples[0][1] <= CPU_SLACK:
            return Idle(max(s.last_output, busy), cpu, False)
        if now - start > timeout:
            return Idle(now, cpu, True)


def frames(raw: bytes | bytearray, start: int = 0) -> list[int]:
    """Sizes of the synchronized-output frames in ``raw`` from byte ``start`` on."""
    sizes = []
    at = raw.find(SYNC_BEGIN, start)
    while at >= 0:
        end = raw.find(SYNC_END, at)
        if end < 0:
            break
        sizes.append(end + len(SYNC_END) - at)
        at = raw.find(SYNC_BEGIN, end)
    return sizes


def full_frames(sizes: list[int], share: float = 0.5) -> int:
    """How many frames are full-frame sized (at least ``share`` of the biggest)."""
    if not sizes:
        return 0
    big = max(sizes)
    return sum(size >= share * big for size in sizes)


def wait_ready(s: PtySession, ready: str, timeout: float = 120.0) -> tuple[float, int]:
    """Seconds from start until ``ready`` is on screen, and the byte offset where the frame
    that showed it ends (the first frame; what comes after it is repainting)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        before = len(s.raw)
        s.pump(0.01)
        if ready in s.text():
            end = s.raw.find(SYNC_END, before)
            while end < 0 and time.monotonic() < deadline:  # the frame is still arriving
                s.pump(0.01)
                end = s.raw.find(SYNC_END, before)
            return s.last_output - s.started, end + len(SYNC_END)
        if not s.proc.isalive():
            break
    raise AssertionError(f"{ready!r} did not appear; screen:\n{s.text()}")


@dataclass
class Figures:
    """Named lists of figures, one value per run."""

    numbers: dict[str, list[float]] = field(default_factory=dict)

    def add(self, name: str, value: float) -> None:
        self.numbers.setdefault(name, []).append(value)

    def get(self, name: str) -> list[float]:
        return self.numbers.get(name, [])

    def med(self, name: str, unit: str = "", digits: int = 0, scale: float = 1.0) -> str:
        """Median and (low–high) over the runs; NaN (never happened) is counted apart."""
        values = [v * scale for v in self.get(name) if not math.isnan(v)]
        never = len(self.get(name)) - len(values)
        if not values:
            return f"never ({never} of {never})" if never else "-"
        text = f"{statistics.median(values):.{digits}f}"
        if len(values) > 1:
            text += f" ({min(values):.{digits}f}–{max(values):.{digits}f})"
        text += f" {unit}" if unit else ""
        return text + (f", never in {never} of {len(self.get(name))}" if never else "")

    def share(self, name: str) -> str:
        """How many runs a yes/no figure was yes in."""
        values = self.get(name)
        return f"{'yes' if sum(values) else 'no'} ({sum(map(bool, values))} of {len(values)})"


def paired_ratio(values: list[float], bases: list[float]) -> str:
    """Median (low–high) of run-by-run ratios: each run is read against the base measured
    beside it, which cancels much of the load of a shared machine."""
    ratios = [v / b for v, b in zip(values, bases, strict=False) if b]
    if not ratios:
        return "-"
    text = f"{statistics.median(ratios):.2f}x"
    return text + (f" ({min(ratios):.2f}–{max(ratios):.2f})" if len(ratios) > 1 else "")


def load_line() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} / {five:.2f} / {fifteen:.2f} (1 / 5 / 15 min), {os.cpu_count()} CPUs"


PROGRESS = re.compile(r"\d\s?%|comput|scann|progress|reading|loading|working", re.I)


def run_piped(argv: list[str], into: list[str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak MiB of ``argv`` writing into a pipe read by ``into``
    (``head``: it stops reading after its lines, as a user's pipe would)."""
    start = time.monotonic()
    producer = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    consumer = subprocess.Popen(into, stdin=producer.stdout, stdout=subprocess.DEVNULL)
    assert producer.stdout is not None
    producer.stdout.close()  # the consumer holds the read end: a SIGPIPE reaches the producer
    _, _, usage = os.wait4(producer.pid, 0)
    wall = time.monotonic() - start
    producer.returncode = 0  # reaped above
    consumer.wait()
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024
