""".safetensors with numpy alone: every dtype, bf16 widened per window, memory-mapped big
tensors, metadata labels matched to axes; damaged headers refused before anything is mapped."""

from __future__ import annotations

import json
import struct
import sys

import numpy as np
import pytest

from tuiheat.core.tensor import default_spec, slice_matrix
from tuiheat.loaders import LoadError, load, load_tensor, safetensors_files


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


def bf16_words(values: np.ndarray) -> np.ndarray:
    """float32 values exact in bfloat16, as the 16-bit words a bf16 tensor stores."""
    return (values.astype(np.float32).view(np.uint32) >> 16).astype("<u2")


@pytest.mark.parametrize(
    ("code", "dtype"),
    [
        ("F16", "<f2"),
        ("F32", "<f4"),
        ("F64", "<f8"),
        ("I8", "i1"),
        ("U8", "u1"),
        ("I16", "<i2"),
        ("U16", "<u2"),
        ("I32", "<i4"),
        ("U32", "<u4"),
        ("I64", "<i8"),
        ("U64", "<u8"),
        ("BOOL", "?"),
    ],
)
def test_every_dtype_without_the_package(tmp_path, monkeypatch, code: str, dtype: str) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(sys.modules, "safetensors", None)  # numpy alone reads the format
    values = (np.arange(12).reshape(3, 4) % 5).astype(dtype)
    path = tmp_path / "a.safetensors"
    write_raw(path, {"w": (code, [3, 4], values.tobytes())})
    m = load(str(path))
    assert m.as_float().tolist() == values.astype(np.float64).tolist()


def test_bf16_is_widened_to_float32(tmp_path) -> None:  # type: ignore[no-untyped-def]
    values = np.array([[0.5, -1.25], [3.0, 1024.0]], dtype=np.float32)
    path = tmp_path / "b.safetensors"
    write_raw(path, {"w": ("BF16", [2, 2], bf16_words(values).tobytes())})
    m = load(str(path))
    assert m.as_float().tolist() == values.tolist()


def test_big_bf16_stays_on_disk_and_is_widened_per_window(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(safetensors_files, "COPY_BYTES", 1024)  # "big" for this test
    rng = np.random.default_rng(1)
    values = bf16_words(rng.standard_normal((3, 64, 48)).astype(np.float32))
    path = tmp_path / "big.safetensors"
    write_raw(
        path, {"pad": ("F32", [2, 2], b"\0" * 16), "acts": ("BF16", [3, 64, 48], values.tobytes())}
    )
    tensor = load_tensor(str(path), key="acts")
    assert isinstance(tensor.values, np.memmap)  # mapped, not copied
    expected = (values.astype(np.uint32) << 16).view(np.float32)
    matrix = slice_matrix(tensor, default_spec(tensor))
    np.testing.assert_array_equal(matrix.window(5, 9, 3, 40), expected[0, 5:9, 3:40])
    spec = default_spec(tensor)
    mean = slice_matrix(tensor, type(spec)(spec.rows, spec.cols, ((0, "mean", 0),)))
    np.testing.assert_allclose(mean.as_float(), expected.astype(np.float64).mean(axis=0))


def test_metadata_and_label_tensors_are_matched_to_axes(tmp_path) -> None:  # type: ignore[no-untyped-def]
    attn = np.random.default_rng(0).random((2, 3, 4, 4)).astype(np.float32)
    path = tmp_path / "a.safetensors"
    write_raw(
        path,
        {
            "attn": ("F32", [2, 3, 4, 4], attn.tobytes()),
            "head_ids": ("I64", [3], np.array([4, 5, 6], dtype="<i8").tobytes()),
        },
        metadata={
            "tokens": json.dumps(["a", "b", "[/INST]", " d"]),
            "layer_labels": '["L0", "L1"]',
        },
    )
    t = load_tensor(str(path))
    assert t.names == ("layer", "head", "query", "key")
    assert t.labels == (
        ("L0", "L1"),
        ("4", "5", "6"),
        ("a", "b", "[/INST]", " d"),
        ("a", "b", "[/INST]", " d"),
    )
    np.testing.assert_array_equal(t.values, attn)


def test_a_tensor_of_another_shape_gets_a_note_not_an_error(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "a.safetensors"
    write_raw(
        path,
        {"w": ("F32", [2, 3], np.zeros(6, "<f4").tobytes())},
        {"tokens": '["a", "b", "c", "d"]'},
    )
    t = load_tensor(str(path))
    assert t.labels == (None, None)
    assert t.notes == ("tokens [4] fits no axis, ignored",)


def test_several_tensors_need_a_key(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "c.safetensors"
    write_raw(
        path,
        {"x": ("F32", [2, 2], b"\0" * 16), "y": ("F16", [3, 3], b"\0" * 18)},
    )
    with pytest.raises(LoadError, match="pick one with --key"):
        load(str(path))
    assert load(str(path), key="y").shape == (3, 3)


def test_files_written_by_the_safetensors_package(tmp_path) -> None:  # type: ignore[no-untyped-def]
    safetensors_numpy = pytest.importorskip("safetensors.numpy")
    path = tmp_path / "p.safetensors"
    attn = np.random.default_rng(2).random((2, 3, 5, 5)).astype(np.float32)
    half = np.linspace(0, 1, 12, dtype=np.float16).reshape(3, 4)
    safetensors_numpy.save_file(
        {"attn": attn, "half": half},
        str(path),
        metadata={"tokens": json.dumps(list("abcde")), "axes": "layer,head,q,k"},
    )
    t = load_tensor(str(path), key="attn")
    assert t.names == ("layer", "head", "q", "k")
    assert t.labels[2] == t.labels[3] == tuple("abcde")
    np.testing.assert_array_equal(t.values, attn)
    assert load(str(path), key="half").as_float().tolist() == half.astype(np.float64).tolist()


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


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (
            {"dtype": "F32", "shape": [100, 100], "data_offsets": [0, 16]},
            "does not match its shape",
        ),
        ({"dtype": "F32", "shape": [2, 2], "data_offsets": [0, 1 << 40]}, "outside the file"),
        ({"dtype": "F32", "shape": [2, -2], "data_offsets": [0, 16]}, "negative dimension"),
        ({"dtype": "F32", "shape": [2, 2]}, "damaged header entry"),
    ],
)
def test_offsets_are_checked_before_mapping(tmp_path, entry, message: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "e.safetensors"
    text = json.dumps({"w": entry}).encode()
    path.write_bytes(struct.pack("<Q", len(text)) + text + b"\0" * 16)
    with pytest.raises(LoadError, match=message):
        load(str(path))


def test_unknown_dtype_is_refused_by_name(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "f.safetensors"
    write_raw(path, {"w": ("F8_E4M3", [2, 2], b"\0" * 4)})
    with pytest.raises(LoadError, match="F8_E4M3"):
        load(str(path), key="w")
