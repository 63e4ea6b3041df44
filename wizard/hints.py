"""Troubleshooting catalog lookup: what went wrong and how to fix it, per outcome code.

The texts are data (resources/i18n/hints.toml); this module only picks the
entry and fills its placeholders. Adding a case is adding a catalog entry.
"""

from __future__ import annotations

from dataclasses import dataclass

from wizard import i18n
from wizard.outcomes import Code

DEFAULT_WAIT_SECONDS = 60


@dataclass(frozen=True)
class Hint:
    title: str
    causes: list[str]
    steps: list[str]
    url: str | None

    def as_json(self) -> dict[str, object]:
        return {"title": self.title, "causes": self.causes, "steps": self.steps, "url": self.url}

    def as_text(self) -> str:
        lines = [self.title]
        lines += [f"  {n}. {step}" for n, step in enumerate(self.steps, 1)]
        if self.url:
            lines.append(f"  {self.url}")
        return "\n".join(lines)


def hint_key(code: Code | str, variant: str | None = None) -> str:
    base = f"hint.{Code(code).value}"
    if variant and i18n.has(f"hint.{Code(code).value}_{variant}.title"):
        return f"hint.{Code(code).value}_{variant}"
    return base


def hint_for(
    code: Code | str,
    lang: str = i18n.DEFAULT_LANG,
    *,
    variant: str | None = None,
    seconds: int | None = None,
    issuer: str | None = None,
) -> Hint:
    """The hint for an outcome code in `lang`.

    variant: a sharper entry when the client knows more (e.g. "user" after a
    403 whose /users/self answered 200). seconds: how long to wait (429).
    issuer: the TLS certificate's issuer (tls_error).
    """
    key = hint_key(code, variant)
    fmt = {
        "seconds": DEFAULT_WAIT_SECONDS if seconds is None else max(0, seconds),
        "issuer": issuer or i18n.t("hint.unknown_issuer", lang),
    }
    return Hint(
        title=i18n.t(f"{key}.title", lang, **fmt),
        causes=i18n.t_list(f"{key}.causes", lang, **fmt),
        steps=i18n.t_list(f"{key}.steps", lang, **fmt),
        url=i18n.t(f"{key}.url", lang) if i18n.has(f"{key}.url") else None,
    )
