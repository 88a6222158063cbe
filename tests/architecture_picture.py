"""The upper half of tuiheat as a picture: which module of ``tuiheat/app`` imports which, and
which lower layers each reaches, read from the code (imports under ``TYPE_CHECKING`` and
inside functions included). Prints a Mermaid flowchart, the one in the README:

    python tests/architecture_picture.py

``tests/test_layering.py`` checks that the README's copy is the code's.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOWER = ("widgets", "screens", "session", "render", "loaders", "core")


def imports(path: Path) -> set[str]:
    """Every ``tuiheat.*`` module a file imports, anywhere in it."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name.startswith("tuiheat.")}


def picture() -> str:
    app = sorted(p for p in (ROOT / "tuiheat" / "app").glob("*.py") if p.stem != "__init__")
    lines = ["flowchart TD"]
    lower: set[tuple[str, str]] = set()
    for path in app:
        for name in sorted(imports(path)):
            parts = name.split(".")
            if parts[1] == "app" and len(parts) > 2 and parts[2] != path.stem:
                lines.append(f"    {path.stem} --> {parts[2]}")
            elif parts[1] in LOWER:
                lower.add((path.stem, parts[1]))
    for stem, package in sorted(lower):
        if package in ("widgets", "screens"):  # the rest is below every module of app/
            lines.append(f"    {stem} -.-> {package}[/{package}/]")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.write(picture())
