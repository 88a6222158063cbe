"""The ``:`` go-to prompt: a row, a column, or both, by label or index."""

from __future__ import annotations

from tuiheat.core.boxes import BoxError, resolve_endpoint
from tuiheat.core.labels import sanitize
from tuiheat.core.matrix import HeatMatrix
from tuiheat.screens.dialog import PromptDialog

Cell = tuple[int | None, int | None]


def parse_goto(text: str, matrix: HeatMatrix) -> Cell:
    """``13``, ``13,exact_answer_first``, ``,first_answer`` (column only), ``#5`` (an index).

    A label wins over an index, as everywhere; a lone word that is no row label
    but is a column label means that column.
    """
    text = text.strip()
    if not text:
        raise BoxError("type a row, a column, or row,column")
    if "," in text:
        for pos in [i for i, ch in enumerate(text) if ch == ","]:
            row_part, col_part = text[:pos].strip(), text[pos + 1 :].strip()
            try:
                row = resolve_endpoint(row_part, matrix.row_labels, "row") if row_part else None
                col = resolve_endpoint(col_part, matrix.col_labels, "column") if col_part else None
            except BoxError as err:
                error = err
                continue
            return row, col
        raise error
    try:
        return resolve_endpoint(text, matrix.row_labels, "row"), None
    except BoxError as row_error:
        if text in matrix.col_labels:
            return None, resolve_endpoint(text, matrix.col_labels, "column")
        raise row_error


class GotoScreen(PromptDialog[Cell]):
    def __init__(self, matrix: HeatMatrix) -> None:
        rows, cols = sanitize(matrix.row_title), sanitize(matrix.col_title)
        super().__init__(
            f"Go to {rows}, {cols} (label or #index; row,column; ,column)",
            "e.g. 13,exact_answer_first",
        )
        self.matrix = matrix

    def parse(self, text: str) -> Cell:
        return parse_goto(text, self.matrix)
