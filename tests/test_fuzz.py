"""Property-based tests: random and mutated files, random labels. Only LoadError may escape
a loader; no rendered line may carry a control character from a label."""

from __future__ import annotations

import io
import json
import struct

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tuiheat.core import HeatMatrix, ValueRange
from tuiheat.loaders import LoadError, load
from tuiheat.loaders.listing import file_catalog
from tuiheat.render.gridview import GridLayout
from tuiheat.render.painter import Painter
from tuiheat.render.printer import HeatmapPrint, PrintOptions
from tuiheat.render.readout import cell_readout

from conftest import SEED_CSV, SEED_JSON
from render_helpers import ansi

SUFFIXES = [".csv", ".tsv", ".json", ".npy", ".npz", ".txt", ".dat", ".safetensors"]
FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _npy() -> bytes:
    buf = io.BytesIO()
    np.save(buf, np.random.default_rng(0).random((6, 5)))
    return buf.getvalue()


def _npz() -> bytes:
    buf = io.BytesIO()
    np.savez(buf, m=np.ones((3, 4)), tokens=np.array(list("abcd")))
    return buf.getvalue()


def _safetensors() -> bytes:
    header = {
        "attn": {"dtype": "BF16", "shape": [2, 3, 3], "data_offsets": [0, 36]},
        "ids": {"dtype": "I64", "shape": [3], "data_offsets": [36, 60]},
        "__metadata__": {"tokens": '["a", "b", "c"]', "axes": "head,q,k"},
    }
    text = json.dumps(header).encode()
    return struct.pack("<Q", len(text)) + text + bytes(range(60))


SEEDS = {
    ".safetensors": _safetensors(),
    ".csv": SEED_CSV.read_bytes(),
    ".json": SEED_JSON.read_bytes(),
    ".npy": _npy(),
    ".npz": _npz(),
}


def try_load(path) -> None:  # type: ignore[no-untyped-def]
    """Load, and list as the picker would: a result or one line of error, never a crash."""
    try:
        catalog = file_catalog(str(path))
    except LoadError as err:
        assert "\n" not in str(err)
    else:
        assert all(isinstance(e.key, str) for e in catalog.entries)
    try:
        matrix = load(str(path))
    except LoadError as err:
        assert "\n" not in str(err)
        return
    matrix.window(0, min(3, matrix.n_rows), 0, min(3, matrix.n_cols))


@FUZZ
@given(data=st.binary(max_size=2048), suffix=st.sampled_from(SUFFIXES))
def test_random_bytes(tmp_path_factory, data: bytes, suffix: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("fuzz") / f"f{suffix}"
    path.write_bytes(data)
    try_load(path)


@FUZZ
@given(
    suffix=st.sampled_from(sorted(SEEDS)),
    flips=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), min_size=1, max_size=8),
    cut=st.one_of(st.none(), st.integers(0, 10**6)),
)
def test_mutated_files(tmp_path_factory, suffix: str, flips, cut) -> None:  # type: ignore[no-untyped-def]
    data = bytearray(SEEDS[suffix])
    for where, byte in flips:
        data[where % len(data)] = byte
    if cut is not None:
        data = data[: cut % (len(data) + 1)]
    path = tmp_path_factory.mktemp("mut") / f"m{suffix}"
    path.write_bytes(bytes(data))
    try_load(path)


HOSTILE_TEXT = st.text(
    alphabet=st.one_of(
        st.characters(),  # every plane, controls included
        st.sampled_from(
            ["\x1b", "\x9b", "\x07", "\u202e", "\u200b", "[", "]", "@", "=", "\n", "\r", "\t"]
        ),
    ),
    max_size=30,
)


@FUZZ
@given(
    rows=st.lists(HOSTILE_TEXT, min_size=1, max_size=4),
    cols=st.lists(HOSTILE_TEXT, min_size=1, max_size=4),
    title=HOSTILE_TEXT,
)
def test_labels_never_reach_the_terminal_raw(rows, cols, title) -> None:  # type: ignore[no-untyped-def]
    values = np.arange(len(rows) * len(cols), dtype=float).reshape(len(rows), len(cols))
    m = HeatMatrix(
        values,
        row_labels=tuple(rows),
        col_labels=tuple(cols),
        row_title=title,
        col_title=title,
        title=title,
    )
    out = ansi(
        HeatmapPrint(m, ValueRange(0, values.size), PrintOptions(color="none", width=80)), None
    )
    assert not any((ord(ch) < 32 and ch != "\n") or 0x7F <= ord(ch) <= 0x9F for ch in out)
    layout = GridLayout(
        m,
        Painter(__import__("tuiheat.core.colormap", fromlist=["x"]).get_palette(), "truecolor", 3),
    )
    lines = [layout.header_line(i, 0, len(cols), 0) for i in range(layout.header_height)]
    lines += [
        layout.row_line(r, np.zeros(len(cols), dtype=np.int16), 0, 0) for r in range(len(rows))
    ]
    text = "".join(seg.text for line in lines for seg in line) + cell_readout(m, 0, 0).plain
    assert not any(
        ord(ch) < 32 or 0x7F <= ord(ch) <= 0x9F or 0xD800 <= ord(ch) <= 0xDFFF for ch in text
    )


KEYS = ["values", "row_labels", "col_labels", "boxes", "vmin", "title", "x", "layer", "pos"]
KEYS += ["auc", "tokens", "axes", "head_labels"]  # bundles, records and label hints too


@FUZZ
@given(
    doc=st.recursive(
        st.one_of(
            st.none(), st.booleans(), st.floats(allow_nan=True), st.integers(), st.text(max_size=5)
        ),
        lambda children: st.one_of(
            st.lists(children, max_size=4),
            st.dictionaries(
                st.sampled_from(KEYS),
                children,
                max_size=4,
            ),
        ),
        max_leaves=20,
    )
)
def test_random_json_documents(tmp_path_factory, doc) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("json") / "d.json"
    path.write_text(json.dumps(doc, allow_nan=True))
    try_load(path)
