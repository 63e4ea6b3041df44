"""The window speaks for the product that ships it (the app file): its title, its logo, its
support contact; and a bad app file is explained first, with a way to go on unbranded."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QPushButton

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
    path.write_text('[app]\nname = "Facturador POS"\nid = "<b>Facturador</b>"\n', encoding="utf-8")
    return path


def test_a_bad_file_is_shown_first_in_spanish_and_the_window_goes_on_unbranded(
    qtbot, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    options, _theme = parse_options(["--app-config", str(bad_file(tmp_path)), "--lang", "en"])
    assert options.app == appconfig.DEFAULT and options.app_error is not None
    box = app_file_box(options.app_error, "es")
    qtbot.addWidget(box)
    text = box.text()
    assert text.startswith("El archivo de la app")
    assert text.index("No se cambió nada") < text.index("Nothing was changed")
    assert "<b>Facturador</b>" in text and "a-z" in text
    assert box.textFormat() == Qt.TextFormat.PlainText  # the file's words are never markup

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


# --- the flow, for a product: real sandbox, real Secret Service ---------------------------


def branded(make_wizard, config_dir: Path, url: str, *extra: str):  # type: ignore[no-untyped-def]
    from wizard.store import Store

    return make_wizard(
        "--app-config", str(SAMPLE), "--base-url", url, "--lang", "es", *extra,
        store=lambda: Store(config_dir=config_dir, app_id="facturador-pos"),
    )  # fmt: skip


def checked(qtbot, wizard, email: str) -> None:  # type: ignore[no-untyped-def]
    from tests.helpers.gui import fill
    from wizard.sandbox import DEMO_TOKEN

    fill(wizard, email, DEMO_TOKEN)
    wizard.next()
    qtbot.waitUntil(lambda: wizard.ctx.needs_report is not None, timeout=10_000)


def test_the_welcome_page_shows_the_logo_and_names_the_needs(make_wizard) -> None:  # type: ignore[no-untyped-def]
    wizard = make_wizard("--app-config", str(SAMPLE), "--lang", "es")
    page = wizard.currentPage()
    logo = page.findChild(QLabel, "welcomeLogo")
    assert logo is not None and logo.isVisible() and not logo.pixmap().isNull()
    assert logo.accessibleName() == "Facturador POS"
    needs = page.findChild(QLabel, "welcomeNeeds")
    assert needs.isVisible()
    assert needs.text() == "Facturador POS necesitará: Facturas, Contactos, Bancos."
    assert page.title() == "Conectar Facturador POS con Alegra"
    assert page.findChild(QLabel, "welcomeAppName").text() == "Facturador POS"
    wizard.ctx.set_lang("en")
    assert needs.text() == "Facturador POS will need: Invoices, Contacts, Banks."
    assert page.title() == "Connect Facturador POS to Alegra"


def test_without_an_app_file_page_one_has_no_logo_nor_needs(make_wizard) -> None:  # type: ignore[no-untyped-def]
    page = make_wizard("--lang", "es").currentPage()
    assert page.findChild(QLabel, "welcomeLogo") is None
    assert page.findChild(QLabel, "welcomeNeeds") is None


def test_a_missing_need_is_said_with_why_and_the_user_may_still_save(
    qtbot, make_wizard, config_dir: Path
) -> None:  # type: ignore[no-untyped-def]
    from tests.helpers.gui import save_and_finish
    from wizard.sandbox import Sandbox
    from wizard.store import Store

    with Sandbox() as sandbox:
        wizard = branded(make_wizard, config_dir, sandbox.url)
        checked(qtbot, wizard, "basico@alegra.test")
        asked = [p.split("?")[0] for _, p, _ in sandbox.requests_seen]
        # the check, then the needs and only they: not the plan probe's other rows
        assert asked == [
            "/api/v1/company", "/api/v1/users/self",
            "/api/v1/invoices", "/api/v1/contacts", "/api/v1/bank-accounts",
        ]  # fmt: skip
        view = wizard.test.needs_view
        assert view.isVisible() and not wizard.test.probe_view.isVisible()
        assert view.card.title.text() == "A tu cuenta le falta algo que Facturador POS necesita"
        details = view.card.details.text()
        assert (
            "Tu plan no incluye Bancos, que Facturador POS usa para conciliar los pagos." in details
        )
        assert "puedes guardar la conexión igual" in details
        assert "soporte@facturador.co" in view.support.text()
        assert wizard.test.isComplete()
        wizard.next()
        save_and_finish(qtbot, wizard)
        done = wizard.done_page
        assert done.card.title.text() == "Conexión guardada, pero a Facturador POS le falta algo"
        details = done.card.details.text()
        assert "Tu plan no incluye Bancos" in details and "NIT" in details  # the company stays
        assert "soporte@facturador.co" in details
        assert done.saved.text().endswith(
            "Facturador POS la usará para lo que tu cuenta sí incluye."
        )
        logo = done.findChild(QLabel, "doneLogo")
        assert logo is not None and logo.isVisible()
        ending = wizard.ctx.ending()
        assert ending.exit_code == 20
        assert ending.report["code"] == "needs_unmet" and ending.report["saved"] is True
        assert ending.report["needs_missing"] == [
            {
                "resource": "bank_accounts",
                "status": "not_in_plan",
                "why": "para conciliar los pagos",
            }
        ]
        assert ending.report["app"] == {"id": "facturador-pos", "name": "Facturador POS"}
        store = Store(config_dir=config_dir, app_id="facturador-pos")
        (profile,) = store.list_profiles()
        assert profile.needs_missing == "bank_accounts"
        store.forget(profile.id)


def test_needs_met_the_done_page_says_the_product_can_use_alegra(
    qtbot, make_wizard, config_dir: Path, alegra_url: str
) -> None:  # type: ignore[no-untyped-def]
    from tests.helpers.gui import save_and_finish
    from wizard.store import Store

    wizard = branded(make_wizard, config_dir, alegra_url)
    checked(qtbot, wizard, "demo@alegra.test")
    assert (
        wizard.test.needs_view.card.title.text() == "Tu cuenta tiene lo que Facturador POS necesita"
    )
    assert wizard.test.needs_view.card.details.text() == (
        "Revisamos, sin cambiar nada: Facturas, Contactos, Bancos."
    )
    assert not wizard.test.needs_view.support.isVisible()  # no failure, no support line
    wizard.next()
    save_and_finish(qtbot, wizard)
    assert wizard.done_page.card.title.text() == "Facturador POS ya puede usar tu Alegra"
    lead = wizard.done_page.saved.text()
    assert lead.endswith("Facturador POS ya puede usarla.") and "programas" not in lead
    ending = wizard.ctx.ending()
    assert ending.exit_code == 0 and ending.report["code"] == "connected"
    assert ending.report["needs_missing"] == [] and ending.report["needs_unchecked"] == []
    store = Store(config_dir=config_dir, app_id="facturador-pos")
    (profile,) = store.list_profiles()
    assert profile.needs_missing is None
    store.forget(profile.id)


def test_every_failure_card_names_the_products_support(
    qtbot, make_wizard, config_dir: Path, alegra_url: str
) -> None:  # type: ignore[no-untyped-def]
    from tests.helpers.gui import fill

    wizard = branded(make_wizard, config_dir, alegra_url)
    fill(wizard, "nadie@alegra.test", "0123456789abcdef0123")
    wizard.next()
    qtbot.waitUntil(lambda: wizard.ctx.result is not None, timeout=10_000)
    assert wizard.ctx.result.code.value == "unauthorized"
    html_text = wizard.test.hintView.toPlainText()
    assert "¿Necesitas ayuda con Facturador POS? soporte@facturador.co" in html_text
    assert not wizard.test.needs_view.isVisible()


def test_the_support_report_names_the_product(make_wizard) -> None:  # type: ignore[no-untyped-def]
    from wizard.ui.support import support_report

    wizard = make_wizard("--app-config", str(SAMPLE), "--lang", "es")
    report = support_report(wizard.ctx)
    assert "App: Facturador POS (facturador-pos)" in report
    assert "Soporte de Facturador POS: soporte@facturador.co" in report


# The real entry point in a child: the box comes before anything else; a button is pressed.
MAIN_WITH_A_BAD_FILE = """
import sys
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QPushButton

