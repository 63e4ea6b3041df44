"""The one translation catalog for everything a user reads (GUI, CLI, hints).

The catalog is the set of TOML files in resources/i18n/, merged into one
namespace of dotted keys. Each leaf table holds one value per language:

    [fix.trimmed_whitespace]
    es = "Quitamos espacios al inicio o al final"
    en = "Removed spaces at the start or end"

Values may be strings or lists of strings (numbered steps). Strings use
str.format placeholders ("{seconds}"). Spanish is the default and the
fallback; a key missing in both languages is a bug that tests catch.
"""

from __future__ import annotations

import json
import os
import sys
import zlib
from functools import cache
from typing import Any

from wizard.resources import resource

LANGS: tuple[str, ...] = ("es", "en")
DEFAULT_LANG = "es"


def _flatten(prefix: str, table: dict[str, Any], out: dict[str, dict[str, Any]]) -> None:
    if any(lang in table for lang in LANGS):
        out[prefix] = table
        return
    for key, value in table.items():
        if isinstance(value, dict):
            _flatten(f"{prefix}.{key}" if prefix else key, value, out)


# Which file holds a key's first segment: loading only the file a lookup needs keeps
# `alegra-wizard check` and the GUI's first paint fast. A prefix not listed here falls
# back to the whole catalog.
_PREFIX_FILES = {
    "hint": "hints",
    "cli": "cli",
    "fix": "cleaner",
    "warning": "cleaner",
    "problem": "cleaner",
    "summary": "cleaner",
    "country": "countries",
    "gui": "gui",
    "mockup": "mockups",
    "storage": "store",
    "probe": "probe",
    "doctor": "doctor",
    "support": "support",
    "brand": "brand",
}


def compile_file(source: bytes) -> dict[str, Any]:
    """The JSON form of one catalog file: its flattened entries and the CRC of the TOML
    they came from. JSON parses ~30x faster than TOML, and importing tomllib alone costs
    more than the window's first paint can spare; scripts/compile_catalog.py writes these
    to resources/i18n/compiled/ and a test keeps them current."""
    import tomllib

    part: dict[str, dict[str, Any]] = {}
    _flatten("", tomllib.loads(source.decode("utf-8")), part)
    return {"source_crc32": zlib.crc32(source), "entries": part}


@cache
def _load_file(name: str) -> dict[str, dict[str, Any]] | None:
    """One catalog file's entries; None when there is no such file (asked once per
    process: a window's first page looks up ~100 keys)."""
    try:
        source = resource("i18n", f"{name}.toml").read_bytes()
    except FileNotFoundError:
        return None
    try:
        compiled = json.loads(resource("i18n", "compiled", f"{name}.json").read_bytes())
    except (OSError, ValueError):
        compiled = None
    # The TOML is the truth: an edited file whose JSON was not regenerated is parsed.
    if not isinstance(compiled, dict) or compiled.get("source_crc32") != zlib.crc32(source):
        compiled = compile_file(source)
    entries: dict[str, dict[str, Any]] = compiled["entries"]
    return entries


# Prefixes whose keys live only in their own file: a miss there is a miss. Every GUI
# text asks for its country override first (Country.words), and falling back to the
# whole catalog on each of those misses would load every file before the first paint.
_OWN_FILE_ONLY = frozenset({"country"})


def _entry(key: str) -> dict[str, Any] | None:
    prefix = key.split(".", 1)[0]
    name = _PREFIX_FILES.get(prefix)
    part = _load_file(name) if name is not None else None
    if part is not None:
        found = part.get(key)
        if found is not None or prefix in _OWN_FILE_ONLY:
            return found
    return catalog().get(key)


@cache
def catalog() -> dict[str, dict[str, Any]]:
    merged: dict[str, dict[str, Any]] = {}
    folder = resource("i18n")
    for path in sorted(folder.glob("*.toml")):
        part = _load_file(path.stem) or {}
        clash = merged.keys() & part.keys()
        if clash:
            raise ValueError(f"duplicate catalog keys in {path.name}: {sorted(clash)}")
        merged.update(part)
    return merged


