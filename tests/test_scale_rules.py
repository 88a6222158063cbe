"""The rules that decide a colour scale: the AUC scale by what the data are, one resolution
of the range for everything that shows it (the log floor gives way to a low end the user
set), and round ticks that read apart."""

from __future__ import annotations

import numpy as np
import pytest

from tuiheat.core.colourscale import ScaleSettings, start_range
from tuiheat.core.matrix import HeatMatrix
from tuiheat.core.scale import (
    BIG_CELLS,
    LOG_DECADES,
    ValueRange,
    default_range,
)
from tuiheat.core.tensor import Tensor
from tuiheat.core.ticks import nice_ticks, scale_ticks, tick_text

# --- the AUC scale --------------------------------------------------------------------


def probe_run(seed: int, noise: float) -> np.ndarray:
    """A probe's AUC per layer x token, as the seed figure: chance (0.5) in the first
    layers, rising to ~0.95; one training run adds its noise, scattering the chance cells
    around 0.5."""
    layers, tokens = np.arange(32)[:, None], np.arange(14)[None, :]
    probe = 0.5 + 0.45 / (1 + np.exp(-(layers - 9) / 2.0)) - 0.03 * (tokens >= 6)
    probe = np.clip(probe, 0.5, 1.0)
    rng = np.random.default_rng(seed)
    return np.clip(probe + rng.normal(0.0, noise, probe.shape), 0.0, 1.0)


RUNS = [probe_run(0, 0.002), probe_run(4, 0.03), probe_run(5, 0.03)]


def test_three_seeds_of_one_probe_get_the_same_auc_scale() -> None:
    shares = [float(np.mean(run < 0.5)) for run in RUNS]
    assert shares == pytest.approx([0.035, 0.073, 0.092], abs=0.005)  # as reported
    for run in RUNS:
        vrange = default_range(HeatMatrix(run))
        assert (vrange.vmin, vrange.vmax, vrange.auc) == (0.5, 1.0, True)
        assert vrange.under == int(np.count_nonzero(run < 0.5))  # still counted and marked
    together = start_range([Tensor(run) for run in RUNS])  # tuiheat a.npy b.npy c.npy
    assert (together.vmin, together.vmax, together.auc) == (0.5, 1.0, True)
    assert together.under == sum(int(np.count_nonzero(run < 0.5)) for run in RUNS)


def test_a_probe_at_chance_in_a_third_of_its_cells_keeps_the_auc_scale() -> None:
    run = probe_run(1, 0.03)
    run[:12] = 0.5 + np.random.default_rng(2).normal(0.0, 0.03, run[:12].shape)
    assert 0.15 < np.mean(run < 0.5) < 0.25
    assert default_range(HeatMatrix(run)).auc


@pytest.mark.parametrize(
    "values",
    [
        # attention weights: rows of a softmax over 16 keys, in [0, 1], mostly tiny
        np.exp(np.random.default_rng(0).normal(0, 2, (8, 16)))
        / np.exp(np.random.default_rng(0).normal(0, 2, (8, 16))).sum(axis=1, keepdims=True),
        # probabilities whose bulk is below 0.5
        np.random.default_rng(1).beta(2, 5, (20, 10)),
    ],
    ids=["attention", "probabilities"],
)
def test_a_score_in_0_1_whose_bulk_is_below_half_keeps_its_own_range(values) -> None:  # type: ignore[no-untyped-def]
    assert values.min() >= 0 and values.max() <= 1 and np.median(values) < 0.5
    vrange = default_range(HeatMatrix(values))
    assert (vrange.vmin, vrange.vmax) == (values.min(), values.max()) and not vrange.auc


def test_uniform_noise_in_0_1_keeps_its_own_range_whatever_the_seed() -> None:
    """Its median is 0.5 too, but a quarter of it is below 0.4: not a probe's noise."""
    for seed in range(8):
        values = np.random.default_rng(seed).random((32, 14))
        assert not default_range(HeatMatrix(values)).auc


@pytest.mark.parametrize("below", [0.3, 0.45, 0.55])
def test_a_sample_of_a_big_file_decides_as_its_full_scan(below: float) -> None:
    rows = 2100
    values = np.full((rows, rows), 0.8, dtype=np.float32)
    values[: int(rows * below)] = 0.4  # whole rows below chance: the sample sees its share
    np.random.default_rng(0).shuffle(values)
    matrix = HeatMatrix(values)
    assert matrix.read_cells > BIG_CELLS
    sampled, full = default_range(matrix, sample=True), default_range(matrix)
    assert sampled.provisional and not full.provisional
    assert sampled.auc == full.auc == (below < 0.5)


def test_files_compared_are_decided_together() -> None:
    high = Tensor(np.array([[0.6, 0.7], [0.8, 0.9]]))
    chance = Tensor(np.array([[0.45, 0.48], [0.49, 0.7]]))  # alone: median below 0.5
    assert not default_range(HeatMatrix(chance.values)).auc
    both = start_range([high, chance])
    assert (both.vmin, both.vmax, both.auc, both.under) == (0.5, 1.0, True, 3)


