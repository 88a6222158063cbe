"""SVG snapshots of the seed sample: the look at the two sizes the viewer is designed for.

Update after a deliberate change of look with ``pytest --snapshot-update``.
"""

from __future__ import annotations

from app_helpers import seed_app


def test_seed_100x40(snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(seed_app(), terminal_size=(100, 40))


def test_seed_80x24(snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(seed_app(), terminal_size=(80, 24))


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
    from tuiheat.session.config import ViewerConfig

    seed = seed_app().matrix
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
