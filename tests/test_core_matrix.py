from __future__ import annotations

import numpy as np
import pytest

from tuiheat.core import Box, HeatMatrix, MatrixError


def test_defaults_index_labels_and_titles() -> None:
    m = HeatMatrix(np.zeros((3, 2)))
    assert m.row_labels == ("0", "1", "2")
    assert m.col_labels == ("0", "1")
    assert (m.row_title, m.col_title) == ("Layer", "Token")
    assert m.shape == (3, 2)


def test_labels_kept_verbatim_duplicates_allowed() -> None:
    m = HeatMatrix(np.zeros((1, 3)), col_labels=("[CLS]", "the", "the"))
    assert m.col_labels == ("[CLS]", "the", "the")


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (np.zeros(3), "2-D"),
        (np.zeros((2, 0)), "empty"),
        (np.zeros((2, 2, 2)), "2-D"),
        (np.array([["a", "b"]]), "not real numbers"),
    ],
)
def test_invalid_values(values: np.ndarray, message: str) -> None:
    with pytest.raises(MatrixError, match=message):
        HeatMatrix(values)


def test_label_count_mismatch() -> None:
    with pytest.raises(MatrixError, match="3 column labels for 2 columns"):
        HeatMatrix(np.zeros((2, 2)), col_labels=("a", "b", "c"))


def test_box_outside_matrix_rejected() -> None:
    with pytest.raises(MatrixError, match="outside"):
        HeatMatrix(np.zeros((2, 2)), boxes=(Box(0, 2, 0, 1),))


def test_window_is_float64_and_reads_only_the_slice() -> None:
    values = np.arange(12, dtype=np.int8).reshape(3, 4)
    m = HeatMatrix(values)
    w = m.window(1, 3, 2, 4)
    assert w.dtype == np.float64
    assert w.tolist() == [[6.0, 7.0], [10.0, 11.0]]
    assert m.value(2, 3) == 11.0


def test_large_ints_do_not_wrap() -> None:
    m = HeatMatrix(np.array([[np.iinfo(np.uint64).max, 0]], dtype=np.uint64))
    assert m.as_float()[0, 0] == pytest.approx(1.8446744073709552e19)
