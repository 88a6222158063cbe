"""Label vectors of a bundle matched to the axes of the array on screen.

A result bundle holds one or more arrays beside label vectors (``tokens``,
``layer_labels``, ``head_names``, ``positions``). Which axis a vector labels is
not written anywhere, so it is inferred: by what the vector's name and the axes'
names say (``layer``, ``head``, ``token``/``position``, ``query``/``q``,
``key``/``k``, ``row``/``col``), then by length, then by the usual order of model
outputs ([layer, head, query, key]; a 2-D grid is [layer, token]). A token list
labels every axis of its length that may hold tokens (query and key of attention).
A vector that fits no axis is a note, never an error: the same bundle holds arrays
of other shapes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from tuiheat.core.labels import sanitize

if TYPE_CHECKING:
    from tuiheat.core.tensor import Tensor

# Words that say which axis a name is about, and the role they give it.
ROLE_WORDS = {
    "layer": "layer",
    "block": "layer",
    "head": "head",
    "token": "token",
    "tok": "token",
    "position": "token",
    "pos": "token",
    "word": "token",
    "query": "query",
    "q": "query",
    "key": "key",
    "k": "key",
    "row": "row",
    "index": "row",
    "y": "row",
    "yticklabel": "row",
    "col": "col",
    "column": "col",
    "x": "col",
    "xticklabel": "col",
}
# Words that only say "these are labels": dropped before a name names an axis.
LABEL_WORDS = frozenset(
    ("label", "name", "id", "idx", "tick", "ticklabel", "str", "string", "list", "text", "input")
)
# Which roles are looked for first: a specific position before a whole vocabulary.
ROLE_ORDER = ("row", "col", "layer", "head", "query", "key", "token", "")
# Axis names a role gives to an axis that had only a default name.
ROLE_NAMES = {"layer": "layer", "head": "head", "query": "query", "key": "key"}
# Names of attention patterns, and what the axes of attention are by their number, in the
# usual order of model outputs (a 4-D one may start with a batch: a label vector corrects it).
ATTENTION_WORDS = frozenset(("attn", "attention", "pattern"))
ATTENTION_GUESS = {
    2: ("query", "key"),
    3: ("head", "query", "key"),
    4: ("layer", "head", "query", "key"),
}
_IRREGULAR = {"queries": "query", "indices": "index", "indexes": "index", "ids": "id"}


@dataclass(frozen=True)
class Hint:
    """A label vector found beside the array: where it came from and what it holds."""

    name: str
    labels: tuple[str, ...]


@dataclass(frozen=True)
class Roles:
    """What each axis is (``""``: not known). ``known`` is what a name or the values say;
    ``guessed`` adds what the usual order of model outputs suggests, which only steers
    label vectors and names an axis nothing else names."""

    known: tuple[str, ...]
    guessed: tuple[str, ...]


@dataclass(frozen=True)
class Matched:
    """Labels and new names per axis, and the hints that fit no axis: by length
    (``unmatched``), or by length but not by name (``refused``)."""

    labels: dict[int, tuple[str, ...]]
    names: dict[int, str]
    unmatched: tuple[Hint, ...]
    refused: tuple[Hint, ...] = ()


def name_words(name: str) -> list[str]:
    """``layer_labels`` -> [layer, label]; ``xTickLabels`` -> [x, tick, label]; singular."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name)
    words = [w for w in re.split(r"[^A-Za-z0-9]+", spaced.lower()) if w]
    return [_singular(w) for w in words]


def _singular(word: str) -> str:
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def role_of(name: str) -> str:
    """The role a name gives (``""`` when it says nothing about the axis)."""
    words = name_words(name)
    roles = {ROLE_WORDS[w] for w in words if w in ROLE_WORDS}
    for role in ("query", "key", "layer", "head", "row", "col", "token"):
        if role in roles:
            return role
    return ""


def is_label_name(name: str) -> bool:
    """Whether a numeric vector's name says it labels an axis (``layers``, ``head_ids``)."""
    words = name_words(name)
    return any(w in ROLE_WORDS or w in LABEL_WORDS for w in words)


def axis_name_for(hint_name: str, role: str) -> str:
    """The axis name a hint gives: ``layer_labels`` -> ``layer``, ``positions`` -> ``position``."""
    if role in ROLE_NAMES:
        return ROLE_NAMES[role]
    words = [w for w in name_words(hint_name) if w not in LABEL_WORDS]
    if role == "token":
        return "position" if {"position", "pos"} & set(words) else "token"
    if role or not words or len(words) == len(name_words(hint_name)):
        return ""  # row/col say where, not what; a bare name (``classes``) is not an axis name
    return "_".join(words)


