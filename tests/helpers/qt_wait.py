"""Waiting on a window in a script that runs its own Qt event loop (the layout and fold walks,
the screenshot scripts): events are processed while waiting, so the window can get there.
Tests under pytest-qt use qtbot.waitUntil instead."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any


def wait_until(app: Any, condition: Callable[[], object], timeout: float = 15.0) -> None:
    """Process events until `condition()` holds; TimeoutError after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the window did not get there in time")
        app.processEvents()
        time.sleep(0.005)


def settle(app: Any, rounds: int = 8) -> None:
    """Let queued layout and paint events run (a screenshot's last step before grab)."""
    for _ in range(rounds):
        app.processEvents()
        time.sleep(0.02)
