"""What tells N file names apart: ``runs/seed0/auc.csv`` and ``runs/seed1/auc.csv`` differ
in ``seed0`` and ``seed1``, which is what a caption cut to a few characters must keep."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class PathName:
    distinct: str  # the components this name does not share with the others
    tail: str = ""  # the components after them that every name shares ("auc.csv")

    @property
    def text(self) -> str:
        """The name without the folders every name shares: ``seed0/auc.csv``."""
        return f"{self.distinct}/{self.tail}" if self.tail else self.distinct


@lru_cache(maxsize=32)
def _distinct(names: tuple[str, ...]) -> tuple[PathName, ...]:
    parts = [name.replace("\\", "/").strip("/").split("/") for name in names]
    if len(parts) < 2 or all(p == parts[0] for p in parts):
        return tuple(PathName(p[-1]) for p in parts)
    shortest = min(map(len, parts))
    lead = 0
    while lead < shortest - 1 and all(p[lead] == parts[0][lead] for p in parts):
        lead += 1
    trail = 0
    while trail < shortest - lead - 1 and all(p[-1 - trail] == parts[0][-1 - trail] for p in parts):
        trail += 1
    out = []
    for p in parts:
        middle = p[lead : len(p) - trail]
        out.append(PathName("/".join(middle), "/".join(p[len(p) - trail :])))
    return tuple(out)


def distinct_names(names: Sequence[str]) -> tuple[PathName, ...]:
    """Each name as the part that differs from the others and the shared tail after it."""
    return _distinct(tuple(names))


def compare_title(names: Sequence[str]) -> str:
    """The title of N files side by side: ``seed0 vs seed1 vs seed2 · auc.csv``."""
    parts = distinct_names(names)
    title = " vs ".join(p.distinct for p in parts)
    tails = {p.tail for p in parts}
    return f"{title} · {tails.pop()}" if len(tails) == 1 and "" not in tails else title


def figure_title(title: str) -> str:
    """A title as a figure would have it: a file's path (``/data/runs/seed0/probe_auc.csv``)
    becomes its folder and name without suffix (``seed0/probe_auc``: the folder is what
    tells runs apart); any other title is kept."""
    parts = title.split(" · ")
    head = parts[0].replace("\\", "/").rstrip("/")
    if head and " " not in head and ("/" in head or _has_suffix(head)):
        *folders, name = head.split("/")
        name = name.rsplit(".", 1)[0] if _has_suffix(name) else name
        parts[0] = f"{folders[-1]}/{name}" if folders and folders[-1] not in ("", ".") else name
    return " · ".join(parts)


def _has_suffix(name: str) -> bool:
    stem, dot, suffix = name.rpartition(".")
    return bool(stem and dot and 0 < len(suffix) <= 12 and suffix.isalnum())
