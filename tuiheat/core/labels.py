"""Make strings from files safe to show: every control or invisible character becomes visible.

Labels, titles and npz member names are data. Rich and Textual pass ESC and
other controls straight to the terminal, so they are replaced here, before any
renderer sees them: C0 controls by their Unicode control pictures (ESC -> ␛),
DEL by ␡, C1 controls by ``<9B>``, bidi overrides and zero-width characters by
``<U+202E>``, lone surrogates by �, an empty label by ∅ and a label of spaces only by
one ␣ per space (a space is a real token, not a missing label).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

EMPTY_LABEL = "∅"
SPACE_MARK = "␣"

# Characters that reorder or hide text: bidi embeddings/overrides/isolates, marks,
# zero-width spaces/joiners, word joiner and invisible operators, BOM.
_INVISIBLE = frozenset(
    [
        1564,
        8203,
        8204,
        8205,
        8206,
        8207,
        8232,
        8233,
        8288,
        65279,
        *list(range(8234, 8239)),
        *list(range(8289, 8304)),
    ]
)


def _escape_char(ch: str) -> str:
    code = ord(ch)
    if code < 0x20:
        return chr(0x2400 + code)  # ␀..␟, e.g. ESC -> ␛, newline -> ␊
    if code == 0x7F:
        return "␡"
    if 0x80 <= code <= 0x9F:
        return f"<{code:02X}>"
    if 0xD800 <= code <= 0xDFFF:
        return "�"
    if code in _INVISIBLE:
        return f"<U+{code:04X}>"
    category = unicodedata.category(ch)
    if category in ("Cc", "Cs", "Co", "Cn") or (category == "Cf" and code not in (0xAD,)):
        return f"<U+{code:04X}>"
    if category in ("Zl", "Zp"):
        return f"<U+{code:04X}>"
    if category == "Zs" and ch != " ":
        return " "
    return ch


@lru_cache(maxsize=65536)
def sanitize(text: str) -> str:
    """A label as it may be shown: no control, bidi or invisible character survives."""
    if not isinstance(text, str):
        text = str(text)
    if not text:
        return EMPTY_LABEL
    # A printable string has no character that _escape_char changes (it escapes only
    # categories str.isprintable rejects): most labels, and every index label, skip the loop.
    out = text if text.isprintable() else "".join(map(_escape_char, text))
    return out if out.strip(" ") else SPACE_MARK * len(out)


# Tokenizer markers, shown the same way whichever tokenizer wrote them (and as the decoded
# text itself): a visible space for GPT-2's Ġ and SentencePiece's ▁, ↵ for newlines (Ċ,
# <0x0A>, "\n"), ⇥ for tabs (ĉ, <0x09>, "\t").
_TOKEN_MARKERS = (
    ("<0x0A>", "↵"),
    ("<0x09>", "⇥"),
    ("<0x20>", SPACE_MARK),
    ("Ġ", SPACE_MARK),
    ("▁", SPACE_MARK),
    ("Ċ", "↵"),
    ("ĉ", "⇥"),
    ("\r\n", "↵"),
    ("\n", "↵"),
    ("\r", "↵"),
    ("\t", "⇥"),
)


def readable_token(text: str) -> str:
    """A model token made readable; special tokens such as ``[CLS]`` stay as they are.

    Spaces at either end (a decoded `` the``) become ␣, the mark Ġ and ▁ get, so the
    same token reads the same from any tokenizer; spaces inside a label stay spaces.
    """
    for marker, shown in _TOKEN_MARKERS:
        if marker in text:
            text = text.replace(marker, shown)
    if text[:1] == " " or text[-1:] == " ":
        core = text.strip(" ")
        lead = len(text) - len(text.lstrip(" "))
        trail = len(text) - len(text.rstrip(" ")) if core else 0
        text = SPACE_MARK * lead + core + SPACE_MARK * trail
    return text
