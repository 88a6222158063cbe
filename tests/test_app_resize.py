"""A live resize lays the screen out exactly as a fresh start at the new size would, except
for what the user chose (half blocks, margins, the chart)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from app_helpers import matrix_app, screen_lines, seed_app

from tuiheat.app import TuiheatApp
from tuiheat.core import HeatMatrix
from tuiheat.core.tensor import Tensor, default_spec
from tuiheat.session.config import Source, ViewerConfig

RNG = np.random.default_rng(3)
SUMMARY = RNG.random((6, 17))
ATTN = Tensor(RNG.random((3, 12, 10, 10)), names=("layer", "head", "query", "key"))
RUNS = [RNG.random((32, 15)) for _ in range(3)]


def runs_app() -> TuiheatApp:
    others = [Tensor.from_matrix(HeatMatrix(r)) for r in RUNS[1:]]
    names = ["seed0/auc.csv", "seed1/auc.csv", "seed2/auc.csv"]
    return TuiheatApp(ViewerConfig.for_matrix(HeatMatrix(RUNS[0]), compare=others, names=names))


def heads_app() -> TuiheatApp:
    spec = default_spec(ATTN)
    return TuiheatApp(ViewerConfig(sources=(Source(ATTN, "attn.npy"),), spec=spec, facet=1))


APPS: dict[str, Callable[[], TuiheatApp]] = {
    "seed": seed_app,
    "summary": lambda: matrix_app(SUMMARY),
    "runs": runs_app,
    "heads": heads_app,
}


async def screen_after(
    make: Callable[[], TuiheatApp], sizes: list[tuple[int, int]], keys: tuple[str, ...] = ()
) -> list[str]:
    app = make()
    async with app.run_test(size=sizes[0]) as pilot:
        await pilot.pause()
        await pilot.press(*keys)
        for size in sizes[1:]:
            await pilot.resize_terminal(*size)
            await pilot.pause()
        await pilot.pause()
        return screen_lines(app)


CHAINS = [
    [(200, 60), (80, 24)],
    [(80, 24), (200, 60)],
    [(120, 40), (30, 8), (120, 40)],
]


@pytest.mark.parametrize("name", list(APPS))
@pytest.mark.parametrize("chain", CHAINS, ids=lambda c: "→".join(f"{w}x{h}" for w, h in c))
async def test_a_resize_lays_out_as_a_fresh_start(name: str, chain: list[tuple[int, int]]) -> None:
    resized = await screen_after(APPS[name], chain)
    fresh = await screen_after(APPS[name], chain[-1:])
    assert resized == fresh


async def test_half_blocks_chosen_with_h_survive_a_resize() -> None:
    """At 200x60 the seed has full cells; H asks for half blocks, which a resize keeps,
    while what tuiheat decided (margins, labels, cell width) follows the new size."""
    resized = await screen_after(seed_app, [(200, 60), (80, 24), (160, 50)], ("H",))
    fresh = await screen_after(seed_app, [(160, 50)], ("H",))
    assert resized == fresh
    assert "half blocks" not in resized[0]  # chosen by the user: the title does not say it


async def test_the_chart_comes_back_when_there_is_room_again() -> None:
    resized = await screen_after(seed_app, [(120, 40), (30, 8), (120, 40)], ("p",))
    fresh = await screen_after(seed_app, [(120, 40)], ("p",))
    assert resized == fresh
    assert any("┌" in line and "┐" in line for line in resized)  # the chart's frame
