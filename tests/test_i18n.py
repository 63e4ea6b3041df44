"""The one catalog: every entry in every language, same shape, same placeholders."""

from __future__ import annotations

import json
import shutil
import string
import subprocess
import tomllib
from pathlib import Path

import pytest

from wizard import i18n

ROOT = Path(__file__).resolve().parent.parent


def _fields(value: object) -> set[str]:
    items = value if isinstance(value, list) else [value]
    names: set[str] = set()
    for item in items:
        names |= {f for _, f, _, _ in string.Formatter().parse(str(item)) if f}
    return names


def _overridden(key: str, entries: dict) -> str | None:  # type: ignore[type-arg]
    """The base key a country's words override (`country.CO.gui.welcome.intro`), or None."""
    parts = key.split(".", 2)
    if parts[0] == "country" and len(parts) == 3 and parts[2] in entries:
        return parts[2]
    return None


def test_every_entry_has_spanish_and_english_with_the_same_shape() -> None:
    entries = i18n.catalog()
    for key, entry in entries.items():
        base = _overridden(key, entries)
        if base is not None:  # a country's words: only the languages it changes
            assert entry.keys() <= set(i18n.LANGS) and entry, f"{key}: no known language"
            for lang, value in entry.items():
                like = entries[base][lang]
                assert type(value) is type(like), f"{key}: {lang} differs in type from {base}"
                if isinstance(value, list):
                    assert len(value) == len(like), f"{key}: {lang} items differ from {base}"
                assert _fields(value) == _fields(like), f"{key}: placeholders differ from {base}"
            continue
        assert set(i18n.LANGS) <= entry.keys(), f"{key} lacks a language"
        es, en = entry["es"], entry["en"]
        assert type(es) is type(en), f"{key}: es and en differ in type"
        if isinstance(es, list):
            assert len(es) == len(en), f"{key}: es and en have different numbers of items"
        assert _fields(es) == _fields(en), f"{key}: placeholders differ"


def test_language_normalisation() -> None:
    assert i18n.normalize_lang("en_US.UTF-8") == "en"
    assert i18n.normalize_lang("es-MX") == "es"
    assert i18n.normalize_lang("pt_BR") == "es"
    assert i18n.normalize_lang(None) == "es"


def test_system_language(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    for var in ("ALEGRA_WIZARD_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    assert i18n.system_lang() == "en"
    monkeypatch.setenv("LANG", "es_CO.UTF-8")
    assert i18n.system_lang() == "es"
    monkeypatch.setenv("ALEGRA_WIZARD_LANG", "en")
    assert i18n.system_lang() == "en"


def test_missing_key_is_a_clear_error() -> None:
    try:
        i18n.t("no.such.key")
    except KeyError as exc:
        assert "no.such.key" in str(exc)
    else:
        raise AssertionError("expected KeyError")


def test_compiled_catalog_is_up_to_date() -> None:
    """resources/i18n/compiled/ must match the TOML: run scripts/compile_catalog.py."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "compile_catalog", ROOT / "scripts" / "compile_catalog.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    wanted = module.rendered()
    assert wanted, "no catalog files found"
    for path, text in wanted.items():
        assert path.is_file(), f"missing {path.name}: run scripts/compile_catalog.py"
        assert path.read_text(encoding="utf-8") == text, (
            f"{path.name} is stale: run scripts/compile_catalog.py"
        )
    assert set((ROOT / "resources/i18n/compiled").glob("*.json")) == set(wanted)


def test_a_stale_or_broken_compiled_file_falls_back_to_the_toml(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """An edited TOML wins over its old JSON, and a damaged JSON is ignored."""
    import shutil
    import sys

    bundle = tmp_path / "resources" / "i18n"
    shutil.copytree(ROOT / "resources" / "i18n", bundle)
    gui = bundle / "gui.toml"
    gui.write_text(
        gui.read_text(encoding="utf-8").replace(i18n.t("gui.button.next", "en"), "Onward", 1),
        encoding="utf-8",
    )
    (bundle / "compiled" / "cli.json").write_text("{not json", encoding="utf-8")
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    i18n._load_file.cache_clear()
    i18n.catalog.cache_clear()
    try:
        assert i18n.t("gui.button.next", "en") == "Onward"
        cli = tomllib.loads((ROOT / "resources/i18n/cli.toml").read_text(encoding="utf-8"))
        assert i18n.t("cli.description", "es") == cli["cli"]["description"]["es"]
    finally:
        monkeypatch.undo()
        i18n._load_file.cache_clear()
        i18n.catalog.cache_clear()
    assert i18n.t("gui.button.next", "en") != "Onward"


@pytest.mark.parametrize("crlf_by", ["autocrlf", "eol"])
def test_a_crlf_checkout_keeps_the_compiled_catalog_current(tmp_path: Path, crlf_by: str) -> None:
    """A Windows checkout (core.autocrlf=true, or core.eol=crlf with the user's own
    attributes saying `* text=auto`) must not turn the TOML files' LF into CRLF: the compiled
    JSON holds the CRC of the TOML's bytes, and a changed CRC makes every start parse the
    TOML and test_compiled_catalog_is_up_to_date fail. The repository's own .gitattributes,
    in a repository of the catalog, cloned the Windows way."""
    user_attributes = tmp_path / "attributes"
    user_attributes.write_text("* text=auto\n")
    settings = {
        "autocrlf": ["core.autocrlf=true"],
        "eol": ["core.eol=crlf", f"core.attributesFile={user_attributes}"],
    }[crlf_by]
    source = tmp_path / "source"
    (source / "compiled").mkdir(parents=True)
    shutil.copy(ROOT / ".gitattributes", source)
    catalog = ROOT / "resources" / "i18n"
    for path in [*catalog.glob("*.toml"), *(catalog / "compiled").glob("*.json")]:
        shutil.copy(path, source / path.relative_to(catalog))
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-c", "init.defaultBranch=main"]
    subprocess.run([*git, "init", "-q", str(source)], check=True)
    subprocess.run([*git, "-C", str(source), "add", "-A"], check=True)
    subprocess.run([*git, "-C", str(source), "commit", "-qm", "catalog"], check=True)
    clone = tmp_path / "clone"
    options = [word for setting in settings for word in ("-c", setting)]
    subprocess.run([*git, *options, "clone", "-q", str(source), str(clone)], check=True)
    tomls = sorted(clone.glob("*.toml"))
    assert len(tomls) == len(list(catalog.glob("*.toml")))
    for toml in tomls:
        data = toml.read_bytes()
        assert b"\r\n" not in data, toml.name
        compiled = json.loads((clone / "compiled" / f"{toml.stem}.json").read_bytes())
        assert compiled == i18n.compile_file(data), f"{toml.stem}.json stale in the clone"
