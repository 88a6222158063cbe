"""Lint and format are part of the build: ruff must pass on the whole tree."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from conftest import ROOT


def ruff() -> list[str]:
    exe = shutil.which("ruff")
    if exe is None:
        pytest.skip("ruff is not installed")
    return [exe]


def test_ruff_check() -> None:
    proc = subprocess.run(
        [*ruff(), "check", "."], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_ruff_format() -> None:
    proc = subprocess.run(
        [*ruff(), "format", "--check", "."], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
