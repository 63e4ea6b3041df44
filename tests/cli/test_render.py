"""How a command ends and writes (wizard/cli/render.py): an internal error, any stream encoding."""

from __future__ import annotations

from pathlib import Path

import pytest

from wizard.sandbox import DEMO_TOKEN


def test_an_internal_error_under_json_prints_one_json_object(script, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import wizard.store
    from tests.helpers import CANARY_TOKEN
    from wizard.redact import register_secret

    def boom(*args: object, **kwargs: object) -> None:
        register_secret(CANARY_TOKEN)  # as the CLI does once it has read a token
        raise RuntimeError(f"boom with {CANARY_TOKEN}")

    monkeypatch.setattr(wizard.store, "Store", boom)
    masked = "RuntimeError: boom with …" + CANARY_TOKEN[-4:]
    for extra in (["--json"], [], ["--debug"], ["--debug", "--json"]):
        result = script("status", *extra)
        assert result.returncode == 1, result.stderr
        assert "Error interno del programa: RuntimeError" in result.stderr
        # --debug shows the traceback, the token masked in it as everywhere.
        shown = "Traceback (most recent call last)" in result.stderr
        assert shown is ("--debug" in extra) and (masked in result.stderr) is shown
        assert CANARY_TOKEN not in result.stdout + result.stderr
        # The details for support in the crash log (a hidden run, Setup's, has no --debug),
        # redacted at its formatter, traceback included.
        log = Path(result.stderr.split("quedó en «", 1)[1].split("»", 1)[0])
        text = log.read_text()
        assert log.name == "alegra-wizard.log" and "in boom" in text
        assert masked in text and CANARY_TOKEN not in text
        if "--json" in extra:
            assert result.json == {"ok": False, "code": "internal_error", "error": "RuntimeError"}
        else:
            assert result.stdout == ""


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1", "ascii"])
def test_any_output_encoding_works(script, sandbox, encoding) -> None:  # type: ignore[no-untyped-def]
    env = {"PYTHONIOENCODING": encoding}
    doctor = script("doctor", "--offline", env=env, process=True)
    assert doctor.returncode in (0, 18), doctor.stderr
    assert "Error interno" not in doctor.stderr and "Traceback" not in doctor.stderr
    paste = ' "0123456789abcdef0123" \n'
    human = script(
        "check", "--base-url", sandbox.url, "--email", "nadie@alegra.test", "--token-stdin",
        "--probe", stdin=paste, env=env, process=True,
    )  # fmt: skip
    assert human.returncode == 4, human.stderr
    assert "Error interno" not in human.stderr and "Traceback" not in human.stderr
    assert "Corregimos lo que pegaste" in human.stdout or "Corregimos" in human.stdout
    for args in (
        [
            "check",
            "--json",
            "--base-url",
            sandbox.url,
            "--email",
            "mx@alegra.test",
            "--token-stdin",
        ],
        ["status", "--json"],
        ["doctor", "--json", "--offline"],
    ):
        result = script(*args, stdin=DEMO_TOKEN, env=env, process=True)
        assert "Traceback" not in result.stderr, (args, result.stderr)
        data = result.json  # valid JSON whatever the encoding
        assert isinstance(data, dict) and data
        if args[0] == "check":
            assert data["company"]["name"] == "Tacos El Güero S.A. de C.V."


def test_non_ascii_paste_on_an_ascii_stdin(script, sandbox) -> None:  # type: ignore[no-untyped-def]
    # A token copied from a web page with a no-break space and a zero-width space around it.
    paste = f"\u00a0{DEMO_TOKEN}\u200b\n".encode()
    result = script(
        "check", "--json", "--base-url", sandbox.url, "--email", "demo@alegra.test",
        "--token-stdin", stdin=paste, env={"PYTHONIOENCODING": "ascii", "LANG": "C"}, process=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.json["code"] == "connected"
