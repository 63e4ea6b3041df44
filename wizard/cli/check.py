"""`check`: clean what the user gave, check it against Alegra, print the verdict. The
reading of the input (stdin, the environment, a stored profile, a prompt) and the verdict's
rendering are shared with `login` (`wizard.cli.login`), which stores what passed.

The handler reads `args` once, into a `Given` of plain values; nothing below it sees
argparse."""

from __future__ import annotations

import argparse
import os
from typing import TYPE_CHECKING, Any, TextIO

from wizard import hardening, present
from wizard.cli.options import (
    STDIN_CAP_BYTES,
    Context,
    ca_option,
    profile_option,
    token_options,
)
from wizard.cli.render import Io, Outcome, as_storage_error, msg
from wizard.hints import Hint, hint_for
from wizard.outcomes import Code, exit_code

if TYPE_CHECKING:
    from wizard.store import Profile, Store


def build_check(p: argparse.ArgumentParser, lang: str) -> None:
    token_options(p, lang)
    profile_option(p, lang)
    p.add_argument("--offline", action="store_true", help=msg("opt.offline", lang))
    p.add_argument("--probe", action="store_true", help=msg("opt.probe", lang))
    p.add_argument("--all", action="store_true", help=msg("opt.all", lang))
    ca_option(p, lang)


def run_check(args: argparse.Namespace, io: Io, ctx: Context) -> int:
    if args.all:
        from wizard.cli.check_all import run_check_all

        return run_check_all(args, io, ctx)
    given = Given.from_args(args)
    c = clean_and_check(given, io, ctx, use_default=True)
    inputs = c.inputs
    # Only the profile's own stored email, token and server make its result (not an
    # ALEGRA_TOKEN, --token-stdin, --email or --base-url standing in for them).
    if c.result is not None and inputs is not None and inputs.own_credentials:
        _record_last_check(ctx.store, inputs.profile.id, c.result, c.needs)
    render_checked(c, io)
    return exit_code(c.code)


class Given:
    """What the command line asked to check, as plain values (read off `args` once)."""

    def __init__(
        self,
        *,
        email: str | None = None,
        token_stdin: bool = False,
        profile: str | None = None,
        base_url: str | None = None,
        timeout: float | None = None,
        ca_bundle: str | None = None,
        offline: bool = False,
        probe: bool = False,
    ) -> None:
        self.email, self.token_stdin, self.profile = email, token_stdin, profile
        self.base_url, self.ca_bundle = base_url, ca_bundle
        self.timeout = present.DEFAULT_TIMEOUT_S if timeout is None else timeout
        self.offline, self.probe = offline, probe

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> Given:
        return cls(
            email=args.email,
            token_stdin=args.token_stdin,
            profile=args.profile,
            base_url=args.base_url,
            timeout=args.timeout,
            ca_bundle=args.ca_bundle,
            offline=getattr(args, "offline", False),
            probe=getattr(args, "probe", False),
        )


# --- reading what the user gives -----------------------------------------------------------


