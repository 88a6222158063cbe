"""Highlight boxes: inclusive rectangles of cells, given by index or by label.

A box is stored by index (labels may repeat, indices never do). Specs such as
``4-28:first_answer..-1`` come from the command line, the JSON document and the
sidecar file; they are resolved against the matrix's labels here, once.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass


class BoxError(ValueError):
    """A box spec that cannot be resolved against the matrix's labels."""


@dataclass(frozen=True)
class Box:
    """Rows r0..r1 and columns c0..c1, both inclusive, with r0 <= r1 and c0 <= c1."""

    r0: int
    r1: int
    c0: int
    c1: int
    name: str = ""

    def __post_init__(self) -> None:
        r0, r1 = sorted((int(self.r0), int(self.r1)))
        c0, c1 = sorted((int(self.c0), int(self.c1)))
        if r0 < 0 or c0 < 0:
            raise BoxError(f"negative index in box {r0}..{r1}, {c0}..{c1}")
        object.__setattr__(self, "r0", r0)
        object.__setattr__(self, "r1", r1)
        object.__setattr__(self, "c0", c0)
        object.__setattr__(self, "c1", c1)

    @classmethod
    def from_corners(cls, a: tuple[int, int], b: tuple[int, int], name: str = "") -> Box:
        """The box spanned by two (row, col) corners in any order."""
        return cls(a[0], b[0], a[1], b[1], name)

    @property
    def n_rows(self) -> int:
        return self.r1 - self.r0 + 1

    @property
    def n_cols(self) -> int:
        return self.c1 - self.c0 + 1

    @property
    def n_cells(self) -> int:
        return self.n_rows * self.n_cols

    def contains(self, row: int, col: int) -> bool:
        return self.r0 <= row <= self.r1 and self.c0 <= col <= self.c1

    def describe_indices(self) -> str:
        return f"rows {self.r0}..{self.r1}, cols {self.c0}..{self.c1}"

    def to_json(self) -> dict[str, object]:
        """Indices as integers: unambiguous even when labels repeat."""
        data: dict[str, object] = {"rows": [self.r0, self.r1], "cols": [self.c0, self.c1]}
        if self.name:
            data["name"] = self.name
        return data


_INT = re.compile(r"^\s*-?\d+\s*$")
_INT_RANGE = re.compile(r"^\s*(-?\d+)\s*[-–—]\s*(-?\d+)\s*$")
Endpoint = int | str


def resolve_endpoint(token: Endpoint, labels: Sequence[str], axis: str) -> int:
    """One end of a range: an int index, ``#N`` index, an exact label, or a bare integer index.

    A label wins over an index (``-1`` is a token position label in probing
    results); a label that occurs more than once must be given as ``#N``.
    """
    n = len(labels)
    if isinstance(token, bool) or not isinstance(token, (int, str)):
        raise BoxError(f"{axis} endpoint {token!r} is neither a label nor an index")
    if isinstance(token, int):
        return _check_index(token, n, axis)
    if token.startswith("#") and _INT.match(token[1:]):
        return _check_index(int(token[1:]), n, axis)
    hits = [i for i, label in enumerate(labels) if label == token]
    if len(hits) == 1:
        return hits[0]
    if len(hits) > 1:
        where = ", ".join(f"#{i}" for i in hits[:5])
        raise BoxError(
            f"{axis} label {token!r} occurs {len(hits)} times; pick one by index ({where})"
        )
    stripped = token.strip()
    if stripped != token:
        hits = [i for i, label in enumerate(labels) if label.strip() == stripped]
        if len(hits) == 1:
            return hits[0]
    if _INT.match(token):
        return _check_index(int(token), n, axis)
    raise BoxError(f"no {axis} labelled {token!r}")


def _check_index(index: int, n: int, axis: str) -> int:
    """Python's indices: ``-1`` is the last (where no label reads ``-1``)."""
    if not -n <= index < n:
        raise BoxError(f"{axis} index {index} is outside 0..{n - 1} (or -{n}..-1 from the end)")
    return index % n


