"""wizard/store/files.py: profiles.json and its lock (two processes at once, damage, a disk
that fails)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import CANARY_TOKEN
from tests.helpers.keyrings import MemoryBackend
from wizard.store import Profile, StorageError, Store, keyring_service

_CONCURRENT_SAVER = """
import sys
from wizard.store import Profile, Store
from tests.helpers.keyrings import MemoryBackend
store = Store(config_dir=__import__("pathlib").Path(sys.argv[1]), backend=MemoryBackend())
for n in range(15):
    store.save(Profile(id=f"{sys.argv[2]}-{n}", name=sys.argv[2]), "t" * 20)
"""


def test_concurrent_saves_from_two_processes_keep_every_profile(tmp_path: Path) -> None:
    from tests.helpers import ROOT

    procs = [
        subprocess.Popen([sys.executable, "-c", _CONCURRENT_SAVER, str(tmp_path), who], cwd=ROOT)
        for who in ("uno", "dos")
    ]
    assert [p.wait(timeout=60) for p in procs] == [0, 0]
    ids = {p.id for p in Store(config_dir=tmp_path).list_profiles()}
    assert ids == {f"{who}-{n}" for who in ("uno", "dos") for n in range(15)}


def test_a_damaged_file_is_set_aside_on_save_never_overwritten(tmp_path: Path) -> None:
    (tmp_path / "profiles.json").write_text("{not json")
    store = Store(config_dir=tmp_path, backend=MemoryBackend())
    result = store.save(Profile(id="p", name="Nuevo"), "t" * 20)
    assert result.set_aside is not None and result.set_aside.read_text() == "{not json"
    assert result.set_aside.name.startswith("profiles.json.corrupt-")
    assert result.created and not hasattr(store, "set_aside")
    assert [p.id for p in store.list_profiles()] == ["p"]


def test_corrupt_config_is_reported(tmp_path: Path) -> None:
    (tmp_path / "profiles.json").write_text("{not json")
    with pytest.raises(StorageError) as err:
        Store(config_dir=tmp_path).list_profiles()
    assert err.value.reason == "corrupt_config"
    assert (tmp_path / "profiles.json").read_text() == "{not json"


@pytest.mark.parametrize("had_token", [False, True])
def test_a_failed_metadata_write_puts_the_keyring_back(
    tmp_path: Path, monkeypatch, had_token
) -> None:  # type: ignore[no-untyped-def]
    backend = MemoryBackend()
    store = Store(config_dir=tmp_path, backend=backend)
    if had_token:
        store.save(Profile(id="p", name="Antes"), "old" + "t" * 17)
    before = store.config_file.read_bytes() if had_token else None

    def crash(profiles: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(store, "_write", crash)
    with pytest.raises(StorageError) as err:
        store.save(Profile(id="p", name="Después"), CANARY_TOKEN)
    assert err.value.reason == "disk" and CANARY_TOKEN not in str(err.value)
    assert backend.get_password(keyring_service("p"), "p") == (
        "old" + "t" * 17 if had_token else None
    )
    assert (store.config_file.read_bytes() if had_token else None) == before
    assert not store.config_file.exists() or CANARY_TOKEN not in store.config_file.read_text()


def test_the_store_and_settings_json_share_one_config_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One rule for the folder (settings.config_dir): the store once asked platformdirs,
    which read a padded XDG_CONFIG_HOME differently, so settings.json could land elsewhere."""
    from wizard import settings

    monkeypatch.delenv("ALEGRA_WIZARD_CONFIG_DIR", raising=False)
    for xdg in (f"{tmp_path}/xdg ", f"{tmp_path}/xdg", "relativa", ""):
        monkeypatch.setenv("XDG_CONFIG_HOME", xdg)
        folder = Store()._files.config_file.parent
        assert folder == settings.config_dir() == settings.settings_file().parent, xdg


_HOLD_THE_LOCK = """
import sys, time, filelock
lock = filelock.FileLock(sys.argv[1], preserve_lock_file=True)
with lock:
    print("held", flush=True)
    time.sleep(30)
"""


def test_a_lock_another_process_holds_is_busy_and_nothing_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import stat

    import wizard.store

    store = Store(config_dir=tmp_path, backend=MemoryBackend())
    store.save(Profile(id="p1", name="Uno"), CANARY_TOKEN)
    before = store.config_file.read_bytes()
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLD_THE_LOCK, str(store.lock_file)],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        monkeypatch.setattr(wizard.store, "LOCK_TIMEOUT", 0.3)
        with pytest.raises(StorageError) as err:
            store.save(Profile(id="p2", name="Dos"), CANARY_TOKEN)
        assert err.value.reason == "busy"
        assert store.config_file.read_bytes() == before
    finally:
        holder.kill()
        holder.wait()
    store.save(Profile(id="p2", name="Dos"), CANARY_TOKEN)  # free again: it saves
    assert [p.id for p in store.list_profiles()] == ["p1", "p2"]
    assert stat.S_IMODE(store.lock_file.stat().st_mode) == 0o600  # kept, private
