"""One keyring entry per profile, findable by name alone (issue 25): service
`alegra-wizard:<profile id>`, username = the profile id. Another program (libsecret's
`secret-tool`, written in C) reads what `login` stored; tokens stored under the earlier
naming (service `alegra-wizard`) are moved on first use, a move cut short is finished by the
next run. All on the real Secret Service."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from keyring import errors
from pytest_httpserver import HTTPServer

from tests.helpers import ROOT
from tests.helpers.keyrings import real_keyring, secret_tool, write_profiles
from wizard.store import Profile, Store, keyring_service

pytestmark = pytest.mark.keyring

READERS = ROOT / "docs" / "readers"
UNO, DOS, NUEVO = "un0token" + "a" * 12, "d0stoken" + "b" * 12, "nuev0" + "c" * 15


def reader(program: str, script: Path, profile: str) -> str:
    done = subprocess.run([program, str(script), profile], capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    return done.stdout.decode()


def our_items() -> dict[tuple[str, str], str]:
    """Every item of this file's profiles in the Secret Service (other tests of the
    session share it): (service, username) -> secret."""
    import secretstorage

    connection = secretstorage.dbus_init()
    try:
        found = {}
        for item in secretstorage.get_default_collection(connection).get_all_items():
            attrs = item.get_attributes()
            service = attrs.get("service", "")
            ours = service == "alegra-wizard" or service.startswith("alegra-wizard:")
            if ours and attrs.get("username", "").endswith("-i25"):  # this file's profiles
                found[(service, attrs.get("username", ""))] = item.get_secret().decode()
        return found
    finally:
        connection.close()


@pytest.fixture
def clean_keyring() -> Any:
    """The real Secret Service, holding none of this file's profiles before or after."""
    backend = real_keyring()

    def clear() -> None:
        for service, username in our_items():
            backend.delete_password(service, username)

    clear()
    yield backend
    clear()


def store_old_way(backend: Any, config: Path, tokens: dict[str, str]) -> None:
    """Profiles as the earlier version stored them: service `alegra-wizard`, username = id."""
    write_profiles(
        config, *(Profile(id=pid, name=pid, email=f"{pid}@empresa.co") for pid in tokens)
    )
    for pid, token in tokens.items():
        backend.set_password("alegra-wizard", pid, token)


