"""The cyclic garbage collector is paused while tuiheat starts.

Start-up creates some half a million long-lived objects (modules, classes, Textual's CSS);
the collector would walk them several times before the first frame (about 12 ms of a
start-up of 250). After the first frame they are frozen out of later collections, so a
full collection during a cursor step does not walk them either.
"""

from __future__ import annotations

import gc

_paused = False
_frozen = False


def pause() -> None:
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume() -> None:
    """The first frame, a non-interactive run and the exit all call it; only the first
    call after a pause does anything, and objects are frozen once a process (tests call
    the command many times in one process)."""
    global _paused, _frozen
    if not _paused:
        return
    _paused = False
    if not _frozen:
        gc.freeze()
        _frozen = True
    gc.enable()
