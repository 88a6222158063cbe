"""What every loader shares: which files are accepted at all, and the one-line errors."""

from __future__ import annotations

import os

import numpy as np
import pytest

from tuiheat.loaders import LoadError, load


def test_missing_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(LoadError, match="no such file"):
        load(str(tmp_path / "nope.csv"))


def test_directory(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(LoadError, match="is a directory"):
        load(str(tmp_path))


def test_fifo_is_refused_without_blocking(tmp_path) -> None:  # type: ignore[no-untyped-def]
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    with pytest.raises(LoadError, match="FIFO"):
        load(str(fifo))


def test_empty_file(write) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(LoadError, match="empty"):
        load(str(write("a.csv", "")))


def test_content_sniffing_for_unknown_suffix(tmp_path, write) -> None:  # type: ignore[no-untyped-def]
    npy = tmp_path / "matrix.bin.data"
    with open(npy, "wb") as fh:
        np.save(fh, np.ones((2, 2)))
    assert load(str(npy)).shape == (2, 2)
    assert load(str(write("m.dat", "[[1, 2]]"))).shape == (1, 2)
    assert load(str(write("m", "a;b\n1;2\n"))).col_labels == ("a", "b")


def test_input_file_is_never_written(seed_csv, tmp_path) -> None:  # type: ignore[no-untyped-def]
    before = (seed_csv.stat().st_mtime_ns, seed_csv.read_bytes())
    load(str(seed_csv))
    assert (seed_csv.stat().st_mtime_ns, seed_csv.read_bytes()) == before


def test_plain_pickles_are_refused_by_suffix(write) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(LoadError, match="never unpickles"):
        load(str(write("a.pkl", b"\x80\x04K\x01.")))
