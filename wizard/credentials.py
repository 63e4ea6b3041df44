"""Paste cleaning and offline validation of an Alegra email + API token (Qt-free, pure).

`clean()` is total (never raises), idempotent (cleaning its output changes
nothing) and never changes a token's case. Every fix, warning and problem is
one row of a table below, explained in the catalog (resources/i18n/cleaner.toml).
"""

from __future__ import annotations

import base64
import binascii
import codecs
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from wizard import i18n

FIXES: dict[str, str] = {
    name: f"fix.{name}"
    for name in (
        "trimmed_whitespace",
        "removed_invisible",
        "removed_quotes",
        "removed_label",
        "removed_mailto",
        "split_combined",
        "swapped_fields",
        "lowercased_domain",
        "decoded_basic_header",
        "normalized_fullwidth",
    )
}
WARNINGS: dict[str, str] = {
    name: f"warning.{name}"
    for name in (
        "token_unusual_shape",
        "token_has_uppercase",
        "example_credentials",
        "token_is_jwt",
        "email_lookalike_char",
        "email_idn_domain",
    )
}
PROBLEMS: dict[str, str] = {
    name: f"problem.{name}"
    for name in (
        "empty_email",
        "empty_token",
        "email_invalid",
        "email_forbidden_char",
        "email_has_colon",
        "token_forbidden_char",
        "token_non_ascii",
    )
}


@dataclass(frozen=True, slots=True)
class Note:
    """One fix, warning or problem the cleaner found, by field."""

    field: str
    id: str
    count: int = 1
    detail: str = ""  # the character a look-alike or IDN warning names


@dataclass(frozen=True, slots=True)
class Cleaned:
    """What clean() made of a pasted email and token."""

    email: str
    token: str
    fixes: tuple[Note, ...]
    warnings: tuple[Note, ...]
    problems: tuple[Note, ...]

    @property
    def ok(self) -> bool:
        return not self.problems

    def __repr__(self) -> str:  # never the token
        from wizard.redact import mask_token

        return f"Cleaned(email={self.email!r}, token={mask_token(self.token)!r}, ok={self.ok})"


EXAMPLE_EMAIL = "ejemploapi@alegra.com"
EXAMPLE_TOKEN = "tokenejemploapi12345"  # noqa: S105 (Alegra docs example)

# Look-alike quotes on purpose: what word processors and phone keyboards wrap a paste in.
_QUOTES = "\"'`‘’‚‛“”„‟«»‹›＂＇"  # noqa: RUF001
_LABEL = re.compile(
    r"^\s*(?:api[\s_-]*)?(?:token|usuario|user(?:name)?|e-?mail|correo(?:\s+electr[oó]nico)?|"
    r"clave|password)\s*(?:de\s+(?:la\s+)?api\s*)?[:=]\s*",
    re.IGNORECASE,
)
_MAILTO = re.compile(r"^mailto:", re.IGNORECASE)
_BASIC = re.compile(r"^(?:authorization\s*:\s*)?basic\s+([A-Za-z0-9+/=_-]+)$", re.IGNORECASE)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
_TOKEN_SHAPE = re.compile(r"^[a-z0-9]{20}$")
# A JWT: base64url header starting {"... (eyJ), payload, signature. Alegra Nómina's and the
# e-invoicing provider API's tokens look like this; the accounting API's never does.
_JWT = re.compile(r"^eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$")
# Scripts whose letters pass for Latin ones in an email (Cyrillic a, Greek omicron...).
_LOOKALIKE_SCRIPTS = ("CYRILLIC", "GREEK", "ARMENIAN", "CHEROKEE", "COPTIC")
_CARD_LABEL = re.compile(
    r"(?i)^(datos de usuario|user data|renovar token|renew token|copiar|copy|usuario|user|"
    r"token|correo|email)\s*:?\s*$"
)


def _is_invisible(ch: str) -> bool:
    if ch in "\u00a0\u00ad\ufeff\u2060\u180e":
        return True
    cat = unicodedata.category(ch)
    return cat in ("Cf", "Cc", "Cs", "Co", "Cn", "Zl", "Zp") and ch not in "\t\n\r"


def _is_space(ch: str) -> bool:
    return ch.isspace() or unicodedata.category(ch) == "Zs"


