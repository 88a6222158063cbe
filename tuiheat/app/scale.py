"""The colour scale's steps as pure functions of the settings and the panes: the base range
(shared by every pane, or of the differences), what the keys say, a typed range applied."""

from __future__ import annotations

from tuiheat.core.colourscale import RANGE_NAMES, ScaleSettings, start_range
from tuiheat.core.panes import PaneSet
from tuiheat.core.scale import LOG_DECADES, ValueRange, Watch, range_text


def base_range(
    panes: PaneSet, settings: ScaleSettings, sample: bool = False, watch: Watch | None = None
) -> ValueRange:
    """The base range: of every pane (shared), or of the differences; ``sample``: big data."""
    return start_range(
        panes.tensors,
        settings.vmin,
        settings.vmax,
        difference_view=panes.diff,
        sample=sample,
        watch=watch,
    )


def log_said(settings: ScaleSettings, vrange: ValueRange) -> str:
    low = f" (at most {LOG_DECADES} decades below the maximum; v sets another low end)"
    return f"Log colour scale {range_text(vrange)}{'' if settings.low_given else low}"


def mode_said(settings: ScaleSettings) -> str:
    return f"Colour range: {RANGE_NAMES[settings.mode]}"


def typed(
    settings: ScaleSettings,
    result: tuple[ValueRange | None, float | None],
    panes: PaneSet,
) -> ScaleSettings:
    """v's answer: a centre (the range as it is now), ``auto``, or a range."""
    given, center = result
    if center is not None:
        return settings.with_center(center)
    if given is None:
        return settings.with_auto_range(base_range(panes, settings))
    return settings.with_range(given, None)


def for_new_data(settings: ScaleSettings, panes: PaneSet) -> ScaleSettings:
    """Other data on screen (a reload, D): a start range, if it came from the data."""
    return (
        settings.with_base(base_range(panes, settings, sample=True)) if settings.auto else settings
    )
