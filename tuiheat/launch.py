"""The colour depth, decided before Textual starts, and told to Textual.

Over SSH ``COLORTERM`` is rarely forwarded and inside tmux it says nothing about the
terminal outside, so the environment alone would leave most people on 256 colours
although their terminal shows 24-bit colour. In order, the first that knows wins:

1. an explicit choice: ``--color``, ``TUIHEAT_COLOR``, the user config file
   (``$XDG_CONFIG_HOME/tuiheat/config.toml``: ``color = "truecolor"``);
   then ``NO_COLOR`` and ``TERM=dumb``;
2. inside tmux, tmux itself: ``#{client_termfeatures}`` lists ``RGB`` when the
   terminal outside has it (tmux answers no terminal queries, so this comes first);
3. the environment: ``COLORTERM``, ``TERM`` ``*-direct``, terminals known by
   ``TERM``/``TERM_PROGRAM``/``LC_TERMINAL``;
4. on a real terminal, outside tmux and screen, one question to the terminal (as
   neovim asks it), whose answer to Primary Device Attributes ends the wait in one
   round trip; at most ``PROBE_SECONDS`` for a terminal that answers nothing.

Otherwise 256 colours, and the viewer says once how to get truecolor.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tuiheat.render.terminal import (
    COLOR_CHOICES,
    DA1_REPLY,
    PROBE,
    env_color,
    in_multiplexer,
    probe_says_truecolor,
    tmux_features_say_truecolor,
)
from tuiheat.session.open import Loaded, source_of, tensor_range
from tuiheat.session.options import LEAN_BINS, Options, lean_mode

PROBE_SECONDS = 1.0
TMUX_SECONDS = 1.0
TEXTUAL_COLOR_SYSTEMS = {"truecolor": "truecolor", "256": "256", "16": "standard"}


@dataclass(frozen=True)
class ColourChoice:
    """The colour mode, what decided it, and (256 for lack of evidence) how to get more."""

    mode: str
    reason: str
    hint: str = ""
    warnings: tuple[str, ...] = field(default_factory=tuple)


def choose_colours(
    option: str = "auto", env: Mapping[str, str] | None = None, ask_terminal: bool = True
) -> ColourChoice:
    """The colour mode for ``--color option``; ``ask_terminal`` allows the probe (a real
    terminal on both ends, as the viewer has; never for a pipe)."""
    env = os.environ if env is None else env
    if option != "auto":
        return ColourChoice(option, "--color")
    warnings: list[str] = []
    chosen = env.get("TUIHEAT_COLOR", "").strip().lower()
    if chosen and chosen not in COLOR_CHOICES:
        warnings.append(f"TUIHEAT_COLOR={chosen!r} is not one of {', '.join(COLOR_CHOICES)}")
    elif chosen and chosen != "auto":
        return ColourChoice(chosen, "TUIHEAT_COLOR")
    configured, problem = config_colour(env)
    if problem:
        warnings.append(problem)
    if configured and configured != "auto":
        return ColourChoice(configured, "config file", warnings=tuple(warnings))
    choice = _detect(env, ask_terminal)
    return ColourChoice(choice.mode, choice.reason, choice.hint, tuple(warnings))


def _detect(env: Mapping[str, str], ask_terminal: bool) -> ColourChoice:
    said = env_color(env)
    if said is not None and said[0] == "none":
        return ColourChoice("none", said[1])
    if env.get("TMUX"):
        answer = tmux_client()
        if answer is not None:
            features, outer = answer
            if tmux_features_say_truecolor(features):
                return ColourChoice("truecolor", "tmux (RGB)")
            outer = outer or "xterm-256color"
            return ColourChoice(
                "256",
                "tmux",
                "256 colours: tmux does not pass truecolor on; if your terminal has it, add "
                f"set -as terminal-features ',{outer}:RGB' to ~/.tmux.conf (or use --color "
                "truecolor)",
            )
    if said is not None:
        return ColourChoice(*said)
    if ask_terminal and not in_multiplexer(env) and _both_ttys():
        started = time.monotonic()
        answered = probe_terminal(sys.stdin.fileno(), sys.stdout.fileno())
        took = f"{(time.monotonic() - started) * 1000:.0f} ms"
        if answered:
            return ColourChoice("truecolor", f"the terminal answered ({took})")
    return ColourChoice(
        "256",
        "no sign of truecolor",
        # Short: a notice over the grid (the README and --help say where else to set it).
        "256 colours: no sign of truecolor. If the terminal has it: --color truecolor",
    )


def _both_ttys() -> bool:
    try:
        return os.isatty(sys.stdin.fileno()) and os.isatty(sys.stdout.fileno())
    except (AttributeError, OSError, ValueError):
        return False


# --- the user config file -------------------------------------------------------------


def config_path(env: Mapping[str, str]) -> Path:
    base = env.get("XDG_CONFIG_HOME") or str(Path(env.get("HOME", "~")).expanduser() / ".config")
    return Path(base) / "tuiheat" / "config.toml"


def display_path(path: Path) -> str:
    home = str(Path.home())
    text = str(path)
    return "~" + text[len(home) :] if text.startswith(home + os.sep) else text


def config_colour(env: Mapping[str, str]) -> tuple[str | None, str]:
    """``color`` from the config file, and a one-line problem with the file, if any."""
    path = config_path(env)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None, ""
    except OSError as err:
        return None, f"{display_path(path)}: {err.strerror or err}"
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]
    try:
        data = tomllib.loads(raw.decode("utf-8", errors="replace"))
    except tomllib.TOMLDecodeError as err:
        return None, f"{display_path(path)}: not valid TOML ({err})"
    value = data.get("color", data.get("colour"))
    if value is None:
        return None, ""
    if not isinstance(value, str) or value.lower() not in COLOR_CHOICES:
        return (
            None,
            f"{display_path(path)}: color = {value!r} is not one of {', '.join(COLOR_CHOICES)}",
        )
    return value.lower(), ""


# --- asking tmux and the terminal -----------------------------------------------------


def tmux_client() -> tuple[str, str] | None:
    """tmux's view of the terminal outside: its features and its TERM (None: no answer)."""
    try:
        done = subprocess.run(
            ["tmux", "display-message", "-p", "#{client_termfeatures}\t#{client_termname}"],
            capture_output=True,
            text=True,
            timeout=TMUX_SECONDS,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    features, _, outer = done.stdout.strip("\n").partition("\t")
    if done.returncode != 0 or not features.strip():
        return None  # tmux before 3.2, or no client attached
    return features, outer.strip()


def probe_terminal(fd_in: int, fd_out: int, seconds: float = PROBE_SECONDS) -> bool:
    """Ask the terminal (see ``render.terminal.PROBE``); read back exactly its replies,
    up to the answer to DA1, so no byte of the user's typing is taken."""
    import select
    import termios

    try:
        saved = termios.tcgetattr(fd_in)
    except termios.error:
        return False
    quiet = list(saved)
    quiet[3] = saved[3] & ~(termios.ICANON | termios.ECHO)  # lflag: no line editing, no echo
    replies = bytearray()
    try:
        termios.tcsetattr(fd_in, termios.TCSANOW, quiet)
        os.write(fd_out, PROBE)
        deadline = time.monotonic() + seconds
        while not DA1_REPLY.search(replies):
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd_in], [], [], left)[0]:
                break
            byte = os.read(fd_in, 1)
            if not byte:
                break
            replies += byte
    except OSError:
        return False
    finally:
        termios.tcsetattr(fd_in, termios.TCSANOW, saved)
    return probe_says_truecolor(bytes(replies))


