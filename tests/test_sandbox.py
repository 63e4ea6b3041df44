"""The embedded fake Alegra: start/stop, scenarios, HTTPS, concurrency, nothing secret kept."""

from __future__ import annotations

import base64
import contextlib
import json
import os
import re
import signal
import socket
import ssl
import struct
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import pytest

from tests.helpers import ROOT
from tests.helpers.waiting import wait_until
from wizard.sandbox import DEMO_TOKEN, SCENARIOS, Sandbox


def get(url: str, email: str, token: str = DEMO_TOKEN, context: ssl.SSLContext | None = None):  # type: ignore[no-untyped-def]
    auth = base64.b64encode(f"{email}:{token}".encode()).decode()
    request = urllib.request.Request(url, headers={"Authorization": f"Basic {auth}"})
    try:
        with urllib.request.urlopen(request, timeout=15, context=context) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def test_starts_fast_and_stop_frees_the_port() -> None:
    start = time.perf_counter()
    box = Sandbox().start()
    assert time.perf_counter() - start < 1.0
    port = int(box.url.split(":")[2].split("/")[0])
    box.stop()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", port))  # free again


@pytest.mark.parametrize(
    ("email", "company", "gated"),
    [
        ("demo@alegra.test", 200, 200),
        ("mx@alegra.test", 200, 200),
        ("basico@alegra.test", 200, 403),
        ("sinpermiso@alegra.test", 403, 403),
        ("suspendida@alegra.test", 402, 402),
        ("limite@alegra.test", 429, 429),
        ("reinicio@alegra.test", 429, 429),
        ("caido@alegra.test", 503, 503),
        ("otro@alegra.test", 401, 401),
    ],
)
def test_scenarios(sandbox, email: str, company: int, gated: int) -> None:  # type: ignore[no-untyped-def]
    status, headers, body = get(f"{sandbox.url}/company", email)
    assert status == company
    assert headers["X-Rate-Limit-Limit"] == "150" and "PHPSESSID" in headers["Set-Cookie"]
    assert get(f"{sandbox.url}/journals?limit=1", email)[0] == gated
    if company == 503:
        assert body.startswith(b"<html>")
    elif company != 200:
        data = json.loads(body)
        error = data.get("error", data)  # either of Alegra's two shapes
        assert error["message"] and str(error["code"])


@pytest.mark.parametrize(
    ("email", "resource", "body"),
    [
        ("otro@alegra.test", "company", {"message": "Error en autenticación", "code": "1001"}),
        ("sinpermiso@alegra.test", "company",
         {"message": "No tienes permiso para realizar esta acción", "code": "1004"}),
        ("limite@alegra.test", "company", {"error": {"message": "Too Many request", "code": 429}}),
        ("demo@alegra.test", "nope",
         {"error": {"message": "El recurso no existe", "code": 404}}),
    ],
)  # fmt: skip
def test_error_bodies_come_in_both_of_alegras_shapes(sandbox, email, resource, body) -> None:  # type: ignore[no-untyped-def]
    assert json.loads(get(f"{sandbox.url}/{resource}", email)[2]) == body


def test_rate_limit_remaining_counts_down_per_account() -> None:
    with Sandbox() as box:
        seen = [get(f"{box.url}/company", "demo@alegra.test")[1] for _ in range(3)]
        other = get(f"{box.url}/users/self", "mx@alegra.test")[1]
        again = get(f"{box.url}/users/self", "demo@alegra.test")[1]
    assert [h["X-Rate-Limit-Remaining"] for h in seen] == ["149", "148", "147"]
    assert other["X-Rate-Limit-Remaining"] == "149"  # its own budget
    assert again["X-Rate-Limit-Remaining"] == "146"  # every path spends the same budget
    assert all(0 < int(h["X-Rate-Limit-Reset"]) <= 60 for h in [*seen, other, again])


def test_one_scenario_sends_a_negative_reset(sandbox) -> None:  # type: ignore[no-untyped-def]
    status, headers, body = get(f"{sandbox.url}/company", "reinicio@alegra.test")
    assert status == 429 and headers["X-Rate-Limit-Reset"] == "-2"
    assert headers["X-Rate-Limit-Remaining"] == "0"
    assert json.loads(body) == {"error": {"message": "Too Many request", "code": 429}}