class _Field:
    """One field's text and the fixes applied to it."""

    def __init__(self, name: str, raw: str) -> None:
        self.name = name
        self.text = raw
        self.fixes: dict[str, int] = {}

    def note(self, fix: str, count: int = 1) -> None:
        self.fixes[fix] = self.fixes.get(fix, 0) + count

    def strip_invisible(self) -> None:
        kept = [ch for ch in self.text if not _is_invisible(ch) or ch == "\u00a0"]
        # NBSP counts as an invisible character but becomes a plain space first, so that a
        # NBSP *between* two words still blocks a token rather than silently joining it.
        nbsp = sum(1 for ch in kept if ch == "\u00a0")
        removed = len(self.text) - len(kept)
        text = "".join(kept).replace("\u00a0", " ")
        if removed or nbsp:
            self.note("removed_invisible", removed + nbsp)
        self.text = text

    def fullwidth(self) -> None:
        out = []
        changed = 0
        for ch in self.text:
            if "\uff01" <= ch <= "\uff5e" or ch == "\u3000":
                out.append(unicodedata.normalize("NFKC", ch))
                changed += 1
            else:
                out.append(ch)
        if changed:
            self.note("normalized_fullwidth", changed)
            self.text = "".join(out)

    def trim(self) -> None:
        stripped = "".join(_strip_edges(self.text))
        if stripped != self.text:
            self.note("trimmed_whitespace", len(self.text) - len(stripped))
            self.text = stripped

    def unwrap(self) -> None:
        """Labels, mailto: and quotes, repeated until nothing changes (idempotence)."""
        for _ in range(8):
            before = self.text
            self.trim()
            label = _LABEL.match(self.text)
            if label and label.end() < len(self.text):
                self.text = self.text[label.end() :]
                self.note("removed_label")
            if _MAILTO.match(self.text):
                self.text = _MAILTO.sub("", self.text)
                self.note("removed_mailto")
            quotes = 0
            while len(self.text) >= 1 and self.text[0] in _QUOTES:
                self.text = self.text[1:]
                quotes += 1
            while len(self.text) >= 1 and self.text[-1] in _QUOTES:
                self.text = self.text[:-1]
                quotes += 1
            if quotes:
                self.note("removed_quotes", quotes)
            if self.text == before:
                return


def _strip_edges(text: str) -> str:
    start, end = 0, len(text)
    while start < end and _is_space(text[start]):
        start += 1
    while end > start and _is_space(text[end - 1]):
        end -= 1
    return text[start:end]


def _decode_basic(text: str) -> tuple[str, str] | None:
    match = _BASIC.match(text.strip())
    if not match:
        return None
    try:
        decoded = base64.b64decode(match.group(1) + "==", validate=False).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    if ":" not in decoded:
        return None
    email, token = decoded.split(":", 1)
    return (email, token) if "@" in email else None


def _split_combined(text: str, dropped: dict[str, int] | None = None) -> tuple[str, str] | None:
    """A whole "Datos de usuario" card, `Usuario: x Token: y`, or `email:token` in one field.
    `dropped` gets the labels and quotes left out of the two values, counted."""
    parts = [p for p in re.split(r"[\s,;|]+", text) if p]
    values = []
    counts = {"removed_label": 0, "removed_quotes": 0}
    for part in parts:
        unlabelled = _LABEL.sub("", part)
        if unlabelled != part:
            counts["removed_label"] += 1
        quoted = unlabelled
        unlabelled = unlabelled.strip(_QUOTES)
        counts["removed_quotes"] += len(quoted) - len(unlabelled)
        if not unlabelled or _CARD_LABEL.match(part) or _CARD_LABEL.match(unlabelled):
            continue
        if re.fullmatch(r"(?i)(datos|de|usuario|user|data|renovar|renew|token|copiar|copy)", part):
            continue
        values.append(unlabelled)
    emails = [v for v in values if _EMAIL.match(v) and ":" not in v]
    others = [v for v in values if "@" not in v]
    if len(emails) == 1 and len(others) == 1:
        if dropped is not None:
            dropped.update({k: n for k, n in counts.items() if n})
        return emails[0], others[0]
    if len(values) == 1 and values[0].count(":") == 1 and "@" in values[0]:
        email, token = values[0].split(":", 1)
        if _EMAIL.match(email) and "@" not in token and token:
            return email, token
    return None


_TOKENISH = re.compile(r"^[A-Za-z0-9._\-]{16,}$")


