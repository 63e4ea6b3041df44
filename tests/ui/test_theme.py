"""The brand's look (issue 22, item 2), measured: the focus ring's contrast computed
from the theme's own colours, and the painted window read back (grabbed pixels) for the
filled main action, the outlined other buttons, the ring, and no Fusion blue in the
palette. Each theme in a child process: the palette is the application's."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from PySide6.QtWidgets import QWizard

from tests.helpers import ROOT
from wizard.ui import style

# Fusion's own blues (its highlight, and the dark palette's the wizard used before).
FUSION_BLUES = {"#308cc6", "#2f65ca", "#3daee9", "#0078d7"}


def luminance(colour: str) -> float:
    def channel(v: int) -> float:
        c = v / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_is_computed_as_wcag_does() -> None:
    assert contrast("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_focus_ring_is_two_px_and_stands_out_3_to_1(theme: str) -> None:
    """WCAG 2.2 focus appearance: ≥ 2 px, and 3:1 between the focused and unfocused
    pixels (the outline it replaces, the filled button's teal) and against the page."""
    c = style.BRAND[theme]
    assert style.FOCUS_WIDTH >= 2
    for beside in ("surface", "outline", "fill", "field"):
        assert contrast(c["ring"], c[beside]) >= 3.0, (beside, contrast(c["ring"], c[beside]))
    assert contrast(c["on_fill"], c["fill"]) >= 4.5  # the main action's text
    assert contrast(c["outline"], c["surface"]) >= 3.0  # a button's edge (WCAG 1.4.11)
    assert contrast(c["on_selection"], c["selection"]) >= 4.5
    assert contrast(c["text"], c["surface"]) >= 7.0


PROBE = r"""
import json, sys
sys.path.insert(0, sys.argv[3])
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QWizard
from wizard import app as gui
from wizard.ui import style
app = QApplication([])
gui.apply_theme(app, sys.argv[1], high_contrast=sys.argv[2] == "hc")
wizard = gui.create_wizard(["--lang", "es"])
wizard.resize(900, 640)
wizard.show()
for _ in range(5):
    app.processEvents()
wizard.next()
wizard.next()  # «Abre Configuración»: Next is its main action
for _ in range(5):
    app.processEvents()
palette = app.palette()
roles = {name: palette.color(getattr(QPalette.ColorRole, name)).name()
         for name in ("Highlight", "Accent", "Link", "Window", "Base")}
def pixels(button):
    image = button.grab().toImage()
    h = image.height() // 2
    return {"edge": image.pixelColor(0, h).name(), "inside": image.pixelColor(3, h).name(),
            "middle": image.pixelColor(6, 4).name()}
nxt = wizard.button(QWizard.WizardButton.NextButton)
cancel = wizard.button(QWizard.WizardButton.CancelButton)
cancel.setFocus(Qt.FocusReason.TabFocusReason)
for _ in range(5):
    app.processEvents()
unfocused, focused = {"next": pixels(nxt)}, {"cancel": pixels(cancel)}
nxt.setFocus(Qt.FocusReason.TabFocusReason)
for _ in range(5):
    app.processEvents()
focused["next"], unfocused["cancel"] = pixels(nxt), pixels(cancel)
print(json.dumps({"roles": roles, "unfocused": unfocused, "focused": focused,
                  "sheet": wizard.styleSheet(), "texts": [nxt.text(), cancel.text(),
                  wizard.buttonText(QWizard.WizardButton.BackButton)]}))
wizard.ctx.shutdown()
"""


def probe(theme: str, contrast_mode: str = "brand") -> dict:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, theme, contrast_mode, str(ROOT)],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_no_fusion_blue_and_a_white_or_dark_surface(theme: str) -> None:
    found = probe(theme)
    c = style.BRAND[theme]
    roles = found["roles"]
    assert not FUSION_BLUES & set(roles.values()), roles
    assert roles["Highlight"] == roles["Accent"] == c["selection"].lower()
    assert roles["Link"] == c["link"].lower()
    assert roles["Window"] == c["surface"].lower()
    assert all("<" not in text and ">" not in text for text in found["texts"]), found["texts"]


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_main_action_is_filled_the_others_outlined_and_the_ring_painted(theme: str) -> None:
    found = probe(theme)
    c = {key: value.lower() for key, value in style.BRAND[theme].items()}
    nxt, cancel = found["unfocused"]["next"], found["unfocused"]["cancel"]
    assert nxt["middle"] == c["fill"], nxt  # filled teal
    assert cancel["middle"] == c["surface"] and cancel["edge"] != c["surface"], cancel
    # focused: the 2-px ring, in the theme's ring colour, on both kinds of button
    for name in ("next", "cancel"):
        ring = found["focused"][name]
        assert ring["edge"] == c["ring"], (name, ring)
        assert contrast(ring["edge"], found["unfocused"][name]["edge"]) >= 3.0


def test_high_contrast_keeps_the_system_s_colours() -> None:
    brand, system = probe("light"), probe("light", "hc")
    assert system["roles"]["Highlight"] != brand["roles"]["Highlight"]
    assert "palette(highlight)" in system["sheet"] and "#" not in system["sheet"]
    assert f"{style.FOCUS_WIDTH}px solid" in system["sheet"]


def test_every_wizard_button_text_is_free_of_ascii_arrows() -> None:
    from wizard import i18n
    from wizard.ui.wizard import BUTTON_KEYS

    assert QWizard.WizardButton.NextButton in BUTTON_KEYS
    for key in BUTTON_KEYS.values():
        for lang in ("es", "en"):
            text = i18n.t(key, lang)
            assert "<" not in text and ">" not in text, text


def test_every_text_on_the_pages_is_on_the_one_type_scale(make_wizard) -> None:  # type: ignore[no-untyped-def]
    """Headers, result cards and body text: each label's size is one of the scale's (the
    application's own font is the body's, whatever the platform sets it to)."""
    from PySide6.QtWidgets import QApplication, QLabel

    from tests.helpers.layout import walk_pages

    wizard = make_wizard("--sandbox", "--lang", "es")
    allowed = {*style.TYPE_SCALE.values(), QApplication.font().pointSizeF()}
    sizes = {}
    for page in walk_pages(wizard):
        for label in page.findChildren(QLabel):
            if label.isVisible() and label.text():
                sizes[f"{page.objectName()}/{label.objectName()}"] = label.font().pointSizeF()
    assert {where: size for where, size in sizes.items() if size not in allowed} == {}
    assert {sizes["testPage/companyLabel"], sizes["testPage/pageTitle"]} <= allowed
