"""``--print --as-text ROW``: one row of the matrix on screen as coloured running text of
the column axis's tokens, on the colour scale print mode would draw the heatmap with.

ROW is found as ``--box`` finds rows: a label, ``#N``, or an index (negative from the
end). Any slice of an N-D tensor works (``--axes``, ``--slice``), and every panel of a
comparison or of ``--facet`` is printed in turn.
"""

from __future__ import annotations

import shutil
import sys
from typing import Any

from tuiheat.session.open import Loaded
from tuiheat.session.options import LEAN_BINS, Options, UsageError, lean_mode


def column_tokens(loaded: Loaded) -> tuple[str, ...]:
    """The tokens of the column axis as the file gave them (``Ġthe``, ``##ing``), or a
    usage error when the columns have none."""
    from tuiheat.core.matrix import index_labels

    tensor, spec, matrix = loaded.tensor, loaded.spec, loaded.matrix
    tokens = tensor.labels[spec.cols] if tensor is not None and spec is not None else None
    if not tokens or tuple(tokens) == index_labels(matrix.n_cols):
        raise UsageError(
            f"--as-text: the column axis ({matrix.col_title}) has no tokens; give them with "
            "--labels FILE (one per line, or a JSON list)"
        )
    return tuple(tokens)


def text_row(loaded: Loaded, row: str) -> int:
    """ROW of ``--as-text`` as ``--box`` reads rows: a label first, then an index."""
    from tuiheat.core.boxes import BoxError, resolve_endpoint

    try:
        return resolve_endpoint(row, loaded.matrix.row_labels, "row")
    except BoxError as err:
        raise UsageError(f"--as-text: {err}") from None


def print_text(loaded: Loaded, options: Options, mode: str, vrange: Any = None) -> None:
    """One panel's row as text, fitted to ``--width``, the terminal's width, or 80."""
    from tuiheat.render.printer import PrintOptions, write_lines
    from tuiheat.render.printtext import text_lines
    from tuiheat.session.static import view_range

    assert options.as_text is not None
    tokens = column_tokens(loaded)
    matrix = loaded.matrix
    row = text_row(loaded, options.as_text)
    values = matrix.window(row, row + 1, 0, matrix.n_cols)[0]
    vrange = view_range(loaded, options) if vrange is None else vrange
    mode = lean_mode(mode, options)
    width = options.width or shutil.get_terminal_size((80, 24)).columns
    printing = PrintOptions(
        color=mode,
        width=width,
        colormap=options.colormap or "blues",
        bins=LEAN_BINS if options.lean else 256,
    )
    note = f"{matrix.row_title} {matrix.row_labels[row]}: {matrix.col_title} as text"
    write_lines(text_lines(tokens, values, vrange, printing, loaded.title, note), sys.stdout, mode)


def print_text_panels(panels: list[Loaded], options: Options, mode: str, vrange: Any) -> None:
    """Each panel's row in turn, on one range (an empty line between them)."""
    for i, panel in enumerate(panels):
        if i:
            sys.stdout.write("\n")
        print_text(panel, options, mode, vrange)
