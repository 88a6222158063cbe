from __future__ import annotations

import json
import math
import re

import pytest

from tuiheat.core import Box
from tuiheat.loaders import LoadError, load, load_tensor
from tuiheat.loaders.base import ChooseArray
from tuiheat.loaders.listing import file_catalog


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
        ('{"rows": 3}', "no matrix in the JSON object"),
        ("[[1, 2], [[3], 4]]", "numbers sit at different depths"),
        ('{"a": [1, 2], "b": [1]}', "ragged"),
        ('[[1, 2], {"a": 1}]', "mixed"),
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


def test_a_matrix_under_any_name_with_label_lists(write) -> None:  # type: ignore[no-untyped-def]
    doc = {
        "auc": [[0.5, 0.6, 0.7], [0.8, 0.9, 1.0]],
        "layers": ["L0", "L1"],
        "positions": ["last_q", " the", "-1"],
        "model": "llama",
    }
    t = load_tensor(str(write("a.json", json.dumps(doc))))
    assert t.shape == (2, 3)
    assert t.labels == (("L0", "L1"), ("last_q", " the", "-1"))
    assert t.names == ("Layer", "Position")
    one = load(str(write("b.json", json.dumps({"matrix": [[1, 2], [3, 4]]}))))
    assert one.as_float().tolist() == [[1.0, 2.0], [3.0, 4.0]]


def test_nested_results_dict_as_json_dump_writes_it(write) -> None:  # type: ignore[no-untyped-def]
    results = {
        "0": {"last_q": 0.91, "first_answer": 0.95},
        "1": {"last_q": 0.81, "first_answer": 0.85, "-1": 0.7},
        "2": {"first_answer": 0.75, "-1": 0.6},
    }
    t = load_tensor(str(write("r.json", json.dumps(results))))
    assert t.labels == (("0", "1", "2"), ("last_q", "first_answer", "-1"))
    values = t.values.tolist()
    assert values[1] == [0.81, 0.85, 0.7]
    assert math.isnan(values[0][2]) and math.isnan(values[2][0])
    assert t.notes == ("2 of 9 cells are missing from the nested keys (NaN)",)


def test_dict_of_rows_and_records(write) -> None:  # type: ignore[no-untyped-def]
    rows = load_tensor(str(write("a.json", json.dumps({"layer0": [1, 2], "layer1": [3, 4]}))))
    assert rows.labels == (("layer0", "layer1"), None) and rows.values.tolist() == [[1, 2], [3, 4]]
    records = [{"a": 1, "b": 2}, {"a": 3, "b": None}]  # pandas to_json(orient="records")
    t = load_tensor(str(write("b.json", json.dumps(records))))
    assert t.labels == (None, ("a", "b")) and math.isnan(t.values[1, 1])


def test_pandas_split_orient(write) -> None:  # type: ignore[no-untyped-def]
    doc = {"columns": ["x", "y", "z"], "index": ["r0", "r1", "r2"], "data": [[1, 2, 3]] * 3}
    t = load_tensor(str(write("s.json", json.dumps(doc))))
    assert t.labels == (("r0", "r1", "r2"), ("x", "y", "z"))


def test_nested_lists_of_any_depth(write) -> None:  # type: ignore[no-untyped-def]
    attn = [
        [[[0.1 * (i + j + k + m) for m in range(3)] for k in range(3)] for j in range(2)]
        for i in range(2)
    ]
    doc = {"attention": attn, "tokens": ["a", "b", "c"], "axes": ["layer", "head", "q", "k"]}
    t = load_tensor(str(write("n.json", json.dumps(doc))))
    assert t.shape == (2, 2, 3, 3) and t.names == ("layer", "head", "q", "k")
    assert t.labels[2] == t.labels[3] == ("a", "b", "c")


def test_two_matrices_are_a_bundle_to_choose_from(write) -> None:  # type: ignore[no-untyped-def]
    doc = {"clean": [[1, 2]], "patched": {"0": {"a": 1, "b": 2}}, "tokens": ["a", "b"], "note": "x"}
    path = str(write("b.json", json.dumps(doc)))
    with pytest.raises(
        ChooseArray, match=r"--key: clean \(1×2 number\), patched \(1×2 number\)"
    ) as info:
        load_tensor(path)
    kinds = {e.key: e.kind for e in info.value.catalog.entries}
    assert kinds == {"clean": "heatmap", "patched": "heatmap", "tokens": "labels", "note": "scalar"}
    assert load_tensor(path, key="clean").labels == (None, ("a", "b"))


