"""The ``E`` prompt: the threshold X above which a column's values must stay, from some row
to the last, for that row to be marked (an empty answer takes the marks away)."""

from __future__ import annotations

from tuiheat.screens.dialog import PromptDialog, finite_number

OFF = ("", "off", "none", "no")


def parse_threshold(text: str) -> float | None:
    """``0.8`` -> 0.8; empty (or ``off``) -> None: emergence marks off."""
    text = text.strip().lower()
    if text in OFF:
        return None
    return finite_number(text, hint=" (empty: marks off)")


class EmergeScreen(PromptDialog[float]):
    """Dismissed with X, or None (empty answer or Esc): emergence marks off."""

    def __init__(self, row_title: str, current: float | None) -> None:
        now = f"; now {current:g}" if current is not None else ""
        super().__init__(
            f"Mark per column the first {row_title} from which values stay ≥ X (empty: off{now})",
            "e.g. 0.8",
        )

    def parse(self, text: str) -> float | None:  # type: ignore[override]
        return parse_threshold(text)
