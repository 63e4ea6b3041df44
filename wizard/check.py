"""The connection check: GET /company, then who the token belongs to (Qt-free).

Expected failures are results, never exceptions. Every request goes through
wizard.transport (exactly our Authorization header, plain http only to loopback, no
proxy for it, no redirects, no cookies, an overall deadline), carried by one
wizard.request.Request.
"""

from __future__ import annotations

import json
import math
import threading
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from wizard import transport
from wizard.outcomes import (
    CHECK_TIMEOUT_S,
    RATE_WAIT_MAX_S,
    RATE_WAIT_MIN_S,
    Code,
    code_for_status,
)
from wizard.redact import redact, register_secret
from wizard.request import (
    DEFAULT_BASE_URL,
    BadRequest,
    Request,
    validate_base_url,
    validate_timeout,
)
from wizard.tls import certificate_issuer
from wizard.transport import MAX_BODY

__all__ = [
    "DEFAULT_BASE_URL",
    "MAX_BODY",
    "CheckResult",
    "Company",
    "RateLimit",
    "User",
    "check",
    "check_connection",
    "parse_company",
    "parse_rate_limit",
    "parse_reset",
    "parse_server_message",
    "parse_user",
    "refused",
    "validate_base_url",
    "validate_timeout",
]

# After a 200 on /company, /users/self gets what is left of the deadline, but at least this
# much (the answer is a courtesy: without it the check is still `connected`).
USER_MIN_BUDGET_S = 2.0


@dataclass(frozen=True, slots=True)
class Company:
    """The company /company describes."""

    name: str | None
    identification: str | None
    country: str | None
    currency: str | None


@dataclass(frozen=True, slots=True)
class RateLimit:
    """Alegra's rate-limit headers from one answer."""

    limit: int | None
    remaining: int | None
    reset_s: int | None


@dataclass(frozen=True, slots=True)
class User:
    """From GET /users/self: who the credentials belong to. Any field may be missing."""

    name: str | None  # the full name: name + lastName
    email: str | None
    role: str | None  # Alegra's code ("admin"); present.role_words says it in words


@dataclass(frozen=True, slots=True)
class CheckResult:
    """One connection check's outcome, whatever happened."""

    code: Code
    http_status: int | None
    company: Company | None
    rate_limit: RateLimit | None
    elapsed_ms: int
    detail: str = ""
    tls_issuer: str | None = None
    can_read_company: bool | None = None
    user: User | None = None
    # Warning ids (catalog check.warning.<id>): e.g. "user_email_differs".
    warnings: tuple[str, ...] = ()
    # What an error answer's body said ({"message"} or {"error": {"message"}}), as sent:
    # present.server_message cleans and shortens it.
    server_message: str | None = None


def _int(value: str | None) -> int | None:
    try:
        return int(str(value).strip()) if value is not None else None
    except ValueError:
        return None


def parse_reset(value: str | None) -> int | None:
    """X-Rate-Limit-Reset as a sane wait: seconds within RATE_WAIT_MIN_S..RATE_WAIT_MAX_S
    (Alegra has sent -2; an absurd 99999999999999999999 is an hour), None when missing or
    not a number (then the wait is the default). The raw value goes nowhere."""
    if value is None:
        return None
    try:
        seconds = float(str(value).strip())
    except ValueError:
        return None
    if math.isnan(seconds):
        return None
    return math.ceil(min(max(seconds, RATE_WAIT_MIN_S), RATE_WAIT_MAX_S))


def parse_rate_limit(headers: Any) -> RateLimit | None:
    limit = _int(headers.get("X-Rate-Limit-Limit"))
    remaining = _int(headers.get("X-Rate-Limit-Remaining"))
    raw_reset = headers.get("X-Rate-Limit-Reset")
    if limit is None and remaining is None and raw_reset is None:
        return None
    return RateLimit(limit, remaining, parse_reset(raw_reset))


def parse_server_message(body: bytes | None) -> str | None:
    """The message of an error answer, in either of Alegra's shapes: {"message": ...} or
    {"error": {"message": ...}} (or {"error": "..."}). None for HTML, empty or other bodies."""
    if not body:
        return None
    try:
        parsed = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    if not isinstance(parsed, dict):
        return None
    error = parsed.get("error")
    if isinstance(error, dict):
        parsed = error
    elif isinstance(error, str) and "message" not in parsed:
        return error.strip() or None
    message = parsed.get("message")
    return (message.strip() or None) if isinstance(message, str) else None


def _text(value: Any) -> str | None:
    """A server's value as text, every registered secret masked: a server (or a proxy in
    between) may echo the credentials back, and what it says is stored and printed."""
    if isinstance(value, str) and value.strip():
        return redact(value.strip())
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def parse_company(body: dict[str, Any]) -> Company:
    ident = _text(body.get("identification"))
    obj = body.get("identificationObject")
    if ident is None and isinstance(obj, dict):
        ident = _text(obj.get("number"))
    currency = body.get("currency")
    return Company(
        name=_text(body.get("name")),
        identification=ident,
        country=_text(body.get("applicationVersion")),
        currency=_text(currency.get("code")) if isinstance(currency, dict) else _text(currency),
    )


def parse_user(body: Any) -> User | None:
    """Tolerant: any field may be missing or odd-typed; a role may be a string or an object
    with a name. The name is Alegra's name + lastName. None when nothing usable is there."""
    if not isinstance(body, dict):
        return None
    first = _text(body.get("name")) or _text(body.get("firstName"))
    last = _text(body.get("lastName"))
    if first and last and first.casefold().endswith(last.casefold()):
        last = None  # a name that already is the full name
    name = " ".join(p for p in (first, last) if p) or None
    role = body.get("role")
    if isinstance(role, dict):
        role = role.get("name") or role.get("id")
    user = User(name=name, email=_text(body.get("email")), role=_text(role))
    return None if user == User(None, None, None) else user


