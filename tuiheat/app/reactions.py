"""What each change of the view state repaints, as data: the screen runs the steps of
``plan(changed(old, new))`` in ``ORDER``, so each is written once and a cursor step does
no more than the token text, the readout, the box line and the profiles."""

from __future__ import annotations

NEW_VIEW = (
    "rescale_if_view",
    "text",
    "title",
    "status_width",
    "layout",
    "readout",
    "boxinfo",
    "hints",
    "profiles!",
    "marks",
)
REACTIONS: dict[str, tuple[str, ...]] = {
    "cursor": ("text", "readout", "boxinfo", "profiles"),
    "anchor": ("boxinfo", "hints"),
    "boxes": ("boxinfo",),
    "zoom": NEW_VIEW,
    "spec": NEW_VIEW,
    "base_shape": tuple(step for step in NEW_VIEW if step not in ("boxinfo", "hints")),
    "raw_tokens": ("title", "readout", "profiles!"),
    "half": ("layout", "marks"),  # marks need full cells: the box line says so
    "margins": ("layout", "profiles!"),
    "summary": ("layout",),
    "annotate": (),
    "peaks": ("marks",),
    "emerge": ("marks",),
}
ORDER = (*NEW_VIEW, "profiles")  # every step, in the order they run
# Other data on screen (a reload, D): everything that shows the values.
AFTER_NEW_DATA = ("text", "title", "status_width", "layout", "readout", "boxinfo", "profiles!")
AFTER_NEW_DATA += ("marks",)  # P and E: the rows of the new data


def plan(changed: frozenset[str] | set[str]) -> tuple[str, ...]:
    """The steps for a set of changed fields: each once, in ``ORDER``; a forced profile
    repaint stands in for a plain one."""
    steps = {step for name in changed for step in REACTIONS.get(name, ())}
    if "profiles!" in steps:
        steps.discard("profiles")
    return tuple(step for step in ORDER if step in steps)
