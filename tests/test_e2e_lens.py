"""The installed command on the real logit-lens sample (SmolLM2-135M-Instruct, made by
samples/make_lens.py) in a real pseudo-terminal: the top-1 grid with where each answer
settles, one cell's top k, and a tracked token, read back from the terminal's screen."""

from __future__ import annotations

import numpy as np
import pytest
from pty_helpers import PtySession, tuiheat_executable

from tuiheat.loaders.tokenizer import Vocabulary

from conftest import SAMPLES

pytestmark = pytest.mark.skipif(tuiheat_executable() is None, reason="tuiheat is not installed")
LENS = str(SAMPLES / "lens_topk.npz")
TOKENIZER = str(SAMPLES / "lens_tokenizer.json")


def printed(args: list[str]) -> str:
    exe = tuiheat_executable()
    assert exe is not None
    session = PtySession([exe, LENS, "--tokenizer", TOKENIZER, "--print", *args], size=(120, 90))
    assert session.close(timeout=60) == 0, session.text()
    return session.text()


def test_the_sample_is_what_its_script_printed() -> None:
    sample = np.load(LENS)
    ids, probs = sample["topk_ids"], sample["topk_probs"]
    assert ids.shape == probs.shape == (31, 10, 10) and (probs.sum(-1) <= 1 + 1e-5).all()
    vocab = Vocabulary.load(SAMPLES / "lens_tokenizer.json")
    assert vocab.tokens([int(ids[-1, -1, 0])]) == ["ĠParis"]


def test_the_grid_says_where_each_answer_settles() -> None:
    screen = printed([])
    assert "lens_topk.npz: top-1" in screen and "31×10" in screen
    assert "position 9 '␣of': '␣Paris' from layer 28" in screen


def test_one_cells_table_and_a_tracked_token() -> None:
    table = [line.rstrip() for line in printed(["--cell=-1,␣of", "--topk", "3"]).splitlines()]
    assert table[0] == "top 3 at layer 30, position 9 '␣of'"
    assert table[1].split()[:2] == ["1", "'␣Paris'"] and table[1].endswith("p 0.7015")
    tracked = printed(["--track", " Paris"])
    assert "position 9 '␣of': in the top 10 at layer 27, top-1 at layer 28" in tracked
