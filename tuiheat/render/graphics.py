"""Whether the terminal draws pixels, and how: the pure half of graphics detection.

What the environment says (``TUIHEAT_PIXELS``, ``TERM``, ``TERM_PROGRAM``), and what the
terminal's answers mean: the kitty graphics query (``a=q``: an image that is checked, never
shown), the sixel attribute (4) in Primary Device Attributes, and the cell size in pixels
(CSI 16 t). Inside tmux an image reaches the terminal only through passthrough, which
tmux must allow. Any doubt is ``off``: today's text rendering, byte for byte.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

PIXEL_CHOICES = ("auto", "kitty", "sixel", "iterm", "off")
PIXELS_VARIABLE = "TUIHEAT_PIXELS"
QUERY_ID = 31  # the id of the kitty query's (never shown) one-pixel image

# Asked before Primary Device Attributes (whose answer ends the wait): a kitty terminal
# answers the query, every terminal the cell size or nothing.
PROBE = (
    f"\x1b_Gi={QUERY_ID},s=1,v=1,a=q,t=d,f=24;AAAA\x1b\\".encode()  # kitty graphics query
    + b"\x1b[16t"  # the cell size in pixels
)
_KITTY_OK = re.compile(rb"\x1b_Gi=%d;OK\x1b\\" % QUERY_ID)
_DA1 = re.compile(rb"\x1b\[\?([0-9;]*)c")
_CELL = re.compile(rb"\x1b\[6;([0-9]+);([0-9]+)t")
ITERM_PROGRAMS = frozenset({"iterm.app", "wezterm", "vscode"})  # draw iTerm2's inline images


def env_pixels(env: Mapping[str, str]) -> tuple[str, str] | None:
    """(mode, what said so) from the environment, or None when it leaves it to the probe."""
    asked = env.get(PIXELS_VARIABLE, "").strip().lower()
    if asked in PIXEL_CHOICES and asked != "auto":
        return asked, f"{PIXELS_VARIABLE}={asked}"
    if env.get("NO_COLOR", ""):
        return "off", "NO_COLOR"
    if env.get("TERM", "").lower() in ("dumb", ""):
        return "off", f"TERM={env.get('TERM', '') or '(unset)'}"
    return None


def kitty_answered(replies: bytes) -> bool:
    """The terminal answered the kitty graphics query with OK."""
    return bool(_KITTY_OK.search(replies))


def sixel_in_da1(replies: bytes) -> bool:
    """Primary Device Attributes list 4 (sixel graphics)."""
    found = _DA1.search(replies)
    return found is not None and "4" in found.group(1).decode().split(";")


def cell_pixels(replies: bytes) -> tuple[int, int] | None:
    """(width, height) of a cell in pixels from the answer to CSI 16 t, or None."""
    found = _CELL.search(replies)
    if found is None:
        return None
    height, width = int(found.group(1)), int(found.group(2))
    return (width, height) if width > 0 and height > 0 else None


def tmux_passes_through(allow_passthrough: str) -> bool:
    """``tmux show -gv allow-passthrough``: ``on`` or ``all`` lets an image through."""
    return allow_passthrough.strip().lower() in ("on", "all")


def choose_pixels(
    requested: str,
    env: Mapping[str, str],
    replies: bytes,
    in_tmux: bool = False,
    passthrough: bool = False,
) -> tuple[str, str]:
    """The pixel mode in use and why: what was asked (``--pixels``), else the environment,
    else the terminal's answers; ``off`` whenever they leave a doubt."""
    if requested != "auto":
        return requested, f"--pixels {requested}"
    said = env_pixels(env)
    if said is not None:
        return said
    if in_tmux and not passthrough:
        return "off", "tmux without allow-passthrough"
    if cell_pixels(replies) is None:
        return "off", "the terminal did not say its cell size"
    if kitty_answered(replies):
        return "kitty", "the terminal answered the kitty graphics query"
    if sixel_in_da1(replies):
        return "sixel", "the terminal lists sixel graphics"
    if env.get("TERM_PROGRAM", "").lower() in ITERM_PROGRAMS:
        return "iterm", f"TERM_PROGRAM={env.get('TERM_PROGRAM')}"
    return "off", "the terminal draws no images it says"
