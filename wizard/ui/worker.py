"""The one place the GUI runs network work: a check on a plain Python thread.

Each attempt gets an id. The result comes back through a signal on a QObject that
lives in the GUI thread (so the slot runs there, queued), and a result whose id is
no longer the current one (after Cancel, an edit, or Back) is dropped. Cancel
returns at once: it flags the attempt's Event so the client stops at its next
read, and the GUI does not wait for that.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from wizard.ui.context import CheckFn

log = logging.getLogger(__name__)


class CheckRunner(QObject):
    # attempt id, CheckResult (object: a frozen dataclass crosses threads untouched)
    _delivered = Signal(int, object)
    finished = Signal(object)

    def __init__(self, check: CheckFn, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._check = check
        self._attempt = 0
        self._cancel: threading.Event | None = None
        self._delivered.connect(self._on_delivered)

    @property
    def busy(self) -> bool:
        return self._cancel is not None

    def start(self, email: str, token: str, base_url: str) -> int:
        self.cancel()
        self._attempt += 1
        attempt, cancel = self._attempt, threading.Event()
        self._cancel = cancel

        def run() -> None:
            try:
                result = self._check(email, token, base_url, cancel)
            except Exception:  # a bug in the client must not kill the thread silently
                log.exception("check failed unexpectedly")
                result = None
            self._delivered.emit(attempt, result)

        threading.Thread(target=run, name=f"check-{attempt}", daemon=True).start()
        return attempt

    def cancel(self) -> None:
        """Drop the attempt in flight (if any); its late answer will be ignored."""
        if self._cancel is not None:
            self._cancel.set()
            self._cancel = None
            self._attempt += 1

    def _on_delivered(self, attempt: int, result: object) -> None:
        if attempt != self._attempt or self._cancel is None:
            log.debug("dropped a stale check result (attempt %d)", attempt)
            return
        self._cancel = None
        self.finished.emit(result)
