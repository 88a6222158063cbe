"""Catalogs: a bundle's arrays from headers, a directory's result files, bounded, never fatal."""

from __future__ import annotations

import json
import os

import numpy as np

from tuiheat.core.catalog import (
    BUNDLE,
    ERROR,
    FILE,
    HEATMAP,
    LABELS,
    SCALAR,
    Entry,
    ranked,
    ranked_files,
)
from tuiheat.loaders import listing
from tuiheat.loaders.listing import (
    describe_file,
    directory_catalog,
    file_catalog,
    value_range,
)


def test_npz_catalog_from_headers_ranked_heatmaps_first(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "b.npz"
    np.savez_compressed(
        path,
        tokens=np.array(["a", "b"]),
        summary=np.zeros((3, 2)),
        attn=np.zeros((3, 4, 2, 2), np.float32),
        title=np.array("t"),
        loss=np.ones(3),
    )
    catalog = file_catalog(str(path))
    assert [(e.key, e.kind) for e in catalog.entries] == [
        ("attn", HEATMAP),
        ("summary", HEATMAP),
        ("loss", "vector"),
        ("tokens", LABELS),
        ("title", SCALAR),
    ]
    assert catalog.entries[0].detail == "compressed" and catalog.entries[0].dtype == "float32"


def test_single_array_files_are_one_entry(tmp_path) -> None:  # type: ignore[no-untyped-def]
    np.save(tmp_path / "a.npy", np.zeros((2, 3)))
    (tmp_path / "b.csv").write_text("x,y\n1,2\n")
    for name in ("a.npy", "b.csv"):
        catalog = file_catalog(str(tmp_path / name))
        assert len(catalog.entries) == 1 and catalog.entries[0].kind == HEATMAP


def test_value_range_of_a_member(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "b.npz"
    np.savez(path, a=np.array([[0.25, np.nan], [1.5, -np.inf]]), b=np.full((2, 2), np.nan))
    assert value_range(str(path), "a") == "0.250–1.500"
    assert value_range(str(path), "b") == "no finite values"


def test_directory_lists_result_files_depth_first(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "b" / "deep").mkdir(parents=True)
    (tmp_path / ".git").mkdir()
    (tmp_path / "__pycache__").mkdir()
    for name in ("z.npy", "b/deep/x.json", "b/a.csv", ".git/h.npy", "__pycache__/c.npy"):
        (tmp_path / name).write_text("{}")
    (tmp_path / "z.npy.tuiheat.json").write_text("{}")
    (tmp_path / "README.md").write_text("")
    (tmp_path / "model.pkl").write_bytes(b"\x80")  # listed: opening it says why not
    catalog = directory_catalog(str(tmp_path))
    assert catalog.is_directory
    assert [e.key for e in catalog.entries] == ["b/a.csv", "b/deep/x.json", "model.pkl", "z.npy"]
    assert all(e.kind == FILE and e.path.startswith(str(tmp_path)) for e in catalog.entries)


def test_directory_listing_is_bounded_and_says_so(tmp_path) -> None:  # type: ignore[no-untyped-def]
    for i in range(30):
        (tmp_path / f"r{i:02}.npy").write_text("")
    catalog = directory_catalog(str(tmp_path), limit=10)
    assert len(catalog.entries) == 10 and catalog.truncated == 10
    assert catalog.notes == ("listing stopped after 10 files (10 entries looked at)",)
    empty = directory_catalog(str(tmp_path / ".."), limit=5, scan_limit=3)
    assert len(empty.entries) <= 3


def test_symlink_loops_are_entered_once(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "d").mkdir()
    np.save(tmp_path / "d" / "a.npy", np.zeros((2, 2)))
    os.symlink(tmp_path, tmp_path / "d" / "loop")
    catalog = directory_catalog(str(tmp_path))
    assert [e.key for e in catalog.entries] == ["d/a.npy"]


def test_an_empty_directory_says_what_it_looks_for(tmp_path) -> None:  # type: ignore[no-untyped-def]
    catalog = directory_catalog(str(tmp_path))
    assert catalog.entries == () and ".npz" in catalog.notes[0]


def test_describe_file_gives_shape_bundle_or_error(tmp_path) -> None:  # type: ignore[no-untyped-def]
    np.save(tmp_path / "a.npy", np.zeros((4, 5), np.float32))
    np.savez(tmp_path / "b.npz", x=np.zeros((2, 2)), y=np.zeros((3, 3)))
    (tmp_path / "c.json").write_text(json.dumps({"layer0": [1, 2], "layer1": [3]}))
    (tmp_path / "d.pkl").write_bytes(b"\x80\x04")

    def entry(name: str) -> Entry:
        return describe_file(Entry(name, FILE, path=str(tmp_path / name)))

    a = entry("a.npy")
    assert (a.kind, a.shape, a.dtype) == (FILE, (4, 5), "float32")
    b = entry("b.npz")
    assert (b.kind, b.detail) == (BUNDLE, "2 arrays")
    c = entry("c.json")
    assert c.kind == ERROR and "ragged" in c.detail
    d = entry("d.pkl")
    assert d.kind == ERROR and "never unpickles" in d.detail


def test_big_text_files_are_described_when_opened(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(listing, "DESCRIBE_TEXT_BYTES", 10)
    (tmp_path / "big.csv").write_text("a,b\n" + "1,2\n" * 10)
    found = describe_file(Entry("big.csv", FILE, path=str(tmp_path / "big.csv")))
    assert found.kind == FILE and found.detail == "shape shown when opened"


def test_ranked_keeps_file_order_within_a_kind() -> None:
    entries = [
        Entry("t", LABELS, (3,)),
        Entry("b", HEATMAP, (2, 2)),
        Entry("a", HEATMAP, (2, 2, 2)),
        Entry("c", HEATMAP, (2, 2)),
    ]
    assert [e.key for e in ranked(entries)] == ["a", "b", "c", "t"]


def test_a_directory_lists_files_holding_heatmaps_first_and_junk_last() -> None:
    facts = [
        Entry("00_config.json", ERROR, detail="no matrix in the JSON object"),
        Entry("a.csv", FILE, detail="shape shown when opened"),  # not described: unknown
        Entry("b.npy", FILE, (4, 5)),
        Entry("broken.csv", ERROR, detail="'x' is not a number"),
        Entry("c.npz", BUNDLE, detail="2 arrays"),
    ]
    order = ranked_files(facts)
    assert [facts[i].key for i in order] == [
        "b.npy",
        "c.npz",
        "a.csv",
        "00_config.json",
        "broken.csv",
    ]


def test_very_deep_folders_are_a_line_not_a_crash(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(listing, "MAX_DEPTH", 3)
    deep = tmp_path.joinpath(*["d"] * 6)
    deep.mkdir(parents=True)
    np.save(deep / "a.npy", np.zeros((2, 2)))
    np.save(tmp_path / "top.npy", np.zeros((2, 2)))
    catalog = directory_catalog(str(tmp_path))
    assert [e.kind for e in catalog.entries] == [ERROR, FILE]
    assert "folders deep" in catalog.entries[0].detail
