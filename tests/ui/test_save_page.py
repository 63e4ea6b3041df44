"""The save page against the real Secret Service, and every way saving can fail."""

from __future__ import annotations

import itertools
import os
import tempfile
import threading
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QWizard

from tests.helpers import CANARY_TOKEN
from tests.helpers.files import files_written_since
from tests.helpers.gui import fill, go_to, save_and_finish
from tests.helpers.keyrings import MemoryBackend
from wizard.sandbox import DEMO_TOKEN
from wizard.store import Profile, Store, keyring_service


def connected_to_save_page(qtbot, wizard, email: str = "demo@alegra.test", token: str = DEMO_TOKEN):  # type: ignore[no-untyped-def]
    fill(wizard, email, token)
    wizard.next()
    qtbot.waitUntil(lambda: wizard.ctx.verified, timeout=10_000)
    wizard.next()
    assert wizard.currentPage() is wizard.save


def test_saved_profile_is_in_the_keyring_and_survives_a_restart(
    alegra_url, make_wizard, qtbot, config_dir
):  # type: ignore[no-untyped-def]
    wizard = make_wizard("--base-url", alegra_url, "--lang", "es")
    connected_to_save_page(qtbot, wizard)
    save_and_finish(qtbot, wizard)
    profile_id = "panaderia-la-espiga-s-a-s"
    restarted = Store(config_dir=config_dir)
    creds = restarted.load(profile_id)
    assert creds.token == DEMO_TOKEN and creds.profile.email == "demo@alegra.test"
    assert creds.profile.last_check_code == "connected"
    assert creds.profile.identification == "900123456-7" and creds.profile.country == "co"
    done = wizard.done_page
    assert "llavero seguro del escritorio" in done.facts["where"][1].text()
    assert f"credential get --profile {profile_id}" in done.programs.text()
    assert not done.unverified.isVisible()
    restarted.forget(profile_id)


def test_a_failing_keyring_explains_keeps_everything_and_allows_retry(
    alegra_url, make_wizard, qtbot, config_dir
):  # type: ignore[no-untyped-def]
    class FailsOnce(MemoryBackend):
        failures = 1

        def set_password(self, service: str, user: str, secret: str) -> None:
            if self.failures:
                self.failures -= 1
                raise RuntimeError("locked?")
            super().set_password(service, user, secret)

    backend = FailsOnce()
    wizard = make_wizard(
        "--base-url",
        alegra_url,
        "--lang",
        "es",
        store=lambda: Store(config_dir=config_dir, backend=backend),
    )
    connected_to_save_page(qtbot, wizard)
    wizard.save.profileNameEdit.setText("Mi nombre elegido")
    wizard.next()
    qtbot.waitUntil(lambda: wizard.save.error_title.isVisible(), timeout=10_000)
    assert wizard.currentPage() is wizard.save
    assert wizard.save.error_title.text().startswith("No pudimos guardar")
    assert "No se guardó nada" in wizard.save.error_title.text()
    assert wizard.save.profileNameEdit.text() == "Mi nombre elegido"
    assert wizard.credentials.tokenEdit.token() == DEMO_TOKEN
    assert wizard.button(QWizard.WizardButton.CommitButton).isEnabled()  # retry
    save_and_finish(qtbot, wizard)
    assert (
        backend.secrets[(keyring_service("mi-nombre-elegido"), "mi-nombre-elegido")] == DEMO_TOKEN
    )


def test_no_keyring_lets_the_user_finish_without_saving(alegra_url, make_wizard, qtbot, config_dir):  # type: ignore[no-untyped-def]
    from keyring.backends import fail

    wizard = make_wizard(
        "--base-url",
        alegra_url,
        "--lang",
        "es",
        store=lambda: Store(config_dir=config_dir, backend=fail.Keyring()),
    )
    connected_to_save_page(qtbot, wizard)
    wizard.next()
    qtbot.waitUntil(lambda: wizard.save.skip_button.isVisible(), timeout=10_000)
    assert "no tiene un llavero seguro" in wizard.save.error_title.text()
    wizard.save.skip_button.click()
    assert wizard.currentPage() is wizard.done_page
    assert "No guardamos nada" in wizard.done_page.saved.text()
    assert not wizard.done_page.programs.isVisible()
    assert not (config_dir / "profiles.json").exists()


def test_a_hung_keyring_times_out_while_the_window_keeps_painting(
    alegra_url, make_wizard, qtbot, config_dir
):  # type: ignore[no-untyped-def]
    release = threading.Event()

    class Hanging(MemoryBackend):
        def get_password(self, service: str, user: str) -> str | None:
            release.wait(30)
            return None

    wizard = make_wizard(
        "--base-url",
        alegra_url,
        "--lang",
        "es",
        store=lambda: Store(config_dir=config_dir, backend=Hanging(), timeout=1.0),
    )
    connected_to_save_page(qtbot, wizard)
    ticks: list[float] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start(20)
    wizard.next()
    assert wizard.save.progress.isVisible()
    qtbot.waitUntil(lambda: wizard.save.error_title.isVisible(), timeout=10_000)
    timer.stop()
    release.set()
    assert "no responde" in wizard.save.error_title.text()
    gaps = [b - a for a, b in itertools.pairwise(ticks)]
    assert len(ticks) > 20 and max(gaps) < 0.25  # the event loop never stalled


