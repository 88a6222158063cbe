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
