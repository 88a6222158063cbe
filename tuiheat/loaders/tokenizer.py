"""Token ids to token strings with the model's own ``tokenizer.json``, found on disk only.

A logit-lens bundle may store the top-k tokens as ids; the strings come from the tokenizer
the model was trained with. ``find_tokenizer`` takes a path (a file, or a directory holding
one) or a Hugging Face repo id (``ORG/NAME``) looked up in the local cache the way
``huggingface_hub`` lays it out, and never opens a network connection. ``Vocabulary`` reads
the file with the ``tokenizers`` library, an optional extra imported only here, inside
functions, so that tuiheat starts without it.

Tokens are the strings the tokenizer stores (``Ġthe``, ``▁the``, ``<0x0A>``), not decoded
text: tuiheat makes them readable itself, the same way for every tokenizer. Two ids whose
strings are equal stay two entries; nothing here merges them.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from tuiheat.core.labels import sanitize

TOKENIZER_FILE = "tokenizer.json"
# The largest tokenizer.json read (real ones are 1-35 MB; the parsed vocabulary costs ~20x).
MAX_TOKENIZER_BYTES = 256 * 1024**2
INSTALL_HINT = (
    "decoding token ids needs the tokenizers package: "
    "pip install 'tuiheat[lens]' (or pip install tokenizers)"
)
# huggingface_hub's repo id: NAME or ORG/NAME of letters, digits, '_', '-' and '.', each part
# starting with a letter or digit, without '--' or '..' (so ./x and ../x are paths).
_REPO_ID = re.compile(r"^(?:[A-Za-z0-9][\w.-]*/)?[A-Za-z0-9][\w.-]*$")
# What tuiheat shows for whitespace in a token, turned back into it for --track.
_SHOWN_WHITESPACE = str.maketrans({"␣": " ", "↵": "\n", "⇥": "\t"})


class TokenizerError(ValueError):
    """A tokenizer that cannot be found or read; the message is one line for the user."""


def find_tokenizer(spec: str, env: Mapping[str, str] | None = None) -> Path:
    """The ``tokenizer.json`` that ``spec`` names: a file, a directory holding one, or ORG/NAME
    in the local Hugging Face cache (``env`` stands for ``os.environ``, for tests)."""
    env = os.environ if env is None else env
    try:
        return _find(spec, env)
    except OSError as err:
        raise TokenizerError(
            f"cannot look for tokenizer {sanitize(spec)!r}: {_one_line(err)}"
        ) from None


def _is_repo_id(spec: str) -> bool:
    return bool(_REPO_ID.match(spec)) and "--" not in spec and ".." not in spec


def _find(spec: str, env: Mapping[str, str]) -> Path:
    path = Path(os.path.expanduser(spec))
    if path.is_dir():
        return _in_directory(path)
    if path.exists() or not _is_repo_id(spec) or spec.endswith(".json"):
        return _regular_file(path, spec)
    repo = hub_cache(env) / f"models--{spec.replace('/', '--')}"
    found = _in_snapshots(repo)
    if found is None:
        looked = sanitize(str(repo / "snapshots" / "*" / TOKENIZER_FILE))
        raise TokenizerError(
            f"no tokenizer {sanitize(spec)!r}: no such file, and not in the Hugging Face cache "
            f"(looked for {looked}; set HF_HUB_CACHE or HF_HOME, or give a tokenizer.json path)"
        )
    return found


def hub_cache(env: Mapping[str, str]) -> Path:
    """Where ``huggingface_hub`` keeps models: HF_HUB_CACHE, else HF_HOME/hub, else the default."""
    cache = env.get("HF_HUB_CACHE") or env.get("HUGGINGFACE_HUB_CACHE")
    if cache:
        return Path(os.path.expanduser(cache))
    home = env.get("HF_HOME")
    if home:
        return Path(os.path.expanduser(home)) / "hub"
    xdg = env.get("XDG_CACHE_HOME")
    user_home = env.get("HOME")
    if xdg:
        base = Path(os.path.expanduser(xdg))
    else:
        base = (Path(user_home) if user_home else Path.home()) / ".cache"
    return base / "huggingface" / "hub"


def _regular_file(path: Path, spec: str | None = None) -> Path:
    if not path.exists():
        raise TokenizerError(f"no tokenizer file at {sanitize(spec or str(path))}")
    if not path.is_file():
        raise TokenizerError(f"not a regular file: {sanitize(str(path))}")
    return path


def _in_directory(path: Path) -> Path:
    """A directory with a tokenizer.json, or a cached repo (``models--ORG--NAME``) itself."""
    if (path / TOKENIZER_FILE).exists():
        return _regular_file(path / TOKENIZER_FILE)
    found = _in_snapshots(path) if (path / "snapshots").is_dir() else None
    if found is None:
        raise TokenizerError(f"no {TOKENIZER_FILE} in {sanitize(str(path))}")
    return found


def _in_snapshots(repo: Path) -> Path | None:
    """The snapshot refs/main names when it holds a tokenizer, else the newest one that does."""
    try:
        main = (repo / "refs" / "main").read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        main = ""
    snapshots = repo / "snapshots"
    if main and "/" not in main and main not in (".", ".."):
        candidate = snapshots / main / TOKENIZER_FILE
        if candidate.is_file():
            return candidate
    try:
        entries = [(p.stat().st_mtime, p.name, p) for p in snapshots.iterdir() if p.is_dir()]
    except OSError:
        return None
    for _mtime, _name, snapshot in sorted(entries, reverse=True):
        if (snapshot / TOKENIZER_FILE).is_file():
            return snapshot / TOKENIZER_FILE
    return None


def _one_line(err: BaseException) -> str:
    text = str(err).removeprefix("Cannot instantiate Tokenizer from buffer:").strip().splitlines()
    line = sanitize(text[0]) if text else type(err).__name__
    return line if len(line) <= 160 else line[:159] + "…"


def _as_ids(ids: Sequence[int] | np.ndarray) -> np.ndarray:
    """Integer ids as an integer array; floats that hold whole numbers (ids read from JSON) too."""
    values = np.asarray(ids)
    if values.dtype.kind in "iu":
        return values
    whole = values.dtype.kind == "f" and bool(np.all(np.isfinite(values) & (values % 1 == 0)))
    if values.dtype.kind == "b" or whole:
        return values.astype(np.int64)
    raise TokenizerError(f"token ids must be integers, not {values.dtype} values")


def _import_tokenizers() -> Any:
    try:
        import tokenizers
    except ImportError:
        raise TokenizerError(INSTALL_HINT) from None
    return tokenizers


class Vocabulary:
    """Ids to the token strings of one tokenizer; the table is built on first use."""

    def __init__(self, tokenizer: Any, path: Path | None = None) -> None:
        self._tokenizer = tokenizer
        self.path = path
        self._table: np.ndarray | None = None

    @classmethod
    def load(cls, path: Path) -> Vocabulary:
        """Read a ``tokenizer.json``; every failure is a ``TokenizerError`` of one line."""
        tokenizers = _import_tokenizers()
        path = _regular_file(Path(path))
        shown = sanitize(str(path))
        try:
            size = path.stat().st_size
            if size > MAX_TOKENIZER_BYTES:
                raise TokenizerError(
                    f"{shown}: {size / 1024**2:.0f} MB is too large for a tokenizer.json "
                    f"(at most {MAX_TOKENIZER_BYTES // 1024**2} MB)"
                )
            data = path.read_bytes().removeprefix(b"\xef\xbb\xbf")  # a BOM some editors write
        except OSError as err:
            raise TokenizerError(f"cannot read {shown}: {_one_line(err)}") from None
        try:
            tokenizer = tokenizers.Tokenizer.from_buffer(data)
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as err:  # the Rust side may raise a PanicException (a BaseException)
            raise TokenizerError(f"{shown} is not a tokenizer.json: {_one_line(err)}") from None
        tokenizer.no_padding()  # id_of encodes one piece: no pad or cut from the file's settings
        tokenizer.no_truncation()
        return cls(tokenizer, path)

    @property
    def size(self) -> int:
        """Ids the tokenizer knows, added tokens included."""
        return len(self._lookup())

    def tokens(self, ids: Sequence[int] | np.ndarray) -> list[str]:
        """The token of every id, flattened in C order; an unknown id reads ``<id N>``."""
        flat = _as_ids(ids).ravel()
        table = self._lookup()
        inside = (flat >= 0) & (flat < len(table))
        if inside.all():
            return table[flat].tolist()  # type: ignore[no-any-return]
        out = np.empty(flat.shape, dtype=object)
        out[inside] = table[flat[inside]]
        for i in np.flatnonzero(~inside):
            out[i] = f"<id {int(flat[i])}>"
        return out.tolist()  # type: ignore[no-any-return]

    def id_of(self, token: str) -> int | None:
        """The id of a token written as the tokenizer stores it (``Ġthe``), as tuiheat shows it
        (``␣the``), or as plain text the tokenizer encodes into one piece (`` the``)."""
        if not token:
            return None
        exact = self._tokenizer.token_to_id(token)
        if exact is not None:
            return int(exact)
        unknown = getattr(self._tokenizer.model, "unk_token", None)
        for text in dict.fromkeys((token, token.translate(_SHOWN_WHITESPACE))):
            try:
                encoding = self._tokenizer.encode(text, add_special_tokens=False)
            except Exception:
                continue
            if len(encoding.ids) == 1 and encoding.tokens[0] != unknown:
                return int(encoding.ids[0])
        return None

    def _lookup(self) -> np.ndarray:
        """Every id's string in one object array: the vocabulary in bulk, then id by id for
        the ids it leaves out (a string two ids share keeps only one id there)."""
        if self._table is None:
            vocab: dict[str, int] = self._tokenizer.get_vocab(with_added_tokens=True)
            size = max(self._tokenizer.get_vocab_size(with_added_tokens=True), 0)
            if vocab:
                size = max(size, max(vocab.values()) + 1)
            table = np.full(size, None, dtype=object)
            table[np.fromiter(vocab.values(), np.int64, len(vocab))] = list(vocab)
            for i in np.flatnonzero(table == None):  # noqa: E711  (element-wise)
                token = self._tokenizer.id_to_token(int(i))
                table[i] = token if token is not None else f"<id {int(i)}>"
            self._table = table
        return self._table
