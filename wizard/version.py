"""The single source of the version number: pyproject.toml, read through package metadata.

importlib.metadata costs ~25 ms to import, so the installed dist-info's METADATA is read
directly first (a checkout installed with `pip install -e`, or a frozen app that bundles
it); importlib.metadata is the fallback.
"""

from __future__ import annotations

import sys
from pathlib import Path


def _read_version() -> str:
    for folder in map(Path, sys.path):
        try:
            candidates = list(folder.glob("alegra_wizard-*.dist-info"))
        except OSError:
            continue
        for dist in candidates:
            try:
                with (dist / "METADATA").open(encoding="utf-8") as handle:
                    for line in handle:
                        if line.startswith("Version:"):
                            return line.split(":", 1)[1].strip()
                        if not line.strip():
                            break
            except OSError:
                continue
    from importlib import metadata

    try:
        return metadata.version("alegra-wizard")
    except metadata.PackageNotFoundError:
        return "0.0.0+unknown"


__version__: str = _read_version()
USER_AGENT = f"alegra-wizard/{__version__}"
