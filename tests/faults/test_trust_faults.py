"""Trust in the environments users really have (issue 15: items 1, 3, 4, 10, 12): a
`~/.netrc`, an office proxy in HTTP_PROXY, a `localhost` that /etc/hosts maps elsewhere,
odd base URLs and timeouts. Each case reads what the test server (or proxy) received: the
Authorization header on the wire must be exactly ours, or none, and nothing may be sent
where the rules say nothing goes. In-process, through the CLI subprocess, and the doctor.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import sys
import textwrap
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.helpers import CANARY_TOKEN, ROOT
from tests.helpers.faultserver import (
    EMAIL,
    Behaviour,
    Conn,
    FaultServer,
    ServerFactory,
    http_response,
)
from wizard import transport
from wizard.check import check_connection
from wizard.doctor import Doctor
from wizard.outcomes import EXIT_CODES, Code
from wizard.probe import ERROR, probe_permissions

COMPANY = b'{"name": "Ferreteria Sur", "identification": "900"}'
JSON = {"Content-Type": "application/json"}
NETRC_LOGIN, NETRC_PASSWORD = "dueno@empresa.co", "netrcsecret0000000000"
NETRC_HEADER = "Basic " + base64.b64encode(f"{NETRC_LOGIN}:{NETRC_PASSWORD}".encode()).decode()
OURS = transport.basic_header(EMAIL, CANARY_TOKEN)
PROXY_VARS = ("HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy")
ENV_VARS = (
    "HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy",
    "NO_PROXY", "no_proxy", "NETRC",
)  # fmt: skip


def netrc_gate() -> Behaviour:
    """200 with a company only for the netrc's credentials; 401 for anything else. A client
    that lets the netrc replace its header is told `connected`."""

    def behaviour(conn: Conn) -> None:
        auth = conn.request.headers.get("authorization") if conn.request else None
        if auth == NETRC_HEADER:
            conn.send(http_response(200, COMPANY, JSON))
        else:
            conn.send(http_response(401, b'{"code": 401}', JSON))

    return behaviour


def forged_ok() -> Behaviour:
    """A proxy (or a host that should never be reached) that forges `connected`."""

    def behaviour(conn: Conn) -> None:
        conn.send(http_response(200, COMPANY, JSON))

    return behaviour


def auth_headers(server: FaultServer) -> list[str | None]:
    return [r.headers.get("authorization") for r in server.requests]


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No inherited proxies or netrc; HOME a fresh folder (returned)."""
    for var in ENV_VARS:
        monkeypatch.delenv(var, raising=False)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    return home


def write_netrc(path: Path, host: str | None) -> Path:
    entry = f"machine {host}" if host else "default"
    path.write_text(f"{entry} login {NETRC_LOGIN} password {NETRC_PASSWORD}\n")
    path.chmod(0o600)
    return path


NETRC_KINDS = ("home", "env", "default")


def install_netrc(kind: str, home: Path, host: str, setenv: Callable[[str, str], None]) -> None:
    """~/.netrc with a machine entry, $NETRC pointing elsewhere, or a `default` entry."""
    if kind == "home":
        write_netrc(home / ".netrc", host)
    elif kind == "env":
        setenv("NETRC", str(write_netrc(home / "elsewhere.netrc", host)))
    else:
        write_netrc(home / ".netrc", None)


