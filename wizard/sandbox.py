"""An embedded fake Alegra API ("sandbox"): same paths and answer shapes, on 127.0.0.1.

Stdlib only. The email picks the scenario (one row of SCENARIOS each); every
account's token is DEMO_TOKEN. The server never records or logs a token or an
Authorization header.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import math
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

log = logging.getLogger(__name__)

DEMO_TOKEN = "0123456789abcdef0123"  # noqa: S105 (the public demo token)
API_PREFIX = "/api/v1"

COMPANY_CO: dict[str, Any] = {
    "name": "Panadería La Espiga S.A.S.",
    "identification": "900123456-7",
    "identificationObject": {"type": "NIT", "number": "900123456-7"},
    "applicationVersion": "colombia",
    "regime": "RESPONSABLE_DE_IVA",
    "currency": {"code": "COP", "symbol": "$"},
    "decimalPrecision": "2",
    "multicurrency": False,
    "timezone": "America/Bogota",
    "email": "demo@alegra.test",
    "address": {"city": "Bogotá", "address": "Calle 10 # 5-20"},
}
COMPANY_MX: dict[str, Any] = {
    "name": "Tacos El Güero S.A. de C.V.",
    "identification": "TEG010101AB1",
    "identificationObject": {"type": "RFC", "number": "TEG010101AB1"},
    "applicationVersion": "mexico",
    "regime": "GENERAL_REGIME_OF_MORAL_PEOPLE_LAW",
    "currency": {"code": "MXN", "symbol": "$"},
    "decimalPrecision": 2,
    "timezone": "America/Mexico_City",
    # Mexico's address keys (colonia, municipio, número exterior), not Colombia's.
    "address": {
        "street": "Av. Insurgentes Sur",
        "exteriorNumber": "1602",
        "interiorNumber": "4",
        "colony": "Crédito Constructor",
        "municipality": "Benito Juárez",
        "locality": "Ciudad de México",
        "state": "Ciudad de México",
        "country": "MEX",
        "zipCode": "03940",
    },
}

GATED = frozenset({"/journals", "/bank-accounts"})
RESOURCES = frozenset(
    {"/contacts", "/invoices", "/bills", "/items", "/taxes", "/categories", "/cost-centers"} | GATED
)

# Alegra's rate limit: this many requests per window, per user (X-Rate-Limit-* headers).
RATE_LIMIT = 150
RATE_WINDOW_S = 60


def alegra_user(
    user_id: int | str, first: str, last: str, role: str, **permissions: bool
) -> dict[str, Any]:
    """A /users/self answer in Alegra's shape (the email is filled in per request)."""
    return {
        "id": user_id,
        "username": f"{first}.{last}".lower(),
        "name": first,
        "lastName": last,
        "role": role,
        "status": "active",
        "language": "es",
        "permissions": {"company": {"retrieve-info": permissions.get("company", True)}},
    }


# Who each account's token belongs to. "admin" is the one role code seen from Alegra; the
# others are codes of this sandbox (the app shows a role only when it knows its words).
ANA = alegra_user("1", "Ana", "Pérez", "admin")


@dataclass(frozen=True)
class Scenario:
    company_status: int = 200
    company: dict[str, Any] | None = None
    gated_status: int = 200
    users_self_status: int = 200
    user: dict[str, Any] = field(
        default_factory=lambda: alegra_user("9", "Usuario", "Demo", "user")
    )
    delay: bool = False
    html_error: bool = False
    reset_s: int | None = None  # the 429's X-Rate-Limit-Reset; None: the sandbox's setting
    numeric_ids: bool = False  # ids as numbers (Alegra answers either, per endpoint)


SCENARIOS: dict[str, Scenario] = {
    "demo@alegra.test": Scenario(company=COMPANY_CO, user=ANA),
    "mx@alegra.test": Scenario(
        company=COMPANY_MX, user=alegra_user(27, "Luis", "Hernández", "admin"), numeric_ids=True
    ),
    "basico@alegra.test": Scenario(
        company=COMPANY_CO, gated_status=403, user=alegra_user("3", "Carlos", "Gómez", "accountant")
    ),
    # 403 on /company, 200 on /users/self: right credentials, no permission to read company.
    "sinpermiso@alegra.test": Scenario(
        company_status=403, user=alegra_user("4", "Marta", "Ruiz", "seller", company=False)
    ),
    "suspendida@alegra.test": Scenario(company_status=402, users_self_status=402),
    "limite@alegra.test": Scenario(company_status=429, users_self_status=429),
    # Alegra has been seen sending a negative reset with a 429.
    "reinicio@alegra.test": Scenario(company_status=429, users_self_status=429, reset_s=-2),
    "caido@alegra.test": Scenario(company_status=503, html_error=True, users_self_status=503),
    "lento@alegra.test": Scenario(company=COMPANY_CO, delay=True, user=ANA),
}

