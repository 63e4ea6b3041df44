"""profiles.json and its lock: on disk (the user's config folder), or in memory (test mode).

Neither file is ever reached through a symlink (a planted link must not make us read,
create or lock its target). The lock is `filelock`'s (it opens with O_NOFOLLOW and keeps
the file); the write is our own `private_files.write_private`, because no well-kept library
writes a file atomically *and* 0600 from its first byte whatever the umask."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import threading
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from wizard.private_files import private_folder, write_private
from wizard.store.model import MAX_CONFIG_BYTES, StorageError, StorageReason

LOCK_TIMEOUT = 10.0
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)


def config_dir(app_id: str) -> Path:
    from wizard.settings import config_dir  # one rule for the folder, settings.json's too

    return config_dir(app_id)


class DiskFiles:
    def __init__(self, folder: Path) -> None:
        self.config_file = folder / "profiles.json"
        self.lock_file = folder / "profiles.lock"

    def read(self) -> bytes | None:
        """The file's bytes, None if there is none. Never through a symlink, never a FIFO
        or device (open would block or read for ever)."""
        try:
            fd = os.open(self.config_file, os.O_RDONLY | _NOFOLLOW | _CLOEXEC | _NONBLOCK)
        except FileNotFoundError:
            return None
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise OSError(errno.EINVAL, "not a regular file")
            return handle.read(MAX_CONFIG_BYTES + 1)

    def write(self, payload: bytes) -> None:
        """Atomic and 0600 (private_files.write_private), in our 0700 folder."""
        private_folder(self.config_file.parent)
        write_private(self.config_file, payload)

    def set_aside(self) -> Path:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        target = self.config_file.with_name(f"{self.config_file.name}.corrupt-{stamp}")
        os.replace(self.config_file, target)
        if os.name == "posix" and not target.is_symlink():  # chmod would follow a link
            with contextlib.suppress(OSError):
                os.chmod(target, 0o600)  # a hand-edited file may be 0644: it names clients
        return target

    @contextlib.contextmanager
    def lock(self, timeout: float) -> Iterator[None]:
        """An exclusive lock between processes (and threads) on the lock file: `busy` when
        another holds it past `timeout`, `disk` when it can't be made (a read-only or full
        disk, a file where the folder should be, a symlink)."""
        import filelock

        try:
            private_folder(self.lock_file.parent)
        except OSError:
            raise StorageError(StorageReason.DISK, self.lock_file) from None
        lock = filelock.FileLock(
            self.lock_file, timeout=timeout, mode=0o600, preserve_lock_file=True
        )
        try:
            lock.acquire()
        except filelock.Timeout:
            raise StorageError(StorageReason.BUSY, self.lock_file) from None
        except OSError:
            raise StorageError(StorageReason.DISK, self.lock_file) from None
        try:
            yield
        finally:
            lock.release()


class MemoryFiles:
    """The config file for a test-mode store: a bytes value, a thread lock."""

    def __init__(self, folder: Path) -> None:
        self.config_file = folder / "profiles.json"
        self.lock_file = folder / "profiles.lock"
        self.data: bytes | None = None
        self.aside: list[bytes] = []
        self._lock = threading.Lock()

    def read(self) -> bytes | None:
        return self.data

    def write(self, payload: bytes) -> None:
        self.data = payload

    def set_aside(self) -> Path:
        self.aside.append(self.data or b"")
        self.data = None
        return self.config_file.with_name(f"profiles.json.corrupt-{len(self.aside)}")

    @contextlib.contextmanager
    def lock(self, timeout: float) -> Iterator[None]:
        if not self._lock.acquire(timeout=timeout):
            raise StorageError(StorageReason.BUSY)
        try:
            yield
        finally:
            self._lock.release()
