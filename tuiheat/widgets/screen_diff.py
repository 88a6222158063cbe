"""A model of what the terminal shows, so a repaint sends only the cells that changed.

Textual repaints whole regions: at start the screen is sent up to five times while the
layout settles, and a cursor step resends every widget the change touches. Like curses,
``TerminalModel`` remembers the cells written (a character and the SGR codes of its style
per cell) and ``Encoder`` writes only the runs of cells that differ, with short cursor
moves and only the colour codes that change between neighbouring runs.

Pure logic (Rich segments in, escape sequences out); the hook into Textual's output
lives in ``partial_update``. A cell that cannot be modelled exactly (a link, a control
segment, a zero-width character) is "opaque": it never equals anything, so it is always
resent, written the way Textual writes it.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from rich.cells import cell_len, get_character_cell_size
from rich.color import ColorSystem
from rich.segment import Segment
from textual.strip import Strip

GAP = 4
"""Equal cells between two changed runs resent rather than skipped with a cursor move."""


class Opaque:
    """The cells of one segment written as Textual writes it; equal only to itself."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


UNKNOWN = Opaque("")
"""What a cell of a fresh model holds: equal to no cell that is written."""

Cells = tuple[list[str], list[object]]
"""One character and one style key (SGR codes or an ``Opaque``) per cell; a wide
character's second cell holds ``""`` and the same key."""


def segment_cells(segments: Iterable[Segment], color_system: ColorSystem) -> Cells:
    """The cells a run of segments paints, keyed by the exact SGR codes Textual writes."""
    chars: list[str] = []
    keys: list[object] = []
    render_ansi = Strip.render_ansi
    render_style = Strip.render_style
    for text, style, control in segments:
        if not text:
            continue
        if control or (style is not None and style._link):
            _add_opaque(
                chars, keys, text, render_style(style, text, color_system) if style else text
            )
            continue
        if style is None:
            ansi = ""
        elif (ansi := style._ansi) is None:
            ansi = render_ansi(style, color_system)
        if text.isascii() and text.isprintable():
            chars.extend(text)
            keys.extend([ansi] * len(text))
        elif not _add_wide(chars, keys, text, ansi):
            _add_opaque(
                chars, keys, text, render_style(style, text, color_system) if style else text
            )
    return chars, keys


def _add_wide(chars: list[str], keys: list[object], text: str, ansi: str) -> bool:
    """Add characters one or two cells wide; False (nothing added) for anything else."""
    widths = [get_character_cell_size(char) if char.isprintable() else 0 for char in text]
    if not all(width in (1, 2) for width in widths):
        return False
    for char, width in zip(text, widths, strict=True):
        chars.append(char)
        keys.append(ansi)
        if width == 2:
            chars.append("")
            keys.append(ansi)
    return True


def _add_opaque(chars: list[str], keys: list[object], text: str, rendered: str) -> None:
    width = cell_len(text)
    if width:
        opaque = Opaque(rendered)
        chars.extend([rendered] + [""] * (width - 1))
        keys.extend([opaque] * width)


def changed_runs(old: Cells, new: Cells, start: int, gap: int = GAP) -> list[tuple[int, int]]:
    """Ranges ``[a, b)`` of ``new`` (offsets into it) whose cells differ from ``old`` at
    ``start`` onwards; runs closer than ``gap`` merge, and no run splits a wide character."""
    new_chars, new_keys = new
    stop = start + len(new_chars)
    old_chars = old[0][start:stop]
    old_keys = old[1][start:stop]
    if old_chars == new_chars and old_keys == new_keys:
        return []
    runs: list[list[int]] = []
    for i, (c, k, oc, ok) in enumerate(zip(new_chars, new_keys, old_chars, old_keys, strict=True)):
        if c != oc or (k is not ok and k != ok):
            if runs and i - runs[-1][1] <= gap:
                runs[-1][1] = i + 1
            else:
                runs.append([i, i + 1])
    last = len(new_chars)
    for run in runs:
        if new_chars[run[0]] == "" and run[0] > 0:
            run[0] -= 1  # the second cell of a wide character: start at its first
        if run[1] < last and new_chars[run[1]] == "" and not isinstance(new_keys[run[1]], Opaque):
            run[1] += 1
    return [(a, b) for a, b in runs]


@lru_cache(maxsize=4096)
def split_sgr(ansi: str) -> tuple[frozenset[str], str, str, str]:
    """SGR codes as (attributes, foreground, background, codes); the colours are ``""``
    when default. Codes it cannot read become an attribute no other style shares."""
    attrs: set[str] = set()
    fg = bg = ""
    tokens = ansi.split(";") if ansi else []
    i = 0
    try:
        while i < len(tokens):
            token = tokens[i]
            number = int(token)
            if number in (38, 48):
                width = {"2": 5, "5": 3}[tokens[i + 1]]
                code = ";".join(tokens[i : i + width])
                if len(code.split(";")) != width:
                    raise ValueError(ansi)
                fg, bg = (code, bg) if number == 38 else (fg, code)
                i += width
                continue
            if 30 <= number <= 37 or 90 <= number <= 97:
                fg = token
            elif 40 <= number <= 47 or 100 <= number <= 107:
                bg = token
            elif number == 39:
                fg = ""
            elif number == 49:
                bg = ""
            elif number != 0:
                attrs.add(token)
            i += 1
    except (ValueError, KeyError, IndexError):
        return frozenset({"raw:" + ansi}), "", "", ansi
    return frozenset(attrs), fg, bg, ansi


