"""The store's read side against the real Secret Service (issue 5 builds the rest)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from tests.helpers import CANARY_TOKEN
from tests.helpers.keyrings import MemoryBackend, real_keyring, write_profiles
from wizard.store import Profile, StorageError, Store, keyring_service


def test_load_and_forget_through_the_real_secret_service(tmp_path: Path) -> None:
    backend = real_keyring()
    write_profiles(tmp_path, Profile(id="mi-empresa", email="ana@empresa.co", token_hint="…r9z7"))
    backend.set_password(keyring_service("mi-empresa"), "mi-empresa", CANARY_TOKEN)
    store = Store(config_dir=tmp_path)
    creds = store.load("mi-empresa")
    assert creds.token == CANARY_TOKEN and creds.profile.email == "ana@empresa.co"
    assert CANARY_TOKEN not in repr(creds) and CANARY_TOKEN not in str(creds)
    assert store.forget("mi-empresa") is True
    assert backend.get_password(keyring_service("mi-empresa"), "mi-empresa") is None
    assert store.list_profiles() == []
    assert store.forget("mi-empresa") is False
    assert CANARY_TOKEN not in (tmp_path / "profiles.json").read_text()


def test_a_loaded_token_is_masked_in_server_text_at_once(tmp_path: Path) -> None:
    # The window's «Revisar» and the CLI's --profile load the token, then show what the
    # server said: the token is registered with the redaction filter as it is loaded.
    import uuid

    from wizard.redact import redact

    token = "loaded" + uuid.uuid4().hex[:14]
    backend = real_keyring()
    write_profiles(tmp_path, Profile(id="eco", email="ana@empresa.co"))
    backend.set_password(keyring_service("eco"), "eco", token)
    store = Store(config_dir=tmp_path)
    try:
        assert redact(f"Ana {token}") == f"Ana {token}"
        store.load("eco")
        assert redact(f"Ana {token}") == "Ana …" + token[-4:]
    finally:
        store.forget("eco")


def test_cli_credential_get_status_and_forget(tmp_path: Path, cli_env, run_cli) -> None:  # type: ignore[no-untyped-def]
    backend = real_keyring()
    config = Path(cli_env["ALEGRA_WIZARD_CONFIG_DIR"])
    write_profiles(config, Profile(id="p1", email="ana@empresa.co", token_hint="…r9z7"))
    backend.set_password(keyring_service("p1"), "p1", CANARY_TOKEN)
    got = run_cli("credential", "get", "--profile", "p1")  # stdout is a pipe here
    assert got.returncode == 0 and f"token={CANARY_TOKEN}" in got.stdout
    status = run_cli("status", "--json")
    assert status.returncode == 0 and CANARY_TOKEN not in status.stdout
    assert status.json["profiles"][0]["token_hint"] == "…r9z7"
    check = run_cli(
        "check", "--offline", "--json", "--profile", "p1", "--token-stdin", stdin=CANARY_TOKEN
    )
    assert check.json["matches_stored"] is True and CANARY_TOKEN not in check.stdout
    assert run_cli("forget", "--profile", "p1").returncode == 0
    assert run_cli("credential", "get", "--profile", "p1").returncode == 17


def test_a_missing_keyring_is_storage_error(tmp_path: Path, cli_env, run_cli) -> None:  # type: ignore[no-untyped-def]
    write_profiles(Path(cli_env["ALEGRA_WIZARD_CONFIG_DIR"]), Profile(id="p1", email="a@b.co"))
    result = run_cli(
        "check",
        "--json",
        "--profile",
        "p1",
        env={"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"},
    )
    assert result.returncode == 16 and result.json["code"] == "storage_error"


def test_a_hung_keyring_times_out(tmp_path: Path) -> None:
    import threading
    import time

    release = threading.Event()

    class Hanging:
        def get_password(self, service: str, user: str) -> str:
            release.wait(30)
            return "x"

    write_profiles(tmp_path, Profile(id="p1"))
    store = Store(config_dir=tmp_path, backend=Hanging(), timeout=0.5)
    start = time.monotonic()
    with pytest.raises(StorageError) as err:
        store.load("p1")
    release.set()
    assert err.value.reason == "timeout" and time.monotonic() - start < 1.5


def test_corrupt_config_is_reported(tmp_path: Path) -> None:
    (tmp_path / "profiles.json").write_text("{not json")
    with pytest.raises(StorageError) as err:
        Store(config_dir=tmp_path).list_profiles()
    assert err.value.reason == "corrupt_config"
    assert (tmp_path / "profiles.json").read_text() == "{not json"


def test_credential_get_refuses_a_terminal() -> None:
    import pty

    leader, follower = pty.openpty()
    proc = subprocess.run(
        [sys.executable, "-m", "wizard", "credential", "get", "--profile", "x"],
        stdout=follower,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
        timeout=30,
    )
    os.close(follower)
    os.close(leader)
    assert proc.returncode == 3 and "seguridad" in proc.stderr


# --- the save side ---------------------------------------------------------------------


def test_save_then_load_through_the_real_secret_service(tmp_path: Path) -> None:
    backend = real_keyring()
    store = Store(config_dir=tmp_path / "cfg")
    saved = store.save(
        Profile(id="", name="Café Núñez S.A.S.", email="a@b.co"), CANARY_TOKEN
    ).profile
    assert saved.id == "cafe-nunez-s-a-s" and saved.token_hint == "…" + CANARY_TOKEN[-4:]
    assert backend.get_password(keyring_service(saved.id), saved.id) == CANARY_TOKEN
    again = Store(config_dir=tmp_path / "cfg")  # a restarted app
    assert again.load(saved.id).token == CANARY_TOKEN
    text = again.config_file.read_text()
    assert CANARY_TOKEN not in text and json.loads(text)["format"] == 1
    assert again.config_file.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in tmp_path.joinpath("cfg").iterdir() if p.name.endswith(".tmp")] == []
    assert again.forget(saved.id) is True


def test_a_second_profile_with_the_same_name_gets_its_own_id(tmp_path: Path) -> None:
    store = Store(config_dir=tmp_path, backend=MemoryBackend())
    first = store.save(Profile(id="", name="Mi Empresa", email="a@b.co"), "t" * 20).profile
    second = store.save(Profile(id="", name="Mi Empresa", email="c@d.co"), "u" * 20).profile
    assert (first.id, second.id) == ("mi-empresa", "mi-empresa-2")
    assert store.load("mi-empresa").token == "t" * 20


def test_saving_an_existing_id_replaces_it_in_place(tmp_path: Path) -> None:
    store = Store(config_dir=tmp_path, backend=MemoryBackend())
    store.save(Profile(id="p", name="Uno", email="a@b.co"), "t" * 20)
    store.save(Profile(id="q", name="Dos", email="c@d.co"), "u" * 20)
    store.save(Profile(id="p", name="Uno nuevo", email="a@b.co"), "v" * 20)
    assert [(p.id, p.name) for p in store.list_profiles()] == [("p", "Uno nuevo"), ("q", "Dos")]
    assert store.load("p").token == "v" * 20


def test_find_duplicate_by_email_and_identification(tmp_path: Path) -> None:
    store = Store(config_dir=tmp_path, backend=MemoryBackend())
    store.save(Profile(id="p", email="Ana@b.co", identification="900"), "t" * 20)
    assert store.find_duplicate("ana@b.co", "900").id == "p"  # type: ignore[union-attr]
    assert store.find_duplicate("ana@b.co", "901") is None
    assert store.find_duplicate("otra@b.co", "900") is None


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


def test_a_failing_keyring_leaves_the_file_untouched(tmp_path: Path) -> None:
    class Broken(MemoryBackend):
        def set_password(self, service: str, user: str, secret: str) -> None:
            raise RuntimeError(f"backend exploded with {secret}")

    store = Store(config_dir=tmp_path, backend=MemoryBackend())
    store.save(Profile(id="p", name="Uno"), "t" * 20)
    before = store.config_file.read_bytes()
    broken = Store(config_dir=tmp_path, backend=Broken())
    with pytest.raises(StorageError) as err:
        broken.save(Profile(id="q", name="Dos"), CANARY_TOKEN)
    assert err.value.reason == "failed"
    assert CANARY_TOKEN not in repr(err.value) and err.value.__cause__ is None
    assert store.config_file.read_bytes() == before


def test_no_keyring_at_all_is_no_backend_and_plaintext_is_refused(tmp_path: Path) -> None:
    from keyring.backends import fail

    with pytest.raises(StorageError) as err:
        Store(config_dir=tmp_path, backend=fail.Keyring()).save(Profile(id="p"), "t" * 20)
    assert err.value.reason == "no_backend"

    class PlaintextKeyring(MemoryBackend):
        pass

    PlaintextKeyring.__module__ = "keyrings.alt.file"
    with pytest.raises(StorageError) as err:
        Store(config_dir=tmp_path, backend=PlaintextKeyring()).save(Profile(id="p"), "t" * 20)
    assert err.value.reason == "no_backend"
    assert not (tmp_path / "profiles.json").exists()


def test_a_hung_keyring_times_out_on_save(tmp_path: Path) -> None:
    import threading
    import time

    release = threading.Event()

    class Hanging(MemoryBackend):
        def get_password(self, service: str, user: str) -> str | None:
            release.wait(30)
            return None

    store = Store(config_dir=tmp_path, backend=Hanging(), timeout=0.3)
    start = time.monotonic()
    with pytest.raises(StorageError) as err:
        store.save(Profile(id="p"), "t" * 20)
    release.set()
    assert err.value.reason == "timeout" and time.monotonic() - start < 1.5


def test_a_damaged_file_is_set_aside_on_save_never_overwritten(tmp_path: Path) -> None:
    (tmp_path / "profiles.json").write_text("{not json")
    store = Store(config_dir=tmp_path, backend=MemoryBackend())
    result = store.save(Profile(id="p", name="Nuevo"), "t" * 20)
    assert result.set_aside is not None and result.set_aside.read_text() == "{not json"
    assert result.set_aside.name.startswith("profiles.json.corrupt-")
    assert result.created and not hasattr(store, "set_aside")
    assert [p.id for p in store.list_profiles()] == ["p"]


def test_a_newer_format_is_neither_read_nor_overwritten(tmp_path: Path) -> None:
    payload = '{"format": 99, "profiles": [{"id": "p", "future": true}]}'
    (tmp_path / "profiles.json").write_text(payload)
    store = Store(config_dir=tmp_path, backend=MemoryBackend())
    with pytest.raises(StorageError) as err:
        store.save(Profile(id="q"), "t" * 20)
    assert err.value.reason == "newer_format"
    assert (tmp_path / "profiles.json").read_text() == payload


def test_update_last_check_records_time_and_code(tmp_path: Path) -> None:
    store = Store(config_dir=tmp_path, backend=MemoryBackend())
    store.save(Profile(id="p"), "t" * 20)
    store.update_last_check("p", "connected")
    store.update_last_check("missing", "connected")  # no profile: nothing to record
    (profile,) = store.list_profiles()
    assert profile.last_check_code == "connected" and profile.last_check_at


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


# --- several profiles: the default, rename, resolve (the API other helpers build on) ----


def test_default_rename_and_resolve_through_the_real_secret_service(tmp_path: Path) -> None:
    from wizard.store import AmbiguousProfile, ProfileExists, ProfileNotFound

    backend = real_keyring()
    store = Store(config_dir=tmp_path)
    with pytest.raises(ProfileNotFound) as none:
        store.resolve(None)
    assert none.value.profiles == []
    first = store.save(Profile(id="", name="Uno", email="a@b.co"), CANARY_TOKEN)
    assert first.created and not first.updated and first.set_aside is None
    assert store.resolve(None).id == "uno"  # the only one
    second = store.save(Profile(id="", name="Dos", email="c@d.co"), "d" * 20)
    again = store.save(Profile(id="dos", name="Dos", email="c@d.co"), "e" * 20)
    assert second.created and again.updated and again.profile.token_hint == "…eeee"
    with pytest.raises(AmbiguousProfile) as ambiguous:
        store.resolve(None)
    assert [p.id for p in ambiguous.value.profiles] == ["uno", "dos"]
    assert store.default_id() is None
    assert store.set_default("dos").id == "dos"
    assert store.default_id() == "dos" and store.resolve(None).id == "dos"
    assert store.resolve("uno").id == "uno"
    with pytest.raises(ProfileNotFound) as missing:
        store.resolve("tres")
    assert missing.value.profile_id == "tres" and len(missing.value.profiles) == 2
    with pytest.raises(ProfileNotFound):
        store.set_default("tres")
    assert json.loads(store.config_file.read_text())["default"] == "dos"

    renamed = store.rename("dos", "Panadería La Espiga")
    assert (renamed.id, renamed.name) == ("panaderia-la-espiga", "Panadería La Espiga")
    assert (
        backend.get_password(keyring_service("panaderia-la-espiga"), "panaderia-la-espiga")
        == "e" * 20
    )
    assert backend.get_password(keyring_service("dos"), "dos") is None
    assert store.default_id() == "panaderia-la-espiga"  # the default follows
    assert store.load("panaderia-la-espiga").profile.email == "c@d.co"
    with pytest.raises(ProfileExists):
        store.rename("uno", "Panaderia la espiga")
    assert backend.get_password(keyring_service("uno"), "uno") == CANARY_TOKEN
    assert store.rename("uno", "UNO").name == "UNO"  # same id: the name only
    assert [p.id for p in store.list_profiles()] == ["uno", "panaderia-la-espiga"]
    assert store.forget("panaderia-la-espiga") and store.default_id() is None
    assert store.forget("uno")
    assert CANARY_TOKEN not in store.config_file.read_text()


def test_an_older_file_without_default_reads_as_none(tmp_path: Path) -> None:
    write_profiles(tmp_path, Profile(id="p1"), Profile(id="p2"))
    store = Store(config_dir=tmp_path, backend=MemoryBackend())
    assert store.default_id() is None
    raw = json.loads(store.config_file.read_text())
    raw["default"] = "gone"  # a default whose profile was removed by hand
    store.config_file.write_text(json.dumps(raw))
    assert store.default_id() is None


def test_a_failed_rename_leaves_everything_as_it_was(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    backend = MemoryBackend()
    store = Store(config_dir=tmp_path, backend=backend)
    store.save(Profile(id="p", name="P"), CANARY_TOKEN)
    store.set_default("p")
    before = store.config_file.read_bytes()

    def crash(data: object) -> None:
        raise StorageError("disk")

    monkeypatch.setattr(store, "_write", crash)
    with pytest.raises(StorageError):
        store.rename("p", "Nuevo")
    assert backend.secrets == {(keyring_service("p"), "p"): CANARY_TOKEN}
    assert store.config_file.read_bytes() == before

    class NoDelete(MemoryBackend):
        def delete_password(self, service: str, user: str) -> None:
            if user == "p":  # the old id's secret can't be removed; the new one can
                raise RuntimeError("refused")
            super().delete_password(service, user)

    monkeypatch.undo()
    stuck = NoDelete()
    stuck.secrets = backend.secrets
    with pytest.raises(StorageError) as err:
        Store(config_dir=tmp_path, backend=stuck).rename("p", "Nuevo")
    assert err.value.reason == "failed"
    assert backend.secrets == {(keyring_service("p"), "p"): CANARY_TOKEN}
    assert json.loads(store.config_file.read_bytes()) == json.loads(before)


def test_storage_reason_is_a_string_enum() -> None:
    from wizard.store import StorageReason

    error = StorageError("disk")
    assert error.reason is StorageReason.DISK and error.reason == "disk"
    assert str(error.reason) == "disk" and json.dumps(error.reason) == '"disk"'
    with pytest.raises(ValueError):
        StorageError("no-such-reason")


def test_in_memory_store_writes_nothing_real(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    backend = real_keyring()
    monkeypatch.setenv("ALEGRA_WIZARD_CONFIG_DIR", str(tmp_path / "cfg"))
    store = Store.in_memory()
    saved = store.save(Profile(id="", name="Modo de prueba"), CANARY_TOKEN).profile
    assert store.load(saved.id).token == CANARY_TOKEN and store.resolve(None).id == saved.id
    store.set_default(saved.id)
    store.update_last_check(saved.id, "connected")
    assert store.list_profiles()[0].last_check_code == "connected"
    assert backend.get_password(keyring_service(saved.id), saved.id) is None
    assert not (tmp_path / "cfg").exists()
    assert Store.in_memory().list_profiles() == []  # each one is its own
    assert store.forget(saved.id) and store.list_profiles() == []


def test_module_helpers_for_other_programs(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from wizard import store as api

    real_keyring()
    monkeypatch.setenv("ALEGRA_WIZARD_CONFIG_DIR", str(tmp_path))
    with pytest.raises(api.ProfileNotFound):
        api.load()
    Store().save(Profile(id="", name="Uno", email="a@b.co"), CANARY_TOKEN)
    assert api.load().token == CANARY_TOKEN  # the only one
    Store().save(Profile(id="", name="Dos", email="c@d.co"), "d" * 20)
    with pytest.raises(api.AmbiguousProfile):
        api.load()
    assert api.default_profile() is None
    api.set_default("dos")
    assert api.default_profile().id == "dos"  # type: ignore[union-attr]
    assert api.load().token == "d" * 20 and api.load("uno").token == CANARY_TOKEN
    assert api.rename("dos", "Tres").id == "tres" and api.load().profile.name == "Tres"
    assert [p.id for p in api.list_profiles()] == ["uno", "tres"]
    assert api.forget("tres") and api.forget("uno") and api.list_profiles() == []


def test_merge_for_save_keeps_what_the_check_did_not_learn() -> None:
    from wizard.store import merge_for_save

    existing = Profile(
        id="mia", name="Vieja", country="CO", company="La Espiga", identification="900"
    )
    offline = Profile(id="", name="Nueva", email="a@b.co")  # saved without a check
    merged = merge_for_save(offline, existing)
    assert merged.country == "CO"
    assert (merged.id, merged.name, merged.company, merged.identification) == (
        "mia", "Nueva", "La Espiga", "900",
    )  # fmt: skip
    checked = replace(offline, company="Otra", identification="901")
    assert merge_for_save(checked, existing).company == "Otra"
    assert merge_for_save(replace(checked, id="x"), None).id == ""  # a new profile


def test_call_with_timeout() -> None:
    import threading
    import time

    from wizard.timeouts import CallTimedOut, call_with_timeout

    assert call_with_timeout(lambda a, b: a + b, 1, 2, timeout=1, name="add") == 3
    with pytest.raises(KeyError):
        call_with_timeout({}.__getitem__, "x", timeout=1, name="get")
    release = threading.Event()
    start = time.monotonic()
    with pytest.raises(CallTimedOut) as err:
        call_with_timeout(lambda: release.wait(10) and "late", timeout=0.2, name="slow")
    assert time.monotonic() - start < 1 and "slow" in str(err.value)
    release.set()
    assert err.value.late.result(5) == "late"  # the Future: what the call did, in the end


def test_the_readme_example_for_python_programs_runs(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """README's «wizard.store from Python» block, run as written against the real keyring."""
    from tests.helpers import ROOT

    real_keyring()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### `wizard.store` from Python") :]
    code = section[section.index("```python\n") + 10 : section.index("```\n", 10)]
    monkeypatch.setenv("ALEGRA_WIZARD_CONFIG_DIR", str(tmp_path))
    Store().save(Profile(id="mi-empresa", name="Mi empresa", email="a@b.co"), CANARY_TOKEN)
    exec(compile(code, "README.md", "exec"), {})
    assert Store().list_profiles() == []
    assert (
        real_keyring().get_password(keyring_service("panaderia-la-espiga"), "panaderia-la-espiga")
        is None
    )


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