def set_textual_colours(mode: str) -> None:
    """Textual reads its colour depth from the environment once, when it is imported."""
    if mode == "none":
        os.environ["NO_COLOR"] = "1"
    else:
        os.environ["TEXTUAL_COLOR_SYSTEM"] = TEXTUAL_COLOR_SYSTEMS[mode]


def has_terminal(keys_from_tty: bool = False) -> bool:
    """A terminal on both ends that can move its cursor (``TERM=dumb`` cannot);
    ``keys_from_tty``: the keys come from the controlling terminal, not standard input."""
    if os.environ.get("TERM", "") == "dumb" or not sys.stdout.isatty():
        return False
    return _tty_opens() if keys_from_tty else sys.stdin.isatty()


def use_tui(options: Options) -> bool:
    """The viewer needs a terminal on both ends that can move its cursor; else print mode.

    ``make_grid.py | tuiheat -`` reads the data from the pipe and the keys from the
    terminal, as ``less`` and ``fzf`` do: the viewer opens when the output is a terminal.
    """
    if options.print_mode:
        return False
    return has_terminal(keys_from_tty="-" in options.files and not sys.stdin.isatty())


def _tty_opens() -> bool:
    try:
        os.close(os.open("/dev/tty", os.O_RDWR))
    except OSError:
        return False
    return True