DEFAULT_SGR = split_sgr("")


OFF = {"1": "22", "2": "22", "3": "23", "4": "24", "21": "24", "5": "25", "6": "25"}
OFF |= {"7": "27", "8": "28", "9": "29", "51": "54", "52": "54", "53": "55"}
"""The SGR code that turns each attribute off (22 turns off both bold and dim)."""

SGR = tuple[frozenset[str], str, str, str]


def sgr_change(current: SGR | None, new: SGR) -> str:
    """The shorter of a reset to ``new`` and the codes that change only what differs
    from ``current`` (None: unknown, so a reset)."""
    if current is not None and current[:3] == new[:3]:
        return ""
    full = f"\x1b[0;{new[3]}m" if new[3] else "\x1b[0m"
    if current is None or not all(attr in OFF for attr in current[0] | new[0]):
        return full
    off = sorted({OFF[attr] for attr in current[0] - new[0]}, key=int)
    kept = {attr for attr in current[0] if OFF[attr] not in off}
    codes = off + sorted(new[0] - kept, key=int)
    if current[1] != new[1]:
        codes.append(new[1] or "39")
    if current[2] != new[2]:
        codes.append(new[2] or "49")
    short = f"\x1b[{';'.join(codes)}m"
    return short if len(short) < len(full) else full


Cursor = tuple[int, int, bool]
"""Where the cursor is: x, y, and whether x is certain (no text of disputed width since
the last absolute move; Textual itself trusts such text within a line, not across)."""


def cursor_move(cursor: Cursor | None, x: int, y: int) -> str:
    """The shortest sequence that moves the cursor from ``cursor`` (None: unknown) to (x, y)."""
    absolute = f"\x1b[{y + 1};{x + 1}H" if x else f"\x1b[{y + 1}H"
    if cursor is None:
        return absolute
    cx, cy, certain = cursor
    if (cx, cy) == (x, y):
        return ""
    if cy == y:
        relative = _horizontal(cx, x)
    elif y > cy and certain:
        down = "\x1b[B" if y - cy == 1 else f"\x1b[{y - cy}B"
        relative = down + min(_horizontal(cx, x), "\r" + _horizontal(0, x), key=len)
    else:
        return absolute
    return relative if len(relative) < len(absolute) else absolute


def _horizontal(cx: int, x: int) -> str:
    if x == cx:
        return ""
    if x > cx:
        return "\x1b[C" if x - cx == 1 else f"\x1b[{x - cx}C"
    return "\x1b[D" if cx - x == 1 else f"\x1b[{cx - x}D"


class TerminalModel:
    """What each cell of a ``width`` x ``height`` terminal shows, as far as it is known."""

    def __init__(self, width: int, height: int) -> None:
        self.size = (width, height)
        self.lines: list[Cells] = [([""] * width, [UNKNOWN] * width) for _ in range(height)]


class Encoder:
    """Escape sequences for the changed cells of one update, tracking the cursor and the
    current SGR state so each move and colour change is as short as it can be."""

    def __init__(
        self, model: TerminalModel, color_system: ColorSystem, sgr_known: bool = True
    ) -> None:
        self.model = model
        self.color_system = color_system
        self.out: list[str] = []
        self.cursor: Cursor | None = None
        self.sgr: SGR | None = DEFAULT_SGR if sgr_known else None

    def piece(self, x: int, y: int, segments: Iterable[Segment]) -> None:
        """Paint ``segments`` at (x, y): write the cells that differ, remember them all."""
        width, height = self.model.size
        if not 0 <= y < height or x < 0:
            raise ValueError(f"piece outside the terminal: {(x, y)}")
        new = segment_cells(segments, self.color_system)
        end = x + len(new[0])
        if end > width:
            raise ValueError(f"piece wider than the terminal: {(x, end)}")
        line = self.model.lines[y]
        for a, b in changed_runs(line, new, x):
            self._write(x + a, y, new[0][a:b], new[1][a:b])
        line[0][x:end] = new[0]
        line[1][x:end] = new[1]

    def _write(self, x: int, y: int, chars: list[str], keys: list[object]) -> None:
        out = self.out
        move = cursor_move(self.cursor, x, y)
        out.append(move)
        i, n = 0, len(chars)
        plain: bool | None = self.cursor is None or move.endswith("H") or self.cursor[2]
        while i < n:
            key = keys[i]
            j = i + 1
            if isinstance(key, Opaque):
                while j < n and keys[j] is key:
                    j += 1
                if self.sgr != DEFAULT_SGR:
                    out.append("\x1b[0m")
                out.append(key.text)
                self.sgr, plain = DEFAULT_SGR, None
            else:
                while j < n and keys[j] == key:
                    j += 1
                out.append(sgr_change(self.sgr, new := split_sgr(key)))  # type: ignore[arg-type]
                self.sgr = new
                text = "".join(chars[i:j])
                if plain is not None:
                    plain = plain and text.isascii()
                out.append(text)
            i = j
        end = x + n
        # an opaque piece (plain None) may move the cursor anywhere; at the right edge
        # the terminal holds a pending wrap
        self.cursor = None if plain is None or end >= self.model.size[0] else (end, y, plain)

    def finish(self) -> str:
        """Everything to write, leaving the terminal in its default colours."""
        if self.sgr != DEFAULT_SGR:
            self.out.append("\x1b[0m")
            self.sgr = DEFAULT_SGR
        return "".join(self.out)
