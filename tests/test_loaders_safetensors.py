""".safetensors: tensors by name, bf16 widened, metadata labels; damaged headers refused."""

from __future__ import annotations

import json
import struct

import numpy as np
import pytest

from tuiheat.loaders import LoadError, load, load_tensor


def test_without_the_package_the_error_says_how_to_install(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import sys

    path = tmp_path / "a.safetensors"
    path.write_bytes(struct.pack("<Q", 2) + b"{}")
    monkeypatch.setitem(sys.modules, "safetensors", None)
    with pytest.raises(LoadError, match=r"pip install 'tuiheat\[safetensors\]'"):
        load(str(path))


safetensors_numpy = pytest.importorskip("safetensors.numpy")


def write_raw(path, tensors: dict[str, tuple[str, list[int], bytes]], metadata=None) -> None:  # type: ignore[no-untyped-def]
    """A safetensors file by hand: JSON header, then the raw bytes (as the format says)."""
    header: dict[str, object] = {}
    data = b""
    for name, (dtype, shape, raw) in tensors.items():
        header[name] = {
            "dtype": dtype,
            "shape": shape,
            "data_offsets": [len(data), len(data) + len(raw)],
        }
        data += raw
    if metadata:
        header["__metadata__"] = metadata
    text = json.dumps(header).encode()
    path.write_bytes(struct.pack("<Q", len(text)) + text + data)


def test_float_tensor_with_metadata_labels(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "a.safetensors"
    attn = np.random.default_rng(0).random((2, 3, 4, 4)).astype(np.float32)
    safetensors_numpy.save_file(
        {"attn": attn},
        str(path),
        metadata={"tokens": json.dumps(["a", "b", "[/INST]", "d"]), "axes": "layer,head,q,k"},
    )
    t = load_tensor(str(path))
    assert t.names == ("layer", "head", "q", "k")
    assert t.labels[3] == ("a", "b", "[/INST]", "d")
    np.testing.assert_array_equal(t.values, attn)


def test_bf16_is_widened_to_float32(tmp_path) -> None:  # type: ignore[no-untyped-def]
    values = np.array([[0.5, -1.25], [3.0, 1024.0]], dtype=np.float32)
    bf16 = (values.view(np.uint32) >> 16).astype("<u2")  # these values are exact in bfloat16
    path = tmp_path / "b.safetensors"
    write_raw(path, {"w": ("BF16", [2, 2], bf16.tobytes())})
    m = load(str(path))
    assert m.as_float().tolist() == values.tolist()


def test_several_tensors_need_a_key(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "c.safetensors"
    safetensors_numpy.save_file(
        {"x": np.zeros((2, 2), np.float32), "y": np.ones((3, 3), np.float16)}, str(path)
    )
    with pytest.raises(LoadError, match="pick one with --key"):
        load(str(path))
    assert load(str(path), key="y").shape == (3, 3)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"\x01", "too short"),
        (struct.pack("<Q", 10**12) + b"{}", "header length is impossible"),
        (struct.pack("<Q", 2) + b"[]", "not an object"),
    ],
)
def test_damaged_files(tmp_path, raw: bytes, message: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "d.safetensors"
    path.write_bytes(raw)
    with pytest.raises(LoadError, match=message):
        load(str(path))


def test_offsets_outside_the_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "e.safetensors"
    write_raw(path, {"w": ("F32", [100, 100], b"\x00" * 16)})
    with pytest.raises(LoadError, match="its size does not match its shape"):
        load(str(path))
