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
}


def tuiheat_executable() -> str | None:
    bindir = str(Path(sys.executable).parent)
    return shutil.which("tuiheat", path=bindir + os.pathsep + os.environ.get("PATH", ""))


class PtySession:
    """A child process on a pseudo-terminal, with a pyte screen fed by everything it writes."""

    def __init__(
        self, argv: list[str], size: tuple[int, int] = (100, 40), env: dict[str, str] | None = None
    ) -> None:
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
        if self.proc.isalive():
            self.proc.terminate(force=True)
        self.proc.close()
        return self.proc.exitstatus
