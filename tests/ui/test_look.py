"""How the pages look where it matters on small screens and dark themes.

In the dark theme an unticked check box on page one can be seen: its edge, as drawn on
the real welcome page (grabbed pixels, not the palette's word for it), stands out 3:1
from the page around it (WCAG 1.4.11 for a control's boundary). Each theme in a child
process: the theme is the application's, for the process's life.

The test-mode banner is one line on the smallest window (a 1280x800 screen at 2x), so the
page keeps its room; the whole sentence is its tooltip."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.helpers import ROOT
from tests.helpers.gui import go_to

PROBE = r"""
import json, sys
sys.path.insert(0, sys.argv[2])
from PySide6.QtWidgets import QApplication, QStyle, QStyleOptionButton
from wizard import app as gui
app = QApplication([])
gui.apply_theme(app, sys.argv[1])
wizard = gui.create_wizard(["--lang", "es"])
wizard.resize(880, 720)
wizard.show()
for _ in range(5):
    app.processEvents()
box = wizard.welcome.support_check
assert not box.isChecked()
option = QStyleOptionButton()
option.initFrom(box)
rect = box.style().subElementRect(QStyle.SubElement.SE_CheckBoxIndicator, option, box)
image = wizard.grab().toImage()
rect.translate(box.mapTo(wizard, rect.topLeft()) - rect.topLeft())
def lum(c):
    def ch(v):
        v /= 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
    return 0.2126 * ch(c.red()) + 0.7152 * ch(c.green()) + 0.0722 * ch(c.blue())
page = lum(image.pixelColor(rect.right() + 2, rect.center().y()))  # beside the box
best = 0.0
for x in range(rect.left(), rect.right() + 1):
    for y in range(rect.top(), rect.bottom() + 1):
        c = lum(image.pixelColor(x, y))
        hi, lo = max(c, page), min(c, page)
        best = max(best, (hi + 0.05) / (lo + 0.05))
print(json.dumps({"contrast": best, "rect": [rect.width(), rect.height()]}))
wizard.ctx.shutdown()
"""


@pytest.mark.parametrize("theme", ["dark", "light"])
def test_an_unticked_check_box_stands_out_from_the_page(theme: str) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, theme, str(ROOT)],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-2000:]
    found = json.loads(proc.stdout.strip().splitlines()[-1])
    assert found["rect"][0] >= 10, found
    assert found["contrast"] >= 3.0, found


@pytest.mark.parametrize("lang", ["es", "en"])
def test_the_test_mode_banner_is_one_line_on_a_small_window(make_wizard, qtbot, lang: str) -> None:  # type: ignore[no-untyped-def]
    wizard = make_wizard("--sandbox", "--lang", lang)
    wizard.resize(640, 400)
    qtbot.waitUntil(lambda: wizard.width() == 640)
    for page in (wizard.welcome, wizard.credentials):
        go_to(wizard, page)
        banner = page.banner
        qtbot.waitUntil(banner.isVisible)
        one_line = banner.heightForWidth(100_000)
        assert banner.height() <= one_line, (page.objectName(), banner.height(), one_line)
        assert banner.heightForWidth(banner.width()) == one_line
        assert len(banner.toolTip()) > len(banner.text()) and banner.accessibleDescription()


def test_a_new_tone_restyles_the_card_alone(make_wizard) -> None:  # type: ignore[no-untyped-def]
    """Qt parses a style sheet and re-polishes the widget and all it holds whenever it is
    given one, the same text included; the test page re-tones its card on every state. The
    card's sheet holds every tone, picked by its `tone` property: a new tone polishes the
    frame alone, and the same tone again nothing."""
    from PySide6.QtCore import QEvent, QObject

    card = make_wizard("--sandbox", "--lang", "es").test.result_card
    changes: list[str] = []

    class Spy(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.StyleChange:
                changes.append(watched.objectName())
            return False

    spy = Spy()
    card.title.installEventFilter(spy)
    card.set_tone("error", "!")
    changes.clear()
    card.set_tone("ok", "✔")
    card.set_tone("ok", "✔")
    assert changes == []


def test_each_tone_paints_its_own_card(make_wizard) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QColor
    from PySide6.QtWidgets import QApplication

    from wizard.ui import style

    card = make_wizard("--sandbox", "--lang", "es").test.result_card
    card.setParent(None)  # on its own: the page shows it only with a result
    card.resize(400, 160)
    card.show()
    for kind, surfaces in [*style.CARD_SURFACES.items(), ("ok", style.CARD_SURFACES["ok"])]:
        card.set_tone(kind, "!")
        QApplication.processEvents()
        inside = card.grab().toImage().pixelColor(200, 150)  # below the text, inside
        assert inside == QColor(surfaces[1 if style.is_dark() else 0][0]), (kind, inside.name())
    card.close()
