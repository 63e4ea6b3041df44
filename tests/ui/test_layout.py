"""Layout checks: every page and state (each sandbox scenario's result, the plan table,
the can't-find panel, the credentials page's notes and problems, the doctor dialog, the
support report), in es and en, light and dark, at the window sizes laptops give
(853x480, 880x512) and 1280x800, at scale 1 and 2, plus a 1280x800 screen at 2x with
the size the window picks for itself. Fails on overlap, clipped text, content out of
reach, or a window larger than its screen (tests/helpers/layout.py says how).

Each screen is a child process (tests/helpers/layout_walk.py): the screen's size and
QT_SCALE_FACTOR are fixed when Qt starts. Under pytest-xdist (make test-fast) each case
walks in its own test, on whichever worker takes it; in one process (make test) the
first case starts them all, two at a time (the machine has 2 cores).
"""

from __future__ import annotations

import json
import os
import sys
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from tests.helpers import cli
from tests.helpers import layout as layout_checks

# In one process the first case waits for all eight walks: more than the default timeout.
pytestmark = pytest.mark.timeout(600)

ROOT = Path(__file__).resolve().parents[2]
WALKER = ROOT / "tests" / "helpers" / "layout_walk.py"
# Room the window manager takes around a window (frame, title bar), in logical px.
FRAME = (16, 40)
# (window size or "auto", scale, physical screen size or None = window + frame, x scale)
CASES = [
    *((size, scale, None) for scale in (1, 2) for size in ("853x480", "880x512", "1280x800")),
    ("auto", 2, (1280, 800)),  # the case: 1280x800 at 2x is a 640x400 screen
    ("auto", 1, (1280, 720)),
]
STATES_PER_RUN = 2 * 2 * 29  # langs x themes x states: a walk that stops early fails


def case_id(case: tuple[str, int, tuple[int, int] | None]) -> str:
    size, scale, screen = case
    where = f"-screen{screen[0]}x{screen[1]}" if screen else ""
    return f"{size}@{scale}x{where}"


def run_case(case: tuple[str, int, tuple[int, int] | None], tmp: Path) -> list[dict]:
    size, scale, screen = case
    if screen is None:
        width, height = (int(v) for v in size.split("x"))
        screen = ((width + FRAME[0]) * scale, (height + FRAME[1]) * scale)
    config = tmp / f"screen-{case_id(case)}.json"
    screens = [{"name": "laptop", "x": 0, "y": 0, "width": screen[0], "height": screen[1]}]
    screens[0].update(logicalDpi=96, logicalBaseDpi=96, dpr=1)
    config.write_text(json.dumps({"screens": screens}))
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}")
    env["QT_SCALE_FACTOR"] = str(scale)
    env.pop("QT_SCREEN_SCALE_FACTORS", None)
    # A child process: the screen and scale above are this walk's own.
    proc = cli.run([sys.executable, str(WALKER), size], input="", env=env, timeout=240)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]


@cache
def all_runs(tmp: str) -> dict[str, list[dict]]:
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {case_id(c): pool.submit(run_case, c, Path(tmp)) for c in CASES}
        return {name: future.result() for name, future in futures.items()}


@pytest.fixture(scope="module")
def walk_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("layout")


def states_of(case: tuple[str, int, tuple[int, int] | None], tmp: Path) -> list[dict]:
    # Several workers would each start all eight walks (a module fixture is per worker,
    # and xdist_group does not hold under pytest 9): there, each case walks its own screen.
    if os.environ.get("PYTEST_XDIST_WORKER"):
        return run_case(case, tmp)
    return all_runs(str(tmp))[case_id(case)]


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_every_page_and_state_fits_without_overlap_or_clipping(
    walk_dir: Path, case: tuple[str, int, tuple[int, int] | None]
) -> None:
    states = states_of(case, walk_dir)
    assert len(states) >= STATES_PER_RUN, [s["state"] for s in states]
    # every state this walk promises, in each language and theme
    seen = {(s["lang"], s["theme"], s["state"]) for s in states}
    for lang in ("es", "en"):
        for theme in ("light", "dark"):
            for state in ("page testPage", "test: basic plan", "test: unauthorized",
                          "manualApiPage: can't find panel open", "doctor dialog",
                          "support report", "page donePage", "credentials: problem",
                          "done: saved", "done: saved, for programmers open", "done: problem",
                          "done: unverified", "done: test_mode", "done: not_saved"):  # fmt: skip
                assert (lang, theme, state) in seen
    found = [f"{s['lang']}/{s['theme']} {s['state']}: {p}" for s in states for p in s["problems"]]
    assert not found, "\n".join(found[:40])


# --- the checks themselves can fail ---


def test_checks_find_overlap_clipped_text_and_unreachable_content(qtbot) -> None:  # type: ignore[no-untyped-def]
    window = QWidget()
    qtbot.addWidget(window)
    window.resize(300, 200)
    a = QLabel("Una etiqueta", window)
    a.setGeometry(10, 10, 150, 30)
    b = QPushButton("Encima", window)
    b.setGeometry(100, 20, 120, 30)  # drawn over a
    cut = QLabel("Un texto bastante más largo que su caja", window)
    cut.setGeometry(10, 60, 60, 10)  # too small for its text
    address = QLabel("Dirección: https://app.alegra.com/configuration/api", window)
    address.setWordWrap(True)  # a web address has nowhere to wrap: it runs off the side
    address.setGeometry(10, 75, 120, 40)
    holder = QWidget(window)
    holder.setGeometry(10, 100, 200, 40)
    below = QLabel("Fuera de la vista", holder)
    below.setGeometry(0, 30, 150, 30)  # half below its parent, no scroll bar
    window.show()
    qtbot.waitExposed(window)
    found = layout_checks.problems(window)
    assert any(p.startswith("overlap:") and "Encima" in p for p in found), found
    assert any(p.startswith("text cut:") and "bastante" in p for p in found), found
    assert any(p.startswith("cut off, no scroll bar:") and "Fuera" in p for p in found), found
    assert any(p.startswith("text cut:") and "Dirección" in p for p in found), found


def test_checks_find_a_page_that_scrolls_sideways(qtbot) -> None:  # type: ignore[no-untyped-def]
    wide = QPushButton("Un botón con un texto tan largo que la página no cabe a lo ancho")
    window, area, _, _ = layout_checks.scrolled_rows(rows=2, extra=(wide,))
    area.setObjectName("pageScroll")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert any(p.startswith("the page scrolls sideways") for p in layout_checks.problems(window))


def test_content_below_the_fold_of_a_scroll_area_is_fine(qtbot) -> None:  # type: ignore[no-untyped-def]
    window = layout_checks.scrolled_rows()[0]
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert layout_checks.problems(window) == []
