"""The wizard as a screen reader gets it: over the real AT-SPI bus, read and driven from a
second process with Debian's pyatspi (tests/helpers/atspi_reader.py), the app under Xvfb
with Qt's AT-SPI bridge, in a D-Bus session of its own.

Asserts what Orca would say: the test result and a paste's fixes are announced (AT-SPI
announcements), the fields describe their notes, every shown image and button has a
name, the hint area is named for what it holds, and a hidden success table leaves no
«✔ disponible» cells behind after a later 401.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

from tests.helpers import ROOT
from wizard import hints, i18n
from wizard.outcomes import Code
from wizard.ui.pages import PAGES

READER = ROOT / "tests" / "helpers" / "atspi_reader.py"
SYSTEM_PYTHON = "/usr/bin/python3"  # pyatspi is a Debian package (scripts/install-system-deps.sh)
GUIDE_TITLES = ("gui.sign_in.title", "gui.open_settings.title", "gui.manual_api.title",
                "gui.copy.title")  # fmt: skip


@cache
def read(lang: str) -> dict:
    for tool in ("dbus-run-session", "xvfb-run", SYSTEM_PYTHON):
        assert shutil.which(tool), f"{tool} missing: bash scripts/install-system-deps.sh test"
    proc = subprocess.run(
        ["dbus-run-session", "--", SYSTEM_PYTHON, str(READER), sys.executable, lang],
        capture_output=True, text=True, timeout=240, cwd=ROOT,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    line = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")][-1]
    return json.loads(line)


def t(key: str, lang: str, **values: object) -> str:
    return i18n.t(key, lang, **values).replace("&", "")


LANGS = pytest.mark.parametrize("lang", ["es", "en"])


@LANGS
def test_the_result_is_announced_with_the_company(lang: str) -> None:
    heard = read(lang)["success_heard"]
    connected = t("gui.test.connected", lang).removeprefix("✔").strip()
    said = [h["text"] for h in heard if h["type"] == "object:announcement"]
    assert any(connected in s and "Panadería La Espiga S.A.S." in s for s in said), said


@LANGS
def test_a_failure_is_announced_with_its_title(lang: str) -> None:
    title = hints.hint_for(Code.UNAUTHORIZED, lang).title
    said = [h["text"] for h in read(lang)["failure_heard"] if h["type"] == "object:announcement"]
    assert any(title in s for s in said), said


@LANGS
def test_the_done_page_says_what_happened_as_it_opens(lang: str) -> None:
    said = [h["text"] for h in read(lang)["done_heard"] if h["type"] == "object:announcement"]
    heading = t("gui.done.heading.test_mode", lang)
    assert any(heading in s and "Panadería La Espiga S.A.S." in s for s in said), said


@LANGS
def test_a_paste_s_fixes_are_announced_and_describe_the_field(lang: str) -> None:
    report = read(lang)
    email = report["email_after_paste"]
    assert email["name"] == t("gui.credentials.email_name", lang)
    # "  Usuario: demo@alegra.test ": spaces and a label removed, said in words.
    assert email["description"], email
    said = [h["text"] for h in report["success_heard"]]
    assert email["description"] in said, (email, said)


@LANGS
def test_a_hidden_success_table_says_nothing_after_a_401(lang: str) -> None:
    report = read(lang)
    available = hints.probe_status_text("available", lang)
    shown = [n for n in report["success"] if n["role"] == "table cell" and n["showing"]]
    assert sum(n["name"] == available for n in shown) >= 9  # read while it is on screen
    after = [n for n in report["failure"] if available in n["name"]]
    assert after == []  # not even as hidden cells


@LANGS
def test_the_hint_area_is_named_for_what_it_holds(lang: str) -> None:
    hint = hints.hint_for(Code.UNAUTHORIZED, lang)
    nodes = read(lang)["failure"]
    shown = [n for n in nodes if n["showing"]]
    # Verdict first: the fix is read out; the causes and steps wait behind «Ver más causas».
    assert any(n["name"] == hint.fix for n in shown), shown
    more = t("gui.test.more_causes", lang).replace("&", "")
    assert any(n["name"] == more for n in shown), shown
    area = [n for n in nodes if n["name"] == t("gui.a11y.hint", lang)]
    assert area and area[0]["description"] == hint.title, area
    assert not [n for n in shown if n["name"] == t("gui.test.steps", lang)]
    assert any(n["name"] == t("gui.a11y.icon_error", lang) for n in shown)


@LANGS
def test_every_step_picture_is_an_image_with_a_name(lang: str) -> None:
    for snapshot, key in zip(read(lang)["guide"], GUIDE_TITLES, strict=True):
        images = [n for n in snapshot if n["role"] == "image" and n["showing"]]
        assert [n["name"] for n in images] == [t("gui.a11y.image", lang, title=t(key, lang))]


@LANGS
def test_every_button_is_named_clear_buttons_included(lang: str) -> None:
    report = read(lang)
    kinds = ("push button", "check box", "toggle button", "radio button")
    for state in ("welcome", "credentials", "success", "failure"):
        unnamed = [n for n in report[state] if n["role"] in kinds and not n["name"].strip()]
        assert unnamed == [], (state, unnamed)
    for snapshot in report["guide"]:
        assert [n for n in snapshot if n["role"] in kinds and not n["name"].strip()] == []
    names = {n["name"] for n in report["credentials"] if n["role"] == "push button"}
    assert {t("gui.a11y.clear_email", lang), t("gui.a11y.clear_token", lang)} <= names


@LANGS
def test_the_step_list_says_where_the_user_is(lang: str) -> None:
    names = [t(page.title, lang) for page in PAGES]
    shown = {n["name"] for n in read(lang)["success"] if n["showing"]}
    assert t("gui.steps.current", lang, n=7, total=9, name=names[6]) in shown
    assert t("gui.steps.done", lang, n=6, total=9, name=names[5]) in shown
    assert t("gui.steps.todo", lang, n=8, total=9, name=names[7]) in shown


def test_the_reader_runs_with_the_system_python() -> None:
    # pyatspi comes from Debian, not from the venv: the test above must not be skipped.
    proc = subprocess.run([SYSTEM_PYTHON, "-c", "import pyatspi"], capture_output=True)
    assert proc.returncode == 0, proc.stderr.decode()
    assert Path(SYSTEM_PYTHON).resolve() != Path(sys.executable).resolve()


# --- what a screen reader hears while a token is pasted (issue 24) ---
TOKEN_READER = ROOT / "tests" / "helpers" / "atspi_token_reader.py"
PASTE_ROUTES = (
    "typed", "keyboard paste", "shift insert", "paste over an old token",
    "context menu paste", "middle click", "drop", "paste into Usuario",
    "email:token into Usuario", "whole card into Usuario", "whole card into Token",
    "token after the email in Usuario", "messy paste re-written clean",
    "messy token into Usuario", "undo", "Ctrl+Y into Token", "Ctrl+Y into Usuario",
)  # fmt: skip


def unique_token() -> str:
    """20 characters, a letter and a digit in turn: no three of them in a row occur in
    any text the window says (words, numbers), so any three heard are the token's."""
    import secrets

    letters, digits = "ghjkmnpqrstuvwxyz", "23456789"
    return "".join(secrets.choice(letters) + secrets.choice(digits) for _ in range(10))


