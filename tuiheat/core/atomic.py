"""Write a file so that a crash, a full disk or a kill leaves either the old file or the new one.

The text goes to a temporary file in the same directory, is flushed and fsynced,
then renamed over the target (atomic on POSIX), and the directory is fsynced so
the rename itself survives a power cut. On any failure the temporary file is
removed and the old file is untouched.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path


class WriteError(OSError):
    """Writing failed; the previous file (if any) is intact."""


def _default_mode() -> int:
    """What ``open()`` would give a new file (mkstemp's own files are private, 0o600)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def atomic_write_text(
    path: Path, text: str | Iterable[str], *, protect: tuple[Path, ...] = ()
) -> None:
    """Replace ``path`` with ``text`` (or its pieces, written as they come) atomically;
    never write any of the ``protect`` files (by path or as another name of the same file)."""
    _atomic_write(path, [text] if isinstance(text, str) else text, protect, binary=False)


def atomic_write_bytes(path: Path, data: bytes, *, protect: tuple[Path, ...] = ()) -> None:
    """As ``atomic_write_text``, for a picture's bytes."""
    _atomic_write(path, [data], protect, binary=True)


def _atomic_write(
    path: Path, pieces: Iterable[str] | Iterable[bytes], protect: tuple[Path, ...], binary: bool
) -> None:
    target = Path(path)
    resolved = target.resolve()
    for other in protect:
        if Path(other).resolve() == resolved or _same_file(Path(other), resolved):
            raise WriteError(f"refusing to overwrite the input file {target}")
    directory = resolved.parent
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8") as fh:
            for piece in pieces:
                fh.write(piece)  # type: ignore[arg-type]
            fh.flush()
            os.fsync(fh.fileno())
        with contextlib.suppress(OSError):
            os.chmod(tmp, resolved.stat().st_mode & 0o777 if resolved.exists() else _default_mode())
        os.replace(tmp, resolved)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    with contextlib.suppress(OSError):
        dir_fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
