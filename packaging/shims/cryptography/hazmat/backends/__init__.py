"""`default_backend()`: OpenSSL's libcrypto, as loaded by Python's own `_hashlib`."""

from __future__ import annotations


class Backend:
    name = "openssl"


_BACKEND = Backend()


def default_backend() -> Backend:
    return _BACKEND
