"""wizard/store/model.py: the profile, profiles.json's format, the merge of an update, the
profile a check makes."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from tests.helpers.keyrings import MemoryBackend, write_profiles
from wizard.store import Profile, StorageError, Store


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


def test_storage_reason_is_a_string_enum() -> None:
    from wizard.store import StorageReason

    error = StorageError("disk")
    assert error.reason is StorageReason.DISK and error.reason == "disk"
    assert str(error.reason) == "disk" and json.dumps(error.reason) == '"disk"'
    with pytest.raises(ValueError):
        StorageError("no-such-reason")


def test_an_older_file_without_default_reads_as_none(tmp_path: Path) -> None:
    write_profiles(tmp_path, Profile(id="p1"), Profile(id="p2"))
    store = Store(config_dir=tmp_path, backend=MemoryBackend())
    assert store.default_id() is None
    raw = json.loads(store.config_file.read_text())
    raw["default"] = "gone"  # a default whose profile was removed by hand
    store.config_file.write_text(json.dumps(raw))
    assert store.default_id() is None


def test_a_newer_format_is_neither_read_nor_overwritten(tmp_path: Path) -> None:
    payload = '{"format": 99, "profiles": [{"id": "p", "future": true}]}'
    (tmp_path / "profiles.json").write_text(payload)
    store = Store(config_dir=tmp_path, backend=MemoryBackend())
    with pytest.raises(StorageError) as err:
        store.save(Profile(id="q"), "t" * 20)
    assert err.value.reason == "newer_format"
    assert (tmp_path / "profiles.json").read_text() == payload


# --- the profile a check makes: login and the window's save page build it alike ---------


def _connected(company: object) -> object:
    from wizard.check import CheckResult
    from wizard.outcomes import Code

    return CheckResult(Code.CONNECTED, 200, company, None, 10)  # type: ignore[arg-type]


def test_a_new_profile_from_a_check() -> None:
    from wizard.check import Company
    from wizard.store import profile_from_check

    company = Company("\x1b[31mEspiga\x1b[0m S.A.S.", "900\x07123", "colombia", "COP")
    made = profile_from_check(
        _connected(company), name=None, email="ana@empresa.co", base_url="https://x/api/v1",
        new_id="espiga",
    )  # fmt: skip
    assert made.id == "espiga" and made.name == "Espiga S.A.S."  # the company's, cleaned
    assert made.company == "Espiga S.A.S." and made.identification == "900123"
    assert made.country == "co" and made.email == "ana@empresa.co"
    assert made.base_url == "https://x/api/v1"
    assert made.last_check_code == "connected" and made.last_check_at


def test_an_update_keeps_the_profile_and_what_the_check_did_not_learn() -> None:
    from wizard.check import Company
    from wizard.countries import by_code
    from wizard.store import profile_from_check

    existing = Profile(
        id="espiga", name="Mi panadería", email="ana@empresa.co", country="CO",
        company="Espiga", identification="900123",
    )  # fmt: skip
    made = profile_from_check(
        _connected(Company(None, None, None, None)), name=None, email="ana@empresa.co",
        base_url="https://x/api/v1", existing=existing, fallback_country=by_code("MX"),
        new_id="ignored",
    )  # fmt: skip
    assert made.id == "espiga" and made.name == "Mi panadería"
    assert made.company == "Espiga" and made.identification == "900123"
    assert made.country == "mx"  # the check's fallback country, as the window passes it


def test_without_a_check_nothing_is_stamped_and_the_name_falls_back_to_the_email() -> None:
    from wizard.countries import by_code
    from wizard.store import profile_from_check

    made = profile_from_check(
        None, name="", email="ana@empresa.co", base_url="https://x/api/v1",
        fallback_country=by_code("CO"),
    )  # fmt: skip
    assert made.id == "" and made.name == "ana@empresa.co" and made.country == "co"
    assert made.last_check_at is None and made.last_check_code is None
