"""What is being looked at, as one value: the cursor, the zoom, the slice, the boxes, toggles.

Every key of the viewer is a pure transition from one ``ViewState`` to the next, so
the rules (a zoom centres on the cursor's block, a transpose carries the boxes, a box
drawn on zoomed blocks covers all their cells) are tested without a terminal, and
any number of panes can show one state: nothing is mirrored between them.
Coordinates: ``cursor`` and ``anchor`` are view cells (blocks, when zoomed out);
``boxes`` are data cells of the slice on screen (``base_shape``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace

from tuiheat.core.boxes import Box
from tuiheat.core.stats import innermost_box
from tuiheat.core.summary import SUMMARIES
from tuiheat.core.tensor import SliceSpec
from tuiheat.core.viewport import Cursor
from tuiheat.core.zoom import Zoom

TOGGLES = ("half", "annotate", "margins", "raw_tokens", "peaks")


@dataclass(frozen=True)
class ViewState:
    base_shape: tuple[int, int]
    spec: SliceSpec
    cursor: Cursor
    zoom: Zoom = field(default_factory=Zoom)
    boxes: tuple[Box, ...] = ()
    anchor: tuple[int, int] | None = None  # where the box being drawn started
    half: bool = False
    annotate: bool = False
    margins: bool = True
    summary: str = SUMMARIES[0]
    raw_tokens: bool = False
    deleted: tuple[tuple[int, Box], ...] = ()  # boxes deleted, with their places: u restores
    home: tuple[int, int] | None = None  # the data cell zooming in comes back to (- then +)
    peaks: bool = False  # P: each column's peak row marked
    emerge: float | None = None  # E: each column's first row staying at or above this, marked

    @classmethod
    def start(
        cls, shape: tuple[int, int], spec: SliceSpec, boxes: tuple[Box, ...] = ()
    ) -> ViewState:
        return cls(shape, spec, Cursor(0, 0, *shape), boxes=tuple(boxes))

    # --- derived ----------------------------------------------------------------------

    @property
    def view_shape(self) -> tuple[int, int]:
        return self.zoom.view_shape(self.base_shape)

    @property
    def draft(self) -> Box | None:
        """The box being drawn, from the anchor to the cursor, in view cells."""
        return None if self.anchor is None else Box.from_corners(self.anchor, self.cursor.cell)

    @property
    def view_boxes(self) -> tuple[Box, ...]:
        return tuple(self.zoom.to_view_box(b) for b in self.boxes)

    def box_at_cursor(self) -> int | None:
        """Index of the smallest box the cursor's cell (or block) touches."""
        return innermost_box(self.view_boxes, *self.cursor.cell)

    def cursor_block(self) -> tuple[int, int, int, int]:
        """The data rows r0..r1 and columns c0..c1 under the cursor."""
        return self.zoom.block(*self.cursor.cell, self.base_shape)

    # --- the cursor ---------------------------------------------------------------------

    def at(self, row: int | None = None, col: int | None = None) -> ViewState:
        return replace(self, cursor=self.cursor.at(row, col))

    def moved(self, d_row: int, d_col: int) -> ViewState:
        return replace(self, cursor=self.cursor.moved(d_row, d_col))

    def paged(self, direction: int, visible_rows: int) -> ViewState:
        return self.at(row=self.cursor.row + direction * max(1, visible_rows))

    def at_base(self, row: int | None, col: int | None) -> ViewState:
        """The cursor on a data cell (go-to, a box of the list), whatever the zoom; an end
        left out stays where the cursor's block starts."""
        r0, _, c0, _ = self.cursor_block()
        return self.at(*self.zoom.to_view(r0 if row is None else row, c0 if col is None else col))

    # --- boxes --------------------------------------------------------------------------

    def start_box(self) -> ViewState:
        """``b``: anchor a box at the cursor; ``b`` again keeps it."""
        if self.anchor is not None:
            return self.keep_box()
        return replace(self, anchor=self.cursor.cell)

    def dragged(self, start: tuple[int, int], end: tuple[int, int]) -> ViewState:
        """A mouse drag: the box being drawn runs from where it was pressed to the cursor."""
        return replace(self.at(*end), anchor=self.cursor.at(*start).cell)

    def keep_box(self) -> ViewState:
        """The box being drawn becomes a kept box, covering every data cell of its blocks."""
        draft = self.draft
        if draft is None:
            return self
        kept = self.zoom.to_base_box(draft, self.base_shape)
        return replace(self, boxes=(*self.boxes, kept), anchor=None)

    def cancel_box(self) -> ViewState:
        return replace(self, anchor=None)

    def without_box_at_cursor(self) -> tuple[ViewState, Box | None]:
        index = self.box_at_cursor()
        if index is None:
            return self, None
        boxes = self.boxes[:index] + self.boxes[index + 1 :]
        gone = self.boxes[index]
        return replace(self, boxes=boxes, deleted=(*self.deleted, (index, gone))), gone

    def with_last_deleted(self) -> ViewState:
        """``u``: the last box deleted (``deleted[-1]``) comes back, in its place."""
        if not self.deleted:
            return self
        index, box = self.deleted[-1]
        boxes = (*self.boxes[:index], box, *self.boxes[index:])
        return replace(self, boxes=boxes, deleted=self.deleted[:-1])

    def renamed(self, index: int, name: str) -> ViewState:
        box = self.boxes[index]
        named = Box(box.r0, box.r1, box.c0, box.c1, name.strip())
        return replace(self, boxes=(*self.boxes[:index], named, *self.boxes[index + 1 :]))

    def next_box(self, direction: int) -> ViewState:
        """The cursor on the top-left cell of the next (or previous) box, in reading order."""
        if not self.boxes:
            return self
        corners = sorted({(b.r0, b.c0) for b in self.view_boxes})
        here = self.cursor.cell
        if direction > 0:
            target = next((c for c in corners if c > here), corners[0])
        else:
            target = next((c for c in reversed(corners) if c < here), corners[-1])
        return self.at(*target)

    # --- zoom and slices ------------------------------------------------------------------

    def zoomed(self, zoom: Zoom) -> ViewState:
        """Another zoom, centred on the cursor's block; a box being drawn is dropped. The
        data cell the cursor was on before zooming out is where zooming in comes back to,
        while the cursor's block still holds it (``-`` then ``+`` is no step at all)."""
        r0, r1, c0, c1 = self.cursor_block()
        home = self.home
        if home is None or not (r0 <= home[0] <= r1 and c0 <= home[1] <= c1):
            home = ((r0 + r1) // 2, (c0 + c1) // 2)
        row, col = zoom.to_view(*home)
        cursor = Cursor(row, col, *zoom.view_shape(self.base_shape))
        return replace(self, zoom=zoom, cursor=cursor, anchor=None, home=home)

    def sliced(self, spec: SliceSpec, shape: tuple[int, int]) -> ViewState:
        """Another 2-D slice of the tensor: a transpose carries the boxes and the cursor, a
        slice of another shape drops the boxes; the zoom stays."""
        r0, _, c0, _ = self.cursor_block()
        boxes = self.boxes
        transposed = (spec.rows, spec.cols) == (self.spec.cols, self.spec.rows)
        if transposed:
            boxes = tuple(Box(b.c0, b.c1, b.r0, b.r1, b.name) for b in boxes)
            r0, c0 = c0, r0
        elif shape != self.base_shape:
            boxes = ()
        row, col = self.zoom.to_view(r0, c0)
        cursor = Cursor(row, col, *self.zoom.view_shape(shape))
        return replace(
            self, base_shape=shape, spec=spec, cursor=cursor, boxes=boxes, anchor=None, deleted=()
        )

    # --- toggles ------------------------------------------------------------------------

    def toggled(self, name: str) -> ViewState:
        if name not in TOGGLES:
            raise ValueError(f"no toggle {name!r}")
        return replace(self, **{name: not getattr(self, name)})

    def emerging(self, threshold: float | None) -> ViewState:
        """``E``: mark where each column comes to stay at or above ``threshold``; None
        (an empty answer) takes the marks away."""
        return replace(self, emerge=None if threshold is None else float(threshold))

    @property
    def column_marks(self) -> bool:
        """Whether peak or emergence marks are asked for."""
        return self.peaks or self.emerge is not None

    def next_summary(self) -> ViewState:
        """``m``: mean, max, min, std in turn (the margins come on to show it)."""
        i = SUMMARIES.index(self.summary)
        return replace(self, summary=SUMMARIES[(i + 1) % len(SUMMARIES)], margins=True)


def changed(old: ViewState | None, new: ViewState) -> frozenset[str]:
    """The fields that differ: what the panes repaint and the chrome redoes."""
    if old is None:
        return frozenset(f.name for f in fields(ViewState))
    return frozenset(
        f.name for f in fields(ViewState) if getattr(old, f.name) != getattr(new, f.name)
    )
