"""Keyring and disk faults: each ends in a StorageError with a catalog message, leaves what
was stored exactly as it was (profiles.json byte for byte, the previous secret), never
quotes the token, and never outlasts the keyring timeout + 1 s. Core first, then the
CLI as a subprocess, then a real full and a real read-only tmpfs (private mount namespace).
The GUI side is in test_gui_faults.py."""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.helpers import CANARY_TOKEN, ROOT
from tests.helpers.keyrings import (
    BrokenKeyring,
    HangingKeyring,
    LockedKeyring,
    MemoryBackend,
    real_keyring,
    write_profiles,
)
from wizard import i18n
from wizard.store import Profile, StorageError, Store, keyring_service

OLD = "o1d" + "x" * 17  # the secret stored before the fault
TIMEOUT = 0.5  # the store's keyring timeout in this file


def exception_text(exc: BaseException) -> str:
    return "".join(traceback.format_exception(exc)) + repr(exc) + str(exc)


def assert_clear(error: StorageError, reason: str) -> None:
    assert error.reason == reason
    for lang in i18n.LANGS:  # the message the CLI and the GUI show for it
        assert i18n.has(f"storage.{reason}.title")
        assert i18n.t(f"storage.{reason}.title", lang).strip()
        assert i18n.t_list(f"storage.{reason}.steps", lang)
    assert CANARY_TOKEN not in exception_text(error)


class Stored:
    """A store holding profile "antes" with OLD, and a snapshot of its file."""

    def __init__(self, folder: Path, backend: MemoryBackend) -> None:
        self.backend = backend
        Store(config_dir=folder, backend=backend).save(
            Profile(id="antes", name="Antes", email="ana@empresa.co"), OLD
        )
        self.folder = folder
        self.config = folder / "profiles.json"
        self.before = self.config.read_bytes()

    def store(self, backend: object = None) -> Store:
        return Store(config_dir=self.folder, backend=backend or self.backend, timeout=TIMEOUT)

    def assert_intact(self) -> None:
        assert self.config.read_bytes() == self.before
        assert self.backend.secrets == {(keyring_service("antes"), "antes"): OLD}
        assert sorted(p.name for p in self.folder.iterdir()) == ["profiles.json", "profiles.lock"]


@pytest.fixture
def stored(tmp_path: Path) -> Stored:
    return Stored(tmp_path / "cfg", MemoryBackend())


# --- the boundary faults: keyring, and the disk under os.replace / mkstemp / fsync -------


def _in(folder: Path, path: object) -> bool:
    return str(path).startswith(str(folder))


def keyring_fault(kind: type) -> Callable[[Stored, pytest.MonkeyPatch], object]:
    """A backend that fails on set/delete but reads through to the stored secrets."""

    def arrange(stored: Stored, monkeypatch: pytest.MonkeyPatch) -> object:
        failing = kind()

        class Backend(MemoryBackend):
            def set_password(self, service: str, user: str, secret: str) -> None:
                failing.set_password(service, user, secret)

        backend = Backend()
        backend.secrets = stored.backend.secrets
        return backend

    return arrange


def read_fault(kind: type) -> Callable[[Stored, pytest.MonkeyPatch], object]:
    def arrange(stored: Stored, monkeypatch: pytest.MonkeyPatch) -> object:
        return kind()

    return arrange


def no_keyring(stored: Stored, monkeypatch: pytest.MonkeyPatch) -> object:
    from keyring.backends import fail

    return fail.Keyring()


def disk(fn: str, err: int) -> Callable[[Stored, pytest.MonkeyPatch], object]:
    """os.<fn> fails with `err` for paths in the config folder (descriptors: always)."""

    def arrange(stored: Stored, monkeypatch: pytest.MonkeyPatch) -> object:
        module = tempfile if fn == "mkstemp" else os
        real = getattr(module, fn)

        def failing(*args: object, **kw: object) -> object:
            target = args[0] if args else kw.get("dir")
            if fn == "mkstemp":
                target = kw.get("dir")
            if isinstance(target, int) or _in(stored.folder, target):
                raise OSError(err, os.strerror(err))
            return real(*args, **kw)

        monkeypatch.setattr(module, fn, failing)
        return None

    return arrange


SAVE_FAULTS = {
    "keyring_raises": (keyring_fault(BrokenKeyring), "failed"),
    "keyring_locked": (keyring_fault(LockedKeyring), "locked"),
    "keyring_hangs_on_write": (keyring_fault(HangingKeyring), "timeout"),
    "keyring_hangs_on_read": (read_fault(HangingKeyring), "timeout"),
    "keyring_locked_on_read": (read_fault(LockedKeyring), "locked"),
    "no_keyring": (no_keyring, "no_backend"),
    "read_only_config_replace": (disk("replace", errno.EROFS), "disk"),
    "read_only_config_create": (disk("mkstemp", errno.EROFS), "disk"),
    "disk_full_on_fsync": (disk("fsync", errno.ENOSPC), "disk"),
}


