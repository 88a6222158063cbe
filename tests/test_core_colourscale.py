"""How to colour, as one value: keys are transitions, resolve() gives the range on screen."""

from __future__ import annotations

import numpy as np
import pytest

from tuiheat.core.colourscale import (
    RANGE_MODES,
    ScaleSettings,
    looks_same,
    start_range,
)
from tuiheat.core.matrix import HeatMatrix
from tuiheat.core.scale import ValueRange
from tuiheat.core.tensor import Tensor

BASE = ValueRange(0.5, 1.0)


def test_keys_are_transitions() -> None:
    s = ScaleSettings(BASE)
    assert s.next_colormap().colormap == "viridis"
    assert s.toggled_log().log and not s.toggled_log().toggled_log().log
    modes = [s.mode]
    for _ in RANGE_MODES:
        s = s.next_mode()
        modes.append(s.mode)
    assert modes == [*RANGE_MODES, "fixed"]
    typed = ScaleSettings(BASE, mode="row").with_range(ValueRange(0, 2), 1.0)
    assert (typed.base, typed.center, typed.mode) == (ValueRange(0, 2), 1.0, "fixed")


def test_the_difference_view_saves_and_restores_the_scale() -> None:
    mine = ScaleSettings(BASE, "magma", None, True, "matrix")
    diff = mine.for_difference(ValueRange(-0.2, 0.2))
    assert (diff.colormap, diff.center, diff.log, diff.mode) == ("rdbu_r", 0.0, False, "fixed")
    assert diff.in_difference and not mine.in_difference
    assert diff.next_colormap().restored() == mine  # changes in D are dropped on the way back


def test_resolve_fixed_matrix_and_per_row() -> None:
    a = HeatMatrix(np.array([[0.6, 0.7], [0.8, 0.9]]))
    b = HeatMatrix(np.array([[0.55, 0.75], [0.85, 0.95]]))
    fixed = ScaleSettings(BASE).resolve([a, b])
    assert fixed.vrange == BASE and fixed.by_axis is None
    own = ScaleSettings(BASE, mode="matrix").resolve([a, b])
    assert (own.vrange.vmin, own.vrange.vmax) == (0.55, 0.95)  # one range holds every pane
    rows = ScaleSettings(BASE, mode="row").resolve([a, b])
    axis, lows, highs = rows.by_axis  # type: ignore[misc]
    assert axis == 0 and lows.tolist() == [0.55, 0.8] and highs.tolist() == [0.75, 0.95]
    assert rows.note == "per row"


def test_resolve_applies_the_centre_and_the_log_switch() -> None:
    m = HeatMatrix(np.array([[0.001, 0.1], [1.0, 10.0]]))
    centred = ScaleSettings(ValueRange(-1, 3), center=0.0).resolve([m]).vrange
    assert (centred.vmin, centred.vmax) == (-3, 3)
    logged = ScaleSettings(ValueRange(0.001, 10), log=True).resolve([m])
    assert logged.vrange.log and logged.note == "log"


def test_start_range_is_shared_and_the_difference_is_symmetric() -> None:
    a = Tensor(np.array([[0.6, 0.7], [0.8, 0.9]]))
    b = Tensor(np.array([[0.1, 0.2], [0.3, 0.4]]))
    assert start_range([a]) == ValueRange(0.5, 1.0, auc=True)
    both = start_range([a, b])
    assert (both.vmin, both.vmax) == (0.1, 0.9)  # one rule on all values: half are below 0.5
    diff = start_range([a, b], difference_view=True)
    assert diff.vmin == -diff.vmax and diff.vmax == pytest.approx(0.5)
    assert start_range([a], vmin=0.0).vmin == 0.0


def test_a_range_that_moved_less_than_half_a_colour_step_looks_the_same() -> None:
    old = ValueRange(0.0, 1.0)
    assert looks_same(old, ValueRange(0.001, 1.0), 256)
    assert not looks_same(old, ValueRange(0.01, 1.0), 256)
    assert not looks_same(old, ValueRange(0.0, 1.0, under=2), 256)  # the marks changed


def test_a_full_scan_reports_its_progress_and_can_be_stopped() -> None:
    import numpy as np
    import pytest

    from tuiheat.core.blocks import Cancelled
    from tuiheat.core.colourscale import start_range
    from tuiheat.core.tensor import Tensor

    tensors = [Tensor(np.random.default_rng(i).random((3000, 700))) for i in range(2)]
    seen: list[float] = []
    vrange = start_range(tensors, watch=seen.append)
    assert seen == sorted(seen) and seen[-1] == pytest.approx(1.0)
    assert any(0.4 < x < 0.6 for x in seen)  # two tensors: the first is half the scan
    assert 0.0 <= vrange.vmin < vrange.vmax <= 1.0

    def stop(done: float) -> None:
        if done > 0.2:
            raise Cancelled

    with pytest.raises(Cancelled):
        start_range(tensors, watch=stop)
