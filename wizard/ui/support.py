"""What helps support staff and a stuck user: the Diagnóstico dialog (doctor) and the
support report dialog (support-safe mode)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from wizard.ui import style
from wizard.ui.base import make_label, tone
from wizard.ui.context import WizardContext
from wizard.ui.worker import Outcome, Worker


def dialog_size(widget: QWidget, width: int, height: int) -> QSize:
    """width x height where the screen has room, else what it has (laptops, 2x scale)."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    room = screen.availableGeometry().size()
    return QSize(min(width, room.width() - 16), min(height, room.height() - 40))


class _TextDialog(QDialog):
    """A read-only text with Copy and Close (and room for more buttons)."""

    def __init__(self, ctx: WizardContext, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName(name)
        self.resize(dialog_size(self, 620, 520))
        layout = QVBoxLayout(self)
        self.intro = make_label(self, name="intro")
        self.text = QPlainTextEdit(self)
        self.text.setObjectName("reportText")
        self.text.setReadOnly(True)
        self.notice = make_label(self, name="notice")
        self.buttons = QHBoxLayout()
        self.copy_button = QPushButton(self)
        self.copy_button.setObjectName("copyButton")
        self.copy_button.clicked.connect(self.copy)
        self.close_button = QPushButton(self)
        self.close_button.setObjectName("closeButton")
        self.close_button.clicked.connect(self.accept)
        self.buttons.addWidget(self.copy_button)
        self.buttons.addStretch(1)
        self.buttons.addWidget(self.close_button)
        for widget in (self.intro, self.text, self.notice):
            layout.addWidget(widget)
        layout.addLayout(self.buttons)
        self.notice.hide()

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.text.toPlainText())
        self.say(self.ctx.t("support.copied"))

    def say(self, text: str, *, error: bool = False) -> None:
        style.restyle(self.notice, tone("error" if error else "ok"))
        self.notice.setText(text)
        self.notice.show()


class DoctorDialog(_TextDialog):
    """Diagnóstico: the doctor's checklist for this computer, run on a Worker."""

    def __init__(self, ctx: WizardContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "doctorDialog", parent)
        self.setWindowTitle(ctx.t("doctor.title"))
        self.intro.setText(ctx.t("doctor.intro"))
        self.copy_button.setText(ctx.t("doctor.copy"))
        self.close_button.setText(ctx.t("doctor.close"))
        self.report = None
        self.worker = Worker(self)
        self.worker.done.connect(self._done)
        self.finished.connect(lambda _: self.worker.cancel())

    def start(self) -> None:
        from wizard.doctor import Doctor

        doctor = Doctor(
            base_url=self.ctx.base_url,
            store=self.ctx.store,
            lang=self.ctx.lang,
            country=self.ctx.country,
        )
        self.text.setPlainText(self.ctx.t("doctor.running"))
        self.copy_button.setEnabled(False)
        self.worker.run(lambda _cancel: doctor.run(), name="doctor")

    def _done(self, outcome: Outcome) -> None:
        if outcome.error is not None:
            self.say(self.ctx.t("doctor.failed", error=type(outcome.error).__name__), error=True)
            return
        self.report = outcome.value
        report = outcome.value
        self.text.setPlainText(report.as_text())
        self.say(report.verdict(self.ctx.lang), error=not report.ok)
        self.copy_button.setEnabled(True)


class SupportDialog(_TextDialog):
    """Informe de soporte (one name for it everywhere): the redacted report, to copy into a
    chat or save to a file."""

    def __init__(self, ctx: WizardContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "supportDialog", parent)
        # Gone once closed: a closed report stays readable over accessibility otherwise.
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(ctx.t("support.dialog_title"))
        self.intro.setText(ctx.t("support.dialog_intro"))
        self.copy_button.setText(ctx.t("support.copy"))
        self.copy_button.setObjectName("copyReportButton")
        self.close_button.setText(ctx.t("support.close"))
        self.save_button = QPushButton(ctx.t("support.save"), self)
        self.save_button.setObjectName("saveReportButton")
        self.save_button.clicked.connect(self.choose_file)
        self.buttons.insertWidget(1, self.save_button)
        self.text.setPlainText(support_report(ctx))

    def choose_file(self) -> None:
        start = str(Path.home() / self.ctx.t("support.file_name"))
        path, _ = QFileDialog.getSaveFileName(
            self, self.ctx.t("support.save").replace("&", ""), start, "Text (*.txt)"
        )
        if path:
            self.save_to(Path(path))

    def save_to(self, path: Path) -> bool:
        from wizard.private_files import write_private

        try:  # 0600, atomic: the report names the user and the company
            write_private(path, (self.text.toPlainText() + "\n").encode("utf-8"))
        except OSError as exc:
            self.say(self.ctx.t("support.save_failed", error=exc.strerror or ""), error=True)
            return False
        self.say(self.ctx.t("support.saved", path=str(path)))
        return True


def support_report(ctx: WizardContext) -> str:
    """The report for the flow as it stands: what was typed (email, masked token), the last
    test's outcome and company, the probe, and the saved profile if any."""
    from wizard import present
    from wizard.diagnostics import SupportInfo, build_report

    result = ctx.result
    company = result.company if result is not None else None
    country = present.company_country(company) or ctx.country
    profile = (
        ctx.saved_profile.id if ctx.saved_profile else (ctx.updating.id if ctx.updating else None)
    )
    try:
        backend = ctx.store.backend_name()
    except Exception:  # a broken keyring must not stop the report that helps fix it
        backend = "—"
    info = SupportInfo(
        profile=profile,
        email=ctx.email,
        company=company.name if company else None,
        identification=company.identification if company else None,
        country=country.name(ctx.lang),
        token_hint=ctx.token_hint,
        keyring_backend=backend,
        last_code=result.code.value if result is not None else None,
        test_mode=ctx.demo,
        server=ctx.base_url,
    )
    return build_report(info, ctx.lang, probe=ctx.probe_result, secrets=[ctx.token], app=ctx.app)
