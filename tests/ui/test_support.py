"""Support staff's tools in the GUI: the plan probe's table, Diagnóstico, support-safe
mode and its redacted report."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel, QWizard

from tests.helpers import CANARY_TOKEN
from tests.helpers.gui import fast_probe, fill, go_to, stale_answer_delivered, visible_texts
from wizard.sandbox import DEMO_TOKEN
from wizard.ui.support import DoctorDialog, SupportDialog


def table_rows(wizard) -> dict[str, str]:  # type: ignore[no-untyped-def]
    table = wizard.test.probe_view.table
    return {table.item(r, 0).text(): table.item(r, 1).text() for r in range(table.rowCount())}


def connect(qtbot, wizard, email: str, token: str = DEMO_TOKEN) -> None:  # type: ignore[no-untyped-def]
    fill(wizard, email, token)
    wizard.next()
    qtbot.waitUntil(lambda: wizard.ctx.result is not None, timeout=10_000)


@pytest.mark.parametrize("lang", ["es", "en"])
def test_the_basic_plan_shows_which_features_are_missing(make_wizard, qtbot, lang: str) -> None:  # type: ignore[no-untyped-def]
    wizard = make_wizard("--sandbox", "--lang", lang, probe=fast_probe)
    connect(qtbot, wizard, "basico@alegra.test")
    qtbot.waitUntil(lambda: wizard.ctx.probe_result is not None, timeout=10_000)
    rows = table_rows(wizard)
    journals = "Comprobantes contables" if lang == "es" else "Journal entries"
    contacts = (
        "Contactos (clientes y proveedores)"
        if lang == "es"
        else "Contacts (customers and suppliers)"
    )
    assert rows[journals].startswith("✘") and rows[contacts].startswith("✔")
    assert "plan" in wizard.test.probe_view.advice.text()
    assert wizard.test.probe_view.isVisible()
    assert wizard.button(QWizard.WizardButton.NextButton).isEnabled(), "the probe never blocks"


def test_a_full_plan_and_the_language_switch(make_wizard, qtbot) -> None:  # type: ignore[no-untyped-def]
    wizard = make_wizard("--sandbox", "--lang", "es", probe=fast_probe)
    connect(qtbot, wizard, "demo@alegra.test")
    qtbot.waitUntil(lambda: wizard.ctx.probe_result is not None, timeout=10_000)
    assert sum(v.startswith("✔") for v in table_rows(wizard).values()) == 9
    wizard.ctx.set_lang("en")
    assert "Journal entries" in table_rows(wizard)


def test_back_drops_a_probe_in_flight(make_wizard, qtbot) -> None:  # type: ignore[no-untyped-def]
    release = threading.Event()

    def slow_probe(email, token, base_url, cancel):  # type: ignore[no-untyped-def]
        release.wait(5)
        return fast_probe(email, token, base_url, cancel)

    wizard = make_wizard("--sandbox", probe=slow_probe)
    connect(qtbot, wizard, "demo@alegra.test")
    assert wizard.test.probe_view.worker.busy
    wizard.back()
    with stale_answer_delivered(qtbot, wizard.test.probe_view.worker):
        release.set()
    assert wizard.ctx.probe_result is None and not wizard.test.probe_view.isVisible()


def test_diagnosis_opens_from_a_failure_and_lists_the_checks(make_wizard, qtbot) -> None:  # type: ignore[no-untyped-def]
    wizard = make_wizard("--sandbox", "--lang", "es")
    connect(qtbot, wizard, "nadie@alegra.test", CANARY_TOKEN)
    button = wizard.test.doctorButton
    assert button.isVisible() and button.text().replace("&", "") == "Diagnóstico"
    button.click()
    dialog = wizard.test.doctor_dialog
    assert isinstance(dialog, DoctorDialog) and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=15_000)
    text = dialog.text.toPlainText()
    assert "Llavero" in text and "Configuración legible" in text
    assert "servidor local de prueba" in text  # the sandbox is plain http on loopback
    dialog.copy_button.click()
    assert QGuiApplication.clipboard().text() == text
    assert CANARY_TOKEN not in text
    dialog.accept()


def test_support_mode_never_shows_the_token(make_wizard, qtbot) -> None:  # type: ignore[no-untyped-def]
    wizard = make_wizard("--sandbox", "--support")
    fill(wizard, "demo@alegra.test", CANARY_TOKEN)
    page = wizard.credentials
    assert not page.show_button.isEnabled()
    page.show_button.setChecked(True)  # even if something ticks it
    assert page.token_shown.isHidden() and page.token_shown.text() == ""
    assert wizard.button(QWizard.WizardButton.CustomButton1).isVisible()


def test_support_mode_switched_on_from_page_one_hides_a_shown_token(make_wizard, qtbot) -> None:  # type: ignore[no-untyped-def]
    wizard = make_wizard("--sandbox")
    assert not wizard.button(QWizard.WizardButton.CustomButton1).isVisible()
    fill(wizard, "demo@alegra.test", CANARY_TOKEN)
    wizard.credentials.show_button.setChecked(True)
    assert wizard.credentials.token_shown.text() == CANARY_TOKEN
    wizard.ctx.set_support(True)  # what the welcome page's box does
    assert wizard.credentials.token_shown.text() == ""
    assert wizard.credentials.token_shown.isHidden()
    assert wizard.credentials.tokenEdit.token() == CANARY_TOKEN, "nothing typed is lost"
    wizard.restart()
    wizard.welcome.support_check.setChecked(False)
    assert not wizard.ctx.support and wizard.credentials.show_button.isEnabled()


SCENARIOS = ["demo@alegra.test", "basico@alegra.test", "nadie@alegra.test", "limite@alegra.test",
             "caido@alegra.test", "sinpermiso@alegra.test", "suspendida@alegra.test"]  # fmt: skip


@pytest.mark.parametrize("email", SCENARIOS)
def test_the_support_report_is_redacted_on_every_outcome(
    make_wizard, qtbot, tmp_path: Path, email: str
) -> None:  # type: ignore[no-untyped-def]
    token = DEMO_TOKEN if email != "nadie@alegra.test" else CANARY_TOKEN
    wizard = make_wizard("--sandbox", "--support", "--lang", "es", probe=fast_probe)
    connect(qtbot, wizard, email, token)
    if wizard.ctx.verified:
        qtbot.waitUntil(lambda: wizard.ctx.probe_result is not None, timeout=10_000)
    wizard.button(QWizard.WizardButton.CustomButton1).click()
    dialog = wizard.support_dialog
    assert isinstance(dialog, SupportDialog) and dialog.isVisible()
    report = dialog.text.toPlainText()
    assert token not in report and "Authorization" not in report and "Basic " not in report
    assert f"…{token[-4:]}" in report and email in report
    assert wizard.ctx.result.code.value in report
    if email == "basico@alegra.test":
        assert "Comprobantes contables: ✘ tu plan no incluye esto" in report
    dialog.copy_button.click()
    assert QGuiApplication.clipboard().text() == report
    target = tmp_path / "informe.txt"
    assert dialog.save_to(target)
    assert token not in target.read_text(encoding="utf-8")
    assert str(target) in dialog.notice.text()


def test_saving_the_report_where_it_cannot_be_written_says_so(
    make_wizard, qtbot, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    wizard = make_wizard("--sandbox", "--support", "--lang", "es")
    connect(qtbot, wizard, "demo@alegra.test")
    wizard.open_support_report()
    dialog = wizard.support_dialog
    before = dialog.text.toPlainText()
    assert not dialog.save_to(tmp_path)  # a folder, not a file
    assert "No se pudo guardar" in dialog.notice.text()
    assert dialog.text.toPlainText() == before and dialog.isVisible()


def test_page_one_offers_support_mode(make_wizard) -> None:  # type: ignore[no-untyped-def]
    wizard = make_wizard("--lang", "es")
    go_to(wizard, wizard.welcome)
    assert "Modo soporte" in wizard.welcome.support_check.text()
    wizard.welcome.support_check.setChecked(True)
    assert wizard.ctx.support
    assert (
        wizard.button(QWizard.WizardButton.CustomButton1).text().replace("&", "")
        == "Informe de soporte"
    )


def test_the_support_report_has_one_name_everywhere(make_wizard) -> None:  # type: ignore[no-untyped-def]
    for lang, name in (("es", "Informe de soporte"), ("en", "Support report")):
        wizard = make_wizard("--sandbox", "--support", "--lang", lang)
        wizard.open_support_report()
        dialog = wizard.support_dialog
        assert dialog is not None and dialog.windowTitle().startswith(name)
        button = wizard.button(QWizard.WizardButton.CustomButton1).text().replace("&", "")
        assert button == name
        texts = " ".join(visible_texts(wizard))
        assert "Código de soporte" not in texts and "Support code" not in texts
        dialog.close()


def test_diagnosis_never_says_all_is_in_order_about_skipped_items(make_wizard) -> None:  # type: ignore[no-untyped-def]
    from wizard.doctor import Item, Report
    from wizard.ui.worker import Outcome

    wizard = make_wizard("--sandbox", "--lang", "es")
    fill(wizard, "demo@alegra.test", "0123456789abcdef0123")
    wizard.test.open_doctor()
    dialog = wizard.test.doctor_dialog
    report = Report(
        items=[
            Item("doctor.dns", "ok", "Encontramos el servidor api.alegra.com en la red.", None),
            Item("doctor.https", "skipped", "Conexión segura: no revisada (sin red).", None),
        ]
    )
    dialog._done(Outcome(value=report))
    shown = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert "Todo lo necesario está en orden" not in shown
    assert "un punto no se revisó" in shown and "(s)" not in shown


def test_a_token_glued_to_the_email_stays_out_of_the_report(
    make_wizard, qtbot, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    # The email pre-filled (--profile, or typed), then the token pasted at its end.
    import os
    import uuid

    from PySide6.QtCore import QObject, Qt

    token = uuid.uuid4().hex[:20]
    wizard = make_wizard("--sandbox", "--support", "--lang", "es")
    go_to(wizard, wizard.credentials)
    email = wizard.credentials.emailEdit
    email.setFocus()
    qtbot.keyClicks(email, "ana@empresa.co")
    QGuiApplication.clipboard().setText(token)
    qtbot.keyClick(email, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    QGuiApplication.clipboard().clear()
    wizard.open_support_report()
    dialog = wizard.support_dialog
    report = dialog.text.toPlainText()
    assert token not in report, report
    assert "…" + token[-4:] in report
    target = tmp_path / "informe.txt"
    assert dialog.save_to(target)
    assert os.stat(target).st_mode & 0o777 == 0o600
    assert token not in target.read_text(encoding="utf-8")
    # Closed, it is gone: nothing left to read over accessibility.
    gone = []
    dialog.destroyed.connect(lambda: gone.append(True))
    dialog.close_button.click()
    qtbot.waitUntil(lambda: gone == [True])
    assert wizard.support_dialog is None
    assert not [w for w in wizard.findChildren(QObject, "supportDialog")]