# Why a check refused its inputs before sending anything (CheckResult.detail).
REFUSED = {
    "bad_url": "insecure or malformed base URL",
    "insecure_url": "insecure or malformed base URL",
    "bad_timeout": "timeout out of range",
    "colon_in_email": "colon in the email",
}


def check_connection(
    email: str,
    token: str,
    base_url: str = DEFAULT_BASE_URL,
    timeout: float = CHECK_TIMEOUT_S,
    ca_bundle: str | None = None,
    cancel: threading.Event | None = None,
) -> CheckResult:
    """`check` for a caller holding the parts: inputs that break a Request's rules are
    `invalid_input`, with nothing sent."""
    try:
        request = Request(base_url, email, token, timeout, ca_bundle, cancel)
    except BadRequest as exc:
        return refused(exc)
    return check(request)


def refused(exc: BadRequest) -> CheckResult:
    """The result of a check whose inputs broke a Request's rules: nothing was sent."""
    return CheckResult(Code.INVALID_INPUT, None, None, None, 0, detail=REFUSED[exc.problem])


def check(request: Request) -> CheckResult:
    """GET /company, then /users/self, on one kept connection, within request.timeout."""
    register_secret(request.token)  # before any answer is read: what echoes it is masked
    with transport.Client() as client:
        return _check(request, client, time.monotonic())


def _check(request: Request, client: transport.Client, start: float) -> CheckResult:
    def result(code: Code, status: int | None = None, **kw: Any) -> CheckResult:
        elapsed = int((time.monotonic() - start) * 1000)
        kw.setdefault("company", None)
        kw.setdefault("rate_limit", None)
        return CheckResult(code, status, elapsed_ms=elapsed, **kw)

    deadline = start + request.timeout
    try:
        answer = client.send(request, "/company", deadline=deadline)
    except transport.Cancelled:
        return result(Code.CANCELLED)
    except transport.NotLoopback:
        return result(Code.INVALID_INPUT, detail="plain http to a name that is not only loopback")
    except TimeoutError:
        return result(Code.TIMEOUT, detail="no complete answer before the deadline")
    except Exception as exc:  # requests', socket and proxy errors (classify names them)
        code = transport.classify(exc)
        issuer = None
        if code is Code.TLS_ERROR:
            parts = urlsplit(request.base_url)
            issuer = certificate_issuer(parts.hostname or "", parts.port or 443)
        return result(code, detail=type(exc).__name__, tls_issuer=issuer)

    status, headers, body = answer.status, answer.headers, answer.body
    rate = parse_rate_limit(headers)
    if 300 <= status < 400:
        try:
            target = urlsplit(headers.get("Location", "")).hostname or "?"
        except ValueError:  # e.g. "http://[x": still a redirect, never followed
            target = "?"
        if request.token and request.token.lower() in target.lower():  # it may echo us
            target = "?"
        return result(
            Code.UNEXPECTED_RESPONSE, status, rate_limit=rate, detail=f"redirect to {target}"
        )
    if status == 407:
        return result(Code.PROXY_ERROR, status, rate_limit=rate)
    if status != 200:
        can_read, user = None, None
        if status == 403:  # wrong credentials, or a user who may not read company info?
            user_status, user, _ = _users_self(request, client, deadline)
            can_read = False if user_status == 200 else None
        return result(
            code_for_status(status), status, rate_limit=rate, can_read_company=can_read,
            user=user, server_message=parse_server_message(body),
        )  # fmt: skip
    if body is None:
        return result(Code.UNEXPECTED_RESPONSE, status, rate_limit=rate, detail="body too large")
    parsed = _parsed(body)
    if parsed is None:
        return result(Code.UNEXPECTED_RESPONSE, status, rate_limit=rate, detail="not JSON")
    if not isinstance(parsed, dict):
        return result(Code.UNEXPECTED_RESPONSE, status, rate_limit=rate, detail="not an object")
    if request.cancelled():
        return result(Code.CANCELLED)
    _, user, user_rate = _users_self(request, client, deadline)
    warnings: tuple[str, ...] = ()
    if user is not None and user.email and user.email.casefold() != request.email.casefold():
        warnings = ("user_email_differs",)
    return result(
        Code.CONNECTED,
        status,
        company=parse_company(parsed),
        rate_limit=user_rate or rate,  # the latest answer's budget
        user=user,
        warnings=warnings,
    )


def _parsed(body: bytes) -> Any:
    """The parsed body, or None when it is no JSON we can read: not UTF-8, malformed, or
    nested deeper than the parser recurses (any parser error is the server's answer, not
    our failure)."""
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None


def _users_self(
    request: Request, client: transport.Client, deadline: float
) -> tuple[int | None, User | None, RateLimit | None]:
    """GET /users/self once: (status or None, the user, its rate-limit headers). Never
    changes the outcome of the check: a courtesy call, with what is left of the deadline
    but at least USER_MIN_BUDGET_S."""
    budget = max(deadline - time.monotonic(), min(request.timeout, USER_MIN_BUDGET_S))
    try:
        answer = client.send(
            request, "/users/self", deadline=time.monotonic() + budget, max_body=256 * 1024
        )
    except Exception:  # its failure is no failure of the check
        return None, None, None
    rate = parse_rate_limit(answer.headers)
    if answer.status != 200 or answer.body is None:
        return answer.status, None, rate
    return answer.status, parse_user(_parsed(answer.body)), rate
