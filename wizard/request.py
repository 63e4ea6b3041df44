"""What a call to the API asks for, checked once: the request object the check, the probe,
the doctor and the transport pass along (Qt-free, standard library only).

Its rules are pure (no network) and light: the window imports them before its first paint,
so nothing here may pull in requests or truststore.
"""

from __future__ import annotations

import base64
import ipaddress
import math
import threading
from dataclasses import dataclass, field
from urllib.parse import urlsplit

DEFAULT_BASE_URL = "https://api.alegra.com/api/v1"
# Accepted timeouts, in seconds: more than 0, at most MAX_TIMEOUT_S, finite. Beyond that a
# timer or a socket timeout overflows (inf, 1e300) and nobody waits ten minutes anyway.
MAX_TIMEOUT_S = 600.0
LOOPBACK_NAMES = frozenset({"localhost"})


class BadRequest(ValueError):
    """The URL, timeout or email breaks the rules below: nothing was sent. `problem` is the
    rule's id ("bad_url", "insecure_url", "bad_timeout", "colon_in_email")."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


def validate_timeout(seconds: object) -> str | None:
    """None when `seconds` is a usable timeout (0 < s <= MAX_TIMEOUT_S); else "bad_timeout"."""
    if isinstance(seconds, bool) or not isinstance(seconds, int | float):
        return "bad_timeout"
    if not math.isfinite(seconds) or not 0 < seconds <= MAX_TIMEOUT_S:
        return "bad_timeout"
    return None


def is_loopback_literal(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def validate_base_url(url: str) -> str | None:
    """None when usable; else a problem id ("bad_url", "insecure_url"). Plain http only to
    a loopback IP literal or `localhost` (whose addresses are checked again before
    connecting). No user info, query, fragment, odd characters or invalid port: they would
    be sent somewhere else than what the user sees, or not at all."""
    if not isinstance(url, str) or not url or any(ch.isspace() or ord(ch) < 32 for ch in url):
        return "bad_url"
    if "?" in url or "#" in url:
        return "bad_url"
    try:
        parts = urlsplit(url)
        port = parts.port  # raises ValueError for :abc, :99999, :-1
    except ValueError:
        return "bad_url"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "bad_url"
    if "@" in parts.netloc or port == 0:
        return "bad_url"
    if parts.netloc.endswith(":"):  # "host:" with an empty port
        return "bad_url"
    host = parts.hostname
    if parts.scheme == "http" and not (is_loopback_literal(host) or host in LOOPBACK_NAMES):
        return "insecure_url"
    return None


def basic_header(email: str, token: str) -> str:
    """From UTF-8 bytes (requests' own Basic auth encodes Latin-1)."""
    return "Basic " + base64.b64encode(f"{email}:{token}".encode()).decode("ascii")


def auth_headers(email: str, token: str) -> dict[str, str]:
    """The headers that carry the credentials: the check's and the probe's requests."""
    return {"Authorization": basic_header(email, token)}


@dataclass(frozen=True, slots=True)
class Request:
    """Where to ask (the API's base URL), as whom, for how long, trusting what, and the
    caller's cancel. Building one checks the URL and the timeout (BadRequest otherwise):
    whoever holds a Request may send it without checking again. The token never shows in
    its repr."""

    base_url: str
    email: str = ""
    token: str = field(default="", repr=False)
    timeout: float = 15.0
    ca_bundle: str | None = None
    cancel: threading.Event | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        problem = validate_base_url(self.base_url) or validate_timeout(self.timeout)
        if problem is None and ":" in self.email:  # a Basic-auth user name ends at a colon
            problem = "colon_in_email"
        if problem is not None:
            raise BadRequest(problem)

    @property
    def https(self) -> bool:
        return urlsplit(self.base_url).scheme == "https"

    def url(self, path: str) -> str:
        """The base URL with `path` (and its own query) added."""
        return self.base_url.rstrip("/") + path if path else self.base_url

    def credentials(self) -> dict[str, str]:
        """The Authorization header for these credentials; none without an email or token."""
        return auth_headers(self.email, self.token) if self.email or self.token else {}

    def cancelled(self) -> bool:
        return self.cancel is not None and self.cancel.is_set()