def looks_like_token(text: str) -> bool:
    """Whether a paste is a token rather than an email: once cleaned, no «@» and a long run
    of the characters tokens are made of. (The GUI moves it to the token field, masked.)"""
    cleaned = clean("", text)
    return "@" not in text and bool(_TOKENISH.match(cleaned.token))


# Fixes that mean a paste held both the email and the token.
BOTH_IN_ONE = ("split_combined", "decoded_basic_header")


def place_paste(
    field: str, email: str, token: str, start: int, end: int, text: str
) -> tuple[str, str, bool]:
    """Where a paste into `field` ("email" or "token") over its selection [start, end)
    goes, decided before anything is inserted: (email, token, moved) as the two fields
    should then hold them, raw (clean() follows). A whole «Datos de usuario» card, an
    `email:token` or a Basic header fills both fields; a token pasted into «Usuario», also
    at the end of an email already there, goes to the token field (moved: True) and the
    email stays; anything else is inserted where it was pasted."""
    if any(note.id in BOTH_IN_ONE for note in clean(text, "").fixes):
        return text, "", False  # both fields, from the paste alone
    if field == "email" and looks_like_token(text):
        kept = email if "@" in email else ""
        return kept, text, True
    if field == "email":
        return email[:start] + text + email[end:], token, False
    return email, token[:start] + text + token[end:], False


def _looks_like_email(text: str) -> bool:
    return "@" in text


def _lower_domain(field: _Field) -> None:
    if field.text.count("@") != 1:
        return
    local, domain = field.text.split("@")
    if domain != domain.lower():
        field.text = f"{local}@{domain.lower()}"
        field.note("lowercased_domain")


def clean(email_raw: str, token_raw: str) -> Cleaned:
    email = _Field("email", email_raw if isinstance(email_raw, str) else "")
    token = _Field("token", token_raw if isinstance(token_raw, str) else "")
    both: dict[str, int] = {}
    for field in (email, token):
        field.strip_invisible()
        field.fullwidth()
        field.trim()

    # A pasted Authorization header, or a whole card/combined value, in either field.
    for field, other in ((email, token), (token, email)):
        decoded = _decode_basic(field.text)
        if decoded is not None and not other.text.strip():
            email.text, token.text = decoded
            both["decoded_basic_header"] = 1
            break
        inner = field.text.strip()
        if (":" in inner or any(_is_space(ch) for ch in inner)) and (
            not other.text.strip() or other.text.strip() in field.text
        ):
            dropped: dict[str, int] = {}
            split = _split_combined(field.text, dropped)
            if split is not None:
                email.text, token.text = split
                both["split_combined"] = 1
                for fix, count in dropped.items():
                    field.note(fix, count)
                break

    for field in (email, token):
        field.unwrap()
        field.strip_invisible()
        field.trim()
        # Line breaks and tabs left *inside* a value become spaces: a visible problem the
        # user can fix, never a silent join of two halves.
        field.text = re.sub(r"[\t\n\r]", " ", field.text)

    if _looks_like_email(token.text) and not _looks_like_email(email.text) and email.text:
        email.text, token.text = token.text, email.text
        both["swapped_fields"] = 1
    _lower_domain(email)

    fixes: list[Note] = [Note("both", fid, n) for fid, n in both.items()]
    for field in (email, token):
        fixes += [Note(field.name, fid, n) for fid, n in field.fixes.items()]
    return Cleaned(
        email=email.text,
        token=token.text,
        fixes=tuple(fixes),
        warnings=tuple(_warnings(email.text, token.text)),
        problems=tuple(_problems(email.text, token.text)),
    )


def _problems(email: str, token: str) -> Iterable[Note]:
    if not email:
        yield Note("email", "empty_email")
    elif any(_is_space(ch) or _is_invisible(ch) for ch in email):
        yield Note("email", "email_forbidden_char")
    elif ":" in email:  # HTTP Basic: the user name ends at the first colon
        yield Note("email", "email_has_colon")
    elif not _EMAIL.match(email):
        yield Note("email", "email_invalid")
    if not token:
        yield Note("token", "empty_token")
    elif any(_is_space(ch) or _is_invisible(ch) or ch in "@:" for ch in token):
        yield Note("token", "token_forbidden_char")
    elif not token.isascii():
        yield Note("token", "token_non_ascii")


def _script(ch: str) -> str:
    name = unicodedata.name(ch, "")
    return name.split(" ", 1)[0] if name else ""


