"""The resources the plan probe reads and its row statuses, as data (Qt-free and light:
the app file checks its [needs] against these keys before the window's first paint,
without the HTTP stack that wizard.probe brings).

One row per resource an integration may need. path None: Alegra has no read-only list
endpoint we could confirm (see shared/ALEGRA_API.md): shown as "not checked", never
guessed against the live API. Names: catalog keys probe.resource.<key>. Correct a row
here when a path is confirmed.
"""

from __future__ import annotations

from typing import NamedTuple


class Probed(NamedTuple):
    key: str
    path: str | None
    gated: bool  # plan-gated: a 403 means the plan tier, not the user's permissions


PROBED: tuple[Probed, ...] = (
    Probed("contacts", "/contacts", gated=False),
    Probed("invoices", "/invoices", gated=False),
    Probed("bills", "/bills", gated=False),
    Probed("items", "/items", gated=False),
    Probed("taxes", "/taxes", gated=False),
    Probed("categories", "/categories", gated=False),
    Probed("cost_centers", "/cost-centers", gated=False),
    Probed("journals", "/journals", gated=True),
    Probed("bank_accounts", "/bank-accounts", gated=True),
    Probed("attachments", None, gated=True),
    Probed("payment_methods", None, gated=True),
    Probed("fixed_assets", None, gated=True),
)
BY_KEY: dict[str, Probed] = {item.key: item for item in PROBED}

# Row statuses.
AVAILABLE = "available"
NOT_IN_PLAN = "not_in_plan"  # 403 on a plan-gated resource
NO_PERMISSION = "no_permission"  # 403 on a core resource
ERROR = "error"  # anything else: transport error, 5xx, 404...
NOT_CHECKED = "not_checked"  # no confirmed read-only path
SKIPPED = "skipped"  # stopped early: rate limit or cancel
