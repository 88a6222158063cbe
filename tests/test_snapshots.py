"""SVG snapshots of the seed sample at the sizes terminals have (80×24, 100×40, 120×40,
200×60), transposed and zoomed, of two runs compared, and of a bundle's picker.

Update after a deliberate change of look with ``pytest --snapshot-update``.
"""

from __future__ import annotations

from dataclasses import replace

from app_helpers import seed_app


def test_seed_100x40(snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(seed_app(), terminal_size=(100, 40))


def test_seed_80x24(snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(seed_app(), terminal_size=(80, 24))


def test_seed_120x40(snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(seed_app(), terminal_size=(120, 40))


def test_seed_200x60(snap_compare) -> None:  # type: ignore[no-untyped-def]
    """Wide cells use the width; the long token names are written over them in full."""
    assert snap_compare(seed_app(), terminal_size=(200, 60))


def test_seed_transposed(snap_compare) -> None:  # type: ignore[no-untyped-def]
    """Tokens down the side in full, layers across as ticks."""
    assert snap_compare(seed_app(), terminal_size=(120, 40), press=["t"])


def test_seed_zoomed_out(snap_compare) -> None:  # type: ignore[no-untyped-def]
    """Each block's first label over it; the readout names the whole block."""
    assert snap_compare(seed_app(), terminal_size=(120, 40), press=["minus", "j", "l"])


def test_bundle_picker(snap_compare, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """``tuiheat samples/minilm_attention.npz``: the arrays of the bundle to choose from."""
    from pathlib import Path

    from tuiheat.app import TuiheatApp
    from tuiheat.cli import parse_args
    from tuiheat.session.config import ViewerConfig
    from tuiheat.session.open import collection_for

    monkeypatch.chdir(Path(__file__).resolve().parent.parent)
    name = "samples/minilm_attention.npz"
    app = TuiheatApp(ViewerConfig(collection=collection_for(parse_args([name]), name)))
    assert snap_compare(app, terminal_size=(100, 30))


def test_seed_cursor_moved_256_colours(snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(
        seed_app(color_mode="256"), terminal_size=(100, 40), press=["j"] * 13 + ["l"] * 4
    )


def test_seed_cursor_in_the_box(snap_compare) -> None:  # type: ignore[no-untyped-def]
    """The framed region with the box statistics line, as in the seed figure."""
    assert snap_compare(seed_app(), terminal_size=(110, 42), press=["n", "j", "l"])


def test_seed_margins_and_profiles(snap_compare) -> None:  # type: ignore[no-untyped-def]
    """Sparkline margins beside the rows and under the columns, cursor profiles below."""
    assert snap_compare(seed_app(), terminal_size=(120, 50), press=["j"] * 13 + ["l"] * 4)


def compare_seed_app():  # type: ignore[no-untyped-def]
    """The seed against a later run whose middle layers lost a little AUC."""
    import numpy as np

    from tuiheat.app import TuiheatApp
    from tuiheat.core.tensor import Tensor
    from tuiheat.loaders import load
    from tuiheat.session.config import ViewerConfig

    from conftest import SEED_JSON

    seed = load(str(SEED_JSON))
    later = seed.as_float().copy()
    later[8:20] -= 0.04 * np.sin(np.linspace(0, np.pi, 12))[:, None]
    other = Tensor.from_matrix(seed.with_changes(values=later))
    return TuiheatApp(
        ViewerConfig.for_matrix(seed, compare=other, names=("seed.json", "later.json"))
    )


def test_compare_side_by_side(snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(compare_seed_app(), terminal_size=(150, 44), press=["j"] * 12)


def test_compare_difference(snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(compare_seed_app(), terminal_size=(110, 44), press=["j"] * 12 + ["D"])


def minilm_app(**fields):  # type: ignore[no-untyped-def]
    """The real attention sample as the command line opens it (``--key attn``)."""
    from pathlib import Path

    from tuiheat.app import TuiheatApp
    from tuiheat.cli import parse_args
    from tuiheat.render.gridview import DisplaySettings
    from tuiheat.session.config import Source, ViewerConfig
    from tuiheat.session.open import load_input

    path = Path(__file__).resolve().parent.parent / "samples" / "minilm_attention.npz"
    options = parse_args([str(path), "--key", "attn"])
    loaded = load_input(options, str(path), path, "minilm_attention.npz")
    sources = (Source(loaded.tensor, "attn"),)
    display = DisplaySettings("truecolor")
    config = ViewerConfig(sources=sources, spec=loaded.spec, title=loaded.title, display=display)
    return TuiheatApp(replace(config, **fields))


def test_minilm_token_text(snap_compare) -> None:  # type: ignore[no-untyped-def]
    """W: the sentence under the grid, coloured by the attention of query "answer"."""
    assert snap_compare(minilm_app(), terminal_size=(100, 30), press=["W", *["j"] * 6, "l"])


def test_minilm_head_summary_80x24(snap_compare) -> None:  # type: ignore[no-untyped-def]
    """--summary prev: the layer × head grid of attention to the previous token."""

    async def summary_shown(pilot) -> None:  # type: ignore[no-untyped-def]
        for _ in range(200):
            await pilot.pause(0.02)
            if pilot.app.viewer.role == "summary":
                break
        await pilot.press("n")

    app = minilm_app(summary="prev")
    assert snap_compare(app, terminal_size=(80, 24), run_before=summary_shown)
