"""The ``e`` menu: the screen as SVG, the visible cells or a box as CSV, the whole heatmap as
HTML, SVG, PNG or PDF; written in a thread (a whole big heatmap takes seconds), said when done."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from tuiheat.core.boxes import Box
from tuiheat.core.labels import sanitize
from tuiheat.core.names import distinct_names
from tuiheat.session import exports

if TYPE_CHECKING:
    from tuiheat.app.viewer import TuiheatApp


class Exporter:
    def __init__(self, app: TuiheatApp) -> None:
        self.app = app
        self.done = 0  # finished exports (written or failed), for tests and scripts

    def open_menu(self) -> None:
        from tuiheat.screens.exportmenu import ExportChoice, ExportScreen

        app = self.app
        stem = exports.export_stem(app.config.data_path)
        index = app.state.box_at_cursor()
        choices = [
            ExportChoice(
                "s", "screen", "the screen as SVG (what you see now)", f"{stem}-screen.svg"
            ),
            ExportChoice(
                "v", "visible", "the visible cells as CSV, with labels", f"{stem}-visible.csv"
            ),
            ExportChoice(
                "b",
                "box",
                "the box under the cursor as CSV",
                f"{stem}-box{(index or 0) + 1}.csv",
                enabled=index is not None,
                why_not="no box under the cursor",
            ),
            ExportChoice(
                "h", "html", "the whole heatmap as HTML (colour bar, boxes)", f"{stem}.html"
            ),
            ExportChoice("g", "svg", "the whole heatmap as SVG (colour bar, boxes)", f"{stem}.svg"),
            ExportChoice(
                "p", "png", "the whole heatmap as PNG (name it .pdf for a PDF)", f"{stem}.png"
            ),
        ]

        def chosen(result: tuple[str, Path] | None) -> None:
            if result is not None:
                # The menu is gone once the screen has been redrawn: the screenshot is clean.
                app.call_after_refresh(self.export_to, *result)

        app.push_screen(ExportScreen(choices, Path.cwd()), chosen)

    def text(self, kind: str) -> exports.Text:
        """What ``kind`` writes; only the screenshot is made here, the rest as it is written."""
        app = self.app
        if kind == "screen":
            return app.export_screenshot(title=sanitize(app.doc_title))
        grid, state = app.grid, app.state
        if kind == "visible":
            view = grid.matrix
            rows = max(1, min(grid.visible_rows, view.n_rows - grid.top_row))
            cols = max(1, min(grid.visible_cols, view.n_cols - grid.left_col))
            box = Box(
                grid.top_row, grid.top_row + rows - 1, grid.left_col, grid.left_col + cols - 1
            )
            return exports.cells(view, box)
        if kind == "box":
            index = state.box_at_cursor()
            if index is None:
                raise ValueError("no box under the cursor")
            return exports.cells(app.matrix, state.boxes[index])
        matrix = app.matrix.with_boxes(state.boxes)
        vrange = app.vrange
        if app.settings.mode in ("row", "column"):  # one scale for a file that stands alone
            vrange = replace(app.settings, mode="fixed").resolve([matrix]).vrange
        colormap = app.settings.colormap
        return exports.heatmap(kind, matrix, vrange, colormap, self.heading())

    def heading(self) -> str:
        """The picture's title names what it shows: with several files, the first panel's
        (``seed0/auc.csv``, or ``seed0/auc.csv − seed1/auc.csv`` under D), not all of them."""
        app = self.app
        panes = app.panes
        if panes is None or panes.kind != "files":
            return sanitize(app.doc_title)
        names = [n.text for n in distinct_names([p.name for p in panes.panes])]
        if panes.diff:
            return sanitize(
                f"{names[0]} − {names[1]}" if len(names) == 2 else f"{names[1]} − {names[0]}"
            )
        return sanitize(names[0])

    def export_to(self, kind: str, path: Path) -> None:
        typed = exports.kind_of(path)
        if kind in exports.PICTURES and typed in exports.PICTURES:
            kind = typed  # the whole heatmap, in the format the name asks for (x.pdf)
        try:
            text = self.text(kind)
        except ValueError as err:
            self._done(path, str(err))
            return
        protect = [s.path for s in self.app.config.sources if s.path is not None]
        self.app.run_worker(lambda: self._write(path, text, protect), thread=True, group="export")

    def _write(self, path: Path, text: exports.Text, protect: list[Path]) -> None:
        error = ""
        try:
            exports.write(path, text, protect)
        except (OSError, ValueError, RuntimeError) as err:
            error = (err.strerror if isinstance(err, OSError) else None) or str(err)
        except Exception as err:  # a failed export never ends the session (boxes unsaved)
            error = f"{type(err).__name__}: {err} (a bug: please report it)"
        self.app.call_from_thread(self._done, path, error)

    def _done(self, path: Path, error: str) -> None:
        if error:
            self.app.notify(
                f"Not exported: {sanitize(error)}", severity="error", timeout=8, markup=False
            )
        else:
            self.app.notify(f"Wrote {sanitize(str(path))}", timeout=4, markup=False)
        self.done += 1
