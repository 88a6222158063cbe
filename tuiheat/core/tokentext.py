"""Tokens as running text, the way a reader wants them: the pieces of the column axis laid
out in lines of a given width, each token keeping its index (so a value colours it and the
cursor can find it).

Tokens read as the tokenizer wrote them: GPT-2's ``Ġ`` and SentencePiece's ``▁`` are a
space before the word, WordPiece's ``##`` joins a piece to the one before, a newline
(``\\n``, ``Ċ``, ``<0x0A>``) is ``↵`` and then a real line break, a tab is ``⇥``, and special
tokens (``[CLS]``, ``<|im_start|>``, ``<s>``) stay visible and are marked to be dimmed.
Control characters are made visible (``core.labels.sanitize``). Wide characters (CJK,
emoji) take two cells. Lines are found from their first tokens, so a view of 32,768 tokens
lays out only the lines it shows once ``line_starts`` is known.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

from tuiheat.core.labels import sanitize

_SPACE_MARKS = ("Ġ", "▁", "<0x20>")
_NEWLINES = ("\r\n", "\n", "\r", "Ċ", "<0x0A>")
_TABS = ("\t", "ĉ", "<0x09>")
_BYTE = re.compile(r"^<0x[0-9A-Fa-f]{2}>$")  # SentencePiece's byte tokens: text, not special
_WORDPIECE_SPECIALS = frozenset(("[CLS]", "[SEP]"))
_CLOSING = frozenset(".,;:!?)]}%")  # among whole words: written without a space before
_SPECIAL = re.compile(r"^(?:\[[A-Z_]+\]|<\|?[^<>\s|]{1,30}\|?>)$")


@dataclass(frozen=True)
class TokenPiece:
    """How one token reads: a space before it, its text, a line break after it."""

    text: str  # what is drawn (never empty: an empty token is ∅)
    space: bool = False  # a space before it (Ġ, ▁, a leading blank)
    newline: bool = False  # a line break after it (the text ends in ↵)
    special: bool = False  # [CLS], <|im_start|>: drawn dimmed

    @property
    def width(self) -> int:
        return int(self.space) + text_width(self.text)


@lru_cache(maxsize=65536)
def token_piece(token: str, first: bool = False, words: bool = False) -> TokenPiece:
    """``first``: the first token of the text (no space before it, whatever it says);
    ``words``: WordPiece, where a token without ``##`` starts a new word."""
    if _SPECIAL.match(token) and not _BYTE.match(token):
        return TokenPiece(sanitize(token), space=not first, special=True)
    text, space = token, False
    if text.startswith("##"):  # WordPiece: the rest of a word
        text = text[2:]
    elif words:
        space = not all(ch in _CLOSING for ch in text)
    else:
        for mark in _SPACE_MARKS:
            if text.startswith(mark):
                text, space = text[len(mark) :], True
                break
        if text[:1] == " ":
            text, space = text.lstrip(" "), True
    newline = False
    for mark in _NEWLINES:
        if mark in text:
            text, newline = text.replace(mark, "↵"), True
    for mark in _TABS:
        text = text.replace(mark, "⇥")
    for mark in _SPACE_MARKS:  # inside a piece: a plain space
        text = text.replace(mark, " ")
    return TokenPiece(sanitize(text) if text else "∅", space and not first, newline)


def is_wordpiece(tokens: list[str] | tuple[str, ...]) -> bool:
    """Whether an unmarked token starts a word: no word marks anywhere (Ġ, ▁, leading
    spaces), and pieces marked ``##`` or BERT's ``[CLS]``/``[SEP]`` (WordPiece), or tokens
    mostly in ASCII (whole words: position labels, a word-level vocabulary; not a text
    written without spaces, as Chinese or Japanese is). Otherwise (byte-level BPE,
    SentencePiece) an unmarked token continues the word before it."""
    if any(t[:1] in ("Ġ", "▁", " ", "Ċ", "ĉ") for t in tokens):  # byte-level BPE's marks
        return False
    if any(t.startswith("##") or t in _WORDPIECE_SPECIALS for t in tokens):
        return True
    sample = tokens[:4096]
    return len(sample) > 1 and sum(t.isascii() for t in sample) >= 0.8 * len(sample)


def text_width(text: str) -> int:
    """Terminal cells: two for East Asian wide and full-width characters, none for
    combining marks, one for the rest."""
    if text.isascii():
        return len(text)
    cells = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        cells += 2 if unicodedata.east_asian_width(ch) in "WF" else 1
    return cells


@dataclass(frozen=True)
class TokenText:
    """``pieces`` laid out ``width`` cells wide: line ``i`` holds the tokens from
    ``line_starts[i]`` up to the next line's first."""

    pieces: tuple[TokenPiece, ...]
    width: int
    line_starts: tuple[int, ...]

    @classmethod
    def of(cls, tokens: list[str] | tuple[str, ...], width: int) -> TokenText:
        words = is_wordpiece(tokens)
        return cls.of_pieces([token_piece(t, i == 0, words) for i, t in enumerate(tokens)], width)

    @classmethod
    def of_pieces(cls, pieces: list[TokenPiece] | tuple[TokenPiece, ...], width: int) -> TokenText:
        """Pieces already read (e.g. with a value written after each) laid out ``width``
        cells wide."""
        pieces = tuple(pieces)
        return cls(pieces, max(1, width), _line_starts(pieces, max(1, width)))

    @property
    def lines(self) -> int:
        return len(self.line_starts)

    def line(self, index: int) -> list[tuple[int, int, TokenPiece]]:
        """(token, x where its text starts, piece) for every token of line ``index``; a
        space before a token at the start of a line is not drawn."""
        start = self.line_starts[index]
        end = self.line_starts[index + 1] if index + 1 < self.lines else len(self.pieces)
        x, out = 0, []
        for token in range(start, end):
            piece = self.pieces[token]
            if piece.space and x > 0:
                x += 1
            out.append((token, x, piece))
            x += text_width(piece.text)
        return out

    def line_of(self, token: int) -> int:
        """The line that shows ``token``."""
        return max(0, bisect_right(self.line_starts, token) - 1)


def _line_starts(pieces: tuple[TokenPiece, ...], width: int) -> tuple[int, ...]:
    """Greedy wrapping: a token goes on the line if it fits (its space included), else it
    starts the next one; a newline token ends its line; a token wider than the line has a
    line of its own (drawn cut)."""
    starts = [0]
    x = 0
    for index, piece in enumerate(pieces):
        need = text_width(piece.text) + (1 if piece.space and x > 0 else 0)
        if x > 0 and x + need > width:
            starts.append(index)
            x = 0
            need = text_width(piece.text)
        x += need
        if piece.newline and index + 1 < len(pieces):
            starts.append(index + 1)
            x = 0
    return tuple(starts)
