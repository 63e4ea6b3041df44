"""`status`, `profiles`, `default`, `rename`, `forget` (wizard/cli/profiles.py)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers import CANARY_TOKEN
from tests.helpers.cli import (
    store_for,
    write_profile,
)


def test_storage_errors_go_to_stderr_for_every_command(script, cli_env) -> None:  # type: ignore[no-untyped-def]
    write_profile(Path(cli_env["ALEGRA_WIZARD_CONFIG_DIR"]), "roto")
    env = {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    for args in (["check", "--profile", "roto"], ["forget", "--profile", "roto"]):
        result = script(*args, env=env, process=True)
        assert result.returncode == 16, (args, result.stdout, result.stderr)
        assert result.stdout == "" and result.stderr.strip(), args
    as_json = script("check", "--profile", "roto", "--json", env=env, process=True)
    assert as_json.returncode == 16 and as_json.json["code"] == "storage_error"


def test_status_with_nothing_stored_points_to_login(script) -> None:  # type: ignore[no-untyped-def]
    result = script("status")
    assert result.returncode == 17
    assert "alegra-wizard login" in result.stderr and result.stdout == ""


def test_profiles_default_and_rename(script, stored, cli_env) -> None:  # type: ignore[no-untyped-def]
    stored("uno", CANARY_TOKEN, company="Uno S.A.S.")
    stored("dos", CANARY_TOKEN, email="dos@alegra.test")
    listing = script("profiles", "--json")
    assert listing.returncode == 0
    data = listing.json
    assert [p["id"] for p in data["profiles"]] == ["uno", "dos"] and data["default"] is None
    assert CANARY_TOKEN not in listing.stdout and "…" + CANARY_TOKEN[-4:] in listing.stdout
    human = script("profiles")
    assert "Perfil «uno»" in human.stdout and CANARY_TOKEN not in human.stdout + human.stderr
    # Several and no default: a clear message that lists them.
    for args in (["status"], ["check", "--offline"], ["credential", "get"]):
        # credential get writes only into a pipe: a child process's stdout
        result = script(*args, process=args[0] == "credential")
        assert result.returncode == 17, (args, result.stderr)
        assert "uno, dos" in result.stderr and "alegra-wizard default P" in result.stderr
    assert script("status", "--json").json["profiles"] == ["uno", "dos"]
    assert script("default", "nadie").returncode == 17
    assert script("default", "dos").returncode == 0
    status = script("status", "--json").json
    assert [p["id"] for p in status["profiles"]] == ["dos"] and status["profiles"][0]["default"]
    got = script("credential", "get", process=True)
    assert got.returncode == 0 and "profile=dos\n" in got.stdout
    assert script("profiles", "--json").json["default"] == "dos"
    renamed = script("rename", "dos", "Dos Nuevo")
    assert renamed.returncode == 0, renamed.stderr
    assert "«dos-nuevo»" in renamed.stdout
    assert script("profiles", "--json").json["default"] == "dos-nuevo"
    clash = script("rename", "uno", "Dos Nuevo")
    assert clash.returncode == 3 and "elige otro nombre" in clash.stderr
    store_for(cli_env).forget("dos-nuevo")


def test_handlers_use_the_store_they_are_given(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Every handler gets its store from its Context (never builds one): the commands run
    here against an in-memory store, and nothing reaches a config folder."""
    import io

    from wizard.cli import parser
    from wizard.cli.options import Context
    from wizard.cli.render import Io
    from wizard.store import Profile, Store

    monkeypatch.setenv("ALEGRA_WIZARD_CONFIG_DIR", str(tmp_path / "never"))
    memory = Store.in_memory()
    memory.save(Profile(id="uno", name="Uno", email="a@b.co"), CANARY_TOKEN)
    made: list[Store] = []

    def given() -> Store:
        made.append(memory)
        return memory

    for argv, check_out in (
        (
            ["profiles", "--json"],
            lambda out: [p["id"] for p in json.loads(out)["profiles"]] == ["uno"],
        ),
        (["default", "uno", "--json"], lambda out: json.loads(out)["default"] == "uno"),
        (["rename", "uno", "Dos", "--json"], lambda out: json.loads(out)["profile"]["id"] == "dos"),
        (["forget", "--profile", "dos", "--json"], lambda out: json.loads(out)["removed"]),
    ):
        args, command, parsers = parser.parse(argv)
        out, err = io.StringIO(), io.StringIO()
        assert command is not None
        code = command.run(
            args, Io(io.StringIO(), out, err, "es", json=True), Context(parsers, store=given)
        )
        assert code == 0, err.getvalue()
        assert check_out(out.getvalue()), out.getvalue()
    assert len(made) == 4 and memory.list_profiles() == []
    assert not (tmp_path / "never").exists()
