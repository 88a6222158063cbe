"""The views linked to the grid: the token text (W) follows the cursor's row and token,
and a click on a token moves the grid's cursor."""

from __future__ import annotations

import numpy as np
from app_helpers import cell_bg, matrix_app, viewer

from tuiheat.widgets.tokenpane import TokenPane

TOKENS = ("The", "Ġcapital", "Ġof", "ĠFrance", "Ġis", "ĠParis", ".", "Ċ", "<|endoftext|>")


def pane_cells(pane: TokenPane) -> list[tuple[str, str | None, bool]]:
    """(text, background hex, underlined) of each token drawn on the pane's first line."""
    strip = pane.render_line(0)
    out = []
    for seg in strip:
        if seg.text.strip() and seg.style is not None and seg.style.bgcolor is not None:
            bg = seg.style.bgcolor.triplet.hex  # type: ignore[union-attr]
            out.append((seg.text, bg, bool(seg.style.underline)))
    return out


async def test_token_text_follows_the_grid_and_moves_it() -> None:
    values = np.random.default_rng(3).random((80, len(TOKENS)))
    app = matrix_app(values, col_labels=TOKENS)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = viewer(app)
        pane = screen.chrome.tokens
        rows_before = screen.grid.size.height
        assert not pane.display
        await pilot.press("W")
        await pilot.pause()
        assert pane.display and screen.grid.size.height < rows_before  # the grid made room
        cells = pane_cells(pane)
        words = "".join(text for text, _, _ in cells)
        assert words == "Thecapitalof" + "FranceisParis.↵"  # spaces lie between tokens
        # Each token is on its cell's colour in the cursor's row; the cursor's is underlined.
        # (the grid draws its cursor's cell in the cursor's colour: compared elsewhere)
        assert [bg for _, bg, _ in cells][1:] == [cell_bg(app, 0, c) for c in range(1, 8)]
        assert [u for _, _, u in cells] == [True] + [False] * 7
        await pilot.press("right", "right", "right", "down")
        await pilot.pause()
        cells = pane_cells(pane)
        assert pane.cursor == 3 and str(pane.border_title).strip() == "Layer 1"
        seen = [bg for c, (_, bg, _) in enumerate(cells) if c != 3]
        assert seen == [cell_bg(app, 1, c) for c in range(8) if c != 3]
        assert seen != [cell_bg(app, 0, c) for c in range(8) if c != 3]  # recoloured
        assert [u for _, _, u in cells][3] and sum(u for _, _, u in cells) == 1
        # A click on a token (the second line: the special token) moves the grid's column.
        await pilot.click("#tokens", offset=(3, 2))
        await pilot.pause()
        assert screen.state.cursor.cell == (1, 8)
        assert "<|endoftext|>" in str(screen.chrome.status.render())
        await pilot.press("W")
        await pilot.pause()
        assert not pane.display and screen.grid.size.height == rows_before
    # Columns without tokens: W says so and shows nothing.
    app = matrix_app(values)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("W")
        await pilot.pause()
        assert not viewer(app).chrome.tokens.display
        assert any("No tokens" in str(n.message) for n in app._notifications)