@pytest.mark.parametrize("fault", list(SAVE_FAULTS))
@pytest.mark.parametrize("target", ["same_profile", "new_profile"])
def test_save_fault(
    stored: Stored, monkeypatch: pytest.MonkeyPatch, fault: str, target: str
) -> None:  # type: ignore[no-untyped-def]
    arrange, reason = SAVE_FAULTS[fault]
    backend = arrange(stored, monkeypatch)
    store = stored.store(backend)
    profile = Profile(id="antes" if target == "same_profile" else "", name="Nueva")
    start = time.monotonic()
    with pytest.raises(StorageError) as err:
        store.save(profile, CANARY_TOKEN)
    assert time.monotonic() - start <= TIMEOUT + 1
    HangingKeyring.release.set()
    HangingKeyring.release.clear()
    monkeypatch.undo()
    assert_clear(err.value, reason)
    stored.assert_intact()
    # And the store still works once the fault is gone.
    assert stored.store().load("antes").token == OLD


def test_a_profiles_file_another_program_holds_open_is_busy(
    stored: Stored, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Windows: a reader or the virus scanner holding profiles.json open makes os.replace
    fail with a sharing violation. The save waits (private_files.REPLACE_PATIENCE_S), then
    says `busy`, not "the disk is full or read-only"; the keyring is put back."""

    def held_open(src: object, dst: object) -> None:
        exc = PermissionError(13, "The process cannot access the file", str(dst))
        exc.winerror = 32  # type: ignore[attr-defined]  # ERROR_SHARING_VIOLATION
        raise exc

    monkeypatch.setattr(os, "replace", held_open)
    with pytest.raises(StorageError) as err:
        stored.store().save(Profile(id="antes", name="Nueva"), CANARY_TOKEN)
    monkeypatch.undo()
    assert_clear(err.value, "busy")
    stored.assert_intact()


LOAD_FAULTS = {
    "raises": (BrokenKeyring, "failed"),
    "locked": (LockedKeyring, "locked"),
    "hangs": (HangingKeyring, "timeout"),
}


@pytest.mark.parametrize("fault", list(LOAD_FAULTS))
def test_load_fault(stored: Stored, fault: str) -> None:
    kind, reason = LOAD_FAULTS[fault]
    start = time.monotonic()
    with pytest.raises(StorageError) as err:
        stored.store(kind()).load("antes")
    assert time.monotonic() - start <= TIMEOUT + 1
    HangingKeyring.release.set()
    HangingKeyring.release.clear()
    assert_clear(err.value, reason)
    stored.assert_intact()


def test_a_secret_deleted_behind_our_back(stored: Stored) -> None:
    del stored.backend.secrets[(keyring_service("antes"), "antes")]
    store = stored.store()
    with pytest.raises(StorageError) as err:
        store.load("antes")
    assert_clear(err.value, "missing_secret")
    assert stored.config.read_bytes() == stored.before  # the profile is still there
    assert [p.id for p in store.list_profiles()] == ["antes"]
    store.save(Profile(id="antes", name="Antes", email="ana@empresa.co"), CANARY_TOKEN)
    assert store.load("antes").token == CANARY_TOKEN  # pasting the token again repairs it
    assert store.forget("antes") is True


def test_corrupt_json_is_reported_and_never_overwritten_by_reads(stored: Stored) -> None:
    stored.config.write_text('{"format": 1, "profiles": [{"id": "antes", ')
    damaged = stored.config.read_bytes()
    store = stored.store()
    operations = (store.list_profiles, lambda: store.load("antes"), lambda: store.forget("antes"))
    for operation in operations:
        with pytest.raises(StorageError) as err:
            operation()
        assert_clear(err.value, "corrupt_config")
    assert stored.config.read_bytes() == damaged
    assert stored.backend.secrets == {
        (keyring_service("antes"), "antes"): OLD
    }  # forget removed nothing


def test_config_folder_where_a_file_is(tmp_path: Path) -> None:
    (tmp_path / "cfg").write_text("not a folder")
    backend = MemoryBackend()
    store = Store(config_dir=tmp_path / "cfg", backend=backend, timeout=TIMEOUT)
    with pytest.raises(StorageError) as err:
        store.save(Profile(id="p"), CANARY_TOKEN)
    assert_clear(err.value, "disk")
    assert backend.secrets == {} and (tmp_path / "cfg").read_text() == "not a folder"
    with pytest.raises(StorageError):
        store.update_last_check("p", "connected")


def test_disk_full_while_recording_a_check_keeps_the_result(stored: Stored, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    disk("fsync", errno.ENOSPC)(stored, monkeypatch)
    with pytest.raises(StorageError) as err:
        stored.store().update_last_check("antes", "connected")
    assert_clear(err.value, "disk")
    monkeypatch.undo()
    stored.assert_intact()


# --- the CLI as a subprocess ------------------------------------------------------------


def cli_profile(cli_env: dict[str, str]) -> Path:
    """Profile "p1" (metadata only) in the CLI's config folder."""
    folder = Path(cli_env["ALEGRA_WIZARD_CONFIG_DIR"])
    write_profiles(folder, Profile(id="p1", email="ana@empresa.co", token_hint="…r9z7"))
    return folder / "profiles.json"


def backend_env(name: str) -> dict[str, str]:
    return {"PYTHON_KEYRING_BACKEND": f"tests.helpers.subprocess_keyrings.{name}"}


def title(reason: str, lang: str = "es") -> str:
    return i18n.t(f"storage.{reason}.title", lang)


@pytest.mark.parametrize(
    ("backend", "reason"), [("LockedKeyring", "locked"), ("BrokenKeyring", "failed")]
)
def test_cli_with_a_failing_keyring(run_cli, cli_env, backend: str, reason: str) -> None:  # type: ignore[no-untyped-def]
    config = cli_profile(cli_env)
    before = config.read_bytes()
    env = backend_env(backend)
    check = run_cli("check", "--json", "--profile", "p1", env=env)
    assert check.returncode == 16 and check.json["code"] == "storage_error"
    assert check.json["hint"]["title"] == title(reason)
    got = run_cli("credential", "get", "--profile", "p1", env=env)
    assert got.returncode == 16 and title(reason) in got.stderr and got.stdout == ""
    forget = run_cli("forget", "--profile", "p1", env=env)
    assert forget.returncode == 16 and title(reason) in forget.stderr
    status = run_cli("status", "--json", env=env)  # offline: metadata only, still works
    assert status.returncode == 0 and status.json["profiles"][0]["id"] == "p1"
    assert config.read_bytes() == before
    for result in (check, got, forget, status):
        assert "Traceback" not in result.stderr


def test_cli_with_a_hung_keyring(run_cli, cli_env, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The CLI gives up on a keyring that never answers after its deadline: timed from the
    moment the hung call began (the child's start-up is not the keyring's), it waited the
    deadline, and ended well before anything else could end it (the hang itself is 60 s, a
    macOS consent wait 300 s)."""
    from wizard.store import DEFAULT_TIMEOUT

    cli_profile(cli_env)
    began = tmp_path / "hang-began"
    env = {**backend_env("HangingKeyring"), "HANGING_KEYRING_LOG": str(began)}
    got = run_cli("credential", "get", "--profile", "p1", env=env)
    ended = time.monotonic()
    assert got.returncode == 16 and title("timeout") in got.stderr
    calls = [float(line) for line in began.read_text().split()]
    assert len(calls) == 1  # one call, one deadline: not a second wait behind it
    assert DEFAULT_TIMEOUT <= ended - calls[0] < 2 * DEFAULT_TIMEOUT


def test_cli_corrupt_config(run_cli, cli_env) -> None:  # type: ignore[no-untyped-def]
    folder = Path(cli_env["ALEGRA_WIZARD_CONFIG_DIR"])
    folder.mkdir(parents=True)
    (folder / "profiles.json").write_text("{no es json")
    for args in (("status", "--json"), ("check", "--json", "--profile", "p1")):
        result = run_cli(*args)
        assert result.returncode == 16, result
        assert result.json["hint"]["title"] == title("corrupt_config")
    for args in (("forget", "--profile", "p1"), ("credential", "get", "--profile", "p1")):
        result = run_cli(*args)
        assert result.returncode == 16 and title("corrupt_config") in result.stderr, result
    assert (folder / "profiles.json").read_text() == "{no es json"


@pytest.mark.keyring
def test_cli_secret_deleted_behind_our_back(run_cli, cli_env) -> None:  # type: ignore[no-untyped-def]
    backend = real_keyring()
    config = cli_profile(cli_env)
    if backend.get_password(keyring_service("p1"), "p1") is not None:
        backend.delete_password(keyring_service("p1"), "p1")
    check = run_cli("check", "--json", "--profile", "p1")
    assert check.returncode == 16 and check.json["hint"]["title"] == title("missing_secret")
    got = run_cli("credential", "get", "--profile", "p1")
    assert got.returncode == 16 and title("missing_secret") in got.stderr
    assert json.loads(config.read_text())["profiles"][0]["id"] == "p1"  # not lost
    assert run_cli("forget", "--profile", "p1").returncode == 0  # and it can be cleaned up
    assert json.loads(config.read_text())["profiles"] == []


def test_cli_config_folder_where_a_file_is(run_cli, cli_env, sandbox) -> None:  # type: ignore[no-untyped-def]
    from wizard.sandbox import DEMO_TOKEN

    Path(cli_env["ALEGRA_WIZARD_CONFIG_DIR"]).write_text("a file")
    assert run_cli("forget", "--profile", "p1").returncode == 16
    status = run_cli("status", "--json")
    assert status.returncode == 16 and status.json["code"] == "storage_error"
    # A live check that stores nothing is not affected at all.
    check = run_cli(
        "check", "--json", "--email", "demo@alegra.test", "--token-stdin",
        "--base-url", sandbox.url, stdin=DEMO_TOKEN,
    )  # fmt: skip
    assert check.returncode == 0


# --- a real full disk and a real read-only disk (tmpfs in a private mount namespace) ----

_TMPFS_SCRIPT = r"""
import json, os, subprocess, sys, traceback
from pathlib import Path
import keyring
from wizard.store import Profile, StorageError, Store, keyring_service
from tests.helpers.keyrings import MemoryBackend

mount, mode, pid, old, new = sys.argv[1:6]
mount = Path(mount)
subprocess.run(["mount", "-t", "tmpfs", "-o", "size=128k,mode=0700", "tmpfs", str(mount)],
               check=True)
backend = keyring.get_keyring()
real = "SecretService" in type(backend).__module__
if not real:
    backend = MemoryBackend()
store = Store(config_dir=mount / "cfg", backend=backend, timeout=5)
store.save(Profile(id=pid, name="Antes", email="ana@empresa.co"), old)
before = store.config_file.read_bytes()
if mode == "full":
    with open(mount / "filler", "wb", buffering=0) as filler:
        try:
            while True:
                filler.write(b"\0" * 4096)
        except OSError as exc:
            assert exc.errno == 28, exc
else:
    subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)
out = {"real_keyring": real, "reasons": [], "texts": ""}
for profile in (Profile(id=pid, name="Nueva"), Profile(id=pid + "-2", name="Otra")):
    try:
        store.save(profile, new)
        out["reasons"].append(None)
    except StorageError as exc:
        out["reasons"].append(exc.reason)
        out["texts"] += "".join(traceback.format_exception(exc)) + repr(exc)
try:
    store.update_last_check(pid, "connected")
    out["reasons"].append(None)
except StorageError as exc:
    out["reasons"].append(exc.reason)
out["file_intact"] = store.config_file.read_bytes() == before
out["secret_intact"] = backend.get_password(keyring_service(pid), pid) == old
out["no_new_secret"] = backend.get_password(keyring_service(pid + "-2"), pid + "-2") is None
out["leftovers"] = sorted(p.name for p in (mount / "cfg").iterdir())
out["load"] = store.load(pid).token == old
backend.delete_password(keyring_service(pid), pid)
print(json.dumps(out))
"""


def _tmpfs_available() -> bool:
    unshare = shutil.which("unshare")
    if unshare is None or os.geteuid() != 0:
        return False
    probe = subprocess.run(
        [unshare, "-m", "sh", "-c", "mount -t tmpfs -o size=4k tmpfs /mnt"],
        capture_output=True,
        check=False,
    )
    return probe.returncode == 0


@pytest.mark.parametrize("mode", ["full", "read_only"])
def test_real_tmpfs(tmp_path: Path, mode: str) -> None:
    if not _tmpfs_available():
        if os.environ.get("CI"):
            pytest.fail("unshare -m and tmpfs mounts are needed in CI (run as root)")
        pytest.skip("no private mount namespace here: the boundary tests above cover it")
    mount = tmp_path / "disk"
    mount.mkdir()
    pid = f"fault-{mode}-{uuid.uuid4().hex[:8]}"
    proc = subprocess.run(
        ["unshare", "-m", sys.executable, "-c", _TMPFS_SCRIPT, str(mount), mode, pid, OLD,
         CANARY_TOKEN],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["reasons"] == ["disk", "disk", "disk"], out
    assert out["file_intact"] and out["secret_intact"] and out["no_new_secret"] and out["load"]
    assert out["leftovers"] == ["profiles.json", "profiles.lock"]  # no half-written temp file
    assert CANARY_TOKEN not in out["texts"] + proc.stderr
    if os.environ.get("CI"):
        assert out["real_keyring"], "CI runs inside scripts/with-keyring.sh"


# --- a keyring call that times out but lands later (issue 15, item 6) -------------------

LATE = {  # operation, the slow call
    "save_new": "set_password",
    "rotation": "set_password",
    "forget": "delete_password",
    "rename_new_secret": "set_password",
    "rename_old_secret": "delete_password",
}


@pytest.mark.keyring
@pytest.mark.parametrize("operation", list(LATE))
def test_a_keyring_call_that_lands_after_the_timeout_is_undone(
    tmp_path: Path, operation: str
) -> None:
    from tests.helpers.keyrings import SlowKeyring
    from wizard.store import settle

    real = real_keyring()
    folder = tmp_path / "cfg"
    pid = f"late-{uuid.uuid4().hex[:8]}"
    Store(config_dir=folder).save(Profile(id=pid, name="Antes", email="ana@empresa.co"), OLD)
    before = (folder / "profiles.json").read_bytes()
    slow = SlowKeyring(real, delay=TIMEOUT + 1.0, slow=LATE[operation])
    store = Store(config_dir=folder, backend=slow, timeout=TIMEOUT)
    renamed_id = f"{pid}-nuevo"
    act = {
        "save_new": lambda: store.save(Profile(id=pid + "-2", name="Otra"), CANARY_TOKEN),
        "rotation": lambda: store.save(Profile(id=pid, name="Antes"), CANARY_TOKEN),
        "forget": lambda: store.forget(pid),
        "rename_new_secret": lambda: store.rename(pid, renamed_id),
        "rename_old_secret": lambda: store.rename(pid, renamed_id),
    }[operation]
    try:
        start = time.monotonic()
        with pytest.raises(StorageError) as err:
            act()
        assert time.monotonic() - start <= TIMEOUT + 1
        assert_clear(err.value, "timeout")
        assert slow.landed.wait(10), "the slow call never landed"
        assert settle(10)
        # As before the call: the old secret, no new one, the file byte for byte.
        assert real.get_password(keyring_service(pid), pid) == OLD
        for other in (pid + "-2", renamed_id):
            assert real.get_password(keyring_service(other), other) is None
        assert (folder / "profiles.json").read_bytes() == before
        assert Store(config_dir=folder).load(pid).token == OLD
    finally:
        for username in (pid, pid + "-2", renamed_id):
            if real.get_password(keyring_service(username), username) is not None:
                real.delete_password(keyring_service(username), username)


@pytest.mark.keyring
def test_a_retry_waits_for_the_late_call_instead_of_racing_it(tmp_path: Path) -> None:
    """The second save must not be undone by the first one's late landing."""
    from tests.helpers.keyrings import SlowKeyring
    from wizard.store import settle

    real = real_keyring()
    folder = tmp_path / "cfg"
    pid = f"late-{uuid.uuid4().hex[:8]}"
    Store(config_dir=folder).save(Profile(id=pid, name="Antes"), OLD)
    slow = SlowKeyring(real, delay=TIMEOUT + 0.3, slow="set_password")
    store = Store(config_dir=folder, backend=slow, timeout=TIMEOUT)
    try:
        with pytest.raises(StorageError):
            store.save(Profile(id=pid, name="Antes"), CANARY_TOKEN)
        store.timeout = 3.0  # the retry may wait for the late call to land and be undone
        store.save(Profile(id=pid, name="Antes"), "n3w" + "y" * 17)
        assert settle(10)
        assert real.get_password(keyring_service(pid), pid) == "n3w" + "y" * 17
        assert Store(config_dir=folder).find(pid).token_hint == "…yyyy"  # type: ignore[union-attr]
    finally:
        real.delete_password(keyring_service(pid), pid)


@pytest.mark.keyring
def test_cli_forget_with_a_late_keyring_keeps_the_profile(run_cli, cli_env) -> None:  # type: ignore[no-untyped-def]
    """The CLI exits after reporting the timeout: it waits for the late delete to land and
    puts the secret back before it does."""
    real = real_keyring()
    pid = f"late-{uuid.uuid4().hex[:8]}"
    folder = Path(cli_env["ALEGRA_WIZARD_CONFIG_DIR"])
    Store(config_dir=folder).save(Profile(id=pid, name="Antes", email="ana@empresa.co"), OLD)
    before = (folder / "profiles.json").read_bytes()
    try:
        forget = run_cli("forget", "--profile", pid, env=backend_env("SlowSecretService"))
        assert forget.returncode == 16 and title("timeout") in forget.stderr, forget
        assert real.get_password(keyring_service(pid), pid) == OLD
        assert (folder / "profiles.json").read_bytes() == before
        got = run_cli("credential", "get", "--profile", pid)
        assert got.returncode == 0 and f"token={OLD}" in got.stdout
    finally:
        if real.get_password(keyring_service(pid), pid) is not None:
            real.delete_password(keyring_service(pid), pid)


# --- keyring's ChainerBackend must not get past the plaintext/null refusal (item 7) ------

_FAKE_ALT = '''
"""Stands in for keyrings.alt's PlaintextKeyring: what it is given goes, base64, into a
plain file (FAKE_PLAINTEXT_FILE), as the real one writes keyring_pass.cfg."""
import base64, os
from keyring.backend import KeyringBackend

class PlaintextKeyring(KeyringBackend):
    priority = 0.5

    def _path(self):
        return os.environ["FAKE_PLAINTEXT_FILE"]

    def set_password(self, service, username, password):
        with open(self._path(), "a") as handle:
            handle.write(f"{service} {username} {base64.b64encode(password.encode()).decode()}\\n")

    def get_password(self, service, username):
        if not os.path.exists(self._path()):
            return None
        for line in open(self._path()):
            s, u, p = line.split()
            if (s, u) == (service, username):
                return base64.b64decode(p).decode()
        return None

    def delete_password(self, service, username):
        raise NotImplementedError
'''


def fake_keyrings_alt(folder: Path) -> Path:
    """A folder for PYTHONPATH holding `keyrings.alt.file` and the entry point keyring
    loads plugins from, as an installed keyrings.alt has."""
    package = folder / "keyrings" / "alt"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "file.py").write_text(_FAKE_ALT)
    info = folder / "keyrings.alt-5.0.2.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: keyrings.alt\nVersion: 5.0.2\n")
    (info / "entry_points.txt").write_text("[keyring.backends]\nfile = keyrings.alt.file\n")
    return folder


