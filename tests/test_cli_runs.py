"""--stats and --vs from the command line: the title states the test, mismatches are one
line, the long CSV and the JSON boxes carry the statistics (checked against scipy)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from tuiheat.cli import main

RNG = np.random.default_rng(5)


def write_runs(folder: Path, prefix: str, n: int, shift: float = 0.0) -> list[str]:
    base = np.linspace(0.45, 0.95, 24).reshape(6, 4)
    names = []
    for i in range(n):
        path = folder / f"{prefix}{i}" / "auc.npy"
        path.parent.mkdir()
        np.save(path, base + shift + RNG.normal(0, 0.02, base.shape))
        names.append(str(path))
    return names


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_stats_prints_the_mean_with_the_test_in_the_title(tmp_path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("NO_COLOR", raising=False)
    names = write_runs(tmp_path, "seed", 7)  # more files than panes: runs have no such limit
    code, out, _ = run([*names, "--stats", "--print", "--color", "none", "--width", "120"], capsys)
    assert code == 0
    head = out.splitlines()[0]
    said = "mean of 7 runs: ▪ 95% t-interval above 0.5, ▫ below it (n=7, uncorrected) · seed*/auc.npy ×7"
    assert head == said
    code, out, _ = run([*names[:2], "--stats", "--print", "--width", "120"], capsys)
    assert "fewer than 3 runs, no interval is drawn" in out.splitlines()[0]
    code, out, _ = run([*names, "--stats", "--chance", "0.7", "--print", "--width", "120"], capsys)
    assert "above 0.7, ▫ below it" in out.splitlines()[0]


def test_vs_refuses_what_does_not_pair_in_one_line(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    a, b = write_runs(tmp_path, "a", 3), write_runs(tmp_path, "b", 2)
    code, _, err = run([*a, "--vs", *b, "--print"], capsys)
    assert code == 2 and err.count("\n") == 1
    assert "3 runs against 2" in err and "--unpaired" in err
    code, out, _ = run([*a, "--vs", *b, "--unpaired", "--print", "--width", "120"], capsys)
    assert (
        code == 0
        and "3 vs 2 runs: ▪ q < 0.05 (Welch's t-test, BH over 24 cells)" in out.splitlines()[0]
    )
    odd = tmp_path / "odd.npy"
    np.save(odd, np.zeros((6, 5)))
    code, _, err = run([*a, "--vs", *b[:1], str(odd), "--unpaired", "--print"], capsys)
    assert code == 2 and "the shapes differ" in err and err.count("\n") == 1
    for argv, said in (
        ([a[0], "--stats"], "--stats needs two or more runs"),
        ([*a, "--unpaired"], "--unpaired goes with --vs"),
        ([*a, "--chance", "0.5"], "--chance goes with --stats"),
        ([*a, "--stats", "--vs", *b], "leave out --stats"),
    ):
        code, _, err = run(argv, capsys)
        assert code == 2 and said in err, argv


def test_the_long_csv_has_a_line_per_cell_matching_scipy(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    names = write_runs(tmp_path, "seed", 5)
    out = tmp_path / "stats.csv"
    code, _, _ = run([*names, "--stats", "--export", str(out)], capsys)
    assert code == 0
    rows = list(csv.DictReader(out.open()))
    assert len(rows) == 24 and list(rows[0]) == [
        "Layer",
        "Token",
        "mean",
        "half_width",
        "n",
        "p",
        "q",
    ]
    runs = np.stack([np.load(n) for n in sorted(names)])
    test = stats.ttest_1samp(runs, 0.5, axis=0)
    q = stats.false_discovery_control(test.pvalue.ravel()).reshape(6, 4)
    row = rows[4 * 2 + 3]  # layer 2, token 3
    assert (row["Layer"], row["Token"]) == ("2", "3")
    assert float(row["mean"]) == pytest.approx(runs[:, 2, 3].mean(), rel=1e-12)
    assert float(row["p"]) == pytest.approx(test.pvalue[2, 3], rel=1e-9)
    assert float(row["q"]) == pytest.approx(q[2, 3], rel=1e-9)
    ci = test.confidence_interval(0.95)
    assert float(row["half_width"]) == pytest.approx((ci.high - ci.low)[2, 3] / 2, rel=1e-9)


def test_vs_boxes_carry_the_interval_in_json(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    a, b = write_runs(tmp_path, "a", 4, 0.03), write_runs(tmp_path, "b", 4)
    code, out, _ = run([*a, "--vs", *b, "--box", "3-5:0-1", "--boxes", "--json"], capsys)
    assert code == 0
    record = json.loads(out)[0]["across_runs"]
    ra = np.stack([np.load(n)[3:6, 0:2].mean() for n in sorted(a)])
    rb = np.stack([np.load(n)[3:6, 0:2].mean() for n in sorted(b)])
    test = stats.ttest_rel(ra, rb)
    assert record["test"] == "paired t-test" and record["n"] == 4
    assert record["p"] == pytest.approx(test.pvalue, rel=1e-9)
    assert record["difference"] == pytest.approx((ra - rb).mean(), rel=1e-12)
    code, out, _ = run([*a, "--stats", "--box", "3-5:0-1", "--boxes"], capsys)
    assert "· box mean " in out and out.rstrip().endswith("n=4")


def test_the_runs_are_named_by_what_their_files_share() -> None:
    from tuiheat.session.runs import group_name

    assert group_name(["seed0/auc.npy", "seed1/auc.npy"]) == "seed*/auc.npy ×2"
    assert group_name(["x/auc.npy", "y/auc.npy"]) == "auc.npy ×2"
    assert group_name(["a/auc.npy", "a/allnan.npy"]) == "a/auc.npy … a/allnan.npy (2)"
    assert group_name(["s/probe_seed0.csv", "s/probe_seed1.csv"]) == "probe_seed*.csv ×2"
    assert group_name(["a.npy", "b.npy"]) == "a.npy … b.npy (2)"


def test_an_axis_mean_tests_the_runs_means_not_a_mean_of_tests(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    runs = [RNG.normal(0.6, 0.2, (6, 4, 5)) for _ in range(4)]
    names = []
    for i, grid in enumerate(runs):
        names.append(str(tmp_path / f"t{i}.npy"))
        np.save(names[-1], grid)
    out = tmp_path / "tm.csv"
    argv = [*names, "--stats", "--chance", "0.5", "--names", "layer,head,token"]
    code, _, _ = run([*argv, "--slice", "layer=mean", "--export", str(out)], capsys)
    assert code == 0
    means = np.stack([r.mean(axis=0) for r in runs])  # each run's layer mean
    test = stats.ttest_1samp(means, 0.5, axis=0)
    row = next(r for r in csv.DictReader(out.open()) if (r["head"], r["token"]) == ("1", "1"))
    assert float(row["mean"]) == pytest.approx(means[:, 1, 1].mean(), rel=1e-12)
    assert float(row["p"]) == pytest.approx(test.pvalue[1, 1], rel=1e-9)
    code, printed, _ = run(
        [*argv, "--slice", "layer=mean", "--print", "--width", "160", "--color", "none"], capsys
    )
    assert printed.splitlines()[0].startswith("t*.npy ×4 [6,4,5] · layer mean · head × token")
    code, printed, _ = run(
        [*argv, "--slice", "layer=2", "--print", "--width", "160", "--color", "none"], capsys
    )
    assert printed.splitlines()[0].startswith("t*.npy ×4 [6,4,5] · layer 2 · head × token · mean")


def test_an_empty_run_or_inf_keeps_the_reference_and_is_said(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    names = write_runs(tmp_path, "seed", 3)
    empty = tmp_path / "zz_empty.npy"
    np.save(empty, np.full((6, 4), np.nan))
    code, out, err = run([*names, str(empty), "--stats", "--print", "--width", "150"], capsys)
    assert code == 0 and "above 0.5, ▫ below it" in out.splitlines()[0]
    assert err.count("zz_empty.npy has no numbers: left out") == 1
    bad = np.load(names[0])
    bad[0, 0] = np.inf
    np.save(names[0], bad)
    code, _, err = run([*names, "--stats", "--print", "--width", "150"], capsys)
    assert code == 0 and err.count("1 infinite value left out of the statistics, as NaN is") == 1
    same = tmp_path / "same.npy"
    np.save(same, np.full((6, 4), 0.7))
    _, out, _ = run([str(same)] * 3 + ["--stats", "--print", "--width", "150"], capsys)
    assert "the runs agree exactly (n=3), no interval is drawn" in out.splitlines()[0]


def test_welch_counts_each_side_and_a_set_against_itself_is_not_tested(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    a, b = write_runs(tmp_path, "a", 5), write_runs(tmp_path, "b", 3)
    out = tmp_path / "w.csv"
    code, _, _ = run([*a, "--vs", *b, "--unpaired", "--export", str(out)], capsys)
    row = next(csv.DictReader(out.open()))
    assert code == 0 and (row["n_a"], row["n_b"]) == ("5", "3") and "n" not in row
    code, said, _ = run([*a, "--vs", *b, "--unpaired", "--box", "0-1:0-1", "--boxes"], capsys)
    assert "(Welch's t-test, n=5+3)" in said
    code, said, _ = run([*a, "--vs", *a, "--print", "--width", "150"], capsys)
    assert "no cell could be tested" in said.splitlines()[0]
