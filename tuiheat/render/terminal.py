"""What the terminal (or the pipe) can show: colour depth and Unicode.

The pure half of colour detection: what the environment says, and what a terminal's
answers to the truecolor queries mean (``tuiheat.launch`` asks the questions).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

COLOR_CHOICES = ("auto", "truecolor", "256", "16", "none")
SIXTEEN_COLOR_TERMS = frozenset(
    {"linux", "vt100", "vt102", "vt220", "ansi", "cons25", "xterm-16color"}
)
# Terminals known to show 24-bit colour, by the names they give themselves.
TRUECOLOR_TERMS = ("kitty", "ghostty", "alacritty", "wezterm", "foot", "contour", "rio")
TRUECOLOR_PROGRAMS = frozenset({"iterm.app", "wezterm", "ghostty", "vscode", "tabby", "rio"})
TRUECOLOR_LC_TERMINALS = frozenset({"iterm2", "wezterm"})  # LC_* survives default SSH configs

# The probe, as neovim asks it: XTGETTCAP for RGB and Tc; an RGB background set and
# read back with DECRQSS (then reset); and Primary Device Attributes, which every
# terminal answers: its answer ends the wait.
PROBE = (
    b"\x1bP+q524742\x1b\\"  # XTGETTCAP RGB
    b"\x1bP+q5463\x1b\\"  # XTGETTCAP Tc
    b"\x1b[48;2;1;2;3m\x1bP$qm\x1b\\\x1b[m"  # set a background, DECRQSS SGR, reset
    b"\x1b[c"  # DA1
)
DA1_REPLY = re.compile(rb"\x1b\[\?[0-9;]*c")
_XTGETTCAP_YES = re.compile(rb"\x1bP1\+r(?:524742|5463)[=;\x1b]")
_SGR_RGB = re.compile(rb"\x1bP1\$r[0-9;:]*48[:;]2[:;]+1[:;]2[:;]3")


def env_color(env: Mapping[str, str]) -> tuple[str, str] | None:
    """(mode, what said so) from the environment, or None when it says nothing."""
    if env.get("NO_COLOR", ""):
        return "none", "NO_COLOR"
    term = env.get("TERM", "").lower()
    if term == "dumb":
        return "none", "TERM=dumb"
    colorterm = env.get("COLORTERM", "").lower()
    if colorterm in ("truecolor", "24bit"):
        return "truecolor", f"COLORTERM={colorterm}"
    if term.endswith("-direct"):
        return "truecolor", f"TERM={term}"
    if any(name in term for name in TRUECOLOR_TERMS):
        return "truecolor", f"TERM={term}"
    program = env.get("TERM_PROGRAM", "").lower()
    if program in TRUECOLOR_PROGRAMS:
        return "truecolor", f"TERM_PROGRAM={env.get('TERM_PROGRAM')}"
    if env.get("LC_TERMINAL", "").lower() in TRUECOLOR_LC_TERMINALS:
        return "truecolor", f"LC_TERMINAL={env.get('LC_TERMINAL')}"
    if env.get("WT_SESSION"):
        return "truecolor", "Windows Terminal"
    if term in SIXTEEN_COLOR_TERMS:
        return "16", f"TERM={term}"
    return None


def in_multiplexer(env: Mapping[str, str]) -> bool:
    """Inside tmux or screen, which answer terminal queries themselves (or not at all)."""
    term = env.get("TERM", "").lower()
    return bool(env.get("TMUX") or env.get("STY")) or term.startswith(("screen", "tmux"))


def probe_says_truecolor(replies: bytes) -> bool:
    """Whether the replies to ``PROBE`` show 24-bit colour: an RGB or Tc capability, or the
    RGB background read back as it was set."""
    return bool(_XTGETTCAP_YES.search(replies) or _SGR_RGB.search(replies))


def tmux_features_say_truecolor(features: str) -> bool:
    """``#{client_termfeatures}`` of tmux 3.2+: a comma-separated list, ``RGB`` among them."""
    return "RGB" in {f.strip() for f in features.split(",")}


def supports_unicode(encoding: str | None) -> bool:
    """Whether block and box-drawing glyphs can be written in this encoding."""
    return bool(encoding) and "utf" in encoding.lower()  # type: ignore[union-attr]
