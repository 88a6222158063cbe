"""Statistics across runs as grids: one pass in blocks, checked against scipy.stats."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from tuiheat.core import marks
from tuiheat.core.acrossruns import Runs, RunsError, bh_over, one_sample_p, summarise
from tuiheat.core.runreport import box_interval, cell_report, mark_texts, title
from tuiheat.core.runstats import bh_qvalues

RNG = np.random.default_rng(11)


def seeds(n: int, shape: tuple[int, ...] = (6, 5), spread: float = 0.02) -> tuple[np.ndarray, ...]:
    base = np.linspace(0.45, 0.95, int(np.prod(shape))).reshape(shape)
    return tuple(base + RNG.normal(0, spread, shape) for _ in range(n))


def test_the_mean_interval_and_marks_match_scipy_in_small_blocks() -> None:
    runs = seeds(5, (7, 4, 3))
    runs[1][0, 0, 0] = np.nan  # n = 4 there
    across = summarise(Runs(runs, reference=0.5), block=5)  # blocks of one leading row
    stack = np.stack(runs)
    np.testing.assert_allclose(across.centre, np.nanmean(stack, axis=0), rtol=1e-12)
    n = np.isfinite(stack).sum(axis=0)
    assert across.n[0, 0, 0] == 4 and across.n[1, 1, 1] == 5
    sem = stats.sem(stack, axis=0, nan_policy="omit")
    lo, hi = stats.t.interval(0.95, n - 1, loc=np.nanmean(stack, axis=0), scale=sem)
    np.testing.assert_allclose(across.half, (hi - lo) / 2, rtol=1e-9)
    excludes = (lo > 0.5) | (hi < 0.5)
    verdict = np.where(lo > 0.5, marks.HIT, marks.LOW)  # above, or below, the reference
    assert (across.marks == np.where(excludes, verdict, marks.MISS)).all()
    assert (across.marks == marks.LOW).any() and (across.marks == marks.HIT).any()
    assert "(n=4–5 by cell, uncorrected)" in title(across, "mean")


def test_two_runs_and_constant_cells_get_no_interval_and_say_so() -> None:
    two = summarise(Runs(seeds(2), reference=0.5))
    assert np.isnan(two.half).all() and (two.marks == marks.NONE).all()
    assert "fewer than 3 runs, no interval is drawn" in title(two, "mean")
    same = np.full((3, 3), 0.7)
    flat = summarise(Runs((same, same.copy(), same.copy()), reference=0.5))
    assert (flat.marks == marks.NONE).all() and np.isnan(flat.half).all()
    report = cell_report(flat, (1, 1)).text()
    assert "the runs agree exactly, no interval" in report
    assert "fewer than 3 runs" in cell_report(two, (0, 0)).text()


def test_the_title_states_test_n_and_reference() -> None:
    across = summarise(Runs(seeds(5), reference=0.5))
    said = "mean of 5 runs: ▪ 95% t-interval above 0.5, ▫ below it (n=5, uncorrected)"
    assert title(across, "mean") == said
    assert mark_texts(across) == {
        marks.HIT: "95% t-interval above 0.5",
        marks.LOW: "below it",
        marks.MISS: "holds 0.5",
    }


def test_paired_differences_match_ttest_rel_and_bh() -> None:
    a, b = seeds(6, (8, 6)), seeds(6, (8, 6))
    b = tuple(x - 0.01 * (i % 3) for i, x in enumerate(b))
    a[2][3, 3] = np.nan  # that pair drops out
    across = summarise(Runs(a, b, paired=True), block=12)
    sa, sb = np.stack(a), np.stack(b)
    ref = stats.ttest_rel(sa, sb, axis=0, nan_policy="omit")
    np.testing.assert_allclose(across.p, np.asarray(ref.pvalue), rtol=1e-9)
    bh = stats.false_discovery_control(across.p.ravel()).reshape(across.p.shape)
    np.testing.assert_allclose(across.q, bh, rtol=1e-9)
    assert across.n[3, 3] == 5 and across.tested == 48
    hit = (across.q < 0.05) & (across.centre > 0)
    assert (hit == (across.marks == marks.HIT)).all()
    assert ((across.q < 0.05) & (across.centre < 0) == (across.marks == marks.LOW)).all()
    said = "A − B, 6 pairs, n=5–6 by cell: ▪ q < 0.05 (paired t-test, BH over 48 cells)"
    assert title(across, "difference") == said


def test_unpaired_runs_match_welch() -> None:
    a, b = seeds(4), seeds(6)
    across = summarise(Runs(a, b, paired=False))
    ref = stats.ttest_ind(np.stack(a), np.stack(b), axis=0, equal_var=False)
    np.testing.assert_allclose(across.p, ref.pvalue, rtol=1e-9)
    ci = ref.confidence_interval(0.95)
    np.testing.assert_allclose(across.half, (ci.high - ci.low) / 2, rtol=1e-9)
    assert "4 vs 6 runs" in title(across, "difference")
    assert "(Welch's t-test, n=4+6)" in cell_report(across, (0, 0)).text()


def test_mismatched_runs_are_refused_in_one_line() -> None:
    with pytest.raises(RunsError, match="3 runs against 2"):
        Runs(seeds(3), seeds(2), paired=True)
    with pytest.raises(RunsError, match="shapes"):
        Runs((np.zeros((2, 2)), np.zeros((2, 3))))


def test_bh_over_every_cell_matches_scipy_with_ties_and_nan() -> None:
    p = RNG.uniform(0, 0.2, (40, 30))
    p[::7, ::5] = 0.01  # ties
    p[3, :4] = np.nan
    np.testing.assert_allclose(bh_over(p), bh_qvalues(p), rtol=1e-12, equal_nan=True)
    finite = np.isfinite(p)
    np.testing.assert_allclose(
        bh_over(p)[finite], stats.false_discovery_control(p[finite]), rtol=1e-9
    )


def test_the_readout_of_a_cell_names_the_runs_and_the_test() -> None:
    runs = (np.full((2, 2), 0.84), np.full((2, 2), 0.85), np.full((2, 2), 0.83))
    text = cell_report(summarise(Runs(runs, reference=0.5)), (0, 1)).text()
    assert text == "0.840 ± 0.025 (n=3, 95% t-interval) · runs 0.840 0.850 0.830"
    vs = summarise(Runs(runs, tuple(r - 0.1 for r in runs)))
    said = cell_report(vs, (1, 1)).text()
    assert said.startswith("Δ 0.1") and "paired t-test, n=3" in said and " q " in said


def test_a_box_mean_gets_its_interval_over_runs() -> None:
    runs = seeds(5)
    text, fields = box_interval(Runs(runs), [lambda r: r[1:3, 0:2]])
    means = np.array([r[1:3, 0:2].mean() for r in runs])
    lo, hi = stats.t.interval(0.95, 4, loc=means.mean(), scale=stats.sem(means))
    assert fields["n"] == 5 and fields["mean"] == pytest.approx(means.mean())
    assert fields["half_width"] == pytest.approx((hi - lo) / 2, rel=1e-9)
    half = (hi - lo) / 2
    digits = max(3, 1 - int(np.floor(np.log10(half))))
    assert text == f"box mean {means.mean():.{digits}f} ± {half:.{digits}f}, n=5"


def test_the_one_sample_p_of_the_export_matches_scipy() -> None:
    runs = seeds(5)
    across = summarise(Runs(runs, reference=0.5))
    ref = stats.ttest_1samp(np.stack(runs), 0.5, axis=0)
    np.testing.assert_allclose(one_sample_p(across), ref.pvalue, rtol=1e-9)


def test_the_title_gives_up_the_names_then_words_never_the_test() -> None:
    from tuiheat.core.tensor import Tensor, default_spec
    from tuiheat.session.runs import RunsView

    runs = tuple(RNG.normal(0.7, 0.05, (3, 4, 5)) for _ in range(5))
    first = Tensor(runs[0], ("layer", "head", "token"))
    view = RunsView(summarise(Runs(runs)), first, ("seed*.npy ×5",))
    spec = default_spec(first)
    full = view.title(spec=spec)
    assert full == "seed*.npy ×5 [3,4,5] · layer 0 · head × token · " + title(view.across, "mean")
    for width in (120, 90, 70, 50):
        said = view.title(spec=spec, width=width)
        assert "95% t-int" in said and ("uncorrected" in said or len(said) > width)
        assert len(said) <= width or said == title(view.across, "mean", compact=True)
    assert view.title(spec=spec, width=90).startswith("layer 0 · ")
    assert view.cell_text((0, 1, 2)).startswith("▪ ")  # the cell's mark leads its readout
    view.next_view()
    assert view.cell_text((0, 1, 2)).startswith("std 0.0")
