from __future__ import annotations

from rich.cells import cell_len

from tuiheat.render.axes import column_header, legend_lines, row_gutter
from tuiheat.render.cells import pad, truncate

SEED_TOKENS = [
    "last_q",
    "first_answer",
    "second_answer",
    "exact_answer_before_first",
    "exact_answer_first",
    "exact_answer_last",
    "-8",
    "-7",
    "-6",
    "-5",
    "-4",
    "-3",
    "-2",
    "-1",
]


def test_short_labels_sit_over_their_cells() -> None:
    header = column_header(["a", "b", "10"], 3)
    assert header.mode == "horizontal"
    assert header.lines == [" a  b  10"]


def test_seed_tokens_get_keys_and_a_legend_with_wide_cells() -> None:
    header = column_header(SEED_TOKENS, 5)
    assert header.mode == "key"
    assert header.legend[0] == ("a", "last_q")
    assert header.legend[3] == ("d", "exact_answer_before_first")
    assert len(header.legend) == 6
    line = header.lines[0]
    assert cell_len(line) == 5 * 14
    assert line[6 * 5 : 7 * 5].strip() == "-8"  # short labels stay themselves


def test_many_long_labels_go_vertical() -> None:
    labels = [f"token{i:03d}" for i in range(60)]
    header = column_header(labels, 2)
    assert header.mode == "vertical"
    assert header.line_count == 8
    lines = [header.text(i, 0, 60) for i in range(8)]
    assert "".join(line[0] for line in lines) == "token000"
    assert "".join(header.text(i, 59, 1)[0] for i in range(8)) == "token059"  # built per span


def test_labels_are_sanitised_before_layout() -> None:
    header = column_header(["\x1b[2J", "ok"], 2)
    assert "\x1b" not in "".join(header.lines) + "".join(label for _, label in header.legend)


def test_row_gutter_truncates_and_right_aligns() -> None:
    width, labels = row_gutter(["0", "a_very_long_layer_label_indeed"])
    assert width == 16
    assert labels[0] == " " * 15 + "0"
    assert labels[1].endswith("…") and cell_len(labels[1]) == 16


def test_truncate_never_splits_wide_characters() -> None:
    assert truncate("日本語テキスト", 5) == "日本…"
    assert cell_len(pad("日本語", 5)) == 5


def test_legend_wraps() -> None:
    lines = legend_lines([("a", "x" * 30), ("b", "y" * 30)], 50, "Token: ")
    assert lines[0].startswith("Token: a ")
    assert lines[1].startswith("       b ")


def test_truncate_path_keeps_the_file_name() -> None:
    from tuiheat.render.cells import truncate_path

    assert truncate_path("runs/a.npy", 20) == "runs/a.npy"
    assert truncate_path("/very/long/directory/run2.npy", 12) == "…/run2.npy"
    assert truncate_path("/x/a_very_long_file_name.npy", 8) == "a_very_…"
