"""Windows Credential Manager (wizard/store/windows.py), without Windows: keyring's own
WinVaultKeyring runs over a Credential Manager kept in memory (CredRead, CredWrite,
CredDelete and their errors as pywin32-ctypes' win32cred gives them:
tests/helpers/platform_keyrings.CredentialManager), so its compound-target copy
(`<username>@<service>`) happens exactly as on a real computer."""

from __future__ import annotations

from typing import Any

import pytest
from keyring.backends import Windows

from tests.helpers.keyrings import write_profiles
from tests.helpers.platform_keyrings import CredentialManager, error, use_credential_manager
from wizard.store import MemoryKeyring, Profile, Store, keyring_service
from wizard.store import windows as wincred

A_TOKEN, B_TOKEN, NEW_TOKEN = "a" * 20, "b" * 20, "c" * 20


@pytest.fixture
def manager(monkeypatch: pytest.MonkeyPatch) -> CredentialManager:
    return use_credential_manager(monkeypatch)


def test_keyring_leaves_the_previous_token_behind_on_a_resave(manager) -> None:  # type: ignore[no-untyped-def]
    """What the module exists for: keyring's own Windows backend, saving the same user
    twice under one service, copies the first token to `<user>@<service>`."""
    vault = Windows.WinVaultKeyring()
    vault.set_password("alegra-wizard:mia", "mia", A_TOKEN)
    vault.set_password("alegra-wizard:mia", "mia", NEW_TOKEN)
    assert manager.secret("mia@alegra-wizard:mia") == A_TOKEN  # the old token, left over
    assert wincred.drop_leftover_copy(vault, "alegra-wizard:mia", "mia") is True
    assert set(manager.targets) == {"alegra-wizard:mia"}
    assert vault.get_password("alegra-wizard:mia", "mia") == NEW_TOKEN
    assert wincred.drop_leftover_copy(vault, "alegra-wizard:mia", "mia") is False  # none now


def test_one_service_for_two_profiles_moves_the_first_aside(manager) -> None:  # type: ignore[no-untyped-def]
    """Today's naming (one service, username = id): the target `alegra-wizard` holds the
    last profile saved; a reader of that target gets whichever was saved last."""
    vault = Windows.WinVaultKeyring()
    vault.set_password("alegra-wizard", "a", A_TOKEN)
    vault.set_password("alegra-wizard", "b", B_TOKEN)
    assert manager.secret("alegra-wizard") == B_TOKEN
    assert manager.secret("a@alegra-wizard") == A_TOKEN
    # The same two with a service each: each target holds its own, nothing else.
    for profile, token in (("a", A_TOKEN), ("b", B_TOKEN)):
        vault.set_password(keyring_service(profile), profile, token)
    assert manager.secret("alegra-wizard:a") == A_TOKEN
    assert manager.secret("alegra-wizard:b") == B_TOKEN


def test_a_copy_of_another_user_is_left_alone(manager) -> None:  # type: ignore[no-untyped-def]
    vault = Windows.WinVaultKeyring()
    manager.CredWrite(
        {"Type": 1, "TargetName": "mia@alegra-wizard:mia", "UserName": "otro",
         "CredentialBlob": B_TOKEN, "Persist": 2},
    )  # fmt: skip
    assert wincred.drop_leftover_copy(vault, "alegra-wizard:mia", "mia") is False
    assert manager.secret("mia@alegra-wizard:mia") == B_TOKEN


def test_other_errors_are_not_swallowed(manager) -> None:  # type: ignore[no-untyped-def]
    manager.fail_with = 5
    with pytest.raises(error):
        wincred.drop_leftover_copy(Windows.WinVaultKeyring(), "alegra-wizard:mia", "mia")


