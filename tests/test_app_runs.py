"""Pilot: the runs' statistics in the viewer (--stats, and A over files of one shape): the
readout gives the interval and every run, A cycles the views, a box gets its interval."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from app_helpers import viewer
from scipy import stats

from tuiheat.app import TuiheatApp
from tuiheat.app.runsscreen import RunsScreen, runs_config
from tuiheat.core.boxes import Box
from tuiheat.core.matrix import HeatMatrix
from tuiheat.core.tensor import Tensor, default_spec
from tuiheat.session.config import ViewerConfig
from tuiheat.session.runs import runs_view_of
from tuiheat.widgets.heatgrid import HeatGrid
from tuiheat.widgets.statusbar import StatusBar

SIZE = (140, 36)
RNG = np.random.default_rng(9)
BASE = np.linspace(0.45, 0.95, 48).reshape(8, 6)
RUNS = [BASE + RNG.normal(0, 0.02, BASE.shape) for _ in range(5)]


def grid_of(app: TuiheatApp) -> HeatGrid:
    return app.screen.query_one(HeatGrid)  # the screen on top (the app's query: the first)


def status_text(app: TuiheatApp) -> str:
    return str(app.screen.query_one(StatusBar).render()).strip()


def files_app() -> TuiheatApp:
    tensors = [Tensor.from_matrix(HeatMatrix(run)) for run in RUNS]
    names = tuple(f"seed{i}/auc.npy" for i in range(5))
    return TuiheatApp(
        ViewerConfig.for_matrix(HeatMatrix(RUNS[0]), compare=tensors[1:], names=names)
    )


async def test_a_over_files_shows_their_statistics_and_esc_comes_back() -> None:
    app = files_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "j", "l", "l", "l")
        await pilot.press("A")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RunsScreen)
        assert grid_of(app).state.cursor.cell == (2, 3)  # the cursor came along
        cell = np.array([run[2, 3] for run in RUNS])
        lo, hi = stats.t.interval(0.95, 4, loc=cell.mean(), scale=stats.sem(cell))
        said = status_text(app)
        assert f"{cell.mean():.3f} ± {(hi - lo) / 2:.3f} (n=5, 95% t-interval)" in said
        assert f"runs {cell[0]:.3f} {cell[1]:.3f}" in said
        assert viewer(app).config.title.startswith(
            "mean of 5 runs: ▪ 95% t-interval above 0.5, ▫ below it (n=5, uncorrected)"
        )
        assert grid_of(app).matrix.value(2, 3) == np.mean(cell)
        await pilot.press("A")  # the runs' spread
        assert viewer(app).config.title.startswith("std of 5 runs")
        assert abs(grid_of(app).matrix.value(2, 3) - cell.std(ddof=1)) < 1e-12
        await pilot.press("A")
        assert abs(grid_of(app).matrix.value(2, 3) - (hi - lo) / 2) < 1e-9
        await pilot.press("A")  # round to the mean
        assert viewer(app).config.title.startswith("mean of 5 runs")
        await pilot.press("b", "j", "l", "enter")
        await pilot.pause()
        box_text = str(screen.chrome.boxinfo.render())
        means = np.array([run[2:4, 3:5].mean() for run in RUNS])
        assert box_text.startswith(f"box mean {means.mean():.3f} ± ") and "n=5 · box 1" in box_text
        assert grid_of(app).state.boxes == (Box(2, 3, 3, 4),)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, RunsScreen) and len(viewer(app).panes.panes) == 5
    # An N-D tensor of runs: its slice and its test in the title; a keeps per-cell statistics.
    cube = [RNG.normal(0.7, 0.05, (3, 8, 6)) for _ in range(4)]
    tensors = [Tensor(c, ("layer", "head", "token")) for c in cube]
    view = runs_view_of(tensors, [f"seed{i}.npy" for i in range(4)], default_spec(tensors[0]))
    config = runs_config(ViewerConfig.for_matrix(HeatMatrix(cube[0][0])), view)
    app = TuiheatApp(replace(config, notices=("run9.npy has no numbers: left out",)))
    async with app.run_test(size=SIZE) as pilot:
        said = [n.message for n in app._notifications if "no numbers" in n.message]
        assert len(said) == 1  # once, though the screen's on_mount builds on the viewer's
        await pilot.press("right_square_bracket")
        title = app.screen.doc_title
        assert title.startswith("seed*.npy ×4 [3,8,6] · layer 1 · head × token · mean of 4 runs")
        spec = grid_of(app).state.spec
        await pilot.press("a")
        assert grid_of(app).state.spec == spec  # no mean of per-cell tests
        assert any("--slice layer=mean" in n.message for n in app._notifications)
        cell = np.array([c[1, 0, 0] for c in cube])
        assert f"{cell.mean():.3f} ±" in status_text(app)
