"""The profile model: what a stored profile is, how profiles.json reads and writes, and how
an incoming profile merges with the one it updates (also the one profile a check makes,
for the CLI's `login` and the window's save page alike). No file, no keyring here: pure
data, so the rules are tested without either."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields, replace
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

FORMAT_VERSION = 1
MAX_CONFIG_BYTES = 4 * 1024 * 1024  # a real file is a few KiB; more is not ours


class StorageReason(StrEnum):
    NO_BACKEND = "no_backend"  # no keyring we may use (none, null, plaintext)
    LOCKED = "locked"
    TIMEOUT = "timeout"
    FAILED = "failed"  # the keyring refused or broke
    DISK = "disk"  # the config folder can't be written: full, read-only, not a folder
    CORRUPT_CONFIG = "corrupt_config"
    NEWER_FORMAT = "newer_format"
    BUSY = "busy"
    NO_SESSION = "no_session"  # Windows: SYSTEM, or a session with no credential store
    MISSING_SECRET = "missing_secret"  # noqa: S105 (a reason, not a password)
    NOT_CONFIGURED = "not_configured"


class StorageError(Exception):
    """`reason` is a StorageReason (compares equal to its string). Never carries the token."""

    def __init__(self, reason: StorageReason | str, path: Path | None = None) -> None:
        reason = StorageReason(reason)
        super().__init__(reason.value)
        self.reason = reason
        self.path = path


class ProfileChoiceError(Exception):
    """The profile asked for (or implied) can't be chosen; `profiles` is what is stored."""

    def __init__(self, message: str, profiles: list[Profile]) -> None:
        super().__init__(message)
        self.profiles = profiles


class ProfileNotFound(ProfileChoiceError):
    """The named profile is not stored, or (profile_id None) no profile is."""

    def __init__(self, profile_id: str | None, profiles: list[Profile] | None = None) -> None:
        super().__init__(profile_id or "no profile stored", list(profiles or []))
        self.profile_id = profile_id


class AmbiguousProfile(ProfileChoiceError):
    """Several profiles and no default: the caller must name one."""

    def __init__(self, profiles: list[Profile]) -> None:
        super().__init__(", ".join(p.id for p in profiles), profiles)


class ProfileExists(ProfileChoiceError):
    """A rename would give a profile an id another one already has."""

    def __init__(self, profile_id: str, profiles: list[Profile]) -> None:
        super().__init__(profile_id, profiles)
        self.profile_id = profile_id


@dataclass
class Profile:
    id: str
    name: str = ""
    email: str = ""
    base_url: str = ""
    country: str | None = None
    company: str | None = None
    identification: str | None = None
    token_hint: str = ""
    last_check_at: str | None = None
    last_check_code: str | None = None
    # What the last check's answers said (doctor shows them: it sends no credentials itself):
    # who the token belongs to (/users/self), and the rate-limit budget as "remaining/limit"
    # with the UTC time it resets.
    last_user: str | None = None
    last_role: str | None = None
    last_rate_limit: str | None = None
    last_rate_reset_at: str | None = None
    # The app file's needed resources the account was missing when saved or last checked
    # (wizard.needs), as comma-separated keys ("bank_accounts"); None: none missing.
    needs_missing: str | None = None


# The type every stored field must have; anything else in the file is damage.
_REQUIRED_STR = {"id", "name", "email", "base_url", "token_hint"}


@dataclass
class Credentials:
    profile: Profile
    token: str

    def __repr__(self) -> str:
        from wizard.redact import mask_token

        return f"Credentials(profile={self.profile.id!r}, token={mask_token(self.token)!r})"

    __str__ = __repr__


@dataclass(frozen=True)
class SaveResult:
    profile: Profile  # as stored (its id, token hint)
    created: bool  # a new profile; False: an existing one was updated
    set_aside: Path | None = None  # where a damaged config file was moved, if it was

    @property
    def updated(self) -> bool:
        return not self.created


def profile_id_for(name: str) -> str:
    """A stable, shell- and keyring-friendly id from a profile name: "Café Núñez S.A.S."
    becomes "cafe-nunez-s-a-s"."""
    import re
    import unicodedata

    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:40].strip("-")
    return slug or "alegra"


def now_iso() -> str:
    """Now, in UTC, as stored in last_check_at."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def merge_for_save(incoming: Profile, existing: Profile | None) -> Profile:
    """The profile a save should store when `incoming` updates `existing` (a duplicate the
    user chose to update, or the profile being renewed): existing's id, and the company
    facts this check didn't learn kept from before. With no `existing`: a new profile."""
    if existing is None:
        return replace(incoming, id="")
    return replace(
        incoming,
        id=existing.id,
        country=incoming.country or existing.country,
        company=incoming.company if incoming.company is not None else existing.company,
        identification=incoming.identification or existing.identification,
    )


