"""`check --all` (issue 25): every stored profile re-checked live against the real sandbox,
one line each and a summary, the exit code of the first failure, one JSON object, each
profile's last check recorded, a stop on a 429 saying when to go on; the pace that keeps a
run within Alegra's rate limit (wizard.recheck)."""

from __future__ import annotations

import itertools
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.faultserver import closed_port
from tests.helpers.keyrings import MemoryBackend, real_keyring
from wizard.check import CheckResult
from wizard.outcomes import Code
from wizard.recheck import PACE_S, recheck_all
from wizard.sandbox import DEMO_TOKEN
from wizard.store import Profile, Store, keyring_service

pytestmark = pytest.mark.keyring

WRONG = "f00dfeed0123456789ab"  # a token renewed in Alegra since it was saved


@pytest.fixture
def store(cli_env: dict[str, str]) -> Any:
    real_keyring()
    st = Store(config_dir=Path(cli_env["ALEGRA_WIZARD_CONFIG_DIR"]))
    yield st
    for profile in st.list_profiles():
        st.forget(profile.id)


def three(store: Store, url: str) -> None:
    """One connected, one 401 (its token renewed since), one whose server is unreachable."""
    unreachable = f"http://127.0.0.1:{closed_port()}/api/v1"
    for pid, name, email, token, base in (
        ("panaderia", "Panadería La Espiga", "demo@alegra.test", DEMO_TOKEN, url),
        ("tacos", "Tacos El Güero", "mx@alegra.test", WRONG, url),
        ("oficina", "Oficina centro", "demo@alegra.test", DEMO_TOKEN, unreachable),
    ):
        company = "Tacos El Güero S.A. de C.V." if pid == "tacos" else None
        store.save(Profile(id=pid, name=name, email=email, base_url=base, company=company), token)


def test_one_line_per_profile_a_summary_and_the_first_failures_exit(  # type: ignore[no-untyped-def]
    run_cli, sandbox, store
) -> None:
    three(store, sandbox.url)
    got = run_cli("check", "--all")
    assert got.returncode == 4, got  # unauthorized: the first that failed
    assert got.stdout.splitlines() == [
        "✔ Panadería La Espiga · Panadería La Espiga S.A.S.: conectada.",
        "✘ Tacos El Güero · Tacos El Güero S.A. de C.V.: Alegra no reconoce ese correo con ese"
        " token. Qué hacer: copia el token de «Datos de usuario» en Alegra y guárdalo con"
        " «alegra-wizard login --profile tacos --token-stdin».",
        "✘ Oficina centro · (empresa sin revisar): No pudimos conectarnos con Alegra."
        " Qué hacer: Revisa tu conexión a internet.",
        "Conexiones revisadas: 3 · funcionan: 1 · con problemas: 2.",
    ]
    assert DEMO_TOKEN not in got.stdout + got.stderr and WRONG not in got.stdout + got.stderr
    # Each profile records its last check, as `check --profile` does.
    recorded = {p.id: p.last_check_code for p in store.list_profiles()}
    assert recorded == {
        "panaderia": "connected", "tacos": "unauthorized", "oficina": "connection_failed",
    }  # fmt: skip
    english = run_cli("check", "--all", "--lang", "en")
    assert english.stdout.splitlines()[0] == (
        "✔ Panadería La Espiga · Panadería La Espiga S.A.S.: connected."
    )
    assert english.stdout.splitlines()[-1] == (
        "Connections checked: 3 · working: 1 · with problems: 2."
    )


def test_json_is_one_object_with_every_profile(run_cli, sandbox, store) -> None:  # type: ignore[no-untyped-def]
    three(store, sandbox.url)
    got = run_cli("check", "--all", "--json")
    assert got.returncode == 4, got
    data = got.json
    assert data["ok"] is False and data["wait_s"] is None
    rows = {row["id"]: row for row in data["profiles"]}
    assert list(rows) == ["panaderia", "tacos", "oficina"]
    for row in rows.values():
        assert {"id", "name", "code", "company", "user", "hint"} <= set(row)
    ok = rows["panaderia"]
    assert (ok["code"], ok["hint"], ok["fix"]) == ("connected", None, None)
    assert ok["company"]["name"] == "Panadería La Espiga S.A.S."
    assert ok["user"] == {"name": "Ana Pérez", "email": "demo@alegra.test", "role": "administrador"}
    bad = rows["tacos"]
    assert (bad["code"], bad["http_status"], bad["server_message"]) == (
        "unauthorized",
        401,
        "Error en autenticación",
    )
    assert bad["hint"]["title"] == "Alegra no reconoce ese correo con ese token."
    assert bad["company"]["name"] == "Tacos El Güero S.A. de C.V."  # as stored
    assert "login --profile tacos" in bad["fix"]
    assert rows["oficina"]["code"] == "connection_failed" and rows["oficina"]["company"] is None
    assert WRONG not in got.stdout and DEMO_TOKEN not in got.stdout


def test_all_connected_is_exit_0(run_cli, sandbox, store) -> None:  # type: ignore[no-untyped-def]
    store.save(
        Profile(id="a", name="A", email="demo@alegra.test", base_url=sandbox.url), DEMO_TOKEN
    )
    store.save(Profile(id="b", name="B", email="mx@alegra.test", base_url=sandbox.url), DEMO_TOKEN)
    got = run_cli("check", "--all", "--json")
    assert got.returncode == 0, got
    assert got.json["ok"] is True
    assert [row["code"] for row in got.json["profiles"]] == ["connected", "connected"]


