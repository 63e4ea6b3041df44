"""Every outcome code is a whole contract: an exit code, a hint in both languages and a row in
the README's exit table. A code added to wizard/outcomes.py without the rest fails here."""

from __future__ import annotations

import itertools
import re

import pytest

from tests.helpers import ROOT
from wizard import i18n
from wizard.outcomes import EXIT_CODES, EXIT_INTERNAL_ERROR, EXIT_USAGE, Code, exit_code

README = ROOT / "README.md"


@pytest.mark.parametrize("code", list(Code))
def test_every_outcome_has_its_own_exit_code(code: Code) -> None:
    assert code in EXIT_CODES, f"{code} has no exit code in wizard/outcomes.py"
    assert exit_code(code) not in (EXIT_INTERNAL_ERROR, EXIT_USAGE)


def test_only_the_two_successes_share_an_exit_code() -> None:
    failures = [exit for code, exit in EXIT_CODES.items() if exit != 0]
    assert len(failures) == len(set(failures))
    assert {code for code, exit in EXIT_CODES.items() if exit == 0} == {
        Code.CONNECTED,
        Code.FORMAT_OK,
    }


@pytest.mark.parametrize("lang", i18n.LANGS)
@pytest.mark.parametrize("code", list(Code))
def test_every_outcome_has_a_hint_in_both_languages(code: Code, lang: str) -> None:
    entries = i18n.catalog()
    for part in ("title", "causes", "steps"):
        key = f"hint.{code.value}.{part}"
        assert key in entries, f"missing {key} in resources/i18n/hints.toml"
        assert lang in entries[key], f"{key} has no {lang!r} text"
    assert entries[f"hint.{code.value}.title"][lang].strip()
    assert [step for step in entries[f"hint.{code.value}.steps"][lang] if step.strip()]


def readme_exit_table(text: str) -> dict[str, int]:
    """code -> exit from the README's table, whose rows pair a cell of `code` names with a
    cell holding the exit number (two pairs a row)."""
    table: dict[str, int] = {}
    for line in text.splitlines():
        if not line.startswith("|"):
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        for names, number in itertools.pairwise(cells):
            codes = re.findall(r"`([a-z_]+)`", names)
            if codes and re.fullmatch(r"\d+", number):
                table.update(dict.fromkeys(codes, int(number)))
    return table


def test_the_readme_exit_table_has_every_code_with_its_exit() -> None:
    table = readme_exit_table(README.read_text(encoding="utf-8"))
    expected = {code.value: exit for code, exit in EXIT_CODES.items()}
    missing = {code: exit for code, exit in expected.items() if table.get(code) != exit}
    assert missing == {}, f"README.md's exit table lacks or misstates {missing}"


def test_the_table_reader_pairs_codes_with_exits() -> None:
    text = (
        "| code | exit | code | exit |\n|---|---|---|---|\n"
        "| `connected`, `format_ok` | 0 | `timeout` | 12 |\n"
    )
    assert readme_exit_table(text) == {"connected": 0, "format_ok": 0, "timeout": 12}
