"""Compressed npz members: inflated in bounded memory, to a private mapped file past a few MiB,
within a limit that is checked before a byte is inflated."""

from __future__ import annotations

import gc
import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

from tuiheat.core.filerows import FileRows, memmap_base
from tuiheat.loaders import LoadError, inflate, load_tensor
from tuiheat.loaders.inflate import DEFAULT_LIMIT, LIMIT_VARIABLE, inflate_limit, parse_size


@pytest.fixture
def private_tmp(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    """A temporary directory of the test's own, and members past 1 KiB unpacked to it."""
    folder = tmp_path / "tmpdir"
    folder.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(folder))
    monkeypatch.setattr(inflate, "IN_MEMORY_BYTES", 1024)
    monkeypatch.delenv(LIMIT_VARIABLE, raising=False)
    return folder


def compressed(path: Path, **arrays: np.ndarray) -> str:
    np.savez_compressed(path, **arrays)
    return str(path)


def test_sizes_read_as_people_write_them() -> None:
    assert parse_size("8G") == 8 * 1024**3
    assert parse_size("512M") == 512 * 1024**2
    assert parse_size("1.5GiB") == 3 * 1024**3 // 2
    assert parse_size(" 4 gb ") == 4 * 1024**3
    assert parse_size("100") == 100
    for wrong in ("lots", "-1", "G", "8X"):
        with pytest.raises(ValueError, match="not a size"):
            parse_size(wrong)


def test_the_limit_comes_from_the_flag_then_the_environment(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv(LIMIT_VARIABLE, raising=False)
    assert inflate_limit() == DEFAULT_LIMIT
    monkeypatch.setenv(LIMIT_VARIABLE, "16G")
    assert inflate_limit() == 16 * 1024**3
    assert inflate_limit(1024) == 1024
    monkeypatch.setenv(LIMIT_VARIABLE, "lots")
    with pytest.raises(LoadError, match=f"{LIMIT_VARIABLE}='lots' is not a size"):
        inflate_limit()


def test_a_big_member_is_mapped_from_an_unlinked_private_file(tmp_path, private_tmp) -> None:  # type: ignore[no-untyped-def]
    values = np.arange(64 * 48, dtype=np.float32).reshape(64, 48)
    name = compressed(tmp_path / "b.npz", attn=values, tokens=np.array(list("abcdefgh")))
    tensor = load_tensor(name)
    assert np.array_equal(np.asarray(tensor.values), values)
    base = memmap_base(tensor.values)
    assert base is not None, "read through pread like an .npy file, not held in memory"
    assert os.listdir(private_tmp) == [], "unlinked from the start: nothing is left behind"
    assert sorted(os.listdir(tmp_path)) == ["b.npz", "tmpdir"], "never written beside the input"
    rows = FileRows.for_array(tensor.values)
    assert rows is not None
    assert np.array_equal(rows.window(10, 12, 5, 9), values[10:12, 5:9])
    rows.close()
    opened = Path(str(base.filename))
    del tensor, base
    gc.collect()
    assert not opened.exists() or "tuiheat-" not in os.readlink(opened), "closed with the array"


def test_small_members_stay_in_memory(tmp_path, private_tmp) -> None:  # type: ignore[no-untyped-def]
    name = compressed(tmp_path / "s.npz", m=np.eye(8))  # 512 bytes
    assert memmap_base(load_tensor(name).values) is None


def test_over_the_limit_says_how_big_and_how_to_allow_it(tmp_path, private_tmp) -> None:  # type: ignore[no-untyped-def]
    name = compressed(tmp_path / "b.npz", m=np.zeros((64, 64), np.float32))  # 16 KiB
    with pytest.raises(LoadError) as caught:
        load_tensor(name, inflate_limit=8 * 1024)
    message = str(caught.value)
    assert "member 'm' is compressed and inflates to 16.0 KiB, over the 8.0 KiB" in message
    assert "--inflate-limit 1G" in message and f"{LIMIT_VARIABLE}=1G" in message
    assert os.listdir(private_tmp) == []
    assert load_tensor(name, inflate_limit=16 * 1024).shape == (64, 64)


def test_a_temporary_directory_too_small_is_said(tmp_path, private_tmp, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    name = compressed(tmp_path / "b.npz", m=np.zeros((64, 64), np.float32))
    monkeypatch.setattr(
        inflate.shutil, "disk_usage", lambda folder: type("Usage", (), {"free": 10**6})()
    )
    with pytest.raises(
        LoadError,
        match=r"inflates to 16.0 KiB, but the temporary directory .* has 976.6 KiB free; point TMPDIR",
    ):
        load_tensor(name)


def test_a_damaged_deflate_stream_is_one_line(tmp_path, private_tmp) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "d.npz"
    rng = np.random.default_rng(0)
    compressed(path, m=rng.random((64, 64)))
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("m.npy")
    data = bytearray(path.read_bytes())
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for i in range(start + 4000, start + 4200):  # past the npy header
        data[i] ^= 0x5A
    path.write_bytes(bytes(data))
    with pytest.raises(LoadError, match="member 'm' cannot be read"):
        load_tensor(str(path))
    assert os.listdir(private_tmp) == []


def _print_peak_rss_kib(path: Path) -> int:
    """Peak RSS of ``tuiheat PATH --print``, measured by a fresh parent process."""
    script = (
        "import resource, subprocess, sys\n"
        "subprocess.run([sys.executable, '-m', 'tuiheat', sys.argv[1], '--print', '--width', '60'],"
        " check=True, stdout=subprocess.DEVNULL)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(path)], capture_output=True, text=True, check=True
    )
    return int(done.stdout.strip())


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ru_maxrss in KiB on Linux")
def test_print_of_a_member_inflating_to_256_mib_stays_in_bounded_memory(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "big.npz"
    header = io.BytesIO()
    rows, cols = 2048, 32768  # float32: 256 MiB, a few hundred KiB compressed
    np.lib.format.write_array_header_1_0(
        header, {"descr": "<f4", "fortran_order": False, "shape": (rows, cols)}
    )
    block = np.repeat(np.linspace(0, 1, 64, dtype=np.float32), 16 * cols // 64).reshape(16, cols)
    with (
        zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf,
        zf.open("attn.npy", "w", force_zip64=True) as fh,
    ):
        fh.write(header.getvalue())
        for _ in range(rows // 16):
            fh.write(block.tobytes())
    # Inflated whole (twice, on the way) this took over 500 MiB; now chunks of a few MiB.
    assert _print_peak_rss_kib(path) < 160 * 1024