def test_other_backends_are_not_touched(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_windows_here() -> tuple[Any, Any]:
        raise AssertionError("win32cred asked for off Windows")

    monkeypatch.setattr(wincred, "credential_api", no_windows_here)
    memory = MemoryKeyring()
    assert wincred.drop_leftover_copy(memory, "alegra-wizard:mia", "mia") is False
    wincred.prepare(memory)
    assert not hasattr(memory, "persist")


def test_credentials_stay_on_this_computer(manager) -> None:  # type: ignore[no-untyped-def]
    vault = Windows.WinVaultKeyring()
    vault.set_password("x", "x", A_TOKEN)
    assert manager.targets["x"]["Persist"] == manager.CRED_PERSIST_ENTERPRISE  # keyring's default
    wincred.prepare(vault)
    vault.set_password("alegra-wizard:mia", "mia", A_TOKEN)
    assert manager.targets["alegra-wizard:mia"]["Persist"] == manager.CRED_PERSIST_LOCAL_MACHINE


def test_the_store_on_windows_keeps_one_credential_per_profile(manager, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Through the store: save, rotate, a second profile, rename, forget. Credential Manager
    holds exactly one target per profile, `alegra-wizard:<id>`, on this computer only."""
    store = Store(config_dir=tmp_path, backend=Windows.WinVaultKeyring())
    store.save(Profile(id="mia", name="Mía", email="ana@empresa.co"), A_TOKEN)
    store.save(Profile(id="mia", name="Mía", email="ana@empresa.co"), NEW_TOKEN)  # rotation
    store.save(Profile(id="otra", name="Otra", email="luis@empresa.co"), B_TOKEN)
    assert set(manager.targets) == {"alegra-wizard:mia", "alegra-wizard:otra"}
    assert manager.secret("alegra-wizard:mia") == NEW_TOKEN
    assert {t["UserName"] for t in manager.targets.values()} == {"mia", "otra"}
    assert {t["Persist"] for t in manager.targets.values()} == {2}
    store.rename("mia", "Panadería")
    assert set(manager.targets) == {"alegra-wizard:panaderia", "alegra-wizard:otra"}
    assert store.load("panaderia").token == NEW_TOKEN
    store.forget("otra")
    assert set(manager.targets) == {"alegra-wizard:panaderia"}


def test_a_copy_that_cannot_be_removed_does_not_undo_the_save(manager, tmp_path, caplog) -> None:  # type: ignore[no-untyped-def]
    store = Store(config_dir=tmp_path, backend=Windows.WinVaultKeyring())
    store.save(Profile(id="mia", name="Mía", email="ana@empresa.co"), A_TOKEN)
    manager.fail_with, manager.fail_only = 5, "CredDelete"
    store.save(Profile(id="mia", name="Mía", email="ana@empresa.co"), NEW_TOKEN)
    assert store.load("mia").token == NEW_TOKEN
    assert store.find("mia").token_hint == "…" + NEW_TOKEN[-4:]  # type: ignore[union-attr]
    assert "could not remove the previous token's copy: error" in caplog.text
    manager.fail_with = None  # the next save removes it
    store.save(Profile(id="mia", name="Mía", email="ana@empresa.co"), NEW_TOKEN)
    assert set(manager.targets) == {"alegra-wizard:mia"}


def test_tokens_saved_the_old_way_move_to_one_target_each(manager, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Two profiles saved by an earlier version (one service, username = id): keyring's
    backend left the last at `alegra-wizard` and moved the first to `a@alegra-wizard`. Each
    moves on first use to its own target, and nothing is left under the old ones."""
    vault = Windows.WinVaultKeyring()
    vault.set_password("alegra-wizard", "a", A_TOKEN)
    vault.set_password("alegra-wizard", "b", B_TOKEN)
    assert set(manager.targets) == {"alegra-wizard", "a@alegra-wizard"}
    write_profiles(tmp_path, Profile(id="a", name="A"), Profile(id="b", name="B"))
    store = Store(config_dir=tmp_path, backend=Windows.WinVaultKeyring())
    assert store.load("a").token == A_TOKEN
    assert store.load("b").token == B_TOKEN
    assert set(manager.targets) == {"alegra-wizard:a", "alegra-wizard:b"}
    assert manager.secret("alegra-wizard:a") == A_TOKEN
    assert manager.secret("alegra-wizard:b") == B_TOKEN