def test_print_mode_says_the_rule_within_its_width(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    from rich.cells import cell_len

    from tuiheat.cli import main

    path = tmp_path / "seed.npy"
    np.save(path, RUNS[2])
    assert main([str(path), "--print", "--color", "none", "--width", "60"]) == 0
    printed = capsys.readouterr().out
    assert "AUC: in [0,1], median ≥ 0.5, Q1 ≥ 0.4" in printed and "41 cells below 0.5" in printed
    assert max(map(cell_len, printed.splitlines())) <= 60


# --- one resolution -------------------------------------------------------------------

ATTENTION = HeatMatrix(np.array([[1e-24, 1e-12, 1e-7], [1e-3, 0.3, 0.9]]))


def resolved(settings: ScaleSettings) -> ValueRange:
    return settings.resolve([ATTENTION]).vrange


def test_an_automatic_log_scale_stops_four_decades_below_its_maximum() -> None:
    auto = resolved(ScaleSettings(ValueRange(1e-24, 0.9), log=True))
    assert auto.log and auto.vmin == pytest.approx(0.9 / 10**LOG_DECADES)


def test_a_low_end_from_the_command_line_wins_over_the_log_floor() -> None:
    given = ScaleSettings(ValueRange(1e-9, 0.9), log=True, vmin=1e-9)
    assert resolved(given).vmin == 1e-9
    assert resolved(given.next_colormap()).vmin == 1e-9  # c keeps it


def test_a_low_end_typed_with_v_wins_over_the_log_floor() -> None:
    auto = ScaleSettings(ValueRange(1e-24, 0.9), log=True)
    typed = auto.with_range(ValueRange(1e-12, 0.9), None)
    assert resolved(typed).vmin == 1e-12 and resolved(typed.next_colormap()).vmin == 1e-12
    assert not typed.auto  # a reload keeps it
    assert resolved(typed.with_center(None)).vmin == 1e-12  # "center V" keeps the range's origin
    back = typed.with_auto_range(ValueRange(1e-24, 0.9))
    assert resolved(back).vmin == pytest.approx(0.9 / 10**LOG_DECADES)


def test_this_matrixs_own_range_on_a_log_scale_has_the_floor() -> None:
    own = ScaleSettings(ValueRange(1e-9, 0.9), log=True, vmin=1e-9, mode="matrix")
    assert resolved(own).vmin == pytest.approx(0.9 / 10**LOG_DECADES)


def test_print_mode_and_exports_resolve_as_the_viewer(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    from tuiheat.cli import main
    from tuiheat.session.open import Loaded
    from tuiheat.session.options import Options
    from tuiheat.session.static import view_range

    loaded = Loaded(ATTENTION, "t", None, tensor=Tensor(ATTENTION.values))
    given = Options("x", log=True, vmin=1e-9)
    assert view_range(loaded, given).vmin == 1e-9  # --print and --export draw with this
    auto = view_range(loaded, Options("x", log=True))
    assert auto.vmin == pytest.approx(0.9 / 10**LOG_DECADES)
    path = tmp_path / "attention.npy"
    np.save(path, ATTENTION.values)
    assert main([str(path), "--print", "--color", "none", "--vmin", "1e-9", "--log"]) == 0
    printed = capsys.readouterr().out
    assert "colour 1e-09–0.9" in printed and " 1e-09 " in printed  # the footer, the bar


# --- ticks ----------------------------------------------------------------------------


@pytest.mark.parametrize("half", [0.075, 0.025, 0.0752, 0.1, 0.03])
@pytest.mark.parametrize("max_ticks", [2, 3, 4, 6, 8, 11])
def test_ticks_are_round_and_their_text_reads_each_exactly(half: float, max_ticks: int) -> None:
    ticks = nice_ticks(-half, half, max_ticks)
    assert 2 <= len(ticks) <= max(2, max_ticks)
    texts = [tick_text(t, ticks) for t in ticks]
    assert len(set(texts)) == len(texts)
    assert [float(t) for t in texts] == ticks  # 0.075 is never written 0.07


def test_the_difference_views_ticks_for_plus_minus_0_075() -> None:
    for max_ticks in (7, 8):
        ticks = nice_ticks(-0.075, 0.075, max_ticks)
        assert [tick_text(t, ticks) for t in ticks] in (
            ["-0.075", "-0.050", "-0.025", "0.000", "0.025", "0.050", "0.075"],
            ["-0.06", "-0.04", "-0.02", "0.00", "0.02", "0.04", "0.06"],
        )
    narrow = nice_ticks(-0.075, 0.075, 3)
    assert [tick_text(t, narrow) for t in narrow] == ["-0.05", "0.00", "0.05"]


def test_tick_text_of_big_and_log_scales() -> None:
    big = nice_ticks(1e6, 1e6 + 10, 6)
    assert [tick_text(t, big) for t in big][:2] == ["1000000", "1000002"]
    ends = [1e6, 1e6 + 10.0]
    assert len({tick_text(t, ends) for t in ends}) == 2
    decades = scale_ticks(ValueRange(1e-9, 0.9, log=True), 5)
    assert [tick_text(t, decades) for t in decades] == ["1e-09", "1e-07", "1e-05", "0.001", "0.1"]


@pytest.mark.parametrize("half", [0.075, 0.025, 0.0752, 0.0025])
def test_the_bar_beside_the_grid_never_cuts_a_tick(half: float) -> None:
    """The viewer's bar has 5 cells for a tick's text: a coarser step, never -0.07 for -0.075."""
    from tuiheat.core.colormap import get_palette
    from tuiheat.render.colorbar import vertical_colorbar
    from tuiheat.render.painter import Painter

    painter = Painter(get_palette("rdbu_r"), "truecolor")
    for height in range(2, 33):
        lines = vertical_colorbar(painter, ValueRange(-half, half), height, room=5)
        texts = [line[-1].text.split("─")[-1].strip() for line in lines if "─" in line[-1].text]
        assert texts and all(len(text) <= 5 for text in texts), (height, texts)
        assert all(-half <= float(text) <= half for text in texts)
        assert len(set(texts)) == len(texts)
