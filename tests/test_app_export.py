"""Pilot tests of the ``e`` export menu: screenshot, visible cells, a box, the whole heatmap."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET

import numpy as np
from app_helpers import grid_of, matrix_app, viewer

from tuiheat.app import TuiheatApp
from tuiheat.core import HeatMatrix
from tuiheat.screens.exportmenu import ExportScreen
from tuiheat.session.config import ViewerConfig
from tuiheat.session.exports import export_stem

SIZE = (100, 30)


async def export(app: TuiheatApp, pilot, key: str, name: str | None = None) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("e")
    assert isinstance(app.screen, ExportScreen)
    await pilot.press(key)
    if name is not None:
        field = app.screen.query_one("#path")
        field.value = name  # type: ignore[attr-defined]
    await finished(app, pilot, viewer(app).exports + 1, "enter")


async def finished(app: TuiheatApp, pilot, count: int, *keys: str) -> None:  # type: ignore[no-untyped-def]
    """Press ``keys``, then wait until ``count`` exports are done (they are written in a thread)."""
    await pilot.press(*keys)
    for _ in range(100):
        await pilot.pause(0.02)
        if viewer(app).exports >= count:
            return
    raise AssertionError("the export did not finish")


async def test_visible_cells_as_csv_with_labels(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    values = np.arange(400.0).reshape(20, 20)
    app = matrix_app(values, col_labels=tuple(f"=c{i}" for i in range(20)))
    async with app.run_test(size=(60, 16)) as pilot:
        await pilot.press("e", "v")
        assert app.screen.query_one("#path").value == "tuiheat-visible.csv"  # type: ignore[attr-defined]
        await finished(app, pilot, 1, "enter")
        grid = grid_of(app)
        rows = list(csv.reader(io.StringIO((tmp_path / "tuiheat-visible.csv").read_text())))
        assert rows[0][0] == "Layer" and rows[0][1] == "'=c0"  # text that looks like a formula
        assert len(rows) - 1 == grid.visible_rows and len(rows[0]) - 1 == grid.visible_cols
        assert rows[1][1:3] == ["0.0", "1.0"]
        assert any("Wrote" in n.message for n in app._notifications)


async def test_box_under_the_cursor_as_csv(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    app = matrix_app(np.arange(30.0).reshape(5, 6))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e", "b")  # no box yet: the choice says why and stays in the menu
        assert isinstance(app.screen, ExportScreen)
        assert "no box under the cursor" in str(app.screen.query_one("#error").render()).lower()
        await pilot.press("escape", "j", "b", "j", "l", "enter")
        await export(app, pilot, "b", "box.csv")
        rows = list(csv.reader(io.StringIO((tmp_path / "box.csv").read_text())))
        assert rows == [["Layer", "0", "1"], ["1", "6.0", "7.0"], ["2", "12.0", "13.0"]]


async def test_screen_svg_and_whole_heatmap_html_and_svg(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    app = matrix_app(np.eye(4) * 0.4 + 0.55, row_labels=("<b>", "b", "c", "d"))
    async with app.run_test(size=SIZE) as pilot:
        await export(app, pilot, "s")
        shot = (tmp_path / "tuiheat-screen.svg").read_text()
        ET.fromstring(shot)
        assert "Export" not in shot  # the menu was gone before the picture was taken
        await export(app, pilot, "h")
        page = (tmp_path / "tuiheat.html").read_text()
        assert page.startswith("<!DOCTYPE html>") and "&lt;b&gt;" in page
        await export(app, pilot, "g")
        ET.parse(tmp_path / "tuiheat.svg")


async def test_an_existing_file_needs_a_second_enter_and_the_input_is_never_written(
    tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    data = tmp_path / "auc.csv"
    data.write_text("a,b\n0.5,0.6\n")
    app = TuiheatApp(ViewerConfig.for_matrix(HeatMatrix(np.array([[0.5, 0.6]])), data_path=data))
    async with app.run_test(size=SIZE) as pilot:
        (tmp_path / "auc.html").write_text("old")
        await pilot.press("e", "h")
        assert app.screen.query_one("#path").value == "auc.html"  # type: ignore[attr-defined]
        await pilot.press("enter")
        assert "exists" in str(app.screen.query_one("#error").render())
        await finished(app, pilot, 1, "enter")
        assert (tmp_path / "auc.html").read_text().startswith("<!DOCTYPE html>")
        await pilot.press("e", "v")
        app.screen.query_one("#path").value = "auc.csv"  # type: ignore[attr-defined]
        await pilot.press("enter")  # it exists: a second Enter confirms
        await finished(app, pilot, 2, "enter")
        assert data.read_text() == "a,b\n0.5,0.6\n"
        assert any("refusing to overwrite the input" in n.message for n in app._notifications)


def test_export_stem_is_a_safe_file_name() -> None:
    from pathlib import Path

    assert export_stem(None) == "tuiheat"
    assert export_stem(Path("/x/probe auc;rm -rf.csv")) == "probe_auc_rm_-rf"
    assert export_stem(Path("/x/\x1b[31m.npy")) == "31m"
    assert export_stem(Path("/x/....npy")) == "tuiheat"


async def test_the_whole_heatmap_as_png_and_as_pdf(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import pytest

    image_mod = pytest.importorskip("PIL.Image")
    monkeypatch.chdir(tmp_path)
    app = matrix_app(np.arange(12.0).reshape(3, 4))
    async with app.run_test(size=SIZE) as pilot:
        await export(app, pilot, "p")
        await export(app, pilot, "p", str(tmp_path / "pic.pdf"))
    png = tmp_path / f"{export_stem(None)}.png"
    with image_mod.open(png) as image:
        assert image.format == "PNG" and image.size[0] > 100
    assert (tmp_path / "pic.pdf").read_bytes().startswith(b"%PDF")
