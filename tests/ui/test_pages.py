"""The pages as a whole (wizard/ui/pages.py and the wizard that builds them): the
short way past the guide and the actions it takes, the guide pictures' zoom view and
object names, and a window that asks no page to import it back."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QDialog, QWidget, QWizard

from tests.helpers import ROOT
from tests.helpers.gui import go_to
from wizard.sandbox import DEMO_TOKEN
from wizard.ui.images import StepImage
from wizard.ui.pages import GUIDE, PAGES


def imports_of(path: Path) -> set[str]:
    """The wizard modules a file imports, at any level (functions included)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("wizard"):
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("wizard")}
    return found


def module_graph(root: Path) -> dict[str, set[str]]:
    files = {
        ".".join(path.relative_to(root).with_suffix("").parts).removesuffix(".__init__"): path
        for path in (root / "wizard").rglob("*.py")
    }
    return {name: imports_of(path) & files.keys() for name, path in files.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every import cycle (each found once per module it starts from)."""
    found = []

    def visit(node: str, path: list[str]) -> None:
        for nxt in sorted(graph[node]):
            if nxt == path[0]:
                found.append([*path, nxt])
            elif nxt not in path and nxt > path[0]:  # each cycle from its smallest module
                visit(nxt, [*path, nxt])

    for start in sorted(graph):
        visit(start, [start])
    return found


def test_the_wizard_is_in_no_import_cycle() -> None:
    """Pages tell the wizard what they need by signals: only the window's entry point
    imports the wizard module, and it is part of no cycle."""
    graph = module_graph(ROOT)
    assert {name for name, found in graph.items() if "wizard.ui.wizard" in found} == {"wizard.app"}
    assert [cycle for cycle in cycles(graph) if "wizard.ui.wizard" in cycle] == []


def test_the_cycle_check_finds_a_cycle(tmp_path: Path) -> None:
    (tmp_path / "wizard" / "ui").mkdir(parents=True)
    (tmp_path / "wizard" / "ui" / "a.py").write_text("def f():\n    from wizard.ui import b\n")
    (tmp_path / "wizard" / "ui" / "b.py").write_text("from wizard.ui.a import f\n")
    assert cycles(module_graph(tmp_path)) == [["wizard.ui.a", "wizard.ui.b", "wizard.ui.a"]]


def test_page_one_asks_the_wizard_by_signals(make_wizard, qtbot) -> None:  # type: ignore[no-untyped-def]
    wizard = make_wizard("--lang", "es")
    wizard.welcome.newRequested.emit()  # «Conectar otra cuenta» in the saved connections
    assert wizard.currentPage() is wizard.sign_in
    wizard.back()
    wizard.welcome.rotateRequested.emit("no-such-profile")
    assert wizard.currentPage() is wizard.welcome
    assert "no-such-profile" in wizard.welcome.demo_error.text()


def test_every_picture_s_object_name_ends_in_image(make_wizard) -> None:  # type: ignore[no-untyped-def]
    """DESIGN's contract: tests outside the project find the pictures by it."""
    wizard = make_wizard("--lang", "es")
    pictures = wizard.findChildren(StepImage)
    assert len(pictures) == len(GUIDE) + 1  # and the paste page's picture of the card
    assert all(picture.objectName().endswith("Image") for picture in pictures)
    for spec in GUIDE:
        assert getattr(wizard, spec.attr).image.objectName() == f"{spec.picture}Image"
    go_to(wizard, wizard.manual_api)
    wizard.manual_api.image.zoomRequested.emit()
    zoom = wizard.manual_api.zoom
    assert zoom is not None and zoom.picture.objectName().endswith("Image")


# --- the zoom view ---


def open_zoom_with(qtbot, wizard, how: str) -> QDialog:  # type: ignore[no-untyped-def]
    page = wizard.currentPage()
    image = page.image
    if how == "click":
        qtbot.mouseClick(image, Qt.MouseButton.LeftButton, pos=image.rect().center())
    else:
        image.setFocus(Qt.FocusReason.TabFocusReason)
        assert image.hasFocus()
        qtbot.keyClick(image, Qt.Key.Key_Space if how == "space" else Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.zoom is not None and page.zoom.isVisible())
    return page.zoom


@pytest.mark.parametrize("how", ["click", "enter", "space"])
def test_a_click_enter_or_space_on_the_picture_opens_it_full_size(make_wizard, qtbot, how) -> None:  # type: ignore[no-untyped-def]
    wizard = make_wizard("--lang", "es")
    go_to(wizard, wizard.open_settings)
    zoom = open_zoom_with(qtbot, wizard, how)
    assert wizard.currentPage() is wizard.open_settings  # Enter did not press Next
    picture = zoom.picture
    natural = picture.natural_size()
    assert picture.drawn_rect().width() >= natural.width()
    assert picture.drawn_rect().height() >= natural.height()
    assert picture.source == wizard.open_settings.image.source
    qtbot.waitUntil(lambda: QApplication.activeWindow() is zoom)
    qtbot.keyClick(QApplication.focusWidget() or zoom, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not zoom.isVisible())
    assert wizard.isVisible() and wizard.currentPage() is wizard.open_settings


def test_the_picture_shows_it_has_the_focus(make_wizard, qtbot) -> None:  # type: ignore[no-untyped-def]
    """A 2-px ring in the accent around the picture while it has the focus."""
    from PySide6.QtGui import QColor

    from wizard.ui import style

    wizard = make_wizard("--lang", "es")
    go_to(wizard, wizard.sign_in)
    image = wizard.sign_in.image
    edge = image.drawn_rect().toRect()
    point = (edge.center().x(), edge.top())
    before = image.grab().toImage().pixelColor(*point)
    image.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(image.hasFocus)
    after = image.grab().toImage().pixelColor(*point)
    assert after == QColor(style.focus_colour()) != before


# --- the short way: «Ya tengo mi usuario y token» ---


def test_the_short_way_goes_to_the_paste_page_with_the_guide_one_click_away(
    make_wizard, qtbot
) -> None:  # type: ignore[no-untyped-def]
    wizard = make_wizard("--lang", "es")
    button = wizard.welcome.shortcut_button
    assert button.isVisible() and button.text() == "&Ya tengo mi usuario y token"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert wizard.currentPage() is wizard.credentials
    guide = wizard.credentials.guide_button
    assert guide.isVisible()
    assert wizard.credentials.reference.isVisible()  # where the two values are, in Alegra
    qtbot.mouseClick(guide, Qt.MouseButton.LeftButton)
    assert wizard.currentPage() is wizard.sign_in
    go_to(wizard, wizard.credentials)  # the long way: the guide button is not offered
    assert not wizard.credentials.guide_button.isVisible()
    while wizard.currentPage() is not wizard.welcome:
        wizard.back()
    wizard.next()  # plain Next after the short way is the guide again
    assert wizard.currentPage() is wizard.sign_in


def test_launch_to_connection_saved_takes_five_actions_on_the_short_way(  # type: ignore[no-untyped-def]
    alegra_url, make_wizard, qtbot, config_dir
) -> None:
    """Clicks, pastes and Enter, counted as a person makes them: the short way, one
    paste of Alegra's whole card, then Enter on each page to «Conexión guardada»."""
    from wizard.store import Store

    wizard = make_wizard("--base-url", alegra_url, "--lang", "es")
    actions = []

    def click(widget: QWidget) -> None:
        actions.append(f"click {widget.objectName() or widget.text()}")
        qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)

    def enter() -> None:
        actions.append("Enter")
        qtbot.keyClick(QApplication.focusWidget() or wizard, Qt.Key.Key_Return)

    def paste(text: str) -> None:
        actions.append("paste")
        QGuiApplication.clipboard().setText(text)
        qtbot.keyClick(
            QApplication.focusWidget(), Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier
        )

    click(wizard.welcome.shortcut_button)
    assert wizard.currentPage() is wizard.credentials
    qtbot.waitUntil(lambda: wizard.credentials.emailEdit.hasFocus())
    paste(f"Usuario\ndemo@alegra.test\nToken\n{DEMO_TOKEN}")  # Alegra's card, copied whole
    assert wizard.credentials.isComplete()
    enter()
    assert wizard.currentPage() is wizard.test
    qtbot.waitUntil(lambda: wizard.test._state == "done" and wizard.ctx.verified, timeout=15_000)
    # As a person does: Enter once the answer is in and the focus ring is on Next.
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    qtbot.waitUntil(next_button.hasFocus)
    enter()
    assert wizard.currentPage() is wizard.save
    enter()
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.done_page, timeout=15_000)
    assert wizard.done_page.card.title.text() == "Conexión guardada"
    assert len(actions) <= 5, actions
    Store(config_dir=config_dir).forget(wizard.ctx.saved_profile.id)


def test_the_pages_table_is_the_one_list_of_pages() -> None:
    assert len(PAGES) == 9 and len({page.name for page in PAGES}) == 9
    assert [page.name for page in GUIDE] == [
        "signInPage", "openSettingsPage", "manualApiPage", "copyCredentialsPage"
    ]  # fmt: skip
