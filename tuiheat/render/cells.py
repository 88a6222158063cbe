"""Width-aware text fitting: terminal cells, not characters, and wide characters never split."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache

from rich.cells import cell_len, get_character_cell_size

ELLIPSIS = "…"


def truncate(text: str, width: int, ellipsis: str = ELLIPSIS) -> str:
    """``text`` cut to at most ``width`` cells, ending in an ellipsis when cut."""
    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return text
    budget = width - cell_len(ellipsis)
    if budget <= 0:
        return ellipsis[:width]
    out = []
    used = 0
    for ch in text:
        w = get_character_cell_size(ch)
        if used + w > budget:
            break
        out.append(ch)
        used += w
    return "".join(out) + ellipsis


def truncate_path(path: str, width: int) -> str:
    """A file name cut from the left, so the part that tells files apart stays: ``…/run2.csv``."""
    if cell_len(path) <= width:
        return path
    name = path.replace("\\", "/").rsplit("/", 1)[-1]
    if "/" in path and cell_len(name) + 2 <= width:
        return f"{ELLIPSIS}/{name}"
    return truncate(name, width)


def pad(text: str, width: int, align: str = "left") -> str:
    """``text`` fitted (truncated if needed) and padded with spaces to exactly ``width`` cells."""
    text = truncate(text, width)
    gap = width - cell_len(text)
    if gap <= 0:
        return text
    if align == "right":
        return " " * gap + text
    if align == "center":
        left = gap // 2
        return " " * left + text + " " * (gap - left)
    return text + " " * gap


EXACT_LABELS = 4096  # up to this many labels are all measured


def widest(labels: Sequence[str], default: int = 1) -> int:
    """The widest label once made printable, in cells. Of more than ``EXACT_LABELS`` labels
    an even spread of them is measured (with both ends), so a zoom or a layout of a
    100 000-row file costs what 4 096 labels cost; a wider one elsewhere is cut with ``…``."""
    if len(labels) == 0:
        return default
    return _widest(labels if isinstance(labels, tuple) else tuple(labels))


@lru_cache(maxsize=32)
def _widest(labels: tuple[str, ...]) -> int:
    """Kept for the last few label sets: one layout asks for the same labels' width from
    several places, and a zoom step back asks again for the level before."""
    from tuiheat.core.labels import sanitize

    n = len(labels)
    if n <= EXACT_LABELS:
        chosen: Iterable[str] = labels
    else:
        step = n // EXACT_LABELS + 1
        chosen = [*labels[:64], *labels[::step], *labels[-64:]]
    return max(
        (len(label) if label.isascii() else cell_len(label))  # printable: shows as it is
        if label.isprintable() and label.strip(" ")
        else cell_len(sanitize(label))
        for label in chosen
    )
