"""A corpus of hostile and odd input files, each with the outcome tuiheat must give.

    python tests/hostile_corpus.py DIR      # write the corpus into DIR and list it

``build(directory)`` returns the cases; the test suite runs every one through the
command line and checks the outcome, that no escape sequence from a file reaches the
output, that no pickle payload ran (its marker file never appears) and that no input
file changed.
"""

from __future__ import annotations

import io
import json
import os
import pickle
import struct
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

RENDER, ERROR = "render", "error"
MARKER = "PAYLOAD_RAN"
HOSTILE_LABELS = [
    "\x1b]52;c;ZXZpbA==\x07",  # OSC 52: write the clipboard
    "\x1b]0;pwned title\x07",  # set the window title
    "\x1b[2J\x1b[H",  # clear the screen
    "\x9b31m",  # C1 CSI
    "[/INST]",  # breaks markup parsing
    "[@click=app.quit]",  # a live action if parsed as markup
    "[bold red]x",
    "日本語テキスト",
    "🙂👍🏽",
    "abc\u202eevil\u202c",  # bidi override
    "zero\u200bwidth",
    "",
    "   ",
    "a\nb\tc",
]


@dataclass(frozen=True)
class Case:
    name: str
    expect: str  # RENDER or ERROR
    args: tuple[str, ...] = ()
    says: str = ""  # a fragment of the error (or, when it renders, of the warning)


