"""Canary scan: a token-shaped canary goes through every CLI command and the whole GUI
flow (success and every failure, the sandbox made to accept the canary as its token,
plus servers that echo the request back), and must appear in no output, log record,
config file, temp file, exception text, widget text, tooltip, accessible name or support
report. `credential get` into a pipe is the one place the token is meant to go.

Extends tests/test_cli.py (human output for the sandbox scenarios with a wrong token) and
tests/ui/test_wizard.py (widget texts for one success and one 401).
"""

from __future__ import annotations

import base64
import io
import logging
import os
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

import pytest

from tests.helpers import CANARY_TOKEN
from tests.helpers.faultserver import Conn, ServerFactory, http_response
from tests.helpers.files import files_written_since
from tests.helpers.gui import fast_probe, fill, visible_texts
from tests.helpers.keyrings import real_keyring
from wizard import sandbox as sandbox_module
from wizard.sandbox import SCENARIOS
from wizard.store import Profile, Store

EMAILS = [*sorted(SCENARIOS), "nadie@alegra.test"]


def needles(email: str = "") -> list[str]:
    """The canary, a long piece of it, and the Authorization header it travels in."""
    found = [CANARY_TOKEN, CANARY_TOKEN[:12], CANARY_TOKEN[-12:]]
    if email:
        found.append(base64.b64encode(f"{email}:{CANARY_TOKEN}".encode()).decode())
    return found


def assert_clean(texts: Iterable[str], email: str = "", where: str = "") -> None:
    for text in texts:
        for needle in needles(email):
            assert needle not in text, f"{where}: {needle!r} in {text[:300]!r}"


def scan_files(roots: Iterable[Path], since: float, email: str = "") -> int:
    """Every file under `roots` written since `since`: none holds the canary. The real
    keyring's own file is encrypted; it is scanned too."""
    scanned = 0
    for path, data in files_written_since(roots, since):
        scanned += 1
        for needle in needles(email):
            assert needle.encode() not in data, path
    return scanned


def roots(*extra: Path) -> list[Path]:
    found = [*extra, Path(tempfile.gettempdir())]
    if os.environ.get("TEST_HOME"):
        found.append(Path(os.environ["TEST_HOME"]))
    return found


@pytest.fixture
def canary_sandbox(sandbox, monkeypatch):  # type: ignore[no-untyped-def]
    """The session's sandbox, accepting the canary as every account's token: each scenario
    then answers for real (connected, 402, 429...) while the canary travels."""
    monkeypatch.setattr(sandbox_module, "DEMO_TOKEN", CANARY_TOKEN)
    return sandbox


def echo(status: int, *, where: str) -> object:
    """A server that reflects what it was sent (Authorization header and all) back: in the
    body, a header, a cookie, the Location of a redirect, a JSON error message."""

    def behaviour(conn: Conn) -> None:
        request = conn.request
        header = request.headers.get("authorization", "") if request else ""
        decoded = base64.b64decode(header[6:] or b"").decode("utf-8", "replace")
        token = decoded.partition(":")[2]
        raw = f"{header} {decoded}".encode()
        if where == "location":
            headers = {"Location": f"https://{token}.portal.test/login?u={decoded}"}
            conn.send(http_response(status, raw, headers))
        elif where == "json":
            body = f'{{"code": {status}, "message": "token {token} ({header}) invalido"}}'
            conn.send(http_response(status, body.encode(), {"Content-Type": "application/json"}))
        else:
            headers = {"X-Echo": header, "Set-Cookie": f"t={token}", "WWW-Authenticate": decoded}
            conn.send(http_response(status, b"<html>" + raw + b"</html>", headers))

    return behaviour


ECHOES = [
    ("portal_200", 200, "body"),
    ("unauthorized_json", 401, "json"),
    ("forbidden_json", 403, "json"),
    ("rate_limited_headers", 429, "body"),
    ("outage_html", 503, "body"),
    ("redirect_location", 302, "location"),
    ("redirect_307", 307, "location"),
]


# --- the CLI ---------------------------------------------------------------------------


def check(run_cli, url: str, email: str, *extra: str, token: str = CANARY_TOKEN):  # type: ignore[no-untyped-def]
    """`check` with `extra` options; "--debug" (a top-level option) goes before the command."""
    debug = ["--debug"] if "--debug" in extra else []
    extra = tuple(e for e in extra if e != "--debug")
    return run_cli(
        *debug, "check", "--base-url", url, "--email", email, "--token-stdin", "--timeout", "1",
        *extra, stdin=f"  {token}\n",
    )  # fmt: skip


