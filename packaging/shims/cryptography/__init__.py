"""The frozen Linux app's stand-in for `cryptography` (11 MiB): AES-CBC only, on OpenSSL.

SecretStorage (keyring's Secret Service backend) needs exactly one thing from
`cryptography`: AES-128-CBC without padding, for the encrypted session with the Secret
Service (`dh-ietf1024-sha256-aes128-cbc-pkcs7`; it pads and does the Diffie-Hellman
itself, in pure Python). The real package ships its own statically linked OpenSSL in an
11 MiB extension module; the frozen app already has OpenSSL's libcrypto (Python's
`_ssl`/`_hashlib` use it), so this package asks that one through ctypes, with the same
API SecretStorage calls:
`Cipher(algorithms.AES(key), modes.CBC(iv), default_backend()).encryptor()/.decryptor()`,
then `.update(data) + .finalize()`.

Only the frozen build sees it (packaging/alegra-wizard.spec puts packaging/shims first on
the analysis path, Linux only); running from source uses the real `cryptography`.
tests/test_packaging.py checks it against NIST's AES-CBC vectors and against the real
package, and tests/test_frozen.py that the frozen app's session with gnome-keyring is
encrypted and its secrets read back.
"""

__version__ = "0+alegra-wizard-shim"
