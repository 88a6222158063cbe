"""The installed command on the five-seed sample (samples/make_seeds.py) in a real
pseudo-terminal: the viewer of two conditions with its test in the title and its marks on
the cells, A cycling the views; print mode's marks counted against scipy."""

from __future__ import annotations

import numpy as np
import pytest
from pty_helpers import PtySession, tuiheat_executable
from scipy import stats

from conftest import SAMPLES

pytestmark = pytest.mark.skipif(tuiheat_executable() is None, reason="tuiheat is not installed")
PROBE = [str(SAMPLES / "seeds" / f"probe_seed{i}.csv") for i in range(5)]
BASELINE = [str(SAMPLES / "seeds" / f"baseline_seed{i}.csv") for i in range(5)]


def grids(names: list[str]) -> np.ndarray:
    return np.stack([np.loadtxt(n, delimiter=",", skiprows=1)[:, 1:] for n in names])


def test_the_viewer_states_the_test_and_marks_the_cells() -> None:
    exe = tuiheat_executable()
    assert exe is not None
    session = PtySession([exe, *PROBE, "--vs", *BASELINE], size=(150, 46))
    session.wait_for("paired t-test")
    session.settle(quiet=0.5)  # the title comes first; the cells follow it
    screen = session.text()
    assert "A − B, 5 pairs: ▪ q < 0.05 (paired t-test, BH over 448 cells)" in screen
    q = stats.false_discovery_control(stats.ttest_rel(grids(PROBE), grids(BASELINE)).pvalue.ravel())
    hits, misses = int((q < 0.05).sum()), int((q >= 0.05).sum())
    assert hits and misses  # the sample has both
    assert screen.count("▪") >= min(hits, 20) and "·" in screen
    session.send("A")
    session.wait_for("half-width of A − B")
    session.send("q")
    assert session.close(timeout=20) == 0


def test_print_mode_draws_a_mark_on_every_cell_whose_interval_excludes_chance() -> None:
    exe = tuiheat_executable()
    assert exe is not None
    args = [exe, *PROBE, "--stats", "--chance", "0.75", "--print", "--color", "none"]
    session = PtySession([*args, "--width", "140"], size=(150, 60))
    assert session.close(timeout=60) == 0, session.text()
    lines = session.text().splitlines()
    assert lines[0].startswith(
        "mean of 5 runs: ▪ 95% t-interval above 0.75, ▫ below it (n=5, uncorrected)"
    )
    runs = grids(PROBE)
    lo, hi = stats.t.interval(0.95, 4, loc=runs.mean(0), scale=stats.sem(runs, axis=0))
    above, below = lo > 0.75, hi < 0.75
    cells = [line for line in lines if line[:6].strip().isdigit()][:32]
    assert [line.count("▪") for line in cells] == above.sum(axis=1).tolist()
    assert [line.count("▫") for line in cells] == below.sum(axis=1).tolist()
    assert [line.count("·") for line in cells] == (~above & ~below).sum(axis=1).tolist()
    legend = "▪ 95% t-interval above 0.75  ▫ below it  · holds 0.75"
    assert any(legend in line for line in lines), lines[-8:]
