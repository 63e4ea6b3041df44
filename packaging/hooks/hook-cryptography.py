# The frozen Linux app bundles packaging/shims/cryptography (AES-CBC on the bundled
# libcrypto), not the real package: this hook replaces pyinstaller-hooks-contrib's, which
# would import the real one and add its metadata, backends and cffi.
hiddenimports = [
    "cryptography.hazmat.backends",
    "cryptography.hazmat.primitives.ciphers.algorithms",
    "cryptography.hazmat.primitives.ciphers.modes",
]
