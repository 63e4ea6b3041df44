"""The real wizard under pytest-qt, and the moves a user makes in it.

A pytest plugin (tests/conftest.py lists it in pytest_plugins), so the fixtures `browser`,
`config_dir` and `make_wizard` serve tests/ui and tests/faults alike without importing
fixtures by name; the plain functions are imported from here."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QLineEdit,
    QTextBrowser,
    QWidget,
    QWizard,
)

from wizard.app import create_wizard
from wizard.probe import probe_permissions
from wizard.sandbox import Sandbox
from wizard.store import Store
from wizard.ui.wizard import AlegraWizard
from wizard.ui.worker import Worker

SLOW_S = 1.5  # the "lento" scenario, short enough that a late answer arrives within a test


class Browser:
    """Stands in for the desktop's browser: records what the wizard asked to open."""

    def __init__(self, works: bool = True) -> None:
        self.opened: list[str] = []
        self.works = works

    def __call__(self, url: str) -> bool:
        self.opened.append(url)
        return self.works


@pytest.fixture
def browser() -> Browser:
    return Browser()


@pytest.fixture
def config_dir(tmp_path: Path) -> Path:
    return tmp_path / "config"


@pytest.fixture
def make_wizard(
    qtbot: Any, browser: Browser, config_dir: Path
) -> Iterator[Callable[..., AlegraWizard]]:
    made: list[AlegraWizard] = []

    def make(*argv: str, **services: object) -> AlegraWizard:
        services.setdefault("open_url", browser)
        # The real keyring (Secret Service under scripts/with-keyring.sh), a private folder.
        services.setdefault("store", lambda: Store(config_dir=config_dir))
        services.setdefault("sandbox", lambda: Sandbox(slow_seconds=SLOW_S).start())
        wizard = create_wizard(list(argv), **services)  # type: ignore[arg-type]
        qtbot.addWidget(wizard)
        made.append(wizard)
        wizard.resize(880, 720)
        wizard.show()
        qtbot.waitExposed(wizard)
        with qtbot.waitActive(wizard):
            wizard.activateWindow()
        return wizard

    yield make
    for wizard in made:
        wizard.test.runner.cancel()
        wizard.test.probe_view.reset()
        wizard.ctx.shutdown()


@pytest.fixture
def alegra_url() -> Iterator[str]:
    """A fake Alegra outside the wizard (the sandbox, on loopback): for flows that must
    save for real. The wizard's own test mode saves nothing (an in-memory store)."""
    sandbox = Sandbox(slow_seconds=SLOW_S).start()
    yield sandbox.url
    sandbox.stop()


def go_to(wizard: AlegraWizard, page: QWidget) -> None:
    """Press Next until `page` shows (the path a user clicks)."""
    for _ in range(12):
        if wizard.currentPage() is page:
            return
        wizard.next()
    raise AssertionError(f"could not reach {page.objectName()}")


def fill(wizard: AlegraWizard, email: str, token: str) -> None:
    go_to(wizard, wizard.credentials)
    wizard.credentials.emailEdit.setText(email)
    wizard.credentials.tokenEdit.set_token(token)
    wizard.credentials.apply_cleaning()


def focus_widget() -> QWidget | None:
    return QApplication.focusWidget()


def save_and_finish(qtbot: Any, wizard: AlegraWizard) -> None:
    """Press Save on the save page and wait for the worker to reach the done page."""
    assert wizard.currentPage() is wizard.save
    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.done_page, timeout=10_000)


def visible_texts(wizard: QWizard) -> list[str]:
    """Every text a user (or a screen reader) can get at: labels, buttons, tooltips,
    accessible names, the hint view's HTML, page titles; the token field's text excepted."""
    texts = [wizard.windowTitle()]
    for widget in wizard.findChildren(QWidget):
        texts += [
            widget.toolTip(),
            widget.accessibleName(),
            widget.accessibleDescription(),
            widget.whatsThis(),
            widget.statusTip(),
        ]
        if isinstance(widget, (QLabel, QAbstractButton)):
            texts.append(widget.text())
        if isinstance(widget, QTextBrowser):
            texts.append(widget.toHtml())
        if isinstance(widget, QLineEdit) and widget.objectName() != "tokenEdit":
            texts += [widget.text(), widget.placeholderText()]
    for page_id in wizard.pageIds():
        page = wizard.page(page_id)
        texts += [page.title(), page.subTitle()]
    return texts


def fast_probe(email: str, token: str, base_url: str, cancel: threading.Event) -> Any:
    """The plan probe without its pause between requests (the sandbox has no rate limit)."""
    return probe_permissions(email, token, base_url, cancel=cancel, pace_s=0)


@contextlib.contextmanager
def stale_answer_delivered(qtbot: Any, worker: Worker, timeout_ms: int = 10_000) -> Iterator[None]:
    """Wait, after the block, until the task the worker was running hands its outcome back to
    the GUI thread: a test that a dropped (stale) answer changes nothing then looks after it
    arrived, however late, instead of after a fixed sleep it might outlast. The worker's own
    slot runs first (connected first, same thread), so it has dropped or used it by then."""
    with qtbot.waitSignal(worker._delivered, timeout=timeout_ms):
        yield
    QApplication.processEvents()
