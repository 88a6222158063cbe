"""The files behind the picker: a bundle's arrays, or the result files under a directory.

The viewer asks three things of it (``core.catalog.Collection``): the list, the
facts about one entry that need its data, and the opened array. Opening is the
command line's own (its options apply to every array opened), handed in as
``load``, so this module knows files but not argv.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from tuiheat.core.catalog import HEATMAP, Catalog, Entry, Opened
from tuiheat.loaders.base import ChooseArray
from tuiheat.loaders.listing import (
    describe_file,
    directory_catalog,
    file_catalog,
    is_directory,
    value_range,
)
from tuiheat.loaders.stores import store_kind

# Compressed members are inflated to be read: past this, the range waits for Enter.
RANGE_INFLATE_BYTES = 64 * 1024**2

Load = Callable[[str, "str | None"], Opened]


class FileCollection:
    """A bundle file or a directory, listed once, opened entry by entry with ``load``."""

    def __init__(self, root: str, load: Load, catalog: Catalog | None = None) -> None:
        self.root = root
        self.load = load
        self._catalog = catalog

    def catalog(self) -> Catalog:
        if self._catalog is None:
            if is_directory(self.root):
                self._catalog = directory_catalog(self.root)
            else:
                self._catalog = file_catalog(self.root)
        return self._catalog

    def open(self, catalog: Catalog, entry: Entry) -> Opened | Catalog:
        """The opened array, or the catalog of a bundle file found in a directory."""
        if catalog.is_directory:
            path, key = entry.path, None
        else:
            path, key = catalog.name, entry.key or None
        try:
            return self.load(path, key)
        except ChooseArray as err:
            return replace(err.catalog, name=path)

    def details(self, catalog: Catalog, entry: Entry) -> Entry:
        if catalog.is_directory:
            return describe_file(entry)
        if entry.kind != HEATMAP or store_kind(catalog.name) is not None:
            return entry  # a store's array: its chunks and codec say more than a full read
        if entry.detail == "compressed" and entry.nbytes > RANGE_INFLATE_BYTES:
            return replace(entry, detail="compressed: range when opened")
        return replace(entry, detail=value_range(catalog.name, entry.key))
