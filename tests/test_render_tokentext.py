"""Coloured token text: each token on its value's colour, the cursor marked, specials dim."""

from __future__ import annotations

import numpy as np

from tuiheat.core.colormap import get_palette
from tuiheat.core.scale import ValueRange, to_bins
from tuiheat.core.tokentext import TokenText
from tuiheat.render.painter import Painter
from tuiheat.render.tokentext import token_line


def test_each_token_is_drawn_on_the_colour_of_its_value() -> None:
    text = TokenText.of(["[CLS]", "Ġthe", "Ġcapital", "Ġis", "ĠParis"], 80)
    values = np.array([0.5, 0.6, 0.9, np.nan, 1.0])
    painter = Painter(get_palette("blues", 256), "truecolor")
    vrange = ValueRange(0.5, 1.0)
    line = token_line(text, 0, values, vrange, painter, cursor=4)
    assert "".join(s.text for s in line) == "[CLS] the capital is Paris"
    drawn = [s for s in line if s.text.strip()]
    bins = to_bins(values, vrange, 256)
    for segment, b in zip(drawn[:3], bins[:3], strict=True):
        assert segment.style is not None
        assert segment.style.bgcolor == painter.contrast_styles[b].bgcolor
    assert drawn[0].style.dim and not drawn[1].style.dim  # [CLS] is special
    assert drawn[3].style.bgcolor == painter.contrast_styles[-1].bgcolor  # NaN
    assert drawn[4].style.underline and not drawn[2].style.underline  # the cursor's token


def test_only_the_asked_line_is_drawn() -> None:
    text = TokenText.of(["a"] + ["Ġword"] * 9, 12)
    painter = Painter(get_palette("blues", 256), "256")
    line = token_line(text, 1, np.linspace(0, 1, 10), ValueRange(0.0, 1.0), painter)
    assert "".join(s.text for s in line) == "word word"


def test_a_token_wider_than_the_line_is_cut_and_marked_and_gaps_have_a_style() -> None:
    text = TokenText.of(["Ġa", "Ġ" + "A" * 300, "Ġb"], 20)
    painter = Painter(get_palette("blues", 256), "none")
    lines = [
        token_line(text, i, np.array([0.1, 0.5, 0.9]), ValueRange(0, 1), painter) for i in range(3)
    ]
    assert ["".join(s.text for s in line) for line in lines] == ["a", "A" * 19 + "…", "b"]
    assert all(seg.style is not None for line in lines for seg in line)
