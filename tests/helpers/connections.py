"""The saved-connections view's tests (tests/ui/test_connections.py): profiles stored through
wizard.store, the view once it has loaded, its dialogs, and the real app under Xvfb with
accessibility on for the AT-SPI tests."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QAbstractButton, QWidget

from tests.helpers import ROOT
from wizard.sandbox import DEMO_TOKEN
from wizard.store import Profile, Store
from wizard.ui.connections import ConnectionsView
from wizard.ui.wizard import AlegraWizard

WRONG_TOKEN = "0123456789abcdef9999"  # the sandbox answers 401 to it


def save_profile(
    config_dir: Path,
    name: str,
    *,
    url: str,
    email: str = "demo@alegra.test",
    token: str = DEMO_TOKEN,
    company: str | None = "Panadería La Espiga S.A.S.",
    identification: str | None = "900123456-7",
) -> Profile:
    profile = Profile(
        id="",
        name=name,
        email=email,
        base_url=url,
        country="co",
        company=company,
        identification=identification,
    )
    return Store(config_dir=config_dir).save(profile, token).profile


def save_two(config_dir: Path, url: str) -> tuple[Profile, Profile]:
    """A connection that works and one whose token the sandbox refuses (401)."""
    good = save_profile(config_dir, "Panadería La Espiga", url=url)
    bad = save_profile(
        config_dir,
        "Tacos El Güero",
        url=url,
        email="mx@alegra.test",
        token=WRONG_TOKEN,
        company="Tacos El Güero S.A. de C.V.",
        identification="TEG010101AB1",
    )
    return good, bad


def view_of(qtbot: Any, wizard: AlegraWizard) -> ConnectionsView:
    """The welcome page's view once the store has been read."""
    view = wizard.welcome.connections
    assert view is not None, "the connections view is mounted by build_rest"
    qtbot.waitUntil(lambda: view.loaded and not view.store_worker.busy, timeout=10_000)
    return view


def items(view: ConnectionsView) -> list[str]:
    return [view.list.item(row).text() for row in range(view.list.count())]


def open_box(qtbot: Any, view: ConnectionsView) -> QWidget:
    """The dialog the view opened (open(), never exec(): it shows while the loop runs)."""
    qtbot.waitUntil(lambda: view.dialog is not None and view.dialog.isVisible(), timeout=5_000)
    assert view.dialog is not None
    return view.dialog


def dialog_for(
    qtbot: Any, view: ConnectionsView, profile_id: str, button: QAbstractButton
) -> QWidget:
    """Select a connection, press one of its buttons, and return the dialog that opened."""
    view.select(profile_id)
    button.click()
    return open_box(qtbot, view)


def press(box: QWidget, name: str) -> None:
    button = box.findChild(QAbstractButton, name)
    assert button is not None, name
    button.click()


# --- the real app under Xvfb, read over the accessibility bus (AT-SPI) ---

# The real wizard.app.main() on a config folder with stored connections. It prints READY
# once the view has loaded; FOLDER/go presses Revisar (once), FOLDER/done closes the window.
A11Y_DRIVER = """
import sys
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from wizard import app as gui

qt = QApplication([sys.argv[0]])
folder = Path(sys.argv[1])


def step():
    wizard = next((w for w in qt.topLevelWidgets() if w.objectName() == "alegraWizard"), None)
    view = wizard.welcome.connections if wizard is not None else None
    if view is None or not view.loaded:
        return QTimer.singleShot(20, step)
    if not getattr(step, "ready", False):
        step.ready = True
        print("READY", flush=True)
    if (folder / "go").exists() and not getattr(step, "went", False):
        step.went = True
        view.check_button.click()  # Revisar
    if (folder / "done").exists():
        return wizard.reject()
    QTimer.singleShot(50, step)


QTimer.singleShot(0, step)
sys.exit(gui.main(["--lang", sys.argv[2]]))
"""


def enable_accessibility() -> None:
    """What a desktop with a screen reader does: the a11y bus says accessibility is on."""
    subprocess.run(
        ["dbus-send", "--session", "--dest=org.a11y.Bus", "/org/a11y/bus",
         "org.freedesktop.DBus.Properties.Set", "string:org.a11y.Status",
         "string:IsEnabled", "variant:boolean:true"],
        check=True, capture_output=True, timeout=30,
    )  # fmt: skip


@dataclass
class A11yApp:
    """The app app_under_xvfb started; `stderr` is filled once it has ended."""

    proc: subprocess.Popen[str]
    stderr: str = ""

    @property
    def returncode(self) -> int | None:
        return self.proc.returncode


@contextmanager
def app_under_xvfb(folder: Path, config_dir: Path, lang: str = "es") -> Iterator[A11yApp]:
    """A11Y_DRIVER under Xvfb with Qt's AT-SPI bridge, once it says READY. Leaving the
    block writes FOLDER/done, which closes it, and waits for it to end."""
    enable_accessibility()
    driver = folder / "driver.py"
    driver.write_text(A11Y_DRIVER, encoding="utf-8")
    env = {
        **os.environ,
        "ALEGRA_WIZARD_CONFIG_DIR": str(config_dir),
        "PYTHONPATH": str(ROOT),
        "QT_QPA_PLATFORM": "xcb",
        "QT_LINUX_ACCESSIBILITY_ALWAYS_ON": "1",
        "QT_ACCESSIBILITY": "1",
    }
    proc = subprocess.Popen(
        ["xvfb-run", "-a", "-s", "-screen 0 1280x800x24", sys.executable,
         str(driver), str(folder), lang],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    app = A11yApp(proc)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()  # blocks until the view has loaded (or the app died)
        ready = line.strip() == "READY"
        if ready:
            yield app
    finally:
        (folder / "done").touch()
        _out, app.stderr = proc.communicate(timeout=60)
    assert ready, app.stderr
