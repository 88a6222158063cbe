"""Colour map names mean what they mean in matplotlib, in any case; unknown names are refused."""

from __future__ import annotations

import logging

import pytest

from tuiheat import cli
from tuiheat.core.colormap import COLORMAPS, get_palette, known
from tuiheat.core.colourscale import ScaleSettings
from tuiheat.core.scale import ValueRange

BASE = ValueRange(0.0, 1.0)


def test_rdbu_r_is_high_red_and_rdbu_high_blue_as_in_matplotlib() -> None:
    high_r = get_palette("RdBu_r").rgb[-1]
    high = get_palette("RdBu").rgb[-1]
    assert high_r[0] > high_r[2]  # red
    assert high[2] > high[0]  # blue
    assert get_palette("rdbu").kind == "diverging"


def test_any_name_cmap_knows_in_any_case() -> None:
    assert (get_palette("COOLWARM").rgb == get_palette("coolwarm").rgb).all()
    assert known("viridis_r") and known("colorbrewer:PuOr") and known("Spectral")
    low, high = get_palette("viridis_r").rgb[[0, -1]]
    assert (low == get_palette("viridis").rgb[-1]).all() and (
        high == get_palette("viridis").rgb[0]
    ).all()


def test_an_unknown_name_is_refused_with_examples() -> None:
    with pytest.raises(ValueError, match="coolwarm"):
        get_palette("not_a_map")


def test_names_found_in_two_collections_print_nothing(caplog, capsys) -> None:
    with caplog.at_level(logging.DEBUG):
        get_palette.cache_clear()
        get_palette("rdbu")
    assert "alias" not in caplog.text
    assert "WARNING" not in capsys.readouterr().err


def test_c_cycles_the_short_list_and_leaves_other_maps_for_the_first() -> None:
    seen = [ScaleSettings(BASE, colormap="blues")]
    for _ in range(len(COLORMAPS)):
        seen.append(seen[-1].next_colormap())
    assert [s.colormap for s in seen] == [*COLORMAPS, "blues"]
    assert "coolwarm" in COLORMAPS and "rdbu_r" in COLORMAPS
    assert ScaleSettings(BASE, colormap="spectral").next_colormap().colormap == "blues"


def test_the_command_takes_a_matplotlib_name_and_refuses_a_wrong_one(capsys) -> None:
    assert cli.main(["--print", "--cmap", "RdBu_r", "--color", "truecolor"]) == 0
    assert cli.main(["--print", "--cmap", "rainbowish"]) == 2
    err = capsys.readouterr().err
    assert "rainbowish" in err and "coolwarm" in err
