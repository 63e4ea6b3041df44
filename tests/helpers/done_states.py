"""Every outcome the done page can show, set on a real wizard already on its done page
(test mode, the sandbox's answers): for the layout walk, the screenshots and the done
page's tests. Only the flow's state is set (the saved profile, the check's result, test
mode); the page renders it as it does after a real save."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from wizard.check import CheckResult, Company
from wizard.outcomes import Code
from wizard.store import Profile

COMPANY = Company(
    name="Panadería La Espiga S.A.S.",
    identification="900123456-7",
    country="colombia",
    currency="COP",
)
PROFILE = Profile(
    id="panaderia-la-espiga-s-a-s",
    name="Panadería La Espiga S.A.S.",
    email="demo@alegra.test",
    country="co",
    company=COMPANY.name,
    identification=COMPANY.identification,
)
# state -> (test mode, saved, the check's code, can_read_company)
STATES: dict[str, tuple[bool, bool, Code, bool | None]] = {
    "saved": (False, True, Code.CONNECTED, True),
    "problem": (False, True, Code.FORBIDDEN, False),
    "unverified": (False, True, Code.TIMEOUT, None),
    "test_mode": (True, True, Code.CONNECTED, True),
    "not_saved": (False, False, Code.CONNECTED, True),
}


def show(wizard: Any, state: str) -> None:
    demo, saved, code, readable = STATES[state]
    ctx = wizard.ctx
    assert wizard.currentPage() is wizard.done_page
    ctx.demo = demo  # no signal: the sandbox stays, only the banner follows
    for page in (wizard.page(i) for i in wizard.pageIds()):
        page.banner.setVisible(demo)
    ctx.result = CheckResult(
        code=code,
        http_status=200 if code is Code.CONNECTED else None,
        company=COMPANY if code is Code.CONNECTED else None,
        rate_limit=None,
        elapsed_ms=120,
        can_read_company=readable,
    )
    ctx.backend_kind = "secretservice"
    ctx.save_failed = not saved
    ctx.saved_profile = replace(PROFILE, last_check_code=code.value) if saved else None
    wizard.done_page.initializePage()
