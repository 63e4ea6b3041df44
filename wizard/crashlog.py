"""The crash log: what went wrong, for support, with no token in it (Qt-free).

The windowed app has no console (on Windows its streams go nowhere), so warnings, errors
and anything nothing handled are also written to `alegra-wizard.log` in the platform's log
folder (platformdirs' user_log_dir: ~/.local/state/alegra-wizard/log, ~/Library/Logs/
alegra-wizard, %LOCALAPPDATA%\\alegra-wizard\\Logs), 0600 through private_files, every line
redacted at the formatter (tracebacks included). The file is made at the first record, so a
run where nothing went wrong (the test mode's too) leaves none. faulthandler writes a hard
crash's Python stack (file, function and line names: never a value) to stderr, and to the
log file once it exists.
"""

from __future__ import annotations

import contextlib
import faulthandler
import logging
from pathlib import Path
from types import TracebackType
from typing import TextIO

from wizard.private_files import open_private_log
from wizard.redact import RedactingFormatter

LOG_FILE = "alegra-wizard.log"
MAX_LOG_BYTES = 1024 * 1024  # started afresh beyond this
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]

_started: list[Path] = []


def log_dir() -> Path:
    """Where the log goes. appauthor=False: %LOCALAPPDATA%\\alegra-wizard, not
    …\\alegra-wizard\\alegra-wizard (the config folder's rule, wizard.settings)."""
    import platformdirs

    return Path(platformdirs.user_log_dir("alegra-wizard", appauthor=False))


def log_file() -> Path:
    return log_dir() / LOG_FILE


class PrivateLogHandler(logging.Handler):
    """Writes to our log file, made (0600, private_files) at the first record: a run where
    nothing goes wrong, the test mode's included, leaves no file. From then on faulthandler
    writes to it too."""

    def __init__(self, path: Path) -> None:
        super().__init__(logging.WARNING)
        self.path = path
        self.stream: TextIO | None = None
        self.setFormatter(RedactingFormatter(FORMAT))

    def emit(self, record: logging.LogRecord) -> None:
        try:
            if self.stream is None:
                self.stream = open_private_log(self.path, MAX_LOG_BYTES)
                faulthandler.enable(self.stream)
            self.stream.write(self.format(record) + "\n")
            self.stream.flush()
        except Exception:
            self.handleError(record)


def start() -> Path:
    """Warnings and errors of every logger into the log file too (once per process), and
    faulthandler on stderr until that file exists. The file's path."""
    if _started:
        return _started[0]
    path = log_file()
    root = logging.getLogger()
    root.addHandler(PrivateLogHandler(path))
    if root.level == logging.NOTSET or root.level > logging.WARNING:
        root.setLevel(logging.WARNING)
    if not faulthandler.is_enabled():
        with contextlib.suppress(AttributeError, ValueError, OSError, RuntimeError):
            faulthandler.enable()  # stderr: a terminal's, or nowhere in a windowed app
    _started.append(path)
    return path


def record(exc_info: ExcInfo) -> Path | None:
    """An error nothing handled, with its traceback, into the log (redacted). The log's
    path for the user to send to support, or None when it could not be written."""
    path = start()
    logging.getLogger("wizard.crash").critical("unexpected error", exc_info=exc_info)
    return path if path.is_file() else None


def write(exc_info: ExcInfo, name: str = "wizard.crash") -> Path | None:
    """One error with its traceback appended to the log (redacted), without staying as a
    logging handler: for a command line run (the window uses start/record). The log's
    path, or None when it can't be written."""
    path = log_file()
    record = logging.LogRecord(name, logging.CRITICAL, __file__, 0, "unexpected error",
                               None, exc_info)  # fmt: skip
    try:
        with open_private_log(path, MAX_LOG_BYTES) as stream:
            stream.write(RedactingFormatter(FORMAT).format(record) + "\n")
    except OSError:
        return None
    return path
