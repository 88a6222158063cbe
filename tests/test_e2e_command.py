"""The installed ``tuiheat`` command, run as a user would, in a separate process."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest


def tuiheat_command() -> list[str]:
    exe = shutil.which(
        "tuiheat", path=str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")
    )
    if exe is None:
        pytest.skip("the tuiheat command is not installed")
    return [exe]


def run(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "COLORTERM")}
    full_env.update(env)
    return subprocess.run(
        tuiheat_command() + args,
        capture_output=True,
        text=True,
        env=full_env,
        timeout=60,
        cwd="/",
        check=False,
    )


def test_bare_command_from_any_directory_prints_the_seed_when_piped() -> None:
    proc = run([], COLORTERM="truecolor")
    assert proc.returncode == 0, proc.stderr
    assert "Error-detection probe AUC" in proc.stdout
    assert "\x1b[48;2;8;48;107m" in proc.stdout  # the darkest Blues, #08306b, at 1.0
    assert "┌" in proc.stdout  # the seed's box


def test_help_and_version() -> None:
    proc = run(["--help"])
    assert proc.returncode == 0
    assert "--print" in proc.stdout and "--box" in proc.stdout and "--color" in proc.stdout
    assert run(["--version"]).stdout.startswith("tuiheat ")


def test_error_is_one_line_without_traceback(tmp_path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,x\n")
    proc = run([str(bad)])
    assert proc.returncode == 2
    assert proc.stderr == f"tuiheat: error: {bad}: line 2, column 'b': 'x' is not a number\n"
    assert "Traceback" not in proc.stderr


def test_stdin_dash(seed_csv) -> None:  # type: ignore[no-untyped-def]
    proc = subprocess.run(
        [*tuiheat_command(), "-", "--color", "none"],
        input=seed_csv.read_text(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "<stdin>" in proc.stdout and "32×14" in proc.stdout


def test_broken_pipe_is_quiet(seed_csv) -> None:  # type: ignore[no-untyped-def]
    cmd = " ".join(tuiheat_command()) + f" {seed_csv} --color none | head -n 2"
    proc = subprocess.run(
        ["sh", "-c", cmd], capture_output=True, text=True, timeout=60, check=False
    )
    assert proc.stderr == ""
    assert len(proc.stdout.splitlines()) == 2


def test_term_dumb_and_ascii_terminals(seed_csv) -> None:  # type: ignore[no-untyped-def]
    proc = run([str(seed_csv)], TERM="dumb")
    assert proc.returncode == 0 and "\x1b" not in proc.stdout and "█" in proc.stdout
    env = {"PYTHONIOENCODING": "ascii", "LANG": "C", "LC_ALL": "C"}
    proc = subprocess.run(
        [*tuiheat_command(), str(seed_csv), "--color", "none"],
        capture_output=True,
        env={**os.environ, **env},
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert all(b < 128 for b in proc.stdout)  # ASCII glyphs, replacements, never a crash
    assert b"#" in proc.stdout and b"Layer" in proc.stdout
