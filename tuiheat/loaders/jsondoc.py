"""JSON the way research scripts write it.

Accepted: a bare nested list (any number of axes); an object holding one array under
any name beside label lists (``{"auc": ..., "layers": ..., "positions": ...}``), the
labels matched to its axes by length and name; nested dicts of numbers as
``json.dump`` writes a results dict (``{layer: {position: auc}}``: keys in file order,
missing cells NaN); pandas' ``to_json`` orients; and the tuiheat document
(``values`` with labels, titles, range and boxes). An object with several arrays is a
bundle: ``--key`` or the viewer's picker chooses.
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Sequence

import numpy as np

from tuiheat.core import BoxError, HeatMatrix, MatrixError, shape_text
from tuiheat.core.boxes import boxes_from_json
from tuiheat.core.catalog import HEATMAP, LABELS, OTHER, SCALAR, VECTOR, Catalog, Entry
from tuiheat.core.tensor import SliceError, Tensor
from tuiheat.loaders.base import LoadError, Source
from tuiheat.loaders.bundle import choose, describe, meta_from_mapping, squeezed
from tuiheat.loaders.records import Records, as_records, records_array

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
MAX_CELLS = 1 << 26  # nested dicts whose keys multiply out beyond this are refused
MAX_DEPTH = 8
_NUMBER_TYPES = (int, float)


def parse(source: Source) -> object:
    text = source.read_text()
    try:
        return json.loads(text)
    except RecursionError:
        raise LoadError("the JSON is nested too deeply") from None
    except json.JSONDecodeError as err:
        raise LoadError(
            f"invalid JSON at line {err.lineno}, column {err.colno}: {err.msg}"
        ) from None
    except ValueError:  # an integer longer than Python converts (sys.get_int_max_str_digits)
        raise LoadError(
            f"the JSON holds an integer of more than {sys.get_int_max_str_digits()} digits, "
            "too long to be a value"
        ) from None


def json_catalog(source: Source) -> Catalog:
    """The members of a JSON object; a document that is one matrix is one entry."""
    doc = parse(source)
    entries = members(doc)
    if entries is None:
        tensor = load_json_doc(doc, None)
        return Catalog(source.name, (Entry("", HEATMAP, tensor.shape, "number"),))
    return Catalog(source.name, entries)


def members(doc: object) -> tuple[Entry, ...] | None:
    """A bundle's entries, or None when the whole document is one matrix."""
    records = as_records(doc)
    if records is not None and len(records.values) > 1:
        return tuple(_record_entry(records, field) for field in records.values)
    if not isinstance(doc, dict) or "values" in doc:
        return None
    entries = tuple(_entry(k, v) for k, v in doc.items())
    return entries if any(e.kind == HEATMAP for e in entries) else None


def load_json(source: Source, key: str | None = None) -> Tensor:
    return load_json_doc(parse(source), key, source.name)


def load_json_doc(doc: object, key: str | None, name: str = "") -> Tensor:
    records = as_records(doc)
    if records is not None:
        field = choose(Catalog(name, members(doc) or (Entry(records.values[0]),)), key, "field")
        return records_tensor(records, field.key)
    if isinstance(doc, list):
        if key is not None:
            raise LoadError("--key picks a member of a JSON object; this file holds a list")
        if doc and all(isinstance(r, dict) for r in doc):
            return _whole(doc, "records")
        return nested_tensor(doc)
    if not isinstance(doc, dict):
        raise LoadError(f"expected a JSON object or a nested list, got {type(doc).__name__}")
    entries = members(doc)
    if key is None and entries is None:
        return document_tensor(doc) if "values" in doc else _whole(doc)
    entries = entries or tuple(_entry(k, v) for k, v in doc.items())
    chosen = choose(Catalog(name, entries), key, "key")
    value = doc[chosen.key]
    if isinstance(value, dict) and "values" in value:
        tensor = document_tensor(value)
    else:
        tensor = nested_tensor(value)
    return describe(tensor, meta_from_mapping(doc, skip=chosen.key), chosen.key)


