"""`login`: the wizard without the window. Clean and check as `check` does, then store
the profile when connected (or, with --unverified, when Alegra could not be reached);
the profile is built by the same core function as the window's save page
(`wizard.store.profile_from_check`)."""

from __future__ import annotations

import argparse
import os
from typing import TYPE_CHECKING

from wizard import present
from wizard.cli.check import Checked, Given, clean_and_check, render_checked
from wizard.cli.options import Context, ca_option, token_options
from wizard.cli.render import Io, as_storage_error, msg
from wizard.outcomes import UNVERIFIABLE, Code, exit_code

if TYPE_CHECKING:
    from wizard.store import Profile, Store


def build_login(p: argparse.ArgumentParser, lang: str) -> None:
    token_options(p, lang)
    p.add_argument("--profile", metavar="P", help=msg("opt.login_profile", lang))
    p.add_argument("--name", metavar="N", help=msg("opt.login_name", lang))
    p.add_argument("--unverified", action="store_true", help=msg("opt.unverified", lang))
    ca_option(p, lang)


def run_login(args: argparse.Namespace, io: Io, ctx: Context) -> int:
    target: str | None = args.profile  # what to save under (it may not exist yet)
    name: str | None = args.name
    email: str | None = args.email
    if target and not email and not os.environ.get("ALEGRA_EMAIL"):
        # A new token for a stored profile: its email unless another is given.
        existing = ctx.store.find(target)
        email = existing.email if existing is not None else None
    # --profile names what to save under, not what to check.
    given = Given(
        email=email,
        token_stdin=args.token_stdin,
        base_url=args.base_url,
        timeout=args.timeout,
        ca_bundle=args.ca_bundle,
    )
    c = clean_and_check(given, io, ctx, use_default=False)
    # needs_unmet: the token works, the product lacks a resource: saved, marked, exit 20.
    works = c.code in (Code.CONNECTED, Code.NEEDS_UNMET)
    c.extra = {"profile": None, "saved": False, "verified": works}
    may_save = works or (
        args.unverified and c.code in UNVERIFIABLE and c.code is not Code.FORMAT_OK
    )
    if c.result is None or not may_save:
        if c.result is not None and c.code in UNVERIFIABLE:
            c.errors.append(msg("login_not_saved_unverifiable", io.lang))
        elif c.result is not None:
            c.errors.append(msg("login_not_saved", io.lang))
        render_checked(c, io)
        return exit_code(c.code)
    try:
        profile, created = _save(ctx.store, c, target, name)
    except Exception as exc:
        error = as_storage_error(exc)
        if error is None:
            raise
        c.code = Code.STORAGE_ERROR
        c.hint = present.storage_texts(error.reason, io.lang)
        c.errors.append(present.hint_text(c.hint))
        render_checked(c, io)
        return exit_code(Code.STORAGE_ERROR)
    c.extra.update(profile=profile.id, saved=True)
    key = "login_saved" if works else "login_saved_unverified"
    c.lines.append(
        msg(key, io.lang, profile=profile.id, name=present.clean_text(profile.name))
        + ("" if created else " " + msg("login_updated", io.lang))
    )
    render_checked(c, io)
    return exit_code(Code.NEEDS_UNMET) if c.code is Code.NEEDS_UNMET else 0


def _save(st: Store, c: Checked, target: str | None, name: str | None) -> tuple[Profile, bool]:
    from wizard import store

    result, cleaned = c.result, c.cleaned
    company = result.company
    if target:
        existing = st.find(target)
    elif company is not None or name is None:
        # The same Alegra user and company again: update it, don't make a second one.
        existing = st.find_duplicate(cleaned.email, company.identification if company else None)
    else:
        existing = None
    profile = store.profile_from_check(
        result,
        name=name,
        email=cleaned.email,
        base_url=c.base_url,
        existing=existing,
        new_id=store.profile_id_for(target) if target else "",
    )
    if c.needs is not None:  # marked with what the app's needs found missing
        from dataclasses import replace

        missing = ",".join(need.resource for need in c.needs.missing)
        profile = replace(profile, needs_missing=missing or None)
    saved = st.save(profile, cleaned.token)
    return saved.profile, saved.created
