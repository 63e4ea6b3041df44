"""The fault matrix through the real wizard (pytest-qt, offscreen): a few network faults
from the adversarial server, and the storage faults on the save page. Each asserts the
outcome, the hint the user reads, the time bound, and that the event loop never stalled
(a 20 ms QTimer keeps ticking: no gap over 250 ms)."""

from __future__ import annotations

import errno
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import trustme
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWizard

from tests.helpers import CANARY_TOKEN
from tests.helpers.faultserver import (
    COMPANY,
    HTML,
    HTML_ERROR,
    ISSUER,
    JSON,
    PORTAL,
    Behaviour,
    ServerFactory,
    drip,
    reset_before,
    respond,
    silence,
)
from tests.helpers.faultserver import tls_context as make_tls
from tests.helpers.gui import fill, stale_answer_delivered
from tests.helpers.keyrings import HangingKeyring, LockedKeyring, MemoryBackend
from wizard import hints, i18n
from wizard.check import check_connection
from wizard.outcomes import Code
from wizard.sandbox import DEMO_TOKEN
from wizard.store import Profile, Store, keyring_service

T = 1.5
MAX_GAP_S = 0.25


class Ticker:
    """A QTimer on the GUI thread; its gaps show whether the event loop ever stalled."""

    def __init__(self) -> None:
        self.ticks: list[float] = []
        self.timer = QTimer()
        self.timer.timeout.connect(lambda: self.ticks.append(time.perf_counter()))
        self.timer.start(20)

    def stop(self, qtbot) -> float:  # type: ignore[no-untyped-def]
        # A fast outcome comes before the first tick: watch the loop for 5 more ticks.
        seen = len(self.ticks)
        qtbot.waitUntil(lambda: len(self.ticks) >= max(seen + 5, 6), timeout=5_000)
        self.timer.stop()
        gaps = [b - a for a, b in zip(self.ticks, self.ticks[1:], strict=False)]
        assert len(self.ticks) > 5, "the timer never ran"
        return max(gaps)


@pytest.fixture
def ticker() -> Iterator[Callable[[], Ticker]]:
    made: list[Ticker] = []

    def make() -> Ticker:
        made.append(Ticker())
        return made[-1]

    yield make
    for t in made:
        t.timer.stop()


def short_check(email: str, token: str, base_url: str, cancel):  # type: ignore[no-untyped-def]
    return check_connection(email, token, base_url, timeout=T, cancel=cancel)


NETWORK: dict[str, tuple[Callable[[], Behaviour], Code]] = {
    "silence": (silence, Code.TIMEOUT),
    "drip_headers": (lambda: drip(b"HTTP/1.1 200 OK\r\nX-Slow: ", b"a"), Code.TIMEOUT),
    "reset": (reset_before, Code.CONNECTION_FAILED),
    "captive_portal": (lambda: respond(200, PORTAL, HTML), Code.UNEXPECTED_RESPONSE),
    "503_html": (lambda: respond(503, HTML_ERROR, HTML), Code.SERVER_ERROR),
    "401_empty": (lambda: respond(401), Code.UNAUTHORIZED),
}


@pytest.mark.parametrize("name", list(NETWORK))
def test_gui_network_fault(
    make_wizard, qtbot, fault_server: ServerFactory, no_proxy_env, ticker, name: str
) -> None:  # type: ignore[no-untyped-def]
    behaviour, code = NETWORK[name]
    server = fault_server(behaviour())
    wizard = make_wizard("--base-url", server.url, "--lang", "es", check=short_check)
    fill(wizard, "ana@empresa.co", CANARY_TOKEN)
    tick = ticker()
    start = time.monotonic()
    wizard.next()
    qtbot.waitUntil(lambda: wizard.ctx.result is not None, timeout=int((T + 2) * 1000))
    elapsed = time.monotonic() - start
    assert tick.stop(qtbot) < MAX_GAP_S
    assert wizard.ctx.result.code == code
    assert elapsed <= T + 1
    hint = hints.hint_for(code, "es", host="127.0.0.1")  # the server checked is named
    assert wizard.test.statusLabel.text() == hint.title
    shown = wizard.test.hintView.toPlainText()
    assert all(step in shown for step in hint.steps)
    assert "api.alegra.com" not in shown.replace("https://api.alegra.com/api/v1", "")
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    assert wizard.test.testButton.isEnabled()  # can try again at once


def test_gui_untrusted_certificate_names_the_issuer(
    make_wizard, qtbot, fault_server: ServerFactory, no_env_trust, no_proxy_env
) -> None:  # type: ignore[no-untyped-def]
    ca = trustme.CA(organization_name=ISSUER)
    server = fault_server(respond(200, COMPANY, JSON), tls=make_tls(ca))
    wizard = make_wizard("--base-url", server.url, "--lang", "en", check=short_check)
    fill(wizard, "ana@empresa.co", CANARY_TOKEN)
    wizard.next()
    qtbot.waitUntil(lambda: wizard.ctx.result is not None, timeout=int((T + 2) * 1000))
    assert wizard.ctx.result.code == Code.TLS_ERROR
    hint = hints.hint_for(Code.TLS_ERROR, "en", issuer=ISSUER)
    assert wizard.test.statusLabel.text() == hint.title
    assert ISSUER in hint.title + wizard.test.hintView.toPlainText()
    assert server.requests == []


