"""Print mode's token text: tokens on their values' colours, or followed by their values."""

from __future__ import annotations

import io

import numpy as np
import pytest
from rich.color import ColorType

from tuiheat.core.colormap import get_palette
from tuiheat.core.scale import ValueRange, to_bins
from tuiheat.render.painter import Painter
from tuiheat.render.printer import PrintOptions, write_lines
from tuiheat.render.printtext import text_lines, value_text

TOKENS = ["The", "Ġcapital", "Ġof", "ĠFrance", "Ġis", "ĠParis", ".", "<|endoftext|>"]
VALUES = np.array([0.5, 0.83, 0.1, np.nan, 0.2, 0.99, 0.3, 0.000123])
RANGE = ValueRange(0.0, 1.0)


def printed(mode: str, width: int = 40, tokens: list[str] = TOKENS, values=VALUES) -> str:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    lines = text_lines(tokens, values, RANGE, PrintOptions(color=mode, width=width), "t", "row")
    write_lines(lines, out, mode)
    return out.getvalue()


def test_without_colour_each_token_is_followed_by_its_value() -> None:
    assert printed("none").splitlines() == [
        "t",
        "row",
        "The[0.50] capital[0.83] of[0.10]",
        "France[NaN] is[0.20] Paris[0.99].[0.30]",
        "<|endoftext|>[1.2e-04]",
        "8 tokens · colour 0–1 (blues)",
        "1 NaN value",
    ]


def test_values_are_short_and_readable_at_any_magnitude() -> None:
    assert [value_text(v) for v in (0.5, 0.834, 0.0, -0.25, 12.345, 1.23e-5, 3e6)] == [
        "0.50",
        "0.83",
        "0.00",
        "-0.25",
        "12.35",
        "1.2e-05",
        "3.0e+06",
    ]
    assert [value_text(v) for v in (np.nan, np.inf, -np.inf)] == ["NaN", "inf", "-inf"]


@pytest.mark.parametrize(
    ("mode", "kind"),
    [("truecolor", ColorType.TRUECOLOR), ("256", ColorType.EIGHT_BIT), ("16", ColorType.STANDARD)],
)
def test_in_colour_each_token_is_on_its_values_colour(mode: str, kind: ColorType) -> None:
    painter = Painter(get_palette("blues", 256), mode)
    lines = list(text_lines(TOKENS, VALUES, RANGE, PrintOptions(color=mode, width=80)))
    text = [s for s in lines[0] if s.text.strip()]
    assert [s.text for s in text] == [
        "The",
        "capital",
        "of",
        "France",
        "is",
        "Paris",
        ".",
        "<|endoftext|>",
    ]
    bins = to_bins(VALUES, RANGE, 256)
    for segment, b in zip(text, bins.tolist(), strict=True):
        assert segment.style is not None and segment.style.bgcolor is not None
        assert segment.style.bgcolor == painter.contrast_styles[b].bgcolor
        assert segment.style.bgcolor.type == kind
    assert text[-1].style.dim and not any(s.style.dim for s in text[:-1])  # the special token
    assert text[3].style.bgcolor == painter.contrast_styles[-1].bgcolor  # NaN's colour
    assert "[0.83]" not in "".join(s.text for s in lines[0])
    rest = "".join(s.text for line in lines[1:] for s in line)
    assert "NaN" in rest and "1.0" in rest  # the colour bar, with NaN's swatch, and its ticks


def test_the_text_wraps_to_the_width_values_included() -> None:
    tokens = ["a"] + ["Ġword"] * 11
    lines = printed("none", width=21, tokens=tokens, values=np.linspace(0, 1, 12)).splitlines()
    body = lines[2:-2]  # under the title and the row; over the footer (two lines at 21)
    assert body[:2] == ["a[0.00] word[0.09]", "word[0.18] word[0.27]"] and len(body) == 6
    assert lines[-2:] == ["12 tokens", "colour 0–1 (blues)"]
    lines = list(text_lines(tokens, np.zeros(12), RANGE, PrintOptions(color="256", width=21)))
    assert ["".join(s.text for s in line) for line in lines[:3]] == [
        "a word word word word",
        "word word word word",
        "word word word",
    ]
