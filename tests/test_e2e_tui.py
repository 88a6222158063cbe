"""The installed command in a real pseudo-terminal: keys typed, the screen read back."""

from __future__ import annotations

import pytest
from pty_helpers import DA1, TRUECOLOR_TERMINAL, PtySession, tuiheat_executable

from tuiheat.core.readout import format_value
from tuiheat.loaders import load
from tuiheat.render.terminal import PROBE

from conftest import SEED_JSON

pytestmark = pytest.mark.skipif(tuiheat_executable() is None, reason="tuiheat is not installed")


def start(
    args: list[str],
    size: tuple[int, int] = (100, 40),
    replies: dict[bytes, bytes] | None = None,
    **env: str,
) -> PtySession:
    exe = tuiheat_executable()
    assert exe is not None
    return PtySession([exe, *args], size=size, env=env, replies=replies)


def test_seed_opens_moves_and_quits_over_a_pty() -> None:
    truth = load(str(SEED_JSON))
    session = start([])
    try:
        session.wait_for("Layer 0 │ Token last_q │ 0.975")
        text = session.text()
        assert "Error-detection probe AUC" in text
        assert "Token" in text and "Layer" in text and "1.00" in text and "0.50" in text
        assert "exact_answer_before_first" in text  # the legend
        session.send("j", "j", "j", "l", "down", "right")
        expected = f"Layer 4 │ Token second_answer │ {format_value(truth.value(4, 2))}"
        session.wait_for(expected)
        session.send("G", "$")
        session.wait_for(f"Layer 31 │ Token -1 │ {format_value(truth.value(31, 13))}")
        session.send("?")
        session.wait_for("Page down")
        session.send("escape")
        session.settle()
        session.send("q")
    finally:
        status = session.close()
    assert status == 0
    assert b"\x1b[?1049l" in session.raw  # the alternate screen was left: the terminal is restored


def test_the_seed_at_80x24_shows_every_layer_and_the_palette_finds_actions() -> None:
    session = start([], size=(80, 24))
    try:
        session.wait_for("Layer 0 │ Token last_q │ 0.975")
        text = session.text()
        assert "half blocks (H)" in text  # 32 layers in 22 lines: said in the title
        lines = text.splitlines()
        assert any(line.strip().startswith("30 ") for line in lines)  # the last line of rows
        assert "exact_answer_before_first" in text  # the keys' legend is on screen
        session.send("ctrl+p")
        session.settle()
        session.send(*"transpose")
        session.wait_for("Transpose")
        session.send("enter")
        session.wait_for("Token last_q │ Layer 0")
        session.send("q")
    finally:
        assert session.close() == 0


