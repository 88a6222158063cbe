"""tuiheat: a terminal viewer for heatmaps of model results.

``tuiheat.show(array)`` opens the viewer from Python; ``tuiheat.load(path)`` reads a
result file. Both are imported on first use, so ``import tuiheat`` stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tuiheat._version import __version__

__all__ = ["__version__", "load", "show"]

if TYPE_CHECKING:
    from tuiheat.api import load, show


def __getattr__(name: str) -> Any:
    if name in ("show", "load"):
        from tuiheat import api

        return getattr(api, name)
    raise AttributeError(f"module 'tuiheat' has no attribute {name!r}")
