"""wizard.store: the profile operations and the public API other programs use, against the
real Secret Service."""

from __future__ import annotations

import json
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


def test_update_last_check_records_time_and_code(tmp_path: Path) -> None:
    store = Store(config_dir=tmp_path, backend=MemoryBackend())
    store.save(Profile(id="p"), "t" * 20)
    store.update_last_check("p", "connected")
    store.update_last_check("missing", "connected")  # no profile: nothing to record
    (profile,) = store.list_profiles()
    assert profile.last_check_code == "connected" and profile.last_check_at


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