# --- 1. a netrc never replaces our credentials ---------------------------------------------
@pytest.mark.parametrize("kind", NETRC_KINDS)
def test_netrc_does_not_replace_the_checked_credentials(
    fault_server: ServerFactory, clean_env: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    server = fault_server(netrc_gate())
    install_netrc(kind, clean_env, "127.0.0.1", monkeypatch.setenv)
    result = check_connection(EMAIL, CANARY_TOKEN, server.url, timeout=5)
    assert result.code is Code.UNAUTHORIZED, result
    assert auth_headers(server) == [OURS]


@pytest.mark.parametrize("kind", NETRC_KINDS)
def test_netrc_does_not_reach_the_probe(
    fault_server: ServerFactory, clean_env: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    server = fault_server(forged_ok())
    install_netrc(kind, clean_env, "127.0.0.1", monkeypatch.setenv)
    probe = probe_permissions(EMAIL, CANARY_TOKEN, server.url, timeout=5, pace_s=0)
    assert probe.rows and len(server.requests) >= 7
    assert set(auth_headers(server)) == {OURS}


@pytest.mark.parametrize("kind", NETRC_KINDS)
def test_doctor_sends_no_credentials_whatever_the_netrc(
    fault_server: ServerFactory,
    clean_env: Path,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    kind: str,
) -> None:
    from tests.helpers.keyrings import MemoryBackend
    from wizard.store import Store

    server = fault_server(forged_ok())
    install_netrc(kind, clean_env, "127.0.0.1", monkeypatch.setenv)
    store = Store(config_dir=tmp_path / "config", backend=MemoryBackend())
    Doctor(base_url=server.url, store=store, timeout=3).run()
    assert server.requests, "the clock item asks the server for its Date"
    assert auth_headers(server) == [None] * len(server.requests)


def _cli_env(home: Path, **extra: str) -> dict[str, str]:
    env = {var: "" for var in ENV_VARS}
    env.pop("NETRC")
    env.update(HOME=str(home), **extra)
    return env


@pytest.mark.parametrize("kind", NETRC_KINDS)
def test_cli_check_and_probe_send_exactly_our_header(
    fault_server: ServerFactory, run_cli, tmp_path: Path, kind: str
) -> None:  # type: ignore[no-untyped-def]
    home = tmp_path / "home"
    home.mkdir()
    env = _cli_env(home)
    server = fault_server(netrc_gate())
    install_netrc(kind, home, "127.0.0.1", env.__setitem__)
    args = ["check", "--email", "nobody@x.co", "--token-stdin", "--json", "--base-url"]
    got = run_cli(*args, server.url, stdin="wrongtoken0000000000\n", env=env)
    assert got.returncode == EXIT_CODES[Code.UNAUTHORIZED], got
    assert got.json["code"] == "unauthorized"
    wrong = transport.basic_header("nobody@x.co", "wrongtoken0000000000")
    assert auth_headers(server) == [wrong]

    # --probe against a server that says yes to everything: every request carries ours.
    yes = fault_server(forged_ok())
    install_netrc(kind, home, "127.0.0.1", env.__setitem__)
    args = ["check", "--email", EMAIL, "--token-stdin", "--json", "--probe", "--base-url"]
    got = run_cli(*args, yes.url, stdin=CANARY_TOKEN + "\n", env=env)
    assert got.returncode == 0, got
    assert len(yes.requests) >= 8 and set(auth_headers(yes)) == {OURS}


def test_cli_doctor_sends_no_credentials_with_a_netrc(
    fault_server: ServerFactory, run_cli, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    home = tmp_path / "home"
    home.mkdir()
    write_netrc(home / ".netrc", None)
    server = fault_server(forged_ok())
    got = run_cli("doctor", "--json", "--base-url", server.url, env=_cli_env(home))
    assert got.returncode in (0, 18), got
    assert server.requests and auth_headers(server) == [None] * len(server.requests)


# --- 3. plain http to loopback never goes through a proxy ----------------------------------
@pytest.mark.parametrize("var", PROXY_VARS)
@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_loopback_http_is_never_proxied(
    fault_server: ServerFactory,
    clean_env: Path,
    monkeypatch: pytest.MonkeyPatch,
    var: str,
    host: str,
) -> None:
    proxy = fault_server(forged_ok())
    target = fault_server(lambda c: c.send(http_response(401, b"{}", JSON)))
    monkeypatch.setenv(var, proxy.origin)
    url = f"http://{host}:{target.port}/api/v1"
    result = check_connection(EMAIL, CANARY_TOKEN, url, timeout=5)
    assert result.code is Code.UNAUTHORIZED, result  # the target's answer, not the proxy's
    assert proxy.requests == [] and proxy.connections == 0
    assert auth_headers(target) == [OURS]
    probe = probe_permissions(EMAIL, CANARY_TOKEN, url, timeout=5, pace_s=0)
    assert probe.rows and proxy.connections == 0


def test_cli_loopback_http_is_never_proxied(
    fault_server: ServerFactory, run_cli, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    proxy = fault_server(forged_ok())
    target = fault_server(lambda c: c.send(http_response(401, b"{}", JSON)))
    env = _cli_env(tmp_path, **{var: proxy.origin for var in PROXY_VARS})
    args = ["check", "--email", EMAIL, "--token-stdin", "--json", "--base-url", target.url]
    got = run_cli(*args, stdin=CANARY_TOKEN + "\n", env=env)
    assert got.returncode == EXIT_CODES[Code.UNAUTHORIZED], got
    assert proxy.connections == 0 and auth_headers(target) == [OURS]


def test_https_still_goes_through_the_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """The proxy rules for https are the environment's (the proxy_error cases prove it
    end to end); NO_PROXY still wins."""
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.oficina:3128")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    assert transport.proxies_for("https://api.alegra.com/api/v1/company")["https"] == (
        "http://proxy.oficina:3128"
    )
    monkeypatch.setenv("NO_PROXY", "api.alegra.com")
    assert transport.proxies_for("https://api.alegra.com/api/v1/company") == {}
    monkeypatch.setenv("HTTP_PROXY", "http://proxy.oficina:3128")
    assert transport.proxies_for("http://127.0.0.1:9/api/v1/company") == {}


# --- 10. base URLs that would send something else than what the user sees -----------------
BAD_URLS = [
    "http://127.0.0.1:abc/api/v1",
    "http://127.0.0.1:99999/api/v1",
    "http://127.0.0.1:-1/api/v1",
    "http://127.0.0.1:0/api/v1",
    "http://127.0.0.1:/api/v1",
    "http://user:pw@127.0.0.1:{port}/api/v1",
    "http://user@127.0.0.1:{port}/api/v1",
    "http://@127.0.0.1:{port}/api/v1",
    "http://127.0.0.1:{port}/api/v1?x=1",
    "http://127.0.0.1:{port}/api/v1?",
    "http://127.0.0.1:{port}/api/v1#frag",
    "http://127.0.0.1:{port}/api/v1#",
    "http://127.0.0.1:{port}/api /v1",
    "http://127.0.0.1:{port}/api/v1\r\nX-Evil: 1",
]


@pytest.mark.parametrize("url", BAD_URLS)
def test_a_bad_base_url_is_invalid_input_and_nothing_is_sent(
    fault_server: ServerFactory, clean_env: Path, url: str
) -> None:
    server = fault_server(forged_ok())
    url = url.format(port=server.port)
    assert transport.validate_base_url(url) == "bad_url"
    result = check_connection(EMAIL, CANARY_TOKEN, url, timeout=3)
    assert result.code is Code.INVALID_INPUT, result
    probe = probe_permissions(EMAIL, CANARY_TOKEN, url, timeout=3, pace_s=0)
    assert {row.status for row in probe.rows} == {ERROR}
    assert server.connections == 0


@pytest.mark.parametrize("url", [BAD_URLS[1], BAD_URLS[8], BAD_URLS[10], BAD_URLS[5]])
def test_cli_a_bad_base_url_is_exit_3(fault_server: ServerFactory, run_cli, tmp_path, url) -> None:  # type: ignore[no-untyped-def]
    server = fault_server(forged_ok())
    url = url.format(port=server.port)
    args = ["check", "--email", EMAIL, "--token-stdin", "--json", "--base-url", url]
    got = run_cli(*args, stdin=CANARY_TOKEN + "\n", env=_cli_env(tmp_path))
    assert got.returncode == EXIT_CODES[Code.INVALID_INPUT], got
    assert got.json["code"] == "invalid_input"
    assert server.connections == 0


def test_good_base_urls_still_pass() -> None:
    for url in (
        "https://api.alegra.com/api/v1",
        "https://api.alegra.com:443/api/v1/",
        "http://127.0.0.1:8080/api/v1",
        "http://[::1]:8080/api/v1",
        "http://localhost:8080/api/v1",
    ):
        assert transport.validate_base_url(url) is None, url
    assert transport.validate_base_url("http://example.com/api/v1") == "insecure_url"
    assert transport.validate_base_url("http://localhost.evil.com/api/v1") == "insecure_url"


# --- 12. timeouts that would overflow a timer or a socket ---------------------------------
BAD_TIMEOUTS = [float("inf"), 1e300, float("nan"), -1.0, 0.0, 601.0, float("-inf")]


@pytest.mark.parametrize("timeout", BAD_TIMEOUTS)
def test_a_bad_timeout_never_crashes_a_thread(
    fault_server: ServerFactory, clean_env: Path, monkeypatch: pytest.MonkeyPatch, timeout: float
) -> None:
    crashed: list[BaseException | None] = []
    monkeypatch.setattr(threading, "excepthook", lambda args: crashed.append(args.exc_value))
    server = fault_server(forged_ok())
    assert transport.validate_timeout(timeout) == "bad_timeout"
    result = check_connection(EMAIL, CANARY_TOKEN, server.url, timeout=timeout)
    assert result.code is Code.INVALID_INPUT and result.detail == "timeout out of range"
    probe = probe_permissions(EMAIL, CANARY_TOKEN, server.url, timeout=timeout, pace_s=0)
    assert {row.status for row in probe.rows} == {ERROR}
    with pytest.raises(ValueError, match="timeout"):
        Doctor(base_url=server.url, store=None, timeout=timeout)
    assert crashed == [] and server.connections == 0


def test_timeout_range_edges() -> None:
    assert transport.validate_timeout(0.001) is None
    assert transport.validate_timeout(transport.MAX_TIMEOUT_S) is None
    assert transport.validate_timeout(20) is None
    assert transport.validate_timeout(True) == "bad_timeout"
    assert transport.validate_timeout("5") == "bad_timeout"


# --- 4. `localhost` is trusted only when every address it resolves to is loopback ----------
# Inside a private network + mount namespace: /etc/hosts is a file of ours, bind-mounted,
# and 192.0.2.1 (TEST-NET-1) an address of the namespace's own loopback device, so "a
# non-loopback address" is a real server that records what reached it. Nothing leaves
# the machine.
NS_SCRIPT = textwrap.dedent(
    r"""
    import fcntl, json, os, socket, struct, subprocess, sys, threading
    sys.path.insert(0, sys.argv[1])
    from tests.helpers.faultserver import FaultServer, http_response

    def up_with_alias():
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        flags = struct.unpack("16sh", fcntl.ioctl(s, 0x8913, struct.pack("16sh", b"lo", 0)))[1]
        fcntl.ioctl(s, 0x8914, struct.pack("16sh", b"lo", flags | 1))  # SIOCSIFFLAGS: up
        addr = socket.inet_aton("192.0.2.1")
        ifr = struct.pack("16sH2s4s8s", b"lo:1", socket.AF_INET, b"\0\0", addr, b"\0" * 8)
        fcntl.ioctl(s, 0x8916, ifr)  # SIOCSIFADDR: 192.0.2.1 on lo:1, not a loopback address

    up_with_alias()
    seen = []
    def behaviour(conn):
        seen.append([conn.sock.getsockname()[0], conn.request.headers.get("authorization")])
        conn.send(http_response(401, b"{}", {"Content-Type": "application/json"}))
    server = FaultServer(behaviour, host="0.0.0.0")
    url = f"http://localhost:{server.port}/api/v1"
    mode = sys.argv[2]
    if mode == "cli":
        proc = subprocess.run(
            [sys.executable, "-m", "wizard", "check", "--email", "ana@empresa.co",
             "--token-stdin", "--json", "--timeout", "5", "--base-url", url],
            input=os.environ["TRUST_TOKEN"] + "\n", capture_output=True, text=True,
            cwd=sys.argv[1],
        )
        out = {"exit": proc.returncode, "stdout": proc.stdout, "stderr": proc.stderr[-500:]}
    else:  # "rebind": the first lookup says loopback, every later one says otherwise
        real = socket.getaddrinfo
        calls = []
        def rebinding(host, *args, **kw):
            if host == "localhost":
                calls.append(host)
                host = "127.0.0.1" if len(calls) == 1 else "192.0.2.1"
            return real(host, *args, **kw)
        socket.getaddrinfo = rebinding
        from wizard.check import check_connection
        result = check_connection("ana@empresa.co", os.environ["TRUST_TOKEN"], url, timeout=5)
        out = {"code": result.code.value, "lookups": len(calls)}
    server.close()
    out["seen"] = seen
    print(json.dumps(out))
    """
)


def in_namespace(tmp_path: Path, hosts: str, mode: str) -> dict:  # type: ignore[type-arg]
    unshare = shutil.which("unshare")
    if unshare is None or subprocess.run([unshare, "-nm", "true"], check=False).returncode:
        if os.environ.get("CI"):
            pytest.fail("unshare -nm is needed for the /etc/hosts tests in CI")
        pytest.skip("unshare -nm (private network and mount namespaces) is not available")
    hosts_file = tmp_path / "hosts"
    hosts_file.write_text(hosts)
    script = tmp_path / "ns.py"
    script.write_text(NS_SCRIPT)
    env = {k: v for k, v in os.environ.items() if k not in ENV_VARS and not k.startswith("ALEGRA")}
    env["ALEGRA_WIZARD_CONFIG_DIR"] = str(tmp_path / "config")
    env["TRUST_TOKEN"] = CANARY_TOKEN  # not in the script file: the canary scan reads /tmp
    shell = f'mount --bind "{hosts_file}" /etc/hosts && exec "$@"'
    proc = subprocess.run(
        [unshare, "-nm", "sh", "-c", shell, "sh", sys.executable, str(script), str(ROOT), mode],
        capture_output=True, text=True, timeout=90, env=env, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    "hosts",
    ["192.0.2.1 localhost\n", "192.0.2.1 localhost\n127.0.0.1 localhost\n",
     "127.0.0.1 localhost\n192.0.2.1 localhost\n"],
)  # fmt: skip
def test_localhost_mapped_elsewhere_is_refused_before_connecting(
    tmp_path: Path, hosts: str
) -> None:
    out = in_namespace(tmp_path, hosts, "cli")
    assert out["exit"] == EXIT_CODES[Code.INVALID_INPUT], out
    assert json.loads(out["stdout"])["code"] == "invalid_input"
    assert out["seen"] == [], "nothing may reach any address"


def test_localhost_that_is_loopback_still_works(tmp_path: Path) -> None:
    """::1 first (no server listens there), then 127.0.0.1: each checked address in turn."""
    out = in_namespace(tmp_path, "::1 localhost\n127.0.0.1 localhost\n", "cli")
    assert out["exit"] == EXIT_CODES[Code.UNAUTHORIZED], out
    assert out["seen"] == [["127.0.0.1", OURS]]


def test_localhost_is_resolved_once_and_connected_to_the_checked_address(
    tmp_path: Path,
) -> None:
    out = in_namespace(tmp_path, "127.0.0.1 localhost\n", "rebind")
    assert out["code"] == "unauthorized", out
    assert out["lookups"] == 1
    assert out["seen"] == [["127.0.0.1", OURS]]


@pytest.mark.parametrize("kind", NETRC_KINDS)
def test_gui_check_sends_exactly_our_header_whatever_the_netrc(
    make_wizard,
    qtbot,
    fault_server: ServerFactory,
    clean_env: Path,
    monkeypatch: pytest.MonkeyPatch,
    kind: str,
) -> None:  # type: ignore[no-untyped-def]
    """The window's own check (no check= override: the function the GUI really uses) with
    a netrc in HOME that the server would accept: the wrong token must stay unauthorized,
    never become a verified connection the save page could store."""
    from PySide6.QtWidgets import QWizard

    from tests.helpers.gui import fill
    from wizard import hints

    server = fault_server(netrc_gate())
    install_netrc(kind, clean_env, "127.0.0.1", monkeypatch.setenv)
    wizard = make_wizard("--base-url", server.url, "--lang", "es")
    fill(wizard, EMAIL, CANARY_TOKEN)
    wizard.next()
    qtbot.waitUntil(lambda: wizard.ctx.result is not None, timeout=10_000)
    assert wizard.ctx.result.code == Code.UNAUTHORIZED
    assert wizard.test.statusLabel.text() == hints.hint_for(Code.UNAUTHORIZED, "es").title
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    assert auth_headers(server) == [OURS]
