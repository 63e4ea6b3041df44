"""alegra-wizard: guided setup and live check of Alegra API credentials."""

from wizard.version import __version__

__all__ = ["__version__"]
