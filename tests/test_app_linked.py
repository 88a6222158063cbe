"""The views linked to the grid: the token text (W) follows the cursor's row and token,
and a click on a token moves the grid's cursor; the head explorer goes from the layer ×
head summary (S) to one head's pattern (Enter) and back (Esc)."""

from __future__ import annotations

import numpy as np
import pytest
from app_helpers import cell_bg, matrix_app, viewer

from tuiheat.app import TuiheatApp
from tuiheat.core.matrix import HeatMatrix
from tuiheat.core.tensor import Tensor, default_spec
from tuiheat.session.config import Source, ViewerConfig
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
    rows = tuple(f"[L{i}]" for i in range(len(values)))  # labels are data, never markup
    app = matrix_app(values, col_labels=TOKENS, row_labels=rows)
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
        assert pane.cursor == 3 and str(pane.border_title).strip() == "Layer [L1]"
        seen = [bg for c, (_, bg, _) in enumerate(cells) if c != 3]
        assert seen == [cell_bg(app, 1, c) for c in range(8) if c != 3]
        assert seen != [cell_bg(app, 0, c) for c in range(8) if c != 3]  # recoloured
        assert [u for _, _, u in cells][3] and sum(u for _, _, u in cells) == 1
        # A click on a token (the second line: the special token) moves the grid's column.
        await pilot.click("#tokens", offset=(3, 2))
        await pilot.pause()
        assert screen.state.cursor.cell == (1, 8)
        assert "<|endoftext|>" in str(screen.chrome.status.render())
        await pilot.press("t")  # transposed: the text is of the layers, for this token
        await pilot.pause()
        assert str(pane.border_title).strip() == "Token <|endoftext|>"
        assert pane.text is not None and pane.text.pieces[1].text == "[L1]"
        await pilot.press("t")
        await pilot.press("W")
        await pilot.pause()
        assert not pane.display and screen.grid.size.height == rows_before
    # Columns without tokens: W says so and shows nothing; a transpose that takes the
    # tokens away hides the text, and one that brings them back shows it again.
    app = matrix_app(values.T, row_labels=TOKENS)
    async with app.run_test(size=(100, 30)) as pilot:
        pane = viewer(app).chrome.tokens
        await pilot.press("W")
        await pilot.pause()
        assert not pane.display
        assert any("No tokens" in str(n.message) for n in app._notifications)
        await pilot.press("t", "W")
        await pilot.pause()
        assert pane.display
        await pilot.press("t")
        await pilot.pause()
        assert not pane.display
        await pilot.press("t")
        await pilot.pause()
        assert pane.display
    # A long text without colour: End and Home jump the cursor's token into view.
    words = tuple(f"Ġw{i}" for i in range(3000))
    matrix = HeatMatrix(np.random.default_rng(2).random((4, 3000)), col_labels=words)
    app = TuiheatApp(ViewerConfig.for_matrix(matrix, color_mode="none", as_text="1"))
    async with app.run_test(size=(80, 24)) as pilot:
        pane = viewer(app).chrome.tokens
        for key, token in (("end", 2999), ("home", 0), ("end", 2999)):
            await pilot.press(key)
            await pilot.pause()
            text = pane.text
            assert app.is_running and pane.cursor == token and text is not None
            y = text.line_of(token) - int(pane.scroll_offset.y)
            assert 0 <= y < pane.scrollable_content_region.height  # on screen
            drawn = "".join(seg.text for seg in pane.render_line(y))
            assert f"w{token}" in drawn


def attention(layers: int = 3, heads: int = 4, n: int = len(TOKENS), seed: int = 0) -> Tensor:
    """Causal softmax patterns [layer, head, query, key] with the tokens on both axes."""
    x = np.random.default_rng(seed).normal(size=(layers, heads, n, n)) * 2
    x = np.where(np.tril(np.ones((n, n))) > 0, x, -np.inf)
    p = np.exp(x - x.max(-1, keepdims=True))
    p = (p / p.sum(-1, keepdims=True)).astype(np.float32)
    return Tensor(p, ("layer", "head", "query", "key"), (None, None, TOKENS, TOKENS), "attn")


async def settle(pilot, screen_role: str, app) -> None:  # type: ignore[no-untyped-def]
    for _ in range(100):  # the summary is computed in a worker
        await pilot.pause(0.02)
        if viewer(app).role == screen_role and not viewer(app).summarising:
            return
    raise AssertionError(f"no {screen_role} screen")


