"""The installed command's two new print forms in a real pseudo-terminal: the layer × head
summary (--summary STAT --print) and a row as coloured token text (--print --as-text ROW),
read back from the terminal's screen as a user would see them."""

from __future__ import annotations

import numpy as np
import pytest
from pty_helpers import PtySession, tuiheat_executable

from tuiheat.core.colormap import get_palette
from tuiheat.core.headstats import head_summary
from tuiheat.core.scale import ValueRange, to_bins
from tuiheat.render.painter import Painter
from tuiheat.render.printtext import value_text

from conftest import SAMPLES

pytestmark = pytest.mark.skipif(tuiheat_executable() is None, reason="tuiheat is not installed")
SAMPLE = str(SAMPLES / "minilm_attention.npz")


def printed(args: list[str], **env: str) -> PtySession:
    """The command run to its end on a 120 x 40 terminal; its exit status checked."""
    exe = tuiheat_executable()
    assert exe is not None
    session = PtySession([exe, *args], size=(120, 40), env=env)
    assert session.close(timeout=60) == 0, session.text()
    return session


def test_the_summary_prints_a_layer_by_head_grid_on_a_terminal() -> None:
    session = printed([SAMPLE, "--key", "attn", "--summary", "entropy", "--print"])
    screen = session.text()
    assert "all-MiniLM-L6-v2 attention: entropy per head · attn" in screen
    assert "6×12" in screen and "head" in screen and "layer" in screen
    lines = screen.splitlines()
    row = next(y for y, line in enumerate(lines) if line.lstrip().startswith("5 "))
    x = lines[row].index("5 ") + 2  # the first cell of layer 5
    assert session.screen.buffer[row][x].bg not in ("default", "000000")  # coloured cells


def test_a_row_as_text_reads_without_colour() -> None:
    attn = np.load(SAMPLE)["attn"]
    tokens = [str(t) for t in np.load(SAMPLE)["tokens"]]
    session = printed([SAMPLE, "--key", "attn", "--print", "--as-text", "5"], NO_COLOR="1")
    words = [f"{t}[{value_text(v)}]" for t, v in zip(tokens, attn[0, 0, 5].tolist(), strict=True)]
    text = " ".join(session.text().split())
    assert "".join(words) in "".join(text.split())  # (spacing: tests/test_core_tokentext.py)
    at = tokens.index(".")
    assert f"{words[1]} {words[2]}" in text and words[at - 1] + words[at] in text  # "." joined
    assert "17 tokens · colour 0–1 (blues)" in text


def test_a_row_as_text_in_truecolor_puts_each_token_on_its_colour() -> None:
    attn = np.load(SAMPLE)["attn"]
    args = [SAMPLE, "--key", "attn", "--print", "--as-text", "-1", "--slice", "layer=3,head=7"]
    session = printed([*args, "--color", "truecolor"])
    lines = session.text().splitlines()
    assert "layer 3 · head 7" in lines[0] and "colour 0–1" in session.text()
    y = 2  # the text's first line: [CLS] the probe ...
    x = lines[y].index("probe")
    painter = Painter(get_palette("blues", 256), "truecolor")
    b = int(to_bins(attn[3, 7, -1, 2:3].astype(np.float64), ValueRange(0.0, 1.0), 256)[0])
    colour = painter.contrast_styles[b].bgcolor
    assert colour is not None and colour.triplet is not None
    assert session.screen.buffer[y][x].bg == colour.triplet.hex[1:]


def test_the_summary_is_the_statistic_of_every_head() -> None:
    """What was printed is what the core computes (the CSV of the same command line)."""
    import subprocess
    import tempfile
    from pathlib import Path

    exe = tuiheat_executable()
    assert exe is not None
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "max.csv"
        argv = [exe, SAMPLE, "--key", "attn", "--summary", "max", "--export", str(out)]
        subprocess.run(argv, check=True, capture_output=True, timeout=60)
        rows = [line.split(",")[1:] for line in out.read_text().splitlines()[1:]]
    expected = head_summary(np.load(SAMPLE)["attn"], "max").values
    np.testing.assert_allclose(np.array(rows, dtype=float), expected, atol=1e-6)
