"""The head explorer's screens, each a ``ViewerScreen`` with everything the viewer has:
the layer × head summary (``S`` over a tensor; ``Enter`` a head, ``n``/``N`` the ranking,
``S`` the next statistic) and one head's query × key pattern (the token text on its last
query). They stack over the tensor's screen; ``Esc`` pops back to a screen that kept its
cursor. The model they share is ``heads.HeadLink``."""

from __future__ import annotations

from dataclasses import replace

from tuiheat.app.heads import HeadLink, next_stat, ranked_step
from tuiheat.app.keys import SUMMARY_KEYS
from tuiheat.app.reactions import AFTER_NEW_DATA
from tuiheat.app.screen import ViewerScreen
from tuiheat.core.colourscale import ScaleSettings
from tuiheat.core.scale import ValueRange
from tuiheat.session.config import ViewerConfig


def summary_screen(
    link: HeadLink, stat: str, colormap: str, at: tuple[int, int] | None = None
) -> SummaryScreen:
    """``at``: the head the cursor starts on (the one the tensor's screen shows)."""
    config = link.summary_config(stat)
    return SummaryScreen(config, replace(config.scale(), colormap=colormap), link, at)


class SummaryScreen(ViewerScreen):
    """One statistic per head of ``link``'s tensor, coloured over its own range."""

    BINDINGS = SUMMARY_KEYS
    role = "summary"

    def __init__(
        self,
        config: ViewerConfig,
        settings: ScaleSettings,
        link: HeadLink,
        at: tuple[int, int] | None = None,
    ) -> None:
        super().__init__(config, settings, False, heads=link)
        self.stat = config.sources[0].name
        self.at = at

    @property
    def link(self) -> HeadLink:
        assert self.heads is not None
        return self.heads

    def on_mount(self) -> None:
        super().on_mount()
        self.heatview.passed = frozenset({"next_box"})  # n, N: the next head by value
        if self.at is not None:
            self.heatview.state = self.state.at(*self.at)

    def action_head_summary(self, stat: str | None = None) -> None:
        """S again: the next statistic, on this screen."""
        super().action_head_summary(stat or next_stat(self.stat))

    def show_summary(self, link: HeadLink, stat: str) -> None:
        """Another statistic: its grid and its own range here, the cursor kept."""
        link.last = stat
        self.stat, self.config = stat, link.summary_config(stat)
        tensor = self.config.sources[0].tensor
        self.heatview.show(panes=self.panes.reloaded([tensor]))
        if tensor.vmin is not None and tensor.vmax is not None:  # in its own units
            own = ValueRange(tensor.vmin, tensor.vmax)
            self.settings = replace(self.settings, base=own, auto=False, typed=False)
        self.rescale()
        self.run_steps(AFTER_NEW_DATA)

    def action_open_head(self) -> None:
        """Enter: the head's query × key pattern, with the token text."""
        layer, _, head, _ = self.state.cursor_block()
        config = self.link.head_config(layer, head)
        settings = replace(config.scale(), colormap=self.settings.colormap)
        self.app.push_screen(HeadScreen(config, settings, self.link))

    def action_next_head(self, direction: int) -> None:
        """n / N: the next head down (up) the ranking of the statistic."""
        view = self.view
        values = view.window(0, view.n_rows, 0, view.n_cols)
        row, col = ranked_step(values, self.state.cursor.cell, direction)
        self.heatview.state = self.state.at(row, col)

    def go_back(self) -> None:
        """Esc: the tensor, showing the head under the cursor (when it shows one head)."""
        below = self.app.screen_stack[-2]
        if isinstance(below, ViewerScreen):
            layer, _, head, _ = self.state.cursor_block()
            below.show_head(layer, head)
        self.app.pop_screen()


class HeadScreen(ViewerScreen):
    """One head's pattern; S or Esc: back to the summary, its cursor on this head."""

    role = "head"

    def __init__(self, config: ViewerConfig, settings: ScaleSettings, link: HeadLink) -> None:
        super().__init__(config, settings, False, heads=link)

    def action_head_summary(self, stat: str | None = None) -> None:
        self.app.pop_screen()

    def go_back(self) -> None:
        self.app.pop_screen()
