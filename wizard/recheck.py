"""Every stored connection re-checked live, one after another (`check --all`, the window's
«Revisar todas»), within Alegra's rate limit: paced, and stopped at the first 429 with how
long to wait. Each profile records its last check, as a single re-check does (Qt-free)."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from wizard.outcomes import Code

if TYPE_CHECKING:
    from wizard.check import CheckResult
    from wizard.store import Profile, Store

# One check is two requests (/company, /users/self): one every 0.8 s stays within Alegra's
# ~150 requests a minute even when every profile is the same Alegra user.
PACE_S = 0.8

# (email, token, base URL or None for Alegra's, cancel) -> the check's result
CheckFn = Callable[[str, str, "str | None", "threading.Event | None"], "CheckResult"]


@dataclass(frozen=True, slots=True)
class Row:
    """One profile's re-check: its result, or why there is none."""

    profile: Profile
    result: CheckResult | None = None
    storage_reason: str | None = None  # its token could not be read (StorageReason)

    @property
    def code(self) -> Code | None:
        """The outcome; storage_error when the token could not be read; None: not checked
        (Alegra asked to wait before its turn, or the run was stopped)."""
        if self.result is not None:
            return self.result.code
        return Code.STORAGE_ERROR if self.storage_reason is not None else None


@dataclass(frozen=True, slots=True)
class Report:
    rows: list[Row] = field(default_factory=list)
    wait_s: int | None = None  # Alegra answered 429: the rest waits this long

    @property
    def ok(self) -> bool:
        return bool(self.rows) and all(row.code is Code.CONNECTED for row in self.rows)

    @property
    def working(self) -> int:
        return sum(row.code is Code.CONNECTED for row in self.rows)

    @property
    def unchecked(self) -> int:
        """Left unchecked: Alegra asked to wait, or the run was stopped."""
        return sum(row.code is None for row in self.rows)

    @property
    def failing(self) -> int:
        return len(self.rows) - self.working - self.unchecked

    @property
    def first_failure(self) -> Row | None:
        """The first profile that is not connected (checked, or left unchecked)."""
        return next((row for row in self.rows if row.code is not Code.CONNECTED), None)


def recheck_all(
    store: Store,
    check: CheckFn,
    *,
    pace_s: float = PACE_S,
    cancel: threading.Event | None = None,
    on_row: Callable[[Row], None] | None = None,
    profiles: list[Profile] | None = None,
) -> Report:
    """Re-check `store`'s profiles (or those given) in order with `check`, each with its
    own stored email, token and server; record each result on its profile. On a 429 the
    rest are left unchecked and Report.wait_s says how long Alegra asked to wait."""
    from wizard import present
    from wizard.store import StorageError

    rows: list[Row] = []
    if profiles is None:
        profiles = store.list_profiles()
    wait_s = None
    last = 0.0
    for profile in profiles:
        if wait_s is not None or (cancel is not None and cancel.is_set()):
            rows.append(Row(profile))
            continue
        if last and _paused(last + pace_s - time.monotonic(), cancel):
            rows.append(Row(profile))  # stopped while waiting its turn
            continue
        try:
            creds = store.load(profile.id)
        except StorageError as exc:
            row = Row(profile, storage_reason=str(exc.reason))
        else:
            last = time.monotonic()  # the pace is between requests to Alegra
            result = check(creds.profile.email, creds.token, profile.base_url, cancel)
            if result.code is Code.CANCELLED:
                rows.append(Row(profile))
                continue
            with contextlib.suppress(StorageError):  # a result is not lost to a config hiccup
                store.update_last_check(
                    profile.id, result.code.value, user=result.user, rate_limit=result.rate_limit
                )
            row = Row(profile, result)
            if result.code is Code.RATE_LIMITED:
                wait_s = present.wait_seconds(result)
        rows.append(row)
        if on_row is not None:
            on_row(row)
    return Report(rows, wait_s)


def _paused(seconds: float, cancel: threading.Event | None) -> bool:
    """Wait `seconds` (the pace); True when cancelled meanwhile."""
    if seconds <= 0:
        return False
    if cancel is None:
        time.sleep(seconds)
        return False
    return cancel.wait(seconds)
