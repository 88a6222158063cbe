"""Render a Rich renderable to plain text lines or to ANSI, for assertions."""

from __future__ import annotations

import io

from rich.console import Console, RenderableType
from rich.segment import Segment


def console(color_system: str | None = "truecolor") -> tuple[Console, io.StringIO]:
    buf = io.StringIO()
    con = Console(
        file=buf,
        color_system=color_system,
        force_terminal=color_system is not None,  # type: ignore[arg-type]
        width=400,
        highlight=False,
        markup=False,
        emoji=False,
        legacy_windows=False,
    )
    return con, buf


def ansi(renderable: RenderableType, color_system: str | None = "truecolor") -> str:
    con, buf = console(color_system)
    con.print(renderable, soft_wrap=True, crop=False)
    return buf.getvalue()


def plain(renderable: RenderableType) -> list[str]:
    return ansi(renderable, None).splitlines()


def segments_text(segments: list[Segment]) -> str:
    return "".join(s.text for s in segments)
