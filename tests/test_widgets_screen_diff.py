"""The terminal model and its encoder: only changed cells written, the picture unchanged."""

from __future__ import annotations

import contextvars
from types import SimpleNamespace

import pyte
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.color import ColorSystem
from rich.console import Console
from rich.control import Control
from rich.segment import Segment
from rich.style import Style
from textual._compositor import ChopsUpdate, LayoutUpdate
from textual._context import active_app
from textual.geometry import Region, Size
from textual.strip import Strip

from tuiheat.widgets import partial_update
from tuiheat.widgets.screen_diff import (
    DEFAULT_SGR,
    Encoder,
    TerminalModel,
    changed_runs,
    cursor_move,
    segment_cells,
    sgr_change,
    split_sgr,
)

TRUE = ColorSystem.TRUECOLOR
STYLES = [
    None,
    Style(color="#ff0000", bgcolor="#000010"),
    Style(color="#00ff00", bgcolor="#000010"),
    Style(color="#00ff00", bgcolor="#203040", bold=True),
    Style(color="#ffffff", bgcolor="#203040", italic=True, underline=True),
    Style(bgcolor="#405060"),
    Style(color="color(3)", bgcolor="color(200)"),
    Style(reverse=True),
]


def screen_of(width: int, height: int, *writes: str) -> list[list[tuple]]:
    """What a terminal shows after the writes: character, colours and attributes per cell."""
    screen = pyte.Screen(width, height)
    stream = pyte.Stream(screen)
    for data in writes:
        stream.feed(data)
    return [
        [
            (c.data, c.fg, c.bg, c.bold, c.italics, c.underscore, c.reverse)
            for c in (screen.buffer[y][x] for x in range(width))
        ]
        for y in range(height)
    ]


def textual_way(pieces: list[tuple[int, int, list[Segment]]]) -> str:
    """How Textual writes pieces: a move, then every segment with its full style and a reset."""
    console = Console(color_system="truecolor")
    return "".join(
        Control.move_to(x, y).segment.text + Strip(segments).render(console)
        for x, y, segments in pieces
    )


def test_sgr_codes_split_into_attributes_and_colours() -> None:
    assert split_sgr("1;3;38;2;1;2;3;48;5;17")[:3] == (
        frozenset({"1", "3"}),
        "38;2;1;2;3",
        "48;5;17",
    )
    assert split_sgr("31;100")[:3] == (frozenset(), "31", "100")
    assert split_sgr("39;49")[:3] == DEFAULT_SGR[:3]
    odd = split_sgr("38;9;1")  # a colour form it does not know: never mistaken for another
    assert odd[0] == frozenset({"raw:38;9;1"})


def test_sgr_change_sends_only_what_differs() -> None:
    red_on_blue = split_sgr("38;2;255;0;0;48;2;0;0;255")
    green_on_blue = split_sgr("38;2;0;255;0;48;2;0;0;255")
    bold_green_on_blue = split_sgr("1;38;2;0;255;0;48;2;0;0;255")
    assert sgr_change(red_on_blue, red_on_blue) == ""
    assert sgr_change(red_on_blue, green_on_blue) == "\x1b[38;2;0;255;0m"
    assert sgr_change(green_on_blue, bold_green_on_blue) == "\x1b[1m"
    assert sgr_change(bold_green_on_blue, green_on_blue) == "\x1b[22m"
    bold_dim = split_sgr("1;2;7;38;2;1;2;3")
    assert sgr_change(bold_dim, split_sgr("2;38;2;1;2;3")) == "\x1b[22;27;2m"  # 22 ends both
    assert sgr_change(green_on_blue, split_sgr("48;2;0;0;255")) == "\x1b[39m"
    assert sgr_change(green_on_blue, DEFAULT_SGR) == "\x1b[0m"
    assert sgr_change(None, DEFAULT_SGR) == "\x1b[0m"  # unknown state: reset


