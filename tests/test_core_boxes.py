from __future__ import annotations

import pytest

from tuiheat.core import Box, BoxError, box_from_json, parse_box_spec

ROWS = [str(i) for i in range(32)]
COLS = [
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


def test_seed_box_spec_by_labels() -> None:
    box = parse_box_spec("4-28:first_answer..-1", ROWS, COLS)
    assert (box.r0, box.r1, box.c0, box.c1) == (4, 28, 1, 13)
    assert box.n_cells == 25 * 13


def test_reversed_corners_are_normalised() -> None:
    assert parse_box_spec("28..4:-1..first_answer", ROWS, COLS) == Box(4, 28, 1, 13)
    assert Box.from_corners((5, 9), (2, 3)) == Box(2, 5, 3, 9)


def test_empty_side_means_whole_axis_and_single_cells() -> None:
    assert parse_box_spec(":last_q", ROWS, COLS) == Box(0, 31, 0, 0)
    assert parse_box_spec("7:*", ROWS, COLS) == Box(7, 7, 0, 13)


def test_index_syntax_and_label_priority() -> None:
    cols = ["-1", "x", "y"]
    # "-1" is a label here, not an index from the end
    assert parse_box_spec("0:-1..y", ["r"], cols) == Box(0, 0, 0, 2)
    assert parse_box_spec("0:#1..#2", ["r"], cols) == Box(0, 0, 1, 2)


def test_duplicate_label_must_be_given_by_index() -> None:
    with pytest.raises(BoxError, match="occurs 2 times"):
        parse_box_spec("0:the", ["r"], ["the", "cat", "the"])
    assert parse_box_spec("0:#2", ["r"], ["the", "cat", "the"]) == Box(0, 0, 2, 2)


def test_labels_containing_separators() -> None:
    cols = ["a:b", "c..d", "e"]
    assert parse_box_spec("0:a:b..e", ["r"], cols) == Box(0, 0, 0, 2)
    assert parse_box_spec("0:c..d", ["r"], cols) == Box(0, 0, 1, 1)


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("4-28", "ROWS:COLS"),
        ("4-40:last_q", "outside"),
        ("4:nope", "no column labelled 'nope'"),
    ],
)
def test_bad_specs(spec: str, message: str) -> None:
    with pytest.raises(BoxError, match=message):
        parse_box_spec(spec, ROWS, COLS)


def test_box_from_json_forms() -> None:
    assert box_from_json(
        {"rows": [4, 28], "cols": ["first_answer", "-1"], "name": "s"}, ROWS, COLS
    ) == Box(4, 28, 1, 13, "s")
    assert box_from_json("4-28:first_answer..-1", ROWS, COLS) == Box(4, 28, 1, 13)
    with pytest.raises(BoxError, match="unknown box field"):
        box_from_json({"rows": [1, 2], "colz": [0, 1]}, ROWS, COLS)
    with pytest.raises(BoxError):
        box_from_json(3, ROWS, COLS)


def test_json_roundtrip_by_index() -> None:
    box = Box(4, 28, 1, 13, "signal")
    assert box_from_json(box.to_json(), ROWS, COLS) == box


def test_negative_index_rejected() -> None:
    with pytest.raises(BoxError):
        Box(-1, 2, 0, 0)
