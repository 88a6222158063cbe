"""Run a command in a real pseudo-terminal and read its screen, as a user over SSH would.

Used by the end-to-end tests and by the benchmark script; needs ptyprocess and pyte.
"""

from __future__ import annotations

import os
import select
import shutil
import sys
import time
from pathlib import Path

import ptyprocess
import pyte

KEYS = {
    "up": "\x1b[A",
    "down": "\x1b[B",
    "right": "\x1b[C",
    "left": "\x1b[D",
    "home": "\x1b[H",
    "end": "\x1b[F",
    "pageup": "\x1b[5~",
    "pagedown": "\x1b[6~",
    "escape": "\x1b",
    "enter": "\r",
    "ctrl+p": "\x10",
}


def as_installed() -> None:
    """Start the measured processes as an installed tuiheat starts: from compiled modules.

    ``pip install .`` compiles the package; an editable install compiles it on first use,
    unless PYTHONDONTWRITEBYTECODE is set, which would charge every start-up with compiling
    tuiheat's modules (about 60 ms) but not Textual's or numpy's.
    """
    import compileall

    import tuiheat

    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    compileall.compile_dir(str(Path(tuiheat.__file__).parent), quiet=1)


def tuiheat_executable() -> str | None:
    bindir = str(Path(sys.executable).parent)
    return shutil.which("tuiheat", path=bindir + os.pathsep + os.environ.get("PATH", ""))


class PtySession:
    """A child process on a pseudo-terminal, with a pyte screen fed by everything it writes."""

    def __init__(
        self,
        argv: list[str],
        size: tuple[int, int] = (100, 40),
        env: dict[str, str] | None = None,
        replies: dict[bytes, bytes] | None = None,
    ) -> None:
        """``replies``: what the terminal answers when the child writes a query (a real
        terminal answers DA1, ``ESC [ c``; pyte answers nothing)."""
        cols, rows = size
        full_env = {
            k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "TEXTUAL_COLOR_SYSTEM")
        }
        full_env.update({"TERM": "xterm-256color", "COLORTERM": "truecolor", "LANG": "C.UTF-8"})
        full_env.update(env or {})
        self.started = time.monotonic()
        self.proc = ptyprocess.PtyProcess.spawn(argv, dimensions=(rows, cols), env=full_env)
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.raw = bytearray()
        self.last_output = self.started
        self.replies = dict(replies or {})
        self.answered = 0  # bytes of ``raw`` already searched for queries

    def pump(self, timeout: float = 0.05) -> int:
        """Read what the child wrote within ``timeout``; returns the number of bytes."""
        got = 0
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            ready, _, _ = select.select([self.proc.fd], [], [], remaining)
            if not ready:
                break
            try:
                data = os.read(self.proc.fd, 65536)
            except OSError:
                break
            if not data:
                break
            got += len(data)
            self.raw.extend(data)
            self.stream.feed(data)
            self.last_output = time.monotonic()
            self._answer()
        return got

    def text(self) -> str:
        return "\n".join(self.screen.display)

    def wait_for(self, needle: str, timeout: float = 20.0) -> float:
        """Seconds since start when ``needle`` appeared on screen; raises on timeout."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if needle in self.text():
                return self.last_output - self.started
            self.pump(0.05)
            if not self.proc.isalive() and needle not in self.text():
                self.pump(0.2)
                break
        raise AssertionError(f"{needle!r} did not appear; screen:\n{self.text()}")

    def settle(self, quiet: float = 0.15, timeout: float = 5.0) -> int:
        """Read until the child has been silent for ``quiet`` seconds; returns bytes read."""
        total = 0
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            got = self.pump(quiet)
            total += got
            if got == 0:
                break
        return total

    def _answer(self) -> None:
        """Answer the queries written since the last look, in the order they came."""
        if not self.replies:
            return
        longest = max(len(q) for q in self.replies)
        start = max(0, self.answered - longest + 1)
        found = sorted(
            (at, query)
            for query in self.replies
            for at in _positions(self.raw, query, start)
            if at + len(query) > self.answered
        )
        for _, query in found:
            self.proc.write(self.replies[query])
        self.answered = len(self.raw)

    def send(self, *keys: str) -> None:
        for key in keys:
            self.proc.write(KEYS.get(key, key).encode())

    def peak_memory_mib(self) -> float | None:
        try:
            status = Path(f"/proc/{self.proc.pid}/status").read_text()
        except OSError:
            return None
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return None

    def cpu_seconds(self) -> float | None:
        try:
            fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None
        ticks = os.sysconf("SC_CLK_TCK")
        return (int(fields[11]) + int(fields[12])) / ticks

    def close(self, timeout: float = 10.0) -> int | None:
        deadline = time.monotonic() + timeout
        while self.proc.isalive() and time.monotonic() < deadline:
            self.pump(0.05)
        while self.pump(0.1):  # what it wrote just before it ended (a busy machine lags)
            pass
        if self.proc.isalive():
            self.proc.terminate(force=True)
        self.proc.close()
        return self.proc.exitstatus


def _positions(data: bytearray, needle: bytes, start: int) -> list[int]:
    found = []
    at = data.find(needle, start)
    while at >= 0:
        found.append(at)
        at = data.find(needle, at + 1)
    return found


DA1 = {b"\x1b[c": b"\x1b[?62;22c"}  # any terminal: answers Primary Device Attributes only
TRUECOLOR_TERMINAL = {  # xterm with direct colour: says RGB, reads the background back
    b"\x1bP+q524742\x1b\\": b"\x1bP1+r524742=382F382F38\x1b\\",
    b"\x1bP$qm\x1b\\": b"\x1bP1$r0;48:2::1:2:3m\x1b\\",
    **DA1,
}