def test_one_value_or_one_row_of_settings_is_not_a_heatmap(write) -> None:  # type: ignore[no-untyped-def]
    """A config JSON opened by mistake (or met in a directory) is not a 1×1 grid."""
    cases = [
        ({"config": {"lr": 0.001}}, "one value (1×1)"),
        ({"losses": [0.5, 0.4]}, "one row (1×2)"),
    ]
    for doc, form in cases:
        with pytest.raises(LoadError, match=re.escape(f"JSON object: its numbers make {form}")):
            load_tensor(str(write("c.json", json.dumps(doc))))
    path = str(write("b.json", json.dumps({"auc": [[0.5, 0.6], [0.7, 0.8]], "seed": {"x": 3}})))
    assert [(e.key, e.kind) for e in file_catalog(path).entries] == [
        ("auc", "heatmap"),
        ("seed", "scalar"),
    ]
    assert load_tensor(path).shape == (2, 2)  # the one heatmap opens alone


def test_nested_keys_that_multiply_out_are_refused(write, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from tuiheat.loaders import jsondoc

    monkeypatch.setattr(jsondoc, "MAX_CELLS", 100)
    doc = {str(i): {str(i * 100 + j): 1 for j in range(20)} for i in range(20)}
    with pytest.raises(LoadError, match="the nested keys make 8000 cells, more than 100"):
        load(str(write("big.json", json.dumps(doc))))


def test_long_format_records_pivot_to_their_key_axes(write) -> None:  # type: ignore[no-untyped-def]
    records = [
        {"layer": layer, "position": pos, "auc": 0.5 + layer / 10 + i / 100}
        for layer in range(3)
        for i, pos in enumerate(["last_q", " the", "-1"])
    ][:-1]  # the last cell has no record
    t = load_tensor(str(write("long.json", json.dumps(records))))
    assert t.names == ("layer", "position")
    assert t.labels == (("0", "1", "2"), ("last_q", " the", "-1"))
    assert t.values[1, 2] == pytest.approx(0.62) and math.isnan(t.values[2, 2])
    assert t.notes == ("1 of 9 cells have no record (NaN)",)


def test_records_with_several_measures_are_a_bundle(write) -> None:  # type: ignore[no-untyped-def]
    records = [
        {"step": s, "head": h, "loss": 1.0 / (s + 1), "acc": None} for s in range(2) for h in "ab"
    ]
    path = str(write("m.json", json.dumps(records)))
    with pytest.raises(ChooseArray, match=r"--key: loss \(2×2 number\), acc \(2×2 number\)"):
        load_tensor(path)
    assert load_tensor(path, key="loss").values.tolist() == [[1.0, 1.0], [0.5, 0.5]]


def test_records_that_repeat_a_cell_are_refused(write) -> None:  # type: ignore[no-untyped-def]
    records = [{"layer": 0, "pos": "a", "auc": 0.5}, {"layer": 0, "pos": "a", "auc": 0.6}]
    with pytest.raises(LoadError, match="two records give 'auc' for one cell"):
        load(str(write("dup.json", json.dumps(records))))


def test_a_wide_table_of_records_is_rows_not_keys(write) -> None:  # type: ignore[no-untyped-def]
    """pandas' to_json(orient="records") of a wide frame: integers that name no axis are data."""
    t = load_tensor(str(write("w.json", json.dumps([{"a": 1, "b": 2}, {"a": 3, "b": 4}]))))
    assert t.values.tolist() == [[1, 2], [3, 4]] and t.labels == (None, ("a", "b"))


def test_records_use_the_fewest_keys_and_skip_ids(write) -> None:  # type: ignore[no-untyped-def]
    records = [
        {"run": f"r{i}", "layer": layer, "pos": pos, "model": "m", "auc": 0.5 + i / 100}
        for i, (layer, pos) in enumerate((la, p) for la in range(2) for p in "ab")
    ]
    t = load_tensor(str(write("ids.json", json.dumps(records))))
    assert t.names == ("layer", "pos") and t.shape == (2, 2)  # run is an id, model one value
    settings = [{"idx": i, "name": str(i), "type": f"t{i}"} for i in range(3)]  # a config list
    with pytest.raises(LoadError, match="no matrix in the JSON records; fields: 'idx', 'name'"):
        load(str(write("modules.json", json.dumps(settings))))