@cache
def hear_pastes(mode: str) -> tuple[str, dict]:
    token = unique_token()
    proc = subprocess.run(
        ["dbus-run-session", "--", SYSTEM_PYTHON, str(TOKEN_READER), sys.executable, mode,
         token],
        capture_output=True, text=True, timeout=240, cwd=ROOT,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    line = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")][-1]
    return token, json.loads(line)


def token_runs(token: str) -> set[str]:
    """Every three characters of the token in a row, but for those inside its last four
    (the «…» + last 4 hint the page shows and describes the field with)."""
    return {token[i : i + 3] for i in range(len(token) - 2) if i < len(token) - 4}


MODES = pytest.mark.parametrize("mode", ["normal", "support"])


@MODES
def test_every_paste_route_ran_to_its_end(mode: str) -> None:
    _, report = hear_pastes(mode)
    assert report["exit_code"] == 19, report["stderr"]  # every route landed; then cancelled
    assert {h["route"] for h in report["heard"]} >= set(PASTE_ROUTES)


@MODES
def test_no_event_carries_the_token(mode: str) -> None:
    token, report = hear_pastes(mode)
    runs = token_runs(token)
    heard = [h for h in report["heard"] if any(r in h["text"] + h["source"] for r in runs)]
    assert heard == [], heard
    assert not any(token[:-4] in h["text"] for h in report["heard"])


@MODES
def test_the_token_field_is_heard_as_bullets_on_every_route(mode: str) -> None:
    _, report = hear_pastes(mode)
    for route in PASTE_ROUTES:
        changed = [
            h for h in report["heard"]
            if h["route"] == route and h["type"].startswith("object:text-changed")
        ]  # fmt: skip
        bullets = [h for h in changed if h["text"] and set(h["text"]) == {"•"}]
        assert bullets, (route, changed)  # the token field did change, as bullets
