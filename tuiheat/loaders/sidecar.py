"""The box sidecar: ``<data file>.tuiheat.json`` beside the data, never the data itself.

It holds the boxes as the user left them (the file's own boxes included, unless
deleted), by index so that repeated labels stay unambiguous, with the matrix
shape to catch a sidecar that belongs to an older version of the data. The arrays
of a bundle keep their boxes apart, under ``arrays`` by member name; saving one
never drops another's.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path

from tuiheat.core.atomic import atomic_write_text
from tuiheat.core.boxes import Box, BoxError, boxes_from_json
from tuiheat.core.matrix import HeatMatrix
from tuiheat.loaders.base import LoadError

SUFFIX = ".tuiheat.json"
FORMAT = "tuiheat-boxes"
MAX_SIDECAR_BYTES = 16 * 1024**2


def sidecar_path(data_path: Path) -> Path:
    """Beside the data, under its name: ``.`` or ``store.zarr/c/..`` (a store opened from
    inside) are named first, so the sidecar never lands inside the store."""
    data_path = Path(os.path.abspath(data_path))
    return data_path.with_name(data_path.name + SUFFIX)


def read_sidecar(path: Path, matrix: HeatMatrix, key: str | None = None) -> list[Box] | None:
    """The saved boxes (of member ``key`` of a bundle), or None when none were saved;
    LoadError when the sidecar cannot be used."""
    doc = _read_doc(path)
    if doc is None:
        return None
    if key is not None:
        arrays = doc.get("arrays")
        doc = arrays.get(key) if isinstance(arrays, dict) else None
        if not isinstance(doc, dict):
            return None
    elif "shape" not in doc and "arrays" in doc:
        return None  # only members of the bundle have boxes saved
    if doc.get("shape") != list(matrix.shape):
        raise LoadError(
            f"the box sidecar was saved for a {doc.get('shape')} matrix, not {list(matrix.shape)}; "
            "its boxes were not loaded"
        )
    items = doc.get("boxes", [])
    if not isinstance(items, list):
        raise LoadError("the box sidecar's 'boxes' is not a list")
    try:
        return boxes_from_json(items, matrix.row_labels, matrix.col_labels)
    except BoxError as err:
        raise LoadError(f"the box sidecar's {err}") from None


def _read_doc(path: Path) -> dict | None:  # type: ignore[type-arg]
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return None
    except OSError as err:
        raise LoadError(f"cannot read the box sidecar: {err.strerror}") from None
    if size > MAX_SIDECAR_BYTES:
        raise LoadError("the box sidecar is too large to be a box list")
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as err:
        raise LoadError(f"the box sidecar is not valid JSON ({type(err).__name__})") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise LoadError("the box sidecar is not a tuiheat box list")
    return doc


def sidecar_text(matrix: HeatMatrix, boxes: Sequence[Box], arrays: dict | None = None) -> str:  # type: ignore[type-arg]
    """JSON with one box per line, so that a diff of two saves reads well."""
    head = {"format": FORMAT, "version": 1, "shape": list(matrix.shape)}
    lines = [json.dumps(box.to_json(), ensure_ascii=False) for box in boxes]
    body = ",\n  ".join(lines)
    boxes_text = f"[\n  {body}\n ]" if lines else "[]"
    more = f',\n "arrays": {json.dumps(arrays, ensure_ascii=False)}' if arrays else ""
    return json.dumps(head, ensure_ascii=False)[:-1] + f',\n "boxes": {boxes_text}{more}\n}}\n'


def write_sidecar(
    data_path: Path, matrix: HeatMatrix, boxes: Sequence[Box], key: str | None = None
) -> Path:
    """Save atomically next to ``data_path``; OSError (with the old sidecar intact) on failure.

    The boxes of a bundle's member ``key`` are merged into what the sidecar holds for
    the other members (and for the file itself).
    """
    path = sidecar_path(data_path)
    if key is None:
        text = sidecar_text(matrix, boxes, _saved_arrays(path))
    else:
        try:
            doc = _read_doc(path) or {}
        except LoadError:
            doc = {}  # an unusable sidecar: the viewer said so when it was read
        head = {k: v for k, v in doc.items() if k in ("shape", "boxes")}
        arrays = _saved_arrays(path)
        arrays[key] = {"shape": list(matrix.shape), "boxes": [b.to_json() for b in boxes]}
        doc = {"format": FORMAT, "version": 1, **head, "arrays": arrays}
        text = json.dumps(doc, ensure_ascii=False, indent=1) + "\n"
    atomic_write_text(path, text, protect=(data_path,))
    return path


def _saved_arrays(path: Path) -> dict:  # type: ignore[type-arg]
    try:
        doc = _read_doc(path) or {}
    except LoadError:
        return {}
    arrays = doc.get("arrays")
    return dict(arrays) if isinstance(arrays, dict) else {}