# Error bodies, per status, in Alegra's two shapes: flat {"message", "code"} (a public
# client's tests use a string code such as "1001") or nested {"error": {...}}. 429's text is
# English, as Alegra's is.
ERRORS: dict[int, dict[str, Any]] = {
    401: {"message": "Error en autenticación", "code": "1001"},
    402: {"error": {"message": "La suscripción de la empresa está suspendida.", "code": 402}},
    403: {"message": "No tienes permiso para realizar esta acción", "code": "1004"},
    404: {"error": {"message": "El recurso no existe", "code": 404}},
    405: {"message": "Método no permitido", "code": "405"},
    429: {"error": {"message": "Too Many request", "code": 429}},
}


class SandboxError(RuntimeError):
    """The sandbox could not start (e.g. no openssl to make an HTTPS certificate)."""


def _scenario_key(email: str) -> str:
    local, _, domain = email.partition("@")
    return f"{local}@{domain.lower()}"


def _parse_auth(header: str | None) -> tuple[str, str] | None:
    if not header or not header.lower().startswith("basic "):
        return None
    try:
        decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    email, sep, token = decoded.partition(":")
    return (email, token) if sep else None


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("sandbox %s %s", self.command, urlsplit(self.path).path)

    def _send(
        self, status: int, body: Any, *, html: bool = False, budget: tuple[int, int] | None = None
    ) -> None:
        """One answer with Alegra's headers; `budget` is (remaining, reset seconds)."""
        if html:
            payload = b"<html><body><h1>503 Service Unavailable</h1></body></html>"
            ctype = "text/html; charset=utf-8"
        else:
            payload = json.dumps(body, ensure_ascii=False).encode()
            ctype = "application/json; charset=utf-8"
        remaining, reset = budget if budget is not None else (RATE_LIMIT, RATE_WINDOW_S)
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("X-Rate-Limit-Limit", str(RATE_LIMIT))
        self.send_header("X-Rate-Limit-Remaining", str(remaining))
        self.send_header("X-Rate-Limit-Reset", str(reset))
        self.send_header("Set-Cookie", "PHPSESSID=sandbox; path=/; HttpOnly")
        self.end_headers()
        self.wfile.write(payload)

    def _error(self, status: int, budget: tuple[int, int] | None = None) -> None:
        body = ERRORS.get(status, {"message": "Error", "code": str(status)})
        self._send(status, body, budget=budget)

    def _failure(self, scenario: Scenario, status: int, budget: tuple[int, int]) -> None:
        if scenario.html_error:
            return self._send(status, None, html=True, budget=budget)
        if status == 429:
            reset = self.server.rate_limit_reset_s if scenario.reset_s is None else scenario.reset_s
            budget = (0, reset)
        return self._error(status, budget)

    def do_GET(self) -> None:
        path = urlsplit(self.path).path.rstrip("/")
        auth = _parse_auth(self.headers.get("Authorization"))
        email = auth[0] if auth else ""
        self.server.record(self.command, path, email)
        if not path.startswith(API_PREFIX):
            return self._error(404)
        resource = path[len(API_PREFIX) :]
        if resource not in RESOURCES | {"/company", "/users/self"}:
            return self._error(404)
        key = _scenario_key(email)
        scenario = SCENARIOS.get(key) if auth else None
        if scenario is None or auth is None or auth[1] != DEMO_TOKEN:
            return self._error(401)
        budget = self.server.spend(key)
        if scenario.delay and self.server.stopping.wait(self.server.slow_seconds):
            return None
        if resource == "/users/self":
            status = scenario.users_self_status
            if status != 200:
                return self._failure(scenario, status, budget)
            # The email is the account's own (as signed in).
            return self._send(200, {**scenario.user, "email": email}, budget=budget)
        if resource == "/company":
            status = scenario.company_status
            if status != 200:
                return self._failure(scenario, status, budget)
            return self._send(200, scenario.company, budget=budget)
        if scenario.company_status != 200:
            return self._failure(scenario, scenario.company_status, budget)
        if resource in GATED and scenario.gated_status != 200:
            return self._error(scenario.gated_status, budget)
        row_id: int | str = 1 if scenario.numeric_ids else "1"
        return self._send(
            200, [{"id": row_id, "name": f"Ejemplo {resource.strip('/')}"}], budget=budget
        )

    def _not_allowed(self) -> None:
        self._error(405)

    do_POST = do_PUT = do_DELETE = do_PATCH = _not_allowed


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(
        self, address: tuple[str, int], slow_seconds: float, rate_limit_reset_s: int = 30
    ) -> None:
        super().__init__(address, _Handler)
        self.slow_seconds = slow_seconds
        self.rate_limit_reset_s = rate_limit_reset_s
        self.stopping = threading.Event()
        self.seen: list[tuple[str, str, str]] = []
        self.budgets: dict[str, tuple[float, int]] = {}  # account -> (window start, used)
        self.lock = threading.Lock()

    def record(self, method: str, path: str, email: str) -> None:
        with self.lock:
            self.seen.append((method, path, email))

    def spend(self, account: str) -> tuple[int, int]:
        """One request off the account's budget: (remaining, seconds until it renews).
        Counts down to 0 and stays there until the window ends; the sandbox never refuses
        for it (only the limite scenarios answer 429)."""
        now = time.monotonic()
        with self.lock:
            started, used = self.budgets.get(account, (now, 0))
            if now - started >= RATE_WINDOW_S:
                started, used = now, 0
            used += 1
            self.budgets[account] = (started, used)
        reset = max(1, math.ceil(started + RATE_WINDOW_S - now))
        return max(0, RATE_LIMIT - used), reset

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that goes away mid-request or mid-answer (a cancelled check, a closed
        window) is normal: a debug line, never socketserver's traceback on stderr."""
        error = sys.exc_info()[1]
        if isinstance(error, ConnectionError | ssl.SSLError | TimeoutError):
            log.debug("sandbox: client went away (%s)", type(error).__name__)
            return
        log.error("sandbox: request failed", exc_info=error)


