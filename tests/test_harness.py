"""The test run's own plumbing: what keeps `make test-fast` fast (tests/helpers/bytecode.py)."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from _pytest.assertion.rewrite import PYC_TAIL, _read_pyc


@pytest.mark.parametrize("module", ["pytestqt.qtbot", "_hypothesis_pytestplugin", "xdist.plugin"])
def test_the_plugins_rewritten_code_is_kept_for_the_next_run(module: str) -> None:
    # Under PYTHONDONTWRITEBYTECODE (this machine's and CI's) pytest would rewrite every
    # plugin module again in every process: the plugins load before any conftest.
    source = Path(importlib.import_module(module).__file__ or "")
    pyc = source.parent / "__pycache__" / (source.name[:-3] + PYC_TAIL)
    assert _read_pyc(source, pyc) is not None, f"{pyc} missing or stale"
