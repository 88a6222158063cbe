"""The logit lens's table beside the grid: the cursor's cell's top k, rank, token and
probability (and logit, when the lens has them), the tracked token marked. The screen hands
it rows; it never reads the lens. An unchanged table is not drawn again."""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual.widgets import Static

WIDTH = 30  # columns, its left edge included


@dataclass(frozen=True)
class TopKRows:
    """What the table shows: a caption (the cell), and per rank a token as the viewer
    writes it (``␣Paris``) with its probability and/or logit."""

    caption: str
    tokens: tuple[str, ...]
    probs: tuple[float, ...] | None
    logits: tuple[float, ...] | None
    tracked: int | None = None  # the row of the token being tracked, if it is one


class TopKTable(Static):
    DEFAULT_CSS = """
    TopKTable {
        width: 30;
        height: 1fr;
        border-left: vkey $panel-lighten-2;
        padding: 0 0 0 1;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self.rows: TopKRows | None = None

    def show(self, rows: TopKRows) -> None:
        if rows != self.rows:
            self.rows = rows
            self.update(table_text(rows, WIDTH - 2), layout=False)  # its size is fixed


def table_text(rows: TopKRows, width: int) -> Text:
    """One line per rank: ``  1 ␣Paris        0.702`` (the number right-aligned, the token
    cut with … to the room left); the tracked token's line in reverse."""
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(set_cell_size(rows.caption, width) + "\n", style="bold")
    for rank, token in enumerate(rows.tokens):
        number = " ".join(
            _number(values[rank], prob)
            for values, prob in ((rows.probs, True), (rows.logits, False))
            if values is not None
        )
        room = max(1, width - 4 - len(number) - 1)
        shown = token if cell_len(token) <= room else set_cell_size(token, room - 1) + "…"
        line = f"{rank + 1:>3} {set_cell_size(shown, room)} {number}"
        style = "reverse" if rank == rows.tracked else ""
        text.append(line + ("\n" if rank + 1 < len(rows.tokens) else ""), style=style)
    return text


def _number(value: float, prob: bool) -> str:
    if value != value:  # NaN
        return "NaN"
    if prob:
        return f"{value:.3f}" if value >= 0.001 or value == 0 else f"{value:.0e}"
    return f"{value:.2f}"
