"""Older menu labels: some accounts show «Configuración → API - Integraciones con otros
sistemas» instead of «Integraciones → Integración Manual (API)». The guide's step text
and the «¿No la encuentras?» panel name both, in Spanish and in English."""

from __future__ import annotations

import pytest

from tests.helpers.gui import go_to

OLD = "API - Integraciones con otros sistemas"


@pytest.mark.parametrize("lang", ["es", "en"])
def test_the_guide_names_the_old_and_the_new_menu_labels(make_wizard, lang: str) -> None:  # type: ignore[no-untyped-def]
    wizard = make_wizard("--lang", lang)
    go_to(wizard, wizard.open_settings)
    steps = wizard.open_settings.text.text()
    assert "Integraciones" in steps and OLD in steps
    go_to(wizard, wizard.manual_api)
    page = wizard.manual_api
    assert "Integración Manual (API)" in page.text.text() and OLD in page.text.text()
    page.more_button.click()
    assert page.more_panel.isVisible()
    panel = page.help.text()
    assert "Integraciones → Integración Manual (API)" in panel
    assert f"Configuración → {OLD}" in panel


@pytest.mark.parametrize("lang", ["es", "en"])
def test_the_wrong_token_hint_names_both_menu_labels(lang: str) -> None:
    from wizard import hints
    from wizard.outcomes import Code

    steps = " ".join(hints.hint_for(Code.UNAUTHORIZED, lang).steps)
    assert "Integración Manual (API)" in steps or "Manual integration (API)" in steps
    assert OLD in steps
    assert OLD in " ".join(hints.hint_for(Code.INVALID_INPUT, lang).steps)
