"""The permission and plan probe: which resources these credentials may read (Qt-free).

Read-only `GET <resource>?limit=1`, one at a time, paced, through wizard.transport,
carried by one wizard.request.Request.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from wizard import transport
from wizard.check import parse_rate_limit
from wizard.probed import (
    AVAILABLE,
    BY_KEY,
    ERROR,
    NO_PERMISSION,
    NOT_CHECKED,
    NOT_IN_PLAN,
    PROBED,
    SKIPPED,
    Probed,
)
from wizard.request import DEFAULT_BASE_URL, BadRequest, Request

# --- permission and plan probe ------------------------------------------------------------
# The table of what is read, and the row statuses, live in wizard.probed (light: the app
# file checks against it before the window's first paint).
__all__ = [
    "AVAILABLE", "BY_KEY", "ERROR", "NOT_CHECKED", "NOT_IN_PLAN", "NO_PERMISSION", "PROBED",
    "SKIPPED", "Probed",
]  # fmt: skip

# Stop probing when the rate limit is this close (the user's other programs share it).
MIN_REMAINING = 5
PROBE_PACE_S = 0.25  # ~4 calls a second: well under Alegra's ~150 a minute


@dataclass(frozen=True, slots=True)
class ProbeRow:
    key: str
    path: str | None
    gated: bool
    status: str
    http_status: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "resource": self.key,
            "path": self.path,
            "gated": self.gated,
            "status": self.status,
            "http_status": self.http_status,
        }


@dataclass(frozen=True, slots=True)
class ProbeResult:
    rows: tuple[ProbeRow, ...]
    rate_limited: bool  # stopped on a 429 or a nearly spent limit
    reset_s: int | None
    cancelled: bool = False

    def to_json(self) -> list[dict[str, Any]]:
        return [row.to_json() for row in self.rows]


def _row_status(item: Probed, status: int) -> str:
    if 200 <= status < 300:
        return AVAILABLE
    if status == 403:
        return NOT_IN_PLAN if item.gated else NO_PERMISSION
    return ERROR


def probe_permissions(
    email: str,
    token: str,
    base_url: str = DEFAULT_BASE_URL,
    timeout: float = 10.0,
    ca_bundle: str | None = None,
    cancel: threading.Event | None = None,
    pace_s: float = PROBE_PACE_S,
    resources: Sequence[str] | None = None,
) -> ProbeResult:
    """`probe` for a caller holding the parts: inputs that break a Request's rules make
    every row "error", with nothing sent."""
    try:
        request = Request(base_url, email, token, timeout, ca_bundle, cancel)
    except BadRequest:
        items = _items(resources)
        errors = tuple(ProbeRow(p.key, p.path, p.gated, ERROR) for p in items)
        return ProbeResult(errors, rate_limited=False, reset_s=None)
    return probe(request, pace_s, resources)


def _items(resources: Sequence[str] | None) -> tuple[Probed, ...]:
    return PROBED if resources is None else tuple(BY_KEY[key] for key in resources)


def probe(
    request: Request, pace_s: float = PROBE_PACE_S, resources: Sequence[str] | None = None
) -> ProbeResult:
    """Read-only `GET <resource>?limit=1` for each row of PROBED (or only the `resources`
    named, in that order), one at a time, `pace_s` apart, on one kept connection when the
    server keeps it. Stops (the rest "skipped") on a 429, when the rate limit is nearly
    spent, or on cancel. Never raises for network trouble: that row is "error"."""
    with transport.Client() as client:
        return _probe(request, pace_s, client, _items(resources))


def _probe(
    request: Request, pace_s: float, client: transport.Client, items: tuple[Probed, ...]
) -> ProbeResult:
    cancel = request.cancel
    rows: list[ProbeRow] = []
    stop: str | None = None
    reset_s: int | None = None
    called = False
    for item in items:
        if item.path is None:
            rows.append(ProbeRow(item.key, None, item.gated, NOT_CHECKED))
            continue
        if stop is None and called:  # spread the calls out
            if cancel is None:
                time.sleep(pace_s)
            elif cancel.wait(pace_s):
                stop = "cancelled"
        if stop is None and cancel is not None and cancel.is_set():
            stop = "cancelled"
        if stop is not None:
            rows.append(ProbeRow(item.key, item.path, item.gated, SKIPPED))
            continue
        called = True
        try:
            answer = client.send(request, f"{item.path}?limit=1")
            status, headers = answer.status, answer.headers
        except transport.Cancelled:
            stop = "cancelled"
            rows.append(ProbeRow(item.key, item.path, item.gated, SKIPPED))
            continue
        except Exception:  # transport trouble on this one resource: say "?" and go on
            rows.append(ProbeRow(item.key, item.path, item.gated, ERROR))
            continue
        rate = parse_rate_limit(headers)
        if status == 429:
            stop = "rate_limited"
            reset_s = rate.reset_s if rate else None
            rows.append(ProbeRow(item.key, item.path, item.gated, SKIPPED, status))
            continue
        rows.append(ProbeRow(item.key, item.path, item.gated, _row_status(item, status), status))
        if rate is not None and rate.remaining is not None and rate.remaining <= MIN_REMAINING:
            stop = "rate_limited"
            reset_s = rate.reset_s
    return ProbeResult(
        tuple(rows),
        rate_limited=stop == "rate_limited",
        reset_s=reset_s,
        cancelled=stop == "cancelled",
    )