def profile_from_check(
    result: Any,
    *,
    name: str | None,
    email: str,
    base_url: str,
    existing: Profile | None = None,
    fallback_country: Any = None,
    new_id: str = "",
) -> Profile:
    """The profile to save after a check (`result`: wizard.check's CheckResult, or None when
    the window saves without one): the company the check saw (its name and tax id cleaned
    of what a server must not make us store), its country (else `fallback_country`, a
    wizard.countries.Country), merged into `existing` when it updates one, stamped with the
    check. `name` None: existing's, else the company's, else the email. The one builder for
    `login` and the window's save page."""
    from wizard import countries
    from wizard.present import clean_optional

    company = result.company if result is not None else None
    country = (countries.by_edition(company.country) if company else None) or fallback_country
    company_name = clean_optional(company.name) if company else None
    profile = merge_for_save(
        Profile(
            id="",
            name=name or (existing.name if existing else "") or company_name or email,
            email=email,
            base_url=base_url,
            country=country.code if country else None,
            company=company_name,
            identification=clean_optional(company.identification) if company else None,
        ),
        existing,
    )
    if existing is None:
        profile = replace(profile, id=new_id)
    if result is not None:
        profile = replace(profile, last_check_at=now_iso(), last_check_code=result.code.value)
    return profile


def with_last_check(
    profile: Profile, code: str, *, user: Any = None, rate_limit: Any = None
) -> Profile:
    """`profile` stamped with a check: now, its code, and `user` (name, role) and
    `rate_limit` (limit, remaining, reset_s) as that check saw them, if any."""
    from datetime import timedelta

    budget, reset_at = None, None
    remaining = getattr(rate_limit, "remaining", None)
    limit = getattr(rate_limit, "limit", None)
    if isinstance(remaining, int) and isinstance(limit, int):
        budget = f"{remaining}/{limit}"
        reset_s = getattr(rate_limit, "reset_s", None)
        if isinstance(reset_s, int):
            at = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=reset_s)
            reset_at = at.isoformat()
    return replace(
        profile,
        last_check_at=now_iso(),
        last_check_code=code,
        last_user=_text_or_none(getattr(user, "name", None)),
        last_role=_text_or_none(getattr(user, "role", None)),
        last_rate_limit=budget,
        last_rate_reset_at=reset_at,
    )


def _text_or_none(value: Any) -> str | None:
    """A server's text for the profile file: every registered secret masked."""
    from wizard.redact import redact

    return (redact(value.strip())[:200] or None) if isinstance(value, str) else None


# --- profiles.json ------------------------------------------------------------------------


@dataclass
class Data:
    """profiles.json's content: the profiles and the default's id."""

    profiles: list[Profile]
    default: str | None = None

    def find(self, profile_id: str) -> Profile | None:
        return next((p for p in self.profiles if p.id == profile_id), None)

    def free_id(self, base: str) -> str:
        """`base`, or `base-2`, `base-3`… : the first no profile has."""
        taken = {p.id for p in self.profiles}
        candidate, n = base, 2
        while candidate in taken:
            candidate, n = f"{base}-{n}", n + 1
        return candidate


def parse(raw: bytes, path: Path) -> Data:
    """profiles.json's bytes as profiles; any damage (not JSON, too deep, a wrong type
    anywhere) is corrupt_config. A UTF-8 byte-order mark (Notepad) is not damage."""
    corrupt = StorageError(StorageReason.CORRUPT_CONFIG, path)
    if len(raw) > MAX_CONFIG_BYTES:
        raise corrupt
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (ValueError, RecursionError):  # RecursionError: "[" * 100000
        raise corrupt from None
    if not isinstance(data, dict):
        raise corrupt
    version = data.get("format", FORMAT_VERSION)
    if not isinstance(version, int) or isinstance(version, bool):
        raise corrupt
    if version > FORMAT_VERSION:
        # Written by a newer alegra-wizard: read nothing rather than lose its fields.
        raise StorageError(StorageReason.NEWER_FORMAT, path)
    items = data.get("profiles", [])
    default = data.get("default")
    if not isinstance(items, list) or not (default is None or isinstance(default, str)):
        raise corrupt
    known = {f.name for f in fields(Profile)}
    profiles = []
    for item in items:
        if not isinstance(item, dict):
            raise corrupt
        values = {k: v for k, v in item.items() if k in known}
        for key, value in values.items():
            if not (isinstance(value, str) or (value is None and key not in _REQUIRED_STR)):
                raise corrupt
        if not values.get("id"):
            raise corrupt
        profiles.append(Profile(**values))
    ids = {p.id for p in profiles}
    return Data(profiles, default if default in ids else None)


def dump(data: Data) -> bytes:
    ids = {p.id for p in data.profiles}
    payload = {
        "format": FORMAT_VERSION,
        "default": data.default if data.default in ids else None,
        "profiles": [asdict(p) for p in data.profiles],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False).encode("utf-8")
