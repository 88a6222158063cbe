"""The logit lens as data: at every (layer, position) cell a distribution over the vocabulary,
stored whole (``FullLens``: ``[layers, positions, vocab]`` logits or probabilities, memory-
mapped, read one cell or one block of cells at a time) or as its top k (``StoredLens``:
``[layers, positions, k]`` token ids or strings with their probabilities or logits).

What the explorer asks of either: the top k of one cell (``cell``), the top-1 grid
(``top1``), one token followed through every cell (``track``), and where the final answer
settles (``answer_layers``). Tokens are told apart by id where there are ids, so two ids
that read the same never merge. Pure numpy; a pass over a big file is cancellable and
reports progress like every other pass (``core.blocks``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np

from tuiheat.core.blocks import Cancelled
from tuiheat.core.matrix import HeatMatrix

Scores = Literal["probs", "logits"]
Progress = Callable[[float], None]
Names = Callable[[np.ndarray], list[str]]  # token ids -> the tokens as written
BLOCK_BYTES = 8 << 20  # cells read at once from a full distribution, in the file's bytes
LOGIT_CHECK = 4  # cells looked at to tell logits from probabilities


class LensError(ValueError):
    """Arrays that do not make a logit lens (one line, for the user)."""


@dataclass(frozen=True)
class TopK:
    """One cell's best tokens, best first (ties: the lower id, or the stored order)."""

    keys: np.ndarray  # (k,) token ids (int64) or token strings (object)
    tokens: tuple[str, ...]  # as written, for display
    probs: np.ndarray | None  # (k,) float64; None when only logits are known
    logits: np.ndarray | None  # (k,) float64, when given


@dataclass(frozen=True)
class Tracked:
    """One token at every cell: its probability (NaN where it is unknown), whether it is in
    the cell's top k, its rank (1 = top-1; 0 where unknown: out of a stored top k), and for
    a stored top k, the k-th value (the token's is below it where it is absent)."""

    values: np.ndarray  # [layers, positions] float64
    present: np.ndarray  # [layers, positions] bool: in the top k (a full distribution: True)
    ranks: np.ndarray  # [layers, positions] int64
    bound: np.ndarray | None = None  # [layers, positions]: a stored top k's last value


def default_names(keys: np.ndarray) -> list[str]:
    return [str(k) for k in np.asarray(keys).ravel().tolist()]


# --- one distribution -------------------------------------------------------------------


def softmax(row: np.ndarray) -> np.ndarray:
    """Probabilities from logits, in float64, stable (−inf: 0; a row of NaN stays NaN)."""
    x = np.asarray(row, dtype=np.float64)
    top = np.max(x, axis=-1, keepdims=True) if x.size else x
    with np.errstate(invalid="ignore", over="ignore"):
        e = np.exp(x - top)
        return e / np.sum(e, axis=-1, keepdims=True)


def looks_like_logits(rows: np.ndarray) -> bool:
    """Logits, not probabilities: a negative value, or rows that do not sum to 1."""
    x = np.asarray(rows, dtype=np.float64)
    finite = x[np.isfinite(x)]
    if finite.size == 0:
        return False
    if (finite < 0).any() or (finite > 1).any():
        return True
    sums = np.nansum(np.where(np.isfinite(x), x, 0.0), axis=-1)
    return not np.allclose(sums, 1.0, atol=2e-2)


def top_k(row: np.ndarray, k: int) -> np.ndarray:
    """The ids of the ``k`` highest values, highest first, equal values by id; NaN never
    ranks above a number. One cell's vocabulary: argpartition, then a sort of k."""
    x = np.asarray(row, dtype=np.float64)
    x = np.where(np.isnan(x), -np.inf, x)
    k = max(0, min(k, x.size))
    if k == 0:
        return np.zeros(0, dtype=np.int64)
    # Ties at the k-th value: take every tied id, then keep the lowest (stable by id).
    kth = np.partition(x, x.size - k)[x.size - k]
    candidates = np.flatnonzero(x >= kth)
    order = np.lexsort((candidates, -x[candidates]))
    return candidates[order][:k].astype(np.int64)


def rank_of(row: np.ndarray, token: int) -> int:
    """Competition rank: 1 + how many values are strictly higher (ties share a rank); 0
    when the token's own value is NaN."""
    x = np.asarray(row, dtype=np.float64)
    value = x[token]
    if np.isnan(value):
        return 0
    return 1 + int(np.count_nonzero(x > value))


# --- where the answer settles -------------------------------------------------------------


def ever_top1(top1: np.ndarray, pos: int, most: int = 8) -> list[object]:
    """The tokens that are top-1 at ``pos`` in some layer: the final one first, then in the
    order they first appear down the layers (at most ``most``)."""
    column = np.asarray(top1)[:, pos].tolist()
    seen = [column[-1]]
    for key in column:
        if key not in seen:
            seen.append(key)
    return seen[:most]