def normalize_lang(lang: str | None) -> str:
    if not lang:
        return DEFAULT_LANG
    short = lang.strip().lower().replace("-", "_").split("_")[0]
    return short if short in LANGS else DEFAULT_LANG


LOCALE_VARS = ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE")


def _locale_names() -> list[str]:
    """The user's locale names in priority order (e.g. "es_MX.UTF-8"), without the ones that
    say nothing about a language: C, POSIX, C.UTF-8 (a container's or a service's default)."""
    names = []
    for var in LOCALE_VARS:
        for value in os.environ.get(var, "").split(":"):  # LANGUAGE is a list: "es_MX:en"
            if value and value not in ("C", "POSIX") and not value.startswith("C."):
                names.append(value)
    return names


def environment_names_a_locale() -> bool:
    """Whether LC_ALL, LC_MESSAGES, LANG or LANGUAGE say something about the user's
    language (on Windows and macOS they usually don't: the OS's settings do)."""
    return bool(_locale_names())


def system_lang(os_locale: str | None = None) -> str:
    """Spanish unless the environment or OS clearly says English. `os_locale`: the OS's
    own locale name ("en_US"), from the window's QLocale.system(), asked when the
    environment names none.

    Python's locale.getlocale() is not asked on Linux: under C.UTF-8 (or with no LANG at
    all, which Python coerces to C.UTF-8) it answers "en_US", which is not the user saying
    English. Windows and macOS name the user's own choice there."""
    override = os.environ.get("ALEGRA_WIZARD_LANG")
    if override:
        return normalize_lang(override)
    names = _locale_names() or ([os_locale] if os_locale else [])
    if names:
        return "en" if names[0].lower().startswith("en") else DEFAULT_LANG
    if sys.platform not in ("win32", "darwin"):
        return DEFAULT_LANG
    import locale  # here: ~2 ms to import, and Linux never needs it (see above)

    try:
        loc = locale.getlocale()[0] or ""
    except ValueError:
        loc = ""
    return "en" if loc.lower().startswith("en") else DEFAULT_LANG


def system_territory(os_locale: str | None = None) -> str | None:
    """The country part of the user's locale ("MX" for es_MX.UTF-8), or None. `os_locale`:
    the OS's own locale name, used when the environment names none (see system_lang)."""
    for name in _locale_names() or ([os_locale] if os_locale else []):
        base = name.split(".")[0].split("@")[0]
        if "_" in base:
            territory = base.split("_", 1)[1]
            if len(territory) == 2 and territory.isalpha():
                return territory.upper()
    return None


def _raw(key: str, lang: str) -> Any:
    entry = _entry(key)
    if entry is None:
        raise KeyError(f"missing catalog key: {key}")
    lang = normalize_lang(lang)
    if lang in entry:
        return entry[lang]
    return entry[DEFAULT_LANG]


def has(key: str, lang: str | None = None) -> bool:
    """Whether the catalog has `key` (in `lang`, when given: without the fallback)."""
    entry = _entry(key)
    return entry is not None and (lang is None or normalize_lang(lang) in entry)


def t(key: str, lang: str = DEFAULT_LANG, /, **fmt: object) -> str:
    """The text of `key` in `lang`, formatted with `fmt`."""
    value = _raw(key, lang)
    if isinstance(value, list):
        value = "\n".join(str(v) for v in value)
    text = str(value)
    return text.format(**fmt) if fmt else text


def t_list(key: str, lang: str = DEFAULT_LANG, /, **fmt: object) -> list[str]:
    """A list value (numbered steps, causes); a plain string becomes a one-item list."""
    value = _raw(key, lang)
    items = value if isinstance(value, list) else [value]
    return [str(item).format(**fmt) if fmt else str(item) for item in items]


def both(key: str, /, **fmt: object) -> str:
    """Spanish first, English second: for texts read by people who may use either."""
    es, en = t(key, "es", **fmt), t(key, "en", **fmt)
    return es if es == en else f"{es}\n{en}"
