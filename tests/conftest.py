"""Shared fixtures: the bundled seed sample and small matrices written to temporary files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SEED_CSV = SAMPLES / "seed_probe_auc.csv"
SEED_JSON = SAMPLES / "seed_probe_auc.json"


def packages_loaded_by(statements: str, packages: tuple[str, ...]) -> list[str]:
    """Which of ``packages`` a fresh interpreter has imported after ``statements`` (the
    import rules and light start-ups are about what a module pulls in, not what a test
    process already holds)."""
    code = (
        f"import json, sys\n{statements}\n"
        f"print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}} & set({packages!r}))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return list(json.loads(out.stdout))


@pytest.fixture
def seed_csv() -> Path:
    return SEED_CSV


@pytest.fixture
def seed_json() -> Path:
    return SEED_JSON


@pytest.fixture
def write(tmp_path: Path):
    """write(name, text_or_bytes) -> path of a new file in a temporary directory."""

    def _write(name: str, content: str | bytes) -> Path:
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return _write


@pytest.fixture
def save_npy(tmp_path: Path):
    def _save(name: str, array: np.ndarray) -> Path:
        path = tmp_path / name
        np.save(path, array)
        return path

    return _save


@pytest.fixture
def always_map(monkeypatch):  # type: ignore[no-untyped-def]
    """Memory-map even small arrays (normally copied into memory), to test the mapped path."""
    from tuiheat.loaders import numpy_files

    monkeypatch.setattr(numpy_files, "COPY_BYTES", 0)
