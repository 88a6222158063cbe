"""Every action with its key as typed, grouped by task: one list that the help screen, the
command palette (Ctrl+P) and the key hints all read, taken from the bindings themselves."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.keys import format_key
from textual.screen import Screen

from tuiheat.app.keys import APP_KEYS, SUMMARY_KEYS, VIEWER_KEYS
from tuiheat.app.lensscreen import LENS_KEYS
from tuiheat.app.runsscreen import RUNS_KEYS
from tuiheat.app.screen import ViewerScreen
from tuiheat.app.textlink import tokens_of
from tuiheat.widgets.heatkeys import MOVE_KEYS, VIEW_KEYS

TASKS: dict[str, tuple[str, ...]] = {
    "Move": ("move", "page", "first_row", "last_row", "first_col", "last_col", "peak", "goto"),
    "Boxes": (
        "start_box",
        "keep_box",
        "cancel_box",
        "delete_box",
        "undo_delete",
        "next_box",
        "box_list",
        "save_boxes",
    ),
    "Zoom": ("zoom", "cycle_reducer"),
    "Colour": ("cycle_colormap", "set_range", "toggle_log", "cycle_range_mode"),
    "Display": (
        "cycle_summary",
        "toggle_margins",
        "toggle_chart",
        "toggle_annotations",
        "toggle_peaks",
        "emerge",
        "toggle_half",
        "transpose",
        "toggle_raw_tokens",
    ),
    "Slices, panels and files compared": (
        "step_axis",
        "cycle_axis_reduction",
        "cycle_facet",
        "turn_page",
        "toggle_difference",
        "runs",
        "cycle_runs_view",
    ),
    "Text, heads and the lens": (
        "toggle_text",
        "head_summary",
        "open_head",
        "next_head",
        "toggle_topk",
        "track_top",
        "track",
        "toggle_rank",
        "back",
    ),
    "Files": ("export", "reload", "open_picker", "quit", "help"),
}
NOT_IN_PALETTE = ("move", "page", "back", "help")
HIDDEN = {"no_reduction"}  # a key that only says why it does nothing there


@dataclass(frozen=True)
class Command:
    task: str
    keys: str  # as typed: "[", "+ =", "↑ k"
    description: str
    action: str  # with its arguments: "zoom('out')"
    target: str  # whose action: the heat view's, the viewer screen's or the App's

    @property
    def name(self) -> str:
        return self.action.split("(")[0]


def typed(keys: str) -> str:
    """``left_square_bracket,plus`` -> ``[ +``: keys as the keyboard writes them."""
    names = {"escape": "Esc", "enter": "Enter", "pageup": "PgUp", "pagedown": "PgDn"}
    names |= {"home": "Home", "end": "End", "ctrl+r": "Ctrl+R"}
    return " ".join(names.get(k.strip(), format_key(k.strip())) for k in keys.split(","))


def all_commands() -> list[Command]:
    """In the order of ``TASKS``, then of the bindings."""
    found: list[Command] = []
    seen: set[str] = set()
    lists = (
        (MOVE_KEYS, "view"),
        (VIEW_KEYS, "view"),
        (VIEWER_KEYS, "screen"),
        (SUMMARY_KEYS, "screen"),
        (LENS_KEYS, "screen"),
        (RUNS_KEYS, "screen"),
        (APP_KEYS, "app"),
    )
    for keys, target in lists:
        for binding in keys:
            if isinstance(binding, Binding) and binding.action not in seen | HIDDEN:
                seen.add(binding.action)  # q: the screen's (it warns of boxes not saved)
                name = binding.action.split("(")[0]
                task = next((t for t, names in TASKS.items() if name in names), "Files")
                cmd = Command(task, typed(binding.key), binding.description, binding.action, target)
                found.append(cmd)
    order = list(TASKS)
    return sorted(found, key=lambda c: (order.index(c.task), TASKS[c.task].index(c.name)))


def by_task(commands: list[Command]) -> Iterator[tuple[str, list[Command]]]:
    for task in TASKS:
        shown = [c for c in commands if c.task == task]
        if shown:
            yield task, shown


def help_screen() -> Screen[None]:
    """``?``: every key, grouped by task (imported when asked for, not at start-up)."""
    from tuiheat.screens.help import HelpScreen

    groups = [(t, [(c.keys, c.description) for c in cs]) for t, cs in by_task(all_commands())]
    return HelpScreen(groups, "Click a cell to put the cursor on it. Ctrl+P finds any action.")


def applies(screen: ViewerScreen | None, can_open: bool, command: Command) -> bool:
    """What the palette offers: compare keys with two files or more, slice keys for
    N-D arrays, page keys when the panels have pages, the list with a bundle."""
    if screen is None:
        return command.name in ("open_picker", "quit")
    panes, state, name = screen.panes, screen.state, command.name
    if name == "toggle_difference":
        return len(panes.tensors) > 1
    if name == "runs":
        return len(panes.tensors) > 1 and screen.role != "runs"
    if name == "cycle_runs_view":
        return screen.role == "runs"
    if name in ("step_axis", "cycle_axis_reduction", "cycle_facet"):
        return len(panes.tensors) == 1 and panes.first.tensor.ndim > 2
    if name == "turn_page":
        return screen.heatview.page_size < len(panes.shown)
    if name == "open_picker":
        return can_open
    if name in ("open_head", "next_head"):
        return screen.role == "summary"
    if name in ("toggle_topk", "track_top", "track", "toggle_rank"):
        return screen.config.lens is not None
    if name == "toggle_text":
        return tokens_of(panes.shown[0]) is not None
    if name in ("keep_box", "cancel_box"):
        return state.anchor is not None
    if name == "cycle_reducer":
        return not state.zoom.is_identity
    return name not in NOT_IN_PALETTE


class ViewerCommands(Provider):
    """tuiheat's actions in Textual's command palette, each with its key."""

    def _viewer(self) -> ViewerScreen | None:
        """The screen the palette was opened over, when an array is on it."""
        return self.screen if isinstance(self.screen, ViewerScreen) else None

    def _commands(self) -> list[tuple[str, Command]]:
        screen = self._viewer()
        can_open = screen.can_open if screen is not None else True
        commands = all_commands()
        return [
            (f"{c.description}  ({c.keys})", c) for c in commands if applies(screen, can_open, c)
        ]

    def _run(self, command: Command) -> None:
        screen = self._viewer()
        targets = {"app": self.app, "screen": screen, "view": screen and screen.heatview}
        target = targets[command.target] or self.app
        self.app.call_later(self.app.run_action, command.action, target)

    async def discover(self) -> Hits:
        for text, command in self._commands():
            yield DiscoveryHit(text, partial(self._run, command), help=command.task)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, command in self._commands():
            score = matcher.match(f"{text} {command.task}")
            if score > 0:
                yield Hit(
                    score, matcher.highlight(text), partial(self._run, command), help=command.task
                )