def test_a_duplicate_is_updated_not_copied(alegra_url, make_wizard, qtbot, config_dir):  # type: ignore[no-untyped-def]
    backend = MemoryBackend()
    store = Store(config_dir=config_dir, backend=backend)
    store.save(
        Profile(id="mia", name="La mía", email="demo@alegra.test", identification="900123456-7"),
        "old" + "x" * 17,
    )
    wizard = make_wizard(
        "--base-url",
        alegra_url,
        "--lang",
        "es",
        store=lambda: Store(config_dir=config_dir, backend=backend),
    )
    connected_to_save_page(qtbot, wizard)
    assert wizard.save.duplicate.isVisible() and "La mía" in wizard.save.duplicate.text()
    save_and_finish(qtbot, wizard)
    profiles = Store(config_dir=config_dir, backend=backend).list_profiles()
    assert [p.id for p in profiles] == ["mia"]
    assert backend.secrets[(keyring_service("mia"), "mia")] == DEMO_TOKEN


def test_update_mode_replaces_the_token_only_after_it_works(
    alegra_url, make_wizard, qtbot, config_dir
):  # type: ignore[no-untyped-def]
    backend = MemoryBackend()
    Store(config_dir=config_dir, backend=backend).save(
        Profile(id="mia", name="La mía", email="caido@alegra.test"), "old" + "x" * 17
    )

    def store() -> Store:
        return Store(config_dir=config_dir, backend=backend)

    wizard = make_wizard("--base-url", alegra_url, "--lang", "es", "--profile", "mia", store=store)
    assert wizard.currentPage() is wizard.credentials
    assert wizard.credentials.emailEdit.text() == "caido@alegra.test"
    assert wizard.credentials.tokenEdit.token() == ""
    assert "Actualizando el perfil «La mía»" in wizard.credentials.update_notice.text()
    wizard.credentials.tokenEdit.set_token(DEMO_TOKEN)
    wizard.credentials.apply_cleaning()
    wizard.next()
    qtbot.waitUntil(lambda: wizard.ctx.result is not None, timeout=10_000)
    assert not wizard.test.continueCheck.isVisible()  # an outage can't replace a token
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    wizard.back()
    wizard.credentials.emailEdit.setText("demo@alegra.test")
    wizard.credentials.apply_cleaning()
    wizard.next()
    qtbot.waitUntil(lambda: wizard.ctx.verified, timeout=10_000)
    wizard.next()
    assert wizard.save.profileNameEdit.text() == "La mía"
    save_and_finish(qtbot, wizard)
    assert backend.secrets[(keyring_service("mia"), "mia")] == DEMO_TOKEN
    assert [p.id for p in store().list_profiles()] == ["mia"]


def test_the_token_is_in_no_file_after_the_whole_flow(
    alegra_url, make_wizard, qtbot, config_dir, tmp_path
):  # type: ignore[no-untyped-def]
    started = time.time()
    wizard = make_wizard("--base-url", alegra_url)
    fill(wizard, "demo@alegra.test", CANARY_TOKEN)  # 401: then the demo token saves
    wizard.next()
    qtbot.waitUntil(lambda: wizard.ctx.result is not None, timeout=10_000)
    wizard.back()
    go_to(wizard, wizard.credentials)
    connected_to_save_page(qtbot, wizard, token=DEMO_TOKEN)
    save_and_finish(qtbot, wizard)
    roots = [tmp_path, Path(tempfile.gettempdir())]
    if os.environ.get("TEST_HOME"):
        roots.append(Path(os.environ["TEST_HOME"]))
    for path, data in files_written_since(roots, started):
        assert CANARY_TOKEN.encode() not in data, path
        assert DEMO_TOKEN.encode() not in data or "keyrings" in path.parts, path
    Store(config_dir=config_dir).forget(wizard.ctx.saved_profile.id)


