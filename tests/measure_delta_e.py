"""How faithful the viewer's cells are in 256 and 16 colours, as drawn on screen (run on demand).

    python tests/measure_delta_e.py

Runs the real viewer (a Pilot app) on the seed sample (Blues 0.5–1.0) and on a smooth
gradient over the same range, in each layout: full cells, half blocks (``▀``), zoomed
out (``z`` on a bigger matrix), facets of a 3-D array (full cells and half blocks). It
reads the painted characters and their colours back from every grid and averages each
matrix cell as the eye does: per character the glyph's coverage (``░`` a quarter of
the foreground, ``▒`` a half, ``▀`` the upper half, ...) in linear light, then over the
characters of the cell. The same layout drawn in truecolor gives each cell's true
colour. Printed: OKLab ΔE (×100) mean / max over the cells, per layout and colour mode
(the cursor's characters, a marker, are left out).
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from colour_helpers import delta_e, seen_halves

from tuiheat.app import TuiheatApp
from tuiheat.core.matrix import HeatMatrix
from tuiheat.core.scale import ValueRange
from tuiheat.core.tensor import Tensor, default_spec
from tuiheat.loaders import load
from tuiheat.render.gridview import DisplaySettings
from tuiheat.session.config import Source, ViewerConfig
from tuiheat.widgets.heatgrid import HeatGrid

SEED = Path(__file__).resolve().parents[1] / "samples" / "seed_probe_auc.csv"
AUC = ValueRange(0.5, 1.0)


@dataclass(frozen=True)
class Layout:
    name: str
    tensor: Tensor
    size: tuple[int, int]
    facet: int | None = None
    keys: tuple[str, ...] = ()


def seed() -> np.ndarray:
    return load(str(SEED)).as_float()


def gradient(rows: int, cols: int) -> np.ndarray:
    """0.5 to 1.0 smoothly along the rows, then across: every colour of the scale."""
    return 0.5 + 0.5 * np.linspace(0.0, 1.0, rows * cols).reshape(rows, cols)


def stacked(m: np.ndarray, n: int) -> np.ndarray:
    """``n`` panels of one matrix, each a little lighter (for facets)."""
    return np.stack([0.5 + (m - 0.5) * (1.0 - 0.15 * k) for k in range(n)])


def layouts(data: np.ndarray, big: np.ndarray) -> list[Layout]:
    t = Tensor.from_matrix(HeatMatrix(data))
    return [
        Layout("full cells", t, (110, 48)),
        Layout("half blocks", t, (80, 24)),
        Layout("taller rows", t, (200, 60)),
        Layout("zoomed out", Tensor.from_matrix(HeatMatrix(big)), (80, 24), keys=("z",)),
        Layout("facets", Tensor(stacked(data, 4)), (120, 48), facet=0),
        Layout("facets, half blocks", Tensor(stacked(data, 4)), (80, 24), facet=0),
    ]


def app_for(layout: Layout, mode: str) -> TuiheatApp:
    spec = default_spec(layout.tensor)
    return TuiheatApp(
        ViewerConfig(
            sources=(Source(layout.tensor, "m"),),
            spec=spec,
            facet=layout.facet,
            vrange=AUC,
            display=DisplaySettings(mode),
        )
    )


def cell_colours(grid: HeatGrid) -> Iterator[tuple[tuple[int, int], np.ndarray]]:
    """(row, column) -> the linear-light colour the eye sees, for every cell on screen
    but the cursor's (in half blocks its characters carry the cell over or under it too,
    in its closest single colour: a character has two colours). A cell is averaged over
    every half line it covers: rows may be a half line (half blocks), a line, or more."""
    lay, rows = grid.grid_layout, grid.row_lines
    w = lay.cell_width
    cursor = grid.state.cursor.cell
    n_cols = min(grid.visible_cols, grid.matrix.n_cols - grid.left_col)
    sums: dict[tuple[int, int], list[np.ndarray]] = {}
    for y in range(lay.header_height, grid.footer_y):
        line = seen_halves(list(grid.render_line(y)))
        for half, row in enumerate(rows.rows_at(grid.top_line + y - lay.header_height)):
            if row >= grid.matrix.n_rows:
                continue
            for k in range(n_cols):
                col = grid.left_col + k
                if (row, col) == cursor or (
                    col == cursor[1]
                    and cursor[0] in rows.rows_at(grid.top_line + y - lay.header_height)
                ):
                    continue
                x0 = lay.gutter + k * w
                sums.setdefault((row, col), []).append(line[x0 : x0 + w, half].mean(axis=0))
    for cell, seen in sums.items():
        yield cell, np.mean(seen, axis=0)


async def drawn(layout: Layout, mode: str) -> tuple[dict[tuple[int, int, int], np.ndarray], str]:
    """Every cell's seen colour, keyed by (panel, row, column), and the geometry in words."""
    app = app_for(layout, mode)
    async with app.run_test(size=layout.size) as pilot:
        await pilot.pause()
        for key in layout.keys:
            await pilot.press(key)
            await pilot.pause(0.3)
        await pilot.pause()
        grids = [g for g in app.query(HeatGrid) if g.display]
        seen = {
            (p, row, col): colour
            for p, grid in enumerate(grids)
            for (row, col), colour in cell_colours(grid)
        }
        g = grids[0]
        geometry = (
            (f"{len(grids)}×" if len(grids) > 1 else "")
            + f"cells {g.grid_layout.cell_width} wide"
            + {1: ", half blocks", 2: ""}.get(g.row_lines.p, f", rows {g.row_lines.p / 2:g} lines")
        )
    return seen, geometry


async def measure(layout: Layout) -> list[tuple[str, str, int, float, float]]:
    truth, geometry = await drawn(layout, "truecolor")
    rows = []
    for mode in ("256", "16"):
        seen, other = await drawn(layout, mode)
        assert other == geometry, (layout.name, other, geometry)
        keys = sorted(set(truth) & set(seen))
        error = delta_e(np.array([seen[k] for k in keys]), np.array([truth[k] for k in keys]))
        rows.append((geometry, mode, len(keys), float(error.mean()), float(error.max())))
    return rows


async def main() -> None:
    data = {
        "seed (Blues 0.5–1.0)": (seed(), np.kron(seed(), np.ones((8, 8)))),
        "gradient 0.5–1.0": (gradient(24, 20), gradient(400, 300)),
    }
    print("OKLab ΔE×100 per cell as seen: mean / max (cells measured)\n")
    print("| data | layout | drawn as | 256 colours | 16 colours |")
    print("|---|---|---|---|---|")
    for name, (small, big) in data.items():
        for layout in layouts(small, big):
            (geometry, _, n, m256, x256), (_, _, _, m16, x16) = await measure(layout)
            print(
                f"| {name} | {layout.name} | {geometry} | {m256:.2f} / {x256:.2f} ({n}) "
                f"| {m16:.2f} / {x16:.2f} |",
                flush=True,
            )


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
