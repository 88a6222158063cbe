"""Long-format records: ``[{"layer": 0, "position": "last_q", "auc": 0.91}, ...]``.

A loop that appends one dict per measurement, then ``json.dump`` (or pandas'
``to_json(orient="records")`` of a tidy frame), writes this. The fields that name a
cell (text, or integers named like an axis: ``layer``, ``head``, ``step``) become
the axes, in field order, their values the labels in the order first seen; every
other numeric field is one array over those axes (several: a bundle). A cell no
record gives is NaN; two records for one cell are an error naming it.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from tuiheat.core.axislabels import name_words, role_of
from tuiheat.loaders.base import LoadError

AXIS_WORDS = frozenset(
    ("step", "epoch", "seed", "checkpoint", "neuron", "feature", "component", "unit", "sample")
)
MAX_CELLS = 1 << 26


@dataclass(frozen=True)
class Records:
    """The axes of a table of records and the fields that hold its values."""

    rows: Sequence[dict[str, object]]
    keys: tuple[str, ...]  # the fields that name a cell, one per axis
    values: tuple[str, ...]  # numeric fields, one array each


def as_records(doc: object) -> Records | None:
    """``doc`` read as long-format records, or None when it is not such a table."""
    if not isinstance(doc, list) or not doc or not all(isinstance(r, dict) for r in doc):
        return None
    fields: dict[str, None] = {}
    for record in doc:
        for name in record:
            fields.setdefault(name, None)
    columns = {f: [r.get(f) for r in doc] for f in fields}
    candidates = [f for f in fields if _is_key(f, columns[f])]
    values = tuple(f for f in fields if f not in candidates and _is_numeric(columns[f]))
    # A field with a new value in every record is an id, not an axis (a config list, runs).
    keys = [f for f in candidates if len(set(map(repr, columns[f]))) < len(doc)]
    if len(keys) < 2 or not values:
        return None  # a wide table (one record per row) is nested data, not this
    return Records(doc, _fewest_keys(keys, columns), values)


def _fewest_keys(keys: list[str], columns: dict[str, list[object]]) -> tuple[str, ...]:
    """The fewest key fields (two or more, in field order) that tell every record apart;
    all of them when none do (loading then names the cell two records share)."""
    rows = len(next(iter(columns.values())))
    for size in range(2, len(keys) + 1):
        for combo in itertools.combinations(keys, size):
            if len({tuple(repr(columns[k][i]) for k in combo) for i in range(rows)}) == rows:
                return combo
        if size >= 4:
            break  # beyond four axes a table is not a heatmap's records
    return tuple(keys)


def _is_key(name: str, column: list[object]) -> bool:
    present = [v for v in column if v is not None]
    if not present:
        return False
    if all(isinstance(v, str) for v in present):
        return True
    axis_named = bool(role_of(name)) or bool(AXIS_WORDS & set(name_words(name)))
    return axis_named and all(isinstance(v, int) and not isinstance(v, bool) for v in present)


def _is_numeric(column: list[object]) -> bool:
    return all(
        v is None or (isinstance(v, (int, float)) and not isinstance(v, bool)) for v in column
    )


def records_array(
    records: Records, field: str
) -> tuple[np.ndarray, tuple[tuple[str, ...], ...], int]:
    """The values of ``field`` over the key axes: array, labels per axis, missing cells."""
    levels: list[dict[object, int]] = [{} for _ in records.keys]
    for record in records.rows:
        for level, key in zip(levels, records.keys):
            level.setdefault(record.get(key), len(level))
    shape = tuple(len(level) for level in levels)
    if math.prod(shape) > MAX_CELLS:
        raise LoadError(f"the records' keys make {math.prod(shape)} cells, more than {MAX_CELLS}")
    out = np.full(shape, np.nan)
    given = np.zeros(shape, dtype=bool)
    for record in records.rows:
        at = tuple(level[record.get(key)] for level, key in zip(levels, records.keys))
        if given[at]:
            named = ", ".join(f"{k}={record.get(k)!r}" for k in records.keys)
            raise LoadError(f"two records give {field!r} for one cell ({named})")
        given[at] = True
        value = record.get(field)
        out[at] = math.nan if value is None else _finite_or_end(value)  # type: ignore[arg-type]
    labels = tuple(tuple(_label(v) for v in level) for level in levels)
    return out, labels, int(given.size - given.sum())


def _finite_or_end(value: float) -> float:
    try:
        return float(value)
    except OverflowError:  # an integer beyond float: the end of the scale
        return 1e308 if value > 0 else -1e308


def _label(value: object) -> str:
    return "" if value is None else str(value)