def test_choosing_the_keyring_backend_starts_no_process(tmp_path: Path) -> None:
    """keyring's macOS backend ran ldconfig, gcc and ld (ctypes' find_library) on Linux
    every time a backend was chosen: ~70 ms of every command that touches the keyring. A
    fresh interpreter, as a command is; the real Secret Service must still be the one chosen."""
    probe = (
        "import json, subprocess, sys\n"
        "spawned = []\n"
        "real = subprocess.Popen.__init__\n"
        "def spy(self, args, *a, **k):\n"
        "    spawned.append(args if isinstance(args, str) else list(map(str, args)))\n"
        "    real(self, args, *a, **k)\n"
        "subprocess.Popen.__init__ = spy\n"
        "from pathlib import Path\n"
        "from wizard.store import Store\n"
        "store = Store(config_dir=Path(sys.argv[1]))\n"
        "store.backend()\n"
        "print(json.dumps({'spawned': spawned, 'backend': store.effective_backend_name()}))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHON_KEYRING_BACKEND"}
    out = subprocess.run(
        [sys.executable, "-c", probe, str(tmp_path)], capture_output=True, text=True,
        timeout=60, check=True, env=env,
    )  # fmt: skip
    report = json.loads(out.stdout)
    assert report["spawned"] == []
    assert "SecretService" in report["backend"] or "secretservice" in report["backend"].lower()


