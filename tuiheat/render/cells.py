"""Width-aware text fitting: terminal cells, not characters, and wide characters never split."""

from __future__ import annotations

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