def test_small_terminal_256_colours(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "auc.csv"
    path.write_text("layer,a,b,c\n0,0.9,0.8,0.7\n1,0.6,0.5,0.55\n")
    session = start([str(path)], size=(40, 10), replies=DA1, COLORTERM="")
    try:
        session.wait_for("layer 0 │ Token a │ 0.900")
        assert b"48;5;" in session.raw  # palette numbers (the 40-column title has no room to say)
        session.send("j", "l", "l")
        session.wait_for("layer 1 │ Token c │ 0.550")
        drawn = session.raw.replace(PROBE, b"")
        assert b"\x1b[48;2;" not in drawn  # a terminal that only answers DA1: 256 colours
        session.send("q")
    finally:
        assert session.close() == 0


def test_hostile_labels_write_no_escape_of_their_own(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import numpy as np

    payloads = ["\x1b]52;c;ZXZpbA==\x07", "\x1b]0;pwned\x07", "\x1b[2J", "\x1b]8;;http://x\x07link"]
    path = tmp_path / "evil.npz"
    np.savez(path, m=np.random.default_rng(0).random((4, 4)), tokens=np.array(payloads))
    session = start([str(path)], size=(100, 30))
    try:
        session.wait_for("␛]52;c;ZXZpbA==␇")  # shown as text in the readout
        session.send("j", "l", "p", "#", "B")
        session.settle(quiet=0.4)
        session.send("escape")  # alone: ESC then q at once would read as Alt+q
        session.settle(quiet=0.2)
        session.send("q")
    finally:
        assert session.close() == 0
    raw = bytes(session.raw)
    for forbidden in (b"\x1b]52;", b"\x1b]0;pwned", b"\x1b[2J", b"\x1b]8;;http://x", b"\x07link"):
        assert forbidden not in raw, forbidden


def test_compare_two_files_and_watch_a_rewrite(tmp_path) -> None:  # type: ignore[no-untyped-def]
    a, b = tmp_path / "run1.csv", tmp_path / "run2.csv"
    a.write_text("layer,x,y\n0,0.9,0.8\n1,0.6,0.5\n")
    b.write_text("layer,x,y\n0,0.7,0.8\n1,0.6,0.9\n")
    session = start([str(a), str(b), "--watch"], size=(100, 24))
    try:
        session.wait_for("layer 0 │ Token x │ A 0.900  B 0.700  A−B +0.200")
        assert "A run1.csv" in session.text() and "B run2.csv" in session.text()
        session.send("D")
        session.wait_for("A − B")
        session.send("j", "l")
        session.wait_for("A 0.500  B 0.900  A−B -0.400")
        b.write_text("layer,x,y\n0,0.7,0.8\n1,0.6,0.25\n")  # the job writes again
        session.wait_for("A 0.500  B 0.250  A−B +0.250", timeout=5)
        session.send("q")
    finally:
        assert session.close() == 0


def test_six_runs_in_a_grid_of_panels_and_their_differences(tmp_path) -> None:  # type: ignore[no-untyped-def]
    names = []
    for i in range(6):
        path = tmp_path / f"run{i + 1}.csv"
        rows = "\n".join(f"{r},{0.9 - 0.05 * i:.2f},{0.5 + 0.01 * r:.2f}" for r in range(8))
        path.write_text("layer,x,y\n" + rows + "\n")
        names.append(str(path))
    session = start(names, size=(80, 30))
    try:
        session.wait_for("A 0.900  B 0.850  C 0.800  D 0.750  E 0.700  F 0.650")
        screen = session.text()
        for letter, i in zip("ABCDEF", range(1, 7)):
            assert f"{letter} run{i}.csv" in screen  # the folder they share is left out
        # more than one row of panels: some caption line holds fewer than six names
        caption_lines = [line for line in screen.splitlines() if " run" in line]
        assert len(caption_lines) > 1
        session.send("D")
        session.wait_for("A 0.900  B−A -0.050  C−A -0.100  D−A -0.150  E−A -0.200")
        assert "differences from A" in session.text()
        session.send("q")
    finally:
        assert session.close() == 0


def test_a_bundle_picker_over_a_pty(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """tuiheat BUNDLE: the picker, Enter opens an array, o returns, another opens."""
    import numpy as np

    monkeypatch.chdir(tmp_path)  # the child starts here: the title names run.npz as typed
    path = tmp_path / "run.npz"
    rng = np.random.default_rng(3)
    np.savez(
        path,
        attention=rng.random((2, 3, 4, 4)).astype(np.float32),
        tokens=np.array(["[CLS]", " the", "\n", "[SEP]"]),
        layer_labels=np.array(["first", "second"]),
        probe_auc=np.full((2, 4), 0.75),
    )
    session = start(["run.npz"], size=(100, 30))
    try:
        session.wait_for("2 arrays")
        assert "attention" in session.text() and "probe_auc" in session.text()
        session.send("enter")
        session.wait_for("query [CLS] │ key [CLS] │")
        # too long beside the facts: the array's description gives way, the slice stays
        assert "… · layer first · head 0 · query × key" in session.text()
        session.send("o")
        session.wait_for("2 arrays")
        session.send("down", "enter")
        session.wait_for("Layer first │ Token [CLS] │ 0.750")
        assert "␣the" in session.text() and "↵" in session.text()
        session.send("q")
    finally:
        assert session.close() == 0


@pytest.mark.parametrize(
    ("replies", "mode"),
    [(TRUECOLOR_TERMINAL, "truecolor"), (DA1, "256 colours"), ({}, "256 colours")],
    ids=["answers-rgb", "answers-da1-only", "answers-nothing"],
)
def test_the_terminal_is_asked_for_truecolor(tmp_path, replies, mode) -> None:  # type: ignore[no-untyped-def]
    """No COLORTERM (as over SSH): a terminal that says RGB gets 24-bit colour; one that
    answers only DA1 or nothing at all gets 256 colours, and the probe leaves no reply
    behind to be read as keys."""
    path = tmp_path / "auc.csv"
    path.write_text("layer,a,b\n0,0.9,0.8\n1,0.6,0.5\n")
    session = start(
        [str(path)], size=(100, 20), replies=replies, COLORTERM="", TERM="xterm-256color"
    )
    try:
        session.wait_for(mode)
        assert session.raw.startswith(PROBE)  # asked once, before the screen is taken
        drawn = bytes(session.raw[len(PROBE) :])
        assert (b"\x1b[48;2;" in drawn) == (mode == "truecolor")
        if mode != "truecolor":
            session.wait_for("--color truecolor")  # says once how to get more
        session.send("l")
        session.wait_for("layer 0 │ Token b │ 0.800")  # the first key after the probe counts
        session.send("q")
    finally:
        assert session.close() == 0


def test_every_head_of_the_attention_sample_as_panels() -> None:
    from conftest import SAMPLES

    sample = str(SAMPLES / "minilm_attention.npz")
    session = start([sample, "--key", "attn", "--facet", "head"], size=(120, 40))
    try:
        session.wait_for("q [CLS] │ k [CLS] │ head 0 ")
        screen = session.text()
        assert "head × 12 panels" in screen
        for head in (0, 5, 11):
            assert f"head {head}" in screen
        session.send("]")  # the next layer, in every panel
        session.wait_for("layer 1 · head × 12 panels")
        session.send("f")  # then the layers as panels
        session.wait_for("layer × 6 panels")
        session.send("q")
    finally:
        assert session.close() == 0


def test_piped_data_opens_the_viewer_with_keys_from_the_terminal(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """``python make_grid.py | tuiheat -``: the data from the pipe, the keys from the terminal."""
    import shlex

    exe = tuiheat_executable()
    assert exe is not None
    data = tmp_path / "grid.csv"
    data.write_text("layer,a,b\n0,0.25,0.5\n1,0.75,1.0\n")
    line = f"cat {shlex.quote(str(data))} | {shlex.quote(exe)} -"
    session = PtySession(["sh", "-c", line], size=(100, 30))
    try:
        session.wait_for("layer 0 │ Token a │ 0.250")
        session.send("j", "l")
        session.wait_for("layer 1 │ Token b │ 1.000")
        session.send("q")
    finally:
        status = session.close()
    assert status == 0


def test_dash_with_the_terminal_on_stdin_says_it_wants_piped_data() -> None:
    session = start(["-"])
    try:
        session.wait_for("piped")
        text = session.text()
    finally:
        status = session.close()
    assert status == 2 and "make_grid.py | tuiheat -" in text.replace("\n", "")
