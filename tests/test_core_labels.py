from __future__ import annotations

import pytest

from tuiheat.core.labels import EMPTY_LABEL, readable_token, sanitize


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("last_q", "last_q"),
        ("[CLS]", "[CLS]"),
        ("[/INST]", "[/INST]"),
        ("\x1b]52;c;aGk=\x07", "␛]52;c;aGk=␇"),
        ("a\nb", "a␊b"),
        ("\x7f", "␡"),
        ("\x9b31m", "<9B>31m"),
        ("abc\u202eevil", "abc<U+202E>evil"),
        ("zero\u200bwidth", "zero<U+200B>width"),
        ("\ud800", "�"),
        ("", EMPTY_LABEL),
        ("   ", "␣␣␣"),  # spaces are a token, not a missing label
        (" ", "␣"),
        ("\u3000", "␣"),  # an ideographic space alone: still visible
        (" the", " the"),  # raw: as written
        ("Ġthe", "Ġthe"),
        ("日本", "日本"),
    ],
)
def test_sanitize(raw: str, shown: str) -> None:
    assert sanitize(raw) == shown


def test_no_control_character_survives() -> None:
    raw = "".join(chr(c) for c in range(0, 0xA0))
    out = sanitize(raw)
    assert not any(ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F for ch in out)


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("Ġthe", "␣the"),
        ("▁the", "␣the"),
        (" the", "␣the"),  # the decoded token reads as the encoded ones
        ("the  ", "the␣␣"),
        (" ", "␣"),
        ("exact answer", "exact answer"),  # spaces inside a label stay
        ("\n", "↵"),
        ("Ċ", "↵"),
        ("<0x0A>", "↵"),
        ("\r\n", "↵"),
        ("\t", "⇥"),
        ("ĉ", "⇥"),
        ("[CLS]", "[CLS]"),
        ("", ""),
    ],
)
def test_readable_tokens_read_alike_from_every_tokenizer(raw: str, shown: str) -> None:
    assert readable_token(raw) == shown


def test_space_and_empty_marks_differ() -> None:
    assert sanitize(readable_token(" ")) == sanitize(" ") == "␣"
    assert sanitize("") == EMPTY_LABEL != "␣"


def test_printable_text_is_shown_as_it_is() -> None:
    """``sanitize`` returns a printable string unchanged without looking at each character:
    that holds because every character it would change is one ``str.isprintable`` rejects."""
    from tuiheat.core.labels import _escape_char

    changed = [c for c in range(0x110000) if _escape_char(chr(c)) != chr(c)]
    assert changed and not any(chr(c).isprintable() for c in changed)
    assert sanitize("0–15") == "0–15" and sanitize("日本") == "日本"