def _make_certificate(folder: Path) -> tuple[Path, Path, Path]:
    """A throwaway CA and a server certificate for 127.0.0.1/localhost, via the openssl CLI."""
    openssl = shutil.which("openssl")
    if openssl is None:
        raise SandboxError("the HTTPS sandbox needs the 'openssl' command")
    ca_key, ca_crt = folder / "ca.key", folder / "ca.pem"
    key, csr, crt = folder / "server.key", folder / "server.csr", folder / "server.pem"
    ext = folder / "ext.cnf"
    ext.write_text(
        "basicConstraints=CA:FALSE\nsubjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost\n"
        "extendedKeyUsage=serverAuth\n"
    )
    steps = [
        ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", ca_key, "-out", ca_crt,
         "-days", "2", "-subj", "/O=alegra-wizard sandbox/CN=alegra-wizard sandbox CA"],
        ["req", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", csr,
         "-subj", "/CN=localhost"],
        ["x509", "-req", "-in", csr, "-CA", ca_crt, "-CAkey", ca_key, "-CAcreateserial",
         "-out", crt, "-days", "2", "-extfile", ext],
    ]  # fmt: skip
    for step in steps:
        proc = subprocess.run([openssl, *map(str, step)], capture_output=True, check=False)
        if proc.returncode != 0:
            raise SandboxError(proc.stderr.decode(errors="replace")[-300:])
    return ca_crt, crt, key


@dataclass
class Sandbox:
    host: str = "127.0.0.1"
    port: int = 0
    https: bool = False
    slow_seconds: float = 8.0
    rate_limit_reset_s: int = 30  # the 429's X-Rate-Limit-Reset (tests wait less)
    ca_file: Path | None = None
    _server: _Server | None = field(default=None, init=False, repr=False)
    _thread: threading.Thread | None = field(default=None, init=False, repr=False)
    _tmp: tempfile.TemporaryDirectory[str] | None = field(default=None, init=False, repr=False)

    @property
    def url(self) -> str:
        if self._server is None:
            raise SandboxError("the sandbox is not running")
        port = self._server.server_address[1]
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{'https' if self.https else 'http'}://{host}:{port}{API_PREFIX}"

    @property
    def requests_seen(self) -> list[tuple[str, str, str]]:
        if self._server is None:
            return []
        with self._server.lock:
            return list(self._server.seen)

    def start(self) -> Sandbox:
        server = _Server((self.host, self.port), self.slow_seconds, self.rate_limit_reset_s)
        if self.https:
            self._tmp = tempfile.TemporaryDirectory(prefix="alegra-sandbox-")
            try:
                ca, crt, key = _make_certificate(Path(self._tmp.name))
            except SandboxError:
                server.server_close()
                raise
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(crt, key)
            server.socket = context.wrap_socket(server.socket, server_side=True)
            self.ca_file = ca
        self._server = server
        # stop() waits for serve_forever to look at its flag: every 50 ms, not the default
        # 0.5 s that a window closing in test mode (and each test's teardown) sat through
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="sandbox", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.stopping.set()
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def serve_forever(
    port: int = 0,
    https: bool = False,
    announce: Callable[[str, str | None], None] | None = None,
) -> None:
    """Run until Ctrl+C or SIGTERM (the `alegra-wizard sandbox` command)."""
    done = threading.Event()
    previous = signal.signal(signal.SIGTERM, lambda *_: done.set())
    with Sandbox(port=port, https=https) as box:
        if announce is not None:
            announce(box.url, str(box.ca_file) if box.ca_file else None)
        try:
            while not done.wait(0.5):
                pass
        except KeyboardInterrupt:
            pass
    signal.signal(signal.SIGTERM, previous)
