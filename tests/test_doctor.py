"""`doctor`: each item passing, and each failing on a machine where it is broken."""

from __future__ import annotations

import contextlib
import json
import ssl
import threading
import time
from collections.abc import Iterator
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import trustme
from pytest_httpserver import HTTPServer

from tests.helpers import CANARY_TOKEN
from tests.helpers.keyrings import MemoryBackend
from wizard.doctor import FAIL, OK, SKIPPED, WARN, Doctor, Item, Report
from wizard.outcomes import EXIT_DOCTOR_FOUND_PROBLEMS
from wizard.store import Profile, Store


def items(report: Report) -> dict[str, tuple[str, str, str | None]]:
    return {item.id: (item.status, item.detail, item.fix) for item in report.items}


def offline_doctor(store: Store, **kw: object) -> Doctor:
    return Doctor(base_url="https://api.alegra.com/api/v1", store=store, offline=True, **kw)  # type: ignore[arg-type]


@pytest.mark.keyring
def test_a_healthy_machine_offline(tmp_path: Path) -> None:
    """The real Secret Service (make test runs inside dbus-run-session), a saved profile."""
    store = Store(config_dir=tmp_path)
    store.save(Profile(id="", name="Panadería", email="a@b.co"), CANARY_TOKEN)
    store.update_last_check("panaderia", "connected")
    try:
        report = offline_doctor(store, lang="es").run()
    finally:  # the session's Secret Service is shared: leave no item for later tests
        store.forget("panaderia")
    got = items(report)
    assert got["keyring"][0] == OK and "SecretService" in got["keyring"][1].replace(" ", "")
    assert got["config"][0] == OK and "(1 perfil guardado)" in got["config"][1]
    assert got["profile"][0] == OK and "Panadería" in got["profile"][1]
    assert {got[k][0] for k in ("dns", "https", "clock")} == {SKIPPED}
    assert report.ok
    assert report.verdict("es") == (
        "Lo que pudimos revisar está en orden, pero 3 puntos no se revisaron (los marcados con –)."
    )
    assert CANARY_TOKEN not in json.dumps(report.to_json()) + report.as_text()


def test_a_hung_keyring_fails_within_the_timeout(tmp_path: Path) -> None:
    release = threading.Event()

    class Hanging(MemoryBackend):
        def get_password(self, service: str, user: str) -> str | None:
            release.wait(30)
            return None

    start = time.monotonic()
    report = offline_doctor(Store(config_dir=tmp_path, backend=Hanging(), timeout=0.5)).run()
    release.set()
    assert time.monotonic() - start < 2
    status, _detail, fix = items(report)["keyring"]
    assert status == FAIL and fix and not report.ok


def test_a_plaintext_or_missing_keyring_is_a_failure_with_a_fix(tmp_path: Path) -> None:
    from keyring.backends.fail import Keyring as FailKeyring

    report = offline_doctor(Store(config_dir=tmp_path, backend=FailKeyring()), lang="en").run()
    status, detail, fix = items(report)["keyring"]
    assert status == FAIL and "keyring" in detail.lower() and fix


def test_a_corrupt_config_and_a_failed_last_check(tmp_path: Path) -> None:
    (tmp_path / "profiles.json").write_text("{not json", encoding="utf-8")
    report = offline_doctor(Store(config_dir=tmp_path, backend=MemoryBackend())).run()
    assert items(report)["config"][0] == FAIL and not report.ok
    assert (tmp_path / "profiles.json").read_text() == "{not json", "doctor changes nothing"

    good = tmp_path / "good"
    store = Store(config_dir=good, backend=MemoryBackend())
    store.save(Profile(id="", name="Tienda", email="a@b.co"), CANARY_TOKEN)
    store.update_last_check("tienda", "unauthorized")
    got = items(offline_doctor(store, lang="es").run())
    assert got["profile"][0] == WARN and "falló" in got["profile"][1] and got["profile"][2]


