"""Boxes saved beside the data: atomic, never over the input, reloaded on the next start."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

from tuiheat.core import Box, HeatMatrix
from tuiheat.core.atomic import WriteError, atomic_write_text
from tuiheat.loaders import LoadError
from tuiheat.loaders.sidecar import read_sidecar, sidecar_path, sidecar_text, write_sidecar

M = HeatMatrix(np.zeros((4, 5)), col_labels=("a", "b", "b", "c", "d"))


def test_roundtrip(tmp_path) -> None:  # type: ignore[no-untyped-def]
    data = tmp_path / "auc.csv"
    data.write_text("x")
    boxes = [Box(0, 1, 1, 2, "dup labels"), Box(3, 3, 4, 4)]
    path = write_sidecar(data, M, boxes)
    assert path == tmp_path / "auc.csv.tuiheat.json"
    assert read_sidecar(path, M) == boxes
    assert data.read_text() == "x"
    assert json.loads(path.read_text())["shape"] == [4, 5]


def test_missing_sidecar_is_none(tmp_path) -> None:  # type: ignore[no-untyped-def]
    assert read_sidecar(tmp_path / "nope.tuiheat.json", M) is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "not valid JSON"),
        ('{"format": "other"}', "not a tuiheat box list"),
        ('{"format": "tuiheat-boxes", "shape": [9, 9], "boxes": []}', "saved for a"),
        ('{"format": "tuiheat-boxes", "shape": [4, 5], "boxes": [{"rows": [0, 9]}]}', "box 1"),
    ],
)
def test_bad_sidecars(tmp_path, text: str, message: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "a.tuiheat.json"
    path.write_text(text)
    with pytest.raises(LoadError, match=message):
        read_sidecar(path, M)


def test_members_of_a_bundle_keep_their_own_boxes(tmp_path) -> None:  # type: ignore[no-untyped-def]
    data = tmp_path / "bundle.npz"
    data.write_bytes(b"PK")
    small, big = HeatMatrix(np.zeros((3, 4))), HeatMatrix(np.zeros((5, 6)))
    write_sidecar(data, small, [Box(0, 1, 0, 1, "a")], key="probe")
    write_sidecar(data, big, [Box(2, 4, 3, 5)], key="attn")
    write_sidecar(data, big, [Box(0, 0, 0, 0)])  # the file's own (no key) beside them
    path = sidecar_path(data)
    assert read_sidecar(path, small, "probe") == [Box(0, 1, 0, 1, "a")]
    assert read_sidecar(path, big, "attn") == [Box(2, 4, 3, 5)]
    assert read_sidecar(path, big) == [Box(0, 0, 0, 0)]
    assert read_sidecar(path, small, "other") is None  # never saved: nothing, no error
    write_sidecar(data, small, [], key="probe")  # saving one never drops another
    assert read_sidecar(path, small, "probe") == []
    assert read_sidecar(path, big, "attn") == [Box(2, 4, 3, 5)]
    assert read_sidecar(path, big) == [Box(0, 0, 0, 0)]


def test_never_writes_the_input_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    data = tmp_path / "x.tuiheat.json"
    data.write_text("precious")
    with pytest.raises(WriteError):
        atomic_write_text(data, "new", protect=(data,))
    assert data.read_text() == "precious"


def test_failed_write_keeps_the_old_file(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "a.tuiheat.json"
    target.write_text("old")

    def boom(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", boom)
    with pytest.raises(OSError, match="No space"):
        atomic_write_text(target, "new" * 1000)
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.tuiheat.json"]  # no temporary left


def test_read_only_directory(tmp_path) -> None:  # type: ignore[no-untyped-def]
    if os.geteuid() == 0:
        pytest.skip("root ignores directory permissions")
    ro = tmp_path / "ro"
    ro.mkdir()
    (ro / "d.csv").write_text("x")
    ro.chmod(0o500)
    try:
        with pytest.raises(OSError):
            write_sidecar(ro / "d.csv", M, [Box(0, 0, 0, 0)])
    finally:
        ro.chmod(0o700)


CRASH_WRITER = """
import sys, time
from pathlib import Path
import tuiheat.core.atomic as atomic

real_fdopen = atomic.os.fdopen

class SlowFile:
    def __init__(self, fh):
        self.fh = fh
    def __enter__(self):
        return self
    def __exit__(self, *exc):
        return self.fh.__exit__(*exc)
    def write(self, text):
        half = len(text) // 2
        self.fh.write(text[:half]); self.fh.flush()
        print("half-written", flush=True)
        time.sleep(30)  # killed here, in the middle of saving
        self.fh.write(text[half:])
    def flush(self):
        self.fh.flush()
    def fileno(self):
        return self.fh.fileno()

atomic.os.fdopen = lambda *a, **k: SlowFile(real_fdopen(*a, **k))
atomic.atomic_write_text(Path(sys.argv[1]), "NEW" * 100000)
"""


def test_sidecar_survives_a_crash_in_the_middle_of_saving(tmp_path) -> None:  # type: ignore[no-untyped-def]
    data = tmp_path / "auc.csv"
    data.write_text("x")
    old = sidecar_text(M, [Box(1, 2, 1, 2)])
    path = sidecar_path(data)
    path.write_text(old)
    proc = subprocess.Popen(
        [sys.executable, "-c", CRASH_WRITER, str(path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "half-written"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    time.sleep(0.05)
    assert path.read_text() == old
    assert read_sidecar(path, M) == [Box(1, 2, 1, 2)]