def test_mexican_account_numeric_ids_and_mexican_address(sandbox) -> None:  # type: ignore[no-untyped-def]
    company = json.loads(get(f"{sandbox.url}/company", "mx@alegra.test")[2])
    assert {"street", "exteriorNumber", "colony", "municipality", "state", "zipCode"} <= set(
        company["address"]
    )
    assert "department" not in company["address"]
    assert isinstance(company["decimalPrecision"], int)
    user = json.loads(get(f"{sandbox.url}/users/self", "mx@alegra.test")[2])
    assert user["id"] == 27
    rows = json.loads(get(f"{sandbox.url}/contacts?limit=1", "mx@alegra.test")[2])
    assert rows[0]["id"] == 1
    colombian = json.loads(get(f"{sandbox.url}/contacts?limit=1", "demo@alegra.test")[2])
    assert colombian[0]["id"] == "1"  # the other accounts: strings, as newer records are


def test_wrong_token_and_users_self(sandbox) -> None:  # type: ignore[no-untyped-def]
    assert get(f"{sandbox.url}/company", "demo@alegra.test", "x" * 20)[0] == 401
    assert get(f"{sandbox.url}/users/self", "sinpermiso@alegra.test")[0] == 200
    assert get(f"{sandbox.url}/nope", "demo@alegra.test")[0] == 404


def test_every_scenario_row_is_tested() -> None:
    assert set(SCENARIOS) == {
        "demo@alegra.test", "mx@alegra.test", "basico@alegra.test", "sinpermiso@alegra.test",
        "suspendida@alegra.test", "limite@alegra.test", "reinicio@alegra.test",
        "caido@alegra.test", "lento@alegra.test",
    }  # fmt: skip


def test_slow_scenario_waits_and_stop_interrupts_it() -> None:
    box = Sandbox(slow_seconds=30).start()
    done = threading.Event()
    url = f"{box.url}/company"

    def slow_request() -> None:
        with contextlib.suppress(OSError):  # the server goes away under it: the point
            get(url, "lento@alegra.test")
        done.set()

    threading.Thread(target=slow_request, daemon=True).start()
    wait_until(lambda: box.requests_seen)  # the request is in, the slow answer pending
    assert not done.is_set()
    start = time.perf_counter()
    box.stop()
    assert time.perf_counter() - start < 2.0


def test_concurrent_requests_and_nothing_secret_recorded(sandbox) -> None:  # type: ignore[no-untyped-def]
    results: list[int] = []
    threads = [
        threading.Thread(target=lambda: results.append(get(f"{sandbox.url}/company",
                                                           "demo@alegra.test")[0]))
        for _ in range(20)
    ]  # fmt: skip
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert results == [200] * 20
    assert DEMO_TOKEN not in repr(sandbox.requests_seen)
    assert ("GET", "/api/v1/company", "demo@alegra.test") in sandbox.requests_seen


def test_https_with_its_ca_file() -> None:
    with Sandbox(https=True) as box:
        assert box.url.startswith("https://") and box.ca_file is not None
        trusted = ssl.create_default_context(cafile=str(box.ca_file))
        assert get(f"{box.url}/company", "demo@alegra.test", context=trusted)[0] == 200
        with pytest.raises(urllib.error.URLError):
            get(f"{box.url}/company", "demo@alegra.test", context=ssl.create_default_context())


