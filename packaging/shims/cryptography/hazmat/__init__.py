"""Empty: see cryptography/__init__.py."""
