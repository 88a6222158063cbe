"""What the terminal (or the pipe) can show: colour depth and Unicode, from the environment."""

from __future__ import annotations

import os
from collections.abc import Mapping

SIXTEEN_COLOR_TERMS = frozenset(
    {"linux", "vt100", "vt102", "vt220", "ansi", "cons25", "xterm-16color"}
)


def detect_color_mode(env: Mapping[str, str] | None = None) -> str:
    """``truecolor``, ``256``, ``16`` or ``none`` for ``--color auto``.

    Colour is kept when output is piped (a log read with ``less -R`` or a CI
    page shows it); ``NO_COLOR`` (https://no-color.org) and ``TERM=dumb`` turn
    it off. OpenSSH does not forward ``COLORTERM``, so a remote session
    without it gets 256 colours, which every modern terminal shows.
    """
    env = os.environ if env is None else env
    if env.get("NO_COLOR", ""):
        return "none"
    term = env.get("TERM", "").lower()
    if term == "dumb":
        return "none"
    colorterm = env.get("COLORTERM", "").lower()
    if colorterm in ("truecolor", "24bit") or term.endswith("-direct"):
        return "truecolor"
    if term in SIXTEEN_COLOR_TERMS:
        return "16"
    return "256"


def supports_unicode(encoding: str | None) -> bool:
    """Whether block and box-drawing glyphs can be written in this encoding."""
    return bool(encoding) and "utf" in encoding.lower()  # type: ignore[union-attr]
