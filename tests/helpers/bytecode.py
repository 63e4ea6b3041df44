"""A pytest plugin loaded with `-p` (pyproject's addopts), before any other: it lets this
process keep the .pyc files it compiles, whatever PYTHONDONTWRITEBYTECODE says.

pytest rewrites the asserts of its plugins (pytest-qt, hypothesis's plugin, pytest-xdist,
pytest-httpserver, ...) and of the test modules, and keeps the rewritten code as .pyc beside
them, unless bytecode writing is off, as this machine's and CI's PYTHONDONTWRITEBYTECODE has
it: then every run and every xdist worker parses and rewrites them all again (~0.9 s of CPU
each, 105 modules). The plugins are imported before any conftest, so the switch has to be
here. Only this process: the children it starts still inherit the variable.
"""

from __future__ import annotations

import sys

sys.dont_write_bytecode = False
