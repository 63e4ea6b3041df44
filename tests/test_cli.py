"""The CLI as a subprocess: every outcome code reached, exit codes and JSON per DESIGN, no leaks."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from pytest_httpserver import HTTPServer

from tests.helpers import CANARY_TOKEN, cli
from tests.helpers.waiting import wait_until
from wizard import i18n
from wizard.outcomes import EXIT_CODES, Code
from wizard.sandbox import DEMO_TOKEN
from wizard.store import keyring_service

JSON_KEYS = {
    "ok",
    "code",
    "http_status",
    "email",
    "token_hint",
    "company",
    "fixes",
    "warnings",
    "hint",
    "elapsed_ms",
    "rate_limit",
}


def check(run_cli, base_url: str, email: str, token: str, *extra: str, **kw):  # type: ignore[no-untyped-def]
    return run_cli(
        "check",
        "--json",
        "--base-url",
        base_url,
        "--email",
        email,
        "--token-stdin",
        *extra,
        stdin=token,
        **kw,
    )


def assert_outcome(result, code: Code, token: str) -> dict:  # type: ignore[no-untyped-def,type-arg]
    assert result.returncode == EXIT_CODES[code], (result.stdout, result.stderr)
    data = result.json
    assert data["code"] == code.value
    assert data.keys() >= JSON_KEYS
    assert data["ok"] is (code in (Code.CONNECTED, Code.FORMAT_OK))
    if token:
        assert token not in result.stdout and token not in result.stderr
        assert data["token_hint"] == "…" + token[-4:]
    if code is Code.CONNECTED:
        assert data["hint"] is None
    else:
        assert data["hint"]["title"] and data["hint"]["steps"]
    return data


@pytest.mark.parametrize(
    ("email", "code", "status"),
    [
        ("demo@alegra.test", Code.CONNECTED, 200),
        ("mx@alegra.test", Code.CONNECTED, 200),
        ("basico@alegra.test", Code.CONNECTED, 200),
        ("sinpermiso@alegra.test", Code.FORBIDDEN, 403),
        ("suspendida@alegra.test", Code.PAYMENT_REQUIRED, 402),
        ("limite@alegra.test", Code.RATE_LIMITED, 429),
        ("caido@alegra.test", Code.SERVER_ERROR, 503),
        ("nadie@alegra.test", Code.UNAUTHORIZED, 401),
    ],
)
def test_every_sandbox_scenario_yields_its_code(run_cli, sandbox, email, code, status) -> None:  # type: ignore[no-untyped-def]
    data = assert_outcome(check(run_cli, sandbox.url, email, DEMO_TOKEN), code, DEMO_TOKEN)
    assert data["http_status"] == status
    assert data["email"] == email


def test_demo_company_is_printed(run_cli, sandbox) -> None:  # type: ignore[no-untyped-def]
    data = check(run_cli, sandbox.url, "demo@alegra.test", DEMO_TOKEN).json
    company = data["company"]
    assert company["name"] and company["identification"]
    assert company["country"] == "colombia" and company["currency"] == "COP"
    mx = check(run_cli, sandbox.url, "mx@alegra.test", DEMO_TOKEN).json["company"]
    assert mx["country"] == "mexico" and mx["currency"] == "MXN"


def test_human_output_is_spanish_by_default_and_english_on_request(run_cli, sandbox) -> None:  # type: ignore[no-untyped-def]
    args = ["check", "--base-url", sandbox.url, "--email", "demo@alegra.test", "--token-stdin"]
    es = run_cli(*args, stdin=DEMO_TOKEN)
    assert es.returncode == 0 and "Conexión correcta con Alegra" in es.stdout
    en = run_cli(*args, "--lang", "en", stdin=DEMO_TOKEN)
    assert en.returncode == 0 and "Connected to Alegra" in en.stdout
    assert DEMO_TOKEN not in es.stdout + es.stderr + en.stdout + en.stderr


def test_wrong_token_is_unauthorized_with_the_three_causes(run_cli, sandbox) -> None:  # type: ignore[no-untyped-def]
    result = run_cli(
        "check",
        "--base-url",
        sandbox.url,
        "--email",
        "demo@alegra.test",
        "--token-stdin",
        stdin=CANARY_TOKEN,
    )
    assert result.returncode == 4
    assert "Renovar token" in result.stdout and "Datos de usuario" in result.stdout
    assert CANARY_TOKEN not in result.stdout + result.stderr


def test_forbidden_user_gets_the_permission_hint(run_cli, sandbox) -> None:  # type: ignore[no-untyped-def]
    data = check(run_cli, sandbox.url, "sinpermiso@alegra.test", DEMO_TOKEN).json
    assert "no puede ver la información de la empresa" in data["hint"]["title"]


def test_rate_limit_reports_reset_and_wait(run_cli, sandbox) -> None:  # type: ignore[no-untyped-def]
    data = check(run_cli, sandbox.url, "limite@alegra.test", DEMO_TOKEN).json
    assert data["rate_limit"]["reset_s"] == 30
    assert "Espera 30 segundos." in data["hint"]["steps"]


def test_slow_server_times_out_within_bound(run_cli, sandbox) -> None:  # type: ignore[no-untyped-def]
    result = check(run_cli, sandbox.url, "lento@alegra.test", DEMO_TOKEN, "--timeout", "1")
    data = assert_outcome(result, Code.TIMEOUT, DEMO_TOKEN)
    assert data["elapsed_ms"] < 2000


def test_unknown_path_is_not_found(run_cli, sandbox) -> None:  # type: ignore[no-untyped-def]
    result = check(run_cli, sandbox.url + "/nope", "demo@alegra.test", DEMO_TOKEN)
    assert_outcome(result, Code.NOT_FOUND, DEMO_TOKEN)


def test_captive_portal_html_is_unexpected_response(run_cli, httpserver: HTTPServer) -> None:  # type: ignore[no-untyped-def]
    httpserver.expect_request("/api/v1/company").respond_with_data(
        "<html><body>Inicia sesión en la red WiFi</body></html>", content_type="text/html"
    )
    result = check(run_cli, httpserver.url_for("/api/v1"), "a@b.co", CANARY_TOKEN)
    assert_outcome(result, Code.UNEXPECTED_RESPONSE, CANARY_TOKEN)


@pytest.fixture
def closed_port() -> Iterator[int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    yield port


def test_refused_connection(run_cli, closed_port: int) -> None:  # type: ignore[no-untyped-def]
    url = f"http://127.0.0.1:{closed_port}/api/v1"
    assert_outcome(
        check(run_cli, url, "a@b.co", CANARY_TOKEN), Code.CONNECTION_FAILED, CANARY_TOKEN
    )


def test_no_internet_is_dns_failure(run_cli) -> None:  # type: ignore[no-untyped-def]
    # In a private network namespace nothing resolves and no packet leaves the machine.
    result = check(
        run_cli,
        "https://api.alegra.com/api/v1",
        "a@b.co",
        CANARY_TOKEN,
        "--timeout",
        "3",
        netns=True,
    )
    data = assert_outcome(result, Code.DNS_FAILURE, CANARY_TOKEN)
    assert "internet" in data["hint"]["title"]


def test_untrusted_certificate_is_tls_error_and_ca_bundle_fixes_it(run_cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from wizard.sandbox import Sandbox

    env = {"REQUESTS_CA_BUNDLE": "", "CURL_CA_BUNDLE": "", "SSL_CERT_FILE": ""}
    with Sandbox(https=True) as secure:
        result = check(run_cli, secure.url, "demo@alegra.test", DEMO_TOKEN, env=env)
        assert_outcome(result, Code.TLS_ERROR, DEMO_TOKEN)
        ok = check(
            run_cli,
            secure.url,
            "demo@alegra.test",
            DEMO_TOKEN,
            "--ca-bundle",
            str(secure.ca_file),
            env=env,
        )
        assert_outcome(ok, Code.CONNECTED, DEMO_TOKEN)


def test_dead_proxy_is_proxy_error(run_cli, closed_port: int) -> None:  # type: ignore[no-untyped-def]
    env = {
        "HTTPS_PROXY": f"http://127.0.0.1:{closed_port}",
        "https_proxy": f"http://127.0.0.1:{closed_port}",
        "NO_PROXY": "",
        "no_proxy": "",
    }
    result = check(
        run_cli, "https://api.alegra.com/api/v1", "a@b.co", CANARY_TOKEN, "--timeout", "3", env=env
    )
    assert_outcome(result, Code.PROXY_ERROR, CANARY_TOKEN)


def test_offline_format_ok_and_invalid_input(run_cli) -> None:  # type: ignore[no-untyped-def]
    ok = run_cli(
        "check",
        "--offline",
        "--json",
        "--email",
        " Ana@Empresa.CO ",
        "--token-stdin",
        stdin=f' "{CANARY_TOKEN}" \n',
    )
    data = assert_outcome(ok, Code.FORMAT_OK, CANARY_TOKEN)
    assert data["email"] == "Ana@empresa.co"
    assert {"field": "token", "fix": "removed_quotes"} in data["fixes"]
    empty = run_cli("check", "--offline", "--json", "--email", "ana@empresa.co", "--token-stdin")
    data = assert_outcome(empty, Code.INVALID_INPUT, "")
    assert data["problems"]


def test_plain_http_to_a_remote_host_is_refused(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = check(run_cli, "http://api.alegra.com/api/v1", "a@b.co", CANARY_TOKEN)
    assert_outcome(result, Code.INVALID_INPUT, CANARY_TOKEN)


def test_unknown_profile_is_not_configured(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("check", "--json", "--profile", "nadie")
    assert result.returncode == EXIT_CODES[Code.NOT_CONFIGURED]
    assert result.json["code"] == "not_configured"


def test_token_comes_from_the_environment_too(run_cli, sandbox) -> None:  # type: ignore[no-untyped-def]
    result = run_cli(
        "check",
        "--json",
        "--base-url",
        sandbox.url,
        env={"ALEGRA_TOKEN": DEMO_TOKEN, "ALEGRA_EMAIL": "demo@alegra.test"},
    )
    assert_outcome(result, Code.CONNECTED, DEMO_TOKEN)


def test_usage_error_is_exit_2(run_cli) -> None:  # type: ignore[no-untyped-def]
    assert run_cli("check", "--timeout", "abc").returncode == 2


def test_version(run_cli) -> None:  # type: ignore[no-untyped-def]
    from wizard.version import __version__

    result = run_cli("--version")
    assert result.returncode == 0 and __version__ in result.stdout


@pytest.mark.parametrize(
    "email", [*sorted(__import__("wizard.sandbox").sandbox.SCENARIOS), "x@y.co"]
)
def test_human_output_never_contains_the_token(run_cli, sandbox, email: str) -> None:  # type: ignore[no-untyped-def]
    for token in (DEMO_TOKEN, CANARY_TOKEN):
        result = run_cli(
            "check",
            "--base-url",
            sandbox.url,
            "--email",
            email,
            "--token-stdin",
            "--timeout",
            "1",
            stdin=f"  {token}\n",
        )
        assert result.returncode in EXIT_CODES.values()
        assert token not in result.stdout + result.stderr


# --- issue 14: the CLI as a table, one output path; issue 15: numbers, sizes, records -----
# These drive the real console script, `.venv/bin/alegra-wizard`, as a user's shell would.

import json as _json  # noqa: E402
import os  # noqa: E402
import stat  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from pathlib import Path  # noqa: E402

SCRIPT = str(Path(sys.executable).with_name("alegra-wizard"))
FILE_TOKEN = "f1l3t0k3nw4nt3d0ut9q"
NO_PROXY_ENV = {
    var: ""
    for var in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy")
}


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str

    @property
    def json(self) -> dict:  # type: ignore[type-arg]
        return _json.loads(self.stdout)


@pytest.fixture
def script(cli_env: dict[str, str]):  # type: ignore[no-untyped-def]
    """`alegra-wizard ARGS` through the launcher in this process; the console script in a
    child process with `process=True` or where only a process can run it
    (cli.needs_process). stdin as bytes in any encoding."""

    def run(
        *args: str,
        stdin: bytes | str = b"",
        env: dict[str, str] | None = None,
        process: bool = False,
    ) -> Run:
        full_env = {**cli_env, **NO_PROXY_ENV, **(env or {})}
        if not (process or cli.needs_process(args, full_env)):
            done = cli.in_process(args, stdin=stdin, env=full_env)
            return Run(done.returncode, done.stdout, done.stderr)
        data = stdin.encode() if isinstance(stdin, str) else stdin
        proc = cli.run(
            [SCRIPT, *args], input=data, env=full_env, timeout=60, cwd=os.getcwd(), text=False
        )
        # Decoded leniently: what a narrow encoding made of the text is part of the test.
        return Run(
            proc.returncode,
            proc.stdout.decode("utf-8", "replace"),
            proc.stderr.decode("utf-8", "replace"),
        )

    return run


def test_console_script_is_the_entry_point(script) -> None:  # type: ignore[no-untyped-def]
    assert Path(SCRIPT).is_file() and os.access(SCRIPT, os.X_OK)
    # The script itself, started fresh, answers as the launcher does in-process.
    for args in (["--version"], ["status", "--json"], ["chek"]):
        runs = [script(*args, process=process) for process in (True, False)]
        assert runs[0].returncode == runs[1].returncode and runs[0].stdout == runs[1].stdout
        assert runs[0].stderr == runs[1].stderr


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


def _write_profile(config: Path, profile_id: str, **fields: object) -> None:
    config.mkdir(parents=True, exist_ok=True)
    entry = {"id": profile_id, "name": profile_id, "email": "demo@alegra.test", **fields}
    (config / "profiles.json").write_text(_json.dumps({"format": 1, "profiles": [entry]}))


def test_storage_errors_go_to_stderr_for_every_command(script, cli_env) -> None:  # type: ignore[no-untyped-def]
    _write_profile(Path(cli_env["ALEGRA_WIZARD_CONFIG_DIR"]), "roto")
    env = {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    for args in (["check", "--profile", "roto"], ["forget", "--profile", "roto"]):
        result = script(*args, env=env, process=True)
        assert result.returncode == 16, (args, result.stdout, result.stderr)
        assert result.stdout == "" and result.stderr.strip(), args
    as_json = script("check", "--profile", "roto", "--json", env=env, process=True)
    assert as_json.returncode == 16 and as_json.json["code"] == "storage_error"


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


@pytest.mark.parametrize(
    "encoding", ["utf-16", "utf-16-be-bom", "utf-32", "utf-32-be-bom", "utf-8-sig"]
)
def test_a_token_file_with_a_byte_order_mark(script, sandbox, encoding: str) -> None:  # type: ignore[no-untyped-def]
    """Issue 26: `--token-stdin < token.txt` (and Setup's /TOKENFILE=, which runs exactly
    that) with the file PowerShell 5.1's `>` or Notepad's "Unicode" writes: UTF-16 with a
    byte-order mark and a CRLF. It used to say «tiene letras con acentos», exit 3."""
    text = DEMO_TOKEN + "\r\n"
    if encoding.endswith("-be-bom"):
        codec = encoding.removesuffix("-bom")
        data = "\ufeff".encode(codec) + text.encode(codec)
    else:
        data = text.encode(encoding)  # utf-16/utf-32 write the machine's BOM; utf-8-sig EF BB BF
    result = script(
        "check", "--json", "--base-url", sandbox.url, "--email", "demo@alegra.test",
        "--token-stdin", stdin=data,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.json["code"] == "connected" and result.json["token_hint"] == "…" + DEMO_TOKEN[-4:]


def _closed_pipe(cli_env: dict[str, str], *args: str, stdin: bytes = b"") -> tuple[int, str]:
    """Run with stdout a pipe whose reader has already gone (`… | head -c0`)."""
    proc = subprocess.Popen(
        [SCRIPT, *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**cli_env, **NO_PROXY_ENV},
    )
    assert proc.stdout is not None and proc.stdin is not None and proc.stderr is not None
    proc.stdout.close()
    proc.stdin.write(stdin)
    proc.stdin.close()
    err = proc.stderr.read().decode("utf-8", "replace")
    return proc.wait(timeout=60), err


@pytest.fixture
def stored(cli_env):  # type: ignore[no-untyped-def]
    """Save profiles in the real Secret Service (scripts/with-keyring.sh) and the test's
    config folder; removed afterwards."""
    from wizard.store import Profile, Store

    st = Store(config_dir=Path(cli_env["ALEGRA_WIZARD_CONFIG_DIR"]))
    saved: list[str] = []

    def save(profile_id: str, token: str = DEMO_TOKEN, **fields: object) -> Store:
        fields.setdefault("email", "demo@alegra.test")
        st.save(Profile(id=profile_id, name=profile_id, **fields), token)  # type: ignore[arg-type]
        saved.append(profile_id)
        return st

    yield save
    for profile_id in saved:
        st.forget(profile_id)


def test_a_closed_pipe_ends_quietly(cli_env, stored) -> None:  # type: ignore[no-untyped-def]
    from wizard.launch import EXIT_BROKEN_PIPE

    stored("tubo", CANARY_TOKEN)
    for args in (
        ["status", "--json"],
        ["--help"],
        ["doctor", "--offline"],
        ["credential", "get", "--profile", "tubo"],
        ["check", "--offline", "--email", "a@b.co", "--token-stdin"],
    ):
        code, err = _closed_pipe(cli_env, *args, stdin=CANARY_TOKEN.encode())
        assert "Exception ignored" not in err and "BrokenPipeError" not in err, (args, err)
        assert "Error interno" not in err and "Traceback" not in err, (args, err)
        # argparse itself ignores a failed write of its help (exit 0).
        assert code in ((0,) if args == ["--help"] else (EXIT_BROKEN_PIPE,)), (args, code, err)


def test_a_closed_pipe_in_a_real_shell_pipeline(cli_env) -> None:  # type: ignore[no-untyped-def]
    for args in ("--help", "status --json", "doctor --offline"):
        proc = subprocess.run(
            ["bash", "-c", f"{SCRIPT} {args} | head -c1 >/dev/null; exit ${{PIPESTATUS[0]}}"],
            capture_output=True,
            text=True,
            env={**cli_env, **NO_PROXY_ENV},
            check=False,
        )
        assert "Exception ignored" not in proc.stderr and "Error interno" not in proc.stderr
        assert proc.returncode in (0, 17, 18, 141), (args, proc.returncode, proc.stderr)


def test_doctor_json_with_an_insecure_url_is_one_json_object(script) -> None:  # type: ignore[no-untyped-def]
    result = script("doctor", "--json", "--base-url", "http://evil.example/api/v1")
    assert result.returncode == 3
    data = result.json
    assert data["ok"] is False and data["code"] == "invalid_input" and data["hint"]["title"]


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


def test_an_internal_error_under_json_prints_one_json_object(script, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import wizard.store

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(wizard.store, "Store", boom)
    for extra in (["--json"], []):
        result = script("status", *extra)
        assert result.returncode == 1, result.stderr
        assert "Error interno del programa: RuntimeError" in result.stderr
        assert "Traceback" not in result.stderr
        if extra:
            assert result.json == {"ok": False, "code": "internal_error", "error": "RuntimeError"}
        else:
            assert result.stdout == ""


def test_server_text_is_stripped_of_escapes_and_the_token_masked(script, httpserver) -> None:  # type: ignore[no-untyped-def]
    import base64

    email = "ana@empresa.co"
    basic = base64.b64encode(f"{email}:{CANARY_TOKEN}".encode()).decode()
    httpserver.expect_request("/api/v1/company").respond_with_json(
        {
            "name": "\x1b[2J\x1b]0;pwned\x07Empresa \x1b[31mRoja\x1b[0m \u202eS.A.S\u202c",
            "identification": f"{CANARY_TOKEN}",
            "applicationVersion": f"Basic {basic}",
            "currency": {"code": basic},
        }
    )
    url = httpserver.url_for("/api/v1")
    base = ["check", "--base-url", url, "--email", email, "--token-stdin"]
    for extra in ([], ["--json"]):
        result = script(*base, *extra, stdin=CANARY_TOKEN)
        assert result.returncode == 0, result.stderr
        everything = result.stdout + result.stderr
        assert "\x1b" not in everything and "\x07" not in everything and "\u202e" not in everything
        assert CANARY_TOKEN not in everything and basic not in everything
        assert "Empresa Roja S.A.S" in (result.json["company"]["name"] if extra else result.stdout)


@pytest.mark.parametrize("value", ["inf", "1e300", "nan", "-1", "0", "601", "abc"])
def test_timeout_out_of_range_is_a_usage_error(script, value) -> None:  # type: ignore[no-untyped-def]
    for command in (["check", "--offline"], ["doctor", "--offline"]):
        result = script(*command, f"--timeout={value}")
        assert result.returncode == 2, (command, value, result.stderr)
        assert "tiempo de espera" in result.stderr or "segundos" in result.stderr
        assert "Traceback" not in result.stderr and "OverflowError" not in result.stderr


@pytest.mark.parametrize("value", ["99999", "-1", "65536", "x"])
def test_sandbox_port_out_of_range_is_a_usage_error(script, value) -> None:  # type: ignore[no-untyped-def]
    result = script("sandbox", f"--port={value}")
    assert result.returncode == 2 and "no es un puerto válido" in result.stderr
    en = script("sandbox", f"--port={value}", "--lang", "en")
    assert en.returncode == 2 and "is not a valid port" in en.stderr


def test_sandbox_port_in_use_is_a_clear_message(script) -> None:  # type: ignore[no-untyped-def]
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = script("sandbox", "--port", str(port))
    assert result.returncode == EXIT_CODES[Code.CONNECTION_FAILED], result.stderr
    assert f"No se pudo abrir el puerto {port}" in result.stderr
    assert "Error interno" not in result.stderr


def test_token_stdin_reads_at_most_a_few_kib(script) -> None:  # type: ignore[no-untyped-def]
    import time

    from wizard.cli.options import STDIN_CAP_BYTES

    start = time.monotonic()
    big = b"x" * (5 * 1024 * 1024)
    result = script("check", "--offline", "--json", "--email", "a@b.co", "--token-stdin", stdin=big)
    assert time.monotonic() - start < 10
    assert result.returncode == 3 and result.json["code"] == "invalid_input"
    assert f"{STDIN_CAP_BYTES // 1024} KiB" in result.stderr
    fits = script("check", "--offline", "--json", "--email", "a@b.co", "--token-stdin",
                  stdin=CANARY_TOKEN + "\n" * 100)  # fmt: skip
    assert fits.returncode == 0
    helptext = script("check", "--help").stdout
    assert f"{STDIN_CAP_BYTES // 1024} KiB" in helptext


# --- issue 16: login, the headless twin of the wizard (real Secret Service, sandbox) -------


def _store_for(cli_env):  # type: ignore[no-untyped-def]
    from wizard.store import Store

    return Store(config_dir=Path(cli_env["ALEGRA_WIZARD_CONFIG_DIR"]))


@pytest.fixture
def keyring_cleanup(cli_env):  # type: ignore[no-untyped-def]
    yield
    st = _store_for(cli_env)
    for profile in st.list_profiles():
        st.forget(profile.id)


LOGIN_CASES = [
    # email, extra args, exit, code, saved
    ("demo@alegra.test", [], 0, Code.CONNECTED, True),
    ("mx@alegra.test", [], 0, Code.CONNECTED, True),
    ("basico@alegra.test", [], 0, Code.CONNECTED, True),
    ("sinpermiso@alegra.test", [], 5, Code.FORBIDDEN, False),
    ("sinpermiso@alegra.test", ["--unverified"], 5, Code.FORBIDDEN, False),
    ("suspendida@alegra.test", [], 6, Code.PAYMENT_REQUIRED, False),
    ("limite@alegra.test", ["--unverified"], 8, Code.RATE_LIMITED, False),
    ("caido@alegra.test", [], 9, Code.SERVER_ERROR, False),
    ("caido@alegra.test", ["--unverified"], 0, Code.SERVER_ERROR, True),
    ("lento@alegra.test", ["--timeout", "1"], 11, Code.TIMEOUT, False),
    ("lento@alegra.test", ["--timeout", "1", "--unverified"], 0, Code.TIMEOUT, True),
    ("nadie@alegra.test", [], 4, Code.UNAUTHORIZED, False),
    ("nadie@alegra.test", ["--unverified"], 4, Code.UNAUTHORIZED, False),
]


@pytest.mark.parametrize(("email", "extra", "exit", "code", "saved"), LOGIN_CASES)
def test_login_every_sandbox_scenario(  # type: ignore[no-untyped-def]
    script, sandbox, cli_env, keyring_cleanup, email, extra, exit, code, saved
) -> None:
    import keyring

    result = script(
        "login", "--json", "--email", email, "--token-stdin", "--base-url", sandbox.url, *extra,
        stdin=f"  {DEMO_TOKEN}\n",
    )  # fmt: skip
    assert result.returncode == exit, (result.stdout, result.stderr)
    data = result.json
    assert data.keys() >= JSON_KEYS | {"profile", "saved", "user"}
    assert data["code"] == code.value and data["saved"] is saved
    assert DEMO_TOKEN not in result.stdout + result.stderr
    profiles = _store_for(cli_env).list_profiles()
    if saved:
        assert [p.id for p in profiles] == [data["profile"]]
        (profile,) = profiles
        assert profile.last_check_code == code.value and profile.email == email
        assert profile.base_url == sandbox.url
        assert keyring.get_password(keyring_service(profile.id), profile.id) == DEMO_TOKEN
        assert data["verified"] is (code is Code.CONNECTED)
    else:
        assert profiles == [] and data["profile"] is None
        assert keyring.get_password(keyring_service("caido"), "caido") is None


def test_login_human_output_and_names(script, sandbox, cli_env, keyring_cleanup) -> None:  # type: ignore[no-untyped-def]
    base = ["login", "--email", "demo@alegra.test", "--token-stdin", "--base-url", sandbox.url]
    first = script(*base, stdin=DEMO_TOKEN)
    assert first.returncode == 0, first.stderr
    assert "Conexión correcta con Alegra: Panadería La Espiga S.A.S" in first.stdout
    assert "Guardado en el llavero como el perfil «panaderia-la-espiga-s-a-s»" in first.stdout
    # The same user and company again updates that profile instead of making a second one.
    again = script(*base, stdin=DEMO_TOKEN)
    assert again.returncode == 0 and "se actualizó el perfil" in again.stdout
    named = script(*base, "--profile", "tienda", "--name", "Mi tienda", stdin=DEMO_TOKEN)
    assert named.returncode == 0, named.stderr
    ids = sorted(p.id for p in _store_for(cli_env).list_profiles())
    assert ids == ["panaderia-la-espiga-s-a-s", "tienda"]
    tienda = _store_for(cli_env).find("tienda")
    assert tienda is not None and tienda.name == "Mi tienda"
    # A new token for a stored profile: its email is used when none is given.
    rotated = script("login", "--profile", "tienda", "--token-stdin", "--base-url", sandbox.url,
                     stdin=DEMO_TOKEN)  # fmt: skip
    assert rotated.returncode == 0, rotated.stderr


def test_login_refuses_bad_input_and_saves_nothing(script, sandbox, cli_env) -> None:  # type: ignore[no-untyped-def]
    empty = script("login", "--json", "--email", "demo@alegra.test", "--token-stdin",
                   "--base-url", sandbox.url)  # fmt: skip
    assert empty.returncode == 3 and empty.json["code"] == "invalid_input"
    assert empty.json["saved"] is False
    insecure = script("login", "--json", "--email", "demo@alegra.test", "--token-stdin",
                      "--base-url", "http://api.alegra.com/api/v1", stdin=DEMO_TOKEN)  # fmt: skip
    assert insecure.returncode == 3 and insecure.json["saved"] is False
    assert _store_for(cli_env).list_profiles() == []


def test_login_token_from_the_environment(script, sandbox, cli_env, keyring_cleanup) -> None:  # type: ignore[no-untyped-def]
    result = script("login", "--json", "--base-url", sandbox.url,
                    env={"ALEGRA_TOKEN": DEMO_TOKEN, "ALEGRA_EMAIL": "mx@alegra.test"})  # fmt: skip
    assert result.returncode == 0 and result.json["saved"] is True


def test_login_storage_failure_is_exit_16(script, sandbox, cli_env) -> None:  # type: ignore[no-untyped-def]
    env = {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    result = script(
        "login", "--json", "--email", "demo@alegra.test", "--token-stdin", "--base-url",
        sandbox.url, stdin=DEMO_TOKEN, env=env, process=True,
    )  # fmt: skip
    assert result.returncode == 16, result.stderr
    assert result.json["code"] == "storage_error" and result.json["saved"] is False
    assert result.stderr.strip()


def test_status_with_nothing_stored_points_to_login(script) -> None:  # type: ignore[no-untyped-def]
    result = script("status")
    assert result.returncode == 17
    assert "alegra-wizard login" in result.stderr and result.stdout == ""


# --- issue 17: profiles, default, rename; the default profile everywhere -----------------


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
    _store_for(cli_env).forget("dos-nuevo")


def test_the_only_profile_is_used_without_profile(script, stored, sandbox) -> None:  # type: ignore[no-untyped-def]
    stored("solo", DEMO_TOKEN, base_url=sandbox.url)
    check_result = script("check", "--json")
    assert check_result.returncode == 0, check_result.stderr
    assert check_result.json["email"] == "demo@alegra.test"
    assert script("status", "--json").json["profiles"][0]["id"] == "solo"


def test_check_records_only_the_profiles_own_credentials(script, stored, sandbox, cli_env) -> None:  # type: ignore[no-untyped-def]
    stored("propio", CANARY_TOKEN, base_url=sandbox.url)  # the stored token is wrong
    st = _store_for(cli_env)
    base = ["check", "--json", "--profile", "propio"]
    overrides = [
        ({"stdin": DEMO_TOKEN}, ["--token-stdin"]),
        ({"env": {"ALEGRA_TOKEN": DEMO_TOKEN}}, []),
        ({}, ["--email", "mx@alegra.test"]),
    ]
    for kw, extra in overrides:
        result = script(*base, *extra, **kw)  # type: ignore[arg-type]
        assert result.returncode in (0, 4), result.stderr
        profile = st.find("propio")
        assert profile is not None and profile.last_check_code is None, extra
    own = script(*base)
    assert own.returncode == 4 and own.json["code"] == "unauthorized"
    profile = st.find("propio")
    assert profile is not None and profile.last_check_code == "unauthorized"


def test_credential_get_only_into_a_pipe_or_a_named_file(stored, cli_env, tmp_path) -> None:  # type: ignore[no-untyped-def]
    # Not the canary: this test writes its token into a file under /tmp on purpose, and
    # the canary scan (tests/faults/test_canary.py) reads every new file there.
    stored("archivo", FILE_TOKEN)
    env = {**cli_env, **NO_PROXY_ENV}
    target = tmp_path / "salida.txt"
    with target.open("w") as handle:  # `credential get > file`
        proc = subprocess.run(
            [SCRIPT, "credential", "get", "--profile", "archivo"],
            stdout=handle, stderr=subprocess.PIPE, env=env, check=False,
        )  # fmt: skip
    assert proc.returncode == 3
    assert target.read_text() == "" and b"--output" in proc.stderr
    private = tmp_path / "privado.env"
    proc = subprocess.run(
        [SCRIPT, "credential", "get", "--profile", "archivo", "--output", str(private)],
        capture_output=True, env=env, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert f"token={FILE_TOKEN}\n" in private.read_text()
    assert FILE_TOKEN.encode() not in proc.stdout + proc.stderr
    with Path(os.devnull).open("w") as devnull:
        proc = subprocess.run(
            [SCRIPT, "credential", "get", "--profile", "archivo"],
            stdout=devnull, stderr=subprocess.PIPE, env=env, check=False,
        )  # fmt: skip
    assert proc.returncode == 3


def test_credential_get_ends_with_lf_on_a_windows_style_stdout(  # type: ignore[no-untyped-def]
    stored, cli_env, monkeypatch
) -> None:
    """Issue 26: Windows' stdout is a text stream that writes "\\n" as CRLF, so `credential
    get | program` handed the program the token plus "\\r". Here stdout is a pipe with
    that translation (newline="\\r\\n", what Python sets up on Windows); the bytes the
    reader gets have no CR."""
    from wizard import launch

    stored("tuberia", FILE_TOKEN)
    monkeypatch.setenv("ALEGRA_WIZARD_CONFIG_DIR", cli_env["ALEGRA_WIZARD_CONFIG_DIR"])
    read_end, write_end = os.pipe()
    windows_stdout = open(write_end, "w", encoding="utf-8", newline="\r\n")  # noqa: SIM115
    monkeypatch.setattr(sys, "stdout", windows_stdout)
    code = launch.run_cli(["credential", "get", "--profile", "tuberia"])
    windows_stdout.close()
    with open(read_end, "rb") as reader:
        written = reader.read()
    assert code == 0
    assert f"token={FILE_TOKEN}\n".encode() in written
    assert b"\r" not in written and written.endswith(b"\n")


@pytest.mark.parametrize("platform", ["linux", "darwin", "win32"])
def test_output_says_what_the_file_s_permissions_really_promise(  # type: ignore[no-untyped-def]
    stored, cli_env, monkeypatch, tmp_path, capsys, platform
) -> None:
    """Issue 26: «solo tú puedes leerlo» is true of a 0600 file (Linux, macOS), not on
    Windows, where the folder's access rules apply: there it says who can read it."""
    from wizard import launch

    stored("salida", FILE_TOKEN)
    monkeypatch.setenv("ALEGRA_WIZARD_CONFIG_DIR", cli_env["ALEGRA_WIZARD_CONFIG_DIR"])
    monkeypatch.setattr(sys, "platform", platform)
    target = tmp_path / "perfil.env"
    code = launch.run_cli(["credential", "get", "--profile", "salida", "--output", str(target)])
    err = " ".join(capsys.readouterr().err.split())  # as one line, however it was wrapped
    assert code == 0 and f"token={FILE_TOKEN}" in target.read_text()
    if platform == "win32":
        assert "solo tú puedes leerlo" not in err
        assert "quien pueda abrir esa carpeta puede leerlo" in err and "Bórralo" in err
    else:
        assert f"Se escribió el perfil en «{target}» (solo tú puedes leerlo)." in err


def test_check_says_who_the_token_belongs_to_and_warns_on_another_user(script, httpserver) -> None:  # type: ignore[no-untyped-def]
    httpserver.expect_request("/api/v1/company").respond_with_json(
        {"name": "Panadería La Espiga S.A.S.", "applicationVersion": "colombia"}
    )
    httpserver.expect_request("/api/v1/users/self").respond_with_json(
        {"name": "Ana", "lastName": "Pérez", "email": "otra@empresa.co", "role": "admin"}
    )
    url = httpserver.url_for("/api/v1")
    base = ["check", "--base-url", url, "--email", "ana@empresa.co", "--token-stdin"]
    human = script(*base, stdin=CANARY_TOKEN)
    assert human.returncode == 0, human.stderr
    assert "Conectado como Ana Pérez (administrador) en Panadería La Espiga S.A.S." in human.stdout
    assert "el token pertenece a otro usuario" in human.stdout
    data = script(*base, "--json", stdin=CANARY_TOKEN).json
    assert data["user"] == {
        "name": "Ana Pérez",
        "email": "otra@empresa.co",
        "role": "administrador",
    }
    assert {"field": "email", "warning": "user_email_differs"} in data["warnings"]


def _read_until(fd: int, needle: bytes, timeout: float = 30) -> bytes:
    import select
    import time

    seen = b""
    end = time.monotonic() + timeout
    while needle not in seen:
        ready, _, _ = select.select([fd], [], [], max(0.0, end - time.monotonic()))
        if not ready:
            raise AssertionError(f"no {needle!r} in {seen!r}")
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    return seen


def test_login_on_a_terminal_asks_with_a_hidden_prompt(sandbox, cli_env, keyring_cleanup) -> None:  # type: ignore[no-untyped-def]
    import pty

    env = {**cli_env, **NO_PROXY_ENV}
    pid, fd = pty.fork()
    if pid == 0:  # the child: a real terminal as stdin, stdout and controlling tty
        os.execve(SCRIPT, [SCRIPT, "login", "--base-url", sandbox.url], env)
    try:
        shown = _read_until(fd, b"Token de la API de Alegra")
        os.write(fd, DEMO_TOKEN.encode() + b"\r")
        shown += _read_until(fd, b"Correo del usuario de Alegra")
        os.write(fd, b"demo@alegra.test\r")
        shown += _read_until(fd, b"Guardado en el llavero")
    finally:
        _, status = os.waitpid(pid, 0)
        os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 0, shown
    assert DEMO_TOKEN.encode() not in shown  # not echoed
    assert [p.email for p in _store_for(cli_env).list_profiles()] == ["demo@alegra.test"]


def test_one_default_timeout_for_every_front_end(script) -> None:  # type: ignore[no-untyped-def]
    import inspect

    from wizard import present
    from wizard.check import check_connection

    default = inspect.signature(check_connection).parameters["timeout"].default
    assert default == present.DEFAULT_TIMEOUT_S
    text = script("check", "--help").stdout
    assert f"predeterminado {int(present.DEFAULT_TIMEOUT_S)}" in text


def test_ctrl_c_under_json_still_prints_one_json_object(sandbox, cli_env) -> None:  # type: ignore[no-untyped-def]
    import signal

    def slow_requests() -> int:
        return sum(1 for _m, path, email in sandbox.requests_seen
                   if path.endswith("/company") and email == "lento@alegra.test")  # fmt: skip

    def as_in_a_terminal() -> None:
        # A runner started in the background (`cmd &` in a script) has SIGINT ignored, and
        # a child inherits that: Python then keeps ignoring it, rightly, and the check ran to
        # its end (exit 0). Ctrl+C in a terminal reaches a command with the default action.
        signal.signal(signal.SIGINT, signal.SIG_DFL)

    before = slow_requests()
    proc = subprocess.Popen(
        [SCRIPT, "check", "--json", "--base-url", sandbox.url, "--email", "lento@alegra.test",
         "--token-stdin", "--timeout", "30"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env={**cli_env, **NO_PROXY_ENV}, preexec_fn=as_in_a_terminal,
    )  # fmt: skip
    assert proc.stdin is not None
    proc.stdin.write(DEMO_TOKEN.encode())
    proc.stdin.close()
    proc.stdin = None  # communicate() must not flush it again
    # Interrupted while it waits for the answer (the slow account takes 8 s), not sooner.
    wait_until(lambda: slow_requests() > before, timeout=20)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    assert _json.loads(out) == {"ok": False, "code": "interrupted"}
    assert b"Traceback" not in err


def test_doctor_offline_never_says_all_is_in_order(script) -> None:  # type: ignore[no-untyped-def]
    """--offline skips the network items: the verdict says so, as the window's does. The
    test run has what the offline items need (a Secret Service, a config folder): exit 0."""
    for lang, all_ok, skipped in (
        ("es", "Todo lo necesario está en orden", "no se revisaron"),
        ("en", "Everything needed is in order", "were not checked"),
    ):
        result = script("doctor", "--offline", "--lang", lang)
        assert result.returncode == 0, result.stdout + result.stderr
        assert all_ok not in result.stdout, result.stdout
        assert skipped in result.stdout, result.stdout


def test_doctor_offline_with_a_problem_says_so(script) -> None:  # type: ignore[no-untyped-def]
    """Exit 18: the verdict names the problems, never «todo en orden» nor only «skipped»."""
    env = {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    for lang, problems, all_ok, skipped in (
        ("es", i18n.t("doctor.has_problems", "es"), "en orden", "no se revisaron"),
        ("en", i18n.t("doctor.has_problems", "en"), "in order", "were not checked"),
    ):
        result = script("doctor", "--offline", "--lang", lang, env=env)
        assert result.returncode == 18, result.stdout + result.stderr
        last = result.stdout.strip().splitlines()[-1]
        assert last == problems, result.stdout
        assert all_ok not in last and skipped not in last
