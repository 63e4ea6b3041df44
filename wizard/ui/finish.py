"""The last two pages: what will be stored (never the token itself), and where other
programs find it."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLineEdit, QWidget

from wizard import countries, credentials
from wizard.store import profile_id_for
from wizard.ui.base import BasePage, make_label, tone
from wizard.ui.context import WizardContext


class SavePage(BasePage):
    title_key = "gui.save.title"
    subtitle_key = "gui.save.subtitle"

    def __init__(self, ctx: WizardContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "savePage", parent)
        self.profileNameEdit = QLineEdit(self)  # noqa: N815 (DESIGN's object names)
        self.profileNameEdit.setObjectName("profileNameEdit")
        self.bind(self.profileNameEdit.setAccessibleName, "gui.save.name_name")
        self.bind(self.profileNameEdit.setPlaceholderText, "gui.save.name_placeholder")
        self.profileNameEdit.textChanged.connect(self.completeChanged)
        name_label = make_label(self, wrap=False)
        name_label.setBuddy(self.profileNameEdit)
        self.bind(name_label.setText, "gui.save.name")
        form = QFormLayout()
        form.addRow(name_label, self.profileNameEdit)
        self.summary_rows: dict[str, tuple[QWidget, QWidget]] = {}
        for key in ("email", "token", "company", "server", "status", "where"):
            label = make_label(self, wrap=False)
            value = make_label(self, name=f"summary_{key}", selectable=True)
            self.bind(
                label.setText, f"gui.save.summary_{key}" if key != "where" else "gui.save.where"
            )
            form.addRow(label, value)
            self.summary_rows[key] = (label, value)
        self.body.addLayout(form)
        self.body.addStretch(1)
        self._suggested = ""

    def initializePage(self) -> None:  # noqa: N802 (Qt API)
        company = self.ctx.result.company if self.ctx.result else None
        suggested = (company.name if company and company.name else "") or self.ctx.email
        # Keep a name the user typed; replace only our own earlier suggestion.
        if self.profileNameEdit.text() in ("", self._suggested):
            self.profileNameEdit.setText(suggested)
        self._suggested = suggested
        self._fill()
        self.profileNameEdit.setFocus()
        self.profileNameEdit.selectAll()

    def on_language_changed(self) -> None:
        self._fill()

    def _fill(self) -> None:
        ctx = self.ctx
        company = ctx.result.company if ctx.result else None
        company_text = "—"
        if company is not None:
            bits = [company.name or "", company.identification or ""]
            country = countries.edition_name(company.country, ctx.lang)
            company_text = " · ".join(b for b in (*bits, country or "") if b) or "—"
        values = {
            "email": ctx.email,
            "token": credentials.token_hint(ctx.token),
            "company": company_text,
            "server": ctx.base_url,
            "status": ctx.t("gui.save.verified" if ctx.verified else "gui.save.unverified"),
            "where": ctx.t("gui.save.where_value", profile=self.profile_id),
        }
        for key, text in values.items():
            self.summary_rows[key][1].setText(text)  # type: ignore[attr-defined]
        self.summary_rows["status"][1].setStyleSheet(
            "" if ctx.verified else tone("caution", bold=True)
        )

    @property
    def profile_name(self) -> str:
        return self.profileNameEdit.text().strip()

    @property
    def profile_id(self) -> str:
        return profile_id_for(self.profile_name)

    def isComplete(self) -> bool:  # noqa: N802 (Qt API)
        return bool(self.profile_name)


class DonePage(BasePage):
    title_key = "gui.done.title"

    def __init__(self, ctx: WizardContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "donePage", parent)
        self.saved = make_label(self, name="savedLabel")
        self.unverified = make_label(self, name="unverifiedLabel", selectable=True)
        self.unverified.setStyleSheet(tone("caution", bold=True))
        self.programs_title = make_label(self, name="programsTitle")
        self.bind(self.programs_title.setText, "gui.done.programs")
        self.programs = make_label(self, name="programsLabel", selectable=True)
        close = make_label(self, name="closeHelp")
        self.bind(close.setText, "gui.done.close")
        for widget in (self.saved, self.unverified, self.programs_title, self.programs):
            self.body.addWidget(widget)
        self.body.addStretch(1)
        self.body.addWidget(close)
        self.profile_name = ""
        self.profile_id = ""

    def initializePage(self) -> None:  # noqa: N802 (Qt API)
        self._fill()

    def on_language_changed(self) -> None:
        self._fill()

    def _fill(self) -> None:
        ctx = self.ctx
        self.saved.setText(ctx.t("gui.done.saved", name=self.profile_name))
        self.unverified.setText(ctx.t("gui.done.unverified", profile=self.profile_id))
        self.unverified.setVisible(not ctx.verified)
        items = ctx.t_list("gui.done.program_items", profile=self.profile_id)
        self.programs.setText("\n".join(f"  •  {item}" for item in items))