app = QApplication([sys.argv[0]])
choice = sys.argv[1]


def press():
    box = QApplication.activeModalWidget()
    if box is None or box.objectName() != "appFileProblem":
        QTimer.singleShot(20, press)
        return
    windows = [w for w in QApplication.topLevelWidgets() if w.objectName() == "alegraWizard"]
    print("WINDOWS BEFORE", len(windows), flush=True)
    print("BOX", box.text().splitlines()[0], flush=True)
    box.findChild(QPushButton, choice).click()
    if choice == "continueUnbranded":
        QTimer.singleShot(20, close)


def close():
    for w in QApplication.topLevelWidgets():
        if w.objectName() == "alegraWizard" and w.isVisible():
            print("TITLE", w.windowTitle(), flush=True)
            app.quit()
            return
    QTimer.singleShot(20, close)


QTimer.singleShot(0, press)
from wizard import app as gui

sys.exit(gui.main(sys.argv[2:]))
"""


def test_the_real_window_asks_first_and_quits_or_goes_on_unbranded(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("ALEGRA_")}
    env.update(QT_QPA_PLATFORM="offscreen", ALEGRA_WIZARD_CONFIG_DIR=str(tmp_path / "cfg"))
    bad = str(bad_file(tmp_path))

    def run(choice: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-c", MAIN_WITH_A_BAD_FILE, choice, "--app-config", bad],
            capture_output=True, text=True, env=env, cwd=ROOT, timeout=60, check=False,
        )  # fmt: skip

    quit_run = run("quitAppFile")
    assert quit_run.returncode == 2, quit_run.stderr
    assert "WINDOWS BEFORE 0" in quit_run.stdout  # the box comes before any window
    assert "BOX El archivo de la app" in quit_run.stdout
    assert "TITLE" not in quit_run.stdout
    went_on = run("continueUnbranded")
    assert went_on.returncode == 19, went_on.stderr  # closed without saving: cancelled
    title = next(x for x in went_on.stdout.splitlines() if x.startswith("TITLE "))
    assert "Facturador" not in title and "Alegra" in title
    assert not (tmp_path / "cfg").exists()  # nothing written


def test_a_saved_connection_says_what_the_product_lacks(make_wizard) -> None:  # type: ignore[no-untyped-def]
    from wizard.store import Profile
    from wizard.ui.connection_list import describe

    wizard = make_wizard("--app-config", str(SAMPLE), "--lang", "es")
    marked = Profile(id="caja", name="Caja", email="a@b.co", needs_missing="bank_accounts")
    assert describe(wizard.ctx, marked, False)[-1] == "A Facturador POS le falta: Bancos"
    assert len(describe(wizard.ctx, Profile(id="caja", name="Caja"), False)) == 3


def test_a_branded_window_paints_before_the_heavy_imports(tmp_path: Path) -> None:
    """The app file is read before the first paint (the title, the logo, the needs line):
    what that takes stays light. Only tomllib joins (the file is TOML); requests and the
    keyring still come after the paint."""
    import json
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("ALEGRA_")}
    env.update(
        QT_QPA_PLATFORM="offscreen",
        ALEGRA_WIZARD_SMOKE_REPORT="1",
        ALEGRA_WIZARD_APP_CONFIG=str(SAMPLE),
        ALEGRA_WIZARD_CONFIG_DIR=str(tmp_path / "cfg"),
    )
    proc = subprocess.run(
        [sys.executable, "-m", "wizard", "--smoke-test"],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=60, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    assert report["heavy_modules_loaded"] == []
    assert report["deferred_modules_loaded"] == ["tomllib"]


@pytest.mark.parametrize("state", ["unverified", "problem"])
def test_a_save_that_was_not_verified_names_the_products_support(
    qtbot, make_wizard, state: str
) -> None:  # type: ignore[no-untyped-def]
    from tests.helpers import done_states
    from tests.helpers.gui import fill, go_to, save_and_finish
    from wizard.sandbox import DEMO_TOKEN

    wizard = make_wizard("--app-config", str(SAMPLE), "--lang", "es", "--sandbox")
    fill(wizard, "demo@alegra.test", DEMO_TOKEN)
    go_to(wizard, wizard.test)
    qtbot.waitUntil(lambda: wizard.ctx.needs_report is not None, timeout=10_000)
    wizard.next()
    save_and_finish(qtbot, wizard)
    done_states.show(wizard, state)
    details = wizard.done_page.card.details
    assert details.isVisible()
    assert details.text().endswith(
        "¿Necesitas ayuda con Facturador POS? soporte@facturador.co · WhatsApp +57 300 000 0000"
    )
    assert wizard.done_page.findChild(QLabel, "doneLogo") is not None
