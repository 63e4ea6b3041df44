"""`Cipher(AES(key), CBC(iv))`: raw AES-CBC (no padding) through OpenSSL's EVP API."""

from __future__ import annotations

import ctypes
import ctypes.util
from typing import Any

from . import algorithms, modes

__all__ = ["Cipher", "algorithms", "modes"]

_BLOCK = 16


def _libcrypto_path() -> str:
    """The libcrypto Python's `_hashlib` was linked with (in the frozen app: the bundled
    one). Loading it by that path reuses the copy already mapped into this process."""
    import _hashlib  # noqa: F401  (maps libcrypto into the process)

    try:
        with open("/proc/self/maps", encoding="utf-8", errors="replace") as maps:
            for line in maps:
                path = line.rstrip("\n").split(" ")[-1]
                if "/libcrypto" in path and ".so" in path:
                    return path
    except OSError:
        pass
    found = ctypes.util.find_library("crypto")
    if not found:
        raise ImportError("OpenSSL's libcrypto was not found")
    return found


def _load() -> Any:
    lib = ctypes.CDLL(_libcrypto_path())
    lib.EVP_CIPHER_CTX_new.restype = ctypes.c_void_p
    lib.EVP_CIPHER_CTX_new.argtypes = []
    lib.EVP_CIPHER_CTX_free.restype = None
    lib.EVP_CIPHER_CTX_free.argtypes = [ctypes.c_void_p]
    for name in ("EVP_aes_128_cbc", "EVP_aes_192_cbc", "EVP_aes_256_cbc"):
        getattr(lib, name).restype = ctypes.c_void_p
        getattr(lib, name).argtypes = []
    lib.EVP_CipherInit_ex.restype = ctypes.c_int
    lib.EVP_CipherInit_ex.argtypes = [
        ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p,
        ctypes.c_char_p, ctypes.c_char_p, ctypes.c_int,
    ]  # fmt: skip
    lib.EVP_CIPHER_CTX_set_padding.restype = ctypes.c_int
    lib.EVP_CIPHER_CTX_set_padding.argtypes = [ctypes.c_void_p, ctypes.c_int]
    lib.EVP_CipherUpdate.restype = ctypes.c_int
    lib.EVP_CipherUpdate.argtypes = [
        ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_int),
        ctypes.c_char_p, ctypes.c_int,
    ]  # fmt: skip
    lib.EVP_CipherFinal_ex.restype = ctypes.c_int
    lib.EVP_CipherFinal_ex.argtypes = [
        ctypes.c_void_p,
        ctypes.c_char_p,
        ctypes.POINTER(ctypes.c_int),
    ]
    return lib


_LIB = _load()


class _Context:
    """One encryption or decryption: update() any number of times, then finalize()."""

    def __init__(self, key: bytes, iv: bytes, encrypt: bool) -> None:
        cipher = {
            16: _LIB.EVP_aes_128_cbc, 24: _LIB.EVP_aes_192_cbc, 32: _LIB.EVP_aes_256_cbc
        }[len(key)]()  # fmt: skip
        self._ctx = _LIB.EVP_CIPHER_CTX_new()
        if not self._ctx:
            raise MemoryError("EVP_CIPHER_CTX_new")
        ok = _LIB.EVP_CipherInit_ex(self._ctx, cipher, None, key, iv, 1 if encrypt else 0)
        if ok != 1 or _LIB.EVP_CIPHER_CTX_set_padding(self._ctx, 0) != 1:
            self._free()
            raise ValueError("OpenSSL refused the AES-CBC key or IV")
        self._pending = 0  # bytes fed that do not make a whole block yet

    def update(self, data: bytes) -> bytes:
        if not self._ctx:
            raise ValueError("Context was already finalized.")
        data = bytes(data)
        out = ctypes.create_string_buffer(len(data) + _BLOCK)
        written = ctypes.c_int(0)
        if _LIB.EVP_CipherUpdate(self._ctx, out, ctypes.byref(written), data, len(data)) != 1:
            raise ValueError("AES-CBC update failed")
        self._pending = (self._pending + len(data)) % _BLOCK
        return out.raw[: written.value]

    def finalize(self) -> bytes:
        if not self._ctx:
            raise ValueError("Context was already finalized.")
        try:
            if self._pending:
                raise ValueError(
                    "The length of the provided data is not a multiple of the block length."
                )
            out = ctypes.create_string_buffer(_BLOCK)
            written = ctypes.c_int(0)
            if _LIB.EVP_CipherFinal_ex(self._ctx, out, ctypes.byref(written)) != 1:
                raise ValueError("AES-CBC finalize failed")
            return out.raw[: written.value]
        finally:
            self._free()

    def _free(self) -> None:
        if self._ctx:
            _LIB.EVP_CIPHER_CTX_free(self._ctx)
            self._ctx = None

    def __del__(self) -> None:
        self._free()


class Cipher:
    def __init__(self, algorithm: algorithms.AES, mode: modes.CBC, backend: object = None) -> None:
        if not isinstance(algorithm, algorithms.AES) or not isinstance(mode, modes.CBC):
            raise TypeError("only AES in CBC mode is available in this build")
        self.algorithm = algorithm
        self.mode = mode

    def encryptor(self) -> _Context:
        return _Context(self.algorithm.key, self.mode.initialization_vector, encrypt=True)

    def decryptor(self) -> _Context:
        return _Context(self.algorithm.key, self.mode.initialization_vector, encrypt=False)