def test_a_429_stops_and_says_when_to_go_on(run_cli, sandbox, store) -> None:  # type: ignore[no-untyped-def]
    for pid, email in (
        ("a", "demo@alegra.test"),
        ("b", "limite@alegra.test"),
        ("c", "mx@alegra.test"),
    ):
        store.save(Profile(id=pid, name=pid.upper(), email=email, base_url=sandbox.url), DEMO_TOKEN)
    before = len(sandbox.requests_seen)
    got = run_cli("check", "--all")
    assert got.returncode == 8, got  # rate_limited
    lines = got.stdout.splitlines()
    assert lines[2] == "… C · (empresa sin revisar): sin revisar (Alegra pidió esperar)."
    assert lines[3].startswith(
        "Conexiones revisadas: 3 · funcionan: 1 · con problemas: 1. Alegra pidió esperar: 1 sin"
        " revisar. Sigue en 30 segundos (a las "
    ), lines
    assert lines[3].endswith(") con «alegra-wizard check --all».")
    assert "mx@alegra.test" not in {email for _, _, email in sandbox.requests_seen[before:]}
    assert store.find("c").last_check_at is None  # not checked: nothing recorded
    data = run_cli("check", "--all", "--json").json
    assert data["wait_s"] == 30
    assert [(r["code"], r["checked"]) for r in data["profiles"]] == [
        ("connected", True), ("rate_limited", True), (None, False),
    ]  # fmt: skip


def test_a_profile_without_its_token_says_so_and_the_rest_are_checked(  # type: ignore[no-untyped-def]
    run_cli, sandbox, store
) -> None:
    store.save(
        Profile(id="a", name="A", email="demo@alegra.test", base_url=sandbox.url), DEMO_TOKEN
    )
    store.save(
        Profile(id="b", name="B", email="demo@alegra.test", base_url=sandbox.url), DEMO_TOKEN
    )
    real_keyring().delete_password(keyring_service("a"), "a")  # removed by hand
    got = run_cli("check", "--all", "--json")
    assert got.returncode == 16, got
    rows = got.json["profiles"]
    assert (rows[0]["code"], rows[0]["storage_reason"]) == ("storage_error", "missing_secret")
    assert "login --profile a" in rows[0]["fix"]
    assert rows[1]["code"] == "connected"


def test_old_way_tokens_are_moved_by_a_check_all(run_cli, sandbox, store) -> None:  # type: ignore[no-untyped-def]
    store.save(
        Profile(id="viejo", name="V", email="demo@alegra.test", base_url=sandbox.url), "x" * 20
    )
    backend = real_keyring()
    backend.delete_password(keyring_service("viejo"), "viejo")
    backend.set_password("alegra-wizard", "viejo", DEMO_TOKEN)  # as an earlier version saved it
    got = run_cli("check", "--all")
    assert got.returncode == 0, got
    assert backend.get_password(keyring_service("viejo"), "viejo") == DEMO_TOKEN
    assert backend.get_password("alegra-wizard", "viejo") is None


@pytest.mark.parametrize("other", [["--profile", "a"], ["--email", "a@b.co"], ["--offline"]])
def test_all_takes_no_single_profile_options(run_cli, store, other: list[str]) -> None:  # type: ignore[no-untyped-def]
    got = run_cli("check", "--all", *other)
    assert got.returncode == 2 and "--all" in got.stderr and other[0] in got.stderr, got


def test_nothing_stored_is_not_configured(run_cli, store) -> None:  # type: ignore[no-untyped-def]
    got = run_cli("check", "--all", "--json")
    assert got.returncode == 17 and got.json["code"] == "not_configured", got


def test_checks_are_paced_within_the_rate_limit(tmp_path: Path) -> None:
    """One check (two requests) every PACE_S at most: ~150 requests a minute even when all
    the profiles are one Alegra user."""
    store = Store(config_dir=tmp_path, backend=MemoryBackend())
    for n in range(4):
        store.save(Profile(id=f"p{n}", name=f"P{n}", email="a@b.co"), "t" * 20)
    started: list[float] = []

    def check(email: str, token: str, base_url: str | None, cancel: Any) -> CheckResult:
        started.append(time.monotonic())
        return CheckResult(Code.CONNECTED, 200, None, None, 1)

    report = recheck_all(store, check)
    assert report.ok and len(report.rows) == 4
    gaps = [b - a for a, b in itertools.pairwise(started)]
    assert all(gap >= PACE_S - 0.01 for gap in gaps), gaps
    assert 2 * 60 / PACE_S <= 150  # two requests a check


def test_a_cancelled_run_leaves_the_rest_unchecked(tmp_path: Path) -> None:
    store = Store(config_dir=tmp_path, backend=MemoryBackend())
    for n in range(3):
        store.save(Profile(id=f"p{n}", name=f"P{n}", email="a@b.co"), "t" * 20)
    cancel = threading.Event()

    def check(email: str, token: str, base_url: str | None, stop: Any) -> CheckResult:
        cancel.set()  # the user pressed Stop during the first check
        return CheckResult(Code.CONNECTED, 200, None, None, 1)

    report = recheck_all(store, check, cancel=cancel)
    assert [row.code for row in report.rows] == [Code.CONNECTED, None, None]
    assert report.first_failure is report.rows[1] and not report.ok
