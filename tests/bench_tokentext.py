"""Benchmark of the token text (W / --as-text): a [24, 32768] probe grid whose columns are
32,768 short tokens. Prints figures; asserts nothing (run it, read it):

    python tests/bench_tokentext.py [--size 240x100] [--runs 5]

- layout: wrapping 32,768 tokens to the pane's width (done on open and on a resize);
- recolour: a row step with the text on screen (~2,000 tokens visible at 240x100): the
  pane's new row and every visible line drawn, as the screen does after ``down``;
- cursor step: ``right`` within the row (two lines drawn again);
- open: the viewer composed with the text on (first frame, in process).
Targets (issue 26): 32,768 tokens open at once; a recolour <= 16 ms for 2,000 tokens.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

import numpy as np
from textual.geometry import Region

sys.path.insert(0, str(Path(__file__).resolve().parent))

from app_helpers import viewer

from tuiheat.app import TuiheatApp
from tuiheat.core.matrix import HeatMatrix
from tuiheat.core.tokentext import TokenText, token_piece
from tuiheat.session.config import ViewerConfig

N_TOKENS = 32768


def tokens(n: int = N_TOKENS, seed: int = 0) -> tuple[str, ...]:
    """GPT-2-like pieces, mostly short words with a space mark, some newlines."""
    rng = np.random.default_rng(seed)
    words = ["Ġthe", "Ġof", "Ġa", "Ġis", "ing", "Ġto", ".", ",", "Ġin", "ed", "Ġit", "Ċ"]
    weights = np.array([9, 6, 6, 5, 4, 5, 3, 3, 4, 3, 3, 0.3])
    picks = rng.choice(len(words), size=n, p=weights / weights.sum())
    return tuple(words[i] for i in picks)


def probe_grid(toks: tuple[str, ...]) -> HeatMatrix:
    values = np.random.default_rng(1).uniform(0.4, 1.0, size=(24, len(toks))).astype(np.float32)
    return HeatMatrix(values, col_labels=toks)


def ms(seconds: list[float]) -> str:
    return f"{1000 * statistics.median(seconds):.1f} ms (median of {len(seconds)})"


async def in_viewer(matrix: HeatMatrix, size: tuple[int, int], runs: int) -> None:
    config = ViewerConfig.for_matrix(matrix, as_text="0")
    app = TuiheatApp(config)
    started = time.perf_counter()
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        print(
            f"open with the text on (in process, to first idle): {time.perf_counter() - started:.2f} s"
        )
        screen = viewer(app)
        pane = screen.chrome.tokens
        region = Region(0, 0, pane.size.width, pane.size.height)
        shown = pane.text
        assert shown is not None
        top = int(pane.scroll_offset.y)
        last = min(shown.lines, top + pane.size.height)
        end = shown.line_starts[last] if last < shown.lines else len(shown.pieces)
        print(f"tokens on screen: {end - shown.line_starts[top]} on {pane.size.height} lines")
        recolour, step = [], []
        for i in range(runs):
            t0 = time.perf_counter()
            screen.heatview.state = screen.state.moved(1 if i % 2 == 0 else -1, 0)
            pane.render_lines(region)
            recolour.append(time.perf_counter() - t0)
            await pilot.pause()
            t0 = time.perf_counter()
            screen.heatview.state = screen.state.moved(0, 1)
            pane.render_lines(region)
            step.append(time.perf_counter() - t0)
            await pilot.pause()
        print(f"row step, the text recoloured (state change + every visible line): {ms(recolour)}")
        print(f"token step within the row (state change + visible lines): {ms(step)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="240x100")
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    width, height = (int(n) for n in args.size.split("x"))
    toks = tokens()
    unique = tuple(("Ġ" if i % 3 else "") + f"w{i}" for i in range(N_TOKENS))
    for name, each in (("repeated (12 kinds)", toks), ("unique", unique)):
        layouts = []
        for _ in range(5):
            token_piece.cache_clear()  # as a new file would: every token read afresh
            t0 = time.perf_counter()
            TokenText.of(each, width - 1)
            layouts.append(time.perf_counter() - t0)
        print(f"layout of {len(each)} {name} tokens at {width - 1} columns: {ms(layouts)}")
    asyncio.run(in_viewer(probe_grid(toks), (width, height), args.runs))


if __name__ == "__main__":
    main()