async def test_head_explorer_summary_head_and_back() -> None:
    tensor = attention()
    p = tensor.values.astype(np.float64)
    entropy = -(np.where(p > 0, p * np.log(np.where(p > 0, p, 1)), 0)).sum(-1).mean(-1)
    config = ViewerConfig(sources=(Source(tensor, "attn"),), spec=default_spec(tensor))
    app = TuiheatApp(config)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("S")
        await settle(pilot, "summary", app)
        summary = viewer(app)
        assert summary.matrix.shape == (3, 4) and summary.stat == "entropy"
        assert "Enter head" in str(summary.chrome.hints.render())
        np.testing.assert_allclose(summary.matrix.as_float(), entropy, atol=1e-6)
        # n: down the ranking from the cursor's head; N: up it.
        order = np.argsort(-entropy.ravel(), kind="stable")
        start = int(np.flatnonzero(order == 0)[0])
        await pilot.press("n", "n")
        expected = divmod(int(order[(start + 2) % 12]), 4)
        assert summary.state.cursor.cell == expected
        await pilot.press("N")
        assert summary.state.cursor.cell == divmod(int(order[(start + 1) % 12]), 4)
        layer, head = summary.state.cursor.cell
        # Enter: that head's pattern, the token text on the last query.
        await pilot.press("enter")
        await pilot.pause()
        pattern = viewer(app)
        assert pattern.role == "head" and pattern is not summary
        np.testing.assert_array_equal(pattern.matrix.as_float(), p[layer, head])
        assert pattern.state.cursor.row == len(TOKENS) - 1
        assert pattern.chrome.tokens.display
        assert str(pattern.chrome.tokens.border_title).strip() == "query <|endoftext|>"
        # Esc: back on the summary, the cursor on that head; Esc again: the tensor.
        await pilot.press("escape")
        await pilot.pause()
        assert viewer(app) is summary and summary.state.cursor.cell == (layer, head)
        await pilot.press("S")  # the next statistic, on the same screen
        await settle(pilot, "summary", app)
        assert viewer(app) is summary and summary.stat == "max"
        maxima = p.max(-1).mean(-1)
        np.testing.assert_allclose(summary.matrix.as_float(), maxima, atol=1e-6)
        low, high = summary.vrange.vmin, summary.vrange.vmax  # its own range, not entropy's
        assert (low, high) == pytest.approx((maxima.min(), maxima.max()), abs=1e-6)
        await pilot.press("escape")
        await pilot.pause()
        tensor_view = viewer(app)  # the tensor, on the head the summary's cursor was on
        assert tensor_view.role == "view"
        np.testing.assert_array_equal(tensor_view.matrix.as_float(), p[layer, head])
        await pilot.press("S")  # (max, computed already) the cursor on the tensor's head
        await settle(pilot, "summary", app)
        assert viewer(app).state.cursor.cell == (layer, head)
    # An array without head axes: S says why, and nothing changes.
    app = matrix_app(np.random.default_rng(1).random((5, 7)))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("S")
        await pilot.pause()
        assert viewer(app).role == "view" and len(app.screen_stack) == 1
        assert any("No head summary" in str(n.message) for n in app._notifications)


def lens_app(options):  # type: ignore[no-untyped-def]
    """The viewer of ``options.file``'s logit lens, as the command line opens it."""
    from tuiheat.session.lens import lens_tensor, open_lens

    assert options.file is not None
    lens = open_lens(options, options.file)
    assert lens is not None
    tensor = lens_tensor(lens, options, options.file.rsplit("/", 1)[-1])
    config = ViewerConfig(sources=(Source(tensor, "lens"),), spec=default_spec(tensor), lens=lens)
    return TuiheatApp(config)


