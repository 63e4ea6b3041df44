"""Waiting on a condition, for tests without a Qt event loop (with one, use qtbot.waitUntil or
qtbot.waitSignal). A fixed sleep either wastes time or, on a loaded machine, is too short and
lets a test pass before what it guards against happened."""

from __future__ import annotations

import time
from collections.abc import Callable


def wait_until(condition: Callable[[], object], timeout: float = 10.0, poll: float = 0.01) -> None:
    """Return as soon as `condition()` is true; AssertionError after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not true within {timeout} s: {condition}")
        time.sleep(poll)
