"""Redaction: the last line of defence that keeps a token out of logs and reports.

Code should never hand a token to a logger in the first place; this filter
catches mistakes. Secrets are registered as soon as they are known (the
cleaner's output, a loaded profile) and masked to "…" + last 4 wherever they
appear, together with anything shaped like an Authorization header.
"""

from __future__ import annotations

import logging
import re
import threading

_lock = threading.Lock()
_secrets: set[str] = set()

# "Authorization: Basic xxx", "Basic xxx", "token=xxx", "token: xxx" (JSON-ish too).
_PATTERNS = (
    re.compile(r"(?i)(authorization\s*[:=]\s*)(basic|bearer)\s+[A-Za-z0-9+/=._-]+"),
    re.compile(r"(?i)\b(basic)\s+[A-Za-z0-9+/]{12,}={0,2}"),
    re.compile(r"(?i)(\"?token\"?\s*[:=]\s*\"?)([^\s\",]{4,})"),
)


def mask_token(token: str) -> str:
    """The only way a token is ever shown: "…" + its last 4 characters ("" for none).
    The one implementation: present re-exports it for the front ends."""
    return "…" + token[-4:] if token else ""


# What a token can hide in: a run of the characters tokens are made of, long enough to be
# one (Alegra's are 20), and the valid emails such a run may be part of.
_TOKEN_RUN = re.compile(r"[A-Za-z0-9._-]{16,}")
_EMAILISH = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9._-]+")
# A valid email ends in a top-level domain of letters: «ana@empresa.co» + a pasted token
# («ana@empresa.co0123…») is none.
_VALID_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,24}")


def mask_token_shaped(text: str) -> str:
    """Every run of 16 or more of [A-Za-z0-9._-] that is not part of a valid email, masked
    as a token is: for text a user or a server wrote (a token pasted into the wrong field,
    or glued to an email, ends up in it), before it goes into a report."""
    emails = [m.span() for m in _EMAILISH.finditer(text) if _VALID_EMAIL.fullmatch(m.group())]

    def mask(match: re.Match[str]) -> str:
        start, end = match.span()
        if any(a <= start and end <= b for a, b in emails):
            return match.group()
        return mask_token(match.group())

    return _TOKEN_RUN.sub(mask, text)


def register_secret(secret: str) -> None:
    if secret and len(secret) >= 4:
        with _lock:
            _secrets.add(secret)


def redact(text: str) -> str:
    with _lock:
        secrets = sorted(_secrets, key=len, reverse=True)
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, mask_token(secret))
    text = _PATTERNS[0].sub(lambda m: m.group(1) + m.group(2) + " [redacted]", text)
    text = _PATTERNS[1].sub(lambda m: m.group(1) + " [redacted]", text)
    return _PATTERNS[2].sub(lambda m: m.group(1) + mask_token(m.group(2)), text)


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


class RedactingFormatter(logging.Formatter):
    """Redaction at the formatter: the record as it is written, traceback and stack
    included (a filter sees the message only, and an exception's text, a local's repr
    in a chained message, reaches the handler unfiltered). `inner`: a handler's own
    formatter, whose text is redacted."""

    def __init__(self, fmt: str | None = None, *, inner: logging.Formatter | None = None) -> None:
        super().__init__(fmt)
        self.inner = inner

    def format(self, record: logging.LogRecord) -> str:
        text = self.inner.format(record) if self.inner else super().format(record)
        return redact(text)


def install_redaction(logger: logging.Logger | None = None) -> None:
    """Attach the filter to every handler of `logger` (root by default), once, and
    redact what each writes, tracebacks included (RedactingFormatter)."""
    target = logger or logging.getLogger()
    for handler in target.handlers:
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(RedactingFilter())
        if not isinstance(handler.formatter, RedactingFormatter):
            handler.setFormatter(RedactingFormatter(inner=handler.formatter))


def configure_logging() -> None:
    """Warnings and errors to stderr, every handler behind the redaction filter."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    install_redaction()