async def test_the_lens_table_follows_the_cursor_and_a_token_is_followed(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tuiheat.app.lensscreen import LensScreen
    from tuiheat.session.options import Options

    from conftest import SAMPLES

    name = str(SAMPLES / "lens_topk.npz")
    options = Options(file=name, tokenizer=str(SAMPLES / "lens_tokenizer.json"))
    ids, probs = np.load(name)["topk_ids"], np.load(name)["topk_probs"]
    app = lens_app(options)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = viewer(app)
        table = screen.chrome.topk
        assert isinstance(screen, LensScreen) and table.display
        assert screen.state.annotate  # the top-1 tokens in the cells, ▸ where answers settle
        text = screen.panes.first.cell_text(screen.state.zoom)
        assert text is not None and text[28, 9] == "▸␣Paris" and text[30, 9] == "␣Paris"
        await pilot.press("G", "dollar_sign")  # the last layer, the last position
        await pilot.pause()
        rows = table.rows
        assert rows is not None and rows.caption == "layer 30 · ␣of"
        assert rows.tokens[:2] == ("␣Paris", "␣Mont")
        assert rows.probs == pytest.approx(tuple(probs[-1, -1].tolist()), abs=1e-6)
        await pilot.press("enter")  # follow ␣Paris through every cell
        for _ in range(50):
            await pilot.pause(0.02)
            if screen.tracking is not None:
                break
        paris = int(ids[-1, -1, 0])
        present = (ids == paris).any(-1)
        grid = screen.matrix.as_float()
        np.testing.assert_allclose(grid[present], probs[ids == paris], rtol=1e-6)
        assert np.isnan(grid[~present]).all() and table.rows.tracked == 0
        assert "probability of '␣Paris'" in screen.doc_title
        said = [str(n.message) for n in app._notifications]
        assert any("at ␣of: in the top 10 from layer 27, top-1 from layer 28" in m for m in said)
        assert "Enter follow" in str(screen.chrome.hints.render())
        await pilot.press("g")  # layer 0: not in the top 10 there, and said so
        await pilot.pause()
        bound = probs[0, -1].min()
        assert str(screen.chrome.status.text).endswith(f"│ <{bound:.3g}")  # not NaN, not made up
        await pilot.press("escape")  # back to the top-1 grid
        await pilot.pause()
        np.testing.assert_allclose(screen.matrix.as_float(), probs[..., 0], rtol=1e-6)
        assert screen.tracking is None and table.rows.tracked is None
        await pilot.press("G", "dollar_sign", "p")  # the line view of the position
        chart = screen.chrome.chart
        for _ in range(50):
            await pilot.pause(0.02)
            if "down the layers" in str(chart.render()):
                break
        drawn = str(chart.render())
        assert "top-1 tokens at ␣of, down the layers" in drawn and "␣Paris" in drawn
        await pilot.press("p", "K")
        await pilot.pause()
        assert not table.display
    # --track at the start: the token's grid first, Esc to the top-1 grid.
    app = lens_app(Options(file=name, tokenizer=options.tokenizer, track=" Paris"))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = viewer(app)
        assert screen.tracking == paris and np.isnan(screen.matrix.as_float()).any()
        assert screen.followed_name == "'␣Paris'"  # named for O's rank grid, as Enter names it
        await pilot.press("O")  # a stored top k has no ranks: said, nothing changes
        await pilot.pause()
        assert not screen.by_rank
        await pilot.press("escape")
        await pilot.pause()
        np.testing.assert_allclose(screen.matrix.as_float(), probs[..., 0], rtol=1e-6)
    # A full distribution: the table has logits too, and O shows a followed token's rank.
    logits = np.random.default_rng(5).normal(size=(4, 3, 40)).astype(np.float32) * 3
    np.save(tmp_path / "logits.npy", logits)
    full = str(tmp_path / "logits.npy")
    app = lens_app(Options(file=full, lens=True))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = viewer(app)
        rows = screen.chrome.topk.rows
        assert rows is not None and rows.logits is not None and rows.probs is not None
        top = int(np.argmax(logits[0, 0]))
        assert rows.tokens[0] == str(top) and rows.logits[0] == pytest.approx(logits[0, 0, top])
        await pilot.press("enter")
        for _ in range(50):
            await pilot.pause(0.02)
            if screen.tracking is not None:
                break
        await pilot.press("O")
        await pilot.pause()
        ranks = 1 + (logits > logits[..., top : top + 1]).sum(-1)
        assert screen.by_rank and screen.settings.log and screen.settings.colormap.endswith("_r")
        np.testing.assert_array_equal(screen.matrix.as_float(), ranks)
        await pilot.press("O")
        await pilot.pause()
        assert not screen.by_rank and not screen.settings.log
