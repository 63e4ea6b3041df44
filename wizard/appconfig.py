"""The app file: the product that ships the wizard names itself, its logo, support and needs.

`alegra-wizard.toml` is found by `--app-config PATH`, else `ALEGRA_WIZARD_APP_CONFIG`, else
beside the executable (`beside_executable`). Without one, `DEFAULT`: today's wizard. A file
that is there but wrong is an `AppConfigError` that says, in both languages, what to fix;
nothing is changed. The file holds only words, a picture and a list of resources: it has no
key for the API's address or for any security rule, and unknown keys are refused.
"""

from __future__ import annotations

import os
import re
import sys
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

from wizard import i18n

FILE_NAME = "alegra-wizard.toml"
ENV_VAR = "ALEGRA_WIZARD_APP_CONFIG"
DEFAULT_ID = "alegra-wizard"

ID_PATTERN = re.compile(r"[a-z0-9-]{1,40}")
MAX_FILE_BYTES = 64 * 1024
MAX_LOGO_BYTES = 1024 * 1024
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
SVG_NAMESPACE = "http://www.w3.org/2000/svg"

# What each text may hold: a line, this long at most (the window's title holds the name).
TEXT_LIMITS: dict[str, int] = {"app.name": 40, "app.support": 120, "needs.why": 120}
# Line breaks, tabs, escapes, zero-width and bidi marks, unassigned or private code points.
FORBIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})

# The keys a file may have, by table. Nothing here reaches the network or the store's rules.
KNOWN_KEYS: dict[str, tuple[str, ...]] = {
    "": ("app", "needs"),
    "app": ("name", "id", "logo", "support"),
    "needs": ("resources", "why"),
}


class AppConfig(NamedTuple):
    """Who ships the wizard. DEFAULT (no file) is the wizard speaking for itself. (A
    NamedTuple: the window reads this before its first paint, which defers dataclasses.)"""

    id: str = DEFAULT_ID
    name: str | None = None
    logo: Path | None = None
    support: str | None = None
    needs: tuple[str, ...] = ()
    why: Mapping[str, str] = MappingProxyType({})
    source: Path | None = None

    @property
    def branded(self) -> bool:
        return self.name is not None


DEFAULT = AppConfig()


class AppConfigError(Exception):
    """A file that can't be used: `problem` (catalog key brand.problem.<problem>) with its
    values, where it is, and the nearest known word when one was misspelt."""

    def __init__(
        self,
        problem: str,
        path: Path,
        *,
        line: int | None = None,
        nearest: str | None = None,
        **values: object,
    ) -> None:
        self.problem = problem
        self.path = path
        self.line = line
        self.nearest = nearest
        self.values = values
        super().__init__(self.both())

    def message(self, lang: str) -> str:
        """What is wrong and where, in one language, with «did you mean» when we can tell."""
        parts = [
            i18n.t("brand.error.heading", lang, path=str(self.path)),
            i18n.t(
                f"brand.problem.{self.problem}", lang, line=self.line or "?", **self._words(lang)
            ),
        ]
        if self.nearest is not None:
            parts.append(i18n.t("brand.error.nearest", lang, nearest=self.nearest))
        parts.append(i18n.t("brand.error.nothing_changed", lang))
        return "\n".join(parts)

    def _words(self, lang: str) -> dict[str, object]:
        """The values, with `expected` in words."""
        words = dict(self.values)
        if "expected" in words:
            words["expected"] = i18n.t(f"brand.expected.{words['expected']}", lang)
        return words

    def both(self) -> str:
        """Spanish first, then English."""
        return "\n\n".join(self.message(lang) for lang in i18n.LANGS)


def support_line(app: AppConfig, lang: str) -> str | None:
    """«¿Necesitas ayuda con Facturador POS? soporte@…», shown with every failure (window and
    CLI); None when the app file names no support contact."""
    if app.name is None or not app.support:
        return None
    return i18n.t("brand.support", lang, name=app.name, support=app.support)


def beside_executable() -> Path | None:
    """Where an installer drops the file: the frozen app's folder (sys.executable's). From
    source, the folder of the `alegra-wizard` console script that started us (a virtual
    environment's bin/ or Scripts\\); `python -m wizard` has no such folder: None."""
    if getattr(sys, "frozen", False):
        return Path(sys.executable).resolve().parent / FILE_NAME
    launcher = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if launcher is None or launcher.stem != "alegra-wizard":
        return None
    return launcher.resolve().parent / FILE_NAME