def test_secret_tool_reads_what_login_stored_for_two_profiles(  # type: ignore[no-untyped-def]
    clean_keyring, run_cli, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/api/v1/company").respond_with_json({"name": "Ferretería Sur"})
    httpserver.expect_request("/api/v1/users/self").respond_with_json({"name": "Ana"})
    url = httpserver.url_for("/api/v1")
    for profile, token in (("uno-i25", UNO), ("dos-i25", DOS)):
        login = ["login", "--email", f"{profile[:3]}@empresa.co", "--profile", profile]
        done = run_cli(*login, "--base-url", url, "--token-stdin", stdin=token + "\n")
        assert done.returncode == 0, done
    # README's one-line lookup on Linux, by the service name alone:
    assert secret_tool("service", "alegra-wizard:uno-i25") == UNO
    assert secret_tool("service", "alegra-wizard:dos-i25") == DOS
    assert secret_tool("service", "alegra-wizard") is None  # nothing under the old name
    # README's Node and Python readers (docs/readers/), as another program runs them.
    for profile, token in (("uno-i25", UNO), ("dos-i25", DOS)):
        assert reader("node", READERS / "read-token.mjs", profile) == token
        assert reader(sys.executable, READERS / "read_token.py", profile) == token
    assert our_items() == {
        ("alegra-wizard:uno-i25", "uno-i25"): UNO,
        ("alegra-wizard:dos-i25", "dos-i25"): DOS,
    }
    # A re-save (a rotation) leaves one entry, with the new token.
    done = run_cli(
        "login", "--email", "uno@empresa.co", "--profile", "uno-i25", "--base-url", url,
        "--token-stdin", stdin=NUEVO + "\n",
    )  # fmt: skip
    assert done.returncode == 0, done
    assert secret_tool("service", "alegra-wizard:uno-i25") == NUEVO
    assert len(our_items()) == 2


def test_tokens_stored_the_old_way_move_on_first_use(  # type: ignore[no-untyped-def]
    clean_keyring, run_cli, cli_env
) -> None:
    config = Path(cli_env["ALEGRA_WIZARD_CONFIG_DIR"])
    store_old_way(clean_keyring, config, {"uno-i25": UNO, "dos-i25": DOS})
    assert secret_tool("service", "alegra-wizard:uno-i25") is None  # not yet findable by name
    got = run_cli("credential", "get", "--profile", "uno-i25")
    assert got.returncode == 0 and f"token={UNO}" in got.stdout, got
    assert our_items() == {
        ("alegra-wizard:uno-i25", "uno-i25"): UNO,
        ("alegra-wizard", "dos-i25"): DOS,
    }
    assert secret_tool("service", "alegra-wizard:uno-i25") == UNO
    # The other one moves when it is used: here, by a rename (its new id's entry).
    renamed = run_cli("rename", "dos-i25", "Panadería i25")
    assert renamed.returncode == 0, renamed
    assert our_items() == {
        ("alegra-wizard:uno-i25", "uno-i25"): UNO,
        ("alegra-wizard:panaderia-i25", "panaderia-i25"): DOS,
    }
    assert run_cli("forget", "--profile", "uno-i25").returncode == 0
    assert our_items() == {("alegra-wizard:panaderia-i25", "panaderia-i25"): DOS}


@pytest.mark.parametrize("operation", ["save", "forget"])
def test_save_and_forget_of_an_old_way_profile_leave_no_old_entry(  # type: ignore[no-untyped-def]
    clean_keyring, tmp_path: Path, operation: str
) -> None:
    store_old_way(clean_keyring, tmp_path, {"uno-i25": UNO, "dos-i25": DOS})
    store = Store(config_dir=tmp_path)
    if operation == "save":
        store.save(Profile(id="uno-i25", name="uno-i25", email="uno@empresa.co"), NUEVO)
        expected = {("alegra-wizard:uno-i25", "uno-i25"): NUEVO, ("alegra-wizard", "dos-i25"): DOS}
    else:
        assert store.forget("uno-i25") is True
        expected = {("alegra-wizard", "dos-i25"): DOS}
    assert our_items() == expected
    assert store.load("dos-i25").token == DOS  # and the other still loads (and moves)
    assert ("alegra-wizard:dos-i25", "dos-i25") in our_items()


class CutShort:
    """The real Secret Service, but removing an entry under the old name fails (the
    program was closed, the keyring locked itself) until `cut` is cleared."""

    def __init__(self, real: Any) -> None:
        self.real, self.cut = real, True

    def get_password(self, service: str, username: str) -> str | None:
        return self.real.get_password(service, username)  # type: ignore[no-any-return]

    def set_password(self, service: str, username: str, password: str) -> None:
        self.real.set_password(service, username, password)

    def delete_password(self, service: str, username: str) -> None:
        if self.cut and service == "alegra-wizard":
            raise errors.KeyringLocked("the collection was locked mid-way")
        self.real.delete_password(service, username)


def test_a_move_cut_short_is_finished_by_the_next_run(clean_keyring, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    store_old_way(clean_keyring, tmp_path, {"uno-i25": UNO})
    cut = CutShort(clean_keyring)
    # Written under the new name, the old entry not yet removed: the token still serves.
    assert Store(config_dir=tmp_path, backend=cut).load("uno-i25").token == UNO
    assert our_items() == {
        ("alegra-wizard:uno-i25", "uno-i25"): UNO,
        ("alegra-wizard", "uno-i25"): UNO,
    }
    # The next run (a fresh store, the keyring working again) finishes the move.
    cut.cut = False
    assert Store(config_dir=tmp_path, backend=cut).load("uno-i25").token == UNO
    assert our_items() == {("alegra-wizard:uno-i25", "uno-i25"): UNO}


def test_a_move_cut_before_the_write_loses_nothing(clean_keyring, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Only the old entry (the write never happened): the next run moves it."""
    store_old_way(clean_keyring, tmp_path, {"uno-i25": UNO})
    assert our_items() == {("alegra-wizard", "uno-i25"): UNO}
    assert Store(config_dir=tmp_path).load("uno-i25").token == UNO
    assert our_items() == {("alegra-wizard:uno-i25", "uno-i25"): UNO}


def test_the_new_entry_wins_over_a_leftover_old_one(clean_keyring, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    store_old_way(clean_keyring, tmp_path, {"uno-i25": UNO})
    clean_keyring.set_password(keyring_service("uno-i25"), "uno-i25", NUEVO)  # saved since, by us
    assert Store(config_dir=tmp_path).load("uno-i25").token == NUEVO
    assert our_items() == {("alegra-wizard:uno-i25", "uno-i25"): NUEVO}


def test_python_readers_follow(clean_keyring, cli_env, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """wizard.store.load (README's Python reader) reads, and moves, an old-way token."""
    from wizard import store

    config = Path(cli_env["ALEGRA_WIZARD_CONFIG_DIR"])
    monkeypatch.setenv("ALEGRA_WIZARD_CONFIG_DIR", str(config))
    store_old_way(clean_keyring, config, {"uno-i25": UNO})
    assert store.load("uno-i25").token == UNO
    assert our_items() == {("alegra-wizard:uno-i25", "uno-i25"): UNO}


@pytest.mark.parametrize(
    ("language", "file"),
    [
        ("powershell", "read-token.ps1"),
        ("javascript", "read-token.mjs"),
        ("python", "read_token.py"),
    ],
)
def test_the_readme_shows_the_readers_that_are_tested(language: str, file: str) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## For other programs") :]
    block = section[section.index(f"```{language}\n") + len(language) + 4 :]
    assert block[: block.index("```\n")] == (READERS / file).read_text(encoding="utf-8")
    for os_tool in ("security find-generic-password -s alegra-wizard:mi-empresa -w",
                    "secret-tool lookup service alegra-wizard:mi-empresa",
                    "alegra-wizard:mi-empresa"):  # fmt: skip
        assert os_tool in section
