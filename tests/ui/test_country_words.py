"""Each country's pages use its own words: «computador» in Colombia, «computadora» in
México, «ordenador» in España (the real wizard, pytest-qt, the real Secret Service)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel, QWidget

from tests.helpers.gui import fill, go_to, save_and_finish
from tests.helpers.keyrings import MemoryBackend
from wizard.sandbox import DEMO_TOKEN
from wizard.store import Store

INTRO = {
    "co": "los programas de este computador.",
    "mx": "los programas de esta computadora.",
    "pe": "los programas de esta computadora.",
    "es": "los programas de este ordenador.",
}


def page_text(page: QWidget) -> str:
    return "\n".join(label.text() for label in page.findChildren(QLabel) if label.isVisible())


@pytest.mark.parametrize("code", sorted(INTRO))
def test_page_one_speaks_the_chosen_countrys_words(make_wizard, code: str) -> None:  # type: ignore[no-untyped-def]
    wizard = make_wizard("--lang", "es", "--country", code)
    assert INTRO[code] in page_text(wizard.welcome)


def test_choosing_another_country_on_page_one_changes_the_words_at_once(make_wizard) -> None:  # type: ignore[no-untyped-def]
    wizard = make_wizard("--lang", "es", "--country", "co")
    combo = wizard.welcome.country_combo
    combo.setCurrentIndex(combo.findData("es"))
    assert INTRO["es"] in page_text(wizard.welcome)
    assert "computador" not in page_text(wizard.welcome)
    combo.setCurrentIndex(combo.findData("mx"))
    assert INTRO["mx"] in page_text(wizard.welcome)
    wizard.ctx.set_lang("en")  # English has one word everywhere
    assert "the programs on this computer." in page_text(wizard.welcome)


DONE = [("co", "este computador"), ("mx", "esta computadora"), ("es", "este ordenador")]


@pytest.mark.parametrize(("code", "words"), DONE)
def test_the_done_page_uses_the_countrys_words(
    alegra_url, make_wizard, qtbot, code: str, words: str
) -> None:  # type: ignore[no-untyped-def]
    wizard = make_wizard("--base-url", alegra_url, "--lang", "es", "--country", code)
    fill(wizard, "mx@alegra.test" if code == "mx" else "demo@alegra.test", DEMO_TOKEN)
    wizard.next()
    qtbot.waitUntil(lambda: wizard.ctx.verified, timeout=10_000)
    wizard.next()
    wizard.save.profileNameEdit.setText(f"Palabras {code}")
    save_and_finish(qtbot, wizard)
    try:
        assert words in page_text(wizard.done_page)
    finally:
        wizard.ctx.store.forget(wizard.ctx.saved_profile.id)


def test_a_failed_save_explains_in_the_countrys_words(
    alegra_url, make_wizard, qtbot, config_dir
) -> None:  # type: ignore[no-untyped-def]
    class Broken(MemoryBackend):
        def set_password(self, service: str, user: str, secret: str) -> None:
            raise RuntimeError("broken")

    wizard = make_wizard(
        "--base-url",
        alegra_url,
        "--lang",
        "es",
        "--country",
        "es",
        store=lambda: Store(config_dir=config_dir, backend=Broken()),
    )
    fill(wizard, "demo@alegra.test", DEMO_TOKEN)
    wizard.next()
    qtbot.waitUntil(lambda: wizard.ctx.verified, timeout=10_000)
    go_to(wizard, wizard.save)
    wizard.next()
    qtbot.waitUntil(lambda: wizard.save.error_steps.isVisible(), timeout=10_000)
    steps = wizard.save.error_steps.toPlainText()
    assert "reinicia la sesión del ordenador" in steps
    assert "computador" not in steps