def test_two_products_side_by_side_never_see_each_others_connections(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two app ids on one computer, one real Secret Service: each has its own keyring
    service and config folder; the same profile id in both holds two tokens."""
    backend = real_keyring()
    monkeypatch.setenv("ALEGRA_WIZARD_CONFIG_DIR", str(tmp_path / "cfg"))
    pos = Store(app_id="facturador-pos")
    plain = Store()
    other = CANARY_TOKEN[::-1]
    try:
        pos.save(Profile(id="tienda", name="Tienda", email="a@pos.co"), CANARY_TOKEN)
        plain.save(Profile(id="tienda", name="Tienda", email="b@plain.co"), other)
        assert pos.config_file == tmp_path / "cfg" / "facturador-pos" / "profiles.json"
        assert plain.config_file == tmp_path / "cfg" / "profiles.json"
        assert backend.get_password("facturador-pos:tienda", "tienda") == CANARY_TOKEN
        assert backend.get_password(keyring_service("tienda"), "tienda") == other
        assert pos.load("tienda").token == CANARY_TOKEN
        assert plain.load("tienda").token == other
        assert [p.email for p in pos.list_profiles()] == ["a@pos.co"]
        assert [p.email for p in plain.list_profiles()] == ["b@plain.co"]
        assert pos.forget("tienda") is True
        assert plain.load("tienda").token == other  # the other product's stays
        assert backend.get_password("facturador-pos:tienda", "tienda") is None
    finally:
        pos.forget("tienda")
        plain.forget("tienda")


def test_a_profile_remembers_the_needs_it_was_missing(tmp_path: Path) -> None:
    from wizard.present import profile_json

    store = Store(config_dir=tmp_path, backend=MemoryBackend())
    store.save(Profile(id="pos", email="a@b.co", needs_missing="bank_accounts"), CANARY_TOKEN)
    found = Store(config_dir=tmp_path, backend=MemoryBackend()).find("pos")
    assert found is not None and found.needs_missing == "bank_accounts"
    assert profile_json(store.list_profiles()[0])["needs_missing"] == ["bank_accounts"]
    assert profile_json(Profile(id="x"))["needs_missing"] == []