def resolve_range(spec: object, labels: Sequence[str], axis: str) -> tuple[int, int]:
    """A range of one axis: ``""``/``*`` (all), ``A..B``, ``A-B`` (integers), ``A``, or [A, B]."""
    n = len(labels)
    if isinstance(spec, (list, tuple)):
        if len(spec) == 1:
            i = resolve_endpoint(spec[0], labels, axis)
            return i, i
        if len(spec) != 2:
            raise BoxError(f"{axis} range must have 1 or 2 endpoints, got {len(spec)}")
        a = resolve_endpoint(spec[0], labels, axis)
        b = resolve_endpoint(spec[1], labels, axis)
        return min(a, b), max(a, b)
    if isinstance(spec, int) and not isinstance(spec, bool):
        i = resolve_endpoint(spec, labels, axis)
        return i, i
    if not isinstance(spec, str):
        raise BoxError(f"{axis} range {spec!r} is neither a string nor a list")
    if spec.strip() in ("", "*"):
        return 0, n - 1
    # Whole spec as one label first: labels may contain "..", "-" or spaces.
    try:
        i = resolve_endpoint(spec, labels, axis)
        return i, i
    except BoxError as err:
        first_error = err
    starts = [m.start() for m in re.finditer(r"\.\.", spec)]
    for pos in starts:
        try:
            a = resolve_endpoint(spec[:pos], labels, axis)
            b = resolve_endpoint(spec[pos + 2 :], labels, axis)
        except BoxError as err:
            first_error = err
            continue
        return min(a, b), max(a, b)
    m = _INT_RANGE.match(spec)
    if m:
        a = resolve_endpoint(m.group(1), labels, axis)
        b = resolve_endpoint(m.group(2), labels, axis)
        return min(a, b), max(a, b)
    raise first_error


def parse_box_spec(
    spec: str, row_labels: Sequence[str], col_labels: Sequence[str], name: str = ""
) -> Box:
    """``ROWS:COLS`` such as ``4-28:first_answer..-1``, either side empty for 'all', or
    ``NAME=ROWS:COLS`` (a label holding ``=`` is still read as a label first)."""
    try:
        return _parse_ranges(spec, row_labels, col_labels, name)
    except BoxError:
        before, eq, rest = spec.partition("=")
        if name or not eq or ":" in before or not before.strip():
            raise
        return _parse_ranges(rest, row_labels, col_labels, before.strip())


def _parse_ranges(
    spec: str, row_labels: Sequence[str], col_labels: Sequence[str], name: str
) -> Box:
    colons = [i for i, ch in enumerate(spec) if ch == ":"]
    if not colons:
        raise BoxError(f"box {spec!r} needs the form ROWS:COLS, e.g. 4-28:first_answer..-1")
    error: BoxError | None = None
    for pos in colons:
        try:
            r0, r1 = resolve_range(spec[:pos], row_labels, "row")
            c0, c1 = resolve_range(spec[pos + 1 :], col_labels, "column")
        except BoxError as err:
            error = error or err
            continue
        return Box(r0, r1, c0, c1, name)
    assert error is not None
    raise BoxError(f"box {spec!r}: {error}")


def box_from_json(item: object, row_labels: Sequence[str], col_labels: Sequence[str]) -> Box:
    """A box from the JSON document or sidecar: {"rows": R, "cols": C, "name": ...} or "ROWS:COLS"."""
    if isinstance(item, str):
        return parse_box_spec(item, row_labels, col_labels)
    if not isinstance(item, dict):
        raise BoxError(
            f"a box must be an object or a 'ROWS:COLS' string, got {type(item).__name__}"
        )
    unknown = set(item) - {"rows", "cols", "name"}
    if unknown:
        raise BoxError(f"unknown box field(s): {', '.join(sorted(map(str, unknown)))}")
    name = item.get("name", "")
    if not isinstance(name, str):
        raise BoxError("a box name must be a string")
    r0, r1 = resolve_range(item.get("rows", "*"), row_labels, "row")
    c0, c1 = resolve_range(item.get("cols", "*"), col_labels, "column")
    return Box(r0, r1, c0, c1, name)


def boxes_from_json(
    items: Sequence[object], row_labels: Sequence[str], col_labels: Sequence[str]
) -> list[Box]:
    """A JSON list of boxes; an error names the box by its position (``box 2: ...``)."""
    boxes = []
    for i, item in enumerate(items):
        try:
            boxes.append(box_from_json(item, row_labels, col_labels))
        except BoxError as err:
            raise BoxError(f"box {i + 1}: {err}") from None
    return boxes
