"""The done page (issue 13's success view): each outcome as a card in the test page's
look, never the token, the technical lines only behind «Para programadores», and after
an unverified save the window's own re-check, against a real server that comes back."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWizard

from tests.helpers import done_states
from tests.helpers.focus import focus_problems
from tests.helpers.gui import SLOW_S, fill, focus_widget, go_to, save_and_finish, visible_texts
from wizard.outcomes import Code
from wizard.sandbox import DEMO_TOKEN, Sandbox
from wizard.store import Store

# state -> (card tone's icon, words of the title, recheck offered, for programmers offered)
EXPECTED = {
    "saved": ("✔", "Conexión guardada", False, True),
    "problem": ("!", "con un problema", True, True),
    "unverified": ("!", "sin verificar", True, True),
    "test_mode": ("✔", "Prueba terminada", False, False),
    "not_saved": ("!", "no se guardó", False, False),
}
TECHNICAL = ("credential get", "wizard.store.load", "Secret Service", "servicio «alegra-wizard")


def shown_texts(page) -> str:  # type: ignore[no-untyped-def]
    return "\n".join(label.text() for label in page.findChildren(QLabel) if label.isVisibleTo(page))


def to_done_page(make_wizard, qtbot):  # type: ignore[no-untyped-def]
    """Test mode, the demo account, tested and «saved» (nothing is): the done page."""
    wizard = make_wizard("--sandbox", "--lang", "es")
    fill(wizard, "demo@alegra.test", DEMO_TOKEN)
    go_to(wizard, wizard.test)
    qtbot.waitUntil(lambda: wizard.ctx.verified, timeout=10_000)
    wizard.next()
    save_and_finish(qtbot, wizard)
    return wizard


@pytest.mark.parametrize("state", list(EXPECTED))
def test_each_outcome_is_a_card_with_what_happened_and_never_the_token(
    make_wizard, qtbot, state: str
) -> None:  # type: ignore[no-untyped-def]
    wizard = to_done_page(make_wizard, qtbot)
    done_states.show(wizard, state)
    page = wizard.done_page
    icon, title, recheck, programs = EXPECTED[state]
    assert page.state() == state
    assert page.card.icon.text() == icon and page.card.icon.accessibleName()
    assert title.lower() in page.card.title.text().lower()
    assert page.card.styleSheet().startswith("QFrame#doneCard")
    if state in ("saved", "test_mode", "not_saved"):  # the others' check read no company
        assert page.card.name.text() == "Panadería La Espiga S.A.S."
        assert "NIT: 900123456-7" in page.card.details.text()
    shown = shown_texts(page)
    assert "…0123" in page.facts["token"][1].text()
    assert DEMO_TOKEN not in "\n".join(visible_texts(wizard))
    assert page.facts["where"][1].text()[:1].isupper()
    assert page.facts["checked"][1].text()
    if recheck:  # what went wrong under the name, before what to do about it
        assert page.card.details.text() == page.facts["checked"][1].text()
        assert not page.facts["checked"][1].isVisible()
    assert page.recheck_button.isVisible() is recheck
    assert page.programs_toggle.isVisible() is programs
    # The technical lines only behind the disclosure, and only once opened.
    assert not any(word in shown for word in TECHNICAL), shown
    if programs:
        page.programs_toggle.click()
        assert "credential get --profile panaderia-la-espiga-s-a-s" in shown_texts(page)
        assert (  # the one name other programs look it up by
            "servicio «alegra-wizard:panaderia-la-espiga-s-a-s», usuario"
            " «panaderia-la-espiga-s-a-s»" in shown_texts(page)
        )
        from wizard.version import __version__

        about = f"alegra-wizard {__version__}, servidor {wizard.ctx.base_url}"
        assert about in shown_texts(page)  # the version and server, only behind it
        page.programs_toggle.click()
        assert __version__ not in shown_texts(page) and wizard.ctx.base_url not in shown_texts(page)
    if state == "not_saved":
        assert page.title() == "Terminado sin guardar"
    # Every text here follows the language.
    wizard.ctx.set_lang("en")
    assert page.card.title.text() and "Conexión" not in page.card.title.text()


def test_the_problem_and_the_outage_say_what_the_check_found(make_wizard, qtbot) -> None:  # type: ignore[no-untyped-def]
    wizard = to_done_page(make_wizard, qtbot)
    page = wizard.done_page
    done_states.show(wizard, "problem")
    assert "no puede ver la información de la empresa" in page.facts["checked"][1].text()
    assert "«Revisar ahora»" in page.unverified.text()
    done_states.show(wizard, "unverified")
    assert page.facts["checked"][1].text() == "Alegra no respondió a tiempo."
    assert "Todavía no sabemos" in page.unverified.text()
    assert "alegra-wizard" not in page.unverified.text()  # no terminal command


def test_an_unverified_save_is_checked_again_from_the_window_once_alegra_answers(
    make_wizard, qtbot, config_dir
) -> None:  # type: ignore[no-untyped-def]
    # A server that is down (the port closed): the check can't verify, the user saves.
    sandbox = Sandbox(slow_seconds=SLOW_S).start()
    url, port = sandbox.url, int(sandbox.url.split(":")[2].split("/")[0])
    sandbox.stop()
    wizard = make_wizard("--base-url", url, "--lang", "es")
    fill(wizard, "demo@alegra.test", DEMO_TOKEN)
    wizard.next()
    qtbot.waitUntil(lambda: wizard.ctx.result is not None, timeout=10_000)
    assert wizard.ctx.result.code is Code.CONNECTION_FAILED
    wizard.test.continueCheck.setChecked(True)
    wizard.next()
    save_and_finish(qtbot, wizard)
    page = wizard.done_page
    assert page.state() == "unverified" and page.card.icon.text() == "!"
    assert "No pudimos conectarnos" in page.facts["checked"][1].text()
    # Arriving, the focus is on the next step: «Revisar ahora».
    qtbot.waitUntil(lambda: focus_widget() is page.recheck_button)
    # Alegra is back; the user presses «Revisar ahora» by keyboard.
    revived = Sandbox(port=port, slow_seconds=SLOW_S).start()
    try:
        qtbot.keyClick(page.recheck_button, Qt.Key.Key_Space)
        qtbot.waitUntil(lambda: page.state() == "saved", timeout=10_000)
        assert page.card.icon.text() == "✔" and page.card.title.text() == "Conexión guardada"
        assert page.card.name.text() == "Panadería La Espiga S.A.S."
        assert "Verificado" in page.recheck_status.text()
        assert not page.recheck_button.isVisible()
        # The button it was on is gone: the focus is on the answer, still in view.
        assert focus_widget() is page.recheck_status
        assert focus_problems(wizard) == []
        stored = Store(config_dir=config_dir).load(wizard.ctx.saved_profile.id)
        assert stored.profile.last_check_code == "connected"
    finally:
        revived.stop()
        Store(config_dir=config_dir).forget(wizard.ctx.saved_profile.id)
    with qtbot.waitSignal(wizard.finished, timeout=5000):
        wizard.button(QWizard.WizardButton.FinishButton).click()
