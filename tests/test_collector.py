"""The collector is paused for start-up only: every way out of the command turns it back on."""

from __future__ import annotations

import gc

import pytest

from tuiheat import cli
from tuiheat.session import collector


@pytest.fixture(autouse=True)
def collector_on():
    yield
    gc.enable()


def test_pause_then_resume_turns_the_collector_back_on() -> None:
    collector.pause()
    assert not gc.isenabled()
    collector.resume()
    assert gc.isenabled()


def test_resume_without_pause_leaves_a_disabled_collector_alone() -> None:
    """Someone else's gc.disable() (e.g. Textual during a scroll) is not ours to undo."""
    gc.disable()
    collector.resume()
    assert not gc.isenabled()


def test_printing_runs_with_the_collector_on(monkeypatch, capsys) -> None:
    seen: list[bool] = []
    real = cli.print_panels

    def spy(*args, **kwargs):
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(cli, "print_panels", spy)
    assert cli.main(["--print", "--color", "none"]) == 0
    assert seen == [True]
    assert gc.isenabled()


def test_a_usage_error_leaves_the_collector_on(capsys) -> None:
    assert cli.main(["--vmin", "2", "--vmax", "1", "--print"]) != 0
    assert gc.isenabled()


async def test_the_viewers_first_frame_turns_the_collector_back_on() -> None:
    from app_helpers import seed_app

    collector.pause()
    app = seed_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert gc.isenabled()
