"""JSON: the tuiheat document (values, labels, titles, range, boxes) or a bare nested list."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence

import numpy as np

from tuiheat.core import BoxError, HeatMatrix, MatrixError
from tuiheat.core.boxes import boxes_from_json
from tuiheat.loaders.base import LoadError, Source

DOCUMENT_KEYS = (
    "values",
    "row_labels",
    "col_labels",
    "row_title",
    "col_title",
    "title",
    "vmin",
    "vmax",
    "boxes",
)
_NUMBER_TYPES = (int, float)


def load_json(source: Source, key: str | None = None) -> HeatMatrix:
    text = source.read_text()
    try:
        doc = json.loads(text)
    except RecursionError:
        raise LoadError("the JSON is nested too deeply") from None
    except json.JSONDecodeError as err:
        raise LoadError(
            f"invalid JSON at line {err.lineno}, column {err.colno}: {err.msg}"
        ) from None
    if key is not None:
        if not isinstance(doc, dict) or key not in doc:
            keys = ", ".join(map(repr, doc)) if isinstance(doc, dict) else "none (not an object)"
            raise LoadError(f"no key {key!r} in the JSON document; keys: {keys}")
        doc = doc[key]
    if isinstance(doc, list):
        return _matrix(values_array(doc))
    if isinstance(doc, dict):
        return document_matrix(doc)
    raise LoadError(f"expected a JSON object or a nested list, got {type(doc).__name__}")


def document_matrix(doc: dict[str, object]) -> HeatMatrix:
    unknown = [k for k in doc if k not in DOCUMENT_KEYS]
    if unknown:
        raise LoadError(
            f"unknown key {unknown[0]!r} in the JSON document (known: {', '.join(DOCUMENT_KEYS)})"
        )
    if "values" not in doc:
        raise LoadError("the JSON document has no 'values' (a list of rows of numbers)")
    values = values_array(doc["values"])
    fields: dict[str, object] = {}
    for k in ("row_labels", "col_labels"):
        if doc.get(k) is not None:
            fields[k] = _labels(doc[k], k)
    for k in ("row_title", "col_title", "title"):
        if doc.get(k) is not None:
            if not isinstance(doc[k], str):
                raise LoadError(f"'{k}' must be a string")
            fields[k] = doc[k]
    for k in ("vmin", "vmax"):
        if doc.get(k) is not None:
            v = doc[k]
            if isinstance(v, bool) or not isinstance(v, _NUMBER_TYPES) or not math.isfinite(v):
                raise LoadError(f"'{k}' must be a finite number, got {v!r}")
            fields[k] = float(v)
    if "vmin" in fields and "vmax" in fields and fields["vmin"] > fields["vmax"]:  # type: ignore[operator]
        raise LoadError(f"'vmin' {fields['vmin']} is above 'vmax' {fields['vmax']}")
    matrix = _matrix(values, **fields)
    boxes = doc.get("boxes")
    if boxes is None:
        return matrix
    if not isinstance(boxes, list):
        raise LoadError("'boxes' must be a list")
    try:
        resolved = boxes_from_json(boxes, matrix.row_labels, matrix.col_labels)
    except BoxError as err:
        raise LoadError(str(err)) from None
    return _matrix(values, boxes=tuple(resolved), **fields)


def values_array(rows: object) -> np.ndarray:
    """A list of equally long rows of numbers (null = NaN) as float64; errors name the cell."""
    if not isinstance(rows, list):
        raise LoadError(f"'values' must be a list of rows, got {type(rows).__name__}")
    if not rows:
        raise LoadError("'values' is empty")
    if not isinstance(rows[0], list):
        raise LoadError("'values' must be a list of rows (a nested list); this one is flat (1-D)")
    width = len(rows[0])
    out = np.empty((len(rows), width), dtype=np.float64)
    for r, row in enumerate(rows):
        if not isinstance(row, list):
            raise LoadError(f"row {r} is a {type(row).__name__}, not a list of numbers")
        if len(row) != width:
            raise LoadError(f"row {r} has {len(row)} values but row 0 has {width} (ragged rows)")
        kinds = {type(x) for x in row}
        if not kinds <= {int, float, type(None)}:
            c = next(i for i, x in enumerate(row) if type(x) not in (int, float, type(None)))
            raise LoadError(f"row {r}, column {c}: {_short(row[c])} is not a number")
        try:
            out[r] = [math.nan if x is None else x for x in row]
        except OverflowError:
            out[r] = [math.nan if x is None else float(min(max(x, -1e308), 1e308)) for x in row]
    if width == 0:
        raise LoadError("'values' has rows with no values")
    return out


def _labels(labels: object, key: str) -> Sequence[str]:
    if not isinstance(labels, list):
        raise LoadError(f"'{key}' must be a list")
    out = []
    for i, label in enumerate(labels):
        if isinstance(label, str):
            out.append(label)
        elif isinstance(label, bool) or label is None:
            raise LoadError(f"'{key}'[{i}] is {json.dumps(label)}, not a label")
        elif isinstance(label, _NUMBER_TYPES):
            out.append(str(label))
        else:
            raise LoadError(f"'{key}'[{i}] is a {type(label).__name__}, not a label")
    return out


def _matrix(values: np.ndarray, **fields: object) -> HeatMatrix:
    try:
        return HeatMatrix(values, **fields)  # type: ignore[arg-type]
    except MatrixError as err:
        raise LoadError(str(err)) from None


def _short(value: object) -> str:
    text = json.dumps(value, ensure_ascii=True)
    return text if len(text) <= 40 else text[:37] + "..."
