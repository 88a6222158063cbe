"""Every action findable: the command palette, the help screen, key hints by mode,
overlays that leave the heatmap in sight, and a light theme that stays legible."""

from __future__ import annotations

from app_helpers import grid_of, line_text, seed_app, viewer

from tuiheat.app.commands import all_commands, typed


def test_keys_are_written_as_typed() -> None:
    assert typed("left_square_bracket") == "["
    assert typed("plus,equals_sign") == "+ ="
    assert typed("number_sign") == "#"
    keys = {c.action: c.keys for c in all_commands()}
    assert keys["toggle_annotations"] == "#" and keys["zoom('in')"] == "+ ="
    typed_keys = [key for c in all_commands() for key in c.keys.split()]
    assert not any("_" in key for key in typed_keys if key != "_")  # no internal key names
    assert keys["peak('max')"] == "^" and keys["peak('min')"] == "_"
    export = next(c for c in all_commands() if c.action == "export")
    assert "PNG" in export.description  # the help and the palette say what e writes


async def test_the_palette_finds_and_runs_tuiheat_actions() -> None:
    from textual.command import CommandPalette

    app = seed_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"zoom out")
        await pilot.pause(0.3)
        options = app.screen.query_one("CommandList")
        texts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert any("Zoom out" in t and "(-)" in t for t in texts), texts
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert grid_of(app).state.zoom.row_factor == 2


async def test_the_palette_offers_only_what_applies() -> None:
    from tuiheat.app.commands import applies

    app = seed_app()
    async with app.run_test(size=(120, 40)):
        offered = {c.name for c in all_commands() if applies(viewer(app), False, c)}
        assert {"zoom", "goto", "export", "cycle_colormap", "set_range", "toggle_log"} <= offered
        assert {"toggle_annotations", "toggle_raw_tokens", "toggle_margins", "transpose"} <= offered
        assert "toggle_difference" not in offered and "step_axis" not in offered  # one 2-D file


async def test_help_groups_keys_by_task_as_typed() -> None:
    app = seed_app()
    async with app.run_test(size=(120, 60)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        from rich.console import Console

        from tuiheat.screens.help import HelpScreen, keys_table

        assert isinstance(app.screen, HelpScreen)
        console = Console(width=100, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
        console.print(keys_table(app.screen.groups))
        text = console.export_text()
        for task in ("Move", "Boxes", "Zoom", "Colour", "Display", "Files"):
            assert task in text
        assert "left_square_bracket" not in text and "number_sign" not in text
        assert "+ =" in text and "Ctrl+R" in text


async def test_hints_follow_the_mode() -> None:
    app = seed_app()
    async with app.run_test(size=(120, 40)) as pilot:
        hints = app.query_one("#hints")
        assert ": go to" in str(hints.render()) and "^p find" in str(hints.render())
        await pilot.press("b")
        assert "Enter keep" in str(hints.render())
        await pilot.press("escape", "minus")
        await pilot.pause()
        assert "+ - zoom" in str(hints.render())


async def test_a_prompt_leaves_the_heatmap_in_sight() -> None:
    app = seed_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("colon")
        await pilot.pause()
        assert app.screen.styles.background.a < 0.5  # see-through: the grid shows behind
        dialog = app.screen.query_one("Vertical")
        assert dialog.region.y > 40 // 2  # at the bottom, not over the middle of the grid


async def test_a_light_theme_recolours_labels_and_the_bar() -> None:
    app = seed_app()
    async with app.run_test(size=(120, 40)) as pilot:
        app.theme = "textual-light"
        await pilot.pause()
        grid = grid_of(app)
        label = next(iter(grid.render_line(grid.grid_layout.header_height)))
        assert label.style is not None and label.style.bgcolor is not None
        bg = label.style.bgcolor.get_truecolor()
        fg = label.style.color.get_truecolor()
        assert sum(bg) > 600 and sum(fg) < 200  # dark text on the light background
        assert line_text(list(grid.render_line(grid.grid_layout.header_height))).strip()
