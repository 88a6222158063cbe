"""The box sidecar: ``<data file>.tuiheat.json`` beside the data, never the data itself.

It holds the boxes as the user left them (the file's own boxes included, unless
deleted), by index so that repeated labels stay unambiguous, with the matrix
shape to catch a sidecar that belongs to an older version of the data.
"""

from __future__ import annotations

import json
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
    return data_path.with_name(data_path.name + SUFFIX)


def read_sidecar(path: Path, matrix: HeatMatrix) -> list[Box] | None:
    """The saved boxes, or None when there is no sidecar; LoadError when it cannot be used."""
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


def sidecar_text(matrix: HeatMatrix, boxes: Sequence[Box]) -> str:
    """JSON with one box per line, so that a diff of two saves reads well."""
    head = {"format": FORMAT, "version": 1, "shape": list(matrix.shape)}
    lines = [json.dumps(box.to_json(), ensure_ascii=False) for box in boxes]
    body = ",\n  ".join(lines)
    boxes_text = f"[\n  {body}\n ]" if lines else "[]"
    return json.dumps(head, ensure_ascii=False)[:-1] + f',\n "boxes": {boxes_text}\n}}\n'


def write_sidecar(data_path: Path, matrix: HeatMatrix, boxes: Sequence[Box]) -> Path:
    """Save atomically next to ``data_path``; OSError (with the old sidecar intact) on failure."""
    path = sidecar_path(data_path)
    atomic_write_text(path, sidecar_text(matrix, boxes), protect=(data_path,))
    return path
