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
    assert header.legend[0] == ("ⓐ", "last_q")  # a circled key: never read as a token
    assert header.legend[3] == ("ⓓ", "exact_answer_before_first")
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
    assert "".join(line[:2].strip() for line in lines) == "token000"
    assert "".join(header.text(i, 59, 1).strip() for i in range(8)) == "token059"  # per span


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


def test_wrapped_labels_break_at_underscores_when_the_header_has_lines() -> None:
    header = column_header(SEED_TOKENS, 12, 4)
    assert header.mode == "wrapped" and header.line_count == 4 and not header.legend
    column = [header.text(i, 3, 1).strip() for i in range(4)]
    assert column == ["exact_", "answer_", "before_", "first"]
    assert column_header(SEED_TOKENS, 12, 3).mode == "key"  # four lines do not fit three


def test_full_vertical_labels_before_keys_when_there_is_height() -> None:
    header = column_header(SEED_TOKENS, 3, 25)
    assert header.mode == "vertical" and header.line_count == 25
    assert "".join(header.text(i, 3, 1).strip() for i in range(25)) == "exact_answer_before_first"


def test_keys_follow_the_axis_order_are_styled_and_listed() -> None:
    header = column_header(SEED_TOKENS, 2, 1)
    assert header.mode == "key"
    assert header.keyed == frozenset(range(14))  # '-8' needs 2 cells: keyed too at width 2
    assert [k for k, _ in header.legend][:3] == ["ⓐ", "ⓑ", "ⓒ"]
    wider = column_header(SEED_TOKENS, 4, 1)
    assert dict(wider.legend)["ⓐ"] == "last_q" and wider.keyed == frozenset(range(6))


def test_keys_cannot_be_mistaken_for_one_letter_tokens() -> None:
    tokens = ["a", "the", "b", "c", "of", "the", "u", ".", "s", "exact_answer_first"]
    header = column_header(tokens, 2, 1)
    keys = {k for k, _ in header.legend}
    assert keys and not keys & set(tokens)  # a key is never also a label of the axis
    assert all(not k.isascii() for k in keys)


def test_numbers_too_wide_for_their_cells_become_ticks() -> None:
    header = column_header([str(i) for i in range(32)], 2, 1)
    assert header.mode == "ticks" and header.line_count == 1 and header.step == 2
    assert header.text(0, 0, 32).split() == [str(i) for i in range(0, 32, 2)]
    big = column_header([str(i) for i in range(100_000)], 2, 1)
    assert big.step == 5  # '99999' needs 5 cells and a space: every 5th column of 2
    assert big.text(0, 1000, 10).split() == ["1000", "1005"]


def test_a_zoomed_view_writes_the_first_label_of_each_block() -> None:
    import numpy as np

    from tuiheat.core.matrix import HeatMatrix
    from tuiheat.core.zoom import Zoom, zoomed_matrix

    m = HeatMatrix(np.zeros((32, 4096)), col_labels=tuple(str(i) for i in range(4096)))
    view = zoomed_matrix(m, Zoom(1, 128))
    rows, cols = view.tick_labels
    assert cols[:3] == ("0", "128", "256") and len(rows) == 32
    assert view.col_labels[1] == "128–255"  # the readout names the whole block


def test_words_are_not_cut_in_two_when_they_can_stand_upright() -> None:
    tokens = ["[CLS]", "the", "probe", "reads", "answer", "middle", ",", "[SEP]"]
    header = column_header(tokens, 5, 20)
    assert header.mode == "vertical" and header.line_count == 6
    assert column_header(tokens, 5, 3).mode == "wrapped"  # no height: cut, but not keyed


def test_the_widest_of_many_labels_is_measured_on_a_spread() -> None:
    from tuiheat.core.labels import sanitize
    from tuiheat.render.cells import EXACT_LABELS, widest

    hostile = "\x1b[2J"  # measured as it is shown: made printable first
    assert widest(["a", "abc", hostile]) == max(3, cell_len(sanitize(hostile)))
    many = [str(i) for i in range(100_000)]
    assert widest(many) == 5  # both ends are measured
    assert widest([]) == 1 and EXACT_LABELS >= 1000