@pytest.mark.parametrize("email", EMAILS)
def test_cli_check_every_scenario(run_cli, canary_sandbox, cli_env, email: str) -> None:  # type: ignore[no-untyped-def]
    since = time.time()
    extra = ["--probe"] if email == "basico@alegra.test" else []
    results = [
        check(run_cli, canary_sandbox.url, email, "--json", *extra),
        check(run_cli, canary_sandbox.url, email, "--lang", "en"),
        run_cli(
            "check", "--json", "--base-url", canary_sandbox.url, "--timeout", "1",
            env={"ALEGRA_TOKEN": CANARY_TOKEN, "ALEGRA_EMAIL": email},
        ),
    ]  # fmt: skip
    expected = {"demo@alegra.test", "mx@alegra.test", "basico@alegra.test"}
    assert (results[0].json["code"] == "connected") is (email in expected)
    assert results[0].json["token_hint"] == "…" + CANARY_TOKEN[-4:]
    for result in results:
        assert "Traceback" not in result.stderr
        assert_clean([result.stdout, result.stderr], email, where=email)
    scan_files(roots(Path(cli_env["ALEGRA_WIZARD_CONFIG_DIR"]).parent), since, email)


@pytest.mark.parametrize(("name", "status", "where"), ECHOES, ids=[e[0] for e in ECHOES])
def test_cli_against_a_server_that_echoes_the_token(
    run_cli, fault_server: ServerFactory, name: str, status: int, where: str
) -> None:  # type: ignore[no-untyped-def]
    server = fault_server(echo(status, where=where))
    email = "ana@empresa.co"
    for extra in (["--json"], ["--lang", "en"], ["--json", "--debug"]):
        result = check(run_cli, server.url, email, *extra)
        assert result.returncode not in (0, 1, 2), result
        assert_clean([result.stdout, result.stderr], email, where=f"{name} {extra}")
    assert server.requests  # the echo server did get the header (that is the test)


@pytest.mark.keyring
def test_cli_every_command_with_a_stored_canary(run_cli, cli_env, canary_sandbox) -> None:  # type: ignore[no-untyped-def]
    real_keyring()
    since = time.time()
    config = Path(cli_env["ALEGRA_WIZARD_CONFIG_DIR"])
    email = "demo@alegra.test"
    store = Store(config_dir=config)
    profile = Profile(id="canario", name="Canario", email=email, base_url=canary_sandbox.url)
    store.save(profile, CANARY_TOKEN)
    try:
        commands = [
            ("check", "--json", "--profile", "canario"),
            ("check", "--profile", "canario", "--lang", "en"),
            ("check", "--json", "--probe", "--profile", "canario"),
            ("check", "--offline", "--json", "--profile", "canario"),
            ("check", "--offline", "--profile", "canario", "--token-stdin"),
            ("status",),
            ("status", "--json"),
            ("status", "--profile", "canario", "--json"),
            ("doctor", "--offline"),
            ("doctor", "--offline", "--json"),
            ("--help",),
            ("check", "--help"),
            ("status", "--help"),
            ("forget", "--help"),
            ("sandbox", "--help"),
            ("doctor", "--help"),
            ("credential", "get", "--help"),
            ("--version",),
        ]
        for args in commands:
            stdin = CANARY_TOKEN if "--token-stdin" in args else None
            result = run_cli(*args, stdin=stdin)
            # 3: --offline never uses the stored token, so without one there is nothing to
            # check; 18: doctor found this machine lacking something.
            assert result.returncode in (0, 3, 18), (args, result)
            assert_clean([result.stdout, result.stderr], email, where=" ".join(args))
        got = run_cli("credential", "get", "--profile", "canario")  # stdout is a pipe
        assert got.returncode == 0 and got.stdout.count(CANARY_TOKEN) == 1
        assert f"token={CANARY_TOKEN}\n" in got.stdout and CANARY_TOKEN not in got.stderr
        text = (config / "profiles.json").read_text()
        assert_clean([text], email, where="profiles.json")
        assert "last_check_code" in text  # the checks above were recorded there
        forget = run_cli("forget", "--profile", "canario")
        assert forget.returncode == 0
        assert_clean([forget.stdout, forget.stderr], email, where="forget")
        scan_files(roots(config.parent), since, email)
    finally:
        store.forget("canario")


