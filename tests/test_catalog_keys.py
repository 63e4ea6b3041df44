"""Every catalog key the code names exists, in both languages. A typo in `ctx.t("gui.tset")`
would otherwise surface as a KeyError on the one screen nobody clicked before the release.

Scanned with ast over the whole package:
- the first argument of every t / t_list / both call (i18n.t, ctx.t, self.ctx.t, ...) that is a
  literal key: it must exist;
- an f-string there (f"hint.{code}.title"): some key must match its shape;
- any other string literal shaped like a key of a catalog namespace ("gui.save.title" in a
  table): it must exist, or be the start of keys the code completes ("gui.save.summary_").
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

from tests.helpers import ROOT
from wizard import i18n

LOOKUPS = frozenset({"t", "t_list", "both"})
KEY_SHAPE = re.compile(r"[a-z][a-z0-9_]*(\.[A-Za-z0-9_]+)+")


@dataclass(frozen=True)
class Use:
    where: str
    text: str
    kind: str  # "key", "pattern" (from an f-string) or "literal" (a key-shaped string)


def _name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _pattern(node: ast.JoinedStr) -> str:
    parts = []
    for value in node.values:
        if isinstance(value, ast.Constant):
            parts.append(re.escape(str(value.value)))
        else:
            parts.append(r"[A-Za-z0-9_.]+")
    return "".join(parts)


def uses(source: str, where: str, namespaces: frozenset[str]) -> list[Use]:
    tree = ast.parse(source)
    found: list[Use] = []
    seen: set[int] = set()
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and node.args and _name(node.func) in LOOKUPS):
            continue
        first = node.args[0]
        at = f"{where}:{node.lineno}"
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            seen.add(id(first))
            # Relative keys ("heading") go through a module's own prefixing helper: the
            # literal rule below does not see them either, so they are the helper's tests'.
            if "." in first.value:
                found.append(Use(at, first.value, "key"))
        elif isinstance(first, ast.JoinedStr):
            seen.update(id(v) for v in first.values)
            found.append(Use(at, _pattern(first), "pattern"))
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in seen
            and KEY_SHAPE.fullmatch(node.value.rstrip("._"))
            and node.value.split(".", 1)[0] in namespaces
        ):
            found.append(Use(f"{where}:{node.lineno}", node.value, "literal"))
    return found


def unknown(found: Iterable[Use], keys: frozenset[str]) -> list[str]:
    bad: list[str] = []
    for use in found:
        if use.kind == "key":
            ok = use.text in keys
        elif use.kind == "pattern":
            shape = re.compile(use.text)
            ok = any(shape.fullmatch(key) for key in keys)
        else:
            prefix = use.text if use.text.endswith(("_", ".")) else use.text + "."
            ok = use.text in keys or any(key.startswith(prefix) for key in keys)
        if not ok:
            bad.append(f"{use.where} {use.text!r}")
    return bad


@cache
def catalog_keys() -> frozenset[str]:
    return frozenset(i18n.catalog())


@cache
def namespaces() -> frozenset[str]:
    return {key.split(".", 1)[0] for key in catalog_keys()}


@cache
def package_uses() -> tuple[Use, ...]:
    found: list[Use] = []
    for path in sorted((ROOT / "wizard").rglob("*.py")):
        where = str(path.relative_to(ROOT))
        found += uses(path.read_text(encoding="utf-8"), where, namespaces())
    return tuple(found)


def test_every_key_the_code_names_exists() -> None:
    bad = unknown(package_uses(), catalog_keys())
    assert not bad, "missing in resources/i18n/*.toml:\n" + "\n".join(bad)


def test_every_key_the_code_names_has_both_languages() -> None:
    entries = i18n.catalog()
    lacking = [
        f"{use.where} {use.text}"
        for use in package_uses()
        if use.kind == "key" and use.text in entries
        for lang in i18n.LANGS
        if lang not in entries[use.text]
    ]
    assert not lacking


def test_the_scan_finds_keys_in_every_shape() -> None:
    """The scan itself: a call, a lookup through ctx, an f-string, a table entry."""
    source = (
        "i18n.t('gui.button.next', lang)\n"
        "self.ctx.t_list('gui.open_settings.steps')\n"
        "i18n.both(f'hint.{code}.title')\n"
        "TITLES = ('gui.save.title', 'not a key', 'wizard.py')\n"
    )
    found = uses(source, "x.py", namespaces())
    assert [(u.text, u.kind) for u in found] == [
        ("gui.button.next", "key"),
        ("gui.open_settings.steps", "key"),
        (r"hint\.[A-Za-z0-9_.]+\.title", "pattern"),
        ("gui.save.title", "literal"),
    ]
    assert unknown(found, catalog_keys()) == []


@pytest.mark.parametrize(
    "source",
    [
        "ctx.t('gui.button.nxet')",
        "i18n.t_list(f'hint.{code}.stpes')",
        "KEYS = {'storage.nonexistent_reason': 1}",
        "i18n.both('cli.no_such_message', x=1)",
    ],
)
def test_a_misspelt_key_is_caught(source: str) -> None:
    assert unknown(uses(source, "x.py", namespaces()), catalog_keys()) != []


def test_nothing_is_scanned_outside_the_package_by_mistake() -> None:
    assert Path(ROOT / "wizard" / "i18n.py").is_file()
    assert len(package_uses()) > 100  # the scan sees the package's real uses
