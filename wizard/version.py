"""The single source of the version number: pyproject.toml, read through package metadata."""

from __future__ import annotations

from importlib import metadata

try:
    __version__: str = metadata.version("alegra-wizard")
except metadata.PackageNotFoundError:  # a frozen app without dist-info, or a bare checkout
    __version__ = "0.0.0+unknown"

USER_AGENT = f"alegra-wizard/{__version__}"