# --- right credentials, something else wrong (issue 13.10) ---
@pytest.mark.parametrize(
    ("email", "check_words", "status_words"),
    [
        ("sinpermiso@alegra.test", "no puede ver la empresa", "no tiene permiso"),
        ("suspendida@alegra.test", "arreglar el plan o el pago", "cuenta está suspendida"),
    ],
)
def test_right_credentials_with_a_problem_can_be_saved_marked(
    alegra_url, make_wizard, qtbot, config_dir, email: str, check_words: str, status_words: str
):  # type: ignore[no-untyped-def]
    wizard = make_wizard("--base-url", alegra_url, "--lang", "es")
    fill(wizard, email, DEMO_TOKEN)
    wizard.next()
    qtbot.waitUntil(lambda: wizard.ctx.result is not None, timeout=10_000)
    check, note = wizard.test.continueCheck, wizard.test.continue_note
    assert check.isVisible() and check.text().startswith("Guardar de todos &modos")
    assert note.isVisible() and check_words in note.text()
    assert check.accessibleDescription() == note.text()
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    check.setChecked(True)
    assert wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    wizard.next()
    assert wizard.currentPage() is wizard.save
    status = wizard.save.values["status"].text()
    assert status.startswith("⚠ CON UN PROBLEMA") and status_words in status
    save_and_finish(qtbot, wizard)
    profile = wizard.ctx.saved_profile
    assert profile is not None and profile.last_check_code == wizard.ctx.result.code.value
    assert wizard.done_page.unverified.isVisible()
    Store(config_dir=config_dir).forget(profile.id)


def test_after_a_save_the_window_lets_go_of_the_token(alegra_url, make_wizard, qtbot, config_dir):  # type: ignore[no-untyped-def]
    wizard = make_wizard("--base-url", alegra_url, "--lang", "es")
    connected_to_save_page(qtbot, wizard)
    save_and_finish(qtbot, wizard)
    assert wizard.ctx.token == ""
    assert wizard.credentials.tokenEdit.token() == ""
    hint = "…" + DEMO_TOKEN[-4:]
    assert wizard.ctx.token_hint == hint  # still said, from the saved profile
    assert wizard.done_page.facts["token"][1].text() == hint
    assert wizard.ctx.ending().report["token_hint"] == hint
    Store(config_dir=config_dir).forget(wizard.ctx.saved_profile.id)


def test_updating_a_saved_connection_keeps_its_name(alegra_url, make_wizard, qtbot, config_dir):  # type: ignore[no-untyped-def]
    backend = MemoryBackend()
    store = Store(config_dir=config_dir, backend=backend)
    store.save(
        Profile(
            id="principal",
            name="Panadería (principal)",
            email="demo@alegra.test",
            identification="900123456-7",
        ),
        "old" + "x" * 17,
    )
    wizard = make_wizard(
        "--base-url", alegra_url, "--lang", "es",
        store=lambda: Store(config_dir=config_dir, backend=backend),
    )  # fmt: skip
    connected_to_save_page(qtbot, wizard)
    page = wizard.save
    assert page.profileNameEdit.text() == "Panadería (principal)"
    page.new_copy.setChecked(True)  # a new connection is named after the company
    assert page.profileNameEdit.text() == "Panadería La Espiga S.A.S."
    page.new_copy.setChecked(False)
    assert page.profileNameEdit.text() == "Panadería (principal)"
    save_and_finish(qtbot, wizard)
    profiles = Store(config_dir=config_dir, backend=backend).list_profiles()
    assert [(p.id, p.name) for p in profiles] == [("principal", "Panadería (principal)")]


@pytest.mark.parametrize("support", [False, True])
def test_the_server_address_shows_on_the_save_page_only_in_support_mode(
    make_wizard, qtbot, support: bool
) -> None:  # type: ignore[no-untyped-def]
    wizard = make_wizard("--sandbox", "--lang", "es", *(["--support"] if support else []))
    connected_to_save_page(qtbot, wizard)
    value = wizard.save.values["server"]
    assert value.isVisible() is support
    shown = [w.text() for w in wizard.save.findChildren(QLabel) if w.isVisible()]
    assert any("127.0.0.1" in text for text in shown) is support


def test_the_macos_keychain_prompt_is_said_and_waited_for(
    alegra_url, make_wizard, qtbot, config_dir, tmp_path
):  # type: ignore[no-untyped-def]
    """Issue 26: after an update, macOS asks the user before we may use the Keychain item.
    The save page says so while the dialog is up, past the store's deadline (scaled down:
    0.3 s), and the save goes through when the user answers (the test clicks Allow once it
    has seen the page waiting)."""
    from tests.helpers.platform_keyrings import PromptingKeychain

    keychain = PromptingKeychain(prompt_s=60, path=tmp_path / "keychain.json")
    wizard = make_wizard(
        "--base-url", alegra_url, "--lang", "es",
        store=lambda: Store(config_dir=config_dir, backend=keychain, timeout=0.3),
    )  # fmt: skip
    connected_to_save_page(qtbot, wizard)
    wizard.next()
    label = wizard.save.progress_label
    qtbot.waitUntil(
        lambda: label.text().startswith("Esperando el permiso del llavero de macOS…"),
        timeout=10_000,
    )
    assert label.isVisible() and wizard.currentPage() is wizard.save
    keychain.allow.set()
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.done_page, timeout=10_000)
    assert keychain.prompts == 1 and wizard.ctx.saved_profile is not None