def locate(
    option: str | None, environ: Mapping[str, str] | None = None
) -> tuple[Path | None, bool]:
    """The file to read and whether it was named (by the option or the variable: then it
    must exist). (None, False) when there is none to read."""
    env = os.environ if environ is None else environ
    if option:
        return Path(option), True
    if env.get(ENV_VAR):
        return Path(env[ENV_VAR]), True
    beside = beside_executable()
    if beside is not None and beside.is_file():
        return beside, False
    return None, False


def load(option: str | None = None, environ: Mapping[str, str] | None = None) -> AppConfig:
    """The app file in effect (DEFAULT without one). AppConfigError for a file that can't be
    used, named or found beside the executable."""
    path, named = locate(option, environ)
    if path is None:
        return DEFAULT
    if named and not path.is_file():
        raise AppConfigError("missing_file", path)
    return read(path)


def read(path: Path) -> AppConfig:
    """Parse and check one app file."""
    import tomllib

    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise AppConfigError(
            "unreadable", path, reason=exc.strerror or type(exc).__name__
        ) from None
    if len(raw) > MAX_FILE_BYTES:
        raise AppConfigError("file_too_big", path, limit=MAX_FILE_BYTES // 1024)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise AppConfigError("not_utf8", path) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # tomllib says where as "(at line L, column C)"; the line is what a person needs.
        found = re.search(r"at line (\d+)", str(exc))
        raise AppConfigError(
            "syntax", path, line=int(found.group(1)) if found else None, detail=str(exc)
        ) from None
    return _build(data, path)


def _build(data: dict[str, Any], path: Path) -> AppConfig:
    _known_keys(data, "", path)
    app = _table(data, "app", path, required=True)
    needs = _table(data, "needs", path, required=False)
    _known_keys(app, "app", path)
    _known_keys(needs, "needs", path)
    name = _text(app, "name", path, required=True)
    app_id = _string(app, "app", "id", path, required=True)
    if app_id is not None and not ID_PATTERN.fullmatch(app_id):
        raise AppConfigError("bad_id", path, value=_shown(app_id))
    support = _text(app, "support", path, required=False)
    logo_name = _string(app, "app", "logo", path, required=False)
    logo = _check_logo(path.parent / logo_name, path) if logo_name else None
    resources = _resources(needs, path)
    why = _why(needs, resources, path)
    assert app_id is not None
    return AppConfig(
        id=app_id,
        name=name,
        logo=logo,
        support=support,
        needs=resources,
        why=why,
        source=path,
    )


def _nearest(word: str, choices: tuple[str, ...] | list[str]) -> str | None:
    import difflib

    found = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return found[0] if found else None


def _known_keys(table: dict[str, Any], where: str, path: Path) -> None:
    allowed = KNOWN_KEYS[where]
    for key in table:
        if key not in allowed:
            dotted = f"{where}.{key}" if where else key
            nearest = _nearest(key, allowed)
            raise AppConfigError(
                "unknown_key",
                path,
                key=_shown(dotted),
                nearest=(f"{where}.{nearest}" if where else nearest) if nearest else None,
                known=", ".join(allowed),
            )


def _table(data: dict[str, Any], key: str, path: Path, *, required: bool) -> dict[str, Any]:
    value = data.get(key)
    if value is None:
        if required:
            raise AppConfigError("missing_key", path, key=f"[{key}]")
        return {}
    if not isinstance(value, dict):
        raise AppConfigError("wrong_type", path, key=key, expected="table")
    return value


def _string(
    table: dict[str, Any], where: str, key: str, path: Path, *, required: bool
) -> str | None:
    value = table.get(key)
    if value is None:
        if required:
            raise AppConfigError("missing_key", path, key=f"{where}.{key}")
        return None
    if not isinstance(value, str):
        raise AppConfigError("wrong_type", path, key=f"{where}.{key}", expected="text")
    return value


def _text(table: dict[str, Any], key: str, path: Path, *, required: bool) -> str | None:
    value = _string(table, "app", key, path, required=required)
    return None if value is None else _check_text(value, f"app.{key}", f"app.{key}", path)


def _check_text(value: str, key: str, limit_key: str, path: Path) -> str:
    """A one-line text a person will read: no control or invisible characters, not empty,
    not longer than its place in the window allows."""
    if any(unicodedata.category(ch) in FORBIDDEN_CATEGORIES for ch in value):
        raise AppConfigError("control_character", path, key=key)
    text = value.strip()
    if not text:
        raise AppConfigError("empty_text", path, key=key)
    limit = TEXT_LIMITS[limit_key]
    if len(text) > limit:
        raise AppConfigError("text_too_long", path, key=key, limit=limit, length=len(text))
    return text


def _shown(value: str) -> str:
    """A value from the file, safe to put in a message: printable, at most 60 characters."""
    clean = "".join(ch if ch.isprintable() else "?" for ch in value)
    return clean if len(clean) <= 60 else clean[:59] + "…"


def _resources(needs: dict[str, Any], path: Path) -> tuple[str, ...]:
    from wizard.probed import PROBED

    known = [item.key for item in PROBED]
    value = needs.get("resources", [])
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise AppConfigError("wrong_type", path, key="needs.resources", expected="list")
    seen: list[str] = []
    for resource in value:
        if resource not in known:
            raise AppConfigError(
                "unknown_resource",
                path,
                resource=_shown(resource),
                nearest=_nearest(resource, known),
                known=", ".join(known),
            )
        if resource in seen:
            raise AppConfigError("duplicate_resource", path, resource=resource)
        seen.append(resource)
    return tuple(seen)


def _why(needs: dict[str, Any], resources: tuple[str, ...], path: Path) -> dict[str, str]:
    value = needs.get("why", {})
    if not isinstance(value, dict):
        raise AppConfigError("wrong_type", path, key="needs.why", expected="table")
    why: dict[str, str] = {}
    for resource, reason in value.items():
        if resource not in resources:
            raise AppConfigError(
                "why_not_needed",
                path,
                resource=_shown(resource),
                nearest=_nearest(resource, list(resources)),
            )
        if not isinstance(reason, str):
            raise AppConfigError("wrong_type", path, key=f"needs.why.{resource}", expected="text")
        why[resource] = _check_text(reason, f"needs.why.{resource}", "needs.why", path)
    return why


def _check_logo(logo: Path, path: Path) -> Path:
    """The logo is a file of at most 1 MiB whose bytes are what its name says: a PNG (its
    signature) or an SVG (an XML document whose root is <svg>)."""
    try:
        size = logo.stat().st_size
        is_file = logo.is_file()
    except OSError:
        is_file = False
    if not is_file:
        raise AppConfigError("logo_missing", path, logo=str(logo))
    if size > MAX_LOGO_BYTES:
        raise AppConfigError("logo_too_big", path, logo=str(logo), size_kib=size // 1024)
    suffix = logo.suffix.lower()
    try:
        head = logo.read_bytes()
    except OSError as exc:
        raise AppConfigError(
            "unreadable", path, reason=exc.strerror or type(exc).__name__
        ) from None
    if suffix == ".png" and head.startswith(PNG_MAGIC):
        return logo
    if suffix == ".svg" and _svg_root(head):
        return logo
    raise AppConfigError("logo_not_image", path, logo=str(logo))


class _RootFound(Exception):
    def __init__(self, tag: str) -> None:
        self.tag = tag


class _EntityDeclared(Exception):
    pass


def _svg_root(data: bytes) -> bool:
    """Whether `data` is an XML document whose root element is SVG's <svg>. expat reads up to
    the first element and stops; a document that declares entities is refused (no expansion,
    no external reference is ever fetched)."""
    from xml.parsers import expat

    parser = expat.ParserCreate(namespace_separator=" ")

    def root(tag: str, _attributes: dict[str, str]) -> None:
        raise _RootFound(tag)

    def entity(*_args: object) -> None:
        raise _EntityDeclared

    parser.StartElementHandler = root
    parser.EntityDeclHandler = entity
    try:
        parser.Parse(data, True)
    except _RootFound as found:
        return found.tag in ("svg", f"{SVG_NAMESPACE} svg")
    except (expat.ExpatError, _EntityDeclared):
        return False
    return False
