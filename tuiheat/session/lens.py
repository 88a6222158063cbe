"""Opening a logit lens: the bundle's top-k pair or full distribution (``core.lensmatch``),
token ids read through the model's own tokenizer (``--tokenizer``), and the grid that print
mode, exports and the viewer show: each cell's top-1 probability with its token written in
the cell, or with ``--track TOKEN`` that token's probability everywhere.

Nothing is unpickled and nothing is fetched: a tokenizer is a local ``tokenizer.json`` or
one already in the Hugging Face cache.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from tuiheat.session.options import Options, UsageError, display_name

POSITION_WORDS = frozenset(("token", "tokens", "input", "prompt", "position", "word", "text"))


@dataclass
class LensFile:
    """A lens and what names its cells: the prompt's tokens along the positions."""

    lens: Any  # core.lens.StoredLens | core.lens.FullLens
    positions: tuple[str, ...] | None = None
    notes: list[str] = field(default_factory=list)
    vocabulary: Any = None  # loaders.tokenizer.Vocabulary, with --tokenizer
    found: dict[object, Any] = field(default_factory=dict)  # passes made once: top-1, tracks
    followed: object | None = None  # the token --track put on the grid (its key)
    followed_name: str = ""  # ... as the titles name it
    title: str = ""  # how the grids' titles name the lens (the file)

    def top1(self) -> tuple[np.ndarray, np.ndarray]:
        if "top1" not in self.found:
            self.found["top1"] = self.lens.top1()
        return self.found["top1"]  # type: ignore[no-any-return]

    def track(self, key: object) -> Any:
        if ("track", key) not in self.found:
            self.found[("track", key)] = self.lens.track(key)
        return self.found[("track", key)]


def asks_for_lens(options: Options) -> bool:
    return bool(
        options.lens or options.topk_tokens or options.topk_probs or options.track or options.cell
    )


def open_lens(options: Options, name: str) -> LensFile | None:
    """The lens ``name`` holds (by its arrays' names and shapes, or as the options say);
    None when it holds none and none was asked for."""
    from tuiheat.core.catalog import Catalog
    from tuiheat.core.lensmatch import LensMatchError, LensMembers, find_lens
    from tuiheat.loaders import LoadError
    from tuiheat.loaders.listing import file_catalog

    if name == "-" or (options.key is not None and not asks_for_lens(options)):
        return None
    try:
        catalog: Catalog = file_catalog(name)
    except LoadError:
        return None  # the usual reading says what is wrong with the file
    try:
        members = find_lens(catalog, options.topk_tokens, options.topk_probs)
    except LensMatchError as err:
        raise UsageError(f"{display_name(name)}: {err}") from None
    if members is None and options.lens:
        arrays = [e for e in catalog.entries if len(e.shape) == 3]
        key = options.key if options.key is not None else (arrays[0].key if arrays else None)
        members = LensMembers(full=key) if key is not None else None
    if members is None:
        if asks_for_lens(options):
            raise UsageError(
                f"{display_name(name)}: no logit lens found; name its arrays with --topk-tokens "
                "KEY --topk-probs KEY, or give --lens for a [layers, positions, vocab] array"
            )
        return None
    vocabulary = _vocabulary(options)
    lens = (
        _stored(name, members, vocabulary) if members.stored else _full(name, members, vocabulary)
    )
    notes = [] if vocabulary is None else _fit_note(lens, vocabulary)
    numbered = getattr(lens, "keys", None) is None or lens.keys.dtype.kind in "iu"
    if vocabulary is None and numbered and members.names is None:
        notes.append(
            "token ids are shown as numbers: give --tokenizer (a tokenizer.json, or ORG/NAME "
            "from the local Hugging Face cache)"
        )
    if lens.kind == "logits":
        said = "as their name says" if members.said == "logits" else "by their values"
        shown_as = (
            "shown as probabilities (softmax over the vocabulary)"
            if members.full is not None or not members.stored
            else "shown as they are (a top k alone gives no probabilities)"
        )
        notes.append(f"the lens holds logits ({said}): {shown_as}")
    return LensFile(lens, _positions(name, catalog, lens.shape[1]), notes, vocabulary)


