from __future__ import annotations

import numpy as np
from rich.cells import cell_len

from tuiheat.core import ValueRange
from tuiheat.render.sparkline import GLYPHS, peak_text, profile_line, spark_text


def test_glyphs_for_known_values_and_gaps() -> None:
    text = spark_text(np.array([0.5, 0.75, 1.0, np.nan, 2.0, 0.0]), ValueRange(0.5, 1.0))
    assert text == "▁▅█ █▁"


def test_every_level_has_its_glyph() -> None:
    values = np.linspace(0, 1, 8) * 0.999
    assert spark_text(values, ValueRange(0, 1)) == GLYPHS


def test_peak_text() -> None:
    values = np.array([0.7, 0.843, np.nan, 0.612])
    labels = ("10", "13", "20", "30")
    assert peak_text(values, labels, "Layer") == "peak 0.843 at Layer 13 · low 0.612 at Layer 30"
    assert peak_text(np.array([np.nan]), ("0",), "Layer") == "no finite values"


def test_profile_line_fits_and_keeps_labels_as_data() -> None:
    values = np.random.default_rng(0).random(300)
    labels = tuple(f"[b]{i}" for i in range(300))
    line = profile_line("column \x1b[31mx", values, labels, "Layer", ValueRange(0, 1), 100)
    assert cell_len(line.plain) <= 100
    assert "\x1b" not in line.plain and "[b]" in line.plain
    assert f"peak {values.max():.3f}" in line.plain
