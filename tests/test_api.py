"""The Python API: tuiheat.show() and tuiheat.load(), and what they accept."""

from __future__ import annotations

import asyncio

import numpy as np
import pytest
from app_helpers import viewer

import tuiheat
from tuiheat import api
from tuiheat.app import TuiheatApp
from tuiheat.core import Box, HeatMatrix
from tuiheat.loaders import LoadError
from tuiheat.loaders.objects import tensor_from_object

from conftest import packages_loaded_by


class FakeIndex(list):  # type: ignore[type-arg]
    """What tuiheat reads of a pandas Index: iteration and ``name``."""

    def __init__(self, items, name=None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(items)
        self.name = name


class FakeFrame:
    """A DataFrame as tuiheat sees it (duck-typed: pandas is never imported)."""

    def __init__(self, values, index, columns, index_name=None, columns_name=None) -> None:  # type: ignore[no-untyped-def]
        self._values = values
        self.index = FakeIndex(index, index_name)
        self.columns = FakeIndex(columns, columns_name)
        self.iloc = None
        self.dtypes = [np.asarray(values).dtype]

    def to_numpy(self, dtype=None):  # type: ignore[no-untyped-def]
        return np.asarray(self._values, dtype=dtype)


def test_numpy_nested_lists_and_labels() -> None:
    t = tensor_from_object(np.arange(6).reshape(2, 3), ["a", "b"], [10, 20, 30], "t")
    assert t.labels == (("a", "b"), ("10", "20", "30")) and t.title == "t"
    nested = tensor_from_object([[0.5, None], [1, 2]])
    assert np.isnan(nested.values[0, 1]) and nested.values.dtype == np.float64
    with pytest.raises(LoadError, match="ragged"):
        tensor_from_object([[1, 2], [3]])
    with pytest.raises(LoadError, match="not a number"):
        tensor_from_object([["a", "b"]])
    with pytest.raises(LoadError, match="1-D"):
        tensor_from_object([1, 2, 3])
    with pytest.raises(LoadError, match="3 row labels for 2 rows"):
        tensor_from_object(np.zeros((2, 2)), ["a", "b", "c"])
    with pytest.raises(LoadError, match="complex"):
        tensor_from_object(np.zeros((2, 2), dtype=complex))
    with pytest.raises(LoadError, match="cannot show a dict"):
        tensor_from_object({"a": 1})
    t = tensor_from_object(np.zeros((1, 4, 5, 6)))  # a batch axis of 1 is dropped
    assert t.shape == (4, 5, 6)


def test_dataframe_index_and_columns_become_labels() -> None:
    frame = FakeFrame([[0.9, 0.8], [0.7, 0.6]], [0, 1], [("ans", -1), ("ans", -2)], "layer")
    t = tensor_from_object(frame)
    assert t.labels == (("0", "1"), ("ans/-1", "ans/-2")) and t.names == ("layer", "Token")
    bad = FakeFrame(np.array([["x", 1]], dtype=object), [0], ["a", "b"])
    with pytest.raises(LoadError, match="not numbers"):
        tensor_from_object(bad)


def test_a_real_dataframe_when_pandas_is_there() -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame([[0.9, 0.8]], index=pd.Index([4], name="layer"), columns=["q", "k"])
    t = tensor_from_object(frame)
    assert t.labels == (("4",), ("q", "k")) and t.names[0] == "layer"


def test_torch_tensors_of_any_float_type() -> None:
    torch = pytest.importorskip("torch")
    x = torch.rand(3, 4, requires_grad=True).to(torch.bfloat16)
    t = tensor_from_object(x)
    assert t.values.dtype == np.float32 and t.shape == (3, 4)
    assert np.allclose(t.values, x.float().detach().numpy())


def test_import_tuiheat_does_not_load_textual_torch_or_pandas() -> None:
    statements = "import tuiheat\nassert callable(tuiheat.show) and callable(tuiheat.load)"
    assert packages_loaded_by(statements, ("textual", "torch", "pandas")) == []


def test_boxes_in_every_accepted_form() -> None:
    m = HeatMatrix(np.zeros((32, 14)), col_labels=tuple(f"t{i}" for i in range(14)))
    boxes = api.resolve_boxes(
        [
            Box(1, 2, 3, 4),
            "4-28:t1..t5",
            {"rows": [0, 3], "cols": "t2", "name": "mine"},
            (slice(4, 29), slice(1, 6)),
            (-1, 0),
        ],
        m,
    )
    assert boxes == [
        Box(1, 2, 3, 4),
        Box(4, 28, 1, 5),
        Box(0, 3, 2, 2, "mine"),
        Box(4, 28, 1, 5),
        Box(31, 31, 0, 0),
    ]
    for bad in [(slice(0, 0), 1), (slice(0, 4, 2), 1), (99, 0), "nope", 3.5]:
        with pytest.raises(ValueError):
            api.resolve_boxes([bad], m)  # type: ignore[list-item]
    with pytest.raises(ValueError, match="outside"):
        api.resolve_boxes([Box(0, 40, 0, 1)], m)


def test_show_runs_the_viewer_and_returns_the_boxes_drawn(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    seen: dict[str, object] = {}

    def run_under_pilot(self: TuiheatApp, **_: object) -> object:
        async def drive() -> object:
            async with self.run_test(size=(100, 30)) as pilot:
                seen["title"] = viewer(self).doc_title
                seen["labels"] = viewer(self).matrix.row_labels
                seen["range"] = (viewer(self).vrange.vmin, viewer(self).vrange.vmax)
                seen["boxes"] = viewer(self).state.boxes
                await pilot.press("j", "b", "j", "l", "enter", "q")
            return self.return_value

        return asyncio.run(drive())

    monkeypatch.setattr(TuiheatApp, "run", run_under_pilot)
    monkeypatch.setattr(api, "_interactive", lambda: True)
    values = np.linspace(0, 1, 12).reshape(3, 4)
    boxes = tuiheat.show(
        values, ["l0", "l1", "l2"], vmin=0.2, vmax=0.9, boxes=["0:0"], title="probe"
    )
    assert seen["title"] == "probe" and seen["labels"] == ("l0", "l1", "l2")
    assert seen["range"] == (0.2, 0.9) and seen["boxes"] == (Box(0, 0, 0, 0),)
    assert boxes == [Box(0, 0, 0, 0), Box(1, 2, 0, 1)]


def test_show_compares_two_arrays(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    seen: dict[str, object] = {}

    def run_under_pilot(self: TuiheatApp, **_: object) -> object:
        async def drive() -> object:
            async with self.run_test(size=(100, 30)) as pilot:
                await pilot.press("D")
                seen["diff"] = viewer(self).grid.matrix.value(0, 0)
                await pilot.press("q")
            return self.return_value

        return asyncio.run(drive())

    monkeypatch.setattr(TuiheatApp, "run", run_under_pilot)
    monkeypatch.setattr(api, "_interactive", lambda: True)
    assert tuiheat.show([[1.0, 2.0]], compare=[[0.25, 2.0]]) == []
    assert seen["diff"] == 0.75


def test_show_without_a_terminal_prints_the_heatmap(capsys) -> None:  # type: ignore[no-untyped-def]
    boxes = tuiheat.show([[0.5, 0.75], [0.9, 1.0]], col_labels=["[b]x[/b]", "y"], boxes=["0:0"])
    out = capsys.readouterr().out
    assert boxes == [Box(0, 0, 0, 0)] and "[b]x[/b]" in out and "0.5" in out


def test_show_rejects_bad_arguments() -> None:
    with pytest.raises(ValueError, match="above vmax"):
        tuiheat.show([[1, 2]], vmin=2, vmax=1)
    with pytest.raises(ValueError, match="unknown colour map"):
        tuiheat.show([[1, 2]], cmap="not-a-colour-map")
    with pytest.raises(ValueError, match="shapes differ"):
        tuiheat.show([[1, 2]], compare=[[1, 2, 3]])


def test_load_reads_a_file_and_names_it_in_errors(seed_csv, tmp_path) -> None:  # type: ignore[no-untyped-def]
    matrix = tuiheat.load(seed_csv)
    assert isinstance(matrix, HeatMatrix) and matrix.shape == (32, 14)
    bad = tmp_path / "bad.npy"
    bad.write_bytes(b"nope")
    with pytest.raises(LoadError, match=r"bad\.npy"):
        tuiheat.load(bad)