def _fit_note(lens: Any, vocabulary: Any) -> list[str]:
    """A tokenizer of another model: ids beyond its vocabulary, or a vocabulary of another
    size than the lens's, say so (the tokens shown would be another model's)."""
    size = vocabulary.size
    vocab = getattr(lens, "vocab", None)
    if vocab is not None and vocab != size:
        return [
            f"the tokenizer has {size} tokens and the lens's vocabulary {vocab}: another model's?"
        ]
    keys = getattr(lens, "keys", None)
    if keys is not None and keys.dtype.kind in "iu" and keys.size and int(keys.max()) >= size:
        return [
            f"token ids up to {int(keys.max())}, beyond the tokenizer's {size}: another model's?"
        ]
    return []


def _vocabulary(options: Options) -> Any:
    if not options.tokenizer:
        return None
    from tuiheat.loaders.tokenizer import TokenizerError, Vocabulary, find_tokenizer

    try:
        return Vocabulary.load(find_tokenizer(options.tokenizer))
    except TokenizerError as err:
        raise UsageError(f"--tokenizer: {err}") from None


def _array(name: str, key: str | None) -> np.ndarray:
    from tuiheat.core.tensor import SliceError, in_memory
    from tuiheat.loaders import LoadError, load_tensor, load_text_grid

    try:
        return in_memory(load_tensor(name, key=key)).values
    except LoadError:
        try:
            return load_text_grid(name, key or "")
        except LoadError as err:
            raise UsageError(f"{display_name(name)}: {key!r}: {err}") from None
    except SliceError as err:
        raise UsageError(f"{display_name(name)}: {err}") from None


def _stored(name: str, members: Any, vocabulary: Any) -> Any:
    from tuiheat.core.lens import LensError, StoredLens

    keys, scores = _array(name, members.tokens), _array(name, members.scores)
    if keys.ndim == 2:  # the top 1
        keys, scores = keys[..., None], scores[..., None]
    if keys.dtype.kind == "f" and np.array_equal(keys, np.round(keys)):  # JSON's ids
        keys = keys.astype(np.int64)
    found = _kind_of(scores)  # the values decide: logits named "probs" are still logits
    kind = "logits" if found == "logits" else (members.said or found)
    names = None
    if vocabulary is not None and keys.dtype.kind in "iu":
        names = vocabulary.tokens
    elif members.names is not None:
        names = _names_from(keys, _array(name, members.names))
    try:
        return StoredLens(np.asarray(keys), np.asarray(scores), kind, names)
    except LensError as err:
        raise UsageError(f"{display_name(name)}: {err}") from None


def _kind_of(scores: np.ndarray) -> str:
    """A top k's own scores: probabilities lie in [0, 1] (they need not sum to 1)."""
    finite = np.asarray(scores, dtype=np.float64)
    finite = finite[np.isfinite(finite)]
    return "logits" if finite.size and (finite.min() < 0 or finite.max() > 1) else "probs"


def _names_from(ids: np.ndarray, strings: np.ndarray) -> Any:
    """How each id reads, from a strings array beside the ids (ids stay the keys)."""
    table = dict(zip(ids.ravel().tolist(), map(str, strings.ravel().tolist()), strict=False))

    def names(keys: np.ndarray) -> list[str]:
        return [table.get(k, str(k)) for k in np.asarray(keys).ravel().tolist()]

    return names


def _full(name: str, members: Any, vocabulary: Any) -> Any:
    from tuiheat.core.lens import FullLens, LensError

    values = _array(name, members.full or None)
    try:
        lens = FullLens.guess(values, vocabulary.tokens if vocabulary is not None else None)
    except LensError as err:
        raise UsageError(f"{display_name(name)}: {err}") from None
    if members.said in ("probs", "logits"):
        lens.kind = members.said
    return lens


def _positions(name: str, catalog: Any, n: int) -> tuple[str, ...] | None:
    """The prompt's tokens: a label vector of the positions' length, named for them."""
    from tuiheat.core.axislabels import name_words
    from tuiheat.loaders import LoadError, load_text_grid

    for entry in catalog.entries:
        if entry.shape == (n,) and set(name_words(entry.key)) & POSITION_WORDS:
            try:
                return tuple(str(t) for t in load_text_grid(name, entry.key).tolist())
            except LoadError:
                continue
    return None


