"""One way to run a blocking call that may hang (a keyring over D-Bus, a DNS lookup) with a
deadline, for the store and the doctor.

The call runs on a daemon thread: a hung call cannot freeze the caller, and it cannot be
killed either, so it may still complete after the deadline. `CallTimedOut.late` is the
call's Future: whoever needs to undo a late effect (the store) adds a done-callback to it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

T = TypeVar("T")


class CallTimedOut(Exception):
    """`name` did not finish within `timeout` seconds; `late` completes if it ever does.
    The message names the call only: never its arguments (they may be secrets)."""

    def __init__(self, name: str, timeout: float, late: Future[Any]) -> None:
        super().__init__(f"{name} did not answer within {timeout:g} s")
        self.name = name
        self.timeout = timeout
        self.late = late


def call_with_timeout(fn: Callable[..., T], *args: Any, timeout: float, name: str) -> T:
    """fn(*args), or CallTimedOut after `timeout` seconds. fn's own exception is raised
    as is (the caller decides what may be shown of it)."""
    future: Future[T] = Future()
    future.set_running_or_notify_cancel()

    def run() -> None:
        try:
            value = fn(*args)
        except BaseException as exc:  # carried to the caller's thread
            future.set_exception(exc)
        else:
            future.set_result(value)

    threading.Thread(target=run, name=name, daemon=True).start()
    try:
        return future.result(timeout)
    except TimeoutError:
        if not future.done():
            raise CallTimedOut(name, timeout, future) from None
        return future.result()  # it finished just as the wait ran out
