"""A representative subset of the fault matrix end to end through the CLI, as a subprocess
(`python -m wizard check`), in JSON and in human mode: exit code, outcome code, the hint
the user reads, the time bound (process start included), and no token anywhere."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
import trustme

from tests.helpers import CANARY_TOKEN
from tests.helpers.faultserver import (
    COMPANY,
    HTML,
    HTML_ERROR,
    ISSUER,
    JSON,
    PORTAL,
    Behaviour,
    ServerFactory,
    closed_port,
    drip,
    flood,
    ipv6_loopback,
    reset_before,
    respond,
    silence,
)
from tests.helpers.faultserver import tls_context as make_tls
from wizard import hints, present
from wizard.outcomes import EXIT_CODES, Code

T = 1.0
BOUND = T + 1.0
# Every case holds a CLI process, start-up included, to the 1 s deadline + 1 s: a deadline
# test that needs a CPU to itself, so `make test-fast` (parallel workers) leaves it out.
pytestmark = pytest.mark.slow
# No inherited proxies or CA bundles: each case sets exactly what it tests.
CLEAN_ENV = {
    var: ""
    for var in (
        "HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy",
        "NO_PROXY", "no_proxy", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE",
        "SSL_CERT_DIR",
    )
}  # fmt: skip


def run_check(
    run_cli, url: str, *, email: str = "ana@empresa.co", json: bool, lang: str = "es", env=None
):  # type: ignore[no-untyped-def]
    args = ["check", "--base-url", url, "--email", email, "--token-stdin", "--timeout", str(T)]
    args += ["--lang", lang] + (["--json"] if json else [])
    start = time.monotonic()
    result = run_cli(*args, stdin=CANARY_TOKEN + "\n", env={**CLEAN_ENV, **(env or {})})
    return result, time.monotonic() - start


Setup = Callable[[ServerFactory, Path], tuple[str, dict[str, str]]]


def served(behaviour: Callable[[], Behaviour], host: str = "127.0.0.1") -> Setup:
    def setup(fault_server: ServerFactory, tmp_path: Path) -> tuple[str, dict[str, str]]:
        return fault_server(behaviour(), host=host).url, {}

    return setup


def refused(fault_server: ServerFactory, tmp_path: Path) -> tuple[str, dict[str, str]]:
    return f"http://127.0.0.1:{closed_port()}/api/v1", {}


def untrusted_tls(fault_server: ServerFactory, tmp_path: Path) -> tuple[str, dict[str, str]]:
    server = fault_server(
        respond(200, COMPANY, JSON), tls=make_tls(trustme.CA(organization_name=ISSUER))
    )
    return server.url, {}


def proxy_407(fault_server: ServerFactory, tmp_path: Path) -> tuple[str, dict[str, str]]:
    proxy = fault_server(respond(407, b"", {"Proxy-Authenticate": "Basic"}))
    env = {"HTTPS_PROXY": proxy.origin, "https_proxy": proxy.origin}
    return f"https://127.0.0.1:{closed_port()}/api/v1", env


def proxy_down(fault_server: ServerFactory, tmp_path: Path) -> tuple[str, dict[str, str]]:
    dead = f"http://127.0.0.1:{closed_port()}"
    return f"https://127.0.0.1:{closed_port()}/api/v1", {"HTTPS_PROXY": dead, "https_proxy": dead}


def redirect_away(fault_server: ServerFactory, tmp_path: Path) -> tuple[str, dict[str, str]]:
    target = fault_server(respond(200, COMPANY, JSON))
    first = fault_server(respond(302, b"", {"Location": f"{target.url}/company"}))
    return first.url, {}


CASES: dict[str, tuple[Setup, Code]] = {
    "refused": (refused, Code.CONNECTION_FAILED),
    "reset": (served(reset_before), Code.CONNECTION_FAILED),
    "silence": (served(silence), Code.TIMEOUT),
    "drip_headers": (served(lambda: drip(b"HTTP/1.1 200 OK\r\nX-Slow: ", b"a")), Code.TIMEOUT),
    "captive_portal": (served(lambda: respond(200, PORTAL, HTML)), Code.UNEXPECTED_RESPONSE),
    "50_mb_body": (served(lambda: flood(50 * 1024 * 1024)), Code.UNEXPECTED_RESPONSE),
    "401_html": (served(lambda: respond(401, HTML_ERROR, HTML)), Code.UNAUTHORIZED),
    "402_empty": (served(lambda: respond(402)), Code.PAYMENT_REQUIRED),
    "429_reset_-2": (
        served(lambda: respond(429, b"", {"X-Rate-Limit-Reset": "-2"})),
        Code.RATE_LIMITED,
    ),
    "503_html": (served(lambda: respond(503, HTML_ERROR, HTML)), Code.SERVER_ERROR),
    "302_other_host": (redirect_away, Code.UNEXPECTED_RESPONSE),
    "tls_untrusted": (untrusted_tls, Code.TLS_ERROR),
    "proxy_407": (proxy_407, Code.PROXY_ERROR),
    "proxy_down": (proxy_down, Code.PROXY_ERROR),
}
if ipv6_loopback():
    CASES["ipv6_only_401"] = (
        served(lambda: respond(401, b"", JSON), host="::1"),
        Code.UNAUTHORIZED,
    )


def expected_hint(
    code: Code,
    lang: str,
    data: dict | None = None,  # type: ignore[type-arg]
    url: str | None = None,
) -> hints.Hint:
    """The hint the check shows: it names the server checked (`url`'s host)."""
    rate = (data or {}).get("rate_limit") or {}
    return hints.hint_for(
        code,
        lang,
        seconds=rate.get("reset_s"),
        issuer=ISSUER if code is Code.TLS_ERROR else None,
        host=present.host_of(url),
    )


@pytest.mark.parametrize("name", list(CASES))
def test_cli_json(fault_server: ServerFactory, run_cli, tmp_path: Path, name: str) -> None:  # type: ignore[no-untyped-def]
    setup, code = CASES[name]
    url, env = setup(fault_server, tmp_path)
    result, elapsed = run_check(run_cli, url, json=True, env=env)
    assert result.returncode == EXIT_CODES[code], (result.stdout, result.stderr)
    data = result.json
    assert data["code"] == code.value and data["ok"] is False
    assert data["hint"]["title"] == expected_hint(code, "es", data, url).title
    assert data["hint"]["steps"] == expected_hint(code, "es", data, url).steps
    assert elapsed <= BOUND, f"{elapsed:.2f} s"
    assert data["elapsed_ms"] <= BOUND * 1000
    assert CANARY_TOKEN not in result.stdout + result.stderr
    if name == "429_reset_-2":
        assert data["rate_limit"]["reset_s"] == 1  # a sane wait, never the raw -2


HUMAN = ["refused", "silence", "captive_portal", "503_html", "tls_untrusted", "proxy_407"]


@pytest.mark.parametrize("name", HUMAN)
@pytest.mark.parametrize("lang", ["es", "en"])
def test_cli_human(
    fault_server: ServerFactory, run_cli, tmp_path: Path, name: str, lang: str
) -> None:  # type: ignore[no-untyped-def]
    setup, code = CASES[name]
    url, env = setup(fault_server, tmp_path)
    result, elapsed = run_check(run_cli, url, json=False, lang=lang, env=env)
    assert result.returncode == EXIT_CODES[code], (result.stdout, result.stderr)
    hint = expected_hint(code, lang, url=url)
    assert hint.title in result.stdout and hint.steps[0] in result.stdout
    assert code.value not in result.stdout  # sentences, not codes
    assert elapsed <= BOUND, f"{elapsed:.2f} s"
    assert CANARY_TOKEN not in result.stdout + result.stderr
    assert "Traceback" not in result.stderr


def test_cli_non_latin1_email(fault_server: ServerFactory, run_cli) -> None:  # type: ignore[no-untyped-def]
    import base64

    server = fault_server(respond(401, b'{"code": 401}', JSON))
    email = "łukasz@empresa.pl"
    result, elapsed = run_check(run_cli, server.url, email=email, json=True)
    assert result.returncode == EXIT_CODES[Code.UNAUTHORIZED], result.stderr
    assert result.json["email"] == email and result.json["code"] == "unauthorized"
    sent = server.requests[0].headers["authorization"]
    assert sent == "Basic " + base64.b64encode(f"{email}:{CANARY_TOKEN}".encode()).decode()
    assert elapsed <= BOUND
