"""The chrome's text as pure functions: captions over panels, the title's facts, the readout
of every pane."""

from __future__ import annotations

import numpy as np

from tuiheat.core import HeatMatrix
from tuiheat.core.colourscale import ScaleSettings
from tuiheat.core.scale import ValueRange
from tuiheat.core.zoom import Zoom
from tuiheat.render.texts import TitleFacts, info_text, panel_caption, panes_readout

NAMES = ["runs/seed/auc.npy", "runs/later/auc.npy", "runs/third/auc.npy"]


def test_each_panel_is_named_by_its_letter_and_file() -> None:
    # The folder every run shares is left out: the caption keeps what tells them apart.
    assert panel_caption(0, NAMES, False, 40).plain == "A seed/auc.npy"
    assert panel_caption(2, NAMES, False, 40).plain == "C third/auc.npy"
    narrow = panel_caption(1, NAMES, False, 14).plain
    assert narrow == "B later/…"


def test_the_difference_view_names_what_each_panel_shows() -> None:
    two = panel_caption(0, NAMES[:2], True, 60).plain
    assert two == "A − B seed/auc.npy − later/auc.npy"
    assert panel_caption(0, NAMES, True, 40).plain == "B−A later/auc.npy"
    assert panel_caption(1, NAMES, True, 40).plain == "C−A third/auc.npy"


def test_panels_of_one_tensor_are_named_without_letters() -> None:
    assert panel_caption(3, ["head 0", "head 1", "head 2", "head 3"], False, 10, False).plain == (
        "head 3"
    )


def test_names_from_files_cannot_carry_escape_sequences() -> None:
    text = panel_caption(0, ["evil\x1b[2J.npy"], False, 40).plain
    assert "\x1b" not in text


def test_the_title_says_which_page_of_panels_is_shown() -> None:
    facts = TitleFacts(
        shape=(12, 8),
        zoom=Zoom(),
        scale=ScaleSettings(ValueRange(0.5, 1.0)),
        vrange=ValueRange(0.5, 1.0),
        color_mode="256",
        page=(5, 8, 12),
    )
    assert info_text(facts).startswith("panels 5–8 of 12 (< >) · 12×8")
    last = TitleFacts(**{**facts.__dict__, "page": (12, 12, 12)})
    assert info_text(last).startswith("panel 12 of 12 (< >)")


def test_the_readout_lists_every_pane_or_the_differences() -> None:
    m = HeatMatrix(np.zeros((2, 2)), row_title="layer", col_title="token")
    three = panes_readout(m, 1, 0, [0.9, 0.8, 0.7]).plain
    assert three.endswith("A 0.900  B 0.800  C 0.700")
    diffs = panes_readout(m, 1, 0, [0.9, 0.8, 0.7], [-0.1, -0.2]).plain
    assert diffs.endswith("A 0.900  B−A -0.100  C−A -0.200")
    two = panes_readout(m, 1, 0, [0.9, 0.8]).plain
    assert two.startswith("layer 1 │ token 0 │") and two.endswith("A−B +0.100")


def test_a_long_title_keeps_the_slice_on_screen() -> None:
    from tuiheat.render.texts import fit_title

    title = "all-MiniLM-L6-v2 attention · attn [6,12,17,17] · layer 1 · head × 12 panels"
    assert fit_title(title, 80) == title
    assert fit_title(title, 64) == "all-MiniLM-L6-v2 attention · … · layer 1 · head × 12 panels"
    assert fit_title(title, 40) == "… · layer 1 · head × 12 panels"
    assert fit_title("Error-detection probe AUC per layer", 20) == "Error-detection pro…"


def test_the_peak_note_says_where_and_what_again_does() -> None:
    from tuiheat.core.peaks import Ranked, Walk
    from tuiheat.render.readout import no_peak_note, ordinal, peak_note

    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 111)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "111th"
    ]  # fmt: skip
    m = HeatMatrix(
        np.zeros((2, 2)),
        row_labels=("0", "[bold]x\x1b"),
        col_labels=("last_q", "b"),
        row_title="Layer",
        col_title="Token",
    )
    ranked = Ranked("max", ((0, 0), (1, 0), (1, 1)), (0.975, 0.975, 0.5), False, ties=2)
    assert peak_note(m, Walk(ranked, 1, None)) == (
        "max 0.975 at Layer 0, Token last_q │ 1 of 2 cells at this value │ ^ again: 2nd highest"
    )
    second = peak_note(m, Walk(ranked, 2, None), scope="box 2", block=True)
    assert second.startswith("2nd highest block of box 2: 0.975 at Layer [bold]x")
    assert "\x1b" not in second and second.endswith("Token last_q │ ^ again: 3rd highest")
    low = Ranked("min", ((1, 1), (0, 1)), (0.1, 0.2), True, ties=1)
    assert peak_note(m, Walk(low, 2, None), key="_").endswith(
        "the last finite cell; _ again: the min"
    )
    only = Ranked("min", ((1, 1),), (0.1,), True, ties=1)
    assert peak_note(m, Walk(only, 1, None), key="_").endswith("│ the only finite cell")
    assert no_peak_note() == "No finite value in this slice: every cell is NaN (or infinite)."
    assert no_peak_note("box 1").startswith("No finite value in box 1:")


def test_the_title_facts_shorten_by_level_but_keep_naming_the_auc_rule() -> None:
    auc = ValueRange(0.5, 1.0, auc=True)
    facts = TitleFacts(
        shape=(32, 14),
        zoom=Zoom(),
        scale=ScaleSettings(auc),
        vrange=auc,
        color_mode="256",
        page=(1, 8, 12),
        fitted=("half blocks (H)",),
    )
    full, named, short, narrow = (info_text(facts, level) for level in range(4))
    assert "median ≥ 0.5" in full and "(AUC)" in named and "256 colours" in named
    assert "(AUC)" in short and short.endswith("· 256") and "half blocks (H)" in short
    assert "(H)" not in narrow and "(< >)" not in narrow and "(AUC)" in narrow
    assert len(full) > len(named) > len(short) > len(narrow)