def _whole(doc: dict[str, object] | list[dict[str, object]], what: str = "object") -> Tensor:
    """A document with no array member is the table itself (``{row: {col: v}}``, records),
    when its numbers span two axes: one value or one row of them is settings, not a heatmap
    (``{"config": {"lr": 0.001}}`` would be a 1×1 grid)."""
    names = list(doc) if isinstance(doc, dict) else list(dict.fromkeys(k for r in doc for k in r))
    keys = ", ".join(map(repr, names[:8])) or "none"
    label = "keys" if isinstance(doc, dict) else "fields"
    try:
        tensor = nested_tensor(doc)
    except LoadError as err:
        why = "" if "not a number" in str(err) else f" ({err})"  # settings, not numbers
        raise LoadError(f"no matrix in the JSON {what}{why}; {label}: {keys}") from None
    if len(squeezed(tensor.shape)) < 2:
        form = "one value" if tensor.values.size == 1 else "one row"
        raise LoadError(
            f"no matrix in the JSON {what}: its numbers make {form} "
            f"({shape_text(tensor.shape)}); {label}: {keys}"
        )
    return tensor


def _entry(key: str, value: object) -> Entry:
    """What a member of a JSON object is, found by converting it (the file is in memory)."""
    if isinstance(value, dict) and "values" in value:
        value = value["values"]
    if isinstance(value, str) or (isinstance(value, _NUMBER_TYPES) and not isinstance(value, bool)):
        return Entry(key, SCALAR, (), type(value).__name__)
    if isinstance(value, list) and value and all(isinstance(x, str) for x in value):
        return Entry(key, LABELS, (len(value),), "str")
    if not isinstance(value, (list, dict)):
        return Entry(key, OTHER, (), type(value).__name__)
    try:
        array, _, _ = nested_array(value)
    except LoadError as err:
        return Entry(key, OTHER, (), "", 0, str(err))
    kind = HEATMAP if array.ndim >= 2 and array.size > 1 else VECTOR if array.size > 1 else SCALAR
    return Entry(key, kind, tuple(array.shape), "number", array.nbytes)


# --- the tuiheat document -------------------------------------------------------------


def document_tensor(doc: dict[str, object]) -> Tensor:
    """``values`` with its own labels, titles, range and boxes; other members are label hints."""
    matrix = document_matrix({k: v for k, v in doc.items() if k in DOCUMENT_KEYS})
    extra = {k: v for k, v in doc.items() if k not in DOCUMENT_KEYS}
    return describe(Tensor.from_matrix(matrix), meta_from_mapping(extra, skip=""))


def document_matrix(doc: dict[str, object]) -> HeatMatrix:
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
            out[r] = [_number(x) for x in row]
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


# --- long-format records and nested lists and dicts ----------------------------------


def records_tensor(records: Records, field: str) -> Tensor:
    array, labels, missing = records_array(records, field)
    notes = (f"{missing} of {array.size} cells have no record (NaN)",) if missing else ()
    try:
        return Tensor(array, names=records.keys, labels=labels, notes=notes)
    except SliceError as err:
        raise LoadError(str(err)) from None


def _record_entry(records: Records, field: str) -> Entry:
    shape = tuple(len({str(r.get(k)) for r in records.rows}) for k in records.keys)
    return Entry(field, HEATMAP, shape, "number")


def nested_tensor(value: object) -> Tensor:
    """Nested lists and dicts of numbers as a tensor; dict keys label their axis."""
    if isinstance(value, list) and value and all(_is_row(x) for x in value):
        return Tensor(values_array(value))  # lists of rows: errors that name the cell
    array, labels, missing = nested_array(value)
    if array.ndim < 2:
        raise LoadError(
            f"the numbers form a 1-D list (length {array.shape[0]}); tuiheat shows 2-D matrices"
        )
    notes: tuple[str, ...] = ()
    if missing:
        notes = (f"{missing} of {array.size} cells are missing from the nested keys (NaN)",)
    try:
        return Tensor(array, labels=labels, notes=notes)
    except SliceError as err:
        raise LoadError(str(err)) from None


