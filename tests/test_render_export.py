"""Exports for sharing: CSV that a spreadsheet cannot turn into formulas, standalone SVG/HTML."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET

import numpy as np
import pytest

from tuiheat.core.atomic import WriteError, atomic_write_text
from tuiheat.core.boxes import Box
from tuiheat.core.colormap import get_palette
from tuiheat.core.matrix import HeatMatrix
from tuiheat.core.scale import ValueRange, to_bins
from tuiheat.loaders import load
from tuiheat.render.export import csv_lines, csv_region, html_heatmap, neutralise, svg_heatmap

SVG = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("-8", "-8"),  # a plain number: a spreadsheet reads it as -8, nothing runs
        ("+1.5e-3", "+1.5e-3"),
        ("layer", "layer"),
        ("", ""),
    ],
)
def test_neutralise(text: str, expected: str) -> None:
    assert neutralise(text) == expected


def test_csv_has_labels_full_precision_and_neutralised_text() -> None:
    matrix = HeatMatrix(
        np.array([[0.1234567891, np.nan], [-1.0, np.inf]]),
        row_labels=("=1+1", "ok"),
        col_labels=("@a", "-8"),
        row_title="+Layer",
    )
    rows = list(csv.reader(io.StringIO(csv_region(matrix))))
    assert rows[0] == ["'+Layer", "'@a", "-8"]
    assert rows[1] == ["'=1+1", "0.1234567891", ""]  # NaN is an empty cell
    assert rows[2] == ["ok", "-1.0", "inf"]


def test_csv_of_a_box_is_just_its_cells() -> None:
    matrix = HeatMatrix(np.arange(20.0).reshape(4, 5))
    rows = list(csv.reader(io.StringIO(csv_region(matrix, Box(1, 2, 3, 4)))))
    assert rows == [["Layer", "3", "4"], ["1", "8.0", "9.0"], ["2", "13.0", "14.0"]]


def test_csv_round_trips_through_the_loader(tmp_path) -> None:  # type: ignore[no-untyped-def]
    values = np.random.default_rng(0).random((7, 300))
    matrix = HeatMatrix(values, row_labels=tuple(f"L{i}" for i in range(7)))
    path = tmp_path / "out.csv"
    atomic_write_text(path, csv_lines(matrix))
    again = load(str(path))
    assert np.array_equal(again.as_float(), values)
    assert again.row_labels == matrix.row_labels


def test_csv_is_written_in_blocks() -> None:
    matrix = HeatMatrix(np.zeros((2000, 300)))
    pieces = list(csv_lines(matrix))
    assert len(pieces) > 2 and "".join(pieces).count("\n") == 2001


def _svg(matrix: HeatMatrix, vrange: ValueRange, cmap: str = "blues") -> ET.Element:
    return ET.fromstring(svg_heatmap(matrix, vrange, cmap, "title <&> [b]"))


def test_svg_is_valid_xml_with_labels_scale_colours_and_boxes() -> None:
    values = np.array([[0.5, 0.75, 1.0], [0.6, 0.9, np.nan]])
    matrix = HeatMatrix(
        values,
        row_labels=("<script>", "r&1"),
        col_labels=("[CLS]", '"q"', "Ġthe"),
        boxes=(Box(0, 1, 1, 2, "top <box>"),),
    )
    vrange = ValueRange(0.5, 1.0)
    root = _svg(matrix, vrange)
    texts = [el.text for el in root.iter(f"{SVG}text")]
    for label in ("<script>", "r&1", "[CLS]", '"q"', "Ġthe", "title <&> [b]"):
        assert label in texts
    fills = {el.get("fill") for el in root.iter(f"{SVG}rect")}
    palette = get_palette("blues")
    for value in (0.5, 0.75, 1.0, 0.6, 0.9):
        k = int(to_bins(np.array([[value]]), vrange, palette.size)[0, 0])
        assert palette.hex(k) in fills
    assert palette.hex(0) in fills and palette.hex(palette.size - 1) in fills  # the colour bar
    titles = [el.text for el in root.iter(f"{SVG}title")]
    assert titles == ["top <box>"]
    assert "1.0" in texts and "0.5" in texts  # colour-bar ticks


def test_svg_of_a_big_matrix_is_reduced_and_says_so() -> None:
    matrix = HeatMatrix(np.random.default_rng(1).random((2000, 1500)).astype(np.float32))
    root = _svg(matrix, ValueRange(0.0, 1.0))
    note = [el.text for el in root.iter(f"{SVG}text") if el.text and "cells" in el.text]
    assert note and "mean" in note[0]
    assert len(list(root.iter(f"{SVG}rect"))) < 512 * 512 + 200


def test_svg_with_another_colormap_uses_its_colours() -> None:
    matrix = HeatMatrix(np.array([[0.0, 1.0]]))
    fills = {el.get("fill") for el in _svg(matrix, ValueRange(0, 1), "viridis").iter(f"{SVG}rect")}
    viridis = get_palette("viridis")
    assert viridis.hex(0) in fills and viridis.hex(viridis.size - 1) in fills


def test_html_is_a_page_around_the_svg() -> None:
    matrix = HeatMatrix(np.eye(3), col_labels=("<b>", "b", "c"))
    page = html_heatmap(matrix, ValueRange(0, 1), title="</title><script>")
    assert page.startswith("<!DOCTYPE html>") and "<svg" in page
    assert "<script>" not in page and "&lt;b&gt;" in page


def test_atomic_write_never_writes_the_input_or_a_link_to_it(tmp_path) -> None:  # type: ignore[no-untyped-def]
    data = tmp_path / "data.csv"
    data.write_text("1,2\n")
    link = tmp_path / "alias.csv"
    link.hardlink_to(data)
    for target in (data, link, tmp_path / "." / "data.csv"):
        with pytest.raises(WriteError):
            atomic_write_text(target, "boom", protect=(data,))
    assert data.read_text() == "1,2\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["alias.csv", "data.csv"]


def test_csv_writes_each_dtype_as_it_reads_back() -> None:
    f32 = HeatMatrix(np.array([[0.8506242, np.nan, -np.inf]], dtype=np.float32))
    assert csv_region(f32).splitlines()[1] == "0,0.8506242,,-inf"
    ints = HeatMatrix(np.array([[3, -7]], dtype=np.int16))
    assert csv_region(ints).splitlines()[1] == "0,3,-7"
    f16 = HeatMatrix(np.array([[0.1]], dtype=np.float16))
    assert np.float16(csv_region(f16).splitlines()[1].split(",")[1]) == np.float16(0.1)


def test_png_text_never_draws_a_glyph_its_font_lacks() -> None:
    from PIL import ImageFont

    from tuiheat.render.raster import Lettering

    plain = Lettering(ImageFont.load_default(size=22))  # Pillow's own: little beyond ASCII
    assert plain("␣the") == "_the" and plain("A − B") == "A - B"  # stand-ins, not boxes
    assert plain("café ↵") == "cafe \\n" and plain("layer 12") == "layer 12"
    assert plain("\x1b[2J") == plain("␛[2J")  # control characters were made visible first
