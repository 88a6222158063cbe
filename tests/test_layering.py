"""The architecture's import rules, checked two ways."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT, packages_loaded_by


def test_import_linter_contracts_hold() -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from importlinter.cli import lint_imports_command; "
            "sys.exit(lint_imports_command())",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "broken" not in proc.stdout.lower() or "0 broken" in proc.stdout.lower()


def test_core_loaders_render_do_not_load_textual() -> None:
    statements = "import tuiheat.core, tuiheat.loaders, tuiheat.render, tuiheat.cli"
    assert packages_loaded_by(statements, ("textual",)) == []


def test_core_does_not_load_rich() -> None:
    statements = (
        "import tuiheat.core, tuiheat.loaders, tuiheat.core.viewstate, tuiheat.core.catalog\n"
        "import tuiheat.core.axislabels, tuiheat.core.dither, tuiheat.session.collection\n"
        "import tuiheat.core.colourscale, tuiheat.core.panes"
    )
    assert packages_loaded_by(statements, ("rich", "textual", "plotext")) == []


def test_the_readme_draws_the_upper_half_as_the_code_has_it() -> None:
    """The README's picture of ``tuiheat/app`` is what ``tests/architecture_picture.py``
    draws from the imports now (regenerate it with that script when this fails)."""
    import re
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent
    sys.path.insert(0, str(root))
    from architecture_picture import picture

    readme = (root.parent / "README.md").read_text()
    drawn = re.search(r"```mermaid\n(.*?)```", readme, re.S)
    assert drawn is not None and drawn.group(1) == picture()
