"""The picker in the viewer: a bundle's arrays and a directory's files, Enter opens, o returns."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from app_helpers import until, viewer
from textual.widgets import DataTable, Static

from tuiheat.app import TuiheatApp
from tuiheat.cli import parse_args
from tuiheat.screens.picker import PickerScreen
from tuiheat.session.config import ViewerConfig
from tuiheat.session.open import collection_for
from tuiheat.widgets.titlebar import TitleBar

TOKENS = ["[CLS]", "the", " cat", "\n", "[SEP]"]


def write_bundle(path: Path) -> Path:
    rng = np.random.default_rng(0)
    np.savez(
        path,
        attention=rng.random((3, 4, 5, 5)).astype(np.float32),
        tokens=np.array(TOKENS),
        layer_labels=np.array(["L0", "L1", "L2"]),
        head_labels=np.arange(4),
        probe_auc=0.5 + 0.5 * rng.random((3, 5)),
        head_importance=rng.random((3, 4)),
    )
    return path


def picker_app(root: Path) -> TuiheatApp:
    """The viewer as ``tuiheat ROOT`` starts it when ROOT holds several arrays or files."""
    options = parse_args([str(root)])
    return TuiheatApp(ViewerConfig(collection=collection_for(options, str(root))))


def rows(picker: PickerScreen) -> list[str]:
    table = picker.query_one(DataTable)
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


def cell(picker: PickerScreen, row: int, column: int) -> str:
    return str(picker.query_one(DataTable).get_row_at(row)[column])


async def test_a_bundle_opens_on_its_picker_and_o_returns_to_it(tmp_path) -> None:  # type: ignore[no-untyped-def]
    app = picker_app(write_bundle(tmp_path / "bundle.npz"))
    async with app.run_test(size=(120, 32)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, PickerScreen))
        picker = app.screen
        assert isinstance(picker, PickerScreen)
        # Likely heatmaps first (more axes first), label vectors after: they are not heatmaps.
        assert rows(picker) == [
            "attention",
            "probe_auc",
            "head_importance",
            "tokens",
            "layer_labels",
            "head_labels",
        ]
        assert cell(picker, 0, 1) == "3×4×5×5" and cell(picker, 3, 3) == "labels"
        await until(pilot, lambda: "–" in cell(picker, 1, 3))  # value ranges fill in
        assert cell(picker, 1, 3).startswith("0.5")
        await pilot.press("enter")
        await until(pilot, lambda: (app.viewer is not None) and app.screen is not picker)
        assert viewer(app).panes.first.tensor.names == ("layer", "head", "query", "key")
        assert viewer(app).panes.first.tensor.labels[0] == ("L0", "L1", "L2")
        assert viewer(app).matrix.row_labels == ("[CLS]", "the", "␣cat", "↵", "[SEP]")
        assert "attention" in viewer(app).query_one(TitleBar).title_text
        await pilot.press("o")  # back to the picker, the cursor on what is open
        await until(pilot, lambda: isinstance(app.screen, PickerScreen))
        again = app.screen
        assert again.selected().key == "attention"  # type: ignore[union-attr]
        await pilot.press("j", "j", "k", "enter")  # j and k move as in the viewer
        await until(pilot, lambda: (app.viewer is not None) and viewer(app).matrix.shape == (3, 5))
        assert viewer(app).matrix.row_labels == ("L0", "L1", "L2")
        info = viewer(app).query_one(TitleBar).info_text
        assert "head_labels [4] fits no axis, ignored" in info
        await pilot.press("o")
        await until(pilot, lambda: isinstance(app.screen, PickerScreen))
        await pilot.press("escape")  # back to the heatmap, as it was
        await until(pilot, lambda: not isinstance(app.screen, PickerScreen))
        assert viewer(app).matrix.shape == (3, 5)


async def test_label_vectors_are_listed_but_not_opened(tmp_path) -> None:  # type: ignore[no-untyped-def]
    app = picker_app(write_bundle(tmp_path / "bundle.npz"))
    async with app.run_test(size=(100, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, PickerScreen))
        await pilot.press("down", "down", "down", "enter")
        await pilot.pause(0.1)
        assert isinstance(app.screen, PickerScreen) and not (app.viewer is not None)
        error = str(app.screen.query_one("#error", Static).render())
        assert "tokens: labels, not a heatmap" in error
        await pilot.press("escape")  # nothing is open yet: Esc leaves
        await until(pilot, lambda: app._exit)


async def test_the_filter_narrows_the_list(tmp_path) -> None:  # type: ignore[no-untyped-def]
    app = picker_app(write_bundle(tmp_path / "bundle.npz"))
    async with app.run_test(size=(100, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, PickerScreen))
        await pilot.press("slash", "h", "e", "a", "d")
        picker = app.screen
        assert rows(picker) == ["head_importance", "head_labels"]  # type: ignore[arg-type]
        await pilot.press("enter", "enter")  # leave the field, open the first match
        await until(pilot, lambda: app.viewer is not None)
        assert viewer(app).matrix.shape == (3, 4)


def write_runs(root: Path) -> Path:
    rng = np.random.default_rng(1)
    (root / "sub").mkdir(parents=True)
    (root / ".cache").mkdir()
    np.save(root / "a.npy", rng.random((4, 6)))
    np.save(root / ".cache" / "hidden.npy", np.zeros((2, 2)))
    np.savez_compressed(root / "sub" / "b.npz", x=rng.random((2, 3)), y=rng.random((3, 4)))
    (root / "sub" / "results.json").write_text('{"0": {"a": 0.5, "b": 0.7}, "1": {"a": 0.9}}')
    (root / "broken.csv").write_text("a,b\n1,x\n")
    (root / "00_config.json").write_text('{"config": {"lr": 0.001}}')  # settings, not a 1×1 map
    (root / "notes.md").write_text("not a result")
    (root / "a.npy.tuiheat.json").write_text("{}")  # saved boxes are not results
    return root


async def test_a_directory_lists_its_result_files(tmp_path) -> None:  # type: ignore[no-untyped-def]
    app = picker_app(write_runs(tmp_path / "runs"))
    async with app.run_test(size=(120, 30)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, PickerScreen))
        picker = app.screen
        # Listed in path order, then, once described, what holds heatmaps first and what
        # cannot open last; the cursor moves with the list to the first heatmap.
        ranked = ["a.npy", "sub/b.npz ›", "sub/results.json", "00_config.json", "broken.csv"]
        await until(pilot, lambda: rows(picker) == ranked)  # type: ignore[arg-type]
        assert picker.selected().key == "a.npy"  # type: ignore[attr-defined]
        assert cell(picker, 0, 1) == "4×6" and "2 arrays" in cell(picker, 1, 3)  # type: ignore[arg-type]
        assert "no matrix" in cell(picker, 3, 3) and "not a number" in cell(picker, 4, 3)  # type: ignore[arg-type]
        await pilot.press(*["down"] * 4, "enter")  # an unreadable file: its error, not a crash
        await pilot.pause(0.1)
        assert "'x' is not a number" in str(picker.query_one("#error", Static).render())
        await pilot.press(*["up"] * 3, "enter")  # a bundle: its arrays are the next level
        await until(pilot, lambda: len(picker.levels) == 2)  # type: ignore[attr-defined]
        assert rows(picker) == ["x", "y"]  # type: ignore[arg-type]
        await pilot.press("down", "enter")
        await until(pilot, lambda: app.viewer is not None)
        assert viewer(app).matrix.shape == (3, 4) and app.config.array_key == "y"
        await pilot.press("o")
        await until(pilot, lambda: isinstance(app.screen, PickerScreen))
        assert rows(app.screen) == ["x", "y"]  # type: ignore[arg-type]
        await pilot.press("backspace")  # up to the directory, on the bundle left
        assert rows(app.screen)[0] == "a.npy"  # type: ignore[arg-type]
        assert app.screen.selected().key == "sub/b.npz"  # type: ignore[attr-defined]
        await pilot.press("down", "enter")
        await until(pilot, lambda: (app.viewer is not None) and viewer(app).matrix.shape == (2, 2))
        assert viewer(app).matrix.col_labels == ("a", "b")


@pytest.mark.parametrize("size", [(80, 24), (40, 10)])
async def test_the_picker_fits_small_terminals(tmp_path, size) -> None:  # type: ignore[no-untyped-def]
    app = picker_app(write_bundle(tmp_path / "bundle.npz"))
    async with app.run_test(size=size) as pilot:
        await until(pilot, lambda: isinstance(app.screen, PickerScreen))
        await pilot.press("enter")
        await until(pilot, lambda: app.viewer is not None)


async def test_member_names_are_shown_as_data(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "hostile.npz"
    np.savez(path, **{"\x1b]0;pwned\x07": np.zeros((2, 2)), "[@click=app.quit]": np.ones((3, 3))})
    app = picker_app(path)
    async with app.run_test(size=(100, 20)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, PickerScreen))
        names = rows(app.screen)  # type: ignore[arg-type]
        assert names == ["␛]0;pwned␇", "[@click=app.quit]"]
        await pilot.press("down", "enter")
        await until(pilot, lambda: app.viewer is not None)
        assert "[@click=app.quit]" in viewer(app).query_one(TitleBar).title_text and not app._exit


async def test_opening_another_array_never_loses_unsaved_boxes_unasked(tmp_path) -> None:  # type: ignore[no-untyped-def]
    app = picker_app(write_bundle(tmp_path / "bundle.npz"))
    async with app.run_test(size=(120, 32)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, PickerScreen))
        await pilot.press("down", "enter")  # probe_auc
        await until(pilot, lambda: app.viewer is not None)
        await pilot.press("b", "l", "enter")  # a box, not saved
        await pilot.press("o")
        await until(pilot, lambda: isinstance(app.screen, PickerScreen))
        await pilot.press("down", "enter")
        await pilot.pause(0.1)
        assert "not saved" in str(app.screen.query_one("#error", Static).render())
        assert viewer(app).matrix.shape == (3, 5)  # still the boxed array
        await pilot.press("escape", "w")  # saved for this member of the bundle
        await until(pilot, lambda: not viewer(app).unsaved())
        await pilot.press("o")
        await until(pilot, lambda: isinstance(app.screen, PickerScreen))
        await pilot.press("down", "enter")
        await until(pilot, lambda: (app.viewer is not None) and viewer(app).matrix.shape == (3, 4))
        await pilot.press("o")
        await until(pilot, lambda: isinstance(app.screen, PickerScreen))
        await pilot.press("up", "enter")  # back to probe_auc: its box comes back
        await until(pilot, lambda: (app.viewer is not None) and viewer(app).matrix.shape == (3, 5))
        assert len(viewer(app).boxes.saved) == 1
