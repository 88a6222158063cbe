"""The colour depth: explicit choices, tmux, the environment, then the terminal is asked."""

from __future__ import annotations

import os
import stat
import threading
import time

import pytest

from tuiheat import launch
from tuiheat.launch import choose_colours, config_colour, probe_terminal
from tuiheat.render.terminal import (
    PROBE,
    env_color,
    probe_says_truecolor,
    tmux_features_say_truecolor,
)

BASE = {"TERM": "xterm-256color", "HOME": "/nonexistent-home"}


def env(**more: str) -> dict[str, str]:
    return {**BASE, **more}


@pytest.fixture
def no_terminal(monkeypatch):  # type: ignore[no-untyped-def]
    """Nothing may ask a real terminal here; the tests that probe use a pty of their own."""
    monkeypatch.setattr(launch, "_both_ttys", lambda: False)


@pytest.fixture
def fake_tmux(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    """A ``tmux`` on PATH that prints what the test says (features, tab, outer TERM)."""

    def install(output: str, status: int = 0) -> None:
        script = tmp_path / "tmux"
        script.write_text(f"#!/bin/sh\nprintf '%s' '{output}'\nexit {status}\n")
        script.chmod(script.stat().st_mode | stat.S_IEXEC)
        monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")

    return install


def test_an_explicit_choice_wins(no_terminal, tmp_path) -> None:  # type: ignore[no-untyped-def]
    assert choose_colours("16", env(COLORTERM="truecolor")).mode == "16"
    assert choose_colours("auto", env(TUIHEAT_COLOR="truecolor", NO_COLOR="1")).mode == "truecolor"
    config = tmp_path / "tuiheat" / "config.toml"
    config.parent.mkdir()
    config.write_text('color = "truecolor"\n')
    chosen = choose_colours("auto", env(XDG_CONFIG_HOME=str(tmp_path), NO_COLOR="1"))
    assert (chosen.mode, chosen.reason) == ("truecolor", "config file")
    # The environment variable beats the file; --color beats both.
    assert (
        choose_colours("auto", env(XDG_CONFIG_HOME=str(tmp_path), TUIHEAT_COLOR="256")).mode
        == "256"
    )
    assert choose_colours("none", env(XDG_CONFIG_HOME=str(tmp_path))).mode == "none"


def test_a_broken_config_is_a_warning_not_an_error(no_terminal, tmp_path) -> None:  # type: ignore[no-untyped-def]
    config = tmp_path / "tuiheat" / "config.toml"
    config.parent.mkdir()
    config.write_text("color = [\n")
    chosen = choose_colours("auto", env(XDG_CONFIG_HOME=str(tmp_path), COLORTERM="truecolor"))
    assert chosen.mode == "truecolor" and "not valid TOML" in chosen.warnings[0]
    config.write_text('color = "millions"\n')
    assert "is not one of" in config_colour(env(XDG_CONFIG_HOME=str(tmp_path)))[1]
    bad = choose_colours("auto", env(TUIHEAT_COLOR="lots", COLORTERM="truecolor"))
    assert bad.mode == "truecolor" and "TUIHEAT_COLOR" in bad.warnings[0]


def test_no_color_and_dumb_terminals(no_terminal) -> None:  # type: ignore[no-untyped-def]
    assert choose_colours("auto", env(NO_COLOR="1", COLORTERM="truecolor")).mode == "none"
    assert choose_colours("auto", env(TERM="dumb")).mode == "none"


def test_inside_tmux_tmux_is_asked_first(no_terminal, fake_tmux) -> None:  # type: ignore[no-untyped-def]
    fake_tmux("256,RGB,title,clipboard\txterm-kitty")
    chosen = choose_colours("auto", env(TMUX="/tmp/tmux-0/default,1,0", TERM="tmux-256color"))
    assert (chosen.mode, chosen.reason) == ("truecolor", "tmux (RGB)")
    fake_tmux("256,title\txterm-256color")
    # COLORTERM from when the server started says nothing of the client: tmux's answer holds.
    chosen = choose_colours("auto", env(TMUX="x", TERM="tmux-256color", COLORTERM="truecolor"))
    assert chosen.mode == "256"
    assert "set -as terminal-features ',xterm-256color:RGB'" in chosen.hint


def test_tmux_without_an_answer_falls_through(no_terminal, fake_tmux) -> None:  # type: ignore[no-untyped-def]
    fake_tmux("\t")  # no client attached (or tmux older than 3.2)
    chosen = choose_colours("auto", env(TMUX="x", TERM="tmux-256color", COLORTERM="truecolor"))
    assert chosen.mode == "truecolor"
    fake_tmux("", status=1)
    assert choose_colours("auto", env(TMUX="x", TERM="screen-256color")).mode == "256"


@pytest.mark.parametrize(
    ("more", "mode"),
    [
        ({"COLORTERM": "truecolor"}, "truecolor"),
        ({"COLORTERM": "24bit"}, "truecolor"),
        ({"TERM": "xterm-direct"}, "truecolor"),
        ({"TERM": "xterm-kitty"}, "truecolor"),
        ({"TERM": "xterm-ghostty"}, "truecolor"),
        ({"TERM": "alacritty"}, "truecolor"),
        ({"TERM": "foot"}, "truecolor"),
        ({"TERM_PROGRAM": "WezTerm"}, "truecolor"),
        ({"TERM_PROGRAM": "iTerm.app"}, "truecolor"),
        ({"LC_TERMINAL": "iTerm2"}, "truecolor"),
        ({"WT_SESSION": "abc"}, "truecolor"),
        ({"TERM": "linux"}, "16"),
        ({}, None),
    ],
)
def test_what_the_environment_says(more: dict[str, str], mode: str | None) -> None:
    found = env_color(env(**more))
    assert (found[0] if found else None) == mode


def test_without_evidence_256_with_a_hint(no_terminal) -> None:  # type: ignore[no-untyped-def]
    chosen = choose_colours("auto", env())
    assert chosen.mode == "256" and "--color truecolor" in chosen.hint


@pytest.mark.parametrize(
    ("replies", "truecolor"),
    [
        (b"\x1bP1+r524742=382F382F38\x1b\\\x1bP0+r5463\x1b\\\x1b[?62;22c", True),  # xterm
        (b"\x1bP0+r524742\x1b\\\x1bP1+r5463\x1b\\\x1b[?64;1c", True),  # Tc only
        (b"\x1bP1$r0;48:2::1:2:3m\x1b\\\x1b[?62c", True),  # SGR read back, xterm's colons
        (b"\x1bP1$r48;2;1;2;3m\x1b\\\x1b[?65;1;9c", True),  # with semicolons
        (b"\x1bP1$r48;5;16m\x1b\\\x1b[?62c", False),  # read back, but made 256
        (b"\x1bP0+r524742\x1b\\\x1bP0$r\x1b\\\x1b[?1;2c", False),  # knows neither
        (b"\x1b[?1;2c", False),  # answers DA1 only
        (b"", False),  # answers nothing
    ],
)
def test_the_probe_replies(replies: bytes, truecolor: bool) -> None:
    assert probe_says_truecolor(replies) is truecolor


def test_tmux_features() -> None:
    assert tmux_features_say_truecolor("256,RGB,bpaste,clipboard")
    assert not tmux_features_say_truecolor("256,title,ccolour")
    assert not tmux_features_say_truecolor("")


def pty_terminal(answer: bytes | None, delay: float = 0.0) -> tuple[int, int, threading.Thread]:
    """A pty whose far end plays the terminal: reads the probe, then writes ``answer``."""
    main, child = os.openpty()

    def play() -> None:
        seen = b""
        while not seen.endswith(b"\x1b[c"):
            seen += os.read(main, 1024)
        time.sleep(delay)
        if answer is not None:
            os.write(main, answer)

    player = threading.Thread(target=play, daemon=True)
    player.start()
    return main, child, player


def test_the_probe_reads_exactly_the_replies(tmp_path) -> None:  # type: ignore[no-untyped-def]
    typed = b"j"
    main, child, player = pty_terminal(b"\x1bP1+r524742=38\x1b\\\x1b[?62;22c" + typed)
    try:
        assert probe_terminal(child, child, seconds=2.0) is True
        player.join(2)
        time.sleep(0.05)
        assert os.read(child, 16) == typed  # a key typed after the answer is left for the app
    finally:
        os.close(main)
        os.close(child)


def test_a_terminal_that_answers_nothing_ends_the_wait_at_the_cap() -> None:
    main, child, _ = pty_terminal(None)
    try:
        started = time.monotonic()
        assert probe_terminal(child, child, seconds=0.3) is False
        assert time.monotonic() - started >= 0.3  # it waited the cap, and then went on
    finally:
        os.close(main)
        os.close(child)


def test_the_probe_restores_the_terminal_mode() -> None:
    import termios

    main, child, _ = pty_terminal(b"\x1b[?1;2c")
    try:
        before = termios.tcgetattr(child)
        probe_terminal(child, child, seconds=1.0)
        assert termios.tcgetattr(child) == before
    finally:
        os.close(main)
        os.close(child)


def test_the_probe_is_what_neovim_asks() -> None:
    assert PROBE.startswith(b"\x1bP+q524742\x1b\\") and PROBE.endswith(b"\x1b[c")
    assert b"\x1b[48;2;1;2;3m\x1bP$qm\x1b\\\x1b[m" in PROBE  # the background is reset after


def test_the_256_colour_notice_is_short_enough_not_to_cover_the_grid(no_terminal) -> None:  # type: ignore[no-untyped-def]
    chosen = choose_colours("auto", env())
    assert chosen.mode == "256" and "--color truecolor" in chosen.hint
    assert len(chosen.hint) <= 80  # two lines of a toast at most, at 80x24