def _lookalike(email: str) -> str | None:
    """The first letter of a look-alike script in an otherwise Latin email, if any."""
    if not any(ch.isascii() and ch.isalpha() for ch in email):
        return None
    for ch in email:
        if ch.isalpha() and not ch.isascii() and _script(ch) in _LOOKALIKE_SCRIPTS:
            return ch
    return None


def _idn(email: str) -> str | None:
    """The domain's first non-ASCII character, or its punycode label, if the domain is an
    internationalized one (a look-alike of a familiar domain is the usual trap)."""
    if email.count("@") != 1:
        return None
    domain = email.split("@", 1)[1]
    for ch in domain:
        if not ch.isascii():
            return ch
    for label in domain.split("."):
        if label.lower().startswith("xn--"):
            return label
    return None


def _warnings(email: str, token: str) -> Iterable[Note]:
    if token and _JWT.match(token):
        # The wrong product's token: one warning that says so, not three about its shape.
        yield Note("token", "token_is_jwt")
    else:
        if token and not _TOKEN_SHAPE.match(token):
            yield Note("token", "token_unusual_shape")
        if token != token.lower():
            yield Note("token", "token_has_uppercase")
    if email.lower() == EXAMPLE_EMAIL or token == EXAMPLE_TOKEN:
        yield Note("both", "example_credentials")
    odd = _lookalike(email)
    if odd is not None:
        yield Note("email", "email_lookalike_char", detail=odd)
    idn = _idn(email)
    if idn is not None and idn != odd:
        yield Note("email", "email_idn_domain", detail=idn)


def _key(note: Note) -> str:
    return FIXES.get(note.id) or WARNINGS.get(note.id) or PROBLEMS[note.id]


def describe(notes: Iterable[Note], lang: str = i18n.DEFAULT_LANG) -> list[str]:
    """One sentence per note, from the catalog."""
    return [i18n.t(_key(n), lang, n=n.count, **_detail(n)) for n in notes]


def _detail(note: Note) -> dict[str, str]:
    """{char} as the user sees it and {code} (U+0430 CYRILLIC SMALL LETTER A) for one
    character; a punycode label is shown as is."""
    if not note.detail:
        return {}
    if len(note.detail) != 1:
        return {"char": note.detail, "code": note.detail}
    ch = note.detail
    name = unicodedata.name(ch, "")
    return {"char": ch, "code": f"U+{ord(ch):04X}" + (f" {name}" if name else "")}


# Fixes that take something out: said together, «Quitamos 3 espacios y 2 comillas.».
REMOVALS = (
    "trimmed_whitespace",
    "removed_invisible",
    "removed_quotes",
    "removed_label",
    "removed_mailto",
)


def summary(fixes: Iterable[Note], field: str, lang: str = i18n.DEFAULT_LANG) -> str:
    """What the cleaner did to one field, as whole sentences, every fix counted:
    «Separamos el correo y el token, que venían juntos. Quitamos 3 espacios y 2 comillas.»"""
    counts: dict[str, int] = {}
    for note in fixes:
        if note.field in (field, "both"):
            counts[note.id] = counts.get(note.id, 0) + note.count

    def phrase(fix: str) -> str:
        form = "one" if counts[fix] == 1 else "many"
        key = f"summary.{fix}.{form}"
        return i18n.t(key if i18n.has(key) else f"summary.{fix}.one", lang, n=counts[fix])

    sentences = [phrase(f) for f in counts if f not in REMOVALS]
    removed = [phrase(f) for f in REMOVALS if f in counts]
    if removed:
        joined = (
            removed[0]
            if len(removed) == 1
            else (", ".join(removed[:-1]) + i18n.t("summary.and", lang) + removed[-1])
        )
        sentences.append(i18n.t("summary.prefix", lang, what=joined))
    return " ".join(sentences)


# Byte-order marks, longest first (UTF-32 LE's starts with UTF-16 LE's), and the codec that
# reads the bytes after each.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def decode_token_file(raw: bytes, fallback: str = "latin-1") -> str:
    """A token file's (or piped paste's) bytes as text: by its byte-order mark (UTF-8,
    UTF-16 or UTF-32, little or big endian: PowerShell 5.1's `>` and Notepad's "Unicode"
    write UTF-16), else UTF-8, else `fallback` (the console's encoding). Never raises:
    what can't be decoded becomes U+FFFD, which the cleaner then refuses."""
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            return raw[len(bom) :].decode(encoding, "replace")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode(fallback, "replace")
