"""What every page shares: the options the wizard was started with, the services it
talks to (passed in, so tests hand in a sandbox URL or a failing keyring), and the
flow's state (the cleaned credentials, the last check result).

The token lives only here, in memory, until the save page hands it to the store.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from wizard import countries, i18n

if TYPE_CHECKING:
    from pathlib import Path

    from wizard.appconfig import AppConfig, AppConfigError
    from wizard.check import CheckResult
    from wizard.needs import NeedsReport
    from wizard.probe import ProbeResult
    from wizard.sandbox import Sandbox
    from wizard.store import Profile, Store

CheckFn = Callable[[str, str, str, threading.Event], "CheckResult"]
ProbeFn = Callable[[str, str, str, threading.Event], "ProbeResult"]

# Plain classes, not dataclasses: this module is read before the window's first paint,
# where importing dataclasses and generating their methods costs ~5 ms.


class Ending:
    """How the window ended: its exit code and the --result-json report."""

    __slots__ = ("exit_code", "report")

    def __init__(self, exit_code: int, report: dict[str, object]) -> None:
        self.exit_code = exit_code
        self.report = report

    def __repr__(self) -> str:
        return f"Ending(exit_code={self.exit_code!r}, report={self.report!r})"


class Options:
    """What the window was started with (its command line, the remembered choices)."""

    def __init__(
        self,
        lang: str = i18n.DEFAULT_LANG,
        country: str = countries.DEFAULT_COUNTRY,
        base_url: str | None = None,
        sandbox: bool = False,
        profile: str | None = None,
        support: bool = False,
        smoke_test: bool = False,
        result_json: str | None = None,  # --result-json PATH ("-": stdout)
        app: AppConfig | None = None,  # the app file's product (None: the wizard itself)
        app_error: AppConfigError | None = None,  # a file that could not be used
    ) -> None:
        self.lang = lang
        self.country = country
        self.base_url = base_url
        self.sandbox = sandbox
        self.profile = profile
        self.support = support
        self.smoke_test = smoke_test
        self.result_json = result_json
        if app is None:
            from wizard.appconfig import DEFAULT

            app = DEFAULT
        self.app = app
        self.app_error = app_error

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Options):
            return NotImplemented
        return vars(self) == vars(other)

    __hash__ = None  # type: ignore[assignment]  # mutable, like the dataclass it was

    def __repr__(self) -> str:
        fields = ", ".join(f"{k}={v!r}" for k, v in vars(self).items())
        return f"Options({fields})"


def default_check(email: str, token: str, base_url: str, cancel: threading.Event) -> CheckResult:
    from wizard.check import check_connection
    from wizard.present import DEFAULT_TIMEOUT_S

    return check_connection(email, token, base_url, timeout=DEFAULT_TIMEOUT_S, cancel=cancel)


def default_probe(email: str, token: str, base_url: str, cancel: threading.Event) -> ProbeResult:
    from wizard.probe import probe_permissions

    return probe_permissions(email, token, base_url, cancel=cancel)


def default_store(app_id: str = "alegra-wizard") -> Store:
    from wizard.store import Store

    return Store(app_id=app_id)


def default_open_url(url: str) -> bool:
    from PySide6.QtCore import QUrl  # here: QUrl's enums cost ~1 ms before the first paint
    from PySide6.QtGui import QDesktopServices

    return bool(QDesktopServices.openUrl(QUrl(url)))


def default_sandbox() -> Sandbox:
    from wizard.sandbox import Sandbox

    return Sandbox().start()


class WizardContext(QObject):
    languageChanged = Signal(str)
    countryChanged = Signal(str)  # the texts follow: some words differ per country
    demoChanged = Signal(bool)
    supportChanged = Signal(bool)
    tokenForgotten = Signal()  # saved: the window lets go of its copy of the token

    def __init__(
        self,
        options: Options,
        *,
        check: CheckFn = default_check,
        probe: ProbeFn = default_probe,
        store: Callable[[], Store] | None = None,
        open_url: Callable[[str], bool] = default_open_url,
        sandbox: Callable[[], Sandbox] = default_sandbox,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.options = options
        self.lang = i18n.normalize_lang(options.lang)
        self.country = countries.by_code(options.country)
        self.check = check
        self.probe = probe
        # Support-safe mode: the token is never shown, not even with "Mostrar".
        self.support = options.support
        self.open_url = open_url
        self.app = options.app  # who ships the wizard (wizard.appconfig)
        self._store_factory = store or (lambda: default_store(self.app.id))
        self._store: Store | None = None
        self._test_store: Store | None = None
        self._sandbox_factory = sandbox
        self._sandbox: Sandbox | None = None
        self.demo = False
        self.chosen: dict[str, str] = {}  # language and country picked on page one
        # Flow state.
        self.email = ""
        self.token = ""
        self._forgotten_hint = ""  # the saved token's «…» + last 4 (forget_token)
        self.clipboard_cleared = False  # the token was taken off the clipboard (say so)
        self.result: CheckResult | None = None
        self.probe_result: ProbeResult | None = None
        self.needs_report: NeedsReport | None = None  # the app's needs, after a good check
        self.continue_unverified = False
        self.saved_profile: Profile | None = None
        self.save_failed = False  # the last save attempt failed (exit 16 if the user gives up)
        self.set_aside: Path | None = None  # a damaged profiles file the save moved aside
        self.backend_kind = "other"  # known once the keyring was used (off the GUI thread)
        self.updating: Profile | None = None  # --profile P: replacing that profile's token

    # --- language and country ---
    def t(self, key: str, /, **fmt: object) -> str:
        """`key` in the chosen language, in the chosen country's words."""
        return i18n.t(self.country.words(key, self.lang), self.lang, **fmt)

    def t_list(self, key: str, /, **fmt: object) -> list[str]:
        return i18n.t_list(self.country.words(key, self.lang), self.lang, **fmt)

    def needs_missing_keys(self) -> str | None:
        """The app's needed resources this account lacks, as the profile stores them."""
        report = self.needs_report
        if report is None or not report.missing:
            return None
        return ",".join(need.resource for need in report.missing)

    def window_title(self) -> str:
        """«Conectar Facturador POS con Alegra» for a product's app file, else ours."""
        if self.app.name is not None:
            return self.t("brand.title", name=self.app.name)
        return self.t("gui.window_title")

    def set_lang(self, lang: str, *, chosen: bool = False) -> None:
        """chosen: the user picked it on page one (remembered for the next run)."""
        lang = i18n.normalize_lang(lang)
        if chosen:
            self.chosen["lang"] = lang
        if lang != self.lang:
            self.lang = lang
            self.languageChanged.emit(lang)

    def set_country(self, code: str, *, chosen: bool = False) -> None:
        country = countries.by_code(code)
        if chosen:
            self.chosen["country"] = country.code
        if country != self.country:
            self.country = country
            self.countryChanged.emit(country.code)

    def set_support(self, on: bool) -> None:
        if on != self.support:
            self.support = on
            self.supportChanged.emit(on)

    # --- test mode ---
    def set_demo(self, on: bool) -> None:
        """Start (or leave) test mode; raises the sandbox's error if it can't start."""
        if on and self._sandbox is None:
            self._sandbox = self._sandbox_factory()
        if on != self.demo:
            self.demo = on
            self.demoChanged.emit(on)

    @property
    def base_url(self) -> str:
        if self.demo and self._sandbox is not None:
            return self._sandbox.url
        if self.options.base_url:
            return self.options.base_url
        from wizard.request import DEFAULT_BASE_URL

        return DEFAULT_BASE_URL

    @property
    def store(self) -> Store:
        """Where profiles are read and saved. In test mode a store in memory only: nothing
        goes to the user's keyring or config folder (the sandbox's loopback address is no
        connection anyone could use later)."""
        if self.demo:
            if self._test_store is None:
                from wizard.store import Store

                self._test_store = Store.in_memory()
            return self._test_store
        if self._store is None:
            self._store = self._store_factory()
        return self._store

    # --- flow state ---
    @property
    def token_hint(self) -> str:
        """The token as it may be shown («…» + last 4), after forget_token too."""
        from wizard.redact import mask_token

        return mask_token(self.token) or self._forgotten_hint

    def clear_clipboard(self) -> bool:
        """As password managers do: once the token is saved, or the window closes, the
        system clipboard (and X11's selection) no longer holds it; only if it still holds
        that very token (as copied, or with what a paste around it brings). True if it did."""
        token = self.token
        if not token:
            return False
        from PySide6.QtGui import QClipboard, QGuiApplication

        from wizard.credentials import clean

        board = QGuiApplication.clipboard()
        modes = [QClipboard.Mode.Clipboard]
        if board.supportsSelection():
            modes.append(QClipboard.Mode.Selection)
        cleared = False
        for mode in modes:
            text = board.text(mode)
            if text and (text.strip() == token or clean("", text).token == token):
                board.clear(mode)
                cleared = True
        self.clipboard_cleared = self.clipboard_cleared or cleared
        return cleared

    def forget_token(self) -> None:
        """After a save the keyring holds the token: the field and this copy let go of it
        (no later screen, report or memory dump needs it)."""
        from wizard.redact import mask_token

        self._forgotten_hint = mask_token(self.token) or self._forgotten_hint
        self.clear_clipboard()
        self.token = ""
        self.tokenForgotten.emit()

    @property
    def verified(self) -> bool:
        from wizard.outcomes import Code  # the outcomes come after the first paint

        return self.result is not None and self.result.code == Code.CONNECTED

    @property
    def save_problem(self) -> str | None:
        """What is wrong when the credentials themselves look right: a user who may not read
        the company (403, but /users/self answered) or a plan or account issue (402)."""
        from wizard.outcomes import Code

        result = self.result
        if result is None:
            return None
        if result.code == Code.FORBIDDEN and result.can_read_company is False:
            return Code.FORBIDDEN.value
        if result.code == Code.PAYMENT_REQUIRED:
            return Code.PAYMENT_REQUIRED.value
        return None

    @property
    def may_continue_unverified(self) -> bool:
        # Rotation replaces a stored token only with one that was seen working.
        from wizard.outcomes import UNVERIFIABLE, Code

        if self.updating is not None or self.result is None:
            return False
        outage = self.result.code in UNVERIFIABLE and self.result.code != Code.FORMAT_OK
        return outage or self.save_problem is not None

    def ending(self) -> Ending:
        """How the window ended, for its exit code and --result-json (never the token)."""
        from wizard.outcomes import Code
        from wizard.outcomes import exit_code as exit_code_for
        from wizard.present import window_report  # after the first paint

        result, profile = self.result, self.saved_profile
        company = result.company if result is not None else None
        if profile is not None and result is not None:
            code, exit_code = result.code.value, 0
        elif self.save_failed:
            code, exit_code = Code.STORAGE_ERROR.value, exit_code_for(Code.STORAGE_ERROR)
        else:
            code, exit_code = Code.CANCELLED.value, exit_code_for(Code.CANCELLED)
        saved = profile is not None and not self.demo
        needs = self.needs_report if profile is not None else None
        if needs is not None and needs.missing:  # saved, but the product lacks something
            code, exit_code = Code.NEEDS_UNMET.value, exit_code_for(Code.NEEDS_UNMET)
        report = window_report(
            code,
            exit_code,
            saved=saved,
            verified=profile is not None and self.verified,
            profile_id=profile.id if saved and profile is not None else None,
            company=company,
            email=self.email,
            token_hint=self.token_hint,
            test_mode=self.demo,
            app=self.app,
            needs=needs,
        )
        return Ending(exit_code=exit_code, report=report)

    def shutdown(self) -> None:
        if self._sandbox is not None:
            self._sandbox.stop()
            self._sandbox = None
