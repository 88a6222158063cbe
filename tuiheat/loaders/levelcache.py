"""Zoom overviews built on dask, kept between runs as a small multiscale Zarr group in the
user's cache directory (``TUIHEAT_CACHE_DIR``, else ``$XDG_CACHE_HOME/tuiheat``, else
``~/.cache/tuiheat``): never beside the input, which is only ever read.

A level is found again when the same array is opened again: the same local path and key,
and every file of the store of the same size and modification time (an HDF5 file, or each
file of a Zarr directory). A store at a URL is stamped from one listing of its objects, each
with its size and the checksum or version the object store keeps (S3's ETag, GCS's MD5 or
CRC32C, else the modification time); a store whose listing gives none of these (a plain
web server), ``memory://`` (gone with the process) and very big stores are not cached:
telling that they did not change would cost more than it saves.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

CACHE_VARIABLE = "TUIHEAT_CACHE_DIR"
FORMAT = 2  # levels kept by an older tuiheat are not found (2: stores opened by full path)
MAX_FILES = 100_000  # a store with more files is not stamped (the walk would be slow)


def cache_dir(env: dict[str, str] | None = None) -> Path:
    env = dict(os.environ) if env is None else env
    if env.get(CACHE_VARIABLE):
        return Path(env[CACHE_VARIABLE]).expanduser()
    base = env.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base).expanduser() / "tuiheat"


def store_stamp(name: str, key: str) -> str | None:
    """What identifies the array's bytes (path, key, sizes, times), or None when unknown."""
    path = Path(name)
    try:
        if path.is_file():
            stat = path.stat()
            files = [("", stat.st_size, stat.st_mtime_ns)]
        elif path.is_dir():
            files = []
            for root, _, names in os.walk(path):
                for one in names:
                    stat = os.stat(os.path.join(root, one))
                    files.append((os.path.join(root, one), stat.st_size, stat.st_mtime_ns))
                    if len(files) > MAX_FILES:
                        return None
        else:
            return remote_stamp(name, key) if "://" in name else None
    except OSError:
        return None
    return repr((str(path.resolve()), key, sorted(files)))


# What an object store says of an object's bytes: a checksum first, else a version or time.
VERSION_FIELDS = (
    "ETag",
    "etag",
    "md5Hash",
    "crc32c",
    "content_md5",
    "LastModified",
    "last_modified",
    "updated",
    "mtime",
)


def remote_stamp(name: str, key: str) -> str | None:
    """The stamp of a store at a URL from one listing of its objects (fsspec's ``find``),
    or None when the listing fails or does not say what would tell a change."""
    if name.startswith("memory://"):
        return None
    try:
        import fsspec

        fs, root = fsspec.core.url_to_fs(name)
        found = fs.find(root, detail=True)
    except Exception:  # no listing (a web server without an index), no credentials
        return None
    if not found or len(found) > MAX_FILES:
        return None
    files = []
    for path, info in found.items():
        version = next((str(info[f]) for f in VERSION_FIELDS if info.get(f)), None)
        if version is None:
            return None
        files.append((path, int(info.get("size") or 0), version))
    return repr((name, key, sorted(files)))


class LevelCache:
    """Overview statistics of the array ``key`` of ``name``, by what was asked of them
    (plane, factors). The store is stamped when a pass first asks, in its thread: walking
    a Zarr folder's files is no work for the first paint."""

    def __init__(self, name: str, key: str, folder: Path | None = None) -> None:
        self.name, self.key = name, key
        self.folder = (folder or cache_dir()) / "levels"
        self._stamp: list[str | None] = []

    @property
    def stamp(self) -> str | None:
        if not self._stamp:
            self._stamp.append(store_stamp(self.name, self.key))
        return self._stamp[0]

    def _path(self, ask: object) -> Path | None:
        if self.stamp is None:
            return None  # not told apart from a changed store: nothing kept
        digest = hashlib.sha256(repr((FORMAT, self.stamp, ask)).encode()).hexdigest()[:32]
        return self.folder / f"{digest}.zarr"

    def load(self, ask: object, names: list[str]) -> dict[str, np.ndarray] | None:
        path = self._path(ask)
        if path is None or not path.exists():
            return None
        try:
            import zarr

            group = zarr.open_group(str(path), mode="r")
            return {name: np.asarray(group[name][...]) for name in names}
        except Exception:  # an old or damaged entry: built again, and replaced
            return None

    def save(self, ask: object, stats: dict[str, np.ndarray]) -> None:
        """Written to a temporary folder and renamed into place (a reader never sees half);
        a cache that cannot be written is no error, only slower next time."""
        path, partial = self._path(ask), None
        if path is None:
            return
        try:
            import zarr

            self.folder.mkdir(parents=True, exist_ok=True)
            partial = Path(tempfile.mkdtemp(dir=self.folder, suffix=".partial"))
            merged = dict(self.load(ask, _names(path)) or {})  # the statistics kept before
            merged.update(stats)
            group = zarr.open_group(str(partial), mode="w")
            for name, values in merged.items():
                group.create_array(name, data=np.ascontiguousarray(values))
            group.attrs["stamp"] = self.stamp
            if path.exists():
                shutil.rmtree(path, ignore_errors=True)
            os.replace(partial, path)
        except Exception:
            if partial is not None:
                shutil.rmtree(partial, ignore_errors=True)


def _names(path: Path) -> list[str]:
    return sorted(p.name for p in path.iterdir() if p.is_dir()) if path.is_dir() else []


def level_cache_for(name: str, key: str) -> Any:
    """The level cache of the array ``key`` of ``name`` (its stamp says, when a pass first
    asks, whether anything is kept)."""
    return LevelCache(name, key)
