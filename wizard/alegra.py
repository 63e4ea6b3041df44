"""Former home of the client, kept as a thin re-export while callers move to
wizard.transport (session, TLS, proxies, loopback rules), wizard.check (check_connection and
its result types) and wizard.probe (probe_permissions). New code imports those."""

from __future__ import annotations

from wizard.check import (
    CheckResult,
    Company,
    RateLimit,
    User,
    check_connection,
    parse_company,
    parse_rate_limit,
    parse_user,
)
from wizard.probe import (
    AVAILABLE,
    ERROR,
    MIN_REMAINING,
    NO_PERMISSION,
    NOT_CHECKED,
    NOT_IN_PLAN,
    PROBE_PACE_S,
    PROBED,
    SKIPPED,
    Probed,
    ProbeResult,
    ProbeRow,
    probe_permissions,
)
from wizard.transport import (
    DEFAULT_BASE_URL,
    MAX_BODY,
    basic_header,
    validate_base_url,
    validate_timeout,
)

__all__ = [
    "AVAILABLE",
    "DEFAULT_BASE_URL",
    "ERROR",
    "MAX_BODY",
    "MIN_REMAINING",
    "NOT_CHECKED",
    "NOT_IN_PLAN",
    "NO_PERMISSION",
    "PROBED",
    "PROBE_PACE_S",
    "SKIPPED",
    "CheckResult",
    "Company",
    "ProbeResult",
    "ProbeRow",
    "Probed",
    "RateLimit",
    "User",
    "basic_header",
    "check_connection",
    "parse_company",
    "parse_rate_limit",
    "parse_user",
    "probe_permissions",
    "validate_base_url",
    "validate_timeout",
]
