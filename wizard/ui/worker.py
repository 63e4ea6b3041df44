"""The one place the GUI runs blocking work (network checks, keyring calls): a plain
Python thread per task.

Each task gets an attempt id. The outcome comes back through a signal on a QObject
that lives in the GUI thread (so the slot runs there, queued), and an outcome whose
id is no longer the current one (after Cancel, an edit, or Back) is dropped. Cancel
returns at once: it flags the task's Event so the work can stop at its next
checkpoint, and the GUI does not wait for that.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from wizard.ui.context import CheckFn

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    """What a task gave back: one object whether the task returned a value, None or raised.
    (It was first a workaround for PySide6 6.12.0, whose wrappers released a reference to
    None on every void call and to True on every emit(), so the interpreter aborted at
    exit; pyproject pins 6.11.3, which counts right, and tests/ui/test_app.py checks it.)"""

    value: Any = None
    error: BaseException | None = None


class Worker(QObject):
    _delivered = Signal(int, object)  # attempt id, Outcome
    done = Signal(object)  # Outcome

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._attempt = 0
        self._cancel: threading.Event | None = None
        self._delivered.connect(self._on_delivered)

    @property
    def busy(self) -> bool:
        return self._cancel is not None

    def run(self, task: Callable[[threading.Event], Any], name: str = "task") -> int:
        self.cancel()
        self._attempt += 1
        attempt, cancel = self._attempt, threading.Event()
        self._cancel = cancel

        def body() -> None:
            try:
                outcome = Outcome(value=task(cancel))
            except Exception as exc:  # handed to the GUI thread, which decides what to say
                outcome = Outcome(error=exc)
            # RuntimeError: the window was closed and its objects deleted meanwhile.
            with contextlib.suppress(RuntimeError):
                self._delivered.emit(attempt, outcome)

        threading.Thread(target=body, name=f"{name}-{attempt}", daemon=True).start()
        return attempt

    def cancel(self) -> None:
        """Drop the task in flight (if any); its late outcome will be ignored."""
        if self._cancel is not None:
            self._cancel.set()
            self._cancel = None
            self._attempt += 1

    def _on_delivered(self, attempt: int, outcome: Outcome) -> None:
        if attempt != self._attempt or self._cancel is None:
            log.debug("dropped a stale outcome (attempt %d)", attempt)
            return
        self._cancel = None
        self.done.emit(outcome)


class CheckRunner(Worker):
    """A Worker for the connection check; `finished` carries a CheckResult (a failure of
    the client itself, which is a bug, becomes an `unexpected_response` result)."""

    finished = Signal(object)

    def __init__(self, check: CheckFn, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._check = check
        self.done.connect(self._relay)

    def start(self, email: str, token: str, base_url: str) -> int:
        return self.run(lambda cancel: self._check(email, token, base_url, cancel), "check")

    def _relay(self, outcome: Outcome) -> None:
        result = outcome.value
        if outcome.error is not None or result is None:
            from wizard.check import CheckResult
            from wizard.outcomes import Code

            name = type(outcome.error).__name__ if outcome.error else "no result"
            log.error("check failed unexpectedly: %s", name)
            result = CheckResult(
                code=Code.UNEXPECTED_RESPONSE,
                http_status=None,
                company=None,
                rate_limit=None,
                elapsed_ms=0,
                detail=f"internal error ({name})",
            )
        self.finished.emit(result)
