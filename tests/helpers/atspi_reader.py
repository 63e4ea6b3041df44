"""A screen reader's view of the real wizard, read over the AT-SPI bus as Orca reads it.

Run with Debian's own /usr/bin/python3 (pyatspi is a system package, not in the venv),
inside a D-Bus session, by tests/ui/test_atspi.py:

    atspi_reader.py VENV_PYTHON LANG

Turns accessibility on, starts the wizard (test mode) under Xvfb with Qt's AT-SPI bridge,
and drives it through AT-SPI actions only (press Next, press «Usar la cuenta de
prueba», set a field's text, grab focus): the success view, a paste, then a 401. Prints
one JSON object with what was read (names, roles, descriptions, SHOWING states) and
every announcement heard.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyatspi
from gi.repository import GLib

ROOT = Path(__file__).resolve().parents[2]
CATALOG = json.loads((ROOT / "resources/i18n/compiled/gui.json").read_text())["entries"]
HEARD: list[dict] = []


def t(key: str, lang: str, **values: object) -> str:
    return str(CATALOG[key][lang]).replace("&", "").format(**values)


def pump(seconds: float = 0.0) -> None:
    """Let AT-SPI events arrive (they come through GLib's main context)."""
    end = time.monotonic() + seconds
    context = GLib.MainContext.default()
    while True:
        while context.pending():
            context.iteration(False)
        if time.monotonic() >= end:
            return
        time.sleep(0.02)


MISSED: list[str] = []


def wait_for(condition, what: str, timeout: float = 20.0, *, required: bool = True):  # type: ignore[no-untyped-def]
    """Poll `condition` while pumping events. A missing announcement is recorded (the
    tests then say which), a missing widget ends the run."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        pump()
        found = condition()
        if found:
            return found
        time.sleep(0.1)
    if required:
        raise SystemExit(f"timed out waiting for {what}")
    MISSED.append(what)
    return None


def nodes(root):  # type: ignore[no-untyped-def]
    stack = [root]
    while stack:
        node = stack.pop()
        if node is None:
            continue
        yield node
        try:
            count = node.childCount
        except Exception:
            continue
        # a table's cells are children too (Qt exposes them)
        stack.extend(node.getChildAtIndex(i) for i in reversed(range(min(count, 400))))


def showing(node) -> bool:  # type: ignore[no-untyped-def]
    return node.getState().contains(pyatspi.STATE_SHOWING)


def info(node) -> dict:  # type: ignore[no-untyped-def]
    return {
        "role": node.getRoleName(),
        "name": node.name or "",
        "description": node.description or "",
        "showing": showing(node),
    }


def snapshot(app) -> list[dict]:  # type: ignore[no-untyped-def]
    return [info(n) for n in nodes(app)]


def find(app, role: str, name_start: str, *, visible: bool = True):  # type: ignore[no-untyped-def]
    for node in nodes(app):
        named = node.getRoleName() == role and (node.name or "").startswith(name_start)
        if named and (not visible or showing(node)):
            return node
    return None


def press(app, name_start: str) -> None:  # type: ignore[no-untyped-def]
    def enabled_button():  # type: ignore[no-untyped-def]
        node = find(app, "push button", name_start)
        if node is not None and node.getState().contains(pyatspi.STATE_ENABLED):
            return node
        return None

    button = wait_for(enabled_button, f"button {name_start!r}")
    button.queryAction().doAction(0)
    pump(0.4)


def heard(event) -> None:  # type: ignore[no-untyped-def]
    HEARD.append(
        {
            "type": str(event.type),
            "text": str(event.any_data or ""),
            "source": (event.source.name or "") if event.source else "",
        }
    )


def main() -> int:
    python, lang = sys.argv[1], sys.argv[2]
    subprocess.run(
        ["dbus-send", "--session", "--dest=org.a11y.Bus", "/org/a11y/bus",
         "org.freedesktop.DBus.Properties.Set", "string:org.a11y.Status",
         "string:IsEnabled", "variant:boolean:true"],
        check=True,
    )  # fmt: skip
    env = dict(os.environ, QT_QPA_PLATFORM="xcb", QT_LINUX_ACCESSIBILITY_ALWAYS_ON="1")
    env["QT_ACCESSIBILITY"] = "1"
    app_proc = subprocess.Popen(
        ["xvfb-run", "-a", "-s", "-screen 0 1280x800x24", python, "-m", "wizard",
         "--sandbox", "--lang", lang],
        env=env, cwd=ROOT, start_new_session=True,
    )  # fmt: skip
    report: dict = {}
    try:
        pyatspi.Registry.registerEventListener(heard, "object:announcement")
        title = t("gui.window_title", lang)

        def the_app():  # type: ignore[no-untyped-def]
            desktop = pyatspi.Registry.getDesktop(0)
            for i in range(desktop.childCount):
                candidate = desktop.getChildAtIndex(i)
                if candidate is None:
                    continue
                windows = [n for n in nodes(candidate) if n.getRoleName() in ("frame", "dialog")]
                if any(title in (n.name or "") for n in windows):
                    return candidate
            return None

        app = wait_for(the_app, "the wizard on the AT-SPI bus", timeout=30)
        next_name = t("gui.button.next", lang).rstrip(" >")
        report["welcome"] = snapshot(app)
        guide = []
        for _ in range(4):  # page one to the four guide pages
            press(app, next_name)
            guide.append(snapshot(app))
        report["guide"] = guide
        press(app, next_name)  # the credentials page
        report["credentials"] = snapshot(app)
        # The demo account fills both fields; then a messy email is put in through AT-SPI
        # and Next cleans it (as it cleans any paste): the fix is said aloud.
        press(app, t("gui.credentials.use_demo", lang))
        email = wait_for(
            lambda: find(app, "text", t("gui.credentials.email_name", lang)), "email field"
        )
        email.queryEditableText().setTextContents("  Usuario: demo@alegra.test ")
        HEARD.clear()
        press(app, next_name)  # cleaned, then the test page: connected, then the plan table
        wait_for(
            lambda: any(t("gui.test.connected", lang).lstrip("✔ ") in h["text"] for h in HEARD),
            "the success announcement",
            timeout=10,
            required=False,
        )
        report["email_after_paste"] = info(email)
        wait_for(
            lambda: find(app, "table cell", "✔") or find(app, "table cell", "✔ "),
            "the plan table",
            timeout=30,
        )
        report["success"] = snapshot(app)
        report["success_heard"] = list(HEARD)
        # Back to the details, a wrong email, test again: 401.
        press(app, t("gui.test.back_to_data", lang))
        email = wait_for(
            lambda: find(app, "text", t("gui.credentials.email_name", lang)), "email field"
        )
        email.queryEditableText().setTextContents("nadie@alegra.test")
        HEARD.clear()
        press(app, next_name)
        wait_for(lambda: HEARD, "the failure announcement", timeout=10, required=False)
        pump(1.0)
        report["failure"] = snapshot(app)
        report["failure_heard"] = list(HEARD)
        # Right details again, tested, saved (test mode: nothing is): the done page's card
        # is said aloud as it opens.
        press(app, t("gui.test.back_to_data", lang))
        press(app, t("gui.credentials.use_demo", lang))
        press(app, next_name)
        press(app, next_name)  # connected: to the save page
        HEARD.clear()
        press(app, t("gui.button.commit", lang))
        wait_for(lambda: HEARD, "the done page's announcement", timeout=10, required=False)
        pump(0.5)
        report["done_heard"] = list(HEARD)
        report["missed"] = MISSED
    finally:
        os.killpg(app_proc.pid, signal.SIGTERM)
        app_proc.wait(timeout=20)
    print(json.dumps(report, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