class Payload:
    """Unpickling this creates the marker file: it must never happen."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (open, (self.marker, "w"))


def _npy_bytes(array: np.ndarray) -> bytes:
    buf = io.BytesIO()
    np.save(buf, array, allow_pickle=True)
    return buf.getvalue()


def build(directory: Path) -> list[Case]:
    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    marker = str(d / MARKER)
    cases: list[Case] = []

    def add(name: str, content: bytes | str, expect: str, says: str = "", *args: str) -> None:
        path = d / name
        path.write_bytes(
            content.encode("utf-8", "surrogatepass") if isinstance(content, str) else content
        )
        cases.append(Case(name, expect, tuple(args), says))

    # --- labels that are hostile strings ---------------------------------------------------
    labels = HOSTILE_LABELS
    values = np.random.default_rng(0).random((len(labels), len(labels)))
    header = ",".join('"' + label.replace('"', '""') + '"' for label in labels)
    rows = "\n".join(",".join(f"{v:.3f}" for v in row) for row in values)
    add("labels_hostile.csv", header + "\n" + rows + "\n", RENDER)
    np.savez(d / "labels_hostile.npz", m=values, tokens=np.array(labels))
    cases.append(Case("labels_hostile.npz", RENDER))
    # Member names are data too: a label vector that fits no axis is named in a warning.
    np.savez(
        d / "names_hostile.npz",
        m=values,
        **{"\x1b]0;pwned\x07tokens": np.array(["a", "b", "c"]), "\x9b2J": np.arange(3)},
    )
    cases.append(Case("names_hostile.npz", RENDER, (), "␛]0;pwned␇tokens [3] fits no axis"))
    doc = {
        "title": "\x1b]0;title\x07[/INST]",
        "row_title": "\x1b[31mrows",
        "col_title": "[b]cols",
        "row_labels": labels,
        "col_labels": labels,
        "boxes": [{"rows": [0, 3], "cols": [1, 2], "name": "\x1b]52;c;YQ==\x07box"}],
        "values": values.tolist(),
    }
    add("labels_hostile.json", json.dumps(doc), RENDER)
    add(
        "lone_surrogates.json", '{"values": [[1, 2]], "col_labels": ["\\ud800", "\\udfff"]}', RENDER
    )
    add("long_label.csv", "x" * 1_000_000 + ",b\n1,2\n", RENDER)

    # --- code from files: must never run ----------------------------------------------------
    obj = np.empty((2, 2), dtype=object)
    obj[0, 0] = Payload(marker)
    add("pickle_object.npy", _npy_bytes(obj), ERROR, "never unpickles")
    add("pickle_plain.pkl", pickle.dumps(Payload(marker)), ERROR, "never unpickles")
    add("pickle_renamed.dat", pickle.dumps(Payload(marker)), ERROR, "pickle")
    add("pickle_renamed.csv", pickle.dumps(Payload(marker)), ERROR, "pickle")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("m.npy", _npy_bytes(np.zeros((2, 2))))
        zf.writestr("tokens.npy", _npy_bytes(np.array([Payload(marker), "b"], dtype=object)))
    add("pickle_member.npz", buf.getvalue(), RENDER, "never unpickles")  # labels left unread
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:  # the layout of torch.save, with a hostile data.pkl
        zf.writestr("archive/data.pkl", pickle.dumps(Payload(marker)))
        zf.writestr("archive/version", "3\n")
    add("pickle_torch.pt", buf.getvalue(), ERROR, "")

    # --- broken and oversized files --------------------------------------------------------
    good = _npy_bytes(np.ones((100, 100)))
    add("truncated.npy", good[:3000], ERROR, "truncated")
    add("header_only.npy", good[:128], ERROR, "truncated")
    add(
        "huge_header.npy",
        _fake_header((10**9, 10**9)),
        ERROR,
        "truncated",
    )
    add("garbage.npy", b"\x93NUMPY\x01\x00" + os.urandom(200), ERROR, "")
    # Headers are data: a negative dimension, or a product numpy cannot hold (2**64 wraps
    # to 0 in int64 arithmetic and passed the size check as an empty array).
    add("negative_dim.npy", _fake_header((-1, 4)), ERROR, "negative dimension")
    add("overflow_dims.npy", _fake_header((2**32, 2**32)), ERROR, "more than any array")
    add("overflow_2_64.npy", _fake_header((2**64, 1)), ERROR, "more than any array")
    add("overflow_empty.npy", _fake_header((0, 2**64)), ERROR, "more than any array")
    add("digits_dim.npy", _fake_header_text("(" + "9" * 5000 + ", 2)"), ERROR, "not a valid")
    for name, shape in (("negative_member.npz", (-1, 4)), ("overflow_member.npz", (2**32, 2**32))):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("m.npy", _fake_header(shape))
        add(name, buf.getvalue(), ERROR, "member 'm' is not a valid .npy array", "--key", "m")
    st_header = json.dumps({"m": {"dtype": "F32", "shape": [0, 2**64], "data_offsets": [0, 0]}})
    add(
        "overflow.safetensors",
        struct.pack("<Q", len(st_header)) + st_header.encode(),
        ERROR,
        "more than any array",
        "--key",
        "m",
    )
    add("garbage.npz", b"PK\x03\x04" + os.urandom(300), ERROR, "")
    add("empty.csv", b"", ERROR, "empty")
    add("binary.csv", os.urandom(4096).replace(b"\x80", b"\x81"), ERROR, "")
    # A compressed member is unpacked to a temporary file up to a limit, checked before a
    # byte is inflated (the bomb's 1.2 GiB is under the default 4 GiB: the case lowers it).
    _zip_bomb(d / "zip_bomb.npz")
    cases.append(Case("zip_bomb.npz", ERROR, ("--inflate-limit", "1G"), "inflates to 1.2 GiB"))
    npz_truncated = (d / "labels_hostile.npz").read_bytes()
    add("truncated.npz", npz_truncated[: len(npz_truncated) // 2], ERROR, "")
    add("bad_safetensors.safetensors", struct.pack("<Q", 10**12) + b"{}", ERROR, "")

    # --- every dtype ---------------------------------------------------------------------
    base = np.arange(12).reshape(3, 4)
    for dtype in ["bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
                  "float16", "float32", "float64", "longdouble", ">f8", ">i4"]:  # fmt: skip
        add(f"dtype_{dtype.replace('>', 'be_')}.npy", _npy_bytes(base.astype(dtype)), RENDER)
    add(
        "dtype_uint64_max.npy",
        _npy_bytes(np.array([[np.iinfo(np.uint64).max, 0]], dtype=np.uint64)),
        RENDER,
    )
    add(
        "dtype_int64_min.npy",
        _npy_bytes(np.array([[np.iinfo(np.int64).min, 0]], dtype=np.int64)),
        RENDER,
    )
    add("fortran.npy", _npy_bytes(np.asfortranarray(base.astype(float))), RENDER)
    for dtype, says in [("complex64", "complex"), ("<U5", "text"), ("S3", "bytes"),
                        ("datetime64[s]", "dates"), ("timedelta64[s]", "time spans")]:  # fmt: skip
        add(
            f"dtype_{dtype.replace('<', '').replace('[s]', '')}.npy",
            _npy_bytes(np.zeros((2, 2), dtype=dtype)),
            ERROR,
            says,
        )
    add(
        "dtype_structured.npy",
        _npy_bytes(np.zeros((2, 2), dtype=[("a", "f4"), ("b", "i4")])),
        ERROR,
        "structured",
    )

    # --- awkward values and shapes ----------------------------------------------------------
    add("all_nan.npy", _npy_bytes(np.full((4, 4), np.nan)), RENDER)
    add("inf_mix.npy", _npy_bytes(np.array([[np.inf, -np.inf], [np.nan, 1.0]])), RENDER)
    add("constant.npy", _npy_bytes(np.full((5, 5), 0.7)), RENDER)
    add("huge_values.npy", _npy_bytes(np.array([[1e308, -1e308], [1e-308, 0.0]])), RENDER)
    add("scalar.npy", _npy_bytes(np.array(3.0)), ERROR, "single number")
    add("vector.npy", _npy_bytes(np.arange(5.0)), ERROR, "1-D")
    add("zero_size.npy", _npy_bytes(np.zeros((0, 4))), ERROR, "empty")
    add("one_cell.npy", _npy_bytes(np.ones((1, 1))), RENDER)
    add("three_d.npy", _npy_bytes(np.random.default_rng(1).random((2, 3, 4))), RENDER)
    add("wide.npy", _npy_bytes(np.random.default_rng(2).random((2, 3000))), RENDER)

    # --- CSV and JSON variants ---------------------------------------------------------------
    add("ragged.csv", "a,b\n1,2\n1,2,3\n", ERROR, "cells")
    add("bad_cell.csv", "a,b\n1,zz\n", ERROR, "not a number")
    add("header_only.csv", "a,b,c\n", ERROR, "no data rows")
    add("semicolons.txt", "a;b\n1;2\n", RENDER)
    add("bom_crlf.csv", "\ufeffa,b\r\n1,2\r\n", RENDER)
    add("quoted_newline.csv", '"line\none",b\n1,2\n', RENDER)
    add("latin1.csv", "caf\xe9,b\n1,2\n".encode("latin-1"), RENDER)
    add("nested.json", "[" * 200_000 + "]" * 200_000, ERROR, "")
    add("nan_tokens.json", "[[NaN, Infinity], [-Infinity, 1]]", RENDER)
    add("strings.json", '{"values": [["a", "b"]]}', ERROR, "not a number")
    add("dup_keys.json", '{"values": [[1]], "values": [[2, 3]]}', RENDER)
    add("not_json.json", "{not json", ERROR, "invalid JSON")
    # Python refuses to convert integers of more than 4300 digits: never raise that limit.
    add("int_digits.json", "[[" + "9" * 5000 + ", 1], [2, 3]]", ERROR, "digits")
    add("int_digits_meta.json", '{"values": [[1, 2]], "vmin": ' + "9" * 5000 + "}", ERROR, "digits")
    add("null_doc.json", "null", ERROR, "")
    return cases


def _fake_header(shape: tuple[int, ...]) -> bytes:
    """An npy header promising ``shape`` of float64 with (almost) no data behind it."""
    return _fake_header_text(str(shape))


def _fake_header_text(shape: str) -> bytes:
    text = f"{{'descr': '<f8', 'fortran_order': False, 'shape': {shape}, }}"
    text += " " * (-(len(text) + 11) % 64) + "\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(text)) + text.encode() + b"\x00" * 64


def _zip_bomb(path: Path) -> None:
    """A real zip bomb: 1.2 GiB of zeros behind a valid npy header, a few MB on disk."""
    n = (1200 * 1024**2) // 8
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(
        header, {"descr": "<f8", "fortran_order": False, "shape": (n // 1000, 1000)}
    )
    chunk = bytes(64 * 1024**2)
    with (
        zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf,
        zf.open("bomb.npy", "w", force_zip64=True) as fh,
    ):
        fh.write(header.getvalue())
        left = (n // 1000) * 1000 * 8
        while left > 0:
            fh.write(chunk[: min(left, len(chunk))])
            left -= len(chunk)


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "hostile_corpus")
    for case in build(target):
        print(f"{case.expect:7} {case.name} {case.says}")