def test_gui_cancel_during_a_header_drip_is_immediate(
    make_wizard, qtbot, fault_server: ServerFactory, no_proxy_env, ticker
) -> None:  # type: ignore[no-untyped-def]
    server = fault_server(drip(b"HTTP/1.1 200 OK\r\nX-Slow: ", b"a"))
    slow = lambda e, t, u, c: check_connection(e, t, u, timeout=10, cancel=c)  # noqa: E731
    wizard = make_wizard("--base-url", server.url, check=slow)
    fill(wizard, "ana@empresa.co", CANARY_TOKEN)
    tick = ticker()
    wizard.next()
    qtbot.waitUntil(lambda: wizard.test.busy)
    # In the drip: the headers started and at least one more byte came.
    qtbot.waitUntil(lambda: server.sent[0] > len(b"HTTP/1.1 200 OK\r\nX-Slow: "), timeout=5_000)
    # The cancelled check may run on to its own 10 s deadline (Cancel only drops its answer).
    with stale_answer_delivered(qtbot, wizard.test.runner, timeout_ms=20_000):
        start = time.perf_counter()
        wizard.test.cancel()
        assert (time.perf_counter() - start) < 0.2 and not wizard.test.busy
        assert wizard.test.testButton.isEnabled()
    assert tick.stop(qtbot) < MAX_GAP_S
    assert wizard.ctx.result is None


# --- storage faults on the save page -----------------------------------------------------

OLD = "o1d" + "x" * 17


def _to_save_page(qtbot, wizard) -> None:  # type: ignore[no-untyped-def]
    fill(wizard, "demo@alegra.test", DEMO_TOKEN)
    wizard.next()
    qtbot.waitUntil(lambda: wizard.ctx.verified, timeout=10_000)
    wizard.next()
    assert wizard.currentPage() is wizard.save


def _disk_fault(folder: Path, fn: str, err: int, monkeypatch: pytest.MonkeyPatch) -> None:
    real = getattr(os, fn)

    def failing(*args: object, **kw: object) -> object:
        target = args[0]
        if isinstance(target, int) or str(target).startswith(str(folder)):
            raise OSError(err, os.strerror(err))
        return real(*args, **kw)

    monkeypatch.setattr(os, fn, failing)


class Locked(MemoryBackend):
    def set_password(self, service: str, user: str, secret: str) -> None:
        LockedKeyring().set_password(service, user, secret)


class Hangs(MemoryBackend):
    def set_password(self, service: str, user: str, secret: str) -> None:
        HangingKeyring().set_password(service, user, secret)


SAVE_FAULTS = {
    "keyring_locked": ("locked", Locked, None),
    "keyring_hangs_on_write": ("timeout", Hangs, None),
    "read_only_config": ("disk", MemoryBackend, ("replace", errno.EROFS)),
    "disk_full": ("disk", MemoryBackend, ("fsync", errno.ENOSPC)),
}


@pytest.mark.parametrize("fault", list(SAVE_FAULTS))
def test_gui_save_fault(
    alegra_url, make_wizard, qtbot, config_dir: Path, monkeypatch, ticker, fault: str
) -> None:  # type: ignore[no-untyped-def]
    reason, kind, disk = SAVE_FAULTS[fault]
    seed = MemoryBackend()
    Store(config_dir=config_dir, backend=seed).save(
        Profile(id="antes", name="Antes", email="otra@empresa.co"), OLD
    )
    backend = kind()
    backend.secrets = seed.secrets
    before = (config_dir / "profiles.json").read_bytes()
    store = Store(config_dir=config_dir, backend=backend, timeout=1.0)
    wizard = make_wizard("--base-url", alegra_url, "--lang", "es", store=lambda: store)
    _to_save_page(qtbot, wizard)
    if disk is not None:
        _disk_fault(config_dir, *disk, monkeypatch)
    tick = ticker()
    start = time.monotonic()
    wizard.next()
    qtbot.waitUntil(lambda: wizard.save.error_title.isVisible(), timeout=5000)
    elapsed = time.monotonic() - start
    assert tick.stop(qtbot) < MAX_GAP_S
    HangingKeyring.release.set()
    HangingKeyring.release.clear()
    monkeypatch.undo()
    assert elapsed <= store.timeout + 1
    assert wizard.save.error_title.text().startswith(i18n.t(f"storage.{reason}.title", "es"))
    assert wizard.currentPage() is wizard.save
    assert wizard.button(QWizard.WizardButton.CommitButton).isEnabled()  # retry
    assert (config_dir / "profiles.json").read_bytes() == before
    assert backend.secrets == {(keyring_service("antes"), "antes"): OLD}
    # The fault gone, the same window saves.
    if fault in ("read_only_config", "disk_full"):
        wizard.next()
        qtbot.waitUntil(lambda: wizard.currentPage() is wizard.done_page, timeout=5000)
        assert backend.secrets[(keyring_service("antes"), "antes")] == OLD
        assert len(backend.secrets) == 2


