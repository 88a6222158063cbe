"""Strips for Line-API widgets: unstyled text takes the widget's colours, cells keep theirs."""

from __future__ import annotations

from collections.abc import Iterable

from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip


def strip_on(segments: Iterable[Segment], width: int, base: Style) -> Strip:
    """A strip exactly ``width`` cells wide; segments without a background get ``base``.

    Cells carry their own background and are left as they are, so they cost no
    extra bytes; labels and padding match the widget's (themed) background.
    """
    styled = [
        seg
        if seg.style is not None and seg.style.bgcolor is not None
        else Segment(seg.text, base + seg.style if seg.style else base)
        for seg in segments
    ]
    return Strip(styled).crop_extend(0, width, base)
