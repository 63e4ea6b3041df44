"""The version in the window's title bar (wizard/app.py), in both languages, in support
mode only: a shop owner's title bar says what the window is for."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication

from wizard import app as gui
from wizard import i18n
from wizard.version import __version__


@pytest.fixture
def display_name(qapp: QApplication) -> Iterator[None]:
    before = qapp.applicationDisplayName()
    yield
    qapp.setApplicationDisplayName(before)


def test_the_title_bar_has_no_version_outside_support_mode(
    qapp: QApplication, qtbot, display_name: None
) -> None:  # type: ignore[no-untyped-def]
    wizard = gui.create_wizard(["--lang", "es", "--sandbox"])
    qtbot.addWidget(wizard)
    gui._show_version(qapp, wizard)
    assert wizard.windowTitle() == i18n.t("gui.window_title", "es")
    assert __version__ not in qapp.applicationDisplayName()
    wizard.ctx.set_support(True)  # turned on from page one: the version appears
    assert wizard.windowTitle().endswith(__version__)


def test_the_title_bar_names_the_version_in_support_mode_after_a_language_change(
    qapp: QApplication, qtbot, display_name: None
) -> None:  # type: ignore[no-untyped-def]
    wizard = gui.create_wizard(["--lang", "es", "--sandbox", "--support"])
    qtbot.addWidget(wizard)
    gui._show_version(qapp, wizard)
    spanish = f"{i18n.t('gui.window_title', 'es')} {__version__}"
    assert wizard.windowTitle() == spanish == qapp.applicationDisplayName()
    assert qapp.applicationVersion() == __version__
    wizard.ctx.set_lang("en")
    english = f"{i18n.t('gui.window_title', 'en')} {__version__}"
    assert wizard.windowTitle() == english == qapp.applicationDisplayName()
    assert english != spanish
