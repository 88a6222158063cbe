from __future__ import annotations

import json
import math

import pytest

from tuiheat.core import Box
from tuiheat.loaders import LoadError, load


def test_seed_document(seed_json) -> None:  # type: ignore[no-untyped-def]
    m = load(str(seed_json))
    assert m.shape == (32, 14)
    assert (m.vmin, m.vmax) == (0.5, 1.0)
    assert m.boxes == (Box(4, 28, 1, 13, "signal"),)
    assert m.title.startswith("Error-detection probe AUC")
    assert m.value(13, 4) == 0.843


def test_bare_nested_list_with_null(write) -> None:  # type: ignore[no-untyped-def]
    m = load(str(write("a.json", "[[1, null], [NaN, 2.5]]")))
    assert m.shape == (2, 2)
    assert math.isnan(m.values[0, 1]) and math.isnan(m.values[1, 0])


def test_document_fields(write) -> None:  # type: ignore[no-untyped-def]
    doc = {
        "values": [[0.1, 0.2, 0.3]],
        "row_labels": ["L0"],
        "col_labels": ["a", 1, "c"],
        "row_title": "Layer",
        "col_title": "Position",
        "title": "t",
        "boxes": [{"rows": "L0", "cols": ["a", "1"]}, "L0:c"],
    }
    m = load(str(write("a.json", json.dumps(doc))))
    assert m.col_labels == ("a", "1", "c")
    assert m.col_title == "Position"
    assert m.boxes == (Box(0, 0, 0, 1), Box(0, 0, 2, 2))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"values": [[1, 2], [3]]}', "row 1 has 1 values but row 0 has 2"),
        ('{"values": [[1, "x"]]}', r"row 0, column 1: \"x\" is not a number"),
        ('{"values": [[1, true]]}', "row 0, column 1: true is not a number"),
        ('{"values": [1, 2]}', "flat"),
        ('{"values": []}', "empty"),
        ('{"values": [[1]], "row_labels": ["a", "b"]}', "2 row labels for 1 rows"),
        ('{"valeus": [[1]]}', "unknown key 'valeus'"),
        ('{"rows": 3}', "unknown key"),
        ('{"values": [[1]], "vmin": "low"}', "'vmin' must be a finite number"),
        ('{"values": [[1]], "boxes": [{"rows": [0, 5]}]}', "box 1: row index 5"),
        ('{"values": [[1, 2]', "invalid JSON at line 1"),
        ("42", "got int"),
    ],
)
def test_bad_documents(write, text: str, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(LoadError, match=message):
        load(str(write("a.json", text)))


def test_deep_nesting_is_an_error_not_a_crash(write) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(LoadError):
        load(str(write("a.json", "[" * 100_000 + "]" * 100_000)))


def test_key_selects_a_member(write) -> None:  # type: ignore[no-untyped-def]
    path = write("a.json", json.dumps({"run1": [[1, 2]], "run2": {"values": [[3, 4]]}}))
    assert load(str(path), key="run2").values.tolist() == [[3.0, 4.0]]
    with pytest.raises(LoadError, match="no key 'run3'"):
        load(str(path), key="run3")