def test_cursor_moves_are_short_and_never_guess() -> None:
    assert cursor_move(None, 4, 2) == "\x1b[3;5H"
    assert cursor_move(None, 0, 2) == "\x1b[3H"
    assert cursor_move((4, 2, True), 4, 2) == ""
    assert cursor_move((4, 2, True), 5, 2) == "\x1b[C"
    assert cursor_move((4, 2, False), 40, 2) == "\x1b[36C"
    assert cursor_move((4, 20, True), 0, 21) == "\x1b[B\r"
    assert cursor_move((40, 2, True), 41, 3) == "\x1b[B\x1b[C"
    assert cursor_move((40, 20, False), 41, 21) == "\x1b[22;42H"  # x uncertain: not across lines
    assert cursor_move((4, 9, True), 4, 2) == "\x1b[3;5H"  # upwards: absolute


def test_changed_runs_merge_close_changes_and_keep_wide_characters_whole() -> None:
    old = segment_cells([Segment("abcdefghijklmnop")], TRUE)
    same = segment_cells([Segment("cdef")], TRUE)
    assert changed_runs(old, same, 2) == []
    two = segment_cells([Segment("aXcdeYghijklmnoZ")], TRUE)
    assert changed_runs(old, two, 0, gap=4) == [(1, 6), (15, 16)]
    wide_old = segment_cells([Segment("a日b")], TRUE)
    wide_new = segment_cells([Segment("a日b", Style(bold=True))], TRUE)
    assert changed_runs(wide_old, wide_new, 0, gap=0) == [(0, 4)]
    tail_only = (wide_old[0], [wide_old[1][0], wide_old[1][1], "1", wide_old[1][3]])
    assert changed_runs(wide_old, tail_only, 0, gap=0) == [(1, 3)]


def test_a_repeated_full_frame_writes_nothing() -> None:
    model = TerminalModel(8, 2)
    lines = [[Segment("ab", STYLES[1]), Segment("cdefgh", STYLES[2])], [Segment("12345678")]]
    first = Encoder(model, TRUE, sgr_known=False)
    for y, line in enumerate(lines):
        first.piece(0, y, line)
    assert "abcdefgh" not in first.finish()  # two runs of styles
    again = Encoder(model, TRUE)
    for y, line in enumerate(lines):
        again.piece(0, y, line)
    assert again.finish() == ""


def test_links_and_zero_width_characters_are_always_resent() -> None:
    model = TerminalModel(6, 1)
    segments = [Segment("ab", Style(link="https://example.org")), Segment("e\u0301f")]
    for _ in range(2):
        encoder = Encoder(model, TRUE)
        encoder.piece(0, 0, segments)
        out = encoder.finish()
        assert "https://example.org" in out and "e\u0301f" in out


segment = st.tuples(st.text(alphabet="ab .#日", min_size=1, max_size=5), st.sampled_from(STYLES))


@st.composite
def updates(
    draw: st.DrawFn, width: int = 16, height: int = 4
) -> list[tuple[int, int, list[Segment]]]:
    pieces = []
    for _ in range(draw(st.integers(1, 4))):
        y = draw(st.integers(0, height - 1))
        x = draw(st.integers(0, width - 2))
        segments, used = [], x
        for text, style in draw(st.lists(segment, min_size=1, max_size=4)):
            cells = Segment(text).cell_length
            if used + cells > width:
                break
            segments.append(Segment(text, style))
            used += cells
        if segments:
            pieces.append((x, y, segments))
    return pieces


@settings(max_examples=150, deadline=None)
@given(st.lists(updates(), min_size=1, max_size=6))
def test_the_terminal_shows_what_textual_would_have_written(frames: list) -> None:
    width, height = 16, 4
    model = TerminalModel(width, height)
    ours: list[str] = []
    theirs: list[str] = []
    for index, pieces in enumerate(frames):
        encoder = Encoder(model, TRUE, sgr_known=index > 0)
        for x, y, segments in pieces:
            encoder.piece(x, y, segments)
        ours.append(encoder.finish())
        theirs.append(textual_way(pieces))
        assert screen_of(width, height, *ours) == screen_of(width, height, *theirs)


def test_writes_the_model_cannot_follow_drop_it() -> None:
    output = partial_update.TerminalOutput()
    written: list[str] = []
    write = output.watch(written.append)
    for harmless in (
        "\x1b[?2026h",
        "\x1b[?25l\x1b[?1000h",
        "\x1b[3;4H",
        "\x07",
        "\x1b]22;pointer\x07",
    ):
        output.model = TerminalModel(2, 2)
        write(harmless)
        assert output.model is not None, repr(harmless)
    output.pending = "\x1b[1Hab"
    write("\x1b[1Hab\x1b[2;2H")
    assert output.model is not None and output.pending is None
    for harmful in ("\x1b[?1049h", "\x1b[2J", "text", "\x1b]52;c;eA==\x07"):
        output.model = TerminalModel(2, 2)
        write(harmful)
        assert output.model is None, repr(harmful)
    assert len(written) == 10


