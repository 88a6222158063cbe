"""--peaks and --emerge X in print mode: each column's peak row and the row from which its
values stay at or above X, by label, checked against numpy."""

from __future__ import annotations

import numpy as np

from tuiheat.cli import main


def test_peaks_and_emergence_are_listed_by_label(tmp_path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("NO_COLOR", raising=False)
    grid = np.array([[0.5, 0.9, 0.6], [0.8, 0.9, 0.4], [0.7, 0.6, 0.85], [0.9, 0.95, 0.9]])
    path = tmp_path / "auc.csv"
    rows = ["layer,a,b,c"] + [f"L{i},{','.join(map(str, r))}" for i, r in enumerate(grid)]
    path.write_text("\n".join(rows) + "\n")
    code = main([str(path), "--print", "--color", "none", "--peaks", "--emerge", "0.7"])
    out = capsys.readouterr().out.splitlines()
    assert code == 0
    peaks = next(line for line in out if line.startswith("peak "))
    expected = [f"{c} L{r}" for c, r in zip("abc", np.argmax(grid, axis=0), strict=True)]
    assert peaks.endswith(": " + ", ".join(expected))
    emerge = next(line for line in out if "from which every value is ≥ 0.7" in line)
    assert emerge.endswith(": a L1, b L3, c L2")  # b dips to 0.6 at L2, a is 0.7 at L2
    code = main([str(path), "--print", "--color", "none", "--emerge", "0.96"])
    assert capsys.readouterr().out.splitlines()[-1].endswith(": a never, b never, c never")


def grid_rows(out: list[str]) -> dict[str, str]:
    return {line.split()[0]: line for line in out if line.strip()[:1] == "L"}


def test_print_mode_draws_the_peaks_and_emergence_in_their_cells(
    tmp_path, capsys, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("NO_COLOR", raising=False)
    path = tmp_path / "auc.csv"
    grid = [[0.5, 0.9, 0.6], [0.8, 0.9, 0.4], [0.7, 0.6, 0.85], [0.9, 0.95, 0.9]]
    rows = ["layer,a,b,c"] + [f"L{i},{','.join(map(str, r))}" for i, r in enumerate(grid)]
    path.write_text("\n".join(rows) + "\n")
    args = [str(path), "--print", "--color", "none", "--width", "60"]
    assert main([*args, "--peaks", "--emerge", "0.7"]) == 0
    out = capsys.readouterr().out.splitlines()
    shown = grid_rows(out)
    assert shown["L3"].count("◆") == 3 and "▲" not in shown["L3"]  # every peak; b's ▲ under it
    assert shown["L1"].count("▲") == 1 and shown["L2"].count("▲") == 1
    assert "◆" not in shown["L0"] + shown["L1"] + shown["L2"]
    assert shown["L1"].index("▲") < shown["L2"].index("▲")  # a emerges at L1, c at L2
    legend = next(line for line in out if "◆" in line and "L3" not in line).strip()
    assert legend == "◆ peak layer per token  ▲ first layer staying ≥ 0.7"
    assert any(line.startswith("peak layer per token: ") for line in out)  # still listed
    assert main(args) == 0
    plain = capsys.readouterr().out
    assert not any(glyph in plain for glyph in "◆▲▪")


def test_printed_blocks_are_not_marked_and_the_legend_says_why(
    tmp_path, capsys, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("NO_COLOR", raising=False)
    path = tmp_path / "big.npy"
    np.save(path, np.random.default_rng(0).random((300, 300)))
    args = [str(path), "--print", "--color", "none", "--width", "80", "--peaks"]
    assert main(args) == 0
    out = capsys.readouterr().out.splitlines()
    assert not any("◆" in line for line in out)
    assert sum("marks show when every cell is printed (--full)" in line for line in out) == 1
    assert any(line.startswith("peak ") for line in out)  # the listing is of every cell


def test_print_mode_draws_a_tensors_marks_named_from_outside(capsys) -> None:  # type: ignore[no-untyped-def]
    """What statistics across runs hand print mode: the tensor's marks, and their words."""
    from tuiheat.core.marks import HIT, MISS
    from tuiheat.core.tensor import Tensor, default_spec, slice_matrix
    from tuiheat.session.open import Loaded
    from tuiheat.session.options import Options
    from tuiheat.session.static import print_matrix

    values = np.array([[0.9, 0.5], [0.4, 0.95]])
    marks = np.array([[HIT, MISS], [MISS, HIT]], dtype=np.uint8)
    tensor = Tensor(values, names=("layer", "token"), marks=marks)
    spec = default_spec(tensor)
    loaded = Loaded(slice_matrix(tensor, spec), "mean of 5 runs", None, tensor=tensor, spec=spec)
    options = Options(file=None, width=60)
    texts = {HIT: "95% t-interval excludes 0.5", MISS: "includes it"}
    print_matrix(loaded, options, "none", mark_texts=texts)
    out = capsys.readouterr().out.splitlines()
    rows = [line for line in out if line.strip()[:1] in "01" and len(line.strip()) > 1]
    cells = [row.split()[1:3] for row in rows]  # no colour: glyphs amid the cells' shades
    assert "▪" in cells[0][0] and "·" in cells[0][1] and "▪" not in cells[0][1]
    assert "·" in cells[1][0] and "▪" in cells[1][1] and "▪" not in cells[1][0]
    assert "▪ 95% t-interval excludes 0.5  · includes it" in "\n".join(out)