def _is_row(value: object) -> bool:
    return isinstance(value, list) and not any(isinstance(x, (list, dict)) for x in value)


def nested_array(value: object) -> tuple[np.ndarray, tuple[tuple[str, ...] | None, ...], int]:
    """The array, labels per axis (dict keys; None for lists) and how many cells were missing.

    Every number must sit at the same depth; a dict's keys are the union over its
    siblings, in the order first seen; lists at one depth must have one length.
    """
    levels: list[dict[str, None] | int] = []
    leaf: list[int | None] = [None]
    _survey(value, 0, levels, leaf)
    if not levels:
        raise LoadError("expected nested lists or objects of numbers, got a single number")
    shape = tuple(len(lv) if isinstance(lv, dict) else lv for lv in levels)
    cells = math.prod(shape)
    if cells == 0:
        raise LoadError("the nested lists are empty")
    if cells > MAX_CELLS:
        raise LoadError(f"the nested keys make {cells} cells, more than {MAX_CELLS}")
    out = np.full(shape, np.nan)
    index = [{k: i for i, k in enumerate(lv)} if isinstance(lv, dict) else None for lv in levels]
    filled = _fill(value, (), out, index)
    labels = tuple(tuple(lv) if isinstance(lv, dict) else None for lv in levels)
    return out, labels, cells - filled


def _survey(
    value: object, depth: int, levels: list[dict[str, None] | int], leaf: list[int | None]
) -> None:
    """Record each depth's keys (or list length) and check every number's depth."""
    if _is_leaf(value):
        if leaf[0] is not None and leaf[0] != depth:
            raise LoadError("numbers sit at different depths of the nesting")
        leaf[0] = depth
        return
    if depth >= MAX_DEPTH:
        raise LoadError(f"nested more than {MAX_DEPTH} levels deep")
    if len(levels) == depth:
        levels.append({} if isinstance(value, dict) else 0)
    level = levels[depth]
    if isinstance(value, dict):
        if not isinstance(level, dict):
            raise LoadError("lists and objects are mixed at one depth")
        for k in value:
            level.setdefault(k, None)
        children = list(value.values())
    elif isinstance(value, list):
        if isinstance(level, dict):
            raise LoadError("lists and objects are mixed at one depth")
        if level and len(value) != level:
            raise LoadError(f"lists of {level} and {len(value)} values at one depth (ragged)")
        levels[depth] = len(value)
        children = value
    else:
        raise LoadError(f"{_short(value)} is not a number")
    for child in children:
        _survey(child, depth + 1, levels, leaf)


def _is_leaf(value: object) -> bool:
    if isinstance(value, bool):
        raise LoadError(f"{json.dumps(value)} is not a number")
    return value is None or isinstance(value, _NUMBER_TYPES)


def _fill(value: object, at: tuple[int, ...], out: np.ndarray, index: list) -> int:  # type: ignore[type-arg]
    """Write the numbers into ``out``; return how many cells were given."""
    if _is_leaf(value):
        out[at] = _number(value)
        return 1
    keys = index[len(at)]
    if isinstance(value, dict):
        return sum(_fill(v, (*at, keys[k]), out, index) for k, v in value.items())
    return sum(_fill(v, (*at, i), out, index) for i, v in enumerate(value))  # type: ignore[arg-type]


def _number(value: object) -> float:
    if value is None:
        return math.nan
    try:
        return float(value)  # type: ignore[arg-type]
    except OverflowError:  # an integer beyond float: the end of the scale, not a crash
        return 1e308 if value > 0 else -1e308  # type: ignore[operator]


def _short(value: object) -> str:
    text = json.dumps(value, ensure_ascii=True)
    return text if len(text) <= 40 else text[:37] + "..."
