"""Outcome and exit codes: the stable contract shared by CLI JSON, GUI, hints and tests."""

from __future__ import annotations

from enum import StrEnum


class Code(StrEnum):
    CONNECTED = "connected"
    FORMAT_OK = "format_ok"
    INVALID_INPUT = "invalid_input"
    UNAUTHORIZED = "unauthorized"
    FORBIDDEN = "forbidden"
    PAYMENT_REQUIRED = "payment_required"
    NOT_FOUND = "not_found"
    RATE_LIMITED = "rate_limited"
    SERVER_ERROR = "server_error"
    UNEXPECTED_RESPONSE = "unexpected_response"
    TIMEOUT = "timeout"
    DNS_FAILURE = "dns_failure"
    CONNECTION_FAILED = "connection_failed"
    TLS_ERROR = "tls_error"
    PROXY_ERROR = "proxy_error"
    STORAGE_ERROR = "storage_error"
    NOT_CONFIGURED = "not_configured"
    CANCELLED = "cancelled"
    NEEDS_UNMET = "needs_unmet"


# DESIGN.md's table. `cancelled` only happens in the GUI: the window's exit code when it was
# closed without saving. `needs_unmet`: connected, but a resource the app file's [needs]
# lists is known missing (wizard.needs).
EXIT_CODES: dict[Code, int] = {
    Code.CONNECTED: 0,
    Code.FORMAT_OK: 0,
    Code.INVALID_INPUT: 3,
    Code.UNAUTHORIZED: 4,
    Code.FORBIDDEN: 5,
    Code.PAYMENT_REQUIRED: 6,
    Code.NOT_FOUND: 7,
    Code.RATE_LIMITED: 8,
    Code.SERVER_ERROR: 9,
    Code.UNEXPECTED_RESPONSE: 10,
    Code.TIMEOUT: 11,
    Code.DNS_FAILURE: 12,
    Code.CONNECTION_FAILED: 13,
    Code.TLS_ERROR: 14,
    Code.PROXY_ERROR: 15,
    Code.STORAGE_ERROR: 16,
    Code.NOT_CONFIGURED: 17,
    Code.CANCELLED: 19,
    Code.NEEDS_UNMET: 20,
}

# The one default deadline of a connection check, whichever front end runs it (CLI, the
# window, the saved-connections view): long enough for a slow office proxy, short enough
# that nobody thinks the program hung. Here because every caller already imports this.
CHECK_TIMEOUT_S = 15.0

# How long a 429 (or a rate-limit reset) may ask to wait: a reset Alegra sends negative
# (seen: -2), absurd or garbled becomes a wait in these bounds; unknown is the default.
RATE_WAIT_MIN_S = 1
RATE_WAIT_MAX_S = 3600
RATE_WAIT_DEFAULT_S = 60

EXIT_INTERNAL_ERROR = 1
EXIT_USAGE = 2
EXIT_DOCTOR_FOUND_PROBLEMS = 18  # `doctor`: at least one item failed (its fix is printed)

# Codes after which "continue without verifying" is an honest choice: the
# credentials may well be right, we just could not reach Alegra.
UNVERIFIABLE: frozenset[Code] = frozenset(
    {
        Code.TIMEOUT,
        Code.SERVER_ERROR,
        Code.DNS_FAILURE,
        Code.CONNECTION_FAILED,
        Code.PROXY_ERROR,
        Code.FORMAT_OK,
    }
)

# Status codes that map straight to an outcome; anything else is unexpected_response.
STATUS_CODES: dict[int, Code] = {
    401: Code.UNAUTHORIZED,
    402: Code.PAYMENT_REQUIRED,
    403: Code.FORBIDDEN,
    404: Code.NOT_FOUND,
    429: Code.RATE_LIMITED,
}


def code_for_status(status: int) -> Code:
    """Classify a non-200 HTTP status (redirects included) into an outcome code."""
    if status in STATUS_CODES:
        return STATUS_CODES[status]
    if 500 <= status <= 599:
        return Code.SERVER_ERROR
    return Code.UNEXPECTED_RESPONSE


def exit_code(code: Code) -> int:
    return EXIT_CODES.get(code, EXIT_INTERNAL_ERROR)