def answer_layers(top1: np.ndarray) -> np.ndarray:
    """Per position, the first layer from which the final layer's top-1 stays top-1 to the
    end (the last layer when it only gets there at the end)."""
    same = np.asarray(top1) == np.asarray(top1)[-1]
    stays = np.logical_and.accumulate(same[::-1], axis=0)[::-1]
    return np.argmax(stays, axis=0).astype(np.int64)


def first_layers(mask: np.ndarray) -> np.ndarray:
    """Per position, the first layer where ``mask`` holds (−1: never)."""
    m = np.asarray(mask, dtype=bool)
    first = np.argmax(m, axis=0).astype(np.int64)
    return np.where(m.any(axis=0), first, -1)


# --- a stored top k -----------------------------------------------------------------------


class StoredLens:
    """``keys`` ``[layers, positions, k]``: token ids or strings; ``scores`` the same shape:
    probabilities or logits (``kind``). Each cell is sorted best first when read."""

    def __init__(
        self, keys: np.ndarray, scores: np.ndarray, kind: Scores, names: Names | None = None
    ) -> None:
        if keys.ndim != 3 or keys.shape != scores.shape:
            raise LensError(
                f"top-k tokens {list(keys.shape)} and scores {list(scores.shape)} must both "
                "be [layers, positions, k]"
            )
        self.keys = keys if keys.dtype.kind in "iu" else keys.astype(object)
        self.scores = np.asarray(scores, dtype=np.float64)
        self.kind = kind
        self.names = names if names is not None and keys.dtype.kind in "iu" else default_names
        # Stored best first (each finite score at most those before it): that order is the
        # file's, kept even where a score is NaN (a NaN is never ranked by guessing).
        s = self.scores
        self.ranked = bool(np.all(np.isnan(s) | (s <= np.fmin.accumulate(s, axis=2))))

    @property
    def shape(self) -> tuple[int, int]:
        return int(self.keys.shape[0]), int(self.keys.shape[1])

    @property
    def k(self) -> int:
        return int(self.keys.shape[2])

    @property
    def probabilities(self) -> bool:
        """Whether ``top1`` and ``track`` give probabilities (else the stored logits)."""
        return self.kind == "probs"

    def _order(self, layer: int, pos: int) -> np.ndarray:
        if self.ranked:
            return np.arange(self.k)
        s = np.where(np.isnan(self.scores[layer, pos]), -np.inf, self.scores[layer, pos])
        return np.argsort(-s, kind="stable")

    def cell(self, layer: int, pos: int, k: int | None = None) -> TopK:
        order = self._order(layer, pos)[: k or self.k]
        keys = self.keys[layer, pos][order]
        scores = self.scores[layer, pos][order]
        probs, logits = (scores, None) if self.kind == "probs" else (None, scores)
        return TopK(keys, tuple(self.names(keys)), probs, logits)

    def top1(self) -> tuple[np.ndarray, np.ndarray]:
        """The best key and its score at every cell."""
        s = np.where(np.isnan(self.scores), -np.inf, self.scores)
        best = (np.zeros(s.shape[:2], dtype=np.int64) if self.ranked else np.argmax(s, axis=2))[
            ..., None
        ]
        keys = np.take_along_axis(self.keys, best, axis=2)[..., 0]
        return keys, np.take_along_axis(self.scores, best, axis=2)[..., 0]

    def track(self, key: object) -> Tracked:
        """``key`` (an id, or a string for string tokens) at every cell: its score where
        it is in the top k; elsewhere NaN, with the k-th score as the bound it is below."""
        hits = self.keys == key
        present = hits.any(axis=2)
        s = np.where(np.isnan(self.scores), -np.inf, self.scores)
        own = np.where(hits, s, -np.inf).max(axis=2)  # (strings read alike: the best)
        values = np.where(present, own, np.nan)
        higher = (s > own[..., None]).sum(axis=2)
        ranks = np.where(present, 1 + higher, 0).astype(np.int64)
        return Tracked(values, present, ranks, s.min(axis=2))

    def series(self, pos: int, keys: list[object]) -> np.ndarray:
        """``[layers, len(keys)]``: each key's score down the layers at ``pos`` (NaN where
        the cell's top k does not hold it)."""
        out = np.full((self.shape[0], len(keys)), np.nan)
        for j, key in enumerate(keys):
            hits = self.keys[:, pos, :] == key
            held = hits.any(axis=1)
            out[held, j] = np.where(hits, self.scores[:, pos, :], -np.inf).max(axis=1)[held]
        return out


# --- a full distribution ------------------------------------------------------------------


