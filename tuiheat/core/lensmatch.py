"""Which arrays of a bundle make a logit lens, from the catalog alone (names, shapes, dtypes;
nothing is read): a top k (token ids or strings ``[layers, positions, k]`` with their
probabilities or logits of the same shape; ``[layers, positions]`` pairs for k = 1) or a
full distribution (``[layers, positions, vocab]``). ``--topk-tokens`` and ``--topk-probs``
name the pair when the names do not tell."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from tuiheat.core.axislabels import name_words
from tuiheat.core.catalog import Catalog, Entry

MIN_VOCAB = 1000  # a last axis this long, named for logits or probabilities: a vocabulary
TOKEN_WORDS = frozenset(("token", "tok", "id", "ids", "word", "piece"))
PROB_WORDS = {"prob": "probs", "probability": "probs", "p": "probs", "logit": "logits"}
PROB_WORDS |= {"score": "", "value": "", "logprob": "logits"}
LENS_WORDS = frozenset(("top", "topk", "lens", "tuned", "pred", "prediction", "k"))


class LensMatchError(ValueError):
    """``--topk-tokens``/``--topk-probs`` that name no fitting arrays (one line)."""


@dataclass(frozen=True)
class LensMembers:
    """The bundle members of a lens: a top k (``tokens`` and ``scores``) or ``full``."""

    tokens: str | None = None
    scores: str | None = None
    full: str | None = None
    names: str | None = None  # strings of the ids' shape: how each id reads
    said: Literal["probs", "logits", ""] = ""  # what the scores' name says they are

    @property
    def stored(self) -> bool:
        return self.tokens is not None


def _words(entry: Entry) -> set[str]:
    return set(name_words(entry.key))


def _is_strings(entry: Entry) -> bool:
    return entry.kind == "text" or entry.dtype[:2] in ("<U", "|S", ">U")


def _is_integers(entry: Entry) -> bool:
    """numpy's int32, safetensors' I32, or JSON's numbers (ids are whole numbers there)."""
    d = entry.dtype
    return d.startswith(("int", "uint", "I", "U")) or d[:2] in ("<i", "<u") or d == "number"


def _is_tokens(entry: Entry) -> bool:
    return (_is_integers(entry) or _is_strings(entry)) and bool(_words(entry) & TOKEN_WORDS)


def _said(entry: Entry) -> str | None:
    """ "probs" or "logits" when the name says which, "" for a neutral score, None: neither."""
    found = [PROB_WORDS[w] for w in _words(entry) if w in PROB_WORDS]
    if not found:
        return None
    named = [f for f in found if f]
    return named[0] if named else ""


def _is_scores(entry: Entry) -> bool:
    d = entry.dtype
    return (
        d.startswith(("float", "F", "BF", "bfloat")) or d[:2] in ("<f", "|f", ">f") or d == "number"
    )


def _fits(tokens: Entry, scores: Entry) -> bool:
    return tokens.shape == scores.shape and len(tokens.shape) in (2, 3)


def find_lens(
    catalog: Catalog, tokens_key: str | None = None, scores_key: str | None = None
) -> LensMembers | None:
    """The lens in ``catalog``: the named pair if given, else a pair found by name and
    shape (the most lens-like names first), else a full distribution; None: no lens."""
    by_key = {e.key: e for e in catalog.entries}
    if tokens_key is not None or scores_key is not None:
        return _given(by_key, tokens_key, scores_key)
    tokens = [e for e in catalog.entries if _is_tokens(e) and len(e.shape) in (2, 3)]
    scores = [e for e in catalog.entries if _is_scores(e) and _said(e) is not None]
    pairs = [(t, s) for t in tokens for s in scores if _fits(t, s)]
    if pairs:
        # Ids before strings (two ids that read alike stay two), then the most lens-like.
        def rank(pair: tuple[Entry, Entry]) -> tuple[bool, int]:
            t, s = pair
            return (not _is_strings(t), len((_words(t) | _words(s)) & LENS_WORDS))

        t, s = max(pairs, key=rank)
        names = next(
            (e.key for e in tokens if e is not t and _is_strings(e) and e.shape == t.shape),
            None,
        )
        return LensMembers(
            t.key, s.key, names=names if not _is_strings(t) else None, said=_said(s) or ""
        )  # type: ignore[arg-type]
    full = [
        e
        for e in catalog.entries
        if _is_scores(e) and len(e.shape) == 3 and e.shape[2] >= MIN_VOCAB and _said(e)
    ]
    if full:
        return LensMembers(full=full[0].key, said=_said(full[0]) or "")  # type: ignore[arg-type]
    return None


def _given(by_key: dict[str, Entry], tokens_key: str | None, scores_key: str | None) -> LensMembers:
    if tokens_key is None or scores_key is None:
        missing = "--topk-probs" if tokens_key is not None else "--topk-tokens"
        raise LensMatchError(f"give {missing} too: the top-k tokens and their scores go together")
    for flag, key in (("--topk-tokens", tokens_key), ("--topk-probs", scores_key)):
        if key not in by_key:
            names = ", ".join(e.describe() for e in by_key.values())
            raise LensMatchError(f"{flag} {key!r}: no such array; the file holds {names}")
    tokens, scores = by_key[tokens_key], by_key[scores_key]
    if not _fits(tokens, scores):
        raise LensMatchError(
            f"--topk-tokens {tokens.describe()} and --topk-probs {scores.describe()} must have "
            "one shape, [layers, positions, k] (or [layers, positions] for the top 1)"
        )
    return LensMembers(tokens.key, scores.key, said=_said(scores) or "")  # type: ignore[arg-type]