def test_proxy_settings_are_shown_without_their_password(monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("HTTPS_PROXY", "http://ana:s3cr3tpass@proxy.oficina.local:3128")
    got = items(offline_doctor(Store(config_dir=tmp_path, backend=MemoryBackend())).run())
    assert got["proxy"][0] == OK and "proxy.oficina.local:3128" in got["proxy"][1]
    assert "s3cr3tpass" not in got["proxy"][1] and "ana" not in got["proxy"][1]


def test_no_dns_via_an_unresolvable_host(run_cli) -> None:  # type: ignore[no-untyped-def]
    """In a private network namespace nothing resolves and no packet leaves the machine."""
    out = run_cli(
        "doctor", "--json", "--timeout", "3", "--base-url", "https://api.alegra.com/api/v1",
        netns=True,
    )  # fmt: skip
    assert out.returncode == EXIT_DOCTOR_FOUND_PROBLEMS, out.stderr
    got = {item["id"]: item for item in json.loads(out.stdout)["items"]}
    assert got["dns"]["status"] == FAIL and "internet" in got["dns"]["fix"]
    assert got["https"]["status"] == SKIPPED and got["clock"]["status"] == SKIPPED


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


def https_server(ca: trustme.CA) -> HTTPServer:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    server = HTTPServer(host="127.0.0.1", port=0, ssl_context=context)
    server.expect_request("/api/v1/").respond_with_data("", status=404)
    server.start()
    return server


def test_untrusted_tls_names_the_issuer_and_a_ca_bundle_fixes_it(
    ca: trustme.CA, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    for var in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE"):
        monkeypatch.delenv(var, raising=False)
    server = https_server(ca)
    try:
        base = f"https://127.0.0.1:{server.port}/api/v1"
        store = Store(config_dir=tmp_path, backend=MemoryBackend())
        got = items(Doctor(base_url=base, store=store, timeout=3, lang="es").run())
        status, detail, fix = got["https"]
        assert status == FAIL and "trustme" in detail and fix and "proxy" in fix
        pem = tmp_path / "ca.pem"
        ca.cert_pem.write_to_path(str(pem))
        trusted = Doctor(base_url=base, store=store, timeout=3, ca_bundle=str(pem)).run()
        assert items(trusted)["https"][0] == OK
        assert all(req.headers.get("Authorization") is None for req, _ in server.log)
    finally:
        server.clear()
        server.stop()


@contextlib.contextmanager
def server_with_clock(offset_s: float) -> Iterator[str]:
    """A loopback HTTP server whose Date header is `offset_s` away from the real time."""

    class Handler(BaseHTTPRequestHandler):
        def date_time_string(self, timestamp: float | None = None) -> str:
            return formatdate(time.time() + offset_s, usegmt=True)

        def do_HEAD(self) -> None:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/api/v1"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize(("offset_s", "state"), [(-3600, "adelantado"), (5400, "atrasado")])
def test_a_skewed_clock_is_caught_from_the_date_header(
    tmp_path: Path, offset_s: int, state: str
) -> None:
    store = Store(config_dir=tmp_path, backend=MemoryBackend())
    with server_with_clock(offset_s) as base:
        got = items(Doctor(base_url=base, store=store, lang="es").run())
    status, detail, fix = got["clock"]
    assert status == FAIL and state in detail and fix
    assert str(round(abs(offset_s) / 60)) in detail
    assert got["https"][0] == SKIPPED  # plain http: only ever to a loopback test server


def test_a_correct_clock_passes(tmp_path: Path) -> None:
    store = Store(config_dir=tmp_path, backend=MemoryBackend())
    with server_with_clock(0) as base:
        got = items(Doctor(base_url=base, store=store).run())
    assert got["clock"][0] == OK and got["dns"][0] == OK


def test_cli_doctor_offline_text_and_json(run_cli) -> None:  # type: ignore[no-untyped-def]
    human = run_cli("doctor", "--offline", "--lang", "es")
    assert "Diagnóstico" in human.stdout and "✔ Configuración legible" in human.stdout
    data = run_cli("doctor", "--offline", "--json").json
    assert {item["id"] for item in data["items"]} >= {"keyring", "config", "proxy", "dns"}
    assert human.returncode == (0 if data["ok"] else EXIT_DOCTOR_FOUND_PROBLEMS)


# Runs a CLI command with an audit hook that records every network-level socket call.
AUDITED = """
import atexit, json, socket, sys
seen = []
def hook(event, args):
    if event == "socket.connect" and not isinstance(args[1], (str, bytes)):
        seen.append([event, repr(args[1])])  # an IP address, not a local (unix) socket
    elif event in ("socket.getaddrinfo", "socket.gethostbyname", "socket.sendto"):
        seen.append([event, repr(args[:2])])
sys.addaudithook(hook)
atexit.register(lambda: sys.stderr.write("\\nAUDIT " + json.dumps(seen) + "\\n"))
from wizard.launch import main
sys.exit(main(sys.argv[1:]))
"""


def network_calls(cli_env: dict[str, str], *args: str, stdin: str = "") -> tuple[int, str, list]:  # type: ignore[type-arg]
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-c", AUDITED, *args],
        input=stdin, capture_output=True, text=True, env=cli_env, timeout=60, check=False,
    )  # fmt: skip
    audit = [ln for ln in proc.stderr.splitlines() if ln.startswith("AUDIT ")]
    assert audit, proc.stderr
    return proc.returncode, proc.stdout, json.loads(audit[-1][6:])


@pytest.mark.keyring
def test_offline_checks_open_no_network_socket(cli_env: dict[str, str]) -> None:
    """check --offline (with and without a stored profile) and doctor --offline send nothing:
    an audit hook sees every connect and name lookup of the process."""
    store = Store(config_dir=Path(cli_env["ALEGRA_WIZARD_CONFIG_DIR"]))
    store.save(Profile(id="", name="Tienda", email="a@b.co"), CANARY_TOKEN)
    try:
        base = ("check", "--offline", "--json", "--email", "a@b.co", "--token-stdin")
        code, out, calls = network_calls(cli_env, *base, stdin=CANARY_TOKEN)
        assert code == 0 and json.loads(out)["code"] == "format_ok" and calls == []
        code, out, calls = network_calls(
            cli_env, "check", "--offline", "--json", "--profile", "tienda", "--token-stdin",
            stdin=CANARY_TOKEN,
        )  # fmt: skip
        assert json.loads(out)["matches_stored"] is True and calls == []
        code, out, calls = network_calls(
            cli_env, "check", "--offline", "--json", "--profile", "tienda", "--token-stdin",
            stdin="otrotokendistinto123",
        )  # fmt: skip
        assert json.loads(out)["matches_stored"] is False and calls == []
        assert CANARY_TOKEN not in out
        code, out, calls = network_calls(cli_env, "doctor", "--offline", "--json")
        assert json.loads(out)["items"] and calls == []
        # The hook does see a real network check:
        _, _, calls = network_calls(
            cli_env, "doctor", "--json", "--base-url", "http://127.0.0.1:9/x"
        )
        assert calls, "the audit hook must notice network calls"
    finally:  # the session's Secret Service is shared: leave no secret behind
        store.forget("tienda")


@pytest.mark.parametrize(
    ("skipped", "es", "en"),
    [
        (1, "un punto no se revisó (el marcado", "one item was not checked (the one marked"),
        (2, "2 puntos no se revisaron (los marcados", "2 items were not checked (the ones"),
    ],
)
def test_the_verdict_counts_in_words_without_parenthesised_plurals(
    skipped: int, es: str, en: str
) -> None:
    report = Report([Item("keyring", OK, "x")] + [Item("dns", SKIPPED, "-")] * skipped)
    assert es in report.verdict("es") and en in report.verdict("en")
    assert "(s)" not in report.verdict("es") + report.verdict("en")


@pytest.mark.parametrize(
    ("count", "es"), [(0, "ningún perfil"), (1, "1 perfil guardado"), (2, "2 perfiles guardados")]
)
def test_the_config_item_counts_profiles_in_words(tmp_path: Path, count: int, es: str) -> None:
    store = Store(config_dir=tmp_path, backend=MemoryBackend())
    for n in range(count):
        store.save(Profile(id="", name=f"Empresa {n}", email="a@b.co"), CANARY_TOKEN)
    got = items(offline_doctor(store, lang="es").run())
    assert es in got["config"][1]
