"""The config folder follows the app file's id: user_config_dir(<id>), today's folder for the
default id, and settings.json apart per product."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

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
