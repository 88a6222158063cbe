"""The small things of a day's work: negative indices, named boxes, undo, JSON box lists,
semicolon CSVs, which slice an export wrote, and the box line on a narrow screen."""

from __future__ import annotations

import json

import numpy as np
import pytest
from app_helpers import viewer

from tuiheat.cli import main, parse_args
from tuiheat.core.boxes import Box, parse_box_spec
from tuiheat.core.matrix import HeatMatrix
from tuiheat.core.readout import format_value
from tuiheat.core.stats import box_stats
from tuiheat.loaders import LoadError, load
from tuiheat.render.readout import box_summary
from tuiheat.screens.goto import parse_goto


def plain(rows: int = 5, cols: int = 4) -> HeatMatrix:
    return HeatMatrix(np.arange(rows * cols, dtype=float).reshape(rows, cols))


def test_goto_takes_python_negative_indices() -> None:
    assert parse_goto("-1,-1", plain()) == (4, 3)
    assert parse_goto("-5", plain()) == (0, None)
    with pytest.raises(ValueError, match="from the end"):
        parse_goto("-6,0", plain())


def test_a_label_reading_minus_one_still_wins_over_the_index(seed_csv) -> None:  # type: ignore[no-untyped-def]
    seed = load(str(seed_csv))
    assert parse_goto("-1,-2", seed) == (31, seed.col_labels.index("-2"))


def test_boxes_take_names_and_negative_ranges(seed_csv) -> None:  # type: ignore[no-untyped-def]
    seed = load(str(seed_csv))
    box = parse_box_spec("late=-8..-1:4", seed.row_labels, seed.col_labels)
    assert (box.name, box.r0, box.r1, box.c0, box.c1) == ("late", 24, 31, 4, 4)
    labelled = HeatMatrix(np.zeros((2, 2)), row_labels=["a=1", "b"])
    assert parse_box_spec("a=1:0", labelled.row_labels, labelled.col_labels).name == ""


def test_box_values_may_start_with_a_dash_on_the_command_line() -> None:
    options = parse_args(["--box", "-8..-1:4", "--vmin", "-0.5", "--box", "x=0:-1", "--print"])
    assert options.boxes == ["-8..-1:4", "x=0:-1"] and options.vmin == -0.5 and options.print_mode


def test_boxes_as_json_for_scripts(seed_csv, capsys) -> None:  # type: ignore[no-untyped-def]
    code = main(
        [
            str(seed_csv),
            "--boxes",
            "--json",
            "--box",
            "early=0-3:first_answer..exact_answer_before_first",
            "--box",
            "5:-1",
        ]
    )
    assert code == 0
    records = json.loads(capsys.readouterr().out)
    seed = load(str(seed_csv))
    first = records[0]
    assert (first["name"], first["rows"], first["cols"]) == ("early", [0, 3], [1, 3])
    stats = box_stats(seed, Box(0, 3, 1, 3))
    assert first["mean"] == pytest.approx(stats.mean) and first["cells"] == 12
    assert first["argmax"]["row_label"] == seed.row_labels[stats.argmax[0]]  # type: ignore[index]
    assert records[1]["rows"] == [5, 5] and records[1]["col_labels"] == ["-1", "-1"]


