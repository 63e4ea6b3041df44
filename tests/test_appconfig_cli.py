"""The CLI takes the app file: --app-config on every command (and the variable), a bad file
is exit 2 with the message and nothing changed, needs_unmet is exit 20 with needs_missing,
and two app ids on one computer (one real Secret Service) never see each other's profiles."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import ROOT
from tests.helpers.keyrings import secret_tool
from wizard.sandbox import DEMO_TOKEN

SAMPLE = str(ROOT / "resources" / "samples" / "facturador-pos" / "alegra-wizard.toml")

COMMANDS = [
    ("check", "--offline", "--email", "a@b.co"),
    ("login", "--email", "a@b.co", "--token-stdin"),
    ("status",),
    ("profiles",),
    ("default", "x"),
    ("rename", "x", "y"),
    ("forget", "--profile", "x"),
    ("credential", "get"),
    ("doctor", "--offline"),
    ("sandbox",),
]


@pytest.fixture
def bad_file(tmp_path: Path) -> str:
    path = tmp_path / "alegra-wizard.toml"
    path.write_text('[app]\nname = "Facturador POS"\nid = "facturador-pos"\nsuport = "x"\n')
    return str(path)


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_every_command_refuses_a_bad_app_file_with_exit_2(
    run_cli, cli_env, bad_file: str, command: tuple[str, ...]
) -> None:  # type: ignore[no-untyped-def]
    got = run_cli(*command, "--app-config", bad_file, stdin=DEMO_TOKEN)
    assert got.returncode == 2, got.stderr
    es, en = got.stderr.index("no se puede usar"), got.stderr.index("can't be used")
    assert es < en  # Spanish first
    assert "¿Quisiste decir «app.support»?" in got.stderr and bad_file in got.stderr
    assert got.stdout == ""
    assert not Path(cli_env["ALEGRA_WIZARD_CONFIG_DIR"]).exists()  # nothing changed


def test_the_variable_names_the_file_too(run_cli, bad_file: str) -> None:  # type: ignore[no-untyped-def]
    got = run_cli("status", env={"ALEGRA_WIZARD_APP_CONFIG": bad_file})
    assert got.returncode == 2 and "app.support" in got.stderr


def test_a_missing_file_under_json_is_one_object(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    got = run_cli("profiles", "--json", "--app-config", str(tmp_path / "nope.toml"))
    assert got.returncode == 2
    assert got.json["ok"] is False and got.json["code"] == "usage_error"
    assert got.json["app_config"]["problem"] == "missing_file"
    assert "No existe ese archivo" in got.stderr


def test_check_says_which_need_is_missing_and_exits_20(run_cli, sandbox) -> None:  # type: ignore[no-untyped-def]
    args = ("check", "--base-url", sandbox.url, "--app-config", SAMPLE, "--token-stdin")
    got = run_cli(*args, "--email", "basico@alegra.test", "--json", stdin=DEMO_TOKEN)
    assert got.returncode == 20
    assert got.json["code"] == "needs_unmet" and got.json["ok"] is False
    assert got.json["needs_missing"] == [
        {"resource": "bank_accounts", "status": "not_in_plan", "why": "para conciliar los pagos"}
    ]
    assert got.json["needs_unchecked"] == []
    assert got.json["company"]["name"]  # the token works: the company is there
    human = run_cli(*args, "--email", "basico@alegra.test", stdin=DEMO_TOKEN)
    assert human.returncode == 20
    assert (
        "Tu plan no incluye Bancos, que Facturador POS usa para conciliar los pagos."
        in human.stdout
    )
    assert "¿Necesitas ayuda con Facturador POS? soporte@facturador.co" in human.stdout
    met = run_cli(*args, "--email", "demo@alegra.test", "--json", stdin=DEMO_TOKEN)
    assert met.returncode == 0 and met.json["code"] == "connected"
    assert met.json["needs_missing"] == []
    wrong = run_cli(*args, "--email", "nadie@alegra.test", stdin=DEMO_TOKEN)
    assert wrong.returncode == 4 and "soporte@facturador.co" in wrong.stdout


def test_without_an_app_file_check_has_no_needs(run_cli, sandbox) -> None:  # type: ignore[no-untyped-def]
    got = run_cli(
        "check", "--base-url", sandbox.url, "--email", "basico@alegra.test", "--token-stdin",
        "--json", stdin=DEMO_TOKEN,
    )  # fmt: skip
    assert got.returncode == 0 and "needs_missing" not in got.json


def test_login_saves_marks_the_profile_and_exits_20(run_cli, sandbox) -> None:  # type: ignore[no-untyped-def]
    got = run_cli(
        "login", "--base-url", sandbox.url, "--email", "basico@alegra.test", "--token-stdin",
        "--app-config", SAMPLE, "--json", stdin=DEMO_TOKEN,
    )  # fmt: skip
    assert got.returncode == 20, got.stderr
    assert got.json["saved"] is True and got.json["verified"] is True
    assert got.json["code"] == "needs_unmet"
    assert [n["resource"] for n in got.json["needs_missing"]] == ["bank_accounts"]
    listed = run_cli("profiles", "--json", "--app-config", SAMPLE)
    (profile,) = listed.json["profiles"]
    assert profile["id"] == got.json["profile"] and profile["needs_missing"] == ["bank_accounts"]
    assert run_cli("forget", "--profile", profile["id"], "--app-config", SAMPLE).returncode == 0


def test_two_app_ids_side_by_side_never_see_each_other(run_cli, sandbox) -> None:  # type: ignore[no-untyped-def]
    from tests.helpers.keyrings import real_keyring

    real_keyring()  # the real Secret Service, or this test says it needs one
    login = ("login", "--base-url", sandbox.url, "--email", "demo@alegra.test", "--token-stdin")
    pos = run_cli(*login, "--name", "Caja", "--app-config", SAMPLE, "--json", stdin=DEMO_TOKEN)
    plain = run_cli(*login, "--name", "Oficina", "--json", stdin=DEMO_TOKEN)
    assert pos.returncode == 0 and plain.returncode == 0, (pos.stderr, plain.stderr)
    try:
        ours = run_cli("profiles", "--json", "--app-config", SAMPLE).json["profiles"]
        theirs = run_cli("profiles", "--json").json["profiles"]
        assert [p["id"] for p in ours] == ["caja"] and [p["id"] for p in theirs] == ["oficina"]
        # credential get acts within the app's id: the other product's profile is not there
        assert (
            run_cli("credential", "get", "--profile", "oficina", "--app-config", SAMPLE).returncode
            == 17
        )
        got = run_cli("credential", "get", "--app-config", SAMPLE)
        assert got.returncode == 0 and f"token={DEMO_TOKEN}" in got.stdout
        gone = run_cli("forget", "--profile", "caja")  # not in the plain id: nothing to do
        assert "no hay nada que borrar" in gone.stdout
        assert (
            run_cli("credential", "get", "--profile", "caja", "--app-config", SAMPLE).returncode
            == 0
        )
        assert run_cli("status", "--json").json["profiles"][0]["id"] == "oficina"
        # check --all re-checks this product's connections only
        ours_all = run_cli("check", "--all", "--json", "--app-config", SAMPLE)
        theirs_all = run_cli("check", "--all", "--json")
        assert ours_all.returncode == 0 and theirs_all.returncode == 0, ours_all.stderr
        assert [p["id"] for p in ours_all.json["profiles"]] == ["caja"]
        assert [p["id"] for p in theirs_all.json["profiles"]] == ["oficina"]
        # Another program, in C, finds each product's token by its own service name alone.
        assert secret_tool("service", "facturador-pos:caja") == DEMO_TOKEN
        assert secret_tool("service", "alegra-wizard:oficina") == DEMO_TOKEN
        assert secret_tool("service", "alegra-wizard:caja") is None
        assert secret_tool("service", "facturador-pos:oficina") is None
    finally:
        run_cli("forget", "--profile", "caja", "--app-config", SAMPLE)
        run_cli("forget", "--profile", "oficina")


def test_a_recheck_updates_the_mark_when_the_plan_changed(run_cli, sandbox, cli_env) -> None:  # type: ignore[no-untyped-def]
    """Saved while Bancos was missing; the owner upgraded the plan; `check --profile` with
    the app file finds all there and clears the mark."""
    from wizard.store import Profile, Store

    store = Store(
        config_dir=Path(cli_env["ALEGRA_WIZARD_CONFIG_DIR"]) / "facturador-pos",
        app_id="facturador-pos",
    )
    store.save(
        Profile(id="caja", name="Caja", email="demo@alegra.test", base_url=sandbox.url,
                needs_missing="bank_accounts"),
        DEMO_TOKEN,
    )  # fmt: skip
    try:
        got = run_cli("check", "--profile", "caja", "--json", "--app-config", SAMPLE)
        assert got.returncode == 0 and got.json["needs_missing"] == [], got.stderr
        found = store.find("caja")
        assert found is not None and found.needs_missing is None
        assert found.last_check_code == "connected"
    finally:
        store.forget("caja")
