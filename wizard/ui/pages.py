"""The nine pages, in DESIGN's order: one table read by the step list (its names), every
page's header («Paso N de 9» and the same name as its title), the guide (its pictures)
and the wizard's page builder (which class, kept as which attribute).

Qt-free and cheap on purpose: page one reads it before the window's first paint.
"""

from __future__ import annotations

from typing import NamedTuple


class Page(NamedTuple):
    name: str  # the page's objectName: DESIGN's contract
    title: str  # catalog key: the page's title and its name in the step list
    attr: str  # the AlegraWizard attribute that holds the page
    module: str  # where the page's class lives (imported after the first paint)
    cls: str
    picture: str = ""  # guide pages: resources/screenshots/<lang>/<picture>.svg|png
    needs: tuple[str, ...] = ()  # attributes of pages built before, passed to the class


PAGES = (
    Page("welcomePage", "gui.welcome.title", "welcome", "wizard.ui.welcome", "WelcomePage"),
    Page("signInPage", "gui.sign_in.title", "sign_in", "wizard.ui.guide", "SignInPage", "sign_in"),
    Page(
        "openSettingsPage", "gui.open_settings.title", "open_settings", "wizard.ui.guide",
        "OpenSettingsPage", "open_settings",
    ),
    Page(
        "manualApiPage", "gui.manual_api.title", "manual_api", "wizard.ui.guide",
        "ManualApiPage", "manual_api",
    ),
    Page(
        "copyCredentialsPage", "gui.copy.title", "copy_credentials", "wizard.ui.guide",
        "CopyCredentialsPage", "copy_credentials",
    ),
    Page(
        "credentialsPage", "gui.credentials.title", "credentials", "wizard.ui.credentials_page",
        "CredentialsPage",
    ),
    Page("testPage", "gui.test.title", "test", "wizard.ui.check_page", "CheckPage"),
    Page("savePage", "gui.save.title", "save", "wizard.ui.save_page", "SavePage"),
    Page(
        "donePage", "gui.done.title", "done_page", "wizard.ui.done_page", "DonePage",
        needs=("save",),
    ),
)  # fmt: skip
NAMES = tuple(page.name for page in PAGES)
# Pages with nothing to type, each with its picture: the user's next action is Next.
GUIDE = tuple(page for page in PAGES if page.picture)


def number(name: str) -> int:
    """The page's place in the journey, from 1 («Paso 2 de 9»)."""
    return NAMES.index(name) + 1


def by_name(name: str) -> Page:
    return PAGES[NAMES.index(name)]