def match_labels(
    shape: Sequence[int],
    axis_names: Sequence[str],
    hints: Sequence[Hint],
    labelled: Sequence[bool] = (),
    guessed: Sequence[str] = (),
) -> Matched:
    """Assign each hint to the axes it fits; axes in ``labelled`` already have labels.

    A hint's name decides first (a layer vector never labels a head or key axis), then
    its length; ``guessed`` axis names (what an axis probably is) break the ties.
    """
    ndim = len(shape)
    claimed = [bool(x) for x in labelled] if labelled else [False] * ndim
    axis_roles = [role_of(n) for n in axis_names]
    guesses = [role or role_of(g) for role, g in zip(axis_roles, guessed)] or axis_roles
    labels: dict[int, tuple[str, ...]] = {}
    names: dict[int, str] = {}
    unmatched: list[Hint] = []
    refused: list[Hint] = []
    ordered = sorted(hints, key=lambda h: ROLE_ORDER.index(role_of(h.name)))
    for hint in ordered:
        role = role_of(hint.name)
        by_length = [a for a in range(ndim) if shape[a] == len(hint.labels)]
        fits = [a for a in by_length if role not in FITS or axis_roles[a] in FITS[role]]
        if not fits:
            (refused if by_length else unmatched).append(hint)
            continue
        free = [a for a in fits if not claimed[a]]
        axes = _choose_axes(role, free, guesses, ndim)
        for axis in axes:
            claimed[axis] = True
            labels[axis] = hint.labels
        if len(axes) == 1:  # a token list over both axes of attention names neither
            name = axis_name_for(hint.name, role)
            if name:
                names[axes[0]] = name
    return Matched(labels, names, tuple(unmatched), tuple(refused))


# The axis roles a hint of each role may label: its own, or an axis nothing is known of.
FITS = {
    "layer": ("layer", ""),
    "head": ("head", ""),
    "query": ("query", "token", ""),
    "key": ("key", "token", ""),
    "token": ("token", "query", "key", ""),  # a token list fits both axes of attention
}


def _choose_axes(role: str, free: list[int], guesses: list[str], ndim: int) -> list[int]:
    """The free axes a hint of ``role`` labels: one for a specific role, all for tokens.
    An axis guessed to be something else is left to other hints when another fits."""
    if role in FITS:
        free = [a for a in free if guesses[a] in FITS[role]] or free
    if not free:
        return []
    named = [a for a in free if guesses[a] == role and role]
    if role in ("token", ""):
        return free
    if named:
        return named[:1]
    if role in ("row", "query"):
        return [ndim - 2] if ndim - 2 in free else free[:1]
    if role in ("col", "key"):
        return [ndim - 1] if ndim - 1 in free else free[-1:]
    return free[:1]  # layer, head: the outer axes come first in model outputs


def roles_in_name(name: str, shape: Sequence[int]) -> Roles | None:
    """What a member's own name says of its axes, or None when it says nothing of them all.

    A name that names every axis in order (``layer_by_head``) says what each is. A name
    that says attention (``attn``, ``blocks.3.attn.hook_pattern``) says query and key only
    when the last two axes are square: ``attn_received [layers, tokens]`` is a summary. The
    outer axes of attention are guessed ([head, q, k]; [layer, head, q, k])."""
    ndim = len(shape)
    words = name_words(name)
    roles = tuple(dict.fromkeys(r for r in (role_of(w) for w in words) if r))
    if len(roles) == ndim and not any(r in ("row", "col") for r in roles):
        return Roles(roles, roles)
    attention = ATTENTION_WORDS.intersection(words) and "mask" not in words
    if not attention or ndim not in ATTENTION_GUESS or shape[-1] != shape[-2]:
        return None
    return Roles(("",) * (ndim - 2) + ("query", "key"), ATTENTION_GUESS[ndim])


def apply_hints(tensor: Tensor, hints: Sequence[Hint], roles: Roles | None = None) -> Tensor:
    """The tensor with matched labels, axis names said by the roles and the hints, and a
    note of the hints that fit no axis.

    Axes that already have labels keep them; an axis is renamed only from its default
    name, and never to a name another axis has: first to what ``roles`` know (from the
    array's name or values, which default names cannot tell), then to what a hint's name
    says, then to what ``roles`` guess.
    """
    from tuiheat.core.tensor import default_names

    if not hints and roles is None:
        return tensor
    defaults = default_names(tensor.ndim)
    # Default names say nothing, but the 2-D ones (Layer, Token) are the usual guess.
    known = (
        list(roles.known)
        if roles
        else [n if n != d else "" for n, d in zip(tensor.names, defaults)]
    )
    guessed = list(roles.guessed) if roles else list(tensor.names)
    matched = match_labels(
        tensor.shape, known, hints, [x is not None for x in tensor.labels], guessed
    )
    labels = list(tensor.labels)
    for axis, found in matched.labels.items():
        labels[axis] = found
    names = list(tensor.names)
    for proposed in (dict(enumerate(known)), matched.names, dict(enumerate(guessed))):
        for axis, name in proposed.items():
            taken = {n.lower() for i, n in enumerate(names) if i != axis}
            if name and names[axis] == defaults[axis] and name.lower() not in taken:
                # 2-D defaults are capitalised (Layer, Token): a new name follows suit.
                names[axis] = name.capitalize() if names[axis][:1].isupper() else name
    notes = tensor.notes
    if matched.unmatched or matched.refused:
        notes = (*notes, unmatched_note(matched))
    return replace(tensor, labels=tuple(labels), names=tuple(names), notes=notes)


def unmatched_note(matched: Matched) -> str:
    """``head_labels [12] fits no axis, ignored``; ``layer_labels [24] fits no layer axis,
    ignored`` when only axes its name rules out (query, key) are 24 long. One short line:
    it goes in the title."""
    parts = []
    if matched.unmatched:
        listed = ", ".join(f"{sanitize(h.name)} [{len(h.labels)}]" for h in matched.unmatched)
        parts.append(f"{listed} {'fits' if len(matched.unmatched) == 1 else 'fit'} no axis")
    for hint in matched.refused:
        role = role_of(hint.name)
        parts.append(f"{sanitize(hint.name)} [{len(hint.labels)}] fits no {role} axis")
    return "; ".join(parts) + ", ignored"