# --- the grid -----------------------------------------------------------------------------


def lens_tensor(lf: LensFile, options: Options, title: str) -> Any:
    """What print mode, exports and the viewer show: each cell's top-1 probability (its
    logit, for a lens of logits) with the token written in the cell; with ``--track``, the
    token's probability at every cell (unknown where a stored top k does not hold it)."""
    lf.title = title
    if options.track:
        lf.followed, lf.followed_name = track_key(lf, options.track)
        return tracked_tensor(lf, lf.followed, lf.followed_name, title)
    return top1_tensor(lf, title)


def top1_tensor(lf: LensFile, title: str) -> Any:
    """Each cell's top-1 probability, the token written in it; ``▸`` marks the layer from
    which each position's final answer stays top-1."""
    from tuiheat.core.lens import answer_layers
    from tuiheat.core.tensor import Tensor

    lens = lf.lens
    keys, best = lf.top1()
    tokens = np.array(lens.names(keys.ravel()), dtype=object).reshape(keys.shape)
    for position, layer in enumerate(answer_layers(keys).tolist()):
        tokens[layer, position] = "▸" + str(tokens[layer, position])
    return Tensor(
        best,
        ("layer", "position"),
        (None, lf.positions),
        f"{title}: top-1",
        *_range(lens.probabilities),
        text=tokens,
        notes=tuple(lf.notes),
    )


def tracked_tensor(lf: LensFile, key: object, name: str, title: str) -> Any:
    """The grid of one token's probability (or logit) at every cell."""
    from tuiheat.core.tensor import Tensor

    lens, tracked = lf.lens, lf.track(key)
    what = "probability" if lens.probabilities else "logit"
    return Tensor(
        tracked.values,
        ("layer", "position"),
        (None, lf.positions),
        f"{title}: {what} of {name}",
        *_range(lens.probabilities),
        notes=tuple(lf.notes),
    )


def rank_tensor(lf: LensFile, key: object, name: str, title: str) -> Any:
    """The grid of one token's rank at every cell of a full distribution (1: top-1)."""
    from tuiheat.core.tensor import Tensor

    lens, tracked = lf.lens, lf.track(key)
    return Tensor(
        tracked.ranks.astype(np.float64),
        ("layer", "position"),
        (None, lf.positions),
        f"{title}: rank of {name}",
        1.0,
        float(max(2, lens.vocab)),
        notes=tuple(lf.notes),
    )


def _range(probabilities: bool) -> tuple[float | None, float | None]:
    return (0.0, 1.0) if probabilities else (None, None)


def track_key(lf: LensFile, text: str) -> tuple[object, str]:
    """``--track TOKEN``: the token as written (``Ġthe``), with a leading space for the word
    mark (`` the``), or ``#ID``; its key in the lens and how to name it."""
    lens = lf.lens
    ids = getattr(lens, "keys", None) is None or lens.keys.dtype.kind in "iu"
    if text.startswith("#") and text[1:].isdigit() and ids:
        key = int(text[1:])
        vocab = getattr(lens, "vocab", None)
        if (vocab is not None and key >= vocab) or (vocab is None and not (lens.keys == key).any()):
            where = (
                f"outside the vocabulary of {vocab}" if vocab is not None else "in no cell's top k"
            )
            raise UsageError(f"--track {text}: token id {key} is {where}")
        return key, text
    spellings = [text]
    if text[:1] in (" ", "␣"):
        spellings += ["Ġ" + text[1:], "▁" + text[1:]]
    for spelling in spellings:
        key = _key_of(lf, spelling, ids)
        if key is not None:
            return key, shown(spelling)
    how = "give #ID, or --tokenizer for the model's vocabulary" if ids else "spell it as stored"
    raise UsageError(f"--track {text!r}: no such token ({how})")


def _key_of(lf: LensFile, spelling: str, ids: bool) -> object | None:
    lens = lf.lens
    if not ids:
        return spelling if (lens.keys == spelling).any() else None
    if lf.vocabulary is not None:
        return lf.vocabulary.id_of(spelling)
    if hasattr(lens, "keys"):  # ids named by a strings array beside them
        flat = lens.keys.ravel()
        read = lens.names(flat)
        return next(
            (int(k) for k, n in zip(flat.tolist(), read, strict=True) if n == spelling), None
        )
    return None


