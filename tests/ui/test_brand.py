"""The window speaks for the product that ships it (the app file): its title, its logo, its
support contact; and a bad app file is explained first, with a way to go on unbranded."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QPushButton

from tests.helpers import ROOT
from wizard import appconfig
from wizard.app import parse_options
from wizard.ui.brand import app_file_box, ask_to_continue_unbranded, logo_pixmap, support_line

SAMPLE = ROOT / "resources" / "samples" / "facturador-pos" / "alegra-wizard.toml"


def test_the_title_names_the_product(make_wizard) -> None:  # type: ignore[no-untyped-def]
    wizard = make_wizard("--app-config", str(SAMPLE), "--lang", "es")
    assert wizard.windowTitle().startswith("Conectar Facturador POS con Alegra")
    assert wizard.ctx.app.id == "facturador-pos"
    wizard.ctx.set_lang("en")
    assert wizard.ctx.window_title() == "Connect Facturador POS to Alegra"


def test_without_an_app_file_the_title_is_ours(make_wizard) -> None:  # type: ignore[no-untyped-def]
    wizard = make_wizard("--lang", "es")
    assert wizard.ctx.app == appconfig.DEFAULT
    assert wizard.ctx.window_title() == wizard.ctx.t("gui.window_title")
    assert "Facturador" not in wizard.windowTitle()


def test_the_store_and_remembered_choices_follow_the_app_id(
    tmp_path: Path, monkeypatch: Any
) -> None:
    monkeypatch.setenv("ALEGRA_WIZARD_CONFIG_DIR", str(tmp_path / "cfg"))
    options, _theme = parse_options(["--app-config", str(SAMPLE)])
    from wizard.ui.context import WizardContext

    ctx = WizardContext(options)
    assert ctx.store.app_id == "facturador-pos"
    assert ctx.store.config_file == tmp_path / "cfg" / "facturador-pos" / "profiles.json"


def test_the_logo_is_drawn_from_png_and_svg(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    app = appconfig.read(SAMPLE)
    pixmap = logo_pixmap(app, 56)
    assert pixmap is not None and pixmap.height() == 56
    (tmp_path / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        '<rect width="10" height="10" fill="#0F766E"/></svg>'
    )
    svg = app._replace(logo=tmp_path / "logo.svg")
    drawn = logo_pixmap(svg, 56, 2.0)
    assert drawn is not None and drawn.height() == 112 and drawn.devicePixelRatio() == 2.0
    assert logo_pixmap(appconfig.DEFAULT, 56) is None


def test_the_support_line() -> None:
    app = appconfig.read(SAMPLE)
    assert support_line(app, "es") == (
        "¿Necesitas ayuda con Facturador POS? soporte@facturador.co · WhatsApp +57 300 000 0000"
    )
    assert support_line(appconfig.DEFAULT, "es") is None


def bad_file(tmp_path: Path) -> Path:
    path = tmp_path / "alegra-wizard.toml"
    path.write_text('[app]\nname = "Facturador POS"\nid = "Facturador POS"\n', encoding="utf-8")
    return path


def test_a_bad_file_is_shown_first_in_spanish_and_the_window_goes_on_unbranded(
    qtbot, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    options, _theme = parse_options(["--app-config", str(bad_file(tmp_path)), "--lang", "en"])
    assert options.app == appconfig.DEFAULT and options.app_error is not None
    box = app_file_box(options.app_error, "es")
    qtbot.addWidget(box)
    text = box.informativeText()
    assert text.startswith("El archivo de la app")
    assert text.index("No se cambió nada") < text.index("Nothing was changed")
    assert "Facturador POS" in text and "a-z" in text

    def press(name: str) -> None:
        modal = QApplication.activeModalWidget()
        assert modal is not None and modal.objectName() == "appFileProblem"
        button = modal.findChild(QPushButton, name)
        assert button is not None
        button.click()

    QTimer.singleShot(0, lambda: press("continueUnbranded"))
    assert ask_to_continue_unbranded(options.app_error, "es") is True
    QTimer.singleShot(0, lambda: press("quitAppFile"))
    assert ask_to_continue_unbranded(options.app_error, "es") is False
