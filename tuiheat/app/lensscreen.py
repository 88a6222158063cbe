"""The logit lens's screen: a ``ViewerScreen`` of the top-1 grid with, beside it, the top k of
the cursor's cell (``K`` hides or shows it), following every cursor step. ``Enter`` follows
the cursor's top-1 token through every cell (``1``–``9``: the n-th of the table), colouring
the grid by its probability; ``Esc`` goes back to the top-1 grid. The lens itself is
``session.lens.LensFile`` (read once; a token's pass is made once)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from rich.text import Text
from textual import on
from textual.binding import Binding, BindingType

from tuiheat.app.messages import TokenFollowed
from tuiheat.app.reactions import AFTER_NEW_DATA
from tuiheat.app.screen import ViewerScreen
from tuiheat.core.labels import readable_token, sanitize
from tuiheat.core.lens import ever_top1
from tuiheat.core.scale import ValueRange
from tuiheat.core.tensor import Tensor
from tuiheat.session.lens import (
    LensFile,
    rank_tensor,
    shown,
    told_apart,
    top1_tensor,
    tracked_tensor,
)
from tuiheat.widgets.topktable import WIDTH, TopKRows

TABLE_ROWS = 10
MIN_WIDTH = 60  # columns: a narrower terminal gives the grid every column
LENS_KEYS: list[BindingType] = [
    Binding("K", "toggle_topk", "Lens: the top k of the cursor's cell, beside the grid"),
    Binding("enter", "track_top", "Lens: colour every cell by the cursor's top-1 token"),
    *(
        Binding(str(n), f"track({n - 1})", f"Lens: follow the table's token {n}", show=False)
        for n in range(1, 10)
    ),
    Binding("O", "toggle_rank", "Lens: a followed token's rank, log scale (full distribution)"),
]


class LensScreen(ViewerScreen):
    BINDINGS = LENS_KEYS
    role = "lens"

    def on_mount(self) -> None:
        super().on_mount()
        lens = self.lens
        self.tracking: object | None = lens.followed  # the token followed (--track), if one is
        self.by_rank = False  # O: the followed token's rank instead of its probability
        self.followed_name = lens.followed_name
        self.top1 = top1_tensor(lens, lens.title)  # the grid to come back to (made once)
        self.chrome.topk.display = self.terminal.width >= MIN_WIDTH
        if self.tracking is None and not self.state.annotate:  # tokens in the cells
            self.decide(self.state.toggled("annotate"))
        self.chrome.chart.lines_for = self._lines  # p: the tokens down the layers
        self.lay_out()
        self.follow_text()

    @property
    def lens(self) -> LensFile:
        assert self.config.lens is not None
        return self.config.lens  # type: ignore[no-any-return]

    def _cell(self) -> tuple[int, int]:
        """The lens's (layer, position) under the cursor (the grid may be transposed)."""
        r0, _, c0, _ = self.state.cursor_block()
        return (r0, c0) if self.state.spec.rows == 0 else (c0, r0)

    def follow_text(self) -> None:
        """The token text, and the table of the cursor's cell (a step reads one cell)."""
        super().follow_text()
        if not self.chrome.topk.display:
            return
        layer, pos = self._cell()
        cell = self.lens.lens.cell(layer, pos, TABLE_ROWS)
        keys = cell.keys.tolist()
        where = self.lens.positions[pos] if self.lens.positions else str(pos)
        caption = f"layer {layer} · {sanitize(readable_token(where))}"
        rows = TopKRows(
            caption,
            told_apart(cell.tokens, keys),
            None if cell.probs is None else tuple(cell.probs.tolist()),
            None if cell.logits is None else tuple(cell.logits.tolist()),
            keys.index(self.tracking) if self.tracking in keys else None,
        )
        self.chrome.topk.show(rows)

    def readout(self) -> None:
        """A followed token out of a stored top k: its probability is below the cell's
        k-th (``<0.009``), not a number made up."""
        super().readout()
        if self.tracking is None or not hasattr(self.lens.lens, "k"):
            return
        layer, pos = self._cell()
        tracked = self.lens.track(self.tracking)
        if not tracked.present[layer, pos] and tracked.bound is not None:
            # In the value's own place (the status line is as wide as the widest value).
            plain = self.chrome.status.text.plain
            head = plain[: len(plain) - 3] if plain.endswith("NaN") else plain + " "
            bound = f"<{tracked.bound[layer, pos]:.3g}"
            self.chrome.status.show(Text.assemble(head, (bound, "bold")))

    def _lines(self, row: int, col: int) -> tuple[str, tuple[str, ...], list]:  # type: ignore[type-arg]
        """The line view at the cursor's position: the probability down the layers of the
        final top-1 and of every token top-1 there in some layer."""
        _, pos = self._cell()
        lens = self.lens
        keys = ever_top1(lens.top1()[0], pos)
        values = lens.lens.series(pos, keys)
        names = [sanitize(readable_token(t)) for t in lens.lens.names(np.asarray(keys))]
        where = lens.positions[pos] if lens.positions else str(pos)
        title = f"top-1 tokens at {sanitize(readable_token(where))}, down the layers"
        layers = tuple(str(i) for i in range(lens.lens.shape[0]))
        return title, layers, [(n, values[:, j]) for j, n in enumerate(names)]

    def action_toggle_topk(self) -> None:
        topk = self.chrome.topk
        if not topk.display and self.terminal.width < MIN_WIDTH + WIDTH // 2:
            self.notify("The terminal is too narrow for the table.", timeout=3, markup=False)
            return
        topk.display = not topk.display
        self.lay_out()
        self.follow_text()

    def action_track_top(self) -> None:
        self.action_track(0)

    def action_track(self, rank: int) -> None:
        """Follow the table's ``rank``-th token of the cursor's cell through every cell."""
        layer, pos = self._cell()
        cell = self.lens.lens.cell(layer, pos, TABLE_ROWS)
        if rank >= len(cell.tokens):
            self.app.bell()
            return
        key, token = cell.keys.tolist()[rank], cell.tokens[rank]
        lens, name = self.lens, shown(token)
        self.show_info(f"following {shown(token)} …")

        def work() -> None:
            self.post_message(TokenFollowed(key, name, tracked_tensor(lens, key, name, lens.title)))

        self.run_worker(work, thread=True, exclusive=True, group="track")

    @on(TokenFollowed)
    def _followed(self, message: TokenFollowed) -> None:
        self.tracking, self.by_rank = message.key, False
        self.followed_name = message.name
        self._show_grid(message.tensor)
        said = f"{self.followed_name} at {self._where()} (Esc: the top-1 grid)"
        self.notify(said, timeout=6, markup=False)

    def _where(self) -> str:
        """Where the followed token enters the top k and becomes top-1 at the cursor's
        position."""
        _, pos = self._cell()
        ranks = self.lens.track(self.tracking).ranks[:, pos]
        k = getattr(self.lens.lens, "k", None) or TABLE_ROWS
        within = np.flatnonzero((ranks > 0) & (ranks <= k))
        top = np.flatnonzero(ranks == 1)
        where = self.lens.positions[pos] if self.lens.positions else str(pos)
        a = f"in the top {k} from layer {within[0]}" if within.size else f"never in the top {k}"
        b = f"top-1 from layer {top[0]}" if top.size else "never top-1"
        return f"{sanitize(readable_token(where))}: {a}, {b}"

    def go_back(self) -> None:
        """Esc: from a followed token back to the top-1 grid."""
        if self.tracking is not None:
            self.tracking, self.by_rank = None, False
            self._show_grid(self.top1)

    def action_toggle_rank(self) -> None:
        """O: the followed token's rank at every cell (1, the top-1, darkest; log scale),
        or back to its probability. A stored top k has no ranks beyond its k."""
        lens = self.lens
        if self.tracking is None or hasattr(lens.lens, "k"):
            said = (
                "Follow a token first (Enter)."
                if self.tracking is None
                else ("Ranks need the full distribution (--lens): a stored top k has only its k.")
            )
            self.notify(said, severity="warning", timeout=4, markup=False)
            return
        self.by_rank = not self.by_rank
        title, name = lens.title, self.followed_name
        make = rank_tensor if self.by_rank else tracked_tensor
        self._show_grid(make(lens, self.tracking, name, title))

    def _show_grid(self, tensor: Tensor) -> None:
        """Another grid of the lens, on its own range (ranks: log scale, 1 darkest)."""
        self.config = replace(self.config, title=tensor.title)
        self.heatview.show(panes=self.panes.reloaded([tensor]))
        if tensor.vmin is not None and tensor.vmax is not None:
            own = ValueRange(tensor.vmin, tensor.vmax)
            colormap = self.settings.colormap.removesuffix("_r") + ("_r" if self.by_rank else "")
            self.settings = replace(
                self.settings,
                base=own,
                auto=False,
                typed=False,
                log=self.by_rank,
                colormap=colormap,
            )
        self.rescale()
        self.run_steps(AFTER_NEW_DATA)
