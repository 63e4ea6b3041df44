"""wizard.private_files.write_private: the one writer of our private files (profiles.json,
settings.json, `credential get --output`, --result-json). Each property it promises, on a
real file system."""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from wizard import private_files
from wizard.private_files import private_folder, write_private


@pytest.fixture
def open_umask() -> Iterator[None]:
    """umask 000: whatever mode the file gets, it gets on its own."""
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_writes_0600_whatever_the_umask(tmp_path: Path, open_umask: None) -> None:
    target = tmp_path / "datos.json"
    write_private(target, b"uno\n")
    assert target.read_bytes() == b"uno\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    target.chmod(0o644)  # a hand-edited, world-readable file: replaced by a private one
    write_private(target, b"dos\n")
    assert target.read_bytes() == b"dos\n" and stat.S_IMODE(target.stat().st_mode) == 0o600
    assert _leftovers(tmp_path) == []


def test_a_symlinked_target_is_replaced_never_followed(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"no tocar\n")
    link = tmp_path / "settings.json"
    link.symlink_to(victim)
    write_private(link, b"nuevo\n")
    assert victim.read_bytes() == b"no tocar\n"
    assert not link.is_symlink() and link.read_bytes() == b"nuevo\n"


def test_a_failed_write_leaves_the_old_file_and_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "profiles.json"
    target.write_bytes(b"antes\n")

    def full_disk(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(private_files.os, "fsync", full_disk)
    with pytest.raises(OSError):
        write_private(target, b"despues\n")
    assert target.read_bytes() == b"antes\n" and _leftovers(tmp_path) == []


def test_a_missing_folder_is_an_error_unless_asked_to_make_it(
    tmp_path: Path, open_umask: None
) -> None:
    target = tmp_path / "a" / "b" / "r.json"
    with pytest.raises(FileNotFoundError):
        write_private(target, b"{}\n")
    assert not (tmp_path / "a").exists()
    write_private(target, b"{}\n", make_folder=True)
    for folder in (tmp_path / "a", tmp_path / "a" / "b"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert target.read_bytes() == b"{}\n"


def test_making_folders_leaves_an_existing_one_alone_private_folder_tightens_ours(
    tmp_path: Path,
) -> None:
    shared = tmp_path / "compartida"
    shared.mkdir()
    shared.chmod(0o755)  # a user's own folder named by --result-json: not ours to change
    write_private(shared / "r.json", b"{}\n", make_folder=True)
    assert stat.S_IMODE(shared.stat().st_mode) == 0o755
    private_folder(shared)  # the config folder: it names who we connect to
    assert stat.S_IMODE(shared.stat().st_mode) == 0o700
    not_a_folder = tmp_path / "archivo"
    not_a_folder.write_bytes(b"")
    with pytest.raises(NotADirectoryError):
        private_folder(not_a_folder)


# --- Windows: a file another program holds open (issue 26) ---------------------------------


def _held_open(monkeypatch: pytest.MonkeyPatch, times: int, winerror: int = 32) -> list[float]:
    """os.replace as Windows answers while another process has the target open without
    delete sharing (a reader, the virus scanner): PermissionError with `winerror` set, the
    first `times` calls; then the real replace. Returns when each call came."""
    real = os.replace
    calls: list[float] = []

    def replace(src: object, dst: object) -> None:
        calls.append(time.monotonic())
        if len(calls) <= times:
            exc = PermissionError(13, "The process cannot access the file", str(dst))
            exc.winerror = winerror  # type: ignore[attr-defined]
            raise exc
        real(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", replace)
    return calls


@pytest.mark.parametrize("winerror", [5, 32, 33])
def test_a_file_held_open_for_a_moment_is_replaced_when_it_is_let_go(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, winerror: int
) -> None:
    target = tmp_path / "profiles.json"
    target.write_bytes(b"viejo\n")
    calls = _held_open(monkeypatch, times=3, winerror=winerror)
    write_private(target, b"nuevo\n")
    assert target.read_bytes() == b"nuevo\n"
    assert len(calls) == 4 and calls[-1] - calls[0] < 1.0
    assert _leftovers(tmp_path) == []


def test_a_file_held_open_too_long_is_busy_not_a_disk_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "profiles.json"
    target.write_bytes(b"viejo\n")
    calls = _held_open(monkeypatch, times=10**6)
    start = time.monotonic()
    with pytest.raises(private_files.FileBusyError) as err:
        write_private(target, b"nuevo\n")
    end = time.monotonic()
    # Waited its patience; and gave up soon after (timed from the first replace: the temp
    # file's fsync before it can take long on a loaded machine).
    patience = private_files.REPLACE_PATIENCE_S
    assert end - start >= patience and end - calls[0] < patience + 1
    assert len(calls) > 5  # tried again and again, not once
    assert isinstance(err.value, PermissionError) and err.value.filename == str(target)
    assert target.read_bytes() == b"viejo\n" and _leftovers(tmp_path) == []


def test_other_permission_errors_are_not_waited_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """POSIX's EACCES (no winerror), or another Windows error, fails at once as before."""
    target = tmp_path / "profiles.json"
    for winerror in (None, 2):
        calls = _held_open(monkeypatch, times=10**6, winerror=winerror)  # type: ignore[arg-type]
        start = time.monotonic()
        with pytest.raises(PermissionError) as err:
            write_private(target, b"nuevo\n")
        assert not isinstance(err.value, private_files.FileBusyError)
        assert len(calls) == 1 and time.monotonic() - start < private_files.REPLACE_PATIENCE_S
        monkeypatch.undo()


def test_a_real_reader_holding_the_file_does_not_stop_a_save_here(tmp_path: Path) -> None:
    """POSIX lets a file be replaced while a reader has it open (the reader keeps the old
    one): no wait, no `busy`. Windows refuses; the release workflow holds profiles.json
    open there (packaging/release_checks.py hold)."""
    target = tmp_path / "profiles.json"
    target.write_bytes(b"viejo\n")
    with open(target, "rb") as reader:
        start = time.monotonic()
        write_private(target, b"nuevo\n")
        assert time.monotonic() - start < private_files.REPLACE_PATIENCE_S  # no wait
        assert reader.read() == b"viejo\n"
    assert target.read_bytes() == b"nuevo\n"