# --- what print mode says besides the grid --------------------------------------------------


def told_apart(tokens: tuple[str, ...] | list[str], keys: list[object]) -> tuple[str, ...]:
    """Tokens as the viewer writes them (``␣the``); two ids that read alike get their ids
    (``␣the #260``, ``␣the #330``), so they never look like one."""
    from tuiheat.core.labels import readable_token, sanitize

    read = [sanitize(readable_token(t)) for t in tokens]
    seen = {r for r in read if read.count(r) > 1}
    return tuple(f"{r} #{k}" if r in seen else r for r, k in zip(read, keys, strict=True))


def shown(token: str) -> str:
    """A token as the viewer writes it (``␣the``, ``↵``), quoted, never an escape."""
    from tuiheat.core.labels import readable_token, sanitize

    return repr(sanitize(readable_token(token)))


def lens_report(lf: LensFile, options: Options) -> list[str]:
    """``--cell``: that cell's top k; ``--track``: where the token enters the top k and
    becomes top-1, per position; else where each position's final answer settles."""
    from tuiheat.core.lens import answer_layers, first_layers

    lens, layers = lf.lens, lf.lens.shape[0]
    where = [sanitize_label(lf, p) for p in range(lens.shape[1])]
    if options.cell:
        return _cell_table(lf, options)
    if options.track:
        key, name = track_key(lf, options.track)
        tracked = lf.track(key)
        k = getattr(lens, "k", None) or options.topk or 10
        enters = first_layers((tracked.ranks > 0) & (tracked.ranks <= k))
        top = first_layers(tracked.ranks == 1)
        lines = [f"{name}: where it enters the top {k} and becomes top-1 (layers 0–{layers - 1})"]
        for p, label in enumerate(where):
            a = f"never in the top {k}" if enters[p] < 0 else f"in the top {k} at layer {enters[p]}"
            b = "never top-1" if top[p] < 0 else f"top-1 at layer {top[p]}"
            lines.append(f"  {label}: {a}, {b}")
        return lines
    keys, _ = lf.top1()
    settled = answer_layers(keys)
    final = lens.names(keys[-1])
    lines = [f"answer first top-1 (and top-1 from then on), by position (of layers 0–{layers - 1})"]
    for p, label in enumerate(where):
        lines.append(f"  {label}: {shown(final[p])} from layer {settled[p]}")
    return lines


def sanitize_label(lf: LensFile, position: int) -> str:
    if lf.positions is None:
        return f"position {position}"
    return f"position {position} {shown(lf.positions[position])}"


def _cell_table(lf: LensFile, options: Options) -> list[str]:
    from tuiheat.core.boxes import BoxError, resolve_endpoint
    from tuiheat.core.labels import readable_token

    lens = lf.lens
    assert options.cell is not None
    row_text, comma, col_text = options.cell.partition(",")
    if not comma:
        raise UsageError(f"--cell {options.cell!r}: give ROW,COL (a layer and a position)")
    layers = tuple(str(i) for i in range(lens.shape[0]))
    positions = lf.positions or tuple(str(i) for i in range(lens.shape[1]))
    readable = tuple(readable_token(p) for p in positions)  # ␣is as the viewer writes it
    try:
        row = resolve_endpoint(row_text.strip(), layers, "layer")
        try:
            col = resolve_endpoint(col_text.strip(), positions, "position")
        except BoxError:
            col = resolve_endpoint(col_text.strip(), readable, "position")
    except BoxError as err:
        raise UsageError(f"--cell {options.cell!r}: {err}") from None
    k = options.topk or 10
    cell = lens.cell(row, col, k)
    lines = [f"top {len(cell.tokens)} at layer {row}, {sanitize_label(lf, col)}"]
    for rank, token in enumerate(told_apart(cell.tokens, cell.keys.tolist())):
        parts = [f"{rank + 1:>4}", f"{token!r:<24}"]
        if cell.probs is not None:
            parts.append(f"p {cell.probs[rank]:.4f}")
        if cell.logits is not None:
            parts.append(f"logit {cell.logits[rank]:.3f}")
        lines.append("  ".join(parts))
    return lines
