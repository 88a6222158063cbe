"""The screen's plan for one matrix: cell width, half blocks, label lines and what stays."""

from __future__ import annotations

from test_render_axes import SEED_TOKENS

from tuiheat.render.axes import column_header, legend_lines
from tuiheat.render.matrixfit import MatrixNeeds, Wishes, plan_matrix
from tuiheat.render.sizes import MAX_CELL_ALONE

BAR, CHROME = 12, 2


def seed_needs(width: int, labels: list[str] = SEED_TOKENS, rows: int = 32) -> MatrixNeeds:
    def label_lines(cell_width: int, budget: int) -> int:
        header = column_header(labels, cell_width, budget)
        return header.line_count + len(legend_lines(header.legend, width - 2, "Token: "))

    return MatrixNeeds(rows, len(labels), 6, label_lines)


def plan(width: int, height: int, wish: Wishes | None = None, **kw):  # type: ignore[no-untyped-def]
    return plan_matrix(seed_needs(width, **kw), wish or Wishes(), width - BAR, height - CHROME)


def test_a_big_screen_widens_the_cells_and_writes_the_labels_in_full() -> None:
    p = plan(200, 60)
    assert p.fits and not p.half and p.margins
    assert p.cell_width == MAX_CELL_ALONE  # 14 columns of 12: most of the 200 columns
    assert p.shown == {"profiles", "boxinfo"} and p.given_up == ()
    header = column_header(SEED_TOKENS, p.cell_width, p.header_lines)
    assert header.mode == "wrapped" and not header.legend


def test_80x24_shows_every_layer_with_half_blocks_and_says_what_it_gave_up() -> None:
    p = plan(80, 24)
    assert p.fits and p.half
    assert p.given_up == ("profiles", "half")  # in the documented order, no further
    assert p.margins and "boxinfo" in p.shown
    header = column_header(SEED_TOKENS, p.cell_width, p.header_lines)
    assert header.mode == "key"  # the last resort, with its legend counted in the plan
    legend = len(legend_lines(header.legend, 78, "Token: "))
    # title line + label line + 16 lines of rows + margin line + legend fit the 22 lines
    assert 1 + header.line_count + 16 + 1 + legend <= 22


def test_120x40_keeps_full_cells_by_giving_up_the_profiles() -> None:
    p = plan(120, 40)
    assert p.fits and not p.half and p.given_up == ("profiles",)
    assert "boxinfo" in p.shown


def test_half_blocks_are_never_chosen_when_the_user_said_no_or_without_colour() -> None:
    for wish in (Wishes(half=False), Wishes(half_blocks=False)):
        p = plan(80, 24, wish)
        assert not p.half
    forced = plan(200, 60, Wishes(half=True))
    assert forced.half and forced.given_up == ()


def test_margins_go_last_and_not_when_the_user_asked_for_them() -> None:
    p = plan(100, 22)
    assert p.fits and p.half and not p.margins and p.given_up[-1] == "margins"
    kept = plan(100, 22, Wishes(margins=True))
    assert kept.margins and not kept.fits


def test_rows_that_never_fit_keep_full_cells_and_scroll() -> None:
    p = plan(120, 40, rows=4096)
    assert not p.fits and not p.half and p.margins
    assert p.header_lines >= 1


def test_narrow_screens_never_go_below_the_smallest_cell() -> None:
    p = plan(40, 30, labels=[str(i) for i in range(200)], rows=10)
    assert p.cell_width == 2


SEED_LONGEST = max(map(len, SEED_TOKENS))


def transposed_needs(width: int, cols: int = 32) -> MatrixNeeds:
    """The seed with ``t``: 14 token rows (labels up to 25 characters), 32 layer columns."""
    layers = [str(i) for i in range(cols)]

    def label_lines(cell_width: int, budget: int) -> int:
        return column_header(layers, cell_width, budget).line_count

    return MatrixNeeds(14, cols, 17, label_lines, full_gutter=SEED_LONGEST + 1)


def test_transposed_at_80x24_fits_every_layer_in_narrower_cells_with_the_labels_in_full() -> None:
    p = plan_matrix(transposed_needs(80), Wishes(), 80 - BAR, 24 - CHROME)
    assert p.cell_width == 1  # 32 layers in 1-character cells, not 24 of them in 2
    assert p.gutter == SEED_LONGEST + 1  # exact_answer_before_first whole
    assert p.margins  # they fit beside 1-character cells: nothing else is given up
    assert p.gutter + 32 * p.cell_width + 3 <= 80 - BAR


def test_columns_cut_labels_then_give_up_the_margins_then_narrow_the_cells() -> None:
    # 68 columns of room. 24 columns of 2: cut labels (17 + 48 + 3) still leave the margins
    p = plan_matrix(transposed_needs(80, cols=24), Wishes(), 80 - BAR, 24 - CHROME)
    assert (p.cell_width, p.gutter, p.margins) == (2, 17, True)
    # 25 columns of 2 need the margins' 3 (17 + 50 = 67)
    p = plan_matrix(transposed_needs(80, cols=25), Wishes(), 80 - BAR, 24 - CHROME)
    assert (p.cell_width, p.margins) == (2, False) and "margins" in p.given_up
    asked = Wishes(margins=True)
    kept = plan_matrix(transposed_needs(80, cols=25), asked, 80 - BAR, 24 - CHROME)
    assert kept.margins and kept.cell_width == 1  # the user's margins: narrower cells instead


def test_row_labels_are_cut_only_when_their_room_would_cost_columns() -> None:
    wide = plan_matrix(transposed_needs(200), Wishes(), 200 - BAR, 60 - CHROME)
    assert wide.gutter == SEED_LONGEST + 1 and wide.cell_width >= 4
    # 100 columns cannot all be shown at 68 wide: the labels stay cut, the grid scrolls
    many = plan_matrix(transposed_needs(80, cols=100), Wishes(), 80 - BAR, 24 - CHROME)
    assert many.gutter == 17 and many.cell_width == 2 and many.margins


def test_rows_grow_taller_than_a_line_to_fill_the_screen() -> None:
    from tuiheat.core.rowlines import RowLines

    p = plan(200, 60)  # the seed: 32 rows
    assert p.row_height == 3  # a line and a half each: 48 lines, not 32 and 20 blank
    rows = RowLines(p.row_height).lines(32)
    header = column_header(SEED_TOKENS, p.cell_width, p.header_lines)
    assert rows + header.line_count <= 60 - CHROME - 2 - 2 - 1 - 1  # title, profiles...
    assert 60 - CHROME - rows - header.line_count <= 12  # the screen is filled
    summary = plan_matrix(seed_needs(120, rows=6), Wishes(), 120 - BAR, 40 - CHROME)
    assert summary.row_height > 2 and RowLines(summary.row_height).lines(6) >= 24  # not 6 of 40
    assert summary.row_height <= 2 * summary.cell_width  # never taller than twice as wide


def test_rows_stay_one_line_or_half_blocks_when_the_screen_is_full() -> None:
    assert plan(120, 40).row_height == 2
    assert plan(80, 24).half and plan(80, 24).row_height == 2
    asked = plan(200, 60, Wishes(half=True))
    assert asked.half and asked.row_height == 2  # the user's half blocks: no taller rows