def test_cli_in_process_logs_and_exceptions(
    canary_sandbox, fault_server: ServerFactory, caplog, capsys, monkeypatch, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """launch.main in this process, every logger at DEBUG (the transport's included): no record, no
    formatted exception and no output holds the canary."""
    from wizard import launch

    monkeypatch.setenv("ALEGRA_WIZARD_CONFIG_DIR", str(tmp_path / "cfg"))
    caplog.set_level(logging.DEBUG)
    echo_server = fault_server(echo(401, where="json"))
    urls = [(canary_sandbox.url, e) for e in EMAILS] + [(echo_server.url, "ana@empresa.co")]
    for url, email in urls:
        for pre, extra in (([], []), ([], ["--json"]), (["--debug"], ["--lang", "en"])):
            monkeypatch.setattr(sys, "stdin", io.StringIO(CANARY_TOKEN))
            argv = [*pre, "check", "--base-url", url, "--email", email, "--token-stdin"]
            code = launch.main([*argv, "--timeout", "1", *extra])
            assert code not in (1, 2)
    out = capsys.readouterr()
    records = [r.getMessage() + (r.exc_text or "") for r in caplog.records]
    # The scan saw the transport's own traffic lines (one per request).
    assert any(r.name == "wizard.transport" for r in caplog.records)
    assert_clean([out.out, out.err, *records], where="in-process")


# --- the GUI ---------------------------------------------------------------------------


def _texts(wizard) -> list[str]:  # type: ignore[no-untyped-def]
    texts = visible_texts(wizard)
    texts.append(wizard.test.hintView.toPlainText())
    return texts


@pytest.mark.parametrize("email", EMAILS)
def test_gui_whole_flow_every_scenario(
    make_wizard, qtbot, config_dir: Path, canary_sandbox, caplog, email: str
) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.DEBUG)
    since = time.time()
    wizard = make_wizard("--sandbox", "--lang", "es", probe=fast_probe)
    seen: list[str] = []
    fill(wizard, email, f"  {CANARY_TOKEN} ")
    seen += _texts(wizard)
    wizard.next()
    qtbot.waitUntil(lambda: wizard.ctx.result is not None, timeout=10_000)
    seen += _texts(wizard)
    if wizard.ctx.verified and email != "lento@alegra.test":  # lento: every probe call is slow
        qtbot.waitUntil(lambda: wizard.ctx.probe_result is not None, timeout=10_000)
        seen += _texts(wizard)
    wizard.open_support_report()
    seen.append(wizard.support_dialog.text.toPlainText())
    wizard.support_dialog.close()
    if wizard.ctx.verified:
        wizard.next()
        seen += _texts(wizard)
        wizard.next()
        qtbot.waitUntil(lambda: wizard.currentPage() is wizard.done_page, timeout=10_000)
        seen += _texts(wizard)
    try:
        assert_clean(seen, email, where=f"GUI {email}")
        assert any(f"…{CANARY_TOKEN[-4:]}" in text for text in seen)  # the masked form
        records = [r.getMessage() + (r.exc_text or "") for r in caplog.records]
        assert_clean(records, email, where="GUI logs")
        scan_files(roots(config_dir.parent), since, email)
    finally:
        if wizard.ctx.saved_profile is not None:
            Store(config_dir=config_dir).forget(wizard.ctx.saved_profile.id)


@pytest.mark.parametrize(("name", "status", "where"), ECHOES, ids=[e[0] for e in ECHOES])
def test_gui_against_a_server_that_echoes_the_token(
    make_wizard,
    qtbot,
    fault_server: ServerFactory,
    no_proxy_env,
    name: str,
    status: int,
    where: str,
) -> None:  # type: ignore[no-untyped-def]
    server = fault_server(echo(status, where=where))
    wizard = make_wizard("--base-url", server.url, "--lang", "es")
    fill(wizard, "ana@empresa.co", CANARY_TOKEN)
    wizard.next()
    qtbot.waitUntil(lambda: wizard.ctx.result is not None, timeout=10_000)
    assert not wizard.ctx.verified
    wizard.open_support_report()
    texts = [*_texts(wizard), wizard.support_dialog.text.toPlainText()]
    assert_clean(texts, "ana@empresa.co", where=name)
