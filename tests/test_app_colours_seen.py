"""The viewer's cells as seen on screen, read back from the grid (``measure_delta_e.py``
measures every layout; here the seed's first screen at 80×24, in half blocks)."""

from __future__ import annotations

from measure_delta_e import layouts, measure, seed


async def test_the_seed_at_80_by_24_is_faithful_in_256_and_16_colours() -> None:
    half = next(layout for layout in layouts(seed(), seed()) if layout.name == "half blocks")
    (geometry, _, cells, mean, worst), (_, _, _, mean16, worst16) = await measure(half)
    assert "half blocks" in geometry and cells > 400
    assert mean <= 2.0 and worst <= 7.0
    assert mean16 <= 6.5 and worst16 <= 13.5