def attach_terminal() -> None:
    """After standard input was read to its end: the keys come from the terminal."""
    if sys.stdin is not None and sys.stdin.isatty():
        return
    fd = os.open("/dev/tty", os.O_RDWR)
    os.dup2(fd, 0)
    os.close(fd)


def resolve_color(option: str) -> Any:
    """The colour choice (``.mode``, and a hint when 256 is for lack of evidence); the
    terminal is asked only when it is a terminal on both ends."""
    choice = choose_colours(option, ask_terminal=has_terminal())
    for warning in choice.warnings:
        sys.stderr.write(f"tuiheat: warning: {warning}\n")
    return choice


M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter


def return_freed_memory() -> None:
    """Buffers over 256 KiB each get their own mapping, given back to the system when
    freed. glibc otherwise raises that threshold after the first big free, and the pieces
    of a big file read by worker threads then stay counted in the process (16384²: 200
    MiB after a few zooms instead of 120)."""
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("c")
    if sys.platform.startswith("linux") and name:
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(name).mallopt(M_MMAP_THRESHOLD, 256 * 1024)


def run_viewer(
    loaded: Loaded | None,
    options: Options,
    others: Sequence[Loaded] = (),
    collection: Any = None,
) -> None:
    """Start the Textual app; the colour depth is fixed before Textual is imported.

    Without ``loaded`` the viewer opens on the picker of ``collection``.
    """
    return_freed_memory()
    choice = resolve_color(options.color)
    mode = lean_mode(choice.mode, options)
    set_textual_colours(mode)
    from tuiheat.app import TuiheatApp
    from tuiheat.session.config import ViewerConfig

    settings = viewer_settings(options, mode, collection)
    settings["color_note"] = choice.hint if mode == choice.mode else ""
    if loaded is None:
        TuiheatApp(ViewerConfig(**settings)).run()
        return
    every = [loaded, *others]
    names = [options.file or "", *options.others]  # no file: the bundled seed sample
    if loaded.runs is not None:  # many files, one grid of their statistics
        names = [loaded.name]
    title = loaded.title
    if any(other.title != loaded.title for other in others):
        from tuiheat.core.names import compare_title  # with tuiheat.core: numpy

        title = compare_title([item.title for item in every])
    config = ViewerConfig(
        sources=tuple(
            source_of(item, options, name) for item, name in zip(every, names, strict=True)
        ),
        spec=loaded.spec,
        facet=loaded.facet,
        boxes=tuple(loaded.matrix.boxes),
        title=title,
        array_name=loaded.name,
        array_key=options.key,
        # A big matrix starts from a sampled range; the app refines it in the background.
        vrange=tensor_range(*every, options=options, sample=True),
        notices=tuple(loaded.notices),
        lens=loaded.lens,
        runs=loaded.runs,
        **settings,
    )
    TuiheatApp(config).run()


def viewer_settings(options: Options, mode: str, collection: Any) -> dict[str, Any]:
    """The viewer's settings from the command line: what outlives the array on screen."""
    from tuiheat.render.gridview import DisplaySettings
    from tuiheat.render.terminal import supports_unicode

    ascii_only = not supports_unicode(getattr(sys.stdout, "encoding", None))
    return {
        "colormap": options.colormap,
        "center": options.center,
        "log": options.log,
        "vmin": options.vmin,
        "vmax": options.vmax,
        "display": DisplaySettings(mode, ascii_only, LEAN_BINS if options.lean else None),
        "half": options.half,
        "watch": options.watch,
        "collection": collection,
        "summary": options.summary,
        "as_text": options.as_text,
    }
