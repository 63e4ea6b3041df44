"""The parser: help, usage errors in the chosen language, shared options (wizard/cli/parser.py)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from wizard.sandbox import DEMO_TOKEN


def test_usage_error_is_exit_2(run_cli) -> None:  # type: ignore[no-untyped-def]
    assert run_cli("check", "--timeout", "abc").returncode == 2


def test_version(run_cli) -> None:  # type: ignore[no-untyped-def]
    from wizard.version import __version__

    result = run_cli("--version")
    assert result.returncode == 0 and __version__ in result.stdout


@pytest.mark.parametrize("lang_env", [{}, {"LANG": "es_CO.UTF-8"}])
def test_top_level_help_lists_commands_and_window_options_in_spanish(script, lang_env) -> None:  # type: ignore[no-untyped-def]
    result = script("--help", env=lang_env, process=bool(lang_env))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("uso: alegra-wizard")
    for command in ("check", "login", "status", "profiles", "default", "rename", "forget"):
        assert f"\n    {command} " in out
    for command in ("credential", "doctor", "sandbox", "help"):
        assert f"\n    {command}" in out
    for window_option in ("--sandbox", "--country", "--theme"):
        assert window_option in out
    assert "opciones de la ventana" in out and "show this help" not in out


def test_help_in_english_on_request(script) -> None:  # type: ignore[no-untyped-def]
    result = script("--lang", "en", "--help")
    assert result.returncode == 0 and result.stdout.startswith("usage: alegra-wizard")
    assert "window options" in result.stdout


def test_help_imports_no_qt(cli_env) -> None:  # type: ignore[no-untyped-def]
    code = (
        "import sys; sys.modules['PySide6'] = None\n"
        "from wizard.launch import main\n"
        "rc = main(['--help'])\n"
        "assert not [m for m in sys.modules if m.startswith('PySide6') and sys.modules[m]]\n"
        "sys.exit(rc)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=cli_env, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert "--theme" in proc.stdout


def test_unknown_command_suggests_the_nearest(script) -> None:  # type: ignore[no-untyped-def]
    result = script("chek")
    assert result.returncode == 2
    assert "«chek» no es un comando" in result.stderr
    assert "¿Quisiste decir «check»?" in result.stderr
    assert result.stdout == ""
    assert "unrecognized" not in result.stderr


def test_help_command_and_help_of_a_command(script) -> None:  # type: ignore[no-untyped-def]
    top = script("help")
    assert top.returncode == 0 and "login" in top.stdout and "--theme" in top.stdout
    one = script("help", "check")
    assert one.returncode == 0 and one.stdout.startswith("uso: alegra-wizard check")
    nested = script("help", "credential get")
    assert nested.returncode == 0 and "--output" in nested.stdout


def test_a_subcommand_usage_error_shows_that_commands_usage(script) -> None:  # type: ignore[no-untyped-def]
    result = script("check", "--emial", "ana@empresa.co")
    assert result.returncode == 2
    assert result.stderr.startswith("uso: alegra-wizard check ")
    assert "alegra-wizard check: error: opciones no reconocidas: --emial" in result.stderr


def test_argparse_errors_in_the_chosen_language(script) -> None:  # type: ignore[no-untyped-def]
    es = script("status", "--lang", "xx")
    assert es.returncode == 2 and "valor no válido" in es.stderr and "uso:" in es.stderr
    en = script("--lang", "en", "forget")
    assert en.returncode == 2 and "the following arguments are required: --profile" in en.stderr
    es_missing = script("forget", env={"LANG": "es_CO.UTF-8"}, process=True)
    assert "faltan estos argumentos: --profile" in es_missing.stderr


def test_every_option_of_every_command_has_help() -> None:
    import argparse

    from wizard.cli.parser import build_parser

    for lang in ("es", "en"):
        parsers = build_parser(lang)
        for name, parser in [("", parsers.top), *parsers.by_name.items()]:
            for action in parser._actions:
                if isinstance(action, argparse._SubParsersAction):
                    continue
                assert action.help and action.help != argparse.SUPPRESS, (lang, name, action)


@pytest.mark.parametrize("where", ["before", "after"])
def test_shared_options_before_or_after_the_command(script, sandbox, where) -> None:  # type: ignore[no-untyped-def]
    shared = ["--lang", "en", "--json", "--debug", "--base-url", sandbox.url, "--timeout", "5"]
    own = ["--email", "demo@alegra.test", "--token-stdin"]
    args = [*shared, "check", *own] if where == "before" else ["check", *own, *shared]
    result = script(*args, stdin=DEMO_TOKEN)
    assert result.returncode == 0, result.stderr
    assert result.json["code"] == "connected"
    status = script(*(["--json", "status"] if where == "before" else ["status", "--json"]))
    assert status.returncode == 17 and status.json["code"] == "not_configured"


@pytest.mark.parametrize(
    "args",
    [["status"], ["forget", "--profile", "x"], ["profiles"], ["doctor", "--offline"]],
)
def test_debug_is_accepted_everywhere(script, args) -> None:  # type: ignore[no-untyped-def]
    result = script(*args, "--debug")
    assert result.returncode != 2, result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["check", "--json", "--timeout", "abc"],
        ["--json", "chek"],
        ["status", "--json", "--emial"],
        ["check", "--json", "--timeout", "inf"],
    ],
)
def test_usage_errors_under_json_print_one_json_object(script, args) -> None:  # type: ignore[no-untyped-def]
    result = script(*args)
    assert result.returncode == 2
    data = result.json
    assert data == {"ok": False, "code": "usage_error", "message": data["message"]}
    assert result.stderr.startswith("uso:")


@pytest.mark.parametrize("value", ["inf", "1e300", "nan", "-1", "0", "601", "abc"])
def test_timeout_out_of_range_is_a_usage_error(script, value) -> None:  # type: ignore[no-untyped-def]
    for command in (["check", "--offline"], ["doctor", "--offline"]):
        result = script(*command, f"--timeout={value}")
        assert result.returncode == 2, (command, value, result.stderr)
        assert "tiempo de espera" in result.stderr or "segundos" in result.stderr
        assert "Traceback" not in result.stderr and "OverflowError" not in result.stderr