def test_no_boxes_is_said_and_json_is_an_empty_list(seed_csv, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main([str(seed_csv), "--boxes", "--no-sidecar"]) == 0
    assert capsys.readouterr().out.startswith("no boxes")
    assert main([str(seed_csv), "--boxes", "--json", "--no-sidecar"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert main([str(seed_csv), "--json"]) == 2


def test_the_box_line_keeps_every_figure_on_a_narrow_screen(seed_csv) -> None:  # type: ignore[no-untyped-def]
    seed = load(str(seed_csv))
    box = Box(4, 28, 1, 13, "signal")
    stats = box_stats(seed, box)
    for width in (120, 100, 80, 70):
        line = box_summary(seed, box, stats, 1, width)
        assert len(line) <= width, width
        assert f"min {format_value(stats.min)}" in line and "outside" in line, width
    assert "@" in box_summary(seed, box, stats, 1, None)


def test_semicolon_csv_with_decimal_commas(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "auc.csv"
    path.write_text("layer;a;b;c\n0;0,5;0,75;1\n1;0,625;0,875;0,5\n")
    matrix = load(str(path))
    assert matrix.shape == (2, 3) and matrix.col_labels == ("a", "b", "c")
    assert matrix.value(1, 1) == 0.875 and matrix.row_title == "layer"


def test_an_unrecognised_delimiter_says_how_to_give_it(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "odd.csv"
    path.write_text("layer:a:b\n0:0.5:0.7\n1:0.6:0.8\n")
    with pytest.raises(LoadError, match="--delimiter"):
        load(str(path))
    assert main([str(path), "--delimiter", ":", "--print", "--color", "none"]) == 0
    assert "odd.csv" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        parse_args([str(path), "--delimiter", "::"])


def test_an_nd_export_says_which_slice_it_wrote(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    data = tmp_path / "attn.npy"
    np.save(data, np.random.default_rng(0).random((2, 3, 4, 4)))
    out = tmp_path / "attn.csv"
    assert main([str(data), "--export", str(out)]) == 0
    said = capsys.readouterr().err
    assert "the slice" in said and "dim0 0" in said and "dim1 0" in said and "--slice" in said
    assert main([str(data), "--export", str(out), "--slice", "dim0=1,dim1=mean"]) == 0
    assert "the slice" not in capsys.readouterr().err


async def test_x_says_which_box_went_and_u_brings_it_back() -> None:
    from app_helpers import viewer

    from tuiheat.app import TuiheatApp
    from tuiheat.session.config import ViewerConfig

    app = TuiheatApp(
        ViewerConfig.for_matrix(
            HeatMatrix(np.arange(30.0).reshape(5, 6), boxes=[Box(0, 1, 0, 1, "corner")])
        )
    )
    said: list[str] = []
    async with app.run_test(size=(100, 30)) as pilot:
        viewer(app).heatview.notify = lambda message, **kw: said.append(message)  # type: ignore[method-assign]
        await pilot.press("x")
        await pilot.pause()
        assert (
            viewer(app).state.boxes == () and "Deleted box corner" in said[-1] and "u" in said[-1]
        )
        await pilot.press("u")
        await pilot.pause()
        assert viewer(app).state.boxes == (Box(0, 1, 0, 1, "corner"),) and said[-1].startswith(
            "Restored"
        )
        await pilot.press("u")
        await pilot.pause()
        assert "No deleted box" in said[-1]


async def test_the_box_list_keeps_every_column_and_renames_a_box() -> None:
    from app_helpers import seed_app
    from textual.widgets import DataTable, Input

    from tuiheat.screens.boxlist import BoxListScreen

    app = seed_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("b", "j", "l", "enter", "G", "b", "l", "enter", "B")
        await pilot.pause()
        assert isinstance(app.screen, BoxListScreen)
        table = app.screen.query_one(DataTable)
        assert table.row_count == len(viewer(app).state.boxes) >= 2
        assert table.size.width >= table.virtual_size.width  # the outside column is in sight
        await pilot.press("r")
        await pilot.pause()
        app.screen.query_one(Input).value = "late"
        await pilot.press("enter")
        await pilot.pause()
        assert viewer(app).state.boxes[0].name == "late"
        assert isinstance(app.screen, BoxListScreen)  # the list again, with the new name


def test_the_html_export_shows_each_cells_value_on_hover(seed_csv, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import re

    out = tmp_path / "auc.html"
    assert main([str(seed_csv), "--export", str(out)]) == 0
    page = out.read_text()
    seed = load(str(seed_csv))
    titles = re.findall(r"<title>([^<]*)</title>", page)
    expected = f"Layer 13 │ Token first_answer │ {format_value(seed.value(13, 1))}"
    assert expected in titles
    assert sum("│ Token" in t for t in titles) == seed.n_rows * seed.n_cols
    assert "<script" not in page


@pytest.mark.parametrize("suffix", [".png", ".pdf"])
def test_png_and_pdf_export_draw_the_svgs_picture(seed_csv, tmp_path, suffix) -> None:  # type: ignore[no-untyped-def]
    image_mod = pytest.importorskip("PIL.Image")
    from tuiheat.core.colormap import get_palette
    from tuiheat.core.scale import ValueRange, to_bins
    from tuiheat.render.export import picture
    from tuiheat.render.raster import SCALE

    out = tmp_path / f"auc{suffix}"
    assert main([str(seed_csv), "--export", str(out), "--box", "4-28:first_answer..-1"]) == 0
    if suffix == ".pdf":
        assert out.read_bytes().startswith(b"%PDF")
        return
    seed = load(str(seed_csv))
    layout = picture(seed).box
    with image_mod.open(out) as image:
        assert image.size == (layout.width * SCALE, layout.height * SCALE)
        r, c = 20, 9  # inside no box line
        x = (layout.left + c * layout.cw + layout.cw // 2) * SCALE
        y = (layout.top + r * layout.ch + layout.ch // 2) * SCALE
        shown = image.convert("RGB").getpixel((x, y))
    k = int(to_bins(np.array([[seed.value(r, c)]]), ValueRange(0.5, 1.0), 256)[0, 0])
    assert shown == tuple(int(v) for v in get_palette("blues").rgb[k])


def test_png_export_never_writes_the_input(seed_csv, tmp_path) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("PIL")
    data = tmp_path / "auc.csv"
    data.write_bytes(seed_csv.read_bytes())
    other_name = tmp_path / "auc.png"
    other_name.symlink_to(data)
    assert main([str(data), "--export", str(other_name)]) == 2
    assert data.read_bytes() == seed_csv.read_bytes()


def test_the_range_prompt_says_the_range_as_the_title_does() -> None:
    from tuiheat.core.scale import ValueRange
    from tuiheat.screens.rangeprompt import RangeScreen

    screen = RangeScreen(ValueRange(2.78597e-24, 0.999996), None)
    assert "now 0.000–1.000" in screen.question


def test_an_automatic_log_scale_stops_four_decades_below_its_maximum() -> None:
    from tuiheat.core.scale import LOG_DECADES, ValueRange, log_range

    auto = log_range(ValueRange(2.8e-24, 0.9), 2.8e-24)
    assert auto.vmin == pytest.approx(0.9 / 10**LOG_DECADES) and auto.log
    typed = log_range(ValueRange(1e-9, 0.9), 1e-24, floor=False)
    assert typed.vmin == 1e-9  # a low end the user typed is kept
    narrow = log_range(ValueRange(0.01, 0.9), 0.01)
    assert narrow.vmin == 0.01  # within four decades: the data's own low end


async def test_attention_says_its_range_is_all_slices_and_log_says_its_floor(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from app_helpers import file_app

    from tuiheat.widgets.titlebar import TitleBar

    scores = np.random.default_rng(0).normal(size=(2, 3, 6, 6)) * 20
    weights = np.exp(scores) / np.exp(scores).sum(axis=-1, keepdims=True)  # down to ~1e-20
    path = tmp_path / "attn.npy"
    np.save(path, weights)
    app = file_app(path)
    said: list[str] = []
    async with app.run_test(size=(120, 40)) as pilot:
        app.notify = lambda message, **kw: said.append(message)  # type: ignore[method-assign]
        await pilot.pause()
        assert "all slices (R)" in app.query_one(TitleBar).info_text
        await pilot.press("R")
        await pilot.pause()
        assert "all slices" not in app.query_one(TitleBar).info_text
        await pilot.press("R", "R", "R", "L")  # back to fixed, then log
        await pilot.pause()
        assert viewer(app).vrange.log and viewer(app).vrange.vmin == pytest.approx(
            viewer(app).vrange.vmax / 1e4
        )
        assert "4 decades" in said[-1]
        await pilot.press("v", *"1e-12 1", "enter", "c")  # a typed low end wins, after c too
        await pilot.pause()
        assert_scale_from(app, 1e-12)
    # --vmin 1e-9 --log: the cells, the bar and the title start from 1e-9, and stay there
    app = file_app(path, vmin=1e-9, log=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert_scale_from(app, 1e-9)
        await pilot.press("c", "v", *"1e-12 1", "enter", "L", "L")
        await pilot.pause()
        assert_scale_from(app, 1e-12)


def assert_scale_from(app, low: float) -> None:  # type: ignore[no-untyped-def]
    """Every holder of the scale starts at ``low``: the grids' cells, the colour bar and its
    lowest tick, the title, the profiles and the chart."""
    from app_helpers import cell_bg, grid_of

    from tuiheat.core.colormap import get_palette
    from tuiheat.core.scale import to_bins
    from tuiheat.widgets.colorbar import ColorBar
    from tuiheat.widgets.profilechart import ProfileChart
    from tuiheat.widgets.titlebar import TitleBar

    grid, bar = grid_of(app), app.query_one(ColorBar)
    for vrange in (
        grid.scale.vrange,
        bar.vrange,
        viewer(app).vrange,
        app.query_one(ProfileChart).vrange,
    ):
        assert vrange.log and vrange.vmin == low
    assert f"log {low:.3g}–" in app.query_one(TitleBar).info_text
    assert "─ 1e-" in "".join(bar.render_line(y).text for y in range(bar.size.height))
    palette = get_palette(viewer(app).settings.colormap)
    for row, col in np.ndindex(3, 4):  # not the cursor's cell
        k = int(
            to_bins(np.array([viewer(app).matrix.value(row + 2, col)]), grid.scale.vrange, 256)[0]
        )
        assert cell_bg(app, row + 2, col) == palette.hex(k)


def test_show_takes_names_axes_slice_and_text(capsys) -> None:  # type: ignore[no-untyped-def]
    import tuiheat

    values = np.arange(2 * 3 * 4 * 5, dtype=float).reshape(2, 3, 4, 5)
    tuiheat.show(values, names="layer,head,q,k", slice={"layer": 1, "head": "mean"})
    out = capsys.readouterr().out
    assert "q" in out and "layer 1" in out and "head mean" in out
    tuiheat.show(values, names=["layer", "head", "q", "k"], axes=("k", "q"))
    assert "k × q" in capsys.readouterr().out
    words = np.array([["a", "b"], ["c", "d"]])
    tuiheat.show(np.eye(2), text=words)
    with pytest.raises(ValueError, match="text has shape"):
        tuiheat.show(np.eye(2), text=np.array(["a"]))
    with pytest.raises(ValueError):
        tuiheat.show(values, axes="nope,k")


def test_attention_weights_get_query_and_key_titles() -> None:
    from tuiheat.api import _attention_axes
    from tuiheat.loaders.objects import tensor_from_object

    scores = np.random.default_rng(0).random((6, 6))
    weights = scores / scores.sum(axis=1, keepdims=True)
    assert _attention_axes(tensor_from_object(weights)).names == ("query", "key")
    assert _attention_axes(tensor_from_object(scores)).names == ("Layer", "Token")
    stacked = _attention_axes(tensor_from_object(np.stack([weights, weights])))
    assert stacked.names[-2:] == ("query", "key")


def test_repr_of_a_matrix_says_what_it_is_not_every_value(seed_csv) -> None:  # type: ignore[no-untyped-def]
    seed = load(str(seed_csv))
    text = repr(seed)
    assert text.startswith("HeatMatrix(32×14 float64, range ")
    assert "'last_q'..'-1'" in text and "'0'..'31'" in text and len(text) < 200
    big = HeatMatrix(np.zeros((3000, 3000), dtype=np.float32))
    assert "3000×3000 float32" in repr(big) and "≈" in repr(big)


async def test_dragging_the_mouse_draws_a_box_and_a_click_still_moves_the_cursor() -> None:
    from app_helpers import grid_of, matrix_app

    app = matrix_app(np.arange(48.0).reshape(6, 8))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        grid = grid_of(app)
        lay = grid.grid_layout

        def at(row: int, col: int) -> tuple[int, int]:
            return lay.gutter + col * lay.cell_width, grid.viewport.line_of(row)

        await pilot.mouse_down(grid, offset=at(1, 1))
        await pilot.hover(grid, offset=at(3, 4))
        await pilot.pause()
        assert viewer(app).state.draft is not None  # the box follows the mouse while it is held
        await pilot.mouse_up(grid, offset=at(3, 4))
        await pilot.pause()
        assert viewer(app).state.boxes == (Box(1, 3, 1, 4),) and viewer(app).state.anchor is None
        await pilot.click(grid, offset=at(5, 6))
        await pilot.pause()
        assert viewer(app).state.cursor.cell == (5, 6) and len(viewer(app).state.boxes) == 1


async def test_a_watched_file_that_goes_away_is_said_and_its_return_reloaded(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import re

    from app_helpers import file_app, wait_reloaded

    from tuiheat.widgets.titlebar import TitleBar

    path = tmp_path / "auc.npy"
    np.save(path, np.full((3, 4), 0.5))
    app = file_app(path, watch=True)
    said: list[str] = []
    async with app.run_test(size=(100, 30)) as pilot:
        app.notify = lambda message, **kw: said.append(message)  # type: ignore[method-assign]
        await pilot.pause()
        assert app.query_one(TitleBar).info_text.endswith("watching")
        path.unlink()
        for _ in range(60):
            await pilot.pause(0.05)
            if viewer(app).files.gone:
                break
        assert "deleted or moved" in said[-1] and "last good data" in said[-1]
        assert "file gone: showing the last good data" in app.query_one(TitleBar).info_text
        np.save(path, np.full((3, 4), 0.75))
        await wait_reloaded(app, pilot, 1)
        assert viewer(app).matrix.value(0, 0) == 0.75
        assert re.search(r"watching, reloaded \d\d:\d\d:\d\d$", app.query_one(TitleBar).info_text)


def test_an_index_column_named_in_any_language_is_read_as_row_labels(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "auc.csv"
    path.write_text("Schicht;erste;zweite\n0;0,51;0,62\n1;0,55;0,71\n2;0,6;0,79\n")
    matrix = load(str(path))
    assert matrix.shape == (3, 2) and matrix.row_title == "Schicht"
    assert matrix.col_labels == ("erste", "zweite")
    counts = tmp_path / "counts.csv"
    counts.write_text("n,a,b\n0,1,2\n1,3,4\n")  # integers everywhere: no sign of an index
    assert load(str(counts)).shape == (2, 3)
