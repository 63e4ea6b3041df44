"""The config folder follows the app file's id: user_config_dir(<id>), today's folder for the
default id, and settings.json apart per product."""

from __future__ import annotations

import sys
from pathlib import Path

import platformdirs
import pytest
from platformdirs.macos import MacOS
from platformdirs.windows import Windows

from wizard import settings


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="the XDG rule is Linux's")
def test_the_folder_is_named_after_the_app_id(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ALEGRA_WIZARD_CONFIG_DIR", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert settings.config_dir() == tmp_path / "alegra-wizard"
    assert settings.config_dir("alegra-wizard") == tmp_path / "alegra-wizard"
    assert settings.config_dir("facturador-pos") == tmp_path / "facturador-pos"


def test_the_override_keeps_products_apart(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALEGRA_WIZARD_CONFIG_DIR", str(tmp_path / "cfg"))
    assert settings.config_dir() == tmp_path / "cfg"
    assert settings.config_dir("facturador-pos") == tmp_path / "cfg" / "facturador-pos"


def test_remembered_choices_are_per_product(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ALEGRA_WIZARD_CONFIG_DIR", str(tmp_path / "cfg"))
    settings.save({"lang": "en", "country": "MX"}, "facturador-pos")
    settings.save({"lang": "es"})
    assert settings.load("facturador-pos") == {"lang": "en", "country": "MX"}
    assert settings.load() == {"lang": "es"}
    assert (tmp_path / "cfg" / "facturador-pos" / "settings.json").is_file()


# --- each platform's folder (issue 26) --------------------------------------------------


def _as_if_on(monkeypatch: pytest.MonkeyPatch, platform: str) -> None:
    """platformdirs' own Windows or macOS rules, as config_dir calls them there (the
    Windows one reads the Local AppData folder from platformdirs' documented override)."""
    kind = {"win32": Windows, "darwin": MacOS}[platform]
    monkeypatch.delenv("ALEGRA_WIZARD_CONFIG_DIR", raising=False)
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)  # platformdirs honours it on macOS
    monkeypatch.setattr(sys, "platform", platform)
    monkeypatch.setenv("WIN_PD_OVERRIDE_LOCAL_APPDATA", r"C:\Users\ana\AppData\Local")
    monkeypatch.setattr(
        platformdirs, "user_config_dir", lambda *a, **kw: kind(*a, **kw).user_config_dir
    )


def test_windows_config_folder_is_localappdata_alegra_wizard(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Issue 26: platformdirs' default author (the app's name again) made it
    %LOCALAPPDATA%\\alegra-wizard\\alegra-wizard; the README and Setup say
    %LOCALAPPDATA%\\alegra-wizard."""
    _as_if_on(monkeypatch, "win32")
    folder = settings.config_dir()
    assert folder.name == "alegra-wizard" and folder.parent.name == r"C:\Users\ana\AppData\Local"
    assert settings.config_dir("facturador-pos").name == "facturador-pos"


def test_macos_config_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    _as_if_on(monkeypatch, "darwin")
    assert settings.config_dir() == Path.home() / "Library/Application Support/alegra-wizard"


def test_linux_config_folder_is_unchanged(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("ALEGRA_WIZARD_CONFIG_DIR", raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert settings.config_dir() == tmp_path / "alegra-wizard"
    monkeypatch.delenv("XDG_CONFIG_HOME")
    assert settings.config_dir() == Path.home() / ".config" / "alegra-wizard"