class FullLens:
    """``values`` ``[layers, positions, vocab]`` (a memory map stays one): each cell's row
    is read alone (``cell``); a pass over every cell reads blocks of cells in the file's
    order, sized in bytes."""

    def __init__(self, values: np.ndarray, kind: Scores, names: Names | None = None) -> None:
        if values.ndim != 3:
            raise LensError(
                f"a full distribution is [layers, positions, vocab], not {values.ndim}-D"
            )
        self.values = values
        self.kind = kind
        self.names = names or default_names
        layers, positions, vocab = values.shape
        # Cells as the rows of one matrix: a row is one cell's vocabulary, read with pread.
        self.rows = HeatMatrix(values.reshape(layers * positions, vocab))
        self._lse: np.ndarray | None = None  # log Σ exp per cell, once a pass has found it

    @classmethod
    def guess(cls, values: np.ndarray, names: Names | None = None) -> FullLens:
        """Logits or probabilities, from a few cells' rows."""
        probe = cls(values, "probs", names)
        n = min(LOGIT_CHECK, probe.rows.n_rows)
        rows = np.vstack([probe.row(int(i)) for i in np.linspace(0, probe.rows.n_rows - 1, n)])
        return cls(values, "logits" if looks_like_logits(rows) else "probs", names)

    @property
    def shape(self) -> tuple[int, int]:
        return int(self.values.shape[0]), int(self.values.shape[1])

    @property
    def vocab(self) -> int:
        return int(self.values.shape[2])

    @property
    def probabilities(self) -> bool:
        """``top1`` and ``track`` give probabilities, from logits or not."""
        return True

    def row(self, index: int) -> np.ndarray:
        return self.rows.window(index, index + 1, 0, self.vocab)[0]

    def cell(self, layer: int, pos: int, k: int = 10) -> TopK:
        x = self.row(layer * self.shape[1] + pos)
        ids = top_k(x, k)
        if self.kind == "logits":
            return TopK(ids, tuple(self.names(ids)), softmax(x)[ids], x[ids])
        return TopK(ids, tuple(self.names(ids)), x[ids], None)

    def series(self, pos: int, keys: list[object]) -> np.ndarray:
        """``[layers, len(keys)]``: each token's probability down the layers at ``pos``
        (one row read per layer)."""
        ids = np.asarray(keys, dtype=np.int64)
        out = np.empty((self.shape[0], ids.size))
        for layer in range(self.shape[0]):
            x = self.row(layer * self.shape[1] + pos)
            out[layer] = (softmax(x) if self.kind == "logits" else x.astype(np.float64))[ids]
        return out

    def _blocks(self, progress: Progress | None, cancelled: Callable[[], bool] | None):  # type: ignore[no-untyped-def]
        n = self.rows.n_rows
        per = max(1, BLOCK_BYTES // max(1, self.vocab * self.values.dtype.itemsize))
        read = self.rows.scan_reader()
        for start in range(0, n, per):
            if cancelled is not None and cancelled():
                raise Cancelled
            end = min(n, start + per)
            yield start, end, read(start, end, 0, self.vocab)
            if progress is not None:
                progress(end / n)

    def top1(
        self, progress: Progress | None = None, cancelled: Callable[[], bool] | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """The top-1 id and its probability at every cell: one pass over the file (which
        also finds each cell's normaliser, for ``track``)."""
        n = self.rows.n_rows
        ids, probs, lse = np.zeros(n, np.int64), np.zeros(n), np.zeros(n)
        for start, end, block in self._blocks(progress, cancelled):
            x = np.where(np.isnan(block), -np.inf, block)
            best = np.argmax(x, axis=1)
            top = x[np.arange(end - start), best].astype(np.float64)
            ids[start:end] = best
            if self.kind == "logits":
                lse[start:end] = _logsumexp(x, top)
                probs[start:end] = np.exp(top - lse[start:end])
            else:
                probs[start:end] = top
        if self.kind == "logits":
            self._lse = lse
        return ids.reshape(self.shape), probs.reshape(self.shape)

    def track(
        self,
        token: int,
        progress: Progress | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> Tracked:
        """``token``'s probability and rank at every cell: one pass (the rank counts the
        values above the token's in each cell's row)."""
        if not 0 <= token < self.vocab:
            raise LensError(f"token id {token} is outside the vocabulary of {self.vocab}")
        n = self.rows.n_rows
        mine, ranks, lse = np.zeros(n), np.zeros(n, np.int64), np.zeros(n)
        for start, end, block in self._blocks(progress, cancelled):
            own = block[:, token].astype(np.float64)
            mine[start:end] = own
            above = np.count_nonzero(block > block[:, token : token + 1], axis=1)
            ranks[start:end] = np.where(np.isnan(own), 0, 1 + above)
            if self.kind == "logits" and self._lse is None:
                x = np.where(np.isnan(block), -np.inf, block)
                lse[start:end] = _logsumexp(x, x.max(axis=1).astype(np.float64))
        if self.kind == "logits":
            if self._lse is None:
                self._lse = lse
            mine = np.exp(mine - self._lse)
        shape = self.shape
        present = np.ones(shape, dtype=bool)
        return Tracked(mine.reshape(shape), present, ranks.reshape(shape))


def _logsumexp(x: np.ndarray, top: np.ndarray) -> np.ndarray:
    """log Σ exp of each row of ``x`` (float32 is exponentiated as float32, summed in
    float64), given each row's maximum ``top``."""
    with np.errstate(invalid="ignore", over="ignore"):
        e = np.exp(x - top[:, None].astype(x.dtype))
    return top + np.log(e.sum(axis=1, dtype=np.float64))