def test_gui_corrupt_profiles_file_is_set_aside_not_lost(
    alegra_url, make_wizard, qtbot, config_dir: Path
) -> None:  # type: ignore[no-untyped-def]
    config_dir.mkdir(parents=True)
    (config_dir / "profiles.json").write_text('{"format": 1, "profiles": [{"id": "x"')
    backend = MemoryBackend()
    wizard = make_wizard(
        "--base-url", alegra_url, store=lambda: Store(config_dir=config_dir, backend=backend)
    )
    _to_save_page(qtbot, wizard)
    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.done_page, timeout=10_000)
    aside = [p for p in config_dir.iterdir() if p.name.startswith("profiles.json.corrupt-")]
    assert len(aside) == 1 and aside[0].read_text() == '{"format": 1, "profiles": [{"id": "x"'
    notice = wizard.done_page.set_aside
    assert notice.isVisible() and aside[0].name in notice.text()


def test_gui_rotation_repairs_a_secret_deleted_behind_our_back(
    alegra_url, make_wizard, qtbot, config_dir: Path
) -> None:  # type: ignore[no-untyped-def]
    backend = MemoryBackend()
    store = Store(config_dir=config_dir, backend=backend)
    store.save(Profile(id="mia", name="La mía", email="demo@alegra.test"), OLD)
    backend.secrets.clear()  # deleted in the keyring app, say
    wizard = make_wizard("--base-url", alegra_url, "--profile", "mia", store=lambda: store)
    assert wizard.currentPage() is wizard.credentials
    assert wizard.credentials.emailEdit.text() == "demo@alegra.test"
    wizard.credentials.tokenEdit.set_token(DEMO_TOKEN)
    wizard.credentials.apply_cleaning()
    wizard.next()
    qtbot.waitUntil(lambda: wizard.ctx.verified, timeout=10_000)
    wizard.next()
    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.done_page, timeout=10_000)
    assert store.load("mia").token == DEMO_TOKEN
    assert [p.id for p in store.list_profiles()] == ["mia"]


@pytest.mark.keyring
def test_gui_rotation_with_a_keyring_answering_late_is_undone_then_retried(
    alegra_url, make_wizard, qtbot, config_dir: Path
) -> None:  # type: ignore[no-untyped-def]
    """Issue 15 item 6 in the window: «Cambiar token» whose keyring write lands after the
    timeout. The page says the keyring is not answering; when the late write lands it is
    undone (the old token back, the file as it was); the retry then saves."""
    import uuid

    from tests.helpers.keyrings import SlowKeyring, real_keyring
    from wizard.store import settle

    real = real_keyring()
    pid = f"late-gui-{uuid.uuid4().hex[:8]}"
    Store(config_dir=config_dir).save(Profile(id=pid, name="La mía", email="demo@alegra.test"), OLD)
    before = (config_dir / "profiles.json").read_bytes()
    slow = SlowKeyring(real, delay=2.0, slow="set_password")
    store = Store(config_dir=config_dir, backend=slow, timeout=1.0)
    try:
        wizard = make_wizard(
            "--base-url", alegra_url, "--lang", "es", "--profile", pid, store=lambda: store
        )
        wizard.credentials.tokenEdit.set_token(DEMO_TOKEN)
        wizard.credentials.apply_cleaning()
        wizard.next()
        qtbot.waitUntil(lambda: wizard.ctx.verified, timeout=10_000)
        wizard.next()
        wizard.next()
        qtbot.waitUntil(lambda: wizard.save.error_title.isVisible(), timeout=5000)
        assert wizard.save.error_title.text().startswith(i18n.t("storage.timeout.title", "es"))
        assert slow.landed.wait(10) and settle(10)
        assert real.get_password(keyring_service(pid), pid) == OLD
        assert (config_dir / "profiles.json").read_bytes() == before
        wizard.next()  # «Guardar» again: the keyring answers now
        qtbot.waitUntil(lambda: wizard.currentPage() is wizard.done_page, timeout=10_000)
        assert settle(10) and real.get_password(keyring_service(pid), pid) == DEMO_TOKEN
        assert Store(config_dir=config_dir).find(pid).token_hint == "…" + DEMO_TOKEN[-4:]  # type: ignore[union-attr]
    finally:
        if real.get_password(keyring_service(pid), pid) is not None:
            real.delete_password(keyring_service(pid), pid)
