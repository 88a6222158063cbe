"""What tells N file names apart, in captions and the title of runs side by side."""

from __future__ import annotations

from tuiheat.core.names import PathName, compare_title, distinct_names
from tuiheat.render.texts import fitted_name, panel_caption

SEEDS = [f"/data/probe/runs/seed{i}/probe_auc.csv" for i in range(3)]


def test_the_shared_head_and_tail_of_paths_are_set_apart() -> None:
    assert distinct_names(SEEDS) == tuple(PathName(f"seed{i}", "probe_auc.csv") for i in range(3))
    assert distinct_names(["run1.npy", "run2.npy"]) == (PathName("run1.npy"), PathName("run2.npy"))
    deep = distinct_names(["a/x/l3/auc.npy", "b/c/l3/auc.npy"])
    assert deep == (PathName("a/x", "l3/auc.npy"), PathName("b/c", "l3/auc.npy"))
    # one name inside the other's folder, and the same name twice: nothing is lost
    assert distinct_names(["a.npy", "sub/a.npy"]) == (PathName("a.npy"), PathName("sub/a.npy"))
    assert distinct_names(["x/a.npy", "x/a.npy"]) == (PathName("a.npy"), PathName("a.npy"))


def test_a_narrow_caption_keeps_the_part_that_differs() -> None:
    name = PathName("seed1", "probe_auc.csv")
    assert fitted_name(name, 40) == "seed1/probe_auc.csv"
    assert fitted_name(name, 12) == "seed1/…"
    assert fitted_name(name, 4) == "see…"
    captions = [panel_caption(i, SEEDS, False, 12).plain for i in range(3)]
    assert captions == ["A seed0/…", "B seed1/…", "C seed2/…"]
    assert len(set(captions)) == 3  # never three times "…/probe_auc.csv"


def test_the_title_of_runs_names_what_differs_once() -> None:
    assert compare_title(SEEDS) == "seed0 vs seed1 vs seed2 · probe_auc.csv"
    assert compare_title(["run1.npy", "run2.npy"]) == "run1.npy vs run2.npy"
