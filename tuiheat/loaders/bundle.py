"""What every bundle format shares: which member is what, choosing one, and describing it.

npz archives, ``.pt`` dicts, safetensors files and JSON objects all hold arrays
beside label vectors and a few scalars (title, vmin, vmax, axis names). Each
format lists its members as catalog entries and hands the others' values here;
the chosen array gets the labels that fit its axes (``core.axislabels``) and a
note for those that fit none, never an error.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from tuiheat.core.attention import attention_roles
from tuiheat.core.axislabels import Hint, apply_hints, is_label_name, roles_in_name
from tuiheat.core.catalog import (
    HEATMAP,
    LABELS,
    OTHER,
    SCALAR,
    TEXT,
    VECTOR,
    Catalog,
    Entry,
    listing,
    ranked,
)
from tuiheat.core.tensor import SliceError, Tensor, default_names
from tuiheat.loaders.base import ChooseArray, LoadError

AXES_KEYS = ("axes", "axis_names", "dims", "dim_names")
TEXT_KEYS = ("title", "row_title", "col_title")
NUMBER_KEYS = ("vmin", "vmax")
MAX_LABELS = 1 << 20  # longer vectors are data, not labels


def squeezed(shape: Sequence[int]) -> tuple[int, ...]:
    return tuple(int(n) for n in shape if n != 1)


def member_kind(name: str, shape: Sequence[int], kind: str) -> str:
    """What a member of ``shape`` and dtype kind (``f``, ``U``, ...) is to the picker."""
    dims = squeezed(shape)
    size = math.prod(int(n) for n in shape)
    if kind in "biuf":
        if len(dims) <= 1 and kind in "iu" and _only_label_words(name) and size > 1:
            return LABELS  # input_ids [1, T]: a batch of one id per token
        if len(shape) >= 2 and size > 1:
            return HEATMAP
        if size <= 1:
            return SCALAR
        return LABELS if is_label_name(name) and _only_label_words(name) else VECTOR
    if kind in "US":
        if len(dims) >= 2:
            return TEXT
        return SCALAR if size <= 1 and name in (*TEXT_KEYS,) else LABELS
    return OTHER


def _only_label_words(name: str) -> bool:
    """``layers``, ``head_ids``, ``x_ticks``: every word says "labels"; ``layer_auc`` is data."""
    from tuiheat.core.axislabels import LABEL_WORDS, ROLE_WORDS, name_words

    words = name_words(name)
    return bool(words) and all(w in ROLE_WORDS or w in LABEL_WORDS for w in words)


def choose(catalog: Catalog, key: str | None, what: str = "array") -> Entry:
    """The entry ``key`` names, or the only heatmap; several: ``ChooseArray``."""
    if key is not None:
        for entry in catalog.entries:
            if entry.key == key:
                return entry
        raise LoadError(f"no {what} {key!r}; the file holds: {listing(catalog.entries) or 'none'}")
    heatmaps = [e for e in catalog.entries if e.kind == HEATMAP]
    # A [1, T] row opens alone, but beside a real matrix it is not the likely choice.
    likely = [e for e in heatmaps if len(squeezed(e.shape)) >= 2] or heatmaps
    if len(likely) == 1:
        return likely[0]
    if not heatmaps:
        raise LoadError(
            f"no {what} to show as a heatmap (numbers on 2 or more axes, none of length 0) "
            f"among: {listing(catalog.entries) or 'nothing'}"
        )
    raise ChooseArray(
        f"holds several arrays; pick one with --key: {listing(ranked(likely))}",
        replace(catalog, entries=ranked(catalog.entries)),
    )


@dataclass
class BundleMeta:
    """What a bundle says beside its arrays, already turned into strings and numbers."""

    hints: list[Hint] = field(default_factory=list)
    axes: tuple[str, ...] | None = None
    texts: dict[str, str] = field(default_factory=dict)
    numbers: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def add(self, name: str, value: Sequence[str] | str | float) -> None:
        """File a member: axis names, a title or range end, or a label vector."""
        if name in AXES_KEYS and not isinstance(value, (str, float, int)):
            self.axes = tuple(value)
        elif name in TEXT_KEYS and isinstance(value, str):
            self.texts[name] = value
        elif name in NUMBER_KEYS and isinstance(value, (int, float)):
            if not math.isfinite(value):
                raise LoadError(f"{name!r} must be finite, got {value}")
            self.numbers[name] = float(value)
        elif not isinstance(value, (str, float, int)) and 1 < len(value) <= MAX_LABELS:
            self.hints.append(Hint(name, tuple(value)))


def describe(tensor: Tensor, meta: BundleMeta, member: str = "") -> Tensor:
    """The chosen array with the bundle's names, labels, titles and range applied.

    Axis names come from an ``axes`` member, else from the member's own name when it
    names every axis (``layer_by_head``) or says attention over square axes, else from
    values that are attention weights; these roles then decide the ties between labels.
    """
    notes = list(meta.notes)
    roles = None
    if meta.axes is not None:
        if len(meta.axes) == tensor.ndim and len(set(meta.axes)) == tensor.ndim:
            tensor = tensor.with_names(meta.axes)
        else:
            notes.append(f"{len(meta.axes)} axis names do not fit a {tensor.ndim}-D array, ignored")
    if tensor.names == default_names(tensor.ndim):  # not named by the format or ``axes``
        roles = roles_in_name(member, tensor.shape) if member else None
        roles = roles or attention_roles(tensor.values)
    tensor = apply_hints(replace(tensor, notes=(*tensor.notes, *notes)), meta.hints, roles)
    names = list(tensor.names)
    if tensor.ndim == 2:
        for k, axis in (("row_title", 0), ("col_title", 1)):
            other = names[1 - axis]
            if k in meta.texts and meta.texts[k] and meta.texts[k] != other:
                names[axis] = meta.texts[k]
    vmin, vmax = meta.numbers.get("vmin", tensor.vmin), meta.numbers.get("vmax", tensor.vmax)
    if vmin is not None and vmax is not None and vmin > vmax:
        raise LoadError(f"'vmin' {vmin} is above 'vmax' {vmax}")
    try:
        return replace(
            tensor,
            names=tuple(names),
            title=meta.texts.get("title", tensor.title),
            vmin=vmin,
            vmax=vmax,
        )
    except SliceError as err:
        raise LoadError(str(err)) from None


def label_texts(values: Iterable[object]) -> tuple[str, ...]:
    """Labels from Python values: strings kept as written, numbers as their text."""
    out = []
    for value in values:
        if isinstance(value, bytes):
            out.append(value.decode("utf-8", errors="replace"))
        elif isinstance(value, float) and value.is_integer():
            out.append(str(int(value)))
        else:
            out.append(str(value))
    return tuple(out)


def meta_from_mapping(items: Mapping[str, object], skip: str) -> BundleMeta:
    """Metadata from plain Python members (JSON objects, .pt dicts): lists, strings, numbers."""
    meta = BundleMeta()
    for name, value in items.items():
        if name == skip:
            continue
        if isinstance(value, str) or (
            isinstance(value, (int, float)) and not isinstance(value, bool)
        ):
            meta.add(name, value)
        elif (
            isinstance(value, (list, tuple))
            and _flat_labels(value)
            and (name in AXES_KEYS or _is_text_list(value) or _only_label_words(name))
        ):
            meta.add(name, label_texts(value))
    return meta


def _flat_labels(value: Sequence[object]) -> bool:
    return all(isinstance(x, (str, int, float, bytes)) and not isinstance(x, bool) for x in value)


def _is_text_list(value: Sequence[object]) -> bool:
    return any(isinstance(x, str) for x in value)
