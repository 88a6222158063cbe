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


def test_an_exported_figure_is_titled_by_the_file_s_name_not_its_path() -> None:
    from tuiheat.core.names import figure_title

    assert figure_title("/data/probe/runs/seed0/probe_auc.csv") == "seed0/probe_auc"
    assert figure_title("probe_auc.csv") == "probe_auc"
    assert (
        figure_title("results.npz · attn [6,12,17,17] · layer 0")
        == "results · attn [6,12,17,17] · layer 0"
    )
    kept = "Error-detection probe AUC per layer and token (seed figure reconstruction)"
    assert figure_title(kept) == kept
    assert figure_title("v0.5 sweep") == "v0.5 sweep"  # words, not a file


def test_the_png_of_a_file_given_by_its_path_is_titled_by_its_name(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import numpy as np

    from tuiheat.core import HeatMatrix
    from tuiheat.core.scale import ValueRange
    from tuiheat.session import exports

    svg = "".join(
        exports.heatmap(
            "svg", HeatMatrix(np.eye(2)), ValueRange(0, 1), "blues", str(tmp_path / "probe_auc.csv")
        )
    )
    assert f">{tmp_path.name}/probe_auc</text>" in svg and str(tmp_path) not in svg