@pytest.mark.parametrize(
    ("email", "status", "name", "role"),
    [
        ("demo@alegra.test", 200, ("Ana", "Pérez"), "admin"),
        ("mx@alegra.test", 200, ("Luis", "Hernández"), "admin"),
        ("basico@alegra.test", 200, ("Carlos", "Gómez"), "accountant"),
        ("sinpermiso@alegra.test", 200, ("Marta", "Ruiz"), "seller"),
        ("lento@alegra.test", 200, ("Ana", "Pérez"), "admin"),
        ("suspendida@alegra.test", 402, None, None),
        ("limite@alegra.test", 429, None, None),
        ("caido@alegra.test", 503, None, None),
        ("otro@alegra.test", 401, None, None),
    ],
)
def test_users_self_names_each_accounts_user(  # type: ignore[no-untyped-def]
    sandbox, email: str, status: int, name: tuple[str, str] | None, role: str | None
) -> None:
    if email.startswith("lento"):
        box = Sandbox(slow_seconds=0.1).start()
        url = box.url
    else:
        box, url = None, sandbox.url
    try:
        got, headers, body = get(f"{url}/users/self", email)
    finally:
        if box is not None:
            box.stop()
    assert got == status
    if status == 200:
        user = json.loads(body)
        assert set(user) == {
            "id", "username", "name", "lastName", "email", "role", "status", "language",
            "permissions",
        }  # fmt: skip
        assert ((user["name"], user["lastName"]), user["role"], user["email"]) == (
            name,
            role,
            email,
        )
        assert user["status"] == "active" and isinstance(user["permissions"], dict)
        assert isinstance(user["id"], int if email.startswith("mx") else str)
    if status == 429:
        assert headers["X-Rate-Limit-Remaining"] == "0" and headers["X-Rate-Limit-Reset"] == "30"


def test_stop_does_not_sit_out_the_servers_poll() -> None:
    """Closing the window in test mode (and every GUI test's teardown) stops a sandbox:
    socketserver's default half-second poll made each stop take 0.45 s."""
    box = Sandbox().start()
    get(f"{box.url}/company", "demo@alegra.test")  # it serves, then idles in its poll
    started = time.monotonic()
    box.stop()
    assert time.monotonic() - started < 0.3


def _reset(sock: socket.socket) -> None:
    """Close with a TCP reset, as a cancelled check or a killed program does."""
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


def _request(email: str) -> bytes:
    auth = base64.b64encode(f"{email}:{DEMO_TOKEN}".encode()).decode()
    return (
        f"GET /api/v1/company HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Basic {auth}\r\n\r\n"
    ).encode()


def test_a_client_that_goes_away_mid_answer_leaves_no_traceback(capfd) -> None:  # type: ignore[no-untyped-def]
    box = Sandbox(slow_seconds=0.3).start()
    try:
        port = int(box.url.split(":")[2].split("/")[0])
        for payload in (_request("lento@alegra.test"), b"GET /api/v1/company HTTP/1.1\r\nHo"):
            sock = socket.create_connection(("127.0.0.1", port), timeout=5)
            sock.sendall(payload)
            wait_until(lambda: len(box.requests_seen) >= 1)
            _reset(sock)  # before the slow answer is written / mid-request
        time.sleep(0.6)  # the slow answer's write, into the reset connection
        assert get(f"{box.url}/company", "demo@alegra.test")[0] == 200  # still serving
    finally:
        box.stop()
    err = capfd.readouterr().err
    assert "Traceback" not in err and "ConnectionResetError" not in err, err
    assert "BrokenPipeError" not in err, err


def test_the_sandbox_command_prints_no_traceback_when_clients_go_away() -> None:
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    child = subprocess.Popen(
        [sys.executable, "-m", "wizard", "sandbox", "--lang", "en"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT,
    )  # fmt: skip
    try:
        assert child.stdout is not None
        url = re.search(r"http://\S+/api/v1", child.stdout.readline())
        assert url, "the sandbox did not say where it runs"
        port = int(url.group(0).split(":")[2].split("/")[0])
        for payload in (_request("demo@alegra.test"), b"GET /api/v1/company HTTP/1.1\r\nHo", b""):
            sock = socket.create_connection(("127.0.0.1", port), timeout=5)
            if payload:
                sock.sendall(payload)
            _reset(sock)
        assert get(url.group(0) + "/company", "demo@alegra.test")[0] == 200
    finally:
        child.send_signal(signal.SIGTERM)
        _, err = child.communicate(timeout=15)
    assert child.returncode == 0, err
    assert "Traceback" not in err and "Error" not in err, err
