"""alegra-wizard: guided setup and live check of Alegra API credentials."""

from __future__ import annotations

__all__ = ["__version__"]


def __getattr__(name: str) -> str:
    """`wizard.__version__`, read when asked: finding it searches sys.path for our
    dist-info, which every `import wizard.…` (the window's start-up) would pay."""
    if name == "__version__":
        from wizard.version import __version__

        return __version__
    raise AttributeError(f"module 'wizard' has no attribute {name!r}")
