"""The one way we write a file that may name a client or hold a token (Qt-free, cheap to
import: settings.json is written by the window, profiles.json by the store, the file
`credential get --output` names by the CLI, --result-json by the window; and the crash
log, appended to: open_private_log).

Every such file is written the same way: a temp file in the same folder (mkstemp: O_EXCL,
so it never opens through a planted link), mode 0600 whatever the umask, fsync, then
os.replace, which swaps a symlinked target for the file itself and never writes through
it. On any error the temp file is removed and the old file is untouched.

On Windows a file another program has open (a reader of profiles.json, the virus scanner)
can't be replaced for a moment: the replace is tried again for REPLACE_PATIENCE_S, then
FileBusyError says so (the store reports `busy`, not a full or read-only disk).
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
import time
from pathlib import Path
from typing import TextIO

# ERROR_ACCESS_DENIED, ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION: what MoveFileEx says
# while another process holds the target open without delete sharing.
SHARING_VIOLATIONS = frozenset({5, 32, 33})
REPLACE_PATIENCE_S = 2.0


class FileBusyError(PermissionError):
    """Another program kept the file open for longer than REPLACE_PATIENCE_S (Windows)."""


def write_private(path: Path, payload: bytes, *, make_folder: bool = False) -> None:
    """Write `payload` to `path` atomically and privately (see the module's docstring).

    make_folder: create the missing folders 0700 (whatever the umask) first; without it a
    missing folder is an error (FileNotFoundError), as it is for a user-named file."""
    folder = path.parent
    if make_folder:
        make_folders(folder)
    # tempfile.mkstemp and os.replace/fsync by module attribute: the store's fault tests
    # patch them to play a read-only or full disk.
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            if os.name == "posix":
                os.fchmod(handle.fileno(), 0o600)
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        _replace(tmp, path)  # replaces a symlink itself, never its target
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _sync_folder(folder)


def _replace(tmp: str, path: Path) -> None:
    """os.replace, tried again while Windows says another process holds `path` open."""
    deadline = time.monotonic() + REPLACE_PATIENCE_S
    pause = 0.02
    while True:
        try:
            os.replace(tmp, path)
            return
        except PermissionError as exc:
            winerror = getattr(exc, "winerror", None)
            if winerror not in SHARING_VIOLATIONS:
                raise
            if winerror == 5 and path.exists() and not os.access(path, os.W_OK):
                raise  # a read-only file, not a busy one: waiting changes nothing
            if time.monotonic() >= deadline:
                raise FileBusyError(exc.errno, "in use by another program", str(path)) from exc
        time.sleep(pause)
        pause = min(pause * 2, 0.25)


def open_private_log(path: Path, max_bytes: int) -> TextIO:
    """Our log file, for appending lines: 0600 whatever the umask, in folders made 0700,
    never opened through a symlink; started afresh once it has grown past `max_bytes`.
    Line-buffered, LF."""
    make_folders(path.parent)
    flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND
    flags |= getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags, 0o600)
    try:
        if os.name == "posix":
            os.fchmod(fd, 0o600)
        if os.fstat(fd).st_size > max_bytes:
            os.ftruncate(fd, 0)
        return open(fd, "a", encoding="utf-8", newline="\n", buffering=1)
    except BaseException:
        os.close(fd)
        raise


def make_folders(folder: Path) -> None:
    """Create `folder` and its missing parents 0700, whatever the umask (existing ones are
    left as they are)."""
    missing: list[Path] = []
    here = folder
    while not here.exists() and here != here.parent:
        missing.append(here)
        here = here.parent
    for path in reversed(missing):
        with contextlib.suppress(FileExistsError):
            path.mkdir(mode=0o700)
        if os.name == "posix":
            os.chmod(path, 0o700)


def private_folder(folder: Path) -> None:
    """Our config folder: created 0700 if missing, and group and other permissions taken
    off an existing one we own (it holds who we connect to). Not a folder: NotADirectoryError."""
    make_folders(folder)
    if os.name == "posix":
        info = os.stat(folder)
        if not stat.S_ISDIR(info.st_mode):
            raise NotADirectoryError(errno.ENOTDIR, "not a folder", str(folder))
        if info.st_uid == os.getuid() and info.st_mode & 0o077:
            os.chmod(folder, stat.S_IMODE(info.st_mode) & 0o700 | 0o700)


def _sync_folder(folder: Path) -> None:
    """fsync the folder so the rename survives a power cut. A folder we may write but not
    read (mode 0300, say) can't be opened for it: the file is in place, so that is no
    failure."""
    if os.name != "posix":
        return
    try:
        dir_fd = os.open(folder, os.O_RDONLY)
    except PermissionError:
        return
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