def read_stdin(stdin: TextIO, lang: str) -> str:
    """What --token-stdin reads: at most STDIN_CAP_BYTES, decoded by its byte-order mark
    (a UTF-16 file from PowerShell or Notepad, `< token.txt` or Setup's /TOKENFILE=), else
    as UTF-8 whatever the locale says (an ascii or cp1252 locale must not make it an error)."""
    buffer = getattr(stdin, "buffer", None)
    if buffer is not None:
        raw: bytes = buffer.read(STDIN_CAP_BYTES + 1)
        text = None
        if len(raw) <= STDIN_CAP_BYTES:
            from wizard.credentials import decode_token_file

            text = decode_token_file(raw, getattr(stdin, "encoding", None) or "latin-1")
    else:
        text = stdin.read(STDIN_CAP_BYTES + 1)
        if len(text.encode("utf-8", "surrogatepass")) > STDIN_CAP_BYTES:
            text = None
    if text is None:
        raise Outcome(Code.INVALID_INPUT, msg("stdin_too_big", lang, kib=STDIN_CAP_BYTES // 1024))
    return text


def resolve_profile(st: Store, profile_id: str | None, lang: str) -> Profile:
    """Store.resolve with the CLI's words: not configured, or several and no default."""
    from wizard import store

    try:
        return st.resolve(profile_id)
    except store.AmbiguousProfile as exc:
        names = ", ".join(p.id for p in exc.profiles)
        raise Outcome(
            Code.NOT_CONFIGURED, msg("ambiguous_profile", lang, profiles=names), exc.profiles
        ) from None
    except store.ProfileNotFound as exc:
        from wizard.cli.render import not_found_message

        if profile_id is None:
            raise Outcome(Code.NOT_CONFIGURED, msg("status_none", lang)) from None
        raise Outcome(
            Code.NOT_CONFIGURED, not_found_message(profile_id, exc.profiles, lang), exc.profiles
        ) from None


class Inputs:
    """What a check or login was given, and where each part came from."""

    def __init__(self) -> None:
        self.email = ""
        self.token = ""
        self.base_url: str | None = None
        self.profile: Any = None  # wizard.store.Profile
        self.stored_token: str | None = None
        # The stored profile's own email, token and server are what is checked (then,
        # and only then, the result is recorded on it).
        self.own_credentials = False


def _prompt_token(io: Io) -> str:
    import getpass

    return getpass.getpass(msg("token_prompt", io.lang))


def gather(given: Given, io: Io, ctx: Context, *, use_default: bool) -> Inputs:
    inputs = Inputs()
    token: str | None = None
    if given.token_stdin:
        token = read_stdin(io.stdin, io.lang)
    elif hardening.has_secret("ALEGRA_TOKEN"):
        token = hardening.take_secret("ALEGRA_TOKEN")  # gone from the process once read
    email = given.email or os.environ.get("ALEGRA_EMAIL")
    base_url = given.base_url or os.environ.get("ALEGRA_API_URL")
    # A stored profile: the one named, else (when nothing was given to check) the default.
    if given.profile or (use_default and token is None and email is None):
        st = ctx.store
        if given.profile or st.list_profiles():
            inputs.profile = resolve_profile(st, given.profile, io.lang)
            if token is None or given.offline:
                inputs.stored_token = st.load(inputs.profile.id).token
    if token is None and inputs.stored_token is not None and not given.offline:
        token = inputs.stored_token
        inputs.own_credentials = True
    interactive = io.stdin.isatty() and not given.token_stdin
    if token is None and interactive:
        token = _prompt_token(io)
    inputs.token = token or ""
    if email is None and inputs.profile is not None:
        email = inputs.profile.email
    elif email is not None and inputs.profile is not None and email != inputs.profile.email:
        inputs.own_credentials = False
    if email is None and interactive:
        email = input(msg("email_prompt", io.lang))
    inputs.email = email or ""
    stored_url = inputs.profile.base_url if inputs.profile is not None else None
    if base_url is not None and stored_url and base_url != stored_url:
        inputs.own_credentials = False
    inputs.base_url = base_url or stored_url or None
    return inputs


def _register(email: str, token: str) -> None:
    """Known secrets are masked on every output: the token, and the Basic header it makes."""
    import base64

    from wizard.redact import register_secret

    register_secret(token)
    if token:
        basic = base64.b64encode(f"{email}:{token}".encode()).decode()
        register_secret(basic)


# --- the check -----------------------------------------------------------------------------


class Checked:
    """What check and login share: the verdict, the lines to print, the cleaned input;
    `json()` is the report (built by present.check_json)."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.errors: list[str] = []  # to stderr
        self.hint: Hint | None = None
        self.code = Code.INVALID_INPUT
        self.result: Any = None  # CheckResult
        self.cleaned: Any = None
        self.inputs: Inputs | None = None
        self.base_url = ""
        self.matches_stored: bool | None = None
        self.permissions: list[dict[str, Any]] | None = None
        self.profiles: list[str] | None = None  # a profile choice to make
        self.needs: Any = None  # wizard.needs.NeedsReport, when the app file lists needs
        self.support: str | None = None  # the app file's support contact, after a failure
        self.extra: dict[str, Any] = {}  # login's own fields

    def json(self, lang: str) -> dict[str, Any]:
        report = present.check_json(
            self.code,
            self.hint,
            lang,
            cleaned=self.cleaned,
            result=self.result,
            matches_stored=self.matches_stored,
            permissions=self.permissions,
            profiles=self.profiles,
            needs=self.needs,
        )
        return {**report, **self.extra}


def clean_and_check(given: Given, io: Io, ctx: Context, *, use_default: bool) -> Checked:
    from wizard import credentials

    lang = io.lang
    c = Checked()
    try:
        inputs = gather(given, io, ctx, use_default=use_default)
        c.inputs = inputs
        cleaned = credentials.clean(inputs.email, inputs.token)
        c.cleaned = cleaned
        _register(inputs.email, inputs.token.strip())
        _register(cleaned.email, cleaned.token)
        if cleaned.fixes:
            c.lines.append(msg("fixed", lang))
            c.lines += [f"  - {line}" for line in credentials.describe(cleaned.fixes, lang)]
        if cleaned.warnings:
            c.lines.append(msg("warning", lang))
            c.lines += [f"  - {line}" for line in credentials.describe(cleaned.warnings, lang)]
        c.code, c.hint = _check_inputs(given, c, inputs, cleaned, lang)
        if c.code is Code.CONNECTED and ctx.app.needs:
            c.code, c.hint = _check_needs(given, c, ctx, cleaned, lang)
        from wizard.appconfig import support_line

        c.support = support_line(ctx.app, lang)
    except Outcome as outcome:
        c.code = outcome.code
        c.hint = hint_for(outcome.code, lang)
        if outcome.message:
            c.errors.append(outcome.message)
        if outcome.profiles:
            c.profiles = [p.id for p in outcome.profiles]
    except Exception as exc:
        storage_error = as_storage_error(exc)
        if storage_error is None:
            raise
        c.code = Code.STORAGE_ERROR
        c.hint = present.storage_texts(storage_error.reason, lang)
        c.errors.append(present.hint_text(c.hint))
    return c


def _check_inputs(
    given: Given, c: Checked, inputs: Inputs, cleaned: Any, lang: str
) -> tuple[Code, Hint | None]:
    from pathlib import Path

    from wizard import check, credentials
    from wizard.request import DEFAULT_BASE_URL, BadRequest, Request

    if cleaned.problems:
        c.lines.append(msg("problem", lang))
        c.lines += [f"  - {line}" for line in credentials.describe(cleaned.problems, lang)]
        return Code.INVALID_INPUT, hint_for(Code.INVALID_INPUT, lang)
    base_url = inputs.base_url or DEFAULT_BASE_URL
    c.base_url = base_url
    try:  # the one place the check's inputs are checked: the Request carries them on
        request = Request(base_url, cleaned.email, cleaned.token, given.timeout, given.ca_bundle)
    except BadRequest as exc:
        if exc.problem in ("bad_url", "insecure_url"):
            c.lines.append(msg("bad_url", lang, url=present.clean_text(base_url)))
            return Code.INVALID_INPUT, hint_for(Code.INVALID_INPUT, lang)
        c.result = check.refused(exc)
        return Code.INVALID_INPUT, present.hint_for_result(c.result, lang)
    if given.ca_bundle and not Path(given.ca_bundle).is_file():
        c.lines.append(msg("bad_ca_bundle", lang, path=given.ca_bundle))
        return Code.INVALID_INPUT, hint_for(Code.INVALID_INPUT, lang)

    if given.offline:
        if inputs.stored_token is not None:
            import hmac

            same = hmac.compare_digest(cleaned.token.encode(), inputs.stored_token.encode())
            c.matches_stored = same
            key = "matches_stored" if same else "differs_stored"
            c.lines.append(msg(key, lang, profile=inputs.profile.id))
        c.lines.append(msg("format_ok", lang))
        return Code.FORMAT_OK, hint_for(Code.FORMAT_OK, lang)

    result = check.check(request)
    c.result = result
    if result.code is Code.CONNECTED:
        c.lines.append(_connected_lines(result.company, lang))
        view = present.company_view(result.company, lang)
        who = present.user_line(result.user, lang, view.name if view else None)
        if who:
            c.lines.append(who)
        c.lines += [msg(f"check_warning.{w}", lang) for w in result.warnings]
        if given.probe:
            from wizard.hints import probe_as_text
            from wizard.probe import probe

            found = probe(request)
            c.permissions = found.to_json()
            c.lines.append(probe_as_text(found, lang))
        return Code.CONNECTED, None
    return result.code, present.hint_for_result(result, lang, base_url=base_url)


def _check_needs(
    given: Given, c: Checked, ctx: Context, cleaned: Any, lang: str
) -> tuple[Code, Hint | None]:
    """After a good check: the app file's needed resources, and only they (paced as the
    probe). needs_unmet when one is known missing; what can't be checked never blocks."""
    from wizard import needs

    report = needs.check_needs(
        ctx.app, cleaned.email, cleaned.token, c.base_url, given.timeout, ca_bundle=given.ca_bundle
    )
    c.needs = report
    if report is None:
        return Code.CONNECTED, None
    c.lines += needs.summary_lines(ctx.app, report, lang)
    if report.code is Code.NEEDS_UNMET:
        return Code.NEEDS_UNMET, hint_for(Code.NEEDS_UNMET, lang)
    return Code.CONNECTED, None


def _connected_lines(company: Any, lang: str) -> str:
    view = present.company_view(company, lang)
    name = view.name if view else msg("unknown_company", lang)
    lines = [msg("connected", lang, company=name.rstrip("."))]
    if view is not None:
        lines.append(view.line(lang))
    return "\n".join(lines)


def render_checked(c: Checked, io: Io) -> None:
    if io.json:
        io.emit_json(c.json(io.lang))
        for line in c.errors:
            io.err(line)
        return
    for line in c.errors:
        io.err(line)
    lines = list(c.lines)
    if c.hint is not None and c.code not in (Code.CONNECTED, Code.FORMAT_OK, Code.STORAGE_ERROR):
        lines.append(present.hint_text(c.hint))
        if c.support:
            lines.append(c.support)
    if lines:
        io.out("\n".join(lines))


def _record_last_check(st: Store, profile_id: str, result: Any, needs: Any = None) -> None:
    """The result on the profile; with the app file's needs checked, what it lacks now (a
    plan upgraded since the save clears the mark)."""
    import logging

    from wizard import store

    try:
        st.update_last_check(
            profile_id, result.code.value, user=result.user, rate_limit=result.rate_limit
        )
        if needs is not None:
            missing = ",".join(need.resource for need in needs.missing)
            st.mark_needs(profile_id, missing or None)
    except store.StorageError as exc:  # a check result must not be lost to a config hiccup
        logging.getLogger(__name__).warning("could not record the last check: %s", exc.reason)
