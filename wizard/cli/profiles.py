"""The stored profiles: `status`, `profiles`, `default`, `rename`, `forget`."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from wizard import present
from wizard.cli.check import resolve_profile
from wizard.cli.options import Context, profile_option
from wizard.cli.render import Io, Outcome, fail, msg, not_found_message, outcome_exit
from wizard.outcomes import Code

if TYPE_CHECKING:
    from wizard.store import Profile, ProfileNotFound, Store


def build_status(p: argparse.ArgumentParser, lang: str) -> None:
    profile_option(p, lang)


def run_status(args: argparse.Namespace, io: Io, ctx: Context) -> int:
    st = ctx.store
    try:
        profile = resolve_profile(st, args.profile, io.lang)
    except Outcome as outcome:
        return outcome_exit(io, outcome)
    backend = st.backend_name()
    return _show_profiles(io, st, [profile], {"ok": True, "code": None, "backend": backend})


def build_profiles(p: argparse.ArgumentParser, lang: str) -> None:
    del p, lang  # no options of its own


def run_profiles(args: argparse.Namespace, io: Io, ctx: Context) -> int:
    st = ctx.store
    return _show_profiles(io, st, st.list_profiles(), {"ok": True, "default": st.default_id()})


def _show_profiles(io: Io, st: Store, profiles: list[Profile], head: dict[str, Any]) -> int:
    """status and profiles: `head` and the profiles as one JSON object, or a block of
    lines per profile (none: a message on stderr)."""
    default_id = st.default_id()
    if io.json:
        io.emit_json({**head, "profiles": [present.profile_json(p, default_id) for p in profiles]})
        return 0
    if not profiles:
        io.err(msg("status_none", io.lang))
        return 0
    backend = st.backend_name()
    io.out("\n".join(_profile_lines(p, backend, io.lang, default_id) for p in profiles))
    return 0


def _last_check_text(profile: Profile, lang: str) -> str:
    if not profile.last_check_at:
        return msg("never_checked", lang)
    return f"{profile.last_check_at} ({profile.last_check_code})"


def _profile_lines(profile: Profile, backend: str, lang: str, default_id: str | None) -> str:
    from wizard import countries

    title = msg("status_profile", lang, id=profile.id, name=present.clean_text(profile.name))
    if profile.id == default_id:
        title += " " + msg("is_default", lang)
    fields = msg(
        "status_fields",
        lang,
        email=present.clean_text(profile.email),
        company=present.clean_text(profile.company or "—"),
        identification=present.clean_text(profile.identification or "—"),
        country=countries.by_code(profile.country).name(lang) if profile.country else "—",
        token_hint=present.clean_text(profile.token_hint),
        backend=backend,
        last_check=_last_check_text(profile, lang),
    )
    return f"{title}\n{fields}"


def _not_found(io: Io, profile_id: str, exc: ProfileNotFound) -> int:
    """A named profile that is not stored: not_configured, and the message lists those
    that are."""
    return fail(io, Code.NOT_CONFIGURED, not_found_message(profile_id, exc.profiles, io.lang))


def build_default(p: argparse.ArgumentParser, lang: str) -> None:
    p.add_argument("profile", metavar="P", help=msg("opt.default_profile", lang))


def run_default(args: argparse.Namespace, io: Io, ctx: Context) -> int:
    from wizard import store

    try:
        profile = ctx.store.set_default(args.profile)
    except store.ProfileNotFound as exc:
        return _not_found(io, args.profile, exc)
    if io.json:
        io.emit_json({"ok": True, "code": None, "default": profile.id})
    else:
        io.out(msg("default_set", io.lang, profile=profile.id))
    return 0


def build_rename(p: argparse.ArgumentParser, lang: str) -> None:
    p.add_argument("profile", metavar="P", help=msg("opt.rename_profile", lang))
    p.add_argument("new_name", metavar="NEW", help=msg("opt.rename_new", lang))


def run_rename(args: argparse.Namespace, io: Io, ctx: Context) -> int:
    from wizard import store

    new_name = args.new_name.strip()
    if not new_name:
        return fail(io, Code.INVALID_INPUT, msg("rename_empty", io.lang))
    try:
        profile = ctx.store.rename(args.profile, new_name)
    except store.ProfileNotFound as exc:
        return _not_found(io, args.profile, exc)
    except store.ProfileExists:
        return fail(io, Code.INVALID_INPUT, msg("rename_exists", io.lang, name=new_name))
    if io.json:
        io.emit_json({"ok": True, "code": None, "profile": present.profile_json(profile)})
    else:
        io.out(msg("renamed", io.lang, old=args.profile, profile=profile.id, name=profile.name))
    return 0


def build_forget(p: argparse.ArgumentParser, lang: str) -> None:
    profile_option(p, lang, required=True)


def run_forget(args: argparse.Namespace, io: Io, ctx: Context) -> int:
    removed = ctx.store.forget(args.profile)
    key = "forgotten" if removed else "nothing_to_forget"
    if io.json:
        io.emit_json({"ok": True, "code": None, "profile": args.profile, "removed": removed})
    else:
        io.out(msg(key, io.lang, profile=args.profile))
    return 0