_SAVE_SCRIPT = """
import json, sys
from wizard.store import Profile, StorageError, Store
store = Store()
out = {"backend": store.effective_backend_name()}
try:
    store.save(Profile(id="p1", name="Uno", email="ana@empresa.co"), sys.stdin.read())
    out["saved"] = True
except StorageError as exc:
    out["saved"], out["reason"] = False, exc.reason.value
print(json.dumps(out))
"""

CHAINER = "keyring.backends.chainer.ChainerBackend"


@pytest.mark.parametrize("via", ["env", "keyringrc"])
@pytest.mark.parametrize("members", ["none", "plaintext"])
def test_a_chainer_without_a_safe_member_is_refused(
    tmp_path: Path, run_cli, cli_env, via: str, members: str
) -> None:  # type: ignore[no-untyped-def]
    """No D-Bus: keyring's chainer has no member (it would store nothing and say nothing) or
    only keyrings.alt's plaintext file. Either way: no_backend, nothing written."""
    plain = tmp_path / "keyring_pass.cfg"
    env = {k: v for k, v in cli_env.items() if not k.startswith("DBUS")}
    env.update(
        FAKE_PLAINTEXT_FILE=str(plain),
        XDG_CONFIG_HOME=str(tmp_path / "xdg"),
        DBUS_SESSION_BUS_ADDRESS="unix:path=/nonexistent",
    )
    if members == "plaintext":
        env["PYTHONPATH"] = str(fake_keyrings_alt(tmp_path / "site"))
    env.pop("PYTHON_KEYRING_BACKEND", None)
    if via == "env":
        env["PYTHON_KEYRING_BACKEND"] = CHAINER
    else:
        rc = tmp_path / "xdg" / "python_keyring" / "keyringrc.cfg"
        rc.parent.mkdir(parents=True)
        rc.write_text(f"[backend]\ndefault-keyring={CHAINER}\n")
    proc = subprocess.run(
        [sys.executable, "-c", _SAVE_SCRIPT],
        input=CANARY_TOKEN, capture_output=True, text=True, env=env, cwd=ROOT,
        timeout=60, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert (out["saved"], out.get("reason")) == (False, "no_backend"), out
    if members == "plaintext":  # the backend that would have held it, named for doctor
        assert "PlaintextKeyring" in out["backend"]
    assert not plain.exists()
    assert not (Path(cli_env["ALEGRA_WIZARD_CONFIG_DIR"]) / "profiles.json").exists()
    doctor = subprocess.run(
        [sys.executable, "-m", "wizard", "doctor", "--offline", "--json"],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=60, check=False,
    )  # fmt: skip
    keyring_item = next(i for i in json.loads(doctor.stdout)["items"] if i["id"] == "keyring")
    assert doctor.returncode == 18 and keyring_item["status"] == "fail"
    assert keyring_item["detail"].endswith(title("no_backend")), keyring_item
    if members == "plaintext":  # doctor names the refused backend, not the chainer
        assert "PlaintextKeyring" in keyring_item["detail"], keyring_item


@pytest.mark.keyring
def test_a_chainer_over_the_secret_service_stores_there(tmp_path: Path) -> None:
    from keyring.backends.chainer import ChainerBackend

    real = real_keyring()
    store = Store(config_dir=tmp_path, backend=ChainerBackend())
    assert store.effective_backend_name() == real.name
    assert store.backend_kind() == "secretservice"
    saved = store.save(Profile(id="", name="Cadena"), CANARY_TOKEN).profile
    try:
        assert real.get_password(keyring_service(saved.id), saved.id) == CANARY_TOKEN
        assert store.check_backend() == real.name
    finally:
        assert store.forget(saved.id)


# --- modes whatever the umask; no symlink followed for the lock or the data (item 8) ----

_UMASK_SCRIPT = """
import json, os, stat, sys
from pathlib import Path
from wizard.store import Profile, Store
from tests.helpers.keyrings import MemoryBackend
os.umask(0)
folder = Path(sys.argv[1])
store = Store(config_dir=folder, backend=MemoryBackend())
store.save(Profile(id="p1", name="Uno"), "t" * 20)
store.update_last_check("p1", "connected")
modes = {p.name: oct(stat.S_IMODE(p.stat().st_mode)) for p in [folder, *folder.iterdir()]}
print(json.dumps(modes))
"""


@pytest.mark.parametrize("existing", [False, True])
def test_modes_do_not_follow_the_umask(tmp_path: Path, existing: bool) -> None:
    folder = tmp_path / "nuevo" / "cfg"
    if existing:  # made by an older version under umask 000
        folder.mkdir(parents=True)
        folder.chmod(0o777)
    proc = subprocess.run(
        [sys.executable, "-c", _UMASK_SCRIPT, str(folder)],
        capture_output=True, text=True, cwd=ROOT, timeout=60, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {
        "cfg": "0o700",
        "profiles.json": "0o600",
        "profiles.lock": "0o600",
    }
    if not existing:  # a parent we had to create is private too
        assert (tmp_path / "nuevo").stat().st_mode & 0o077 == 0


@pytest.mark.parametrize("target_exists", [False, True])
def test_a_symlinked_lock_is_never_followed(tmp_path: Path, target_exists: bool) -> None:
    folder = tmp_path / "cfg"
    folder.mkdir(mode=0o700)
    target = tmp_path / "elsewhere" / ("bashrc" if target_exists else "missing")
    target.parent.mkdir()
    if target_exists:
        target.write_text("export PATH=...\n")
        target.chmod(0o644)
    (folder / "profiles.lock").symlink_to(target)
    backend = MemoryBackend()
    store = Store(config_dir=folder, backend=backend, timeout=TIMEOUT)
    for operation in (
        lambda: store.save(Profile(id="p"), CANARY_TOKEN),
        lambda: store.forget("p"),
        lambda: store.update_last_check("p", "connected"),
    ):
        with pytest.raises(StorageError) as err:
            operation()
        assert_clear(err.value, "disk")
    assert backend.secrets == {}
    if target_exists:
        assert target.read_text() == "export PATH=...\n"
        assert target.stat().st_mode & 0o777 == 0o644
    else:
        assert not target.exists()
    assert store.list_profiles() == []  # reading needs no lock


def test_a_symlinked_data_file_is_never_followed(tmp_path: Path, run_cli, cli_env) -> None:  # type: ignore[no-untyped-def]
    folder = Path(cli_env["ALEGRA_WIZARD_CONFIG_DIR"])
    elsewhere = tmp_path / "elsewhere"
    write_profiles(elsewhere, Profile(id="ajeno", email="otro@empresa.co"))
    original = (elsewhere / "profiles.json").read_bytes()
    folder.mkdir(parents=True)
    (folder / "profiles.json").symlink_to(elsewhere / "profiles.json")
    status = run_cli("status", "--json")
    assert status.returncode == 16 and status.json["hint"]["title"] == title("corrupt_config")
    # A save sets the link aside (the link, not its target) and starts a real file.
    backend = MemoryBackend()
    result = Store(config_dir=folder, backend=backend).save(Profile(id="p"), "t" * 20)
    assert result.set_aside is not None and result.set_aside.is_symlink()
    assert (elsewhere / "profiles.json").read_bytes() == original
    assert not (folder / "profiles.json").is_symlink()
    assert [p.id for p in Store(config_dir=folder).list_profiles()] == ["p"]


# --- a damaged profiles.json is storage_error, never an internal error (item 9) ---------

GOOD = {"id": "p1", "name": "Uno", "email": "ana@empresa.co", "base_url": "", "token_hint": "…r9z7"}
DAMAGE = {
    "deeply_nested": "[" * 100_000,
    "deep_object": '{"profiles": ' + "[" * 100_000,
    "base_url_number": json.dumps({"format": 1, "profiles": [{**GOOD, "base_url": 456}]}),
    "base_url_list": json.dumps({"format": 1, "profiles": [{**GOOD, "base_url": ["x"]}]}),
    "last_check_at_number": json.dumps({"format": 1, "profiles": [{**GOOD, "last_check_at": 7}]}),
    "email_null": json.dumps({"format": 1, "profiles": [{**GOOD, "email": None}]}),
    "id_number": json.dumps({"format": 1, "profiles": [{**GOOD, "id": 12}]}),
    "profile_not_object": json.dumps({"format": 1, "profiles": [GOOD, "p2"]}),
    "profiles_object": json.dumps({"format": 1, "profiles": {"p1": GOOD}}),
    "default_number": json.dumps({"format": 1, "default": 3, "profiles": [GOOD]}),
    "format_text": json.dumps({"format": "1", "profiles": [GOOD]}),
    "top_level_list": json.dumps([GOOD]),
    "not_utf8": b"\xff\xfe{".decode("latin-1"),
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_cli_damaged_config_is_storage_error_in_every_command(
    run_cli, cli_env, damage: str
) -> None:  # type: ignore[no-untyped-def]
    folder = Path(cli_env["ALEGRA_WIZARD_CONFIG_DIR"])
    folder.mkdir(parents=True)
    config = folder / "profiles.json"
    config.write_bytes(DAMAGE[damage].encode("latin-1" if damage == "not_utf8" else "utf-8"))
    before = config.read_bytes()
    expected = title("corrupt_config")
    for args in (("status", "--json"), ("check", "--json", "--offline", "--profile", "p1")):
        result = run_cli(*args, stdin="")
        assert result.returncode == 16, (args, result)
        assert result.json["code"] == "storage_error"
        assert result.json["hint"]["title"] == expected
    for args in (
        ("status",),
        ("credential", "get", "--profile", "p1"),
        ("forget", "--profile", "p1"),
    ):
        result = run_cli(*args)
        assert result.returncode == 16, (args, result)
        assert expected in result.stdout + result.stderr
    doctor = run_cli("doctor", "--offline", "--json")
    assert doctor.returncode == 18, doctor  # doctor's own code: an item failed
    config_item = next(i for i in doctor.json["items"] if i["id"] == "config")
    assert config_item["status"] == "fail" and config_item["detail"].endswith(expected)
    assert config.read_bytes() == before  # read-only commands never rewrite it
    assert sorted(p.name for p in folder.iterdir() if p.name != "profiles.lock") == [
        "profiles.json"
    ]


@pytest.mark.parametrize("damage", ["deeply_nested", "base_url_number", "last_check_at_number"])
def test_a_save_sets_any_damaged_file_aside(tmp_path: Path, damage: str) -> None:
    (tmp_path / "profiles.json").write_text(DAMAGE[damage])
    (tmp_path / "profiles.json").chmod(0o644)  # edited by hand
    store = Store(config_dir=tmp_path, backend=MemoryBackend())
    result = store.save(Profile(id="p", name="Nuevo"), "t" * 20)
    assert result.set_aside is not None and result.set_aside.read_text() == DAMAGE[damage]
    assert result.set_aside.stat().st_mode & 0o777 == 0o600
    assert [p.id for p in store.list_profiles()] == ["p"]


def test_a_byte_order_mark_is_not_damage(tmp_path: Path, run_cli, cli_env) -> None:  # type: ignore[no-untyped-def]
    """Notepad saves UTF-8 with a BOM: the profiles stay, and the next save keeps them."""
    folder = Path(cli_env["ALEGRA_WIZARD_CONFIG_DIR"])
    folder.mkdir(parents=True)
    payload = json.dumps({"format": 1, "profiles": [GOOD]}, ensure_ascii=False)
    (folder / "profiles.json").write_bytes(b"\xef\xbb\xbf" + payload.encode())
    status = run_cli("status", "--json")
    assert status.returncode == 0 and status.json["profiles"][0]["id"] == "p1"
    result = Store(config_dir=folder, backend=MemoryBackend()).save(Profile(id="p2"), "t" * 20)
    assert result.set_aside is None
    assert [p.id for p in Store(config_dir=folder).list_profiles()] == ["p1", "p2"]
    assert sorted(p.name for p in folder.iterdir()) == ["profiles.json", "profiles.lock"]
