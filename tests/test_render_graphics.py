"""Graphics detection (issue 30, first step): what the environment and the terminal's
answers say about pixels, and that any doubt means text."""

from __future__ import annotations

import pytest

from tuiheat.render.graphics import (
    PROBE,
    cell_pixels,
    choose_pixels,
    env_pixels,
    kitty_answered,
    sixel_in_da1,
    tmux_passes_through,
)

KITTY = b"\x1b_Gi=31;OK\x1b\\\x1b[6;20;10t\x1b[?62;22c"  # kitty: query OK, cell 10x20
XTERM_SIXEL = b"\x1b[6;16;8t\x1b[?63;1;2;4;6;9;15;22c"  # xterm -ti vt340
PLAIN = b"\x1b[?1;2c"  # answers DA1 only
ENV = {"TERM": "xterm-256color"}


def test_the_answers_read() -> None:
    assert b"a=q" in PROBE and PROBE.endswith(b"\x1b[16t")
    assert kitty_answered(KITTY) and not kitty_answered(b"\x1b_Gi=31;EINVAL:bad\x1b\\")
    assert sixel_in_da1(XTERM_SIXEL) and not sixel_in_da1(KITTY) and not sixel_in_da1(b"")
    assert not sixel_in_da1(b"\x1b[?64;14c")  # 14 is not 4
    assert cell_pixels(KITTY) == (10, 20) and cell_pixels(PLAIN) is None
    assert cell_pixels(b"\x1b[6;0;0t") is None
    assert tmux_passes_through("on\n") and tmux_passes_through("all")
    assert not tmux_passes_through("off") and not tmux_passes_through("")


@pytest.mark.parametrize(
    ("requested", "env", "replies", "tmux", "passthrough", "mode"),
    [
        ("auto", ENV, KITTY, False, False, "kitty"),
        ("auto", ENV, XTERM_SIXEL, False, False, "sixel"),
        ("auto", ENV, PLAIN, False, False, "off"),  # answers nothing about pixels
        ("auto", ENV, b"", False, False, "off"),  # answers nothing at all
        ("auto", ENV, KITTY, True, False, "off"),  # tmux that would swallow the image
        ("auto", ENV, KITTY, True, True, "kitty"),  # tmux with allow-passthrough
        ("auto", {"TERM": "dumb"}, KITTY, False, False, "off"),
        ("auto", {**ENV, "NO_COLOR": "1"}, KITTY, False, False, "off"),
        ("auto", {**ENV, "TUIHEAT_PIXELS": "sixel"}, PLAIN, False, False, "sixel"),
        (
            "auto",
            {**ENV, "TERM_PROGRAM": "iTerm.app"},
            b"\x1b[6;16;8t\x1b[?62c",
            False,
            False,
            "iterm",
        ),
        ("off", ENV, KITTY, False, False, "off"),
        ("kitty", ENV, b"", False, False, "kitty"),  # asked for: the user knows
    ],
)
def test_the_mode_and_why(
    requested: str, env: dict[str, str], replies: bytes, tmux: bool, passthrough: bool, mode: str
) -> None:
    chosen, why = choose_pixels(requested, env, replies, tmux, passthrough)
    assert chosen == mode and why
    assert env_pixels(ENV) is None  # a plain TERM leaves it to the terminal's answers
