"""Which axes of a tensor are the layers, heads, queries and keys of attention patterns.

The head overview needs all four. They come from the axis names (``layer``, ``head``,
``query``/``q``, ``key``/``k``, as ``core.axislabels.role_of`` reads them, whether the
file, a label vector or ``--names`` gave them); axes whose names say nothing take the
missing roles in the usual order of model outputs, ``[layer, head, query, key]``. An axis
of length 1 left over (HuggingFace's stacked ``[layer, batch=1, head, q, k]``) is read at
index 0; a longer one is refused, by name, with how to fix it.
"""

from __future__ import annotations

from dataclasses import dataclass

from tuiheat.core.axislabels import role_of
from tuiheat.core.labels import sanitize
from tuiheat.core.tensor import SliceError, Tensor

ROLES = ("layer", "head", "query", "key")
NEEDS = "a head summary needs layer, head, query and key axes"


def names_fix(tensor: Tensor, extra: int | None = None) -> str:
    """How to name the axes, with as many names as the array has axes: an axis more than
    the four (``extra``, else the second, where model outputs keep a batch) is a ``batch``
    to fix with ``--slice``."""
    if tensor.ndim <= 4:
        return "name the axes with --names, e.g. --names layer,head,query,key"
    names = ["layer", "head", "query", "key"]
    at = 1 if extra is None else extra
    others = [f"dim{i}" for i in range(tensor.ndim - 5)]
    names[at:at] = ["batch", *others]
    return f"name the axes, e.g. --names {','.join(names)} --slice batch=0"


@dataclass(frozen=True)
class HeadAxes:
    """The axis numbers of the four roles in the tensor; any other axis is read at 0."""

    layer: int
    head: int
    query: int
    key: int

    @classmethod
    def of(cls, tensor: Tensor) -> HeadAxes:
        """The roles of ``tensor``'s axes; ``SliceError`` (one line) when it has not all four."""
        found = _named(tensor)
        anonymous = [a for a in range(tensor.ndim) if a not in found.values()]
        missing = [role for role in ROLES if role not in found]
        if missing:
            found.update(_guessed(tensor, missing, anonymous))
        axes = cls(*(found[role] for role in ROLES))
        for axis in axes.others(tensor.ndim):
            if tensor.shape[axis] != 1:
                name = sanitize(tensor.names[axis])
                raise SliceError(
                    f"axis {name} (length {tensor.shape[axis]}) is not a layer, head, query "
                    f"or key axis: fix it with --slice {name}=0 (or 1, ...)"
                )
        return axes

    @property
    def roles(self) -> tuple[int, int, int, int]:
        """The axis numbers in the order ``[layer, head, query, key]``."""
        return (self.layer, self.head, self.query, self.key)

    def others(self, ndim: int) -> tuple[int, ...]:
        """The axes of an ``ndim``-D tensor that are none of the four (each read at 0)."""
        return tuple(a for a in range(ndim) if a not in self.roles)


def _named(tensor: Tensor) -> dict[str, int]:
    """The roles the axis names give; a role named twice is an error."""
    found: dict[str, int] = {}
    for axis, name in enumerate(tensor.names):
        role = role_of(name)
        if role not in ROLES:
            continue
        if role in found:
            first = sanitize(tensor.names[found[role]])
            raise SliceError(
                f"two axes read as the {role} axis ({first}, {sanitize(name)}); {names_fix(tensor)}"
            )
        found[role] = axis
    return found


def _guessed(tensor: Tensor, missing: list[str], anonymous: list[int]) -> dict[str, int]:
    """The missing roles given to the axes whose names say nothing, in model order. Spare
    axes of length 1 are left out first (a batch of 1: where HuggingFace stacks it, after
    the layers, before any other); more axes than roles, or fewer, is an error."""
    spare = len(anonymous) - len(missing)
    have = ", ".join(sanitize(n) for n in tensor.names)
    if spare < 0 and len(missing) == len(ROLES):
        raise SliceError(f"{NEEDS}; this {tensor.ndim}-D array has {tensor.ndim} ({have})")
    if spare < 0:
        lacking = " or ".join(
            [", ".join(missing[:-1]), missing[-1]] if len(missing) > 1 else missing
        )
        raise SliceError(f"{NEEDS}; no {lacking} axis among {have}: {names_fix(tensor)}")
    order = sorted(anonymous, key=lambda a: (tensor.shape[a] != 1, a != 1))
    extra = set(order[:spare])
    if any(tensor.shape[a] != 1 for a in extra):
        axis = min((a for a in extra if tensor.shape[a] != 1), key=anonymous.index)
        name = sanitize(tensor.names[axis])
        raise SliceError(
            f"{NEEDS}; this {tensor.ndim}-D array has an axis more: {name} (length "
            f"{tensor.shape[axis]}); {names_fix(tensor, axis)}"
        )
    given = dict(zip(missing, [a for a in anonymous if a not in extra], strict=True))
    query, key = given.get("query"), given.get("key")
    if query is not None and key is not None and tensor.shape[query] != tensor.shape[key]:
        raise SliceError(
            f"{NEEDS}; the axes taken for query and key ({sanitize(tensor.names[query])}, "
            f"{sanitize(tensor.names[key])}) differ in length ({tensor.shape[query]} × "
            f"{tensor.shape[key]}): {names_fix(tensor)}"
        )
    return given
