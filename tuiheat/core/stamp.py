"""A file's identity on disk, cheap to check: size and modification time in nanoseconds."""

from __future__ import annotations

import os
from pathlib import Path


def file_stamp(path: Path) -> tuple[int, int]:
    st = os.stat(path)
    return (int(st.st_size), int(st.st_mtime_ns))
