from __future__ import annotations

import re

import numpy as np

from tuiheat.core import Box, HeatMatrix, ValueRange, default_range
from tuiheat.loaders import load
from tuiheat.render.printer import HeatmapPrint, PrintOptions

from render_helpers import ansi, plain

ESC = "\x1b"


def figure(m, color="truecolor", width=100, **kw):  # type: ignore[no-untyped-def]
    return HeatmapPrint(
        m, default_range(m), PrintOptions(color=color, width=width, **kw), title="t"
    )


def bg_at(line: str, col: int) -> str | None:
    """The truecolor background in force at visible column ``col`` of an ANSI line."""
    bg = None
    pos = 0
    for m in re.finditer(r"\x1b\[([0-9;]*)m|([^\x1b])", line):
        if m.group(1) is not None:
            params = m.group(1)
            hit = re.search(r"48;2;(\d+);(\d+);(\d+)", params)
            if hit:
                bg = "#{:02x}{:02x}{:02x}".format(*tuple(int(x) for x in hit.groups()))
            elif params in ("", "0"):
                bg = None
            continue
        if pos == col:
            return bg
        pos += 1
    return None


def test_seed_print_has_labels_colourbar_box_and_legend(seed_json) -> None:  # type: ignore[no-untyped-def]
    m = load(str(seed_json))
    lines = plain(figure(m, width=110))
    text = "\n".join(lines)
    assert lines[0] == "t"
    assert "Token" in lines[1] and "Layer" in lines[2]
    assert "ⓐ last_q" in text and "ⓓ exact_answer_before_first" in text
    for tick in ("1.00", "0.75", "0.50"):
        assert f"─ {tick}" in text
    grid = [line for line in lines if re.match(r"^\s+\d+ ", line)]
    assert len(grid) == 32
    assert "┌" in grid[4] and "┐" in grid[4] and "└" in grid[28] and "┘" in grid[28]
    assert "│" in grid[15]
    assert "box signal: Layer 4–28 × first_answer…-1" in text


def test_darker_cells_for_higher_values() -> None:
    m = HeatMatrix(np.array([[0.5, 0.75, 1.0]]))
    out = ansi(figure(m, cell_width=2))
    row = next(line for line in out.splitlines() if "48;2;" in line)
    gutter = len("Layer") + 1
    assert bg_at(row, gutter) == "#f7fbff"
    assert bg_at(row, gutter + 4) == "#08306b"
    mid = bg_at(row, gutter + 2)
    assert mid not in ("#f7fbff", "#08306b")


def test_nan_cells_and_legend() -> None:
    m = HeatMatrix(np.array([[0.6, np.nan]] * 8))
    text = "\n".join(plain(figure(m, color="none")))
    assert "··" in text and "NaN" in text and "8 NaN cells" in text


def test_none_mode_has_no_escape_sequences(seed_json) -> None:  # type: ignore[no-untyped-def]
    out = ansi(figure(load(str(seed_json)), color="none"), None)
    assert ESC not in out
    assert "█" in out and "░" in out


def test_hostile_labels_are_shown_as_data() -> None:
    m = HeatMatrix(
        np.zeros((2, 2)),
        row_labels=("\x1b]0;pwned\x07", "[bold]x"),
        col_labels=("[@click=app.quit]", "\x1b[2J"),
        title="\x1b]52;c;ZXZpbA==\x07",
    )
    out = ansi(HeatmapPrint(m, ValueRange(0, 1), PrintOptions(width=80)))
    visible = re.sub(r"\x1b\[[0-9;]*m", "", out)
    assert ESC not in visible
    assert "[bold]x" in visible


def test_constant_matrix_and_single_cell() -> None:
    for values in (np.full((3, 3), 0.7), np.array([[5.0]])):
        m = HeatMatrix(values)
        lines = plain(figure(m))
        assert any("─" in line or "0.7" in line or "5" in line for line in lines)


def test_small_matrix_gets_horizontal_colourbar() -> None:
    m = HeatMatrix(np.array([[0.0, 1.0], [2.0, 3.0]]))
    lines = plain(figure(m, color="none"))
    strip = next(i for i, line in enumerate(lines) if "█" in line and "░" in line)
    assert re.fullmatch(r"\s+0\s+2", lines[strip + 1])


def test_varied_shapes_render_every_row() -> None:
    rng = np.random.default_rng(1)
    for shape in [(1, 1), (1, 50), (80, 3), (12, 40), (7, 200)]:
        m = HeatMatrix(rng.normal(size=shape))
        lines = plain(figure(m, width=120))
        grid = [line for line in lines if re.match(r"^\s*\d+ ", line)]
        assert len(grid) >= shape[0]


def test_boxes_drawn_in_no_colour_mode_keep_shades() -> None:
    m = HeatMatrix(np.full((4, 4), 1.0), boxes=(Box(0, 3, 1, 2),))
    lines = plain(figure(m, color="none", cell_width=3))
    framed = [line for line in lines if "│" in line]
    assert framed and "█" in framed[0]


def test_cells_below_the_auc_scale_are_marked() -> None:
    values = np.full((6, 4), 0.8)
    values[2, 1] = 0.45
    lines = plain(figure(HeatMatrix(values), color="none", width=80))
    row = next(line for line in lines if line.lstrip().startswith("2 "))
    assert "▾" in row and sum(line.count("▾") for line in lines) == 2  # the cell, the summary
    assert "1 cell below 0.5 ▾" in lines[-1]


def test_printed_labels_wrap_before_they_become_keys_and_ascii_keys_are_letters(  # type: ignore[no-untyped-def]
    seed_json,
) -> None:
    m = load(str(seed_json))
    wide = "\n".join(plain(figure(m, width=200)))
    assert "ⓐ" not in wide and "answer_" in wide  # wrapped over lines: no keys, no legend
    ascii_keys = "\n".join(plain(figure(m, width=110, ascii_only=True)))
    assert "a last_q" in ascii_keys and "ⓐ" not in ascii_keys  # a terminal without Unicode