class FakeScreen:
    pass


class FakeDriver:
    is_inline = False

    def __init__(self) -> None:
        self.written: list[str] = []

    def write(self, data: str) -> None:
        self.written.append(data)


def fake_app(width: int, height: int, screen: object) -> SimpleNamespace:
    return SimpleNamespace(
        console=Console(color_system="truecolor"),
        is_inline=False,
        _driver=FakeDriver(),
        size=Size(width, height),
        screen=screen,
    )


def display(app: SimpleNamespace, update: object) -> str:
    """What App._display does with an update: render it inside the app's context, write it."""

    def run() -> str:
        active_app.set(app)  # type: ignore[arg-type]
        data = update.render_segments(app.console)  # type: ignore[attr-defined]
        app._driver.write(data + "\x1b[1;1H")
        return data

    return contextvars.copy_context().run(run)


def test_textual_updates_resend_nothing_unchanged_until_the_size_or_screen_changes() -> None:
    assert partial_update.install()
    screen = FakeScreen()
    app = fake_app(6, 2, screen)
    rows = [[Strip([Segment("abc", STYLES[1]), Segment("def")])], [Strip([Segment("uvwxyz")])]]
    full = LayoutUpdate(rows, Region(0, 0, 6, 2))
    assert "abc" in display(app, full) and "uvwxyz" in display(fake_app(6, 2, screen), full)
    assert display(app, full) == ""  # the same frame again
    changed = [{0: Strip([Segment("abc", STYLES[1]), Segment("dXf")])}, {0: None}]
    assert display(app, ChopsUpdate(changed, [(0, 0, 6)], [[6], [6]])) == "\x1b[1;5HX"
    app._driver.write("\x1b[?1049h")  # an alternate screen entered again: all is resent
    assert "uvwxyz" in display(app, full)
    app.screen = FakeScreen()
    assert "uvwxyz" in display(app, full)
    app.size = Size(7, 2)
    assert display(app, LayoutUpdate(rows, Region(0, 0, 6, 2))).count("abc") == 1  # Textual's own


def test_a_widget_is_rendered_for_a_partial_update_only_when_a_dirty_span_touches_it() -> None:
    spans = {3: [(10, 12)], 20: [(0, 200)]}
    front = partial_update.frontmost
    assert front([("a", (11, 0, 5, 4))], spans) == [("a", 3, 3)]  # covers line 3 at x 11
    assert front([("a", (12, 0, 5, 4))], spans) == []  # starts where the span ends
    assert front([("a", (0, 4, 200, 16))], spans) == []  # lines 4..19: none dirty
    assert front([("a", (190, 20, 1, 1))], spans) == [("a", 20, 20)]
    assert front([("a", (0, 0, 200, 60))], spans) == [("a", 3, 20)]  # its dirty lines only


def test_a_widget_under_the_ones_in_front_of_it_is_not_rendered() -> None:
    spans = {3: [(10, 14)], 4: [(10, 14)]}
    grid, caption = ("grid", (10, 4, 8, 4)), ("caption", (10, 3, 8, 1))
    panel, screen = ("panel", (10, 3, 8, 5)), ("screen", (0, 0, 200, 60))

    def front(*places: tuple[str, tuple[int, int, int, int]]) -> list[str]:
        return [name for name, _, _ in partial_update.frontmost(list(places), spans)]

    assert front(grid, caption, panel) == ["grid", "caption"]
    assert front(grid, screen) == ["grid", "screen"]  # line 3
    half = ("half", (10, 4, 2, 1))  # covers x 10-11 of line 4: the grid still shows 12-13
    assert front(half, grid, panel) == ["half", "grid", "panel"]
    assert front(screen, grid) == ["screen"]  # nothing shows under it
    assert spans == {3: [(10, 14)], 4: [(10, 14)]}  # left as it was
